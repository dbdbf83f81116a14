//! The single-pass scanner: walks the bytes once, dispatches on what can start a finding
//! (a digit, `+`, `(`, a letter, a Han character), and asks the exact matchers and validators
//! only about those candidate windows. Context is read from a small window before a
//! candidate and, in a table written as text, from its column's header (`table.rs`: each
//! line and table block looked at once), never by a second pass over the input.

use std::cell::{Cell, RefCell};

use crate::lex::{Lexicon, char_in, ends_with_at, starts_with_at};
use crate::lexicon::{self, Cue};
use crate::model;
use crate::text::{
    ascii_fold_at, decode_at, decode_before, digit_at, is_alnum, is_han, word_end, word_start,
};
use crate::types::PiType;
use crate::validate;

/// How far back (in bytes) a cue word may stand from a value.
const CUE_WINDOW: usize = 36;

/// A finding before offsets are converted and overlaps resolved.
#[derive(Clone, Debug)]
pub(crate) struct Cand {
    pub bs: usize,
    pub be: usize,
    pub ty: PiType,
    pub conf: f32,
    pub validated: bool,
    pub value: String,
}

pub(crate) struct Scanner<'a> {
    b: &'a [u8],
    lx: &'a Lexicon,
    hint: Option<Cue>,
    pub out: Vec<Cand>,
    /// Where the next '@' is (or the input length), for e-mail candidates.
    next_at: usize,
    /// The last cue looked up: (position, cue).
    cue_memo: Cell<Option<(usize, Option<Cue>)>>,
    /// URLs: where the next `://` is, and the last one's span up to the whitespace after it.
    urls: Cell<(usize, (usize, usize))>,
    /// Cited cases: the next ` v. ` found from where the last search began (`usize::MAX`:
    /// none before the searched window's end), that start, and the window's end.
    versus: Cell<(usize, usize, usize)>,
    /// The table (written as text) around the last cell looked up.
    tables: RefCell<table::TableCache>,
    /// The last adjacent cue looked up: (position, cue).
    adjacent_memo: Cell<Option<(usize, Option<Cue>)>>,
    /// The last position asked whether a cue could end before it, and the answer (a name's
    /// rule and then its model ask about the same surname).
    possible_memo: Cell<Option<(usize, bool)>>,
    /// The name model's Han and Latin weight scales, read once per scan (`None` inside: no
    /// usable model).
    model_scale: Option<Option<(f32, f32)>>,
    /// Whether candidates carry their normalised values (a scan that reports only types and
    /// spans builds none).
    values: bool,
}

/// One group of digits in a number: where it ends and where its digits are in the buffer.
#[derive(Clone, Copy, Default)]
struct Group {
    be: usize,
    /// Index into the digit buffer where this group's digits start, and how many.
    ds: usize,
    dn: usize,
    /// The group starts a line (the number was broken across lines, as OCR text breaks it).
    nl: bool,
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(b: &'a [u8], lx: &'a Lexicon, hint: Option<Cue>, values: bool) -> Self {
        Scanner {
            b,
            lx,
            hint,
            out: Vec::new(),
            cue_memo: Cell::new(None),
            adjacent_memo: Cell::new(None),
            possible_memo: Cell::new(None),
            tables: RefCell::new(table::TableCache::default()),
            versus: Cell::new((usize::MAX, 0, 0)),
            urls: Cell::new((
                memchr::memmem::find(b, b"://").unwrap_or(usize::MAX),
                (0, 0),
            )),
            model_scale: None,
            values,
            next_at: memchr::memchr(b'@', b).unwrap_or(b.len()),
        }
    }

