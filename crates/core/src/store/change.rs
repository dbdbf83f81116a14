//! [`Change`]: what one committed job changes, beside the ledger entries recording it.

use super::*;

/// A subject as an act read it: tenant, subject and [`SubjectInfo::version`].
pub type SubjectVersion = (TenantId, SubjectId, u64);

/// A state change, committed with the ledger entries that record it.
#[derive(Clone, Debug)]
pub enum Change {
    /// Only ledger entries (denials, reads, exports).
    Record,
    /// A change made under an idempotency key: the key's record is stored with it, in the same
    /// transaction; a key already stored fails the job with [`StoreError::KeyUsed`].
    Idempotent {
        /// The key's record.
        record: IdempotencyRecord,
        /// The change.
        change: Box<Change>,
    },
    /// A change decided on these subjects as the act read them, each at its
    /// [`SubjectInfo::version`]: applied only if every one is still at that version when it
    /// commits (checked in the same transaction), else [`StoreError::Stale`] and nothing of it
    /// is stored — the act is decided again on what changed (a consent withdrawn meanwhile
    /// stops a collect or a read decided before it).
    Checked {
        /// (tenant, subject, version read).
        subjects: Vec<SubjectVersion>,
        /// The change.
        change: Box<Change>,
    },
    /// Forget the idempotency keys stored before `before` (a request retried after that is
    /// carried out as a new one).
    ExpireIdempotency {
        /// Keys stored before this time go.
        before: Millis,
    },
    /// Create or update a tenant's manifest.
    PutTenant(TenantRecord),
    /// Register a subject with its wrapped data key.
    Register {
        /// The subject.
        subject: SubjectInfo,
        /// Its data key wrapped under the current epoch.
        wrapped_key: WrappedKey,
    },
    /// Record a consent: it replaces the subject's consent for the same purpose, if any
    /// (one row per subject and purpose; the ledger keeps the history).
    Consent {
        /// Tenant.
        tenant: TenantId,
        /// Subject.
        subject: SubjectId,
        /// The consent.
        consent: Consent,
    },
    /// Withdraw the standing consents for a purpose.
    Withdraw {
        /// Tenant.
        tenant: TenantId,
        /// Subject.
        subject: SubjectId,
        /// Purpose.
        purpose: PurposeId,
        /// When.
        at: Millis,
    },
    /// Store sealed values of one subject. A value whose deterministic token
    /// (`tokens::is_deterministic`) the subject already holds in the same field replaces
    /// that record (the same value collected again); any other token already taken is
    /// [`StoreError::TokenConflict`], and nothing of the change is stored.
    Collect {
        /// The values.
        values: Vec<ValueRecord>,
        /// The subject's wrapped key they were sealed under, as the act read it: the store
        /// refuses the change ([`StoreError::Stale`]) if the key changed since (re-keyed,
        /// erased), so no value is stored under a key that is gone. `None`: unchecked.
        key: Option<Vec<u8>>,
    },
    /// Replace a subject's key and re-sealed values, and drop some (rectification, retention):
    /// only if the stored key is still `old_key` (else [`StoreError::Stale`]).
    Rekey {
        /// Tenant.
        tenant: TenantId,
        /// Subject.
        subject: SubjectId,
        /// The wrapped key the act read.
        old_key: Vec<u8>,
        /// The new key, wrapped under the current epoch.
        new_key: WrappedKey,
        /// Every value kept, re-sealed under the new key (rows matched by token and by when
        /// they were collected, as the act read them).
        values: Vec<ValueRecord>,
        /// Values destroyed, each with when it was collected as the act read it. A value
        /// collected again since (a deterministic token's record replaced) is neither kept nor
        /// destroyed by this change: the store refuses it ([`StoreError::Stale`]).
        dropped: Vec<(Token, Millis)>,
    },
    /// Record a person's request.
    PutRequest(RequestRecord),
    /// Answer an open request (only if still open).
    CloseRequest {
        /// Tenant.
        tenant: TenantId,
        /// The request's id.
        id: String,
        /// Completed or refused.
        status: RequestStatus,
        /// When.
        at: Millis,
    },
    /// Set (`Some`) or release (`None`) a live subject's legal hold.
    SetHold {
        /// Tenant.
        tenant: TenantId,
        /// Subject.
        subject: SubjectId,
        /// The hold.
        hold: Option<LegalHold>,
    },
    /// Store a new API key.
    PutApiKey(ApiKeyRecord),
    /// Revoke an API key.
    RevokeApiKey {
        /// Its id.
        id: String,
        /// When.
        at: Millis,
    },
    /// Pin the regulator keys a cell trusts (once, while none are pinned): from then on they
    /// change only by orders signed by a pinned or order-added key. The job's entries are one
    /// `regulator_key_pinned` entry per key, in order; the store records each with its index.
    PinKeys {
        /// The verifier keys (`<name>+<hex id>+<base64>`).
        keys: Vec<String>,
        /// When.
        at: Millis,
    },
    /// File (or replace) a legal basis for a tenant's recipient abroad.
    PutBasis(crate::transfers::TransferBasis),
    /// Count individuals whose PI the organisation exported in `year` (each row once: a
    /// subject, and whether the row counts its sensitive PI).
    Transfer {
        /// The exporting organisation.
        organisation: crate::ids::OrgCode,
        /// The calendar year.
        year: i32,
        /// (tenant, subject, sensitive) rows.
        rows: Vec<(TenantId, SubjectId, bool)>,
    },
    /// Values received from another cell: register the subject, store its sealed values and
    /// note the sending cell's transfer entry as received — once ([`StoreError::Stale`] if
    /// it was received meanwhile: the act is decided again and finds it received).
    Receive(Box<Arrived>),
    /// A subject registered with its first consents and values, as one change (an imported
    /// row): the subject and its key, then each consent, then the values sealed under that
    /// key.
    Onboard(Box<Onboard>),
    /// Store a verified regulator order (its signed note).
    PutOrder {
        /// Order id.
        id: String,
        /// Its nonce.
        nonce: String,
        /// The signed note as submitted.
        note: String,
    },
    /// Give a role to a subject registered without one (only if it still has none).
    AssignRole {
        /// Tenant.
        tenant: TenantId,
        /// Subject.
        subject: SubjectId,
        /// The role.
        role: SubjectRole,
    },
    /// Begin an epoch: data keys wrapped from now on are wrapped under it. Changes the cell's
    /// configuration generation (every process must wrap under the same epoch).
    BeginEpoch {
        /// Its number (greater than every recorded epoch).
        epoch: Epoch,
        /// When.
        at: Millis,
    },
    /// Replace wrapped keys with their re-wrapping under a newer epoch.
    Rewrap(Vec<Rewrapped>),
    /// Retire an epoch whose key is about to be destroyed; refused while any key is still
    /// wrapped under it.
    RetireEpoch {
        /// Its number.
        epoch: Epoch,
        /// When.
        at: Millis,
    },
    /// Destroy the subject's data key, delete its values, mark it erased.
    Erase {
        /// Tenant.
        tenant: TenantId,
        /// Subject.
        subject: SubjectId,
    },
    /// What the store did outside an act is recorded by this job's entries, and no longer
    /// waits: a restore ([`Store::unrecorded_restore`], when `restore`), erasures
    /// ([`Store::unrecorded_erasures`]). A store that holds no unrecorded restore when
    /// `restore` is set refuses the job as stale (another process recorded it first).
    StoreActsRecorded {
        /// The restore is recorded.
        restore: bool,
        /// These erasures are recorded.
        erasures: Vec<(TenantId, SubjectId)>,
    },
}

impl Change {
    /// The change itself, under the wrappers that only add a check ([`Change::Checked`]) or a
    /// record ([`Change::Idempotent`]) to it: what a store matches on to know what the change
    /// does (erases a subject, changes the configuration, …).
    pub fn inner(&self) -> &Change {
        match self {
            Change::Checked { change, .. } | Change::Idempotent { change, .. } => change.inner(),
            other => other,
        }
    }
}
