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

#[tokio::test]
async fn every_act_leaves_its_entry_and_nothing_it_must_not() {
    let (srv, ride, ride_dpo, _jobs, _regulator) = setup().await;
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
    let mut seen = std::collections::BTreeSet::new();
    for act in acts {
        let before = size(&srv).await;
        let (status, answer) = srv
            .call(
                act.method.clone(),
                &act.path,
                Some(act.key),
                act.body.clone(),
            )
            .await;
        let after = size(&srv).await;
        let new = entries(&srv, before, after).await;
        let mine: Vec<&Value> = new.iter().filter(|e| e["kind"] == act.kind).collect();
        assert_eq!(
            mine.len(),
            1,
            "{}: one `{}` entry ({status} {answer}); appended: {new:?}",
            act.what,
            act.kind
        );
        let e = mine[0];
        if status.is_success() {
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
