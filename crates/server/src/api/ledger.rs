//! The ledger as the API serves it: signed checkpoints, entries, proofs.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::extract::{Allowed, Params, blocking, op};
use crate::Shared;
use crate::error::ApiError;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct CheckpointQuery {
    /// `true`: the latest checkpoint the cell's witnesses cosigned (with their cosignature
    /// lines), rather than a fresh one of the ledger as it stands.
    #[serde(default)]
    witnessed: bool,
}

#[utoipa::path(get, path = "/v1/ledger/checkpoint", params(CheckpointQuery), responses((status = 200, description = "The signed checkpoint (C2SP signed note; with `witnessed=true`, with the witnesses' cosignatures)", content_type = "text/plain"), (status = 404, body = ApiError, description = "No witness has cosigned a checkpoint yet")))]
pub(super) async fn checkpoint(
    State(st): State<Shared>,
    a: Allowed<op::ReadLedger>,
    Params(q): Params<CheckpointQuery>,
) -> Result<Response, ApiError> {
    a.scope()?;
    let note = if q.witnessed {
        st.witnessed
            .read()
            .ok()
            .and_then(|w| w.as_ref().map(|w| w.note.clone()))
            .ok_or_else(|| {
                ApiError::new(
                    axum::http::StatusCode::NOT_FOUND,
                    "not_witnessed",
                    "no witness has cosigned a checkpoint of this cell yet",
                )
            })?
    } else {
        let vault = st.vault.clone();
        blocking(move || vault.checkpoint()).await?
    };
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], note).into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct Range {
    from: u64,
    to: u64,
}

#[utoipa::path(get, path = "/v1/ledger/entries", params(Range), responses((status = 200, description = "Entries with index in from..to")))]
pub(super) async fn ledger_entries(
    State(st): State<Shared>,
    a: Allowed<op::ReadLedger>,
    Params(r): Params<Range>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.scope()?;
    if r.to < r.from || r.to - r.from > 10_000 {
        return Err(ApiError::bad_request(
            "invalid",
            "give from <= to and at most 10000 entries",
        ));
    }
    let vault = st.vault.clone();
    let got = blocking(move || vault.scoped_entries(&scope, r.from, r.to)).await?;
    let rows: Vec<serde_json::Value> = got
        .into_iter()
        .map(|(i, e)| serde_json::json!({"index": i, "entry": e}))
        .collect();
    Ok(Json(serde_json::json!({ "entries": rows })))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct InclusionQuery {
    index: u64,
    tree_size: u64,
}

#[utoipa::path(get, path = "/v1/ledger/proofs/inclusion", params(InclusionQuery), responses((status = 200, description = "Inclusion proof file with the entry")))]
pub(super) async fn inclusion_proof(
    State(st): State<Shared>,
    a: Allowed<op::ReadLedger>,
    Params(q): Params<InclusionQuery>,
) -> Result<Json<custodian_ledger::ProofFile>, ApiError> {
    let scope = a.scope()?;
    let vault = st.vault.clone();
    let file = blocking(move || {
        let (entry, proof) = vault.scoped_inclusion(&scope, q.index, q.tree_size)?;
        custodian_ledger::ProofFile::inclusion(&proof, &entry)
            .map_err(|e| custodian_core::CoreError::Integrity(e.to_string()))
    })
    .await?;
    Ok(Json(file))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct ConsistencyQuery {
    size1: u64,
    size2: u64,
}

#[utoipa::path(get, path = "/v1/ledger/proofs/consistency", params(ConsistencyQuery), responses((status = 200, description = "Consistency proof file")))]
pub(super) async fn consistency_proof(
    State(st): State<Shared>,
    a: Allowed<op::ReadLedger>,
    Params(q): Params<ConsistencyQuery>,
) -> Result<Json<custodian_ledger::ProofFile>, ApiError> {
    a.scope()?;
    let vault = st.vault.clone();
    let proof = blocking(move || vault.consistency_proof(q.size1, q.size2)).await?;
    Ok(Json(custodian_ledger::ProofFile::consistency(&proof)))
}

#[utoipa::path(get, path = "/v1/ledger/stretch", params(Range), responses((status = 200, description = "The signed checkpoints at `from` and `to` and every entry between them with the frontier at `from`: a complete account (every transfer in it, provably none left out) that `custodian ledger verify --stretch` checks offline"), (status = 400, body = ApiError)))]
pub(super) async fn stretch(
    State(st): State<Shared>,
    a: Allowed<op::ReadLedger>,
    Params(r): Params<Range>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = a.scope()?;
    let vault = st.vault.clone();
    let h = blocking(move || vault.transfer_history(&scope, r.from, r.to)).await?;
    Ok(Json(serde_json::json!({
        "checkpoint_from": h.checkpoint_from,
        "checkpoint_to": h.checkpoint_to,
        "range": h.range,
    })))
}
