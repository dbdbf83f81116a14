//! Destroying single values of a living subject, and keeping them: rectification (PIPL Art. 46),
//! the retention sweeper (Art. 19, 47(1)) and legal holds (Art. 47 ¶2).
//!
//! A value is destroyed by **re-keying** its subject: a new data key, every value kept re-sealed
//! under it, the destroyed (or replaced) value's row gone, the old key replaced — so the old
//! ciphertext, wherever a copy of it survives, opens under nothing the cell keeps once the old
//! key's epoch is rotated away (on SQLite the old key leaves every file at once, as in an
//! erasure). The store applies a re-keying only if the subject's key is still the one the act
//! read, and refuses a collect sealed under a key that changed since: no value is ever stored
//! under a key that is gone.

use custodian_ledger::{Decision as LedgerDecision, EntryKind, Id};
use zeroize::Zeroizing;

use super::{Act, TenantState, Vault, store_err, subject_key_aad};
use crate::access::{AdminScope, DpoScope, TenantScoped};
use crate::crypto::{self, DataKey};
use crate::decision::{self, RekeyGrant};
use crate::error::CoreError;
use crate::ids::{FieldName, HoldReason, Millis, SubjectId, TenantId, Token};
use crate::store::{Change, SubjectRow};
use crate::subject::LegalHold;
use crate::tokens;
use crate::value;

/// Values the sweeper reads per round.
const SWEEP_BATCH: usize = 500;

/// What a retention sweep destroyed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Values destroyed.
    pub values: u64,
    /// Subjects re-keyed.
    pub subjects: u64,
}

const DAY_MS: Millis = 86_400_000;

impl Vault {
    /// Sets (`Some`) or releases (`None`) a legal hold on a subject: while held, its erasure,
    /// rectification and sweeping are refused, stating the hold. Recorded in the ledger.
    pub fn set_legal_hold(
        &self,
        scope: &DpoScope,
        subject: &SubjectId,
        reason: Option<&HoldReason>,
    ) -> Result<(), CoreError> {
        let tenant = scope.tenant();
        self.act(|a| {
            let (ts, (info, _), consents) = a.subject(tenant, subject)?;
            let facts = a.facts(tenant, &ts).about(&info, &consents);
            if let Err(reasons) = decision::decide_hold(&facts).into_result() {
                return a.refuse(EntryKind::ConfigChange, reasons, |_| {});
            }
            let mut e = a.entry(EntryKind::ConfigChange, LedgerDecision::Allow);
            e.reason = Id::new(if reason.is_some() {
                "legal_hold_set"
            } else {
                "legal_hold_released"
            })
            .ok();
            a.commit(
                Change::SetHold {
                    tenant: tenant.clone(),
                    subject: subject.clone(),
                    hold: reason.map(|r| LegalHold {
                        reason: r.clone(),
                        since: a.now(),
                    }),
                },
                vec![e],
            )?;
            Ok(())
        })
    }

