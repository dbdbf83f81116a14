//! How bulk acts run: rounds of items, each replayed or planned into a job, the round's jobs
//! committed together; and one item run deferred, on the caller's thread.

use custodian_ledger::Entry;

use super::act::{Act, Deferred};
use super::idempotency::{Keyed, Replay, keyed_hash, replayed};
use super::{Vault, store_err};
use crate::decision::Reason;
use crate::error::CoreError;
use crate::ids::{ServiceName, SubjectId, TenantId};
use crate::store::{Change, IdempotencyRecord, StoreError};

use super::batch::MAX_BATCH_ITEMS;

/// Rounds a bulk call runs: an item whose tokens collided or whose configuration changed under
/// it is decided again in the next round.
const ROUNDS: usize = 5;

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
                self.refresh_if_changed()?;
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
        let records = match asked.is_empty() {
            true => Vec::new(),
            false => self
                .store
                .idempotency_many(tenant, &asked)
                .map_err(store_err)?,
        };
        let replays = records.iter().any(Option::is_some);
        let mut records = records.into_iter();
        let ids: Vec<SubjectId> = pending.iter().filter_map(|&i| subject(i)).collect();
        if !ids.is_empty() {
            // Collects read through the subject cache: each of their commits is checked
            // against the subject as read (`Act::checked`), a refusal's included. Not a round
            // with a replay: it is answered without a commit to check.
            let cached = kind == "collect" && !replays;
            a.prefetch(tenant, ids, cached)?;
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
                    let change = a.checked(change);
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

    /// As [`Vault::run_batch`] for one item without an idempotency key, run on the caller's
    /// thread ([`Vault::act_deferred`]): its job handed to the store, its answer given once the
    /// job is committed; `None` for a keyed item. A token collision, an idempotency key used meanwhile or a changed
    /// configuration finishes as [`CoreError::Stale`] with nothing recorded for the item: run it
    /// the blocking way.
    pub(super) fn run_one_deferred<T: Replay>(
        &self,
        ids: (&TenantId, Option<&ServiceName>, &str),
        request: impl Fn(usize) -> Option<(String, Vec<Vec<u8>>)>,
        subject: impl Fn(usize) -> Option<SubjectId>,
        still: impl Fn(&mut Act<'_>, usize, &T) -> Result<(), CoreError>,
        mut plan: impl FnMut(&mut Act<'_>, usize) -> Result<Planned<T>, CoreError>,
    ) -> Option<Deferred<T>> {
        // A keyed item may be a replay, whose answer waits for the disk (the stored result must
        // be durable before it is given again): not on an async task's thread.
        if request(0).is_some() {
            return None;
        }
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
}
