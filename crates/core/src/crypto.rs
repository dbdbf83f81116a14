//! Keys and sealing. Every subject has a 256-bit data key, wrapped under the cell's current
//! epoch key (see the `keyring` module). Values are sealed with XChaCha20-Poly1305 under the subject's data key with
//! a random 192-bit nonce and associated data naming tenant, subject, field and key version,
//! so a ciphertext moved to another row, subject or tenant fails to open.
//!
//! Erasure destroys the wrapped data key; copies of it made before (backups) stay wrapped under
//! an epoch key that the next epoch rotation destroys. Keys and plaintext are zeroized on drop; `Debug` redacts them.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::decision::{CollectGrant, DetokenizeGrant, ExportGrant, RekeyGrant, TransferGrant};
use crate::error::CoreError;
use crate::store::ValueRecord;

/// Version byte of sealed blobs.
const SEAL_V1: u8 = 1;

/// 32 random bytes from the operating system.
pub fn random_key() -> Result<Zeroizing<[u8; 32]>, CoreError> {
    let mut k = Zeroizing::new([0u8; 32]);
    getrandom::fill(k.as_mut())
        .map_err(|e| CoreError::Keys(format!("no randomness from the operating system: {e}")))?;
    Ok(k)
}

/// Fills `buf` with random bytes.
pub fn random_bytes(buf: &mut [u8]) -> Result<(), CoreError> {
    getrandom::fill(buf)
        .map_err(|e| CoreError::Keys(format!("no randomness from the operating system: {e}")))
}

/// `n` random bytes as lower-case hex: identifiers (`key_…`, `req_…`, `ord_…`), nonces.
pub fn random_hex(n: usize) -> Result<String, CoreError> {
    let mut b = vec![0u8; n];
    random_bytes(&mut b)?;
    Ok(crate::hex::encode(&b))
}

/// A subject's (or tenant's) 256-bit key. Zeroized on drop; `Debug` redacts.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

impl DataKey {
    /// A fresh random key.
    pub fn generate() -> Result<DataKey, CoreError> {
        Ok(DataKey(random_key()?))
    }

    /// The key bytes (for HMAC keys and wrapping).
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A key from 32 bytes (what a key holder unwrapped); `None` for any other length.
    pub fn from_slice(b: &[u8]) -> Option<DataKey> {
        let arr: [u8; 32] = b.try_into().ok()?;
        Some(DataKey(Zeroizing::new(arr)))
    }
}

fn seal_with(key: &[u8; 32], plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, CoreError> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let mut nonce = [0u8; 24];
    random_bytes(&mut nonce)?;
    let ct = cipher
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| CoreError::Integrity("sealing failed".into()))?;
    let mut out = Vec::with_capacity(1 + 24 + ct.len());
    out.push(SEAL_V1);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

