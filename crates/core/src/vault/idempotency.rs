//! Idempotency keys: what a retried key gets back, and the hashes a key and its request are
//! stored as (under the tenant's key, so neither the caller's key nor its values are stored).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::values::Collected;
use crate::crypto::DataKey;
use crate::error::CoreError;
use crate::ids::{FieldName, SubjectId};
use crate::store::IdempotencyRecord;

/// How long an idempotency key is remembered: a request retried within this many days answers
/// what it answered; after it, the key is forgotten by the hourly retention sweep and a retry is
/// carried out as a new request.
pub const IDEMPOTENCY_KEPT_DAYS: i64 = 7;

/// A result a retried key gets back, as stored (ids and tokens only).
pub(super) trait Replay: Sized {
    fn encode(&self) -> Vec<u8>;
    fn decode(bytes: &[u8]) -> Option<Self>;
}

impl Replay for SubjectId {
    fn encode(&self) -> Vec<u8> {
        self.as_str().as_bytes().to_vec()
    }
    fn decode(bytes: &[u8]) -> Option<Self> {
        SubjectId::parse(std::str::from_utf8(bytes).ok()?).ok()
    }
}

impl Replay for () {
    fn encode(&self) -> Vec<u8> {
        Vec::new()
    }
    fn decode(_: &[u8]) -> Option<Self> {
        Some(())
    }
}

impl Replay for Vec<Collected> {
    /// One line per value: field, token and the undeclared PI types, tab-separated (none of
    /// them can hold a tab or a line break).
    fn encode(&self) -> Vec<u8> {
        let lines: Vec<String> = self
            .iter()
            .map(|c| format!("{}\t{}\t{}", c.field, c.token, c.undeclared_pi.join(",")))
            .collect();
        lines.join("\n").into_bytes()
    }
    fn decode(bytes: &[u8]) -> Option<Self> {
        std::str::from_utf8(bytes)
            .ok()?
            .lines()
            .map(|l| {
                let mut parts = l.split('\t');
                let field = FieldName::parse(parts.next()?).ok()?;
                let token = crate::ids::Token::parse(parts.next()?).ok()?;
                let undeclared_pi = parts
                    .next()?
                    .split(',')
                    .filter(|n| !n.is_empty())
                    .map(|n| {
                        custodian_detect::PiType::ALL
                            .iter()
                            .map(|p| p.name())
                            .find(|p| *p == n)
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(Collected {
                    field,
                    token,
                    undeclared_pi,
                })
            })
            .collect()
    }
}

/// An item's idempotency: the key's hash and the request's fingerprint, both under the tenant's
/// key with the service and the kind of act.
pub(super) struct Keyed {
    pub(super) key: [u8; 32],
    pub(super) fingerprint: [u8; 32],
}

pub(super) fn keyed_hash(key: &DataKey, parts: &[&[u8]]) -> [u8; 32] {
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(key.bytes()) else {
        // HMAC takes keys of any length.
        return [0; 32];
    };
    for p in parts {
        mac.update(&(p.len() as u64).to_be_bytes());
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// What a stored key answers: its result if the request is the same, a refusal otherwise.
pub(super) fn replayed<T: Replay>(rec: &IdempotencyRecord, k: &Keyed) -> Result<T, CoreError> {
    if rec.fingerprint != k.fingerprint {
        return Err(CoreError::Conflict(
            "this idempotency key was used with a different request".into(),
        ));
    }
    T::decode(&rec.result)
        .ok_or_else(|| CoreError::Store("a stored idempotency result does not read back".into()))
}
