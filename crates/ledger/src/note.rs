//! C2SP signed notes with Ed25519 keys (c2sp.org/signed-note).
//!
//! A note is text ending in a newline, a blank line, and one or more signature lines
//! `— <name> <base64(4-byte key ID || signature)>`. The key ID is the first four bytes of
//! `SHA-256(name || "\n" || 0x01 || public key)`.
//!
//! Key forms: a verifier key is `<name>+<hex key ID>+base64(0x01 || public key)`; a signer key
//! file holds `PRIVATE+KEY+<name>+<hex key ID>+base64(0x01 || 32-byte seed)` (the form Go's
//! `golang.org/x/mod/sumdb/note` uses).
//!
//! Opening is strict and follows the reference implementation: signatures by unknown keys are
//! ignored; a signature by a known key that fails rejects the whole note; at least one known
//! signature must verify; duplicate signatures by one key count once; two verifier keys with
//! the same name and ID are ambiguous when used; more than 100 signatures, control
//! characters, a missing final newline, a malformed or trailing line reject the note.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{KeyError, NoteError};

/// Ed25519's algorithm byte in C2SP keys.
const ALG_ED25519: u8 = 0x01;
/// The reference implementation refuses notes with more signatures than this.
pub(crate) const MAX_SIGNATURES: usize = 100;
/// Signature line prefix: U+2014 EM DASH and a space.
pub(crate) const SIG_PREFIX: &str = "\u{2014} ";

fn key_id(name: &str, public: &[u8; 32]) -> u32 {
    key_id_of(name, ALG_ED25519, public)
}

/// `SHA-256(name || "\n" || alg || public key)[:4]`: a key's ID for signature type `alg`.
pub(crate) fn key_id_of(name: &str, alg: u8, public: &[u8; 32]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([alg]);
    h.update(public);
    let d = h.finalize();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

/// Whether `name` can name a key: non-empty, no white space, no `+`.
pub fn is_valid_key_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c.is_whitespace() || c == '+' || c.is_control())
}

/// Whether `text` can be the text of a note: ends with a newline, no control characters but
/// newlines.
pub(crate) fn check_text(text: &str) -> Result<(), NoteError> {
    if !text.ends_with('\n') {
        return Err(NoteError::Malformed(
            "text does not end with a newline".into(),
        ));
    }
    if let Some(c) = text.chars().find(|&c| c != '\n' && c.is_control()) {
        return Err(NoteError::Malformed(format!(
            "text holds control character U+{:04X}",
            c as u32
        )));
    }
    Ok(())
}

/// A signing key with its name. `Debug` does not show the key; the seed is zeroized on drop.
pub struct Signer {
    name: String,
    id: u32,
    key: SigningKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Signer({}+{:08x}, <private key redacted>)",
            self.name, self.id
        )
    }
}

impl Signer {
    /// A new key from the operating system's random source.
    pub fn generate(name: &str) -> Result<Signer, KeyError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut())
            .map_err(|e| KeyError::new(format!("no randomness from the operating system: {e}")))?;
        Signer::from_seed(name, &seed)
    }

    /// A key from a 32-byte Ed25519 seed.
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Signer, KeyError> {
        if !is_valid_key_name(name) {
            return Err(KeyError::new(format!(
                "`{name}` is not a valid key name (no spaces or `+`)"
            )));
        }
        let key = SigningKey::from_bytes(seed);
        let id = key_id(name, key.verifying_key().as_bytes());
        Ok(Signer {
            name: name.to_string(),
            id,
            key,
        })
    }

    /// Parses `PRIVATE+KEY+<name>+<hex id>+base64(0x01 || seed)`.
    pub fn parse(skey: &str) -> Result<Signer, KeyError> {
        let (name, id, seed) = decode_key(skey, ALG_ED25519, true)?;
        let s = Signer::from_seed(name, &seed)?;
        if s.id != id {
            return Err(KeyError::new("key ID does not match the key"));
        }
        Ok(s)
    }

    /// The signer key in its file form. Secret: write it only to a file only its owner reads.
    pub fn to_skey(&self) -> Zeroizing<String> {
        let mut raw = Zeroizing::new(Vec::with_capacity(33));
        raw.push(ALG_ED25519);
        raw.extend_from_slice(self.key.as_bytes());
        Zeroizing::new(format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.id,
            STANDARD.encode(&*raw)
        ))
    }

    /// The matching verifier.
    pub fn verifier(&self) -> Verifier {
        Verifier {
            name: self.name.clone(),
            id: self.id,
            key: self.key.verifying_key(),
        }
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Signs `text` and returns the signed note.
    pub fn sign(&self, text: &str) -> Result<String, NoteError> {
        check_text(text)?;
        let sig = self.key.sign(text.as_bytes());
        let mut blob = Vec::with_capacity(68);
        blob.extend_from_slice(&self.id.to_be_bytes());
        blob.extend_from_slice(&sig.to_bytes());
        Ok(format!(
            "{text}\n{SIG_PREFIX}{} {}\n",
            self.name,
            STANDARD.encode(blob)
        ))
    }

    /// An Ed25519 signature over `msg` (see [`Verifier::verify_raw`]).
    pub fn sign_raw(&self, msg: &[u8]) -> [u8; 64] {
        self.key.sign(msg).to_bytes()
    }

    /// The key's identity as notes name it: `<name>+<hex key ID>`.
    pub fn key_id(&self) -> String {
        format!("{}+{:08x}", self.name, self.id)
    }
}

