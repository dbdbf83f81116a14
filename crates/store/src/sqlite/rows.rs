//! Reading rows back into core's types.

use super::*;

pub(super) fn value_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawValue> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

pub(super) type RawValue = (
    String,
    String,
    String,
    String,
    Option<String>,
    Vec<u8>,
    u32,
    String,
    i64,
);

pub(super) fn to_value(v: RawValue) -> Result<ValueRecord, StoreError> {
    let bad = |e: custodian_core::ids::IdError| {
        StoreError::Backend(format!("stored row is invalid: {e}"))
    };
    Ok(ValueRecord {
        tenant: TenantId::parse(&v.0).map_err(bad)?,
        token: Token::parse(&v.1).map_err(bad)?,
        subject: SubjectId::parse(&v.2).map_err(bad)?,
        field: FieldName::parse(&v.3).map_err(bad)?,
        blind_index: v.4,
        sealed: v.5,
        key_version: v.6,
        purpose: PurposeId::parse(&v.7).map_err(bad)?,
        collected_at: v.8,
    })
}

pub(super) type RawKey = (
    String,
    Vec<u8>,
    String,
    Option<String>,
    Option<String>,
    i64,
    Option<i64>,
);

pub(super) fn key_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawKey> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

pub(super) fn to_key(k: RawKey) -> Result<ApiKeyRecord, StoreError> {
    let bad = |e: custodian_core::ids::IdError| {
        StoreError::Backend(format!("stored key is invalid: {e}"))
    };
    Ok(ApiKeyRecord {
        id: k.0,
        hash: k
            .1
            .try_into()
            .map_err(|_| StoreError::Backend("stored key hash is not 32 bytes".into()))?,
        role: Role::parse(&k.2)
            .ok_or_else(|| StoreError::Backend("stored key has an unknown role".into()))?,
        tenant: k.3.map(|t| TenantId::parse(&t)).transpose().map_err(bad)?,
        service: k
            .4
            .map(|s| ServiceName::parse(&s))
            .transpose()
            .map_err(bad)?,
        created_at: k.5,
        revoked_at: k.6,
    })
}

pub(super) const VALUE_COLS: &str =
    "tenant, token, subject, field, blind_index, sealed, key_version, purpose, collected_at";

/// The one text column of every row `sql` selects, in its order.
pub(super) fn texts(c: &Connection, sql: &str) -> Result<Vec<String>, StoreError> {
    let mut st = c.prepare_cached(sql).map_err(db_err)?;
    let rows = st
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(db_err)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(db_err)
}

/// The pinned regulator keys with their ledger indexes, in pin order.
pub(super) fn pins(c: &Connection) -> Result<Vec<(u64, String)>, StoreError> {
    let mut st = c
        .prepare_cached("SELECT ledger_idx, vkey FROM pinned_keys ORDER BY seq")
        .map_err(db_err)?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .map_err(db_err)?;
    let mut out = Vec::new();
    for r in rows {
        let (i, k) = r.map_err(db_err)?;
        out.push((u64::try_from(i).unwrap_or(u64::MAX), k));
    }
    Ok(out)
}

/// A person's requests, a tenant's or the cell's.
pub(super) fn requests(
    c: &Connection,
    tenant: Option<&TenantId>,
) -> Result<Vec<RequestRecord>, StoreError> {
    let mut st = c
        .prepare_cached(
            "SELECT id, tenant, subject, kind, received_at, deadline, status, refusal, closed_at
             FROM requests WHERE ?1 IS NULL OR tenant = ?1",
        )
        .map_err(db_err)?;
    let rows = st
        .query_map(params![tenant.map(TenantId::as_str)], |r| {
            Ok(RawRequest {
                id: r.get(0)?,
                tenant: r.get(1)?,
                subject: r.get(2)?,
                kind: r.get(3)?,
                received_at: r.get(4)?,
                deadline: r.get(5)?,
                status: r.get(6)?,
                refusal: r.get(7)?,
                closed_at: r.get(8)?,
            })
        })
        .map_err(db_err)?;
    let mut out = Vec::new();
    for r in rows {
        out.push(r.map_err(db_err)?.into_record()?);
    }
    Ok(out)
}

