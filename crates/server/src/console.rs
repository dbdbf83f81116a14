//! The web console: a static page and its scripts, embedded in the binary and served by
//! `custodian serve` itself under `/console/`. It is a client of the API and nothing more:
//! it signs in with an API key kept in the browser's session storage and calls the same
//! routes with it, so every page is scoped by the key's role and tenant exactly as the API
//! is. The ledger page checks signed checkpoints and Merkle proofs in the browser (WebCrypto)
//! against a verifier key the person pins, not against the server's word.
//!
//! Every answer carries a strict Content-Security-Policy: scripts, styles and connections
//! from this origin only, no inline script, no framing, no external resource, and Trusted
//! Types with no policy (no string can reach an HTML or script sink).

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::Shared;
use crate::error::ApiError;

/// The policy every console answer carries.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'none'; \
     frame-ancestors 'none'; base-uri 'none'; require-trusted-types-for 'script'; \
     trusted-types 'none'";

/// The files, by name: (name, content type, bytes).
const FILES: &[(&str, &str, &str)] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("../console/index.html"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../console/style.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../console/app.js"),
    ),
    (
        "api.js",
        "text/javascript; charset=utf-8",
        include_str!("../console/api.js"),
    ),
    (
        "pages.js",
        "text/javascript; charset=utf-8",
        include_str!("../console/pages.js"),
    ),
    (
        "ledger.js",
        "text/javascript; charset=utf-8",
        include_str!("../console/ledger.js"),
    ),
    (
        "verify.js",
        "text/javascript; charset=utf-8",
        include_str!("../console/verify.js"),
    ),
];

/// The console's routes: `/` leads to it, `/console/` is its page, `/console/{file}` its
/// scripts and styles.
pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/",
            axum::routing::get(|| async { Redirect::to("/console/") }),
        )
        .route(
            "/console",
            axum::routing::get(|| async { Redirect::to("/console/") }),
        )
        .route(
            "/console/",
            axum::routing::get(|| async { file("index.html") }),
        )
        .route(
            "/console/{file}",
            axum::routing::get(|Path(name): Path<String>| async move { file(&name) }),
        )
}

fn file(name: &str) -> Response {
    let Some((_, ty, body)) = FILES.iter().find(|(n, _, _)| *n == name) else {
        return ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such console file")
            .into_response();
    };
    let mut resp = (*body).into_response();
    let h = resp.headers_mut();
    for (k, v) in [
        (header::CONTENT_TYPE, *ty),
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-cache"),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ] {
        h.insert(k, HeaderValue::from_static(v));
    }
    resp
}
