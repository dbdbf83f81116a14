//! The schema: embedded, versioned migrations, applied once under an advisory lock.

use super::*;

/// Embedded migrations: (version, SQL).
pub(super) const MIGRATIONS: &[(i32, &str)] = &[
    (
        1,
        "CREATE TABLE tenants(
            id TEXT PRIMARY KEY,
            manifest TEXT NOT NULL,
            wrapped_key BYTEA NOT NULL
        );
        CREATE TABLE subjects(
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            minor BOOLEAN NOT NULL,
            registered_at BIGINT NOT NULL,
            erased BOOLEAN NOT NULL DEFAULT FALSE,
            PRIMARY KEY (tenant, id)
        );
        CREATE TABLE consents(
            seq BIGSERIAL PRIMARY KEY,
            tenant TEXT NOT NULL,
            subject TEXT NOT NULL,
            purpose TEXT NOT NULL,
            notice_version TEXT NOT NULL,
            granted_at BIGINT NOT NULL,
            withdrawn_at BIGINT,
            separate BOOLEAN NOT NULL,
            by_guardian BOOLEAN NOT NULL
        );
        CREATE INDEX consents_subject ON consents(tenant, subject);
        CREATE TABLE vals(
            tenant TEXT NOT NULL,
            token TEXT NOT NULL,
            subject TEXT NOT NULL,
            field TEXT NOT NULL,
            blind_index TEXT,
            sealed BYTEA NOT NULL,
            key_version BIGINT NOT NULL,
            purpose TEXT NOT NULL,
            collected_at BIGINT NOT NULL,
            PRIMARY KEY (tenant, token)
        );
        CREATE INDEX vals_subject ON vals(tenant, subject);
        CREATE INDEX vals_blind ON vals(tenant, field, blind_index) WHERE blind_index IS NOT NULL;
        CREATE TABLE ledger_entries(idx BIGINT PRIMARY KEY, entry BYTEA NOT NULL);
        CREATE TABLE ledger_nodes(
            level INTEGER NOT NULL,
            idx BIGINT NOT NULL,
            hash BYTEA NOT NULL,
            PRIMARY KEY (level, idx)
        );
        CREATE TABLE ledger_head(
            id INTEGER PRIMARY KEY CHECK (id = 1),
            size BIGINT NOT NULL,
            root BYTEA NOT NULL
        );
        CREATE TABLE api_keys(
            id TEXT PRIMARY KEY,
            hash BYTEA NOT NULL UNIQUE,
            role TEXT NOT NULL,
            tenant TEXT,
            service TEXT,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT
        );
        CREATE TABLE orders(
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            nonce TEXT NOT NULL UNIQUE,
            note TEXT NOT NULL
        );
        CREATE SCHEMA custodian_keys;
        CREATE TABLE custodian_keys.subject_keys(
            tenant TEXT NOT NULL,
            subject TEXT NOT NULL,
            wrapped BYTEA NOT NULL,
            PRIMARY KEY (tenant, subject)
        );",
    ),
    (
        2,
        "ALTER TABLE ledger_head ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;",
    ),
    (
        3,
        // Subject roles; one consent row per subject and purpose (a new grant replaces the
        // old one; the ledger keeps the history): keep each purpose's latest row.
        // Where any of a purpose's rows still stands, the kept (latest) row stands too, with
        // the strongest flags among the standing rows — what the decisions read before.
        "ALTER TABLE subjects ADD COLUMN role TEXT;
        UPDATE consents k SET withdrawn_at = NULL, separate = agg.separate,
            by_guardian = agg.by_guardian, granted_at = agg.granted_at
        FROM (SELECT tenant, subject, purpose, bool_or(separate) AS separate,
                     bool_or(by_guardian) AS by_guardian, max(granted_at) AS granted_at
              FROM consents WHERE withdrawn_at IS NULL GROUP BY tenant, subject, purpose) agg
        WHERE k.tenant = agg.tenant AND k.subject = agg.subject AND k.purpose = agg.purpose
          AND k.seq = (SELECT max(seq) FROM consents l WHERE l.tenant = k.tenant
                       AND l.subject = k.subject AND l.purpose = k.purpose);
        DELETE FROM consents c USING consents d
            WHERE c.tenant = d.tenant AND c.subject = d.subject AND c.purpose = d.purpose
              AND c.seq < d.seq;
        DROP INDEX consents_subject;
        CREATE UNIQUE INDEX consents_subject_purpose ON consents(tenant, subject, purpose);",
    ),
    (
        4,
        // The key hierarchy's epochs; keys name the epoch they are wrapped under (0: directly
        // by the KEK, as before epochs).
        "CREATE TABLE key_epochs(
            epoch BIGINT PRIMARY KEY,
            created_at BIGINT NOT NULL,
            retired_at BIGINT
        );
        ALTER TABLE tenants ADD COLUMN key_epoch BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE custodian_keys.subject_keys ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0;
        CREATE INDEX subject_keys_epoch ON custodian_keys.subject_keys(epoch);",
    ),
    (
        5,
        // Legal holds; the retention sweeper finds a field's oldest values by index.
        "ALTER TABLE subjects ADD COLUMN hold_reason TEXT;
        ALTER TABLE subjects ADD COLUMN hold_since BIGINT;
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
            received_at BIGINT NOT NULL,
            deadline BIGINT NOT NULL,
            status TEXT NOT NULL,
            refusal TEXT,
            closed_at BIGINT
        );
        CREATE INDEX requests_tenant ON requests(tenant);",
    ),
    (
        7,
        // The ledger entries naming each subject (filled from the entries at this migration).
        "CREATE TABLE ledger_subjects(
            tenant TEXT NOT NULL,
            subject TEXT NOT NULL,
            idx BIGINT NOT NULL,
            PRIMARY KEY (tenant, subject, idx)
        );",
    ),
    (
        8,
        // The regulator keys pinned at the cell's creation.
        "CREATE TABLE pinned_keys(
            seq BIGSERIAL PRIMARY KEY,
            vkey TEXT NOT NULL UNIQUE,
            pinned_at BIGINT NOT NULL,
            ledger_idx BIGINT NOT NULL
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
            valid_from BIGINT NOT NULL,
            expires_at BIGINT,
            fields TEXT NOT NULL,
            pia_reference TEXT,
            pia_completed_at BIGINT,
            PRIMARY KEY (tenant, id)
        );
        CREATE TABLE transferred(
            org TEXT NOT NULL,
            year INTEGER NOT NULL,
            tenant TEXT NOT NULL,
            subject TEXT NOT NULL,
            sensitive BOOLEAN NOT NULL,
            PRIMARY KEY (org, year, tenant, subject, sensitive)
        );",
    ),
    (
        10,
        // Transfer entries of other cells received here, each once: keyed by the entry's leaf
        // hash (unique: each commits to its values under its own nonce).
        "CREATE TABLE received(
            leaf TEXT NOT NULL PRIMARY KEY,
            origin TEXT NOT NULL,
            idx BIGINT NOT NULL,
            tenant TEXT NOT NULL,
            subject TEXT NOT NULL,
            received_at BIGINT NOT NULL
        );",
    ),
    (
        11,
        // Idempotency keys (hashed) and what their requests answered.
        "CREATE TABLE idempotency(
            tenant TEXT NOT NULL,
            key BYTEA NOT NULL,
            fingerprint BYTEA NOT NULL,
            result BYTEA NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (tenant, key)
        );",
    ),
    (
        12,
        // Idempotency keys expire (the retention sweep deletes them by age).
        "CREATE INDEX idempotency_created ON idempotency(created_at);",
    ),
    (
        13,
        // One row a server process: its flusher's write, which makes each flush a commit
        // that writes the log, and so is flushed under `synchronous_commit` (see `flush`).
        // Holds no data.
        "CREATE TABLE custodian_flush(backend INTEGER PRIMARY KEY, flushes BIGINT NOT NULL);",
    ),
    (
        14,
        // A check that fails in SQL: a statement calling it aborts its transaction when what
        // an act read has changed, so the writer can send the batch's COMMIT in the same round
        // trip as its statements (a COMMIT after an error rolls back). SQLSTATE CU409 is
        // `ops::STALE_SQLSTATE`.
        "CREATE FUNCTION custodian_stale_unless(ok BOOLEAN) RETURNS BOOLEAN
         LANGUAGE plpgsql AS $$
         BEGIN
             IF ok IS NOT TRUE THEN
                 RAISE EXCEPTION 'what the act read has changed' USING ERRCODE = 'CU409';
             END IF;
             RETURN TRUE;
         END $$;",
    ),
    (
        15,
        // The server's incarnation: a token in an unlogged table, which a crash (the whole
        // server's, or one backend's, after which the server recovers in place) or a failover
        // to a standby empties, and a clean restart keeps. A flush confirms only what was
        // committed or read under the same token (`flush::incarnation`): what a crash lost
        // is never answered as done. Holds no data.
        "CREATE UNLOGGED TABLE custodian_incarnation(
             id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL);
         CREATE FUNCTION custodian_incarnation() RETURNS TEXT
         LANGUAGE plpgsql AS $$
         DECLARE t TEXT;
         BEGIN
             SELECT token INTO t FROM custodian_incarnation WHERE id = 1;
             IF t IS NULL THEN
                 INSERT INTO custodian_incarnation(id, token)
                     VALUES (1, gen_random_uuid()::text) ON CONFLICT (id) DO NOTHING;
                 SELECT token INTO t FROM custodian_incarnation WHERE id = 1;
             END IF;
             RETURN t;
         END $$;",
    ),
    (
        16,
        // A subject's version: changed by every change to its row, consents or key; an act
        // commits only while the versions it decided on stand (`Change::Checked`).
        "ALTER TABLE subjects ADD COLUMN version BIGINT NOT NULL DEFAULT 0;",
    ),
    (
        17,
        // A subject's next version: a fresh random number (59 random bits of a version 4 UUID),
        // never one the subject had before, even when a crash lost the commit that set it or a
        // restore put back an older row — so a copy of the subject kept in a process's memory
        // never matches a row it was not read from.
        "CREATE FUNCTION custodian_new_version() RETURNS BIGINT LANGUAGE sql VOLATILE AS $$
           SELECT ('x' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 16))::bit(64)::bigint
                  & 9223372036854775807
         $$;",
    ),
    (
        18,
        // A restore waiting for the vault to record it (`Store::unrecorded_restore`): written
        // in the restore's transaction, deleted by the job that records it.
        "CREATE TABLE restore_unrecorded(one INTEGER PRIMARY KEY CHECK (one = 1));",
    ),
];

