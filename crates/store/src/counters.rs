//! The writer's counters, shared by both stores: batches by size, jobs, and jobs queued.

use std::sync::atomic::{AtomicU64, Ordering};

use custodian_core::store::{BATCH_BOUNDS, StoreStats};

/// Counts kept while the store is open (atomics: the writer and callers update them without a
/// lock).
#[derive(Debug, Default)]
pub(crate) struct WriterCounters {
    batches: [AtomicU64; BATCH_BOUNDS.len()],
    jobs: AtomicU64,
    queued: AtomicU64,
    begun_in_commit: AtomicU64,
    begin_missed: AtomicU64,
    begun_let_go: AtomicU64,
    committed_in_batch: AtomicU64,
}

impl WriterCounters {
    /// A job handed to the writer.
    pub(crate) fn queued(&self) {
        self.queued.fetch_add(1, Ordering::Relaxed);
    }

    /// A job the writer took off its queue (or that never reached it).
    pub(crate) fn taken(&self) {
        // Never below zero, even if a count was missed.
        let _ = self
            .queued
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |q| {
                Some(q.saturating_sub(1))
            });
    }

    /// Jobs handed to the writer and not yet taken.
    pub(crate) fn waiting(&self) -> u64 {
        self.queued.load(Ordering::Relaxed)
    }

    /// A transaction of `jobs` jobs.
    pub(crate) fn batch(&self, jobs: usize) {
        let n = u64::try_from(jobs).unwrap_or(u64::MAX);
        let i = BATCH_BOUNDS
            .iter()
            .position(|&b| n <= b)
            .unwrap_or(BATCH_BOUNDS.len() - 1);
        self.batches[i].fetch_add(1, Ordering::Relaxed);
        self.jobs.fetch_add(n, Ordering::Relaxed);
    }

    /// A transaction tried in the round trip of a `COMMIT`: begun, or rolled back because the
    /// ledger head had moved or was held.
    pub(crate) fn begin_in_commit(&self, begun: bool) {
        let n = if begun {
            &self.begun_in_commit
        } else {
            &self.begin_missed
        };
        n.fetch_add(1, Ordering::Relaxed);
    }

    /// A transaction begun in a `COMMIT`'s round trip, rolled back because no job came.
    pub(crate) fn begun_let_go(&self) {
        self.begun_let_go.fetch_add(1, Ordering::Relaxed);
    }

    /// A batch whose `COMMIT` went in the round trip of its own statements.
    pub(crate) fn committed_in_batch(&self) {
        self.committed_in_batch.fetch_add(1, Ordering::Relaxed);
    }

    /// The figures, with the connection counts the store adds.
    pub(crate) fn stats(&self, connections: u64, in_use: u64, max: u64) -> StoreStats {
        StoreStats {
            batches: std::array::from_fn(|i| self.batches[i].load(Ordering::Relaxed)),
            jobs: self.jobs.load(Ordering::Relaxed),
            queued: self.queued.load(Ordering::Relaxed),
            begun_in_commit: self.begun_in_commit.load(Ordering::Relaxed),
            begin_missed: self.begin_missed.load(Ordering::Relaxed),
            begun_let_go: self.begun_let_go.load(Ordering::Relaxed),
            committed_in_batch: self.committed_in_batch.load(Ordering::Relaxed),
            connections,
            connections_in_use: in_use,
            connections_max: max,
        }
    }
}
