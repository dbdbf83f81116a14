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

use rusqlite::{Connection, params};

use super::db_err;
use custodian_core::ids::{SubjectId, TenantId};
use custodian_core::store::StoreError;

/// Why the store erased a subject outside an act: a registration a crash cut between its files.
const REGISTRATION_CUT: &str = "registration_cut_by_crash";
/// … or a subject a restore beside the cell's own keys found erased after the backup.
const ERASED_SINCE_BACKUP: &str = "erased_since_backup";

/// Counts a batch that writes `keys.db` on both sides, in its transaction; its ledger entries
/// begin at `ledger_start`.
pub(super) fn count_key_write(conn: &Connection, ledger_start: u64) -> Result<(), StoreError> {
    let start = i64::try_from(ledger_start)
        .map_err(|_| StoreError::Backend("ledger index too large".into()))?;
    conn.prepare_cached(
        "UPDATE main.key_writes SET count = count + 1, ledger_start = ?1 WHERE one = 1",
    )
    .and_then(|mut s| s.execute(params![start]))
    .and_then(|_| {
        conn.prepare_cached(
            "UPDATE keys.key_writes SET count = (SELECT count FROM main.key_writes) WHERE one = 1",
        )?
        .execute([])
    })
    .map(|_| ())
    .map_err(db_err)
}

/// The two counts of key writes and where the last write's ledger entries begin.
struct Counts {
    vault: i64,
    keys: i64,
    ledger_start: i64,
}

fn counts(conn: &Connection) -> Result<Counts, StoreError> {
    let (vault, ledger_start) = conn
        .query_row(
            "SELECT count, ledger_start FROM main.key_writes WHERE one = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
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

fn keyless(conn: &Connection) -> Result<Vec<Keyless>, StoreError> {
    let mut st = conn
        .prepare(
            "SELECT s.tenant, s.id, s.hold_reason IS NOT NULL,
               (SELECT min(l.idx) FROM ledger_subjects l WHERE l.tenant = s.tenant AND l.subject = s.id)
             FROM subjects s WHERE s.erased = 0 AND NOT EXISTS
               (SELECT 1 FROM keys.subject_keys k WHERE k.tenant = s.tenant AND k.subject = s.id)",
        )
        .map_err(db_err)?;
    let rows = st
        .query_map([], |r| {
            Ok(Keyless {
                tenant: r.get(0)?,
                subject: r.get(1)?,
                held: r.get(2)?,
                first_entry: r.get(3)?,
            })
        })
        .map_err(db_err)?;
    rows.collect::<Result<_, _>>().map_err(db_err)
}

/// Finishes what a crash interrupted, or refuses a key file that is not this `vault.db`'s
/// (module docs). The caller then truncates the key file's write-ahead log, so no earlier copy
/// of a deleted key remains.
pub(crate) fn recover(conn: &Connection) -> Result<(), StoreError> {
    let c = counts(conn)?;
    let missing = keyless(conn)?;
    let held = missing.iter().filter(|k| k.held).count();
    if held > 0 {
        return Err(StoreError::Backend(format!(
            "{held} subject(s) under a legal hold have no key in keys.db: this is not the key file \
             of this vault.db (a crash never leaves a held subject without its key); refusing to \
             open, which would erase them — put the cell's own keys.db back"
        )));
    }
    let put_back = "put the cell's own keys.db back, or restore a backup with `custodian restore`";
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
    // Keys of subjects marked erased (an erasure cut between its commits, or the repair above)
    // go, and keys.db catches up with the count: one transaction of `keys.db`.
    conn.execute_batch(
        "BEGIN IMMEDIATE;
         DELETE FROM keys.subject_keys WHERE EXISTS (SELECT 1 FROM main.subjects s
           WHERE s.tenant = subject_keys.tenant AND s.id = subject_keys.subject AND s.erased = 1);
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
            "UPDATE subjects SET erased = 1, version = (random() & 9223372036854775807)
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

/// After a backup's `vault.db` is copied in beside the cell's own `keys.db` (and migrated): the
/// live subjects the key file has no key for were erased after the backup — marked erased,
/// their values deleted, waiting to be recorded — and `vault.db` takes the key file's count of
/// writes, in one transaction of `vault.db`. A held subject is left as it is (the open refuses
/// it). Returns the subjects erased, by tenant and id.
pub(crate) fn restored_beside_keys(conn: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    let missing: Vec<Keyless> = keyless(conn)?.into_iter().filter(|k| !k.held).collect();
    let tx = conn.unchecked_transaction().map_err(db_err)?;
    erase(&tx, &missing, ERASED_SINCE_BACKUP)?;
    tx.execute(
        "UPDATE main.key_writes SET count = (SELECT count FROM keys.key_writes WHERE one = 1),
           ledger_start = (SELECT count(*) FROM ledger_entries) WHERE one = 1",
        [],
    )
    .map_err(db_err)?;
    tx.commit().map_err(db_err)?;
    let mut out: Vec<(String, String)> =
        missing.into_iter().map(|k| (k.tenant, k.subject)).collect();
    out.sort();
    Ok(out)
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
        let bad = |e: custodian_core::ids::IdError| StoreError::Backend(e.to_string());
        out.push((
            TenantId::parse(&t).map_err(bad)?,
            SubjectId::parse(&s).map_err(bad)?,
            why,
        ));
    }
    out.sort();
    Ok(out)
}
