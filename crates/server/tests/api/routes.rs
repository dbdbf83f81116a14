//! The route list: OpenAPI in step with it, the role matrix generated from it, query
//! parameters where OpenAPI says, the rate limit.

use custodian_core::access::{Role, permits};
use custodian_server::ROUTES;
use reqwest::{Method, StatusCode};

use super::{Server, setup};

#[tokio::test]
async fn openapi_is_in_step_with_the_routes() {
    let srv = Server::start().await;
    let (s, doc) = srv.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in item.as_object().unwrap().keys() {
            documented.push((m.clone(), path.clone()));
        }
    }
    documented.sort();
    let mut routes: Vec<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    routes.sort();
    assert_eq!(documented, routes);
    // The store's transient answers: 503 anywhere, 504 `outcome_unknown` where an act commits.
    let collect = &doc["paths"]["/v1/collect"]["post"]["responses"];
    assert!(
        collect["503"]["description"]
            .as_str()
            .unwrap()
            .contains("unavailable")
    );
    assert!(
        collect["504"]["description"]
            .as_str()
            .unwrap()
            .contains("outcome_unknown")
    );
    let head = &doc["paths"]["/v1/ledger/checkpoint"]["get"]["responses"];
    assert!(head["503"].is_object() && head["504"].is_null(), "{head}");
    // And every listed route answers (not the router's fallback).
    for r in ROUTES {
        let (m, p) = (r.method, r.path);
        let method = Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
        let path = p
            .replace("{tenant}", "t")
            .replace("{subject}", "sub_x")
            .replace("{purpose}", "p")
            .replace("{id}", "key_x");
        let (s, v) = srv.call(method, &path, Some(&srv.admin), None).await;
        // The router's fallback is a 404 "no such route"; a wrong method is a 405.
        assert!(
            s != StatusCode::METHOD_NOT_ALLOWED && v["message"] != "no such route",
            "{m} {p}: {s} {v}"
        );
        assert!(
            v.is_object() || s == StatusCode::OK,
            "{m} {p} answers in the API's shape"
        );
    }
}

/// The role matrix, generated from the route list: every route refuses (403, before reading
/// the body) every role the matrix does not let perform its operation.
#[tokio::test]
async fn every_route_refuses_the_roles_its_operation_excludes() {
    let (srv, ride, ride_dpo, _jobs, regulator) = setup().await;
    let keys = [
        (Role::Admin, srv.admin.clone()),
        (Role::Service, ride.clone()),
        (Role::Dpo, ride_dpo.clone()),
        (Role::Regulator, regulator.clone()),
    ];
    let mut checked = 0;
    for r in ROUTES {
        let Some(op) = r.operation else { continue };
        let method = Method::from_bytes(r.method.to_uppercase().as_bytes()).unwrap();
        let path = r
            .path
            .replace("{tenant}", "ride")
            .replace("{subject}", "sub_x")
            .replace("{purpose}", "dispatch")
            .replace("{id}", "key_x");
        for (role, key) in &keys {
            if permits(*role, op) {
                // A permitted role passes the access check (it may fail later, on the missing
                // body or the made-up ids, but not as forbidden).
                let (s, v) = srv.call(method.clone(), &path, Some(key), None).await;
                assert!(
                    !(s == StatusCode::FORBIDDEN && v["code"] == "forbidden"),
                    "{role} key on {} {} ({op:?}) must pass the access check: {v}",
                    r.method,
                    r.path
                );
                continue;
            }
            let (s, v) = srv.call(method.clone(), &path, Some(key), None).await;
            assert_eq!(
                (s, v["code"].as_str()),
                (StatusCode::FORBIDDEN, Some("forbidden")),
                "{role} key on {} {} ({op:?})",
                r.method,
                r.path
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 40,
        "the matrix excludes many (role, route) pairs: {checked}"
    );
}

/// The ledger routes take their parameters in the query string, and OpenAPI says so.
#[tokio::test]
async fn ledger_parameters_are_query_parameters() {
    let srv = Server::start().await;
    let (_, doc) = srv.call(Method::GET, "/openapi.json", None, None).await;
    for (path, names) in [
        ("/v1/ledger/entries", vec!["from", "to"]),
        ("/v1/ledger/proofs/inclusion", vec!["index", "tree_size"]),
        ("/v1/ledger/proofs/consistency", vec!["size1", "size2"]),
    ] {
        let params = doc["paths"][path]["get"]["parameters"].as_array().unwrap();
        for name in names {
            let p = params.iter().find(|p| p["name"] == name).unwrap();
            assert_eq!(p["in"], "query", "{path} {name}");
        }
    }
}

#[tokio::test]
async fn a_key_over_its_rate_gets_429() {
    let srv = Server::start_with(Some(1)).await;
    // Burst of two, then refused until the bucket refills.
    let mut codes = Vec::new();
    for _ in 0..4 {
        codes.push(
            srv.call(Method::GET, "/v1/tenants", Some(&srv.admin), None)
                .await
                .0,
        );
    }
    assert_eq!(&codes[..2], &[StatusCode::OK, StatusCode::OK]);
    assert_eq!(codes[3], StatusCode::TOO_MANY_REQUESTS);
    let (_, v) = srv
        .call(Method::GET, "/v1/tenants", Some(&srv.admin), None)
        .await;
    assert_eq!(v["code"], "rate_limited");
}
