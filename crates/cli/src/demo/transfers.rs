//! Step 3 of the demo: transfers abroad through the gate — the ride-hailing app's trip data
//! refused by the sector rule whatever its basis; the job board's résumé refused without a
//! basis or the person's separate consent, then allowed under a filed standard contract and
//! counted against the CAC thresholds, and moved to the platform's EU cell with a receipt that
//! cell verifies (once, and only the value the entry commits to); a regulator's order stops it.

use std::collections::HashMap;

use anyhow::Result;
use custodian_core::orders::OrderKind;
use custodian_ledger::Signer;
use serde_json::{Value, json};

use super::{Demo, order_for};

/// A running cell: its URL, its administrator's key, what stops it, its server task.
type Running = (
    String,
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
);

/// Starts the platform's EU cell in `dir/eu`, with its own store and keys, trusting the CN
/// cell's ledger key.
pub(super) fn eu_cell(
    rt: &tokio::runtime::Runtime,
    dir: &std::path::Path,
    cn_ledger_vkey: &str,
) -> Result<Running> {
    use custodian_core::access::{Access, AdminScope};
    use custodian_core::ids::Jurisdiction;
    let eu_vault = std::sync::Arc::new(custodian_core::Vault::open(
        std::sync::Arc::new(custodian_store::SqliteStore::open(
            &dir.join("eu").join("store"),
        )?),
        std::sync::Arc::new(custodian_keys::FileKeys::open(
            &dir.join("eu").join("kek.key"),
        )?),
        Signer::generate("custodian.demo/eu/ledger")?,
        custodian_core::VaultConfig {
            jurisdiction: Jurisdiction::parse("EU")?,
            origin: "custodian.demo/eu/ledger".into(),
            regulator_keys: vec![],
            peers: vec![custodian_core::Peer {
                cell: Jurisdiction::parse("CN")?,
                key: custodian_ledger::Verifier::parse(cn_ledger_vkey)?,
            }],
        },
    )?);
    let admin = eu_vault
        .create_api_key(&AdminScope::new(), Access::Admin)?
        .1
        .expose()
        .to_string();
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = rt.spawn(custodian_server::serve(
        listener,
        custodian_server::AppState::new(eu_vault),
        async {
            let _ = stopped.await;
        },
    ));
    Ok((base, admin, stop, server))
}

/// The job board's organisation (its example manifest's).
const JOBS_ORG: &str = "91110105MA01J0B00B";

fn outcome(v: &Value) -> String {
    match v["refused"].get(0) {
        Some(r) => format!("refused {}", r["code"].as_str().unwrap_or("")),
        None => format!("allowed {}", v["allowed"].as_array().map_or(0, Vec::len)),
    }
}

/// Runs step 3.
#[expect(clippy::too_many_arguments, reason = "the scenario's cast")]
pub(super) fn transfers(
    d: &mut Demo,
    regulator: &Signer,
    reg_key: &str,
    svc: &HashMap<&str, String>,
    dpo: &HashMap<&str, String>,
    rider: &str,
    seeker: &str,
    now: i64,
) -> Result<()> {
    d.step(
        "3",
        "Transfers abroad pass one gate that decides, counts and records them",
    );
    let pia = json!({"reference": "PIA-2026-01", "completed_at": now});
    let (s, _) = d.call(
        "PUT",
        "/v1/tenants/ride/transfer-bases/sa-mapco",
        &dpo["ride"],
        Some(json!({"recipient": "mapco_us", "kind": "security_assessment", "reference": "CAC-SA-2026-001", "fields": ["pickup"], "pia": pia})),
    )?;
    d.expect(
        "ride: a security assessment filed for a US recipient",
        "200",
        &s.to_string(),
    );
    let (_, v) = d.transfer(
        &svc["ride"],
        json!({"recipient": "mapco_us", "subjects": [rider], "fields": ["pickup"]}),
    )?;
    d.expect(
        "ride: trip data to the US is refused by the sector rule, whatever the basis",
        "refused transfer_forbidden_by_sector",
        &outcome(&v),
    );
    let resume_to_sg =
        json!({"recipient": "talentbridge_sg", "subjects": [seeker], "fields": ["resume"]});
    let (_, v) = d.transfer(&svc["jobs"], resume_to_sg.clone())?;
    d.expect(
        "jobs: a résumé to Singapore without a basis on file",
        "refused transfer_basis_missing",
        &outcome(&v),
    );
    d.call(
        "PUT",
        "/v1/tenants/jobs/transfer-bases/scc-talentbridge",
        &dpo["jobs"],
        Some(json!({"recipient": "talentbridge_sg", "kind": "standard_contract", "reference": "SCC-BJ-2026-0042", "fields": ["resume", "email"], "pia": pia})),
    )?;
    let (_, v) = d.transfer(&svc["jobs"], resume_to_sg.clone())?;
    d.expect(
        "jobs: under a filed standard contract, but without the person's separate consent",
        "refused transfer_consent_missing",
        &outcome(&v),
    );
    d.post(
        &format!("/v1/subjects/{seeker}/consents"),
        &dpo["jobs"],
        json!({"purpose": "overseas_placement", "separate": true}),
    )?;
    let (_, v) = d.transfer(&svc["jobs"], resume_to_sg.clone())?;
    d.expect(
        "jobs: with the separate consent the résumé goes (the payload is built by the gate)",
        "allowed 1",
        &outcome(&v),
    );
    let (_, c) = d.call("GET", "/v1/transfers/counts", &dpo["jobs"], None)?;
    println!(
        "    | {} individual(s) exported this year by {JOBS_ORG}; a standard contract holds below {} (sensitive: {} of {})",
        c["general"],
        c["thresholds"]["general_needs_assessment_from"],
        c["sensitive"],
        c["thresholds"]["sensitive_needs_assessment_from"]
    );
    d.expect("jobs: this year's count", "1", &c["general"].to_string());
    to_the_eu_cell(d, svc, dpo, seeker, &pia)?;
    let stop = order_for(
        regulator,
        "cac-2021-07-10-transfers",
        OrderKind::SuspendTransfers,
        &[],
        &[JOBS_ORG],
    )?;
    d.text("POST", "/v1/orders", reg_key, &stop)?;
    let (_, v) = d.transfer(&svc["jobs"], resume_to_sg)?;
    d.expect(
        "jobs: the regulator suspends transfers; the next one is refused",
        "refused transfers_suspended",
        &outcome(&v),
    );
    Ok(())
}

