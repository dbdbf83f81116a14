//! Epoch keys in a PKCS#11 token (an HSM; SoftHSM2 in tests): each epoch is an AES-256 secret
//! key object generated in the token — sensitive, not extractable, labelled
//! `custodian-epoch-<n>` — and wrapping and unwrapping a data key are AES-GCM encryption and
//! decryption inside the token. No epoch key ever leaves it, so nothing copied from the cell's
//! machines (files, backups, memory) opens a data key once its epoch's object is destroyed.
//!
//! The token is the root: there is no KEK outside it to rotate. Keys wrapped directly by a file
//! KEK (epoch 0, cells from before epochs) cannot be opened here: rotate the epoch under the file
//! holder before moving a cell to a token.
//!
//! Configured by an RFC 7512 URI (a subset):
//! `pkcs11:token=<label>?module-path=<library>&pin-source=file:<path>`; the user PIN may also
//! come from `CUSTODIAN_PKCS11_PIN`. Never on a command line.

use std::sync::Mutex;

use cryptoki::context::{CInitializeArgs, Pkcs11};
use cryptoki::mechanism::Mechanism;
use cryptoki::mechanism::aead::GcmParams;
use cryptoki::object::{Attribute, AttributeType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::types::AuthPin;
use custodian_core::CoreError;
use custodian_core::crypto::{self, DataKey};
use custodian_core::keyring::{Epoch, KeyHolder, LEGACY_EPOCH};

/// Version byte of a blob wrapped in a token (file-held blobs start with 1).
const TOKEN_WRAP_V1: u8 = 2;
const IV_LEN: usize = 12;
const LABEL_PREFIX: &str = "custodian-epoch-";

fn hsm(what: &str, e: impl std::fmt::Display) -> CoreError {
    CoreError::Keys(format!("PKCS#11: {what}: {e}"))
}

fn label(epoch: Epoch) -> String {
    format!("{LABEL_PREFIX}{epoch:08}")
}

/// Where the token is: parsed from a `pkcs11:` URI.
#[derive(Clone, PartialEq, Eq)]
pub struct Pkcs11Config {
    /// The PKCS#11 library.
    pub module: String,
    /// The token's label.
    pub token: String,
    /// The user PIN (zeroized on drop; never in `Debug`).
    pin: zeroize::Zeroizing<String>,
}

impl std::fmt::Debug for Pkcs11Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs11Config")
            .field("module", &self.module)
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

fn unescape(v: &str) -> Result<String, CoreError> {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = v
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| CoreError::Keys(format!("bad %-escape in `{v}`")))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| CoreError::Keys(format!("`{v}` is not UTF-8")))
}

impl Pkcs11Config {
    /// Parses `pkcs11:token=<label>?module-path=<lib>&pin-source=file:<path>` (RFC 7512 path
    /// attribute `token`, query attributes `module-path`, `pin-source` or `pin-value`); without
    /// a PIN attribute the PIN is read from `CUSTODIAN_PKCS11_PIN`.
    pub fn parse(uri: &str) -> Result<Pkcs11Config, CoreError> {
        let rest = uri
            .strip_prefix("pkcs11:")
            .ok_or_else(|| CoreError::Keys("a PKCS#11 URI starts with `pkcs11:`".into()))?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (mut token, mut module, mut pin) = (None, None, None);
        for attr in path.split(';').filter(|a| !a.is_empty()) {
            match attr.split_once('=') {
                Some(("token", v)) => token = Some(unescape(v)?),
                Some((k, _)) => {
                    return Err(CoreError::Keys(format!(
                        "PKCS#11 URI: attribute `{k}` is not supported (give token=…)"
                    )));
                }
                None => {
                    return Err(CoreError::Keys(format!(
                        "PKCS#11 URI: bad attribute `{attr}`"
                    )));
                }
            }
        }
        for attr in query.split('&').filter(|a| !a.is_empty()) {
            match attr.split_once('=') {
                Some(("module-path", v)) => module = Some(unescape(v)?),
                Some(("pin-value", v)) => pin = Some(unescape(v)?),
                Some(("pin-source", v)) => {
                    let v = unescape(v)?;
                    let p = v.strip_prefix("file:").unwrap_or(&v);
                    let text = std::fs::read_to_string(p).map_err(|e| {
                        CoreError::Keys(format!("cannot read the PKCS#11 PIN file `{p}`: {e}"))
                    })?;
                    pin = Some(text.trim_end_matches(['\n', '\r']).to_string());
                }
                Some((k, _)) => {
                    return Err(CoreError::Keys(format!(
                        "PKCS#11 URI: query attribute `{k}` is not supported"
                    )));
                }
                None => {
                    return Err(CoreError::Keys(format!(
                        "PKCS#11 URI: bad attribute `{attr}`"
                    )));
                }
            }
        }
        let pin = match pin {
            Some(p) => p,
            None => std::env::var("CUSTODIAN_PKCS11_PIN").map_err(|_| {
                CoreError::Keys(
                    "no PKCS#11 PIN: give pin-source=file:<path> in the URI or set CUSTODIAN_PKCS11_PIN"
                        .into(),
                )
            })?,
        };
        Ok(Pkcs11Config {
            module: module
                .ok_or_else(|| CoreError::Keys("PKCS#11 URI: module-path=… is required".into()))?,
            token: token
                .ok_or_else(|| CoreError::Keys("PKCS#11 URI: token=… is required".into()))?,
            pin: zeroize::Zeroizing::new(pin),
        })
    }
}

