//! Transfers between two cells, each over a store of the backend: the sending gate's receipts,
//! and the receiving cell's refusals of everything a receipt does not vouch for.

use std::sync::Arc;

use custodian_core::ids::SubjectId;
use custodian_core::transfers::BasisKind;
use custodian_core::vault::{Arrival, Peer, TransferredSubject};
use custodian_ledger::{Decision as LedgerDecision, EntryKind, ProofFile};
use zeroize::Zeroizing;

use crate::*;

/// The job board's manifest in its EU cell.
pub const JOB_BOARD_EU: &str = include_str!("../../../examples/job_board_eu.toml");

fn eu() -> Jurisdiction {
    Jurisdiction::parse("EU").unwrap_or_else(|_| eu())
}

fn eu_vault(
    store: Arc<dyn Store>,
    keys: &Arc<dyn KeyHolder>,
    peers: Vec<Peer>,
) -> Result<Vault, String> {
    id(Vault::open(
        store,
        keys.clone(),
        id(Signer::from_seed("custodian.test/eu/ledger", &[44; 32]))?,
        VaultConfig {
            jurisdiction: eu(),
            origin: "custodian.test/eu/ledger".into(),
            regulator_keys: vec![],
            peers,
        },
    ))
}

/// What a delivery of `t` carries, as the sending gate gave it.
fn arrival(t: &TransferredSubject) -> Result<Arrival, String> {
    let d = t
        .delivery
        .as_ref()
        .ok_or("an allowed subject has no delivery")?;
    Ok(Arrival {
        from: cn(),
        subject: t.subject.clone(),
        checkpoint: d.receipt.checkpoint.clone(),
        inclusion: id(ProofFile::inclusion(&d.receipt.proof, &d.receipt.entry))?,
        nonce: d.nonce,
        values: t
            .values
            .iter()
            .map(|(f, v)| (f.clone(), Zeroizing::new(v.expose().to_string())))
            .collect(),
    })
}

fn code<T>(r: Result<T, CoreError>) -> String {
    match r {
        Ok(_) => "received".into(),
        Err(CoreError::Denied(reasons)) => reasons
            .first()
            .map_or("denied", |r| r.code.as_str())
            .to_string(),
        Err(other) => format!("error: {other}"),
    }
}

