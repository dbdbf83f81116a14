//! Values: collect (seal under a `CollectGrant`), detokenize (open under a
//! `DetokenizeGrant`), lookup by blind index.

use std::collections::HashMap;

use custodian_detect::{PiType, mask};
use custodian_ledger::{Decision as LedgerDecision, Entry, EntryKind, Id};
use zeroize::Zeroizing;

use super::{Act, Deferred, Vault, store_err};
use crate::access::{ServiceScope, TenantScoped};
use crate::catalog::FieldType;
use crate::crypto::{self, DataKey, Secret};
use crate::decision::{
    self, CollectGrant, CollectRequest, DetokenizeRequest, Facts, LookupRequest, Reason, ReasonCode,
};
use crate::error::CoreError;
use crate::ids::{FieldName, PurposeId, SubjectId, Token};
use crate::manifest::TokenKind;
use crate::store::{Change, SubjectRow, ValueRecord};
use crate::subject::Consent;
use crate::tokens;
use crate::value::normalise;

/// A refused collect: every reason, and the declared fields its entry names.
pub(super) type Refused = (Vec<Reason>, Vec<Id>);

/// One collected value's token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Collected {
    /// Field.
    pub field: FieldName,
    /// The token to store instead of the value.
    pub token: Token,
    /// Free text: types of undeclared PI flagged (policy `flag`) or tokenized (`tokenize`).
    pub undeclared_pi: Vec<&'static str>,
}

/// How detokenized values come back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reveal {
    /// As the manifest says (`mask_on_read`).
    Default,
    /// Masked in the usual conventions (138****5678).
    Masked,
    /// In clear.
    Clear,
}

/// One detokenized value.
#[derive(Clone, Debug)]
pub struct Detokenized {
    /// The token.
    pub token: Token,
    /// Its field.
    pub field: FieldName,
    /// Its subject.
    pub subject: SubjectId,
    /// The value (masked when asked or when the manifest says so).
    pub value: Secret,
    /// Whether `value` is masked.
    pub masked: bool,
}

/// The subjects a detokenize reads, each with its row and consents, in first-seen order.
struct Subjects(Vec<(SubjectId, (SubjectRow, Vec<Consent>))>);

impl Subjects {
    fn get(&self, s: &SubjectId) -> Option<&(SubjectRow, Vec<Consent>)> {
        self.0.iter().find(|(id, _)| id == s).map(|(_, v)| v)
    }

