//! Every rule, in one place. Each act has a decision function that takes the [`Facts`]
//! (manifest, subject, consents, orders in force, now) and the request, and always returns a
//! [`Decision`] with its [`Reason`]s. Only an allow carries the grant the act needs:
//! [`RegisterGrant`], [`CollectGrant`] (sealing takes one), [`DetokenizeGrant`] and
//! [`ExportGrant`] (opening takes one), [`LookupGrant`], [`ConsentGrant`], [`EraseGrant`].
//! Grants have private fields and are built only here, so no code path seals, opens or
//! changes a subject without a decision.
//!
//! Identifiers a caller supplies (purposes, fields, subject roles) are checked against the
//! manifest here; the vault writes one to the ledger only when the manifest declares it.

use custodian_detect::{Detector, Finding};

use crate::catalog::FieldType;
use crate::ids::{FieldName, Jurisdiction, Millis, PurposeId, ServiceName, SubjectRole, TenantId};
use crate::manifest::{Field, FreeTextPolicy, Manifest, Purpose, RoleDecl, Side};
use crate::orders::{ActiveOrder, OrderEffect};
use crate::subject::{Consent, SubjectInfo};
use crate::value;

mod code;
mod lookup;
mod subjects;
mod transfers;

pub use code::ReasonCode;
pub use lookup::{LookupGrant, LookupRequest, decide_lookup, decide_lookup_subject};
pub use subjects::{
    AssignRoleGrant, ConsentChange, ConsentGrant, EraseGrant, ExportGrant, RekeyGrant,
    decide_assign_role, decide_consent, decide_erase, decide_export, decide_hold, decide_rekey,
};
pub use transfers::{TransferGrant, TransferRequest, decide_transfer};

/// Why a decision went the way it did. Messages name fields, purposes and rules, never a
/// value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// Machine-readable code.
    pub code: ReasonCode,
    /// A sentence naming the field and the rule.
    pub message: String,
    /// The order that caused it, if one did.
    pub order: Option<String>,
}

fn reason(code: ReasonCode, message: String) -> Reason {
    Reason {
        code,
        message,
        order: None,
    }
}

/// The outcome of a decision: a grant when allowed, and the reasons either way.
#[derive(Debug)]
pub struct Decision<G> {
    grant: Option<G>,
    /// Why (for an allow, the rules that were satisfied in notable ways, e.g. a flag).
    pub reasons: Vec<Reason>,
}

impl<G> Decision<G> {
    fn deny(reasons: Vec<Reason>) -> Self {
        Decision {
            grant: None,
            reasons,
        }
    }

    fn allow(grant: G, reasons: Vec<Reason>) -> Self {
        Decision {
            grant: Some(grant),
            reasons,
        }
    }

    fn from(grant: impl FnOnce() -> G, reasons: Vec<Reason>) -> Self {
        if reasons.is_empty() {
            Decision::allow(grant(), reasons)
        } else {
            Decision::deny(reasons)
        }
    }

    /// Whether allowed.
    pub fn is_allowed(&self) -> bool {
        self.grant.is_some()
    }

    /// The grant, or the reasons for the denial.
    pub fn into_result(self) -> Result<G, Vec<Reason>> {
        self.grant.ok_or(self.reasons)
    }

    /// The reason codes, for tables and logs.
    pub fn codes(&self) -> Vec<ReasonCode> {
        self.reasons.iter().map(|r| r.code).collect()
    }
}

/// What every decision reads: the cell, the tenant's manifest, the subject and its consents
/// (when the act is about one subject), the orders in force, and the time.
#[derive(Clone, Copy, Debug)]
pub struct Facts<'a> {
    /// The cell's jurisdiction.
    pub cell: &'a Jurisdiction,
    /// The tenant.
    pub tenant: &'a TenantId,
    /// Its manifest.
    pub manifest: &'a Manifest,
    /// The subject, when the act concerns one.
    pub subject: Option<&'a SubjectInfo>,
    /// The subject's consents (empty without a subject).
    pub consents: &'a [Consent],
    /// The orders in force.
    pub orders: &'a [ActiveOrder],
    /// Now.
    pub now: Millis,
}

impl<'a> Facts<'a> {
    /// The same facts about `subject` and its consents.
    pub fn about(self, subject: &'a SubjectInfo, consents: &'a [Consent]) -> Facts<'a> {
        Facts {
            subject: Some(subject),
            consents,
            ..self
        }
    }
}