/// Advisory lock key held while migrating (any fixed number unique to Custodian).
pub(super) const MIGRATION_LOCK: i64 = 0x6375_7374_6f64;

pub(super) async fn migrate(client: &mut deadpool_postgres::Client) -> Result<(), StoreError> {
    let tx = client.transaction().await.map_err(pg_err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(pg_err)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS custodian_migrations(
            version INTEGER PRIMARY KEY,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )",
    )
    .await
    .map_err(pg_err)?;
    let current: i32 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM custodian_migrations",
            &[],
        )
        .await
        .map_err(pg_err)?
        .get(0);
    // A schema a newer release migrated: this build would misread or overwrite what that one
    // writes. Refused before anything is changed (the transaction rolls back).
    let known = MIGRATIONS.last().map_or(0, |(v, _)| *v);
    if current > known {
        return Err(StoreError::Backend(format!(
            "the database has schema version {current}, newer than this build of Custodian \
             knows ({known}): a newer release has opened it; run that release or a newer one \
             (an older one would misread what it writes)"
        )));
    }
    for (v, sql) in MIGRATIONS {
        if *v > current {
            tx.batch_execute(sql).await.map_err(pg_err)?;
            if *v == 7 {
                index_subjects(&tx).await?;
            }
            tx.execute(
                "INSERT INTO custodian_migrations(version) VALUES ($1)",
                &[v],
            )
            .await
            .map_err(pg_err)?;
        }
    }
    let empty = Log::new().root();
    tx.execute(
        "INSERT INTO ledger_head(id, size, root) VALUES (1, 0, $1) ON CONFLICT (id) DO NOTHING",
        &[&empty.0.as_slice()],
    )
    .await
    .map_err(pg_err)?;
    tx.commit().await.map_err(pg_err)
}

