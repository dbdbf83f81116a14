//! Onboarding: a subject registered with its first consents and values in one act, one change
//! and one idempotency record — an imported row. Each part is decided as the single act would
//! decide it, in order (the registration, each consent, each collect, the collects seeing the
//! consents given before them), and recorded with its own ledger entry; a refused consent or
//! collect is answered with its reasons beside the parts that were carried out. A refused
//! registration refuses the whole item (nothing else is decided for a subject that is not).

use custodian_ledger::{Decision as LedgerDecision, EntryKind};

use super::Vault;
use super::act::Act;
use super::batch::{Planned, collect_entry, live};
use super::consents::grant_reason;
use super::idempotency::Replay;
use super::subjects::Registration;
use super::values::{Collected, seal_grants};
use crate::access::{ServiceScope, TenantScoped};
use crate::decision::{self, ConsentChange, Reason, ReasonCode};
use crate::error::CoreError;
use crate::ids::{FieldName, Jurisdiction, PurposeId, SubjectId, SubjectRole};
use crate::store::{Change, Onboard};
use crate::subject::Consent;

/// One subject to onboard.
#[derive(Clone, Debug)]
pub struct OnboardItem<'v> {
    /// Its jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// Its role (`None`: the manifest's default).
    pub role: Option<SubjectRole>,
    /// Under 14.
    pub minor: bool,
    /// Consents to give, in order, before the collects.
    pub consents: Vec<OnboardConsent>,
    /// Values to collect, one purpose each, after the consents (PI: never logged).
    pub collects: Vec<(PurposeId, Vec<(FieldName, &'v str)>)>,
    /// The caller's idempotency key.
    pub idempotency_key: Option<String>,
}

/// A consent given while onboarding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnboardConsent {
    /// The declared purpose.
    pub purpose: PurposeId,
    /// 单独同意.
    pub separate: bool,
    /// Given by a guardian.
    pub by_guardian: bool,
}

/// What onboarding one subject did: the subject, and each consent's and each collect's result
/// in the order asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Onboarded {
    /// The new subject.
    pub subject: SubjectId,
    /// Each consent: given, or refused with its reasons.
    pub consents: Vec<Result<(), Vec<Reason>>>,
    /// Each collect: its tokens, or refused with its reasons (nothing of it stored).
    pub collects: Vec<Result<Vec<Collected>, Vec<Reason>>>,
}

