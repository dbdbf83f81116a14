//! Receiving from another cell: the allowed subjects a sending cell's transfer gate answered
//! (`POST /v1/transfers` there, to a recipient that is this cell), delivered as they came —
//! each with its values and its receipt, which this cell verifies before storing anything.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use custodian_core::ids::{FieldName, Jurisdiction, SubjectId};
use custodian_core::vault::{Arrival, Delivery};
use custodian_ledger::ProofFile;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zeroize::Zeroizing;

use super::extract::{Allowed, Body, blocking, op, parse};
use crate::Shared;
use crate::error::ApiError;

/// At most this many subjects per delivery.
const MAX_ARRIVALS: usize = 1_000;

/// A transfer entry's receipt as the sending gate gives it.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ReceiptBody {
    /// The entry's index in the sending cell's ledger.
    index: u64,
    /// The sending cell's signed checkpoint (a C2SP signed note).
    checkpoint: String,
    /// The entry's inclusion proof, with the entry.
    #[schema(value_type = Object)]
    inclusion: ProofFile,
    /// The nonce of the entry's payload commitment (64 hex digits).
    nonce: String,
}

/// The receipt of a delivery, as JSON.
pub(super) fn receipt_json(d: &Delivery) -> Result<serde_json::Value, ApiError> {
    let inclusion = ProofFile::inclusion(&d.receipt.proof, &d.receipt.entry)
        .map_err(|e| ApiError::from(custodian_core::CoreError::Integrity(e.to_string())))?;
    let body = ReceiptBody {
        index: d.receipt.index,
        checkpoint: d.receipt.checkpoint.clone(),
        inclusion,
        nonce: d.nonce.iter().map(|b| format!("{b:02x}")).collect(),
    };
    serde_json::to_value(body)
        .map_err(|e| ApiError::from(custodian_core::CoreError::Integrity(e.to_string())))
}

/// One subject as the sending gate answered it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ArrivalBody {
    /// The subject's id in the sending cell.
    subject: String,
    /// Its values, a list per field.
    values: BTreeMap<String, Vec<String>>,
    /// The receipt of its transfer entry.
    receipt: ReceiptBody,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ReceiveBody {
    /// The sending cell's jurisdiction (the `[cells]` directory holds its ledger key).
    from: String,
    /// The allowed subjects of its transfer answer, as they came (at most 1,000).
    subjects: Vec<ArrivalBody>,
}

/// Reads one subject's delivery; a malformed one is refused with a message naming no value.
fn arrival(from: &Jurisdiction, s: ArrivalBody) -> Result<Arrival, &'static str> {
    let nonce = nonce(&s.receipt.nonce).ok_or("a receipt's `nonce` is 64 hex digits")?;
    let subject = SubjectId::parse(&s.subject).map_err(|_| "`subject` is not a subject id")?;
    if let ProofFile::Inclusion { index, .. } = &s.receipt.inclusion
        && *index != s.receipt.index
    {
        return Err("the receipt's `index` is not its inclusion proof's");
    }
    let mut values = Vec::new();
    for (f, vs) in s.values {
        let f = FieldName::parse(&f).map_err(|_| "a field name is not a field name")?;
        for v in vs {
            values.push((f.clone(), Zeroizing::new(v)));
        }
    }
    Ok(Arrival {
        from: from.clone(),
        subject,
        checkpoint: s.receipt.checkpoint,
        inclusion: s.receipt.inclusion,
        nonce,
        values,
    })
}

fn nonce(hex: &str) -> Option<[u8; 32]> {
    let b = hex.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in b.chunks(2).enumerate() {
        let s = std::str::from_utf8(pair).ok()?;
        *out.get_mut(i)? = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

#[utoipa::path(post, path = "/v1/receive", request_body = ReceiveBody, responses((status = 200, description = "Per subject: received (registered here, its values' tokens, the provenance) or refused with the reason (`receipt_invalid`, `already_received`, or this cell's own rules)"), (status = 400, body = ApiError), (status = 403, body = ApiError)))]
pub(super) async fn receive(
    State(st): State<Shared>,
    a: Allowed<op::Receive>,
    Body(b): Body<ReceiveBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.service()?;
    let from = parse(Jurisdiction::parse(&b.from), "from")?;
    if b.subjects.is_empty() || b.subjects.len() > MAX_ARRIVALS {
        return Err(ApiError::bad_request(
            "invalid",
            "deliver 1 to 1,000 subjects per call",
        ));
    }
    // Each subject is decided on its own: one that cannot even be read is refused (and
    // recorded) like one whose receipt does not verify.
    let mut arrivals = Vec::with_capacity(b.subjects.len());
    for s in b.subjects {
        arrivals.push((s.subject.clone(), arrival(&from, s)));
    }
    let vault = st.vault.clone();
    let results = blocking(move || {
        let mut received = Vec::new();
        let mut refused = Vec::new();
        for (sent_as, arrival) in &arrivals {
            let outcome = match arrival {
                Ok(arrival) => vault.receive(&scope, arrival),
                Err(why) => vault
                    .refuse_arrival(&scope, &from, why)
                    .and(Err(custodian_core::CoreError::Denied(vec![
                        custodian_core::decision::Reason {
                            code: custodian_core::decision::ReasonCode::ReceiptInvalid,
                            message: (*why).to_string(),
                            order: None,
                        },
                    ]))),
            };
            match outcome {
                Ok(r) => received.push(serde_json::json!({
                    "from_subject": sent_as,
                    "subject": r.subject,
                    "tokens": r.values.iter().map(|c| serde_json::json!({"field": c.field, "token": c.token})).collect::<Vec<_>>(),
                    "origin": r.origin,
                    "index": r.index,
                })),
                Err(custodian_core::CoreError::Denied(reasons)) => {
                    let r = reasons.first();
                    refused.push(serde_json::json!({
                        "from_subject": sent_as,
                        "code": r.map_or("denied", |r| r.code.as_str()),
                        "message": r.map(|r| r.message.as_str()),
                        "order": r.and_then(|r| r.order.as_deref()),
                    }));
                }
                // Not a refusal (the store failed, say): said for this subject, and the
                // others are still decided — those already received keep their answers.
                Err(other) => refused.push(serde_json::json!({
                    "from_subject": sent_as,
                    "code": "error",
                    "message": other.to_string(),
                })),
            }
        }
        Ok((received, refused))
    })
    .await?;
    Ok(Json(serde_json::json!({
        "received": results.0,
        "refused": results.1,
    })))
}
