//! Reading rows back into core's types.

use std::collections::HashMap;

use super::*;

pub(super) const VALUE_COLS: &str =
    "tenant, token, subject, field, blind_index, sealed, key_version, purpose, collected_at";

pub(super) fn to_value(r: &tokio_postgres::Row) -> Result<ValueRecord, StoreError> {
    Ok(ValueRecord {
        tenant: TenantId::parse(r.get::<_, &str>(0)).map_err(bad_row)?,
        token: Token::parse(r.get::<_, &str>(1)).map_err(bad_row)?,
        subject: SubjectId::parse(r.get::<_, &str>(2)).map_err(bad_row)?,
        field: FieldName::parse(r.get::<_, &str>(3)).map_err(bad_row)?,
        blind_index: r.get(4),
        sealed: r.get(5),
        key_version: u32::try_from(r.get::<_, i64>(6))
            .map_err(|_| StoreError::Backend("stored key version out of range".into()))?,
        purpose: PurposeId::parse(r.get::<_, &str>(7)).map_err(bad_row)?,
        collected_at: r.get(8),
    })
}

const SUBJECT_COLS: &str =
    "s.jurisdiction, s.minor, s.registered_at, s.erased, k.wrapped, s.role, k.epoch,
     s.hold_reason, s.hold_since, s.id, s.version";
const SUBJECT_FROM: &str = "FROM subjects s LEFT JOIN custodian_keys.subject_keys k
     ON k.tenant = s.tenant AND k.subject = s.id";

/// A subject and its wrapped key (`None` once erased).
pub(super) async fn subject_row(
    c: &ClientWrapper,
    tenant: &TenantId,
    subject: &SubjectId,
) -> Result<Option<SubjectRow>, StoreError> {
    let st = c
        .prepare_cached(&format!(
            "SELECT {SUBJECT_COLS} {SUBJECT_FROM} WHERE s.tenant = $1 AND s.id = $2"
        ))
        .await
        .map_err(pg_err)?;
    c.query_opt(&st, &[&tenant.as_str(), &subject.as_str()])
        .await
        .map_err(pg_err)?
        .map(|r| to_subject(&r, tenant))
        .transpose()
}

/// Many subjects with their wrapped keys and consents, in the order asked (`None`: not found):
/// one statement (a row per consent, or one with none), so one round trip and one
/// transaction on the server for a whole batch.
pub(super) async fn subjects_and_consents(
    c: &ClientWrapper,
    tenant: &TenantId,
    subjects: &[SubjectId],
) -> Result<Vec<Option<SubjectWithConsents>>, StoreError> {
    let ids: Vec<&str> = subjects.iter().map(SubjectId::as_str).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    // One subject by equality; many as a lookup per listed id, the subject and its consents
    // each in a subquery the planner may not fold into a join (`OFFSET 0`), so the plan is
    // index lookups per subject whatever the statistics say (a join with the list, or `= ANY`,
    // is planned as a scan of the tenant's subjects while the table is small, and the
    // connection keeps that plan).
    let sql = match unique.as_slice() {
        [_] => format!(
            "SELECT {SUBJECT_COLS}, c.purpose, c.notice_version, c.granted_at, c.withdrawn_at,
                    c.separate, c.by_guardian
             {SUBJECT_FROM}
             LEFT JOIN consents c ON c.tenant = s.tenant AND c.subject = s.id
             WHERE s.tenant = $1 AND s.id = $2 ORDER BY c.seq"
        ),
        _ => format!(
            "SELECT s.*, c.purpose, c.notice_version, c.granted_at, c.withdrawn_at, c.separate,
                    c.by_guardian
             FROM unnest($2::text[]) AS asked(id)
             CROSS JOIN LATERAL (SELECT {SUBJECT_COLS} {SUBJECT_FROM}
                                 WHERE s.tenant = $1 AND s.id = asked.id OFFSET 0) s
             LEFT JOIN LATERAL (SELECT * FROM consents c
                                WHERE c.tenant = $1 AND c.subject = s.id OFFSET 0) c ON true
             ORDER BY c.seq"
        ),
    };
    let one: &(dyn ToSql + Sync) = match unique.as_slice() {
        [id] => id,
        _ => &unique,
    };
    let st = c.prepare_cached(&sql).await.map_err(pg_err)?;
    let rows = c
        .query(&st, &[&tenant.as_str(), one])
        .await
        .map_err(pg_err)?;
    let mut found: HashMap<&str, SubjectWithConsents> = HashMap::new();
    for r in &rows {
        let id: &str = r.get(9);
        let entry = match found.entry(id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert((to_subject(r, tenant)?, Vec::new()))
            }
        };
        if let Some(purpose) = r.get::<_, Option<&str>>(11) {
            entry.1.push(Consent {
                purpose: PurposeId::parse(purpose).map_err(bad_row)?,
                notice_version: r.get(12),
                granted_at: r.get(13),
                withdrawn_at: r.get(14),
                separate: r.get(15),
                by_guardian: r.get(16),
            });
        }
    }
    Ok(ids.iter().map(|id| found.get(id).cloned()).collect())
}

