//! The library API of a cell: open it, load manifests, register subjects, record and
//! withdraw consent, collect, detokenize, look up by blind index, export, erase, and read the
//! ledger's signed checkpoint and proofs.
//!
//! Every call that touches PI runs a decision, and every decision — allow or deny — is a
//! ledger entry committed (with the act, when there is one) before the call returns.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use custodian_detect::{Detector, PiType, mask};
use custodian_ledger::{
    Checkpoint, ConsistencyProof, Decision as LedgerDecision, Entry, EntryKind, InclusionProof,
    LeafIndex, Signer, TreeSize,
};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::catalog::FieldType;
use crate::crypto::{self, DataKey, Kek};
use crate::decision::{
    self, ActiveOrder, CollectRequest, Consent, DetokenizeRequest, Millis, Reason, RegisterRequest,
    SubjectInfo,
};
use crate::error::CoreError;
use crate::ids::{FieldName, Jurisdiction, PurposeId, ServiceName, SubjectId, TenantId, Token};
use crate::manifest::{Manifest, Problem, TokenKind};
use crate::store::{Act, LedgerNodes, Store, StoreError, TenantRecord, ValueRecord};
use crate::tokens;

/// A PI value handed back to a caller. Zeroized on drop; `Debug` redacts.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// The value. Handle with care: it is PI.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// What an API key may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// Tenants, keys, configuration; never reads PI.
    Admin,
    /// One service of one tenant: acts for its purposes only.
    Service {
        /// Tenant.
        tenant: TenantId,
        /// Service.
        service: ServiceName,
    },
    /// A tenant's data-protection officer: subject requests and reports.
    Dpo {
        /// Tenant.
        tenant: TenantId,
    },
    /// A regulator: orders and the ledger; never reads PI.
    Regulator,
}

impl Role {
    fn name(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Service { .. } => "service",
            Role::Dpo { .. } => "dpo",
            Role::Regulator => "regulator",
        }
    }
}

/// An authenticated key: its id and role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Principal {
    /// Key id.
    pub key_id: String,
    /// Role.
    #[serde(flatten)]
    pub role: Role,
}

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

struct TenantState {
    manifest: Manifest,
    key: DataKey,
}

/// A cell.
pub struct Vault {
    store: Arc<dyn Store>,
    kek: Arc<dyn Kek>,
    signer: Signer,
    cfg: VaultConfig,
    detector: Detector,
    tenants: RwLock<HashMap<TenantId, Arc<TenantState>>>,
    orders: RwLock<Vec<crate::orders::Order>>,
    /// The store generation `tenants` and `orders` were loaded at (changed only while the
    /// order table's write guard is held).
    generation: std::sync::atomic::AtomicU64,
    clock: Arc<dyn Fn() -> Millis + Send + Sync>,
}

thread_local! {
    /// The generation the act running on this thread decides under (set by
    /// `Vault::retrying` before the act reads any cached tenant or order).
    static DECIDED_AT: std::cell::Cell<Option<u64>> = const { std::cell::Cell::new(None) };
}

/// Tries of an act whose commit found the configuration changed.
const STALE_TRIES: usize = 4;

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("jurisdiction", &self.cfg.jurisdiction)
            .field("origin", &self.cfg.origin)
            .finish_non_exhaustive()
    }
}

/// One collected value's token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Collected {
    /// Field.
    pub field: FieldName,
    /// The token to store instead of the value.
    pub token: Token,
    /// Free text: types of undeclared PI flagged (policy `flag`) or tokenized (`tokenize`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undeclared_pi: Vec<&'static str>,
}

/// How detokenized values come back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reveal {
    /// As the manifest says (`mask_on_read`).
    Default,
    /// Masked in the usual conventions (138****5678).
    Masked,
    /// In clear.
    Clear,
}

/// One detokenized value.
#[derive(Clone, Debug, Serialize)]
pub struct Detokenized {
    /// The token.
    pub token: Token,
    /// Its field.
    pub field: FieldName,
    /// Its subject.
    pub subject: SubjectId,
    /// The value (masked when asked or when the manifest says so).
    pub value: Secret,
    /// Whether `value` is masked.
    pub masked: bool,
}

/// Everything about a subject (PIPL Art. 45: access and copy), machine-readable.
#[derive(Clone, Debug, Serialize)]
pub struct SubjectExport {
    /// The subject.
    pub subject: SubjectInfo,
    /// Its consents.
    pub consents: Vec<Consent>,
    /// Its values.
    pub values: Vec<ExportedValue>,
}

/// One value in an export.
#[derive(Clone, Debug, Serialize)]
pub struct ExportedValue {
    /// Field.
    pub field: FieldName,
    /// Its PI type.
    pub pi_type: &'static str,
    /// Token.
    pub token: Token,
    /// The value.
    pub value: Secret,
    /// Purpose it was collected for.
    pub purpose: PurposeId,
    /// When.
    pub collected_at: Millis,
}

/// A subject, its wrapped key and its consents, as one read sees them.
type SubjectState = (SubjectInfo, Option<Vec<u8>>, Vec<Consent>);

fn now_ms() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn store_err(e: StoreError) -> CoreError {
    match e {
        StoreError::NotFound(what) => CoreError::NotFound(what),
        StoreError::Stale => CoreError::Stale,
        other => CoreError::Store(other.to_string()),
    }
}

fn tenant_key_aad(t: &TenantId) -> Vec<u8> {
    format!("custodian/tenant-key/v1\n{t}").into_bytes()
}

fn subject_key_aad(t: &TenantId, s: &SubjectId) -> Vec<u8> {
    format!("custodian/subject-key/v1\n{t}\n{s}").into_bytes()
}

/// SHA-256 of an API key secret.
fn key_hash(secret: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(secret.as_bytes()).into()
}

