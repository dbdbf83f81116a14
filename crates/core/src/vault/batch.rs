//! Bulk acts: up to [`MAX_BATCH_ITEMS`] items in one call, each decided and recorded on its own
//! (partial success is normal), their jobs handed to the store together so they share commits.
//! An item may carry an idempotency key: its result is stored with its change, in the same
//! transaction, and a retry with the same key and request gets that result back instead of
//! being carried out again (the same key with another request is refused).

use custodian_ledger::{Decision as LedgerDecision, Entry, EntryKind, Id};

use super::Vault;
use super::act::{Act, Deferred};
pub(super) use super::rounds::Planned;
use super::subjects::Registration;
use super::values::{Collected, seal_grants};
use crate::access::{ServiceScope, TenantScoped};
use crate::crypto::DataKey;
use crate::decision::{self, CollectGrant, ConsentChange, ReasonCode};
use crate::error::CoreError;
use crate::ids::{FieldName, Jurisdiction, PurposeId, SubjectId, SubjectRole, TenantId};
use crate::store::Change;
use crate::subject::Consent;

/// Most items one bulk call takes.
pub const MAX_BATCH_ITEMS: usize = 1000;

/// One subject to register.
#[derive(Clone, Debug)]
pub struct RegisterItem {
    /// Its jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// Its role (`None`: the manifest's default).
    pub role: Option<SubjectRole>,
    /// Under 14.
    pub minor: bool,
    /// The caller's idempotency key.
    pub idempotency_key: Option<String>,
}

/// One consent to give.
#[derive(Clone, Debug)]
pub struct ConsentItem {
    /// The subject.
    pub subject: SubjectId,
    /// The declared purpose.
    pub purpose: PurposeId,
    /// 单独同意.
    pub separate: bool,
    /// Given by a guardian.
    pub by_guardian: bool,
    /// The caller's idempotency key (a retried grant answers without a second ledger entry).
    pub idempotency_key: Option<String>,
}

/// One subject's values to collect for a purpose.
#[derive(Clone, Debug)]
pub struct CollectItem<'v> {
    /// The subject.
    pub subject: SubjectId,
    /// The purpose.
    pub purpose: PurposeId,
    /// The values (PI: never logged).
    pub values: Vec<(FieldName, &'v str)>,
    /// The caller's idempotency key.
    pub idempotency_key: Option<String>,
}

impl Vault {
    /// Registers subjects, each on its own ([`Vault::register`] is a batch of one).
    pub fn register_batch(
        &self,
        scope: &ServiceScope,
        items: &[RegisterItem],
    ) -> Result<Vec<Result<SubjectId, CoreError>>, CoreError> {
        let tenant = scope.tenant();
        let request = |i: usize| {
            let it = &items[i];
            it.idempotency_key.clone().map(|k| {
                (
                    k,
                    vec![
                        it.jurisdiction.as_str().as_bytes().to_vec(),
                        it.role
                            .as_ref()
                            .map_or(Vec::new(), |r| r.as_str().as_bytes().to_vec()),
                        vec![u8::from(it.minor)],
                    ],
                )
            })
        };
        self.run_batch(
            (tenant, Some(scope.service()), "register"),
            items.len(),
            request,
            |_| None,
            |_, _, _| Ok(()),
            |a, i| {
                let it = &items[i];
                let reg = self.decide_registration(
                    a,
                    scope,
                    &it.jurisdiction,
                    it.role.as_ref(),
                    it.minor,
                )?;
                Ok(match reg {
                    Registration::Refused { entry, reasons } => Planned::Job {
                        change: Change::Record,
                        entries: vec![entry],
                        outcome: Err(reasons),
                    },
                    Registration::Granted {
                        info,
                        wrapped_key,
                        entry,
                        ..
                    } => {
                        let subject = info.id.clone();
                        Planned::Job {
                            change: Change::Register {
                                subject: info,
                                wrapped_key,
                            },
                            entries: vec![entry],
                            outcome: Ok(subject),
                        }
                    }
                })
            },
        )
    }

