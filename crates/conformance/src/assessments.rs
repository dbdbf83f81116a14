//! Transfers that need more than a contract: a CIIO's PI, important data, the sensitive
//! volume that needs a security assessment; and the refusals for minors and roles.

use custodian_core::ids::{OrgCode, SubjectId};
use custodian_core::store::Change;
use custodian_core::transfers::BasisKind;

use crate::transfers::{JOBS_ORG, basis, first_code};
use crate::*;

/// A critical information infrastructure operator's PI, and important data whoever holds it,
/// leave only after a security assessment whatever the volume: a filed standard contract does
/// not do (a CIIO's contract-necessity exemption does); a security assessment does.
pub fn transfers_needing_an_assessment(open: &Opener) -> Check {
    let v = vault(open())?;
    let ciio = JOB_BOARD.replacen("app_type", "ciio = true\napp_type", 1);
    let important = JOB_BOARD.replacen(
        "on_undeclared_pi = \"tokenize\"",
        "on_undeclared_pi = \"tokenize\"\nimportant_data = true",
        1,
    );
    let tb = "talentbridge_sg";
    let mut codes = Vec::new();
    for (tenant, manifest) in [("jobs-ciio", &ciio), ("jobs-imp", &important)] {
        let jobs = t(tenant)?;
        id(v.load_manifest(&AdminScope::new(), &jobs, manifest))?;
        let svc = scope(&jobs, &sv("matching-svc")?);
        let seeker = id(SubjectRole::parse("job_seeker"))?;
        let s = id(v.register(&svc, &cn(), Some(&seeker), false))?;
        id(v.collect(
            &svc,
            &s,
            &p("job_matching")?,
            &[(f("resume")?, "港口调度十二年")],
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
        let mut try_under = |kind: BasisKind| -> Check {
            id(v.put_transfer_basis(
                &dpo(&jobs),
                basis(tenant, "only", tb, kind, &["resume"], true)?,
            ))?;
            let o = id(v.transfer(&svc, tb, None, std::slice::from_ref(&s), &[f("resume")?]))?;
            codes.push((tenant, kind.as_str(), first_code(&o)));
            Ok(())
        };
        try_under(BasisKind::StandardContract)?;
        try_under(BasisKind::ContractNecessity)?;
        try_under(BasisKind::SecurityAssessment)?;
    }
    let expected = [
        (
            "jobs-ciio",
            "standard_contract",
            "transfer_requires_assessment",
        ),
        ("jobs-ciio", "contract_necessity", "allowed"),
        ("jobs-ciio", "security_assessment", "allowed"),
        (
            "jobs-imp",
            "standard_contract",
            "transfer_requires_assessment",
        ),
        (
            "jobs-imp",
            "contract_necessity",
            "transfer_requires_assessment",
        ),
        ("jobs-imp", "security_assessment", "allowed"),
    ];
    let got: Vec<(&str, &str, &str)> = codes.iter().map(|(t, k, c)| (*t, *k, c.as_str())).collect();
    ensure(got == expected, &format!("decisions: {got:?}"))
}

/// A child's PI abroad needs the guardian's separate consent, and counts as sensitive: under a
/// standard contract the 10,000th individual with sensitive PI this year is refused (a security
/// assessment is needed); a recruiter's résumé is not the recipient's to receive (the field and
/// purpose are a job seeker's).
pub fn transfer_refusals_for_minors_roles_and_volume(open: &Opener) -> Check {
    let org = id(OrgCode::parse(JOBS_ORG))?;
    let (year, _, _) = custodian_core::transfers::local_year(now(), &cn());
    // 9,998 individuals with sensitive PI already counted this year.
    let filler: Vec<_> = (0..9_998)
        .map(|i| {
            Ok((
                t("jobs-archive")?,
                id(SubjectId::parse(&format!("sub_sens{i:08}")))?,
                true,
            ))
        })
        .collect::<Result<_, String>>()?;
    id(open().commit(
        Change::Transfer {
            organisation: org,
            year,
            rows: filler,
        },
        Vec::new(),
    ))?;
    let v = setup(open)?;
    let jobs = t("jobs")?;
    let svc = scope(&jobs, &sv("matching-svc")?);
    let tb = "talentbridge_sg";
    id(v.put_transfer_basis(
        &dpo(&jobs),
        basis(
            "jobs",
            "scc-1",
            tb,
            BasisKind::StandardContract,
            &["resume"],
            true,
        )?,
    ))?;
    let seeker = id(SubjectRole::parse("job_seeker"))?;
    let child = |n: &str| -> Result<SubjectId, String> {
        let s = id(v.register(&svc, &cn(), Some(&seeker), true))?;
        id(v.collect(
            &svc,
            &s,
            &p("job_matching")?,
            &[(f("resume")?, &format!("{n}：中学生暑期实习"))],
        ))?;
        Ok(s)
    };
    let consent = |s: &SubjectId, by_guardian: bool| {
        id(v.change_consent(
            &dpo(&jobs),
            s,
            &p("overseas_placement")?,
            ConsentChange::Grant {
                separate: true,
                by_guardian,
            },
        ))
    };
    let send = |s: &SubjectId| {
        id(v.transfer(&svc, tb, None, std::slice::from_ref(s), &[f("resume")?]))
            .map(|o| first_code(&o))
    };
    let (c1, c2) = (child("甲")?, child("乙")?);
    consent(&c1, false)?;
    ensure(
        send(&c1)? == "guardian_consent_missing",
        "a child's PI abroad without the guardian's consent is refused",
    )?;
    consent(&c1, true)?;
    ensure(
        send(&c1)? == "allowed",
        "with the guardian's separate consent it goes (the 9,999th with sensitive PI)",
    )?;
    consent(&c2, true)?;
    ensure(
        send(&c2)? == "transfer_volume_requires_assessment",
        "the 10,000th individual with sensitive PI needs a security assessment",
    )?;
    let recruiter = id(SubjectRole::parse("recruiter"))?;
    let r = id(v.register(&svc, &cn(), Some(&recruiter), false))?;
    ensure(
        send(&r)? == "field_not_for_role",
        "a recruiter's résumé is not the recipient's to receive",
    )
}
