//! The SQLite store: the conformance suite on real files, PI never on disk in clear, upgrades
//! from older layouts (erasure against a backup: `files.rs`).
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use custodian_conformance::{self as conformance, Opener};
use custodian_core::access::{AdminScope, DpoScope, ServiceScope};
use custodian_core::decision::ConsentChange;
use custodian_core::ids::{FieldName, Jurisdiction, PurposeId, ServiceName, TenantId};
use custodian_core::{Reveal, Store};
use custodian_store::SqliteStore;

fn opener(dir: PathBuf) -> Opener {
    Box::new(move || Arc::new(SqliteStore::open(&dir).expect("open store")) as Arc<dyn Store>)
}

/// A fresh store in a directory that lives as long as the test process (the checks reopen it).
fn fresh() -> Opener {
    let d = tempfile::tempdir().unwrap();
    opener(d.keep())
}

/// The conformance suite on SQLite: one test per check (`conformance::<check>`).
mod conformance_sqlite {
    custodian_conformance::conformance_tests!(super::fresh);
}

fn files_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            out.push((
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            ));
        }
    }
    out
}

#[test]
fn no_plaintext_pi_in_any_file() {
    let d = tempfile::tempdir().unwrap();
    let open = opener(d.path().to_path_buf());
    let v = conformance::vault(open()).unwrap();
    let (ride, jobs) = (
        TenantId::parse("ride").unwrap(),
        TenantId::parse("jobs").unwrap(),
    );
    v.load_manifest(&AdminScope::new(), &ride, conformance::RIDE_HAILING)
        .unwrap();
    v.load_manifest(&AdminScope::new(), &jobs, conformance::JOB_BOARD)
        .unwrap();
    let cn = Jurisdiction::parse("CN").unwrap();
    let pi = [
        "13812345678",
        "北京市朝阳区建国路88号",
        "39.9042,116.4074,1790000000000;39.91,116.41,1790000060000",
        "11010519491231002X",
        "zhang.wei@example.com",
        "13955556666",
    ];
    let s = v
        .register(
            &ServiceScope::new(ride.clone(), conformance::first_service(&ride)),
            &cn,
            None,
            false,
        )
        .unwrap();
    let dispatch = PurposeId::parse("dispatch").unwrap();
    let safety = PurposeId::parse("safety").unwrap();
    v.change_consent(
        &DpoScope::new(ride.clone()),
        &s,
        &dispatch,
        ConsentChange::Grant {
            separate: true,
            by_guardian: false,
        },
    )
    .unwrap();
    v.change_consent(
        &DpoScope::new(ride.clone()),
        &s,
        &safety,
        ConsentChange::Grant {
            separate: true,
            by_guardian: false,
        },
    )
    .unwrap();
    let svc = ServiceName::parse("dispatch-svc").unwrap();
    let f = |n: &str| FieldName::parse(n).unwrap();
    let a = v
        .collect(
            &ServiceScope::new(ride.clone(), (svc).clone()),
            &s,
            &dispatch,
            &[
                (f("phone"), pi[0]),
                (f("pickup"), pi[1]),
                (f("trip_track"), pi[2]),
            ],
        )
        .unwrap();
    v.collect(
        &ServiceScope::new(ride.clone(), (svc).clone()),
        &s,
        &safety,
        &[(f("id_number"), pi[3]), (f("emergency_contact"), pi[5])],
    )
    .unwrap();
    let j = v
        .register(
            &ServiceScope::new(jobs.clone(), conformance::first_service(&jobs)),
            &cn,
            None,
            false,
        )
        .unwrap();
    v.collect(
        &ServiceScope::new(
            jobs.clone(),
            (ServiceName::parse("matching-svc").unwrap()).clone(),
        ),
        &j,
        &PurposeId::parse("job_matching").unwrap(),
        &[(f("resume"), &format!("联系邮箱 {}", pi[4]))],
    )
    .unwrap();
    // Reads and a denial also go to the ledger; none may leak a value.
    v.detokenize(
        &ServiceScope::new(ride.clone(), (svc).clone()),
        &dispatch,
        &[a[0].token.clone()],
        Reveal::Clear,
    )
    .unwrap();
    let _ = v.collect(
        &ServiceScope::new(ride.clone(), (svc).clone()),
        &s,
        &dispatch,
        &[(f("trip_note"), "call 13812345678")],
    );
    let cp = v.checkpoint().unwrap();
    drop(v);
    let files = files_bytes(d.path());
    assert!(
        files.iter().any(|(n, _)| n == "vault.db") && files.iter().any(|(n, _)| n == "keys.db")
    );
    for (name, bytes) in &files {
        for value in pi {
            assert!(
                !bytes.windows(value.len()).any(|w| w == value.as_bytes()),
                "`{value}` in clear in {name}"
            );
        }
    }
    for value in pi {
        assert!(!cp.contains(value));
    }
    // The ledger entries themselves, decoded.
    let v = conformance::vault(open()).unwrap();
    for (_, e) in v.ledger_entries(0, u64::MAX).unwrap() {
        let text = serde_json::to_string(&e).unwrap();
        for value in pi {
            assert!(!text.contains(value), "ledger entry holds `{value}`");
        }
    }
}

