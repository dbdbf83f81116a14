//! Custodian store backends (SQLite) — in progress.
