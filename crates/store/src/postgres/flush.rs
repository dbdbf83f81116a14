//! The write-ahead log's flush beside the writer: while other work waits, a batch commits
//! with `synchronous_commit = off` (its row lock on `ledger_head` released at once, so the next
//! batch of any process can start) and the flusher task makes it durable before its jobs are
//! answered: one small transaction that writes a row commits under the cluster's own
//! `synchronous_commit`, which flushes the log up to its commit record — after every batch
//! handed to it. One flush answers every batch waiting. With nothing else waiting, a batch
//! commits as before and its answer needs no flusher.
//!
//! What a client is told never outruns the disk: answers wait for a flush, and every read
//! whose answer goes to a client (the ledger's head — what checkpoints are signed over —, its
//! entries, replays of idempotency keys, listings, consents through `Store::settle`) flushes
//! after reading
//! ([`PgStore::read_settled`]): another process's batch may be committed and visible and not
//! yet flushed. The reads that only feed an act need not, because the act's own commit comes
//! later in the log and is answered only once flushed.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use deadpool_postgres::{ClientWrapper, Pool};
use tokio::sync::{mpsc, oneshot};

use super::connect::{pg_err, pool_err};
use super::{LeafIndex, PgStore, StoreError};

/// A job's answer.
pub(super) type JobResult = Result<Vec<LeafIndex>, StoreError>;

/// Flushes the write-ahead log up to now, with the cluster's `synchronous_commit`: a
/// transaction that writes a row (this connection's own in `custodian_flush`, so flushers never
/// wait on each other) commits by flushing the log up to its commit record — past every
/// commit before it. (A transaction that writes nothing is not flushed, even with an id.)
/// Returns the server's incarnation ([`incarnation`]) as the flush saw it.
pub(super) async fn flush(c: &ClientWrapper) -> Result<String, StoreError> {
    let st = c
        .prepare_cached(
            "INSERT INTO custodian_flush(backend, flushes) VALUES (pg_backend_pid(), 1)
             ON CONFLICT (backend) DO UPDATE SET flushes = custodian_flush.flushes + 1
             RETURNING custodian_incarnation()",
        )
        .await
        .map_err(pg_err)?;
    let row = c.query_one(&st, &[]).await.map_err(pg_err)?;
    Ok(row.get(0))
}

/// The server's incarnation (schema version 15): a token that changes when the server crashes
/// — as a whole, or one backend, after which it recovers in place — or fails over, and not on
/// a clean restart. A flush under another incarnation than a commit or a read proves nothing
/// about it: what the server had not written out when it crashed (a commit made without
/// waiting for the disk) is lost.
pub(super) async fn incarnation(c: &ClientWrapper) -> Result<String, StoreError> {
    let st = c
        .prepare_cached("SELECT custodian_incarnation()")
        .await
        .map_err(pg_err)?;
    let row = c.query_one(&st, &[]).await.map_err(pg_err)?;
    Ok(row.get(0))
}

/// Flushes the log up to now; an error ([`read_lost`]) if the flush ran under another
/// incarnation of the server than `read_under`, the one a read saw.
async fn flush_under(c: &ClientWrapper, read_under: String) -> Result<(), StoreError> {
    match flush(c).await? == read_under {
        true => Ok(()),
        false => Err(read_lost()),
    }
}

/// The error of a read whose flush ran under another incarnation of the server than the read.
pub(super) fn read_lost() -> StoreError {
    StoreError::Backend(
        "the server crashed or restarted after the read, before it was flushed: what it saw \
         may be lost; read again"
            .into(),
    )
}

/// A committed batch's answers, held until a flush.
pub(super) struct Unflushed {
    pub(super) replies: Vec<(oneshot::Sender<JobResult>, JobResult)>,
    /// The incarnation of the server the batch committed on ([`incarnation`]).
    pub(super) incarnation: String,
}

/// Batches handed to the flusher and not yet answered.
#[derive(Default)]
pub(super) struct InFlight(AtomicU64);

impl InFlight {
    pub(super) fn busy(&self) -> bool {
        self.0.load(Ordering::Acquire) > 0
    }

    pub(super) fn handed(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }

    pub(super) fn done(&self, n: u64) {
        self.0.fetch_sub(n, Ordering::AcqRel);
    }
}

