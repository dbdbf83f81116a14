//! Error types, grouped by who is at fault: bad input (parse errors), failed verification
//! (tampering or the wrong key), and the store.

/// Why a proof does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The leaf index is not below the tree size.
    #[error("leaf index {index} is not below tree size {size}")]
    IndexBeyondSize {
        /// The index.
        index: u64,
        /// The size.
        size: u64,
    },
    /// Consistency between these sizes is meaningless (first is 0 or larger than second).
    #[error("no consistency proof from size {size1} to size {size2}")]
    BadSizes {
        /// Earlier size.
        size1: u64,
        /// Later size.
        size2: u64,
    },
    /// The proof has too many or too few hashes for the sizes.
    #[error("proof has the wrong number of hashes for these sizes")]
    WrongLength,
    /// The proof does not lead to the given root.
    #[error("proof does not lead to the root")]
    RootMismatch,
    /// A proof was asked for a size the log has not reached.
    #[error("size {size} is beyond the log's size {log}")]
    SizeBeyondLog {
        /// Asked size.
        size: u64,
        /// The log's size.
        log: u64,
    },
}

/// A checkpoint that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[error("malformed checkpoint: {reason}")]
pub struct CheckpointError {
    pub(crate) reason: String,
}

impl CheckpointError {
    pub(crate) fn new(reason: impl Into<String>) -> Self {
        CheckpointError {
            reason: reason.into(),
        }
    }
}

/// Why a signed note is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NoteError {
    /// The note does not follow the signed-note format; the string says where.
    #[error("malformed note: {0}")]
    Malformed(String),
    /// No signature is by a key the verifier knows.
    #[error("note has no verifiable signatures (no signature by a known key)")]
    NoKnownSignature,
    /// A signature by a known key does not verify: the note was altered or mis-signed.
    #[error("invalid signature by `{0}`")]
    InvalidSignature(String),
    /// Two known keys share a name and key ID.
    #[error("ambiguous key `{0}`: more than one verifier key with that name and ID")]
    AmbiguousKey(String),
}

/// A key in the wrong form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[error("invalid key: {reason}")]
pub struct KeyError {
    pub(crate) reason: String,
}

impl KeyError {
    pub(crate) fn new(reason: impl Into<String>) -> Self {
        KeyError {
            reason: reason.into(),
        }
    }
}

/// A ledger entry that does not encode or decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[error("invalid ledger entry: {reason}")]
pub struct EntryError {
    pub(crate) reason: String,
}

impl EntryError {
    pub(crate) fn new(reason: impl Into<String>) -> Self {
        EntryError {
            reason: reason.into(),
        }
    }
}

/// Any ledger error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A proof or tree-size problem.
    #[error(transparent)]
    Proof(#[from] ProofError),
    /// The node store failed or lacks a node.
    #[error("node store: {0}")]
    Store(String),
}
