//! People as court opinions and notices name them: the parties of a cited case (`Kumar v.
//! McKenna, 448 Cal. App. 5th 333`, `In Rodarte v. United States, 149 P.3d 66`), the judges of
//! a panel (`Before: RAMOS, MCGRATH, and WILLIAMS, Circuit Judges.`, `MCGRATH, Circuit Judge:`),
//! a name after a title of office (`Opinion by Judge McGrath`, `with Pastor Soo-jin Hong
//! officiating`) and a maiden name (`Melissa (née Chatterjee)`).

use super::*;

/// What follows the last judge of a panel (after `, `).
const JUDGE_TITLES: &[&str] = &[
    "Circuit Judges",
    "Circuit Judge",
    "District Judges",
    "District Judge",
    "Chief Judge",
    "Senior Judge",
    "Senior Circuit Judge",
    "Magistrate Judge",
    "Bankruptcy Judge",
    "Chief Justice",
    "Justices",
    "Justice",
];

/// Words that begin a citation's sentence, never a party's name (`In Rodarte v. …`, `See
/// Davis v. …`).
const SIGNALS: &[&str] = &[
    "in",
    "see",
    "also",
    "cf",
    "but",
    "and",
    "the",
    "compare",
    "accord",
    "under",
    "citing",
    "quoting",
    "following",
    "per",
];

/// Offices, bodies and roles a case names as its party in one word (`Hangala v.
/// Commissioner`, `People v. …`): no person's name.
const INSTITUTIONS: &[&str] = &[
    "commissioner",
    "secretary",
    "director",
    "warden",
    "sheriff",
    "state",
    "states",
    "people",
    "commonwealth",
    "government",
    "attorney",
    "superintendent",
    "administrator",
    "commission",
    "board",
    "city",
    "county",
    "town",
    "village",
    "district",
    "department",
    "agency",
    "bureau",
    "council",
    "authority",
    "university",
    "college",
    "school",
    "hospital",
    "company",
    "corporation",
    "bank",
    "trustee",
    "trustees",
    "employer",
    "defendant",
    "plaintiff",
    "petitioner",
    "respondent",
    "appellant",
    "appellee",
    "commissioners",
    "governor",
    "mayor",
    "treasurer",
    "registrar",
    "controller",
    "comptroller",
    "postmaster",
    "union",
];

/// Words a party of more than one word may have after its first (`City of Lincoln`, `Marks &
/// Spencer`, `State Farm Mut. Auto. Ins. Co.`).
const PARTY_JOINERS: &[&str] = &["&", "of", "the", "and", "de", "la", "ex", "rel."];

/// The most words a cited case's second party has before its citation.
const MOST_PARTY_WORDS: usize = 8;

/// The most judges a panel names.
const MOST_JUDGES: usize = 12;

