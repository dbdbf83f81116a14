//! The act context: what one act decides under and records with.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use custodian_ledger::{Decision as LedgerDecision, Entry, EntryKind, Id, LeafIndex};

use super::{OrderTable, TenantState, Vault, store_err, tally};
use crate::decision::{Facts, Reason};
use crate::error::CoreError;
use crate::ids::{Epoch, Millis, PurposeId, ServiceName, SubjectId, TenantId};
use crate::manifest::Manifest;
use crate::orders::{self, ActiveOrder};
use crate::store::{
    Change, Committed, Pending, StoreError, SubjectRow, SubjectVersion, SubjectWithConsents,
    ValueRecord, pending,
};
use crate::subject::Consent;

/// One act in progress: the store generation it decides under, the order table it holds (a
/// borrow of the read guard [`Vault::act`] keeps until the act returns, or of the write guard
/// for order submissions), the time, and the ledger entry it is building — prefilled with
/// tenant, subject, service and purpose as the act learns them.
///
/// INVARIANT (declared identifiers): a caller-supplied service or purpose reaches an entry only
/// if the manifest declares it — `set_service` and `set_purpose` look it up and record nothing
/// otherwise; tenants and subjects are set once the act has found them.
pub(crate) struct Act<'a> {
    vault: &'a Vault,
    generation: u64,
    now: Millis,
    table: &'a OrderTable,
    active: Vec<ActiveOrder>,
    tenant: Option<Id>,
    subject: Option<Id>,
    service: Option<Id>,
    purpose: Option<Id>,
    /// The subjects this act (a bulk act: this item) decided on, at the versions read: its
    /// commits are [`Change::Checked`] against them.
    read: RefCell<Vec<SubjectVersion>>,
    /// Subjects a bulk act read at once (`None`: not found), for its `subject` calls.
    prefetched: Option<(TenantId, HashMap<SubjectId, Option<SubjectWithConsents>>)>,
    /// Those of the prefetched subjects that came from the vault's subject cache, not the store.
    from_cache: HashSet<SubjectId>,
    /// In a deferred act ([`Vault::act_deferred`]), the commits [`Act::record`] handed over,
    /// each counted when the store answers it; `None` in an act that commits and waits.
    deferred: RefCell<Option<Vec<Pending>>>,
}

/// A deferred act's outcome and the commits it is waiting for: [`Deferred::finish`] awaits
/// them and gives the outcome only if every one committed (a value read back is never handed
/// out before the entry recording its reading is written).
#[must_use = "the outcome is given only once its commits are awaited"]
pub struct Deferred<T> {
    outcome: Result<T, CoreError>,
    commits: Vec<Pending>,
}

impl<T> Deferred<T> {
    pub(super) fn new(outcome: Result<T, CoreError>, commits: Vec<Pending>) -> Deferred<T> {
        Deferred { outcome, commits }
    }

    /// Awaits the act's commits; the outcome if they all committed, else the first failure.
    /// [`CoreError::Stale`]: the cell's configuration changed under the act, a token collided
    /// or an idempotency key was used meanwhile; nothing was recorded — run the act again the
    /// blocking way (it reloads, decides again, or replays).
    pub async fn finish(self) -> Result<T, CoreError> {
        let mut answers = Vec::with_capacity(self.commits.len());
        for p in self.commits {
            answers.push(p.await);
        }
        settle(self.outcome, answers)
    }

    /// As [`Deferred::finish`], blocking the thread.
    pub fn wait(self) -> Result<T, CoreError> {
        let answers = self.commits.into_iter().map(Pending::wait).collect();
        settle(self.outcome, answers)
    }
}

/// The outcome if every commit committed, else the first failure — an unknown outcome before
/// any other: that commit may have taken effect, so the act is never decided again.
/// A commit refused for a token collision, an idempotency key used meanwhile or a changed
/// configuration recorded nothing: [`CoreError::Stale`], decided again the blocking way.
fn settle<T>(outcome: Result<T, CoreError>, answers: Vec<Committed>) -> Result<T, CoreError> {
    let mut failed: Vec<StoreError> = answers.into_iter().filter_map(Result::err).collect();
    if let Some(i) = failed
        .iter()
        .position(|e| matches!(e, StoreError::OutcomeUnknown(_)))
    {
        return Err(store_err(failed.swap_remove(i)));
    }
    match failed.into_iter().next() {
        Some(StoreError::TokenConflict | StoreError::KeyUsed | StoreError::Stale) => {
            Err(CoreError::Stale)
        }
        Some(e) => Err(store_err(e)),
        None => outcome,
    }
}