pub(super) fn load_log(conn: &Connection) -> Result<Log, StoreError> {
    let size: u64 = conn
        .query_row(
            "SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(db_err)?
        .try_into()
        .map_err(|_| StoreError::Backend("negative ledger size".into()))?;
    let size = TreeSize::new(size);
    let mut hashes = Vec::new();
    for id in Log::frontier_ids(size) {
        let h = node(conn, id)?.ok_or_else(|| {
            StoreError::Backend(format!("ledger node {}/{} missing", id.level, id.index))
        })?;
        hashes.push(h);
    }
    Log::from_frontier(size, &hashes).map_err(|e| StoreError::Backend(e.to_string()))
}

pub(super) fn node(conn: &Connection, id: NodeId) -> Result<Option<Hash>, StoreError> {
    let idx =
        i64::try_from(id.index).map_err(|_| StoreError::Backend("node index too large".into()))?;
    let v: Option<Vec<u8>> = conn
        .prepare_cached("SELECT hash FROM ledger_nodes WHERE level = ?1 AND idx = ?2")
        .and_then(|mut s| {
            s.query_row(params![i64::from(id.level), idx], |r| r.get(0))
                .optional()
        })
        .map_err(db_err)?;
    v.map(|b| {
        <[u8; 32]>::try_from(b.as_slice())
            .map(Hash)
            .map_err(|_| StoreError::Backend("stored node is not 32 bytes".into()))
    })
    .transpose()
}

/// An idempotency key's record.
pub(super) fn idempotency(
    c: &Connection,
    tenant: &TenantId,
    key: &[u8; 32],
) -> Result<Option<custodian_core::store::IdempotencyRecord>, StoreError> {
    c.prepare_cached(
        "SELECT fingerprint, result, created_at FROM idempotency WHERE tenant = ?1 AND key = ?2",
    )
    .and_then(|mut st| {
        st.query_row(params![tenant.as_str(), key], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, Vec<u8>>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .optional()
    })
    .map_err(db_err)?
    .map(|(fingerprint, result, created_at)| {
        Ok(custodian_core::store::IdempotencyRecord {
            tenant: tenant.clone(),
            key: *key,
            fingerprint: fingerprint.try_into().map_err(|_| {
                StoreError::Backend("idempotency fingerprint is not 32 bytes".into())
            })?,
            result,
            created_at,
        })
    })
    .transpose()
}

/// The ledger entries naming a subject, in ledger order.
pub(super) fn subject_entries(
    c: &Connection,
    tenant: &TenantId,
    subject: &SubjectId,
) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
    indexed_entries(
        c,
        "SELECT e.idx, e.entry FROM ledger_subjects s JOIN ledger_entries e ON e.idx = s.idx
         WHERE s.tenant = ?1 AND s.subject = ?2",
        params![tenant.as_str(), subject.as_str()],
    )
}

/// Ledger entries (index, bytes) a query selects, in ledger order.
pub(super) fn indexed_entries(
    c: &Connection,
    sql: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
    let mut st = c.prepare_cached(sql).map_err(db_err)?;
    let rows = st
        .query_map(args, |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .map_err(db_err)?;
    let mut out = Vec::new();
    for r in rows {
        let (i, b) = r.map_err(db_err)?;
        out.push((u64::try_from(i).unwrap_or(0), b));
    }
    out.sort_by_key(|(i, _)| *i);
    Ok(out)
}

/// A subject's row and its wrapped key as stored (two statements, not a join: a statement that
/// spans both attached files is re-prepared after every commit of the writer, measured). The
/// key is `None` for an erased subject, and for one whose registration is between its two
/// commits ([`SqliteStore`]'s `subject` tells them apart).
pub(super) fn subject_row(
    c: &Connection,
    tenant: &TenantId,
    subject: &SubjectId,
) -> Result<Option<(SubjectInfo, Option<WrappedKey>)>, StoreError> {
    let bad = |e: String| StoreError::Backend(format!("stored subject is invalid: {e}"));
    let row = c
        .prepare_cached(
            "SELECT jurisdiction, minor, registered_at, erased, role, hold_reason, hold_since, version \
             FROM subjects WHERE tenant = ?1 AND id = ?2",
        )
        .and_then(|mut st| {
            st.query_row(params![tenant.as_str(), subject.as_str()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, bool>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                    r.get::<_, i64>(7)?,
                ))
            })
            .optional()
        })
        .map_err(db_err)?;
    let Some((j, minor, registered_at, erased, role, hold_reason, hold_since, version)) = row
    else {
        return Ok(None);
    };
    let wrapped: Option<WrappedKey> = c
        .prepare_cached(
            "SELECT wrapped, epoch FROM keys.subject_keys WHERE tenant = ?1 AND subject = ?2",
        )
        .and_then(|mut st| {
            st.query_row(params![tenant.as_str(), subject.as_str()], |r| {
                Ok(WrappedKey {
                    blob: r.get(0)?,
                    epoch: r.get(1)?,
                })
            })
            .optional()
        })
        .map_err(db_err)?;
    let jurisdiction = Jurisdiction::parse(&j).map_err(|e| bad(e.to_string()))?;
    let role = role
        .map(SubjectRole::try_from)
        .transpose()
        .map_err(|e| bad(e.to_string()))?;
    let legal_hold = match (hold_reason, hold_since) {
        (Some(r), Some(since)) => Some(LegalHold {
            reason: HoldReason::try_from(r).map_err(|e| bad(e.to_string()))?,
            since,
        }),
        _ => None,
    };
    let info = SubjectInfo {
        id: subject.clone(),
        tenant: tenant.clone(),
        jurisdiction,
        role,
        minor,
        registered_at,
        erased,
        legal_hold,
        version: u64::try_from(version).map_err(|e| bad(e.to_string()))?,
    };
    Ok(Some((info, wrapped)))
}