/// A verifier key with its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verifier {
    name: String,
    id: u32,
    key: VerifyingKey,
}

pub(crate) fn split_key(s: &str) -> Result<(&str, u32, &str), KeyError> {
    // Base64 may hold `+`: split on the first two only.
    let mut parts = s.splitn(3, '+');
    let (Some(name), Some(hex), Some(data)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(KeyError::new("key is not `<name>+<hex id>+<base64 key>`"));
    };
    if !is_valid_key_name(name) {
        return Err(KeyError::new(format!("`{name}` is not a valid key name")));
    }
    if hex.len() != 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(KeyError::new(format!("key ID `{hex}` is not 8 hex digits")));
    }
    let id = u32::from_str_radix(hex, 16).map_err(|_| KeyError::new("key ID is not hex"))?;
    Ok((name, id, data))
}

/// Decodes a key's text form, `<name>+<hex id>+base64(alg || 32 bytes)` — with
/// `PRIVATE+KEY+` in front when `secret` — checking its type byte: the name, the key ID and the
/// 32 bytes (a seed or a public key), zeroized when dropped. The caller checks the ID against
/// the key.
pub(crate) fn decode_key(
    text: &str,
    alg: u8,
    secret: bool,
) -> Result<(&str, u32, Zeroizing<[u8; 32]>), KeyError> {
    let text = text.trim_end_matches('\n');
    let rest = if secret {
        text.strip_prefix("PRIVATE+KEY+")
            .ok_or_else(|| KeyError::new("signer key does not start with `PRIVATE+KEY+`"))?
    } else {
        text
    };
    let (name, id, data) = split_key(rest)?;
    let raw = Zeroizing::new(
        STANDARD
            .decode(data)
            .map_err(|_| KeyError::new("key data is not base64"))?,
    );
    let (got, bytes) = raw
        .split_first()
        .ok_or_else(|| KeyError::new("key data is empty"))?;
    if *got != alg {
        return Err(KeyError::new(format!(
            "key type {got:#04x} is not {alg:#04x} (unknown key algorithm for this use)"
        )));
    }
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| {
        KeyError::new(if secret {
            "Ed25519 seed is not 32 bytes"
        } else {
            "Ed25519 public key is not 32 bytes"
        })
    })?;
    Ok((name, id, Zeroizing::new(bytes)))
}

impl Verifier {
    /// Parses `<name>+<hex id>+base64(0x01 || public key)`.
    pub fn parse(vkey: &str) -> Result<Verifier, KeyError> {
        let (name, id, public) = decode_key(vkey, ALG_ED25519, false)?;
        let public = &*public;
        if key_id(name, public) != id {
            return Err(KeyError::new("key ID does not match the key"));
        }
        let key = VerifyingKey::from_bytes(public)
            .map_err(|_| KeyError::new("not an Ed25519 public key"))?;
        Ok(Verifier {
            name: name.to_string(),
            id,
            key,
        })
    }