    /// Walks the whole input once.
    pub(crate) fn run(&mut self) {
        let b = self.b;
        let n = b.len();
        let mut i = 0;
        while i < n {
            let c = b[i];
            if c < 0x80 {
                let class = ASCII_CLASS[c as usize];
                if class == 0 {
                    i += 1;
                    continue;
                }
                if class == 1 {
                    if word_start(b, i) {
                        i = self.ascii_word(i).max(i + 1);
                    } else if b[i].is_ascii_uppercase()
                        && b[i - 1].is_ascii_digit()
                        && let Some(e) = self.booking_name(i)
                    {
                        i = e;
                    } else {
                        i += 1;
                        while i < n && is_alnum(b[i]) {
                            i += 1;
                        }
                    }
                    continue;
                }
                if matches!(c, b'+' | b'(' | b'-') && digit_follows(b, i) && word_start(b, i) {
                    i = self.number(i).max(i + 1);
                    continue;
                }
                i += 1;
                continue;
            }
            // Fast path for the Han block (lead bytes E4..E9): one table lookup decides
            // whether the character can start anything.
            if (0xE4..=0xE9).contains(&c)
                && let (Some(&c1), Some(&c2)) = (b.get(i + 1), b.get(i + 2))
                && c1 & 0xC0 == 0x80
                && c2 & 0xC0 == 0x80
            {
                let cp = (u32::from(c & 0x0F) << 12)
                    | (u32::from(c1 & 0x3F) << 6)
                    | u32::from(c2 & 0x3F);
                // An estate's last character (`园`, `地`, `都` …) starts something only before a
                // building's number.
                let flags = self.lx.han_flags(cp);
                if flags == 0
                    || (flags == crate::lex::ESTATE_FLAG
                        && !b
                            .get(i + 3)
                            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b' '))
                {
                    i += 3;
                    continue;
                }
                let ch = char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER);
                i = self.han(i, ch, 3).max(i + 3);
                continue;
            }
            // Other three-byte characters (CJK and full-width punctuation): only full-width
            // digits, `＋` and `（` (EF BC 90..99, 8B, 88) can start anything.
            if (0xE1..=0xEF).contains(&c)
                && !(0xE3..=0xE4).contains(&c)
                && let (Some(&c1), Some(&c2)) = (b.get(i + 1), b.get(i + 2))
            {
                let special = (c == 0xEF && c1 == 0xBC && matches!(c2, 0x88 | 0x8B | 0x90..=0x99))
                    // `•` and `‧` may join the parts of a transliterated name.
                    || (c == 0xE2 && c1 == 0x80 && matches!(c2, 0xA2 | 0xA7));
                if c1 & 0xC0 == 0x80 && c2 & 0xC0 == 0x80 && !special && c != 0xED {
                    i += 3;
                    continue;
                }
            }
            let (ch, l) = decode_at(b, i);
            if digit_at(b, i).is_some() {
                if word_start(b, i) {
                    i = self.number(i).max(i + l);
                } else {
                    i += l;
                }
                continue;
            }
            if matches!(ch, '＋' | '（') && digit_follows(b, i) {
                i = self.number(i).max(i + l);
                continue;
            }
            if is_han(ch) {
                i = self.han(i, ch, l).max(i + l);
                continue;
            }
            if names::is_name_dot(ch)
                && let Some(e) = self.dot_name(i, l)
            {
                i = e;
                continue;
            }
            // A Latin name whose first letter is accented (`Łukasz Nowak`): after a name cue,
            // or as the model reads it.
            if accented_letter_at(b, i) == Some(true)
                && word_start(b, i)
                && let Some(e) = self
                    .latin_name(i)
                    .or_else(|| self.latin_name_model(i))
                    .or_else(|| self.addressed_name(i, name_word_end(b, i)?))
            {
                i = e;
                continue;
            }
            i += l.max(1);
        }
        self.names_again();
    }

    fn push(
        &mut self,
        bs: usize,
        be: usize,
        ty: PiType,
        conf: f32,
        validated: bool,
        value: impl FnOnce() -> String,
    ) {
        // A name masked with 某 (`李某`, `王某某`, as published judgments write them) is none.
        if ty == PiType::PersonNameZh
            && memchr::memmem::find(&self.b[bs..be], "某".as_bytes()).is_some()
        {
            return;
        }
        // Without a name's label before them, a firm's or a street's words are none; before a
        // firm's legal form, none even after one.
        if ty == PiType::PersonNameEn
            && (((places::beside_a_firm(self.b, bs, be)
                || places::after_a_house_number(self.b, bs, be))
                && self.adjacent_cue(bs) != Some(Cue::Name))
                || places::before_a_legal_form(self.b, be)
                || places::a_firm_or_a_street(self.lx, self.b, bs, be))
        {
            return;
        }
        let value = if self.values { value() } else { String::new() };
        self.out.push(Cand {
            bs,
            be,
            ty,
            conf,
            validated,
            value,
        });
    }

    /// Whether the cue before `at` says the number is not personal (an order or ticket
    /// number, a time, a version, a hotline).
    fn negative(&self, at: usize) -> bool {
        matches!(
            self.cue(at),
            Some(Cue::Reference | Cue::Time | Cue::Version | Cue::Hotline)
        )
    }

    fn cue(&self, at: usize) -> Option<Cue> {
        if let Some((p, c)) = self.cue_memo.get()
            && p == at
        {
            return c;
        }
        // A cue on the value's own line comes first; in a table, the column's header comes
        // before a cue on the line above (a header or another row).
        let c = match self.lx.cue_before(self.b, at, CUE_WINDOW) {
            Some((c, e)) if memchr::memchr(b'\n', &self.b[e.min(at)..at]).is_none() => Some(c),
            other => self
                .hint
                .or_else(|| self.column_cue(at))
                .or(other.map(|(c, _)| c)),
        };
        self.cue_memo.set(Some((at, c)));
        c
    }

    /// Whether a cue could end right before `at` (after separators): the cheap half of
    /// [`Scanner::adjacent_cue`].
    fn cue_possible(&self, at: usize) -> bool {
        if self.hint.is_some() {
            return true;
        }
        if let Some((p, possible)) = self.possible_memo.get()
            && p == at
        {
            return possible;
        }
        let p = self.skip_separators_back(at);
        let possible = decode_before(self.b, p).is_some_and(|(c, _)| {
            c.is_ascii_alphabetic() || c == '.' || self.lx.cue_last.contains(c)
        });
        self.possible_memo.set(Some((at, possible)));
        possible
    }

    /// The cue that ends right before `at`, allowing only separators (spaces, colons, quotes,
    /// brackets, `=`, `-`, `|`) in between.
    fn adjacent_cue(&self, at: usize) -> Option<Cue> {
        if let Some((p, c)) = self.adjacent_memo.get()
            && p == at
        {
            return c;
        }
        let c = self.adjacent_cue_uncached(at);
        self.adjacent_memo.set(Some((at, c)));
        c
    }

    fn adjacent_cue_uncached(&self, at: usize) -> Option<Cue> {
        let b = self.b;
        let p = self.skip_separators_back(at);
        let fallback = if at == 0 || p == 0 {
            self.hint
        } else if self.cell_start(at) {
            self.column_cue(at)
        } else {
            None
        };
        // Only a letter or a character that ends some cue can end a cue here.
        let could_end_cue = decode_before(b, p).is_some_and(|(c, _)| {
            c.is_ascii_alphabetic() || c == '.' || self.lx.cue_last.contains(c)
        });
        if !could_end_cue {
            return fallback;
        }
        self.lx.cue_ending_at(b, p, 0).or(fallback)
    }

    /// The name model's view of the cue before `at`: 0 for none, else the cue's kind plus one.
    pub(crate) fn name_cue(&self, at: usize) -> u32 {
        if !self.cue_possible(at) {
            return 0;
        }
        self.adjacent_cue(at).map_or(0, |c| c as u32 + 1)
    }

    /// The cue a table's header gives the cell at `at`.
    fn column_cue(&self, at: usize) -> Option<Cue> {
        match self.column_at(at) {
            Some(table::Column::Cue(c)) => Some(c),
            _ => None,
        }
    }

    /// Whether the column `at` stands in holds no names for the model to find: its header
    /// is a place, an organisation, or a cue for something other than a name.
    pub(crate) fn column_without_names(&self, at: usize) -> bool {
        match self.column_at(at) {
            Some(table::Column::Cue(c)) => c != Cue::Name,
            Some(table::Column::NotPerson) => true,
            None => false,
        }
    }

    /// Whether only spaces and quotes stand between `at` and the start of its line or the
    /// cell delimiter before it.
    fn cell_start(&self, at: usize) -> bool {
        let mut p = at;
        while let Some((c, l)) = decode_before(self.b, p) {
            match c {
                ' ' | '"' | '\'' | '\u{3000}' => p -= l,
                '\n' | '\t' | '|' | ',' => return true,
                _ => return false,
            }
        }
        true
    }

    /// Steps back from `at` over up to six separators (spaces, colons, quotes, brackets, `=`,
    /// `-`, `|`, commas; a form's blank of underscores counts as one) and returns where they
    /// start.
    fn skip_separators_back(&self, at: usize) -> usize {
        let mut p = at;
        let mut steps = 0;
        while steps < 6 {
            match decode_before(self.b, p) {
                // A form's blank (`签字：____邓超`) is one separator, up to 64 long.
                Some(('_', _)) if at - p < 64 => p -= 1,
                Some((c, l)) if is_label_separator(c) => {
                    p -= l;
                    steps += 1;
                }
                _ => break,
            }
        }
        p
    }
}

