//! The building's part of an address after its door number: an estate's name, building, unit,
//! floor and room, in the ways they are written and wrapped.

use super::han::han_small_number;
use super::*;
use crate::text::decode_before;

impl Scanner<'_> {
    /// After the door number: building, unit, floor and room, or an estate name followed by
    /// them or by a gate (东门); on the next line too when a line break cuts them
    /// (`88号院⏎3号楼2单元501室`, as OCR and narrow forms wrap).
    pub(super) fn building_tail(&self, p: usize) -> usize {
        self.tail(p, true)
    }

    /// The building's part from `p`, across one line break if `wrap`.
    fn tail(&self, mut p: usize, wrap: bool) -> usize {
        let b = self.b;
        let mut end = p;
        let mut had_unit = false;
        for _ in 0..6 {
            // A line break, and the next line goes on with a numbered or lettered part; or a
            // space, and an estate's name with a numbered part after it (`688 號 旺角中心 12
            // 樓`; not `88号 服务中心`).
            let next = if !wrap || p != end {
                None
            } else if let Some(n) = after_line_break(b, p) {
                Some((n, true))
            } else if b.get(p) == Some(&b' ') && is_han(decode_at(b, p + 1).0) {
                Some((p + 1, false))
            } else {
                None
            };
            if let Some((n, lettered)) = next {
                let e = self.tail(n, false);
                if b[n..e]
                    .iter()
                    .any(|c| c.is_ascii_digit() || (lettered && c.is_ascii_uppercase()))
                {
                    end = e;
                }
                break;
            }
            // A part of a door or a floor (`88号之3`, `4樓之2`).
            if starts_with_at(b, p, "之") && digit_at(b, p + "之".len()).is_some() {
                p = digits_end(b, p + "之".len());
                end = p;
                continue;
            }
            // The door's number is the building's (`88号楼5层`, `1號樓`).
            // Not a word that begins with the character (`楼下`, `楼道`, `楼盘`).
            if (ends_with_at(b, p, "号") || ends_with_at(b, p, "號"))
                && let Some(u) = ["楼", "樓"].iter().find(|u| starts_with_at(b, p, u))
                && !"下上道梯前后里内外顶房盘市層层".contains(decode_at(b, p + u.len()).0)
            {
                p += u.len();
                end = p;
                had_unit = true;
                continue;
            }
            // An annex's door (`1号附3号`) and a floor below ground (`8号负1楼`, `负2层`).
            if let Some(w) = ["附", "负", "負"].iter().find(|w| starts_with_at(b, p, w))
                && digit_at(b, p + w.len()).is_some()
            {
                let d = digits_end(b, p + w.len());
                if let Some(u) = ["号", "號", "楼", "樓", "层", "層"]
                    .iter()
                    .find(|u| starts_with_at(b, d, u))
                {
                    p = d + u.len();
                    end = p;
                    had_unit = true;
                    continue;
                }
            }
            // Building, unit and room as numbers with dashes (`8号 5-2-301`).
            let sp = usize::from(b.get(p) == Some(&b' '));
            if let Some(e) = dashed_units(b, p + sp) {
                end = e;
                break;
            }
            // An estate name: the longest run of 2..=8 Han characters that is followed by a
            // building number, a lettered block, a gate, or that ends like an estate name.
            let mut offs = Vec::with_capacity(9);
            let mut q = p;
            let start = p;
            // A name that starts in Latin capitals (`SOHO现代城`, `CBD国际大厦`).
            let caps = b[p..].iter().take_while(|c| c.is_ascii_uppercase()).count();
            if (2..=6).contains(&caps) && is_han(decode_at(b, p + caps).0) {
                q += caps;
            }
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
                // A lettered block, or a letter and a number (`金融港B18栋`).
                let block = b.get(q).is_some_and(u8::is_ascii_uppercase)
                    && (lettered_unit(b, q + 1) || digit_at(b, q + 1).is_some());
                let last = decode_before(b, q).map_or('\0', |(c, _)| c);
                let ok = digit_at(b, q).is_some()
                    || block
                    || numbered_unit(b, q).is_some()
                    || GATES.iter().any(|g| starts_with_at(b, q, g))
                    // An estate's or an institution's name before its suffix (`北京大学`;
                    // not `大学` alone).
                    || (self.lx.estate_last.contains(last)
                        && lexicon::ESTATE_SUFFIXES
                            .iter()
                            .any(|s| ends_with_at(b, q, s) && q - s.len() > start));
                ok.then_some(q)
            });
            let r = estate_end.unwrap_or(p);
            // Building, unit and room with dashes after the estate's name (`御景湾31-3-2304`).
            if estate_end.is_some()
                && let Some(e) = dashed_units(b, r)
            {
                end = e;
                break;
            }
            // A lettered block: A座 (after a space too: `10号 B座`).
            // And a space between the letter and its unit (`A 座`, OCR).
            let rb = r + usize::from(b.get(r) == Some(&b' '));
            let ru = rb + 1 + usize::from(b.get(rb + 1) == Some(&b' '));
            if b.get(rb).is_some_and(u8::is_ascii_uppercase) && lettered_unit(b, ru) {
                p = ru + 3;
                end = p;
                had_unit = true;
                continue;
            }
            // A letter alone after a unit (`16楼B`).
            if had_unit
                && r == p
                && b.get(r).is_some_and(u8::is_ascii_uppercase)
                && word_end(b, r + 1)
            {
                end = r + 1;
                break;
            }
            // A unit numbered in Chinese (`太古汇一座`, `三单元`).
            if let Some(e) = numbered_unit(b, r) {
                p = e;
                end = p;
                had_unit = true;
                continue;
            }
            // Digits and a unit word, the digits perhaps after a block's letter (`A1栋`), a
            // space perhaps before the digits and before the unit, as typed (`软件园 3 号楼 501
            // 室`).
            let spaced = b.get(r) == Some(&b' ')
                && (digit_at(b, r + 1).is_some()
                    || (b.get(r + 1).is_some_and(u8::is_ascii_uppercase)
                        && digit_at(b, r + 2).is_some()));
            let r0 = r + usize::from(spaced);
            let lettered =
                b.get(r0).is_some_and(u8::is_ascii_uppercase) && digit_at(b, r0 + 1).is_some();
            let mut d = r0 + usize::from(lettered);
            while let Some((_, l)) = digit_at(b, d) {
                d += l;
            }
            if d > r0 {
                // Not a word that begins with a unit's character (`3306门卫`, `门口`).
                let unit_at = |at: usize| {
                    lexicon::BUILDING_UNITS
                        .iter()
                        .find(|u| starts_with_at(b, at, u))
                        .filter(|u| {
                            !matches!(**u, "门" | "門")
                                || !"卫衛口外前面店诊".contains(decode_at(b, at + u.len()).0)
                        })
                };
                // A range or a unit and its room with a dash (`701-703单元`, `1幢6-3`,
                // `创意产业园12-401`): one to four digits a side, no third part.
                if b.get(d) == Some(&b'-') && d - r0 <= 4 {
                    let d2 = digits_end(b, d + 1);
                    if (1..=4).contains(&(d2 - d - 1)) && b.get(d2) != Some(&b'-') {
                        if let Some(u) = unit_at(d2) {
                            p = d2 + u.len();
                            end = p;
                            had_unit = true;
                            continue;
                        }
                        let estate = estate_end == Some(r) && !is_han(decode_at(b, d2).0);
                        if !spaced && (had_unit || estate) && word_end(b, d2) {
                            end = d2;
                            break;
                        }
                    }
                }
                let gap = usize::from(b.get(d) == Some(&b' ') && unit_at(d + 1).is_some());
                if let Some(u) = unit_at(d + gap) {
                    p = d + gap + u.len();
                    end = p;
                    had_unit = true;
                    // A room is the last part: what follows is another place (`1706室政务服务中心`).
                    if matches!(*u, "室" | "房" | "户") {
                        break;
                    }
                    continue;
                }
                // A floor written `12F`.
                if b.get(d) == Some(&b'F') && word_end(b, d + 1) && d - r0 <= 3 {
                    p = d + 1;
                    end = p;
                    had_unit = true;
                    continue;
                }
                // After a unit and a space, a room of three or four digits that nothing follows
                // (`B座 1205`; not `B座 010 8580…`).
                if spaced
                    && had_unit
                    && (3..=4).contains(&(d - r0))
                    && word_end(b, d)
                    && !matches!(b.get(d), Some(b'-'))
                    && !(b.get(d) == Some(&b' ') && digit_at(b, d + 1).is_some())
                {
                    end = d;
                    break;
                }
                // A bare room number after a unit or an estate's name (`中关村大厦1101`): three
                // to five digits that end the address (not a phone number, not a year). After a
                // space, digits without their unit are no part of it (`…3号楼 0755-8612…` is a
                // phone number): the estate's name before them still is.
                if !spaced {
                    // A room's letter after it (`3201A`).
                    let d = d + usize::from(
                        b.get(d).is_some_and(u8::is_ascii_uppercase) && word_end(b, d + 1),
                    );
                    let after_unit = had_unit
                        && d - r0 >= 3
                        && word_end(b, d)
                        && !(b.get(d) == Some(&b'-') && digit_at(b, d + 1).is_some());
                    let after_estate = estate_end == Some(r)
                        && (3..=5).contains(&(d - r0))
                        && word_end(b, d)
                        && !is_han(decode_at(b, d).0);
                    if after_unit || after_estate {
                        end = d;
                    } else if estate_end == Some(r) && self.estate_named(r) {
                        // What follows is no unit this reads; the estate's name still counts.
                        end = r;
                    }
                    break;
                }
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

    /// Whether the Han characters before `q` end like an estate's name (`大厦`, `中心`).
    fn estate_named(&self, q: usize) -> bool {
        let last = decode_before(self.b, q).map_or('\0', |(c, _)| c);
        self.lx.estate_last.contains(last)
            && lexicon::ESTATE_SUFFIXES
                .iter()
                .any(|s| ends_with_at(self.b, q, s))
    }
}

