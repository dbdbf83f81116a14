//! The storage conformance suite: every `Store` backend must pass it. A backend's test
//! calls [`run_all`] with a factory that makes a fresh, empty store and returns an opener
//! that opens *that same* store again (so persistence across reopening is tested too).
//!
//! Each check drives a real [`Vault`] over the backend through the public API, with the
//! example manifests of `examples/`.

use std::sync::Arc;

use custodian_ledger::{Checkpoint, Signer, note};

use crate::crypto::FileKek;
use crate::error::CoreError;
use crate::ids::{FieldName, Jurisdiction, PurposeId, ServiceName, TenantId, Token};
use crate::store::Store;
use crate::vault::{Reveal, Vault, VaultConfig};

/// The ride-hailing example manifest.
pub const RIDE_HAILING: &str = include_str!("../../../examples/ride_hailing.toml");
/// The job-board example manifest.
pub const JOB_BOARD: &str = include_str!("../../../examples/job_board.toml");
/// The freight example manifest.
pub const FREIGHT: &str = include_str!("../../../examples/freight.toml");

/// Opens the same store again.
pub type Opener = Box<dyn Fn() -> Arc<dyn Store>>;

/// A check's outcome: `Err` says what failed.
pub type Check = Result<(), String>;

/// One check of the suite.
pub type CheckFn = fn(&Opener) -> Check;

fn ensure(cond: bool, what: &str) -> Check {
    if cond { Ok(()) } else { Err(what.to_string()) }
}

fn id<T>(r: Result<T, CoreError>) -> Result<T, String> {
    r.map_err(|e| e.to_string())
}

/// The signer every conformance vault uses.
pub fn test_signer() -> Signer {
    // A valid fixed name: from_seed fails only for invalid names.
    Signer::from_seed("custodian.test/cn/ledger", &[42; 32]).unwrap_or_else(|_| test_signer())
}

/// The regulator key every conformance vault trusts.
pub fn test_regulator() -> Signer {
    Signer::from_seed("regulator.test/cac", &[43; 32]).unwrap_or_else(|_| test_regulator())
}

/// A vault over `store` with the fixed test KEK and signer.
pub fn vault(store: Arc<dyn Store>) -> Result<Vault, String> {
    id(Vault::open(
        store,
        Arc::new(FileKek::from_bytes([7; 32])),
        test_signer(),
        VaultConfig {
            jurisdiction: cn(),
            origin: "custodian.test/cn/ledger".into(),
            regulator_keys: vec![test_regulator().verifier()],
        },
    ))
}

fn cn() -> Jurisdiction {
    Jurisdiction::parse("CN").unwrap_or_else(|_| cn())
}

fn t(s: &str) -> Result<TenantId, String> {
    id(TenantId::parse(s))
}
fn p(s: &str) -> Result<PurposeId, String> {
    id(PurposeId::parse(s))
}
fn f(s: &str) -> Result<FieldName, String> {
    id(FieldName::parse(s))
}
fn sv(s: &str) -> Result<ServiceName, String> {
    id(ServiceName::parse(s))
}

/// Runs every check; returns the failures (name and reason).
pub fn run_all(fresh: &dyn Fn() -> Opener) -> Vec<(String, String)> {
    let checks: [(&str, CheckFn); 10] = [
        (
            "orders_take_effect_and_refusals",
            orders_take_effect_and_refusals,
        ),
        ("freeze_races_registrations", freeze_races_registrations),
        ("tenants_persist", tenants_persist),
        ("collect_and_detokenize", collect_and_detokenize),
        (
            "denials_are_refused_and_recorded",
            denials_are_refused_and_recorded,
        ),
        ("tenant_isolation", tenant_isolation),
        ("lookup_by_blind_index", lookup_by_blind_index),
        ("withdrawal_stops_processing", withdrawal_stops_processing),
        ("erase_and_export", erase_and_export),
        (
            "ledger_checkpoints_and_proofs",
            ledger_checkpoints_and_proofs,
        ),
    ];
    let mut failures = Vec::new();
    for (name, check) in checks {
        let opener = fresh();
        if let Err(e) = check(&opener) {
            failures.push((name.to_string(), e));
        }
    }
    let opener = fresh();
    if let Err(e) = concurrent_commits(&opener) {
        failures.push(("concurrent_commits".into(), e));
    }
    failures
}

