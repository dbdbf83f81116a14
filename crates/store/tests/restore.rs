//! Restores of a SQLite cell's backup beside the cell's own keys: subjects erased since the
//! backup stay erased, values re-keyed since are deleted, holds released since do not stop it,
//! and the ledger records the restore and each of them.
#![cfg(unix)]
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use custodian_conformance as conformance;
use custodian_core::Store;
use custodian_store::SqliteStore;

#[expect(dead_code, reason = "some helpers are files.rs's")]
mod cell;
use cell::*;

/// An erased subject does not come back from a backup taken before its erasure. A copy of
/// `vault.db` put back by hand beside the live `keys.db` is refused at open (the ledger would
/// have gone back without a trace, and the erased subject's ciphertext with it); a restore
/// beside a key file older than the backup is refused; restored with `restore_sqlite` beside
/// the cell's keys, its ciphertext is deleted again, no key opens it, the ledger records the
/// erasure again, and the other subject reads.
#[test]
fn erased_subject_does_not_decrypt_from_a_backup() {
    use custodian_core::Reveal;
    use custodian_core::access::{DpoScope, ServiceScope};
    use custodian_core::ids::{PurposeId, TenantId};
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("store");
    let kept_token = a_cell(&dir);
    let store = std::sync::Arc::new(SqliteStore::open(&dir).unwrap());
    let v = conformance::vault(store.clone()).unwrap();
    let older_keys = d.path().join("keys-older.db");
    copy_of(&dir, "keys.db", &older_keys);
    let (erased, erased_token) = one_more(&v);
    let backup = d.path().join("backup");
    store.snapshot(&backup).unwrap();
    let by_hand = d.path().join("vault-by-hand.db");
    copy_of(&dir, "vault.db", &by_hand);
    let ride = TenantId::parse("ride").unwrap();
    v.erase_subject(&DpoScope::new(ride.clone()), &erased)
        .unwrap();
    drop(v);
    drop(store);
    put_back(&dir, "vault.db", &by_hand);
    let e = SqliteStore::open(&dir).err().unwrap().to_string();
    assert!(e.contains("removed outside Custodian"), "{e}");
    std::fs::remove_file(dir.join("vault.db")).unwrap();
    // Beside a key file older than the backup: refused before anything is copied in (the
    // subject registered between the two would be taken for erased since the backup).
    let current_keys = d.path().join("keys-current.db");
    copy_of_keys_only(&dir, &current_keys);
    put_back(&dir, "keys.db", &older_keys);
    let e = custodian_store::backup::restore_sqlite(&backup, &dir, false)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("older than the backup"), "{e}");
    assert!(!dir.join("vault.db").exists());
    put_back(&dir, "keys.db", &current_keys);
    let r = custodian_store::backup::restore_sqlite(&backup, &dir, false).unwrap();
    assert_eq!(r.erased_since, vec![(ride.clone(), erased.clone())]);
    let store = std::sync::Arc::new(SqliteStore::open(&dir).unwrap());
    let v = conformance::vault(store.clone()).unwrap();
    assert_eq!(
        erasures_recorded(store.as_ref(), &erased, "erased_since_backup"),
        1
    );
    // The restore is recorded by the first open after it, in the job that records its
    // erasure, the restore first: a restore cut before then is recorded all the same.
    let tail = |store: &SqliteStore| {
        let head = store.ledger_head().unwrap().size.get();
        let last: Vec<(custodian_ledger::EntryKind, Option<String>)> = store
            .ledger_entries(head - 2, head)
            .unwrap()
            .iter()
            .map(|(_, b)| {
                let e = custodian_ledger::Entry::decode(b).unwrap();
                (e.kind, e.reason.map(|r| r.as_str().to_string()))
            })
            .collect();
        (head, last)
    };
    let (head, last) = tail(&store);
    assert_eq!(head, r.ledger_size + 2);
    assert_eq!(
        last,
        [
            (
                custodian_ledger::EntryKind::ConfigChange,
                Some("backup_restored".to_string())
            ),
            (
                custodian_ledger::EntryKind::Erase,
                Some("erased_since_backup".to_string())
            ),
        ]
    );
    let svc = ServiceScope::new(ride.clone(), conformance::first_service(&ride));
    let dispatch = PurposeId::parse("dispatch").unwrap();
    assert!(
        v.detokenize(&svc, &dispatch, &[erased_token], Reveal::Clear)
            .is_err()
    );
    assert!(
        v.export_subject(&DpoScope::new(ride.clone()), &erased)
            .unwrap()
            .values
            .is_empty()
    );
    drop(v);
    drop(store);
    reads_back(&dir, &kept_token);
    // Recorded once, whatever the opens since.
    let store = SqliteStore::open(&dir).unwrap();
    let restores = conformance::entries_with_reason(&store, "backup_restored").unwrap();
    assert_eq!(restores.len(), 1);
    assert_eq!(erasures_recorded(&store, &erased, "erased_since_backup"), 1);
}

