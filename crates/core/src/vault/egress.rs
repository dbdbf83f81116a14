//! The exact-data-match egress check: a payload the platform is about to send anywhere is
//! scanned for PI, each candidate normalised and looked up in the tenant's blind indexes, and
//! the stored subjects' values it carries are named — with whether a transfer to the
//! recipient covers them. It catches stored values leaving under renamed fields, in free text,
//! or in a format nobody declared.

use std::collections::{HashMap, HashSet};

use custodian_detect::Finding;
use custodian_ledger::{Decision as LedgerDecision, Entry, EntryKind, Id};
use zeroize::Zeroizing;

use super::{Vault, store_err};
use crate::access::{ServiceScope, TenantScoped};
use crate::catalog::FieldType;
use crate::error::CoreError;
use crate::ids::{FieldName, SubjectId, Token};
use crate::tokens;
use crate::value::normalise;

/// How a payload is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayloadFormat {
    /// Any text (CSV included): scanned as it is.
    Text,
    /// One JSON document: its strings scanned one by one, each with its key as context
    /// (escapes decoded, so `\u0031…` hides nothing).
    Json,
    /// JSON documents, one per line.
    Ndjson,
}

/// A stored value found in a payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EgressMatch {
    /// The field it is stored under.
    pub field: FieldName,
    /// Its subject.
    pub subject: SubjectId,
    /// Its token.
    pub token: Token,
    /// Whether an allowed transfer of this subject's field to the recipient covers it.
    pub covered: bool,
}

/// What the check found.
#[derive(Clone, Debug, Default)]
pub struct EgressReport {
    /// Bytes scanned.
    pub bytes: usize,
    /// PI candidates the detection engine found.
    pub findings: usize,
    /// Stored values among them (each token once).
    pub matches: Vec<EgressMatch>,
    /// Whether the payload must not leave: a stored value no transfer covers.
    pub blocked: bool,
}

fn json_findings(
    v: &serde_json::Value,
    key: &str,
    det: &custodian_detect::Detector,
    out: &mut Vec<Finding>,
) {
    match v {
        serde_json::Value::String(s) => out.extend(det.scan_field(key, s.as_bytes())),
        serde_json::Value::Number(n) => out.extend(det.scan_field(key, n.to_string().as_bytes())),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_findings(x, key, det, out)),
        serde_json::Value::Object(m) => m.iter().for_each(|(k, x)| {
            // Keys too: a value may travel as a key.
            out.extend(det.scan_str(k));
            json_findings(x, k, det, out);
        }),
        _ => {}
    }
}

