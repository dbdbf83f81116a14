//! Bulk routes: up to 1,000 items per call, each decided and recorded on its own. The answer is
//! 200 with one result per item, in order: `{"ok": true, …}` or `{"ok": false, "status": …,
//! "error": {…}}` with the status and error the single route would have answered. An item's
//! `idempotency_key` makes a retried item answer the same without being carried out again.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use custodian_core::access::Scope;
use custodian_core::ids::{FieldName, Jurisdiction, PurposeId, SubjectId, SubjectRole};
use custodian_core::vault::{
    CollectItem, Collected, ConsentItem, MAX_BATCH_ITEMS, OnboardConsent, OnboardItem, RegisterItem,
};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::{Allowed, Body, blocking, op, parse};
use super::values::collect_item;
use crate::Shared;
use crate::error::ApiError;

/// An item's result as JSON.
fn item<T>(
    r: Result<T, custodian_core::CoreError>,
    ok: impl FnOnce(T) -> serde_json::Value,
) -> serde_json::Value {
    match r {
        Ok(v) => {
            let mut out = serde_json::json!({ "ok": true });
            if let (Some(o), serde_json::Value::Object(extra)) = (out.as_object_mut(), ok(v)) {
                o.extend(extra);
            }
            out
        }
        Err(e) => {
            let e = ApiError::from(e);
            serde_json::json!({ "ok": false, "status": e.status().as_u16(), "error": e })
        }
    }
}

