//! No plaintext PI on disk, read as an attacker with the machine's files would: every byte of
//! every file of the cell — databases, write-ahead logs, shared memory, the server's log —
//! while the server runs, and again after a `kill -9`; on PostgreSQL, every file of the
//! cluster's data directory (tables, indexes, WAL segments) after a checkpoint. Each scan is
//! shown able to find: what is stored in clear by design (a token; a control row written in
//! clear) is found by the same scan.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{serve, subject, tenant};
use serde_json::json;

/// Every file under `dir` holding `needle` whole.
fn holding(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(holding(&p, needle));
        } else if let Ok(bytes) = std::fs::read(&p)
            && memchr::memmem::find(&bytes, needle).is_some()
        {
            out.push(p);
        }
    }
    out
}

/// Values no other test collects, so a hit can only be this test's.
fn values() -> Vec<String> {
    let n = common::rand_tag() % 1_000_000;
    vec![
        format!("1390{n:06}1").chars().take(11).collect(),
        format!("1370{n:06}2").chars().take(11).collect(),
        format!("1350{n:06}3").chars().take(11).collect(),
    ]
}

/// Collects `phones` through `srv` (one subject each); returns the tokens.
fn collect(srv: &common::Server, svc: &str, phones: &[String]) -> Vec<String> {
    phones.iter().map(|p| subject(srv, svc, p).1).collect()
}

#[test]
fn no_plaintext_in_any_sqlite_file_while_live_or_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut srv = serve(&data, &[], &[("CUSTODIAN_LOG", "debug")]);
    let (svc, dpo) = tenant(&srv);
    let phones = values();
    let tokens = collect(&srv, &svc, &phones);
    // Read back in clear, exported, so every path a value takes has run.
    let (st, v) = common::reads(&srv, &svc, &tokens[0]);
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["values"][0]["value"], phones[0].as_str());
    let s0 = v["values"][0]["subject"].as_str().unwrap().to_string();
    let (st, v) = srv.call("GET", &format!("/v1/subjects/{s0}/export"), &dpo, None);
    assert_eq!(st, 200, "{v}");
    // Live: the write-ahead logs are there and are read.
    let wal = data.join("store/vault.db-wal");
    assert!(wal.exists(), "the WAL is live");
    let scan = |when: &str| {
        for d in [&data, &srv.stderr] {
            for p in &phones {
                let found = if d.is_dir() {
                    holding(d, p.as_bytes())
                } else {
                    let bytes = std::fs::read(d).unwrap();
                    memchr::memmem::find(&bytes, p.as_bytes())
                        .map(|_| vec![d.to_path_buf()])
                        .unwrap_or_default()
                };
                assert!(
                    found.is_empty(),
                    "{when}: a phone number in clear in {found:?}"
                );
            }
        }
        // The scan finds what is stored in clear by design: the tokens.
        assert!(
            !holding(&data, tokens[0].as_bytes()).is_empty(),
            "{when}: the scan reads the store (a token is there in clear)"
        );
    };
    scan("live");
    // A crash between two writes: kill -9 while values are being collected.
    let more = values();
    let url = srv.url.clone();
    let svc2 = svc.clone();
    let more2 = more.clone();
    let writer = std::thread::spawn(move || {
        let client = reqwest::blocking::Client::new();
        for p in more2 {
            let r = client
                .post(format!("{url}/v1/subjects"))
                .bearer_auth(&svc2)
                .json(&json!({"jurisdiction": "CN"}))
                .send();
            let Ok(r) = r else { break };
            let s: serde_json::Value = r.json().unwrap_or_default();
            let Some(s) = s["subject"].as_str() else {
                break;
            };
            let _ = client
                .post(format!("{url}/v1/collect"))
                .bearer_auth(&svc2)
                .json(&json!({"subject": s, "purpose": "dispatch", "values": {"phone": p}}))
                .send();
        }
    });
    std::thread::sleep(Duration::from_millis(20));
    srv.child.kill().unwrap();
    srv.child.wait().unwrap();
    writer.join().unwrap();
    scan("after kill -9");
    for p in &more {
        assert!(
            holding(&data, p.as_bytes()).is_empty(),
            "after kill -9: {p}"
        );
    }
    // The cell recovers and still reads its values.
    let again = serve(&data, &[], &[]);
    let (st, v) = common::reads(&again, &svc, &tokens[1]);
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["values"][0]["value"], phones[1].as_str());
}

