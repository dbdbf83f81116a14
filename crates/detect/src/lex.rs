//! The compiled lexicon: character sets and the cue automaton, built once per process.

use std::sync::OnceLock;

use aho_corasick::{
    AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, Input, MatchKind, StartKind,
};

use crate::lexicon::{self, Cue};
use crate::pairs::{ByLastChar, PairSet};
use crate::text::{decode_at, decode_before, is_alnum};

/// A set of Han characters (and a few others below U+A000), as a bitmap.
pub(crate) struct HanSet {
    bits: Vec<u64>,
}

impl HanSet {
    pub(crate) const LIMIT: u32 = 0xA000;

    pub(crate) fn from_chars(chars: impl IntoIterator<Item = char>) -> Self {
        let mut bits = vec![0u64; (Self::LIMIT / 64) as usize];
        for c in chars {
            let cp = c as u32;
            if cp < Self::LIMIT
                && let Some(w) = bits.get_mut((cp / 64) as usize)
            {
                *w |= 1 << (cp % 64);
            }
        }
        HanSet { bits }
    }

    #[inline]
    pub(crate) fn contains(&self, c: char) -> bool {
        let cp = c as u32;
        cp < Self::LIMIT
            && self
                .bits
                .get((cp / 64) as usize)
                .is_some_and(|w| w & (1 << (cp % 64)) != 0)
    }
}

/// Everything the detectors look words up in.
pub(crate) struct Lexicon {
    pub(crate) surnames: HanSet,
    pub(crate) compound_first: HanSet,
    pub(crate) plate_provinces: HanSet,
    pub(crate) plate_suffixes: HanSet,
    pub(crate) admin_suffixes: HanSet,
    pub(crate) road_suffixes: HanSet,
    pub(crate) address_left_stops: HanSet,
    pub(crate) name_stop_chars: HanSet,
    /// Characters of transliterated names (`古丽娜尔·吐尔逊`).
    pub(crate) transliteration: HanSet,
    /// Per Han character (U+4E00..U+9FFF): whether it can start a plate, a road-number
    /// address anchor, a name or a year in numerals, or end an address after its cue. Zero
    /// means the scanner can step over it.
    han_flags: Vec<u8>,
    /// Name stop words and honorifics by their first two characters.
    name_stop_pairs: PairSet,
    honorific_pairs: PairSet,
    common_pairs: PairSet,
    /// Two-character words that begin with a surname character, the common ones and the
    /// name model's.
    word_pairs: PairSet,
    /// Characters common in given names.
    given_chars: HanSet,
    /// Verbs that end a name the rule reads.
    verb_pairs: PairSet,
    /// Last characters of the party and role words.
    role_last: HanSet,
    /// The party and role words by their last character.
    role_words: ByLastChar,
    compound_pairs: PairSet,
    /// Last characters of the estate-name endings (小区, 花园, ...).
    pub(crate) estate_last: HanSet,
    /// First characters of the honorifics.
    pub(crate) honorific_first: HanSet,
    /// Last characters of the non-ASCII cue words.
    pub(crate) cue_last: HanSet,
    /// The cue words reversed, so that a leftmost-longest search over the reversed text
    /// before a value finds the closest cue first.
    cues_rev: AhoCorasick,
    /// The words that are never a Latin-script name, lower-cased, each packed into one
    /// integer ([`pack_word`]) and sorted: a lookup is a few integer compares.
    not_name_words: PackedWords,
    /// The last run of ASCII letters and digits of each cue that ends in one, as
    /// [`tail_key`] packs it (`number` of `social security number`), for
    /// [`Lexicon::cue_ending_at`]'s gate.
    cue_last_runs: Vec<u128>,
    /// Length in bytes of the longest cue word.
    longest_cue: usize,
    /// [`lexicon::GIVEN_NAMES`], packed as [`pack_word`] packs them and sorted.
    given_names: PackedWords,
    /// [`lexicon::TERMS_WORDS`], packed and sorted.
    terms_words: PackedWords,
    /// [`lexicon::REPORTING_VERBS`], packed and sorted.
    reporting_verbs: PackedWords,
    /// [`lexicon::ENGLISH_WORDS`], packed and sorted.
    english_words: PackedWords,
    /// [`lexicon::CODES`], packed and sorted.
    codes: PackedWords,
}

