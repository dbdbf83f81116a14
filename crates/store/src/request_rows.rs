//! A request row as both stores read it, into core's record.

use custodian_core::ids::{HoldReason, SubjectId, TenantId};
use custodian_core::requests::{RequestKind, RequestRecord, RequestStatus};
use custodian_core::store::StoreError;

/// The columns of a `requests` row.
pub(crate) struct RawRequest {
    pub(crate) id: String,
    pub(crate) tenant: String,
    pub(crate) subject: String,
    pub(crate) kind: String,
    pub(crate) received_at: i64,
    pub(crate) deadline: i64,
    pub(crate) status: String,
    pub(crate) refusal: Option<String>,
    pub(crate) closed_at: Option<i64>,
}

impl RawRequest {
    pub(crate) fn into_record(self) -> Result<RequestRecord, StoreError> {
        let bad = |what: &str| StoreError::Backend(format!("stored request has a bad {what}"));
        let status = match (self.status.as_str(), self.refusal) {
            ("open", None) => RequestStatus::Open,
            ("completed", None) => RequestStatus::Completed,
            ("refused", Some(r)) => {
                RequestStatus::Refused(HoldReason::try_from(r).map_err(|_| bad("refusal"))?)
            }
            _ => return Err(bad("status")),
        };
        Ok(RequestRecord {
            id: self.id,
            tenant: TenantId::try_from(self.tenant).map_err(|_| bad("tenant"))?,
            subject: SubjectId::try_from(self.subject).map_err(|_| bad("subject"))?,
            kind: RequestKind::parse(&self.kind).ok_or_else(|| bad("kind"))?,
            received_at: self.received_at,
            deadline: self.deadline,
            status,
            closed_at: self.closed_at,
        })
    }
}
