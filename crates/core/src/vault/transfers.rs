//! The transfer gate: every export of PI out of the cell is decided per subject, counted
//! against the CAC volume thresholds, recorded, and only the allowed values leave — as a
//! payload the gate builds.

use std::collections::HashSet;

use custodian_ledger::{Decision as LedgerDecision, Entry, EntryKind, Id};
use zeroize::Zeroizing;

use super::{Vault, poisoned, store_err};
use crate::access::{DpoScope, ServiceScope, TenantScoped};
use crate::crypto::{self, Secret};
use crate::decision::{self, Reason, TransferRequest};
use crate::error::CoreError;
use crate::ids::{FieldName, Millis, OrgCode, SubjectId, Token};
use crate::store::Change;
use crate::transfers::{
    self, BasisKind, Counts, TransferBasis, approaching, valid_label, volume_allows,
};

/// One subject's values that may leave.
#[derive(Debug)]
pub struct TransferredSubject {
    /// The subject.
    pub subject: SubjectId,
    /// Its values of the transferred fields.
    pub values: Vec<(FieldName, Secret)>,
    /// For a recipient that is another cell: what that cell verifies before it stores them.
    pub delivery: Option<Delivery>,
}

/// What a receiving cell needs beside the values: the receipt of the subject's `transfer`
/// entry (naming the cell and carrying `payload:<commitment>`) and the commitment's nonce.
#[derive(Debug)]
pub struct Delivery {
    /// The entry, a signed checkpoint holding it and its inclusion proof.
    pub receipt: super::Receipt,
    /// The nonce of the entry's payload commitment (`transfers::payload_commitment`).
    pub nonce: [u8; 32],
}

/// What the gate decided for a transfer.
#[derive(Debug)]
pub struct TransferOutcome {
    /// The basis the transfer went under, if one held.
    pub basis: Option<(String, BasisKind)>,
    /// The subjects whose values leave, with the values: the payload.
    pub allowed: Vec<TransferredSubject>,
    /// The subjects refused, each with the reasons.
    pub refused: Vec<(SubjectId, Vec<Reason>)>,
    /// The calendar year counted, and the organisation's counts after this transfer.
    pub year: i32,
    /// The counts.
    pub counts: Counts,
    /// Thresholds the counts have passed 80% of under the basis.
    pub warnings: Vec<String>,
    /// The cell the recipient is, if it is one (each allowed subject then has a delivery).
    pub cell: Option<crate::ids::Jurisdiction>,
}

/// How bases rank when several hold: the strongest first.
pub(super) fn rank(k: BasisKind) -> u8 {
    match k {
        BasisKind::SecurityAssessment => 0,
        BasisKind::StandardContract | BasisKind::Certification => 1,
        BasisKind::ContractNecessity | BasisKind::CrossBorderHr | BasisKind::Emergency => 2,
        BasisKind::SmallVolume => 3,
    }
}

