//! Tenants and their manifests.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use custodian_core::ids::TenantId;
use custodian_core::vault::FieldLine;
use serde::Serialize;
use utoipa::ToSchema;

use super::extract::{Allowed, Segments, blocking, op, parse};
use crate::Shared;
use crate::error::{ApiError, ProblemView};

#[derive(Serialize, ToSchema)]
pub(super) struct TenantView {
    id: String,
    app_type: String,
    self_declared: bool,
}

#[utoipa::path(get, path = "/v1/tenants", security(("bearer" = [])), responses((status = 200, body = Vec<TenantView>), (status = 403, body = ApiError)))]
pub(super) async fn list_tenants(
    State(st): State<Shared>,
    a: Allowed<op::ListTenants>,
) -> Result<Json<Vec<TenantView>>, ApiError> {
    // Cell-wide roles only (the administrator, a regulator): the matrix admits no other.
    let scope = a.scope()?;
    let vault = st.vault.clone();
    let out = blocking(move || {
        vault
            .tenant_ids()
            .into_iter()
            .filter(|t| scope.covers(t))
            .map(|t| {
                let m = vault.manifest(&t)?;
                Ok(TenantView {
                    id: t.to_string(),
                    app_type: m.app_type.id().to_string(),
                    self_declared: m.app_type.is_self_declared(),
                })
            })
            .collect()
    })
    .await?;
    Ok(Json(out))
}

#[utoipa::path(put, path = "/v1/tenants/{tenant}/manifest", params(("tenant" = String, Path, description = "Tenant id")), request_body(content = String, content_type = "text/plain", description = "The manifest's TOML (also accepted as application/toml)"), responses((status = 200, description = "Loaded; notes returned"), (status = 422, body = ApiError)))]
pub(super) async fn put_manifest(
    State(st): State<Shared>,
    a: Allowed<op::PutManifest>,
    Segments(tenant): Segments<String>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let admin = a.admin()?;
    let tenant = parse(TenantId::parse(&tenant), "tenant")?;
    let src = String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::bad_request("bad_body", "the manifest is not UTF-8"))?;
    let vault = st.vault.clone();
    let notes = blocking(move || vault.load_manifest(&admin, &tenant, &src)).await?;
    let notes: Vec<ProblemView> = notes.iter().map(ProblemView::from).collect();
    Ok(Json(serde_json::json!({ "notes": notes })))
}

#[utoipa::path(get, path = "/v1/tenants/{tenant}/manifest", params(("tenant" = String, Path, description = "Tenant id")), responses((status = 200, description = "The manifest's TOML")))]
pub(super) async fn get_manifest(
    State(st): State<Shared>,
    a: Allowed<op::ReadManifest>,
    Segments(tenant): Segments<String>,
) -> Result<Response, ApiError> {
    let tenant = parse(TenantId::parse(&tenant), "tenant")?;
    if !a.scope()?.covers(&tenant) {
        return Err(a.refuse_tenant(&st, "another tenant's manifest").await);
    }
    let vault = st.vault.clone();
    let m = blocking(move || vault.manifest(&tenant)).await?;
    Ok(([(header::CONTENT_TYPE, "application/toml")], m.source).into_response())
}

/// What the manifest checker says of a manifest, without loading it.
#[derive(Serialize, ToSchema)]
pub(super) struct CheckView {
    /// Whether it would load (no errors).
    ok: bool,
    /// The app type, when it parsed.
    #[serde(skip_serializing_if = "Option::is_none")]
    app_type: Option<String>,
    /// Errors and notes, each with its line and rule.
    problems: Vec<ProblemView>,
    /// The fields, when it loads, as the compliance report lists them: each with the
    /// necessary-PI item it is (absent: beyond the necessary scope).
    #[schema(value_type = Vec<Object>)]
    fields: Vec<FieldLine>,
}

#[utoipa::path(post, path = "/v1/manifests/check", request_body(content = String, content_type = "text/plain", description = "A manifest's TOML"), responses((status = 200, body = CheckView, description = "The checker's problems and, when it loads, its fields against the necessary scope; nothing is loaded")))]
pub(super) async fn check_manifest(
    a: Allowed<op::ReadManifest>,
    body: Bytes,
) -> Result<Json<CheckView>, ApiError> {
    a.scope()?;
    let src = String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::bad_request("bad_body", "the manifest is not UTF-8"))?;
    let view = match custodian_core::manifest::Manifest::load(&src) {
        Ok(m) => CheckView {
            ok: true,
            app_type: Some(m.app_type.id().to_string()),
            problems: m.notes.iter().map(ProblemView::from).collect(),
            fields: m.fields.iter().map(FieldLine::of).collect(),
        },
        Err(problems) => CheckView {
            ok: false,
            app_type: None,
            problems: problems.iter().map(ProblemView::from).collect(),
            fields: Vec::new(),
        },
    };
    Ok(Json(view))
}
