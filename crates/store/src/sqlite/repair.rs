//! What `SqliteStore::open` repairs, and what it refuses to, after a crash.
//!
//! SQLite commits the two files one after the other (attached databases in WAL mode are atomic
//! each, not together), `vault.db` first. A crash can therefore cut only the last write to
//! `keys.db`: its rows and ledger entries are in `vault.db`, its keys are not. To tell that cut
//! from a key file changed by hand or swapped for a copy from another time, every batch that
//! writes `keys.db` counts itself on both sides in its transaction ([`count_key_write`]):
//! `vault.db` keeps the count and the ledger index where the batch's entries begin, `keys.db`
//! the count. At open ([`recover`]):
//!
//! - the same count on both sides: every live subject has its key, or the key file was changed
//!   outside Custodian — refused;
//! - `keys.db` one write behind: the last write was cut. A live subject without a key whose
//!   first ledger entry is in the cut write was never acknowledged: it is marked erased and its
//!   values deleted, and the erasure waits in `unrecorded_erasures` until the vault records it
//!   in the ledger. A keyless subject from before the cut write is refused. A tenant the cut
//!   write made has no key and no subject yet: it goes (its manifest is loaded again);
//! - any other difference: the key file is not this `vault.db`'s — refused.
//!
//! Refused opens change nothing. An erasure a crash cut between its two commits (the subject
//! marked erased, the key still there) is finished in every case.
//!
//! A re-key seals a subject's values under a new key: its new key is staged in `keys.db` in a
//! commit before the batch (`keyfile::stage_new_keys`), and both files count the key's
//! generation (`subjects.key_gen`, `subject_keys.gen`). At open a staged key of the generation
//! `vault.db` has becomes the key (the batch was cut after `vault.db`'s commit); other staged
//! keys are dropped. A key of another generation than `vault.db`'s is refused.

use rusqlite::{Connection, params};

use super::db_err;
use custodian_core::ids::{SubjectId, TenantId};
use custodian_core::store::StoreError;

/// Why the store erased a subject outside an act: a registration a crash cut between its files.
const REGISTRATION_CUT: &str = "registration_cut_by_crash";
/// … or a subject a restore beside the cell's own keys found erased after the backup.
const ERASED_SINCE_BACKUP: &str = "erased_since_backup";
/// … the same for a subject the backup holds under a legal hold: its hold was released after
/// the backup, or its key was removed outside Custodian — the ledger tells them apart from the
/// ordinary case so that a regulator can ask which.
const ERASED_UNDER_HOLD_SINCE_BACKUP: &str = "erased_since_backup_held_in_it";
/// … or the backup's values of a subject re-keyed after the backup (the subject stays).
const REKEYED_SINCE_BACKUP: &str = "values_rekeyed_since_backup";

/// Counts a batch that writes `keys.db` on both sides, in its transaction; its ledger entries
/// are `ledger_start..ledger_end`.
pub(super) fn count_key_write(
    conn: &Connection,
    ledger_start: u64,
    ledger_end: u64,
) -> Result<(), StoreError> {
    let index =
        |i: u64| i64::try_from(i).map_err(|_| StoreError::Backend("ledger index too large".into()));
    let (start, end) = (index(ledger_start)?, index(ledger_end)?);
    conn.prepare_cached(
        "UPDATE main.key_writes SET count = count + 1, ledger_start = ?1, ledger_end = ?2
         WHERE one = 1",
    )
    .and_then(|mut s| s.execute(params![start, end]))
    .and_then(|_| {
        conn.prepare_cached(
            "UPDATE keys.key_writes SET count = (SELECT count FROM main.key_writes) WHERE one = 1",
        )?
        .execute([])
    })
    .map(|_| ())
    .map_err(db_err)
}

/// The two counts of key writes, where the last write's ledger entries begin and end (`None`:
/// a store from before the end was kept), and where vault.db's ledger ends.
struct Counts {
    vault: i64,
    keys: i64,
    ledger_start: i64,
    ledger_end: Option<i64>,
    ledger_size: i64,
}

