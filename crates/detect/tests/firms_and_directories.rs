//! Latin-script names as directories, chats and forms write them — the surname first with a
//! comma, a middle initial with its dot, a surname with its particles — and the firms, brands
//! and streets that look like names and are none; pinyin and Cantonese names without a cue.

use custodian_detect::PiType;

use PiType::*;
use common::check;

mod common;

#[test]
fn surname_first_with_a_comma_where_a_speaker_or_a_value_stands() {
    check(
        "[21:17] Silva, Jeremy: the address they gave",
        &[(PersonNameEn, "Silva, Jeremy")],
    );
    check(
        "Declared by: Grimes, Kyle   Date: 09/11/2023",
        &[(PersonNameEn, "Grimes, Kyle")],
    );
    check(
        "Hiring Manager: McAllister, David\nDepartment: Sales",
        &[(PersonNameEn, "McAllister, David")],
    );
    // Pinyin after a pinyin surname, as the next of a mail header's list.
    check(
        "To: Amy Welch <amy@example.org>; Zou, Yongkang\n",
        &[
            (PersonNameEn, "Amy Welch"),
            (Email, "amy@example.org"),
            (PersonNameEn, "Zou, Yongkang"),
        ],
    );
    // Lists, greetings, words and places before a comma are no such name; nor a pair after a
    // label that names no person, a bibliography's author, the next of a list of places.
    check("Hi, Kevin", &[(PersonNameEn, "Kevin")]);
    check("Yes, Emily:", &[]);
    check("Paris, France:", &[]);
    check("City: Arlington, Virginia", &[]);
    check("Pets: Max, Bella", &[]);
    check("Smith, John (2003). A study of things.", &[]);
    check(
        "Offices: Paris, France; Atlanta, Georgia; Richmond, Virginia",
        &[],
    );
    check("In the report, Kevin said", &[(PersonNameEn, "Kevin")]);
}

#[test]
fn middle_initials_and_surname_particles() {
    check(
        "REFERENCES\nProf. Lori E. Anderson, Head of Procurement",
        &[(PersonNameEn, "Lori E. Anderson")],
    );
    check(
        "Attn: Daniel J. Van der Berg\n",
        &[(PersonNameEn, "Daniel J. Van der Berg")],
    );
    check(
        "Name: Jerry St. Clair",
        &[(PersonNameEn, "Jerry St. Clair")],
    );
    check(
        "Name: Ludwig van Beethoven",
        &[(PersonNameEn, "Ludwig van Beethoven")],
    );
    // A saint's place after a name is the place; particles are bounded.
    check(
        "Name: John Smith St. Louis",
        &[(PersonNameEn, "John Smith")],
    );
    let long = format!("Name: John {}Smith", "Van ".repeat(1000));
    assert!(
        common::found(&long).iter().all(|(_, s)| s.len() < 64),
        "a name of a thousand particles"
    );
}

#[test]
fn firms_brands_and_streets_are_no_people() {
    check("Sales Director, Harris & Sons Plumbing (2007–2011)", &[]);
    check("Ben & Jerry's Cookie Dough       2    11.00", &[]);
    check(
        "Invoice for Ford Motor Company\nAttn: Rita Wu",
        &[(PersonNameEn, "Rita Wu")],
    );
    check("The samples are with Wells Fargo now.", &[]);
    check("Thompson Freight Inc. will ship it", &[]);
    check("4201 Walnut Lane, Suite 175, Portland", &[]);
    check(
        "Attn: Adam Stevens\n7111 Martin Luther King Jr. Way",
        &[(PersonNameEn, "Adam Stevens")],
    );
    check("The Louis Vuitton samples are in", &[]);
    // After a name's label, a house number's line is still read by the label.
    check(
        "Name: John Smith\n12 Oak Street",
        &[(PersonNameEn, "John Smith")],
    );
    // Labelled names beside an ampersand, names after a list's or a year's number, and people
    // who share a brand's name after a label stay names.
    check(
        "Parents: Michael Brown & Sarah Brown",
        &[
            (PersonNameEn, "Michael Brown"),
            (PersonNameEn, "Sarah Brown"),
        ],
    );
    check(
        "Winners:\n1 John Smith\n2 Jane Doe",
        &[(PersonNameEn, "John Smith"), (PersonNameEn, "Jane Doe")],
    );
    check("Customer: Edward Jones", &[(PersonNameEn, "Edward Jones")]);
}

