//! What the cell knows about a data subject: its registration and its consents.

use crate::ids::{HoldReason, Jurisdiction, Millis, PurposeId, SubjectId, SubjectRole, TenantId};

/// One consent of a subject for a purpose. A subject has at most one per purpose: a new grant
/// replaces the old one (the ledger keeps the history).
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// Whether the consent stands: given and not withdrawn, as stored. The times say when, not
    /// whether: a withdrawal the act read is in force even if it is timed after the act's
    /// clock (an act that began just before it, or another process whose clock is ahead) —
    /// an act decided on a subject commits only while what it read stands, so what it read is
    /// the state at its commit.
    pub fn stands(&self) -> bool {
        self.withdrawn_at.is_none()
    }
}

/// A registered subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectInfo {
    /// The subject.
    pub id: SubjectId,
    /// Its tenant.
    pub tenant: TenantId,
    /// Its jurisdiction, fixed at registration.
    pub jurisdiction: Jurisdiction,
    /// The kind of subject it is (one of the manifest's subject roles), fixed at
    /// registration; `None` for subjects registered before roles existed, which the decisions
    /// treat as the manifest's first consumer-side role.
    pub role: Option<SubjectRole>,
    /// Under 14 at registration (PIPL Art. 31: guardian consent).
    pub minor: bool,
    /// When registered.
    pub registered_at: Millis,
    /// Whether erased.
    pub erased: bool,
    /// A legal hold keeping its values from erasure, rectification and sweeping.
    pub legal_hold: Option<LegalHold>,
    /// The version of what acts decide on about this subject — its row, its consents and its
    /// key: every committed change to any of them sets it to a fresh random number (0 at
    /// registration; compared for equality only), so it never comes back — not after a crash
    /// lost the commit that set it, nor after a restore put an older row back (restored
    /// subjects get fresh versions). An act decided on one version commits only while it
    /// stands (the store's `Change::Checked`).
    pub version: u64,
}

/// A legal hold on a subject (PIPL Art. 47 ¶2: a retention period the law requires has not run
/// out, or evidence must be kept).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegalHold {
    /// Why.
    pub reason: HoldReason,
    /// Since when.
    pub since: Millis,
}