/// Epoch keys as non-extractable AES keys in a PKCS#11 token.
pub struct Pkcs11Keys {
    config: Pkcs11Config,
    /// One logged-in session; PKCS#11 sessions are not for concurrent use.
    session: Mutex<Session>,
}

impl std::fmt::Debug for Pkcs11Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs11Keys")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Pkcs11Keys {
    /// Loads the module, finds the token by label and logs in as its user.
    pub fn open(config: Pkcs11Config) -> Result<Pkcs11Keys, CoreError> {
        let ctx = Pkcs11::new(&config.module)
            .map_err(|e| hsm(&format!("cannot load `{}`", config.module), e))?;
        match ctx.initialize(CInitializeArgs::OsThreads) {
            Ok(()) => {}
            // Another holder in this process initialized the library already.
            Err(cryptoki::error::Error::Pkcs11(
                cryptoki::error::RvError::CryptokiAlreadyInitialized,
                _,
            )) => {}
            Err(e) => return Err(hsm("initialize", e)),
        }
        let mut slot = None;
        for s in ctx.get_slots_with_token().map_err(|e| hsm("slots", e))? {
            let info = ctx.get_token_info(s).map_err(|e| hsm("token info", e))?;
            if info.label().trim_end() == config.token {
                slot = Some(s);
                break;
            }
        }
        let slot = slot.ok_or_else(|| {
            CoreError::Keys(format!(
                "PKCS#11: no token labelled `{}` in `{}`",
                config.token, config.module
            ))
        })?;
        let session = ctx
            .open_rw_session(slot)
            .map_err(|e| hsm("open a session", e))?;
        match session.login(UserType::User, Some(&AuthPin::new(config.pin.to_string()))) {
            Ok(()) => {}
            Err(cryptoki::error::Error::Pkcs11(
                cryptoki::error::RvError::UserAlreadyLoggedIn,
                _,
            )) => {}
            Err(e) => return Err(hsm("log in (check the PIN)", e)),
        }
        Ok(Pkcs11Keys {
            config,
            session: Mutex::new(session),
        })
    }

    fn session(&self) -> Result<std::sync::MutexGuard<'_, Session>, CoreError> {
        self.session
            .lock()
            .map_err(|_| CoreError::Keys("PKCS#11 session poisoned".into()))
    }

    /// The epoch's key objects (more than one only if two processes created the epoch at once).
    fn objects(s: &Session, epoch: Epoch) -> Result<Vec<ObjectHandle>, CoreError> {
        s.find_objects(&[
            Attribute::Class(ObjectClass::SECRET_KEY),
            Attribute::Label(label(epoch).into_bytes()),
        ])
        .map_err(|e| hsm("find the epoch key", e))
    }

    /// The object new keys are wrapped with: the one with the lowest id, so every process
    /// picks the same one if two were made.
    fn wrapping_object(s: &Session, epoch: Epoch) -> Result<Option<ObjectHandle>, CoreError> {
        let mut best: Option<(Vec<u8>, ObjectHandle)> = None;
        for h in Self::objects(s, epoch)? {
            let id = s
                .get_attributes(h, &[AttributeType::Id])
                .map_err(|e| hsm("read a key id", e))?
                .into_iter()
                .find_map(|a| match a {
                    Attribute::Id(id) => Some(id),
                    _ => None,
                })
                .unwrap_or_default();
            if best.as_ref().is_none_or(|(b, _)| id < *b) {
                best = Some((id, h));
            }
        }
        Ok(best.map(|(_, h)| h))
    }
}

impl KeyHolder for Pkcs11Keys {
    fn describe(&self) -> String {
        format!(
            "pkcs11 token {} ({})",
            self.config.token, self.config.module
        )
    }

