//! Ledger benchmark: appends per second (one at a time and batched), proof generation and
//! verification at 1M and 10M entries, memory. Prints a Markdown table.
//!
//! `cargo run --release -p custodian-ledger --example ledger_bench [SIZES...]` (default 1000000 10000000)
#![expect(clippy::unwrap_used, reason = "a benchmark program, not library code")]

use std::time::Instant;

use custodian_ledger::{
    Decision, Entry, EntryKind, Hash, Id, LeafIndex, Log, MemoryStore, NodeStore, TreeSize,
    leaf_hash,
};

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_string)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A small deterministic generator (xorshift) for proof positions.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn entry(i: u64) -> Entry {
    let mut e = Entry::new(
        EntryKind::Detokenize,
        1_760_000_000_000 + i as i64,
        Decision::Allow,
    );
    e.tenant = Some(Id::new("ride-hailing").unwrap());
    e.subject = Some(Id::new(&format!("sub_{i:016x}")).unwrap());
    e.fields = vec![Id::new("phone").unwrap()];
    e.purpose = Some(Id::new("dispatch").unwrap());
    e.service = Some(Id::new("dispatch-svc").unwrap());
    e
}

fn main() {
    let sizes: Vec<u64> = {
        let a: Vec<u64> = std::env::args()
            .skip(1)
            .filter_map(|s| s.parse().ok())
            .collect();
        if a.is_empty() {
            vec![1_000_000, 10_000_000]
        } else {
            a
        }
    };
    println!(
        "| entries | appends/s one at a time | appends/s batched (1000) | entries/s incl. encoding + leaf hash, batched | inclusion proof gen | inclusion verify | consistency proof gen | consistency verify | node store | peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for &n in &sizes {
        // Leaf hashes prepared up front for the tree-only figures.
        let leaves: Vec<Hash> = (0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect();

        let mut log = Log::new();
        let mut store = MemoryStore::new();
        let t = Instant::now();
        for l in &leaves {
            let (_, nodes) = log.append(*l);
            store.put_nodes(&nodes).unwrap();
        }
        let one = n as f64 / t.elapsed().as_secs_f64();

        let mut log_b = Log::new();
        let mut store_b = MemoryStore::new();
        let t = Instant::now();
        for chunk in leaves.chunks(1000) {
            let (_, nodes) = log_b.append_batch(chunk);
            store_b.put_nodes(&nodes).unwrap();
        }
        let batched = n as f64 / t.elapsed().as_secs_f64();
        assert_eq!(log.root(), log_b.root());
        drop(store_b);

        // Full path on a smaller run: encode the entry, hash the leaf, append in batches.
        let m = n.min(1_000_000);
        let mut log_c = Log::new();
        let mut store_c = MemoryStore::new();
        let t = Instant::now();
        let mut buf = Vec::with_capacity(1000);
        for i in 0..m {
            buf.push(entry(i).leaf_hash().unwrap());
            if buf.len() == 1000 {
                let (_, nodes) = log_c.append_batch(&buf);
                store_c.put_nodes(&nodes).unwrap();
                buf.clear();
            }
        }
        let (_, nodes) = log_c.append_batch(&buf);
        store_c.put_nodes(&nodes).unwrap();
        let full = m as f64 / t.elapsed().as_secs_f64();
        drop(store_c);

        let size = TreeSize::new(n);
        let root = log.root();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let k = 20_000;
        let idx: Vec<u64> = (0..k).map(|_| rng.next() % n).collect();
        let t = Instant::now();
        let proofs: Vec<_> = idx
            .iter()
            .map(|&i| {
                log.prove_inclusion(&store, LeafIndex::new(i), size)
                    .unwrap()
            })
            .collect();
        let gen_us = t.elapsed().as_secs_f64() * 1e6 / k as f64;
        let t = Instant::now();
        for (p, &i) in proofs.iter().zip(&idx) {
            p.verify(&leaves[i as usize], &root).unwrap();
        }
        let ver_us = t.elapsed().as_secs_f64() * 1e6 / k as f64;

        let kc = 2_000;
        let s1s: Vec<u64> = (0..kc).map(|_| 1 + rng.next() % n).collect();
        let roots1: Vec<Hash> = s1s
            .iter()
            .map(|&s| log.root_at(&store, TreeSize::new(s)).unwrap())
            .collect();
        let t = Instant::now();
        let cproofs: Vec<_> = s1s
            .iter()
            .map(|&s| {
                log.prove_consistency(&store, TreeSize::new(s), size)
                    .unwrap()
            })
            .collect();
        let cgen_us = t.elapsed().as_secs_f64() * 1e6 / kc as f64;
        let t = Instant::now();
        for (p, r1) in cproofs.iter().zip(&roots1) {
            p.verify(r1, &root).unwrap();
        }
        let cver_us = t.elapsed().as_secs_f64() * 1e6 / kc as f64;

        println!(
            "| {n} | {:.2} M/s | {:.2} M/s | {:.2} M/s | {:.1} µs | {:.1} µs | {:.1} µs | {:.1} µs | {:.0} MiB | {:.0} MiB |",
            one / 1e6,
            batched / 1e6,
            full / 1e6,
            gen_us,
            ver_us,
            cgen_us,
            cver_us,
            store.bytes() as f64 / 1048576.0,
            peak_rss_mib()
        );
    }
}
