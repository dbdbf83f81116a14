//! The single-pass scanner: walks the bytes once, dispatches on what can start a finding
//! (a digit, `+`, `(`, a letter, a Han character), and asks the exact matchers and validators
//! only about those candidate windows. Context is read from a small window before a
//! candidate, never by a second pass.

use std::cell::Cell;

use crate::lex::{Lexicon, char_in, ends_with_at, starts_with_at};
use crate::lexicon::{self, Cue};
use crate::text::{
    ascii_fold_at, decode_at, decode_before, digit_at, is_alnum, is_han, word_end, word_start,
};
use crate::types::PiType;
use crate::validate;

/// How far back (in bytes) a cue word may stand from a value.
const CUE_WINDOW: usize = 36;

/// A finding before offsets are converted and overlaps resolved.
#[derive(Clone, Debug)]
pub(crate) struct Cand {
    pub bs: usize,
    pub be: usize,
    pub ty: PiType,
    pub conf: f32,
    pub validated: bool,
    pub value: String,
}

pub(crate) struct Scanner<'a> {
    b: &'a [u8],
    lx: &'a Lexicon,
    hint: Option<Cue>,
    pub out: Vec<Cand>,
    /// Where the next '@' is (or the input length), for e-mail candidates.
    next_at: usize,
    /// The last cue looked up: (position, cue).
    cue_memo: Cell<Option<(usize, Option<Cue>)>>,
}

/// One group of digits in a number: where it ends and where its digits are in the buffer.
#[derive(Clone, Copy, Default)]
struct Group {
    be: usize,
    /// Index into the digit buffer where this group's digits start, and how many.
    ds: usize,
    dn: usize,
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(b: &'a [u8], lx: &'a Lexicon, hint: Option<Cue>) -> Self {
        Scanner {
            b,
            lx,
            hint,
            out: Vec::new(),
            cue_memo: Cell::new(None),
            next_at: memchr::memchr(b'@', b).unwrap_or(b.len()),
        }
    }

