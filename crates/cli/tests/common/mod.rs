//! Helpers the CLI's integration tests share: `custodian serve` on a free port, the
//! ride-hailing tenant with its keys, subjects with a value, and scans of files.
#![expect(
    dead_code,
    reason = "each test binary uses some of the helpers, none all"
)]

pub mod witnesses;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::{Value, json};

pub struct Server {
    pub child: Child,
    pub url: String,
    pub admin: Option<String>,
    pub stderr: PathBuf,
    /// The cell's ledger verifier key (from the start-up line).
    pub vkey: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `custodian serve` on a free port with `args` after `serve`, `env` set.
pub fn serve(data_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
    let stderr = data_dir.with_extension(format!("stderr-{}", rand_tag()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_custodian"));
    cmd.args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        data_dir.to_str().unwrap(),
    ])
    .args(args)
    .env("CUSTODIAN_ROTATE_EPOCH_HOURS", "0");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut admin, mut url, mut vkey) = (None, String::new(), String::new());
    for line in lines.by_ref().take(5) {
        let line = line.unwrap();
        if let Some(k) = line.strip_prefix("admin key (shown once, keep it secret): ") {
            admin = Some(k.to_string());
        }
        if let Some(rest) = line.split("on http://").nth(1) {
            url = format!("http://{}", rest.split_whitespace().next().unwrap());
            vkey = line.rsplit(' ').next().unwrap().to_string();
            break;
        }
    }
    assert!(!url.is_empty(), "serve printed its address");
    Server {
        child,
        url,
        admin,
        stderr,
        vkey,
    }
}

pub fn rand_tag() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos()
}

impl Server {
    pub fn call(&self, method: &str, path: &str, key: &str, body: Option<Value>) -> (u16, Value) {
        let mut rb = reqwest::blocking::Client::new()
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                format!("{}{path}", self.url),
            )
            .bearer_auth(key);
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().unwrap();
        (r.status().as_u16(), r.json().unwrap_or(Value::Null))
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap()
    }
}

/// The ride-hailing tenant, a service key, a DPO key.
pub fn tenant(srv: &Server) -> (String, String) {
    let admin = srv.admin.clone().unwrap();
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/ride_hailing.toml"),
    )
    .unwrap();
    let r = reqwest::blocking::Client::new()
        .put(format!("{}/v1/tenants/ride/manifest", srv.url))
        .bearer_auth(&admin)
        .body(manifest)
        .send()
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().unwrap());
    let key = |body: Value| {
        let (st, v) = srv.call("POST", "/v1/keys", &admin, Some(body));
        assert_eq!(st, 201, "{v}");
        v["key"].as_str().unwrap().to_string()
    };
    (
        key(json!({"role": "service", "tenant": "ride", "service": "dispatch-svc"})),
        key(json!({"role": "dpo", "tenant": "ride"})),
    )
}

/// A registered subject with consent and a phone number: (subject, token).
pub fn subject(srv: &Server, svc: &str, phone: &str) -> (String, String) {
    let (st, v) = srv.call(
        "POST",
        "/v1/subjects",
        svc,
        Some(json!({"jurisdiction": "CN"})),
    );
    assert_eq!(st, 201, "{v}");
    let s = v["subject"].as_str().unwrap().to_string();
    let (st, v) = srv.call(
        "POST",
        &format!("/v1/subjects/{s}/consents"),
        svc,
        Some(json!({"purpose": "dispatch", "separate": true})),
    );
    assert!(st < 300, "{v}");
    let (st, v) = srv.call(
        "POST",
        "/v1/collect",
        svc,
        Some(json!({"subject": s, "purpose": "dispatch", "values": {"phone": phone}})),
    );
    assert_eq!(st, 200, "{v}");
    (s, v["tokens"][0]["token"].as_str().unwrap().to_string())
}

pub fn reads(srv: &Server, svc: &str, token: &str) -> (u16, Value) {
    srv.call(
        "POST",
        "/v1/detokenize",
        svc,
        Some(json!({"purpose": "dispatch", "tokens": [token], "reveal": "clear"})),
    )
}

