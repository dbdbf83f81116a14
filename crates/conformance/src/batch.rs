//! Checks of the bulk acts: each item decided and recorded on its own, and idempotency keys
//! that make a retried batch answer the same without doing anything twice.

use custodian_core::decision::ConsentChange;
use custodian_core::ids::{PurposeId, SubjectId};
use custodian_core::vault::{CollectItem, ConsentItem, MAX_BATCH_ITEMS, RegisterItem};

use crate::*;

fn register_item(key: Option<&str>) -> RegisterItem {
    RegisterItem {
        jurisdiction: cn(),
        role: None,
        minor: false,
        idempotency_key: key.map(str::to_string),
    }
}

/// A batch of subjects, consents and collects: each item answers on its own (a refused or
/// failing item does not sink the others), every decided item has its entry, and the values
/// read back.
pub fn batches_decide_each_item(open: &Opener) -> Check {
    let v = setup(open)?;
    let (ride, dispatch) = (t("ride")?, p("dispatch")?);
    let svc = svc_of(&ride)?;
    let subjects = id(v.register_batch(
        &svc,
        &[
            register_item(None),
            register_item(None),
            register_item(None),
        ],
    ))?;
    let subjects: Vec<SubjectId> = subjects.into_iter().map(id).collect::<Result<_, _>>()?;
    ensure(subjects.len() == 3, "three subjects")?;
    let safety = p("safety")?;
    let consents: Vec<ConsentItem> = subjects[..2]
        .iter()
        .map(|s| ConsentItem {
            subject: s.clone(),
            purpose: safety.clone(),
            separate: true,
            by_guardian: false,
            idempotency_key: None,
        })
        .chain([ConsentItem {
            subject: subjects[2].clone(),
            purpose: p("undeclared")?,
            separate: true,
            by_guardian: false,
            idempotency_key: None,
        }])
        .collect();
    let given = id(v.consent_batch(&svc, &consents))?;
    ensure(
        given[0].is_ok() && given[1].is_ok(),
        "the declared consents are given",
    )?;
    ensure(given[2].is_err(), "an undeclared purpose is refused")?;
    let before = id(v.ledger_entries(0, u64::MAX))?.len();
    let unknown = SubjectId::parse("sub_nobodynobodynobodynobody1").map_err(|e| e.to_string())?;
    let items = vec![
        CollectItem {
            subject: subjects[0].clone(),
            purpose: dispatch.clone(),
            values: vec![(f("phone")?, "13812340001")],
            idempotency_key: None,
        },
        // No consent for safety: refused and recorded.
        CollectItem {
            subject: subjects[2].clone(),
            purpose: safety.clone(),
            values: vec![(f("emergency_contact")?, "13812340002")],
            idempotency_key: None,
        },
        CollectItem {
            subject: unknown,
            purpose: dispatch.clone(),
            values: vec![(f("phone")?, "13812340003")],
            idempotency_key: None,
        },
        CollectItem {
            subject: subjects[1].clone(),
            purpose: dispatch.clone(),
            values: vec![(f("phone")?, "13812340004")],
            idempotency_key: None,
        },
    ];
    let got = id(v.collect_batch(&svc, &items))?;
    ensure(got.len() == 4, "one result per item")?;
    ensure(
        !denied_codes(clone_err(&got[1])).is_empty(),
        "the item without consent is denied",
    )?;
    ensure(
        matches!(got[2], Err(CoreError::NotFound(_))),
        "the unknown subject is not found",
    )?;
    let after = id(v.ledger_entries(0, u64::MAX))?;
    // Two collects and one denial recorded (an unknown subject is not an act on anyone's PI).
    ensure(after.len() == before + 3, "each decided item has its entry")?;
    for (i, phone) in [(0usize, "13812340001"), (3, "13812340004")] {
        let tokens: Vec<Token> = id(got[i].as_ref().map_err(|e| e.to_string()).cloned())?
            .into_iter()
            .map(|c| c.token)
            .collect();
        let back = id(v.detokenize(&svc, &dispatch, &tokens, Reveal::Clear))?;
        ensure(
            back[0].value.expose() == phone,
            "a batch's value reads back",
        )?;
    }
    let too_many: Vec<RegisterItem> = (0..=MAX_BATCH_ITEMS).map(|_| register_item(None)).collect();
    let size = id(v.ledger_entries(0, u64::MAX))?.len();
    ensure(
        v.register_batch(&svc, &too_many).is_err(),
        "an oversize batch is refused",
    )?;
    ensure(
        id(v.ledger_entries(0, u64::MAX))?.len() == size,
        "and changes nothing",
    )?;
    Ok(())
}