/// Where the next line starts when a line break (`\n` or `\r\n`) stands at `p`.
pub(super) fn after_line_break(b: &[u8], p: usize) -> Option<usize> {
    match b.get(p..p + 2) {
        Some([b'\r', b'\n']) => Some(p + 2),
        _ => (b.get(p) == Some(&b'\n')).then_some(p + 1),
    }
}

/// Where the digits from `p` end.
fn digits_end(b: &[u8], mut p: usize) -> usize {
    while let Some((_, l)) = digit_at(b, p) {
        p += l;
    }
    p
}

/// Building, unit and room as three dashed numbers at `p` (`5-2-301`: one to three digits, one
/// or two, three or four), nothing numeric after them: where they end. (A date's year has four
/// digits first; a phone number's groups are longer.)
pub(super) fn dashed_units(b: &[u8], p: usize) -> Option<usize> {
    let mut q = p;
    for (k, (lo, hi)) in [(1, 3), (1, 2), (3, 4)].into_iter().enumerate() {
        let e = digits_end(b, q);
        if !(lo..=hi).contains(&(e - q)) {
            return None;
        }
        q = e;
        if k < 2 {
            if b.get(q) != Some(&b'-') {
                return None;
            }
            q += 1;
        }
    }
    // A full stop that ends a sentence is no more digits (`…11-3-2401.`); one before a digit is.
    let more = match b.get(q) {
        Some(b'-') => true,
        Some(b'.') => digit_at(b, q + 1).is_some(),
        _ => false,
    };
    (word_end(b, q) && !more).then_some(q)
}

/// A unit numbered in Chinese characters at `p` (`一座`, `三单元`, `十二栋`): where it ends.
fn numbered_unit(b: &[u8], p: usize) -> Option<usize> {
    let (_, e) = han_small_number(b, p)?;
    let u = lexicon::BUILDING_UNITS
        .iter()
        .find(|u| !matches!(**u, "号" | "號" | "户") && starts_with_at(b, e, u))?;
    Some(e + u.len())
}

/// A unit word after a letter: `A座`, `B栋`, `A室`, `B塔`, `E区`.
fn lettered_unit(b: &[u8], p: usize) -> bool {
    ["座", "栋", "棟", "室", "塔", "区"]
        .iter()
        .any(|u| starts_with_at(b, p, u))
}
