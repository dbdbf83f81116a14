//! Custodian's key holders: where a cell's key-encryption key (KEK) and epoch keys live,
//! outside the store (see `custodian_core::keyring` for the hierarchy).
//!
//! - [`FileKeys`]: the KEK in a file and the epoch keys, wrapped by it, in a directory beside
//!   it — the zero-setup default, best kept outside the data directory.
//! - [`Pkcs11Keys`]: the epoch keys as non-extractable AES keys in a PKCS#11 token (an HSM),
//!   where wrapping and unwrapping happen; configured by a `pkcs11:` URI ([`Pkcs11Config`]).
//!
//! [`open_holder`] picks one from the cell's `kek` setting.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod file;
mod pkcs11;

use std::path::Path;
use std::sync::Arc;

use custodian_core::CoreError;
use custodian_core::keyring::KeyHolder;

pub use file::{FileKeys, owners_alone};
pub use pkcs11::{Pkcs11Config, Pkcs11Keys};

/// Opens the key holder a cell's `kek` setting names: a `pkcs11:` URI, or a file (created if
/// missing when `create` is set; a maintenance command passes `false`).
pub fn open_holder(kek: &Path, create: bool) -> Result<Arc<dyn KeyHolder>, CoreError> {
    if let Some(uri) = kek.to_str().filter(|s| s.starts_with("pkcs11:")) {
        return Ok(Arc::new(Pkcs11Keys::open(Pkcs11Config::parse(uri)?)?));
    }
    Ok(if create {
        Arc::new(FileKeys::open(kek)?)
    } else {
        Arc::new(FileKeys::open_existing(kek)?)
    })
}