    /// Walks the whole input once.
    pub(crate) fn run(&mut self) {
        let b = self.b;
        let n = b.len();
        let mut i = 0;
        while i < n {
            let c = b[i];
            if c < 0x80 {
                let class = ASCII_CLASS[c as usize];
                if class == 0 {
                    i += 1;
                    continue;
                }
                if class == 1 {
                    if word_start(b, i) {
                        i = self.ascii_word(i).max(i + 1);
                    } else {
                        i += 1;
                        while i < n && is_alnum(b[i]) {
                            i += 1;
                        }
                    }
                    continue;
                }
                if matches!(c, b'+' | b'(' | b'-') && digit_follows(b, i) && word_start(b, i) {
                    i = self.number(i).max(i + 1);
                    continue;
                }
                i += 1;
                continue;
            }
            // Fast path for the Han block (lead bytes E4..E9): one table lookup decides
            // whether the character can start anything.
            if (0xE4..=0xE9).contains(&c)
                && let (Some(&c1), Some(&c2)) = (b.get(i + 1), b.get(i + 2))
                && c1 & 0xC0 == 0x80
                && c2 & 0xC0 == 0x80
            {
                let cp = (u32::from(c & 0x0F) << 12)
                    | (u32::from(c1 & 0x3F) << 6)
                    | u32::from(c2 & 0x3F);
                if self.lx.han_flags(cp) == 0 {
                    i += 3;
                    continue;
                }
                let ch = char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER);
                i = self.han(i, ch, 3).max(i + 3);
                continue;
            }
            // Other three-byte characters (CJK and full-width punctuation): only full-width
            // digits, `＋` and `（` (EF BC 90..99, 8B, 88) can start anything.
            if (0xE1..=0xEF).contains(&c)
                && !(0xE3..=0xE4).contains(&c)
                && let (Some(&c1), Some(&c2)) = (b.get(i + 1), b.get(i + 2))
            {
                let special = c == 0xEF && c1 == 0xBC && matches!(c2, 0x88 | 0x8B | 0x90..=0x99);
                if c1 & 0xC0 == 0x80 && c2 & 0xC0 == 0x80 && !special && c != 0xED {
                    i += 3;
                    continue;
                }
            }
            let (ch, l) = decode_at(b, i);
            if digit_at(b, i).is_some() {
                if word_start(b, i) {
                    i = self.number(i).max(i + l);
                } else {
                    i += l;
                }
                continue;
            }
            if matches!(ch, '＋' | '（') && digit_follows(b, i) {
                i = self.number(i).max(i + l);
                continue;
            }
            if is_han(ch) {
                i = self.han(i, ch, l).max(i + l);
                continue;
            }
            i += l.max(1);
        }
    }

    fn push(
        &mut self,
        bs: usize,
        be: usize,
        ty: PiType,
        conf: f32,
        validated: bool,
        value: String,
    ) {
        self.out.push(Cand {
            bs,
            be,
            ty,
            conf,
            validated,
            value,
        });
    }

    /// Whether the cue before `at` says the number is not personal (an order or ticket
    /// number, a time, a version, a hotline).
    fn negative(&self, at: usize) -> bool {
        matches!(
            self.cue(at),
            Some(Cue::Reference | Cue::Time | Cue::Version | Cue::Hotline)
        )
    }

    fn cue(&self, at: usize) -> Option<Cue> {
        if let Some((p, c)) = self.cue_memo.get()
            && p == at
        {
            return c;
        }
        let c = self
            .lx
            .cue_before(self.b, at, CUE_WINDOW)
            .map(|(c, _)| c)
            .or(self.hint);
        self.cue_memo.set(Some((at, c)));
        c
    }

    /// Whether a cue could end right before `at` (after separators): the cheap half of
    /// [`Scanner::adjacent_cue`].
    fn cue_possible(&self, at: usize) -> bool {
        if self.hint.is_some() {
            return true;
        }
        let p = self.skip_separators_back(at);
        decode_before(self.b, p).is_some_and(|(c, _)| {
            c.is_ascii_alphabetic() || c == '.' || self.lx.cue_last.contains(c)
        })
    }

    /// The cue that ends right before `at`, allowing only separators (spaces, colons, quotes,
    /// brackets, `=`, `-`, `|`) in between.
    fn adjacent_cue(&self, at: usize) -> Option<Cue> {
        let b = self.b;
        let p = self.skip_separators_back(at);
        let fallback = if at == 0 || p == 0 { self.hint } else { None };
        // Only a letter or a character that ends some cue can end a cue here.
        let could_end_cue = decode_before(b, p).is_some_and(|(c, _)| {
            c.is_ascii_alphabetic() || c == '.' || self.lx.cue_last.contains(c)
        });
        if !could_end_cue {
            return fallback;
        }
        self.lx.cue_ending_at(b, p, 0).or(fallback)
    }

    /// Steps back from `at` over up to six separators (spaces, colons, quotes, brackets, `=`,
    /// `-`, `|`, commas) and returns where they start.
    fn skip_separators_back(&self, at: usize) -> usize {
        let mut p = at;
        for _ in 0..6 {
            match decode_before(self.b, p) {
                Some((c, l)) if is_label_separator(c) => p -= l,
                _ => break,
            }
        }
        p
    }

    // ------------------------------------------------------------------ ASCII words

    fn ascii_word(&mut self, i: usize) -> usize {
        let b = self.b;
        let n = b.len();
        // E-mail: the local-part run from here reaches the next '@' (at most 64 bytes on).
        if self.next_at < i {
            self.next_at = memchr::memchr(b'@', &b[i..]).map_or(n, |k| i + k);
        }
        if self.next_at < n && self.next_at - i <= 64 {
            let at = self.next_at;
            if b[i..at]
                .iter()
                .all(|&c| is_alnum(c) || b"._%+-".contains(&c))
                && let Some(end) = self.email(i, at)
            {
                return end;
            }
        }
        let mut we = i;
        while we < n && is_alnum(b[we]) {
            we += 1;
        }
        let word = &b[i..we];
        // IPv6: hex groups and colons.
        if word.len() <= 4
            && word.iter().all(u8::is_ascii_hexdigit)
            && b.get(we) == Some(&b':')
            && let Some(end) = self.ipv6(i)
        {
            return end;
        }
        // Organisation codes and document numbers are whole alphanumeric words.
        if word.len() == 18 && word.iter().any(u8::is_ascii_uppercase) && validate::uscc(word) {
            self.push(
                i,
                we,
                PiType::CnUscc,
                0.95,
                true,
                String::from_utf8_lossy(word).into(),
            );
            return we;
        }
        if b[i].is_ascii_digit() {
            return self.number(i);
        }
        if b[i].is_ascii_uppercase() {
            if let Some(end) = self.iban(i) {
                return end;
            }
            if word_end(b, we)
                && let Some(end) = self.document(i, we)
            {
                return end;
            }
            if let Some(end) = self.month_first_date(i) {
                return end;
            }
            if let Some(end) = self.latin_name(i) {
                return end;
            }
        }
        we
    }

    fn email(&mut self, start: usize, at: usize) -> Option<usize> {
        let b = self.b;
        let mut e = at + 1;
        while e < b.len() && (is_alnum(b[e]) || b[e] == b'-' || b[e] == b'.') {
            e += 1;
        }
        // Trailing dots and hyphens are punctuation, not the domain.
        while e > at + 1 && matches!(b[e - 1], b'.' | b'-') {
            e -= 1;
        }
        let mut s = start;
        while s < at && matches!(b[s], b'.' | b'-' | b'+') {
            s += 1;
        }
        let v = &b[s..e];
        if !validate::email(v) {
            return None;
        }
        let value = String::from_utf8_lossy(v).to_ascii_lowercase();
        self.push(s, e, PiType::Email, 0.99, false, value);
        Some(e)
    }

    fn ipv6(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        let mut e = i;
        while e < b.len()
            && (b[e].is_ascii_hexdigit() || b[e] == b':' || b[e] == b'.')
            && e - i < 45
        {
            e += 1;
        }
        while e > i && matches!(b[e - 1], b':' | b'.') {
            // a trailing colon is punctuation, except in "::"
            if b[e - 1] == b':' && e >= 2 && b[e - 2] == b':' {
                break;
            }
            e -= 1;
        }
        let v = &b[i..e];
        let colons = v.iter().filter(|&&c| c == b':').count();
        if colons < 2 || !word_end(b, e) || !validate::ipv6(v) {
            return None;
        }
        // "12:30:45" style times parse as IPv6 only with "::"; insist on a real shape.
        if colons < 7 && !v.windows(2).any(|w| w == b"::") {
            return None;
        }
        self.push(
            i,
            e,
            PiType::IpAddress,
            0.9,
            false,
            String::from_utf8_lossy(v).to_ascii_lowercase(),
        );
        Some(e)
    }

    /// IBAN, written whole or in groups of four.
    fn iban(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        let cc = b.get(i..i + 2)?;
        if !cc.iter().all(u8::is_ascii_uppercase)
            || !b.get(i + 2..i + 4)?.iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        let len = validate::iban_length(cc)?;
        let mut v = Vec::with_capacity(34);
        let mut p = i;
        let mut last_end = i;
        while p < b.len() && v.len() < len {
            let c = b[p];
            if is_alnum(c) {
                v.push(c.to_ascii_uppercase());
                p += 1;
                last_end = p;
            } else if c == b' ' && p + 1 < b.len() && is_alnum(b[p + 1]) && v.len() % 4 == 0 {
                p += 1;
            } else {
                break;
            }
        }
        if v.len() != len || !word_end(b, last_end) || !validate::iban(&v) {
            return None;
        }
        self.push(
            i,
            last_end,
            PiType::Iban,
            0.99,
            true,
            String::from_utf8_lossy(&v).into(),
        );
        Some(last_end)
    }

    /// Passports, travel permits: a whole word of a letter and digits.
    fn document(&mut self, i: usize, we: usize) -> Option<usize> {
        let w = &self.b[i..we];
        let cue = self.cue(i);
        let (ty, conf) = if validate::cn_passport(w) {
            let strong = matches!(w, [b'E' | b'G', ..]);
            match cue {
                Some(Cue::Passport) => (PiType::CnPassport, 0.97),
                Some(Cue::HkPermit) if validate::hk_macau_permit(w) => (PiType::HkMacauPermit, 0.9),
                Some(Cue::Reference | Cue::Version) => return None,
                _ if strong => (PiType::CnPassport, 0.85),
                _ => return None,
            }
        } else if validate::hk_macau_permit(w) && cue == Some(Cue::HkPermit) {
            (PiType::HkMacauPermit, 0.9)
        } else if validate::taiwan_permit(w) && cue == Some(Cue::TwPermit) {
            (PiType::TaiwanPermit, 0.9)
        } else {
            return None;
        };
        self.push(i, we, ty, conf, false, String::from_utf8_lossy(w).into());
        Some(we)
    }

    // ------------------------------------------------------------------ numbers

    /// Everything that starts with a digit, `+` or `(`: phones, identity and card numbers,
    /// SSNs, coordinates, IPv4 addresses, dates. Returns where scanning continues.
    fn number(&mut self, i: usize) -> usize {
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
            if matches!(after0, Some(b'/')) || starts_with_at(b, g0.be, "年") {
                return self.date(first).unwrap_or(skip_to);
            }
            if (1..=2).contains(&g0.dn)
                && b.get(g0.be) == Some(&b' ')
                && let Some(e) = self.date(first)
            {
                return e;
            }
        }
        if minus {
            return skip_to;
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
            if !word_end(b, end) {
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

    /// Tries the number types on one prefix of a digit run.
    #[expect(
        clippy::too_many_arguments,
        reason = "the interpretation state of one digit run, passed by value in the hot path"
    )]
    fn interpret(
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
        // Nothing below is shorter than 8 digits but a dashed date: skip the self.cue(start) lookup.
        if d.len() < 8 && !(k == 3 && glen(0) == 4) {
            return None;
        }
        // Resident identity number.
        if (d.len() == 17 && x) || d.len() == 18 || d.len() == 15 {
            let mut v = d.to_vec();
            if x {
                v.push(b'X');
            }
            let shape_ok = k == 1
                || (k == 3 && glen(0) == 6 && glen(1) == 8)
                || (k == 3 && glen(0) == 6 && glen(1) == 6);
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
                        String::from_utf8_lossy(&v).into(),
                    );
                    return Some(());
                }
            }
        }
        if x {
            return None;
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
        // Mobile.
        if validate::cn_mobile(national) && !(cc_len == 0 && self.negative(start)) {
            let conf = if matches!(self.cue(start), Some(Cue::Phone | Cue::Name)) {
                0.97
            } else {
                0.9
            };
            self.push(
                start,
                end,
                PiType::CnMobile,
                conf,
                false,
                String::from_utf8_lossy(national).into(),
            );
            return Some(());
        }
        // Landline.
        let mut ll = Vec::with_capacity(13);
        if cc_len > 0 {
            ll.push(b'0');
        }
        ll.extend_from_slice(national);
        if validate::cn_landline(&ll)
            && !self.negative(start)
            && let Some(area) = validate::cn_area_code_len(&ll)
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
                self.push(
                    start,
                    end,
                    PiType::CnLandline,
                    conf,
                    false,
                    String::from_utf8_lossy(&ll).into(),
                );
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
                self.push(
                    start,
                    end,
                    PiType::BankCard,
                    conf,
                    true,
                    String::from_utf8_lossy(d).into(),
                );
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
                self.push(
                    start,
                    end,
                    PiType::UsSsn,
                    conf,
                    false,
                    String::from_utf8_lossy(d).into(),
                );
                return Some(());
            }
        }
        if k == 1
            && d.len() == 9
            && validate::us_ssn(&d[..3], &d[3..5], &d[5..])
            && self.cue(start) == Some(Cue::Ssn)
        {
            self.push(
                start,
                end,
                PiType::UsSsn,
                0.85,
                false,
                String::from_utf8_lossy(d).into(),
            );
            return Some(());
        }
        // Birth dates written 1990-05-12 or 1990 05 12.
        if k == 3
            && glen(0) == 4
            && (1..=2).contains(&glen(1))
            && (1..=2).contains(&glen(2))
            && self.cue(start) == Some(Cue::Birth)
            && seps_ok(b'-')
        {
            let y = num(&d[..4]);
            let m = num(&d[4..4 + glen(1)]);
            let dd = num(&d[4 + glen(1)..]);
            if validate::is_real_date(y, m, dd) && (1900..=2030).contains(&y) {
                self.push(
                    start,
                    end,
                    PiType::DateOfBirth,
                    0.9,
                    false,
                    format!("{y:04}-{m:02}-{dd:02}"),
                );
                return Some(());
            }
        }
        // Permits written as bare digits.
        if k == 1 && self.cue(start) == Some(Cue::TwPermit) && validate::taiwan_permit(d) {
            self.push(
                start,
                end,
                PiType::TaiwanPermit,
                0.85,
                false,
                String::from_utf8_lossy(d).into(),
            );
            return Some(());
        }
        None
    }

    /// Dotted numbers starting at `i` (with an optional sign before `first`): IPv4,
    /// coordinate pairs, dotted dates.
    fn dotted(&mut self, i: usize, first: usize) -> Option<usize> {
        let b = self.b;
        let (parts, end) = dotted_parts(b, first);
        match parts.len() {
            4 if i == first => {
                let v = &b[first..end];
                let more =
                    b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit);
                if validate::ipv4(v)
                    && !more
                    && word_end(b, end)
                    && !matches!(self.cue(i), Some(Cue::Version))
                {
                    self.push(
                        first,
                        end,
                        PiType::IpAddress,
                        0.9,
                        false,
                        String::from_utf8_lossy(v).into(),
                    );
                    return Some(end);
                }
                Some(end)
            }
            3 if i == first => {
                let (y, m, d) = (parts[0], parts[1], parts[2]);
                if y.1 == 4
                    && validate::is_real_date(y.0, m.0, d.0)
                    && word_end(b, end)
                    && self.cue(i) == Some(Cue::Birth)
                {
                    self.push(
                        first,
                        end,
                        PiType::DateOfBirth,
                        0.9,
                        false,
                        format!("{:04}-{:02}-{:02}", y.0, m.0, d.0),
                    );
                }
                Some(end)
            }
            2 => self.gps(i, parts[1].1, end),
            _ => Some(end),
        }
    }

    /// A coordinate pair: the first decimal ends at `end1`; a comma (or a space) and a second
    /// decimal follow.
    fn gps(&mut self, i: usize, dec1: usize, end1: usize) -> Option<usize> {
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
        self.push(
            i,
            end2,
            PiType::GpsCoordinate,
            conf,
            false,
            format!("{a},{c2}"),
        );
        Some(end2)
    }

    /// Dates that may be birth dates: `1990/05/12`, `1990年5月12日`, `05/12/1990`,
    /// `12 Jun 1990`. Emitted only after a birth cue.
    fn date(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        let (n1, l1, mut p) = read_num(b, i)?;
        let (y, m, d, end) = if l1 == 4 {
            if let Some((m, _, p2)) = after_sep(b, p, b'/').and_then(|q| read_num(b, q)) {
                let (d, _, p3) = after_sep(b, p2, b'/').and_then(|q| read_num(b, q))?;
                (n1, m, d, p3)
            } else if starts_with_at(b, p, "年") {
                p += 3;
                let (m, _, p2) = read_num(b, p)?;
                if !starts_with_at(b, p2, "月") {
                    return None;
                }
                let (d, _, p3) = read_num(b, p2 + 3)?;
                let end = if starts_with_at(b, p3, "日") || starts_with_at(b, p3, "号") {
                    p3 + 3
                } else {
                    p3
                };
                (n1, m, d, end)
            } else {
                return None;
            }
        } else if l1 <= 2 && b.get(p) == Some(&b'/') {
            let (m2, _, p2) = read_num(b, p + 1)?;
            let (y, ly, p3) = after_sep(b, p2, b'/').and_then(|q| read_num(b, q))?;
            if ly != 4 {
                return None;
            }
            // mm/dd/yyyy, or dd/mm/yyyy when the first part cannot be a month.
            if n1 > 12 {
                (y, m2, n1, p3)
            } else {
                (y, n1, m2, p3)
            }
        } else if l1 <= 2 && b.get(p) == Some(&b' ') {
            let (m, p2) = month_word(b, p + 1)?;
            let (y, ly, p3) = (b.get(p2) == Some(&b' '))
                .then(|| read_num(b, p2 + 1))
                .flatten()?;
            if ly != 4 {
                return None;
            }
            (y, m, n1, p3)
        } else {
            return None;
        };
        if !word_end(b, end) || !validate::is_real_date(y, m, d) || !(1900..=2030).contains(&y) {
            return Some(end);
        }
        if self.cue(i) == Some(Cue::Birth) {
            self.push(
                i,
                end,
                PiType::DateOfBirth,
                0.9,
                false,
                format!("{y:04}-{m:02}-{d:02}"),
            );
        }
        Some(end)
    }

    /// `June 12, 1990` after a birth cue.
    fn month_first_date(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        let (m, p) = month_word(b, i)?;
        if b.get(p) != Some(&b' ') {
            return None;
        }
        let (d, _, p2) = read_num(b, p + 1)?;
        let q = if b.get(p2) == Some(&b',') { p2 + 1 } else { p2 };
        if b.get(q) != Some(&b' ') {
            return None;
        }
        let (y, ly, end) = read_num(b, q + 1)?;
        if ly != 4 || !validate::is_real_date(y, m, d) || !word_end(b, end) {
            return None;
        }
        if self.cue(i) != Some(Cue::Birth) {
            return None;
        }
        self.push(
            i,
            end,
            PiType::DateOfBirth,
            0.9,
            false,
            format!("{y:04}-{m:02}-{d:02}"),
        );
        Some(end)
    }

    // ------------------------------------------------------------------ Latin names

    fn latin_name(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        // A name cue must stand right before: check that first, it rules out most words.
        if self.adjacent_cue(i) != Some(Cue::Name) {
            return None;
        }
        let mut words = Vec::with_capacity(3);
        let mut p = i;
        let mut end = i;
        while words.len() < 4 {
            let ws = p;
            let we = name_word_end(b, ws)?;
            if we == ws {
                break;
            }
            let w = &b[ws..we];
            if lexicon::NOT_NAME_WORDS
                .iter()
                .any(|nw| w.eq_ignore_ascii_case(nw.as_bytes()))
            {
                break;
            }
            words.push((ws, we));
            end = we;
            // Next word after exactly one space.
            if b.get(we) == Some(&b' ') && b.get(we + 1).is_some_and(u8::is_ascii_uppercase) {
                p = we + 1;
            } else {
                break;
            }
        }
        if words.len() < 2 || words.len() > 3 || !word_end(b, end) {
            return None;
        }
        let v = String::from_utf8_lossy(&b[i..end]).into_owned();
        self.push(i, end, PiType::PersonNameEn, 0.85, false, v);
        // A list of names after one cue: "Li Na, Zhang Wei and Wang Fang".
        let mut q = end;
        loop {
            let next = if starts_with_at(b, q, ", ") {
                q + 2
            } else if starts_with_at(b, q, " and ") {
                q + 5
            } else if starts_with_at(b, q, "、") || starts_with_at(b, q, "，") {
                q + 3
            } else {
                break;
            };
            match self.latin_name_plain(next) {
                Some(e) => q = e,
                None => break,
            }
        }
        Some(q)
    }

    /// Two or three capitalised words, without a cue; used for the rest of a list.
    fn latin_name_plain(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        let mut p = i;
        let mut n = 0;
        let mut end = i;
        loop {
            let we = name_word_end(b, p)?;
            if we == p
                || lexicon::NOT_NAME_WORDS
                    .iter()
                    .any(|nw| b[p..we].eq_ignore_ascii_case(nw.as_bytes()))
            {
                break;
            }
            n += 1;
            end = we;
            if n < 3
                && b.get(we) == Some(&b' ')
                && b.get(we + 1).is_some_and(u8::is_ascii_uppercase)
            {
                p = we + 1;
            } else {
                break;
            }
        }
        if n < 2 || !word_end(b, end) {
            return None;
        }
        self.push(
            i,
            end,
            PiType::PersonNameEn,
            0.75,
            false,
            String::from_utf8_lossy(&b[i..end]).into(),
        );
        Some(end)
    }

    // ------------------------------------------------------------------ Han characters

    fn han(&mut self, i: usize, ch: char, l: usize) -> usize {
        let lx = self.lx;
        let b = self.b;
        if lx.plate_provinces.contains(ch)
            && b.get(i + l).is_some_and(u8::is_ascii_uppercase)
            && let Some(e) = self.plate(i, l)
        {
            return e;
        }
        if lx.road_suffixes.contains(ch)
            && digit_at(b, i + l).is_some()
            && let Some(e) = self.address(i, l)
        {
            return e;
        }
        if (lx.surnames.contains(ch) || lx.compound_first.contains(ch))
            && let Some(e) = self.han_name(i)
        {
            return e;
        }
        i + l
    }

    fn plate(&mut self, i: usize, l: usize) -> Option<usize> {
        let b = self.b;
        let mut p = i + l + 1; // province + the letter of the issuing office
        let mut body = Vec::with_capacity(7);
        if let Some((c, cl)) = decode_at(b, p).into()
            && matches!(c, ' ' | '·' | '•' | '-' | '\u{3000}')
            && b.get(p + cl).is_some_and(|c| is_alnum(*c))
        {
            p += cl;
        }
        while p < b.len() && body.len() < 7 && (b[p].is_ascii_digit() || b[p].is_ascii_uppercase())
        {
            body.push(b[p]);
            p += 1;
        }
        let mut end = p;
        let mut suffix = false;
        if body.len() == 4
            && let Some((_, sl)) = char_in(b, p, &self.lx.plate_suffixes)
        {
            end = p + sl;
            suffix = true;
        }
        let ok_len = suffix || body.len() == 5 || body.len() == 6;
        let no_io = body.iter().all(|&c| c != b'I' && c != b'O');
        let digits = body.iter().filter(|c| c.is_ascii_digit()).count();
        if !ok_len || !no_io || digits < 2 || !word_end(b, end) {
            return None;
        }
        let value: String = std::str::from_utf8(&b[i..end])
            .map(|s| {
                s.chars()
                    .filter(|c| !matches!(c, ' ' | '·' | '•' | '-' | '\u{3000}'))
                    .collect()
            })
            .unwrap_or_default();
        self.push(i, end, PiType::CnLicensePlate, 0.9, false, value);
        Some(end)
    }

    /// A Chinese person's name: a surname and one or two given-name characters, confirmed by
    /// a cue before it (姓名, 乘客, 司机, ...) or an honorific after it (先生, 师傅, ...).
    fn han_name(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        let lx = self.lx;
        let (c0, l0) = decode_at(b, i);
        let mut p = i + l0;
        // Compound surname?
        let (c1, l1) = decode_at(b, p);
        let compound = lx.compound_first.contains(c0) && lx.is_compound_surname(c0, c1);
        if compound {
            p += l1;
        } else if !lx.surnames.contains(c0) {
            return None;
        }
        // Cheap gate: a name needs a cue right before it, an honorific right after it, or a
        // line of its own. Most surname characters in running text have none of these.
        let cue_possible = self.cue_possible(i);
        let line_start = is_line_start(b, i);
        if !cue_possible && !line_start {
            let mut q = p;
            let mut near = false;
            for _ in 0..3 {
                let (c, l) = decode_at(b, q);
                if l == 0 || !is_han(c) {
                    break;
                }
                if lx.honorific_first.contains(c) {
                    near = true;
                    break;
                }
                q += l;
            }
            if !near {
                return None;
            }
        }
        if lx.name_stop_at(b, i) {
            return None;
        }
        let mut given = 0;
        while given < 2 {
            let (c, l) = decode_at(b, p);
            if !is_han(c) || lx.name_stop_chars.contains(c) {
                break;
            }
            if lx.name_stop_at(b, p) || lx.honorific_at(b, p) {
                break;
            }
            p += l;
            given += 1;
        }
        if given == 0 {
            return None;
        }
        let end = p;
        let honorific = lx.honorific_at(b, end);
        let cue = if cue_possible {
            self.adjacent_cue(i)
        } else {
            None
        };
        let line_start = line_start && followed_by_break(b, end);
        let conf = if matches!(cue, Some(Cue::Name | Cue::Hotline)) {
            0.9
        } else if honorific {
            0.8
        } else if line_start && given <= 2 {
            0.6
        } else {
            return None;
        };
        let v = String::from_utf8_lossy(&b[i..end]).into_owned();
        self.push(i, end, PiType::PersonNameZh, conf, false, v);
        Some(end)
    }

    /// A street-level address around a road name followed by a door number: `路` at `i`.
    fn address(&mut self, i: usize, l: usize) -> Option<usize> {
        let b = self.b;
        let lx = self.lx;
        // Door number: digits (optionally "12-3") then 号 or 弄.
        let mut p = i + l;
        while digit_at(b, p).is_some() || (b.get(p) == Some(&b'-') && digit_at(b, p + 1).is_some())
        {
            p += digit_at(b, p).map_or(1, |(_, dl)| dl);
        }
        if !(starts_with_at(b, p, "号") || starts_with_at(b, p, "弄")) {
            return None;
        }
        p += 3;
        let end = self.building_tail(p);
        let start = self.address_start(i)?;
        let _ = lx;
        let v = String::from_utf8_lossy(&b[start..end]).into_owned();
        let conf = if self.lx.cue_before(b, start, CUE_WINDOW).map(|c| c.0) == Some(Cue::Address) {
            0.95
        } else {
            0.85
        };
        self.push(start, end, PiType::AddressZh, conf, false, v);
        Some(end)
    }

    /// Where the address that has its road suffix at `road` begins: back over the road name
    /// and the administrative divisions (省, 市, 县, 区, ...) before it.
    fn address_start(&self, road: usize) -> Option<usize> {
        let b = self.b;
        let lx = self.lx;
        // Han characters before the road suffix, nearest first: (char, byte offset).
        let mut chars: Vec<(char, usize)> = Vec::with_capacity(40);
        let mut p = road;
        while chars.len() < 40 {
            match decode_before(b, p) {
                Some((c, l)) if is_han(c) => {
                    p -= l;
                    chars.push((c, p));
                }
                _ => break,
            }
        }
        let admin = |k: usize| {
            chars
                .get(k)
                .is_some_and(|&(c, _)| lx.admin_suffixes.contains(c))
        };
        // A stop word ends the address, unless a division suffix stands right before it:
        // then it is the first character of a name (广州市从化区).
        let stop = |k: usize| {
            chars
                .get(k)
                .is_none_or(|&(c, _)| lx.address_left_stops.contains(c))
                && !admin(k + 1)
        };
        let direct = |k: usize| {
            chars
                .get(k)
                .filter(|&&(c, _)| c == '位')
                .and_then(|&(c, off)| {
                    let end = off + c.len_utf8();
                    DIRECT_UNITS
                        .iter()
                        .find(|w| ends_with_at(b, end, w))
                        .map(|w| (end - w.len(), w.chars().count()))
                })
        };
        // The road name: back to the nearest administrative suffix or stop word.
        let mut idx = 0;
        while idx < chars.len() && idx < 8 && !stop(idx) && !(admin(idx) && idx >= 1) {
            idx += 1;
        }
        if idx == 0 {
            return None;
        }
        if idx == 8 && !admin(idx) && !stop(idx) {
            // No boundary in sight: keep a short road name.
            return chars.get(3).map(|c| c.1);
        }
        let mut start = chars[idx - 1].1;
        // Administrative divisions, right to left.
        for _ in 0..6 {
            if let Some((off, n)) = direct(idx) {
                start = off;
                idx += n;
                continue;
            }
            if !admin(idx) {
                break;
            }
            let suffix_end = chars[idx].1 + chars[idx].0.len_utf8();
            let may_be_province = matches!(chars[idx].0, '省' | '市' | '区');
            if let Some(pv) = lexicon::PROVINCES
                .iter()
                .filter(|_| may_be_province)
                .find(|pv| ends_with_at(b, suffix_end, pv))
            {
                return Some(suffix_end - pv.len());
            }
            // Autonomous prefectures and counties have long names (双江拉祜族佤族布朗族傣族自治县).
            let max = if ends_with_at(b, chars[idx].1, "自治") {
                18
            } else {
                10
            };
            let mut j = idx + 1;
            while j < chars.len() && j - idx <= max && !stop(j) && direct(j).is_none() {
                // A suffix character right before the suffix is part of the name (杭州市).
                if admin(j) && j > idx + 1 {
                    break;
                }
                j += 1;
            }
            let name_len = j - idx - 1;
            if name_len == 0 {
                break;
            }
            if j - idx > max {
                // The leftmost name runs into other text: most names have two characters.
                start = chars[idx + 2.min(name_len)].1;
                break;
            }
            start = chars[j - 1].1;
            idx = j;
        }
        Some(start)
    }

    /// After the door number: building, unit, floor and room, or an estate name followed by
    /// them or by a gate (东门).
    fn building_tail(&self, mut p: usize) -> usize {
        let b = self.b;
        let mut end = p;
        let mut had_unit = false;
        for _ in 0..6 {
            // An estate name: the longest run of 2..=8 Han characters that is followed by a
            // building number, a lettered block, a gate, or that ends like an estate name.
            let mut offs = Vec::with_capacity(9);
            let mut q = p;
            while offs.len() < 8 {
                let (c, l) = decode_at(b, q);
                if !is_han(c) || (offs.is_empty() && self.lx.address_left_stops.contains(c)) {
                    break;
                }
                q += l;
                offs.push(q);
            }
            let estate_end = offs.iter().enumerate().rev().find_map(|(k, &q)| {
                if k < 1 {
                    return None;
                }
                let block = b.get(q).is_some_and(u8::is_ascii_uppercase)
                    && (starts_with_at(b, q + 1, "座") || starts_with_at(b, q + 1, "栋"));
                let last = decode_before(b, q).map_or('\0', |(c, _)| c);
                let ok = digit_at(b, q).is_some()
                    || block
                    || GATES.iter().any(|g| starts_with_at(b, q, g))
                    || (self.lx.estate_last.contains(last)
                        && lexicon::ESTATE_SUFFIXES
                            .iter()
                            .any(|s| ends_with_at(b, q, s)));
                ok.then_some(q)
            });
            let r = estate_end.unwrap_or(p);
            // A lettered block: A座.
            if b.get(r).is_some_and(u8::is_ascii_uppercase)
                && (starts_with_at(b, r + 1, "座") || starts_with_at(b, r + 1, "栋"))
            {
                p = r + 4;
                end = p;
                had_unit = true;
                continue;
            }
            // Digits and a unit word.
            let mut d = r;
            while let Some((_, l)) = digit_at(b, d) {
                d += l;
            }
            if d > r {
                if let Some(u) = lexicon::BUILDING_UNITS
                    .iter()
                    .find(|u| starts_with_at(b, d, u))
                {
                    p = d + u.len();
                    end = p;
                    had_unit = true;
                    continue;
                }
                if had_unit && d - r >= 3 && word_end(b, d) {
                    end = d;
                }
                break;
            }
            if let Some(g) = GATES.iter().find(|g| starts_with_at(b, r, g)) {
                end = r + g.len();
                break;
            }
            if let Some(q) = estate_end {
                end = q;
                p = q;
                continue;
            }
            break;
        }
        end
    }
}

