//! Witness cosigning rate: checkpoints per second a witness verifies (the log's signature and
//! a consistency proof from its latest checkpoint) and cosigns, in the same run with its state
//! in memory and on disk (`FileState`: each new checkpoint written, fsynced and renamed before
//! the cosignature is returned, as `custodian witness serve` does).
//!
//! `cargo run --release -p custodian-server --example witness_bench [CHECKPOINTS] [LEAVES_PER]`
//! (defaults 2000 and 100): a log grows by LEAVES_PER entries between checkpoints; the timed
//! part is `Witness::add_checkpoint` on prepared request bodies.
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

use std::time::Instant;

use custodian_ledger::witness::{MemoryState, Witness, WitnessState, add_checkpoint_body};
use custodian_ledger::{
    Checkpoint, Cosigner, Log, MemoryStore, NodeStore, Signer, TreeSize, leaf_hash,
};
use custodian_server::witness::FileState;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().map_or(2000, |a| a.parse().unwrap());
    let per: u64 = args.next().map_or(100, |a| a.parse().unwrap());
    let origin = "custodian.bench/cn/ledger";
    let log_key = Signer::from_seed(origin, &[1; 32]).unwrap();
    // The requests, prepared outside the timing: checkpoint i with a proof from i-1.
    let (mut log, mut store) = (Log::new(), MemoryStore::new());
    let mut bodies = Vec::new();
    let mut prev = 0u64;
    for i in 0..n {
        for j in 0..per {
            let (_, nodes) = log.append(leaf_hash(&(i * per + j).to_be_bytes()));
            store.put_nodes(&nodes).unwrap();
        }
        let size = log.size();
        let proof = if prev == 0 {
            Vec::new()
        } else {
            log.prove_consistency(&store, TreeSize::new(prev), size)
                .unwrap()
                .path
        };
        let cp = Checkpoint {
            origin: origin.into(),
            size,
            root: log.root(),
            extensions: vec![],
        };
        bodies.push(add_checkpoint_body(
            prev,
            &proof,
            &log_key.sign(&cp.to_text()).unwrap(),
        ));
        prev = size.get();
    }
    let run = |state: &dyn WitnessState| {
        let w = Witness::new(
            Cosigner::from_seed("witness.bench/w1", &[2; 32]).unwrap(),
            vec![(origin.into(), vec![log_key.verifier()])],
        );
        let t = Instant::now();
        for b in &bodies {
            w.add_checkpoint(state, b, 1_700_000_000).unwrap();
        }
        t.elapsed()
    };
    let mem = run(&MemoryState::default());
    let dir = tempfile::tempdir().unwrap();
    let disk = run(&FileState::open(dir.path()).unwrap());
    let rate = |d: std::time::Duration| n as f64 / d.as_secs_f64();
    println!(
        "witness: {n} checkpoints, {per} leaves apart (final size {prev}, a tree of height {})",
        (64 - prev.leading_zeros()) as usize
    );
    println!(
        "in memory: {:.0} checkpoints/s ({:.1} µs each)",
        rate(mem),
        mem.as_secs_f64() * 1e6 / n as f64
    );
    println!(
        "on disk (fsync per checkpoint): {:.0} checkpoints/s ({:.1} µs each)",
        rate(disk),
        disk.as_secs_f64() * 1e6 / n as f64
    );
}
