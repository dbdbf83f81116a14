//! `GET /v1/reports/{tenant}`: every section of the compliance report against a real cell on
//! SQLite and on PostgreSQL; its ledger figures recomputed from the entries up to the signed
//! checkpoint it carries; never a value in it.

use custodian_conformance::{
    self as conformance, JOB_BOARD, RIDE_HAILING, order_doc, sign_doc, test_regulator,
};
use custodian_core::ids::TenantId;
use custodian_core::orders::OrderKind;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::Server;

async fn ok(srv: &Server, method: Method, path: &str, key: &str, body: Option<Value>) -> Value {
    let (s, v) = srv.call(method.clone(), path, Some(key), body).await;
    assert!(s.is_success(), "{method} {path}: {s} {v}");
    v
}

async fn report_on(srv: &Server) {
    assert_eq!(srv.manifest("ride", RIDE_HAILING).await.0, StatusCode::OK);
    assert_eq!(srv.manifest("jobs", JOB_BOARD).await.0, StatusCode::OK);
    let svc = srv
        .key(json!({"role": "service", "tenant": "ride", "service": "dispatch-svc"}))
        .await;
    let dpo = srv.key(json!({"role": "dpo", "tenant": "ride"})).await;
    let jobs_dpo = srv.key(json!({"role": "dpo", "tenant": "jobs"})).await;
    let regulator = srv.key(json!({"role": "regulator"})).await;
    let mut subjects = Vec::new();
    for minor in [false, true, false] {
        let v = ok(
            srv,
            Method::POST,
            "/v1/subjects",
            &svc,
            Some(json!({"jurisdiction": "CN", "minor": minor})),
        )
        .await;
        subjects.push(v["subject"].as_str().unwrap().to_string());
    }
    let (s1, s2, s3) = (&subjects[0], &subjects[1], &subjects[2]);
    ok(
        srv,
        Method::POST,
        &format!("/v1/subjects/{s1}/consents"),
        &svc,
        Some(json!({"purpose": "safety", "separate": true})),
    )
    .await;
    ok(
        srv,
        Method::POST,
        &format!("/v1/subjects/{s1}/consents"),
        &svc,
        Some(json!({"purpose": "dispatch", "separate": true})),
    )
    .await;
    ok(
        srv,
        Method::POST,
        &format!("/v1/subjects/{s2}/consents"),
        &svc,
        Some(json!({"purpose": "safety", "separate": true, "by_guardian": true})),
    )
    .await;
    ok(
        srv,
        Method::POST,
        "/v1/collect",
        &svc,
        Some(json!({"subject": s1, "purpose": "dispatch",
        "values": {"phone": "13812345678", "trip_track": "39.9042,116.4074,1790000000000"}})),
    )
    .await;
    ok(
        srv,
        Method::POST,
        "/v1/collect",
        &svc,
        Some(json!({"subject": s3, "purpose": "dispatch",
        "values": {"phone": "13912345678"}})),
    )
    .await;
    ok(
        srv,
        Method::DELETE,
        &format!("/v1/subjects/{s3}"),
        &dpo,
        None,
    )
    .await;
    let r1 = ok(
        srv,
        Method::POST,
        "/v1/requests",
        &dpo,
        Some(json!({"subject": s1, "kind": "copy"})),
    )
    .await;
    let id = r1["id"].as_str().unwrap();
    ok(
        srv,
        Method::POST,
        &format!("/v1/requests/{id}/close"),
        &dpo,
        Some(json!({"outcome": "completed"})),
    )
    .await;
    ok(
        srv,
        Method::POST,
        "/v1/requests",
        &dpo,
        Some(json!({"subject": s2, "kind": "erasure"})),
    )
    .await;
    let mut order = order_doc(
        "ord-report-1",
        OrderKind::Rectify {
            items: vec!["privacy notice".into()],
            deadline: 4_102_444_800_000,
        },
    );
    order.targets = vec![TenantId::parse("ride").unwrap()];
    let (s, v) = srv
        .call_text(
            Method::POST,
            "/v1/orders",
            &regulator,
            &sign_doc(&test_regulator(), &order),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    ok(
        srv,
        Method::POST,
        "/v1/transfers",
        &svc,
        Some(json!({"recipient": "mapco_us", "subjects": [s1], "fields": ["trip_track"]})),
    )
    .await;

    let r = ok(srv, Method::GET, "/v1/reports/ride", &dpo, None).await;
    assert_eq!(
        (r["tenant"].as_str(), r["organisation"].as_str()),
        (Some("ride"), Some("91110108MA01R0DE0N"))
    );
    assert_eq!(r["app_type"], "online_car_hailing");
    let mut subjects = r["subjects"].clone();
    let oldest = subjects
        .as_object_mut()
        .unwrap()
        .remove("oldest_pending_erasure")
        .unwrap();
    assert_eq!(
        subjects,
        json!({"registered": 3, "erased": 1, "live": 2, "minors": 1, "with_sensitive": 1,
               "erasures_pending": 1})
    );
    // No rotation yet: the erasure is pending since it was recorded, before the report.
    assert!(
        (1..=r["computed_at"].as_i64().unwrap()).contains(&oldest.as_i64().unwrap()),
        "{r}"
    );
    let coverage: Vec<(String, u64, u64)> = r["consent_coverage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["purpose"].as_str().unwrap().to_string(),
                c["consenting"].as_u64().unwrap(),
                c["of"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        coverage,
        [
            ("safety".to_string(), 2, 2),
            ("marketing".to_string(), 0, 2)
        ]
    );
    assert_eq!(r["orders"][0]["id"], "ord-report-1");
    assert_eq!(
        (
            r["orders"][0]["kind"].as_str(),
            r["orders"][0]["deadline"].as_i64()
        ),
        (Some("rectify"), Some(4_102_444_800_000))
    );
    assert_eq!(
        r["requests"],
        json!({"received": 2, "answered": 1, "overdue": 0})
    );
    assert_eq!(
        (
            r["transfers"]["allowed"].as_u64(),
            r["transfers"]["refused"].as_u64()
        ),
        (Some(0), Some(1))
    );
    assert_eq!(r["transfers"]["sensitive_needs_assessment_from"], 10_000);
    let status = |list: &str, what: &str| -> String {
        r[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["obligation"].as_str().unwrap().contains(what))
            .map(|o| o["status"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert_eq!(status("pia_triggers", "sensitive PI"), "applies");
    assert_eq!(status("pia_triggers", "abroad"), "applies");
    assert_eq!(status("pia_triggers", "automated"), "not_covered");
    assert_eq!(status("scale", "DPO"), "does_not_apply");
    assert_eq!(status("scale", "minors"), "applies");
    let checklist = r["didi_checklist"].as_array().unwrap();
    assert_eq!(checklist.len(), 11, "16 facts in 11 lines");
    let of = |facts: &str| {
        checklist.iter().find(|i| i["facts"] == facts).unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        (of("11").as_str(), of("4").as_str(), of("12–14").as_str()),
        ("prevented", "prevented", "not_covered")
    );
    assert!(
        r["inventory"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "trip_track" && f["sensitive"] == true)
    );
    let text = r.to_string();
    for v in ["13812345678", "13912345678", "39.9042"] {
        assert!(!text.contains(v), "{v} in the report");
    }
    // Recomputable: the checkpoint is the cell's, at the size the figures were computed at, and
    // the ledger's own entries give the same subject figures.
    let cp = r["checkpoint"].as_str().unwrap();
    custodian_ledger::note::open(cp, &[conformance::test_signer().verifier()]).unwrap();
    let size = r["ledger_size"].as_u64().unwrap();
    assert_eq!(cp.lines().nth(1).unwrap().parse::<u64>().unwrap(), size);
    let entries = ok(
        srv,
        Method::GET,
        &format!("/v1/ledger/entries?from=0&to={size}"),
        &dpo,
        None,
    )
    .await;
    let mine = |kind: &str| -> std::collections::BTreeSet<String> {
        entries["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["entry"])
            .filter(|e| e["kind"] == kind && e["decision"] == "allow" && e["reason"].is_null())
            .filter_map(|e| e["subject"].as_str().map(str::to_string))
            .collect()
    };
    let (registered, erased) = (mine("register"), mine("erase"));
    assert_eq!((registered.len(), erased.len()), (3, 1));
    // The regulator reads any tenant's; the other tenant's DPO none; HTML.
    let r = ok(srv, Method::GET, "/v1/reports/jobs", &regulator, None).await;
    assert_eq!(r["subjects"]["live"], 0);
    let (s, _) = srv
        .call(Method::GET, "/v1/reports/ride", Some(&jobs_dpo), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let page = srv
        .client
        .get(format!("{}/v1/reports/ride?format=html", srv.base))
        .bearer_auth(&dpo)
        .send()
        .await
        .unwrap();
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = page.text().await.unwrap();
    for h in [
        "<h1>Compliance report: ride</h1>",
        "<h2>Subjects</h2>",
        "erasures not final (a backup still opens them), the oldest 0 h old<b>1</b>",
        "<h2>Consent coverage</h2>",
        "<h2>Regulator orders</h2>",
        "<h2>Requests</h2>",
        "<h2>Transfers abroad</h2>",
        "PIA triggers",
        "Obligations of scale",
        "The July 2022 decision, fact by fact",
        "<h2>Inventory</h2>",
        "<h2>Signed checkpoint</h2>",
    ] {
        assert!(page.contains(h), "{h}");
    }
    assert!(!page.contains("13812345678") && !page.contains("<script"));
}

#[tokio::test]
async fn the_compliance_report_on_sqlite() {
    report_on(&Server::on_sqlite().await).await;
}

#[tokio::test]
async fn the_compliance_report_on_postgres() {
    report_on(&Server::on_postgres().await).await;
}
