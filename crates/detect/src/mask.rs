//! Masking found values: the usual Chinese display conventions, type placeholders, and
//! keyed-hash pseudonyms.
//!
//! | type | convention | example |
//! |---|---|---|
//! | `cn_mobile` | first 3 and last 4 digits | `138****5678` |
//! | `cn_resident_id` | first 6 and last 4 | `110105********002X` |
//! | `bank_card`, `iban` | last 4 | `**** **** **** 1234` |
//! | names | first character | `张*`, `Z*** S**` |
//! | `email` | first character of the local part | `r***@example.org` |
//! | `address_zh` | divisions up to the district or county | `北京市朝阳区****` |
//!
//! Separators and full-width forms in the original text are kept where they stand, so the
//! masked text has the shape of the original.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::PiType;
use crate::text::{decode_at, digit_at};

/// How `redact` replaces a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MaskStyle {
    /// Partial masking in the usual conventions (`138****5678`).
    Partial,
    /// A type placeholder (`<CN_MOBILE>`).
    Placeholder,
    /// A keyed-hash pseudonym (`<CN_MOBILE:3f9a1c0d2b>`): the same value under the same key
    /// always gives the same pseudonym, so records can still be joined.
    Pseudonym(PseudonymKey),
}

/// A secret key for pseudonyms. `Debug` does not print it.
#[derive(Clone, PartialEq, Eq)]
pub struct PseudonymKey(Vec<u8>);

impl PseudonymKey {
    /// Wraps key bytes (at least 16 bytes are advisable; 32 random bytes are best).
    pub fn new(bytes: Vec<u8>) -> Self {
        PseudonymKey(bytes)
    }
}

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PseudonymKey(<redacted>)")
    }
}

/// The placeholder for a type: `<CN_MOBILE>`.
pub fn placeholder(ty: PiType) -> String {
    format!("<{}>", ty.name().to_ascii_uppercase())
}

/// A keyed pseudonym of a normalised value: HMAC-SHA256 under `key`, over the type name and
/// the value, first 10 hex digits.
pub fn pseudonym(key: &PseudonymKey, ty: PiType, normalised: &str) -> String {
    let hex = match Hmac::<Sha256>::new_from_slice(&key.0) {
        Ok(mut mac) => {
            mac.update(ty.name().as_bytes());
            mac.update(&[0]);
            mac.update(normalised.as_bytes());
            let tag = mac.finalize().into_bytes();
            tag.iter()
                .take(5)
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        }
        // HMAC accepts keys of any length; this arm is unreachable in practice.
        Err(_) => String::from("0000000000"),
    };
    format!("<{}:{hex}>", ty.name().to_ascii_uppercase())
}

