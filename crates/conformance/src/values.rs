//! Checks of collect, detokenize and lookup: the rules, isolation, values of their type.

use custodian_ledger::{Decision as LedgerDecision, EntryKind};

use crate::orders::now;
use crate::*;

/// Values collected come back for the purpose, masked as the manifest says.
pub fn collect_and_detokenize(open: &Opener) -> Check {
    let v = setup(open)?;
    let (ride, dispatch, svc) = (t("ride")?, p("dispatch")?, sv("dispatch-svc")?);
    let s = id(v.register(&svc_of(&ride)?, &cn(), None, false))?;
    id(v.change_consent(
        &dpo(&ride),
        &s,
        &dispatch,
        ConsentChange::Grant {
            separate: true,
            by_guardian: false,
        },
    ))?;
    let got = id(v.collect(
        &scope(&ride, &svc),
        &s,
        &dispatch,
        &[
            (f("phone")?, "13812345678"),
            (f("pickup")?, "北京市朝阳区建国路88号"),
            (
                f("trip_track")?,
                "39.9,116.4,2026-10-01T08:00:00Z;39.91,116.41,2026-10-01T08:05:00Z",
            ),
        ],
    ))?;
    ensure(got.len() == 3, "three tokens")?;
    let phone_token = &got[0].token;
    ensure(
        phone_token.as_str().len() == 11
            && ["10", "11", "12"]
                .iter()
                .any(|p| phone_token.as_str().starts_with(p)),
        "format-preserving phone token outside the mobile range",
    )?;
    let tokens: Vec<Token> = got.iter().map(|c| c.token.clone()).collect();
    let back = id(v.detokenize(&scope(&ride, &svc), &dispatch, &tokens, Reveal::Default))?;
    ensure(
        back[0].masked && back[0].value.expose() == "138****5678",
        "phone masked by default (mask_on_read)",
    )?;
    ensure(
        back[1].value.expose() == "北京市朝阳区建国路88号",
        "address in clear",
    )?;
    let clear = id(v.detokenize(&scope(&ride, &svc), &dispatch, &tokens[..1], Reveal::Clear))?;
    ensure(
        clear[0].value.expose() == "13812345678",
        "phone in clear when asked",
    )?;
    // Free text read masked keeps its words and masks each piece of PI in place.
    let note = id(v.collect(
        &scope(&ride, &svc),
        &s,
        &dispatch,
        &[(f("trip_note")?, "到了请打 13812345678，在东门等")],
    ))?;
    let masked = id(v.detokenize(
        &scope(&ride, &svc),
        &dispatch,
        &[note[0].token.clone()],
        Reveal::Masked,
    ))?;
    ensure(
        masked[0].masked && masked[0].value.expose() == "到了请打 138****5678，在东门等",
        &format!(
            "free text masked in place, got {}",
            masked[0].value.expose().chars().count()
        ),
    )?;
    // Reopen: values still decrypt.
    drop(v);
    let v = vault(open())?;
    let again = id(v.detokenize(&scope(&ride, &svc), &dispatch, &tokens[1..2], Reveal::Clear))?;
    ensure(
        again[0].value.expose() == "北京市朝阳区建国路88号",
        "values survive reopening",
    )
}

