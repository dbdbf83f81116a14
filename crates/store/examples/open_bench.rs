//! The cost of the authority audit at open: a cell's ledger is read whole when it opens, to
//! hold the store's pinned keys and orders to what the ledger pinned and accepted.
//!
//! `cargo run --release -p custodian-store --example open_bench [ENTRIES] [postgres://…]`
//! (ENTRIES defaults to 1000000; a PostgreSQL database should be empty and disposable)
//!
//! The ledger is filled through `Store::commit` with `collect`-shaped entries (tenant,
//! subject, purpose, service, a field and a token each) in commits of 1,000; then the cell is
//! opened three times and each open timed, beside an open of the same cell at its first 1,000
//! entries (same run, same store).
#![expect(clippy::unwrap_used, reason = "a benchmark program, not library code")]

use std::sync::Arc;
use std::time::Instant;

use custodian_conformance as conformance;
use custodian_core::Store;
use custodian_core::store::Change;
use custodian_ledger::{Decision, Entry, EntryKind, Id};
use custodian_store::{PgStore, SqliteStore};

fn entry(i: u64) -> Entry {
    let mut e = Entry::new(
        EntryKind::Collect,
        1_800_000_000_000 + i as i64,
        Decision::Allow,
    );
    e.tenant = Id::new("ride").ok();
    e.subject = Id::new(&format!("sub_{i:016x}")).ok();
    e.purpose = Id::new("dispatch").ok();
    e.service = Id::new("dispatch-svc").ok();
    e.fields = vec![Id::new("phone").unwrap()];
    e.tokens = vec![Id::new(&format!("tok_{i:024x}")).unwrap()];
    e
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: u64 = args
        .iter()
        .find_map(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let pg = args.iter().find(|a| a.starts_with("postgres")).cloned();
    let dir = tempfile::tempdir().unwrap();
    let open = || -> Arc<dyn Store> {
        match &pg {
            Some(url) => Arc::new(PgStore::open(url).unwrap()),
            None => Arc::new(SqliteStore::open(dir.path()).unwrap()),
        }
    };
    let backend = if pg.is_some() { "PostgreSQL" } else { "SQLite" };
    let time_open = || {
        let t = Instant::now();
        let v = conformance::vault(open()).unwrap();
        let d = t.elapsed();
        drop(v);
        d
    };
    {
        let store = open();
        drop(conformance::vault(store.clone()).unwrap());
        let mut i = 0;
        while i < 1000 {
            store
                .commit(Change::Record, (i..i + 100).map(entry).collect())
                .unwrap();
            i += 100;
        }
    }
    let small: Vec<_> = (0..3).map(|_| time_open()).collect();
    {
        let store = open();
        let mut i = 1000;
        let t = Instant::now();
        while i < n {
            let end = (i + 1000).min(n);
            store
                .commit(Change::Record, (i..end).map(entry).collect())
                .unwrap();
            i = end;
        }
        eprintln!("filled {n} entries in {:.1} s", t.elapsed().as_secs_f64());
    }
    let big: Vec<_> = (0..3).map(|_| time_open()).collect();
    let ms = |v: &[std::time::Duration]| {
        let mut m: Vec<f64> = v.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        m.sort_by(f64::total_cmp);
        (m[1], m)
    };
    let (s, sr) = ms(&small);
    let (b, br) = ms(&big);
    println!("{backend}: open at 1,000 entries {s:.1} ms (runs {sr:.1?})");
    println!(
        "{backend}: open at {n} entries {b:.1} ms (runs {br:.1?}); {:.2} µs per entry",
        (b - s) * 1e3 / (n - 1000) as f64
    );
}
