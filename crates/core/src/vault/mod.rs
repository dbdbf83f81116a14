//! The library API of a cell: open it, load manifests, register subjects, record and
//! withdraw consent, collect, detokenize, look up by blind index, export, erase, submit
//! orders, and read the ledger's signed checkpoint and proofs.
//!
//! Every act runs inside [`Vault::act`], which hands it one [`Act`] context: the store
//! generation the act decides under, the order table held for reading (so no order lands
//! between the act's decision and its commit), the time, and a ledger-entry builder. Every
//! decision — allow or deny — is a ledger entry committed (with the change, when there is
//! one) before the call returns.
//!
//! One file per act family: [`tenants`](self) (manifests), subjects (register, export,
//! erase), consents, values (collect, detokenize, lookup), orders, keys, ledger.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, TryLockError};

use custodian_detect::Detector;
use custodian_ledger::Signer;

use crate::crypto::DataKey;
use crate::error::CoreError;
use crate::ids::{Jurisdiction, Millis, SubjectId, TenantId};
use crate::keyring::{Epoch, KeyHolder};
use crate::manifest::Manifest;
use crate::store::{Store, StoreError, WrappedKey};

mod act;
mod authority;
mod backups;
mod batch;
mod cache;
mod consents;
mod egress;
mod epochs;
mod finality;
mod history;
mod idempotency;
mod keys;
mod ledger;
mod onboard;
mod orders;
mod receive;
mod report;
mod requests;
mod retention;
mod rounds;
mod subjects;
mod tally;
mod tenants;
mod transfers;
mod values;

pub(crate) use act::Act;
pub use act::Deferred;
pub use backups::Backup;
pub use batch::{CollectItem, ConsentItem, MAX_BATCH_ITEMS, RegisterItem};
pub use egress::{EgressMatch, EgressReport, PayloadFormat};
pub use epochs::{EpochStatus, KeyStatus, RotationReport};
pub use finality::{ErasureFinality, FinalityProof};
pub use history::{counts_from_ledger, organisation_of};
pub use idempotency::IDEMPOTENCY_KEPT_DAYS;
pub use ledger::{Receipt, Refusal};
pub use onboard::{OnboardConsent, OnboardItem, Onboarded};
use orders::OrderTable;
pub use orders::OrderView;
pub use receive::{Arrival, Peer, Received};
pub use report::{ComplianceReport, FieldLine};
pub use requests::DEFAULT_REQUEST_DAYS;
pub use retention::SweepReport;
pub use subjects::{ExportedValue, SubjectExport, ValueUse};
pub use tally::DecisionCount;
pub use transfers::{Delivery, TransferOutcome, TransferredSubject};
pub use values::{Collected, Detokenized, Reveal};

/// A cell's settings.
#[derive(Clone, Debug)]
pub struct VaultConfig {
    /// The jurisdiction this cell serves.
    pub jurisdiction: Jurisdiction,
    /// The ledger's origin line (e.g. `custodian.example/cn/ledger`).
    pub origin: String,
    /// Verifier keys of the regulators whose signed orders this cell obeys: pinned at the
    /// cell's first open with keys; afterwards they must agree with the pinned keys as the
    /// regulators' key orders changed them (see the `orders` module).
    pub regulator_keys: Vec<custodian_ledger::Verifier>,
    /// The other cells this one receives transfers from, with their ledger keys (see
    /// [`Vault::receive`]); empty: it receives none.
    pub peers: Vec<Peer>,
}

/// A tenant as the vault keeps it in memory: its checked manifest and its token key.
pub(crate) struct TenantState {
    pub(crate) manifest: Manifest,
    pub(crate) key: DataKey,
}

