//! Token kinds over HTTP: a deterministic field's equal values.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::Server;

/// A tenant whose phone field has deterministic tokens.
use custodian_conformance::DETERMINISTIC as MANIFEST;

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

/// The values of `tokens`, read in clear (the call must succeed).
async fn read_clear(srv: &Server, key: &str, tokens: Value) -> Vec<Value> {
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/detokenize",
            Some(key),
            Some(json!({"purpose": "dispatch", "tokens": tokens, "reveal": "clear"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["values"].as_array().unwrap().clone()
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
    let values = read_clear(&srv, &key, json!([ta, tb])).await;
    assert_eq!(values.len(), 2, "{values:?}");
    assert!(
        values.iter().all(|x| x["value"] == "13812345678"),
        "{values:?}"
    );
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
    let values = read_clear(&srv, &key, json!([ta, tb])).await;
    assert_eq!(values[0]["value"], "13812345678", "{values:?}");
    assert_eq!(values[1]["value"], "13987654321", "{values:?}");
}
