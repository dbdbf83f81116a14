//! Routes, extractors and handlers.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, MatchedPath, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use custodian_core::ids::{
    FieldName, Jurisdiction, PurposeId, ServiceName, SubjectId, TenantId, Token,
};
use custodian_core::{Principal, Reveal, Role};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
use crate::error::ApiError;

/// Every route: (method, path). `/openapi.json` is checked against this list by a test.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/metrics"),
    ("get", "/v1/tenants"),
    ("put", "/v1/tenants/{tenant}/manifest"),
    ("get", "/v1/tenants/{tenant}/manifest"),
    ("post", "/v1/keys"),
    ("get", "/v1/keys"),
    ("delete", "/v1/keys/{id}"),
    ("post", "/v1/subjects"),
    ("post", "/v1/subjects/{subject}/consents"),
    ("get", "/v1/subjects/{subject}/consents"),
    ("delete", "/v1/subjects/{subject}/consents/{purpose}"),
    ("get", "/v1/subjects/{subject}/export"),
    ("delete", "/v1/subjects/{subject}"),
    ("post", "/v1/collect"),
    ("post", "/v1/detokenize"),
    ("post", "/v1/lookup"),
    ("get", "/v1/ledger/checkpoint"),
    ("get", "/v1/ledger/entries"),
    ("get", "/v1/ledger/proofs/inclusion"),
    ("get", "/v1/ledger/proofs/consistency"),
    ("post", "/v1/scan"),
    ("post", "/v1/orders"),
    ("get", "/v1/orders"),
    ("get", "/v1/orders/{id}"),
];

/// The OpenAPI 3.1 document, generated from the handlers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Custodian",
        description = "Personal-information vault and compliance gateway"
    ),
    paths(
        healthz,
        metrics,
        list_tenants,
        put_manifest,
        get_manifest,
        create_key,
        list_keys,
        revoke_key,
        register,
        grant_consent,
        list_consents,
        withdraw_consent,
        export_subject,
        erase_subject,
        collect,
        detokenize,
        lookup,
        checkpoint,
        ledger_entries,
        inclusion_proof,
        consistency_proof,
        scan,
        submit_order,
        list_orders,
        get_order
    ),
    components(schemas(ApiError))
)]
pub struct ApiDoc;

/// Builds the router.
pub fn app(state: AppState) -> Router {
    let limit = state.body_limit;
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .route("/v1/tenants", get(list_tenants))
        .route(
            "/v1/tenants/{tenant}/manifest",
            put(put_manifest).get(get_manifest),
        )
        .route("/v1/keys", post(create_key).get(list_keys))
        .route("/v1/keys/{id}", delete(revoke_key))
        .route("/v1/subjects", post(register))
        .route(
            "/v1/subjects/{subject}/consents",
            post(grant_consent).get(list_consents),
        )
        .route(
            "/v1/subjects/{subject}/consents/{purpose}",
            delete(withdraw_consent),
        )
        .route("/v1/subjects/{subject}/export", get(export_subject))
        .route("/v1/subjects/{subject}", delete(erase_subject))
        .route("/v1/collect", post(collect))
        .route("/v1/detokenize", post(detokenize))
        .route("/v1/lookup", post(lookup))
        .route("/v1/ledger/checkpoint", get(checkpoint))
        .route("/v1/ledger/entries", get(ledger_entries))
        .route("/v1/ledger/proofs/inclusion", get(inclusion_proof))
        .route("/v1/ledger/proofs/consistency", get(consistency_proof))
        .route("/v1/scan", post(scan))
        .route("/v1/orders", post(submit_order).get(list_orders))
        .route("/v1/orders/{id}", get(get_order))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route") })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_requests,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .with_state(state)
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

/// Query parameters with errors in the API's shape.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _st: &AppState) -> Result<Self, ApiError> {
        let q = parts.uri.query().unwrap_or("");
        serde_urlencoded_like(q).map(Params)
    }
}

