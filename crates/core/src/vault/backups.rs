//! Backups: taken online and recorded in the ledger (a backup is a copy of everyone's PI); after
//! a restore, the ledger records it, and every subject the backup held as live whose key the
//! cell no longer has (erased after the backup was taken) is recorded as erased again — the
//! restore marked it erased and deleted its values, and the vault records it when it opens.

use custodian_ledger::{Decision as LedgerDecision, EntryKind, Id};

use super::{Vault, store_err};
use crate::access::AdminScope;
use crate::error::CoreError;
use crate::ids::{SubjectId, TenantId};
use crate::store::Change;

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

    /// Records a restore (the subjects it found erased since the backup are recorded when the
    /// vault opens, as every erasure the store made outside an act is:
    /// [`Vault::record_store_erasures`]).
    pub fn record_restore(&self, _admin: &AdminScope) -> Result<(), CoreError> {
        self.act(|a| {
            let mut e = a.entry(EntryKind::ConfigChange, LedgerDecision::None);
            e.reason = Id::new("backup_restored").ok();
            a.commit(Change::Record, vec![e])
        })?;
        Ok(())
    }

    /// Records in the ledger the erasures the store made outside an act
    /// ([`crate::store::Store::unrecorded_erasures`]: a registration a crash cut, subjects a
    /// restore found erased since its backup, the backup's values of subjects re-keyed since,
    /// which the restore deleted), each as an `erase` entry with decision `none`
    /// and the store's reason, in the job that tells the store they are recorded. Called at
    /// open, so a cell never serves with an erasure its ledger does not show.
    pub(super) fn record_store_erasures(&self) -> Result<(), CoreError> {
        let erased = self.store.unrecorded_erasures().map_err(store_err)?;
        if erased.is_empty() {
            return Ok(());
        }
        self.act(|a| {
            let mut entries = Vec::with_capacity(erased.len());
            for (t, s, why) in &erased {
                let mut e = a.entry(EntryKind::Erase, LedgerDecision::None);
                e.tenant = Some(t.ledger());
                e.subject = Some(s.ledger());
                e.reason = Some(Id::new(why).map_err(|e| {
                    CoreError::Integrity(format!("the store's reason `{why}` for an erasure: {e}"))
                })?);
                entries.push(e);
            }
            let done: Vec<(TenantId, SubjectId)> = erased
                .iter()
                .map(|(t, s, _)| (t.clone(), s.clone()))
                .collect();
            a.commit(Change::ErasuresRecorded(done), entries)
        })?;
        Ok(())
    }
}
