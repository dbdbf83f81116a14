//! Checks of acts racing the changes they were decided on.

use crate::*;
use custodian_core::ids::SubjectId;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A consent withdrawn while collects and reads of the subject run on other threads: no
/// collect or read for the purpose is allowed in the ledger after the withdrawal's entry. An
/// act decided on the consent as it was before must not commit after the withdrawal.
pub fn withdrawal_races_collects_and_reads(open: &Opener) -> Check {
    let v = Arc::new(setup(open)?);
    let (jobs, pool, svc, email) = (t("jobs")?, p("talent_pool")?, sv("pool-svc")?, f("email")?);
    let grant = ConsentChange::Grant {
        separate: false,
        by_guardian: false,
    };
    let mut late = Vec::new();
    for round in 0..12 {
        let s = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
        id(v.change_consent(&dpo(&jobs), &s, &pool, grant))?;
        let first = id(v.collect(
            &scope(&jobs, &svc),
            &s,
            &pool,
            &[(email.clone(), "li.na@example.com")],
        ))?;
        let token = first[0].token.clone();
        let stop = Arc::new(AtomicBool::new(false));
        let allowed = Arc::new(AtomicUsize::new(0));
        let odd = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let mut hs = Vec::new();
        // Collects and reads, blocking and deferred (the server's way: on the request's task,
        // the blocking way again if stale).
        for k in 0..4 {
            let (v, stop, allowed, odd) = (
                Arc::clone(&v),
                Arc::clone(&stop),
                Arc::clone(&allowed),
                Arc::clone(&odd),
            );
            let (sc, s, pool, email, token) = (
                scope(&jobs, &svc),
                s.clone(),
                pool.clone(),
                email.clone(),
                token.clone(),
            );
            hs.push(std::thread::spawn(move || {
                let tokens = std::slice::from_ref(&token);
                let values = [(email.clone(), "li.na@example.com")];
                let item = custodian_core::vault::CollectItem {
                    subject: s.clone(),
                    purpose: pool.clone(),
                    values: values.to_vec(),
                    idempotency_key: None,
                };
                while !stop.load(Ordering::Relaxed) {
                    let r = match k {
                        0 => v.collect(&sc, &s, &pool, &values).map(drop),
                        1 => match v.collect_deferred(&sc, &item).map(|d| d.wait()) {
                            Some(Err(CoreError::Stale)) | None => {
                                v.collect(&sc, &s, &pool, &values).map(drop)
                            }
                            Some(r) => r.map(drop),
                        },
                        2 => v.detokenize(&sc, &pool, tokens, Reveal::Masked).map(drop),
                        _ => match v
                            .detokenize_deferred(&sc, &pool, tokens, Reveal::Masked)
                            .map(|d| d.wait())
                        {
                            Some(Err(CoreError::Stale)) | None => {
                                v.detokenize(&sc, &pool, tokens, Reveal::Masked).map(drop)
                            }
                            Some(r) => r.map(drop),
                        },
                    };
                    match r {
                        Ok(()) => {
                            allowed.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(CoreError::Denied(r))
                            if r.iter().all(|r| r.code.as_str() == "consent_withdrawn") => {}
                        Err(e) => odd
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push(format!("act {k}: {e}")),
                    }
                }
            }));
        }
        // Until acts are under way, then the withdrawal a few acts later each round.
        let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while allowed.load(Ordering::Relaxed) < 3 + round && std::time::Instant::now() < until {
            std::thread::yield_now();
        }
        let under_way = allowed.load(Ordering::Relaxed) >= 3 + round;
        id(v.change_consent(&dpo(&jobs), &s, &pool, ConsentChange::Withdraw))?;
        std::thread::sleep(std::time::Duration::from_millis(20));
        stop.store(true, Ordering::Relaxed);
        for h in hs {
            h.join()
                .map_err(|_| "an acting thread panicked".to_string())?;
        }
        ensure(
            under_way,
            "collects and reads were allowed before the withdrawal",
        )?;
        let odd = odd
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !odd.is_empty() {
            return Err(format!(
                "acts failed other than refused as withdrawn: {:?}",
                &odd[..odd.len().min(4)]
            ));
        }
        let subject = Some(s.ledger());
        let entries = id(v.ledger_entries(0, u64::MAX))?;
        let mine = entries.iter().filter(|(_, e)| e.subject == subject);
        let mut withdrawn = false;
        for (i, e) in mine {
            use custodian_ledger::{Decision, EntryKind};
            match (e.kind, e.decision) {
                (EntryKind::ConsentWithdraw, Decision::Allow) => withdrawn = true,
                (EntryKind::Collect | EntryKind::Detokenize, Decision::Allow) if withdrawn => {
                    late.push((round, *i, e.kind));
                }
                _ => {}
            }
        }
        ensure(withdrawn, "the withdrawal is in the ledger")?;
    }
    if late.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} act(s) allowed after the consent's withdrawal in the ledger (round, index, kind): {:?}",
            late.len(),
            &late[..late.len().min(8)]
        ))
    }
}

