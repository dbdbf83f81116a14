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
}