fn open_with(key: &[u8; 32], blob: &[u8], aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, CoreError> {
    let (v, rest) = blob
        .split_first()
        .ok_or_else(|| CoreError::Integrity("empty sealed value".into()))?;
    if *v != SEAL_V1 || rest.len() < 24 + 16 {
        return Err(CoreError::Integrity(
            "sealed value has an unknown version or is truncated".into(),
        ));
    }
    let (nonce, ct) = rest.split_at(24);
    let nonce: [u8; 24] = nonce
        .try_into()
        .map_err(|_| CoreError::Integrity("bad nonce".into()))?;
    let cipher = XChaCha20Poly1305::new(key.into());
    cipher
        .decrypt(&XNonce::from(nonce), Payload { msg: ct, aad })
        .map(Zeroizing::new)
        .map_err(|_| {
            CoreError::Integrity(
                "sealed value does not open: wrong key, moved ciphertext or tampering".into(),
            )
        })
}

/// Associated data binding a sealed value to its place.
fn value_aad(tenant: &str, subject: &str, field: &str, key_version: u32) -> Vec<u8> {
    format!("custodian/value/v1\n{tenant}\n{subject}\n{field}\n{key_version}").into_bytes()
}

/// The key version values are sealed under today.
pub(crate) const KEY_VERSION: u32 = 1;

/// Seals a value of the grant's subject and field: only a [`CollectGrant`] — an allowed
/// collect decision — lets a value be sealed.
pub(crate) fn seal_value(
    grant: &CollectGrant<'_>,
    key: &DataKey,
    plaintext: &[u8],
) -> Result<Vec<u8>, CoreError> {
    let s = grant.subject();
    let aad = value_aad(
        s.tenant.as_str(),
        s.id.as_str(),
        grant.field().name.as_str(),
        KEY_VERSION,
    );
    seal_with(&key.0, plaintext, &aad)
}

/// Opens a stored value under a [`DetokenizeGrant`]: the grant's subject and field are the
/// associated data, so a grant for one field cannot open another's value.
pub(crate) fn open_value(
    grant: &DetokenizeGrant<'_>,
    key: &DataKey,
    row: &ValueRecord,
) -> Result<Zeroizing<Vec<u8>>, CoreError> {
    let s = grant.subject();
    let aad = value_aad(
        s.tenant.as_str(),
        s.id.as_str(),
        grant.field().name.as_str(),
        row.key_version,
    );
    open_with(&key.0, &row.sealed, &aad)
}

/// Opens one of the subject's own values under an [`ExportGrant`] (the person's copy of
/// everything held about them).
pub(crate) fn open_exported(
    grant: &ExportGrant<'_>,
    key: &DataKey,
    row: &ValueRecord,
) -> Result<Zeroizing<Vec<u8>>, CoreError> {
    let s = grant.subject();
    if row.subject != s.id || row.tenant != s.tenant {
        return Err(CoreError::Integrity(
            "a value of another subject was handed to an export".into(),
        ));
    }
    let aad = value_aad(
        s.tenant.as_str(),
        s.id.as_str(),
        row.field.as_str(),
        row.key_version,
    );
    open_with(&key.0, &row.sealed, &aad)
}

/// Opens one of the subject's values of a field a [`TransferGrant`] lets leave.
pub(crate) fn open_transferred(
    grant: &TransferGrant<'_>,
    key: &DataKey,
    row: &ValueRecord,
) -> Result<Zeroizing<Vec<u8>>, CoreError> {
    let s = grant.subject();
    if row.subject != s.id || row.tenant != s.tenant || !grant.fields().contains(&row.field) {
        return Err(CoreError::Integrity(
            "a value the transfer was not decided for was handed to it".into(),
        ));
    }
    let aad = value_aad(
        s.tenant.as_str(),
        s.id.as_str(),
        row.field.as_str(),
        row.key_version,
    );
    open_with(&key.0, &row.sealed, &aad)
}

/// Re-seals one of the grant's subject's values under the subject's new key, with the next key
/// version: the value itself, or `replacement` (a rectification). The old ciphertext is then
/// useless once the old key is gone.
pub(crate) fn reseal_value(
    grant: &RekeyGrant<'_>,
    old: &DataKey,
    new: &DataKey,
    row: &ValueRecord,
    replacement: Option<&[u8]>,
) -> Result<ValueRecord, CoreError> {
    let s = grant.subject();
    if row.subject != s.id || row.tenant != s.tenant {
        return Err(CoreError::Integrity(
            "a value of another subject was handed to a re-keying".into(),
        ));
    }
    let version = row.key_version + 1;
    let plain = match replacement {
        Some(r) => Zeroizing::new(r.to_vec()),
        None => open_with(
            &old.0,
            &row.sealed,
            &value_aad(
                s.tenant.as_str(),
                s.id.as_str(),
                row.field.as_str(),
                row.key_version,
            ),
        )?,
    };
    let sealed = seal_with(
        &new.0,
        &plain,
        &value_aad(
            s.tenant.as_str(),
            s.id.as_str(),
            row.field.as_str(),
            version,
        ),
    )?;
    Ok(ValueRecord {
        sealed,
        key_version: version,
        ..row.clone()
    })
}

/// A secret handed back to a caller: a PI value or an API key. Zeroized on drop; `Debug`
/// redacts; it has no serializer — a caller exposes it on purpose.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub(crate) fn new(s: Zeroizing<String>) -> Secret {
        Secret(s)
    }

    /// The value. Handle with care.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Wraps a data key under a key-encryption key (an epoch key, or a KEK wrapping an epoch key):
/// XChaCha20-Poly1305 with a random nonce; `aad` names what the key is for. For
/// key holders (`keyring::KeyHolder` implementations).
pub fn wrap_key(kek: &[u8; 32], key: &DataKey, aad: &[u8]) -> Result<Vec<u8>, CoreError> {
    seal_with(kek, key.bytes(), aad)
}

/// Unwraps what [`wrap_key`] wrapped.
pub fn unwrap_key(kek: &[u8; 32], blob: &[u8], aad: &[u8]) -> Result<DataKey, CoreError> {
    let raw = open_with(kek, blob, aad)?;
    DataKey::from_slice(&raw)
        .ok_or_else(|| CoreError::Integrity("wrapped key is not 32 bytes".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_binds_to_place_and_key() {
        let k = DataKey::generate().unwrap();
        let aad = value_aad("t1", "sub_a", "phone", 1);
        let blob = seal_with(&k.0, b"13812345678", &aad).unwrap();
        assert_eq!(&*open_with(&k.0, &blob, &aad).unwrap(), b"13812345678");
        assert!(
            open_with(&k.0, &blob, &value_aad("t1", "sub_b", "phone", 1)).is_err(),
            "moved to another subject"
        );
        assert!(
            open_with(&k.0, &blob, &value_aad("t1", "sub_a", "email", 1)).is_err(),
            "moved to another field"
        );
        assert!(
            open_with(&DataKey::generate().unwrap().0, &blob, &aad).is_err(),
            "another key"
        );
        let mut t = blob.clone();
        t[30] ^= 1;
        assert!(open_with(&k.0, &t, &aad).is_err(), "tampered");
        assert!(!blob.windows(11).any(|w| w == b"13812345678"));
        assert_eq!(format!("{k:?}"), "DataKey(<redacted>)");
        let w = wrap_key(&[9; 32], &k, b"dek:t1:sub_a").unwrap();
        assert_eq!(
            unwrap_key(&[9; 32], &w, b"dek:t1:sub_a").unwrap().bytes(),
            k.bytes()
        );
        assert!(unwrap_key(&[9; 32], &w, b"dek:t1:sub_b").is_err());
    }
}
