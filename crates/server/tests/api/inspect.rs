//! `POST /v1/inspect`: the regulator's inspection of a capture against the manifest the cell
//! holds for a tenant, in JSON, HTML and SARIF; a malformed capture is a 400 with its place.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::setup;

#[tokio::test]
async fn the_regulator_inspects_a_capture_against_the_cells_manifest() {
    let (srv, _ride, ride_dpo, _jobs, regulator) = setup().await;
    let har = json!({"log": {"version": "1.2", "entries": [
        {"startedDateTime": "2026-12-03T08:00:00Z", "request": {"method": "POST",
            "url": "https://api.ride.example/v1/device", "postData": {"mimeType": "application/json",
            "text": "{\"phone\": \"13812345678\"}"}}},
        {"startedDateTime": "2026-12-03T08:00:01Z", "request": {"method": "POST",
            "url": "https://api.ride.example/v1/privacy/consent"}},
        {"startedDateTime": "2026-12-03T08:00:02Z", "request": {"method": "POST",
            "url": "https://api.ride.example/v1/orders", "postData": {"mimeType": "application/json",
            "text": "{\"card\": \"6222020200112233446\"}"}}},
        {"startedDateTime": "2026-12-03T08:00:03Z", "request": {"method": "GET",
            "url": "https://sdk.ads.example/t?m=13812345678"}}
    ]}});
    let (s, r) = srv
        .call(
            Method::POST,
            "/v1/inspect?tenant=ride",
            Some(&regulator),
            Some(har.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["app_type"], "online_car_hailing");
    assert_eq!(
        r["organisation"], "91110108MA01R0DE0N",
        "the cell's manifest for ride"
    );
    let text = r.to_string();
    assert!(!text.contains("13812345678") && !text.contains("6222020200112233446"));
    let verdicts = |template: &str| -> Vec<String> {
        r["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["template"] == template)
            .flat_map(|e| {
                e["fields"][0]["verdicts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
            })
            .collect()
    };
    assert_eq!(verdicts("/v1/device"), ["before_consent", "necessary"]);
    assert_eq!(
        verdicts("/v1/orders"),
        ["undeclared", "sensitive_without_separate_consent"]
    );
    assert_eq!(verdicts("/t"), ["third_party", "necessary"]);
    // HTML and SARIF.
    let resp = srv
        .client
        .post(format!("{}/v1/inspect?tenant=ride&format=html", srv.base))
        .bearer_auth(&regulator)
        .json(&har)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = resp.text().await.unwrap();
    assert!(page.contains("<h2>Findings by severity</h2>") && !page.contains("13812345678"));
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/inspect?app_type=online_car_hailing&format=sarif",
            Some(&regulator),
            Some(har.clone()),
        )
        .await;
    assert_eq!(
        (s, v["version"].as_str()),
        (StatusCode::OK, Some("2.1.0")),
        "{v}"
    );
    // Bad input: its place, never its content; an unknown tenant; a DPO is refused.
    let resp = srv
        .client
        .post(format!(
            "{}/v1/inspect?app_type=online_car_hailing",
            srv.base
        ))
        .bearer_auth(&regulator)
        .header("content-type", "application/json")
        .body("{\"log\": {\"entries\": [\n{\"request\": {\"url\": 13812345678}}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v["code"], "bad_capture");
    assert!(v["message"].as_str().unwrap().contains("line 2"), "{v}");
    assert!(!v.to_string().contains("13812345678"), "{v}");
    let (s, _) = srv
        .call(
            Method::POST,
            "/v1/inspect?tenant=nobody",
            Some(&regulator),
            Some(har.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = srv
        .call(
            Method::POST,
            "/v1/inspect?tenant=ride",
            Some(&ride_dpo),
            Some(har),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
}
