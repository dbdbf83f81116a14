//! The key file's side of a batch: before a batch, its re-keys' new keys are staged in
//! `keys.db` in a commit of their own; after it commits, its erasures' keys are deleted from
//! `keys.db` in a second commit and the key file's write-ahead log is truncated, so no copy of
//! a deleted or re-wrapped key stays in a file.

use super::*;

/// Before a batch: the new keys of its re-keys staged beside the keys they replace
/// (`next_wrapped`, with the next generation), in a commit of `keys.db` alone, synced. The
/// batch then seals the subject's values under the new key in `vault.db` and makes it the key
/// in `keys.db`; SQLite commits the two files one after the other, so without the staged copy
/// a crash between them would leave values sealed under a key no file holds. At open the
/// staged key becomes the key where `vault.db` says the values are under it (`repair`), and is
/// dropped where they are not. Returns how many were staged.
pub(super) fn stage_new_keys(conn: &Connection, jobs: &[Job]) -> Result<usize, StoreError> {
    let rekeys: Vec<(&TenantId, &SubjectId, &[u8], &WrappedKey)> = jobs
        .iter()
        .filter_map(|j| match j.change.inner() {
            Change::Rekey {
                tenant,
                subject,
                old_key,
                new_key,
                ..
            } => Some((tenant, subject, old_key.as_slice(), new_key)),
            _ => None,
        })
        .collect();
    if rekeys.is_empty() {
        return Ok(0);
    }
    let r = (|| {
        conn.execute_batch("BEGIN IMMEDIATE").map_err(db_err)?;
        let mut st = conn
            .prepare_cached(
                "UPDATE keys.subject_keys SET next_wrapped = ?4, next_epoch = ?5, next_gen = gen + 1
                 WHERE tenant = ?1 AND subject = ?2 AND wrapped = ?3",
            )
            .map_err(db_err)?;
        for (t, s, old, new) in &rekeys {
            st.execute(params![t.as_str(), s.as_str(), old, new.blob, new.epoch])
                .map_err(db_err)?;
        }
        conn.execute_batch("COMMIT").map_err(db_err)
    })();
    if let Err(e) = r {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(e);
    }
    Ok(rekeys.len())
}

/// After a batch commits: the second commit of its erasures (their keys deleted from `keys.db`),
/// then, if any key changed, `keys.db`'s write-ahead log checkpointed and truncated, so no
/// earlier copy of a deleted or re-wrapped key stays in a file. The erasures are answered only
/// after both; a crash between the commits leaves subjects marked erased whose keys
/// [`SqliteStore::open`] deletes.
pub(super) fn finish_keys(
    conn: &Connection,
    wal: &WalFiles,
    durable: &Durable,
    jobs: &[Job],
    mut results: Vec<Result<Vec<LeafIndex>, StoreError>>,
) -> Vec<Result<Vec<LeafIndex>, StoreError>> {
    let erased: Vec<(usize, &TenantId, &SubjectId)> = jobs
        .iter()
        .enumerate()
        .filter(|(i, _)| results.get(*i).is_some_and(Result::is_ok))
        .filter_map(|(i, j)| match j.change.inner() {
            Change::Erase { tenant, subject } => Some((i, tenant, subject)),
            _ => None,
        })
        .collect();
    let keys_changed = jobs.iter().zip(&results).any(|(j, r)| {
        r.is_ok()
            && matches!(
                j.change.inner(),
                Change::Rewrap(_) | Change::RetireEpoch { .. } | Change::Rekey { .. }
            )
    });
    if erased.is_empty() && !keys_changed {
        return results;
    }
    fault_point("erase-between-commits");
    let mut failed = None;
    if !erased.is_empty() {
        let r = (|| {
            // The erasure on disk before its key's deletion: the key is never gone while the
            // subject's erasure (and its ledger entry) could still be lost.
            // Committed and not synced: whether the erasure survives is unknown.
            wal.sync_data().map_err(|e| {
                durable.fail(format!("a sync failed: {e}"));
                StoreError::OutcomeUnknown(format!("cannot sync the erasure: {e}"))
            })?;
            conn.execute_batch("BEGIN IMMEDIATE").map_err(db_err)?;
            let mut st = conn
                .prepare_cached("DELETE FROM keys.subject_keys WHERE tenant = ?1 AND subject = ?2")
                .map_err(db_err)?;
            for (_, t, s) in &erased {
                st.execute(params![t.as_str(), s.as_str()])
                    .map_err(db_err)?;
            }
            conn.execute_batch("COMMIT").map_err(db_err)
        })();
        if let Err(e) = r {
            let _ = conn.execute_batch("ROLLBACK");
            // The erasure's own sync failed: whether its marking survives is unknown.
            let unknown = matches!(e, StoreError::OutcomeUnknown(_));
            failed = Some((
                unknown,
                format!(
                    "the subject is marked erased but its key could not be deleted yet (it will be when the store next opens): {e}"
                ),
            ));
        }
    }
    if failed.is_none()
        && let Err(e) = truncate_keys_wal(conn)
    {
        failed = Some((
            false,
            format!(
                "the key is deleted but earlier copies may remain in the key file's write-ahead log until the next checkpoint: {e}"
            ),
        ));
    }
    if let Some((unknown, msg)) = failed {
        for (i, _, _) in erased {
            if let Some(r) = results.get_mut(i) {
                *r = Err(match unknown {
                    true => StoreError::OutcomeUnknown(msg.clone()),
                    false => StoreError::Backend(msg.clone()),
                });
            }
        }
    }
    results
}

/// Checkpoints `keys.db`'s write-ahead log into the file and truncates it to zero bytes.
pub(super) fn truncate_keys_wal(conn: &Connection) -> Result<(), StoreError> {
    // Readers finish quickly; the busy handler waits for them, then a few more tries.
    for _ in 0..50 {
        let busy: i64 = conn
            .query_row("PRAGMA keys.wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
            .map_err(db_err)?;
        if busy == 0 {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Err(StoreError::Backend(
        "readers kept the key file's write-ahead log in use".into(),
    ))
}
