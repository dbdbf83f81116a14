//! `custodian serve --database postgres://…` against a real PostgreSQL server: two server
//! processes share one cell's database (what one writes, the other reads; one ledger), and
//! bad database settings stop the server with a clear message.
//!
//! `scripts/test` starts PostgreSQL and sets `CUSTODIAN_TEST_DATABASE_URL`; without it these
//! tests fail rather than skip.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

use common::fresh_pg_db as fresh_db;

struct Server {
    child: Child,
    url: String,
    admin: Option<String>,
    /// The start-up line.
    line: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How the database URL reaches `custodian serve`.
#[derive(Clone, Copy)]
enum Given {
    Flag,
    Env,
    ConfigFile,
}

/// Starts `custodian serve` on a free port with `data_dir` and the database given `how`.
fn serve(data_dir: &Path, db: &str, how: Given) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_custodian"));
    cmd.args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        data_dir.to_str().unwrap(),
    ]);
    match how {
        Given::Flag => {
            cmd.args(["--database", db]);
        }
        Given::Env => {
            cmd.env("CUSTODIAN_DATABASE", db);
        }
        Given::ConfigFile => {
            // Beside what a test wrote there before.
            let cfg = data_dir.join("custodian.toml");
            let before = std::fs::read_to_string(&cfg).unwrap_or_default();
            std::fs::write(&cfg, format!("database = \"{db}\"\n{before}")).unwrap();
            cmd.args(["--config", cfg.to_str().unwrap()]);
        }
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut admin, mut url, mut started) = (None, String::new(), String::new());
    for line in lines.by_ref().take(5) {
        let line = line.unwrap();
        if let Some(k) = line.strip_prefix("admin key (shown once, keep it secret): ") {
            admin = Some(k.to_string());
        }
        if let Some(rest) = line.split("on http://").nth(1) {
            assert!(line.contains("PostgreSQL at 127.0.0.1:"), "{line}");
            url = format!("http://{}", rest.split_whitespace().next().unwrap());
            started = line.clone();
            break;
        }
    }
    assert!(!url.is_empty(), "serve printed its address");
    Server {
        child,
        url,
        admin,
        line: started,
    }
}

fn call(method: &str, url: &str, key: &str, body: Option<Value>) -> (u16, Value) {
    let client = reqwest::blocking::Client::new();
    let mut rb = client
        .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url)
        .bearer_auth(key);
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().unwrap();
    (r.status().as_u16(), r.json().unwrap_or(Value::Null))
}

/// A TCP relay on loopback to the test cluster that the test can cut (every connection
/// closed, new ones refused) and mend.
struct Relay {
    port: u16,
    up: std::sync::Arc<std::sync::atomic::AtomicBool>,
    live: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
}

