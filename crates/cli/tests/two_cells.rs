//! Two cells on loopback, each `custodian serve` with its own store: the job board's CN cell
//! transfers consenting job seekers' résumés and e-mails to its EU cell through the gate
//! (`custodian transfer`), the EU cell receives them with their receipts (`custodian
//! receive`), and afterwards the EU cell holds exactly what the CN ledger shows as transferred —
//! checked through both cells' APIs and by a byte scan of the EU data directory for every CN
//! plaintext. Driven through `custodian-client`.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{Server, cli, serve, stdout, traces};
use custodian_client::{Auth, Client};
use serde_json::{Value, json};

fn client(srv: &Server, key: &str) -> Client {
    Client::new(&srv.url, Auth::Bearer(key.to_string())).unwrap()
}

fn json_body(v: &Value) -> Option<(&'static str, Vec<u8>)> {
    Some(("application/json", v.to_string().into_bytes()))
}

/// Loads `manifest` as tenant `jobs`; a `matching-svc` service key and a DPO key.
fn jobs_tenant(srv: &Server, admin: &str, manifest: &str) -> (String, String) {
    let a = client(srv, admin);
    let text = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(manifest)).unwrap();
    a.call(
        "PUT",
        "/v1/tenants/jobs/manifest",
        Some(("text/plain", text)),
    )
    .unwrap();
    let key = |body: Value| {
        a.call("POST", "/v1/keys", json_body(&body)).unwrap()["key"]
            .as_str()
            .unwrap()
            .to_string()
    };
    (
        key(json!({"role": "service", "tenant": "jobs", "service": "matching-svc"})),
        key(json!({"role": "dpo", "tenant": "jobs"})),
    )
}

fn entries(srv: &Server, admin: &str) -> Vec<Value> {
    let v = client(srv, admin)
        .call("GET", "/v1/ledger/entries?from=0&to=10000", None)
        .unwrap();
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entry"].clone())
        .collect()
}

fn has(e: &Value, token: &str) -> bool {
    e["tokens"]
        .as_array()
        .is_some_and(|t| t.iter().any(|x| x == token))
}

