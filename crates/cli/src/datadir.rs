//! A data directory's keys belong to one cell: the record of the database they serve, and the
//! ledger key, made once.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use custodian_ledger::Signer;

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

/// The cell's ledger key, made on the first start: never for a ledger that already has entries,
/// which a new key would sign under another identity than its receipts, checkpoints and
/// witnesses know (a key deleted to get past a witness, say).
pub(crate) fn ledger_signer(dir: &Path, origin: &str, entries: u64) -> Result<Signer> {
    let path = dir.join("ledger.key");
    match std::fs::read_to_string(&path) {
        Ok(s) => {
            custodian_keys::owners_alone(&path).map_err(|e| anyhow::anyhow!("{e}"))?;
            Ok(Signer::parse(s.trim())
                .with_context(|| format!("ledger key `{}`", path.display()))?)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && entries > 0 => bail!(
            "the ledger key `{}` is missing, and the cell's ledger holds {entries} entries: a new \
             key would sign this ledger under another identity than its receipts, checkpoints \
             and witnesses know. Put the cell's ledger key back",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let s = Signer::generate(origin)?;
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut f = opts
                .open(&path)
                .with_context(|| format!("cannot create `{}`", path.display()))?;
            f.write_all(s.to_skey().as_bytes())?;
            f.sync_all()?;
            Ok(s)
        }
        Err(e) => Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    }
}
