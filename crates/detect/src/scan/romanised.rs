//! Chinese names written in Latin letters without a cue word: pinyin in either order (`Jinfeng
//! Xu`, `Shen Yaqin`, `LINGHU Laifu`) and Cantonese romanisation with its hyphenated given name
//! (`CHAN Chi-keung`, `Ho Wing-yan`, `Tai-man CHAN`), as Hong Kong and Macau write them.

use super::*;
use crate::model::latin_data::is_pinyin_surname;

/// Cantonese romanisations of common surnames (any case).
const CANTONESE_SURNAMES: &[&str] = &[
    "chan", "wong", "lee", "cheung", "lau", "lam", "ng", "ho", "choi", "mak", "leung", "yeung",
    "tang", "kwok", "chow", "tsang", "yip", "lo", "fung", "chu", "lai", "tam", "siu", "cheng",
    "kwan", "poon", "law", "lui", "yuen", "tse", "fong", "hui", "chiu", "kong", "au", "hung", "ko",
    "wan", "mok", "kam", "pang", "tsui", "chui", "sze", "ip", "yau", "man", "ma", "wu",
];

/// Two pinyin words that are a place, or English words that are pinyin too: no name.
const NOT_PINYIN_NAMES: &[&str] = &[
    "hong kong",
    "xi an",
    "ma on",
    "tai po",
    "sha tin",
    "he can",
    "he is",
    "she is",
    "he was",
];

/// Words that begin English sentences and are pinyin too (`He`, `She`, `Men`): not read as a
/// surname or a given name by these rules.
const ENGLISH_PINYIN: &[&str] = &[
    "he", "she", "me", "we", "an", "men", "man", "can", "so", "no", "yo", "ban", "pin", "fan",
    "long", "tan", "gang", "sun", "bin", "den", "ding", "pan", "hang", "ring",
];

impl Scanner<'_> {
    /// A Cantonese name at `i` (the word `i..we` its surname or its given name's first part):
    /// the surname and a given name of two syllables joined by a hyphen, the second in lower
    /// case, either order. Where it ends.
    pub(super) fn cantonese_name(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        let is_surname = |w: &[u8]| {
            CANTONESE_SURNAMES
                .iter()
                .any(|s| w.eq_ignore_ascii_case(s.as_bytes()))
        };
        // The hyphenated given name first: the cheap test, most words have none after them.
        let e = if b.get(we) == Some(&b' ')
            && let Some(e) = hyphenated_given(b, we + 1)
            && is_surname(&b[i..we])
        {
            e
        } else if b.get(we) == Some(&b'-') {
            // `Tai-man CHAN`: the given name first, the surname after in capitals.
            let g = hyphenated_given(b, i)?;
            if b.get(g) != Some(&b' ') {
                return None;
            }
            let s = g + 1;
            let se = s + b[s..]
                .iter()
                .take(8)
                .take_while(|c| c.is_ascii_uppercase())
                .count();
            if se < s + 2 || !word_end(b, se) || !is_surname(&b[s..se]) {
                return None;
            }
            se
        } else {
            return None;
        };
        self.push(i, e, PiType::PersonNameEn, 0.8, false, move || {
            String::from_utf8_lossy(&b[i..e]).into_owned()
        });
        Some(e)
    }

    /// Two pinyin words at `i` (the first `i..we`), a surname and a given name in either order:
    /// each capitalised or one in capitals, neither an English word, not a place.
    pub(super) fn pinyin_name(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        if b.get(we) != Some(&b' ') || !upper_at(b, we + 1) || we - i < 2 {
            return None;
        }
        let s2 = we + 1;
        let e = s2
            + b[s2..]
                .iter()
                .take(16)
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
        let (w1, w2) = (&b[i..we], &b[s2..e]);
        if e < s2 + 2 {
            return None;
        }
        let caps = |w: &[u8]| w.iter().all(u8::is_ascii_uppercase);
        let title = |w: &[u8]| {
            w.get(1..)
                .is_some_and(|r| r.iter().all(u8::is_ascii_lowercase))
        };
        let cased = (title(w1) && title(w2)) || (caps(w1) && title(w2)) || (title(w1) && caps(w2));
        if !word_end(b, e) || !cased || !w1.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        // The syllables first (a binary search), the surnames' list after.
        let pair = (is_pinyin_given(w2) && is_pinyin_surname(w1))
            || (is_pinyin_given(w1) && is_pinyin_surname(w2));
        let english = |w: &[u8]| {
            self.lx.is_english_word(w)
                || self.lx.is_not_name_word(w)
                || ENGLISH_PINYIN
                    .iter()
                    .any(|x| w.eq_ignore_ascii_case(x.as_bytes()))
        };
        // A third capitalised word after them: a heading's or a place's run.
        let run = b.get(e) == Some(&b' ') && upper_at(b, e + 1);
        if !pair
            || english(w1)
            || english(w2)
            || run
            || NOT_PINYIN_NAMES
                .iter()
                .any(|x| b[i..e].eq_ignore_ascii_case(x.as_bytes()))
            || places::after_place_word(b, i)
            || places::not_a_person(self.lx, &b[i..e])
            || self.column_without_names(i)
        {
            return None;
        }
        self.push(i, e, PiType::PersonNameEn, 0.75, false, move || {
            String::from_utf8_lossy(&b[i..e]).into_owned()
        });
        Some(e)
    }
}

/// A given name of two syllables joined by a hyphen at `p` (`Chi-keung`, `Wing-yan`): a
/// capital, lower-case letters, `-`, lower-case letters, and the word's end. Where it ends.
fn hyphenated_given(b: &[u8], p: usize) -> Option<usize> {
    if !upper_at(b, p) {
        return None;
    }
    let a = p
        + 1
        + b[p + 1..]
            .iter()
            .take(6)
            .take_while(|c| c.is_ascii_lowercase())
            .count();
    if a < p + 2 || b.get(a) != Some(&b'-') {
        return None;
    }
    let e = a
        + 1
        + b[a + 1..]
            .iter()
            .take(7)
            .take_while(|c| c.is_ascii_lowercase())
            .count();
    (e >= a + 3 && word_end(b, e)).then_some(e)
}

/// Whether a word (any case) is a pinyin given name of one or two syllables.
fn is_pinyin_given(w: &[u8]) -> bool {
    super::directory::is_pinyin_given(w)
}
