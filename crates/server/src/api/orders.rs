//! Regulator orders: submitted signed, listed with their status.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;

use custodian_core::vault::OrderView;

use super::extract::{Allowed, Segments, blocking, op};
use crate::Shared;
use crate::error::ApiError;

#[utoipa::path(post, path = "/v1/orders", request_body(content = String, content_type = "text/plain", description = "A signed order: canonical JSON signed as a C2SP note"), responses((status = 201, description = "Stored; in force from its effective time"), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub(super) async fn submit_order(
    State(st): State<Shared>,
    a: Allowed<op::SubmitOrder>,
    body: Bytes,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let regulator = a.regulator()?;
    let note = String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::bad_request("bad_body", "the order is not UTF-8"))?;
    let vault = st.vault.clone();
    let o = blocking(move || vault.submit_order(&regulator, &note)).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "order": o }))))
}

#[utoipa::path(get, path = "/v1/orders", responses((status = 200, description = "Orders and their status")))]
pub(super) async fn list_orders(
    State(st): State<Shared>,
    a: Allowed<op::ReadOrders>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.scope()?;
    let vault = st.vault.clone();
    let rows: Vec<serde_json::Value> = blocking(move || Ok(vault.list_orders(&scope)))
        .await?
        .iter()
        .map(view)
        .collect();
    Ok(Json(serde_json::json!({ "orders": rows })))
}

#[utoipa::path(get, path = "/v1/orders/{id}", params(("id" = String, Path, description = "Order id")), responses((status = 200, description = "The order and its status"), (status = 404, body = ApiError)))]
pub(super) async fn get_order(
    State(st): State<Shared>,
    a: Allowed<op::ReadOrders>,
    Segments(id): Segments<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.scope()?;
    let vault = st.vault.clone();
    let v = blocking(move || Ok(vault.list_orders(&scope)))
        .await?
        .into_iter()
        .find(|v| v.order.id == id)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "the order was not found",
            )
        })?;
    Ok(Json(view(&v)))
}

/// An order as listed: the document, its status, the signed note as submitted (verify it
/// offline against the regulator's key; withheld from a tenant's keys when the order names
/// other tenants too) and the keys that signed it.
fn view(v: &OrderView) -> serde_json::Value {
    let mut out = serde_json::json!({
        "order": v.order,
        "status": v.status.as_str(),
        "signed_by": v.signed_by,
    });
    match &v.note {
        Some(n) => out["note"] = serde_json::Value::String(n.clone()),
        None => {
            out["note_withheld"] =
                serde_json::Value::String("the order names other tenants too".into());
        }
    }
    out
}
