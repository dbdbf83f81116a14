//! The Latin-script half of the name model: candidates of one to three name-shaped words
//! (`Emily`, `O'Brien`, `ZHANG`, `J.`) joined by a space or, in booking records, a slash
//! (`ZHANG/WEI`), scored from the words themselves (lower-cased identity, last three letters,
//! shape) and their neighbours (the word or punctuation before and after, the line position,
//! the cue). Same table layout, training and decoding as the Han half.

use super::{Features, MAX_FEATURES, class, highest, score, tok};
use crate::lex::Lexicon;
use crate::scan::{name_word_end, upper_at};
use crate::text::{decode_at, decode_before};

/// One candidate: where it starts and ends, how many words, and whether a slash joins them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
    words: u32,
    slash: bool,
}

/// End of one name word at `p`: a name-shaped word or an initial (`J.`).
fn word_end(b: &[u8], p: usize) -> Option<usize> {
    if b.get(p).is_some_and(u8::is_ascii_uppercase)
        && b.get(p + 1) == Some(&b'.')
        && b.get(p + 2) == Some(&b' ')
    {
        return Some(p + 2);
    }
    name_word_end(b, p).filter(|&e| e > p)
}

/// The candidates that start at `i`: one, two and three words, up to the first word that is
/// a cue (`Rider`, `Passport`, `Social Security Number`: the rules read what follows) or a
/// word the lexicon says is never a name.
pub(crate) fn candidates(lx: &Lexicon, b: &[u8], i: usize) -> ([Span; 3], usize) {
    let mut out = [Span {
        start: i,
        end: i,
        words: 0,
        slash: false,
    }; 3];
    let mut n = 0;
    let mut p = i;
    let mut slash = false;
    // At most five tokens, initials included: a run of initials ("B. B. B. …") ends here.
    for _ in 0..5 {
        if n == 3 {
            break;
        }
        let Some(e) = word_end(b, p) else { break };
        let w = &b[p..e];
        if lx.cue_ending_at(b, e, i).is_some() || lx.is_not_name_word(w) {
            break;
        }
        // An initial stands only before another word.
        let initial = b.get(e - 1) == Some(&b'.');
        if !initial {
            out[n] = Span {
                start: i,
                end: e,
                words: n as u32 + 1,
                slash,
            };
            n += 1;
        }
        match b.get(e) {
            Some(b' ') if upper_at(b, e + 1) => p = e + 1,
            Some(b'/')
                if n == 1
                    && b[i..e].iter().all(u8::is_ascii_uppercase)
                    && b.get(e + 1).is_some_and(u8::is_ascii_uppercase) =>
            {
                slash = true;
                p = e + 1;
            }
            _ => break,
        }
        if initial && n == 0 && word_end(b, p).is_none() {
            break;
        }
    }
    (out, n)
}

/// Lower-cased identity of a word, hashed (FNV-1a).
fn word_id(w: &[u8]) -> u32 {
    w.iter().fold(0x811c_9dc5u32, |h, c| {
        (h ^ u32::from(c.to_ascii_lowercase())).wrapping_mul(0x0100_0193)
    })
}

/// Shape of a word: 1 `Xxx`, 2 `XXX`, 3 `X.`, 4 with an apostrophe or hyphen.
fn shape(w: &[u8]) -> u32 {
    if w.len() == 2 && w[1] == b'.' {
        3
    } else if w.iter().any(|c| matches!(c, b'\'' | b'-')) {
        4
    } else if w.iter().all(u8::is_ascii_uppercase) {
        2
    } else {
        1
    }
}

/// The word ending right before `p` (after one space), if there is one.
fn word_before(b: &[u8], p: usize) -> Option<&[u8]> {
    let q = p.checked_sub(1).filter(|&q| b.get(q) == Some(&b' '))?;
    let s = b[..q]
        .iter()
        .rposition(|c| !c.is_ascii_alphabetic())
        .map_or(0, |k| k + 1);
    (s < q).then(|| &b[s..q])
}

