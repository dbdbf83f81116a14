//! Transfer gate and egress check speed, on the SQLite store.
//!
//! `cargo run --release -p custodian-store --example transfer_bench [SUBJECTS] [PAYLOAD_MB]`
//! (defaults 10000 and 20)
//!
//! Transfers: SUBJECTS job seekers with a résumé and a phone, each with separate consent to
//! the transfer, a standard contract with its PIA on file; the gate then decides them in calls
//! of 1,000 (each decision reads the subject and consents, opens the value, and the call commits
//! its entries and counts). Egress: a JSON payload of PAYLOAD_MB of records, each with a
//! phone (one in 100 stored), an e-mail and a note, checked in one call (three times, the
//! median); beside it, in the same run, the detection engine alone on the same bytes.
#![expect(clippy::unwrap_used, reason = "a benchmark program, not library code")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use custodian_conformance::{self as conformance, JOB_BOARD};
use custodian_core::Store;
use custodian_core::access::{AdminScope, DpoScope, ServiceScope};
use custodian_core::decision::ConsentChange;
use custodian_core::ids::{FieldName, Jurisdiction, PurposeId, ServiceName, SubjectRole, TenantId};
use custodian_core::transfers::{BasisKind, Pia, TransferBasis};
use custodian_core::vault::PayloadFormat;
use custodian_store::SqliteStore;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.first().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let mb: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).unwrap());
    let v = Arc::new(conformance::vault(store).unwrap());
    let jobs = TenantId::parse("jobs").unwrap();
    v.load_manifest(&AdminScope::new(), &jobs, JOB_BOARD)
        .unwrap();
    let svc = ServiceScope::new(jobs.clone(), ServiceName::parse("matching-svc").unwrap());
    let dpo = DpoScope::new(jobs.clone());
    let (resume, phone) = (
        FieldName::parse("resume").unwrap(),
        FieldName::parse("phone").unwrap(),
    );
    let seeker = SubjectRole::parse("job_seeker").unwrap();
    let cn = Jurisdiction::parse("CN").unwrap();
    let t = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let made: Vec<_> = (0..8)
        .map(|_| {
            let (v, next, svc, dpo, resume, phone, seeker, cn) = (
                v.clone(),
                next.clone(),
                svc.clone(),
                dpo.clone(),
                resume.clone(),
                phone.clone(),
                seeker.clone(),
                cn.clone(),
            );
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break mine;
                    }
                    let s = v.register(&svc, &cn, Some(&seeker), false).unwrap();
                    let p = format!("139{:08}", i * 7);
                    v.collect(
                        &svc,
                        &s,
                        &PurposeId::parse("job_matching").unwrap(),
                        &[
                            (resume.clone(), "十年物流调度经验，熟悉跨境仓储与清关"),
                            (phone.clone(), &p),
                        ],
                    )
                    .unwrap();
                    for purpose in ["overseas_placement", "eu_placement"] {
                        v.change_consent(
                            &dpo,
                            &s,
                            &PurposeId::parse(purpose).unwrap(),
                            ConsentChange::Grant {
                                separate: true,
                                by_guardian: false,
                            },
                        )
                        .unwrap();
                    }
                    mine.push(s);
                }
            })
        })
        .collect();
    let subjects: Vec<_> = made.into_iter().flat_map(|h| h.join().unwrap()).collect();
    eprintln!(
        "{n} subjects prepared in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    for (id, recipient) in [("scc-bench", "talentbridge_sg"), ("scc-eu", "jobs_eu_cell")] {
        v.put_transfer_basis(
            &dpo,
            TransferBasis {
                id: id.into(),
                tenant: jobs.clone(),
                recipient: recipient.into(),
                kind: BasisKind::StandardContract,
                reference: "SCC-BENCH".into(),
                valid_from: now - 1000,
                expires_at: None,
                fields: vec![resume.clone()],
                pia: Some(Pia {
                    reference: "PIA-BENCH".into(),
                    completed_at: now - 1000,
                }),
            },
        )
        .unwrap();
    }
    let mut call_ms = Vec::new();
    let t = Instant::now();
    for chunk in subjects.chunks(1000) {
        let c = Instant::now();
        let o = v
            .transfer(
                &svc,
                "talentbridge_sg",
                None,
                chunk,
                std::slice::from_ref(&resume),
            )
            .unwrap();
        assert_eq!(o.allowed.len(), chunk.len());
        call_ms.push(c.elapsed().as_secs_f64() * 1e3);
    }
    let total = t.elapsed().as_secs_f64();
    call_ms.sort_by(f64::total_cmp);
    println!(
        "transfer: {} decisions in {} calls of 1,000: {:.0} decisions/s (call median {:.0} ms)",
        subjects.len(),
        call_ms.len(),
        subjects.len() as f64 / total,
        call_ms[call_ms.len() / 2]
    );

    // The same subjects to the platform's EU cell: each decision also commits to its values and
    // gets a receipt (one checkpoint a call, an inclusion proof each); then the EU cell verifies
    // and receives them.
    let mut to_cell = Vec::new();
    let t = Instant::now();
    for chunk in subjects.chunks(1000) {
        let o = v
            .transfer(
                &svc,
                "jobs_eu_cell",
                None,
                chunk,
                std::slice::from_ref(&resume),
            )
            .unwrap();
        assert_eq!(o.allowed.len(), chunk.len());
        to_cell.extend(o.allowed);
    }
    let cell_total = t.elapsed().as_secs_f64();
    println!(
        "transfer to a cell: {:.0} decisions/s with receipts; to a recipient abroad / to a cell {:.2}",
        to_cell.len() as f64 / cell_total,
        cell_total / total
    );
    let eu_dir = tempfile::tempdir().unwrap();
    let eu = custodian_core::Vault::open(
        Arc::new(SqliteStore::open(eu_dir.path()).unwrap()),
        Arc::new(custodian_core::keyring::MemoryKeys::new([9; 32])),
        custodian_ledger::Signer::from_seed("bench.test/eu/ledger", &[5; 32]).unwrap(),
        custodian_core::VaultConfig {
            jurisdiction: Jurisdiction::parse("EU").unwrap(),
            origin: "bench.test/eu/ledger".into(),
            regulator_keys: vec![],
            peers: vec![custodian_core::Peer {
                cell: cn.clone(),
                key: conformance::test_signer().verifier(),
            }],
        },
    )
    .unwrap();
    eu.load_manifest(&AdminScope::new(), &jobs, conformance::JOB_BOARD_EU)
        .unwrap();
    let arrivals: Vec<_> = to_cell
        .iter()
        .map(|a| {
            let d = a.delivery.as_ref().unwrap();
            custodian_core::vault::Arrival {
                from: cn.clone(),
                subject: a.subject.clone(),
                checkpoint: d.receipt.checkpoint.clone(),
                inclusion: custodian_ledger::ProofFile::inclusion(
                    &d.receipt.proof,
                    &d.receipt.entry,
                )
                .unwrap(),
                nonce: d.nonce,
                values: a
                    .values
                    .iter()
                    .map(|(f, v)| (f.clone(), zeroize::Zeroizing::new(v.expose().to_string())))
                    .collect(),
            }
        })
        .collect();
    let t = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let (eu, arrivals) = (Arc::new(eu), Arc::new(arrivals));
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let (eu, arrivals, next, svc) =
                (eu.clone(), arrivals.clone(), next.clone(), svc.clone());
            std::thread::spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(a) = arrivals.get(i) else { break };
                    eu.receive(&svc, a).unwrap();
                }
            })
        })
        .collect();
    workers.into_iter().for_each(|w| w.join().unwrap());
    println!(
        "receive: {} subjects verified and received by the EU cell, 8 callers: {:.0}/s",
        arrivals.len(),
        arrivals.len() as f64 / t.elapsed().as_secs_f64()
    );

    // The egress payload: records with a phone each, one in 100 a stored one.
    let mut payload = String::from("[");
    let mut i = 0usize;
    while payload.len() < mb << 20 {
        let p = if i.is_multiple_of(100) {
            format!("139{:08}", (i / 100 % n) * 7)
        } else {
            format!("137{:08}", i)
        };
        payload.push_str(&format!(
            r#"{{"id":{i},"applicant":{{"tel":"{p}","mail":"user{i}@example.com","city":"Shanghai"}},"note":"Candidate applied for the warehouse role; interview scheduled, documents pending review."}},"#
        ));
        i += 1;
    }
    payload.pop();
    payload.push(']');
    // Each measured three times, alternating, on this noisy shared machine: the medians.
    let det = custodian_detect::Detector::new();
    let (mut scan_s, mut egress_s) = (Vec::new(), Vec::new());
    let (mut found, mut r) = (0, None);
    for _ in 0..3 {
        let t = Instant::now();
        found = det.scan_str(&payload).len();
        scan_s.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        r = Some(
            v.egress_check(
                &svc,
                Some("talentbridge_sg"),
                PayloadFormat::Json,
                payload.as_bytes(),
            )
            .unwrap(),
        );
        egress_s.push(t.elapsed().as_secs_f64());
    }
    let r = r.unwrap();
    scan_s.sort_by(f64::total_cmp);
    egress_s.sort_by(f64::total_cmp);
    let (scan_s, egress_s) = (scan_s[1], egress_s[1]);
    let mbs = payload.len() as f64 / 1e6;
    println!(
        "egress: {:.1} MB JSON, {} records, {} candidates, {} stored values found (blocked: {}): {:.1} MB/s on one core",
        mbs,
        i,
        r.findings,
        r.matches.len(),
        r.blocked,
        mbs / egress_s
    );
    println!(
        "detection alone on the same bytes (as text): {found} findings, {:.1} MB/s; egress/detection {:.2}",
        mbs / scan_s,
        scan_s / egress_s
    );
}