impl Vault {
    /// Onboards subjects, each item on its own (see the module's documentation).
    pub fn onboard_batch(
        &self,
        scope: &ServiceScope,
        items: &[OnboardItem<'_>],
    ) -> Result<Vec<Result<Onboarded, CoreError>>, CoreError> {
        let tenant = scope.tenant();
        let request = |i: usize| {
            let it = &items[i];
            it.idempotency_key.clone().map(|k| (k, fingerprint(it)))
        };
        self.run_batch(
            (tenant, Some(scope.service()), "onboard"),
            items.len(),
            request,
            |_| None,
            // A replay's tokens must still lead somewhere: not after its subject's erasure.
            |a, _, done: &Onboarded| live(a, tenant, &done.subject),
            |a, i| self.plan_onboard(a, scope, &items[i]),
        )
    }

    fn plan_onboard(
        &self,
        a: &mut Act<'_>,
        scope: &ServiceScope,
        it: &OnboardItem<'_>,
    ) -> Result<Planned<Onboarded>, CoreError> {
        let tenant = scope.tenant();
        let service = Some(scope.service());
        let reg =
            self.decide_registration(a, scope, &it.jurisdiction, it.role.as_ref(), it.minor)?;
        let (info, key, wrapped_key, entry) = match reg {
            Registration::Refused { entry, reasons } => {
                return Ok(Planned::Job {
                    change: Change::Record,
                    entries: vec![entry],
                    outcome: Err(reasons),
                });
            }
            Registration::Granted {
                info,
                key,
                wrapped_key,
                entry,
            } => (info, key, wrapped_key, entry),
        };
        let subject = info.id.clone();
        let ts = a.tenant(tenant)?;
        let mut entries = vec![entry];

        let mut consents: Vec<Consent> = Vec::new();
        let mut consented = Vec::with_capacity(it.consents.len());
        for c in &it.consents {
            a.set_purpose(&ts.manifest, &c.purpose);
            let change = ConsentChange::Grant {
                separate: c.separate,
                by_guardian: c.by_guardian,
            };
            let facts = a.facts(tenant, &ts).about(&info, &consents);
            match decision::decide_consent(&facts, service, &c.purpose, change).into_result() {
                Ok(g) => {
                    let declared = g.purpose().clone();
                    let mut e = a.entry(EntryKind::ConsentGrant, LedgerDecision::Allow);
                    e.reason = grant_reason(c.separate, c.by_guardian);
                    entries.push(e);
                    // One consent a purpose: a later grant replaces an earlier one.
                    consents.retain(|k| k.purpose != declared);
                    consents.push(Consent {
                        purpose: declared,
                        notice_version: ts.manifest.notice_version.clone(),
                        granted_at: a.now(),
                        withdrawn_at: None,
                        separate: c.separate,
                        by_guardian: c.by_guardian,
                    });
                    consented.push(Ok(()));
                }
                Err(reasons) => {
                    entries.push(a.denial(EntryKind::ConsentGrant, &reasons));
                    consented.push(Err(reasons));
                }
            }
        }

        let mut values = Vec::new();
        let mut collected = Vec::with_capacity(it.collects.len());
        for (purpose, asked) in &it.collects {
            a.set_purpose(&ts.manifest, purpose);
            let facts = a.facts(tenant, &ts).about(&info, &consents);
            match self.collect_grants(&facts, scope, purpose, asked) {
                Ok(grants) => {
                    let (records, out) = seal_grants(&ts, &grants, &key, a.now())?;
                    entries.push(collect_entry(a, &grants, &records));
                    values.extend(records);
                    collected.push(Ok(out));
                }
                Err((reasons, fields)) => {
                    let mut e = a.denial(EntryKind::Collect, &reasons);
                    e.fields = fields;
                    entries.push(e);
                    collected.push(Err(reasons));
                }
            }
        }
        Ok(Planned::Job {
            change: Change::Onboard(Box::new(Onboard {
                subject: info,
                wrapped_key,
                consents,
                values,
            })),
            entries,
            outcome: Ok(Onboarded {
                subject,
                consents: consented,
                collects: collected,
            }),
        })
    }
}

/// The bytes that identify an item's request (its idempotency fingerprint): every part, with
/// the counts that fix which part is which.
fn fingerprint(it: &OnboardItem<'_>) -> Vec<Vec<u8>> {
    let mut parts = vec![
        it.jurisdiction.as_str().as_bytes().to_vec(),
        it.role
            .as_ref()
            .map_or(Vec::new(), |r| r.as_str().as_bytes().to_vec()),
        vec![u8::from(it.minor)],
        (it.consents.len() as u64).to_be_bytes().to_vec(),
    ];
    for c in &it.consents {
        parts.push(c.purpose.as_str().as_bytes().to_vec());
        parts.push(vec![u8::from(c.separate), u8::from(c.by_guardian)]);
    }
    parts.push((it.collects.len() as u64).to_be_bytes().to_vec());
    for (purpose, values) in &it.collects {
        parts.push(purpose.as_str().as_bytes().to_vec());
        parts.push((values.len() as u64).to_be_bytes().to_vec());
        for (f, v) in values {
            parts.push(f.as_str().as_bytes().to_vec());
            parts.push(v.as_bytes().to_vec());
        }
    }
    parts
}

/// A refusal as stored for a replay: its reasons' codes, messages and orders (messages name
/// fields and rules, never a value).
fn reasons_json(reasons: &[Reason]) -> serde_json::Value {
    reasons
        .iter()
        .map(|r| serde_json::json!([r.code.as_str(), r.message, r.order]))
        .collect()
}

fn reasons_back(v: &serde_json::Value) -> Option<Vec<Reason>> {
    v.as_array()?
        .iter()
        .map(|r| {
            let code = r.get(0)?.as_str()?;
            Some(Reason {
                code: *ReasonCode::ALL.iter().find(|c| c.as_str() == code)?,
                message: r.get(1)?.as_str()?.to_string(),
                order: match r.get(2)? {
                    serde_json::Value::Null => None,
                    o => Some(o.as_str()?.to_string()),
                },
            })
        })
        .collect()
}

impl Replay for Onboarded {
    /// JSON: the subject, each consent (`null` or its reasons) and each collect (its tokens as
    /// [`Vec<Collected>`] stores them, or its reasons).
    fn encode(&self) -> Vec<u8> {
        let consents: Vec<serde_json::Value> = self
            .consents
            .iter()
            .map(|c| match c {
                Ok(()) => serde_json::Value::Null,
                Err(r) => reasons_json(r),
            })
            .collect();
        let collects: Vec<serde_json::Value> = self
            .collects
            .iter()
            .map(|c| match c {
                Ok(tokens) => serde_json::json!({
                    "ok": String::from_utf8_lossy(&tokens.encode())
                }),
                Err(r) => serde_json::json!({ "refused": reasons_json(r) }),
            })
            .collect();
        serde_json::json!({
            "subject": self.subject.as_str(),
            "consents": consents,
            "collects": collects,
        })
        .to_string()
        .into_bytes()
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        let subject = SubjectId::parse(v.get("subject")?.as_str()?).ok()?;
        let consents = v
            .get("consents")?
            .as_array()?
            .iter()
            .map(|c| match c {
                serde_json::Value::Null => Some(Ok(())),
                r => reasons_back(r).map(Err),
            })
            .collect::<Option<Vec<_>>>()?;
        let collects = v
            .get("collects")?
            .as_array()?
            .iter()
            .map(|c| match (c.get("ok"), c.get("refused")) {
                (Some(ok), _) => Vec::<Collected>::decode(ok.as_str()?.as_bytes()).map(Ok),
                (None, Some(r)) => reasons_back(r).map(Err),
                (None, None) => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Onboarded {
            subject,
            consents,
            collects,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_result_reads_back_as_it_was() {
        let tokens = vec![Collected {
            field: FieldName::parse("phone").unwrap(),
            token: crate::ids::Token::parse("tok_0123456789abcdefghijklmnop").unwrap(),
            undeclared_pi: vec![],
        }];
        let reasons = vec![Reason {
            code: ReasonCode::ConsentMissing,
            message: "`safety` needs the subject's consent".into(),
            order: Some("ord-1".into()),
        }];
        let r = Onboarded {
            subject: SubjectId::parse("sub_0000000000000000000000000").unwrap(),
            consents: vec![Ok(()), Err(reasons.clone())],
            collects: vec![Ok(tokens), Err(reasons), Ok(vec![])],
        };
        assert_eq!(Onboarded::decode(&r.encode()), Some(r));
        assert_eq!(Onboarded::decode(b"{\"subject\": 1}"), None);
    }
}
