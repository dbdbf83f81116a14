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
use custodian_keys::FileKeys;
use custodian_ledger::Signer;
use custodian_store::{PgStore, SqliteStore};
use serde::Deserialize;

/// Arguments of `custodian serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8700).
    #[arg(long)]
    listen: Option<String>,
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
            CellStore::Postgres(s) => format!("PostgreSQL at {}", s.target()),
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

fn settings(a: &ServeArgs) -> Result<Settings> {
    let file: FileConfig = match &a.config {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read config `{}`", p.display()))?;
            toml::from_str(&text)
                .map_err(|e| anyhow::anyhow!("config `{}`: {}", p.display(), e.message()))?
        }
        None => FileConfig::default(),
    };
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let listen = a
        .listen
        .clone()
        .or(env("CUSTODIAN_LISTEN"))
        .or(file.listen)
        .unwrap_or_else(|| "127.0.0.1:8700".into());
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
    Ok(Settings {
        listen,
        data_dir,
        jurisdiction,
        origin,
        body_limit,
        rate_limit,
        database,
        regulator_keys,
    })
}

fn ledger_signer(dir: &Path, origin: &str) -> Result<Signer> {
    let path = dir.join("ledger.key");
    match std::fs::read_to_string(&path) {
        Ok(s) => {
            Ok(Signer::parse(s.trim())
                .with_context(|| format!("ledger key `{}`", path.display()))?)
        }
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

/// Opens (creating if needed) the cell in the data directory; returns the vault, the store
/// and, on first start, the new admin key.
pub fn open_cell(s: &Settings) -> Result<(Arc<Vault>, CellStore, Option<String>)> {
    std::fs::create_dir_all(&s.data_dir)
        .with_context(|| format!("cannot create data directory `{}`", s.data_dir.display()))?;
    let kek = Arc::new(FileKeys::open(&s.data_dir.join("kek.key"))?);
    let signer = ledger_signer(&s.data_dir, &s.origin)?;
    let store = match &s.database {
        Database::Sqlite => {
            CellStore::Sqlite(Arc::new(SqliteStore::open(&s.data_dir.join("store"))?))
        }
        Database::Postgres(url) => CellStore::Postgres(Arc::new(PgStore::open(url)?)),
    };
    let vault = Vault::open(
        store.as_store(),
        kek,
        signer,
        VaultConfig {
            jurisdiction: s.jurisdiction.clone(),
            origin: s.origin.clone(),
            regulator_keys: s.regulator_keys.clone(),
        },
    )?;
    let has_admin = vault
        .api_keys(&AdminScope::new())?
        .iter()
        .any(|k| k.role == Role::Admin && k.revoked_at.is_none());
    let admin = if has_admin {
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

/// Runs `custodian serve`.
pub fn run(a: ServeArgs) -> Result<ExitCode> {
    let s = settings(&a)?;
    let (vault, store, admin) = open_cell(&s)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(&s.listen)
            .await
            .with_context(|| format!("cannot listen on `{}`", s.listen))?;
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
            "custodian: jurisdiction {} on http://{addr} (data: {}; keys in {}); ledger verifier key {}",
            s.jurisdiction,
            store.describe(),
            s.data_dir.display(),
            vault.verifier_key()
        );
        let _ = out.flush();
        drop(out);
        let mut state = custodian_server::AppState::new(vault.clone());
        state.body_limit = s.body_limit;
        state.rate_limit = s.rate_limit;
        custodian_server::serve(listener, state, shutdown_signal()).await?;
        anyhow::Ok(())
    })?;
    // In-flight requests have finished; let the writer commit what is queued.
    drop(vault);
    store.close();
    let _ = writeln!(std::io::stderr(), "custodian: stopped");
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
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
