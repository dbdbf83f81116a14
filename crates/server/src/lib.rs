//! Custodian's HTTP API: a thin translation of requests into calls of the vault library.
//!
//! [`app`] builds the router over an [`AppState`]; [`serve`] runs it on a listener under the
//! state's [`Limits`] (timeouts, a connection cap) until a shutdown signal, letting in-flight
//! requests finish. Every route authenticates a bearer key (except `/healthz`, `/readyz`,
//! `/metrics` and `/openapi.json`), checks the key's role and tenant,
//! runs the vault call on the blocking pool, and maps errors to one JSON shape:
//! `{"code": "...", "message": "...", "order": "..."}` with the right status.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod api;
mod console;
mod error;
mod listen;
mod metrics;
pub mod witness;

pub use api::{ApiDoc, ROUTES, Route, app, signed};
pub use error::{ApiError, ProblemView};
pub use listen::{Limits, serve};
pub use metrics::{CellFigures, Metrics};

use std::sync::Arc;

use custodian_core::Vault;

/// What the router hands every handler and middleware: one reference count per request
/// rather than one for each of the state's shared parts.
pub(crate) type Shared = Arc<AppState>;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The cell.
    pub vault: Arc<Vault>,
    /// Request counters for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Requests per second each API key may make (token bucket; burst = 2 s worth).
    pub rate_limit: Option<u32>,
    /// Where `POST /v1/backups` writes (each backup a new directory in it, named by the
    /// request); `None`: backups through the API are off.
    pub backup_dir: Option<Arc<std::path::Path>>,
    /// The latest checkpoint the cell's witnesses cosigned, with their cosignature lines
    /// (`GET /v1/ledger/checkpoint?witnessed=true`).
    pub witnessed: Arc<std::sync::RwLock<Option<Witnessed>>>,
    /// Timeouts and the connection cap.
    pub limits: Limits,
    /// The cell directory: the URL of the cell serving each other jurisdiction (ISO code).
    pub cells: Arc<std::collections::HashMap<String, String>>,
    /// Nonces of signed regulator requests seen lately.
    pub(crate) nonces: Arc<api::signed::Nonces>,
    /// The buckets, by key id.
    pub(crate) buckets:
        Arc<std::sync::Mutex<std::collections::HashMap<String, (f64, std::time::Instant)>>>,
}

impl AppState {
    /// State over a vault, with a 1 MiB body limit and no rate limit.
    pub fn new(vault: Arc<Vault>) -> AppState {
        AppState {
            vault,
            metrics: Arc::new(Metrics::default()),
            body_limit: 1 << 20,
            rate_limit: None,
            backup_dir: None,
            nonces: Arc::default(),
            cells: Arc::default(),
            witnessed: Arc::default(),
            limits: Limits::default(),
            buckets: Arc::default(),
        }
    }
}

impl AppState {
    /// Takes one request from the key's bucket; `false` when it is empty.
    pub(crate) fn admit(&self, key_id: &str) -> bool {
        let Some(rate) = self.rate_limit else {
            return true;
        };
        let rate = f64::from(rate.max(1));
        let burst = rate * 2.0;
        let now = std::time::Instant::now();
        let Ok(mut b) = self.buckets.lock() else {
            return true;
        };
        let (tokens, at) = b.entry(key_id.to_string()).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// A checkpoint the cell's witnesses cosigned, and when the cell got it.
#[derive(Clone, Debug)]
pub struct Witnessed {
    /// The checkpoint with its cosignature lines.
    pub note: String,
    /// When it came back cosigned.
    pub at: std::time::SystemTime,
}