/// Masks `original` (the text of a finding as it stands in the input) by the conventions of
/// its type.
pub fn mask(ty: PiType, original: &str) -> String {
    let b = original.as_bytes();
    match ty {
        PiType::CnMobile => {
            let n = count_digits(b);
            // Keep the country code and the first 3 digits of the number, and the last 4.
            mask_digits(b, |k| k + 8 < n || k + 4 >= n)
        }
        PiType::CnResidentId => {
            let n = count_alnum(b);
            mask_alnum(b, |k| k < 6 || k + 4 >= n)
        }
        PiType::BankCard | PiType::Iban | PiType::UsSsn => {
            let n = count_alnum(b);
            let keep_prefix = if ty == PiType::Iban { 2 } else { 0 };
            mask_alnum(b, |k| k < keep_prefix || k + 4 >= n)
        }
        PiType::CnLandline => {
            let n = count_digits(b);
            mask_digits(b, |k| k + 4 >= n || k < n.saturating_sub(8).min(4))
        }
        PiType::CnPassport | PiType::HkMacauPermit | PiType::TaiwanPermit | PiType::CnUscc => {
            let n = count_alnum(b);
            mask_alnum(b, |k| k < 1 || k + 3 >= n)
        }
        PiType::CnLicensePlate => {
            // Province and office letter stay; the middle of the number goes.
            let mut out = String::new();
            let chars: Vec<char> = original.chars().collect();
            let n = chars.len();
            for (k, c) in chars.iter().enumerate() {
                out.push(if k >= 2 && k + 2 < n && c.is_ascii_alphanumeric() {
                    '*'
                } else {
                    *c
                });
            }
            out
        }
        PiType::PersonNameZh => {
            let mut it = original.chars();
            let first: String = it.next().into_iter().collect();
            first + &"*".repeat(it.count())
        }
        PiType::PersonNameEn => original
            .split(' ')
            .map(|w| {
                let mut it = w.chars();
                let f: String = it.next().into_iter().collect();
                f + &"*".repeat(it.count())
            })
            .collect::<Vec<_>>()
            .join(" "),
        PiType::Email => match original.split_once('@') {
            Some((local, domain)) => {
                let f: String = local.chars().next().into_iter().collect();
                format!("{f}***@{domain}")
            }
            None => "*".repeat(original.chars().count()),
        },
        PiType::AddressZh => {
            // Keep the divisions up to the last 区/县/市/州 in the first part; mask the rest.
            let cut = original
                .char_indices()
                .filter(|&(i, c)| matches!(c, '区' | '县' | '市' | '州' | '旗') && i < 60)
                .map(|(i, c)| i + c.len_utf8())
                .next_back()
                .unwrap_or(0);
            format!("{}****", &original[..cut])
        }
        PiType::GpsCoordinate => {
            // Integer degrees stay (about 100 km); decimals go.
            let mut out = String::new();
            let mut after_dot = false;
            for c in original.chars() {
                if c == '.' {
                    after_dot = true;
                    out.push(c);
                } else if c.is_ascii_digit() && after_dot {
                    out.push('*');
                } else {
                    if !c.is_ascii_digit() {
                        after_dot = false;
                    }
                    out.push(c);
                }
            }
            out
        }
        PiType::IpAddress => {
            if original.contains(':') {
                let parts: Vec<&str> = original.split(':').collect();
                let n = parts.len();
                parts
                    .iter()
                    .enumerate()
                    .map(|(k, p)| {
                        if k < 2 || p.is_empty() || k + 1 == n && n < 3 {
                            (*p).to_string()
                        } else {
                            "*".repeat(p.len())
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(":")
            } else {
                let parts: Vec<&str> = original.split('.').collect();
                parts
                    .iter()
                    .enumerate()
                    .map(|(k, p)| {
                        if k < 2 {
                            (*p).to_string()
                        } else {
                            "*".to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(".")
            }
        }
        PiType::DateOfBirth => {
            // The year stays.
            let n = count_digits(b);
            let year_first = b.first().is_some_and(u8::is_ascii_digit)
                && b.get(4).is_some_and(|c| !c.is_ascii_digit());
            mask_digits(b, |k| if year_first { k < 4 } else { k + 4 >= n })
        }
    }
}

fn count_digits(b: &[u8]) -> usize {
    let mut i = 0;
    let mut n = 0;
    while i < b.len() {
        let (_, l) = decode_at(b, i);
        if digit_at(b, i).is_some() {
            n += 1;
        }
        i += l.max(1);
    }
    n
}

fn count_alnum(b: &[u8]) -> usize {
    let mut i = 0;
    let mut n = 0;
    while i < b.len() {
        let (c, l) = decode_at(b, i);
        if c.is_alphanumeric() {
            n += 1;
        }
        i += l.max(1);
    }
    n
}

/// Replaces the k-th digit by `*` unless `keep(k)`.
fn mask_digits(b: &[u8], keep: impl Fn(usize) -> bool) -> String {
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    let mut k = 0;
    while i < b.len() {
        let (c, l) = decode_at(b, i);
        if digit_at(b, i).is_some() {
            out.push(if keep(k) { c } else { '*' });
            k += 1;
        } else {
            out.push(c);
        }
        i += l.max(1);
    }
    out
}

/// Replaces the k-th letter or digit by `*` unless `keep(k)`.
fn mask_alnum(b: &[u8], keep: impl Fn(usize) -> bool) -> String {
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    let mut k = 0;
    while i < b.len() {
        let (c, l) = decode_at(b, i);
        if c.is_alphanumeric() {
            out.push(if keep(k) { c } else { '*' });
            k += 1;
        } else {
            out.push(c);
        }
        i += l.max(1);
    }
    out
}

/// Rewrites `input` with every finding replaced as `style` says. `findings` must come from
/// scanning exactly these bytes (sorted, non-overlapping, as the detector returns them).
/// Bytes outside findings are copied unchanged, invalid UTF-8 included.
pub fn redact(input: &[u8], findings: &[crate::Finding], style: &MaskStyle) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    redact_into(&mut out, input, findings, style);
    out
}

/// [`redact`], appended to `out` (a buffer to reuse).
pub fn redact_into(
    out: &mut Vec<u8>,
    input: &[u8],
    findings: &[crate::Finding],
    style: &MaskStyle,
) {
    let mut at = 0;
    for f in findings {
        if f.bstart < at || f.bend > input.len() {
            continue;
        }
        out.extend_from_slice(&input[at..f.bstart]);
        let original = String::from_utf8_lossy(&input[f.bstart..f.bend]);
        let replacement = match style {
            MaskStyle::Partial => mask(f.pi_type, &original),
            MaskStyle::Placeholder => placeholder(f.pi_type),
            MaskStyle::Pseudonym(key) => pseudonym(key, f.pi_type, &f.value),
        };
        out.extend_from_slice(replacement.as_bytes());
        at = f.bend;
    }
    out.extend_from_slice(&input[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions() {
        let cases = [
            (PiType::CnMobile, "13812345678", "138****5678"),
            (PiType::CnMobile, "+86 138-1234-5678", "+86 138-****-5678"),
            (
                PiType::CnResidentId,
                "11010519491231002X",
                "110105********002X",
            ),
            (
                PiType::BankCard,
                "6222 0212 3456 7890",
                "**** **** **** 7890",
            ),
            (PiType::PersonNameZh, "张三", "张*"),
            (PiType::PersonNameZh, "欧阳娜娜", "欧***"),
            (PiType::PersonNameEn, "Zhang Wei", "Z**** W**"),
            (PiType::Email, "raustin@example.org", "r***@example.org"),
            (
                PiType::AddressZh,
                "北京市朝阳区建国路88号",
                "北京市朝阳区****",
            ),
            (PiType::IpAddress, "10.225.184.80", "10.225.*.*"),
            (PiType::DateOfBirth, "1990-05-12", "1990-**-**"),
            (
                PiType::GpsCoordinate,
                "31.2304, 121.4737",
                "31.****, 121.****",
            ),
        ];
        for (ty, input, want) in cases {
            assert_eq!(mask(ty, input), want, "{ty} {input}");
        }
    }

    #[test]
    fn pseudonyms_are_keyed_and_stable() {
        let k1 = PseudonymKey::new(b"0123456789abcdef0123456789abcdef".to_vec());
        let k2 = PseudonymKey::new(b"fedcba9876543210fedcba9876543210".to_vec());
        let a = pseudonym(&k1, PiType::CnMobile, "13812345678");
        assert_eq!(a, pseudonym(&k1, PiType::CnMobile, "13812345678"));
        assert_ne!(a, pseudonym(&k2, PiType::CnMobile, "13812345678"));
        assert_ne!(a, pseudonym(&k1, PiType::CnMobile, "13812345679"));
        assert!(a.starts_with("<CN_MOBILE:") && !a.contains("138"));
        assert_eq!(format!("{k1:?}"), "PseudonymKey(<redacted>)");
    }
}
