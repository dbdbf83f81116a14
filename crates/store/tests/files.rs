//! The SQLite store's files are the owner's alone: the directory 0700, the databases, their
//! write-ahead logs and a snapshot's files 0600 — from creation, and narrowed at open for a
//! store made before. Files that are not this build's to open (a key file missing or from
//! another time, a schema a newer release wrote) stop the open and stay as they were.
#![cfg(unix)]
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use custodian_conformance as conformance;
use custodian_core::Store;
use custodian_store::SqliteStore;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn store_files_are_the_owners_alone() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("store");
    let store = std::sync::Arc::new(SqliteStore::open(&dir).unwrap());
    conformance::one_transfer(&conformance::vault(store.clone()).unwrap()).unwrap();
    assert_eq!(mode(&dir), 0o700);
    let mut seen = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".db") || name.ends_with("-wal") || name.ends_with("-shm") {
            assert_eq!(mode(&p), 0o600, "{name}");
            seen += 1;
        }
    }
    assert!(seen >= 4, "both databases and their logs ({seen} files)");
    let out = d.path().join("backup");
    store.snapshot(&out).unwrap();
    assert_eq!(mode(&out), 0o700);
    for f in ["vault.db", "keys.db"] {
        assert_eq!(mode(&out.join(f)), 0o600, "{f}");
    }
    drop(store);
    // A store made before (world-readable files): narrowed at open.
    std::fs::set_permissions(dir.join("vault.db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    drop(SqliteStore::open(&dir).unwrap());
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("vault.db")), 0o600);
}

/// A cell with subjects and values, its directory and a token of a value.
fn a_cell(dir: &Path) -> custodian_core::ids::Token {
    let store = std::sync::Arc::new(SqliteStore::open(dir).unwrap());
    let v = conformance::vault(store).unwrap();
    let ride = custodian_core::ids::TenantId::parse("ride").unwrap();
    v.load_manifest(
        &custodian_core::access::AdminScope::new(),
        &ride,
        conformance::RIDE_HAILING,
    )
    .unwrap();
    one_more(&v).1
}

/// Registers one more subject of `ride` (one write to keys.db) and collects a value of it:
/// the subject and the value's token.
fn one_more(
    v: &custodian_core::Vault,
) -> (custodian_core::ids::SubjectId, custodian_core::ids::Token) {
    use custodian_core::access::{DpoScope, ServiceScope};
    use custodian_core::ids::{FieldName, Jurisdiction, PurposeId, TenantId};
    let ride = TenantId::parse("ride").unwrap();
    let svc = ServiceScope::new(ride.clone(), conformance::first_service(&ride));
    let s = v
        .register(&svc, &Jurisdiction::parse("CN").unwrap(), None, false)
        .unwrap();
    let dispatch = PurposeId::parse("dispatch").unwrap();
    let grant = custodian_core::decision::ConsentChange::Grant {
        separate: true,
        by_guardian: false,
    };
    v.change_consent(&DpoScope::new(ride.clone()), &s, &dispatch, grant)
        .unwrap();
    let got = v
        .collect(
            &svc,
            &s,
            &dispatch,
            &[(FieldName::parse("phone").unwrap(), "13812345678")],
        )
        .unwrap();
    (s, got[0].token.clone())
}

/// Registers one more subject in the cell in `dir` and nothing else (its registration is the
/// last write), opened and closed for it.
fn registered_only(dir: &Path) -> custodian_core::ids::SubjectId {
    use custodian_core::access::ServiceScope;
    use custodian_core::ids::{Jurisdiction, TenantId};
    let v = conformance::vault(std::sync::Arc::new(SqliteStore::open(dir).unwrap())).unwrap();
    let ride = TenantId::parse("ride").unwrap();
    let svc = ServiceScope::new(ride.clone(), conformance::first_service(&ride));
    v.register(&svc, &Jurisdiction::parse("CN").unwrap(), None, false)
        .unwrap()
}

/// One more subject in the cell in `dir`, opened and closed for it.
fn another_subject(dir: &Path) -> custodian_core::ids::SubjectId {
    let v = conformance::vault(std::sync::Arc::new(SqliteStore::open(dir).unwrap())).unwrap();
    one_more(&v).0
}

/// Both files' write-ahead logs checkpointed into them and truncated.
fn settle(dir: &Path) {
    for f in ["vault.db", "keys.db"] {
        rusqlite::Connection::open(dir.join(f))
            .unwrap()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
}

/// A copy of one of the cell's files, settled first.
fn copy_of(dir: &Path, file: &str, to: &Path) {
    settle(dir);
    std::fs::copy(dir.join(file), to).unwrap();
}

/// Puts a copy back as one of the cell's files (its write-ahead log gone with the file).
fn put_back(dir: &Path, file: &str, from: &Path) {
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{file}{ext}")));
    }
    std::fs::copy(from, dir.join(file)).unwrap();
}

