//! Checks of the transfer gate: every refusal reason, the payload, the counts and their
//! reproduction from the ledger alone.

use custodian_core::ids::{OrgCode, SubjectId};
use custodian_core::orders::OrderKind;
use custodian_core::store::Change;
use custodian_core::transfers::{BasisKind, Pia, TransferBasis};
use custodian_core::vault::counts_from_ledger;

use crate::*;

/// The job board's organisation (its example manifest's).
pub const JOBS_ORG: &str = "91110105MA01J0B00B";

pub(crate) fn basis(
    tenant: &str,
    id: &str,
    recipient: &str,
    kind: BasisKind,
    fields: &[&str],
    pia: bool,
) -> Result<TransferBasis, String> {
    Ok(TransferBasis {
        id: id.into(),
        tenant: t(tenant)?,
        recipient: recipient.into(),
        kind,
        reference: format!("REF-{id}"),
        valid_from: now() - 60_000,
        expires_at: None,
        fields: fields.iter().map(|x| f(x)).collect::<Result<_, _>>()?,
        pia: pia.then(|| Pia {
            reference: format!("PIA-{id}"),
            completed_at: now() - 60_000,
        }),
    })
}

pub(crate) fn first_code(o: &custodian_core::vault::TransferOutcome) -> String {
    o.refused
        .first()
        .and_then(|(_, r)| r.first())
        .map(|r| r.code.as_str().to_string())
        .unwrap_or_else(|| "allowed".into())
}

