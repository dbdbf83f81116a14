//! Pure decisions with proof types. [`decide_register`], [`decide_collect`] and
//! [`decide_detokenize`] take the manifest, the subject, their consents, the active orders
//! and the request, and always return a [`Decision`] with its reasons. Only an allow carries
//! the grant value ([`RegisterGrant`], [`CollectGrant`], [`DetokenizeGrant`]) that sealing and
//! reading code requires; nothing outside this module can build one.

use custodian_detect::{Detector, Finding};
use serde::Serialize;

use crate::catalog::FieldType;
use crate::ids::{FieldName, Jurisdiction, PurposeId, ServiceName, SubjectId, TenantId};
use crate::manifest::{Field, FreeTextPolicy, Manifest};

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// One recorded consent of a subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Consent {
    /// The purpose consented to.
    pub purpose: PurposeId,
    /// The notice version shown.
    pub notice_version: String,
    /// When given.
    pub granted_at: Millis,
    /// When withdrawn, if it was.
    pub withdrawn_at: Option<Millis>,
    /// Separate consent (单独同意) — for sensitive PI, transfers abroad, disclosure.
    pub separate: bool,
    /// Given by a guardian (subjects under 14).
    pub by_guardian: bool,
}

impl Consent {
    /// Whether the consent stands at `now`: given, and not withdrawn by then.
    pub fn stands(&self, now: Millis) -> bool {
        self.granted_at <= now && self.withdrawn_at.is_none_or(|w| w > now)
    }
}

/// What the decisions need to know about a subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SubjectInfo {
    /// The subject.
    pub id: SubjectId,
    /// Its tenant.
    pub tenant: TenantId,
    /// Its jurisdiction, fixed at registration.
    pub jurisdiction: Jurisdiction,
    /// Under 14 at registration (PIPL Art. 31: guardian consent).
    pub minor: bool,
    /// When registered.
    pub registered_at: Millis,
    /// Whether erased.
    pub erased: bool,
}

/// Kinds of regulator order that decisions enforce.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OrderEffect {
    /// No new registrations.
    SuspendRegistration,
    /// No processing for these purposes.
    SuspendProcessing {
        /// The purposes.
        purposes: Vec<PurposeId>,
    },
    /// No transfers abroad.
    SuspendTransfers,
}

/// An order in force, as the decisions see it (the orders issue fills these in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActiveOrder {
    /// The order's id.
    pub id: String,
    /// Who issued it.
    pub issuer: String,
    /// The tenants it targets; empty = the whole cell.
    pub tenants: Vec<TenantId>,
    /// Its effect.
    pub effect: OrderEffect,
}

impl ActiveOrder {
    fn targets(&self, t: &TenantId) -> bool {
        self.tenants.is_empty() || self.tenants.contains(t)
    }
}

/// Why a decision went the way it did. Messages name fields, purposes and rules, never a
/// value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// Machine-readable code, e.g. `consent_missing`.
    pub code: &'static str,
    /// A sentence naming the field and the rule.
    pub message: String,
    /// The order that caused it, if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
}

fn reason(code: &'static str, message: String) -> Reason {
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

    /// Whether allowed.
    pub fn is_allowed(&self) -> bool {
        self.grant.is_some()
    }

    /// The grant, or the reasons for the denial.
    pub fn into_result(self) -> Result<G, Vec<Reason>> {
        self.grant.ok_or(self.reasons)
    }

    /// The reason codes, for tables and logs.
    pub fn codes(&self) -> Vec<&'static str> {
        self.reasons.iter().map(|r| r.code).collect()
    }
}

/// Proof that registering this subject was decided and allowed.
#[derive(Debug)]
#[non_exhaustive]
pub struct RegisterGrant {
    /// The tenant.
    pub tenant: TenantId,
}

