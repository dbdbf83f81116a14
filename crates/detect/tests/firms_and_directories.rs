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
    // Lists, greetings, words and places before a comma are no such name.
    check("Hi, Kevin", &[(PersonNameEn, "Kevin")]);
    check("Yes, Emily:", &[]);
    check("Paris, France:", &[]);
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
}

#[test]
fn firms_brands_and_streets_are_no_people() {
    check("Sales Director, Harris & Sons Plumbing (2007–2011)", &[]);
    check("Ben & Jerry's Cookie Dough       2    11.00", &[]);
    check(
        "Bill To:\nFord Motor Company\nAttn: Rita Wu",
        &[(PersonNameEn, "Rita Wu")],
    );
    check("Bill To:\nWells Fargo\n", &[]);
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
