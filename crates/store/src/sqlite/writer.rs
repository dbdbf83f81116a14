//! The writer thread: group commit, one transaction per batch (a savepoint per job only when
//! a failed job makes the batch run again), the ledger appended in the same transaction.

use super::*;

/// Whether a change writes `keys.db` in its batch's commit (an erasure's key is deleted in a
/// second commit, after `vault.db`'s log is synced: see `finish_keys`).
fn writes_keys(change: &Change) -> bool {
    match change {
        Change::PutTenant(_)
        | Change::Register { .. }
        | Change::Receive(_)
        | Change::Onboard(_)
        | Change::BeginEpoch { .. }
        | Change::Rewrap(_)
        | Change::RetireEpoch { .. }
        | Change::Rekey { .. } => true,
        Change::Idempotent { change, .. } | Change::Checked { change, .. } => writes_keys(change),
        _ => false,
    }
}

/// Jobs that must be waiting for a batch to start while the previous one syncs.
const OVERLAP_MIN: u64 = 16;
/// How often a writer waiting for the syncer looks at its queue again.
const OVERLAP_POLL: std::time::Duration = std::time::Duration::from_micros(200);

/// What the writer shares with the rest of the store.
pub(super) struct Shared {
    pub(super) counters: Arc<crate::counters::WriterCounters>,
    pub(super) commits: Arc<Commits>,
    pub(super) durable: Arc<Durable>,
    pub(super) wal: Arc<WalFiles>,
    pub(super) head: Arc<Mutex<LedgerHead>>,
}

pub(super) fn writer_loop(
    conn: Connection,
    mut log: Log,
    rx: Receiver<Work>,
    synced: &SyncSender<Sealed>,
    shared: &Shared,
) {
    let mut held: Option<Work> = None;
    loop {
        // A batch overlaps an earlier one's sync only when enough jobs wait to be worth its
        // transaction (or work was already taken off the queue); fewer wait for the sync and
        // go together with the jobs that come meanwhile (small batches cost the writer more a
        // job when the cores are busy).
        while held.is_none()
            && shared.counters.waiting() < OVERLAP_MIN
            && !shared.durable.wait_idle(OVERLAP_POLL)
        {}
        let work = match held.take() {
            Some(w) => w,
            None => match rx.recv() {
                Ok(w) => w,
                Err(_) => break,
            },
        };
        let first = match work {
            Work::Snapshot(out, reply) => {
                // A copy holds only what is on disk: everything committed is synced first.
                let r = match shared.durable.failure() {
                    Some(e) => Err(e),
                    None => shared
                        .wal
                        .sync()
                        .map_err(|e| {
                            shared.durable.fail(format!("a sync failed: {e}"));
                            StoreError::Backend(format!("cannot sync before the copy: {e}"))
                        })
                        .and_then(|()| snapshot(&conn, &out, log.size().get())),
                };
                let _ = reply.send(r);
                continue;
            }
            Work::Commit(j) => j,
        };
        shared.counters.taken();
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(Work::Commit(j)) => {
                    shared.counters.taken();
                    jobs.push(j);
                }
                Ok(w) => {
                    // A snapshot waits for this batch to commit.
                    held = Some(w);
                    break;
                }
                Err(_) => break,
            }
        }
        shared.counters.batch(jobs.len());
        let refuse = |jobs: Vec<Job>, e: &StoreError| {
            for j in jobs {
                j.reply.send(Err(StoreError::Backend(e.to_string())));
            }
        };
        if let Some(e) = shared.durable.failure() {
            refuse(jobs, &e);
            continue;
        }
        // A batch that writes `keys.db` commits with a sync of each log in turn, as SQLite's
        // FULL mode does: `vault.db`'s log is on disk before `keys.db`'s is written, so no key
        // (a registration's, a tenant's) reaches the disk ahead of the rows and the ledger
        // entry it belongs to — a checkpoint of `keys.db` could otherwise make it durable
        // first. A re-key's new key is the exception: staged before the batch, so that the
        // values sealed under it never reach the disk without it.
        let full = jobs.iter().any(|j| writes_keys(&j.change));
        if full
            && let Err(e) = conn
                .execute_batch("PRAGMA main.synchronous = FULL; PRAGMA keys.synchronous = FULL;")
                .map_err(db_err)
        {
            refuse(jobs, &e);
            continue;
        }
        // A re-key's new key is on disk in keys.db before the values sealed under it.
        if let Err(e) = stage_new_keys(&conn, &jobs) {
            refuse(jobs, &e);
            continue;
        }
        let cut = cut_key_write_before(&conn, &jobs);
        let start = log.clone();
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE").map_err(db_err) {
            refuse(jobs, &e);
            continue;
        }
        // Jobs rarely fail: the batch runs without savepoints. If one fails, its partial writes
        // are in the transaction: roll the whole batch back and run it again with a savepoint
        // per job, so the failing job fails alone.
        let results = match run_plain(&conn, &mut log, &jobs) {
            Some(results) => results,
            None => {
                log = start.clone();
                let again = conn
                    .execute_batch("ROLLBACK; BEGIN IMMEDIATE")
                    .map_err(db_err);
                if let Err(e) = again {
                    let _ = conn.execute_batch("ROLLBACK");
                    refuse(jobs, &e);
                    continue;
                }
                match run_guarded(&conn, &mut log, &jobs) {
                    Ok(results) => results,
                    Err(e) => {
                        // A savepoint that would not roll back holds a failed job's writes:
                        // nothing of the batch commits.
                        log = start.clone();
                        let _ = conn.execute_batch("ROLLBACK");
                        refuse(jobs, &e);
                        continue;
                    }
                }
            }
        };
        // A batch that writes keys.db is counted on both sides (`repair`).
        if full
            && let Err(e) =
                super::repair::count_key_write(&conn, start.size().get(), log.size().get())
        {
            log = start;
            let _ = conn.execute_batch("ROLLBACK");
            refuse(jobs, &e);
            continue;
        }
        let batch = shared.durable.issue();
        let committed = super::durable::commit(&conn);
        if committed.is_ok() {
            cut_key_write_after(cut);
        }
        // Both files are committed now (or nothing is): readers waiting on one may look again.
        shared.commits.bump();
        if full
            && let Err(e) = conn.execute_batch(
                "PRAGMA main.synchronous = NORMAL; PRAGMA keys.synchronous = NORMAL;",
            )
        {
            // Still correct (FULL syncs more), only slower.
            tracing::warn!(error = %e, "the writer stays in FULL sync mode");
        }
        let sealed = match committed {
            Ok(()) => {
                let results = finish_keys(&conn, &shared.wal, &shared.durable, &jobs, results);
                Sealed {
                    batch,
                    head: Some(LedgerHead {
                        size: log.size(),
                        root: log.root(),
                    }),
                    replies: jobs.into_iter().map(|j| j.reply).zip(results).collect(),
                }
            }
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                log = start;
                Sealed {
                    batch,
                    head: None,
                    replies: super::durable::commit_failed(&shared.durable, &e, jobs, results),
                }
            }
        };
        // Nothing else to do: sync and answer here (a lone caller pays no thread hop).
        // Otherwise the syncer answers once the batch is on disk, and the next batch runs
        // meanwhile.
        if held.is_none() && shared.durable.syncer_idle() {
            match rx.try_recv() {
                Ok(w) => held = Some(w),
                Err(_) => {
                    settle_batches(&shared.wal, vec![sealed], &shared.head, &shared.durable);
                    continue;
                }
            }
        }
        shared.durable.handed();
        if let Err(std::sync::mpsc::SendError(s)) = synced.send(sealed) {
            shared.durable.done(1);
            shared.durable.fail("the syncer thread has stopped".into());
            for (reply, r) in s.replies {
                reply.send(r.and(Err(StoreError::OutcomeUnknown(
                    "the syncer has stopped".into(),
                ))));
            }
        }
    }
}

