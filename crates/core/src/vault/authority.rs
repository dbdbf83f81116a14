//! The regulator keys a cell trusts, and the audit that holds the store to the ledger.
//!
//! The keys are pinned at the cell's first open with keys (one `regulator_key_pinned` ledger
//! entry each, the store recording each key with its entry's index) and change only by a
//! regulator's order: `trust_key` signed by a trusted key of the new key's name, `remove_key`
//! signed by a key of the removed key's name. The trusted set is never stored: each load
//! replays the stored orders from the pinned keys (`orders::load_orders`), re-verifying every
//! order's signature against the keys trusted when it was submitted. The configured
//! `regulator_keys` must agree with the replayed set.
//!
//! What the store's operator could still do without a regulator's key is delete: an order row
//! (a freeze gone), or every pin (to pin keys of its own). [`audit_authority`] reads the whole
//! ledger at open and refuses a store whose pins or orders differ from the ledger's — the
//! ledger being the record the cell signs and its witnesses cosign.

use std::collections::HashSet;

use custodian_ledger::{Decision as LedgerDecision, Entry, EntryKind, Id, Verifier};

use super::{Vault, store_err};
use crate::error::CoreError;
use crate::orders::Order;
use crate::store::{Change, Store};

/// The reason of a pin's ledger entry.
const PINNED: &str = "regulator_key_pinned";

fn is_pin(e: &Entry) -> bool {
    e.kind == EntryKind::ConfigChange && e.reason.as_ref().is_some_and(|r| r.as_str() == PINNED)
}

fn decode(rows: Vec<(u64, Vec<u8>)>) -> Result<Vec<(u64, Entry)>, CoreError> {
    rows.into_iter()
        .map(|(i, b)| {
            Entry::decode(&b)
                .map(|e| (i, e))
                .map_err(|e| CoreError::Integrity(format!("ledger entry {i}: {e}")))
        })
        .collect()
}

/// Checks the pinned keys against their ledger entries: one contiguous run of
/// `regulator_key_pinned` entries naming exactly these keys, with no pin entry just before or
/// after it — so a key added to, dropped from or changed in the store's table (which the signed
/// ledger does not follow) stops the cell.
pub(super) fn check_pins(store: &dyn Store, pins: &[(u64, String)]) -> Result<(), CoreError> {
    let Some(&(first, _)) = pins.first() else {
        return Ok(());
    };
    let altered = |why: &str| {
        CoreError::Integrity(format!(
            "the pinned regulator keys disagree with the ledger ({why}); the store was changed outside the cell"
        ))
    };
    let end = first + pins.len() as u64;
    let entries = decode(
        store
            .ledger_entries(first.saturating_sub(1), end + 1)
            .map_err(store_err)?,
    )?;
    for (n, (idx, vkey)) in pins.iter().enumerate() {
        if *idx != first + n as u64 {
            return Err(altered("the pin entries are not one run"));
        }
        let e = entries
            .iter()
            .find(|(i, _)| i == idx)
            .map(|(_, e)| e)
            .ok_or_else(|| altered("a pin entry is missing"))?;
        if !is_pin(e) || e.destination.as_ref().map(|d| d.as_str()) != Some(vkey.as_str()) {
            return Err(altered("a pinned key is not the one its entry names"));
        }
    }
    if entries
        .iter()
        .any(|(i, e)| (*i + 1 == first || *i == end) && is_pin(e))
    {
        return Err(altered("the ledger pinned more keys than the store holds"));
    }
    Ok(())
}

/// The kinds of entries the audits read: pins (configuration changes), orders, and for
/// `history::LedgerCounts` transfers, receipts and trusted peers (configuration changes). The
/// others are hashed, not decoded.
pub(super) const AUDITED: [EntryKind; 4] = [
    EntryKind::ConfigChange,
    EntryKind::Order,
    EntryKind::Transfer,
    EntryKind::Receive,
];

/// Entries read per round trip by the audit.
const AUDIT_CHUNK: u64 = 10_000;

