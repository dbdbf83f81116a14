//! The SQLite store: one data file (`vault.db`: tenants, subjects, consents, sealed values,
//! ledger entries and nodes) and one key file (`keys.db`: wrapped subject data keys), both
//! in WAL mode. A commit is durable when it is answered.
//!
//! **Group commit.** One writer thread owns the write connection. `commit` hands it the act
//! and its ledger entries through a channel and waits; the writer takes every job waiting,
//! runs them in one transaction (a savepoint per job only when one fails, so one failing job
//! does not sink the others), appends their ledger entries to the Merkle log, writes the new
//! nodes and commits once. The syncer thread then syncs the logs (one `fdatasync` each for
//! every batch waiting) and only then moves the ledger head and answers each job, while the
//! writer runs the next batch; with nothing else waiting, the writer syncs and answers the
//! batch itself (see `durable`).
//!
//! **Keys apart from data.** Subject data keys (wrapped under epoch keys, which live only in
//! the key holder) are in `keys.db`, not in `vault.db`. Both files run with `secure_delete`, so
//! deleted rows are overwritten with zeros. SQLite commits attached databases atomically only
//! without WAL, so an erasure commits twice, in order: the subject marked erased (values
//! deleted, ledger entry appended) in `vault.db`, then its key deleted in `keys.db`; then
//! `keys.db`'s write-ahead log is checkpointed and truncated, and only then is the erasure
//! answered. [`SqliteStore::open`] finishes an erasure a crash cut between the two commits,
//! and repairs a registration a crash cut between the two files only when the files' counts of
//! key writes say a crash cut it (`repair`): a key file from another time stops the open.
//! A registration's one commit also reaches `vault.db` first: a reader that finds a subject
//! without its key and not marked erased waits for the writer's commit and reads again, so a
//! subject being registered never reads as erased.
//!
//! **Migrations** are embedded and versioned with `PRAGMA user_version`.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use custodian_core::access::Role;
use custodian_core::ids::{
    FieldName, HoldReason, Jurisdiction, OrgCode, PurposeId, ServiceName, SubjectId, SubjectRole,
    TenantId, Token,
};
use custodian_core::keyring::Epoch;
use custodian_core::requests::{RequestRecord, RequestStatus};
use custodian_core::store::{Answer, Pending, pending};
use custodian_core::store::{
    ApiKeyRecord, Change, EpochRecord, LedgerHead, Store, StoreError, SubjectRow,
    SubjectWithConsents, TenantRecord, ValueRecord, WrappedKey,
};
use custodian_core::subject::{Consent, LegalHold, SubjectInfo};
use custodian_core::transfers::{Counts, TransferBasis};
use custodian_ledger::{Entry, Hash, LeafIndex, Log, NodeId, TreeSize};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

mod apply;
mod checkpoint;
mod durable;
mod files;
mod keyfile;
mod reads;
mod reference;
mod repair;
mod rows;
mod schema;
mod transfers;

use crate::request_rows::RawRequest;
mod writer;

use apply::*;
use durable::{Commits, Durable, JobResult, Sealed, WalFiles, settle_batches};
use keyfile::*;
pub(crate) use reference::PREFILL_PER_TRANSACTION;
pub use reference::ReferenceRun;
pub(crate) use repair::{keys_not_older_than, recover, restored_beside_keys};
use rows::*;
pub(crate) use schema::{
    keys_present, keys_schema_known, migrate, open_conn, open_files, reindex_subjects, schema_known,
};
use writer::*;

/// Most jobs one transaction takes.
const MAX_BATCH: usize = 1024;

/// How long a read waits for a registration's second commit, and how many times.
const KEY_WAIT: std::time::Duration = std::time::Duration::from_millis(500);
const KEY_WAIT_ROUNDS: usize = 8;

/// Most idle read connections kept.
const MAX_READERS: usize = 256;

fn db_err(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(format!("sqlite: {e}"))
}

