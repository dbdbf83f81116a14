//! Epochs, the middle of the key hierarchy (see [`keyring`](crate::keyring)): begun,
//! re-wrapped into, retired and destroyed; the KEK rotated; the hierarchy's status.
//!
//! A rotation: create the new epoch's key in the holder; begin the epoch in the store under the
//! order table's write guard (no act is between decision and commit, and from then on every
//! new key is wrapped under it; the store generation changes, so other processes reload
//! before they commit); re-wrap every tenant and subject key still under an older epoch, in
//! batches (a key erased meanwhile stays erased: a re-wrap changes a row only if it is still
//! under the old epoch); then retire each older epoch in the store — refused while any key is
//! still under it — and destroy its key in the holder. Each step is a ledger entry. A crash
//! anywhere leaves a state the next rotation finishes; opening the cell destroys retired epochs
//! the holder still has.

use std::sync::atomic::Ordering;

use custodian_ledger::{Decision as LedgerDecision, EntryKind, Id};

use super::{Vault, poisoned, store_err, subject_key_aad, tenant_key_aad};
use crate::access::AdminScope;
use crate::error::CoreError;
use crate::ids::Millis;
use crate::keyring::{Epoch, LEGACY_EPOCH, missing_epoch};
use crate::store::{Change, Rewrapped, WrappedKey};

/// Keys re-wrapped per commit.
const REWRAP_BATCH: usize = 1000;

/// What a rotation did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RotationReport {
    /// The epoch keys were wrapped under before.
    pub from: Epoch,
    /// The new epoch.
    pub to: Epoch,
    /// Subject keys re-wrapped.
    pub subject_keys: u64,
    /// Tenant keys re-wrapped.
    pub tenant_keys: u64,
    /// Epochs whose keys were destroyed.
    pub destroyed: Vec<Epoch>,
}

/// The key hierarchy as it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyStatus {
    /// Where the KEK and the epoch keys live.
    pub holder: String,
    /// The epoch new keys are wrapped under.
    pub current: Epoch,
    /// Every epoch recorded or holding keys, ascending.
    pub epochs: Vec<EpochStatus>,
}

/// One epoch's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpochStatus {
    /// Its number (0: keys wrapped directly by the KEK, from before epochs).
    pub epoch: Epoch,
    /// When it began (not recorded for epoch 0).
    pub created_at: Option<Millis>,
    /// When it was retired.
    pub retired_at: Option<Millis>,
    /// Whether the holder still has its key.
    pub held: bool,
    /// Subject keys wrapped under it.
    pub subject_keys: u64,
}

fn epoch_id(epoch: Epoch) -> Option<Id> {
    Id::new(&format!("epoch_{epoch}")).ok()
}

impl Vault {
    /// At open: begins the first epoch of a cell that has none, destroys the keys of retired
    /// epochs the holder still has (a rotation interrupted after retiring them), and checks that
    /// the holder has every epoch stored keys are wrapped under.
    pub(super) fn recover_epochs(&self) -> Result<(), CoreError> {
        if self.store.epochs().map_err(store_err)?.is_empty() {
            self.begin_epoch(1)?;
        }
        // Another process may have begun an epoch since the configuration was read.
        self.refresh()?;
        let recorded = self.store.epochs().map_err(store_err)?;
        let held = self.keys.held_epochs()?;
        for e in recorded.iter().filter(|e| e.retired_at.is_some()) {
            if held.contains(&e.epoch) {
                self.keys.destroy_epoch(e.epoch)?;
            }
        }
        let held = self.keys.held_epochs()?;
        let current = self.epoch.load(Ordering::Acquire);
        let mut needed: Vec<Epoch> = self
            .store
            .key_counts()
            .map_err(store_err)?
            .into_iter()
            .map(|(e, _)| e)
            .collect();
        needed.push(current);
        for e in needed {
            if e != LEGACY_EPOCH && !held.contains(&e) {
                return Err(missing_epoch(&self.keys.describe(), e));
            }
        }
        self.begin_held_epochs()
    }

    /// Begins the epochs the holder has above every one the store records — a rotation cut
    /// after making its key, or a store put back from a backup taken before the holder's later
    /// epochs — and every number between, in order, so that the ledger shows them in force from
    /// here on: such a key may wrap copies of keys (a newer backup) that must stay readable
    /// only until it is destroyed, and a rotation never begins it again as if it were new
    /// (`erasure::check_final` reads the ledger's `epoch_created` entries, one number after
    /// another). Called once the holder was found to have every epoch the store needs.
    fn begin_held_epochs(&self) -> Result<(), CoreError> {
        let max = self
            .store
            .epochs()
            .map_err(store_err)?
            .iter()
            .map(|e| e.epoch)
            .max()
            .unwrap_or(0);
        let top = self.keys.held_epochs()?.into_iter().max().unwrap_or(0);
        for e in max.saturating_add(1)..=top {
            self.begin_epoch(e)?;
        }
        Ok(())
    }

