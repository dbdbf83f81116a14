//! Transfers abroad: the legal bases a tenant's DPO files, the gate a service sends a
//! transfer through, and the organisation's yearly counts against the CAC thresholds.

use axum::Json;
use axum::extract::State;
use custodian_core::ids::{FieldName, SubjectId, TenantId};
use custodian_core::transfers::{
    BasisKind, GENERAL_ASSESSMENT_FROM, GENERAL_CONTRACT_FROM, Pia, SENSITIVE_ASSESSMENT_FROM,
    TransferBasis,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{Allowed, Body, Params, Segments, blocking, op, parse};
use crate::Shared;
use crate::error::ApiError;

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PiaBody {
    /// The assessment's reference (a label).
    reference: String,
    /// When it was completed (ms since the epoch).
    completed_at: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct BasisBody {
    /// A recipient the manifest declares.
    recipient: String,
    /// `security_assessment`, `standard_contract`, `certification`, `contract_necessity`,
    /// `cross_border_hr`, `emergency` or `small_volume`.
    kind: String,
    /// Approval, filing or certificate number (a label).
    reference: String,
    /// From when it holds (ms since the epoch; default now).
    valid_from: Option<i64>,
    /// Until when (ms since the epoch).
    expires_at: Option<i64>,
    /// The fields it covers.
    fields: Vec<String>,
    /// The PIA done for the line (PIPL Art. 55(4)).
    pia: Option<PiaBody>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct BasisView {
    id: String,
    recipient: String,
    kind: &'static str,
    reference: String,
    valid_from: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<i64>,
    fields: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pia: Option<PiaBody>,
}

fn basis_view(b: &TransferBasis) -> BasisView {
    BasisView {
        id: b.id.clone(),
        recipient: b.recipient.clone(),
        kind: b.kind.as_str(),
        reference: b.reference.clone(),
        valid_from: b.valid_from,
        expires_at: b.expires_at,
        fields: b.fields.iter().map(ToString::to_string).collect(),
        pia: b.pia.as_ref().map(|p| PiaBody {
            reference: p.reference.clone(),
            completed_at: p.completed_at,
        }),
    }
}

#[utoipa::path(put, path = "/v1/tenants/{tenant}/transfer-bases/{id}", params(("tenant" = String, Path, description = "Tenant id"), ("id" = String, Path, description = "Basis id (a label)")), request_body = BasisBody, responses((status = 200, body = BasisView), (status = 400, body = ApiError), (status = 403, body = ApiError)))]
pub(super) async fn put_basis(
    State(st): State<Shared>,
    a: Allowed<op::ManageTransferBases>,
    Segments((tenant, id)): Segments<(String, String)>,
    Body(b): Body<BasisBody>,
) -> Result<Json<BasisView>, ApiError> {
    let tenant = parse(TenantId::parse(&tenant), "tenant")?;
    let scope = a.dpo()?;
    if !a.scope()?.covers(&tenant) {
        return Err(a
            .refuse_tenant(&st, "another tenant's transfer bases")
            .await);
    }
    let kind = BasisKind::parse(&b.kind).ok_or_else(|| {
        ApiError::bad_request(
            "invalid",
            "`kind` is one of security_assessment, standard_contract, certification, contract_necessity, cross_border_hr, emergency, small_volume",
        )
    })?;
    let fields = b
        .fields
        .iter()
        .map(|f| parse(FieldName::parse(f), "field"))
        .collect::<Result<Vec<_>, _>>()?;
    let vault = st.vault.clone();
    let basis = TransferBasis {
        id,
        tenant,
        recipient: b.recipient,
        kind,
        reference: b.reference,
        valid_from: b.valid_from.unwrap_or_else(|| vault.time()),
        expires_at: b.expires_at,
        fields,
        pia: b.pia.map(|p| Pia {
            reference: p.reference,
            completed_at: p.completed_at,
        }),
    };
    let view = basis_view(&basis);
    blocking(move || vault.put_transfer_basis(&scope, basis)).await?;
    Ok(Json(view))
}

#[utoipa::path(get, path = "/v1/tenants/{tenant}/transfer-bases", params(("tenant" = String, Path, description = "Tenant id")), responses((status = 200, body = Vec<BasisView>), (status = 403, body = ApiError)))]
pub(super) async fn list_bases(
    State(st): State<Shared>,
    a: Allowed<op::ReadTransfers>,
    Segments(tenant): Segments<String>,
) -> Result<Json<Vec<BasisView>>, ApiError> {
    let tenant = parse(TenantId::parse(&tenant), "tenant")?;
    if !a.scope()?.covers(&tenant) {
        return Err(a
            .refuse_tenant(&st, "another tenant's transfer bases")
            .await);
    }
    let vault = st.vault.clone();
    let bases = blocking(move || {
        vault.manifest(&tenant)?;
        vault.transfer_bases(&custodian_core::access::DpoScope::new(tenant))
    })
    .await?;
    Ok(Json(bases.iter().map(basis_view).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct TransferBody {
    /// A recipient abroad the manifest declares (the gate picks the strongest basis in force).
    recipient: String,
    /// The subjects (at most 10,000).
    subjects: Vec<String>,
    /// The fields.
    fields: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct Refused {
    subject: String,
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<String>,
}

#[utoipa::path(post, path = "/v1/transfers", request_body = TransferBody, responses((status = 200, description = "Decided per subject: the payload of the allowed subjects' values, the refusals with their reasons, the organisation's counts this year"), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(super) async fn transfer(
    State(st): State<Shared>,
    a: Allowed<op::Transfer>,
    Body(b): Body<TransferBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.service()?;
    let subjects = b
        .subjects
        .iter()
        .map(|s| parse(SubjectId::parse(s), "subject"))
        .collect::<Result<Vec<_>, _>>()?;
    let fields = b
        .fields
        .iter()
        .map(|f| parse(FieldName::parse(f), "field"))
        .collect::<Result<Vec<_>, _>>()?;
    let vault = st.vault.clone();
    let o =
        blocking(move || vault.transfer(&scope, &b.recipient, None, &subjects, &fields)).await?;
    let allowed: Vec<serde_json::Value> = o
        .allowed
        .iter()
        .map(|t| -> Result<serde_json::Value, ApiError> {
            // Each field's values as a list: a field may hold several.
            let mut values = serde_json::Map::new();
            for (f, v) in &t.values {
                if let serde_json::Value::Array(a) = values
                    .entry(f.to_string())
                    .or_insert_with(|| serde_json::Value::Array(Vec::new()))
                {
                    a.push(serde_json::Value::String(v.expose().to_string()));
                }
            }
            let mut item = serde_json::json!({"subject": t.subject, "values": values});
            if let Some(d) = &t.delivery {
                item["receipt"] = super::receive::receipt_json(d)?;
            }
            Ok(item)
        })
        .collect::<Result<_, ApiError>>()?;
    let refused: Vec<Refused> = o
        .refused
        .iter()
        .map(|(s, reasons)| {
            let r = &reasons[0];
            Refused {
                subject: s.to_string(),
                code: r.code.as_str(),
                message: r.message.clone(),
                order: r.order.clone(),
            }
        })
        .collect();
    Ok(Json(serde_json::json!({
        "basis": o.basis.as_ref().map(|(id, k)| serde_json::json!({"id": id, "kind": k.as_str()})),
        "allowed": allowed,
        "refused": refused,
        "year": o.year,
        "counts": {"general": o.counts.general, "sensitive": o.counts.sensitive},
        "warnings": o.warnings,
        // A recipient that is another cell: where to deliver the allowed subjects (with their
        // receipts) — `POST /v1/receive` there.
        "cell": o.cell.as_ref().map(|c| serde_json::json!({
            "jurisdiction": c,
            "url": st.cells.get(c.as_str()),
            "from": st.vault.jurisdiction(),
        })),
    })))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct CountsQuery {
    /// The tenant whose organisation's counts to show (a DPO: its own, the default).
    tenant: Option<String>,
}

#[utoipa::path(get, path = "/v1/transfers/counts", params(CountsQuery), responses((status = 200, description = "Individuals whose PI the tenant's organisation exported this calendar year, against the CAC thresholds"), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(super) async fn counts(
    State(st): State<Shared>,
    a: Allowed<op::ReadTransfers>,
    Params(q): Params<CountsQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.scope()?;
    let tenant = match (q.tenant, scope.tenant()) {
        (Some(t), _) => parse(TenantId::parse(&t), "tenant")?,
        (None, Some(t)) => t.clone(),
        (None, None) => {
            return Err(ApiError::bad_request("invalid", "name a `tenant`"));
        }
    };
    if !scope.covers(&tenant) {
        return Err(a.refuse_tenant(&st, "another tenant's transfers").await);
    }
    let vault = st.vault.clone();
    let (org, (year, c)) = blocking(move || {
        let org = custodian_core::vault::organisation_of(&vault, &tenant)?;
        let yc = vault.transfer_counts(&org, vault.time())?;
        Ok((org, yc))
    })
    .await?;
    Ok(Json(serde_json::json!({
        "organisation": org,
        "year": year,
        "general": c.general,
        "sensitive": c.sensitive,
        "thresholds": {
            "general_needs_contract_from": GENERAL_CONTRACT_FROM,
            "general_needs_assessment_from": GENERAL_ASSESSMENT_FROM,
            "sensitive_needs_assessment_from": SENSITIVE_ASSESSMENT_FROM,
        },
    })))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct EgressQuery {
    /// The recipient abroad the payload goes to (a declared one); absent: anywhere — nothing
    /// covers a stored value then.
    recipient: Option<String>,
    /// `text` (default; CSV too), `json` or `ndjson`.
    format: Option<String>,
}

#[utoipa::path(post, path = "/v1/egress/check", params(EgressQuery), request_body(content = String, content_type = "text/plain", description = "The payload about to leave"), responses((status = 200, description = "The stored values the payload carries, each with whether a transfer to the recipient covers it, and `blocked` when one is not covered"), (status = 400, body = ApiError), (status = 403, body = ApiError)))]
pub(super) async fn egress_check(
    State(st): State<Shared>,
    a: Allowed<op::Transfer>,
    Params(q): Params<EgressQuery>,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    use custodian_core::vault::PayloadFormat;
    let scope = a.service()?;
    let format = match q.format.as_deref() {
        None | Some("text" | "csv") => PayloadFormat::Text,
        Some("json") => PayloadFormat::Json,
        Some("ndjson") => PayloadFormat::Ndjson,
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid",
                "`format` is text, csv, json or ndjson",
            ));
        }
    };
    let vault = st.vault.clone();
    let r =
        blocking(move || vault.egress_check(&scope, q.recipient.as_deref(), format, &body)).await?;
    // Which fields, and whether covered — not which subjects: the check is not a lookup (the
    // uncovered tokens are in its ledger entry).
    let matches: Vec<serde_json::Value> = r
        .matches
        .iter()
        .map(|m| serde_json::json!({"field": m.field, "covered": m.covered}))
        .collect();
    Ok(Json(serde_json::json!({
        "blocked": r.blocked,
        "bytes": r.bytes,
        "findings": r.findings,
        "matches": matches,
    })))
}