/// A copy of the cell's keys.db alone (its log checkpointed into it first).
fn copy_of_keys_only(dir: &Path, to: &Path) {
    rusqlite::Connection::open(dir.join("keys.db"))
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    std::fs::copy(dir.join("keys.db"), to).unwrap();
}

/// The bytes of the cell's database files.
fn db_bytes(dir: &Path) -> Vec<Vec<u8>> {
    ["vault.db", "keys.db"]
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect()
}

/// The value behind `token` reads back in the cell in `dir`.
fn reads_back(dir: &Path, token: &custodian_core::ids::Token) {
    use custodian_core::access::ServiceScope;
    use custodian_core::ids::{PurposeId, TenantId};
    let store = std::sync::Arc::new(SqliteStore::open(dir).unwrap());
    let v = conformance::vault(store).unwrap();
    let ride = TenantId::parse("ride").unwrap();
    let svc = ServiceScope::new(ride.clone(), conformance::first_service(&ride));
    let back = v
        .detokenize(
            &svc,
            &PurposeId::parse("dispatch").unwrap(),
            std::slice::from_ref(token),
            custodian_core::Reveal::Clear,
        )
        .unwrap();
    assert_eq!(back[0].value.expose(), "13812345678");
}

/// A vault.db whose keys.db is not beside it (a volume not mounted, one file copied without the
/// other) is not opened: opening would have set up an empty key file and taken every subject
/// for erased, deleting their values. With the key file back, everything reads.
#[test]
fn a_vault_db_without_its_keys_db_is_not_opened() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("store");
    let token = a_cell(&dir);
    let away = d.path().join("away");
    std::fs::create_dir(&away).unwrap();
    for f in ["keys.db", "keys.db-wal", "keys.db-shm"] {
        if dir.join(f).exists() {
            std::fs::rename(dir.join(f), away.join(f)).unwrap();
        }
    }
    let vault_before = std::fs::read(dir.join("vault.db")).unwrap();
    let err = SqliteStore::open(&dir).unwrap_err().to_string();
    assert!(
        err.contains("no keys.db") && err.contains("1 subject"),
        "{err}"
    );
    assert_eq!(std::fs::read(dir.join("vault.db")).unwrap(), vault_before);
    // Refused again at the next try (the empty key file the first open left is not taken for
    // the cell's).
    assert!(SqliteStore::open(&dir).is_err());
    for f in ["keys.db", "keys.db-wal", "keys.db-shm"] {
        let _ = std::fs::remove_file(dir.join(f));
        if away.join(f).exists() {
            std::fs::rename(away.join(f), dir.join(f)).unwrap();
        }
    }
    reads_back(&dir, &token);
}

/// A held subject without its key (a keys.db from another time) stops the open instead of
/// being repaired as a registration a crash cut: the hold says its values must be kept.
#[test]
fn a_held_subject_without_its_key_stops_the_open() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("store");
    let token = a_cell(&dir);
    let kept = d.path().join("keys-kept.db");
    let sql = |db: &str, q: &str| {
        rusqlite::Connection::open(dir.join(db))
            .unwrap()
            .execute_batch(q)
            .unwrap();
    };
    sql("keys.db", "PRAGMA wal_checkpoint(TRUNCATE);");
    std::fs::copy(dir.join("keys.db"), &kept).unwrap();
    sql(
        "vault.db",
        "UPDATE subjects SET hold_reason = 'case-1', hold_since = 1;",
    );
    sql("keys.db", "DELETE FROM subject_keys;");
    let err = SqliteStore::open(&dir).unwrap_err().to_string();
    assert!(
        err.contains("legal hold") && err.contains("keys.db"),
        "{err}"
    );
    for f in ["keys.db-wal", "keys.db-shm"] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    std::fs::copy(&kept, dir.join("keys.db")).unwrap();
    reads_back(&dir, &token);
}

