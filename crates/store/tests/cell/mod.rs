//! What the SQLite file tests share: a cell with a subject and a value, one more subject,
//! copies of its files taken and put back, and what its ledger says of the store's erasures.

use std::path::Path;

use custodian_conformance as conformance;
use custodian_core::Store;
use custodian_store::SqliteStore;

/// A cell with subjects and values, its directory and a token of a value.
pub fn a_cell(dir: &Path) -> custodian_core::ids::Token {
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
pub fn one_more(
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
pub fn registered_only(dir: &Path) -> custodian_core::ids::SubjectId {
    use custodian_core::access::ServiceScope;
    use custodian_core::ids::{Jurisdiction, TenantId};
    let v = conformance::vault(std::sync::Arc::new(SqliteStore::open(dir).unwrap())).unwrap();
    let ride = TenantId::parse("ride").unwrap();
    let svc = ServiceScope::new(ride.clone(), conformance::first_service(&ride));
    v.register(&svc, &Jurisdiction::parse("CN").unwrap(), None, false)
        .unwrap()
}

/// One more subject in the cell in `dir`, opened and closed for it.
pub fn another_subject(dir: &Path) -> custodian_core::ids::SubjectId {
    let v = conformance::vault(std::sync::Arc::new(SqliteStore::open(dir).unwrap())).unwrap();
    one_more(&v).0
}

/// Both files' write-ahead logs checkpointed into them and truncated.
pub fn settle(dir: &Path) {
    for f in ["vault.db", "keys.db"] {
        rusqlite::Connection::open(dir.join(f))
            .unwrap()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
}

/// A copy of one of the cell's files, settled first.
pub fn copy_of(dir: &Path, file: &str, to: &Path) {
    settle(dir);
    std::fs::copy(dir.join(file), to).unwrap();
}

/// Puts a copy back as one of the cell's files (its write-ahead log gone with the file).
pub fn put_back(dir: &Path, file: &str, from: &Path) {
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{file}{ext}")));
    }
    std::fs::copy(from, dir.join(file)).unwrap();
}

/// A copy of the cell's keys.db alone (its log checkpointed into it first).
pub fn copy_of_keys_only(dir: &Path, to: &Path) {
    rusqlite::Connection::open(dir.join("keys.db"))
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    std::fs::copy(dir.join("keys.db"), to).unwrap();
}

/// The bytes of the cell's database files.
pub fn db_bytes(dir: &Path) -> Vec<Vec<u8>> {
    ["vault.db", "keys.db"]
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect()
}

/// The value behind `token` reads back in the cell in `dir`.
pub fn reads_back(dir: &Path, token: &custodian_core::ids::Token) {
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

/// The entries naming `subject` of `ride` that record an erasure the store made, with `reason`.
pub fn erasures_recorded(
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