/// Every tenant with its wrapped key, by id.
pub(super) fn tenant_rows(c: &Connection) -> Result<Vec<TenantRecord>, StoreError> {
    let mut st = c
        .prepare_cached(
            "SELECT t.id, t.manifest, k.wrapped, k.epoch FROM tenants t
                 LEFT JOIN keys.tenant_keys k ON k.tenant = t.id",
        )
        .map_err(db_err)?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<Vec<u8>>>(2)?,
                r.get::<_, Option<Epoch>>(3)?,
            ))
        })
        .map_err(db_err)?;
    let mut out = Vec::new();
    for row in rows {
        let (id, manifest, blob, epoch) = row.map_err(db_err)?;
        let (Some(blob), Some(epoch)) = (blob, epoch) else {
            return Err(StoreError::Backend(format!(
                "tenant `{id}` has no key in keys.db: the key file is missing or from another cell"
            )));
        };
        let id = TenantId::parse(&id).map_err(|e| StoreError::Backend(e.to_string()))?;
        out.push(TenantRecord {
            id,
            manifest,
            wrapped_key: WrappedKey { blob, epoch },
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// A subject's consents, oldest first.
pub(super) fn consent_rows(
    c: &Connection,
    tenant: &TenantId,
    subject: &SubjectId,
) -> Result<Vec<Consent>, StoreError> {
    let mut st = c
            .prepare_cached(
                "SELECT purpose, notice_version, granted_at, withdrawn_at, separate, by_guardian, rowid FROM consents
                 WHERE tenant = ?1 AND subject = ?2",
            )
            .map_err(db_err)?;
    let rows = st
        .query_map(params![tenant.as_str(), subject.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })
        .map_err(db_err)?;
    let mut out = Vec::new();
    for row in rows {
        let (p, notice_version, granted_at, withdrawn_at, separate, by_guardian, rowid) =
            row.map_err(db_err)?;
        let purpose = PurposeId::parse(&p).map_err(|e| StoreError::Backend(e.to_string()))?;
        out.push((
            rowid,
            Consent {
                purpose,
                notice_version,
                granted_at,
                withdrawn_at,
                separate,
                by_guardian,
            },
        ));
    }
    // Sorted here, not by ORDER BY: SQLite re-prepares an ORDER BY statement after
    // every commit of another connection (measured), which costs more than this sort.
    out.sort_by_key(|(rowid, _)| *rowid);
    Ok(out.into_iter().map(|(_, c)| c).collect())
}
