//! The reason codes decisions give, and their names.

/// Why a decision went the way it did, as a machine-readable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReasonCode {
    /// The subject belongs to another jurisdiction's cell.
    WrongJurisdiction,
    /// A regulator's order suspends registration.
    RegistrationSuspended,
    /// The registration names no subject role and the manifest declares several.
    SubjectRoleMissing,
    /// The subject role is not declared.
    SubjectRoleUndeclared,
    /// The subject already has a role; a role is fixed once given.
    SubjectRoleFixed,
    /// The subject was erased.
    SubjectErased,
    /// The field is not declared.
    FieldUndeclared,
    /// The purpose is not declared.
    PurposeUndeclared,
    /// The acting service is not declared.
    ServiceUndeclared,
    /// The field is not declared for the purpose.
    PurposeNotForField,
    /// The field is not collected from subjects of this role.
    FieldNotForRole,
    /// The purpose does not apply to subjects of this role.
    PurposeNotForRole,
    /// The service may not act for the purpose.
    ServiceNotGrantedPurpose,
    /// The subject's consent for the purpose is missing.
    ConsentMissing,
    /// Consent is missing and the field is beyond the necessary scope.
    ConsentMissingBeyondScope,
    /// The subject withdrew its consent.
    ConsentWithdrawn,
    /// Sensitive PI needs separate consent.
    SeparateConsentMissing,
    /// A subject under 14 needs a guardian's consent.
    GuardianConsentMissing,
    /// A regulator's order suspends processing for the purpose.
    ProcessingSuspended,
    /// The value is not a value of the field's type.
    ValueInvalid,
    /// A collect with no values.
    NoValues,
    /// Free text holds PI the manifest does not declare (policy `refuse`).
    UndeclaredPiInFreeText,
    /// Free text holds undeclared PI, accepted and reported (policy `flag`).
    UndeclaredPiFlagged,
    /// Free text held undeclared PI, replaced by tokens (policy `tokenize`).
    UndeclaredPiTokenized,
    /// The field's retention has run out.
    RetentionElapsed,
    /// The field has no blind index: no lookup by value.
    NoBlindIndex,
    /// The subject is under a legal hold (PIPL Art. 47 ¶2): its values are kept.
    LegalHold,
    /// A regulator's order in force binds the tenant: it may not move to another
    /// organisation.
    TenantBound,
    /// The app's sector forbids its PI to leave the country (ride-hailing), whatever the basis.
    TransferForbiddenBySector,
    /// A regulator's order suspends transfers abroad.
    TransfersSuspended,
    /// The recipient is not declared in the manifest.
    RecipientUndeclared,
    /// The field is not one the manifest lets this recipient receive.
    FieldNotForRecipient,
    /// No legal basis on file holds for this recipient and these fields now.
    TransferBasisMissing,
    /// No personal-information impact assessment on file for the transfer line (Art. 55(4)).
    PiaMissing,
    /// The individual gave no separate consent for the transfer (Art. 39).
    TransferConsentMissing,
    /// This year's volume needs a security assessment.
    TransferVolumeRequiresAssessment,
    /// This year's volume needs a standard contract or a certification.
    TransferVolumeRequiresContract,
    /// The processor is a critical information infrastructure operator, or a field is
    /// important data: only a security assessment (or, for a CIIO's PI, the contract, HR or
    /// emergency exemptions) lets it leave.
    TransferRequiresAssessment,
    /// Values from another cell came without a receipt this cell can verify: not signed by the
    /// sending cell's ledger key, not in its ledger, not a transfer to this cell of these
    /// values, or for another tenant.
    ReceiptInvalid,
    /// The sending cell's transfer entry was already received here.
    AlreadyReceived,
}

impl ReasonCode {
    /// Every code.
    pub const ALL: [ReasonCode; 40] = [
        ReasonCode::WrongJurisdiction,
        ReasonCode::RegistrationSuspended,
        ReasonCode::SubjectRoleMissing,
        ReasonCode::SubjectRoleUndeclared,
        ReasonCode::SubjectRoleFixed,
        ReasonCode::SubjectErased,
        ReasonCode::FieldUndeclared,
        ReasonCode::PurposeUndeclared,
        ReasonCode::ServiceUndeclared,
        ReasonCode::PurposeNotForField,
        ReasonCode::FieldNotForRole,
        ReasonCode::PurposeNotForRole,
        ReasonCode::ServiceNotGrantedPurpose,
        ReasonCode::ConsentMissing,
        ReasonCode::ConsentMissingBeyondScope,
        ReasonCode::ConsentWithdrawn,
        ReasonCode::SeparateConsentMissing,
        ReasonCode::GuardianConsentMissing,
        ReasonCode::ProcessingSuspended,
        ReasonCode::ValueInvalid,
        ReasonCode::NoValues,
        ReasonCode::UndeclaredPiInFreeText,
        ReasonCode::UndeclaredPiFlagged,
        ReasonCode::UndeclaredPiTokenized,
        ReasonCode::RetentionElapsed,
        ReasonCode::NoBlindIndex,
        ReasonCode::LegalHold,
        ReasonCode::TenantBound,
        ReasonCode::TransferForbiddenBySector,
        ReasonCode::TransfersSuspended,
        ReasonCode::RecipientUndeclared,
        ReasonCode::FieldNotForRecipient,
        ReasonCode::TransferBasisMissing,
        ReasonCode::PiaMissing,
        ReasonCode::TransferConsentMissing,
        ReasonCode::TransferVolumeRequiresAssessment,
        ReasonCode::TransferVolumeRequiresContract,
        ReasonCode::TransferRequiresAssessment,
        ReasonCode::ReceiptInvalid,
        ReasonCode::AlreadyReceived,
    ];

