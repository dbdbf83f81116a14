//! Scanning text or JSON for PI: findings masked, nothing stored.

use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{Allowed, Body, op};
use crate::error::ApiError;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ScanBody {
    /// Text to scan.
    text: Option<String>,
    /// A JSON document to scan (keys count as context).
    #[schema(value_type = Option<Object>)]
    json: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct ScanFinding {
    #[serde(rename = "type")]
    pi_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<String>,
    start: usize,
    end: usize,
    score: f32,
    masked: String,
}

#[utoipa::path(post, path = "/v1/scan", request_body = ScanBody, responses((status = 200, description = "Findings, masked")))]
pub(super) async fn scan(
    a: Allowed<op::Scan>,
    Body(b): Body<ScanBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    a.scope()?;
    let det = custodian_detect::Detector::new();
    let mut out = Vec::new();
    match (b.text, b.json) {
        (Some(t), None) => {
            for f in det.scan_str(&t) {
                let orig = t.get(f.bstart..f.bend).unwrap_or("");
                out.push(ScanFinding {
                    pi_type: f.pi_type.name(),
                    pointer: None,
                    start: f.start,
                    end: f.end,
                    score: f.score,
                    masked: custodian_detect::mask::mask(f.pi_type, orig),
                });
            }
        }
        (None, Some(v)) => {
            for j in custodian_detect::records::scan_json(&det, &v) {
                let orig = match v.pointer(&j.pointer) {
                    Some(serde_json::Value::String(s)) => s
                        .get(j.finding.bstart..j.finding.bend)
                        .unwrap_or("")
                        .to_string(),
                    Some(other) => other
                        .to_string()
                        .get(j.finding.bstart..j.finding.bend)
                        .unwrap_or("")
                        .to_string(),
                    None => String::new(),
                };
                out.push(ScanFinding {
                    pi_type: j.finding.pi_type.name(),
                    pointer: Some(j.pointer),
                    start: j.finding.start,
                    end: j.finding.end,
                    score: j.finding.score,
                    masked: custodian_detect::mask::mask(j.finding.pi_type, &orig),
                });
            }
        }
        _ => {
            return Err(ApiError::bad_request(
                "invalid",
                "give exactly one of `text` and `json`",
            ));
        }
    }
    Ok(Json(serde_json::json!({ "findings": out })))
}
