//! What the ledger says of transfers: the counts it reproduces, and complete stretches of it
//! for the regulator to find every transfer in.

use std::collections::{BTreeMap, HashSet};

use custodian_ledger::{Decision as LedgerDecision, Entry, EntryKind};

use super::{Vault, store_err};
use crate::error::CoreError;
use crate::ids::{Jurisdiction, Millis, OrgCode, SubjectId, TenantId};
use crate::store::Store;
use crate::transfers::{self, Counts};

/// What the audit at open holds the store to besides pins and orders, gathered while it reads
/// the ledger: the individuals counted as exported in the two latest years the ledger has
/// transfers in and the year of the clock (an operator who deleted rows of `transferred` would
/// let the gate count under a threshold the ledger shows crossed; one who set the clock to
/// another year would have the audit look at an empty one), and every transfer received from
/// another cell (a `received` row deleted would let the same receipt in again).
pub(super) struct LedgerCounts {
    cell: Jurisdiction,
    now_year: i32,
    /// (year, organisation, tenant) → (subject, sensitive) pairs the ledger counts.
    counted: BTreeMap<(i32, String, String), HashSet<(String, bool)>>,
    /// Leaf hashes of the transfers received from other cells.
    received: Vec<String>,
    /// The ledger key each other cell was last recorded as trusted with (`peer_trusted`).
    pub(super) peers: BTreeMap<String, String>,
}

/// The reason of the entry recording the ledger key another cell is trusted with.
pub(super) const PEER_TRUSTED: &str = "peer_trusted";

/// Years of counts kept while reading (the latest ones).
const YEARS_KEPT: usize = 2;

impl LedgerCounts {
    /// For a cell, with the clock at `now`.
    pub(super) fn new(cell: &Jurisdiction, now: Millis) -> LedgerCounts {
        LedgerCounts {
            cell: cell.clone(),
            now_year: transfers::local_year(now, cell).0,
            counted: BTreeMap::new(),
            received: Vec::new(),
            peers: BTreeMap::new(),
        }
    }

    /// Notes an entry. The audit passes only the kinds `authority::AUDITED` names, the ones read
    /// here: keep the two together.
    pub(super) fn add(&mut self, e: &Entry) {
        if e.decision != LedgerDecision::Allow {
            return;
        }
        if e.kind == EntryKind::ConfigChange
            && e.reason
                .as_ref()
                .is_some_and(|r| r.as_str() == PEER_TRUSTED)
            && let (Some(cell), Some(key)) = (
                e.destination.as_ref(),
                e.tokens
                    .iter()
                    .find_map(|t| t.as_str().strip_prefix("key:")),
            )
        {
            self.peers
                .insert(cell.as_str().to_string(), key.to_string());
            return;
        }
        if e.kind == EntryKind::Receive {
            self.received.extend(
                e.tokens
                    .iter()
                    .find_map(|t| t.as_str().strip_prefix("leaf:"))
                    .map(String::from),
            );
            return;
        }
        if e.kind != EntryKind::Transfer {
            return;
        }
        let (Some(t), Some(s)) = (&e.tenant, &e.subject) else {
            return;
        };
        let Some(org) = e
            .tokens
            .iter()
            .find_map(|x| x.as_str().strip_prefix("org:"))
        else {
            return;
        };
        let year = transfers::local_year(e.time_ms, &self.cell).0;
        let set = self
            .counted
            .entry((year, org.to_string(), t.as_str().to_string()))
            .or_default();
        for (class, sensitive) in [("class:general", false), ("class:sensitive", true)] {
            if e.tokens.iter().any(|x| x.as_str() == class) {
                set.insert((s.as_str().to_string(), sensitive));
            }
        }
        // Only the latest years are kept (and the clock's, if among them).
        let years: std::collections::BTreeSet<i32> = self.counted.keys().map(|k| k.0).collect();
        if years.len() > YEARS_KEPT {
            let keep: Vec<i32> = years.iter().rev().take(YEARS_KEPT).copied().collect();
            let now_year = self.now_year;
            self.counted
                .retain(|k, _| keep.contains(&k.0) || k.0 == now_year);
        }
    }

