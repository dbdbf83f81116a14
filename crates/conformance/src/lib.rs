//! The storage conformance suite: every `Store` backend must pass it. A backend's test file
//! expands [`conformance_tests!`] with a factory that makes a fresh, empty store and returns
//! an opener that opens *that same* store again (so persistence across reopening is tested
//! too); the macro writes one `#[test]` per check, so a failure names the check and, by its
//! test binary, the backend.
//!
//! Each check drives a real [`Vault`] over the backend through the public API, with the
//! example manifests of `examples/` and fixed test keys — which is why this is a crate of its
//! own that only tests and benchmarks depend on, not part of `custodian-core`'s API.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::sync::Arc;

use custodian_ledger::{Checkpoint, Signer, note};

use custodian_core::access::{AdminScope, DpoScope, RegulatorScope, Scope, ServiceScope};
use custodian_core::crypto::FileKek;
use custodian_core::decision::{ConsentChange, ReasonCode};
use custodian_core::error::CoreError;
use custodian_core::ids::{
    FieldName, Jurisdiction, PurposeId, ServiceName, SubjectRole, TenantId, Token,
};
use custodian_core::store::Store;
use custodian_core::vault::{Reveal, Vault, VaultConfig};

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

fn id<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, String> {
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

/// Expands to one `#[test]` per conformance check, each over a fresh store from `$fresh`
/// (an expression of type `fn() -> Opener`).
#[macro_export]
macro_rules! conformance_tests {
    ($fresh:expr) => {
        $crate::conformance_tests!(@each $fresh;
            orders_take_effect_and_refusals,
            freeze_races_registrations,
            tenants_persist,
            collect_and_detokenize,
            denials_are_refused_and_recorded,
            tenant_isolation,
            lookup_by_blind_index,
            lookup_obeys_orders_and_consent,
            withdrawal_stops_processing,
            duplicate_consent_grants_update_one_row,
            values_hold_their_type,
            undeclared_identifiers_never_reach_the_ledger,
            subject_roles_scope_collection,
            erase_and_export,
            ledger_checkpoints_and_proofs,
            concurrent_commits
        );
    };
    (@each $fresh:expr; $($check:ident),+) => {
        $(
            #[test]
            fn $check() {
                let opener: $crate::Opener = ($fresh)();
                if let Err(e) = $crate::$check(&opener) {
                    panic!("conformance check `{}` failed: {e}", stringify!($check));
                }
            }
        )+
    };
}

/// The service tests act as in each example tenant (`ride`: dispatch, `jobs`: matching,
/// `freight`: matching).
pub fn first_service(tenant: &TenantId) -> ServiceName {
    let name = match tenant.as_str() {
        "jobs" => "matching-svc",
        "freight" => "match-svc",
        _ => "dispatch-svc",
    };
    ServiceName::parse(name).unwrap_or_else(|_| first_service(tenant))
}

fn svc_of(tenant: &TenantId) -> Result<ServiceScope, String> {
    Ok(scope(tenant, &first_service(tenant)))
}

fn scope(tenant: &TenantId, service: &ServiceName) -> ServiceScope {
    ServiceScope::new(tenant.clone(), service.clone())
}

fn dpo(tenant: &TenantId) -> DpoScope {
    DpoScope::new(tenant.clone())
}

fn setup(open: &Opener) -> Result<Vault, String> {
    let v = vault(open())?;
    id(v.load_manifest(&AdminScope::new(), &t("ride")?, RIDE_HAILING))?;
    id(v.load_manifest(&AdminScope::new(), &t("jobs")?, JOB_BOARD))?;
    let notes = id(v.load_manifest(&AdminScope::new(), &t("freight")?, FREIGHT))?;
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
    let s = id(v.register(&svc_of(&ride)?, &cn(), None, false))?;
    id(v.change_consent(
        &dpo(&ride),
        &s,
        &dispatch,
        ConsentChange::Grant {
            separate: true,
            by_guardian: false,
        },
    ))?;
    let got = id(v.collect(
        &scope(&ride, &svc),
        &s,
        &dispatch,
        &[
            (f("phone")?, "13812345678"),
            (f("pickup")?, "北京市朝阳区建国路88号"),
            (
                f("trip_track")?,
                "39.9,116.4,2026-10-01T08:00:00Z;39.91,116.41,2026-10-01T08:05:00Z",
            ),
        ],
    ))?;
    ensure(got.len() == 3, "three tokens")?;
    let phone_token = &got[0].token;
    ensure(
        phone_token.as_str().len() == 11 && !phone_token.as_str().starts_with("13"),
        "format-preserving phone token outside the mobile range",
    )?;
    let tokens: Vec<Token> = got.iter().map(|c| c.token.clone()).collect();
    let back = id(v.detokenize(&scope(&ride, &svc), &dispatch, &tokens, Reveal::Default))?;
    ensure(
        back[0].masked && back[0].value.expose() == "138****5678",
        "phone masked by default (mask_on_read)",
    )?;
    ensure(
        back[1].value.expose() == "北京市朝阳区建国路88号",
        "address in clear",
    )?;
    let clear = id(v.detokenize(&scope(&ride, &svc), &dispatch, &tokens[..1], Reveal::Clear))?;
    ensure(
        clear[0].value.expose() == "13812345678",
        "phone in clear when asked",
    )?;
    // Reopen: values still decrypt.
    drop(v);
    let v = vault(open())?;
    let again = id(v.detokenize(&scope(&ride, &svc), &dispatch, &tokens[1..2], Reveal::Clear))?;
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
    let s = id(v.register(&svc_of(&ride)?, &cn(), None, false))?;
    let before = id(v.ledger_entries(0, u64::MAX))?.len();
    fn code<T>(r: Result<T, CoreError>) -> &'static str {
        match r {
            Err(CoreError::Denied(reasons)) => {
                reasons.first().map(|r| r.code.as_str()).unwrap_or("")
            }
            _ => "allowed",
        }
    }
    ensure(
        code(v.collect(
            &scope(&ride, &svc),
            &s,
            &safety,
            &[(f("emergency_contact")?, "13912345678")],
        )) == "consent_missing",
        "consent-based purpose without consent",
    )?;
    id(v.change_consent(
        &dpo(&ride),
        &s,
        &safety,
        ConsentChange::Grant {
            separate: false,
            by_guardian: false,
        },
    ))?;
    ensure(
        code(v.collect(
            &scope(&ride, &svc),
            &s,
            &safety,
            &[(f("id_number")?, "11010519491231002X")],
        )) == "separate_consent_missing",
        "sensitive PI without separate consent",
    )?;
    id(v.change_consent(
        &dpo(&ride),
        &s,
        &dispatch,
        ConsentChange::Grant {
            separate: false,
            by_guardian: false,
        },
    ))?;
    ensure(
        code(v.collect(
            &scope(&ride, &svc),
            &s,
            &dispatch,
            &[(f("phone")?, "12345")],
        )) == "value_invalid",
        "invalid value",
    )?;
    ensure(
        code(v.collect(
            &scope(&ride, &svc),
            &s,
            &dispatch,
            &[(f("trip_note")?, "乘客身份证号 11010519491231002X，请核对")],
        )) == "undeclared_pi_in_free_text",
        "undeclared PI in free text",
    )?;
    ensure(
        code(v.collect(
            &scope(&ride, &sv("marketing-svc")?),
            &s,
            &dispatch,
            &[(f("phone")?, "13812345678")],
        )) == "service_not_granted_purpose",
        "service not granted",
    )?;
    ensure(
        code(v.register(
            &svc_of(&ride)?,
            &id(Jurisdiction::parse("US"))?,
            None,
            false,
        )) == "wrong_jurisdiction",
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
    let s = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    let got = id(v.collect(
        &scope(&jobs, &sv("matching-svc")?),
        &s,
        &p("job_matching")?,
        &[(f("phone")?, "13700001111")],
    ))?;
    match v.detokenize(
        &scope(&ride, &sv("dispatch-svc")?),
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
        &scope(&ride, &sv("dispatch-svc")?),
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
    let a = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    let b = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    let ta = id(v.collect(
        &scope(&jobs, &svc),
        &a,
        &purpose,
        &[(phone.clone(), "13811112222")],
    ))?;
    id(v.collect(
        &scope(&jobs, &svc),
        &b,
        &purpose,
        &[(phone.clone(), "13833334444")],
    ))?;
    let found = id(v.lookup(&scope(&jobs, &svc), &purpose, &phone, "+86 138-1111-2222"))?;
    ensure(
        found == vec![ta[0].token.clone()],
        "lookup by a differently written equal value finds exactly its token",
    )?;
    ensure(
        id(v.lookup(&scope(&jobs, &svc), &purpose, &phone, "13899999999"))?.is_empty(),
        "unknown value finds nothing",
    )
}

/// Withdrawing consent stops processing from that moment.
pub fn withdrawal_stops_processing(open: &Opener) -> Check {
    let v = setup(open)?;
    let (jobs, pool, svc, email) = (t("jobs")?, p("talent_pool")?, sv("pool-svc")?, f("email")?);
    let s = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    id(v.change_consent(
        &dpo(&jobs),
        &s,
        &pool,
        ConsentChange::Grant {
            separate: false,
            by_guardian: false,
        },
    ))?;
    let got = id(v.collect(
        &scope(&jobs, &svc),
        &s,
        &pool,
        &[(email, "li.na@example.com")],
    ))?;
    id(v.detokenize(
        &scope(&jobs, &svc),
        &pool,
        &[got[0].token.clone()],
        Reveal::Clear,
    ))?;
    id(v.change_consent(&dpo(&jobs), &s, &pool, ConsentChange::Withdraw))?;
    match v.detokenize(
        &scope(&jobs, &svc),
        &pool,
        &[got[0].token.clone()],
        Reveal::Clear,
    ) {
        Err(CoreError::Denied(r)) if r.iter().any(|r| r.code.as_str() == "consent_withdrawn") => {
            Ok(())
        }
        _ => Err("reading after withdrawal must be denied with consent_withdrawn".into()),
    }
}

/// Export is complete; erasure leaves nothing readable.
pub fn erase_and_export(open: &Opener) -> Check {
    let v = setup(open)?;
    let (jobs, svc, purpose) = (t("jobs")?, sv("matching-svc")?, p("job_matching")?);
    let s = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    let got = id(v.collect(
        &scope(&jobs, &svc),
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
    let export = id(v.export_subject(&dpo(&jobs), &s))?;
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
    id(v.erase_subject(&dpo(&jobs), &s))?;
    ensure(
        v.detokenize(
            &scope(&jobs, &svc),
            &purpose,
            &[got[0].token.clone()],
            Reveal::Clear,
        )
        .is_err(),
        "nothing reads after erasure",
    )?;
    ensure(
        v.collect(
            &scope(&jobs, &svc),
            &s,
            &purpose,
            &[(f("phone")?, "13855556666")],
        )
        .is_err(),
        "nothing collects after erasure",
    )?;
    ensure(
        matches!(
            v.erase_subject(&dpo(&jobs), &s),
            Err(CoreError::Conflict(_))
        ),
        "erasing twice is a conflict",
    )?;
    let after = id(v.export_subject(&dpo(&jobs), &s))?;
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
    let s = id(v.register(&svc_of(&ride)?, &cn(), None, false))?;
    id(v.collect(
        &scope(&ride, &svc),
        &s,
        &dispatch,
        &[(f("phone")?, "13812345678")],
    ))?;
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
                let s = id(v.register(&svc_of(&ride)?, &cn(), None, false))?;
                id(v.collect(
                    &scope(&ride, &svc),
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
    kind: custodian_core::orders::OrderKind,
    targets: &[&str],
    effective_from: i64,
    expires_at: Option<i64>,
) -> String {
    let order = custodian_core::orders::Order {
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
    use custodian_core::orders::{OrderKind, OrderStatus};
    let v = setup(open)?;
    let reg = test_regulator();
    let (ride, jobs) = (t("ride")?, t("jobs")?);
    let existing = id(v.register(&svc_of(&ride)?, &cn(), None, false))?;
    let t0 = now() - 1000;
    let freeze = signed_order(
        &reg,
        "ord-freeze-1",
        OrderKind::SuspendRegistration,
        &["ride", "freight"],
        t0,
        None,
    );
    let o = id(v.submit_order(&RegulatorScope::new(), &freeze))?;
    ensure(o.id == "ord-freeze-1", "order stored")?;
    match v.register(&svc_of(&ride)?, &cn(), None, false) {
        Err(CoreError::Denied(r))
            if r[0].code.as_str() == "registration_suspended"
                && r[0].order.as_deref() == Some("ord-freeze-1")
                && r[0].message.contains("CAC") => {}
        other => {
            return Err(format!(
                "registration must be refused naming the order and issuer: {:?}",
                other.map(|s| s.to_string())
            ));
        }
    }
    id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    id(v.collect(
        &scope(&ride, &sv("dispatch-svc")?),
        &existing,
        &p("dispatch")?,
        &[(f("phone")?, "13812345678")],
    ))?;
    // Refusals, each with its code.
    let code = |r: Result<custodian_core::orders::Order, CoreError>| match r {
        Err(CoreError::Order(e)) => e.code(),
        _ => "accepted",
    };
    let stranger =
        Signer::from_seed("someone.else/regulator", &[44; 32]).map_err(|e| e.to_string())?;
    ensure(
        code(v.submit_order(
            &RegulatorScope::new(),
            &signed_order(
                &stranger,
                "ord-x1",
                OrderKind::SuspendTransfers,
                &[],
                t0,
                None,
            ),
        )) == "order_signature",
        "unknown key",
    )?;
    ensure(
        code(v.submit_order(&RegulatorScope::new(), "{\"id\":\"x\"}\n")) == "order_signature",
        "unsigned",
    )?;
    let tampered = signed_order(&reg, "ord-x2", OrderKind::SuspendTransfers, &[], t0, None)
        .replace("\"CAC\"", "\"CAD\"");
    ensure(
        code(v.submit_order(&RegulatorScope::new(), &tampered)) == "order_signature",
        "bad signature",
    )?;
    let body = signed_order(&reg, "ord-x3", OrderKind::SuspendTransfers, &[], t0, None);
    let text = body.split("\n\n").next().unwrap_or("").to_string();
    let spaced = reg
        .sign(&format!("{}\n", text.replacen(',', ", ", 1)))
        .map_err(|e| e.to_string())?;
    ensure(
        code(v.submit_order(&RegulatorScope::new(), &spaced)) == "order_malformed",
        "non-canonical",
    )?;
    ensure(
        code(v.submit_order(
            &RegulatorScope::new(),
            &signed_order(
                &reg,
                "ord-x4",
                OrderKind::SuspendTransfers,
                &[],
                t0 - 10_000,
                Some(t0),
            ),
        )) == "order_expired",
        "expired",
    )?;
    ensure(
        code(v.submit_order(&RegulatorScope::new(), &freeze)) == "order_replayed",
        "replayed",
    )?;
    ensure(
        code(v.submit_order(
            &RegulatorScope::new(),
            &signed_order(
                &reg,
                "ord-x5",
                OrderKind::Lift {
                    order: "ord-nope".into(),
                },
                &[],
                t0,
                None,
            ),
        )) == "order_lift_unknown",
        "lift of an unknown order",
    )?;
    // A future order is stored, pending, not yet enforced.
    id(v.submit_order(
        &RegulatorScope::new(),
        &signed_order(
            &reg,
            "ord-later",
            OrderKind::SuspendRegistration,
            &["jobs"],
            now() + 3_600_000,
            None,
        ),
    ))?;
    ensure(
        v.list_orders(&Scope::Regulator(RegulatorScope::new()))
            .iter()
            .any(|(o, s)| o.id == "ord-later" && *s == OrderStatus::Pending),
        "pending order listed",
    )?;
    id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    // Suspending a purpose.
    id(v.submit_order(
        &RegulatorScope::new(),
        &signed_order(
            &reg,
            "ord-stop-dispatch",
            OrderKind::SuspendProcessing {
                purposes: vec![p("dispatch")?],
            },
            &["ride"],
            t0,
            None,
        ),
    ))?;
    match v.collect(
        &scope(&ride, &sv("dispatch-svc")?),
        &existing,
        &p("dispatch")?,
        &[(f("phone")?, "13812345678")],
    ) {
        Err(CoreError::Denied(r))
            if r.iter().any(|r| {
                r.code.as_str() == "processing_suspended"
                    && r.order.as_deref() == Some("ord-stop-dispatch")
            }) => {}
        _ => return Err("processing must be suspended".into()),
    }
    // Rectification past its deadline is overdue.
    id(v.submit_order(
        &RegulatorScope::new(),
        &signed_order(
            &reg,
            "ord-rectify",
            OrderKind::Rectify {
                items: vec!["remove clipboard reads".into()],
                deadline: t0,
            },
            &["ride"],
            t0,
            None,
        ),
    ))?;
    ensure(
        v.list_orders(&Scope::Dpo(dpo(&ride)))
            .iter()
            .any(|(o, s)| o.id == "ord-rectify" && *s == OrderStatus::Overdue),
        "rectify overdue",
    )?;
    ensure(
        !v.list_orders(&Scope::Dpo(dpo(&jobs)))
            .iter()
            .any(|(o, _)| o.id == "ord-rectify"),
        "a tenant sees only its orders",
    )?;
    // Lift the freeze: registration works again, and after reopening too.
    id(v.submit_order(
        &RegulatorScope::new(),
        &signed_order(
            &reg,
            "ord-lift-1",
            OrderKind::Lift {
                order: "ord-freeze-1".into(),
            },
            &["ride", "freight"],
            now() - 10,
            None,
        ),
    ))?;
    id(v.register(&svc_of(&ride)?, &cn(), None, false))?;
    drop(v);
    let v = vault(open())?;
    ensure(
        v.list_orders(&Scope::Regulator(RegulatorScope::new()))
            .iter()
            .any(|(o, s)| o.id == "ord-freeze-1" && *s == OrderStatus::Lifted),
        "lift survives reopening",
    )?;
    ensure(
        code(v.submit_order(&RegulatorScope::new(), &freeze)) == "order_replayed",
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
    use custodian_core::orders::OrderKind;
    let v = Arc::new(setup(open)?);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut hs = Vec::new();
    for _ in 0..3 {
        let (v, stop) = (Arc::clone(&v), Arc::clone(&stop));
        hs.push(std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = t("ride")
                    .and_then(|ride| svc_of(&ride))
                    .map(|svc| v.register(&svc, &cn(), None, false));
            }
        }));
    }
    std::thread::sleep(std::time::Duration::from_millis(30));
    id(v.submit_order(
        &RegulatorScope::new(),
        &signed_order(
            &test_regulator(),
            "ord-race",
            OrderKind::SuspendRegistration,
            &["ride"],
            now() - 1,
            None,
        ),
    ))?;
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

fn denied_codes<T>(r: Result<T, CoreError>) -> Vec<ReasonCode> {
    match r {
        Err(CoreError::Denied(reasons)) => reasons.iter().map(|r| r.code).collect(),
        _ => Vec::new(),
    }
}

/// Every ledger entry's canonical bytes, to search for what must not be there.
fn ledger_bytes(v: &Vault) -> Result<Vec<Vec<u8>>, String> {
    id(v.ledger_entries(0, u64::MAX))?
        .into_iter()
        .map(|(_, e)| e.encode().map_err(|e| e.to_string()))
        .collect()
}

/// Lookups are decided like reads: a `suspend_processing` order for the purpose refuses
/// them, and a withdrawn consent leaves the subject out (refused when it is the only one).
pub fn lookup_obeys_orders_and_consent(open: &Opener) -> Check {
    use custodian_core::orders::OrderKind;
    let v = setup(open)?;
    let ride = t("ride")?;
    let (dispatch, marketing, phone) = (p("dispatch")?, p("marketing")?, f("phone")?);
    let (disp, mkt) = (
        scope(&ride, &sv("dispatch-svc")?),
        scope(&ride, &sv("marketing-svc")?),
    );
    let s = id(v.register(&disp, &cn(), None, false))?;
    id(v.change_consent(
        &dpo(&ride),
        &s,
        &marketing,
        ConsentChange::Grant {
            separate: false,
            by_guardian: false,
        },
    ))?;
    let tok = id(v.collect(&disp, &s, &dispatch, &[(phone.clone(), "13866667777")]))?;
    ensure(
        id(v.lookup(&mkt, &marketing, &phone, "13866667777"))? == vec![tok[0].token.clone()],
        "lookup for marketing finds the consenting subject",
    )?;
    id(v.change_consent(&dpo(&ride), &s, &marketing, ConsentChange::Withdraw))?;
    ensure(
        denied_codes(v.lookup(&mkt, &marketing, &phone, "13866667777"))
            == [ReasonCode::ConsentWithdrawn],
        "a withdrawn consent refuses the lookup for that purpose",
    )?;
    ensure(
        id(v.lookup(&disp, &dispatch, &phone, "13866667777"))?.len() == 1,
        "the contract purpose still finds the subject",
    )?;
    id(v.submit_order(
        &RegulatorScope::new(),
        &signed_order(
            &test_regulator(),
            "ord-stop-dispatch-lookups",
            OrderKind::SuspendProcessing {
                purposes: vec![dispatch.clone()],
            },
            &["ride"],
            now() - 1000,
            None,
        ),
    ))?;
    ensure(
        denied_codes(v.lookup(&disp, &dispatch, &phone, "13866667777"))
            == [ReasonCode::ProcessingSuspended],
        "a suspend_processing order refuses lookups for its purpose",
    )?;
    let entries = id(v.ledger_entries(0, u64::MAX))?;
    let refused = entries
        .iter()
        .filter(|(_, e)| {
            e.kind == custodian_ledger::EntryKind::Lookup
                && e.decision == custodian_ledger::Decision::Deny
        })
        .count();
    ensure(
        refused == 2,
        &format!("two refused lookups in the ledger, found {refused}"),
    )
}

/// A grant for a purpose already consented to updates the one consent; so does a grant
/// after a withdrawal.
pub fn duplicate_consent_grants_update_one_row(open: &Opener) -> Check {
    let v = setup(open)?;
    let jobs = t("jobs")?;
    let pool = p("talent_pool")?;
    let s = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    let grant = |separate| ConsentChange::Grant {
        separate,
        by_guardian: false,
    };
    id(v.change_consent(&dpo(&jobs), &s, &pool, grant(false)))?;
    id(v.change_consent(&dpo(&jobs), &s, &pool, grant(true)))?;
    let c = id(v.consents(&dpo(&jobs), &s))?;
    ensure(
        c.len() == 1 && c[0].separate,
        "two grants are one consent, the latest",
    )?;
    id(v.change_consent(&dpo(&jobs), &s, &pool, ConsentChange::Withdraw))?;
    id(v.change_consent(&dpo(&jobs), &s, &pool, grant(false)))?;
    drop(v);
    let v = vault(open())?;
    let c = id(v.consents(&dpo(&jobs), &s))?;
    ensure(
        c.len() == 1 && c[0].withdrawn_at.is_none() && !c[0].separate,
        "a grant after a withdrawal renews the one consent",
    )
}

/// A field takes values of its type only; a refusal names the field and the type, never the
/// value, and stores nothing.
pub fn values_hold_their_type(open: &Opener) -> Check {
    let v = setup(open)?;
    let ride = t("ride")?;
    let (disp, dispatch) = (svc_of(&ride)?, p("dispatch")?);
    let s = id(v.register(&disp, &cn(), None, false))?;
    // Separate consent for the sensitive trip track: only the value's type can refuse it.
    id(v.change_consent(
        &dpo(&ride),
        &s,
        &dispatch,
        ConsentChange::Grant {
            separate: true,
            by_guardian: false,
        },
    ))?;
    let big = "1".repeat(1 << 20);
    let smuggled: [(&str, &str); 7] = [
        ("phone", "张伟"),
        ("phone", "北京市朝阳区建国路88号"),
        ("phone", "138\u{0}12345678"),
        ("phone", &big),
        ("phone", "13812345678 张伟"),
        ("pickup", "北京市朝阳区建国路88号 13812345678"),
        ("trip_track", "39.9,116.4;39.91,116.41"),
    ];
    for (field, value) in smuggled {
        match v.collect(&disp, &s, &dispatch, &[(f(field)?, value)]) {
            Err(CoreError::Denied(r)) if r[0].code == ReasonCode::ValueInvalid => {
                let m = &r[0].message;
                ensure(
                    m.contains(&format!("`{field}`"))
                        && !m.contains(value.get(..6).unwrap_or(value)),
                    &format!("the refusal names `{field}` and not the value: {m}"),
                )?;
            }
            _ => return Err(format!("`{field}` must refuse a value not of its type")),
        }
    }
    ensure(
        id(v.export_subject(&dpo(&ride), &s))?.values.is_empty(),
        "nothing was stored",
    )?;
    for b in ledger_bytes(&v)? {
        ensure(
            !b.windows("张伟".len()).any(|w| w == "张伟".as_bytes()),
            "no refused value in the ledger",
        )?;
    }
    ensure(
        id(v.collect(&disp, &s, &dispatch, &[(f("phone")?, "+86 138-1234-5678")])).is_ok(),
        "a phone number written with separators is a phone number",
    )
}

/// Identifiers a caller supplies reach the ledger only when the manifest declares them: a
/// phone number given as a purpose or a field name is refused and never written.
pub fn undeclared_identifiers_never_reach_the_ledger(open: &Opener) -> Check {
    let v = setup(open)?;
    let ride = t("ride")?;
    let disp = svc_of(&ride)?;
    let s = id(v.register(&disp, &cn(), None, false))?;
    let pi = "13812345678";
    let grant = ConsentChange::Grant {
        separate: false,
        by_guardian: false,
    };
    ensure(
        denied_codes(v.change_consent(&dpo(&ride), &s, &p(pi)?, grant))
            == [ReasonCode::PurposeUndeclared],
        "consent for an undeclared purpose is refused",
    )?;
    ensure(
        denied_codes(v.change_consent(&dpo(&ride), &s, &p(pi)?, ConsentChange::Withdraw))
            == [ReasonCode::PurposeUndeclared],
        "withdrawing an undeclared purpose is refused",
    )?;
    ensure(
        denied_codes(v.collect(&disp, &s, &p(pi)?, &[(f("phone")?, pi)]))
            == [ReasonCode::PurposeUndeclared],
        "collect for an undeclared purpose is refused",
    )?;
    ensure(
        denied_codes(v.collect(&disp, &s, &p("dispatch")?, &[(f(pi)?, pi)]))
            == [ReasonCode::FieldUndeclared],
        "collect into an undeclared field is refused",
    )?;
    ensure(
        !denied_codes(v.lookup(&disp, &p(pi)?, &f("phone")?, pi)).is_empty(),
        "lookup for an undeclared purpose is refused",
    )?;
    ensure(
        id(v.consents(&dpo(&ride), &s))?.is_empty(),
        "no consent was stored",
    )?;
    for b in ledger_bytes(&v)? {
        ensure(
            !b.windows(pi.len()).any(|w| w == pi.as_bytes()),
            "the undeclared identifier is nowhere in the ledger",
        )?;
    }
    Ok(())
}

/// Subject roles: the necessary scope and the purposes apply per role — a driver's ID number
/// is required by law (no consent), a passenger's needs separate consent, and a driver-only
/// purpose does not apply to passengers.
pub fn subject_roles_scope_collection(open: &Opener) -> Check {
    let v = setup(open)?;
    let ride = t("ride")?;
    let vet = scope(&ride, &sv("vetting-svc")?);
    let disp = scope(&ride, &sv("dispatch-svc")?);
    let (driver_role, passenger_role) = (
        id(SubjectRole::parse("driver"))?,
        id(SubjectRole::parse("passenger"))?,
    );
    let driver = id(v.register(&disp, &cn(), Some(&driver_role), false))?;
    let passenger = id(v.register(&disp, &cn(), Some(&passenger_role), false))?;
    let default = id(v.register(&disp, &cn(), None, false))?;
    let vetting = p("driver_vetting")?;
    let idn = "11010519491231002X";
    id(v.collect(&vet, &driver, &vetting, &[(f("driver_id_number")?, idn)]))?;
    let c = denied_codes(v.collect(&vet, &passenger, &vetting, &[(f("driver_id_number")?, idn)]));
    ensure(
        c.contains(&ReasonCode::FieldNotForRole) && c.contains(&ReasonCode::PurposeNotForRole),
        &format!("a passenger is not vetted as a driver: {c:?}"),
    )?;
    ensure(
        denied_codes(v.collect(&vet, &default, &vetting, &[(f("driver_id_number")?, idn)]))
            .contains(&ReasonCode::FieldNotForRole),
        "a subject registered without a role is a passenger (the consumer side)",
    )?;
    ensure(
        denied_codes(v.collect(&disp, &passenger, &p("safety")?, &[(f("id_number")?, idn)]))
            .contains(&ReasonCode::ConsentMissing),
        "a passenger's ID number needs consent",
    )?;
    ensure(
        denied_codes(v.change_consent(
            &dpo(&ride),
            &driver,
            &p("marketing")?,
            ConsentChange::Grant {
                separate: false,
                by_guardian: false,
            },
        )) == [ReasonCode::PurposeNotForRole],
        "a passenger-only purpose is not consented to by a driver",
    )?;
    ensure(
        denied_codes(v.register(
            &disp,
            &cn(),
            Some(&id(SubjectRole::parse("conductor"))?),
            false,
        )) == [ReasonCode::SubjectRoleUndeclared],
        "an undeclared role is refused",
    )?;
    let export = id(v.export_subject(&dpo(&ride), &driver))?;
    ensure(
        export.subject.role.as_ref() == Some(&driver_role),
        "the role is stored with the subject",
    )?;
    Ok(())
}