mod address;
mod again;
mod building;
mod citations;
mod courts;
mod dates;
mod directory;
mod han;
mod latin;
pub(crate) mod names;
mod numbers;
mod people;
mod places;
mod quads;
mod romanised;
mod table;

/// Division names that do not end in a suffix character (used for directly administered
/// county-level units).
const DIRECT_UNITS: [&str; 3] = [
    "自治区直辖县级行政单位",
    "省直辖县级行政单位",
    "直辖县级行政单位",
];

/// Characters that may stand between a label and its value: `姓名：`, `"name":"`, `Name = `.
fn is_label_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\n'
            | '\r'
            | ':'
            | '：'
            | '"'
            | '\''
            | '='
            | '('
            | '（'
            | '【'
            | '['
            | '-'
            | '|'
            | '\u{3000}'
            | '】'
            | ']'
            | '，'
            | ','
    )
}

/// ASCII byte classes for the main loop: 1 letter or digit, 2 `+ ( -`, 0 nothing.
const ASCII_CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = if b.is_ascii_alphanumeric() {
            1
        } else if b == b'+' || b == b'(' || b == b'-' {
            2
        } else {
            0
        };
        c += 1;
    }
    t
};

/// Gates of a building or complex, after its name.
const GATES: [&str; 4] = ["东门", "西门", "南门", "北门"];

