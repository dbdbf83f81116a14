//! The client against a real server on loopback: a service registers, collects, transfers and
//! checks a payload; a regulator submits and lists orders by signed requests; refusals come
//! back in the API's shape.

use std::sync::Arc;

use custodian_client::{Auth, Client, ClientError};
use custodian_conformance::{self as conformance, JOB_BOARD, order_doc, sign_doc};
use custodian_core::Store;
use custodian_core::access::{Access, AdminScope, DpoScope, ServiceScope};
use custodian_core::ids::{ServiceName, TenantId};
use custodian_core::orders::OrderKind;
use custodian_core::transfers::{BasisKind, Pia, TransferBasis};

#[test]
fn a_service_and_a_regulator_through_the_client() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(custodian_store::SqliteStore::open(dir.path()).unwrap());
    let vault = Arc::new(conformance::vault(store).unwrap());
    let jobs = TenantId::parse("jobs").unwrap();
    vault
        .load_manifest(&AdminScope::new(), &jobs, JOB_BOARD)
        .unwrap();
    let key = |access| {
        vault
            .create_api_key(&AdminScope::new(), access)
            .unwrap()
            .1
            .expose()
            .to_string()
    };
    let svc_key = key(Access::Service(ServiceScope::new(
        jobs.clone(),
        ServiceName::parse("matching-svc").unwrap(),
    )));
    let dpo_key = key(Access::Dpo(DpoScope::new(jobs.clone())));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    vault
        .put_transfer_basis(
            &DpoScope::new(jobs.clone()),
            TransferBasis {
                id: "scc-1".into(),
                tenant: jobs.clone(),
                recipient: "talentbridge_sg".into(),
                kind: BasisKind::StandardContract,
                reference: "SCC-1".into(),
                valid_from: now - 1000,
                expires_at: None,
                fields: vec![custodian_core::ids::FieldName::parse("resume").unwrap()],
                pia: Some(Pia {
                    reference: "PIA-1".into(),
                    completed_at: now - 1000,
                }),
            },
        )
        .unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    rt.spawn(custodian_server::serve(
        listener,
        custodian_server::AppState::new(vault.clone()),
        std::future::pending(),
    ));

    let svc = Client::new(&base, Auth::Bearer(svc_key)).unwrap();
    let dpo = Client::new(&base, Auth::Bearer(dpo_key)).unwrap();
    assert_eq!(svc.origin().unwrap(), "custodian.test/cn/ledger");
    let s = svc.register("CN", Some("job_seeker")).unwrap();
    let tokens = svc
        .collect(&s, "job_matching", &[("resume", "十年物流调度经验")])
        .unwrap();
    assert_eq!(tokens[0].field, "resume");
    // A refusal comes back with its code.
    let e = svc.transfer("talentbridge_sg", &[&s], &["resume"]).unwrap();
    assert_eq!(e.refused[0]["code"], "transfer_consent_missing");
    dpo.grant_consent(&s, "overseas_placement", true).unwrap();
    let t = svc.transfer("talentbridge_sg", &[&s], &["resume"]).unwrap();
    assert_eq!(t.allowed[0]["values"]["resume"][0], "十年物流调度经验");
    let eg = svc
        .egress_check(None, "text", "nothing here".as_bytes())
        .unwrap();
    assert!(!eg.blocked);
    match svc.register("EU", None) {
        Err(ClientError::Api { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (421, "wrong_jurisdiction"));
        }
        other => panic!("expected a 421, got {other:?}"),
    }
    // The regulator signs: no API key at all.
    let reg = Client::new(
        &base,
        Auth::Regulator {
            key: Box::new(conformance::test_regulator()),
            cell: "custodian.test/cn/ledger".into(),
        },
    )
    .unwrap();
    let mut freeze = order_doc("ord-client", OrderKind::SuspendRegistration);
    freeze.targets = vec![jobs.clone()];
    reg.submit_order(&sign_doc(&conformance::test_regulator(), &freeze))
        .unwrap();
    assert!(
        reg.orders()
            .unwrap()
            .iter()
            .any(|o| o["order"]["id"] == "ord-client")
    );
    match svc.register("CN", None) {
        Err(ClientError::Api { status, order, .. }) => {
            assert_eq!((status, order.as_deref()), (403, Some("ord-client")));
        }
        other => panic!("expected the freeze, got {other:?}"),
    }
    assert!(
        reg.checkpoint()
            .unwrap()
            .starts_with("custodian.test/cn/ledger\n")
    );
}
