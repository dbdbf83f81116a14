//! The `custodian` binary, run as a user runs it: real files, real processes.
#![expect(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "helpers outside #[test] fail loudly"
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_custodian"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run custodian")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // A command that refuses its arguments exits without reading: a broken pipe is fine.
    let _ = child.stdin.take().expect("stdin").write_all(input);
    child.wait_with_output().expect("wait")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn jsonl(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write file");
    p
}

const SAMPLE: &str = "乘客黄淑珍，联系电话17108377835，身份证号：11010519491231002X\n\
                      客服热线 10086，订单号 202403198163542948\n\
                      email raustin@example.org, card 4111 1111 1111 1111\n";

#[test]
fn scan_text_reports_types_offsets_and_never_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "notes.txt", SAMPLE.as_bytes());
    let o = run(&["scan", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows = jsonl(&o);
    let types: Vec<&str> = rows.iter().map(|r| r["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "person_name_zh",
            "cn_mobile",
            "cn_resident_id",
            "email",
            "bank_card"
        ]
    );
    let phone = &rows[1];
    let (bs, be) = (
        phone["bstart"].as_u64().unwrap() as usize,
        phone["bend"].as_u64().unwrap() as usize,
    );
    assert_eq!(&SAMPLE.as_bytes()[bs..be], b"17108377835");
    assert_eq!(phone["line"], 1);
    assert_eq!(phone["masked"], "171****7835");
    assert_eq!(rows[4]["line"], 3);
    let out = stdout(&o);
    for secret in [
        "17108377835",
        "11010519491231002X",
        "raustin@example.org",
        "黄淑珍",
        "4111 1111 1111 1111",
    ] {
        assert!(!out.contains(secret), "plaintext `{secret}` in output");
        assert!(!stderr(&o).contains(secret));
    }
    assert!(stderr(&o).contains("5 finding(s)"), "{}", stderr(&o));
}

#[test]
fn redact_masks_in_place_and_keeps_the_rest() {
    let o = run_stdin(&["scan", "--redact", "-"], SAMPLE.as_bytes());
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("乘客黄**，联系电话171****7835，身份证号：110105********002X"),
        "{out}"
    );
    assert!(out.contains("客服热线 10086，订单号 202403198163542948"));
    assert!(out.contains("r***@example.org"));
    let o = run_stdin(
        &["scan", "--redact", "--mask", "placeholder", "-"],
        SAMPLE.as_bytes(),
    );
    assert!(stdout(&o).contains("联系电话<CN_MOBILE>"));
}

#[test]
fn pseudonyms_need_a_key_and_are_stable() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_stdin(&["scan", "--redact", "--mask", "pseudonym", "-"], b"x");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--pseudonym-key-file"),
        "{}",
        stderr(&o)
    );
    let short = write(dir.path(), "short.key", b"abc");
    let o = run_stdin(
        &[
            "scan",
            "--redact",
            "--mask",
            "pseudonym",
            "--pseudonym-key-file",
            short.to_str().unwrap(),
            "-",
        ],
        b"x",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("at least 16"));
    let key = write(dir.path(), "k.key", &[7u8; 32]);
    let args = [
        "scan",
        "--redact",
        "--mask",
        "pseudonym",
        "--pseudonym-key-file",
        key.to_str().unwrap(),
        "-",
    ];
    let a = stdout(&run_stdin(
        &args,
        "手机 13812345678 与 13812345678".as_bytes(),
    ));
    let parts: Vec<&str> = a.split_whitespace().collect();
    assert!(parts[1].starts_with("<CN_MOBILE:"), "{a}");
    assert_eq!(parts[1], parts[3]);
    assert!(!a.contains("13812345678"));
}