fn digit_follows(b: &[u8], i: usize) -> bool {
    let (_, l) = decode_at(b, i);
    match ascii_fold_at(b, i + l) {
        Some((b'+', l2)) => digit_at(b, i + l + l2).is_some(),
        _ => digit_at(b, i + l).is_some(),
    }
}

fn skip_to_word_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (is_alnum(b[i]) || b[i] == b'_') {
        i += 1;
    }
    i
}

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0u32, |a, &c| {
        a.saturating_mul(10)
            .saturating_add(u32::from(c.wrapping_sub(b'0')))
    })
}

/// Reads ASCII digits at `i`: value, digit count, end.
fn read_num(b: &[u8], i: usize) -> Option<(u32, usize, usize)> {
    let mut p = i;
    let mut v: u32 = 0;
    while let Some(&c) = b.get(p) {
        if !c.is_ascii_digit() || p - i >= 9 {
            break;
        }
        v = v * 10 + u32::from(c - b'0');
        p += 1;
    }
    (p > i).then_some((v, p - i, p))
}

fn after_sep(b: &[u8], p: usize, sep: u8) -> Option<usize> {
    (b.get(p) == Some(&sep)).then_some(p + 1)
}

/// Up to five dot-separated digit runs from `i`: each part's (value, digit count), and the end.
fn dotted_parts(b: &[u8], i: usize) -> (Vec<(u32, usize)>, usize) {
    let mut parts = Vec::with_capacity(4);
    let mut p = i;
    while let Some((v, n, e)) = read_num(b, p) {
        parts.push((v, n));
        p = e;
        if parts.len() >= 5
            || b.get(p) != Some(&b'.')
            || !b.get(p + 1).is_some_and(u8::is_ascii_digit)
        {
            break;
        }
        p += 1;
    }
    // A long fractional part is still one part.
    while b.get(p).is_some_and(u8::is_ascii_digit) {
        p += 1;
    }
    (parts, p)
}