    fn held_epochs(&self) -> Result<Vec<Epoch>, CoreError> {
        let s = self.session()?;
        let mut out = Vec::new();
        for h in s
            .find_objects(&[Attribute::Class(ObjectClass::SECRET_KEY)])
            .map_err(|e| hsm("list keys", e))?
        {
            for a in s
                .get_attributes(h, &[AttributeType::Label])
                .map_err(|e| hsm("read a label", e))?
            {
                if let Attribute::Label(l) = a
                    && let Some(n) = std::str::from_utf8(&l)
                        .ok()
                        .and_then(|l| l.strip_prefix(LABEL_PREFIX))
                        .and_then(|n| n.parse::<Epoch>().ok())
                {
                    out.push(n);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    fn create_epoch(&self, epoch: Epoch) -> Result<(), CoreError> {
        if epoch == LEGACY_EPOCH {
            return Err(CoreError::Keys(
                "epoch 0 is a file KEK's, not a token's".into(),
            ));
        }
        let s = self.session()?;
        if !Self::objects(&s, epoch)?.is_empty() {
            return Ok(());
        }
        let mut id = [0u8; 16];
        crypto::random_bytes(&mut id)?;
        s.generate_key(
            &Mechanism::AesKeyGen,
            &[
                Attribute::Token(true),
                Attribute::Private(true),
                Attribute::Sensitive(true),
                Attribute::Extractable(false),
                Attribute::Encrypt(true),
                Attribute::Decrypt(true),
                Attribute::ValueLen(32.into()),
                Attribute::Label(label(epoch).into_bytes()),
                Attribute::Id(id.to_vec()),
            ],
        )
        .map_err(|e| hsm("generate an epoch key", e))?;
        Ok(())
    }

    fn destroy_epoch(&self, epoch: Epoch) -> Result<(), CoreError> {
        let s = self.session()?;
        for h in Self::objects(&s, epoch)? {
            s.destroy_object(h)
                .map_err(|e| hsm("destroy an epoch key", e))?;
        }
        Ok(())
    }

    fn wrap(&self, epoch: Epoch, key: &DataKey, aad: &[u8]) -> Result<Vec<u8>, CoreError> {
        let s = self.session()?;
        let h = Self::wrapping_object(&s, epoch)?.ok_or_else(|| missing(&self.config, epoch))?;
        let mut iv = [0u8; IV_LEN];
        crypto::random_bytes(&mut iv)?;
        let mut iv_param = iv;
        let params =
            GcmParams::new(&mut iv_param, aad, 128.into()).map_err(|e| hsm("GCM parameters", e))?;
        let ct = s
            .encrypt(&Mechanism::AesGcm(params), h, key.bytes())
            .map_err(|e| hsm("wrap", e))?;
        let mut out = Vec::with_capacity(1 + IV_LEN + ct.len());
        out.push(TOKEN_WRAP_V1);
        out.extend_from_slice(&iv);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    fn unwrap(&self, epoch: Epoch, blob: &[u8], aad: &[u8]) -> Result<DataKey, CoreError> {
        if epoch == LEGACY_EPOCH {
            return Err(CoreError::Keys(
                "this key is wrapped by a file KEK from before epochs: rotate the epoch under the \
                 file holder before moving the cell to a token"
                    .into(),
            ));
        }
        let (v, rest) = blob
            .split_first()
            .ok_or_else(|| CoreError::Integrity("empty wrapped key".into()))?;
        if *v != TOKEN_WRAP_V1 || rest.len() < IV_LEN + 16 {
            return Err(CoreError::Integrity(
                "the wrapped key was not made by a PKCS#11 holder, or is truncated".into(),
            ));
        }
        let (iv, ct) = rest.split_at(IV_LEN);
        let s = self.session()?;
        let objects = Self::objects(&s, epoch)?;
        if objects.is_empty() {
            return Err(missing(&self.config, epoch));
        }
        // Normally one object; if two processes made the epoch at once, the one that opens it.
        for h in objects {
            let mut iv =
                <[u8; IV_LEN]>::try_from(iv).map_err(|_| CoreError::Integrity("bad IV".into()))?;
            let params =
                GcmParams::new(&mut iv, aad, 128.into()).map_err(|e| hsm("GCM parameters", e))?;
            if let Ok(mut plain) = s.decrypt(&Mechanism::AesGcm(params), h, ct) {
                let key = DataKey::from_slice(&plain);
                zeroize::Zeroize::zeroize(&mut plain);
                return key
                    .ok_or_else(|| CoreError::Integrity("wrapped key is not 32 bytes".into()));
            }
        }
        Err(CoreError::Integrity(
            "wrapped key does not open: wrong epoch, moved key or tampering".into(),
        ))
    }

    fn rotate_kek(&self) -> Result<(), CoreError> {
        Err(CoreError::Conflict(
            "the epoch keys live in the PKCS#11 token and never leave it: there is no KEK outside \
             it to rotate; rotate the epoch instead"
                .into(),
        ))
    }
}

fn missing(c: &Pkcs11Config, epoch: Epoch) -> CoreError {
    CoreError::Keys(format!(
        "the PKCS#11 token `{}` has no key for epoch {epoch}: it was destroyed, or the cell is \
         pointed at another token",
        c.token
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_parse_and_bad_ones_are_named() {
        let c = Pkcs11Config::parse(
            "pkcs11:token=my%20cell?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234",
        )
        .unwrap();
        assert_eq!(c.token, "my cell");
        assert_eq!(c.module, "/usr/lib/softhsm/libsofthsm2.so");
        assert_eq!(c.pin.as_str(), "1234");
        assert!(
            !format!("{c:?}").contains("1234"),
            "the PIN is not in Debug"
        );
        for (bad, says) in [
            ("file:/x", "pkcs11:"),
            ("pkcs11:token=a?pin-value=1", "module-path"),
            ("pkcs11:?module-path=/m&pin-value=1", "token"),
            ("pkcs11:slot-id=1?module-path=/m&pin-value=1", "slot-id"),
            ("pkcs11:token=a?module-path=/m&pin-value=%zz", "escape"),
        ] {
            let e = Pkcs11Config::parse(bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