static LEXICON: OnceLock<Option<Lexicon>> = OnceLock::new();

/// The process-wide lexicon. `None` only if the cue automaton could not be built, which the
/// unit tests rule out for the compiled-in word lists.
pub(crate) fn lexicon() -> Option<&'static Lexicon> {
    LEXICON.get_or_init(Lexicon::build).as_ref()
}

/// The flag of [`Lexicon::han_flags`] for the last character of an estate's name.
pub(crate) const ESTATE_FLAG: u8 = 32;

/// Longest window (bytes) a cue search looks at.
const MAX_WINDOW: usize = 64;

impl Lexicon {
    fn build() -> Option<Lexicon> {
        let reversed: Vec<Vec<u8>> = lexicon::CUES
            .iter()
            .map(|(w, _)| w.bytes().rev().collect())
            .collect();
        let cues_rev = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&reversed)
            .ok()?;
        let first = |words: &[&str]| {
            words
                .iter()
                .filter_map(|w| w.chars().next())
                .collect::<Vec<_>>()
        };
        Some(Lexicon {
            surnames: HanSet::from_chars(
                lexicon::SURNAMES
                    .chars()
                    .chain(lexicon::TRADITIONAL_SURNAMES.chars())
                    .chain(lexicon::RARE_SURNAMES.chars()),
            ),
            compound_first: HanSet::from_chars(
                lexicon::COMPOUND_SURNAMES
                    .iter()
                    .chain(lexicon::TRADITIONAL_COMPOUND_SURNAMES)
                    .filter_map(|s| s.chars().next()),
            ),
            plate_provinces: HanSet::from_chars(lexicon::PLATE_PROVINCES.chars()),
            plate_suffixes: HanSet::from_chars(lexicon::PLATE_SUFFIXES.chars()),
            admin_suffixes: HanSet::from_chars(lexicon::ADMIN_SUFFIXES.chars()),
            road_suffixes: HanSet::from_chars(lexicon::ROAD_SUFFIXES.chars()),
            address_left_stops: HanSet::from_chars(lexicon::ADDRESS_LEFT_STOPS.chars()),
            name_stop_chars: HanSet::from_chars(lexicon::NAME_STOP_CHARS.chars()),
            transliteration: HanSet::from_chars(
                crate::scan::names::TRANSLITERATION
                    .chars()
                    .filter(|c| !c.is_whitespace()),
            ),
            han_flags: {
                let mut t = vec![0u8; 0xA000 - 0x4E00];
                let mut mark = |s: &mut dyn Iterator<Item = char>, f: u8| {
                    for c in s {
                        if let Some(x) = (c as usize).checked_sub(0x4E00).and_then(|k| t.get_mut(k))
                        {
                            *x |= f;
                        }
                    }
                };
                mark(&mut lexicon::PLATE_PROVINCES.chars(), 1);
                mark(&mut lexicon::ROAD_SUFFIXES.chars(), 2);
                mark(&mut lexicon::SURNAMES.chars(), 4);
                mark(&mut lexicon::TRADITIONAL_SURNAMES.chars(), 4);
                mark(&mut lexicon::RARE_SURNAMES.chars(), 4);
                // The first digit of a year in Chinese numerals (一九九〇年, 二〇〇一年).
                mark(&mut "一二".chars(), 8);
                // Divisions end an address after its cue (`住址：云南省昆明市五华区`).
                mark(&mut lexicon::ADMIN_SUFFIXES.chars(), 16);
                // Estates end an address before their building (`金地花园5栋`).
                mark(
                    &mut lexicon::ESTATE_SUFFIXES
                        .iter()
                        .filter_map(|w| w.chars().last()),
                    ESTATE_FLAG,
                );
                mark(
                    &mut lexicon::COMPOUND_SURNAMES
                        .iter()
                        .chain(lexicon::TRADITIONAL_COMPOUND_SURNAMES)
                        .filter_map(|s| s.chars().next()),
                    4,
                );
                t
            },
            honorific_first: HanSet::from_chars(
                first(lexicon::HONORIFICS_AFTER)
                    .into_iter()
                    .chain(first(lexicon::OFFICE_TITLES)),
            ),
            estate_last: HanSet::from_chars(
                lexicon::ESTATE_SUFFIXES
                    .iter()
                    .filter_map(|w| w.chars().last()),
            ),
            name_stop_pairs: PairSet::new(lexicon::NAME_STOP_WORDS),
            honorific_pairs: PairSet::new(
                &lexicon::HONORIFICS_AFTER
                    .iter()
                    .chain(lexicon::OFFICE_TITLES)
                    .copied()
                    .collect::<Vec<_>>(),
            ),
            common_pairs: PairSet::new(lexicon::COMMON_WORDS),
            verb_pairs: PairSet::new(lexicon::VERBS_AFTER_NAME),
            // Two-character words only: a longer word's first two characters (`王国`) may
            // begin a name (`王国庆`).
            word_pairs: PairSet::new(
                &lexicon::COMMON_WORDS
                    .iter()
                    .copied()
                    .chain(crate::model::SURNAME_WORDS.split_whitespace())
                    .filter(|w| w.chars().count() == 2)
                    .collect::<Vec<_>>(),
            ),
            given_chars: HanSet::from_chars(
                crate::model::GIVEN_CHARS
                    .chars()
                    .chain(lexicon::MORE_GIVEN_CHARS.chars()),
            ),
            role_last: HanSet::from_chars(
                lexicon::ROLE_CUES
                    .iter()
                    .chain(lexicon::OFFICE_CUES)
                    .filter_map(|w| w.chars().last()),
            ),
            role_words: ByLastChar::new(lexicon::ROLE_CUES.iter().chain(lexicon::OFFICE_CUES)),
            compound_pairs: PairSet::new(
                &lexicon::COMPOUND_SURNAMES
                    .iter()
                    .chain(lexicon::TRADITIONAL_COMPOUND_SURNAMES)
                    .copied()
                    .collect::<Vec<_>>(),
            ),
            cue_last: HanSet::from_chars(
                lexicon::CUES
                    .iter()
                    .filter_map(|(w, _)| w.chars().last())
                    .filter(|c| !c.is_ascii()),
            ),
            cues_rev,
            // A word too long to pack would never be found: refuse to build.
            not_name_words: PackedWords::new(
                lexicon::NOT_NAME_WORDS
                    .iter()
                    .chain(lexicon::SENTENCE_WORDS)
                    .chain(lexicon::TITLE_WORDS)
                    .chain(
                        lexicon::RANKS
                            .iter()
                            .filter(|r| !lexicon::RANKS_THE_MODEL_READS.contains(r)),
                    )
                    .chain(lexicon::DATE_FORMAT_WORDS)
                    .chain(lexicon::FORM_WORDS)
                    .copied(),
            )?,
            cue_last_runs: {
                let mut v = Vec::new();
                for (w, _) in lexicon::CUES {
                    let wb = w.as_bytes();
                    if !wb.last().is_some_and(|&c| is_alnum(c)) {
                        continue;
                    }
                    let start = wb.iter().rposition(|&c| !is_alnum(c)).map_or(0, |k| k + 1);
                    v.push(tail_key(&wb[start..])?);
                }
                v.sort_unstable();
                v.dedup();
                v
            },
            given_names: PackedWords::new(lexicon::GIVEN_NAMES.split_whitespace())?,
            terms_words: PackedWords::new(lexicon::TERMS_WORDS.iter().copied())?,
            reporting_verbs: PackedWords::new(lexicon::REPORTING_VERBS.iter().copied())?,
            english_words: PackedWords::new(lexicon::ENGLISH_WORDS.split_whitespace())?,
            codes: PackedWords::new(lexicon::CODES.split_whitespace())?,
            longest_cue: lexicon::CUES
                .iter()
                .map(|(w, _)| w.len())
                .max()
                .unwrap_or(0)
                .min(MAX_WINDOW),
        })
    }

    /// Flags of a code point in the Han block (0 outside it or when nothing starts there).
    #[inline]
    pub(crate) fn han_flags(&self, cp: u32) -> u8 {
        (cp as usize)
            .checked_sub(0x4E00)
            .and_then(|k| self.han_flags.get(k))
            .copied()
            .unwrap_or(0)
    }

    /// Whether `a` and `b` form a compound surname (欧阳, 司马, ...).
    pub(crate) fn is_compound_surname(&self, a: char, b: char) -> bool {
        self.compound_pairs.has(a, b)
    }

    /// Whether a word (any case) is one that is never a Latin-script name.
    pub(crate) fn is_not_name_word(&self, w: &[u8]) -> bool {
        self.not_name_words.contains(w)
    }

    /// Whether `c` is common in given names.
    pub(crate) fn is_given_char(&self, c: char) -> bool {
        self.given_chars.contains(c)
    }

    /// Whether a word (any case) is one of [`lexicon::TERMS_WORDS`].
    pub(crate) fn is_terms_word(&self, w: &[u8]) -> bool {
        self.terms_words.contains(w)
    }

    /// Whether a word (any case) is one of [`lexicon::ENGLISH_WORDS`] (`Analysis`, `Payable`).
    pub(crate) fn is_english_word(&self, w: &[u8]) -> bool {
        self.english_words.contains(w)
    }

    /// Whether a word (any case) is one of [`lexicon::CODES`] (`USD`, `PVG`).
    pub(crate) fn is_code(&self, w: &[u8]) -> bool {
        self.codes.contains(w)
    }

    /// Whether a word is one of [`lexicon::REPORTING_VERBS`].
    pub(crate) fn is_reporting_verb(&self, w: &[u8]) -> bool {
        self.reporting_verbs.contains(w)
    }

    /// Whether a hyphenated word is given names joined (`Anne-Marie`, `Jean-Luc`).
    pub(crate) fn is_hyphenated_given(&self, w: &[u8]) -> bool {
        w.contains(&b'-') && w.split(|&c| c == b'-').all(|p| self.is_given_name(p))
    }

    /// Whether a word (any case) is one of [`lexicon::GIVEN_NAMES`].
    pub(crate) fn is_given_name(&self, w: &[u8]) -> bool {
        self.given_names.contains(w)
    }

    /// Whether a name stop word starts at `i`.
    pub(crate) fn name_stop_at(&self, b: &[u8], i: usize) -> bool {
        self.pair_at(b, i, &self.name_stop_pairs)
    }

    /// Whether an honorific (先生, 师傅, 总, ...) starts at `i`.
    pub(crate) fn honorific_at(&self, b: &[u8], i: usize) -> bool {
        self.pair_at(b, i, &self.honorific_pairs)
    }

    /// Whether a common word that begins with a surname character starts at `i` (信息, 应当).
    pub(crate) fn common_word_at(&self, b: &[u8], i: usize) -> bool {
        let (c0, l0) = decode_at(b, i);
        let (c1, _) = decode_at(b, i + l0);
        l0 > 0 && self.common_pairs.has(c0, c1)
    }

    /// Whether a verb that ends a name the rule reads starts at `i` (获得, 发来).
    pub(crate) fn verb_after_name_at(&self, b: &[u8], i: usize) -> bool {
        let (c0, l0) = decode_at(b, i);
        let (c1, _) = decode_at(b, i + l0);
        l0 > 0 && self.verb_pairs.has(c0, c1)
    }

    /// Whether the candidate name `i..end` is rather a word that begins with a surname
    /// character (the common words above and the name model's own list of two-character
    /// ones: 林业, 金融, 包装): the word itself, or the word and a character no given name has
    /// (`林业局`, `金融街`; but `王国庆`). A compound surname is no such word (`欧阳`).
    pub(crate) fn surname_word_at(&self, b: &[u8], i: usize, end: usize) -> bool {
        let (c0, l0) = decode_at(b, i);
        let (c1, l1) = decode_at(b, i + l0);
        if l0 == 0 || l1 == 0 || self.is_compound_surname(c0, c1) || !self.word_pairs.has(c0, c1) {
            return false;
        }
        let after = i + l0 + l1;
        after >= end || !self.given_chars.contains(decode_at(b, after).0)
    }

    /// Whether a party or role word (原告, 乘车人 ...) ends right before `i`, after a colon or
    /// a space.
    pub(crate) fn role_cue_before(&self, b: &[u8], i: usize) -> bool {
        // Most characters before a surname are neither a separator nor a role word's last.
        match decode_before(b, i) {
            Some((c, _)) if self.role_last.contains(c) || matches!(c, '：' | ':' | ' ') => {}
            _ => return false,
        }
        // Up to two separators (`原告： 张三`).
        let mut p = i;
        for _ in 0..2 {
            match ["：", ":", " "].iter().find(|sep| ends_with_at(b, p, sep)) {
                Some(sep) => p -= sep.len(),
                None => break,
            }
        }
        decode_before(b, p).is_some_and(|(c, _)| {
            self.role_last.contains(c)
                && self.role_words.ending_in(c).any(|w| ends_with_at(b, p, w))
        })
    }

    fn pair_at(&self, b: &[u8], i: usize, set: &PairSet) -> bool {
        let (c0, l0) = decode_at(b, i);
        if l0 == 0 || !set.first(c0) {
            return false;
        }
        let (c1, _) = decode_at(b, i + l0);
        set.single(c0) || set.has(c0, c1)
    }

    /// The cue closest before `end` within `window` bytes, with the byte offset where it
    /// ends. ASCII cues count only as whole words; some count only right before the value.
    pub(crate) fn cue_before(&self, b: &[u8], end: usize, window: usize) -> Option<(Cue, usize)> {
        let mut from = end.saturating_sub(window.min(MAX_WINDOW));
        // Align to a character boundary.
        while from < end && b.get(from).is_some_and(|&c| c & 0xC0 == 0x80) {
            from += 1;
        }
        let hay = b.get(from..end)?;
        let mut rev = [0u8; MAX_WINDOW];
        let n = hay.len();
        for (k, &c) in hay.iter().rev().enumerate() {
            rev[k] = c;
        }
        let rev = &rev[..n];
        let mut at = 0;
        while at < n {
            let m = self.cues_rev.find(Input::new(rev).span(at..n))?;
            let (s, e) = (end - m.end(), end - m.start());
            let word = lexicon::CUES.get(m.pattern().as_usize())?;
            if !self.accept(b, word.0, s, e, end) {
                at = m.start() + 1;
                continue;
            }
            // A bare "No." or "#" after a type word is that type's label: "Passport No.".
            if lexicon::LABEL_WORDS
                .iter()
                .any(|w| word.0.eq_ignore_ascii_case(w))
            {
                // Up to two spaces or one dot between them: `Passport No.`, `ID.NO.`.
                let mut p = s;
                while p > from && b.get(p - 1) == Some(&b' ') && s - p < 2 {
                    p -= 1;
                }
                if p == s && p > from && b.get(p - 1) == Some(&b'.') {
                    p -= 1;
                }
                if let Some(c) = self
                    .cue_ending_at(b, p, from)
                    .filter(|c| *c != Cue::Reference)
                    .or_else(|| labelled_type_word(b, p, from))
                {
                    return Some((c, e));
                }
            }
            return Some((word.1, e));
        }
        None
    }

    /// A cue that ends exactly at `p` (and starts at or after `from`).
    pub(crate) fn cue_ending_at(&self, b: &[u8], p: usize, from: usize) -> Option<Cue> {
        // A cue that ends in a letter or digit right before `p` ends in the whole run of them
        // there (its first letter has no letter before it; a space or `_` inside it stands
        // before its last run): most runs end no cue, and a set lookup says so. It looks back
        // no further than the longest cue (linear on any input).
        let lo = p.saturating_sub(self.longest_cue).max(from);
        if p > lo && b.get(p - 1).is_some_and(|&c| is_alnum(c)) {
            let run = match b[lo..p].iter().rposition(|&c| !is_alnum(c)) {
                Some(k) => Some(lo + k + 1),
                None => (lo == from).then_some(from),
            };
            if let Some(run) = run
                && let Some(k) = tail_key(&b[run..p])
                && self.cue_last_runs.binary_search(&k).is_err()
            {
                return None;
            }
        }
        let hay = b.get(lo..p)?;
        let mut rev = [0u8; MAX_WINDOW];
        let n = hay.len();
        for (k, &c) in hay.iter().rev().enumerate() {
            rev[k] = c;
        }
        let m = self
            .cues_rev
            .find(Input::new(&rev[..n]).anchored(Anchored::Yes))?;
        let word = lexicon::CUES.get(m.pattern().as_usize())?;
        let s = p - m.end();
        (self.accept_word(b, word.0, s, p)).then_some(word.1)
    }

    /// Whether `b[i..end]` is a whole role word of [`lexicon::ROLE_CUES`] or
    /// [`lexicon::OFFICE_CUES`] (`班主任`).
    pub(crate) fn is_role_word(&self, b: &[u8], i: usize, end: usize) -> bool {
        decode_before(b, end).is_some_and(|(c, _)| {
            self.role_last.contains(c)
                && self
                    .role_words
                    .ending_in(c)
                    .any(|w| b[i..end] == *w.as_bytes())
        })
    }

    /// Whether `b[i..end]` is a whole cue word (`申請人`): a name candidate that is one is
    /// the label, not a name.
    pub(crate) fn is_cue_word(&self, b: &[u8], i: usize, end: usize) -> bool {
        if !decode_before(b, end).is_some_and(|(c, _)| self.cue_last.contains(c)) {
            return false;
        }
        let Some(hay) = b.get(i..end).filter(|h| h.len() <= MAX_WINDOW) else {
            return false;
        };
        let mut rev = [0u8; MAX_WINDOW];
        for (k, &c) in hay.iter().rev().enumerate() {
            rev[k] = c;
        }
        self.cues_rev
            .find(Input::new(&rev[..hay.len()]).anchored(Anchored::Yes))
            .is_some_and(|m| m.end() == hay.len())
    }

    fn accept_word(&self, b: &[u8], word: &str, s: usize, e: usize) -> bool {
        if !word.is_ascii() {
            return true;
        }
        let wb = word.as_bytes();
        let first_alnum = wb.first().is_some_and(|&c| is_alnum(c));
        let last_alnum = wb.last().is_some_and(|&c| is_alnum(c));
        let before_ok = !first_alnum || s == 0 || b.get(s - 1).is_none_or(|&c| !is_alnum(c));
        let after_ok = !last_alnum || b.get(e).is_none_or(|&c| !c.is_ascii_alphabetic());
        before_ok && after_ok
    }

    fn accept(&self, b: &[u8], word: &str, s: usize, e: usize, end: usize) -> bool {
        self.accept_word(b, word, s, e)
            && (!lexicon::ADJACENT_ONLY.contains(&word)
                || b.get(e..end).is_some_and(only_separators))
    }
}

