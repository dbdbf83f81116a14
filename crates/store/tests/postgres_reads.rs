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
