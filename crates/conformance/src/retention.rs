//! Destroying single values of living subjects (rectification, retention) and keeping them
//! (legal holds), on every backend.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use custodian_core::access::AdminScope;
use custodian_core::decision::{ConsentChange, ReasonCode};
use custodian_core::error::CoreError;
use custodian_core::ids::{HoldReason, SubjectId, TenantId, Token};
use custodian_core::keyring::{KeyHolder, MemoryKeys};
use custodian_core::vault::{Reveal, Vault};
use custodian_ledger::EntryKind;

use crate::*;

const DAY: i64 = 86_400_000;
const T0: i64 = 1_790_000_000_000;

fn subject_with(
    v: &Vault,
    ride: &TenantId,
    values: &[(&str, &str)],
) -> Result<(SubjectId, Vec<Token>), String> {
    let s = id(v.register(&svc_of(ride)?, &cn(), None, false))?;
    id(v.change_consent(
        &dpo(ride),
        &s,
        &p("dispatch")?,
        ConsentChange::Grant {
            separate: true,
            by_guardian: false,
        },
    ))?;
    let mut tokens = Vec::new();
    for (field, value) in values {
        let got = id(v.collect(&svc_of(ride)?, &s, &p("dispatch")?, &[(f(field)?, *value)]))?;
        tokens.extend(got.into_iter().map(|c| c.token));
    }
    Ok((s, tokens))
}

fn read(v: &Vault, ride: &TenantId, token: &Token) -> Result<String, CoreError> {
    v.detokenize(
        &svc_of(ride).map_err(CoreError::Invalid)?,
        &p("dispatch").map_err(CoreError::Invalid)?,
        std::slice::from_ref(token),
        Reveal::Clear,
    )
    .map(|d| d[0].value.expose().to_string())
}

