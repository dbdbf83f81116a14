//! The PostgreSQL store, for cells that outgrow one machine: several server processes may
//! share one database.
//!
//! **Group commit across processes.** Each process runs one writer task with its own
//! connection (`writer`): it takes every job waiting and runs them in one transaction under the
//! lock of `ledger_head`'s one row, so the writers of all processes append to the Merkle log one
//! transaction at a time (reloading the log's frontier if another appended). A batch's
//! statements, ledger rows and head go in one pipeline; a failing job sends the batch again job
//! by job in savepoints. Indexes are assigned without gaps or duplicates (`ledger_entries.idx`
//! is also the primary key, a second line of defence).
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
use std::sync::{Arc, Mutex};

use custodian_core::access::Role;
use custodian_core::ids::{
    FieldName, HoldReason, IdError, Jurisdiction, PurposeId, ServiceName, SubjectId, SubjectRole,
    TenantId, Token,
};
use custodian_core::keyring::Epoch;
use custodian_core::store::{
    ApiKeyRecord, Change, EpochRecord, LedgerHead, Store, StoreError, SubjectRow,
    SubjectWithConsents, TenantRecord, ValueRecord, WrappedKey,
};
use custodian_core::subject::{Consent, LegalHold, SubjectInfo};
use custodian_ledger::{Entry, Hash, LeafIndex, Log, NodeId, TreeSize};
use deadpool_postgres::{ClientWrapper, Pool};

pub use connect::{Tls, connect_one};
use connect::{pg_err, pool_err};
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

mod backup;
mod block;
mod commit;
mod connect;
mod flush;
mod gather;
mod ops;
mod reference;
mod rows;
mod schema;
mod shared;
mod transfers;
mod writer;

use block::block_on;
use flush::{InFlight, Unflushed, answer, flush, flusher_loop, incarnation};
use ops::*;
use rows::*;
use schema::*;
use writer::*;

/// Most jobs one transaction takes.
const MAX_BATCH: usize = 512;

