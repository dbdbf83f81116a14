//! Surnames as references and notices write them without a given name: authors with their
//! initials in a reference list (`Wang W, Nkosi T, Wade DR.`), an author's work (`work by Osei
//! and colleagues`, `Feng et al.`), a family (`The Kade family`).

use super::*;

impl Scanner<'_> {
    /// A surname at `i..we` as references and notices write it alone; where it ends.
    pub(super) fn cited_surname(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        let we = name_word_end(b, i).filter(|&e| e >= we)?;
        // The cheap tests of what follows first: most words have none of these after them.
        if initials_end(b, we).is_none() && !family_around(b, i, we) && !colleagues_after(b, i, we)
        {
            return None;
        }
        let w = &b[i..we];
        // Mixed case, not a word of the language or one that is never a name.
        if !w.iter().any(u8::is_ascii_lowercase)
            || w.len() < 2
            || self.lx.is_english_word(w)
            || self.lx.is_not_name_word(w)
            || names::is_rank(w)
        {
            return None;
        }
        let end = if let Some(e) = self.author_with_initials(i, we) {
            e
        } else if (family_around(b, i, we) && !names::lower_is(w, NO_FAMILY_NAME))
            || colleagues_after(b, i, we)
        {
            we
        } else {
            return None;
        };
        self.push(i, end, PiType::PersonNameEn, 0.8, false, || {
            String::from_utf8_lossy(&b[i..end]).into()
        });
        Some(end)
    }

    /// An author as APA lists them, the surname and initials with dots (`Finch, E., Khoury,
    /// H., & Adebayo, O. (2022).`, `Cho, S.-H.`): at a line's start before the next author or
    /// the year, or after the author found before; where it ends.
    pub(super) fn apa_author(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        // The cheap test first: a comma, or more of the word (an accent, a hyphen), after it.
        if !b
            .get(we)
            .is_some_and(|&c| c == b',' || c >= 0x80 || c == b'-' || c == b'\'')
        {
            return None;
        }
        let we = name_word_end(b, i).filter(|&e| e >= we)?;
        if !b[we..].starts_with(b", ") {
            return None;
        }
        let e = dotted_initials_end(b, we + 2)?;
        let rest = &b[e..];
        let next_author = rest.starts_with(b", & ")
            || (rest.starts_with(b", ")
                && (rest.get(2).is_some_and(u8::is_ascii_uppercase)
                    || SURNAME_PARTICLES
                        .iter()
                        .any(|p| rest[2..].starts_with(p.as_bytes()))));
        let year = rest.starts_with(b" (")
            && rest
                .get(2..6)
                .is_some_and(|y| y.iter().all(u8::is_ascii_digit));
        let line_start = i == 0 || b[i - 1] == b'\n';
        let after_author = [&b", "[..], b", & ", b"& "].iter().any(|sep| {
            i >= sep.len()
                && b[i - sep.len()..i] == **sep
                && self
                    .out
                    .last()
                    .is_some_and(|c| c.ty == PiType::PersonNameEn && c.be == i - sep.len())
        });
        let w = &b[i..we];
        let placed = line_start || after_author;
        let followed = next_author || year;
        let mixed_case = w.iter().any(u8::is_ascii_lowercase);
        if !(placed && followed && mixed_case)
            || self.lx.is_english_word(w)
            || self.lx.is_not_name_word(w)
        {
            return None;
        }
        self.push(i, e, PiType::PersonNameEn, 0.8, false, || {
            String::from_utf8_lossy(&b[i..e]).into()
        });
        Some(e)
    }

    /// `Surname INITIALS` (one to three capitals) in a list of authors: the first at a line's
    /// start or after the reference's number with another such author after `, ` (`1. Wang W,
    /// Nkosi T`), the next after one found so.
    fn author_with_initials(&self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        let e = initials_end(b, we)?;
        let next_author = b.get(e..e + 2) == Some(b", ") && {
            let n = e + 2;
            name_word_end(b, n)
                .filter(|&ne| ne > n + 1 && b[n + 1].is_ascii_lowercase())
                .and_then(|ne| initials_end(b, ne))
                .is_some()
        };
        let numbered = {
            let lo = i.saturating_sub(6);
            let line = memchr::memrchr(b'\n', &b[lo..i]).map_or(lo, |k| lo + k + 1);
            let p = &b[line..i];
            (line > lo || lo == 0)
                && p.len() >= 3
                && p.ends_with(b". ")
                && p[..p.len() - 2].iter().all(u8::is_ascii_digit)
        };
        // The author before was found so: `…, Nkosi T, ` after `Wang W`.
        let after_author = i >= 2
            && b[i - 2..i] == *b", "
            && self
                .out
                .last()
                .is_some_and(|c| c.ty == PiType::PersonNameEn && c.be == i - 2);
        ((next_author && numbered) || after_author).then_some(e)
    }
}

