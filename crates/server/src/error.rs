//! The one error shape of the API, and the one place statuses are chosen.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use custodian_core::CoreError;
use custodian_core::access::AccessError;
use custodian_core::decision::ReasonCode;

use custodian_core::manifest::Problem;
use utoipa::ToSchema;

/// The status of a refusal, by its first reason: a subject of another jurisdiction belongs
/// to another cell (421 Misdirected); an erased subject, a role already given, or a transfer
/// already received, is a conflict
/// (409); a request naming
/// something the manifest does not declare, or a value not of its field's type, is
/// unprocessable (422); every other refusal is forbidden (403).
pub fn status_of(code: ReasonCode) -> StatusCode {
    match code {
        ReasonCode::WrongJurisdiction => StatusCode::MISDIRECTED_REQUEST,
        ReasonCode::SubjectErased
        | ReasonCode::SubjectRoleFixed
        | ReasonCode::LegalHold
        | ReasonCode::AlreadyReceived => StatusCode::CONFLICT,
        c if c.is_unprocessable() => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::FORBIDDEN,
    }
}

impl From<AccessError> for ApiError {
    fn from(e: AccessError) -> ApiError {
        ApiError::forbidden(e.to_string())
    }
}
use serde::Serialize;

/// An error as the API returns it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiError {
    #[serde(skip)]
    status: u16,
    /// Machine-readable code, e.g. `consent_missing`.
    pub code: String,
    /// A sentence naming the field and the rule. Never holds a PI value.
    pub message: String,
    /// The order that caused the refusal, if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// Manifest problems (422), each with its line and rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<ProblemView>>,
    /// For a subject of another jurisdiction (421): the URL of the cell that serves it, from
    /// the cell directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<Box<str>>,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: status.as_u16(),
            code: code.to_string(),
            message: message.into(),
            order: None,
            problems: None,
            cell: None,
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub(crate) fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid API key is required: `Authorization: Bearer <key>`",
        )
    }

    pub(crate) fn forbidden(msg: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", msg)
    }

    pub(crate) fn bad_request(code: &str, msg: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, msg)
    }
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> ApiError {
        match e {
            CoreError::Invalid(m) => ApiError::new(StatusCode::BAD_REQUEST, "invalid", m),
            CoreError::NotFound(m) => ApiError::new(StatusCode::NOT_FOUND, "not_found", m),
            CoreError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            CoreError::Denied(reasons) => {
                let first = reasons.first().map(|r| r.code);
                let code = first.map_or("denied", ReasonCode::as_str);
                let status = first.map_or(StatusCode::FORBIDDEN, status_of);
                let message = reasons
                    .iter()
                    .map(|r| r.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                let mut err = ApiError::new(status, code, message);
                err.order = reasons.iter().find_map(|r| r.order.clone());
                err
            }
            CoreError::Manifest(problems) => {
                let mut err = ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "manifest_invalid",
                    format!(
                        "the manifest has {} problem(s)",
                        problems
                            .iter()
                            .filter(|p| p.severity == custodian_core::manifest::Severity::Error)
                            .count()
                    ),
                );
                err.problems = Some(problems.iter().map(ProblemView::from).collect());
                err
            }
            CoreError::Order(e) => {
                use custodian_core::orders::OrderError;
                let status = match &e {
                    OrderError::Signature(_) => StatusCode::FORBIDDEN,
                    OrderError::Malformed(_) => StatusCode::BAD_REQUEST,
                    OrderError::Expired(_) | OrderError::Replayed(_) => StatusCode::CONFLICT,
                    OrderError::UnknownLift(..) => StatusCode::NOT_FOUND,
                    OrderError::KeyOrder(_) => StatusCode::FORBIDDEN,
                };
                ApiError::new(status, e.code(), e.to_string())
            }
            CoreError::Stale => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the cell's tenants or orders, or a subject the act read, kept changing; retry",
            ),
            // Not 503 (turned away before it was carried out, so always safe to resend): a
            // client resends this only with the same idempotency key.
            CoreError::OutcomeUnknown(m) => {
                tracing::error!(detail = %m, "store error, outcome unknown");
                ApiError::new(
                    StatusCode::GATEWAY_TIMEOUT,
                    "outcome_unknown",
                    "the database failed while committing: whether the act took effect is \
                     unknown; resend it with the same idempotency key to learn which",
                )
            }
            CoreError::Store(m) => {
                tracing::error!(detail = %m, "store error");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the store is unavailable; retry later",
                )
            }
            other => {
                tracing::error!(detail = %causes(&other), "internal error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error",
                )
            }
        }
    }
}

/// An error and its causes, outermost first, joined by `: `.
fn causes(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(c) = next {
        out.push_str(": ");
        out.push_str(&c.to_string());
        next = c.source();
    }
    out
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status(), Json(self)).into_response()
    }
}

/// A manifest problem as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemView {
    /// 1-based line in the manifest (0: not tied to a line).
    pub line: usize,
    /// The rule, e.g. `beyond_necessary_scope_without_consent`.
    pub rule: &'static str,
    /// A sentence naming the field and the rule.
    pub message: String,
    /// `error` or `note`.
    pub severity: &'static str,
}

impl From<&Problem> for ProblemView {
    fn from(p: &Problem) -> Self {
        ProblemView {
            line: p.line,
            rule: p.rule,
            message: p.message.clone(),
            severity: p.severity.as_str(),
        }
    }
}
