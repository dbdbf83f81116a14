//! `custodian import`: moves a platform's existing users into a cell through its bulk API.
//!
//! Rows come from a CSV or NDJSON file, a PostgreSQL query ([`source`]) or a MySQL query
//! ([`mysql`]); a mapping file says
//! which columns become which fields ([`mapping`]). Rows go in chunks: their subjects are
//! registered with their consents and values in one act a row, each with an idempotency key
//! derived from the import's name and the row's key, so a chunk sent twice (after a crash, a
//! Ctrl-C or a lost answer) is carried out once. Each source row's subject id and tokens go to
//! the write-back file ([`out`]), which also says how far the import came, so running the same
//! command again resumes it (within the 7 days the cell keeps idempotency keys).
//!
//! Only a service key is needed: every act is decided and recorded by the cell as a single one
//! would be, and a row the cell refuses is reported with the reason, never with its values.

mod mapping;
mod mysql;
mod out;
mod source;
mod table;

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use custodian_client::{
    Auth, Client, ClientError, MAX_BATCH, Onboard, OnboardCollect, OnboardConsent, Retry,
};
use sha2::Digest;

use mapping::{Mapping, Per, hex, yes};
use out::{Out, Outcome, Refusal, State, WriteBack};
use source::{Row, Source};

/// Arguments of `custodian import`.
#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["csv", "ndjson", "postgres", "mysql"])))]
#[command(group(clap::ArgGroup::new("database").args(["postgres", "mysql"])))]
pub struct ImportArgs {
    /// The cell's URL.
    #[arg(long)]
    url: String,
    /// A service key of the tenant the rows' subjects belong to.
    #[arg(long, env = "CUSTODIAN_API_KEY")]
    api_key: String,
    /// The mapping file (TOML): the row key, jurisdiction, consents and fields.
    #[arg(long)]
    mapping: PathBuf,
    /// Read a CSV file with a header row.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Read an NDJSON file (one object a line).
    #[arg(long)]
    ndjson: Option<PathBuf>,
    /// Read a PostgreSQL database (a URL, with `sslmode` and `sslrootcert` as for `serve`)
    /// with --query.
    #[arg(long, requires = "query")]
    postgres: Option<String>,
    /// Read a MySQL or MariaDB database (`mysql://user:password@host:port/database`, TLS set
    /// with `ssl-mode` and `ssl-ca` as MySQL's clients name them) with --query.
    #[arg(long, requires = "query")]
    mysql: Option<String>,
    /// The query whose rows are imported; order it (by the key) so that a resumed import
    /// meets the rows in the same order.
    #[arg(long, requires = "database")]
    query: Option<String>,
    /// The write-back: each source row's subject id and tokens (CSV if the name ends in
    /// `.csv`, NDJSON otherwise), created with mode 0600. Run the same command with the same
    /// file to resume an interrupted import.
    #[arg(
        long,
        required_unless_present = "out_postgres",
        conflicts_with = "out_postgres"
    )]
    out: Option<PathBuf>,
    /// Write back into a PostgreSQL table instead (a URL, with `sslmode` and `sslrootcert`
    /// as for `serve`), named by --out-table; each chunk's rows commit with the import's state.
    #[arg(long, requires = "out_table")]
    out_postgres: Option<String>,
    /// The write-back table (`name` or `schema.name`), created if missing.
    #[arg(long, requires = "out_postgres")]
    out_table: Option<String>,
    /// Rows a request (at most 1,000).
    #[arg(long, default_value_t = 1000)]
    batch: usize,
    /// Chunks in flight at once (enough to keep the cell's writer busy: its commits are shared
    /// by whatever is in flight).
    #[arg(long, default_value_t = 8)]
    parallel: usize,
}

/// A chunk of rows as read: (row number, key, values or why the row is refused).
struct Chunk {
    index: u64,
    rows: Vec<(u64, Option<String>, Row)>,
    position: u64,
}