/// A withdrawal stands for every act that reads it, whatever the clocks: two vaults over one
/// store (two processes of a cell), the one withdrawing an hour ahead of the other. The other
/// must refuse collects and reads from then on — its clock says the withdrawal is still to
/// come, but it is stored.
pub fn a_withdrawal_stands_whatever_the_clocks(open: &Opener) -> Check {
    let store = open();
    let behind = vault(Arc::clone(&store))?;
    id(behind.load_manifest(&AdminScope::new(), &t("jobs")?, JOB_BOARD))?;
    let ahead = vault(store)?.with_clock(|| orders::now() + 3_600_000);
    let (jobs, pool, svc, email) = (t("jobs")?, p("talent_pool")?, sv("pool-svc")?, f("email")?);
    let s = id(behind.register(&svc_of(&jobs)?, &cn(), None, false))?;
    let grant = ConsentChange::Grant {
        separate: false,
        by_guardian: false,
    };
    id(behind.change_consent(&dpo(&jobs), &s, &pool, grant))?;
    let got = id(behind.collect(
        &scope(&jobs, &svc),
        &s,
        &pool,
        &[(email.clone(), "li.na@example.com")],
    ))?;
    id(ahead.change_consent(&dpo(&jobs), &s, &pool, ConsentChange::Withdraw))?;
    let withdrawn = |r: &CoreError| matches!(r, CoreError::Denied(r) if r.iter().any(|r| r.code.as_str() == "consent_withdrawn"));
    match behind.detokenize(
        &scope(&jobs, &svc),
        &pool,
        &[got[0].token.clone()],
        Reveal::Clear,
    ) {
        Err(e) if withdrawn(&e) => {}
        other => {
            return Err(format!(
                "a read after the withdrawal must be refused as withdrawn, whatever the clock: {:?}",
                other.map(|v| v.len())
            ));
        }
    }
    match behind.collect(
        &scope(&jobs, &svc),
        &s,
        &pool,
        &[(email, "li.na@example.com")],
    ) {
        Err(e) if withdrawn(&e) => Ok(()),
        other => Err(format!(
            "a collect after the withdrawal must be refused as withdrawn, whatever the clock: {:?}",
            other.map(|v| v.len())
        )),
    }
}

/// One bulk call giving one subject the same consent eight times (a client's retries folded
/// into one call): every item lands. A consent's change gives the subject a fresh version but is not
/// itself checked against it, so the items do not make each other stale round after round.
pub fn a_subjects_consents_in_one_bulk_call_all_land(open: &Opener) -> Check {
    let v = setup(open)?;
    let jobs = t("jobs")?;
    let s = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    use custodian_core::vault::ConsentItem;
    let items: Vec<ConsentItem> = (0..8)
        .map(|_| -> Result<ConsentItem, String> {
            Ok(ConsentItem {
                subject: s.clone(),
                purpose: p("talent_pool")?,
                separate: false,
                by_guardian: false,
                idempotency_key: None,
            })
        })
        .collect::<Result<_, _>>()?;
    let given = id(v.consent_batch(&dpo(&jobs), &items))?;
    let failed: Vec<String> = given
        .iter()
        .filter_map(|r| r.as_ref().err().map(ToString::to_string))
        .collect();
    ensure(
        failed.is_empty(),
        &format!(
            "every grant lands: {} failed, first {:?}",
            failed.len(),
            failed.first()
        ),
    )
}