/// The form a value is compared in (blind index, deterministic token).
pub fn normalise(ty: FieldType, value: &str) -> String {
    let digits = || {
        value
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    };
    match ty {
        FieldType::Detected(PiType::CnMobile) => {
            let d = digits();
            let national = d
                .strip_prefix("0086")
                .or_else(|| d.strip_prefix("86").filter(|r| r.len() == 11))
                .unwrap_or(&d);
            national.to_string()
        }
        FieldType::Detected(PiType::CnLandline | PiType::BankCard | PiType::UsSsn) => digits(),
        FieldType::Detected(
            PiType::CnResidentId
            | PiType::Iban
            | PiType::CnPassport
            | PiType::HkMacauPermit
            | PiType::TaiwanPermit,
        ) => value
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_uppercase(),
        FieldType::Detected(PiType::Email) => value.trim().to_lowercase(),
        _ => value.trim().to_string(),
    }
}

fn reasons_entry(kind: EntryKind, now: Millis, tenant: &TenantId, reasons: &[Reason]) -> Entry {
    let mut e = Entry::new(kind, now, LedgerDecision::Deny);
    e.tenant = Some(tenant.ledger());
    e.reason = reasons
        .first()
        .and_then(|r| custodian_ledger::Id::new(r.code).ok());
    e.order = reasons
        .iter()
        .find_map(|r| r.order.as_deref())
        .and_then(|o| custodian_ledger::Id::new(o).ok());
    e
}

type Config = (
    u64,
    HashMap<TenantId, Arc<TenantState>>,
    Vec<crate::orders::Order>,
);

/// The store's generation, then its tenants and orders (read in that order: a change between
/// the reads leaves newer data under an older generation, which the next commit refuses).
fn load_config(store: &dyn Store, kek: &dyn Kek) -> Result<Config, CoreError> {
    let generation = store.generation().map_err(store_err)?;
    let mut tenants = HashMap::new();
    for t in store.tenants().map_err(store_err)? {
        let manifest = Manifest::load(&t.manifest).map_err(CoreError::Manifest)?;
        let key = kek.unwrap(&t.wrapped_key, &tenant_key_aad(&t.id))?;
        tenants.insert(t.id.clone(), Arc::new(TenantState { manifest, key }));
    }
    let mut orders = Vec::new();
    for n in store.orders().map_err(store_err)? {
        // Stored orders were verified on submission; read back their documents.
        let text = n.split("\n\n").next().unwrap_or("");
        let o: crate::orders::Order = serde_json::from_str(text)
            .map_err(|e| CoreError::Integrity(format!("a stored order does not parse: {e}")))?;
        orders.push(o);
    }
    Ok((generation, tenants, orders))
}

