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

/// Titles and the letters after a name that are no rank (`Granny`, `MBBS`, `PhD`): beside a
/// name, never part of it. The ranks of [`RANKS`] are never part of one either, but for those
/// the name model's training text holds ([`RANKS_THE_MODEL_READS`]).
pub(crate) const TITLE_WORDS: &[&str] = &["granny", "coo", "mbbs", "phd", "esq"];

/// Ranks the name model's training text holds as words that are no name (`Agent`, `CEO`):
/// left out of the never-name words, which would change what it was trained on.
pub(crate) const RANKS_THE_MODEL_READS: &[&str] = &["agent", "ceo", "cto"];

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

/// Verbs of report right after two or three capitalised words make them a person's whole name
/// (`Zhang Wei presented the figures`, `Geoff Stanton welcomed members`), as minutes and reports
/// write who did what. Read at inference only.
pub(crate) const REPORTING_VERBS: &[&str] = &[
    "said",
    "says",
    "asked",
    "noted",
    "presented",
    "suggested",
    "proposed",
    "agreed",
    "explained",
    "reported",
    "confirmed",
    "welcomed",
    "thanked",
    "chaired",
    "summarised",
    "summarized",
    "walked",
    "flagged",
    "highlighted",
    "mentioned",
    "stated",
    "requested",
    "responded",
    "replied",
    "recommended",
    "seconded",
    "raised",
    "outlined",
    "attended",
    "apologised",
    "apologized",
    "emailed",
    "phoned",
    "wrote",
    "signed",
    "reviewed",
    "demonstrated",
    "queried",
    "objected",
    "abstained",
    "volunteered",
    "undertook",
    "advised",
    "argued",
    "cautioned",
    "reminded",
    "briefed",
    "clarified",
    "informed",
    "presents",
    "notes",
    "asks",
    "suggests",
];