#[test]
fn one_process_at_a_time() {
    let d = tempfile::tempdir().unwrap();
    let first = SqliteStore::open(d.path()).unwrap();
    let e = SqliteStore::open(d.path()).unwrap_err().to_string();
    assert!(e.contains("in use by another process"), "{e}");
    drop(first);
    // Released on close: opens again.
    SqliteStore::open(d.path()).unwrap();
}

/// Every file under `dir`, recursively, with its bytes.
fn tree_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(tree_bytes(&p));
        } else {
            let bytes = std::fs::read(&p).unwrap();
            out.push((p, bytes));
        }
    }
    out
}

/// Where any 24-byte window of `needle` (its nonce, or any stretch of its ciphertext) occurs.
fn traces_of(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, bytes) in tree_bytes(dir) {
        for w in needle.windows(24).step_by(8) {
            if memchr::memmem::find(&bytes, w).is_some() {
                found.push(path.display().to_string());
                break;
            }
        }
    }
    found
}

/// After an erasure is acknowledged, no file in the data directory — the databases, their
/// write-ahead logs and shared-memory files, free pages, the key files — holds any stretch of
/// the subject's wrapped key: one key only ever in the WAL, one checkpointed into `keys.db`,
/// checked while the store is open and again after it closes.
#[test]
fn erased_key_is_in_no_byte_of_any_file() {
    let d = tempfile::tempdir().unwrap();
    let store_dir = d.path().join("store");
    let keys = Arc::new(custodian_keys::FileKeys::open(&d.path().join("kek.key")).unwrap());
    let open = opener(store_dir.clone());
    let ride = TenantId::parse("ride").unwrap();
    let cn = Jurisdiction::parse("CN").unwrap();
    let svc = ServiceScope::new(ride.clone(), conformance::first_service(&ride));
    let (dispatch, phone) = (
        PurposeId::parse("dispatch").unwrap(),
        FieldName::parse("phone").unwrap(),
    );
    let populate = |v: &custodian_core::Vault, n: usize| {
        let mut ids = Vec::new();
        for i in 0..n {
            let s = v.register(&svc, &cn, None, false).unwrap();
            v.change_consent(
                &DpoScope::new(ride.clone()),
                &s,
                &dispatch,
                ConsentChange::Grant {
                    separate: true,
                    by_guardian: false,
                },
            )
            .unwrap();
            v.collect(
                &svc,
                &s,
                &dispatch,
                &[(phone.clone(), &format!("1380000{i:04}"))],
            )
            .unwrap();
            ids.push(s);
        }
        ids
    };
    // The first victim's key is checkpointed into keys.db: the store closes (and truncates
    // the key file's WAL) before the second batch.
    let store = open();
    let v = conformance::vault_with(store.clone(), keys.clone()).unwrap();
    v.load_manifest(&AdminScope::new(), &ride, conformance::RIDE_HAILING)
        .unwrap();
    let first = populate(&v, 40);
    drop(v);
    drop(store);
    let store = open();
    let v = conformance::vault_with(store.clone(), keys.clone()).unwrap();
    let second = populate(&v, 40);
    let key_of = |s| store.subject(&ride, s).unwrap().unwrap().1.unwrap().blob;
    let victims = [&first[17], &second[23]];
    let blobs: Vec<Vec<u8>> = victims.iter().map(|s| key_of(*s)).collect();
    assert!(
        !traces_of(d.path(), &blobs[0]).is_empty(),
        "the scan finds a live key (the test can fail)"
    );
    for s in victims {
        v.erase_subject(&DpoScope::new(ride.clone()), s).unwrap();
    }
    for b in &blobs {
        assert_eq!(traces_of(d.path(), b), Vec::<String>::new(), "open store");
    }
    // Everyone else's key is still there and opens.
    let back = v
        .export_subject(&DpoScope::new(ride.clone()), &first[16])
        .unwrap();
    assert_eq!(back.values[0].value.expose(), "13800000016");
    drop(v);
    drop(store);
    for b in &blobs {
        assert_eq!(traces_of(d.path(), b), Vec::<String>::new(), "closed store");
    }
    // An erasure a crash cut between its two commits leaves the subject erased in vault.db and
    // its key in keys.db: the next open deletes the key, from every byte.
    let keys_db = rusqlite::Connection::open(store_dir.join("keys.db")).unwrap();
    keys_db
        .execute(
            "INSERT INTO subject_keys(tenant, subject, wrapped, epoch) VALUES (?1, ?2, ?3, 0)",
            rusqlite::params![ride.as_str(), victims[1].as_str(), blobs[1]],
        )
        .unwrap();
    keys_db
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    drop(keys_db);
    assert!(
        !traces_of(d.path(), &blobs[1]).is_empty(),
        "the key is back"
    );
    drop(open());
    assert_eq!(
        traces_of(d.path(), &blobs[1]),
        Vec::<String>::new(),
        "after the open"
    );
}

