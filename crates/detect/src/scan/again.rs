//! A person named again: a word of a Latin-script name found whole (`Daniel Milcarz`, `Kwon
//! Yejin`) names the same person where it stands alone nearby (`Milcarz worked as…`, `Judge
//! Flor`, `FLOR, Circuit Judge:`, `+1 to what Eta said`), as court opinions, minutes, news
//! reports and chats write them. Not where it joins other capitalised words (`the Robert Wood
//! Johnson Foundation`, `James Madison Men's Soccer`), an ampersand (`Johnson & Johnson`) or a
//! state's code (`Austin, TX`), nor where it is a word of the language (`Grace`, `Young`).

use std::collections::HashMap;

use super::names::{TITLES, is_rank, lower_is};
use super::{Scanner, name_word_end, upper_at};
use crate::lex::Lexicon;
use crate::text::word_start;
use crate::types::PiType;

/// How far from where a name was found whole (bytes, either side) a word of it alone still
/// names that person: a document's few pages, not a whole file's chunk.
const REACH: usize = 4096;

/// The most distinct words looked for in one scan (a bound on the work per word found).
const MOST_WORDS: usize = 128;

impl Scanner<'_> {
    /// Finds the words of the Latin-script names found whole standing alone within
    /// [`REACH`] of one of them.
    #[inline(never)]
    pub(super) fn names_again(&mut self) {
        let b = self.b;
        let mut words: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
        // A name found whole many times is read once: the forms of its words to look for.
        let mut read: HashMap<&[u8], Vec<Vec<u8>>> = HashMap::new();
        for c in &self.out {
            if c.ty != PiType::PersonNameEn {
                continue;
            }
            let name = &b[c.bs..c.be];
            let forms = read
                .entry(name)
                .or_insert_with(|| self.forms_to_look_for(name));
            for f in forms.iter() {
                // Past the bound no new word is looked for; the known ones still gather where
                // they were found whole.
                if let Some(at) = words.get_mut(f) {
                    at.push(c.bs);
                } else if words.len() < MOST_WORDS {
                    words.insert(f.clone(), vec![c.bs]);
                }
            }
        }
        if words.is_empty() {
            return;
        }
        for at in words.values_mut() {
            at.sort_unstable();
        }
        // First bytes and lengths of the words looked for: most words are passed over
        // without hashing.
        let mut shapes = [0u64; 256];
        for w in words.keys() {
            shapes[usize::from(w[0])] |= 1 << w.len().min(63);
        }
        // The words nearly always begin with a capital: then the scan goes from one capital to
        // the next, eight bytes tested at a time.
        let capitals_only = words.keys().all(|w| w[0].is_ascii_uppercase());
        let mut taken: Vec<(usize, usize)> = self.out.iter().map(|c| (c.bs, c.be)).collect();
        taken.sort_unstable();
        let mut again = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if capitals_only {
                match next_capital(b, i) {
                    Some(k) => i = k,
                    None => break,
                }
            }
            // Most bytes start no word looked for: one table lookup passes them.
            if shapes[usize::from(b[i])] == 0 || !word_start(b, i) {
                i += 1;
                continue;
            }
            let e = alone_word_end(b, i);
            if e <= i {
                i += 1;
                continue;
            }
            let w = &b[i..e];
            if shapes[usize::from(w[0])] & (1 << w.len().min(63)) != 0
                && let Some(at) = words.get(w)
                && within_reach(at, i)
                && !overlaps(&taken, i, e)
                && stands_alone(self.lx, b, i, e)
            {
                again.push((i, e));
            }
            i = e;
        }
        for (s, e) in again {
            let value = || String::from_utf8_lossy(&b[s..e]).into_owned();
            self.push(s, e, PiType::PersonNameEn, 0.8, false, value);
        }
    }

    /// The words of a name found whole to look for alone, in the forms to look for them in.
    fn forms_to_look_for(&self, name: &[u8]) -> Vec<Vec<u8>> {
        let mut forms = vec![];
        if !name.contains(&b' ') || super::places::not_a_person(self.lx, name) {
            return forms;
        }
        for w in name.split(|&x| x == b' ') {
            let w = w.strip_suffix(b",").unwrap_or(w);
            if !self.a_word_of_a_name(w) {
                continue;
            }
            // Two or three capitals alone are as often an abbreviation (`LU`, `MA`, `JD`): such
            // a word is looked for in capitals only if it was found in capitals, and then in
            // its title case (`XUE Ouyang` … `thanks Xue`) too.
            let caps = !w.iter().any(u8::is_ascii_lowercase);
            if !caps || w.len() >= 4 {
                forms.push(w.to_vec());
            }
            if !caps && w.len() >= 4 {
                forms.push(w.to_ascii_uppercase());
            } else if caps && w.is_ascii() {
                let mut title = w.to_ascii_lowercase();
                title[0] = title[0].to_ascii_uppercase();
                forms.push(title);
            }
        }
        forms
    }

    /// Whether a word of a name found whole may name its person alone: two letters or more,
    /// not an initial, a particle, a suffix or a word of the language.
    fn a_word_of_a_name(&self, w: &[u8]) -> bool {
        let letters = w.iter().filter(|c| c.is_ascii_alphabetic()).count();
        letters >= 2
            && !lower_is(w, PLACES_AND_THINGS)
            && !w.ends_with(b".")
            && upper_at(w, 0) | particle_prefixed(w)
            && alone_word_end(w, 0) == w.len()
            && !lower_is(w, super::latin::PARTICLES)
            && !lower_is(w, &["jr", "sr", "ii", "iii", "iv", "el"])
            && !self.lx.is_not_name_word(w)
            && !self.lx.is_english_word(w)
            && !is_rank(w)
            && !lower_is(w, LEGAL_ROLES)
            && !lower_is(w, NAMES_THAT_ARE_WORDS)
            && !w
                .split(|&c| c == b'-')
                .all(|part| self.lx.is_english_word(part) || lower_is(part, NAMES_THAT_ARE_WORDS))
    }
}

