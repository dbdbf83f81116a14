//! Validators: does a value, on its own, have the shape and check digits of a PI type?
//!
//! Each takes the value in a normalised form (digits only for numbers, no separators) and
//! answers without looking at context. The detectors in `scan` call them on candidates.

/// Province-level administrative codes that may open a GB 11643 identity number (GB/T 2260).
const ID_REGIONS: [u8; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

fn digit(b: u8) -> Option<u32> {
    b.is_ascii_digit().then(|| u32::from(b - b'0'))
}

fn num(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    s.iter()
        .try_fold(0u32, |acc, &b| Some(acc * 10 + digit(b)?))
}

/// Whether `year`-`month`-`day` is a real calendar date.
pub fn is_real_date(year: u32, month: u32, day: u32) -> bool {
    if !(1..=12).contains(&month) || day == 0 {
        return false;
    }
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= days
}

/// Whether the first two digits name a province-level region.
pub fn is_id_region(prefix: &[u8]) -> bool {
    match prefix {
        [a, b, ..] => match (digit(*a), digit(*b)) {
            (Some(a), Some(b)) => ID_REGIONS.iter().any(|&r| u32::from(r) == a * 10 + b),
            _ => false,
        },
        _ => false,
    }
}

/// ISO 7064 MOD 11-2 check character of the first 17 digits of a resident identity number.
pub fn resident_id_check_char(first17: &[u8]) -> Option<u8> {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (&b, w) in first17.iter().zip(W) {
        sum += digit(b)? * w;
    }
    Some(b"10X98765432"[(sum % 11) as usize])
}

/// A GB 11643 resident identity number: 18 characters (17 digits and a check digit or `X`),
/// or the 15-digit legacy form. Checks the region, the birth date and the check character.
pub fn resident_id(s: &[u8]) -> bool {
    match s.len() {
        18 => {
            let (body, check) = s.split_at(17);
            let Some(expected) = resident_id_check_char(body) else {
                return false;
            };
            let check = check.first().map(u8::to_ascii_uppercase);
            if check != Some(expected) || !is_id_region(s) {
                return false;
            }
            let (Some(y), Some(m), Some(d)) = (num(&s[6..10]), num(&s[10..12]), num(&s[12..14]))
            else {
                return false;
            };
            (1900..=2030).contains(&y) && is_real_date(y, m, d)
        }
        15 => {
            if !s.iter().all(u8::is_ascii_digit) || !is_id_region(s) {
                return false;
            }
            let (Some(y), Some(m), Some(d)) = (num(&s[6..8]), num(&s[8..10]), num(&s[10..12]))
            else {
                return false;
            };
            is_real_date(1900 + y, m, d)
        }
        _ => false,
    }
}

/// An 11-digit mainland mobile number in the MIIT 13x–19x segments.
pub fn cn_mobile(d: &[u8]) -> bool {
    d.len() == 11
        && d.iter().all(u8::is_ascii_digit)
        && d[0] == b'1'
        && (b'3'..=b'9').contains(&d[1])
}

/// Length of the area code (with its leading 0) of a mainland fixed-line number, or `None`
/// when `d` does not start like one. 010 and 02x are three digits; the rest four.
pub fn cn_area_code_len(d: &[u8]) -> Option<usize> {
    match d {
        [b'0', b'1', b'0', ..] | [b'0', b'2', _, ..] => Some(3),
        [b'0', b'3'..=b'9', _, _, ..] => Some(4),
        _ => None,
    }
}

/// A mainland fixed-line number with its area code: `0` + area + 7 or 8 digit subscriber
/// number that does not start with 0 or 1.
pub fn cn_landline(d: &[u8]) -> bool {
    let Some(area) = cn_area_code_len(d) else {
        return false;
    };
    let sub = &d[area..];
    (7..=8).contains(&sub.len())
        && sub.iter().all(u8::is_ascii_digit)
        && sub.first().is_some_and(|&b| b >= b'2')
}

/// Luhn (mod 10) checksum over ASCII digits.
pub fn luhn(d: &[u8]) -> bool {
    if d.len() < 2 {
        return false;
    }
    let mut sum = 0;
    for (i, &b) in d.iter().rev().enumerate() {
        let Some(mut v) = digit(b) else {
            return false;
        };
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// A payment card number: Luhn-valid and in the range and length of a known scheme
/// (UnionPay, Visa, Mastercard, American Express, JCB, Discover).
pub fn bank_card(d: &[u8]) -> bool {
    let n = d.len();
    if !(13..=19).contains(&n) || !luhn(d) {
        return false;
    }
    let p2 = num(&d[..2]).unwrap_or(0);
    let p4 = num(&d[..4]).unwrap_or(0);
    match d[0] {
        b'4' => matches!(n, 13 | 16 | 19),
        b'5' => (51..=55).contains(&p2) && n == 16,
        b'2' => (2221..=2720).contains(&p4) && n == 16,
        b'3' => match p2 {
            34 | 37 => n == 15,
            35 => (3528..=3589).contains(&p4) && (16..=19).contains(&n),
            _ => false,
        },
        // UnionPay (62, 81), Discover (6011, 644-649, 65) and Chinese domestic debit ranges (60).
        b'6' => matches!(p2, 60 | 62 | 64 | 65) && (16..=19).contains(&n),
        b'8' => p2 == 81 && (16..=19).contains(&n),
        _ => false,
    }
}

/// A US social security number in `AAA GG SSSS` parts: area not 000, 666 or 9xx; group not
/// 00; serial not 0000.
pub fn us_ssn(area: &[u8], group: &[u8], serial: &[u8]) -> bool {
    let (Some(a), Some(g), Some(s)) = (num(area), num(group), num(serial)) else {
        return false;
    };
    area.len() == 3
        && group.len() == 2
        && serial.len() == 4
        && a != 0
        && a != 666
        && a < 900
        && g != 0
        && s != 0
}

/// IBAN length per country (ISO 13616 registry).
pub fn iban_length(country: &[u8]) -> Option<usize> {
    const TABLE: &[(&[u8; 2], usize)] = &[
        (b"AD", 24),
        (b"AE", 23),
        (b"AL", 28),
        (b"AT", 20),
        (b"AZ", 28),
        (b"BA", 20),
        (b"BE", 16),
        (b"BG", 22),
        (b"BH", 22),
        (b"BR", 29),
        (b"BY", 28),
        (b"CH", 21),
        (b"CR", 22),
        (b"CY", 28),
        (b"CZ", 24),
        (b"DE", 22),
        (b"DK", 18),
        (b"DO", 28),
        (b"EE", 20),
        (b"EG", 29),
        (b"ES", 24),
        (b"FI", 18),
        (b"FO", 18),
        (b"FR", 27),
        (b"GB", 22),
        (b"GE", 22),
        (b"GI", 23),
        (b"GL", 18),
        (b"GR", 27),
        (b"GT", 28),
        (b"HR", 21),
        (b"HU", 28),
        (b"IE", 22),
        (b"IL", 23),
        (b"IQ", 23),
        (b"IS", 26),
        (b"IT", 27),
        (b"JO", 30),
        (b"KW", 30),
        (b"KZ", 20),
        (b"LB", 28),
        (b"LC", 32),
        (b"LI", 21),
        (b"LT", 20),
        (b"LU", 20),
        (b"LV", 21),
        (b"MC", 27),
        (b"MD", 24),
        (b"ME", 22),
        (b"MK", 19),
        (b"MR", 27),
        (b"MT", 31),
        (b"MU", 30),
        (b"NL", 18),
        (b"NO", 15),
        (b"PK", 24),
        (b"PL", 28),
        (b"PS", 29),
        (b"PT", 25),
        (b"QA", 29),
        (b"RO", 24),
        (b"RS", 22),
        (b"SA", 24),
        (b"SC", 31),
        (b"SE", 24),
        (b"SI", 19),
        (b"SK", 24),
        (b"SM", 27),
        (b"ST", 25),
        (b"SV", 28),
        (b"TL", 23),
        (b"TN", 24),
        (b"TR", 26),
        (b"UA", 29),
        (b"VA", 22),
        (b"VG", 24),
        (b"XK", 20),
    ];
    TABLE
        .iter()
        .find(|(c, _)| c.as_slice() == country)
        .map(|&(_, n)| n)
}

/// An IBAN without spaces: known country, its exact length, and ISO 7064 MOD 97-10 = 1.
pub fn iban(s: &[u8]) -> bool {
    let Some(len) = s.get(..2).and_then(iban_length) else {
        return false;
    };
    if s.len() != len || !s[2..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut rem: u32 = 0;
    for &b in s[4..].iter().chain(&s[..4]) {
        match b {
            b'0'..=b'9' => rem = (rem * 10 + u32::from(b - b'0')) % 97,
            b'A'..=b'Z' => rem = (rem * 100 + u32::from(b - b'A' + 10)) % 97,
            _ => return false,
        }
    }
    rem == 1
}

/// The 31 characters of a unified social credit code, in value order.
const USCC_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A GB 32100 unified social credit code (an organisation's, not a person's): 18 characters
/// from the 31-character alphabet with a check character.
pub fn uscc(s: &[u8]) -> bool {
    const W: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    if s.len() != 18 {
        return false;
    }
    let val = |b: u8| USCC_CHARS.iter().position(|&c| c == b).map(|p| p as u32);
    let mut sum = 0;
    for (&b, w) in s[..17].iter().zip(W) {
        let Some(v) = val(b) else {
            return false;
        };
        sum += v * w;
    }
    let check = (31 - sum % 31) % 31;
    // Registration authority and organisation type codes (first two characters).
    let authority_ok = matches!(s[0], b'1'..=b'9' | b'A' | b'N' | b'Y');
    authority_ok && val(s[17]) == Some(check) && s[2..8].iter().all(u8::is_ascii_digit)
}

/// An e-mail address: a local part and a domain with at least one dot and a letter TLD.
pub fn email(s: &[u8]) -> bool {
    let Some(at) = memchr::memchr(b'@', s) else {
        return false;
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.is_empty() || local.len() > 64 || domain.len() > 253 {
        return false;
    }
    let local_ok = local
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b"._%+-".contains(&b))
        && !local.starts_with(b".")
        && !local.ends_with(b".");
    let labels: Vec<&[u8]> = domain.split(|&b| b == b'.').collect();
    let tld_ok = labels
        .last()
        .is_some_and(|t| t.len() >= 2 && t.iter().all(u8::is_ascii_alphabetic));
    local_ok
        && labels.len() >= 2
        && tld_ok
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with(b"-")
                && !l.ends_with(b"-")
                && l.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// A dotted-quad IPv4 address without leading zeros.
pub fn ipv4(s: &[u8]) -> bool {
    let parts: Vec<&[u8]> = s.split(|&b| b == b'.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && !(p.len() > 1 && p[0] == b'0')
                && num(p).is_some_and(|v| v <= 255)
        })
}

/// An IPv6 address in any RFC 4291 text form.
pub fn ipv6(s: &[u8]) -> bool {
    std::str::from_utf8(s).is_ok_and(|t| t.contains(':') && t.parse::<std::net::Ipv6Addr>().is_ok())
}

/// A PRC passport number: `E`/`G` + 8 digits, or `E` + a letter + 7 digits (the 2012 series),
/// or a diplomatic/service/public-affairs series (`D`, `S`, `P`) + 7 digits.
pub fn cn_passport(s: &[u8]) -> bool {
    match s {
        [b'E' | b'G', rest @ ..] if rest.len() == 8 && rest.iter().all(u8::is_ascii_digit) => true,
        [b'E', l, rest @ ..]
            if l.is_ascii_uppercase()
                && !matches!(l, b'I' | b'O')
                && rest.len() == 7
                && rest.iter().all(u8::is_ascii_digit) =>
        {
            true
        }
        [b'D' | b'S' | b'P', rest @ ..]
            if rest.len() == 7 && rest.iter().all(u8::is_ascii_digit) =>
        {
            true
        }
        _ => false,
    }
}

/// A mainland travel permit for Hong Kong and Macao: `C` + 8 digits, `C` + letter + 7 digits
/// (card form), or the booklet form `W`/`H`/`M` + 8 (or 10) digits.
pub fn hk_macau_permit(s: &[u8]) -> bool {
    match s {
        [b'C', l, rest @ ..]
            if (l.is_ascii_digit() && rest.len() == 7
                || l.is_ascii_uppercase() && rest.len() == 7)
                && rest.iter().all(u8::is_ascii_digit) =>
        {
            true
        }
        [b'W' | b'H' | b'M', rest @ ..]
            if (rest.len() == 8 || rest.len() == 10) && rest.iter().all(u8::is_ascii_digit) =>
        {
            true
        }
        _ => false,
    }
}

/// A Taiwan travel permit number: 8 digits (optionally with a 2-digit issue suffix) or `L`/`T`
/// + 8 digits.
pub fn taiwan_permit(s: &[u8]) -> bool {
    match s {
        [b'L' | b'T', rest @ ..] => rest.len() == 8 && rest.iter().all(u8::is_ascii_digit),
        _ => (s.len() == 8 || s.len() == 10) && s.iter().all(u8::is_ascii_digit),
    }
}

/// A Chinese licence plate on its own: a province abbreviation, the issuing office's letter,
/// then 5 characters (6 for new-energy vehicles) of digits and capital letters other than I
/// and O with at least two digits, or 4 and a suffix character (挂, 学, 警, ...). One
/// separator (space, `·`, `-`) may follow the office letter.
pub fn cn_license_plate(s: &str) -> bool {
    let mut chars = s.chars();
    let (Some(province), Some(office)) = (chars.next(), chars.next()) else {
        return false;
    };
    if !crate::lexicon::PLATE_PROVINCES.contains(province) || !office.is_ascii_uppercase() {
        return false;
    }
    let rest: Vec<char> = chars.collect();
    let rest = match rest.first() {
        Some(' ' | '·' | '•' | '-') => &rest[1..],
        _ => &rest[..],
    };
    let (body, suffix) = match rest.split_last() {
        Some((last, body)) if crate::lexicon::PLATE_SUFFIXES.contains(*last) => (body, true),
        _ => (rest, false),
    };
    let ok_len = if suffix {
        body.len() == 4
    } else {
        body.len() == 5 || body.len() == 6
    };
    ok_len
        && body
            .iter()
            .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && *c != 'I' && *c != 'O'))
        && body.iter().filter(|c| c.is_ascii_digit()).count() >= 2
}

/// Check a coordinate pair in either order: returns whether `(a, b)` is a (lat, lng) or a
/// (lng, lat) pair inside the valid ranges.
pub fn gps_pair(a: f64, b: f64) -> bool {
    let lat = |v: f64| (-90.0..=90.0).contains(&v);
    let lng = |v: f64| (-180.0..=180.0).contains(&v);
    (lat(a) && lng(b)) || (lng(a) && lat(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(f: fn(&[u8]) -> bool, cases: &[(&str, bool)]) {
        for (v, want) in cases {
            assert_eq!(f(v.as_bytes()), *want, "{v}");
        }
    }

    #[test]
    fn plates() {
        for (v, want) in [
            ("京A12345", true),
            ("粤B·D12345", true),
            ("沪A1234学", true),
            ("京A1234", false),
            ("京AI2345", false),
            ("XA12345", false),
            ("京a12345", false),
            ("京A12345 张三", false),
            ("京ABCDE1", false),
        ] {
            assert_eq!(cn_license_plate(v), want, "{v}");
        }
    }

    #[test]
    fn resident_ids() {
        check(
            resident_id,
            &[
                ("11010519491231002X", true),
                ("11010519491231002x", true),
                ("433125196610256437", true),
                ("433125196610256438", false), // check digit
                ("993125196610256437", false), // region
                ("110105194913310021", false), // month 13
                ("110105491231002", true),     // legacy 15
                ("110105491331002", false),
                ("1101051949123100", false),
            ],
        );
    }

    #[test]
    fn phones() {
        check(
            cn_mobile,
            &[
                ("13812345678", true),
                ("12812345678", false),
                ("1381234567", false),
            ],
        );
        check(
            cn_landline,
            &[
                ("01058123456", true),
                ("02158120000", true),
                ("057155812686", true),
                ("03518381855", true),
                ("0101234567", false), // subscriber starts with 1
                ("4008208820", false),
            ],
        );
    }

    #[test]
    fn cards() {
        check(
            bank_card,
            &[
                ("6214838889094720", true),
                ("6217002219435524747", true),
                ("4111111111111111", true),
                ("5555555555554444", true),
                ("2221000000000009", true),
                ("378282246310005", true),
                ("3530111333300000", true),
                ("4111111111111112", false), // Luhn
                ("8890682883607598", false), // no issuer
            ],
        );
    }

    #[test]
    fn ibans_and_others() {
        check(
            iban,
            &[
                ("GB82WEST12345698765432", true),
                ("GB82WEST12345698765431", false),
            ],
        );
        check(
            iban,
            &[
                ("IE97RUTB89826447447375", true),
                ("XX97RUTB89826447447375", false),
            ],
        );
        check(
            uscc,
            &[("91350100M000100Y43", true), ("91350100M000100Y44", false)],
        );
        check(
            email,
            &[
                ("a.b@example.org", true),
                ("a@b", false),
                (".a@b.cn", false),
            ],
        );
        check(
            ipv4,
            &[
                ("10.0.0.1", true),
                ("256.1.1.1", false),
                ("01.2.3.4", false),
            ],
        );
        check(ipv6, &[("2001:db8::1", true), ("08:31", false)]);
        check(
            cn_passport,
            &[
                ("E55549203", true),
                ("EA1234567", true),
                ("X1234567", false),
            ],
        );
        assert!(us_ssn(b"123", b"45", b"6789"));
        assert!(!us_ssn(b"666", b"45", b"6789"));
        assert!(!us_ssn(b"900", b"45", b"6789"));
        assert!(gps_pair(31.2, 121.4) && gps_pair(121.4, 31.2) && !gps_pair(121.4, 131.2));
    }
}
