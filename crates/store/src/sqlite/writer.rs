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
        Change::Idempotent { change, .. } => writes_keys(change),
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
        // (a registration's, a re-key's, a tenant's) reaches the disk ahead of the rows and the
        // ledger entry it belongs to — a checkpoint of `keys.db` could otherwise make it
        // durable first.
        let full = jobs.iter().any(|j| writes_keys(&j.change));
        if full
            && let Err(e) = conn
                .execute_batch("PRAGMA main.synchronous = FULL; PRAGMA keys.synchronous = FULL;")
                .map_err(db_err)
        {
            refuse(jobs, &e);
            continue;
        }
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
        let batch = shared.durable.issue();
        let committed = super::durable::commit(&conn);
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
        eprintln!("fault injected at `{point}`: aborting");
        std::process::abort();
    }
    let _ = point;
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

/// Runs a statement through the connection's statement cache (the writer's common statements
/// are parsed once, not once a job).
fn cached(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(p)
}

/// Applies a job's change; `next_index` is the ledger index its first entry will take.
pub(super) fn apply(conn: &Connection, change: &Change, next_index: u64) -> Result<(), StoreError> {
    match change {
        Change::Record => Ok(()),
        Change::ExpireIdempotency { before } => conn
            .prepare_cached("DELETE FROM idempotency WHERE created_at < ?1")
            .and_then(|mut st| st.execute(params![before]))
            .map(|_| ())
            .map_err(db_err),
        Change::Idempotent { record, change } => {
            let r = conn
                .prepare_cached("INSERT INTO idempotency(tenant, key, fingerprint, result, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
                .and_then(|mut st| st.execute(params![record.tenant.as_str(), record.key, record.fingerprint, record.result, record.created_at]));
            match r {
                Ok(_) => apply(conn, change, next_index),
                Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => Err(StoreError::KeyUsed),
                Err(e) => Err(db_err(e)),
            }
        }
        Change::PutTenant(t) => {
            conn.execute(
                "INSERT INTO tenants(id, manifest, wrapped_key) VALUES (?1, ?2, X'')
                 ON CONFLICT(id) DO UPDATE SET manifest = excluded.manifest",
                params![t.id.as_str(), t.manifest],
            )
            .map_err(db_err)?;
            // A tenant's key is made once; a new manifest keeps it.
            conn.execute(
                "INSERT INTO keys.tenant_keys(tenant, wrapped, epoch) VALUES (?1, ?2, ?3)
                 ON CONFLICT(tenant) DO NOTHING",
                params![t.id.as_str(), t.wrapped_key.blob, t.wrapped_key.epoch],
            )
            .map(|_| ())
            .map_err(db_err)
        }
        Change::Register { subject, wrapped_key } => {
            cached(conn,
                "INSERT INTO keys.subject_keys(tenant, subject, wrapped, epoch) VALUES (?1, ?2, ?3, ?4)",
                params![subject.tenant.as_str(), subject.id.as_str(), wrapped_key.blob, wrapped_key.epoch],
            )
            .map_err(db_err)?;
            cached(conn,
                "INSERT INTO subjects(tenant, id, jurisdiction, minor, registered_at, erased, role) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)",
                params![subject.tenant.as_str(), subject.id.as_str(), subject.jurisdiction.as_str(), subject.minor, subject.registered_at, subject.role.as_ref().map(SubjectRole::as_str)],
            )
            .map(|_| ())
            .map_err(db_err)
        }
        Change::Consent { tenant, subject, consent } => cached(conn,
                "INSERT INTO consents(tenant, subject, purpose, notice_version, granted_at, withdrawn_at, separate, by_guardian)
                 VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7)
                 ON CONFLICT(tenant, subject, purpose) DO UPDATE SET notice_version = excluded.notice_version,
                   granted_at = excluded.granted_at, withdrawn_at = NULL, separate = excluded.separate, by_guardian = excluded.by_guardian",
                params![tenant.as_str(), subject.as_str(), consent.purpose.as_str(), consent.notice_version, consent.granted_at, consent.separate, consent.by_guardian],
            )
            .map(|_| ())
            .map_err(db_err),
        Change::Withdraw { tenant, subject, purpose, at } => cached(conn,
                "UPDATE consents SET withdrawn_at = ?4 WHERE tenant = ?1 AND subject = ?2 AND purpose = ?3 AND withdrawn_at IS NULL",
                params![tenant.as_str(), subject.as_str(), purpose.as_str(), at],
            )
            .map(|_| ())
            .map_err(db_err),
        Change::Collect { values, key } => {
            if let (Some(key), Some(v)) = (key, values.first()) {
                check_key(conn, &v.tenant, &v.subject, key)?;
            }
            let mut st = conn
                .prepare_cached(
                    "INSERT INTO vals(tenant, token, subject, field, blind_index, sealed, key_version, purpose, collected_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT(tenant, token) DO UPDATE SET blind_index = excluded.blind_index, sealed = excluded.sealed,
                       key_version = excluded.key_version, purpose = excluded.purpose, collected_at = excluded.collected_at
                     WHERE substr(vals.token, 1, 4) = 'det_' AND vals.subject = excluded.subject AND vals.field = excluded.field",
                )
                .map_err(db_err)?;
            for v in values {
                let r = st.execute(params![
                    v.tenant.as_str(),
                    v.token.as_str(),
                    v.subject.as_str(),
                    v.field.as_str(),
                    v.blind_index,
                    v.sealed,
                    v.key_version,
                    v.purpose.as_str(),
                    v.collected_at
                ]);
                match r {
                    // A deterministic token collected again for its subject replaced its
                    // record; any other taken token (a random draw) changed nothing.
                    Ok(1) => {}
                    Ok(_) => return Err(StoreError::TokenConflict),
                    Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                        return Err(StoreError::TokenConflict);
                    }
                    Err(e) => return Err(db_err(e)),
                }
            }
            Ok(())
        }
        Change::PutApiKey(k) => conn
            .execute(
                "INSERT INTO api_keys(id, hash, role, tenant, service, created_at, revoked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL)",
                params![k.id, k.hash.to_vec(), k.role.as_str(), k.tenant.as_ref().map(|t| t.as_str().to_string()), k.service.as_ref().map(|s| s.as_str().to_string()), k.created_at],
            )
            .map(|_| ())
            .map_err(db_err),
        Change::RevokeApiKey { id, at } => {
            let n = conn
                .execute("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL", params![id, at])
                .map_err(db_err)?;
            if n == 0 {
                return Err(StoreError::NotFound("API key".into()));
            }
            Ok(())
        }
        Change::PutBasis(b) => {
            let r = crate::transfer_rows::to_raw(b);
            conn.execute(
                "INSERT OR REPLACE INTO transfer_bases(id, tenant, recipient, kind, reference, valid_from, expires_at, fields, pia_reference, pia_completed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9],
            )
            .map_err(db_err)?;
            Ok(())
        }
        Change::Transfer {
            organisation,
            year,
            rows,
        } => {
            let mut st = conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO transferred(org, year, tenant, subject, sensitive) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(db_err)?;
            for (t, s, sensitive) in rows {
                st.execute(params![
                    organisation.as_str(),
                    year,
                    t.as_str(),
                    s.as_str(),
                    sensitive
                ])
                .map_err(db_err)?;
            }
            Ok(())
        }
        Change::Receive(r) => {
            let custodian_core::store::Arrived { subject, wrapped_key, values, origin, index, leaf } = r.as_ref();
            let n = conn
                .execute(
                    "INSERT OR IGNORE INTO received(leaf, origin, idx, tenant, subject, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![leaf, origin, i64::try_from(*index).map_err(|_| StoreError::Backend("ledger index out of range".into()))?, subject.tenant.as_str(), subject.id.as_str(), subject.registered_at],
                )
                .map_err(db_err)?;
            if n == 0 {
                // Received meanwhile: the act is decided again and finds it.
                return Err(StoreError::Stale);
            }
            let register = Change::Register { subject: subject.clone(), wrapped_key: wrapped_key.clone() };
            apply(conn, &register, next_index)?;
            apply(conn, &Change::Collect { values: values.clone(), key: None }, next_index)
        }
        Change::Onboard(o) => {
            let custodian_core::store::Onboard { subject, wrapped_key, consents, values } = o.as_ref();
            let register = Change::Register { subject: subject.clone(), wrapped_key: wrapped_key.clone() };
            apply(conn, &register, next_index)?;
            for consent in consents {
                let c = Change::Consent { tenant: subject.tenant.clone(), subject: subject.id.clone(), consent: consent.clone() };
                apply(conn, &c, next_index)?;
            }
            // The key was stored by this change: nothing to check it against.
            match values.is_empty() {
                true => Ok(()),
                false => apply(conn, &Change::Collect { values: values.clone(), key: None }, next_index),
            }
        }
        Change::PinKeys { keys, at } => {
            let pinned: i64 = conn
                .query_row("SELECT count(*) FROM pinned_keys", [], |r| r.get(0))
                .map_err(db_err)?;
            if pinned > 0 {
                return Err(StoreError::Backend("regulator keys are already pinned".into()));
            }
            // The job's entries are one `regulator_key_pinned` entry per key, in this order.
            for (i, k) in keys.iter().enumerate() {
                let idx = i64::try_from(next_index + i as u64)
                    .map_err(|_| StoreError::Backend("ledger index out of range".into()))?;
                conn.execute(
                    "INSERT INTO pinned_keys(vkey, pinned_at, ledger_idx) VALUES (?1, ?2, ?3)",
                    params![k, at, idx],
                )
                .map_err(db_err)?;
            }
            Ok(())
        }
        Change::PutOrder { id, nonce, note } => match conn.execute("INSERT INTO orders(id, nonce, note) VALUES (?1, ?2, ?3)", params![id, nonce, note]) {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                Err(StoreError::Backend(format!("order `{id}` or its nonce already stored")))
            }
            Err(e) => Err(db_err(e)),
        },
        Change::AssignRole { tenant, subject, role } => {
            let n = conn
                .execute(
                    "UPDATE subjects SET role = ?3 WHERE tenant = ?1 AND id = ?2 AND role IS NULL AND erased = 0",
                    params![tenant.as_str(), subject.as_str(), role.as_str()],
                )
                .map_err(db_err)?;
            if n == 0 {
                return Err(StoreError::NotFound("subject without a role".into()));
            }
            Ok(())
        }
        Change::BeginEpoch { epoch, at } => match conn.execute("INSERT INTO keys.key_epochs(epoch, created_at) VALUES (?1, ?2)", params![epoch, at]) {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                Err(StoreError::Backend(format!("epoch {epoch} was already begun")))
            }
            Err(e) => Err(db_err(e)),
        },
        Change::Rewrap(keys) => {
            let mut subj = conn
                .prepare_cached("UPDATE keys.subject_keys SET wrapped = ?3, epoch = ?4 WHERE tenant = ?1 AND subject = ?2 AND epoch = ?5")
                .map_err(db_err)?;
            for k in keys {
                match &k.subject {
                    Some(s) => subj.execute(params![k.tenant.as_str(), s.as_str(), k.key.blob, k.key.epoch, k.from]),
                    None => conn.execute(
                        "UPDATE keys.tenant_keys SET wrapped = ?2, epoch = ?3 WHERE tenant = ?1 AND epoch = ?4",
                        params![k.tenant.as_str(), k.key.blob, k.key.epoch, k.from],
                    ),
                }
                .map_err(db_err)?;
            }
            Ok(())
        }
        Change::RetireEpoch { epoch, at } => {
            let left: i64 = conn
                .query_row(
                    "SELECT (SELECT count(*) FROM keys.subject_keys WHERE epoch = ?1) + (SELECT count(*) FROM keys.tenant_keys WHERE epoch = ?1)",
                    params![epoch],
                    |r| r.get(0),
                )
                .map_err(db_err)?;
            if left > 0 {
                return Err(StoreError::Backend(format!("{left} key(s) are still wrapped under epoch {epoch}")));
            }
            let n = conn
                .execute("UPDATE keys.key_epochs SET retired_at = ?2 WHERE epoch = ?1 AND retired_at IS NULL", params![epoch, at])
                .map_err(db_err)?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("epoch {epoch} in force")));
            }
            Ok(())
        }
        Change::Rekey { tenant, subject, old_key, new_key, values, dropped } => {
            check_key(conn, tenant, subject, old_key)?;
            conn.execute(
                "UPDATE keys.subject_keys SET wrapped = ?3, epoch = ?4 WHERE tenant = ?1 AND subject = ?2",
                params![tenant.as_str(), subject.as_str(), new_key.blob, new_key.epoch],
            )
            .map_err(db_err)?;
            let mut up = conn
                .prepare_cached("UPDATE vals SET sealed = ?4, key_version = ?5, blind_index = ?6 WHERE tenant = ?1 AND token = ?2 AND subject = ?3 AND collected_at = ?7")
                .map_err(db_err)?;
            for v in values {
                if up.execute(params![tenant.as_str(), v.token.as_str(), subject.as_str(), v.sealed, v.key_version, v.blind_index, v.collected_at]).map_err(db_err)? == 0 {
                    return Err(StoreError::Stale);
                }
            }
            // A value collected again since the act read it is not destroyed: the act runs again.
            let mut del = conn
                .prepare_cached("DELETE FROM vals WHERE tenant = ?1 AND token = ?2 AND subject = ?3 AND collected_at = ?4")
                .map_err(db_err)?;
            for (t, at) in dropped {
                if del.execute(params![tenant.as_str(), t.as_str(), subject.as_str(), at]).map_err(db_err)? == 0 {
                    return Err(StoreError::Stale);
                }
            }
            // Every value of the subject must now be under the new key.
            let left: i64 = conn
                .query_row("SELECT count(*) FROM vals INDEXED BY vals_subject WHERE tenant = ?1 AND subject = ?2", params![tenant.as_str(), subject.as_str()], |r| r.get(0))
                .map_err(db_err)?;
            if usize::try_from(left).unwrap_or(usize::MAX) != values.len() {
                return Err(StoreError::Stale);
            }
            Ok(())
        }
        Change::PutRequest(r) => conn
            .execute(
                "INSERT INTO requests(id, tenant, subject, kind, received_at, deadline, status, refusal, closed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![r.id, r.tenant.as_str(), r.subject.as_str(), r.kind.as_str(), r.received_at, r.deadline, r.status.as_str(), refusal(&r.status), r.closed_at],
            )
            .map(|_| ())
            .map_err(db_err),
        Change::CloseRequest { tenant, id, status, at } => {
            let n = conn
                .execute(
                    "UPDATE requests SET status = ?3, refusal = ?4, closed_at = ?5 WHERE tenant = ?1 AND id = ?2 AND status = 'open'",
                    params![tenant.as_str(), id, status.as_str(), refusal(status), at],
                )
                .map_err(db_err)?;
            if n == 0 {
                return Err(StoreError::NotFound("open request".into()));
            }
            Ok(())
        }
        Change::SetHold { tenant, subject, hold } => {
            let n = conn
                .execute(
                    "UPDATE subjects SET hold_reason = ?3, hold_since = ?4 WHERE tenant = ?1 AND id = ?2 AND erased = 0",
                    params![tenant.as_str(), subject.as_str(), hold.as_ref().map(|h| h.reason.as_str()), hold.as_ref().map(|h| h.since)],
                )
                .map_err(db_err)?;
            if n == 0 {
                return Err(StoreError::NotFound("live subject".into()));
            }
            Ok(())
        }
        Change::Erase { tenant, subject } => {
            // The first of two commits: the subject marked erased and its values deleted here,
            // with the ledger entry; its key is deleted after this commit (`finish_keys`).
            let m = conn
                .execute("UPDATE subjects SET erased = 1 WHERE tenant = ?1 AND id = ?2", params![tenant.as_str(), subject.as_str()])
                .map_err(db_err)?;
            if m == 0 {
                return Err(StoreError::NotFound("subject".into()));
            }
            conn.execute("DELETE FROM vals INDEXED BY vals_subject WHERE tenant = ?1 AND subject = ?2", params![tenant.as_str(), subject.as_str()])
                .map(|_| ())
                .map_err(db_err)
        }
    }
}

/// A refused request's label.
fn refusal(s: &RequestStatus) -> Option<&str> {
    match s {
        RequestStatus::Refused(r) => Some(r.as_str()),
        _ => None,
    }
}

/// The subject's stored key is still `key` (what the act read); otherwise the act is stale.
fn check_key(
    conn: &Connection,
    tenant: &TenantId,
    subject: &SubjectId,
    key: &[u8],
) -> Result<(), StoreError> {
    let current: Option<Vec<u8>> = conn
        .prepare_cached("SELECT wrapped FROM keys.subject_keys WHERE tenant = ?1 AND subject = ?2")
        .and_then(|mut s| {
            s.query_row(params![tenant.as_str(), subject.as_str()], |r| r.get(0))
                .optional()
        })
        .map_err(db_err)?;
    if current.as_deref() == Some(key) {
        Ok(())
    } else {
        Err(StoreError::Stale)
    }
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
