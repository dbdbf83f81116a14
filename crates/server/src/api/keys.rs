//! API keys: created by the administrator, shown once, revoked.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use custodian_core::access::{Access, DpoScope, Role, ServiceScope};
use custodian_core::ids::{ServiceName, TenantId};
use custodian_core::store::ApiKeyRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{Allowed, Body, Segments, blocking, op, parse};
use crate::Shared;
use crate::error::ApiError;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewKey {
    /// `service`, `dpo`, `regulator` or `admin`.
    role: String,
    tenant: Option<String>,
    service: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct KeyView {
    id: String,
    role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<String>,
    revoked: bool,
    /// The secret: returned once, on creation only.
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
}

fn key_view(r: &ApiKeyRecord, key: Option<String>) -> KeyView {
    KeyView {
        id: r.id.clone(),
        role: r.role.as_str(),
        tenant: r.tenant.as_ref().map(ToString::to_string),
        service: r.service.as_ref().map(ToString::to_string),
        revoked: r.revoked_at.is_some(),
        key,
    }
}

#[utoipa::path(post, path = "/v1/keys", request_body = NewKey, responses((status = 201, body = KeyView), (status = 400, body = ApiError), (status = 403, body = ApiError)))]
pub(super) async fn create_key(
    State(st): State<Shared>,
    a: Allowed<op::ManageKeys>,
    Body(b): Body<NewKey>,
) -> Result<(StatusCode, Json<KeyView>), ApiError> {
    let admin = a.admin()?;
    let tenant = b
        .tenant
        .as_deref()
        .map(|t| parse(TenantId::parse(t), "tenant"))
        .transpose()?;
    let service = b
        .service
        .as_deref()
        .map(|s| parse(ServiceName::parse(s), "service name"))
        .transpose()?;
    let access = match (Role::parse(&b.role), tenant, service) {
        (Some(Role::Service), Some(t), Some(s)) => Access::Service(ServiceScope::new(t, s)),
        (Some(Role::Dpo), Some(t), None) => Access::Dpo(DpoScope::new(t)),
        (Some(Role::Regulator), None, None) => Access::Regulator,
        (Some(Role::Admin), None, None) => Access::Admin,
        _ => {
            return Err(ApiError::bad_request(
                "invalid",
                "role must be `service` (with tenant and service), `dpo` (with tenant), `regulator` or `admin`",
            ));
        }
    };
    let vault = st.vault.clone();
    let (rec, secret) = blocking(move || vault.create_api_key(&admin, access)).await?;
    Ok((
        StatusCode::CREATED,
        Json(key_view(&rec, Some(secret.expose().to_string()))),
    ))
}

#[utoipa::path(get, path = "/v1/keys", responses((status = 200, body = Vec<KeyView>)))]
pub(super) async fn list_keys(
    State(st): State<Shared>,
    a: Allowed<op::ManageKeys>,
) -> Result<Json<Vec<KeyView>>, ApiError> {
    let admin = a.admin()?;
    let vault = st.vault.clone();
    let keys = blocking(move || vault.api_keys(&admin)).await?;
    Ok(Json(keys.iter().map(|k| key_view(k, None)).collect()))
}

#[utoipa::path(delete, path = "/v1/keys/{id}", params(("id" = String, Path, description = "Key id")), responses((status = 204), (status = 404, body = ApiError)))]
pub(super) async fn revoke_key(
    State(st): State<Shared>,
    a: Allowed<op::ManageKeys>,
    Segments(id): Segments<String>,
) -> Result<StatusCode, ApiError> {
    let admin = a.admin()?;
    let vault = st.vault.clone();
    blocking(move || vault.revoke_api_key(&admin, &id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
