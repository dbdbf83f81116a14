//! Durability beside the commit (SQLite): a batch is answered, replayed and counted in the
//! ledger head only once its write-ahead logs are on disk, and a sync that fails stops the
//! writes. The disk's sync is slowed or failed by debug-build switches, so each case runs in a
//! child process of this test binary with its switch set.
// The switches exist only in debug builds (`cargo test`, as `scripts/test` runs it).
#![cfg(debug_assertions)]
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use custodian_core::Store;
use custodian_core::ids::{FieldName, PurposeId, SubjectId, TenantId, Token};
use custodian_core::store::{Change, IdempotencyRecord, ValueRecord};
use custodian_ledger::{Decision, Entry, EntryKind};
use custodian_store::SqliteStore;

const SYNC_DELAY_MS: u64 = 400;

fn run_child(test: &str, env: (&str, &str)) {
    run_child_with(test, &[env]);
}

fn run_child_with(test: &str, env: &[(&str, &str)]) {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            test,
            "--exact",
            "--ignored",
            "--test-threads=1",
            "--nocapture",
        ])
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{test} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The child ran the test (a filter that matched nothing would pass too).
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn tenant() -> TenantId {
    TenantId::parse("ride").unwrap()
}

fn collect(n: u32) -> Change {
    Change::Collect {
        values: vec![ValueRecord {
            tenant: tenant(),
            subject: SubjectId::parse("sub_aaaaaaaaaaaaaaaaaaaaaaaaaa").unwrap(),
            field: FieldName::parse("phone").unwrap(),
            token: Token::parse(&format!("tok_durable{n:017}")).unwrap(),
            blind_index: None,
            sealed: vec![1; 52],
            key_version: 1,
            purpose: PurposeId::parse("dispatch").unwrap(),
            collected_at: 0,
        }],
        key: None,
    }
}

fn entry() -> Vec<Entry> {
    vec![Entry::new(EntryKind::Collect, 0, Decision::Allow)]
}

#[test]
fn nothing_is_answered_replayed_or_in_the_head_before_it_is_on_disk() {
    run_child(
        "child_slow_sync",
        ("CUSTODIAN_TEST_SYNC_DELAY_MS", &SYNC_DELAY_MS.to_string()),
    );
}

#[test]
#[ignore = "run by nothing_is_answered_replayed_or_in_the_head_before_it_is_on_disk"]
fn child_slow_sync() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(dir.path()).unwrap());
    let before = store.ledger_head().unwrap().size.get();
    let key = [7u8; 32];
    let change = Change::Idempotent {
        record: IdempotencyRecord {
            tenant: tenant(),
            key,
            fingerprint: [9u8; 32],
            result: b"tok_durable".to_vec(),
            created_at: 0,
        },
        change: Box::new(collect(1)),
    };
    let sent = Instant::now();
    let committer = {
        let store = Arc::clone(&store);
        std::thread::spawn(move || {
            let r = store.commit(change, entry());
            (r, sent.elapsed())
        })
    };
    // The batch is committed (a read that feeds an act sees its value at once) while its sync
    // is held back: the head has not moved and the committer has no answer.
    let token = Token::parse("tok_durable00000000000000001").unwrap();
    while store.value_by_token(&tenant(), &token).unwrap().is_none() {
        assert!(
            sent.elapsed() < Duration::from_millis(SYNC_DELAY_MS),
            "the commit took the whole delay"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(
        store.ledger_head().unwrap().size.get(),
        before,
        "the head moved before the sync"
    );
    assert!(!committer.is_finished(), "answered before the sync");
    // A replay of its idempotency key answers only once the batch is on disk, and then the
    // head holds the entry.
    let replay = store.idempotency(&tenant(), &key).unwrap().unwrap();
    let replayed_after = sent.elapsed();
    assert_eq!(replay.result, b"tok_durable");
    assert!(
        replayed_after >= Duration::from_millis(SYNC_DELAY_MS - 50),
        "replayed after {replayed_after:?}, before the sync"
    );
    assert_eq!(store.ledger_head().unwrap().size.get(), before + 1);
    let (r, answered_after) = committer.join().unwrap();
    assert_eq!(r.unwrap().len(), 1);
    assert!(
        answered_after >= Duration::from_millis(SYNC_DELAY_MS - 50),
        "{answered_after:?}"
    );
    // A listing read settles the same way: the ledger's entries read back once on disk.
    assert_eq!(
        store.ledger_entries(0, u64::MAX).unwrap().len() as u64,
        before + 1
    );
}

/// A batch's `COMMIT` that fails (as an I/O error would, a debug-build switch) is told its
/// outcome is unknown, not that it failed (it may have been committed in one file of the two),
/// and the store takes no more writes until a restart: its log in memory may be behind the disk.
#[test]
fn a_failed_commit_is_an_unknown_outcome_and_stops_the_writes() {
    run_child(
        "child_failed_commit",
        ("CUSTODIAN_TEST_FAULT", "commit-fails"),
    );
}

#[test]
#[ignore = "run by a_failed_commit_is_an_unknown_outcome_and_stops_the_writes"]
fn child_failed_commit() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let before = store.ledger_head().unwrap();
    let err = store.commit(collect(0), entry()).unwrap_err();
    assert!(
        matches!(err, custodian_core::store::StoreError::OutcomeUnknown(_)),
        "{err:?}"
    );
    let err = store.commit(collect(1), entry()).unwrap_err();
    assert!(
        matches!(err, custodian_core::store::StoreError::Backend(_)),
        "{err:?}"
    );
    assert!(err.to_string().contains("restart the cell"), "{err}");
    assert_eq!(store.ledger_head().unwrap(), before);
}

