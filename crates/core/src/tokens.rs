//! Tokens: what platforms store instead of PI.
//!
//! - Random (`tok_` + 24 base32 characters, 120 bits): opaque; the vault maps it to the value.
//! - Deterministic (`det_` + 32 hex, keyed HMAC-SHA256 under a per-tenant key, of the field,
//!   the subject and the value): a subject's equal values give equal tokens, so a value
//!   collected again keeps its token and a subject's records join on it. Another subject's
//!   equal value gets another token: a token stands for one person's value (decided, erased
//!   and recorded as that person's), and tokens link no two people. Equal values across
//!   subjects are found by the blind index (`bix_…`, keyed HMAC of the field and value) behind
//!   lookup by value, which a purpose gates and the ledger records.
//! - Format-preserving, vaulted: a random token in the value's own shape drawn from a range no
//!   real value uses, so legacy schemas and their validators keep working and a token is never
//!   mistaken for a real value:
//!   - `cn_mobile`: 11 digits starting `10`, `11` or `12` — MIIT assigns no mobile segment
//!     there (mobiles are 13x–19x), so no real mobile number is a token;
//!   - `cn_resident_id`: 18 characters with a valid check digit and birth date, in region
//!     `99xxxx` — no province code is 99, so no real identity number is a token.
//!
//! The vault keeps the token → value mapping, and a uniqueness constraint per tenant makes the
//! (rare) random collision a retry, not a mix-up. (FF1 encryption would also keep the shape,
//! but its outputs can equal real numbers; a disjoint range cannot.)

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::crypto::{DataKey, random_bytes};
use crate::error::CoreError;
use crate::ids::Token;

const B32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// The base32 alphabet in byte order, so that encoded numbers sort as the numbers do.
const B32_SORTED: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";

/// A new subject id: `sub_`, the registration time (milliseconds since 1970, 9 characters of
/// [`B32_SORTED`], so ids sort by registration), then 80 random bits (16 characters). Subjects
/// registered together sit together in every index keyed by subject (new rows append instead of
/// landing on random pages); the time they reveal is the registration's, which the ledger entry
/// records anyway. Unguessable as before: the random part alone is 80 bits.
pub fn new_subject_id(now: crate::ids::Millis) -> Result<crate::ids::SubjectId, CoreError> {
    let mut s = String::with_capacity(29);
    s.push_str("sub_");
    let t = u64::try_from(now).unwrap_or(0);
    for i in (0..9).rev() {
        s.push(char::from(B32_SORTED[((t >> (5 * i)) & 31) as usize]));
    }
    push_random(&mut s, &mut [0u8; 10])?;
    Ok(crate::ids::SubjectId::parse(&s)?)
}

/// Fills `buf` with random bytes and appends them to `s` in base32 ([`B32`], 5 bits a
/// character; `buf`'s length a multiple of 5 bytes).
fn push_random(s: &mut String, buf: &mut [u8]) -> Result<(), CoreError> {
    random_bytes(buf)?;
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &byte in buf.iter() {
        acc = (acc << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            s.push(char::from(B32[((acc >> bits) & 31) as usize]));
        }
    }
    Ok(())
}

/// A random opaque token.
pub fn random_token() -> Result<Token, CoreError> {
    let mut s = String::from("tok_");
    push_random(&mut s, &mut [0u8; 15])?;
    Ok(Token::parse(&s)?)
}

fn hmac_hex(key: &DataKey, parts: &[&[u8]], n: usize) -> String {
    let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(key.bytes()) {
        Ok(m) => m,
        // HMAC takes keys of any length; a 32-byte key cannot fail.
        Err(_) => return String::new(),
    };
    for p in parts {
        mac.update(&(p.len() as u32).to_be_bytes());
        mac.update(p);
    }
    let out = mac.finalize().into_bytes();
    crate::hex::encode(out.get(..n).unwrap_or(&out))
}

/// A deterministic token for `subject`'s value of `field` (normalised) under the tenant's
/// token key.
pub fn deterministic_token(
    key: &DataKey,
    field: &str,
    subject: &str,
    normalised: &str,
) -> Result<Token, CoreError> {
    Ok(Token::parse(&format!(
        "det_{}",
        hmac_hex(
            key,
            &[
                b"subject-token",
                field.as_bytes(),
                subject.as_bytes(),
                normalised.as_bytes()
            ],
            16
        )
    ))?)
}

/// Whether `token` is deterministic: computed from its subject's value, so that the same
/// value collected again for the same subject and field gets it again (the store replaces
/// that value's record instead of refusing the token as taken).
pub fn is_deterministic(token: &Token) -> bool {
    token.as_str().starts_with("det_")
}

/// The blind index of `value` of `field` under the tenant's index key.
pub fn blind_index(key: &DataKey, field: &str, normalised: &str) -> String {
    BlindIndexer::new(key, field).index(normalised)
}

/// The blind indexes of one field of a tenant, the key set up once for many values (the
/// egress check indexes every PI candidate of a payload).
#[derive(Clone)]
pub struct BlindIndexer(Option<Hmac<Sha256>>);

impl BlindIndexer {
    /// For `field` under the tenant's key.
    pub fn new(key: &DataKey, field: &str) -> BlindIndexer {
        BlindIndexer(
            <Hmac<Sha256> as KeyInit>::new_from_slice(key.bytes())
                .ok()
                .map(|mut mac| {
                    for p in [b"blind-index".as_slice(), field.as_bytes()] {
                        mac.update(&(p.len() as u32).to_be_bytes());
                        mac.update(p);
                    }
                    mac
                }),
        )
    }

