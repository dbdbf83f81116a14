//! Dates that may be birth dates, emitted only after a birth cue: `1990/05/12`,
//! `1990年5月12日` (spaced, full-width; `1990年5月`, `1990.05`, `1990-05`, `1990/05`, to the
//! month), `05/12/1990`, `12 Jun 1990`, `3rd May 1990`,
//! `June 12, 1990`, `07-Mar-1990` (or with dots or slashes), `07MAR90`, `1990-Mar-07`,
//! `90年3月12日`, `12 Mar 90`, `the 12th of March, 1990`, `07/03/90` and `90-03-07` (a
//! two-digit year where no other part can be it).

use super::*;

/// Where the date goes on after a month's name that ended at `p`, if the separator `sep`
/// follows it (a name's own dot, `Mar.`, is the separator when the separator is a dot).
fn past_sep(b: &[u8], p: usize, sep: u8) -> Option<usize> {
    if b.get(p) == Some(&sep) {
        Some(p + 1)
    } else if sep == b'.' && p > 0 && b.get(p - 1) == Some(&b'.') {
        Some(p)
    } else {
        None
    }
}

/// Words that may stand between a birth cue and its date (`born on`, `Date of birth
/// (DD/MM/YYYY):`, `生日是`, `出生日期（公历）`).
const BIRTH_GAP_WORDS: &[&str] = &[
    "on", "the", "is", "was", "in", "of", "date", "dd", "mm", "yyyy", "yy", "d", "m", "y",
];

/// Characters that may stand between a Chinese birth cue and its date.
const BIRTH_GAP_HAN: &str = "为是在于公历农历阳历新";

/// Whether the text between a birth cue and a date keeps the cue's meaning: separators, and
/// the words above; not another label (`生日：1990年3月7日 入职：2015年…`, `"birthday":"…",
/// "updated":"…"`) nor other words (`生日会定在…`, `Birthday party on …`).
fn birth_gap(gap: &[u8]) -> bool {
    let mut p = 0;
    // The separators right after the cue (`：`, `": "`) and right before the date.
    while let Some((c, l)) = decode_at_opt(gap, p)
        && is_label_separator(c)
    {
        p += l;
    }
    let mut end = gap.len();
    while let Some((c, l)) = decode_before(gap, end)
        && end > p
        && is_label_separator(c)
    {
        end -= l;
    }
    let gap = &gap[..end];
    while let Some((c, l)) = decode_at_opt(gap, p) {
        // Tags of a table's cells (`<td>出生日期</td><td>1993-04-12`).
        if c == '<'
            && let Some(k) = gap[p..].iter().position(|&x| x == b'>')
        {
            p += k + 1;
            continue;
        }
        if c.is_ascii_alphabetic() {
            let e = gap[p..]
                .iter()
                .position(|c| !c.is_ascii_alphabetic())
                .map_or(gap.len(), |k| p + k);
            if !BIRTH_GAP_WORDS
                .iter()
                .any(|w| gap[p..e].eq_ignore_ascii_case(w.as_bytes()))
            {
                return false;
            }
            p = e;
            continue;
        }
        if matches!(c, ':' | '：' | '=')
            || c.is_ascii_digit()
            || (is_han(c) && !BIRTH_GAP_HAN.contains(c))
        {
            return false;
        }
        p += l;
    }
    true
}

/// Whether `before` ends with a birth label spaced out as forms and OCR space it (`出 生`,
/// `生　　日：`, `出 生 日 期：`), then separators.
fn spaced_birth_label(before: &[u8]) -> bool {
    let mut p = before.len();
    let mut seps = 0;
    while let Some((c, l)) = decode_before(before, p)
        && is_label_separator(c)
        && seps < 4
    {
        p -= l;
        seps += 1;
    }
    // The label's characters, nearest first, spaces between them skipped.
    let mut label = ['\0'; 4];
    let mut n = 0;
    let mut spaced = false;
    while n < 4 {
        match decode_before(before, p) {
            Some((' ' | '\u{3000}', l)) if n > 0 => {
                p -= l;
                spaced = true;
            }
            Some((c, l)) if is_han(c) => {
                label[n] = c;
                n += 1;
                p -= l;
            }
            _ => break,
        }
    }
    let read: String = label[..n].iter().rev().collect();
    spaced
        && ["出生日期", "出生", "生日"]
            .iter()
            .any(|w| read.ends_with(w))
}

fn decode_at_opt(b: &[u8], p: usize) -> Option<(char, usize)> {
    let (c, l) = decode_at(b, p);
    (l > 0).then_some((c, l))
}

