//! The JSON forms in which a cell serves proofs and a regulator keeps them, with hashes in
//! standard base64 (as in checkpoints):
//!
//! ```json
//! {"type": "consistency", "size1": 5, "size2": 8, "proof": ["…", "…"]}
//! {"type": "inclusion", "index": 3, "tree_size": 8, "entry": "<base64 canonical entry>", "proof": ["…"]}
//! ```
//!
//! An inclusion file carries the entry itself (so the verifier sees what it proves) or, when
//! only the hash is to be shown, `"leaf_hash"` instead of `"entry"`.

use serde::{Deserialize, Serialize};

use crate::entry::Entry;
use crate::error::{EntryError, ProofError};
use crate::hash::{Hash, leaf_hash};
use crate::tree::{ConsistencyProof, InclusionProof};
use crate::{LeafIndex, TreeSize};

/// A proof as a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ProofFile {
    /// A consistency proof.
    Consistency {
        /// Earlier size.
        size1: u64,
        /// Later size.
        size2: u64,
        /// Hashes, base64.
        proof: Vec<String>,
    },
    /// An inclusion proof.
    Inclusion {
        /// Leaf index.
        index: u64,
        /// Tree size.
        tree_size: u64,
        /// The canonical entry, base64.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entry: Option<String>,
        /// The leaf hash, base64, when the entry is not given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        leaf_hash: Option<String>,
        /// Hashes, base64.
        proof: Vec<String>,
    },
}

/// A proof file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofFileError {
    /// A hash is not base64 of 32 bytes.
    #[error("proof hash {0} is not base64 of 32 bytes")]
    BadHash(usize),
    /// Neither or both of `entry` and `leaf_hash`.
    #[error("an inclusion proof needs exactly one of `entry` and `leaf_hash`")]
    LeafMissing,
    /// The entry does not decode.
    #[error(transparent)]
    Entry(#[from] EntryError),
    /// The entry is not base64.
    #[error("`entry` is not base64")]
    EntryEncoding,
}

fn hashes(v: &[String]) -> Result<Vec<Hash>, ProofFileError> {
    v.iter()
        .enumerate()
        .map(|(i, s)| Hash::from_base64(s).ok_or(ProofFileError::BadHash(i)))
        .collect()
}

impl ProofFile {
    /// The file form of a consistency proof.
    pub fn consistency(p: &ConsistencyProof) -> ProofFile {
        ProofFile::Consistency {
            size1: p.size1.get(),
            size2: p.size2.get(),
            proof: p.path.iter().map(Hash::to_base64).collect(),
        }
    }

    /// The file form of an inclusion proof, with the entry.
    pub fn inclusion(p: &InclusionProof, entry: &Entry) -> Result<ProofFile, EntryError> {
        use base64::Engine as _;
        Ok(ProofFile::Inclusion {
            index: p.index.get(),
            tree_size: p.size.get(),
            entry: Some(base64::engine::general_purpose::STANDARD.encode(entry.encode()?)),
            leaf_hash: None,
            proof: p.path.iter().map(Hash::to_base64).collect(),
        })
    }
}

/// A parsed inclusion proof file: the proof, the leaf hash and (if given) the entry.
#[derive(Clone, Debug)]
pub struct InclusionClaim {
    /// The proof.
    pub proof: InclusionProof,
    /// The leaf's hash.
    pub leaf: Hash,
    /// The entry, when the file carried it.
    pub entry: Option<Entry>,
}

impl InclusionClaim {
    /// Verifies against a root.
    pub fn verify(&self, root: &Hash) -> Result<(), ProofError> {
        self.proof.verify(&self.leaf, root)
    }
}

/// Reads an inclusion file's fields.
pub fn inclusion_claim(
    index: u64,
    tree_size: u64,
    entry: Option<&str>,
    leaf: Option<&str>,
    proof: &[String],
) -> Result<InclusionClaim, ProofFileError> {
    use base64::Engine as _;
    let (leaf, entry) = match (entry, leaf) {
        (Some(e), None) => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(e)
                .map_err(|_| ProofFileError::EntryEncoding)?;
            let entry = Entry::decode(&bytes)?;
            (leaf_hash(&bytes), Some(entry))
        }
        (None, Some(h)) => (
            Hash::from_base64(h).ok_or(ProofFileError::BadHash(usize::MAX))?,
            None,
        ),
        _ => return Err(ProofFileError::LeafMissing),
    };
    Ok(InclusionClaim {
        proof: InclusionProof {
            index: LeafIndex::new(index),
            size: TreeSize::new(tree_size),
            path: hashes(proof)?,
        },
        leaf,
        entry,
    })
}

/// Reads a consistency file's fields.
pub fn consistency_proof(
    size1: u64,
    size2: u64,
    proof: &[String],
) -> Result<ConsistencyProof, ProofFileError> {
    Ok(ConsistencyProof {
        size1: TreeSize::new(size1),
        size2: TreeSize::new(size2),
        path: hashes(proof)?,
    })
}
