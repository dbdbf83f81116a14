//! `custodian serve`: one command, nothing to set up. With no configuration it creates a data
//! directory (SQLite store, key-encryption key, ledger signing key), serves jurisdiction CN on
//! 127.0.0.1:8700 and prints the admin key once.
//!
//! Settings, lowest to highest precedence: defaults, the TOML file of `--config`, environment
//! variables (`CUSTODIAN_LISTEN`, `CUSTODIAN_DATA_DIR`, `CUSTODIAN_JURISDICTION`,
//! `CUSTODIAN_ORIGIN`, `CUSTODIAN_BODY_LIMIT`, `CUSTODIAN_RATE_LIMIT`, `CUSTODIAN_DATABASE`),
//! then flags.
//!
//! **Database.** Without `--database` (config key `database`, `CUSTODIAN_DATABASE`) the cell
//! keeps its data in SQLite inside the data directory. With a `postgres://…` URL it runs on
//! PostgreSQL; the data directory then holds only the cell's keys (`kek.key`, `ledger.key`),
//! which every process serving the same cell must share. Prefer the environment variable or
//! the config file for a URL with a password: command lines are visible to other users.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::Args;
use custodian_core::access::{Access, AdminScope, Role};
use custodian_core::ids::Jurisdiction;
use custodian_core::{Store, Vault, VaultConfig};
use custodian_ledger::Signer;
use custodian_store::{PgStore, SqliteStore};
use serde::Deserialize;

/// Arguments of `custodian serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8700).
    #[arg(long)]
    listen: Option<String>,
    #[command(flatten)]
    cell: CellArgs,
}

/// Where a cell is: what `serve`, `keys`, `backup` and `restore` share.
#[derive(Args, Debug)]
pub struct CellArgs {
    /// Data directory (default ./custodian-data).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// TOML configuration file.
    #[arg(long)]
    config: Option<PathBuf>,
    /// PostgreSQL URL (`postgres://user@host:port/db`) to run the cell on, instead of SQLite
    /// in the data directory.
    #[arg(long)]
    database: Option<String>,
    /// The key-encryption key's file (config `kek`, `CUSTODIAN_KEK`; created on first start;
    /// default `kek.key` in the data directory; its epoch keys live beside it in
    /// `kek.epochs/`), or a PKCS#11 token:
    /// `pkcs11:token=<label>?module-path=<lib>&pin-source=file:<pin file>` (the epoch keys are
    /// then made, used and destroyed in the token). Keep a KEK file outside the data directory
    /// and its backups.
    #[arg(long, value_name = "FILE|URI")]
    kek_file: Option<PathBuf>,
}

/// The configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    jurisdiction: Option<String>,
    origin: Option<String>,
    body_limit: Option<usize>,
    rate_limit: Option<u32>,
    /// PostgreSQL URL; SQLite in the data directory when absent.
    database: Option<String>,
    /// Verifier keys of the regulators whose signed orders the cell obeys (used by orders).
    #[serde(default)]
    regulator_keys: Vec<String>,
    /// The key-encryption key's file (default `kek.key` in the data directory), or a
    /// `pkcs11:` URI naming a token.
    kek: Option<PathBuf>,
    /// Hours between epoch rotations (default 24; 0: only on demand).
    rotate_epoch_hours: Option<u64>,
    /// Where `POST /v1/backups` writes (default `<data dir>-backups`, beside the data
    /// directory).
    backup_dir: Option<PathBuf>,
    /// Working days a person's request may stay open, as the cell's jurisdiction requires
    /// (default 15).
    request_deadline_days: Option<u32>,
    /// Witnesses that cosign the ledger's checkpoints: `[[witnesses]] url = "…" key = "…"`.
    #[serde(default)]
    witnesses: Vec<WitnessConfig>,
    /// Seconds between witnessing rounds while the ledger grows (default 10).
    witness_interval_secs: Option<u64>,
    /// Seconds a client has to send a request's headers; also how long a kept-alive
    /// connection may sit idle (default 10).
    header_timeout_secs: Option<u64>,
    /// Seconds a client has to send a request's body once its headers are in (default 30).
    body_timeout_secs: Option<u64>,
    /// Connections served at once; one more is answered 503 (default 512). Keep it below the
    /// process's open-file limit (`ulimit -n`) less what the store uses.
    max_connections: Option<usize>,
    /// The cell directory: `[cells]` `EU = "https://eu.cell.example"` — where a subject of
    /// another jurisdiction is sent (421 names the cell) — or `EU = { url = "…", key = "…" }`
    /// with the cell's ledger verifier key, to receive transfers from it.
    #[serde(default)]
    cells: std::collections::BTreeMap<String, CellConfig>,
}

