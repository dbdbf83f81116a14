//! The name model: a linear model (trained as an averaged perceptron) that scores a
//! surname-led run of Han characters as a person's name or not, from the characters in it and
//! around it — the surname, the given-name characters, the characters before and after, the
//! kind of punctuation on each side, whether the run starts a line or a cell, and what the
//! lexicon says about its neighbours (an honorific, a stop word, a cue).
//!
//! The rules in [`crate::scan`] keep deciding where a cue or an honorific stands; the model
//! finds the names no cue announces (`@陈晓明 请确认`, `已通知王建国处理`, a speaker at the
//! start of a chat line) and keeps table cells and words that begin with a surname character
//! (`黄山`, `高铁`, `周末`) out.
//!
//! Features are hashed into a table of [`BITS`]-bit indexes; the weights ship in the binary
//! (`names.weights`, written by `cargo run --release -p custodian-detect --example
//! train_names`, which generates its own training text — see [`train`]). The same
//! [`candidates`] and [`features`] functions serve training and scanning, and training asks
//! the model at the places the scanner does, with the same gates (a stop word, a column that
//! holds no names); what it does not mirror is the rules taking a candidate first.

use crate::lex::Lexicon;
use crate::text::{decode_at, decode_before, is_han};

pub mod train;

mod data;
pub(crate) use data::{GIVEN as GIVEN_CHARS, WORDS as SURNAME_WORDS};
pub(crate) mod latin;
pub(crate) mod latin_data;

/// Bits of a hashed feature index.
pub(crate) const BITS: u32 = 17;
/// Features per candidate, at most.
pub(crate) const MAX_FEATURES: usize = 24;

/// The shipped weights, one table for Han candidates and one for Latin ones, each a 16-byte
/// header (`CUSTNAM1`, the index bits as `u32`, the scale as
/// `f32`, little-endian) and then `2^BITS` little-endian `i16` weights.
static WEIGHTS: &[u8] = include_bytes!("names.weights");
static LATIN_WEIGHTS: &[u8] = include_bytes!("latin.weights");
const HEADER: usize = 16;
const MAGIC: &[u8; 8] = b"CUSTNAM1";

/// One candidate name: where it starts, where its surname ends, where it ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub sur_end: usize,
    pub end: usize,
}

/// The candidate spans for a name that starts at `i` (a surname character): the surname
/// (single, or compound where the lexicon has one) followed by one or two Han characters that
/// can be part of a name. At most four.
pub(crate) fn candidates(lx: &Lexicon, b: &[u8], i: usize) -> ([Span; 4], usize) {
    let mut out = [Span {
        start: i,
        sur_end: i,
        end: i,
    }; 4];
    let mut n = 0;
    let (c0, l0) = decode_at(b, i);
    let (c1, l1) = decode_at(b, i + l0);
    let mut surnames = [0usize; 2];
    let mut ns = 0;
    if lx.surnames.contains(c0) {
        surnames[ns] = i + l0;
        ns += 1;
    }
    if lx.compound_first.contains(c0) && lx.is_compound_surname(c0, c1) {
        surnames[ns] = i + l0 + l1;
        ns += 1;
    }
    for &sur_end in &surnames[..ns] {
        let mut p = sur_end;
        for _ in 0..2 {
            let (c, l) = decode_at(b, p);
            if l == 0 || !is_han(c) || lx.name_stop_chars.contains(c) {
                break;
            }
            p += l;
            if let Some(slot) = out.get_mut(n) {
                *slot = Span {
                    start: i,
                    sur_end,
                    end: p,
                };
                n += 1;
            }
        }
    }
    (out, n)
}

/// The hashed features of a candidate, as weight-table indexes.
pub(crate) struct Features {
    pub idx: [u32; MAX_FEATURES],
    pub n: usize,
}

impl Features {
    fn add_index(&mut self, k: u32) {
        if let Some(slot) = self.idx.get_mut(self.n) {
            *slot = k;
            self.n += 1;
        }
    }

