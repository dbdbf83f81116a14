//! Shared connections for the hot point reads (a subject with its consents, a token's value,
//! an idempotency record). tokio-postgres pipelines concurrent queries on one connection, so
//! many callers' reads queue on a few server processes, each answering a run of them per wake-up,
//! instead of one process woken per read. Only single autocommit statements go through them
//! (nothing that needs a transaction of its own), and only short ones (one subject, one token,
//! one key), so no long read holds the others up; a read that takes over 30 s has its
//! connection replaced.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

/// Connections kept for the shared reads (taken from the pool when first needed), leaving
/// at least two of the pool's for the writer, the flusher (a moment for each flush) and the
/// other reads; none with a smaller pool.
pub(super) const SHARED_READERS: usize = 4;

/// How long a shared read may take before its connection is taken for dead and replaced (a
/// half-open connection would otherwise hold every read queued on it).
const SHARED_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The shared connections, used in turn; a closed one is replaced from the pool.
pub(super) struct Readers {
    slots: Vec<Mutex<Option<Arc<deadpool_postgres::Object>>>>,
    next: AtomicUsize,
}

impl Readers {
    /// `n` shared connections for a pool of `pool` (none if the pool is too small to spare
    /// them: the reads then take pool connections of their own).
    pub(super) fn new(n: usize, pool: usize) -> Readers {
        Readers {
            slots: (0..n.min(pool.saturating_sub(2)))
                .map(|_| Mutex::new(None))
                .collect(),
            next: AtomicUsize::new(0),
        }
    }

    /// Whether no connections are kept (the pool is too small to spare them).
    pub(super) fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The next shared connection and its slot, opened (from `pool`) if it is missing or
    /// closed.
    async fn get(
        &self,
        pool: &Pool,
    ) -> Result<(usize, Arc<deadpool_postgres::Object>), StoreError> {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.slots.len().max(1);
        let slot = self.slots.get(i).ok_or_else(|| {
            StoreError::Backend("no shared PostgreSQL connections are kept".into())
        })?;
        let held = slot.lock().map_err(|_| poisoned())?.clone();
        if let Some(c) = held
            && !c.is_closed()
        {
            return Ok((i, c));
        }
        let fresh = Arc::new(pool.get().await.map_err(pool_err)?);
        let mut s = slot.lock().map_err(|_| poisoned())?;
        match &*s {
            // Another caller replaced it meanwhile: use theirs (ours goes back to the pool).
            Some(c) if !c.is_closed() => Ok((i, Arc::clone(c))),
            _ => {
                *s = Some(Arc::clone(&fresh));
                Ok((i, fresh))
            }
        }
    }

    /// Runs `f` on the next shared connection (opened from `pool` if need be); one that takes
    /// over [`SHARED_READ_TIMEOUT`] has its connection forgotten and fails.
    pub(super) async fn with<T, F, Fut>(&self, pool: &Pool, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(Arc<deadpool_postgres::Object>) -> Fut,
        Fut: Future<Output = Result<T, StoreError>>,
    {
        let (i, c) = self.get(pool).await?;
        match tokio::time::timeout(SHARED_READ_TIMEOUT, f(Arc::clone(&c))).await {
            Ok(r) => r,
            Err(_) => {
                self.forget(i, &c);
                Err(StoreError::Backend(format!(
                    "a read on a shared PostgreSQL connection took over {} s; the \
                     connection is replaced",
                    SHARED_READ_TIMEOUT.as_secs()
                )))
            }
        }
    }

    /// Forgets slot `i`'s connection if it is still `c` (the next read opens another).
    fn forget(&self, i: usize, c: &Arc<deadpool_postgres::Object>) {
        if let Some(Ok(mut s)) = self.slots.get(i).map(Mutex::lock)
            && s.as_ref().is_some_and(|held| Arc::ptr_eq(held, c))
        {
            *s = None;
        }
    }
}

fn poisoned() -> StoreError {
    StoreError::Backend("the shared PostgreSQL connections' lock is poisoned".into())
}

impl PgStore {
    /// A short point read on a shared connection (see the module's notes).
    pub(super) fn read_shared<T, F, Fut>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(Arc<deadpool_postgres::Object>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, StoreError>> + Send,
    {
        // A read a client may be answered with after `Store::settle`.
        self.settled_under.mark();
        if self.readers.slots.is_empty() {
            return self.read(move |c| async move { f(Arc::new(c)).await });
        }
        let (pool, readers) = (self.pool.clone(), Arc::clone(&self.readers));
        self.run(async move { readers.with(&pool, f).await })
    }
}
