//! The key hierarchy and erasure through the interfaces an operator and a DPO use: `custodian
//! serve` over HTTP, `custodian keys`, real SQLite files — including a process killed between
//! the two commits of an erasure.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::{Value, json};

struct Server {
    child: Child,
    url: String,
    admin: Option<String>,
    stderr: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `custodian serve` on a free port with `args` after `serve`, `env` set.
fn serve(data_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
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
    let (mut admin, mut url) = (None, String::new());
    for line in lines.by_ref().take(5) {
        let line = line.unwrap();
        if let Some(k) = line.strip_prefix("admin key (shown once, keep it secret): ") {
            admin = Some(k.to_string());
        }
        if let Some(rest) = line.split("on http://").nth(1) {
            url = format!("http://{}", rest.split_whitespace().next().unwrap());
            break;
        }
    }
    assert!(!url.is_empty(), "serve printed its address");
    Server {
        child,
        url,
        admin,
        stderr,
    }
}

fn rand_tag() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos()
}

impl Server {
    fn call(&self, method: &str, path: &str, key: &str, body: Option<Value>) -> (u16, Value) {
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

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap()
    }
}

/// The ride-hailing tenant, a service key, a DPO key.
fn tenant(srv: &Server) -> (String, String) {
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
fn subject(srv: &Server, svc: &str, phone: &str) -> (String, String) {
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

fn reads(srv: &Server, svc: &str, token: &str) -> (u16, Value) {
    srv.call(
        "POST",
        "/v1/detokenize",
        svc,
        Some(json!({"purpose": "dispatch", "tokens": [token], "reveal": "clear"})),
    )
}

/// The wrapped key of a subject, read from `keys.db` as an attacker with the files would.
fn wrapped_key(data_dir: &Path, subject: &str) -> Vec<u8> {
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
fn traces(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
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

fn keys_cmd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_custodian"))
        .arg("keys")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A process killed between an erasure's two commits (the subject marked erased with its ledger
/// entry; its key not yet deleted) is erased everywhere after the restart: the key is in no
/// byte of any file, the subject reads as erased, a retry is a conflict, and the ledger holds
/// one erasure.
#[test]
fn an_erasure_cut_by_a_crash_is_finished_at_restart() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("cell");
    let srv = serve(
        &dir,
        &[],
        &[("CUSTODIAN_TEST_FAULT", "erase-between-commits")],
    );
    let (svc, dpo) = tenant(&srv);
    let (victim, token) = subject(&srv, &svc, "13800001111");
    let (_, kept) = subject(&srv, &svc, "13800002222");
    let key = wrapped_key(&dir, &victim);
    let r = reqwest::blocking::Client::new()
        .delete(format!("{}/v1/subjects/{victim}", srv.url))
        .bearer_auth(&dpo)
        .send();
    assert!(
        r.is_err(),
        "the process died before answering: {:?}",
        r.map(|r| r.status())
    );
    let mut srv = srv;
    let status = srv.child.wait().unwrap();
    assert!(!status.success(), "aborted");
    assert!(
        srv.stderr()
            .contains("fault injected at `erase-between-commits`")
    );
    drop(srv);
    // Between the commits: the key is still on disk.
    assert!(
        !traces(&dir, &key).is_empty(),
        "the crash left the key (the test can fail)"
    );

    let srv = serve(&dir, &[], &[]);
    assert!(
        traces(&dir, &key).is_empty(),
        "the restart deleted the key from every file"
    );
    let (st, v) = srv.call("GET", &format!("/v1/subjects/{victim}/export"), &dpo, None);
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["subject"]["erased"], true, "{v}");
    assert_eq!(v["values"].as_array().unwrap().len(), 0);
    let (st, _) = srv.call("DELETE", &format!("/v1/subjects/{victim}"), &dpo, None);
    assert_eq!(st, 409, "a retry finds it erased");
    let (st, _) = reads(&srv, &svc, &token);
    assert!(st >= 400, "the erased value does not read back");
    let (st, v) = reads(&srv, &svc, &kept);
    assert_eq!(st, 200, "{v}");
    assert!(v.to_string().contains("13800002222"));
    let (st, v) = srv.call("GET", "/v1/ledger/entries?from=0&to=10000", &dpo, None);
    assert_eq!(st, 200, "{v}");
    let erasures = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entry"]["kind"] == "erase" && e["entry"]["subject"] == victim.as_str())
        .count();
    assert_eq!(erasures, 1, "one erasure in the ledger: {v}");
}

/// Epochs over HTTP and the CLI: a rotation destroys the epoch an erased subject's key was
/// wrapped under, the live values read on, only the administrator may rotate, a bad request
/// changes nothing; `custodian keys` reads the same state and rotates the KEK; the KEK outside
/// the data directory draws no warning, inside it does.
#[test]
fn epochs_rotate_over_http_and_the_cli() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("cell");
    let kek = d.path().join("secrets/kek.key");
    std::fs::create_dir_all(kek.parent().unwrap()).unwrap();
    let kek_arg = kek.to_str().unwrap().to_string();
    let srv = serve(&dir, &["--kek-file", &kek_arg], &[]);
    let admin = srv.admin.clone().unwrap();
    let (svc, dpo) = tenant(&srv);
    let (victim, _) = subject(&srv, &svc, "13800001111");
    let (_, kept) = subject(&srv, &svc, "13800002222");
    let old_key = wrapped_key(&dir, &victim);
    let (st, _) = srv.call("DELETE", &format!("/v1/subjects/{victim}"), &dpo, None);
    assert_eq!(st, 204);
    for key in [&svc, &dpo] {
        let (st, _) = srv.call(
            "POST",
            "/v1/keyring/rotate",
            key,
            Some(json!({"what": "epoch"})),
        );
        assert_eq!(st, 403, "only the administrator rotates");
    }
    let (st, _) = srv.call(
        "POST",
        "/v1/keyring/rotate",
        &admin,
        Some(json!({"what": "everything"})),
    );
    assert_eq!(st, 400);
    let (_, v) = srv.call("GET", "/v1/keyring", &admin, None);
    assert_eq!(
        v["current_epoch"], 1,
        "a refused rotation changed nothing: {v}"
    );
    let (st, v) = srv.call(
        "POST",
        "/v1/keyring/rotate",
        &admin,
        Some(json!({"what": "epoch"})),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (v["from_epoch"].clone(), v["to_epoch"].clone()),
        (json!(1), json!(2))
    );
    assert_eq!(v["destroyed_epochs"], json!([1]));
    assert_eq!(v["subject_keys"], 1);
    let (st, v) = reads(&srv, &svc, &kept);
    assert_eq!(st, 200, "{v}");
    assert!(v.to_string().contains("13800002222"));
    let (_, v) = srv.call("GET", "/v1/keyring", &admin, None);
    assert_eq!(v["current_epoch"], 2);
    assert!(
        v["holder"].as_str().unwrap().contains("secrets/kek.key"),
        "{v}"
    );
    assert!(!srv.stderr().contains("warning"), "{}", srv.stderr());
    // Epoch 1's key file is gone: the erased subject's key (still in any earlier copy of the
    // store) opens under nothing the cell holds.
    let epochs = kek.with_extension("epochs");
    let names: Vec<String> = std::fs::read_dir(&epochs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["epoch-00000002.key".to_string()]);
    assert!(traces(d.path(), &old_key).is_empty());
    drop(srv);

    let data = dir.to_str().unwrap();
    let o = keys_cmd(&[
        "status",
        "--data-dir",
        data,
        "--kek-file",
        &kek_arg,
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let st: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(st["current_epoch"], 2);
    assert_eq!(st["epochs"][0]["held"], false);
    assert_eq!(st["epochs"][1]["subject_keys"], 1);
    // Without the KEK file the cell does not open, and no new KEK is made.
    let o = keys_cmd(&["status", "--data-dir", data]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no key-encryption key"));
    assert!(!dir.join("kek.key").exists());
    let old_kek = std::fs::read(&kek).unwrap();
    let o = keys_cmd(&[
        "rotate",
        "--kek",
        "--data-dir",
        data,
        "--kek-file",
        &kek_arg,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_ne!(std::fs::read(&kek).unwrap(), old_kek);
    let o = keys_cmd(&["rotate", "--data-dir", data, "--kek-file", &kek_arg]);
    assert!(stdout(&o).contains("epoch rotated 2 → 3"), "{}", stdout(&o));

    let srv = serve(&dir, &["--kek-file", &kek_arg], &[]);
    let (st, v) = reads(&srv, &svc, &kept);
    assert_eq!(st, 200, "{v}");
    drop(srv);
    // The default KEK, inside the data directory, draws a warning.
    let other = d.path().join("other");
    let srv = serve(&other, &[], &[]);
    assert!(
        srv.stderr().contains("inside the data directory"),
        "{}",
        srv.stderr()
    );
}

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(args)
        .output()
        .unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

/// Back up, erase, rotate, lose the data file, restore the backup beside the cell's current
/// keys: the erased subject stays erased (no key, values deleted, recorded), everyone else's
/// values read back. The backup's own keys, under the destroyed epoch, open nothing — restoring
/// with them is refused; a backup with an altered ledger, or a checkpoint another cell signed,
/// is refused and changes nothing.
#[test]
fn backup_erase_rotate_restore() {
    use custodian_core::keyring::KeyHolder;
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("cell");
    let kek = d.path().join("secrets/kek.key");
    std::fs::create_dir_all(kek.parent().unwrap()).unwrap();
    let kek_arg = kek.to_str().unwrap().to_string();
    let data = dir.to_str().unwrap().to_string();
    let srv = serve(&dir, &["--kek-file", &kek_arg], &[]);
    let admin = srv.admin.clone().unwrap();
    let (svc, dpo) = tenant(&srv);
    let (victim, victim_token) = subject(&srv, &svc, "13800001111");
    let (_, b) = subject(&srv, &svc, "13800002222");
    let (_, c) = subject(&srv, &svc, "13800003333");
    let victim_key = wrapped_key(&dir, &victim);
    drop(srv);

    let backup = d.path().join("backup-1");
    let o = cli(&[
        "backup",
        "--data-dir",
        &data,
        "--kek-file",
        &kek_arg,
        "--out",
        backup.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&backup)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["backup.json", "checkpoint", "keys.db", "vault.db"]);
    let kek_bytes = std::fs::read(&kek).unwrap();
    assert!(traces(&backup, &kek_bytes).is_empty(), "no KEK in a backup");
    assert!(
        !traces(&backup, &victim_key).is_empty(),
        "the victim's wrapped key is in it"
    );
    // The backup's checkpoint verifies offline with the cell's verifier key.
    let srv = serve(&dir, &["--kek-file", &kek_arg], &[]);
    let (st, _) = srv.call("DELETE", &format!("/v1/subjects/{victim}"), &dpo, None);
    assert_eq!(st, 204);
    let (st, v) = srv.call(
        "POST",
        "/v1/keyring/rotate",
        &admin,
        Some(json!({"what": "epoch"})),
    );
    assert_eq!(st, 200, "{v}");
    drop(srv);

    // The backup's own keys are under epoch 1, destroyed: the victim's opens under nothing.
    let holder = custodian_keys::FileKeys::open_existing(&kek).unwrap();
    let aad = format!("custodian/subject-key/v1\nride\n{victim}");
    for e in holder.held_epochs().unwrap().into_iter().chain([0, 1]) {
        assert!(holder.unwrap(e, &victim_key, aad.as_bytes()).is_err());
    }
    drop(holder);

    // A tampered copy and a foreign checkpoint are refused before anything changes.
    let store = dir.join("store");
    let before: Vec<_> = std::fs::read_dir(&store)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let tampered = d.path().join("tampered");
    copy_dir(&backup, &tampered);
    {
        let c = rusqlite::Connection::open(tampered.join("vault.db")).unwrap();
        c.execute(
            "UPDATE ledger_entries SET entry = CAST(entry || X'00' AS BLOB) WHERE idx = 3",
            [],
        )
        .unwrap();
    }
    let o = cli(&[
        "restore",
        "--data-dir",
        &data,
        "--kek-file",
        &kek_arg,
        tampered.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("does not match"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let foreign = d.path().join("foreign");
    copy_dir(&backup, &foreign);
    let other = custodian_ledger::Signer::generate("custodian.local/cn/ledger").unwrap();
    let text = std::fs::read_to_string(backup.join("checkpoint")).unwrap();
    let body = &text[..text.rfind("\n\n").unwrap() + 1];
    std::fs::write(foreign.join("checkpoint"), other.sign(body).unwrap()).unwrap();
    let o = cli(&[
        "restore",
        "--data-dir",
        &data,
        "--kek-file",
        &kek_arg,
        foreign.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    // Restoring over the live store is refused too.
    let o = cli(&[
        "restore",
        "--data-dir",
        &data,
        "--kek-file",
        &kek_arg,
        backup.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("already holds a store"));
    let after: Vec<_> = std::fs::read_dir(&store)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(before, after, "refusals changed nothing");

    // The data file is lost; the key file survives.
    for f in ["vault.db", "vault.db-wal", "vault.db-shm"] {
        let _ = std::fs::remove_file(store.join(f));
    }
    let o = cli(&[
        "restore",
        "--data-dir",
        &data,
        "--kek-file",
        &kek_arg,
        backup.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("1 subject(s) erased since the backup"),
        "{out}"
    );

    let srv = serve(&dir, &["--kek-file", &kek_arg], &[]);
    for (token, phone) in [(&b, "13800002222"), (&c, "13800003333")] {
        let (st, v) = reads(&srv, &svc, token);
        assert_eq!(st, 200, "{v}");
        assert!(v.to_string().contains(phone));
    }
    let (st, _) = reads(&srv, &svc, &victim_token);
    assert!(st >= 400, "the erased subject's value is not back");
    let (_, v) = srv.call("GET", &format!("/v1/subjects/{victim}/export"), &dpo, None);
    assert_eq!(v["subject"]["erased"], true, "{v}");
    assert_eq!(v["values"].as_array().unwrap().len(), 0);
    let (_, v) = srv.call("GET", "/v1/ledger/entries?from=0&to=10000", &admin, None);
    let reasons: Vec<String> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["entry"]["reason"].as_str().map(String::from))
        .collect();
    assert!(reasons.contains(&"backup_taken".to_string()), "{reasons:?}");
    assert!(
        reasons.contains(&"backup_restored".to_string()),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"erased_since_backup".to_string()),
        "{reasons:?}"
    );
    drop(srv);

    // With the backup's own keys instead (the key file lost too): refused, epoch 1 is gone.
    std::fs::rename(&store, d.path().join("store-aside")).unwrap();
    let o = cli(&[
        "restore",
        "--data-dir",
        &data,
        "--kek-file",
        &kek_arg,
        "--keys-from-backup",
        backup.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("epoch(s) [1]"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