/// Division names that do not end in a suffix character (used for directly administered
/// county-level units).
const DIRECT_UNITS: [&str; 3] = [
    "自治区直辖县级行政单位",
    "省直辖县级行政单位",
    "直辖县级行政单位",
];

/// Characters that may stand between a label and its value: `姓名：`, `"name":"`, `Name = `.
fn is_label_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\n'
            | '\r'
            | ':'
            | '：'
            | '"'
            | '\''
            | '='
            | '('
            | '（'
            | '【'
            | '['
            | '-'
            | '|'
            | '\u{3000}'
            | '】'
            | ']'
            | '，'
            | ','
    )
}

/// ASCII byte classes for the main loop: 1 letter or digit, 2 `+ ( -`, 0 nothing.
const ASCII_CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = if b.is_ascii_alphanumeric() {
            1
        } else if b == b'+' || b == b'(' || b == b'-' {
            2
        } else {
            0
        };
        c += 1;
    }
    t
};

/// Gates of a building or complex, after its name.
const GATES: [&str; 4] = ["东门", "西门", "南门", "北门"];

fn digit_follows(b: &[u8], i: usize) -> bool {
    let (_, l) = decode_at(b, i);
    match ascii_fold_at(b, i + l) {
        Some((b'+', l2)) => digit_at(b, i + l + l2).is_some(),
        _ => digit_at(b, i + l).is_some(),
    }
}

