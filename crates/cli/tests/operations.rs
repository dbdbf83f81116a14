//! Running a cell: slow clients do not hold the server (header, body and idle timeouts, the
//! connection cap), every request leaves one log line without PI, `/readyz` and `/metrics`
//! say what an operator needs. Each against a real `custodian serve` on loopback.
#![expect(clippy::unwrap_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{serve, subject, tenant};

fn config(dir: &std::path::Path, text: &str) -> String {
    let p = dir.join("custodian.toml");
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

fn connect(url: &str) -> TcpStream {
    let s = TcpStream::connect(url.trim_start_matches("http://")).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

/// Reads until the server closes the connection (or the read timeout); what it sent.
fn read_to_close(s: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("the server did not close the connection: {e}"),
        }
    }
    (String::from_utf8_lossy(&out).to_string(), started.elapsed())
}

fn healthz(url: &str) -> u16 {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
        .get(format!("{url}/healthz"))
        .send()
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

#[test]
fn slow_clients_do_not_hold_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        "header_timeout_secs = 1\nbody_timeout_secs = 1\nmax_connections = 40\n",
    );
    let srv = serve(&dir.path().join("data"), &["--config", &cfg], &[]);

    // Forty clients that send half their headers and stop hold every connection the cell
    // serves; the next hundred are answered 503 at once, in the API's shape.
    let mut held: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut s = connect(&srv.url);
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: cell\r\n")
                .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut refused = 0;
    for _ in 0..100 {
        let mut s = connect(&srv.url);
        let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: cell\r\n\r\n");
        let (answer, took) = read_to_close(&mut s);
        if answer.starts_with("HTTP/1.1 503") {
            assert!(
                answer.contains(r#""code":"too_many_connections""#),
                "{answer}"
            );
            assert!(
                took < Duration::from_secs(2),
                "turned away at once: {took:?}"
            );
            refused += 1;
        }
    }
    assert!(refused >= 95, "over the cap: {refused} of 100 answered 503");

    // The header timeout closes the forty (hyper answers 408 or just closes).
    for s in &mut held {
        let (_, took) = read_to_close(s);
        assert!(took < Duration::from_secs(4), "closed after {took:?}");
    }
    drop(held);
    // And the cell answers again.
    let started = Instant::now();
    while healthz(&srv.url) != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the cell answers again"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    // A body that stops half-way: 408 in the API's shape within the body timeout.
    let mut s = connect(&srv.url);
    s.write_all(
        b"POST /v1/scan HTTP/1.1\r\nHost: cell\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nhalf a bo",
    )
    .unwrap();
    let (answer, took) = read_to_close(&mut s);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""code":"body_timeout""#), "{answer}");
    assert!(took < Duration::from_secs(4), "{took:?}");

    // A kept-alive connection left idle is closed after the header timeout.
    let mut s = connect(&srv.url);
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: cell\r\n\r\n")
        .unwrap();
    let (answer, took) = read_to_close(&mut s);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(4),
        "idle for {took:?}"
    );

    // The refusals are counted.
    let metrics = reqwest::blocking::get(format!("{}/metrics", srv.url))
        .unwrap()
        .text()
        .unwrap();
    let n: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("custodian_connections_refused_total "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(n >= 95, "{n}");
}