#[test]
fn the_eu_cell_holds_exactly_what_the_cn_ledger_shows_transferred() {
    let dir = tempfile::tempdir().unwrap();
    let (cn_data, eu_data) = (dir.path().join("cn"), dir.path().join("eu"));
    // The CN cell first (its ledger key is made at its first start), then the EU cell that
    // trusts that key, then the CN cell again with the EU cell's address in its directory.
    let cn = serve(&cn_data, &[], &[]);
    let (cn_admin, cn_vkey) = (cn.admin.clone().unwrap(), cn.vkey.clone());
    drop(cn);
    let eu_cfg = dir.path().join("eu.toml");
    let eu_dir_cfg = |cn_url: &str| {
        format!(
            "jurisdiction = \"EU\"\norigin = \"custodian.test/eu/ledger\"\n[cells]\nCN = {{ url = \"{cn_url}\", key = \"{cn_vkey}\" }}\n"
        )
    };
    std::fs::write(&eu_cfg, eu_dir_cfg("http://127.0.0.1:9")).unwrap();
    let eu = serve(&eu_data, &["--config", eu_cfg.to_str().unwrap()], &[]);
    let eu_admin = eu.admin.clone().unwrap();
    let cn_cfg = dir.path().join("cn.toml");
    std::fs::write(&cn_cfg, format!("[cells]\nEU = \"{}\"\n", eu.url)).unwrap();
    let cn = serve(&cn_data, &["--config", cn_cfg.to_str().unwrap()], &[]);
    assert!(cn.admin.is_none(), "the CN cell's second start");

    let (cn_svc, cn_dpo) = jobs_tenant(&cn, &cn_admin, "../../examples/job_board.toml");
    let (eu_svc, eu_dpo) = jobs_tenant(&eu, &eu_admin, "../../examples/job_board_eu.toml");
    let svc = client(&cn, &cn_svc);
    let dpo = client(&cn, &cn_dpo);

    // Six job seekers; the first four consent to the move to the EU cell and give an e-mail.
    let mut plain: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut subjects = Vec::new();
    for i in 0..6 {
        let s = svc.register("CN", Some("job_seeker")).unwrap();
        let mut values = vec![
            ("phone".to_string(), format!("1390013{i:04}")),
            (
                "resume".to_string(),
                format!("第{i}位求职者：冷链仓储主管九年，熟悉德国汉堡港"),
            ),
        ];
        svc.collect(
            &s,
            "job_matching",
            &[("phone", &values[0].1), ("resume", &values[1].1)],
        )
        .unwrap();
        if i < 4 {
            svc.grant_consent(&s, "eu_placement", true).unwrap();
            let email = format!("seeker.{i}.hamburg@example.cn");
            svc.collect(&s, "eu_placement", &[("email", &email)])
                .unwrap();
            values.push(("email".to_string(), email));
        }
        plain.insert(s.clone(), values);
        subjects.push(s);
    }
    dpo.call(
        "PUT",
        "/v1/tenants/jobs/transfer-bases/scc-eu",
        json_body(&json!({
            "recipient": "jobs_eu_cell", "kind": "standard_contract", "reference": "SCC-2026-EU-7",
            "fields": ["resume", "email"], "pia": {"reference": "PIA-EU-7", "completed_at": 1_700_000_000_000_i64}
        })),
    )
    .unwrap();

    // The gate, through the CLI: four leave with receipts, two are refused.
    let delivery = dir.path().join("delivery.json");
    let mut args = vec![
        "transfer".to_string(),
        "--url".into(),
        cn.url.clone(),
        "--api-key".into(),
        cn_svc.clone(),
        "--recipient".into(),
        "jobs_eu_cell".into(),
        "--field".into(),
        "resume".into(),
        "--field".into(),
        "email".into(),
        "--out".into(),
        delivery.to_str().unwrap().into(),
    ];
    for s in &subjects {
        args.extend(["--subject".to_string(), s.clone()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = cli(&args);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "two refused: {out}");
    assert!(out.contains("allowed 4, refused 2"), "{out}");
    assert!(out.contains("transfer_consent_missing"), "{out}");
    assert!(
        out.contains(&format!("custodian receive --url {}", eu.url)),
        "the gate names where to deliver: {out}"
    );

    // Delivered to the EU cell; a second delivery is refused.
    let receive = |key: &str| {
        cli(&[
            "receive",
            "--url",
            &eu.url,
            "--api-key",
            key,
            delivery.to_str().unwrap(),
        ])
    };
    let o = receive(&eu_svc);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("received 4, refused 0"),
        "{}",
        stdout(&o)
    );
    let o = receive(&eu_svc);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("received 0, refused 4") && stdout(&o).contains("already_received"),
        "{}",
        stdout(&o)
    );
    // A value changed in the delivery file is refused whatever else holds.
    let mut d: Value = serde_json::from_str(&std::fs::read_to_string(&delivery).unwrap()).unwrap();
    d["subjects"][0]["values"]["email"][0] = json!("changed.on.the.way@example.cn");
    let changed = dir.path().join("changed.json");
    std::fs::write(&changed, d.to_string()).unwrap();
    let o = cli(&[
        "receive",
        "--url",
        &eu.url,
        "--api-key",
        &eu_svc,
        changed.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("receipt_invalid"), "{}", stdout(&o));

    // What the CN ledger shows as transferred to the EU cell: (subject, fields).
    let shown: BTreeMap<String, BTreeSet<String>> = entries(&cn, &cn_admin)
        .iter()
        .filter(|e| e["kind"] == "transfer" && e["decision"] == "allow" && has(e, "cell:EU"))
        .map(|e| {
            let fields = e["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap().to_string())
                .collect();
            (e["subject"].as_str().unwrap().to_string(), fields)
        })
        .collect();
    assert_eq!(
        shown.keys().cloned().collect::<BTreeSet<_>>(),
        subjects[..4].iter().cloned().collect::<BTreeSet<_>>(),
        "the CN ledger shows the four consenting subjects leaving for the EU cell"
    );

    // What the EU cell holds, read back through its API: every subject arrived by a receipt
    // of one of those entries, with exactly those fields' CN values.
    let eu_entries = entries(&eu, &eu_admin);
    assert!(
        !eu_entries.iter().any(|e| e["kind"] == "register"),
        "no subject came into the EU cell by another path"
    );
    let received: Vec<&Value> = eu_entries
        .iter()
        .filter(|e| e["kind"] == "receive" && e["decision"] == "allow")
        .collect();
    assert_eq!(received.len(), 4);
    let eu_dpo_client = client(&eu, &eu_dpo);
    for e in received {
        let from = e["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|t| t.as_str().unwrap().strip_prefix("from_subject:"))
            .unwrap()
            .to_string();
        let fields = &shown[&from];
        let copy = eu_dpo_client
            .call(
                "GET",
                &format!("/v1/subjects/{}/export", e["subject"].as_str().unwrap()),
                None,
            )
            .unwrap();
        let held: BTreeSet<(String, String)> = copy["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["field"].as_str().unwrap().to_string(),
                    v["value"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let expected: BTreeSet<(String, String)> = plain[&from]
            .iter()
            .filter(|(f, _)| fields.contains(f))
            .cloned()
            .collect();
        assert_eq!(
            held, expected,
            "subject {from}: the EU cell holds what left"
        );
    }

    // Byte scan: no CN plaintext anywhere in the EU data directory (received values sealed,
    // the rest never there), nor in the CN one.
    drop(eu);
    drop(cn);
    for (s, values) in &plain {
        for (f, v) in values {
            for d in [&eu_data, &cn_data] {
                let found = traces(d, v.as_bytes());
                assert!(
                    found.is_empty(),
                    "{s}'s {f} in clear in {}: {found:?}",
                    d.display()
                );
            }
            // Short values (the phones) are searched whole.
            if v.len() < 24 {
                for d in [&eu_data, &cn_data] {
                    assert!(
                        !common::contains_anywhere(d, v.as_bytes()),
                        "{s}'s {f} in clear under {}",
                        d.display()
                    );
                }
            }
        }
    }

    // A `received` row deleted in the EU store (so the same delivery would be received again):
    // the EU cell refuses to start.
    rusqlite::Connection::open(eu_data.join("store").join("vault.db"))
        .unwrap()
        .execute_batch("DELETE FROM received")
        .unwrap();
    let o = cli(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        eu_data.to_str().unwrap(),
        "--config",
        eu_cfg.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("as received from another cell"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
