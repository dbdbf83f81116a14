//! The regulator's authority over HTTP: requests signed with its order key work after the
//! administrator revokes its API key; signatures that are replayed, stale, tampered with or by
//! an untrusted key are refused; every regulator read and every refused request is a ledger
//! entry; a DPO of one tenant cannot tell whether another tenant exists.

use custodian_conformance::{self as conformance, JOB_BOARD, order_doc, sign_doc};
use custodian_core::ids::TenantId;
use custodian_core::orders::OrderKind;
use custodian_ledger::Signer;
use custodian_server::signed::sign_request;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Server, setup};

/// The conformance cells' ledger origin.
const CELL: &str = "custodian.test/cn/ledger";

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Sends a request signed by `signer` (`sent_body`: a body other than the signed one).
#[expect(
    clippy::too_many_arguments,
    reason = "each test varies a different one"
)]
async fn signed(
    srv: &Server,
    signer: &Signer,
    method: Method,
    path: &str,
    body: &str,
    created: u64,
    nonce: &str,
    sent_body: Option<&str>,
) -> (StatusCode, Value) {
    let authority = srv.base.trim_start_matches("http://");
    let (digest, input, sig) = sign_request(
        signer,
        CELL,
        method.as_str(),
        authority,
        path,
        body.as_bytes(),
        created,
        nonce,
    );
    let resp = srv
        .client
        .request(method, format!("{}{path}", srv.base))
        .header("content-digest", digest)
        .header("signature-input", input)
        .header("signature", sig)
        .body(sent_body.unwrap_or(body).to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn entries(srv: &Server, key: &str) -> Vec<Value> {
    let (s, v) = srv
        .call(
            Method::GET,
            "/v1/ledger/entries?from=0&to=10000",
            Some(key),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["entries"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_regulator_signs_its_requests_and_revoking_its_api_key_does_not_lock_it_out() {
    let (srv, _ride, _dpo, _jobs, regulator) = setup().await;
    let reg = conformance::test_regulator();
    // Evasion 2: the administrator revokes the regulator's API key.
    let (_, keys) = srv
        .call(Method::GET, "/v1/keys", Some(&srv.admin), None)
        .await;
    let reg_key_id = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["role"] == "regulator")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, _) = srv
        .call(
            Method::DELETE,
            &format!("/v1/keys/{reg_key_id}"),
            Some(&srv.admin),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = srv
        .call(Method::GET, "/v1/orders", Some(&regulator), None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "the API key is revoked");
    // The regulator signs instead: reads and submits.
    let now = unix_now();
    let (s, v) = signed(
        &srv,
        &reg,
        Method::GET,
        "/v1/orders",
        "",
        now,
        "nonce-read-0000001",
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let mut freeze = order_doc("ord-http-freeze", OrderKind::SuspendRegistration);
    freeze.targets = vec![TenantId::parse("ride").unwrap()];
    let note = sign_doc(&reg, &freeze);
    let (s, v) = signed(
        &srv,
        &reg,
        Method::POST,
        "/v1/orders",
        &note,
        now,
        "nonce-post-0000001",
        None,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // The order comes back with its signed note and signer; the note verifies offline.
    let (s, v) = signed(
        &srv,
        &reg,
        Method::GET,
        "/v1/orders/ord-http-freeze",
        "",
        now,
        "nonce-read-0000002",
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["signed_by"], json!([reg.key_id()]));
    let opened = custodian_ledger::note::open(v["note"].as_str().unwrap(), &[reg.verifier()]);
    assert!(
        opened.is_ok(),
        "the listed note verifies against the regulator's key"
    );
    // Refused: a replayed nonce, a stale time, a body changed after signing, an untrusted key,
    // a query changed after signing.
    let (s, v) = signed(
        &srv,
        &reg,
        Method::GET,
        "/v1/orders",
        "",
        now,
        "nonce-read-0000001",
        None,
    )
    .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("signature_refused")),
        "replay: {v}"
    );
    let (s, _) = signed(
        &srv,
        &reg,
        Method::GET,
        "/v1/orders",
        "",
        now - 900,
        "nonce-stale-000001",
        None,
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "stale");
    let other = order_doc("ord-http-other", OrderKind::SuspendTransfers);
    let (s, _) = signed(
        &srv,
        &reg,
        Method::POST,
        "/v1/orders",
        &note,
        now,
        "nonce-tamper-00001",
        Some(&sign_doc(&reg, &other)),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "body changed after signing");
    let impostor = Signer::from_seed("regulator.test/cac", &[66; 32]).unwrap();
    let (s, _) = signed(
        &srv,
        &impostor,
        Method::GET,
        "/v1/orders",
        "",
        now,
        "nonce-impostor-001",
        None,
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "a key the cell does not trust");
    let authority = srv.base.trim_start_matches("http://");
    let (digest, input, sig) = sign_request(
        &reg,
        CELL,
        "GET",
        authority,
        "/v1/ledger/entries?from=0&to=10",
        b"",
        now,
        "nonce-query-000001",
    );
    let resp = srv
        .client
        .get(format!("{}/v1/ledger/entries?from=0&to=10000", srv.base))
        .header("content-digest", digest)
        .header("signature-input", input)
        .header("signature", sig)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::UNAUTHORIZED,
        "query changed after signing"
    );
    // A request the regulator signed for another cell that trusts the same key.
    let (digest, input, sig) = sign_request(
        &reg,
        "custodian.other/cn/ledger",
        "GET",
        authority,
        "/v1/orders",
        b"",
        now,
        "nonce-othercell-01",
    );
    let resp = srv
        .client
        .get(format!("{}/v1/orders", srv.base))
        .header("content-digest", digest)
        .header("signature-input", input)
        .header("signature", sig)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::UNAUTHORIZED,
        "signed for another cell"
    );
    // Every regulator read is in the ledger, naming the signing key.
    let (s, v) = signed(
        &srv,
        &reg,
        Method::GET,
        "/v1/ledger/entries?from=0&to=10000",
        "",
        now,
        "nonce-read-0000003",
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let reads: Vec<&Value> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["entry"]["kind"] == "access"
                && e["entry"]["decision"] == "allow"
                && e["entry"]["service"] == reg.key_id().as_str()
        })
        .collect();
    assert!(
        reads.len() >= 2,
        "the regulator's signed reads are entries: {reads:?}"
    );
    assert!(
        reads.iter().any(|e| e["entry"]["purpose"] == "read_orders"),
        "{reads:?}"
    );
}

#[tokio::test]
async fn refused_requests_are_entries_and_another_tenant_is_invisible() {
    let (srv, ride, ride_dpo, _jobs, regulator) = setup().await;
    // A service key tries a regulator's act; a DPO asks for another tenant's manifest.
    let (s, _) = srv
        .call(Method::GET, "/v1/orders?x=1", Some(&ride), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a service key reads no orders");
    let (s, _) = srv
        .call(Method::POST, "/v1/orders", Some(&ride), Some(json!({})))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let jobs = srv
        .call(
            Method::GET,
            "/v1/tenants/jobs/manifest",
            Some(&ride_dpo),
            None,
        )
        .await;
    let nobody = srv
        .call(
            Method::GET,
            "/v1/tenants/nobody/manifest",
            Some(&ride_dpo),
            None,
        )
        .await;
    assert_eq!(jobs.0, StatusCode::FORBIDDEN);
    assert_eq!(
        jobs, nobody,
        "an existing and a missing tenant answer alike"
    );
    let all = entries(&srv, &regulator).await;
    let refusals: Vec<&Value> = all
        .iter()
        .filter(|e| e["entry"]["kind"] == "access" && e["entry"]["decision"] == "deny")
        .collect();
    assert!(
        refusals
            .iter()
            .any(|e| e["entry"]["reason"] == "role_refused"
                && e["entry"]["purpose"] == "submit_order")
            && refusals
                .iter()
                .any(|e| e["entry"]["reason"] == "role_refused"
                    && e["entry"]["purpose"] == "read_orders"),
        "{refusals:?}"
    );
    assert!(
        refusals
            .iter()
            .filter(|e| e["entry"]["reason"] == "tenant_refused")
            .count()
            == 2,
        "{refusals:?}"
    );
    assert!(
        refusals.iter().all(|e| e["entry"]["tenant"] == "ride"),
        "refusals name the caller's own tenant, never the one it asked for: {refusals:?}"
    );
    // An order against the job board: the ride DPO's responses do not show it.
    let mut order = order_doc("ord-jobs-only", OrderKind::SuspendRegistration);
    order.targets = vec![TenantId::parse("jobs").unwrap()];
    let resp = srv
        .client
        .post(format!("{}/v1/orders", srv.base))
        .bearer_auth(&regulator)
        .body(sign_doc(&conformance::test_regulator(), &order))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let mut lift = order_doc(
        "ord-jobs-lift",
        OrderKind::Lift {
            order: "ord-jobs-only".into(),
        },
    );
    lift.targets = vec![];
    let resp = srv
        .client
        .post(format!("{}/v1/orders", srv.base))
        .bearer_auth(&regulator)
        .body(sign_doc(&conformance::test_regulator(), &lift))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    // An order over both tenants: the ride DPO sees it cut to ride, without the note.
    let mut both = order_doc("ord-both", OrderKind::PreserveData);
    both.targets = vec![
        TenantId::parse("ride").unwrap(),
        TenantId::parse("jobs").unwrap(),
    ];
    let resp = srv
        .client
        .post(format!("{}/v1/orders", srv.base))
        .bearer_auth(&regulator)
        .body(sign_doc(&conformance::test_regulator(), &both))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let (_, shared) = srv
        .call(Method::GET, "/v1/orders/ord-both", Some(&ride_dpo), None)
        .await;
    assert_eq!(shared["order"]["targets"], json!(["ride"]), "{shared}");
    assert!(
        shared.get("note").is_none() && shared["note_withheld"].is_string(),
        "{shared}"
    );
    let mine = entries(&srv, &ride_dpo).await;
    let (_, orders) = srv
        .call(Method::GET, "/v1/orders", Some(&ride_dpo), None)
        .await;
    let (_, one) = srv
        .call(
            Method::GET,
            "/v1/orders/ord-jobs-only",
            Some(&ride_dpo),
            None,
        )
        .await;
    let (_, missing) = srv
        .call(Method::GET, "/v1/orders/ord-nothing", Some(&ride_dpo), None)
        .await;
    assert_eq!(one, missing, "another tenant's order reads as missing");
    for text in [
        serde_json::to_string(&mine).unwrap(),
        orders.to_string(),
        one.to_string(),
    ] {
        assert!(
            !text.contains("jobs"),
            "the ride DPO learns of `jobs`: {text}"
        );
    }
    // The job board's manifest never left through any of these.
    assert!(!JOB_BOARD.is_empty());
}

#[tokio::test]
async fn a_key_used_then_revoked_is_refused_at_once() {
    let (srv, ..) = setup().await;
    let (s, made) = srv
        .call(
            Method::POST,
            "/v1/keys",
            Some(&srv.admin),
            Some(serde_json::json!({"role": "admin"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{made}");
    let (id, key) = (
        made["id"].as_str().unwrap().to_string(),
        made["key"].as_str().unwrap().to_string(),
    );
    // Used twice: the second time the process answers from what it kept of the first.
    for _ in 0..2 {
        let (s, v) = srv.call(Method::GET, "/v1/keys", Some(&key), None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (s, _) = srv
        .call(
            Method::DELETE,
            &format!("/v1/keys/{id}"),
            Some(&srv.admin),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = srv.call(Method::GET, "/v1/keys", Some(&key), None).await;
    assert_eq!(
        s,
        StatusCode::UNAUTHORIZED,
        "revoked keys are refused from the revocation on"
    );
    // The other keys still work (asked of the store again).
    let (s, _) = srv
        .call(Method::GET, "/v1/keys", Some(&srv.admin), None)
        .await;
    assert_eq!(s, StatusCode::OK);
}