/// Runs each job in the open transaction, without savepoints; `None` as soon as one fails (the
/// transaction then holds its partial writes and must be rolled back).
fn run_plain(conn: &Connection, log: &mut Log, jobs: &[Job]) -> Option<Vec<JobResult>> {
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        let r = apply(conn, &job.change, log.size().get())
            .and_then(|()| append(conn, log, &job.entries));
        results.push(Ok(r.ok()?));
    }
    Some(results)
}

/// Runs each job in the open transaction inside its own savepoint: a failing job is rolled
/// back alone (and its entries taken off the log) and the others go on. `Err`: a savepoint
/// could not be released or rolled back — the transaction must be rolled back whole.
fn run_guarded(
    conn: &Connection,
    log: &mut Log,
    jobs: &[Job],
) -> Result<Vec<JobResult>, StoreError> {
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        let before = log.clone();
        let r = conn
            .prepare_cached("SAVEPOINT job")
            .and_then(|mut s| s.execute([]))
            .map_err(db_err)
            .and_then(|_| apply(conn, &job.change, log.size().get()))
            .and_then(|()| append(conn, log, &job.entries));
        match r {
            Ok(idx) => {
                conn.prepare_cached("RELEASE job")
                    .and_then(|mut s| s.execute([]))
                    .map_err(db_err)?;
                results.push(Ok(idx));
            }
            Err(e) => {
                conn.execute_batch("ROLLBACK TO job; RELEASE job")
                    .map_err(db_err)?;
                *log = before;
                results.push(Err(e));
            }
        }
    }
    Ok(results)
}

/// Fault injection for crash tests: in debug builds, `CUSTODIAN_TEST_FAULT=<point>` aborts the
/// process at that point. Release builds have no fault points.
pub(super) fn fault_point(point: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("CUSTODIAN_TEST_FAULT").is_ok_and(|p| p == point) {
        fault_point_hit(point);
    }
    let _ = point;
}

