//! Subjects: registration, the person's copy of their data (PIPL Art. 45), erasure by
//! crypto-shredding (Art. 47).

use custodian_ledger::{Decision as LedgerDecision, Entry, EntryKind, Id};
use zeroize::Zeroizing;

use super::act::Act;
use super::{Vault, store_err, subject_key_aad};
use crate::access::{DpoScope, ServiceScope, TenantScoped};
use crate::crypto::{self, DataKey, Secret};
use crate::decision::{self, Reason, ReasonCode, RegisterRequest};
use crate::error::CoreError;
use crate::ids::{
    FieldName, Jurisdiction, Millis, PurposeId, SubjectId, SubjectRole, TenantId, Token,
};
use crate::store::{Change, SubjectRow, WrappedKey};
use crate::subject::{Consent, SubjectInfo};
use crate::tokens;

/// Everything about a subject (PIPL Art. 45: access and copy).
#[derive(Clone, Debug)]
pub struct SubjectExport {
    /// The subject.
    pub subject: SubjectInfo,
    /// Its consents.
    pub consents: Vec<Consent>,
    /// Its values.
    pub values: Vec<ExportedValue>,
}

/// One value in an export.
#[derive(Clone, Debug)]
pub struct ExportedValue {
    /// Field.
    pub field: FieldName,
    /// Its PI type.
    pub pi_type: &'static str,
    /// Token.
    pub token: Token,
    /// The value.
    pub value: Secret,
    /// Purpose it was collected for.
    pub purpose: PurposeId,
    /// When.
    pub collected_at: Millis,
    /// Every later use the ledger records: each read, lookup or transfer that returned it.
    pub uses: Vec<ValueUse>,
}

/// One use of a value, as the ledger records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueUse {
    /// `detokenize`, `lookup` or `transfer`.
    pub kind: &'static str,
    /// When.
    pub at: Millis,
    /// For what purpose.
    pub purpose: Option<String>,
    /// By which service (the recipient inside the platform).
    pub service: Option<String>,
    /// Where to, for a transfer.
    pub destination: Option<String>,
}

