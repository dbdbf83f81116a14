//! Scans a file in 1 MiB chunks (cut after a line break) on one thread, as `custodian scan -o
//! summary` does, and prints the findings' count, a digest of their spans and types, and the
//! time the scan took: for profiling the engine without the command line around it.
//!
//! `cargo run --release -p custodian-detect --example scan_file -- FILE [ROUNDS]`
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::Instant;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_default();
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(1);
    let bytes = std::fs::read(&path)?;
    let det = custodian_detect::Detector::new().with_values(false);
    for _ in 0..rounds {
        let t = Instant::now();
        let (mut n, mut h, mut at) = (0usize, DefaultHasher::new(), 0usize);
        while at < bytes.len() {
            let mut end = (at + (1 << 20)).min(bytes.len());
            if let Some(k) = bytes[end..].iter().position(|&c| c == b'\n') {
                end += k + 1;
            } else {
                end = bytes.len();
            }
            for f in det.scan_bytes_spans(&bytes[at..end]) {
                n += 1;
                (at + f.bstart, at + f.bend, f.pi_type.name()).hash(&mut h);
            }
            at = end;
        }
        let s = t.elapsed().as_secs_f64();
        println!(
            "{n} findings, digest {:016x}, {s:.3} s, {:.1} MB/s",
            h.finish(),
            bytes.len() as f64 / s / 1e6
        );
    }
    Ok(())
}
