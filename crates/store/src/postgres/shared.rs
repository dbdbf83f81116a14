//! Shared connections for the hot point reads (a subject with its consents, a token's value,
//! an idempotency record). tokio-postgres pipelines concurrent queries on one connection, so
//! many callers' reads queue on a few server processes, each answering a run of them per wake-up,
//! instead of one process woken per read. Only single autocommit statements go through them
//! (nothing that needs a transaction of its own), and only short ones, so no long read holds
//! the others up.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

/// Connections kept for the shared reads (taken from the pool when first needed).
pub(super) const SHARED_READERS: usize = 4;

/// The shared connections, used in turn; a closed one is replaced from the pool.
pub(super) struct Readers {
    slots: Vec<Mutex<Option<Arc<deadpool_postgres::Object>>>>,
    next: AtomicUsize,
}

impl Readers {
    pub(super) fn new(n: usize) -> Readers {
        Readers {
            slots: (0..n.max(1)).map(|_| Mutex::new(None)).collect(),
            next: AtomicUsize::new(0),
        }
    }

    /// The next shared connection, opened (from `pool`) if it is missing or closed.
    pub(super) async fn get(
        &self,
        pool: &Pool,
    ) -> Result<Arc<deadpool_postgres::Object>, StoreError> {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.slots.len();
        let slot = &self.slots[i];
        let held = slot.lock().map_err(|_| poisoned())?.clone();
        if let Some(c) = held
            && !c.is_closed()
        {
            return Ok(c);
        }
        let fresh = Arc::new(pool.get().await.map_err(pool_err)?);
        let mut s = slot.lock().map_err(|_| poisoned())?;
        match &*s {
            // Another caller replaced it meanwhile: use theirs (ours goes back to the pool).
            Some(c) if !c.is_closed() => Ok(Arc::clone(c)),
            _ => {
                *s = Some(Arc::clone(&fresh));
                Ok(fresh)
            }
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
        let (pool, readers) = (self.pool.clone(), Arc::clone(&self.readers));
        self.run(async move {
            let c = readers.get(&pool).await?;
            f(c).await
        })
    }
}
