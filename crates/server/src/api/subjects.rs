//! Subjects: registration, consents, the person's copy of their data, erasure.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use custodian_core::access::Scope;
use custodian_core::decision::ConsentChange;
use custodian_core::ids::{Jurisdiction, PurposeId, SubjectId, SubjectRole};
use custodian_core::subject::{Consent, SubjectInfo};
use custodian_core::vault::SubjectExport;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{Allowed, Body, Params, Segments, blocking, op, parse};
use crate::error::ApiError;
use crate::{AppState, Shared};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewSubject {
    /// ISO 3166 code of the subject's jurisdiction, e.g. `CN`.
    jurisdiction: String,
    /// The kind of subject (a role the manifest declares, e.g. `passenger` or `driver`);
    /// absent: the manifest's first consumer-side role.
    #[serde(default)]
    role: Option<String>,
    /// Under 14: processing needs a guardian's consent.
    #[serde(default)]
    minor: bool,
}

#[utoipa::path(post, path = "/v1/subjects", request_body = NewSubject, responses((status = 201, description = "Registered"), (status = 403, body = ApiError), (status = 421, body = ApiError), (status = 422, body = ApiError)))]
pub(super) async fn register(
    State(st): State<Shared>,
    a: Allowed<op::Register>,
    Body(b): Body<NewSubject>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let scope = a.service()?;
    let j = parse(Jurisdiction::parse(&b.jurisdiction), "jurisdiction")?;
    let role = b
        .role
        .as_deref()
        .map(|r| parse(SubjectRole::parse(r), "role"))
        .transpose()?;
    let vault = st.vault.clone();
    // A subject of another jurisdiction belongs to that jurisdiction's cell: say which.
    let elsewhere: Option<Box<str>> = st.cells.get(j.as_str()).map(|u| u.as_str().into());
    let s = blocking(move || vault.register(&scope, &j, role.as_ref(), b.minor))
        .await
        .map_err(|mut e| {
            if e.status() == StatusCode::MISDIRECTED_REQUEST {
                e.cell = elsewhere;
            }
            e
        })?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "subject": s.as_str() })),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewConsent {
    purpose: String,
    /// Separate consent (单独同意): sensitive PI, transfers abroad.
    #[serde(default)]
    separate: bool,
    /// Given by a guardian.
    #[serde(default)]
    by_guardian: bool,
}

#[derive(Serialize, ToSchema)]
pub(super) struct ConsentView {
    purpose: String,
    notice_version: String,
    granted_at: i64,
    withdrawn_at: Option<i64>,
    separate: bool,
    by_guardian: bool,
}

