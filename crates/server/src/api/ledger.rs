//! The ledger as the API serves it: signed checkpoints, entries, proofs.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use custodian_ledger::ProofFile;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{Allowed, Params, Segments, blocking, op};
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
        witnessed_note(&st)?
    } else {
        let vault = st.vault.clone();
        blocking(move || vault.checkpoint()).await?
    };
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], note).into_response())
}

/// The latest checkpoint the cell's witnesses cosigned, with their cosignature lines; 404 while
/// there is none.
fn witnessed_note(st: &Shared) -> Result<String, ApiError> {
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
        })
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

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct FinalityQuery {
    /// The size of the checkpoint in the erasure's receipt: the answer then carries the
    /// consistency proof from it to the answer's checkpoint.
    since: Option<u64>,
    /// `true`: answer as of the latest checkpoint the cell's witnesses cosigned (the answer's
    /// checkpoint then carries their cosignatures, for `verify --witness`); 409 while it does
    /// not hold the erasure yet.
    #[serde(default)]
    witnessed: bool,
}

/// Whether an erasure is final: unreadable in every copy of the store (backups, a database's
/// old pages), because the epoch in force when it was recorded is destroyed. Once final, the
/// proof: the first epoch begun after the erasure and the destruction of the one before it,
/// each with its inclusion proof in `checkpoint`'s tree. `custodian ledger verify --receipt
/// RECEIPT --erasure-final THIS --key …` checks it offline with the erasure's receipt.
#[derive(Serialize, ToSchema)]
pub(super) struct ErasureFinal {
    /// The erasure's ledger index.
    erasure: u64,
    /// The epoch whose destruction makes the erasure final.
    epoch: u32,
    /// Whether it is destroyed.
    #[serde(rename = "final")]
    is_final: bool,
    /// The cell's signed checkpoint the proofs are against.
    #[serde(skip_serializing_if = "Option::is_none")]
    checkpoint: Option<String>,
    /// The `epoch_created` entry of the next epoch, with its inclusion proof.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    created: Option<ProofFile>,
    /// The `epoch_destroyed` entry, with its inclusion proof.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    destroyed: Option<ProofFile>,
    /// The consistency proof from `since` to the checkpoint's size, when `since` was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    consistency: Option<ProofFile>,
}

#[utoipa::path(get, path = "/v1/ledger/erasures/{index}", params(("index" = u64, Path, description = "The erasure's ledger index (its receipt's `index`)"), FinalityQuery), responses((status = 200, body = ErasureFinal, description = "Whether the erasure is final, with the proof once it is"), (status = 404, body = ApiError), (status = 400, body = ApiError, description = "The entry is not a subject's erasure, or `since` is not the size of a tree holding it"), (status = 409, body = ApiError, description = "With `witnessed=true`: the witnessed checkpoint does not hold the erasure yet")))]
pub(super) async fn erasure_final(
    State(st): State<Shared>,
    a: Allowed<op::ReadLedger>,
    Segments(index): Segments<u64>,
    Params(q): Params<FinalityQuery>,
) -> Result<Json<ErasureFinal>, ApiError> {
    let scope = a.scope()?;
    let vault = st.vault.clone();
    let at = if q.witnessed {
        Some(witnessed_note(&st)?)
    } else {
        None
    };
    let f = blocking(move || vault.erasure_finality(&scope, index, q.since, at.as_deref())).await?;
    let file = |(_, e, p): &(
        u64,
        custodian_ledger::Entry,
        custodian_ledger::InclusionProof,
    )| {
        ProofFile::inclusion(p, e)
            .map_err(|e| ApiError::from(custodian_core::CoreError::Integrity(e.to_string())))
    };
    let mut out = ErasureFinal {
        erasure: f.erasure,
        epoch: f.epoch,
        is_final: f.proof.is_some(),
        checkpoint: None,
        created: None,
        destroyed: None,
        consistency: None,
    };
    if let Some(p) = f.proof {
        out.created = Some(file(&p.created)?);
        out.destroyed = Some(file(&p.destroyed)?);
        out.consistency = p.consistency.as_ref().map(ProofFile::consistency);
        out.checkpoint = Some(p.checkpoint);
    }
    Ok(Json(out))
}
