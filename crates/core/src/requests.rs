//! A person's requests as records (PIPL Art. 44–50, GDPR Art. 15–21): what was asked, when,
//! by when it must be answered, and how it was answered — so a DPO and a regulator see which
//! are overdue.
//!
//! Deadlines count working days (Monday to Friday, UTC); public holidays are not counted out,
//! so a deadline is never later than the law's.

use crate::ids::{HoldReason, Millis, SubjectId, TenantId};

/// What a person asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// To know what is held (Art. 45).
    Access,
    /// A copy (Art. 45).
    Copy,
    /// A copy in a form another processor can take (Art. 45 ¶3).
    Portability,
    /// A correction (Art. 46).
    Rectification,
    /// Erasure (Art. 47).
    Erasure,
    /// Withdrawal of consent (Art. 15).
    Withdrawal,
    /// Closing the account (Art. 47(1)).
    AccountCancellation,
}

impl RequestKind {
    /// Every kind.
    pub const ALL: [RequestKind; 7] = [
        RequestKind::Access,
        RequestKind::Copy,
        RequestKind::Portability,
        RequestKind::Rectification,
        RequestKind::Erasure,
        RequestKind::Withdrawal,
        RequestKind::AccountCancellation,
    ];

    /// The kind's name (`account_cancellation`).
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::Copy => "copy",
            RequestKind::Portability => "portability",
            RequestKind::Rectification => "rectification",
            RequestKind::Erasure => "erasure",
            RequestKind::Withdrawal => "withdrawal",
            RequestKind::AccountCancellation => "account_cancellation",
        }
    }

    /// The kind of a name.
    pub fn parse(s: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a request stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestStatus {
    /// Received, not yet answered.
    Open,
    /// Done.
    Completed,
    /// Refused, with a label saying why (never free text).
    Refused(HoldReason),
}

impl RequestStatus {
    /// `open`, `completed` or `refused`.
    pub fn as_str(&self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Completed => "completed",
            RequestStatus::Refused(_) => "refused",
        }
    }
}

/// A request as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    /// Its id (`req_…`).
    pub id: String,
    /// Tenant.
    pub tenant: TenantId,
    /// The person.
    pub subject: SubjectId,
    /// What was asked.
    pub kind: RequestKind,
    /// When received.
    pub received_at: Millis,
    /// When it must be answered by.
    pub deadline: Millis,
    /// Where it stands.
    pub status: RequestStatus,
    /// When answered.
    pub closed_at: Option<Millis>,
}

impl RequestRecord {
    /// Open past its deadline at `now`.
    pub fn overdue(&self, now: Millis) -> bool {
        self.status == RequestStatus::Open && now > self.deadline
    }
}

const DAY: Millis = 86_400_000;

/// `from` plus `days` working days (Monday to Friday, UTC), at the same time of day.
pub fn add_working_days(from: Millis, days: u32) -> Millis {
    let mut t = from;
    let mut left = days;
    while left > 0 {
        t += DAY;
        // 1970-01-01 was a Thursday: day 0 is weekday 3 (Monday = 0).
        let weekday = (t.div_euclid(DAY) + 3).rem_euclid(7);
        if weekday < 5 {
            left -= 1;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_days_skip_weekends() {
        // 2026-12-04 is a Friday.
        let fri: Millis = 1_796_342_400_000;
        assert_eq!((fri.div_euclid(DAY) + 3).rem_euclid(7), 4);
        assert_eq!(
            add_working_days(fri, 1),
            fri + 3 * DAY,
            "Friday + 1 = Monday"
        );
        assert_eq!(add_working_days(fri, 5), fri + 7 * DAY);
        assert_eq!(add_working_days(fri, 15), fri + 21 * DAY);
        assert_eq!(add_working_days(fri, 0), fri);
        for k in RequestKind::ALL {
            assert_eq!(RequestKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(RequestKind::parse("everything"), None);
    }
}