/// A value re-keyed while it is read: a rectification commits between a read's reading of the
/// value's row and of its subject's key, so the row (sealed under the old key) does not open
/// under the key read. The read is decided again and gives the corrected value — not an
/// integrity error, which would say the store is damaged.
pub fn a_value_rekeyed_while_read_is_read_again(open: &Opener) -> Check {
    let store = Arc::new(Colliding::new(open()));
    let v = Arc::new(vault(store.clone())?);
    let (ride, dispatch, phone) = (t("ride")?, p("dispatch")?, f("phone")?);
    id(v.load_manifest(&AdminScope::new(), &ride, RIDE_HAILING))?;
    let svc = svc_of(&ride)?;
    let s = id(v.register(&svc, &cn(), None, false))?;
    let grant = ConsentChange::Grant {
        separate: true,
        by_guardian: false,
    };
    id(v.change_consent(&dpo(&ride), &s, &dispatch, grant))?;
    let token = id(v.collect(&svc, &s, &dispatch, &[(phone, "13812345678")]))?[0]
        .token
        .clone();
    let done = Arc::new(std::sync::Mutex::new(None));
    let (v2, s2, t2, ride2, slot) = (
        Arc::clone(&v),
        s.clone(),
        token.clone(),
        ride.clone(),
        Arc::clone(&done),
    );
    store.after_value_read(move || {
        let r = v2.rectify(&dpo(&ride2), &s2, &t2, "13900001111");
        *slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(r);
    });
    let read = v.detokenize(&svc, &dispatch, std::slice::from_ref(&token), Reveal::Clear);
    let rectified = done
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take();
    ensure(
        matches!(rectified, Some(Ok(()))),
        &format!("the value was rectified during the read ({rectified:?})"),
    )?;
    match read {
        Ok(back) if back[0].value.expose() == "13900001111" => Ok(()),
        Ok(back) => Err(format!(
            "the read gives the value as corrected ({} characters given)",
            back[0].value.expose().len()
        )),
        Err(e) => Err(format!(
            "a read re-keyed under it is read again, not refused: {e}"
        )),
    }
}

/// Two vaults on one store, as two processes of a cell: one collects on a subject again and
/// again (its later collects decide on the subject as it last read it, see the vault's subject
/// cache) while the other withdraws the consent, grants it again, rotates the key epoch (the
/// old one destroyed in the holder) and erases the subject. Each collect decides on the subject
/// as it now stands: refused after the withdrawal, allowed after the new grant, its key opening
/// after the rotation, nothing stored after the erasure.
pub fn a_subject_changed_by_another_process_is_read_again(open: &Opener) -> Check {
    let (store, one, other) = two_processes(open)?;
    let (jobs, pool, svc, email) = (t("jobs")?, p("talent_pool")?, sv("pool-svc")?, f("email")?);
    let s = id(one.register(&svc_of(&jobs)?, &cn(), None, false))?;
    turn_consent(&one, &jobs, &s, true)?;
    let collect = |n: usize| {
        one.collect(
            &scope(&jobs, &svc),
            &s,
            &pool,
            &[(email.clone(), &format!("li.na.{n}@example.com"))],
        )
    };
    let stored = || -> Result<usize, String> { Ok(id(store.subject_values(&jobs, &s))?.len()) };
    id(collect(0))?;
    id(collect(1))?;

    turn_consent(&other, &jobs, &s, false)?;
    match collect(2) {
        Err(CoreError::Denied(r)) if r.iter().any(|r| r.code.as_str() == "consent_withdrawn") => {}
        other => {
            return Err(format!(
                "a collect after another process's withdrawal must be refused as withdrawn: {:?}",
                other.map(|v| v.len())
            ));
        }
    }
    ensure(stored()? == 2, "nothing is stored after the withdrawal")?;

    turn_consent(&other, &jobs, &s, true)?;
    let again = collect(3)
        .map_err(|e| format!("a collect after another process's new grant is allowed: {e}"))?;

    let r = id(other.rotate_epoch(&AdminScope::new()))?;
    ensure(r.from != r.to, "the rotation began a new epoch")?;
    let rotated = collect(4).map_err(|e| {
        format!("a collect after another process rotated the key epoch must seal under the new wrapping: {e}")
    })?;
    let back = id(one.detokenize(
        &scope(&jobs, &svc),
        &pool,
        &[again[0].token.clone(), rotated[0].token.clone()],
        Reveal::Clear,
    ))?;
    ensure(
        back.iter().map(|b| b.value.expose()).collect::<Vec<_>>()
            == ["li.na.3@example.com", "li.na.4@example.com"],
        "the values collected around the rotation read back",
    )?;

    id(other.erase_subject(&dpo(&jobs), &s))?;
    ensure(
        collect(5).is_err(),
        "a collect on a subject another process erased is refused",
    )?;
    ensure(
        stored()? == 0,
        "nothing is stored for a subject another process erased",
    )
}

