//! The PostgreSQL store, for cells that outgrow one machine: several server processes may
//! share one database.
//!
//! **Group commit across processes.** Each process runs one writer task with its own
//! connection. `commit` hands it the act and its ledger entries and waits; the writer takes
//! every job waiting and runs them in one transaction: it first locks the single row of
//! `ledger_head` (`SELECT … FOR UPDATE`), so writers of all processes append to the Merkle
//! log one transaction at a time. If another process appended since this one last did, the
//! writer reloads the log's frontier from `ledger_nodes` before appending. Each job runs in
//! its own savepoint (one failing job does not sink the others); the batch's ledger entries
//! and new nodes are inserted together, `ledger_head` gets the new size and root, and the
//! transaction commits before any job is answered. Indexes are therefore assigned without
//! gaps or duplicates (`ledger_entries.idx` is also the primary key, a second line of defence).
//!
//! **Keys apart from data.** Subject data keys live in their own schema,
//! `custodian_keys.subject_keys`, so a data backup can leave them out
//! (`pg_dump --exclude-schema=custodian_keys`); erasure deletes the key and marks the subject
//! erased in the same transaction.
//!
//! **Migrations** are embedded, versioned in `custodian_migrations`, and applied under an
//! advisory lock, so processes starting together migrate once.
//!
//! The `Store` trait is synchronous; this store runs its own small Tokio runtime and each
//! call waits for its task on a channel, so it works from any thread (including an HTTP
//! server's blocking pool).

use std::future::Future;
use std::str::FromStr;
use std::sync::Mutex;

use custodian_core::access::Role;
use custodian_core::ids::{
    FieldName, IdError, Jurisdiction, PurposeId, ServiceName, SubjectId, SubjectRole, TenantId,
    Token,
};
use custodian_core::store::{
    ApiKeyRecord, Change, LedgerHead, Store, StoreError, SubjectRow, TenantRecord, ValueRecord,
};
use custodian_core::subject::{Consent, SubjectInfo};
use custodian_ledger::{Entry, Hash, LeafIndex, Log, NodeId, TreeSize};
use deadpool_postgres::{ClientWrapper, Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

/// Embedded migrations: (version, SQL).
const MIGRATIONS: &[(i32, &str)] = &[
    (
        1,
        "CREATE TABLE tenants(
            id TEXT PRIMARY KEY,
            manifest TEXT NOT NULL,
            wrapped_key BYTEA NOT NULL
        );
        CREATE TABLE subjects(
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            minor BOOLEAN NOT NULL,
            registered_at BIGINT NOT NULL,
            erased BOOLEAN NOT NULL DEFAULT FALSE,
            PRIMARY KEY (tenant, id)
        );
        CREATE TABLE consents(
            seq BIGSERIAL PRIMARY KEY,
            tenant TEXT NOT NULL,
            subject TEXT NOT NULL,
            purpose TEXT NOT NULL,
            notice_version TEXT NOT NULL,
            granted_at BIGINT NOT NULL,
            withdrawn_at BIGINT,
            separate BOOLEAN NOT NULL,
            by_guardian BOOLEAN NOT NULL
        );
        CREATE INDEX consents_subject ON consents(tenant, subject);
        CREATE TABLE vals(
            tenant TEXT NOT NULL,
            token TEXT NOT NULL,
            subject TEXT NOT NULL,
            field TEXT NOT NULL,
            blind_index TEXT,
            sealed BYTEA NOT NULL,
            key_version BIGINT NOT NULL,
            purpose TEXT NOT NULL,
            collected_at BIGINT NOT NULL,
            PRIMARY KEY (tenant, token)
        );
        CREATE INDEX vals_subject ON vals(tenant, subject);
        CREATE INDEX vals_blind ON vals(tenant, field, blind_index) WHERE blind_index IS NOT NULL;
        CREATE TABLE ledger_entries(idx BIGINT PRIMARY KEY, entry BYTEA NOT NULL);
        CREATE TABLE ledger_nodes(
            level INTEGER NOT NULL,
            idx BIGINT NOT NULL,
            hash BYTEA NOT NULL,
            PRIMARY KEY (level, idx)
        );
        CREATE TABLE ledger_head(
            id INTEGER PRIMARY KEY CHECK (id = 1),
            size BIGINT NOT NULL,
            root BYTEA NOT NULL
        );
        CREATE TABLE api_keys(
            id TEXT PRIMARY KEY,
            hash BYTEA NOT NULL UNIQUE,
            role TEXT NOT NULL,
            tenant TEXT,
            service TEXT,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT
        );
        CREATE TABLE orders(
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            nonce TEXT NOT NULL UNIQUE,
            note TEXT NOT NULL
        );
        CREATE SCHEMA custodian_keys;
        CREATE TABLE custodian_keys.subject_keys(
            tenant TEXT NOT NULL,
            subject TEXT NOT NULL,
            wrapped BYTEA NOT NULL,
            PRIMARY KEY (tenant, subject)
        );",
    ),
    (
        2,
        "ALTER TABLE ledger_head ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;",
    ),
    (
        3,
        // Subject roles; one consent row per subject and purpose (a new grant replaces the
        // old one; the ledger keeps the history): keep each purpose's latest row.
        "ALTER TABLE subjects ADD COLUMN role TEXT;
        DELETE FROM consents c USING consents d
            WHERE c.tenant = d.tenant AND c.subject = d.subject AND c.purpose = d.purpose
              AND c.seq < d.seq;
        DROP INDEX consents_subject;
        CREATE UNIQUE INDEX consents_subject_purpose ON consents(tenant, subject, purpose);",
    ),
];

/// Advisory lock key held while migrating (any fixed number unique to Custodian).
const MIGRATION_LOCK: i64 = 0x6375_7374_6f64;