    /// Every individual the ledger counts must be counted in the store, and every transfer
    /// received must be on record as received.
    pub(super) fn check(&self, store: &dyn Store) -> Result<(), CoreError> {
        let bad = |what: &str| CoreError::Integrity(format!("the ledger records {what}"));
        for ((year, org, tenant), pairs) in &self.counted {
            let org_code =
                OrgCode::parse(org).map_err(|_| bad("a transfer of an invalid organisation"))?;
            let tenant_id =
                TenantId::parse(tenant).map_err(|_| bad("a transfer of an invalid tenant"))?;
            let subjects: Vec<SubjectId> = pairs
                .iter()
                .map(|(s, _)| {
                    SubjectId::parse(s).map_err(|_| bad("a transfer of an invalid subject"))
                })
                .collect::<Result<HashSet<_>, _>>()?
                .into_iter()
                .collect();
            let mut stored: HashSet<(String, bool)> = HashSet::new();
            for chunk in subjects.chunks(500) {
                for (s, sensitive) in store
                    .transferred(&org_code, *year, &tenant_id, chunk)
                    .map_err(store_err)?
                {
                    stored.insert((s.as_str().to_string(), sensitive));
                }
            }
            if let Some((s, _)) = pairs.iter().find(|p| !stored.contains(*p)) {
                return Err(CoreError::Integrity(format!(
                    "the ledger counts subject {s} of tenant `{tenant}` as exported by organisation {org} in {year}, the store's counts do not: they were changed outside the cell (a gate counting from them would let transfers pass a threshold the ledger shows crossed)"
                )));
            }
        }
        for leaf in &self.received {
            if store.received(leaf).map_err(store_err)?.is_none() {
                return Err(CoreError::Integrity(format!(
                    "the ledger records the transfer with leaf hash {leaf} as received from another cell, the store does not: it was changed outside the cell (the same transfer could be received again)"
                )));
            }
        }
        Ok(())
    }
}

/// The counts a set of ledger entries gives an organisation for a year: distinct (tenant,
/// subject) pairs of allowed `transfer` entries in the year, by class — what the store's
/// counters must equal (the ledger alone reproduces them).
pub fn counts_from_ledger<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    organisation: &OrgCode,
    year: i32,
    cell: &crate::ids::Jurisdiction,
) -> Counts {
    let org = format!("org:{organisation}");
    let off = transfers::utc_offset(cell);
    let (from, to) = (
        transfers::year_start(year) - off,
        transfers::year_start(year + 1) - off,
    );
    let mut general: HashSet<(String, String)> = HashSet::new();
    let mut sensitive: HashSet<(String, String)> = HashSet::new();
    for e in entries {
        if e.kind != EntryKind::Transfer
            || e.decision != LedgerDecision::Allow
            || e.time_ms < from
            || e.time_ms >= to
            || !e.tokens.iter().any(|t| t.as_str() == org)
        {
            continue;
        }
        let who = (
            e.tenant
                .as_ref()
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
            e.subject
                .as_ref()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
        );
        if e.tokens.iter().any(|t| t.as_str() == "class:general") {
            general.insert(who.clone());
        }
        if e.tokens.iter().any(|t| t.as_str() == "class:sensitive") {
            sensitive.insert(who);
        }
    }
    Counts {
        general: general.len() as u64,
        sensitive: sensitive.len() as u64,
    }
}

/// The tenant a transfer's counts belong to (for views).
pub fn organisation_of(vault: &Vault, tenant: &TenantId) -> Result<OrgCode, CoreError> {
    Ok(vault.manifest(tenant)?.organisation)
}

/// Every transfer between two sizes of the ledger, provably complete: the signed checkpoints at
/// both sizes and every entry of the stretch between them (`custodian_ledger::range`), so the
/// verifier itself picks out the transfers — a transfer shown only as a hash could be hidden.
#[derive(Debug)]
pub struct TransferHistory {
    /// The cell's signed checkpoint at `from`.
    pub checkpoint_from: String,
    /// The cell's signed checkpoint at `to`.
    pub checkpoint_to: String,
    /// The stretch.
    pub range: custodian_ledger::range::RangeFile,
}