/// The wrapped key of a subject, read from `keys.db` as an attacker with the files would.
pub fn wrapped_key(data_dir: &Path, subject: &str) -> Vec<u8> {
    let c = rusqlite::Connection::open_with_flags(
        data_dir.join("store/keys.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    c.query_row(
        "SELECT wrapped FROM subject_keys WHERE subject = ?1",
        [subject],
        |r| r.get(0),
    )
    .unwrap()
}

/// Files under `dir` holding any 24-byte stretch of `needle`.
pub fn traces(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(traces(&p, needle));
        } else {
            let bytes = std::fs::read(&p).unwrap();
            if needle
                .windows(24)
                .step_by(8)
                .any(|w| memchr::memmem::find(&bytes, w).is_some())
            {
                out.push(p);
            }
        }
    }
    out
}

pub fn keys_cmd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_custodian"))
        .arg("keys")
        .args(args)
        .output()
        .unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(args)
        .output()
        .unwrap()
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

/// Whether any file under `dir` holds `needle` whole.
pub fn contains_anywhere(dir: &Path, needle: &[u8]) -> bool {
    std::fs::read_dir(dir).unwrap().any(|e| {
        let p = e.unwrap().path();
        if p.is_dir() {
            contains_anywhere(&p, needle)
        } else {
            memchr::memmem::find(&std::fs::read(&p).unwrap(), needle).is_some()
        }
    })
}

/// A new empty database on the test cluster (`CUSTODIAN_TEST_DATABASE_URL`, set by
/// `scripts/test`; without it the test fails); its URL.
pub fn fresh_pg_db() -> String {
    const URL_VAR: &str = "CUSTODIAN_TEST_DATABASE_URL";
    let url = std::env::var(URL_VAR)
        .map_err(|_| {
            format!(
                "{URL_VAR} is not set: run the tests with scripts/test, which starts PostgreSQL"
            )
        })
        .unwrap();
    let name = format!("ctest_{}_{}", std::process::id(), rand_tag());
    pg_admin(&url, &format!("CREATE DATABASE {name}"));
    format!("{}/{name}", url.rsplit_once('/').unwrap().0)
}

/// Runs `f` with a client of the database at `url`.
fn pg_with<T>(url: &str, f: impl AsyncFnOnce(&tokio_postgres::Client) -> T) -> T {
    let url = url.to_string();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async move {
            let (c, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            f(&c).await
        })
}

/// Runs SQL statements on the database at `url`.
pub fn pg_admin(url: &str, sql: &str) {
    pg_with(url, async |c| c.batch_execute(sql).await.unwrap());
}

/// The first column of the one row `sql` returns, as text.
pub fn pg_text(url: &str, sql: &str) -> String {
    pg_with(url, async |c| {
        c.query_one(sql, &[]).await.unwrap().get::<_, String>(0)
    })
}

/// Renders an HTML file in headless Chromium (Debian's `chromium`, installed by
/// `scripts/test`; without it the test fails): a 1280×800 screenshot written to
/// `target/screenshots/NAME.png` for a person to look at, and the DOM as the browser built it.
pub fn render_in_chromium(html: &Path, name: &str) -> (PathBuf, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = dir.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&png);
    let url = format!("file://{}", html.canonicalize().unwrap().display());
    let profile = tempfile::tempdir().unwrap();
    let base = |args: &[&str]| {
        let o = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(args)
            .arg(&url)
            .output()
            .map_err(|e| format!("chromium (scripts/test installs it): {e}"))
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o
    };
    base(&[
        "--window-size=1280,800",
        &format!("--screenshot={}", png.display()),
    ]);
    let dom = String::from_utf8_lossy(&base(&["--dump-dom"]).stdout).into_owned();
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(size > 10_000, "a screenshot of {name}: {size} bytes");
    (png, dom)
}

/// The import tests' mapping: riders with a safety consent when `safety_ok` says so, and
/// their mobile numbers collected for dispatch.
pub const MAPPING: &str = r#"
name = "riders-test"
key = "user_id"
jurisdiction = "CN"
role = "passenger"

[[consent]]
purpose = "safety"
when = "safety_ok"

[[collect]]
purpose = "dispatch"
fields = { phone = "mobile" }
"#;

/// A valid mainland mobile number for row `i`.
pub fn phone(i: u64) -> String {
    format!("139{:08}", 10_000_000 + i)
}

pub fn import(srv: &Server, svc: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(["import", "--url", &srv.url, "--api-key", svc])
        .args(args)
        .output()
        .unwrap()
}

/// (subjects, values) the cell's files hold, read once the server has stopped.
pub fn stored(data: &Path) -> (i64, i64) {
    let c = rusqlite::Connection::open(data.join("store/vault.db")).unwrap();
    let n = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    (
        n("SELECT count(*) FROM subjects"),
        n("SELECT count(*) FROM vals"),
    )
}
