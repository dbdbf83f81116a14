//! `custodian scan`'s writers on any input, read in chunks of a few bytes to a few KiB so that
//! findings, lines, UTF-8 sequences, render budgets and NDJSON records over the limit fall
//! across chunk boundaries. Whatever the input, output form and chunk size:
//! - the scan never panics, and text never fails to scan;
//! - three threads write byte for byte what one thread writes;
//! - a JSON-lines row's offsets lie within the input, in order, and its line (and, in valid
//!   UTF-8, its column and character offset) are those counted from the start of the input;
//! - redaction writes the input with exactly the findings' spans replaced.
//!
//! The first byte picks the form, the next two the chunk size; the rest is the input.
#![no_main]

use std::sync::OnceLock;

use custodian_detect::PiType;
use custodian_detect::mask;
use custodian_scan::scan_in_memory;
use libfuzzer_sys::fuzz_target;
use rayon::{ThreadPool, ThreadPoolBuilder};

fn pool(threads: usize) -> &'static ThreadPool {
    static POOLS: OnceLock<[ThreadPool; 2]> = OnceLock::new();
    let pools = POOLS.get_or_init(|| {
        let build = |n| ThreadPoolBuilder::new().num_threads(n).build().unwrap();
        [build(1), build(3)]
    });
    &pools[usize::from(threads > 1)]
}

/// What one and three threads write (the same, or the target fails).
fn scan(args: &[&str], input: &[u8], chunk: usize) -> Result<Vec<u8>, String> {
    let one = pool(1).install(|| scan_in_memory(args, input, chunk));
    let three = pool(3).install(|| scan_in_memory(args, input, chunk));
    match (one, three) {
        (Ok(a), Ok(b)) => {
            assert!(a == b, "{args:?}: three threads wrote other bytes than one");
            Ok(a)
        }
        (Err(a), Err(b)) => {
            let (a, b) = (format!("{a:#}"), format!("{b:#}"));
            assert_eq!(a, b, "{args:?}: three threads failed otherwise than one");
            Err(a)
        }
        (a, b) => panic!("{args:?}: one thread {:?}, three {:?}", a.is_ok(), b.is_ok()),
    }
}

/// A row's span: byte offsets and type.
struct Span {
    bstart: usize,
    bend: usize,
    pi_type: PiType,
}

/// Checks every JSON-lines row of a text scan against the input; the spans.
fn check_rows(input: &[u8], out: &[u8]) -> Vec<Span> {
    let text = std::str::from_utf8(input).ok();
    let mut spans = Vec::new();
    let mut last_end = 0;
    for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let row: serde_json::Value = serde_json::from_slice(line).unwrap();
        let n = |k: &str| row[k].as_u64().unwrap_or_else(|| panic!("{k} in {row}")) as usize;
        let (bstart, bend) = (n("bstart"), n("bend"));
        assert!(bstart < bend && bend <= input.len(), "{row}: outside the input");
        assert!(bstart >= last_end, "{row}: overlaps or precedes the row before");
        last_end = bend;
        let before = &input[..bstart];
        let line_no = before.iter().filter(|&&b| b == b'\n').count() + 1;
        assert_eq!(n("line"), line_no, "{row}: line");
        if let Some(text) = text {
            let before = &text[..bstart];
            let line_start = before.rfind('\n').map_or(0, |p| p + 1);
            assert_eq!(n("column"), before[line_start..].chars().count() + 1, "{row}");
            assert_eq!(n("start"), before.chars().count(), "{row}: start");
            let chars = text[bstart..bend].chars().count();
            assert_eq!(n("end") - n("start"), chars, "{row}: end");
        }
        let pi_type = row["type"].as_str().unwrap().parse().unwrap();
        spans.push(Span {
            bstart,
            bend,
            pi_type,
        });
    }
    spans
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let (form, chunk, input) = (
        data[0] % 8,
        1 + usize::from(u16::from_le_bytes([data[1], data[2]])) % 2048,
        &data[3..],
    );
    let text_args: &[&str] = match form {
        0 => &["--format", "text"],
        1 => &["--format", "text", "-o", "summary"],
        2 => &["--format", "text", "-o", "sarif"],
        3 => &["--format", "text", "--redact", "--mask", "placeholder"],
        4 => &["--format", "text", "--redact"],
        5 => &["--format", "ndjson", "--max-record", "1024"],
        6 => &["--format", "ndjson", "--max-record", "1024", "--per-record"],
        _ => &["--format", "ndjson", "--max-record", "1024", "--redact"],
    };
    if form >= 5 {
        // A record may be refused (not JSON): the same way on every thread count.
        let _ = scan(text_args, input, chunk);
        return;
    }
    let rows = scan(&["--format", "text"], input, chunk).expect("text always scans");
    let spans = check_rows(input, &rows);
    let out = if form == 0 {
        rows
    } else {
        scan(text_args, input, chunk).expect("text always scans")
    };
    if form == 3 {
        let mut want = Vec::with_capacity(input.len());
        let mut at = 0;
        for s in &spans {
            want.extend_from_slice(&input[at..s.bstart]);
            want.extend_from_slice(mask::placeholder(s.pi_type).as_bytes());
            at = s.bend;
        }
        want.extend_from_slice(&input[at..]);
        assert!(out == want, "redaction is not the input with the findings replaced");
    }
    if form == 4 && spans.is_empty() {
        assert!(out == input, "nothing found, yet the redacted text differs");
    }
});
