//! The key hierarchy: epoch rotation re-wraps every live key and destroys the old epochs, so an
//! erased subject's key, wherever a copy of it survives, opens under nothing the cell holds.

use std::sync::Arc;

use custodian_core::CoreError;
use custodian_core::access::{AdminScope, RegulatorScope, Scope};
use custodian_core::crypto::{self, DataKey};
use custodian_core::decision::ConsentChange;
use custodian_core::ids::{LEGACY_EPOCH, SubjectId, TenantId, Token};
use custodian_core::keyring::{KeyHolder, MemoryKeys};
use custodian_core::store::{Change, WrappedKey};
use custodian_core::subject::SubjectInfo;
use custodian_core::vault::{Reveal, Vault};
use custodian_ledger::{Checkpoint, Decision, Entry, EntryKind, note};

use crate::*;

fn register_with_phone(
    v: &Vault,
    ride: &TenantId,
    s: Option<SubjectId>,
    phone: &str,
) -> Result<(SubjectId, Token), String> {
    let s = match s {
        Some(s) => s,
        None => id(v.register(&svc_of(ride)?, &cn(), None, false))?,
    };
    let dispatch = p("dispatch")?;
    id(v.change_consent(
        &dpo(ride),
        &s,
        &dispatch,
        ConsentChange::Grant {
            separate: true,
            by_guardian: false,
        },
    ))?;
    let got = id(v.collect(&svc_of(ride)?, &s, &dispatch, &[(f("phone")?, phone)]))?;
    let token = got
        .first()
        .map(|c| c.token.clone())
        .ok_or("a collect returned no token")?;
    Ok((s, token))
}

fn reads_back(v: &Vault, ride: &TenantId, token: &Token, phone: &str) -> Check {
    let back = id(v.detokenize(
        &svc_of(ride)?,
        &p("dispatch")?,
        std::slice::from_ref(token),
        Reveal::Clear,
    ))?;
    ensure(
        back.first().is_some_and(|b| b.value.expose() == phone),
        "a live subject's value reads back after the rotation",
    )
}

