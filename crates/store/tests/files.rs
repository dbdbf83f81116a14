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
    use custodian_core::access::{AdminScope, DpoScope, ServiceScope};
    use custodian_core::ids::{FieldName, Jurisdiction, PurposeId, TenantId};
    let store = std::sync::Arc::new(SqliteStore::open(dir).unwrap());
    let v = conformance::vault(store).unwrap();
    let ride = TenantId::parse("ride").unwrap();
    v.load_manifest(&AdminScope::new(), &ride, conformance::RIDE_HAILING)
        .unwrap();
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
    got[0].token.clone()
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
