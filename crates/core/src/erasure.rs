//! When an erasure reaches every copy, read from the ledger alone.
//!
//! Erasing a subject deletes its data key from the store; copies of the key taken before (a
//! backup, a database's old pages) are wrapped under the epoch in force then or an earlier
//! one, and open nothing once that epoch is destroyed. The ledger says when: epochs are begun
//! in increasing order, each once (`epoch_created`; an epoch the holder has beyond the store's
//! is begun at open, never again by a rotation), and an epoch is destroyed (`epoch_destroyed`)
//! only after every key was re-wrapped under a later one and every earlier epoch was
//! destroyed. So an erasure at index `i` is final — unreadable in every copy — once
//! the ledger holds, after `i`, the beginning of some epoch `E + 1` and the destruction of `E`:
//! the first shows that `E` or an earlier epoch was in force at `i`, the second that it is gone.
//! Anyone holding the three entries with their inclusion proofs checks it offline
//! (`custodian ledger verify --erasure-final`); the cell finds them with
//! [`Vault::erasure_finality`](crate::Vault::erasure_finality), and the compliance report counts
//! the erasures still waiting.
//!
//! What this cannot show: that the key holder really destroyed the epoch's key (a PKCS#11
//! token's keys are made unextractable; a file holder's epoch files could have been copied by
//! whoever runs the machine before they were deleted), that the ledger is the one others see
//! (witnesses do), and, in a cell that held subjects before its first epoch, that keys
//! wrapped by the KEK itself are gone (a KEK rotation: the cell and the report read it, the
//! offline rule does not).

use custodian_ledger::{Decision, Entry, EntryKind};

use crate::ids::Epoch;

/// What an epoch's key-rotation entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EpochEvent {
    /// The epoch began: keys are wrapped under it from this entry on.
    Created(Epoch),
    /// The epoch was retired and its key destroyed.
    Destroyed(Epoch),
}

/// The epoch entry `e` records, if it is one (`key_rotation`, reason `epoch_created` or
/// `epoch_destroyed`, the epoch as its one field `epoch_N`).
pub fn epoch_event(e: &Entry) -> Option<EpochEvent> {
    if e.kind != EntryKind::KeyRotation {
        return None;
    }
    let [field] = e.fields.as_slice() else {
        return None;
    };
    let epoch: Epoch = field.as_str().strip_prefix("epoch_")?.parse().ok()?;
    match e.reason.as_ref()?.as_str() {
        "epoch_created" => Some(EpochEvent::Created(epoch)),
        "epoch_destroyed" => Some(EpochEvent::Destroyed(epoch)),
        _ => None,
    }
}

/// Whether `e` records the KEK rotated (`key_rotation`, reason `kek_rotated`): refused while a
/// key is wrapped by the KEK itself, it leaves older copies of such keys to a KEK the holder no
/// longer has.
pub fn rotates_the_kek(e: &Entry) -> bool {
    e.kind == EntryKind::KeyRotation && e.reason.as_ref().map(|r| r.as_str()) == Some("kek_rotated")
}

/// Whether `e` records a subject's data key destroyed: an erasure the DPO asked for, or one
/// the store made outside an act (a restore found the subject erased after its backup, or a
/// crash cut its registration), recorded with decision `none`. A retention sweep's entries
/// and a restore's deletion of values re-keyed since its backup drop values, not the key.
pub fn erases_a_subject(e: &Entry) -> bool {
    if e.kind != EntryKind::Erase || e.subject.is_none() {
        return false;
    }
    match e.reason.as_ref().map(|r| r.as_str()) {
        None => e.decision == Decision::Allow,
        Some(r) => matches!(
            r,
            "erased_since_backup" | "erased_since_backup_held_in_it" | "registration_cut_by_crash"
        ),
    }
}

/// Checks that the entries prove the erasure at `erasure` final: a later entry begins epoch
/// `E + 1` and a later one destroys `E`. Returns `E`, the epoch in force at the erasure or
/// after it; the error says what is missing. Each entry comes with its index, and the caller
/// has checked each is in the ledger (inclusion proofs in one verified tree).
pub fn check_final(
    erasure: (u64, &Entry),
    created: (u64, &Entry),
    destroyed: (u64, &Entry),
) -> Result<Epoch, String> {
    let (i, e) = erasure;
    if !erases_a_subject(e) {
        return Err(format!(
            "entry {i} is not a subject's erasure (a `{}` entry, reason {})",
            e.kind.name(),
            e.reason.as_ref().map_or("none", |r| r.as_str())
        ));
    }
    let Some(EpochEvent::Created(next)) = epoch_event(created.1) else {
        return Err(format!("entry {} does not begin an epoch", created.0));
    };
    let Some(EpochEvent::Destroyed(gone)) = epoch_event(destroyed.1) else {
        return Err(format!("entry {} does not destroy an epoch", destroyed.0));
    };
    if created.0 <= i {
        return Err(format!(
            "epoch {next} began at entry {}, before the erasure at entry {i}: it says nothing of the epoch in force then",
            created.0
        ));
    }
    if destroyed.0 <= i {
        return Err(format!(
            "epoch {gone} was destroyed at entry {}, before the erasure at entry {i}",
            destroyed.0
        ));
    }
    if next == 0 || gone != next - 1 {
        return Err(format!(
            "epoch {gone} destroyed is not the one before epoch {next}, the first begun after the erasure"
        ));
    }
    Ok(gone)
}

