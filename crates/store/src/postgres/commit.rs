//! How the writer ends a batch's transaction: the `COMMIT` (durable, or left to the flusher),
//! and the next batch's transaction begun in the same round trip while jobs wait or after a
//! batch of several (rolled back by the writer if no job comes within `BEGUN_IDLE`).

use super::writer::pipeline;
use super::*;

/// What callers of a batch are told when the connection failed after its `COMMIT` was sent:
/// the server may have committed it.
pub(super) const OUTCOME_UNKNOWN: &str = "the connection to PostgreSQL failed while the batch \
     was committing: whether it committed is unknown";

/// Whether `r` is an error of the connection (not the server's answer): a statement sent
/// before it may have run.
pub(super) fn connection_failed(r: &Result<u64, tokio_postgres::Error>) -> bool {
    matches!(r, Err(e) if e.as_db_error().is_none())
}

/// Whether a `COMMIT`'s result leaves its outcome unknown: the connection failed, or the
/// server process was ended (by an operator or a crash) — which may come after the commit
/// record is written.
fn commit_unknown(r: &Result<u64, tokio_postgres::Error>) -> bool {
    connection_failed(r)
        || matches!(r, Err(e) if e.code() == Some(&SqlState::ADMIN_SHUTDOWN)
            || e.code() == Some(&SqlState::CRASH_SHUTDOWN))
}

/// How a batch ends.
#[derive(Clone, Copy, Debug)]
pub(super) struct Commit {
    /// Commit without waiting for the disk (`synchronous_commit = off`): the flusher makes the
    /// batch durable before its jobs are answered.
    pub(super) unflushed: bool,
    /// Begin the next batch's transaction and lock the ledger head in the COMMIT's round trip.
    pub(super) begin_next: bool,
}

impl Commit {
    /// A durable COMMIT and nothing after it.
    pub(super) const ALONE: Commit = Commit {
        unflushed: false,
        begin_next: false,
    };
}

/// Ends the batch's transaction as `how` says, all in one round trip. With `begin_next`, the
/// next transaction begins and locks the ledger head if it is still where this batch left it
/// (`size`, `generation`) and no other process holds it: that transaction's configuration
/// generation, or none if it began none (the next batch locks the head itself). An error means
/// the batch did not commit, or ([`OUTCOME_UNKNOWN`]) that it may have: nothing after a
/// successful `COMMIT` fails it.
pub(super) async fn finish(
    c: &ClientWrapper,
    how: Commit,
    size: TreeSize,
    generation: u64,
) -> Result<Begun, StoreError> {
    let ends = end_ops(how, size, generation)?;
    let results = pipeline(c, &ends).await?;
    ended(c, how, generation, results).await
}

/// The statements that end a batch's transaction as `how` says (see [`finish`]).
pub(super) fn end_ops(how: Commit, size: TreeSize, generation: u64) -> Result<Vec<Op>, StoreError> {
    let size =
        i64::try_from(size.get()).map_err(|_| StoreError::Backend("ledger too large".into()))?;
    let generation_param = i64::try_from(generation)
        .map_err(|_| StoreError::Backend("generation too large".into()))?;
    let mut ends = Vec::with_capacity(4);
    if how.unflushed {
        ends.push(Op::new("SET LOCAL synchronous_commit = off", vec![]));
    }
    ends.push(Op::new("COMMIT", vec![]));
    if how.begin_next {
        ends.push(Op::new("BEGIN", vec![]));
        ends.push(Op::new(
            // `NOWAIT`: behind another process's lock this batch's answers would wait for
            // that process's commit; the next batch takes the lock itself instead.
            "SELECT 1 FROM ledger_head WHERE id = 1 AND size = $1 AND generation = $2 \
             FOR UPDATE NOWAIT",
            vec![Box::new(size), Box::new(generation_param)],
        ));
    }
    Ok(ends)
}

/// What the statements of [`end_ops`] did: the batch committed (or `Err`), and the
/// transaction begun for the next batch, if any (one begun that did not lock the head is
/// rolled back).
pub(super) async fn ended(
    c: &ClientWrapper,
    how: Commit,
    generation: u64,
    results: Vec<Result<u64, tokio_postgres::Error>>,
) -> Result<Begun, StoreError> {
    let count = results.len();
    let mut results = results.into_iter();
    // A `SET LOCAL` the server refused aborts the transaction, and the COMMIT after it rolls
    // back without an error: either refused is the batch's failure. The connection failing
    // under either (or the server process ended under the COMMIT) leaves the outcome unknown:
    // the COMMIT was sent.
    let ends = count - if how.begin_next { 2 } else { 0 };
    for i in 0..ends {
        match results.next() {
            Some(r) if connection_failed(&r) || (i + 1 == ends && commit_unknown(&r)) => {
                return Err(StoreError::OutcomeUnknown(OUTCOME_UNKNOWN.into()));
            }
            Some(Err(e)) => return Err(pg_err(e)),
            _ => {}
        }
    }
    if !how.begin_next {
        return Ok(None);
    }
    let begun = matches!(results.next(), Some(Ok(_)));
    if begun && matches!(results.next(), Some(Ok(1))) {
        return Ok(Some(Some(generation)));
    }
    // The batch is committed, whatever happens now: the next one starts afresh. A failed
    // rollback leaves a broken connection, on which the next batch fails before it commits
    // anything (and the writer takes a fresh one).
    let _ = c.batch_execute("ROLLBACK").await;
    Ok(Some(None))
}

/// Whether a batch's `COMMIT` tried to begin the next transaction (`Some`) and, if it did,
/// the configuration generation of the transaction it began (`Some(Some(g))`) or none (the
/// head had moved or was held).
pub(super) type Begun = Option<Option<u64>>;