    fn add(&mut self, template: u32, a: u32, c: u32) {
        if let Some(slot) = self.idx.get_mut(self.n) {
            *slot = hash(template, a, c);
            self.n += 1;
        }
    }
}

/// What all candidates that start at one position share: the characters before them, the
/// surname, the cue — and their hashed features.
pub(crate) struct Context {
    sur: u32,
    cp1: u32,
    cp2: u32,
    shared: Features,
}

impl Context {
    /// The context of candidates starting at `start`; `cue` is what the scanner knows about
    /// the text before it that the characters alone do not say cheaply: the kind of cue right
    /// before it (0 for none).
    pub(crate) fn new(lx: &Lexicon, b: &[u8], start: usize, cue: u32) -> Self {
        let sur = decode_at(b, start).0 as u32;
        let (p1, p2) = match decode_before(b, start) {
            Some((c, l)) => (c, decode_before(b, start - l).map_or('\n', |x| x.0)),
            None => ('\n', '\n'),
        };
        let (p1, p2) = (tok(p1), tok(p2));
        let (cp1, cp2) = (class(p1), class(p2));
        let p1_surname = u32::from(lx.surnames.contains(p1));
        let (p1, p2) = (p1 as u32, p2 as u32);
        let mut shared = Features {
            idx: [0; MAX_FEATURES],
            n: 0,
        };
        shared.add(2, sur, 0);
        shared.add(7, p1, 0);
        shared.add(8, p2, p1);
        shared.add(12, p1, sur);
        shared.add(16, cue, 0);
        shared.add(18, p1_surname, cp1);
        Context {
            sur,
            cp1,
            cp2,
            shared,
        }
    }
}

impl Context {
    /// The hashed features every candidate at this position shares.
    pub(crate) fn shared(&self) -> &[u32] {
        &self.shared.idx[..self.shared.n]
    }
}

/// The features of one candidate beyond its context's.
pub(crate) fn features(lx: &Lexicon, b: &[u8], cx: &Context, s: Span) -> Features {
    let mut f = Features {
        idx: [0; MAX_FEATURES],
        n: 0,
    };
    let (g1, l1) = decode_at(b, s.sur_end);
    let g2 = if s.sur_end + l1 < s.end {
        decode_at(b, s.sur_end + l1).0
    } else {
        '\0'
    };
    let given = if g2 == '\0' { 1 } else { 2 };
    let compound = u32::from(s.sur_end - s.start > 3);
    let glast = if g2 == '\0' { g1 } else { g2 };
    let (n1, ln1) = decode_at(b, s.end);
    let n2 = if ln1 == 0 {
        '\n'
    } else {
        decode_at(b, s.end + ln1).0
    };
    let (n1, n2) = (tok(n1), tok(n2));
    let cn1 = class(n1);
    let (n1, n2) = (n1 as u32, n2 as u32);
    let (g1, g2, glast) = (g1 as u32, g2 as u32, glast as u32);
    f.add(1, given, compound);
    f.add(3, g1, given);
    f.add(4, g2, 0);
    f.add(5, g1, g2);
    f.add(6, glast, n1);
    f.add(9, n1, given);
    f.add(10, n1, n2);
    f.add(11, cx.cp1 * 16 + cn1, given);
    f.add(13, cx.sur, g1);
    f.add(14, glast, given);
    f.add(15, u32::from(lx.honorific_at(b, s.end)), given);
    f.add(17, u32::from(lx.name_stop_at(b, s.end)), given);
    f.add(19, cx.cp2 * 16 + cx.cp1, cn1);
    f.add(20, u32::from(lx.name_stop_at(b, s.sur_end)), 0);
    f.add(21, n1, 0);
    f
}

