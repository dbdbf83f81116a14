//! Latin-script names where no cue stands, and capitalised words that are no person: a known
//! given name alone, a chat export's speaker before the time, mentions before a Chinese
//! message; headings, firms and forms' choices that end in a common English word or hold a
//! currency's or an airport's code.

mod common;
use common::check;
use custodian_detect::PiType::{self, *};

/// `input` holds a finding of type `ty` whose text is `name` (other findings may stand beside).
fn finds(input: &str, ty: PiType, name: &str) {
    let found = custodian_detect::Detector::new().scan_str(input);
    assert!(
        found
            .iter()
            .any(|f| f.pi_type == ty && &input[f.bstart..f.bend] == name),
        "{input}: {name} not in {found:?}"
    );
}

/// `input` holds no finding of type `ty`.
fn finds_no(input: &str, ty: PiType) {
    let found = custodian_detect::Detector::new().scan_str(input);
    assert!(!found.iter().any(|f| f.pi_type == ty), "{input}: {found:?}");
}

#[test]
fn a_known_given_name_alone_in_running_text() {
    for (input, name) in [
        ("Hannah said the Marriott Marquis is fully booked", "Hannah"),
        ("Tom: ask Emily about the invoice", "Emily"),
        ("Thanks Tom for the update", "Tom"),
        ("I told Kevin already.", "Kevin"),
        ("Who's bringing cake for Siobhan's farewell?", "Siobhan"),
        ("请联系Kevin处理", "Kevin"),
    ] {
        finds(input, PersonNameEn, name);
    }
    // Not a firm's partners, nor glued to an address, nor part of a place.
    for input in [
        "Experience: 6 years as Data Analyst at James, Stephens and Gonzales; previously",
        "Site Reliability Engineer at Mcknight, White and Thomas; previously",
        "mail emily.clark@example.com today",
        "Richmond, West Virginia",
    ] {
        finds_no(input, PersonNameEn);
    }
    // A list of given names: each.
    check(
        "Apologies from Harvey, Priya and Connor",
        &[
            (PersonNameEn, "Harvey"),
            (PersonNameEn, "Priya"),
            (PersonNameEn, "Connor"),
        ],
    );
}

#[test]
fn a_chat_exports_speaker_before_the_time() {
    check("Zhang Wei 10:42\n好的", &[(PersonNameEn, "Zhang Wei")]);
    check(
        "Zhang Wei 2024-03-08 10:42:05\n好的",
        &[(PersonNameEn, "Zhang Wei")],
    );
    check("Emily 9:05 AM\nok", &[(PersonNameEn, "Emily")]);
    // Not a word that is no name, nor a time inside a line, nor one unknown word.
    check("Meeting 10:42\nagenda", &[]);
    check("Room 10:42\nx", &[]);
    check("Xiaoming 10:42\nok", &[]);
    check("Departure 10:42 from Gate 3", &[]);
}

#[test]
fn a_mention_before_a_chinese_message() {
    check("@Emily Clark 收到", &[(PersonNameEn, "Emily Clark")]);
    check("@Emily Clark收到", &[(PersonNameEn, "Emily Clark")]);
    check(
        "@Arjun Mehta @Sophie Laurent please review",
        &[
            (PersonNameEn, "Arjun Mehta"),
            (PersonNameEn, "Sophie Laurent"),
        ],
    );
}

#[test]
fn words_that_end_in_a_common_english_word_are_no_person() {
    for input in [
        "Root Cause Analysis",
        "Motion to approve the 2025 Operating Plan",
        "Rating: Exceeds Expectations",
        "To: Accounts Payable",
        "Landlord: Harcourt Lettings",
        "Babajide Ogunleye, PhD\nSenior Lecturer",
        "Dessert: Black Forest Gateau",
    ] {
        let found = custodian_detect::Detector::new().scan_str(input);
        let names: Vec<&str> = found
            .iter()
            .filter(|f| f.pi_type == PersonNameEn)
            .map(|f| &input[f.bstart..f.bend])
            .collect();
        assert!(
            names.iter().all(|n| *n == "Babajide Ogunleye"),
            "{input}: {names:?}"
        );
    }
    // Names whose words are words too stay names.
    check("Name: Grace Baker", &[(PersonNameEn, "Grace Baker")]);
    check("Grace Baker will call", &[(PersonNameEn, "Grace Baker")]);
}

#[test]
fn capitals_with_a_common_word_or_a_code_are_no_person() {
    for input in [
        "Route: PVG/LAX",
        "Account: SAVINGS/CURRENT",
        "FOR OFFICE USE ONLY",
        "Rate CNY/USD 7.1",
    ] {
        check(input, &[]);
    }
    check("NAME: ZHANG/WEI MR", &[(PersonNameEn, "ZHANG/WEI")]);
    check("1.1WANG/XIAOMING MR", &[(PersonNameEn, "WANG/XIAOMING")]);
}

