//! What two or three capitalised words are when they are no person: a place, a firm, a role,
//! a heading, a booking's or a product's terms, or the value of a label that names none.

use super::*;

/// Whether a word that begins place names stands right before `i` (`San Antonio Spurs`, `St.
/// Louis Cardinals`, `New York`): what follows is the place's or a team's name.
pub(super) fn after_place_word(b: &[u8], i: usize) -> bool {
    if i < 2 || b[i - 1] != b' ' {
        return false;
    }
    let end = if b[i - 2] == b'.' { i - 2 } else { i - 1 };
    let start = b[..end]
        .iter()
        .rposition(|c| !c.is_ascii_alphabetic())
        .map_or(0, |k| k + 1);
    let w = &b[start..end];
    lexicon::PLACE_FIRST_WORDS
        .iter()
        .chain(&["st", "new", "fort", "port"])
        .any(|x| w.eq_ignore_ascii_case(x.as_bytes()))
}

/// Whether the words `span` (two or three, one space apart) name a place, a firm or a job title
/// rather than a person ([`lexicon::PLACE_FIRST_WORDS`] and the lists beside it).
pub(super) fn not_a_person(lx: &Lexicon, span: &[u8]) -> bool {
    if capitals_of_no_person(lx, span) {
        return true;
    }
    let (Some(first_end), Some(last_start)) = (
        span.iter().position(|&c| c == b' '),
        span.iter().rposition(|&c| c == b' '),
    ) else {
        return false;
    };
    let is_in = |w: &[u8], list: &[&str]| list.iter().any(|l| w.eq_ignore_ascii_case(l.as_bytes()));
    let (first, last) = (&span[..first_end], &span[last_start + 1..]);
    is_in(first, lexicon::PLACE_FIRST_WORDS)
        || is_in(last, lexicon::PLACE_LAST_WORDS)
        // `Presidents Day`, `Grace Community Church`; not `Doris Day`, `Charlotte Church`.
        || (is_in(last, &["day", "church"]) && !lx.is_given_name(first))
        || span.split(|&c| c == b' ').any(|w| lx.is_terms_word(w))
        || not_a_person_after_a_cue(lx, span)
        || is_in(span, lexicon::FIRM_NAMES)
}

/// Whether words all in capitals, split at spaces and slashes, hold a common English word or
/// a currency's or an airport's code (`FOR OFFICE USE`, `SAVINGS/CURRENT`, `PVG/LAX`, `CNY/USD`):
/// a form's heading or choices, a route or a price, not a booking's `SURNAME/GIVEN`.
pub(super) fn capitals_of_no_person(lx: &Lexicon, span: &[u8]) -> bool {
    !span.iter().any(u8::is_ascii_lowercase)
        && span
            .split(|&c| c == b' ' || c == b'/')
            .any(|w| lx.is_english_word(w) || lx.is_code(w) || lx.is_not_name_word(w))
        && !span
            .split(|&c| c == b' ' || c == b'/')
            .any(|w| lx.is_given_name(w))
}

/// Whether a word is a firm's suffix ([`lexicon::FIRM_SUFFIXES`]: `plc`, `GmbH`, `Pty`).
pub(super) fn is_firm_suffix(w: &[u8]) -> bool {
    lexicon::FIRM_SUFFIXES
        .iter()
        .any(|f| w.eq_ignore_ascii_case(f.as_bytes()))
}

/// Whether the words `span` (two or three) end like a role, a firm, a heading or a street
/// ([`lexicon::TITLE_LAST_WORDS`], [`lexicon::ORG_LAST_WORDS`]) or in a common word that no
/// common name is ([`lexicon::ENGLISH_WORDS`]) after a word that is no known given name: no
/// person even after a name cue (`Courier: DHL Express`, `Dear Hiring Committee`, `To:
/// Accounts Payable`; not `Name: Alicia Keys`). Places are not checked here:
/// after a cue a place's word may be a surname (`Name: Santa Clara`).
pub(super) fn not_a_person_after_a_cue(lx: &Lexicon, span: &[u8]) -> bool {
    let Some(last_start) = span.iter().rposition(|&c| c == b' ') else {
        return false;
    };
    let last = &span[last_start + 1..];
    // A common word last only after a word that is no known given name (`Accounts Payable`;
    // not `Alicia Keys`, `Emily Gold`: surnames that are words too).
    let first = &span[..span
        .iter()
        .position(|&c| c == b' ' || c == b'/')
        .unwrap_or(0)];
    (lx.is_english_word(last) && !lx.is_given_name(first))
        || [lexicon::TITLE_LAST_WORDS, lexicon::ORG_LAST_WORDS]
            .iter()
            .any(|list| list.iter().any(|l| last.eq_ignore_ascii_case(l.as_bytes())))
}

