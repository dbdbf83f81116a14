//! The compliance report of a tenant: where the platform stands, for its DPO and the
//! regulator. Every figure about subjects, consents, transfers and requests is computed from
//! the ledger's entries up to a size, and the report carries the cell's signed checkpoint at
//! that size, so anyone holding the entries recomputes it and checks them against the
//! checkpoint; what the ledger cannot say (orders' status now, requests past their deadline,
//! the manifest) comes from the cell's state and says so.

use std::collections::{BTreeMap, BTreeSet};

use custodian_ledger::{Decision as LedgerDecision, EntryKind};
use serde::Serialize;

use super::Vault;
use crate::access::Scope;
use crate::erasure::{self, EpochEvent};
use crate::error::CoreError;
use crate::ids::{Epoch, TenantId};
use crate::keyring::LEGACY_EPOCH;
use crate::orders::OrderKind;

/// Entries read per batch.
const BATCH: u64 = 10_000;

/// Individuals from which a DPO must be appointed and reported (PIPL Art. 52).
pub const DPO_FROM: u64 = 1_000_000;
/// Individuals above which a compliance audit is due at least every two years (Art. 54).
pub const AUDIT_EVERY_TWO_YEARS_ABOVE: u64 = 10_000_000;

/// The report (JSON; rendered as HTML by the API).
#[derive(Clone, Debug, Serialize)]
pub struct ComplianceReport {
    /// The tenant.
    pub tenant: String,
    /// Its organisation.
    pub organisation: String,
    /// Its app type and whether self-declared.
    pub app_type: String,
    /// Whether the app type is self-declared.
    pub self_declared: bool,
    /// When computed (ms since the epoch).
    pub computed_at: i64,
    /// The ledger size the figures are computed at, and the cell's signed checkpoint there.
    pub ledger_size: u64,
    /// The signed checkpoint (C2SP signed note).
    pub checkpoint: String,
    /// What is collected and why.
    pub inventory: Inventory,
    /// Subjects (from the ledger).
    pub subjects: SubjectFigures,
    /// Per purpose on consent: subjects with it now among live subjects (from the ledger).
    pub consent_coverage: Vec<Coverage>,
    /// Orders naming the tenant or its organisation.
    pub orders: Vec<OrderLine>,
    /// The person's requests.
    pub requests: RequestFigures,
    /// Transfers abroad (from the ledger) and the year's counts against the thresholds.
    pub transfers: TransferFigures,
    /// PIPL Art. 55: when a PIA is required beforehand.
    pub pia_triggers: Vec<Obligation>,
    /// Obligations that come with scale (Arts. 52, 54).
    pub scale: Vec<Obligation>,
    /// The July 2022 decision against the ride-hailing platform, fact by fact.
    pub didi_checklist: Vec<crate::checklist::Item>,
}

/// The manifest's declarations.
#[derive(Clone, Debug, Serialize)]
pub struct Inventory {
    /// Fields.
    pub fields: Vec<FieldLine>,
    /// Purposes with their lawful bases.
    pub purposes: Vec<PurposeLine>,
    /// Recipients abroad.
    pub recipients: Vec<String>,
}

/// A declared field.
#[derive(Clone, Debug, Serialize)]
pub struct FieldLine {
    /// Name.
    pub name: String,
    /// PI type.
    pub pi_type: String,
    /// Sensitive.
    pub sensitive: bool,
    /// Its sensitive category, if its type has one by default.
    pub category: Option<String>,
    /// Purposes.
    pub purposes: Vec<String>,
    /// The necessary-PI item it is (`None`: beyond the necessary scope).
    pub necessary: Option<String>,
    /// Days kept (0: until erased).
    pub retention_days: u32,
}

impl FieldLine {
    /// A manifest's field as the report (and the manifest check) shows it.
    pub fn of(f: &crate::manifest::Field) -> FieldLine {
        FieldLine {
            name: f.name.to_string(),
            pi_type: f.ty.name().to_string(),
            sensitive: f.sensitive,
            category: f.ty.sensitive().map(|c| format!("{c:?}")),
            purposes: f.purposes.iter().map(ToString::to_string).collect(),
            necessary: f.necessary.clone(),
            retention_days: f.retention_days,
        }
    }
}

/// A declared purpose.
#[derive(Clone, Debug, Serialize)]
pub struct PurposeLine {
    /// Id.
    pub id: String,
    /// Lawful basis (PIPL Art. 13).
    pub lawful_basis: &'static str,
}

