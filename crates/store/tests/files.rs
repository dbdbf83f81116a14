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

#[expect(dead_code, reason = "some helpers are restore.rs's")]
mod cell;
use cell::*;

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
    // A vault.db there but unreadable (a link to itself), or a link to a file not there (a
    // volume not mounted), is not taken for none.
    for (to, expect) in [
        ("vault.db", "symbolic links"),
        ("/nonexistent-volume/vault.db", "not there"),
    ] {
        std::os::unix::fs::symlink(to, dir.join("vault.db")).unwrap();
        let e = SqliteStore::open(&dir).err().unwrap().to_string();
        assert!(
            e.contains("cannot read") && e.contains("vault.db") && e.contains(expect),
            "{e}"
        );
        std::fs::remove_file(dir.join("vault.db")).unwrap();
    }
    put_back(&dir, "vault.db", &at("vault-own"));
    reads_back(&dir, &token);
    let store = SqliteStore::open(&dir).unwrap();
    let ride = custodian_core::ids::TenantId::parse("ride").unwrap();
    for s in [&first, &second, &third] {
        assert!(!store.subject(&ride, s).unwrap().unwrap().0.erased);
    }
    assert!(store.unrecorded_erasures().unwrap().is_empty());
}