fn counts(conn: &Connection) -> Result<Counts, StoreError> {
    let (vault, ledger_start, ledger_end, ledger_size) = conn
        .query_row(
            "SELECT count, ledger_start, ledger_end,
               (SELECT coalesce(max(idx) + 1, 0) FROM main.ledger_entries)
             FROM main.key_writes WHERE one = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .map_err(db_err)?;
    let keys = conn
        .query_row("SELECT count FROM keys.key_writes WHERE one = 1", [], |r| {
            r.get(0)
        })
        .map_err(db_err)?;
    Ok(Counts {
        vault,
        keys,
        ledger_start,
        ledger_end,
        ledger_size,
    })
}

/// A live subject without a key: whether it is under a legal hold, and the index of the first
/// ledger entry that names it (`None`: none does).
struct Keyless {
    tenant: String,
    subject: String,
    held: bool,
    first_entry: Option<i64>,
}

/// What one walk over `vault.db`'s subjects and `keys.db`'s keys side by side found: the
/// subjects and keys that do not pair up as they should (a live subject with exactly one key of
/// its generation, an erased one with none).
#[derive(Default)]
struct Survey {
    /// Live subjects without a key.
    keyless: Vec<Keyless>,
    /// Live subjects whose key is of another generation than `vault.db` seals their values
    /// under, and whether a staged key of that generation is there to become the key.
    other_generation: Vec<(String, String, bool)>,
    /// Erased subjects whose key is still there (an erasure cut between its commits).
    erased_with_key: usize,
    /// Keys with a re-key's new key staged.
    staged: usize,
}

/// Column `i` of a row as text.
fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> Result<&'r str, StoreError> {
    r.get_ref(i)
        .map_err(db_err)?
        .as_str()
        .map_err(|e| db_err(e.into()))
}

/// The walk pairs rows by comparing ids as Rust orders them: a table whose rows come in
/// another order (one made by hand with another collation) stops it rather than pairing rows
/// wrongly. Ids are never empty, so the empty pair comes before the first row.
fn in_order(table: &str, last: (&str, &str), next: (&str, &str)) -> Result<(), StoreError> {
    if last < next {
        return Ok(());
    }
    Err(StoreError::Backend(format!(
        "the rows of `{table}` do not come in the order of their ids (the table was not made \
         by Custodian); refusing to open"
    )))
}

/// Walks the subjects and the keys together in key order (both tables are ordered by tenant
/// and id): two sequential reads, where a lookup per subject would descend the other file's
/// tree a million times for a million subjects.
fn survey(conn: &Connection) -> Result<Survey, StoreError> {
    let mut subjects = conn
        .prepare(
            "SELECT tenant, id, erased, key_gen, hold_reason IS NOT NULL FROM main.subjects
             ORDER BY tenant, id",
        )
        .map_err(db_err)?;
    let mut keys = conn
        .prepare(
            "SELECT tenant, subject, gen, next_wrapped IS NOT NULL, next_gen
             FROM keys.subject_keys ORDER BY tenant, subject",
        )
        .map_err(db_err)?;
    let mut subjects = subjects.query([]).map_err(db_err)?;
    let mut keys = keys.query([]).map_err(db_err)?;
    let mut found = Survey::default();
    let mut staged = 0;
    // The key row under the walk: its tenant and subject in buffers reused from row to row,
    // then (gen, staged, next_gen).
    let (mut kt, mut ks) = (String::new(), String::new());
    let mut next_key = |kt: &mut String,
                        ks: &mut String|
     -> Result<Option<(i64, bool, Option<i64>)>, StoreError> {
        let Some(r) = keys.next().map_err(db_err)? else {
            return Ok(None);
        };
        let (t, s) = (text(r, 0)?, text(r, 1)?);
        in_order("subject_keys", (kt.as_str(), ks.as_str()), (t, s))?;
        kt.clear();
        kt.push_str(t);
        ks.clear();
        ks.push_str(s);
        let row: (i64, bool, Option<i64>) = (
            r.get(2).map_err(db_err)?,
            r.get(3).map_err(db_err)?,
            r.get(4).map_err(db_err)?,
        );
        staged += usize::from(row.1);
        Ok(Some(row))
    };
    let mut key = next_key(&mut kt, &mut ks)?;
    let (mut last_tenant, mut last_id) = (String::new(), String::new());
    while let Some(r) = subjects.next().map_err(db_err)? {
        let (tenant, id) = (text(r, 0)?, text(r, 1)?);
        in_order("subjects", (&last_tenant, &last_id), (tenant, id))?;
        last_tenant.clear();
        last_tenant.push_str(tenant);
        last_id.clear();
        last_id.push_str(id);
        let erased: bool = r.get(2).map_err(db_err)?;
        let key_gen: i64 = r.get(3).map_err(db_err)?;
        // Keys of no subject (nothing writes them) are passed over, as lookups would.
        while key.is_some() && (kt.as_str(), ks.as_str()) < (tenant, id) {
            key = next_key(&mut kt, &mut ks)?;
        }
        let own = key.filter(|_| (kt.as_str(), ks.as_str()) == (tenant, id));
        match (erased, own) {
            (true, Some(_)) => found.erased_with_key += 1,
            (true, None) => {}
            (false, None) => found.keyless.push(Keyless {
                tenant: tenant.to_string(),
                subject: id.to_string(),
                held: r.get(4).map_err(db_err)?,
                first_entry: None,
            }),
            (false, Some((key_of, staged, next_gen))) if key_of != key_gen => {
                found.other_generation.push((
                    tenant.to_string(),
                    id.to_string(),
                    staged && next_gen == Some(key_gen),
                ));
            }
            (false, Some(_)) => {}
        }
        if own.is_some() {
            key = next_key(&mut kt, &mut ks)?;
        }
    }
    while key.is_some() {
        key = next_key(&mut kt, &mut ks)?;
    }
    found.staged = staged;
    // The first ledger entry naming each keyless subject (there are none, or a cut write's few).
    let mut first = conn
        .prepare("SELECT min(idx) FROM ledger_subjects WHERE tenant = ?1 AND subject = ?2")
        .map_err(db_err)?;
    for k in &mut found.keyless {
        k.first_entry = first
            .query_row(params![k.tenant, k.subject], |r| r.get(0))
            .map_err(db_err)?;
    }
    Ok(found)
}

