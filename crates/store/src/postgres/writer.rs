//! The writer task: group commit in one pipelined transaction per batch under the
//! cross-process append lock, falling back to per-job savepoints when a job fails; while other
//! work waits, the batch's flush is left to the flusher (`flush`).

use super::commit::{Begun, Commit, OUTCOME_UNKNOWN, connection_failed, end_ops, ended, finish};
use super::*;
use custodian_core::store::UNANSWERED;

pub(super) async fn head_row(c: &ClientWrapper) -> Result<LedgerHead, StoreError> {
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
pub(super) async fn load_log(c: &ClientWrapper, size: TreeSize) -> Result<Log, StoreError> {
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

/// How long a transaction begun in a COMMIT's round trip waits for a job before it is rolled
/// back (releasing the ledger head's lock).
const BEGUN_IDLE: std::time::Duration = std::time::Duration::from_millis(1);

pub(super) async fn writer_loop(
    pool: Pool,
    mut log: Log,
    mut rx: mpsc::Receiver<Job>,
    counters: std::sync::Arc<crate::counters::WriterCounters>,
    flusher: mpsc::Sender<Unflushed>,
    in_flight: std::sync::Arc<InFlight>,
) {
    let mut client: Option<deadpool_postgres::Client> = None;
    // The incarnation of the server `client` is connected to (a connection does not outlive
    // a crash): the flusher confirms the batches committed on it only by a flush under the
    // same incarnation.
    let mut incarnation = String::new();
    // The configuration generation of the transaction the last COMMIT began on `client` (the
    // ledger head locked at `log`'s size), if it began one.
    let mut begun: Option<u64> = None;
    loop {
        let first = match begun {
            // A transaction begun for jobs to come holds the head locked, which holds up every
            // other process's writer: given up if no job comes soon.
            Some(_) => match tokio::time::timeout(BEGUN_IDLE, rx.recv()).await {
                Ok(job) => job,
                Err(_) => {
                    begun = None;
                    counters.begun_let_go();
                    if let Some(c) = client.take() {
                        client = release(c).await;
                    }
                    rx.recv().await
                }
            },
            None => rx.recv().await,
        };
        let Some(first) = first else { break };
        counters.taken();
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => {
                    counters.taken();
                    jobs.push(j);
                }
                Err(_) => break,
            }
        }
        counters.batch(jobs.len());
        let c = match client.take() {
            Some(c) => c,
            None => match connect_writer(&pool).await {
                Ok((c, i)) => {
                    incarnation = i;
                    c
                }
                Err(e) => {
                    for j in jobs {
                        let _ = j.reply.send(Err(StoreError::Backend(e.to_string())));
                    }
                    continue;
                }
            },
        };
        // Decided when the COMMIT is sent (after the batch's statements, or with them): other
        // work waiting then (jobs that came, or batches being flushed) — commit without
        // waiting for the disk and let the flusher answer; alone, commit and answer here. Jobs
        // waiting for the next batch, or a batch of several: the next begins in the COMMIT's
        // round trip.
        let overlapped = std::sync::atomic::AtomicBool::new(false);
        // More than one job in this batch: more are on their way (the COMMIT may go in the
        // batch's own round trip, before any has come) — the flusher answers it, so the head's
        // lock is not held through the disk's sync, and the next batch begins in the COMMIT.
        let loaded = jobs.len() > 1;
        let commit = || {
            let waiting = !rx.is_empty();
            let overlap = in_flight.busy() || waiting || loaded;
            overlapped.store(overlap, std::sync::atomic::Ordering::Relaxed);
            Commit {
                unflushed: overlap,
                // Not while the flusher's queue is full: handing it this batch would wait with
                // the head locked, holding up every process's writer.
                begin_next: (waiting || loaded) && flusher.capacity() > 0,
            }
        };
        let result = run_batch(&c, &mut log, begun.take(), &jobs, &commit, Some(&counters)).await;
        let overlap = overlapped.load(std::sync::atomic::Ordering::Relaxed);
        match result {
            Ok((results, next)) => {
                if let Some(tried) = next {
                    counters.begin_in_commit(tried.is_some());
                }
                begun = next.flatten();
                let replies: Vec<_> = jobs.into_iter().map(|j| j.reply).zip(results).collect();
                if !overlap {
                    for (reply, r) in replies {
                        let _ = reply.send(r);
                    }
                    client = Some(c);
                    continue;
                }
                in_flight.handed();
                if let Err(mpsc::error::SendError(u)) = flusher
                    .send(Unflushed {
                        replies,
                        incarnation: incarnation.clone(),
                    })
                    .await
                {
                    // The flusher is gone: flush here, outside the transaction begun for the
                    // next batch (a write inside it would not be committed, so not flushed).
                    in_flight.done(1);
                    if begun.take().is_some() {
                        let _ = c.batch_execute("ROLLBACK").await;
                    }
                    let flushed = flush(&c).await.map(|_| ()).map_err(|e| e.to_string());
                    answer(u.replies, &flushed);
                }
                client = Some(c);
            }
            Err(e) => {
                // Given up whatever the rollback's outcome: this connection may be broken.
                drop(release(c).await);
                let err = |e: &StoreError| match e {
                    StoreError::OutcomeUnknown(m) => StoreError::OutcomeUnknown(m.clone()),
                    _ => StoreError::Backend(format!("commit failed: {e}")),
                };
                for j in jobs {
                    let _ = j.reply.send(Err(err(&e)));
                }
                // Reload the log from the database on the next batch, on a fresh connection.
                log = Log::new();
            }
        }
    }
    // The channel closed with a transaction begun for jobs to come: a pooled connection must
    // never keep one.
    if begun.is_some()
        && let Some(c) = client
    {
        drop(release(c).await);
    }
}