fn to_subject(r: &tokio_postgres::Row, tenant: &TenantId) -> Result<SubjectRow, StoreError> {
    let subject = SubjectId::parse(r.get::<_, &str>(9)).map_err(bad_row)?;
    let jurisdiction = Jurisdiction::parse(r.get::<_, &str>(0)).map_err(bad_row)?;
    let erased: bool = r.get(3);
    let wrapped = match (r.get::<_, Option<Vec<u8>>>(4), r.get::<_, Option<i64>>(6)) {
        (Some(blob), Some(epoch)) => Some(WrappedKey {
            blob,
            epoch: to_epoch(epoch)?,
        }),
        _ => None,
    };
    let role = r
        .get::<_, Option<&str>>(5)
        .map(SubjectRole::parse)
        .transpose()
        .map_err(bad_row)?;
    let info = SubjectInfo {
        id: subject.clone(),
        tenant: tenant.clone(),
        jurisdiction,
        role,
        minor: r.get(1),
        registered_at: r.get(2),
        erased,
        legal_hold: match (r.get::<_, Option<&str>>(7), r.get::<_, Option<i64>>(8)) {
            (Some(reason), Some(since)) => Some(LegalHold {
                reason: HoldReason::parse(reason).map_err(bad_row)?,
                since,
            }),
            _ => None,
        },
        version: u64::try_from(r.get::<_, i64>(10))
            .map_err(|_| StoreError::Backend("stored subject version is negative".into()))?,
    };
    Ok((info, if erased { None } else { wrapped }))
}

/// A subject's consents, oldest first.
pub(super) async fn consent_rows(
    c: &ClientWrapper,
    tenant: &TenantId,
    subject: &SubjectId,
) -> Result<Vec<Consent>, StoreError> {
    let st = c
        .prepare_cached(
            "SELECT purpose, notice_version, granted_at, withdrawn_at, separate, by_guardian
             FROM consents WHERE tenant = $1 AND subject = $2 ORDER BY seq",
        )
        .await
        .map_err(pg_err)?;
    let rows = c
        .query(&st, &[&tenant.as_str(), &subject.as_str()])
        .await
        .map_err(pg_err)?;
    rows.iter()
        .map(|r| {
            Ok(Consent {
                purpose: PurposeId::parse(r.get::<_, &str>(0)).map_err(bad_row)?,
                notice_version: r.get(1),
                granted_at: r.get(2),
                withdrawn_at: r.get(3),
                separate: r.get(4),
                by_guardian: r.get(5),
            })
        })
        .collect()
}

pub(super) const KEY_COLS: &str = "id, hash, role, tenant, service, created_at, revoked_at";

