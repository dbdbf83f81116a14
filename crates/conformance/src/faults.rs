//! A backend made to fail on demand, to reach the paths a real cell takes rarely: a token drawn
//! twice, a value collected again while a retention sweep destroys it. A format-preserving mobile token is one of 3·10⁹, so a tenant of ten million phones
//! sees about one collect in three hundred collide.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use custodian_core::ids::{Epoch, OrgCode, SubjectId, TenantId};
use custodian_core::requests::RequestRecord;
use custodian_core::store::{
    Answer, ApiKeyRecord, EpochRecord, IdempotencyRecord, LedgerHead, StoreStats, SubjectRow,
    SubjectWithConsents, TenantRecord, ValueRecord,
};
use custodian_core::subject::Consent;
use custodian_core::transfers::{Counts, TransferBasis};
use custodian_core::{Change, StoreError};
use custodian_ledger::{Entry, Hash, LeafIndex, NodeId};

use crate::*;

/// A backend whose next collects collide: each of the next [`Colliding::arm`]ed
/// `Change::Collect`s has its first value's token replaced by one an earlier collect stored,
/// so the backend itself refuses it as taken (and stores nothing of it). Everything else
/// passes through untouched.
pub struct Colliding {
    inner: Arc<dyn Store>,
    armed: AtomicUsize,
    /// Collects made to collide so far.
    fired: AtomicUsize,
    /// A token the backend holds: the first of the last collect let through.
    taken: Mutex<Option<Token>>,
    /// Run once, right after the next listing of expired values.
    after_listing: Mutex<Option<Box<dyn FnOnce() + Send>>>,
    /// Run once, right after the next read of a value by its token.
    after_value_read: Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

impl Colliding {
    /// `inner`, not armed.
    pub fn new(inner: Arc<dyn Store>) -> Colliding {
        Colliding {
            inner,
            armed: AtomicUsize::new(0),
            fired: AtomicUsize::new(0),
            taken: Mutex::new(None),
            after_listing: Mutex::new(None),
            after_value_read: Mutex::new(None),
        }
    }

    /// Makes the next `n` collects collide.
    pub fn arm(&self, n: usize) {
        self.armed.store(n, Ordering::SeqCst);
    }

    /// Runs `f` once, right after the next listing of expired values (what a retention sweep
    /// reads before it destroys them).
    pub fn after_listing(&self, f: impl FnOnce() + Send + 'static) {
        *self
            .after_listing
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Box::new(f));
    }

    /// Runs `f` once, right after the next read of a value by its token (what a read of
    /// values reads before its subject's key).
    pub fn after_value_read(&self, f: impl FnOnce() + Send + 'static) {
        *self
            .after_value_read
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Box::new(f));
    }

    /// How many collects were made to collide so far.
    pub fn fired(&self) -> usize {
        self.fired.load(Ordering::SeqCst)
    }

    /// The change as the backend gets it.
    fn twist(&self, mut change: Change) -> Change {
        let collect = match &mut change {
            Change::Checked { change, .. } => change.as_mut(),
            change => change,
        };
        if let Change::Collect { values, .. } = collect
            && let Some(first) = values.first_mut()
        {
            let mut taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
            let fire = self
                .armed
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            match (fire, taken.as_ref()) {
                (true, Some(t)) => {
                    first.token = t.clone();
                    self.fired.fetch_add(1, Ordering::SeqCst);
                }
                _ => *taken = Some(first.token.clone()),
            }
        }
        change
    }
}

