//! The PostgreSQL store's hot point reads go through a few shared connections (pipelined by
//! tokio-postgres). A shared connection the server drops must be replaced: the reads after it
//! answer again, with the right values, and a batch's reads of many subjects at once answer each
//! subject's own rows. Against the real test server; never skipped.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

#[expect(dead_code, reason = "the child-process helpers are postgres.rs's")]
mod pg;

use std::sync::Arc;

use custodian_conformance::{self as conformance, RIDE_HAILING};
use custodian_core::access::{AdminScope, ServiceScope};
use custodian_core::ids::{FieldName, Jurisdiction, PurposeId, ServiceName, TenantId};
use custodian_core::{Reveal, Store};
use custodian_store::PgStore;
use pg::*;

#[test]
fn shared_reads_recover_when_the_server_drops_their_connections() {
    let url = fresh_db();
    let db = url.rsplit_once('/').unwrap().1.to_string();
    let store: Arc<dyn Store> = Arc::new(PgStore::open(&url).unwrap());
    let vault = conformance::vault(Arc::clone(&store)).unwrap();
    let ride = TenantId::parse("ride").unwrap();
    vault
        .load_manifest(&AdminScope::new(), &ride, RIDE_HAILING)
        .unwrap();
    let scope = ServiceScope::new(ride.clone(), ServiceName::parse("dispatch-svc").unwrap());
    let (cn, dispatch) = (
        Jurisdiction::parse("CN").unwrap(),
        PurposeId::parse("dispatch").unwrap(),
    );
    let phone = FieldName::parse("phone").unwrap();
    let subjects: Vec<_> = (0..3)
        .map(|_| vault.register(&scope, &cn, None, false).unwrap())
        .collect();
    let numbers = ["13812340001", "13812340002", "13812340003"];
    let tokens: Vec<_> = subjects
        .iter()
        .zip(numbers)
        .map(|(s, n)| {
            vault
                .collect(&scope, s, &dispatch, &[(phone.clone(), n)])
                .unwrap()[0]
                .token
                .clone()
        })
        .collect();
    let read = || vault.detokenize(&scope, &dispatch, &tokens, Reveal::Clear);
    for _ in 0..8 {
        read().unwrap();
    }
    // The server ends every connection to the cell's database: the shared readers, the pool's,
    // the writer's.
    let ended = admin(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = '{db}' AND pid <> pg_backend_pid()"
    ));
    assert!(ended.len() >= 2, "the cell had connections to end");
    let results: Vec<_> = (0..40).map(|_| read()).collect();
    let failed = results.iter().filter(|r| r.is_err()).count();
    assert!(
        failed <= 12,
        "{failed} of 40 reads failed after the connections were dropped"
    );
    for r in &results[20..] {
        let got = r
            .as_ref()
            .unwrap_or_else(|e| panic!("a read after recovery failed: {e}"));
        let values: Vec<&str> = got.iter().map(|d| d.value.expose()).collect();
        assert_eq!(values, numbers, "each token reads its own value back");
    }
    // Many subjects in one read: each with its own rows (its consents once, also when asked
    // twice), an unknown one as missing.
    let safety = PurposeId::parse("safety").unwrap();
    let given = vault
        .consent_batch(
            &scope,
            &[custodian_core::vault::ConsentItem {
                subject: subjects[2].clone(),
                purpose: safety.clone(),
                separate: true,
                by_guardian: false,
                idempotency_key: None,
            }],
        )
        .unwrap();
    assert!(given[0].is_ok(), "the consent is given");
    let unknown = custodian_core::ids::SubjectId::parse("sub_nobodynobodynobodynobody1").unwrap();
    let asked = [
        subjects[2].clone(),
        unknown,
        subjects[0].clone(),
        subjects[2].clone(),
    ];
    let rows = store.subjects_and_consents(&ride, &asked).unwrap();
    let ids: Vec<Option<&str>> = rows
        .iter()
        .map(|r| r.as_ref().map(|((info, _), _)| info.id.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            Some(subjects[2].as_str()),
            None,
            Some(subjects[0].as_str()),
            Some(subjects[2].as_str())
        ]
    );
    let consents: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| {
            r.as_ref().map_or(Vec::new(), |(_, c)| {
                c.iter().map(|c| c.purpose.as_str()).collect()
            })
        })
        .collect();
    assert_eq!(
        consents,
        [vec!["safety"], vec![], vec![], vec!["safety"]],
        "each subject's own consents, once"
    );
}

