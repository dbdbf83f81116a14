//! Regulator orders: signed documents that take effect the moment they are submitted.
//!
//! An order is a JSON document in one canonical byte form — keys sorted, no insignificant
//! whitespace — signed as a C2SP signed note (the text is the canonical JSON and a newline)
//! by a regulator key the cell trusts. [`verify`] checks the signature, the canonical form,
//! the expiry and replay (order id and nonce), and only it builds a [`VerifiedOrder`], the
//! proof type the vault requires to store and enforce an order.

use custodian_ledger::{Verifier, note};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids::{Millis, OrgCode, PurposeId, TenantId};

/// What an order in force does to the decisions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderEffect {
    /// No new registrations.
    SuspendRegistration,
    /// No processing for these purposes.
    SuspendProcessing {
        /// The purposes.
        purposes: Vec<PurposeId>,
    },
    /// No transfers abroad.
    SuspendTransfers,
    /// Keep the PI: no erasure, rectification or sweeping.
    PreserveData,
    /// Things to rectify (no decision changes; the order binds its targets).
    Rectify,
}

/// An order in force, as the decisions see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveOrder {
    /// The order's id.
    pub id: String,
    /// Who issued it.
    pub issuer: String,
    /// The tenants it targets.
    pub tenants: Vec<TenantId>,
    /// The organisations it binds (every tenant they have or create); with `tenants` empty
    /// too, the whole cell.
    pub organisations: Vec<OrgCode>,
    /// Its effect.
    pub effect: OrderEffect,
}

impl ActiveOrder {
    /// Whether the order applies to `tenant`, run by `organisation`.
    pub fn covers(&self, tenant: &TenantId, organisation: &OrgCode) -> bool {
        (self.tenants.is_empty() && self.organisations.is_empty())
            || self.tenants.contains(tenant)
            || self.organisations.contains(organisation)
    }
}

/// What an order does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum OrderKind {
    /// No new registrations for the targets.
    SuspendRegistration,
    /// No processing for the named purposes.
    SuspendProcessing {
        /// The purposes.
        purposes: Vec<PurposeId>,
    },
    /// No transfers abroad (enforced by the transfer gate).
    SuspendTransfers,
    /// Keep the targets' PI as evidence: no erasure, rectification or retention sweeping until
    /// lifted (a legal hold over the tenants, PIPL Art. 47 ¶2).
    PreserveData,
    /// Things to rectify by a deadline.
    Rectify {
        /// What to rectify.
        items: Vec<String>,
        /// Deadline (ms since the epoch).
        deadline: Millis,
    },
    /// Lifts an earlier order.
    Lift {
        /// The order lifted.
        order: String,
    },
    /// Adds a regulator key to the keys the cell trusts. The new key's name must be the name
    /// of a trusted key that signed this order: a regulator adds keys under its own name only.
    TrustKey {
        /// The key, as a verifier key (`<name>+<hex id>+<base64>`).
        key: String,
    },
    /// Removes a trusted regulator key; signed by a key of the same name (its own
    /// regulator), and never the name's last key.
    RemoveKey {
        /// The key, as a verifier key.
        key: String,
    },
}

impl OrderKind {
    /// The kind's name (`suspend_registration`, ...), as the document spells it.
    pub fn name(&self) -> &'static str {
        match self {
            OrderKind::SuspendRegistration => "suspend_registration",
            OrderKind::SuspendProcessing { .. } => "suspend_processing",
            OrderKind::SuspendTransfers => "suspend_transfers",
            OrderKind::PreserveData => "preserve_data",
            OrderKind::Rectify { .. } => "rectify",
            OrderKind::Lift { .. } => "lift",
            OrderKind::TrustKey { .. } => "trust_key",
            OrderKind::RemoveKey { .. } => "remove_key",
        }
    }
}