fn setup(open: &Opener) -> Result<Vault, String> {
    let v = vault(open())?;
    id(v.load_manifest(&t("ride")?, RIDE_HAILING))?;
    id(v.load_manifest(&t("jobs")?, JOB_BOARD))?;
    let notes = id(v.load_manifest(&t("freight")?, FREIGHT))?;
    ensure(
        notes.iter().any(|n| n.rule == "self_declared_app_type"),
        "freight's app type is reported as self-declared",
    )?;
    Ok(v)
}

/// Tenants and manifests survive reopening the store.
pub fn tenants_persist(open: &Opener) -> Check {
    drop(setup(open)?);
    let v = vault(open())?;
    let mut ids: Vec<String> = v.tenant_ids().iter().map(ToString::to_string).collect();
    ids.sort();
    ensure(
        ids == ["freight", "jobs", "ride"],
        "three tenants after reopening",
    )?;
    ensure(
        id(v.manifest(&t("ride")?))?.app_type.id() == "online_car_hailing",
        "manifest reloaded",
    )
}

/// Values collected come back for the purpose, masked as the manifest says.
pub fn collect_and_detokenize(open: &Opener) -> Check {
    let v = setup(open)?;
    let (ride, dispatch, svc) = (t("ride")?, p("dispatch")?, sv("dispatch-svc")?);
    let s = id(v.register(&ride, &cn(), false))?;
    id(v.grant_consent(&ride, &s, &dispatch, true, false))?;
    let got = id(v.collect(
        &ride,
        &svc,
        &s,
        &dispatch,
        &[
            (f("phone")?, "13812345678"),
            (f("pickup")?, "北京市朝阳区建国路88号"),
            (f("trip_track")?, "39.9,116.4;39.91,116.41"),
        ],
    ))?;
    ensure(got.len() == 3, "three tokens")?;
    let phone_token = &got[0].token;
    ensure(
        phone_token.as_str().len() == 11 && !phone_token.as_str().starts_with("13"),
        "format-preserving phone token outside the mobile range",
    )?;
    let tokens: Vec<Token> = got.iter().map(|c| c.token.clone()).collect();
    let back = id(v.detokenize(&ride, &svc, &dispatch, &tokens, Reveal::Default))?;
    ensure(
        back[0].masked && back[0].value.expose() == "138****5678",
        "phone masked by default (mask_on_read)",
    )?;
    ensure(
        back[1].value.expose() == "北京市朝阳区建国路88号",
        "address in clear",
    )?;
    let clear = id(v.detokenize(&ride, &svc, &dispatch, &tokens[..1], Reveal::Clear))?;
    ensure(
        clear[0].value.expose() == "13812345678",
        "phone in clear when asked",
    )?;
    // Reopen: values still decrypt.
    drop(v);
    let v = vault(open())?;
    let again = id(v.detokenize(&ride, &svc, &dispatch, &tokens[1..2], Reveal::Clear))?;
    ensure(
        again[0].value.expose() == "北京市朝阳区建国路88号",
        "values survive reopening",
    )
}