fn serde_urlencoded_like<T: DeserializeOwned>(q: &str) -> Result<T, ApiError> {
    Query::<T>::try_from_uri(
        &format!("/?{q}")
            .parse()
            .map_err(|_| ApiError::bad_request("bad_query", "the query string is malformed"))?,
    )
    .map(|Query(v)| v)
    .map_err(|e| {
        ApiError::bad_request(
            "bad_query",
            format!("invalid query parameters: {}", scrub(&e.body_text())),
        )
    })
}

/// Path parameters with errors in the API's shape.
pub struct Segments<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Segments<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, st)
            .await
            .map(|Path(v)| Segments(v))
            .map_err(|e| {
                ApiError::bad_request(
                    "bad_path",
                    format!("invalid path: {}", scrub(&e.body_text())),
                )
            })
    }
}

/// The authenticated caller.
pub struct Auth(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(ApiError::unauthorized)?
            .to_string();
        let vault = st.vault.clone();
        let p = blocking(move || vault.authenticate(&secret))
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        if !st.admit(&p.key_id) {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "this API key is over its request rate; retry shortly",
            ));
        }
        Ok(Auth(p))
    }
}

/// JSON body that refuses unknown fields and reports errors in the API's shape.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, st: &AppState) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(req, st).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    format!("the body is over {} bytes", st.body_limit),
                )
            } else {
                ApiError::bad_request("bad_body", "the body could not be read")
            }
        })?;
        serde_json::from_slice(&bytes).map(Body).map_err(|e| {
            ApiError::bad_request(
                "bad_json",
                format!(
                    "invalid JSON body at line {} column {}: {}",
                    e.line(),
                    e.column(),
                    scrub(&e.to_string())
                ),
            )
        })
    }
}

/// serde's messages quote the offending input for some errors (`invalid type: string "…"`):
/// keep only the part before the first quote so no value reaches a response.
fn scrub(msg: &str) -> String {
    msg.split(['"', '`'])
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches(':')
        .to_string()
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, custodian_core::CoreError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            )
        })?
        .map_err(ApiError::from)
}

fn parse<T>(r: Result<T, custodian_core::CoreError>, what: &str) -> Result<T, ApiError> {
    r.map_err(|e| ApiError::bad_request("invalid", format!("{what}: {e}")))
}

fn admin(a: &Auth) -> Result<(), ApiError> {
    match a.0.role {
        Role::Admin => Ok(()),
        _ => Err(ApiError::forbidden("this route needs an admin key")),
    }
}

fn service(a: &Auth) -> Result<(TenantId, ServiceName), ApiError> {
    match &a.0.role {
        Role::Service { tenant, service } => Ok((tenant.clone(), service.clone())),
        _ => Err(ApiError::forbidden("this route needs a tenant service key")),
    }
}

/// The tenant of a service or DPO key (routes on a tenant's subjects).
fn tenant_of(a: &Auth) -> Result<TenantId, ApiError> {
    match &a.0.role {
        Role::Service { tenant, .. } | Role::Dpo { tenant } => Ok(tenant.clone()),
        _ => Err(ApiError::forbidden(
            "this route needs a tenant service or DPO key",
        )),
    }
}

fn dpo(a: &Auth) -> Result<TenantId, ApiError> {
    match &a.0.role {
        Role::Dpo { tenant } => Ok(tenant.clone()),
        _ => Err(ApiError::forbidden("this route needs the tenant's DPO key")),
    }
}

fn ledger_reader(a: &Auth) -> Result<(), ApiError> {
    match a.0.role {
        Role::Regulator | Role::Admin | Role::Dpo { .. } => Ok(()),
        Role::Service { .. } => Err(ApiError::forbidden(
            "the ledger is for regulators, admins and DPOs",
        )),
    }
}

#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "The cell is up")))]
async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok"}))
}

#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus metrics")))]
async fn metrics(State(st): State<AppState>) -> Response {
    let vault = st.vault.clone();
    let size = blocking(move || Ok(vault.ledger_size())).await.unwrap_or(0);
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        st.metrics.render(size),
    )
        .into_response()
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[derive(Serialize, ToSchema)]
struct TenantView {
    id: String,
    app_type: String,
    self_declared: bool,
}

