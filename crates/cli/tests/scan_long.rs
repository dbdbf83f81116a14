//! `custodian scan` on inputs shaped to break a scanner: one line of several chunks (the
//! output must stay linear and its columns right at any offset), and an NDJSON record over
//! the record limit (scanned as text, never parsed into a tree).
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::io::Write;
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

/// `custodian scan ARGS` with `input` fed to its standard input by a thread of its own.
fn spawn_scan(args: &[&str], input: &[u8]) -> (Child, std::thread::JoinHandle<()>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .arg("scan")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    (child, feeder)
}

fn scan(args: &[&str], input: &[u8]) -> Output {
    let (child, feeder) = spawn_scan(args, input);
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

fn rows(o: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A phone number that is valid and distinct for `i`.
fn phone(i: usize) -> String {
    format!("138{:08}", 10_000_000 + i * 7919 % 89_999_999)
}

#[test]
fn columns_are_right_at_any_offset_of_one_long_line() {
    // About 3.5 MB on one line (several 1 MiB chunks), with CJK text so columns in characters
    // and offsets in bytes differ, and a phone every ~2,000 characters.
    let mut line = String::new();
    let mut expect = Vec::new(); // (character column, phone)
    let mut i = 0;
    while line.len() < 3_500_000 {
        line.push_str("行程备注：乘客在东门等候，司机请联系 ");
        let col = line.chars().count() + 1;
        let p = phone(i);
        line.push_str(&p);
        expect.push((col as u64, p));
        line.push_str(" 谢谢。 ");
        line.push_str(&"x ".repeat(900));
        i += 1;
    }
    let text = format!("first line 13912345678\n{line}\nlast\n");
    let o = scan(
        &["-", "--types", "cn_mobile", "--no-progress"],
        text.as_bytes(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got = rows(&o);
    assert_eq!(got.len(), expect.len() + 1, "every phone found once");
    assert_eq!(
        (got[0]["line"].as_u64(), got[0]["column"].as_u64()),
        (Some(1), Some(12))
    );
    for (row, (col, p)) in got[1..].iter().zip(&expect) {
        assert_eq!(row["line"], 2, "{row}");
        assert_eq!(row["column"].as_u64(), Some(*col), "{row}");
        // The character offset from the start of the input agrees with the column.
        let start = row["start"].as_u64().unwrap();
        let line_start = "first line 13912345678\n".chars().count() as u64;
        assert_eq!(start - line_start + 1, *col, "{row}");
        assert_eq!(
            row["masked"],
            format!("{}****{}", &p[..3], &p[7..]),
            "{row}"
        );
    }
}

#[test]
fn an_ndjson_record_over_the_limit_is_scanned_as_text_with_a_warning() {
    let big_text: String = (0..400)
        .map(|i| format!("电话 {} 备注 ", phone(i)))
        .collect();
    let input = format!(
        "{{\"note\": \"call 13912345678\"}}\n{}\n{{\"note\": \"again 13712345678\"}}\n",
        serde_json::json!({ "note": big_text, "id": 7 })
    );
    let args = [
        "-",
        "--format",
        "ndjson",
        "--max-record",
        "4096",
        "--no-progress",
    ];
    let o = scan(&args, input.as_bytes());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("-:2: a record of more than 4096 bytes is scanned as text"),
        "{err}"
    );
    assert!(
        !err.contains("13812345678") && !err.contains(&phone(1)),
        "a value in the warning"
    );
    let got = rows(&o);
    let records: Vec<u64> = got.iter().map(|r| r["record"].as_u64().unwrap()).collect();
    assert_eq!(records.iter().filter(|&&r| r == 2).count(), 400, "{err}");
    assert_eq!(
        (records[0], records[records.len() - 1]),
        (1, 3),
        "order kept"
    );
    let big: Vec<&Value> = got.iter().filter(|r| r["record"] == 2).collect();
    assert!(big.iter().all(|r| r["line"] == 2 && r["pointer"].is_null()));
    assert!(
        big.windows(2)
            .all(|w| w[0]["column"].as_u64() < w[1]["column"].as_u64())
    );
    // The small records still carry their pointers.
    assert_eq!(got[0]["pointer"], "/note");

    // One line out per record in --per-record mode, and --redact keeps every record.
    let o = scan(&[&args[..], &["--per-record"]].concat(), input.as_bytes());
    let lines = rows(&o);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["spans"].as_array().unwrap().len(), 400);
    let o = scan(&[&args[..], &["--redact"]].concat(), input.as_bytes());
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(out.lines().count(), 3);
    for l in out.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        assert!(v["note"].is_string(), "still JSON: {l:.80}");
    }
    assert!(
        !out.contains(&phone(3)) && out.contains("138****"),
        "masked in place"
    );

    // A limit too small to mean anything is refused, saying so.
    let o = scan(&["-", "--format", "ndjson", "--max-record", "10"], b"{}\n");
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--max-record must be at least 1024"));
}

#[test]
fn several_threads_write_what_one_writes_in_every_mode() {
    // About 3 MB: lines of CJK text, one line of several chunks, and a stretch so dense that a
    // chunk's JSON lines run past what a worker renders (a phone every 16 bytes, ~200 bytes of
    // output each), so the writing thread renders the rest of those chunks itself.
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(&format!("第{i}行 乘客 张伟 手机 {} 备注\n", phone(i)));
    }
    for i in 0..1_500 {
        text.push_str(&format!("行程备注 {} ", phone(i)));
        text.push_str(&"路 ".repeat(200));
    }
    text.push('\n');
    for i in 0..80_000 {
        text.push_str(&format!("tel {} ", phone(i)));
        if i % 5_000 == 4_999 {
            text.push('\n');
        }
    }
    text.push_str("\nlast line 13912345678");
    let jsonl = |threads: &str| {
        scan(
            &["-", "--no-progress", "--threads", threads],
            text.as_bytes(),
        )
    };
    let one = jsonl("1");
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let rows = rows(&one);
    assert!(rows.len() > 90_000, "{}", rows.len());
    // Every row is where it says, counted from the start of the input in one pass.
    let (mut at, mut chars, mut line, mut column) = (0usize, 0u64, 1u64, 1u64);
    for r in &rows {
        let (bs, be) = (
            r["bstart"].as_u64().unwrap() as usize,
            r["bend"].as_u64().unwrap() as usize,
        );
        assert!(bs >= at, "in input order: {r}");
        for ch in text[at..bs].chars() {
            chars += 1;
            if ch == '\n' {
                (line, column) = (line + 1, 1);
            } else {
                column += 1;
            }
        }
        at = bs;
        assert_eq!(r["start"].as_u64(), Some(chars), "{r}");
        assert_eq!(
            (r["line"].as_u64(), r["column"].as_u64()),
            (Some(line), Some(column)),
            "{r}"
        );
        if r["type"] == "cn_mobile" {
            let p = &text[bs..be];
            assert_eq!(r["masked"], format!("{}****{}", &p[..3], &p[7..]), "{r}");
        }
    }
    let many = jsonl("3");
    assert!(many.status.success());
    assert!(
        one.stdout == many.stdout,
        "JSON lines differ with 3 threads"
    );
    for mode in [
        &["-o", "summary"][..],
        &["--redact"][..],
        &["-o", "sarif"][..],
    ] {
        let args = |t: &'static str| {
            let mut a = vec!["-", "--no-progress", "--threads", t];
            a.extend_from_slice(mode);
            a
        };
        let (a, b) = (
            scan(&args("1"), text.as_bytes()),
            scan(&args("3"), text.as_bytes()),
        );
        assert!(a.status.success() && b.status.success(), "{mode:?}");
        assert!(!a.stdout.is_empty());
        assert!(a.stdout == b.stdout, "{mode:?} differs with 3 threads");
    }
}