/// A legal hold keeps a subject from erasure, rectification and sweeping, and the refusal
/// says so; released, the subject is erased. A rectification replaces the value under the same
/// token (the blind index follows), refuses a value of the wrong type, another subject's token
/// and free text, and leaves the old key behind: after the next rotation it opens nothing.
pub fn rectification_and_legal_holds(open: &Opener) -> Check {
    let keys = Arc::new(MemoryKeys::new(TEST_KEK));
    let store = open();
    let v = vault_with(store.clone(), keys.clone())?;
    let ride = t("ride")?;
    id(v.load_manifest(&AdminScope::new(), &ride, RIDE_HAILING))?;
    let (a, ta) = subject_with(
        &v,
        &ride,
        &[
            ("phone", "13811112222"),
            ("pickup", "北京市朝阳区建国路88号"),
        ],
    )?;
    let (b, tb) = subject_with(&v, &ride, &[("phone", "13833334444")])?;
    let old_key = id(store.subject(&ride, &a))?
        .and_then(|(_, k)| k)
        .ok_or("a has a key")?;

    id(v.rectify(&dpo(&ride), &a, &ta[0], "13899990000"))?;
    ensure(
        id(read(&v, &ride, &ta[0]))? == "13899990000",
        "the token now stands for the correction",
    )?;
    ensure(
        id(read(&v, &ride, &ta[1]))? == "北京市朝阳区建国路88号",
        "the subject's other values read on under the new key",
    )?;
    let found = |value: &str| {
        v.lookup(&svc_of(&ride)?, &p("dispatch")?, &f("phone")?, value)
            .map_err(|e| e.to_string())
    };
    ensure(
        found("13899990000")? == [ta[0].clone()],
        "the blind index follows the correction",
    )?;
    ensure(
        found("13811112222")?.is_empty(),
        "the old value is not found any more",
    )?;
    let new_key = id(store.subject(&ride, &a))?
        .and_then(|(_, k)| k)
        .ok_or("a key")?;
    ensure(new_key.blob != old_key.blob, "the subject has a new key")?;
    // A collect sealed under the old key (decided before the re-keying) is refused as stale:
    // no value is ever stored under a key that is gone.
    let late = custodian_core::store::ValueRecord {
        tenant: ride.clone(),
        subject: a.clone(),
        field: f("phone")?,
        token: id(Token::parse("tok_late_collect"))?,
        blind_index: None,
        sealed: vec![1; 40],
        key_version: 1,
        purpose: p("dispatch")?,
        collected_at: 0,
    };
    ensure(
        matches!(
            store.commit(
                custodian_core::store::Change::Collect {
                    values: vec![late],
                    key: Some(old_key.blob.clone())
                },
                vec![],
            ),
            Err(custodian_core::store::StoreError::Stale)
        ),
        "a collect under the replaced key is stale",
    )?;
    for (bad, what) in [
        (
            v.rectify(&dpo(&ride), &a, &ta[0], "not a phone"),
            "a value of another type",
        ),
        (
            v.rectify(&dpo(&ride), &a, &tb[0], "13800000000"),
            "another subject's token",
        ),
    ] {
        ensure(bad.is_err(), &format!("refused: {what}"))?;
    }
    ensure(
        id(read(&v, &ride, &ta[0]))? == "13899990000",
        "refusals changed nothing",
    )?;
    let (c, tc) = subject_with(&v, &ride, &[("trip_note", "leave at the gate")])?;
    ensure(
        matches!(
            v.rectify(&dpo(&ride), &c, &tc[0], "ring twice"),
            Err(CoreError::Invalid(_))
        ),
        "free text is collected anew, not rectified",
    )?;

    // Held: erasure and rectification refused, naming the hold; released: erased.
    let reason = id(HoldReason::parse("tax_records_5y"))?;
    id(v.set_legal_hold(&dpo(&ride), &b, Some(&reason)))?;
    let refused = v.erase_subject(&dpo(&ride), &b);
    ensure(
        matches!(&refused, Err(CoreError::Denied(r)) if r[0].code == ReasonCode::LegalHold && r[0].message.contains("tax_records_5y")),
        &format!("a held subject is not erased: {refused:?}"),
    )?;
    ensure(
        denied_codes(v.rectify(&dpo(&ride), &b, &tb[0], "13800000000")) == [ReasonCode::LegalHold],
        "nor rectified",
    )?;
    ensure(
        id(read(&v, &ride, &tb[0]))? == "13833334444",
        "its value is kept",
    )?;
    id(v.set_legal_hold(&dpo(&ride), &b, None))?;
    id(v.erase_subject(&dpo(&ride), &b))?;
    ensure(
        matches!(
            v.set_legal_hold(&dpo(&ride), &b, Some(&reason)),
            Err(CoreError::Denied(_))
        ),
        "no hold on an erased subject",
    )?;
    let reasons: Vec<(EntryKind, String)> = id(v.ledger_entries(0, u64::MAX))?
        .into_iter()
        .filter_map(|(_, e)| e.reason.map(|r| (e.kind, r.as_str().to_string())))
        .collect();
    for want in [
        (EntryKind::Collect, "rectified"),
        (EntryKind::ConfigChange, "legal_hold_set"),
        (EntryKind::Erase, "legal_hold"),
        (EntryKind::ConfigChange, "legal_hold_released"),
    ] {
        ensure(
            reasons.iter().any(|(k, r)| *k == want.0 && r == want.1),
            &format!("the ledger records {want:?}"),
        )?;
    }

    // The old key: a copy of it survives only until the epoch is rotated away.
    let aad = format!("custodian/subject-key/v1\n{ride}\n{a}");
    ensure(
        keys.unwrap(old_key.epoch, &old_key.blob, aad.as_bytes())
            .is_ok(),
        "before the rotation the old key still opens (the bound is one rotation)",
    )?;
    id(v.rotate_epoch(&AdminScope::new()))?;
    ensure(
        keys.unwrap(old_key.epoch, &old_key.blob, aad.as_bytes())
            .is_err(),
        "after it, the old key (and the old value) opens under nothing",
    )?;
    ensure(
        id(read(&v, &ride, &ta[0]))? == "13899990000",
        "the correction reads on",
    )
}

