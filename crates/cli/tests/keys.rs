//! The key hierarchy and erasure through the interfaces an operator and a DPO use: `custodian
//! serve` over HTTP, `custodian keys`, real SQLite files — including a process killed between
//! the two commits of an erasure.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::{Value, json};

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
    let (st, v) = reads(&srv, &svc, &token);
    assert_eq!(
        (st, v["code"].as_str()),
        (404, Some("not_found")),
        "the erased value does not read back: {v}"
    );
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

/// Starts the cell in `dir` with the debug build's fault point that cuts a key write between
/// the two files, sends `request` (a `reqwest` builder for the server's URL), and checks that
/// the request was never answered and the process aborted at the fault point.
fn cut_between_the_files(
    dir: &Path,
    request: impl FnOnce(&reqwest::blocking::Client, &str) -> reqwest::blocking::RequestBuilder,
) {
    let mut srv = serve(
        dir,
        &[],
        &[("CUSTODIAN_TEST_FAULT", "key-write-cut-between-files")],
    );
    let r = request(&reqwest::blocking::Client::new(), &srv.url).send();
    assert!(r.is_err(), "never answered: {:?}", r.map(|r| r.status()));
    assert!(!srv.child.wait().unwrap().success(), "aborted");
    assert!(
        srv.stderr()
            .contains("fault injected at `key-write-cut-between-files`")
    );
}

/// A process killed while a registration commits, between its two files (its row and ledger
/// entry in vault.db, its key not in keys.db — the debug build's fault point cuts the key
/// file's log as the crash would): the registration was never answered, and after the restart
/// the subject reads as erased, the ledger records its erasure with the reason, and the cell's
/// other subjects read. Before, the open erased it with no entry; a key file swapped for an
/// older copy was repaired the same silent way (now refused: `custodian-store`'s files tests).
#[test]
fn a_registration_cut_between_the_files_is_erased_and_recorded_at_restart() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("cell");
    let srv = serve(&dir, &[], &[]);
    let (svc, dpo) = tenant(&srv);
    let (kept, token) = subject(&srv, &svc, "13800002222");
    drop(srv);
    cut_between_the_files(&dir, |c, url| {
        c.post(format!("{url}/v1/subjects"))
            .bearer_auth(&svc)
            .json(&json!({"jurisdiction": "CN"}))
    });

    let srv = serve(&dir, &[], &[]);
    let (st, v) = srv.call("GET", "/v1/ledger/entries?from=0&to=10000", &dpo, None);
    assert_eq!(st, 200, "{v}");
    let entries = v["entries"].as_array().unwrap();
    let of = |kind: &str| -> Vec<String> {
        entries
            .iter()
            .filter(|e| e["entry"]["kind"] == kind)
            .map(|e| e["entry"]["subject"].as_str().unwrap().to_string())
            .collect()
    };
    let cut: Vec<String> = of("register").into_iter().filter(|s| *s != kept).collect();
    assert_eq!(
        cut.len(),
        1,
        "the cut registration's entry is in the ledger: {v}"
    );
    let cut = &cut[0];
    let recorded: Vec<&Value> = entries
        .iter()
        .filter(|e| e["entry"]["kind"] == "erase" && e["entry"]["subject"] == cut.as_str())
        .collect();
    assert_eq!(recorded.len(), 1, "{v}");
    assert_eq!(
        recorded[0]["entry"]["reason"], "registration_cut_by_crash",
        "{v}"
    );
    let (st, v) = srv.call("GET", &format!("/v1/subjects/{cut}/export"), &dpo, None);
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["subject"]["erased"], true, "{v}");
    let (st, v) = reads(&srv, &svc, &token);
    assert_eq!(st, 200, "{v}");
    assert!(v.to_string().contains("13800002222"));
    drop(srv);
    // Opened again: nothing more is recorded.
    let srv = serve(&dir, &[], &[]);
    let (_, v) = srv.call("GET", "/v1/ledger/entries?from=0&to=10000", &dpo, None);
    let again = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entry"]["kind"] == "erase")
        .count();
    assert_eq!(again, 1, "{v}");
}

