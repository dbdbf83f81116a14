//! Backups: taken online and recorded in the ledger (a backup is a copy of everyone's PI); after
//! a restore, the ledger records it, and every subject the backup held as live whose key the
//! cell no longer has (erased after the backup was taken) is recorded as erased again — the
//! store marked it erased and deleted its values when it opened.

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
        Ok(Backup {
            ledger_size,
            checkpoint: self.checkpoint_at(ledger_size)?,
        })
    }

    /// Records a restore of a backup whose ledger had `backup_size` entries.
    pub fn record_restore(
        &self,
        _admin: &AdminScope,
        erased_since: &[(TenantId, SubjectId)],
    ) -> Result<(), CoreError> {
        self.act(|a| {
            let mut entries = Vec::with_capacity(erased_since.len() + 1);
            let mut e = a.entry(EntryKind::ConfigChange, LedgerDecision::None);
            e.reason = Id::new("backup_restored").ok();
            entries.push(e);
            for (t, s) in erased_since {
                let mut e = a.entry(EntryKind::Erase, LedgerDecision::None);
                e.tenant = Some(t.ledger());
                e.subject = Some(s.ledger());
                e.reason = Id::new("erased_since_backup").ok();
                entries.push(e);
            }
            a.commit(Change::Record, entries)
        })?;
        Ok(())
    }
}
