//! The PostgreSQL store against a real server: the conformance suite, two processes writing
//! one ledger, no plaintext PI in any table, and clear errors for bad connection strings.
//!
//! `scripts/test` starts a throwaway cluster and sets `CUSTODIAN_TEST_DATABASE_URL`; without
//! it these tests fail (they never skip silently). Each test works in a database of its own.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::sync::Arc;

use custodian_conformance::{self as conformance, Opener};
use custodian_core::access::{AdminScope, RegulatorScope, Scope, ServiceScope};
use custodian_core::ids::{FieldName, Jurisdiction, PurposeId, ServiceName, TenantId};
use custodian_core::{Reveal, Store};
use custodian_ledger::Log;
use custodian_store::PgStore;

mod pg;

use pg::*;

fn opener(url: String) -> Opener {
    Box::new(move || Arc::new(PgStore::open(&url).expect("open store")) as Arc<dyn Store>)
}

fn fresh() -> Opener {
    opener(fresh_db())
}

/// The conformance suite on PostgreSQL: one test per check, each on a database of its own.
mod conformance_postgres {
    custodian_conformance::conformance_tests!(super::fresh);
}

#[test]
fn no_plaintext_pi_in_any_table() {
    let url = fresh_db();
    let open = opener(url.clone());
    let v = conformance::vault(open()).unwrap();
    let ride = TenantId::parse("ride").unwrap();
    v.load_manifest(&AdminScope::new(), &ride, conformance::RIDE_HAILING)
        .unwrap();
    let cn = Jurisdiction::parse("CN").unwrap();
    let s = v
        .register(
            &ServiceScope::new(ride.clone(), conformance::first_service(&ride)),
            &cn,
            None,
            false,
        )
        .unwrap();
    let (svc, dispatch) = (
        ServiceName::parse("dispatch-svc").unwrap(),
        PurposeId::parse("dispatch").unwrap(),
    );
    let phone = FieldName::parse("phone").unwrap();
    let toks = v
        .collect(
            &ServiceScope::new(ride.clone(), (svc).clone()),
            &s,
            &dispatch,
            &[(phone.clone(), "13812345678")],
        )
        .unwrap();
    // The value is really there, and comes back.
    let back = v
        .detokenize(
            &ServiceScope::new(ride.clone(), (svc).clone()),
            &dispatch,
            &[toks[0].token.clone()],
            Reveal::Clear,
        )
        .unwrap();
    assert_eq!(back[0].value.expose(), "13812345678");
    let dump = all_rows(&url);
    assert!(
        dump.contains(s.as_str()),
        "the dump sees the subject's rows"
    );
    assert!(!dump.contains("13812345678"), "plaintext phone in a table");
    assert!(!dump.contains("138 1234 5678"));
}

#[test]
fn bad_connection_strings_are_clear_errors() {
    let e = PgStore::open("not a url at all").unwrap_err().to_string();
    assert!(e.contains("invalid PostgreSQL URL"), "{e}");
    // Nothing listens on port 1; the message names the target but never the password.
    let e = PgStore::open("postgres://custodian:s3cret-pw@127.0.0.1:1/custodian?connect_timeout=5")
        .unwrap_err()
        .to_string();
    assert!(e.contains("127.0.0.1:1/custodian"), "{e}");
    assert!(!e.contains("s3cret-pw"), "{e}");
}