/// CN → EU: the gate answers each allowed subject with a receipt; the EU cell receives it once,
/// under its own manifest, with the provenance in its ledger; a changed value, another
/// subject's or tenant's receipt, a checkpoint signed by another key, an untrusted cell and a
/// replay are each refused, recorded, and register nothing.
pub fn transfers_between_cells(cn_open: &Opener, eu_open: &Opener) -> Check {
    let cn_v = vault(cn_open())?;
    let cn_key = test_signer().verifier();
    let trusted = vec![Peer {
        cell: cn(),
        key: cn_key.clone(),
    }];
    // The EU cell's own key holder, kept across its reopenings.
    let eu_keys: Arc<dyn KeyHolder> = Arc::new(MemoryKeys::new([9; 32]));
    let eu_v = eu_vault(eu_open(), &eu_keys, trusted.clone())?;
    let jobs = t("jobs")?;
    id(cn_v.load_manifest(&AdminScope::new(), &jobs, JOB_BOARD))?;
    id(eu_v.load_manifest(&AdminScope::new(), &jobs, JOB_BOARD_EU))?;
    id(eu_v.load_manifest(&AdminScope::new(), &t("freight")?, FREIGHT))?;
    let svc = scope(&jobs, &sv("matching-svc")?);
    let seeker = id(SubjectRole::parse("job_seeker"))?;
    let placement = p("eu_placement")?;
    let mut subjects: Vec<SubjectId> = Vec::new();
    for (i, consent) in [true, true, false].into_iter().enumerate() {
        let s = id(cn_v.register(&svc, &cn(), Some(&seeker), false))?;
        id(cn_v.collect(
            &svc,
            &s,
            &p("job_matching")?,
            &[(f("resume")?, &format!("第{i}份简历：仓储调度八年"))],
        ))?;
        if consent {
            id(cn_v.change_consent(
                &dpo(&jobs),
                &s,
                &placement,
                ConsentChange::Grant {
                    separate: true,
                    by_guardian: false,
                },
            ))?;
            id(cn_v.collect(
                &svc,
                &s,
                &placement,
                &[(f("email")?, &format!("seeker{i}@example.cn"))],
            ))?;
        }
        subjects.push(s);
    }
    id(cn_v.put_transfer_basis(
        &dpo(&jobs),
        custodian_core::transfers::TransferBasis {
            id: "scc-eu".into(),
            tenant: jobs.clone(),
            recipient: "jobs_eu_cell".into(),
            kind: BasisKind::StandardContract,
            reference: "SCC-EU-1".into(),
            valid_from: now() - 60_000,
            expires_at: None,
            fields: vec![f("resume")?, f("email")?],
            pia: Some(custodian_core::transfers::Pia {
                reference: "PIA-EU-1".into(),
                completed_at: now() - 60_000,
            }),
        },
    ))?;
    let o = id(cn_v.transfer(
        &svc,
        "jobs_eu_cell",
        None,
        &subjects,
        &[f("resume")?, f("email")?],
    ))?;
    ensure(
        o.cell == Some(eu())
            && o.allowed.len() == 2
            && o.allowed.iter().all(|a| a.delivery.is_some())
            && o.refused.len() == 1
            && o.refused[0].1[0].code == ReasonCode::TransferConsentMissing,
        "the gate lets the two consenting subjects out to the EU cell, each with a receipt",
    )?;
    let (a1, a2) = (&o.allowed[0], &o.allowed[1]);

    // Received once, under the EU cell's own manifest; the values are the ones that left.
    let r1 = id(eu_v.receive(&svc, &arrival(a1)?))?;
    let copy = id(eu_v.export_subject(&dpo(&jobs), &r1.subject))?;
    let mut got: Vec<(String, String)> = copy
        .values
        .iter()
        .map(|v| (v.field.to_string(), v.value.expose().to_string()))
        .collect();
    let mut sent: Vec<(String, String)> = a1
        .values
        .iter()
        .map(|(f, v)| (f.to_string(), v.expose().to_string()))
        .collect();
    got.sort();
    sent.sort();
    ensure(
        got == sent && got.len() == 2,
        "the EU cell holds exactly the values that left",
    )?;
    ensure(
        code(eu_v.receive(&svc, &arrival(a1)?)) == "already_received",
        "a transfer is received once",
    )?;

    // Everything a receipt does not vouch for is refused.
    let mut changed = arrival(a2)?;
    if let Some((_, v)) = changed
        .values
        .iter_mut()
        .find(|(f, _)| f.as_str() == "email")
    {
        *v = Zeroizing::new("someone.else@example.cn".into());
    }
    ensure(
        code(eu_v.receive(&svc, &changed)) == "receipt_invalid",
        "a value changed under a real receipt is refused",
    )?;
    let mut extra = arrival(a2)?;
    extra
        .values
        .push((f("email")?, Zeroizing::new("extra@example.cn".into())));
    ensure(
        code(eu_v.receive(&svc, &extra)) == "receipt_invalid",
        "a value added under a real receipt is refused",
    )?;
    let mut other_subject = arrival(a2)?;
    other_subject.subject = a1.subject.clone();
    ensure(
        code(eu_v.receive(&svc, &other_subject)) == "receipt_invalid",
        "a receipt presented for another subject is refused",
    )?;
    // The EU tenant moved to another organisation (another legal entity under the same tenant
    // id): the CN organisation's transfers are not its to receive.
    let other_org = JOB_BOARD_EU.replacen("91110105MA01J0B00B", "91320100MA1FRE0G0C", 1);
    id(eu_v.load_manifest(&AdminScope::new(), &jobs, &other_org))?;
    ensure(
        code(eu_v.receive(&svc, &arrival(a2)?)) == "receipt_invalid",
        "a transfer of another organisation is refused",
    )?;
    id(eu_v.load_manifest(&AdminScope::new(), &jobs, JOB_BOARD_EU))?;
    let freight = scope(&t("freight")?, &first_service(&t("freight")?));
    ensure(
        code(eu_v.receive(&freight, &arrival(a2)?)) == "receipt_invalid",
        "another tenant's transfer is refused",
    )?;
    let mut forged = arrival(a2)?;
    let body_end = forged
        .checkpoint
        .find("\n\n")
        .ok_or("a checkpoint has a blank line before its signatures")?;
    let operator = id(Signer::from_seed("custodian.test/cn/ledger", &[66; 32]))?;
    forged.checkpoint = id(operator.sign(&forged.checkpoint[..=body_end]))?;
    ensure(
        code(eu_v.receive(&svc, &forged)) == "receipt_invalid",
        "a checkpoint signed by a key the operator made is refused",
    )?;
    let mut cut = arrival(a2)?;
    if let ProofFile::Inclusion { proof, .. } = &mut cut.inclusion {
        proof.pop();
    }
    ensure(
        code(eu_v.receive(&svc, &cut)) == "receipt_invalid",
        "a cut inclusion proof is refused",
    )?;
    drop(eu_v);
    let untrusting = eu_vault(eu_open(), &eu_keys, vec![])?;
    ensure(
        code(untrusting.receive(&svc, &arrival(a2)?)) == "receipt_invalid",
        "a cell that trusts no key of the sender receives nothing",
    )?;
    drop(untrusting);
    let eu_v = eu_vault(eu_open(), &eu_keys, trusted)?;
    let r2 = id(eu_v.receive(&svc, &arrival(a2)?))?;
    let role = id(eu_v.export_subject(&dpo(&jobs), &r2.subject))?
        .subject
        .role
        .map(|r| r.as_str().to_string());
    ensure(
        role.as_deref() == Some("job_seeker"),
        "the subject is registered in the role the sending cell gave it",
    )?;

    // The EU ledger: two receipts with their provenance, nine refusals naming no subject,
    // no registration by any other path, and no value in any entry.
    let entries = id(eu_v.ledger_entries(0, u64::MAX))?;
    let receives: Vec<_> = entries
        .iter()
        .filter(|(_, e)| e.kind == EntryKind::Receive)
        .collect();
    let allowed: Vec<_> = receives
        .iter()
        .filter(|(_, e)| e.decision == LedgerDecision::Allow)
        .collect();
    let has = |e: &custodian_ledger::Entry, t: &str| e.tokens.iter().any(|x| x.as_str() == t);
    ensure(
        allowed.len() == 2
            && allowed
                .iter()
                .zip([(&a1, &r1), (&a2, &r2)])
                .all(|((_, e), (a, r))| {
                    has(e, "from:custodian.test/cn/ledger")
                        && has(e, &format!("entry:{}", r.index))
                        && e.tokens.iter().any(|t| t.as_str().starts_with("leaf:"))
                        && e.tokens.iter().any(|t| t.as_str().starts_with("payload:"))
                        && e.tokens.iter().any(|t| t.as_str().starts_with("tree:"))
                        && has(e, &format!("signer:{}", cn_key.key_id()))
                        && has(e, &format!("from_subject:{}", a.subject))
                        && e.subject.as_ref().map(|s| s.as_str()) == Some(r.subject.as_str())
                }),
        "each receipt is a receive entry naming the sender's ledger, entry, key and subject",
    )?;
    ensure(
        receives.len() == 11
            && receives
                .iter()
                .filter(|(_, e)| e.decision == LedgerDecision::Deny)
                .all(|(_, e)| e.subject.is_none()),
        "each refusal is a receive entry and registers no subject",
    )?;
    ensure(
        !entries.iter().any(|(_, e)| e.kind == EntryKind::Register),
        "no subject came into the EU cell by another path",
    )?;
    // Each change of the trusted CN key is on the EU cell's record: trusted, dropped, trusted.
    let trust: Vec<String> = entries
        .iter()
        .filter(|(_, e)| {
            e.kind == EntryKind::ConfigChange
                && e.reason
                    .as_ref()
                    .is_some_and(|r| r.as_str() == "peer_trusted")
                && e.destination.as_ref().is_some_and(|d| d.as_str() == "CN")
        })
        .filter_map(|(_, e)| e.tokens.first().map(|t| t.as_str().to_string()))
        .collect();
    ensure(
        trust
            == vec![
                format!("key:{}", cn_key.to_vkey()),
                "key:none".to_string(),
                format!("key:{}", cn_key.to_vkey()),
            ],
        &format!("the EU ledger records each change of the trusted CN key ({trust:?})"),
    )?;
    let bytes = ledger_bytes(&eu_v)?;
    for (_, v) in a1.values.iter().chain(&a2.values) {
        let needle = v.expose().as_bytes();
        ensure(
            !bytes
                .iter()
                .any(|b| b.windows(needle.len()).any(|w| w == needle)),
            "no received value is in the EU ledger",
        )?;
    }
    // The CN ledger says which subjects left for the EU cell: exactly those received.
    let to_eu: Vec<String> = id(cn_v.ledger_entries(0, u64::MAX))?
        .into_iter()
        .filter(|(_, e)| {
            e.kind == EntryKind::Transfer
                && e.decision == LedgerDecision::Allow
                && has(e, "cell:EU")
        })
        .filter_map(|(_, e)| e.subject.map(|s| s.as_str().to_string()))
        .collect();
    ensure(
        to_eu == vec![a1.subject.to_string(), a2.subject.to_string()],
        "the CN ledger's transfers to the EU cell are the subjects received",
    )
}
