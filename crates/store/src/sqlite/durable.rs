//! Durability beside the commit: the writer commits a batch to the write-ahead logs without
//! waiting for the disk, and a thread of its own (the syncer) makes both logs durable
//! (`fdatasync`) and only then moves the ledger head and answers the batch's callers. While one
//! batch syncs, the writer runs the next: the disk's wait and the callers' wake-ups leave the
//! writer's path. When no other work waits and the syncer is idle, the writer syncs and answers
//! the batch itself, so a lone caller does not pay for a thread hop.
//!
//! What a caller is told stays what a crash keeps: a batch is answered only after a sync that
//! began after its commit, and every later batch's sync covers the earlier ones (each log is
//! one file, written in order). The ledger head — what checkpoints are signed over — moves
//! only after a sync (the syncer's, or the writer's own). A read that answers a client (an idempotency replay, a listing, a
//! ledger read) waits until what it may have seen is durable ([`Durable::settle`]); the reads
//! that only feed an act do not, because the act's own answer waits for a later sync.
//!
//! A sync that fails leaves the logs' state on disk unknown (a retried `fsync` can report
//! success for pages the kernel has already dropped), so the store stops taking writes: the
//! batch's callers, and every later one, get an error that says to restart the cell, which
//! recovers from what the disk holds.

use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use custodian_core::store::Answer;
use custodian_core::store::{LedgerHead, StoreError};
use custodian_ledger::LeafIndex;

/// A job's answer.
pub(super) type JobResult = Result<Vec<LeafIndex>, StoreError>;

/// How long a read waits for the syncer before it gives up with an error.
const SETTLE_WAIT: Duration = Duration::from_secs(30);

/// A count of the writer's commits that readers can wait on. Every subject read takes the
/// count, so it is an atomic; the lock is only for waiting (a bump happens under it, so a
/// waiter cannot miss one).
#[derive(Default)]
pub(super) struct Commits {
    count: AtomicU64,
    lock: Mutex<()>,
    bumped: Condvar,
}

impl Commits {
    pub(super) fn now(&self) -> u64 {
        self.count.load(Ordering::Acquire)
    }

    pub(super) fn bump(&self) {
        {
            let _held = self.lock.lock();
            self.count.fetch_add(1, Ordering::Release);
        }
        self.bumped.notify_all();
    }

    /// Waits until a commit after `seen` (at most `timeout`); the count then.
    pub(super) fn wait_past(&self, seen: u64, timeout: Duration) -> u64 {
        let Ok(held) = self.lock.lock() else {
            return self.now();
        };
        let _ = self
            .bumped
            .wait_timeout_while(held, timeout, |_| self.now() <= seen);
        self.now()
    }
}

/// The two write-ahead logs, open for syncing. Opened once the writer's connection has made
/// them and held for its lifetime: SQLite keeps a log (the same file, truncated or rewritten
/// from its start after a checkpoint) while any connection is open, and takes no locks on it.
pub(super) struct WalFiles {
    data: File,
    keys: File,
    /// Whether a commit has written each log since its last sync (set by the writer's
    /// write-ahead-log hook, which runs inside the commit, before the batch is handed on).
    data_written: AtomicBool,
    keys_written: AtomicBool,
    /// Held across a sync (the syncer's, the writer's inline one, a snapshot's): a flag found
    /// cleared means its sync has returned, not that it is under way on another thread.
    syncing: Mutex<()>,
}

impl WalFiles {
    pub(super) fn open(dir: &Path) -> Result<WalFiles, StoreError> {
        let open = |name: &str| {
            let path = dir.join(name);
            File::open(&path).map_err(|e| {
                StoreError::Backend(format!("cannot open `{}` to sync it: {e}", path.display()))
            })
        };
        Ok(WalFiles {
            data: open("vault.db-wal")?,
            keys: open("keys.db-wal")?,
            data_written: AtomicBool::new(true),
            keys_written: AtomicBool::new(true),
            syncing: Mutex::new(()),
        })
    }

    /// A commit wrote `keys.db`'s log (or `vault.db`'s).
    pub(super) fn written(&self, keys: bool) {
        let flag = if keys {
            &self.keys_written
        } else {
            &self.data_written
        };
        flag.store(true, Ordering::Release);
    }

    /// `vault.db`'s log on disk (before an erasure's second commit, so that a key is never
    /// deleted on disk while the subject's erasure is not).
    pub(super) fn sync_data(&self) -> std::io::Result<()> {
        self.data.sync_data()
    }

