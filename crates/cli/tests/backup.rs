//! Backups through the CLI on real SQLite files: back up, erase, rotate, lose the data file,
//! restore beside the cell's own keys; altered backups and foreign checkpoints refused.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use common::*;
use serde_json::json;

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
    assert_eq!(st, 200);
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
    let (st, v) = reads(&srv, &svc, &victim_token);
    assert_eq!(
        (st, v["code"].as_str()),
        (404, Some("not_found")),
        "the erased subject's value is not back: {v}"
    );
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
    // The compliance report counts the erasure the restore re-recorded.
    let (st, v) = srv.call("GET", "/v1/reports/ride", &dpo, None);
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (
            v["subjects"]["registered"].as_u64(),
            v["subjects"]["erased"].as_u64(),
            v["subjects"]["live"].as_u64()
        ),
        (Some(3), Some(1), Some(2)),
        "{v}"
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

/// A SQLite cell backs up while it serves (through its admin API: one process holds the
/// store); only the administrator may, into a new directory of the configured backup
/// directory, under a plain name; the backup restores, and the same backup as a newer release
/// would have written it, or beside a key file a newer release migrated, is refused before
/// anything is copied into the cell.
#[test]
fn a_backup_taken_while_serving_restores() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("cell");
    let kek = d.path().join("kek.key");
    let kek_arg = kek.to_str().unwrap().to_string();
    let backups = d.path().join("backups");
    let srv = serve(
        &dir,
        &["--kek-file", &kek_arg],
        &[("CUSTODIAN_BACKUP_DIR", backups.to_str().unwrap())],
    );
    let admin = srv.admin.clone().unwrap();
    let (svc, dpo) = tenant(&srv);
    let (_, token) = subject(&srv, &svc, "13800002222");
    let out = backups.join("online-1");
    let out_s = out.to_str().unwrap().to_string();
    for key in [&svc, &dpo] {
        let (st, _) = srv.call(
            "POST",
            "/v1/backups",
            key,
            Some(json!({"name": "online-1"})),
        );
        assert_eq!(st, 403);
    }
    for bad in ["../escape", "/tmp/x", "a/b", ".."] {
        let (st, _) = srv.call("POST", "/v1/backups", &admin, Some(json!({"name": bad})));
        assert_eq!(st, 400, "{bad}");
    }
    assert!(!backups.exists(), "refusals wrote nothing");
    let (st, v) = srv.call(
        "POST",
        "/v1/backups",
        &admin,
        Some(json!({"name": "online-1"})),
    );
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["key_epochs"], json!([1]));
    let (st, _) = srv.call(
        "POST",
        "/v1/backups",
        &admin,
        Some(json!({"name": "online-1"})),
    );
    assert_eq!(st, 409, "not over an existing backup");
    // The cell kept serving.
    let (st, _) = reads(&srv, &svc, &token);
    assert_eq!(st, 200);
    drop(srv);
    let store = dir.join("store");
    for f in ["vault.db", "vault.db-wal", "vault.db-shm"] {
        let _ = std::fs::remove_file(store.join(f));
    }
    let restore = |from: &str| {
        cli(&[
            "restore",
            "--data-dir",
            dir.to_str().unwrap(),
            "--kek-file",
            &kek_arg,
            from,
        ])
    };
    // The same backup as a newer release would have written it: refused before anything is
    // copied into the cell.
    let newer = d.path().join("newer");
    std::fs::create_dir_all(&newer).unwrap();
    for e in std::fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, newer.join(p.file_name().unwrap())).unwrap();
    }
    let c = rusqlite::Connection::open(newer.join("vault.db")).unwrap();
    let known: u32 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    c.execute_batch(&format!("PRAGMA user_version = {}", known + 1))
        .unwrap();
    drop(c);
    // A restore refused with `want`, nothing of the backup copied into the cell.
    let refused = |from: &str, want: String| {
        let o = restore(from);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success());
        assert!(err.contains(&want), "{err}");
        assert!(
            !store.join("vault.db").exists(),
            "a refused restore copied the backup in"
        );
    };
    refused(
        newer.to_str().unwrap(),
        format!(
            "the backup's vault.db has schema version {}, newer than this build of Custodian knows ({known})",
            known + 1
        ),
    );
    // The cell's own key file as a newer release left it: refused before the backup is copied
    // in beside it.
    let keys = rusqlite::Connection::open(store.join("keys.db")).unwrap();
    let keys_known: u32 = keys
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let set_keys = |v: u32| {
        keys.execute_batch(&format!("PRAGMA user_version = {v}"))
            .unwrap()
    };
    set_keys(keys_known + 1);
    refused(
        &out_s,
        format!(
            "the cell's keys.db has schema version {}, newer than this build",
            keys_known + 1
        ),
    );
    set_keys(keys_known);
    drop(keys);
    let o = restore(&out_s);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let srv = serve(&dir, &["--kek-file", &kek_arg], &[]);
    let (st, v) = reads(&srv, &svc, &token);
    assert_eq!(st, 200, "{v}");
    assert!(v.to_string().contains("13800002222"));
}