fn skip_to_word_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (is_alnum(b[i]) || b[i] == b'_') {
        i += 1;
    }
    i
}

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0u32, |a, &c| {
        a.saturating_mul(10)
            .saturating_add(u32::from(c.wrapping_sub(b'0')))
    })
}

/// Reads ASCII digits at `i`: value, digit count, end.
fn read_num(b: &[u8], i: usize) -> Option<(u32, usize, usize)> {
    let mut p = i;
    let mut v: u32 = 0;
    while let Some(&c) = b.get(p) {
        if !c.is_ascii_digit() || p - i >= 9 {
            break;
        }
        v = v * 10 + u32::from(c - b'0');
        p += 1;
    }
    (p > i).then_some((v, p - i, p))
}

fn after_sep(b: &[u8], p: usize, sep: u8) -> Option<usize> {
    (b.get(p) == Some(&sep)).then_some(p + 1)
}

/// Up to five dot-separated digit runs from `i`: each part's (value, digit count), and the end.
fn dotted_parts(b: &[u8], i: usize) -> (Vec<(u32, usize)>, usize) {
    let mut parts = Vec::with_capacity(4);
    let mut p = i;
    while let Some((v, n, e)) = read_num(b, p) {
        parts.push((v, n));
        p = e;
        if parts.len() >= 5
            || b.get(p) != Some(&b'.')
            || !b.get(p + 1).is_some_and(u8::is_ascii_digit)
        {
            break;
        }
        p += 1;
    }
    // A long fractional part is still one part.
    while b.get(p).is_some_and(u8::is_ascii_digit) {
        p += 1;
    }
    (parts, p)
}