/// A cell in the directory: its URL, and its ledger key when this cell receives from it.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum CellConfig {
    /// Only where it is.
    Url(String),
    /// Where it is and its ledger's verifier key.
    Peer {
        /// Its URL.
        url: String,
        /// Its ledger's verifier key (that cell's `custodian serve` prints it at start).
        key: String,
    },
}

/// A witness in the configuration file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WitnessConfig {
    /// Its submission prefix, e.g. `http://witness.example:8900`.
    url: String,
    /// Its cosignature verifier key (`<name>+<hex id>+base64(0x04 || key)`).
    key: String,
}

/// The resolved settings.
#[derive(Debug)]
pub struct Settings {
    listen: String,
    data_dir: PathBuf,
    jurisdiction: Jurisdiction,
    origin: String,
    body_limit: usize,
    rate_limit: Option<u32>,
    database: Database,
    regulator_keys: Vec<custodian_ledger::Verifier>,
    kek: PathBuf,
    rotate_epoch_hours: u64,
    backup_dir: PathBuf,
    request_deadline_days: u32,
    witnesses: Vec<crate::witnessing::WitnessTarget>,
    witness_interval: std::time::Duration,
    cells: std::collections::HashMap<String, String>,
    peers: Vec<custodian_core::Peer>,
    limits: custodian_server::Limits,
}

impl Settings {
    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The KEK's file.
    pub fn kek(&self) -> &Path {
        &self.kek
    }

    /// Where the data is.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// The verifier key of the cell's ledger (its `ledger.key` must exist: the cell was started).
    pub fn ledger_verifier(&self) -> Result<custodian_ledger::Verifier> {
        let path = self.data_dir.join("ledger.key");
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "cannot read the cell's ledger key `{}` (start the cell once first)",
                path.display()
            )
        })?;
        Ok(Signer::parse(text.trim())
            .with_context(|| format!("ledger key `{}`", path.display()))?
            .verifier())
    }
}

/// Where a cell keeps its data.
pub enum Database {
    /// SQLite files in the data directory.
    Sqlite,
    /// A PostgreSQL database (the URL may hold a password: never printed).
    Postgres(String),
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite => f.write_str("Sqlite"),
            Database::Postgres(_) => f.write_str("Postgres(<url>)"),
        }
    }
}

fn database(url: Option<String>) -> Result<Database> {
    match url {
        None => Ok(Database::Sqlite),
        Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
            Ok(Database::Postgres(u))
        }
        Some(u) if u == "sqlite" => Ok(Database::Sqlite),
        Some(_) => {
            bail!("database must be a postgres:// or postgresql:// URL, or `sqlite` (the default)")
        }
    }
}

/// The store a cell runs on.
pub enum CellStore {
    /// Embedded SQLite.
    Sqlite(Arc<SqliteStore>),
    /// PostgreSQL.
    Postgres(Arc<PgStore>),
}

impl CellStore {
    fn as_store(&self) -> Arc<dyn Store> {
        match self {
            CellStore::Sqlite(s) => s.clone(),
            CellStore::Postgres(s) => s.clone(),
        }
    }

    /// Where the data is, for the start-up line.
    fn describe(&self) -> String {
        match self {
            CellStore::Sqlite(s) => format!("SQLite in {}", s.dir().display()),
            CellStore::Postgres(s) => {
                let tls = match (s.tls(), s.tls_in_use()) {
                    (_, Ok(false)) => "no TLS".to_string(),
                    (mode, Ok(true)) => format!("TLS, sslmode={}", mode.as_str()),
                    (_, Err(_)) => "TLS unknown".to_string(),
                };
                format!("PostgreSQL at {} ({tls})", s.target())
            }
        }
    }