/// The features of a Latin candidate.
pub(crate) fn features(b: &[u8], s: Span, cue: u32) -> Features {
    let mut f = Features {
        idx: [0; MAX_FEATURES],
        n: 0,
    };
    const T: u32 = 100;
    f.add(T + 1, s.words, u32::from(s.slash));
    let mut p = s.start;
    let mut ids = [0u32; 3];
    let mut last_shape = 0;
    // Every token up to the end, initials included (`Emily J. Smith`: three), the first
    // three with their position.
    for (k, id) in ids.iter_mut().enumerate() {
        if p >= s.end {
            break;
        }
        let Some(e) = word_end(b, p).map(|e| e.min(s.end)) else {
            break;
        };
        let w = &b[p..e];
        *id = word_id(w);
        let suffix = word_id(&w[w.len().saturating_sub(3)..]);
        last_shape = shape(w);
        let k = k as u32;
        f.add(T + 10 + k, *id, 0);
        f.add(T + 13 + k, suffix, s.words);
        f.add(T + 16 + k, last_shape, s.words);
        p = e + 1;
    }
    f.add(T + 20, ids[0], ids[1]);
    let before = decode_before(b, s.start).map_or('\n', |c| tok(c.0));
    match word_before(b, s.start) {
        Some(w) => f.add(T + 21, word_id(w), 0),
        None => f.add(T + 22, before as u32, 0),
    }
    let before2 = decode_before(b, s.start)
        .and_then(|(_, l)| decode_before(b, s.start - l))
        .map_or('\n', |c| tok(c.0));
    f.add(T + 23, before2 as u32, before as u32);
    let (next, nl) = decode_at(b, s.end);
    let next = if nl == 0 { '\n' } else { tok(next) };
    f.add(T + 24, next as u32, s.words);
    if next == ' ' && b.get(s.end + 1).is_some_and(u8::is_ascii_alphabetic) {
        let e = b[s.end + 1..]
            .iter()
            .position(|c| !c.is_ascii_alphabetic())
            .map_or(b.len(), |k| s.end + 1 + k);
        f.add(T + 25, word_id(&b[s.end + 1..e]), 0);
    } else {
        let (n2, _) = decode_at(b, s.end + nl);
        f.add(T + 26, next as u32, tok(n2) as u32);
    }
    f.add(T + 27, cue, s.words);
    f.add(T + 28, class(before) * 16 + class(next), s.words);
    f.add(T + 29, last_shape, next as u32);
    f
}

/// The best Latin candidate at `i` above zero, with its score.
pub(crate) fn best(
    lx: &Lexicon,
    b: &[u8],
    i: usize,
    cue: u32,
    weight: impl Fn(u32) -> i32,
) -> Option<(i32, Span)> {
    let (spans, n) = candidates(lx, b, i);
    highest(&spans[..n], |s| score(&features(b, *s, cue), &weight))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::lexicon;

    fn spans(text: &str) -> Vec<&str> {
        let lx = lexicon().expect("lexicon");
        let b = text.as_bytes();
        let (c, n) = candidates(lx, b, 0);
        c[..n].iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn candidates_take_initials_and_stop_at_five_tokens() {
        assert_eq!(spans("Emily J. Smith said"), ["Emily", "Emily J. Smith"]);
        // The title (a cue) is not part of it.
        assert_eq!(spans("ZHANG/WEI MR"), ["ZHANG", "ZHANG/WEI"]);
        // A run of initials is walked at most five tokens (linear scanning).
        assert!(spans("B. B. B. B. B. B. B. B. Smith").is_empty());
        // A cue word ends the candidates: the rules read what follows it.
        assert!(spans("Passport No").is_empty());
    }

    #[test]
    fn features_see_every_token() {
        let b = "Emily J. Smith".as_bytes();
        let lx = lexicon().expect("lexicon");
        let (c, n) = candidates(lx, b, 0);
        let long = c[..n]
            .iter()
            .find(|s| s.end == b.len())
            .expect("three tokens");
        let with = features(b, *long, 0);
        let other = features("Emily J. Brown".as_bytes(), *long, 0);
        assert_ne!(
            with.idx[..with.n],
            other.idx[..other.n],
            "the surname is a feature"
        );
    }
}
