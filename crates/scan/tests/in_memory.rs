//! `scan_in_memory`, the fuzz targets' way into `custodian scan`: small chunks and several
//! threads write what one 1 MiB chunk on one thread writes, and what it cannot run is refused
//! with a clear error.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use custodian_scan::scan_in_memory;
use rayon::ThreadPoolBuilder;

/// Lines of CJK text (under 128 bytes) with two findings each, and long lines of words.
fn text() -> Vec<u8> {
    let mut t = String::new();
    for i in 0..400u32 {
        t.push_str(&format!(
            "第{i}行：乘客在东门等候，联系电话 139{:08}，邮箱 user{i}@example.com。\n",
            i * 7919
        ));
        if i % 50 == 0 {
            t.push_str(&"很长的一行没有任何个人信息 ".repeat(200));
            t.push('\n');
        }
    }
    t.into_bytes()
}

fn run(threads: usize, args: &[&str], input: &[u8], chunk: usize) -> Vec<u8> {
    ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| scan_in_memory(args, input, chunk))
        .unwrap()
}

#[test]
fn small_chunks_on_three_threads_write_what_one_big_chunk_writes() {
    let input = text();
    for args in [
        &["--format", "text"][..],
        &["--format", "text", "-o", "summary"],
        &["--format", "text", "-o", "sarif"],
        &["--format", "text", "--redact"],
    ] {
        let whole = run(1, args, &input, 1 << 20);
        assert!(!whole.is_empty(), "{args:?}");
        // Chunks longer than any line but the long one, which has spaces to cut at: no
        // finding falls across a cut.
        for chunk in [128, 1000, 4096] {
            let small = run(3, args, &input, chunk);
            assert!(
                small == whole,
                "{args:?}, chunks of {chunk}: not what one chunk writes"
            );
        }
    }
    // The JSON lines name every phone and e-mail, in order, and never one in clear.
    let rows = String::from_utf8(run(3, &["--format", "text"], &input, 128)).unwrap();
    assert_eq!(rows.lines().count(), 800);
    assert!(!rows.contains("user"), "an e-mail's local part in clear");
    for i in 0..400u32 {
        let phone = format!("139{:08}", i * 7919);
        assert!(!rows.contains(&phone), "{phone} in clear");
    }
}

#[test]
fn what_it_cannot_run_is_refused_with_a_clear_error() {
    let input = b"13912345678\n";
    let err = |args: &[&str], chunk: usize| {
        format!("{:#}", scan_in_memory(args, input, chunk).unwrap_err())
    };
    assert!(err(&["--threads", "2"], 64).contains("--threads"));
    assert!(err(&["some-file.txt"], 64).contains("name no file"));
    assert!(err(&[], 0).contains("at least 1 byte"));
    assert!(err(&["--min-score", "2"], 64).contains("--min-score"));
    assert!(err(&["--no-such-flag"], 64).contains("--no-such-flag"));
}
