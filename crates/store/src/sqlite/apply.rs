//! A job's change as SQL statements on the writer's connection: `apply`, and the checks
//! that refuse a change decided on what has changed since (`StoreError::Stale`).

use super::*;

/// Runs a statement through the connection's statement cache (the writer's common statements
/// are parsed once, not once a job).
fn cached(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(p)
}

/// Applies a job's change; `next_index` is the ledger index its first entry will take.
pub(super) fn apply(conn: &Connection, change: &Change, next_index: u64) -> Result<(), StoreError> {
    match change {
        Change::Record => Ok(()),
        Change::StoreActsRecorded { restore, erasures } => {
            if *restore && cached(conn, "DELETE FROM restore_unrecorded", []).map_err(db_err)? != 1
            {
                return Err(StoreError::Stale);
            }
            for (tenant, subject) in erasures {
                cached(conn, "DELETE FROM unrecorded_erasures WHERE tenant = ?1 AND subject = ?2", params![tenant.as_str(), subject.as_str()])
                    .map_err(db_err)?;
            }
            Ok(())
        }
        Change::ExpireIdempotency { before } => conn
            .prepare_cached("DELETE FROM idempotency WHERE created_at < ?1")
            .and_then(|mut st| st.execute(params![before]))
            .map(|_| ())
            .map_err(db_err),
        Change::Checked { subjects, change } => {
            for (tenant, subject, version) in subjects {
                check_version(conn, tenant, subject, *version)?;
            }
            apply(conn, change, next_index)
        }
        Change::Idempotent { record, change } => {
            let r = conn
                .prepare_cached("INSERT INTO idempotency(tenant, key, fingerprint, result, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
                .and_then(|mut st| st.execute(params![record.tenant.as_str(), record.key, record.fingerprint, record.result, record.created_at]));
            match r {
                Ok(_) => apply(conn, change, next_index),
                Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => Err(StoreError::KeyUsed),
                Err(e) => Err(db_err(e)),
            }
        }
        Change::PutTenant(t) => {
            conn.execute(
                "INSERT INTO tenants(id, manifest, wrapped_key) VALUES (?1, ?2, X'')
                 ON CONFLICT(id) DO UPDATE SET manifest = excluded.manifest",
                params![t.id.as_str(), t.manifest],
            )
            .map_err(db_err)?;
            // A tenant's key is made once; a new manifest keeps it.
            conn.execute(
                "INSERT INTO keys.tenant_keys(tenant, wrapped, epoch) VALUES (?1, ?2, ?3)
                 ON CONFLICT(tenant) DO NOTHING",
                params![t.id.as_str(), t.wrapped_key.blob, t.wrapped_key.epoch],
            )
            .map(|_| ())
            .map_err(db_err)
        }
        Change::Register { subject, wrapped_key } => {
            cached(conn,
                "INSERT INTO keys.subject_keys(tenant, subject, wrapped, epoch) VALUES (?1, ?2, ?3, ?4)",
                params![subject.tenant.as_str(), subject.id.as_str(), wrapped_key.blob, wrapped_key.epoch],
            )
            .map_err(db_err)?;
            cached(conn,
                "INSERT INTO subjects(tenant, id, jurisdiction, minor, registered_at, erased, role) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)",
                params![subject.tenant.as_str(), subject.id.as_str(), subject.jurisdiction.as_str(), subject.minor, subject.registered_at, subject.role.as_ref().map(SubjectRole::as_str)],
            )
            .map(|_| ())
            .map_err(db_err)
        }
        Change::Consent { tenant, subject, consent } => bump(conn, tenant, subject).and_then(|()| cached(conn,
                "INSERT INTO consents(tenant, subject, purpose, notice_version, granted_at, withdrawn_at, separate, by_guardian)
                 VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7)
                 ON CONFLICT(tenant, subject, purpose) DO UPDATE SET notice_version = excluded.notice_version,
                   granted_at = excluded.granted_at, withdrawn_at = NULL, separate = excluded.separate, by_guardian = excluded.by_guardian",
                params![tenant.as_str(), subject.as_str(), consent.purpose.as_str(), consent.notice_version, consent.granted_at, consent.separate, consent.by_guardian],
            )
            .map(|_| ())
            .map_err(db_err)),
        Change::Withdraw { tenant, subject, purpose, at } => bump(conn, tenant, subject).and_then(|()| cached(conn,
                "UPDATE consents SET withdrawn_at = ?4 WHERE tenant = ?1 AND subject = ?2 AND purpose = ?3 AND withdrawn_at IS NULL",
                params![tenant.as_str(), subject.as_str(), purpose.as_str(), at],
            )
            .map(|_| ())
            .map_err(db_err)),
        Change::Collect { values, key } => {
            if let (Some(key), Some(v)) = (key, values.first()) {
                check_key(conn, &v.tenant, &v.subject, key)?;
            }
            let mut st = conn
                .prepare_cached(
                    "INSERT INTO vals(tenant, token, subject, field, blind_index, sealed, key_version, purpose, collected_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT(tenant, token) DO UPDATE SET blind_index = excluded.blind_index, sealed = excluded.sealed,
                       key_version = excluded.key_version, purpose = excluded.purpose, collected_at = excluded.collected_at
                     WHERE substr(vals.token, 1, 4) = 'det_' AND vals.subject = excluded.subject AND vals.field = excluded.field",
                )
                .map_err(db_err)?;
            for v in values {
                let r = st.execute(params![
                    v.tenant.as_str(),
                    v.token.as_str(),
                    v.subject.as_str(),
                    v.field.as_str(),
                    v.blind_index,
                    v.sealed,
                    v.key_version,
                    v.purpose.as_str(),
                    v.collected_at
                ]);
                match r {
                    // A deterministic token collected again for its subject replaced its
                    // record; any other taken token (a random draw) changed nothing.
                    Ok(1) => {}
                    Ok(_) => return Err(StoreError::TokenConflict),
                    Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                        return Err(StoreError::TokenConflict);
                    }
                    Err(e) => return Err(db_err(e)),
                }
            }
            Ok(())
        }
        Change::PutApiKey(k) => conn
            .execute(
                "INSERT INTO api_keys(id, hash, role, tenant, service, created_at, revoked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL)",
                params![k.id, k.hash.to_vec(), k.role.as_str(), k.tenant.as_ref().map(|t| t.as_str().to_string()), k.service.as_ref().map(|s| s.as_str().to_string()), k.created_at],
            )
            .map(|_| ())
            .map_err(db_err),
        Change::RevokeApiKey { id, at } => {
            let n = conn
                .execute("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL", params![id, at])
                .map_err(db_err)?;
            if n == 0 {
                return Err(StoreError::NotFound("API key".into()));
            }
            Ok(())
        }
        Change::PutBasis(b) => {
            let r = crate::transfer_rows::to_raw(b);
            conn.execute(
                "INSERT OR REPLACE INTO transfer_bases(id, tenant, recipient, kind, reference, valid_from, expires_at, fields, pia_reference, pia_completed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9],
            )
            .map_err(db_err)?;
            Ok(())
        }
        Change::Transfer {
            organisation,
            year,
            rows,
        } => {
            let mut st = conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO transferred(org, year, tenant, subject, sensitive) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(db_err)?;
            for (t, s, sensitive) in rows {
                st.execute(params![
                    organisation.as_str(),
                    year,
                    t.as_str(),
                    s.as_str(),
                    sensitive
                ])
                .map_err(db_err)?;
            }
            Ok(())
        }
        Change::Receive(r) => {
            let custodian_core::store::Arrived { subject, wrapped_key, values, origin, index, leaf } = r.as_ref();
            let n = conn
                .execute(
                    "INSERT OR IGNORE INTO received(leaf, origin, idx, tenant, subject, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![leaf, origin, i64::try_from(*index).map_err(|_| StoreError::Backend("ledger index out of range".into()))?, subject.tenant.as_str(), subject.id.as_str(), subject.registered_at],
                )
                .map_err(db_err)?;
            if n == 0 {
                // Received meanwhile: the act is decided again and finds it.
                return Err(StoreError::Stale);
            }
            let register = Change::Register { subject: subject.clone(), wrapped_key: wrapped_key.clone() };
            apply(conn, &register, next_index)?;
            apply(conn, &Change::Collect { values: values.clone(), key: None }, next_index)
        }
        Change::Onboard(o) => {
            let custodian_core::store::Onboard { subject, wrapped_key, consents, values } = o.as_ref();
            let register = Change::Register { subject: subject.clone(), wrapped_key: wrapped_key.clone() };
            apply(conn, &register, next_index)?;
            for consent in consents {
                let c = Change::Consent { tenant: subject.tenant.clone(), subject: subject.id.clone(), consent: consent.clone() };
                apply(conn, &c, next_index)?;
            }
            // The key was stored by this change: nothing to check it against.
            match values.is_empty() {
                true => Ok(()),
                false => apply(conn, &Change::Collect { values: values.clone(), key: None }, next_index),
            }
        }
        Change::PinKeys { keys, at } => {
            let pinned: i64 = conn
                .query_row("SELECT count(*) FROM pinned_keys", [], |r| r.get(0))
                .map_err(db_err)?;
            if pinned > 0 {
                return Err(StoreError::Backend("regulator keys are already pinned".into()));
            }
            // The job's entries are one `regulator_key_pinned` entry per key, in this order.
            for (i, k) in keys.iter().enumerate() {
                let idx = i64::try_from(next_index + i as u64)
                    .map_err(|_| StoreError::Backend("ledger index out of range".into()))?;
                conn.execute(
                    "INSERT INTO pinned_keys(vkey, pinned_at, ledger_idx) VALUES (?1, ?2, ?3)",
                    params![k, at, idx],
                )
                .map_err(db_err)?;
            }
            Ok(())
        }
        Change::PutOrder { id, nonce, note } => match conn.execute("INSERT INTO orders(id, nonce, note) VALUES (?1, ?2, ?3)", params![id, nonce, note]) {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                Err(StoreError::Backend(format!("order `{id}` or its nonce already stored")))
            }
            Err(e) => Err(db_err(e)),
        },
        Change::AssignRole { tenant, subject, role } => {
            let n = conn
                .execute(
                    "UPDATE subjects SET role = ?3, version = (random() & 9223372036854775807) WHERE tenant = ?1 AND id = ?2 AND role IS NULL AND erased = 0",
                    params![tenant.as_str(), subject.as_str(), role.as_str()],
                )
                .map_err(db_err)?;
            if n == 0 {
                return Err(StoreError::NotFound("subject without a role".into()));
            }
            Ok(())
        }
        Change::BeginEpoch { epoch, at } => match conn.execute("INSERT INTO keys.key_epochs(epoch, created_at) VALUES (?1, ?2)", params![epoch, at]) {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                Err(StoreError::Backend(format!("epoch {epoch} was already begun")))
            }
            Err(e) => Err(db_err(e)),
        },
        Change::Rewrap(keys) => {
            let mut subj = conn
                .prepare_cached("UPDATE keys.subject_keys SET wrapped = ?3, epoch = ?4 WHERE tenant = ?1 AND subject = ?2 AND epoch = ?5")
                .map_err(db_err)?;
            for k in keys {
                match &k.subject {
                    Some(s) => subj.execute(params![k.tenant.as_str(), s.as_str(), k.key.blob, k.key.epoch, k.from]),
                    None => conn.execute(
                        "UPDATE keys.tenant_keys SET wrapped = ?2, epoch = ?3 WHERE tenant = ?1 AND epoch = ?4",
                        params![k.tenant.as_str(), k.key.blob, k.key.epoch, k.from],
                    ),
                }
                .map_err(db_err)?;
            }
            Ok(())
        }
        Change::RetireEpoch { epoch, at } => {
            // An erased subject's key still here (its deletion after the erasure failed or was
            // cut) goes with the epoch, never re-wrapped past it.
            conn.execute(
                "DELETE FROM keys.subject_keys WHERE epoch = ?1 AND EXISTS
                   (SELECT 1 FROM subjects s WHERE s.tenant = keys.subject_keys.tenant AND s.id = keys.subject_keys.subject AND s.erased)",
                params![epoch],
            )
            .map_err(db_err)?;
            let left: i64 = conn
                .query_row(
                    "SELECT (SELECT count(*) FROM keys.subject_keys WHERE epoch = ?1) + (SELECT count(*) FROM keys.tenant_keys WHERE epoch = ?1)",
                    params![epoch],
                    |r| r.get(0),
                )
                .map_err(db_err)?;
            if left > 0 {
                return Err(StoreError::Backend(format!("{left} key(s) are still wrapped under epoch {epoch}")));
            }
            let n = conn
                .execute("UPDATE keys.key_epochs SET retired_at = ?2 WHERE epoch = ?1 AND retired_at IS NULL", params![epoch, at])
                .map_err(db_err)?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("epoch {epoch} in force")));
            }
            Ok(())
        }
        Change::Rekey { tenant, subject, old_key, new_key, values, dropped } => {
            check_key(conn, tenant, subject, old_key)?;
            // The key staged for this re-key before the batch (`keyfile::stage_new_keys`) must
            // still be the staged one: another re-key of the subject in the same batch staged
            // over it, and a crash after this commit would make that one the key.
            let staged: Option<Vec<u8>> = conn
                .prepare_cached("SELECT next_wrapped FROM keys.subject_keys WHERE tenant = ?1 AND subject = ?2")
                .and_then(|mut st| st.query_row(params![tenant.as_str(), subject.as_str()], |r| r.get(0)))
                .map_err(db_err)?;
            if staged.as_deref() != Some(new_key.blob.as_slice()) {
                return Err(StoreError::Stale);
            }
            bump(conn, tenant, subject)?;
            // The next generation on both sides; the staged key is now the key.
            conn.execute(
                "UPDATE keys.subject_keys SET wrapped = ?3, epoch = ?4, gen = gen + 1,
                   next_wrapped = NULL, next_epoch = NULL, next_gen = NULL
                 WHERE tenant = ?1 AND subject = ?2",
                params![tenant.as_str(), subject.as_str(), new_key.blob, new_key.epoch],
            )
            .map_err(db_err)?;
            cached(conn, "UPDATE subjects SET key_gen = key_gen + 1 WHERE tenant = ?1 AND id = ?2", params![tenant.as_str(), subject.as_str()])
                .map_err(db_err)?;
            let mut up = conn
                .prepare_cached("UPDATE vals SET sealed = ?4, key_version = ?5, blind_index = ?6 WHERE tenant = ?1 AND token = ?2 AND subject = ?3 AND collected_at = ?7")
                .map_err(db_err)?;
            for v in values {
                if up.execute(params![tenant.as_str(), v.token.as_str(), subject.as_str(), v.sealed, v.key_version, v.blind_index, v.collected_at]).map_err(db_err)? == 0 {
                    return Err(StoreError::Stale);
                }
            }
            // A value collected again since the act read it is not destroyed: the act runs again.
            let mut del = conn
                .prepare_cached("DELETE FROM vals WHERE tenant = ?1 AND token = ?2 AND subject = ?3 AND collected_at = ?4")
                .map_err(db_err)?;
            for (t, at) in dropped {
                if del.execute(params![tenant.as_str(), t.as_str(), subject.as_str(), at]).map_err(db_err)? == 0 {
                    return Err(StoreError::Stale);
                }
            }
            // Every value of the subject must now be under the new key.
            let left: i64 = conn
                .query_row("SELECT count(*) FROM vals INDEXED BY vals_subject WHERE tenant = ?1 AND subject = ?2", params![tenant.as_str(), subject.as_str()], |r| r.get(0))
                .map_err(db_err)?;
            if usize::try_from(left).unwrap_or(usize::MAX) != values.len() {
                return Err(StoreError::Stale);
            }
            Ok(())
        }
        Change::PutRequest(r) => conn
            .execute(
                "INSERT INTO requests(id, tenant, subject, kind, received_at, deadline, status, refusal, closed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![r.id, r.tenant.as_str(), r.subject.as_str(), r.kind.as_str(), r.received_at, r.deadline, r.status.as_str(), refusal(&r.status), r.closed_at],
            )
            .map(|_| ())
            .map_err(db_err),
        Change::CloseRequest { tenant, id, status, at } => {
            let n = conn
                .execute(
                    "UPDATE requests SET status = ?3, refusal = ?4, closed_at = ?5 WHERE tenant = ?1 AND id = ?2 AND status = 'open'",
                    params![tenant.as_str(), id, status.as_str(), refusal(status), at],
                )
                .map_err(db_err)?;
            if n == 0 {
                return Err(StoreError::NotFound("open request".into()));
            }
            Ok(())
        }
        Change::SetHold { tenant, subject, hold } => {
            let n = conn
                .execute(
                    "UPDATE subjects SET hold_reason = ?3, hold_since = ?4, version = (random() & 9223372036854775807) WHERE tenant = ?1 AND id = ?2 AND erased = 0",
                    params![tenant.as_str(), subject.as_str(), hold.as_ref().map(|h| h.reason.as_str()), hold.as_ref().map(|h| h.since)],
                )
                .map_err(db_err)?;
            if n == 0 {
                return Err(StoreError::NotFound("live subject".into()));
            }
            Ok(())
        }
        Change::Erase { tenant, subject } => {
            // The first of two commits: the subject marked erased and its values deleted here,
            // with the ledger entry; its key is deleted after this commit (`finish_keys`).
            let m = conn
                .execute("UPDATE subjects SET erased = 1, version = (random() & 9223372036854775807) WHERE tenant = ?1 AND id = ?2", params![tenant.as_str(), subject.as_str()])
                .map_err(db_err)?;
            if m == 0 {
                return Err(StoreError::NotFound("subject".into()));
            }
            conn.execute("DELETE FROM vals INDEXED BY vals_subject WHERE tenant = ?1 AND subject = ?2", params![tenant.as_str(), subject.as_str()])
                .map(|_| ())
                .map_err(db_err)
        }
    }
}

