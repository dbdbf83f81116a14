//! The SQLite write path: a batch without savepoints that one failing job makes run again, the
//! checkpointer that keeps the write-ahead log bounded, and values kept in collection order.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::sync::{Arc, Barrier};

use custodian_conformance::{self as conformance, RIDE_HAILING};
use custodian_core::access::{AdminScope, ServiceScope};
use custodian_core::ids::{FieldName, Jurisdiction, PurposeId, ServiceName, SubjectId, TenantId};
use custodian_core::store::{Change, StoreError, ValueRecord};
use custodian_core::{Reveal, Store};
use custodian_ledger::{Decision, Entry, EntryKind};
use custodian_store::SqliteStore;

fn record(subject: &SubjectId, token: &str) -> ValueRecord {
    ValueRecord {
        tenant: TenantId::parse("ride").unwrap(),
        subject: subject.clone(),
        field: FieldName::parse("phone").unwrap(),
        token: custodian_core::ids::Token::parse(token).unwrap(),
        blind_index: None,
        sealed: vec![1; 52],
        key_version: 1,
        purpose: PurposeId::parse("dispatch").unwrap(),
        collected_at: 0,
    }
}

/// Jobs committed together: the ones reusing a stored token fail with a token conflict, every
/// other one commits, and the ledger holds exactly the entries of the jobs that committed.
#[test]
fn a_failing_job_fails_alone_in_its_batch() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(dir.path()).unwrap());
    let subject = SubjectId::parse("sub_aaaaaaaaaaaaaaaaaaaaaaaaaa").unwrap();
    let taken = "tok_takentakentakentakentake";
    store
        .commit(
            Change::Collect {
                values: vec![record(&subject, taken)],
                key: None,
            },
            vec![Entry::new(EntryKind::Collect, 0, Decision::Allow)],
        )
        .unwrap();
    let before = store.ledger_head().unwrap().size.get();
    let jobs = 48;
    let gate = Arc::new(Barrier::new(jobs));
    let handles: Vec<_> = (0..jobs)
        .map(|i| {
            let (store, gate, subject) = (Arc::clone(&store), Arc::clone(&gate), subject.clone());
            std::thread::spawn(move || {
                // Every fourth job stores a fresh value and then the taken token: its first
                // value is written before it fails, and must not stay.
                let mut values = vec![record(&subject, &format!("tok_fresh{i:019}"))];
                if i % 4 == 0 {
                    values.push(record(&subject, taken));
                }
                gate.wait();
                store.commit(
                    Change::Collect { values, key: None },
                    vec![Entry::new(EntryKind::Collect, 0, Decision::Allow)],
                )
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    for (i, r) in results.iter().enumerate() {
        if i % 4 == 0 {
            assert!(
                matches!(r, Err(StoreError::TokenConflict)),
                "job {i}: {r:?}"
            );
        } else {
            assert!(r.is_ok(), "job {i}: {r:?}");
        }
    }
    let ok = results.iter().filter(|r| r.is_ok()).count() as u64;
    assert_eq!(store.ledger_head().unwrap().size.get(), before + ok);
    // The failed jobs' first values are not stored; the others' are.
    let ride = TenantId::parse("ride").unwrap();
    for i in 0..jobs {
        let token = custodian_core::ids::Token::parse(&format!("tok_fresh{i:019}")).unwrap();
        let stored = store.value_by_token(&ride, &token).unwrap().is_some();
        assert_eq!(stored, i % 4 != 0, "value of job {i}");
    }
    // The batch really was shared (the test is about batches that run again).
    let stats = store.stats();
    assert!(stats.jobs > stats.batches.iter().sum::<u64>(), "{stats:?}");
}

/// Checkpoints no longer run inside commits: the checkpointer copies the log into the file as
/// it grows, so the log stays far below what the commits wrote.
#[test]
fn the_checkpointer_keeps_the_log_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let subject = SubjectId::parse("sub_bbbbbbbbbbbbbbbbbbbbbbbbbb").unwrap();
    // About 120 MB of frames in all: 60 commits of 500 values at random places in three indexes.
    for c in 0..60 {
        let values = (0..500)
            .map(|i| {
                record(
                    &subject,
                    &custodian_core::tokens::random_token().unwrap().to_string(),
                )
                .with_n(c * 500 + i)
            })
            .collect();
        store
            .commit(
                Change::Collect { values, key: None },
                vec![Entry::new(EntryKind::Collect, 0, Decision::Allow)],
            )
            .unwrap();
    }
    let wal = std::fs::metadata(dir.path().join("vault.db-wal"))
        .unwrap()
        .len();
    let db = std::fs::metadata(dir.path().join("vault.db"))
        .unwrap()
        .len();
    assert!(db > 2 << 20, "the values reached the file: {db} bytes");
    assert!(wal < 40 << 20, "the log stayed bounded: {wal} bytes");
}

trait WithN {
    fn with_n(self, n: usize) -> Self;
}

impl WithN for ValueRecord {
    fn with_n(mut self, n: usize) -> Self {
        self.collected_at = n as i64;
        self
    }
}

/// A store whose values table is still the one keyed by token (before values were kept in
/// collection order) upgrades when opened, and its values read back.
#[test]
fn values_keyed_by_token_move_to_collection_order() {
    let dir = tempfile::tempdir().unwrap();
    let ride = TenantId::parse("ride").unwrap();
    let scope = ServiceScope::new(ride.clone(), ServiceName::parse("dispatch-svc").unwrap());
    let dispatch = PurposeId::parse("dispatch").unwrap();
    let tokens = {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).unwrap());
        let v = conformance::vault(store).unwrap();
        v.load_manifest(&AdminScope::new(), &ride, RIDE_HAILING)
            .unwrap();
        let cn = Jurisdiction::parse("CN").unwrap();
        (0..20)
            .map(|i| {
                let s = v.register(&scope, &cn, None, false).unwrap();
                let phone = format!("138{i:08}");
                let got = v
                    .collect(
                        &scope,
                        &s,
                        &dispatch,
                        &[(FieldName::parse("phone").unwrap(), phone.as_str())],
                    )
                    .unwrap();
                (got[0].token.clone(), phone)
            })
            .collect::<Vec<_>>()
    };
    {
        let conn = rusqlite::Connection::open(dir.path().join("vault.db")).unwrap();
        conn.execute_batch(
            "BEGIN;
             CREATE TABLE vals_old(tenant TEXT NOT NULL, token TEXT NOT NULL, subject TEXT NOT NULL,
               field TEXT NOT NULL, blind_index TEXT, sealed BLOB NOT NULL, key_version INTEGER NOT NULL,
               purpose TEXT NOT NULL, collected_at INTEGER NOT NULL, PRIMARY KEY (tenant, token)) WITHOUT ROWID;
             INSERT INTO vals_old SELECT tenant, token, subject, field, blind_index, sealed, key_version, purpose, collected_at FROM vals;
             DROP TABLE vals;
             ALTER TABLE vals_old RENAME TO vals;
             CREATE INDEX vals_subject ON vals(tenant, subject);
             CREATE INDEX vals_blind ON vals(tenant, field, blind_index) WHERE blind_index IS NOT NULL;
             CREATE INDEX vals_collected ON vals(tenant, field, collected_at);
             DROP TABLE idempotency;
             ALTER TABLE subjects DROP COLUMN version;
             DROP TABLE key_writes; DROP TABLE unrecorded_erasures; DROP TABLE restore_unrecorded;
             ALTER TABLE subjects DROP COLUMN key_gen;
             PRAGMA user_version = 10;
             COMMIT;",
        )
        .unwrap();
        // Its key file then had no count of writes nor generations.
        rusqlite::Connection::open(dir.path().join("keys.db"))
            .unwrap()
            .execute_batch(
                "DROP TABLE key_writes; ALTER TABLE subject_keys DROP COLUMN gen;
                 ALTER TABLE subject_keys DROP COLUMN next_wrapped;
                 ALTER TABLE subject_keys DROP COLUMN next_epoch;
                 ALTER TABLE subject_keys DROP COLUMN next_gen; PRAGMA user_version = 2;",
            )
            .unwrap();
    }
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).unwrap());
    let v = conformance::vault(store).unwrap();
    for (token, phone) in &tokens {
        let got = v
            .detokenize(
                &scope,
                &dispatch,
                std::slice::from_ref(token),
                Reveal::Clear,
            )
            .unwrap();
        assert_eq!(got[0].value.expose(), phone);
    }
    let conn = rusqlite::Connection::open(dir.path().join("vault.db")).unwrap();
    let (version, rows): (u32, i64) = (
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap(),
        conn.query_row("SELECT count(id) FROM vals", [], |r| r.get(0))
            .unwrap(),
    );
    assert!(version >= 11);
    assert_eq!(rows, 20);
}