/// Whether `i` is the value of a label that names no person ([`lexicon::NO_PERSON_LABELS`]:
/// `Hotel: Grand Hyatt`, `Your room type: Deluxe King`): the label's last words, a colon and
/// spaces right before. Looks back 40 bytes at most.
pub(super) fn after_a_label_of_no_person(b: &[u8], i: usize) -> bool {
    // Back to the value's first word, over capitalised words before `i` (`Hotel: Marriott
    // Marquis San Francisco`).
    let mut i = i;
    for _ in 0..3 {
        let Some(s) = i.checked_sub(1).filter(|&s| b[s] == b' ') else {
            break;
        };
        let w = b[s.saturating_sub(24)..s]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        if w == 0 || !b[s - w].is_ascii_uppercase() {
            break;
        }
        i = s - w;
    }
    let mut p = i;
    while p > 0 && b[p - 1] == b' ' && i - p < 8 {
        p -= 1;
    }
    if p == 0 || b[p - 1] != b':' {
        return false;
    }
    let end = p - 1;
    let lo = end.saturating_sub(40);
    let start = b[lo..end]
        .iter()
        .rposition(|&c| !(c.is_ascii_alphabetic() || c == b' ' || c == b'-'))
        .map_or(lo, |k| lo + k + 1);
    let label = b[start..end].trim_ascii();
    lexicon::NO_PERSON_LABELS.iter().any(|l| {
        let l = l.as_bytes();
        label.len() >= l.len()
            && label[label.len() - l.len()..].eq_ignore_ascii_case(l)
            && (label.len() == l.len() || label[label.len() - l.len() - 1] == b' ')
    })
}

/// Whether `b[s..e]` is a label in capitals with a slash before its value, a code in capitals
/// and digits (`VISAS/TYP: ABCDEF1A`), not a booking's name before what it books (`WANG/XIAOMING:
/// seat 32A`, `LI/NA: 32B`).
pub(super) fn label_in_capitals(b: &[u8], s: usize, e: usize) -> bool {
    if !b[s..e].contains(&b'/') || b.get(e) != Some(&b':') {
        return false;
    }
    let v = e + 1 + usize::from(b.get(e + 1) == Some(&b' '));
    let n = b[v.min(b.len())..]
        .iter()
        .take(24)
        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        .count();
    n >= 6 && b[v].is_ascii_uppercase()
}

/// Whether a version number follows `e`, perhaps after one lower-case word: three dotted parts
/// or a `v` before two (`Spring Boot to 3.2.10`, `Apache Kafka 3.6.1`, `Node v20.11`): the words
/// before are software. Not a score (`Li Na 9.5`).
pub(super) fn before_a_version(b: &[u8], e: usize) -> bool {
    let mut p = e;
    if b.get(p) != Some(&b' ') {
        return false;
    }
    p += 1;
    let w = b[p..]
        .iter()
        .take(12)
        .take_while(|c| c.is_ascii_lowercase())
        .count();
    if w > 1 && b.get(p + w) == Some(&b' ') {
        p += w + 1;
    }
    let v = b.get(p) == Some(&b'v');
    p += usize::from(v);
    let digits = |q: usize| {
        b[q.min(b.len())..]
            .iter()
            .take(6)
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let mut parts = 0;
    while parts < 3 {
        let d = digits(p);
        if d == 0 {
            break;
        }
        parts += 1;
        p += d;
        if b.get(p) != Some(&b'.') || parts == 3 {
            break;
        }
        p += 1;
    }
    parts == 3 || (v && parts == 2)
}

impl Scanner<'_> {
    /// Whether `i` follows ` | ` on a line whose name was found right before the bar, at the
    /// line's start and at most 80 bytes before (a signature's line, `Emily Clark | Regional
    /// Sales Director | Northwind Trading Company`): what follows is a title or a firm. Not in a
    /// table's row (its line begins with `|`). Reads a bounded window: linear on any line.
    pub(super) fn after_a_name_and_a_bar(&self, i: usize) -> bool {
        let b = self.b;
        if i < 3 || &b[i - 3..i] != b" | " {
            return false;
        }
        let Some(last) = self.out.last() else {
            return false;
        };
        if last.ty != PiType::PersonNameEn
            || last.be > i - 3
            || i - 3 - last.be > 80
            || b[last.be..i - 3].contains(&b'\n')
        {
            return false;
        }
        let mut p = last.bs;
        while p > 0 && b[p - 1] == b' ' && last.bs - p < 8 {
            p -= 1;
        }
        p == 0 || b[p - 1] == b'\n'
    }
}