/// Rotation: every live key (tenants', subjects', one from before epochs) re-wrapped under the
/// new epoch and still opening; the old epoch retired, destroyed in the holder and recorded;
/// an erased subject's old wrapped key opens under nothing the holder has; the KEK rotates
/// without touching data keys; a reopened cell carries on.
pub fn epoch_rotation_rewraps_and_shreds(open: &Opener) -> Check {
    let keys = Arc::new(MemoryKeys::new(TEST_KEK));
    let holder: Arc<dyn KeyHolder> = keys.clone();
    let ride = t("ride")?;
    // A subject as a release before epochs stored it: its key wrapped by the KEK itself.
    let legacy = id(SubjectId::parse("sub_before_epochs"))?;
    let aad = aad_of(&ride, &legacy);
    let store = open();
    let mut legacy_entry = Entry::new(EntryKind::Register, 0, Decision::Allow);
    legacy_entry.tenant = Some(ride.ledger());
    legacy_entry.subject = Some(legacy.ledger());
    id(store.commit(
        Change::Register {
            subject: SubjectInfo {
                id: legacy.clone(),
                tenant: ride.clone(),
                jurisdiction: cn(),
                role: None,
                minor: false,
                registered_at: 0,
                erased: false,
                legal_hold: None,
                version: 0,
            },
            wrapped_key: WrappedKey {
                epoch: LEGACY_EPOCH,
                blob: id(crypto::wrap_key(
                    &TEST_KEK,
                    &id(DataKey::generate())?,
                    aad.as_bytes(),
                ))?,
            },
        },
        // Recorded as that release recorded it: before any epoch began.
        vec![legacy_entry],
    ))?;
    let v = vault_with(store.clone(), holder.clone())?;
    id(v.load_manifest(&AdminScope::new(), &ride, RIDE_HAILING))?;
    let (_, legacy_token) = register_with_phone(&v, &ride, Some(legacy), "13900000000")?;
    let (_, a) = register_with_phone(&v, &ride, None, "13811111111")?;
    let (_, b) = register_with_phone(&v, &ride, None, "13822222222")?;
    let (victim, _) = register_with_phone(&v, &ride, None, "13833333333")?;
    let victim_key = id(store.subject(&ride, &victim))?
        .and_then(|(_, k)| k)
        .ok_or("the victim has a key before erasure")?;
    ensure(victim_key.epoch == 1, "a new cell wraps under epoch 1")?;
    let erasure = id(v.erase_subject(&dpo(&ride), &victim))?.index;

    let r = id(v.rotate_epoch(&AdminScope::new()))?;
    ensure(
        (
            r.from,
            r.to,
            r.subject_keys,
            r.tenant_keys,
            r.destroyed.as_slice(),
        ) == (1, 2, 3, 1, &[1][..]),
        &format!("rotation report: {r:?}"),
    )?;
    ensure(id(holder.held_epochs())? == [2], "only epoch 2 is held")?;
    for e in [1, 2] {
        ensure(
            holder
                .unwrap(e, &victim_key.blob, aad_of(&ride, &victim).as_bytes())
                .is_err(),
            "the erased subject's old key opens under no epoch",
        )?;
    }
    reads_back(&v, &ride, &a, "13811111111")?;
    reads_back(&v, &ride, &b, "13822222222")?;
    reads_back(&v, &ride, &legacy_token, "13900000000")?;
    let status = id(v.key_status(&AdminScope::new()))?;
    ensure(status.current == 2, "current epoch 2")?;
    let by_epoch: Vec<(u32, bool, bool, u64)> = status
        .epochs
        .iter()
        .map(|e| (e.epoch, e.retired_at.is_some(), e.held, e.subject_keys))
        .collect();
    ensure(
        by_epoch == [(1, true, false, 0), (2, false, true, 3)],
        &format!("status after rotation: {by_epoch:?}"),
    )?;
    let reasons: Vec<String> = id(v.ledger_entries(0, u64::MAX))?
        .into_iter()
        .filter(|(_, e)| e.kind == EntryKind::KeyRotation)
        .map(|(_, e)| {
            format!(
                "{}:{}",
                e.reason.as_ref().map_or("", |r| r.as_str()),
                e.fields.first().map_or("", |f| f.as_str())
            )
        })
        .collect();
    ensure(
        reasons
            == [
                "epoch_created:epoch_1",
                "epoch_created:epoch_2",
                "epoch_destroyed:epoch_1",
                "keys_rewrapped:epoch_2",
            ],
        &format!("rotation entries: {reasons:?}"),
    )?;

    // Epoch 1 is destroyed, but a copy from before epochs holds keys the KEK opens: the
    // erasure is final only once the KEK is rotated too.
    let regulator = Scope::Regulator(RegulatorScope::new());
    let f = id(v.erasure_finality(&regulator, erasure, None, None))?;
    ensure(
        f.proof.is_none(),
        "pending in a cell from before epochs until its KEK rotates",
    )?;
    ensure(
        id(v.compliance_report(&regulator, &ride))?
            .subjects
            .erasures_pending
            == 1,
        "the report counts it pending",
    )?;
    // The KEK rotates without touching data keys (none is under it any more).
    id(v.rotate_kek(&AdminScope::new()))?;
    let f = id(v.erasure_finality(&regulator, erasure, None, None))?;
    ensure(f.proof.is_some(), "final once the KEK rotated")?;
    ensure(
        id(v.compliance_report(&regulator, &ride))?
            .subjects
            .erasures_pending
            == 0,
        "the report counts it final",
    )?;
    drop(v);
    drop(store);
    let v = vault_with(open(), holder.clone())?;
    reads_back(&v, &ride, &a, "13811111111")?;
    let (_, c) = register_with_phone(&v, &ride, None, "13844444444")?;
    let r = id(v.rotate_epoch(&AdminScope::new()))?;
    ensure(
        (r.from, r.to, r.subject_keys) == (2, 3, 4),
        &format!("second rotation: {r:?}"),
    )?;
    reads_back(&v, &ride, &c, "13844444444")?;
    drop(v);
    // A holder that lost the current epoch is refused at open, naming the epoch.
    ensure(
        matches!(
            vault_with(open(), Arc::new(MemoryKeys::new(TEST_KEK))),
            Err(e) if e.contains("epoch 3")
        ),
        "a cell refuses a key holder without its epochs",
    )
}

fn aad_of(tenant: &TenantId, subject: &SubjectId) -> String {
    format!("custodian/subject-key/v1\n{tenant}\n{subject}")
}