/// A registration commits to two files, `vault.db` before `keys.db`: a reader between the two
/// commits finds the subject before its key. It must not answer such a subject as one without a
/// key (that is how an erased subject reads): a retried import once had its replayed rows
/// refused as "erased" that way. A reader spins on each subject while the writer registers them.
#[test]
fn a_subject_being_registered_is_never_read_without_its_key() {
    use custodian_core::store::WrappedKey;
    use custodian_core::subject::SubjectInfo;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(dir.path()).unwrap());
    let tenant = TenantId::parse("ride").unwrap();
    let ids: Vec<SubjectId> = (0..1_500)
        .map(|i| SubjectId::parse(&format!("sub_r{i:025}")).unwrap())
        .collect();
    let reader = {
        let (store, tenant, ids) = (Arc::clone(&store), tenant.clone(), ids.clone());
        std::thread::spawn(move || {
            let mut early = 0;
            for id in &ids {
                let (info, key) = loop {
                    match store.subject(&tenant, id).unwrap() {
                        Some(found) => break found,
                        None => early += 1,
                    }
                };
                assert!(
                    !info.erased && key.is_some(),
                    "{id} read without its key (erased: {})",
                    info.erased
                );
            }
            early
        })
    };
    for id in &ids {
        let subject = SubjectInfo {
            id: id.clone(),
            tenant: tenant.clone(),
            jurisdiction: Jurisdiction::parse("CN").unwrap(),
            role: None,
            minor: false,
            registered_at: 0,
            erased: false,
            legal_hold: None,
            version: 0,
        };
        let wrapped_key = WrappedKey {
            epoch: 0,
            blob: vec![9; 60],
        };
        store
            .commit(
                Change::Register {
                    subject,
                    wrapped_key,
                },
                vec![Entry::new(EntryKind::Register, 0, Decision::Allow)],
            )
            .unwrap();
    }
    let early = reader.join().unwrap();
    assert!(early > 0, "the reader never ran ahead of the writer");
}