impl Vault {
    /// Files (or replaces) a legal basis for one of the tenant's recipients abroad. The
    /// recipient must be declared, the fields among those it may receive; references are
    /// labels (no PI). Recorded as a `config_change` entry.
    pub fn put_transfer_basis(
        &self,
        scope: &DpoScope,
        basis: TransferBasis,
    ) -> Result<(), CoreError> {
        if &basis.tenant != scope.tenant() {
            return Err(CoreError::invalid(
                "a basis is filed for the DPO's own tenant",
            ));
        }
        if !valid_label(&basis.id) || !valid_label(&basis.reference) {
            return Err(CoreError::invalid(
                "`id` and `reference` are 1-64 characters of a-z A-Z 0-9 _ - . /",
            ));
        }
        if basis
            .pia
            .as_ref()
            .is_some_and(|p| !valid_label(&p.reference))
        {
            return Err(CoreError::invalid(
                "the PIA's `reference` is 1-64 characters of a-z A-Z 0-9 _ - . /",
            ));
        }
        if basis.expires_at.is_some_and(|e| e <= basis.valid_from) {
            return Err(CoreError::invalid("`expires_at` is not after `valid_from`"));
        }
        if basis.fields.is_empty() {
            return Err(CoreError::invalid("a basis covers at least one field"));
        }
        self.act(|a| {
            let ts = a.tenant(&basis.tenant)?;
            a.set_tenant(&basis.tenant);
            let Some(r) = ts.manifest.recipient(&basis.recipient) else {
                return Err(CoreError::invalid(
                    "the manifest declares no recipient abroad by that id",
                ));
            };
            if let Some(f) = basis.fields.iter().find(|f| !r.fields.contains(f)) {
                return Err(CoreError::Invalid(format!(
                    "recipient `{}` may not receive field `{f}`",
                    r.id
                )));
            }
            let mut e = a.entry(EntryKind::ConfigChange, LedgerDecision::Allow);
            e.reason = Id::new("transfer_basis_filed").ok();
            e.destination = Id::new(&r.id).ok();
            e.fields = basis.fields.iter().map(FieldName::ledger).collect();
            e.tokens = [
                format!("basis:{}", basis.id),
                format!("kind:{}", basis.kind.as_str()),
            ]
            .iter()
            .filter_map(|t| Id::new(t).ok())
            .collect();
            a.commit(Change::PutBasis(basis.clone()), vec![e])?;
            Ok(())
        })
    }

    /// The legal bases on file for a tenant's transfers.
    pub fn transfer_bases(
        &self,
        scope: &impl TenantScoped,
    ) -> Result<Vec<TransferBasis>, CoreError> {
        self.store.transfer_bases(scope.tenant()).map_err(store_err)
    }

    /// Individuals whose PI the organisation exported in the calendar year of `at`.
    pub fn transfer_counts(
        &self,
        organisation: &OrgCode,
        at: Millis,
    ) -> Result<(i32, Counts), CoreError> {
        let (year, _, _) = transfers::local_year(at, &self.cfg.jurisdiction);
        Ok((
            year,
            self.store
                .transfer_counts(organisation, year)
                .map_err(store_err)?,
        ))
    }

