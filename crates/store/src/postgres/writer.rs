//! The writer task: group commit in one pipelined transaction per batch under the
//! cross-process append lock, falling back to per-job savepoints when a job fails.

use super::*;

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

pub(super) async fn writer_loop(pool: Pool, mut log: Log, mut rx: mpsc::Receiver<Job>) {
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

pub(super) type JobResults = Vec<Result<Vec<LeafIndex>, StoreError>>;

/// A statement parameter, owned (so a batch's statements can be built before any is sent).
pub(super) type Param = Box<dyn ToSql + Sync + Send>;

/// How a statement's outcome maps to the job's result.
#[derive(Clone, Debug)]
pub(super) enum Check {
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
pub(super) struct Op {
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

pub(super) fn s(v: &str) -> Param {
    Box::new(v.to_owned())
}

/// The statements that carry out `act`, in order. Each act's effect on other rows is in one
/// statement or in statements whose order does not matter, and every statement of a batch is
/// sent in job order, so the database sees the acts in the order the ledger records them.
pub(super) fn ops(change: &Change) -> Vec<Op> {
    match change {
        Change::Record => vec![],
        Change::PutTenant(t) => vec![Op::new(
            "INSERT INTO tenants(id, manifest, wrapped_key, key_epoch) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET manifest = excluded.manifest",
            vec![
                s(t.id.as_str()),
                s(&t.manifest),
                Box::new(t.wrapped_key.blob.clone()),
                Box::new(i64::from(t.wrapped_key.epoch)),
            ],
        )],
        Change::Register {
            subject,
            wrapped_key,
        } => vec![
            Op::new(
                "INSERT INTO custodian_keys.subject_keys(tenant, subject, wrapped, epoch) VALUES ($1, $2, $3, $4)",
                vec![
                    s(subject.tenant.as_str()),
                    s(subject.id.as_str()),
                    Box::new(wrapped_key.blob.clone()),
                    Box::new(i64::from(wrapped_key.epoch)),
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
            .check(Check::NotFoundIfNone("API key".into())),
        ],
        Change::PutOrder { id, nonce, note } => vec![
            Op::new(
                "INSERT INTO orders(id, nonce, note) VALUES ($1, $2, $3)",
                vec![s(id), s(nonce), s(note)],
            )
            .check(Check::OrderReplay(id.clone())),
        ],
        Change::AssignRole {
            tenant,
            subject,
            role,
        } => vec![
            Op::new(
                "UPDATE subjects SET role = $3 WHERE tenant = $1 AND id = $2 AND role IS NULL AND NOT erased",
                vec![s(tenant.as_str()), s(subject.as_str()), s(role.as_str())],
            )
            .check(Check::NotFoundIfNone("subject without a role".into())),
        ],
        Change::BeginEpoch { epoch, at } => vec![Op::new(
            "INSERT INTO key_epochs(epoch, created_at) VALUES ($1, $2)",
            vec![Box::new(i64::from(*epoch)), Box::new(*at)],
        )],
        Change::Rewrap(keys) => {
            let subjects: Vec<_> = keys.iter().filter(|k| k.subject.is_some()).collect();
            let mut out = vec![Op::new(
                "UPDATE custodian_keys.subject_keys k SET wrapped = u.w, epoch = u.e
                 FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bigint[], $5::bigint[]) AS u(t, s, w, e, f)
                 WHERE k.tenant = u.t AND k.subject = u.s AND k.epoch = u.f",
                vec![
                    Box::new(subjects.iter().map(|k| k.tenant.as_str().to_string()).collect::<Vec<_>>()),
                    Box::new(
                        subjects
                            .iter()
                            .map(|k| k.subject.as_ref().map_or(String::new(), |s| s.as_str().to_string()))
                            .collect::<Vec<_>>(),
                    ),
                    Box::new(subjects.iter().map(|k| k.key.blob.clone()).collect::<Vec<_>>()),
                    Box::new(subjects.iter().map(|k| i64::from(k.key.epoch)).collect::<Vec<_>>()),
                    Box::new(subjects.iter().map(|k| i64::from(k.from)).collect::<Vec<_>>()),
                ],
            )];
            for k in keys.iter().filter(|k| k.subject.is_none()) {
                out.push(Op::new(
                    "UPDATE tenants SET wrapped_key = $2, key_epoch = $3 WHERE id = $1 AND key_epoch = $4",
                    vec![
                        s(k.tenant.as_str()),
                        Box::new(k.key.blob.clone()),
                        Box::new(i64::from(k.key.epoch)),
                        Box::new(i64::from(k.from)),
                    ],
                ));
            }
            out
        }
        Change::RetireEpoch { epoch, at } => vec![
            Op::new(
                "UPDATE key_epochs SET retired_at = $2 WHERE epoch = $1 AND retired_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM custodian_keys.subject_keys WHERE epoch = $1)
                   AND NOT EXISTS (SELECT 1 FROM tenants WHERE key_epoch = $1)",
                vec![Box::new(i64::from(*epoch)), Box::new(*at)],
            )
            .check(Check::NotFoundIfNone(format!(
                "epoch {epoch} in force with no key still wrapped under it"
            ))),
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
            .check(Check::NotFoundIfNone("subject".into())),
        ],
    }
}

/// What a batch adds to the ledger.
#[derive(Default)]
pub(super) struct LedgerRows {
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
pub(super) async fn pipeline(
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
        change,
        Change::PutTenant(_)
            | Change::PutOrder { .. }
            | Change::BeginEpoch { .. }
            | Change::RetireEpoch { .. }
    )
}

/// Encodes a job's entries (a job whose entries do not encode changes nothing).
pub(super) fn encode(job: &Job) -> Result<Vec<Vec<u8>>, StoreError> {
    job.entries
        .iter()
        .map(|e| e.encode().map_err(|e| StoreError::Backend(e.to_string())))
        .collect()
}

/// One transaction for a batch of jobs. The fast path sends every statement of the batch in
/// one pipeline; if any job fails there, the transaction is rolled back and the batch runs
/// again job by job, each in a savepoint, so the failing job fails alone. `Err` means the
/// whole batch failed (`log` may then be stale: the caller resets it).
pub(super) async fn run_batch(
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
pub(super) async fn run_batch_each(
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
