//! Token kinds over HTTP: a deterministic field's equal values.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::Server;

const MANIFEST: &str = r#"
organisation = "91110108MA01R0DE0N"
app_type = "online_car_hailing"
notice_version = "2026-10"

[[purposes]]
id = "dispatch"
description = "Match riders with drivers"
lawful_basis = "contract"

[[fields]]
name = "phone"
pi_type = "cn_mobile"
purposes = ["dispatch"]
retention_days = 730
necessary = "registered_user_mobile"
token = "deterministic"

[[services]]
name = "dispatch-svc"
purposes = ["dispatch"]
"#;

async fn subject(srv: &Server, key: &str) -> String {
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/subjects",
            Some(key),
            Some(json!({"jurisdiction": "CN"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["subject"].as_str().unwrap().to_string()
}

async fn collect(srv: &Server, key: &str, subject: &str, phone: &str) -> (StatusCode, Value) {
    srv.call(
        Method::POST,
        "/v1/collect",
        Some(key),
        Some(json!({"subject": subject, "purpose": "dispatch", "values": {"phone": phone}})),
    )
    .await
}

#[tokio::test]
async fn a_deterministic_value_collected_again_keeps_its_token_and_is_its_subjects() {
    let srv = Server::start().await;
    let (s, v) = srv.manifest("ride", MANIFEST).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let key = srv
        .key(json!({"role": "service", "tenant": "ride", "service": "dispatch-svc"}))
        .await;
    let (a, b) = (subject(&srv, &key).await, subject(&srv, &key).await);
    let token = |r: &(StatusCode, Value)| {
        assert_eq!(r.0, StatusCode::OK, "{}", r.1);
        r.1["tokens"][0]["token"].as_str().unwrap().to_string()
    };
    let ta = token(&collect(&srv, &key, &a, "13812345678").await);
    assert!(ta.starts_with("det_"), "{ta}");
    // Before, the same value again answered 503 "retry later" for ever.
    assert_eq!(token(&collect(&srv, &key, &a, "13812345678").await), ta);
    let tb = token(&collect(&srv, &key, &b, "13812345678").await);
    assert_ne!(
        tb, ta,
        "another subject's equal value has a token of its own"
    );
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/detokenize",
            Some(&key),
            Some(json!({"purpose": "dispatch", "tokens": [ta, tb], "reveal": "clear"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let values = v["values"].as_array().unwrap();
    assert_eq!(values.len(), 2, "{v}");
    assert!(values.iter().all(|x| x["value"] == "13812345678"), "{v}");
}

/// A collect whose token the store finds taken (a format-preserving token drawn twice) is run
/// again the blocking way by the server: the client gets its token, never an error.
#[tokio::test]
async fn a_collect_whose_token_collides_gets_a_new_one() {
    use std::sync::Arc;

    use custodian_conformance::Colliding;
    use custodian_core::Store;

    let dir = tempfile::tempdir().unwrap();
    let sqlite: Arc<dyn Store> = Arc::new(custodian_store::SqliteStore::open(dir.path()).unwrap());
    let store = Arc::new(Colliding::new(sqlite));
    let srv = Server::on(store.clone(), dir).await;
    let (s, v) = srv.manifest("ride", MANIFEST).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let key = srv
        .key(json!({"role": "service", "tenant": "ride", "service": "dispatch-svc"}))
        .await;
    let (a, b) = (subject(&srv, &key).await, subject(&srv, &key).await);
    let (s, first) = collect(&srv, &key, &a, "13812345678").await;
    assert_eq!(s, StatusCode::OK, "{first}");
    store.arm(1);
    let (s, second) = collect(&srv, &key, &b, "13987654321").await;
    assert_eq!(s, StatusCode::OK, "{second}");
    assert_eq!(store.fired(), 1, "the collect was made to collide");
    let (ta, tb) = (&first["tokens"][0]["token"], &second["tokens"][0]["token"]);
    assert_ne!(ta, tb, "the collided collect got a token of its own");
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/detokenize",
            Some(&key),
            Some(json!({"purpose": "dispatch", "tokens": [ta, tb], "reveal": "clear"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["values"][0]["value"], "13812345678", "{v}");
    assert_eq!(v["values"][1]["value"], "13987654321", "{v}");
}
