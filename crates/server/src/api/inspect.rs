//! `POST /v1/inspect`: the regulator sends captured traffic (HAR, or NDJSON request logs) and
//! gets the verdicts against an app type's necessary scope and, naming a tenant, the manifest
//! the cell holds for it. The body limit applies; large captures go through the CLI.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use custodian_core::ids::TenantId;
use custodian_inspect::{Inspector, Policy, Scope, html, read_har, read_ndjson, sarif};
use serde::Deserialize;

use super::extract::{Allowed, Params, blocking, op, parse};
use crate::Shared;
use crate::error::ApiError;

/// What to judge the capture against.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct InspectQuery {
    /// One of the 39 app types, or `self:NAME` with `necessary`; default: the tenant's.
    app_type: Option<String>,
    /// A self-declared type's necessary categories, comma-separated.
    necessary: Option<String>,
    /// Judge against this tenant's manifest.
    tenant: Option<String>,
    /// The app's own hosts, comma-separated (default: inferred, and said so).
    first_party_hosts: Option<String>,
    /// A substring of the consent call's path.
    consent_path: Option<String>,
    /// `json` (default), `html` or `sarif`.
    format: Option<String>,
}

fn list(s: Option<&str>) -> Vec<String> {
    s.map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}

#[utoipa::path(post, path = "/v1/inspect", params(InspectQuery), request_body(content = String, content_type = "application/json", description = "A HAR 1.2 capture, or an NDJSON request log sent as application/x-ndjson"), responses((status = 200, description = "The report: JSON (schema custodian.inspect/1), HTML or SARIF 2.1.0"), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 413, body = ApiError)))]
pub(super) async fn inspect(
    State(st): State<Shared>,
    a: Allowed<op::Inspect>,
    Params(q): Params<InspectQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    a.regulator()?;
    let format = q.format.unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "json" | "html" | "sarif") {
        return Err(ApiError::bad_request(
            "invalid",
            "`format` is json, html or sarif",
        ));
    }
    let scope = Scope::named(q.app_type.as_deref(), &list(q.necessary.as_deref()))
        .map_err(|e| ApiError::bad_request("invalid", e))?;
    let tenant = q
        .tenant
        .as_deref()
        .map(|t| parse(TenantId::parse(t), "tenant"))
        .transpose()?;
    let manifest = match tenant {
        Some(t) => {
            let vault = st.vault.clone();
            Some(blocking(move || vault.manifest(&t)).await?)
        }
        None => None,
    };
    let ndjson = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("ndjson"));
    let policy = Policy {
        scope,
        manifest,
        first_party: list(q.first_party_hosts.as_deref()),
        consent_paths: list(q.consent_path.as_deref()),
    };
    let mut inspector = Inspector::new(policy).map_err(|e| ApiError::bad_request("invalid", e))?;
    // The blocking pool as every handler uses it; a capture that does not read is the
    // caller's error, answered with its place.
    let report = blocking(move || {
        let each = |x: custodian_inspect::Exchange| {
            inspector.observe(&x);
            Ok(())
        };
        let read = if ndjson {
            read_ndjson(&body[..], each)
        } else {
            read_har(&body[..], each)
        };
        Ok(read.map(|_| inspector.finish()).map_err(|e| e.to_string()))
    })
    .await?
    .map_err(|e| ApiError::bad_request("bad_capture", e))?;
    Ok(match format.as_str() {
        "html" => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html::render(&report),
        )
            .into_response(),
        "sarif" => (
            [(header::CONTENT_TYPE, "application/sarif+json")],
            sarif::render(&report, "request body").to_string(),
        )
            .into_response(),
        _ => axum::Json(report).into_response(),
    })
}