/// Each rule refuses with its code, and the refusal is a ledger entry.
pub fn denials_are_refused_and_recorded(open: &Opener) -> Check {
    let v = setup(open)?;
    let (ride, safety, dispatch, svc) = (
        t("ride")?,
        p("safety")?,
        p("dispatch")?,
        sv("dispatch-svc")?,
    );
    let s = id(v.register(&svc_of(&ride)?, &cn(), None, false))?;
    let before = id(v.ledger_entries(0, u64::MAX))?.len();
    fn code<T>(r: Result<T, CoreError>) -> &'static str {
        match r {
            Err(CoreError::Denied(reasons)) => {
                reasons.first().map(|r| r.code.as_str()).unwrap_or("")
            }
            _ => "allowed",
        }
    }
    ensure(
        code(v.collect(
            &scope(&ride, &svc),
            &s,
            &safety,
            &[(f("emergency_contact")?, "13912345678")],
        )) == "consent_missing",
        "consent-based purpose without consent",
    )?;
    id(v.change_consent(
        &dpo(&ride),
        &s,
        &safety,
        ConsentChange::Grant {
            separate: false,
            by_guardian: false,
        },
    ))?;
    ensure(
        code(v.collect(
            &scope(&ride, &svc),
            &s,
            &safety,
            &[(f("id_number")?, "11010519491231002X")],
        )) == "separate_consent_missing",
        "sensitive PI without separate consent",
    )?;
    id(v.change_consent(
        &dpo(&ride),
        &s,
        &dispatch,
        ConsentChange::Grant {
            separate: false,
            by_guardian: false,
        },
    ))?;
    ensure(
        code(v.collect(
            &scope(&ride, &svc),
            &s,
            &dispatch,
            &[(f("phone")?, "12345")],
        )) == "value_invalid",
        "invalid value",
    )?;
    ensure(
        code(v.collect(
            &scope(&ride, &svc),
            &s,
            &dispatch,
            &[(f("trip_note")?, "乘客身份证号 11010519491231002X，请核对")],
        )) == "undeclared_pi_in_free_text",
        "undeclared PI in free text",
    )?;
    ensure(
        code(v.collect(
            &scope(&ride, &sv("marketing-svc")?),
            &s,
            &dispatch,
            &[(f("phone")?, "13812345678")],
        )) == "service_not_granted_purpose",
        "service not granted",
    )?;
    ensure(
        code(v.register(
            &svc_of(&ride)?,
            &id(Jurisdiction::parse("US"))?,
            None,
            false,
        )) == "wrong_jurisdiction",
        "subject of another jurisdiction",
    )?;
    let entries = id(v.ledger_entries(0, u64::MAX))?;
    let denies = entries[before..]
        .iter()
        .filter(|(_, e)| e.decision == custodian_ledger::Decision::Deny)
        .count();
    ensure(
        denies == 6,
        &format!("six denials in the ledger, found {denies}"),
    )
}

/// One tenant's tokens mean nothing to another.
pub fn tenant_isolation(open: &Opener) -> Check {
    let v = setup(open)?;
    let (jobs, ride) = (t("jobs")?, t("ride")?);
    let s = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    let got = id(v.collect(
        &scope(&jobs, &sv("matching-svc")?),
        &s,
        &p("job_matching")?,
        &[(f("phone")?, "13700001111")],
    ))?;
    match v.detokenize(
        &scope(&ride, &sv("dispatch-svc")?),
        &p("dispatch")?,
        &[got[0].token.clone()],
        Reveal::Clear,
    ) {
        Err(CoreError::NotFound(_)) => {}
        other => {
            return Err(format!(
                "another tenant's token must not resolve: {}",
                other.map(|_| "resolved").unwrap_or("other error")
            ));
        }
    }
    match v.collect(
        &scope(&ride, &sv("dispatch-svc")?),
        &s,
        &p("dispatch")?,
        &[(f("phone")?, "13700001111")],
    ) {
        Err(CoreError::NotFound(_)) => Ok(()),
        _ => Err("another tenant's subject must not be found".into()),
    }
}

/// A blind index finds every token of a value and nothing else.
pub fn lookup_by_blind_index(open: &Opener) -> Check {
    let v = setup(open)?;
    let (jobs, svc, purpose, phone) = (
        t("jobs")?,
        sv("matching-svc")?,
        p("job_matching")?,
        f("phone")?,
    );
    let a = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    let b = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    let ta = id(v.collect(
        &scope(&jobs, &svc),
        &a,
        &purpose,
        &[(phone.clone(), "13811112222")],
    ))?;
    id(v.collect(
        &scope(&jobs, &svc),
        &b,
        &purpose,
        &[(phone.clone(), "13833334444")],
    ))?;
    let found = id(v.lookup(&scope(&jobs, &svc), &purpose, &phone, "+86 138-1111-2222"))?;
    ensure(
        found == vec![ta[0].token.clone()],
        "lookup by a differently written equal value finds exactly its token",
    )?;
    ensure(
        id(v.lookup(&scope(&jobs, &svc), &purpose, &phone, "13899999999"))?.is_empty(),
        "unknown value finds nothing",
    )
}