    /// Replaces the value a token stands for with `value` (the person's correction, PIPL Art. 46):
    /// the value must be of its field's type; the token stays; the old value's ciphertext is
    /// left under a key the cell no longer keeps. Recorded as a `collect` entry `rectified`.
    pub fn rectify(
        &self,
        scope: &DpoScope,
        subject: &SubjectId,
        token: &Token,
        value: &str,
    ) -> Result<(), CoreError> {
        let tenant = scope.tenant();
        self.act(|a| {
            let (ts, row, consents) = a.subject(tenant, subject)?;
            let target = self
                .store
                .value_by_token(tenant, token)
                .map_err(store_err)?
                .filter(|v| &v.subject == subject)
                .ok_or_else(|| {
                    CoreError::NotFound("the token names no value of this subject".into())
                })?;
            let field = ts.manifest.field(&target.field).ok_or_else(|| {
                CoreError::Integrity("a stored value's field is no longer declared".into())
            })?;
            if field.token == crate::manifest::TokenKind::Deterministic {
                // Its token is computed from the value: kept, it would stand for the old value.
                return Err(CoreError::invalid(format!(
                    "field `{}` has deterministic tokens (derived from the value): collect the \
                     corrected value anew (a new token) and erase the old one",
                    field.name
                )));
            }
            if field.ty.is_long_text() || matches!(field.ty, crate::catalog::FieldType::FreeText)
            {
                return Err(CoreError::invalid(format!(
                    "field `{}` holds free text: collect the corrected text anew (it is scanned for \
                     undeclared PI) and erase the old one",
                    field.name
                )));
            }
            if let Err(value::Expected(what)) = value::check(field.ty, value) {
                return Err(CoreError::invalid(format!(
                    "field `{}` takes {what}; the correction is not one",
                    field.name
                )));
            }
            let norm = Zeroizing::new(value::normalise(field.ty, value));
            let blind_index = field
                .blind_index
                .then(|| tokens::blind_index(&ts.key, field.name.as_str(), &norm));
            let facts = a.facts(tenant, &ts).about(&row.0, &consents);
            let grant = match decision::decide_rekey(&facts).into_result() {
                Ok(g) => g,
                Err(reasons) => return a.refuse(EntryKind::Collect, reasons, |_| {}),
            };
            let mut e = a.entry(EntryKind::Collect, LedgerDecision::Allow);
            e.reason = Id::new("rectified").ok();
            e.fields = vec![field.name.ledger()];
            e.tokens = vec![token.ledger()];
            self.rekey(
                a,
                &grant,
                &row,
                &[],
                Some((token, norm.as_bytes(), blind_index)),
                vec![e],
            )
        })
    }

