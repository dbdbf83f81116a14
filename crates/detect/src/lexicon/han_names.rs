//! Words around Chinese names: traditional-script surnames, what ends a name, what is none.

/// Traditional-script forms of common surnames whose simplified form differs (陳, 張, 黃),
/// as Hong Kong, Macau and Taiwan write them. Kept apart from [`super::SURNAMES`], which the name
/// model's training text draws on.
pub(crate) const TRADITIONAL_SURNAMES: &str = "張劉陳楊黃趙吳孫馬羅鄭謝許韓馮鄧蕭蔣葉蘇魏呂盧鍾譚陸賈韋鄒閻龍賀顧龔萬錢嚴湯齊喬龐顏聶魯藍駱靳鮑饒歐關蘭祁";

/// Rare one-character surnames (仉, 綦, 訾, 逄, …), and the traditional form of 麦: surnames to
/// the rules and at inference; kept apart from [`super::SURNAMES`] as the traditional ones are.
/// (Rare surnames that are common words, `暴`, `能`, are left out.)
pub(crate) const RARE_SURNAMES: &str = "仉綦訾逄蒯殳乜禚笪隗麥";

/// Characters common in given names beyond the name model's own (`畅`, `琴`, `萌`, `二妮`): read
/// by the rules where every given character must be one names are made of; at inference only,
/// the model's training text does not draw on them.
pub(crate) const MORE_GIVEN_CHARS: &str = "畅爱琴康美卫冰铁柱妮亚生学欢萌胜芷栋洁娇媛婵娥嫣娅莉茹菁芬芝芹蓓岩峻坤培淼沛清澜源洪达迪进运兵勋颂顺晋昌晶晗晟暄曼朗杉棋楚炎烨焕煜璇琦瑜玮珂琛瑾祥禹笑筱素绮维继群翰聪舒艺芊茂荷莲蕊虹蝶诚谦贤赫轶迎钰锦雷霏韵颢骏鸿鹤小二";

/// Traditional-script forms of compound surnames (see [`TRADITIONAL_SURNAMES`]).
pub(crate) const TRADITIONAL_COMPOUND_SURNAMES: &[&str] = &[
    "歐陽", "司馬", "諸葛", "東方", "鍾離", "長孫", "聞人", "軒轅", "獨孤",
];

/// Words a form puts after a party's label that begin with a surname character and are no
/// person (`签收人：门卫`, `联系人：管理员`, `政治面貌：党员`).
pub(crate) const NOT_NAMES_AFTER_A_LABEL: &[&str] = &[
    "门卫",
    "管理员",
    "高速",
    "高铁",
    "党员",
    "易碎",
    "丰巢",
    "本人",
    "前台",
    "物业",
];

/// Verbs that end a Chinese name read by the rule (`恭喜韦丽获得`, `王芳发来`). Read by the rule
/// only, not by the name model's features (its shipped weights were trained with the stop
/// words above).
pub(crate) const VERBS_AFTER_NAME: &[&str] = &[
    "获得", "发来", "回复", "参加", "完成", "提供", "处理", "通知", "收到", "提交", "同意", "发言",
    "签字", "主持", "出席", "讲话", "汇报", "跟进", "核实", "审核", "打电", "上台", "介绍", "带队",
    "陪同", "接待", "到场", "过来", "当庭", "出庭", "作证", "一致", "认为", "指出", "强调", "发表",
    "签署", "撤回", "邀请", "加入", "退出", "拍了", "修改", "发起", "分享", "转发", "领取", "正在",
    "送货", "诉被", "诉至", "执行", "表示", "声称", "称未", "称已", "已经", "来电", "来找", "合同",
    // What minutes and reports say a person did.
    "提出", "补充", "建议", "牵头", "配合", "说明", "反映", "提议", "回应", "询问", "总结", "宣布",
    "演示", "讲解", "解释", "承诺", "反馈", "答复", "协调", "列席", "缺席", "请假", "记录", "报告",
    "分别",
    // What news and records say a person did or said (`夏秀兰笑着说`, `肖欢负责方案设计`).
    "笑着", "回忆", "透露", "负责", "驾车", "及时",
    // What a judgment's or a record's next word is after a party (`被告郗娜借款合同纠纷`,
    // `何宇住在…`).
    "借款", "劳动", "房屋", "租赁", "买卖", "住在", "现住",
];

/// Honorifics that may follow a Chinese name (outside the span) and confirm it.
pub(crate) const HONORIFICS_AFTER: &[&str] = &[
    "先生", "女士", "小姐", "师傅", "老师", "同学", "经理", "总", "阿姨", "大哥", "大姐",
    // A parents' group's names (`方敏爸爸 2023-05-28 18:18`).
    "爸爸", "妈妈",
];

/// Titles of office after a Chinese name (`陈红主任`, `王磊副总经理`, `王志明同志`): they end a name
/// like an honorific, and confirm one only when its given name is of characters common in given
/// names (`党委书记`, `车间主任`, `游泳教练` are no names).
pub(crate) const OFFICE_TITLES: &[&str] = &[
    "主任",
    "科长",
    "局长",
    "部长",
    "厂长",
    "院长",
    "校长",
    "站长",
    "所长",
    "队长",
    "班长",
    "组长",
    "店长",
    "书记",
    "大夫",
    "法官",
    "警官",
    "会计",
    "助理",
    "专员",
    "秘书",
    "工程师",
    "教练",
    "同志",
    "主席",
    "委员",
    "院士",
    "船长",
    "机长",
    "副总",
    "副局",
    "副主",
    "副部",
    "副院",
    "副校",
    "副市",
    "副县",
];

/// Characters no given name ends with: things, food, places, tickets (`黄瓜`, `白菜`, `公务舱`,
/// `成人票`). A name the model finds without a cue that ends with one is the
/// word. Read at inference only.
pub(crate) const NOT_GIVEN_CHARS: &str = "瓜菜菇蹄斛舱票阴别座号路街区县市省村店厂站场馆局所处室部门楼层费价额款单表证卡码箱包袋盒瓶罐桶锅碗盘杯壶刀叉勺筷饭粥汤肉蛋奶茶酒糖盐油醋酱椒葱蒜薯豆瓣粉条片块吨斤线车机船税空";