/// Each rule refuses with its code, and the refusal is a ledger entry.
pub fn denials_are_refused_and_recorded(open: &Opener) -> Check {
    let v = setup(open)?;
    let (ride, safety, dispatch, svc) = (
        t("ride")?,
        p("safety")?,
        p("dispatch")?,
        sv("dispatch-svc")?,
    );
    let s = id(v.register(&ride, &cn(), false))?;
    let before = id(v.ledger_entries(0, u64::MAX))?.len();
    fn code<T>(r: Result<T, CoreError>) -> &'static str {
        match r {
            Err(CoreError::Denied(reasons)) => reasons.first().map(|r| r.code).unwrap_or(""),
            _ => "allowed",
        }
    }
    ensure(
        code(v.collect(
            &ride,
            &svc,
            &s,
            &safety,
            &[(f("emergency_contact")?, "13912345678")],
        )) == "consent_missing",
        "consent-based purpose without consent",
    )?;
    id(v.grant_consent(&ride, &s, &safety, false, false))?;
    ensure(
        code(v.collect(
            &ride,
            &svc,
            &s,
            &safety,
            &[(f("id_number")?, "11010519491231002X")],
        )) == "separate_consent_missing",
        "sensitive PI without separate consent",
    )?;
    id(v.grant_consent(&ride, &s, &dispatch, false, false))?;
    ensure(
        code(v.collect(&ride, &svc, &s, &dispatch, &[(f("phone")?, "12345")])) == "value_invalid",
        "invalid value",
    )?;
    ensure(
        code(v.collect(
            &ride,
            &svc,
            &s,
            &dispatch,
            &[(f("trip_note")?, "乘客身份证号 11010519491231002X，请核对")],
        )) == "undeclared_pi_in_free_text",
        "undeclared PI in free text",
    )?;
    ensure(
        code(v.collect(
            &ride,
            &sv("marketing-svc")?,
            &s,
            &dispatch,
            &[(f("phone")?, "13812345678")],
        )) == "service_not_granted_purpose",
        "service not granted",
    )?;
    ensure(
        code(v.register(&ride, &id(Jurisdiction::parse("US"))?, false)) == "wrong_jurisdiction",
        "subject of another jurisdiction",
    )?;
    let entries = id(v.ledger_entries(0, u64::MAX))?;
    let denies = entries[before..]
        .iter()
        .filter(|(_, e)| e.decision == custodian_ledger::Decision::Deny)
        .count();
    ensure(
        denies == 6,
        &format!("six denials in the ledger, found {denies}"),
    )
}

/// One tenant's tokens mean nothing to another.
pub fn tenant_isolation(open: &Opener) -> Check {
    let v = setup(open)?;
    let (jobs, ride) = (t("jobs")?, t("ride")?);
    let s = id(v.register(&jobs, &cn(), false))?;
    let got = id(v.collect(
        &jobs,
        &sv("matching-svc")?,
        &s,
        &p("job_matching")?,
        &[(f("phone")?, "13700001111")],
    ))?;
    match v.detokenize(
        &ride,
        &sv("dispatch-svc")?,
        &p("dispatch")?,
        &[got[0].token.clone()],
        Reveal::Clear,
    ) {
        Err(CoreError::NotFound(_)) => {}
        other => {
            return Err(format!(
                "another tenant's token must not resolve: {}",
                other.map(|_| "resolved").unwrap_or("other error")
            ));
        }
    }
    match v.collect(
        &ride,
        &sv("dispatch-svc")?,
        &s,
        &p("dispatch")?,
        &[(f("phone")?, "13700001111")],
    ) {
        Err(CoreError::NotFound(_)) => Ok(()),
        _ => Err("another tenant's subject must not be found".into()),
    }
}

/// A blind index finds every token of a value and nothing else.
pub fn lookup_by_blind_index(open: &Opener) -> Check {
    let v = setup(open)?;
    let (jobs, svc, purpose, phone) = (
        t("jobs")?,
        sv("matching-svc")?,
        p("job_matching")?,
        f("phone")?,
    );
    let a = id(v.register(&jobs, &cn(), false))?;
    let b = id(v.register(&jobs, &cn(), false))?;
    let ta = id(v.collect(&jobs, &svc, &a, &purpose, &[(phone.clone(), "13811112222")]))?;
    id(v.collect(&jobs, &svc, &b, &purpose, &[(phone.clone(), "13833334444")]))?;
    let found = id(v.lookup(&jobs, &svc, &purpose, &phone, "+86 138-1111-2222"))?;
    ensure(
        found == vec![ta[0].token.clone()],
        "lookup by a differently written equal value finds exactly its token",
    )?;
    ensure(
        id(v.lookup(&jobs, &svc, &purpose, &phone, "13899999999"))?.is_empty(),
        "unknown value finds nothing",
    )
}

