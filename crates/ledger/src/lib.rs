//! Custodian's ledger: a verifiable, append-only record of every act on personal information.
//!
//! Every act (collect, read, transfer, consent, order, erase) becomes an [`Entry`] — named by
//! identifiers, never by value — and a leaf of an RFC 9162 Merkle tree. The cell signs
//! [`Checkpoint`]s (C2SP tlog-checkpoint) as C2SP signed notes with Ed25519; anyone holding
//! two checkpoints checks that the later extends the earlier ([`ConsistencyProof`]) and that
//! an entry is in the log ([`InclusionProof`]), offline, with only the verifier key.
//!
//! Main types: [`Log`] (size and right frontier; appends return the nodes to store),
//! [`NodeStore`] (where node hashes live; [`MemoryStore`] for tests and benchmarks),
//! [`Signer`] / [`Verifier`] and [`note::open`], [`Checkpoint`], [`Entry`], [`ProofFile`].
//!
//! The crate does no I/O: a store persists the nodes [`Log::append`] returns in the same
//! transaction as the act, and serves the nodes [`tree::inclusion_nodes`] names.
//!
//! ```
//! use custodian_ledger::{Checkpoint, Entry, EntryKind, Decision, Log, MemoryStore, NodeStore, Signer, note};
//!
//! let mut log = Log::new();
//! let mut store = MemoryStore::new();
//! let entry = Entry::new(EntryKind::Collect, 1_700_000_000_000, Decision::Allow);
//! let (index, nodes) = log.append(entry.leaf_hash()?);
//! store.put_nodes(&nodes)?;
//!
//! let signer = Signer::generate("custodian.example/cn/ledger")?;
//! let cp = Checkpoint { origin: "custodian.example/cn/ledger".into(), size: log.size(), root: log.root(), extensions: vec![] };
//! let signed = signer.sign(&cp.to_text())?;
//!
//! // Offline, with the verifier key only:
//! let opened = note::open(&signed, &[signer.verifier()])?;
//! let cp = Checkpoint::parse(&opened.text)?;
//! let proof = log.prove_inclusion(&store, index, cp.size)?;
//! proof.verify(&entry.leaf_hash()?, &cp.root)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod checkpoint;
pub mod cosignature;
pub mod entry;
pub mod error;
pub mod hash;
pub mod note;
pub mod proofs;
pub mod range;
pub mod tree;
pub mod witness;

pub use checkpoint::Checkpoint;
pub use cosignature::{Cosignature, CosignatureVerifier, Cosigner, verify_cosignatures};
pub use entry::{Decision, Entry, EntryKind, Id};
pub use error::{CheckpointError, EntryError, Error, KeyError, NoteError, ProofError};
pub use hash::{Hash, leaf_hash, node_hash};
pub use note::{Signer, VerifiedNote, Verifier};
pub use proofs::ProofFile;
pub use tree::{ConsistencyProof, InclusionProof, Log, MemoryStore, NodeId, NodeStore};

/// The 0-based position of a leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LeafIndex(u64);

impl LeafIndex {
    /// Wraps an index.
    pub const fn new(i: u64) -> Self {
        LeafIndex(i)
    }

    /// The index.
    pub const fn get(self) -> u64 {
        self.0
    }
}

/// A number of leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TreeSize(u64);

impl TreeSize {
    /// Wraps a size.
    pub const fn new(n: u64) -> Self {
        TreeSize(n)
    }

    /// The size.
    pub const fn get(self) -> u64 {
        self.0
    }
}
