//! A transfer basis row as both stores read and write it.

use custodian_core::ids::{FieldName, TenantId};
use custodian_core::store::StoreError;
use custodian_core::transfers::{BasisKind, Pia, TransferBasis};

/// The columns of a `transfer_bases` row: id, tenant, recipient, kind, reference, valid_from,
/// expires_at, fields (comma-separated), pia_reference, pia_completed_at.
pub(crate) type RawBasis = (
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
    String,
    Option<String>,
    Option<i64>,
);

/// The columns, in the order of [`RawBasis`].
pub(crate) const BASIS_COLS: &str = "id, tenant, recipient, kind, reference, valid_from, expires_at, fields, pia_reference, pia_completed_at";

pub(crate) fn to_raw(b: &TransferBasis) -> RawBasis {
    (
        b.id.clone(),
        b.tenant.as_str().to_string(),
        b.recipient.clone(),
        b.kind.as_str().to_string(),
        b.reference.clone(),
        b.valid_from,
        b.expires_at,
        b.fields
            .iter()
            .map(FieldName::as_str)
            .collect::<Vec<_>>()
            .join(","),
        b.pia.as_ref().map(|p| p.reference.clone()),
        b.pia.as_ref().map(|p| p.completed_at),
    )
}

pub(crate) fn from_raw(r: RawBasis) -> Result<TransferBasis, StoreError> {
    let bad = |what: &str| StoreError::Backend(format!("stored transfer basis has a bad {what}"));
    let (id, tenant, recipient, kind, reference, valid_from, expires_at, fields, pia_ref, pia_at) =
        r;
    Ok(TransferBasis {
        id,
        tenant: TenantId::try_from(tenant).map_err(|_| bad("tenant"))?,
        recipient,
        kind: BasisKind::parse(&kind).ok_or_else(|| bad("kind"))?,
        reference,
        valid_from,
        expires_at,
        fields: fields
            .split(',')
            .filter(|f| !f.is_empty())
            .map(|f| FieldName::parse(f).map_err(|_| bad("field")))
            .collect::<Result<_, _>>()?,
        pia: match (pia_ref, pia_at) {
            (Some(reference), Some(completed_at)) => Some(Pia {
                reference,
                completed_at,
            }),
            _ => None,
        },
    })
}