/// A refused request's label.
fn refusal(s: &RequestStatus) -> Option<&str> {
    match s {
        RequestStatus::Refused(r) => Some(r.as_str()),
        _ => None,
    }
}

/// The subject's stored key is still `key` (what the act read); otherwise the act is stale.
fn check_key(
    conn: &Connection,
    tenant: &TenantId,
    subject: &SubjectId,
    key: &[u8],
) -> Result<(), StoreError> {
    let current: Option<Vec<u8>> = conn
        .prepare_cached("SELECT wrapped FROM keys.subject_keys WHERE tenant = ?1 AND subject = ?2")
        .and_then(|mut s| {
            s.query_row(params![tenant.as_str(), subject.as_str()], |r| r.get(0))
                .optional()
        })
        .map_err(db_err)?;
    if current.as_deref() == Some(key) {
        Ok(())
    } else {
        Err(StoreError::Stale)
    }
}

/// The subject is still at `version` (what the act decided on); otherwise the act is stale.
/// A subject not found (its registration not committed, or another tenant's) is stale too.
fn check_version(
    conn: &Connection,
    tenant: &TenantId,
    subject: &SubjectId,
    version: u64,
) -> Result<(), StoreError> {
    let current: Option<i64> = conn
        .prepare_cached("SELECT version FROM subjects WHERE tenant = ?1 AND id = ?2")
        .and_then(|mut s| {
            s.query_row(params![tenant.as_str(), subject.as_str()], |r| r.get(0))
                .optional()
        })
        .map_err(db_err)?;
    match current {
        Some(v) if u64::try_from(v).ok() == Some(version) => Ok(()),
        _ => Err(StoreError::Stale),
    }
}

