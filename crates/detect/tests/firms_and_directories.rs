//! Latin-script names as directories, chats and forms write them — the surname first with a
//! comma, a middle initial with its dot, a surname with its particles — and the firms, brands
//! and streets that look like names and are none.

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
        common_spans(&long).iter().all(|(_, s)| s.len() < 64),
        "a name of a thousand particles"
    );
}

fn common_spans(input: &str) -> Vec<(PiType, String)> {
    custodian_detect::Detector::new()
        .scan_str(input)
        .into_iter()
        .map(|f| (f.pi_type, input[f.bstart..f.bend].to_string()))
        .collect()
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
}