    /// Creates `epoch` in the holder and begins it in the store, under the order table's
    /// write guard; new keys are wrapped under it from then on.
    fn begin_epoch(&self, epoch: Epoch) -> Result<(), CoreError> {
        self.keys.create_epoch(epoch)?;
        self.act_on_orders(
            |a| {
                // Another process began it (this act was stale and reloaded): nothing to do. One
                // that began a later epoch instead leaves this one unrecorded: nothing may be
                // wrapped under it, so the caller stops.
                if self.epoch.load(Ordering::Acquire) >= epoch {
                    return if self
                        .store
                        .epochs()
                        .map_err(store_err)?
                        .iter()
                        .any(|e| e.epoch == epoch)
                    {
                        Ok(())
                    } else {
                        Err(CoreError::Conflict(format!(
                            "another process began an epoch after {epoch} meanwhile: rotate again"
                        )))
                    };
                }
                let mut e = a.entry(EntryKind::KeyRotation, LedgerDecision::None);
                e.reason = Id::new("epoch_created").ok();
                e.fields = epoch_id(epoch).into_iter().collect();
                a.commit(Change::BeginEpoch { epoch, at: a.now() }, vec![e])?;
                // Still under the write guard: no act holds the old epoch.
                self.epoch.store(epoch, Ordering::Release);
                Ok(())
            },
            |_, _| {},
        )
    }

    /// Rotates the epoch: a new epoch key, every live tenant and subject key re-wrapped under
    /// it, older epochs retired and their keys destroyed. Copies of the store taken before
    /// (backups) hold erased subjects' keys only under destroyed epochs afterwards.
    pub fn rotate_epoch(&self, _admin: &AdminScope) -> Result<RotationReport, CoreError> {
        let _one = self.rotation.lock().map_err(|_| poisoned("rotation"))?;
        let from = self.epoch.load(Ordering::Acquire);
        let recorded = self.store.epochs().map_err(store_err)?;
        let to = recorded.iter().map(|e| e.epoch).max().unwrap_or(0) + 1;
        self.begin_epoch(to)?;
        let tenant_keys = self.rewrap_tenants(to)?;
        let subject_keys = self.rewrap_subjects(to)?;
        let destroyed = self.retire_before(to)?;
        // One summary entry: the counts are in the report, the epochs in the entries.
        self.act(|a| {
            let mut e = a.entry(EntryKind::KeyRotation, LedgerDecision::None);
            e.reason = Id::new("keys_rewrapped").ok();
            e.fields = epoch_id(to).into_iter().collect();
            a.commit(Change::Record, vec![e])
        })?;
        Ok(RotationReport {
            from,
            to,
            subject_keys,
            tenant_keys,
            destroyed,
        })
    }

    fn rewrap_tenants(&self, to: Epoch) -> Result<u64, CoreError> {
        let mut batch = Vec::new();
        for t in self.store.tenants().map_err(store_err)? {
            if t.wrapped_key.epoch >= to {
                continue;
            }
            let aad = tenant_key_aad(&t.id);
            let key = self
                .keys
                .unwrap(t.wrapped_key.epoch, &t.wrapped_key.blob, &aad)?;
            batch.push(Rewrapped {
                tenant: t.id.clone(),
                subject: None,
                from: t.wrapped_key.epoch,
                key: WrappedKey {
                    epoch: to,
                    blob: self.keys.wrap(to, &key, &aad)?,
                },
            });
        }
        let n = batch.len() as u64;
        if !batch.is_empty() {
            self.store
                .commit(Change::Rewrap(batch), vec![])
                .map_err(store_err)?;
        }
        Ok(n)
    }

    fn rewrap_subjects(&self, to: Epoch) -> Result<u64, CoreError> {
        let mut n = 0u64;
        let mut last = None;
        loop {
            let rows = self
                .store
                .keys_before(to, REWRAP_BATCH)
                .map_err(store_err)?;
            let Some(first) = rows.first() else {
                return Ok(n);
            };
            // A batch that starts where the last one did made no progress: stop rather than spin.
            let head = (first.0.clone(), first.1.clone(), first.2.epoch);
            if last.as_ref() == Some(&head) {
                return Err(CoreError::Store(
                    "re-wrapping made no progress: a key stays under an old epoch".into(),
                ));
            }
            last = Some(head);
            let mut batch = Vec::with_capacity(rows.len());
            for (tenant, subject, w) in rows {
                let aad = subject_key_aad(&tenant, &subject);
                let key = self.keys.unwrap(w.epoch, &w.blob, &aad)?;
                batch.push(Rewrapped {
                    tenant,
                    subject: Some(subject),
                    from: w.epoch,
                    key: WrappedKey {
                        epoch: to,
                        blob: self.keys.wrap(to, &key, &aad)?,
                    },
                });
            }
            n += batch.len() as u64;
            self.store
                .commit(Change::Rewrap(batch), vec![])
                .map_err(store_err)?;
        }
    }

