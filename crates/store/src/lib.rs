//! Storage backends for Custodian's vault: the embedded SQLite store (the default, zero
//! setup) and the PostgreSQL store (for cells that outgrow one machine; several server
//! processes may share its database). Both pass the same conformance suite
//! (the `custodian-conformance` crate, one test per check per backend).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod backup;
mod counters;
pub mod postgres;
mod request_rows;
pub mod sqlite;
mod transfer_rows;

pub use postgres::PgStore;
pub use sqlite::{ReferenceRun, SqliteStore};