/// Most jobs one transaction takes.
const MAX_BATCH: usize = 512;

/// Connections in the read pool (the writer has its own).
const DEFAULT_POOL: usize = 16;

/// A PostgreSQL error, without the row values PostgreSQL puts in its details (they could
/// name subjects or tokens): the message and SQLSTATE only.
fn pg_err(e: tokio_postgres::Error) -> StoreError {
    match e.as_db_error() {
        Some(d) => StoreError::Backend(format!(
            "postgres: {} (SQLSTATE {})",
            d.message(),
            d.code().code()
        )),
        None => StoreError::Backend(format!("postgres: {e}")),
    }
}

fn pool_err(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => pg_err(e),
        other => StoreError::Backend(format!("postgres pool: {other}")),
    }
}

fn is_unique_violation(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

fn bad_row(e: IdError) -> StoreError {
    StoreError::Backend(format!("stored row is invalid: {e}"))
}

fn to_i64(v: u64, what: &str) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| StoreError::Backend(format!("{what} too large")))
}

fn to_hash(b: &[u8]) -> Result<Hash, StoreError> {
    <[u8; 32]>::try_from(b)
        .map(Hash)
        .map_err(|_| StoreError::Backend("stored hash is not 32 bytes".into()))
}

struct Job {
    /// The configuration generation the act was decided under, if it depends on one.
    generation: Option<u64>,
    change: Change,
    entries: Vec<Entry>,
    reply: oneshot::Sender<Result<Vec<LeafIndex>, StoreError>>,
}