/// Point reads of subjects that arrive together are answered by one statement: under many
/// concurrent readers, of two tenants, each read still gets its own subject with its own
/// consents, a subject asked under the wrong tenant or unknown is missing, and a consent given
/// just before a read is in its answer.
#[test]
fn point_reads_gathered_together_each_answer_their_own_subject() {
    let url = fresh_db();
    let store: Arc<dyn Store> = Arc::new(PgStore::open(&url).unwrap());
    let vault = Arc::new(conformance::vault(Arc::clone(&store)).unwrap());
    let (cn, safety) = (
        Jurisdiction::parse("CN").unwrap(),
        PurposeId::parse("safety").unwrap(),
    );
    let consent = |subject: &custodian_core::ids::SubjectId| custodian_core::vault::ConsentItem {
        subject: subject.clone(),
        purpose: safety.clone(),
        separate: true,
        by_guardian: false,
        idempotency_key: None,
    };
    // (tenant, subject, the consents' purposes, or None for a missing subject)
    let mut expected = Vec::new();
    let mut scopes = Vec::new();
    for name in ["ride", "taxi"] {
        let tenant = TenantId::parse(name).unwrap();
        vault
            .load_manifest(&AdminScope::new(), &tenant, RIDE_HAILING)
            .unwrap();
        let scope = ServiceScope::new(tenant.clone(), ServiceName::parse("dispatch-svc").unwrap());
        for i in 0..6 {
            let s = vault.register(&scope, &cn, None, false).unwrap();
            let purposes = if i % 2 == 0 {
                assert!(vault.consent_batch(&scope, &[consent(&s)]).unwrap()[0].is_ok());
                vec!["safety".to_string()]
            } else {
                Vec::new()
            };
            expected.push((tenant.clone(), s, Some(purposes)));
        }
        scopes.push(scope);
    }
    let unknown = custodian_core::ids::SubjectId::parse("sub_nobodynobodynobodynobody1").unwrap();
    expected.push((TenantId::parse("ride").unwrap(), unknown, None));
    // A taxi subject asked under ride.
    let taxi_subject = expected[6].1.clone();
    expected.push((TenantId::parse("ride").unwrap(), taxi_subject, None));
    let expected = Arc::new(expected);
    let readers: Vec<_> = (0..16)
        .map(|t| {
            let (store, expected) = (Arc::clone(&store), Arc::clone(&expected));
            std::thread::spawn(move || {
                for i in 0..150 {
                    let (tenant, subject, want) = &expected[(t * 7 + i) % expected.len()];
                    let got = store.subject_and_consents(tenant, subject).unwrap();
                    let got = got.map(|((info, _), consents)| {
                        assert_eq!(info.id, *subject, "the subject asked for");
                        consents
                            .iter()
                            .map(|c| c.purpose.as_str().to_string())
                            .collect::<Vec<_>>()
                    });
                    assert_eq!(&got, want, "{tenant}/{subject}");
                }
            })
        })
        .collect();
    // Meanwhile: a consent given, then read at once, is in the answer.
    for _ in 0..20 {
        let s = vault.register(&scopes[1], &cn, None, false).unwrap();
        assert!(vault.consent_batch(&scopes[1], &[consent(&s)]).unwrap()[0].is_ok());
        let (_, consents) = store
            .subject_and_consents(&TenantId::parse("taxi").unwrap(), &s)
            .unwrap()
            .expect("the subject just registered");
        assert_eq!(consents.len(), 1, "the consent given just before the read");
    }
    for r in readers {
        r.join().unwrap();
    }
}
