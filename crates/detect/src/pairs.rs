//! Word lists by their character pairs (`PairSet`) or by their last character (`ByLastChar`),
//! for the lexicon.

use crate::lex::HanSet;

pub(crate) fn pair(a: char, b: char) -> u64 {
    (u64::from(u32::from(a)) << 32) | u64::from(u32::from(b))
}

/// Words by their first two characters (a one-character word as the character and `\0`),
/// with a bitmap of first characters in front of the search: most characters asked about
/// begin no word of the set.
pub(crate) struct PairSet {
    /// Open addressing, linear probing; 0 is an empty slot (no pair is 0: a word has a first
    /// character). At most half full.
    slots: Vec<u64>,
    /// Bits of a slot index.
    bits: u32,
    first: HanSet,
    /// Whether some word begins with a character past the bitmap's range.
    first_wide: bool,
    /// The one-character words.
    single: HanSet,
}

impl PairSet {
    pub(crate) fn new(words: &[&str]) -> PairSet {
        let mut pairs: Vec<u64> = words
            .iter()
            .filter_map(|w| {
                let mut it = w.chars();
                let a = it.next()?;
                Some(pair(a, it.next().unwrap_or('\0')))
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let bits = (pairs.len() * 2)
            .max(2)
            .next_power_of_two()
            .trailing_zeros();
        let mut slots = vec![0u64; 1 << bits];
        for &k in &pairs {
            let mut at = Self::slot(k, bits);
            while slots[at] != 0 {
                at = (at + 1) & (slots.len() - 1);
            }
            slots[at] = k;
        }
        // The first character of each pair, and the one-character words (paired with NUL).
        let first = |k: &u64| char::from_u32((k >> 32) as u32);
        PairSet {
            slots,
            bits,
            first: HanSet::from_chars(pairs.iter().filter_map(first)),
            first_wide: pairs
                .iter()
                .filter_map(first)
                .any(|c| c as u32 >= HanSet::LIMIT),
            single: HanSet::from_chars(pairs.iter().filter(|&&k| k as u32 == 0).filter_map(first)),
        }
    }

    /// The home slot of a key (Fibonacci hashing).
    #[inline]
    fn slot(k: u64, bits: u32) -> usize {
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// Whether the pair `k` is in the set.
    #[inline]
    fn contains(&self, k: u64) -> bool {
        let mask = self.slots.len() - 1;
        let mut at = Self::slot(k, self.bits);
        loop {
            match self.slots.get(at) {
                Some(&v) if v == k => return true,
                Some(&0) | None => return false,
                Some(_) => at = (at + 1) & mask,
            }
        }
    }

    /// Whether some word begins with `a`.
    #[inline]
    pub(crate) fn first(&self, a: char) -> bool {
        if (a as u32) < HanSet::LIMIT {
            self.first.contains(a)
        } else {
            self.first_wide
        }
    }

    /// Whether `a` alone is a word of the set.
    #[inline]
    pub(crate) fn single(&self, a: char) -> bool {
        if (a as u32) < HanSet::LIMIT {
            self.single.contains(a)
        } else {
            self.contains(pair(a, '\0'))
        }
    }

    /// Whether a word begins with `a` and `b` (or is `a` alone, with `b` = `\0`).
    #[inline]
    pub(crate) fn has(&self, a: char, b: char) -> bool {
        self.first(a) && self.contains(pair(a, b))
    }
}

/// Words by their last character, sorted: a lookup compares only the words that end in the
/// character the text has there.
pub(crate) struct ByLastChar {
    words: Vec<(char, &'static str)>,
}

impl ByLastChar {
    pub(crate) fn new<'a>(words: impl IntoIterator<Item = &'a &'static str>) -> ByLastChar {
        let mut words: Vec<(char, &'static str)> = words
            .into_iter()
            .filter_map(|w| Some((w.chars().last()?, *w)))
            .collect();
        words.sort_unstable();
        ByLastChar { words }
    }

    /// The words whose last character is `c`.
    pub(crate) fn ending_in(&self, c: char) -> impl Iterator<Item = &'static str> + '_ {
        let lo = self.words.partition_point(|(k, _)| *k < c);
        self.words[lo..]
            .iter()
            .take_while(move |(k, _)| *k == c)
            .map(|(_, w)| *w)
    }
}
