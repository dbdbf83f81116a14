//! Whether an erasure has reached every copy, with the proof a person keeps (see
//! [`erasure`](crate::erasure) for the rule).

use std::sync::atomic::Ordering;

use custodian_ledger::{ConsistencyProof, Entry, EntryKind, InclusionProof};

use super::{Vault, store_err};
use crate::access::Scope;
use crate::erasure::{self, EpochEvent};
use crate::error::CoreError;
use crate::ids::Epoch;
use crate::keyring::LEGACY_EPOCH;

/// Entries read at a time while looking for the epoch's entries after an erasure.
const SCAN_BATCH: u64 = 4096;

/// An erasure and whether it is final.
#[derive(Clone, Debug)]
pub struct ErasureFinality {
    /// The erasure's index in the ledger.
    pub erasure: u64,
    /// The epoch that must be destroyed for the erasure to be final: the one in force when it
    /// was recorded (every copy of the subject's key is wrapped under it or an earlier one).
    pub epoch: Epoch,
    /// The proof, once final.
    pub proof: Option<FinalityProof>,
}

/// The entries that make an erasure final, each with its inclusion proof in one signed tree.
#[derive(Clone, Debug)]
pub struct FinalityProof {
    /// The cell's signed checkpoint the proofs are against.
    pub checkpoint: String,
    /// The first epoch begun after the erasure (`epoch_created`): its index, the entry, proof.
    pub created: (u64, Entry, InclusionProof),
    /// The destruction of the epoch before it (`epoch_destroyed`).
    pub destroyed: (u64, Entry, InclusionProof),
    /// Proof that the checkpoint's tree extends the tree of the size asked for (the size of
    /// the erasure's receipt), when one was.
    pub consistency: Option<ConsistencyProof>,
}

impl Vault {
    /// Whether the erasure at ledger `index` is final, and the proof if it is. `since`: the
    /// size of a checkpoint the caller holds (its receipt's), for a consistency proof from it.
    /// `at`: a checkpoint of this ledger signed by the cell (with its witnesses'
    /// cosignatures, say) to answer as of — its tree is the one read and proved in, and it is
    /// the answer's checkpoint; `None`: the ledger as it stands, in a fresh checkpoint.
    /// A DPO asks about its own tenant's erasures only (another's is not found); the epoch
    /// entries are the cell's and name no tenant.
    ///
    /// The ledger is read from the erasure on until the epoch's destruction: one rotation
    /// period of entries, or all of them after it while the erasure is pending.
    pub fn erasure_finality(
        &self,
        scope: &Scope,
        index: u64,
        since: Option<u64>,
        at: Option<&str>,
    ) -> Result<ErasureFinality, CoreError> {
        let not_found = || CoreError::NotFound(format!("entry {index} not found"));
        let head = self.try_ledger_size()?;
        if index >= head {
            return Err(not_found());
        }
        let (size, signed) = match at {
            None => (head, None),
            Some(note) => (self.own_checkpoint(note)?, Some(note.to_string())),
        };
        if index >= size {
            return Err(CoreError::Conflict(format!(
                "the checkpoint asked for (size {size}) does not hold entry {index} yet: ask again once it does"
            )));
        }
        let (_, entry) = self
            .scoped_entries(scope, index, index + 1)?
            .pop()
            .ok_or_else(not_found)?;
        if !erasure::erases_a_subject(&entry) {
            return Err(CoreError::invalid(format!(
                "entry {index} is not a subject's erasure"
            )));
        }
        if let Some(s) = since
            && s > size
            && s <= head
            && at.is_some()
        {
            return Err(CoreError::Conflict(format!(
                "the checkpoint asked for (size {size}) does not hold the receipt's tree (size {s}) yet: ask again once it does"
            )));
        }
        if let Some(s) = since
            && (s <= index || s > size)
        {
            return Err(CoreError::invalid(format!(
                "since {s}: give the size of a checkpoint that holds entry {index} (at most {size})"
            )));
        }
        let mut created: Option<(u64, Epoch)> = None;
        let mut destroyed: Option<u64> = None;
        let mut from = index + 1;
        'scan: while from < size {
            let to = (from + SCAN_BATCH).min(size);
            for (i, bytes) in self.store.ledger_entries(from, to).map_err(store_err)? {
                if Entry::kind_of(&bytes) != Some(EntryKind::KeyRotation) {
                    continue;
                }
                let e = Entry::decode(&bytes).map_err(|e| CoreError::Integrity(e.to_string()))?;
                match (erasure::epoch_event(&e), created) {
                    (Some(EpochEvent::Created(next)), None) => created = Some((i, next)),
                    (Some(EpochEvent::Destroyed(gone)), Some((_, next)))
                        if next > 0 && gone == next - 1 =>
                    {
                        destroyed = Some(i);
                        break 'scan;
                    }
                    _ => {}
                }
            }
            from = to;
        }
        let epoch = match created {
            Some((_, next)) => next.saturating_sub(1),
            // No epoch begun since: the one in force now was in force then.
            None => self.epoch.load(Ordering::Acquire),
        };
        // The entry is recorded when the store retires the epoch, before the holder destroys
        // its key (a crash between is finished at the next open): not final while the holder
        // still has the epoch or an earlier one.
        let held = self.keys.held_epochs()?;
        let destroyed =
            destroyed.filter(|_| !held.iter().any(|&h| h != LEGACY_EPOCH && h <= epoch));
        // A cell that held subjects before epochs: their keys were wrapped by the KEK itself,
        // and a copy from then opens with it until the KEK is rotated.
        let destroyed = match destroyed {
            Some(_) if self.kek_wrapped_copies_may_open(size)? => None,
            d => d,
        };
        let (Some((c, _)), Some(d)) = (created, destroyed) else {
            return Ok(ErasureFinality {
                erasure: index,
                epoch,
                proof: None,
            });
        };
        let read = |i: u64| -> Result<(u64, Entry, InclusionProof), CoreError> {
            let (_, e) = self.ledger_entries(i, i + 1)?.pop().ok_or_else(not_found)?;
            Ok((i, e, self.inclusion_proof(i, size)?))
        };
        let proof = FinalityProof {
            checkpoint: match signed {
                Some(note) => note,
                None => self.checkpoint_at(size)?,
            },
            created: read(c)?,
            destroyed: read(d)?,
            consistency: since.map(|s| self.consistency_proof(s, size)).transpose()?,
        };
        erasure::check_final(
            (index, &entry),
            (c, &proof.created.1),
            (d, &proof.destroyed.1),
        )
        .map_err(CoreError::Integrity)?;
        Ok(ErasureFinality {
            erasure: index,
            epoch,
            proof: Some(proof),
        })
    }
}