/// An order document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// Unique id (`ord_…`).
    pub id: String,
    /// Who issues it (e.g. `CAC`).
    pub issuer: String,
    /// What it does.
    pub kind: OrderKind,
    /// Target tenants; with `organisations` empty too, the whole cell.
    pub targets: Vec<TenantId>,
    /// Target organisations: every tenant each has, and any it creates while the order is in
    /// force.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<OrgCode>,
    /// Why.
    pub reason: String,
    /// The legal basis, in words.
    pub legal_basis: String,
    /// When issued (ms since the epoch).
    pub issued_at: Millis,
    /// When it takes effect.
    pub effective_from: Millis,
    /// When it ends by itself, if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Millis>,
    /// A random nonce: a re-submitted order is refused.
    pub nonce: String,
}

/// Why an order is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    /// Not a signed note, or signed by no trusted key.
    #[error("order signature: {0}")]
    Signature(String),
    /// The document does not parse or is not in canonical form.
    #[error("malformed order: {0}")]
    Malformed(String),
    /// It expired.
    #[error("order `{0}` has expired")]
    Expired(String),
    /// Its id or nonce was used before.
    #[error("order `{0}` replays an order id or nonce already submitted")]
    Replayed(String),
    /// A lift names an order the cell does not have.
    #[error("order `{0}` lifts `{1}`, which this cell does not have")]
    UnknownLift(String, String),
    /// A `trust_key` or `remove_key` order its signers may not give.
    #[error("key order refused: {0}")]
    KeyOrder(String),
}

impl OrderError {
    /// Machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            OrderError::Signature(_) => "order_signature",
            OrderError::Malformed(_) => "order_malformed",
            OrderError::Expired(_) => "order_expired",
            OrderError::Replayed(_) => "order_replayed",
            OrderError::UnknownLift(..) => "order_lift_unknown",
            OrderError::KeyOrder(_) => "order_key_refused",
        }
    }
}

fn sort(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = serde_json::Map::new();
            for k in keys {
                if let Some(x) = m.get(k) {
                    out.insert(k.clone(), sort(x));
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(sort).collect()),
        other => other.clone(),
    }
}

impl Order {
    /// The canonical bytes: JSON with sorted keys and no insignificant whitespace.
    pub fn canonical(&self) -> String {
        serde_json::to_value(self)
            .map(|v| sort(&v).to_string())
            .unwrap_or_default()
    }

    /// The text a regulator signs: the canonical JSON and a newline.
    pub fn signing_text(&self) -> String {
        format!("{}\n", self.canonical())
    }

    fn check(&self) -> Result<(), OrderError> {
        let ok_id = |s: &str| {
            !s.is_empty()
                && s.len() <= 64
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
        };
        if !ok_id(&self.id) {
            return Err(OrderError::Malformed(
                "`id` must be 1-64 characters of a-z A-Z 0-9 _ - .".into(),
            ));
        }
        if self.nonce.len() < 16 || !self.nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(OrderError::Malformed(
                "`nonce` must be at least 16 letters or digits".into(),
            ));
        }
        if self.issuer.trim().is_empty() {
            return Err(OrderError::Malformed("`issuer` is empty".into()));
        }
        if self.expires_at.is_some_and(|e| e <= self.effective_from) {
            return Err(OrderError::Malformed(
                "`expires_at` is not after `effective_from`".into(),
            ));
        }
        if let OrderKind::SuspendProcessing { purposes } = &self.kind
            && purposes.is_empty()
        {
            return Err(OrderError::Malformed(
                "`suspend_processing` names no purpose".into(),
            ));
        }
        Ok(())
    }
}

/// An order whose signature, form, expiry and freshness were checked. Only [`verify`] makes
/// one.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct VerifiedOrder {
    /// The order.
    pub order: Order,
    /// The signed note as submitted.
    pub note: String,
    /// The trusted keys that signed it (`<name>+<hex key ID>`).
    pub signed_by: Vec<String>,
}