/// Finishes what a crash interrupted, or refuses a key file that is not this `vault.db`'s
/// (module docs). The caller then truncates the key file's write-ahead log, so no earlier copy
/// of a deleted key remains.
pub(crate) fn recover(conn: &Connection) -> Result<(), StoreError> {
    let c = counts(conn)?;
    let found = survey(conn)?;
    let missing = found.keyless;
    let held = missing.iter().filter(|k| k.held).count();
    if held > 0 {
        return Err(StoreError::Backend(format!(
            "{held} subject(s) under a legal hold have no key in keys.db: this is not the key file \
             of this vault.db (a crash never leaves a held subject without its key); refusing to \
             open, which would erase them — put the cell's own keys.db back"
        )));
    }
    let put_back = "put the cell's own keys.db back, or restore a backup with `custodian restore`";
    let other_gen = found
        .other_generation
        .iter()
        .filter(|(_, _, staged_is_theirs)| !staged_is_theirs)
        .count();
    if other_gen > 0 {
        return Err(StoreError::Backend(format!(
            "{other_gen} subject(s) have a key in keys.db of another generation than the one \
             vault.db seals their values under: this keys.db is another copy's (a crash leaves \
             a re-key's new key staged); refusing to open — {put_back}"
        )));
    }
    let cut = if c.keys == c.vault {
        if !missing.is_empty() {
            return Err(StoreError::Backend(format!(
                "{} subject(s) have no key in keys.db, which holds every write vault.db counts \
                 ({}): their keys were removed outside Custodian, or this keys.db is another \
                 copy's; refusing to open, which would erase them — {put_back}",
                missing.len(),
                c.vault
            )));
        }
        false
    } else if c.keys + 1 == c.vault {
        // A crash cuts the write it is committing, and nothing is written after it: vault.db's
        // ledger ends where that write's entries do.
        if c.ledger_end.is_some_and(|end| end != c.ledger_size) {
            return Err(StoreError::Backend(format!(
                "keys.db is one write behind vault.db, whose ledger goes on after that write \
                 (to {} entries, the write ended at {}): no crash left it so — this keys.db is an \
                 older copy; refusing to open, which would erase subjects — {put_back}",
                c.ledger_size,
                c.ledger_end.unwrap_or_default()
            )));
        }
        let older = missing
            .iter()
            .filter(|k| k.first_entry.is_none_or(|i| i < c.ledger_start))
            .count();
        if older > 0 {
            return Err(StoreError::Backend(format!(
                "{older} subject(s) registered before the last write to keys.db have no key \
                 there: this keys.db is not this vault.db's (a crash cuts only the last write); \
                 refusing to open, which would erase them — {put_back}"
            )));
        }
        true
    } else {
        return Err(StoreError::Backend(format!(
            "keys.db holds {} write(s) and vault.db counts {}: they are copies from different \
             times (a crash leaves keys.db at most one write behind); refusing to open — \
             {put_back}",
            c.keys, c.vault
        )));
    };
    if cut {
        let tx = conn.unchecked_transaction().map_err(db_err)?;
        erase(&tx, &missing, REGISTRATION_CUT)?;
        // A tenant made in the cut write has no key and no subject yet (its manifest load was
        // never answered: nothing could register under it): it goes, and loading the manifest
        // again makes it. One with subjects and no key stays, and the open refuses it.
        let tenants = tx
            .execute(
                "DELETE FROM main.tenants WHERE NOT EXISTS
                   (SELECT 1 FROM keys.tenant_keys k WHERE k.tenant = tenants.id)
                 AND NOT EXISTS (SELECT 1 FROM main.subjects s WHERE s.tenant = tenants.id)",
                [],
            )
            .map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        if tenants > 0 {
            tracing::warn!(
                tenants,
                "a crash cut a new tenant's manifest load between the store's files: the tenant \
                 is removed (the load was never answered; load the manifest again)"
            );
        }
    }
    // Keys of subjects marked erased (an erasure cut between its commits) go; a re-key's staged
    // key becomes the key where vault.db seals the values under its generation (the batch was
    // cut after vault.db's commit), and is dropped elsewhere (the batch failed or never
    // committed); keys.db catches up with the count: one transaction of `keys.db`, when there
    // is anything to do (the subjects the repair above erased have no key).
    if found.erased_with_key == 0 && found.staged == 0 && !cut {
        return Ok(());
    }
    conn.execute_batch(
        "BEGIN IMMEDIATE;
         DELETE FROM keys.subject_keys WHERE EXISTS (SELECT 1 FROM main.subjects s
           WHERE s.tenant = subject_keys.tenant AND s.id = subject_keys.subject AND s.erased = 1);
         UPDATE keys.subject_keys SET wrapped = next_wrapped, epoch = next_epoch, gen = next_gen
           WHERE next_wrapped IS NOT NULL AND next_gen = (SELECT s.key_gen FROM main.subjects s
             WHERE s.tenant = subject_keys.tenant AND s.id = subject_keys.subject);
         UPDATE keys.subject_keys SET next_wrapped = NULL, next_epoch = NULL, next_gen = NULL
           WHERE next_wrapped IS NOT NULL;
         UPDATE keys.key_writes SET count = (SELECT count FROM main.key_writes) WHERE one = 1;
         COMMIT;",
    )
    .map_err(|e| {
        let _ = conn.execute_batch("ROLLBACK");
        db_err(e)
    })
}

