//! The caller's own key: what the console signs in with.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::extract::{Allowed, op};
use crate::Shared;
use crate::error::ApiError;

/// The key a request was made with: never its secret.
#[derive(Serialize, ToSchema)]
pub(super) struct SessionView {
    /// The key's id (`key_…`).
    key_id: String,
    /// `admin`, `service`, `dpo` or `regulator`.
    role: &'static str,
    /// The tenant the key is bound to (services and DPOs).
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant: Option<String>,
    /// The cell's jurisdiction (ISO code).
    jurisdiction: String,
}

#[utoipa::path(get, path = "/v1/session", responses((status = 200, body = SessionView, description = "The caller's key: id, role, tenant"), (status = 401, body = ApiError)))]
pub(super) async fn session(
    State(st): State<Shared>,
    a: Allowed<op::Session>,
) -> Result<Json<SessionView>, ApiError> {
    let scope = a.scope()?;
    Ok(Json(SessionView {
        key_id: a.0.key_id.clone(),
        role: a.0.access.role().as_str(),
        tenant: scope.tenant().map(|t| t.as_str().to_string()),
        jurisdiction: st.vault.jurisdiction().to_string(),
    }))
}