    /// Destroys every value past its field's `retention_days`, subject by subject (each a
    /// re-keying with an `erase` entry `retention_expired` naming the fields and tokens);
    /// subjects under a legal hold keep theirs; then one `erase` entry `retention_swept` (no
    /// subject, decision `none`) for the run, so the ledger shows retention ran even when
    /// nothing was due. With that entry, idempotency keys older than
    /// [`IDEMPOTENCY_KEPT_DAYS`](super::IDEMPOTENCY_KEPT_DAYS) are forgotten. `custodian serve`
    /// runs it hourly.
    pub fn sweep_retention(&self, _admin: &AdminScope) -> Result<SweepReport, CoreError> {
        let mut report = SweepReport::default();
        let now = self.now();
        let preserved: Vec<crate::orders::ActiveOrder> = crate::orders::active(
            &self
                .orders
                .read()
                .map_err(|_| super::poisoned("order table"))?
                .orders,
            now,
        )
        .into_iter()
        .filter(|o| o.effect == crate::orders::OrderEffect::PreserveData)
        .collect();
        'tenants: for tenant in self.tenant_ids() {
            // A regulator's order preserving the tenant's data: nothing is destroyed.
            let ts = self.tenant(&tenant)?;
            if preserved
                .iter()
                .any(|o| o.covers(&tenant, &ts.manifest.organisation))
            {
                continue;
            }
            let fields: Vec<(FieldName, u32)> = ts
                .manifest
                .fields
                .iter()
                .filter(|f| f.retention_days > 0)
                .map(|f| (f.name.clone(), f.retention_days))
                .collect();
            for (field, days) in fields {
                let before = now.saturating_sub(Millis::from(days).saturating_mul(DAY_MS));
                let mut last: Option<Token> = None;
                loop {
                    let rows = self
                        .store
                        .expired_values(&tenant, &field, before, SWEEP_BATCH)
                        .map_err(store_err)?;
                    let Some(first) = rows.first() else { break };
                    if last.as_ref() == Some(&first.token) {
                        return Err(CoreError::Store(
                            "the retention sweep made no progress on a value".into(),
                        ));
                    }
                    last = Some(first.token.clone());
                    let mut by_subject: Vec<(SubjectId, Vec<Token>)> = Vec::new();
                    for r in rows {
                        match by_subject.iter_mut().find(|(s, _)| *s == r.subject) {
                            Some((_, t)) => t.push(r.token),
                            None => by_subject.push((r.subject, vec![r.token])),
                        }
                    }
                    for (subject, dropped) in by_subject {
                        let Some(n) =
                            self.sweep_subject(&tenant, &ts, &subject, &field, &dropped, before)?
                        else {
                            // Held or preserved since the values were listed: the tenant waits
                            // for the next sweep.
                            continue 'tenants;
                        };
                        if n > 0 {
                            report.values += n as u64;
                            report.subjects += 1;
                        }
                    }
                }
            }
        }
        // The sweep itself, whatever it found: the ledger shows retention ran, and when. With it,
        // idempotency keys older than their days are forgotten (they hold ids and tokens only).
        self.act(|a| {
            let mut e = a.entry(EntryKind::Erase, LedgerDecision::None);
            e.reason = Id::new("retention_swept").ok();
            let before = now
                .saturating_sub(super::idempotency::IDEMPOTENCY_KEPT_DAYS.saturating_mul(DAY_MS));
            a.commit(Change::ExpireIdempotency { before }, vec![e])
        })?;
        Ok(report)
    }

    fn sweep_subject(
        &self,
        tenant: &TenantId,
        ts: &TenantState,
        subject: &SubjectId,
        field: &FieldName,
        listed: &[Token],
        before: Millis,
    ) -> Result<Option<usize>, CoreError> {
        self.act(|a| {
            let (_, row, consents) = a.subject(tenant, subject)?;
            let facts = a.facts(tenant, ts).about(&row.0, &consents);
            let grant = match decision::decide_rekey(&facts).into_result() {
                Ok(g) => g,
                // Held, preserved or erased since the values were listed: nothing now.
                Err(_) => return Ok(None),
            };
            // Only what is still expired: a value collected again since it was listed (a
            // deterministic token's record replaced) stays.
            let dropped: Vec<Token> = self
                .store
                .subject_values(tenant, subject)
                .map_err(store_err)?
                .into_iter()
                .filter(|r| listed.contains(&r.token) && r.collected_at < before)
                .map(|r| r.token)
                .collect();
            if dropped.is_empty() {
                return Ok(Some(0));
            }
            let mut e = a.entry(EntryKind::Erase, LedgerDecision::Allow);
            e.reason = Id::new("retention_expired").ok();
            e.fields = vec![field.ledger()];
            e.tokens = dropped.iter().map(Token::ledger).collect();
            self.rekey(a, &grant, &row, &dropped, None, vec![e])?;
            Ok(Some(dropped.len()))
        })
    }

    /// Re-keys the grant's subject: a new key under the current epoch; every value not in
    /// `dropped` re-sealed under it (the one `replace` names with its new plaintext and blind
    /// index); committed with `entries` only if the stored key is still the one read.
    fn rekey(
        &self,
        a: &Act<'_>,
        grant: &RekeyGrant<'_>,
        row: &SubjectRow,
        dropped: &[Token],
        replace: Option<(&Token, &[u8], Option<String>)>,
        entries: Vec<custodian_ledger::Entry>,
    ) -> Result<(), CoreError> {
        let info = &row.0;
        let (tenant, subject) = (&info.tenant, &info.id);
        let wrapped = row
            .1
            .as_ref()
            .ok_or_else(|| CoreError::Conflict(format!("subject `{subject}` was erased")))?;
        let old = self.subject_key(tenant, subject, Some(wrapped))?;
        let new = DataKey::generate()?;
        let new_key = self.wrap_new_key(&new, &subject_key_aad(tenant, subject))?;
        let mut values = Vec::new();
        let mut gone = Vec::with_capacity(dropped.len());
        for r in self
            .store
            .subject_values(tenant, subject)
            .map_err(store_err)?
        {
            if dropped.contains(&r.token) {
                gone.push((r.token, r.collected_at));
                continue;
            }
            match replace {
                Some((t, plain, ref bix)) if *t == r.token => {
                    let mut v = crypto::reseal_value(grant, &old, &new, &r, Some(plain))
                        .map_err(|e| a.unopened(tenant, &r, e))?;
                    v.blind_index = bix.clone();
                    values.push(v);
                }
                _ => values.push(
                    crypto::reseal_value(grant, &old, &new, &r, None)
                        .map_err(|e| a.unopened(tenant, &r, e))?,
                ),
            }
        }
        a.commit(
            Change::Rekey {
                tenant: tenant.clone(),
                subject: subject.clone(),
                old_key: wrapped.blob.clone(),
                new_key,
                values,
                dropped: gone,
            },
            entries,
        )?;
        Ok(())
    }
}
