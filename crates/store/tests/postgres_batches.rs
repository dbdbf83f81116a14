//! The PostgreSQL writer's batches against a real server: jobs that share a transaction are
//! each decided on their own, whether their statements go one by one or together.
//!
//! `scripts/test` starts a throwaway cluster and sets `CUSTODIAN_TEST_DATABASE_URL`; without
//! it these tests fail (they never skip silently). Each test works in a database of its own.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::sync::Arc;

use custodian_core::Store;
use custodian_core::ids::{FieldName, Jurisdiction, PurposeId, SubjectId, TenantId};
use custodian_core::subject::SubjectInfo;
use custodian_store::PgStore;

#[expect(dead_code, reason = "the child-process helpers are postgres.rs's")]
mod pg;

use pg::*;

/// A subject `id` of the tenant `ride`, in CN.
fn subject(id: &str) -> SubjectInfo {
    SubjectInfo {
        id: SubjectId::parse(id).unwrap(),
        tenant: TenantId::parse("ride").unwrap(),
        jurisdiction: Jurisdiction::parse("CN").unwrap(),
        role: None,
        minor: false,
        registered_at: 0,
        erased: false,
        legal_hold: None,
        version: 0,
    }
}

fn value(token: &str) -> custodian_core::store::ValueRecord {
    custodian_core::store::ValueRecord {
        tenant: TenantId::parse("ride").unwrap(),
        subject: SubjectId::parse("sub_test").unwrap(),
        field: FieldName::parse("phone").unwrap(),
        token: custodian_core::ids::Token::parse(token).unwrap(),
        blind_index: None,
        sealed: vec![1; 40],
        key_version: 1,
        purpose: PurposeId::parse("dispatch").unwrap(),
        collected_at: 1,
    }
}

/// Registers `sub_test` of `ride` on `store` with a wrapped key of its own: the key.
fn register_sub_test(store: &PgStore) -> Vec<u8> {
    use custodian_core::store::{Change, WrappedKey};
    use custodian_ledger::{Decision, Entry, EntryKind};
    let key = vec![9u8; 60];
    store
        .commit(
            Change::Register {
                subject: subject("sub_test"),
                wrapped_key: WrappedKey {
                    epoch: 0,
                    blob: key.clone(),
                },
            },
            vec![Entry::new(EntryKind::Register, 0, Decision::Allow)],
        )
        .unwrap();
    key
}

/// Failing jobs among many concurrent ones (so they share transactions) fail alone: the
/// others commit, and they leave no ledger entry and no row. Both kinds of failure: one
/// that aborts the transaction (a duplicate token, an SQL error) and one that does not (a
/// revocation of no key).
#[test]
fn a_failing_job_fails_alone() {
    use custodian_core::store::{Change, StoreError};
    use custodian_ledger::{Decision, Entry, EntryKind};
    let url = fresh_db();
    let store = Arc::new(PgStore::open(&url).unwrap());
    let rotation = |t: i64| Entry::new(EntryKind::KeyRotation, t, Decision::None);
    store
        .commit(
            Change::Collect {
                values: vec![value("tok_taken")],
                key: None,
            },
            vec![rotation(0)],
        )
        .unwrap();
    let threads: Vec<_> = (0..32)
        .map(|i| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                let mut outcomes = Vec::new();
                for j in 0..21 {
                    let entry = rotation(i * 100 + j);
                    let act = match j % 7 {
                        // No such key: NotFound.
                        3 => Change::RevokeApiKey {
                            id: format!("key_missing_{i}_{j}"),
                            at: 1,
                        },
                        // A token already stored: the insert fails.
                        5 => Change::Collect {
                            values: vec![value(&format!("tok_{i}_{j}")), value("tok_taken")],
                            key: None,
                        },
                        _ => Change::Collect {
                            values: vec![value(&format!("tok_{i}_{j}"))],
                            key: None,
                        },
                    };
                    outcomes.push((j % 7, store.commit(act, vec![entry])));
                }
                outcomes
            })
        })
        .collect();
    let (mut ok, mut refused) = (0u64, 0u64);
    for t in threads {
        for (kind, r) in t.join().unwrap() {
            match (kind, r) {
                (3, Err(StoreError::NotFound(what))) => {
                    assert_eq!(
                        what, "API key",
                        "the failing job is the revocation of a missing key"
                    );
                    refused += 1;
                }
                (5, Err(StoreError::TokenConflict)) => refused += 1,
                (3 | 5, r) => panic!("job {kind} must fail, got {r:?}"),
                (_, Ok(idx)) => {
                    assert_eq!(idx.len(), 1);
                    ok += 1;
                }
                (_, r) => panic!("job {kind} must succeed, got {r:?}"),
            }
        }
    }
    assert_eq!((ok, refused), (32 * 15, 32 * 6));
    let entries = store.ledger_entries(0, u64::MAX).unwrap();
    assert_eq!(entries.len() as u64, ok + 1, "refused jobs added no entry");
    let stored = all_rows(&url)
        .lines()
        .filter(|l| l.contains("\"sealed\""))
        .count() as u64;
    assert_eq!(stored, ok + 1, "refused collects stored no value");
    let idx: Vec<u64> = entries.iter().map(|(i, _)| *i).collect();
    assert_eq!(idx, (0..ok + 1).collect::<Vec<_>>());
}