/// Proof that registering a subject was decided and allowed.
#[derive(Debug)]
pub struct RegisterGrant<'a> {
    role: &'a RoleDecl,
}

impl<'a> RegisterGrant<'a> {
    /// The subject's role.
    pub fn role(&self) -> &'a SubjectRole {
        &self.role.id
    }
}

/// A registration request.
#[derive(Clone, Copy, Debug)]
pub struct RegisterRequest<'a> {
    /// The subject's jurisdiction.
    pub jurisdiction: &'a Jurisdiction,
    /// The subject's role; `None`: the manifest's default role (its first consumer-side
    /// role, where the Necessary-PI Provisions apply in full).
    pub role: Option<&'a SubjectRole>,
}

/// Decides a registration: the subject belongs to this cell's jurisdiction, its role is
/// declared, and no order suspends registration for the tenant.
pub fn decide_register<'a>(
    facts: &Facts<'a>,
    req: &RegisterRequest<'_>,
) -> Decision<RegisterGrant<'a>> {
    let mut reasons = Vec::new();
    if req.jurisdiction != facts.cell {
        reasons.push(reason(
            ReasonCode::WrongJurisdiction,
            format!("subject of jurisdiction `{}` cannot register in the `{}` cell: PI stays in its own jurisdiction's cell", req.jurisdiction, facts.cell),
        ));
    }
    let role = match req.role {
        Some(r) => facts.manifest.role(r).or_else(|| {
            reasons.push(reason(
                ReasonCode::SubjectRoleUndeclared,
                format!("the subject role is not declared in the manifest (roles: {})", facts.manifest.role_names()),
            ));
            None
        }),
        None => facts.manifest.default_role().or_else(|| {
            reasons.push(reason(
                ReasonCode::SubjectRoleMissing,
                format!("the manifest declares several supply-side roles and no consumer role; name one ({})", facts.manifest.role_names()),
            ));
            None
        }),
    };
    for o in facts.orders {
        if o.effect == OrderEffect::SuspendRegistration
            && o.covers(facts.tenant, &facts.manifest.organisation)
        {
            reasons.push(Reason {
                code: ReasonCode::RegistrationSuspended,
                message: format!(
                    "new registrations for tenant `{}` are suspended by order `{}` of {}",
                    facts.tenant, o.id, o.issuer
                ),
                order: Some(o.id.clone()),
            });
        }
    }
    match role {
        Some(role) if reasons.is_empty() => Decision::allow(RegisterGrant { role }, reasons),
        _ => Decision::deny(reasons),
    }
}

/// The subject of the facts, or the reason there is none to act on.
fn live_subject<'a>(facts: &Facts<'a>) -> Result<&'a SubjectInfo, Vec<Reason>> {
    match facts.subject {
        Some(s) if s.erased => Err(vec![reason(
            ReasonCode::SubjectErased,
            format!("subject `{}` was erased", s.id),
        )]),
        Some(s) => Ok(s),
        None => Err(vec![reason(
            ReasonCode::SubjectErased,
            "the act needs a subject".into(),
        )]),
    }
}

