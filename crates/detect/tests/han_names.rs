//! Chinese names where records, news, calls and chats put them without a name label: after a
//! role (`辅警`, `村民`, `驾驶人`), after a list item's number or a closing quote before an act,
//! a parent in a parents' group, in brackets after the Latin form; rare surnames and given
//! characters beyond the model's own.

use custodian_detect::PiType;

use PiType::*;
use common::check;

mod common;

/// Names after the roles of police records, news, calls and families, after a list item's
/// number or a closing quote before an act, a parent in a chat, in brackets after the Latin
/// form, and with rare surnames and given characters beyond the model's own.
#[test]
fn names_after_roles_list_numbers_and_quotes() {
    for (input, name) in [
        ("警号065974）、辅警曹二妮于38分钟后到达", "曹二妮"),
        ("的35岁村民诸葛超，十多年来义务照顾老人", "诸葛超"),
        ("对方驾驶人陈俊杰驾车离开。", "陈俊杰"),
        ("报警人许杰（女，35岁）", "许杰"),
        ("稍后会有理赔专员龙磊和您联系", "龙磊"),
        ("（记者 吴建军 通讯员 甄霞）", "甄霞"),
        ("收件人写我爱人文浩然也可以", "文浩然"),
        ("1. 长孙萌汇报了客户投诉处理情况", "长孙萌"),
        ("还上了报纸。”夏秀兰笑着说。", "夏秀兰"),
        ("方敏爸爸 2023-05-28 18:18\n收到", "方敏"),
        ("姓名: MAO Xin (毛鑫)", "毛鑫"),
        ("派件员：禚娜", "禚娜"),
        ("审判员 仉一鸣", "仉一鸣"),
    ] {
        let found = common::found(input);
        assert!(
            found.contains(&(PersonNameZh, name.to_string())),
            "{input}: {found:?}"
        );
    }
    // The roles before words that are no names, and the asking characters before pronouns.
    for input in [
        "记者了解到，村民们自发组织起来",
        "市民反映情况",
        "给我打电话",
        "给予支持",
        "找到了",
        "1. 会议汇报了进展",
        "近日，记者走访了城南社区。居民楼里住着不少老人，居民常年反映停车难。",
        "儿子常常回家看望。",
        "找房子去了。",
        "2. 全力排查隐患。",
    ] {
        check(input, &[]);
    }
}
