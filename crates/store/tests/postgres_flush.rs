//! The flush beside the PostgreSQL writer: batches committed while other work waits are
//! answered only after the write-ahead log is flushed past their commit.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

#[expect(dead_code, reason = "some helpers are the other PostgreSQL tests'")]
mod pg;

use std::sync::Arc;

use custodian_core::Store;
use custodian_core::store::Change;
use custodian_ledger::{Decision, Entry, EntryKind};
use custodian_store::PgStore;
use pg::*;

fn value(token: &str) -> custodian_core::store::ValueRecord {
    custodian_core::store::ValueRecord {
        tenant: custodian_core::ids::TenantId::parse("ride").unwrap(),
        subject: custodian_core::ids::SubjectId::parse("sub_test").unwrap(),
        field: custodian_core::ids::FieldName::parse("phone").unwrap(),
        token: custodian_core::ids::Token::parse(token).unwrap(),
        blind_index: None,
        sealed: vec![1; 40],
        key_version: 1,
        purpose: custodian_core::ids::PurposeId::parse("dispatch").unwrap(),
        collected_at: 1,
    }
}

/// One collect under a fresh token, committed.
fn collect(store: &PgStore, token: &str) {
    store
        .commit(
            Change::Collect {
                values: vec![value(token)],
                key: None,
            },
            vec![Entry::new(EntryKind::KeyRotation, 0, Decision::None)],
        )
        .unwrap();
}

/// A session of its own on the test database, with its runtime.
fn session(url: &str) -> (tokio::runtime::Runtime, tokio_postgres::Client) {
    let rt = runtime();
    let c = rt.block_on(async {
        let (c, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        c
    });
    (rt, c)
}

/// With the flush held back 300 ms, batches committed while others wait are answered only
/// after it: some answers take the whole delay (the flusher's), every commit is answered,
/// and the ledger holds each once.
#[cfg(debug_assertions)] // the delay is a debug-build switch
#[test]
fn answers_of_overlapping_batches_wait_for_the_flush() {
    let url = fresh_db();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "child_slow_flush",
            "--exact",
            "--ignored",
            "--test-threads=1",
            "--nocapture",
        ])
        .env("CUSTODIAN_TEST_FLUSH_DELAY_MS", "300")
        .env(CHILD_VAR, &url)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(debug_assertions)]
#[test]
#[ignore = "run by answers_of_overlapping_batches_wait_for_the_flush"]
fn child_slow_flush() {
    let url = std::env::var(CHILD_VAR).unwrap();
    let store = Arc::new(PgStore::open(&url).unwrap());
    let gate = Arc::new(std::sync::Barrier::new(32));
    let threads: Vec<_> = (0..32)
        .map(|i| {
            let (store, gate) = (Arc::clone(&store), Arc::clone(&gate));
            std::thread::spawn(move || {
                gate.wait();
                // Several commits each: after the first batch, jobs arrive while others wait.
                let mut longest = std::time::Duration::ZERO;
                for j in 0..4 {
                    let sent = std::time::Instant::now();
                    collect(&store, &format!("tok_slow_{i}_{j}"));
                    longest = longest.max(sent.elapsed());
                }
                longest
            })
        })
        .collect();
    let waited: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let held = waited
        .iter()
        .filter(|w| **w >= std::time::Duration::from_millis(280))
        .count();
    assert!(held >= 1, "no answer waited for the flush: {waited:?}");
    assert_eq!(store.ledger_head().unwrap().size.get(), 32 * 4);
}

/// Many committers (so batches commit while others wait, without waiting for the disk): each
/// answer comes after the log is flushed past the point it was at before the commit was
/// sent, and the ledger head a checkpoint would be signed over is flushed too.
#[test]
fn every_answer_comes_after_a_flush_past_its_commit() {
    let url = fresh_db();
    // The test cluster commits asynchronously by default; this database's sessions commit
    // synchronously, as a durable cluster's do, so a flush moves the flush position.
    let db = url.rsplit('/').next().unwrap().split('?').next().unwrap();
    admin(&format!("ALTER DATABASE {db} SET synchronous_commit = on"));
    let store = Arc::new(PgStore::open(&url).unwrap());
    let threads: Vec<_> = (0..48)
        .map(|i| {
            let (store, url) = (Arc::clone(&store), url.clone());
            std::thread::spawn(move || {
                let (rt, c) = session(&url);
                for j in 0..8 {
                    let before: String = rt
                        .block_on(c.query_one("SELECT pg_current_wal_insert_lsn()::text", &[]))
                        .unwrap()
                        .get(0);
                    collect(&store, &format!("tok_flush_{i}_{j}"));
                    let flushed: bool = rt
                        .block_on(c.query_one(
                            "SELECT pg_current_wal_flush_lsn() >= $1::text::pg_lsn",
                            &[&before],
                        ))
                        .unwrap()
                        .get(0);
                    assert!(
                        flushed,
                        "committer {i}: answered before the log was flushed past {before}"
                    );
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(store.ledger_head().unwrap().size.get(), 48 * 8);
    // A settled read (`Store::settle`, the ledger head) flushes past everything before it.
    let (rt, c) = session(&url);
    let lsn = |sql: &str| -> String { rt.block_on(c.query_one(sql, &[])).unwrap().get(0) };
    let past = |before: &str| -> bool {
        rt.block_on(c.query_one(
            "SELECT pg_current_wal_flush_lsn() >= $1::text::pg_lsn",
            &[&before],
        ))
        .unwrap()
        .get(0)
    };
    // Something committed without a flush, from this test's own session.
    rt.block_on(c.batch_execute(
        "SET synchronous_commit = off; CREATE TABLE unflushed(x int); INSERT INTO unflushed VALUES (1);",
    ))
    .unwrap();
    let before = lsn("SELECT pg_current_wal_insert_lsn()::text");
    store.settle().unwrap();
    assert!(
        past(&before),
        "settle returned before the log was flushed past {before}"
    );
    rt.block_on(c.batch_execute("INSERT INTO unflushed VALUES (2);"))
        .unwrap();
    let before = lsn("SELECT pg_current_wal_insert_lsn()::text");
    store.ledger_head().unwrap();
    assert!(
        past(&before),
        "the head was read before the log was flushed past {before}"
    );
    // Every batch of an overlapping run went through the flusher's answers: the writer ran
    // more than one transaction, and none lost a job.
    let stats = store.stats();
    assert!(stats.batches.iter().sum::<u64>() >= 2, "{stats:?}");
    assert_eq!(stats.jobs, 48 * 8);
}