impl<'a> Act<'a> {
    pub(super) fn new(vault: &'a Vault, generation: u64, table: &'a OrderTable) -> Act<'a> {
        let now = vault.now();
        Act {
            vault,
            generation,
            now,
            table,
            active: orders::active(&table.orders, now),
            tenant: None,
            subject: None,
            service: None,
            purpose: None,
            read: RefCell::new(Vec::new()),
            prefetched: None,
            from_cache: HashSet::new(),
            deferred: RefCell::new(None),
        }
    }

    /// Makes this act deferred: [`Act::record`] hands its commits over without waiting.
    pub(super) fn defer(&mut self) {
        *self.deferred.get_mut() = Some(Vec::new());
    }

    /// The commits a deferred act handed over.
    pub(super) fn into_commits(self) -> Vec<Pending> {
        self.deferred.into_inner().unwrap_or_default()
    }

    /// Now, fixed for the whole act.
    pub(crate) fn now(&self) -> Millis {
        self.now
    }

    /// The orders in force now.
    pub(crate) fn active(&self) -> &[ActiveOrder] {
        &self.active
    }

    /// The order table: orders, their notes, the pinned and trusted regulator keys.
    pub(crate) fn table(&self) -> &'a OrderTable {
        self.table
    }

    /// A tenant as of the act's generation. A tenant another process created since is a
    /// stale generation: the act is decided again after a reload.
    pub(crate) fn tenant(&self, t: &TenantId) -> Result<Arc<TenantState>, CoreError> {
        if let Some(ts) = self.vault.cached_tenant(t)? {
            return Ok(ts);
        }
        if self.vault.store.generation().map_err(store_err)?
            != self.vault.generation.load(Ordering::Acquire)
        {
            return Err(CoreError::Stale);
        }
        Err(CoreError::NotFound("the tenant was not found".into()))
    }

    /// The act is about one subject of a tenant: the tenant (as of the act's generation), the
    /// subject with its wrapped key and its consents (one store read); entries from now on name
    /// both.
    pub(crate) fn subject(
        &mut self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<(Arc<TenantState>, SubjectRow, Vec<Consent>), CoreError> {
        let ts = self.tenant(tenant)?;
        let read = match &self.prefetched {
            Some((t, read)) if t == tenant => read.get(subject),
            _ => None,
        };
        let (row, consents) = match read {
            Some(Some(found)) => found.clone(),
            Some(None) => return Err(super::subjects::not_found(tenant)),
            None => self.vault.subject_and_consents(tenant, subject)?,
        };
        self.decided_on(&row.0);
        self.set_tenant(tenant);
        self.set_subject(subject);
        Ok((ts, row, consents))
    }

    /// A subject and its consents the act decides on without being about it (a read of
    /// several subjects' values): its entries are not set to name it.
    pub(crate) fn read_subject(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<SubjectWithConsents, CoreError> {
        let read = self.vault.subject_and_consents(tenant, subject)?;
        self.decided_on(&read.0.0);
        Ok(read)
    }

    /// The act records a report, not an act on anyone's PI (an egress check): its commit is not
    /// checked against the subjects it read, so a busy cell's subjects cannot keep it from
    /// being recorded.
    pub(crate) fn report_only(&mut self) {
        self.read.get_mut().clear();
    }

    /// A value that did not open, told apart: [`CoreError::Stale`] if its row or its subject
    /// changed since the act read them (a rectification re-keyed the subject between the act's
    /// reads of the key and of the value: the act is decided again), else `err` (what is stored
    /// is damaged).
    pub(crate) fn unopened(
        &self,
        tenant: &TenantId,
        row: &ValueRecord,
        err: CoreError,
    ) -> CoreError {
        let store = &self.vault.store;
        // A failed re-read is not taken for a change: the integrity error stands.
        let row_moved = match store.value_by_token(tenant, &row.token) {
            Ok(Some(now)) => now.sealed != row.sealed || now.key_version != row.key_version,
            Ok(None) => true,
            Err(_) => false,
        };
        let read = self
            .read
            .borrow()
            .iter()
            .find(|r| &r.0 == tenant && r.1 == row.subject)
            .map(|r| r.2);
        let subject_moved = match (read, store.subject(tenant, &row.subject)) {
            (Some(v), Ok(Some((now, _)))) => now.version != v,
            _ => false,
        };
        if row_moved || subject_moved {
            CoreError::Stale
        } else {
            err
        }
    }

    /// Notes a subject the act decides on, at the version read.
    fn decided_on(&self, info: &crate::subject::SubjectInfo) {
        let mut read = self.read.borrow_mut();
        let known = |r: &SubjectVersion| r.0 == info.tenant && r.1 == info.id;
        if !read.iter().any(known) {
            read.push((info.tenant.clone(), info.id.clone(), info.version));
        }
    }

    /// `change`, checked against the subjects the act (or the bulk act's item) decided on: it
    /// commits only while each is at the version read. A consent's grant or withdrawal is not
    /// checked (it changes the version, so acts decided before it are): a withdrawal always
    /// lands, and a subject's consents given in one bulk call do not make each other stale.
    pub(crate) fn checked(&self, change: Change) -> Change {
        let read = self.read.borrow();
        if read.is_empty()
            || is_checked(&change)
            || matches!(
                change.inner(),
                Change::Consent { .. } | Change::Withdraw { .. }
            )
        {
            return change;
        }
        Change::Checked {
            subjects: read.clone(),
            change: Box::new(change),
        }
    }

    /// Reads these subjects of a tenant in one store call, for the act's later
    /// [`Act::subject`] calls (a bulk act's reads: the same rows, read at once).
    ///
    /// With `cached`, subjects the vault's subject cache holds are taken from it and the others
    /// kept there once read: only for acts all of whose commits are checked against the
    /// subjects read (collects), so that a copy the store has moved past is never acted on —
    /// see the `cache` module.
    pub(crate) fn prefetch(
        &mut self,
        tenant: &TenantId,
        subjects: Vec<SubjectId>,
        cached: bool,
    ) -> Result<(), CoreError> {
        let store = self.vault.store.as_ref();
        let (found, from_cache) = match cached {
            true => self.vault.subject_cache.read(store, tenant, subjects),
            false => store
                .subjects_and_consents(tenant, &subjects)
                .map(|read| (subjects.into_iter().zip(read).collect(), HashSet::new())),
        }
        .map_err(store_err)?;
        self.prefetched = Some((tenant.clone(), found));
        self.from_cache = from_cache;
        Ok(())
    }

    /// If the act took this subject from the vault's subject cache, forgets there every
    /// subject whose key is wrapped under the same epoch and gives [`CoreError::Stale`]: a key
    /// that does not open may be of an epoch the key holder has destroyed since — as may every
    /// key of that epoch kept there —, and the act is decided again on a fresh read.
    pub(crate) fn uncached(&self, subject: &SubjectId, epoch: Epoch) -> Option<CoreError> {
        self.from_cache.contains(subject).then(|| {
            self.vault.subject_cache.forget_epoch(epoch);
            CoreError::Stale
        })
    }

    /// The facts every decision reads, for a tenant (add the subject with `Facts::about`).
    pub(crate) fn facts<'f>(&'f self, tenant: &'f TenantId, ts: &'f TenantState) -> Facts<'f> {
        Facts {
            cell: &self.vault.cfg.jurisdiction,
            tenant,
            manifest: &ts.manifest,
            subject: None,
            consents: &[],
            orders: &self.active,
            now: self.now,
        }
    }

    /// A bulk act's next item: entries name nothing an earlier item set until this one sets
    /// it (a refused item must not name the subject, service or purpose of the one before).
    pub(crate) fn begin_item(&mut self) {
        self.read.get_mut().clear();
        self.tenant = None;
        self.subject = None;
        self.service = None;
        self.purpose = None;
    }

    /// Entries from now on name this tenant.
    pub(crate) fn set_tenant(&mut self, t: &TenantId) {
        self.tenant = Some(t.ledger());
    }

    /// Entries from now on name this subject.
    pub(crate) fn set_subject(&mut self, s: &SubjectId) {
        self.subject = Some(s.ledger());
    }

    /// Entries from now on name this service — if the manifest declares it; otherwise none.
    pub(crate) fn set_service(&mut self, m: &Manifest, s: Option<&ServiceName>) {
        self.service = s.and_then(|s| m.service(s)).map(|s| s.name.ledger());
    }

    /// Entries from now on name this purpose — if the manifest declares it; otherwise none.
    pub(crate) fn set_purpose(&mut self, m: &Manifest, p: &PurposeId) {
        self.purpose = m.purpose(p).map(|p| p.id.ledger());
    }

    /// A ledger entry of this act, prefilled.
    pub(crate) fn entry(&self, kind: EntryKind, decision: LedgerDecision) -> Entry {
        let mut e = Entry::new(kind, self.now, decision);
        e.tenant = self.tenant.clone();
        e.subject = self.subject.clone();
        e.service = self.service.clone();
        e.purpose = self.purpose.clone();
        e
    }

    /// A denial's entry: the first reason's code and the order behind any reason.
    pub(crate) fn denial(&self, kind: EntryKind, reasons: &[Reason]) -> Entry {
        let mut e = self.entry(kind, LedgerDecision::Deny);
        e.reason = reasons.first().and_then(|r| Id::new(r.code.as_str()).ok());
        e.order = reasons
            .iter()
            .find_map(|r| r.order.as_deref())
            .and_then(|o| Id::new(o).ok());
        e
    }

    /// Records a denial (its entry, edited by `edit`) and returns it as the act's error.
    pub(crate) fn refuse<T>(
        &self,
        kind: EntryKind,
        reasons: Vec<Reason>,
        edit: impl FnOnce(&mut Entry),
    ) -> Result<T, CoreError> {
        let mut e = self.denial(kind, &reasons);
        edit(&mut e);
        self.record(Change::Record, vec![e])?;
        Err(CoreError::Denied(reasons))
    }

    /// Commits a change whose ledger indexes the act does not need. In a deferred act it is
    /// handed to the store and the act's outcome waits for it ([`Deferred::finish`]);
    /// otherwise it is committed before this returns.
    pub(crate) fn record(&self, change: Change, entries: Vec<Entry>) -> Result<(), CoreError> {
        let mut deferred = self
            .deferred
            .try_borrow_mut()
            .map_err(|_| CoreError::Store("an act recorded from inside a record".into()))?;
        let change = self.checked(change);
        match deferred.as_mut() {
            Some(commits) => {
                // Counted when the store answers, whether or not anyone awaits it then (a
                // client gone before its answer leaves its acts in the counts).
                let counted = tally::keys(&entries);
                let tally = Arc::clone(&self.vault.tally);
                let cache = Arc::clone(&self.vault.subject_cache);
                let checked = cache.committing(&change);
                let (answer, p) = pending();
                let answer = answer.on_answer(move |r| {
                    if r.is_ok() {
                        tally.add(counted);
                    }
                    cache.answered(r, &checked);
                });
                self.vault
                    .store
                    .submit_at(self.generation, change, entries, answer);
                commits.push(p);
                Ok(())
            }
            None => {
                drop(deferred);
                self.commit(change, entries).map(drop)
            }
        }
    }

    /// Commits a change and its entries under the act's generation.
    pub(crate) fn commit(
        &self,
        change: Change,
        entries: Vec<Entry>,
    ) -> Result<Vec<LeafIndex>, CoreError> {
        self.commit_store(change, entries).map_err(store_err)
    }

    /// Commits several jobs under the act's generation, each on its own (they may share a
    /// transaction); results in order.
    pub(crate) fn commit_many(
        &self,
        jobs: Vec<(Change, Vec<Entry>)>,
    ) -> Vec<Result<Vec<LeafIndex>, StoreError>> {
        if self.is_deferred() {
            return jobs.iter().map(|_| Err(waits_refused())).collect();
        }
        let counted: Vec<_> = jobs.iter().map(|(_, e)| tally::keys(e)).collect();
        let cache = &self.vault.subject_cache;
        let checks: Vec<_> = jobs.iter().map(|(c, _)| cache.committing(c)).collect();
        let results = self.vault.store.commit_many_at(self.generation, jobs);
        for ((r, c), check) in results.iter().zip(counted).zip(&checks) {
            if r.is_ok() {
                self.vault.tally.add(c);
            }
            cache.answered(r, check);
        }
        results
    }

    /// As [`Act::commit`], with the store's own error (to retry a token collision).
    pub(crate) fn commit_store(
        &self,
        change: Change,
        entries: Vec<Entry>,
    ) -> Result<Vec<LeafIndex>, StoreError> {
        if self.is_deferred() {
            return Err(waits_refused());
        }
        let counted = tally::keys(&entries);
        let change = self.checked(change);
        let cache = &self.vault.subject_cache;
        let check = cache.committing(&change);
        let r = self.vault.store.commit_at(self.generation, change, entries);
        cache.answered(&r, &check);
        let idx = r?;
        self.vault.tally.add(counted);
        Ok(idx)
    }

    /// Whether this act is deferred: it runs on an async task's thread, hands its commits
    /// over ([`Act::record`]) and never waits for one here.
    fn is_deferred(&self) -> bool {
        !matches!(self.deferred.try_borrow().as_deref(), Ok(None))
    }
}

/// Whether `change` is checked already, under any wrapper.
fn is_checked(change: &Change) -> bool {
    match change {
        Change::Checked { .. } => true,
        Change::Idempotent { change, .. } => is_checked(change),
        _ => false,
    }
}

/// A deferred act's refusal of a commit it would wait for.
fn waits_refused() -> StoreError {
    StoreError::Backend("an act run on an async task commits only through `Act::record`".into())
}
