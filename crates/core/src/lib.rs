//! Custodian's vault core: everything that decides and protects.
//!
//! - [`catalog`]: the rules catalog (39 app types and their necessary PI, lawful bases,
//!   sensitive categories, retention floors, PI types).
//! - [`manifest`]: privacy as code — a tenant's TOML manifest, checked with lines and rules.
//! - [`decision`]: pure register/collect/detokenize decisions that return a `Decision` with
//!   reasons; only an allow yields the grant that sealing and reading require.
//! - [`crypto`]: per-subject data keys wrapped by the cell's KEK, AEAD sealing bound to its
//!   place; [`tokens`]: random, deterministic and format-preserving tokens, blind indexes.
//!
//! No I/O here: storage goes through the `Store` trait that backends implement.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod catalog;
pub mod conformance;
pub mod crypto;
pub mod decision;
pub mod error;
pub mod ids;
pub mod manifest;
pub mod orders;
pub mod store;
pub mod tokens;
pub mod vault;

pub use error::CoreError;
pub use store::{Act, Store, StoreError};
pub use vault::{Principal, Reveal, Role, Secret, Vault, VaultConfig};