    /// Gives consents, each on its own (see [`Vault::change_consent`]). Giving the same consent
    /// again renews it (and is recorded again); an item with an idempotency key that was
    /// carried out answers without being carried out again.
    pub fn consent_batch(
        &self,
        scope: &impl TenantScoped,
        items: &[ConsentItem],
    ) -> Result<Vec<Result<(), CoreError>>, CoreError> {
        let tenant = scope.tenant();
        let request = |i: usize| {
            let it: &ConsentItem = &items[i];
            it.idempotency_key.clone().map(|k| {
                (
                    k,
                    vec![
                        it.subject.as_str().as_bytes().to_vec(),
                        it.purpose.as_str().as_bytes().to_vec(),
                        vec![u8::from(it.separate), u8::from(it.by_guardian)],
                    ],
                )
            })
        };
        self.run_batch(
            (tenant, scope.acting_service(), "consent"),
            items.len(),
            request,
            |i| Some(items[i].subject.clone()),
            |a, i, _| live(a, tenant, &items[i].subject),
            |a, i| {
                let it = &items[i];
                let (ts, (info, _), consents) = a.subject(tenant, &it.subject)?;
                a.set_service(&ts.manifest, scope.acting_service());
                let change = ConsentChange::Grant {
                    separate: it.separate,
                    by_guardian: it.by_guardian,
                };
                let facts = a.facts(tenant, &ts).about(&info, &consents);
                let declared = match decision::decide_consent(
                    &facts,
                    scope.acting_service(),
                    &it.purpose,
                    change,
                )
                .into_result()
                {
                    Ok(g) => g.purpose().clone(),
                    Err(reasons) => {
                        let e = a.denial(EntryKind::ConsentGrant, &reasons);
                        return Ok(Planned::Job {
                            change: Change::Record,
                            entries: vec![e],
                            outcome: Err(reasons),
                        });
                    }
                };
                a.set_purpose(&ts.manifest, &declared);
                let mut e = a.entry(EntryKind::ConsentGrant, LedgerDecision::Allow);
                e.reason = super::consents::grant_reason(it.separate, it.by_guardian);
                let consent = Consent {
                    purpose: declared,
                    notice_version: ts.manifest.notice_version.clone(),
                    granted_at: a.now(),
                    withdrawn_at: None,
                    separate: it.separate,
                    by_guardian: it.by_guardian,
                };
                let change = Change::Consent {
                    tenant: tenant.clone(),
                    subject: it.subject.clone(),
                    consent,
                };
                Ok(Planned::Job {
                    change,
                    entries: vec![e],
                    outcome: Ok(()),
                })
            },
        )
    }

