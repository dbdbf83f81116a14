//! Every error status, in the API's one shape, and never with a value in it.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::setup;

#[tokio::test]
async fn every_error_has_its_status_and_no_value() {
    let (srv, ride, _dpo, _jobs, _reg) = setup().await;
    let (_, v) = srv
        .call(
            Method::POST,
            "/v1/subjects",
            Some(&ride),
            Some(json!({"jurisdiction": "CN"})),
        )
        .await;
    let subject = v["subject"].as_str().unwrap().to_string();
    let secret = "11010519491231002X";
    let consents_path = format!("/v1/subjects/{subject}/consents");
    let withdraw_path = format!("/v1/subjects/{subject}/consents/13812345678");
    let cases: Vec<(Method, &str, Option<Value>, StatusCode, &str)> = vec![
        (
            Method::POST,
            "/v1/collect",
            Some(json!({"subject": subject, "purpose": "dispatch", "values": {"phone": "138"}})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "value_invalid",
        ),
        // Issue 10: a value must be of its field's type; nothing else reaches the ledger.
        (
            Method::POST,
            "/v1/collect",
            Some(json!({"subject": subject, "purpose": "dispatch", "values": {"phone": secret}})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "value_invalid",
        ),
        (
            Method::POST,
            "/v1/collect",
            Some(
                json!({"subject": subject, "purpose": "dispatch", "values": {"13812345678": "13812345678"}}),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "field_undeclared",
        ),
        (
            Method::POST,
            &consents_path,
            Some(json!({"purpose": "13812345678"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "purpose_undeclared",
        ),
        (
            Method::DELETE,
            &withdraw_path,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            "purpose_undeclared",
        ),
        (
            Method::POST,
            "/v1/subjects",
            Some(json!({"jurisdiction": "CN", "role": "conductor"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "subject_role_undeclared",
        ),
        (
            Method::POST,
            "/v1/collect",
            Some(json!({"subject": subject, "purpose": "safety", "values": {"id_number": secret}})),
            StatusCode::FORBIDDEN,
            "consent_missing",
        ),
        (
            Method::POST,
            "/v1/collect",
            Some(
                json!({"subject": subject, "purpose": "dispatch", "values": {"trip_note": format!("身份证 {secret}")}}),
            ),
            StatusCode::FORBIDDEN,
            "undeclared_pi_in_free_text",
        ),
        (
            Method::POST,
            "/v1/collect",
            Some(
                json!({"subject": subject, "purpose": "dispatch", "values": {"phone": "13812345678"}, "extra": 1}),
            ),
            StatusCode::BAD_REQUEST,
            "bad_json",
        ),
        (
            Method::POST,
            "/v1/collect",
            Some(json!({"subject": 5, "purpose": "dispatch", "values": {}})),
            StatusCode::BAD_REQUEST,
            "bad_json",
        ),
        (
            Method::POST,
            "/v1/collect",
            Some(
                json!({"subject": "sub_nobody", "purpose": "dispatch", "values": {"phone": "13812345678"}}),
            ),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Method::POST,
            "/v1/subjects",
            Some(json!({"jurisdiction": "US"})),
            StatusCode::MISDIRECTED_REQUEST,
            "wrong_jurisdiction",
        ),
        (
            Method::POST,
            "/v1/subjects",
            Some(json!({"jurisdiction": "china"})),
            StatusCode::BAD_REQUEST,
            "invalid",
        ),
        (
            Method::POST,
            "/v1/detokenize",
            Some(json!({"purpose": "dispatch", "tokens": ["tok_aaaaaaaaaaaaaaaaaaaaaaaa"]})),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Method::POST,
            "/v1/detokenize",
            Some(json!({"purpose": "dispatch", "tokens": []})),
            StatusCode::BAD_REQUEST,
            "invalid",
        ),
        (
            Method::GET,
            "/v1/nope",
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ];
    for (m, path, body, want, code) in cases {
        let (s, v) = srv.call(m.clone(), path, Some(&ride), body).await;
        assert_eq!(
            (s, v["code"].as_str().unwrap_or("")),
            (want, code),
            "{m} {path}: {v}"
        );
        assert!(
            !v.to_string().contains(secret) && !v.to_string().contains("13812345678"),
            "a value in an error: {v}"
        );
    }
    // 413: a body over the limit; 415: not JSON; 422: a bad manifest with lines and rules.
    let big = json!({"text": "x".repeat(100 * 1024)});
    let (s, v) = srv
        .call(Method::POST, "/v1/scan", Some(&ride), Some(big))
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("body_too_large"))
    );
    let resp = srv
        .client
        .post(format!("{}/v1/scan", srv.base))
        .bearer_auth(&ride)
        .body("text")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v["code"], "unsupported_media_type", "{v}");
    // The framework's own answers are in the API's shape too: a method a route does not take
    // (with its Allow header), a text body over the limit.
    let resp = srv
        .client
        .patch(format!("{}/v1/subjects", srv.base))
        .bearer_auth(&ride)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(resp.headers().contains_key("allow"));
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v["code"], "method_not_allowed", "{v}");
    let resp = srv
        .client
        .put(format!("{}/v1/tenants/big/manifest", srv.base))
        .bearer_auth(&srv.admin)
        .body("#".repeat(2 << 20))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v["code"], "body_too_large", "{v}");
    // A URI over the cell's 8 KiB: 414 in the same shape (no route needs one that long).
    let resp = srv
        .client
        .get(format!(
            "{}/v1/ledger/entries?tenant={}",
            srv.base,
            "a".repeat(9000)
        ))
        .bearer_auth(&srv.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::URI_TOO_LONG);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v["code"], "uri_too_long", "{v}");
    let (s, v) = srv
        .manifest(
            "bad",
            "organisation = \"91110108MA01R0DE0N\"\napp_type = \"online_car_hailing\"\nnotice_version = \"1\"\n[[purposes]]\nid = \"p\"\n",
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["problems"][0]["rule"], "purpose_without_lawful_basis");
    assert_eq!(v["problems"][0]["line"], 4);
}

/// Ids a caller sends in a path come back in no error: a caller may put PI where an id belongs.
#[tokio::test]
async fn path_ids_are_not_echoed() {
    let (srv, ride, dpo, _jobs, regulator) = setup().await;
    let pi = "13812345678";
    for (m, path, key) in [
        (Method::GET, format!("/v1/orders/{pi}"), regulator.as_str()),
        (Method::DELETE, format!("/v1/keys/{pi}"), srv.admin.as_str()),
        (
            Method::GET,
            format!("/v1/subjects/{pi}/export"),
            dpo.as_str(),
        ),
        (Method::DELETE, format!("/v1/subjects/{pi}"), dpo.as_str()),
        (
            Method::GET,
            format!("/v1/subjects/{pi}/consents"),
            ride.as_str(),
        ),
        (
            Method::GET,
            format!("/v1/tenants/{pi}/manifest"),
            srv.admin.as_str(),
        ),
    ] {
        let (s, v) = srv.call(m.clone(), &path, Some(key), None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{m} {path}: {v}");
        assert!(!v.to_string().contains(pi), "{m} {path} echoes the id: {v}");
    }
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/detokenize",
            Some(&ride),
            Some(json!({"purpose": "dispatch", "tokens": [pi]})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    assert!(!v.to_string().contains(pi), "a token is echoed: {v}");
}

/// `PUT /v1/subjects/{subject}/role`: a role is given once; a subject registered with one keeps
/// it (409), an undeclared role is unprocessable (422) and not echoed.
#[tokio::test]
async fn a_role_is_fixed_once_given() {
    let (srv, ride, dpo, _jobs, _reg) = setup().await;
    let (_, v) = srv
        .call(
            Method::POST,
            "/v1/subjects",
            Some(&ride),
            Some(json!({"jurisdiction": "CN", "role": "driver"})),
        )
        .await;
    let subject = v["subject"].as_str().unwrap().to_string();
    let path = format!("/v1/subjects/{subject}/role");
    for (role, want, code) in [
        ("passenger", StatusCode::CONFLICT, "subject_role_fixed"),
        (
            "x13812345678",
            StatusCode::UNPROCESSABLE_ENTITY,
            "subject_role_undeclared",
        ),
    ] {
        let (s, v) = srv
            .call(
                Method::PUT,
                &path,
                Some(&dpo),
                Some(json!({ "role": role })),
            )
            .await;
        assert_eq!((s, v["code"].as_str()), (want, Some(code)), "{role}: {v}");
        assert!(!v.to_string().contains("13812345678"), "{v}");
    }
}
