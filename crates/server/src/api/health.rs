//! Liveness and metrics (no key needed).

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::extract::blocking;
use crate::AppState;

#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "The cell is up, and its ledger origin (its name in checkpoints and signed requests)")))]
pub(super) async fn healthz(State(st): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok", "origin": st.vault.origin()}))
}

#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus metrics")))]
pub(super) async fn metrics(State(st): State<AppState>) -> Response {
    let vault = st.vault.clone();
    let size = blocking(move || Ok(vault.ledger_size())).await.unwrap_or(0);
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        st.metrics.render(size),
    )
        .into_response()
}