impl Vault {
    /// Opens a cell over a store: loads tenants and their manifests.
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
            generation: std::sync::atomic::AtomicU64::new(generation),
            clock: Arc::new(now_ms),
        })
    }

    /// Reloads tenants and orders if another process changed them (a store generation
    /// other than ours).
    fn refresh_if_changed(&self) -> Result<(), CoreError> {
        let now = self.store.generation().map_err(store_err)?;
        if now == self.generation.load(std::sync::atomic::Ordering::Acquire) {
            return Ok(());
        }
        self.refresh()
    }

    /// Reloads tenants and orders from the store.
    fn refresh(&self) -> Result<(), CoreError> {
        // The order table's write guard first: no act is between decision and commit.
        let mut orders = self
            .orders
            .write()
            .map_err(|_| CoreError::Store("order table poisoned".into()))?;
        let (generation, tenants, loaded) = load_config(self.store.as_ref(), self.kek.as_ref())?;
        *self
            .tenants
            .write()
            .map_err(|_| CoreError::Store("tenant table poisoned".into()))? = tenants;
        *orders = loaded;
        self.generation
            .store(generation, std::sync::atomic::Ordering::Release);
        Ok(())
    }

    /// Runs an act; if its commit finds the configuration changed by another process
    /// (`StoreError::Stale`), reloads it and decides again.
    fn retrying<T>(&self, mut act: impl FnMut() -> Result<T, CoreError>) -> Result<T, CoreError> {
        for _ in 0..STALE_TRIES {
            let generation = self.generation.load(std::sync::atomic::Ordering::Acquire);
            let outer = DECIDED_AT.replace(Some(generation));
            let r = act();
            DECIDED_AT.set(outer);
            match r {
                Err(CoreError::Stale) => self.refresh()?,
                other => return other,
            }
        }
        Err(CoreError::Store(
            "the cell's tenants or orders kept changing; retry".into(),
        ))
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

    /// The orders in force now.
    /// The orders in force now, with a guard on the order table. The guard is held until
    /// the caller's act commits: an order submitted
    /// meanwhile waits for it, so an act lands in the ledger either wholly before an order or
    /// decided under it — never decided before it and committed after.
    fn order_gate(
        &self,
    ) -> Result<
        (
            std::sync::RwLockReadGuard<'_, Vec<crate::orders::Order>>,
            Vec<ActiveOrder>,
        ),
        CoreError,
    > {
        let now = self.now();
        let guard = self
            .orders
            .read()
            .map_err(|_| CoreError::Store("order table poisoned".into()))?;
        let active = crate::orders::active(&guard, now);
        Ok((guard, active))
    }

    /// Verifies and stores a signed regulator order; it takes effect at its
    /// `effective_from` (at once if that has passed). Submissions and refusals are recorded.
    pub fn submit_order(&self, signed: &str) -> Result<crate::orders::Order, CoreError> {
        self.retrying(|| self.submit_order_once(signed))
    }

    fn submit_order_once(&self, signed: &str) -> Result<crate::orders::Order, CoreError> {
        use crate::orders::{OrderError, OrderKind};
        let mut held = self
            .orders
            .write()
            .map_err(|_| CoreError::Store("order table poisoned".into()))?;
        let now = self.now();
        let all = held.clone();
        let seen = |id: &str, nonce: &str| all.iter().any(|o| o.id == id || o.nonce == nonce);
        let verified = crate::orders::verify(signed, &self.cfg.regulator_keys, now, &seen)
            .and_then(|v| {
                if let OrderKind::Lift { order } = &v.order.kind
                    && !all.iter().any(|o| &o.id == order)
                {
                    return Err(OrderError::UnknownLift(v.order.id.clone(), order.clone()));
                }
                Ok(v)
            });
        let v = match verified {
            Ok(v) => v,
            Err(e) => {
                let mut entry = Entry::new(EntryKind::Order, now, LedgerDecision::Deny);
                entry.reason = custodian_ledger::Id::new(e.code()).ok();
                self.commit(Act::Record, vec![entry])?;
                return Err(CoreError::Order(e));
            }
        };
        let o = v.order.clone();
        let mut entry = Entry::new(EntryKind::Order, now, LedgerDecision::Allow);
        entry.order = custodian_ledger::Id::new(&o.id).ok();
        entry.reason = custodian_ledger::Id::new(match &o.kind {
            OrderKind::SuspendRegistration => "suspend_registration",
            OrderKind::SuspendProcessing { .. } => "suspend_processing",
            OrderKind::SuspendTransfers => "suspend_transfers",
            OrderKind::Rectify { .. } => "rectify",
            OrderKind::Lift { .. } => "lift",
        })
        .ok();
        entry.tenant = (o.targets.len() == 1).then(|| o.targets[0].ledger());
        self.commit(
            Act::PutOrder {
                id: o.id.clone(),
                nonce: o.nonce.clone(),
                note: v.note.clone(),
            },
            vec![entry],
        )?;
        held.push(o.clone());
        Ok(o)
    }

    /// Orders with their status now; `tenant`: only those targeting it (or the whole cell).
    pub fn list_orders(
        &self,
        tenant: Option<&TenantId>,
    ) -> Vec<(crate::orders::Order, crate::orders::OrderStatus)> {
        // Orders another process stored show too; if the store cannot say, this process's
        // view is listed (acts still check the generation when they commit).
        let _ = self.refresh_if_changed();
        let now = self.now();
        let all = self.orders.read().map(|o| o.clone()).unwrap_or_default();
        all.iter()
            .filter(|o| tenant.is_none_or(|t| o.targets.is_empty() || o.targets.contains(t)))
            .map(|o| (o.clone(), crate::orders::status(o, &all, now)))
            .collect()
    }

    fn now(&self) -> Millis {
        (self.clock)()
    }

    fn tenant(&self, t: &TenantId) -> Result<Arc<TenantState>, CoreError> {
        let cached = |v: &Vault| {
            v.tenants
                .read()
                .map_err(|_| CoreError::Store("tenant table poisoned".into()))
                .map(|m| m.get(t).cloned())
        };
        if let Some(ts) = cached(self)? {
            return Ok(ts);
        }
        // Perhaps another process created it. Outside an act only: inside one, the commit's
        // generation check catches it (and a refresh here would wait on the act's own gate).
        if DECIDED_AT.get().is_none() {
            self.refresh_if_changed()?;
            if let Some(ts) = cached(self)? {
                return Ok(ts);
            }
        } else if self.store.generation().map_err(store_err)?
            != self.generation.load(std::sync::atomic::Ordering::Acquire)
        {
            return Err(CoreError::Stale);
        }
        Err(CoreError::NotFound(format!("tenant `{t}` not found")))
    }

    /// The manifest of a tenant.
    pub fn manifest(&self, t: &TenantId) -> Result<Manifest, CoreError> {
        Ok(self.tenant(t)?.manifest.clone())
    }

    /// Tenants of the cell.
    pub fn tenant_ids(&self) -> Vec<TenantId> {
        // As in `list_orders`: this process's view if the store cannot say.
        let _ = self.refresh_if_changed();
        self.tenants
            .read()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Commits under the generation the running act decided at.
    fn commit(&self, act: Act, entries: Vec<Entry>) -> Result<Vec<LeafIndex>, CoreError> {
        self.store
            .commit_at(self.decided_at(), act, entries)
            .map_err(store_err)
    }

    fn decided_at(&self) -> u64 {
        DECIDED_AT
            .get()
            .unwrap_or_else(|| self.generation.load(std::sync::atomic::Ordering::Acquire))
    }

    /// Creates a tenant or replaces its manifest. Problems come back with lines and rules;
    /// notes (e.g. a self-declared app type) come back on success.
    pub fn load_manifest(&self, tenant: &TenantId, src: &str) -> Result<Vec<Problem>, CoreError> {
        self.retrying(|| self.load_manifest_once(tenant, src))
    }

    fn load_manifest_once(&self, tenant: &TenantId, src: &str) -> Result<Vec<Problem>, CoreError> {
        let manifest = Manifest::load(src).map_err(CoreError::Manifest)?;
        let existing = self.tenant(tenant).ok();
        let key = match &existing {
            Some(s) => s.key.clone(),
            None => DataKey::generate()?,
        };
        let wrapped_key = self.kek.wrap(&key, &tenant_key_aad(tenant))?;
        let mut e = Entry::new(EntryKind::ConfigChange, self.now(), LedgerDecision::Allow);
        e.tenant = Some(tenant.ledger());
        e.reason = custodian_ledger::Id::new(if existing.is_some() {
            "manifest_replaced"
        } else {
            "tenant_created"
        })
        .ok();
        self.commit(
            Act::PutTenant(TenantRecord {
                id: tenant.clone(),
                manifest: src.to_string(),
                wrapped_key,
            }),
            vec![e],
        )?;
        let notes = manifest.notes.clone();
        self.tenants
            .write()
            .map_err(|_| CoreError::Store("tenant table poisoned".into()))?
            .insert(tenant.clone(), Arc::new(TenantState { manifest, key }));
        Ok(notes)
    }

    /// Registers a subject of `jurisdiction`; `minor` = under 14 (guardian consent needed).
    pub fn register(
        &self,
        tenant: &TenantId,
        jurisdiction: &Jurisdiction,
        minor: bool,
    ) -> Result<SubjectId, CoreError> {
        self.retrying(|| self.register_once(tenant, jurisdiction, minor))
    }

    fn register_once(
        &self,
        tenant: &TenantId,
        jurisdiction: &Jurisdiction,
        minor: bool,
    ) -> Result<SubjectId, CoreError> {
        self.tenant(tenant)?;
        let (_gate, orders) = self.order_gate()?;
        let now = self.now();
        let d = decision::decide_register(
            &self.cfg.jurisdiction,
            &orders,
            &RegisterRequest {
                tenant: tenant.clone(),
                jurisdiction: jurisdiction.clone(),
            },
        );
        let grant = match d.into_result() {
            Ok(g) => g,
            Err(reasons) => {
                self.commit(
                    Act::Record,
                    vec![reasons_entry(EntryKind::Register, now, tenant, &reasons)],
                )?;
                return Err(CoreError::Denied(reasons));
            }
        };
        let subject = SubjectId::parse(&format!("sub_{}", &tokens::random_token()?.as_str()[4..]))?;
        let key = DataKey::generate()?;
        let wrapped_key = self
            .kek
            .wrap(&key, &subject_key_aad(&grant.tenant, &subject))?;
        let info = SubjectInfo {
            id: subject.clone(),
            tenant: grant.tenant.clone(),
            jurisdiction: jurisdiction.clone(),
            minor,
            registered_at: now,
            erased: false,
        };
        let mut e = Entry::new(EntryKind::Register, now, LedgerDecision::Allow);
        e.tenant = Some(tenant.ledger());
        e.subject = Some(subject.ledger());
        self.commit(
            Act::Register {
                subject: info,
                wrapped_key,
            },
            vec![e],
        )?;
        Ok(subject)
    }

    fn subject(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<crate::store::SubjectRow, CoreError> {
        self.store
            .subject(tenant, subject)
            .map_err(store_err)?
            .ok_or_else(|| {
                CoreError::NotFound(format!(
                    "subject `{subject}` not found in tenant `{tenant}`"
                ))
            })
    }

    /// A subject (with its wrapped key) and its consents, in one store call.
    fn subject_and_consents(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<(crate::store::SubjectRow, Vec<Consent>), CoreError> {
        self.store
            .subject_and_consents(tenant, subject)
            .map_err(store_err)?
            .ok_or_else(|| {
                CoreError::NotFound(format!(
                    "subject `{subject}` not found in tenant `{tenant}`"
                ))
            })
    }

    /// Records a consent for a purpose (`separate`: 单独同意; `by_guardian`: for under-14s).
    pub fn grant_consent(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
        purpose: &PurposeId,
        separate: bool,
        by_guardian: bool,
    ) -> Result<(), CoreError> {
        self.retrying(|| self.grant_consent_once(tenant, subject, purpose, separate, by_guardian))
    }

    fn grant_consent_once(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
        purpose: &PurposeId,
        separate: bool,
        by_guardian: bool,
    ) -> Result<(), CoreError> {
        let ts = self.tenant(tenant)?;
        if ts.manifest.purpose(purpose).is_none() {
            return Err(CoreError::invalid(format!(
                "purpose `{purpose}` is not declared in the manifest of tenant `{tenant}`"
            )));
        }
        let (info, _) = self.subject(tenant, subject)?;
        if info.erased {
            return Err(CoreError::Conflict(format!(
                "subject `{subject}` was erased"
            )));
        }
        let now = self.now();
        let consent = Consent {
            purpose: purpose.clone(),
            notice_version: ts.manifest.notice_version.clone(),
            granted_at: now,
            withdrawn_at: None,
            separate,
            by_guardian,
        };
        let mut e = Entry::new(EntryKind::ConsentGrant, now, LedgerDecision::Allow);
        e.tenant = Some(tenant.ledger());
        e.subject = Some(subject.ledger());
        e.purpose = Some(purpose.ledger());
        e.reason = custodian_ledger::Id::new(match (separate, by_guardian) {
            (true, true) => "separate_by_guardian",
            (true, false) => "separate",
            (false, true) => "by_guardian",
            (false, false) => "general",
        })
        .ok();
        self.commit(
            Act::Consent {
                tenant: tenant.clone(),
                subject: subject.clone(),
                consent,
            },
            vec![e],
        )?;
        Ok(())
    }

    /// Withdraws the subject's consents for a purpose; processing that needs them stops now.
    pub fn withdraw_consent(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
        purpose: &PurposeId,
    ) -> Result<(), CoreError> {
        self.retrying(|| self.withdraw_consent_once(tenant, subject, purpose))
    }

    fn withdraw_consent_once(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
        purpose: &PurposeId,
    ) -> Result<(), CoreError> {
        self.tenant(tenant)?;
        let (info, _) = self.subject(tenant, subject)?;
        if info.erased {
            return Err(CoreError::Conflict(format!(
                "subject `{subject}` was erased"
            )));
        }
        let now = self.now();
        let mut e = Entry::new(EntryKind::ConsentWithdraw, now, LedgerDecision::Allow);
        e.tenant = Some(tenant.ledger());
        e.subject = Some(subject.ledger());
        e.purpose = Some(purpose.ledger());
        self.commit(
            Act::Withdraw {
                tenant: tenant.clone(),
                subject: subject.clone(),
                purpose: purpose.clone(),
                at: now,
            },
            vec![e],
        )?;
        Ok(())
    }

    /// A subject's consents.
    pub fn consents(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Vec<Consent>, CoreError> {
        self.retrying(|| self.consents_once(tenant, subject))
    }

    fn consents_once(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Vec<Consent>, CoreError> {
        self.subject(tenant, subject)?;
        self.store.consents(tenant, subject).map_err(store_err)
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

    /// Collects values of one subject for one purpose, as one service. All or nothing: any
    /// denial refuses the whole call (and is recorded).
    pub fn collect(
        &self,
        tenant: &TenantId,
        service: &ServiceName,
        subject: &SubjectId,
        purpose: &PurposeId,
        values: &[(FieldName, &str)],
    ) -> Result<Vec<Collected>, CoreError> {
        self.retrying(|| self.collect_once(tenant, service, subject, purpose, values))
    }

    fn collect_once(
        &self,
        tenant: &TenantId,
        service: &ServiceName,
        subject: &SubjectId,
        purpose: &PurposeId,
        values: &[(FieldName, &str)],
    ) -> Result<Vec<Collected>, CoreError> {
        let ts = self.tenant(tenant)?;
        let ((info, wrapped), consents) = self.subject_and_consents(tenant, subject)?;
        let (_gate, orders) = self.order_gate()?;
        let now = self.now();
        let mut grants = Vec::with_capacity(values.len());
        let mut denied: Vec<Reason> = Vec::new();
        for (field, value) in values {
            let req = CollectRequest {
                service,
                purpose,
                field,
                value,
            };
            match decision::decide_collect(
                &ts.manifest,
                &info,
                &consents,
                &orders,
                &self.detector,
                &req,
                now,
            )
            .into_result()
            {
                Ok(g) => grants.push((g, *value)),
                Err(r) => denied.extend(r),
            }
        }
        let mut base = Entry::new(EntryKind::Collect, now, LedgerDecision::Allow);
        base.tenant = Some(tenant.ledger());
        base.subject = Some(subject.ledger());
        base.purpose = Some(purpose.ledger());
        base.service = Some(service.ledger());
        base.fields = values.iter().map(|(f, _)| f.ledger()).collect();
        if !denied.is_empty() || values.is_empty() {
            if values.is_empty() {
                denied.push(Reason {
                    code: "no_values",
                    message: "collect needs at least one value".into(),
                    order: None,
                });
            }
            let mut e = reasons_entry(EntryKind::Collect, now, tenant, &denied);
            e.subject = base.subject.clone();
            e.purpose = base.purpose.clone();
            e.service = base.service.clone();
            e.fields = base.fields.clone();
            self.commit(Act::Record, vec![e])?;
            return Err(CoreError::Denied(denied));
        }
        let key = self.subject_key(tenant, subject, wrapped.as_ref())?;
        for _attempt in 0..5 {
            let mut records = Vec::new();
            let mut out = Vec::new();
            for (g, value) in &grants {
                let field = ts
                    .manifest
                    .field(&g.field)
                    .ok_or_else(|| CoreError::invalid("field vanished"))?;
                let mut text = Zeroizing::new(value.to_string());
                let mut undeclared: Vec<&'static str> = g
                    .flagged
                    .iter()
                    .chain(&g.tokenize)
                    .map(|f| f.pi_type.name())
                    .collect();
                undeclared.sort_unstable();
                undeclared.dedup();
                // Free text under `tokenize`: each undeclared finding becomes its own sealed
                // value with a token, and the text keeps the token in its place.
                for f in g.tokenize.iter().rev() {
                    let token = tokens::random_token()?;
                    let piece = text.get(f.bstart..f.bend).unwrap_or("").to_string();
                    records.push(self.seal_record(
                        &ts, &info, &key, &g.field, &token, None, &piece, purpose, now,
                    )?);
                    text.replace_range(f.bstart..f.bend, token.as_str());
                }
                let norm = Zeroizing::new(normalise(field.ty, &text));
                let token = match field.token {
                    TokenKind::Random => tokens::random_token()?,
                    TokenKind::Deterministic => {
                        tokens::deterministic_token(&ts.key, g.field.as_str(), &norm)?
                    }
                    TokenKind::FormatPreserving => match field.ty {
                        FieldType::Detected(PiType::CnResidentId) => tokens::resident_id_token()?,
                        _ => tokens::mobile_token()?,
                    },
                };
                let bix = field
                    .blind_index
                    .then(|| tokens::blind_index(&ts.key, g.field.as_str(), &norm));
                records.push(
                    self.seal_record(&ts, &info, &key, &g.field, &token, bix, &text, purpose, now)?,
                );
                out.push(Collected {
                    field: g.field.clone(),
                    token,
                    undeclared_pi: undeclared,
                });
            }
            let mut e = base.clone();
            e.tokens = records.iter().map(|r| r.token.ledger()).collect();
            if grants.iter().any(|(g, _)| !g.flagged.is_empty()) {
                e.reason = custodian_ledger::Id::new("undeclared_pi_flagged").ok();
            }
            match self
                .store
                .commit_at(self.decided_at(), Act::Collect(records), vec![e])
            {
                Ok(_) => return Ok(out),
                Err(StoreError::TokenConflict) => continue,
                Err(other) => return Err(store_err(other)),
            }
        }
        Err(CoreError::Store(
            "could not draw unique tokens after 5 attempts".into(),
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn seal_record(
        &self,
        _ts: &TenantState,
        info: &SubjectInfo,
        key: &DataKey,
        field: &FieldName,
        token: &Token,
        bix: Option<String>,
        value: &str,
        purpose: &PurposeId,
        now: Millis,
    ) -> Result<ValueRecord, CoreError> {
        let aad = crypto::value_aad(info.tenant.as_str(), info.id.as_str(), field.as_str(), 1);
        Ok(ValueRecord {
            tenant: info.tenant.clone(),
            subject: info.id.clone(),
            field: field.clone(),
            token: token.clone(),
            blind_index: bix,
            sealed: crypto::seal(key, value.as_bytes(), &aad)?,
            key_version: 1,
            purpose: purpose.clone(),
            collected_at: now,
        })
    }

    /// Reads values back for a purpose, as one service. All or nothing; recorded either way.
    pub fn detokenize(
        &self,
        tenant: &TenantId,
        service: &ServiceName,
        purpose: &PurposeId,
        tokens_in: &[Token],
        reveal: Reveal,
    ) -> Result<Vec<Detokenized>, CoreError> {
        self.retrying(|| self.detokenize_once(tenant, service, purpose, tokens_in, reveal))
    }

    fn detokenize_once(
        &self,
        tenant: &TenantId,
        service: &ServiceName,
        purpose: &PurposeId,
        tokens_in: &[Token],
        reveal: Reveal,
    ) -> Result<Vec<Detokenized>, CoreError> {
        let ts = self.tenant(tenant)?;
        let now = self.now();
        let (_gate, orders) = self.order_gate()?;
        let mut rows = Vec::with_capacity(tokens_in.len());
        for t in tokens_in {
            let r = self
                .store
                .value_by_token(tenant, t)
                .map_err(store_err)?
                .ok_or_else(|| {
                    CoreError::NotFound(format!("token `{t}` not found in tenant `{tenant}`"))
                })?;
            rows.push(r);
        }
        let mut subjects: HashMap<SubjectId, SubjectState> = HashMap::new();
        let mut denied = Vec::new();
        for r in &rows {
            if !subjects.contains_key(&r.subject) {
                let ((info, wrapped), consents) = self.subject_and_consents(tenant, &r.subject)?;
                subjects.insert(r.subject.clone(), (info, wrapped, consents));
            }
            let Some((info, _, consents)) = subjects.get(&r.subject) else {
                continue;
            };
            let req = DetokenizeRequest {
                service,
                purpose,
                field: &r.field,
                collected_at: r.collected_at,
            };
            if let Err(reasons) =
                decision::decide_detokenize(&ts.manifest, info, consents, &orders, &req, now)
                    .into_result()
            {
                denied.extend(reasons);
            }
        }
        let entry_for = |subject: &SubjectId, decision: LedgerDecision| {
            let mut e = Entry::new(EntryKind::Detokenize, now, decision);
            e.tenant = Some(tenant.ledger());
            e.subject = Some(subject.ledger());
            e.purpose = Some(purpose.ledger());
            e.service = Some(service.ledger());
            let mine: Vec<&ValueRecord> = rows.iter().filter(|r| &r.subject == subject).collect();
            e.fields = mine.iter().map(|r| r.field.ledger()).collect();
            e.tokens = mine.iter().map(|r| r.token.ledger()).collect();
            e
        };
        if !denied.is_empty() {
            let entries = subjects
                .keys()
                .map(|s| {
                    let mut e = entry_for(s, LedgerDecision::Deny);
                    e.reason = custodian_ledger::Id::new(denied[0].code).ok();
                    e.order = denied
                        .iter()
                        .find_map(|r| r.order.as_deref())
                        .and_then(|o| custodian_ledger::Id::new(o).ok());
                    e
                })
                .collect();
            self.commit(Act::Record, entries)?;
            return Err(CoreError::Denied(denied));
        }
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let Some((_, wrapped, _)) = subjects.get(&r.subject) else {
                continue;
            };
            let key = self.subject_key(tenant, &r.subject, wrapped.as_ref())?;
            let aad = crypto::value_aad(
                tenant.as_str(),
                r.subject.as_str(),
                r.field.as_str(),
                r.key_version,
            );
            let plain = crypto::open(&key, &r.sealed, &aad)?;
            let text = Zeroizing::new(
                String::from_utf8(plain.to_vec())
                    .map_err(|_| CoreError::Integrity("sealed value is not UTF-8".into()))?,
            );
            let field = ts.manifest.field(&r.field);
            let masked = match reveal {
                Reveal::Clear => false,
                Reveal::Masked => true,
                Reveal::Default => field.is_some_and(|f| f.mask_on_read),
            };
            let value = if masked {
                let ty = field.and_then(|f| match f.ty {
                    FieldType::Detected(t) => Some(t),
                    _ => None,
                });
                Secret(Zeroizing::new(match ty {
                    Some(t) => mask::mask(t, &text),
                    None => "*".repeat(text.chars().count().min(8)),
                }))
            } else {
                Secret(text)
            };
            out.push(Detokenized {
                token: r.token.clone(),
                field: r.field.clone(),
                subject: r.subject.clone(),
                value,
                masked,
            });
        }
        let entries = subjects
            .keys()
            .map(|s| entry_for(s, LedgerDecision::Allow))
            .collect();
        self.commit(Act::Record, entries)?;
        Ok(out)
    }

    /// Finds the tokens of a value by blind index (the field must have `blind_index = true`).
    pub fn lookup(
        &self,
        tenant: &TenantId,
        service: &ServiceName,
        purpose: &PurposeId,
        field: &FieldName,
        value: &str,
    ) -> Result<Vec<Token>, CoreError> {
        self.retrying(|| self.lookup_once(tenant, service, purpose, field, value))
    }

    fn lookup_once(
        &self,
        tenant: &TenantId,
        service: &ServiceName,
        purpose: &PurposeId,
        field: &FieldName,
        value: &str,
    ) -> Result<Vec<Token>, CoreError> {
        let ts = self.tenant(tenant)?;
        let now = self.now();
        let f = ts
            .manifest
            .field(field)
            .ok_or_else(|| CoreError::invalid(format!("field `{field}` is not declared")))?;
        let mut reasons = Vec::new();
        if !f.blind_index {
            reasons.push(Reason {
                code: "no_blind_index",
                message: format!(
                    "field `{field}` has no blind index (`blind_index = true` in the manifest)"
                ),
                order: None,
            });
        }
        if !f.purposes.contains(purpose) {
            reasons.push(Reason {
                code: "purpose_not_for_field",
                message: format!("field `{field}` is not declared for purpose `{purpose}`"),
                order: None,
            });
        }
        if !ts
            .manifest
            .service(service)
            .is_some_and(|s| s.purposes.contains(purpose))
        {
            reasons.push(Reason {
                code: "service_not_granted_purpose",
                message: format!("service `{service}` may not act for purpose `{purpose}`"),
                order: None,
            });
        }
        let mut e = Entry::new(EntryKind::Lookup, now, LedgerDecision::Allow);
        e.tenant = Some(tenant.ledger());
        e.purpose = Some(purpose.ledger());
        e.service = Some(service.ledger());
        e.fields = vec![field.ledger()];
        if !reasons.is_empty() {
            e.decision = LedgerDecision::Deny;
            e.reason = custodian_ledger::Id::new(reasons[0].code).ok();
            self.commit(Act::Record, vec![e])?;
            return Err(CoreError::Denied(reasons));
        }
        let bix = tokens::blind_index(&ts.key, field.as_str(), &normalise(f.ty, value));
        let found = self
            .store
            .tokens_by_blind_index(tenant, field, &bix)
            .map_err(store_err)?;
        e.tokens = found.iter().map(Token::ledger).collect();
        self.commit(Act::Record, vec![e])?;
        Ok(found)
    }

    /// Everything about a subject, decrypted (PIPL Art. 45). Recorded in the ledger.
    pub fn export_subject(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<SubjectExport, CoreError> {
        self.retrying(|| self.export_subject_once(tenant, subject))
    }

    fn export_subject_once(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<SubjectExport, CoreError> {
        let ts = self.tenant(tenant)?;
        let ((info, wrapped), consents) = self.subject_and_consents(tenant, subject)?;
        let rows = self
            .store
            .subject_values(tenant, subject)
            .map_err(store_err)?;
        let mut values = Vec::with_capacity(rows.len());
        if !rows.is_empty() {
            let key = self.subject_key(tenant, subject, wrapped.as_ref())?;
            for r in rows {
                let aad = crypto::value_aad(
                    tenant.as_str(),
                    subject.as_str(),
                    r.field.as_str(),
                    r.key_version,
                );
                let plain = crypto::open(&key, &r.sealed, &aad)?;
                let text = String::from_utf8(plain.to_vec())
                    .map_err(|_| CoreError::Integrity("sealed value is not UTF-8".into()))?;
                let pi_type = ts
                    .manifest
                    .field(&r.field)
                    .map_or("unknown", |f| f.ty.name());
                values.push(ExportedValue {
                    field: r.field,
                    pi_type,
                    token: r.token,
                    value: Secret(Zeroizing::new(text)),
                    purpose: r.purpose,
                    collected_at: r.collected_at,
                });
            }
        }
        let mut e = Entry::new(EntryKind::Export, self.now(), LedgerDecision::Allow);
        e.tenant = Some(tenant.ledger());
        e.subject = Some(subject.ledger());
        e.tokens = values.iter().map(|v| v.token.ledger()).collect();
        self.commit(Act::Record, vec![e])?;
        Ok(SubjectExport {
            subject: info,
            consents,
            values,
        })
    }

    /// Erases a subject by destroying its data key (crypto-shredding) and deleting its values.
    pub fn erase_subject(&self, tenant: &TenantId, subject: &SubjectId) -> Result<(), CoreError> {
        self.retrying(|| self.erase_subject_once(tenant, subject))
    }

    fn erase_subject_once(&self, tenant: &TenantId, subject: &SubjectId) -> Result<(), CoreError> {
        self.tenant(tenant)?;
        let (info, _) = self.subject(tenant, subject)?;
        if info.erased {
            return Err(CoreError::Conflict(format!(
                "subject `{subject}` was already erased"
            )));
        }
        let mut e = Entry::new(EntryKind::Erase, self.now(), LedgerDecision::Allow);
        e.tenant = Some(tenant.ledger());
        e.subject = Some(subject.ledger());
        self.commit(
            Act::Erase {
                tenant: tenant.clone(),
                subject: subject.clone(),
            },
            vec![e],
        )?;
        Ok(())
    }

    /// Creates an API key; the secret is returned once and stored only as its SHA-256.
    pub fn create_api_key(
        &self,
        role: Role,
    ) -> Result<(crate::store::ApiKeyRecord, Secret), CoreError> {
        self.retrying(|| self.create_api_key_once(role.clone()))
    }

    fn create_api_key_once(
        &self,
        role: Role,
    ) -> Result<(crate::store::ApiKeyRecord, Secret), CoreError> {
        let (tenant, service) = match &role {
            Role::Service { tenant, service } => {
                let ts = self.tenant(tenant)?;
                if ts.manifest.service(service).is_none() {
                    return Err(CoreError::invalid(format!(
                        "service `{service}` is not declared in the manifest of tenant `{tenant}`"
                    )));
                }
                (Some(tenant.clone()), Some(service.clone()))
            }
            Role::Dpo { tenant } => {
                self.tenant(tenant)?;
                (Some(tenant.clone()), None)
            }
            Role::Admin | Role::Regulator => (None, None),
        };
        let mut raw = [0u8; 32];
        crypto::random_bytes(&mut raw)?;
        let secret = Secret(Zeroizing::new(format!(
            "cst_{}",
            raw.iter().map(|b| format!("{b:02x}")).collect::<String>()
        )));
        let mut idb = [0u8; 8];
        crypto::random_bytes(&mut idb)?;
        let id = format!(
            "key_{}",
            idb.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        let now = self.now();
        let rec = crate::store::ApiKeyRecord {
            id: id.clone(),
            hash: key_hash(secret.expose()),
            role: role.name().to_string(),
            tenant: tenant.clone(),
            service: service.clone(),
            created_at: now,
            revoked_at: None,
        };
        let mut e = Entry::new(EntryKind::ConfigChange, now, LedgerDecision::Allow);
        e.tenant = tenant.as_ref().map(TenantId::ledger);
        e.service = service.as_ref().map(ServiceName::ledger);
        e.reason = custodian_ledger::Id::new("api_key_created").ok();
        e.tokens = custodian_ledger::Id::new(&id).ok().into_iter().collect();
        self.commit(Act::PutApiKey(rec.clone()), vec![e])?;
        Ok((rec, secret))
    }

    /// The principal behind a secret, if the key exists and is not revoked.
    pub fn authenticate(&self, secret: &str) -> Result<Option<Principal>, CoreError> {
        let hash = key_hash(secret);
        let Some(rec) = self.store.api_key(&hash).map_err(store_err)? else {
            return Ok(None);
        };
        // The lookup went by hash; compare again in constant time before trusting it.
        if !bool::from(subtle::ConstantTimeEq::ct_eq(&rec.hash[..], &hash[..]))
            || rec.revoked_at.is_some()
        {
            return Ok(None);
        }
        let role = match (rec.role.as_str(), rec.tenant, rec.service) {
            ("admin", _, _) => Role::Admin,
            ("regulator", _, _) => Role::Regulator,
            ("service", Some(tenant), Some(service)) => Role::Service { tenant, service },
            ("dpo", Some(tenant), _) => Role::Dpo { tenant },
            _ => return Ok(None),
        };
        Ok(Some(Principal {
            key_id: rec.id,
            role,
        }))
    }

    /// Revokes an API key.
    pub fn revoke_api_key(&self, id: &str) -> Result<(), CoreError> {
        self.retrying(|| self.revoke_api_key_once(id))
    }

    fn revoke_api_key_once(&self, id: &str) -> Result<(), CoreError> {
        let now = self.now();
        let mut e = Entry::new(EntryKind::ConfigChange, now, LedgerDecision::Allow);
        e.reason = custodian_ledger::Id::new("api_key_revoked").ok();
        e.tokens = custodian_ledger::Id::new(id).ok().into_iter().collect();
        self.commit(
            Act::RevokeApiKey {
                id: id.to_string(),
                at: now,
            },
            vec![e],
        )?;
        Ok(())
    }

    /// All API keys (ids and roles, never secrets).
    pub fn api_keys(&self) -> Result<Vec<crate::store::ApiKeyRecord>, CoreError> {
        self.store.api_keys().map_err(store_err)
    }

    /// Entries in the ledger.
    pub fn ledger_size(&self) -> u64 {
        self.store.ledger_head().map(|h| h.size.get()).unwrap_or(0)
    }

    /// A signed checkpoint of the ledger (C2SP signed note).
    pub fn checkpoint(&self) -> Result<String, CoreError> {
        let head = self.store.ledger_head().map_err(store_err)?;
        let cp = Checkpoint {
            origin: self.cfg.origin.clone(),
            size: head.size,
            root: head.root,
            extensions: vec![],
        };
        self.signer
            .sign(&cp.to_text())
            .map_err(|e| CoreError::Keys(e.to_string()))
    }

    /// The verifier key of the ledger's checkpoints.
    pub fn verifier_key(&self) -> String {
        self.signer.verifier().to_vkey()
    }

    /// Refuses a tree size beyond the ledger's.
    fn within_ledger(&self, size: u64) -> Result<(), CoreError> {
        let head = self.store.ledger_head().map_err(store_err)?;
        if size > head.size.get() {
            return Err(CoreError::invalid(format!(
                "tree size {size} is beyond the ledger's size {}",
                head.size.get()
            )));
        }
        Ok(())
    }

    /// Proof that entry `index` is in the tree of `size` entries.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<InclusionProof, CoreError> {
        self.within_ledger(size)?;
        custodian_ledger::tree::prove_inclusion(
            &LedgerNodes(self.store.as_ref()),
            LeafIndex::new(index),
            TreeSize::new(size),
        )
        .map_err(|e| CoreError::invalid(e.to_string()))
    }

    /// Proof that the tree of `size1` entries is a prefix of the tree of `size2`.
    pub fn consistency_proof(&self, size1: u64, size2: u64) -> Result<ConsistencyProof, CoreError> {
        self.within_ledger(size2)?;
        custodian_ledger::tree::prove_consistency(
            &LedgerNodes(self.store.as_ref()),
            TreeSize::new(size1),
            TreeSize::new(size2),
        )
        .map_err(|e| CoreError::invalid(e.to_string()))
    }

    /// Ledger entries with index in `from..to`, decoded.
    pub fn ledger_entries(&self, from: u64, to: u64) -> Result<Vec<(u64, Entry)>, CoreError> {
        self.store
            .ledger_entries(from, to)
            .map_err(store_err)?
            .into_iter()
            .map(|(i, b)| {
                Entry::decode(&b)
                    .map(|e| (i, e))
                    .map_err(|e| CoreError::Integrity(e.to_string()))
            })
            .collect()
    }
}