fn parse_f64(s: &[u8]) -> Option<f64> {
    std::str::from_utf8(s).ok()?.trim().parse().ok()
}

/// An English month name or abbreviation at `i`: month number and end.
fn month_word(b: &[u8], i: usize) -> Option<(u32, usize)> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let mut e = i;
    while e < b.len() && b[e].is_ascii_alphabetic() && e - i < 10 {
        e += 1;
    }
    let w = b.get(i..e)?;
    if w.len() < 3 {
        return None;
    }
    let mut end = e;
    if b.get(e) == Some(&b'.') {
        end += 1;
    }
    MONTHS
        .iter()
        .position(|m| {
            w.len() <= m.len()
                && m.as_bytes()[..w.len()].eq_ignore_ascii_case(w)
                && (w.len() == 3 || w.len() == m.len() || (w.len() == 4 && m.starts_with("sept")))
        })
        .map(|p| (p as u32 + 1, end))
}

/// Whether an upper-case letter (ASCII, or of Latin-1 or Latin Extended-A) starts at `i`.
pub(crate) fn upper_at(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(u8::is_ascii_uppercase) || accented_letter_at(b, i) == Some(true)
}

/// A letter of Latin-1 or Latin Extended-A at `i` (`é`, `ü`, `Ø`, `ł`; two bytes): whether it
/// is upper case.
pub(crate) fn accented_letter_at(b: &[u8], i: usize) -> Option<bool> {
    if !matches!(b.get(i), Some(0xC3..=0xC5)) {
        return None;
    }
    let (c, l) = decode_at(b, i);
    (l == 2 && c.is_alphabetic()).then(|| c.is_uppercase())
}

/// End of a name-shaped word at `i`: `Zhang`, `HAN`, `O'Neil`, `Mary-Jane`, `Xi'an`,
/// `García`, `MÜLLER` (a possessive `'s` left out).
pub(crate) fn name_word_end(b: &[u8], i: usize) -> Option<usize> {
    let first = *b.get(i)?;
    let first_len = if first.is_ascii_uppercase() {
        1
    } else if accented_letter_at(b, i) == Some(true) {
        2
    } else {
        return Some(i);
    };
    let mut e = i + first_len;
    let mut lower = 0;
    let mut upper = 1;
    // Whether the letter after the first is lower case (or an apostrophe: `O'Neil`).
    let mut second_lower = None;
    while let Some(&c) = b.get(e) {
        // No name's word is this long (`Ab-Ab-Ab-…`): a bounded read keeps the scan linear.
        if e - i >= 64 {
            return Some(i);
        }
        let mut step = 1;
        if c.is_ascii_lowercase() {
            lower += 1;
            second_lower.get_or_insert(true);
        } else if c.is_ascii_uppercase() {
            upper += 1;
            second_lower.get_or_insert(false);
        } else if let Some(up) = accented_letter_at(b, e) {
            if up {
                upper += 1;
            } else {
                lower += 1;
            }
            second_lower.get_or_insert(!up);
            step = 2;
        } else if c == b'\''
            && matches!(b.get(e + 1), Some(b's' | b'S'))
            && !b.get(e + 2).is_some_and(u8::is_ascii_alphabetic)
        {
            // A possessive ('s) is not part of the name.
            break;
        } else if (c == b'\'' || c == b'-') && b.get(e + 1).is_some_and(u8::is_ascii_alphabetic) {
            second_lower.get_or_insert(c == b'\'');
        } else {
            break;
        }
        e += step;
    }
    // Letters, not bytes: `Ø` alone is one.
    let len = b[i..e].iter().filter(|&&c| c & 0xC0 != 0x80).count();
    let shaped = (lower > 0 && upper <= 3 && second_lower == Some(true))
        || (lower == 0 && (2..=12).contains(&len));
    if !shaped || b.get(e).is_some_and(|c| c.is_ascii_digit()) {
        return Some(i);
    }
    Some(e)
}
