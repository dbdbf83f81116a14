//! Every act leaves its ledger entry: a table of acts, allowed and refused, each performed
//! through the API, then the entries it appended read back — exactly one of its kind, `allow`
//! when the answer was a success and `deny` with the answer's own code otherwise, naming the
//! tenant, subject, purpose and service it must — and never a value, a key's secret or a
//! string the caller made up where a declared identifier belongs.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Server, setup};

/// The ledger's size now (read by the administrator, whose reads leave no entry).
async fn size(srv: &Server) -> u64 {
    let (s, v) = srv
        .call(Method::GET, "/v1/ledger/checkpoint", Some(&srv.admin), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    v.as_str().unwrap().lines().nth(1).unwrap().parse().unwrap()
}

async fn entries(srv: &Server, from: u64, to: u64) -> Vec<Value> {
    let (s, v) = srv
        .call(
            Method::GET,
            &format!("/v1/ledger/entries?from={from}&to={to}"),
            Some(&srv.admin),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entry"].clone())
        .collect()
}

/// One act: what it is, who, and what its entry must name.
struct Act<'a> {
    what: &'a str,
    method: Method,
    path: String,
    key: &'a str,
    body: Option<Value>,
    kind: &'a str,
    /// Fields the entry must carry, with their values.
    names: Vec<(&'a str, &'a str)>,
}

impl<'a> Act<'a> {
    fn new(what: &'a str, method: Method, path: impl Into<String>, key: &'a str) -> Act<'a> {
        Act {
            what,
            method,
            path: path.into(),
            key,
            body: None,
            kind: "",
            names: Vec::new(),
        }
    }
    fn body(mut self, body: Value) -> Act<'a> {
        self.body = Some(body);
        self
    }
    /// The entry's kind and the fields it must carry (`decision` and `reason` among them when
    /// they are not read from the answer).
    fn leaves(mut self, kind: &'a str, names: &[(&'a str, &'a str)]) -> Act<'a> {
        self.kind = kind;
        self.names = names.to_vec();
        self
    }
}

