//! The isolation matrix, generated from the route table: every route × every role × the tenant
//! the request names (the key's own, another, none) × the ids it carries (its tenant's, another
//! tenant's, made up), each with its expected answer, against a real server on SQLite and on
//! PostgreSQL. A route without a row here fails the test.
//!
//! Every answer is read for leaks too: a tenant's key never sees another tenant's ids, values
//! or name (beyond what its own request carried); an answer about another tenant's id is, byte
//! for byte, the answer about an id that does not exist; and no key but a DPO exporting its own
//! subject sees a value whole.

use std::collections::BTreeSet;

use custodian_conformance::{JOB_BOARD, RIDE_HAILING, order_doc, sign_doc, test_regulator};
use custodian_core::access::{Operation, Role, permits};
use custodian_core::ids::TenantId;
use custodian_core::orders::OrderKind;
use custodian_server::ROUTES;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::Server;

/// The two tenants: the keys under test belong to the first.
const OWN: &str = "ride";
const OTHER: &str = "jobs";

/// One tenant's things, made through the API by its own keys.
#[derive(Clone, Debug)]
struct Fixture {
    subject: String,
    token: String,
    phone: String,
    request: String,
    order: String,
    key: String,
    entry: u64,
    /// The ledger index of an erasure of the tenant's.
    erasure: u64,
}

impl Fixture {
    /// What another tenant's key must never see.
    fn secrets(&self) -> [&str; 6] {
        [
            &self.subject,
            &self.token,
            &self.phone,
            &self.request,
            &self.order,
            &self.key,
        ]
    }

    /// Ids of the same shape that name nothing: the last characters changed.
    fn made_up(&self) -> Fixture {
        fn bend(s: &str) -> String {
            let n = s.chars().count();
            s.chars()
                .enumerate()
                .map(|(i, c)| match c {
                    _ if i + 4 < n => c,
                    '0'..='8' => char::from(c as u8 + 1),
                    '9' => '0',
                    'a'..='y' => char::from(c as u8 + 1),
                    'z' => 'a',
                    _ => c,
                })
                .collect()
        }
        Fixture {
            subject: bend(&self.subject),
            token: bend(&self.token),
            phone: bend(&self.phone),
            request: bend(&self.request),
            order: bend(&self.order),
            key: bend(&self.key),
            entry: self.entry + 1_000_000,
            erasure: self.erasure + 1_000_000,
        }
    }
}

mod rows;
pub(super) use rows::Body;
use rows::{Ctx, Row, Slot, rows};

/// The tenant a request names, relative to the calling key's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Named {
    Own,
    Other,
    Omitted,
}

/// Whose ids a request carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ids {
    Own,
    /// Made up: name nothing.
    Missing,
    Other,
}

/// A caller: its role (`None`: no key at all) and key; tenant keys are the own tenant's.
struct Caller {
    name: &'static str,
    role: Option<Role>,
    key: Option<String>,
}

impl Caller {
    fn bound(&self) -> bool {
        matches!(self.role, Some(Role::Service | Role::Dpo))
    }
}

/// The keys that make fixtures: a tenant's service and DPO, the regulator's, the admin's.
struct Makers {
    service: [String; 2],
    dpo: [String; 2],
    regulator: String,
    n: usize,
}