/// A declared purpose, or the reason.
fn declared_purpose<'a>(m: &'a Manifest, purpose: &PurposeId) -> Result<&'a Purpose, Reason> {
    // The undeclared identifier is not echoed: a caller may have put PI there.
    m.purpose(purpose).ok_or_else(|| {
        reason(
            ReasonCode::PurposeUndeclared,
            format!(
                "the purpose is not declared in the manifest (purposes: {})",
                m.purposes
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

/// The rules about the service, the purpose and the field without a subject: all declared,
/// the field covers the purpose, the service is granted it, no order suspends it.
fn field_rules<'m>(
    facts: &Facts<'m>,
    service: &ServiceName,
    purpose: &PurposeId,
    field: &FieldName,
) -> Result<(&'m Field, &'m Purpose), Vec<Reason>> {
    let m = facts.manifest;
    let Some(f) = m.field(field) else {
        // The undeclared identifier is not echoed: a caller may have put PI there.
        return Err(vec![reason(
            ReasonCode::FieldUndeclared,
            format!(
                "a field is not declared in the manifest (fields: {})",
                m.fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )]);
    };
    let p = declared_purpose(m, purpose).map_err(|r| vec![r])?;
    let mut reasons = Vec::new();
    if !f.purposes.contains(purpose) {
        reasons.push(reason(
            ReasonCode::PurposeNotForField,
            format!("field `{field}` is not declared for purpose `{purpose}`"),
        ));
    }
    match m.service(service) {
        None => reasons.push(reason(
            ReasonCode::ServiceUndeclared,
            "the acting service is no longer declared in the manifest".into(),
        )),
        Some(s) if !s.purposes.contains(purpose) => reasons.push(reason(
            ReasonCode::ServiceNotGrantedPurpose,
            format!("service `{service}` may not act for purpose `{purpose}`"),
        )),
        Some(_) => {}
    }
    suspensions(facts, purpose, &mut reasons);
    if reasons.is_empty() {
        Ok((f, p))
    } else {
        Err(reasons)
    }
}

fn suspensions(facts: &Facts<'_>, purpose: &PurposeId, reasons: &mut Vec<Reason>) {
    for o in facts.orders {
        if let OrderEffect::SuspendProcessing { purposes } = &o.effect
            && o.covers(facts.tenant, &facts.manifest.organisation)
            && purposes.contains(purpose)
        {
            reasons.push(Reason {
                code: ReasonCode::ProcessingSuspended,
                message: format!(
                    "processing for purpose `{purpose}` is suspended by order `{}` of {}",
                    o.id, o.issuer
                ),
                order: Some(o.id.clone()),
            });
        }
    }
}

/// The rules about one subject: the field and purpose apply to its role, and consent stands
/// where the basis or the scope needs it (separate for sensitive PI, a guardian's for minors).
fn subject_rules(facts: &Facts<'_>, subject: &SubjectInfo, f: &Field, p: &Purpose) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let role = facts.manifest.role_of(subject);
    let (field, purpose) = (&f.name, &p.id);
    if !f.serves(&role.id) {
        reasons.push(reason(
            ReasonCode::FieldNotForRole,
            format!(
                "field `{field}` is not collected from subjects of role `{}`",
                role.id
            ),
        ));
    }
    if !p.serves(&role.id) {
        reasons.push(reason(
            ReasonCode::PurposeNotForRole,
            format!(
                "purpose `{purpose}` does not apply to subjects of role `{}`",
                role.id
            ),
        ));
    }
    let standing: Vec<&Consent> = facts
        .consents
        .iter()
        .filter(|c| &c.purpose == purpose && c.stands())
        .collect();
    let withdrawn = facts
        .consents
        .iter()
        .any(|c| &c.purpose == purpose && !c.stands());
    let in_scope = f.in_scope_for(role);
    let consent_needed = p.basis.needs_consent() || !in_scope;
    if consent_needed && standing.is_empty() {
        let (code, why) = if withdrawn {
            (ReasonCode::ConsentWithdrawn, "was withdrawn")
        } else if !in_scope && !p.basis.needs_consent() {
            (
                ReasonCode::ConsentMissingBeyondScope,
                match role.side {
                    Side::Consumer => {
                        "is missing, and the field is beyond the app type's necessary PI"
                    }
                    Side::Supply => "is missing, and the field is not one the role requires",
                },
            )
        } else {
            (ReasonCode::ConsentMissing, "is missing")
        };
        reasons.push(reason(
            code,
            format!(
                "consent of subject `{}` for purpose `{purpose}` {why} (field `{field}`)",
                subject.id
            ),
        ));
    }
    if f.sensitive
        && p.basis.sensitive_needs_separate_consent()
        && !standing.iter().any(|c| c.separate)
    {
        reasons.push(reason(
            ReasonCode::SeparateConsentMissing,
            format!("field `{field}` is sensitive PI: it needs the subject's separate consent for purpose `{purpose}` (PIPL Art. 29)"),
        ));
    }
    if subject.minor && !standing.iter().any(|c| c.by_guardian) && (consent_needed || f.sensitive) {
        reasons.push(reason(
            ReasonCode::GuardianConsentMissing,
            format!("subject `{}` is under 14: processing field `{field}` needs a guardian's consent (PIPL Art. 31)", subject.id),
        ));
    }
    reasons
}

/// Proof that sealing one value was decided and allowed; carries the field's resolved policy.
#[derive(Debug)]
pub struct CollectGrant<'a> {
    subject: &'a SubjectInfo,
    field: &'a Field,
    purpose: &'a PurposeId,
    tokenize: Vec<Finding>,
    flagged: Vec<Finding>,
}

impl<'a> CollectGrant<'a> {
    /// The subject.
    pub fn subject(&self) -> &'a SubjectInfo {
        self.subject
    }
    /// The field, with its type, token kind and blind-index setting.
    pub fn field(&self) -> &'a Field {
        self.field
    }
    /// The purpose.
    pub fn purpose(&self) -> &'a PurposeId {
        self.purpose
    }
    /// Free text under `tokenize`: the findings to replace with tokens.
    pub fn tokenize(&self) -> &[Finding] {
        &self.tokenize
    }
    /// Free text under `flag`: what was found (types only are reported).
    pub fn flagged(&self) -> &[Finding] {
        &self.flagged
    }
}

