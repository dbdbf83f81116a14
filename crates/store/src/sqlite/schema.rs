//! The schema: embedded migrations (`PRAGMA user_version`) and opening connections with the
//! cell's settings.

use super::*;

/// Embedded migrations of `vault.db`: (version, SQL).
pub(super) const MIGRATIONS: &[(u32, &str)] = &[
    (
    1,
    "CREATE TABLE tenants(
        id TEXT PRIMARY KEY,
        manifest TEXT NOT NULL,
        wrapped_key BLOB NOT NULL
    );
    CREATE TABLE subjects(
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        minor INTEGER NOT NULL,
        registered_at INTEGER NOT NULL,
        erased INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant, id)
    ) WITHOUT ROWID;
    CREATE TABLE consents(
        tenant TEXT NOT NULL,
        subject TEXT NOT NULL,
        purpose TEXT NOT NULL,
        notice_version TEXT NOT NULL,
        granted_at INTEGER NOT NULL,
        withdrawn_at INTEGER,
        separate INTEGER NOT NULL,
        by_guardian INTEGER NOT NULL
    );
    CREATE INDEX consents_subject ON consents(tenant, subject);
    CREATE TABLE vals(
        tenant TEXT NOT NULL,
        token TEXT NOT NULL,
        subject TEXT NOT NULL,
        field TEXT NOT NULL,
        blind_index TEXT,
        sealed BLOB NOT NULL,
        key_version INTEGER NOT NULL,
        purpose TEXT NOT NULL,
        collected_at INTEGER NOT NULL,
        PRIMARY KEY (tenant, token)
    ) WITHOUT ROWID;
    CREATE INDEX vals_subject ON vals(tenant, subject);
    CREATE INDEX vals_blind ON vals(tenant, field, blind_index) WHERE blind_index IS NOT NULL;
    CREATE TABLE ledger_entries(idx INTEGER PRIMARY KEY, entry BLOB NOT NULL);
    CREATE TABLE ledger_nodes(level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;",
    ),
    (
        2,
        "CREATE TABLE api_keys(
        id TEXT PRIMARY KEY,
        hash BLOB NOT NULL UNIQUE,
        role TEXT NOT NULL,
        tenant TEXT,
        service TEXT,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
    );",
    ),
    (
        3,
        "CREATE TABLE orders(
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        nonce TEXT NOT NULL UNIQUE,
        note TEXT NOT NULL
    );",
    ),
    (
        4,
        // Subject roles; one consent row per subject and purpose (a new grant replaces the
        // old one; the ledger keeps the history): keep each purpose's latest row.
        // Where any of a purpose's rows still stands, the kept row stands too, with the
        // strongest flags among the standing rows (separate, by a guardian) — what the
        // decisions read from several rows before.
        "ALTER TABLE subjects ADD COLUMN role TEXT;
    UPDATE consents SET
        withdrawn_at = NULL,
        separate = (SELECT max(c.separate) FROM consents c WHERE c.tenant = consents.tenant
            AND c.subject = consents.subject AND c.purpose = consents.purpose AND c.withdrawn_at IS NULL),
        by_guardian = (SELECT max(c.by_guardian) FROM consents c WHERE c.tenant = consents.tenant
            AND c.subject = consents.subject AND c.purpose = consents.purpose AND c.withdrawn_at IS NULL),
        granted_at = (SELECT max(c.granted_at) FROM consents c WHERE c.tenant = consents.tenant
            AND c.subject = consents.subject AND c.purpose = consents.purpose AND c.withdrawn_at IS NULL)
    WHERE rowid IN (SELECT max(rowid) FROM consents GROUP BY tenant, subject, purpose)
      AND EXISTS (SELECT 1 FROM consents c WHERE c.tenant = consents.tenant
            AND c.subject = consents.subject AND c.purpose = consents.purpose AND c.withdrawn_at IS NULL);
    DELETE FROM consents WHERE rowid NOT IN
        (SELECT max(rowid) FROM consents GROUP BY tenant, subject, purpose);
    DROP INDEX consents_subject;
    CREATE UNIQUE INDEX consents_subject_purpose ON consents(tenant, subject, purpose);",
    ),
    (
        5,
        // Legal holds; the retention sweeper finds a field's oldest values by index.
        "ALTER TABLE subjects ADD COLUMN hold_reason TEXT;
    ALTER TABLE subjects ADD COLUMN hold_since INTEGER;
    CREATE INDEX vals_collected ON vals(tenant, field, collected_at);",
    ),
    (
        6,
        // A person's requests as records.
        "CREATE TABLE requests(
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        subject TEXT NOT NULL,
        kind TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        deadline INTEGER NOT NULL,
        status TEXT NOT NULL,
        refusal TEXT,
        closed_at INTEGER
    );
    CREATE INDEX requests_tenant ON requests(tenant);",
    ),
    (
        7,
        // The ledger entries naming each subject (filled from the entries at this migration).
        "CREATE TABLE ledger_subjects(
        tenant TEXT NOT NULL,
        subject TEXT NOT NULL,
        idx INTEGER NOT NULL,
        PRIMARY KEY (tenant, subject, idx)
    ) WITHOUT ROWID;",
    ),
    (
        8,
        // The regulator keys pinned at the cell's creation.
        "CREATE TABLE pinned_keys(
        seq INTEGER PRIMARY KEY,
        vkey TEXT NOT NULL UNIQUE,
        pinned_at INTEGER NOT NULL,
        ledger_idx INTEGER NOT NULL
    );",
    ),
    (
        9,
        // Transfers abroad: the legal bases on file, and the individuals counted each year.
        "CREATE TABLE transfer_bases(
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        recipient TEXT NOT NULL,
        kind TEXT NOT NULL,
        reference TEXT NOT NULL,
        valid_from INTEGER NOT NULL,
        expires_at INTEGER,
        fields TEXT NOT NULL,
        pia_reference TEXT,
        pia_completed_at INTEGER,
        PRIMARY KEY (tenant, id)
    ) WITHOUT ROWID;
    CREATE TABLE transferred(
        org TEXT NOT NULL,
        year INTEGER NOT NULL,
        tenant TEXT NOT NULL,
        subject TEXT NOT NULL,
        sensitive INTEGER NOT NULL,
        PRIMARY KEY (org, year, tenant, subject, sensitive)
    ) WITHOUT ROWID;",
    ),
    (
        10,
        // Transfer entries of other cells received here, each once: keyed by the entry's leaf
        // hash (unique: each commits to its values under its own nonce), whatever the sending
        // ledger calls itself.
        "CREATE TABLE received(
        leaf TEXT NOT NULL PRIMARY KEY,
        origin TEXT NOT NULL,
        idx INTEGER NOT NULL,
        tenant TEXT NOT NULL,
        subject TEXT NOT NULL,
        received_at INTEGER NOT NULL
    ) WITHOUT ROWID;",
    ),
    (
        11,
        // Values in collection order: the table's rows (the sealed values, the bulk of each
        // write) are appended in rowid order instead of placed by their random token; only the
        // small index entries land at random places. The indexes keep their names.
        "CREATE TABLE vals_appended(
        id INTEGER PRIMARY KEY,
        tenant TEXT NOT NULL,
        token TEXT NOT NULL,
        subject TEXT NOT NULL,
        field TEXT NOT NULL,
        blind_index TEXT,
        sealed BLOB NOT NULL,
        key_version INTEGER NOT NULL,
        purpose TEXT NOT NULL,
        collected_at INTEGER NOT NULL
    );
    INSERT INTO vals_appended(tenant, token, subject, field, blind_index, sealed, key_version, purpose, collected_at)
        SELECT tenant, token, subject, field, blind_index, sealed, key_version, purpose, collected_at
        FROM vals ORDER BY collected_at;
    DROP TABLE vals;
    ALTER TABLE vals_appended RENAME TO vals;
    CREATE UNIQUE INDEX vals_token ON vals(tenant, token);
    CREATE INDEX vals_subject ON vals(tenant, subject);
    CREATE INDEX vals_blind ON vals(tenant, field, blind_index) WHERE blind_index IS NOT NULL;
    CREATE INDEX vals_collected ON vals(tenant, field, collected_at);",
    ),
    (
        12,
        // Idempotency keys (hashed) and what their requests answered.
        "CREATE TABLE idempotency(
        tenant TEXT NOT NULL,
        key BLOB NOT NULL,
        fingerprint BLOB NOT NULL,
        result BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (tenant, key)
    ) WITHOUT ROWID;",
    ),
    (
        13,
        // Idempotency keys expire (the retention sweep deletes them by age).
        "CREATE INDEX idempotency_created ON idempotency(created_at);",
    ),
    (
        14,
        // A subject's version: changed by every change to its row, consents or key (to a fresh
        // random number, `apply::bump`); an act
        // commits only while the versions it decided on stand (`Change::Checked`).
        "ALTER TABLE subjects ADD COLUMN version INTEGER NOT NULL DEFAULT 0;",
    ),
    (
        15,
        // Writes to keys.db, counted on both sides (`repair`): the count and where the last
        // such write's ledger entries begin. A store made before counts one write ahead of
        // its key file, so its first open repairs as before and the ledger records it.
        // Erasures the store made outside an act (a repair at open, a restore) wait here for
        // the vault to record them.
        "CREATE TABLE key_writes(
        one INTEGER PRIMARY KEY CHECK (one = 1),
        count INTEGER NOT NULL,
        ledger_start INTEGER NOT NULL
    );
    INSERT INTO key_writes(one, count, ledger_start) VALUES (1, 1, 0);
    CREATE TABLE unrecorded_erasures(
        tenant TEXT NOT NULL,
        subject TEXT NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (tenant, subject)
    ) WITHOUT ROWID;",
    ),
    (
        16,
        // The generation of the key a subject's values are sealed under: a re-key counts it up
        // here and in keys.db (`keyfile::stage_new_keys`, `repair`); and where the last write
        // to keys.db's ledger entries end (unknown for a store from before).
        "ALTER TABLE subjects ADD COLUMN key_gen INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE key_writes ADD COLUMN ledger_end INTEGER;",
    ),
    (
        17,
        // A restore waiting for the vault to record it (`Store::unrecorded_restore`): written
        // into the restored data file before it takes the cell's name.
        "CREATE TABLE restore_unrecorded(one INTEGER PRIMARY KEY CHECK (one = 1));",
    ),
];