/// Withdrawing consent stops processing from that moment.
pub fn withdrawal_stops_processing(open: &Opener) -> Check {
    let v = setup(open)?;
    let (jobs, pool, svc, email) = (t("jobs")?, p("talent_pool")?, sv("pool-svc")?, f("email")?);
    let s = id(v.register(&jobs, &cn(), false))?;
    id(v.grant_consent(&jobs, &s, &pool, false, false))?;
    let got = id(v.collect(&jobs, &svc, &s, &pool, &[(email, "li.na@example.com")]))?;
    id(v.detokenize(&jobs, &svc, &pool, &[got[0].token.clone()], Reveal::Clear))?;
    id(v.withdraw_consent(&jobs, &s, &pool))?;
    match v.detokenize(&jobs, &svc, &pool, &[got[0].token.clone()], Reveal::Clear) {
        Err(CoreError::Denied(r)) if r.iter().any(|r| r.code == "consent_withdrawn") => Ok(()),
        _ => Err("reading after withdrawal must be denied with consent_withdrawn".into()),
    }
}

/// Export is complete; erasure leaves nothing readable.
pub fn erase_and_export(open: &Opener) -> Check {
    let v = setup(open)?;
    let (jobs, svc, purpose) = (t("jobs")?, sv("matching-svc")?, p("job_matching")?);
    let s = id(v.register(&jobs, &cn(), false))?;
    let got = id(v.collect(
        &jobs,
        &svc,
        &s,
        &purpose,
        &[
            (f("phone")?, "13855556666"),
            (f("resume")?, "十年物流调度经验，邮箱 zhang.wei@example.com"),
        ],
    ))?;
    ensure(
        got[1].undeclared_pi == ["email"],
        "the e-mail in the resume is tokenized",
    )?;
    let export = id(v.export_subject(&jobs, &s))?;
    ensure(
        export.values.len() == 3,
        &format!(
            "export holds phone, resume and the tokenized e-mail, got {}",
            export.values.len()
        ),
    )?;
    ensure(
        export
            .values
            .iter()
            .any(|x| x.value.expose() == "zhang.wei@example.com"),
        "export holds the embedded e-mail",
    )?;
    ensure(
        export
            .values
            .iter()
            .any(|x| x.value.expose().contains("tok_") && x.value.expose().starts_with("十年")),
        "the resume keeps a token where the e-mail was",
    )?;
    id(v.erase_subject(&jobs, &s))?;
    ensure(
        v.detokenize(
            &jobs,
            &svc,
            &purpose,
            &[got[0].token.clone()],
            Reveal::Clear,
        )
        .is_err(),
        "nothing reads after erasure",
    )?;
    ensure(
        v.collect(&jobs, &svc, &s, &purpose, &[(f("phone")?, "13855556666")])
            .is_err(),
        "nothing collects after erasure",
    )?;
    ensure(
        matches!(v.erase_subject(&jobs, &s), Err(CoreError::Conflict(_))),
        "erasing twice is a conflict",
    )?;
    let after = id(v.export_subject(&jobs, &s))?;
    ensure(
        after.values.is_empty() && after.subject.erased,
        "export after erasure holds no values",
    )
}

/// Checkpoints verify; proofs verify against them; the ledger records the acts.
pub fn ledger_checkpoints_and_proofs(open: &Opener) -> Check {
    let v = setup(open)?;
    let (ride, dispatch, svc) = (t("ride")?, p("dispatch")?, sv("dispatch-svc")?);
    let verifier = test_signer().verifier();
    let cp1 = id(Checkpoint::parse(
        &note::open(&id(v.checkpoint())?, std::slice::from_ref(&verifier))
            .map_err(|e| e.to_string())?
            .text,
    )
    .map_err(|e| CoreError::Integrity(e.to_string())))?;
    let s = id(v.register(&ride, &cn(), false))?;
    id(v.collect(&ride, &svc, &s, &dispatch, &[(f("phone")?, "13812345678")]))?;
    let cp2 = id(Checkpoint::parse(
        &note::open(&id(v.checkpoint())?, &[verifier])
            .map_err(|e| e.to_string())?
            .text,
    )
    .map_err(|e| CoreError::Integrity(e.to_string())))?;
    ensure(
        cp2.size.get() == cp1.size.get() + 2,
        "register and collect added two entries",
    )?;
    let c = id(v.consistency_proof(cp1.size.get(), cp2.size.get()))?;
    c.verify(&cp1.root, &cp2.root).map_err(|e| e.to_string())?;
    let entries = id(v.ledger_entries(0, cp2.size.get()))?;
    for (i, e) in &entries {
        let proof = id(v.inclusion_proof(*i, cp2.size.get()))?;
        proof
            .verify(&e.leaf_hash().map_err(|e| e.to_string())?, &cp2.root)
            .map_err(|e| e.to_string())?;
    }
    let last = &entries.last().ok_or("entries")?.1;
    ensure(
        last.kind == custodian_ledger::EntryKind::Collect
            && last.subject.as_ref().map(|x| x.as_str()) == Some(s.as_str()),
        "the last entry records the collect",
    )?;
    drop(v);
    let v = vault(open())?;
    let cp3 = id(Checkpoint::parse(
        &note::open(&id(v.checkpoint())?, &[test_signer().verifier()])
            .map_err(|e| e.to_string())?
            .text,
    )
    .map_err(|e| CoreError::Integrity(e.to_string())))?;
    ensure(
        cp3.root == cp2.root && cp3.size == cp2.size,
        "the ledger head survives reopening",
    )
}

