//! Names in running sentences, where no cue word stands: the subject of a sentence, after a
//! preposition or a verb, in a subject line, after a doubled character.

use custodian_detect::PiType;

use PiType::*;
use common::check;

mod common;

#[test]
fn latin_names_in_running_sentences() {
    // None of these names is in the model's training lists: the context finds them.
    for (input, name) in [
        ("Thanks to Aisha Mohammed for her help.", "Aisha Mohammed"),
        (
            "Subject: Onboarding for Marcus Whitfield",
            "Marcus Whitfield",
        ),
        ("Marcus Whitfield called yesterday.", "Marcus Whitfield"),
        ("Aisha Mohammed joined the call.", "Aisha Mohammed"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
    // The same places holding capitalised words that are no names.
    check("Thanks to Customer Service for the help.", &[]);
    check("Subject: Invoice for Shanghai Office", &[]);
}

#[test]
fn a_doubled_character_starts_no_name() {
    // `谢谢` is thanks, not the surname 谢: the name starts after it.
    check("谢谢杨帆老师的帮助", &[(PersonNameZh, "杨帆")]);
    check("谢谢王建国先生", &[(PersonNameZh, "王建国")]);
    // Unless the first half ends a cue.
    check("班主任任伟来了", &[(PersonNameZh, "任伟")]);
    // 谢 ending another word of thanks starts no name either; the surname alone before a
    // title after it is one.
    check("感谢王总的支持。", &[(PersonNameZh, "王")]);
    check("多谢李经理", &[(PersonNameZh, "李")]);
    check("谢谢黄老师的指导。", &[(PersonNameZh, "黄")]);
}

/// A verb right after a name read by the rule ends it (`证人杨帆当庭作证`).
#[test]
fn a_verb_after_a_name_ends_it() {
    for (input, name) in [
        ("证人杨帆当庭作证。", "杨帆"),
        ("证人杨帆出庭作证。", "杨帆"),
        ("乘客王芳认为路线有误。", "王芳"),
        ("原告刘洋签署了协议。", "刘洋"),
    ] {
        check(input, &[(PersonNameZh, name)]);
    }
}

#[test]
fn a_word_that_begins_with_a_surname_is_a_word_without_a_cue() {
    for input in [
        "林业局今天召开会议。",
        "金融街的写字楼租金上涨。",
        "包装盒已破损，请核实。",
    ] {
        check(input, &[]);
    }
    // A name whose first two characters make a word, or a compound surname, is still a name
    // before a title.
    check("王国庆先生您好", &[(PersonNameZh, "王国庆")]);
    check("欧阳娜娜女士您好", &[(PersonNameZh, "欧阳娜娜")]);
    check("李子涵女士您好", &[(PersonNameZh, "李子涵")]);
    // With a cue the same characters are a name; before a title alone, the word.
    check("司机高峰已到达上车点", &[(PersonNameZh, "高峰")]);
    check("项目经理：朱子豪", &[(PersonNameZh, "朱子豪")]);
    check("王建国先生您好", &[(PersonNameZh, "王建国")]);
}

#[test]
fn roles_greetings_and_form_blanks_before_a_name() {
    check("我是新来的实习生唐嫣。", &[(PersonNameZh, "唐嫣")]);
    check("房东王建国说下周修好", &[(PersonNameZh, "王建国")]);
    check("早上好贾玲！", &[(PersonNameZh, "贾玲")]);
    check("恭喜韦丽获得一等奖", &[(PersonNameZh, "韦丽")]);
    // A verb right after ends the name the rule reads.
    check("司机王芳发来一张图片", &[(PersonNameZh, "王芳")]);
    check("姓名：______张三丰______", &[(PersonNameZh, "张三丰")]);
    // A role word before a common word is no name.
    check("员工管理办法", &[]);
    check("学生安全教育", &[]);
}

#[test]
fn a_greeting_is_not_part_of_the_name_it_addresses() {
    for (input, name) in [
        ("Hey Dmitri,", "Dmitri"),
        ("Hiya Liam, quick one.", "Liam"),
        ("Yo Mike, you around?", "Mike"),
        ("Good morning Sarah!", "Sarah"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
    check("Merry Christmas and Happy New Year", &[]);
}

#[test]
fn job_titles_and_company_words_are_no_names() {
    check("Vice President, Global Operations", &[]);
    check("Invoice from Kingston Technology attached.", &[]);
    check("Head of Sales", &[]);
}

#[test]
fn interface_and_invoice_phrases_are_no_names() {
    for input in [
        "Sign In | Create Account | Forgot Password",
        "Docker Compose file for Local Development",
        "Payment Terms: Net 30",
        "Last Modified By: System Administrator",
        "Click Here To Unsubscribe",
    ] {
        check(input, &[]);
    }
    check(
        "Project Lead: Elena Petrova",
        &[(PersonNameEn, "Elena Petrova")],
    );
}

/// A title between a greeting and a name is neither the name nor in the way of it; the name
/// after it is the name alone.
#[test]
fn a_title_after_a_greeting_is_not_a_name() {
    for (input, name) in [
        ("Dear Prof. Wong,", "Wong"),
        ("Dear Prof. Helen Wong,", "Helen Wong"),
        ("Hello Professor Garcia,", "Garcia"),
        ("Thanks, Dr Kumar", "Kumar"),
        ("Hi Dr. Kumar!", "Kumar"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
    check("Dear Professor,", &[]);
    check("Hello Prof.", &[]);
}

/// A month that is also a given name begins a name after a name cue when a surname follows;
/// alone, or before a number, it stays a month.
#[test]
fn a_month_that_is_a_given_name() {
    check("Name: April Tate", &[(PersonNameEn, "April Tate")]);
    check(
        "Passenger: June Wong, April Lee",
        &[(PersonNameEn, "June Wong"), (PersonNameEn, "April Lee")],
    );
    check("Name: May", &[]);
    check("Date: June 2024", &[]);
}

/// A name asked to act (`请`, `让`, `由`, `叫`, `派` before it, a verb after it) is a name; the
/// same characters before words, times and places are not.
#[test]
fn a_person_asked_to_act() {
    for (input, name) in [
        ("请刘洋发言。", "刘洋"),
        ("请张伟到前台领取快递。", "张伟"),
        ("让李娜负责这个项目。", "李娜"),
        ("由王芳签字确认。", "王芳"),
        ("会议由黄晓明主持。", "黄晓明"),
    ] {
        check(input, &[(PersonNameZh, name)]);
    }
    for input in [
        "请于明天到现场。",
        "请马上到前台。",
        "叫车到小区门口。",
        "请全体人员到场。",
        "请相关部门负责。",
        "请周一到岗。",
        "由于天气原因取消。",
    ] {
        check(input, &[]);
    }
}

/// A sign-off on the same line as the name it signs: the name is found, the sign-off word is
/// not a name.
#[test]
fn a_sign_off_before_a_name_on_its_line() {
    check("Best, Tom", &[(PersonNameEn, "Tom")]);
    check("Regards Tom Hughes", &[(PersonNameEn, "Tom Hughes")]);
    check("Best,", &[]);
    check("Best wishes, Ahmed", &[(PersonNameEn, "Ahmed")]);
    check("Wishes Tom well", &[]);
}

/// Parties and roles of reports and project files name a person after a label; a rank may
/// stand between the label and the name; a middle initial may go without its dot.
#[test]
fn roles_ranks_and_middle_initials() {
    for (input, name) in [
        ("Witness: Owen Fitzgerald", "Owen Fitzgerald"),
        ("author = \"Nathan Cole\"", "Nathan Cole"),
        ("Reviewer: Hannah Schmidt", "Hannah Schmidt"),
        ("Reported by: Officer Daniel Reyes", "Daniel Reyes"),
        ("Customer: Sgt. Daniel Reyes", "Daniel Reyes"),
        ("Cardholder: John A Smith", "John A Smith"),
        ("Cardholder: JOHN A SMITH", "JOHN A SMITH"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
    // The same role words before a bare space begin a phrase; a rank or a placeholder alone
    // is no name.
    for input in [
        "See the Witness Protection Program.",
        "Reviewer Comments are attached.",
        "Officer Training Program starts Monday.",
        "Author: Unknown",
        "Victim: Sgt.",
    ] {
        check(input, &[]);
    }
}

/// Chats' system lines (`王芳撤回了一条消息`), a function word that is also a surname before a
/// surname and a title (`和陈总`), names spaced out by OCR or a form (`姓 名 赵 丽 华`).
#[test]
fn chat_lines_function_words_and_spaced_names() {
    for (input, name) in [
        ("王芳撤回了一条消息", "王芳"),
        ("我跟王经理说了。", "王"),
        ("明天和李经理见面。", "李"),
        ("姓 名 赵 丽 华", "赵 丽 华"),
        ("姓名 ：钱 多多", "钱 多多"),
        ("乘客 李 娜", "李 娜"),
    ] {
        check(input, &[(PersonNameZh, name)]);
    }
    // Spaced running text is no name, nor a spaced name without a label.
    for input in ["姓名：王 小 明 同 学 们", "我 是 王 芳"] {
        check(input, &[]);
    }
}

/// One word is a name after a title or a label of one part of a name; more sign-offs and
/// greetings; `on behalf of` names a person.
#[test]
fn one_word_after_a_title_or_a_name_part_label() {
    for (input, name) in [
        ("Ms. Okonkwo confirmed the booking.", "Okonkwo"),
        ("Mr Li will arrive at 10.", "Li"),
        ("Last name: Dubois", "Dubois"),
        ("Surname: Fischer", "Fischer"),
        ("\"last_name\": \"Nakamura\"", "Nakamura"),
        ("Thanks again, Olivia!", "Olivia"),
        ("Sincerely yours,\nEdward\n", "Edward"),
        ("On behalf of Jennifer Walsh, I confirm.", "Jennifer Walsh"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
    for input in [
        "Mr. and Mrs. attended.",
        "Surname: Unknown",
        "Last name: N/A",
        "Thanks again, Team!",
    ] {
        check(input, &[]);
    }
}

/// Names with letters of Latin-1 and Latin Extended-A after an ASCII first letter.
#[test]
fn names_with_accented_letters() {
    for (input, name) in [
        ("Full name: José García López", "José García López"),
        ("Name: Jörg Müller", "Jörg Müller"),
        ("Surname: MÜLLER", "MÜLLER"),
        ("Dear Mr. Dvořák,", "Dvořák"),
        ("NAME: FRANÇOIS DUPONT", "FRANÇOIS DUPONT"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
    // A multiplication sign is no letter; a word that goes on in lower case after its
    // capital is no all-caps name.
    check("Name: A×B", &[]);
}

/// A name whose first letter is accented, after a name cue.
#[test]
fn names_that_begin_with_an_accented_letter() {
    for (input, name) in [
        ("Customer: Łukasz Kowalczyk", "Łukasz Kowalczyk"),
        ("Name: Zoë Ångström", "Zoë Ångström"),
        ("Driver: José Ángel Ruiz", "José Ángel Ruiz"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
    check("Émile called.", &[]);
    check("Name: Ø", &[]);
    // Without a cue, the name model reads them as it reads ASCII ones; a greeting's name too.
    check(
        "Łukasz Kowalczyk will join at 10:00",
        &[(PersonNameEn, "Łukasz Kowalczyk")],
    );
    check("Ángel Núñez said hi", &[(PersonNameEn, "Ángel Núñez")]);
    check("Thanks, Ólafur!", &[(PersonNameEn, "Ólafur")]);
}

#[test]
fn a_time_of_day_and_a_street_type_are_no_part_of_a_name() {
    check(
        "On Mon, Mar 3, 2025 at 9:14 AM Peter Wright <pw@example.com> wrote:",
        &[(PersonNameEn, "Peter Wright"), (Email, "pw@example.com")],
    );
    check("Call at 4 PM Laura Chen", &[(PersonNameEn, "Laura Chen")]);
    check("We met at 12 Main St yesterday", &[]);
    check("Our office: 7 Oak Ave, Springfield", &[]);
}

#[test]
fn name_keys_written_as_one_word() {
    for (input, name) in [
        (r#""fullName": "Amelia Earhart","#, "Amelia Earhart"),
        (r#"{"displayName": "Amelia Earhart"}"#, "Amelia Earhart"),
        ("customerName=Amelia Earhart", "Amelia Earhart"),
        ("contact_name: Amelia Earhart", "Amelia Earhart"),
        (r#""firstName": "Amelia""#, "Amelia"),
        (r#""lastName": "Earhart""#, "Earhart"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
}

#[test]
fn places_and_firms_the_model_would_take_for_names() {
    for place in [
        "Los Angeles",
        "San Francisco",
        "Cape Town",
        "North Carolina",
        "Pearl River",
        "Silicon Valley",
        "Wells Fargo",
        "Morgan Stanley",
    ] {
        check(&format!("They flew to {place} on Monday."), &[]);
        // Its last word is not read alone either.
        check(&format!("| {place} | 12 |"), &[]);
    }
    // A person in the same places is still one; a name cue still reads what follows it.
    check(
        "They flew with Taylor Swift on Monday.",
        &[(PersonNameEn, "Taylor Swift")],
    );
    check("Name: Santa Clara", &[(PersonNameEn, "Santa Clara")]);
}

#[test]
fn cities_and_family_villages_are_places() {
    for input in [
        "秦皇岛",
        "| 连云港 | 12 |",
        "出发地：马鞍山，天气晴",
        "王家庄",
        "住在李家湾附近",
    ] {
        check(input, &[]);
    }
    // A village's 村 is still the address rules' to read; a name with 家 is still a name.
    check("何家村3组12号", &[(AddressZh, "何家村3组12号")]);
    check("乘客王家明已上车", &[(PersonNameZh, "王家明")]);
    check("何家伟明天到", &[(PersonNameZh, "何家伟")]);
}

#[test]
fn job_titles_are_no_names() {
    // The line under a signature, a list of roles: a role, not a person.
    check(
        "Best regards,\nMichael O'Brien\nSenior Analyst",
        &[(PersonNameEn, "Michael O'Brien")],
    );
    for role in [
        "Data Analyst",
        "Lead Architect",
        "Executive Assistant",
        "General Counsel",
    ] {
        check(&format!("| {role} | 3 |"), &[]);
    }
    // A surname that is no title word is still read.
    check(
        "Approved by the board and Dana Whitfield.",
        &[(PersonNameEn, "Dana Whitfield")],
    );
}

#[test]
fn recipients_in_mail_headers() {
    check(
        "CC: John Smith; Mary Jones",
        &[(PersonNameEn, "John Smith"), (PersonNameEn, "Mary Jones")],
    );
    check(
        "> Bcc: Omar Khan, Lisa Ray",
        &[(PersonNameEn, "Omar Khan"), (PersonNameEn, "Lisa Ray")],
    );
    check(
        "Attn: Priya Natarajan",
        &[(PersonNameEn, "Priya Natarajan")],
    );
    // Only at a line's start, before a colon: a word `cc` elsewhere is no label.
    check("The engine is 250 cc: Honda made it.", &[]);
}

#[test]
fn surname_first_after_a_label() {
    for (input, name) in [
        ("Patient: Doe, John", "Doe, John"),
        ("Patient: DOE, JOHN", "DOE, JOHN"),
        ("Claimant: Okafor, Chinedu A.", "Okafor, Chinedu A."),
        ("Policyholder: Ruiz, Ana Maria\n", "Ruiz, Ana Maria"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
    // A list of one-word names is no surname and given name: each is a given name alone.
    let three = [
        (PersonNameEn, "Tom"),
        (PersonNameEn, "Lisa"),
        (PersonNameEn, "Omar"),
    ];
    check("Participants: Tom, Lisa, Omar", &three);
    check("Participants: Tom, Lisa and Omar", &three);
    // Cases differ: no pair.
    check("Patient: DOE, John", &[]);
}

#[test]
fn parties_of_forms_and_transcripts() {
    for label in [
        "Speaker",
        "Guardian",
        "Signatory",
        "Payee",
        "Spouse",
        "Next of kin",
    ] {
        check(
            &format!("{label}: Elena Petrova"),
            &[(PersonNameEn, "Elena Petrova")],
        );
    }
}

#[test]
fn mentions_of_a_whole_name() {
    check(
        "@Rachel Green please review the PR",
        &[(PersonNameEn, "Rachel Green")],
    );
    check("thanks @Rachel Green!", &[(PersonNameEn, "Rachel Green")]);
    // A word the line begins with after the mention is no surname.
    check("@Rachel Can you review?", &[(PersonNameEn, "Rachel")]);
    check("@Rachel Thanks!", &[(PersonNameEn, "Rachel")]);
}

/// A given name and a capitalised word after it are a whole name without a cue (`I met Sarah
/// Johnson`), a middle initial allowed; not a firm or an institute named after a person, and
/// the word that begins a sentence is no part of the name.
#[test]
fn whole_names_without_a_cue() {
    for (input, name) in [
        ("I met Sarah Johnson at the conference.", "Sarah Johnson"),
        ("Sarah Johnson met me today.", "Sarah Johnson"),
        ("Unfortunately Sarah Johnson is away.", "Sarah Johnson"),
        ("Today John Smith called.", "John Smith"),
        ("John F. Kennedy was president.", "John F. Kennedy"),
        (
            "My name is Oliver Bennett and I am writing.",
            "Oliver Bennett",
        ),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
    for input in [
        "Adam Smith Institute",
        "Experience: 13 years at Thomas PLC",
        "Victoria Station",
    ] {
        check(input, &[]);
    }
    // The word before is no part of the name; the given name alone is one.
    check(
        "Yesterday Marcus called about the refund.",
        &[(PersonNameEn, "Marcus")],
    );
}

/// A rank, a title of office or a kinship word before a whole name reads it, and is no part
/// of it (`Officer Daniel Reyes took the statement`, `CEO Sarah Johnson said`); before a
/// single word, or words that are no given name, it reads nothing (`Captain America`).
#[test]
fn ranks_and_titles_before_a_name() {
    for (input, name) in [
        ("Officer Daniel Reyes took the statement.", "Daniel Reyes"),
        ("Judge Amy Berman presided.", "Amy Berman"),
        ("CEO Sarah Johnson said hi", "Sarah Johnson"),
        ("Agent Marcus joined the chat", "Marcus"),
        ("Pt seen by RN Becky Hollis today", "Becky Hollis"),
        ("Prescriber: Dr Emeka Nwosu MBBS", "Emeka Nwosu"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
    for input in ["Captain America", "Officer Training Program starts Monday."] {
        check(input, &[]);
    }
}

/// Mail headers list names surname first, split at `;` (`To: Baker, Lisa; Ortiz, Carlos`),
/// quoted or not.
#[test]
fn surname_first_lists_in_mail_headers() {
    check(
        "From: Anderson, Paul J.\nTo: Baker, Lisa; Ortiz, Carlos",
        &[
            (PersonNameEn, "Anderson, Paul J."),
            (PersonNameEn, "Baker, Lisa"),
            (PersonNameEn, "Ortiz, Carlos"),
        ],
    );
    check(
        "To: \"Doe, John\" <jdoe@acme.com>",
        &[(PersonNameEn, "Doe, John"), (Email, "jdoe@acme.com")],
    );
    check("To: Sales Team", &[]);
}

/// A Chinese name in a table's cell after another cell takes its column's name as its cue;
/// a name masked with 某 is none; traditional-script surnames and labels; roles of records
/// and offices before a name; party keys written in camelCase.
#[test]
fn chinese_names_in_cells_masked_traditional_and_after_roles() {
    check(
        "序号,姓名,部门\n1,李雷,运输部\n2,王强,财务部",
        &[(PersonNameZh, "李雷"), (PersonNameZh, "王强")],
    );
    check(
        "序号\t姓名\t部门\n1\t李雷\t运输部",
        &[(PersonNameZh, "李雷")],
    );
    check("城市,区县\n深圳,龙华区", &[]);
    check("原告：李某，女，被告人王某某，男", &[]);
    for (input, name) in [
        ("姓名：陳大文", "陳大文"),
        ("收件人：黃志明先生", "黃志明"),
        ("申請人：張家豪", "張家豪"),
        ("病人刘大海因胸痛入院", "刘大海"),
        ("家属赵春梅签字同意手术", "赵春梅"),
        ("总经理王军出席了会议", "王军"),
        ("{\"driverName\":\"赵刚\"}", "赵刚"),
        ("{\"receiverName\":\"尹红\"}", "尹红"),
    ] {
        check(input, &[(PersonNameZh, name)]);
    }
}

/// A chat's speaker by a given name and a colon at a line's start or after its time; firms,
/// shops, committees, headings, streets and professions are no person, after a cue as well;
/// labels and placeholders of forms are no name.
#[test]
fn speakers_and_what_is_no_person() {
    check(
        "[14:02] Emma: are you coming?\nLucas: ok see you at 6",
        &[(PersonNameEn, "Emma"), (PersonNameEn, "Lucas")],
    );
    check(
        "Anna K.: can you send the file?",
        &[(PersonNameEn, "Anna K.")],
    );
    for input in [
        "Note: this is fine",
        "Best regards,\nNorthwind Traders",
        "This is a call from Beacon Dental.",
        "Courier: DHL Express",
        "Delivery Partner: Swift Couriers",
        "Release Notes\nBug Fixes\nKnown Issues",
        "Signed: Authorised Signatory",
        "Dear Hiring Committee,",
        "Dear Valued Member,",
        "Customer: Walk-in",
        "Contact Person: N/A",
        "First Name | Last Name | Email",
        "12 Harbour Way",
    ] {
        check(input, &[]);
    }
    check("Name: Santa Clara", &[(PersonNameEn, "Santa Clara")]);
}

/// A title the model would take into a name is left out (`客户王女士反映`: the surname alone, as
/// the rule reads it); verbs and nouns after a name end it (`刘红诉被告`, `周强正在`, `周海合同`);
/// words a form puts after a party's label are no name (`签收人：门卫`).
#[test]
fn what_ends_a_chinese_name_and_what_is_none() {
    for (input, name) in [
        ("客户王女士反映快递丢失", "王"),
        ("骑手周强正在为您配送", "周强"),
        ("快递员王海送货上门", "王海"),
        ("张伟表示同意", "张伟"),
    ] {
        check(input, &[(PersonNameZh, name)]);
    }
    check(
        "原告刘红诉被告周海合同纠纷",
        &[(PersonNameZh, "刘红"), (PersonNameZh, "周海")],
    );
    for input in [
        "签收人：门卫",
        "联系人：管理员",
        "政治面貌：党员",
        "备注：易碎品",
    ] {
        check(input, &[]);
    }
}

/// Titles of office after a Chinese name end it (`陈红主任`, `王磊副总经理`, `王志明同志`); a
/// division at the end of an address, a role word and a label are no name (`吴中区`, `班主任`,
/// `曾用名`).
#[test]
fn titles_after_a_chinese_name_and_words_that_are_none() {
    for (input, name) in [
        ("据陈红主任介绍，该项目已完工。", "陈红"),
        ("何平警官告诉记者", "何平"),
        ("王磊副总经理表示同意。", "王磊"),
        ("侯勇班长带领大家。", "侯勇"),
        ("关于王志明同志任职的通知", "王志明"),
        ("班主任：刘芳", "刘芳"),
        ("姓名：胡静\n曾用名：无", "胡静"),
    ] {
        check(input, &[(PersonNameZh, name)]);
    }
    check(
        "住址：江苏省苏州市吴中区",
        &[(AddressZh, "江苏省苏州市吴中区")],
    );
}

/// Surnames with lower-case particles after a cue (`Ludwig van Beethoven`, `Juan de la Cruz`);
/// parties of invoices and bookings as cues, a second label on the line after the name; labels
/// and values of forms that are no person (`Job Title:`, `Boarding Pass`, `Frequent Flyer:`).
#[test]
fn particles_parties_and_labels_of_forms() {
    for (input, name) in [
        ("Name: Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("Customer: Juan de la Cruz", "Juan de la Cruz"),
        ("Contact: Ursula von der Leyen", "Ursula von der Leyen"),
        ("Customer: Ahmad bin Abdullah", "Ahmad bin Abdullah"),
        ("References: Heather Hall, with thanks", "Heather Hall"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
    check(
        "Bill To: Zhang Wei   Ship To: Li Na",
        &[(PersonNameEn, "Zhang Wei"), (PersonNameEn, "Li Na")],
    );
    check(
        "Receiver: Zhang Wei   Tel: 13800001111",
        &[(PersonNameEn, "Zhang Wei"), (CnMobile, "13800001111")],
    );
    for input in [
        "Job Title: Logistics Coordinator",
        "Frequent Flyer: AF123456",
        "BOARDING PASS\nGATE 23",
        "Cabin: Premium Economy",
    ] {
        check(input, &[]);
    }
    // A particle that ends the line is no part of the name.
    check("Name: John de", &[(PersonNameEn, "John")]);
}

/// A Chinese name that is the whole text of an HTML element or a quoted SQL value; not a word,
/// a division or a department.
#[test]
fn chinese_names_alone_in_elements_and_quoted_values() {
    check(
        "<li>王芳</li><li>李静</li>",
        &[(PersonNameZh, "王芳"), (PersonNameZh, "李静")],
    );
    check(
        "INSERT INTO emp VALUES (3,'刘洋','财务部');",
        &[(PersonNameZh, "刘洋")],
    );
    for input in ["<td>黄金</td>", "VALUES('高速')", "<td>龙华区</td>"] {
        check(input, &[]);
    }
}