/// Verifies a signed order against the trusted regulator keys at `now`; `seen(id, nonce)`
/// says whether an order id or nonce was submitted before.
pub fn verify(
    signed: &str,
    trusted: &[Verifier],
    now: Millis,
    seen: &dyn Fn(&str, &str) -> bool,
) -> Result<VerifiedOrder, OrderError> {
    let v = open(signed, trusted)?;
    check_key_order(&v, trusted)?;
    if matches!(
        v.order.kind,
        OrderKind::TrustKey { .. } | OrderKind::RemoveKey { .. }
    ) && (v.order.expires_at.is_some() || v.order.effective_from > now)
    {
        return Err(OrderError::KeyOrder(
            "a key order takes effect when submitted: no later `effective_from`, no `expires_at`"
                .into(),
        ));
    }
    if v.order.expires_at.is_some_and(|e| e <= now) {
        return Err(OrderError::Expired(v.order.id.clone()));
    }
    if seen(&v.order.id, &v.order.nonce) {
        return Err(OrderError::Replayed(v.order.id.clone()));
    }
    Ok(v)
}

/// Checks a signed order's signature (by `trusted`), canonical form and content, but not
/// its time, freshness or key policy ([`check_key_order`]): for verifying an order offline,
/// and for stored orders, re-verified against the keys trusted when they were submitted each
/// time the cell loads them.
pub fn open(signed: &str, trusted: &[Verifier]) -> Result<VerifiedOrder, OrderError> {
    if trusted.is_empty() {
        return Err(OrderError::Signature(
            "the cell trusts no regulator key (set `regulator_keys`)".into(),
        ));
    }
    let opened = note::open(signed, trusted).map_err(|e| OrderError::Signature(e.to_string()))?;
    let body = opened.text.strip_suffix('\n').unwrap_or(&opened.text);
    let order: Order = serde_json::from_str(body).map_err(|e| {
        OrderError::Malformed(format!(
            "line {} column {}: {}",
            e.line(),
            e.column(),
            e.to_string().split('`').next().unwrap_or("")
        ))
    })?;
    if order.canonical() != body {
        return Err(OrderError::Malformed(
            "the signed text is not the canonical form (sorted keys, no whitespace)".into(),
        ));
    }
    order.check()?;
    Ok(VerifiedOrder {
        order,
        note: signed.to_string(),
        signed_by: opened.verified_keys,
    })
}

/// A key order's policy against the keys trusted when it is given: `trust_key` adds a key
/// not yet trusted, named as a key that signed the order; `remove_key` removes a trusted key
/// named as a key that signed it, never the name's last. Other orders pass.
pub fn check_key_order(v: &VerifiedOrder, trusted: &[Verifier]) -> Result<(), OrderError> {
    // The signer names (a key id is `<name>+<hex>`; names hold no `+`).
    let names: Vec<&str> = v
        .signed_by
        .iter()
        .map(|k| k.split_once('+').map_or(k.as_str(), |(n, _)| n))
        .collect();
    match &v.order.kind {
        OrderKind::TrustKey { key } => {
            let new = Verifier::parse(key)
                .map_err(|e| OrderError::Malformed(format!("`trust_key`: {e}")))?;
            if trusted.iter().any(|t| t.to_vkey() == new.to_vkey()) {
                return Err(OrderError::KeyOrder(format!(
                    "key `{}` is already trusted",
                    new.key_id()
                )));
            }
            if !names.contains(&new.name()) {
                return Err(OrderError::KeyOrder(format!(
                    "a key named `{}` can be added only by an order signed by a trusted key of that name",
                    new.name()
                )));
            }
        }
        OrderKind::RemoveKey { key } => {
            let old = Verifier::parse(key)
                .map_err(|e| OrderError::Malformed(format!("`remove_key`: {e}")))?;
            if !trusted.iter().any(|t| t.to_vkey() == old.to_vkey()) {
                return Err(OrderError::KeyOrder(format!(
                    "key `{}` is not trusted",
                    old.key_id()
                )));
            }
            if !names.contains(&old.name()) {
                return Err(OrderError::KeyOrder(format!(
                    "key `{}` can be removed only by an order of its own regulator (a key named `{}`)",
                    old.key_id(),
                    old.name()
                )));
            }
            if trusted.iter().filter(|t| t.name() == old.name()).count() < 2 {
                return Err(OrderError::KeyOrder(format!(
                    "key `{}` is the last trusted key named `{}`; add its successor first",
                    old.key_id(),
                    old.name()
                )));
            }
        }
        _ => {}
    }
    Ok(())
}