    /// Lets the writer commit what is queued, then stops it.
    pub fn close(&self) {
        match self {
            CellStore::Sqlite(s) => s.close(),
            CellStore::Postgres(s) => s.close(),
        }
    }
}

fn settings(a: &CellArgs, listen: Option<String>) -> Result<Settings> {
    let file: FileConfig = match &a.config {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read config `{}`", p.display()))?;
            // The position, not the parser's quote of the line: it may hold a password.
            toml::from_str(&text).map_err(|e| {
                let at = e.span().map_or(String::new(), |r| {
                    let before = &text[..r.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    format!(" line {line}, column {column}:")
                });
                anyhow::anyhow!("config `{}`:{at} {}", p.display(), e.message())
            })?
        }
        None => FileConfig::default(),
    };
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let listen = listen
        .or(env("CUSTODIAN_LISTEN"))
        .or(file.listen)
        .unwrap_or_else(|| "127.0.0.1:8700".into());
    // A bare port listens on loopback.
    let listen = match listen.parse::<u16>() {
        Ok(port) => format!("127.0.0.1:{port}"),
        Err(_) => listen,
    };
    let data_dir = a
        .data_dir
        .clone()
        .or(env("CUSTODIAN_DATA_DIR").map(PathBuf::from))
        .or(file.data_dir)
        .unwrap_or_else(|| PathBuf::from("custodian-data"));
    let j = env("CUSTODIAN_JURISDICTION")
        .or(file.jurisdiction)
        .unwrap_or_else(|| "CN".into());
    let jurisdiction =
        Jurisdiction::parse(&j).map_err(|e| anyhow::anyhow!("jurisdiction `{j}`: {e}"))?;
    let origin = env("CUSTODIAN_ORIGIN")
        .or(file.origin)
        .unwrap_or_else(|| format!("custodian.local/{}/ledger", j.to_lowercase()));
    let body_limit = match env("CUSTODIAN_BODY_LIMIT") {
        Some(v) => v
            .parse()
            .with_context(|| format!("CUSTODIAN_BODY_LIMIT `{v}` is not a number of bytes"))?,
        None => file.body_limit.unwrap_or(1 << 20),
    };
    if body_limit < 1024 {
        bail!("body_limit must be at least 1024 bytes");
    }
    let rate_limit = match env("CUSTODIAN_RATE_LIMIT") {
        Some(v) => Some(v.parse().with_context(|| {
            format!("CUSTODIAN_RATE_LIMIT `{v}` is not a number of requests per second")
        })?),
        None => file.rate_limit,
    };
    let database = database(
        a.database
            .clone()
            .or(env("CUSTODIAN_DATABASE"))
            .or(file.database),
    )?;
    let mut regulator_keys = Vec::new();
    for k in &file.regulator_keys {
        regulator_keys.push(
            custodian_ledger::Verifier::parse(k)
                .map_err(|e| anyhow::anyhow!("regulator key `{k}`: {e}"))?,
        );
    }
    let kek = a
        .kek_file
        .clone()
        .or(env("CUSTODIAN_KEK").map(PathBuf::from))
        .or(file.kek)
        .unwrap_or_else(|| data_dir.join("kek.key"));
    let rotate_epoch_hours = match env("CUSTODIAN_ROTATE_EPOCH_HOURS") {
        Some(v) => v.parse().with_context(|| {
            format!("CUSTODIAN_ROTATE_EPOCH_HOURS `{v}` is not a number of hours")
        })?,
        None => file.rotate_epoch_hours.unwrap_or(24),
    };
    let backup_dir = env("CUSTODIAN_BACKUP_DIR")
        .map(PathBuf::from)
        .or(file.backup_dir)
        .unwrap_or_else(|| PathBuf::from(format!("{}-backups", data_dir.display())));
    let request_deadline_days = file
        .request_deadline_days
        .unwrap_or(custodian_core::vault::DEFAULT_REQUEST_DAYS);
    if request_deadline_days == 0 {
        bail!("request_deadline_days must be at least 1");
    }
    let mut witnesses = Vec::new();
    for w in &file.witnesses {
        let key = custodian_ledger::CosignatureVerifier::parse(&w.key)
            .map_err(|e| anyhow::anyhow!("witness `{}`: key: {e}", w.url))?;
        witnesses.push(crate::witnessing::WitnessTarget::new(&w.url, key));
    }
    let witness_interval =
        std::time::Duration::from_secs(file.witness_interval_secs.unwrap_or(10).max(1));
    let mut cells = std::collections::HashMap::new();
    let mut peers = Vec::new();
    for (j, c) in &file.cells {
        let cell = Jurisdiction::parse(j).map_err(|e| anyhow::anyhow!("[cells] `{j}`: {e}"))?;
        if cell == jurisdiction {
            bail!("[cells] `{j}` is this cell's own jurisdiction");
        }
        let url = match c {
            CellConfig::Url(u) => u,
            CellConfig::Peer { url, key } => {
                let key = custodian_ledger::Verifier::parse(key)
                    .map_err(|e| anyhow::anyhow!("[cells] `{j}`: key: {e}"))?;
                peers.push(custodian_core::Peer { cell, key });
                url
            }
        };
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            bail!("[cells] `{j}`: `{url}` is not an http(s) URL");
        }
        cells.insert(j.clone(), url.trim_end_matches('/').to_string());
    }
    let defaults = custodian_server::Limits::default();
    let secs = |v: Option<u64>, d: std::time::Duration, what: &str| match v {
        Some(0) => bail!("{what} must be at least 1 second"),
        Some(n) => Ok(std::time::Duration::from_secs(n)),
        None => Ok(d),
    };
    let max_connections = match env("CUSTODIAN_MAX_CONNECTIONS") {
        Some(v) => v.parse().with_context(|| {
            format!("CUSTODIAN_MAX_CONNECTIONS `{v}` is not a number of connections")
        })?,
        None => file.max_connections.unwrap_or(defaults.max_connections),
    };
    if max_connections == 0 {
        bail!("max_connections must be at least 1");
    }
    let limits = custodian_server::Limits {
        header_timeout: secs(
            file.header_timeout_secs,
            defaults.header_timeout,
            "header_timeout_secs",
        )?,
        body_timeout: secs(
            file.body_timeout_secs,
            defaults.body_timeout,
            "body_timeout_secs",
        )?,
        max_connections,
    };
    Ok(Settings {
        limits,
        cells,
        peers,
        witnesses,
        witness_interval,
        request_deadline_days,
        backup_dir,
        listen,
        data_dir,
        jurisdiction,
        origin,
        body_limit,
        rate_limit,
        database,
        regulator_keys,
        kek,
        rotate_epoch_hours,
    })
}