#[test]
fn a_read_error_stops_every_thread_with_a_clear_error() {
    // Opening works, reading fails (EIO): the workers stop and the error names the input.
    for threads in ["1", "3"] {
        let o = Command::new(env!("CARGO_BIN_EXE_custodian"))
            .args([
                "scan",
                "--no-progress",
                "--threads",
                threads,
                "/proc/self/mem",
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{threads} threads");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("cannot read `/proc/self/mem`"), "{err}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn a_big_record_gives_the_same_spans_on_any_thread_count_and_counts_as_small_ones_do() {
    // A 3 MB record over --max-record goes through the text path on several threads; its
    // spans are the same as with one, and (as a small record's) not counted.
    let big: String = (0..150_000)
        .map(|i| format!("电话 {} ", phone(i % 40_000)))
        .collect();
    let input = format!(
        "{}\n{}\n",
        serde_json::json!({"text": "张伟 13800138000"}),
        serde_json::json!({"text": big})
    );
    let run = |threads: &str| {
        let args = [
            "-",
            "--no-progress",
            "--format",
            "ndjson",
            "--per-record",
            "--field",
            "text",
            "--max-record",
            "4096",
            "--threads",
            threads,
        ];
        scan(&args, input.as_bytes())
    };
    let (one, many) = (run("1"), run("3"));
    assert!(one.status.success() && many.status.success());
    assert!(one.stdout == many.stdout);
    let spans: Vec<Value> = rows(&one);
    assert_eq!(spans.len(), 2, "one line of spans per record");
    assert!(spans[1]["spans"].as_array().unwrap().len() >= 150_000);
    for o in [&one, &many] {
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(" 0 finding(s)"), "{err}");
    }
}

#[test]
fn a_closed_output_stops_every_thread() {
    // The reader of the output goes away after a few bytes: the scan ends with an error,
    // promptly, however many threads were at work.
    let text: String = (0..200_000)
        .map(|i| format!("乘客 手机 {}\n", phone(i)))
        .collect();
    let (mut child, feeder) =
        spawn_scan(&["-", "--no-progress", "--threads", "3"], text.as_bytes());
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the scan did not stop"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    feeder.join().unwrap();
    assert_eq!(status.code(), Some(2));
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("Broken pipe"), "{err}");
}
