//! Checkpoint cosignatures (c2sp.org/tlog-cosignature, Ed25519 `cosignature/v1`).
//!
//! A witness that checked a checkpoint consistent with everything it saw of the log adds a
//! note signature line over it:
//!
//! ```text
//! — <witness name> base64(key ID || u64 BE timestamp || Ed25519 signature)
//! ```
//!
//! The key ID is `SHA-256(name || "\n" || 0x04 || public key)[:4]`; the signed message is
//! `cosignature/v1\ntime <timestamp>\n` followed by the checkpoint's note text (its body with
//! the final newline, without signature lines). Keys have the signed-note forms with type byte
//! 0x04: `<name>+<hex id>+base64(0x04 || public key)` and
//! `PRIVATE+KEY+<name>+<hex id>+base64(0x04 || seed)`.
//!
//! A cosignature line is a signature line by a key a plain note verifier does not know, so a
//! checkpoint carrying cosignatures still opens with the log's key alone ([`crate::note::open`]
//! ignores them); [`verify_cosignatures`] checks them against the witnesses a verifier trusts.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::error::{KeyError, NoteError};
use crate::note::{
    MAX_SIGNATURES, SIG_PREFIX, check_text, decode_key, is_valid_key_name, key_id_of,
};

/// The type byte of Ed25519 `cosignature/v1` keys.
pub const ALG_COSIGNATURE_V1: u8 = 0x04;

/// The message a cosignature signs.
pub fn cosigned_message(checkpoint_text: &str, timestamp: u64) -> String {
    format!("cosignature/v1\ntime {timestamp}\n{checkpoint_text}")
}

/// A witness's signing key. `Debug` does not show the key; the seed is zeroized on drop.
pub struct Cosigner {
    name: String,
    id: u32,
    key: SigningKey,
}

impl std::fmt::Debug for Cosigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Cosigner({}+{:08x}, <private key redacted>)",
            self.name, self.id
        )
    }
}

impl Cosigner {
    /// A new key from the operating system's random source.
    pub fn generate(name: &str) -> Result<Cosigner, KeyError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut())
            .map_err(|e| KeyError::new(format!("no randomness from the operating system: {e}")))?;
        Cosigner::from_seed(name, &seed)
    }

    /// A key from a 32-byte Ed25519 seed.
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Cosigner, KeyError> {
        if !is_valid_key_name(name) {
            return Err(KeyError::new(format!(
                "`{name}` is not a valid key name (no spaces or `+`)"
            )));
        }
        let key = SigningKey::from_bytes(seed);
        let id = key_id_of(name, ALG_COSIGNATURE_V1, key.verifying_key().as_bytes());
        Ok(Cosigner {
            name: name.to_string(),
            id,
            key,
        })
    }

    /// Parses `PRIVATE+KEY+<name>+<hex id>+base64(0x04 || seed)`.
    pub fn parse(skey: &str) -> Result<Cosigner, KeyError> {
        let (name, id, seed) = decode_key(skey, ALG_COSIGNATURE_V1, true)?;
        let c = Cosigner::from_seed(name, &seed)?;
        if c.id != id {
            return Err(KeyError::new("key ID does not match the key"));
        }
        Ok(c)
    }

    /// The key in its file form. Secret.
    pub fn to_skey(&self) -> Zeroizing<String> {
        let mut raw = Zeroizing::new(Vec::with_capacity(33));
        raw.push(ALG_COSIGNATURE_V1);
        raw.extend_from_slice(self.key.as_bytes());
        Zeroizing::new(format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.id,
            STANDARD.encode(&*raw)
        ))
    }

    /// The matching verifier key.
    pub fn verifier(&self) -> CosignatureVerifier {
        CosignatureVerifier {
            name: self.name.clone(),
            id: self.id,
            key: self.key.verifying_key(),
        }
    }

    /// The witness's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A cosignature line (ending in a newline) over a checkpoint's note text, at
    /// `timestamp` (seconds since the Unix epoch).
    pub fn cosign(&self, checkpoint_text: &str, timestamp: u64) -> Result<String, NoteError> {
        check_text(checkpoint_text)?;
        let sig = self
            .key
            .sign(cosigned_message(checkpoint_text, timestamp).as_bytes());
        let mut blob = Vec::with_capacity(76);
        blob.extend_from_slice(&self.id.to_be_bytes());
        blob.extend_from_slice(&timestamp.to_be_bytes());
        blob.extend_from_slice(&sig.to_bytes());
        Ok(format!(
            "{SIG_PREFIX}{} {}\n",
            self.name,
            STANDARD.encode(blob)
        ))
    }
}

/// A witness's verifier key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CosignatureVerifier {
    name: String,
    id: u32,
    key: VerifyingKey,
}

