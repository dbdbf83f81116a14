//! `custodian inspect` on real captures: a small ride-hailing app and an analytics SDK on
//! loopback, and a running `custodian serve`, recorded as HAR by `scripts/capture-har` (every
//! byte what went over the socket); every verdict kind checked on the field that earns it, in
//! JSON, HTML and SARIF, and never a value in any output. Malformed input fails with its
//! place; a large capture streams in bounded memory.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn capture(args: &[&str]) {
    let o = Command::new("python3")
        .arg(repo().join("scripts/capture-har"))
        .args(args)
        .output()
        .expect("python3 runs the recorder");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The values the fake app sends; none may appear in any report.
const VALUES: &[&str] = &[
    "13812345678",
    "11010519491231002X",
    "li.na@example.com",
    "6222020200112233446",
    "13700001111",
    "北京市朝阳区建国路88号",
    "王小明",
];

/// The field of the report at `host` `template` (`location`, `name`, `pi_type`).
fn field<'a>(r: &'a Value, method: &str, template: &str, location: &str, name: &str) -> &'a Value {
    r["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["method"] == method && e["template"] == template)
        .flat_map(|e| e["fields"].as_array().unwrap())
        .find(|f| f["location"] == location && f["name"] == name)
        .ok_or_else(|| format!("no {location} `{name}` at {method} {template} in {r:#}"))
        .unwrap()
}

