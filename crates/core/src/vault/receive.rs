//! Receiving a transfer from another cell (CN → EU for a traveller): the values come with the
//! receipt of the sending cell's `transfer` entry, which this cell verifies against the
//! sending cell's ledger key before it stores anything — signed checkpoint, inclusion proof, an
//! allowed transfer to this cell for this tenant, and the entry's commitment to exactly these
//! values. Each entry is received once. The subject is registered here and the values collected
//! under this cell's own rules (its manifest, its orders), recorded as one `receive` entry with
//! the provenance: the sending ledger's origin, the entry's index, the signing key.
//!
//! What the operator cannot do through this path: store values no sending gate let out (no
//! receipt), swap the values under a real receipt (the commitment), or receive one transfer
//! twice. Values copied into this cell's store some other way carry no `receive` entry: the
//! regulator matches the receiving cell's `receive` entries with the sending cell's transfers.

use custodian_ledger::{
    Checkpoint, Decision as LedgerDecision, Entry, EntryKind, Id, ProofFile, Verifier, note, proofs,
};

use zeroize::Zeroizing;

use super::act::Act;
use super::values::seal_grants;
use super::{Vault, store_err, subject_key_aad};
use crate::access::{ServiceScope, TenantScoped};
use crate::crypto::DataKey;
use crate::decision::{self, CollectRequest, Reason, ReasonCode, RegisterRequest};
use crate::error::CoreError;
use crate::ids::{FieldName, Jurisdiction, PurposeId, SubjectId, SubjectRole, TenantId};
use crate::store::{Arrived, Change, StoreError};
use crate::subject::SubjectInfo;
use crate::tokens;

/// Another cell this one receives transfers from: its jurisdiction and its ledger's key.
#[derive(Clone, Debug)]
pub struct Peer {
    /// The cell's jurisdiction (what its recipients' `cell` and its transfer entries name).
    pub cell: Jurisdiction,
    /// Its ledger's verifier key.
    pub key: Verifier,
}

/// Values arriving from another cell with their receipt.
#[derive(Debug)]
pub struct Arrival {
    /// The sending cell's jurisdiction.
    pub from: Jurisdiction,
    /// The subject's id there (what the transfer entry names).
    pub subject: SubjectId,
    /// Its signed checkpoint.
    pub checkpoint: String,
    /// The inclusion proof of its `transfer` entry, with the entry.
    pub inclusion: ProofFile,
    /// The nonce of the entry's payload commitment.
    pub nonce: [u8; 32],
    /// The values.
    pub values: Vec<(FieldName, Zeroizing<String>)>,
}

/// What was received.
#[derive(Debug)]
pub struct Received {
    /// The subject registered here.
    pub subject: SubjectId,
    /// The values' tokens here.
    pub values: Vec<super::Collected>,
    /// The sending ledger's origin.
    pub origin: String,
    /// The index of the transfer entry there.
    pub index: u64,
}

/// A receipt that checked out.
struct Verified {
    origin: String,
    index: u64,
    entry: Entry,
    signer: String,
    /// The entry's leaf hash (hex): what makes it received once.
    leaf: String,
    /// The checkpoint's size and root (hex), for the provenance.
    tree: String,
    /// The entry's purpose.
    purpose: PurposeId,
}

fn invalid(message: String) -> Reason {
    Reason {
        code: ReasonCode::ReceiptInvalid,
        message,
        order: None,
    }
}

