//! A MySQL or MariaDB query as an import's source (`--mysql URL --query SQL`): read in one
//! read-only transaction with a consistent snapshot (so a count taken first and the rows read
//! after agree, and a resumed import meets an ordered query's rows in the same order), streamed
//! row by row by a reading thread into a bounded queue; every value as the server writes it as
//! text.
//!
//! TLS is set in the URL's query as MySQL's own clients name it: `ssl-mode` is one of
//! - `DISABLED`: no TLS;
//! - `REQUIRED`: TLS, the certificate not checked (checked as `VERIFY_CA` when `ssl-ca` is
//!   given);
//! - `VERIFY_IDENTITY`: TLS, the certificate chained to a CA of `ssl-ca` or of the built-in
//!   web roots, and naming the host connected to.
//!
//! The driver always trusts the built-in web roots beside `ssl-ca`, so a check of the chain
//! alone (`VERIFY_CA`) would accept any publicly trusted certificate for any name: it is
//! refused, and `REQUIRED` with `ssl-ca` is read as `VERIFY_IDENTITY`. The driver's own
//! connection and TLS parameters (`host`, `socket`, `prefer_socket`, `require_ssl`, …) are
//! refused in the URL, so none can move the connection or turn TLS off behind `ssl-mode`;
//! rows are read over the TCP connection the URL names, never a local socket the driver would
//! prefer.
//!
//! Without `ssl-mode` a loopback host (`127.0.0.1`, `::1`, `localhost`) is `DISABLED` (the rows
//! never leave the machine) and any other host is `VERIFY_IDENTITY`. `PREFERRED` (TLS only if
//! the server offers it) is refused: a connection that may fall back to clear text without
//! saying so is not a setting for reading PI.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, sync_channel};
use std::thread::JoinHandle;

use anyhow::{Context, Result, bail};
use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder, SslOpts};

use super::source::{Row, Source};

/// Rows the reading thread may hold ahead of the import.
const AHEAD: usize = 5000;

/// How the connection is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tls {
    Disabled,
    Required,
    VerifyIdentity,
}

/// The driver's options for `url`: its TLS parameters read and taken out (the driver refuses
/// parameters it does not know), the rest as the driver reads them.
fn options(url: &str) -> Result<OptsBuilder> {
    let mut u = reqwest::Url::parse(url).context("--mysql is not a URL")?;
    if u.scheme() != "mysql" {
        bail!("--mysql must be a mysql:// URL");
    }
    let (mut mode, mut ca) = (None, None);
    let mut kept = Vec::new();
    for (k, v) in u.query_pairs() {
        match k.to_ascii_lowercase().replace('_', "-").as_str() {
            "ssl-mode" | "sslmode" => {
                mode = Some(match v.to_ascii_uppercase().replace('-', "_").as_str() {
                    "DISABLED" => Tls::Disabled,
                    "REQUIRED" => Tls::Required,
                    "VERIFY_CA" => bail!(
                        "ssl-mode VERIFY_CA is not offered: the driver trusts the public web \
                         roots beside ssl-ca, so a chain checked without the host name proves \
                         little; give VERIFY_IDENTITY"
                    ),
                    "VERIFY_IDENTITY" => Tls::VerifyIdentity,
                    "PREFERRED" => bail!(
                        "ssl-mode PREFERRED falls back to clear text without saying so; \
                         give REQUIRED, VERIFY_CA, VERIFY_IDENTITY or DISABLED"
                    ),
                    other => bail!(
                        "ssl-mode `{other}` is not one of DISABLED, REQUIRED, VERIFY_CA, \
                         VERIFY_IDENTITY"
                    ),
                })
            }
            "ssl-ca" => ca = Some(PathBuf::from(v.into_owned())),
            other
                if [
                    "host",
                    "port",
                    "socket",
                    "prefer-socket",
                    "ssl",
                    "tls",
                    "cert",
                    "key",
                    "root",
                    "danger",
                    "verify",
                ]
                .iter()
                .any(|w| other.contains(w)) =>
            {
                bail!(
                    "--mysql: the parameter `{k}` is not accepted (the host and port go in the \
                     URL, TLS in ssl-mode and ssl-ca)"
                )
            }
            _ => kept.push((k.into_owned(), v.into_owned())),
        }
    }
    let loopback = match u.host_str() {
        Some("localhost") => true,
        Some(h) => h
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|a| a.is_loopback()),
        None => false,
    };
    let mode = mode.unwrap_or(if loopback {
        Tls::Disabled
    } else {
        Tls::VerifyIdentity
    });
    let mode = match (mode, &ca) {
        (Tls::Required, Some(_)) => Tls::VerifyIdentity,
        (m, _) => m,
    };
    if let Some(p) = &ca
        && !p.is_file()
    {
        bail!("ssl-ca `{}` is not a readable file", p.display());
    }
    if kept.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(kept);
    }
    let opts = Opts::from_url(u.as_str()).map_err(|e| anyhow::anyhow!("--mysql: {e}"))?;
    let ssl = match mode {
        Tls::Disabled => None,
        Tls::Required => Some(
            SslOpts::default()
                .with_danger_accept_invalid_certs(true)
                .with_danger_skip_domain_validation(true),
        ),
        Tls::VerifyIdentity => Some(SslOpts::default().with_root_cert_path(ca)),
    };
    Ok(OptsBuilder::from_opts(opts)
        .ssl_opts(ssl)
        .prefer_socket(false))
}

