//! The routes: one list (`routes!` below) produces the router, the OpenAPI document and
//! [`ROUTES`] (method, path and the operation each route performs, for the role matrix).
//! Each resource has its module with its handlers and request/response types; identifiers
//! are parsed once, at the edge, into core's typed ids.

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use custodian_core::access::Operation;
use utoipa::OpenApi;

use crate::AppState;
use crate::error::ApiError;

mod extract;
mod health;
mod keyring;
mod keys;
mod ledger;
mod orders;
mod receive;
mod requests;
mod retention;
mod scan;
pub mod signed;
mod subjects;
mod tenants;
mod transfers;

mod values;

/// One route: method, path, and the operation it performs (`None`: no key needed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// Lower-case HTTP method.
    pub method: &'static str,
    /// Path template (`/v1/subjects/{subject}`).
    pub path: &'static str,
    /// What it does, for the role × operation matrix.
    pub operation: Option<Operation>,
}

macro_rules! routes {
    ($( $method:ident $path:literal => $handler:path, $op:expr; )+) => {
        /// Every route of the API.
        pub const ROUTES: &[Route] = &[
            $( Route { method: stringify!($method), path: $path, operation: $op }, )+
        ];

        /// The OpenAPI 3.1 document, generated from the handlers of [`ROUTES`].
        #[derive(OpenApi)]
        #[openapi(
            info(
                title = "Custodian",
                description = "Personal-information vault and compliance gateway"
            ),
            paths( $( $handler ),+ ),
            components(schemas(ApiError))
        )]
        pub struct ApiDoc;

        fn routes() -> Router<AppState> {
            Router::new()
                $( .route($path, axum::routing::$method($handler)) )+
        }
    };
}

routes! {
    get "/healthz" => health::healthz, None;
    get "/metrics" => health::metrics, None;
    get "/openapi.json" => openapi, None;
    get "/v1/tenants" => tenants::list_tenants, Some(Operation::ListTenants);
    put "/v1/tenants/{tenant}/manifest" => tenants::put_manifest, Some(Operation::PutManifest);
    get "/v1/tenants/{tenant}/manifest" => tenants::get_manifest, Some(Operation::ReadManifest);
    post "/v1/keys" => keys::create_key, Some(Operation::ManageKeys);
    get "/v1/keys" => keys::list_keys, Some(Operation::ManageKeys);
    delete "/v1/keys/{id}" => keys::revoke_key, Some(Operation::ManageKeys);
    get "/v1/keyring" => keyring::status, Some(Operation::ManageKeyring);
    post "/v1/keyring/rotate" => keyring::rotate, Some(Operation::ManageKeyring);
    post "/v1/backups" => keyring::backup, Some(Operation::Backup);
    post "/v1/subjects" => subjects::register, Some(Operation::Register);
    post "/v1/subjects/{subject}/consents" => subjects::grant_consent, Some(Operation::Consents);
    get "/v1/subjects/{subject}/consents" => subjects::list_consents, Some(Operation::Consents);
    delete "/v1/subjects/{subject}/consents/{purpose}" => subjects::withdraw_consent, Some(Operation::Consents);
    get "/v1/subjects/{subject}/export" => subjects::export_subject, Some(Operation::Export);
    delete "/v1/subjects/{subject}" => subjects::erase_subject, Some(Operation::Erase);
    put "/v1/subjects/{subject}/role" => subjects::assign_role, Some(Operation::AssignRole);
    post "/v1/subjects/{subject}/rectify" => retention::rectify, Some(Operation::Rectify);
    put "/v1/subjects/{subject}/hold" => retention::set_hold, Some(Operation::LegalHold);
    delete "/v1/subjects/{subject}/hold" => retention::release_hold, Some(Operation::LegalHold);
    post "/v1/retention/sweep" => retention::sweep, Some(Operation::SweepRetention);
    post "/v1/requests" => requests::open_request, Some(Operation::Requests);
    get "/v1/requests" => requests::list_requests, Some(Operation::ReadRequests);
    post "/v1/requests/{id}/close" => requests::close_request, Some(Operation::Requests);
    post "/v1/collect" => values::collect, Some(Operation::Collect);
    post "/v1/detokenize" => values::detokenize, Some(Operation::Detokenize);
    post "/v1/lookup" => values::lookup, Some(Operation::Lookup);
    get "/v1/ledger/checkpoint" => ledger::checkpoint, Some(Operation::ReadLedger);
    get "/v1/ledger/entries" => ledger::ledger_entries, Some(Operation::ReadLedger);
    get "/v1/ledger/proofs/inclusion" => ledger::inclusion_proof, Some(Operation::ReadLedger);
    get "/v1/ledger/proofs/consistency" => ledger::consistency_proof, Some(Operation::ReadLedger);
    get "/v1/ledger/stretch" => ledger::stretch, Some(Operation::ReadLedger);
    post "/v1/scan" => scan::scan, Some(Operation::Scan);
    post "/v1/orders" => orders::submit_order, Some(Operation::SubmitOrder);
    get "/v1/orders" => orders::list_orders, Some(Operation::ReadOrders);
    get "/v1/orders/{id}" => orders::get_order, Some(Operation::ReadOrders);
    put "/v1/tenants/{tenant}/transfer-bases/{id}" => transfers::put_basis, Some(Operation::ManageTransferBases);
    get "/v1/tenants/{tenant}/transfer-bases" => transfers::list_bases, Some(Operation::ReadTransfers);
    post "/v1/transfers" => transfers::transfer, Some(Operation::Transfer);
    get "/v1/transfers/counts" => transfers::counts, Some(Operation::ReadTransfers);
    post "/v1/egress/check" => transfers::egress_check, Some(Operation::Transfer);
    post "/v1/receive" => receive::receive, Some(Operation::Receive);
}

#[utoipa::path(get, path = "/openapi.json", responses((status = 200, description = "This document")))]
async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

/// Builds the router.
pub fn app(state: AppState) -> Router {
    let limit = state.body_limit;
    routes()
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route") })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            signed::verify_signed,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_requests,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn(json_errors))
        .with_state(state)
}

/// Every error in the API's JSON shape, those the framework answers too (a method a route does
/// not take, a body over the limit, a content type it does not read). Their own text is not
/// passed on: a parser's message may quote the input.
async fn json_errors(req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    let json = resp
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json || !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found", "no such route"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this route does not take that method (the Allow header lists those it takes)",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "body_too_large",
            "the request body is larger than this cell takes (its body_limit)",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "this route does not read that Content-Type",
        ),
        StatusCode::URI_TOO_LONG => ("uri_too_long", "the request URI is too long"),
        s if s.is_server_error() => ("internal", "the cell could not answer"),
        _ => ("bad_request", "the request could not be read"),
    };
    let allow = resp.headers().get(axum::http::header::ALLOW).cloned();
    let mut out = axum::response::IntoResponse::into_response(ApiError::new(status, code, message));
    if let Some(a) = allow {
        out.headers_mut().insert(axum::http::header::ALLOW, a);
    }
    out
}

async fn count_requests(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let resp = next.run(req).await;
    st.metrics.record(&route, resp.status().as_u16());
    resp
}