/// The best candidate for a name starting at `i` and its score, if any scores above zero;
/// `weight` reads one entry of a weight table.
pub(crate) fn best(
    lx: &Lexicon,
    b: &[u8],
    i: usize,
    cue: u32,
    weight: impl Fn(u32) -> i32,
) -> Option<(i32, Span)> {
    let (spans, n) = candidates(lx, b, i);
    if n == 0 {
        return None;
    }
    let cx = Context::new(lx, b, i, cue);
    let shared: i32 = cx.shared().iter().map(|&k| weight(k)).sum();
    highest(&spans[..n], |s| {
        shared + score(&features(lx, b, &cx, *s), &weight)
    })
}

/// A feature set's score under `weight`.
pub(crate) fn score(f: &Features, weight: &impl Fn(u32) -> i32) -> i32 {
    f.idx[..f.n].iter().map(|&k| weight(k)).sum()
}

/// The candidate with the highest score above zero (the first of equals), with its score.
pub(crate) fn highest<S: Copy>(spans: &[S], score: impl Fn(&S) -> i32) -> Option<(i32, S)> {
    let mut best: Option<(i32, S)> = None;
    for s in spans {
        let v = score(s);
        if v > 0 && best.is_none_or(|(bv, _)| v > bv) {
            best = Some((v, *s));
        }
    }
    best
}

/// One entry of a weight table in the shipped layout (zero past its end).
pub(crate) fn weight_in(table: &[u8], k: u32) -> i32 {
    let at = HEADER + k as usize * 2;
    table
        .get(at..at + 2)
        .map_or(0, |w| i32::from(i16::from_le_bytes([w[0], w[1]])))
}

/// One entry of the shipped Han weights.
pub(crate) fn weight(k: u32) -> i32 {
    weight_in(WEIGHTS, k)
}

/// One entry of the shipped Latin weights.
pub(crate) fn latin_weight(k: u32) -> i32 {
    weight_in(LATIN_WEIGHTS, k)
}

/// The scales of the shipped Han and Latin weights (score units per unit of the trained
/// model), or `None` when a table is missing or malformed — then the model finds nothing.
pub(crate) fn scales() -> Option<(f32, f32)> {
    Some((scale_of(WEIGHTS)?, scale_of(LATIN_WEIGHTS)?))
}

fn scale_of(table: &[u8]) -> Option<f32> {
    let h = table.get(..HEADER)?;
    if &h[..8] != MAGIC || u32::from_le_bytes([h[8], h[9], h[10], h[11]]) != BITS {
        return None;
    }
    if table.len() != HEADER + (2usize << BITS) {
        return None;
    }
    Some(f32::from_le_bytes([h[12], h[13], h[14], h[15]]))
}

/// Checks candidate and feature extraction on any input, as the `name_model` fuzz target
/// does: at every place the scanner would ask the model, each candidate lies on the input
/// with its parts in order and on character boundaries (as the scanner decodes: an invalid
/// byte is one character), each feature index fits the table,
/// and the best candidate is one of them. Panics on a violation; returns the candidates seen.
#[doc(hidden)]
pub fn check_extraction(b: &[u8]) -> usize {
    let Some(lx) = crate::lex::lexicon() else {
        return 0;
    };
    let sc = crate::scan::Scanner::new(b, lx, None, false);
    // Character boundaries as the scanner decodes (an invalid byte is one character).
    let mut boundary = vec![false; b.len() + 1];
    let mut p = 0;
    while p < b.len() {
        boundary[p] = true;
        p += decode_at(b, p).1.max(1);
    }
    boundary[b.len()] = true;
    let on_boundary = |p: usize| boundary.get(p).copied().unwrap_or(false);
    let fits = |f: &Features| f.n <= MAX_FEATURES && f.idx[..f.n].iter().all(|&k| k >> BITS == 0);
    let mut seen = 0;
    let mut i = 0;
    while i < b.len() {
        let (c, l) = decode_at(b, i);
        let cue = sc.name_cue(i);
        if lx.surnames.contains(c) || lx.compound_first.contains(c) {
            let (spans, n) = candidates(lx, b, i);
            let cx = Context::new(lx, b, i, cue);
            assert!(fits(&cx.shared));
            for s in &spans[..n] {
                assert!(s.start == i && i < s.sur_end && s.sur_end < s.end && s.end <= b.len());
                assert!(on_boundary(s.sur_end) && on_boundary(s.end));
                assert!(fits(&features(lx, b, &cx, *s)));
                seen += 1;
            }
            if let Some((v, s)) = best(lx, b, i, cue, weight) {
                assert!(v > 0 && spans[..n].contains(&s));
            }
        }
        if c.is_ascii_uppercase() && crate::text::word_start(b, i) {
            let (spans, n) = latin::candidates(lx, b, i);
            for s in &spans[..n] {
                assert!(s.start == i && i < s.end && s.end <= b.len());
                assert!(fits(&latin::features(b, *s, cue)));
                seen += 1;
            }
            if let Some((v, s)) = latin::best(lx, b, i, cue, latin_weight) {
                assert!(v > 0 && spans[..n].contains(&s));
            }
        }
        i += l.max(1);
    }
    seen
}

