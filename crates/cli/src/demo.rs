//! `custodian demo`: the DESIGN.md scenario, steps 0-6, and the operator's evasions
//! (step 7), against a fresh embedded
//! cell, through the HTTP API on a loopback port, told as a narrative. Every step prints what
//! was expected and what happened; the command exits non-zero if any step differs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use clap::Args;
use custodian_core::access::{Access, AdminScope, Role};
use custodian_core::ids::Jurisdiction;
use custodian_core::orders::{Order, OrderKind};
use custodian_core::{Store, Vault, VaultConfig};
use custodian_keys::FileKeys;
use custodian_ledger::{ProofFile, Signer};
use custodian_store::SqliteStore;

mod disk;
mod evasions;
mod folder;
mod transfers;
use custodian_client::{Auth, Client};
use evasions::{RIDE_ORG, evasions};
use serde_json::{Value, json};

/// Arguments of `custodian demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Keep the cell in this directory for inspection (default: a temporary directory).
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

struct Demo {
    client: Client,
    base: String,
    /// The platform's EU cell: a client of it and its administrator's key.
    eu: (Client, String),
    failures: usize,
    checks: usize,
    /// Transfer decisions the gate answered (allowed, refused), to check the ledger against.
    transfers: (usize, usize),
}

impl Demo {
    fn step(&self, n: &str, title: &str) {
        println!("\n== {n}. {title}");
    }

    fn expect(&mut self, what: &str, expected: &str, actual: &str) {
        self.checks += 1;
        let ok = expected == actual;
        if !ok {
            self.failures += 1;
        }
        println!(
            "  [{}] {what}: expected {expected}, got {actual}",
            if ok { "ok" } else { "FAIL" }
        );
    }

    fn call(
        &self,
        method: &str,
        path: &str,
        key: &str,
        body: Option<Value>,
    ) -> Result<(u16, Value)> {
        let body = body.map(|b| ("application/json", b.to_string().into_bytes()));
        self.client
            .with_bearer(key)
            .send(method, path, body)
            .with_context(|| format!("request to {path}"))
    }

    fn post(&self, path: &str, key: &str, body: Value) -> Result<(u16, Value)> {
        self.call("POST", path, key, Some(body))
    }

    /// A transfer through the gate; its decisions are tallied.
    fn transfer(&mut self, key: &str, body: Value) -> Result<(u16, Value)> {
        let (s, v) = self.post("/v1/transfers", key, body)?;
        let n = |k: &str| v[k].as_array().map_or(0, Vec::len);
        self.transfers.0 += n("allowed");
        self.transfers.1 += n("refused");
        Ok((s, v))
    }

    /// A request to the platform's EU cell.
    fn eu_call(
        &self,
        method: &str,
        path: &str,
        key: &str,
        body: Option<(&str, Vec<u8>)>,
    ) -> Result<(u16, Value)> {
        self.eu
            .0
            .with_bearer(key)
            .send(method, path, body)
            .with_context(|| format!("request to the EU cell's {path}"))
    }

    fn text(&self, method: &str, path: &str, key: &str, body: &str) -> Result<(u16, String)> {
        let (status, v) = self
            .client
            .with_bearer(key)
            .send(method, path, Some(("text/plain", body.as_bytes().to_vec())))
            .with_context(|| format!("request to {path}"))?;
        Ok((
            status,
            match v {
                Value::String(s) => s,
                other => other.to_string(),
            },
        ))
    }
}

fn order(signer: &Signer, id: &str, kind: OrderKind, targets: &[&str]) -> Result<String> {
    order_for(signer, id, kind, targets, &[])
}