impl Makers {
    /// A subject with consent and a phone number collected, a request about it, an order
    /// naming its tenant, a key of its tenant, and the index of an entry of its tenant.
    async fn fixture(&mut self, srv: &Server, which: usize) -> Fixture {
        self.n += 1;
        let n = self.n;
        let tenant = [OWN, OTHER][which];
        let purpose = ["dispatch", "job_matching"][which];
        let (service, dpo) = (&self.service[which], &self.dpo[which]);
        let ok = |step: &str, s: StatusCode, v: &Value| {
            assert!(s.is_success(), "fixture, {step}: {s} {v}")
        };
        let (s, v) = srv
            .call(
                Method::POST,
                "/v1/subjects",
                Some(service),
                Some(json!({"jurisdiction": "CN"})),
            )
            .await;
        ok("register", s, &v);
        let subject = v["subject"].as_str().unwrap().to_string();
        let (s, v) = srv
            .call(
                Method::POST,
                &format!("/v1/subjects/{subject}/consents"),
                Some(service),
                Some(json!({"purpose": purpose, "separate": true})),
            )
            .await;
        ok("consent", s, &v);
        let phone = format!("135{:08}", 1000 * which + n);
        let (s, v) = srv
            .call(
                Method::POST,
                "/v1/collect",
                Some(service),
                Some(json!({"subject": subject, "purpose": purpose, "values": {"phone": phone}})),
            )
            .await;
        ok("collect", s, &v);
        let token = v["tokens"][0]["token"].as_str().unwrap().to_string();
        let (s, v) = srv
            .call(
                Method::POST,
                "/v1/requests",
                Some(dpo),
                Some(json!({"subject": subject, "kind": "copy"})),
            )
            .await;
        ok("request", s, &v);
        let request = v["id"].as_str().unwrap().to_string();
        let (s, v) = srv
            .call(
                Method::POST,
                "/v1/subjects",
                Some(service),
                Some(json!({"jurisdiction": "CN"})),
            )
            .await;
        ok("register to erase", s, &v);
        let (s, v) = srv
            .call(
                Method::DELETE,
                &format!("/v1/subjects/{}", v["subject"].as_str().unwrap()),
                Some(dpo),
                None,
            )
            .await;
        ok("erase", s, &v);
        let erasure = v["index"].as_u64().unwrap();
        let mut o = order_doc(
            &format!("ord-{tenant}-{n}"),
            OrderKind::Rectify {
                items: vec!["notice".into()],
                deadline: 4_102_444_800_000,
            },
        );
        o.targets = vec![TenantId::parse(tenant).unwrap()];
        let (s, v) = srv
            .call_text(
                Method::POST,
                "/v1/orders",
                &self.regulator,
                &sign_doc(&test_regulator(), &o),
            )
            .await;
        ok("order", s, &v);
        let (s, v) = srv
            .call(
                Method::POST,
                "/v1/keys",
                Some(&srv.admin),
                Some(json!({"role": "dpo", "tenant": tenant})),
            )
            .await;
        ok("key", s, &v);
        let key = v["id"].as_str().unwrap().to_string();
        let (_, v) = srv
            .call(
                Method::GET,
                "/v1/ledger/entries?from=0&to=10000",
                Some(dpo),
                None,
            )
            .await;
        let entry = v["entries"].as_array().unwrap().last().unwrap()["index"]
            .as_u64()
            .unwrap();
        Fixture {
            subject,
            token,
            phone,
            request,
            order: o.id,
            key,
            entry,
            erasure,
        }
    }
}

/// The answer with the ids the request carried replaced by their names, so answers about
/// different ids compare.
fn normalised(text: &str, ids: &Fixture) -> String {
    let mut t = text.to_string();
    for (name, id) in [
        ("<subject>", &ids.subject),
        ("<token>", &ids.token),
        ("<phone>", &ids.phone),
        ("<request>", &ids.request),
        ("<order>", &ids.order),
        ("<key>", &ids.key),
    ] {
        t = t.replace(id.as_str(), name);
    }
    t.replace(&ids.entry.to_string(), "<entry>")
        .replace(&ids.erasure.to_string(), "<erasure>")
}

/// The answer a row must give `caller` for the case (`None`: the answer to made-up ids).
fn expected(
    row: &Row,
    op: Option<Operation>,
    caller: &Caller,
    named: Named,
    ids: Ids,
) -> Option<u16> {
    let Some(op) = op else {
        // Health, readiness, metrics and the API document: anyone.
        return Some(200);
    };
    let Some(role) = caller.role else {
        return Some(401);
    };
    if !permits(role, op) {
        return Some(403);
    }
    if caller.bound() {
        return match (named, ids) {
            (Named::Other, _) => Some(403),
            (_, Ids::Own) => Some(row.bound_ok.unwrap_or(row.ok)),
            (_, Ids::Missing) => Some(row.missing),
            (_, Ids::Other) => None,
        };
    }
    match (named, ids) {
        (Named::Omitted, _) if row.tenant == Slot::Optional => Some(row.unnamed),
        (_, Ids::Missing) => Some(row.missing),
        _ => Some(row.ok),
    }
}