    /// Both logs on disk (each that a commit wrote since its last sync).
    pub(super) fn sync(&self) -> std::io::Result<()> {
        let _one_at_a_time = self
            .syncing
            .lock()
            .map_err(|_| std::io::Error::other("the sync lock is poisoned"))?;
        // Debug builds: `sync-fails` fails every sync; `sync-fails-when:<path>` those made
        // while the file exists.
        #[cfg(debug_assertions)]
        if std::env::var("CUSTODIAN_TEST_FAULT").is_ok_and(|p| {
            p == "sync-fails"
                || p.strip_prefix("sync-fails-when:")
                    .is_some_and(|f| Path::new(f).exists())
        }) {
            return Err(std::io::Error::other("injected sync failure"));
        }
        // A flag is cleared before its sync: a commit marking it meanwhile is synced now or
        // next time, never skipped.
        for (flag, file) in [
            (&self.data_written, &self.data),
            (&self.keys_written, &self.keys),
        ] {
            if flag.swap(false, Ordering::AcqRel) {
                test_delay();
                if let Err(e) = file.sync_data() {
                    flag.store(true, Ordering::Release);
                    return Err(e);
                }
            }
        }
        Ok(())
    }
}

/// Debug builds: `CUSTODIAN_TEST_SYNC_DELAY_MS` holds back each file's sync (tests watch what
/// happens before a batch is on disk).
fn test_delay() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("CUSTODIAN_TEST_SYNC_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

/// Batches committed and batches durable, in the writer's order (batch numbers from 1).
#[derive(Default)]
pub(super) struct Durable {
    /// The last batch whose commit has begun.
    issued: AtomicU64,
    /// The last batch whose logs are on disk.
    synced: AtomicU64,
    /// Why the store takes no more writes, once a sync has failed.
    failed: Mutex<Option<String>>,
    broken: AtomicBool,
    /// Batches handed to the syncer and not yet answered.
    in_flight: AtomicU64,
    lock: Mutex<()>,
    moved: Condvar,
}

impl Durable {
    /// Numbers the batch about to commit; called before its `COMMIT`, so a reader that sees
    /// any of its rows finds it issued.
    pub(super) fn issue(&self) -> u64 {
        self.issued.fetch_add(1, Ordering::AcqRel) + 1
    }

    /// Batches up to `batch` are on disk: the ledger head moves to `to` (if the batches
    /// committed any) unless a later batch has been published already.
    fn reach(&self, batch: u64, to: Option<LedgerHead>, head: &Mutex<LedgerHead>) {
        {
            let _held = self.lock.lock();
            if batch > self.synced.load(Ordering::Acquire) {
                if let Some(h) = to
                    && let Ok(mut current) = head.lock()
                {
                    *current = h;
                }
                self.synced.store(batch, Ordering::Release);
            }
        }
        self.moved.notify_all();
    }

    /// Whether the syncer has nothing to do (no batch handed to it and not yet answered), or
    /// the store has stopped its writes (nothing more will be handed to it).
    pub(super) fn syncer_idle(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) == 0 || self.broken.load(Ordering::Acquire)
    }

    /// `n` batches the syncer has answered (or that never reached it).
    pub(super) fn done(&self, n: u64) {
        {
            let _held = self.lock.lock();
            self.in_flight.fetch_sub(n, Ordering::AcqRel);
        }
        self.moved.notify_all();
    }

    /// Waits until the syncer is idle, at most `timeout`; whether it is.
    pub(super) fn wait_idle(&self, timeout: Duration) -> bool {
        if self.syncer_idle() {
            return true;
        }
        let Ok(held) = self.lock.lock() else {
            return self.syncer_idle();
        };
        let _ = self
            .moved
            .wait_timeout_while(held, timeout, |_| !self.syncer_idle());
        self.syncer_idle()
    }

    /// Counts a batch handed to the syncer.
    pub(super) fn handed(&self) {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
    }

    /// Stops the writes: something the disk was asked to keep may be lost.
    pub(super) fn fail(&self, why: String) {
        if let Ok(mut f) = self.failed.lock() {
            f.get_or_insert(why);
        }
        {
            let _held = self.lock.lock();
            self.broken.store(true, Ordering::Release);
        }
        self.moved.notify_all();
    }

    /// The error every write and settled read gets once a sync has failed.
    pub(super) fn failure(&self) -> Option<StoreError> {
        if !self.broken.load(Ordering::Acquire) {
            return None;
        }
        let why = self
            .failed
            .lock()
            .ok()
            .and_then(|f| f.clone())
            .unwrap_or_default();
        Some(StoreError::Backend(format!(
            "the store's write-ahead log is not known to be on disk ({why}); it takes no \
             more writes — restart the cell, which recovers from what the disk holds"
        )))
    }

    /// Waits until every batch whose commit had begun when it was called is on disk: what a
    /// read just saw survives a crash. Returns at once when nothing is in flight.
    pub(super) fn settle(&self) -> Result<(), StoreError> {
        let want = self.issued.load(Ordering::Acquire);
        if self.synced.load(Ordering::Acquire) >= want {
            return Ok(());
        }
        let held = self
            .lock
            .lock()
            .map_err(|_| StoreError::Backend("durability state poisoned".into()))?;
        let (_held, timeout) = self
            .moved
            .wait_timeout_while(held, SETTLE_WAIT, |_| {
                self.synced.load(Ordering::Acquire) < want && !self.broken.load(Ordering::Acquire)
            })
            .map_err(|_| StoreError::Backend("durability state poisoned".into()))?;
        if let Some(e) = self.failure() {
            return Err(e);
        }
        if timeout.timed_out() {
            return Err(StoreError::Backend(format!(
                "the write-ahead log was not synced within {} s",
                SETTLE_WAIT.as_secs()
            )));
        }
        Ok(())
    }
}

