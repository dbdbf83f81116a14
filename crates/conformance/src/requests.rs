//! A person's requests as records: deadlines in working days, overdue lists scoped to the
//! DPO's tenant or the whole cell, answers recorded once.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use custodian_core::access::{AdminScope, RegulatorScope, Scope};
use custodian_core::error::CoreError;
use custodian_core::ids::HoldReason;
use custodian_core::requests::{RequestKind, RequestStatus};
use custodian_ledger::EntryKind;

use crate::*;

const DAY: i64 = 86_400_000;
/// A Monday.
const T0: i64 = 1_790_000_000_000;

/// Fifteen working days from a Monday are three weeks; a request open past them is overdue, for
/// its tenant's DPO and the regulator; answered ones are not; an answer is given once.
pub fn requests_have_deadlines_and_overdue_lists(open: &Opener) -> Check {
    let now = Arc::new(AtomicI64::new(T0));
    let clock = now.clone();
    let v = vault(open())?.with_clock(move || clock.load(Ordering::SeqCst));
    let (ride, jobs) = (t("ride")?, t("jobs")?);
    id(v.load_manifest(&AdminScope::new(), &ride, RIDE_HAILING))?;
    id(v.load_manifest(&AdminScope::new(), &jobs, JOB_BOARD))?;
    let s = id(v.register(&svc_of(&ride)?, &cn(), None, false))?;
    let j = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    let erase = id(v.open_request(&dpo(&ride), &s, RequestKind::Erasure))?;
    ensure(
        erase.deadline == T0 + 21 * DAY,
        "15 working days from a Monday",
    )?;
    let copy = id(v.open_request(&dpo(&ride), &s, RequestKind::Copy))?;
    let access = id(v.open_request(&dpo(&jobs), &j, RequestKind::Access))?;
    ensure(
        matches!(
            v.open_request(&dpo(&ride), &j, RequestKind::Access),
            Err(CoreError::NotFound(_))
        ),
        "a DPO records requests of its own tenant's subjects only",
    )?;
    // Requests received at the same time list in id order: compare as sorted sets.
    let ids = |scope: Scope, overdue: bool| -> Result<Vec<String>, String> {
        let mut out: Vec<String> = id(v.requests(&scope, overdue))?
            .into_iter()
            .map(|r| r.id)
            .collect();
        out.sort();
        Ok(out)
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let ride_dpo = || Scope::Dpo(dpo(&ride));
    now.store(T0 + 20 * DAY, Ordering::SeqCst);
    ensure(
        ids(ride_dpo(), true)?.is_empty(),
        "nothing overdue within the deadline",
    )?;
    id(v.close_request(&dpo(&ride), &copy.id, RequestStatus::Completed))?;
    now.store(T0 + 22 * DAY, Ordering::SeqCst);
    ensure(
        ids(ride_dpo(), true)? == [erase.id.clone()],
        "the open one is overdue, the answered one not",
    )?;
    ensure(
        ids(ride_dpo(), false)? == sorted(vec![erase.id.clone(), copy.id.clone()]),
        "a DPO sees its tenant's requests",
    )?;
    ensure(
        ids(Scope::Regulator(RegulatorScope::new()), true)?
            == sorted(vec![erase.id.clone(), access.id.clone()]),
        "the regulator sees every tenant's overdue requests",
    )?;
    let label = id(HoldReason::parse("identity_not_verified"))?;
    let refused = id(v.close_request(
        &dpo(&ride),
        &erase.id,
        RequestStatus::Refused(label.clone()),
    ))?;
    ensure(
        refused.status == RequestStatus::Refused(label.clone()),
        "refused with its label",
    )?;
    ensure(
        matches!(
            v.close_request(&dpo(&ride), &erase.id, RequestStatus::Completed),
            Err(CoreError::Conflict(_))
        ),
        "answered once",
    )?;
    ensure(
        matches!(
            v.close_request(&dpo(&ride), &access.id, RequestStatus::Completed),
            Err(CoreError::NotFound(_))
        ),
        "not another tenant's request",
    )?;
    ensure(
        matches!(
            v.close_request(&dpo(&jobs), &access.id, RequestStatus::Open),
            Err(CoreError::Invalid(_))
        ),
        "an answer is completed or refused",
    )?;
    ensure(
        ids(ride_dpo(), true)?.is_empty(),
        "nothing overdue once answered",
    )?;
    let reasons: Vec<String> = id(v.ledger_entries(0, u64::MAX))?
        .into_iter()
        .filter(|(_, e)| e.kind == EntryKind::ConfigChange)
        .filter_map(|(_, e)| e.reason.map(|r| r.as_str().to_string()))
        .filter(|r| r.starts_with("request_"))
        .collect();
    ensure(
        reasons
            == [
                "request_received",
                "request_received",
                "request_received",
                "request_completed",
                "request_refused",
            ],
        &format!("each step recorded: {reasons:?}"),
    )
}

/// A person's copy names each value's later uses from the ledger: every allowed read with its
/// purpose and the service that received it; refused reads and other subjects' reads are not
/// listed.
pub fn export_names_each_values_uses(open: &Opener) -> Check {
    use custodian_core::decision::ConsentChange;
    use custodian_core::vault::Reveal;
    let v = setup(open)?;
    let ride = t("ride")?;
    let mut tokens = Vec::new();
    let mut subjects = Vec::new();
    for phone in ["13811112222", "13833334444"] {
        let s = id(v.register(&svc_of(&ride)?, &cn(), None, false))?;
        id(v.change_consent(
            &dpo(&ride),
            &s,
            &p("dispatch")?,
            ConsentChange::Grant {
                separate: true,
                by_guardian: false,
            },
        ))?;
        let got = id(v.collect(
            &svc_of(&ride)?,
            &s,
            &p("dispatch")?,
            &[(f("phone")?, phone)],
        ))?;
        tokens.push(got[0].token.clone());
        subjects.push(s);
    }
    for _ in 0..2 {
        id(v.detokenize(
            &svc_of(&ride)?,
            &p("dispatch")?,
            &tokens[..1],
            Reveal::Masked,
        ))?;
    }
    id(v.detokenize(
        &svc_of(&ride)?,
        &p("dispatch")?,
        &tokens[1..],
        Reveal::Masked,
    ))?;
    ensure(
        v.detokenize(
            &svc_of(&ride)?,
            &p("marketing")?,
            &tokens[..1],
            Reveal::Masked,
        )
        .is_err(),
        "a read without consent is refused",
    )?;
    let e = id(v.export_subject(&dpo(&ride), &subjects[0]))?;
    let uses = &e.values[0].uses;
    ensure(
        uses.len() == 2,
        &format!("two reads of the first subject's phone: {uses:?}"),
    )?;
    ensure(
        uses.iter().all(|u| {
            u.kind == "detokenize"
                && u.purpose.as_deref() == Some("dispatch")
                && u.service.as_deref() == Some("dispatch-svc")
        }),
        &format!("each with its purpose and service: {uses:?}"),
    )
}
