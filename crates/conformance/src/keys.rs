//! The key hierarchy: epoch rotation re-wraps every live key and destroys the old epochs, so an
//! erased subject's key, wherever a copy of it survives, opens under nothing the cell holds.

use std::sync::Arc;

use custodian_core::access::AdminScope;
use custodian_core::crypto::{self, DataKey};
use custodian_core::decision::ConsentChange;
use custodian_core::ids::{LEGACY_EPOCH, SubjectId, TenantId, Token};
use custodian_core::keyring::{KeyHolder, MemoryKeys};
use custodian_core::store::{Change, WrappedKey};
use custodian_core::subject::SubjectInfo;
use custodian_core::vault::{Reveal, Vault};
use custodian_ledger::EntryKind;

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
        vec![],
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
    id(v.erase_subject(&dpo(&ride), &victim))?;

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

    // The KEK rotates without touching data keys (none is under it any more).
    id(v.rotate_kek(&AdminScope::new()))?;
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