/// The pins (in order) and accepted order ids the ledger records in `[from, to)`.
/// When `log` is given, every entry's bytes are hashed into it, in order, with no index missing —
/// so the stored entries can be held to the tree's root.
fn ledger_authority(
    store: &dyn Store,
    from: u64,
    to: u64,
    pins: &mut Vec<String>,
    orders: &mut HashSet<String>,
    visit: &mut dyn FnMut(&Entry),
    mut log: Option<&mut custodian_ledger::Log>,
) -> Result<(), CoreError> {
    let mut at = from;
    while at < to {
        let end = (at + AUDIT_CHUNK).min(to);
        let rows = store.ledger_entries(at, end).map_err(store_err)?;
        if let Some(log) = log.as_deref_mut() {
            for (expect, (i, bytes)) in (at..end).zip(&rows) {
                if *i != expect {
                    return Err(CoreError::Integrity(format!(
                        "ledger entry {expect} is missing from the store"
                    )));
                }
                log.append(custodian_ledger::leaf_hash(bytes));
            }
            if rows.len() as u64 != end - at {
                return Err(CoreError::Integrity(format!(
                    "ledger entries {at}..{end} are not all in the store"
                )));
            }
        }
        // Only the kinds an audit reads are decoded (most entries are acts on subjects).
        let read = rows
            .into_iter()
            .filter(|(_, b)| Entry::kind_of(b).is_none_or(|k| AUDITED.contains(&k)))
            .collect();
        for (_, e) in decode(read)? {
            visit(&e);
            if is_pin(&e) {
                if let Some(d) = &e.destination {
                    pins.push(d.as_str().to_string());
                }
            } else if e.kind == EntryKind::Order
                && e.decision == LedgerDecision::Allow
                && let Some(o) = &e.order
            {
                orders.insert(o.as_str().to_string());
            }
        }
        at = end;
    }
    Ok(())
}

/// Holds the store's pinned keys and orders to the ledger: every key pinned and every order
/// accepted in the ledger is in the store, and the store holds no other. Reads the ledger to
/// its head, then the store, then the ledger to its new head — each pin and order is committed
/// with its entry, so one that lands meanwhile is in the second stretch and the check holds
/// while other processes write. `visit` sees every entry of the [`AUDITED`] kinds up to the
/// first head (for other audits of the same read).
pub(super) fn audit_authority(
    store: &dyn Store,
    visit: &mut dyn FnMut(&Entry),
) -> Result<(), CoreError> {
    let altered = |what: String| {
        CoreError::Integrity(format!(
            "{what}; the store was changed outside the cell (its ledger, signed and witnessed, says otherwise)"
        ))
    };
    let head = |s: &dyn Store| s.ledger_head().map(|h| h.size.get()).map_err(store_err);
    let first = store.ledger_head().map_err(store_err)?;
    let h1 = first.size.get();
    let (mut pins, mut accepted) = (Vec::new(), HashSet::new());
    // The entries the store holds are the ones the tree's root (which checkpoints sign and
    // witnesses cosign) commits to: an entry edited, dropped or slipped in stops the cell.
    let mut log = custodian_ledger::Log::new();
    ledger_authority(
        store,
        0,
        h1,
        &mut pins,
        &mut accepted,
        visit,
        Some(&mut log),
    )?;
    if log.root() != first.root {
        return Err(altered(
            "the ledger entries the store holds do not hash to the ledger's root".into(),
        ));
    }
    let stored_pins: Vec<String> = store
        .pinned_keys()
        .map_err(store_err)?
        .into_iter()
        .map(|(_, k)| k)
        .collect();
    let mut stored_orders = HashSet::new();
    for note in store.orders().map_err(store_err)? {
        let text = note.split("\n\n").next().unwrap_or("");
        let o: Order = serde_json::from_str(text)
            .map_err(|e| CoreError::Integrity(format!("a stored order does not parse: {e}")))?;
        stored_orders.insert(o.id);
    }
    let h2 = head(store)?;
    for p in &pins {
        if !stored_pins.contains(p) {
            return Err(altered(format!(
                "the ledger pinned regulator key `{p}`, the store does not hold it"
            )));
        }
    }
    for o in &accepted {
        if !stored_orders.contains(o) {
            return Err(altered(format!(
                "the ledger accepted order `{o}`, the store does not hold it"
            )));
        }
    }
    ledger_authority(store, h1, h2, &mut pins, &mut accepted, &mut |_| {}, None)?;
    for p in &stored_pins {
        if !pins.contains(p) {
            return Err(altered(format!(
                "the store pins regulator key `{p}`, the ledger never pinned it"
            )));
        }
    }
    for o in &stored_orders {
        if !accepted.contains(o) {
            return Err(altered(format!(
                "the store holds order `{o}`, the ledger never accepted it"
            )));
        }
    }
    Ok(())
}