/// Whether the capitalised words at `s..e` are a firm's rather than a person's: beside an
/// ampersand (`Harris & Sons`, `Ben & Jerry's`, `Ernst & Young`) or before a firm's legal form
/// (`Ford Motor Company`, `Thompson Freight Inc.`).
pub(super) fn beside_a_firm(b: &[u8], s: usize, e: usize) -> bool {
    // Beside the ampersand a single word with a capitalised word, not a title, on the other
    // side (`Ben & Jerry's`, `Ernst & Young`), or a firm's word (`Harris & Sons Plumbing`);
    // whole names on both sides are two people (`Michael Brown & Sarah Brown`, `Mr. John
    // Smith & Mrs. Jane Smith`).
    let title = |w: &[u8]| {
        ["mr", "mrs", "ms", "dr", "miss"]
            .iter()
            .any(|t| w.eq_ignore_ascii_case(t.as_bytes()))
    };
    let firm_word = |w: &[u8]| {
        [
            "sons",
            "co",
            "company",
            "partners",
            "associates",
            "brothers",
            "daughters",
        ]
        .iter()
        .any(|t| w.eq_ignore_ascii_case(t.as_bytes()))
    };
    let one_word = !b[s..e].contains(&b' ');
    let first_word = &b[s..b[s..e].iter().position(|&c| c == b' ').map_or(e, |k| s + k)];
    let last_word = &b[b[s..e]
        .iter()
        .rposition(|&c| c == b' ')
        .map_or(s, |k| s + k + 1)..e];
    if s >= 3 && b[..s].ends_with(b" & ") {
        let w = letters_before(b, s - 3);
        if (one_word && w.first().is_some_and(u8::is_ascii_uppercase) && !title(w))
            || firm_word(first_word)
        {
            return true;
        }
    }
    if b[e..].starts_with(b" & ") {
        let w = letters_after(b, e + 3);
        if (one_word && w.first().is_some_and(u8::is_ascii_uppercase) && !title(w))
            || firm_word(w)
            || firm_word(last_word)
        {
            return true;
        }
    }
    before_a_legal_form(b, e)
}

/// Whether a firm's legal form or kind follows the words ending at `e` (`Dunder Mifflin Paper
/// Company`, `Greystar Real Estate Partners`, `Thompson Freight Inc.`): no person even after a
/// name's label (`Customer: …`), where a person's name is never followed so.
pub(super) fn before_a_legal_form(b: &[u8], e: usize) -> bool {
    if b.get(e) != Some(&b' ') {
        return false;
    }
    let w = letters_after(b, e + 1);
    w.first().is_some_and(u8::is_ascii_uppercase)
        && (is_firm_suffix(w)
            || [
                "inc",
                "ltd",
                "llc",
                "corp",
                "corporation",
                "company",
                "co",
                "group",
                "holdings",
                "partners",
                "associates",
            ]
            .iter()
            .any(|x| w.eq_ignore_ascii_case(x.as_bytes())))
}

