//! The transfer gate over HTTP: a DPO files a basis with its PIA, a service transfers, the
//! payload carries only allowed subjects' values, refusals name their reasons, the counts show
//! against the thresholds, and another tenant's bases are out of reach.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::setup;

#[tokio::test]
async fn a_transfer_goes_through_the_gate() {
    let (srv, _ride, ride_dpo, jobs, regulator) = setup().await;
    let jobs_dpo = srv.key(json!({"role": "dpo", "tenant": "jobs"})).await;
    let mut subjects = Vec::new();
    for (cv, consent) in [("十年物流调度经验", true), ("五年销售经验", false)] {
        let (s, v) = srv
            .call(
                Method::POST,
                "/v1/subjects",
                Some(&jobs),
                Some(json!({"jurisdiction": "CN", "role": "job_seeker"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let subject = v["subject"].as_str().unwrap().to_string();
        let (s, v) = srv
            .call(Method::POST, "/v1/collect", Some(&jobs), Some(json!({"subject": subject, "purpose": "job_matching", "values": {"resume": cv}})))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        if consent {
            let (s, _) = srv
                .call(
                    Method::POST,
                    &format!("/v1/subjects/{subject}/consents"),
                    Some(&jobs_dpo),
                    Some(json!({"purpose": "overseas_placement", "separate": true})),
                )
                .await;
            assert!(s.is_success());
        }
        subjects.push(subject);
    }
    let body = json!({"recipient": "talentbridge_sg", "subjects": subjects, "fields": ["resume"]});
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/transfers",
            Some(&jobs),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["refused"][0]["code"], "transfer_basis_missing", "{v}");
    assert!(v["allowed"].as_array().unwrap().is_empty());
    // The ride DPO cannot file the job board's basis; the job board's DPO can.
    let basis = json!({"recipient": "talentbridge_sg", "kind": "standard_contract", "reference": "SCC-2026-0042",
        "fields": ["resume"], "pia": {"reference": "PIA-7", "completed_at": 1_700_000_000_000_i64}});
    let (s, _) = srv
        .call(
            Method::PUT,
            "/v1/tenants/jobs/transfer-bases/scc-1",
            Some(&ride_dpo),
            Some(basis.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = srv
        .call(
            Method::PUT,
            "/v1/tenants/jobs/transfer-bases/scc-1",
            Some(&jobs_dpo),
            Some(basis),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = srv.call(Method::PUT, "/v1/tenants/jobs/transfer-bases/bad", Some(&jobs_dpo),
        Some(json!({"recipient": "talentbridge_sg", "kind": "handshake", "reference": "x", "fields": ["resume"]}))).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid"))
    );
    // Allowed for the consenting subject only; the payload carries the value.
    let (s, v) = srv
        .call(Method::POST, "/v1/transfers", Some(&jobs), Some(body))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["allowed"][0]["subject"], subjects[0].as_str());
    assert_eq!(
        v["allowed"][0]["values"]["resume"],
        json!(["十年物流调度经验"])
    );
    assert_eq!(v["refused"][0]["subject"], subjects[1].as_str());
    assert_eq!(v["refused"][0]["code"], "transfer_consent_missing");
    assert_eq!(v["counts"]["general"], 1);
    // Counts: the DPO's own; the regulator names the tenant.
    let (s, v) = srv
        .call(Method::GET, "/v1/transfers/counts", Some(&jobs_dpo), None)
        .await;
    assert_eq!((s, v["general"].as_u64()), (StatusCode::OK, Some(1)), "{v}");
    let (s, v) = srv
        .call(
            Method::GET,
            "/v1/transfers/counts?tenant=jobs",
            Some(&regulator),
            None,
        )
        .await;
    assert_eq!(
        (s, v["organisation"].as_str()),
        (StatusCode::OK, Some("91110105MA01J0B00B")),
        "{v}"
    );
    let (s, _) = srv
        .call(
            Method::GET,
            "/v1/transfers/counts?tenant=jobs",
            Some(&ride_dpo),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = srv
        .call(
            Method::GET,
            "/v1/tenants/jobs/transfer-bases",
            Some(&regulator),
            None,
        )
        .await;
    assert_eq!(
        (s, v[0]["reference"].as_str()),
        (StatusCode::OK, Some("SCC-2026-0042")),
        "{v}"
    );
    // The ledger: one transfer entry per subject, the allowed one naming recipient and basis.
    let (_, v) = srv
        .call(
            Method::GET,
            "/v1/ledger/entries?from=0&to=10000",
            Some(&regulator),
            None,
        )
        .await;
    let transfers: Vec<_> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entry"]["kind"] == "transfer")
        .collect();
    assert!(
        transfers.iter().any(|e| e["entry"]["decision"] == "allow"
            && e["entry"]["destination"] == "talentbridge_sg"
            && e["entry"]["reason"] == "standard_contract"),
        "{transfers:?}"
    );
    assert!(
        !v.to_string().contains("十年物流调度经验"),
        "no value in the ledger"
    );
}