    fn keys(&self) -> impl Iterator<Item = &SubjectId> {
        self.0.iter().map(|(id, _)| id)
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Seals one value under a collect grant into a record with its token.
fn seal_record(
    grant: &CollectGrant<'_>,
    key: &DataKey,
    token: &Token,
    blind_index: Option<String>,
    value: &str,
    now: i64,
) -> Result<ValueRecord, CoreError> {
    let s = grant.subject();
    Ok(ValueRecord {
        tenant: s.tenant.clone(),
        subject: s.id.clone(),
        field: grant.field().name.clone(),
        token: token.clone(),
        blind_index,
        sealed: crypto::seal_value(grant, key, value.as_bytes())?,
        key_version: crypto::KEY_VERSION,
        purpose: grant.purpose().clone(),
        collected_at: now,
    })
}

/// Seals granted values under the subject's key, each with its token (and blind index): free
/// text under `tokenize` leaves each undeclared finding as its own sealed value, its token in
/// the text's place. Fresh random tokens each call (a collision is retried by the caller).
pub(super) fn seal_grants(
    ts: &super::TenantState,
    grants: &[(CollectGrant<'_>, &str)],
    key: &DataKey,
    now: i64,
) -> Result<(Vec<ValueRecord>, Vec<Collected>), CoreError> {
    let mut records = Vec::new();
    let mut out = Vec::new();
    for (g, value) in grants {
        let field = g.field();
        let mut text = Zeroizing::new(value.to_string());
        let mut undeclared: Vec<&'static str> = g
            .flagged()
            .iter()
            .chain(g.tokenize())
            .map(|f| f.pi_type.name())
            .collect();
        undeclared.sort_unstable();
        undeclared.dedup();
        // Free text under `tokenize`: each undeclared finding becomes its own sealed
        // value with a token, and the text keeps the token in its place.
        for f in g.tokenize().iter().rev() {
            let token = tokens::random_token()?;
            let piece = Zeroizing::new(text.get(f.bstart..f.bend).unwrap_or("").to_string());
            records.push(seal_record(g, key, &token, None, &piece, now)?);
            text.replace_range(f.bstart..f.bend, token.as_str());
        }
        let norm = Zeroizing::new(normalise(field.ty, &text));
        let token = match field.token {
            TokenKind::Random => tokens::random_token()?,
            TokenKind::Deterministic => {
                let subject = g.subject().id.as_str();
                tokens::deterministic_token(&ts.key, field.name.as_str(), subject, &norm)?
            }
            TokenKind::FormatPreserving => match field.ty {
                FieldType::Detected(PiType::CnResidentId) => tokens::resident_id_token()?,
                _ => tokens::mobile_token()?,
            },
        };
        let bix = field
            .blind_index
            .then(|| tokens::blind_index(&ts.key, field.name.as_str(), &norm));
        records.push(seal_record(g, key, &token, bix, &text, now)?);
        out.push(Collected {
            field: field.name.clone(),
            token,
            undeclared_pi: undeclared,
        });
    }
    Ok((records, out))
}

impl Vault {
    /// Collects values of one subject for one purpose, as one service. All or nothing: any
    /// denial refuses the whole call (and is recorded).
    pub fn collect(
        &self,
        scope: &ServiceScope,
        subject: &SubjectId,
        purpose: &PurposeId,
        values: &[(FieldName, &str)],
    ) -> Result<Vec<Collected>, CoreError> {
        let item = super::batch::CollectItem {
            subject: subject.clone(),
            purpose: purpose.clone(),
            values: values.to_vec(),
            idempotency_key: None,
        };
        super::batch::only(self.collect_batch(scope, std::slice::from_ref(&item))?)
    }

    /// Decides each value of one subject's collect: the grants, or every reason to refuse with
    /// the declared fields the refusal's entry names.
    pub(super) fn collect_grants<'f>(
        &self,
        facts: &Facts<'f>,
        scope: &ServiceScope,
        purpose: &PurposeId,
        values: &[(FieldName, &'f str)],
    ) -> Result<Vec<(CollectGrant<'f>, &'f str)>, Refused> {
        let m = facts.manifest;
        let service = scope.service();
        let mut grants = Vec::with_capacity(values.len());
        let mut denied: Vec<Reason> = Vec::new();
        for (field, value) in values {
            let req = CollectRequest {
                service,
                purpose,
                field,
                value,
            };
            match decision::decide_collect(facts, &self.detector, &req).into_result() {
                Ok(g) => grants.push((g, *value)),
                Err(r) => denied.extend(r),
            }
        }
        if values.is_empty() {
            denied.push(Reason {
                code: ReasonCode::NoValues,
                message: "collect needs at least one value".into(),
                order: None,
            });
        }
        if denied.is_empty() {
            return Ok(grants);
        }
        // Only declared fields are named in the ledger.
        let fields = values
            .iter()
            .filter_map(|(f, _)| m.field(f).map(|d| d.name.ledger()))
            .collect();
        Err((denied, fields))
    }

    /// Reads values back for a purpose, as one service. All or nothing; recorded either way.
    pub fn detokenize(
        &self,
        scope: &ServiceScope,
        purpose: &PurposeId,
        tokens_in: &[Token],
        reveal: Reveal,
    ) -> Result<Vec<Detokenized>, CoreError> {
        self.act(|a| self.detokenize_act(a, scope, purpose, tokens_in, reveal))
    }

    /// As [`Vault::detokenize`], run on the caller's thread (an async task's) with the
    /// ledger entry's commit handed to the store: await [`Deferred::finish`] for the values,
    /// which it gives only once the entry recording their reading is committed. `None`: this
    /// cell's store or key holder may block, or the order table is being changed — call
    /// [`Vault::detokenize`] on a thread that may block.
    pub fn detokenize_deferred(
        &self,
        scope: &ServiceScope,
        purpose: &PurposeId,
        tokens_in: &[Token],
        reveal: Reveal,
    ) -> Option<Deferred<Vec<Detokenized>>> {
        self.act_deferred(|a| self.detokenize_act(a, scope, purpose, tokens_in, reveal))
    }

    fn detokenize_act(
        &self,
        a: &mut Act<'_>,
        scope: &ServiceScope,
        purpose: &PurposeId,
        tokens_in: &[Token],
        reveal: Reveal,
    ) -> Result<Vec<Detokenized>, CoreError> {
        let (tenant, service) = (scope.tenant(), scope.service());
        {
            let ts = a.tenant(tenant)?;
            let m = &ts.manifest;
            a.set_tenant(tenant);
            a.set_service(m, Some(service));
            a.set_purpose(m, purpose);
            let mut rows = Vec::with_capacity(tokens_in.len());
            for t in tokens_in {
                let Some(r) = self.store.value_by_token(tenant, t).map_err(store_err)? else {
                    // A probe for tokens (or for an erased subject's values) leaves its trace;
                    // the token is not recorded or echoed: a caller may send a value where a
                    // token belongs.
                    let mut e = a.entry(EntryKind::Detokenize, LedgerDecision::Deny);
                    e.reason = Id::new("not_found").ok();
                    a.record(Change::Record, vec![e])?;
                    return Err(CoreError::NotFound(format!(
                        "a token was not found in tenant `{tenant}`"
                    )));
                };
                rows.push(r);
            }
            // Subjects per request are few: a list, not a map.
            let mut subjects: Subjects = Subjects(Vec::with_capacity(1));
            for r in &rows {
                if subjects.get(&r.subject).is_none() {
                    let state = a.read_subject(tenant, &r.subject)?;
                    subjects.0.push((r.subject.clone(), state));
                }
            }
            let base = a.facts(tenant, &ts);
            let mut grants = Vec::with_capacity(rows.len());
            let mut denied = Vec::new();
            for r in &rows {
                let Some(((info, _), consents)) = subjects.get(&r.subject) else {
                    continue;
                };
                let req = DetokenizeRequest {
                    service,
                    purpose,
                    field: &r.field,
                    collected_at: r.collected_at,
                };
                match decision::decide_detokenize(&base.about(info, consents), &req).into_result() {
                    Ok(g) => grants.push(g),
                    Err(reasons) => denied.extend(reasons),
                }
            }
            let entry_for = |subject: &SubjectId, decision: LedgerDecision| {
                let mut e = a.entry(EntryKind::Detokenize, decision);
                e.subject = Some(subject.ledger());
                let mine = rows.iter().filter(|r| &r.subject == subject);
                e.fields = mine.clone().map(|r| r.field.ledger()).collect();
                e.tokens = mine.map(|r| r.token.ledger()).collect();
                e
            };
            if !denied.is_empty() {
                let entries: Vec<Entry> = subjects
                    .keys()
                    .map(|s| {
                        let mut e = entry_for(s, LedgerDecision::Deny);
                        let d = a.denial(EntryKind::Detokenize, &denied);
                        e.reason = d.reason;
                        e.order = d.order;
                        e
                    })
                    .collect();
                a.record(Change::Record, entries)?;
                return Err(CoreError::Denied(denied));
            }
            let mut out = Vec::with_capacity(rows.len());
            // Subjects per request are few: a list, not a map.
            let mut keys: Vec<(&SubjectId, DataKey)> = Vec::with_capacity(subjects.len());
            for (r, g) in rows.iter().zip(&grants) {
                let Some(((_, wrapped), _)) = subjects.get(&r.subject) else {
                    continue;
                };
                let at = match keys.iter().position(|(s, _)| *s == &r.subject) {
                    Some(at) => at,
                    None => {
                        keys.push((
                            &r.subject,
                            self.subject_key(tenant, &r.subject, wrapped.as_ref())?,
                        ));
                        keys.len() - 1
                    }
                };
                let Some((_, key)) = keys.get(at) else {
                    continue;
                };
                let plain = crypto::open_value(g, key, r).map_err(|e| a.unopened(tenant, r, e))?;
                let text = Zeroizing::new(
                    String::from_utf8(plain.to_vec())
                        .map_err(|_| CoreError::Integrity("sealed value is not UTF-8".into()))?,
                );
                let field = g.field();
                let masked = match reveal {
                    Reveal::Clear => false,
                    Reveal::Masked => true,
                    Reveal::Default => field.mask_on_read,
                };
                let value = if masked {
                    Secret::new(Zeroizing::new(match field.ty {
                        FieldType::Detected(t) => mask::mask(t, &text),
                        // Free text keeps its words; each piece of PI in it is masked in
                        // place, as `custodian scan --redact` does.
                        FieldType::FreeText => {
                            let found = self.detector.scan_str(&text);
                            String::from_utf8_lossy(&mask::redact(
                                text.as_bytes(),
                                &found,
                                &mask::MaskStyle::Partial,
                            ))
                            .into_owned()
                        }
                        FieldType::Other(_) => "*".repeat(text.chars().count().min(8)),
                    }))
                } else {
                    Secret::new(text)
                };
                out.push(Detokenized {
                    token: r.token.clone(),
                    field: r.field.clone(),
                    subject: r.subject.clone(),
                    value,
                    masked,
                });
            }
            let entries = subjects
                .keys()
                .map(|s| entry_for(s, LedgerDecision::Allow))
                .collect();
            a.record(Change::Record, entries)?;
            Ok(out)
        }
    }

    /// Finds the tokens of a value by blind index (the field must have `blind_index = true`).
    /// Decided like a read: the field, purpose and service rules and any suspending order
    /// for the query; the role and consent rules per subject found — a subject whose consent
    /// for the purpose is missing or withdrawn is left out, and if every subject found is
    /// left out the lookup is refused with the reasons.
    pub fn lookup(
        &self,
        scope: &ServiceScope,
        purpose: &PurposeId,
        field: &FieldName,
        value: &str,
    ) -> Result<Vec<Token>, CoreError> {
        let (tenant, service) = (scope.tenant(), scope.service());
        self.act(|a| {
            let ts = a.tenant(tenant)?;
            let m = &ts.manifest;
            a.set_tenant(tenant);
            a.set_service(m, Some(service));
            a.set_purpose(m, purpose);
            let declared_field: Vec<Id> = m
                .field(field)
                .map(|f| f.name.ledger())
                .into_iter()
                .collect();
            let facts = a.facts(tenant, &ts);
            let req = LookupRequest {
                service,
                purpose,
                field,
            };
            let grant = match decision::decide_lookup(&facts, &req).into_result() {
                Ok(g) => g,
                Err(reasons) => {
                    return a.refuse(EntryKind::Lookup, reasons, |e| {
                        e.fields = declared_field.clone()
                    });
                }
            };
            let f = grant.field();
            let norm = Zeroizing::new(normalise(f.ty, value));
            let bix = tokens::blind_index(&ts.key, f.name.as_str(), &norm);
            let mut found = self
                .store
                .tokens_by_blind_index(tenant, &f.name, &bix)
                .map_err(store_err)?;
            for earlier in crate::value::earlier_forms(f.ty, value)
                .into_iter()
                .map(Zeroizing::new)
            {
                let bix = tokens::blind_index(&ts.key, f.name.as_str(), &earlier);
                found.extend(
                    self.store
                        .tokens_by_blind_index(tenant, &f.name, &bix)
                        .map_err(store_err)?,
                );
            }
            let mut allowed = Vec::with_capacity(found.len());
            let mut denied = Vec::new();
            let mut seen: HashMap<SubjectId, bool> = HashMap::new();
            for t in found {
                let Some(row) = self.store.value_by_token(tenant, &t).map_err(store_err)? else {
                    continue;
                };
                let ok = match seen.get(&row.subject) {
                    Some(ok) => *ok,
                    None => {
                        let ((info, _), consents) = a.read_subject(tenant, &row.subject)?;
                        let d =
                            decision::decide_lookup_subject(&facts.about(&info, &consents), &grant);
                        let ok = d.is_allowed();
                        if !ok {
                            denied.push((row.subject.clone(), d.reasons));
                        }
                        seen.insert(row.subject.clone(), ok);
                        ok
                    }
                };
                if ok {
                    allowed.push(t);
                }
            }
            let mut entries = Vec::new();
            for (s, reasons) in &denied {
                let mut e = a.denial(EntryKind::Lookup, reasons);
                e.subject = Some(s.ledger());
                e.fields = declared_field.clone();
                entries.push(e);
            }
            if allowed.is_empty() && !denied.is_empty() {
                a.commit(Change::Record, entries)?;
                return Err(CoreError::Denied(
                    denied.into_iter().flat_map(|(_, r)| r).collect(),
                ));
            }
            let mut e = a.entry(EntryKind::Lookup, LedgerDecision::Allow);
            e.fields = declared_field.clone();
            e.tokens = allowed.iter().map(Token::ledger).collect();
            entries.push(e);
            a.commit(Change::Record, entries)?;
            Ok(allowed)
        })
    }
}
