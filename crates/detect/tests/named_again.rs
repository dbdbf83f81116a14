//! A person named again by one word of a name found whole nearby.

mod common;

use common::{check, found};
use custodian_detect::PiType::PersonNameEn;

#[test]
fn a_word_of_a_name_found_whole_names_the_person_alone() {
    // A court opinion: the surname alone, after a title, and in capitals.
    check(
        "Opinion by Judge Flor. Plaintiff Daniel Milcarz appeals. Milcarz worked as a claims \
         adjuster; the court held that Milcarz had not shown pretext.",
        &[
            (PersonNameEn, "Flor"),
            (PersonNameEn, "Daniel Milcarz"),
            (PersonNameEn, "Milcarz"),
            (PersonNameEn, "Milcarz"),
        ],
    );
    // A match report: the possessive stays out; the given name alone in a chat.
    check(
        "He scored from a cross by Daniel Perez. Then Perez's shot was parried, and Daniel ran on.",
        &[
            (PersonNameEn, "Daniel Perez"),
            (PersonNameEn, "Perez"),
            (PersonNameEn, "Daniel"),
        ],
    );
    check(
        "Minutes taken by Noura Haddad.\nHADDAD, Chair: the meeting opened at 4:46 PM.",
        &[(PersonNameEn, "Noura Haddad"), (PersonNameEn, "HADDAD")],
    );
}

#[test]
fn a_word_of_a_name_joined_to_other_words_is_not_the_person() {
    // Joined to other capitalised words, an ampersand or a state's code; a word of the
    // language; a `Surname, Given` pair written whole.
    for (text, word) in [
        (
            "Contact: Robert Johnson. Funded by the Wood Johnson Foundation.",
            "Johnson",
        ),
        (
            "Contact: Robert Johnson. Audited by Johnson & Johnson.",
            "Johnson",
        ),
        (
            "Contact: Austin Brown. Our office in Austin, TX opened.",
            "Austin",
        ),
        ("Contact: Grace Young. Young drivers pay more.", "Young"),
        (
            "Attendees: Müller, Chloé; Sarah Nguyen. Chair: Müller, Chloé.",
            "Chloé",
        ),
    ] {
        let found = found(text);
        assert!(
            !found.iter().any(|(t, s)| *t == PersonNameEn && s == word),
            "{text}: {found:?}"
        );
    }
}

/// A word of a name reaches a few pages, not a whole file: far away, alone, it is no one.
#[test]
fn a_word_alone_far_from_its_name_is_not_named() {
    let near = "Contact: Daniel Milcarz.\nMilcarz called.\n";
    let far = format!(
        "{near}{}Milcarz called.\n",
        "The weather was fine.\n".repeat(400)
    );
    let n = |t: &str| found(t).iter().filter(|(t, _)| *t == PersonNameEn).count();
    assert_eq!(n(near), 2);
    assert_eq!(n(&far), 2);
}

/// The pass is linear: a long input of many names and their words takes no longer per byte
/// than a short one would allow (many words looked for, many occurrences of each).
#[test]
fn many_names_and_their_words_stay_linear() {
    let mut t = String::new();
    for i in 0..20_000 {
        t.push_str(&format!(
            "Contact: Daniel Milcarz{i}. Milcarz{i} called Milcarz.\n"
        ));
    }
    let started = std::time::Instant::now();
    let _ = found(&t);
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

/// The review's cases: places, languages and abbreviations that share a name's word; a
/// sentence's first word and a comma before the word; known names past the bound on words.
#[test]
fn review_cases_for_names_again() {
    let lone = |text: &str, word: &str| {
        found(text)
            .iter()
            .any(|(t, s)| *t == PersonNameEn && s == word)
    };
    assert!(!lone(
        "Reviewed by Ruby Chen.\nThe service is written in Ruby.",
        "Ruby"
    ));
    assert!(!lone(
        "Contact: Jordan Peterson.\nThe tour continues to Jordan next.",
        "Jordan"
    ));
    assert!(!lone(
        "Owner: Lu Wei\nWe use LU decomposition. LU is fast.",
        "LU"
    ));
    assert!(!lone("Author: Ma Long\nShipping to Boston MA only.", "MA"));
    assert!(lone(
        "Chat\nXUE Ouyang  9:04 AM\nok\nQIN Qiang  9:05 AM\nthanks Xue",
        "Xue"
    ));
    assert!(lone(
        "However, Milcarz appealed. Daniel Milcarz was hired in 2019.",
        "Milcarz"
    ));
    // Past 128 distinct words, a name found whole still gathers its word alone.
    let mut t = String::new();
    for i in 0..150 {
        t.push_str(&format!(
            "Contact: Daniel Name{}son.\n",
            (b'a' + (i % 26) as u8) as char
        ));
        t.push_str(&format!("Contact: Maria Word{i}x.\n"));
    }
    t.push_str(&"filler text here.\n".repeat(400));
    t.push_str("Contact: Thomas Milcarz. Later that day Milcarz called back.\n");
    assert!(lone(&t, "Milcarz"), "{:?}", found(&t).last());
}