impl Scanner<'_> {
    /// Whether the date at `start..end` is a birth date: a birth cue before it whose meaning
    /// reaches it (its own line's cue with nothing but separators and a few words between, a
    /// column's or a field's name, or a cue on a line above when the date's line has no label
    /// of its own), or `出生`/`生` right after it (`1975年8月12日出生`, `1980年3月5日生，汉族`).
    pub(super) fn birth(&self, start: usize, end: usize) -> bool {
        let b = self.b;
        if let Some(rest) = b.get(end..)
            && (rest.starts_with("出生".as_bytes())
                || (rest.starts_with("生".as_bytes())
                    && (rest.len() == 3 || "，,、)）；;。 于\n".contains(decode_at(rest, 3).0))))
        {
            return true;
        }
        if self.cue(start) != Some(Cue::Birth) {
            return spaced_birth_label(&b[..start]);
        }
        match self.lx.cue_before(b, start, CUE_WINDOW) {
            // The date's own line's cue.
            Some((c, e)) if memchr::memchr(b'\n', &b[e.min(start)..start]).is_none() => {
                c == Cue::Birth && birth_gap(&b[e.min(start)..start])
            }
            // A field's or a column's name.
            _ if self.hint.is_some() || self.column_cue(start).is_some() => true,
            // A cue on a line above: only when the date's line has no label of its own.
            _ => {
                let line = memchr::memrchr(b'\n', &b[..start]).map_or(0, |k| k + 1);
                !b[line..start]
                    .iter()
                    .any(|&c| c.is_ascii_alphabetic() || c >= 0x80 || c == b':')
            }
        }
    }

    /// A birth date found at `start..end`, its value written `YYYY-MM-DD`.
    pub(super) fn birth_date(&mut self, start: usize, end: usize, y: u32, m: u32, d: u32) {
        let value = move || format!("{y:04}-{m:02}-{d:02}");
        self.push(start, end, PiType::DateOfBirth, 0.9, false, value);
    }

    /// A birth date to the month at `start..end` (`出生年月：1990.05`, `1990年5月`, `1990-05`),
    /// after a birth cue only; its value written `YYYY-MM`. Whether it was one.
    pub(super) fn birth_month(&mut self, start: usize, end: usize, y: u32, m: u32) -> bool {
        if !(1..=12).contains(&m) || !(1900..=2030).contains(&y) || !self.birth(start, end) {
            return false;
        }
        let value = move || format!("{y:04}-{m:02}");
        self.push(start, end, PiType::DateOfBirth, 0.85, false, value);
        true
    }

    /// Dates that may be birth dates: `1990/05/12`, `1990年5月12日`, `05/12/1990`,
    /// `12 Jun 1990`. Emitted only after a birth cue.
    pub(super) fn date(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        let (n1, l1, p) = read_wide(b, i)?;
        // A two-digit year before 年 (`90年3月12日`) is read as this century's or the last.
        let han_year = starts_with_at(b, spaces(b, p), "年");
        let n1 = if l1 == 2 && han_year { year2(n1) } else { n1 };
        let (y, m, d, end) = if l1 == 4 || (l1 == 2 && han_year) {
            if let Some((m, lm, p2)) = after_sep(b, p, b'/').and_then(|q| read_num(b, q)) {
                let Some((d, _, p3)) = after_sep(b, p2, b'/').and_then(|q| read_num(b, q)) else {
                    // 1990/05 after a birth cue: to the month.
                    if lm <= 2 && l1 == 4 && word_end(b, p2) {
                        self.birth_month(i, p2, n1, m);
                    }
                    return Some(p2);
                };
                (n1, m, d, p3)
            } else if starts_with_at(b, spaces(b, p), "年") {
                // 1990年5月12日, also spaced (1990 年 5 月 12 日) or in full-width digits.
                let (m, _, p2) = read_wide(b, spaces(b, spaces(b, p) + 3))?;
                let p2 = spaces(b, p2);
                if !starts_with_at(b, p2, "月") {
                    return None;
                }
                let Some((d, _, p3)) = read_wide(b, spaces(b, p2 + 3)) else {
                    // 1990年5月 after a birth cue: a birth date to the month (出生年月).
                    let end = p2 + 3;
                    self.birth_month(i, end, n1, m);
                    return Some(end);
                };
                let q = spaces(b, p3);
                let end = if starts_with_at(b, q, "日") || starts_with_at(b, q, "号") {
                    q + 3
                } else {
                    p3
                };
                (n1, m, d, end)
            } else if let Some(&sep @ (b'-' | b'.' | b'/')) = b.get(p)
                && let Some((m, p2)) = month_word(b, p + 1)
                && let Some(q) = past_sep(b, p2, sep)
            {
                // 1990-Mar-07, 1990.Mar.07, 1990/Mar/07.
                let (d, ld, p3) = read_num(b, q)?;
                if ld > 2 {
                    return None;
                }
                (n1, m, d, p3)
            } else {
                return None;
            }
        } else if l1 <= 2
            && let Some((sep, (m, p2))) = match b.get(p) {
                Some(&c @ (b'-' | b'.' | b'/')) => month_word(b, p + 1).map(|w| (Some(c), w)),
                Some(c) if c.is_ascii_alphabetic() => month_word(b, p).map(|w| (None, w)),
                _ => None,
            }
        {
            // 07-Mar-1990, 07.Mar.1990, 07/Mar/1990, 07MAR1990 (travel documents and
            // bookings), with a two-digit year too (07MAR90).
            let q = match sep {
                Some(c) => past_sep(b, p2, c)?,
                None => p2,
            };
            let (y, ly, p3) = read_num(b, q)?;
            let y = match ly {
                4 => y,
                2 => year2(y),
                _ => return None,
            };
            (y, m, n1, p3)
        } else if l1 <= 2 && b.get(p) == Some(&b'/') {
            let (m2, lm, p2) = read_num(b, p + 1)?;
            let (y, ly, p3) = after_sep(b, p2, b'/').and_then(|q| read_num(b, q))?;
            if ly <= 2 && lm <= 2 {
                // 07/03/90, 90/03/07.
                let (y, m, d) = short_year_date(n1, m2, y)?;
                (y, m, d, p3)
            } else if ly != 4 {
                return None;
            } else if n1 > 12 {
                // mm/dd/yyyy, or dd/mm/yyyy when the first part cannot be a month.
                (y, m2, n1, p3)
            } else {
                (y, n1, m2, p3)
            }
        } else if l1 <= 2 && b.get(ordinal_end(b, p)) == Some(&b' ') {
            // 12 June 1990, 3rd May 1990, 3 May, 1990, the 12th of March, 1990, 12 Mar 90.
            let mut q = ordinal_end(b, p) + 1;
            if starts_with_at(b, q, "of ") {
                q += 3;
            }
            let (m, p2) = month_word(b, q)?;
            let p2 = if b.get(p2) == Some(&b',') { p2 + 1 } else { p2 };
            let (y, ly, p3) = (b.get(p2) == Some(&b' '))
                .then(|| read_num(b, p2 + 1))
                .flatten()?;
            let y = match ly {
                4 => y,
                2 => year2(y),
                _ => return None,
            };
            (y, m, n1, p3)
        } else {
            return None;
        };
        if !word_end(b, end) || !validate::is_real_date(y, m, d) || !(1900..=2030).contains(&y) {
            return Some(end);
        }
        if self.birth(i, end) {
            self.birth_date(i, end, y, m, d);
        }
        Some(end)
    }

    /// `June 12, 1990` (or `June 12th, 1990`) after a birth cue.
    pub(super) fn month_first_date(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        let (m, p) = month_word(b, i)?;
        if b.get(p) != Some(&b' ') {
            return None;
        }
        let (d, _, p2) = read_num(b, p + 1)?;
        let p2 = ordinal_end(b, p2);
        let q = if b.get(p2) == Some(&b',') { p2 + 1 } else { p2 };
        if b.get(q) != Some(&b' ') {
            return None;
        }
        let (y, ly, end) = read_num(b, q + 1)?;
        if ly != 4 || !validate::is_real_date(y, m, d) || !word_end(b, end) {
            return None;
        }
        if !self.birth(i, end) {
            return None;
        }
        self.birth_date(i, end, y, m, d);
        Some(end)
    }
}