/// Lookups are decided like reads: a `suspend_processing` order for the purpose refuses
/// them, and a withdrawn consent leaves the subject out (refused when it is the only one).
pub fn lookup_obeys_orders_and_consent(open: &Opener) -> Check {
    use custodian_core::orders::OrderKind;
    let v = setup(open)?;
    let ride = t("ride")?;
    let (dispatch, marketing, phone) = (p("dispatch")?, p("marketing")?, f("phone")?);
    let (disp, mkt) = (
        scope(&ride, &sv("dispatch-svc")?),
        scope(&ride, &sv("marketing-svc")?),
    );
    let s = id(v.register(&disp, &cn(), None, false))?;
    id(v.change_consent(
        &dpo(&ride),
        &s,
        &marketing,
        ConsentChange::Grant {
            separate: false,
            by_guardian: false,
        },
    ))?;
    let tok = id(v.collect(&disp, &s, &dispatch, &[(phone.clone(), "13866667777")]))?;
    ensure(
        id(v.lookup(&mkt, &marketing, &phone, "13866667777"))? == vec![tok[0].token.clone()],
        "lookup for marketing finds the consenting subject",
    )?;
    id(v.change_consent(&dpo(&ride), &s, &marketing, ConsentChange::Withdraw))?;
    ensure(
        denied_codes(v.lookup(&mkt, &marketing, &phone, "13866667777"))
            == [ReasonCode::ConsentWithdrawn],
        "a withdrawn consent refuses the lookup for that purpose",
    )?;
    ensure(
        id(v.lookup(&disp, &dispatch, &phone, "13866667777"))?.len() == 1,
        "the contract purpose still finds the subject",
    )?;
    id(v.submit_order(
        &RegulatorScope::new(),
        &signed_order(
            &test_regulator(),
            "ord-stop-dispatch-lookups",
            OrderKind::SuspendProcessing {
                purposes: vec![dispatch.clone()],
            },
            &["ride"],
            now() - 1000,
            None,
        ),
    ))?;
    ensure(
        denied_codes(v.lookup(&disp, &dispatch, &phone, "13866667777"))
            == [ReasonCode::ProcessingSuspended],
        "a suspend_processing order refuses lookups for its purpose",
    )?;
    let entries = id(v.ledger_entries(0, u64::MAX))?;
    let refused = entries
        .iter()
        .filter(|(_, e)| {
            e.kind == custodian_ledger::EntryKind::Lookup
                && e.decision == custodian_ledger::Decision::Deny
        })
        .count();
    ensure(
        refused == 2,
        &format!("two refused lookups in the ledger, found {refused}"),
    )
}

/// A field takes values of its type only; a refusal names the field and the type, never the
/// value, and stores nothing.
pub fn values_hold_their_type(open: &Opener) -> Check {
    let v = setup(open)?;
    let ride = t("ride")?;
    let (disp, dispatch) = (svc_of(&ride)?, p("dispatch")?);
    let s = id(v.register(&disp, &cn(), None, false))?;
    // Separate consent for the sensitive trip track: only the value's type can refuse it.
    id(v.change_consent(
        &dpo(&ride),
        &s,
        &dispatch,
        ConsentChange::Grant {
            separate: true,
            by_guardian: false,
        },
    ))?;
    let big = "1".repeat(1 << 20);
    let smuggled: [(&str, &str); 7] = [
        ("phone", "张伟"),
        ("phone", "北京市朝阳区建国路88号"),
        ("phone", "138\u{0}12345678"),
        ("phone", &big),
        ("phone", "13812345678 张伟"),
        ("pickup", "北京市朝阳区建国路88号 13812345678"),
        ("trip_track", "39.9,116.4;39.91,116.41"),
    ];
    for (field, value) in smuggled {
        match v.collect(&disp, &s, &dispatch, &[(f(field)?, value)]) {
            Err(CoreError::Denied(r)) if r[0].code == ReasonCode::ValueInvalid => {
                let m = &r[0].message;
                ensure(
                    m.contains(&format!("`{field}`"))
                        && !m.contains(value.get(..6).unwrap_or(value)),
                    &format!("the refusal names `{field}` and not the value: {m}"),
                )?;
            }
            _ => return Err(format!("`{field}` must refuse a value not of its type")),
        }
    }
    ensure(
        id(v.export_subject(&dpo(&ride), &s))?.values.is_empty(),
        "nothing was stored",
    )?;
    for b in ledger_bytes(&v)? {
        ensure(
            !b.windows("张伟".len()).any(|w| w == "张伟".as_bytes()),
            "no refused value in the ledger",
        )?;
    }
    ensure(
        id(v.collect(&disp, &s, &dispatch, &[(f("phone")?, "+86 138-1234-5678")])).is_ok(),
        "a phone number written with separators is a phone number",
    )
}