#[utoipa::path(get, path = "/v1/tenants", security(("bearer" = [])), responses((status = 200, body = Vec<TenantView>), (status = 403, body = ApiError)))]
async fn list_tenants(
    State(st): State<AppState>,
    a: Auth,
) -> Result<Json<Vec<TenantView>>, ApiError> {
    admin(&a)?;
    let mut out = Vec::new();
    let mut ids = st.vault.tenant_ids();
    ids.sort();
    for t in ids {
        let m = st.vault.manifest(&t)?;
        out.push(TenantView {
            id: t.to_string(),
            app_type: m.app_type.id().to_string(),
            self_declared: m.app_type.is_self_declared(),
        });
    }
    Ok(Json(out))
}

#[utoipa::path(put, path = "/v1/tenants/{tenant}/manifest", params(("tenant" = String, Path, description = "Tenant id")), request_body(content = String, content_type = "text/plain", description = "The manifest's TOML (also accepted as application/toml)"), responses((status = 200, description = "Loaded; notes returned"), (status = 422, body = ApiError)))]
async fn put_manifest(
    State(st): State<AppState>,
    a: Auth,
    Segments(tenant): Segments<String>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    admin(&a)?;
    let tenant = parse(TenantId::parse(&tenant), "tenant")?;
    let src = String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::bad_request("bad_body", "the manifest is not UTF-8"))?;
    let vault = st.vault.clone();
    let notes = blocking(move || vault.load_manifest(&tenant, &src)).await?;
    Ok(Json(serde_json::json!({ "notes": notes })))
}