/// Collects that share a batch go to the server as one key check and one insert, and each is
/// still decided on its own: among many concurrent collects (so they share transactions), one
/// sealed under a key the subject no longer has is stale alone, and a deterministic token that
/// several collects in one batch write (the insert cannot write a row twice) is stored once,
/// every one of those collects answered. Nothing refused leaves a row or a ledger entry.
#[test]
fn collects_sharing_a_batch_are_decided_each_on_its_own() {
    use custodian_core::store::{Change, StoreError};
    use custodian_ledger::{Decision, Entry, EntryKind};
    let url = fresh_db();
    let store = Arc::new(PgStore::open(&url).unwrap());
    let key = register_sub_test(&store);
    let threads: Vec<_> = (0..32)
        .map(|i| {
            let (store, key) = (Arc::clone(&store), key.clone());
            std::thread::spawn(move || {
                (0..12)
                    .map(|j| {
                        let entry = Entry::new(EntryKind::Collect, i * 100 + j, Decision::Allow);
                        let (token, key) = match j % 4 {
                            // Sealed under a key the subject does not have: stale.
                            1 => (format!("tok_{i}_{j}"), vec![8u8; 60]),
                            // One deterministic token for every thread.
                            2 => ("det_shared".to_string(), key.clone()),
                            _ => (format!("tok_{i}_{j}"), key.clone()),
                        };
                        let act = Change::Collect {
                            values: vec![value(&token)],
                            key: Some(key),
                        };
                        (j % 4, store.commit(act, vec![entry]))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let (mut ok, mut stale) = (0u64, 0u64);
    for t in threads {
        for (kind, r) in t.join().unwrap() {
            match (kind, r) {
                (1, Err(StoreError::Stale)) => stale += 1,
                (1, r) => panic!("a collect under a wrong key must be stale, got {r:?}"),
                (_, Ok(idx)) => {
                    assert_eq!(idx.len(), 1);
                    ok += 1;
                }
                (_, r) => panic!("collect {kind} must succeed, got {r:?}"),
            }
        }
    }
    assert_eq!((ok, stale), (32 * 9, 32 * 3));
    let entries = store.ledger_entries(0, u64::MAX).unwrap();
    assert_eq!(
        entries.len() as u64,
        ok + 1,
        "stale collects added no entry"
    );
    let rows = all_rows(&url);
    let stored = rows.lines().filter(|l| l.contains("\"sealed\"")).count() as u64;
    // The shared deterministic token is one row, written 96 times.
    assert_eq!(
        stored,
        ok - 32 * 3 + 1,
        "one row per token, none for stale collects"
    );
    assert_eq!(
        rows.lines()
            .filter(|l| l.contains("\"det_shared\""))
            .count(),
        1
    );
}

/// Onboardings that share a batch are each decided on their own: among many concurrent ones,
/// an onboarding of a subject that exists, or with a token that is taken, fails alone and
/// leaves nothing; in each of the others the last consent given for a purpose stands.
#[test]
fn onboardings_sharing_a_batch_are_decided_each_on_its_own() {
    use custodian_core::store::{Change, Onboard, WrappedKey};
    use custodian_core::subject::Consent;
    use custodian_ledger::{Decision, Entry, EntryKind};
    let url = fresh_db();
    let store = Arc::new(PgStore::open(&url).unwrap());
    let onboard = |id: &str, token: &str| {
        let subject = subject(id);
        let consent = |notice: &str| Consent {
            purpose: PurposeId::parse("dispatch").unwrap(),
            notice_version: notice.into(),
            granted_at: 1,
            withdrawn_at: None,
            separate: false,
            by_guardian: false,
        };
        let mut v = value(token);
        v.subject = subject.id.clone();
        Change::Onboard(Box::new(Onboard {
            subject,
            wrapped_key: WrappedKey {
                epoch: 0,
                blob: vec![9; 60],
            },
            consents: vec![consent("v1"), consent("v2")],
            values: vec![v],
        }))
    };
    let entry = |t: i64| Entry::new(EntryKind::Register, t, Decision::Allow);
    store
        .commit(onboard("sub_taken", "tok_taken"), vec![entry(0)])
        .unwrap();
    let threads: Vec<_> = (0..32)
        .map(|i| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                (0..8)
                    .map(|j| {
                        let act = match j % 4 {
                            // A subject that exists.
                            1 => onboard("sub_taken", &format!("tok_{i}_{j}")),
                            // A token that is taken.
                            2 => onboard(&format!("sub_{i}_{j}"), "tok_taken"),
                            _ => onboard(&format!("sub_{i}_{j}"), &format!("tok_{i}_{j}")),
                        };
                        (j % 4, store.commit(act, vec![entry(i * 100 + j)]))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let (mut ok, mut refused) = (0u64, 0u64);
    for t in threads {
        for (kind, r) in t.join().unwrap() {
            match (kind, r) {
                (1 | 2, Err(_)) => refused += 1,
                (1 | 2, r) => panic!("onboarding {kind} must fail, got {r:?}"),
                (_, Ok(idx)) => {
                    assert_eq!(idx.len(), 1);
                    ok += 1;
                }
                (_, r) => panic!("onboarding {kind} must succeed, got {r:?}"),
            }
        }
    }
    assert_eq!((ok, refused), (32 * 4, 32 * 4));
    let entries = store.ledger_entries(0, u64::MAX).unwrap();
    assert_eq!(
        entries.len() as u64,
        ok + 1,
        "refused onboardings added no entry"
    );
    let rows = all_rows(&url);
    let count = |needle: &str| rows.lines().filter(|l| l.contains(needle)).count() as u64;
    assert_eq!(count("\"jurisdiction\""), ok + 1, "one subject each");
    assert_eq!(count("\"sealed\""), ok + 1, "one value each");
    assert_eq!(
        count("\"notice_version\":\"v2\""),
        ok + 1,
        "the last consent stands"
    );
    assert_eq!(count("\"notice_version\":\"v1\""), 0);
}

/// Two stores on one database (two processes' writers) under load: each writer begins its next
/// batch in the COMMIT of the last while jobs wait, and finds the ledger head moved when the
/// other appended in between. Every collect answered is in the ledger once, at the index it
/// was told; the indexes run without a gap, and the stored head is the root of the entries.
#[test]
fn two_writers_beginning_batches_in_their_commits_keep_one_ledger() {
    use custodian_core::store::Change;
    use custodian_ledger::{Decision, Entry, EntryKind, Log};
    let url = fresh_db();
    let stores = [
        Arc::new(PgStore::open(&url).unwrap()),
        Arc::new(PgStore::open(&url).unwrap()),
    ];
    let key = register_sub_test(&stores[0]);
    let threads: Vec<_> = (0..32i64)
        .map(|i| {
            let (store, key) = (Arc::clone(&stores[(i % 2) as usize]), key.clone());
            std::thread::spawn(move || {
                (0..25i64)
                    .map(|j| {
                        let act = Change::Collect {
                            values: vec![value(&format!("tok_{i}_{j}"))],
                            key: Some(key.clone()),
                        };
                        let entry = Entry::new(EntryKind::Collect, i * 100 + j, Decision::Allow);
                        let idx = store.commit(act, vec![entry]).unwrap();
                        assert_eq!(idx.len(), 1);
                        (idx[0].get(), i * 100 + j)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut told: Vec<(u64, i64)> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    told.sort_unstable();
    let entries = stores[1].ledger_entries(0, u64::MAX).unwrap();
    assert_eq!(entries.len(), 32 * 25 + 1);
    let idx: Vec<u64> = entries.iter().map(|(i, _)| *i).collect();
    assert_eq!(idx, (0..idx.len() as u64).collect::<Vec<_>>(), "no gap");
    // Each collect's entry sits at the index its caller was told (its entry carries the
    // caller's own number as its time).
    for (at, time) in &told {
        let (_, bytes) = &entries[*at as usize];
        let entry = Entry::decode(bytes).unwrap();
        assert_eq!(entry.time_ms, *time, "entry {at}");
    }
    let mut log = Log::new();
    for (_, bytes) in &entries {
        log.append(custodian_ledger::leaf_hash(bytes));
    }
    for store in &stores {
        let head = store.ledger_head().unwrap();
        assert_eq!((head.size, head.root), (log.size(), log.root()));
    }
    let stored = all_rows(&url)
        .lines()
        .filter(|l| l.contains("\"sealed\""))
        .count();
    assert_eq!(stored, 32 * 25);
    // Both paths were taken: batches begun in a COMMIT, and some of those found the head
    // moved or held by the other writer.
    let stats: Vec<_> = stores.iter().map(|s| s.stats()).collect();
    let begun: u64 = stats.iter().map(|s| s.begun_in_commit).sum();
    let missed: u64 = stats.iter().map(|s| s.begin_missed).sum();
    assert!(begun > 0 && missed > 0, "begun {begun}, missed {missed}");
}

/// Batches of collects with random tokens send their COMMIT in the same round trip as their
/// statements; a failing collect among them (a stale key, a taken token) aborts that
/// transaction in SQL, so the COMMIT rolls back, and the batch runs again job by job: the
/// failing collects alone are refused, and leave no row and no entry.
#[test]
fn a_batch_committed_in_its_own_round_trip_commits_nothing_of_a_failing_collect() {
    use custodian_core::store::{Change, StoreError};
    use custodian_ledger::{Decision, Entry, EntryKind};
    let url = fresh_db();
    let store = Arc::new(PgStore::open(&url).unwrap());
    let key = register_sub_test(&store);
    let threads: Vec<_> = (0..32i64)
        .map(|i| {
            let (store, key) = (Arc::clone(&store), key.clone());
            std::thread::spawn(move || {
                (0..15i64)
                    .map(|j| {
                        let (tokens, key) = match j % 5 {
                            // Sealed under a key the subject does not have.
                            1 => (vec![format!("tok_{i}_{j}")], vec![8u8; 60]),
                            // A fresh token beside one taken (the register's thread's first).
                            3 => (vec![format!("tok_{i}_{j}"), "tok_0_0".into()], key.clone()),
                            _ => (vec![format!("tok_{i}_{j}")], key.clone()),
                        };
                        let act = Change::Collect {
                            values: tokens.iter().map(|t| value(t)).collect(),
                            key: Some(key),
                        };
                        let entry = Entry::new(EntryKind::Collect, i * 100 + j, Decision::Allow);
                        (i, j, store.commit(act, vec![entry]))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    // `tok_0_0` is stored by the first collect naming it: thread 0's first, or one of the
    // others' pairs that came before it (which then stored two values).
    let (mut ok, mut stale, mut taken, mut pairs) = (0u64, 0u64, 0u64, 0u64);
    for t in threads {
        for (i, j, r) in t.join().unwrap() {
            match (j % 5, r) {
                (1, Err(StoreError::Stale)) => stale += 1,
                (1, r) => panic!("a collect under a wrong key must be stale, got {r:?}"),
                (3, Err(StoreError::TokenConflict)) => taken += 1,
                (0, Err(StoreError::TokenConflict)) if (i, j) == (0, 0) => taken += 1,
                (k, Ok(idx)) => {
                    assert_eq!(idx.len(), 1);
                    ok += 1;
                    pairs += u64::from(k == 3);
                }
                (k, r) => panic!("collect {i}/{j} ({k}) failed: {r:?}"),
            }
        }
    }
    assert_eq!(stale, 32 * 3);
    assert_eq!(ok + stale + taken, 32 * 15);
    assert_eq!(
        taken,
        32 * 3,
        "every collect of the taken token but the first refused"
    );
    let entries = store.ledger_entries(0, u64::MAX).unwrap();
    let idx: Vec<u64> = entries.iter().map(|(i, _)| *i).collect();
    assert_eq!(
        idx,
        (0..ok + 1).collect::<Vec<_>>(),
        "refused collects added no entry"
    );
    let rows = all_rows(&url);
    let stored = rows.lines().filter(|l| l.contains("\"sealed\"")).count() as u64;
    assert_eq!(stored, ok + pairs, "refused collects stored no value");
    let head = store.ledger_head().unwrap();
    assert_eq!(head.size.get(), ok + 1);
    let stats = store.stats();
    assert!(
        stats.committed_in_batch > 0,
        "batches committed in their own round trip"
    );
}

/// A writer that began its next batch's transaction in a COMMIT, and then got no job, lets the
/// ledger head go: another process's writer is not held up behind an idle transaction.
#[test]
fn a_transaction_begun_for_jobs_that_never_come_is_let_go() {
    use custodian_core::store::Change;
    use custodian_ledger::{Decision, Entry, EntryKind};
    let url = fresh_db();
    let first = Arc::new(PgStore::open(&url).unwrap());
    let rotation = |t: i64| Entry::new(EntryKind::KeyRotation, t, Decision::None);
    // A burst on the first store, so that its batches begin the next in their COMMITs.
    let threads: Vec<_> = (0..16i64)
        .map(|i| {
            let store = Arc::clone(&first);
            std::thread::spawn(move || {
                for j in 0..20i64 {
                    let act = Change::Collect {
                        values: vec![value(&format!("tok_{i}_{j}"))],
                        key: None,
                    };
                    store.commit(act, vec![rotation(i * 100 + j)]).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    // Then 64 jobs handed over at once, so that the last batch holds many and begins the
    // next transaction in its COMMIT — for jobs that never come.
    let jobs = (0..64i64)
        .map(|j| {
            let act = Change::Collect {
                values: vec![value(&format!("tok_last_{j}"))],
                key: None,
            };
            (act, vec![rotation(j)])
        })
        .collect();
    let g = first.generation().unwrap();
    for r in first.commit_many_at(g, jobs) {
        r.unwrap();
    }
    assert!(
        first.stats().begun_in_commit > 0,
        "the burst began batches in COMMITs"
    );
    // The first store now gets nothing; the second appends at once.
    let second = PgStore::open(&url).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let act = Change::Collect {
            values: vec![value("tok_second")],
            key: None,
        };
        let _ = tx.send(second.commit(act, vec![rotation(1)]));
    });
    let r = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the second writer is held up behind the first's idle transaction");
    assert_eq!(r.unwrap()[0].get(), 16 * 20 + 64);
    assert!(
        first.stats().begun_let_go > 0,
        "the first let its transaction go"
    );
    drop(first);
}

/// The server ends the writer's connection again and again under load (a batch's COMMIT goes
/// in the round trip of its statements, so a batch can be cut off after it committed): a
/// collect told it failed left nothing in the ledger, one told it succeeded is there, and one
/// whose batch was cut off after its COMMIT was sent is told its outcome is unknown.
#[test]
fn a_collect_told_it_failed_committed_nothing() {
    use custodian_core::store::{Change, StoreError};
    use custodian_ledger::{Decision, Entry, EntryKind};
    let url = fresh_db();
    let db = url.rsplit_once('/').unwrap().1.to_string();
    let store = Arc::new(PgStore::open(&url).unwrap());
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let killer = {
        let (db, done) = (db.clone(), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut ended = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(15));
                ended += admin(&format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                     WHERE datname = '{db}' AND pid <> pg_backend_pid()"
                ))
                .len();
            }
            ended
        })
    };
    let threads: Vec<_> = (0..16i64)
        .map(|i| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                (0..60i64)
                    .map(|j| {
                        let act = Change::Collect {
                            values: vec![value(&format!("tok_{i}_{j}"))],
                            key: None,
                        };
                        let time = i * 1000 + j;
                        let entry = Entry::new(EntryKind::KeyRotation, time, Decision::None);
                        (time, store.commit(act, vec![entry]))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let told: Vec<_> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(killer.join().unwrap() > 0, "connections were ended");
    // The first reads after the cuts may find their connection ended too.
    let entries = (0..20)
        .find_map(|_| store.ledger_entries(0, u64::MAX).ok())
        .expect("the ledger reads again");
    let committed: std::collections::HashSet<i64> = entries
        .iter()
        .map(|(_, bytes)| Entry::decode(bytes).unwrap().time_ms)
        .collect();
    let (mut ok, mut failed, mut unknown) = (0, 0, 0);
    for (time, r) in &told {
        match r {
            Ok(_) => {
                assert!(committed.contains(time), "collect {time} told it committed");
                ok += 1;
            }
            Err(StoreError::OutcomeUnknown(m)) => {
                // Committed, and the flush after it was cut off: in the ledger (the server
                // did not crash).
                if m.starts_with("committed, but") {
                    assert!(committed.contains(time), "collect {time}: {m}");
                }
                unknown += 1;
            }
            Err(e) => {
                assert!(
                    !committed.contains(time),
                    "collect {time} was told it failed ({e}) and is in the ledger"
                );
                failed += 1;
            }
        }
    }
    assert!(ok > 0, "collects went through between the cuts");
    assert!(failed + unknown > 0, "some collects were cut off");
    eprintln!("{ok} committed, {failed} failed, {unknown} unknown");
}
