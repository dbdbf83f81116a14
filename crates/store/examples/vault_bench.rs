//! Vault benchmark on the SQLite store: collects/s and detokenizes/s (validation, decision,
//! sealing, tokens, ledger entry, durable commit) at 1, 2 and 64 concurrent callers, beside
//! the fair reference in the same run: plain SQLite doing exactly the vault's writes per collect
//! (same schema, indexes, settings and statements; no decision, no encryption), 1 and 64
//! collects per transaction (`SqliteStore::reference_collects`), each starting with as many
//! values as the vault held when its run at 1 and at 64 callers started.
//!
//! With a PostgreSQL URL it runs the same harness on the PostgreSQL store, beside the same
//! reference on PostgreSQL (`PgStore::reference_collects`: the writer's own pipelined batch
//! transaction, called directly) on a database `<name>_reference` of the same server.
//!
//! `cargo run --release -p custodian-store --example vault_bench [OPS] [postgres://…]`
//! (OPS defaults to 20000; the database should be empty or disposable, and the reference's
//! database is dropped and created again)
#![expect(clippy::unwrap_used, reason = "a benchmark program, not library code")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use custodian_conformance::{self as conformance, RIDE_HAILING};
use custodian_core::access::{AdminScope, ServiceScope};
use custodian_core::ids::{
    FieldName, Jurisdiction, PurposeId, ServiceName, SubjectId, TenantId, Token,
};
use custodian_core::{Reveal, Store};
use custodian_store::{PgStore, ReferenceRun, SqliteStore};