#[cfg(test)]
mod tests {
    use custodian_ledger::Id;

    use super::*;

    fn id(s: &str) -> Option<Id> {
        Id::new(s).ok()
    }

    fn erasure(reason: Option<&str>, decision: Decision) -> Entry {
        let mut e = Entry::new(EntryKind::Erase, 1, decision);
        e.subject = id("sub_1");
        e.reason = reason.and_then(id);
        e
    }

    fn epoch(reason: &str, n: &str) -> Entry {
        let mut e = Entry::new(EntryKind::KeyRotation, 1, Decision::None);
        e.reason = id(reason);
        e.fields = id(n).into_iter().collect();
        e
    }

    #[test]
    fn epoch_entries_are_read_and_others_are_not() {
        assert_eq!(
            epoch_event(&epoch("epoch_created", "epoch_7")),
            Some(EpochEvent::Created(7))
        );
        assert_eq!(
            epoch_event(&epoch("epoch_destroyed", "epoch_6")),
            Some(EpochEvent::Destroyed(6))
        );
        assert_eq!(epoch_event(&epoch("keys_rewrapped", "epoch_7")), None);
        assert_eq!(epoch_event(&epoch("epoch_created", "epoch_x")), None);
        assert_eq!(epoch_event(&epoch("epoch_created", "seven")), None);
        let mut two = epoch("epoch_created", "epoch_7");
        two.fields.extend(id("epoch_8"));
        assert_eq!(epoch_event(&two), None);
        let mut other = epoch("epoch_created", "epoch_7");
        other.kind = EntryKind::ConfigChange;
        assert_eq!(epoch_event(&other), None);
    }

    #[test]
    fn only_entries_that_destroy_a_key_are_erasures() {
        assert!(erases_a_subject(&erasure(None, Decision::Allow)));
        assert!(erases_a_subject(&erasure(
            Some("erased_since_backup"),
            Decision::None
        )));
        assert!(!erases_a_subject(&erasure(None, Decision::Deny)));
        assert!(!erases_a_subject(&erasure(
            Some("legal_hold"),
            Decision::Deny
        )));
        assert!(!erases_a_subject(&erasure(
            Some("retention_expired"),
            Decision::Allow
        )));
        assert!(!erases_a_subject(&erasure(
            Some("values_rekeyed_since_backup"),
            Decision::None
        )));
        let mut no_subject = erasure(None, Decision::Allow);
        no_subject.subject = None;
        assert!(!erases_a_subject(&no_subject));
    }

    #[test]
    fn an_erasure_is_final_only_with_the_next_epoch_begun_and_its_own_destroyed_after_it() {
        let er = erasure(None, Decision::Allow);
        let c4 = epoch("epoch_created", "epoch_4");
        let d3 = epoch("epoch_destroyed", "epoch_3");
        let d2 = epoch("epoch_destroyed", "epoch_2");
        assert_eq!(check_final((10, &er), (11, &c4), (12, &d3)), Ok(3));
        // Epoch 4 begun before the erasure: epoch 4 may have been in force at it.
        assert!(check_final((10, &er), (9, &c4), (12, &d3)).is_err());
        // Destroyed before: the key may have been re-wrapped under a later epoch meanwhile.
        assert!(check_final((10, &er), (11, &c4), (9, &d3)).is_err());
        // Not the epoch before the one begun.
        assert!(check_final((10, &er), (11, &c4), (12, &d2)).is_err());
        // The entries swapped, or not epoch entries.
        assert!(check_final((10, &er), (12, &d3), (11, &c4)).is_err());
        assert!(check_final((10, &c4), (11, &c4), (12, &d3)).is_err());
        assert!(check_final((10, &er), (11, &er), (12, &d3)).is_err());
        // A retention sweep's entry is no erasure of a key.
        let sweep = erasure(Some("retention_expired"), Decision::Allow);
        assert!(check_final((10, &sweep), (11, &c4), (12, &d3)).is_err());
    }
}