#[test]
fn a_failed_sync_stops_the_writes() {
    run_child("child_failed_sync", ("CUSTODIAN_TEST_FAULT", "sync-fails"));
}

#[test]
#[ignore = "run by a_failed_sync_stops_the_writes"]
fn child_failed_sync() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let before = store.ledger_head().unwrap();
    for n in 0..3 {
        let err = store.commit(collect(n), entry()).unwrap_err();
        // The first was committed and its sync failed: whether it is on disk is unknown. The
        // store then takes no more writes (those fail before they are carried out).
        assert_eq!(
            matches!(err, custodian_core::store::StoreError::OutcomeUnknown(_)),
            n == 0,
            "{err:?}"
        );
        let e = err.to_string();
        assert!(
            e.contains("a sync failed") && e.contains("restart the cell"),
            "{e}"
        );
    }
    // Nothing moved the head, and a read that would show the unsynced batch says why instead.
    assert_eq!(store.ledger_head().unwrap(), before);
    let e = store.ledger_entries(0, u64::MAX).unwrap_err().to_string();
    assert!(e.contains("a sync failed"), "{e}");
    // A copy refuses too: it would hold what the disk may not.
    let out = tempfile::tempdir().unwrap();
    assert!(store.snapshot(&out.path().join("copy")).is_err());
}

#[test]
fn many_committers_are_each_answered_after_a_sync_with_the_head_ahead() {
    run_child(
        "child_many_committers",
        ("CUSTODIAN_TEST_SYNC_DELAY_MS", "60"),
    );
}

#[test]
#[ignore = "run by many_committers_are_each_answered_after_a_sync_with_the_head_ahead"]
fn child_many_committers() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(dir.path()).unwrap());
    let before = store.ledger_head().unwrap().size.get();
    let committers = 48u32;
    let gate = Arc::new(std::sync::Barrier::new(committers as usize + 1));
    let handles: Vec<_> = (0..committers)
        .map(|n| {
            let (store, gate) = (Arc::clone(&store), Arc::clone(&gate));
            std::thread::spawn(move || {
                gate.wait();
                let sent = Instant::now();
                let idx = store.commit(collect(100 + n), entry()).unwrap();
                let waited = sent.elapsed();
                // Answered only once the head holds the entry.
                let head = store.ledger_head().unwrap().size.get();
                (idx[0].get(), head, waited)
            })
        })
        .collect();
    gate.wait();
    // A copy taken while the batches commit and sync.
    let copy = tempfile::tempdir().unwrap();
    let copied = store.snapshot(&copy.path().join("copy")).unwrap();
    // The head, watched meanwhile, never goes back.
    let mut last = before;
    while !handles.iter().all(std::thread::JoinHandle::is_finished) {
        let now = store.ledger_head().unwrap().size.get();
        assert!(now >= last, "the head went back from {last} to {now}");
        last = now;
    }
    for h in handles {
        let (idx, head, waited) = h.join().unwrap();
        assert!(
            head > idx,
            "answered with entry {idx} beyond the head {head}"
        );
        assert!(
            waited >= Duration::from_millis(50),
            "answered after {waited:?}, before a sync"
        );
    }
    assert_eq!(
        store.ledger_head().unwrap().size.get(),
        before + u64::from(committers)
    );
    // Batches overlapped: more than one went to the disk while others committed.
    let stats = store.stats();
    assert!(stats.batches.iter().sum::<u64>() >= 2, "{stats:?}");
    // The copy opens, with a ledger no longer than the head when it was taken.
    let reopened = SqliteStore::open(&copy.path().join("copy")).unwrap();
    assert_eq!(reopened.ledger_head().unwrap().size.get(), copied);
    assert!(copied <= before + u64::from(committers));
}

#[test]
fn a_deferred_read_gives_its_values_only_once_its_entry_is_on_disk() {
    run_child(
        "child_deferred_read",
        ("CUSTODIAN_TEST_SYNC_DELAY_MS", &SYNC_DELAY_MS.to_string()),
    );
}