/// Opens an existing cell for a maintenance command (`keys`, `backup`): refuses a data
/// directory with no SQLite store in it rather than create a cell nobody can sign in to.
pub fn open_existing(s: &Settings) -> Result<(Arc<Vault>, CellStore)> {
    if matches!(s.database, Database::Sqlite) && !s.data_dir.join("store/vault.db").exists() {
        bail!(
            "no cell in `{}` (no store/vault.db): start it once with `custodian serve`, or name \
             its data directory with --data-dir",
            s.data_dir.display()
        );
    }
    let (vault, store, _) = open_cell_with(s, false)?;
    Ok((vault, store))
}

/// Opens (creating if needed) the cell in the data directory; returns the vault, the store
/// and, on first start, the new admin key.
pub fn open_cell(s: &Settings) -> Result<(Arc<Vault>, CellStore, Option<String>)> {
    open_cell_with(s, true)
}

fn open_cell_with(
    s: &Settings,
    create_admin: bool,
) -> Result<(Arc<Vault>, CellStore, Option<String>)> {
    std::fs::create_dir_all(&s.data_dir)
        .with_context(|| format!("cannot create data directory `{}`", s.data_dir.display()))?;
    crate::datadir::keys_belong_here(&s.data_dir, &s.database)?;
    let kek = custodian_keys::open_holder(&s.kek, create_admin)?;
    let store = match &s.database {
        Database::Sqlite => {
            CellStore::Sqlite(Arc::new(SqliteStore::open(&s.data_dir.join("store"))?))
        }
        Database::Postgres(url) => CellStore::Postgres(Arc::new(PgStore::open(url)?)),
    };
    let entries = store.as_store().ledger_head()?.size.get();
    let signer = crate::datadir::ledger_signer(&s.data_dir, &s.origin, entries)?;
    let vault = Vault::open(
        store.as_store(),
        kek,
        signer,
        VaultConfig {
            jurisdiction: s.jurisdiction.clone(),
            origin: s.origin.clone(),
            regulator_keys: s.regulator_keys.clone(),
            peers: s.peers.clone(),
        },
    )?
    .with_request_days(s.request_deadline_days);
    let has_admin = vault
        .api_keys(&AdminScope::new())?
        .iter()
        .any(|k| k.role == Role::Admin && k.revoked_at.is_none());
    let admin = if has_admin || !create_admin {
        None
    } else {
        Some(
            vault
                .create_api_key(&AdminScope::new(), Access::Admin)?
                .1
                .expose()
                .to_string(),
        )
    };
    Ok((Arc::new(vault), store, admin))
}