/// An order binding tenants and organisations.
fn order_for(
    signer: &Signer,
    id: &str,
    kind: OrderKind,
    targets: &[&str],
    organisations: &[&str],
) -> Result<String> {
    let now = crate::order::now_ms();
    let mut nonce = [0u8; 16];
    custodian_core::crypto::random_bytes(&mut nonce).map_err(|e| anyhow!("{e}"))?;
    let o = Order {
        id: id.into(),
        issuer: "CAC".into(),
        kind,
        targets: targets
            .iter()
            .map(|t| custodian_core::ids::TenantId::parse(t))
            .collect::<Result<_, _>>()
            .map_err(|e| anyhow!("{e}"))?,
        organisations: organisations
            .iter()
            .map(|o| custodian_core::ids::OrgCode::parse(o))
            .collect::<Result<_, _>>()
            .map_err(|e| anyhow!("{e}"))?,
        reason: "Cybersecurity review: illegal collection of personal information".into(),
        legal_basis: "Cybersecurity Review Measures; PIPL Art. 64".into(),
        issued_at: now,
        effective_from: now - 1,
        expires_at: None,
        nonce: nonce.iter().map(|b| format!("{b:02x}")).collect(),
    };
    Ok(signer.sign(&o.signing_text())?)
}

/// Runs the demo.
pub fn run(a: DemoArgs) -> Result<ExitCode> {
    let tmp = tempfile::tempdir()?;
    folder::fresh(a.data_dir.as_deref())?;
    let dir = a
        .data_dir
        .clone()
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    println!(
        "Custodian demo — the July 2021 scenario, in a fresh CN cell at {}",
        dir.display()
    );

    // The cell, with a regulator key it trusts.
    let regulator = Signer::generate("cac.gov.cn/orders")?;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.join("store"))?);
    let kek = Arc::new(FileKeys::open(&dir.join("kek.key"))?);
    let signer = Signer::generate("custodian.demo/cn/ledger")?;
    let ledger_vkey = signer.verifier().to_vkey();
    let vault = Arc::new(Vault::open(
        store,
        kek,
        signer,
        VaultConfig {
            jurisdiction: Jurisdiction::parse("CN")?,
            origin: "custodian.demo/cn/ledger".into(),
            regulator_keys: vec![regulator.verifier()],
            peers: vec![],
        },
    )?);
    let admin = vault
        .create_api_key(&AdminScope::new(), Access::Admin)?
        .1
        .expose()
        .to_string();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = rt.spawn(custodian_server::serve(
        listener,
        custodian_server::AppState::new(vault.clone()),
        async {
            let _ = stopped.await;
        },
    ));
    let (eu_base, eu_admin, eu_stop, eu_server) = transfers::eu_cell(&rt, &dir, &ledger_vkey)?;
    let mut d = Demo {
        client: Client::new(&base, Auth::Bearer(String::new()))?,
        base,
        eu: (
            Client::new(&eu_base, Auth::Bearer(String::new()))?,
            eu_admin,
        ),
        failures: 0,
        checks: 0,
        transfers: (0, 0),
    };
    let result = scenario(&mut d, &admin, &regulator, &ledger_vkey, &dir);
    let _ = stop.send(());
    let _ = eu_stop.send(());
    let _ = rt.block_on(server);
    let _ = rt.block_on(eu_server);
    result?;
    // Last attempt: restart the cell trusting a key of the operator's under the regulator's
    // name, added to the configuration.
    drop(vault);
    let reopened = Vault::open(
        Arc::new(SqliteStore::open(&dir.join("store"))?),
        Arc::new(FileKeys::open(&dir.join("kek.key"))?),
        Signer::generate("custodian.demo/cn/ledger")?,
        VaultConfig {
            jurisdiction: Jurisdiction::parse("CN")?,
            origin: "custodian.demo/cn/ledger".into(),
            regulator_keys: vec![
                regulator.verifier(),
                Signer::generate("cac.gov.cn/orders")?.verifier(),
            ],
            peers: vec![],
        },
    );
    d.expect(
        "a restart trusting the operator's key, added to the configuration, is refused",
        "refused",
        match reopened {
            Err(custodian_core::CoreError::Config(_)) => "refused",
            Err(_) => "another error",
            Ok(_) => "started",
        },
    );
    println!(
        "\n{} of {} checks as expected.",
        d.checks - d.failures,
        d.checks
    );
    if let Some(kept) = &a.data_dir {
        println!("The cell is kept in {} for inspection.", kept.display());
    }
    Ok(if d.failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn scenario(
    d: &mut Demo,
    admin: &str,
    regulator: &Signer,
    ledger_vkey: &str,
    dir: &Path,
) -> Result<()> {
    let manifests = [
        (
            "ride",
            include_str!("../../../examples/ride_hailing.toml"),
            "dispatch-svc",
        ),
        (
            "jobs",
            include_str!("../../../examples/job_board.toml"),
            "matching-svc",
        ),
        (
            "freight",
            include_str!("../../../examples/freight.toml"),
            "match-svc",
        ),
    ];
    d.step("0", "Three platforms load their privacy manifests");
    let mut svc = std::collections::HashMap::new();
    let mut dpo = std::collections::HashMap::new();
    for (t, m, s) in manifests {
        let (status, v) = d.text("PUT", &format!("/v1/tenants/{t}/manifest"), admin, m)?;
        d.expect(
            &format!("manifest of `{t}` accepted"),
            "200",
            &status.to_string(),
        );
        if t == "freight" {
            d.expect(
                "freight matching reported as a self-declared app type (not in the 2021 list)",
                "true",
                &v.contains("self_declared_app_type").to_string(),
            );
        }
        let (_, k) = d.post(
            "/v1/keys",
            admin,
            json!({"role": Role::Service.as_str(), "tenant": t, "service": s}),
        )?;
        svc.insert(t, k["key"].as_str().unwrap_or("").to_string());
        let (_, k) = d.post(
            "/v1/keys",
            admin,
            json!({"role": Role::Dpo.as_str(), "tenant": t}),
        )?;
        dpo.insert(t, k["key"].as_str().unwrap_or("").to_string());
    }
    let (_, k) = d.post("/v1/keys", admin, json!({"role": Role::Regulator.as_str()}))?;
    let reg_key = k["key"].as_str().unwrap_or("").to_string();
    let (_, cp1) = d.text("GET", "/v1/ledger/checkpoint", &reg_key, "")?;

    d.step(
        "1",
        "Users register; collection is allowed or refused by the rules",
    );
    let register = |d: &Demo, t: &str| -> Result<(u16, String)> {
        let (s, v) = d.post("/v1/subjects", &svc[t], json!({"jurisdiction": "CN"}))?;
        Ok((s, v["subject"].as_str().unwrap_or("").to_string()))
    };
    let (_, rider) = register(d, "ride")?;
    let (s, v) = d.post("/v1/collect", &svc["ride"], json!({"subject": rider, "purpose": "dispatch", "values": {"phone": "13812345678", "pickup": "北京市朝阳区建国路88号"}}))?;
    d.expect(
        "ride: rider's phone and pickup address collected (necessary PI, contract)",
        "200",
        &s.to_string(),
    );
    let phone_token = v["tokens"][0]["token"].as_str().unwrap_or("").to_string();
    d.expect(
        "the platform keeps a format-preserving token, not the number",
        "false",
        &phone_token.starts_with("138").to_string(),
    );
    let (s, v) = d.post("/v1/collect", &svc["ride"], json!({"subject": rider, "purpose": "dispatch", "values": {"trip_track": "39.9042,116.4074,2026-10-01T08:00:00Z;39.9100,116.4200,2026-10-01T08:04:00Z"}}))?;
    d.expect(
        "ride: trip track (sensitive PI) without separate consent",
        "403 separate_consent_missing",
        &format!("{s} {}", v["code"].as_str().unwrap_or("")),
    );
    d.post(
        &format!("/v1/subjects/{rider}/consents"),
        &svc["ride"],
        json!({"purpose": "dispatch", "separate": true}),
    )?;
    let (s, _) = d.post("/v1/collect", &svc["ride"], json!({"subject": rider, "purpose": "dispatch", "values": {"trip_track": "39.9042,116.4074,2026-10-01T08:00:00Z;39.9100,116.4200,2026-10-01T08:04:00Z"}}))?;
    d.expect(
        "ride: trip track after the rider's separate consent",
        "200",
        &s.to_string(),
    );
    let (s, v) = d.post("/v1/collect", &svc["ride"], json!({"subject": rider, "purpose": "dispatch", "values": {"trip_note": "乘客身份证 11010519491231002X，到了打电话"}}))?;
    d.expect(
        "ride: a trip note with an undeclared ID number is refused",
        "403 undeclared_pi_in_free_text",
        &format!("{s} {}", v["code"].as_str().unwrap_or("")),
    );
    let (_, seeker) = register(d, "jobs")?;
    let (s, v) = d.post("/v1/collect", &svc["jobs"], json!({"subject": seeker, "purpose": "job_matching", "values": {"phone": "13912345678", "resume": "十年物流调度经验，邮箱 li.na@example.com"}}))?;
    d.expect(
        "jobs: the e-mail inside the resume is tokenized in place",
        "200 email",
        &format!(
            "{s} {}",
            v["tokens"][1]["undeclared_pi"][0].as_str().unwrap_or("")
        ),
    );
    let (s, v) = d.post(
        "/v1/collect",
        &svc["ride"],
        json!({"subject": rider, "purpose": "dispatch", "values": {"phone": "张伟"}}),
    )?;
    d.expect(
        "ride: a name sent as a phone number is refused, the value not echoed",
        "422 value_invalid false",
        &format!(
            "{s} {} {}",
            v["code"].as_str().unwrap_or(""),
            v.to_string().contains("张伟")
        ),
    );
    let (_, shipper) = register(d, "freight")?;
    let (s, v) = d.post("/v1/collect", &svc["freight"], json!({"subject": shipper, "purpose": "matching", "values": {"phone": "13712345678", "plate": "鲁B VC684"}}))?;
    d.expect(
        "freight: a truck plate is collected from drivers, not from shippers",
        "403 field_not_for_role",
        &format!("{s} {}", v["code"].as_str().unwrap_or("")),
    );
    let (s, v) = d.post(
        "/v1/subjects",
        &svc["freight"],
        json!({"jurisdiction": "CN", "role": "driver"}),
    )?;
    let trucker = v["subject"].as_str().unwrap_or("").to_string();
    d.expect(
        "freight: a truck driver registers as a driver",
        "201",
        &s.to_string(),
    );
    let (s, _) = d.post("/v1/collect", &svc["freight"], json!({"subject": trucker, "purpose": "matching", "values": {"phone": "13712345678", "plate": "鲁B VC684"}}))?;
    d.expect(
        "freight: the driver's phone and truck plate collected (required of drivers)",
        "200",
        &s.to_string(),
    );

    d.step(
        "2",
        "The regulator freezes registration at the ride-hailing app and the job board",
    );
    // The ride-hailing freeze binds the organisation (its every tenant, present or new).
    for (id, t, org) in [
        ("cac-2021-07-04-ride", None, Some(RIDE_ORG)),
        ("cac-2021-07-05-jobs", Some("jobs"), None),
    ] {
        let targets: Vec<&str> = t.into_iter().collect();
        let orgs: Vec<&str> = org.into_iter().collect();
        let note = order_for(
            regulator,
            id,
            OrderKind::SuspendRegistration,
            &targets,
            &orgs,
        )?;
        let (s, _) = d.text("POST", "/v1/orders", &reg_key, &note)?;
        d.expect(
            &format!("signed order `{id}` accepted"),
            "201",
            &s.to_string(),
        );
    }
    let (s, v) = d.post("/v1/subjects", &svc["ride"], json!({"jurisdiction": "CN"}))?;
    d.expect(
        "ride: a new registration is refused, naming the order",
        "403 cac-2021-07-04-ride",
        &format!("{s} {}", v["order"].as_str().unwrap_or("")),
    );
    let (s, v) = d.post("/v1/subjects", &svc["jobs"], json!({"jurisdiction": "CN"}))?;
    d.expect(
        "jobs: a new registration is refused, naming the order",
        "403 cac-2021-07-05-jobs",
        &format!("{s} {}", v["order"].as_str().unwrap_or("")),
    );
    let (s, _) = d.post(
        "/v1/subjects",
        &svc["freight"],
        json!({"jurisdiction": "CN"}),
    )?;
    d.expect("freight: registration untouched", "201", &s.to_string());
    let (s, _) = d.post(
        "/v1/detokenize",
        &svc["ride"],
        json!({"purpose": "dispatch", "tokens": [phone_token]}),
    )?;
    d.expect("ride: existing users keep working", "200", &s.to_string());
    let forged = order(
        &Signer::generate("someone.else/orders")?,
        "forged-1",
        OrderKind::SuspendRegistration,
        &["freight"],
    )?;
    let (s, v) = d.text("POST", "/v1/orders", &reg_key, &forged)?;
    d.expect(
        "an order signed by an untrusted key is refused",
        "403",
        &s.to_string(),
    );
    let _ = v;
    let lift = order(
        regulator,
        "cac-2022-06-29-lift-jobs",
        OrderKind::Lift {
            order: "cac-2021-07-05-jobs".into(),
        },
        &["jobs"],
    )?;
    let (s, _) = d.text("POST", "/v1/orders", &reg_key, &lift)?;
    d.expect(
        "the regulator lifts the job board's freeze",
        "201",
        &s.to_string(),
    );
    let (s, _) = d.post("/v1/subjects", &svc["jobs"], json!({"jurisdiction": "CN"}))?;
    d.expect("jobs: registration restored", "201", &s.to_string());
    transfers::transfers(
        d,
        regulator,
        &reg_key,
        &svc,
        &dpo,
        &rider,
        &seeker,
        crate::order::now_ms(),
    )?;

    d.step(
        "4",
        "A job seeker asks for a copy of their data, then deletion",
    );
    let (s, v) = d.call(
        "GET",
        &format!("/v1/subjects/{seeker}/export"),
        &dpo["jobs"],
        None,
    )?;
    d.expect(
        "the copy is complete: phone, resume and the tokenized e-mail",
        "200 3",
        &format!("{s} {}", v["values"].as_array().map_or(0, Vec::len)),
    );
    let (s, receipt) = d.call(
        "DELETE",
        &format!("/v1/subjects/{seeker}"),
        &dpo["jobs"],
        None,
    )?;
    d.expect("erased (data key destroyed)", "200", &s.to_string());
    // The person keeps the receipt and checks it offline with the cell's verifier key.
    let receipt_file = dir.join("erasure-receipt.json");
    std::fs::write(&receipt_file, serde_json::to_string(&receipt)?)?;
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["ledger", "verify", "--key", ledger_vkey, "--receipt"])
        .arg(&receipt_file)
        .output()?;
    d.expect(
        "the erasure receipt verifies offline (`custodian ledger verify --receipt`)",
        "exit 0, erase",
        &format!(
            "exit {}, {}",
            out.status.code().unwrap_or(-1),
            if String::from_utf8_lossy(&out.stdout).contains("\"kind\":\"erase\"") {
                "erase"
            } else {
                "no erase entry"
            }
        ),
    );
    let (s, v) = d.call(
        "GET",
        &format!("/v1/subjects/{seeker}/export"),
        &dpo["jobs"],
        None,
    )?;
    d.expect(
        "nothing of theirs decrypts any more",
        "200 0",
        &format!("{s} {}", v["values"].as_array().map_or(0, Vec::len)),
    );

    d.step("5", "The regulator verifies the ledger offline");
    let (_, cp2) = d.text("GET", "/v1/ledger/checkpoint", &reg_key, "")?;
    let size = |cp: &str| {
        cp.lines()
            .nth(1)
            .and_then(|l| l.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let (s1, s2) = (size(&cp1), size(&cp2));
    let (_, cons) = d.call(
        "GET",
        &format!("/v1/ledger/proofs/consistency?size1={s1}&size2={s2}"),
        &reg_key,
        None,
    )?;
    let (_, entries) = d.call(
        "GET",
        &format!("/v1/ledger/entries?from={s1}&to={s2}"),
        &reg_key,
        None,
    )?;
    let freeze_idx = entries["entries"]
        .as_array()
        .and_then(|a| {
            a.iter().find(|e| {
                e["entry"]["order"] == "cac-2021-07-04-ride" && e["entry"]["kind"] == "order"
            })
        })
        .and_then(|e| e["index"].as_u64())
        .ok_or_else(|| anyhow!("the freeze order is not in the ledger"))?;
    let (_, incl) = d.call(
        "GET",
        &format!("/v1/ledger/proofs/inclusion?index={freeze_idx}&tree_size={s2}"),
        &reg_key,
        None,
    )?;
    // And the one transfer that left, with its recipient and basis.
    let transfer_idx = entries["entries"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|e| e["entry"]["kind"] == "transfer" && e["entry"]["decision"] == "allow")
        })
        .and_then(|e| e["index"].as_u64())
        .ok_or_else(|| anyhow!("the transfer is not in the ledger"))?;
    let (_, incl_transfer) = d.call(
        "GET",
        &format!("/v1/ledger/proofs/inclusion?index={transfer_idx}&tree_size={s2}"),
        &reg_key,
        None,
    )?;
    let files = dir.join("offline-verification");
    std::fs::create_dir_all(&files)?;
    std::fs::write(files.join("checkpoint-1.note"), &cp1)?;
    std::fs::write(files.join("checkpoint-2.note"), &cp2)?;
    std::fs::write(
        files.join("consistency.json"),
        serde_json::to_string(&serde_json::from_value::<ProofFile>(cons)?)?,
    )?;
    std::fs::write(
        files.join("inclusion-freeze.json"),
        serde_json::to_string(&serde_json::from_value::<ProofFile>(incl)?)?,
    )?;
    std::fs::write(
        files.join("inclusion-transfer.json"),
        serde_json::to_string(&serde_json::from_value::<ProofFile>(incl_transfer)?)?,
    )?;
    let exe = std::env::current_exe()?;
    let out = std::process::Command::new(exe)
        .args([
            "ledger",
            "verify",
            "--key",
            ledger_vkey,
            "--origin",
            "custodian.demo/cn/ledger",
        ])
        .arg("--checkpoint")
        .arg(files.join("checkpoint-1.note"))
        .arg("--checkpoint")
        .arg(files.join("checkpoint-2.note"))
        .arg("--consistency")
        .arg(files.join("consistency.json"))
        .arg("--inclusion")
        .arg(files.join("inclusion-freeze.json"))
        .arg("--inclusion")
        .arg(files.join("inclusion-transfer.json"))
        .output()?;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        println!("    | {line}");
    }
    d.expect(
        &format!(
            "`custodian ledger verify` of checkpoints {s1} → {s2}, the freeze's and the transfer's inclusion"
        ),
        "exit 0",
        &format!("exit {}", out.status.code().unwrap_or(-1)),
    );
    let transfers = entries["entries"].as_array().map_or((0, 0), |a| {
        let t = a.iter().filter(|e| e["entry"]["kind"] == "transfer");
        (
            t.clone()
                .filter(|e| e["entry"]["decision"] == "allow")
                .count(),
            t.filter(|e| e["entry"]["decision"] == "deny").count(),
        )
    });
    let made = d.transfers;
    d.expect(
        "transfers abroad in the ledger (Singapore, the EU cell), allowed and refused, as the gate answered them",
        &format!("{}, {}", made.0, made.1),
        &format!("{}, {}", transfers.0, transfers.1),
    );

    d.step("6", "No plaintext PI anywhere on disk");
    disk::no_plaintext(d, dir, &entries)?;
    evasions(d, admin, regulator, &reg_key)
}