/// A connection for the writer, and its server's incarnation.
async fn connect_writer(pool: &Pool) -> Result<(deadpool_postgres::Client, String), StoreError> {
    let c = pool.get().await.map_err(pool_err)?;
    let i = incarnation(&c).await?;
    Ok((c, i))
}

/// Rolls back the transaction open on `c`: the connection, to keep, or none if the rollback
/// failed (the connection is then closed, not given back to the pool with a transaction that
/// may hold the ledger head).
async fn release(c: deadpool_postgres::Client) -> Option<deadpool_postgres::Client> {
    match c.batch_execute("ROLLBACK").await {
        Ok(()) => Some(c),
        Err(_) => {
            drop(deadpool_postgres::Object::take(c));
            None
        }
    }
}

pub(super) type JobResults = Vec<Result<Vec<LeafIndex>, StoreError>>;

/// What a batch adds to the ledger.
#[derive(Default)]
pub(super) struct LedgerRows {
    entry_idx: Vec<i64>,
    entry_bytes: Vec<Vec<u8>>,
    node_level: Vec<i32>,
    node_idx: Vec<i64>,
    node_hash: Vec<Vec<u8>>,
    subj_tenant: Vec<String>,
    subj_subject: Vec<String>,
    subj_idx: Vec<i64>,
}

impl LedgerRows {
    /// Appends a job's encoded entries to `log`; their indexes.
    fn append(
        &mut self,
        log: &mut Log,
        encoded: Vec<Encoded>,
    ) -> Result<Vec<LeafIndex>, StoreError> {
        let mut out = Vec::with_capacity(encoded.len());
        for Encoded { bytes, subject } in encoded {
            let (idx, nodes) = log.append(custodian_ledger::leaf_hash(&bytes));
            self.entry_idx.push(to_i64(idx.get(), "ledger index")?);
            self.entry_bytes.push(bytes);
            if let Some((t, s)) = subject {
                self.subj_tenant.push(t);
                self.subj_subject.push(s);
                self.subj_idx.push(to_i64(idx.get(), "ledger index")?);
            }
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
        let head: [Param; 3] = [
            Box::new(to_i64(log.size().get(), "ledger size")?),
            Box::new(log.root().0.to_vec()),
            Box::new(to_i64(generation, "generation")?),
        ];
        if self.entry_idx.is_empty() {
            return Ok(match generation_changed {
                false => vec![],
                true => vec![Op::new(
                    "UPDATE ledger_head SET size = $1, root = $2, generation = $3 WHERE id = 1",
                    head.into(),
                )],
            });
        }
        // Entries, nodes, the subjects' index and the head in one statement: one executor
        // run a batch instead of four.
        let mut params: Vec<Param> = vec![
            Box::new(self.entry_idx),
            Box::new(self.entry_bytes),
            Box::new(self.node_level),
            Box::new(self.node_idx),
            Box::new(self.node_hash),
            Box::new(self.subj_tenant),
            Box::new(self.subj_subject),
            Box::new(self.subj_idx),
        ];
        params.extend(head);
        let ops = vec![Op::new(
            "WITH e AS (INSERT INTO ledger_entries(idx, entry)
                        SELECT * FROM unnest($1::bigint[], $2::bytea[])),
                  n AS (INSERT INTO ledger_nodes(level, idx, hash)
                        SELECT * FROM unnest($3::int[], $4::bigint[], $5::bytea[])),
                  s AS (INSERT INTO ledger_subjects(tenant, subject, idx)
                        SELECT * FROM unnest($6::text[], $7::text[], $8::bigint[]))
             UPDATE ledger_head SET size = $9, root = $10, generation = $11 WHERE id = 1",
            params,
        )];
        Ok(ops)
    }
}

