//! Checks of subjects: consents, roles, export and erasure.

use crate::*;

/// Withdrawing consent stops processing from that moment.
pub fn withdrawal_stops_processing(open: &Opener) -> Check {
    let v = setup(open)?;
    let (jobs, pool, svc, email) = (t("jobs")?, p("talent_pool")?, sv("pool-svc")?, f("email")?);
    let s = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    id(v.change_consent(
        &dpo(&jobs),
        &s,
        &pool,
        ConsentChange::Grant {
            separate: false,
            by_guardian: false,
        },
    ))?;
    let got = id(v.collect(
        &scope(&jobs, &svc),
        &s,
        &pool,
        &[(email, "li.na@example.com")],
    ))?;
    id(v.detokenize(
        &scope(&jobs, &svc),
        &pool,
        &[got[0].token.clone()],
        Reveal::Clear,
    ))?;
    id(v.change_consent(&dpo(&jobs), &s, &pool, ConsentChange::Withdraw))?;
    match v.detokenize(
        &scope(&jobs, &svc),
        &pool,
        &[got[0].token.clone()],
        Reveal::Clear,
    ) {
        Err(CoreError::Denied(r)) if r.iter().any(|r| r.code.as_str() == "consent_withdrawn") => {
            Ok(())
        }
        _ => Err("reading after withdrawal must be denied with consent_withdrawn".into()),
    }
}

/// A grant for a purpose already consented to updates the one consent; so does a grant
/// after a withdrawal.
pub fn duplicate_consent_grants_update_one_row(open: &Opener) -> Check {
    let v = setup(open)?;
    let jobs = t("jobs")?;
    let pool = p("talent_pool")?;
    let s = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    let grant = |separate| ConsentChange::Grant {
        separate,
        by_guardian: false,
    };
    id(v.change_consent(&dpo(&jobs), &s, &pool, grant(false)))?;
    id(v.change_consent(&dpo(&jobs), &s, &pool, grant(true)))?;
    let c = id(v.consents(&dpo(&jobs), &s))?;
    ensure(
        c.len() == 1 && c[0].separate,
        "two grants are one consent, the latest",
    )?;
    id(v.change_consent(&dpo(&jobs), &s, &pool, ConsentChange::Withdraw))?;
    id(v.change_consent(&dpo(&jobs), &s, &pool, grant(false)))?;
    drop(v);
    let v = vault(open())?;
    let c = id(v.consents(&dpo(&jobs), &s))?;
    ensure(
        c.len() == 1 && c[0].withdrawn_at.is_none() && !c[0].separate,
        "a grant after a withdrawal renews the one consent",
    )
}

/// Subject roles: the necessary scope and the purposes apply per role — a driver's ID number
/// is required by law (no consent), a passenger's needs separate consent, and a driver-only
/// purpose does not apply to passengers.
pub fn subject_roles_scope_collection(open: &Opener) -> Check {
    let v = setup(open)?;
    let ride = t("ride")?;
    let vet = scope(&ride, &sv("vetting-svc")?);
    let disp = scope(&ride, &sv("dispatch-svc")?);
    let (driver_role, passenger_role) = (
        id(SubjectRole::parse("driver"))?,
        id(SubjectRole::parse("passenger"))?,
    );
    let driver = id(v.register(&disp, &cn(), Some(&driver_role), false))?;
    let passenger = id(v.register(&disp, &cn(), Some(&passenger_role), false))?;
    let default = id(v.register(&disp, &cn(), None, false))?;
    let vetting = p("driver_vetting")?;
    let idn = "11010519491231002X";
    id(v.collect(&vet, &driver, &vetting, &[(f("driver_id_number")?, idn)]))?;
    let c = denied_codes(v.collect(&vet, &passenger, &vetting, &[(f("driver_id_number")?, idn)]));
    ensure(
        c.contains(&ReasonCode::FieldNotForRole) && c.contains(&ReasonCode::PurposeNotForRole),
        &format!("a passenger is not vetted as a driver: {c:?}"),
    )?;
    ensure(
        denied_codes(v.collect(&vet, &default, &vetting, &[(f("driver_id_number")?, idn)]))
            .contains(&ReasonCode::FieldNotForRole),
        "a subject registered without a role is a passenger (the consumer side)",
    )?;
    ensure(
        denied_codes(v.collect(&disp, &passenger, &p("safety")?, &[(f("id_number")?, idn)]))
            .contains(&ReasonCode::ConsentMissing),
        "a passenger's ID number needs consent",
    )?;
    ensure(
        denied_codes(v.change_consent(
            &dpo(&ride),
            &driver,
            &p("marketing")?,
            ConsentChange::Grant {
                separate: false,
                by_guardian: false,
            },
        )) == [ReasonCode::PurposeNotForRole],
        "a passenger-only purpose is not consented to by a driver",
    )?;
    ensure(
        denied_codes(v.register(
            &disp,
            &cn(),
            Some(&id(SubjectRole::parse("conductor"))?),
            false,
        )) == [ReasonCode::SubjectRoleUndeclared],
        "an undeclared role is refused",
    )?;
    let export = id(v.export_subject(&dpo(&ride), &driver))?;
    ensure(
        export.subject.role.as_ref() == Some(&driver_role),
        "the role is stored with the subject",
    )?;
    Ok(())
}

