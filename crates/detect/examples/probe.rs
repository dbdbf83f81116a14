//! Prints findings for each argument (developer tool).
fn main() {
    let det = custodian_detect::Detector::new();
    for a in std::env::args().skip(1) {
        for f in det.scan_str(&a) {
            println!("{:<16} {:>4}..{:<4} {:.2} {}", f.pi_type.name(), f.start, f.end, f.score, &a[f.bstart..f.bend]);
        }
    }
}