/// Embedded migrations of `keys.db` (its own `user_version`): the key store, kept apart from
/// the data so a lost or restored data file does not lose or bring back keys.
pub(super) const KEYS_MIGRATIONS: &[(u32, &str)] = &[
    (
        1,
        "CREATE TABLE IF NOT EXISTS keys.subject_keys(
        tenant TEXT NOT NULL, subject TEXT NOT NULL, wrapped BLOB NOT NULL, PRIMARY KEY (tenant, subject)
    ) WITHOUT ROWID;",
    ),
    (
        2,
        // Epochs: every wrapped key names the epoch it is wrapped under (0: directly by the
        // KEK, as before epochs); tenants' keys move here from vault.db.
        "ALTER TABLE keys.subject_keys ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX keys.subject_keys_epoch ON subject_keys(epoch);
    CREATE TABLE keys.tenant_keys(
        tenant TEXT PRIMARY KEY, wrapped BLOB NOT NULL, epoch INTEGER NOT NULL
    );
    INSERT INTO keys.tenant_keys(tenant, wrapped, epoch) SELECT id, wrapped_key, 0 FROM main.tenants;
    CREATE TABLE keys.key_epochs(
        epoch INTEGER PRIMARY KEY,
        created_at INTEGER NOT NULL,
        retired_at INTEGER
    );",
    ),
    (
        3,
        // The count of writes to keys.db, as `vault.db`'s `key_writes` (`repair`).
        "CREATE TABLE keys.key_writes(
        one INTEGER PRIMARY KEY CHECK (one = 1),
        count INTEGER NOT NULL
    );
    INSERT INTO keys.key_writes(one, count) VALUES (1, 0);",
    ),
    (
        4,
        // A subject key's generation (as vault.db's `subjects.key_gen`), and a re-key's new key
        // staged before the values sealed under it commit (`keyfile::stage_new_keys`).
        "ALTER TABLE keys.subject_keys ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE keys.subject_keys ADD COLUMN next_wrapped BLOB;
    ALTER TABLE keys.subject_keys ADD COLUMN next_epoch INTEGER;
    ALTER TABLE keys.subject_keys ADD COLUMN next_gen INTEGER;",
    ),
];

