//! A DPO reads its own tenant's ledger entries and proofs only; the regulator reads them all.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::setup;

#[tokio::test]
async fn a_dpo_reads_its_tenants_entries_only() {
    let (srv, ride, ride_dpo, jobs, regulator) = setup().await;
    for key in [&ride, &jobs] {
        let (s, v) = srv
            .call(
                Method::POST,
                "/v1/subjects",
                Some(key),
                Some(json!({"jurisdiction": "CN"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (_, all) = srv
        .call(
            Method::GET,
            "/v1/ledger/entries?from=0&to=1000",
            Some(&regulator),
            None,
        )
        .await;
    let all = all["entries"].as_array().unwrap().clone();
    let jobs_entry = all
        .iter()
        .find(|e| e["entry"]["tenant"] == "jobs")
        .expect("the regulator sees the job board's entries")["index"]
        .as_u64()
        .unwrap();
    let (_, mine) = srv
        .call(
            Method::GET,
            "/v1/ledger/entries?from=0&to=1000",
            Some(&ride_dpo),
            None,
        )
        .await;
    let mine = mine["entries"].as_array().unwrap();
    assert!(!mine.is_empty());
    assert!(
        mine.iter().all(|e| e["entry"]["tenant"] == "ride"),
        "only ride's entries: {mine:?}"
    );
    let size = all.len();
    let (s, _) = srv
        .call(
            Method::GET,
            &format!("/v1/ledger/proofs/inclusion?index={jobs_entry}&tree_size={size}"),
            Some(&ride_dpo),
            None,
        )
        .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "another tenant's entry is not found"
    );
    let (s, v) = srv
        .call(
            Method::GET,
            &format!("/v1/ledger/proofs/inclusion?index={jobs_entry}&tree_size={size}"),
            Some(&regulator),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let own = mine[0]["index"].as_u64().unwrap();
    let (s, _) = srv
        .call(
            Method::GET,
            &format!("/v1/ledger/proofs/inclusion?index={own}&tree_size={size}"),
            Some(&ride_dpo),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
}
