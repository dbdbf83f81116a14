//! The transfer decision: one subject's fields to a recipient abroad, under a legal basis.

use super::{Decision, Facts, Reason, ReasonCode, reason};
use crate::ids::FieldName;
use crate::manifest::Recipient;
use crate::orders::OrderEffect;
use crate::subject::SubjectInfo;
use crate::transfers::{BasisKind, TransferBasis, VolumeRefusal};

/// Proof that a transfer of a subject's fields was decided and allowed; opening its values
/// takes one (`crypto::open_transferred`).
#[derive(Debug)]
pub struct TransferGrant<'a> {
    subject: &'a SubjectInfo,
    fields: Vec<FieldName>,
}

impl<'a> TransferGrant<'a> {
    /// The subject.
    pub fn subject(&self) -> &'a SubjectInfo {
        self.subject
    }

    /// The fields that may leave.
    pub fn fields(&self) -> &[FieldName] {
        &self.fields
    }
}

/// What a transfer decision reads beside the facts about the subject.
#[derive(Clone, Copy, Debug)]
pub struct TransferRequest<'a> {
    /// The acting service (it must be granted the transfer's purpose).
    pub service: &'a crate::ids::ServiceName,
    /// The recipient, as the manifest declares it (`None`: undeclared).
    pub recipient: Option<&'a Recipient>,
    /// The recipient id asked for (for the refusal's words).
    pub recipient_id: &'a str,
    /// The fields asked for.
    pub fields: &'a [FieldName],
    /// The basis in force for the recipient covering the fields, if any.
    pub basis: Option<&'a TransferBasis>,
    /// Whether the basis holds at this year's volume with this subject counted.
    pub volume: Result<(), VolumeRefusal>,
}