impl Vault {
    /// Checks a payload `scope`'s service is about to send to `recipient` (a declared
    /// recipient abroad, or `None`: anywhere, nothing covers). Recorded as one `transfer`
    /// entry (`egress_check`; deny when blocked) naming the matched tokens, never a value.
    pub fn egress_check(
        &self,
        scope: &ServiceScope,
        recipient: Option<&str>,
        format: PayloadFormat,
        payload: &[u8],
    ) -> Result<EgressReport, CoreError> {
        let tenant = scope.tenant();
        let ts = self.tenant(tenant)?;
        let m = &ts.manifest;
        if let Some(r) = recipient
            && m.recipient(r).is_none()
        {
            return Err(CoreError::invalid(
                "the manifest declares no recipient abroad by that id",
            ));
        }
        let mut findings = Vec::new();
        match format {
            PayloadFormat::Text => findings = self.detector.scan_bytes(payload),
            PayloadFormat::Json => {
                let v: serde_json::Value = serde_json::from_slice(payload).map_err(|e| {
                    CoreError::Invalid(format!(
                        "the payload is not JSON (line {}, column {})",
                        e.line(),
                        e.column()
                    ))
                })?;
                json_findings(&v, "", &self.detector, &mut findings);
            }
            PayloadFormat::Ndjson => {
                for (n, line) in payload.split(|&b| b == b'\n').enumerate() {
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let v: serde_json::Value = serde_json::from_slice(line).map_err(|e| {
                        CoreError::Invalid(format!(
                            "line {} is not JSON (column {})",
                            n + 1,
                            e.column()
                        ))
                    })?;
                    json_findings(&v, "", &self.detector, &mut findings);
                }
            }
        }
        // The blind-indexed fields, by detected type.
        let indexed: Vec<_> = m
            .fields
            .iter()
            .filter(|f| f.blind_index && matches!(f.ty, FieldType::Detected(_)))
            .collect();
        let mut report = EgressReport {
            bytes: payload.len(),
            findings: findings.len(),
            ..EgressReport::default()
        };
        // Every candidate's blind index under each field of its type, then the hits per field
        // in as few store reads as the store allows.
        let mut wanted: HashMap<&FieldName, HashSet<String>> = HashMap::new();
        let indexers: HashMap<&FieldName, tokens::BlindIndexer> = indexed
            .iter()
            .map(|f| (&f.name, tokens::BlindIndexer::new(&ts.key, f.name.as_str())))
            .collect();
        for f in &findings {
            for field in indexed
                .iter()
                .filter(|x| x.ty == FieldType::Detected(f.pi_type))
            {
                let Some(ix) = indexers.get(&field.name) else {
                    continue;
                };
                let norm = Zeroizing::new(normalise(field.ty, &f.value));
                let set = wanted.entry(&field.name).or_default();
                set.insert(ix.index(&norm));
                for earlier in crate::value::earlier_forms(field.ty, &f.value)
                    .into_iter()
                    .map(Zeroizing::new)
                {
                    set.insert(ix.index(&earlier));
                }
                // A landline stored with its country code (`+86 10 …`) is indexed as `8610…`;
                // the detector gives the national `010…`: look both up.
                if f.pi_type == custodian_detect::PiType::CnLandline
                    && let Some(rest) = norm.strip_prefix('0')
                {
                    let intl = Zeroizing::new(format!("86{rest}"));
                    set.insert(ix.index(&intl));
                }
            }
        }
        let mut uses: HashMap<SubjectId, Vec<Entry>> = HashMap::new();
        for field in &indexed {
            let Some(bixes) = wanted.get(&field.name) else {
                continue;
            };
            let bixes: Vec<String> = bixes.iter().cloned().collect();
            for (_, token) in self
                .store
                .blind_index_hits(tenant, &field.name, &bixes)
                .map_err(store_err)?
            {
                let Some(row) = self
                    .store
                    .value_by_token(tenant, &token)
                    .map_err(store_err)?
                else {
                    continue;
                };
                if !uses.contains_key(&row.subject) {
                    let entries = self
                        .store
                        .subject_entries(tenant, &row.subject)
                        .map_err(store_err)?
                        .into_iter()
                        .filter_map(|(_, b)| Entry::decode(&b).ok())
                        .filter(|e| {
                            e.kind == EntryKind::Transfer && e.decision == LedgerDecision::Allow
                        })
                        .collect();
                    uses.insert(row.subject.clone(), entries);
                }
                let covered = recipient.is_some_and(|r| {
                    uses[&row.subject].iter().any(|e| {
                        e.destination.as_ref().is_some_and(|d| d.as_str() == r)
                            && e.fields.iter().any(|x| x.as_str() == field.name.as_str())
                    })
                });
                report.matches.push(EgressMatch {
                    field: field.name.clone(),
                    subject: row.subject.clone(),
                    token,
                    covered,
                });
            }
        }
        let rcpt = recipient.and_then(|r| m.recipient(r));
        let bases = self.store.transfer_bases(tenant).map_err(store_err)?;
        self.act(|a| {
            // A past transfer covers a value only while it would still be allowed: the basis
            // in force, the consent standing, no order suspending transfers.
            for x in report.matches.iter_mut().filter(|x| x.covered) {
                let (ts, (info, _), consents) = a.subject(tenant, &x.subject)?;
                let now = a.now();
                let fields = std::slice::from_ref(&x.field);
                let basis = bases
                    .iter()
                    .filter(|b| rcpt.is_some_and(|r| b.recipient == r.id))
                    .filter(|b| b.in_force(now) && b.fields.contains(&x.field))
                    .min_by_key(|b| super::transfers::rank(b.kind));
                let facts = a.facts(tenant, &ts).about(&info, &consents);
                let req = crate::decision::TransferRequest {
                    service: scope.service(),
                    recipient: rcpt,
                    recipient_id: recipient.unwrap_or(""),
                    fields,
                    basis,
                    volume: Ok(()),
                };
                x.covered = crate::decision::decide_transfer(&facts, &req).is_allowed();
            }
            report.blocked = report.matches.iter().any(|x| !x.covered);
            a.set_tenant(tenant);
            a.set_service(m, Some(scope.service()));
            let decision = if report.blocked {
                LedgerDecision::Deny
            } else {
                LedgerDecision::Allow
            };
            let mut e = a.entry(EntryKind::Transfer, decision);
            e.subject = None;
            e.reason = Id::new("egress_check").ok();
            e.destination = recipient.and_then(|r| Id::new(r).ok());
            e.tokens = report
                .matches
                .iter()
                .filter(|x| !x.covered)
                .take(1_000)
                .map(|x| x.token.ledger())
                .collect();
            a.report_only();
            a.commit(crate::store::Change::Record, vec![e])?;
            Ok(())
        })?;
        Ok(report)
    }
}
