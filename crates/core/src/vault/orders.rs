//! Regulator orders: submission (verified, recorded, in force from its effective time),
//! listing, and the order table acts decide under. The keys that sign them: `authority`.

use custodian_ledger::{Decision as LedgerDecision, EntryKind, Id, Verifier};

use super::authority::check_pins;
use super::{Vault, store_err};
use crate::access::{RegulatorScope, Scope};
use crate::error::CoreError;
use crate::orders::{self, Order, OrderError, OrderKind, OrderStatus};
use crate::store::{Change, Store};

/// The orders a cell holds and the regulator keys it trusts after them.
#[derive(Clone, Debug, Default)]
pub(crate) struct OrderTable {
    /// Every stored order, in submission order.
    pub(crate) orders: Vec<Order>,
    /// Each order's signed note and signer keys (same index).
    pub(crate) signed: Vec<(String, Vec<String>)>,
    /// The keys pinned at creation.
    pub(crate) pinned: Vec<Verifier>,
    /// The keys trusted now: the pinned keys after every key order.
    pub(crate) trusted: Vec<Verifier>,
}

/// A stored order as the API shows it: the document, its signed note (verifiable offline
/// against the regulator's key) and the keys that signed it.
#[derive(Clone, Debug)]
pub struct OrderView {
    /// The order.
    pub order: Order,
    /// Its status now.
    pub status: OrderStatus,
    /// The signed note as submitted; `None` for a tenant-bound caller when the order also
    /// names other tenants or organisations (its note would name them too; the listed
    /// `targets` and `organisations` are then cut to the caller's own).
    pub note: Option<String>,
    /// The signer keys (`<name>+<hex key ID>`).
    pub signed_by: Vec<String>,
}

/// Loads the pinned keys (checked against their ledger entries) and replays the stored orders
/// from them. A cell that pinned nothing yet (a new one, or one from before pinning) replays
/// from `bootstrap`, the configured keys it is about to pin.
pub(super) fn load_orders(
    store: &dyn Store,
    bootstrap: &[Verifier],
) -> Result<OrderTable, CoreError> {
    let pins = store.pinned_keys().map_err(store_err)?;
    check_pins(store, &pins)?;
    let mut pinned = Vec::new();
    for (_, k) in &pins {
        pinned.push(Verifier::parse(k).map_err(|e| {
            CoreError::Integrity(format!("a pinned regulator key does not parse: {e}"))
        })?);
    }
    let mut table = OrderTable {
        trusted: if pinned.is_empty() {
            bootstrap.to_vec()
        } else {
            pinned.clone()
        },
        pinned,
        ..OrderTable::default()
    };
    for (n, note) in store.orders().map_err(store_err)?.into_iter().enumerate() {
        let v = orders::open(&note, &table.trusted)
            .and_then(|v| orders::check_key_order(&v, &table.trusted).map(|()| v))
            .map_err(|e| {
            CoreError::Integrity(format!(
                "stored order {} does not verify against the regulator keys trusted when it was submitted ({e}); the order store was changed outside the cell",
                n + 1
            ))
        })?;
        table.push(v.order, v.note, v.signed_by);
    }
    Ok(table)
}

impl OrderTable {
    fn push(&mut self, order: Order, note: String, signed_by: Vec<String>) {
        orders::apply_key_order(&mut self.trusted, &order);
        self.orders.push(order);
        self.signed.push((note, signed_by));
    }
}