/// A collect request for one value. The value is borrowed only for validation and scanning.
#[derive(Clone, Copy)]
pub struct CollectRequest<'r> {
    /// Acting service.
    pub service: &'r ServiceName,
    /// Purpose.
    pub purpose: &'r PurposeId,
    /// Field.
    pub field: &'r FieldName,
    /// The value (PI: never logged).
    pub value: &'r str,
}

/// Decides a collection: the field rules, the subject rules, the value is a value of the
/// field's type, and free text holds no undeclared PI unless the manifest says flag or
/// tokenize.
pub fn decide_collect<'a>(
    facts: &Facts<'a>,
    detector: &Detector,
    req: &CollectRequest<'_>,
) -> Decision<CollectGrant<'a>> {
    let subject = match live_subject(facts) {
        Ok(s) => s,
        Err(r) => return Decision::deny(r),
    };
    let (f, p) = match field_rules(facts, req.service, req.purpose, req.field) {
        Ok(fp) => fp,
        Err(r) => return Decision::deny(r),
    };
    let reasons = subject_rules(facts, subject, f, p);
    if !reasons.is_empty() {
        return Decision::deny(reasons);
    }
    if let Err(value::Expected(what)) = value::check(f.ty, req.value) {
        return Decision::deny(vec![reason(
            ReasonCode::ValueInvalid,
            format!("field `{}` ({}) takes {what}", req.field, f.ty.name()),
        )]);
    }
    let (mut tokenize, mut flagged, mut notes) = (Vec::new(), Vec::new(), Vec::new());
    // Free text, and the long-text types a field may declare, are scanned for PI nobody
    // declared (a cargo description holding a name and an ID number is refused like a note).
    if f.ty == FieldType::FreeText || f.ty.is_long_text() {
        let declared: Vec<FieldType> = facts
            .manifest
            .fields
            .iter()
            .filter(|g| g.purposes.contains(req.purpose))
            .map(|g| g.ty)
            .collect();
        let undeclared: Vec<Finding> = detector
            .scan_str(req.value)
            .into_iter()
            .filter(|x| !declared.contains(&FieldType::Detected(x.pi_type)))
            .collect();
        if !undeclared.is_empty() {
            let mut types: Vec<&str> = undeclared.iter().map(|x| x.pi_type.name()).collect();
            types.sort_unstable();
            types.dedup();
            let what = types.join(", ");
            match f.free_text.unwrap_or(FreeTextPolicy::Refuse) {
                FreeTextPolicy::Refuse => {
                    return Decision::deny(vec![reason(
                        ReasonCode::UndeclaredPiInFreeText,
                        format!(
                            "free-text field `{}` holds PI the manifest does not declare for purpose `{}`: {what}",
                            req.field, req.purpose
                        ),
                    )]);
                }
                FreeTextPolicy::Flag => {
                    notes.push(reason(
                        ReasonCode::UndeclaredPiFlagged,
                        format!(
                            "free-text field `{}` holds undeclared PI: {what}",
                            req.field
                        ),
                    ));
                    flagged = undeclared;
                }
                FreeTextPolicy::Tokenize => {
                    notes.push(reason(
                        ReasonCode::UndeclaredPiTokenized,
                        format!(
                            "free-text field `{}`: undeclared PI replaced by tokens: {what}",
                            req.field
                        ),
                    ));
                    tokenize = undeclared;
                }
            }
        }
    }
    Decision::allow(
        CollectGrant {
            subject,
            field: f,
            purpose: &p.id,
            tokenize,
            flagged,
        },
        notes,
    )
}

