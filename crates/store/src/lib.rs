//! Storage backends for Custodian's vault: the embedded SQLite store (the default, zero
//! setup). A PostgreSQL backend for cells that outgrow one machine comes next and passes the
//! same conformance suite (`custodian_core::conformance`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod sqlite;

pub use sqlite::SqliteStore;