/// A subject re-keyed after a backup (a rectification): restored beside the cell's own keys,
/// the backup's values of it are sealed under a key the cell no longer keeps. The restore
/// reports the subject and deletes those values, the ledger records it (the subject stays), so
/// reads find no value (not a value that cannot be opened), the person's copy reads, and the
/// subject collects again.
#[test]
fn values_re_keyed_after_a_backup_are_reported_by_the_restore() {
    use custodian_core::Reveal;
    use custodian_core::access::{DpoScope, ServiceScope};
    use custodian_core::ids::{FieldName, PurposeId, TenantId};
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("store");
    a_cell(&dir);
    let store = std::sync::Arc::new(SqliteStore::open(&dir).unwrap());
    let v = conformance::vault(store.clone()).unwrap();
    let (s, token) = one_more(&v);
    let backup = d.path().join("backup");
    store.snapshot(&backup).unwrap();
    let ride = TenantId::parse("ride").unwrap();
    v.rectify(&DpoScope::new(ride.clone()), &s, &token, "13900003333")
        .unwrap();
    drop(v);
    drop(store);
    for f in ["vault.db", "vault.db-wal", "vault.db-shm"] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    let r = custodian_store::backup::restore_sqlite(&backup, &dir, false).unwrap();
    assert_eq!(r.rekeyed_since, vec![(ride.clone(), s.clone())]);
    assert!(r.erased_since.is_empty());
    let store = std::sync::Arc::new(SqliteStore::open(&dir).unwrap());
    let v = conformance::vault(store.clone()).unwrap();
    assert_eq!(
        erasures_recorded(store.as_ref(), &s, "values_rekeyed_since_backup"),
        1,
        "the ledger records the values the restore deleted"
    );
    assert!(!store.subject(&ride, &s).unwrap().unwrap().0.erased);
    // The compliance report does not take the deleted values for an erased subject.
    let report = v
        .compliance_report(
            &custodian_core::access::Scope::Dpo(DpoScope::new(ride.clone())),
            &ride,
        )
        .unwrap();
    assert_eq!((report.subjects.registered, report.subjects.erased), (2, 0));
    let svc = ServiceScope::new(ride.clone(), conformance::first_service(&ride));
    let dispatch = PurposeId::parse("dispatch").unwrap();
    let e = v
        .detokenize(&svc, &dispatch, std::slice::from_ref(&token), Reveal::Clear)
        .unwrap_err();
    assert!(e.to_string().contains("not found"), "{e}");
    let copy = v.export_subject(&DpoScope::new(ride.clone()), &s).unwrap();
    assert!(copy.values.is_empty());
    let again = v
        .collect(
            &svc,
            &s,
            &dispatch,
            &[(FieldName::parse("phone").unwrap(), "13900003333")],
        )
        .unwrap();
    let back = v
        .detokenize(&svc, &dispatch, &[again[0].token.clone()], Reveal::Clear)
        .unwrap();
    assert_eq!(back[0].value.expose(), "13900003333");
}

/// A re-key's staged key whose batch never reached vault.db (a crash after the staging commit,
/// or a batch that failed) is dropped at open, and the values read under the key they are
/// sealed under; one whose batch did is the key (`keys.rs`: a rectification cut between the
/// files).
#[test]
fn a_staged_key_without_its_values_is_dropped_at_open() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("store");
    let token = a_cell(&dir);
    settle(&dir);
    let keys = rusqlite::Connection::open(dir.join("keys.db")).unwrap();
    let staged = keys
        .execute(
            "UPDATE subject_keys SET next_wrapped = X'00112233', next_epoch = epoch,
               next_gen = gen + 1",
            [],
        )
        .unwrap();
    assert_eq!(staged, 1);
    drop(keys);
    reads_back(&dir, &token);
    let left: i64 = rusqlite::Connection::open(dir.join("keys.db"))
        .unwrap()
        .query_row(
            "SELECT count(*) FROM subject_keys WHERE next_wrapped IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
}

/// A subject the backup holds under a legal hold, released and erased after the backup, is
/// erased again by a restore beside the cell's keys, under its own reason in the ledger (no
/// held subject is ever erased: its hold was released — or its key removed by hand, which the
/// reason lets a regulator ask about). Before, the restore left a vault.db whose open refused
/// the held subject without its key, and a retry found a store already there. A restore cut
/// before it finished (its copy left under another name) is started again.
#[test]
fn a_hold_released_after_the_backup_does_not_stop_the_restore() {
    use custodian_core::access::DpoScope;
    use custodian_core::ids::{HoldReason, TenantId};
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("store");
    a_cell(&dir);
    let store = std::sync::Arc::new(SqliteStore::open(&dir).unwrap());
    let v = conformance::vault(store.clone()).unwrap();
    let (s, _) = one_more(&v);
    let ride = TenantId::parse("ride").unwrap();
    let dpo = DpoScope::new(ride.clone());
    v.set_legal_hold(&dpo, &s, Some(&HoldReason::parse("case-1").unwrap()))
        .unwrap();
    let backup = d.path().join("backup");
    store.snapshot(&backup).unwrap();
    v.set_legal_hold(&dpo, &s, None).unwrap();
    v.erase_subject(&dpo, &s).unwrap();
    drop(v);
    drop(store);
    for f in ["vault.db", "vault.db-wal", "vault.db-shm"] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    // What a restore cut by a crash leaves: its copy under another name.
    std::fs::write(dir.join("vault.db.restoring"), b"cut short").unwrap();
    let r = custodian_store::backup::restore_sqlite(&backup, &dir, false).unwrap();
    assert_eq!(r.erased_since, vec![(ride.clone(), s.clone())]);
    assert_eq!(r.erased_under_hold, r.erased_since);
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restoring"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let store = std::sync::Arc::new(SqliteStore::open(&dir).unwrap());
    drop(conformance::vault(store.clone()).unwrap());
    assert!(store.subject(&ride, &s).unwrap().unwrap().0.erased);
    assert_eq!(
        erasures_recorded(store.as_ref(), &s, "erased_since_backup_held_in_it"),
        1,
        "recorded under its own reason: the hold released, or the key removed by hand"
    );
}