/// A process killed while a new tenant's manifest load commits, between the two files (the
/// tenant's row in vault.db, its key not in keys.db): the load was never answered, and the
/// restart opens the cell — before, the tenant without its key stopped every open — without
/// the tenant; loading the manifest again makes it, and subjects register under it.
#[test]
fn a_tenant_cut_between_the_files_is_loaded_again_after_the_restart() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("cell");
    // The first start prints the administrator's key; the cut comes at the manifest's load.
    let srv = serve(&dir, &[], &[]);
    let admin = srv.admin.clone().unwrap();
    drop(srv);
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/ride_hailing.toml"),
    )
    .unwrap();
    cut_between_the_files(&dir, |c, url| {
        c.put(format!("{url}/v1/tenants/ride/manifest"))
            .bearer_auth(&admin)
            .body(manifest)
    });
    let mut srv = serve(&dir, &[], &[]);
    srv.admin = Some(admin.clone());
    let (st, v) = srv.call("GET", "/v1/tenants/ride/manifest", &admin, None);
    assert_eq!(st, 404, "the cut tenant is gone: {v}");
    let (svc, _) = tenant(&srv);
    let (_, token) = subject(&srv, &svc, "13800002222");
    let (st, v) = reads(&srv, &svc, &token);
    assert_eq!(st, 200, "{v}");
}

/// A process killed while a rectification commits, between the two files (the value re-sealed
/// under the subject's new key in vault.db, the new key not yet the key in keys.db): the new key
/// was staged in keys.db in a commit before, so after the restart the corrected value reads and
/// the person's copy is whole. Before, the values were sealed under a key no file held: every
/// read of the subject, and its copy, failed.
#[test]
fn a_rectification_cut_between_the_files_reads_after_the_restart() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("cell");
    let srv = serve(&dir, &[], &[]);
    let (svc, dpo) = tenant(&srv);
    let (s, token) = subject(&srv, &svc, "13800002222");
    drop(srv);
    cut_between_the_files(&dir, |c, url| {
        c.post(format!("{url}/v1/subjects/{s}/rectify"))
            .bearer_auth(&dpo)
            .json(&json!({"token": token, "value": "13900003333"}))
    });
    let srv = serve(&dir, &[], &[]);
    let (st, v) = reads(&srv, &svc, &token);
    assert_eq!(st, 200, "{v}");
    assert!(
        v.to_string().contains("13900003333"),
        "the corrected value: {v}"
    );
    let (st, v) = srv.call("GET", &format!("/v1/subjects/{s}/export"), &dpo, None);
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["values"].as_array().unwrap().len(), 1, "{v}");
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
    let (st, receipt) = srv.call("DELETE", &format!("/v1/subjects/{victim}"), &dpo, None);
    assert_eq!(st, 200);
    // The erasure's receipt verifies offline with the cell's verifier key; altered, it fails.
    let file = d.path().join("receipt.json");
    std::fs::write(&file, receipt.to_string()).unwrap();
    let verify = |f: &Path| {
        Command::new(env!("CARGO_BIN_EXE_custodian"))
            .args([
                "ledger",
                "verify",
                "--key",
                &srv.vkey,
                "--receipt",
                f.to_str().unwrap(),
            ])
            .output()
            .unwrap()
    };
    let o = verify(&file);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(&format!("\"subject\":\"{victim}\"")),
        "{}",
        stdout(&o)
    );
    let mut forged = receipt.clone();
    let other = {
        let (s, _) = subject(&srv, &svc, "13800003333");
        s
    };
    let entry = forged["inclusion"]["entry"].as_str().unwrap().to_string();
    let mut bytes =
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &entry).unwrap();
    let at = memchr::memmem::find(&bytes, victim.as_bytes()).expect("the entry names the subject");
    assert_eq!(other.len(), victim.len());
    bytes[at..at + other.len()].copy_from_slice(other.as_bytes());
    forged["inclusion"]["entry"] = json!(base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        &bytes
    ));
    std::fs::write(&file, forged.to_string()).unwrap();
    assert_eq!(
        verify(&file).status.code(),
        Some(1),
        "a receipt for another subject fails"
    );
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
    assert_eq!(
        v["subject_keys"], 2,
        "the kept subject and the one the forgery named"
    );
    let (st, v) = reads(&srv, &svc, &kept);
    assert_eq!(st, 200, "{v}");
    assert!(v.to_string().contains("13800002222"));
    let (_, v) = srv.call("GET", "/v1/keyring", &admin, None);
    assert_eq!(v["current_epoch"], 2);
    assert!(
        v["holder"].as_str().unwrap().contains("secrets/kek.key"),
        "{v}"
    );
    assert!(
        !srv.stderr().contains("inside the data directory"),
        "{}",
        srv.stderr()
    );
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
    assert_eq!(st["epochs"][1]["subject_keys"], 2);
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

