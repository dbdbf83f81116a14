//! The core's error type, grouped by who is at fault.

use crate::decision::Reason;
use crate::ids::IdError;
use crate::manifest::Problem;
use crate::orders::OrderError;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    // The caller's fault.
    /// The caller sent something invalid; the message names the field and the rule.
    #[error("{0}")]
    Invalid(String),
    /// Something asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request conflicts with the state (e.g. a subject already erased).
    #[error("{0}")]
    Conflict(String),
    /// A decision denied the request; the reasons say why (and were recorded).
    #[error("denied: {}", .0.iter().map(|r| r.message.as_str()).collect::<Vec<_>>().join("; "))]
    Denied(Vec<Reason>),
    /// The manifest has problems.
    #[error("manifest has {} problem(s)", .0.len())]
    Manifest(Vec<Problem>),
    /// A regulator order was refused.
    #[error("{0}")]
    Order(OrderError),

    // Data or tampering.
    /// Stored data did not decrypt or verify: tampering, a wrong key, or an erased subject.
    #[error("{0}")]
    Integrity(String),

    // Transient: retry.
    /// The cell's tenants or orders changed in another process while the act was decided;
    /// the vault reloads them and decides again, so callers see this only if they keep
    /// changing.
    #[error("the cell's tenants or orders changed; retry")]
    Stale,
    /// The store failed.
    #[error("store: {0}")]
    Store(String),
    /// The store failed while the act may have been committed: whether it took effect is
    /// unknown (resend it with the same idempotency key to learn which).
    #[error("store: {0}")]
    OutcomeUnknown(String),

    // The deployment.
    /// Key material is unavailable or malformed.
    #[error("keys: {0}")]
    Keys(String),
    /// The configuration disagrees with what the cell recorded (e.g. regulator keys other
    /// than the pinned ones).
    #[error("configuration: {0}")]
    Config(String),
}

impl CoreError {
    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        CoreError::Invalid(msg.into())
    }
}

impl From<IdError> for CoreError {
    fn from(e: IdError) -> Self {
        CoreError::Invalid(e.to_string())
    }
}
