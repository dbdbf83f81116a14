//! A person's requests as records: the DPO records and answers them, the DPO (its tenant), the
//! regulator and the administrator list them — overdue ones with `?overdue=true`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use custodian_core::ids::{HoldReason, SubjectId};
use custodian_core::requests::{RequestKind, RequestRecord, RequestStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{Allowed, Body, Params, Segments, blocking, op, parse};
use crate::Shared;
use crate::error::ApiError;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewRequest {
    subject: String,
    /// `access`, `copy`, `portability`, `rectification`, `erasure`, `withdrawal` or
    /// `account_cancellation`.
    kind: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct RequestView {
    id: String,
    tenant: String,
    subject: String,
    kind: &'static str,
    /// Milliseconds since the Unix epoch.
    received_at: i64,
    /// The answer is due by then (working days after receipt).
    deadline: i64,
    /// `open`, `completed` or `refused`.
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    refusal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closed_at: Option<i64>,
    /// Open past its deadline.
    overdue: bool,
}

fn view(r: &RequestRecord, now: i64) -> RequestView {
    RequestView {
        id: r.id.clone(),
        tenant: r.tenant.to_string(),
        subject: r.subject.to_string(),
        kind: r.kind.as_str(),
        received_at: r.received_at,
        deadline: r.deadline,
        status: r.status.as_str(),
        refusal: match &r.status {
            RequestStatus::Refused(l) => Some(l.to_string()),
            _ => None,
        },
        closed_at: r.closed_at,
        overdue: r.overdue(now),
    }
}

#[utoipa::path(post, path = "/v1/requests", request_body = NewRequest, responses((status = 201, body = RequestView), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(super) async fn open_request(
    State(st): State<Shared>,
    a: Allowed<op::Requests>,
    Body(b): Body<NewRequest>,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let scope = a.dpo()?;
    let subject = parse(SubjectId::parse(&b.subject), "subject")?;
    let kind = RequestKind::parse(&b.kind).ok_or_else(|| {
        ApiError::bad_request(
            "invalid",
            "kind must be access, copy, portability, rectification, erasure, withdrawal or account_cancellation",
        )
    })?;
    let vault = st.vault.clone();
    let now = st.vault.time();
    let r = blocking(move || vault.open_request(&scope, &subject, kind)).await?;
    Ok((StatusCode::CREATED, Json(view(&r, now))))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Answer {
    /// `completed` or `refused`.
    outcome: String,
    /// For a refusal: why, as a label (`identity_not_verified`), never free text.
    #[serde(default)]
    reason: Option<String>,
}

#[utoipa::path(post, path = "/v1/requests/{id}/close", params(("id" = String, Path, description = "Request id")), request_body = Answer, responses((status = 200, body = RequestView), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub(super) async fn close_request(
    State(st): State<Shared>,
    a: Allowed<op::Requests>,
    Segments(id): Segments<String>,
    Body(b): Body<Answer>,
) -> Result<Json<RequestView>, ApiError> {
    let scope = a.dpo()?;
    let outcome = match (b.outcome.as_str(), b.reason.as_deref()) {
        ("completed", None) => RequestStatus::Completed,
        ("refused", Some(r)) => RequestStatus::Refused(parse(HoldReason::parse(r), "reason")?),
        _ => {
            return Err(ApiError::bad_request(
                "invalid",
                "outcome must be `completed`, or `refused` with a reason label",
            ));
        }
    };
    let vault = st.vault.clone();
    let r = blocking(move || vault.close_request(&scope, &id, outcome)).await?;
    Ok(Json(view(&r, st.vault.time())))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct ListQuery {
    /// Only requests still open past their deadline.
    #[serde(default)]
    overdue: bool,
}

#[utoipa::path(get, path = "/v1/requests", params(ListQuery), responses((status = 200, body = [RequestView]), (status = 403, body = ApiError)))]
pub(super) async fn list_requests(
    State(st): State<Shared>,
    a: Allowed<op::ReadRequests>,
    Params(q): Params<ListQuery>,
) -> Result<Json<Vec<RequestView>>, ApiError> {
    let scope = a.scope()?;
    let vault = st.vault.clone();
    let rs = blocking(move || vault.requests(&scope, q.overdue)).await?;
    let now = st.vault.time();
    Ok(Json(rs.iter().map(|r| view(r, now)).collect()))
}