impl CosignatureVerifier {
    /// Parses `<name>+<hex id>+base64(0x04 || public key)`.
    pub fn parse(vkey: &str) -> Result<CosignatureVerifier, KeyError> {
        let (name, id, public) = decode_key(vkey.trim(), ALG_COSIGNATURE_V1, false)?;
        let public = &*public;
        if key_id_of(name, ALG_COSIGNATURE_V1, public) != id {
            return Err(KeyError::new("key ID does not match the key"));
        }
        let key = VerifyingKey::from_bytes(public)
            .map_err(|_| KeyError::new("not an Ed25519 public key"))?;
        Ok(CosignatureVerifier {
            name: name.to_string(),
            id,
            key,
        })
    }

    /// The key in its text form.
    pub fn to_vkey(&self) -> String {
        let mut raw = Vec::with_capacity(33);
        raw.push(ALG_COSIGNATURE_V1);
        raw.extend_from_slice(self.key.as_bytes());
        format!("{}+{:08x}+{}", self.name, self.id, STANDARD.encode(raw))
    }

    /// The witness's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A verified cosignature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cosignature {
    /// The witness's name.
    pub witness: String,
    /// When it cosigned (seconds since the Unix epoch).
    pub timestamp: u64,
}

/// Checks the cosignatures of the known witnesses on a signed checkpoint note (the log's
/// signature is checked separately, with [`crate::note::open`]). Lines by other keys are
/// ignored; a line by a known witness that does not verify rejects the note (as a failing
/// known signature does in a signed note); a witness counts once. Returns the valid ones.
pub fn verify_cosignatures(
    note: &str,
    witnesses: &[CosignatureVerifier],
) -> Result<Vec<Cosignature>, NoteError> {
    let split = note
        .rfind("\n\n")
        .ok_or_else(|| NoteError::Malformed("no blank line before the signatures".into()))?;
    let (text, sigs) = (&note[..split + 1], &note[split + 2..]);
    check_text(text)?;
    let mut found: Vec<Cosignature> = Vec::new();
    for (n, line) in sigs.lines().enumerate() {
        if n >= MAX_SIGNATURES {
            return Err(NoteError::Malformed(format!(
                "more than {MAX_SIGNATURES} signatures"
            )));
        }
        let Some((name, b64)) = line
            .strip_prefix(SIG_PREFIX)
            .and_then(|r| r.split_once(' '))
        else {
            return Err(NoteError::Malformed(format!(
                "line {} after the text is not a signature line",
                n + 1
            )));
        };
        let Some(w) = witnesses.iter().find(|w| w.name == name) else {
            continue;
        };
        let Ok(blob) = STANDARD.decode(b64) else {
            continue;
        };
        if blob.len() < 4 || u32::from_be_bytes([blob[0], blob[1], blob[2], blob[3]]) != w.id {
            continue;
        }
        let bad = || NoteError::InvalidSignature(name.to_string());
        if blob.len() != 4 + 8 + 64 {
            return Err(bad());
        }
        let mut ts = [0u8; 8];
        ts.copy_from_slice(&blob[4..12]);
        let timestamp = u64::from_be_bytes(ts);
        if timestamp > i64::MAX as u64 {
            return Err(bad());
        }
        let sig = Signature::from_slice(&blob[12..]).map_err(|_| bad())?;
        w.key
            .verify_strict(cosigned_message(text, timestamp).as_bytes(), &sig)
            .map_err(|_| bad())?;
        if !found.iter().any(|c| c.witness == name) {
            found.push(Cosignature {
                witness: name.to_string(),
                timestamp,
            });
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CP: &str = "example.com/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

    #[test]
    fn a_cosignature_verifies_and_its_forgeries_do_not() {
        let w = Cosigner::from_seed("witness.example/w1", &[9; 32]).unwrap();
        let line = w.cosign(CP, 1_679_315_147).unwrap();
        let note = format!("{CP}\n— example.com/log AAAAAAAA\n{line}");
        let got = verify_cosignatures(&note, &[w.verifier()]).unwrap();
        assert_eq!(got[0].timestamp, 1_679_315_147);
        // Another checkpoint's cosignature, moved over: refused.
        let other = CP.replace("\n3\n", "\n4\n");
        let moved = format!("{other}\n{line}");
        assert!(verify_cosignatures(&moved, &[w.verifier()]).is_err());
        // A changed timestamp: refused.
        let mut blob = STANDARD
            .decode(line.trim_end().rsplit(' ').next().unwrap())
            .unwrap();
        blob[11] ^= 1;
        let forged = format!("{CP}\n— witness.example/w1 {}\n", STANDARD.encode(blob));
        assert!(verify_cosignatures(&forged, &[w.verifier()]).is_err());
        // An unknown witness is ignored.
        let x = Cosigner::from_seed("witness.example/x", &[8; 32]).unwrap();
        assert!(
            verify_cosignatures(&note, &[x.verifier()])
                .unwrap()
                .is_empty()
        );
        // Keys round-trip through their text forms.
        let again = Cosigner::parse(&w.to_skey()).unwrap();
        assert_eq!(again.verifier(), w.verifier());
        assert_eq!(
            CosignatureVerifier::parse(&w.verifier().to_vkey()).unwrap(),
            w.verifier()
        );
        assert!(crate::note::Verifier::parse(&w.verifier().to_vkey()).is_err());
    }
}