/// A bulk act reads its subjects and keys at once: each item is still decided on its own
/// subject's consents and state — consents given and withdrawn, an erased subject, an unknown
/// one, one subject many times, replayed keys beside new ones — as the single acts decide them.
pub fn batch_reads_decide_each_subject_alone(open: &Opener) -> Check {
    let v = setup(open)?;
    let (ride, dispatch, safety) = (t("ride")?, p("dispatch")?, p("safety")?);
    let svc = svc_of(&ride)?;
    let made = id(v.register_batch(
        &svc,
        &[
            register_item(None),
            register_item(None),
            register_item(None),
        ],
    ))?;
    let [a, b, c]: [SubjectId; 3] = made
        .into_iter()
        .map(id)
        .collect::<Result<Vec<_>, _>>()?
        .try_into()
        .map_err(|_| "three subjects".to_string())?;
    let grant = ConsentChange::Grant {
        separate: true,
        by_guardian: false,
    };
    for s in [&a, &b] {
        id(v.change_consent(&dpo(&ride), s, &safety, grant))?;
    }
    id(v.change_consent(&dpo(&ride), &b, &safety, ConsentChange::Withdraw))?;
    id(v.erase_subject(&dpo(&ride), &c))?;
    let unknown = SubjectId::parse("sub_nobodynobodynobodynobody1").map_err(|e| e.to_string())?;
    let item = |s: &SubjectId,
                purpose: &PurposeId,
                field: &str,
                value: &'static str,
                key: Option<&str>|
     -> Result<CollectItem<'static>, String> {
        Ok(CollectItem {
            subject: s.clone(),
            purpose: purpose.clone(),
            values: vec![(f(field)?, value)],
            idempotency_key: key.map(str::to_string),
        })
    };
    let first = vec![
        item(
            &a,
            &safety,
            "emergency_contact",
            "13812350001",
            Some("bulk-a"),
        )?,
        item(&b, &safety, "emergency_contact", "13812350002", None)?,
        item(&a, &dispatch, "phone", "13812350003", None)?,
        item(&unknown, &dispatch, "phone", "13812350004", None)?,
        item(&c, &dispatch, "phone", "13812350005", None)?,
        item(&b, &dispatch, "phone", "13812350006", Some("bulk-b"))?,
    ];
    let got = id(v.collect_batch(&svc, &first))?;
    ensure(got[0].is_ok(), "a's separate consent lets its item through")?;
    ensure(
        denied_codes(clone_err(&got[1])) == [ReasonCode::ConsentWithdrawn],
        "b's withdrawn consent refuses its item, and only its item",
    )?;
    ensure(
        got[2].is_ok() && got[5].is_ok(),
        "the contract purpose goes through for a and b",
    )?;
    ensure(
        matches!(got[3], Err(CoreError::NotFound(_))),
        "the unknown subject is not found",
    )?;
    ensure(
        denied_codes(clone_err(&got[4])) == [ReasonCode::SubjectErased],
        "the erased subject takes no value",
    )?;
    // The same batch again with one more item: keyed items answer what they did, the others are
    // decided again, the new one is carried out.
    let size = id(v.ledger_entries(0, u64::MAX))?.len();
    let mut again = first.clone();
    again.push(item(
        &a,
        &dispatch,
        "phone",
        "13812350007",
        Some("bulk-new"),
    )?);
    let replayed = id(v.collect_batch(&svc, &again))?;
    for i in [0usize, 5] {
        ensure(
            replayed[i].as_ref().ok().map(|c| &c[0].token)
                == got[i].as_ref().ok().map(|c| &c[0].token),
            "a keyed item answers its first tokens",
        )?;
    }
    ensure(
        denied_codes(clone_err(&replayed[1])) == [ReasonCode::ConsentWithdrawn]
            && replayed[6].is_ok(),
        "the unkeyed items are decided again, the new one carried out",
    )?;
    // Entries: the unkeyed items' denials and collect again (items 1, 2 and 4), and the new one.
    ensure(
        id(v.ledger_entries(0, u64::MAX))?.len() == size + 4,
        "replayed items record nothing again",
    )?;
    let held = id(v.export_subject(&dpo(&ride), &a))?.values.len();
    ensure(held == 4, "a holds its four values, none twice")?;
    Ok(())
}

fn clone_err<T>(r: &Result<T, CoreError>) -> Result<(), CoreError> {
    match r {
        Err(CoreError::Denied(reasons)) => Err(CoreError::Denied(reasons.clone())),
        _ => Ok(()),
    }
}