pub(crate) fn open_conn(dir: &Path, write: bool) -> Result<Connection, StoreError> {
    open_files(&dir.join("vault.db"), &dir.join("keys.db"), write)
}

/// [`open_conn`] on a data file and a key file of any name (a restore works on its copy of the
/// backup's data file before it takes the cell's name).
pub(crate) fn open_files(vault: &Path, keys: &Path, write: bool) -> Result<Connection, StoreError> {
    // Readers open read-write without create: a WAL reader needs the shared-memory file.
    let flags = if write {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(vault, flags).map_err(db_err)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(db_err)?;
    let keys = keys
        .to_str()
        .ok_or_else(|| StoreError::Backend("data directory path is not UTF-8".into()))?;
    if write {
        // secure_delete: deleted content is overwritten with zeros in the file, not left in
        // free pages or free space inside pages (erased keys, rectified values).
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
             PRAGMA secure_delete = ON; PRAGMA cache_size = -32768;",
        )
        .map_err(db_err)?;
        conn.execute("ATTACH DATABASE ?1 AS keys", params![keys])
            .map_err(db_err)?;
        conn.execute_batch(
            "PRAGMA keys.journal_mode = WAL; PRAGMA keys.synchronous = FULL;
             PRAGMA keys.secure_delete = ON;",
        )
        .map_err(db_err)?;
    } else {
        conn.execute("ATTACH DATABASE ?1 AS keys", params![keys])
            .map_err(db_err)?;
        conn.execute_batch("PRAGMA query_only = ON;")
            .map_err(db_err)?;
    }
    Ok(conn)
}