#[test]
fn limits_are_checked_at_start() {
    let dir = tempfile::tempdir().unwrap();
    for (text, says) in [
        (
            "max_connections = 0\n",
            "max_connections must be at least 1",
        ),
        ("header_timeout_secs = 0\n", "header_timeout_secs must be"),
        ("body_timeout_secs = 0\n", "body_timeout_secs must be"),
    ] {
        let cfg = config(dir.path(), text);
        let o = common::cli(&[
            "serve",
            "--config",
            &cfg,
            "--data-dir",
            dir.path().join("data").to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{err}");
        assert!(!dir.path().join("data").exists(), "nothing created");
    }
}

#[test]
fn every_request_leaves_one_log_line_without_pi() {
    let dir = tempfile::tempdir().unwrap();
    let srv = serve(
        &dir.path().join("data"),
        &["--log-format", "json"],
        &[("CUSTODIAN_LOG", "debug")],
    );
    let (svc, dpo) = tenant(&srv);
    let phone = "13900001234";
    let (s, token) = subject(&srv, &svc, phone);
    let (st, _) = srv.call("GET", &format!("/v1/subjects/{s}/export"), &dpo, None);
    assert_eq!(st, 200);
    let (st, _) = srv.call("GET", "/v1/tenants", "cst_not_a_key", None);
    assert_eq!(st, 401);
    std::thread::sleep(Duration::from_millis(200));
    let log = srv.stderr();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let requests: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["target"] == "custodian::http")
        .collect();
    // The manifest, two keys, register, consent, collect, export, the refused call.
    assert_eq!(requests.len(), 8, "{log}");
    let export = requests
        .iter()
        .find(|l| l["fields"]["route"] == "/v1/subjects/{subject}/export")
        .unwrap();
    assert_eq!(export["fields"]["status"], 200);
    assert_eq!(export["fields"]["role"], "dpo");
    assert_eq!(export["fields"]["tenant"], "ride");
    assert!(
        export["fields"]["key"]
            .as_str()
            .unwrap()
            .starts_with("key_")
    );
    assert!(export["fields"]["latency_ms"].as_f64().unwrap() > 0.0);
    assert_eq!(export["span"]["id"].as_str().unwrap().len(), 16);
    let refused = requests
        .iter()
        .find(|l| l["fields"]["status"] == 401)
        .unwrap();
    assert_eq!(refused["fields"]["key"], "-");
    // Never the value, the token, the subject's id, or a key's secret.
    for needle in [
        phone,
        token.as_str(),
        s.as_str(),
        svc.as_str(),
        dpo.as_str(),
    ] {
        assert!(!log.contains(needle), "the log holds `{needle}`");
    }
}

#[test]
fn readiness_and_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let srv = serve(&dir.path().join("data"), &[], &[]);
    let (svc, _) = tenant(&srv);
    subject(&srv, &svc, "13900005678");
    // A refusal: a purpose the service is not granted.
    let (st, v) = srv.call(
        "POST",
        "/v1/subjects",
        &svc,
        Some(serde_json::json!({"jurisdiction": "CN"})),
    );
    assert_eq!(st, 201);
    let s = v["subject"].as_str().unwrap();
    let (st, refusal) = srv.call(
        "POST",
        "/v1/collect",
        &svc,
        Some(serde_json::json!({"subject": s, "purpose": "marketing", "values": {"phone": "13900005679"}})),
    );
    assert_eq!(st, 403, "{refusal}");
    let code = refusal["code"].as_str().unwrap();
    let r = reqwest::blocking::get(format!("{}/readyz", srv.url)).unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let m = reqwest::blocking::get(format!("{}/metrics", srv.url))
        .unwrap()
        .text()
        .unwrap();
    let value = |prefix: &str| -> f64 {
        m.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` in\n{m}"))
            .trim()
            .parse()
            .unwrap()
    };
    assert_eq!(value("custodian_store_up "), 1.0);
    assert_eq!(
        value(r#"custodian_decisions_total{kind="collect",outcome="allow",reason=""} "#),
        1.0
    );
    assert_eq!(
        value(&format!(
            r#"custodian_decisions_total{{kind="collect",outcome="deny",reason="{code}"}} "#
        )),
        1.0
    );
    assert_eq!(value("custodian_orders_in_force "), 0.0);
    assert!(value("custodian_writer_batch_size_count ") >= 5.0);
    assert!(value("custodian_ledger_entries ") >= 5.0);
    assert_eq!(value("custodian_writer_queue_depth "), 0.0);
    // SQLite begins no transaction in a COMMIT's round trip.
    assert_eq!(value("custodian_writer_begun_in_commit_total "), 0.0);
    assert_eq!(value("custodian_writer_begin_missed_total "), 0.0);
    assert_eq!(value("custodian_writer_begun_let_go_total "), 0.0);
    assert_eq!(value("custodian_writer_committed_in_batch_total "), 0.0);
    assert_eq!(
        value(r#"custodian_request_duration_seconds_count{route="/v1/collect"} "#),
        2.0
    );
    assert!(value("custodian_connections_open ") >= 1.0);
}

/// The logs of a whole demo run (every request at debug level, JSON) hold none of the values
/// the demo collected, none of their tokens and no subject id; and a second run on the same
/// folder is refused before it touches it.
#[test]
fn a_full_demo_logs_no_value_token_or_subject() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(["--log-format", "json", "demo", "--data-dir"])
        .arg(&data)
        .env("CUSTODIAN_LOG", "debug")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(o.status.code(), Some(0), "{out}");
    let log = String::from_utf8_lossy(&o.stderr).to_string();
    let requests = log
        .lines()
        .filter(|l| l.contains(r#""target":"custodian::http""#))
        .count();
    assert!(requests >= 50, "every request logged: {requests}\n{log}");
    let mut needles: Vec<String> = [
        "13812345678",
        "13912345678",
        "13712345678",
        "北京市朝阳区建国路88号",
        "li.na@example.com",
        "十年物流调度经验",
        "VC684",
    ]
    .map(String::from)
    .to_vec();
    for db in [data.join("store/vault.db"), data.join("eu/store/vault.db")] {
        let c = rusqlite::Connection::open(&db).unwrap();
        for sql in ["SELECT token FROM vals", "SELECT id FROM subjects"] {
            let mut st = c.prepare(sql).unwrap();
            let rows = st.query_map([], |r| r.get::<_, String>(0)).unwrap();
            needles.extend(rows.map(Result::unwrap));
        }
    }
    assert!(needles.len() > 15, "{needles:?}");
    for n in &needles {
        assert!(!log.contains(n.as_str()), "the log holds `{n}`");
    }
    // Again on the same folder: refused, nothing changed.
    let before = std::fs::read(data.join("store/vault.db")).unwrap();
    let o = common::cli(&["demo", "--data-dir", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not empty"));
    assert_eq!(std::fs::read(data.join("store/vault.db")).unwrap(), before);
}

/// `custodian.example.toml` names every setting the configuration takes (the list from the
/// parser's own refusal of an unknown key), and a cell starts with it as it is.
#[test]
fn the_example_config_names_every_setting_and_starts_a_cell() {
    let dir = tempfile::tempdir().unwrap();
    let probe = config(dir.path(), "no_such_setting = 1\n");
    let o = common::cli(&["serve", "--config", &probe]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    let expected = err
        .split("expected one of")
        .nth(1)
        .unwrap_or_else(|| panic!("{err}"));
    let settings: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    assert!(settings.len() >= 15, "{settings:?}");
    let example_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../custodian.example.toml");
    let example = std::fs::read_to_string(&example_path).unwrap();
    for s in &settings {
        let named = example.lines().any(|l| {
            let l = l.trim_start_matches('#').trim();
            l.starts_with(&format!("{s} =")) || l == format!("[{s}]") || l == format!("[[{s}]]")
        });
        assert!(named, "custodian.example.toml does not name `{s}`");
    }
    let srv = serve(
        &dir.path().join("data"),
        &["--config", example_path.to_str().unwrap()],
        &[],
    );
    let r = reqwest::blocking::get(format!("{}/readyz", srv.url)).unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

/// A configuration error names its line and column, and does not quote the file (a database
/// URL in it may hold a password).
#[test]
fn config_errors_name_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        "listen = \"127.0.0.1:0\"\ndatabase = \"postgres://u:SECRETPW@db/custodian\"\nmax_connections = \"many\"\n",
    );
    let o = common::cli(&["serve", "--config", &cfg]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("line 3, column 19"), "{err}");
    assert!(!err.contains("SECRETPW"), "{err}");
}

/// A collect whose commit's sync to disk fails (a debug-build switch, turned on once the
/// tenant and a subject exist) is answered 504 `outcome_unknown` — not 503, which clients
/// resend as turned away before it was carried out — and its number is nowhere in the answer
/// or the log; the cell then takes no more writes (503) and says why.
#[test]
fn a_collect_whose_sync_failed_is_answered_outcome_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("cell");
    let trigger = dir.path().join("fail-syncs");
    let fault = format!("sync-fails-when:{}", trigger.display());
    let srv = serve(&data, &[], &[("CUSTODIAN_TEST_FAULT", &fault)]);
    let (svc, _) = tenant(&srv);
    let (s, _) = subject(&srv, &svc, "13800138000");
    std::fs::write(&trigger, b"").unwrap();
    let phone = "13912345678";
    let collect = || {
        srv.call(
            "POST",
            "/v1/collect",
            &svc,
            Some(serde_json::json!({"subject": s, "purpose": "dispatch", "values": {"phone": phone}})),
        )
    };
    let (st, v) = collect();
    assert_eq!(st, 504, "{v}");
    assert_eq!(v["code"], "outcome_unknown", "{v}");
    assert!(!v.to_string().contains(phone), "{v}");
    let (st, v) = collect();
    assert_eq!(st, 503, "{v}");
    assert_eq!(v["code"], "unavailable", "{v}");
    let log = srv.stderr();
    assert!(log.contains("outcome unknown"), "{log}");
    assert!(!log.contains(phone), "the number is in the log");
}
