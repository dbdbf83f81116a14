//! The write path's fair reference on PostgreSQL: the writer's own batch transaction
//! (`run_batch`: the pipelined statements of the batch's collects — one check of the subjects'
//! keys, one insert of the values, the ledger entries, their Merkle nodes and their rows in the
//! subject index — under
//! the cross-process append lock) called directly on one connection, with no decision, no
//! encryption, no channel and no wait for a batch to fill. `vault_bench` runs it beside the
//! vault, in the same run, on its own database of the same server.

use std::time::Instant;

use super::commit::Commit;
use super::writer::run_batch;
use super::*;
use crate::ReferenceRun;
use crate::sqlite::PREFILL_PER_TRANSACTION;

impl PgStore {
    /// Runs the reference on the database at `url` (empty, or one only references used) and
    /// returns collects per second.
    pub fn reference_collects(url: &str, run: &ReferenceRun) -> Result<f64, StoreError> {
        let store = PgStore::open_with_pool(url, 1)?;
        let pool = store.pool.clone();
        let run = run.clone();
        store.run(async move {
            let c = pool.get().await.map_err(pool_err)?;
            let job = |(change, entry): (Change, Option<Entry>)| Job {
                generation: None,
                change,
                entries: entry.into_iter().collect(),
                reply: oneshot::channel().0,
            };
            let mut log = Log::new();
            let mut subjects = Vec::with_capacity(run.subjects);
            let mut jobs = Vec::new();
            for _ in 0..run.subjects.max(1) {
                let (id, register) = run.subject()?;
                jobs.push(job((register, None)));
                subjects.push(id);
            }
            let mut begun = checked(
                run_batch(
                    &c,
                    &mut log,
                    None,
                    &jobs,
                    &|| Commit {
                        begin_next: true,
                        ..Commit::ALONE
                    },
                    None,
                )
                .await?,
            )?;
            let mut started = Instant::now();
            for (count, per_transaction, timed) in [
                (run.prefill, PREFILL_PER_TRANSACTION, false),
                (run.collects, run.per_transaction, true),
            ] {
                if timed {
                    started = Instant::now();
                }
                let mut done = 0;
                while done < count {
                    let mut jobs = Vec::with_capacity(per_transaction);
                    for _ in 0..per_transaction.max(1).min(count - done) {
                        let (change, e) = run.collect(&subjects[done % subjects.len()])?;
                        jobs.push(job((change, Some(e))));
                        done += 1;
                    }
                    // As the writer does with more work waiting: the next batch begins in
                    // this one's COMMIT.
                    let more = done < count || !timed;
                    begun = checked(
                        run_batch(
                            &c,
                            &mut log,
                            begun,
                            &jobs,
                            &|| Commit {
                                begin_next: more,
                                ..Commit::ALONE
                            },
                            None,
                        )
                        .await?,
                    )?;
                }
            }
            let rate = run.collects as f64 / started.elapsed().as_secs_f64();
            if begun.is_some() {
                c.batch_execute("ROLLBACK").await.map_err(pg_err)?;
            }
            Ok(rate)
        })
    }
}

/// Every job of a reference batch went through; the transaction it began, if any.
fn checked(
    (results, begun): (writer::JobResults, super::commit::Begun),
) -> Result<Option<u64>, StoreError> {
    results.into_iter().try_for_each(|r| r.map(|_| ()))?;
    Ok(begun.flatten())
}