pub(super) fn to_key(r: &tokio_postgres::Row) -> Result<ApiKeyRecord, StoreError> {
    let hash: Vec<u8> = r.get(1);
    Ok(ApiKeyRecord {
        id: r.get(0),
        hash: hash
            .try_into()
            .map_err(|_| StoreError::Backend("stored key hash is not 32 bytes".into()))?,
        role: Role::parse(r.get::<_, &str>(2))
            .ok_or_else(|| StoreError::Backend("stored key has an unknown role".into()))?,
        tenant: r
            .get::<_, Option<&str>>(3)
            .map(TenantId::parse)
            .transpose()
            .map_err(bad_row)?,
        service: r
            .get::<_, Option<&str>>(4)
            .map(ServiceName::parse)
            .transpose()
            .map_err(bad_row)?,
        created_at: r.get(5),
        revoked_at: r.get(6),
    })
}

/// An epoch number as stored.
pub(super) fn to_epoch(v: i64) -> Result<Epoch, StoreError> {
    Epoch::try_from(v).map_err(|_| StoreError::Backend(format!("stored epoch {v} is out of range")))
}

impl PgStore {
    /// The ledger entries naming a subject (`Store::subject_entries`), in ledger order.
    pub(super) fn entries_of(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
        let (tenant, subject) = (tenant.as_str().to_owned(), subject.as_str().to_owned());
        self.read_settled(move |c| async move {
            let st = c
                .prepare_cached(
                    "SELECT e.idx, e.entry FROM ledger_subjects s JOIN ledger_entries e ON e.idx = s.idx
                     WHERE s.tenant = $1 AND s.subject = $2 ORDER BY e.idx",
                )
                .await
                .map_err(pg_err)?;
            let rows = c.query(&st, &[&tenant, &subject]).await.map_err(pg_err)?;
            rows.iter()
                .map(|r| {
                    let i: i64 = r.get(0);
                    Ok((u64::try_from(i).unwrap_or(0), r.get(1)))
                })
                .collect()
        })
    }

    /// The pinned regulator keys with their ledger indexes, in pin order.
    pub(super) fn pins(&self) -> Result<Vec<(u64, String)>, StoreError> {
        self.read_settled(|c| async move {
            let st = c
                .prepare_cached("SELECT ledger_idx, vkey FROM pinned_keys ORDER BY seq")
                .await
                .map_err(pg_err)?;
            let rows = c.query(&st, &[]).await.map_err(pg_err)?;
            Ok(rows
                .iter()
                .map(|r| {
                    (
                        u64::try_from(r.get::<_, i64>(0)).unwrap_or(u64::MAX),
                        r.get(1),
                    )
                })
                .collect())
        })
    }