/// Proof that collecting this value was decided and allowed.
#[derive(Debug)]
#[non_exhaustive]
pub struct CollectGrant {
    /// Tenant.
    pub tenant: TenantId,
    /// Subject.
    pub subject: SubjectId,
    /// Field.
    pub field: FieldName,
    /// Purpose.
    pub purpose: PurposeId,
    /// Service.
    pub service: ServiceName,
    /// For free text under the `tokenize` policy: findings to replace with tokens.
    pub tokenize: Vec<Finding>,
    /// For free text under `flag`: what was found (types only are reported).
    pub flagged: Vec<Finding>,
}

/// Proof that reading this field for this purpose was decided and allowed.
#[derive(Debug)]
#[non_exhaustive]
pub struct DetokenizeGrant {
    /// Tenant.
    pub tenant: TenantId,
    /// Subject.
    pub subject: SubjectId,
    /// Field.
    pub field: FieldName,
    /// Purpose.
    pub purpose: PurposeId,
}

/// A registration request.
#[derive(Clone, Debug)]
pub struct RegisterRequest {
    /// Tenant.
    pub tenant: TenantId,
    /// The subject's jurisdiction.
    pub jurisdiction: Jurisdiction,
}

/// Decides a registration: the subject belongs to this cell's jurisdiction and no order
/// suspends registration for the tenant.
pub fn decide_register(
    cell: &Jurisdiction,
    orders: &[ActiveOrder],
    req: &RegisterRequest,
) -> Decision<RegisterGrant> {
    let mut reasons = Vec::new();
    if &req.jurisdiction != cell {
        reasons.push(reason(
            "wrong_jurisdiction",
            format!("subject of jurisdiction `{}` cannot register in the `{cell}` cell: PI stays in its own jurisdiction's cell", req.jurisdiction),
        ));
    }
    for o in orders {
        if o.effect == OrderEffect::SuspendRegistration && o.targets(&req.tenant) {
            reasons.push(Reason {
                code: "registration_suspended",
                message: format!(
                    "new registrations for tenant `{}` are suspended by order `{}` of {}",
                    req.tenant, o.id, o.issuer
                ),
                order: Some(o.id.clone()),
            });
        }
    }
    if reasons.is_empty() {
        Decision {
            grant: Some(RegisterGrant {
                tenant: req.tenant.clone(),
            }),
            reasons,
        }
    } else {
        Decision::deny(reasons)
    }
}

/// Checks the rules common to collecting and reading: field declared, purpose declared,
/// field covers purpose, service granted purpose, consent stands where needed, no order
/// suspends the purpose.
#[allow(clippy::too_many_arguments)]
fn common<'m>(
    manifest: &'m Manifest,
    subject: &SubjectInfo,
    consents: &[Consent],
    orders: &[ActiveOrder],
    service: &ServiceName,
    purpose: &PurposeId,
    field: &FieldName,
    now: Millis,
) -> Result<&'m Field, Vec<Reason>> {
    let mut reasons = Vec::new();
    if subject.erased {
        return Err(vec![reason(
            "subject_erased",
            format!("subject `{}` was erased", subject.id),
        )]);
    }
    let Some(f) = manifest.field(field) else {
        return Err(vec![reason(
            "field_undeclared",
            format!("field `{field}` is not declared in the manifest"),
        )]);
    };
    let Some(p) = manifest.purpose(purpose) else {
        return Err(vec![reason(
            "purpose_undeclared",
            format!("purpose `{purpose}` is not declared in the manifest"),
        )]);
    };
    if !f.purposes.contains(purpose) {
        reasons.push(reason(
            "purpose_not_for_field",
            format!("field `{field}` is not declared for purpose `{purpose}`"),
        ));
    }
    match manifest.service(service) {
        None => reasons.push(reason(
            "service_undeclared",
            format!("service `{service}` is not declared in the manifest"),
        )),
        Some(s) if !s.purposes.contains(purpose) => reasons.push(reason(
            "service_not_granted_purpose",
            format!("service `{service}` may not act for purpose `{purpose}`"),
        )),
        Some(_) => {}
    }
    let standing: Vec<&Consent> = consents
        .iter()
        .filter(|c| &c.purpose == purpose && c.stands(now))
        .collect();
    let withdrawn = consents
        .iter()
        .any(|c| &c.purpose == purpose && c.withdrawn_at.is_some_and(|w| w <= now));
    let consent_needed = p.basis.needs_consent() || !f.in_scope();
    if consent_needed && standing.is_empty() {
        let (code, why) = if withdrawn {
            ("consent_withdrawn", "was withdrawn")
        } else if !f.in_scope() && !p.basis.needs_consent() {
            (
                "consent_missing_beyond_scope",
                "is missing, and the field is beyond the app type's necessary PI",
            )
        } else {
            ("consent_missing", "is missing")
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
            "separate_consent_missing",
            format!("field `{field}` is sensitive PI: it needs the subject's separate consent for purpose `{purpose}` (PIPL Art. 29)"),
        ));
    }
    if subject.minor && !standing.iter().any(|c| c.by_guardian) && (consent_needed || f.sensitive) {
        reasons.push(reason(
            "guardian_consent_missing",
            format!("subject `{}` is under 14: processing field `{field}` needs a guardian's consent (PIPL Art. 31)", subject.id),
        ));
    }
    for o in orders {
        if let OrderEffect::SuspendProcessing { purposes } = &o.effect
            && o.targets(&subject.tenant)
            && purposes.contains(purpose)
        {
            reasons.push(Reason {
                code: "processing_suspended",
                message: format!(
                    "processing for purpose `{purpose}` is suspended by order `{}` of {}",
                    o.id, o.issuer
                ),
                order: Some(o.id.clone()),
            });
        }
    }
    if reasons.is_empty() {
        Ok(f)
    } else {
        Err(reasons)
    }
}