/// Runs the matrix on a server; returns (routes, cases).
async fn run(srv: &Server, store: &str) -> (usize, usize) {
    assert_eq!(srv.manifest(OWN, RIDE_HAILING).await.0, StatusCode::OK);
    assert_eq!(srv.manifest(OTHER, JOB_BOARD).await.0, StatusCode::OK);
    let service = [
        srv.key(json!({"role": "service", "tenant": OWN, "service": "dispatch-svc"}))
            .await,
        srv.key(json!({"role": "service", "tenant": OTHER, "service": "matching-svc"}))
            .await,
    ];
    let dpo = [
        srv.key(json!({"role": "dpo", "tenant": OWN})).await,
        srv.key(json!({"role": "dpo", "tenant": OTHER})).await,
    ];
    let regulator = srv.key(json!({"role": "regulator"})).await;
    // A DPO key of the tenant, revoked: it opens nothing.
    let revoked = {
        let (s, v) = srv
            .call(
                Method::POST,
                "/v1/keys",
                Some(&srv.admin),
                Some(json!({"role": "dpo", "tenant": OWN})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_str().unwrap();
        let (s, _) = srv
            .call(
                Method::DELETE,
                &format!("/v1/keys/{id}"),
                Some(&srv.admin),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        v["key"].as_str().unwrap().to_string()
    };
    let caller = |name, role, key: &str| Caller {
        name,
        role,
        key: Some(key.to_string()),
    };
    let callers = [
        Caller {
            name: "no key",
            role: None,
            key: None,
        },
        caller("a made-up key", None, "cst_not_a_key"),
        caller("a revoked key", None, &revoked),
        caller("admin", Some(Role::Admin), &srv.admin),
        caller("service", Some(Role::Service), &service[0]),
        caller("dpo", Some(Role::Dpo), &dpo[0]),
        caller("regulator", Some(Role::Regulator), &regulator),
    ];
    let mut makers = Makers {
        service,
        dpo,
        regulator,
        n: 0,
    };
    let own = makers.fixture(srv, 0).await;
    let other = makers.fixture(srv, 1).await;
    let mut secrets: BTreeSet<String> = other.secrets().iter().map(|s| s.to_string()).collect();
    secrets.insert(format!("\"{OTHER}\""));
    secrets.insert("91110105MA01J0B00B".into());
    let mut phones: BTreeSet<String> = [own.phone.clone(), other.phone.clone()].into();
    let rows = rows();
    // A route added without a row fails here.
    let listed: BTreeSet<(&str, &str)> = rows.iter().map(|r| (r.method, r.path)).collect();
    let routes: BTreeSet<(&str, &str)> = ROUTES.iter().map(|r| (r.method, r.path)).collect();
    assert_eq!(
        listed, routes,
        "every route has one row in the isolation matrix"
    );
    assert_eq!(rows.len(), ROUTES.len(), "one row per route");
    let mut failures = Vec::new();
    let mut cases = 0;
    for row in &rows {
        assert!(
            !(row.ids && row.tenant != Slot::No),
            "{}: one dimension per row",
            row.path
        );
        let route = ROUTES
            .iter()
            .find(|r| (r.method, r.path) == (row.method, row.path))
            .unwrap();
        let nameds: &[Named] = match row.tenant {
            Slot::No => &[Named::Omitted],
            Slot::Path => &[Named::Own, Named::Other],
            Slot::Optional => &[Named::Own, Named::Other, Named::Omitted],
        };
        let idss: &[Ids] = if row.ids {
            &[Ids::Own, Ids::Missing, Ids::Other]
        } else {
            &[Ids::Own]
        };
        for caller in &callers {
            let permitted = match (route.operation, caller.role) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(op), Some(role)) => permits(role, op),
            };
            let mut missing_answer = None;
            for &named in nameds {
                for &ids in idss {
                    cases += 1;
                    let may_succeed = permitted && caller.role.is_some();
                    let fx = match ids {
                        Ids::Own if row.fresh && may_succeed => makers.fixture(srv, 0).await,
                        Ids::Other if row.fresh && may_succeed => makers.fixture(srv, 1).await,
                        Ids::Own => own.clone(),
                        Ids::Other => other.clone(),
                        Ids::Missing => other.made_up(),
                    };
                    if ids == Ids::Other {
                        secrets.extend(fx.secrets().iter().map(|s| s.to_string()));
                    }
                    phones.insert(fx.phone.clone());
                    let tenant = match (named, caller.bound()) {
                        (Named::Own, _) => Some(OWN),
                        (Named::Other, _) => Some(OTHER),
                        (Named::Omitted, _) => None,
                    };
                    let size = own.entry.max(other.entry) + 1;
                    let (path, body) = (row.build)(&Ctx {
                        tenant,
                        ids: &fx,
                        n: cases,
                        size,
                    });
                    let (status, text) = srv
                        .raw(row.method, &path, caller.key.as_deref(), body)
                        .await;
                    let label = format!(
                        "{store}: {} {} as {} naming {named:?} with {ids:?} ids",
                        row.method.to_uppercase(),
                        row.path,
                        caller.name,
                    );
                    let answer = normalised(&text, &fx);
                    // A bulk route answers 200 with one result per item; the matrix's rows send
                    // one item, whose status is the one the single route would answer.
                    let status = match serde_json::from_str::<Value>(&text) {
                        Ok(v) if status == 200 && v["results"][0]["ok"] == false => v["results"][0]
                            ["status"]
                            .as_u64()
                            .map_or(status, |s| s as u16),
                        _ => status,
                    };
                    if status >= 400 && !text.contains("\"results\"") {
                        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                        if !(v["code"].is_string() && v["message"].is_string()) {
                            failures.push(format!(
                                "{label}: {status} not in the API's error shape: {text}"
                            ));
                        }
                    }
                    match expected(row, route.operation, caller, named, ids) {
                        Some(want) if status != want => {
                            failures.push(format!("{label}: {status}, expected {want}: {text}"));
                        }
                        Some(_) => {}
                        None => {
                            if missing_answer.as_ref() != Some(&(status, answer.clone())) {
                                failures.push(format!(
                                    "{label}: answers {status} {answer}, unlike made-up ids: {missing_answer:?}"
                                ));
                            }
                        }
                    }
                    if ids == Ids::Missing {
                        missing_answer = Some((status, answer.clone()));
                    }
                    // Leaks: another tenant's things beyond what the request carried; a value
                    // whole except to its own DPO's export.
                    let bare = {
                        let mut t = text.clone();
                        for s in fx.secrets() {
                            t = t.replace(s, "");
                        }
                        t
                    };
                    if caller.bound()
                        && let Some(s) = secrets.iter().find(|s| bare.contains(s.as_str()))
                    {
                        failures.push(format!("{label}: another tenant's {s} in {text}"));
                    }
                    let may_reveal = row.reveals && ids == Ids::Own && status < 300;
                    if let Some(p) = phones
                        .iter()
                        .find(|p| !may_reveal && bare.contains(p.as_str()))
                    {
                        failures.push(format!("{label}: the value {p} whole in {text}"));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    (rows.len(), cases)
}

#[tokio::test]
async fn isolation_matrix_on_sqlite() {
    let srv = Server::on_sqlite().await;
    let t = std::time::Instant::now();
    let (routes, cases) = run(&srv, "sqlite").await;
    eprintln!(
        "isolation matrix on SQLite: {routes} routes, {cases} cases, {:.1?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn isolation_matrix_on_postgres() {
    let srv = Server::on_postgres().await;
    let t = std::time::Instant::now();
    let (routes, cases) = run(&srv, "postgres").await;
    eprintln!(
        "isolation matrix on PostgreSQL: {routes} routes, {cases} cases, {:.1?}",
        t.elapsed()
    );
}