/// Concurrent commits get distinct, gap-free ledger indexes and all land.
pub fn concurrent_commits(open: &Opener) -> Check {
    let v = Arc::new(setup(open)?);
    let ride = t("ride")?;
    let start = id(v.ledger_entries(0, u64::MAX))?.len() as u64;
    let mut handles = Vec::new();
    for _ in 0..4 {
        let v = Arc::clone(&v);
        let ride = ride.clone();
        handles.push(std::thread::spawn(move || -> Result<usize, String> {
            let (dispatch, svc, phone) = (p("dispatch")?, sv("dispatch-svc")?, f("phone")?);
            let mut n = 0;
            for _ in 0..25 {
                let s = id(v.register(&ride, &cn(), false))?;
                id(v.collect(
                    &ride,
                    &svc,
                    &s,
                    &dispatch,
                    &[(phone.clone(), "13812345678")],
                ))?;
                n += 2;
            }
            Ok(n)
        }));
    }
    let mut total = 0;
    for h in handles {
        total += h
            .join()
            .map_err(|_| "a writer thread panicked".to_string())??;
    }
    let entries = id(v.ledger_entries(0, u64::MAX))?;
    let idx: Vec<u64> = entries.iter().map(|(i, _)| *i).collect();
    ensure(
        idx == (0..start + total as u64).collect::<Vec<_>>(),
        "ledger indexes are 0..n without gaps or duplicates",
    )
}