/// Marks `subjects` erased and deletes their values, in the caller's transaction of
/// `vault.db`; the erasures wait in `unrecorded_erasures` for the vault to record them.
fn erase(conn: &Connection, subjects: &[Keyless], why: &str) -> Result<(), StoreError> {
    for k in subjects {
        conn.execute(
            "UPDATE subjects SET erased = 1, version = (random() & 9223372036854775807),
               hold_reason = NULL, hold_since = NULL
             WHERE tenant = ?1 AND id = ?2",
            params![k.tenant, k.subject],
        )
        .and_then(|_| {
            conn.execute(
                "DELETE FROM vals WHERE tenant = ?1 AND subject = ?2",
                params![k.tenant, k.subject],
            )
        })
        .and_then(|_| {
            conn.execute(
                "INSERT INTO unrecorded_erasures(tenant, subject, reason) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING",
                params![k.tenant, k.subject, why],
            )
        })
        .map_err(db_err)?;
    }
    Ok(())
}

/// What a restore beside the cell's own `keys.db` found, by tenant and subject id.
#[derive(Default)]
pub(crate) struct Restored {
    /// Live in the backup, without a key now: erased after the backup.
    pub erased: Vec<(TenantId, SubjectId)>,
    /// Those of them the backup holds under a legal hold.
    pub held: Vec<(TenantId, SubjectId)>,
    /// Re-keyed after the backup (rectified, swept): the backup's values of them are sealed
    /// under a key the cell no longer keeps.
    pub rekeyed: Vec<(TenantId, SubjectId)>,
}

/// A stored tenant and subject id, parsed.
fn subject_ids(tenant: &str, subject: &str) -> Result<(TenantId, SubjectId), StoreError> {
    let bad = |e: custodian_core::ids::IdError| StoreError::Backend(e.to_string());
    Ok((
        TenantId::parse(tenant).map_err(bad)?,
        SubjectId::parse(subject).map_err(bad)?,
    ))
}

