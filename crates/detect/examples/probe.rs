//! Prints the findings for each command-line argument, with the matched text.
//!
//! `cargo run -p custodian-detect --example probe -- "乘客黄淑珍，联系电话17108377835"`
fn main() {
    let det = custodian_detect::Detector::new();
    for text in std::env::args().skip(1) {
        for f in det.scan_str(&text) {
            let shown = text.get(f.bstart..f.bend).unwrap_or("");
            println!(
                "{:<16} {:>5}..{:<5} {:.2} {}",
                f.pi_type.name(),
                f.start,
                f.end,
                f.score,
                shown
            );
        }
    }
}