/// The run of up to 16 ASCII letters that starts at `p`.
fn letters_after(b: &[u8], p: usize) -> &[u8] {
    let n = b[p..]
        .iter()
        .take(16)
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    &b[p..p + n]
}

/// The run of up to 16 ASCII letters that ends at `p`.
fn letters_before(b: &[u8], p: usize) -> &[u8] {
    let n = b[..p]
        .iter()
        .rev()
        .take(16)
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    &b[p - n..p]
}

/// Words of streets (`Lane`, `Street`, `Way`, any case).
const STREET_WORDS: &[&str] = &[
    "lane",
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "way",
    "drive",
    "dr",
    "boulevard",
    "blvd",
    "court",
    "ct",
    "place",
    "pl",
    "terrace",
    "parkway",
    "highway",
    "hwy",
];

/// Whether a house number of one to five digits stands before `s`, alone at the line's start
/// or after a comma, and a street's word ends the words or follows them on the line within a
/// few words (`1332 Walnut Lane`, `3716 Martin Luther King Jr. Way`): a street's name.
pub(super) fn after_a_house_number(b: &[u8], s: usize, e: usize) -> bool {
    if s < 2 || b[s - 1] != b' ' {
        return false;
    }
    let digits = b[..s - 1]
        .iter()
        .rev()
        .take(6)
        .take_while(|c| c.is_ascii_digit())
        .count();
    let before = (s - 1).checked_sub(digits + 1).map(|k| b[k]);
    if !(1..=5).contains(&digits) || !matches!(before, None | Some(b'\n' | b',' | b' ')) {
        return false;
    }
    // The words and what follows them on the line, 40 bytes at most.
    let to = (e + 40).min(b.len());
    let line_end = memchr::memchr(b'\n', &b[e..to]).map_or(to, |k| e + k);
    b[s..line_end].split(|c| !c.is_ascii_alphabetic()).any(|w| {
        STREET_WORDS
            .iter()
            .any(|x| w.eq_ignore_ascii_case(x.as_bytes()))
    })
}

/// Whether the words `b[s..e]` are a firm's or a street's whatever stands before them: a firm's
/// legal form as their last word (`Walker Thompson LLP`), a firm of
/// [`lexicon::FIRM_NAMES`] (`Sent from Goldman Sachs`), or a street's long word as their last
/// word or right after them (`Jefferson Davis Highway`, `Martin Luther King Jr Way`; not the
/// short `St`, `Dr`, `Ct`, `Pl`, which are titles and saints as often; not a given name and a
/// street's word alone, `John Way`).
pub(super) fn a_firm_or_a_street(lx: &Lexicon, b: &[u8], s: usize, e: usize) -> bool {
    let span = &b[s..e];
    let words = span.split(|&c| c == b' ').count();
    let first = span.split(|&c| c == b' ').next().unwrap_or(span);
    let last = &span[span.iter().rposition(|&c| c == b' ').map_or(0, |k| k + 1)..];
    let last = last.strip_suffix(b".").unwrap_or(last);
    let long_street = |w: &[u8]| {
        w.len() >= 3
            && w.first().is_some_and(u8::is_ascii_uppercase)
            && STREET_WORDS
                .iter()
                .filter(|x| x.len() >= 3)
                .any(|x| w.eq_ignore_ascii_case(x.as_bytes()))
    };
    if span.contains(&b' ')
        && (is_firm_suffix(last)
            || ["llp", "llc", "inc", "ltd", "plc", "corp"]
                .iter()
                .any(|x| last.eq_ignore_ascii_case(x.as_bytes()))
            // Two words with a given name first are a person as often (`John Way`, `Anna
            // Court`).
            || (long_street(last) && (words >= 3 || !lx.is_given_name(first))))
    {
        return true;
    }
    if lexicon::FIRM_NAMES
        .iter()
        .any(|f| span.eq_ignore_ascii_case(f.as_bytes()))
    {
        return true;
    }
    // A street's word after them, across `Jr`/`Jr.`.
    let mut p = e;
    if b[p..].starts_with(b" Jr.") {
        p += 4;
    } else if b[p..].starts_with(b" Jr") {
        p += 3;
    }
    b.get(p) == Some(&b' ') && long_street(letters_after(b, p + 1))
}
