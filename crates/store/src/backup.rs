//! Backups in one layout for both backends: a directory with `vault.db` (data and ledger) and
//! `keys.db` (wrapped keys and epochs) in the SQLite store's format. Never a KEK or an epoch
//! key: those stay in the key holder, so a backup's keys open only while the epochs they are
//! wrapped under exist — the next epoch rotation makes every key of an erased subject in every
//! older backup useless.
//!
//! Restoring checks the backup's ledger (indexes without gaps, every stored Merkle node equal to
//! the one its entries give) so the caller can hold its root against the signed checkpoint that
//! travels with the backup.

use std::path::Path;

use custodian_core::ids::{Epoch, SubjectId, TenantId};
use custodian_core::store::StoreError;
use custodian_ledger::{Hash, Log, TreeSize};
use rusqlite::{Connection, OpenFlags, params};

fn db_err(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(format!("sqlite: {e}"))
}

/// Opens a backup's `vault.db` read-only, with its `keys.db` (if any) attached as `keys`.
pub(crate) fn open_backup(dir: &Path) -> Result<Connection, StoreError> {
    let vault = dir.join("vault.db");
    if !vault.exists() {
        return Err(StoreError::Backend(format!(
            "`{}` holds no backup (no vault.db)",
            dir.display()
        )));
    }
    let c = Connection::open_with_flags(
        &vault,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(db_err)?;
    let keys = dir.join("keys.db");
    if keys.exists() {
        // Attached databases open with the main one's flags: read-only.
        let keys = keys
            .to_str()
            .ok_or_else(|| StoreError::Backend("backup path is not UTF-8".into()))?;
        c.execute("ATTACH DATABASE ?1 AS keys", params![keys])
            .map_err(db_err)?;
    }
    Ok(c)
}

/// Checks a backup's ledger and returns its size and root: entries indexed 0..n without gaps,
/// and every stored Merkle node equal to the node its entries give (a copy with an edited
/// entry or node is refused here, before its root is compared with the signed checkpoint).
pub fn backup_ledger(dir: &Path) -> Result<(TreeSize, Hash), StoreError> {
    let c = open_backup(dir)?;
    // A backup a newer release wrote is refused for what it is, before its tables are read (a
    // changed table would otherwise read as a damaged or altered ledger).
    crate::sqlite::schema_known(&c, "the backup's ")?;
    let mut log = Log::new();
    let mut want = std::collections::HashMap::new();
    {
        let mut st = c
            .prepare("SELECT idx, entry FROM ledger_entries ORDER BY idx")
            .map_err(db_err)?;
        let mut rows = st.query([]).map_err(db_err)?;
        let mut expect = 0i64;
        while let Some(r) = rows.next().map_err(db_err)? {
            let idx: i64 = r.get(0).map_err(db_err)?;
            if idx != expect {
                return Err(StoreError::Backend(format!(
                    "the backup's ledger has a gap: entry {expect} is missing"
                )));
            }
            expect += 1;
            let bytes: Vec<u8> = r.get(1).map_err(db_err)?;
            let (_, nodes) = log.append(custodian_ledger::leaf_hash(&bytes));
            for (id, h) in nodes {
                want.insert((id.level, id.index), h);
            }
        }
    }
    let mut st = c
        .prepare("SELECT level, idx, hash FROM ledger_nodes")
        .map_err(db_err)?;
    let mut rows = st.query([]).map_err(db_err)?;
    let mut seen = 0usize;
    while let Some(r) = rows.next().map_err(db_err)? {
        let level: u8 = r.get(0).map_err(db_err)?;
        let idx: u64 = r
            .get::<_, i64>(1)
            .map_err(db_err)?
            .try_into()
            .unwrap_or(u64::MAX);
        let hash: Vec<u8> = r.get(2).map_err(db_err)?;
        match want.get(&(level, idx)) {
            Some(h) if h.0.as_slice() == hash.as_slice() => seen += 1,
            _ => {
                return Err(StoreError::Backend(format!(
                    "the backup's ledger node {level}/{idx} does not match its entries"
                )));
            }
        }
    }
    if seen != want.len() {
        return Err(StoreError::Backend(
            "the backup's ledger is missing Merkle nodes".into(),
        ));
    }
    Ok((log.size(), log.root()))
}

/// The epochs the keys in a directory's `keys.db` (a backup's or a live store's) are wrapped
/// under, ascending; empty if it has no `keys.db`.
pub fn key_epochs_in(dir: &Path) -> Result<Vec<Epoch>, StoreError> {
    let keys = dir.join("keys.db");
    if !keys.exists() {
        return Ok(vec![]);
    }
    let c = Connection::open_with_flags(&keys, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(db_err)?;
    let mut st = c
        .prepare("SELECT epoch FROM subject_keys UNION SELECT epoch FROM tenant_keys ORDER BY 1")
        .map_err(db_err)?;
    let rows = st.query_map([], |r| r.get::<_, Epoch>(0)).map_err(db_err)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(db_err)
}

/// Where a restored store's keys came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeysFrom {
    /// The cell's own key file, kept: erasures made after the backup stay made.
    Current,
    /// The backup (usable only while the epochs it names exist; subjects erased after the
    /// backup and before the next rotation come back until erased again).
    Backup,
}

/// What a restore did.
#[derive(Clone, Debug)]
pub struct RestoreReport {
    /// The restored ledger's size.
    pub ledger_size: u64,
    /// Subjects in the backup.
    pub subjects: u64,
    /// Values in the backup.
    pub values: u64,
    /// Where the keys came from.
    pub keys_from: KeysFrom,
    /// Subjects the backup holds as live whose key the cell's own key file lacks (erased after
    /// the backup was taken): the restore marked them erased and deleted their values, and the
    /// vault records them in the ledger when it opens.
    pub erased_since: Vec<(TenantId, SubjectId)>,
    /// Those of `erased_since` the backup holds under a legal hold (recorded under their own
    /// reason, `erased_since_backup_held_in_it`): their holds were released after the backup,
    /// or their keys were removed outside Custodian.
    pub erased_under_hold: Vec<(TenantId, SubjectId)>,
    /// Subjects re-keyed after the backup was taken (a rectification, a retention sweep): the
    /// backup's values of them are sealed under a key the cell no longer keeps, and the restore
    /// deleted them.
    pub rekeyed_since: Vec<(TenantId, SubjectId)>,
}

fn counts(c: &Connection) -> Result<(u64, u64), StoreError> {
    let n = |sql: &str| -> Result<u64, StoreError> {
        c.query_row(sql, [], |r| r.get::<_, i64>(0))
            .map(|v| u64::try_from(v).unwrap_or(0))
            .map_err(db_err)
    };
    Ok((
        n("SELECT count(*) FROM subjects")?,
        n("SELECT count(*) FROM vals")?,
    ))
}

/// A database file's write-ahead log or shared-memory file (`ext`: `-wal`, `-shm`).
fn wal_of(db: &Path, ext: &str) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(ext);
    std::path::PathBuf::from(name)
}