impl Vault {
    /// Verifies and stores a signed regulator order; it takes effect at its
    /// `effective_from` (at once if that has passed). Submissions and refusals are recorded;
    /// an accepted order's entry names the key that signed it.
    pub fn submit_order(
        &self,
        _regulator: &RegulatorScope,
        signed: &str,
    ) -> Result<Order, CoreError> {
        self.act_on_orders(
            |a| {
                let table = a.table();
                let all = &table.orders;
                let seen =
                    |id: &str, nonce: &str| all.iter().any(|o| o.id == id || o.nonce == nonce);
                let verified =
                    orders::verify(signed, &table.trusted, a.now(), &seen).and_then(|v| {
                        if let OrderKind::Lift { order } = &v.order.kind {
                            match all.iter().find(|o| &o.id == order) {
                                None => {
                                    return Err(OrderError::UnknownLift(
                                        v.order.id.clone(),
                                        order.clone(),
                                    ));
                                }
                                Some(o)
                                    if matches!(
                                        o.kind,
                                        OrderKind::TrustKey { .. } | OrderKind::RemoveKey { .. }
                                    ) =>
                                {
                                    return Err(OrderError::KeyOrder(format!(
                                        "`{order}` is a key order, which is not lifted: give the opposite key order"
                                    )));
                                }
                                Some(_) => {}
                            }
                        }
                        Ok(v)
                    });
                let v = match verified {
                    Ok(v) => v,
                    Err(e) => {
                        let mut entry = a.entry(EntryKind::Order, LedgerDecision::Deny);
                        entry.reason = Id::new(e.code()).ok();
                        a.commit(Change::Record, vec![entry])?;
                        return Err(CoreError::Order(e));
                    }
                };
                let o = v.order.clone();
                let mut entry = a.entry(EntryKind::Order, LedgerDecision::Allow);
                entry.order = Id::new(&o.id).ok();
                entry.reason = Id::new(o.kind.name()).ok();
                entry.tenant = match o.targets.as_slice() {
                    [one] if o.organisations.is_empty() => Some(one.ledger()),
                    _ => None,
                };
                // The signer, so an order signed by a key the regulator never held shows.
                entry.destination = v.signed_by.first().and_then(|k| Id::new(k).ok());
                a.commit(
                    Change::PutOrder {
                        id: o.id.clone(),
                        nonce: o.nonce.clone(),
                        note: v.note.clone(),
                    },
                    vec![entry],
                )?;
                Ok((o, v.note, v.signed_by))
            },
            |table, (o, note, by)| table.push(o.clone(), note.clone(), by.clone()),
        )
        .map(|(o, _, _)| o)
    }

    /// Orders with their status, signed note and signers now, as `scope` may see them: a
    /// tenant-bound scope sees the orders that cover its tenant (by id or by its organisation)
    /// or the whole cell; cell-wide scopes see all.
    pub fn list_orders(&self, scope: &Scope) -> Vec<OrderView> {
        // Orders another process stored show too; if the store cannot say, this process's
        // view is listed (acts still check the generation when they commit).
        let _ = self.refresh_if_changed();
        let now = self.now();
        let table = self.orders.read().map(|t| t.clone()).unwrap_or_default();
        let org = scope
            .tenant()
            .and_then(|t| self.cached_tenant(t).ok().flatten())
            .map(|ts| ts.manifest.organisation.clone());
        let covers = |o: &Order| match scope.tenant() {
            None => true,
            Some(t) => {
                (o.targets.is_empty() && o.organisations.is_empty())
                    || o.targets.contains(t)
                    || org.as_ref().is_some_and(|g| o.organisations.contains(g))
            }
        };
        // A lift shows where the order it lifts shows (a lift names no targets, and listing
        // it to every tenant would tell them another tenant had an order).
        let visible = |o: &Order| match &o.kind {
            OrderKind::Lift { order } => table
                .orders
                .iter()
                .find(|l| &l.id == order)
                .is_some_and(covers),
            _ => covers(o),
        };
        table
            .orders
            .iter()
            .zip(&table.signed)
            .filter(|(o, _)| visible(o))
            .map(|(o, (note, by))| {
                let mut order = o.clone();
                let mut note = Some(note.clone());
                if let Some(t) = scope.tenant() {
                    order.targets.retain(|x| x == t);
                    order.organisations.retain(|x| Some(x) == org.as_ref());
                    if order.targets.len() != o.targets.len()
                        || order.organisations.len() != o.organisations.len()
                    {
                        note = None;
                    }
                }
                OrderView {
                    status: orders::status(o, &table.orders, now),
                    order,
                    note,
                    signed_by: by.clone(),
                }
            })
            .collect()
    }
}