/// A cell from before epochs (tenants' keys in vault.db and subject keys in keys.db, all
/// wrapped directly by the KEK) opens: its keys move under epoch 0, the copies in vault.db are
/// cleared, its values read back, and the first rotation moves every key under an epoch.
#[test]
fn a_cell_from_before_epochs_upgrades() {
    use custodian_core::keyring::{KeyHolder, MemoryKeys};
    let d = tempfile::tempdir().unwrap();
    let open = opener(d.path().to_path_buf());
    let ride = TenantId::parse("ride").unwrap();
    let svc = ServiceScope::new(ride.clone(), conformance::first_service(&ride));
    let dispatch = PurposeId::parse("dispatch").unwrap();
    let keys = Arc::new(MemoryKeys::new(conformance::TEST_KEK));
    let token = {
        let v = conformance::vault_with(open(), keys.clone()).unwrap();
        v.load_manifest(&AdminScope::new(), &ride, conformance::RIDE_HAILING)
            .unwrap();
        let s = v
            .register(&svc, &Jurisdiction::parse("CN").unwrap(), None, false)
            .unwrap();
        v.change_consent(
            &DpoScope::new(ride.clone()),
            &s,
            &dispatch,
            ConsentChange::Grant {
                separate: true,
                by_guardian: false,
            },
        )
        .unwrap();
        v.collect(
            &svc,
            &s,
            &dispatch,
            &[(FieldName::parse("phone").unwrap(), "13812345678")],
        )
        .unwrap()[0]
            .token
            .clone()
    };
    // Rewrite the files into the layout a release before epochs kept.
    {
        let c = rusqlite::Connection::open(d.path().join("vault.db")).unwrap();
        c.execute(
            "ATTACH DATABASE ?1 AS keys",
            [d.path().join("keys.db").to_str().unwrap()],
        )
        .unwrap();
        let rekey = |aad: &str, blob: Vec<u8>, epoch: u32| {
            let k = keys.unwrap(epoch, &blob, aad.as_bytes()).unwrap();
            custodian_core::crypto::wrap_key(&conformance::TEST_KEK, &k, aad.as_bytes()).unwrap()
        };
        let (tb, te): (Vec<u8>, u32) = c
            .query_row("SELECT wrapped, epoch FROM keys.tenant_keys", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        let tenant_blob = rekey(&format!("custodian/tenant-key/v1\n{ride}"), tb, te);
        c.execute("UPDATE tenants SET wrapped_key = ?1", [tenant_blob])
            .unwrap();
        let (s, sb, se): (String, Vec<u8>, u32) = c
            .query_row(
                "SELECT subject, wrapped, epoch FROM keys.subject_keys",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        let subject_blob = rekey(&format!("custodian/subject-key/v1\n{ride}\n{s}"), sb, se);
        c.execute_batch(
            "DROP TABLE keys.tenant_keys; DROP TABLE keys.key_epochs; DROP TABLE keys.subject_keys;
             DROP TABLE keys.key_writes; DROP TABLE main.key_writes; DROP TABLE unrecorded_erasures; DROP TABLE restore_unrecorded;
             ALTER TABLE subjects DROP COLUMN key_gen; PRAGMA main.user_version = 14;
             CREATE TABLE keys.subject_keys(tenant TEXT NOT NULL, subject TEXT NOT NULL, wrapped BLOB NOT NULL,
               PRIMARY KEY (tenant, subject)) WITHOUT ROWID;
             PRAGMA keys.user_version = 0;",
        )
        .unwrap();
        c.execute(
            "INSERT INTO keys.subject_keys VALUES ('ride', ?1, ?2)",
            rusqlite::params![s, subject_blob],
        )
        .unwrap();
    }
    // A holder with the same KEK and no epochs, as the release before had.
    let keys = Arc::new(MemoryKeys::new(conformance::TEST_KEK));
    let v = conformance::vault_with(open(), keys.clone()).unwrap();
    let read = |v: &custodian_core::Vault| {
        v.detokenize(&svc, &dispatch, std::slice::from_ref(&token), Reveal::Clear)
            .unwrap()[0]
            .value
            .expose()
            .to_string()
    };
    assert_eq!(read(&v), "13812345678");
    let st = v.key_status(&AdminScope::new()).unwrap();
    assert_eq!((st.epochs[0].epoch, st.epochs[0].subject_keys), (0, 1));
    let r = v.rotate_epoch(&AdminScope::new()).unwrap();
    assert_eq!((r.subject_keys, r.tenant_keys), (1, 1));
    keys.rotate_kek().unwrap();
    drop(v);
    let v = conformance::vault_with(open(), keys).unwrap();
    assert_eq!(
        read(&v),
        "13812345678",
        "nothing needs the old KEK any more"
    );
    drop(v);
    let c = rusqlite::Connection::open(d.path().join("vault.db")).unwrap();
    let left: i64 = c
        .query_row(
            "SELECT count(*) FROM tenants WHERE length(wrapped_key) > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "vault.db keeps no tenant key");
}

/// A ledger from before the subject index is indexed when the store opens: a person's copy
/// names the reads made before the upgrade.
#[test]
fn the_subject_index_is_built_for_an_older_ledger() {
    let d = tempfile::tempdir().unwrap();
    let open = opener(d.path().to_path_buf());
    let ride = TenantId::parse("ride").unwrap();
    let svc = ServiceScope::new(ride.clone(), conformance::first_service(&ride));
    let dispatch = PurposeId::parse("dispatch").unwrap();
    let s = {
        // A cell from before pinned regulator keys.
        let v = conformance::vault_trusting(open(), conformance::shared_keys(), vec![]).unwrap();
        v.load_manifest(&AdminScope::new(), &ride, conformance::RIDE_HAILING)
            .unwrap();
        let s = v
            .register(&svc, &Jurisdiction::parse("CN").unwrap(), None, false)
            .unwrap();
        v.change_consent(
            &DpoScope::new(ride.clone()),
            &s,
            &dispatch,
            ConsentChange::Grant {
                separate: true,
                by_guardian: false,
            },
        )
        .unwrap();
        let t = v
            .collect(
                &svc,
                &s,
                &dispatch,
                &[(FieldName::parse("phone").unwrap(), "13812345678")],
            )
            .unwrap()[0]
            .token
            .clone();
        v.detokenize(&svc, &dispatch, &[t], Reveal::Masked).unwrap();
        s
    };
    // The layout before: no index table, version 6.
    {
        let c = rusqlite::Connection::open(d.path().join("vault.db")).unwrap();
        c.execute_batch(
            "DROP TABLE ledger_subjects; DROP TABLE pinned_keys; DROP TABLE transfer_bases; DROP TABLE transferred; DROP TABLE received; DROP TABLE idempotency; ALTER TABLE subjects DROP COLUMN version; PRAGMA user_version = 6;
             DROP TABLE key_writes; DROP TABLE unrecorded_erasures; DROP TABLE restore_unrecorded; ALTER TABLE subjects DROP COLUMN key_gen;",
        )
        .unwrap();
        // Its key file then had no count of writes either.
        rusqlite::Connection::open(d.path().join("keys.db"))
            .unwrap()
            .execute_batch(
                "DROP TABLE key_writes; ALTER TABLE subject_keys DROP COLUMN gen;
                 ALTER TABLE subject_keys DROP COLUMN next_wrapped;
                 ALTER TABLE subject_keys DROP COLUMN next_epoch;
                 ALTER TABLE subject_keys DROP COLUMN next_gen; PRAGMA user_version = 2;",
            )
            .unwrap();
    }
    let v = conformance::vault(open()).unwrap();
    let e = v.export_subject(&DpoScope::new(ride.clone()), &s).unwrap();
    assert_eq!(e.values[0].uses.len(), 1, "{:?}", e.values[0].uses);
    assert_eq!(e.values[0].uses[0].service.as_deref(), Some("dispatch-svc"));
}

/// The pinned regulator keys are checked against the ledger at every open: a key the operator
/// adds to the store's table, or the table emptied so that other keys get pinned, stops the
/// cell.
#[test]
fn pinned_keys_edited_in_the_store_stop_the_cell() {
    let d = tempfile::tempdir().unwrap();
    let open = opener(d.path().to_path_buf());
    drop(conformance::vault(open()).unwrap());
    let operator = custodian_ledger::Signer::from_seed("regulator.test/cac", &[66; 32]).unwrap();
    let both = vec![
        conformance::test_regulator().verifier(),
        operator.verifier(),
    ];
    let sql = |s: &str| {
        rusqlite::Connection::open(d.path().join("vault.db"))
            .unwrap()
            .execute_batch(s)
            .unwrap();
    };
    // A row for the operator's key, pointing at the regulator's pin entry.
    sql(&format!(
        "INSERT INTO pinned_keys(vkey, pinned_at, ledger_idx) SELECT '{}', pinned_at, ledger_idx + 1 FROM pinned_keys",
        operator.verifier().to_vkey()
    ));
    let e = conformance::vault_trusting(open(), conformance::shared_keys(), both.clone())
        .unwrap_err()
        .to_string();
    assert!(e.contains("disagree with the ledger"), "{e}");
    // The table emptied, to pin the operator's key afresh.
    sql("DELETE FROM pinned_keys");
    let e = conformance::vault_trusting(open(), conformance::shared_keys(), both)
        .unwrap_err()
        .to_string();
    assert!(e.contains("the ledger pinned regulator key"), "{e}");
}

/// The year's transfer counts cut in the store (so that the gate would count under a threshold
/// the ledger shows crossed) stop the cell at its next open.
#[test]
fn transfer_counts_cut_in_the_store_stop_the_cell() {
    let d = tempfile::tempdir().unwrap();
    let open = opener(d.path().to_path_buf());
    conformance::one_transfer(&conformance::vault(open()).unwrap()).unwrap();
    // Rows added by hand only make the gate stricter: the cell opens.
    rusqlite::Connection::open(d.path().join("vault.db"))
        .unwrap()
        .execute_batch("INSERT INTO transferred SELECT org, year, tenant, 'sub_extra', sensitive FROM transferred")
        .unwrap();
    drop(conformance::vault(open()).unwrap());
    rusqlite::Connection::open(d.path().join("vault.db"))
        .unwrap()
        .execute_batch("DELETE FROM transferred WHERE subject <> 'sub_extra'")
        .unwrap();
    let e = conformance::vault(open()).unwrap_err();
    assert!(e.contains("the store's counts do not"), "{e}");
}

/// The transfer's ledger entry rewritten in the store so that it no longer counts, and its
/// count deleted with it: the entries no longer hash to the ledger's root, and the cell stops.
/// An entry row deleted stops it too.
#[test]
fn ledger_entries_edited_in_the_store_stop_the_cell() {
    let d = tempfile::tempdir().unwrap();
    let open = opener(d.path().to_path_buf());
    conformance::one_transfer(&conformance::vault(open()).unwrap()).unwrap();
    let db = || rusqlite::Connection::open(d.path().join("vault.db")).unwrap();
    let (idx, bytes): (i64, Vec<u8>) = {
        let c = db();
        let mut st = c
            .prepare("SELECT idx, entry FROM ledger_entries ORDER BY idx")
            .unwrap();
        let rows: Vec<(i64, Vec<u8>)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.into_iter()
            .find(|(_, b)| {
                custodian_ledger::Entry::decode(b).unwrap().kind
                    == custodian_ledger::EntryKind::Transfer
            })
            .unwrap()
    };
    let mut e = custodian_ledger::Entry::decode(&bytes).unwrap();
    e.tokens.retain(|t| !t.as_str().starts_with("class:"));
    let c = db();
    c.execute(
        "UPDATE ledger_entries SET entry = ?1 WHERE idx = ?2",
        rusqlite::params![e.encode().unwrap(), idx],
    )
    .unwrap();
    c.execute_batch("DELETE FROM transferred").unwrap();
    drop(c);
    let err = conformance::vault(open()).unwrap_err();
    assert!(err.contains("do not hash to the ledger's root"), "{err}");
    db().execute(
        "UPDATE ledger_entries SET entry = ?1 WHERE idx = ?2",
        rusqlite::params![bytes, idx],
    )
    .unwrap();
    // (An entry in the middle: the tail cut off is a shorter ledger, which only the witnesses'
    // cosigned checkpoints can show.)
    db().execute("DELETE FROM ledger_entries WHERE idx = 1", [])
        .unwrap();
    let err = conformance::vault(open()).unwrap_err();
    assert!(err.contains("missing from the store"), "{err}");
}

/// An order deleted from the store (a freeze gone) stops the cell at its next open: the
/// ledger accepted it.
#[test]
fn an_order_deleted_from_the_store_stops_the_cell() {
    let d = tempfile::tempdir().unwrap();
    let open = opener(d.path().to_path_buf());
    let v = conformance::vault(open()).unwrap();
    let mut freeze = conformance::order_doc(
        "ord-freeze-del",
        custodian_core::orders::OrderKind::SuspendRegistration,
    );
    freeze.targets = vec![TenantId::parse("ride").unwrap()];
    v.submit_order(
        &custodian_core::access::RegulatorScope::new(),
        &conformance::sign_doc(&conformance::test_regulator(), &freeze),
    )
    .unwrap();
    drop(v);
    rusqlite::Connection::open(d.path().join("vault.db"))
        .unwrap()
        .execute_batch("DELETE FROM orders WHERE id = 'ord-freeze-del'")
        .unwrap();
    let e = conformance::vault(open()).unwrap_err();
    assert!(
        e.contains("the ledger accepted order `ord-freeze-del`, the store does not hold it"),
        "{e}"
    );
}