fn copy_synced(from: &Path, to: &Path) -> Result<(), StoreError> {
    std::fs::copy(from, to)
        .and_then(|_| std::fs::File::open(to)?.sync_all())
        .map_err(|e| {
            StoreError::Backend(format!(
                "cannot copy `{}` to `{}`: {e}",
                from.display(),
                to.display()
            ))
        })
}

/// Restores a backup into the SQLite store directory `target`, which must hold no `vault.db`
/// (move a damaged one aside first). The cell's own `keys.db`, if the directory has one, is
/// kept — its keys are current, and subjects erased since the backup have none there; without
/// one, the backup's keys are used only with `keys_from_backup`.
pub fn restore_sqlite(
    backup: &Path,
    target: &Path,
    keys_from_backup: bool,
) -> Result<RestoreReport, StoreError> {
    let (size, _) = backup_ledger(backup)?;
    std::fs::create_dir_all(target)
        .map_err(|e| StoreError::Backend(format!("cannot create `{}`: {e}", target.display())))?;
    if target.join("vault.db").exists() {
        return Err(StoreError::Backend(format!(
            "`{}` already holds a store (vault.db): restoring over it would lose what it holds \
             since the backup; move it aside first",
            target.display()
        )));
    }
    let keys_from = if target.join("keys.db").exists() {
        // The cell's own key file, kept: one a newer release migrated is refused before the
        // backup is copied in beside it.
        crate::sqlite::keys_schema_known(&target.join("keys.db"))?;
        crate::sqlite::keys_not_older_than(&backup.join("vault.db"), &target.join("keys.db"))?;
        KeysFrom::Current
    } else if keys_from_backup {
        if !backup.join("keys.db").exists() {
            return Err(StoreError::Backend("the backup holds no keys.db".into()));
        }
        KeysFrom::Backup
    } else {
        return Err(StoreError::Backend(format!(
            "`{}` has no key file (keys.db): restore beside the cell's current keys.db, or accept \
             the backup's keys with --keys-from-backup (they open only while their epochs exist, \
             and subjects erased after the backup come back until erased again)",
            target.display()
        )));
    };
    // The backup's data file is copied in under another name, migrated and reconciled with
    // the keys there, and takes the cell's name last: a restore cut anywhere before leaves no
    // vault.db (a retry starts again), and a refused one changes nothing of the cell's.
    let staged = target.join("vault.db.restoring");
    let staged_keys = target.join("keys.db.restoring");
    let remove = |p: &Path| -> Result<(), StoreError> {
        for f in [p.to_path_buf(), wal_of(p, "-wal"), wal_of(p, "-shm")] {
            if f.exists() {
                std::fs::remove_file(&f).map_err(|e| {
                    StoreError::Backend(format!("cannot remove `{}`: {e}", f.display()))
                })?;
            }
        }
        Ok(())
    };
    remove(&staged)?;
    remove(&staged_keys)?;
    for stale in ["vault.db-wal", "vault.db-shm"] {
        let p = target.join(stale);
        if p.exists() {
            std::fs::remove_file(&p).map_err(|e| {
                StoreError::Backend(format!("cannot remove `{}`: {e}", p.display()))
            })?;
        }
    }
    copy_synced(&backup.join("vault.db"), &staged)?;
    let keys_file = match keys_from {
        KeysFrom::Backup => {
            copy_synced(&backup.join("keys.db"), &staged_keys)?;
            staged_keys.clone()
        }
        KeysFrom::Current => target.join("keys.db"),
    };
    let reconciled = (|| {
        let w = crate::sqlite::open_files(&staged, &keys_file, true)?;
        crate::sqlite::migrate(&w)?;
        crate::sqlite::reindex_subjects(&w)?;
        // The restore waits to be recorded in the ledger, whenever the vault next opens.
        w.execute(
            "INSERT OR IGNORE INTO restore_unrecorded(one) VALUES (1)",
            [],
        )
        .map_err(db_err)?;
        let (subjects, values) = counts(&w)?;
        let found = match keys_from {
            KeysFrom::Current => Some(crate::sqlite::restored_beside_keys(&w)?),
            KeysFrom::Backup => None,
        };
        // Both logs emptied into their files before the files are renamed.
        for db in ["main", "keys"] {
            let busy: i64 = w
                .query_row(&format!("PRAGMA {db}.wal_checkpoint(TRUNCATE)"), [], |r| {
                    r.get(0)
                })
                .map_err(db_err)?;
            if busy != 0 {
                return Err(StoreError::Backend(format!(
                    "the restored {db} file's log could not be emptied; nothing was restored"
                )));
            }
        }
        Ok((subjects, values, found))
    })();
    let (subjects, values, found) = match reconciled {
        Ok(r) => r,
        Err(e) => {
            let _ = remove(&staged);
            let _ = remove(&staged_keys);
            return Err(e);
        }
    };
    for p in [&staged, &staged_keys] {
        for ext in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(wal_of(p, ext));
        }
    }
    let found = found.unwrap_or_default();
    let rename = |from: &Path, to: &Path| {
        std::fs::rename(from, to).map_err(|e| {
            StoreError::Backend(format!(
                "cannot rename `{}` to `{}`: {e}",
                from.display(),
                to.display()
            ))
        })
    };
    let sync_dir = || {
        std::fs::File::open(target)
            .and_then(|d| d.sync_all())
            .map_err(|e| StoreError::Backend(format!("cannot sync `{}`: {e}", target.display())))
    };
    // The key file's name on disk before the data file's: a vault.db never stands without
    // its keys.db.
    if keys_from == KeysFrom::Backup {
        rename(&staged_keys, &target.join("keys.db"))?;
        sync_dir()?;
    }
    rename(&staged, &target.join("vault.db"))?;
    sync_dir()?;
    Ok(RestoreReport {
        ledger_size: size.get(),
        subjects,
        values,
        keys_from,
        erased_since: found.erased,
        erased_under_hold: found.held,
        rekeyed_since: found.rekeyed,
    })
}
