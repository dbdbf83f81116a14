//! Reads of the transfer gate's tables, and of requests.

use custodian_core::ids::{OrgCode, SubjectId, TenantId};
use custodian_core::store::StoreError;
use custodian_core::transfers::{Counts, TransferBasis};

use super::{PgStore, bad_row, pg_err};
use crate::transfer_rows::{BASIS_COLS, from_raw};

impl PgStore {
    pub(super) fn request_rows(
        &self,
        tenant: Option<&TenantId>,
    ) -> Result<Vec<custodian_core::requests::RequestRecord>, StoreError> {
        let tenant = tenant.map(|t| t.as_str().to_owned());
        self.read_settled(move |c| async move {
            let st = c
                .prepare_cached(
                    "SELECT id, tenant, subject, kind, received_at, deadline, status, refusal, closed_at
                     FROM requests WHERE $1::text IS NULL OR tenant = $1",
                )
                .await
                .map_err(pg_err)?;
            let rows = c.query(&st, &[&tenant]).await.map_err(pg_err)?;
            rows.iter()
                .map(|r| {
                    crate::request_rows::RawRequest {
                        id: r.get(0),
                        tenant: r.get(1),
                        subject: r.get(2),
                        kind: r.get(3),
                        received_at: r.get(4),
                        deadline: r.get(5),
                        status: r.get(6),
                        refusal: r.get(7),
                        closed_at: r.get(8),
                    }
                    .into_record()
                })
                .collect()
        })
    }

    pub(super) fn bases(&self, tenant: &TenantId) -> Result<Vec<TransferBasis>, StoreError> {
        let tenant = tenant.as_str().to_owned();
        self.read_settled(move |c| async move {
            let sql =
                format!("SELECT {BASIS_COLS} FROM transfer_bases WHERE tenant = $1 ORDER BY id");
            let st = c.prepare_cached(&sql).await.map_err(pg_err)?;
            let rows = c.query(&st, &[&tenant]).await.map_err(pg_err)?;
            rows.iter()
                .map(|r| {
                    from_raw((
                        r.get(0),
                        r.get(1),
                        r.get(2),
                        r.get(3),
                        r.get(4),
                        r.get(5),
                        r.get(6),
                        r.get(7),
                        r.get(8),
                        r.get(9),
                    ))
                })
                .collect()
        })
    }

    pub(super) fn counts(&self, org: &OrgCode, year: i32) -> Result<Counts, StoreError> {
        let org = org.as_str().to_owned();
        self.read_settled(move |c| async move {
            let st = c
                .prepare_cached(
                    "SELECT count(*) FILTER (WHERE NOT sensitive), count(*) FILTER (WHERE sensitive)
                     FROM transferred WHERE org = $1 AND year = $2",
                )
                .await
                .map_err(pg_err)?;
            let r = c.query_one(&st, &[&org, &year]).await.map_err(pg_err)?;
            Ok(Counts {
                general: u64::try_from(r.get::<_, i64>(0)).unwrap_or(0),
                sensitive: u64::try_from(r.get::<_, i64>(1)).unwrap_or(0),
            })
        })
    }

    pub(super) fn counted(
        &self,
        org: &OrgCode,
        year: i32,
        tenant: &TenantId,
        subjects: &[SubjectId],
    ) -> Result<Vec<(SubjectId, bool)>, StoreError> {
        let (org, tenant) = (org.as_str().to_owned(), tenant.as_str().to_owned());
        let ids: Vec<String> = subjects.iter().map(|s| s.as_str().to_owned()).collect();
        self.read(move |c| async move {
            let st = c
                .prepare_cached(
                    "SELECT subject, sensitive FROM transferred
                     WHERE org = $1 AND year = $2 AND tenant = $3 AND subject = ANY($4)",
                )
                .await
                .map_err(pg_err)?;
            let rows = c
                .query(&st, &[&org, &year, &tenant, &ids])
                .await
                .map_err(pg_err)?;
            rows.iter()
                .map(|r| {
                    Ok((
                        SubjectId::parse(r.get::<_, &str>(0)).map_err(bad_row)?,
                        r.get(1),
                    ))
                })
                .collect()
        })
    }

    pub(super) fn received_row(
        &self,
        leaf: &str,
    ) -> Result<Option<(TenantId, SubjectId)>, StoreError> {
        let leaf = leaf.to_owned();
        self.read(move |c| async move {
            let st = c
                .prepare_cached("SELECT tenant, subject FROM received WHERE leaf = $1")
                .await
                .map_err(pg_err)?;
            let row = c.query_opt(&st, &[&leaf]).await.map_err(pg_err)?;
            row.map(|r| {
                Ok((
                    TenantId::parse(r.get::<_, &str>(0)).map_err(bad_row)?,
                    SubjectId::parse(r.get::<_, &str>(1)).map_err(bad_row)?,
                ))
            })
            .transpose()
        })
    }
}