/// After a backup's `vault.db` is copied in beside the cell's own `keys.db` (and migrated): the
/// live subjects the key file has no key for were erased after the backup — marked erased,
/// their values deleted, waiting to be recorded; the values of subjects whose key is of another
/// generation than the backup's are sealed under a key the cell no longer keeps — deleted,
/// waiting to be recorded, the subject taking its key's generation; and `vault.db` takes the
/// key file's count of writes. One transaction of `vault.db`. A subject the backup holds under
/// a legal hold is erased the same way, recorded under its own reason: no held subject is
/// erased, so its hold was released after the backup — or its key was removed by hand.
pub(crate) fn restored_beside_keys(conn: &Connection) -> Result<Restored, StoreError> {
    let found = survey(conn)?;
    let tx = conn.unchecked_transaction().map_err(db_err)?;
    let (held, free): (Vec<Keyless>, Vec<Keyless>) =
        found.keyless.into_iter().partition(|k| k.held);
    erase(&tx, &free, ERASED_SINCE_BACKUP)?;
    erase(&tx, &held, ERASED_UNDER_HOLD_SINCE_BACKUP)?;
    let rekeyed: Vec<(String, String)> = found
        .other_generation
        .into_iter()
        .map(|(t, s, _)| (t, s))
        .collect();
    for (t, s) in &rekeyed {
        tx.execute(
            "DELETE FROM vals WHERE tenant = ?1 AND subject = ?2",
            params![t, s],
        )
        .and_then(|_| {
            tx.execute(
                "INSERT INTO unrecorded_erasures(tenant, subject, reason) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING",
                params![t, s, REKEYED_SINCE_BACKUP],
            )
        })
        .and_then(|_| {
            tx.execute(
                "UPDATE subjects SET version = (random() & 9223372036854775807),
                   key_gen = (SELECT k.gen FROM keys.subject_keys k WHERE k.tenant = ?1 AND k.subject = ?2)
                 WHERE tenant = ?1 AND id = ?2",
                params![t, s],
            )
        })
        .map_err(db_err)?;
    }
    tx.execute(
        "UPDATE main.key_writes SET count = (SELECT count FROM keys.key_writes WHERE one = 1),
           ledger_start = (SELECT count(*) FROM ledger_entries) WHERE one = 1",
        [],
    )
    .map_err(db_err)?;
    tx.commit().map_err(db_err)?;
    let ids = |list: Vec<(String, String)>| -> Result<Vec<(TenantId, SubjectId)>, StoreError> {
        let mut out = list
            .iter()
            .map(|(t, s)| subject_ids(t, s))
            .collect::<Result<Vec<_>, _>>()?;
        out.sort();
        Ok(out)
    };
    let pairs = |list: Vec<Keyless>| list.into_iter().map(|k| (k.tenant, k.subject)).collect();
    let held = ids(pairs(held))?;
    let mut erased = ids(pairs(free))?;
    erased.extend(held.iter().cloned());
    erased.sort();
    let rekeyed = ids(rekeyed)?;
    Ok(Restored {
        erased,
        held,
        rekeyed,
    })
}

/// Refuses, before a backup's `vault.db` is copied in, to restore it beside a `keys.db` older
/// than the backup: the backup's count of key writes is the key file's when it was taken, and
/// the count never goes down. Restoring would erase every subject registered between the two
/// as if erased since the backup. Files from before the count are not compared.
pub(crate) fn keys_not_older_than(
    backup_vault: &std::path::Path,
    keys: &std::path::Path,
) -> Result<(), StoreError> {
    let count = |path: &std::path::Path| -> Result<Option<i64>, StoreError> {
        let c = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(db_err)?;
        let has: bool = c
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'key_writes')",
                [],
                |r| r.get(0),
            )
            .map_err(db_err)?;
        if !has {
            return Ok(None);
        }
        c.query_row("SELECT count FROM key_writes WHERE one = 1", [], |r| {
            r.get(0)
        })
        .map_err(db_err)
    };
    if let (Some(backup), Some(keys)) = (count(backup_vault)?, count(keys)?)
        && keys < backup
    {
        return Err(StoreError::Backend(format!(
            "the cell's keys.db holds {keys} write(s), fewer than the {backup} of the backup: it \
             is older than the backup, not the cell's current key file; restoring beside it would \
             erase every subject registered between the two — put the cell's current keys.db back"
        )));
    }
    Ok(())
}

/// The erasures waiting for the vault to record them (`Store::unrecorded_erasures`).
pub(super) fn unrecorded(
    conn: &Connection,
) -> Result<Vec<(TenantId, SubjectId, String)>, StoreError> {
    let mut st = conn
        .prepare("SELECT tenant, subject, reason FROM unrecorded_erasures")
        .map_err(db_err)?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .map_err(db_err)?;
    let mut out = Vec::new();
    for r in rows {
        let (t, s, why) = r.map_err(db_err)?;
        let (t, s) = subject_ids(&t, &s)?;
        out.push((t, s, why));
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests;