/// Character token for context features: letters fold to `A`/`a`, digits to `0`, spaces to
/// one space, line ends to `\n`; everything else is itself.
fn tok(c: char) -> char {
    match c {
        'A'..='Z' => 'A',
        'a'..='z' => 'a',
        '0'..='9' | '０'..='９' => '0',
        ' ' | '\t' | '\u{3000}' => ' ',
        '\r' | '\0' => '\n',
        _ => c,
    }
}

/// Coarse class of a context token: line end, space, digit, letter, Han, other.
fn class(c: char) -> u32 {
    match c {
        '\n' => 1,
        ' ' => 2,
        '0' => 3,
        'A' | 'a' => 4,
        c if is_han(c) => 5,
        _ => 6,
    }
}

/// A feature's index: the template and its two values mixed (SplitMix64's finaliser) and cut
/// to [`BITS`] bits. Fixed, so that shipped weights stay valid across builds.
fn hash(template: u32, a: u32, b: u32) -> u32 {
    let mut x = (u64::from(template) << 48) ^ (u64::from(a) << 24) ^ u64::from(b);
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    (x & ((1 << BITS) - 1)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::lexicon;

    #[test]
    fn the_shipped_weights_are_well_formed() {
        assert!(scales().is_some_and(|(h, l)| h > 0.0 && l > 0.0));
    }

    #[test]
    fn extraction_holds_on_odd_input() {
        let inputs: [&[u8]; 6] = [
            "王".as_bytes(),
            "欧阳\u{FFFD}张".as_bytes(),
            b"\xE7\x8E\x8B\xFF\xE6",
            b"\xE7\x8E\x8B\xE5\xbb\xba\x8c\xE6\x9d\x8e",
            b"A. B/C D E F",
            "1.ZHANG/WEI MR, O'Neil's | 张伟, 黄山".as_bytes(),
        ];
        for b in inputs {
            check_extraction(b);
        }
        assert!(check_extraction("已通知王建国处理 Hi Emily Carter".as_bytes()) >= 4);
    }

    #[test]
    fn candidates_cover_single_and_compound_surnames() {
        let lx = lexicon().expect("lexicon");
        let b = "欧阳娜娜到了".as_bytes();
        let (c, n) = candidates(lx, b, 0);
        let spans: Vec<&str> = c[..n]
            .iter()
            .map(|s| std::str::from_utf8(&b[s.start..s.end]).expect("utf8"))
            .collect();
        assert_eq!(spans, ["欧阳", "欧阳娜", "欧阳娜", "欧阳娜娜"]);
        // A stop character ends the given name.
        let b = "王说了".as_bytes();
        assert_eq!(candidates(lx, b, 0).1, 0);
    }
}