/// Run by `two_processes_share_one_ledger` in child processes only.
#[test]
#[ignore = "a child of two_processes_share_one_ledger"]
fn pg_child_writer() {
    let Ok(url) = std::env::var(CHILD_VAR) else {
        return;
    };
    let kek = std::env::var(CHILD_KEK_VAR).unwrap();
    let keys = Arc::new(custodian_keys::FileKeys::open(std::path::Path::new(&kek)).unwrap());
    let v =
        Arc::new(conformance::vault_with(Arc::new(PgStore::open(&url).unwrap()), keys).unwrap());
    let ride = TenantId::parse("ride").unwrap();
    v.load_manifest(&AdminScope::new(), &ride, conformance::RIDE_HAILING)
        .unwrap();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let v = Arc::clone(&v);
            let ride = ride.clone();
            std::thread::spawn(move || {
                let cn = Jurisdiction::parse("CN").unwrap();
                let svc = ServiceName::parse("dispatch-svc").unwrap();
                let dispatch = PurposeId::parse("dispatch").unwrap();
                let phone = FieldName::parse("phone").unwrap();
                for _ in 0..50 {
                    let s = v
                        .register(
                            &ServiceScope::new(ride.clone(), conformance::first_service(&ride)),
                            &cn,
                            None,
                            false,
                        )
                        .unwrap();
                    v.collect(
                        &ServiceScope::new(ride.clone(), (svc).clone()),
                        &s,
                        &dispatch,
                        &[(phone.clone(), "13812345678")],
                    )
                    .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn two_processes_share_one_ledger() {
    let url = fresh_db();
    // Create the schema first, so the children race on writes, not on migrating.
    drop(PgStore::open(&url).unwrap());
    let keydir = tempfile::tempdir().unwrap();
    let kek = keydir.path().join("kek.key");
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..2)
        .map(|_| {
            std::process::Command::new(&exe)
                .args([
                    "pg_child_writer",
                    "--exact",
                    "--ignored",
                    "--test-threads=1",
                ])
                .env(CHILD_VAR, &url)
                .env(CHILD_KEK_VAR, &kek)
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success(), "a child writer failed");
    }
    let store = PgStore::open(&url).unwrap();
    let entries = store.ledger_entries(0, u64::MAX).unwrap();
    let idx: Vec<u64> = entries.iter().map(|(i, _)| *i).collect();
    // Two processes × 4 threads × 50 × (register + collect), plus each one's manifest load.
    assert!(idx.len() >= 800, "{} entries", idx.len());
    assert_eq!(
        idx,
        (0..idx.len() as u64).collect::<Vec<_>>(),
        "indexes without gaps or duplicates"
    );
    // The stored head is the root of exactly these entries, in this order.
    let mut log = Log::new();
    for (_, bytes) in &entries {
        log.append(custodian_ledger::leaf_hash(bytes));
    }
    let head = store.ledger_head().unwrap();
    assert_eq!(head.size, log.size());
    assert_eq!(head.root, log.root());
    let subjects = all_rows(&url)
        .lines()
        .filter(|l| l.contains("\"jurisdiction\""))
        .count();
    assert_eq!(subjects, 400, "every registration landed");
    // And a vault over it proves inclusion of the last entry against a checkpoint.
    let keys = Arc::new(custodian_keys::FileKeys::open(&kek).unwrap());
    let v = conformance::vault_with(Arc::new(store), keys).unwrap();
    let cp = v.checkpoint().unwrap();
    assert!(cp.contains(&format!("\n{}\n", head.size.get())), "{cp}");
}

/// Two vaults over two stores on one database (their caches apart, as in two processes): a
/// tenant created through one is served by the other, with the same tenant key; a freeze
/// submitted through one takes effect at once in the other; a commit decided under an old
/// configuration is refused as stale and changes nothing.
#[test]
fn orders_and_tenants_reach_every_process() {
    use custodian_core::CoreError;
    use custodian_core::orders::OrderKind;
    let url = fresh_db();
    let a = conformance::vault(Arc::new(PgStore::open(&url).unwrap())).unwrap();
    let b = conformance::vault(Arc::new(PgStore::open(&url).unwrap())).unwrap();
    let ride = TenantId::parse("ride").unwrap();
    a.load_manifest(&AdminScope::new(), &ride, conformance::RIDE_HAILING)
        .unwrap();
    let cn = Jurisdiction::parse("CN").unwrap();
    let svc = ServiceName::parse("dispatch-svc").unwrap();
    let dispatch = PurposeId::parse("dispatch").unwrap();
    let phone = FieldName::parse("phone").unwrap();

    // B never loaded `ride`; it serves it, and A reads what B stored (one tenant key).
    let s = b
        .register(
            &ServiceScope::new(ride.clone(), conformance::first_service(&ride)),
            &cn,
            None,
            false,
        )
        .unwrap();
    let toks = b
        .collect(
            &ServiceScope::new(ride.clone(), (svc).clone()),
            &s,
            &dispatch,
            &[(phone.clone(), "13812345678")],
        )
        .unwrap();
    let back = a
        .detokenize(
            &ServiceScope::new(ride.clone(), (svc).clone()),
            &dispatch,
            &[toks[0].token.clone()],
            Reveal::Clear,
        )
        .unwrap();
    assert_eq!(back[0].value.expose(), "13812345678");
    // B replacing the manifest keeps A's tenant key: lookups by blind index still match.
    b.load_manifest(&AdminScope::new(), &ride, conformance::RIDE_HAILING)
        .unwrap();
    let found = a
        .lookup(
            &ServiceScope::new(ride.clone(), (svc).clone()),
            &dispatch,
            &phone,
            "13812345678",
        )
        .unwrap();
    assert_eq!(found, vec![toks[0].token.clone()]);

    // A freeze through A: B refuses the next registration, naming the order.
    let t0 = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
        - 1000;
    let freeze = conformance::signed_order(
        &conformance::test_regulator(),
        "ord-x-proc",
        OrderKind::SuspendRegistration,
        &["ride"],
        t0,
        None,
    );
    a.submit_order(&RegulatorScope::new(), &freeze).unwrap();
    match b.register(
        &ServiceScope::new(ride.clone(), conformance::first_service(&ride)),
        &cn,
        None,
        false,
    ) {
        Err(CoreError::Denied(r)) => {
            assert_eq!(r[0].order.as_deref(), Some("ord-x-proc"), "{r:?}");
        }
        other => panic!("B must refuse registration under A's freeze: {other:?}"),
    }
    assert!(
        b.list_orders(&Scope::Regulator(RegulatorScope::new()))
            .iter()
            .any(|v| v.order.id == "ord-x-proc"),
        "B lists A's order"
    );
    // B's replay of the same order is refused (B knows it now).
    assert!(matches!(
        b.submit_order(&RegulatorScope::new(), &freeze),
        Err(CoreError::Order(_))
    ));

    // The store refuses a commit decided under an old generation, and changes nothing.
    let store = PgStore::open(&url).unwrap();
    let g = store.generation().unwrap();
    assert!(g >= 3, "two manifests and an order: {g}");
    let size = store.ledger_head().unwrap().size;
    let e = custodian_ledger::Entry::new(
        custodian_ledger::EntryKind::KeyRotation,
        1,
        custodian_ledger::Decision::None,
    );
    assert!(matches!(
        store.commit_at(
            g - 1,
            custodian_core::store::Change::Record,
            vec![e.clone()]
        ),
        Err(custodian_core::store::StoreError::Stale)
    ));
    assert_eq!(store.ledger_head().unwrap().size, size);
    store
        .commit_at(g, custodian_core::store::Change::Record, vec![e])
        .unwrap();
    assert_eq!(store.ledger_head().unwrap().size.get(), size.get() + 1);
}

/// Raw bytes where an erased key may survive in PostgreSQL: every page of the key table (live
/// and dead tuples, free space) and every write-ahead log segment, read through the server
/// (superuser functions; no file-system access needed) — the segments from `first_wal` to the
/// current one.
fn server_bytes(url: &str, first_wal: &str) -> Vec<(String, Vec<u8>)> {
    let first_wal = first_wal.to_string();
    let url = url.to_string();
    runtime().block_on(async move {
        let (c, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        c.batch_execute("CREATE EXTENSION IF NOT EXISTS pageinspect; CHECKPOINT")
            .await
            .unwrap();
        let mut out = Vec::new();
        let pages: i64 = c
            .query_one(
                "SELECT pg_relation_size('custodian_keys.subject_keys') / current_setting('block_size')::bigint",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        for n in 0..pages {
            let page: Vec<u8> = c
                .query_one(
                    "SELECT get_raw_page('custodian_keys.subject_keys', $1::int)",
                    &[&(n as i32)],
                )
                .await
                .unwrap()
                .get(0);
            out.push((format!("subject_keys page {n}"), page));
        }
        for r in c
            .query(
                // Segments written since the test began (later names are recycled segments
                // holding older records, not this test's).
                "SELECT name FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' AND name >= $1
                   AND name <= pg_walfile_name(pg_current_wal_lsn()) ORDER BY name",
                &[&first_wal],
            )
            .await
            .unwrap()
        {
            let name: String = r.get(0);
            let bytes: Vec<u8> = c
                .query_one("SELECT pg_read_binary_file('pg_wal/' || $1)", &[&name])
                .await
                .unwrap()
                .get(0);
            out.push((format!("pg_wal/{name}"), bytes));
        }
        out
    })
}

/// PostgreSQL keeps a deleted row in dead tuples and in its write-ahead log until they are
/// overwritten, so an erased subject's wrapped key survives the erasure there. After the next
/// epoch rotation, every copy found opens under nothing the cell holds: the epoch it was
/// wrapped under is destroyed, and the KEK does not open it either.
#[test]
fn erased_key_survives_only_under_a_destroyed_epoch() {
    let url = fresh_db();
    let first_wal: String = admin("SELECT pg_walfile_name(pg_current_wal_lsn())")[0].get(0);
    let keydir = tempfile::tempdir().unwrap();
    let keys = Arc::new(custodian_keys::FileKeys::open(&keydir.path().join("kek.key")).unwrap());
    let store = Arc::new(PgStore::open(&url).unwrap());
    let v = conformance::vault_with(store.clone(), keys.clone()).unwrap();
    let ride = TenantId::parse("ride").unwrap();
    v.load_manifest(&AdminScope::new(), &ride, conformance::RIDE_HAILING)
        .unwrap();
    let svc = ServiceScope::new(ride.clone(), conformance::first_service(&ride));
    let cn = Jurisdiction::parse("CN").unwrap();
    let subjects: Vec<_> = (0..20)
        .map(|_| v.register(&svc, &cn, None, false).unwrap())
        .collect();
    let victim = &subjects[7];
    let key = store.subject(&ride, victim).unwrap().unwrap().1.unwrap();
    v.erase_subject(&custodian_core::access::DpoScope::new(ride.clone()), victim)
        .unwrap();
    let found_in = |bytes: &[(String, Vec<u8>)]| -> Vec<String> {
        bytes
            .iter()
            .filter(|(_, b)| memchr::memmem::find(b, &key.blob[1..25]).is_some())
            .map(|(n, _)| n.clone())
            .collect()
    };
    let before = found_in(&server_bytes(&url, &first_wal));
    assert!(
        !before.is_empty(),
        "the erased key is still in the server's files until a rotation (the scan sees it)"
    );
    let r = v.rotate_epoch(&AdminScope::new()).unwrap();
    assert_eq!(r.destroyed, vec![key.epoch]);
    let after = found_in(&server_bytes(&url, &first_wal));
    eprintln!("the erased key's copies after rotation: {after:?}");
    let aad = format!("custodian/subject-key/v1\n{ride}\n{victim}");
    use custodian_core::keyring::KeyHolder;
    let held = keys.held_epochs().unwrap();
    assert!(!held.contains(&key.epoch));
    for e in held
        .iter()
        .copied()
        .chain([custodian_core::ids::LEGACY_EPOCH, key.epoch])
    {
        assert!(
            keys.unwrap(e, &key.blob, aad.as_bytes()).is_err(),
            "the erased key opens under epoch {e}"
        );
    }
    // The others' keys open, re-wrapped.
    for s in subjects.iter().filter(|s| *s != victim) {
        let w = store.subject(&ride, s).unwrap().unwrap().1.unwrap();
        let aad = format!("custodian/subject-key/v1\n{ride}\n{s}");
        assert!(keys.unwrap(w.epoch, &w.blob, aad.as_bytes()).is_ok());
    }
}

/// The store's operator deletes rows with SQL — an order (a freeze gone), then every pinned
/// key (to pin keys of its own): each stops the cell at its next open.
#[test]
fn rows_deleted_from_the_store_stop_the_cell() {
    let url = fresh_db();
    let open = opener(url.clone());
    let v = conformance::vault(open()).unwrap();
    let mut freeze = conformance::order_doc(
        "ord-freeze-pgdel",
        custodian_core::orders::OrderKind::SuspendRegistration,
    );
    freeze.targets = vec![TenantId::parse("ride").unwrap()];
    v.submit_order(
        &RegulatorScope::new(),
        &conformance::sign_doc(&conformance::test_regulator(), &freeze),
    )
    .unwrap();
    drop(v);
    let sql = |s: &str| admin_on(&url, s);
    sql("DELETE FROM orders WHERE id = 'ord-freeze-pgdel'");
    let e = conformance::vault(open()).unwrap_err();
    assert!(
        e.contains("the ledger accepted order `ord-freeze-pgdel`, the store does not hold it"),
        "{e}"
    );
    sql("DELETE FROM pinned_keys");
    let operator = custodian_ledger::Signer::from_seed("regulator.test/cac", &[66; 32]).unwrap();
    let e = conformance::vault_trusting(
        open(),
        conformance::shared_keys(),
        vec![operator.verifier()],
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("does not verify") || e.contains("the ledger pinned regulator key"),
        "{e}"
    );
}

/// The year's transfer counts deleted with SQL stop the cell at its next open.
#[test]
fn transfer_counts_deleted_in_the_store_stop_the_cell() {
    let url = fresh_db();
    let open = opener(url.clone());
    conformance::one_transfer(&conformance::vault(open()).unwrap()).unwrap();
    admin_on(&url, "DELETE FROM transferred");
    let e = conformance::vault(open()).unwrap_err();
    assert!(e.contains("the store's counts do not"), "{e}");
}

/// A restored subject gets a version it never had: a process that kept a copy of it from
/// before the restore (the vault's subject cache) cannot commit on that copy, whatever
/// changes follow. Restored at the backup's counter (or at 0, as before), the next changes
/// would have brought back versions such a copy carries.
#[test]
fn a_restored_subject_never_has_a_version_it_had() {
    let store: Arc<dyn Store> = Arc::new(PgStore::open(&fresh_db()).unwrap());
    let (v, jobs, s) = conformance::a_subject_with_a_consent(Arc::clone(&store)).unwrap();
    let version = |st: &dyn Store| st.subject(&jobs, &s).unwrap().unwrap().0.version;
    let mut had = vec![0, version(store.as_ref())];
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup");
    store.snapshot(&backup).unwrap();
    for grant in [false, true, false] {
        conformance::turn_consent(&v, &jobs, &s, grant).unwrap();
        had.push(version(store.as_ref()));
    }
    let restored = PgStore::open(&fresh_db()).unwrap();
    restored.restore(&backup).unwrap();
    let restored: Arc<dyn Store> = Arc::new(restored);
    let again = conformance::vault(Arc::clone(&restored)).unwrap();
    let mut now = vec![version(restored.as_ref())];
    for grant in [false, true, false] {
        conformance::turn_consent(&again, &jobs, &s, grant).unwrap();
        now.push(version(restored.as_ref()));
    }
    for n in &now {
        assert!(
            !had.contains(n),
            "version {n} came back after the restore: had {had:?}, now {now:?}"
        );
    }
}

/// A restore is recorded by the first vault to open after it — here two processes at once —
/// and once: the other finds it recorded and records nothing. The ledger takes one
/// `backup_restored` entry and the restore's mark is gone.
#[test]
fn a_restore_is_recorded_once_by_the_vaults_that_open_after_it() {
    let store: Arc<dyn Store> = Arc::new(PgStore::open(&fresh_db()).unwrap());
    let _ = conformance::a_subject_with_a_consent(Arc::clone(&store)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup");
    store.snapshot(&backup).unwrap();
    let url = fresh_db();
    let size = PgStore::open(&url).unwrap().restore(&backup).unwrap();
    let open = opener(url.clone());
    let (a, b) = (open(), open());
    std::thread::scope(|t| {
        let first = t.spawn(|| conformance::vault(a).map(drop));
        let second = t.spawn(|| conformance::vault(b).map(drop));
        first.join().unwrap().unwrap();
        second.join().unwrap().unwrap();
    });
    let store = open();
    let head = store.ledger_head().unwrap().size.get();
    let restores = conformance::entries_with_reason(store.as_ref(), "backup_restored").unwrap();
    assert_eq!(
        restores,
        vec![size],
        "the entry right after the backup's ledger"
    );
    assert!(!store.unrecorded_restore().unwrap());
    drop(conformance::vault(store).unwrap());
    assert_eq!(open().ledger_head().unwrap().size.get(), head);
}

/// A database a newer release migrated is refused at open with a clear error and left as it
/// was; without the newer migration it opens again.
#[test]
fn a_schema_newer_than_the_build_is_refused_untouched() {
    let url = fresh_db();
    let open = opener(url.clone());
    drop(conformance::vault(open()).unwrap());
    admin_on(
        &url,
        "INSERT INTO custodian_migrations(version) VALUES (10000)",
    );
    let before = all_rows(&url);
    let e = PgStore::open(&url).err().unwrap().to_string();
    assert!(
        e.contains(
            "the database has schema version 10000, newer than this build of Custodian knows"
        ),
        "{e}"
    );
    assert_eq!(
        all_rows(&url),
        before,
        "a refused open changed the database"
    );
    admin_on(
        &url,
        "DELETE FROM custodian_migrations WHERE version = 10000",
    );
    drop(conformance::vault(open()).unwrap());
}