/// Gives the subject a fresh version, a random 63-bit number (never one it had, even after a
/// restore or a lost commit): acts decided on what it was do not commit.
fn bump(conn: &Connection, tenant: &TenantId, subject: &SubjectId) -> Result<(), StoreError> {
    cached(
        conn,
        "UPDATE subjects SET version = (random() & 9223372036854775807) WHERE tenant = ?1 AND id = ?2",
        params![tenant.as_str(), subject.as_str()],
    )
    .map(|_| ())
    .map_err(db_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A re-key commits only with the key it staged still the staged one: another re-key of
    /// the subject staged over it in the same batch (and a crash after the commit would have
    /// made that other key the key, with the values sealed under this one).
    #[test]
    fn a_rekey_whose_staged_key_was_replaced_is_stale() {
        let d = tempfile::tempdir().unwrap();
        let conn = super::super::open_conn(d.path(), true).unwrap();
        super::super::migrate(&conn).unwrap();
        conn.execute_batch(
            "INSERT INTO subjects(tenant, id, jurisdiction, minor, registered_at, erased)
               VALUES ('t', 's', 'CN', 0, 1, 0);
             INSERT INTO keys.subject_keys(tenant, subject, wrapped, epoch, next_wrapped, next_epoch, next_gen)
               VALUES ('t', 's', X'00', 0, X'02', 0, 1);",
        )
        .unwrap();
        let rekey = |new: u8| Change::Rekey {
            tenant: TenantId::parse("t").unwrap(),
            subject: SubjectId::parse("s").unwrap(),
            old_key: vec![0],
            new_key: WrappedKey {
                epoch: 0,
                blob: vec![new],
            },
            values: vec![],
            dropped: vec![],
        };
        assert!(matches!(apply(&conn, &rekey(1), 0), Err(StoreError::Stale)));
        apply(&conn, &rekey(2), 0).unwrap();
        let (key, generation, next, key_gen): (Vec<u8>, i64, Option<Vec<u8>>, i64) = conn
            .query_row(
                "SELECT k.wrapped, k.gen, k.next_wrapped, s.key_gen FROM keys.subject_keys k
                 JOIN subjects s ON s.tenant = k.tenant AND s.id = k.subject",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!((key, generation, next, key_gen), (vec![2], 1, None, 1));
    }
}
