//! The core's error type, grouped by who is at fault.

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    /// The caller sent something invalid; the message names the field and the rule.
    #[error("{0}")]
    Invalid(String),
    /// Something asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request conflicts with the state (e.g. a subject already erased).
    #[error("{0}")]
    Conflict(String),
    /// A decision denied the request; the reasons say why.
    #[error("denied: {}", .0.iter().map(|r| r.message.as_str()).collect::<Vec<_>>().join("; "))]
    Denied(Vec<crate::decision::Reason>),
    /// The manifest has problems.
    #[error("manifest has {} problem(s)", .0.len())]
    Manifest(Vec<crate::manifest::Problem>),
    /// Stored data did not decrypt or verify: tampering, a wrong key, or an erased subject.
    #[error("{0}")]
    Integrity(String),
    /// A regulator order was refused.
    #[error("{0}")]
    Order(crate::orders::OrderError),
    /// The cell's tenants or orders changed in another process while the act was decided;
    /// the vault reloads them and decides again, so callers see this only if they keep
    /// changing.
    #[error("the cell's tenants or orders changed; retry")]
    Stale,
    /// The store failed.
    #[error("store: {0}")]
    Store(String),
    /// Key material is unavailable or malformed.
    #[error("keys: {0}")]
    Keys(String),
}

impl CoreError {
    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        CoreError::Invalid(msg.into())
    }
}