fn verdicts(f: &Value) -> Vec<&str> {
    f["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

fn inspect(har: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = har.with_extension("json");
    let mut all = vec![
        "inspect",
        har.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let o = common::cli(&all);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    for v in VALUES {
        assert!(
            !text.contains(v) && !stderr.contains(v),
            "a value in the output: {v}"
        );
    }
    (
        o.status.code().unwrap(),
        serde_json::from_str(&text).unwrap_or(Value::Null),
        stderr,
    )
}

#[test]
fn a_fake_apps_capture_earns_every_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let har = dir.path().join("app.har");
    capture(&["fake-app", har.to_str().unwrap()]);
    let manifest = repo().join("examples/ride_hailing.toml");
    let (code, r, stderr) = inspect(
        &har,
        &[
            "--manifest",
            manifest.to_str().unwrap(),
            "--first-party-hosts",
            "127.0.0.1",
        ],
    );
    assert_eq!(code, 1, "high findings exit 1: {stderr}");
    assert_eq!(r["schema"], "custodian.inspect/1");
    assert_eq!(r["app_type"], "online_car_hailing", "the manifest's type");
    assert_eq!(r["exchanges"], 8);
    assert!(
        r["consent"]["call"]
            .as_str()
            .unwrap()
            .ends_with("/api/v1/privacy/consent"),
        "{r:#}"
    );
    // Before consent: the phone at device registration (necessary, but too early).
    let f = field(&r, "POST", "/api/v1/device/register", "body", "/phone");
    assert_eq!(
        (f["pi_type"].as_str(), f["example"].as_str()),
        (Some("cn_mobile"), Some("138****5678"))
    );
    assert_eq!(verdicts(f), ["before_consent", "necessary"]);
    assert_eq!(f["severity"], "high");
    // After consent, in the order: the pickup address is necessary; the ID number is declared
    // (the drivers' field) but beyond the necessary scope; the bank card is declared nowhere
    // and sensitive; the GPS fix is a declared sensitive field (trip track).
    let pickup = field(&r, "POST", "/api/v1/orders", "body", "/pickup");
    assert_eq!(verdicts(pickup), ["necessary"]);
    let id = field(&r, "POST", "/api/v1/orders", "body", "/passenger/id_number");
    assert_eq!(verdicts(id), ["declared_beyond_necessary"]);
    let card = field(&r, "POST", "/api/v1/orders", "body", "/payment/card");
    assert_eq!(
        verdicts(card),
        ["undeclared", "sensitive_without_separate_consent"]
    );
    let gps = field(&r, "POST", "/api/v1/orders", "body", "/location");
    assert!(
        !verdicts(gps).contains(&"sensitive_without_separate_consent"),
        "{gps}"
    );
    // The path's id becomes a template; the query's phone is found.
    let q = field(&r, "GET", "/api/v1/trips/{id}", "query", "phone");
    assert_eq!(verdicts(q), ["necessary"]);
    // The response's base64 body is decoded: the driver's phone comes back.
    let resp = field(&r, "GET", "/api/v1/trips/{id}", "response", "/driver_phone");
    assert_eq!(verdicts(resp), ["in_response"]);
    // Multipart and cookies.
    let email = field(&r, "POST", "/api/v1/profile", "body", "email");
    assert_eq!(verdicts(email), ["undeclared"]);
    let cookie = field(&r, "GET", "/api/v1/home", "cookie", "last_phone");
    assert_eq!(verdicts(cookie), ["necessary"]);
    // The SDK's beacon, to another host.
    let beacon = field(&r, "POST", "/collect", "body", "phone");
    assert_eq!(verdicts(beacon), ["third_party", "necessary"]);
    let hosts = r["summary"]["hosts"].as_array().unwrap();
    assert!(
        hosts
            .iter()
            .any(|h| h["host"] == "localhost" && h["first_party"] == false)
    );

    // Without a manifest, against the app type alone: beyond the necessary scope, and sensitive
    // PI with nothing declared.
    let (_, r, _) = inspect(&har, &["--app-type", "online_car_hailing"]);
    assert_eq!(r["first_party_inferred"], true);
    assert_eq!(
        r["first_party_hosts"],
        serde_json::json!(["127.0.0.1"]),
        "the busiest host"
    );
    let id = field(&r, "POST", "/api/v1/orders", "body", "/passenger/id_number");
    assert_eq!(
        verdicts(id),
        ["sensitive_without_separate_consent", "beyond_necessary"]
    );
    // A self-declared type with its own categories.
    let (_, r, _) = inspect(
        &har,
        &["--app-type", "self:ride_pool", "--necessary", "location"],
    );
    assert_eq!(
        verdicts(field(&r, "POST", "/api/v1/orders", "body", "/pickup")),
        ["beyond_necessary"]
    );
    assert_eq!(r["self_declared"], true);

    // HTML and SARIF.
    let html = dir.path().join("app.html");
    let o = common::cli(&[
        "inspect",
        har.to_str().unwrap(),
        "--manifest",
        manifest.to_str().unwrap(),
        "--first-party-hosts",
        "127.0.0.1",
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let page = std::fs::read_to_string(&html).unwrap();
    for heading in [
        "<h1>What the app collects</h1>",
        "<h2>Summary</h2>",
        "<h2>Findings by severity</h2>",
        "<h2>Endpoints</h2>",
        "POST 127.0.0.1/api/v1/device/register",
        "138****5678",
    ] {
        assert!(page.contains(heading), "{heading} in the page");
    }
    assert!(
        !page.contains("<script") && !page.contains("http://") && !page.contains("https://"),
        "self-contained: no script, no external resource"
    );
    for v in VALUES {
        assert!(!page.contains(v), "{v} in the page");
    }
    // As a browser shows it.
    let (_, dom) = common::render_in_chromium(&html, "inspect-report");
    for heading in [
        "What the app collects",
        "Findings by severity",
        "Endpoints",
        "sent before the user agreed",
    ] {
        assert!(dom.contains(heading), "{heading} rendered");
    }
    let sarif = dir.path().join("app.sarif");
    common::cli(&[
        "inspect",
        har.to_str().unwrap(),
        "--manifest",
        manifest.to_str().unwrap(),
        "--first-party-hosts",
        "127.0.0.1",
        "--format",
        "sarif",
        "-o",
        sarif.to_str().unwrap(),
    ]);
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(s["version"], "2.1.0");
    let rules: Vec<&str> = s["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["ruleId"].as_str().unwrap())
        .collect();
    for rule in [
        "third_party",
        "before_consent",
        "undeclared",
        "sensitive_without_separate_consent",
        "declared_beyond_necessary",
    ] {
        assert!(rules.contains(&rule), "{rule} in {rules:?}");
    }
}

#[test]
fn a_capture_of_custodian_serve() {
    let data = tempfile::tempdir().unwrap();
    let srv = common::serve(data.path(), &[], &[]);
    let (svc, _dpo) = common::tenant(&srv);
    let har = data.path().join("cell.har");
    capture(&["cell", &srv.url, &svc, har.to_str().unwrap()]);
    let manifest = repo().join("examples/ride_hailing.toml");
    let (code, r, stderr) = inspect(&har, &["--manifest", manifest.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        r["consent"]["call"]
            .as_str()
            .unwrap()
            .ends_with("/v1/subjects/{id}/consents"),
        "{r:#}"
    );
    // The platform sent the phone to the vault before the consent call, the pickup after.
    assert_eq!(
        verdicts(field(&r, "POST", "/v1/collect", "body", "/values/phone")),
        ["before_consent", "necessary"]
    );
    assert_eq!(
        verdicts(field(&r, "POST", "/v1/collect", "body", "/values/pickup")),
        ["necessary"]
    );
    // The key in the Authorization header is not PI, and no token is taken for one.
    assert!(!r.to_string().contains(&svc));
}

#[test]
fn ndjson_logs_and_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("requests.ndjson");
    std::fs::write(&log, concat!(
        r#"{"time":"2026-12-03T08:00:00Z","method":"POST","url":"https://api.ride.example/v1/login","body":{"mobile":"13812345678"}}"#, "\n",
        "\n",
        r#"{"time":1796284900000,"method":"POST","url":"https://api.ride.example/v1/consent","body":{"ok":true}}"#, "\n",
        r#"{"time":"2026-12-03T16:05:00+08:00","method":"GET","url":"https://ads.tracker.example/p?uid=11010519491231002X","response":{"status":200,"body":"ok"}}"#, "\n",
    )).unwrap();
    // Names an app made of data: an e-mail address as a key, a phone number in a parameter's
    // name, a host label and a path segment.
    std::fs::OpenOptions::new().append(true).open(&log).unwrap().write_all(concat!(
        r#"{"time":"2026-12-03T08:06:00Z","method":"POST","url":"https://13800138000.cdn.ride.example/invite/u13812345678?contact_13812345678=13812345678","body":{"alice@example.com":"13812345678"}}"#, "\n",
    ).as_bytes()).unwrap();
    let (code, r, _) = inspect(
        &log,
        &[
            "--app-type",
            "online_car_hailing",
            "--first-party-hosts",
            "ride.example",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(r["exchanges"], 4);
    let text = r.to_string();
    for name in [
        "alice@example.com",
        "13800138000",
        "u13812345678",
        "contact_13812345678",
    ] {
        assert!(!text.contains(name), "{name} in {text}");
    }
    assert_eq!(
        verdicts(field(&r, "POST", "/invite/{id}", "body", "/{key}")),
        ["necessary"]
    );
    assert_eq!(
        verdicts(field(&r, "POST", "/invite/{id}", "query", "{key}")),
        ["necessary"]
    );
    assert_eq!(
        verdicts(field(&r, "POST", "/v1/login", "body", "/mobile")),
        ["before_consent", "necessary"]
    );
    assert_eq!(
        verdicts(field(&r, "GET", "/p", "query", "uid")),
        [
            "third_party",
            "sensitive_without_separate_consent",
            "beyond_necessary"
        ]
    );
    // A HAR cut short: its place, and nothing written.
    let bad = dir.path().join("cut.har");
    std::fs::write(&bad, "{\"log\": {\"entries\": [\n {\"request\": {\"method\": \"GET\", \"url\": \"https://a.example/?p=13812345678\"}},\n {\"request\": ").unwrap();
    let o = common::cli(&[
        "inspect",
        bad.to_str().unwrap(),
        "--app-type",
        "online_car_hailing",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("line 3, column"), "{err}");
    assert!(!err.contains("13812345678") && o.stdout.is_empty());
    // Not a HAR at all; a bad NDJSON line; an unknown type; a manifest of another type.
    std::fs::write(&bad, "{\"log\": {\"pages\": []}}").unwrap();
    let o = common::cli(&[
        "inspect",
        bad.to_str().unwrap(),
        "--app-type",
        "online_car_hailing",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no `log.entries`"));
    std::fs::write(&log, "{\"url\":\"https://a.example/\"}\n{not json\n").unwrap();
    let o = common::cli(&[
        "inspect",
        log.to_str().unwrap(),
        "--app-type",
        "online_car_hailing",
    ]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("NDJSON at line 2"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = common::cli(&["inspect", log.to_str().unwrap(), "--app-type", "ride"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown app type `ride`"));
    let o = common::cli(&[
        "inspect",
        log.to_str().unwrap(),
        "--app-type",
        "map_navigation",
        "--manifest",
        repo().join("examples/ride_hailing.toml").to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("declares app type `online_car_hailing`"));
    let o = common::cli(&["inspect", log.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("name the app type"));
}

/// Writes a capture of `n` orders, each with a phone number and 600 bytes of filler.
fn big_har(path: &Path, n: u32) -> u64 {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    write!(f, "{{\"log\": {{\"version\": \"1.2\", \"entries\": [").unwrap();
    let filler = "x".repeat(600);
    for i in 0..n {
        if i > 0 {
            write!(f, ",").unwrap();
        }
        write!(f, "{{\"startedDateTime\": \"2026-12-03T08:00:00.000Z\", \"request\": {{\"method\": \"POST\", \"url\": \"https://api.ride.example/v1/orders/{i}\", \"headers\": [], \"postData\": {{\"mimeType\": \"application/json\", \"text\": \"{{\\\"phone\\\": \\\"138{i:08}\\\", \\\"note\\\": \\\"{filler}\\\"}}\"}}}}, \"response\": {{\"status\": 200, \"content\": {{\"mimeType\": \"text/plain\", \"text\": \"ok\"}}}}}}").unwrap();
    }
    write!(f, "]}}}}").unwrap();
    drop(f);
    std::fs::metadata(path).unwrap().len()
}

/// Runs `custodian inspect` on `har`, polling its peak resident memory (KiB); the report.
fn peak_of(har: &Path) -> (u64, Value) {
    let out = har.with_extension("json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args([
            "inspect",
            har.to_str().unwrap(),
            "--app-type",
            "online_car_hailing",
            "-o",
            out.to_str().unwrap(),
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let code = loop {
        if let Ok(s) = std::fs::read_to_string(&status)
            && let Some(v) = s.lines().find_map(|l| l.strip_prefix("VmHWM:"))
        {
            peak_kib = peak_kib.max(v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0));
        }
        if let Some(st) = child.try_wait().unwrap() {
            break st.code();
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    assert_eq!(code, Some(0));
    (
        peak_kib,
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap(),
    )
}

/// A capture ten times larger takes no more memory: the entries stream.
#[test]
fn a_large_capture_streams_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let (small, large) = (dir.path().join("small.har"), dir.path().join("large.har"));
    big_har(&small, 4_000);
    let size = big_har(&large, 40_000);
    assert!(size > 28 << 20, "{size}");
    let (small_peak, _) = peak_of(&small);
    let (large_peak, r) = peak_of(&large);
    assert_eq!(r["exchanges"], 40_000);
    let f = field(&r, "POST", "/v1/orders/{id}", "body", "/phone");
    assert_eq!(f["count"], 40_000);
    assert!(
        small_peak > 0 && large_peak < small_peak + 4 * 1024,
        "peak {large_peak} KiB for {size} bytes against {small_peak} KiB for a tenth of it"
    );
}