/// A subject's versions never come back when a SQLite cell goes back to a copy of its files
/// (a restore, or a lost commit): the copy keeps the versions it had, and changes after it
/// give fresh ones — none a process's kept copy from the lost future could match. With
/// counted versions the changes after the restore repeated the lost ones.
#[test]
fn a_subjects_versions_never_come_back_after_going_back_to_a_copy() {
    let d = tempfile::tempdir().unwrap();
    let store: std::sync::Arc<dyn Store> =
        std::sync::Arc::new(SqliteStore::open(&d.path().join("store")).unwrap());
    let (v, jobs, s) = conformance::a_subject_with_a_consent(store.clone()).unwrap();
    let version = |st: &dyn Store| st.subject(&jobs, &s).unwrap().unwrap().0.version;
    let backup = d.path().join("backup");
    store.snapshot(&backup).unwrap();
    let at_backup = version(store.as_ref());
    let mut lost = Vec::new();
    for grant in [false, true, false] {
        conformance::turn_consent(&v, &jobs, &s, grant).unwrap();
        lost.push(version(store.as_ref()));
    }
    drop(v);
    drop(store);
    let target = d.path().join("restored");
    custodian_store::backup::restore_sqlite(&backup, &target, true).unwrap();
    let restored: std::sync::Arc<dyn Store> =
        std::sync::Arc::new(SqliteStore::open(&target).unwrap());
    assert_eq!(
        version(restored.as_ref()),
        at_backup,
        "the copy keeps its versions"
    );
    let again = conformance::vault(restored.clone()).unwrap();
    for grant in [false, true, false] {
        conformance::turn_consent(&again, &jobs, &s, grant).unwrap();
        let now = version(restored.as_ref());
        assert!(
            !lost.contains(&now),
            "version {now} came back: lost {lost:?}"
        );
    }
}

/// A store a newer release migrated (either file's schema past this build's) is refused at
/// open with a clear error, and neither file is changed; back at a known version it opens.
#[test]
fn a_schema_newer_than_the_build_is_refused_untouched() {
    let d = tempfile::tempdir().unwrap();
    let open =
        || std::sync::Arc::new(SqliteStore::open(d.path()).unwrap()) as std::sync::Arc<dyn Store>;
    drop(conformance::vault(open()).unwrap());
    let files_bytes = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).unwrap())
            })
            .collect()
    };
    for (file, pragma) in [("vault.db", "user_version"), ("keys.db", "user_version")] {
        let path = d.path().join(file);
        let known: u32 = {
            let c = rusqlite::Connection::open(&path).unwrap();
            let known = c
                .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
                .unwrap();
            c.execute_batch(&format!("PRAGMA {pragma} = {}", known + 1))
                .unwrap();
            known
        };
        let before = files_bytes(d.path());
        let e = SqliteStore::open(d.path()).err().unwrap().to_string();
        assert!(
            e.contains(&format!(
                "{file} has schema version {}, newer than this build of Custodian knows ({known})",
                known + 1
            )),
            "{e}"
        );
        let after = files_bytes(d.path());
        for (name, bytes) in &before {
            if name.ends_with(".db") {
                let now = after.iter().find(|(n, _)| n == name).map(|(_, b)| b);
                assert_eq!(now, Some(bytes), "{name} changed by a refused open");
            }
        }
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch(&format!("PRAGMA {pragma} = {known}"))
            .unwrap();
        drop(conformance::vault(open()).unwrap());
    }
}

/// The entries naming `subject` of `ride` that record an erasure the store made, with `reason`.
fn erasures_recorded(
    store: &dyn Store,
    subject: &custodian_core::ids::SubjectId,
    reason: &str,
) -> usize {
    let ride = custodian_core::ids::TenantId::parse("ride").unwrap();
    store
        .subject_entries(&ride, subject)
        .unwrap()
        .iter()
        .map(|(_, b)| custodian_ledger::Entry::decode(b).unwrap())
        .filter(|e| {
            e.kind == custodian_ledger::EntryKind::Erase
                && e.reason.as_ref().map(|r| r.as_str()) == Some(reason)
        })
        .count()
}

/// A registration a crash cut between the two files — its row and ledger entries in vault.db,
/// whose ledger ends with them, its key not in keys.db, which is one write behind — is repaired
/// at open: the subject marked erased, and the ledger records the erasure once (a second open
/// adds nothing). The cell's other subjects read as before.
#[test]
fn a_registration_a_crash_cut_is_erased_and_the_ledger_says_so() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("store");
    let token = a_cell(&dir);
    let before = d.path().join("keys-before.db");
    copy_of(&dir, "keys.db", &before);
    let cut = registered_only(&dir);
    settle(&dir);
    put_back(&dir, "keys.db", &before);
    let ride = custodian_core::ids::TenantId::parse("ride").unwrap();
    let store = std::sync::Arc::new(SqliteStore::open(&dir).unwrap());
    assert_eq!(
        store.unrecorded_erasures().unwrap().len(),
        1,
        "repaired at open, waiting for the vault"
    );
    let v = conformance::vault(store.clone()).unwrap();
    assert!(store.unrecorded_erasures().unwrap().is_empty());
    assert!(store.subject(&ride, &cut).unwrap().unwrap().0.erased);
    let recorded = |store: &dyn Store| erasures_recorded(store, &cut, "registration_cut_by_crash");
    assert_eq!(recorded(store.as_ref()), 1);
    drop(v);
    drop(store);
    // Opened again: nothing left to repair or record.
    let store = std::sync::Arc::new(SqliteStore::open(&dir).unwrap());
    assert!(store.unrecorded_erasures().unwrap().is_empty());
    drop(conformance::vault(store.clone()).unwrap());
    assert_eq!(recorded(store.as_ref()), 1);
    drop(store);
    reads_back(&dir, &token);
}