#[tokio::test]
async fn every_act_leaves_its_entry_and_nothing_it_must_not() {
    let (srv, ride, ride_dpo, _jobs, regulator) = setup().await;
    let phone = "13812340987";
    // Strings a caller makes up where identifiers belong; none may reach the ledger.
    let made_up = ["phone_13812340987_field", "purpose_made_up_here"];
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/subjects",
            Some(&ride),
            Some(json!({"jurisdiction": "CN", "role": "passenger"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let sub = v["subject"].as_str().unwrap().to_string();
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/collect",
            Some(&ride),
            Some(json!({"subject": sub, "purpose": "dispatch", "values": {"phone": phone}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let token = v["tokens"][0]["token"].as_str().unwrap().to_string();
    let svc = [("tenant", "ride"), ("service", "dispatch-svc")];
    // A second subject, for the acts after the first one's erasure.
    let (_, v) = srv
        .call(
            Method::POST,
            "/v1/subjects",
            Some(&ride),
            Some(json!({"jurisdiction": "CN"})),
        )
        .await;
    let sub2 = v["subject"].as_str().unwrap().to_string();
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/collect",
            Some(&ride),
            Some(json!({"subject": sub2, "purpose": "dispatch", "values": {"phone": phone}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let token2 = v["tokens"][0]["token"].as_str().unwrap().to_string();
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/requests",
            Some(&ride_dpo),
            Some(json!({"subject": sub2, "kind": "copy"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let request = v["id"].as_str().unwrap().to_string();
    let (_, v) = srv
        .call(
            Method::POST,
            "/v1/keys",
            Some(&srv.admin),
            Some(json!({"role": "dpo", "tenant": "ride"})),
        )
        .await;
    let spare_key = v["id"].as_str().unwrap().to_string();
    let mut order = custodian_conformance::order_doc(
        "ord-acts-1",
        custodian_core::orders::OrderKind::Rectify {
            items: vec!["notice".into()],
            deadline: 4_102_444_800_000,
        },
    );
    order.targets = vec![custodian_core::ids::TenantId::parse("ride").unwrap()];
    let signed = custodian_conformance::sign_doc(&custodian_conformance::test_regulator(), &order);
    let mut stranger = order.clone();
    stranger.id = "ord-acts-2".into();
    let unsigned =
        custodian_conformance::sign_doc(&custodian_conformance::test_signer(), &stranger);
    let new_phone = "13912345670";
    let d = [("tenant", "ride"), ("subject", sub2.as_str())];
    let more = vec![
        Act::new("open a request", Method::POST, "/v1/requests", &ride_dpo)
            .body(json!({"subject": sub2, "kind": "erasure"}))
            .leaves("config_change", &[("tenant", "ride"), ("subject", &sub2), ("reason", "request_received")]),
        Act::new("close a request", Method::POST, format!("/v1/requests/{request}/close"), &ride_dpo)
            .body(json!({"outcome": "completed"}))
            .leaves("config_change", &[("tenant", "ride"), ("subject", &sub2), ("decision", "none"), ("reason", "request_completed")]),
        Act::new("place a legal hold", Method::PUT, format!("/v1/subjects/{sub2}/hold"), &ride_dpo)
            .body(json!({"reason": "case-7"}))
            .leaves("config_change", &d),
        Act::new("rectify while held", Method::POST, format!("/v1/subjects/{sub2}/rectify"), &ride_dpo)
            .body(json!({"token": token2, "value": new_phone}))
            .leaves("collect", &d),
        Act::new("release the hold", Method::DELETE, format!("/v1/subjects/{sub2}/hold"), &ride_dpo)
            .leaves("config_change", &d),
        Act::new("rectify", Method::POST, format!("/v1/subjects/{sub2}/rectify"), &ride_dpo)
            .body(json!({"token": token2, "value": new_phone}))
            .leaves("collect", &d),
        Act::new("assign a role to a subject that has one", Method::PUT, format!("/v1/subjects/{sub2}/role"), &ride_dpo)
            .body(json!({"role": "driver"}))
            .leaves("register", &d),
        Act::new("open a request as a service", Method::POST, "/v1/requests", &ride)
            .body(json!({"subject": sub2, "kind": "copy"}))
            .leaves("access", &[("tenant", "ride"), ("decision", "deny"), ("reason", "role_refused")]),
        Act::new("read another tenant's manifest", Method::GET, "/v1/tenants/jobs/manifest", &ride_dpo)
            .leaves("access", &[("tenant", "ride"), ("decision", "deny"), ("reason", "tenant_refused")]),
        Act::new("a regulator's read", Method::GET, "/v1/orders", &regulator)
            .leaves("access", &[]),
        Act::new("submit an order", Method::POST, "/v1/orders", &regulator)
            .body(Value::String(signed))
            .leaves("order", &[("tenant", "ride")]),
        Act::new("submit an order signed by an untrusted key", Method::POST, "/v1/orders", &regulator)
            .body(Value::String(unsigned))
            .leaves("order", &[]),
        Act::new("file a transfer basis", Method::PUT, "/v1/tenants/ride/transfer-bases/scc-1", &ride_dpo)
            .body(json!({"recipient": "mapco_us", "kind": "standard_contract", "reference": "SCC-1", "fields": ["trip_track"]}))
            .leaves("config_change", &[("tenant", "ride")]),
        Act::new("transfer ride-hailing PI abroad", Method::POST, "/v1/transfers", &ride)
            .body(json!({"recipient": "mapco_us", "subjects": [sub2], "fields": ["trip_track"]}))
            .leaves("transfer", &[("tenant", "ride"), ("subject", &sub2), ("decision", "deny")]),
        Act::new("check a payload leaving", Method::POST, "/v1/egress/check?recipient=mapco_us", &ride)
            // The payload carries the stored (rectified) value, which no transfer covers.
            .body(Value::String(format!("call {new_phone}")))
            .leaves("transfer", &[("tenant", "ride"), ("decision", "deny"), ("reason", "egress_check")]),
        Act::new("receive with a receipt that does not verify", Method::POST, "/v1/receive", &ride)
            .body(json!({"from": "SG", "subjects": [{"subject": "s1", "values": {"phone": [phone]},
                "receipt": {"index": 0, "checkpoint": "x", "nonce": "n", "inclusion": {"type": "inclusion",
                "index": 0, "tree_size": 1, "leaf_hash": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "proof": []}}}]}))
            .leaves("receive", &[("tenant", "ride"), ("decision", "deny"), ("reason", "receipt_invalid")]),
        Act::new("load a manifest", Method::PUT, "/v1/tenants/ride/manifest", &srv.admin)
            .body(Value::String(custodian_conformance::RIDE_HAILING.into()))
            .leaves("config_change", &[("tenant", "ride")]),
        Act::new("revoke an API key", Method::DELETE, format!("/v1/keys/{spare_key}"), &srv.admin)
            .leaves("config_change", &[("reason", "api_key_revoked")]),
        Act::new("rotate the epoch", Method::POST, "/v1/keyring/rotate", &srv.admin)
            .body(json!({"what": "epoch"}))
            .leaves("key_rotation", &[("decision", "none"), ("reason", "epoch_created")]),
        Act::new("take a backup", Method::POST, "/v1/backups", &srv.admin)
            .body(json!({"name": "nightly-1"}))
            .leaves("config_change", &[("decision", "none"), ("reason", "backup_taken")]),
        Act::new("a regulator inspects a capture", Method::POST, "/v1/inspect?tenant=ride", &regulator)
            .body(json!({"log": {"entries": [{"request": {"method": "GET",
                "url": format!("https://api.ride.example/v1/trips?phone={phone}")}}]}}))
            .leaves("access", &[("decision", "allow"), ("reason", "regulator"), ("purpose", "inspect")]),
        Act::new("sweep retention", Method::POST, "/v1/retention/sweep", &srv.admin)
            .body(json!({}))
            .leaves("erase", &[("decision", "none"), ("reason", "retention_swept")]),
    ];
    let acts = vec![
        Act {
            what: "register",
            method: Method::POST,
            path: "/v1/subjects".into(),
            key: &ride,
            body: Some(json!({"jurisdiction": "CN", "role": "passenger"})),
            kind: "register",
            names: svc.to_vec(),
        },
        Act {
            what: "grant consent",
            method: Method::POST,
            path: format!("/v1/subjects/{sub}/consents"),
            key: &ride,
            body: Some(json!({"purpose": "safety", "separate": true})),
            kind: "consent_grant",
            names: vec![("tenant", "ride"), ("subject", &sub), ("purpose", "safety")],
        },
        Act {
            what: "collect",
            method: Method::POST,
            path: "/v1/collect".into(),
            key: &ride,
            body: Some(json!({"subject": sub, "purpose": "dispatch", "values": {"phone": phone}})),
            kind: "collect",
            names: vec![
                ("tenant", "ride"),
                ("subject", &sub),
                ("purpose", "dispatch"),
            ],
        },
        Act {
            what: "register in a batch",
            method: Method::POST,
            path: "/v1/subjects:batch".into(),
            key: &ride,
            body: Some(json!({"items": [{"jurisdiction": "CN", "idempotency_key": "k1"}]})),
            kind: "register",
            names: svc.to_vec(),
        },
        Act {
            what: "grant consent in a batch",
            method: Method::POST,
            path: "/v1/consents:batch".into(),
            key: &ride,
            body: Some(json!({"items": [{"subject": sub, "purpose": "safety", "separate": true}]})),
            kind: "consent_grant",
            names: vec![("tenant", "ride"), ("subject", &sub), ("purpose", "safety")],
        },
        Act {
            what: "onboard a subject with a value",
            method: Method::POST,
            path: "/v1/subjects:onboard".into(),
            key: &ride,
            body: Some(
                json!({"items": [{"jurisdiction": "CN", "collects": [{"purpose": "dispatch", "values": {"phone": phone}}], "idempotency_key": "k3"}]}),
            ),
            kind: "collect",
            names: vec![
                ("tenant", "ride"),
                ("service", "dispatch-svc"),
                ("purpose", "dispatch"),
            ],
        },
        Act {
            what: "collect in a batch",
            method: Method::POST,
            path: "/v1/collect:batch".into(),
            key: &ride,
            body: Some(
                json!({"items": [{"subject": sub, "purpose": "dispatch", "values": {"phone": phone}, "idempotency_key": "k2"}]}),
            ),
            kind: "collect",
            names: vec![
                ("tenant", "ride"),
                ("subject", &sub),
                ("purpose", "dispatch"),
            ],
        },
        Act {
            what: "collect for a purpose the service is not granted",
            method: Method::POST,
            path: "/v1/collect".into(),
            key: &ride,
            body: Some(json!({"subject": sub, "purpose": "marketing", "values": {"phone": phone}})),
            kind: "collect",
            names: vec![("tenant", "ride"), ("subject", &sub)],
        },
        Act {
            what: "collect into an undeclared field for an undeclared purpose",
            method: Method::POST,
            path: "/v1/collect".into(),
            key: &ride,
            body: Some(
                json!({"subject": sub, "purpose": made_up[1], "values": {made_up[0]: phone}}),
            ),
            kind: "collect",
            names: vec![("tenant", "ride"), ("subject", &sub)],
        },
        Act {
            what: "detokenize",
            method: Method::POST,
            path: "/v1/detokenize".into(),
            key: &ride,
            body: Some(json!({"purpose": "dispatch", "tokens": [token], "reveal": "clear"})),
            kind: "detokenize",
            names: vec![("tenant", "ride"), ("purpose", "dispatch")],
        },
        Act {
            what: "detokenize for a purpose not granted",
            method: Method::POST,
            path: "/v1/detokenize".into(),
            key: &ride,
            body: Some(json!({"purpose": "marketing", "tokens": [token]})),
            kind: "detokenize",
            names: vec![("tenant", "ride")],
        },
        Act {
            what: "lookup",
            method: Method::POST,
            path: "/v1/lookup".into(),
            key: &ride,
            body: Some(json!({"purpose": "dispatch", "field": "phone", "value": phone})),
            kind: "lookup",
            names: vec![("tenant", "ride")],
        },
        Act {
            what: "withdraw consent",
            method: Method::DELETE,
            path: format!("/v1/subjects/{sub}/consents/safety"),
            key: &ride,
            body: None,
            kind: "consent_withdraw",
            names: vec![("tenant", "ride"), ("subject", &sub), ("purpose", "safety")],
        },
        Act {
            what: "export",
            method: Method::GET,
            path: format!("/v1/subjects/{sub}/export"),
            key: &ride_dpo,
            body: None,
            kind: "export",
            names: vec![("tenant", "ride"), ("subject", &sub)],
        },
        Act {
            what: "erase",
            method: Method::DELETE,
            path: format!("/v1/subjects/{sub}"),
            key: &ride_dpo,
            body: None,
            kind: "erase",
            names: vec![("tenant", "ride"), ("subject", &sub)],
        },
        Act {
            what: "collect for an erased subject",
            method: Method::POST,
            path: "/v1/collect".into(),
            key: &ride,
            body: Some(json!({"subject": sub, "purpose": "dispatch", "values": {"phone": phone}})),
            kind: "collect",
            names: vec![("tenant", "ride"), ("subject", &sub)],
        },
        Act {
            what: "detokenize an erased subject's token",
            method: Method::POST,
            path: "/v1/detokenize".into(),
            key: &ride,
            body: Some(json!({"purpose": "dispatch", "tokens": [token]})),
            kind: "detokenize",
            names: vec![("tenant", "ride")],
        },
        Act {
            what: "create an API key",
            method: Method::POST,
            path: "/v1/keys".into(),
            key: &srv.admin,
            body: Some(json!({"role": "dpo", "tenant": "ride"})),
            kind: "config_change",
            names: vec![],
        },
    ];
    let acts: Vec<Act> = acts.into_iter().chain(more).collect();
    // Every route that changes something is in the table; the scan and the manifest check
    // alone leave no entry (each reads only what it is sent, none of the cell's PI, and
    // changes nothing).
    let no_entry = [("post", "/v1/scan"), ("post", "/v1/manifests/check")];
    let matches = |template: &str, path: &str| {
        let path = path.split('?').next().unwrap_or(path);
        let (t, p): (Vec<&str>, Vec<&str>) =
            (template.split('/').collect(), path.split('/').collect());
        t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t.starts_with('{') || t == p)
    };
    for r in custodian_server::ROUTES.iter().filter(|r| {
        r.operation.is_some() && r.method != "get" && !no_entry.contains(&(r.method, r.path))
    }) {
        assert!(
            acts.iter()
                .any(|a| a.method.as_str().eq_ignore_ascii_case(r.method)
                    && matches(r.path, &a.path)),
            "{} {} has no act in the table",
            r.method,
            r.path
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    for act in acts {
        let before = size(&srv).await;
        let (status, answer) = match &act.body {
            Some(Value::String(text)) => {
                srv.call_text(act.method.clone(), &act.path, act.key, text)
                    .await
            }
            body => {
                srv.call(act.method.clone(), &act.path, Some(act.key), body.clone())
                    .await
            }
        };
        let after = size(&srv).await;
        let new = entries(&srv, before, after).await;
        // Of its kind (and its reason, where the row names one: a rotation leaves one entry
        // per epoch created and destroyed).
        let reason = act
            .names
            .iter()
            .find(|(k, _)| *k == "reason")
            .map(|(_, r)| *r);
        let mine: Vec<&Value> = new
            .iter()
            .filter(|e| e["kind"] == act.kind && reason.is_none_or(|r| e["reason"] == r))
            .collect();
        assert_eq!(
            mine.len(),
            1,
            "{}: one `{}` entry ({status} {answer}); appended: {new:?}",
            act.what,
            act.kind
        );
        let e = mine[0];
        let given = |f: &str| act.names.iter().any(|(k, _)| *k == f);
        if given("decision") || given("reason") {
            // Said in the row: an answer of 200 that refuses inside (transfers, arrivals).
        } else if status.is_success() {
            assert_eq!(e["decision"], "allow", "{}: {e}", act.what);
        } else {
            assert_eq!(e["decision"], "deny", "{}: {e}", act.what);
            assert_eq!(
                e["reason"], answer["code"],
                "{}: {e} for {answer}",
                act.what
            );
        }
        for (field, value) in &act.names {
            assert_eq!(e[*field], *value, "{}: `{field}` in {e}", act.what);
        }
        let text = e.to_string();
        assert!(!text.contains(phone), "{}: the value in {e}", act.what);
        assert!(
            !text.contains(new_phone),
            "{}: the new value in {e}",
            act.what
        );
        for m in made_up {
            assert!(!text.contains(m), "{}: `{m}` in {e}", act.what);
        }
        for k in [&ride, &ride_dpo, &srv.admin] {
            assert!(
                !text.contains(k.as_str()),
                "{}: a key's secret in {e}",
                act.what
            );
        }
        seen.insert((act.kind, e["decision"].as_str().unwrap().to_string()));
    }
    // Both outcomes were exercised for the acts that can be refused.
    for kind in ["collect", "detokenize"] {
        assert!(
            seen.contains(&(kind, "allow".to_string())),
            "{kind} allowed: {seen:?}"
        );
        assert!(
            seen.contains(&(kind, "deny".to_string())),
            "{kind} refused: {seen:?}"
        );
    }
}