/// Given names and surnames that are as often a place, a language or a product alone (`to
/// Jordan`, `in Georgia`, `written in Ruby`).
const PLACES_AND_THINGS: &[&str] = &[
    "jordan",
    "georgia",
    "paris",
    "victoria",
    "ruby",
    "julia",
    "london",
    "sydney",
    "florence",
    "chelsea",
    "austin",
    "dallas",
    "houston",
    "phoenix",
    "denver",
    "orlando",
    "lincoln",
    "washington",
    "jackson",
    "madison",
    "kent",
    "chester",
    "york",
    "israel",
    "india",
    "china",
    "kenya",
    "asia",
    "america",
    "carolina",
    "dakota",
    "montana",
    "indiana",
    "sierra",
    "savannah",
    "brooklyn",
    "berkeley",
    "stanford",
    "harvard",
    "oxford",
    "cambridge",
    "mercedes",
    "porsche",
    "ferrari",
    "dell",
    "hp",
    "ford",
    "tesla",
    "amazon",
    "apple",
    "oracle",
    "python",
    "swift",
    "rust",
    "go",
    "dart",
    "perl",
    "crystal",
    "elixir",
    "scala",
    "kotlin",
];

/// The parties' roles in a case, which a name found with its role may hold (`Attorney for
/// Petitioner IBRAHIM AL-QAHTANI`): never a person's word alone.
const LEGAL_ROLES: &[&str] = &[
    "petitioner",
    "respondent",
    "plaintiff",
    "defendant",
    "appellant",
    "appellee",
    "claimant",
    "applicant",
    "debtor",
    "creditor",
    "intervenor",
];

/// Names that are common words too (`Young drivers pay more`, `Will you`): alone, more often
/// the word than the person.
const NAMES_THAT_ARE_WORDS: &[&str] = &[
    "young", "king", "price", "rose", "hunter", "black", "white", "brown", "green", "gray", "grey",
    "long", "short", "little", "small", "major", "bishop", "mason", "baker", "cook", "turner",
    "walker", "hill", "wood", "woods", "stone", "rice", "bell", "lane", "park", "ford", "cross",
    "banks", "fox", "wolf", "bird", "hope", "faith", "joy", "may", "june", "april", "august",
    "will", "bill", "mark", "grant", "chase", "page", "rich", "hall", "law", "love", "star",
    "summer", "winter", "day", "knight", "noble", "sharp", "strong", "wise", "golden", "silver",
    "waters", "rivers", "field", "fields", "brooks", "north", "south", "west", "east", "miles",
    "frank", "earnest", "guy", "sterling", "sky", "dawn", "river", "angel", "art", "son", "song",
    "le", "do", "an", "oh", "so", "ha", "he", "you", "un",
];

/// The ASCII capitals (`A`..=`Z`) among the eight bytes of `x`, as the high bit of each: a
/// byte `v` below 0x80 is one when `v + (127 - 0x40)` and `(127 + 0x5B) - v` both reach 0x80
/// (no byte carries into the next); a byte from 0x80 up is none.
fn capitals(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low7 = x & (ONES * 127);
    (ONES * (127 + 0x5B) - low7) & !x & (low7 + ONES * (127 - 0x40)) & HIGH
}

