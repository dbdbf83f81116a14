//! Checks of persistence and the ledger: tenants, checkpoints, proofs, concurrent commits.

use crate::*;

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
