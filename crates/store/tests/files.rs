//! The SQLite store's files are the owner's alone: the directory 0700, the databases, their
//! write-ahead logs and a snapshot's files 0600 — from creation, and narrowed at open for a
//! store made before.
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
