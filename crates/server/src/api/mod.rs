//! The routes: one list (`routes!` below) produces the router, the OpenAPI document and
//! [`ROUTES`] (method, path and the operation each route performs, for the role matrix).
//! Each resource has its module with its handlers and request/response types; identifiers
//! are parsed once, at the edge, into core's typed ids.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use custodian_core::access::{Operation, Principal, Role};
use tracing::Instrument;
use utoipa::OpenApi;

use crate::error::ApiError;
use crate::{AppState, Shared};

mod batch;
mod extract;
mod health;
mod inspect;
mod keyring;
mod keys;
mod ledger;
mod orders;
mod receive;
mod reports;
mod requests;
mod retention;
mod scan;
mod session;
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
            components(schemas(ApiError)),
            modifiers(&StoreAnswers)
        )]
        pub struct ApiDoc;

        fn routes() -> Router<Shared> {
            Router::new()
                $( .route($path, axum::routing::$method($handler)) )+
        }
    };
}

routes! {
    get "/healthz" => health::healthz, None;
    get "/readyz" => health::readyz, None;
    get "/metrics" => health::metrics, None;
    get "/openapi.json" => openapi, None;
    get "/v1/tenants" => tenants::list_tenants, Some(Operation::ListTenants);
    put "/v1/tenants/{tenant}/manifest" => tenants::put_manifest, Some(Operation::PutManifest);
    get "/v1/tenants/{tenant}/manifest" => tenants::get_manifest, Some(Operation::ReadManifest);
    post "/v1/manifests/check" => tenants::check_manifest, Some(Operation::ReadManifest);
    post "/v1/keys" => keys::create_key, Some(Operation::ManageKeys);
    get "/v1/keys" => keys::list_keys, Some(Operation::ManageKeys);
    delete "/v1/keys/{id}" => keys::revoke_key, Some(Operation::ManageKeys);
    get "/v1/keyring" => keyring::status, Some(Operation::ManageKeyring);
    post "/v1/keyring/rotate" => keyring::rotate, Some(Operation::ManageKeyring);
    post "/v1/backups" => keyring::backup, Some(Operation::Backup);
    post "/v1/subjects" => subjects::register, Some(Operation::Register);
    post "/v1/subjects:batch" => batch::subjects, Some(Operation::Register);
    post "/v1/subjects:onboard" => batch::onboard, Some(Operation::Register);
    post "/v1/consents:batch" => batch::consents, Some(Operation::Consents);
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
    post "/v1/collect:batch" => batch::collect, Some(Operation::Collect);
    post "/v1/detokenize" => values::detokenize, Some(Operation::Detokenize);
    post "/v1/lookup" => values::lookup, Some(Operation::Lookup);
    get "/v1/ledger/checkpoint" => ledger::checkpoint, Some(Operation::ReadLedger);
    get "/v1/ledger/entries" => ledger::ledger_entries, Some(Operation::ReadLedger);
    get "/v1/ledger/proofs/inclusion" => ledger::inclusion_proof, Some(Operation::ReadLedger);
    get "/v1/ledger/proofs/consistency" => ledger::consistency_proof, Some(Operation::ReadLedger);
    get "/v1/ledger/stretch" => ledger::stretch, Some(Operation::ReadLedger);
    get "/v1/ledger/erasures/{index}" => ledger::erasure_final, Some(Operation::ReadLedger);
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
    post "/v1/inspect" => inspect::inspect, Some(Operation::Inspect);
    get "/v1/reports/{tenant}" => reports::report, Some(Operation::ReadReport);
    get "/v1/session" => session::session, Some(Operation::Session);
}

/// Documents the store's two transient answers (`error.rs`) on every route: 503 on any (not
/// carried out: safe to send again), 504 `outcome_unknown` on those that may commit (every
/// method but GET).
struct StoreAnswers;

const NOT_CARRIED_OUT: &str = "Not carried out (the store is unavailable, or the cell's \
    configuration kept changing): safe to send again (code `unavailable`)";

const OUTCOME_UNKNOWN: &str = "The database failed while committing: whether the act took \
    effect is unknown; send it again only with the same idempotency key (code \
    `outcome_unknown`)";

impl utoipa::Modify for StoreAnswers {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let answer = |text: &str| {
            let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ApiError")));
            ResponseBuilder::new()
                .description(text)
                .content("application/json", body.build())
                .build()
        };
        for item in doc.paths.paths.values_mut() {
            let ops = [
                (false, &mut item.get),
                (true, &mut item.post),
                (true, &mut item.put),
                (true, &mut item.delete),
                (true, &mut item.patch),
            ];
            for (writes, op) in ops {
                let Some(op) = op else { continue };
                let all = &mut op.responses.responses;
                all.entry("503".into())
                    .or_insert_with(|| answer(NOT_CARRIED_OUT).into());
                if writes {
                    all.entry("504".into())
                        .or_insert_with(|| answer(OUTCOME_UNKNOWN).into());
                }
            }
        }
    }
}

