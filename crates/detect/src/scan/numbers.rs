//! Candidates that start with a digit, `+` or `(`: phones, identity and card numbers, SSNs,
//! coordinates, IPv4 addresses, dates.

use super::*;
use crate::text::line_break_at;
use dates::{ordinal_end, spaces};

impl Scanner<'_> {
    // ------------------------------------------------------------------ numbers

    /// Everything that starts with a digit, `+` or `(`: phones, identity and card numbers,
    /// SSNs, coordinates, IPv4 addresses, dates. Returns where scanning continues.
    pub(super) fn number(&mut self, i: usize) -> usize {
        let b = self.b;
        let mut p = i;
        let mut open_paren = false;
        let mut plus = false;
        let mut minus = false;
        if let Some((c, l)) = ascii_fold_at(b, p)
            && c == b'('
        {
            open_paren = true;
            p += l;
        }
        if let Some((c, l)) = ascii_fold_at(b, p) {
            if c == b'+' {
                plus = true;
                p += l;
            } else if c == b'-' && !open_paren {
                minus = true;
                p += l;
            }
        }
        let first = p;
        // Digits and groups live on the stack: this runs for every number in the input.
        let mut digits = [0u8; 48];
        let mut dn = 0usize;
        let mut groups = [Group::default(); 8];
        let mut gn = 0usize;
        let mut closed = false;
        let mut paren_group = usize::MAX;
        let mut nl = false;
        loop {
            let gs = p;
            let ds = dn;
            while let Some((d, l)) = digit_at(b, p) {
                digits[dn] = d;
                dn += 1;
                p += l;
                if dn > 40 {
                    break;
                }
            }
            if p == gs {
                break;
            }
            groups[gn] = Group {
                be: p,
                ds,
                dn: dn - ds,
                nl,
            };
            gn += 1;
            if gn >= groups.len() || dn > 40 {
                break;
            }
            let Some((c, l)) = ascii_fold_at(b, p) else {
                break;
            };
            if c == b')' && open_paren && !closed {
                closed = true;
                paren_group = gn;
                let mut q = p + l;
                if let Some((c2, l2)) = ascii_fold_at(b, q)
                    && matches!(c2, b' ' | b'-')
                {
                    q += l2;
                }
                if digit_at(b, q).is_some() {
                    p = q;
                    continue;
                }
                break;
            }
            if matches!(c, b' ' | b'-') && digit_at(b, p + l).is_some() && !minus {
                p += l;
                continue;
            }
            // A line break inside an identity number (OCR text, a narrow column): the rest on
            // the next line, once; read as one only as an identity number after its label.
            if !nl
                && !minus
                && (6..=16).contains(&dn)
                && matches!(c, b'\n' | b'\r' | b' ' | b'\t')
                && let Some(q) = line_break_at(b, p)
                && digit_at(b, q).is_some()
            {
                nl = true;
                p = q;
                continue;
            }
            break;
        }
        let groups = &groups[..gn];
        let digits = &digits[..dn];
        let Some(g0) = groups.first().copied() else {
            return i + 1;
        };
        let skip_to = g0.be;
        let wraps_all = closed && paren_group == groups.len();
        if open_paren && (!closed || wraps_all) {
            // The bracket is not part of a number format (or wraps the whole number): scan
            // what is inside on its own.
            return i + decode_at(b, i).1;
        }
        // Decimal and dotted forms: coordinates, IPv4, dates with dots.
        let after0 = ascii_fold_at(b, g0.be).map(|(c, _)| c);
        if groups.len() == 1 && !plus && !open_paren {
            if after0 == Some(b'.') && digit_at(b, g0.be + 1).is_some() {
                return self
                    .dotted(if minus { i } else { first }, first)
                    .unwrap_or(skip_to);
            }
            if minus {
                return skip_to;
            }
            if matches!(after0, Some(b'/')) || starts_with_at(b, spaces(b, g0.be), "年") {
                // Not a date: the number may still be one on its own (`13812345678/139…`, two
                // phones for one person).
                if let Some(e) = self.date(first) {
                    return e;
                }
                if starts_with_at(b, spaces(b, g0.be), "年") {
                    return skip_to;
                }
            }
            if (1..=2).contains(&g0.dn)
                && b.get(ordinal_end(b, g0.be)) == Some(&b' ')
                && let Some(e) = self.date(first)
            {
                return e;
            }
            // 07-Mar-1990, 07.Mar.1990, 07MAR90, 1990-Mar-07: a month's name after the first
            // number (after a slash, `date` was asked above).
            let month_at = |q: usize| b.get(q).is_some_and(u8::is_ascii_alphabetic);
            if matches!(g0.dn, 1 | 2 | 4)
                && (month_at(g0.be) || (matches!(after0, Some(b'-' | b'.')) && month_at(g0.be + 1)))
                && let Some(e) = self.date(first)
            {
                return e;
            }
        }
        if minus {
            return skip_to;
        }
        // A number inside a URL is an identifier of the site's (`/order/13812345678/`,
        // `?uid=…`) unless its key says what it is (`?phone=…`).
        if self.in_url(i)
            && !matches!(
                self.adjacent_cue(i),
                Some(Cue::Phone | Cue::IdCard | Cue::Bank | Cue::Passport)
            )
        {
            return skip_to_word_end(b, g0.be);
        }
        for k in (1..=groups.len()).rev() {
            let g = &groups[..k];
            let last = g[k - 1];
            let d = &digits[..last.ds + last.dn];
            let mut end = last.be;
            // The identity number's check character may be X.
            let x_len = match ascii_fold_at(b, end) {
                Some((b'X' | b'x', l)) if d.len() == 17 => l,
                _ => 0,
            };
            let x = x_len > 0;
            end += x_len;
            // An ISO 8601 date with its time (`1990-05-12T00:00:00Z`): the date may be a
            // birth date.
            let iso_time = k == 3
                && g[0].dn == 4
                && b.get(end) == Some(&b'T')
                && b.get(end + 1..end + 4).is_some_and(|t| {
                    t[0].is_ascii_digit() && t[1].is_ascii_digit() && t[2] == b':'
                });
            if !word_end(b, end) && !iso_time {
                // A letter or digit glued to the end: not a whole number.
                if k == 1 {
                    return skip_to_word_end(b, end);
                }
                continue;
            }
            if closed && paren_group > k {
                continue;
            }
            if let Some(()) = self.interpret(i, end, g, d, x, plus, closed.then_some(paren_group)) {
                return end;
            }
        }
        skip_to
    }

    /// An identity number broken across two lines: whole (18 characters, its check character
    /// right), after an identity label on its first line.
    fn broken_resident_id(
        &mut self,
        start: usize,
        end: usize,
        d: &[u8],
        x: bool,
        decorated: bool,
    ) -> Option<()> {
        if decorated || !((d.len() == 17 && x) || (d.len() == 18 && !x)) {
            return None;
        }
        let mut v = d.to_vec();
        if x {
            v.push(b'X');
        }
        if !validate::resident_id(&v) || self.cue(start) != Some(Cue::IdCard) {
            return None;
        }
        self.push(start, end, PiType::CnResidentId, 0.9, true, || {
            String::from_utf8_lossy(&v).into()
        });
        Some(())
    }

    /// Whether `i` lies inside a URL: after a `://` with no whitespace, quote, angle bracket
    /// or non-ASCII byte between.
    /// The `://`s are found in order as the scan moves on, each once.
    fn in_url(&self, i: usize) -> bool {
        let b = self.b;
        let (mut next, mut last) = self.urls.get();
        while next <= i {
            let rest = next + 3;
            // A URL ends at whitespace, a quote, an angle bracket or any non-ASCII byte
            // (`详见https://t.cn/x，客服…`). Within the last URL the end is already known.
            let end = if rest <= last.1 {
                last.1
            } else {
                b.get(rest..)
                    .and_then(|r| {
                        r.iter().position(|&c| {
                            c.is_ascii_whitespace()
                                || c >= 0x80
                                || matches!(c, b'"' | b'\'' | b'<' | b'>')
                        })
                    })
                    .map_or(b.len(), |k| rest + k)
            };
            last = (next, end);
            next = b
                .get(rest..)
                .and_then(|r| memchr::memmem::find(r, b"://"))
                .map_or(usize::MAX, |k| rest + k);
        }
        self.urls.set((next, last));
        last.0 < i && i < last.1
    }

    /// A mainland mobile number at `start..end`, its digits `national`, unless `vetoable` and a
    /// cue before it says the number is something else (a reference, a version, a hotline; a
    /// number written with its country code is never vetoed). A time cue does not veto a
    /// mobile: timestamps have 10 or 13 digits, and `at` stands before phone numbers in prose
    /// (`reach me at 138…`). Whether it was pushed.
    fn mobile(&mut self, start: usize, end: usize, national: &[u8], vetoable: bool) -> bool {
        let cue = self.cue(start);
        if vetoable && matches!(cue, Some(Cue::Reference | Cue::Version | Cue::Hotline)) {
            return false;
        }
        let conf = if matches!(cue, Some(Cue::Phone | Cue::Name)) {
            0.97
        } else {
            0.9
        };
        self.push(start, end, PiType::CnMobile, conf, false, || {
            String::from_utf8_lossy(national).into()
        });
        true
    }

    /// Tries the number types on one prefix of a digit run.
    #[expect(
        clippy::too_many_arguments,
        reason = "the interpretation state of one digit run, passed by value in the hot path"
    )]
    pub(super) fn interpret(
        &mut self,
        start: usize,
        end: usize,
        g: &[Group],
        d: &[u8],
        x: bool,
        plus: bool,
        paren: Option<usize>,
    ) -> Option<()> {
        let k = g.len();
        let glen = |j: usize| g.get(j).map_or(0, |gr| gr.dn);
        // A birth date to the month: 1990-05 (and not the start of a longer date).
        if k == 2
            && glen(0) == 4
            && (1..=2).contains(&glen(1))
            && self.b.get(g[0].be) == Some(&b'-')
            && !(self.b.get(end) == Some(&b'-')
                && self.b.get(end + 1).is_some_and(u8::is_ascii_digit))
        {
            let (y, m) = (num(&d[..4]), num(&d[4..]));
            return self.birth_month(start, end, y, m).then_some(());
        }
        // Nothing below is shorter than 8 digits but a dashed date (`1990-3-7`, `7-3-1990`,
        // `90-03-07`): skip the self.cue(start) lookup.
        if d.len() < 8 && k != 3 {
            return None;
        }
        // Broken across lines: an 18-character identity number after its label, nothing else.
        if g.iter().any(|gr| gr.nl) {
            return self.broken_resident_id(start, end, d, x, plus || paren.is_some());
        }
        // Resident identity number.
        if (d.len() == 17 && x) || d.len() == 18 || d.len() == 15 {
            let mut v = d.to_vec();
            if x {
                v.push(b'X');
            }
            // Whole, 6-8-4 (6-6-3), or evenly printed groups: 6-4-4-4, 4-4-4-4-2, 3-3-4-4-4;
            // one kind of separator throughout.
            let same_sep = g
                .windows(2)
                .all(|w| self.b.get(w[0].be) == self.b.get(g[0].be));
            let shape_ok = k == 1
                || (k == 3 && glen(0) == 6 && glen(1) == 8)
                || (k == 3 && glen(0) == 6 && glen(1) == 6)
                || ((4..=5).contains(&k)
                    && same_sep
                    && (0..k).all(|j| (2..=6).contains(&glen(j)))
                    && (0..k - 1).all(|j| glen(j) >= 3));
            if shape_ok && validate::resident_id(&v) && !plus && paren.is_none() {
                let conf = match self.cue(start) {
                    Some(Cue::IdCard) => 0.97,
                    Some(Cue::Reference) | Some(Cue::Time) => 0.0,
                    _ if v.len() == 15 => 0.55,
                    _ => 0.85,
                };
                if conf > 0.0 && !(v.len() == 15 && self.cue(start) != Some(Cue::IdCard)) {
                    self.push(
                        start,
                        end,
                        PiType::CnResidentId,
                        conf,
                        v.len() == 18,
                        || String::from_utf8_lossy(&v).into(),
                    );
                    return Some(());
                }
            }
        }
        if x {
            return None;
        }
        // A birth date written without separators: 19900512.
        if k == 1 && d.len() == 8 && !plus && paren.is_none() {
            let (y, m, dd) = (num(&d[..4]), num(&d[4..6]), num(&d[6..]));
            if validate::is_real_date(y, m, dd)
                && (1900..=2030).contains(&y)
                && self.birth(start, end)
            {
                self.birth_date(start, end, y, m, dd);
                return Some(());
            }
        }
        // Country code.
        let (cc_len, national) = if plus {
            if d.starts_with(b"86") {
                (2, &d[2..])
            } else {
                return None;
            }
        } else if d.starts_with(b"0086") && (glen(0) == 4 || d.len() >= 14) {
            (4, &d[4..])
        } else if d.starts_with(b"86") && (glen(0) == 2 || d.len() == 13) && d.len() >= 12 {
            (2, &d[2..])
        } else {
            (0, d)
        };
        // Mobile. A lone leading `1` group is the North American trunk prefix
        // (`1-800-555-0199`), never how a mainland mobile is written.
        let nanp = cc_len == 0 && k >= 2 && glen(0) == 1;
        if validate::cn_mobile(national) && !nanp && self.mobile(start, end, national, cc_len == 0)
        {
            return Some(());
        }
        // Landline.
        // On the stack, as the digits are: this runs for most numbers of eight digits or more.
        let mut ll_buf = [0u8; 49];
        let trunk = usize::from(cc_len > 0);
        ll_buf[0] = b'0';
        let ll = ll_buf.get_mut(trunk..trunk + national.len())?;
        ll.copy_from_slice(national);
        let ll = &ll_buf[..trunk + national.len()];
        if validate::cn_landline(ll)
            && !self.negative(start)
            && let Some(area) = validate::cn_area_code_len(ll)
        {
            let area_digits = if cc_len > 0 { area - 1 } else { area };
            // Grouped forms must split after the area code (or bracket it).
            let first_national = if cc_len > 0 && glen(0) == cc_len {
                1
            } else {
                0
            };
            let structured = k > first_national + 1 && glen(first_national) == area_digits
                || paren.is_some_and(|pg| {
                    pg == first_national + 1 && glen(first_national) == area_digits
                });
            let conf = if structured || cc_len > 0 {
                if self.cue(start) == Some(Cue::Phone) {
                    0.95
                } else {
                    0.85
                }
            } else if k == 1 && self.cue(start) == Some(Cue::Phone) {
                0.8
            } else if k == 1 {
                0.6
            } else {
                0.0
            };
            if conf > 0.0 {
                self.push(start, end, PiType::CnLandline, conf, false, || {
                    String::from_utf8_lossy(ll).into()
                });
                return Some(());
            }
        }
        if plus || cc_len > 0 || paren.is_some() {
            return None;
        }
        // Payment card.
        if (13..=19).contains(&d.len()) {
            let grouped_ok = k == 1
                || g[..k - 1].iter().all(|gr| gr.dn == 4)
                || (k == 3 && glen(0) == 4 && glen(1) == 6);
            if grouped_ok && validate::bank_card(d) && !self.negative(start) {
                let conf = if self.cue(start) == Some(Cue::Bank) {
                    0.97
                } else {
                    0.85
                };
                self.push(start, end, PiType::BankCard, conf, true, || {
                    String::from_utf8_lossy(d).into()
                });
                return Some(());
            }
        }
        // US SSN.
        let seps_ok = |c: u8| g.windows(2).all(|w| self.b.get(w[0].be) == Some(&c));
        if k == 3
            && glen(0) == 3
            && glen(1) == 2
            && glen(2) == 4
            && (seps_ok(b'-') || (seps_ok(b' ') && self.cue(start) == Some(Cue::Ssn)))
            && validate::us_ssn(&d[..3], &d[3..5], &d[5..])
            && !self.negative(start)
        {
            {
                let conf = if self.cue(start) == Some(Cue::Ssn) {
                    0.95
                } else {
                    0.85
                };
                self.push(start, end, PiType::UsSsn, conf, false, || {
                    String::from_utf8_lossy(d).into()
                });
                return Some(());
            }
        }
        if k == 1
            && d.len() == 9
            && validate::us_ssn(&d[..3], &d[3..5], &d[5..])
            && self.cue(start) == Some(Cue::Ssn)
        {
            self.push(start, end, PiType::UsSsn, 0.85, false, || {
                String::from_utf8_lossy(d).into()
            });
            return Some(());
        }
        // Birth dates written 12-05-1990 (day or month first, as with slashes).
        if k == 3
            && (1..=2).contains(&glen(0))
            && (1..=2).contains(&glen(1))
            && glen(2) == 4
            && seps_ok(b'-')
            && self.birth(start, end)
        {
            let a = num(&d[..glen(0)]);
            let c = num(&d[glen(0)..glen(0) + glen(1)]);
            let y = num(&d[glen(0) + glen(1)..]);
            let (m, dd) = if a > 12 { (c, a) } else { (a, c) };
            if validate::is_real_date(y, m, dd) && (1900..=2030).contains(&y) {
                self.birth_date(start, end, y, m, dd);
                return Some(());
            }
        }
        // Birth dates with a two-digit year: 07-03-90, 90-03-07.
        if k == 3
            && (0..3).all(|j| (1..=2).contains(&glen(j)))
            && seps_ok(b'-')
            && self.birth(start, end)
        {
            let a = num(&d[..glen(0)]);
            let c = num(&d[glen(0)..glen(0) + glen(1)]);
            let e = num(&d[glen(0) + glen(1)..]);
            if let Some((y, m, dd)) = dates::short_year_date(a, c, e)
                && validate::is_real_date(y, m, dd)
            {
                self.birth_date(start, end, y, m, dd);
                return Some(());
            }
        }
        // Birth dates written 1990-05-12 or 1990 05 12.
        if k == 3
            && glen(0) == 4
            && (1..=2).contains(&glen(1))
            && (1..=2).contains(&glen(2))
            && self.birth(start, end)
            && seps_ok(b'-')
        {
            let y = num(&d[..4]);
            let m = num(&d[4..4 + glen(1)]);
            let dd = num(&d[4 + glen(1)..]);
            if validate::is_real_date(y, m, dd) && (1900..=2030).contains(&y) {
                self.birth_date(start, end, y, m, dd);
                return Some(());
            }
        }
        // Permits written as bare digits.
        if k == 1 && self.cue(start) == Some(Cue::TwPermit) && validate::taiwan_permit(d) {
            self.push(start, end, PiType::TaiwanPermit, 0.85, false, || {
                String::from_utf8_lossy(d).into()
            });
            return Some(());
        }
        None
    }

    /// Whether a version cue stands for the dotted number at `i`: the cue says version and no
    /// other number stands between them — a cue names the first value after it
    /// (`version 12.17.6.118 rolled back on 192.168.211.5`, `ver 4.18.1.170⏎Login IP:
    /// 172.20.68.253`: the address is no version). A column's header says it for every row.
    fn version_cue(&self, i: usize) -> bool {
        if !matches!(self.cue(i), Some(Cue::Version)) {
            return false;
        }
        match self.lx.cue_before(self.b, i, CUE_WINDOW) {
            Some((Cue::Version, e)) => !self.b[e.min(i)..i].iter().any(u8::is_ascii_digit),
            _ => true,
        }
    }

    /// Dotted numbers starting at `i` (with an optional sign before `first`): IPv4,
    /// coordinate pairs, dotted dates.
    pub(super) fn dotted(&mut self, i: usize, first: usize) -> Option<usize> {
        let b = self.b;
        let (parts, end) = dotted_parts(b, first);
        match parts.len() {
            4 if i == first => {
                let v = &b[first..end];
                // A fifth part or a file's or host's name after it: `1.10.2.3.tar.gz`.
                let more = b.get(end) == Some(&b'.')
                    && b.get(end + 1).is_some_and(u8::is_ascii_alphanumeric);
                // A product's or a package's version glued to its name (`MyApp/6.3.0.12`,
                // `libssl.so.1.0.2.11`, `fastjson-1.2.83.1`) or before `版本`. (After a colon an
                // address is as likely: `router:192.168.1.1`.)
                let glued = first >= 2
                    && matches!(b[first - 1], b'/' | b'-' | b'.')
                    && b[first - 2].is_ascii_alphabetic()
                    && !crate::text::names_an_address(&b[..first - 1]);
                if validate::ipv4(v)
                    && !more
                    && word_end(b, end)
                    && !glued
                    && !starts_with_at(b, spaces(b, end), "版本")
                    && !self.version_cue(i)
                    && (!quads::version_shaped(v) || quads::names_an_ip(&b[..first]))
                    && !quads::after_a_product(&b[..first])
                {
                    self.push(first, end, PiType::IpAddress, 0.9, false, || {
                        String::from_utf8_lossy(v).into()
                    });
                    return Some(end);
                }
                Some(end)
            }
            3 if i == first && parts.iter().map(|p| p.1).eq([3, 4, 4]) => {
                // A mobile number grouped with dots: 138.1234.5678.
                let digits: Vec<u8> = b[first..end]
                    .iter()
                    .copied()
                    .filter(u8::is_ascii_digit)
                    .collect();
                if validate::cn_mobile(&digits) && word_end(b, end) {
                    self.mobile(first, end, &digits, true);
                }
                Some(end)
            }
            3 if i == first => {
                // 1990.05.12, or day first: 12.05.1990; with a two-digit year, 90.03.07 or
                // 07.03.90.
                let date = if parts.iter().all(|p| p.1 <= 2) {
                    dates::short_year_date(parts[0].0, parts[1].0, parts[2].0)
                } else {
                    let (y, m, d) = if parts[2].1 == 4 && parts[0].1 <= 2 {
                        (parts[2], parts[1], parts[0])
                    } else {
                        (parts[0], parts[1], parts[2])
                    };
                    (y.1 == 4).then_some((y.0, m.0, d.0))
                };
                if let Some((y, m, d)) = date
                    && validate::is_real_date(y, m, d)
                    && word_end(b, end)
                    && self.birth(i, end)
                {
                    self.birth_date(first, end, y, m, d);
                }
                Some(end)
            }
            // 1990.05 after a birth cue: a birth date to the month.
            2 if i == first
                && parts[0].1 == 4
                && parts[1].1 <= 2
                && word_end(b, end)
                && self.birth_month(first, end, parts[0].0, parts[1].0) =>
            {
                Some(end)
            }
            2 => self.gps(i, parts[1].1, end),
            _ => Some(end),
        }
    }

    /// A coordinate pair: the first decimal ends at `end1`; a comma (or a space) and a second
    /// decimal follow.
    pub(super) fn gps(&mut self, i: usize, dec1: usize, end1: usize) -> Option<usize> {
        let b = self.b;
        let mut p = end1;
        let (c, l) = ascii_fold_at(b, p)?;
        let comma = c == b',';
        if comma {
            p += l;
        } else if c != b' ' {
            return Some(end1);
        }
        while b.get(p) == Some(&b' ') && p - end1 < 3 {
            p += 1;
        }
        let sign2 = b.get(p) == Some(&b'-');
        let s2 = if sign2 { p + 1 } else { p };
        if !b.get(s2).is_some_and(u8::is_ascii_digit) {
            return Some(end1);
        }
        let (parts2, end2) = dotted_parts(b, s2);
        if parts2.len() != 2 || !word_end(b, end2) {
            return Some(end1);
        }
        let a = parse_f64(&b[i..end1])?;
        let c2 = parse_f64(&b[p..end2])?;
        let dec2 = parts2[1].1;
        if !validate::gps_pair(a, c2) {
            return Some(end1);
        }
        let cue = self.cue(i);
        let gps_cue = cue == Some(Cue::Gps);
        let decimals_ok = (dec1 >= 3 && dec2 >= 3) || (gps_cue && dec1 >= 1 && dec2 >= 1);
        if !validate::gps_pair(a, c2)
            || !decimals_ok
            || (!comma && !gps_cue)
            || matches!(cue, Some(Cue::Version))
        {
            return Some(end1);
        }
        let conf = if gps_cue { 0.95 } else { 0.85 };
        self.push(i, end2, PiType::GpsCoordinate, conf, false, || {
            format!("{a},{c2}")
        });
        Some(end2)
    }
}