impl Vault {
    /// A subject (with its wrapped key) and its consents, in one store call.
    pub(crate) fn subject_and_consents(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<(SubjectRow, Vec<Consent>), CoreError> {
        self.store
            .subject_and_consents(tenant, subject)
            .map_err(store_err)?
            .ok_or_else(|| not_found(tenant))
    }

    /// Registers a subject of `jurisdiction` with a role the manifest declares (`None`: the
    /// manifest's default role); `minor` = under 14 (guardian consent needed).
    pub fn register(
        &self,
        scope: &ServiceScope,
        jurisdiction: &Jurisdiction,
        role: Option<&SubjectRole>,
        minor: bool,
    ) -> Result<SubjectId, CoreError> {
        let item = super::batch::RegisterItem {
            jurisdiction: jurisdiction.clone(),
            role: role.cloned(),
            minor,
            idempotency_key: None,
        };
        super::batch::only(self.register_batch(scope, std::slice::from_ref(&item))?)
    }

    /// Everything about a subject, decrypted (PIPL Art. 45). Recorded in the ledger.
    pub fn export_subject(
        &self,
        scope: &DpoScope,
        subject: &SubjectId,
    ) -> Result<SubjectExport, CoreError> {
        let tenant = scope.tenant();
        self.act(|a| {
            let (ts, (info, wrapped), consents) = a.subject(tenant, subject)?;
            let facts = a.facts(tenant, &ts).about(&info, &consents);
            let grant = match decision::decide_export(&facts).into_result() {
                Ok(g) => g,
                Err(reasons) => return a.refuse(EntryKind::Export, reasons, |_| {}),
            };
            let rows = self
                .store
                .subject_values(tenant, subject)
                .map_err(store_err)?;
            let uses = self.value_uses(tenant, subject)?;
            let mut values = Vec::with_capacity(rows.len());
            if !rows.is_empty() {
                let key = self.subject_key(tenant, subject, wrapped.as_ref())?;
                for r in rows {
                    let plain = crypto::open_exported(&grant, &key, &r)
                        .map_err(|e| a.unopened(tenant, &r, e))?;
                    let text = String::from_utf8(plain.to_vec())
                        .map_err(|_| CoreError::Integrity("sealed value is not UTF-8".into()))?;
                    let pi_type = ts
                        .manifest
                        .field(&r.field)
                        .map_or("unknown", |f| f.ty.name());
                    let token_id = r.token.ledger();
                    let value_uses = uses
                        .iter()
                        .filter(|(t, _)| *t == token_id)
                        .map(|(_, u)| u.clone())
                        .collect();
                    values.push(ExportedValue {
                        field: r.field,
                        pi_type,
                        token: r.token,
                        value: Secret::new(Zeroizing::new(text)),
                        purpose: r.purpose,
                        collected_at: r.collected_at,
                        uses: value_uses,
                    });
                }
            }
            let mut e = a.entry(EntryKind::Export, LedgerDecision::Allow);
            e.tokens = values.iter().map(|v| v.token.ledger()).collect();
            a.commit(Change::Record, vec![e])?;
            Ok(SubjectExport {
                subject: info.clone(),
                consents: consents.clone(),
                values,
            })
        })
    }

    /// The uses of a subject's values the ledger records (allowed reads, lookups and transfers),
    /// each with the token it used, from the ledger's index by subject.
    fn value_uses(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Vec<(custodian_ledger::Id, ValueUse)>, CoreError> {
        let mut out = Vec::new();
        for (_, bytes) in self
            .store
            .subject_entries(tenant, subject)
            .map_err(store_err)?
        {
            let e = custodian_ledger::Entry::decode(&bytes)
                .map_err(|e| CoreError::Integrity(e.to_string()))?;
            if e.decision != LedgerDecision::Allow
                || !matches!(
                    e.kind,
                    EntryKind::Detokenize | EntryKind::Lookup | EntryKind::Transfer
                )
            {
                continue;
            }
            for t in &e.tokens {
                out.push((
                    t.clone(),
                    ValueUse {
                        kind: e.kind.name(),
                        at: e.time_ms,
                        purpose: e.purpose.as_ref().map(|p| p.as_str().to_string()),
                        service: e.service.as_ref().map(|s| s.as_str().to_string()),
                        destination: e.destination.as_ref().map(|d| d.as_str().to_string()),
                    },
                ));
            }
        }
        Ok(out)
    }

    /// Gives a role the manifest declares to a subject registered without one (before the
    /// manifest declared roles). Once given, a role is fixed: a second assignment is refused.
    /// Recorded as a `register` entry with the reason `role_assigned`.
    pub fn assign_role(
        &self,
        scope: &DpoScope,
        subject: &SubjectId,
        role: &SubjectRole,
    ) -> Result<(), CoreError> {
        let tenant = scope.tenant();
        self.act(|a| {
            let (ts, (info, _), consents) = a.subject(tenant, subject)?;
            let facts = a.facts(tenant, &ts).about(&info, &consents);
            let role = match decision::decide_assign_role(&facts, role).into_result() {
                Ok(g) => g.role().clone(),
                Err(reasons) => return a.refuse(EntryKind::Register, reasons, |_| {}),
            };
            let mut e = a.entry(EntryKind::Register, LedgerDecision::Allow);
            e.reason = Id::new("role_assigned").ok();
            a.commit(
                Change::AssignRole {
                    tenant: tenant.clone(),
                    subject: subject.clone(),
                    role,
                },
                vec![e],
            )?;
            Ok(())
        })
    }

    /// Erases a subject by destroying its data key (crypto-shredding) and deleting its values;
    /// returns the receipt of its ledger entry, for the person to keep.
    pub fn erase_subject(
        &self,
        scope: &DpoScope,
        subject: &SubjectId,
    ) -> Result<super::Receipt, CoreError> {
        let tenant = scope.tenant();
        self.act(|a| {
            let (ts, (info, _), consents) = a.subject(tenant, subject)?;
            let facts = a.facts(tenant, &ts).about(&info, &consents);
            if let Err(reasons) = decision::decide_erase(&facts).into_result() {
                if reasons.iter().any(|r| r.code == ReasonCode::LegalHold) {
                    // Refused while held: recorded, and the refusal states the hold.
                    return a.refuse(EntryKind::Erase, reasons, |_| {});
                }
                // An earlier erasure: a conflict, recorded once already.
                return Err(CoreError::Conflict(format!(
                    "subject `{subject}` was already erased"
                )));
            }
            let e = a.entry(EntryKind::Erase, LedgerDecision::Allow);
            let idx = a.commit(
                Change::Erase {
                    tenant: tenant.clone(),
                    subject: subject.clone(),
                },
                vec![e],
            )?;
            idx.first()
                .map(|i| i.get())
                .ok_or_else(|| CoreError::Store("the erasure's entry has no index".into()))
        })
        .and_then(|index| self.receipt(index))
    }
}

/// A subject that is not there. The id is not echoed: a caller may send a value where an id
/// belongs.
pub(super) fn not_found(tenant: &TenantId) -> CoreError {
    CoreError::NotFound(format!("the subject was not found in tenant `{tenant}`"))
}

/// A registration decided (see [`Vault::decide_registration`]).
pub(super) enum Registration {
    /// The new subject, its data key and the key wrapped, and its entry.
    Granted {
        info: SubjectInfo,
        key: DataKey,
        wrapped_key: WrappedKey,
        entry: Entry,
    },
    /// The denial's entry and reasons.
    Refused { entry: Entry, reasons: Vec<Reason> },
}

impl Vault {
    /// Decides one registration in the act `a`, as [`Vault::register_batch`] does: a new
    /// subject with its data key (wrapped under the current epoch) and its entry — the act
    /// names the subject from then on — or the denial's entry and reasons.
    pub(super) fn decide_registration(
        &self,
        a: &mut Act<'_>,
        scope: &ServiceScope,
        jurisdiction: &Jurisdiction,
        role: Option<&SubjectRole>,
        minor: bool,
    ) -> Result<Registration, CoreError> {
        let tenant = scope.tenant();
        let ts = a.tenant(tenant)?;
        a.set_tenant(tenant);
        a.set_service(&ts.manifest, Some(scope.service()));
        let req = RegisterRequest { jurisdiction, role };
        let role = match decision::decide_register(&a.facts(tenant, &ts), &req).into_result() {
            Ok(g) => g.role().clone(),
            Err(reasons) => {
                let entry = a.denial(EntryKind::Register, &reasons);
                return Ok(Registration::Refused { entry, reasons });
            }
        };
        let subject = tokens::new_subject_id(a.now())?;
        let key = DataKey::generate()?;
        let wrapped_key = self.wrap_new_key(&key, &subject_key_aad(tenant, &subject))?;
        a.set_subject(&subject);
        let info = SubjectInfo {
            id: subject,
            tenant: tenant.clone(),
            jurisdiction: jurisdiction.clone(),
            role: Some(role),
            minor,
            registered_at: a.now(),
            erased: false,
            legal_hold: None,
            version: 0,
        };
        Ok(Registration::Granted {
            info,
            key,
            wrapped_key,
            entry: a.entry(EntryKind::Register, LedgerDecision::Allow),
        })
    }
}
