//! The console as the server serves it: its files under a strict policy, the sign-in route and
//! the manifest check it shows beside each field. (Its pages are tested in a real browser by
//! `scripts/console-test`.)

use custodian_conformance::{JOB_BOARD, RIDE_HAILING};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Server, setup};

#[tokio::test]
async fn console_files_come_with_a_strict_policy_and_nothing_from_elsewhere() {
    let srv = Server::start().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let root = client.get(format!("{}/", srv.base)).send().await.unwrap();
    assert!(root.status().is_redirection());
    assert_eq!(root.headers()["location"], "/console/");
    for (path, ty) in [
        ("/console/", "text/html; charset=utf-8"),
        ("/console/app.js", "text/javascript; charset=utf-8"),
        ("/console/verify.js", "text/javascript; charset=utf-8"),
        ("/console/style.css", "text/css; charset=utf-8"),
    ] {
        let r = client
            .get(format!("{}{path}", srv.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let h = r.headers();
        assert_eq!(h["content-type"], ty, "{path}");
        let csp = h["content-security-policy"].to_str().unwrap();
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
        let body = r.text().await.unwrap();
        assert!(!body.is_empty(), "{path}");
        // Nothing from elsewhere: no CDN, no inline script.
        assert!(
            !body.contains("https://") && !body.contains("http://"),
            "{path}"
        );
        if path == "/console/" {
            // Every script is a file of the console's own (the policy would refuse inline code
            // anyway; the page must not need any).
            for tag in body.split("<script").skip(1) {
                let tag = tag.split('>').next().unwrap_or("");
                assert!(
                    tag.contains("src=\"/console/"),
                    "inline script: <script{tag}>"
                );
            }
        }
    }
    // The API's answers, errors too, are never sniffed as another type.
    for path in ["/v1/tenants", "/healthz", "/nope"] {
        let r = client
            .get(format!("{}{path}", srv.base))
            .bearer_auth(&srv.admin)
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["x-content-type-options"], "nosniff", "{path}");
    }
    // A name outside the embedded set is the API's 404, and no path escapes it.
    for path in [
        "/console/nope.js",
        "/console/..%2FCargo.toml",
        "/console/%2e%2e/%2e%2e/etc/passwd",
    ] {
        let (s, v) = srv.call(Method::GET, path, None, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(v["code"], "not_found", "{path}");
    }
}

#[tokio::test]
async fn a_key_learns_its_own_role_and_tenant_and_nothing_without_one() {
    let (srv, ride, ride_dpo, _jobs, regulator) = setup().await;
    for (key, role, tenant) in [
        (&srv.admin, "admin", None),
        (&ride, "service", Some("ride")),
        (&ride_dpo, "dpo", Some("ride")),
        (&regulator, "regulator", None),
    ] {
        let (s, v) = srv.call(Method::GET, "/v1/session", Some(key), None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["role"], role);
        assert_eq!(v["tenant"].as_str(), tenant);
        assert_eq!(v["jurisdiction"], "CN");
        assert!(v["key_id"].as_str().unwrap().starts_with("key_"));
        assert!(
            !v.to_string().contains(key.as_str()),
            "the secret comes back"
        );
    }
    for key in [None, Some("cst_0000")] {
        let (s, v) = srv.call(Method::GET, "/v1/session", key, None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
    }
    // A regulator lists the cell's tenants; a DPO still may not.
    let (s, v) = srv
        .call(Method::GET, "/v1/tenants", Some(&regulator), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v.as_array().unwrap().len(), 2, "{v}");
    let (s, _) = srv
        .call(Method::GET, "/v1/tenants", Some(&ride_dpo), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_manifest_check_shows_each_field_against_the_necessary_scope_and_loads_nothing() {
    let (srv, _ride, ride_dpo, _jobs, _regulator) = setup().await;
    let (s, v) = srv
        .call_text(Method::POST, "/v1/manifests/check", &ride_dpo, RIDE_HAILING)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["ok"], true);
    assert_eq!(v["app_type"], "online_car_hailing");
    let field = |name: &str| {
        v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .cloned()
            .unwrap_or_else(|| json!(null))
    };
    assert_eq!(field("phone")["necessary"], "registered_user_mobile");
    assert!(field("id_number")["necessary"].is_null(), "{v}");
    assert_eq!(field("id_number")["sensitive"], true);

    // A manifest that does not load: its problems, each with a line and a rule; no tenant made.
    let bad = RIDE_HAILING.replace("app_type = \"online_car_hailing\"", "app_type = 7");
    let (s, v) = srv
        .call_text(Method::POST, "/v1/manifests/check", &srv.admin, &bad)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["ok"], false);
    let p = &v["problems"][0];
    assert_eq!(p["severity"], "error");
    assert!(p["line"].as_u64().unwrap() > 0, "{v}");
    let (s, v) = srv
        .call_text(Method::POST, "/v1/manifests/check", &srv.admin, JOB_BOARD)
        .await;
    assert_eq!((s, &v["ok"]), (StatusCode::OK, &json!(true)));
    let (_, tenants) = srv
        .call(Method::GET, "/v1/tenants", Some(&srv.admin), None)
        .await;
    assert_eq!(
        tenants.as_array().unwrap().len(),
        2,
        "the check loaded nothing"
    );
    let (s, v) = srv
        .call_text(
            Method::POST,
            "/v1/manifests/check",
            &srv.admin,
            "\u{0}\u{ff}",
        )
        .await;
    assert_eq!((s, &v["ok"]), (StatusCode::OK, &json!(false)), "{v}");
}
