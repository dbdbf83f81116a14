//! Words of running prose, of titles and of forms that stand next to a name and are never a
//! name themselves; read with [`super::NOT_NAME_WORDS`].

/// Words that begin a sentence before a name (`Yesterday Marcus called`, `Unfortunately Sarah
/// Johnson is away`, `I'm Rosa`, `Remind Helen Park`), so that a name's span never takes them.
pub(crate) const SENTENCE_WORDS: &[&str] = &[
    "yesterday",
    "today",
    "tomorrow",
    "tonight",
    "unfortunately",
    "fortunately",
    "hopefully",
    "apparently",
    "luckily",
    "sadly",
    "finally",
    "additionally",
    "meanwhile",
    "however",
    "also",
    "then",
    "but",
    "so",
    "just",
    "actually",
    "anyway",
    "btw",
    "fyi",
    "since",
    "while",
    "because",
    "although",
    "once",
    "i'm",
    "remind",
    "invite",
    "quoting",
    "tell",
    "visit",
];

/// Ranks, titles of office, kinship and the letters after a name (`Officer`, `Nurse`, `Uncle`,
/// `CEO`, `MBBS`): beside a name, never part of it.
pub(crate) const TITLE_WORDS: &[&str] = &[
    "sgt",
    "sergeant",
    "detective",
    "inspector",
    "constable",
    "judge",
    "captain",
    "capt",
    "lt",
    "lieutenant",
    "deputy",
    "nurse",
    "father",
    "fr",
    "senator",
    "rabbi",
    "pastor",
    "reverend",
    "rev",
    "coach",
    "uncle",
    "aunt",
    "auntie",
    "grandma",
    "grandpa",
    "granny",
    "cfo",
    "coo",
    "rn",
    "mbbs",
    "phd",
    "esq",
];

/// The placeholders of a date's format (`Date of birth (DD/MM/YYYY)`).
pub(crate) const DATE_FORMAT_WORDS: &[&str] = &["dd", "mm", "yyyy", "yy"];

/// Words of forms' labels and placeholders that a cue may stand before (`Contact Person:
/// N/A`, `First Name | Last Name`, `Customer: Walk-in`).
pub(crate) const FORM_WORDS: &[&str] = &[
    "person", "last", "first", "given", "names", "walk-in", "n/a",
];

/// Ranks, titles of office and kinship words before a name (`Reported by: Officer Daniel
/// Reyes`, `Officer Daniel Reyes took the statement`, `CEO Sarah Johnson`): the name is what
/// follows, the rank is not part of it.
pub(crate) const RANKS: &[&str] = &[
    "officer",
    "sgt",
    "sergeant",
    "detective",
    "inspector",
    "constable",
    "judge",
    "captain",
    "capt",
    "lt",
    "lieutenant",
    "deputy",
    "agent",
    "nurse",
    "father",
    "fr",
    "senator",
    "rabbi",
    "pastor",
    "reverend",
    "rev",
    "coach",
    "uncle",
    "aunt",
    "auntie",
    "grandma",
    "grandpa",
    "ceo",
    "cfo",
    "cto",
    "rn",
];
