//! Subjects as collects last read them, so that the next collect on a subject need not read it
//! from the store again.
//!
//! A collect decides on its subject's row, consents and wrapped key, and commits only while the
//! subject is at the version it read ([`Change::Checked`]) and its wrapped key is the one it
//! sealed under (the collect's key check): a copy kept here is therefore never acted on once the
//! store has moved on — the commit is refused as stale, the copy forgotten, the act decided again
//! on a fresh read. So only collects read through this cache: every commit of theirs, a refusal
//! included, is checked. What this process changes itself it forgets before committing, so the
//! next collect on that subject is not stale for nothing.
//!
//! It holds no PI: a subject's jurisdiction, flags, role, hold, consents and its key as wrapped
//! under the key holder's epoch (never a data key in the clear).

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

use crate::ids::{Epoch, SubjectId, TenantId};
use crate::store::{Change, Store, StoreError, SubjectVersion, SubjectWithConsents};

/// Subjects kept at most; past it the cache starts again empty (about 8 MiB at a few hundred
/// bytes a subject).
const CAPACITY: usize = 16_384;

/// The cache: subjects by tenant and id.
#[derive(Default)]
pub(crate) struct SubjectCache {
    kept: Mutex<Kept>,
}

/// Subjects by tenant, then id (looked up without building a key), and how many.
#[derive(Default)]
struct Kept {
    tenants: HashMap<TenantId, HashMap<SubjectId, SubjectWithConsents>>,
    len: usize,
}

impl SubjectCache {
    fn kept(&self) -> MutexGuard<'_, Kept> {
        // Consistent after any panic: each call is one change of the maps and the count.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A subject as last read, if kept.
    pub(crate) fn get(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Option<SubjectWithConsents> {
        self.kept().tenants.get(tenant)?.get(subject).cloned()
    }

    /// Keeps a subject as just read from the store.
    pub(crate) fn put(&self, tenant: &TenantId, subject: &SubjectId, read: &SubjectWithConsents) {
        let read = read.clone();
        let full = {
            let mut kept = self.kept();
            let full = (kept.len >= CAPACITY).then(|| std::mem::take(&mut *kept));
            let subjects = match kept.tenants.get_mut(tenant) {
                Some(subjects) => subjects,
                None => kept.tenants.entry(tenant.clone()).or_default(),
            };
            if subjects.insert(subject.clone(), read).is_none() {
                kept.len += 1;
            }
            full
        };
        // A full cache is dropped outside the lock.
        drop(full);
    }

    /// Forgets a subject.
    pub(crate) fn forget(&self, tenant: &TenantId, subject: &SubjectId) {
        let mut kept = self.kept();
        let gone = kept
            .tenants
            .get_mut(tenant)
            .and_then(|subjects| subjects.remove(subject));
        if gone.is_some() {
            kept.len -= 1;
        }
    }

    /// Forgets every subject whose key is wrapped under `epoch` (a key of that epoch did not
    /// open: the holder may have destroyed it).
    pub(crate) fn forget_epoch(&self, epoch: Epoch) {
        let mut kept = self.kept();
        let mut gone = 0;
        for subjects in kept.tenants.values_mut() {
            subjects.retain(|_, ((_, key), _)| {
                let keep = key.as_ref().is_none_or(|k| k.epoch != epoch);
                gone += usize::from(!keep);
                keep
            });
        }
        kept.len -= gone;
    }

    /// Forgets every subject.
    pub(crate) fn clear(&self) {
        let all = std::mem::take(&mut *self.kept());
        drop(all);
    }

    /// Forgets what `change` is about to change: the subject whose row, consents or key it
    /// changes (the changes that give a subject a fresh version), every subject for a change of the
    /// key hierarchy (wrapped keys change without a version).
    pub(crate) fn changing(&self, change: &Change) {
        match change.inner() {
            Change::Consent {
                tenant, subject, ..
            }
            | Change::Withdraw {
                tenant, subject, ..
            }
            | Change::SetHold {
                tenant, subject, ..
            }
            | Change::AssignRole {
                tenant, subject, ..
            }
            | Change::Rekey {
                tenant, subject, ..
            }
            | Change::Erase { tenant, subject } => self.forget(tenant, subject),
            Change::StoreActsRecorded { erasures, .. } => {
                for (tenant, subject) in erasures {
                    self.forget(tenant, subject);
                }
            }
            Change::BeginEpoch { .. } | Change::Rewrap(_) | Change::RetireEpoch { .. } => {
                self.clear();
            }
            _ => {}
        }
    }

    /// Before a commit: forgets what `change` changes ([`SubjectCache::changing`]) and gives
    /// the subjects it is checked against, for [`SubjectCache::answered`].
    pub(crate) fn committing(&self, change: &Change) -> Vec<SubjectVersion> {
        self.changing(change);
        checked_subjects(change).to_vec()
    }

    /// After a commit: a change refused as stale forgets the subjects it was checked against
    /// (one of them moved).
    pub(crate) fn answered<T>(&self, answer: &Result<T, StoreError>, checked: &[SubjectVersion]) {
        if let Err(StoreError::Stale) = answer {
            for (tenant, subject, _) in checked {
                self.forget(tenant, subject);
            }
        }
    }

    /// Reads subjects of a tenant, those kept here from the cache and the others from `store`
    /// (kept here once read): each read subject (`None`: not found), and the ones that came
    /// from the cache.
    pub(crate) fn read(
        &self,
        store: &dyn Store,
        tenant: &TenantId,
        subjects: Vec<SubjectId>,
    ) -> Result<Read, StoreError> {
        let mut found = HashMap::with_capacity(subjects.len());
        let mut hits = HashSet::new();
        let missing: Vec<SubjectId> = subjects
            .into_iter()
            .filter(|s| match self.get(tenant, s) {
                Some(hit) => {
                    hits.insert(s.clone());
                    found.insert(s.clone(), Some(hit));
                    false
                }
                None => true,
            })
            .collect();
        if !missing.is_empty() {
            let read = store.subjects_and_consents(tenant, &missing)?;
            for (s, r) in missing.into_iter().zip(read) {
                if let Some(r) = &r {
                    self.put(tenant, &s, r);
                }
                found.insert(s, r);
            }
        }
        Ok((found, hits))
    }
}

/// Subjects read (`None`: not found), and those of them taken from the cache.
pub(crate) type Read = (
    HashMap<SubjectId, Option<SubjectWithConsents>>,
    HashSet<SubjectId>,
);

/// The subjects `change` is checked against, under any wrapper.
fn checked_subjects(change: &Change) -> &[SubjectVersion] {
    match change {
        Change::Checked { subjects, .. } => subjects,
        Change::Idempotent { change, .. } => checked_subjects(change),
        _ => &[],
    }
}