/// Connections in the pool: the writer's, the flusher's (for each flush) and the reads'.
const DEFAULT_POOL: usize = 16;

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
    /// Answers the batches the writer committed without waiting for the disk.
    flusher: Mutex<Option<tokio::task::JoinHandle<()>>>,
    target: String,
    tls: connect::Tls,
    counters: Arc<crate::counters::WriterCounters>,
    readers: Arc<shared::Readers>,
    /// Gathers concurrent point reads of a subject into one statement (`None` without shared
    /// connections).
    gather: Option<gather::Gather>,
    /// The server's incarnation at the last `settle` (or the opening): see `flush_now`.
    settled_under: Arc<flush::Settled>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/dbname`),
    /// applies any missing migrations, and starts the writer.
    pub fn open(url: &str) -> Result<PgStore, StoreError> {
        PgStore::open_with_pool(url, DEFAULT_POOL)
    }

    /// As [`PgStore::open`], with `pool` connections for reads.
    pub fn open_with_pool(url: &str, pool: usize) -> Result<PgStore, StoreError> {
        let pool_size = pool;
        let target = connect::parse(url)?;
        let tls = target.tls;
        let described = connect::describe(&target.config);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(block::runtime_threads())
            .thread_name("custodian-pg")
            .enable_all()
            .build()
            .map_err(|e| {
                StoreError::Backend(format!("cannot start the PostgreSQL runtime: {e}"))
            })?;
        let handle = runtime.handle().clone();
        // The pool's connections are made on the runtime (TLS among them).
        let pool = {
            let _guard = handle.enter();
            connect::pool(&target, pool)?
        };
        let target = described;
        let (tx, rx) = mpsc::channel::<Job>(4096);
        let readers = Arc::new(shared::Readers::new(shared::SHARED_READERS, pool_size));
        let gather = (!readers.is_empty())
            .then(|| gather::Gather::start(&handle, pool.clone(), Arc::clone(&readers)));
        let store = PgStore {
            runtime: Mutex::new(Some(runtime)),
            handle,
            pool,
            jobs: Mutex::new(Some(tx)),
            writer: Mutex::new(None),
            flusher: Mutex::new(None),
            target,
            tls,
            counters: Arc::new(crate::counters::WriterCounters::default()),
            readers,
            gather,
            settled_under: Arc::default(),
        };
        let pool = store.pool.clone();
        let target = store.target.clone();
        let (log, under) = store.run(async move {
            let mut client = pool.get().await.map_err(|e| {
                StoreError::Backend(format!(
                    "cannot connect to PostgreSQL at {target}: {}",
                    pool_err(e)
                ))
            })?;
            migrate(&mut client).await?;
            let size = head_row(&client).await?.size;
            Ok((load_log(&client, size).await?, incarnation(&client).await?))
        })?;
        store.settled_under.set(under)?;
        let in_flight = Arc::new(InFlight::default());
        let (flush_tx, flush_rx) = mpsc::channel::<Unflushed>(8);
        let flusher = store.handle.spawn(flusher_loop(
            store.pool.clone(),
            flush_rx,
            Arc::clone(&in_flight),
        ));
        if let Ok(mut f) = store.flusher.lock() {
            *f = Some(flusher);
        }
        let pool = store.pool.clone();
        let writer = store.handle.spawn(writer_loop(
            pool,
            log,
            rx,
            store.counters.clone(),
            flush_tx,
            in_flight,
        ));
        if let Ok(mut w) = store.writer.lock() {
            *w = Some(writer);
        }
        Ok(store)
    }

    /// Where this store is (`host:port/dbname`).
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The URL's `sslmode`, as the store applies it.
    pub fn tls(&self) -> Tls {
        self.tls
    }

    /// Runs `f` in the store's runtime's context and waits for it, from any thread: the calling
    /// thread polls it (timers, connections and spawned tasks are the runtime's), so no task
    /// is spawned for a call.
    pub(super) fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let _context = self.handle.enter();
        block_on(f)
    }

    /// Runs one query on a pooled connection.
    pub(super) fn read<T, F, Fut>(&self, f: F) -> Result<T, StoreError>
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
        // The writer's last batches, then their flush and answers (the flusher ends when the
        // writer, its only sender, has).
        let flusher = self.flusher.lock().ok().and_then(|mut f| f.take());
        if writer.is_some() || flusher.is_some() {
            let _ = self.run(async move {
                if let Some(w) = writer {
                    let _ = w.await;
                }
                if let Some(f) = flusher {
                    let _ = f.await;
                }
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

    fn commit_many_at(
        &self,
        generation: u64,
        jobs: Vec<(Change, Vec<Entry>)>,
    ) -> Vec<Result<Vec<LeafIndex>, StoreError>> {
        self.submit_many(Some(generation), jobs)
    }

    fn idempotency(
        &self,
        tenant: &TenantId,
        key: &[u8; 32],
    ) -> Result<Option<custodian_core::store::IdempotencyRecord>, StoreError> {
        Ok(
            rows::idempotency_many(self, tenant, std::slice::from_ref(key))?
                .pop()
                .flatten(),
        )
    }

    fn idempotency_many(
        &self,
        tenant: &TenantId,
        keys: &[[u8; 32]],
    ) -> Result<Vec<Option<custodian_core::store::IdempotencyRecord>>, StoreError> {
        rows::idempotency_many(self, tenant, keys)
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
        self.read_settled(|c| async move {
            let st = c
                .prepare_cached(
                    "SELECT id, manifest, wrapped_key, key_epoch FROM tenants ORDER BY id",
                )
                .await
                .map_err(pg_err)?;
            let rows = c.query(&st, &[]).await.map_err(pg_err)?;
            rows.iter()
                .map(|r| {
                    Ok(TenantRecord {
                        id: TenantId::parse(r.get::<_, &str>(0)).map_err(bad_row)?,
                        manifest: r.get(1),
                        wrapped_key: WrappedKey {
                            blob: r.get(2),
                            epoch: to_epoch(r.get(3))?,
                        },
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
        self.read_shared(move |c| async move { subject_row(&c, &tenant, &subject).await })
    }

    fn consents(&self, tenant: &TenantId, subject: &SubjectId) -> Result<Vec<Consent>, StoreError> {
        let (tenant, subject) = (tenant.clone(), subject.clone());
        self.read_shared(move |c| async move { consent_rows(&c, &tenant, &subject).await })
    }

    fn subject_and_consents(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Option<(SubjectRow, Vec<Consent>)>, StoreError> {
        Ok(self
            .subjects_and_consents(tenant, std::slice::from_ref(subject))?
            .pop()
            .flatten())
    }

    fn subjects_and_consents(
        &self,
        tenant: &TenantId,
        subjects: &[SubjectId],
    ) -> Result<Vec<Option<SubjectWithConsents>>, StoreError> {
        // One subject is a point read, gathered with the others under way; a bulk act's list
        // takes a connection of its own.
        if let (Some(gather), [subject]) = (&self.gather, subjects) {
            self.settled_under.mark();
            return Ok(vec![gather.read(tenant, subject)?]);
        }
        let (tenant, subjects) = (tenant.clone(), subjects.to_vec());
        if subjects.len() == 1 {
            self.read_shared(
                move |c| async move { subjects_and_consents(&c, &tenant, &subjects).await },
            )
        } else {
            self.read(move |c| async move { subjects_and_consents(&c, &tenant, &subjects).await })
        }
    }

    fn value_by_token(
        &self,
        tenant: &TenantId,
        token: &Token,
    ) -> Result<Option<ValueRecord>, StoreError> {
        let (tenant, token) = (tenant.clone(), token.clone());
        self.read_shared(move |c| async move {
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
        // Read from the database, not a cache: other processes append too. Flushed after
        // reading: checkpoints are signed over it, and another process's batch may be
        // committed and not yet on disk.
        self.read_settled(|c| async move { head_row(&c).await })
    }

    fn ledger_node(&self, id: NodeId) -> Result<Option<Hash>, StoreError> {
        // Not flushed: proofs read nodes within a head already read and flushed, and every
        // node of it was committed before that head, so is earlier in the log.
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
        self.read_shared(move |c| async move {
            let st = c
                .prepare_cached(&format!("SELECT {KEY_COLS} FROM api_keys WHERE hash = $1"))
                .await
                .map_err(pg_err)?;
            let r = c.query_opt(&st, &[&hash]).await.map_err(pg_err)?;
            r.as_ref().map(to_key).transpose()
        })
    }

    fn api_keys(&self) -> Result<Vec<ApiKeyRecord>, StoreError> {
        self.read_settled(|c| async move {
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

    fn requests(
        &self,
        tenant: Option<&TenantId>,
    ) -> Result<Vec<custodian_core::requests::RequestRecord>, StoreError> {
        self.request_rows(tenant)
    }

    fn transfer_bases(
        &self,
        tenant: &TenantId,
    ) -> Result<Vec<custodian_core::transfers::TransferBasis>, StoreError> {
        self.bases(tenant)
    }

    fn transfer_counts(
        &self,
        org: &custodian_core::ids::OrgCode,
        year: i32,
    ) -> Result<custodian_core::transfers::Counts, StoreError> {
        self.counts(org, year)
    }

    fn transferred(
        &self,
        org: &custodian_core::ids::OrgCode,
        year: i32,
        tenant: &TenantId,
        subjects: &[SubjectId],
    ) -> Result<Vec<(SubjectId, bool)>, StoreError> {
        self.counted(org, year, tenant, subjects)
    }

    fn expired_values(
        &self,
        tenant: &TenantId,
        field: &FieldName,
        before: i64,
        limit: usize,
    ) -> Result<Vec<ValueRecord>, StoreError> {
        let (tenant, field) = (tenant.as_str().to_owned(), field.as_str().to_owned());
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(move |c| async move {
            let st = c
                .prepare_cached(&format!(
                    "SELECT {VALUE_COLS} FROM vals v WHERE v.tenant = $1 AND v.field = $2 AND v.collected_at < $3
                       AND EXISTS (SELECT 1 FROM subjects s WHERE s.tenant = v.tenant AND s.id = v.subject
                                   AND NOT s.erased AND s.hold_reason IS NULL)
                     ORDER BY v.collected_at LIMIT $4"
                ))
                .await
                .map_err(pg_err)?;
            let rows = c
                .query(&st, &[&tenant, &field, &before, &limit])
                .await
                .map_err(pg_err)?;
            rows.iter().map(to_value).collect()
        })
    }

    fn epochs(&self) -> Result<Vec<EpochRecord>, StoreError> {
        self.read_settled(|c| async move { epoch_rows(&c).await })
    }

    fn key_counts(&self) -> Result<Vec<(Epoch, u64)>, StoreError> {
        self.read_settled(|c| async move { key_count_rows(&c).await })
    }

    fn keys_before(
        &self,
        epoch: Epoch,
        limit: usize,
    ) -> Result<Vec<(TenantId, SubjectId, WrappedKey)>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(move |c| async move {
            let st = c
                .prepare_cached(
                    "SELECT tenant, subject, wrapped, epoch FROM custodian_keys.subject_keys
                     WHERE epoch < $1 LIMIT $2",
                )
                .await
                .map_err(pg_err)?;
            let rows = c
                .query(&st, &[&i64::from(epoch), &limit])
                .await
                .map_err(pg_err)?;
            rows.iter()
                .map(|r| {
                    Ok((
                        TenantId::parse(r.get::<_, &str>(0)).map_err(bad_row)?,
                        SubjectId::parse(r.get::<_, &str>(1)).map_err(bad_row)?,
                        WrappedKey {
                            blob: r.get(2),
                            epoch: to_epoch(r.get(3))?,
                        },
                    ))
                })
                .collect()
        })
    }

    fn snapshot(&self, out: &std::path::Path) -> Result<u64, StoreError> {
        self.copy_out(out)
    }

    fn orders(&self) -> Result<Vec<String>, StoreError> {
        self.texts("SELECT note FROM orders ORDER BY seq")
    }

    fn pinned_keys(&self) -> Result<Vec<(u64, String)>, StoreError> {
        self.pins()
    }

    fn received(&self, leaf: &str) -> Result<Option<(TenantId, SubjectId)>, StoreError> {
        self.received_row(leaf)
    }

    fn unrecorded_restore(&self) -> Result<bool, StoreError> {
        Ok(!self.texts("SELECT 'r' FROM restore_unrecorded")?.is_empty())
    }

    fn subject_entries(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
        self.entries_of(tenant, subject)
    }

    fn ledger_entries(&self, from: u64, to: u64) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
        let (from, to) = (
            i64::try_from(from).unwrap_or(i64::MAX),
            i64::try_from(to).unwrap_or(i64::MAX),
        );
        self.read_settled(move |c| async move {
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

    fn settle(&self) -> Result<(), StoreError> {
        self.flush_now()
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.ping_database()
    }

    fn stats(&self) -> custodian_core::store::StoreStats {
        self.figures()
    }
}
