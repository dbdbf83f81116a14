//! Custodian's key holders: where a cell's key-encryption key (KEK) and epoch keys live,
//! outside the store (see `custodian_core::keyring` for the hierarchy).
//!
//! - [`FileKeys`]: the KEK in a file and the epoch keys, wrapped by it, in a directory beside
//!   it — the zero-setup default, best kept outside the data directory.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod file;

pub use file::FileKeys;