    /// The blind index of a normalised value (`bix_` + 32 hex).
    pub fn index(&self, normalised: &str) -> String {
        let Some(mut mac) = self.0.clone() else {
            // HMAC takes keys of any length; a 32-byte key cannot fail.
            return String::new();
        };
        mac.update(&(normalised.len() as u32).to_be_bytes());
        mac.update(normalised.as_bytes());
        let out = mac.finalize().into_bytes();
        let mut s = String::with_capacity(36);
        s.push_str("bix_");
        s.push_str(&crate::hex::encode(out.get(..16).unwrap_or(&out)));
        s
    }
}

fn random_digits(n: usize) -> Result<String, CoreError> {
    let mut b = vec![0u8; n * 2];
    random_bytes(&mut b)?;
    // Rejection-free: two bytes per digit, reduced mod 10 (bias < 0.02%, irrelevant here).
    Ok(b.chunks(2)
        .map(|c| char::from(b'0' + ((u16::from(c[0]) << 8 | u16::from(c[1])) % 10) as u8))
        .collect())
}

/// A format-preserving mobile token: `1[0-2]` + 9 digits.
pub fn mobile_token() -> Result<Token, CoreError> {
    let d = random_digits(10)?;
    let second = (d.as_bytes()[0] - b'0') % 3;
    Ok(Token::parse(&format!("1{second}{}", &d[1..]))?)
}

/// A format-preserving identity-number token: region `99xxxx`, a real birth date, a valid
/// check character.
pub fn resident_id_token() -> Result<Token, CoreError> {
    let d = random_digits(12)?;
    let n = |s: &str| s.bytes().fold(0u32, |a, b| a * 10 + u32::from(b - b'0'));
    let year = 1950 + n(&d[4..6]) % 56;
    let month = 1 + n(&d[6..8]) % 12;
    let day = 1 + n(&d[8..10]) % 28;
    let body = format!(
        "99{}{year:04}{month:02}{day:02}{}{}",
        &d[0..4],
        &d[10..12],
        &d[0..1]
    );
    let check = custodian_detect::validate::resident_id_check_char(body.as_bytes())
        .ok_or_else(|| CoreError::Keys("token check digit".into()))?;
    Ok(Token::parse(&format!("{body}{}", char::from(check)))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use custodian_detect::validate;

    #[test]
    fn shapes_and_disjoint_ranges() {
        for _ in 0..200 {
            let m = mobile_token().unwrap();
            assert_eq!(m.as_str().len(), 11);
            assert!(
                m.as_str().starts_with("10")
                    || m.as_str().starts_with("11")
                    || m.as_str().starts_with("12")
            );
            assert!(
                !validate::cn_mobile(m.as_str().as_bytes()),
                "never a real mobile"
            );
            let id = resident_id_token().unwrap();
            assert_eq!(id.as_str().len(), 18);
            assert!(id.as_str().starts_with("99"));
            assert!(
                !validate::resident_id(id.as_str().as_bytes()),
                "region 99 is no province"
            );
            let body = &id.as_str().as_bytes()[..17];
            assert_eq!(
                validate::resident_id_check_char(body),
                Some(id.as_str().as_bytes()[17])
            );
        }
        let k = DataKey::generate().unwrap();
        let det = |field, subject, value| deterministic_token(&k, field, subject, value).unwrap();
        assert_eq!(det("phone", "sub_a", "138"), det("phone", "sub_a", "138"));
        assert!(is_deterministic(&det("phone", "sub_a", "138")));
        assert_ne!(det("phone", "sub_a", "138"), det("email", "sub_a", "138"));
        assert_ne!(
            det("phone", "sub_a", "138"),
            det("phone", "sub_b", "138"),
            "another subject's equal value"
        );
        // Parts are length-prefixed: moving a byte from one part to the next changes the token.
        assert_ne!(det("phone", "sub_a1", "38"), det("phone", "sub_a", "138"));
        assert_ne!(
            blind_index(&k, "phone", "138"),
            blind_index(&DataKey::generate().unwrap(), "phone", "138")
        );
        let t = random_token().unwrap();
        assert!(!is_deterministic(&t));
        assert!(
            t.as_str().starts_with("tok_") && t.as_str().len() == 28,
            "{t}"
        );
    }

    #[test]
    fn subject_ids_sort_by_registration_and_stay_unguessable() {
        let t0: crate::ids::Millis = 1_796_000_000_000;
        let mut ids: Vec<String> = [
            t0,
            t0 + 1,
            t0 + 31,
            t0 + 32,
            t0 + 86_400_000,
            40_000_000_000_000,
        ]
        .iter()
        .map(|t| new_subject_id(*t).unwrap().as_str().to_string())
        .collect();
        let in_time_order = ids.clone();
        ids.sort();
        assert_eq!(ids, in_time_order, "byte order is time order");
        let a = new_subject_id(t0).unwrap();
        let b = new_subject_id(t0).unwrap();
        assert_ne!(a, b, "the same millisecond, different ids");
        assert_eq!(a.as_str()[..13], b.as_str()[..13]);
        assert_eq!(a.as_str().len(), 29);
    }
}