/// What the writer thread is handed.
enum Work {
    /// A commit.
    Commit(Job),
    /// A consistent copy of both files into a directory (between batches, so no commit falls
    /// between the two); answered with the ledger size of the copy.
    Snapshot(PathBuf, SyncSender<Result<u64, StoreError>>),
}

struct Job {
    change: Change,
    entries: Vec<Entry>,
    reply: Answer,
}

/// The embedded SQLite store.
pub struct SqliteStore {
    dir: PathBuf,
    /// Held exclusively while open: one process at a time (the writer keeps the Merkle log
    /// in memory; a second writer process would fork the ledger).
    _lock: std::fs::File,
    tx: Mutex<Option<SyncSender<Work>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    readers: Mutex<Vec<Connection>>,
    /// Read connections open (pooled or in use).
    reader_count: std::sync::atomic::AtomicU64,
    head: Arc<Mutex<LedgerHead>>,
    counters: Arc<crate::counters::WriterCounters>,
    /// Bumped after each of the writer's commits.
    commits: Arc<Commits>,
    /// Batches committed and batches on disk.
    durable: Arc<Durable>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the store in `dir`.
    pub fn open(dir: &Path) -> Result<SqliteStore, StoreError> {
        files::data_beside_keys(dir)?;
        files::private_store(dir)?;
        let lock_path = dir.join("lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| {
                StoreError::Backend(format!("cannot open `{}`: {e}", lock_path.display()))
            })?;
        lock.try_lock().map_err(|e| match e {
            std::fs::TryLockError::WouldBlock => StoreError::Backend(format!(
                "the store in `{}` is in use by another process (SQLite serves one process; \
                 use PostgreSQL to run several)",
                dir.display()
            )),
            std::fs::TryLockError::Error(e) => {
                StoreError::Backend(format!("cannot lock `{}`: {e}", lock_path.display()))
            }
        })?;
        let mut conn = open_conn(dir, true)?;
        // Room for every statement the writer runs, so none is parsed again after the first.
        conn.set_prepared_statement_cache_capacity(64);
        keys_present(&conn, dir)?;
        migrate(&conn)?;
        recover(&conn)?;
        truncate_keys_wal(&conn)?;
        let log = load_log(&conn)?;
        let head = Arc::new(Mutex::new(LedgerHead {
            size: log.size(),
            root: log.root(),
        }));
        // The writer's commits do not wait for the disk; the syncer makes them durable before
        // they are answered (checkpoints still sync the log first and the file after).
        conn.execute_batch("PRAGMA main.synchronous = NORMAL; PRAGMA keys.synchronous = NORMAL;")
            .map_err(db_err)?;
        let (tx, rx) = sync_channel::<Work>(4096);
        let shared = Shared {
            counters: Arc::new(crate::counters::WriterCounters::default()),
            commits: Arc::new(Commits::default()),
            durable: Arc::new(Durable::default()),
            wal: Arc::new(WalFiles::open(dir)?),
            head: Arc::clone(&head),
        };
        let (counters, commits, durable) = (
            Arc::clone(&shared.counters),
            Arc::clone(&shared.commits),
            Arc::clone(&shared.durable),
        );
        // Up to eight committed batches wait for the disk while the writer runs the next (the
        // syncer takes all that wait in one sync).
        let (sealed_tx, sealed_rx) = sync_channel::<Sealed>(8);
        let syncer = durable::start(
            Arc::clone(&shared.wal),
            sealed_rx,
            Arc::clone(&head),
            Arc::clone(&durable),
        )?;
        let checkpointer = checkpoint::start(dir, &mut conn, Some(Arc::clone(&shared.wal)))?;
        let writer = std::thread::Builder::new()
            .name("custodian-sqlite-writer".into())
            .spawn(move || {
                writer_loop(conn, log, rx, &sealed_tx, &shared);
                // The last batches answered, then the checkpointer's wake-ups end with the
                // writer's connection.
                drop(sealed_tx);
                let _ = syncer.join();
                let _ = checkpointer.join();
            })
            .map_err(|e| StoreError::Backend(format!("cannot start the writer thread: {e}")))?;
        Ok(SqliteStore {
            dir: dir.to_path_buf(),
            _lock: lock,
            tx: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(writer)),
            readers: Mutex::new(Vec::new()),
            reader_count: std::sync::atomic::AtomicU64::new(0),
            head,
            counters,
            commits,
            durable,
        })
    }

    /// The directory holding `vault.db` and `keys.db`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes a consistent copy of the store into `out` (`vault.db` and `keys.db`, compacted),
    /// online: the writer takes it between two batches. Returns the copy's ledger size. `out`
    /// must not hold a store already.
    fn take_snapshot(&self, out: &Path) -> Result<u64, StoreError> {
        for f in ["vault.db", "keys.db"] {
            if out.join(f).exists() {
                return Err(StoreError::Backend(format!(
                    "`{}` already holds a {f}",
                    out.display()
                )));
            }
        }
        let (reply, rx) = sync_channel(1);
        self.send(Work::Snapshot(out.to_path_buf(), reply))
            .map_err(|b| b.0)?;
        rx.recv()
            .map_err(|_| StoreError::Backend("the writer has stopped".into()))?
    }

    /// Hands a commit to the writer, to answer through `reply` (at once if the writer cannot
    /// take it).
    fn submit(&self, change: Change, entries: Vec<Entry>, reply: Answer) {
        self.counters.queued();
        let job = Work::Commit(Job {
            change,
            entries,
            reply,
        });
        if let Err(refused) = self.send(job)
            && let (e, Work::Commit(job)) = *refused
        {
            self.counters.taken();
            job.reply.send(Err(e));
        }
    }

    /// Hands work to the writer thread; the work back if it cannot take it (boxed: rare).
    fn send(&self, work: Work) -> Result<(), Box<(StoreError, Work)>> {
        let refused = |why: &str, work| Err(Box::new((StoreError::Backend(why.into()), work)));
        let Ok(tx) = self.tx.lock() else {
            return refused("writer channel poisoned", work);
        };
        let Some(tx) = tx.as_ref() else {
            return refused("the store is closed", work);
        };
        tx.send(work)
            .or_else(|std::sync::mpsc::SendError(w)| refused("the writer has stopped", w))
    }

    /// Stops the writer after the jobs already queued (graceful shutdown). Later commits fail.
    pub fn close(&self) {
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        if let Ok(mut w) = self.writer.lock()
            && let Some(h) = w.take()
        {
            let _ = h.join();
        }
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        self.close();
    }
}