/// An erasure is final once the epoch in force at it is destroyed, and the cell proves it: not
/// before a rotation (the report counts it pending), then with the entries that begin the next
/// epoch and destroy that one, each proved in a signed tree that extends the receipt's. An
/// erasure after the rotation waits for the next one; other tenants' DPOs and entries that are
/// no erasure get nothing.
pub fn an_erasure_is_final_once_its_epoch_is_destroyed(open: &Opener) -> Check {
    let holder: Arc<dyn KeyHolder> = Arc::new(MemoryKeys::new(TEST_KEK));
    let ride = t("ride")?;
    let v = vault_with(open(), holder)?;
    id(v.load_manifest(&AdminScope::new(), &ride, RIDE_HAILING))?;
    let (first, _) = register_with_phone(&v, &ride, None, "13811111111")?;
    let (second, _) = register_with_phone(&v, &ride, None, "13822222222")?;
    let receipt = id(v.erase_subject(&dpo(&ride), &first))?;
    let regulator = Scope::Regulator(RegulatorScope::new());
    let pending = id(v.erasure_finality(&regulator, receipt.index, None, None))?;
    ensure(
        pending.proof.is_none() && pending.epoch == 1,
        &format!("before a rotation: pending on epoch 1, got {pending:?}"),
    )?;
    let report = id(v.compliance_report(&regulator, &ride))?;
    ensure(
        (
            report.subjects.erasures_pending,
            report.subjects.oldest_pending_erasure,
        ) == (1, Some(receipt.entry.time_ms)),
        &format!(
            "the report counts the erasure pending: {:?}",
            report.subjects
        ),
    )?;
    // Another tenant's DPO does not see it; an entry that is no erasure is refused.
    ensure(
        matches!(
            v.erasure_finality(&Scope::Dpo(dpo(&t("jobs")?)), receipt.index, None, None),
            Err(CoreError::NotFound(_))
        ),
        "another tenant's DPO finds no such erasure",
    )?;
    ensure(
        matches!(
            v.erasure_finality(&regulator, 0, None, None),
            Err(CoreError::Invalid(_))
        ),
        "the epoch's first entry is no erasure",
    )?;
    ensure(
        matches!(
            v.erasure_finality(&regulator, receipt.index + 1_000, None, None),
            Err(CoreError::NotFound(_))
        ),
        "an index past the ledger is not found",
    )?;

    let before = id(v.checkpoint())?;
    id(v.rotate_epoch(&AdminScope::new()))?;
    let since = receipt.proof.size.get();
    // As of a checkpoint from before the rotation: pending; one that does not hold the
    // erasure, or not this ledger's, is refused.
    let then = id(v.erasure_finality(&regulator, receipt.index, None, Some(&before)))?;
    ensure(
        then.proof.is_none(),
        "pending as of the tree before the rotation",
    )?;
    ensure(
        matches!(
            v.erasure_finality(
                &regulator,
                receipt.index,
                None,
                Some(&id(v.checkpoint_at(receipt.index))?)
            ),
            Err(CoreError::Conflict(_))
        ),
        "a checkpoint that does not hold the erasure",
    )?;
    ensure(
        v.erasure_finality(
            &regulator,
            receipt.index,
            None,
            Some(&before.replace('\n', "\n\n")),
        )
        .is_err(),
        "a checkpoint that does not open",
    )?;
    let now = id(v.checkpoint())?;
    let as_of = id(v.erasure_finality(&regulator, receipt.index, None, Some(&now)))?;
    ensure(
        as_of.proof.is_some_and(|p| p.checkpoint == now),
        "final as of the checkpoint given, which is the answer's",
    )?;
    ensure(
        matches!(
            v.erasure_finality(&regulator, receipt.index, Some(receipt.index), None),
            Err(CoreError::Invalid(_))
        ),
        "a size that does not hold the erasure is refused",
    )?;
    let done = id(v.erasure_finality(&Scope::Dpo(dpo(&ride)), receipt.index, Some(since), None))?;
    let proof = done.proof.ok_or("final after the rotation")?;
    ensure(done.epoch == 1, "the epoch to destroy stays epoch 1")?;
    let verifier = test_signer().verifier();
    let cp = id(Checkpoint::parse(
        &note::open(&proof.checkpoint, std::slice::from_ref(&verifier))
            .map_err(|e| e.to_string())?
            .text,
    ))?;
    let was = id(Checkpoint::parse(
        &note::open(&receipt.checkpoint, &[verifier])
            .map_err(|e| e.to_string())?
            .text,
    ))?;
    proof
        .consistency
        .ok_or("a consistency proof from the receipt's size")?
        .verify(&was.root, &cp.root)
        .map_err(|e| e.to_string())?;
    for (_, e, p) in [&proof.created, &proof.destroyed] {
        ensure(p.size == cp.size, "the proofs are in the checkpoint's tree")?;
        p.verify(&id(e.leaf_hash())?, &cp.root)
            .map_err(|e| e.to_string())?;
    }
    ensure(
        custodian_core::erasure::check_final(
            (receipt.index, &receipt.entry),
            (proof.created.0, &proof.created.1),
            (proof.destroyed.0, &proof.destroyed.1),
        ) == Ok(1),
        "the entries prove epoch 1 destroyed after the erasure",
    )?;

    // Erased after the rotation: waits for epoch 2.
    let later = id(v.erase_subject(&dpo(&ride), &second))?;
    let pending = id(v.erasure_finality(&regulator, later.index, None, None))?;
    ensure(
        pending.proof.is_none() && pending.epoch == 2,
        &format!("after the rotation: pending on epoch 2, got {pending:?}"),
    )?;
    let report = id(v.compliance_report(&regulator, &ride))?;
    ensure(
        (
            report.subjects.erased,
            report.subjects.erasures_pending,
            report.subjects.oldest_pending_erasure,
        ) == (2, 1, Some(later.entry.time_ms)),
        &format!(
            "the report counts only the second pending: {:?}",
            report.subjects
        ),
    )
}