#[utoipa::path(get, path = "/openapi.json", responses((status = 200, description = "This document")))]
async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

/// Builds the router.
pub fn app(state: AppState) -> Router {
    let limit = state.body_limit;
    let state: Shared = Arc::new(state);
    routes()
        .merge(crate::console::routes())
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route") })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            signed::verify_signed,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn_with_state(state.clone(), read_body))
        .layer(middleware::from_fn_with_state(state.clone(), log_requests))
        .layer(middleware::from_fn(json_errors))
        .with_state(state)
}

/// Every error in the API's JSON shape, those the framework answers too (a method a route does
/// not take, a body over the limit, a content type it does not read). Their own text is not
/// passed on: a parser's message may quote the input.
async fn json_errors(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    // No answer is ever to be read as anything but its declared type.
    resp.headers_mut().insert(
        axum::http::header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
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
        StatusCode::PAYLOAD_TOO_LARGE => ("body_too_large", BODY_TOO_LARGE),
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
    out.headers_mut().insert(
        axum::http::header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(a) = allow {
        out.headers_mut().insert(axum::http::header::ALLOW, a);
    }
    out
}

/// Who made a request, for its log line: the `Auth` extractor fills it in.
#[derive(Clone, Default)]
pub(crate) struct Caller(Arc<Mutex<Option<Who>>>);

/// A key's id, role and tenant.
type Who = (String, Role, Option<String>);

impl Caller {
    /// Records the authenticated key (its id, never its secret).
    pub(crate) fn set(&self, p: &Principal) {
        if let Ok(mut c) = self.0.lock() {
            *c = Some((
                p.key_id.clone(),
                p.access.role(),
                p.access.tenant().map(|t| t.as_str().to_string()),
            ));
        }
    }
}

/// One log line per request: its id (also the `x-request-id` header of the answer), method,
/// route template (never the path itself: it holds subject ids), status, latency, the key's
/// id and role, and its tenant. Events logged while the request runs carry its id.
async fn log_requests(State(st): State<Shared>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = req.method().clone();
    let id = request_id();
    let caller = Caller::default();
    req.extensions_mut().insert(caller.clone());
    let span = tracing::info_span!("request", id = %id);
    let mut resp = next.run(req).instrument(span.clone()).await;
    let took = started.elapsed();
    let status = resp.status().as_u16();
    st.metrics.record(&route, status, took);
    let who = caller.0.lock().ok().and_then(|c| c.clone());
    let (key, role, tenant) = match &who {
        Some((k, r, t)) => (k.as_str(), r.as_str(), t.as_deref().unwrap_or("-")),
        None => ("-", "-", "-"),
    };
    let latency_ms = (took.as_secs_f64() * 1e6).round() / 1e3;
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(target: "custodian::http", %method, route, status, latency_ms, key, role, tenant, "request");
        } else {
            tracing::info!(target: "custodian::http", %method, route, status, latency_ms, key, role, tenant, "request");
        }
    });
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    resp
}

/// 16 random hex digits.
fn request_id() -> String {
    let mut b = [0u8; 8];
    if getrandom::fill(&mut b).is_err() {
        // Unique enough for a log line if the system's source fails.
        b = u64::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
                % u128::from(u64::MAX),
        )
        .unwrap_or(0)
        .to_be_bytes();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Refuses a request target over 8 KiB (414). Reads a request's whole body before the handler
/// runs, within the cell's `body_timeout`
/// (408 `body_timeout` otherwise: a client that sends its headers and then trickles or stops
/// holds a connection no longer than that) and its `body_limit` (413).
async fn read_body(State(st): State<Shared>, req: Request, next: Next) -> Response {
    // Past 64 KiB hyper answers 414 itself, before any route, with an empty body.
    if req.uri().path_and_query().map_or(0, |p| p.as_str().len()) > MAX_URI {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the request URI is longer than this cell takes ({MAX_URI} bytes)"),
        )
        .into_response();
    }
    let limit = st.body_limit;
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            BODY_TOO_LARGE,
        )
        .into_response();
    }
    let (parts, body) = req.into_parts();
    let read =
        tokio::time::timeout(st.limits.body_timeout, axum::body::to_bytes(body, limit)).await;
    let bytes = match read {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            return ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                BODY_TOO_LARGE,
            )
            .into_response();
        }
        Err(_) => {
            let mut r = ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout",
                format!(
                    "the request body did not arrive within {} s",
                    st.limits.body_timeout.as_secs()
                ),
            )
            .into_response();
            r.headers_mut().insert(
                axum::http::header::CONNECTION,
                HeaderValue::from_static("close"),
            );
            return r;
        }
    };
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// The longest request target (path and query) the API takes: no route needs more.
const MAX_URI: usize = 8 * 1024;

const BODY_TOO_LARGE: &str = "the request body is larger than this cell takes (its body_limit)";
