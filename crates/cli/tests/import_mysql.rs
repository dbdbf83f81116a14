//! `custodian import --mysql URL --query SQL` against a real `custodian serve` and the test
//! MariaDB server (`scripts/mariadb`, TLS on with a test CA): rows read over TLS with the
//! server's identity checked, a killed import resumed with no row lost or done twice, a row
//! that is not UTF-8 refused on its own, and bad URLs and queries refused before anything is
//! done.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use std::process::{Command, Stdio};

use common::{MAPPING, import, phone, serve, tenant};
use mysql::prelude::Queryable;

/// The test server's URL and CA (set by `scripts/test`; the tests fail without them).
fn server() -> (String, String) {
    let url = std::env::var("CUSTODIAN_TEST_MYSQL_URL")
        .expect("CUSTODIAN_TEST_MYSQL_URL: run scripts/test, or scripts/mariadb start");
    let ca = std::env::var("CUSTODIAN_TEST_MYSQL_CA").expect("CUSTODIAN_TEST_MYSQL_CA");
    (url, ca)
}

/// A table of `n` users, its name unique to this run; row `bad`'s phone is not UTF-8.
fn users(n: u64, bad: u64) -> String {
    let (url, _) = server();
    let table = format!("users_{}", common::rand_tag());
    let mut c = mysql::Conn::new(mysql::Opts::from_url(&url).unwrap()).unwrap();
    c.query_drop(format!(
        "CREATE TABLE {table}(id BIGINT PRIMARY KEY, mobile VARBINARY(32), opted BOOLEAN)"
    ))
    .unwrap();
    let rows: Vec<(u64, Vec<u8>, bool)> = (1..=n)
        .map(|i| {
            let m = if i == bad {
                vec![0xff, 0xfe]
            } else {
                phone(i).into_bytes()
            };
            (i, m, i % 2 == 0)
        })
        .collect();
    c.exec_batch(
        format!("INSERT INTO {table}(id, mobile, opted) VALUES (?, ?, ?)"),
        rows,
    )
    .unwrap();
    table
}

fn with_tls(url: &str, tls: &str) -> String {
    format!("{url}?{tls}")
}

#[test]
fn a_mysql_table_is_read_over_tls_and_a_killed_import_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let mut srv = serve(&dir.path().join("data"), &[], &[]);
    let (svc, _) = tenant(&srv);
    let (url, ca) = server();
    let n = 4_000u64;
    let table = users(n, n);
    let map = dir.path().join("map.toml");
    std::fs::write(
        &map,
        MAPPING
            .replace("riders-test", "riders-mysql")
            .replace("\"user_id\"", "\"id\"")
            .replace("safety_ok", "opted"),
    )
    .unwrap();
    let out = dir.path().join("out.ndjson");
    let query = format!("SELECT id, mobile, opted FROM {table} ORDER BY id");
    let src = with_tls(&url, &format!("ssl-mode=VERIFY_IDENTITY&ssl-ca={ca}"));
    let args = [
        "--mapping",
        map.to_str().unwrap(),
        "--mysql",
        &src,
        "--query",
        &query,
        "--out",
        out.to_str().unwrap(),
        "--batch",
        "100",
        "--parallel",
        "2",
    ];
    // Killed once the write-back holds some rows.
    let mut child = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(["import", "--url", &srv.url, "--api-key", &svc])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = || {
        std::fs::read(&out)
            .map(|b| b.iter().filter(|&&c| c == b'\n').count())
            .unwrap_or(0)
    };
    while lines() < 500 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it was killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(lines() < n as usize, "killed before the end");

    let o = import(&srv, &svc, &args);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("resuming `riders-mysql` after row"),
        "{stderr}"
    );
    assert!(
        stdout.contains(&format!("{n} rows, {} imported, 1 with a refusal", n - 1)),
        "{stdout}"
    );
    // Each row once, in order; the one that is not UTF-8 refused without its bytes.
    let text = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v.get("row").is_some())
        .collect();
    let numbers: Vec<u64> = rows.iter().map(|r| r["row"].as_u64().unwrap()).collect();
    assert_eq!(numbers, (1..=n).collect::<Vec<_>>());
    let last = &rows[n as usize - 1];
    assert!(last["refused"].to_string().contains("bad_row"), "{last}");
    assert!(last["subject"].is_null(), "{last}");
    let subjects: std::collections::HashSet<&str> =
        rows.iter().filter_map(|r| r["subject"].as_str()).collect();
    assert_eq!(subjects.len(), n as usize - 1, "one subject a row");
    let token = rows[16]["tokens"]["phone"].as_str().unwrap();
    let (st, v) = common::reads(&srv, &svc, token);
    assert_eq!(
        (st, v["values"][0]["value"].as_str().unwrap()),
        (200, phone(17).as_str())
    );
    let _ = srv.child.kill();
    let _ = srv.child.wait();
    let (subjects, values) = common::stored(&dir.path().join("data"));
    assert_eq!((subjects, values), (n as i64 - 1, n as i64 - 1));
}