/// Where the first ASCII capital at or after `i` is.
fn next_capital(b: &[u8], mut i: usize) -> Option<usize> {
    while let Some(&chunk) = b.get(i..).and_then(|r| r.first_chunk::<8>()) {
        let m = capitals(u64::from_le_bytes(chunk));
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    (i..b.len()).find(|&k| b[k].is_ascii_uppercase())
}

/// A name's word starting with a lower-case Arabic article and a hyphen (`al-Farsi`).
fn particle_prefixed(w: &[u8]) -> bool {
    (w.starts_with(b"al-") || w.starts_with(b"el-")) && upper_at(w, 3)
}

/// The end of a name-shaped word at `i` (`Milcarz`, `FLOR`, `Barry-Smith`, `al-Farsi`), or
/// `i`.
fn alone_word_end(b: &[u8], i: usize) -> usize {
    let from = if particle_prefixed(&b[i..b.len().min(i + 4)]) {
        i + 3
    } else {
        i
    };
    match name_word_end(b, from) {
        Some(e) if e > from => e,
        _ => i,
    }
}

/// Whether one of the sorted positions `at` is within [`REACH`] of `i`.
fn within_reach(at: &[usize], i: usize) -> bool {
    let k = at.partition_point(|&p| p < i);
    at.get(k).is_some_and(|&p| p - i <= REACH)
        || k.checked_sub(1).is_some_and(|j| i - at[j] <= REACH)
}

/// Whether `b[s..e]` overlaps a span of the sorted `taken`.
fn overlaps(taken: &[(usize, usize)], s: usize, e: usize) -> bool {
    let k = taken.partition_point(|&(ts, _)| ts < e);
    taken[..k].iter().rev().take(8).any(|&(_, te)| te > s)
}

/// Whether the word at `b[s..e]` stands alone: no capitalised word joined to it by one space
/// on either side (a title, a rank, a word of the language or a word ending its sentence
/// before it aside), no
/// ampersand beside it, no state's code after it, no `@`, `/` or `.` glued before it.
fn stands_alone(lx: &Lexicon, b: &[u8], s: usize, e: usize) -> bool {
    if s > 0 && matches!(b[s - 1], b'/' | b'.' | b'\\' | b'#') {
        return false;
    }
    // The word before, across one space.
    if s >= 2 && b[s - 1] == b' ' {
        if b[s - 2] == b'&' {
            return false;
        }
        let pe = s - 1;
        let ps = start_of_word_ending_at(b, pe);
        let prev = &b[ps..pe];
        if !prev.is_empty()
            && upper_at(b, ps)
            && !lower_is(prev, TITLES)
            && !is_rank(prev)
            && !lower_is(
                prev,
                &["judge", "justice", "pastor", "rev", "coach", "chair"],
            )
            && !lx.is_english_word(prev)
            && !lx.is_not_name_word(prev)
        {
            return false;
        }
    }
    // `Surname, Given` written as one name (`Johnson, Hannah`), or a list of capitalised words.
    if b.get(e..e + 2) == Some(b", ") && upper_at(b, e + 2) && {
        let next = &b[e + 2..name_word_end(b, e + 2).unwrap_or(e + 2)];
        !(lx.is_english_word(next) || lx.is_not_name_word(next) || is_rank(next))
    } {
        return false;
    }
    if s >= 3 && b.get(s - 2..s) == Some(b", ") && {
        let ps = start_of_word_ending_at(b, s - 2);
        ps < s - 2
            && upper_at(b, ps)
            && !lx.is_english_word(&b[ps..s - 2])
            && !lx.is_not_name_word(&b[ps..s - 2])
    } {
        return false;
    }
    // The word after, across one space.
    if b.get(e) == Some(&b' ') {
        match b.get(e + 1) {
            Some(b'&') => return false,
            _ if upper_at(b, e + 1) => return false,
            _ => {}
        }
    }
    // `Austin, TX`.
    if b.get(e..e + 2) == Some(b", ")
        && b.get(e + 2..e + 4)
            .is_some_and(|s| s.iter().all(u8::is_ascii_uppercase))
        && !b.get(e + 4).is_some_and(u8::is_ascii_alphabetic)
    {
        return false;
    }
    true
}

/// Where the word (letters, digits, `-`, any non-ASCII) that ends at `end` starts. Each
/// occurrence looks back over the one word before it only, so the pass stays linear.
fn start_of_word_ending_at(b: &[u8], end: usize) -> usize {
    b[..end]
        .iter()
        .rposition(|&c| !(c.is_ascii_alphanumeric() || c == b'-' || c & 0x80 != 0))
        .map_or(0, |p| p + 1)
}

#[cfg(test)]
mod tests {
    use super::next_capital;

    #[test]
    fn the_next_capital_is_found_in_any_byte_and_nothing_else_is() {
        for v in 0..=255u8 {
            for at in 0..19 {
                for fill in [b'a', b'@', b'[', 0x80, 0xC1, 0xDA, 0xFF] {
                    let mut b = [fill; 19];
                    b[at] = v;
                    for from in 0..=b.len() {
                        let want = (from..b.len()).find(|&k| b[k].is_ascii_uppercase());
                        assert_eq!(next_capital(&b, from), want, "{b:02x?} from {from}");
                    }
                }
            }
        }
    }
}