#[test]
fn json_findings_carry_pointers() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "doc.json",
        r#"{"user":{"name":"朱军","phone":"198 1841 3419"},"list":["x","mxu@example.com"]}"#
            .as_bytes(),
    );
    let o = run(&["scan", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let got: Vec<(String, String)> = jsonl(&o)
        .iter()
        .map(|r| {
            (
                r["pointer"].as_str().unwrap().to_string(),
                r["type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("/user/name".to_string(), "person_name_zh".to_string()),
            ("/user/phone".to_string(), "cn_mobile".to_string()),
            ("/list/1".to_string(), "email".to_string())
        ]
    );
    let o = run(&["scan", "--redact", p.to_str().unwrap()]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["user"]["phone"], "198 **** 3419");
}

#[test]
fn csv_uses_headers_as_context_and_summarises_columns() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "users.csv",
        "name,phone,note\n李雷,13800138000,ok\n韩梅梅,13900139000,\n王芳,n/a,\n".as_bytes(),
    );
    let o = run(&["scan", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let rows = jsonl(&o);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[1]["csv_column"], "phone");
    assert_eq!(rows[1]["line"], 2);
    let err = stderr(&o);
    assert!(
        err.contains("column `name`: person_name_zh in 100% of rows"),
        "{err}"
    );
    assert!(
        err.contains("column `phone`: cn_mobile in 67% of rows"),
        "{err}"
    );
    let o = run(&["scan", "--redact", p.to_str().unwrap()]);
    assert_eq!(
        stdout(&o),
        "name,phone,note\n李*,138****8000,ok\n韩**,139****9000,\n王*,n/a,\n"
    );
}

#[test]
fn sarif_is_valid_shape() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "a.txt", SAMPLE.as_bytes());
    let o = run(&["scan", "-o", "sarif", p.to_str().unwrap()]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    assert_eq!(results[1]["ruleId"], "cn_mobile");
    assert_eq!(
        results[1]["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    assert_eq!(
        results[1]["locations"][0]["physicalLocation"]["region"]["startColumn"],
        11
    );
    assert!(!stdout(&o).contains("17108377835"));
}

#[test]
fn summary_table() {
    let o = run_stdin(&["scan", "-o", "summary", "-"], SAMPLE.as_bytes());
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.starts_with('-') && l.contains("cn_mobile") && l.trim_end().ends_with(" 1")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("total") && l.trim_end().ends_with(" 5")),
        "{out}"
    );
}