/// Every refusal reason of the gate, the payload of an allowed transfer, the counts, and the
/// counts recomputed from the ledger alone.
pub fn transfers_are_gated_and_counted(open: &Opener) -> Check {
    let org = id(OrgCode::parse(JOBS_ORG))?;
    let (year, _, _) = custodian_core::transfers::local_year(now(), &cn());
    {
        // 99,998 individuals already counted this year (in another tenant of the
        // organisation, as the store would have them): the job board's second transfer is the
        // 100,000th.
        let filler: Vec<_> = (0..99_998)
            .map(|i| {
                Ok((
                    t("jobs-archive")?,
                    id(SubjectId::parse(&format!("sub_fill{i:08}")))?,
                    false,
                ))
            })
            .collect::<Result<_, String>>()?;
        id(open().commit(
            Change::Transfer {
                organisation: org.clone(),
                year,
                rows: filler,
            },
            Vec::new(),
        ))?;
    }
    let v = setup(open)?;
    let (ride, jobs) = (t("ride")?, t("jobs")?);
    let job_svc = scope(&jobs, &sv("matching-svc")?);
    let seeker = SubjectRole::parse("job_seeker").map_err(|e| e.to_string())?;
    let register = || id(v.register(&job_svc, &cn(), Some(&seeker), false));
    let s1 = register()?;
    let resume = "十年物流调度经验，熟悉跨境仓储";
    id(v.collect(
        &job_svc,
        &s1,
        &p("job_matching")?,
        &[(f("resume")?, resume)],
    ))?;
    let tb = "talentbridge_sg";
    let transfer = |s: &SubjectId, rcpt: &str, fields: &[&str]| {
        let fields: Vec<_> = fields.iter().filter_map(|x| f(x).ok()).collect();
        id(v.transfer(&job_svc, rcpt, None, std::slice::from_ref(s), &fields))
    };
    // The sector rule: ride-hailing PI never leaves, whatever the basis.
    let ride_svc = svc_of(&ride)?;
    let rider = id(v.register(&ride_svc, &cn(), None, false))?;
    id(v.put_transfer_basis(
        &dpo(&ride),
        basis(
            "ride",
            "sa-1",
            "mapco_us",
            BasisKind::SecurityAssessment,
            &["pickup"],
            true,
        )?,
    ))?;
    let o = id(v.transfer(&ride_svc, "mapco_us", None, &[rider], &[f("pickup")?]))?;
    ensure(
        first_code(&o) == "transfer_forbidden_by_sector" && o.allowed.is_empty(),
        "ride-hailing PI is refused whatever the basis",
    )?;
    ensure(
        first_code(&transfer(&s1, "nowhere_us", &["resume"])?) == "recipient_undeclared",
        "an undeclared recipient is refused",
    )?;
    ensure(
        first_code(&transfer(&s1, tb, &["phone"])?) == "field_not_for_recipient",
        "a field the recipient may not receive is refused",
    )?;
    ensure(
        first_code(&transfer(&s1, tb, &["resume"])?) == "transfer_basis_missing",
        "no basis on file: refused",
    )?;
    id(v.put_transfer_basis(
        &dpo(&jobs),
        basis(
            "jobs",
            "scc-1",
            tb,
            BasisKind::StandardContract,
            &["resume", "email"],
            false,
        )?,
    ))?;
    ensure(
        first_code(&transfer(&s1, tb, &["resume"])?) == "pia_missing",
        "no PIA on file: refused",
    )?;
    id(v.put_transfer_basis(
        &dpo(&jobs),
        basis(
            "jobs",
            "scc-1",
            tb,
            BasisKind::StandardContract,
            &["resume", "email"],
            true,
        )?,
    ))?;
    ensure(
        first_code(&transfer(&s1, tb, &["resume"])?) == "transfer_consent_missing",
        "no separate consent: refused",
    )?;
    id(v.change_consent(
        &dpo(&jobs),
        &s1,
        &p("overseas_placement")?,
        ConsentChange::Grant {
            separate: true,
            by_guardian: false,
        },
    ))?;
    let o = transfer(&s1, tb, &["resume"])?;
    ensure(
        o.refused.is_empty()
            && o.allowed.len() == 1
            && o.allowed[0].values.len() == 1
            && o.allowed[0].values[0].1.expose() == resume
            && o.counts.general == 99_999
            && o.basis.as_ref().map(|b| b.0.as_str()) == Some("scc-1"),
        "allowed: the payload carries the value, the subject is counted",
    )?;
    let again = transfer(&s1, tb, &["resume"])?;
    ensure(
        again.counts.general == 99_999,
        "an individual is counted once a year",
    )?;
    // A service not granted the transfer's purpose gets nothing out.
    let pool = scope(&jobs, &sv("pool-svc")?);
    let o = id(v.transfer(&pool, tb, None, std::slice::from_ref(&s1), &[f("resume")?]))?;
    ensure(
        first_code(&o) == "service_not_granted_purpose" && o.allowed.is_empty(),
        "a service not granted the recipient's purpose is refused",
    )?;
    // Undeclared PI in a free text stays behind: the text leaves with its token in place.
    id(v.collect(
        &job_svc,
        &s1,
        &p("job_matching")?,
        &[(f("resume")?, "联系邮箱 wang.fang@example.org 随时")],
    ))?;
    let o = transfer(&s1, tb, &["resume"])?;
    let texts: Vec<String> = o
        .allowed
        .iter()
        .flat_map(|a| a.values.iter().map(|(_, v)| v.expose().to_string()))
        .collect();
    ensure(
        texts.len() == 2
            && texts.iter().all(|t| !t.contains("wang.fang"))
            && texts.iter().any(|t| t.contains("联系邮箱 tok_")),
        &format!(
            "the free text leaves with a token for the undeclared e-mail ({} values)",
            texts.len()
        ),
    )?;
    // A regulator's order over the organisation stops transfers.
    let reg = test_regulator();
    let mut stop = order_doc("ord-no-transfers", OrderKind::SuspendTransfers);
    stop.organisations = vec![id(OrgCode::parse(JOBS_ORG))?];
    id(v.submit_order(&RegulatorScope::new(), &sign_doc(&reg, &stop)))?;
    let o = transfer(&s1, tb, &["resume"])?;
    ensure(
        first_code(&o) == "transfers_suspended"
            && o.refused[0].1[0].order.as_deref() == Some("ord-no-transfers"),
        "a suspend_transfers order over the organisation refuses, naming the order",
    )?;
    let lift = order_doc(
        "ord-transfers-back",
        OrderKind::Lift {
            order: "ord-no-transfers".into(),
        },
    );
    id(v.submit_order(&RegulatorScope::new(), &sign_doc(&reg, &lift)))?;
    // Under the small-volume exemption the 100,000th individual is refused.
    id(v.put_transfer_basis(
        &dpo(&jobs),
        basis(
            "jobs",
            "scc-1",
            tb,
            BasisKind::SmallVolume,
            &["resume", "email"],
            true,
        )?,
    ))?;
    let s2 = register()?;
    id(v.collect(
        &job_svc,
        &s2,
        &p("job_matching")?,
        &[(f("resume")?, "五年销售经验")],
    ))?;
    id(v.change_consent(
        &dpo(&jobs),
        &s2,
        &p("overseas_placement")?,
        ConsentChange::Grant {
            separate: true,
            by_guardian: false,
        },
    ))?;
    let o = transfer(&s2, tb, &["resume"])?;
    ensure(
        first_code(&o) == "transfer_volume_requires_contract",
        "the 100,000th individual under the small-volume exemption is refused",
    )?;
    id(v.put_transfer_basis(
        &dpo(&jobs),
        basis(
            "jobs",
            "scc-1",
            tb,
            BasisKind::StandardContract,
            &["resume", "email"],
            true,
        )?,
    ))?;
    let o = transfer(&s2, tb, &["resume"])?;
    ensure(
        o.refused.is_empty() && o.counts.general == 100_000,
        "under a filed standard contract the 100,000th goes",
    )?;
    // An erased subject has nothing to send.
    id(v.erase_subject(&dpo(&jobs), &s2))?;
    ensure(
        first_code(&transfer(&s2, tb, &["resume"])?) == "subject_erased",
        "an erased subject is refused",
    )?;
    // The counts again from the ledger alone (the filler rows were never transfers the
    // ledger records: they are subtracted).
    let entries: Vec<_> = id(v.ledger_entries(0, u64::MAX))?
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    let from_ledger = counts_from_ledger(&entries, &org, year, &cn());
    ensure(
        from_ledger.general == 2 && from_ledger.sensitive == 0,
        &format!("the ledger alone gives the counts of real transfers ({from_ledger:?})"),
    )?;
    // No value in any entry.
    ensure(
        !ledger_bytes(&v)?
            .iter()
            .any(|b| b.windows(resume.len()).any(|w| w == resume.as_bytes())),
        "no transferred value is in the ledger",
    )
}

