//! Checks of regulators' orders: effect, refusals, lifts, and the freeze race.

use crate::*;

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
        organisations: Vec::new(),
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

pub(crate) fn now() -> i64 {
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
            .any(|v| v.order.id == "ord-later" && v.status == OrderStatus::Pending),
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
            .any(|v| v.order.id == "ord-rectify" && v.status == OrderStatus::Overdue),
        "rectify overdue",
    )?;
    ensure(
        !v.list_orders(&Scope::Dpo(dpo(&jobs)))
            .iter()
            .any(|v| v.order.id == "ord-rectify"),
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
            .any(|v| v.order.id == "ord-freeze-1" && v.status == OrderStatus::Lifted),
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
    // Until registrations are under way (however slow the machine), then the order, then
    // until one is refused.
    let seen = |decision: custodian_ledger::Decision| -> Result<bool, String> {
        Ok(id(v.ledger_entries(0, u64::MAX))?.iter().any(|(_, e)| {
            e.kind == custodian_ledger::EntryKind::Register && e.decision == decision
        }))
    };
    let wait_for = |decision| -> Check {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !seen(decision)? && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        Ok(())
    };
    wait_for(custodian_ledger::Decision::Allow)?;
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
    wait_for(custodian_ledger::Decision::Deny)?;
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
