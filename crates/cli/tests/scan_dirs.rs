//! `custodian scan DIR`: every file below the directory, filtered by globs.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn scan_walks_directories_with_globs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree");
    for (p, text) in [
        ("one.txt", "call 13812345678"),
        ("sub/two.csv", "email\nli.na@example.com\n"),
        ("sub/deeper/three.log", "id 11010519491231002X"),
        ("image.png", "13812345678"),
        (".git/objects/x", "13812345678"),
    ] {
        let p = root.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let files = |o: &Output| -> Vec<String> {
        let mut v: Vec<String> = String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["file"].as_str().map(String::from))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let r = root.to_str().unwrap();
    let o = run(&["scan", "--exclude", "*.png", "--exclude", ".git/**", r]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let found = files(&o);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found
            .iter()
            .all(|f| !f.ends_with(".png") && !f.contains(".git"))
    );
    let o = run(&["scan", "--include", "*.csv", r]);
    assert_eq!(
        files(&o),
        vec![root.join("sub/two.csv").display().to_string()]
    );
    let o = run(&["scan", "--include", "sub/**/*.log", r]);
    assert_eq!(files(&o).len(), 1);
    // A bad pattern, and filters that keep nothing: clear errors.
    let o = run(&["scan", "--include", "[", r]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--include `[`"));
    let o = run(&["scan", "--include", "*.pdf", r]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no file to scan"));
}
