//! Key hierarchy benchmark: erase latency and the time of an epoch rotation over N subjects, on
//! the SQLite store (or PostgreSQL, given a URL), with the file key holder `custodian serve`
//! uses by default.
//!
//! `cargo run --release -p custodian-store --example keys_bench [SUBJECTS] [postgres://…]`
//! (SUBJECTS defaults to 100000; a PostgreSQL database should be empty and disposable)
//!
//! Subjects are stored through `Store::commit` (a register change each, from 8 threads, no
//! ledger entries — the rotation, not registration, is measured); erasures and the rotation
//! go through the vault. Then the answer to whether the first erasure is final
//! (`Vault::erasure_finality`, which reads the ledger from the erasure on) with SUBJECTS
//! entries recorded after it: pending before the rotation, final (with its proof) after.
#![expect(clippy::unwrap_used, reason = "a benchmark program, not library code")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use custodian_conformance::{self as conformance, RIDE_HAILING};
use custodian_core::Store;
use custodian_core::access::{AdminScope, DpoScope, RegulatorScope, Scope};
use custodian_core::crypto::DataKey;
use custodian_core::ids::{Jurisdiction, SubjectId, TenantId};
use custodian_core::keyring::KeyHolder;
use custodian_core::store::{Change, WrappedKey};
use custodian_core::subject::SubjectInfo;
use custodian_ledger::{Decision, Entry, EntryKind};
use custodian_store::{PgStore, SqliteStore};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.iter().find_map(|s| s.parse().ok()).unwrap_or(100_000);
    let pg = args.iter().find(|a| a.starts_with("postgres")).cloned();
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = match &pg {
        Some(url) => Arc::new(PgStore::open_with_pool(url, 16).unwrap()),
        None => Arc::new(SqliteStore::open(dir.path()).unwrap()),
    };
    let backend = if pg.is_some() { "PostgreSQL" } else { "SQLite" };
    let keys = Arc::new(custodian_keys::FileKeys::open(&dir.path().join("kek.key")).unwrap());
    let vault = conformance::vault_with(store.clone(), keys.clone()).unwrap();
    let ride = TenantId::parse("ride").unwrap();
    vault
        .load_manifest(&AdminScope::new(), &ride, RIDE_HAILING)
        .unwrap();
    let cn = Jurisdiction::parse("CN").unwrap();

    let t = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (next, store, keys, ride, cn) = (
                next.clone(),
                store.clone(),
                keys.clone(),
                ride.clone(),
                cn.clone(),
            );
            std::thread::spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let id = SubjectId::parse(&format!("sub_bench{i:010}")).unwrap();
                    let aad = format!("custodian/subject-key/v1\n{ride}\n{id}");
                    let blob = keys
                        .wrap(1, &DataKey::generate().unwrap(), aad.as_bytes())
                        .unwrap();
                    store
                        .commit(
                            Change::Register {
                                subject: SubjectInfo {
                                    id,
                                    tenant: ride.clone(),
                                    jurisdiction: cn.clone(),
                                    role: None,
                                    minor: false,
                                    registered_at: 0,
                                    erased: false,
                                    legal_hold: None,
                                    version: 0,
                                },
                                wrapped_key: WrappedKey { epoch: 1, blob },
                            },
                            vec![],
                        )
                        .unwrap();
                }
            })
        })
        .collect();
    for h in threads {
        h.join().unwrap();
    }
    println!(
        "backend: {backend}; {n} subjects stored in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    // Erase latency: one DPO erasing 200 subjects one after the other.
    let dpo = DpoScope::new(ride.clone());
    let mut lat = Vec::with_capacity(200);
    let mut first = None;
    for i in 0..200 {
        let id = SubjectId::parse(&format!("sub_bench{:010}", i * (n / 200))).unwrap();
        let t = Instant::now();
        let r = vault.erase_subject(&dpo, &id).unwrap();
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
        first.get_or_insert(r.index);
    }
    let first = first.unwrap();
    lat.sort_by(f64::total_cmp);
    println!(
        "| erase, one at a time | 200 | p50 {:.2} ms | p99 {:.2} ms |",
        lat[lat.len() / 2],
        lat[lat.len() * 99 / 100]
    );

    // A day's acts after the erasure: `n` entries, in commits of 1,000.
    let t = Instant::now();
    for _ in 0..n.div_ceil(1000) {
        let entries = (0..1000)
            .map(|_| {
                let mut e = Entry::new(EntryKind::Access, 1, Decision::Allow);
                e.tenant = Some(ride.ledger());
                e
            })
            .collect();
        store.commit(Change::Record, entries).unwrap();
    }
    println!(
        "{} entries recorded after the erasure in {:.1} s",
        n.div_ceil(1000) * 1000,
        t.elapsed().as_secs_f64()
    );
    let regulator = Scope::Regulator(RegulatorScope::new());
    let finality = |what: &str| {
        let t = Instant::now();
        let f = vault
            .erasure_finality(&regulator, first, None, None)
            .unwrap();
        let secs = t.elapsed().as_secs_f64();
        println!(
            "| erasure finality, {what} | {} entries after it | {:.3} s | final: {} |",
            vault.ledger_size() - first,
            secs,
            f.proof.is_some()
        );
    };
    finality("pending");

    let t = Instant::now();
    let r = vault.rotate_epoch(&AdminScope::new()).unwrap();
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(r.subject_keys as usize, n - 200);
    println!(
        "| epoch rotation | {} keys | {secs:.1} s | {:.0} keys/s |",
        r.subject_keys,
        r.subject_keys as f64 / secs
    );
    finality("final");
}