/// Identifiers a caller supplies reach the ledger only when the manifest declares them: a
/// phone number given as a purpose or a field name is refused and never written.
pub fn undeclared_identifiers_never_reach_the_ledger(open: &Opener) -> Check {
    let v = setup(open)?;
    let ride = t("ride")?;
    let disp = svc_of(&ride)?;
    let s = id(v.register(&disp, &cn(), None, false))?;
    let pi = "13812345678";
    let grant = ConsentChange::Grant {
        separate: false,
        by_guardian: false,
    };
    ensure(
        denied_codes(v.change_consent(&dpo(&ride), &s, &p(pi)?, grant))
            == [ReasonCode::PurposeUndeclared],
        "consent for an undeclared purpose is refused",
    )?;
    ensure(
        denied_codes(v.change_consent(&dpo(&ride), &s, &p(pi)?, ConsentChange::Withdraw))
            == [ReasonCode::PurposeUndeclared],
        "withdrawing an undeclared purpose is refused",
    )?;
    ensure(
        denied_codes(v.collect(&disp, &s, &p(pi)?, &[(f("phone")?, pi)]))
            == [ReasonCode::PurposeUndeclared],
        "collect for an undeclared purpose is refused",
    )?;
    ensure(
        denied_codes(v.collect(&disp, &s, &p("dispatch")?, &[(f(pi)?, pi)]))
            == [ReasonCode::FieldUndeclared],
        "collect into an undeclared field is refused",
    )?;
    ensure(
        !denied_codes(v.lookup(&disp, &p(pi)?, &f("phone")?, pi)).is_empty(),
        "lookup for an undeclared purpose is refused",
    )?;
    ensure(
        id(v.consents(&dpo(&ride), &s))?.is_empty(),
        "no consent was stored",
    )?;
    for b in ledger_bytes(&v)? {
        ensure(
            !b.windows(pi.len()).any(|w| w == pi.as_bytes()),
            "the undeclared identifier is nowhere in the ledger",
        )?;
    }
    Ok(())
}

/// A detokenize run deferred (on the caller's thread, its ledger entry's commit handed over
/// and waited for afterwards) reads and records what the blocking one does: the values with
/// one allowed entry, a token not found refused with one denied entry. A store whose reads
/// are inline must run it so; one whose reads are not runs it the blocking way (`None`).
pub fn deferred_detokenize_agrees(open: &Opener) -> Check {
    let store = open();
    let inline = store.reads_inline();
    drop(store);
    let v = setup(open)?;
    let (ride, dispatch, svc) = (t("ride")?, p("dispatch")?, sv("dispatch-svc")?);
    let s = id(v.register(&svc_of(&ride)?, &cn(), None, false))?;
    let got = id(v.collect(
        &scope(&ride, &svc),
        &s,
        &dispatch,
        &[(f("pickup")?, "北京市朝阳区建国路88号")],
    ))?;
    let tokens = vec![got[0].token.clone()];
    let sc = scope(&ride, &svc);
    // Read before the act: its entry may be committed before the act returns.
    let before = v.ledger_size();
    let Some(d) = v.detokenize_deferred(&sc, &dispatch, &tokens, Reveal::Clear) else {
        return ensure(!inline, "a store with inline reads runs the act deferred");
    };
    ensure(inline, "a store without inline reads ran the act deferred")?;
    let back = id(d.wait())?;
    ensure(
        back.len() == 1 && back[0].value.expose() == "北京市朝阳区建国路88号",
        "the value read back deferred",
    )?;
    let size = v.ledger_size();
    ensure(size == before + 1, "one entry once the read is answered")?;
    let entries = id(v.ledger_entries(before, size))?;
    ensure(
        entries.iter().all(|(_, e)| {
            e.kind == EntryKind::Detokenize
                && e.decision == LedgerDecision::Allow
                && e.subject.as_ref() == Some(&s.ledger())
        }),
        "the deferred read's entry names its subject, allowed",
    )?;
    // A token that is not there: refused, and the refusal recorded.
    let missing = vec![id(Token::parse("tok_nosuchtoken0000000000000"))?];
    let d = v
        .detokenize_deferred(&sc, &dispatch, &missing, Reveal::Clear)
        .ok_or("the second deferred read ran the blocking way")?;
    ensure(
        matches!(d.wait(), Err(CoreError::NotFound(_))),
        "a missing token is not found",
    )?;
    let after = v.ledger_size();
    let entries = id(v.ledger_entries(size, after))?;
    ensure(
        entries.len() == 1
            && entries[0].1.kind == EntryKind::Detokenize
            && entries[0].1.decision == LedgerDecision::Deny,
        "the refusal is recorded",
    )?;
    // Both counted in the metrics, as blocking acts are.
    let counted = |outcome: &str| {
        v.decisions()
            .iter()
            .filter(|d| d.kind == "detokenize" && d.outcome == outcome)
            .map(|d| d.count)
            .sum::<u64>()
    };
    ensure(
        counted("allow") == 1 && counted("deny") == 1,
        "the deferred reads are counted",
    )
}