/// Subjects.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SubjectFigures {
    /// Registered (or received from another cell).
    pub registered: u64,
    /// Erased.
    pub erased: u64,
    /// Erasures not final yet: the epoch in force at each is not destroyed, so a copy of the
    /// store taken before it (a backup) still opens the subject's values with the key holder.
    pub erasures_pending: u64,
    /// When the oldest of them was recorded (ms since the epoch).
    pub oldest_pending_erasure: Option<i64>,
    /// Live: registered and not erased.
    pub live: u64,
    /// Live subjects with a guardian's consent on file (children under 14).
    pub minors: u64,
    /// Live subjects with a value of a sensitive field collected.
    pub with_sensitive: u64,
}

/// Consent for a purpose.
#[derive(Clone, Debug, Serialize)]
pub struct Coverage {
    /// Purpose.
    pub purpose: String,
    /// Live subjects with the consent now.
    pub consenting: u64,
    /// Live subjects.
    pub of: u64,
}

/// An order.
#[derive(Clone, Debug, Serialize)]
pub struct OrderLine {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: &'static str,
    /// Status now.
    pub status: &'static str,
    /// For a rectification: its deadline (ms) and items.
    pub deadline: Option<i64>,
    /// What to rectify.
    pub items: Vec<String>,
}

/// Requests.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RequestFigures {
    /// Received (from the ledger).
    pub received: u64,
    /// Answered (from the ledger).
    pub answered: u64,
    /// Open past their deadline now.
    pub overdue: u64,
}

/// Transfers.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TransferFigures {
    /// Subject transfers allowed (from the ledger).
    pub allowed: u64,
    /// Refused.
    pub refused: u64,
    /// The calendar year of the counts.
    pub year: i32,
    /// Individuals with non-sensitive PI exported by the organisation this year.
    pub general: u64,
    /// Individuals with sensitive PI exported.
    pub sensitive: u64,
    /// Non-sensitive PI from this many individuals needs a standard contract or certification.
    pub general_needs_contract_from: u64,
    /// ... a security assessment.
    pub general_needs_assessment_from: u64,
    /// Sensitive PI from this many individuals needs a security assessment.
    pub sensitive_needs_assessment_from: u64,
}

/// An obligation and whether it applies.
#[derive(Clone, Debug, Serialize)]
pub struct Obligation {
    /// What.
    pub obligation: &'static str,
    /// Where it comes from.
    pub source: &'static str,
    /// `applies`, `does_not_apply`, or `not_covered` (the cell does not know).
    pub status: &'static str,
    /// Why, from the figures or the manifest.
    pub evidence: String,
}