/// The PostgreSQL store.
pub struct PgStore {
    runtime: Mutex<Option<tokio::runtime::Runtime>>,
    handle: tokio::runtime::Handle,
    pool: Pool,
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    writer: Mutex<Option<tokio::task::JoinHandle<()>>>,
    target: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

/// `host:port/dbname` of a connection configuration, for messages (never the password).
fn describe(cfg: &tokio_postgres::Config) -> String {
    let host = cfg
        .get_hosts()
        .first()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(s) => s.clone(),
            tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = cfg.get_ports().first().copied().unwrap_or(5432);
    format!("{host}:{port}/{}", cfg.get_dbname().unwrap_or("postgres"))
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/dbname`),
    /// applies any missing migrations, and starts the writer.
    pub fn open(url: &str) -> Result<PgStore, StoreError> {
        PgStore::open_with_pool(url, DEFAULT_POOL)
    }

    /// As [`PgStore::open`], with `pool` connections for reads.
    pub fn open_with_pool(url: &str, pool: usize) -> Result<PgStore, StoreError> {
        let cfg = tokio_postgres::Config::from_str(url)
            .map_err(|e| StoreError::Backend(format!("invalid PostgreSQL URL: {e}")))?;
        let target = describe(&cfg);
        if matches!(cfg.get_ssl_mode(), tokio_postgres::config::SslMode::Require) {
            return Err(StoreError::Backend(format!(
                "sslmode=require for {target}: TLS to PostgreSQL is not supported yet; run the \
                 cell beside its database or over a private link (sslmode=disable or prefer)"
            )));
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("custodian-pg")
            .enable_all()
            .build()
            .map_err(|e| {
                StoreError::Backend(format!("cannot start the PostgreSQL runtime: {e}"))
            })?;
        let handle = runtime.handle().clone();
        let mgr = Manager::from_config(
            cfg,
            tokio_postgres::NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(mgr)
            .max_size(pool.max(1))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Backend(format!("cannot build the connection pool: {e}")))?;
        let (tx, rx) = mpsc::channel::<Job>(4096);
        let store = PgStore {
            runtime: Mutex::new(Some(runtime)),
            handle,
            pool,
            jobs: Mutex::new(Some(tx)),
            writer: Mutex::new(None),
            target,
        };
        let pool = store.pool.clone();
        let target = store.target.clone();
        let log = store.run(async move {
            let mut client = pool.get().await.map_err(|e| {
                StoreError::Backend(format!(
                    "cannot connect to PostgreSQL at {target}: {}",
                    pool_err(e)
                ))
            })?;
            migrate(&mut client).await?;
            let size = head_row(&client).await?.size;
            load_log(&client, size).await
        })?;
        let pool = store.pool.clone();
        let writer = store.handle.spawn(writer_loop(pool, log, rx));
        if let Ok(mut w) = store.writer.lock() {
            *w = Some(writer);
        }
        Ok(store)
    }

    /// Where this store is (`host:port/dbname`).
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Runs `f` on the store's runtime and waits for it, from any thread.
    fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.handle.spawn(async move {
            let _ = tx.send(f.await);
        });
        rx.recv()
            .map_err(|_| StoreError::Backend("the PostgreSQL runtime has stopped".into()))?
    }

    /// Runs one query on a pooled connection.
    fn read<T, F, Fut>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(deadpool_postgres::Client) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, StoreError>> + Send,
    {
        let pool = self.pool.clone();
        self.run(async move {
            let c = pool.get().await.map_err(pool_err)?;
            f(c).await
        })
    }

    /// Stops the writer after the jobs already queued (graceful shutdown). Later commits fail.
    pub fn close(&self) {
        if let Ok(mut tx) = self.jobs.lock() {
            tx.take();
        }
        let writer = self.writer.lock().ok().and_then(|mut w| w.take());
        if let Some(w) = writer {
            let _ = self.run(async move {
                let _ = w.await;
                Ok(())
            });
        }
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        self.close();
        self.pool.close();
        if let Ok(mut rt) = self.runtime.lock()
            && let Some(rt) = rt.take()
        {
            // Safe to call from async code too (a blocking shutdown would panic there).
            rt.shutdown_background();
        }
    }
}

async fn migrate(client: &mut deadpool_postgres::Client) -> Result<(), StoreError> {
    let tx = client.transaction().await.map_err(pg_err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(pg_err)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS custodian_migrations(
            version INTEGER PRIMARY KEY,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )",
    )
    .await
    .map_err(pg_err)?;
    let current: i32 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM custodian_migrations",
            &[],
        )
        .await
        .map_err(pg_err)?
        .get(0);
    for (v, sql) in MIGRATIONS {
        if *v > current {
            tx.batch_execute(sql).await.map_err(pg_err)?;
            tx.execute(
                "INSERT INTO custodian_migrations(version) VALUES ($1)",
                &[v],
            )
            .await
            .map_err(pg_err)?;
        }
    }
    let empty = Log::new().root();
    tx.execute(
        "INSERT INTO ledger_head(id, size, root) VALUES (1, 0, $1) ON CONFLICT (id) DO NOTHING",
        &[&empty.0.as_slice()],
    )
    .await
    .map_err(pg_err)?;
    tx.commit().await.map_err(pg_err)
}

async fn head_row(c: &ClientWrapper) -> Result<LedgerHead, StoreError> {
    let st = c
        .prepare_cached("SELECT size, root FROM ledger_head WHERE id = 1")
        .await
        .map_err(pg_err)?;
    let row = c.query_one(&st, &[]).await.map_err(pg_err)?;
    let size: i64 = row.get(0);
    let root: Vec<u8> = row.get(1);
    Ok(LedgerHead {
        size: TreeSize::new(
            u64::try_from(size).map_err(|_| StoreError::Backend("negative ledger size".into()))?,
        ),
        root: to_hash(&root)?,
    })
}

/// The log of `size` entries, from its frontier nodes.
async fn load_log(c: &ClientWrapper, size: TreeSize) -> Result<Log, StoreError> {
    let ids = Log::frontier_ids(size);
    let levels: Vec<i32> = ids.iter().map(|id| i32::from(id.level)).collect();
    let idxs = ids
        .iter()
        .map(|id| to_i64(id.index, "node index"))
        .collect::<Result<Vec<_>, _>>()?;
    let st = c
        .prepare_cached(
            "SELECT n.level, n.idx, n.hash FROM ledger_nodes n
             JOIN unnest($1::int[], $2::bigint[]) AS w(level, idx)
               ON n.level = w.level AND n.idx = w.idx",
        )
        .await
        .map_err(pg_err)?;
    let rows = c.query(&st, &[&levels, &idxs]).await.map_err(pg_err)?;
    let mut found = std::collections::HashMap::with_capacity(rows.len());
    for r in rows {
        found.insert(
            (r.get::<_, i32>(0), r.get::<_, i64>(1)),
            r.get::<_, Vec<u8>>(2),
        );
    }
    let mut hashes = Vec::with_capacity(ids.len());
    for (level, idx) in levels.iter().zip(&idxs) {
        let h = found
            .get(&(*level, *idx))
            .ok_or_else(|| StoreError::Backend(format!("ledger node {level}/{idx} missing")))?;
        hashes.push(to_hash(h)?);
    }
    Log::from_frontier(size, &hashes).map_err(|e| StoreError::Backend(e.to_string()))
}

async fn writer_loop(pool: Pool, mut log: Log, mut rx: mpsc::Receiver<Job>) {
    let mut client: Option<deadpool_postgres::Client> = None;
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let c = match client.take() {
            Some(c) => c,
            None => match pool.get().await {
                Ok(c) => c,
                Err(e) => {
                    let e = pool_err(e);
                    for j in jobs {
                        let _ = j.reply.send(Err(StoreError::Backend(e.to_string())));
                    }
                    continue;
                }
            },
        };
        match run_batch(&c, &mut log, &jobs).await {
            Ok(results) => {
                for (j, r) in jobs.into_iter().zip(results) {
                    let _ = j.reply.send(r);
                }
                client = Some(c);
            }
            Err(e) => {
                let _ = c.batch_execute("ROLLBACK").await;
                for j in jobs {
                    let _ = j
                        .reply
                        .send(Err(StoreError::Backend(format!("commit failed: {e}"))));
                }
                // Reload the log from the database on the next batch, on a fresh connection
                // (this one may be broken).
                log = Log::new();
                drop(c);
            }
        }
    }
}

type JobResults = Vec<Result<Vec<LeafIndex>, StoreError>>;

/// A statement parameter, owned (so a batch's statements can be built before any is sent).
type Param = Box<dyn ToSql + Sync + Send>;

/// How a statement's outcome maps to the job's result.
#[derive(Clone, Debug)]
enum Check {
    /// Any error fails the job.
    Plain,
    /// A unique violation is a token collision (the vault retries with new tokens).
    TokenConflict,
    /// A unique violation is a replayed order.
    OrderReplay(String),
    /// No row touched: the named thing does not exist.
    NotFoundIfNone(String),
}

/// One statement of an act.
struct Op {
    sql: &'static str,
    params: Vec<Param>,
    check: Check,
}

impl Op {
    fn new(sql: &'static str, params: Vec<Param>) -> Op {
        Op {
            sql,
            params,
            check: Check::Plain,
        }
    }

    fn check(mut self, check: Check) -> Op {
        self.check = check;
        self
    }

    /// The job's view of this statement's outcome.
    fn outcome(&self, r: Result<u64, tokio_postgres::Error>) -> Result<(), StoreError> {
        match (r, &self.check) {
            (Ok(0), Check::NotFoundIfNone(what)) => Err(StoreError::NotFound(what.clone())),
            (Ok(_), _) => Ok(()),
            (Err(e), Check::TokenConflict) if is_unique_violation(&e) => {
                Err(StoreError::TokenConflict)
            }
            (Err(e), Check::OrderReplay(id)) if is_unique_violation(&e) => Err(
                StoreError::Backend(format!("order `{id}` or its nonce already stored")),
            ),
            (Err(e), _) => Err(pg_err(e)),
        }
    }
}

fn s(v: &str) -> Param {
    Box::new(v.to_owned())
}

/// The statements that carry out `act`, in order. Each act's effect on other rows is in one
/// statement or in statements whose order does not matter, and every statement of a batch is
/// sent in job order, so the database sees the acts in the order the ledger records them.
fn ops(change: &Change) -> Vec<Op> {
    match change {
        Change::Record => vec![],
        Change::PutTenant(t) => vec![Op::new(
            "INSERT INTO tenants(id, manifest, wrapped_key) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET manifest = excluded.manifest",
            vec![
                s(t.id.as_str()),
                s(&t.manifest),
                Box::new(t.wrapped_key.clone()),
            ],
        )],
        Change::Register {
            subject,
            wrapped_key,
        } => vec![
            Op::new(
                "INSERT INTO custodian_keys.subject_keys(tenant, subject, wrapped) VALUES ($1, $2, $3)",
                vec![
                    s(subject.tenant.as_str()),
                    s(subject.id.as_str()),
                    Box::new(wrapped_key.clone()),
                ],
            ),
            Op::new(
                "INSERT INTO subjects(tenant, id, jurisdiction, minor, registered_at, erased, role)
                 VALUES ($1, $2, $3, $4, $5, FALSE, $6)",
                vec![
                    s(subject.tenant.as_str()),
                    s(subject.id.as_str()),
                    s(subject.jurisdiction.as_str()),
                    Box::new(subject.minor),
                    Box::new(subject.registered_at),
                    Box::new(subject.role.as_ref().map(|r| r.as_str().to_string())),
                ],
            ),
        ],
        Change::Consent {
            tenant,
            subject,
            consent,
        } => vec![Op::new(
            "INSERT INTO consents(tenant, subject, purpose, notice_version, granted_at, withdrawn_at, separate, by_guardian)
             VALUES ($1, $2, $3, $4, $5, NULL, $6, $7)
             ON CONFLICT (tenant, subject, purpose) DO UPDATE SET notice_version = EXCLUDED.notice_version,
               granted_at = EXCLUDED.granted_at, withdrawn_at = NULL, separate = EXCLUDED.separate,
               by_guardian = EXCLUDED.by_guardian",
            vec![
                s(tenant.as_str()),
                s(subject.as_str()),
                s(consent.purpose.as_str()),
                s(&consent.notice_version),
                Box::new(consent.granted_at),
                Box::new(consent.separate),
                Box::new(consent.by_guardian),
            ],
        )],
        Change::Withdraw {
            tenant,
            subject,
            purpose,
            at,
        } => vec![Op::new(
            "UPDATE consents SET withdrawn_at = $4
             WHERE tenant = $1 AND subject = $2 AND purpose = $3 AND withdrawn_at IS NULL",
            vec![
                s(tenant.as_str()),
                s(subject.as_str()),
                s(purpose.as_str()),
                Box::new(*at),
            ],
        )],
        Change::Collect(values) => {
            let col = |f: &dyn Fn(&ValueRecord) -> String| -> Param {
                Box::new(values.iter().map(f).collect::<Vec<String>>())
            };
            vec![
                Op::new(
                    "INSERT INTO vals(tenant, token, subject, field, blind_index, sealed, key_version, purpose, collected_at)
                     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                                          $6::bytea[], $7::bigint[], $8::text[], $9::bigint[])",
                    vec![
                        col(&|v| v.tenant.as_str().to_owned()),
                        col(&|v| v.token.as_str().to_owned()),
                        col(&|v| v.subject.as_str().to_owned()),
                        col(&|v| v.field.as_str().to_owned()),
                        Box::new(
                            values
                                .iter()
                                .map(|v| v.blind_index.clone())
                                .collect::<Vec<Option<String>>>(),
                        ),
                        Box::new(values.iter().map(|v| v.sealed.clone()).collect::<Vec<_>>()),
                        Box::new(
                            values
                                .iter()
                                .map(|v| i64::from(v.key_version))
                                .collect::<Vec<i64>>(),
                        ),
                        col(&|v| v.purpose.as_str().to_owned()),
                        Box::new(values.iter().map(|v| v.collected_at).collect::<Vec<i64>>()),
                    ],
                )
                .check(Check::TokenConflict),
            ]
        }
        Change::PutApiKey(k) => vec![Op::new(
            "INSERT INTO api_keys(id, hash, role, tenant, service, created_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, NULL)",
            vec![
                s(&k.id),
                Box::new(k.hash.to_vec()),
                s(k.role.as_str()),
                Box::new(k.tenant.as_ref().map(|t| t.as_str().to_owned())),
                Box::new(k.service.as_ref().map(|s| s.as_str().to_owned())),
                Box::new(k.created_at),
            ],
        )],
        Change::RevokeApiKey { id, at } => vec![
            Op::new(
                "UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                vec![s(id), Box::new(*at)],
            )
            .check(Check::NotFoundIfNone(format!("API key `{id}`"))),
        ],
        Change::PutOrder { id, nonce, note } => vec![
            Op::new(
                "INSERT INTO orders(id, nonce, note) VALUES ($1, $2, $3)",
                vec![s(id), s(nonce), s(note)],
            )
            .check(Check::OrderReplay(id.clone())),
        ],
        // One statement: the key, the erased mark and the values go together; the row count
        // is keys deleted plus subjects marked (zero: no such subject).
        Change::Erase { tenant, subject } => vec![
            Op::new(
                "WITH k AS (DELETE FROM custodian_keys.subject_keys WHERE tenant = $1 AND subject = $2 RETURNING 1),
                      m AS (UPDATE subjects SET erased = TRUE WHERE tenant = $1 AND id = $2 RETURNING 1),
                      v AS (DELETE FROM vals WHERE tenant = $1 AND subject = $2 RETURNING 1)
                 SELECT 1 FROM k UNION ALL SELECT 1 FROM m",
                vec![s(tenant.as_str()), s(subject.as_str())],
            )
            .check(Check::NotFoundIfNone(format!("subject `{subject}`"))),
        ],
    }
}

/// What a batch adds to the ledger.
#[derive(Default)]
struct LedgerRows {
    entry_idx: Vec<i64>,
    entry_bytes: Vec<Vec<u8>>,
    node_level: Vec<i32>,
    node_idx: Vec<i64>,
    node_hash: Vec<Vec<u8>>,
}

impl LedgerRows {
    /// Appends a job's encoded entries to `log`; their indexes.
    fn append(
        &mut self,
        log: &mut Log,
        encoded: Vec<Vec<u8>>,
    ) -> Result<Vec<LeafIndex>, StoreError> {
        let mut out = Vec::with_capacity(encoded.len());
        for bytes in encoded {
            let (idx, nodes) = log.append(custodian_ledger::leaf_hash(&bytes));
            self.entry_idx.push(to_i64(idx.get(), "ledger index")?);
            self.entry_bytes.push(bytes);
            for (id, h) in nodes {
                self.node_level.push(i32::from(id.level));
                self.node_idx.push(to_i64(id.index, "node index")?);
                self.node_hash.push(h.0.to_vec());
            }
            out.push(idx);
        }
        Ok(out)
    }

    /// The statements that store them and move the head to `log` and `generation` (none
    /// when the batch changed neither).
    fn ops(
        self,
        log: &Log,
        generation: u64,
        generation_changed: bool,
    ) -> Result<Vec<Op>, StoreError> {
        let mut ops = Vec::with_capacity(3);
        if !self.entry_idx.is_empty() {
            ops.push(Op::new(
                "INSERT INTO ledger_entries(idx, entry) SELECT * FROM unnest($1::bigint[], $2::bytea[])",
                vec![Box::new(self.entry_idx), Box::new(self.entry_bytes)],
            ));
            ops.push(Op::new(
                "INSERT INTO ledger_nodes(level, idx, hash)
                 SELECT * FROM unnest($1::int[], $2::bigint[], $3::bytea[])",
                vec![
                    Box::new(self.node_level),
                    Box::new(self.node_idx),
                    Box::new(self.node_hash),
                ],
            ));
        } else if !generation_changed {
            return Ok(ops);
        }
        ops.push(Op::new(
            "UPDATE ledger_head SET size = $1, root = $2, generation = $3 WHERE id = 1",
            vec![
                Box::new(to_i64(log.size().get(), "ledger size")?),
                Box::new(log.root().0.to_vec()),
                Box::new(to_i64(generation, "generation")?),
            ],
        ));
        Ok(ops)
    }
}

/// Sends every statement before awaiting any (one round trip for all: tokio-postgres
/// pipelines requests in the order they are first polled), then collects the row counts.
async fn pipeline(
    c: &ClientWrapper,
    ops: &[Op],
) -> Result<Vec<Result<u64, tokio_postgres::Error>>, StoreError> {
    let mut statements = Vec::with_capacity(ops.len());
    for op in ops {
        statements.push(c.prepare_cached(op.sql).await.map_err(pg_err)?);
    }
    let params: Vec<Vec<&(dyn ToSql + Sync)>> = ops
        .iter()
        .map(|op| {
            op.params
                .iter()
                .map(|p| p.as_ref() as &(dyn ToSql + Sync))
                .collect()
        })
        .collect();
    let mut pending: Vec<_> = statements
        .iter()
        .zip(&params)
        .map(|(st, p)| Box::pin(c.execute(st, p)))
        .collect();
    let mut done: Vec<Option<Result<u64, tokio_postgres::Error>>> =
        (0..pending.len()).map(|_| None).collect();
    // Poll each once, in order: this writes every request to the connection.
    std::future::poll_fn(|cx| {
        for (f, d) in pending.iter_mut().zip(done.iter_mut()) {
            if let std::task::Poll::Ready(r) = f.as_mut().poll(cx) {
                *d = Some(r);
            }
        }
        std::task::Poll::Ready(())
    })
    .await;
    let mut out = Vec::with_capacity(pending.len());
    for (f, d) in pending.into_iter().zip(done) {
        out.push(match d {
            Some(r) => r,
            None => f.await,
        });
    }
    Ok(out)
}

/// Locks the ledger head (the cross-process append lock), brings `log` up to date, and
/// returns the configuration generation.
async fn begin_locked(c: &ClientWrapper, log: &mut Log) -> Result<u64, StoreError> {
    // BEGIN and the lock in one round trip.
    let msgs = c
        .simple_query("BEGIN; SELECT size, generation FROM ledger_head WHERE id = 1 FOR UPDATE")
        .await
        .map_err(pg_err)?;
    let (size, generation) = msgs
        .iter()
        .find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => Some((
                r.get(0).and_then(|s| s.parse::<u64>().ok()),
                r.get(1).and_then(|s| s.parse::<u64>().ok()),
            )),
            _ => None,
        })
        .and_then(|(a, b)| Some((a?, b?)))
        .ok_or_else(|| StoreError::Backend("ledger head row missing".into()))?;
    let size = TreeSize::new(size);
    if size != log.size() {
        // Another process appended since this one last did (or this is a retry).
        *log = load_log(c, size).await?;
    }
    Ok(generation)
}

/// Whether `act` changes the configuration generation.
fn changes_config(change: &Change) -> bool {
    matches!(change, Change::PutTenant(_) | Change::PutOrder { .. })
}

/// Encodes a job's entries (a job whose entries do not encode changes nothing).
fn encode(job: &Job) -> Result<Vec<Vec<u8>>, StoreError> {
    job.entries
        .iter()
        .map(|e| e.encode().map_err(|e| StoreError::Backend(e.to_string())))
        .collect()
}

/// One transaction for a batch of jobs. The fast path sends every statement of the batch in
/// one pipeline; if any job fails there, the transaction is rolled back and the batch runs
/// again job by job, each in a savepoint, so the failing job fails alone. `Err` means the
/// whole batch failed (`log` may then be stale: the caller resets it).
async fn run_batch(
    c: &ClientWrapper,
    log: &mut Log,
    jobs: &[Job],
) -> Result<JobResults, StoreError> {
    let first_generation = begin_locked(c, log).await?;
    let mut generation = first_generation;
    let start = log.clone();
    let mut rows = LedgerRows::default();
    let mut all_ops = Vec::new();
    // Whether each statement is a job's (not the ledger's).
    let mut of_job = Vec::new();
    let mut results: JobResults = Vec::with_capacity(jobs.len());
    let mut clean = true;
    for job in jobs {
        if job.generation.is_some_and(|g| g != generation) {
            results.push(Err(StoreError::Stale));
            continue;
        }
        if changes_config(&job.change) {
            generation += 1;
        }
        match encode(job) {
            Ok(encoded) => {
                for op in ops(&job.change) {
                    all_ops.push(op);
                    of_job.push(true);
                }
                results.push(rows.append(log, encoded));
            }
            Err(e) => {
                clean = false;
                results.push(Err(e));
            }
        }
    }
    if clean {
        for op in rows.ops(log, generation, generation != first_generation)? {
            all_ops.push(op);
            of_job.push(false);
        }
        let outcomes: Vec<Result<(), StoreError>> = pipeline(c, &all_ops)
            .await?
            .into_iter()
            .zip(&all_ops)
            .map(|(r, op)| op.outcome(r))
            .collect();
        // A job's failure (an SQL error aborts the transaction, so every later statement
        // fails too) sends the batch down the slow path; only with every job through is a
        // failing ledger statement the batch's own failure.
        let job_failed = outcomes
            .iter()
            .zip(&of_job)
            .any(|(r, of_job)| r.is_err() && *of_job);
        if !job_failed {
            if let Some(Err(e)) = outcomes.into_iter().find(Result::is_err) {
                return Err(e);
            }
            c.batch_execute("COMMIT").await.map_err(pg_err)?;
            return Ok(results);
        }
    }
    // Slow path: start over, job by job.
    c.batch_execute("ROLLBACK").await.map_err(pg_err)?;
    *log = start;
    run_batch_each(c, log, jobs).await
}

/// The batch again, each job in a savepoint (a failing job leaves no trace).
async fn run_batch_each(
    c: &ClientWrapper,
    log: &mut Log,
    jobs: &[Job],
) -> Result<JobResults, StoreError> {
    let first_generation = begin_locked(c, log).await?;
    let mut generation = first_generation;
    let mut rows = LedgerRows::default();
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        if job.generation.is_some_and(|g| g != generation) {
            results.push(Err(StoreError::Stale));
            continue;
        }
        let encoded = match encode(job) {
            Ok(v) => v,
            Err(e) => {
                results.push(Err(e));
                continue;
            }
        };
        let job_ops = ops(&job.change);
        if !job_ops.is_empty() {
            c.batch_execute("SAVEPOINT job").await.map_err(pg_err)?;
            let mut outcome = Ok(());
            for op in &job_ops {
                let st = c.prepare_cached(op.sql).await.map_err(pg_err)?;
                let params: Vec<&(dyn ToSql + Sync)> = op
                    .params
                    .iter()
                    .map(|p| p.as_ref() as &(dyn ToSql + Sync))
                    .collect();
                outcome = op.outcome(c.execute(&st, &params).await);
                if outcome.is_err() {
                    break;
                }
            }
            if let Err(e) = outcome {
                c.batch_execute("ROLLBACK TO job; RELEASE job")
                    .await
                    .map_err(pg_err)?;
                results.push(Err(e));
                continue;
            }
            c.batch_execute("RELEASE job").await.map_err(pg_err)?;
        }
        if changes_config(&job.change) {
            generation += 1;
        }
        results.push(rows.append(log, encoded));
    }
    let tail = rows.ops(log, generation, generation != first_generation)?;
    for (op, r) in tail.iter().zip(pipeline(c, &tail).await?) {
        op.outcome(r)?;
    }
    c.batch_execute("COMMIT").await.map_err(pg_err)?;
    Ok(results)
}

const VALUE_COLS: &str =
    "tenant, token, subject, field, blind_index, sealed, key_version, purpose, collected_at";

fn to_value(r: &tokio_postgres::Row) -> Result<ValueRecord, StoreError> {
    Ok(ValueRecord {
        tenant: TenantId::parse(r.get::<_, &str>(0)).map_err(bad_row)?,
        token: Token::parse(r.get::<_, &str>(1)).map_err(bad_row)?,
        subject: SubjectId::parse(r.get::<_, &str>(2)).map_err(bad_row)?,
        field: FieldName::parse(r.get::<_, &str>(3)).map_err(bad_row)?,
        blind_index: r.get(4),
        sealed: r.get(5),
        key_version: u32::try_from(r.get::<_, i64>(6))
            .map_err(|_| StoreError::Backend("stored key version out of range".into()))?,
        purpose: PurposeId::parse(r.get::<_, &str>(7)).map_err(bad_row)?,
        collected_at: r.get(8),
    })
}

/// A subject and its wrapped key (`None` once erased).
async fn subject_row(
    c: &ClientWrapper,
    tenant: &TenantId,
    subject: &SubjectId,
) -> Result<Option<SubjectRow>, StoreError> {
    let st = c
        .prepare_cached(
            "SELECT s.jurisdiction, s.minor, s.registered_at, s.erased, k.wrapped, s.role
             FROM subjects s LEFT JOIN custodian_keys.subject_keys k
               ON k.tenant = s.tenant AND k.subject = s.id
             WHERE s.tenant = $1 AND s.id = $2",
        )
        .await
        .map_err(pg_err)?;
    let Some(r) = c
        .query_opt(&st, &[&tenant.as_str(), &subject.as_str()])
        .await
        .map_err(pg_err)?
    else {
        return Ok(None);
    };
    let jurisdiction = Jurisdiction::parse(r.get::<_, &str>(0)).map_err(bad_row)?;
    let erased: bool = r.get(3);
    let wrapped: Option<Vec<u8>> = r.get(4);
    let role = r
        .get::<_, Option<&str>>(5)
        .map(SubjectRole::parse)
        .transpose()
        .map_err(bad_row)?;
    let info = SubjectInfo {
        id: subject.clone(),
        tenant: tenant.clone(),
        jurisdiction,
        role,
        minor: r.get(1),
        registered_at: r.get(2),
        erased,
    };
    Ok(Some((info, if erased { None } else { wrapped })))
}

/// A subject's consents, oldest first.
async fn consent_rows(
    c: &ClientWrapper,
    tenant: &TenantId,
    subject: &SubjectId,
) -> Result<Vec<Consent>, StoreError> {
    let st = c
        .prepare_cached(
            "SELECT purpose, notice_version, granted_at, withdrawn_at, separate, by_guardian
             FROM consents WHERE tenant = $1 AND subject = $2 ORDER BY seq",
        )
        .await
        .map_err(pg_err)?;
    let rows = c
        .query(&st, &[&tenant.as_str(), &subject.as_str()])
        .await
        .map_err(pg_err)?;
    rows.iter()
        .map(|r| {
            Ok(Consent {
                purpose: PurposeId::parse(r.get::<_, &str>(0)).map_err(bad_row)?,
                notice_version: r.get(1),
                granted_at: r.get(2),
                withdrawn_at: r.get(3),
                separate: r.get(4),
                by_guardian: r.get(5),
            })
        })
        .collect()
}

const KEY_COLS: &str = "id, hash, role, tenant, service, created_at, revoked_at";

fn to_key(r: &tokio_postgres::Row) -> Result<ApiKeyRecord, StoreError> {
    let hash: Vec<u8> = r.get(1);
    Ok(ApiKeyRecord {
        id: r.get(0),
        hash: hash
            .try_into()
            .map_err(|_| StoreError::Backend("stored key hash is not 32 bytes".into()))?,
        role: Role::parse(r.get::<_, &str>(2))
            .ok_or_else(|| StoreError::Backend("stored key has an unknown role".into()))?,
        tenant: r
            .get::<_, Option<&str>>(3)
            .map(TenantId::parse)
            .transpose()
            .map_err(bad_row)?,
        service: r
            .get::<_, Option<&str>>(4)
            .map(ServiceName::parse)
            .transpose()
            .map_err(bad_row)?,
        created_at: r.get(5),
        revoked_at: r.get(6),
    })
}

impl PgStore {
    fn submit(
        &self,
        generation: Option<u64>,
        change: Change,
        entries: Vec<Entry>,
    ) -> Result<Vec<LeafIndex>, StoreError> {
        let (reply, rx) = oneshot::channel();
        let tx = self
            .jobs
            .lock()
            .map_err(|_| StoreError::Backend("writer channel poisoned".into()))?
            .clone()
            .ok_or_else(|| StoreError::Backend("the store is closed".into()))?;
        self.run(async move {
            tx.send(Job {
                generation,
                change,
                entries,
                reply,
            })
            .await
            .map_err(|_| StoreError::Backend("the writer has stopped".into()))?;
            rx.await
                .map_err(|_| StoreError::Backend("the writer has stopped".into()))?
        })
    }
}

impl Store for PgStore {
    fn commit(&self, change: Change, entries: Vec<Entry>) -> Result<Vec<LeafIndex>, StoreError> {
        self.submit(None, change, entries)
    }

    fn commit_at(
        &self,
        generation: u64,
        change: Change,
        entries: Vec<Entry>,
    ) -> Result<Vec<LeafIndex>, StoreError> {
        self.submit(Some(generation), change, entries)
    }

    fn generation(&self) -> Result<u64, StoreError> {
        self.read(|c| async move {
            let st = c
                .prepare_cached("SELECT generation FROM ledger_head WHERE id = 1")
                .await
                .map_err(pg_err)?;
            let g: i64 = c.query_one(&st, &[]).await.map_err(pg_err)?.get(0);
            u64::try_from(g).map_err(|_| StoreError::Backend("negative generation".into()))
        })
    }

    fn tenants(&self) -> Result<Vec<TenantRecord>, StoreError> {
        self.read(|c| async move {
            let st = c
                .prepare_cached("SELECT id, manifest, wrapped_key FROM tenants ORDER BY id")
                .await
                .map_err(pg_err)?;
            let rows = c.query(&st, &[]).await.map_err(pg_err)?;
            rows.iter()
                .map(|r| {
                    Ok(TenantRecord {
                        id: TenantId::parse(r.get::<_, &str>(0)).map_err(bad_row)?,
                        manifest: r.get(1),
                        wrapped_key: r.get(2),
                    })
                })
                .collect()
        })
    }

    fn subject(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Option<SubjectRow>, StoreError> {
        let (tenant, subject) = (tenant.clone(), subject.clone());
        self.read(move |c| async move { subject_row(&c, &tenant, &subject).await })
    }

    fn consents(&self, tenant: &TenantId, subject: &SubjectId) -> Result<Vec<Consent>, StoreError> {
        let (tenant, subject) = (tenant.clone(), subject.clone());
        self.read(move |c| async move { consent_rows(&c, &tenant, &subject).await })
    }

    fn subject_and_consents(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Option<(SubjectRow, Vec<Consent>)>, StoreError> {
        let (tenant, subject) = (tenant.clone(), subject.clone());
        self.read(move |c| async move {
            // Both queries on one connection at once: one round trip.
            let (row, consents) = tokio::join!(
                subject_row(&c, &tenant, &subject),
                consent_rows(&c, &tenant, &subject)
            );
            match row? {
                Some(row) => Ok(Some((row, consents?))),
                None => Ok(None),
            }
        })
    }

    fn value_by_token(
        &self,
        tenant: &TenantId,
        token: &Token,
    ) -> Result<Option<ValueRecord>, StoreError> {
        let (tenant, token) = (tenant.clone(), token.clone());
        self.read(move |c| async move {
            let st = c
                .prepare_cached(&format!(
                    "SELECT {VALUE_COLS} FROM vals WHERE tenant = $1 AND token = $2"
                ))
                .await
                .map_err(pg_err)?;
            let r = c
                .query_opt(&st, &[&tenant.as_str(), &token.as_str()])
                .await
                .map_err(pg_err)?;
            r.as_ref().map(to_value).transpose()
        })
    }

    fn tokens_by_blind_index(
        &self,
        tenant: &TenantId,
        field: &FieldName,
        index: &str,
    ) -> Result<Vec<Token>, StoreError> {
        let (tenant, field, index) = (tenant.clone(), field.clone(), index.to_owned());
        self.read(move |c| async move {
            let st = c
                .prepare_cached(
                    "SELECT token FROM vals WHERE tenant = $1 AND field = $2 AND blind_index = $3
                     ORDER BY collected_at, token",
                )
                .await
                .map_err(pg_err)?;
            let rows = c
                .query(&st, &[&tenant.as_str(), &field.as_str(), &index])
                .await
                .map_err(pg_err)?;
            rows.iter()
                .map(|r| Token::parse(r.get::<_, &str>(0)).map_err(bad_row))
                .collect()
        })
    }

    fn subject_values(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Vec<ValueRecord>, StoreError> {
        let (tenant, subject) = (tenant.clone(), subject.clone());
        self.read(move |c| async move {
            let st = c
                .prepare_cached(&format!(
                    "SELECT {VALUE_COLS} FROM vals WHERE tenant = $1 AND subject = $2
                     ORDER BY collected_at, token"
                ))
                .await
                .map_err(pg_err)?;
            let rows = c
                .query(&st, &[&tenant.as_str(), &subject.as_str()])
                .await
                .map_err(pg_err)?;
            rows.iter().map(to_value).collect()
        })
    }

    fn ledger_head(&self) -> Result<LedgerHead, StoreError> {
        // Read from the database, not a cache: other processes append too.
        self.read(|c| async move { head_row(&c).await })
    }

    fn ledger_node(&self, id: NodeId) -> Result<Option<Hash>, StoreError> {
        let level = i32::from(id.level);
        let idx = to_i64(id.index, "node index")?;
        self.read(move |c| async move {
            let st = c
                .prepare_cached("SELECT hash FROM ledger_nodes WHERE level = $1 AND idx = $2")
                .await
                .map_err(pg_err)?;
            let r = c.query_opt(&st, &[&level, &idx]).await.map_err(pg_err)?;
            r.map(|r| to_hash(r.get::<_, &[u8]>(0))).transpose()
        })
    }

    fn api_key(&self, hash: &[u8; 32]) -> Result<Option<ApiKeyRecord>, StoreError> {
        let hash = hash.to_vec();
        self.read(move |c| async move {
            let st = c
                .prepare_cached(&format!("SELECT {KEY_COLS} FROM api_keys WHERE hash = $1"))
                .await
                .map_err(pg_err)?;
            let r = c.query_opt(&st, &[&hash]).await.map_err(pg_err)?;
            r.as_ref().map(to_key).transpose()
        })
    }

    fn api_keys(&self) -> Result<Vec<ApiKeyRecord>, StoreError> {
        self.read(|c| async move {
            let st = c
                .prepare_cached(&format!(
                    "SELECT {KEY_COLS} FROM api_keys ORDER BY created_at, id"
                ))
                .await
                .map_err(pg_err)?;
            let rows = c.query(&st, &[]).await.map_err(pg_err)?;
            rows.iter().map(to_key).collect()
        })
    }

    fn orders(&self) -> Result<Vec<String>, StoreError> {
        self.read(|c| async move {
            let st = c
                .prepare_cached("SELECT note FROM orders ORDER BY seq")
                .await
                .map_err(pg_err)?;
            let rows = c.query(&st, &[]).await.map_err(pg_err)?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    fn ledger_entries(&self, from: u64, to: u64) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
        let (from, to) = (
            i64::try_from(from).unwrap_or(i64::MAX),
            i64::try_from(to).unwrap_or(i64::MAX),
        );
        self.read(move |c| async move {
            let st = c
                .prepare_cached(
                    "SELECT idx, entry FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx",
                )
                .await
                .map_err(pg_err)?;
            let rows = c.query(&st, &[&from, &to]).await.map_err(pg_err)?;
            rows.iter()
                .map(|r| {
                    let i: i64 = r.get(0);
                    Ok((
                        u64::try_from(i)
                            .map_err(|_| StoreError::Backend("negative ledger index".into()))?,
                        r.get(1),
                    ))
                })
                .collect()
        })
    }
}
