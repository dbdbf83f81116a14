//! The key hierarchy: the key-encryption key (KEK) → **epoch keys** → tenant and subject data
//! keys → sealed values.
//!
//! Data keys are wrapped under the cell's current epoch key and stored (with the epoch number)
//! beside the data. Epoch keys live only in the [`KeyHolder`] — a key file outside the data
//! directory, or a PKCS#11 token — never in the store, so a copy of the store (a backup, a
//! dump, a disk image) holds data keys wrapped under epochs, not the epochs themselves.
//!
//! Rotating the epoch (daily by default) re-wraps every live data key under a new epoch key and
//! destroys the old one in the holder. A copy of the store taken before an erasure then holds
//! the erased subject's key only under an epoch that no longer exists anywhere: the erasure
//! reaches every backup within one rotation.
//!
//! Epoch 0 names keys wrapped directly by the KEK, as cells stored them before epochs existed;
//! a holder that has a KEK unwraps them, none wraps new ones. The first rotation moves them
//! under an epoch; rotating the KEK afterwards makes copies taken before useless too.

use std::collections::BTreeMap;
use std::sync::Mutex;

use zeroize::Zeroizing;

use crate::crypto::{self, DataKey};
use crate::error::CoreError;

pub use crate::ids::{Epoch, LEGACY_EPOCH};

/// Where the cell's KEK and epoch keys live. Every method is safe to call from several threads.
pub trait KeyHolder: Send + Sync {
    /// What and where the holder is (`file /etc/custodian/kek.key`, `pkcs11 token …`), for
    /// status and logs; never key material.
    fn describe(&self) -> String;
    /// The epochs whose keys the holder has, ascending.
    fn held_epochs(&self) -> Result<Vec<Epoch>, CoreError>;
    /// Creates the key of `epoch` (nothing if the holder has it already).
    fn create_epoch(&self, epoch: Epoch) -> Result<(), CoreError>;
    /// Destroys the key of `epoch`: afterwards nothing the holder keeps unwraps a key wrapped
    /// under it. Nothing if it has none.
    fn destroy_epoch(&self, epoch: Epoch) -> Result<(), CoreError>;
    /// Wraps a data key under `epoch`; `aad` names what the key is for.
    fn wrap(&self, epoch: Epoch, key: &DataKey, aad: &[u8]) -> Result<Vec<u8>, CoreError>;
    /// Unwraps a data key wrapped under `epoch`.
    fn unwrap(&self, epoch: Epoch, blob: &[u8], aad: &[u8]) -> Result<DataKey, CoreError>;
    /// Replaces the KEK and re-wraps the epoch keys under the new one (no data key or value
    /// changes). A holder whose epoch keys never leave it refuses, saying so.
    fn rotate_kek(&self) -> Result<(), CoreError>;
    /// Whether wrapping and unwrapping are done in this process's memory (no device or
    /// network round trip), so an act may unwrap on an async task's thread. `false` (the
    /// default): acts that unwrap run on a thread that may block.
    fn in_process(&self) -> bool {
        false
    }
}

/// Associated data of an epoch key wrapped by a KEK.
pub fn epoch_key_aad(epoch: Epoch) -> Vec<u8> {
    format!("custodian/epoch-key/v1\n{epoch}").into_bytes()
}

pub(crate) fn missing_epoch(holder: &str, epoch: Epoch) -> CoreError {
    CoreError::Keys(format!(
        "the key holder ({holder}) has no key for epoch {epoch}: it was destroyed, or the cell \
         is pointed at another holder"
    ))
}

/// Epoch keys in memory under a KEK given as bytes: for tests and examples, where nothing needs
/// to outlive the process.
pub struct MemoryKeys {
    kek: Mutex<Zeroizing<[u8; 32]>>,
    epochs: Mutex<BTreeMap<Epoch, DataKey>>,
}

impl std::fmt::Debug for MemoryKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemoryKeys(<redacted>)")
    }
}

