//! Detector behaviour on minutes, reports and records: who did what, at a clause's start.

use custodian_detect::PiType;

use PiType::*;
use common::check;

mod common;

/// Minutes and reports name the person who acted at the start of a clause, with the act right
/// after (`张伟汇报了本周进展`): a surname, given characters names are made of, and a verb that
/// follows names.
#[test]
fn who_did_what_at_a_clause_start() {
    for (input, name) in [
        ("张伟汇报了本周进展。", "张伟"),
        ("李娜提出需要增加预算。", "李娜"),
        ("测试已完成。陈静补充说明了测试情况。", "陈静"),
        ("王建国强调安全第一。", "王建国"),
        ("会议决定：周杰建议推迟上线", "周杰"),
        ("进度滞后，吴磊牵头整改", "吴磊"),
    ] {
        check(input, &[(PersonNameZh, name)]);
    }
    // Words that begin with a surname's character, given characters no name has, a surname
    // that is a function word, or no verb after: none.
    for input in [
        "高度强调安全。",
        "安全说明如下",
        "文件报告了问题",
        "江苏提出新政策",
        "明天报告结果",
        "林业局提出意见",
        "马上补充材料",
    ] {
        check(input, &[]);
    }
}

/// Bookings, tickets and product text: capitalised terms no person's name holds, and the
/// values of labels that name none, are no person to the name model; a person after a label
/// that names one still is.
#[test]
fn booking_terms_and_labels_of_no_person() {
    check(
        "Reservation Confirmation\nGuest Name: Daniel Kim\nHotel: Marriott Marquis San Francisco\nRoom: Deluxe King, Non-Smoking",
        &[(PersonNameEn, "Daniel Kim")],
    );
    check(
        "Hotel: Grand Hyatt Melbourne, Collins Street. Room: Park King Room. Guest: Charlotte Davies.",
        &[(PersonNameEn, "Charlotte Davies")],
    );
    for input in [
        "Ticket type: Anytime Return.",
        "Loyalty: Marriott Bonvoy Platinum Elite, Hilton Honors Gold",
        "Day 1: check in to Hotel Granvia Kyoto",
        "Departure: London Gatwick (LGW) 09:40",
        "Force Majeure: Neither Party shall be liable",
        "Chicken Tikka Masala is on the menu",
    ] {
        check(input, &[]);
    }
    for (input, name) in [
        ("Passenger: Emily Clark", "Emily Clark"),
        ("Hotel guest: Emily Clark", "Emily Clark"),
        ("Team: Emily Clark", "Emily Clark"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
}

/// An office or a profession glued before a name (`办公室主任王芳主持`) reads it when its given
/// characters are names' and it begins no word (`店长马上到` was read as a
/// name before); `将`, `把`, `关于` after a name at a clause's start.
#[test]
fn offices_before_a_name_and_what_follows_it() {
    check(
        "会议由办公室主任王芳主持，党委书记张伟出席并讲话。",
        &[(PersonNameZh, "王芳"), (PersonNameZh, "张伟")],
    );
    check(
        "会上，财务部经理林晓红通报了上半年预算执行情况。",
        &[(PersonNameZh, "林晓红")],
    );
    check("会后，张伟将整理会议纪要。", &[(PersonNameZh, "张伟")]);
    for input in [
        "总经理高度重视此事",
        "店长马上到",
        "经理安排了工作",
        "部长高兴地说",
        "会计金额有误",
        "司机师傅到了",
    ] {
        check(input, &[]);
    }
}

/// Two or three capitalised words before a verb of report are a whole name, whatever its words
/// (`Zhang Wei`, `Geoff Stanton` are in no list); a rank or an office before is cut; firms,
/// teams, terms and words that are never a name's are none.
#[test]
fn a_name_before_a_verb_of_report() {
    for (input, name) in [
        ("Zhang Wei presented the Q3 sales figures.", "Zhang Wei"),
        ("Bill Turner walked through the roadmap.", "Bill Turner"),
        ("Geoff Stanton welcomed members.", "Geoff Stanton"),
        ("Then Zhang Wei asked about costs.", "Zhang Wei"),
        ("Treasurer Mark Evans presented the accounts.", "Mark Evans"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
    for input in [
        "The Board agreed.",
        "Acme Corp said it would.",
        "Customer Service said no.",
        "Google Cloud said so.",
        "Finance Committee noted the risk.",
        "New York said yes.",
        "Microsoft Teams said hello.",
    ] {
        check(input, &[]);
    }
}

/// Minutes list people: the next of a list of Chinese names before an act or the list's next
/// separator (`宋佳佳、韩梅梅、李雷参加了培训`), a surname and `总` before an act (`王总指出`),
/// minutes' labels before names written surname first (`Present: Mitchell, Sarah; Okafor,
/// David`).
#[test]
fn lists_of_people_in_minutes() {
    check(
        "宋佳佳、韩梅梅、李雷参加了培训。",
        &[
            (PersonNameZh, "宋佳佳"),
            (PersonNameZh, "韩梅梅"),
            (PersonNameZh, "李雷"),
        ],
    );
    check(
        "孙丽、周杰、吴磊分别作了表态发言。",
        &[
            (PersonNameZh, "孙丽"),
            (PersonNameZh, "周杰"),
            (PersonNameZh, "吴磊"),
        ],
    );
    check(
        "王总指出，今年要重点抓好安全生产工作。",
        &[(PersonNameZh, "王")],
    );
    // Words after a name and `、` are no names.
    check("张伟、高度重视", &[(PersonNameZh, "张伟")]);
    check("张伟、安全、质量等方面", &[(PersonNameZh, "张伟")]);
    check(
        "Present: Mitchell, Sarah; Okafor, David",
        &[
            (PersonNameEn, "Mitchell, Sarah"),
            (PersonNameEn, "Okafor, David"),
        ],
    );
    check(
        "Chair: Mitchell, Sarah",
        &[(PersonNameEn, "Mitchell, Sarah")],
    );
    check("Attendees: Platform Engineering, Finance", &[]);
}

/// Without a cue, the name model's find that ends with a character no given name has is the
/// word it is (`黄瓜`, `公务舱`, `成人票`); a name with a cue is read as before.
#[test]
fn words_that_end_like_no_given_name() {
    for input in [
        "黄瓜、白菜、金针菇、胡萝卜各适量。",
        "舱位：公务舱",
        "票种：成人票",
        "航空公司：东方航空 航班：MU5101",
    ] {
        check(input, &[]);
    }
    check("乘客：王兵，座位：12A", &[(PersonNameZh, "王兵")]);
    check(
        "简历 - 胡欢 胡欢 | 后端开发工程师",
        &[(PersonNameZh, "胡欢"), (PersonNameZh, "胡欢")],
    );
}

/// A chat line's speaker (`10:42 司机：`) is no cue for the message after it; a name in the
/// message is still found by its own evidence. The end of a route is a place.
#[test]
fn chat_speakers_and_routes_are_no_cues() {
    for input in [
        "10:42 司机：马上到了\n10:43 乘客：好的",
        "[10:42:05] 司机: 马上到",
        "2024-03-08 10:42 司机：马上到",
        "北京南 → 石家庄  0830",
    ] {
        let found = custodian_detect::Detector::new().scan_str(input);
        assert!(
            !found.iter().any(|f| f.pi_type == PersonNameZh),
            "{input}: {found:?}"
        );
    }
    check("[10:42] 客服：张伟先生您好", &[(PersonNameZh, "张伟")]);
    check("乘客：张伟", &[(PersonNameZh, "张伟")]);
}