/// A batch retried with the same idempotency keys answers the same subjects and tokens and
/// stores nothing again; the same key with another request is refused.
pub fn idempotency_keys_make_retries_safe(open: &Opener) -> Check {
    let v = setup(open)?;
    let (ride, dispatch) = (t("ride")?, p("dispatch")?);
    let svc = svc_of(&ride)?;
    let regs = [register_item(Some("user-1")), register_item(Some("user-2"))];
    let first: Vec<SubjectId> = id(v.register_batch(&svc, &regs))?
        .into_iter()
        .map(id)
        .collect::<Result<_, _>>()?;
    let size = id(v.ledger_entries(0, u64::MAX))?.len();
    let again: Vec<SubjectId> = id(v.register_batch(&svc, &regs))?
        .into_iter()
        .map(id)
        .collect::<Result<_, _>>()?;
    ensure(
        first == again,
        "a retried registration answers the same subjects",
    )?;
    ensure(
        id(v.ledger_entries(0, u64::MAX))?.len() == size,
        "and registers nobody again",
    )?;
    let consents: Vec<ConsentItem> = first
        .iter()
        .enumerate()
        .map(|(i, s)| ConsentItem {
            subject: s.clone(),
            purpose: dispatch.clone(),
            separate: true,
            by_guardian: false,
            idempotency_key: Some(format!("consent-{i}")),
        })
        .collect();
    for r in id(v.consent_batch(&svc, &consents))? {
        id(r)?;
    }
    let size = id(v.ledger_entries(0, u64::MAX))?.len();
    for r in id(v.consent_batch(&svc, &consents))? {
        id(r)?;
    }
    ensure(
        id(v.ledger_entries(0, u64::MAX))?.len() == size,
        "a retried consent is not given (nor recorded) again",
    )?;
    let mut renewed = consents[0].clone();
    renewed.separate = false;
    ensure(
        matches!(
            id(v.consent_batch(&svc, &[renewed]))?[0],
            Err(CoreError::Conflict(_))
        ),
        "a consent key reused with another grant is refused",
    )?;
    let items: Vec<CollectItem> = first
        .iter()
        .enumerate()
        .map(|(i, s)| -> Result<CollectItem, String> {
            Ok(CollectItem {
                subject: s.clone(),
                purpose: dispatch.clone(),
                values: vec![(
                    f("phone")?,
                    if i == 0 { "13900000001" } else { "13900000002" },
                )],
                idempotency_key: Some(format!("row-{i}")),
            })
        })
        .collect::<Result<_, _>>()?;
    let tokens = |r: Vec<Result<Vec<custodian_core::vault::Collected>, CoreError>>| -> Result<Vec<Token>, String> {
        Ok(r.into_iter().map(id).collect::<Result<Vec<_>, _>>()?.into_iter().flatten().map(|c| c.token).collect())
    };
    let once = tokens(id(v.collect_batch(&svc, &items))?)?;
    let size = id(v.ledger_entries(0, u64::MAX))?.len();
    let twice = tokens(id(v.collect_batch(&svc, &items))?)?;
    ensure(once == twice, "a retried collect answers the same tokens")?;
    ensure(
        id(v.ledger_entries(0, u64::MAX))?.len() == size,
        "and collects nothing again",
    )?;
    let values = id(v.export_subject(&dpo(&ride), &first[0]))?.values;
    ensure(values.len() == 1, "one value stored, not two")?;
    let mut other = items[0].clone();
    other.values = vec![(f("phone")?, "13900000009")];
    let r = id(v.collect_batch(&svc, &[other]))?;
    ensure(
        matches!(r[0], Err(CoreError::Conflict(_))),
        "a key reused with another request is refused",
    )?;
    // Once the subject is erased, a retry does not answer tokens that no longer lead anywhere.
    id(v.erase_subject(&dpo(&ride), &first[0]))?;
    let r = id(v.collect_batch(&svc, &items[..1]))?;
    ensure(
        matches!(r[0], Err(CoreError::Conflict(_))),
        "a retry after erasure is refused",
    )?;
    Ok(())
}

/// Idempotency keys are kept for [`IDEMPOTENCY_KEPT_DAYS`]: within them a retry answers the
/// same; after them the retention sweep forgets the key (the stored row is gone), and a retry is
/// carried out as a new request.
pub fn idempotency_keys_expire(open: &Opener) -> Check {
    use custodian_core::vault::IDEMPOTENCY_KEPT_DAYS;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};
    const DAY: i64 = 86_400_000;
    let now = Arc::new(AtomicI64::new(1_790_000_000_000));
    let clock = now.clone();
    let v = vault(open())?.with_clock(move || clock.load(Ordering::SeqCst));
    let ride = t("ride")?;
    id(v.load_manifest(&AdminScope::new(), &ride, RIDE_HAILING))?;
    let svc = svc_of(&ride)?;
    let regs = [register_item(Some("row-1"))];
    let first = id(id(v.register_batch(&svc, &regs))?.remove(0))?;
    // A day short of the limit, a sweep keeps the key.
    now.fetch_add((IDEMPOTENCY_KEPT_DAYS - 1) * DAY, Ordering::SeqCst);
    id(v.sweep_retention(&AdminScope::new()))?;
    let again = id(id(v.register_batch(&svc, &regs))?.remove(0))?;
    ensure(
        again == first,
        "a retry within the days answers the same subject",
    )?;
    // Past it, the sweep forgets the key: the retry registers a new subject.
    now.fetch_add(2 * DAY, Ordering::SeqCst);
    id(v.sweep_retention(&AdminScope::new()))?;
    let later = id(id(v.register_batch(&svc, &regs))?.remove(0))?;
    ensure(later != first, "a retry after the days is a new request")?;
    // And the new key holds from then on.
    let once_more = id(id(v.register_batch(&svc, &regs))?.remove(0))?;
    ensure(
        once_more == later,
        "the key, stored again, answers the same",
    )
}

