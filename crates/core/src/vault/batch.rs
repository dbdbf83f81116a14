//! Bulk acts: up to [`MAX_BATCH_ITEMS`] items in one call, each decided and recorded on its own
//! (partial success is normal), their jobs handed to the store together so they share commits.
//! An item may carry an idempotency key: its result is stored with its change, in the same
//! transaction, and a retry with the same key and request gets that result back instead of
//! being carried out again (the same key with another request is refused).

use custodian_ledger::{Decision as LedgerDecision, Entry, EntryKind, Id};

use super::act::{Act, Deferred};
use super::idempotency::{Keyed, Replay, keyed_hash, replayed};
use super::subjects::Registration;
use super::values::{Collected, seal_grants};
use super::{Vault, store_err};
use crate::access::{ServiceScope, TenantScoped};
use crate::crypto::DataKey;
use crate::decision::{self, CollectGrant, ConsentChange, Reason, ReasonCode};
use crate::error::CoreError;
use crate::ids::{
    FieldName, Jurisdiction, PurposeId, ServiceName, SubjectId, SubjectRole, TenantId,
};
use crate::store::{Change, IdempotencyRecord, StoreError};
use crate::subject::Consent;

/// Most items one bulk call takes.
pub const MAX_BATCH_ITEMS: usize = 1000;

/// Rounds a bulk call runs: an item whose tokens collided or whose configuration changed under
/// it is decided again in the next round.
const ROUNDS: usize = 5;

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

/// What deciding one item gave.
pub(super) enum Planned<T> {
    /// A job to commit, and what the item answers once it has committed (a denial answers
    /// with its reasons once its entry is recorded).
    Job {
        change: Change,
        entries: Vec<Entry>,
        outcome: Result<T, Vec<Reason>>,
    },
}