/// The rules' look-backs are bounded: lines of house numbers before names, of bracketed pairs,
/// of pinyin names scan in linear time.
#[test]
fn long_lines_of_house_numbers_and_pairs_stay_linear() {
    for unit in [
        " 12 John Smith",
        "] Li, Bo;",
        "1332 Walnut Lane, Springfield; ",
        "Jinfeng Xu ",
    ] {
        let text = unit.repeat(400_000 / unit.len());
        let start = std::time::Instant::now();
        custodian_detect::Detector::new().scan_str(&text);
        let took = start.elapsed();
        // 400 KB takes well under a second; the quadratic first cut took tens of seconds.
        assert!(took.as_secs() < 10, "{unit:?}: {took:?}");
    }
}

/// Chinese names in Latin letters without a cue: pinyin in either order, Cantonese with its
/// hyphenated given name in either order; not English words that are pinyin too, not places.
#[test]
fn pinyin_and_cantonese_names_without_a_cue() {
    for (input, name) in [
        (
            "I've looped in Jinfeng Xu from our finance team",
            "Jinfeng Xu",
        ),
        (
            "Exchange student Shen Yaqin, who lives nearby, helped",
            "Shen Yaqin",
        ),
        (
            "audit: operator=Cheng Yue action=reset_password",
            "Cheng Yue",
        ),
        (
            "Questions? Contact LINGHU Laifu at the desk",
            "LINGHU Laifu",
        ),
        ("如有查詢，請聯絡CHOI Hoi-ting。", "CHOI Hoi-ting"),
        ("Contact Tai-man CHAN today", "Tai-man CHAN"),
        ("Please call Ho Wing-yan.", "Ho Wing-yan"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
    for input in [
        "We flew to Hong Kong yesterday",
        "He Can do it",
        "Ping An Insurance",
        "Tai Po Market",
    ] {
        check(input, &[]);
    }
}

/// Chat exports' speaker lines with their times aligned after a gap: any name-shaped words, a
/// hyphenated surname before the comma, a hyphenated given name of two known ones; not a
/// schedule's lines.
#[test]
fn chat_exports_speakers_before_an_aligned_time() {
    check(
        "exported 2023-11-15\n\nHala Al-Zahrani  2:16 PM\ncustomer on the call\nSimon Smith  3:01 PM\nok",
        &[
            (PersonNameEn, "Hala Al-Zahrani"),
            (PersonNameEn, "Simon Smith"),
        ],
    );
    check(
        "Chat\nHicks-Morris, Daniel  11/25 11:41 AM\nSharing my screen now\n",
        &[(PersonNameEn, "Hicks-Morris, Daniel")],
    );
    check("Agenda\nTea Break  10:30\nKeynote  11:00\n", &[]);
    check("Schedule\nOpening Remarks  09:00\nwelcome all\n", &[]);
}

/// Storms, venues, churches, journals, courts and a few firms named like people.
#[test]
fn storms_venues_journals_and_courts_are_no_people() {
    for text in [
        "and all those affected by Tropical Storm Helene.",
        "and all those affected by Hurricane Harvey.",
        "12:00  Lunch — Franklin Ballroom",
        "Grace Community Church\nSunday Bulletin",
        "Heat mortality in cities. PLOS ONE, 11(2), 236–246.",
        "UNITED STATES COURT OF APPEALS\nFOR THE FOURTH CIRCUIT\n",
    ] {
        check(text, &[]);
    }
}

/// A firm's legal form or kind after the words makes them no person even after a name's
/// label; a person after the label stays one.
#[test]
fn a_legal_form_after_a_label_is_a_firm() {
    check("Customer: Dunder Mifflin Paper Company", &[]);
    check("Landlord: Greystar Real Estate Partners", &[]);
    check("Lender: Quicken Loans", &[]);
    check("Customer: Edward Jones", &[(PersonNameEn, "Edward Jones")]);
}

/// A firm's legal form as the last word, a firm of the list, a street's long word last or
/// after the words are no person whatever label stands before; a given name and a street's
/// word alone may be one.
#[test]
fn firms_and_streets_whatever_the_label() {
    check("Bill to:\nWalker Thompson LLP\n", &[]);
    check("Tenant: Wilson Elser LLP", &[]);
    check("Sent from Goldman Sachs", &[]);
    check("Turn left on Jefferson Davis Highway", &[]);
    check("Address: Martin Luther King Jr Way, Berkeley", &[]);
    check("Billing: Hamilton Beach Brands", &[]);
    check("Dear Anna Court,", &[(PersonNameEn, "Anna Court")]);
}