#[test]
fn bad_mysql_sources_are_refused_before_anything_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let mut srv = serve(&dir.path().join("data"), &[], &[]);
    let (svc, _) = tenant(&srv);
    let (url, ca) = server();
    let table = users(10, 0);
    let map = dir.path().join("map.toml");
    std::fs::write(
        &map,
        MAPPING
            .replace("\"user_id\"", "\"id\"")
            .replace("safety_ok", "opted"),
    )
    .unwrap();
    let out = dir.path().join("out.ndjson");
    let run = |src: &str, query: &str| {
        let o = import(
            &srv,
            &svc,
            &[
                "--mapping",
                map.to_str().unwrap(),
                "--mysql",
                src,
                "--query",
                query,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(!o.status.success());
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let good = format!("SELECT id, mobile, opted FROM {table} ORDER BY id");
    // The certificate names 127.0.0.1 and db.custodian.test, not localhost.
    let localhost = url.replace("127.0.0.1", "localhost");
    let cases = [
        (
            with_tls(&localhost, &format!("ssl-mode=VERIFY_IDENTITY&ssl-ca={ca}")),
            good.clone(),
            "connecting to the source database",
        ),
        (
            with_tls(&url, "ssl-mode=PREFERRED"),
            good.clone(),
            "falls back to clear text",
        ),
        (
            with_tls(&url, "ssl-mode=sometimes"),
            good.clone(),
            "is not one of DISABLED",
        ),
        (
            with_tls(&url, "ssl-mode=VERIFY_IDENTITY&ssl-ca=/nonexistent/ca.pem"),
            good.clone(),
            "is not a readable file",
        ),
        (
            url.replace("importer:importer", "importer:wrong"),
            good.clone(),
            "connecting to the source database",
        ),
        (
            url.clone(),
            format!("SELECT id, opted FROM {table}"),
            "the query has no column `mobile`",
        ),
        (url.clone(), "SELEKT 1".into(), "reading the query's rows"),
        (
            with_tls(&url, &format!("ssl-mode=VERIFY_CA&ssl-ca={ca}")),
            good.clone(),
            "VERIFY_CA is not offered",
        ),
        // REQUIRED with a CA checks the name too.
        (
            with_tls(&localhost, &format!("ssl-mode=REQUIRED&ssl-ca={ca}")),
            good.clone(),
            "connecting to the source database",
        ),
        // The driver's own parameters cannot move the connection or turn TLS off.
        (
            with_tls(&localhost, "host=db.example"),
            good.clone(),
            "the parameter `host` is not accepted",
        ),
        (
            with_tls(&url, "require_ssl=false"),
            good.clone(),
            "the parameter `require_ssl` is not accepted",
        ),
        (url.clone(), " ; ".into(), "--query is empty"),
        (
            "postgres://127.0.0.1/x".into(),
            good.clone(),
            "must be a mysql:// URL",
        ),
    ];
    for (src, query, says) in cases {
        let err = run(&src, &query);
        assert!(err.contains(says), "{src} {query}: {err}");
        // The password is never echoed back.
        assert!(!err.contains("importer:"), "{err}");
        assert!(!out.exists(), "{src} {query}: a write-back was started");
    }
    let _ = srv.child.kill();
    let _ = srv.child.wait();
    assert_eq!(common::stored(&dir.path().join("data")).0, 0);
}