    /// The one text column of every row `sql` selects, in its order.
    pub(super) fn texts(&self, sql: &'static str) -> Result<Vec<String>, StoreError> {
        self.read_settled(move |c| async move {
            let st = c.prepare_cached(sql).await.map_err(pg_err)?;
            let rows = c.query(&st, &[]).await.map_err(pg_err)?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }
}

/// Idempotency keys' records, in the order asked (`None`: no record): one query.
pub(super) fn idempotency_many(
    store: &PgStore,
    tenant: &TenantId,
    keys: &[[u8; 32]],
) -> Result<Vec<Option<custodian_core::store::IdempotencyRecord>>, StoreError> {
    let (t, keys) = (tenant.clone(), keys.to_vec());
    // One key is a point read; a bulk act's list takes a connection of its own.
    let (found, under) = if keys.len() == 1 {
        store.read_shared(move |c| async move { idempotency_read(&c, &t, &keys).await })?
    } else {
        store.read(move |c| async move { idempotency_read(&c, &t, &keys).await })?
    };
    // A replay answers the client with a stored result: only once that result is on disk
    // (it may be another process's, committed and not yet flushed), and the server did not
    // crash since it was read.
    if let Some(under) = under {
        store.flush_since(under)?;
    }
    Ok(found)
}

/// The records, and with one found, the server's incarnation read on the same connection after
/// them (a connection does not outlive a crash, so it is the read's).
async fn idempotency_read(
    c: &ClientWrapper,
    t: &TenantId,
    keys: &[[u8; 32]],
) -> Result<
    (
        Vec<Option<custodian_core::store::IdempotencyRecord>>,
        Option<String>,
    ),
    StoreError,
> {
    let found = idempotency_rows(c, t, keys).await?;
    let under = match found.iter().any(Option::is_some) {
        true => Some(super::flush::incarnation(c).await?),
        false => None,
    };
    Ok((found, under))
}

async fn idempotency_rows(
    c: &ClientWrapper,
    t: &TenantId,
    keys: &[[u8; 32]],
) -> Result<Vec<Option<custodian_core::store::IdempotencyRecord>>, StoreError> {
    {
        let mut asked: Vec<&[u8]> = keys.iter().map(|k| &k[..]).collect();
        asked.sort_unstable();
        asked.dedup();
        // One key by equality, many as a join with the list, as for subjects (index lookups
        // whatever the statistics).
        let (which, param): (&str, &(dyn ToSql + Sync)) = match asked.as_slice() {
            [k] => ("idempotency i WHERE i.tenant = $1 AND i.key = $2", k),
            _ => (
                "unnest($2::bytea[]) AS asked(key)
                 JOIN idempotency i ON i.tenant = $1 AND i.key = asked.key",
                &asked,
            ),
        };
        let st = c
            .prepare_cached(&format!(
                "SELECT i.key, i.fingerprint, i.result, i.created_at FROM {which}"
            ))
            .await
            .map_err(pg_err)?;
        let rows = c.query(&st, &[&t.as_str(), param]).await.map_err(pg_err)?;
        let mut found = HashMap::new();
        for r in &rows {
            let key: [u8; 32] = r
                .get::<_, Vec<u8>>(0)
                .try_into()
                .map_err(|_| StoreError::Backend("idempotency key is not 32 bytes".into()))?;
            let fingerprint: Vec<u8> = r.get(1);
            let record = custodian_core::store::IdempotencyRecord {
                tenant: t.clone(),
                key,
                fingerprint: fingerprint.try_into().map_err(|_| {
                    StoreError::Backend("idempotency fingerprint is not 32 bytes".into())
                })?,
                result: r.get(2),
                created_at: r.get(3),
            };
            found.insert(key, record);
        }
        Ok(keys.iter().map(|k| found.get(k).cloned()).collect())
    }
}

/// Every key epoch, oldest first.
pub(super) async fn epoch_rows(c: &ClientWrapper) -> Result<Vec<EpochRecord>, StoreError> {
    let st = c
        .prepare_cached("SELECT epoch, created_at, retired_at FROM key_epochs ORDER BY epoch")
        .await
        .map_err(pg_err)?;
    let rows = c.query(&st, &[]).await.map_err(pg_err)?;
    rows.iter()
        .map(|r| {
            Ok(EpochRecord {
                epoch: to_epoch(r.get(0))?,
                created_at: r.get(1),
                retired_at: r.get(2),
            })
        })
        .collect()
}

/// Subject keys wrapped under each epoch.
pub(super) async fn key_count_rows(c: &ClientWrapper) -> Result<Vec<(Epoch, u64)>, StoreError> {
    let st = c
        .prepare_cached(
            "SELECT epoch, count(*) FROM custodian_keys.subject_keys GROUP BY epoch ORDER BY epoch",
        )
        .await
        .map_err(pg_err)?;
    let rows = c.query(&st, &[]).await.map_err(pg_err)?;
    rows.iter()
        .map(|r| {
            Ok((
                to_epoch(r.get(0))?,
                u64::try_from(r.get::<_, i64>(1)).unwrap_or(0),
            ))
        })
        .collect()
}