impl Relay {
    fn start(to: u16) -> Relay {
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let live = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (up2, live2) = (up.clone(), live.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if !up2.load(Ordering::SeqCst) {
                    continue; // dropped: refused
                }
                let Ok(server) = std::net::TcpStream::connect(("127.0.0.1", to)) else {
                    continue;
                };
                let mut l = live2.lock().unwrap();
                l.push(client.try_clone().unwrap());
                l.push(server.try_clone().unwrap());
                for (mut from, mut into) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut into);
                        let _ = into.shutdown(std::net::Shutdown::Both);
                    });
                }
            }
        });
        Relay { port, up, live }
    }

    fn cut(&self) {
        self.up.store(false, std::sync::atomic::Ordering::SeqCst);
        for s in self.live.lock().unwrap().drain(..) {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
    }

    fn mend(&self) {
        self.up.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// `/readyz` and `custodian_store_up`: (status, gauge).
fn readiness(url: &str) -> (u16, String) {
    let c = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(15))
        .build()
        .unwrap();
    let st = c
        .get(format!("{url}/readyz"))
        .send()
        .unwrap()
        .status()
        .as_u16();
    let m = c
        .get(format!("{url}/metrics"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    let up = m
        .lines()
        .find_map(|l| l.strip_prefix("custodian_store_up "))
        .unwrap()
        .to_string();
    (st, up)
}

/// A cell on PostgreSQL over TLS (verify-full against the test cluster's CA), through a
/// relay the test cuts: `/readyz` says 503 while the database is gone and 200 once it is back,
/// and `/healthz` (the process) stays up throughout.
#[test]
fn a_cell_over_tls_is_ready_only_while_its_database_answers() {
    let db = fresh_db();
    let ca = std::env::var("CUSTODIAN_TEST_PG_CA")
        .unwrap_or_else(|_| panic!("CUSTODIAN_TEST_PG_CA is not set: run scripts/test"));
    let pg_port: u16 = db
        .rsplit_once(':')
        .unwrap()
        .1
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let relay = Relay::start(pg_port);
    let name = db.rsplit_once('/').unwrap().1;
    let url = format!(
        "postgres://postgres@127.0.0.1:{}/{name}?sslmode=verify-full&sslrootcert={ca}",
        relay.port
    );
    let dir = tempfile::tempdir().unwrap();
    let srv = serve(dir.path(), &url, Given::Env);
    assert!(
        srv.line.contains("(TLS, sslmode=verify-full)"),
        "{}",
        srv.line
    );
    assert_eq!(readiness(&srv.url), (200, "1".into()));
    relay.cut();
    assert_eq!(readiness(&srv.url), (503, "0".into()));
    let health = reqwest::blocking::get(format!("{}/healthz", srv.url)).unwrap();
    assert_eq!(health.status().as_u16(), 200, "the process is alive");
    relay.mend();
    let started = std::time::Instant::now();
    loop {
        let r = readiness(&srv.url);
        if r == (200, "1".to_string()) {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "ready again: {r:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

fn text(url: &str, key: &str) -> String {
    reqwest::blocking::Client::new()
        .get(url)
        .bearer_auth(key)
        .send()
        .unwrap()
        .text()
        .unwrap()
}

#[test]
fn two_servers_share_one_cell() {
    let db = fresh_db();
    let dir = tempfile::tempdir().unwrap();
    let a = serve(dir.path(), &db, Given::Flag);
    let admin = a.admin.clone().expect("first start prints the admin key");
    let put = reqwest::blocking::Client::new()
        .put(format!("{}/v1/tenants/ride/manifest", a.url))
        .bearer_auth(&admin)
        .body(include_str!("../../../examples/ride_hailing.toml"))
        .send()
        .unwrap();
    assert_eq!(put.status().as_u16(), 200);
    let (_, k) = call(
        "POST",
        &format!("{}/v1/keys", a.url),
        &admin,
        Some(json!({"role": "service", "tenant": "ride", "service": "dispatch-svc"})),
    );
    let svc = k["key"].as_str().unwrap().to_string();

    // A second process on the same database (URL from the environment this time).
    let b = serve(dir.path(), &db, Given::Env);
    assert!(b.admin.is_none(), "the cell already has an admin key");

    // Collected through A, read back through B; and the other way round.
    let mut tokens = Vec::new();
    for (from, to) in [(&a, &b), (&b, &a)] {
        let (s, v) = call(
            "POST",
            &format!("{}/v1/subjects", from.url),
            &svc,
            Some(json!({"jurisdiction": "CN"})),
        );
        assert_eq!(s, 201, "{v}");
        let subject = v["subject"].as_str().unwrap().to_string();
        let (s, v) = call(
            "POST",
            &format!("{}/v1/collect", from.url),
            &svc,
            Some(
                json!({"subject": subject, "purpose": "dispatch", "values": {"phone": "13812345678"}}),
            ),
        );
        assert_eq!(s, 200, "{v}");
        let token = v["tokens"][0]["token"].as_str().unwrap().to_string();
        let (s, v) = call(
            "POST",
            &format!("{}/v1/detokenize", to.url),
            &svc,
            Some(json!({"purpose": "dispatch", "tokens": [token]})),
        );
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["values"][0]["value"], "138****5678", "{v}");
        tokens.push(token);
    }
    // One ledger: both servers sign the same head.
    // The administrator reads them: a regulator's every read is itself an entry.
    let cp_a = text(&format!("{}/v1/ledger/checkpoint", a.url), &admin);
    let cp_b = text(&format!("{}/v1/ledger/checkpoint", b.url), &admin);
    let head = |cp: &str| cp.lines().skip(1).take(2).collect::<Vec<_>>().join("\n");
    assert_eq!(head(&cp_a), head(&cp_b), "{cp_a}\n{cp_b}");
    let size: u64 = cp_a.lines().nth(1).unwrap().parse().unwrap();
    assert!(size >= 6, "{cp_a}");

    // A restart of A on the same database (named in a config file now) keeps everything.
    drop(a);
    let a = serve(dir.path(), &db, Given::ConfigFile);
    let (s, v) = call(
        "POST",
        &format!("{}/v1/detokenize", a.url),
        &svc,
        Some(json!({"purpose": "dispatch", "tokens": tokens})),
    );
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["values"].as_array().unwrap().len(), 2);
}

#[test]
fn bad_database_settings_stop_the_server_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let run = |db: &str| {
        Command::new(env!("CARGO_BIN_EXE_custodian"))
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--data-dir",
                dir.path().to_str().unwrap(),
                "--database",
                db,
            ])
            .output()
            .unwrap()
    };
    let o = run("mysql://root@127.0.0.1/custodian");
    assert_eq!(o.status.code(), Some(2), "exit 2: an error");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("postgres://"), "{err}");
    let o = run("postgres://custodian:pw-s3cret@127.0.0.1:1/custodian?connect_timeout=5");
    assert_eq!(o.status.code(), Some(2), "exit 2: an error");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot connect to PostgreSQL at 127.0.0.1:1/custodian"),
        "{err}"
    );
    assert!(!err.contains("pw-s3cret"), "{err}");
}