impl Store for SqliteStore {
    fn commit(&self, change: Change, entries: Vec<Entry>) -> Result<Vec<LeafIndex>, StoreError> {
        self.commit_many_at(0, vec![(change, entries)])
            .pop()
            .unwrap_or_else(|| Err(StoreError::Backend("the writer did not answer".into())))
    }

    fn commit_many_at(
        &self,
        _generation: u64,
        jobs: Vec<(Change, Vec<Entry>)>,
    ) -> Vec<Result<Vec<LeafIndex>, StoreError>> {
        // All handed over before any answer is awaited, so they share transactions.
        let waiting: Vec<_> = jobs
            .into_iter()
            .map(|(change, entries)| {
                let (answer, p) = pending();
                self.submit(change, entries, answer);
                p
            })
            .collect();
        waiting.into_iter().map(Pending::wait).collect()
    }

    fn submit_at(&self, _generation: u64, change: Change, entries: Vec<Entry>, answer: Answer) {
        self.submit(change, entries, answer);
    }

    fn reads_inline(&self) -> bool {
        true
    }

    fn idempotency(
        &self,
        tenant: &TenantId,
        key: &[u8; 32],
    ) -> Result<Option<custodian_core::store::IdempotencyRecord>, StoreError> {
        // A replay answers the client with a stored result: only once that result is on disk.
        let found = self.with_reader_fresh(|c| idempotency(c, tenant, key))?;
        if found.is_some() {
            self.durable.settle()?;
        }
        Ok(found)
    }