#[test]
fn fail_on_findings_is_a_ci_gate() {
    let o = run_stdin(&["scan", "--fail-on-findings", "-"], SAMPLE.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    let o = run_stdin(
        &["scan", "--fail-on-findings", "-"],
        b"nothing personal here, version 1.2.3.4\n",
    );
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn bad_input_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["scan".into(), "/no/such/file.txt".into()],
            "cannot read `/no/such/file.txt`",
        ),
        (
            vec![
                "scan".into(),
                write(dir.path(), "bad.json", b"{\"a\": [1, }")
                    .display()
                    .to_string(),
            ],
            "bad.json:1:11: malformed JSON",
        ),
        (
            vec![
                "scan".into(),
                write(dir.path(), "bad.ndjson", b"{\"a\":1}\n{oops}\n")
                    .display()
                    .to_string(),
            ],
            "bad.ndjson:2:2: malformed JSON",
        ),
        (
            vec!["scan".into(), "--types".into(), "phone".into(), "-".into()],
            "unknown PI type `phone`",
        ),
        (
            vec!["scan".into(), "--min-score".into(), "2".into(), "-".into()],
            "--min-score must be between 0 and 1",
        ),
        (
            vec![
                "scan".into(),
                "--per-record".into(),
                write(dir.path(), "x.csv", b"a\n1\n").display().to_string(),
                "--format".into(),
                "csv".into(),
            ],
            "apply to NDJSON",
        ),
        (
            vec![
                "scan".into(),
                "--field".into(),
                "text".into(),
                write(dir.path(), "n.ndjson", b"{\"text\": 5}\n")
                    .display()
                    .to_string(),
            ],
            "field `text` is not a string",
        ),
    ];
    for (args, msg) in cases {
        let o = bin().args(&args).stdin(Stdio::null()).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(msg), "{args:?}: {}", stderr(&o));
        assert!(
            o.stdout.is_empty() || !stdout(&o).contains("error"),
            "{args:?}"
        );
    }
    // A CSV row that is not UTF-8 is reported with its line.
    let p = write(dir.path(), "bad.csv", b"a,b\n1,2\n3,\xff\n");
    let o = run(&["scan", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.csv:3: malformed CSV"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn streams_large_files_across_chunk_boundaries() {
    // ~3 MB: more than one read chunk; every line holds one phone at a known place.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    let n = 60_000;
    for i in 0..n {
        text.push_str(&format!("第{i}行 用户手机 138{:08} 备注 ok\n", i));
    }
    let p = write(dir.path(), "big.txt", text.as_bytes());
    let o = run(&["scan", "--threads", "2", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let rows = jsonl(&o);
    assert_eq!(rows.len(), n);
    let chars: Vec<char> = text.chars().collect();
    for (i, r) in rows.iter().enumerate().step_by(997) {
        let (bs, be) = (
            r["bstart"].as_u64().unwrap() as usize,
            r["bend"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[bs..be], format!("138{i:08}"));
        let (s, e) = (
            r["start"].as_u64().unwrap() as usize,
            r["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(chars[s..e].iter().collect::<String>(), format!("138{i:08}"));
        assert_eq!(r["line"].as_u64().unwrap() as usize, i + 1);
    }
}

#[test]
fn per_record_output_matches_the_scorer_format() {
    let input = "{\"id\":\"a\",\"text\":\"手机 13812345678\"}\n{\"id\":\"b\"}\n{\"id\":\"c\",\"text\":\"无\"}\n";
    let o = run_stdin(
        &["scan", "--field", "text", "--per-record", "-"],
        input.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<Value> = jsonl(&o);
    assert_eq!(lines.len(), 3);
    let s = &lines[0]["spans"][0];
    assert_eq!(
        (
            s["start"].as_u64(),
            s["end"].as_u64(),
            s["bstart"].as_u64(),
            s["bend"].as_u64()
        ),
        (Some(3), Some(14), Some(7), Some(18))
    );
    assert_eq!(s["type"], "cn_mobile");
    assert_eq!(lines[1]["spans"].as_array().unwrap().len(), 0);
}

mod ledger {
    use super::*;
    use custodian_ledger::{
        Checkpoint, Decision, Entry, EntryKind, Id, LeafIndex, Log, MemoryStore, NodeStore,
        ProofFile, Signer, TreeSize,
    };

    const ORIGIN: &str = "custodian.test/cn/ledger";

    struct Cell {
        dir: tempfile::TempDir,
        vkey: String,
        signer: Signer,
        log: Log,
        store: MemoryStore,
        entries: Vec<Entry>,
    }

    fn entry(i: u32) -> Entry {
        let mut e = Entry::new(
            EntryKind::Collect,
            1_760_000_000_000 + i64::from(i),
            Decision::Allow,
        );
        e.tenant = Some(Id::new("ride-hailing").unwrap());
        e.subject = Some(Id::new(&format!("sub_{i:04}")).unwrap());
        e.fields = vec![Id::new("phone").unwrap()];
        e
    }

    /// A cell with a key made by `custodian ledger keygen` and a log of `n` entries.
    fn cell(n: u32) -> Cell {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("ledger.key");
        let o = run(&[
            "ledger",
            "keygen",
            "--name",
            ORIGIN,
            "--out",
            key.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let vkey = stdout(&o).trim().to_string();
        assert!(vkey.starts_with(&format!("{ORIGIN}+")), "{vkey}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        // keygen never overwrites a key.
        let again = run(&[
            "ledger",
            "keygen",
            "--name",
            ORIGIN,
            "--out",
            key.to_str().unwrap(),
        ]);
        assert_eq!(again.status.code(), Some(2));
        let signer = Signer::parse(std::fs::read_to_string(&key).unwrap().trim()).unwrap();
        let mut c = Cell {
            dir,
            vkey,
            signer,
            log: Log::new(),
            store: MemoryStore::new(),
            entries: vec![],
        };
        c.grow(n);
        c
    }

    impl Cell {
        fn grow(&mut self, n: u32) {
            for _ in 0..n {
                let e = entry(self.entries.len() as u32);
                let (_, nodes) = self.log.append(e.leaf_hash().unwrap());
                self.store.put_nodes(&nodes).unwrap();
                self.entries.push(e);
            }
        }

        fn checkpoint(&self, name: &str) -> PathBuf {
            let cp = Checkpoint {
                origin: ORIGIN.into(),
                size: self.log.size(),
                root: self.log.root(),
                extensions: vec![],
            };
            let p = self.dir.path().join(name);
            std::fs::write(&p, self.signer.sign(&cp.to_text()).unwrap()).unwrap();
            p
        }

        fn consistency(&self, s1: u64, s2: u64) -> PathBuf {
            let c = self
                .log
                .prove_consistency(&self.store, TreeSize::new(s1), TreeSize::new(s2))
                .unwrap();
            let p = self.dir.path().join(format!("consistency-{s1}-{s2}.json"));
            std::fs::write(
                &p,
                serde_json::to_string(&ProofFile::consistency(&c)).unwrap(),
            )
            .unwrap();
            p
        }

        fn inclusion(&self, idx: u64, size: u64) -> PathBuf {
            let pr = self
                .log
                .prove_inclusion(&self.store, LeafIndex::new(idx), TreeSize::new(size))
                .unwrap();
            let f = ProofFile::inclusion(&pr, &self.entries[idx as usize]).unwrap();
            let p = self.dir.path().join(format!("inclusion-{idx}-{size}.json"));
            std::fs::write(&p, serde_json::to_string(&f).unwrap()).unwrap();
            p
        }
    }

    fn verify(args: &[&Path], extra: &[&str]) -> Output {
        let mut cmd = bin();
        cmd.args(["ledger", "verify"]);
        cmd.args(extra);
        for (i, a) in args.iter().enumerate() {
            let _ = i;
            let flag = match a.file_name().unwrap().to_str().unwrap() {
                n if n.starts_with("consistency") => "--consistency",
                n if n.starts_with("inclusion") => "--inclusion",
                _ => "--checkpoint",
            };
            cmd.arg(flag).arg(a);
        }
        cmd.output().unwrap()
    }

    #[test]
    fn consistency_and_inclusion_verify_offline() {
        let mut c = cell(5);
        let old = c.checkpoint("old.note");
        c.grow(9);
        let new = c.checkpoint("new.note");
        let cons = c.consistency(5, 14);
        let inc_old = c.inclusion(2, 5);
        let inc_new = c.inclusion(13, 14);
        let o = verify(
            &[&old, &new, &cons, &inc_old, &inc_new],
            &["--key", &c.vkey, "--origin", ORIGIN],
        );
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
        let out = stdout(&o);
        assert!(
            out.contains("ok: consistency: the tree of size 14 extends the tree of size 5"),
            "{out}"
        );
        assert!(
            out.contains("ok: inclusion: entry 13 is in the tree of size 14"),
            "{out}"
        );
        assert!(
            out.contains("\"subject\":\"sub_0013\""),
            "the entry is shown: {out}"
        );
        assert!(
            out.contains("verified: 2 checkpoint(s), 1 consistency proof(s), 2 inclusion proof(s)")
        );
        // The key can come from a file too.
        let kf = c.dir.path().join("keys.txt");
        std::fs::write(&kf, format!("# regulator's trusted keys\n{}\n", c.vkey)).unwrap();
        let o = verify(&[&new, &inc_new], &["--key-file", kf.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    }

    #[test]
    fn every_tampering_fails_with_a_message() {
        let mut c = cell(6);
        let old = c.checkpoint("old.note");
        c.grow(4);
        let new = c.checkpoint("new.note");
        let cons = c.consistency(6, 10);
        let inc = c.inclusion(3, 10);
        let dir = c.dir.path().to_path_buf();
        let write = |name: &str, body: String| {
            let p = dir.join(name);
            std::fs::write(&p, body).unwrap();
            p
        };
        // A checkpoint whose size was edited after signing.
        let forged = write(
            "forged.note",
            std::fs::read_to_string(&new)
                .unwrap()
                .replacen("\n10\n", "\n11\n", 1),
        );
        let o = verify(&[&old, &forged, &cons], &["--key", &c.vkey]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stdout(&o).contains("FAILED: checkpoint") && stdout(&o).contains("invalid signature"),
            "{}",
            stdout(&o)
        );
        // Another key.
        let other = Signer::generate("someone.else/log")
            .unwrap()
            .verifier()
            .to_vkey();
        let o = verify(&[&new], &["--key", &other]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stdout(&o).contains("no verifiable signatures"),
            "{}",
            stdout(&o)
        );
        // A consistency proof with one hash changed.
        let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&cons).unwrap()).unwrap();
        v["proof"][0] = Value::String(custodian_ledger::leaf_hash(b"x").to_base64());
        let bad = write("consistency-bad.json", v.to_string());
        let o = verify(&[&old, &new, &bad], &["--key", &c.vkey]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stdout(&o).contains("FAILED: consistency proof"),
            "{}",
            stdout(&o)
        );
        // A different entry under a valid proof.
        let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&inc).unwrap()).unwrap();
        use base64::Engine as _;
        v["entry"] = Value::String(
            base64::engine::general_purpose::STANDARD.encode(entry(99).encode().unwrap()),
        );
        let bad = write("inclusion-bad.json", v.to_string());
        let o = verify(&[&new, &bad], &["--key", &c.vkey]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stdout(&o).contains("FAILED: inclusion proof")
                && stdout(&o).contains("does not lead to the root")
        );
        // Two checkpoints without a consistency proof; the wrong origin; no key.
        let o = verify(&[&old, &new], &["--key", &c.vkey]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stdout(&o).contains("a consistency proof from size 6 to size 10 is needed"));
        let o = verify(
            &[&new],
            &["--key", &c.vkey, "--origin", "custodian.test/us/ledger"],
        );
        assert_eq!(o.status.code(), Some(1));
        assert!(stdout(&o).contains("expected `custodian.test/us/ledger`"));
        let o = verify(&[&new], &[]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("no verifier key"));
        // Malformed inputs are errors (exit 2) that name the file.
        let junk = write(
            "inclusion-junk.json",
            "{\"type\": \"inclusion\", \"index\": 1".into(),
        );
        let o = verify(&[&new, &junk], &["--key", &c.vkey]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("inclusion-junk.json:1:"),
            "{}",
            stderr(&o)
        );
        let o = verify(&[&new], &["--key", "not-a-key"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("invalid key"), "{}", stderr(&o));
    }
}

/// The scenario demo runs clean from a fresh cell.
#[test]
fn demo_runs_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["demo", "--data-dir", dir.path().to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.contains("48 of 48 checks as expected."), "{out}");
    assert!(!out.contains("[FAIL]"));
    assert!(
        dir.path()
            .join("offline-verification/checkpoint-2.note")
            .exists(),
        "kept for inspection"
    );
}

mod orders {
    use super::*;

    struct Served {
        child: std::process::Child,
        url: String,
        admin: String,
        _dir: tempfile::TempDir,
    }

    impl Drop for Served {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    fn serve_with(regulator_vkey: &str) -> Served {
        use std::io::BufRead;
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("custodian.toml");
        std::fs::write(
            &cfg,
            format!("listen = \"127.0.0.1:0\"\nregulator_keys = [\"{regulator_vkey}\"]\n"),
        )
        .unwrap();
        let mut child = bin()
            .args([
                "serve",
                "--config",
                cfg.to_str().unwrap(),
                "--data-dir",
                dir.path().join("data").to_str().unwrap(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let (mut admin, mut url) = (String::new(), String::new());
        for line in lines.by_ref().take(5) {
            let line = line.unwrap();
            if let Some(k) = line.strip_prefix("admin key (shown once, keep it secret): ") {
                admin = k.to_string();
            }
            if let Some(rest) = line.split("on http://").nth(1) {
                url = format!("http://{}", rest.split_whitespace().next().unwrap());
                break;
            }
        }
        assert!(
            !admin.is_empty() && !url.is_empty(),
            "serve printed its admin key and address"
        );
        Served {
            child,
            url,
            admin,
            _dir: dir,
        }
    }

    fn http(method: &str, url: &str, key: &str, body: Option<&str>) -> (u16, Value) {
        let client = reqwest::blocking::Client::new();
        let mut rb = client
            .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url)
            .bearer_auth(key);
        if let Some(b) = body {
            rb = rb
                .header("Content-Type", "application/json")
                .body(b.to_string());
        }
        let r = rb.send().unwrap();
        (r.status().as_u16(), r.json().unwrap_or(Value::Null))
    }

    #[test]
    fn regulator_cli_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("cac.key");
        let o = run(&[
            "order",
            "keygen",
            "--name",
            "cac.example/orders",
            "--out",
            key.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0));
        let vkey = stdout(&o).trim().to_string();
        let srv = serve_with(&vkey);
        let put = reqwest::blocking::Client::new()
            .put(format!("{}/v1/tenants/ride/manifest", srv.url))
            .bearer_auth(&srv.admin)
            .body(include_str!("../../../examples/ride_hailing.toml"))
            .send()
            .unwrap();
        assert_eq!(put.status().as_u16(), 200);
        let (_, k) = http(
            "POST",
            &format!("{}/v1/keys", srv.url),
            &srv.admin,
            Some(r#"{"role":"regulator"}"#),
        );
        let reg = k["key"].as_str().unwrap().to_string();
        let (_, k) = http(
            "POST",
            &format!("{}/v1/keys", srv.url),
            &srv.admin,
            Some(r#"{"role":"service","tenant":"ride","service":"dispatch-svc"}"#),
        );
        let svc = k["key"].as_str().unwrap().to_string();
        let doc = dir.path().join("freeze.json");
        let o = run(&[
            "order",
            "new",
            "--kind",
            "suspend_registration",
            "--issuer",
            "CAC",
            "--tenant",
            "ride",
            "--reason",
            "review",
            "--legal-basis",
            "Cybersecurity Review Measures",
            "--id",
            "cac-1",
            "--out",
            doc.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let o = run(&[
            "order",
            "sign",
            "--key",
            key.to_str().unwrap(),
            doc.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let note = dir.path().join("freeze.note");
        let o = run(&[
            "order",
            "submit",
            "--url",
            &srv.url,
            "--api-key",
            &reg,
            note.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).contains("accepted: cac-1"));
        // In force at once: registration refused naming the order.
        let (s, v) = http(
            "POST",
            &format!("{}/v1/subjects", srv.url),
            &svc,
            Some(r#"{"jurisdiction":"CN"}"#),
        );
        assert_eq!((s, v["order"].as_str()), (403, Some("cac-1")), "{v}");
        // Replayed: refused with exit 1 and the reason.
        let o = run(&[
            "order",
            "submit",
            "--url",
            &srv.url,
            "--api-key",
            &reg,
            note.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("order_replayed"), "{}", stderr(&o));
        // A tampered note: refused.
        let bad = dir.path().join("bad.note");
        std::fs::write(
            &bad,
            std::fs::read_to_string(&note)
                .unwrap()
                .replace("\"CAC\"", "\"CAD\""),
        )
        .unwrap();
        let o = run(&[
            "order",
            "submit",
            "--url",
            &srv.url,
            "--api-key",
            &reg,
            bad.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("order_signature"), "{}", stderr(&o));
        // Lift, then list.
        let lift = dir.path().join("lift.json");
        let o = run(&[
            "order",
            "new",
            "--kind",
            "lift",
            "--lifts",
            "cac-1",
            "--issuer",
            "CAC",
            "--tenant",
            "ride",
            "--reason",
            "rectified",
            "--legal-basis",
            "Cybersecurity Review Measures",
            "--id",
            "cac-2",
            "--out",
            lift.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0));
        run(&[
            "order",
            "sign",
            "--key",
            key.to_str().unwrap(),
            lift.to_str().unwrap(),
        ]);
        let o = run(&[
            "order",
            "submit",
            "--url",
            &srv.url,
            "--key",
            key.to_str().unwrap(),
            dir.path().join("lift.note").to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let (s, _) = http(
            "POST",
            &format!("{}/v1/subjects", srv.url),
            &svc,
            Some(r#"{"jurisdiction":"CN"}"#),
        );
        assert_eq!(s, 201, "registration restored after the lift");
        let k = key.to_str().unwrap();
        let o = run(&["order", "list", "--url", &srv.url, "--key", k]);
        let out = stdout(&o);
        assert!(out.contains("cac-1") && out.contains("lifted"), "{out}");
        assert!(out.contains("cac-2"), "{out}");
        // Bad flags are clear errors.
        let o = run(&[
            "order",
            "new",
            "--kind",
            "freeze",
            "--issuer",
            "x",
            "--reason",
            "r",
            "--legal-basis",
            "l",
            "--out",
            "/tmp/x.json",
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("--kind `freeze`"));
    }
}
