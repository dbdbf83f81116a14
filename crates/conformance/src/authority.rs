//! Checks of the regulator's authority against the operator: organisation-bound orders, the
//! pinned regulator keys, and orders slipped into the store.

use custodian_core::orders::{Order, OrderKind};
use custodian_core::store::Change;
use custodian_ledger::{Decision as LedgerDecision, EntryKind, Verifier};

use crate::*;

/// The organisation of the ride-hailing example.
pub const RIDE_ORG: &str = "91110108MA01R0DE0N";
/// Another valid organisation code.
pub const OTHER_ORG: &str = "91110108MA00HELL09";

/// An order document from the test regulator's office, effective a second ago.
pub fn order_doc(id: &str, kind: OrderKind) -> Order {
    let t0 = now() - 1000;
    Order {
        id: id.to_string(),
        issuer: "CAC".into(),
        kind,
        targets: Vec::new(),
        organisations: Vec::new(),
        reason: "cybersecurity review".into(),
        legal_basis: "Cybersecurity Review Measures Art. 16".into(),
        issued_at: t0,
        effective_from: t0,
        expires_at: None,
        nonce: format!(
            "n{}",
            id.bytes().map(|b| format!("{b:02x}")).collect::<String>()
        ),
    }
}

/// `order` signed by `signer`.
pub fn sign_doc(signer: &Signer, order: &Order) -> String {
    signer.sign(&order.signing_text()).unwrap_or_default()
}

fn order_code<T>(r: Result<T, CoreError>) -> String {
    match r {
        Err(CoreError::Order(e)) => e.code().to_string(),
        Err(CoreError::Denied(reasons)) => reasons
            .first()
            .map(|r| r.code.as_str().to_string())
            .unwrap_or_default(),
        Err(e) => format!("other: {e}"),
        Ok(_) => "accepted".into(),
    }
}

fn open_with(open: &Opener, keys: Vec<Verifier>) -> Result<Vault, CoreError> {
    vault_trusting(open(), shared_keys(), keys)
}

/// A freeze on an organisation covers its tenants and any tenant it tries to create; a
/// tenant under an order cannot move to another organisation; after the lift both work and
/// the move is recorded with both organisations.
pub fn organisation_orders_bind_new_tenants(open: &Opener) -> Check {
    let v = setup(open)?;
    let reg = test_regulator();
    let (ride, jobs) = (t("ride")?, t("jobs")?);
    let mut freeze = order_doc("ord-org-freeze", OrderKind::SuspendRegistration);
    freeze.organisations = vec![id(custodian_core::ids::OrgCode::parse(RIDE_ORG))?];
    id(v.submit_order(&RegulatorScope::new(), &sign_doc(&reg, &freeze)))?;
    let r = v.register(&svc_of(&ride)?, &cn(), None, false);
    ensure(
        matches!(&r, Err(CoreError::Denied(rs)) if rs[0].order.as_deref() == Some("ord-org-freeze")),
        "a tenant of the frozen organisation registers no one",
    )?;
    id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    // Evasion 1: the same manifest under a new tenant id.
    let before = v.ledger_size();
    let r = v.load_manifest(&AdminScope::new(), &t("ride2")?, RIDE_HAILING);
    let named = matches!(&r, Err(CoreError::Denied(rs))
        if rs[0].code == ReasonCode::RegistrationSuspended
            && rs[0].message.contains("ord-org-freeze"));
    ensure(
        named,
        "a new tenant of the frozen organisation is refused, naming the order",
    )?;
    ensure(
        !v.tenant_ids().iter().any(|t| t.as_str() == "ride2"),
        "the refused tenant does not exist",
    )?;
    let refused = id(v.ledger_entries(before, u64::MAX))?;
    ensure(
        refused.iter().any(|(_, e)| {
            e.kind == EntryKind::ConfigChange
                && e.decision == LedgerDecision::Deny
                && e.order.as_ref().map(|o| o.as_str()) == Some("ord-org-freeze")
        }),
        "the refused tenant creation is a ledger entry naming the order",
    )?;
    // Evasion 1b: move the frozen tenant to another organisation.
    let moved = RIDE_HAILING.replace(RIDE_ORG, OTHER_ORG);
    ensure(
        order_code(v.load_manifest(&AdminScope::new(), &ride, &moved)) == "tenant_bound",
        "a tenant under an order cannot move to another organisation",
    )?;
    ensure(
        id(v.manifest(&ride))?.organisation.as_str() == RIDE_ORG,
        "the tenant stays in its organisation",
    )?;
    // After the lift: the tenant is created, and a move is recorded with both organisations.
    let lift = order_doc(
        "ord-org-lift",
        OrderKind::Lift {
            order: "ord-org-freeze".into(),
        },
    );
    id(v.submit_order(&RegulatorScope::new(), &sign_doc(&reg, &lift)))?;
    id(v.load_manifest(&AdminScope::new(), &t("ride2")?, RIDE_HAILING))?;
    let before = v.ledger_size();
    id(v.load_manifest(&AdminScope::new(), &ride, &moved))?;
    let entries = id(v.ledger_entries(before, u64::MAX))?;
    ensure(
        entries.iter().any(|(_, e)| {
            e.reason.as_ref().map(|r| r.as_str()) == Some("tenant_moved")
                && e.destination.as_ref().map(|d| d.as_str()) == Some(OTHER_ORG)
                && e.tokens.iter().any(|t| t.as_str() == RIDE_ORG)
        }),
        "the move is a ledger entry naming both organisations",
    )
}