/// Refuses a file whose schema is newer than this build's: a newer release wrote it, and this
/// one would misread or overwrite what that one writes. Nothing is changed.
fn not_newer(file: &str, current: u32, migrations: &[(u32, &str)]) -> Result<(), StoreError> {
    let known = migrations.last().map_or(0, |(v, _)| *v);
    if current > known {
        return Err(StoreError::Backend(format!(
            "{file} has schema version {current}, newer than this build of Custodian knows \
             ({known}): a newer release wrote it; run that release or a newer one (an older one \
             would misread what it writes)"
        )));
    }
    Ok(())
}

/// Refuses a cell's `keys.db` at `path` (read only, nothing changed) whose schema is newer
/// than this build's.
pub(crate) fn keys_schema_known(path: &std::path::Path) -> Result<(), StoreError> {
    let c = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(db_err)?;
    let version: u32 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(db_err)?;
    not_newer("the cell's keys.db", version, KEYS_MIGRATIONS)
}

/// Refuses, before anything is read or copied, a connection's `vault.db` (and its attached
/// `keys.db`, if any) whose schema is newer than this build's; `what` names them in the error
/// (`the backup's `).
pub(crate) fn schema_known(conn: &Connection, what: &str) -> Result<(), StoreError> {
    let version = |db: &str| -> Result<u32, StoreError> {
        conn.query_row(&format!("PRAGMA {db}.user_version"), [], |r| r.get(0))
            .map_err(db_err)
    };
    not_newer(&format!("{what}vault.db"), version("main")?, MIGRATIONS)?;
    let keys_attached: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM pragma_database_list WHERE name = 'keys')",
            [],
            |r| r.get(0),
        )
        .map_err(db_err)?;
    if keys_attached {
        not_newer(&format!("{what}keys.db"), version("keys")?, KEYS_MIGRATIONS)?;
    }
    Ok(())
}

pub(crate) fn migrate(conn: &Connection) -> Result<(), StoreError> {
    let current: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(db_err)?;
    // Both files are checked before either is changed.
    schema_known(conn, "")?;
    for (v, sql) in MIGRATIONS {
        if *v > current {
            conn.execute_batch(&format!("BEGIN IMMEDIATE; {sql};"))
                .map_err(db_err)?;
            if *v == 7 {
                index_subjects(conn)?;
            }
            conn.execute_batch(&format!("PRAGMA user_version = {v}; COMMIT;"))
                .map_err(db_err)?;
        }
    }
    let current: u32 = conn
        .query_row("PRAGMA keys.user_version", [], |r| r.get(0))
        .map_err(db_err)?;
    for (v, sql) in KEYS_MIGRATIONS {
        if *v > current {
            // Writes keys.db only (it reads vault.db), so it commits or not as a whole.
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE; {sql}; PRAGMA keys.user_version = {v}; COMMIT;"
            ))
            .map_err(db_err)?;
        }
    }
    // Tenants' keys now live in keys.db: clear the copies vault.db kept before, once keys.db
    // has them (a separate commit, after keys.db's).
    conn.execute(
        "UPDATE main.tenants SET wrapped_key = X'' WHERE length(wrapped_key) > 0
           AND id IN (SELECT tenant FROM keys.tenant_keys)",
        [],
    )
    .map_err(db_err)?;
    Ok(())
}

