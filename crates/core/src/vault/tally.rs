//! What the cell has decided since it opened, counted as acts commit (metrics), and the
//! figures an operator watches: whether the store answers, its writer, orders in force.

use std::collections::BTreeMap;

use custodian_ledger::{Decision, Entry, EntryKind, Id};

use super::Vault;
use crate::access::{AdminScope, Scope};
use crate::orders::OrderStatus;
use crate::store::StoreStats;
use crate::{CoreError, vault::store_err};

/// One line of [`Vault::decisions`]: acts of a kind with one outcome and reason code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionCount {
    /// The entry kind (`collect`, `detokenize`, …).
    pub kind: &'static str,
    /// `allow`, `deny` or `none`.
    pub outcome: &'static str,
    /// The reason code of a refusal (`consent_missing`, …); empty when there is none.
    pub reason: String,
    /// Entries committed since the cell opened in this process.
    pub count: u64,
}

/// What an entry is counted by.
pub(crate) type Key = (EntryKind, Decision, Option<Id>);

/// The keys of entries about to commit (taken before the store consumes them).
pub(crate) fn keys(entries: &[Entry]) -> Vec<Key> {
    entries
        .iter()
        .map(|e| (e.kind, e.decision, e.reason.clone()))
        .collect()
}

/// The counts, by kind, outcome and reason.
#[derive(Debug, Default)]
pub(crate) struct Tally(std::sync::Mutex<BTreeMap<(&'static str, &'static str, String), u64>>);

impl Tally {
    /// Counts committed entries (their [`keys`]).
    pub(crate) fn add(&self, keys: Vec<Key>) {
        let Ok(mut m) = self.0.lock() else {
            return;
        };
        for (kind, decision, reason) in keys {
            let reason = reason.map(|r| r.to_string()).unwrap_or_default();
            *m.entry((kind.name(), decision.name(), reason)).or_default() += 1;
        }
    }
}

impl Vault {
    /// Entries committed by this process since it opened the cell, by kind, outcome and
    /// reason code (never a subject, value or caller-supplied text).
    pub fn decisions(&self) -> Vec<DecisionCount> {
        self.tally
            .0
            .lock()
            .map(|m| {
                m.iter()
                    .map(|((kind, outcome, reason), n)| DecisionCount {
                        kind,
                        outcome,
                        reason: reason.clone(),
                        count: *n,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether the store answers now (a round trip to the database; readiness).
    pub fn ping(&self) -> Result<(), CoreError> {
        self.store.ping().map_err(store_err)
    }

    /// The store's writer and connection figures.
    pub fn store_stats(&self) -> StoreStats {
        self.store.stats()
    }

    /// Orders in force now (overdue rectifications among them), over the whole cell.
    pub fn orders_in_force(&self) -> usize {
        self.list_orders(&Scope::Admin(AdminScope::new()))
            .iter()
            .filter(|o| matches!(o.status, OrderStatus::InForce | OrderStatus::Overdue))
            .count()
    }
}