/// A set of words, each packed as [`pack_word`] packs it, sorted: a lookup (any case) is a
/// few integer compares.
struct PackedWords(Vec<u128>);

impl PackedWords {
    /// `None` if a word is too long to pack (it would never be found).
    fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Option<PackedWords> {
        let mut w = words
            .into_iter()
            .map(|w| pack_word(w.as_bytes()))
            .collect::<Option<Vec<u128>>>()?;
        w.sort_unstable();
        w.dedup();
        Some(PackedWords(w))
    }

    fn contains(&self, w: &[u8]) -> bool {
        pack_word(w).is_some_and(|k| self.0.binary_search(&k).is_ok())
    }
}

/// A word of 1 to 15 bytes, ASCII letters lower-cased, packed into one integer: its bytes
/// from the top, its length in the lowest byte (so that no two words share a key). `None` for
/// an empty or longer word.
#[inline]
fn pack_word(w: &[u8]) -> Option<u128> {
    if w.is_empty() || w.len() > 15 {
        return None;
    }
    let mut k = [0u8; 16];
    for (d, s) in k.iter_mut().zip(w) {
        *d = s.to_ascii_lowercase();
    }
    k[15] = w.len() as u8;
    Some(u128::from_be_bytes(k))
}

/// A run of letters and digits by its last 15 bytes at most, packed: equal runs give equal
/// keys.
fn tail_key(run: &[u8]) -> Option<u128> {
    pack_word(&run[run.len().saturating_sub(15)..])
}

