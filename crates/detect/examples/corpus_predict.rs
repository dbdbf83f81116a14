//! Reads corpus JSONL on stdin, writes predictions JSONL on stdout (developer tool).
use std::io::{BufRead, Write};

fn main() {
    let det = custodian_detect::Detector::new();
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let line = line.unwrap();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        let text = v["text"].as_str().unwrap_or("");
        let f = det.scan_str(text);
        let spans: Vec<_> = f
            .iter()
            .map(|f| serde_json::json!({"start": f.start, "end": f.end, "bstart": f.bstart, "bend": f.bend, "type": f.pi_type.name(), "score": f.score}))
            .collect();
        writeln!(out, "{}", serde_json::json!({"spans": spans})).unwrap();
    }
}