/// Resolves a cell's settings from its arguments, the config file and the environment.
pub(crate) fn cell_settings(a: &CellArgs) -> Result<Settings> {
    settings(a, None)
}

/// Whether the KEK file lies inside the data directory (a copy of the directory would then
/// be a copy of every key).
fn kek_inside_data_dir(s: &Settings) -> bool {
    if s.kek.to_str().is_some_and(|k| k.starts_with("pkcs11:")) {
        return false;
    }
    let dir = std::fs::canonicalize(&s.data_dir).unwrap_or_else(|_| s.data_dir.clone());
    let kek = std::fs::canonicalize(&s.kek).unwrap_or_else(|_| s.kek.clone());
    kek.starts_with(dir)
}

/// Rotates the epoch every `hours`, counted from the current epoch's start (a cell that was
/// down past the due time rotates at once). Runs until the process ends.
fn schedule_rotations(vault: Arc<Vault>, hours: u64) {
    let period = std::time::Duration::from_secs(hours.saturating_mul(3600));
    let spawned = std::thread::Builder::new()
        .name("custodian-epoch-rotation".into())
        .spawn(move || {
            loop {
                let started = vault.epoch_started().ok().flatten().unwrap_or(0);
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_millis())
                    .unwrap_or(0);
                let due = u128::try_from(started).unwrap_or(0) + period.as_millis();
                if now < due {
                    let wait = u64::try_from(due - now).unwrap_or(u64::MAX);
                    // Wake at least hourly: another process may have rotated meanwhile.
                    std::thread::sleep(std::time::Duration::from_millis(wait.min(3_600_000)));
                    continue;
                }
                match vault.rotate_epoch(&AdminScope::new()) {
                    Ok(r) => eprintln!(
                        "custodian: epoch rotated {} → {}: {} subject key(s) and {} tenant key(s) re-wrapped, epochs destroyed: {:?}",
                        r.from, r.to, r.subject_keys, r.tenant_keys, r.destroyed
                    ),
                    Err(e) => {
                        eprintln!("custodian: epoch rotation failed (retrying in 10 minutes): {e}");
                        std::thread::sleep(std::time::Duration::from_secs(600));
                    }
                }
            }
        });
    if let Err(e) = spawned {
        eprintln!("custodian: cannot schedule epoch rotations: {e}");
    }
}

/// Destroys values past their retention every hour (the first sweep a minute after start).
fn schedule_sweeps(vault: Arc<Vault>) {
    let spawned = std::thread::Builder::new()
        .name("custodian-retention-sweep".into())
        .spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(60));
            loop {
                match vault.sweep_retention(&AdminScope::new()) {
                    Ok(r) if r.values > 0 => eprintln!(
                        "custodian: retention sweep destroyed {} value(s) of {} subject(s)",
                        r.values, r.subjects
                    ),
                    Ok(_) => {}
                    Err(e) => eprintln!("custodian: retention sweep failed (next in an hour): {e}"),
                }
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
        });
    if let Err(e) = spawned {
        eprintln!("custodian: cannot schedule retention sweeps: {e}");
    }
}