/// Runs `custodian import`.
pub fn run(a: ImportArgs) -> Result<ExitCode> {
    if a.batch == 0 || a.batch > MAX_BATCH {
        bail!("--batch must be 1 to {MAX_BATCH}");
    }
    if a.parallel == 0 || a.parallel > 64 {
        bail!("--parallel must be 1 to 64");
    }
    let m = Arc::new(Mapping::load(&a.mapping)?);
    let query = a.query.as_deref().unwrap_or("");
    let mut src: Box<dyn Source> = match (&a.csv, &a.ndjson, &a.postgres, &a.mysql) {
        (Some(p), ..) => Box::new(source::Csv::open(p, &m.columns)?),
        (_, Some(p), ..) => Box::new(source::Ndjson::open(p, &m.columns)?),
        (_, _, Some(url), _) => Box::new(source::Postgres::open(url, query, &m.columns)?),
        (.., Some(url)) => Box::new(mysql::Mysql::open(url, query, &m.columns)?),
        _ => bail!("give --csv, --ndjson, --postgres or --mysql"),
    };
    let client = Arc::new(Client::new(&a.url, Auth::Bearer(a.api_key.clone()))?);
    let fresh = State {
        protocol: out::PROTOCOL,
        name: m.name.clone(),
        mapping: m.digest.clone(),
        source: src.describe(),
        ..State::default()
    };
    let out = match (a.out, a.out_postgres, a.out_table) {
        (Some(p), _, _) => Out::File(p),
        (None, Some(url), Some(table)) => Out::Table { url, table },
        _ => bail!("give --out, or --out-postgres with --out-table"),
    };
    let mut wb = WriteBack::open(&out, fresh, &m.fields())?;
    let started = Instant::now();

    // Rows the write-back holds are skipped (their keys still count for duplicates).
    let mut seen = HashSet::new();
    let skip = wb.state.rows;
    for n in 0..skip {
        match src.next_row()? {
            Some(Ok(values)) => {
                if let Some(k) = values[m.key].as_deref() {
                    seen.insert(key_hash(&m.name, k));
                }
            }
            Some(Err(_)) => {}
            None => bail!(
                "the source has {n} rows, but the import had done {skip}: is it the same source?"
            ),
        }
    }
    if skip > 0 {
        eprintln!("resuming `{}` after row {skip}", m.name);
    }
    let bar = progress(src.total(), src.position());

    let result = std::thread::scope(|s| -> Result<()> {
        // The channels belong to this closure: returning early closes them, and the reader and
        // the workers stop at their next send.
        let (work_tx, work_rx) = mpsc::sync_channel::<Chunk>(a.parallel * 2);
        let work_rx = Arc::new(Mutex::new(work_rx));
        let (done_tx, done_rx) = mpsc::channel::<(u64, u64, Result<Vec<Outcome>>)>();
        // The reader: rows into chunks.
        let reader_done = done_tx.clone();
        let (batch, name, mm) = (a.batch, m.name.clone(), m.clone());
        s.spawn(move || {
            let mut row = skip;
            let mut index = 0;
            loop {
                let mut rows = Vec::with_capacity(batch);
                let mut end = false;
                while rows.len() < batch {
                    match src.next_row() {
                        Ok(Some(r)) => {
                            row += 1;
                            let key = r.as_ref().ok().and_then(|v| v[mm.key].clone());
                            let r = match (&r, &key) {
                                (Err(_), _) => r,
                                (Ok(_), None) => {
                                    Err(("no_key", format!("`{}` is empty", mm.columns[mm.key])))
                                }
                                (Ok(_), Some(k)) if !seen.insert(key_hash(&name, k)) => Err((
                                    "duplicate_key",
                                    "the key is on an earlier row too".into(),
                                )),
                                (Ok(_), Some(_)) => r,
                            };
                            rows.push((row, key, r));
                        }
                        Ok(None) => {
                            end = true;
                            break;
                        }
                        Err(e) => {
                            let _ = reader_done.send((index, 0, Err(e)));
                            return;
                        }
                    }
                }
                if !rows.is_empty() {
                    let chunk = Chunk {
                        index,
                        rows,
                        position: src.position(),
                    };
                    if work_tx.send(chunk).is_err() {
                        return;
                    }
                    index += 1;
                }
                if end {
                    return;
                }
            }
        });
        for _ in 0..a.parallel {
            let (rx, tx, client, m) = (work_rx.clone(), done_tx.clone(), client.clone(), m.clone());
            s.spawn(move || {
                loop {
                    let chunk = match rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok(chunk) = chunk else { return };
                    let got = carry_out(&client, &m, chunk.rows);
                    if tx.send((chunk.index, chunk.position, got)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        // The writer: chunks back in order, each synced before the state counts it.
        let mut pending = std::collections::BTreeMap::new();
        let mut next = 0;
        drop(work_rx);
        for (index, position, got) in done_rx {
            pending.insert(index, (position, got));
            while let Some((position, got)) = pending.remove(&next) {
                wb.append(&got?)?;
                bar.set_position(position);
                bar.set_message(format!("{} rows", wb.state.rows));
                next += 1;
            }
        }
        Ok(())
    });
    bar.finish_and_clear();
    if let Err(e) = result {
        return Err(e.context(format!(
            "the import stopped after row {} (the write-back holds rows 1 to {0}); run the same \
             command again to resume it",
            wb.state.rows
        )));
    }
    let state = wb.finish()?;
    summary(&state, skip, started.elapsed(), &out.shown());
    Ok(ExitCode::SUCCESS)
}

fn progress(total: Option<u64>, at: u64) -> indicatif::ProgressBar {
    let bar = match total {
        Some(t) => indicatif::ProgressBar::new(t),
        None => indicatif::ProgressBar::no_length(),
    };
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(4));
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {percent}% {msg}, ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_position(at);
    bar.reset_eta();
    bar
}

fn summary(s: &State, skipped: u64, took: std::time::Duration, out: &str) {
    let secs = took.as_secs_f64().max(1e-3);
    let this_run = s.rows - skipped;
    println!(
        "import `{}`: {} rows, {} imported, {} with a refusal; this run {} rows in {:.1} s \
         ({:.0} rows/s); write-back {}",
        s.name,
        s.rows,
        s.imported,
        s.rows - s.imported,
        this_run,
        secs,
        this_run as f64 / secs,
        out
    );
    if !s.refused.is_empty() {
        println!("refused, by step and reason (a row's values are never shown):");
        for (what, (n, rows, message)) in &s.refused {
            let list: Vec<String> = rows.iter().map(u64::to_string).collect();
            let more = if *n > rows.len() as u64 { ", …" } else { "" };
            let noun = if *n == 1 { "row" } else { "rows" };
            println!(
                "  {what}: {n} {noun} ({noun} {}{more}): {message}",
                list.join(", ")
            );
        }
    }
}

/// 16 bytes of SHA-256 over the import's name and a row's key: the row's idempotency keys
/// (the key itself never leaves) and the duplicate check.
fn key_hash(name: &str, key: &str) -> [u8; 16] {
    let mut h = sha2::Sha256::new();
    h.update((name.len() as u64).to_be_bytes());
    h.update(name.as_bytes());
    h.update(key.as_bytes());
    let d = h.finalize();
    let mut out = [0; 16];
    out.copy_from_slice(&d[..16]);
    out
}

fn refusal(step: &str, e: ClientError) -> Refusal {
    match e {
        ClientError::Api {
            status,
            code,
            message,
            ..
        } => Refusal {
            step: step.to_string(),
            status,
            code,
            message,
        },
        ClientError::Transport(m) | ClientError::Unreached(m) => Refusal {
            step: step.to_string(),
            status: 0,
            code: "transport".into(),
            message: m,
        },
    }
}

/// Carries out a chunk: one bulk onboarding request (retried on a lost answer) registering each
/// row's subject with its consents and values in one act, each row's refusals kept with it.
fn carry_out(
    client: &Client,
    m: &Mapping,
    rows: Vec<(u64, Option<String>, Row)>,
) -> Result<Vec<Outcome>> {
    let retry = Retry::default();
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(rows.len());
    let mut live: Vec<(usize, String, Vec<Option<String>>)> = Vec::new();
    for (row, key, r) in rows {
        let mut o = Outcome {
            row,
            key: key.clone(),
            ..Outcome::default()
        };
        match (r, key) {
            (Ok(values), Some(k)) => {
                live.push((outcomes.len(), hex(&key_hash(&m.name, &k)), values))
            }
            (Err((code, why)), _) => o.refused.push(Refusal {
                step: "read".into(),
                status: 0,
                code: code.into(),
                message: why,
            }),
            (Ok(_), None) => {}
        }
        outcomes.push(o);
    }
    let per = |p: &Per, values: &[Option<String>]| match p {
        Per::Fixed(v) => Some(v.clone()),
        Per::Column(c) => values[*c].clone(),
    };

    // A row's jurisdiction and role are checked here: the cell refuses a whole request whose
    // item does not parse, and one row must not stop the others.
    let mut items = Vec::with_capacity(live.len());
    // Per item: its row, and which of the mapping's consents and collects it carries.
    let mut asked: Vec<(usize, Vec<usize>, Vec<usize>)> = Vec::with_capacity(live.len());
    for (i, h, v) in live {
        let jurisdiction = per(&m.jurisdiction, &v).unwrap_or_default();
        let role = m.role.as_ref().and_then(|r| per(r, &v));
        let bad = if custodian_core::ids::Jurisdiction::parse(&jurisdiction).is_err() {
            Some((
                "bad_jurisdiction",
                "the jurisdiction is not a two-letter ISO 3166 code",
            ))
        } else if role
            .as_deref()
            .is_some_and(|r| custodian_core::ids::SubjectRole::parse(r).is_err())
        {
            Some(("bad_role", "the role is not an identifier"))
        } else {
            None
        };
        if let Some((code, message)) = bad {
            outcomes[i].refused.push(Refusal {
                step: "read".into(),
                status: 0,
                code: code.into(),
                message: message.into(),
            });
            continue;
        }
        let given: Vec<usize> = (0..m.consents.len())
            .filter(|&j| m.consents[j].when.is_none_or(|w| yes(v[w].as_deref())))
            .collect();
        let mut collects = Vec::new();
        let mut collected = Vec::new();
        for (j, c) in m.collects.iter().enumerate() {
            let values: std::collections::BTreeMap<String, String> = c
                .fields
                .iter()
                .filter_map(|(f, col)| v[*col].clone().map(|x| (f.clone(), x)))
                .collect();
            if !values.is_empty() {
                collects.push(OnboardCollect {
                    purpose: c.purpose.clone(),
                    values,
                });
                collected.push(j);
            }
        }
        items.push(Onboard {
            jurisdiction,
            role,
            minor: m.minor.is_some_and(|c| yes(v[c].as_deref())),
            consents: given
                .iter()
                .map(|&j| OnboardConsent {
                    purpose: m.consents[j].purpose.clone(),
                    separate: m.consents[j].separate,
                    by_guardian: m.consents[j].by_guardian,
                })
                .collect(),
            collects,
            idempotency_key: Some(format!("imp-{h}")),
        });
        asked.push((i, given, collected));
    }
    if items.is_empty() {
        return Ok(outcomes);
    }
    let got = client
        .onboard_batch(&items, retry)
        .context("registering subjects")?;
    for ((i, given, collected), r) in asked.into_iter().zip(got) {
        let o = match r {
            Ok(o) => o,
            Err(e) => {
                outcomes[i].refused.push(refusal("register", e));
                continue;
            }
        };
        outcomes[i].subject = Some(o.subject);
        for (j, r) in given.into_iter().zip(o.consents) {
            if let Err(e) = r {
                let step = format!("consent {}", m.consents[j].purpose);
                outcomes[i].refused.push(refusal(&step, e));
            }
        }
        for (j, r) in collected.into_iter().zip(o.collects) {
            match r {
                Ok(tokens) => {
                    for t in tokens {
                        outcomes[i].tokens.insert(t.field, t.token);
                    }
                }
                Err(e) => {
                    let step = format!("collect {}", m.collects[j].purpose);
                    outcomes[i].refused.push(refusal(&step, e));
                }
            }
        }
    }
    Ok(outcomes)
}
