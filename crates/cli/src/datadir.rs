//! A data directory's keys belong to one cell: the record of the database they serve.

use anyhow::{Context, Result};

/// The file in a data directory naming the database its keys serve.
const MARKER: &str = "database";

/// Refuses to start a cell on one kind of database with the keys of a cell on another: a
/// data directory's `kek.key` and `ledger.key` belong to one cell, and two ledgers signed by
/// one key (a SQLite cell's, then a new PostgreSQL cell's) could not be told apart. The data
/// directory records what it serves (`database`: `sqlite`, or `postgres host:port/db`) at the
/// first start; a directory from before the record is judged by its SQLite store.
pub(crate) fn keys_belong_here(dir: &std::path::Path, db: &crate::serve::Database) -> Result<()> {
    use crate::serve::Database;
    let wanted = match db {
        Database::Sqlite => "sqlite".to_string(),
        Database::Postgres(url) => format!("postgres {}", pg_target(url)),
    };
    let marker = dir.join(MARKER);
    let recorded = match std::fs::read_to_string(&marker) {
        Ok(t) => Some(t.trim().to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if dir.join("store/vault.db").exists() {
                Some("sqlite".to_string())
            } else {
                None
            }
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", marker.display())),
    };
    let kind = |r: &str| r.split(' ').next().unwrap_or("").to_string();
    match recorded {
        Some(r) if kind(&r) != kind(&wanted) => anyhow::bail!(
            "the keys in `{}` belong to the cell on {}; a cell on {} needs its own data \
             directory for its own keys (--data-dir or CUSTODIAN_DATA_DIR). To move a cell to \
             another database, back it up and restore it there",
            dir.display(),
            describe(&r),
            describe(&wanted)
        ),
        Some(r) if r != wanted => {
            tracing::warn!(
                recorded = %r,
                now = %wanted,
                "the data directory's keys were first used with another PostgreSQL address"
            );
            Ok(())
        }
        Some(_) => Ok(()),
        None => std::fs::write(&marker, format!("{wanted}\n"))
            .with_context(|| format!("cannot write `{}`", marker.display())),
    }
}

fn describe(r: &str) -> String {
    match r.strip_prefix("postgres ") {
        Some(t) => format!("PostgreSQL at {t}"),
        None => "SQLite (its store/ in that directory)".to_string(),
    }
}

/// `host:port/db` of a PostgreSQL URL, without credentials or parameters.
fn pg_target(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('?').next().unwrap_or(rest);
    let (authority, db) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    format!("{host}/{db}")
}
