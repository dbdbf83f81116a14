//! A cell restored from a backup behind its witness: refused until the witness's operator,
//! told of the restore, has the witness forget the history it followed — on trust, or pinned to
//! the checkpoint of the backup named, when another backup put back is refused. Real witness and
//! cell processes.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use std::path::Path;

use common::witnesses::*;
use common::{cli, reads, serve, stdout, subject, tenant};

/// A real restore with a witness: the backup is taken, a person is erased and the witness
/// cosigns it, the data file is lost and the backup restored beside the cell's keys. The
/// restored ledger is behind the witness's checkpoint: the cell does not serve until the
/// witness's operator, told of the restore, has the witness forget the log's history (kept as
/// evidence, where the erasure's cosigned checkpoint stays); then it serves, the erased person
/// stays erased, and the witness cosigns the restored ledger.
#[test]
fn a_restored_cell_serves_once_its_witness_has_forgotten_the_old_history() {
    let root = tempfile::tempdir().unwrap();
    let WitnessedCell {
        cell_dir,
        cell_vkey,
        wkey,
        witness_vkey,
        state,
        witness: w,
        conf,
    } = witnessed_cell(root.path());
    let a = serve(&cell_dir, &["--config", &conf], &[]);
    let admin = a.admin.clone().unwrap();
    let (svc, dpo) = tenant(&a);
    let (person, token) = subject(&a, &svc, "13812345678");
    drop(a);
    let backup = backup(&cell_dir, &conf, &root.path().join("backup"));
    let a = serve(&cell_dir, &["--config", &conf], &[]);
    let (status, _) = a.call("DELETE", &format!("/v1/subjects/{person}"), &dpo, None);
    assert_eq!(status, 200);
    let size = size_of(&a, &admin);
    witnessed(&a, &admin, size).expect("the erasure is cosigned");
    drop(a);
    // The data file is lost; the backup goes back beside the cell's keys.
    let o = restore(&cell_dir, &conf, &backup);
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
    assert!(note_size(&cp) >= restored);
}

/// `forget --expect` closes the trust on first use: the witness's operator, told which backup
/// was restored, pins the witness to that backup's checkpoint. A cell put back to another,
/// older backup is refused; the one named serves and is cosigned. A checkpoint not signed by
/// the log is refused and forgets nothing.
#[test]
fn a_witness_told_which_backup_was_restored_refuses_another() {
    let root = tempfile::tempdir().unwrap();
    let WitnessedCell {
        cell_dir,
        cell_vkey,
        wkey,
        witness_vkey,
        state,
        witness: w,
        conf,
    } = witnessed_cell(root.path());
    let backup = |name: &str| backup(&cell_dir, &conf, &root.path().join(name));
    let restore = |from: &Path| {
        restore(&cell_dir, &conf, from);
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
    assert!(note_size(&cp) >= restored);
}

/// `custodian backup` of the stopped cell in `cell_dir` into `out`.
fn backup(cell_dir: &Path, conf: &str, out: &Path) -> std::path::PathBuf {
    let o = cli(&[
        "backup",
        "--data-dir",
        cell_dir.to_str().unwrap(),
        "--config",
        conf,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out.to_path_buf()
}

/// The cell's data file lost, `custodian restore` from `from` beside its keys: the output.
fn restore(cell_dir: &Path, conf: &str, from: &Path) -> std::process::Output {
    for f in ["vault.db", "vault.db-wal", "vault.db-shm"] {
        let _ = std::fs::remove_file(cell_dir.join("store").join(f));
    }
    let o = cli(&[
        "restore",
        "--data-dir",
        cell_dir.to_str().unwrap(),
        "--config",
        conf,
        from.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}
