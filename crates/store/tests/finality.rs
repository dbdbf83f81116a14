//! An erasure whose key the operator keeps from being deleted on SQLite (a trigger on the key
//! file's table) is never called final, and its key never outlives the epoch it was under.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::sync::Arc;

use custodian_conformance as conformance;
use custodian_core::Store;
use custodian_core::access::{AdminScope, DpoScope, RegulatorScope, Scope};
use custodian_core::ids::TenantId;
use custodian_core::keyring::MemoryKeys;
use custodian_ledger::EntryKind;
use custodian_store::SqliteStore;

#[expect(dead_code, reason = "some helpers are the other files'")]
mod cell;
use cell::*;

/// The key's deletion after the erasure fails (a trigger aborts it): the erasure answers an
/// error, a rotation neither re-wraps the erased subject's key nor retires its epoch, and the
/// erasure stays pending. The trigger dropped, the next rotation deletes the key with its
/// epoch and the erasure is final.
#[test]
fn a_key_kept_from_deletion_keeps_its_erasure_pending() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("store");
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir).unwrap());
    let v = conformance::vault_with(
        store.clone(),
        Arc::new(MemoryKeys::new(conformance::TEST_KEK)),
    )
    .unwrap();
    let ride = TenantId::parse("ride").unwrap();
    v.load_manifest(&AdminScope::new(), &ride, conformance::RIDE_HAILING)
        .unwrap();
    let (victim, _) = one_more(&v);
    let (_, kept) = one_more(&v);
    let keys = rusqlite::Connection::open(dir.join("keys.db")).unwrap();
    keys.execute_batch(
        "CREATE TRIGGER keep BEFORE DELETE ON subject_keys BEGIN SELECT RAISE(ABORT, 'kept'); END;",
    )
    .unwrap();
    let erased = v.erase_subject(&DpoScope::new(ride.clone()), &victim);
    assert!(erased.is_err(), "the key's deletion failed: {erased:?}");
    let size = v.ledger_size();
    let index = v
        .ledger_entries(0, size)
        .unwrap()
        .into_iter()
        .find(|(_, e)| {
            e.kind == EntryKind::Erase
                && e.subject.as_ref().map(|s| s.as_str()) == Some(victim.as_str())
        })
        .map(|(i, _)| i)
        .expect("the erasure is recorded");
    // Read from the key file as someone with the files would.
    let under = || -> Option<u32> {
        keys.query_row(
            "SELECT epoch FROM subject_keys WHERE tenant = 'ride' AND subject = ?1",
            [victim.as_str()],
            |r| r.get(0),
        )
        .ok()
    };
    assert_eq!(under(), Some(1));

    let rotated = v.rotate_epoch(&AdminScope::new());
    assert!(rotated.is_err(), "epoch 1 cannot be retired: {rotated:?}");
    assert_eq!(
        under(),
        Some(1),
        "the erased subject's key was not re-wrapped under the new epoch"
    );
    let regulator = Scope::Regulator(RegulatorScope::new());
    let f = v.erasure_finality(&regulator, index, None, None).unwrap();
    assert!(f.proof.is_none(), "pending while the key is there: {f:?}");

    keys.execute_batch("DROP TRIGGER keep").unwrap();
    let r = v.rotate_epoch(&AdminScope::new()).unwrap();
    assert!(r.destroyed.contains(&1), "{r:?}");
    assert_eq!(under(), None, "the key went with its epoch");
    let f = v.erasure_finality(&regulator, index, None, None).unwrap();
    assert!(f.proof.is_some(), "final once epoch 1 is destroyed: {f:?}");
    let svc =
        custodian_core::access::ServiceScope::new(ride.clone(), conformance::first_service(&ride));
    let back = v
        .detokenize(
            &svc,
            &custodian_core::ids::PurposeId::parse("dispatch").unwrap(),
            std::slice::from_ref(&kept),
            custodian_core::Reveal::Clear,
        )
        .unwrap();
    assert_eq!(
        back[0].value.expose(),
        "13812345678",
        "the live subject reads on"
    );
}

/// A holder whose destruction of epochs fails while `refuse` is set.
struct Stubborn {
    inner: MemoryKeys,
    refuse: std::sync::atomic::AtomicBool,
}