    fn tenants(&self) -> Result<Vec<TenantRecord>, StoreError> {
        self.with_reader(tenant_rows)
    }

    fn subject(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Option<SubjectRow>, StoreError> {
        Ok(self
            .subject_then(tenant, subject, |_| Ok(()))?
            .map(|(row, ())| row))
    }

    fn subject_and_consents(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Option<SubjectWithConsents>, StoreError> {
        self.subject_then(tenant, subject, |c| consent_rows(c, tenant, subject))
    }

    fn consents(&self, tenant: &TenantId, subject: &SubjectId) -> Result<Vec<Consent>, StoreError> {
        self.with_reader_fresh(|c| consent_rows(c, tenant, subject))
    }

    fn value_by_token(
        &self,
        tenant: &TenantId,
        token: &Token,
    ) -> Result<Option<ValueRecord>, StoreError> {
        self.with_reader_fresh(|c| {
            let v = c
                .prepare_cached(&format!(
                    "SELECT {VALUE_COLS} FROM vals WHERE tenant = ?1 AND token = ?2"
                ))
                .and_then(|mut st| {
                    st.query_row(params![tenant.as_str(), token.as_str()], value_row)
                        .optional()
                })
                .map_err(db_err)?;
            v.map(to_value).transpose()
        })
    }

    fn tokens_by_blind_index(
        &self,
        tenant: &TenantId,
        field: &FieldName,
        index: &str,
    ) -> Result<Vec<Token>, StoreError> {
        self.with_reader_fresh(|c| {
            let mut st = c
                .prepare_cached("SELECT token, collected_at FROM vals INDEXED BY vals_blind WHERE tenant = ?1 AND field = ?2 AND blind_index = ?3")
                .map_err(db_err)?;
            let rows = st
                .query_map(params![tenant.as_str(), field.as_str(), index], |r| Ok((r.get::<_, i64>(1)?, r.get::<_, String>(0)?)))
                .map_err(db_err)?;
            let mut out = Vec::new();
            for r in rows {
                out.push(r.map_err(db_err)?);
            }
            out.sort();
            out.into_iter()
                .map(|(_, t)| Token::parse(&t).map_err(|e| StoreError::Backend(e.to_string())))
                .collect()
        })
    }

    fn subject_values(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Vec<ValueRecord>, StoreError> {
        self.with_reader(|c| {
            let mut st = c
                .prepare_cached(&format!(
                    "SELECT {VALUE_COLS} FROM vals INDEXED BY vals_subject WHERE tenant = ?1 AND subject = ?2"
                ))
                .map_err(db_err)?;
            let rows = st
                .query_map(params![tenant.as_str(), subject.as_str()], value_row)
                .map_err(db_err)?;
            let mut out = Vec::new();
            for r in rows {
                out.push(to_value(r.map_err(db_err)?)?);
            }
            out.sort_by(|a, b| {
                (a.collected_at, a.token.as_str()).cmp(&(b.collected_at, b.token.as_str()))
            });
            Ok(out)
        })
    }

    fn api_key(&self, hash: &[u8; 32]) -> Result<Option<ApiKeyRecord>, StoreError> {
        self.with_reader_fresh(|c| {
            let row = c
                .prepare_cached("SELECT id, hash, role, tenant, service, created_at, revoked_at FROM api_keys WHERE hash = ?1")
                .and_then(|mut st| st.query_row(params![hash.to_vec()], key_row).optional())
                .map_err(db_err)?;
            row.map(to_key).transpose()
        })
    }

    fn api_keys(&self) -> Result<Vec<ApiKeyRecord>, StoreError> {
        self.with_reader(|c| {
            let mut st = c
                .prepare_cached(
                    "SELECT id, hash, role, tenant, service, created_at, revoked_at FROM api_keys",
                )
                .map_err(db_err)?;
            let rows = st.query_map([], key_row).map_err(db_err)?;
            let mut out = Vec::new();
            for r in rows {
                out.push(to_key(r.map_err(db_err)?)?);
            }
            out.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
            Ok(out)
        })
    }

    fn requests(&self, tenant: Option<&TenantId>) -> Result<Vec<RequestRecord>, StoreError> {
        self.with_reader(|c| rows::requests(c, tenant))
    }

    fn blind_index_hits(
        &self,
        tenant: &TenantId,
        field: &FieldName,
        indexes: &[String],
    ) -> Result<Vec<(String, Token)>, StoreError> {
        self.with_reader(|c| transfers::blind_index_hits(c, tenant, field, indexes))
    }

    fn transfer_bases(&self, tenant: &TenantId) -> Result<Vec<TransferBasis>, StoreError> {
        self.with_reader(|c| transfers::bases(c, tenant))
    }

    fn transfer_counts(&self, org: &OrgCode, year: i32) -> Result<Counts, StoreError> {
        self.with_reader(|c| transfers::counts(c, org, year))
    }

    fn transferred(
        &self,
        org: &OrgCode,
        year: i32,
        tenant: &TenantId,
        subjects: &[SubjectId],
    ) -> Result<Vec<(SubjectId, bool)>, StoreError> {
        self.with_reader(|c| transfers::transferred(c, org, year, tenant, subjects))
    }

    fn received(&self, leaf: &str) -> Result<Option<(TenantId, SubjectId)>, StoreError> {
        self.with_reader(|c| transfers::received(c, leaf))
    }

    fn unrecorded_erasures(&self) -> Result<Vec<(TenantId, SubjectId, String)>, StoreError> {
        self.with_reader(repair::unrecorded)
    }

    fn unrecorded_restore(&self) -> Result<bool, StoreError> {
        self.with_reader(|c| {
            c.query_row(
                "SELECT EXISTS (SELECT 1 FROM restore_unrecorded)",
                [],
                |r| r.get(0),
            )
            .map_err(db_err)
        })
    }

    fn expired_values(
        &self,
        tenant: &TenantId,
        field: &FieldName,
        before: i64,
        limit: usize,
    ) -> Result<Vec<ValueRecord>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.with_reader(|c| {
            let mut st = c
                .prepare_cached(&format!(
                    "SELECT {VALUE_COLS} FROM vals v WHERE v.tenant = ?1 AND v.field = ?2 AND v.collected_at < ?3
                       AND EXISTS (SELECT 1 FROM subjects s WHERE s.tenant = v.tenant AND s.id = v.subject
                                   AND s.erased = 0 AND s.hold_reason IS NULL)
                     ORDER BY v.collected_at LIMIT ?4"
                ))
                .map_err(db_err)?;
            let rows = st
                .query_map(params![tenant.as_str(), field.as_str(), before, limit], value_row)
                .map_err(db_err)?;
            let mut out = Vec::new();
            for r in rows {
                out.push(to_value(r.map_err(db_err)?)?);
            }
            Ok(out)
        })
    }

    fn epochs(&self) -> Result<Vec<EpochRecord>, StoreError> {
        self.with_reader(|c| {
            let mut st = c
                .prepare_cached("SELECT epoch, created_at, retired_at FROM keys.key_epochs")
                .map_err(db_err)?;
            let rows = st
                .query_map([], |r| {
                    Ok(EpochRecord {
                        epoch: r.get(0)?,
                        created_at: r.get(1)?,
                        retired_at: r.get(2)?,
                    })
                })
                .map_err(db_err)?;
            let mut out = rows.collect::<Result<Vec<_>, _>>().map_err(db_err)?;
            out.sort_by_key(|e| e.epoch);
            Ok(out)
        })
    }

    fn key_counts(&self) -> Result<Vec<(Epoch, u64)>, StoreError> {
        self.with_reader(|c| {
            let mut st = c
                .prepare_cached("SELECT epoch, count(*) FROM keys.subject_keys GROUP BY epoch")
                .map_err(db_err)?;
            let rows = st
                .query_map([], |r| Ok((r.get::<_, Epoch>(0)?, r.get::<_, i64>(1)?)))
                .map_err(db_err)?;
            let mut out = Vec::new();
            for r in rows {
                let (e, n) = r.map_err(db_err)?;
                out.push((e, u64::try_from(n).unwrap_or(0)));
            }
            out.sort_unstable();
            Ok(out)
        })
    }

    fn keys_before(
        &self,
        epoch: Epoch,
        limit: usize,
    ) -> Result<Vec<(TenantId, SubjectId, WrappedKey)>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.with_reader(|c| {
            let mut st = c
                // Not an erased subject's key (its deletion failed after the erasure, or was cut):
                // re-wrapped, it would outlive the epoch being retired; the retirement deletes it.
                .prepare_cached(
                    "SELECT k.tenant, k.subject, k.wrapped, k.epoch FROM keys.subject_keys k WHERE k.epoch < ?1
                     AND NOT EXISTS (SELECT 1 FROM subjects s WHERE s.tenant = k.tenant AND s.id = k.subject AND s.erased) LIMIT ?2",
                )
                .map_err(db_err)?;
            let rows = st
                .query_map(params![epoch, limit], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        WrappedKey { blob: r.get(2)?, epoch: r.get(3)? },
                    ))
                })
                .map_err(db_err)?;
            let mut out = Vec::new();
            for r in rows {
                let (t, s, k) = r.map_err(db_err)?;
                let bad = |e: custodian_core::ids::IdError| StoreError::Backend(e.to_string());
                out.push((TenantId::parse(&t).map_err(bad)?, SubjectId::parse(&s).map_err(bad)?, k));
            }
            Ok(out)
        })
    }

    fn snapshot(&self, out: &Path) -> Result<u64, StoreError> {
        self.take_snapshot(out)
    }

    fn orders(&self) -> Result<Vec<String>, StoreError> {
        self.with_reader(|c| texts(c, "SELECT note FROM orders ORDER BY seq"))
    }

    fn pinned_keys(&self) -> Result<Vec<(u64, String)>, StoreError> {
        self.with_reader(pins)
    }

    fn ledger_head(&self) -> Result<LedgerHead, StoreError> {
        self.head
            .lock()
            .map(|h| *h)
            .map_err(|_| StoreError::Backend("ledger head poisoned".into()))
    }

    fn ledger_node(&self, id: NodeId) -> Result<Option<Hash>, StoreError> {
        self.with_reader(|c| node(c, id))
    }

    fn subject_entries(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
        self.with_reader(|c| subject_entries(c, tenant, subject))
    }

    fn ledger_entries(&self, from: u64, to: u64) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
        let (from, to) = (
            i64::try_from(from).unwrap_or(i64::MAX),
            i64::try_from(to).unwrap_or(i64::MAX),
        );
        self.with_reader(|c| {
            indexed_entries(
                c,
                "SELECT idx, entry FROM ledger_entries WHERE idx >= ?1 AND idx < ?2",
                params![from, to],
            )
        })
    }

    fn ping(&self) -> Result<(), StoreError> {
        let running = self
            .writer
            .lock()
            .map(|w| w.as_ref().is_some_and(|h| !h.is_finished()))
            .unwrap_or(false);
        if !running {
            return Err(StoreError::Backend("the writer has stopped".into()));
        }
        self.with_reader_fresh(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(db_err))
    }

    fn settle(&self) -> Result<(), StoreError> {
        self.durable.settle()
    }

    fn exclusive(&self) -> bool {
        // The lock file keeps every other process out while this store is open.
        true
    }

    fn stats(&self) -> custodian_core::store::StoreStats {
        let open = self.reader_count.load(std::sync::atomic::Ordering::Relaxed);
        let idle = self.readers.lock().map_or(0, |p| p.len() as u64);
        self.counters
            .stats(open, open.saturating_sub(idle), MAX_READERS as u64)
    }
}