impl Vault {
    /// The compliance report of `tenant` for a caller whose scope covers it.
    pub fn compliance_report(
        &self,
        scope: &Scope,
        tenant: &TenantId,
    ) -> Result<ComplianceReport, CoreError> {
        if !scope.covers(tenant) {
            return Err(CoreError::NotFound(format!("tenant `{tenant}` not found")));
        }
        let m = self.manifest(tenant)?;
        let size = self.ledger_size();
        let checkpoint = self.checkpoint_at(size)?;
        let t = tenant.ledger();
        let sensitive_fields: BTreeSet<String> = m
            .fields
            .iter()
            .filter(|f| f.sensitive)
            .map(|f| f.name.to_string())
            .collect();
        let mut registered = BTreeSet::new();
        let mut erased = BTreeSet::new();
        // Erasures by the rule of `erasure::check_final`: the times of those no epoch has begun
        // after yet, and of those waiting for an epoch's destruction (the one before the first
        // begun after them).
        let mut unbegun: Vec<i64> = Vec::new();
        let mut awaiting: BTreeMap<Epoch, Vec<i64>> = BTreeMap::new();
        // Those final by their epochs, pending still in a cell that held subjects before its
        // first epoch (keys wrapped by the KEK itself) until its KEK is rotated.
        let mut by_epochs: Vec<(i64, Epoch)> = Vec::new();
        let (mut epochs_begun, mut legacy, mut kek_rotated) = (false, false, false);
        let mut guardian = BTreeSet::new();
        let mut sensitive = BTreeSet::new();
        let mut consents: BTreeSet<(String, String)> = BTreeSet::new();
        let (mut requests, mut transfers) = (RequestFigures::default(), TransferFigures::default());
        let mut from = 0;
        while from < size {
            let to = (from + BATCH).min(size);
            for (_, e) in self.ledger_entries(from, to)? {
                // The cell's epochs (entries of no tenant): which was in force, which are gone.
                if !epochs_begun && matches!(e.kind, EntryKind::Register | EntryKind::Receive) {
                    legacy = true;
                }
                kek_rotated |= erasure::rotates_the_kek(&e);
                match erasure::epoch_event(&e) {
                    Some(EpochEvent::Created(n)) => {
                        epochs_begun = true;
                        let waiting = std::mem::take(&mut unbegun);
                        awaiting
                            .entry(n.saturating_sub(1))
                            .or_default()
                            .extend(waiting);
                    }
                    Some(EpochEvent::Destroyed(n)) => {
                        by_epochs.extend(
                            awaiting
                                .remove(&n)
                                .unwrap_or_default()
                                .into_iter()
                                .map(|at| (at, n)),
                        );
                    }
                    None => {}
                }
                if e.tenant.as_ref() != Some(&t) {
                    continue;
                }
                let subject = e.subject.as_ref().map(|s| s.as_str().to_string());
                let reason = e.reason.as_ref().map(|r| r.as_str());
                let allowed = e.decision == LedgerDecision::Allow;
                match (e.kind, subject) {
                    (EntryKind::Register | EntryKind::Receive, Some(s)) if allowed => {
                        registered.insert(s);
                    }
                    // A subject's key destroyed (`erasure::erases_a_subject`); a retention
                    // sweep, and a restore's deletion of values re-keyed since its backup,
                    // drop values only.
                    (EntryKind::Erase, Some(s))
                        if erasure::erases_a_subject(&e) && !erased.contains(&s) =>
                    {
                        erased.insert(s);
                        unbegun.push(e.time_ms);
                    }
                    (EntryKind::ConsentGrant, Some(s)) if allowed => {
                        if let Some(p) = &e.purpose {
                            consents.insert((s.clone(), p.as_str().to_string()));
                        }
                        if reason.is_some_and(|r| r.ends_with("by_guardian")) {
                            guardian.insert(s);
                        }
                    }
                    (EntryKind::ConsentWithdraw, Some(s)) if allowed => {
                        if let Some(p) = &e.purpose {
                            consents.remove(&(s, p.as_str().to_string()));
                        }
                    }
                    (EntryKind::Collect, Some(s))
                        if allowed
                            && e.fields
                                .iter()
                                .any(|f| sensitive_fields.contains(f.as_str())) =>
                    {
                        sensitive.insert(s);
                    }
                    (EntryKind::Transfer, Some(_)) => match e.decision {
                        LedgerDecision::Allow => transfers.allowed += 1,
                        LedgerDecision::Deny => transfers.refused += 1,
                        LedgerDecision::None => {}
                    },
                    (EntryKind::ConfigChange, _) => match reason {
                        Some("request_received") => requests.received += 1,
                        Some("request_completed" | "request_refused") => requests.answered += 1,
                        _ => {}
                    },
                    _ => {}
                }
            }
            from = to;
        }
        // Final by the ledger, but pending as the cell answers while the holder still has the
        // epoch or an earlier one (its destruction after the store's retirement failed), or in
        // a cell from before epochs whose KEK has not been rotated.
        let held = self.keys.held_epochs()?;
        let legacy_open = legacy && !kek_rotated;
        by_epochs
            .retain(|(_, n)| legacy_open || held.iter().any(|&h| h != LEGACY_EPOCH && h <= *n));
        let pending: Vec<i64> = unbegun
            .into_iter()
            .chain(awaiting.into_values().flatten())
            .chain(by_epochs.into_iter().map(|(at, _)| at))
            .collect();
        let live: BTreeSet<&String> = registered.difference(&erased).collect();
        let count = |set: &BTreeSet<String>| set.iter().filter(|s| live.contains(s)).count() as u64;
        let subjects = SubjectFigures {
            registered: registered.len() as u64,
            erased: erased.len() as u64,
            erasures_pending: pending.len() as u64,
            oldest_pending_erasure: pending.iter().min().copied(),
            live: live.len() as u64,
            minors: count(&guardian),
            with_sensitive: count(&sensitive),
        };
        let consent_coverage = m
            .purposes
            .iter()
            .filter(|p| p.basis.needs_consent())
            .map(|p| Coverage {
                purpose: p.id.to_string(),
                consenting: consents
                    .iter()
                    .filter(|(s, q)| q == p.id.as_str() && live.contains(s))
                    .count() as u64,
                of: subjects.live,
            })
            .collect();
        let orders = self
            .list_orders(&Scope::Dpo(crate::access::DpoScope::new(tenant.clone())))
            .into_iter()
            .map(|o| {
                let (deadline, items) = match &o.order.kind {
                    OrderKind::Rectify { items, deadline } => (Some(*deadline), items.clone()),
                    _ => (None, Vec::new()),
                };
                OrderLine {
                    id: o.order.id.clone(),
                    kind: o.order.kind.name(),
                    status: o.status.as_str(),
                    deadline,
                    items,
                }
            })
            .collect::<Vec<_>>();
        requests.overdue = self
            .requests(
                &Scope::Dpo(crate::access::DpoScope::new(tenant.clone())),
                true,
            )?
            .len() as u64;
        let org = super::organisation_of(self, tenant)?;
        let (year, c) = self.transfer_counts(&org, self.now())?;
        transfers.year = year;
        transfers.general = c.general;
        transfers.sensitive = c.sensitive;
        transfers.general_needs_contract_from = crate::transfers::GENERAL_CONTRACT_FROM;
        transfers.general_needs_assessment_from = crate::transfers::GENERAL_ASSESSMENT_FROM;
        transfers.sensitive_needs_assessment_from = crate::transfers::SENSITIVE_ASSESSMENT_FROM;
        let has_sensitive = !sensitive_fields.is_empty();
        let yes = |b: bool| if b { "applies" } else { "does_not_apply" };
        let pia_triggers = vec![
            Obligation {
                obligation: "PIA before processing sensitive PI",
                source: "PIPL Art. 55(1)",
                status: yes(has_sensitive),
                evidence: format!(
                    "sensitive fields declared: {}",
                    if has_sensitive {
                        sensitive_fields
                            .iter()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    } else {
                        "none".into()
                    }
                ),
            },
            Obligation {
                obligation: "PIA before providing PI abroad",
                source: "PIPL Art. 55(4)",
                status: yes(!m.recipients.is_empty() || transfers.allowed > 0),
                evidence: format!(
                    "{} recipient(s) abroad declared; {} subject transfer(s) allowed in the ledger",
                    m.recipients.len(),
                    transfers.allowed
                ),
            },
            Obligation {
                obligation: "PIA before automated decision-making",
                source: "PIPL Art. 55(2)",
                status: "not_covered",
                evidence: "manifests do not declare automated decisions".into(),
            },
            Obligation {
                obligation: "PIA before entrusting PI or providing it to another processor in China",
                source: "PIPL Art. 55(3)",
                status: "not_covered",
                evidence: "manifests declare recipients abroad only".into(),
            },
        ];
        let scale = vec![
            Obligation {
                obligation: "appoint a DPO and report them to the CAC",
                source: "PIPL Art. 52; 2025 CAC notice (1,000,000 individuals)",
                status: yes(subjects.live >= DPO_FROM),
                evidence: format!(
                    "{} live subjects in this tenant (the organisation counts all its apps)",
                    subjects.live
                ),
            },
            Obligation {
                obligation: "compliance audit at least every two years",
                source: "PIPL Art. 54; Compliance Audit Measures (above 10,000,000 individuals)",
                status: yes(subjects.live > AUDIT_EVERY_TWO_YEARS_ABOVE),
                evidence: format!("{} live subjects", subjects.live),
            },
            Obligation {
                obligation: "yearly audit of minors' PI, reported to the CAC",
                source: "Minors' Online Protection Regulations Art. 37",
                status: yes(subjects.minors > 0),
                evidence: format!(
                    "{} live subjects with a guardian's consent",
                    subjects.minors
                ),
            },
        ];
        let inventory = Inventory {
            fields: m.fields.iter().map(FieldLine::of).collect(),
            purposes: m
                .purposes
                .iter()
                .map(|p| PurposeLine {
                    id: p.id.to_string(),
                    lawful_basis: p.basis.name(),
                })
                .collect(),
            recipients: m.recipients.iter().map(|r| r.id.clone()).collect(),
        };
        let didi_checklist = crate::checklist::didi(&m);
        Ok(ComplianceReport {
            tenant: tenant.to_string(),
            organisation: m.organisation.to_string(),
            app_type: m.app_type.id().to_string(),
            self_declared: m.app_type.is_self_declared(),
            computed_at: self.now(),
            ledger_size: size,
            checkpoint,
            inventory,
            subjects,
            consent_coverage,
            orders,
            requests,
            transfers,
            pia_triggers,
            scale,
            didi_checklist,
        })
    }
}