/// Export is complete; erasure leaves nothing readable.
pub fn erase_and_export(open: &Opener) -> Check {
    let v = setup(open)?;
    let (jobs, svc, purpose) = (t("jobs")?, sv("matching-svc")?, p("job_matching")?);
    let s = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    let got = id(v.collect(
        &scope(&jobs, &svc),
        &s,
        &purpose,
        &[
            (f("phone")?, "13855556666"),
            (f("resume")?, "十年物流调度经验，邮箱 zhang.wei@example.com"),
        ],
    ))?;
    ensure(
        got[1].undeclared_pi == ["email"],
        "the e-mail in the resume is tokenized",
    )?;
    let export = id(v.export_subject(&dpo(&jobs), &s))?;
    ensure(
        export.values.len() == 3,
        &format!(
            "export holds phone, resume and the tokenized e-mail, got {}",
            export.values.len()
        ),
    )?;
    ensure(
        export
            .values
            .iter()
            .any(|x| x.value.expose() == "zhang.wei@example.com"),
        "export holds the embedded e-mail",
    )?;
    ensure(
        export
            .values
            .iter()
            .any(|x| x.value.expose().contains("tok_") && x.value.expose().starts_with("十年")),
        "the resume keeps a token where the e-mail was",
    )?;
    id(v.erase_subject(&dpo(&jobs), &s))?;
    // Not just some error: the token names nothing any more, and the subject refuses values
    // with the reason that says why.
    let read = v.detokenize(
        &scope(&jobs, &svc),
        &purpose,
        &[got[0].token.clone()],
        Reveal::Clear,
    );
    ensure(
        matches!(read, Err(CoreError::NotFound(_))),
        &format!("nothing reads after erasure: the token is not found ({read:?})"),
    )?;
    let put = v.collect(
        &scope(&jobs, &svc),
        &s,
        &purpose,
        &[(f("phone")?, "13855556666")],
    );
    ensure(
        matches!(&put, Err(CoreError::Denied(r))
            if r.iter().any(|r| r.code == custodian_core::decision::ReasonCode::SubjectErased)),
        &format!("nothing collects after erasure: refused as subject_erased ({put:?})"),
    )?;
    ensure(
        matches!(
            v.erase_subject(&dpo(&jobs), &s),
            Err(CoreError::Conflict(_))
        ),
        "erasing twice is a conflict",
    )?;
    let after = id(v.export_subject(&dpo(&jobs), &s))?;
    ensure(
        after.values.is_empty() && after.subject.erased,
        "export after erasure holds no values",
    )
}

/// A subject registered before its manifest declared roles gets one by the DPO's recorded act,
/// once: then that role's rules apply. A second assignment, a role for a subject that has one,
/// and an undeclared role are refused.
pub fn roles_are_given_once_to_subjects_without_one(open: &Opener) -> Check {
    use custodian_core::crypto::{self, DataKey};
    use custodian_core::keyring::LEGACY_EPOCH;
    use custodian_core::store::{Change, WrappedKey};
    use custodian_core::subject::SubjectInfo;
    let ride = t("ride")?;
    // The subject as a release before subject roles (and epochs) stored it: no role, its key
    // wrapped directly by the suite's KEK with the associated data the vault uses for subject
    // keys.
    let legacy = id(custodian_core::ids::SubjectId::parse("sub_legacy_driver"))?;
    let aad = format!("custodian/subject-key/v1\n{ride}\n{legacy}");
    let wrapped_key = WrappedKey {
        epoch: LEGACY_EPOCH,
        blob: id(crypto::wrap_key(
            &crate::TEST_KEK,
            &id(DataKey::generate())?,
            aad.as_bytes(),
        ))?,
    };
    id(open().commit(
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
            wrapped_key,
        },
        vec![],
    ))?;
    let v = setup(open)?;
    let vet = scope(&ride, &sv("vetting-svc")?);
    let vetting = p("driver_vetting")?;
    let idn = [(f("driver_id_number")?, "11010519491231002X")];
    ensure(
        denied_codes(v.collect(&vet, &legacy, &vetting, &idn))
            .contains(&ReasonCode::FieldNotForRole),
        "without a role the subject is a passenger (the consumer side)",
    )?;
    let driver = id(SubjectRole::parse("driver"))?;
    id(v.assign_role(&dpo(&ride), &legacy, &driver))?;
    id(v.collect(&vet, &legacy, &vetting, &idn))?;
    let passenger = id(SubjectRole::parse("passenger"))?;
    ensure(
        denied_codes(v.assign_role(&dpo(&ride), &legacy, &passenger))
            == [ReasonCode::SubjectRoleFixed],
        "a role, once given, is fixed",
    )?;
    let fresh = id(v.register(&svc_of(&ride)?, &cn(), Some(&passenger), false))?;
    ensure(
        denied_codes(v.assign_role(&dpo(&ride), &fresh, &driver)) == [ReasonCode::SubjectRoleFixed],
        "a subject registered with a role keeps it",
    )?;
    ensure(
        denied_codes(v.assign_role(&dpo(&ride), &legacy, &id(SubjectRole::parse("pilot"))?))
            == [ReasonCode::SubjectRoleUndeclared],
        "an undeclared role is refused",
    )?;
    let entries = id(v.ledger_entries(0, u64::MAX))?;
    let assigned = entries
        .iter()
        .filter(|(_, e)| {
            e.kind == custodian_ledger::EntryKind::Register
                && e.reason.as_ref().map(|r| r.as_str()) == Some("role_assigned")
                && e.subject.as_ref().map(|s| s.as_str()) == Some(legacy.as_str())
        })
        .count();
    ensure(
        assigned == 1,
        &format!("one `role_assigned` entry, found {assigned}"),
    )?;
    ensure(
        id(v.export_subject(&dpo(&ride), &legacy))?
            .subject
            .role
            .as_ref()
            == Some(&driver),
        "the role is stored",
    )
}