impl From<&Consent> for ConsentView {
    fn from(c: &Consent) -> Self {
        ConsentView {
            purpose: c.purpose.to_string(),
            notice_version: c.notice_version.clone(),
            granted_at: c.granted_at,
            withdrawn_at: c.withdrawn_at,
            separate: c.separate,
            by_guardian: c.by_guardian,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub(super) struct SubjectView {
    id: String,
    tenant: String,
    jurisdiction: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    minor: bool,
    registered_at: i64,
    erased: bool,
}

impl From<&SubjectInfo> for SubjectView {
    fn from(s: &SubjectInfo) -> Self {
        SubjectView {
            id: s.id.to_string(),
            tenant: s.tenant.to_string(),
            jurisdiction: s.jurisdiction.to_string(),
            role: s.role.as_ref().map(ToString::to_string),
            minor: s.minor,
            registered_at: s.registered_at,
            erased: s.erased,
        }
    }
}

fn change(
    st: &AppState,
    scope: Scope,
    subject: SubjectId,
    purpose: PurposeId,
    change: ConsentChange,
) -> impl FnOnce() -> Result<(), custodian_core::CoreError> + Send + 'static {
    let vault = st.vault.clone();
    move || match &scope {
        Scope::Service(s) => vault.change_consent(s, &subject, &purpose, change),
        Scope::Dpo(d) => vault.change_consent(d, &subject, &purpose, change),
        Scope::Admin(_) | Scope::Regulator(_) => Err(custodian_core::CoreError::Invalid(
            "consents are changed by the tenant's service or DPO".into(),
        )),
    }
}

#[utoipa::path(post, path = "/v1/subjects/{subject}/consents", params(("subject" = String, Path, description = "Subject id")), request_body = NewConsent, responses((status = 201), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub(super) async fn grant_consent(
    State(st): State<Shared>,
    a: Allowed<op::Consents>,
    Segments(subject): Segments<String>,
    Body(b): Body<NewConsent>,
) -> Result<StatusCode, ApiError> {
    let scope = a.scope()?;
    let subject = parse(SubjectId::parse(&subject), "subject")?;
    let purpose = parse(PurposeId::parse(&b.purpose), "purpose")?;
    let grant = ConsentChange::Grant {
        separate: b.separate,
        by_guardian: b.by_guardian,
    };
    blocking(change(&st, scope, subject, purpose, grant)).await?;
    Ok(StatusCode::CREATED)
}

#[utoipa::path(get, path = "/v1/subjects/{subject}/consents", params(("subject" = String, Path, description = "Subject id")), responses((status = 200, description = "The subject's consents")))]
pub(super) async fn list_consents(
    State(st): State<Shared>,
    a: Allowed<op::Consents>,
    Segments(subject): Segments<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.scope()?;
    let subject = parse(SubjectId::parse(&subject), "subject")?;
    let vault = st.vault.clone();
    let c = blocking(move || match &scope {
        Scope::Service(s) => vault.consents(s, &subject),
        Scope::Dpo(d) => vault.consents(d, &subject),
        Scope::Admin(_) | Scope::Regulator(_) => Ok(Vec::new()),
    })
    .await?;
    let c: Vec<ConsentView> = c.iter().map(ConsentView::from).collect();
    Ok(Json(serde_json::json!({ "consents": c })))
}

#[utoipa::path(delete, path = "/v1/subjects/{subject}/consents/{purpose}", params(("subject" = String, Path, description = "Subject id"), ("purpose" = String, Path, description = "Purpose id")), responses((status = 204), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub(super) async fn withdraw_consent(
    State(st): State<Shared>,
    a: Allowed<op::Consents>,
    Segments((subject, purpose)): Segments<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let scope = a.scope()?;
    let subject = parse(SubjectId::parse(&subject), "subject")?;
    let purpose = parse(PurposeId::parse(&purpose), "purpose")?;
    blocking(change(
        &st,
        scope,
        subject,
        purpose,
        ConsentChange::Withdraw,
    ))
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub(super) struct ExportedValueView {
    field: String,
    pi_type: &'static str,
    token: String,
    /// The value, in clear: this is the person's own copy.
    value: String,
    purpose: String,
    collected_at: i64,
    /// Every later read, lookup or transfer of it the ledger records.
    uses: Vec<UseView>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct UseView {
    /// `detokenize`, `lookup` or `transfer`.
    kind: &'static str,
    at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    purpose: Option<String>,
    /// The service that received it.
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    destination: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct ExportView {
    subject: SubjectView,
    consents: Vec<ConsentView>,
    values: Vec<ExportedValueView>,
}

impl From<&SubjectExport> for ExportView {
    fn from(e: &SubjectExport) -> Self {
        ExportView {
            subject: SubjectView::from(&e.subject),
            consents: e.consents.iter().map(ConsentView::from).collect(),
            values: e
                .values
                .iter()
                .map(|v| ExportedValueView {
                    field: v.field.to_string(),
                    pi_type: v.pi_type,
                    token: v.token.to_string(),
                    value: v.value.expose().to_string(),
                    purpose: v.purpose.to_string(),
                    collected_at: v.collected_at,
                    uses: v
                        .uses
                        .iter()
                        .map(|u| UseView {
                            kind: u.kind,
                            at: u.at,
                            purpose: u.purpose.clone(),
                            service: u.service.clone(),
                            destination: u.destination.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A CSV field, quoted when it must be (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The export as CSV, one row per value: field, type, token, value, collection purpose and time,
/// and the purposes, services and destinations of its later uses (`;`-separated, in order).
fn export_csv(e: &SubjectExport) -> String {
    let mut out = String::from(
        "field,pi_type,token,value,purpose,collected_at,used_for,used_by,transferred_to\r\n",
    );
    for v in &e.values {
        let join = |f: &dyn Fn(&custodian_core::vault::ValueUse) -> Option<String>| {
            v.uses.iter().filter_map(f).collect::<Vec<_>>().join(";")
        };
        let row = [
            v.field.to_string(),
            v.pi_type.to_string(),
            v.token.to_string(),
            v.value.expose().to_string(),
            v.purpose.to_string(),
            v.collected_at.to_string(),
            join(&|u| u.purpose.clone()),
            join(&|u| u.service.clone()),
            join(&|u| u.destination.clone()),
        ];
        out.push_str(
            &row.iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct ExportQuery {
    /// `json` (the default) or `csv` (one row per value, for portability).
    #[serde(default)]
    format: Option<String>,
}

#[utoipa::path(get, path = "/v1/subjects/{subject}/export", params(("subject" = String, Path, description = "Subject id"), ExportQuery), responses((status = 200, body = ExportView, description = "Everything about the subject, with each value's uses (JSON, or CSV with format=csv)"), (status = 400, body = ApiError), (status = 403, body = ApiError)))]
pub(super) async fn export_subject(
    State(st): State<Shared>,
    a: Allowed<op::Export>,
    Segments(subject): Segments<String>,
    Params(q): Params<ExportQuery>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let scope = a.dpo()?;
    let subject = parse(SubjectId::parse(&subject), "subject")?;
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid",
                "format must be json or csv",
            ));
        }
    };
    let vault = st.vault.clone();
    let e = blocking(move || vault.export_subject(&scope, &subject)).await?;
    Ok(if csv {
        (
            [(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            export_csv(&e),
        )
            .into_response()
    } else {
        Json(ExportView::from(&e)).into_response()
    })
}

/// The receipt of an erasure, for the person to keep: save `checkpoint` and `inclusion` (or the
/// whole object) and check them offline with `custodian ledger verify --receipt FILE --key …`.
#[derive(Serialize, ToSchema)]
pub(super) struct ErasureReceipt {
    /// The ledger entry's index.
    index: u64,
    /// The cell's signed checkpoint (a C2SP signed note) of a ledger holding the entry.
    checkpoint: String,
    /// The entry's inclusion proof in that ledger (the proof file `custodian ledger verify`
    /// reads), with the entry itself.
    #[schema(value_type = Object)]
    inclusion: custodian_ledger::ProofFile,
}

#[utoipa::path(delete, path = "/v1/subjects/{subject}", params(("subject" = String, Path, description = "Subject id")), responses((status = 200, body = ErasureReceipt, description = "Erased: the data key is destroyed; the receipt proves the ledger records it"), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub(super) async fn erase_subject(
    State(st): State<Shared>,
    a: Allowed<op::Erase>,
    Segments(subject): Segments<String>,
) -> Result<Json<ErasureReceipt>, ApiError> {
    let scope = a.dpo()?;
    let subject = parse(SubjectId::parse(&subject), "subject")?;
    let vault = st.vault.clone();
    let r = blocking(move || vault.erase_subject(&scope, &subject)).await?;
    let inclusion = custodian_ledger::ProofFile::inclusion(&r.proof, &r.entry)
        .map_err(|e| ApiError::from(custodian_core::CoreError::Integrity(e.to_string())))?;
    Ok(Json(ErasureReceipt {
        index: r.index,
        checkpoint: r.checkpoint,
        inclusion,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RoleBody {
    /// A subject role the manifest declares (e.g. `driver`).
    role: String,
}

#[utoipa::path(put, path = "/v1/subjects/{subject}/role", params(("subject" = String, Path, description = "Subject id")), request_body = RoleBody, responses((status = 204, description = "The role is given (once: subjects registered before the manifest declared roles)"), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub(super) async fn assign_role(
    State(st): State<Shared>,
    a: Allowed<op::AssignRole>,
    Segments(subject): Segments<String>,
    Body(b): Body<RoleBody>,
) -> Result<StatusCode, ApiError> {
    let scope = a.dpo()?;
    let subject = parse(SubjectId::parse(&subject), "subject")?;
    let role = parse(SubjectRole::parse(&b.role), "role")?;
    let vault = st.vault.clone();
    blocking(move || vault.assign_role(&scope, &subject, &role)).await?;
    Ok(StatusCode::NO_CONTENT)
}