/// Proof that reading one field of one subject for a purpose was decided and allowed.
#[derive(Debug)]
pub struct DetokenizeGrant<'a> {
    subject: &'a SubjectInfo,
    field: &'a Field,
}

impl<'a> DetokenizeGrant<'a> {
    /// The subject.
    pub fn subject(&self) -> &'a SubjectInfo {
        self.subject
    }
    /// The field, with its masking setting.
    pub fn field(&self) -> &'a Field {
        self.field
    }
}

/// A detokenize request for one stored value.
#[derive(Clone, Copy)]
pub struct DetokenizeRequest<'r> {
    /// Acting service.
    pub service: &'r ServiceName,
    /// Purpose.
    pub purpose: &'r PurposeId,
    /// The token's field.
    pub field: &'r FieldName,
    /// When the value was collected (retention runs from then).
    pub collected_at: Millis,
}

/// Decides a read: the field rules, the subject rules, and the field's retention has not run
/// out.
pub fn decide_detokenize<'a>(
    facts: &Facts<'a>,
    req: &DetokenizeRequest<'_>,
) -> Decision<DetokenizeGrant<'a>> {
    let subject = match live_subject(facts) {
        Ok(s) => s,
        Err(r) => return Decision::deny(r),
    };
    let (f, p) = match field_rules(facts, req.service, req.purpose, req.field) {
        Ok(fp) => fp,
        Err(r) => return Decision::deny(r),
    };
    let mut reasons = subject_rules(facts, subject, f, p);
    let expires = req
        .collected_at
        .saturating_add(i64::from(f.retention_days) * 86_400_000);
    if facts.now >= expires {
        reasons.push(reason(
            ReasonCode::RetentionElapsed,
            format!(
                "field `{}`: the retention of {} days has run out; the value is due for deletion (PIPL Art. 47)",
                req.field, f.retention_days
            ),
        ));
    }
    Decision::from(|| DetokenizeGrant { subject, field: f }, reasons)
}

/// Whether a manifest may create `tenant` or replace its manifest (`current`, if it exists).
/// A new tenant of an organisation whose registrations an order in force suspends is refused
/// (an order binding the organisation covers every tenant it creates); a tenant any order in
/// force or to come covers — by id, by its organisation now or by the one it would join — may
/// not move (`binding`); and a manifest may not drop a purpose an order in force suspends (a
/// rename would escape the suspension).
pub fn decide_tenant(
    in_force: &[ActiveOrder],
    binding: &[ActiveOrder],
    tenant: &TenantId,
    current: Option<&Manifest>,
    new: &Manifest,
) -> Vec<Reason> {
    let organisation = &new.organisation;
    let mut reasons = Vec::new();
    let Some(current) = current else {
        for o in in_force {
            if o.effect == OrderEffect::SuspendRegistration && o.covers(tenant, organisation) {
                reasons.push(Reason {
                    code: ReasonCode::RegistrationSuspended,
                    message: format!(
                        "organisation `{organisation}` may not create tenant `{tenant}`: its registrations are suspended by order `{}` of {}",
                        o.id, o.issuer
                    ),
                    order: Some(o.id.clone()),
                });
            }
        }
        return reasons;
    };
    let from = &current.organisation;
    if from != organisation {
        for o in binding {
            if o.covers(tenant, from) || o.covers(tenant, organisation) {
                reasons.push(Reason {
                    code: ReasonCode::TenantBound,
                    message: format!(
                        "tenant `{tenant}` may not move from organisation `{from}` to `{organisation}`: order `{}` of {} binds it",
                        o.id, o.issuer
                    ),
                    order: Some(o.id.clone()),
                });
            }
        }
    }
    for o in in_force {
        if let OrderEffect::SuspendProcessing { purposes } = &o.effect
            && o.covers(tenant, from)
        {
            for p in purposes {
                if current.purpose(p).is_some() && new.purpose(p).is_none() {
                    reasons.push(Reason {
                        code: ReasonCode::ProcessingSuspended,
                        message: format!(
                            "purpose `{p}` is suspended by order `{}` of {}: a manifest of tenant `{tenant}` may not drop it while the order is in force",
                            o.id, o.issuer
                        ),
                        order: Some(o.id.clone()),
                    });
                }
            }
        }
    }
    reasons
}