fn parse_f64(s: &[u8]) -> Option<f64> {
    std::str::from_utf8(s).ok()?.trim().parse().ok()
}

/// An English month name or abbreviation at `i`: month number and end.
fn month_word(b: &[u8], i: usize) -> Option<(u32, usize)> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let mut e = i;
    while e < b.len() && b[e].is_ascii_alphabetic() && e - i < 10 {
        e += 1;
    }
    let w = b.get(i..e)?;
    if w.len() < 3 {
        return None;
    }
    let mut end = e;
    if b.get(e) == Some(&b'.') {
        end += 1;
    }
    MONTHS
        .iter()
        .position(|m| {
            w.len() <= m.len()
                && m.as_bytes()[..w.len()].eq_ignore_ascii_case(w)
                && (w.len() == 3 || w.len() == m.len() || (w.len() == 4 && m.starts_with("sept")))
        })
        .map(|p| (p as u32 + 1, end))
}

/// End of a name-shaped word at `i`: `Zhang`, `HAN`, `O'Neil`, `Mary-Jane`, `Xi'an`.
fn name_word_end(b: &[u8], i: usize) -> Option<usize> {
    let first = *b.get(i)?;
    if !first.is_ascii_uppercase() {
        return Some(i);
    }
    let mut e = i + 1;
    let mut lower = 0;
    let mut upper = 1;
    while let Some(&c) = b.get(e) {
        if c.is_ascii_lowercase() {
            lower += 1;
        } else if c.is_ascii_uppercase() {
            upper += 1;
        } else if (c == b'\'' || c == b'-') && b.get(e + 1).is_some_and(u8::is_ascii_alphabetic) {
        } else {
            break;
        }
        e += 1;
    }
    let len = e - i;
    let shaped = (lower > 0
        && upper <= 3
        && b[i + 1..e]
            .first()
            .is_some_and(|c| c.is_ascii_lowercase() || *c == b'\''))
        || (lower == 0 && (2..=12).contains(&len));
    if !shaped || b.get(e).is_some_and(|c| c.is_ascii_digit()) {
        return Some(i);
    }
    Some(e)
}

/// Whether `i` starts a line or a table cell (after `|`, `,` or a tab), spaces aside.
fn is_line_start(b: &[u8], i: usize) -> bool {
    let mut p = i;
    while let Some((c, l)) = decode_before(b, p) {
        match c {
            ' ' | '\u{3000}' => p -= l,
            '\n' | '\r' | '\t' | '|' | ',' => return true,
            _ => return false,
        }
    }
    true
}

fn followed_by_break(b: &[u8], i: usize) -> bool {
    let (c, _) = decode_at(b, i);
    matches!(
        c,
        '\0' | '\n' | '\r' | ' ' | '\t' | '|' | '\u{3000}' | '，' | ',' | '（' | '('
    )
}