/// A tenant whose phone field has deterministic tokens (and a blind index).
pub const DETERMINISTIC: &str = r#"
organisation = "91110108MA01R0DE0N"
app_type = "online_car_hailing"
notice_version = "2026-10"

[[purposes]]
id = "dispatch"
description = "Match riders with drivers, run the trip, take payment"
lawful_basis = "contract"

[[fields]]
name = "phone"
pi_type = "cn_mobile"
purposes = ["dispatch"]
retention_days = 730
necessary = "registered_user_mobile"
token = "deterministic"
blind_index = true

[[services]]
name = "dispatch-svc"
purposes = ["dispatch"]
"#;

/// A deterministic token is its subject's: the same value collected again for the subject
/// (blocking, deferred, in a batch, after a reopen) keeps its token and its one record;
/// another subject's equal value gets a token of its own, stored, read and erased apart.
pub fn deterministic_tokens_are_their_subjects(open: &Opener) -> Check {
    use custodian_core::tokens::is_deterministic;
    use custodian_core::vault::CollectItem;

    let v = vault(open())?;
    let (tenant, dispatch) = (t("cab")?, p("dispatch")?);
    id(v.load_manifest(&AdminScope::new(), &tenant, DETERMINISTIC))?;
    let svc = svc_of(&tenant)?;
    let (a, b) = (
        id(v.register(&svc, &cn(), None, false))?,
        id(v.register(&svc, &cn(), None, false))?,
    );
    let phone = f("phone")?;
    let collect = |v: &Vault, s, value| -> Result<Token, String> {
        let got = id(v.collect(&svc, s, &dispatch, &[(phone.clone(), value)]))?;
        Ok(got[0].token.clone())
    };
    let ta = collect(&v, &a, "13812345678")?;
    ensure(is_deterministic(&ta), "the field's token is deterministic")?;
    ensure(
        collect(&v, &a, "+86 138 1234 5678")? == ta,
        "the same value (as written otherwise) collected again keeps its token",
    )?;
    // Twice in one collect: one record, the same token for both (on every backend).
    let twice = id(v.collect(
        &svc,
        &a,
        &dispatch,
        &[
            (phone.clone(), "13812345678"),
            (phone.clone(), "138 1234 5678"),
        ],
    ))?;
    ensure(
        twice.len() == 2 && twice.iter().all(|c| c.token == ta),
        "the same value twice in one collect keeps its token",
    )?;
    let tb = collect(&v, &b, "13812345678")?;
    ensure(
        tb != ta,
        "another subject's equal value gets a token of its own",
    )?;
    let item = |s: &custodian_core::ids::SubjectId| CollectItem {
        subject: s.clone(),
        purpose: dispatch.clone(),
        values: vec![(phone.clone(), "13812345678")],
        idempotency_key: None,
    };
    let batch = id(v.collect_batch(&svc, &[item(&a), item(&b)]))?;
    let batch: Vec<Token> = batch
        .into_iter()
        .map(|r| id(r).map(|mut c| c.remove(0).token))
        .collect::<Result<_, _>>()?;
    ensure(
        batch == vec![ta.clone(), tb.clone()],
        "a batch collecting them again answers the same tokens",
    )?;
    if let Some(d) = v.collect_deferred(&svc, &item(&b)) {
        ensure(
            id(d.wait())?[0].token == tb,
            "a deferred collect of it again answers the same token",
        )?;
    }
    for (s, token) in [(&a, &ta), (&b, &tb)] {
        let held = id(v.export_subject(&dpo(&tenant), s))?.values;
        ensure(
            held.len() == 1 && &held[0].token == token && held[0].value.expose() == "13812345678",
            "each subject holds one record of its value",
        )?;
    }
    let found = id(v.lookup(&svc, &dispatch, &phone, "13812345678"))?;
    ensure(
        found.len() == 2 && found.contains(&ta) && found.contains(&tb),
        "lookup by value finds both subjects' tokens",
    )?;
    id(v.erase_subject(&dpo(&tenant), &a))?;
    let read = v.detokenize(&svc, &dispatch, std::slice::from_ref(&ta), Reveal::Clear);
    ensure(
        matches!(read, Err(CoreError::NotFound(_))),
        &format!("the erased subject's token reads nothing ({read:?})"),
    )?;
    drop(v);
    let v = vault(open())?;
    ensure(
        collect(&v, &b, "13812345678")? == tb,
        "after a reopen the same value keeps its token",
    )?;
    let back = id(v.detokenize(&svc, &dispatch, &[tb], Reveal::Clear))?;
    ensure(
        back[0].value.expose() == "13812345678",
        "the other subject's value still reads",
    )
}