#[test]
#[ignore = "run by a_deferred_read_gives_its_values_only_once_its_entry_is_on_disk"]
fn child_deferred_read() {
    use custodian_core::access::ServiceScope;
    use custodian_core::ids::ServiceName;
    use custodian_core::vault::Reveal;
    use std::task::{Context, Poll, Waker};

    let dir = tempfile::tempdir().unwrap();
    let (v, token) = cell_with_a_value(dir.path());
    let svc = ServiceScope::new(tenant(), ServiceName::parse("dispatch-svc").unwrap());
    let dispatch = PurposeId::parse("dispatch").unwrap();
    let tokens = vec![token];
    let before = v.ledger_size();

    // The act runs on this thread and hands its entry over without waiting for it.
    let sent = Instant::now();
    let d = v
        .detokenize_deferred(&svc, &dispatch, &tokens, Reveal::Clear)
        .expect("a SQLite cell with a key holder in memory runs the read deferred");
    assert!(
        sent.elapsed() < Duration::from_millis(SYNC_DELAY_MS / 2),
        "the act waited for its commit"
    );
    // Its values are not given while the entry's sync is held back, and the head has not
    // moved; they come once it is on disk, with the head past the entry.
    let mut finish = std::pin::pin!(d.finish());
    let mut cx = Context::from_waker(Waker::noop());
    let back = loop {
        if let Poll::Ready(r) = finish.as_mut().poll(&mut cx) {
            break r.unwrap();
        }
        if sent.elapsed() < Duration::from_millis(SYNC_DELAY_MS - 50) {
            assert_eq!(v.ledger_size(), before, "the head moved before the sync");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let answered_after = sent.elapsed();
    assert!(
        answered_after >= Duration::from_millis(SYNC_DELAY_MS - 50),
        "values given after {answered_after:?}, before their entry was on disk"
    );
    assert_eq!(back[0].value.expose(), "北京市朝阳区建国路88号");
    assert_eq!(v.ledger_size(), before + 1);
}

/// A cell with a tenant, one subject and one value collected, in `dir` (a KEK file beside the
/// store, so another process opens it), and the value's token.
fn cell_with_a_value(dir: &std::path::Path) -> (custodian_core::vault::Vault, Token) {
    use custodian_core::access::{AdminScope, ServiceScope};
    use custodian_core::ids::{Jurisdiction, ServiceName};

    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.join("store")).unwrap());
    let keys = Arc::new(custodian_keys::FileKeys::open(&dir.join("kek.key")).unwrap());
    let v = custodian_conformance::vault_with(store, keys).unwrap();
    v.load_manifest(
        &AdminScope::new(),
        &tenant(),
        custodian_conformance::RIDE_HAILING,
    )
    .unwrap();
    let svc = ServiceScope::new(tenant(), ServiceName::parse("dispatch-svc").unwrap());
    let s = v
        .register(&svc, &Jurisdiction::parse("CN").unwrap(), None, false)
        .unwrap();
    let got = v
        .collect(
            &svc,
            &s,
            &PurposeId::parse("dispatch").unwrap(),
            &[(
                FieldName::parse("pickup").unwrap(),
                "北京市朝阳区建国路88号",
            )],
        )
        .unwrap();
    let token = got[0].token.clone();
    (v, token)
}

#[test]
fn a_deferred_read_whose_entry_fails_to_sync_gives_no_value() {
    let dir = tempfile::tempdir().unwrap();
    let (v, token) = cell_with_a_value(dir.path());
    drop(v);
    run_child_with(
        "child_deferred_read_fails",
        &[
            ("CUSTODIAN_TEST_FAULT", "sync-fails"),
            ("CUSTODIAN_TEST_CELL", dir.path().to_str().unwrap()),
            ("CUSTODIAN_TEST_TOKEN", token.as_str()),
        ],
    );
}

#[test]
#[ignore = "run by a_deferred_read_whose_entry_fails_to_sync_gives_no_value"]
fn child_deferred_read_fails() {
    use custodian_core::access::ServiceScope;
    use custodian_core::ids::ServiceName;
    use custodian_core::vault::Reveal;

    let dir = std::path::PathBuf::from(std::env::var("CUSTODIAN_TEST_CELL").unwrap());
    let token = Token::parse(&std::env::var("CUSTODIAN_TEST_TOKEN").unwrap()).unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.join("store")).unwrap());
    let keys = Arc::new(custodian_keys::FileKeys::open(&dir.join("kek.key")).unwrap());
    let v = custodian_conformance::vault_with(store, keys).unwrap();
    let svc = ServiceScope::new(tenant(), ServiceName::parse("dispatch-svc").unwrap());
    let d = v
        .detokenize_deferred(
            &svc,
            &PurposeId::parse("dispatch").unwrap(),
            &[token],
            Reveal::Clear,
        )
        .expect("a SQLite cell with a file key holder runs the read deferred");
    // The act decided and decrypted; its entry committed but could not be synced: the value
    // is not given, the error says why.
    let Err(e) = d.wait() else {
        panic!("a value given without its entry on disk");
    };
    let e = e.to_string();
    assert!(e.contains("a sync failed"), "{e}");
}