/// A MySQL query's rows, read by a thread of their own.
pub struct Mysql {
    rows: Receiver<Result<Row>>,
    reader: Option<JoinHandle<()>>,
    read: u64,
    total: Option<u64>,
    describe: String,
}

impl Mysql {
    /// Connects, counts the query's rows and starts reading them, all in one snapshot.
    pub fn open(url: &str, query: &str, columns: &[String]) -> Result<Mysql> {
        let q = query.trim().trim_end_matches(';').to_string();
        if q.is_empty() {
            bail!("--query is empty");
        }
        let mut conn = Conn::new(options(url)?).context("connecting to the source database")?;
        for s in [
            "SET NAMES utf8mb4",
            "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
            "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
        ] {
            conn.query_drop(s).context("opening a read-only snapshot")?;
        }
        // A query MySQL cannot wrap (two columns of one name) still runs, its size unknown.
        let total: Option<u64> = conn
            .query_first(format!("SELECT count(*) FROM ({q}) AS custodian_source"))
            .unwrap_or(None);
        let (tx, rows) = sync_channel(AHEAD);
        let (ready_tx, ready) = sync_channel(1);
        let columns = columns.to_vec();
        let describe = super::source::describe_query("mysql", &q);
        // The reading thread owns the connection; a refused send means the import stopped.
        let reader = std::thread::Builder::new()
            .name("custodian-import-mysql".into())
            .spawn(move || {
                let mut ready = Some(ready_tx);
                if let Err(e) = stream(&mut conn, &q, &columns, &mut ready, &tx) {
                    // Before the first row: `open`'s error; after: the import's.
                    match ready.take() {
                        Some(r) => drop(r.send(Err(e))),
                        None => drop(tx.send(Err(e))),
                    }
                }
                let _ = conn.query_drop("COMMIT");
            })
            .context("cannot start the reading thread")?;
        // The query runs and names the mapping's columns before anything is imported.
        match ready.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(_) => bail!("the reading thread ended before the query ran"),
        }
        Ok(Mysql {
            rows,
            reader: Some(reader),
            read: 0,
            total,
            describe,
        })
    }
}

/// Sends the query's rows (the mapping's columns of each) until the end or until the import
/// stops taking them.
fn stream(
    conn: &mut Conn,
    q: &str,
    columns: &[String],
    ready: &mut Option<std::sync::mpsc::SyncSender<Result<()>>>,
    tx: &std::sync::mpsc::SyncSender<Result<Row>>,
) -> Result<()> {
    let mut result = conn.query_iter(q).context("reading the query's rows")?;
    let names: Vec<String> = result
        .columns()
        .as_ref()
        .iter()
        .map(|c| c.name_str().into_owned())
        .collect();
    let index = super::source::query_columns(columns, &names)?;
    let mut set = result.iter().context("the query returned no result set")?;
    if let Some(r) = ready.take() {
        let _ = r.send(Ok(()));
    }
    for row in set.by_ref() {
        let row = row.context("reading the query's rows")?;
        let mut out = Vec::with_capacity(index.len());
        let mut refused = None;
        for &i in &index {
            match row.as_ref(i) {
                None | Some(mysql::Value::NULL) => out.push(None),
                Some(mysql::Value::Bytes(b)) if b.is_empty() => out.push(None),
                Some(mysql::Value::Bytes(b)) => match std::str::from_utf8(b) {
                    Ok(s) => out.push(Some(s.to_string())),
                    Err(_) => {
                        refused = Some(("bad_row", "a cell is not UTF-8".to_string()));
                        break;
                    }
                },
                // The text protocol sends every value as bytes or NULL.
                Some(_) => {
                    refused = Some(("bad_row", "a cell did not come back as text".to_string()));
                    break;
                }
            }
        }
        let row: Row = match refused {
            Some(r) => Err(r),
            None => Ok(out),
        };
        if tx.send(Ok(row)).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

impl Source for Mysql {
    fn next_row(&mut self) -> Result<Option<Row>> {
        match self.rows.recv() {
            Ok(Ok(row)) => {
                self.read += 1;
                Ok(Some(row))
            }
            Ok(Err(e)) => Err(e),
            // The thread ended: the rows are all read.
            Err(_) => match self.reader.take().map(JoinHandle::join) {
                Some(Err(_)) => bail!("the thread reading the query's rows failed"),
                _ => Ok(None),
            },
        }
    }
    fn position(&self) -> u64 {
        self.read
    }
    fn total(&self) -> Option<u64> {
        self.total
    }
    fn describe(&self) -> String {
        self.describe.clone()
    }
}