/// Lower-case particles that begin a surname (`de la Fuente`, `van Dijk`, `al-Farsi`).
const SURNAME_PARTICLES: &[&str] = &[
    "de ", "van ", "von ", "da ", "di ", "del ", "della ", "le ", "la ", "du ", "der ", "ten ",
    "ter ", "al-", "el-",
];

/// The end of initials with dots at `g` (`E.`, `S.-H.`, `J. R.`; at most three), if any.
fn dotted_initials_end(b: &[u8], g: usize) -> Option<usize> {
    let mut e = g;
    for k in 0..3 {
        if k > 0 {
            match (b.get(e), b.get(e + 1)) {
                (Some(b'-' | b' '), Some(c))
                    if c.is_ascii_uppercase() && b.get(e + 2) == Some(&b'.') =>
                {
                    e += 1;
                }
                _ => break,
            }
        }
        if !(b.get(e).is_some_and(u8::is_ascii_uppercase) && b.get(e + 1) == Some(&b'.')) {
            return (k > 0).then_some(e);
        }
        e += 2;
    }
    Some(e)
}

/// The end of ` INITIALS` at `we` (a space, one to three capitals) before `,` or `.` and a
/// space or the line's end.
fn initials_end(b: &[u8], we: usize) -> Option<usize> {
    if b.get(we) != Some(&b' ') {
        return None;
    }
    let caps = b[we + 1..]
        .iter()
        .take(4)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    let e = we + 1 + caps;
    ((1..=3).contains(&caps)
        && matches!(b.get(e), Some(b',' | b'.'))
        && matches!(b.get(e + 1), None | Some(b' ' | b'\n')))
    .then_some(e)
}

/// Capitalised words before `family` that name no family: `The Royal family`.
const NO_FAMILY_NAME: &[&str] = &[
    "royal",
    "imperial",
    "first",
    "host",
    "holy",
    "crime",
    "mafia",
    "manson",
    "partridge",
];

/// `The Surname family` (or `household`, `families`); not `The Cortex family of processors`.
fn family_around(b: &[u8], i: usize, we: usize) -> bool {
    let the = i >= 4 && (b[i - 4..i] == *b"The " || b[i - 4..i] == *b"the ");
    the && [" family", " families", " household"]
        .iter()
        .any(|w| b[we..].starts_with(w.as_bytes()) && !b[we + w.len()..].starts_with(b" of "))
}

/// `Surname and colleagues`, `Surname et al.`, `Surname and co-workers`, as a citation writes
/// them: after `by `, or before a year (`Feng et al. (2020)`, `Feng et al., 2020`); not
/// `Transformer et al.` alone.
fn colleagues_after(b: &[u8], i: usize, we: usize) -> bool {
    let by = i >= 3 && b[i - 3..i] == *b"by ";
    let year = |r: &[u8]| r.len() >= 4 && r[..4].iter().all(u8::is_ascii_digit);
    [
        " and colleagues",
        " et al.",
        " et al,",
        " and co-workers",
        " and coworkers",
    ]
    .iter()
    .any(|w| {
        b[we..].starts_with(w.as_bytes()) && {
            let after = &b[we + w.len()..];
            by || [&b" ("[..], b", ", b" "]
                .iter()
                .any(|sep| after.strip_prefix(*sep).is_some_and(year))
        }
    })
}