/// A cell.
pub struct Vault {
    store: Arc<dyn Store>,
    keys: Arc<dyn KeyHolder>,
    signer: Signer,
    cfg: VaultConfig,
    detector: Detector,
    tenants: RwLock<HashMap<TenantId, Arc<TenantState>>>,
    /// The order table: acts hold it for reading from decision to commit, order submissions
    /// and reloads hold it for writing.
    orders: RwLock<OrderTable>,
    /// The store generation `tenants` and `orders` were loaded at (changed only while the
    /// order table's write guard is held).
    generation: AtomicU64,
    /// The epoch data keys are wrapped under now (changed only under the order table's write
    /// guard, so an act wraps under the epoch it started with and a rotation that begins a
    /// new epoch waits for every act in progress).
    epoch: AtomicU32,
    /// Held by a rotation: one at a time in a process.
    rotation: Mutex<()>,
    /// Held by a transfer: one at a time in a process (the volume counts).
    transfer_gate: Mutex<()>,
    /// Authenticated API keys, for a store no other process writes.
    key_cache: keys::KeyCache,
    /// Working days a request may stay open.
    request_days: u32,
    /// Entries committed since open, by kind, outcome and reason (metrics).
    tally: Arc<tally::Tally>,
    clock: Arc<dyn Fn() -> Millis + Send + Sync>,
    /// Subjects as collects last read them (see the `cache` module).
    subject_cache: Arc<cache::SubjectCache>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("jurisdiction", &self.cfg.jurisdiction)
            .field("origin", &self.cfg.origin)
            .finish_non_exhaustive()
    }
}

/// Tries of an act whose commit found the configuration changed.
const STALE_TRIES: usize = 4;

fn now_ms() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

pub(crate) fn store_err(e: StoreError) -> CoreError {
    match e {
        StoreError::NotFound(what) => CoreError::NotFound(what),
        StoreError::Stale => CoreError::Stale,
        StoreError::OutcomeUnknown(m) => CoreError::OutcomeUnknown(m),
        other => CoreError::Store(other.to_string()),
    }
}

pub(crate) fn poisoned(what: &str) -> CoreError {
    CoreError::Store(format!("{what} poisoned"))
}

pub(crate) fn tenant_key_aad(t: &TenantId) -> Vec<u8> {
    format!("custodian/tenant-key/v1\n{t}").into_bytes()
}

pub(crate) fn subject_key_aad(t: &TenantId, s: &SubjectId) -> Vec<u8> {
    format!("custodian/subject-key/v1\n{t}\n{s}").into_bytes()
}

/// What acts decide under, read from the store together.
struct Config {
    generation: u64,
    tenants: HashMap<TenantId, Arc<TenantState>>,
    orders: OrderTable,
    /// The newest epoch not retired (0: none recorded yet).
    epoch: Epoch,
}