/// Whether the configured keys are the trusted ones; the refusal names the difference.
fn agree(configured: &[String], trusted: &[String]) -> Result<(), CoreError> {
    if configured == trusted {
        return Ok(());
    }
    let extra: Vec<&str> = configured
        .iter()
        .filter(|k| !trusted.contains(k))
        .map(String::as_str)
        .collect();
    let missing: Vec<&str> = trusted
        .iter()
        .filter(|k| !configured.contains(k))
        .map(String::as_str)
        .collect();
    Err(CoreError::Config(format!(
        "`regulator_keys` disagrees with the regulator keys pinned in the ledger (configured but not trusted: [{}]; trusted but not configured: [{}]); trusted keys change only by a regulator's signed `trust_key` or `remove_key` order",
        extra.join(", "),
        missing.join(", ")
    )))
}

fn key_set(keys: &[Verifier]) -> Vec<String> {
    let mut v: Vec<String> = keys.iter().map(Verifier::to_vkey).collect();
    v.sort();
    v.dedup();
    v
}

impl Vault {
    /// Pins the configured regulator keys if none are pinned yet; otherwise checks that the
    /// configuration agrees with the keys the orders left trusted.
    pub(super) fn pin_regulator_keys(&self) -> Result<(), CoreError> {
        let configured = key_set(&self.cfg.regulator_keys);
        // Another process may pin between our read and our commit: then compare with its pins.
        for _ in 0..3 {
            let (pinned_empty, trusted) = {
                let t = self
                    .orders
                    .read()
                    .map_err(|_| super::poisoned("order table"))?;
                (t.pinned.is_empty(), key_set(&t.trusted))
            };
            if !pinned_empty {
                return agree(&configured, &trusted);
            }
            if configured.is_empty() || self.pin(&self.cfg.regulator_keys)? {
                return Ok(());
            }
        }
        Err(CoreError::Store(
            "the regulator keys kept changing while pinning; retry".into(),
        ))
    }

    /// Pins `keys` if none are pinned when the act commits; `false` if another process
    /// pinned first.
    fn pin(&self, keys: &[Verifier]) -> Result<bool, CoreError> {
        self.act_on_orders(
            |a| {
                if !a.table().pinned.is_empty() {
                    return Ok(false);
                }
                let mut entries = Vec::new();
                for k in keys {
                    let vkey = k.to_vkey();
                    let mut e = a.entry(EntryKind::ConfigChange, LedgerDecision::Allow);
                    e.reason = Id::new(PINNED).ok();
                    e.destination = Some(Id::new(&vkey).map_err(|_| {
                        CoreError::Config(format!(
                            "regulator key `{}` is too long to pin (a key name of at most 60 characters)",
                            k.key_id()
                        ))
                    })?);
                    entries.push(e);
                }
                a.commit(
                    Change::PinKeys {
                        keys: keys.iter().map(Verifier::to_vkey).collect(),
                        at: a.now(),
                    },
                    entries,
                )?;
                Ok(true)
            },
            |table, pinned| {
                if *pinned {
                    table.pinned = keys.to_vec();
                    table.trusted = keys.to_vec();
                }
            },
        )
    }

    /// The regulator keys the cell trusts now.
    pub fn trusted_regulator_keys(&self) -> Vec<Verifier> {
        let _ = self.refresh_if_changed();
        self.orders
            .read()
            .map(|t| t.trusted.clone())
            .unwrap_or_default()
    }
}