/// Regulator keys are pinned: the configuration cannot add or drop one; an order adds a key
/// only under its signer's name, removes one only by its own regulator and never the last;
/// orders signed by the operator's key under the regulator's name are refused; the accepted
/// order's entry names the key that signed it.
pub fn regulator_keys_are_pinned(open: &Opener) -> Check {
    let v = setup(open)?;
    let reg = test_regulator();
    let impostor = Signer::from_seed("regulator.test/cac", &[66; 32]).map_err(|e| e.to_string())?;
    let successor =
        Signer::from_seed("regulator.test/cac", &[44; 32]).map_err(|e| e.to_string())?;
    let pinned = id(v.ledger_entries(0, u64::MAX))?;
    ensure(
        pinned.iter().any(|(_, e)| {
            e.reason.as_ref().map(|r| r.as_str()) == Some("regulator_key_pinned")
                && e.destination.as_ref().map(|d| d.as_str())
                    == Some(reg.verifier().to_vkey().as_str())
        }),
        "the pinned key is a ledger entry",
    )?;
    drop(v);
    // Evasion 3: the operator's key added in the configuration.
    let r = open_with(open, vec![reg.verifier(), impostor.verifier()]);
    ensure(
        matches!(&r, Err(CoreError::Config(m)) if m.contains(&impostor.verifier().to_vkey())),
        "a configured key the ledger does not trust stops the cell, naming the key",
    )?;
    ensure(
        matches!(open_with(open, vec![]), Err(CoreError::Config(_))),
        "dropping the pinned key from the configuration stops the cell",
    )?;
    let v = open_with(open, vec![reg.verifier()]).map_err(|e| e.to_string())?;
    // The operator's key cannot sign a trust_key for itself, nor any other order.
    let self_trust = order_doc(
        "ord-self-trust",
        OrderKind::TrustKey {
            key: impostor.verifier().to_vkey(),
        },
    );
    ensure(
        order_code(v.submit_order(&RegulatorScope::new(), &sign_doc(&impostor, &self_trust)))
            == "order_signature",
        "an order signed by the operator's key under the regulator's name is refused",
    )?;
    // A regulator adds keys under its own name only.
    let foreign =
        Signer::from_seed("operator.example/cac", &[67; 32]).map_err(|e| e.to_string())?;
    let other_name = order_doc(
        "ord-trust-foreign",
        OrderKind::TrustKey {
            key: foreign.verifier().to_vkey(),
        },
    );
    ensure(
        order_code(v.submit_order(&RegulatorScope::new(), &sign_doc(&reg, &other_name)))
            == "order_key_refused",
        "a key of another name is not added by this regulator",
    )?;
    let last = order_doc(
        "ord-remove-last",
        OrderKind::RemoveKey {
            key: reg.verifier().to_vkey(),
        },
    );
    ensure(
        order_code(v.submit_order(&RegulatorScope::new(), &sign_doc(&reg, &last)))
            == "order_key_refused",
        "a regulator's last key is not removed",
    )?;
    // Rotation: trust the successor, then remove the old key by the successor's order.
    let trust = order_doc(
        "ord-trust-successor",
        OrderKind::TrustKey {
            key: successor.verifier().to_vkey(),
        },
    );
    let mut timed = trust.clone();
    timed.id = "ord-trust-timed".into();
    timed.nonce = "ntimedtrustkey0001".into();
    timed.expires_at = Some(now() + 60_000);
    ensure(
        order_code(v.submit_order(&RegulatorScope::new(), &sign_doc(&reg, &timed)))
            == "order_key_refused",
        "a key order with an expiry is refused (key orders take effect when submitted)",
    )?;
    let before = v.ledger_size();
    id(v.submit_order(&RegulatorScope::new(), &sign_doc(&reg, &trust)))?;
    let lift_trust = order_doc(
        "ord-lift-trust",
        OrderKind::Lift {
            order: "ord-trust-successor".into(),
        },
    );
    ensure(
        order_code(v.submit_order(&RegulatorScope::new(), &sign_doc(&reg, &lift_trust)))
            == "order_key_refused",
        "a key order is not lifted",
    )?;
    let entry = id(v.ledger_entries(before, before + 1))?;
    ensure(
        entry.iter().any(|(_, e)| {
            e.kind == EntryKind::Order
                && e.decision == LedgerDecision::Allow
                && e.destination.as_ref().map(|d| d.as_str()) == Some(reg.key_id().as_str())
        }),
        "the accepted order's entry names the key that signed it",
    )?;
    let remove = order_doc(
        "ord-remove-old",
        OrderKind::RemoveKey {
            key: reg.verifier().to_vkey(),
        },
    );
    id(v.submit_order(&RegulatorScope::new(), &sign_doc(&successor, &remove)))?;
    let stale = order_doc("ord-by-old-key", OrderKind::SuspendTransfers);
    ensure(
        order_code(v.submit_order(&RegulatorScope::new(), &sign_doc(&reg, &stale)))
            == "order_signature",
        "an order signed by a removed key is refused",
    )?;
    let listed = v.list_orders(&Scope::Regulator(RegulatorScope::new()));
    ensure(
        listed.iter().any(|o| {
            o.order.id == "ord-remove-old"
                && o.signed_by == [successor.key_id()]
                && o.note.as_deref().is_some_and(|n| n.ends_with('\n'))
        }),
        "orders list their signed note and signer key",
    )?;
    drop(v);
    ensure(
        matches!(
            open_with(open, vec![reg.verifier()]),
            Err(CoreError::Config(_))
        ),
        "after the rotation the old configuration is refused",
    )?;
    open_with(open, vec![successor.verifier()]).map_err(|e| e.to_string())?;
    Ok(())
}