/// The store's generation, then its epochs, tenants and orders (read in that order: a change
/// between the reads leaves newer data under an older generation, which the next commit
/// refuses).
fn load_config(
    store: &dyn Store,
    keys: &dyn KeyHolder,
    regulators: &[custodian_ledger::Verifier],
) -> Result<Config, CoreError> {
    let generation = store.generation().map_err(store_err)?;
    let epoch = store
        .epochs()
        .map_err(store_err)?
        .iter()
        .filter(|e| e.retired_at.is_none())
        .map(|e| e.epoch)
        .max()
        .unwrap_or(0);
    let mut tenants = HashMap::new();
    for t in store.tenants().map_err(store_err)? {
        // A stored manifest the rules no longer accept stops the cell with its tenant named,
        // rather than run the tenant under rules it was not checked against.
        let manifest = Manifest::load(&t.manifest).map_err(|problems| {
            CoreError::Integrity(format!(
                "the stored manifest of tenant `{}` no longer loads: {}",
                t.id,
                problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })?;
        let key = keys.unwrap(
            t.wrapped_key.epoch,
            &t.wrapped_key.blob,
            &tenant_key_aad(&t.id),
        )?;
        tenants.insert(t.id.clone(), Arc::new(TenantState { manifest, key }));
    }
    let orders = orders::load_orders(store, regulators)?;
    Ok(Config {
        generation,
        tenants,
        orders,
        epoch,
    })
}

impl Vault {
    /// Opens a cell over a store and the holder of its KEK and epoch keys: loads tenants,
    /// their manifests and the orders; records what the store did outside an act (a restore,
    /// erasures) before anything else is recorded; begins the first epoch of a new cell;
    /// finishes the destruction of retired epochs a crash interrupted; and checks that the
    /// holder has every epoch the stored keys are wrapped under.
    pub fn open(
        store: Arc<dyn Store>,
        keys: Arc<dyn KeyHolder>,
        signer: Signer,
        cfg: VaultConfig,
    ) -> Result<Vault, CoreError> {
        let c = load_config(store.as_ref(), keys.as_ref(), &cfg.regulator_keys)?;
        // One read of the ledger holds the store's pins, orders and this year's transfer
        // counts to it.
        let mut counted = history::LedgerCounts::new(&cfg.jurisdiction, now_ms());
        authority::audit_authority(store.as_ref(), &mut |e| counted.add(e))?;
        counted.check(store.as_ref())?;
        let vault = Vault {
            store,
            keys,
            signer,
            cfg,
            detector: Detector::new(),
            tenants: RwLock::new(c.tenants),
            orders: RwLock::new(c.orders),
            generation: AtomicU64::new(c.generation),
            epoch: AtomicU32::new(c.epoch),
            rotation: Mutex::new(()),
            transfer_gate: Mutex::new(()),
            key_cache: keys::KeyCache::default(),
            request_days: requests::DEFAULT_REQUEST_DAYS,
            tally: Arc::default(),
            clock: Arc::new(now_ms),
            subject_cache: Arc::default(),
        };
        // A restore's record first: the entries after the backup's ledger begin with it.
        vault.record_store_acts()?;
        vault.pin_regulator_keys()?;
        vault.recover_epochs()?;
        vault.record_peers(&counted.peers)?;
        Ok(vault)
    }

    /// Replaces the clock (tests of retention and consent timing).
    pub fn with_clock(mut self, clock: impl Fn() -> Millis + Send + Sync + 'static) -> Vault {
        self.clock = Arc::new(clock);
        self
    }

    /// The cell's jurisdiction.
    pub fn jurisdiction(&self) -> &Jurisdiction {
        &self.cfg.jurisdiction
    }

    fn now(&self) -> Millis {
        (self.clock)()
    }

    /// The cell's clock, for views that compare times with what the cell decided (overdue).
    pub fn time(&self) -> Millis {
        self.now()
    }

    /// Runs an act: `f` gets the act context with the order table held for reading. If the
    /// commit finds the configuration changed by another process (`CoreError::Stale`), the
    /// table is released, reloaded, and the act decided again.
    pub(crate) fn act<T>(
        &self,
        mut f: impl FnMut(&mut Act<'_>) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        for _ in 0..STALE_TRIES {
            let r = {
                let gate = self.orders.read().map_err(|_| poisoned("order table"))?;
                let mut a = Act::new(self, self.generation.load(Ordering::Acquire), &gate);
                f(&mut a)
            };
            match r {
                Err(CoreError::Stale) => self.refresh_if_changed()?,
                other => return other,
            }
        }
        Err(CoreError::Store(
            "the cell's tenants or orders, or a subject the act read, kept changing; retry".into(),
        ))
    }

    /// Whether acts may run on an async task's thread ([`Vault::act_deferred`]): the store's
    /// reads and the key holder's unwrapping are short and in this process.
    pub fn acts_inline(&self) -> bool {
        self.store.reads_inline() && self.keys.in_process()
    }

    /// Runs an act on the caller's thread with its commits handed to the store and not waited
    /// for: the caller awaits them with [`Deferred::finish`], which gives the outcome once they
    /// are committed. The order table's read guard is held until the commits are handed over
    /// (the store commits them before any order submitted later), not while they are written.
    /// `None` when the act should run the blocking way instead: the store or the key holder may
    /// block ([`Vault::acts_inline`]), or the order table is being changed right now.
    pub(crate) fn act_deferred<T>(
        &self,
        f: impl FnOnce(&mut Act<'_>) -> Result<T, CoreError>,
    ) -> Option<Deferred<T>> {
        if !self.acts_inline() {
            return None;
        }
        let gate = match self.orders.try_read() {
            Ok(g) => g,
            Err(TryLockError::WouldBlock | TryLockError::Poisoned(_)) => return None,
        };
        let mut a = Act::new(self, self.generation.load(Ordering::Acquire), &gate);
        a.defer();
        let outcome = f(&mut a);
        let commits = a.into_commits();
        drop(gate);
        Some(Deferred::new(outcome, commits))
    }

    /// Runs an act that changes the order table: `f` decides and commits with the table held
    /// for writing (no act is between decision and commit meanwhile), then `apply` updates it.
    pub(crate) fn act_on_orders<T>(
        &self,
        mut f: impl FnMut(&mut Act<'_>) -> Result<T, CoreError>,
        apply: impl Fn(&mut OrderTable, &T),
    ) -> Result<T, CoreError> {
        for _ in 0..STALE_TRIES {
            let mut table = self.orders.write().map_err(|_| poisoned("order table"))?;
            let r = {
                let mut a = Act::new(self, self.generation.load(Ordering::Acquire), &table);
                f(&mut a)
            };
            match r {
                Err(CoreError::Stale) => {
                    drop(table);
                    self.refresh_if_changed()?;
                }
                Ok(v) => {
                    apply(&mut table, &v);
                    return Ok(v);
                }
                Err(e) => return Err(e),
            }
        }
        Err(CoreError::Store(
            "the cell's tenants or orders, or a subject the act read, kept changing; retry".into(),
        ))
    }

    /// Reloads tenants and orders if another process changed them (a store generation other
    /// than ours). Called outside acts only; an act refused as stale calls it before it is
    /// decided again (a subject changed under it, a token collided or a key was used meanwhile
    /// leave the configuration as it was).
    pub(super) fn refresh_if_changed(&self) -> Result<(), CoreError> {
        let now = self.store.generation().map_err(store_err)?;
        if now == self.generation.load(Ordering::Acquire) {
            return Ok(());
        }
        self.refresh()
    }

    /// Reloads tenants and orders from the store.
    fn refresh(&self) -> Result<(), CoreError> {
        // The order table's write guard first: no act is between decision and commit.
        let mut orders = self.orders.write().map_err(|_| poisoned("order table"))?;
        let c = load_config(
            self.store.as_ref(),
            self.keys.as_ref(),
            &self.cfg.regulator_keys,
        )?;
        // The holder forgets epochs another process destroyed.
        self.keys.held_epochs()?;
        *self.tenants.write().map_err(|_| poisoned("tenant table"))? = c.tenants;
        *orders = c.orders;
        self.epoch.store(c.epoch, Ordering::Release);
        self.generation.store(c.generation, Ordering::Release);
        Ok(())
    }

    /// A cached tenant, without reloading.
    fn cached_tenant(&self, t: &TenantId) -> Result<Option<Arc<TenantState>>, CoreError> {
        Ok(self
            .tenants
            .read()
            .map_err(|_| poisoned("tenant table"))?
            .get(t)
            .cloned())
    }

    /// A tenant outside an act: reloads first if another process may have created it.
    fn tenant(&self, t: &TenantId) -> Result<Arc<TenantState>, CoreError> {
        if let Some(ts) = self.cached_tenant(t)? {
            return Ok(ts);
        }
        self.refresh_if_changed()?;
        self.cached_tenant(t)?
            .ok_or_else(|| CoreError::NotFound("the tenant was not found".into()))
    }

    fn subject_key(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
        wrapped: Option<&WrappedKey>,
    ) -> Result<DataKey, CoreError> {
        let w = wrapped.ok_or_else(|| {
            CoreError::Conflict(format!(
                "subject `{subject}` was erased; its values cannot be read"
            ))
        })?;
        self.keys
            .unwrap(w.epoch, &w.blob, &subject_key_aad(tenant, subject))
    }

    /// Wraps a new data key under the current epoch. Called inside an act: the epoch cannot
    /// change before the act commits.
    pub(crate) fn wrap_new_key(&self, key: &DataKey, aad: &[u8]) -> Result<WrappedKey, CoreError> {
        let epoch = self.epoch.load(Ordering::Acquire);
        Ok(WrappedKey {
            epoch,
            blob: self.keys.wrap(epoch, key, aad)?,
        })
    }
}