/// A collect request. The value is borrowed only for validation and scanning.
pub struct CollectRequest<'a> {
    /// Acting service.
    pub service: &'a ServiceName,
    /// Purpose.
    pub purpose: &'a PurposeId,
    /// Field.
    pub field: &'a FieldName,
    /// The value (PI: never logged).
    pub value: &'a str,
}

/// Decides a collection: the common rules, the value validates as the field's type, and
/// free text holds no undeclared PI unless the manifest says flag or tokenize.
#[allow(clippy::too_many_arguments)]
pub fn decide_collect(
    manifest: &Manifest,
    subject: &SubjectInfo,
    consents: &[Consent],
    orders: &[ActiveOrder],
    detector: &Detector,
    req: &CollectRequest<'_>,
    now: Millis,
) -> Decision<CollectGrant> {
    let f = match common(
        manifest,
        subject,
        consents,
        orders,
        req.service,
        req.purpose,
        req.field,
        now,
    ) {
        Ok(f) => f,
        Err(r) => return Decision::deny(r),
    };
    let mut tokenize = Vec::new();
    let mut flagged = Vec::new();
    let mut reasons = Vec::new();
    match f.ty {
        FieldType::Detected(t) => {
            if !validates(t, req.value) {
                return Decision::deny(vec![reason(
                    "value_invalid",
                    format!(
                        "field `{}`: the value is not a valid {}",
                        req.field,
                        t.name()
                    ),
                )]);
            }
        }
        FieldType::FreeText => {
            let found: Vec<Finding> = detector.scan_str(req.value);
            let declared: Vec<FieldType> = manifest
                .fields
                .iter()
                .filter(|g| g.purposes.contains(req.purpose))
                .map(|g| g.ty)
                .collect();
            let undeclared: Vec<Finding> = found
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
                            "undeclared_pi_in_free_text",
                            format!(
                                "free-text field `{}` holds PI the manifest does not declare for purpose `{}`: {what}",
                                req.field, req.purpose
                            ),
                        )]);
                    }
                    FreeTextPolicy::Flag => {
                        reasons.push(reason(
                            "undeclared_pi_flagged",
                            format!(
                                "free-text field `{}` holds undeclared PI: {what}",
                                req.field
                            ),
                        ));
                        flagged = undeclared;
                    }
                    FreeTextPolicy::Tokenize => {
                        reasons.push(reason(
                            "undeclared_pi_tokenized",
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
        FieldType::Other(_) => {
            if req.value.is_empty() || req.value.len() > 65536 {
                return Decision::deny(vec![reason(
                    "value_invalid",
                    format!("field `{}`: the value is empty or over 64 KiB", req.field),
                )]);
            }
        }
    }
    Decision {
        grant: Some(CollectGrant {
            tenant: subject.tenant.clone(),
            subject: subject.id.clone(),
            field: req.field.clone(),
            purpose: req.purpose.clone(),
            service: req.service.clone(),
            tokenize,
            flagged,
        }),
        reasons,
    }
}

/// Whether `value` is a valid value of `t` on its own (the detector's validators).
pub fn validates(t: custodian_detect::PiType, value: &str) -> bool {
    use custodian_detect::{PiType, validate};
    let digits: String = value.chars().filter(|c| c.is_ascii_digit()).collect();
    let d = digits.as_bytes();
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    match t {
        PiType::CnResidentId => validate::resident_id(compact.to_ascii_uppercase().as_bytes()),
        PiType::CnMobile => {
            let national = d
                .strip_prefix(b"0086")
                .or_else(|| d.strip_prefix(b"86").filter(|r| r.len() == 11))
                .unwrap_or(d);
            validate::cn_mobile(national)
        }
        PiType::CnLandline => {
            validate::cn_landline(d) || validate::cn_landline(format!("0{digits}").as_bytes())
        }
        PiType::BankCard => validate::bank_card(d),
        PiType::Email => validate::email(value.trim().as_bytes()),
        PiType::IpAddress => validate::ipv4(value.as_bytes()) || validate::ipv6(value.as_bytes()),
        PiType::Iban => validate::iban(compact.to_ascii_uppercase().as_bytes()),
        PiType::UsSsn => d.len() == 9 && validate::us_ssn(&d[..3], &d[3..5], &d[5..]),
        PiType::CnPassport => validate::cn_passport(compact.as_bytes()),
        PiType::HkMacauPermit => validate::hk_macau_permit(compact.as_bytes()),
        PiType::TaiwanPermit => validate::taiwan_permit(compact.as_bytes()),
        // Types the detector finds only in context: a single detection over the whole
        // value must cover it.
        _ => {
            let det = Detector::new().with_min_score(0.0);
            let f = det.scan_str(value);
            f.iter().any(|x| x.pi_type == t)
                || matches!(
                    t,
                    PiType::PersonNameZh
                        | PiType::PersonNameEn
                        | PiType::AddressZh
                        | PiType::DateOfBirth
                        | PiType::GpsCoordinate
                        | PiType::CnLicensePlate
                ) && !value.trim().is_empty()
                    && value.len() <= 512
        }
    }
}

/// A detokenize request.
pub struct DetokenizeRequest<'a> {
    /// Acting service.
    pub service: &'a ServiceName,
    /// Purpose.
    pub purpose: &'a PurposeId,
    /// The token's field.
    pub field: &'a FieldName,
    /// When the value was collected (retention runs from then).
    pub collected_at: Millis,
}

/// Decides a read: the common rules, and the field's retention has not run out.
pub fn decide_detokenize(
    manifest: &Manifest,
    subject: &SubjectInfo,
    consents: &[Consent],
    orders: &[ActiveOrder],
    req: &DetokenizeRequest<'_>,
    now: Millis,
) -> Decision<DetokenizeGrant> {
    let f = match common(
        manifest,
        subject,
        consents,
        orders,
        req.service,
        req.purpose,
        req.field,
        now,
    ) {
        Ok(f) => f,
        Err(r) => return Decision::deny(r),
    };
    let expires = req
        .collected_at
        .saturating_add(i64::from(f.retention_days) * 86_400_000);
    if now >= expires {
        return Decision::deny(vec![reason(
            "retention_elapsed",
            format!(
                "field `{}`: the retention of {} days has run out; the value is due for deletion (PIPL Art. 47)",
                req.field, f.retention_days
            ),
        )]);
    }
    Decision {
        grant: Some(DetokenizeGrant {
            tenant: subject.tenant.clone(),
            subject: subject.id.clone(),
            field: req.field.clone(),
            purpose: req.purpose.clone(),
        }),
        reasons: Vec::new(),
    }
}
