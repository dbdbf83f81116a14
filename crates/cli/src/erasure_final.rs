//! `custodian ledger verify --erasure-final`: what a cell answers to `GET
//! /v1/ledger/erasures/{index}`, read and checked with the erasure's receipt
//! (`custodian_core::erasure::check_final` on the three proved entries).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use custodian_ledger::ConsistencyProof;
use custodian_ledger::proofs::{self, InclusionClaim, ProofFile};

use crate::ledger::{inclusion_of, read};

/// What `GET /v1/ledger/erasures/{index}` answers.
#[derive(serde::Deserialize)]
struct ErasureFinal {
    erasure: u64,
    epoch: u32,
    #[serde(rename = "final")]
    is_final: bool,
    checkpoint: Option<String>,
    created: Option<ProofFile>,
    destroyed: Option<ProofFile>,
    consistency: Option<ProofFile>,
}

/// What a final answer proves with: its file, the erasure's index, the size of its
/// checkpoint, and the two epoch entries' claims.
pub(crate) type Answer = (PathBuf, u64, u64, [InclusionClaim; 2]);

/// Reads the answer in `p`: its checkpoint joins `checkpoints`, its consistency proof is
/// taken unless one was given; a pending answer is a failure. When final, what it proves
/// with (the claims' proofs are checked with the other inclusions).
pub(crate) fn load(
    p: &Path,
    checkpoints: &mut Vec<(PathBuf, String)>,
    consistency: &mut Option<(PathBuf, ConsistencyProof)>,
    failures: &mut Vec<String>,
) -> Result<Option<Answer>> {
    let f: ErasureFinal = serde_json::from_str(&read(p)?).map_err(|e| {
        anyhow!(
            "{}:{}:{}: malformed answer: {e}",
            p.display(),
            e.line(),
            e.column()
        )
    })?;
    match (f.is_final, f.checkpoint, f.created, f.destroyed) {
        (true, Some(cp), Some(created), Some(destroyed)) => {
            // Its size, read here to hold the proofs to it; its signature is checked with the
            // other checkpoints.
            let size = cp
                .find("\n\n")
                .and_then(|end| custodian_ledger::Checkpoint::parse(&cp[..end + 1]).ok())
                .map(|c| c.size.get())
                .ok_or_else(|| anyhow!("`{}`: its checkpoint does not parse", p.display()))?;
            checkpoints.push((p.to_path_buf(), cp));
            let claim =
                |f: ProofFile| inclusion_of(f).with_context(|| format!("in `{}`", p.display()));
            let claims = [claim(created)?, claim(destroyed)?];
            if let (None, Some(c)) = (&consistency, f.consistency) {
                let c = match c {
                    ProofFile::Consistency {
                        size1,
                        size2,
                        proof,
                    } => proofs::consistency_proof(size1, size2, &proof)
                        .with_context(|| format!("in `{}`", p.display()))?,
                    ProofFile::Inclusion { .. } => {
                        bail!("`{}`: its consistency is an inclusion proof", p.display())
                    }
                };
                *consistency = Some((p.to_path_buf(), c));
            }
            Ok(Some((p.to_path_buf(), f.erasure, size, claims)))
        }
        (true, ..) => bail!(
            "`{}` says final but lacks its checkpoint or a proof",
            p.display()
        ),
        (false, ..) => {
            failures.push(format!(
                "the erasure at entry {} is not final yet: epoch {} is not destroyed, and a copy of the store taken before the erasure (a backup) still opens the subject's values with the cell's key holder",
                f.erasure, f.epoch
            ));
            Ok(None)
        }
    }
}

/// Checks the erasure at `erasure` (one of the receipts) final by the entries of `created` and
/// `destroyed` (`custodian_core::erasure::check_final`); their proofs are checked with the
/// other inclusions.
pub(crate) fn check(
    p: &Path,
    erasure: u64,
    size: u64,
    receipts: &[(PathBuf, InclusionClaim)],
    created: &InclusionClaim,
    destroyed: &InclusionClaim,
    failures: &mut Vec<String>,
) {
    let with_entry = |c: &InclusionClaim| c.entry.clone().map(|e| (c.proof.index.get(), e));
    let claim = receipts
        .iter()
        .map(|(_, c)| c)
        .find(|c| c.proof.index.get() == erasure);
    let Some((receipt, receipt_size)) =
        claim.and_then(|c| Some((with_entry(c)?, c.proof.size.get())))
    else {
        failures.push(format!(
            "{}: no --receipt of entry {erasure} with its entry, the erasure it is about",
            p.display()
        ));
        return;
    };
    let (Some(c), Some(d)) = (with_entry(created), with_entry(destroyed)) else {
        failures.push(format!("{}: a proof without its entry", p.display()));
        return;
    };
    // The answer's checkpoint is the one that counts (cosigned, with --witness): the epoch
    // entries are proved in its tree, and it extends the receipt's, not the other way round.
    if created.proof.size.get() != size || destroyed.proof.size.get() != size {
        failures.push(format!(
            "{}: the epoch entries are not proved in the answer's checkpoint (size {size})",
            p.display()
        ));
        return;
    }
    if receipt_size > size {
        failures.push(format!(
            "{}: the answer's checkpoint (size {size}) is smaller than the receipt's ({receipt_size}): it does not extend it",
            p.display()
        ));
        return;
    }
    match custodian_core::erasure::check_final((receipt.0, &receipt.1), (c.0, &c.1), (d.0, &d.1)) {
        Ok(epoch) => println!(
            "ok: the erasure at entry {erasure} is final: epoch {epoch}, in force at it, was destroyed at entry {} after epoch {} began at entry {}: a copy of the store opens the subject's values under no epoch the holder keeps (as far as this ledger shows: give --witness keys to know it is the ledger others see)",
            d.0,
            epoch + 1,
            c.0
        ),
        Err(e) => failures.push(format!("{}: not a proof of finality: {e}", p.display())),
    }
}