/// The egress check finds stored values in a payload whatever the field names or spacing,
/// blocks those no transfer covers, and passes those an allowed transfer to the recipient
/// covers; the check is a ledger entry naming tokens, never values.
pub fn egress_check_finds_stored_values(open: &Opener) -> Check {
    use custodian_core::vault::PayloadFormat;
    let v = setup(open)?;
    let jobs = t("jobs")?;
    let job_svc = scope(&jobs, &sv("matching-svc")?);
    let seeker = SubjectRole::parse("job_seeker").map_err(|e| e.to_string())?;
    let s = id(v.register(&job_svc, &cn(), Some(&seeker), false))?;
    id(v.collect(
        &job_svc,
        &s,
        &p("job_matching")?,
        &[(f("phone")?, "13912345678")],
    ))?;
    let grant = ConsentChange::Grant {
        separate: true,
        by_guardian: false,
    };
    id(v.change_consent(&dpo(&jobs), &s, &p("talent_pool")?, grant))?;
    id(v.change_consent(&dpo(&jobs), &s, &p("overseas_placement")?, grant))?;
    let pool = scope(&jobs, &sv("pool-svc")?);
    id(v.collect(
        &pool,
        &s,
        &p("talent_pool")?,
        &[(f("email")?, "li.na@example.com")],
    ))?;
    let tb = "talentbridge_sg";
    // A renamed field, spaced digits, upper-case e-mail: both stored values are found; no
    // transfer covers them yet.
    let payload = br#"{"candidate": {"mobile_no": "139 1234 5678", "mail": "Li.Na@Example.com", "note": "ok"}}"#;
    let r = id(v.egress_check(&job_svc, Some(tb), PayloadFormat::Json, payload))?;
    ensure(
        r.blocked && r.matches.len() == 2 && r.matches.iter().all(|m| m.subject == s && !m.covered),
        &format!("both stored values found and uncovered ({:?})", r.matches),
    )?;
    // Escapes hide nothing.
    let escaped = br#"{"x": "\u0031\u0033\u0039\u0031\u0032\u0033\u0034\u0035\u0036\u0037\u0038"}"#;
    let r = id(v.egress_check(&job_svc, None, PayloadFormat::Json, escaped))?;
    ensure(
        r.blocked && r.matches.len() == 1,
        "a JSON-escaped phone is found",
    )?;
    // After an allowed transfer of the e-mail to the recipient, the e-mail is covered; the
    // phone (which the recipient may not receive) still blocks.
    id(v.put_transfer_basis(
        &dpo(&jobs),
        custodian_core::transfers::TransferBasis {
            id: "scc-eg".into(),
            tenant: jobs.clone(),
            recipient: tb.into(),
            kind: custodian_core::transfers::BasisKind::StandardContract,
            reference: "SCC-EG".into(),
            valid_from: now() - 1000,
            expires_at: None,
            fields: vec![f("email")?],
            pia: Some(custodian_core::transfers::Pia {
                reference: "PIA-EG".into(),
                completed_at: now() - 1000,
            }),
        },
    ))?;
    let o = id(v.transfer(
        &pool_as_matching(&jobs)?,
        tb,
        None,
        std::slice::from_ref(&s),
        &[f("email")?],
    ))?;
    ensure(o.allowed.len() == 1, "the e-mail transfer is allowed")?;
    let r = id(v.egress_check(
        &job_svc,
        Some(tb),
        PayloadFormat::Ndjson,
        b"{\"mail\": \"li.na@example.com\"}\n{\"m\": \"13912345678\"}\n",
    ))?;
    ensure(
        r.matches
            .iter()
            .any(|m| m.field.as_str() == "email" && m.covered)
            && r.matches
                .iter()
                .any(|m| m.field.as_str() == "phone" && !m.covered)
            && r.blocked,
        "the transferred e-mail is covered, the phone is not",
    )?;
    let r = id(v.egress_check(
        &job_svc,
        Some(tb),
        PayloadFormat::Text,
        b"contact li.na@example.com today",
    ))?;
    ensure(
        !r.blocked && r.matches.len() == 1,
        "a payload of covered values passes",
    )?;
    // Coverage lasts only while the transfer would still be allowed: withdrawn consent ends it.
    id(v.change_consent(
        &dpo(&jobs),
        &s,
        &p("overseas_placement")?,
        ConsentChange::Withdraw,
    ))?;
    let r = id(v.egress_check(
        &job_svc,
        Some(tb),
        PayloadFormat::Text,
        b"contact li.na@example.com today",
    ))?;
    ensure(
        r.blocked && r.matches.iter().all(|m| !m.covered),
        "after the consent is withdrawn the e-mail is no longer covered",
    )?;
    // A landline stored with its country code is found in its national form.
    let desk_manifest = "organisation = \"91110105MA01J0B00B\"\napp_type = \"service_desk\"\nnotice_version = \"1\"\n[[purposes]]\nid = \"support\"\ndescription = \"Call the customer back\"\nlawful_basis = \"consent\"\n[[fields]]\nname = \"landline\"\npi_type = \"cn_landline\"\npurposes = [\"support\"]\nretention_days = 365\nblind_index = true\n[[fields]]\nname = \"plate\"\npi_type = \"cn_license_plate\"\npurposes = [\"support\"]\nretention_days = 365\nblind_index = true\n[[services]]\nname = \"desk-svc\"\npurposes = [\"support\"]\n";
    let desk = t("desk")?;
    v.load_manifest(&AdminScope::new(), &desk, desk_manifest)
        .map_err(|e| match e {
            CoreError::Manifest(p) => format!("{p:?}"),
            e => e.to_string(),
        })?;
    let desk_svc = scope(&desk, &sv("desk-svc")?);
    let caller = id(v.register(&desk_svc, &cn(), None, false))?;
    id(v.change_consent(
        &dpo(&desk),
        &caller,
        &p("support")?,
        ConsentChange::Grant {
            separate: false,
            by_guardian: false,
        },
    ))?;
    id(v.collect(
        &desk_svc,
        &caller,
        &p("support")?,
        &[
            (f("landline")?, "+86 10 6234 5678"),
            (f("plate")?, "鲁B VC684"),
        ],
    ))?;
    // A plate is one plate however its separator is written.
    for spelled in ["车 鲁B·VC684 到了", "车 鲁BVC684 到了", "车 鲁B-VC684 到了"] {
        let r = id(v.egress_check(&desk_svc, None, PayloadFormat::Text, spelled.as_bytes()))?;
        ensure(
            r.blocked
                && r.matches
                    .iter()
                    .any(|m| m.field.as_str() == "plate" && m.subject == caller),
            &format!("the stored plate is found in `{spelled}`"),
        )?;
    }
    let r = id(v.egress_check(
        &desk_svc,
        None,
        PayloadFormat::Text,
        "请回电 010-6234 5678".as_bytes(),
    ))?;
    ensure(
        r.blocked && r.matches.len() == 1 && r.matches[0].subject == caller,
        &format!(
            "a landline stored as +86 is found as 010 ({} matches)",
            r.matches.len()
        ),
    )?;
    let clean = id(v.egress_check(
        &job_svc,
        None,
        PayloadFormat::Text,
        b"nothing personal here",
    ))?;
    ensure(
        !clean.blocked && clean.matches.is_empty(),
        "a payload without stored values passes",
    )?;
    ensure(
        !ledger_bytes(&v)?
            .iter()
            .any(|b| b.windows(11).any(|w| w == b"13912345678")),
        "no value in the ledger",
    )
}