/// Indexes the ledger's entries by the subject they name (at migration 7, and after a restore:
/// a backup's index is not trusted, only its entries are checked against the checkpoint).
pub(super) async fn index_subjects(
    tx: &deadpool_postgres::Transaction<'_>,
) -> Result<(), StoreError> {
    let rows = tx
        .query("SELECT idx, entry FROM ledger_entries", &[])
        .await
        .map_err(pg_err)?;
    for r in rows {
        let (idx, bytes): (i64, Vec<u8>) = (r.get(0), r.get(1));
        let e = Entry::decode(&bytes)
            .map_err(|e| StoreError::Backend(format!("ledger entry {idx}: {e}")))?;
        if let (Some(t), Some(s)) = (&e.tenant, &e.subject) {
            tx.execute(
                "INSERT INTO ledger_subjects(tenant, subject, idx) VALUES ($1, $2, $3)",
                &[&t.as_str(), &s.as_str(), &idx],
            )
            .await
            .map_err(pg_err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Migration 3 collapses a purpose's consent rows as SQLite's migration 4 does: the kept row
    /// stands if any stood, with the strongest flags of the standing rows (against the real
    /// server `scripts/test` starts; fails without it).
    #[test]
    fn consents_collapse_keeping_what_stands() {
        let base = std::env::var("CUSTODIAN_TEST_DATABASE_URL")
            .expect("CUSTODIAN_TEST_DATABASE_URL: run the tests with scripts/test");
        let name = format!("ctest_migration_{}", std::process::id());
        let (prefix, _) = base.rsplit_once('/').expect("a database name in the URL");
        let url = format!("{prefix}/{name}");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let got = rt.block_on(async move {
            let (admin, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(conn);
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
            admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
            let (c, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(conn);
            for (_, sql) in MIGRATIONS.iter().filter(|(v, _)| *v < 3) {
                c.batch_execute(sql).await.unwrap();
            }
            c.batch_execute(
                "INSERT INTO consents(tenant, subject, purpose, notice_version, granted_at, withdrawn_at, separate, by_guardian) VALUES
                 ('t', 's', 'safety', 'n', 1, NULL, TRUE, FALSE),
                 ('t', 's', 'safety', 'n', 2, NULL, FALSE, FALSE),
                 ('t', 's', 'ads', 'n', 1, 5, FALSE, TRUE),
                 ('t', 's', 'ads', 'n', 6, NULL, FALSE, FALSE),
                 ('t', 's', 'pool', 'n', 1, 3, TRUE, FALSE),
                 ('t', 's', 'pool', 'n', 4, 7, FALSE, FALSE)",
            )
            .await
            .unwrap();
            let (_, m3) = MIGRATIONS.iter().find(|(v, _)| *v == 3).unwrap();
            c.batch_execute(m3).await.unwrap();
            let rows = c
                .query(
                    "SELECT purpose, granted_at, withdrawn_at, separate, by_guardian FROM consents ORDER BY purpose",
                    &[],
                )
                .await
                .unwrap();
            let got: Vec<(String, i64, Option<i64>, bool, bool)> = rows
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
                .collect();
            drop(c);
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
            got
        });
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
