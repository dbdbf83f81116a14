//! The HTTP API against a real server on a loopback port: every route, every role, tenant
//! isolation, every error status, the OpenAPI document in step with the routes.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::sync::Arc;

use custodian_conformance::{self as conformance, JOB_BOARD, RIDE_HAILING};
use custodian_core::Store;
use custodian_core::access::{Access, AdminScope};

mod authority;
mod batch;
mod console;
mod errors;
mod inspect;
mod isolation;
mod ledger_acts;
mod ledger_scope;
mod reports;
mod rights;
mod routes;
mod tokens;
mod transfers;
use custodian_server::AppState;
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
        Server::on_with(store, dir, rate_limit).await
    }

    /// A server on a new SQLite store in a temporary directory.
    async fn on_sqlite() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).unwrap());
        Server::on(store, dir).await
    }

    /// A server on a new, empty database of the test cluster.
    async fn on_postgres() -> Server {
        let url = fresh_pg_db().await;
        let store: Arc<dyn Store> = Arc::new(
            tokio::task::spawn_blocking(move || custodian_store::PgStore::open(&url))
                .await
                .unwrap()
                .unwrap(),
        );
        Server::on(store, tempfile::tempdir().unwrap()).await
    }

    /// A server on `store`; `dir` is its scratch directory (backups go there).
    async fn on(store: Arc<dyn Store>, dir: tempfile::TempDir) -> Server {
        Server::on_with(store, dir, None).await
    }

    async fn on_with(
        store: Arc<dyn Store>,
        dir: tempfile::TempDir,
        rate_limit: Option<u32>,
    ) -> Server {
        // A key holder of its own: the isolation matrix rotates epochs, which would take the
        // keys of other servers sharing the process's test holder.
        let keys = Arc::new(custodian_core::keyring::MemoryKeys::new(
            conformance::TEST_KEK,
        ));
        let vault = Arc::new(conformance::vault_with(store, keys).unwrap());
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
        state.backup_dir = Some(dir.path().join("backups").into());
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

    /// Sends a request as it is built, and reads the answer as text.
    async fn raw(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: isolation::Body,
    ) -> (u16, String) {
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let mut rb = self.client.request(method, format!("{}{path}", self.base));
        if let Some(k) = key {
            rb = rb.bearer_auth(k);
        }
        rb = match body {
            isolation::Body::None => rb,
            isolation::Body::Json(v) => rb.json(&v),
            isolation::Body::Text(t) => rb.header("content-type", "text/plain").body(t),
        };
        let resp = rb.send().await.unwrap();
        (resp.status().as_u16(), resp.text().await.unwrap())
    }

    /// Sends a text body.
    async fn call_text(
        &self,
        method: Method,
        path: &str,
        key: &str,
        body: &str,
    ) -> (StatusCode, Value) {
        let resp = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(key)
            .header("content-type", "text/plain")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
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

/// A new empty database on the test cluster (`CUSTODIAN_TEST_DATABASE_URL`, set by
/// `scripts/test`; without it the test fails, never skips); its URL.
async fn fresh_pg_db() -> String {
    const URL_VAR: &str = "CUSTODIAN_TEST_DATABASE_URL";
    let url = std::env::var(URL_VAR)
        .map_err(|_| {
            format!(
                "{URL_VAR} is not set: run the tests with scripts/test, which starts PostgreSQL"
            )
        })
        .unwrap();
    let (c, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let name = format!("ctest_api_{}_{nanos}", std::process::id());
    c.batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    format!("{}/{name}", url.rsplit_once('/').unwrap().0)
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

/// Listings never show a key's secret; a revoked key stops working at once. (Roles and tenant
/// isolation on every route: `isolation.rs`.)
#[tokio::test]
async fn a_revoked_key_stops_working() {
    let (srv, _ride, _ride_dpo, _jobs, regulator) = setup().await;
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