/// Subjects a vault keeps from its collects, after another process rotated the key epoch (the
/// old one destroyed) and erased one of them: a bulk collect over six of them all lands, each
/// sealed under the new wrapping (not one stale round a subject), and a retried keyed collect
/// of the erased one is refused as erased — a replay is answered on the subject as the store
/// has it, never as a vault last read it.
pub fn kept_subjects_after_another_process_rotates_and_erases(open: &Opener) -> Check {
    use custodian_core::vault::CollectItem;
    let (_, one, other) = two_processes(open)?;
    let (jobs, pool, svc, email) = (t("jobs")?, p("talent_pool")?, sv("pool-svc")?, f("email")?);
    let mut subjects = Vec::new();
    for _ in 0..6 {
        let s = id(one.register(&svc_of(&jobs)?, &cn(), None, false))?;
        turn_consent(&one, &jobs, &s, true)?;
        subjects.push(s);
    }
    let item = |s: &SubjectId, key: Option<&str>| CollectItem {
        subject: s.clone(),
        purpose: pool.clone(),
        values: vec![(email.clone(), "li.na@example.com")],
        idempotency_key: key.map(str::to_owned),
    };
    let all: Vec<CollectItem<'_>> = subjects.iter().map(|s| item(s, None)).collect();
    let failed = |r: Vec<Result<Vec<custodian_core::vault::Collected>, CoreError>>| {
        r.into_iter()
            .filter_map(|r| r.err().map(|e| e.to_string()))
            .collect::<Vec<_>>()
    };
    ensure(
        failed(id(one.collect_batch(&scope(&jobs, &svc), &all))?).is_empty(),
        "the first bulk collect lands",
    )?;
    let keyed = [item(&subjects[0], Some("retry-7"))];
    ensure(
        failed(id(one.collect_batch(&scope(&jobs, &svc), &keyed))?).is_empty(),
        "the keyed collect lands",
    )?;

    id(other.rotate_epoch(&AdminScope::new()))?;
    let after = failed(id(one.collect_batch(&scope(&jobs, &svc), &all))?);
    ensure(
        after.is_empty(),
        &format!("a bulk collect after another process's rotation lands whole: {after:?}"),
    )?;

    id(other.erase_subject(&dpo(&jobs), &subjects[0]))?;
    match id(one.collect_batch(&scope(&jobs, &svc), &keyed))?.pop() {
        Some(Err(CoreError::Conflict(_))) => Ok(()),
        other => Err(format!(
            "a retried keyed collect of a subject another process erased is refused as erased: {:?}",
            other.map(|r| r.map(|v| v.len()))
        )),
    }
}

/// Two vaults on one fresh store, as two processes of a cell sharing a key holder of their
/// own (the checks rotate and destroy its epochs), the job board's manifest loaded.
fn two_processes(open: &Opener) -> Result<(Arc<dyn Store>, Vault, Vault), String> {
    let store = open();
    let keys: Arc<dyn KeyHolder> = Arc::new(MemoryKeys::new(TEST_KEK));
    let one = vault_with(Arc::clone(&store), Arc::clone(&keys))?;
    id(one.load_manifest(&AdminScope::new(), &t("jobs")?, JOB_BOARD))?;
    let other = vault_with(Arc::clone(&store), keys)?;
    Ok((store, one, other))
}

/// For the stores' tests of versions across a restore: a subject of the job board with its
/// talent-pool consent granted, in a vault over `store`.
pub fn a_subject_with_a_consent(
    store: Arc<dyn Store>,
) -> Result<(Vault, TenantId, SubjectId), String> {
    let v = vault(store)?;
    let jobs = t("jobs")?;
    id(v.load_manifest(&AdminScope::new(), &jobs, JOB_BOARD))?;
    let s = id(v.register(&svc_of(&jobs)?, &cn(), None, false))?;
    turn_consent(&v, &jobs, &s, true)?;
    Ok((v, jobs, s))
}

/// Grants (`true`) or withdraws the talent-pool consent of a subject of the job board.
pub fn turn_consent(v: &Vault, jobs: &TenantId, s: &SubjectId, grant: bool) -> Check {
    let change = match grant {
        true => ConsentChange::Grant {
            separate: false,
            by_guardian: false,
        },
        false => ConsentChange::Withdraw,
    };
    id(v.change_consent(&dpo(jobs), s, &p("talent_pool")?, change)).map(drop)
}