/// `custodian request` records, answers and lists a person's requests through the cell's API.
#[test]
fn requests_through_the_cli() {
    let d = tempfile::tempdir().unwrap();
    let srv = serve(&d.path().join("cell"), &[], &[]);
    let (svc, dpo) = tenant(&srv);
    let (s, _) = subject(&srv, &svc, "13800002222");
    let req = |args: &[&str], key: &str| {
        let mut all = vec!["request"];
        all.extend_from_slice(&args[..1]);
        all.extend_from_slice(&["--url", &srv.url, "--api-key", key]);
        all.extend_from_slice(&args[1..]);
        cli(&all)
    };
    let o = req(&["open", "--subject", &s, "--kind", "erasure"], &dpo);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("erasure") && out.contains(" open"), "{out}");
    let id = out.split_whitespace().next().unwrap().to_string();
    let o = req(&["open", "--subject", &s, "--kind", "erasure"], &svc);
    assert_eq!(o.status.code(), Some(1), "a service key is refused");
    let o = req(&["list"], &dpo);
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 1);
    let o = req(&["list", "--overdue"], &srv.admin.clone().unwrap());
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 0);
    let o = req(&["close", &id], &dpo);
    assert!(String::from_utf8_lossy(&o.stdout).contains("completed"));
    let o = req(&["close", &id, "--refuse", "too_late"], &dpo);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("409"));
}

/// The cell's jurisdiction sets how many working days a request may stay open
/// (`request_deadline_days`); zero is refused at start.
#[test]
fn the_request_deadline_is_the_cells_setting() {
    let d = tempfile::tempdir().unwrap();
    let cfg = d.path().join("custodian.toml");
    std::fs::write(&cfg, "request_deadline_days = 5\n").unwrap();
    let srv = serve(
        &d.path().join("cell"),
        &["--config", cfg.to_str().unwrap()],
        &[],
    );
    let (svc, dpo) = tenant(&srv);
    let (s, _) = subject(&srv, &svc, "13800002222");
    let (st, r) = srv.call(
        "POST",
        "/v1/requests",
        &dpo,
        Some(json!({"subject": s, "kind": "copy"})),
    );
    assert_eq!(st, 201, "{r}");
    let days = (r["deadline"].as_i64().unwrap() - r["received_at"].as_i64().unwrap()) / 86_400_000;
    assert!(
        (5..=7).contains(&days),
        "5 working days: {days} calendar days"
    );
    std::fs::write(&cfg, "request_deadline_days = 0\n").unwrap();
    let o = cli(&[
        "serve",
        "--config",
        cfg.to_str().unwrap(),
        "--data-dir",
        d.path().join("other").to_str().unwrap(),
        "--listen",
        "127.0.0.1:0",
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("request_deadline_days"));
}
