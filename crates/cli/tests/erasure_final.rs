//! When an erasure reaches the backups, as a person, a DPO and a regulator see it: `custodian
//! serve` with epoch rotation off (the operator's choice), the finality answer over HTTP, the
//! compliance report, and `custodian ledger verify --erasure-final` offline — with answers
//! altered the way someone who wanted an erasure to look final would alter them.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::witnesses::*;
use common::*;
use serde_json::{Value, json};

fn verify(vkey: &str, receipt: &Path, answer: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args([
            "ledger",
            "verify",
            "--key",
            vkey,
            "--receipt",
            receipt.to_str().unwrap(),
            "--erasure-final",
            answer.to_str().unwrap(),
        ])
        .output()
        .unwrap()
}

fn now_ms() -> i64 {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    i64::try_from(t.unwrap().as_millis()).unwrap()
}

fn write(dir: &Path, name: &str, v: &Value) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, v.to_string()).unwrap();
    p
}

/// With rotation off, an erasure stays pending: `serve` warns, the answer says not final and
/// `verify` fails on it, the report counts it. After a rotation the answer proves it final and
/// `verify` passes; the proof with its entries swapped, without its consistency proof, or of
/// another erasure fails. Bad requests are refused and change nothing.
#[test]
fn an_erasure_is_final_once_its_epoch_is_destroyed_and_anyone_checks_it_offline() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("cell");
    let srv = serve(&dir, &[], &[]);
    assert!(
        srv.stderr().contains("epoch rotation is off"),
        "{}",
        srv.stderr()
    );
    let admin = srv.admin.clone().unwrap();
    let (svc, dpo) = tenant(&srv);
    let (first, _) = subject(&srv, &svc, "13800001111");
    let (second, _) = subject(&srv, &svc, "13800002222");
    let erase = |s: &str| {
        let (st, r) = srv.call("DELETE", &format!("/v1/subjects/{s}"), &dpo, None);
        assert_eq!(st, 200, "{r}");
        r
    };
    let started = now_ms();
    let receipt = erase(&first);
    let other = erase(&second);
    let index = receipt["index"].as_u64().unwrap();
    let since = receipt["inclusion"]["tree_size"].as_u64().unwrap();
    let receipt_file = write(d.path(), "receipt.json", &receipt);

    // Pending: the answer says so and names the epoch; verify fails on it.
    let (st, v) = srv.call("GET", &format!("/v1/ledger/erasures/{index}"), &dpo, None);
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (v["final"].clone(), v["epoch"].clone()),
        (json!(false), json!(1)),
        "{v}"
    );
    assert!(v.get("checkpoint").is_none(), "{v}");
    let o = verify(
        &srv.vkey,
        &receipt_file,
        &write(d.path(), "pending.json", &v),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("not final yet"), "{}", stdout(&o));
    let (st, report) = srv.call("GET", "/v1/reports/ride", &dpo, None);
    assert_eq!(st, 200, "{report}");
    assert_eq!(report["subjects"]["erasures_pending"], 2, "{report}");
    let oldest = report["subjects"]["oldest_pending_erasure"]
        .as_i64()
        .unwrap();
    assert!((started..=now_ms()).contains(&oldest), "{report}");

    // Bad requests: a clear refusal each, nothing recorded.
    let size = |srv: &Server| {
        let (_, v) = srv.call("GET", "/v1/ledger/entries?from=0&to=10000", &admin, None);
        v["entries"].as_array().unwrap().len()
    };
    let before = size(&srv);
    for (path, key, want) in [
        ("/v1/ledger/erasures/0".to_string(), &dpo, 404), // the epoch's entry: no tenant's
        ("/v1/ledger/erasures/0".to_string(), &admin, 400), // not an erasure
        ("/v1/ledger/erasures/999999".to_string(), &admin, 404),
        ("/v1/ledger/erasures/abc".to_string(), &admin, 400),
        (
            format!("/v1/ledger/erasures/{index}?since={index}"),
            &admin,
            400,
        ),
        (
            format!("/v1/ledger/erasures/{index}?since=999999"),
            &admin,
            400,
        ),
        (format!("/v1/ledger/erasures/{index}?what=1"), &admin, 400),
        (format!("/v1/ledger/erasures/{index}"), &svc, 403),
    ] {
        let (st, v) = srv.call("GET", &path, key, None);
        assert_eq!(st, want, "{path}: {v}");
    }
    // The service's refusal is an `access` entry; nothing else was recorded.
    assert_eq!(size(&srv), before + 1);

    // A rotation destroys epoch 1: final, and the proof verifies offline with the receipt.
    let (st, v) = srv.call(
        "POST",
        "/v1/keyring/rotate",
        &admin,
        Some(json!({"what": "epoch"})),
    );
    assert_eq!(st, 200, "{v}");
    let (st, answer) = srv.call(
        "GET",
        &format!("/v1/ledger/erasures/{index}?since={since}"),
        &dpo,
        None,
    );
    assert_eq!(st, 200, "{answer}");
    assert_eq!(answer["final"], true, "{answer}");
    let o = verify(
        &srv.vkey,
        &receipt_file,
        &write(d.path(), "final.json", &answer),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(&format!("the erasure at entry {index} is final: epoch 1")),
        "{}",
        stdout(&o)
    );
    let (_, report) = srv.call("GET", "/v1/reports/ride", &dpo, None);
    assert_eq!(report["subjects"]["erasures_pending"], 0, "{report}");
    assert!(
        report["subjects"]["oldest_pending_erasure"].is_null(),
        "{report}"
    );

    // A receipt over a larger tree than the answer's (the answer does not extend it, even with
    // a consistency proof the other way): fails.
    subject(&srv, &svc, "13800003333");
    let (_, later) = get(&format!("{}/v1/ledger/checkpoint", srv.url), &admin);
    let (later_size, answer_size) = (
        note_size(&later),
        note_size(answer["checkpoint"].as_str().unwrap()),
    );
    let (_, inclusion) = srv.call(
        "GET",
        &format!("/v1/ledger/proofs/inclusion?index={index}&tree_size={later_size}"),
        &dpo,
        None,
    );
    let (_, consistency) = srv.call(
        "GET",
        &format!("/v1/ledger/proofs/consistency?size1={answer_size}&size2={later_size}"),
        &dpo,
        None,
    );
    let big = write(
        d.path(),
        "big-receipt.json",
        &json!({"index": index, "checkpoint": later, "inclusion": inclusion}),
    );
    let mut short = answer.clone();
    short.as_object_mut().unwrap().remove("consistency");
    let o = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(["ledger", "verify", "--key", &srv.vkey, "--receipt"])
        .arg(&big)
        .arg("--erasure-final")
        .arg(write(d.path(), "short.json", &short))
        .arg("--consistency")
        .arg(write(d.path(), "consistency.json", &consistency))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("does not extend it"), "{}", stdout(&o));

    // Altered answers fail: the two entries swapped (each proof still verifies), the
    // consistency with the receipt's tree left out, or the proof of another erasure.
    let mut swapped = answer.clone();
    swapped["created"] = answer["destroyed"].clone();
    swapped["destroyed"] = answer["created"].clone();
    let mut unanchored = answer.clone();
    unanchored.as_object_mut().unwrap().remove("consistency");
    let other_index = other["index"].as_u64().unwrap();
    let (_, of_other) = srv.call(
        "GET",
        &format!(
            "/v1/ledger/erasures/{other_index}?since={}",
            other["inclusion"]["tree_size"]
        ),
        &dpo,
        None,
    );
    assert_eq!(of_other["final"], true, "{of_other}");
    for (name, bad, says) in [
        ("swapped", &swapped, "not a proof of finality"),
        ("unanchored", &unanchored, "a consistency proof from size"),
        (
            "other",
            &of_other,
            &format!("no --receipt of entry {other_index}") as &str,
        ),
    ] {
        let o = verify(&srv.vkey, &receipt_file, &write(d.path(), name, bad));
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stdout(&o));
        assert!(stdout(&o).contains(says), "{name}: {}", stdout(&o));
    }
}