/// The flusher's loop: every batch waiting, one flush, then their answers. Ends when the
/// writer drops its end of the channel. A flush confirms only the batches committed under the
/// server's incarnation it ran under: under another, the server crashed in between, and the
/// batch may have been lost with what it had not written out.
pub(super) async fn flusher_loop(
    pool: Pool,
    mut rx: mpsc::Receiver<Unflushed>,
    in_flight: Arc<InFlight>,
) {
    while let Some(first) = rx.recv().await {
        let mut batches = vec![first];
        while let Ok(b) = rx.try_recv() {
            batches.push(b);
        }
        test_delay().await;
        // A connection for each flush, given back after it: the pool's readers are never
        // short of one because the flusher holds it.
        let flushed = match pool.get().await {
            Ok(c) => flush(&c).await.map_err(|e| e.to_string()),
            Err(e) => Err(pool_err(e).to_string()),
        };
        let n = u64::try_from(batches.len()).unwrap_or(u64::MAX);
        for b in batches {
            let confirmed = match &flushed {
                Ok(now) if *now == b.incarnation => Ok(()),
                Ok(_) => Err(
                    "the server crashed or restarted after the commit, before it was flushed"
                        .into(),
                ),
                Err(e) => Err(e.clone()),
            };
            answer(b.replies, &confirmed);
        }
        in_flight.done(n);
    }
}

/// Answers a batch's jobs after its flush: a job that failed keeps its own error (it committed
/// nothing); a committed one whose flush failed is told its outcome is unknown.
pub(super) fn answer(
    replies: Vec<(oneshot::Sender<JobResult>, JobResult)>,
    flushed: &Result<(), String>,
) {
    for (reply, r) in replies {
        let r = match flushed {
            Ok(()) => r,
            Err(e) => r.and(Err(StoreError::OutcomeUnknown(format!(
                "committed, but its flush to disk could not be confirmed: {e}"
            )))),
        };
        let _ = reply.send(r);
    }
}

/// Debug builds: `CUSTODIAN_TEST_FLUSH_DELAY_MS` holds back each flush, the flusher's and a
/// settled read's (tests watch what happens before a batch or a read is flushed).
async fn test_delay() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("CUSTODIAN_TEST_FLUSH_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
}

impl PgStore {
    /// Runs a read whose answer goes to a client, then flushes the log: what it saw is on
    /// disk when it returns. A flush under another incarnation of the server than the read
    /// confirms nothing of what it saw (it may have been lost in a crash): an error.
    pub(super) fn read_settled<T, F, Fut>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(deadpool_postgres::Client) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, StoreError>> + Send,
    {
        let pool = self.pool.clone();
        self.run(async move {
            let c = pool.get().await.map_err(pool_err)?;
            let read_under = incarnation(&c).await?;
            let out = f(c).await?;
            test_delay().await;
            let c = pool.get().await.map_err(pool_err)?;
            flush_under(&c, read_under).await?;
            Ok(out)
        })
    }

    /// Flushes the log up to now (`Store::settle`). The read it settles ran on a connection
    /// it does not know: an error if the server's incarnation changed since that read was
    /// marked ([`Settled::mark`]), which may have lost what it saw.
    pub(super) fn flush_now(&self) -> Result<(), StoreError> {
        let settled = Arc::clone(&self.settled_under);
        let mark = settled.marked();
        self.read(move |c| async move { settled.check(flush(&c).await?, mark) })
    }

    /// [`flush_under`] on a pooled connection.
    pub(super) fn flush_since(&self, read_under: String) -> Result<(), StoreError> {
        self.read(move |c| async move { flush_under(&c, read_under).await })
    }
}

/// The server's incarnation as the store last knew it (at its opening, or a settle that found
/// it changed), and how many changes it found: `Store::settle` confirms a read only if no
/// change happened since the read was marked.
#[derive(Default)]
pub(super) struct Settled {
    token: std::sync::Mutex<String>,
    changes: AtomicU64,
}

thread_local! {
    /// The last read this thread marked: the store's [`Settled`] (its address) and its count of
    /// changes then.
    static MARK: std::cell::Cell<(usize, u64)> = const { std::cell::Cell::new((0, 0)) };
}

impl Settled {
    pub(super) fn set(&self, token: String) -> Result<(), StoreError> {
        *self.token.lock().map_err(|_| poisoned())? = token;
        Ok(())
    }

    /// Marks a read made on this thread (the settle after it compares).
    pub(super) fn mark(&self) {
        let at = std::ptr::from_ref(self) as usize;
        MARK.set((at, self.changes.load(Ordering::Acquire)));
    }

    /// The changes counted when this thread's last read of this store was marked (now, if none
    /// was).
    fn marked(&self) -> u64 {
        let (at, n) = MARK.get();
        match at == std::ptr::from_ref(self) as usize {
            true => n,
            false => self.changes.load(Ordering::Acquire),
        }
    }

    /// Whether a flush that saw `now` confirms a read marked at `mark`.
    fn check(&self, now: String, mark: u64) -> Result<(), StoreError> {
        let mut token = self.token.lock().map_err(|_| poisoned())?;
        if *token != now {
            *token = now;
            self.changes.fetch_add(1, Ordering::AcqRel);
            return Err(read_lost());
        }
        match self.changes.load(Ordering::Acquire) == mark {
            true => Ok(()),
            false => Err(read_lost()),
        }
    }
}

fn poisoned() -> StoreError {
    StoreError::Backend("the store's incarnation lock is poisoned".into())
}