impl Store for Colliding {
    fn commit(&self, change: Change, entries: Vec<Entry>) -> Result<Vec<LeafIndex>, StoreError> {
        self.inner.commit(self.twist(change), entries)
    }
    fn generation(&self) -> Result<u64, StoreError> {
        self.inner.generation()
    }
    fn commit_at(
        &self,
        generation: u64,
        change: Change,
        entries: Vec<Entry>,
    ) -> Result<Vec<LeafIndex>, StoreError> {
        self.inner
            .commit_at(generation, self.twist(change), entries)
    }
    fn commit_many_at(
        &self,
        generation: u64,
        jobs: Vec<(Change, Vec<Entry>)>,
    ) -> Vec<Result<Vec<LeafIndex>, StoreError>> {
        let jobs = jobs.into_iter().map(|(c, e)| (self.twist(c), e)).collect();
        self.inner.commit_many_at(generation, jobs)
    }
    fn submit_at(&self, generation: u64, change: Change, entries: Vec<Entry>, answer: Answer) {
        self.inner
            .submit_at(generation, self.twist(change), entries, answer);
    }
    fn reads_inline(&self) -> bool {
        self.inner.reads_inline()
    }
    fn idempotency(
        &self,
        tenant: &TenantId,
        key: &[u8; 32],
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        self.inner.idempotency(tenant, key)
    }
    fn idempotency_many(
        &self,
        tenant: &TenantId,
        keys: &[[u8; 32]],
    ) -> Result<Vec<Option<IdempotencyRecord>>, StoreError> {
        self.inner.idempotency_many(tenant, keys)
    }
    fn tenants(&self) -> Result<Vec<TenantRecord>, StoreError> {
        self.inner.tenants()
    }
    fn subject(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Option<SubjectRow>, StoreError> {
        self.inner.subject(tenant, subject)
    }
    fn consents(&self, tenant: &TenantId, subject: &SubjectId) -> Result<Vec<Consent>, StoreError> {
        self.inner.consents(tenant, subject)
    }
    fn subject_and_consents(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Option<(SubjectRow, Vec<Consent>)>, StoreError> {
        self.inner.subject_and_consents(tenant, subject)
    }
    fn subjects_and_consents(
        &self,
        tenant: &TenantId,
        subjects: &[SubjectId],
    ) -> Result<Vec<Option<SubjectWithConsents>>, StoreError> {
        self.inner.subjects_and_consents(tenant, subjects)
    }
    fn value_by_token(
        &self,
        tenant: &TenantId,
        token: &Token,
    ) -> Result<Option<ValueRecord>, StoreError> {
        let r = self.inner.value_by_token(tenant, token);
        let hook = self
            .after_value_read
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(f) = hook {
            f();
        }
        r
    }
    fn tokens_by_blind_index(
        &self,
        tenant: &TenantId,
        field: &FieldName,
        index: &str,
    ) -> Result<Vec<Token>, StoreError> {
        self.inner.tokens_by_blind_index(tenant, field, index)
    }
    fn blind_index_hits(
        &self,
        tenant: &TenantId,
        field: &FieldName,
        indexes: &[String],
    ) -> Result<Vec<(String, Token)>, StoreError> {
        self.inner.blind_index_hits(tenant, field, indexes)
    }
    fn subject_values(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Vec<ValueRecord>, StoreError> {
        self.inner.subject_values(tenant, subject)
    }
    fn ledger_head(&self) -> Result<LedgerHead, StoreError> {
        self.inner.ledger_head()
    }
    fn ledger_node(&self, id: NodeId) -> Result<Option<Hash>, StoreError> {
        self.inner.ledger_node(id)
    }
    fn api_key(&self, hash: &[u8; 32]) -> Result<Option<ApiKeyRecord>, StoreError> {
        self.inner.api_key(hash)
    }
    fn api_keys(&self) -> Result<Vec<ApiKeyRecord>, StoreError> {
        self.inner.api_keys()
    }
    fn expired_values(
        &self,
        tenant: &TenantId,
        field: &FieldName,
        before: i64,
        limit: usize,
    ) -> Result<Vec<ValueRecord>, StoreError> {
        let listed = self.inner.expired_values(tenant, field, before, limit);
        let hook = self
            .after_listing
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(f) = hook {
            f();
        }
        listed
    }
    fn requests(&self, tenant: Option<&TenantId>) -> Result<Vec<RequestRecord>, StoreError> {
        self.inner.requests(tenant)
    }
    fn epochs(&self) -> Result<Vec<EpochRecord>, StoreError> {
        self.inner.epochs()
    }
    fn key_counts(&self) -> Result<Vec<(Epoch, u64)>, StoreError> {
        self.inner.key_counts()
    }
    fn keys_before(
        &self,
        epoch: Epoch,
        limit: usize,
    ) -> Result<Vec<(TenantId, SubjectId, custodian_core::store::WrappedKey)>, StoreError> {
        self.inner.keys_before(epoch, limit)
    }
    fn orders(&self) -> Result<Vec<String>, StoreError> {
        self.inner.orders()
    }
    fn transfer_bases(&self, tenant: &TenantId) -> Result<Vec<TransferBasis>, StoreError> {
        self.inner.transfer_bases(tenant)
    }
    fn transfer_counts(&self, organisation: &OrgCode, year: i32) -> Result<Counts, StoreError> {
        self.inner.transfer_counts(organisation, year)
    }
    fn transferred(
        &self,
        organisation: &OrgCode,
        year: i32,
        tenant: &TenantId,
        subjects: &[SubjectId],
    ) -> Result<Vec<(SubjectId, bool)>, StoreError> {
        self.inner.transferred(organisation, year, tenant, subjects)
    }
    fn pinned_keys(&self) -> Result<Vec<(u64, String)>, StoreError> {
        self.inner.pinned_keys()
    }
    fn received(&self, leaf: &str) -> Result<Option<(TenantId, SubjectId)>, StoreError> {
        self.inner.received(leaf)
    }
    fn snapshot(&self, out: &Path) -> Result<u64, StoreError> {
        self.inner.snapshot(out)
    }
    fn subject_entries(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
        self.inner.subject_entries(tenant, subject)
    }
    fn ledger_entries(&self, from: u64, to: u64) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
        self.inner.ledger_entries(from, to)
    }
    fn ping(&self) -> Result<(), StoreError> {
        self.inner.ping()
    }
    fn stats(&self) -> StoreStats {
        self.inner.stats()
    }
    fn settle(&self) -> Result<(), StoreError> {
        self.inner.settle()
    }
    fn exclusive(&self) -> bool {
        self.inner.exclusive()
    }
}

/// A collect whose token the backend finds taken stores nothing and records nothing, and is
/// decided again with a new token: a deferred one finishes as `Stale` (the server then runs it
/// the blocking way), a blocking one takes another round. The value already under that token
/// is untouched.
pub fn a_collided_collect_is_decided_again(open: &Opener) -> Check {
    let store = Arc::new(Colliding::new(open()));
    let shared: Arc<dyn Store> = store.clone();
    let wrapped: Opener = Box::new(move || shared.clone());
    let v = setup(&wrapped)?;
    let (ride, dispatch) = (t("ride")?, p("dispatch")?);
    let svc = svc_of(&ride)?;
    let (a, b) = (
        id(v.register(&svc, &cn(), None, false))?,
        id(v.register(&svc, &cn(), None, false))?,
    );
    let pickup = f("pickup")?;
    let first = id(v.collect(
        &svc,
        &a,
        &dispatch,
        &[(pickup.clone(), "北京市朝阳区建国路88号")],
    ))?;
    let taken = first[0].token.clone();
    let item = custodian_core::vault::CollectItem {
        subject: b.clone(),
        purpose: dispatch.clone(),
        values: vec![(pickup.clone(), "上海市浦东新区世纪大道100号")],
        idempotency_key: None,
    };
    let size = v.ledger_size();
    store.arm(1);
    match v.collect_deferred(&svc, &item) {
        Some(d) => {
            let r = d.wait();
            ensure(
                matches!(r, Err(CoreError::Stale)),
                &format!("a deferred collect that collided finishes as stale ({r:?})"),
            )?;
            ensure(
                v.ledger_size() == size,
                "the collided collect recorded nothing",
            )?;
            ensure(
                store.fired() == 1,
                "the deferred collect was made to collide",
            )?;
            store.arm(1);
        }
        None => ensure(
            !store.reads_inline(),
            "a store with inline reads runs the collect deferred",
        )?,
    }
    // The blocking way (the server's fallback): another round, another token.
    let got = id(v.collect_batch(&svc, std::slice::from_ref(&item)))?;
    let got = id(got
        .into_iter()
        .next()
        .ok_or("the collect answered nothing")?)?;
    ensure(
        store.fired() == if store.reads_inline() { 2 } else { 1 },
        "the blocking collect's first round was made to collide",
    )?;
    ensure(
        got[0].token != taken,
        "the collect that collided got a token of its own",
    )?;
    ensure(
        v.ledger_size() == size + 1,
        "one entry for the collect that went through, none for the collision",
    )?;
    let back = id(v.detokenize(
        &svc,
        &dispatch,
        &[taken, got[0].token.clone()],
        custodian_core::vault::Reveal::Clear,
    ))?;
    ensure(
        back[0].value.expose() == "北京市朝阳区建国路88号"
            && back[1].value.expose() == "上海市浦东新区世纪大道100号",
        "each token reads its own subject's value",
    )?;
    let held = id(v.export_subject(&dpo(&ride), &b))?.values;
    ensure(held.len() == 1, "the collided subject holds one value")
}

/// A deterministic value collected again between the retention sweep's listing and its
/// destruction is not destroyed: the sweep destroys only what is still expired, and the store
/// refuses to destroy a record collected again since the act read it.
pub fn a_value_collected_again_while_swept_stays(open: &Opener) -> Check {
    use std::sync::atomic::AtomicI64;

    const DAY: i64 = 86_400_000;
    const T0: i64 = 1_790_000_000_000;
    let now = Arc::new(AtomicI64::new(T0));
    let clock = now.clone();
    let store = Arc::new(Colliding::new(open()));
    let v = Arc::new(vault(store.clone())?.with_clock(move || clock.load(Ordering::SeqCst)));
    let (tenant, dispatch) = (t("cab")?, p("dispatch")?);
    id(v.load_manifest(&AdminScope::new(), &tenant, crate::values::DETERMINISTIC))?;
    let svc = svc_of(&tenant)?;
    let s = id(v.register(&svc, &cn(), None, false))?;
    let phone = f("phone")?;
    let token = id(v.collect(&svc, &s, &dispatch, &[(phone.clone(), "13812345678")]))?[0]
        .token
        .clone();
    // Past the field's 730 days; the sweep lists the value, then it is collected again.
    now.store(T0 + 731 * DAY, Ordering::SeqCst);
    let (again, vault2) = (Arc::new(Mutex::new(None)), v.clone());
    let (slot, svc2, s2, d2, ph2) = (
        again.clone(),
        svc.clone(),
        s.clone(),
        dispatch.clone(),
        phone,
    );
    store.after_listing(move || {
        let r = vault2.collect(&svc2, &s2, &d2, &[(ph2, "13812345678")]);
        *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(r.map(|c| c[0].token.clone()));
    });
    let r = id(v.sweep_retention(&AdminScope::new()))?;
    let collected = again.lock().unwrap_or_else(PoisonError::into_inner).take();
    ensure(
        matches!(&collected, Some(Ok(t)) if *t == token),
        &format!("the value was collected again during the sweep ({collected:?})"),
    )?;
    ensure(r.values == 0, &format!("nothing destroyed: {r:?}"))?;
    let back = id(v.detokenize(
        &svc,
        &dispatch,
        std::slice::from_ref(&token),
        custodian_core::vault::Reveal::Clear,
    ))?;
    ensure(
        back[0].value.expose() == "13812345678",
        "the value collected again still reads",
    )
}