/// An order written into the store by its operator — a lift signed by a key the cell never
/// trusted — stops the cell at its next load rather than take effect.
pub fn orders_slipped_into_the_store_stop_the_cell(open: &Opener) -> Check {
    let v = setup(open)?;
    let reg = test_regulator();
    let mut freeze = order_doc("ord-freeze-x", OrderKind::SuspendRegistration);
    freeze.targets = vec![t("ride")?];
    id(v.submit_order(&RegulatorScope::new(), &sign_doc(&reg, &freeze)))?;
    drop(v);
    let impostor = Signer::from_seed("regulator.test/cac", &[66; 32]).map_err(|e| e.to_string())?;
    let lift = order_doc(
        "ord-forged-lift",
        OrderKind::Lift {
            order: "ord-freeze-x".into(),
        },
    );
    let store = open();
    id(store.commit(
        Change::PutOrder {
            id: lift.id.clone(),
            nonce: lift.nonce.clone(),
            note: sign_doc(&impostor, &lift),
        },
        Vec::new(),
    ))?;
    drop(store);
    let r = vault(open());
    ensure(
        matches!(&r, Err(m) if m.contains("does not verify")),
        "a forged order in the store stops the cell",
    )
}

/// An order announced but not yet in force already binds the tenant to its organisation; a
/// manifest cannot drop (rename) a purpose an order in force suspends.
pub fn orders_to_come_and_suspensions_bind_manifests(open: &Opener) -> Check {
    let v = setup(open)?;
    let reg = test_regulator();
    let ride = t("ride")?;
    let mut later = order_doc("ord-org-later", OrderKind::SuspendRegistration);
    later.organisations = vec![id(custodian_core::ids::OrgCode::parse(RIDE_ORG))?];
    later.effective_from = now() + 3_600_000;
    id(v.submit_order(&RegulatorScope::new(), &sign_doc(&reg, &later)))?;
    ensure(
        order_code(v.load_manifest(
            &AdminScope::new(),
            &ride,
            &RIDE_HAILING.replace(RIDE_ORG, OTHER_ORG),
        )) == "tenant_bound",
        "a tenant cannot leave its organisation before an announced order starts",
    )?;
    let mut marketing = order_doc(
        "ord-no-marketing",
        OrderKind::SuspendProcessing {
            purposes: vec![p("marketing")?],
        },
    );
    marketing.targets = vec![ride.clone()];
    id(v.submit_order(&RegulatorScope::new(), &sign_doc(&reg, &marketing)))?;
    let renamed = RIDE_HAILING.replace("\"marketing\"", "\"promotions\"");
    ensure(
        renamed != RIDE_HAILING
            && order_code(v.load_manifest(&AdminScope::new(), &ride, &renamed))
                == "processing_suspended",
        "a suspended purpose cannot be renamed away",
    )?;
    // The same manifest again (nothing dropped) is fine.
    id(v.load_manifest(&AdminScope::new(), &ride, RIDE_HAILING))?;
    Ok(())
}