/// Checks an arrival's receipt against the sending cell's key (nothing here is trusted before
/// this: the checkpoint, the proof, the entry and the values all come from the caller).
fn verify(
    peers: &[Peer],
    own: &Jurisdiction,
    tenant: &TenantId,
    a: &Arrival,
) -> Result<Verified, String> {
    let peer = peers.iter().find(|p| p.cell == a.from).ok_or_else(|| {
        format!(
            "this cell trusts no ledger key of cell `{}` (the `[cells]` directory names it with `key`)",
            a.from
        )
    })?;
    let n = note::open(&a.checkpoint, std::slice::from_ref(&peer.key)).map_err(|e| {
        format!(
            "the checkpoint is not signed by cell `{}`'s ledger key: {e}",
            a.from
        )
    })?;
    let cp = Checkpoint::parse(&n.text).map_err(|e| format!("the checkpoint: {e}"))?;
    let ProofFile::Inclusion {
        index,
        tree_size,
        entry,
        leaf_hash,
        proof,
    } = &a.inclusion
    else {
        return Err("`inclusion` is not an inclusion proof".into());
    };
    if entry.is_none() {
        return Err("the inclusion proof does not carry its entry".into());
    }
    let claim = proofs::inclusion_claim(
        *index,
        *tree_size,
        entry.as_deref(),
        leaf_hash.as_deref(),
        proof,
    )
    .map_err(|e| format!("the inclusion proof: {e}"))?;
    if i64::try_from(*tree_size).is_err() {
        return Err("the proof is for a ledger larger than any".into());
    }
    if claim.proof.size != cp.size {
        return Err(format!(
            "the proof is for a ledger of {tree_size} entries, the checkpoint for {}",
            cp.size.get()
        ));
    }
    claim
        .verify(&cp.root)
        .map_err(|e| format!("the entry is not in the signed ledger: {e}"))?;
    let Some(entry) = claim.entry else {
        return Err("the inclusion proof does not carry its entry".into());
    };
    if entry.kind != EntryKind::Transfer || entry.decision != LedgerDecision::Allow {
        return Err("the entry is not an allowed transfer".into());
    }
    let has = |t: &str| entry.tokens.iter().any(|x| x.as_str() == t);
    if !has(&format!("cell:{own}")) {
        return Err(format!("the transfer is not to cell `{own}`"));
    }
    if entry.tenant.as_ref() != Some(&tenant.ledger()) {
        return Err("the transfer is another tenant's".into());
    }
    if entry.subject.as_ref() != Some(&a.subject.ledger()) {
        return Err(format!("the transfer entry is not subject {}'s", a.subject));
    }
    let pairs: Vec<(&str, &str)> = a
        .values
        .iter()
        .map(|(f, v)| (f.as_str(), v.as_str()))
        .collect();
    if let Some((f, _)) = a
        .values
        .iter()
        .find(|(f, _)| !entry.fields.contains(&f.ledger()))
    {
        return Err(format!("field `{f}` is not one the transfer names"));
    }
    let commitment = crate::transfers::payload_commitment(&a.nonce, &pairs);
    if !has(&format!("payload:{commitment}")) {
        return Err("the values are not the ones the transfer entry commits to".into());
    }
    let purpose = entry
        .purpose
        .as_ref()
        .and_then(|p| PurposeId::parse(p.as_str()).ok())
        .ok_or("the transfer entry names no purpose")?;
    Ok(Verified {
        origin: cp.origin,
        index: *index,
        signer: peer.key.key_id(),
        leaf: claim.leaf.to_hex(),
        tree: format!("{}:{}", cp.size.get(), cp.root.to_hex()),
        purpose,
        entry,
    })
}