impl MemoryKeys {
    /// A holder with this KEK and no epochs.
    pub fn new(kek: [u8; 32]) -> MemoryKeys {
        MemoryKeys {
            kek: Mutex::new(Zeroizing::new(kek)),
            epochs: Mutex::new(BTreeMap::new()),
        }
    }

    fn epoch_key(&self, epoch: Epoch) -> Result<Option<DataKey>, CoreError> {
        Ok(self
            .epochs
            .lock()
            .map_err(|_| CoreError::Keys("key holder poisoned".into()))?
            .get(&epoch)
            .cloned())
    }

    fn kek(&self) -> Result<Zeroizing<[u8; 32]>, CoreError> {
        Ok(self
            .kek
            .lock()
            .map_err(|_| CoreError::Keys("key holder poisoned".into()))?
            .clone())
    }
}

impl KeyHolder for MemoryKeys {
    fn describe(&self) -> String {
        "memory".into()
    }

    fn in_process(&self) -> bool {
        true
    }

    fn held_epochs(&self) -> Result<Vec<Epoch>, CoreError> {
        Ok(self
            .epochs
            .lock()
            .map_err(|_| CoreError::Keys("key holder poisoned".into()))?
            .keys()
            .copied()
            .collect())
    }

    fn create_epoch(&self, epoch: Epoch) -> Result<(), CoreError> {
        if epoch == LEGACY_EPOCH {
            return Err(CoreError::Keys("epoch 0 is the KEK itself".into()));
        }
        let mut m = self
            .epochs
            .lock()
            .map_err(|_| CoreError::Keys("key holder poisoned".into()))?;
        if let std::collections::btree_map::Entry::Vacant(v) = m.entry(epoch) {
            v.insert(DataKey::generate()?);
        }
        Ok(())
    }

    fn destroy_epoch(&self, epoch: Epoch) -> Result<(), CoreError> {
        self.epochs
            .lock()
            .map_err(|_| CoreError::Keys("key holder poisoned".into()))?
            .remove(&epoch);
        Ok(())
    }

    fn wrap(&self, epoch: Epoch, key: &DataKey, aad: &[u8]) -> Result<Vec<u8>, CoreError> {
        let k = self
            .epoch_key(epoch)?
            .ok_or_else(|| missing_epoch("memory", epoch))?;
        crypto::wrap_key(k.bytes(), key, aad)
    }

    fn unwrap(&self, epoch: Epoch, blob: &[u8], aad: &[u8]) -> Result<DataKey, CoreError> {
        if epoch == LEGACY_EPOCH {
            return crypto::unwrap_key(&*self.kek()?, blob, aad);
        }
        let k = self
            .epoch_key(epoch)?
            .ok_or_else(|| missing_epoch("memory", epoch))?;
        crypto::unwrap_key(k.bytes(), blob, aad)
    }

    fn rotate_kek(&self) -> Result<(), CoreError> {
        // Epoch keys are held in clear in memory: only the KEK (legacy epoch 0) changes.
        *self
            .kek
            .lock()
            .map_err(|_| CoreError::Keys("key holder poisoned".into()))? = crypto::random_key()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destroyed_epoch_unwraps_nothing() {
        let h = MemoryKeys::new([3; 32]);
        h.create_epoch(1).unwrap();
        let k = DataKey::generate().unwrap();
        let w = h.wrap(1, &k, b"a").unwrap();
        assert_eq!(h.unwrap(1, &w, b"a").unwrap().bytes(), k.bytes());
        assert!(h.unwrap(1, &w, b"b").is_err(), "other associated data");
        h.create_epoch(2).unwrap();
        assert!(h.unwrap(2, &w, b"a").is_err(), "other epoch");
        h.destroy_epoch(1).unwrap();
        assert!(h.unwrap(1, &w, b"a").is_err());
        assert!(h.wrap(1, &k, b"a").is_err());
        assert_eq!(h.held_epochs().unwrap(), vec![2]);
        assert!(h.create_epoch(LEGACY_EPOCH).is_err());
    }
}