/// Whether `gap` holds only spaces and punctuation (no letter, digit or Han character).
fn only_separators(gap: &[u8]) -> bool {
    if gap.len() > 8 {
        return false;
    }
    let mut i = 0;
    while i < gap.len() {
        let (c, l) = crate::text::decode_at(gap, i);
        let sep = (c.is_ascii() && !c.is_ascii_alphanumeric())
            || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}');
        if !sep {
            return false;
        }
        i += l.max(1);
    }
    true
}

/// Whether `b[i..]` starts with the string `w`.
#[inline]
pub(crate) fn starts_with_at(b: &[u8], i: usize, w: &str) -> bool {
    b.get(i..).is_some_and(|r| r.starts_with(w.as_bytes()))
}

/// The type of one of [`lexicon::LABELLED_TYPE_WORDS`] ending at `p` (a whole word, any case,
/// starting at or after `from`).
fn labelled_type_word(b: &[u8], p: usize, from: usize) -> Option<Cue> {
    lexicon::LABELLED_TYPE_WORDS.iter().find_map(|&(w, c)| {
        let s = p.checked_sub(w.len()).filter(|&s| s >= from)?;
        let word = b.get(s..p)?;
        let whole = s == 0 || b.get(s - 1).is_none_or(|&x| !is_alnum(x));
        (whole && word.eq_ignore_ascii_case(w.as_bytes())).then_some(c)
    })
}