/// For each needle, the files under `dir` holding it whole, reading each file once; `skip`
/// leaves out directories.
fn holding_any(dir: &Path, needles: &[&[u8]], skip: &dyn Fn(&Path) -> bool) -> Vec<Vec<PathBuf>> {
    let mut out = vec![Vec::new(); needles.len()];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                if !skip(&p) {
                    stack.push(p);
                }
            } else if let Ok(bytes) = std::fs::read(&p) {
                for (i, n) in needles.iter().enumerate() {
                    if memchr::memmem::find(&bytes, n).is_some() {
                        out[i].push(p.clone());
                    }
                }
            }
        }
    }
    out
}

/// Every file of the cluster but other databases' tables: this database's tables and indexes,
/// the shared catalogs, the transaction status, and every WAL segment (recycled ones too).
#[test]
fn no_plaintext_in_the_postgresql_clusters_files() {
    let pgbase = std::env::var("PGBASE")
        .unwrap_or_else(|_| panic!("PGBASE is not set: run the tests with scripts/test"));
    let cluster = Path::new(&pgbase).join("data");
    assert!(cluster.join("PG_VERSION").exists(), "{}", cluster.display());
    let db = common::fresh_pg_db();
    let oid = common::pg_text(
        &db,
        "SELECT oid::text FROM pg_database WHERE datname = current_database()",
    );
    let dir = tempfile::tempdir().unwrap();
    // At debug level, which a driver would use to print its queries' parameters.
    let srv = serve(
        &dir.path().join("data"),
        &["--database", &db],
        &[("CUSTODIAN_LOG", "debug")],
    );
    let (svc, _) = tenant(&srv);
    let phones = values();
    let tokens = collect(&srv, &svc, &phones);
    let (st, v) = common::reads(&srv, &svc, &tokens[0]);
    assert_eq!(st, 200, "{v}");
    let log = srv.stderr();
    assert!(log.contains("custodian::http"), "the log is written");
    for n in phones.iter().chain(&tokens) {
        assert!(
            !log.contains(n.as_str()),
            "the server's debug log holds `{n}`"
        );
    }
    // Control rows written in clear, then everything flushed to the data files and the WAL.
    // Four rows, four WAL records: a record's bytes are split by a WAL page's header where
    // they cross a page boundary, so one copy is found only most of the time.
    let control = format!("control-in-clear-{}", common::rand_tag());
    common::pg_admin(
        &db,
        &format!(
            "CREATE TABLE control(t text);
             INSERT INTO control SELECT '{control}' FROM generate_series(1, 4);
             CHECKPOINT;"
        ),
    );
    let base = cluster.join("base");
    let others = |p: &Path| p.parent() == Some(base.as_path()) && !p.ends_with(&oid);
    let mut needles: Vec<&[u8]> = vec![control.as_bytes(), tokens[0].as_bytes()];
    needles.extend(phones.iter().map(|p| p.as_bytes()));
    let found = holding_any(&cluster, &needles, &others);
    assert!(
        found[0].iter().any(|p| p.starts_with(base.join(&oid))),
        "the scan reads this database's files (the control row is found): {:?}",
        found[0]
    );
    assert!(
        found[0]
            .iter()
            .any(|p| p.starts_with(cluster.join("pg_wal"))),
        "the scan reads the WAL (the control row is found): {:?}",
        found[0]
    );
    assert!(
        !found[1].is_empty(),
        "a token, stored in clear by design, is found"
    );
    for (p, files) in phones.iter().zip(&found[2..]) {
        assert!(
            files.is_empty(),
            "the phone number {p} in clear in {files:?}"
        );
    }
}