/// An erasure's finality proved in a checkpoint the witness cosigned: with the witness's key,
/// `verify --erasure-final` passes on the answer `?witnessed=true` gives (the receipt's own
/// checkpoint vouched for by the cosigned one that extends it) and fails the quorum on the
/// fresh answer, which no witness saw. Before the witness cosigned the rotation the witnessed
/// answer is pending.
#[test]
fn an_erasures_finality_is_proved_in_a_checkpoint_the_witness_cosigned() {
    let root = tempfile::tempdir().unwrap();
    let WitnessedCell {
        cell_dir,
        cell_vkey,
        witness_vkey,
        witness: _w,
        conf,
        ..
    } = witnessed_cell(root.path());
    let a = serve(&cell_dir, &["--config", &conf], &[]);
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
    let check = |receipt_file: &str, answer_file: &str| {
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
            receipt_file,
            "--erasure-final",
            answer_file,
        ])
    };
    let o = check(&receipt_file, &write("cosigned.json", &cosigned));
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("is final: epoch 1"), "{}", stdout(&o));
    let o = check(&receipt_file, &write("fresh.json", &fresh));
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("no witness quorum"), "{}", stdout(&o));
    // One file as both the receipt and the answer (the fresh answer, with the erasure's
    // inclusion proof in its tree): the answer's checkpoint still needs the quorum.
    let n = note_size(fresh["checkpoint"].as_str().unwrap());
    let (status, inclusion) = a.call(
        "GET",
        &format!("/v1/ledger/proofs/inclusion?index={index}&tree_size={n}"),
        &dpo,
        None,
    );
    assert_eq!(status, 200, "{inclusion}");
    let mut both = fresh.clone();
    both["inclusion"] = inclusion;
    let both = write("both.json", &both);
    let o = check(&both, &both);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("no witness quorum"), "{}", stdout(&o));
}
