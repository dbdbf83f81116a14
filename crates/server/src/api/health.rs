//! Liveness, readiness and metrics (no key needed).

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::extract::blocking;
use crate::error::ApiError;
use crate::{CellFigures, Shared};

#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "The process is up (it says nothing of the store: see /readyz), and its ledger origin (its name in checkpoints and signed requests)")))]
pub(super) async fn healthz(State(st): State<Shared>) -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok", "origin": st.vault.origin()}))
}

#[utoipa::path(get, path = "/readyz", responses(
    (status = 200, description = "Ready: the store answered a round trip just now"),
    (status = 503, body = ApiError, description = "Not ready: the store did not answer (code `store_unavailable`)")
))]
pub(super) async fn readyz(State(st): State<Shared>) -> Result<Json<serde_json::Value>, ApiError> {
    let vault = st.vault.clone();
    // A failure is logged (with its cause) where the store's error becomes the API's.
    blocking(move || vault.ping())
        .await
        .map(|()| Json(serde_json::json!({"status": "ready"})))
        .map_err(|_| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store_unavailable",
                "the cell's store does not answer; the cell is not ready",
            )
        })
}

#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus metrics")))]
pub(super) async fn metrics(State(st): State<Shared>) -> Response {
    let vault = st.vault.clone();
    let witnessed = st.witnessed.read().ok().and_then(|w| {
        w.as_ref().map(|w| {
            // The checkpoint's second line is its tree size.
            let size = w
                .note
                .lines()
                .nth(1)
                .and_then(|l| l.parse().ok())
                .unwrap_or(0);
            (size, w.at.elapsed().unwrap_or_default())
        })
    });
    let figures = blocking(move || {
        Ok(CellFigures {
            ledger_size: vault.ledger_size(),
            decisions: vault.decisions(),
            orders_in_force: vault.orders_in_force(),
            store: vault.store_stats(),
            store_up: vault.ping().is_ok(),
            witnessed,
        })
    })
    .await
    .unwrap_or_default();
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        st.metrics.render(&figures),
    )
        .into_response()
}