    /// The code's name (`consent_missing`), as the API and the ledger spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::WrongJurisdiction => "wrong_jurisdiction",
            ReasonCode::RegistrationSuspended => "registration_suspended",
            ReasonCode::SubjectRoleMissing => "subject_role_missing",
            ReasonCode::SubjectRoleUndeclared => "subject_role_undeclared",
            ReasonCode::SubjectRoleFixed => "subject_role_fixed",
            ReasonCode::SubjectErased => "subject_erased",
            ReasonCode::FieldUndeclared => "field_undeclared",
            ReasonCode::PurposeUndeclared => "purpose_undeclared",
            ReasonCode::ServiceUndeclared => "service_undeclared",
            ReasonCode::PurposeNotForField => "purpose_not_for_field",
            ReasonCode::FieldNotForRole => "field_not_for_role",
            ReasonCode::PurposeNotForRole => "purpose_not_for_role",
            ReasonCode::ServiceNotGrantedPurpose => "service_not_granted_purpose",
            ReasonCode::ConsentMissing => "consent_missing",
            ReasonCode::ConsentMissingBeyondScope => "consent_missing_beyond_scope",
            ReasonCode::ConsentWithdrawn => "consent_withdrawn",
            ReasonCode::SeparateConsentMissing => "separate_consent_missing",
            ReasonCode::GuardianConsentMissing => "guardian_consent_missing",
            ReasonCode::ProcessingSuspended => "processing_suspended",
            ReasonCode::ValueInvalid => "value_invalid",
            ReasonCode::NoValues => "no_values",
            ReasonCode::UndeclaredPiInFreeText => "undeclared_pi_in_free_text",
            ReasonCode::UndeclaredPiFlagged => "undeclared_pi_flagged",
            ReasonCode::UndeclaredPiTokenized => "undeclared_pi_tokenized",
            ReasonCode::RetentionElapsed => "retention_elapsed",
            ReasonCode::NoBlindIndex => "no_blind_index",
            ReasonCode::LegalHold => "legal_hold",
            ReasonCode::TenantBound => "tenant_bound",
            ReasonCode::TransferForbiddenBySector => "transfer_forbidden_by_sector",
            ReasonCode::TransfersSuspended => "transfers_suspended",
            ReasonCode::RecipientUndeclared => "recipient_undeclared",
            ReasonCode::FieldNotForRecipient => "field_not_for_recipient",
            ReasonCode::TransferBasisMissing => "transfer_basis_missing",
            ReasonCode::PiaMissing => "pia_missing",
            ReasonCode::TransferConsentMissing => "transfer_consent_missing",
            ReasonCode::TransferVolumeRequiresAssessment => "transfer_volume_requires_assessment",
            ReasonCode::TransferVolumeRequiresContract => "transfer_volume_requires_contract",
            ReasonCode::TransferRequiresAssessment => "transfer_requires_assessment",
            ReasonCode::ReceiptInvalid => "receipt_invalid",
            ReasonCode::AlreadyReceived => "already_received",
        }
    }

    /// Whether the request names something the manifest does not declare, or a value that
    /// is not of its field's type (a malformed request rather than a refused one).
    pub fn is_unprocessable(self) -> bool {
        matches!(
            self,
            ReasonCode::SubjectRoleMissing
                | ReasonCode::SubjectRoleUndeclared
                | ReasonCode::FieldUndeclared
                | ReasonCode::PurposeUndeclared
                | ReasonCode::ServiceUndeclared
                | ReasonCode::ValueInvalid
                | ReasonCode::NoValues
                | ReasonCode::NoBlindIndex
                | ReasonCode::RecipientUndeclared
                | ReasonCode::FieldNotForRecipient
        )
    }
}

impl std::fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
