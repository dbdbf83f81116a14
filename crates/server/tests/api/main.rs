//! The HTTP API against a real server on a loopback port: every route, every role, tenant
//! isolation, every error status, the OpenAPI document in step with the routes.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::sync::Arc;

use custodian_conformance::{self as conformance, JOB_BOARD, RIDE_HAILING};
use custodian_core::Store;
use custodian_core::access::{Access, AdminScope};

mod authority;
mod errors;
mod ledger_acts;
mod ledger_scope;
mod rights;
mod routes;
mod transfers;
use custodian_server::{AppState, ROUTES};
use custodian_store::SqliteStore;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

struct Server {
    base: String,
    client: Client,
    admin: String,
    _dir: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Server {
    async fn start() -> Server {
        Server::start_with(None).await
    }

    async fn start_with(rate_limit: Option<u32>) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).unwrap());
        let vault = Arc::new(conformance::vault(store).unwrap());
        let admin = vault
            .create_api_key(&AdminScope::new(), Access::Admin)
            .unwrap()
            .1
            .expose()
            .to_string();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let mut state = AppState::new(vault);
        state.body_limit = 64 * 1024;
        state.rate_limit = rate_limit;
        tokio::spawn(custodian_server::serve(listener, state, async {
            let _ = rx.await;
        }));
        Server {
            base,
            client: Client::new(),
            admin,
            _dir: dir,
            _stop: tx,
        }
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut rb = self.client.request(method, format!("{}{path}", self.base));
        if let Some(k) = key {
            rb = rb.bearer_auth(k);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let resp = rb.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn manifest(&self, tenant: &str, toml: &str) -> (StatusCode, Value) {
        let resp = self
            .client
            .put(format!("{}/v1/tenants/{tenant}/manifest", self.base))
            .bearer_auth(&self.admin)
            .body(toml.to_string())
            .send()
            .await
            .unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn key(&self, body: Value) -> String {
        let (s, v) = self
            .call(Method::POST, "/v1/keys", Some(&self.admin), Some(body))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v["key"].as_str().unwrap().to_string()
    }
}

async fn setup() -> (Server, String, String, String, String) {
    let srv = Server::start().await;
    assert_eq!(srv.manifest("ride", RIDE_HAILING).await.0, StatusCode::OK);
    assert_eq!(srv.manifest("jobs", JOB_BOARD).await.0, StatusCode::OK);
    let ride = srv
        .key(json!({"role": "service", "tenant": "ride", "service": "dispatch-svc"}))
        .await;
    let ride_dpo = srv.key(json!({"role": "dpo", "tenant": "ride"})).await;
    let jobs = srv
        .key(json!({"role": "service", "tenant": "jobs", "service": "matching-svc"}))
        .await;
    let regulator = srv.key(json!({"role": "regulator"})).await;
    (srv, ride, ride_dpo, jobs, regulator)
}

#[tokio::test]
async fn the_whole_flow_through_http() {
    let (srv, ride, dpo, _jobs, regulator) = setup().await;
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/subjects",
            Some(&ride),
            Some(json!({"jurisdiction": "CN"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let subject = v["subject"].as_str().unwrap().to_string();
    let (s, _) = srv
        .call(
            Method::POST,
            &format!("/v1/subjects/{subject}/consents"),
            Some(&ride),
            Some(json!({"purpose": "dispatch", "separate": true})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, v) = srv
        .call(
            Method::GET,
            &format!("/v1/subjects/{subject}/consents"),
            Some(&dpo),
            None,
        )
        .await;
    assert_eq!(
        (s, v["consents"].as_array().unwrap().len()),
        (StatusCode::OK, 1)
    );
    let (s, v) = srv
        .call(Method::POST, "/v1/collect", Some(&ride), Some(json!({"subject": subject, "purpose": "dispatch", "values": {"phone": "13812345678", "trip_track": "39.9,116.4,1790000000000"}})))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let tokens: Vec<String> = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["token"].as_str().unwrap().to_string())
        .collect();
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/detokenize",
            Some(&ride),
            Some(json!({"purpose": "dispatch", "tokens": tokens})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let phone = v["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["field"] == "phone")
        .unwrap();
    assert_eq!(phone["value"], "138****5678");
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/lookup",
            Some(&ride),
            Some(json!({"purpose": "dispatch", "field": "phone", "value": "+86 13812345678"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["tokens"].as_array().unwrap().len(), 1);
    let (s, v) = srv
        .call(
            Method::GET,
            &format!("/v1/subjects/{subject}/export"),
            Some(&dpo),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["values"].as_array().unwrap().len(), 2);
    // The regulator reads the ledger and its proofs.
    let resp = srv
        .client
        .get(format!("{}/v1/ledger/checkpoint", srv.base))
        .bearer_auth(&regulator)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let note = resp.text().await.unwrap();
    let size: u64 = note.lines().nth(1).unwrap().parse().unwrap();
    let (s, v) = srv
        .call(
            Method::GET,
            &format!(
                "/v1/ledger/proofs/inclusion?index={}&tree_size={size}",
                size - 1
            ),
            Some(&regulator),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["type"], "inclusion");
    let (s, v) = srv
        .call(
            Method::GET,
            &format!("/v1/ledger/proofs/consistency?size1=1&size2={size}"),
            Some(&regulator),
            None,
        )
        .await;
    assert_eq!(
        (s, v["type"].as_str()),
        (StatusCode::OK, Some("consistency"))
    );
    let (s, v) = srv
        .call(
            Method::GET,
            &format!("/v1/ledger/entries?from=0&to={size}"),
            Some(&regulator),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["entries"].as_array().unwrap().len() as u64, size);
    assert!(
        !v.to_string().contains("13812345678"),
        "no PI in the ledger"
    );
    // Erase (a receipt comes back), then nothing reads.
    let (s, receipt) = srv
        .call(
            Method::DELETE,
            &format!("/v1/subjects/{subject}"),
            Some(&dpo),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    // The receipt: the erase entry, its inclusion proof, and a checkpoint whose size covers it,
    // signed by the cell.
    let index = receipt["index"].as_u64().unwrap();
    assert_eq!(receipt["inclusion"]["index"], index);
    let cp = receipt["checkpoint"].as_str().unwrap();
    let size: u64 = cp.lines().nth(1).unwrap().parse().unwrap();
    assert!(
        size > index && receipt["inclusion"]["tree_size"] == size,
        "{receipt}"
    );
    let opened =
        custodian_ledger::note::open(cp, &[conformance::test_signer().verifier()]).unwrap();
    assert_eq!(opened.verified_by.len(), 1);
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/detokenize",
            Some(&ride),
            Some(json!({"purpose": "dispatch", "tokens": [tokens[0]]})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, _) = srv
        .call(
            Method::DELETE,
            &format!("/v1/subjects/{subject}"),
            Some(&dpo),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // Scan is stateless and returns masked values only.
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/scan",
            Some(&ride),
            Some(json!({"text": "乘客黄淑珍，联系电话17108377835"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["findings"][1]["masked"], "171****7835");
    assert!(!v.to_string().contains("17108377835"));
    // Health and metrics need no key.
    assert_eq!(
        srv.call(Method::GET, "/healthz", None, None).await.0,
        StatusCode::OK
    );
    let (s, m) = srv.call(Method::GET, "/metrics", None, None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        m.as_str()
            .unwrap()
            .contains("custodian_requests_total{route=\"/v1/collect\",status=\"200\"} 1"),
        "{m}"
    );
}

#[tokio::test]
async fn roles_and_tenant_isolation_on_every_route() {
    let (srv, ride, ride_dpo, jobs, regulator) = setup().await;
    let (_, v) = srv
        .call(
            Method::POST,
            "/v1/subjects",
            Some(&ride),
            Some(json!({"jurisdiction": "CN"})),
        )
        .await;
    let subject = v["subject"].as_str().unwrap().to_string();
    let (_, v) = srv.call(Method::POST, "/v1/collect", Some(&ride), Some(json!({"subject": subject, "purpose": "dispatch", "values": {"phone": "13812345678"}}))).await;
    let token = v["tokens"][0]["token"].as_str().unwrap().to_string();
    // Another tenant's service key reaches nothing of ride's.
    let other = [
        (
            Method::POST,
            "/v1/collect".to_string(),
            Some(
                json!({"subject": subject, "purpose": "job_matching", "values": {"phone": "13812345678"}}),
            ),
        ),
        (
            Method::POST,
            "/v1/detokenize".to_string(),
            Some(json!({"purpose": "job_matching", "tokens": [token]})),
        ),
        (
            Method::POST,
            format!("/v1/subjects/{subject}/consents"),
            Some(json!({"purpose": "job_matching"})),
        ),
        (
            Method::GET,
            format!("/v1/subjects/{subject}/consents"),
            None,
        ),
        (
            Method::DELETE,
            format!("/v1/subjects/{subject}/consents/job_matching"),
            None,
        ),
    ];
    for (m, path, body) in other {
        let (s, v) = srv.call(m.clone(), &path, Some(&jobs), body).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{m} {path}: {v}");
    }
    let (s, _) = srv
        .call(Method::GET, "/v1/tenants/ride/manifest", Some(&jobs), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Each route refuses the roles it is not for.
    let cases: Vec<(Method, String, &str, Option<Value>, StatusCode)> = vec![
        (
            Method::GET,
            "/v1/tenants".into(),
            ride.as_str(),
            None,
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            "/v1/tenants".into(),
            regulator.as_str(),
            None,
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            "/v1/keys".into(),
            ride_dpo.as_str(),
            Some(json!({"role": "admin"})),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            "/v1/keys".into(),
            regulator.as_str(),
            None,
            StatusCode::FORBIDDEN,
        ),
        (
            Method::DELETE,
            "/v1/keys/key_x".into(),
            ride.as_str(),
            None,
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            "/v1/subjects".into(),
            srv.admin.as_str(),
            Some(json!({"jurisdiction": "CN"})),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            "/v1/subjects".into(),
            ride_dpo.as_str(),
            Some(json!({"jurisdiction": "CN"})),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            "/v1/collect".into(),
            regulator.as_str(),
            Some(json!({"subject": subject, "purpose": "dispatch", "values": {}})),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            "/v1/collect".into(),
            srv.admin.as_str(),
            Some(json!({"subject": subject, "purpose": "dispatch", "values": {}})),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            "/v1/detokenize".into(),
            ride_dpo.as_str(),
            Some(json!({"purpose": "dispatch", "tokens": [token]})),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            "/v1/detokenize".into(),
            regulator.as_str(),
            Some(json!({"purpose": "dispatch", "tokens": [token]})),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            "/v1/lookup".into(),
            srv.admin.as_str(),
            Some(json!({"purpose": "dispatch", "field": "phone", "value": "1"})),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            format!("/v1/subjects/{subject}/export"),
            ride.as_str(),
            None,
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            format!("/v1/subjects/{subject}/export"),
            regulator.as_str(),
            None,
            StatusCode::FORBIDDEN,
        ),
        (
            Method::DELETE,
            format!("/v1/subjects/{subject}"),
            ride.as_str(),
            None,
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            "/v1/ledger/checkpoint".into(),
            ride.as_str(),
            None,
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            "/v1/ledger/entries?from=0&to=1".into(),
            ride.as_str(),
            None,
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            "/v1/ledger/proofs/inclusion?index=0&tree_size=1".into(),
            ride.as_str(),
            None,
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            "/v1/ledger/proofs/consistency?size1=1&size2=1".into(),
            ride.as_str(),
            None,
            StatusCode::FORBIDDEN,
        ),
        (
            Method::PUT,
            "/v1/tenants/ride/manifest".into(),
            ride_dpo.as_str(),
            None,
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            "/v1/scan".into(),
            "cst_not_a_key",
            Some(json!({"text": "x"})),
            StatusCode::UNAUTHORIZED,
        ),
    ];
    for (m, path, key, body, want) in cases {
        let (s, v) = srv.call(m.clone(), &path, Some(key), body).await;
        assert_eq!(s, want, "{m} {path}: {v}");
        assert!(
            v["code"].is_string() && v["message"].is_string(),
            "one error shape: {v}"
        );
    }
    // No key at all.
    for r in ROUTES.iter().filter(|r| r.path.starts_with("/v1/")) {
        let (m, path) = (r.method, r.path);
        let method = Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
        let path = path
            .replace("{tenant}", "ride")
            .replace("{subject}", &subject)
            .replace("{purpose}", "dispatch")
            .replace("{id}", "key_x");
        let (s, _) = srv.call(method, &path, None, None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{m} {path} without a key");
    }
    // A revoked key stops working.
    let (_, v) = srv
        .call(Method::GET, "/v1/keys", Some(&srv.admin), None)
        .await;
    let reg_id = v
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["role"] == "regulator")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        v.as_array().unwrap().iter().all(|k| k.get("key").is_none()),
        "listings never show secrets"
    );
    let (s, _) = srv
        .call(
            Method::DELETE,
            &format!("/v1/keys/{reg_id}"),
            Some(&srv.admin),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = srv
        .call(Method::GET, "/v1/ledger/checkpoint", Some(&regulator), None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}