/// A PostgreSQL cell backs up while it serves (one snapshot transaction; the copy is in the
/// SQLite layout with a checkpoint the cell signed) and restores into an empty database, where
/// its values read back; a database that holds a cell is refused.
#[test]
fn backup_while_serving_and_restore_into_an_empty_database() {
    let db = fresh_db();
    let dir = tempfile::tempdir().unwrap();
    let a = serve(dir.path(), &db, Given::Flag);
    let admin = a.admin.clone().unwrap();
    let put = reqwest::blocking::Client::new()
        .put(format!("{}/v1/tenants/ride/manifest", a.url))
        .bearer_auth(&admin)
        .body(include_str!("../../../examples/ride_hailing.toml"))
        .send()
        .unwrap();
    assert_eq!(put.status().as_u16(), 200);
    let (_, k) = call(
        "POST",
        &format!("{}/v1/keys", a.url),
        &admin,
        Some(json!({"role": "service", "tenant": "ride", "service": "dispatch-svc"})),
    );
    let svc = k["key"].as_str().unwrap().to_string();
    let (_, v) = call(
        "POST",
        &format!("{}/v1/subjects", a.url),
        &svc,
        Some(json!({"jurisdiction": "CN"})),
    );
    let subject = v["subject"].as_str().unwrap().to_string();
    let (_, v) = call(
        "POST",
        &format!("{}/v1/collect", a.url),
        &svc,
        Some(
            json!({"subject": subject, "purpose": "dispatch", "values": {"phone": "13812345678"}}),
        ),
    );
    let token = v["tokens"][0]["token"].as_str().unwrap().to_string();
    // A legal hold, which the restored cell must keep (its values may not be erased).
    let (_, k) = call(
        "POST",
        &format!("{}/v1/keys", a.url),
        &admin,
        Some(json!({"role": "dpo", "tenant": "ride"})),
    );
    let dpo = k["key"].as_str().unwrap().to_string();
    let hold = format!("{}/v1/subjects/{subject}/hold", a.url);
    let (s, v) = call("PUT", &hold, &dpo, Some(json!({"reason": "case-2026-117"})));
    assert_eq!(s, 204, "{v}");
    // A person's request with its deadline, which the restored cell must still answer for.
    let asked = format!("{}/v1/requests", a.url);
    let (s, v) = call(
        "POST",
        &asked,
        &dpo,
        Some(json!({"subject": subject, "kind": "copy"})),
    );
    assert_eq!(s, 201, "{v}");
    let request = v["id"].as_str().unwrap().to_string();
    let cli = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_custodian"))
            .args(args)
            .output()
            .unwrap()
    };
    let data = dir.path().to_str().unwrap();
    let out = dir.path().join("backup");
    let o = cli(&[
        "backup",
        "--data-dir",
        data,
        "--database",
        &db,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The server kept serving.
    let (s, _) = call(
        "POST",
        &format!("{}/v1/detokenize", a.url),
        &svc,
        Some(json!({"purpose": "dispatch", "tokens": [token.clone()]})),
    );
    assert_eq!(s, 200);
    let o = cli(&[
        "restore",
        "--data-dir",
        data,
        "--database",
        &db,
        "--keys-from-backup",
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("already holds a cell"));
    drop(a);
    let fresh = fresh_db();
    let o = cli(&[
        "restore",
        "--data-dir",
        data,
        "--database",
        &fresh,
        out.to_str().unwrap(),
    ]);
    assert!(
        !o.status.success(),
        "PostgreSQL keeps no key file apart: the flag is required"
    );
    let o = cli(&[
        "restore",
        "--data-dir",
        data,
        "--database",
        &fresh,
        "--keys-from-backup",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let b = serve(dir.path(), &fresh, Given::Flag);
    assert!(b.admin.is_none(), "the restored cell has its admin key");
    let (s, v) = call(
        "POST",
        &format!("{}/v1/detokenize", b.url),
        &svc,
        Some(json!({"purpose": "dispatch", "tokens": [token]})),
    );
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["values"][0]["value"], "138****5678", "{v}");
    // The hold came back with the subject: its erasure is refused, naming the hold.
    let erase = format!("{}/v1/subjects/{subject}", b.url);
    let (s, v) = call("DELETE", &erase, &dpo, None);
    assert_eq!(s, 409, "{v}");
    assert_eq!(v["code"], "legal_hold", "{v}");
    // And the open request, with its deadline.
    let (s, v) = call("GET", &format!("{}/v1/requests", b.url), &dpo, None);
    assert_eq!(s, 200, "{v}");
    let ids: Vec<&Value> = v.as_array().unwrap().iter().map(|r| &r["id"]).collect();
    assert_eq!(ids, [&json!(request)], "{v}");
}

/// On PostgreSQL too: the administrator revokes the regulator's API key; the regulator signs
/// its requests with its order key and still submits and lists; a restart trusting a key of
/// the operator's is refused.
#[test]
fn a_revoked_regulator_api_key_does_not_lock_the_regulator_out() {
    let db = fresh_db();
    let dir = tempfile::tempdir().unwrap();
    let cli = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_custodian"))
            .args(args)
            .output()
            .unwrap()
    };
    let key = dir.path().join("cac.key");
    let o = cli(&[
        "order",
        "keygen",
        "--name",
        "cac.example/orders",
        "--out",
        key.to_str().unwrap(),
    ]);
    let vkey = String::from_utf8(o.stdout).unwrap().trim().to_string();
    std::fs::write(
        dir.path().join("custodian.toml"),
        format!("regulator_keys = [\"{vkey}\"]\n"),
    )
    .unwrap();
    let a = serve(dir.path(), &db, Given::ConfigFile);
    let admin = a.admin.clone().unwrap();
    let (s, k) = call(
        "POST",
        &format!("{}/v1/keys", a.url),
        &admin,
        Some(json!({"role": "regulator"})),
    );
    assert_eq!(s, 201);
    let (s, keys) = call("GET", &format!("{}/v1/keys", a.url), &admin, None);
    assert_eq!(s, 200);
    let id = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["role"] == "regulator")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        call("DELETE", &format!("{}/v1/keys/{id}", a.url), &admin, None).0,
        204
    );
    let reg_api = k["key"].as_str().unwrap();
    assert_eq!(
        call("GET", &format!("{}/v1/orders", a.url), reg_api, None).0,
        401
    );
    let doc = dir.path().join("o.json");
    let o = cli(&[
        "order",
        "new",
        "--kind",
        "suspend_transfers",
        "--issuer",
        "CAC",
        "--reason",
        "r",
        "--legal-basis",
        "b",
        "--id",
        "cac-pg-1",
        "--out",
        doc.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(
        cli(&[
            "order",
            "sign",
            "--key",
            key.to_str().unwrap(),
            doc.to_str().unwrap()
        ])
        .status
        .success()
    );
    let note = dir.path().join("o.note");
    let k = key.to_str().unwrap();
    let o = cli(&[
        "order",
        "submit",
        "--url",
        &a.url,
        "--key",
        k,
        note.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = cli(&["order", "list", "--url", &a.url, "--key", k]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("cac-pg-1"));
    drop(a);
    // The operator adds a key of its own to the configuration: the cell will not start.
    let other = dir.path().join("operator.key");
    let o = cli(&[
        "order",
        "keygen",
        "--name",
        "cac.example/orders",
        "--out",
        other.to_str().unwrap(),
    ]);
    let other = String::from_utf8(o.stdout).unwrap().trim().to_string();
    std::fs::write(
        dir.path().join("custodian.toml"),
        format!("regulator_keys = [\"{vkey}\", \"{other}\"]\n"),
    )
    .unwrap();
    let cfg = dir.path().join("custodian.toml");
    std::fs::write(
        &cfg,
        format!(
            "database = \"{db}\"\n{}",
            std::fs::read_to_string(&cfg).unwrap()
        ),
    )
    .unwrap();
    let o = cli(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        dir.path().to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("disagrees with the regulator keys pinned")
    );
}

/// The keys of a SQLite cell are not taken for a new cell on PostgreSQL (two ledgers signed by
/// one key), nor the other way round: the start is refused before it opens the database.
#[test]
fn a_cells_keys_are_not_reused_for_another_kind_of_database() {
    let dir = tempfile::tempdir().unwrap();
    let start = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_custodian"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .args(args)
            .env("CUSTODIAN_ROTATE_EPOCH_HOURS", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = std::io::BufReader::new(child.stdout.take().unwrap())
            .lines()
            .map_while(Result::ok)
            .take(5)
            .any(|l| l.contains("on http://"));
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        (started, String::from_utf8_lossy(&out.stderr).to_string())
    };
    let (started, _) = start(&[]);
    assert!(started, "the SQLite cell starts");
    let db = fresh_db();
    let (started, err) = start(&["--database", &db]);
    assert!(!started);
    assert!(
        err.contains("belong to the cell on SQLite")
            && err.contains("needs its own data directory"),
        "{err}"
    );
    assert!(
        !err.contains("postgres://"),
        "no URL (it may hold a password): {err}"
    );

    // A PostgreSQL cell's directory refuses SQLite the same way.
    let pg_dir = tempfile::tempdir().unwrap();
    let pg = serve(pg_dir.path(), &db, Given::Flag);
    drop(pg);
    let o = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(pg_dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("belong to the cell on PostgreSQL at 127.0.0.1:"),
        "{err}"
    );
    assert!(
        !pg_dir.path().join("store").exists(),
        "no SQLite store made"
    );
}