impl custodian_core::keyring::KeyHolder for Stubborn {
    fn describe(&self) -> String {
        self.inner.describe()
    }
    fn held_epochs(&self) -> Result<Vec<u32>, custodian_core::CoreError> {
        self.inner.held_epochs()
    }
    fn create_epoch(&self, epoch: u32) -> Result<(), custodian_core::CoreError> {
        self.inner.create_epoch(epoch)
    }
    fn destroy_epoch(&self, epoch: u32) -> Result<(), custodian_core::CoreError> {
        if self.refuse.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(custodian_core::CoreError::Keys("the token is away".into()));
        }
        self.inner.destroy_epoch(epoch)
    }
    fn wrap(
        &self,
        epoch: u32,
        key: &custodian_core::crypto::DataKey,
        aad: &[u8],
    ) -> Result<Vec<u8>, custodian_core::CoreError> {
        self.inner.wrap(epoch, key, aad)
    }
    fn unwrap(
        &self,
        epoch: u32,
        blob: &[u8],
        aad: &[u8],
    ) -> Result<custodian_core::crypto::DataKey, custodian_core::CoreError> {
        self.inner.unwrap(epoch, blob, aad)
    }
    fn rotate_kek(&self) -> Result<(), custodian_core::CoreError> {
        self.inner.rotate_kek()
    }
}

/// The ledger records an epoch's destruction when the store retires it, before the holder
/// destroys its key: while the holder still has it (its destruction failed), the erasure is
/// not called final; once destroyed, it is.
#[test]
fn an_epoch_the_holder_still_has_keeps_its_erasures_pending() {
    let d = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&d.path().join("store")).unwrap());
    let holder = Arc::new(Stubborn {
        inner: MemoryKeys::new(conformance::TEST_KEK),
        refuse: true.into(),
    });
    let v = conformance::vault_with(store, holder.clone()).unwrap();
    let ride = TenantId::parse("ride").unwrap();
    v.load_manifest(&AdminScope::new(), &ride, conformance::RIDE_HAILING)
        .unwrap();
    let (victim, _) = one_more(&v);
    let receipt = v
        .erase_subject(&DpoScope::new(ride.clone()), &victim)
        .unwrap();
    assert!(
        v.rotate_epoch(&AdminScope::new()).is_err(),
        "the destruction failed"
    );
    let regulator = Scope::Regulator(RegulatorScope::new());
    let f = v
        .erasure_finality(&regulator, receipt.index, None, None)
        .unwrap();
    assert!(f.proof.is_none(), "epoch 1 is still held: {f:?}");
    holder
        .refuse
        .store(false, std::sync::atomic::Ordering::SeqCst);
    v.rotate_epoch(&AdminScope::new()).unwrap();
    let f = v
        .erasure_finality(&regulator, receipt.index, None, None)
        .unwrap();
    assert!(f.proof.is_some(), "epoch 1 destroyed: {f:?}");
}

/// An epoch the holder has above every one the store records — a store put back from a backup
/// taken before it, or a rotation cut after making its key — is begun at open with every number
/// below it, so the ledger shows it in force. A copy wrapped under it (a newer backup's key) opens until it is
/// destroyed; an erasure after the open is final only then, never by a rotation that would
/// begin that epoch again as if new.
#[test]
fn an_epoch_held_beyond_the_store_is_begun_at_open() {
    use custodian_core::keyring::KeyHolder as _;
    let d = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&d.path().join("store")).unwrap());
    let holder = Arc::new(MemoryKeys::new(conformance::TEST_KEK));
    holder.create_epoch(1).unwrap();
    holder.create_epoch(3).unwrap();
    let key = custodian_core::crypto::DataKey::generate().unwrap();
    let copy = holder.wrap(3, &key, b"a newer backup's key").unwrap();
    let v = conformance::vault_with(store, holder.clone()).unwrap();
    let status = v.key_status(&AdminScope::new()).unwrap();
    let begun: Vec<u32> = status.epochs.iter().map(|e| e.epoch).collect();
    assert_eq!(
        (status.current, begun),
        (3, vec![1, 2, 3]),
        "one number after another"
    );
    let ride = TenantId::parse("ride").unwrap();
    v.load_manifest(&AdminScope::new(), &ride, conformance::RIDE_HAILING)
        .unwrap();
    let (victim, _) = one_more(&v);
    let receipt = v
        .erase_subject(&DpoScope::new(ride.clone()), &victim)
        .unwrap();
    let regulator = Scope::Regulator(RegulatorScope::new());
    let f = v
        .erasure_finality(&regulator, receipt.index, None, None)
        .unwrap();
    assert_eq!((f.epoch, f.proof.is_some()), (3, false), "{f:?}");
    let r = v.rotate_epoch(&AdminScope::new()).unwrap();
    assert_eq!((r.from, r.to), (3, 4), "{r:?}");
    assert!(
        holder.unwrap(3, &copy, b"a newer backup's key").is_err(),
        "the newer backup's copy opens no more"
    );
    let f = v
        .erasure_finality(&regulator, receipt.index, None, None)
        .unwrap();
    assert_eq!((f.epoch, f.proof.is_some()), (3, true), "{f:?}");
}