impl Scanner<'_> {
    /// A person at `i..we` as a court opinion names one; where it ends.
    pub(super) fn court_person(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        // The cheap tests first: most words have no `v. `, `Judge ` or list of names near them.
        let after_v = i >= 3 && b[i - 3..i] == *b"v. ";
        let titled = title_before(b, i).is_some() || maiden_name_at(b, i);
        let before_v = self.versus_within(we, b.len().min(we + 48));
        if !(after_v || titled || before_v || panel_start(b, i)) {
            return None;
        }
        let we = name_word_end(b, i).filter(|&e| e >= we && e > i + 1)?;
        if let Some(end) = self.case_party(i, we) {
            return Some(end);
        }
        if let Some(end) = self.judge_by_title(i, we) {
            return Some(end);
        }
        self.panel(i, we)
    }

    /// Whether a ` v. ` lies wholly in `b[at..limit]`. The next one is searched for once, in a
    /// window of 4 KiB, and kept: the scan asks at positions that only grow, so the input is
    /// searched about once in all.
    fn versus_within(&self, at: usize, limit: usize) -> bool {
        const NEEDLE: &[u8] = b" v. ";
        let (mut next, mut from, mut window) = self.versus.get();
        let reusable = from <= at
            && if next == usize::MAX {
                limit <= window
            } else {
                next >= at
            };
        if !reusable {
            window = self.b.len().min(at.saturating_add(4096)).max(at);
            next = memchr::memmem::find(&self.b[at..window], NEEDLE).map_or(usize::MAX, |k| at + k);
            from = at;
            self.versus.set((next, from, window));
        }
        next != usize::MAX && next + NEEDLE.len() <= limit
    }

    /// A party of a cited case: one or two words before ` v. `, or the one word between ` v. `
    /// and the citation's `, <volume> <Reporter>`; a citation must follow either way.
    fn case_party(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        let after_v = i >= 3 && b[i - 3..i] == *b"v. " && (i == 3 || b[i - 4] == b' ');
        if after_v {
            if !cited_at(b, we) || !self.party_word(&b[i..we]) {
                return None;
            }
            return Some(self.person(i, we));
        }
        let end = if b[we..].starts_with(b" v. ") {
            we
        } else {
            let n = we + 1;
            if b.get(we) != Some(&b' ') || !upper_at(b, n) {
                return None;
            }
            let ne = name_word_end(b, n).filter(|&e| e > n + 1)?;
            if !b[ne..].starts_with(b" v. ") || !self.party_word(&b[n..ne]) {
                return None;
            }
            ne
        };
        if !self.party_word(&b[i..we])
            || !first_word_of_party(b, i)
            || places::not_a_person(self.lx, &b[i..end])
            || !second_party_cited(b, end + 4)
        {
            return None;
        }
        Some(self.person(i, end))
    }

    /// `Judge Flor`, `Judge Razo Raya`, `Pastor Phan Ngọc Vy`: a title of office and one to
    /// three words of a name, no other after them; a maiden name after `née` (`Dalia (née
    /// Al-Qahtani)`).
    fn judge_by_title(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        if maiden_name_at(b, i) {
            return (self.party_word(&b[i..we]) && b[i..we].iter().any(u8::is_ascii_lowercase))
                .then(|| self.person(i, we));
        }
        title_before(b, i)?;
        let mut e = two_words_end(b, i).filter(|&e| e >= we)?;
        if b.get(e) == Some(&b' ')
            && upper_at(b, e + 1)
            && let Some(e3) = name_word_end(b, e + 1).filter(|&e3| e3 > e + 2)
        {
            e = e3;
        }
        // A headline's verb after the title is no given name (`Judge Halts Merger`; `Judge
        // Charles Hall` stays).
        let first = &b[i..name_word_end(b, i).unwrap_or(i)];
        let given = self.lx.is_given_name(first) || self.lx.is_hyphenated_given(first);
        if e > i + first.len() && first.ends_with(b"s") && !given {
            return None;
        }
        // Nothing of a name after it, nor a letter this scan does not read (`Phan Ngọc`).
        let another_word = b.get(e) == Some(&b' ') && upper_at(b, e + 1);
        let unread = b
            .get(e)
            .is_some_and(|&c| c >= 0x80 || c.is_ascii_alphanumeric());
        let alone = !(another_word || unread);
        let name = &b[i..e];
        (alone
            && name.iter().any(u8::is_ascii_lowercase)
            && name.split(|&c| c == b' ').all(|w| self.party_word(w)))
        .then(|| self.person(i, e))
    }

    /// A panel of judges by their surnames at a line's start or after `Before: `, the last
    /// before `, Circuit Judge(s)` or another judge's title: each of them a person.
    fn panel(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        if !panel_start(b, i) || !matches!(b.get(we), Some(b',' | b' ')) {
            return None;
        }
        let we = two_words_end(b, i).filter(|&e| e >= we)?;
        let mut judges = vec![(i, we)];
        let mut p = we;
        loop {
            let mut q = p;
            if b[q..].starts_with(b", ") {
                q += 2;
            } else if !b[q..].starts_with(b" and ") {
                return None;
            }
            if b[q..].starts_with(b"and ") {
                q += 4;
            } else if b[q..].starts_with(b" and ") {
                q += 5;
            }
            // The title ends the panel's sentence or line (`Circuit Judges.`, `Circuit Judge:`,
            // `Circuit Judge, dissenting:`).
            if q == p + 2
                && JUDGE_TITLES.iter().any(|t| {
                    b[q..].starts_with(t.as_bytes())
                        && matches!(
                            b.get(q + t.len()),
                            None | Some(b'.' | b':' | b',' | b';' | b'\n' | b'\r')
                        )
                })
            {
                break;
            }
            if judges.len() >= MOST_JUDGES || !upper_at(b, q) {
                return None;
            }
            let e = two_words_end(b, q)?;
            judges.push((q, e));
            p = e;
        }
        let words = |&(s, e): &(usize, usize)| b[s..e].split(|&c| c == b' ');
        if !judges.iter().flat_map(words).all(|w| self.party_word(w)) {
            return None;
        }
        for &(s, e) in &judges {
            self.person(s, e);
        }
        Some(p)
    }

    /// Whether a word may be a party's or a judge's name: not a word of the language, a
    /// citation's signal, or a word never a name.
    fn party_word(&self, w: &[u8]) -> bool {
        w.len() >= 2
            && !self.lx.is_english_word(w)
            && !self.lx.is_not_name_word(w)
            && !names::lower_is(w, SIGNALS)
            && !names::lower_is(w, INSTITUTIONS)
            && !names::is_rank(w)
    }

    /// Records `s..e` as a person; its end.
    fn person(&mut self, s: usize, e: usize) -> usize {
        let b = self.b;
        self.push(s, e, PiType::PersonNameEn, 0.8, false, || {
            String::from_utf8_lossy(&b[s..e]).into()
        });
        e
    }
}

/// Whether a panel may begin at `i`: a line's first word (after spaces), or after `Before: `
/// or `Present: `.
fn panel_start(b: &[u8], i: usize) -> bool {
    let lo = i.saturating_sub(12);
    let line = memchr::memrchr(b'\n', &b[lo..i]).map_or(lo, |k| lo + k + 1);
    let before = &b[line..i];
    (line > lo || lo == 0) && before.iter().all(|&c| c == b' ')
        || ["Before: ", "BEFORE: ", "Present: ", "PRESENT: "]
            .iter()
            .any(|w| before.ends_with(w.as_bytes()))
}