/// A date of three numbers of one or two digits with a two-digit year, as `(y, m, d)`: the
/// year is the part that cannot be a day — first (`90-03-07`, year, month, day) or last
/// (`07/03/90`: month first, or day first when the first part cannot be a month). `None` when
/// neither can only be a year (`05/06/07`).
pub(super) fn short_year_date(a: u32, b: u32, c: u32) -> Option<(u32, u32, u32)> {
    if a > 31 {
        Some((year2(a), b, c))
    } else if c > 31 {
        Some(if a > 12 {
            (year2(c), b, a)
        } else {
            (year2(c), a, b)
        })
    } else {
        None
    }
}

/// A two-digit year as a birth year: `90` is 1990, `05` is 2005.
pub(super) fn year2(y: u32) -> u32 {
    if y > 30 { 1900 + y } else { 2000 + y }
}

/// After a day number: past an English ordinal suffix (`st`, `nd`, `rd`, `th`) if one stands
/// at `p`, else `p`.
pub(super) fn ordinal_end(b: &[u8], p: usize) -> usize {
    match b.get(p..p + 2) {
        Some(s)
            if [b"st", b"nd", b"rd", b"th"]
                .iter()
                .any(|o| s.eq_ignore_ascii_case(*o)) =>
        {
            p + 2
        }
        _ => p,
    }
}

/// Past up to two ASCII spaces at `p`.
pub(super) fn spaces(b: &[u8], mut p: usize) -> usize {
    for _ in 0..2 {
        if b.get(p) == Some(&b' ') {
            p += 1;
        }
    }
    p
}

/// Reads up to nine digits at `i`, ASCII or full-width: value, digit count, end.
fn read_wide(b: &[u8], i: usize) -> Option<(u32, usize, usize)> {
    let (mut v, mut n, mut p) = (0u32, 0usize, i);
    while n < 9
        && let Some((d, l)) = digit_at(b, p)
    {
        v = v * 10 + u32::from(d - b'0');
        n += 1;
        p += l;
    }
    (n > 0).then_some((v, n, p))
}