/// Decides whether `facts.subject`'s `fields` may go to the recipient: the sector rule (a
/// ride-hailing app's PI stays in mainland China, whatever the basis), no `suspend_transfers`
/// order over the tenant or its organisation, a declared recipient that may receive the
/// fields, a basis in force covering them with a PIA on file, the individual's separate consent
/// for the transfer's purpose unless the basis exempts it, and the year's volume within what
/// the basis allows. An erased subject has nothing to send.
pub fn decide_transfer<'a>(
    facts: &Facts<'a>,
    req: &TransferRequest<'_>,
) -> Decision<TransferGrant<'a>> {
    let mut reasons = Vec::new();
    let Some(subject) = facts.subject else {
        return Decision::deny(vec![reason(
            ReasonCode::SubjectErased,
            "the transfer concerns no subject".into(),
        )]);
    };
    if subject.erased {
        return Decision::deny(vec![reason(
            ReasonCode::SubjectErased,
            format!("subject `{}` was erased", subject.id),
        )]);
    }
    if facts.manifest.app_type.id() == "online_car_hailing" {
        reasons.push(reason(
            ReasonCode::TransferForbiddenBySector,
            "ride-hailing PI and business data must be stored and used in mainland China and may not leave it, whatever the legal basis".into(),
        ));
    }
    for o in facts.orders {
        if o.effect == OrderEffect::SuspendTransfers
            && o.covers(facts.tenant, &facts.manifest.organisation)
        {
            reasons.push(Reason {
                code: ReasonCode::TransfersSuspended,
                message: format!(
                    "transfers abroad of tenant `{}` are suspended by order `{}` of {}",
                    facts.tenant, o.id, o.issuer
                ),
                order: Some(o.id.clone()),
            });
        }
    }
    let Some(recipient) = req.recipient else {
        reasons.push(reason(
            ReasonCode::RecipientUndeclared,
            format!(
                "the manifest declares no recipient abroad by that id (declared: {})",
                facts
                    .manifest
                    .recipients
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
        return Decision::deny(reasons);
    };
    // The transfer is processing for the recipient's purpose: the service must be granted it,
    // each field declared for it, no order suspending it; the field and purpose must apply to
    // the subject's role.
    let role = facts.manifest.role_of(subject);
    for f in req.fields {
        if !recipient.fields.contains(f) {
            reasons.push(reason(
                ReasonCode::FieldNotForRecipient,
                format!(
                    "recipient `{}` may receive {}, not that field",
                    recipient.id,
                    recipient
                        .fields
                        .iter()
                        .map(FieldName::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            continue;
        }
        match super::field_rules(facts, req.service, &recipient.purpose, f) {
            Err(r) => reasons.extend(r),
            Ok((field, purpose)) => {
                if !field.serves(&role.id) || !purpose.serves(&role.id) {
                    reasons.push(reason(
                        ReasonCode::FieldNotForRole,
                        format!(
                            "field `{f}` or purpose `{}` does not apply to subjects of role `{}`",
                            recipient.purpose, role.id
                        ),
                    ));
                }
            }
        }
    }
    match req.basis {
        None => reasons.push(reason(
            ReasonCode::TransferBasisMissing,
            format!(
                "no legal basis on file holds now for recipient `{}` and these fields (a security assessment, a filed standard contract, a certification or an exemption)",
                recipient.id
            ),
        )),
        Some(b) => {
            if b.pia.as_ref().is_none_or(|p| p.completed_at > facts.now) {
                reasons.push(reason(
                    ReasonCode::PiaMissing,
                    format!(
                        "basis `{}` has no personal-information impact assessment completed and on file (PIPL Art. 55(4))",
                        b.id
                    ),
                ));
            }
            let standing = |guardian: bool| {
                facts.consents.iter().any(|c| {
                    c.purpose == recipient.purpose
                        && c.separate
                        && c.stands()
                        && (!guardian || c.by_guardian)
                })
            };
            if subject.minor && !standing(true) {
                reasons.push(reason(
                    ReasonCode::GuardianConsentMissing,
                    format!(
                        "subject `{}` is under 14: a transfer abroad of their PI needs a guardian's separate consent (PIPL Art. 31, 39)",
                        subject.id
                    ),
                ));
            }
            if b.kind.needs_consent() && !standing(false) {
                reasons.push(reason(
                    ReasonCode::TransferConsentMissing,
                    format!(
                        "the individual gave no separate consent to purpose `{}`, the transfer to `{}` in {} (PIPL Art. 39)",
                        recipient.purpose, recipient.id, recipient.country
                    ),
                ));
            }
            // A CIIO's PI, and important data whoever holds it, need a security assessment
            // whatever the volume (2024 Provisions Art. 2, 5, 7(1); PIPL Art. 40; DSL Art. 31).
            let exempt_for_ciio = matches!(
                b.kind,
                BasisKind::SecurityAssessment
                    | BasisKind::ContractNecessity
                    | BasisKind::CrossBorderHr
                    | BasisKind::Emergency
            );
            if facts.manifest.ciio && !exempt_for_ciio {
                reasons.push(reason(
                    ReasonCode::TransferRequiresAssessment,
                    format!(
                        "the organisation is a critical information infrastructure operator: its PI leaves only after a CAC security assessment or under the contract, HR or emergency exemptions; basis `{}` is a {}",
                        b.id,
                        b.kind.as_str()
                    ),
                ));
            }
            if let Some(f) = req
                .fields
                .iter()
                .filter_map(|f| facts.manifest.field(f))
                .find(|f| f.important_data)
                .filter(|_| b.kind != BasisKind::SecurityAssessment)
            {
                reasons.push(reason(
                    ReasonCode::TransferRequiresAssessment,
                    format!(
                        "field `{}` is important data: it leaves only after a CAC security assessment; basis `{}` is a {}",
                        f.name,
                        b.id,
                        b.kind.as_str()
                    ),
                ));
            }
            match req.volume {
                Ok(()) => {}
                Err(VolumeRefusal::NeedsAssessment) => reasons.push(reason(
                    ReasonCode::TransferVolumeRequiresAssessment,
                    format!(
                        "this year's exports reach the volume that needs a CAC security assessment; basis `{}` is a {}",
                        b.id,
                        b.kind.as_str()
                    ),
                )),
                Err(VolumeRefusal::NeedsContract) => reasons.push(reason(
                    ReasonCode::TransferVolumeRequiresContract,
                    format!(
                        "this year's exports (or sensitive PI) need a standard contract, a certification or a security assessment; basis `{}` is a {}",
                        b.id,
                        b.kind.as_str()
                    ),
                )),
            }
        }
    }
    Decision::from(
        || TransferGrant {
            subject,
            fields: req.fields.to_vec(),
        },
        reasons,
    )
}