#[utoipa::path(get, path = "/v1/tenants/{tenant}/manifest", params(("tenant" = String, Path, description = "Tenant id")), responses((status = 200, description = "The manifest's TOML")))]
async fn get_manifest(
    State(st): State<AppState>,
    a: Auth,
    Segments(tenant): Segments<String>,
) -> Result<Response, ApiError> {
    let tenant = parse(TenantId::parse(&tenant), "tenant")?;
    match &a.0.role {
        Role::Admin | Role::Regulator => {}
        Role::Dpo { tenant: t } | Role::Service { tenant: t, .. } if *t == tenant => {}
        _ => return Err(ApiError::forbidden("another tenant's manifest")),
    }
    let m = st.vault.manifest(&tenant)?;
    Ok(([(header::CONTENT_TYPE, "application/toml")], m.source).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewKey {
    /// `service`, `dpo`, `regulator` or `admin`.
    role: String,
    tenant: Option<String>,
    service: Option<String>,
}

#[derive(Serialize, ToSchema)]
struct KeyView {
    id: String,
    role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<String>,
    revoked: bool,
    /// The secret: returned once, on creation only.
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
}

fn key_view(r: &custodian_core::store::ApiKeyRecord, key: Option<String>) -> KeyView {
    KeyView {
        id: r.id.clone(),
        role: r.role.clone(),
        tenant: r.tenant.as_ref().map(ToString::to_string),
        service: r.service.as_ref().map(ToString::to_string),
        revoked: r.revoked_at.is_some(),
        key,
    }
}

#[utoipa::path(post, path = "/v1/keys", request_body = NewKey, responses((status = 201, body = KeyView), (status = 400, body = ApiError), (status = 403, body = ApiError)))]
async fn create_key(
    State(st): State<AppState>,
    a: Auth,
    Body(b): Body<NewKey>,
) -> Result<(StatusCode, Json<KeyView>), ApiError> {
    admin(&a)?;
    let t = b
        .tenant
        .as_deref()
        .map(TenantId::parse)
        .transpose()
        .map_err(|e| ApiError::bad_request("invalid", format!("tenant: {e}")))?;
    let role = match (b.role.as_str(), t, b.service.as_deref()) {
        ("service", Some(tenant), Some(s)) => Role::Service {
            tenant,
            service: parse(ServiceName::parse(s), "service")?,
        },
        ("dpo", Some(tenant), None) => Role::Dpo { tenant },
        ("regulator", None, None) => Role::Regulator,
        ("admin", None, None) => Role::Admin,
        _ => {
            return Err(ApiError::bad_request(
                "invalid",
                "role must be `service` (with tenant and service), `dpo` (with tenant), `regulator` or `admin`",
            ));
        }
    };
    let vault = st.vault.clone();
    let (rec, secret) = blocking(move || vault.create_api_key(role)).await?;
    Ok((
        StatusCode::CREATED,
        Json(key_view(&rec, Some(secret.expose().to_string()))),
    ))
}

#[utoipa::path(get, path = "/v1/keys", responses((status = 200, body = Vec<KeyView>)))]
async fn list_keys(State(st): State<AppState>, a: Auth) -> Result<Json<Vec<KeyView>>, ApiError> {
    admin(&a)?;
    let vault = st.vault.clone();
    let keys = blocking(move || vault.api_keys()).await?;
    Ok(Json(keys.iter().map(|k| key_view(k, None)).collect()))
}

#[utoipa::path(delete, path = "/v1/keys/{id}", params(("id" = String, Path, description = "Key id")), responses((status = 204), (status = 404, body = ApiError)))]
async fn revoke_key(
    State(st): State<AppState>,
    a: Auth,
    Segments(id): Segments<String>,
) -> Result<StatusCode, ApiError> {
    admin(&a)?;
    let vault = st.vault.clone();
    blocking(move || vault.revoke_api_key(&id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewSubject {
    /// ISO 3166 code of the subject's jurisdiction, e.g. `CN`.
    jurisdiction: String,
    /// Under 14: processing needs a guardian's consent.
    #[serde(default)]
    minor: bool,
}

#[utoipa::path(post, path = "/v1/subjects", request_body = NewSubject, responses((status = 201, description = "Registered"), (status = 403, body = ApiError), (status = 421, body = ApiError)))]
async fn register(
    State(st): State<AppState>,
    a: Auth,
    Body(b): Body<NewSubject>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let (tenant, _) = service(&a)?;
    let j = parse(Jurisdiction::parse(&b.jurisdiction), "jurisdiction")?;
    let vault = st.vault.clone();
    let s = blocking(move || vault.register(&tenant, &j, b.minor)).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "subject": s })),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewConsent {
    purpose: String,
    /// Separate consent (单独同意): sensitive PI, transfers abroad.
    #[serde(default)]
    separate: bool,
    /// Given by a guardian.
    #[serde(default)]
    by_guardian: bool,
}

#[utoipa::path(post, path = "/v1/subjects/{subject}/consents", params(("subject" = String, Path, description = "Subject id")), request_body = NewConsent, responses((status = 201), (status = 400, body = ApiError), (status = 404, body = ApiError)))]
async fn grant_consent(
    State(st): State<AppState>,
    a: Auth,
    Segments(subject): Segments<String>,
    Body(b): Body<NewConsent>,
) -> Result<StatusCode, ApiError> {
    let tenant = tenant_of(&a)?;
    let subject = parse(SubjectId::parse(&subject), "subject")?;
    let purpose = parse(PurposeId::parse(&b.purpose), "purpose")?;
    let vault = st.vault.clone();
    blocking(move || vault.grant_consent(&tenant, &subject, &purpose, b.separate, b.by_guardian))
        .await?;
    Ok(StatusCode::CREATED)
}

#[utoipa::path(get, path = "/v1/subjects/{subject}/consents", params(("subject" = String, Path, description = "Subject id")), responses((status = 200, description = "The subject's consents")))]
async fn list_consents(
    State(st): State<AppState>,
    a: Auth,
    Segments(subject): Segments<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let tenant = tenant_of(&a)?;
    let subject = parse(SubjectId::parse(&subject), "subject")?;
    let vault = st.vault.clone();
    let c = blocking(move || vault.consents(&tenant, &subject)).await?;
    Ok(Json(serde_json::json!({ "consents": c })))
}

#[utoipa::path(delete, path = "/v1/subjects/{subject}/consents/{purpose}", params(("subject" = String, Path, description = "Subject id"), ("purpose" = String, Path, description = "Purpose id")), responses((status = 204), (status = 404, body = ApiError)))]
async fn withdraw_consent(
    State(st): State<AppState>,
    a: Auth,
    Segments((subject, purpose)): Segments<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let tenant = tenant_of(&a)?;
    let subject = parse(SubjectId::parse(&subject), "subject")?;
    let purpose = parse(PurposeId::parse(&purpose), "purpose")?;
    let vault = st.vault.clone();
    blocking(move || vault.withdraw_consent(&tenant, &subject, &purpose)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/v1/subjects/{subject}/export", params(("subject" = String, Path, description = "Subject id")), responses((status = 200, description = "Everything about the subject"), (status = 403, body = ApiError)))]
async fn export_subject(
    State(st): State<AppState>,
    a: Auth,
    Segments(subject): Segments<String>,
) -> Result<Json<custodian_core::vault::SubjectExport>, ApiError> {
    let tenant = dpo(&a)?;
    let subject = parse(SubjectId::parse(&subject), "subject")?;
    let vault = st.vault.clone();
    Ok(Json(
        blocking(move || vault.export_subject(&tenant, &subject)).await?,
    ))
}

#[utoipa::path(delete, path = "/v1/subjects/{subject}", params(("subject" = String, Path, description = "Subject id")), responses((status = 204), (status = 409, body = ApiError)))]
async fn erase_subject(
    State(st): State<AppState>,
    a: Auth,
    Segments(subject): Segments<String>,
) -> Result<StatusCode, ApiError> {
    let tenant = dpo(&a)?;
    let subject = parse(SubjectId::parse(&subject), "subject")?;
    let vault = st.vault.clone();
    blocking(move || vault.erase_subject(&tenant, &subject)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CollectBody {
    subject: String,
    purpose: String,
    /// Field name → value.
    values: BTreeMap<String, String>,
}

#[utoipa::path(post, path = "/v1/collect", request_body = CollectBody, responses((status = 200, description = "Tokens"), (status = 403, body = ApiError)))]
async fn collect(
    State(st): State<AppState>,
    a: Auth,
    Body(b): Body<CollectBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (tenant, service) = service(&a)?;
    let subject = parse(SubjectId::parse(&b.subject), "subject")?;
    let purpose = parse(PurposeId::parse(&b.purpose), "purpose")?;
    let mut values = Vec::with_capacity(b.values.len());
    for (k, v) in b.values {
        values.push((parse(FieldName::parse(&k), "field")?, v));
    }
    let vault = st.vault.clone();
    let got = blocking(move || {
        let refs: Vec<(FieldName, &str)> = values
            .iter()
            .map(|(f, v)| (f.clone(), v.as_str()))
            .collect();
        vault.collect(&tenant, &service, &subject, &purpose, &refs)
    })
    .await?;
    Ok(Json(serde_json::json!({ "tokens": got })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct DetokenizeBody {
    purpose: String,
    tokens: Vec<String>,
    /// `default` (as the manifest says), `masked` or `clear`.
    #[serde(default)]
    reveal: Option<String>,
}

#[utoipa::path(post, path = "/v1/detokenize", request_body = DetokenizeBody, responses((status = 200, description = "Values"), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn detokenize(
    State(st): State<AppState>,
    a: Auth,
    Body(b): Body<DetokenizeBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (tenant, service) = service(&a)?;
    let purpose = parse(PurposeId::parse(&b.purpose), "purpose")?;
    let tokens = b
        .tokens
        .iter()
        .map(|t| parse(Token::parse(t), "token"))
        .collect::<Result<Vec<_>, _>>()?;
    if tokens.is_empty() || tokens.len() > 1000 {
        return Err(ApiError::bad_request(
            "invalid",
            "tokens: give 1 to 1000 tokens",
        ));
    }
    let reveal = match b.reveal.as_deref() {
        None | Some("default") => Reveal::Default,
        Some("masked") => Reveal::Masked,
        Some("clear") => Reveal::Clear,
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid",
                "reveal must be `default`, `masked` or `clear`",
            ));
        }
    };
    let vault = st.vault.clone();
    let got =
        blocking(move || vault.detokenize(&tenant, &service, &purpose, &tokens, reveal)).await?;
    Ok(Json(serde_json::json!({ "values": got })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct LookupBody {
    purpose: String,
    field: String,
    value: String,
}

#[utoipa::path(post, path = "/v1/lookup", request_body = LookupBody, responses((status = 200, description = "Tokens of the value"), (status = 403, body = ApiError)))]
async fn lookup(
    State(st): State<AppState>,
    a: Auth,
    Body(b): Body<LookupBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (tenant, service) = service(&a)?;
    let purpose = parse(PurposeId::parse(&b.purpose), "purpose")?;
    let field = parse(FieldName::parse(&b.field), "field")?;
    let vault = st.vault.clone();
    let got = blocking(move || vault.lookup(&tenant, &service, &purpose, &field, &b.value)).await?;
    Ok(Json(serde_json::json!({ "tokens": got })))
}

#[utoipa::path(get, path = "/v1/ledger/checkpoint", responses((status = 200, description = "The signed checkpoint (C2SP signed note)", content_type = "text/plain")))]
async fn checkpoint(State(st): State<AppState>, a: Auth) -> Result<Response, ApiError> {
    ledger_reader(&a)?;
    let vault = st.vault.clone();
    let note = blocking(move || vault.checkpoint()).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], note).into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct Range {
    from: u64,
    to: u64,
}

#[utoipa::path(get, path = "/v1/ledger/entries", params(Range), responses((status = 200, description = "Entries with index in from..to")))]
async fn ledger_entries(
    State(st): State<AppState>,
    a: Auth,
    Params(r): Params<Range>,
) -> Result<Json<serde_json::Value>, ApiError> {
    ledger_reader(&a)?;
    if r.to < r.from || r.to - r.from > 10_000 {
        return Err(ApiError::bad_request(
            "invalid",
            "give from <= to and at most 10000 entries",
        ));
    }
    let vault = st.vault.clone();
    let got = blocking(move || vault.ledger_entries(r.from, r.to)).await?;
    let rows: Vec<serde_json::Value> = got
        .into_iter()
        .map(|(i, e)| serde_json::json!({"index": i, "entry": e}))
        .collect();
    Ok(Json(serde_json::json!({ "entries": rows })))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct InclusionQuery {
    index: u64,
    tree_size: u64,
}

#[utoipa::path(get, path = "/v1/ledger/proofs/inclusion", params(InclusionQuery), responses((status = 200, description = "Inclusion proof file with the entry")))]
async fn inclusion_proof(
    State(st): State<AppState>,
    a: Auth,
    Params(q): Params<InclusionQuery>,
) -> Result<Json<custodian_ledger::ProofFile>, ApiError> {
    ledger_reader(&a)?;
    let vault = st.vault.clone();
    let file = blocking(move || {
        let proof = vault.inclusion_proof(q.index, q.tree_size)?;
        let entry = vault
            .ledger_entries(q.index, q.index + 1)?
            .pop()
            .map(|(_, e)| e)
            .ok_or_else(|| {
                custodian_core::CoreError::NotFound(format!("entry {} not found", q.index))
            })?;
        custodian_ledger::ProofFile::inclusion(&proof, &entry)
            .map_err(|e| custodian_core::CoreError::Integrity(e.to_string()))
    })
    .await?;
    Ok(Json(file))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ConsistencyQuery {
    size1: u64,
    size2: u64,
}

#[utoipa::path(get, path = "/v1/ledger/proofs/consistency", params(ConsistencyQuery), responses((status = 200, description = "Consistency proof file")))]
async fn consistency_proof(
    State(st): State<AppState>,
    a: Auth,
    Params(q): Params<ConsistencyQuery>,
) -> Result<Json<custodian_ledger::ProofFile>, ApiError> {
    ledger_reader(&a)?;
    let vault = st.vault.clone();
    let proof = blocking(move || vault.consistency_proof(q.size1, q.size2)).await?;
    Ok(Json(custodian_ledger::ProofFile::consistency(&proof)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ScanBody {
    /// Text to scan.
    text: Option<String>,
    /// A JSON document to scan (keys count as context).
    #[schema(value_type = Option<Object>)]
    json: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct ScanFinding {
    #[serde(rename = "type")]
    pi_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<String>,
    start: usize,
    end: usize,
    score: f32,
    masked: String,
}

#[utoipa::path(post, path = "/v1/scan", request_body = ScanBody, responses((status = 200, description = "Findings, masked")))]
async fn scan(
    _a: Auth,
    headers: HeaderMap,
    Body(b): Body<ScanBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let _ = headers;
    let det = custodian_detect::Detector::new();
    let mut out = Vec::new();
    match (b.text, b.json) {
        (Some(t), None) => {
            for f in det.scan_str(&t) {
                let orig = t.get(f.bstart..f.bend).unwrap_or("");
                out.push(ScanFinding {
                    pi_type: f.pi_type.name(),
                    pointer: None,
                    start: f.start,
                    end: f.end,
                    score: f.score,
                    masked: custodian_detect::mask::mask(f.pi_type, orig),
                });
            }
        }
        (None, Some(v)) => {
            for j in custodian_detect::records::scan_json(&det, &v) {
                let orig = match v.pointer(&j.pointer) {
                    Some(serde_json::Value::String(s)) => s
                        .get(j.finding.bstart..j.finding.bend)
                        .unwrap_or("")
                        .to_string(),
                    Some(other) => other
                        .to_string()
                        .get(j.finding.bstart..j.finding.bend)
                        .unwrap_or("")
                        .to_string(),
                    None => String::new(),
                };
                out.push(ScanFinding {
                    pi_type: j.finding.pi_type.name(),
                    pointer: Some(j.pointer),
                    start: j.finding.start,
                    end: j.finding.end,
                    score: j.finding.score,
                    masked: custodian_detect::mask::mask(j.finding.pi_type, &orig),
                });
            }
        }
        _ => {
            return Err(ApiError::bad_request(
                "invalid",
                "give exactly one of `text` and `json`",
            ));
        }
    }
    Ok(Json(serde_json::json!({ "findings": out })))
}

#[utoipa::path(post, path = "/v1/orders", request_body(content = String, content_type = "text/plain", description = "A signed order: canonical JSON signed as a C2SP note"), responses((status = 201, description = "Stored; in force from its effective time"), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
async fn submit_order(
    State(st): State<AppState>,
    a: Auth,
    body: Bytes,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    match a.0.role {
        Role::Regulator => {}
        _ => {
            return Err(ApiError::forbidden(
                "orders are submitted with a regulator key",
            ));
        }
    }
    let note = String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::bad_request("bad_body", "the order is not UTF-8"))?;
    let vault = st.vault.clone();
    let o = blocking(move || vault.submit_order(&note)).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "order": o }))))
}

fn order_reader(a: &Auth) -> Result<Option<TenantId>, ApiError> {
    match &a.0.role {
        Role::Regulator | Role::Admin => Ok(None),
        Role::Dpo { tenant } => Ok(Some(tenant.clone())),
        Role::Service { .. } => Err(ApiError::forbidden(
            "orders are for regulators, admins and the target tenant's DPO",
        )),
    }
}

#[utoipa::path(get, path = "/v1/orders", responses((status = 200, description = "Orders and their status")))]
async fn list_orders(
    State(st): State<AppState>,
    a: Auth,
) -> Result<Json<serde_json::Value>, ApiError> {
    let tenant = order_reader(&a)?;
    let rows: Vec<serde_json::Value> = st
        .vault
        .list_orders(tenant.as_ref())
        .into_iter()
        .map(|(o, s)| serde_json::json!({"order": o, "status": s}))
        .collect();
    Ok(Json(serde_json::json!({ "orders": rows })))
}

#[utoipa::path(get, path = "/v1/orders/{id}", params(("id" = String, Path, description = "Order id")), responses((status = 200, description = "The order and its status"), (status = 404, body = ApiError)))]
async fn get_order(
    State(st): State<AppState>,
    a: Auth,
    Segments(id): Segments<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let tenant = order_reader(&a)?;
    let (o, s) = st
        .vault
        .list_orders(tenant.as_ref())
        .into_iter()
        .find(|(o, _)| o.id == id)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("order `{id}` not found"),
            )
        })?;
    Ok(Json(serde_json::json!({"order": o, "status": s})))
}