impl Vault {
    /// Receives values another cell's gate let out to this cell (see the module docs). The
    /// service receives for its own tenant (the same tenant id in both cells). Refusals are
    /// recorded as `receive` entries: `receipt_invalid`, `already_received`, or this cell's own
    /// registration and collection rules.
    pub fn receive(&self, scope: &ServiceScope, arrival: &Arrival) -> Result<Received, CoreError> {
        let tenant = scope.tenant();
        let checked = verify(&self.cfg.peers, &self.cfg.jurisdiction, tenant, arrival);
        self.act(|a| {
            let ts = a.tenant(tenant)?;
            let m = &ts.manifest;
            a.set_tenant(tenant);
            a.set_service(m, Some(scope.service()));
            let from = format!("from_cell:{}", arrival.from);
            let refuse_invalid = |a: &Act<'_>, why: String| {
                a.refuse(EntryKind::Receive, vec![invalid(why)], |e| {
                    e.tokens = Id::new(&from).ok().into_iter().collect();
                })
            };
            let v = match &checked {
                Ok(v) => v,
                Err(why) => return refuse_invalid(a, why.clone()),
            };
            // The transfer was made by the organisation this tenant belongs to here.
            if !v
                .entry
                .tokens
                .iter()
                .any(|t| t.as_str() == format!("org:{}", m.organisation))
            {
                return refuse_invalid(
                    a,
                    format!(
                        "the transfer is another organisation's: tenant `{tenant}` here belongs to {}",
                        m.organisation
                    ),
                );
            }
            // The provenance, whole or not at all.
            let mut wanted = vec![
                from.clone(),
                format!("from:{}", v.origin),
                format!("entry:{}", v.index),
                format!("leaf:{}", v.leaf),
                format!("tree:{}", v.tree),
                format!("signer:{}", v.signer),
            ];
            wanted.extend(
                v.entry
                    .subject
                    .as_ref()
                    .map(|s| format!("from_subject:{s}")),
            );
            wanted.extend(
                v.entry
                    .tokens
                    .iter()
                    .find(|t| t.as_str().starts_with("payload:"))
                    .map(|t| t.as_str().to_string()),
            );
            let provenance: Vec<Id> = match wanted.iter().map(|t| Id::new(t)).collect() {
                Ok(p) => p,
                Err(_) => {
                    return refuse_invalid(
                        a,
                        "the sending ledger's origin or signer cannot be recorded as provenance"
                            .into(),
                    );
                }
            };
            if let Some((_, s)) = self.store.received(&v.leaf).map_err(store_err)? {
                let reason = Reason {
                    code: ReasonCode::AlreadyReceived,
                    message: format!(
                        "entry {} of `{}` was already received (as subject {s})",
                        v.index, v.origin
                    ),
                    order: None,
                };
                return a.refuse(EntryKind::Receive, vec![reason], |e| {
                    e.tokens.clone_from(&provenance);
                });
            }
            let purpose = &v.purpose;
            a.set_purpose(m, purpose);
            // Registered as the sending cell registered them: their role, and under 14 or not.
            let role = v
                .entry
                .tokens
                .iter()
                .find_map(|t| t.as_str().strip_prefix("role:"))
                .and_then(|r| SubjectRole::parse(r).ok());
            let minor = v.entry.tokens.iter().any(|t| t.as_str() == "minor");
            let facts = a.facts(tenant, &ts);
            let grant = decision::decide_register(
                &facts,
                &RegisterRequest {
                    jurisdiction: &self.cfg.jurisdiction,
                    role: role.as_ref(),
                },
            );
            let role = match grant.into_result() {
                Ok(g) => g.role().clone(),
                Err(reasons) => {
                    return a.refuse(EntryKind::Receive, reasons, |e| {
                        e.tokens.clone_from(&provenance);
                    });
                }
            };
            let subject =
                tokens::new_subject_id(a.now())?;
            let info = SubjectInfo {
                id: subject.clone(),
                tenant: tenant.clone(),
                jurisdiction: self.cfg.jurisdiction.clone(),
                role: Some(role),
                minor,
                registered_at: a.now(),
                erased: false,
                legal_hold: None,
                version: 0,
            };
            a.set_subject(&subject);
            let facts = a.facts(tenant, &ts).about(&info, &[]);
            let mut grants = Vec::new();
            let mut denied = Vec::new();
            for (field, value) in &arrival.values {
                let req = CollectRequest {
                    service: scope.service(),
                    purpose,
                    field,
                    value: value.as_str(),
                };
                match decision::decide_collect(&facts, &self.detector, &req).into_result() {
                    Ok(g) => grants.push((g, value.as_str())),
                    Err(r) => denied.extend(r),
                }
            }
            let mut fields: Vec<Id> = arrival
                .values
                .iter()
                .filter_map(|(f, _)| m.field(f).map(|d| d.name.ledger()))
                .collect();
            fields.sort();
            fields.dedup();
            if !denied.is_empty() {
                return a.refuse(EntryKind::Receive, denied, |e| {
                    // No subject was registered.
                    e.subject = None;
                    e.tokens.clone_from(&provenance);
                    e.fields.clone_from(&fields);
                });
            }
            let key = DataKey::generate()?;
            let wrapped_key = self.wrap_new_key(&key, &subject_key_aad(tenant, &subject))?;
            for _attempt in 0..5 {
                let (records, out) = seal_grants(&ts, &grants, &key, a.now())?;
                let mut e = a.entry(EntryKind::Receive, LedgerDecision::Allow);
                e.fields.clone_from(&fields);
                e.tokens = records.iter().map(|r| r.token.ledger()).collect();
                e.tokens.extend(provenance.iter().cloned());
                let change = Change::Receive(Box::new(Arrived {
                    subject: info.clone(),
                    wrapped_key: wrapped_key.clone(),
                    values: records,
                    origin: v.origin.clone(),
                    index: v.index,
                    leaf: v.leaf.clone(),
                }));
                match a.commit_store(change, vec![e]) {
                    Ok(_) => {
                        return Ok(Received {
                            subject: subject.clone(),
                            values: out,
                            origin: v.origin.clone(),
                            index: v.index,
                        });
                    }
                    Err(StoreError::TokenConflict) => continue,
                    Err(other) => return Err(store_err(other)),
                }
            }
            Err(CoreError::Store(
                "could not draw unique tokens after 5 attempts".into(),
            ))
        })
    }

    /// Records an arrival refused before its receipt could be read (malformed): a `receive`
    /// entry refused with `receipt_invalid`, naming the sending cell. `why` must name no value.
    pub fn refuse_arrival(
        &self,
        scope: &ServiceScope,
        from: &Jurisdiction,
        why: &str,
    ) -> Result<(), CoreError> {
        let tenant = scope.tenant();
        let r = self.act(|a| {
            let ts = a.tenant(tenant)?;
            a.set_tenant(tenant);
            a.set_service(&ts.manifest, Some(scope.service()));
            a.refuse::<()>(EntryKind::Receive, vec![invalid(why.to_string())], |e| {
                e.tokens = Id::new(&format!("from_cell:{from}"))
                    .ok()
                    .into_iter()
                    .collect();
            })
        });
        match r {
            Err(CoreError::Denied(_)) | Ok(()) => Ok(()),
            Err(other) => Err(other),
        }
    }
}