/// A signed order from the test regulator (or `signer`), effective from `effective_from`.
pub fn signed_order(
    signer: &Signer,
    id: &str,
    kind: crate::orders::OrderKind,
    targets: &[&str],
    effective_from: i64,
    expires_at: Option<i64>,
) -> String {
    let order = crate::orders::Order {
        id: id.to_string(),
        issuer: "CAC".into(),
        kind,
        targets: targets
            .iter()
            .filter_map(|t| TenantId::parse(t).ok())
            .collect(),
        reason: "cybersecurity review".into(),
        legal_basis: "Cybersecurity Review Measures Art. 16".into(),
        issued_at: effective_from,
        effective_from,
        expires_at,
        nonce: format!("nonce{}{:016x}", id.len(), {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            id.hash(&mut h);
            h.finish()
        }),
    };
    signer.sign(&order.signing_text()).unwrap_or_default()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Orders take effect at once (or on time), are refused when unsigned, mis-signed,
/// malformed, expired, replayed or lifting nothing, and are lifted by later orders.
pub fn orders_take_effect_and_refusals(open: &Opener) -> Check {
    use crate::orders::{OrderKind, OrderStatus};
    let v = setup(open)?;
    let reg = test_regulator();
    let (ride, jobs) = (t("ride")?, t("jobs")?);
    let existing = id(v.register(&ride, &cn(), false))?;
    let t0 = now() - 1000;
    let freeze = signed_order(
        &reg,
        "ord-freeze-1",
        OrderKind::SuspendRegistration,
        &["ride", "freight"],
        t0,
        None,
    );
    let o = id(v.submit_order(&freeze))?;
    ensure(o.id == "ord-freeze-1", "order stored")?;
    match v.register(&ride, &cn(), false) {
        Err(CoreError::Denied(r))
            if r[0].code == "registration_suspended"
                && r[0].order.as_deref() == Some("ord-freeze-1")
                && r[0].message.contains("CAC") => {}
        other => {
            return Err(format!(
                "registration must be refused naming the order and issuer: {:?}",
                other.map(|s| s.to_string())
            ));
        }
    }
    id(v.register(&jobs, &cn(), false))?;
    id(v.collect(
        &ride,
        &sv("dispatch-svc")?,
        &existing,
        &p("dispatch")?,
        &[(f("phone")?, "13812345678")],
    ))?;
    // Refusals, each with its code.
    let code = |r: Result<crate::orders::Order, CoreError>| match r {
        Err(CoreError::Order(e)) => e.code(),
        _ => "accepted",
    };
    let stranger =
        Signer::from_seed("someone.else/regulator", &[44; 32]).map_err(|e| e.to_string())?;
    ensure(
        code(v.submit_order(&signed_order(
            &stranger,
            "ord-x1",
            OrderKind::SuspendTransfers,
            &[],
            t0,
            None,
        ))) == "order_signature",
        "unknown key",
    )?;
    ensure(
        code(v.submit_order("{\"id\":\"x\"}\n")) == "order_signature",
        "unsigned",
    )?;
    let tampered = signed_order(&reg, "ord-x2", OrderKind::SuspendTransfers, &[], t0, None)
        .replace("\"CAC\"", "\"CAD\"");
    ensure(
        code(v.submit_order(&tampered)) == "order_signature",
        "bad signature",
    )?;
    let body = signed_order(&reg, "ord-x3", OrderKind::SuspendTransfers, &[], t0, None);
    let text = body.split("\n\n").next().unwrap_or("").to_string();
    let spaced = reg
        .sign(&format!("{}\n", text.replacen(',', ", ", 1)))
        .map_err(|e| e.to_string())?;
    ensure(
        code(v.submit_order(&spaced)) == "order_malformed",
        "non-canonical",
    )?;
    ensure(
        code(v.submit_order(&signed_order(
            &reg,
            "ord-x4",
            OrderKind::SuspendTransfers,
            &[],
            t0 - 10_000,
            Some(t0),
        ))) == "order_expired",
        "expired",
    )?;
    ensure(
        code(v.submit_order(&freeze)) == "order_replayed",
        "replayed",
    )?;
    ensure(
        code(v.submit_order(&signed_order(
            &reg,
            "ord-x5",
            OrderKind::Lift {
                order: "ord-nope".into(),
            },
            &[],
            t0,
            None,
        ))) == "order_lift_unknown",
        "lift of an unknown order",
    )?;
    // A future order is stored, pending, not yet enforced.
    id(v.submit_order(&signed_order(
        &reg,
        "ord-later",
        OrderKind::SuspendRegistration,
        &["jobs"],
        now() + 3_600_000,
        None,
    )))?;
    ensure(
        v.list_orders(None)
            .iter()
            .any(|(o, s)| o.id == "ord-later" && *s == OrderStatus::Pending),
        "pending order listed",
    )?;
    id(v.register(&jobs, &cn(), false))?;
    // Suspending a purpose.
    id(v.submit_order(&signed_order(
        &reg,
        "ord-stop-dispatch",
        OrderKind::SuspendProcessing {
            purposes: vec![p("dispatch")?],
        },
        &["ride"],
        t0,
        None,
    )))?;
    match v.collect(
        &ride,
        &sv("dispatch-svc")?,
        &existing,
        &p("dispatch")?,
        &[(f("phone")?, "13812345678")],
    ) {
        Err(CoreError::Denied(r))
            if r.iter().any(|r| {
                r.code == "processing_suspended" && r.order.as_deref() == Some("ord-stop-dispatch")
            }) => {}
        _ => return Err("processing must be suspended".into()),
    }
    // Rectification past its deadline is overdue.
    id(v.submit_order(&signed_order(
        &reg,
        "ord-rectify",
        OrderKind::Rectify {
            items: vec!["remove clipboard reads".into()],
            deadline: t0,
        },
        &["ride"],
        t0,
        None,
    )))?;
    ensure(
        v.list_orders(Some(&ride))
            .iter()
            .any(|(o, s)| o.id == "ord-rectify" && *s == OrderStatus::Overdue),
        "rectify overdue",
    )?;
    ensure(
        !v.list_orders(Some(&jobs))
            .iter()
            .any(|(o, _)| o.id == "ord-rectify"),
        "a tenant sees only its orders",
    )?;
    // Lift the freeze: registration works again, and after reopening too.
    id(v.submit_order(&signed_order(
        &reg,
        "ord-lift-1",
        OrderKind::Lift {
            order: "ord-freeze-1".into(),
        },
        &["ride", "freight"],
        now() - 10,
        None,
    )))?;
    id(v.register(&ride, &cn(), false))?;
    drop(v);
    let v = vault(open())?;
    ensure(
        v.list_orders(None)
            .iter()
            .any(|(o, s)| o.id == "ord-freeze-1" && *s == OrderStatus::Lifted),
        "lift survives reopening",
    )?;
    ensure(
        code(v.submit_order(&freeze)) == "order_replayed",
        "replay refused after reopening",
    )?;
    let entries = id(v.ledger_entries(0, u64::MAX))?;
    let orders_ok = entries
        .iter()
        .filter(|(_, e)| {
            e.kind == custodian_ledger::EntryKind::Order
                && e.decision == custodian_ledger::Decision::Allow
        })
        .count();
    let orders_refused = entries
        .iter()
        .filter(|(_, e)| {
            e.kind == custodian_ledger::EntryKind::Order
                && e.decision == custodian_ledger::Decision::Deny
        })
        .count();
    ensure(
        orders_ok == 5 && orders_refused == 8,
        &format!(
            "ledger holds 5 accepted and 8 refused orders, found {orders_ok} and {orders_refused}"
        ),
    )
}

/// A registration in flight when a freeze lands is before it in the ledger, or refused.
pub fn freeze_races_registrations(open: &Opener) -> Check {
    use crate::orders::OrderKind;
    let v = Arc::new(setup(open)?);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut hs = Vec::new();
    for _ in 0..3 {
        let (v, stop) = (Arc::clone(&v), Arc::clone(&stop));
        hs.push(std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = t("ride").map(|ride| v.register(&ride, &cn(), false));
            }
        }));
    }
    std::thread::sleep(std::time::Duration::from_millis(30));
    id(v.submit_order(&signed_order(
        &test_regulator(),
        "ord-race",
        OrderKind::SuspendRegistration,
        &["ride"],
        now() - 1,
        None,
    )))?;
    std::thread::sleep(std::time::Duration::from_millis(30));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for h in hs {
        h.join()
            .map_err(|_| "a registering thread panicked".to_string())?;
    }
    let entries = id(v.ledger_entries(0, u64::MAX))?;
    let at = entries
        .iter()
        .position(|(_, e)| {
            e.kind == custodian_ledger::EntryKind::Order
                && e.order.as_ref().map(|o| o.as_str()) == Some("ord-race")
        })
        .ok_or("the order is in the ledger")?;
    let allowed_before = entries[..at]
        .iter()
        .filter(|(_, e)| {
            e.kind == custodian_ledger::EntryKind::Register
                && e.decision == custodian_ledger::Decision::Allow
        })
        .count();
    let allowed_after = entries[at..]
        .iter()
        .filter(|(_, e)| {
            e.kind == custodian_ledger::EntryKind::Register
                && e.decision == custodian_ledger::Decision::Allow
        })
        .count();
    let refused_after = entries[at..]
        .iter()
        .filter(|(_, e)| {
            e.kind == custodian_ledger::EntryKind::Register
                && e.decision == custodian_ledger::Decision::Deny
        })
        .count();
    ensure(
        allowed_before > 0 && refused_after > 0,
        "registrations ran on both sides of the order",
    )?;
    ensure(
        allowed_after == 0,
        &format!("{allowed_after} registration(s) allowed after the freeze in the ledger"),
    )
}
