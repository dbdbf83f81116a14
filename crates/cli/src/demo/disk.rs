//! The demo's last check: no plaintext PI value in any file of the cell, by a scan shown able
//! to find what the cell does write in clear.

use std::path::Path;

use anyhow::Result;
use serde_json::Value;

use super::Demo;

/// Reads every byte of every file under `dir` for the scenario's PI values; `entries` (the
/// ledger's) give the tokens the scan must find.
pub(super) fn no_plaintext(d: &mut Demo, dir: &Path, entries: &Value) -> Result<()> {
    let pi = [
        "13812345678",
        "13912345678",
        "13712345678",
        "北京市朝阳区建国路88号",
        "li.na@example.com",
        "11010519491231002X",
        "39.9042,116.4074",
    ];
    // The tokens of the first collect, which the store keeps in clear by design: the same scan
    // must find them, or it reads nothing and its zero means nothing.
    let tokens: Vec<String> = entries["entries"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e["entry"]["kind"] == "collect"))
        .and_then(|e| e["entry"]["tokens"].as_array())
        .map(|t| {
            t.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut control = 0;
    let mut hits = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p)? {
            let e = e?.path();
            if e.is_dir() {
                stack.push(e);
            } else if let Ok(bytes) = std::fs::read(&e) {
                let found = |v: &str| memchr::memmem::find(&bytes, v.as_bytes()).is_some();
                hits += pi.iter().filter(|v| found(v)).count();
                control += tokens.iter().filter(|t| found(t)).count();
            }
        }
    }
    d.expect(
        "the same scan finds the tokens the store keeps in clear (it reads what the cell writes)",
        "true",
        &(!tokens.is_empty() && control > 0).to_string(),
    );
    d.expect(
        "plaintext PI values found in the cell's files (store, WAL, keys, ledger, proofs)",
        "0",
        &hits.to_string(),
    );
    Ok(())
}