/// Sends every statement before awaiting any (one round trip for all: tokio-postgres
/// pipelines requests in the order they are first polled), then collects the row counts.
pub(super) async fn pipeline(
    c: &ClientWrapper,
    ops: &[Op],
) -> Result<Vec<Result<u64, tokio_postgres::Error>>, StoreError> {
    pipeline_guarded(c, ops, ops.len()).await
}

/// As [`pipeline`], but the statements from `guard` on are sent only if none before it failed
/// before it was sent (its parameters did not encode); if one did, only the row counts of
/// those before `guard` are returned.
pub(super) async fn pipeline_guarded(
    c: &ClientWrapper,
    ops: &[Op],
    guard: usize,
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
    // Poll each once, in order: this writes every request to the connection. A statement
    // failed on its first poll was never sent.
    let mut sent = pending.len();
    std::future::poll_fn(|cx| {
        for i in 0..pending.len() {
            if i == guard && done[..i].iter().any(|d| matches!(d, Some(Err(_)))) {
                sent = i;
                break;
            }
            if let std::task::Poll::Ready(r) = pending[i].as_mut().poll(cx) {
                done[i] = Some(r);
            }
        }
        std::task::Poll::Ready(())
    })
    .await;
    pending.truncate(sent);
    done.truncate(sent);
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
pub(super) async fn begin_locked(c: &ClientWrapper, log: &mut Log) -> Result<u64, StoreError> {
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
pub(super) fn changes_config(change: &Change) -> bool {
    matches!(
        change.inner(),
        Change::PutTenant(_)
            | Change::PutOrder { .. }
            | Change::PinKeys { .. }
            | Change::Transfer { .. }
            | Change::BeginEpoch { .. }
            | Change::RetireEpoch { .. }
    )
}

/// Encodes a job's entries (a job whose entries do not encode changes nothing).
/// An entry's canonical bytes, and the tenant and subject it names (for the subject index).
pub(super) struct Encoded {
    bytes: Vec<u8>,
    subject: Option<(String, String)>,
}

pub(super) fn encode(job: &Job) -> Result<Vec<Encoded>, StoreError> {
    job.entries
        .iter()
        .map(|e| {
            Ok(Encoded {
                bytes: e.encode().map_err(|e| StoreError::Backend(e.to_string()))?,
                subject: e
                    .tenant
                    .as_ref()
                    .zip(e.subject.as_ref())
                    .map(|(t, s)| (t.as_str().to_owned(), s.as_str().to_owned())),
            })
        })
        .collect()
}

/// One transaction for a batch of jobs. The fast path sends every statement of the batch in
/// one pipeline; if any job fails there, the transaction is rolled back and the batch runs
/// again job by job, each in a savepoint, so the failing job fails alone. `Err` means the
/// whole batch failed, or ([`OUTCOME_UNKNOWN`]) may have committed: either way `log` may be
/// stale, and the caller resets it.
pub(super) async fn run_batch(
    c: &ClientWrapper,
    log: &mut Log,
    begun: Option<u64>,
    jobs: &[Job],
    commit: &(dyn Fn() -> Commit + Sync),
    counters: Option<&crate::counters::WriterCounters>,
) -> Result<(JobResults, Begun), StoreError> {
    let first_generation = match begun {
        Some(generation) => generation,
        None => begin_locked(c, log).await?,
    };
    let mut generation = first_generation;
    let start = log.clone();
    let mut rows = LedgerRows::default();
    let mut all_ops = Vec::new();
    // Whether each statement is a job's (not the ledger's).
    let mut of_job = Vec::new();
    let mut results: JobResults = Vec::with_capacity(jobs.len());
    let mut clean = true;
    // Consecutive collects go to the database as one check and one insert.
    let mut collects: Vec<Collected<'_>> = Vec::new();
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
                let (read, change): (&[_], _) = match &job.change {
                    Change::Checked { subjects, change } => (subjects, change.as_ref()),
                    change => (&[], change),
                };
                if let Change::Collect { values, key } = change {
                    collects.push((values, key.as_deref(), read));
                } else if matches!(change, Change::Record) && !read.is_empty() {
                    // A read's entry, checked against the subjects it read: its check joins
                    // the collects' (it writes nothing).
                    collects.push((&[], None, read));
                } else {
                    for op in collect_ops_of(&mut collects)
                        .into_iter()
                        .chain(ops(&job.change, log.size().get()))
                    {
                        all_ops.push(op);
                        of_job.push(true);
                    }
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
        for op in collect_ops_of(&mut collects) {
            all_ops.push(op);
            of_job.push(true);
        }
        for op in rows.ops(log, generation, generation != first_generation)? {
            all_ops.push(op);
            of_job.push(false);
        }
        // Where every statement's failure is an SQL error, the COMMIT goes in the same round
        // trip: after an error it rolls back, so nothing of a failing batch is committed.
        let sent = all_ops.len();
        let end = if all_ops.iter().all(Op::fails_in_sql) {
            let how = commit();
            all_ops.extend(end_ops(how, log.size(), generation)?);
            Some(how)
        } else {
            None
        };
        // Nothing after the batch's statements is sent if one failed before it was sent (a
        // parameter that does not encode): the server's transaction is not aborted then, and
        // a COMMIT would commit the others.
        let mut raw = pipeline_guarded(c, &all_ops, sent).await?;
        // The COMMIT was sent and the connection failed under a statement of the batch with
        // no error from the server before (which would have aborted the transaction): the
        // statements and the COMMIT may all have run.
        if end.is_some() && raw.len() > sent {
            let refused = raw[..sent]
                .iter()
                .any(|r| matches!(r, Err(e) if e.as_db_error().is_some()));
            if !refused && raw[..sent].iter().any(connection_failed) {
                return Err(StoreError::OutcomeUnknown(OUTCOME_UNKNOWN.into()));
            }
        }
        let end_results = raw.split_off(sent);
        let outcomes: Vec<Result<(), StoreError>> = raw
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
            let next = match end {
                Some(how) => {
                    if let Some(counters) = counters {
                        counters.committed_in_batch();
                    }
                    ended(c, how, generation, end_results).await?
                }
                None => finish(c, commit(), log.size(), generation).await?,
            };
            return Ok((results, next));
        }
    }
    // Slow path: start over, job by job.
    c.batch_execute("ROLLBACK").await.map_err(pg_err)?;
    *log = start;
    run_batch_each(c, log, jobs, commit).await
}

/// The batch again, each job in a savepoint (a failing job leaves no trace).
pub(super) async fn run_batch_each(
    c: &ClientWrapper,
    log: &mut Log,
    jobs: &[Job],
    commit: &(dyn Fn() -> Commit + Sync),
) -> Result<(JobResults, Begun), StoreError> {
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
        let job_ops = ops(&job.change, log.size().get());
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
    let next = finish(c, commit(), log.size(), generation).await?;
    Ok((results, next))
}

impl PgStore {
    pub(super) fn submit(
        &self,
        generation: Option<u64>,
        change: Change,
        entries: Vec<Entry>,
    ) -> Result<Vec<LeafIndex>, StoreError> {
        self.submit_many(generation, vec![(change, entries)])
            .pop()
            .unwrap_or_else(|| Err(StoreError::Backend("the writer did not answer".into())))
    }

    /// Hands every job to the writer before awaiting any answer, so they share batches.
    pub(super) fn submit_many(
        &self,
        generation: Option<u64>,
        jobs: Vec<(Change, Vec<Entry>)>,
    ) -> Vec<Result<Vec<LeafIndex>, StoreError>> {
        let n = jobs.len();
        let failed = |msg: &str| {
            (0..n)
                .map(|_| Err(StoreError::Backend(msg.into())))
                .collect()
        };
        let tx = match self.jobs.lock().map(|j| j.clone()) {
            Ok(Some(tx)) => tx,
            Ok(None) => return failed("the store is closed"),
            Err(_) => return failed("writer channel poisoned"),
        };
        // The caller's thread hands the jobs over and waits for the answers itself (no task on
        // the runtime: a task's cache-aligned allocation costs dearly on this path).
        let mut waiting = Vec::with_capacity(n);
        for (change, entries) in jobs {
            let (reply, rx) = oneshot::channel();
            self.counters.queued();
            let sent = block_on(tx.send(Job {
                generation,
                change,
                entries,
                reply,
            }))
            .map(|()| rx)
            .map_err(|_| {
                self.counters.taken();
                StoreError::Backend("the writer has stopped".into())
            });
            waiting.push(sent);
        }
        waiting
            .into_iter()
            .map(|w| {
                // A reply dropped unanswered: the job may have been committed (`UNANSWERED`).
                w.and_then(|rx| {
                    block_on(rx)
                        .unwrap_or_else(|_| Err(StoreError::OutcomeUnknown(UNANSWERED.into())))
                })
            })
            .collect()
    }
}