fn check_size(n: usize) -> Result<(), ApiError> {
    if n > MAX_BATCH_ITEMS {
        return Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "batch_too_large",
            format!("a batch takes at most {MAX_BATCH_ITEMS} items; this one has {n}"),
        ));
    }
    Ok(())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SubjectsBatch {
    items: Vec<NewSubjectItem>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewSubjectItem {
    /// ISO 3166 code of the subject's jurisdiction.
    jurisdiction: String,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    minor: bool,
    /// A retried item with the same key answers the same subject.
    #[serde(default)]
    idempotency_key: Option<String>,
}

#[utoipa::path(post, path = "/v1/subjects:batch", request_body = SubjectsBatch, responses((status = 200, description = "One result per item"), (status = 400, body = ApiError)))]
pub(super) async fn subjects(
    State(st): State<Shared>,
    a: Allowed<op::Register>,
    Body(b): Body<SubjectsBatch>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.service()?;
    check_size(b.items.len())?;
    let mut items = Vec::with_capacity(b.items.len());
    for (i, it) in b.items.into_iter().enumerate() {
        let (jurisdiction, role) = who(i, &it.jurisdiction, it.role.as_deref())?;
        items.push(RegisterItem {
            jurisdiction,
            role,
            minor: it.minor,
            idempotency_key: key(it.idempotency_key, i)?,
        });
    }
    let vault = st.vault.clone();
    let got = blocking(move || vault.register_batch(&scope, &items)).await?;
    let results: Vec<_> = got
        .into_iter()
        .map(|r| item(r, |s| serde_json::json!({ "subject": s.as_str() })))
        .collect();
    Ok(Json(serde_json::json!({ "results": results })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ConsentsBatch {
    items: Vec<ConsentBatchItem>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ConsentBatchItem {
    subject: String,
    purpose: String,
    #[serde(default)]
    separate: bool,
    #[serde(default)]
    by_guardian: bool,
    /// A retried item with the same key answers the same without a second grant.
    #[serde(default)]
    idempotency_key: Option<String>,
}

#[utoipa::path(post, path = "/v1/consents:batch", request_body = ConsentsBatch, responses((status = 200, description = "One result per item"), (status = 400, body = ApiError)))]
pub(super) async fn consents(
    State(st): State<Shared>,
    a: Allowed<op::Consents>,
    Body(b): Body<ConsentsBatch>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.scope()?;
    check_size(b.items.len())?;
    let mut items = Vec::with_capacity(b.items.len());
    for (i, it) in b.items.into_iter().enumerate() {
        items.push(ConsentItem {
            subject: parse(
                SubjectId::parse(&it.subject),
                &format!("items[{i}].subject"),
            )?,
            purpose: parse(
                PurposeId::parse(&it.purpose),
                &format!("items[{i}].purpose"),
            )?,
            separate: it.separate,
            by_guardian: it.by_guardian,
            idempotency_key: key(it.idempotency_key, i)?,
        });
    }
    let vault = st.vault.clone();
    let got = blocking(move || match &scope {
        Scope::Service(s) => vault.consent_batch(s, &items),
        Scope::Dpo(d) => vault.consent_batch(d, &items),
        Scope::Admin(_) | Scope::Regulator(_) => Err(custodian_core::CoreError::Invalid(
            "consents are given by the tenant's service or DPO".into(),
        )),
    })
    .await?;
    let results: Vec<_> = got
        .into_iter()
        .map(|r| item(r, |()| serde_json::json!({})))
        .collect();
    Ok(Json(serde_json::json!({ "results": results })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CollectBatch {
    items: Vec<CollectBatchItem>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CollectBatchItem {
    subject: String,
    purpose: String,
    /// Field name → value.
    values: BTreeMap<String, String>,
    /// A retried item with the same key and values answers the same tokens.
    #[serde(default)]
    idempotency_key: Option<String>,
}

#[utoipa::path(post, path = "/v1/collect:batch", request_body = CollectBatch, responses((status = 200, description = "One result per item"), (status = 400, body = ApiError)))]
pub(super) async fn collect(
    State(st): State<Shared>,
    a: Allowed<op::Collect>,
    Body(b): Body<CollectBatch>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.service()?;
    check_size(b.items.len())?;
    let mut parsed = Vec::with_capacity(b.items.len());
    for (i, it) in b.items.into_iter().enumerate() {
        let values = fields(it.values, &format!("items[{i}].values"))?;
        parsed.push((
            parse(
                SubjectId::parse(&it.subject),
                &format!("items[{i}].subject"),
            )?,
            parse(
                PurposeId::parse(&it.purpose),
                &format!("items[{i}].purpose"),
            )?,
            values,
            key(it.idempotency_key, i)?,
        ));
    }
    let vault = st.vault.clone();
    let got = blocking(move || {
        let items: Vec<CollectItem<'_>> = parsed
            .iter()
            .map(|(subject, purpose, values, key)| collect_item(subject, purpose, values, key))
            .collect();
        vault.collect_batch(&scope, &items)
    })
    .await?;
    let results: Vec<_> = got.into_iter().map(|r| item(r, tokens)).collect();
    Ok(Json(serde_json::json!({ "results": results })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct OnboardBatch {
    items: Vec<OnboardBatchItem>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct OnboardBatchItem {
    /// ISO 3166 code of the subject's jurisdiction.
    jurisdiction: String,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    minor: bool,
    /// Consents to give, in order, before the collects.
    #[serde(default)]
    consents: Vec<OnboardConsentItem>,
    /// Values to collect, one purpose each, after the consents.
    #[serde(default)]
    collects: Vec<OnboardCollectItem>,
    /// A retried item with the same key and request answers the same subject and tokens.
    #[serde(default)]
    idempotency_key: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct OnboardConsentItem {
    purpose: String,
    #[serde(default)]
    separate: bool,
    #[serde(default)]
    by_guardian: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct OnboardCollectItem {
    purpose: String,
    /// Field name → value.
    values: BTreeMap<String, String>,
}

/// Registers subjects with their consents and first values, one act and one idempotency key
/// an item (an import's rows). An item's result has the subject and one result per consent and
/// per collect, each as the single route would answer it; a refused registration refuses the
/// item.
#[utoipa::path(post, path = "/v1/subjects:onboard", request_body = OnboardBatch, responses((status = 200, description = "One result per item, with one per consent and collect"), (status = 400, body = ApiError)))]
pub(super) async fn onboard(
    State(st): State<Shared>,
    a: Allowed<op::Register>,
    Body(b): Body<OnboardBatch>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.service()?;
    check_size(b.items.len())?;
    let mut parsed = Vec::with_capacity(b.items.len());
    for (i, it) in b.items.into_iter().enumerate() {
        let mut consents = Vec::with_capacity(it.consents.len());
        for c in it.consents {
            consents.push(OnboardConsent {
                purpose: parse(
                    PurposeId::parse(&c.purpose),
                    &format!("items[{i}].consents.purpose"),
                )?,
                separate: c.separate,
                by_guardian: c.by_guardian,
            });
        }
        let mut collects = Vec::with_capacity(it.collects.len());
        for c in it.collects {
            let values = fields(c.values, &format!("items[{i}].collects.values"))?;
            collects.push((
                parse(
                    PurposeId::parse(&c.purpose),
                    &format!("items[{i}].collects.purpose"),
                )?,
                values,
            ));
        }
        let (jurisdiction, role) = who(i, &it.jurisdiction, it.role.as_deref())?;
        parsed.push((
            jurisdiction,
            role,
            it.minor,
            consents,
            collects,
            key(it.idempotency_key, i)?,
        ));
    }
    let vault = st.vault.clone();
    let got = blocking(move || {
        let items: Vec<OnboardItem<'_>> = parsed
            .iter()
            .map(
                |(jurisdiction, role, minor, consents, collects, key)| OnboardItem {
                    jurisdiction: jurisdiction.clone(),
                    role: role.clone(),
                    minor: *minor,
                    consents: consents.clone(),
                    collects: collects
                        .iter()
                        .map(|(p, values)| {
                            (
                                p.clone(),
                                values
                                    .iter()
                                    .map(|(f, v)| (f.clone(), v.as_str()))
                                    .collect(),
                            )
                        })
                        .collect(),
                    idempotency_key: key.clone(),
                },
            )
            .collect();
        vault.onboard_batch(&scope, &items)
    })
    .await?;
    let denied = |r: Vec<custodian_core::decision::Reason>| custodian_core::CoreError::Denied(r);
    let results: Vec<_> = got
        .into_iter()
        .map(|r| {
            item(r, |o| {
                let consents: Vec<_> = o
                    .consents
                    .into_iter()
                    .map(|c| item(c.map_err(denied), |()| serde_json::json!({})))
                    .collect();
                let collects: Vec<_> = o
                    .collects
                    .into_iter()
                    .map(|c| item(c.map_err(denied), tokens))
                    .collect();
                serde_json::json!({
                    "subject": o.subject.as_str(),
                    "consents": consents,
                    "collects": collects,
                })
            })
        })
        .collect();
    Ok(Json(serde_json::json!({ "results": results })))
}

/// Item `i`'s jurisdiction and role, parsed.
fn who(
    i: usize,
    jurisdiction: &str,
    role: Option<&str>,
) -> Result<(Jurisdiction, Option<SubjectRole>), ApiError> {
    Ok((
        parse(
            Jurisdiction::parse(jurisdiction),
            &format!("items[{i}].jurisdiction"),
        )?,
        role.map(|r| parse(SubjectRole::parse(r), &format!("items[{i}].role")))
            .transpose()?,
    ))
}

/// A values object with its field names parsed (`what` names it in an error).
fn fields(
    values: BTreeMap<String, String>,
    what: &str,
) -> Result<Vec<(FieldName, String)>, ApiError> {
    values
        .into_iter()
        .map(|(k, v)| Ok((parse(FieldName::parse(&k), what)?, v)))
        .collect()
}

/// A collect's tokens as JSON.
fn tokens(c: Vec<Collected>) -> serde_json::Value {
    let tokens: Vec<_> = c
        .into_iter()
        .map(|c| serde_json::json!({ "field": c.field.as_str(), "token": c.token.as_str(), "undeclared_pi": c.undeclared_pi }))
        .collect();
    serde_json::json!({ "tokens": tokens })
}

/// An idempotency key: 1 to 200 printable ASCII characters.
fn key(k: Option<String>, i: usize) -> Result<Option<String>, ApiError> {
    match k {
        Some(k) if k.is_empty() || k.len() > 200 || !k.bytes().all(|b| b.is_ascii_graphic()) => {
            Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "invalid",
                format!("items[{i}].idempotency_key must be 1 to 200 printable ASCII characters"),
            ))
        }
        k => Ok(k),
    }
}