/// The job board's matching service (transfers run as a service of the tenant).
fn pool_as_matching(jobs: &TenantId) -> Result<ServiceScope, String> {
    Ok(scope(jobs, &sv("matching-svc")?))
}

/// One allowed transfer of a job seeker's résumé abroad on `v` (loading the job board's
/// manifest as `jobs`): for tests that then tamper with the store.
pub fn one_transfer(v: &Vault) -> Check {
    let jobs = t("jobs")?;
    id(v.load_manifest(&AdminScope::new(), &jobs, JOB_BOARD))?;
    let svc = scope(&jobs, &sv("matching-svc")?);
    let seeker = id(SubjectRole::parse("job_seeker"))?;
    let s = id(v.register(&svc, &cn(), Some(&seeker), false))?;
    id(v.collect(
        &svc,
        &s,
        &p("job_matching")?,
        &[(f("resume")?, "跨境电商运营五年")],
    ))?;
    id(v.put_transfer_basis(
        &dpo(&jobs),
        basis(
            "jobs",
            "scc-1",
            "talentbridge_sg",
            BasisKind::StandardContract,
            &["resume"],
            true,
        )?,
    ))?;
    id(v.change_consent(
        &dpo(&jobs),
        &s,
        &p("overseas_placement")?,
        ConsentChange::Grant {
            separate: true,
            by_guardian: false,
        },
    ))?;
    let o = id(v.transfer(&svc, "talentbridge_sg", None, &[s], &[f("resume")?]))?;
    ensure(
        o.allowed.len() == 1 && o.counts.general == 1,
        "the transfer is allowed and counted",
    )
}
