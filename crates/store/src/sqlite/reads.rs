//! The read side of the SQLite store: the pool of read connections, reads that settle
//! (their answers go to clients) and reads that feed acts, and a subject read with more in
//! the same read transaction.

use custodian_core::ids::{SubjectId, TenantId};
use custodian_core::store::{StoreError, SubjectRow};
use rusqlite::Connection;

use super::rows::subject_row;
use super::{KEY_WAIT, KEY_WAIT_ROUNDS, MAX_READERS, SqliteStore, db_err, open_conn};

impl SqliteStore {
    /// Runs a read whose answer goes to a client: it returns once what it may have seen is on
    /// disk (at once when no batch is syncing).
    pub(super) fn with_reader<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let out = self.with_reader_fresh(f)?;
        self.durable.settle()?;
        Ok(out)
    }

    /// Runs a read that only feeds an act (a subject, a value, an API key): it may see a batch
    /// still syncing, because the act is answered only after a later sync.
    pub(super) fn with_reader_fresh<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let conn = match self
            .readers
            .lock()
            .map_err(|_| StoreError::Backend("reader pool poisoned".into()))?
            .pop()
        {
            Some(c) => c,
            None => {
                let c = open_conn(&self.dir, false)?;
                self.reader_count
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                c
            }
        };
        let out = f(&conn);
        match self.readers.lock() {
            // A connection still inside a transaction (its end failed) would pin an old
            // snapshot for every later read: closed, not pooled.
            Ok(mut pool) if pool.len() < MAX_READERS && conn.is_autocommit() => pool.push(conn),
            _ => {
                self.reader_count
                    .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        out
    }

    /// A subject's row and `more`, read in one read transaction (one snapshot, one round of
    /// the files' locks). A registration commits `vault.db` before `keys.db`: a subject found
    /// without its key and not marked erased is one whose registration is committing — read
    /// again after the writer's next commit, never answered as keyless (that reads as erased).
    pub(super) fn subject_then<T>(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
        more: impl Fn(&Connection) -> Result<T, StoreError>,
    ) -> Result<Option<(SubjectRow, T)>, StoreError> {
        let mut seen = self.commits.now();
        for _ in 0..KEY_WAIT_ROUNDS {
            // `None`: the key is not there yet.
            let read = self.with_reader_fresh(|c| {
                // Rolled back when dropped: it only ends the read.
                let tx = c.unchecked_transaction().map_err(db_err)?;
                Ok(match subject_row(&tx, tenant, subject)? {
                    Some((info, None)) if !info.erased => None,
                    Some((info, key)) => {
                        let key = if info.erased { None } else { key };
                        Some(Some(((info, key), more(&tx)?)))
                    }
                    None => Some(None),
                })
            })?;
            match read {
                Some(found) => return Ok(found),
                None => seen = self.commits.wait_past(seen, KEY_WAIT),
            }
        }
        Err(StoreError::Backend(format!(
            "subject `{subject}` has no key in keys.db and is not marked erased \
             (the key file was changed outside Custodian?)"
        )))
    }
}