    /// Retires every recorded epoch before `to` (refused by the store while keys remain under
    /// it) and destroys its key in the holder; also destroys held epochs never recorded (a
    /// rotation that crashed after creating its key).
    fn retire_before(&self, to: Epoch) -> Result<Vec<Epoch>, CoreError> {
        let mut destroyed = Vec::new();
        for rec in self.store.epochs().map_err(store_err)? {
            if rec.epoch >= to {
                continue;
            }
            if rec.retired_at.is_none() {
                let epoch = rec.epoch;
                self.act(|a| {
                    let mut e = a.entry(EntryKind::KeyRotation, LedgerDecision::None);
                    e.reason = Id::new("epoch_destroyed").ok();
                    e.fields = epoch_id(epoch).into_iter().collect();
                    a.commit(Change::RetireEpoch { epoch, at: a.now() }, vec![e])
                })?;
            }
            if self.keys.held_epochs()?.contains(&rec.epoch) {
                self.keys.destroy_epoch(rec.epoch)?;
                destroyed.push(rec.epoch);
            }
        }
        let recorded: Vec<Epoch> = self
            .store
            .epochs()
            .map_err(store_err)?
            .iter()
            .map(|e| e.epoch)
            .collect();
        for e in self.keys.held_epochs()? {
            if e < to && !recorded.contains(&e) {
                self.keys.destroy_epoch(e)?;
                destroyed.push(e);
            }
        }
        Ok(destroyed)
    }

    /// Replaces the KEK and re-wraps the epoch keys under it (the holder does; no data key or
    /// value changes). Recorded in the ledger.
    pub fn rotate_kek(&self, _admin: &AdminScope) -> Result<(), CoreError> {
        let _one = self.rotation.lock().map_err(|_| poisoned("rotation"))?;
        if self
            .store
            .key_counts()
            .map_err(store_err)?
            .iter()
            .any(|(e, _)| *e == LEGACY_EPOCH)
            || self
                .store
                .tenants()
                .map_err(store_err)?
                .iter()
                .any(|t| t.wrapped_key.epoch == LEGACY_EPOCH)
        {
            return Err(CoreError::Conflict(
                "some keys are still wrapped directly by the KEK (from before epochs): rotate \
                 the epoch first"
                    .into(),
            ));
        }
        self.keys.rotate_kek()?;
        self.act(|a| {
            let mut e = a.entry(EntryKind::KeyRotation, LedgerDecision::None);
            e.reason = Id::new("kek_rotated").ok();
            a.commit(Change::Record, vec![e])
        })?;
        Ok(())
    }

    /// The key hierarchy: holder, current epoch, and each epoch's state and key count.
    pub fn key_status(&self, _admin: &AdminScope) -> Result<KeyStatus, CoreError> {
        let recorded = self.store.epochs().map_err(store_err)?;
        let counts = self.store.key_counts().map_err(store_err)?;
        let held = self.keys.held_epochs()?;
        let count = |e: Epoch| counts.iter().find(|(x, _)| *x == e).map_or(0, |(_, n)| *n);
        let mut epochs: Vec<EpochStatus> = recorded
            .iter()
            .map(|r| EpochStatus {
                epoch: r.epoch,
                created_at: Some(r.created_at),
                retired_at: r.retired_at,
                held: held.contains(&r.epoch),
                subject_keys: count(r.epoch),
            })
            .collect();
        if count(LEGACY_EPOCH) > 0 {
            epochs.insert(
                0,
                EpochStatus {
                    epoch: LEGACY_EPOCH,
                    created_at: None,
                    retired_at: None,
                    held: true,
                    subject_keys: count(LEGACY_EPOCH),
                },
            );
        }
        Ok(KeyStatus {
            holder: self.keys.describe(),
            current: self.epoch.load(Ordering::Acquire),
            epochs,
        })
    }

    /// When the current epoch began (for scheduling rotations).
    pub fn epoch_started(&self) -> Result<Option<Millis>, CoreError> {
        let current = self.epoch.load(Ordering::Acquire);
        Ok(self
            .store
            .epochs()
            .map_err(store_err)?
            .iter()
            .find(|e| e.epoch == current)
            .map(|e| e.created_at))
    }
}
