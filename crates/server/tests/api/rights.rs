//! The person's rights over single values through HTTP: a correction, a legal hold that keeps a
//! subject from erasure (stated in the 409), its release, and the sweeper on demand — each by
//! the role the matrix names only; bad input refused without a change.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Server, setup};

/// A ride subject with dispatch consent and `values` collected: (subject, tokens in field order).
async fn subject_with(
    srv: &Server,
    ride: &str,
    values: serde_json::Value,
) -> (String, Vec<String>) {
    let (_, v) = srv
        .call(
            Method::POST,
            "/v1/subjects",
            Some(ride),
            Some(json!({"jurisdiction": "CN"})),
        )
        .await;
    let subject = v["subject"].as_str().unwrap().to_string();
    srv.call(
        Method::POST,
        &format!("/v1/subjects/{subject}/consents"),
        Some(ride),
        Some(json!({"purpose": "dispatch", "separate": true})),
    )
    .await;
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/collect",
            Some(ride),
            Some(json!({"subject": subject, "purpose": "dispatch", "values": values})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let tokens = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["token"].as_str().unwrap().to_string())
        .collect();
    (subject, tokens)
}

#[tokio::test]
async fn rectify_hold_release_erase_and_sweep() {
    let (srv, ride, dpo, _jobs, _regulator) = setup().await;
    let (subject, tokens) = subject_with(&srv, &ride, json!({"phone": "13812345678"})).await;
    let token = tokens[0].clone();
    let read = || async {
        srv.call(
            Method::POST,
            "/v1/detokenize",
            Some(&ride),
            Some(json!({"purpose": "dispatch", "tokens": [token.clone()], "reveal": "clear"})),
        )
        .await
    };
    let rectify = format!("/v1/subjects/{subject}/rectify");
    let hold = format!("/v1/subjects/{subject}/hold");
    // Only the DPO corrects; a value of another type is refused; nothing changes either way.
    let (s, _) = srv
        .call(
            Method::POST,
            &rectify,
            Some(&ride),
            Some(json!({"token": token, "value": "13900001111"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = srv
        .call(
            Method::POST,
            &rectify,
            Some(&dpo),
            Some(json!({"token": token, "value": "not a phone"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        !v.to_string().contains("not a phone"),
        "the value is not echoed: {v}"
    );
    assert_eq!(read().await.1["values"][0]["value"], "13812345678");
    let (s, v) = srv
        .call(
            Method::POST,
            &rectify,
            Some(&dpo),
            Some(json!({"token": token, "value": "13900001111"})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    assert_eq!(read().await.1["values"][0]["value"], "13900001111");

    // A hold: a label only; erasure then refused with the hold named; released, erased.
    let (s, _) = srv
        .call(
            Method::PUT,
            &hold,
            Some(&dpo),
            Some(json!({"reason": "a note with spaces"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = srv
        .call(
            Method::PUT,
            &hold,
            Some(&ride),
            Some(json!({"reason": "tax_records_5y"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = srv
        .call(
            Method::PUT,
            &hold,
            Some(&dpo),
            Some(json!({"reason": "tax_records_5y"})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = srv
        .call(
            Method::DELETE,
            &format!("/v1/subjects/{subject}"),
            Some(&dpo),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["code"], "legal_hold", "{v}");
    assert!(
        v["message"].as_str().unwrap().contains("tax_records_5y"),
        "{v}"
    );
    assert_eq!(read().await.0, StatusCode::OK, "held values are kept");
    let (s, _) = srv.call(Method::DELETE, &hold, Some(&dpo), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = srv
        .call(
            Method::DELETE,
            &format!("/v1/subjects/{subject}"),
            Some(&dpo),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    // The sweeper on demand: the administrator's; nothing is past retention here.
    let (s, _) = srv
        .call(Method::POST, "/v1/retention/sweep", Some(&dpo), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = srv
        .call(Method::POST, "/v1/retention/sweep", Some(&srv.admin), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v, json!({"values": 0, "subjects": 0}));
}

#[tokio::test]
async fn requests_are_recorded_answered_once_and_listed_by_role() {
    let (srv, ride, dpo, _jobs, regulator) = setup().await;
    let (_, v) = srv
        .call(
            Method::POST,
            "/v1/subjects",
            Some(&ride),
            Some(json!({"jurisdiction": "CN"})),
        )
        .await;
    let subject = v["subject"].as_str().unwrap().to_string();
    let (s, _) = srv
        .call(
            Method::POST,
            "/v1/requests",
            Some(&ride),
            Some(json!({"subject": subject, "kind": "copy"})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a service does not record requests"
    );
    let (s, _) = srv
        .call(
            Method::POST,
            "/v1/requests",
            Some(&dpo),
            Some(json!({"subject": subject, "kind": "everything"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, r) = srv
        .call(
            Method::POST,
            "/v1/requests",
            Some(&dpo),
            Some(json!({"subject": subject, "kind": "erasure"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(
        (r["status"].clone(), r["overdue"].clone()),
        (json!("open"), json!(false))
    );
    let days = (r["deadline"].as_i64().unwrap() - r["received_at"].as_i64().unwrap()) / 86_400_000;
    assert!(
        (19..=21).contains(&days),
        "15 working days: {days} calendar days"
    );
    let id = r["id"].as_str().unwrap().to_string();
    for key in [&dpo, &regulator, &srv.admin] {
        let (s, v) = srv.call(Method::GET, "/v1/requests", Some(key), None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    }
    let (s, v) = srv
        .call(
            Method::GET,
            "/v1/requests?overdue=true",
            Some(&regulator),
            None,
        )
        .await;
    assert_eq!((s, v), (StatusCode::OK, json!([])));
    let close = format!("/v1/requests/{id}/close");
    let (s, _) = srv
        .call(
            Method::POST,
            &close,
            Some(&dpo),
            Some(json!({"outcome": "refused"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "a refusal needs its label");
    let (s, v) = srv
        .call(
            Method::POST,
            &close,
            Some(&dpo),
            Some(json!({"outcome": "completed"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "completed");
    let (s, _) = srv
        .call(
            Method::POST,
            &close,
            Some(&dpo),
            Some(json!({"outcome": "completed"})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "answered once");
}

#[tokio::test]
async fn the_copy_comes_as_csv_with_each_values_uses() {
    let (srv, ride, dpo, _jobs, _regulator) = setup().await;
    let (subject, tokens) = subject_with(
        &srv,
        &ride,
        json!({"phone": "13812345678", "pickup": "北京市朝阳区建国路88号, 3号门"}),
    )
    .await;
    let token = tokens[0].clone();
    srv.call(
        Method::POST,
        "/v1/detokenize",
        Some(&ride),
        Some(json!({"purpose": "dispatch", "tokens": [token]})),
    )
    .await;
    let (s, v) = srv
        .call(
            Method::GET,
            &format!("/v1/subjects/{subject}/export"),
            Some(&dpo),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let phone = v["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["field"] == "phone")
        .unwrap();
    assert_eq!(phone["uses"][0]["service"], "dispatch-svc", "{v}");
    let (s, csv) = srv
        .call(
            Method::GET,
            &format!("/v1/subjects/{subject}/export?format=csv"),
            Some(&dpo),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let csv = csv.as_str().unwrap().to_string();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "field,pi_type,token,value,purpose,collected_at,used_for,used_by,transferred_to"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("phone,cn_mobile,")
            && l.contains(",13812345678,dispatch,")
            && l.ends_with(",dispatch,dispatch-svc,")),
        "{csv}"
    );
    assert!(
        csv.contains("\"北京市朝阳区建国路88号, 3号门\""),
        "a comma is quoted: {csv}"
    );
    let (s, _) = srv
        .call(
            Method::GET,
            &format!("/v1/subjects/{subject}/export?format=xml"),
            Some(&dpo),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}