/// A collect run deferred (one item on the caller's thread, its job handed to the store)
/// collects and records what the blocking one does: a token that reads back and one allowed
/// entry naming what a blocking collect's names; a refusal with one denied entry. An item with
/// an idempotency key (maybe a replay) runs the blocking way. A store whose reads are inline
/// must run the rest deferred; one whose reads are not runs everything the blocking way.
pub fn deferred_collect_agrees(open: &Opener) -> Check {
    use custodian_core::vault::Reveal;
    use custodian_ledger::{Decision as LedgerDecision, EntryKind};

    let store = open();
    let inline = store.reads_inline();
    drop(store);
    let v = setup(open)?;
    let (ride, dispatch) = (t("ride")?, p("dispatch")?);
    let svc = svc_of(&ride)?;
    let s = id(v.register(&svc, &cn(), None, false))?;
    let item = |field: &str, value: &'static str, key: Option<&str>| {
        Ok::<_, String>(CollectItem {
            subject: s.clone(),
            purpose: dispatch.clone(),
            values: vec![(f(field)?, value)],
            idempotency_key: key.map(str::to_string),
        })
    };
    let pickup = "北京市朝阳区建国路88号";
    let before = v.ledger_size();
    let Some(d) = v.collect_deferred(&svc, &item("pickup", pickup, None)?) else {
        return ensure(
            !inline,
            "a store with inline reads runs the collect deferred",
        );
    };
    ensure(
        inline,
        "a store without inline reads ran the collect deferred",
    )?;
    let got = id(d.wait())?;
    let back = id(v.detokenize(&svc, &dispatch, &[got[0].token.clone()], Reveal::Clear))?;
    ensure(
        back[0].value.expose() == pickup,
        "the deferred collect's token reads back",
    )?;
    // Its entry names what a blocking collect's names (its own token).
    let blocking = id(id(v.collect_batch(&svc, &[item("pickup", pickup, None)?]))?
        .pop()
        .ok_or("the blocking collect answered nothing")?)?;
    let entries = id(v.ledger_entries(before, before + 3))?;
    ensure(entries.len() == 3, "an entry for each collect and the read")?;
    let (deferred_e, blocking_e) = (&entries[0].1, &entries[2].1);
    ensure(
        deferred_e.tokens == vec![got[0].token.ledger()]
            && blocking_e.tokens == vec![blocking[0].token.ledger()],
        "each entry names its collect's token",
    )?;
    ensure(
        deferred_e.kind == EntryKind::Collect
            && deferred_e.decision == LedgerDecision::Allow
            && (&deferred_e.tenant, &deferred_e.subject, &deferred_e.service)
                == (&blocking_e.tenant, &blocking_e.subject, &blocking_e.service)
            && (&deferred_e.purpose, &deferred_e.fields, &deferred_e.reason)
                == (&blocking_e.purpose, &blocking_e.fields, &blocking_e.reason),
        "the deferred collect's entry names what the blocking one's does",
    )?;
    // A keyed item runs the blocking way.
    ensure(
        v.collect_deferred(&svc, &item("pickup", pickup, Some("k-1"))?)
            .is_none(),
        "a keyed collect (maybe a replay) runs the blocking way",
    )?;
    // A refusal: refused, and recorded.
    let size = v.ledger_size();
    let refused = v
        .collect_deferred(&svc, &item("no_such_field", "x", None)?)
        .ok_or("the refused collect ran the blocking way")?;
    ensure(
        matches!(refused.wait(), Err(CoreError::Denied(_))),
        "an undeclared field is refused",
    )?;
    let entries = id(v.ledger_entries(size, v.ledger_size()))?;
    ensure(
        entries.len() == 1
            && entries[0].1.kind == EntryKind::Collect
            && entries[0].1.decision == LedgerDecision::Deny,
        "the refusal is recorded",
    )
}