/// Aborts the process at a fault point.
#[cfg(debug_assertions)]
fn fault_point_hit(point: &str) {
    eprintln!("fault injected at `{point}`: aborting");
    std::process::abort();
}

/// Fault injection for the crash tests of a key write cut between the two files: in debug
/// builds, with `CUSTODIAN_TEST_FAULT=key-write-cut-between-files`, a batch that registers a
/// subject, loads a tenant's manifest or re-keys a subject starts with `keys.db`'s log checkpointed and emptied; after its commit
/// ([`cut_key_write_after`]) that log is emptied again — the batch's key writes gone, its
/// `vault.db` commit kept, as a crash between the two files' commits leaves them — and the
/// process aborts. Returns the log's path when the cut is armed (its log empty before the
/// batch). Release builds have no fault points.
fn cut_key_write_before(conn: &Connection, jobs: &[Job]) -> Option<PathBuf> {
    #[cfg(debug_assertions)]
    if std::env::var("CUSTODIAN_TEST_FAULT").is_ok_and(|p| p == "key-write-cut-between-files")
        && jobs.iter().any(|j| {
            matches!(
                j.change.inner(),
                Change::Register { .. } | Change::PutTenant(_) | Change::Rekey { .. }
            )
        })
    {
        let file: String = conn
            .query_row(
                "SELECT file FROM pragma_database_list WHERE name = 'keys'",
                [],
                |r| r.get(0),
            )
            .ok()?;
        let wal = PathBuf::from(format!("{file}-wal"));
        let busy: i64 = conn
            .query_row("PRAGMA keys.wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
            .ok()?;
        let empty = std::fs::metadata(&wal).is_ok_and(|m| m.len() == 0);
        return (busy == 0 && empty).then_some(wal);
    }
    let _ = (conn, jobs);
    None
}

/// See [`cut_key_write_before`].
fn cut_key_write_after(wal: Option<PathBuf>) {
    #[cfg(debug_assertions)]
    if let Some(wal) = wal {
        if let Err(e) = std::fs::OpenOptions::new()
            .write(true)
            .open(&wal)
            .and_then(|f| f.set_len(0))
        {
            eprintln!("cannot cut `{}`: {e}", wal.display());
        }
        fault_point_hit("key-write-cut-between-files");
    }
    #[cfg(not(debug_assertions))]
    let _ = wal;
}

/// Copies both files into `out` with `VACUUM INTO` (no transaction is open on the writer
/// between batches, so the two copies are of one state).
fn snapshot(conn: &Connection, out: &Path, ledger_size: u64) -> Result<u64, StoreError> {
    super::files::private_dir(out)?;
    for (db, file) in [("main", "vault.db"), ("keys", "keys.db")] {
        let path = out.join(file);
        // Empty and the owner's alone before SQLite fills it (it takes an empty file).
        super::files::private_file(&path)?;
        let path = path
            .to_str()
            .ok_or_else(|| StoreError::Backend("backup path is not UTF-8".into()))?;
        conn.execute(&format!("VACUUM {db} INTO ?1"), params![path])
            .map_err(db_err)?;
    }
    Ok(ledger_size)
}

pub(super) fn append(
    conn: &Connection,
    log: &mut Log,
    entries: &[Entry],
) -> Result<Vec<LeafIndex>, StoreError> {
    let mut out = Vec::with_capacity(entries.len());
    let mut ins_e = conn
        .prepare_cached("INSERT INTO ledger_entries(idx, entry) VALUES (?1, ?2)")
        .map_err(db_err)?;
    let mut ins_n = conn
        .prepare_cached("INSERT INTO ledger_nodes(level, idx, hash) VALUES (?1, ?2, ?3)")
        .map_err(db_err)?;
    let mut ins_s = conn
        .prepare_cached("INSERT INTO ledger_subjects(tenant, subject, idx) VALUES (?1, ?2, ?3)")
        .map_err(db_err)?;
    for e in entries {
        let bytes = e.encode().map_err(|e| StoreError::Backend(e.to_string()))?;
        let (idx, nodes) = log.append(custodian_ledger::leaf_hash(&bytes));
        let i = i64::try_from(idx.get())
            .map_err(|_| StoreError::Backend("ledger index too large".into()))?;
        ins_e.execute(params![i, bytes]).map_err(db_err)?;
        if let (Some(t), Some(s)) = (&e.tenant, &e.subject) {
            ins_s
                .execute(params![t.as_str(), s.as_str(), i])
                .map_err(db_err)?;
        }
        for (id, h) in nodes {
            let ni = i64::try_from(id.index)
                .map_err(|_| StoreError::Backend("node index too large".into()))?;
            ins_n
                .execute(params![i64::from(id.level), ni, h.0.to_vec()])
                .map_err(db_err)?;
        }
        out.push(idx);
    }
    Ok(out)
}
