//! A complete account of a stretch of the log: every leaf from size `from` to size `to`, some
//! shown as entries (the ones asked about, e.g. a tenant's transfers), the rest as hashes only,
//! with the frontier of the tree at `from`. A verifier rebuilds the tree at `from` from the
//! frontier (its root must be the earlier checkpoint's), appends the leaves, and gets the later
//! checkpoint's root only if no leaf was left out, added, reordered or changed — so "these are
//! all the transfers between checkpoints A and B" is provable, not only "these are transfers".
//!
//! ```json
//! {"from": 12, "to": 40, "frontier": ["<b64>", …],
//!  "leaves": [{"hash": "<b64>"}, {"entry": "<b64 canonical entry>"}, …]}
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::TreeSize;
use crate::entry::Entry;
use crate::error::ProofError;
use crate::hash::{Hash, leaf_hash};
use crate::tree::Log;

/// One leaf of the stretch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RangeLeaf {
    /// Shown: the canonical entry, base64.
    Entry(String),
    /// Not shown: the leaf hash, base64.
    Hash(String),
}

/// The stretch as a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeFile {
    /// The earlier size.
    pub from: u64,
    /// The later size.
    pub to: u64,
    /// The frontier of the tree at `from` (`Log::frontier_ids`), base64.
    pub frontier: Vec<String>,
    /// Every leaf in `from..to`, in order.
    pub leaves: Vec<RangeLeaf>,
}

/// Why a stretch does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RangeError {
    /// A hash or entry does not decode.
    #[error("leaf {0}: not a base64 hash or canonical entry")]
    BadLeaf(u64),
    /// The frontier is not the earlier tree's.
    #[error("the frontier does not give the earlier checkpoint's root")]
    Frontier,
    /// The leaves are not every leaf of the stretch.
    #[error("{0} leaves for a stretch of {1}")]
    Count(u64, u64),
    /// The leaves do not give the later root: one was left out, added or changed.
    #[error(
        "the leaves do not give the later checkpoint's root: the stretch is not complete or was altered"
    )]
    Root,
    /// A proof error.
    #[error(transparent)]
    Proof(#[from] ProofError),
}

impl RangeFile {
    /// The file of a stretch: the frontier at `from`, and each leaf shown (`Ok(entry)`) or as
    /// its hash.
    pub fn new(
        from: u64,
        to: u64,
        frontier: &[Hash],
        leaves: Vec<Result<&Entry, Hash>>,
    ) -> Result<RangeFile, crate::EntryError> {
        let leaves = leaves
            .into_iter()
            .map(|l| {
                Ok(match l {
                    Ok(e) => RangeLeaf::Entry(STANDARD.encode(e.encode()?)),
                    Err(h) => RangeLeaf::Hash(h.to_base64()),
                })
            })
            .collect::<Result<_, crate::EntryError>>()?;
        Ok(RangeFile {
            from,
            to,
            frontier: frontier.iter().map(Hash::to_base64).collect(),
            leaves,
        })
    }

    /// Verifies the stretch against the roots of the checkpoints at `from` and `to`; the
    /// entries shown, with their indexes.
    pub fn verify(
        &self,
        root_from: &Hash,
        root_to: &Hash,
    ) -> Result<Vec<(u64, Entry)>, RangeError> {
        let n = self
            .to
            .checked_sub(self.from)
            .ok_or(RangeError::Count(0, 0))?;
        if self.leaves.len() as u64 != n {
            return Err(RangeError::Count(self.leaves.len() as u64, n));
        }
        let frontier: Vec<Hash> = self
            .frontier
            .iter()
            .map(|h| Hash::from_base64(h).ok_or(RangeError::Frontier))
            .collect::<Result<_, _>>()?;
        let mut log = Log::from_frontier(TreeSize::new(self.from), &frontier)
            .map_err(|_| RangeError::Frontier)?;
        if log.root() != *root_from {
            return Err(RangeError::Frontier);
        }
        let mut shown = Vec::new();
        for (i, l) in self.leaves.iter().enumerate() {
            let index = self.from + i as u64;
            let hash = match l {
                RangeLeaf::Hash(h) => Hash::from_base64(h).ok_or(RangeError::BadLeaf(index))?,
                RangeLeaf::Entry(b) => {
                    let bytes = STANDARD.decode(b).map_err(|_| RangeError::BadLeaf(index))?;
                    let e = Entry::decode(&bytes).map_err(|_| RangeError::BadLeaf(index))?;
                    shown.push((index, e));
                    leaf_hash(&bytes)
                }
            };
            log.append(hash);
        }
        if log.root() != *root_to {
            return Err(RangeError::Root);
        }
        Ok(shown)
    }
}