/// The job seeker applies for a job in Hamburg: the résumé moves to the platform's EU cell
/// through the same gate, and the EU cell stores it only with the receipt of the CN cell's
/// ledger entry — once, and only the value the entry commits to.
fn to_the_eu_cell(
    d: &mut Demo,
    svc: &HashMap<&str, String>,
    dpo: &HashMap<&str, String>,
    seeker: &str,
    pia: &Value,
) -> Result<()> {
    let eu_admin = d.eu.1.clone();
    let manifest = include_str!("../../../../examples/job_board_eu.toml");
    d.eu_call(
        "PUT",
        "/v1/tenants/jobs/manifest",
        &eu_admin,
        Some(("text/plain", manifest.as_bytes().to_vec())),
    )?;
    let (_, k) = d.eu_call(
        "POST",
        "/v1/keys",
        &eu_admin,
        Some((
            "application/json",
            json!({"role": custodian_core::access::Role::Service.as_str(), "tenant": "jobs", "service": "matching-svc"})
                .to_string()
                .into_bytes(),
        )),
    )?;
    let eu_svc = k["key"].as_str().unwrap_or("").to_string();
    d.post(
        &format!("/v1/subjects/{seeker}/consents"),
        &dpo["jobs"],
        json!({"purpose": "eu_placement", "separate": true}),
    )?;
    d.call(
        "PUT",
        "/v1/tenants/jobs/transfer-bases/scc-eu",
        &dpo["jobs"],
        Some(json!({"recipient": "jobs_eu_cell", "kind": "standard_contract", "reference": "SCC-BJ-2026-0077", "fields": ["resume"], "pia": pia})),
    )?;
    let (_, v) = d.transfer(
        &svc["jobs"],
        json!({"recipient": "jobs_eu_cell", "subjects": [seeker], "fields": ["resume"]}),
    )?;
    let receipted = v["allowed"]
        .as_array()
        .is_some_and(|a| a.len() == 1 && a[0]["receipt"]["checkpoint"].is_string());
    d.expect(
        "jobs: the résumé to the platform's EU cell leaves with a receipt of its ledger entry",
        "true",
        &receipted.to_string(),
    );
    let deliver = |d: &Demo, subjects: &Value| -> Result<String> {
        let body = json!({"from": "CN", "subjects": subjects}).to_string();
        let (_, r) = d.eu_call(
            "POST",
            "/v1/receive",
            &eu_svc,
            Some(("application/json", body.into_bytes())),
        )?;
        Ok(match r["refused"].get(0) {
            Some(x) => format!("refused {}", x["code"].as_str().unwrap_or("")),
            None => format!("received {}", r["received"].as_array().map_or(0, Vec::len)),
        })
    };
    let allowed = v["allowed"].clone();
    let got = deliver(d, &allowed)?;
    d.expect(
        "EU cell: the receipt verified against the CN ledger key, the résumé received",
        "received 1",
        &got,
    );
    let got = deliver(d, &allowed)?;
    d.expect(
        "EU cell: the same delivery again",
        "refused already_received",
        &got,
    );
    let mut changed = allowed;
    changed[0]["values"]["resume"][0] = json!("another résumé, written on the way");
    let got = deliver(d, &changed)?;
    d.expect(
        "EU cell: a value changed under a real receipt",
        "refused receipt_invalid",
        &got,
    );
    Ok(())
}
