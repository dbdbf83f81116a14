//! Checks of onboarding: a subject registered with its consents and values in one act, each
//! part decided and recorded on its own, and retried safely under an idempotency key.

use custodian_core::ids::{Jurisdiction, SubjectId};
use custodian_core::vault::{OnboardConsent, OnboardItem, Onboarded, RegisterItem};
use custodian_ledger::{Decision, EntryKind};

use crate::*;

/// Onboarding answers each part as the single acts would (a consent and a collect refused
/// beside the parts carried out, a refused registration refusing the item), records one entry
/// per part naming the item's own subject, stores the values, and a retry with the same keys
/// answers the same and stores nothing again.
pub fn onboarding_decides_each_part(open: &Opener) -> Check {
    let v = setup(open)?;
    let ride = t("ride")?;
    let svc = svc_of(&ride)?;
    let (dispatch, safety) = (p("dispatch")?, p("safety")?);
    let us = Jurisdiction::parse("US").map_err(|e| e.to_string())?;
    let item =
        |j: &Jurisdiction, consent: bool, key: &str| -> Result<OnboardItem<'static>, String> {
            Ok(OnboardItem {
                jurisdiction: j.clone(),
                role: None,
                minor: false,
                consents: match consent {
                    true => vec![OnboardConsent {
                        purpose: safety.clone(),
                        separate: true,
                        by_guardian: false,
                    }],
                    false => vec![OnboardConsent {
                        purpose: p("undeclared")?,
                        separate: true,
                        by_guardian: false,
                    }],
                },
                collects: vec![
                    (dispatch.clone(), vec![(f("phone")?, "13812340001")]),
                    (
                        safety.clone(),
                        vec![(f("emergency_contact")?, "13812340002")],
                    ),
                ],
                idempotency_key: Some(key.to_string()),
            })
        };
    let items = [
        item(&cn(), true, "row-1")?,
        // Registration refused: the item is refused, and its entry names no subject.
        item(&us, true, "row-2")?,
        // The consent's purpose is undeclared: refused, and so is the collect that needs it.
        item(&cn(), false, "row-3")?,
    ];
    let before = id(v.ledger_entries(0, u64::MAX))?.len();
    let got = id(v.onboard_batch(&svc, &items))?;
    ensure(got.len() == 3, "one result an item")?;
    let first: Onboarded = match &got[0] {
        Ok(o) => o.clone(),
        Err(e) => return Err(format!("the first item is refused: {e}")),
    };
    ensure(
        first.consents == vec![Ok(())] && first.collects.iter().all(Result::is_ok),
        "the first item's consent and collects are carried out",
    )?;
    ensure(
        denied_codes(clone_result(&got[1])) == vec![ReasonCode::WrongJurisdiction],
        "a registration in another jurisdiction refuses the item",
    )?;
    let third = match &got[2] {
        Ok(o) => o.clone(),
        Err(e) => return Err(format!("the third item is refused: {e}")),
    };
    ensure(
        matches!(&third.consents[..], [Err(r)] if r[0].code == ReasonCode::PurposeUndeclared),
        "an undeclared purpose's consent is refused",
    )?;
    ensure(
        third.collects[0].is_ok()
            && matches!(&third.collects[1], Err(r) if r[0].code == ReasonCode::ConsentMissing),
        "the collect without its consent is refused, the other carried out",
    )?;

    // One entry a part, each naming its own item's subject.
    let entries: Vec<_> = id(v.ledger_entries(0, u64::MAX))?
        .into_iter()
        .skip(before)
        .map(|(_, e)| e)
        .collect();
    let shape: Vec<(EntryKind, Decision, Option<String>)> = entries
        .iter()
        .map(|e| {
            (
                e.kind,
                e.decision,
                e.subject.as_ref().map(|s| s.as_str().to_string()),
            )
        })
        .collect();
    let (a, c) = (
        Some(first.subject.as_str().to_string()),
        Some(third.subject.as_str().to_string()),
    );
    let expected = vec![
        (EntryKind::Register, Decision::Allow, a.clone()),
        (EntryKind::ConsentGrant, Decision::Allow, a.clone()),
        (EntryKind::Collect, Decision::Allow, a.clone()),
        (EntryKind::Collect, Decision::Allow, a),
        (EntryKind::Register, Decision::Deny, None),
        (EntryKind::Register, Decision::Allow, c.clone()),
        (EntryKind::ConsentGrant, Decision::Deny, c.clone()),
        (EntryKind::Collect, Decision::Allow, c.clone()),
        (EntryKind::Collect, Decision::Deny, c),
    ];
    ensure(
        shape == expected,
        &format!("the entries are one a part: {shape:?}"),
    )?;
    ensure(
        entries[1].purpose.as_ref().map(|p| p.as_str()) == Some("safety"),
        "a consent's entry names its purpose",
    )?;

    // The values are stored under the subject and read back.
    let export = id(v.export_subject(&dpo(&ride), &first.subject))?;
    ensure(export.values.len() == 2, "both of the first item's values")?;
    let export = id(v.export_subject(&dpo(&ride), &third.subject))?;
    ensure(export.values.len() == 1, "the third item's phone alone")?;
    let consents = id(v.consents(&dpo(&ride), &first.subject))?;
    ensure(
        consents.len() == 1 && consents[0].purpose == safety,
        "the first item's consent is stored",
    )?;

    // A retry answers the same and does nothing again.
    let size = id(v.ledger_entries(0, u64::MAX))?.len();
    let again = id(v.onboard_batch(&svc, &items))?;
    ensure(
        again[0].as_ref().ok() == Some(&first) && again[2].as_ref().ok() == Some(&third),
        "a retry answers the same subjects, tokens and refusals",
    )?;
    ensure(
        id(v.ledger_entries(0, u64::MAX))?.len() == size + 1,
        "and records only the refused registration again (it stored no key)",
    )?;
    let mut other = items[0].clone();
    other.collects[0].1 = vec![(f("phone")?, "13812340009")];
    ensure(
        matches!(
            id(v.onboard_batch(&svc, &[other]))?[0],
            Err(CoreError::Conflict(_))
        ),
        "a key reused with another request is refused",
    )?;
    // Once the subject is erased, a retry does not answer tokens that no longer lead anywhere.
    id(v.erase_subject(&dpo(&ride), &first.subject))?;
    ensure(
        matches!(
            id(v.onboard_batch(&svc, &items[..1]))?[0],
            Err(CoreError::Conflict(_))
        ),
        "a retry after erasure is refused",
    )?;
    Ok(())
}

