//! Backups: taken online and recorded in the ledger (a backup is a copy of everyone's PI); after
//! a restore, the ledger records it, and every subject the backup held as live whose key the
//! cell no longer has (erased after the backup was taken) is recorded as erased again — the
//! restore marked both in the data it restored, and the vault records them in one job when it
//! opens.

use custodian_ledger::{Decision as LedgerDecision, EntryKind, Id};

use super::{Vault, store_err};
use crate::access::AdminScope;
use crate::error::CoreError;
use crate::ids::{SubjectId, TenantId};
use crate::store::Change;

/// The reason of the entry recording a restore.
const RESTORED: &str = "backup_restored";

/// A backup taken.
#[derive(Clone, Debug)]
pub struct Backup {
    /// Entries in the backup's ledger (its own `backup_taken` entry is the last).
    pub ledger_size: u64,
    /// The cell's signed checkpoint of exactly that ledger.
    pub checkpoint: String,
    /// The epochs its keys are wrapped under (as the cell stood when it was taken).
    pub key_epochs: Vec<crate::ids::Epoch>,
    /// When it was taken.
    pub taken_at: crate::ids::Millis,
}

impl Backup {
    /// `backup.json`: what the backup holds, for the person who keeps it.
    pub fn describe_json(&self) -> String {
        let v = serde_json::json!({
            "format": "custodian-backup/1",
            "taken_at_ms": self.taken_at,
            "ledger_size": self.ledger_size,
            "key_epochs": self.key_epochs,
            "holds": "vault.db (data, ledger) and keys.db (keys wrapped under the epochs above); no KEK, no epoch key: the keys open only while those epochs exist",
        });
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    }
}

impl Vault {
    /// Takes a backup into the directory `out` (the store's snapshot) and signs a checkpoint of
    /// its ledger. Recorded in the ledger first, so the backup holds the record of itself.
    pub fn backup(&self, _admin: &AdminScope, out: &std::path::Path) -> Result<Backup, CoreError> {
        self.act(|a| {
            let mut e = a.entry(EntryKind::ConfigChange, LedgerDecision::None);
            e.reason = Id::new("backup_taken").ok();
            a.commit(Change::Record, vec![e])
        })?;
        let ledger_size = self.store.snapshot(out).map_err(store_err)?;
        let mut key_epochs: Vec<crate::ids::Epoch> = self
            .store
            .key_counts()
            .map_err(store_err)?
            .into_iter()
            .map(|(e, _)| e)
            .chain(
                self.store
                    .tenants()
                    .map_err(store_err)?
                    .iter()
                    .map(|t| t.wrapped_key.epoch),
            )
            .collect();
        key_epochs.sort_unstable();
        key_epochs.dedup();
        Ok(Backup {
            ledger_size,
            checkpoint: self.checkpoint_at(ledger_size)?,
            key_epochs,
            taken_at: self.now(),
        })
    }

    /// Records in the ledger what the store did outside an act, in one job that tells the store
    /// it is recorded: a restore ([`crate::store::Store::unrecorded_restore`]) as a
    /// `config_change` entry `backup_restored`, then the erasures
    /// ([`crate::store::Store::unrecorded_erasures`]: a registration a crash cut, subjects a
    /// restore found erased since its backup, the backup's values of subjects re-keyed since,
    /// which the restore deleted), each as an `erase` entry with decision `none` and the
    /// store's reason. Called at open, so a cell never serves with a restore or an erasure its
    /// ledger does not show — a restore cut before its first open included. What is pending is
    /// read inside the act: a process that loses the race to record it records nothing.
    pub(super) fn record_store_acts(&self) -> Result<(), CoreError> {
        self.act(|a| {
            let restore = self.store.unrecorded_restore().map_err(store_err)?;
            let erased = self.store.unrecorded_erasures().map_err(store_err)?;
            if !restore && erased.is_empty() {
                return Ok(());
            }
            let mut entries = Vec::with_capacity(erased.len() + 1);
            if restore {
                let mut e = a.entry(EntryKind::ConfigChange, LedgerDecision::None);
                e.reason = Id::new(RESTORED).ok();
                entries.push(e);
            }
            for (t, s, why) in &erased {
                let mut e = a.entry(EntryKind::Erase, LedgerDecision::None);
                e.tenant = Some(t.ledger());
                e.subject = Some(s.ledger());
                e.reason = Some(Id::new(why).map_err(|e| {
                    CoreError::Integrity(format!("the store's reason `{why}` for an erasure: {e}"))
                })?);
                entries.push(e);
            }
            let erasures: Vec<(TenantId, SubjectId)> =
                erased.into_iter().map(|(t, s, _)| (t, s)).collect();
            a.commit(Change::StoreActsRecorded { restore, erasures }, entries)
                .map(|_| ())
        })?;
        Ok(())
    }
}
