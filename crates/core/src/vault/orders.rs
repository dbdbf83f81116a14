//! Regulator orders: submission (verified, recorded, in force from its effective time) and
//! listing.

use custodian_ledger::{Decision as LedgerDecision, EntryKind, Id};

use super::Vault;
use crate::access::{RegulatorScope, Scope};
use crate::error::CoreError;
use crate::orders::{self, Order, OrderError, OrderKind, OrderStatus};
use crate::store::Change;

impl Vault {
    /// Verifies and stores a signed regulator order; it takes effect at its
    /// `effective_from` (at once if that has passed). Submissions and refusals are recorded.
    pub fn submit_order(
        &self,
        _regulator: &RegulatorScope,
        signed: &str,
    ) -> Result<Order, CoreError> {
        self.act_on_orders(
            |a| {
                let all = a.orders();
                let seen =
                    |id: &str, nonce: &str| all.iter().any(|o| o.id == id || o.nonce == nonce);
                let verified = orders::verify(signed, &self.cfg.regulator_keys, a.now(), &seen)
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
                    [one] => Some(one.ledger()),
                    _ => None,
                };
                a.commit(
                    Change::PutOrder {
                        id: o.id.clone(),
                        nonce: o.nonce.clone(),
                        note: v.note.clone(),
                    },
                    vec![entry],
                )?;
                Ok(o)
            },
            |table, o| table.push(o.clone()),
        )
    }

    /// Orders with their status now, as `scope` may see them: a tenant-bound scope sees the
    /// orders targeting its tenant or the whole cell; cell-wide scopes see all.
    pub fn list_orders(&self, scope: &Scope) -> Vec<(Order, OrderStatus)> {
        // Orders another process stored show too; if the store cannot say, this process's
        // view is listed (acts still check the generation when they commit).
        let _ = self.refresh_if_changed();
        let now = self.now();
        let all = self.orders.read().map(|o| o.clone()).unwrap_or_default();
        all.iter()
            .filter(|o| match scope.tenant() {
                None => true,
                Some(t) => o.targets.is_empty() || o.targets.contains(t),
            })
            .map(|o| (o.clone(), orders::status(o, &all, now)))
            .collect()
    }
}