/// Whether `b[..i]` ends with `w`.
#[inline]
pub(crate) fn ends_with_at(b: &[u8], i: usize, w: &str) -> bool {
    b.get(..i).is_some_and(|r| r.ends_with(w.as_bytes()))
}

/// The character at `i` if it is in `set`, with its length.
#[inline]
pub(crate) fn char_in(b: &[u8], i: usize, set: &HanSet) -> Option<(char, usize)> {
    let (c, l) = decode_at(b, i);
    (l > 0 && set.contains(c)).then_some((c, l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_builds_and_finds_closest_cue() {
        let lx = lexicon().unwrap();
        assert!(lx.surnames.contains('王'));
        assert!(!lx.surnames.contains('的'));
        let text = "订单号123，身份证号：".as_bytes();
        let (cue, _) = lx.cue_before(text, text.len(), 64).unwrap();
        assert_eq!(cue, Cue::IdCard);
        let text = b"\"order_id\":\"";
        assert_eq!(
            lx.cue_before(text, text.len(), 64).unwrap().0,
            Cue::Reference
        );
        let text = b"via ID ";
        assert_eq!(lx.cue_before(text, text.len(), 64).unwrap().0, Cue::IdCard);
        // "ts" inside "contacts" is not a whole word
        let text = b"contacts ";
        assert_ne!(
            lx.cue_before(text, text.len(), 64).map(|c| c.0),
            Some(Cue::Time)
        );
    }

    #[test]
    fn a_cue_ends_at_a_run_the_gate_lets_through() {
        let lx = lexicon().unwrap();
        let at_end = |t: &str, from: usize| lx.cue_ending_at(t.as_bytes(), t.len(), from);
        // Multi-word, snake_case and one-word cues, in any case; the gate never hides them.
        assert_eq!(at_end("Social Security Number", 0), Some(Cue::Ssn));
        assert_eq!(at_end("x customer_name", 0), Some(Cue::Name));
        assert_eq!(at_end("FullName", 0), Some(Cue::Name));
        assert_eq!(at_end("Passport", 0), Some(Cue::Passport));
        // A cue that is the tail of a longer run is no cue (`xname`), nor a run no cue ends.
        assert_eq!(at_end("xname", 0), None);
        assert_eq!(at_end("Emily", 0), None);
        // A run longer than the longest cue is looked at no further back than that.
        let long = "a".repeat(10_000) + "name";
        assert_eq!(at_end(&long, 0), None);
        // For every cue, the gate agrees with the search alone.
        for (w, c) in crate::lexicon::CUES {
            assert_eq!(at_end(&format!(" {w}"), 0), Some(*c), "{w}");
        }
    }
}
