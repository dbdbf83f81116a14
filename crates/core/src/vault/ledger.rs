//! The ledger as a cell serves it: signed checkpoints, proofs, entries.

use custodian_ledger::{
    Checkpoint, ConsistencyProof, Decision as LedgerDecision, Entry, EntryKind, Id, InclusionProof,
    LeafIndex, TreeSize,
};

use super::{Vault, store_err};
use crate::access::{Operation, Principal};
use crate::error::CoreError;
use crate::store::Change;
use crate::store::LedgerNodes;

/// What proves an act is in the ledger, for the person it concerns to keep: the entry, a
/// signed checkpoint of a tree that holds it, and the inclusion proof against that tree — all
/// `custodian ledger verify` needs, beside the cell's verifier key.
#[derive(Clone, Debug)]
pub struct Receipt {
    /// The entry's index.
    pub index: u64,
    /// The entry.
    pub entry: Entry,
    /// The cell's signed checkpoint (its size covers the entry).
    pub checkpoint: String,
    /// The entry's inclusion proof in the checkpoint's tree.
    pub proof: InclusionProof,
}

/// Why the edge refused a caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The key's role may not perform the operation.
    Role,
    /// The operation names another tenant than the key's.
    Tenant,
}

impl Vault {
    /// Records a caller's access as an `access` entry: `refused` (the role or tenant check
    /// the edge made) or, for regulators, every allowed read. The entry names the key (as its
    /// service), the operation (as its purpose) and the key's tenant, so a tenant's DPO sees
    /// the refusals of its own keys; no other tenant's id is written.
    pub fn record_access(
        &self,
        principal: &Principal,
        op: Operation,
        refused: Option<Refusal>,
    ) -> Result<(), CoreError> {
        let key = Id::new(&principal.key_id).ok();
        let tenant = principal.access.tenant().map(|t| t.ledger());
        self.act(|a| {
            let decision = if refused.is_some() {
                LedgerDecision::Deny
            } else {
                LedgerDecision::Allow
            };
            let mut e = a.entry(EntryKind::Access, decision);
            e.tenant.clone_from(&tenant);
            e.service.clone_from(&key);
            e.purpose = Id::new(&op.name()).ok();
            e.reason = Id::new(match refused {
                None => principal.access.role().as_str(),
                Some(Refusal::Role) => "role_refused",
                Some(Refusal::Tenant) => "tenant_refused",
            })
            .ok();
            a.commit(Change::Record, vec![e])?;
            Ok(())
        })
    }

    /// A receipt for the entry at `index`: a checkpoint of the ledger as it stands and the
    /// entry's inclusion proof in it.
    pub fn receipt(&self, index: u64) -> Result<Receipt, CoreError> {
        let size = self.ledger_size();
        let checkpoint = self.checkpoint_at(size)?;
        let proof = self.inclusion_proof(index, size)?;
        let entry = self
            .ledger_entries(index, index + 1)?
            .pop()
            .map(|(_, e)| e)
            .ok_or_else(|| CoreError::NotFound(format!("ledger entry {index}")))?;
        Ok(Receipt {
            index,
            entry,
            checkpoint,
            proof,
        })
    }

    /// Entries in the ledger.
    pub fn ledger_size(&self) -> u64 {
        self.try_ledger_size().unwrap_or(0)
    }

    /// Entries in the ledger, or why the store could not say.
    pub fn try_ledger_size(&self) -> Result<u64, CoreError> {
        Ok(self.store.ledger_head().map_err(store_err)?.size.get())
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

    /// A signed checkpoint of the ledger as it was at `size` entries (a backup's, say). Only
    /// prefixes of this cell's own ledger are signed: the root comes from the store's nodes.
    pub fn checkpoint_at(&self, size: u64) -> Result<String, CoreError> {
        let root = self.root_at(size)?;
        let cp = Checkpoint {
            origin: self.cfg.origin.clone(),
            size: TreeSize::new(size),
            root,
            extensions: vec![],
        };
        self.signer
            .sign(&cp.to_text())
            .map_err(|e| CoreError::Keys(e.to_string()))
    }

    /// The root of the ledger as it was at `size` entries (from the store's nodes).
    pub fn root_at(&self, size: u64) -> Result<custodian_ledger::Hash, CoreError> {
        self.within_ledger(size)?;
        custodian_ledger::tree::root_from_store(
            &LedgerNodes(self.store.as_ref()),
            TreeSize::new(size),
        )
        .map_err(|e| CoreError::Integrity(e.to_string()))
    }

    /// The ledger's origin: the cell's name in its checkpoints (and in signed requests).
    pub fn origin(&self) -> &str {
        &self.cfg.origin
    }

    /// The verifier key of the cell's ledger (`<name>+<hex id>+<base64>`).
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

    /// Ledger entries with index in `from..to` that `scope` may read: a DPO reads its own
    /// tenant's entries only (other tenants' subjects, tokens, services and purposes are theirs);
    /// the administrator and the regulator read every entry.
    pub fn scoped_entries(
        &self,
        scope: &crate::access::Scope,
        from: u64,
        to: u64,
    ) -> Result<Vec<(u64, Entry)>, CoreError> {
        let all = self.ledger_entries(from, to)?;
        Ok(match scope.tenant() {
            None => all,
            Some(t) => {
                let t = t.ledger();
                all.into_iter()
                    .filter(|(_, e)| e.tenant.as_ref() == Some(&t))
                    .collect()
            }
        })
    }

    /// The entry at `index` with its inclusion proof in the tree of `size`, if `scope` may read
    /// it (as [`Vault::scoped_entries`]); otherwise not found, as if it did not exist.
    pub fn scoped_inclusion(
        &self,
        scope: &crate::access::Scope,
        index: u64,
        size: u64,
    ) -> Result<(Entry, InclusionProof), CoreError> {
        let entry = self
            .scoped_entries(scope, index, index + 1)?
            .pop()
            .map(|(_, e)| e)
            .ok_or_else(|| CoreError::NotFound(format!("entry {index} not found")))?;
        Ok((entry, self.inclusion_proof(index, size)?))
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