/// Refuses a `vault.db` that holds subjects beside a key file never set up (a `keys.db` created
/// empty at this open because it was missing: a volume not mounted, one file copied without the
/// other). Called before the migrations, which would set the empty file up, and the repair
/// (`repair::recover`), which would then find every subject without its key.
pub(crate) fn keys_present(conn: &Connection, dir: &std::path::Path) -> Result<(), StoreError> {
    let table = |db: &str, name: &str| -> Result<bool, StoreError> {
        conn.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM {db}.sqlite_master WHERE type = 'table' AND name = ?1)"),
            [name],
            |r| r.get(0),
        )
        .map_err(db_err)
    };
    if table("keys", "subject_keys")? || !table("main", "subjects")? {
        return Ok(());
    }
    let subjects: i64 = conn
        .query_row("SELECT count(*) FROM main.subjects", [], |r| r.get(0))
        .map_err(db_err)?;
    if subjects == 0 {
        return Ok(());
    }
    Err(StoreError::Backend(format!(
        "`{}` holds a vault.db with {subjects} subject(s) but no keys.db (its keys are not here: \
         a volume not mounted, or one file copied without the other); refusing to open, which \
         would take every subject for erased — put the cell's keys.db beside it, or restore a \
         backup with `custodian restore`",
        dir.display()
    )))
}

/// Rebuilds the subject index from the ledger's entries (a restored backup's index is not
/// trusted: only its entries are checked against the signed checkpoint).
pub(crate) fn reindex_subjects(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch("BEGIN IMMEDIATE; DELETE FROM ledger_subjects;")
        .map_err(db_err)?;
    if let Err(e) = index_subjects(conn) {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(e);
    }
    conn.execute_batch("COMMIT").map_err(db_err)
}

/// Indexes the entries already in the ledger by the subject they name (migration 7).
fn index_subjects(conn: &Connection) -> Result<(), StoreError> {
    let mut read = conn
        .prepare("SELECT idx, entry FROM ledger_entries")
        .map_err(db_err)?;
    let mut ins = conn
        .prepare("INSERT INTO ledger_subjects(tenant, subject, idx) VALUES (?1, ?2, ?3)")
        .map_err(db_err)?;
    let mut rows = read.query([]).map_err(db_err)?;
    while let Some(r) = rows.next().map_err(db_err)? {
        let (idx, bytes): (i64, Vec<u8>) = (r.get(0).map_err(db_err)?, r.get(1).map_err(db_err)?);
        let e = Entry::decode(&bytes)
            .map_err(|e| StoreError::Backend(format!("ledger entry {idx}: {e}")))?;
        if let (Some(t), Some(s)) = (&e.tenant, &e.subject) {
            ins.execute(params![t.as_str(), s.as_str(), idx])
                .map_err(db_err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Migration 4 collapses a purpose's consent rows into one that stands if any stood, with
    /// the strongest flags of the standing rows; a purpose whose rows were all withdrawn stays
    /// withdrawn.
    #[test]
    fn consents_collapse_keeping_what_stands() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("ATTACH DATABASE ':memory:' AS keys")
            .unwrap();
        for (_, sql) in MIGRATIONS.iter().filter(|(v, _)| *v < 4) {
            conn.execute_batch(sql).unwrap();
        }
        let row = |purpose: &str,
                   granted: i64,
                   withdrawn: Option<i64>,
                   separate: bool,
                   guardian: bool| {
            conn.execute(
                "INSERT INTO consents(tenant, subject, purpose, notice_version, granted_at, withdrawn_at, separate, by_guardian)
                 VALUES ('t', 's', ?1, 'n', ?2, ?3, ?4, ?5)",
                rusqlite::params![purpose, granted, withdrawn, separate, guardian],
            )
            .unwrap();
        };
        // Separate consent, then a general renewal: both stand.
        row("safety", 1, None, true, false);
        row("safety", 2, None, false, false);
        // A guardian's consent withdrawn, then a general one standing.
        row("ads", 1, Some(5), false, true);
        row("ads", 6, None, false, false);
        // Everything withdrawn.
        row("pool", 1, Some(3), true, false);
        row("pool", 4, Some(7), false, false);
        let (_, m4) = MIGRATIONS.iter().find(|(v, _)| *v == 4).unwrap();
        conn.execute_batch(m4).unwrap();
        let got: Vec<(String, i64, Option<i64>, bool, bool)> = conn
            .prepare("SELECT purpose, granted_at, withdrawn_at, separate, by_guardian FROM consents ORDER BY purpose")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            got,
            vec![
                ("ads".to_string(), 6, None, false, false),
                ("pool".to_string(), 4, Some(7), false, false),
                ("safety".to_string(), 2, None, true, false),
            ]
        );
    }
}
