//! "Every transfer between checkpoints A and B", verifiable offline: a real cell transfers a
//! résumé abroad; the regulator fetches the stretch of the ledger between two checkpoints and
//! `custodian ledger verify --stretch` finds it complete with its one transfer; a stretch with
//! the transfer dropped, or with it replaced by its hash alone, or with an entry changed, fails.
//! Then `custodian transfer` (the payload to a 0600 file, never the terminal) and `custodian
//! egress check` (a stored phone under another name blocks; a clean payload passes).
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use common::{cli, serve, stdout};
use serde_json::{Value, json};

#[test]
fn a_stretch_of_the_ledger_proves_every_transfer_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let srv = serve(dir.path(), &[], &[]);
    let admin = srv.admin.clone().unwrap();
    let manifest = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/job_board.toml"),
    )
    .unwrap();
    let r = reqwest::blocking::Client::new()
        .put(format!("{}/v1/tenants/jobs/manifest", srv.url))
        .bearer_auth(&admin)
        .body(manifest)
        .send()
        .unwrap();
    assert!(r.status().is_success());
    let key = |body: Value| {
        srv.call("POST", "/v1/keys", &admin, Some(body)).1["key"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let svc = key(json!({"role": "service", "tenant": "jobs", "service": "matching-svc"}));
    let dpo = key(json!({"role": "dpo", "tenant": "jobs"}));
    let cp = |label: &str| {
        let t = reqwest::blocking::Client::new()
            .get(format!("{}/v1/ledger/checkpoint", srv.url))
            .bearer_auth(&admin)
            .send()
            .unwrap()
            .text()
            .unwrap();
        let size: u64 = t.lines().nth(1).unwrap().parse().unwrap();
        std::fs::write(dir.path().join(format!("held-{label}.note")), &t).unwrap();
        size
    };
    let from = cp("from");
    let (_, v) = srv.call(
        "POST",
        "/v1/subjects",
        &svc,
        Some(json!({"jurisdiction": "CN", "role": "job_seeker"})),
    );
    let s = v["subject"].as_str().unwrap().to_string();
    srv.call("POST", "/v1/collect", &svc, Some(json!({"subject": s, "purpose": "job_matching", "values": {"resume": "十年物流调度经验"}})));
    srv.call(
        "POST",
        &format!("/v1/subjects/{s}/consents"),
        &dpo,
        Some(json!({"purpose": "overseas_placement", "separate": true})),
    );
    let (st, _) = srv.call("PUT", "/v1/tenants/jobs/transfer-bases/scc-1", &dpo, Some(json!({"recipient": "talentbridge_sg", "kind": "standard_contract",
        "reference": "SCC-1", "fields": ["resume"], "pia": {"reference": "PIA-1", "completed_at": 1}})));
    assert_eq!(st, 200);
    let (st, v) = srv.call(
        "POST",
        "/v1/transfers",
        &svc,
        Some(json!({"recipient": "talentbridge_sg", "subjects": [s], "fields": ["resume"]})),
    );
    assert_eq!(
        (st, v["allowed"].as_array().unwrap().len()),
        (200, 1),
        "{v}"
    );
    let to = cp("to");
    let (st, stretch) = srv.call(
        "GET",
        &format!("/v1/ledger/stretch?from={from}&to={to}"),
        &admin,
        None,
    );
    assert_eq!(st, 200, "{stretch}");
    let verify = |name: &str, doc: &Value| {
        let p = dir.path().join(name);
        std::fs::write(&p, doc.to_string()).unwrap();
        let o = cli(&[
            "ledger",
            "verify",
            "--key",
            &srv.vkey,
            "--stretch",
            p.to_str().unwrap(),
            "--tenant",
            "jobs",
        ]);
        (o.status.code(), stdout(&o))
    };
    let (code, out) = verify("stretch.json", &stretch);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("1 transfer(s) of tenant jobs") && out.contains("talentbridge_sg"),
        "{out}"
    );
    // Anchored to checkpoints the regulator held (fetched before and after): each must be an
    // end of the stretch with the same root.
    let anchored = |held: &[&str], extra: &[&str]| {
        let mut args = vec![
            "ledger".to_string(),
            "verify".into(),
            "--key".into(),
            srv.vkey.clone(),
            "--stretch".into(),
            dir.path().join("stretch.json").to_str().unwrap().into(),
        ];
        for h in held {
            args.extend([
                "--checkpoint".to_string(),
                dir.path().join(h).to_str().unwrap().into(),
            ]);
        }
        args.extend(extra.iter().map(|x| x.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = cli(&args);
        (o.status.code(), stdout(&o))
    };
    let (code, out) = anchored(&["held-from.note", "held-to.note"], &[]);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(out.matches("is the held checkpoint").count(), 2, "{out}");
    // With a witness: the held checkpoints carry its cosignatures; an end of the stretch no
    // held checkpoint vouches for needs them itself (the cell's fresh one has none).
    let witness = custodian_ledger::Cosigner::from_seed("witness.test/w1", &[3; 32]).unwrap();
    let wkey = witness.verifier().to_vkey();
    for label in ["from", "to"] {
        let note = std::fs::read_to_string(dir.path().join(format!("held-{label}.note"))).unwrap();
        let text = &note[..=note.find("\n\n").unwrap()];
        let cosigned = format!("{note}{}", witness.cosign(text, 1_700_000_000).unwrap());
        std::fs::write(dir.path().join(format!("held-{label}-w.note")), cosigned).unwrap();
    }
    let quorum = ["--witness", wkey.as_str(), "--min-witnesses", "1"];
    let (code, out) = anchored(&["held-from-w.note", "held-to-w.note"], &quorum);
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = anchored(&["held-from-w.note"], &quorum);
    assert_eq!(code, Some(1), "an unwitnessed end: {out}");
    assert!(out.contains("no held checkpoint is this end"), "{out}");
    // A held checkpoint of the same size with another root (the cell showed the regulator a
    // different ledger then): the log forked.
    let signer = custodian_ledger::Signer::parse(
        std::fs::read_to_string(dir.path().join("ledger.key"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    let held_to = std::fs::read_to_string(dir.path().join("held-to.note")).unwrap();
    let body = &held_to[..=held_to.find("\n\n").unwrap()];
    let mut lines: Vec<String> = body.lines().map(String::from).collect();
    lines[2] = custodian_ledger::Hash([7; 32]).to_base64();
    let forked = signer.sign(&(lines.join("\n") + "\n")).unwrap();
    std::fs::write(dir.path().join("forked.note"), forked).unwrap();
    let (code, out) = anchored(&["held-from.note", "forked.note"], &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("the log forked"), "{out}");
    // Tampered answers: the transfer dropped; shown as its hash only; an entry changed.
    let leaves = stretch["range"]["leaves"].as_array().unwrap().clone();
    let (ti, _) = leaves
        .iter()
        .enumerate()
        .find(|(_, l)| {
            use base64::Engine as _;
            let b = base64::engine::general_purpose::STANDARD
                .decode(l["entry"].as_str().unwrap())
                .unwrap();
            custodian_ledger::Entry::decode(&b).unwrap().kind
                == custodian_ledger::EntryKind::Transfer
        })
        .unwrap();
    let mut dropped = stretch.clone();
    dropped["range"]["leaves"]
        .as_array_mut()
        .unwrap()
        .remove(ti);
    let (code, out) = verify("dropped.json", &dropped);
    assert_eq!(code, Some(1), "a dropped transfer: {out}");
    let mut swapped = stretch.clone();
    swapped["range"]["leaves"]
        .as_array_mut()
        .unwrap()
        .swap(0, ti);
    let (code, out) = verify("swapped.json", &swapped);
    assert_eq!(code, Some(1), "reordered: {out}");
    let mut hidden = stretch.clone();
    {
        use base64::Engine as _;
        let b = base64::engine::general_purpose::STANDARD
            .decode(leaves[ti]["entry"].as_str().unwrap())
            .unwrap();
        hidden["range"]["leaves"][ti] =
            json!({"hash": custodian_ledger::leaf_hash(&b).to_base64()});
    }
    let (code, out) = verify("hidden.json", &hidden);
    // The hashes still add up, but a hidden entry could be a transfer: refused.
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("1 of its") && out.contains("hidden"), "{out}");
    let mut changed = stretch.clone();
    {
        use base64::Engine as _;
        let b = base64::engine::general_purpose::STANDARD
            .decode(leaves[ti]["entry"].as_str().unwrap())
            .unwrap();
        let mut e = custodian_ledger::Entry::decode(&b).unwrap();
        e.destination = custodian_ledger::Id::new("elsewhere_cn").ok();
        changed["range"]["leaves"][ti] =
            json!({"entry": base64::engine::general_purpose::STANDARD.encode(e.encode().unwrap())});
    }
    let (code, out) = verify("changed.json", &changed);
    assert_eq!(code, Some(1), "a changed entry: {out}");
    // The same gate and the egress check from the command line.
    srv.call(
        "POST",
        "/v1/collect",
        &svc,
        Some(json!({"subject": s, "purpose": "job_matching", "values": {"phone": "13912345678"}})),
    );
    let out = dir.path().join("payload.json");
    let o = cli(&[
        "transfer",
        "--url",
        &srv.url,
        "--api-key",
        &svc,
        "--recipient",
        "talentbridge_sg",
        "--field",
        "resume",
        "--subject",
        &s,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("allowed 1, refused 0 (basis scc-1)"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains("十年"), "no value on the terminal");
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("十年物流调度经验")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let o = cli(&[
        "transfer",
        "--url",
        &srv.url,
        "--api-key",
        &svc,
        "--recipient",
        "talentbridge_sg",
        "--field",
        "resume",
        "--subject",
        &s,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "the payload file is never overwritten"
    );
    let payload = dir.path().join("outbound.json");
    std::fs::write(&payload, r#"{"applicant": {"tel": "+86 139-1234-5678"}}"#).unwrap();
    let o = cli(&[
        "egress",
        "check",
        "--url",
        &srv.url,
        "--api-key",
        &svc,
        "--recipient",
        "talentbridge_sg",
        payload.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("BLOCKED  a stored phone value") && stdout(&o).contains("blocked"),
        "{}",
        stdout(&o)
    );
    std::fs::write(&payload, r#"{"applicant": {"note": "no contact details"}}"#).unwrap();
    let o = cli(&[
        "egress",
        "check",
        "--url",
        &srv.url,
        "--api-key",
        &svc,
        payload.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}