impl Vault {
    /// Whether a copy of the store may hold subject keys wrapped by the KEK itself that the
    /// KEK still opens, by the ledger of `size` entries: subjects were registered before the
    /// first epoch began (a cell from before epochs) and no `kek_rotated` entry follows (a
    /// KEK rotation is refused while such a key is live, and leaves the old copies to a KEK
    /// the holder no longer has).
    fn kek_wrapped_copies_may_open(&self, size: u64) -> Result<bool, CoreError> {
        let mut legacy = false;
        // A cell made with epochs begins its first among its first few entries.
        let (mut from, mut batch) = (0, 64);
        while from < size {
            let to = (from + batch).min(size);
            batch = SCAN_BATCH;
            for (_, bytes) in self.store.ledger_entries(from, to).map_err(store_err)? {
                match Entry::kind_of(&bytes) {
                    Some(EntryKind::Register | EntryKind::Receive) => legacy = true,
                    Some(EntryKind::KeyRotation) => {
                        let e = Entry::decode(&bytes)
                            .map_err(|e| CoreError::Integrity(e.to_string()))?;
                        if erasure::rotates_the_kek(&e) {
                            return Ok(false);
                        }
                        if !legacy && erasure::epoch_event(&e).is_some() {
                            // The first epoch began before any subject: no key was ever
                            // wrapped by the KEK itself.
                            return Ok(false);
                        }
                    }
                    _ => {}
                }
            }
            from = to;
        }
        Ok(legacy)
    }

    /// The size of `note`, a checkpoint signed with this cell's ledger key of a tree this
    /// ledger holds (its root is the ledger's at that size).
    fn own_checkpoint(&self, note: &str) -> Result<u64, CoreError> {
        let opened = custodian_ledger::note::open(note, &[self.signer.verifier()])
            .map_err(|e| CoreError::invalid(format!("the checkpoint: {e}")))?;
        let cp = custodian_ledger::Checkpoint::parse(&opened.text)
            .map_err(|e| CoreError::invalid(format!("the checkpoint: {e}")))?;
        let size = cp.size.get();
        if cp.origin != self.cfg.origin || self.root_at(size)? != cp.root {
            return Err(CoreError::Integrity(format!(
                "the checkpoint of size {size} is not of this ledger"
            )));
        }
        Ok(size)
    }
}