/// A key file that is not this vault.db's is refused at open, whatever the difference, and
/// neither file changes: two writes behind (a copy from an earlier time); one write behind
/// while vault.db's ledger goes on after that write (a crash writes nothing after the write it
/// cuts); one write behind with a subject from before that write keyless too; the same count
/// with a key deleted by hand; a vault.db older than its key file (copied back by hand, not
/// restored); and no vault.db beside the key file (none is made). Repairing any of them would
/// have erased subjects without a trace. With the cell's own files back, everything reads.
#[test]
fn a_key_file_that_is_not_the_vaults_is_refused_untouched() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("store");
    let token = a_cell(&dir);
    let at = |name: &str| d.path().join(name);
    copy_of(&dir, "keys.db", &at("keys-0"));
    copy_of(&dir, "vault.db", &at("vault-0"));
    let first = another_subject(&dir);
    copy_of(&dir, "keys.db", &at("keys-1"));
    let second = registered_only(&dir);
    copy_of(&dir, "vault.db", &at("vault-2"));
    copy_of(&dir, "keys.db", &at("keys-2"));
    let third = another_subject(&dir);
    copy_of(&dir, "keys.db", &at("keys-own"));
    copy_of(&dir, "vault.db", &at("vault-own"));
    let without = |from: &str, to: &str, subject: &custodian_core::ids::SubjectId| {
        std::fs::copy(at(from), at(to)).unwrap();
        let c = rusqlite::Connection::open(at(to)).unwrap();
        c.execute(
            "DELETE FROM subject_keys WHERE subject = ?1",
            [subject.as_str()],
        )
        .unwrap();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    };
    without("keys-1", "keys-1-less", &first);
    without("keys-own", "keys-own-less", &third);
    for (vault, keys, expect) in [
        ("vault-own", "keys-0", "copies from different times"),
        (
            "vault-own",
            "keys-2",
            "whose ledger goes on after that write",
        ),
        ("vault-2", "keys-1-less", "registered before the last write"),
        ("vault-own", "keys-own-less", "removed outside Custodian"),
        ("vault-0", "keys-own", "copies from different times"),
    ] {
        put_back(&dir, "vault.db", &at(vault));
        put_back(&dir, "keys.db", &at(keys));
        let before = db_bytes(&dir);
        let e = SqliteStore::open(&dir).err().unwrap().to_string();
        assert!(
            e.contains(expect) && e.contains("keys.db"),
            "{vault} beside {keys}: {e}"
        );
        assert!(
            db_bytes(&dir) == before,
            "{vault} beside {keys}: a refused open changed a file"
        );
    }
    for f in ["vault.db", "vault.db-wal", "vault.db-shm"] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    put_back(&dir, "keys.db", &at("keys-own"));
    let e = SqliteStore::open(&dir).err().unwrap().to_string();
    assert!(e.contains("holds a keys.db but no vault.db"), "{e}");
    assert!(!dir.join("vault.db").exists(), "no empty vault.db is made");
    // A vault.db there but unreadable (a link that leads nowhere) is not taken for none.
    std::os::unix::fs::symlink("vault.db", dir.join("vault.db")).unwrap();
    let e = SqliteStore::open(&dir).err().unwrap().to_string();
    assert!(e.contains("cannot read") && e.contains("vault.db"), "{e}");
    std::fs::remove_file(dir.join("vault.db")).unwrap();
    put_back(&dir, "vault.db", &at("vault-own"));
    reads_back(&dir, &token);
    let store = SqliteStore::open(&dir).unwrap();
    let ride = custodian_core::ids::TenantId::parse("ride").unwrap();
    for s in [&first, &second, &third] {
        assert!(!store.subject(&ride, s).unwrap().unwrap().0.erased);
    }
    assert!(store.unrecorded_erasures().unwrap().is_empty());
}

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
    let restores = store
        .ledger_entries(0, store.ledger_head().unwrap().size.get())
        .unwrap()
        .iter()
        .filter(|(_, b)| {
            custodian_ledger::Entry::decode(b)
                .unwrap()
                .reason
                .is_some_and(|r| r.as_str() == "backup_restored")
        })
        .count();
    assert_eq!(restores, 1);
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