#[test]
fn owners_of_action_items_and_signatures_in_quoted_replies() {
    check(
        "Actions:\n- [ ] Hale to send the draft",
        &[(PersonNameEn, "Hale")],
    );
    check(
        "- [x] Mei-Ling will book the room",
        &[(PersonNameEn, "Mei-Ling")],
    );
    check("Action: Okafor to circulate", &[(PersonNameEn, "Okafor")]);
    for input in [
        "- [ ] Finance to review",
        "- [ ] All to read",
        "- [ ] Ops to confirm",
        "- [ ] Update the deck",
        "Hale to send the draft",
    ] {
        check(input, &[]);
    }
    check("> Best,\n> Hale", &[(PersonNameEn, "Hale")]);
    check("Best,\nJean-Luc", &[(PersonNameEn, "Jean-Luc")]);
    check("Hi Anne-Marie,", &[(PersonNameEn, "Anne-Marie")]);
    // A chat export's time aligned with spaces; a name at the input's very end.
    check("ZHANG Wei  9:05 PM\nok", &[(PersonNameEn, "ZHANG Wei")]);
    check(
        "LIU Yang 2024年3月8日 10:42\n好的",
        &[(PersonNameEn, "LIU Yang")],
    );
    for input in ["2024 Kevin-Li", "Zhang Wei ", "Zhang Wei  ", "Zhang Wei 1"] {
        custodian_detect::Detector::new().scan_str(input);
    }
}

#[test]
fn labels_software_signatures_and_booking_elements_are_no_person() {
    for input in [
        "签证 VISAS/TYP: ABCDEF1A",
        "- Spring Boot to 3.2.10",
        "Upgraded Apache Kafka 3.6.1 today",
        "  4. OSI MU CTCM13812345678",
        "MU5101/PVGPEK CA/MU  08MAR24/1200",
    ] {
        finds_no(input, PersonNameEn);
    }
    // A signature's title or firm after its name and a bar; a second person stays.
    check(
        "Emily Clark | Northwind Trading Company",
        &[(PersonNameEn, "Emily Clark")],
    );
    check(
        "Emily Clark | Kevin Li",
        &[(PersonNameEn, "Emily Clark"), (PersonNameEn, "Kevin Li")],
    );
    check(
        "| Emily Clark | Kevin Li |",
        &[(PersonNameEn, "Emily Clark"), (PersonNameEn, "Kevin Li")],
    );
    // A hyphenated given name whole.
    check(
        "reviewed by Sarah-Jane Cole in the QA team",
        &[(PersonNameEn, "Sarah-Jane Cole")],
    );
}

/// Faults a review of the rules above found, each a case: names that are words too after a
/// cue, booking names before a colon, names after a bar, codes that are names, verbs that
/// begin action items, lone names that are months, places or things, hyphens glued to prose,
/// schedules and world clocks before a time, approval chains, scores.
#[test]
fn what_the_review_found() {
    for (input, name) in [
        ("Name: Alicia Keys", "Alicia Keys"),
        ("Name: Emily Gold", "Emily Gold"),
        ("NAME: JOHN GOLD", "JOHN GOLD"),
        ("I met Sarah Sale yesterday.", "Sarah Sale"),
        ("WANG/XIAOMING: seat 32A", "WANG/XIAOMING"),
        ("Booking for CHEN/JIE: confirmed", "CHEN/JIE"),
        ("Passenger: SIN/YEEMAN", "SIN/YEEMAN"),
        ("Passenger: NGUYEN/BA MR", "NGUYEN/BA"),
        ("Final scores\nLi Na 9.5", "Li Na"),
        ("Emily Clark | Wang Fang | Li Na", "Wang Fang"),
        ("Emily Clark | Wang Fang | Li Na", "Li Na"),
        ("Maybe Kevin knows.", "Kevin"),
        ("When Emily arrived, we left.", "Emily"),
        ("Kevin and Zhang Wei went home.", "Kevin"),
    ] {
        finds(input, PersonNameEn, name);
    }
    for input in [
        "- [ ] Need to send the report",
        "- [ ] Chase the invoice",
        "TODO: Try to fix the build",
        "- [ ] Someone to book the room",
        "Pay by Jan 31.",
        "We moved to Virginia last year.",
        "Jasmine rice, 2 cups",
        "Hi All-Hands,",
        "Best,\nCo-Founder",
        "Thanks, Follow-Up.",
        "Tea Break 10:30\nKeynote Speech 11:00\nLunch 12:30",
        "Hong Kong 10:00\nSao Paulo 23:00",
    ] {
        finds_no(input, PersonNameEn);
    }
    check("UK-Emily Clark joined.", &[(PersonNameEn, "Emily Clark")]);
    check(
        "审批流程：张伟 → 李娜 → 王芳",
        &[
            (PersonNameZh, "张伟"),
            (PersonNameZh, "李娜"),
            (PersonNameZh, "王芳"),
        ],
    );
}

/// The bar and hyphen rules read bounded windows: a long line of them scans in linear time.
#[test]
fn long_lines_of_bars_and_hyphens_stay_linear() {
    for unit in ["Zhou Xun | ", "Ab-", "- [ ] Hale to ", "Emily Clark | "] {
        let text = unit.repeat(200_000 / unit.len());
        let start = std::time::Instant::now();
        custodian_detect::Detector::new().scan_str(&text);
        let took = start.elapsed();
        // 200 KB at the engine's slowest observed rate takes well under a second; a quadratic
        // rule takes tens of seconds.
        assert!(took.as_secs() < 10, "{unit:?}: {took:?}");
    }
}