/// A bulk registration's refused item names no subject: not the one an earlier item of the
/// same batch registered.
pub fn a_refused_batch_item_names_nothing_of_the_one_before(open: &Opener) -> Check {
    let v = setup(open)?;
    let svc = svc_of(&t("ride")?)?;
    let us = Jurisdiction::parse("US").map_err(|e| e.to_string())?;
    let before = id(v.ledger_entries(0, u64::MAX))?.len();
    let got = id(v.register_batch(
        &svc,
        &[
            RegisterItem {
                jurisdiction: cn(),
                role: None,
                minor: false,
                idempotency_key: None,
            },
            RegisterItem {
                jurisdiction: us,
                role: None,
                minor: false,
                idempotency_key: None,
            },
        ],
    ))?;
    let first: &SubjectId = got[0].as_ref().map_err(|e| e.to_string())?;
    let entries = id(v.ledger_entries(0, u64::MAX))?;
    let named: Vec<Option<&str>> = entries[before..]
        .iter()
        .map(|(_, e)| e.subject.as_ref().map(|s| s.as_str()))
        .collect();
    ensure(
        named == vec![Some(first.as_str()), None],
        &format!("the refused registration names no subject: {named:?}"),
    )
}

fn clone_result<T>(r: &Result<T, CoreError>) -> Result<(), CoreError> {
    match r {
        Ok(_) => Ok(()),
        Err(CoreError::Denied(reasons)) => Err(CoreError::Denied(reasons.clone())),
        Err(e) => Err(CoreError::Invalid(e.to_string())),
    }
}
