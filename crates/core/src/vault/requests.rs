//! A person's requests as records: received by the DPO, answered (completed or refused with a
//! label) within a deadline of working days, listed — overdue ones too — for the DPO (its
//! tenant) and the regulator (the cell). Each step is a ledger entry.

use custodian_ledger::{Decision as LedgerDecision, EntryKind, Id};

use super::{Vault, store_err};
use crate::access::{DpoScope, Scope, TenantScoped};
use crate::crypto;
use crate::error::CoreError;
use crate::ids::SubjectId;
use crate::requests::{RequestKind, RequestRecord, RequestStatus, add_working_days};
use crate::store::Change;

/// Working days a request may stay open unless the cell says otherwise.
pub const DEFAULT_REQUEST_DAYS: u32 = 15;

impl Vault {
    /// Sets how many working days a request may stay open (the cell's jurisdiction's rule;
    /// default 15).
    pub fn with_request_days(mut self, days: u32) -> Vault {
        self.request_days = days;
        self
    }

    /// Records a request the person made about themselves.
    pub fn open_request(
        &self,
        scope: &DpoScope,
        subject: &SubjectId,
        kind: RequestKind,
    ) -> Result<RequestRecord, CoreError> {
        let tenant = scope.tenant();
        self.act(|a| {
            // The subject must exist (an erased one may still ask what is held).
            a.subject(tenant, subject)?;
            let rec = RequestRecord {
                id: format!("req_{}", crypto::random_hex(8)?),
                tenant: tenant.clone(),
                subject: subject.clone(),
                kind,
                received_at: a.now(),
                deadline: add_working_days(a.now(), self.request_days),
                status: RequestStatus::Open,
                closed_at: None,
            };
            let mut e = a.entry(EntryKind::ConfigChange, LedgerDecision::None);
            e.reason = Id::new("request_received").ok();
            e.fields = Id::new(kind.as_str()).ok().into_iter().collect();
            a.commit(Change::PutRequest(rec.clone()), vec![e])?;
            Ok(rec)
        })
    }

    /// Answers an open request: `Completed`, or `Refused` with a label.
    pub fn close_request(
        &self,
        scope: &DpoScope,
        id: &str,
        outcome: RequestStatus,
    ) -> Result<RequestRecord, CoreError> {
        if outcome == RequestStatus::Open {
            return Err(CoreError::invalid(
                "a request is answered completed or refused",
            ));
        }
        let tenant = scope.tenant();
        self.act(|a| {
            let rec = self
                .store
                .requests(Some(tenant))
                .map_err(store_err)?
                .into_iter()
                .find(|r| r.id == id)
                .ok_or_else(|| CoreError::NotFound("no such request in the tenant".into()))?;
            if rec.status != RequestStatus::Open {
                return Err(CoreError::Conflict(format!(
                    "the request was {} already",
                    rec.status.as_str()
                )));
            }
            a.set_tenant(tenant);
            a.set_subject(&rec.subject);
            let mut e = a.entry(EntryKind::ConfigChange, LedgerDecision::None);
            e.reason = Id::new(match outcome {
                RequestStatus::Refused(_) => "request_refused",
                _ => "request_completed",
            })
            .ok();
            e.fields = Id::new(rec.kind.as_str()).ok().into_iter().collect();
            let at = a.now();
            a.commit(
                Change::CloseRequest {
                    tenant: tenant.clone(),
                    id: rec.id.clone(),
                    status: outcome.clone(),
                    at,
                },
                vec![e],
            )?;
            Ok(RequestRecord {
                status: outcome.clone(),
                closed_at: Some(at),
                ..rec
            })
        })
    }

    /// Requests, oldest first: a DPO's tenant's, or the cell's for the administrator and the
    /// regulator; with `overdue_only`, those still open past their deadline.
    pub fn requests(
        &self,
        scope: &Scope,
        overdue_only: bool,
    ) -> Result<Vec<RequestRecord>, CoreError> {
        let now = self.now();
        let mut out: Vec<RequestRecord> = self
            .store
            .requests(scope.tenant())
            .map_err(store_err)?
            .into_iter()
            .filter(|r| !overdue_only || r.overdue(now))
            .collect();
        out.sort_by(|a, b| (a.received_at, &a.id).cmp(&(b.received_at, &b.id)));
        Ok(out)
    }
}
