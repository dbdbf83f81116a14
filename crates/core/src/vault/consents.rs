//! Consents: give, withdraw, list (PIPL Arts. 14, 15, 29, 31).

use custodian_ledger::{Decision as LedgerDecision, EntryKind, Id};

use super::{Vault, store_err};
use crate::access::TenantScoped;
use crate::decision::{self, ConsentChange};
use crate::error::CoreError;
use crate::ids::{PurposeId, SubjectId};
use crate::store::Change;
use crate::subject::Consent;

impl Vault {
    /// Gives (or renews) a subject's consent for a declared purpose. `Grant { separate }` is
    /// 单独同意; `by_guardian` for under-14s. A subject has one consent per purpose: a new
    /// grant replaces the old one. Withdraw with [`ConsentChange::Withdraw`]; processing that
    /// needs the consent stops at once. Undeclared purposes are refused (and are not written
    /// to the ledger).
    pub fn change_consent(
        &self,
        scope: &impl TenantScoped,
        subject: &SubjectId,
        purpose: &PurposeId,
        change: ConsentChange,
    ) -> Result<(), CoreError> {
        let tenant = scope.tenant();
        self.act(|a| {
            let (ts, (info, _), consents) = a.subject(tenant, subject)?;
            a.set_service(&ts.manifest, scope.acting_service());
            let kind = match change {
                ConsentChange::Grant { .. } => EntryKind::ConsentGrant,
                ConsentChange::Withdraw => EntryKind::ConsentWithdraw,
            };
            let facts = a.facts(tenant, &ts).about(&info, &consents);
            let declared =
                match decision::decide_consent(&facts, scope.acting_service(), purpose, change)
                    .into_result()
                {
                    Ok(g) => g.purpose().clone(),
                    Err(reasons) => {
                        if reasons
                            .iter()
                            .any(|r| r.code == decision::ReasonCode::SubjectErased)
                        {
                            return Err(CoreError::Conflict(format!(
                                "subject `{subject}` was erased"
                            )));
                        }
                        return a.refuse(kind, reasons, |_| {});
                    }
                };
            a.set_purpose(&ts.manifest, &declared);
            let now = a.now();
            let mut e = a.entry(kind, LedgerDecision::Allow);
            let record = match change {
                ConsentChange::Grant {
                    separate,
                    by_guardian,
                } => {
                    e.reason = grant_reason(separate, by_guardian);
                    Change::Consent {
                        tenant: tenant.clone(),
                        subject: subject.clone(),
                        consent: Consent {
                            purpose: declared.clone(),
                            notice_version: ts.manifest.notice_version.clone(),
                            granted_at: now,
                            withdrawn_at: None,
                            separate,
                            by_guardian,
                        },
                    }
                }
                ConsentChange::Withdraw => Change::Withdraw {
                    tenant: tenant.clone(),
                    subject: subject.clone(),
                    purpose: declared.clone(),
                    at: now,
                },
            };
            a.commit(record, vec![e])?;
            Ok(())
        })
    }

    /// A subject's consents.
    pub fn consents(
        &self,
        scope: &impl TenantScoped,
        subject: &SubjectId,
    ) -> Result<Vec<Consent>, CoreError> {
        let (_, consents) = self.subject_and_consents(scope.tenant(), subject)?;
        // An answer to a client: what it shows is on disk.
        self.store.settle().map_err(store_err)?;
        Ok(consents)
    }
}

/// A grant entry's reason: the kind of consent given.
pub(super) fn grant_reason(separate: bool, by_guardian: bool) -> Option<Id> {
    Id::new(match (separate, by_guardian) {
        (true, true) => "separate_by_guardian",
        (true, false) => "separate",
        (false, true) => "by_guardian",
        (false, false) => "general",
    })
    .ok()
}
