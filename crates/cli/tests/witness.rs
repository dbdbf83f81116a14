//! Witnessed checkpoints with real processes: a `custodian witness serve` follows a cell;
//! the cell's checkpoints come back cosigned and `custodian ledger verify --witness
//! --min-witnesses` accepts them. Then the split view: the operator copies the cell (as a
//! restored backup would) and runs the copy beside the original, each growing its own history
//! to the same size — one tree for the regulator, another for the public. The witness
//! cosigns the first and refuses the second, keeps the second as evidence, the copy stops,
//! and its checkpoint fails verification for want of a witness; started again, it does not
//! serve. And a copy put back after the witness cosigned more (an older store, a backup) does
//! not serve at all.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Server, cli, reads, serve, stdout, subject, tenant};

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

struct Witness {
    child: Child,
    url: String,
}

impl Drop for Witness {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn witness(key: &Path, state: &Path, log_vkey: &str) -> Witness {
    let mut child = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(["witness", "serve", "--listen", "127.0.0.1:0", "--key"])
        .arg(key)
        .arg("--state")
        .arg(state)
        .args(["--log", log_vkey])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let line = std::io::BufReader::new(child.stdout.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    let url = format!(
        "http://{}",
        line.split("on http://")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
    );
    Witness { child, url }
}

/// The cell's ledger key, made in `cell_dir` before the cell's first start (so a witness can be
/// told to follow it): its verifier key.
fn ledger_key(cell_dir: &Path) -> String {
    let o = cli(&[
        "ledger",
        "keygen",
        "--name",
        "custodian.local/cn/ledger",
        "--out",
        cell_dir.join("ledger.key").to_str().unwrap(),
    ]);
    assert!(o.status.success());
    stdout(&o).trim().to_string()
}

/// A witness key made in `dir`: its file and its verifier key.
fn witness_key(dir: &Path) -> (std::path::PathBuf, String) {
    let key = dir.join("witness.key");
    let o = cli(&[
        "witness",
        "keygen",
        "--name",
        "witness.regulator.test/w1",
        "--out",
        key.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    (key, stdout(&o).trim().to_string())
}

fn config(dir: &Path, witness_url: &str, witness_vkey: &str) -> std::path::PathBuf {
    let p = dir.join("custodian.toml");
    std::fs::write(
        &p,
        format!(
            "witness_interval_secs = 1\n[[witnesses]]\nurl = \"{witness_url}\"\nkey = \"{witness_vkey}\"\n"
        ),
    )
    .unwrap();
    p
}

fn get(url: &str, key: &str) -> (u16, String) {
    let r = reqwest::blocking::Client::new()
        .get(url)
        .bearer_auth(key)
        .send()
        .unwrap();
    (r.status().as_u16(), r.text().unwrap())
}

/// The cell's latest witnessed checkpoint once its size is at least `size` (or what it has
/// after 30 s).
fn witnessed(srv: &Server, admin: &str, size: u64) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (s, body) = get(
            &format!("{}/v1/ledger/checkpoint?witnessed=true", srv.url),
            admin,
        );
        if s == 200 && body.lines().nth(1).unwrap().parse::<u64>().unwrap() >= size {
            return Some(body);
        }
        if Instant::now() > deadline {
            return (s == 200).then_some(body);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn size_of(srv: &Server, admin: &str) -> u64 {
    let (_, cp) = get(&format!("{}/v1/ledger/checkpoint", srv.url), admin);
    cp.lines().nth(1).unwrap().parse().unwrap()
}

fn verify(dir: &Path, name: &str, note: &str, cell: &str, witness: &str) -> (bool, String) {
    let p = dir.join(name);
    std::fs::write(&p, note).unwrap();
    let o = cli(&[
        "ledger",
        "verify",
        "--key",
        cell,
        "--witness",
        witness,
        "--min-witnesses",
        "1",
        "--checkpoint",
        p.to_str().unwrap(),
    ]);
    (o.status.success(), stdout(&o))
}

#[test]
fn a_witness_cosigns_the_cell_and_catches_a_split_view() {
    let root = tempfile::tempdir().unwrap();
    let (a_dir, b_dir) = (root.path().join("a"), root.path().join("b"));
    std::fs::create_dir_all(&a_dir).unwrap();
    let cell_vkey = ledger_key(&a_dir);
    let (wkey, witness_vkey) = witness_key(root.path());
    let state = root.path().join("witness-state");
    let w = witness(&wkey, &state, &cell_vkey);
    let conf = config(root.path(), &w.url, &witness_vkey);
    let conf = conf.to_str().unwrap();

    // The cell grows; its checkpoints come back cosigned and verify with the witness.
    let a = serve(&a_dir, &["--config", conf], &[]);
    let admin = a.admin.clone().unwrap();
    let (svc, _) = tenant(&a);
    subject(&a, &svc, "13812345678");
    let size = size_of(&a, &admin);
    let cosigned = witnessed(&a, &admin, size).expect("the witness cosigned the cell");
    let (ok, out) = verify(root.path(), "a0.txt", &cosigned, &cell_vkey, &witness_vkey);
    assert!(ok, "{out}");
    assert!(
        out.contains("cosigned by witness.regulator.test/w1"),
        "{out}"
    );
    // The plain checkpoint (no cosignature) fails the quorum.
    let (_, plain) = get(&format!("{}/v1/ledger/checkpoint", a.url), &admin);
    let (ok, out) = verify(root.path(), "plain.txt", &plain, &cell_vkey, &witness_vkey);
    assert!(!ok && out.contains("no witness quorum"), "{out}");

    // The fork: a copy of the cell (files and keys), then each copy its own history.
    drop(a);
    copy_tree(&a_dir, &b_dir);
    // Both start at the tree the witness cosigned (a copy that starts once the original has
    // grown past it and been cosigned is refused at start: below).
    let a = serve(&a_dir, &["--config", conf], &[]);
    let mut b = serve(&b_dir, &["--config", conf], &[]);
    subject(&a, &svc, "13900001111");
    let a_size = size_of(&a, &admin);
    let a_cp = witnessed(&a, &admin, a_size).expect("the original is cosigned");
    subject(&b, &svc, "13900002222");
    // At its next round the witness refuses the copy's tree (the same size, another root: it
    // keeps the copy's signed checkpoint as evidence) and holds the original's, signed by the
    // cell: the copy stops, with a failure.
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(st) = b.child.try_wait().unwrap() {
            break st;
        }
        assert!(Instant::now() < deadline, "the copy went on serving");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(1));
    let err = b.stderr();
    assert!(
        err.contains("refused the checkpoint")
            && err.contains("stopping:")
            && err.contains("does not extend"),
        "{err}"
    );
    let evidence: Vec<_> = std::fs::read_dir(state.join("evidence"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let kept = evidence
        .iter()
        .find(|e| e.lines().nth(2) != a_cp.lines().nth(2))
        .expect("the fork's signed checkpoint is kept as evidence");
    // Kept as the checkpoint's three lines and the cell's signature: as a note again.
    let lines: Vec<&str> = kept.lines().collect();
    let b_cp = format!("{}\n\n{}\n", lines[..3].join("\n"), lines[3..].join("\n"));
    assert_eq!(
        b_cp.lines().nth(1).unwrap().parse::<u64>().unwrap(),
        a_size,
        "two trees of the same size, different roots: a split view"
    );
    // Whoever was shown the copy's tree finds out.
    let (ok, out) = verify(root.path(), "b.txt", &b_cp, &cell_vkey, &witness_vkey);
    assert!(!ok && out.contains("no witness quorum"), "{out}");
    let (ok, out) = verify(root.path(), "a1.txt", &a_cp, &cell_vkey, &witness_vkey);
    assert!(ok, "{out}");
    // And the witness's monitoring endpoint shows the original's tree.
    let hash = custodian_server::witness::origin_hash("custodian.local/cn/ledger");
    let (s, latest) = get(&format!("{}/{hash}/checkpoint", w.url), "");
    assert_eq!(s, 200);
    assert_eq!(latest.lines().nth(2), a_cp.lines().nth(2));
    // The copy does not serve again: at start the witness's tree is one its ledger does not
    // extend.
    drop(b);
    let err = refused_start(&b_dir, conf);
    assert!(
        err.contains("does not extend") && err.contains("Refusing to serve"),
        "{err}"
    );
}

/// Starts `custodian serve` on `dir` with the configuration `conf`, expecting it to refuse:
/// its standard error (a start that serves instead is killed after 30 s and fails the test).
fn refused_start(dir: &Path, conf: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--config",
            conf,
            "--data-dir",
        ])
        .arg(dir)
        .env("CUSTODIAN_ROTATE_EPOCH_HOURS", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        let served = Instant::now() > deadline;
        if served {
            let _ = child.kill();
        }
        assert!(!served, "the cell served");
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// The operator puts back an older copy of the cell — both files, consistent with each other,
/// as a backup holds them — after its witness cosigned a larger tree: what was recorded after
/// the copy (here an erasure) would be undone without a trace in the cell. It does not serve;
/// with its current store back it does, and reads as before.
#[test]
fn a_cell_put_back_behind_its_witness_does_not_serve() {
    let root = tempfile::tempdir().unwrap();
    let cell_dir = root.path().join("cell");
    std::fs::create_dir_all(&cell_dir).unwrap();
    let cell_vkey = ledger_key(&cell_dir);
    let (wkey, witness_vkey) = witness_key(root.path());
    let w = witness(&wkey, &root.path().join("witness-state"), &cell_vkey);
    let conf = config(root.path(), &w.url, &witness_vkey);
    let conf = conf.to_str().unwrap();
    let a = serve(&cell_dir, &["--config", conf], &[]);
    let admin = a.admin.clone().unwrap();
    let (svc, dpo) = tenant(&a);
    let (person, token) = subject(&a, &svc, "13812345678");
    witnessed(&a, &admin, size_of(&a, &admin)).expect("cosigned");
    drop(a);
    let older = root.path().join("older");
    copy_tree(&cell_dir, &older);
    // After the copy: the person is erased, and the witness cosigns it.
    let a = serve(&cell_dir, &["--config", conf], &[]);
    let (status, _) = a.call("DELETE", &format!("/v1/subjects/{person}"), &dpo, None);
    assert_eq!(status, 200);
    let size = size_of(&a, &admin);
    witnessed(&a, &admin, size).expect("the erasure is cosigned");
    drop(a);
    let current = root.path().join("current");
    std::fs::rename(&cell_dir, &current).unwrap();
    copy_tree(&older, &cell_dir);
    let err = refused_start(&cell_dir, conf);
    let held: u64 = err
        .split(" entries, signed by the cell")
        .next()
        .and_then(|e| e.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(err.contains("older copy") && held >= size, "{err}");
    // Refused again (the refused start changed nothing the check reads), and with the ledger
    // key deleted too (a new key would not verify the witness's checkpoint): a cell with a
    // ledger never gets a new ledger key.
    assert!(refused_start(&cell_dir, conf).contains("older copy"));
    let key = std::fs::read(cell_dir.join("ledger.key")).unwrap();
    std::fs::remove_file(cell_dir.join("ledger.key")).unwrap();
    let err = refused_start(&cell_dir, conf);
    assert!(
        err.contains("ledger key") && err.contains("is missing"),
        "{err}"
    );
    assert!(!cell_dir.join("ledger.key").exists());
    std::fs::write(cell_dir.join("ledger.key"), key).unwrap();
    // The cell's current store serves, and the person stays erased.
    std::fs::remove_dir_all(&cell_dir).unwrap();
    std::fs::rename(&current, &cell_dir).unwrap();
    let a = serve(&cell_dir, &["--config", conf], &[]);
    assert_ne!(reads(&a, &svc, &token).0, 200);
}

/// A witness's answer the cell cannot verify — here anything a party on the way could send:
/// no checkpoint signed with the cell's key and cosigned with the witness's — does not stop a
/// start: the cell warns and serves (only a checkpoint the cell itself signed proves the store
/// older).
#[test]
fn an_answer_that_does_not_verify_does_not_stop_a_start() {
    let root = tempfile::tempdir().unwrap();
    let (_, witness_vkey) = witness_key(root.path());
    // Claims a tree of a million entries, signed by nobody the cell knows.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let mut buf = [0u8; 4096];
            let _ = std::io::Read::read(&mut conn, &mut buf);
            let body = "custodian.local/cn/ledger\n1000000\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u{2014} custodian.local/cn/ledger AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
            let _ = std::io::Write::write_all(
                &mut conn,
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
            );
        }
    });
    let conf = config(root.path(), &url, &witness_vkey);
    let a = serve(
        &root.path().join("cell"),
        &["--config", conf.to_str().unwrap()],
        &[],
    );
    let (svc, _) = tenant(&a);
    subject(&a, &svc, "13812345678");
    assert!(
        a.stderr().contains("could not be asked at start"),
        "{}",
        a.stderr()
    );
}

/// A real restore with a witness: the backup is taken, a person is erased and the witness
/// cosigns it, the data file is lost and the backup restored beside the cell's keys. The
/// restored ledger is behind the witness's checkpoint: the cell does not serve until the
/// witness's operator, told of the restore, has the witness forget the log's history (kept as
/// evidence, where the erasure's cosigned checkpoint stays); then it serves, the erased person
/// stays erased, and the witness cosigns the restored ledger.
#[test]
fn a_restored_cell_serves_once_its_witness_has_forgotten_the_old_history() {
    let root = tempfile::tempdir().unwrap();
    let cell_dir = root.path().join("cell");
    std::fs::create_dir_all(&cell_dir).unwrap();
    let cell_vkey = ledger_key(&cell_dir);
    let (wkey, witness_vkey) = witness_key(root.path());
    let state = root.path().join("witness-state");
    let w = witness(&wkey, &state, &cell_vkey);
    let conf = config(root.path(), &w.url, &witness_vkey);
    let conf = conf.to_str().unwrap().to_string();
    let data = cell_dir.to_str().unwrap().to_string();
    let a = serve(&cell_dir, &["--config", &conf], &[]);
    let admin = a.admin.clone().unwrap();
    let (svc, dpo) = tenant(&a);
    let (person, token) = subject(&a, &svc, "13812345678");
    drop(a);
    let backup = root.path().join("backup");
    let o = cli(&["backup", "--data-dir", &data, "--config", &conf, "--out"]
        .iter()
        .copied()
        .chain([backup.to_str().unwrap()])
        .collect::<Vec<_>>());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let a = serve(&cell_dir, &["--config", &conf], &[]);
    let (status, _) = a.call("DELETE", &format!("/v1/subjects/{person}"), &dpo, None);
    assert_eq!(status, 200);
    let size = size_of(&a, &admin);
    witnessed(&a, &admin, size).expect("the erasure is cosigned");
    drop(a);
    // The data file is lost; the backup goes back beside the cell's keys.
    for f in ["vault.db", "vault.db-wal", "vault.db-shm"] {
        let _ = std::fs::remove_file(cell_dir.join("store").join(f));
    }
    let o = cli(&[
        "restore",
        "--data-dir",
        &data,
        "--config",
        &conf,
        backup.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        stdout(&o).contains("stops `custodian serve`"),
        "{}",
        stdout(&o)
    );
    // Behind the witness's tree, or beside it (the restore's own entries may bring the
    // ledger to the same size): refused either way.
    let err = refused_start(&cell_dir, &conf);
    assert!(err.contains("Refusing to serve"), "{err}");
    // The witness's operator, told, has it forget the log's history: not while it serves.
    let forget = || {
        cli(&[
            "witness",
            "forget",
            "--state",
            state.to_str().unwrap(),
            "--origin",
            "custodian.local/cn/ledger",
        ])
    };
    let o = forget();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("in use by another process"));
    drop(w);
    let o = forget();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("kept as evidence"), "{}", stdout(&o));
    let superseded: Vec<String> = std::fs::read_dir(state.join("evidence"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.split("-superseded-")
                .nth(1)
                .and_then(|rest| rest.split('-').next())
                .and_then(|held| held.parse::<u64>().ok())
                .is_some_and(|held| held >= size)
        })
        .collect();
    assert_eq!(
        superseded.len(),
        1,
        "the erasure's cosigned checkpoint is kept"
    );
    // A mistyped state directory is refused, not taken for a witness that follows nothing.
    let o = cli(&[
        "witness",
        "forget",
        "--state",
        root.path().join("no-such-state").to_str().unwrap(),
        "--origin",
        "custodian.local/cn/ledger",
    ]);
    assert!(!o.status.success());
    assert!(!root.path().join("no-such-state").exists());
    let w = witness(&wkey, &state, &cell_vkey);
    let conf = config(root.path(), &w.url, &witness_vkey);
    let a = serve(&cell_dir, &["--config", conf.to_str().unwrap()], &[]);
    assert_ne!(reads(&a, &svc, &token).0, 200, "the person stays erased");
    let restored = size_of(&a, &admin);
    let cp = witnessed(&a, &admin, restored).expect("the restored ledger is cosigned");
    assert!(cp.lines().nth(1).unwrap().parse::<u64>().unwrap() >= restored);
}

/// An erasure's finality proved in a checkpoint the witness cosigned: with the witness's key,
/// `verify --erasure-final` passes on the answer `?witnessed=true` gives (the receipt's own
/// checkpoint vouched for by the cosigned one that extends it) and fails the quorum on the
/// fresh answer, which no witness saw. Before the witness cosigned the rotation the witnessed
/// answer is pending.
#[test]
fn an_erasures_finality_is_proved_in_a_checkpoint_the_witness_cosigned() {
    let root = tempfile::tempdir().unwrap();
    let cell_dir = root.path().join("cell");
    std::fs::create_dir_all(&cell_dir).unwrap();
    let cell_vkey = ledger_key(&cell_dir);
    let (wkey, witness_vkey) = witness_key(root.path());
    let w = witness(&wkey, &root.path().join("witness-state"), &cell_vkey);
    let conf = config(root.path(), &w.url, &witness_vkey);
    let a = serve(&cell_dir, &["--config", conf.to_str().unwrap()], &[]);
    let admin = a.admin.clone().unwrap();
    let (svc, dpo) = tenant(&a);
    let (person, _) = subject(&a, &svc, "13812345678");
    let (status, receipt) = a.call("DELETE", &format!("/v1/subjects/{person}"), &dpo, None);
    assert_eq!(status, 200);
    let index = receipt["index"].as_u64().unwrap();
    let since = receipt["inclusion"]["tree_size"].as_u64().unwrap();
    witnessed(&a, &admin, since).expect("the erasure is cosigned");
    let ask = |witnessed: bool| {
        a.call(
            "GET",
            &format!("/v1/ledger/erasures/{index}?since={since}&witnessed={witnessed}"),
            &dpo,
            None,
        )
    };
    let (status, v) = ask(true);
    assert_eq!(
        (status, v["final"].clone()),
        (200, serde_json::json!(false)),
        "{v}"
    );
    let (status, v) = a.call(
        "POST",
        "/v1/keyring/rotate",
        &admin,
        Some(serde_json::json!({"what": "epoch"})),
    );
    assert_eq!(status, 200, "{v}");
    witnessed(&a, &admin, size_of(&a, &admin)).expect("the rotation is cosigned");
    let (status, cosigned) = ask(true);
    assert_eq!(
        (status, cosigned["final"].clone()),
        (200, serde_json::json!(true)),
        "{cosigned}"
    );
    let (_, fresh) = ask(false);
    assert_eq!(fresh["final"], true, "{fresh}");
    let write = |name: &str, v: &serde_json::Value| {
        let p = root.path().join(name);
        std::fs::write(&p, v.to_string()).unwrap();
        p.to_str().unwrap().to_string()
    };
    let receipt_file = write("receipt.json", &receipt);
    let check = |answer: &serde_json::Value, name: &str| {
        let answer_file = write(name, answer);
        cli(&[
            "ledger",
            "verify",
            "--key",
            &cell_vkey,
            "--witness",
            &witness_vkey,
            "--min-witnesses",
            "1",
            "--receipt",
            &receipt_file,
            "--erasure-final",
            &answer_file,
        ])
    };
    let o = check(&cosigned, "cosigned.json");
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("is final: epoch 1"), "{}", stdout(&o));
    let o = check(&fresh, "fresh.json");
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("no witness quorum"), "{}", stdout(&o));
}

/// `forget --expect` closes the trust on first use: the witness's operator, told which backup
/// was restored, pins the witness to that backup's checkpoint. A cell put back to another,
/// older backup is refused; the one named serves and is cosigned. A checkpoint not signed by
/// the log is refused and forgets nothing.
#[test]
fn a_witness_told_which_backup_was_restored_refuses_another() {
    let root = tempfile::tempdir().unwrap();
    let cell_dir = root.path().join("cell");
    std::fs::create_dir_all(&cell_dir).unwrap();
    let cell_vkey = ledger_key(&cell_dir);
    let (wkey, witness_vkey) = witness_key(root.path());
    let state = root.path().join("witness-state");
    let w = witness(&wkey, &state, &cell_vkey);
    let conf = config(root.path(), &w.url, &witness_vkey);
    let conf = conf.to_str().unwrap().to_string();
    let data = cell_dir.to_str().unwrap().to_string();
    let backup = |name: &str| {
        let out = root.path().join(name);
        let o = cli(&[
            "backup",
            "--data-dir",
            &data,
            "--config",
            &conf,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out
    };
    let restore = |from: &Path| {
        for f in ["vault.db", "vault.db-wal", "vault.db-shm"] {
            let _ = std::fs::remove_file(cell_dir.join("store").join(f));
        }
        let o = cli(&[
            "restore",
            "--data-dir",
            &data,
            "--config",
            &conf,
            from.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let a = serve(&cell_dir, &["--config", &conf], &[]);
    let admin = a.admin.clone().unwrap();
    let (svc, dpo) = tenant(&a);
    let (first, _) = subject(&a, &svc, "13812345678");
    drop(a);
    let older = backup("older");
    let a = serve(&cell_dir, &["--config", &conf], &[]);
    subject(&a, &svc, "13812345679");
    drop(a);
    let named = backup("named");
    let a = serve(&cell_dir, &["--config", &conf], &[]);
    let (status, _) = a.call("DELETE", &format!("/v1/subjects/{first}"), &dpo, None);
    assert_eq!(status, 200);
    witnessed(&a, &admin, size_of(&a, &admin)).expect("the erasure is cosigned");
    drop(a);
    drop(w);
    let forget = |expect: &Path| {
        cli(&[
            "witness",
            "forget",
            "--state",
            state.to_str().unwrap(),
            "--origin",
            "custodian.local/cn/ledger",
            "--expect",
            expect.to_str().unwrap(),
            "--key",
            wkey.to_str().unwrap(),
            "--log",
            &cell_vkey,
        ])
    };
    // Not the log's signature: refused, nothing forgotten.
    let forged = root.path().join("forged-checkpoint");
    let text = std::fs::read_to_string(named.join("checkpoint")).unwrap();
    std::fs::write(&forged, text.replacen('\n', "\n\n", 1)).unwrap();
    let o = forget(&forged);
    assert!(!o.status.success(), "{}", stdout(&o));
    assert_eq!(
        std::fs::read_dir(state.join("evidence")).unwrap().count(),
        0
    );
    let o = forget(&named.join("checkpoint"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        stdout(&o).contains("cosigned the expected checkpoint"),
        "{}",
        stdout(&o)
    );
    // The operator puts back the older backup all the same: refused.
    restore(&older);
    let w = witness(&wkey, &state, &cell_vkey);
    let conf_now = config(root.path(), &w.url, &witness_vkey);
    let err = refused_start(&cell_dir, conf_now.to_str().unwrap());
    assert!(err.contains("Refusing to serve"), "{err}");
    // The backup named: it serves, and the witness cosigns its ledger.
    restore(&named);
    let a = serve(&cell_dir, &["--config", conf_now.to_str().unwrap()], &[]);
    let restored = size_of(&a, &admin);
    let cp = witnessed(&a, &admin, restored).expect("the restored ledger is cosigned");
    assert!(cp.lines().nth(1).unwrap().parse::<u64>().unwrap() >= restored);
}