impl Vault {
    /// Runs a bulk act: `plan` decides item `i` (in an act, with the order table held) into a
    /// job or an answer; `request` gives an item's idempotency key and the bytes that identify
    /// its request; `still` checks that a replayed item's result (given) still stands (a collect's
    /// subject not erased since). Jobs of a round are committed together.
    pub(super) fn run_batch<T: Replay>(
        &self,
        (tenant, service, kind): (&TenantId, Option<&ServiceName>, &str),
        n: usize,
        request: impl Fn(usize) -> Option<(String, Vec<Vec<u8>>)>,
        subject: impl Fn(usize) -> Option<SubjectId>,
        still: impl Fn(&mut Act<'_>, usize, &T) -> Result<(), CoreError>,
        mut plan: impl FnMut(&mut Act<'_>, usize) -> Result<Planned<T>, CoreError>,
    ) -> Result<Vec<Result<T, CoreError>>, CoreError> {
        if n > MAX_BATCH_ITEMS {
            return Err(CoreError::Invalid(format!(
                "a batch takes at most {MAX_BATCH_ITEMS} items; this one has {n}"
            )));
        }
        let mut out: Vec<Option<Result<T, CoreError>>> = (0..n).map(|_| None).collect();
        let mut pending: Vec<usize> = (0..n).collect();
        for _ in 0..ROUNDS {
            if pending.is_empty() {
                break;
            }
            let (again, stale) = self.act(|a| {
                let (jobs, waiting) = self.plan_round(
                    a,
                    (tenant, service, kind),
                    &pending,
                    (&request, &subject, &still),
                    &mut plan,
                    &mut out,
                )?;
                let mut again = Vec::new();
                let mut stale = false;
                for (r, (i, outcome, keyed)) in a.commit_many(jobs).into_iter().zip(waiting) {
                    out[i] = match (r, outcome) {
                        (Ok(_), outcome) => Some(outcome.map_err(CoreError::Denied)),
                        (Err(StoreError::TokenConflict), _) => {
                            again.push(i);
                            None
                        }
                        (Err(StoreError::Stale), _) => {
                            stale = true;
                            again.push(i);
                            None
                        }
                        (Err(StoreError::KeyUsed), _) => {
                            // A concurrent retry with the same key committed first.
                            let k = keyed
                                .as_ref()
                                .ok_or_else(|| CoreError::Store("key used without a key".into()))?;
                            match self.store.idempotency(tenant, &k.key).map_err(store_err)? {
                                Some(rec) => Some(replayed(&rec, k)),
                                None => {
                                    Some(Err(CoreError::Store("idempotency record missing".into())))
                                }
                            }
                        }
                        (Err(e), _) => Some(Err(store_err(e))),
                    };
                }
                Ok((again, stale))
            })?;
            if stale {
                self.refresh()?;
            }
            pending = again;
        }
        Ok(out
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|| {
                    Err(CoreError::Store(format!(
                        "not done after {ROUNDS} rounds (tokens kept colliding or the cell kept changing); retry"
                    )))
                })
            })
            .collect())
    }

    /// One round of a bulk act, in an act: the round's reads at once (its idempotency records
    /// and its subjects), then each pending item replayed (its answer into `out`) or planned
    /// into a job; the jobs with, for each, its item, outcome and key.
    #[expect(
        clippy::type_complexity,
        reason = "the round's jobs and their items, consumed at once by the two callers"
    )]
    fn plan_round<T: Replay>(
        &self,
        a: &mut Act<'_>,
        (tenant, service, kind): (&TenantId, Option<&ServiceName>, &str),
        pending: &[usize],
        (request, subject, still): (
            &dyn Fn(usize) -> Option<(String, Vec<Vec<u8>>)>,
            &dyn Fn(usize) -> Option<SubjectId>,
            &dyn Fn(&mut Act<'_>, usize, &T) -> Result<(), CoreError>,
        ),
        plan: &mut dyn FnMut(&mut Act<'_>, usize) -> Result<Planned<T>, CoreError>,
        out: &mut [Option<Result<T, CoreError>>],
    ) -> Result<
        (
            Vec<(Change, Vec<Entry>)>,
            Vec<(usize, Result<T, Vec<Reason>>, Option<Keyed>)>,
        ),
        CoreError,
    > {
        let ts = a.tenant(tenant)?;
        let service = service.map_or(&b""[..], |s| s.as_str().as_bytes());
        let keyed: Vec<Option<Keyed>> = pending
            .iter()
            .map(|&i| {
                request(i).map(|(key, parts)| {
                    let mut fp: Vec<&[u8]> = vec![b"idempotency-request", kind.as_bytes(), service];
                    fp.extend(parts.iter().map(Vec::as_slice));
                    Keyed {
                        key: keyed_hash(
                            &ts.key,
                            &[b"idempotency-key", kind.as_bytes(), service, key.as_bytes()],
                        ),
                        fingerprint: keyed_hash(&ts.key, &fp),
                    }
                })
            })
            .collect();
        // The round's reads at once: its keys' records and its subjects.
        let asked: Vec<[u8; 32]> = keyed.iter().flatten().map(|k| k.key).collect();
        let mut records = match asked.is_empty() {
            true => Vec::new(),
            false => self
                .store
                .idempotency_many(tenant, &asked)
                .map_err(store_err)?,
        }
        .into_iter();
        let ids: Vec<SubjectId> = pending.iter().filter_map(|&i| subject(i)).collect();
        if !ids.is_empty() {
            a.prefetch(tenant, ids)?;
        }
        let mut jobs = Vec::new();
        let mut waiting = Vec::new();
        for (&i, keyed) in pending.iter().zip(keyed) {
            a.begin_item();
            let record = keyed.as_ref().and_then(|_| records.next().flatten());
            if let (Some(k), Some(rec)) = (&keyed, record) {
                // A replay answers what was done, if what it was done to still stands.
                out[i] = Some(match replayed::<T>(&rec, k) {
                    Err(e) => Err(e),
                    Ok(done) => match still(a, i, &done) {
                        Err(CoreError::Stale) => return Err(CoreError::Stale),
                        Err(e) => Err(e),
                        Ok(()) => Ok(done),
                    },
                });
                continue;
            }
            match plan(a, i) {
                Err(CoreError::Stale) => return Err(CoreError::Stale),
                Err(e) => out[i] = Some(Err(e)),
                Ok(Planned::Job {
                    change,
                    entries,
                    outcome,
                }) => {
                    let change = match (&keyed, &outcome) {
                        (Some(k), Ok(ok)) => Change::Idempotent {
                            record: IdempotencyRecord {
                                tenant: tenant.clone(),
                                key: k.key,
                                fingerprint: k.fingerprint,
                                result: ok.encode(),
                                created_at: a.now(),
                            },
                            change: Box::new(change),
                        },
                        _ => change,
                    };
                    jobs.push((change, entries));
                    waiting.push((i, outcome, keyed));
                }
            }
        }
        Ok((jobs, waiting))
    }

    /// As [`Vault::run_batch`] for one item, run on the caller's thread
    /// ([`Vault::act_deferred`]): its job handed to the store, its answer given once the job is
    /// committed. A token collision, an idempotency key used meanwhile or a changed
    /// configuration finishes as [`CoreError::Stale`] with nothing recorded for the item: run it
    /// the blocking way.
    pub(super) fn run_one_deferred<T: Replay>(
        &self,
        ids: (&TenantId, Option<&ServiceName>, &str),
        request: impl Fn(usize) -> Option<(String, Vec<Vec<u8>>)>,
        subject: impl Fn(usize) -> Option<SubjectId>,
        still: impl Fn(&mut Act<'_>, usize, &T) -> Result<(), CoreError>,
        mut plan: impl FnMut(&mut Act<'_>, usize) -> Result<Planned<T>, CoreError>,
    ) -> Option<Deferred<'_, T>> {
        self.act_deferred(|a| {
            let mut out = [None];
            let (mut jobs, mut waiting) = self.plan_round(
                a,
                ids,
                &[0],
                (&request, &subject, &still),
                &mut plan,
                &mut out,
            )?;
            match (jobs.pop(), waiting.pop()) {
                (Some((change, entries)), Some((_, outcome, _))) => {
                    a.record(change, entries)?;
                    outcome.map_err(CoreError::Denied)
                }
                _ => {
                    let [answer] = out;
                    answer.unwrap_or_else(|| {
                        Err(CoreError::Store(
                            "the item was neither planned nor answered".into(),
                        ))
                    })
                }
            }
        })
    }

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
    /// the values and their entry are committed. `None`, or a finish in
    /// [`CoreError::Stale`]: call [`Vault::collect_batch`] on a thread that may block.
    pub fn collect_deferred(
        &self,
        scope: &ServiceScope,
        item: &CollectItem<'_>,
    ) -> Option<Deferred<'_, Vec<Collected>>> {
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
        let key = self.subject_key(tenant, &it.subject, wrapped.as_ref())?;
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
        (_, (_, Some(_)), _) => Ok(()),
        (_, (_, None), _) => Err(CoreError::Conflict(format!(
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
