//! Acts on a subject as a whole: consent changes, the person's copy, erasure.

use super::*;

/// What a consent change does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsentChange {
    /// Give (or renew) consent.
    Grant {
        /// Separate consent (单独同意).
        separate: bool,
        /// Given by a guardian.
        by_guardian: bool,
    },
    /// Withdraw it.
    Withdraw,
}

/// Proof that a consent change was decided and allowed.
#[derive(Debug)]
pub struct ConsentGrant<'a> {
    purpose: &'a Purpose,
}

impl<'a> ConsentGrant<'a> {
    /// The declared purpose.
    pub fn purpose(&self) -> &'a PurposeId {
        &self.purpose.id
    }
}

/// Decides a consent change: the purpose is declared and applies to the subject's role, the
/// subject is not erased, and a service records consent only for purposes it is granted. Withdrawal is never refused otherwise (PIPL Art. 15), and no order
/// stops a subject from giving or withdrawing consent.
pub fn decide_consent<'a>(
    facts: &Facts<'a>,
    service: Option<&ServiceName>,
    purpose: &PurposeId,
    change: ConsentChange,
) -> Decision<ConsentGrant<'a>> {
    let subject = match live_subject(facts) {
        Ok(s) => s,
        Err(r) => return Decision::deny(r),
    };
    let p = match declared_purpose(facts.manifest, purpose) {
        Ok(p) => p,
        Err(r) => return Decision::deny(vec![r]),
    };
    let mut reasons = Vec::new();
    // A service records consent only for the purposes it acts for; the DPO for any.
    if let Some(service) = service
        && matches!(change, ConsentChange::Grant { .. })
        && !facts
            .manifest
            .service(service)
            .is_some_and(|s| s.purposes.contains(purpose))
    {
        reasons.push(reason(
            ReasonCode::ServiceNotGrantedPurpose,
            format!("service `{service}` may not record consent for purpose `{purpose}`"),
        ));
    }
    let role = facts.manifest.role_of(subject);
    if matches!(change, ConsentChange::Grant { .. }) && !p.serves(&role.id) {
        reasons.push(reason(
            ReasonCode::PurposeNotForRole,
            format!(
                "purpose `{purpose}` does not apply to subjects of role `{}`",
                role.id
            ),
        ));
    }
    Decision::from(|| ConsentGrant { purpose: p }, reasons)
}

/// Proof that a subject's copy of its data (PIPL Art. 45) was decided and allowed.
#[derive(Debug)]
pub struct ExportGrant<'a> {
    subject: &'a SubjectInfo,
}

impl<'a> ExportGrant<'a> {
    /// The subject.
    pub fn subject(&self) -> &'a SubjectInfo {
        self.subject
    }
}

/// Decides an export: the subject exists (an erased subject's export says so and holds no
/// values). The right of access is not suspended by orders or consent: it is the person's
/// own data.
pub fn decide_export<'a>(facts: &Facts<'a>) -> Decision<ExportGrant<'a>> {
    match facts.subject {
        Some(subject) => Decision::allow(ExportGrant { subject }, Vec::new()),
        None => Decision::deny(vec![reason(
            ReasonCode::SubjectErased,
            "the act needs a subject".into(),
        )]),
    }
}

/// Proof that erasing a subject was decided and allowed.
#[derive(Debug)]
pub struct EraseGrant<'a> {
    subject: &'a SubjectInfo,
}

impl<'a> EraseGrant<'a> {
    /// The subject.
    pub fn subject(&self) -> &'a SubjectInfo {
        self.subject
    }
}

/// Decides an erasure: the subject exists, is not erased already, and is under no legal hold.
pub fn decide_erase<'a>(facts: &Facts<'a>) -> Decision<EraseGrant<'a>> {
    match live_unheld_subject(facts) {
        Ok(subject) => Decision::allow(EraseGrant { subject }, Vec::new()),
        Err(r) => Decision::deny(r),
    }
}

/// A live subject under no legal hold — the DPO's, or a regulator's order preserving its
/// tenant's data — or the reason.
fn live_unheld_subject<'a>(facts: &Facts<'a>) -> Result<&'a SubjectInfo, Vec<Reason>> {
    let subject = live_subject(facts)?;
    if let Some(o) = facts.orders.iter().find(|o| {
        o.effect == crate::orders::OrderEffect::PreserveData
            && o.covers(facts.tenant, &facts.manifest.organisation)
    }) {
        return Err(vec![Reason {
            code: ReasonCode::LegalHold,
            message: format!(
                "tenant `{}`'s data is preserved by order `{}` of {}: nothing is erased or replaced until it is lifted",
                facts.tenant, o.id, o.issuer
            ),
            order: Some(o.id.clone()),
        }]);
    }
    match &subject.legal_hold {
        None => Ok(subject),
        Some(h) => Err(vec![reason(
            ReasonCode::LegalHold,
            format!(
                "the subject is under a legal hold (`{}`, since {} ms): its values are kept until the DPO releases it",
                h.reason, h.since
            ),
        )]),
    }
}

/// Proof that re-keying a subject — destroying some of its values (past their retention) or
/// replacing one (a rectification) by sealing the rest under a new key — was decided and
/// allowed.
#[derive(Debug)]
pub struct RekeyGrant<'a> {
    subject: &'a SubjectInfo,
}

impl<'a> RekeyGrant<'a> {
    /// The subject.
    pub fn subject(&self) -> &'a SubjectInfo {
        self.subject
    }
}

/// Decides a re-keying: the subject is live and under no legal hold.
pub fn decide_rekey<'a>(facts: &Facts<'a>) -> Decision<RekeyGrant<'a>> {
    match live_unheld_subject(facts) {
        Ok(subject) => Decision::allow(RekeyGrant { subject }, Vec::new()),
        Err(r) => Decision::deny(r),
    }
}

/// Decides setting or releasing a legal hold: the subject is live.
pub fn decide_hold(facts: &Facts<'_>) -> Decision<()> {
    match live_subject(facts) {
        Ok(_) => Decision::allow((), Vec::new()),
        Err(r) => Decision::deny(r),
    }
}

/// Proof that giving a role to a subject registered without one was decided and allowed.
#[derive(Debug)]
pub struct AssignRoleGrant<'a> {
    role: &'a RoleDecl,
}

impl<'a> AssignRoleGrant<'a> {
    /// The role, as the manifest declares it.
    pub fn role(&self) -> &'a SubjectRole {
        &self.role.id
    }
}

/// Decides giving a role to a subject that has none (registered before the manifest declared
/// roles): the subject is live, the role is declared, and the subject has no role yet — a role,
/// once given, is fixed (a driver does not become a passenger to escape a driver's rules).
pub fn decide_assign_role<'a>(
    facts: &Facts<'a>,
    role: &SubjectRole,
) -> Decision<AssignRoleGrant<'a>> {
    let subject = match live_subject(facts) {
        Ok(s) => s,
        Err(r) => return Decision::deny(r),
    };
    let Some(decl) = facts.manifest.role(role) else {
        return Decision::deny(vec![reason(
            ReasonCode::SubjectRoleUndeclared,
            format!(
                "the subject role is not declared in the manifest (roles: {})",
                facts.manifest.role_names()
            ),
        )]);
    };
    if let Some(r) = &subject.role {
        return Decision::deny(vec![reason(
            ReasonCode::SubjectRoleFixed,
            format!("subject `{}` already has the role `{r}`", subject.id),
        )]);
    }
    Decision::allow(AssignRoleGrant { role: decl }, Vec::new())
}
