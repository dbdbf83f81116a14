//! Witnesses for the CLI's tests: `custodian witness serve` as a process, keys for a cell's
//! ledger and a witness, a configuration naming the witness, and the cell's checkpoints as
//! the witness cosigned them.

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{Server, cli, stdout};

pub fn copy_tree(from: &Path, to: &Path) {
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

pub struct Witness {
    pub child: Child,
    pub url: String,
}

impl Drop for Witness {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn witness(key: &Path, state: &Path, log_vkey: &str) -> Witness {
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
pub fn ledger_key(cell_dir: &Path) -> String {
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
pub fn witness_key(dir: &Path) -> (std::path::PathBuf, String) {
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

pub fn config(dir: &Path, witness_url: &str, witness_vkey: &str) -> std::path::PathBuf {
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

pub fn get(url: &str, key: &str) -> (u16, String) {
    let r = reqwest::blocking::Client::new()
        .get(url)
        .bearer_auth(key)
        .send()
        .unwrap();
    (r.status().as_u16(), r.text().unwrap())
}

/// The cell's latest witnessed checkpoint once its size is at least `size` (or what it has
/// after 30 s).
pub fn witnessed(srv: &Server, admin: &str, size: u64) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (s, body) = get(
            &format!("{}/v1/ledger/checkpoint?witnessed=true", srv.url),
            admin,
        );
        if s == 200 && note_size(&body) >= size {
            return Some(body);
        }
        if Instant::now() > deadline {
            return (s == 200).then_some(body);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

pub fn size_of(srv: &Server, admin: &str) -> u64 {
    let (_, cp) = get(&format!("{}/v1/ledger/checkpoint", srv.url), admin);
    note_size(&cp)
}

pub fn verify(dir: &Path, name: &str, note: &str, cell: &str, witness: &str) -> (bool, String) {
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

/// Starts `custodian serve` on `dir` with the configuration `conf`, expecting it to refuse:
/// its standard error (a start that serves instead is killed after 30 s and fails the test).
pub fn refused_start(dir: &Path, conf: &str) -> String {
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

/// The size of a checkpoint note (its second line).
pub fn note_size(note: &str) -> u64 {
    note.lines().nth(1).unwrap().parse().unwrap()
}

/// A cell directory under `root` with its ledger key made, a witness following it (state in
/// `root/witness-state`) and a configuration naming the witness.
pub struct WitnessedCell {
    pub cell_dir: std::path::PathBuf,
    pub cell_vkey: String,
    pub wkey: std::path::PathBuf,
    pub witness_vkey: String,
    pub state: std::path::PathBuf,
    pub witness: Witness,
    /// The configuration file, as a string for `--config`.
    pub conf: String,
}

pub fn witnessed_cell(root: &Path) -> WitnessedCell {
    let cell_dir = root.join("cell");
    std::fs::create_dir_all(&cell_dir).unwrap();
    let cell_vkey = ledger_key(&cell_dir);
    let (wkey, witness_vkey) = witness_key(root);
    let state = root.join("witness-state");
    let witness = witness(&wkey, &state, &cell_vkey);
    let conf = config(root, &witness.url, &witness_vkey)
        .to_str()
        .unwrap()
        .to_string();
    WitnessedCell {
        cell_dir,
        cell_vkey,
        wkey,
        witness_vkey,
        state,
        witness,
        conf,
    }
}
