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
use custodian_core::store::{Change, StoreError};
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
    run_child(
        "child_slow_flush",
        &[("CUSTODIAN_TEST_FLUSH_DELAY_MS", "300"), (CHILD_VAR, &url)],
    );
}

/// Runs the ignored test `name` of this binary in a process of its own with `env` (the flush
/// delay is a process-wide switch); its output, once it passed.
#[cfg(debug_assertions)]
fn run_child(name: &str, env: &[(&str, &str)]) -> String {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            name,
            "--exact",
            "--ignored",
            "--test-threads=1",
            "--nocapture",
        ])
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
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

/// A durable PostgreSQL cluster of the test's own (`scripts/postgres`, in a temporary
/// directory, on a free port), which the test may crash; deleted when dropped.
#[cfg(debug_assertions)]
struct Cluster {
    base: tempfile::TempDir,
    port: u16,
}

#[cfg(debug_assertions)]
impl Cluster {
    fn start() -> Cluster {
        let base = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Cluster { base, port };
        assert_eq!(postgres_script(cluster.base.path(), port, "start"), Ok(()));
        cluster
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/custodian", self.port)
    }
}

/// Runs `scripts/postgres <cmd>` on the durable cluster in `base` on `port`; its error output
/// if it failed. The cluster's WAL writer wakes only every 10 s and its background writer
/// writes no pages, so a commit made without waiting for the disk stays in the server's memory
/// until a flush (or is lost in a crash).
#[cfg(debug_assertions)]
fn postgres_script(base: &std::path::Path, port: u16, cmd: &str) -> Result<(), String> {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/postgres");
    let out = std::process::Command::new("bash")
        .arg(script)
        .arg(cmd)
        .env("PGBASE", base)
        .env("PGPORT", port.to_string())
        .env("PG_DURABLE", "1")
        .env(
            "PG_OPTS",
            "-c wal_writer_delay=10000 -c bgwriter_lru_maxpages=0 -c autovacuum=off",
        )
        .output()
        .map_err(|e| e.to_string())?;
    match out.status.success() {
        true => Ok(()),
        false => Err(format!(
            "scripts/postgres {cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        )),
    }
}

#[cfg(debug_assertions)]
impl Drop for Cluster {
    fn drop(&mut self) {
        // Never a panic here (the test may be failing already): a cluster left running is
        // reported, not asserted.
        if let Err(e) = postgres_script(self.base.path(), self.port, "clean") {
            eprintln!("{e}");
        }
    }
}

/// The server crashes while committed batches wait for their flush (held back 4 s), and
/// comes back before the flush — restarted as a whole, or recovered in place after one of its
/// backends was killed (its start time then stays the same) —: no caller is told its collect
/// succeeded unless it is in the database afterwards (the batches were not flushed, so the
/// flusher, though its own flush succeeds under the server's new incarnation, tells their
/// callers the outcome is unknown), and a read of the ledger head made before the crash is not
/// answered with a head the server no longer has.
#[cfg(debug_assertions)] // the delay is a debug-build switch
#[test]
fn a_crash_before_the_flush_is_never_answered_as_success() {
    let cluster = Cluster::start();
    for how in ["restart", "backend"] {
        let (base, port) = (
            cluster.base.path().to_str().unwrap(),
            cluster.port.to_string(),
        );
        let stdout = run_child(
            "child_crash_before_flush",
            &[
                ("CUSTODIAN_TEST_FLUSH_DELAY_MS", "4000"),
                (CHILD_VAR, &cluster.url()),
                ("CUSTODIAN_TEST_PGBASE", base),
                ("CUSTODIAN_TEST_PGPORT", &port),
                ("CUSTODIAN_TEST_CRASH", how),
            ],
        );
        println!("{how}: {stdout}");
    }
}

#[cfg(debug_assertions)]
#[test]
#[ignore = "run by a_crash_before_the_flush_is_never_answered_as_success"]
fn child_crash_before_flush() {
    let url = std::env::var(CHILD_VAR).unwrap();
    let base = std::env::var("CUSTODIAN_TEST_PGBASE").unwrap();
    let port: u16 = std::env::var("CUSTODIAN_TEST_PGPORT")
        .unwrap()
        .parse()
        .unwrap();
    let how = std::env::var("CUSTODIAN_TEST_CRASH").unwrap();
    let store = Arc::new(PgStore::open(&url).unwrap());
    let gate = Arc::new(std::sync::Barrier::new(9));
    let token = |i: usize| format!("tok_crash_{how}_{i}");
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let (store, gate, token) = (Arc::clone(&store), Arc::clone(&gate), token(i));
            std::thread::spawn(move || {
                gate.wait();
                store
                    .commit(
                        Change::Collect {
                            values: vec![value(&token)],
                            key: None,
                        },
                        vec![Entry::new(EntryKind::KeyRotation, 0, Decision::None)],
                    )
                    .map(|_| ())
            })
        })
        .collect();
    gate.wait();
    // The collects commit at once; their answers wait for the flush, held back 4 s. A read
    // of the ledger head (an answer a checkpoint is signed over) sees them and waits for its
    // own flush too.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let reader = {
        let store = Arc::clone(&store);
        std::thread::spawn(move || store.ledger_head())
    };
    // Two reads whose answers wait for `Store::settle` (as a consents listing does), settled
    // only after the crash: neither is confirmed (the second settle, too, after the first
    // found the change).
    let after_crash = Arc::new(std::sync::Barrier::new(3));
    let settlers: Vec<_> = (0..2)
        .map(|_| {
            let (store, after_crash) = (Arc::clone(&store), Arc::clone(&after_crash));
            std::thread::spawn(move || {
                let v = value("tok_unused");
                store.consents(&v.tenant, &v.subject).unwrap();
                after_crash.wait();
                store.settle()
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(500));
    match how.as_str() {
        "restart" => {
            postgres_script(std::path::Path::new(&base), port, "crash").unwrap();
            postgres_script(std::path::Path::new(&base), port, "start").unwrap();
        }
        _ => {
            // One backend killed: the server ends every other and recovers in place.
            let (rt, c) = session(&url);
            let pid: i32 = rt
                .block_on(c.query_one(
                    "SELECT pid FROM pg_stat_activity
                     WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() LIMIT 1",
                    &[],
                ))
                .unwrap()
                .get(0);
            let killed = std::process::Command::new("bash")
                .args(["-c", &format!("kill -9 {pid}")])
                .status()
                .unwrap();
            assert!(killed.success());
            let back = (0..100).any(|_| {
                std::thread::sleep(std::time::Duration::from_millis(100));
                runtime()
                    .block_on(tokio_postgres::connect(&url, tokio_postgres::NoTls))
                    .is_ok()
            });
            assert!(back, "the server did not recover within 10 s");
        }
    }
    after_crash.wait();
    for s in settlers {
        let r = s.join().unwrap();
        assert!(
            matches!(&r, Err(e) if e.to_string().contains("after the read")),
            "a read made before the crash was settled after it: {r:?}"
        );
    }
    let told: Vec<Result<(), StoreError>> =
        threads.into_iter().map(|t| t.join().unwrap()).collect();
    let head = reader.join().unwrap();
    let (rt, c) = session(&url);
    let (mut unknown, mut across) = (0, 0);
    for (i, r) in told.iter().enumerate() {
        let stored: i64 = rt
            .block_on(c.query_one("SELECT count(*) FROM vals WHERE token = $1", &[&token(i)]))
            .unwrap()
            .get(0);
        println!("collect {i}: {r:?}, stored {stored}");
        match r {
            Ok(()) => assert_eq!(stored, 1, "collect {i} was told it succeeded and is gone"),
            Err(StoreError::OutcomeUnknown(m)) => {
                unknown += 1;
                // Found out by the incarnation (not by a connection that failed).
                if m.contains("crashed or restarted after the commit") {
                    across += 1;
                }
            }
            Err(e) => assert_eq!(
                stored, 0,
                "collect {i} was told it failed ({e}) and is stored"
            ),
        }
    }
    assert!(
        unknown >= 1 && across >= 1,
        "no collect's flush was found to be under another incarnation: {told:?}"
    );
    let size: i64 = rt
        .block_on(c.query_one("SELECT size FROM ledger_head", &[]))
        .unwrap()
        .get(0);
    println!("head read: {head:?}, size after the crash {size}");
    if let Ok(h) = head {
        assert!(
            h.size.get() <= u64::try_from(size).unwrap(),
            "a head of {} entries was answered; after the crash the ledger has {size}",
            h.size.get()
        );
    }
}