/// The sweeper destroys values past their field's retention (a subject re-keyed, its other
/// values kept), leaves held subjects and younger values alone, records each destruction, and
/// a second sweep finds nothing.
pub fn retention_sweep_destroys_expired_values(open: &Opener) -> Check {
    let now = Arc::new(AtomicI64::new(T0));
    let clock = now.clone();
    let v = vault(open())?.with_clock(move || clock.load(Ordering::SeqCst));
    let ride = t("ride")?;
    id(v.load_manifest(&AdminScope::new(), &ride, RIDE_HAILING))?;
    let (a, ta) = subject_with(&v, &ride, &[("phone", "13811112222")])?;
    let (held, th) = subject_with(&v, &ride, &[("phone", "13833334444")])?;
    now.store(T0 + 400 * DAY, Ordering::SeqCst);
    let (_, tp) = {
        let got = id(v.collect(
            &svc_of(&ride)?,
            &a,
            &p("dispatch")?,
            &[(f("pickup")?, "上海市浦东新区世纪大道100号")],
        ))?;
        ((), got.into_iter().map(|c| c.token).collect::<Vec<_>>())
    };
    let (_, ty) = subject_with(&v, &ride, &[("phone", "13855556666")])?;
    id(v.set_legal_hold(
        &dpo(&ride),
        &held,
        Some(&id(HoldReason::parse("case-2026-117"))?),
    ))?;

    now.store(T0 + 731 * DAY, Ordering::SeqCst);
    let r = id(v.sweep_retention(&AdminScope::new()))?;
    ensure(
        (r.values, r.subjects) == (1, 1),
        &format!("one value of one subject: {r:?}"),
    )?;
    ensure(
        matches!(read(&v, &ride, &ta[0]), Err(CoreError::NotFound(_))),
        "the expired value is gone",
    )?;
    ensure(
        id(read(&v, &ride, &tp[0]))? == "上海市浦东新区世纪大道100号",
        "the subject's younger value reads on (re-sealed)",
    )?;
    ensure(
        id(read(&v, &ride, &ty[0]))? == "13855556666",
        "a younger subject is untouched",
    )?;
    ensure(
        denied_codes(read(&v, &ride, &th[0])) == [ReasonCode::RetentionElapsed],
        "a held subject's expired value is kept (and not read)",
    )?;
    ensure(
        id(v.sweep_retention(&AdminScope::new()))? == Default::default(),
        "a second sweep finds nothing",
    )?;
    // A regulator's order preserving the tenant's data: the held subject, released, is still
    // kept (neither swept nor erased, the refusal naming the order) until the order is lifted.
    id(v.set_legal_hold(&dpo(&ride), &held, None))?;
    let preserve = signed_order(
        &test_regulator(),
        "ord_preserve",
        custodian_core::orders::OrderKind::PreserveData,
        &["ride"],
        T0,
        None,
    );
    id(v.submit_order(&custodian_core::access::RegulatorScope::new(), &preserve))?;
    ensure(
        id(v.sweep_retention(&AdminScope::new()))? == Default::default(),
        "nothing is swept while the order is in force",
    )?;
    let refused = v.erase_subject(&dpo(&ride), &held);
    ensure(
        matches!(&refused, Err(CoreError::Denied(r)) if r[0].code == ReasonCode::LegalHold && r[0].order.as_deref() == Some("ord_preserve")),
        &format!("erasure refused under the order: {refused:?}"),
    )?;
    let lift = signed_order(
        &test_regulator(),
        "ord_lift_preserve",
        custodian_core::orders::OrderKind::Lift {
            order: "ord_preserve".into(),
        },
        &["ride"],
        T0 + 731 * DAY,
        None,
    );
    id(v.submit_order(&custodian_core::access::RegulatorScope::new(), &lift))?;
    let r = id(v.sweep_retention(&AdminScope::new()))?;
    ensure(
        (r.values, r.subjects) == (1, 1),
        &format!("lifted, the expired value is swept: {r:?}"),
    )?;
    let swept = id(v.ledger_entries(0, u64::MAX))?
        .into_iter()
        .filter(|(_, e)| {
            e.kind == EntryKind::Erase
                && e.reason
                    .as_ref()
                    .is_some_and(|r| r.as_str() == "retention_expired")
        })
        .map(|(_, e)| (e.subject.map(|s| s.as_str().to_string()), e.tokens.len()))
        .collect::<Vec<_>>();
    ensure(
        swept == [(Some(a.to_string()), 1), (Some(held.to_string()), 1)],
        &format!("a retention_expired entry per subject naming the token: {swept:?}"),
    )
}