/// Runs `custodian serve`.
pub fn run(a: ServeArgs) -> Result<ExitCode> {
    let s = settings(&a.cell, a.listen.clone())?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    // The address first: a first start that cannot listen must not create (and so lose) the
    // administrator's key it would print.
    let listener = rt
        .block_on(tokio::net::TcpListener::bind(&s.listen))
        .with_context(|| format!("cannot listen on `{}`", s.listen))?;
    let (vault, store, admin) = open_cell(&s)?;
    // A store its witnesses have seen further (or otherwise) is not served.
    if let Err(e) = crate::witnessing::check_at_start(&vault, &s.witnesses) {
        drop(vault);
        store.close();
        return Err(e);
    }
    let holder = vault.key_status(&AdminScope::new())?.holder;
    if kek_inside_data_dir(&s) {
        eprintln!(
            "custodian: warning: the key-encryption key `{}` is inside the data directory: a copy \
             of the directory is a copy of every key. Set `kek` (--kek-file, CUSTODIAN_KEK) to a file \
             kept elsewhere and out of backups.",
            s.kek.display()
        );
    }
    if s.rotate_epoch_hours > 0 {
        schedule_rotations(vault.clone(), s.rotate_epoch_hours);
    } else {
        eprintln!(
            "custodian: warning: epoch rotation is off (rotate_epoch_hours = 0): an erased \
             subject stays readable in every backup taken before the erasure until `custodian keys \
             rotate`. The compliance report counts such erasures as pending, from the ledger."
        );
    }
    schedule_sweeps(vault.clone());
    let stopped_by_witness = rt.block_on(async {
        let addr = listener.local_addr()?;
        // Everything goes out before the address line (the "ready" signal a supervisor or a
        // test waits for), and a closed stdout is not an error: whoever started the server
        // may stop reading once it is ready.
        let mut out = std::io::stdout().lock();
        if let Some(k) = &admin {
            let _ = writeln!(out, "admin key (shown once, keep it secret): {k}");
        }
        if !s.regulator_keys.is_empty() {
            let _ = writeln!(
                out,
                "trusting {} regulator key(s) for orders",
                s.regulator_keys.len()
            );
        }
        let _ = writeln!(
            out,
            "custodian: jurisdiction {} on http://{addr} (data: {}; keys: {}; ledger key in {}); ledger verifier key {}",
            s.jurisdiction,
            store.describe(),
            holder,
            s.data_dir.display(),
            vault.verifier_key()
        );
        let _ = out.flush();
        drop(out);
        let mut state = custodian_server::AppState::new(vault.clone());
        state.body_limit = s.body_limit;
        state.rate_limit = s.rate_limit;
        state.backup_dir = Some(s.backup_dir.clone().into());
        state.cells = std::sync::Arc::new(s.cells.clone());
        state.limits = s.limits;
        // Notified by the witnessing thread when a witness shows the store is not the one it
        // follows: the cell stops as on a signal, and exits with a failure.
        let stop = Arc::new(tokio::sync::Notify::new());
        if !s.witnesses.is_empty() {
            crate::witnessing::schedule(
                vault.clone(),
                s.witnesses.clone(),
                s.witness_interval,
                state.witnessed.clone(),
                stop.clone(),
            );
        }
        let stopped = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let until = {
            let stopped = stopped.clone();
            async move {
                tokio::select! {
                    () = shutdown_signal() => {},
                    () = stop.notified() => stopped.store(true, std::sync::atomic::Ordering::Relaxed),
                }
            }
        };
        custodian_server::serve(listener, state, until).await?;
        anyhow::Ok(stopped.load(std::sync::atomic::Ordering::Relaxed))
    })?;
    // In-flight requests have finished; let the writer commit what is queued.
    drop(vault);
    store.close();
    let _ = writeln!(std::io::stderr(), "custodian: stopped");
    Ok(if stopped_by_witness {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Resolves on Ctrl-C or SIGTERM.
pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
