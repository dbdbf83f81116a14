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
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use custodian_detect::Detector;
use custodian_ledger::Signer;

use crate::crypto::{DataKey, Kek};
use crate::error::CoreError;
use crate::ids::{Jurisdiction, Millis, SubjectId, TenantId};
use crate::manifest::Manifest;
use crate::orders::Order;
use crate::store::{Store, StoreError};

mod act;
mod consents;
mod keys;
mod ledger;
mod orders;
mod subjects;
mod tenants;
mod values;

pub(crate) use act::Act;
pub use subjects::{ExportedValue, SubjectExport};
pub use values::{Collected, Detokenized, Reveal};

/// A cell's settings.
#[derive(Clone, Debug)]
pub struct VaultConfig {
    /// The jurisdiction this cell serves.
    pub jurisdiction: Jurisdiction,
    /// The ledger's origin line (e.g. `custodian.example/cn/ledger`).
    pub origin: String,
    /// Verifier keys of the regulators whose signed orders this cell obeys.
    pub regulator_keys: Vec<custodian_ledger::Verifier>,
}

/// A tenant as the vault keeps it in memory: its checked manifest and its token key.
pub(crate) struct TenantState {
    pub(crate) manifest: Manifest,
    pub(crate) key: DataKey,
}

/// A cell.
pub struct Vault {
    store: Arc<dyn Store>,
    kek: Arc<dyn Kek>,
    signer: Signer,
    cfg: VaultConfig,
    detector: Detector,
    tenants: RwLock<HashMap<TenantId, Arc<TenantState>>>,
    /// The order table: acts hold it for reading from decision to commit, order submissions
    /// and reloads hold it for writing.
    orders: RwLock<Vec<Order>>,
    /// The store generation `tenants` and `orders` were loaded at (changed only while the
    /// order table's write guard is held).
    generation: AtomicU64,
    clock: Arc<dyn Fn() -> Millis + Send + Sync>,
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

type Config = (u64, HashMap<TenantId, Arc<TenantState>>, Vec<Order>);

/// The store's generation, then its tenants and orders (read in that order: a change between
/// the reads leaves newer data under an older generation, which the next commit refuses).
fn load_config(store: &dyn Store, kek: &dyn Kek) -> Result<Config, CoreError> {
    let generation = store.generation().map_err(store_err)?;
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
        let key = kek.unwrap(&t.wrapped_key, &tenant_key_aad(&t.id))?;
        tenants.insert(t.id.clone(), Arc::new(TenantState { manifest, key }));
    }
    let mut orders = Vec::new();
    for n in store.orders().map_err(store_err)? {
        // Stored orders were verified on submission; read back their documents.
        let text = n.split("\n\n").next().unwrap_or("");
        let o: Order = serde_json::from_str(text)
            .map_err(|e| CoreError::Integrity(format!("a stored order does not parse: {e}")))?;
        orders.push(o);
    }
    Ok((generation, tenants, orders))
}

impl Vault {
    /// Opens a cell over a store: loads tenants, their manifests and the orders.
    pub fn open(
        store: Arc<dyn Store>,
        kek: Arc<dyn Kek>,
        signer: Signer,
        cfg: VaultConfig,
    ) -> Result<Vault, CoreError> {
        let (generation, tenants, orders) = load_config(store.as_ref(), kek.as_ref())?;
        Ok(Vault {
            store,
            kek,
            signer,
            cfg,
            detector: Detector::new(),
            tenants: RwLock::new(tenants),
            orders: RwLock::new(orders),
            generation: AtomicU64::new(generation),
            clock: Arc::new(now_ms),
        })
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
                Err(CoreError::Stale) => self.refresh()?,
                other => return other,
            }
        }
        Err(CoreError::Store(
            "the cell's tenants or orders kept changing; retry".into(),
        ))
    }

    /// Runs an act that changes the order table: `f` decides and commits with the table held
    /// for writing (no act is between decision and commit meanwhile), then `apply` updates it.
    pub(crate) fn act_on_orders<T>(
        &self,
        mut f: impl FnMut(&mut Act<'_>) -> Result<T, CoreError>,
        apply: impl Fn(&mut Vec<Order>, &T),
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
                    self.refresh()?;
                }
                Ok(v) => {
                    apply(&mut table, &v);
                    return Ok(v);
                }
                Err(e) => return Err(e),
            }
        }
        Err(CoreError::Store(
            "the cell's tenants or orders kept changing; retry".into(),
        ))
    }

    /// Reloads tenants and orders if another process changed them (a store generation other
    /// than ours). Called outside acts only.
    fn refresh_if_changed(&self) -> Result<(), CoreError> {
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
        let (generation, tenants, loaded) = load_config(self.store.as_ref(), self.kek.as_ref())?;
        *self.tenants.write().map_err(|_| poisoned("tenant table"))? = tenants;
        *orders = loaded;
        self.generation.store(generation, Ordering::Release);
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
        wrapped: Option<&Vec<u8>>,
    ) -> Result<DataKey, CoreError> {
        let w = wrapped.ok_or_else(|| {
            CoreError::Conflict(format!(
                "subject `{subject}` was erased; its values cannot be read"
            ))
        })?;
        self.kek.unwrap(w, &subject_key_aad(tenant, subject))
    }
}