/// The most leaves a history answers at once (ask again from where it stopped).
pub const HISTORY_MAX: u64 = 100_000;

impl Vault {
    /// The ledger between sizes `from` and `to`, complete, for finding every transfer in it
    /// (see [`TransferHistory`]). Every entry is shown, so only cell-wide readers (the
    /// regulator, the administrator) ask.
    pub fn transfer_history(
        &self,
        scope: &crate::access::Scope,
        from: u64,
        to: u64,
    ) -> Result<TransferHistory, CoreError> {
        if scope.tenant().is_some() {
            return Err(CoreError::invalid(
                "a complete stretch of the ledger shows every tenant's entries: the regulator or the administrator asks",
            ));
        }
        if from > to || to - from > HISTORY_MAX {
            return Err(CoreError::invalid(format!(
                "give from <= to and at most {HISTORY_MAX} entries"
            )));
        }
        let checkpoint_to = self.checkpoint_at(to)?;
        let checkpoint_from = self.checkpoint_at(from)?;
        let nodes = crate::store::LedgerNodes(self.store.as_ref());
        let mut frontier = Vec::new();
        for id in custodian_ledger::Log::frontier_ids(custodian_ledger::TreeSize::new(from)) {
            use custodian_ledger::NodeStore as _;
            frontier.push(
                nodes
                    .node(id)
                    .map_err(|e| CoreError::Store(e.to_string()))?
                    .ok_or_else(|| CoreError::Integrity("a ledger node is missing".into()))?,
            );
        }
        let entries = self.ledger_entries(from, to)?;
        let leaves = entries.iter().map(|(_, e)| Ok(e)).collect();
        let range = custodian_ledger::range::RangeFile::new(from, to, &frontier, leaves)
            .map_err(|e| CoreError::Integrity(e.to_string()))?;
        Ok(TransferHistory {
            checkpoint_from,
            checkpoint_to,
            range,
        })
    }
}

impl Vault {
    /// Records in the ledger each other cell's ledger key this cell's configuration trusts, when
    /// it differs from the one last recorded (`recorded`, from the audit's read): a key the
    /// operator put in the `[cells]` directory is on the record from the first start it is
    /// trusted, for the regulator to compare with that cell's own key. A cell no longer
    /// trusted is recorded with the key `none`.
    pub(super) fn record_peers(
        &self,
        recorded: &BTreeMap<String, String>,
    ) -> Result<(), CoreError> {
        let mut now: BTreeMap<String, String> = recorded
            .keys()
            .map(|c| (c.clone(), "none".to_string()))
            .collect();
        for p in &self.cfg.peers {
            now.insert(p.cell.as_str().to_string(), p.key.to_vkey());
        }
        let changed: Vec<(String, String)> = now
            .into_iter()
            .filter(|(c, k)| {
                recorded.get(c) != Some(k) && !(k == "none" && recorded.get(c).is_none())
            })
            .collect();
        if changed.is_empty() {
            return Ok(());
        }
        self.act(|a| {
            let mut entries = Vec::new();
            for (cell, key) in &changed {
                let mut e = a.entry(EntryKind::ConfigChange, LedgerDecision::Allow);
                e.reason = custodian_ledger::Id::new(PEER_TRUSTED).ok();
                e.destination = Some(
                    custodian_ledger::Id::new(cell)
                        .map_err(|e| CoreError::Config(format!("[cells] `{cell}`: {e}")))?,
                );
                e.tokens =
                    vec![
                        custodian_ledger::Id::new(&format!("key:{key}")).map_err(|_| {
                            CoreError::Config(format!(
                                "[cells] `{cell}`: the key is too long to be recorded in the ledger"
                            ))
                        })?,
                    ];
                entries.push(e);
            }
            a.commit(crate::store::Change::Record, entries)?;
            Ok(())
        })
    }
}