fn run<T: Send + 'static>(
    threads: usize,
    ops: usize,
    f: Arc<dyn Fn(usize) -> T + Send + Sync>,
) -> f64 {
    let next = Arc::new(AtomicUsize::new(0));
    let t = Instant::now();
    let hs: Vec<_> = (0..threads)
        .map(|_| {
            let (next, f) = (Arc::clone(&next), Arc::clone(&f));
            std::thread::spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= ops {
                        break;
                    }
                    f(i);
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    ops as f64 / t.elapsed().as_secs_f64()
}

/// A new, empty database beside the one `url` names (dropped first if a run left it), for the
/// reference; its URL.
fn reference_database(url: &str) -> String {
    let (base, rest) = url.rsplit_once('/').unwrap();
    let (db, query) = rest.split_once('?').map_or((rest, ""), |(d, q)| (d, q));
    let name = format!("{db}_reference");
    assert!(
        !db.is_empty() && db.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "the URL names no plain database ({db:?})"
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (c, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .await
            .unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
    });
    match query {
        "" => format!("{base}/{name}"),
        q => format!("{base}/{name}?{q}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ops: usize = args.iter().find_map(|s| s.parse().ok()).unwrap_or(20_000);
    let pg = args.iter().find(|a| a.starts_with("postgres")).cloned();
    let dir = tempfile::tempdir().unwrap();
    let vault_store: Arc<dyn Store> = match &pg {
        Some(url) => Arc::new(PgStore::open_with_pool(url, 64).unwrap()),
        None => Arc::new(SqliteStore::open(dir.path()).unwrap()),
    };
    let backend = if pg.is_some() { "PostgreSQL" } else { "SQLite" };
    println!("backend: {backend}");
    // The key holder `custodian serve` uses by default: a KEK file and epoch files beside it.
    let keys = Arc::new(custodian_keys::FileKeys::open(&dir.path().join("kek.key")).unwrap());
    let vault = Arc::new(conformance::vault_with(Arc::clone(&vault_store), keys).unwrap());
    let ride = TenantId::parse("ride").unwrap();
    vault
        .load_manifest(&AdminScope::new(), &ride, RIDE_HAILING)
        .unwrap();
    let cn = Jurisdiction::parse("CN").unwrap();
    let svc = ServiceName::parse("dispatch-svc").unwrap();
    let scope = ServiceScope::new(ride.clone(), svc.clone());
    // `--subjects N`: the subjects collects go round (2,000 by default: each subject collected
    // ten times at 64 callers; more than the vault's subject cache holds, every collect reads
    // its subject from the store).
    let subject_count: usize = args
        .iter()
        .position(|a| a == "--subjects")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let subjects: Arc<Vec<SubjectId>> = Arc::new(
        (0..subject_count)
            .map(|_| vault.register(&scope, &cn, None, false).unwrap())
            .collect(),
    );
    let dispatch = PurposeId::parse("dispatch").unwrap();
    let phone = FieldName::parse("phone").unwrap();

    println!("| operation | callers | ops | ops/s |");
    println!("|---|---|---|---|");
    // Every collect a phone number of its own, as a platform's users have: each value's blind
    // index goes to its own place in the index, as in real use.
    let numbers = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let next_phone = move || {
        let n = numbers.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("138{:08}", n % 100_000_000)
    };
    let tokens = Arc::new(std::sync::Mutex::new(
        Vec::<(Token, String)>::with_capacity(ops * 3),
    ));
    let mut collect64 = 0.0;
    // `--callers N`: only collects at N callers (for profiles).
    let only: Option<usize> = args
        .iter()
        .position(|a| a == "--callers")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok());
    // `--bulk N`: only bulk collects at N callers (for profiles).
    let bulk_only: Option<usize> = args
        .iter()
        .position(|a| a == "--bulk")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok());
    let callers_list = match (only, bulk_only) {
        (Some(n), _) => vec![n],
        (None, Some(_)) => vec![],
        (None, None) => vec![1usize, 2, 64],
    };
    // Values the vault held when its 64-caller collects started (the reference starts as full).
    let (mut held, mut held64) = (0, 0);
    for &callers in &callers_list {
        let before = vault_store.stats();
        let n = if callers == 1 { ops / 10 } else { ops };
        if callers == 64 {
            held64 = held;
        }
        held += n;
        let (v, s, sc, p, f, toks, next_phone) = (
            Arc::clone(&vault),
            Arc::clone(&subjects),
            scope.clone(),
            dispatch.clone(),
            phone.clone(),
            Arc::clone(&tokens),
            next_phone.clone(),
        );
        let rate = run(
            callers,
            n,
            Arc::new(move |i| {
                let subject = &s[i % s.len()];
                let number = next_phone();
                let got = v
                    .collect(&sc, subject, &p, &[(f.clone(), number.as_str())])
                    .unwrap();
                toks.lock().unwrap().push((got[0].token.clone(), number));
            }),
        );
        let after = vault_store.stats();
        let txns: u64 = after.batches.iter().sum::<u64>() - before.batches.iter().sum::<u64>();
        println!(
            "| collect (1 value) | {callers} | {n} | {rate:.0} | {:.1} collects per transaction |",
            (after.jobs - before.jobs) as f64 / txns.max(1) as f64
        );
        collect64 = rate;
    }
    let all: Arc<Vec<(Token, String)>> = Arc::new(tokens.lock().unwrap().clone());
    for &callers in if only.is_some() || bulk_only.is_some() {
        &[][..]
    } else {
        &[1usize, 2, 64][..]
    } {
        let n = if callers == 1 { ops / 10 } else { ops };
        let (v, sc, p, toks) = (
            Arc::clone(&vault),
            scope.clone(),
            dispatch.clone(),
            Arc::clone(&all),
        );
        let rate = run(
            callers,
            n,
            Arc::new(move |i| {
                let (t, number) = &toks[i % toks.len()];
                let got = v
                    .detokenize(&sc, &p, std::slice::from_ref(t), Reveal::Clear)
                    .unwrap();
                assert_eq!(got[0].value.expose(), number);
            }),
        );
        println!("| detokenize (1 token) | {callers} | {n} | {rate:.0} |");
    }
    // Bulk collects: 1,000 items a call (`collect_batch`), 1 and 2 callers; the rate counts values.
    let bulk_callers = match (only, bulk_only) {
        (Some(_), _) => vec![],
        (None, Some(n)) => vec![n],
        (None, None) => vec![1usize, 2],
    };
    for &callers in &bulk_callers {
        let calls = (ops / 1000).max(2);
        let (v, s, sc, p, f, next_phone) = (
            Arc::clone(&vault),
            Arc::clone(&subjects),
            scope.clone(),
            dispatch.clone(),
            phone.clone(),
            next_phone.clone(),
        );
        let rate = run(
            callers,
            calls,
            Arc::new(move |c| {
                let numbers: Vec<String> = (0..1000).map(|_| next_phone()).collect();
                let items: Vec<custodian_core::vault::CollectItem<'_>> = numbers
                    .iter()
                    .enumerate()
                    .map(|(i, number)| custodian_core::vault::CollectItem {
                        subject: s[(c * 1000 + i) % s.len()].clone(),
                        purpose: p.clone(),
                        values: vec![(f.clone(), number.as_str())],
                        idempotency_key: None,
                    })
                    .collect();
                for r in v.collect_batch(&sc, &items).unwrap() {
                    r.unwrap();
                }
            }),
        ) * 1000.0;
        println!(
            "| bulk collect (1,000 values a call) | {callers} | {} | {rate:.0} values/s |",
            calls * 1000
        );
    }
    let stored = vault_store
        .value_by_token(&ride, &all[0].0)
        .unwrap()
        .unwrap();
    let (sealed_len, blind_len) = (
        stored.sealed.len(),
        stored.blind_index.as_ref().map_or(0, String::len),
    );
    let stats = vault_store.stats();
    println!(
        "\nwriter: {} jobs in {} transactions",
        stats.jobs,
        stats.batches.iter().sum::<u64>()
    );
    let reference_url = pg.as_deref().map(reference_database);
    // Values the reference's database holds already (on PostgreSQL both runs share one).
    let mut reference_held = 0;
    for (per_transaction, n, start_with) in [(1, ops / 10, 0), (64, ops, held64)] {
        let run = ReferenceRun {
            collects: n,
            per_transaction,
            subjects: subject_count,
            sealed_len,
            blind_len,
            prefill: start_with.saturating_sub(reference_held),
        };
        // The values the reference's run starts with.
        let reference_start = start_with.max(reference_held);
        if reference_url.is_some() {
            reference_held += run.prefill + n;
        }
        let rate = match &reference_url {
            Some(url) => PgStore::reference_collects(url, &run).unwrap(),
            None => {
                let at = dir.path().join(format!("reference-{per_transaction}"));
                SqliteStore::reference_collects(&at, &run).unwrap()
            }
        };
        println!(
            "| reference: plain {backend} doing the vault's writes, {per_transaction} collect(s) per transaction | 1 | {n} | {rate:.0} |"
        );
        if per_transaction == 64 {
            println!(
                "\nvault at 64 callers / reference (the vault starting with {held64} values, the \
                 reference with {reference_start}): {:.2}",
                collect64 / rate
            );
        }
    }
}
