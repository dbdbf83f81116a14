//! Single values of a living subject: the person's correction (rectification), legal holds
//! that keep a subject's values, and the retention sweeper on demand.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use custodian_core::ids::{HoldReason, SubjectId, Token};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{Allowed, Body, Segments, blocking, op, parse};
use crate::Shared;
use crate::error::ApiError;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Rectification {
    /// The token of the value to correct (it keeps standing for the corrected value).
    token: String,
    /// The corrected value, of the field's type.
    value: String,
}

#[utoipa::path(post, path = "/v1/subjects/{subject}/rectify", params(("subject" = String, Path, description = "Subject id")), request_body = Rectification, responses((status = 204, description = "Replaced; the old value is sealed under a key the cell no longer keeps"), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub(super) async fn rectify(
    State(st): State<Shared>,
    a: Allowed<op::Rectify>,
    Segments(subject): Segments<String>,
    Body(b): Body<Rectification>,
) -> Result<StatusCode, ApiError> {
    let scope = a.dpo()?;
    let subject = parse(SubjectId::parse(&subject), "subject")?;
    let token = parse(Token::parse(&b.token), "token")?;
    let vault = st.vault.clone();
    blocking(move || vault.rectify(&scope, &subject, &token, &b.value)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Hold {
    /// Why, as a label (`tax_records_5y`, `case-2026-117`): 1-64 characters of
    /// `a-z A-Z 0-9 _ - .`, never free text.
    reason: String,
}

#[utoipa::path(put, path = "/v1/subjects/{subject}/hold", params(("subject" = String, Path, description = "Subject id")), request_body = Hold, responses((status = 204, description = "Held: erasure, rectification and sweeping are refused until released"), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub(super) async fn set_hold(
    State(st): State<Shared>,
    a: Allowed<op::LegalHold>,
    Segments(subject): Segments<String>,
    Body(b): Body<Hold>,
) -> Result<StatusCode, ApiError> {
    let scope = a.dpo()?;
    let subject = parse(SubjectId::parse(&subject), "subject")?;
    let reason = parse(HoldReason::parse(&b.reason), "hold reason")?;
    let vault = st.vault.clone();
    blocking(move || vault.set_legal_hold(&scope, &subject, Some(&reason))).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/v1/subjects/{subject}/hold", params(("subject" = String, Path, description = "Subject id")), responses((status = 204, description = "Released"), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub(super) async fn release_hold(
    State(st): State<Shared>,
    a: Allowed<op::LegalHold>,
    Segments(subject): Segments<String>,
) -> Result<StatusCode, ApiError> {
    let scope = a.dpo()?;
    let subject = parse(SubjectId::parse(&subject), "subject")?;
    let vault = st.vault.clone();
    blocking(move || vault.set_legal_hold(&scope, &subject, None)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub(super) struct SweepView {
    /// Values destroyed.
    values: u64,
    /// Subjects re-keyed.
    subjects: u64,
}

#[utoipa::path(post, path = "/v1/retention/sweep", responses((status = 200, body = SweepView), (status = 403, body = ApiError)))]
pub(super) async fn sweep(
    State(st): State<Shared>,
    a: Allowed<op::SweepRetention>,
) -> Result<Json<SweepView>, ApiError> {
    let admin = a.admin()?;
    let vault = st.vault.clone();
    let r = blocking(move || vault.sweep_retention(&admin)).await?;
    Ok(Json(SweepView {
        values: r.values,
        subjects: r.subjects,
    }))
}