/// The trusted keys after `order` takes effect on `trusted` (key orders change them; others
/// do not). The order was verified against `trusted`.
pub fn apply_key_order(trusted: &mut Vec<Verifier>, order: &Order) {
    match &order.kind {
        OrderKind::TrustKey { key } => {
            if let Ok(v) = Verifier::parse(key) {
                trusted.push(v);
            }
        }
        OrderKind::RemoveKey { key } => {
            if let Ok(v) = Verifier::parse(key) {
                let vkey = v.to_vkey();
                trusted.retain(|t| t.to_vkey() != vkey);
            }
        }
        _ => {}
    }
}

/// Where an order stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderStatus {
    /// Not yet effective.
    Pending,
    /// In force.
    InForce,
    /// A rectification past its deadline.
    Overdue,
    /// Ended by its expiry.
    Expired,
    /// Lifted by a later order.
    Lifted,
}

impl OrderStatus {
    /// The status's name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::InForce => "in_force",
            OrderStatus::Overdue => "overdue",
            OrderStatus::Expired => "expired",
            OrderStatus::Lifted => "lifted",
        }
    }
}

/// The status of `order` at `now`, given all orders (to see lifts).
pub fn status(order: &Order, all: &[Order], now: Millis) -> OrderStatus {
    let lifted = all.iter().any(|o| {
        matches!(&o.kind, OrderKind::Lift { order: id } if *id == order.id)
            && o.effective_from <= now
    });
    if lifted {
        return OrderStatus::Lifted;
    }
    if order.effective_from > now {
        return OrderStatus::Pending;
    }
    if order.expires_at.is_some_and(|e| e <= now) {
        return OrderStatus::Expired;
    }
    if let OrderKind::Rectify { deadline, .. } = order.kind
        && deadline <= now
    {
        return OrderStatus::Overdue;
    }
    OrderStatus::InForce
}

/// The orders the decisions enforce at `now`.
pub fn active(all: &[Order], now: Millis) -> Vec<ActiveOrder> {
    with_status(all, now, &[OrderStatus::InForce, OrderStatus::Overdue])
}

/// The orders in force or still to come at `now` (neither lifted nor expired): what binds a
/// tenant to its organisation, so that an announced order cannot be escaped before it starts.
pub fn binding(all: &[Order], now: Millis) -> Vec<ActiveOrder> {
    with_status(
        all,
        now,
        &[
            OrderStatus::Pending,
            OrderStatus::InForce,
            OrderStatus::Overdue,
        ],
    )
}

fn with_status(all: &[Order], now: Millis, wanted: &[OrderStatus]) -> Vec<ActiveOrder> {
    all.iter()
        .filter(|o| wanted.contains(&status(o, all, now)))
        .filter_map(|o| {
            let effect = match &o.kind {
                OrderKind::SuspendRegistration => OrderEffect::SuspendRegistration,
                OrderKind::SuspendProcessing { purposes } => OrderEffect::SuspendProcessing {
                    purposes: purposes.clone(),
                },
                OrderKind::SuspendTransfers => OrderEffect::SuspendTransfers,
                OrderKind::PreserveData => OrderEffect::PreserveData,
                OrderKind::Rectify { .. } => OrderEffect::Rectify,
                OrderKind::Lift { .. }
                | OrderKind::TrustKey { .. }
                | OrderKind::RemoveKey { .. } => {
                    return None;
                }
            };
            Some(ActiveOrder {
                id: o.id.clone(),
                issuer: o.issuer.clone(),
                tenants: o.targets.clone(),
                organisations: o.organisations.clone(),
                effect,
            })
        })
        .collect()
}
