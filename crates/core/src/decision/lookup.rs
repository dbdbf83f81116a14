//! Lookups by value: the query's rules, then each subject found.

use super::*;

/// Proof that a lookup by value was decided and allowed; per subject found, the subject
/// rules decide again ([`decide_lookup_subject`]).
#[derive(Debug)]
pub struct LookupGrant<'a> {
    field: &'a Field,
    purpose: &'a Purpose,
}

impl<'a> LookupGrant<'a> {
    /// The field, with its type (for the normal form).
    pub fn field(&self) -> &'a Field {
        self.field
    }
}

/// A lookup request.
#[derive(Clone, Copy)]
pub struct LookupRequest<'r> {
    /// Acting service.
    pub service: &'r ServiceName,
    /// Purpose.
    pub purpose: &'r PurposeId,
    /// The field searched.
    pub field: &'r FieldName,
}

/// Decides a lookup: the field rules (declared, covering the purpose, granted to the service,
/// no suspending order) and the field has a blind index.
pub fn decide_lookup<'a>(facts: &Facts<'a>, req: &LookupRequest<'_>) -> Decision<LookupGrant<'a>> {
    let (f, p) = match field_rules(facts, req.service, req.purpose, req.field) {
        Ok(fp) => fp,
        Err(r) => return Decision::deny(r),
    };
    let mut reasons = Vec::new();
    if !f.blind_index {
        reasons.push(reason(
            ReasonCode::NoBlindIndex,
            format!(
                "field `{}` has no blind index (`blind_index = true` in the manifest)",
                req.field
            ),
        ));
    }
    Decision::from(
        || LookupGrant {
            field: f,
            purpose: p,
        },
        reasons,
    )
}

/// Decides whether a subject found by a lookup may be returned: the subject rules (role,
/// consent) for the lookup's field and purpose. Denied subjects are left out of the answer.
pub fn decide_lookup_subject(facts: &Facts<'_>, grant: &LookupGrant<'_>) -> Decision<()> {
    match live_subject(facts) {
        Ok(s) => Decision::from(|| (), subject_rules(facts, s, grant.field, grant.purpose)),
        Err(r) => Decision::deny(r),
    }
}