    /// Transfers `fields` of `subjects` to a declared recipient abroad: decided per subject
    /// (`decision::decide_transfer`) under the strongest basis on file that holds now for the
    /// recipient and the fields (or the one named), counted against this year's thresholds,
    /// one `transfer` entry per subject, allowed or refused, in one commit with the counts.
    /// The allowed subjects' values come back: the payload that may leave.
    pub fn transfer(
        &self,
        scope: &ServiceScope,
        recipient: &str,
        basis_id: Option<&str>,
        subjects: &[SubjectId],
        fields: &[FieldName],
    ) -> Result<TransferOutcome, CoreError> {
        if subjects.is_empty() || fields.is_empty() {
            return Err(CoreError::invalid(
                "name at least one subject and one field",
            ));
        }
        // Each subject once (a subject named twice would be decided and counted twice).
        let mut seen = HashSet::new();
        let subjects: Vec<SubjectId> = subjects
            .iter()
            .filter(|s| seen.insert(*s))
            .cloned()
            .collect();
        let subjects = subjects.as_slice();
        if subjects.len() > 10_000 {
            return Err(CoreError::invalid("at most 10,000 subjects per transfer"));
        }
        let tenant = scope.tenant();
        // One transfer at a time in a process, so two cannot both count under a threshold
        // (across processes the store's generation does it: a transfer changes it).
        let _gate = self
            .transfer_gate
            .lock()
            .map_err(|_| poisoned("transfer gate"))?;
        self.act(|a| {
            let ts = a.tenant(tenant)?;
            a.set_service(&ts.manifest, Some(scope.service()));
            let manifest = &ts.manifest;
            let org = manifest.organisation.clone();
            let rcpt = manifest.recipient(recipient);
            if rcpt.is_some_and(|r| r.cell.as_ref() == Some(&self.cfg.jurisdiction)) {
                return Err(CoreError::invalid(
                    "the recipient is this cell itself: a transfer goes to another cell",
                ));
            }
            if let Some(r) = rcpt {
                a.set_purpose(manifest, &r.purpose);
            }
            let now = a.now();
            let bases = self.store.transfer_bases(tenant).map_err(store_err)?;
            let basis = bases
                .iter()
                .filter(|b| b.recipient == recipient && b.in_force(now))
                .filter(|b| basis_id.is_none_or(|id| b.id == id))
                .filter(|b| fields.iter().all(|f| b.fields.contains(f)))
                .min_by_key(|b| rank(b.kind));
            let (year, _, _) = transfers::local_year(now, &self.cfg.jurisdiction);
            let mut counts = self.store.transfer_counts(&org, year).map_err(store_err)?;
            let counted: HashSet<(SubjectId, bool)> = self
                .store
                .transferred(&org, year, tenant, subjects)
                .map_err(store_err)?
                .into_iter()
                .collect();
            let any_sensitive = fields
                .iter()
                .any(|f| manifest.field(f).is_some_and(|x| x.sensitive));
            let any_general = fields
                .iter()
                .any(|f| manifest.field(f).is_some_and(|x| !x.sensitive));
            let mut out = TransferOutcome {
                basis: basis.map(|b| (b.id.clone(), b.kind)),
                allowed: Vec::new(),
                refused: Vec::new(),
                year,
                counts,
                warnings: Vec::new(),
                cell: rcpt.and_then(|r| r.cell.clone()),
            };
            let mut rows = Vec::new();
            let mut entries = Vec::new();
            // (position in `out.allowed`, position in `entries`, nonce) of cell deliveries.
            let mut deliveries: Vec<(usize, usize, [u8; 32])> = Vec::new();
            let tags = |class: &[&str], b: Option<&TransferBasis>| -> Vec<Id> {
                let mut t = vec![format!("org:{org}")];
                if let Some(r) = rcpt {
                    t.push(format!("country:{}", r.country));
                    if let Some(c) = &r.cell {
                        t.push(format!("cell:{c}"));
                    }
                }
                if let Some(b) = b {
                    t.push(format!("basis:{}", b.id));
                }
                t.extend(class.iter().map(|c| format!("class:{c}")));
                t.iter().filter_map(|x| Id::new(x).ok()).collect()
            };
            for s in subjects {
                let (_, (info, wrapped), consents) = a.subject(tenant, s)?;
                // All PI of a subject under 14 is sensitive (PIPL Art. 28).
                let sensitive = any_sensitive || info.minor;
                let general = any_general && !info.minor;
                let new_general = general && !counted.contains(&(s.clone(), false));
                let new_sensitive = sensitive && !counted.contains(&(s.clone(), true));
                let after = Counts {
                    general: counts.general + u64::from(new_general),
                    sensitive: counts.sensitive + u64::from(new_sensitive),
                };
                let volume = basis.map_or(Ok(()), |b| volume_allows(b.kind, after, sensitive));
                let facts = a.facts(tenant, &ts).about(&info, &consents);
                let req = TransferRequest {
                    service: scope.service(),
                    recipient: rcpt,
                    recipient_id: recipient,
                    fields,
                    basis,
                    volume,
                };
                let mut e: Entry;
                match decision::decide_transfer(&facts, &req).into_result() {
                    Err(reasons) => {
                        e = a.denial(EntryKind::Transfer, &reasons);
                        e.tokens = tags(&[], basis);
                        out.refused.push((s.clone(), reasons));
                    }
                    Ok(grant) => {
                        counts = after;
                        let mut class = Vec::new();
                        if general {
                            class.push("general");
                            if new_general {
                                rows.push((tenant.clone(), s.clone(), false));
                            }
                        }
                        if sensitive {
                            class.push("sensitive");
                            if new_sensitive {
                                rows.push((tenant.clone(), s.clone(), true));
                            }
                        }
                        let mut values: Vec<(FieldName, Token, Secret)> = Vec::new();
                        let rows_of = self.store.subject_values(tenant, s).map_err(store_err)?;
                        let wanted: Vec<_> =
                            rows_of.into_iter().filter(|r| fields.contains(&r.field)).collect();
                        if !wanted.is_empty() {
                            let key = self.subject_key(tenant, s, wrapped.as_ref())?;
                            for r in wanted {
                                let plain = crypto::open_transferred(&grant, &key, &r)
                                    .map_err(|e| a.unopened(tenant, &r, e))?;
                                let text = String::from_utf8(plain.to_vec()).map_err(|_| {
                                    CoreError::Integrity("sealed value is not UTF-8".into())
                                })?;
                                values.push((r.field, r.token, Secret::new(Zeroizing::new(text))));
                            }
                        }
                        // Undeclared PI a free text held was sealed apart, its token left in the
                        // text: those pieces stay (the text leaves with the tokens in place).
                        let pieces: HashSet<Token> = values
                            .iter()
                            .filter(|(f, t, _)| {
                                values.iter().any(|(g, u, text)| {
                                    g == f && u != t && text.expose().contains(t.as_str())
                                })
                            })
                            .map(|(_, t, _)| t.clone())
                            .collect();
                        let values: Vec<(FieldName, Secret)> = values
                            .into_iter()
                            .filter(|(_, t, _)| !pieces.contains(t))
                            .map(|(f, _, v)| (f, v))
                            .collect();
                        e = a.entry(EntryKind::Transfer, LedgerDecision::Allow);
                        e.reason = basis.and_then(|b| Id::new(b.kind.as_str()).ok());
                        e.tokens = tags(&class, basis);
                        if rcpt.is_some_and(|r| r.cell.is_some()) {
                            // The entry commits to exactly the values that leave.
                            let mut nonce = [0u8; 32];
                            crypto::random_bytes(&mut nonce)?;
                            let pairs: Vec<(&str, &str)> =
                                values.iter().map(|(f, v)| (f.as_str(), v.expose())).collect();
                            let c = transfers::payload_commitment(&nonce, &pairs);
                            e.tokens.extend(Id::new(&format!("payload:{c}")).ok());
                            // What the receiving cell registers the subject as.
                            e.tokens.extend(
                                Id::new(&format!("role:{}", manifest.role_of(&info).id)).ok(),
                            );
                            if info.minor {
                                e.tokens.extend(Id::new("minor").ok());
                            }
                            deliveries.push((out.allowed.len(), entries.len(), nonce));
                        }
                        out.allowed.push(TransferredSubject {
                            subject: s.clone(),
                            values,
                            delivery: None,
                        });
                    }
                }
                e.destination = Id::new(recipient).ok().filter(|_| rcpt.is_some());
                e.fields = fields
                    .iter()
                    .filter(|f| manifest.field(f).is_some())
                    .map(FieldName::ledger)
                    .collect();
                entries.push(e);
            }
            let change = if rows.is_empty() {
                Change::Record
            } else {
                Change::Transfer {
                    organisation: org.clone(),
                    year,
                    rows,
                }
            };
            let committed = entries.clone();
            let leaves = a.commit(change, entries)?;
            if let Some(last) = leaves.last()
                && !deliveries.is_empty()
            {
                // One checkpoint holding every entry of the call, a proof for each.
                let size = last.get() + 1;
                let checkpoint = self.checkpoint_at(size)?;
                for (at, k, nonce) in deliveries {
                    let (Some(leaf), Some(entry), Some(t)) =
                        (leaves.get(k), committed.get(k), out.allowed.get_mut(at))
                    else {
                        return Err(CoreError::Integrity("a transfer entry went missing".into()));
                    };
                    t.delivery = Some(Delivery {
                        receipt: super::Receipt {
                            index: leaf.get(),
                            entry: entry.clone(),
                            checkpoint: checkpoint.clone(),
                            proof: self.inclusion_proof(leaf.get(), size)?,
                        },
                        nonce,
                    });
                }
            }
            out.counts = counts;
            if let Some(b) = basis {
                out.warnings = approaching(b.kind, counts)
                    .into_iter()
                    .map(|(what, n, limit)| {
                        format!(
                            "{n} individuals' {what} PI exported this year: past 80% of the {limit} at which basis `{}` ({}) no longer holds",
                            b.id,
                            b.kind.as_str()
                        )
                    })
                    .collect();
            }
            Ok(out)
        })
    }
}
