//! Custodian's vault core: everything that decides and protects.
//!
//! - [`catalog`]: the rules catalog (39 app types and their necessary PI, lawful bases,
//!   sensitive categories, retention floors, PI types).
//! - [`manifest`]: privacy as code — a tenant's TOML manifest, checked with lines and rules.
//! - [`decision`]: every rule — a decision per act over one [`decision::Facts`]; only an allow
//!   yields the grant that sealing, opening and changing a subject require.
//! - [`access`]: roles, principals, the scopes vault methods take, the role × operation matrix.
//! - [`vault`]: the library API of a cell, one act family per file around one act context.
//! - [`keyring`]: the key hierarchy (KEK → epoch keys → data keys) and the [`keyring::KeyHolder`]
//!   trait; [`crypto`]: per-subject data keys, AEAD sealing bound to its place; [`tokens`]: random, deterministic and format-preserving tokens, blind indexes;
//!   [`value`]: values checked for their field's type.
//! - [`requests`]: a person's requests as records, with deadlines in working days;
//!   [`orders`]: regulators' signed orders; [`store`]: the `Store` trait backends implement.
//!
//! No I/O here: storage goes through the `Store` trait that backends implement.
//!
//! ```
//! use std::sync::Arc;
//! use custodian_core::access::{AdminScope, ServiceScope};
//! use custodian_core::ids::{Jurisdiction, ServiceName, TenantId};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let store: Arc<dyn custodian_core::Store> = return Ok(());
//! # let keys = Arc::new(custodian_core::keyring::MemoryKeys::new([7; 32]));
//! # let signer = custodian_ledger::Signer::from_seed("example.test/ledger", &[1; 32])?;
//! let vault = custodian_core::Vault::open(store, keys, signer, custodian_core::VaultConfig {
//!     jurisdiction: Jurisdiction::parse("CN")?,
//!     origin: "example.test/ledger".into(),
//!     regulator_keys: vec![],
//!     peers: vec![],
//! })?;
//! let ride = TenantId::parse("ride")?;
//! vault.load_manifest(&AdminScope::new(), &ride, include_str!("../../../examples/ride_hailing.toml"))?;
//! let dispatch = ServiceScope::new(ride, ServiceName::parse("dispatch-svc")?);
//! let rider = vault.register(&dispatch, &Jurisdiction::parse("CN")?, None, false)?;
//! # let _ = rider;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod access;
pub mod catalog;
pub mod checklist;
pub mod crypto;
pub mod decision;
pub mod erasure;
pub mod error;
mod hex;
pub mod ids;
pub mod keyring;
pub mod manifest;
pub mod orders;
pub mod requests;
pub mod store;
pub mod subject;
pub mod tokens;
pub mod transfers;
pub mod value;
pub mod vault;

pub use crypto::Secret;
pub use error::CoreError;
pub use store::{Change, Store, StoreError};
pub use vault::{Peer, Reveal, Vault, VaultConfig};