/// Titles of office a name follows (`Judge Flor`, `Pastor Soo-jin Hong`).
/// (Not `Rev.`: citations abbreviate Revised and Review so, `Nev. Rev. Stat.`.)
const TITLES_OF_OFFICE: &[&str] = &["Judge ", "Pastor ", "Reverend ", "Rabbi ", "Imam "];

/// The title of office that ends right before `i`, if one does (a word of its own).
fn title_before(b: &[u8], i: usize) -> Option<&'static str> {
    TITLES_OF_OFFICE.iter().copied().find(|t| {
        let n = t.len();
        i >= n && b[i - n..i] == *t.as_bytes() && (i == n || !b[i - n - 1].is_ascii_alphanumeric())
    })
}

/// Whether a maiden name starts at `i`: after `née ` or `nee ` (`Melissa (née Chatterjee)`).
fn maiden_name_at(b: &[u8], i: usize) -> bool {
    let nee = "née ".as_bytes();
    (i >= nee.len() && b[i - nee.len()..i] == *nee) || (i >= 4 && b[i - 4..i] == *b"nee ")
}

/// The end of one word of a name at `i`, or of two with a space between them (`RAZO RAYA`).
fn two_words_end(b: &[u8], i: usize) -> Option<usize> {
    let e = name_word_end(b, i).filter(|&e| e > i + 1)?;
    if b.get(e) == Some(&b' ')
        && upper_at(b, e + 1)
        && let Some(e2) = name_word_end(b, e + 1).filter(|&e2| e2 > e + 2)
    {
        return Some(e2);
    }
    Some(e)
}

/// Whether no capitalised word but a citation's signal stands right before `i` (`United
/// States v.` is not `States`'s case).
fn first_word_of_party(b: &[u8], i: usize) -> bool {
    if i == 0 || b[i - 1] != b' ' {
        return true;
    }
    let lo = (i - 1).saturating_sub(40);
    let ws = b[lo..i - 1]
        .iter()
        .rposition(|c| !c.is_ascii_alphabetic() && *c & 0x80 == 0)
        .map_or(lo, |k| lo + k + 1);
    let prev = &b[ws..i - 1];
    prev.is_empty() || !upper_at(b, ws) || names::lower_is(prev, SIGNALS)
}

/// Whether a citation starts at `e`: `, <volume> <Reporter>` (`, 547 P.3d`, `, 30 F.4th`).
fn cited_at(b: &[u8], e: usize) -> bool {
    let Some(rest) = b.get(e..).and_then(|r| r.strip_prefix(b", ")) else {
        return false;
    };
    let digits = rest
        .iter()
        .take(5)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if !(1..=4).contains(&digits) || rest.get(digits) != Some(&b' ') {
        return false;
    }
    // The reporter, one to three words abbreviated with a dot or in capitals (`P.3d`, `Cal.
    // App. 5th`, `U.S.`, `WL`), then the page: not `3 March 2019` nor `2 Rounds. Arsenal`.
    let mut q = digits + 1;
    for k in 0..4 {
        let word = &rest[q..];
        let len = word
            .iter()
            .take(12)
            .take_while(|c| !matches!(c, b' ' | b',' | b'\n'))
            .count();
        let word = &word[..len];
        // The page, perhaps ending the sentence (`1367.`).
        let page = word.strip_suffix(b".").unwrap_or(word);
        if k > 0 && (1..=5).contains(&page.len()) && page.iter().all(u8::is_ascii_digit) {
            return true;
        }
        let abbreviated = word.first().is_some_and(u8::is_ascii_uppercase)
            && (word.contains(&b'.') || (len >= 2 && word.iter().all(u8::is_ascii_uppercase)));
        let series = k > 0 && word.first().is_some_and(u8::is_ascii_digit); // `5th`, `2d`
        if !(abbreviated || series) || rest.get(q + len) != Some(&b' ') {
            return false;
        }
        q += len + 1;
    }
    false
}

/// Whether the second party of a case starts at `p` (after `v. `) and a citation follows it:
/// up to [`MOST_PARTY_WORDS`] capitalised words or joiners, the last ending in the citation's
/// comma.
fn second_party_cited(b: &[u8], p: usize) -> bool {
    let mut q = p;
    for _ in 0..MOST_PARTY_WORDS {
        let Some(rest) = b.get(q..) else {
            return false;
        };
        let len = rest
            .iter()
            .take(40)
            .take_while(|&&c| !matches!(c, b' ' | b',' | b'\n'))
            .count();
        let word = &rest[..len];
        let capital = upper_at(b, q);
        if len == 0 || !(capital || names::lower_is(word, PARTY_JOINERS)) {
            return false;
        }
        if capital && cited_at(b, q + len) {
            return true;
        }
        if rest.get(len) != Some(&b' ') {
            return false;
        }
        q += len + 1;
    }
    false
}
