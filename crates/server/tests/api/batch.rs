//! The bulk routes over HTTP: one result per item with the single route's status, partial
//! success, retries with idempotency keys that change nothing, and bad batches refused whole.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Server, setup};

/// The ledger's size now (read by the administrator, whose reads leave no entry).
async fn ledger_size(srv: &Server) -> u64 {
    let (s, v) = srv
        .call(Method::GET, "/v1/ledger/checkpoint", Some(&srv.admin), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    v.as_str().unwrap().lines().nth(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn batches_answer_each_item_and_retries_change_nothing() {
    let (srv, ride, _dpo, jobs, _regulator) = setup().await;
    let regs = json!({"items": [
        {"jurisdiction": "CN", "idempotency_key": "user-1"},
        {"jurisdiction": "CN", "idempotency_key": "user-2"},
        {"jurisdiction": "US"}
    ]});
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/subjects:batch",
            Some(&ride),
            Some(regs.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let r = v["results"].as_array().unwrap();
    assert_eq!(r.len(), 3);
    assert_eq!(r[2]["ok"], false, "{v}");
    assert_eq!(r[2]["status"], 421, "another jurisdiction's subject: {v}");
    let subjects: Vec<String> = r[..2]
        .iter()
        .map(|x| x["subject"].as_str().unwrap().to_string())
        .collect();
    let (_, again) = srv
        .call(Method::POST, "/v1/subjects:batch", Some(&ride), Some(regs))
        .await;
    assert_eq!(
        again["results"][0]["subject"],
        subjects[0].as_str(),
        "a retried key answers the same subject"
    );
    assert_eq!(again["results"][1]["subject"], subjects[1].as_str());

    let consents = json!({"items": [
        {"subject": subjects[0], "purpose": "safety", "separate": true},
        {"subject": subjects[1], "purpose": "nothing_declared"}
    ]});
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/consents:batch",
            Some(&ride),
            Some(consents),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["results"][0]["ok"], true, "{v}");
    assert_eq!(v["results"][1]["ok"], false, "{v}");

    let items = json!({"items": [
        {"subject": subjects[0], "purpose": "safety", "values": {"emergency_contact": "13700000001"}, "idempotency_key": "row-1"},
        {"subject": subjects[1], "purpose": "safety", "values": {"emergency_contact": "13700000002"}, "idempotency_key": "row-2"},
        {"subject": subjects[1], "purpose": "dispatch", "values": {"phone": "13700000003"}, "idempotency_key": "row-3"}
    ]});
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/collect:batch",
            Some(&ride),
            Some(items.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let r = v["results"].as_array().unwrap();
    assert_eq!(r[0]["ok"], true, "{v}");
    assert_eq!(r[1]["ok"], false, "no consent for safety: {v}");
    assert_eq!(r[1]["status"], 403, "{v}");
    assert_eq!(r[1]["error"]["code"], "consent_missing", "{v}");
    assert_eq!(r[2]["ok"], true, "{v}");
    assert!(
        !v.to_string().contains("1370000000"),
        "no value in the answer: {v}"
    );
    let size = ledger_size(&srv).await;
    let (_, again) = srv
        .call(Method::POST, "/v1/collect:batch", Some(&ride), Some(items))
        .await;
    assert_eq!(
        again["results"][0]["tokens"], r[0]["tokens"],
        "a retried item answers the same tokens"
    );
    assert_eq!(again["results"][2]["tokens"], r[2]["tokens"]);
    // The refused item is decided again (and recorded again); the others are not done twice.
    assert_eq!(ledger_size(&srv).await, size + 1);

    let token = r[0]["tokens"][0]["token"].as_str().unwrap();
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/detokenize",
            Some(&ride),
            Some(json!({"purpose": "safety", "tokens": [token], "reveal": "clear"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["values"][0]["value"], "13700000001");

    // The same key with other values: refused, nothing stored.
    let (_, v) = srv
        .call(Method::POST, "/v1/collect:batch", Some(&ride), Some(json!({"items": [
            {"subject": subjects[0], "purpose": "safety", "values": {"emergency_contact": "13700000009"}, "idempotency_key": "row-1"}
        ]})))
        .await;
    assert_eq!(v["results"][0]["status"], 409, "{v}");

    // Another tenant's service sees none of it: the subject is not found there.
    let (_, v) = srv
        .call(
            Method::POST,
            "/v1/collect:batch",
            Some(&jobs),
            Some(json!({"items": [
                {"subject": subjects[0], "purpose": "matching", "values": {"phone": "13700000004"}}
            ]})),
        )
        .await;
    assert_eq!(v["results"][0]["status"], 404, "{v}");
}

#[tokio::test]
async fn bad_batches_are_refused_whole() {
    let (srv, ride, dpo, _jobs, _regulator) = setup().await;
    let size = ledger_size(&srv).await;
    let too_many: Vec<Value> = (0..1001).map(|_| json!({"jurisdiction": "CN"})).collect();
    let cases = [
        (
            "/v1/subjects:batch",
            json!({"items": too_many}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/v1/subjects:batch",
            json!({"items": [{"jurisdiction": "CN", "idempotency_key": ""}]}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/v1/subjects:batch",
            json!({"items": [{"jurisdiction": "CN", "idempotency_key": "a b"}]}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/v1/collect:batch",
            json!({"items": [{"subject": "not a subject", "purpose": "dispatch", "values": {}}]}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/v1/collect:batch",
            json!({"items": [], "extra": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/v1/consents:batch",
            json!({"items": [{"subject": "sub_x", "purpose": "bad purpose"}]}),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (path, body, want) in cases {
        let (s, v) = srv.call(Method::POST, path, Some(&ride), Some(body)).await;
        assert!(
            s == want || (want == StatusCode::UNPROCESSABLE_ENTITY && s == StatusCode::BAD_REQUEST),
            "{path}: {s} {v}"
        );
        assert!(v["code"].is_string(), "{path}: a clear error: {v}");
    }
    assert_eq!(ledger_size(&srv).await, size, "nothing recorded");
    // A DPO key is not a service: the bulk routes act as one service (the refusal is recorded).
    let (s, _) = srv
        .call(
            Method::POST,
            "/v1/subjects:batch",
            Some(&dpo),
            Some(json!({"items": []})),
        )
        .await;
    assert!(s.is_client_error(), "{s}");
}

#[tokio::test]
async fn a_single_collect_takes_an_idempotency_key_header() {
    let (srv, ride, _dpo, _jobs, _regulator) = setup().await;
    let (_, v) = srv
        .call(
            Method::POST,
            "/v1/subjects",
            Some(&ride),
            Some(json!({"jurisdiction": "CN"})),
        )
        .await;
    let subject = v["subject"].as_str().unwrap().to_string();
    let send = |key: &'static str, phone: &'static str| {
        let (client, url, ride, subject) = (
            srv.client.clone(),
            format!("{}/v1/collect", srv.base),
            ride.clone(),
            subject.clone(),
        );
        async move {
            let r = client
                .post(url)
                .bearer_auth(ride)
                .header("idempotency-key", key)
                .json(
                    &json!({"subject": subject, "purpose": "dispatch", "values": {"phone": phone}}),
                )
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (s, first) = send("signup-42", "13812345678").await;
    assert_eq!(s, StatusCode::OK, "{first}");
    let size = ledger_size(&srv).await;
    let (s, again) = send("signup-42", "13812345678").await;
    assert_eq!(s, StatusCode::OK, "{again}");
    assert_eq!(
        again["tokens"], first["tokens"],
        "a retry answers the same tokens"
    );
    assert_eq!(ledger_size(&srv).await, size, "and collects nothing again");
    let (s, other) = send("signup-42", "13899998888").await;
    assert_eq!(s, StatusCode::CONFLICT, "{other}");
    assert!(!other.to_string().contains("13899998888"));
    for bad in ["", "has space"] {
        let (s, v) = send(bad, "13812345678").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad:?}: {v}");
    }
    assert_eq!(
        ledger_size(&srv).await,
        size,
        "refused before anything was done"
    );
}