/// A committed batch handed to the syncer.
pub(super) struct Sealed {
    pub(super) batch: u64,
    /// The ledger head after the batch; `None` if it committed nothing.
    pub(super) head: Option<LedgerHead>,
    pub(super) replies: Vec<(Answer, JobResult)>,
}

/// The syncer's loop: takes every sealed batch waiting, syncs both logs once for all of them,
/// then moves the head and answers. Ends when the writer drops its end of the channel.
pub(super) fn syncer_loop(
    files: &WalFiles,
    rx: &Receiver<Sealed>,
    head: &Mutex<LedgerHead>,
    durable: &Durable,
) {
    while let Ok(first) = rx.recv() {
        let mut sealed = vec![first];
        while let Ok(s) = rx.try_recv() {
            sealed.push(s);
        }
        let n = u64::try_from(sealed.len()).unwrap_or(u64::MAX);
        settle_batches(files, sealed, head, durable);
        durable.done(n);
    }
}

/// Syncs both logs once for `sealed`, then moves the head (never back: the writer may have
/// settled a later batch itself meanwhile) and answers every job.
pub(super) fn settle_batches(
    files: &WalFiles,
    sealed: Vec<Sealed>,
    head: &Mutex<LedgerHead>,
    durable: &Durable,
) {
    let synced: Result<(), String> = match durable.failure() {
        Some(e) => Err(e.to_string()),
        None => files.sync().map_err(|e| {
            durable.fail(format!("a sync failed: {e}"));
            durable
                .failure()
                .map_or_else(|| e.to_string(), |f| f.to_string())
        }),
    };
    if synced.is_ok()
        && let Some(last) = sealed.iter().max_by_key(|s| s.batch)
    {
        durable.reach(last.batch, sealed.iter().rev().find_map(|s| s.head), head);
    }
    for s in sealed {
        for (reply, r) in s.replies {
            // A job that failed committed nothing and keeps its own error; a committed one
            // whose sync failed may or may not be on disk.
            let r = match &synced {
                Ok(()) => r,
                Err(e) => r.and(Err(StoreError::OutcomeUnknown(e.clone()))),
            };
            reply.send(r);
        }
    }
}

/// Starts the syncer thread.
pub(super) fn start(
    files: Arc<WalFiles>,
    rx: Receiver<Sealed>,
    head: Arc<Mutex<LedgerHead>>,
    durable: Arc<Durable>,
) -> Result<std::thread::JoinHandle<()>, StoreError> {
    std::thread::Builder::new()
        .name("custodian-sqlite-syncer".into())
        .spawn(move || {
            // However the loop ends (the writer gone, or a panic), nothing waits for it after.
            struct Stopped<'a>(&'a Durable);
            impl Drop for Stopped<'_> {
                fn drop(&mut self) {
                    self.0.fail("the syncer thread has stopped".into());
                }
            }
            let _stopped = Stopped(&durable);
            syncer_loop(&files, &rx, &head, &durable);
        })
        .map_err(|e| StoreError::Backend(format!("cannot start the syncer thread: {e}")))
}

/// Commits the writer's transaction. Debug builds: `CUSTODIAN_TEST_FAULT=commit-fails` fails
/// it as an I/O error would (here before anything is written).
pub(super) fn commit(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    #[cfg(debug_assertions)]
    if std::env::var("CUSTODIAN_TEST_FAULT").is_ok_and(|p| p == "commit-fails") {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR),
            Some("injected commit failure".into()),
        ));
    }
    conn.execute_batch("COMMIT")
}

/// The answers of a batch whose `COMMIT` failed. An I/O error there may have left it committed
/// in one file of the two, or in both: a job that got through is told its outcome is unknown
/// (one that failed on its own committed nothing and keeps its error), and the store takes no
/// more writes — its log in memory may be behind the disk — until a restart recovers from what
/// the disk holds.
pub(super) fn commit_failed(
    durable: &Durable,
    e: &rusqlite::Error,
    jobs: Vec<super::Job>,
    results: Vec<JobResult>,
) -> Vec<(Answer, JobResult)> {
    let msg = format!("a commit failed: {e}");
    durable.fail(msg.clone());
    jobs.into_iter()
        .map(|j| j.reply)
        .zip(results)
        .map(|(reply, r)| (reply, r.and(Err(StoreError::OutcomeUnknown(msg.clone())))))
        .collect()
}
