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
