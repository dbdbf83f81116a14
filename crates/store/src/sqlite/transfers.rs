//! Reads of the transfer gate's tables.

use custodian_core::ids::{OrgCode, SubjectId, TenantId};
use custodian_core::store::StoreError;
use custodian_core::transfers::{Counts, TransferBasis};
use rusqlite::{Connection, OptionalExtension, params};

use super::db_err;
use crate::transfer_rows::{BASIS_COLS, from_raw};

pub(super) fn bases(c: &Connection, tenant: &TenantId) -> Result<Vec<TransferBasis>, StoreError> {
    let sql = format!("SELECT {BASIS_COLS} FROM transfer_bases WHERE tenant = ?1 ORDER BY id");
    let mut st = c.prepare_cached(&sql).map_err(db_err)?;
    let rows = st
        .query_map([tenant.as_str()], |r| {
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
                r.get(9)?,
            ))
        })
        .map_err(db_err)?;
    let mut out = Vec::new();
    for r in rows {
        out.push(from_raw(r.map_err(db_err)?)?);
    }
    Ok(out)
}

pub(super) fn counts(c: &Connection, org: &OrgCode, year: i32) -> Result<Counts, StoreError> {
    let mut st = c
        .prepare_cached(
            "SELECT COALESCE(SUM(sensitive = 0), 0), COALESCE(SUM(sensitive = 1), 0)
             FROM transferred WHERE org = ?1 AND year = ?2",
        )
        .map_err(db_err)?;
    let (g, s): (i64, i64) = st
        .query_row(params![org.as_str(), year], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(db_err)?;
    Ok(Counts {
        general: u64::try_from(g).unwrap_or(0),
        sensitive: u64::try_from(s).unwrap_or(0),
    })
}

pub(super) fn transferred(
    c: &Connection,
    org: &OrgCode,
    year: i32,
    tenant: &TenantId,
    subjects: &[SubjectId],
) -> Result<Vec<(SubjectId, bool)>, StoreError> {
    let mut out = Vec::new();
    for chunk in subjects.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(",");
        let sql = format!(
            "SELECT subject, sensitive FROM transferred WHERE org = ? AND year = ? AND tenant = ? AND subject IN ({marks})"
        );
        let mut st = c.prepare_cached(&sql).map_err(db_err)?;
        let (org, tenant) = (org.as_str(), tenant.as_str());
        let mut p: Vec<&dyn rusqlite::ToSql> = vec![&org, &year, &tenant];
        let ids: Vec<&str> = chunk.iter().map(SubjectId::as_str).collect();
        for id in &ids {
            p.push(id);
        }
        let rows = st
            .query_map(rusqlite::params_from_iter(p), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?))
            })
            .map_err(db_err)?;
        for r in rows {
            let (s, sensitive) = r.map_err(db_err)?;
            out.push((
                SubjectId::parse(&s).map_err(|_| {
                    StoreError::Backend("stored subject is not a subject id".into())
                })?,
                sensitive,
            ));
        }
    }
    Ok(out)
}

/// Which of `indexes` some value of `field` has, 500 to a statement.
pub(super) fn blind_index_hits(
    c: &Connection,
    tenant: &TenantId,
    field: &custodian_core::ids::FieldName,
    indexes: &[String],
) -> Result<Vec<(String, custodian_core::ids::Token)>, StoreError> {
    let mut out = Vec::new();
    for chunk in indexes.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(",");
        let sql = format!(
            "SELECT blind_index, token FROM vals INDEXED BY vals_blind WHERE tenant = ? AND field = ? AND blind_index IN ({marks})"
        );
        let mut st = c.prepare_cached(&sql).map_err(db_err)?;
        let tenant_s = tenant.as_str();
        let field_s = field.as_str();
        let mut p: Vec<&dyn rusqlite::ToSql> = vec![&tenant_s, &field_s];
        for i in chunk {
            p.push(i);
        }
        let rows = st
            .query_map(rusqlite::params_from_iter(p), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(db_err)?;
        for r in rows {
            let (b, t) = r.map_err(db_err)?;
            out.push((
                b,
                custodian_core::ids::Token::parse(&t)
                    .map_err(|_| StoreError::Backend("stored token is not a token".into()))?,
            ));
        }
    }
    Ok(out)
}

pub(super) fn received(
    c: &Connection,
    leaf: &str,
) -> Result<Option<(TenantId, SubjectId)>, StoreError> {
    let mut st = c
        .prepare_cached("SELECT tenant, subject FROM received WHERE leaf = ?1")
        .map_err(db_err)?;
    let row: Option<(String, String)> = st
        .query_row(params![leaf], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(db_err)?;
    row.map(|(t, s)| {
        let bad = |_| StoreError::Backend("stored row is not a tenant and subject".into());
        Ok((
            TenantId::parse(&t).map_err(bad)?,
            SubjectId::parse(&s).map_err(bad)?,
        ))
    })
    .transpose()
}
