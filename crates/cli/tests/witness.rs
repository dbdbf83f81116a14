//! Witnessed checkpoints with real processes: a `custodian witness serve` follows a cell;
//! the cell's checkpoints come back cosigned and `custodian ledger verify --witness
//! --min-witnesses` accepts them. Then the split view: the operator copies the cell (as a
//! restored backup would) and runs the copy beside the original, each growing its own history
//! to the same size — one tree for the regulator, another for the public. The witness
//! cosigns the first and refuses the second, keeps the second as evidence, the copy stops,
//! and its checkpoint fails verification for want of a witness; started again, it does not
//! serve. And a copy put back after the witness cosigned more (an older store, a backup) does
//! not serve at all (a restore the witness is told of: `witness_restore.rs`).
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use std::time::{Duration, Instant};

use common::witnesses::*;
use common::{reads, serve, subject, tenant};

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
        note_size(&b_cp),
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

/// The operator puts back an older copy of the cell — both files, consistent with each other,
/// as a backup holds them — after its witness cosigned a larger tree: what was recorded after
/// the copy (here an erasure) would be undone without a trace in the cell. It does not serve;
/// with its current store back it does, and reads as before.
#[test]
fn a_cell_put_back_behind_its_witness_does_not_serve() {
    let root = tempfile::tempdir().unwrap();
    let WitnessedCell {
        cell_dir,
        witness: _w,
        conf,
        ..
    } = witnessed_cell(root.path());
    let conf = conf.as_str();
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
