//! Custodian's HTTP API: a thin translation of requests into calls of the vault library.
//!
//! [`app`] builds the router over an [`AppState`]; [`serve`] runs it on a listener until a
//! shutdown signal, letting in-flight requests finish. Every route authenticates a bearer key
//! (except `/healthz`, `/metrics` and `/openapi.json`), checks the key's role and tenant,
//! runs the vault call on the blocking pool, and maps errors to one JSON shape:
//! `{"code": "...", "message": "...", "order": "..."}` with the right status.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod api;
mod error;
mod metrics;

pub use api::{ApiDoc, ROUTES, app};
pub use error::ApiError;
pub use metrics::Metrics;

use std::sync::Arc;

use custodian_core::Vault;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The cell.
    pub vault: Arc<Vault>,
    /// Request counters for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
}

impl AppState {
    /// State over a vault, with a 1 MiB body limit.
    pub fn new(vault: Arc<Vault>) -> AppState {
        AppState {
            vault,
            metrics: Arc::new(Metrics::default()),
            body_limit: 1 << 20,
        }
    }
}

/// Serves the API on `listener` until `shutdown` resolves; in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