    /// Collects values, each item on its own and all or nothing within an item
    /// ([`Vault::collect`] is a batch of one).
    pub fn collect_batch(
        &self,
        scope: &ServiceScope,
        items: &[CollectItem<'_>],
    ) -> Result<Vec<Result<Vec<Collected>, CoreError>>, CoreError> {
        let tenant = scope.tenant();
        self.run_batch(
            (tenant, Some(scope.service()), "collect"),
            items.len(),
            |i| collect_request(&items[i]),
            |i| Some(items[i].subject.clone()),
            |a, i, _| live(a, tenant, &items[i].subject),
            |a, i| self.plan_collect(a, scope, &items[i]),
        )
    }

    /// As one item of [`Vault::collect_batch`], run on the caller's thread (an async task's)
    /// with its job handed to the store: await [`Deferred::finish`] for the tokens, given once
    /// the values and their entry are committed. `None` (also for an item with an idempotency
    /// key, which may be a replay), or a finish in [`CoreError::Stale`]: call
    /// [`Vault::collect_batch`] on a thread that may block.
    pub fn collect_deferred(
        &self,
        scope: &ServiceScope,
        item: &CollectItem<'_>,
    ) -> Option<Deferred<Vec<Collected>>> {
        let tenant = scope.tenant();
        self.run_one_deferred(
            (tenant, Some(scope.service()), "collect"),
            |_| collect_request(item),
            |_| Some(item.subject.clone()),
            |a, _, _| live(a, tenant, &item.subject),
            |a, _| self.plan_collect(a, scope, item),
        )
    }

    /// Decides one collect into its job: the values sealed, or the refusal recorded.
    fn plan_collect(
        &self,
        a: &mut Act<'_>,
        scope: &ServiceScope,
        it: &CollectItem<'_>,
    ) -> Result<Planned<Vec<Collected>>, CoreError> {
        let tenant = scope.tenant();
        let (ts, (info, wrapped), consents) = a.subject(tenant, &it.subject)?;
        a.set_service(&ts.manifest, Some(scope.service()));
        a.set_purpose(&ts.manifest, &it.purpose);
        let facts = a.facts(tenant, &ts).about(&info, &consents);
        let grants = match self.collect_grants(&facts, scope, &it.purpose, &it.values) {
            Ok(g) => g,
            Err((reasons, fields)) => {
                let mut e = a.denial(EntryKind::Collect, &reasons);
                e.fields = fields;
                return Ok(Planned::Job {
                    change: Change::Record,
                    entries: vec![e],
                    outcome: Err(reasons),
                });
            }
        };
        let key = self
            .subject_key(tenant, &it.subject, wrapped.as_ref())
            .map_err(|e| {
                let epoch = wrapped.as_ref().map(|w| w.epoch);
                epoch
                    .and_then(|ep| a.uncached(&it.subject, ep))
                    .unwrap_or(e)
            })?;
        let (change, entry, out) = collect_job(a, &ts, &grants, &key, wrapped.as_ref())?;
        Ok(Planned::Job {
            change,
            entries: vec![entry],
            outcome: Ok(out),
        })
    }
}

/// A collect's idempotency key and the bytes that identify its request.
fn collect_request(it: &CollectItem<'_>) -> Option<(String, Vec<Vec<u8>>)> {
    it.idempotency_key.clone().map(|k| {
        let mut parts = vec![
            it.subject.as_str().as_bytes().to_vec(),
            it.purpose.as_str().as_bytes().to_vec(),
        ];
        for (f, v) in &it.values {
            parts.push(f.as_str().as_bytes().to_vec());
            parts.push(v.as_bytes().to_vec());
        }
        (k, parts)
    })
}

/// A granted collect's job: its values sealed with fresh tokens (a collision is retried by the
/// caller), the change that stores them with the subject's key as the act read it, the entry,
/// and what the caller is answered.
fn collect_job(
    a: &Act<'_>,
    ts: &super::TenantState,
    grants: &[(CollectGrant<'_>, &str)],
    key: &DataKey,
    wrapped: Option<&crate::store::WrappedKey>,
) -> Result<(Change, Entry, Vec<Collected>), CoreError> {
    let (records, out) = seal_grants(ts, grants, key, a.now())?;
    let e = collect_entry(a, grants, &records);
    let change = Change::Collect {
        values: records,
        key: wrapped.map(|w| w.blob.clone()),
    };
    Ok((change, e, out))
}

/// A granted collect's entry: its fields, its values' tokens, and whether undeclared PI was
/// flagged in free text.
pub(super) fn collect_entry(
    a: &Act<'_>,
    grants: &[(CollectGrant<'_>, &str)],
    records: &[crate::store::ValueRecord],
) -> Entry {
    let mut e = a.entry(EntryKind::Collect, LedgerDecision::Allow);
    e.fields = grants
        .iter()
        .map(|(g, _)| g.field().name.ledger())
        .collect();
    e.tokens = records.iter().map(|r| r.token.ledger()).collect();
    if grants.iter().any(|(g, _)| !g.flagged().is_empty()) {
        e.reason = Id::new(ReasonCode::UndeclaredPiFlagged.as_str()).ok();
    }
    e
}

/// A replayed item's subject still stands: not erased since (its tokens would lead nowhere).
pub(super) fn live(
    a: &mut Act<'_>,
    tenant: &TenantId,
    subject: &SubjectId,
) -> Result<(), CoreError> {
    match a.subject(tenant, subject)? {
        (_, (info, Some(_)), _) if !info.erased => Ok(()),
        _ => Err(CoreError::Conflict(format!(
            "subject `{subject}` was erased; its values are gone"
        ))),
    }
}

/// The one result of a one-item batch (the single acts are one-item batches).
pub(super) fn only<T>(results: Vec<Result<T, CoreError>>) -> Result<T, CoreError> {
    results
        .into_iter()
        .next()
        .unwrap_or_else(|| Err(CoreError::Store("a batch of one answered nothing".into())))
}