/// A SoftHSM2 token (Debian's package, installed by `scripts/test`; missing, the test fails):
/// its SOFTHSM2_CONF and the `pkcs11:` URI naming it, with the PIN in a file.
fn softhsm_token(dir: &Path) -> (PathBuf, String) {
    let module = std::env::var("CUSTODIAN_TEST_PKCS11_MODULE")
        .unwrap_or_else(|_| "/usr/lib/softhsm/libsofthsm2.so".into());
    assert!(
        Path::new(&module).exists(),
        "SoftHSM2 is not installed ({module}): run the tests with scripts/test, which installs it"
    );
    let tokens = dir.join("tokens");
    std::fs::create_dir_all(&tokens).unwrap();
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .unwrap();
    let out = Command::new("softhsm2-util")
        .args([
            "--init-token",
            "--free",
            "--label",
            "custodian-cell",
            "--so-pin",
            "0000",
            "--pin",
            "271828",
        ])
        .env("SOFTHSM2_CONF", &conf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pin = dir.join("pin");
    std::fs::write(&pin, "271828\n").unwrap();
    (
        conf,
        format!(
            "pkcs11:token=custodian-cell?module-path={module}&pin-source=file:{}",
            pin.display()
        ),
    )
}

/// The cell with its epoch keys in a PKCS#11 token: serving, rotating (the old epoch's key
/// object destroyed in the token), reading back after a restart; no key file in the data
/// directory, the PIN in no output, and a KEK rotation refused (the token is the root).
#[test]
fn epoch_keys_in_a_pkcs11_token() {
    let d = tempfile::tempdir().unwrap();
    let (conf, uri) = softhsm_token(d.path());
    let conf = conf.to_str().unwrap().to_string();
    let dir = d.path().join("cell");
    let env = [("SOFTHSM2_CONF", conf.as_str())];
    let mut srv = serve(&dir, &["--kek-file", &uri], &env);
    let admin = srv.admin.clone().unwrap();
    let (svc, dpo) = tenant(&srv);
    let (victim, _) = subject(&srv, &svc, "13800001111");
    let (_, kept) = subject(&srv, &svc, "13800002222");
    let (_, v) = srv.call("GET", "/v1/keyring", &admin, None);
    assert!(
        v["holder"]
            .as_str()
            .unwrap()
            .starts_with("pkcs11 token custodian-cell"),
        "{v}"
    );
    let (st, _) = srv.call("DELETE", &format!("/v1/subjects/{victim}"), &dpo, None);
    assert_eq!(st, 200);
    let (st, v) = srv.call(
        "POST",
        "/v1/keyring/rotate",
        &admin,
        Some(json!({"what": "epoch"})),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["destroyed_epochs"], json!([1]));
    let (st, v) = srv.call(
        "POST",
        "/v1/keyring/rotate",
        &admin,
        Some(json!({"what": "kek"})),
    );
    assert_eq!(st, 409, "{v}");
    let (st, v) = reads(&srv, &svc, &kept);
    assert_eq!(st, 200, "{v}");
    assert!(v.to_string().contains("13800002222"));
    let _ = srv.child.kill();
    let _ = srv.child.wait();
    let err = srv.stderr();
    assert!(!err.contains("271828"), "the PIN is in the output: {err}");
    drop(srv);
    assert!(!dir.join("kek.key").exists() && !dir.join("kek.epochs").exists());

    let o = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args([
            "keys",
            "status",
            "--json",
            "--data-dir",
            dir.to_str().unwrap(),
            "--kek-file",
            &uri,
        ])
        .env("SOFTHSM2_CONF", &conf)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let st: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        (
            st["epochs"][0]["held"].clone(),
            st["epochs"][1]["held"].clone()
        ),
        (json!(false), json!(true)),
        "epoch 1's object is gone from the token: {st}"
    );
    let srv = serve(&dir, &["--kek-file", &uri], &env);
    let (st, v) = reads(&srv, &svc, &kept);
    assert_eq!(st, 200, "{v}");
}
