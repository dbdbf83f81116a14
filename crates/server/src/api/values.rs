//! Values: collect, detokenize, lookup — a service's acts on PI.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use custodian_core::ids::{FieldName, PurposeId, SubjectId, Token};
use custodian_core::vault::Reveal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{Allowed, Body, blocking, deferred_or_blocking, op, parse, run_here};
use crate::Shared;
use crate::error::ApiError;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CollectBody {
    subject: String,
    purpose: String,
    /// Field name → value.
    values: BTreeMap<String, String>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct CollectedView {
    field: String,
    token: String,
    /// Free text: types of undeclared PI flagged or tokenized.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    undeclared_pi: Vec<&'static str>,
}

#[utoipa::path(post, path = "/v1/collect", request_body = CollectBody, params(("Idempotency-Key" = Option<String>, Header, description = "A retried collect with the same key and values answers the same tokens (1 to 200 printable ASCII characters)")), responses((status = 200, description = "Tokens"), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub(super) async fn collect(
    State(st): State<Shared>,
    a: Allowed<op::Collect>,
    headers: axum::http::HeaderMap,
    Body(b): Body<CollectBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.service()?;
    // `Idempotency-Key`: a retried collect with the same key and values answers the same tokens.
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(h) => Some(
            h.to_str()
                .ok()
                .filter(|k| {
                    !k.is_empty() && k.len() <= 200 && k.bytes().all(|b| b.is_ascii_graphic())
                })
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "invalid",
                        "Idempotency-Key must be 1 to 200 printable ASCII characters",
                    )
                })?
                .to_string(),
        ),
    };
    let subject = parse(SubjectId::parse(&b.subject), "subject")?;
    let purpose = parse(PurposeId::parse(&b.purpose), "purpose")?;
    let mut values = Vec::with_capacity(b.values.len());
    for (k, v) in b.values {
        values.push((parse(FieldName::parse(&k), "field")?, v));
    }
    let item = |values| collect_item(&subject, &purpose, values, &key);
    let here = run_here(|| st.vault.collect_deferred(&scope, &item(&values)))?;
    let vault = st.vault.clone();
    let got = deferred_or_blocking(here, move || {
        let item = collect_item(&subject, &purpose, &values, &key);
        vault
            .collect_batch(&scope, std::slice::from_ref(&item))?
            .pop()
            .unwrap_or_else(|| {
                Err(custodian_core::CoreError::Store(
                    "a collect answered nothing".into(),
                ))
            })
    })
    .await?;
    let tokens: Vec<CollectedView> = got
        .into_iter()
        .map(|c| CollectedView {
            field: c.field.to_string(),
            token: c.token.to_string(),
            undeclared_pi: c.undeclared_pi,
        })
        .collect();
    Ok(Json(serde_json::json!({ "tokens": tokens })))
}

/// One collect's item, its values borrowed from the request (also a bulk collect's items).
pub(super) fn collect_item<'v>(
    subject: &SubjectId,
    purpose: &PurposeId,
    values: &'v [(FieldName, String)],
    key: &Option<String>,
) -> custodian_core::vault::CollectItem<'v> {
    custodian_core::vault::CollectItem {
        subject: subject.clone(),
        purpose: purpose.clone(),
        values: values
            .iter()
            .map(|(f, v)| (f.clone(), v.as_str()))
            .collect(),
        idempotency_key: key.clone(),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct DetokenizeBody {
    purpose: String,
    tokens: Vec<String>,
    /// `default` (as the manifest says), `masked` or `clear`.
    #[serde(default)]
    reveal: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct DetokenizedView {
    token: String,
    field: String,
    subject: String,
    /// The value (masked when asked or when the manifest says so).
    value: String,
    masked: bool,
}

#[utoipa::path(post, path = "/v1/detokenize", request_body = DetokenizeBody, responses((status = 200, description = "Values"), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(super) async fn detokenize(
    State(st): State<Shared>,
    a: Allowed<op::Detokenize>,
    Body(b): Body<DetokenizeBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.service()?;
    let purpose = parse(PurposeId::parse(&b.purpose), "purpose")?;
    let tokens = b
        .tokens
        .iter()
        .map(|t| parse(Token::parse(t), "token"))
        .collect::<Result<Vec<_>, _>>()?;
    if tokens.is_empty() || tokens.len() > 1000 {
        return Err(ApiError::bad_request(
            "invalid",
            "tokens: give 1 to 1000 tokens",
        ));
    }
    let reveal = match b.reveal.as_deref() {
        None | Some("default") => Reveal::Default,
        Some("masked") => Reveal::Masked,
        Some("clear") => Reveal::Clear,
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid",
                "reveal must be `default`, `masked` or `clear`",
            ));
        }
    };
    let vault = st.vault.clone();
    let here = run_here(|| {
        st.vault
            .detokenize_deferred(&scope, &purpose, &tokens, reveal)
    })?;
    let got = deferred_or_blocking(here, move || {
        vault.detokenize(&scope, &purpose, &tokens, reveal)
    })
    .await?;
    let values: Vec<DetokenizedView> = got
        .iter()
        .map(|d| DetokenizedView {
            token: d.token.to_string(),
            field: d.field.to_string(),
            subject: d.subject.to_string(),
            value: d.value.expose().to_string(),
            masked: d.masked,
        })
        .collect();
    Ok(Json(serde_json::json!({ "values": values })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct LookupBody {
    purpose: String,
    field: String,
    value: String,
}

#[utoipa::path(post, path = "/v1/lookup", request_body = LookupBody, responses((status = 200, description = "Tokens of the value"), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub(super) async fn lookup(
    State(st): State<Shared>,
    a: Allowed<op::Lookup>,
    Body(b): Body<LookupBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.service()?;
    let purpose = parse(PurposeId::parse(&b.purpose), "purpose")?;
    let field = parse(FieldName::parse(&b.field), "field")?;
    let vault = st.vault.clone();
    let got = blocking(move || vault.lookup(&scope, &purpose, &field, &b.value)).await?;
    let tokens: Vec<&str> = got.iter().map(Token::as_str).collect();
    Ok(Json(serde_json::json!({ "tokens": tokens })))
}
