//! Every route that reads a body, through the real router (`tower::ServiceExt::oneshot`, no
//! socket) over a real SQLite cell, with a key whose role the route admits so the body is
//! read: whatever the bytes, the answer is never a 5xx and an error is in the API's JSON shape
//! (`code` and `message`). The first input byte picks the route, the second the content type
//! (and the egress check's payload format); the rest is the body.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, header};
use custodian_core::Store;
use custodian_core::access::{Access, AdminScope, DpoScope, Role, ServiceScope, permits};
use custodian_core::ids::{ServiceName, TenantId};
use custodian_server::{AppState, ROUTES, Route};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

struct World {
    rt: tokio::runtime::Runtime,
    app: axum::Router,
    keys: Vec<(Role, String)>,
    subject: String,
    _dir: tempfile::TempDir,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a scratch directory");
        let store: Arc<dyn Store> =
            Arc::new(custodian_store::SqliteStore::open(dir.path()).expect("a store"));
        let vault = Arc::new(custodian_conformance::vault(store).expect("a vault"));
        let admin = AdminScope::new();
        vault
            .load_manifest(&admin, &tenant(), custodian_conformance::RIDE_HAILING)
            .expect("the ride-hailing manifest loads");
        let service = ServiceScope::new(tenant(), ServiceName::parse("dispatch-svc").expect("id"));
        let mut keys = Vec::new();
        for access in [
            Access::Admin,
            Access::Service(service.clone()),
            Access::Dpo(DpoScope::new(tenant())),
            Access::Regulator,
        ] {
            let role = access.role();
            let (_, secret) = vault.create_api_key(&admin, access).expect("a key");
            keys.push((role, secret.expose().to_string()));
        }
        let subject = vault
            .register(
                &service,
                &custodian_core::ids::Jurisdiction::parse("CN").expect("CN"),
                None,
                false,
            )
            .expect("a subject")
            .to_string();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let app = custodian_server::app(AppState::new(vault));
        World {
            rt,
            app,
            keys,
            subject,
            _dir: dir,
        }
    })
}

fn tenant() -> TenantId {
    TenantId::parse("ride").expect("id")
}

fuzz_target!(|data: &[u8]| {
    let [pick, kind, body @ ..] = data else {
        return;
    };
    let w = world();
    let routes: Vec<&Route> = ROUTES
        .iter()
        .filter(|r| r.operation.is_some() && matches!(r.method, "post" | "put"))
        .collect();
    let route = routes[usize::from(*pick) % routes.len()];
    let Some(op) = route.operation else { return };
    let Some((_, key)) = w.keys.iter().find(|(role, _)| permits(*role, op)) else {
        return;
    };
    let format = ["text", "json", "ndjson", "csv"][usize::from(*kind) % 4];
    let mut path = route
        .path
        .replace(
            "{tenant}",
            if route.method == "put" && route.path.ends_with("/manifest") {
                "fz"
            } else {
                "ride"
            },
        )
        .replace("{subject}", &w.subject)
        .replace("{purpose}", "dispatch")
        .replace("{id}", "fz-1");
    if route.path == "/v1/egress/check" {
        path.push_str(&format!("?recipient=mapco_us&format={format}"));
    }
    let content_type = [
        "application/json",
        "text/plain",
        "application/toml",
        "application/octet-stream",
    ][usize::from(*kind / 4) % 4];
    let req = Request::builder()
        .method(route.method.to_uppercase().as_str())
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_vec()))
        .expect("a request");
    let (status, text) = w.rt.block_on(async {
        let resp = w
            .app
            .clone()
            .oneshot(req)
            .await
            .expect("the router answers");
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 24)
            .await
            .expect("a body");
        (status, bytes)
    });
    assert!(
        !status.is_server_error(),
        "{} {}: {status} {}",
        route.method,
        route.path,
        String::from_utf8_lossy(&text)
    );
    if status.is_client_error() {
        let v: serde_json::Value = serde_json::from_slice(&text).expect("an error is JSON");
        assert!(
            v["code"].is_string() && v["message"].is_string(),
            "error shape: {v}"
        );
    }
});