    /// The verifier key in its text form.
    pub fn to_vkey(&self) -> String {
        let mut raw = Vec::with_capacity(33);
        raw.push(ALG_ED25519);
        raw.extend_from_slice(self.key.as_bytes());
        format!("{}+{:08x}+{}", self.name, self.id, STANDARD.encode(raw))
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key's identity as notes name it: `<name>+<hex key ID>`.
    pub fn key_id(&self) -> String {
        format!("{}+{:08x}", self.name, self.id)
    }

    /// Verifies an Ed25519 signature by this key over `msg` (for protocols other than notes
    /// that sign with the same key, such as signed HTTP requests; their messages must not
    /// parse as note texts the key signs).
    pub fn verify_raw(&self, msg: &[u8], sig: &[u8]) -> bool {
        Signature::from_slice(sig).is_ok_and(|s| self.key.verify_strict(msg, &s).is_ok())
    }
}

/// A note whose signatures were checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedNote {
    /// The signed text.
    pub text: String,
    /// Names of the known keys whose signatures verified, in note order, each once.
    pub verified_by: Vec<String>,
    /// The same keys as `<name>+<hex key ID>`.
    pub verified_keys: Vec<String>,
    /// Signatures by keys the verifier does not know (not checked).
    pub unknown_signatures: usize,
}

/// Opens a signed note against the known verifier keys.
pub fn open(note: &str, known: &[Verifier]) -> Result<VerifiedNote, NoteError> {
    let split = note
        .rfind("\n\n")
        .ok_or_else(|| NoteError::Malformed("no blank line before the signatures".into()))?;
    let (text, sigs) = (&note[..split + 1], &note[split + 2..]);
    check_text(text)?;
    if sigs.is_empty() {
        return Err(NoteError::Malformed("no signature lines".into()));
    }
    let Some(sigs) = sigs.strip_suffix('\n') else {
        return Err(NoteError::Malformed(
            "last signature line does not end with a newline".into(),
        ));
    };
    let mut verified: Vec<(String, u32)> = Vec::new();
    let mut unknown = 0;
    for (n, line) in sigs.split('\n').enumerate() {
        if n >= MAX_SIGNATURES {
            return Err(NoteError::Malformed(format!(
                "more than {MAX_SIGNATURES} signatures"
            )));
        }
        let Some(rest) = line.strip_prefix(SIG_PREFIX) else {
            return Err(NoteError::Malformed(format!(
                "line {} after the text is not a signature line",
                n + 1
            )));
        };
        let Some((name, b64)) = rest.split_once(' ') else {
            return Err(NoteError::Malformed(format!(
                "signature line {} has no signature",
                n + 1
            )));
        };
        if !is_valid_key_name(name) {
            return Err(NoteError::Malformed(format!(
                "signature line {} has an invalid key name",
                n + 1
            )));
        }
        let blob = STANDARD
            .decode(b64)
            .map_err(|_| NoteError::Malformed(format!("signature line {} is not base64", n + 1)))?;
        if blob.len() < 5 {
            return Err(NoteError::Malformed(format!(
                "signature line {} is too short",
                n + 1
            )));
        }
        let id = u32::from_be_bytes([blob[0], blob[1], blob[2], blob[3]]);
        let mut matching = known.iter().filter(|v| v.name == name && v.id == id);
        let Some(v) = matching.next() else {
            unknown += 1;
            continue;
        };
        if matching.next().is_some() {
            return Err(NoteError::AmbiguousKey(name.to_string()));
        }
        if verified.iter().any(|(vn, vid)| vn == name && *vid == id) {
            continue;
        }
        let sig = Signature::from_slice(&blob[4..])
            .map_err(|_| NoteError::InvalidSignature(name.to_string()))?;
        v.key
            .verify_strict(text.as_bytes(), &sig)
            .map_err(|_| NoteError::InvalidSignature(name.to_string()))?;
        verified.push((name.to_string(), id));
    }
    if verified.is_empty() {
        return Err(NoteError::NoKnownSignature);
    }
    Ok(VerifiedNote {
        text: text.to_string(),
        verified_keys: verified
            .iter()
            .map(|(n, id)| format!("{n}+{id:08x}"))
            .collect(),
        verified_by: verified.into_iter().map(|(n, _)| n).collect(),
        unknown_signatures: unknown,
    })
}
