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

/// A proxy on loopback in front of `to`: on each of its first `lose` connections the request
/// goes through and the answer is dropped once the server starts sending it (the act was
/// carried out, its answer lost); later connections pass through.
#[expect(clippy::unwrap_used, reason = "a test's helper fails loudly")]
fn lossy_proxy(to: std::net::SocketAddr, lose: usize) -> std::net::SocketAddr {
    lossy_proxy_on(
        std::net::TcpListener::bind("127.0.0.1:0").unwrap(),
        to,
        lose,
    )
}

/// A loopback port nothing listens on, below the range the kernel draws connections' own
/// ports from (so a connection to it can never be one to itself).
#[expect(clippy::unwrap_used, reason = "a test's helper fails loudly")]
fn free_low_port() -> std::net::SocketAddr {
    let start = 20_000 + (std::process::id() % 5_000) as u16;
    (start..32_000)
        .find_map(|p| std::net::TcpListener::bind(("127.0.0.1", p)).ok())
        .unwrap()
        .local_addr()
        .unwrap()
}

/// As [`lossy_proxy`], on `listener`.
#[expect(clippy::unwrap_used, reason = "a test's helper fails loudly")]
fn lossy_proxy_on(
    listener: std::net::TcpListener,
    to: std::net::SocketAddr,
    lose: usize,
) -> std::net::SocketAddr {
    use std::io::Read;
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for (n, conn) in listener.incoming().enumerate() {
            let Ok(mut client) = conn else { return };
            let mut server = std::net::TcpStream::connect(to).unwrap();
            let (mut c_in, mut s_out) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            std::thread::spawn(move || std::io::copy(&mut c_in, &mut s_out));
            std::thread::spawn(move || {
                if n < lose {
                    let mut first = [0u8; 1];
                    let _ = server.read(&mut first);
                    let _ = client.shutdown(std::net::Shutdown::Both);
                    let _ = server.shutdown(std::net::Shutdown::Both);
                } else {
                    let _ = std::io::copy(&mut server, &mut client);
                    let _ = client.shutdown(std::net::Shutdown::Write);
                }
            });
        }
    });
    addr
}

/// A bulk collect whose answer is lost is sent again only when every item carries an
/// idempotency key (the resend answers what was done); without one, the caller gets the
/// transport error and the collect was carried out once — never twice. One that never reached
/// the cell is sent again whatever its items.
#[test]
fn a_lost_answer_is_resent_only_for_keyed_items() {
    use custodian_client::{CollectItem, Retry};
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(custodian_store::SqliteStore::open(dir.path()).unwrap());
    let vault = Arc::new(conformance::vault(Arc::clone(&store)).unwrap());
    let jobs = TenantId::parse("jobs").unwrap();
    vault
        .load_manifest(&AdminScope::new(), &jobs, JOB_BOARD)
        .unwrap();
    let svc_key = vault
        .create_api_key(
            &AdminScope::new(),
            Access::Service(ServiceScope::new(
                jobs.clone(),
                ServiceName::parse("matching-svc").unwrap(),
            )),
        )
        .unwrap()
        .1
        .expose()
        .to_string();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let server = listener.local_addr().unwrap();
    rt.spawn(custodian_server::serve(
        listener,
        custodian_server::AppState::new(vault.clone()),
        std::future::pending(),
    ));
    let direct = Client::new(&format!("http://{server}"), Auth::Bearer(svc_key.clone())).unwrap();
    let s = direct.register("CN", Some("job_seeker")).unwrap();
    let item = |phone: &str, key: Option<&str>| CollectItem {
        subject: s.clone(),
        purpose: "job_matching".into(),
        values: [("phone".to_string(), phone.to_string())].into(),
        idempotency_key: key.map(String::from),
    };
    let size = || store.ledger_head().unwrap().size.get();
    let fast = Retry {
        attempts: 4,
        backoff: std::time::Duration::from_millis(10),
    };
    // What one collect adds to the ledger.
    let before = size();
    direct
        .collect_batch(&[item("13912345600", None)], Retry::NONE)
        .unwrap()[0]
        .as_ref()
        .unwrap();
    let one = size() - before;
    assert!(one >= 1);
    // Keyed: two answers lost, the third attempt answers what the first did.
    let via = |lose| {
        let proxy = lossy_proxy(server, lose);
        Client::new(&format!("http://{proxy}"), Auth::Bearer(svc_key.clone())).unwrap()
    };
    let before = size();
    let r = via(2)
        .collect_batch(&[item("13912345601", Some("lost-answer-1"))], fast)
        .unwrap();
    assert!(r[0].is_ok(), "{r:?}");
    assert_eq!(size(), before + one, "three attempts, one collect");
    // Unkeyed: not sent again; the caller learns the answer was lost.
    let before = size();
    match via(1).collect_batch(&[item("13912345602", None)], fast) {
        Err(ClientError::Transport(_)) => {}
        other => panic!("a lost answer of an unkeyed collect came back as {other:?}"),
    }
    assert_eq!(size(), before + one, "carried out once, not again");
    // Unreached (nothing listens yet): sent again until the cell answers, unkeyed or not —
    // the request was never sent.
    let port = free_low_port();
    let late = Client::new(&format!("http://{port}"), Auth::Bearer(svc_key.clone())).unwrap();
    let opens = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(150));
        lossy_proxy_on(std::net::TcpListener::bind(port).unwrap(), server, 0)
    });
    let before = size();
    let slow = Retry {
        attempts: 8,
        backoff: std::time::Duration::from_millis(50),
    };
    let r = late
        .collect_batch(&[item("13912345603", None)], slow)
        .unwrap();
    assert!(r[0].is_ok(), "{r:?}");
    opens.join().unwrap();
    assert_eq!(size(), before + one);
    // With no retry, the caller is told the cell was not reached.
    let closed = free_low_port();
    let nowhere = Client::new(&format!("http://{closed}"), Auth::Bearer(svc_key)).unwrap();
    match nowhere.collect_batch(&[item("13912345604", None)], Retry::NONE) {
        Err(ClientError::Unreached(_)) => {}
        other => panic!("a refused connection came back as {other:?}"),
    }
}
