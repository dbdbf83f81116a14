//! The isolation matrix's rows: one per route, how to call it and what it answers a caller on
//! its own things.

use custodian_conformance::{JOB_BOARD, RIDE_HAILING, order_doc, sign_doc, test_regulator};
use custodian_core::ids::TenantId;
use custodian_core::orders::OrderKind;
use serde_json::{Value, json};

use super::{Fixture, OTHER, OWN};

/// A request's body.
pub(crate) enum Body {
    None,
    Json(Value),
    Text(String),
}

/// What a row's request is built from.
pub(super) struct Ctx<'a> {
    /// The tenant the request names (`None`: it names none).
    pub(super) tenant: Option<&'a str>,
    /// The ids it carries.
    pub(super) ids: &'a Fixture,
    /// A number no other request of the run has.
    pub(super) n: usize,
    /// A tree size every fixture's entry is inside.
    pub(super) size: u64,
}

/// Where a route's request names a tenant.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// It names none (the key's tenant, or the whole cell, is implied).
    No,
    /// In the path: always named.
    Path,
    /// In the query or body, and may be left out.
    Optional,
}

/// One route's row: how to call it and what it answers on the caller's own things.
pub(super) struct Row {
    pub(super) method: &'static str,
    pub(super) path: &'static str,
    pub(super) tenant: Slot,
    /// Whether the request carries ids of a tenant's things.
    pub(super) ids: bool,
    /// Whether a successful call uses its ids up (erase, revoke, close): each case gets new ones.
    pub(super) fresh: bool,
    /// The answer on the caller's own ids and tenant.
    pub(super) ok: u16,
    /// The answer on made-up ids.
    pub(super) missing: u16,
    /// The answer to a cell-wide key that names no tenant where one may be named.
    pub(super) unnamed: u16,
    /// The answer to a tenant's key on its own things, where it differs from `ok`.
    pub(super) bound_ok: Option<u16>,
    /// Whether the answer may carry a value whole (to the one role the route is for).
    pub(super) reveals: bool,
    pub(super) build: fn(&Ctx) -> (String, Body),
}

const fn row(method: &'static str, path: &'static str, build: fn(&Ctx) -> (String, Body)) -> Row {
    Row {
        method,
        path,
        tenant: Slot::No,
        ids: false,
        fresh: false,
        ok: 200,
        missing: 404,
        unnamed: 400,
        bound_ok: None,
        reveals: false,
        build,
    }
}

impl Row {
    const fn ids(mut self) -> Row {
        self.ids = true;
        self
    }
    const fn fresh(mut self) -> Row {
        self.ids = true;
        self.fresh = true;
        self
    }
    const fn tenant(mut self, slot: Slot) -> Row {
        self.tenant = slot;
        self
    }
    const fn ok(mut self, ok: u16) -> Row {
        self.ok = ok;
        self
    }
    const fn missing(mut self, missing: u16) -> Row {
        self.missing = missing;
        self
    }
    const fn unnamed(mut self, status: u16) -> Row {
        self.unnamed = status;
        self
    }
    const fn bound_ok(mut self, status: u16) -> Row {
        self.bound_ok = Some(status);
        self
    }
    const fn reveals(mut self) -> Row {
        self.reveals = true;
        self
    }
}

fn get(path: String) -> (String, Body) {
    (path, Body::None)
}

fn json(path: &str, body: Value) -> (String, Body) {
    (path.to_string(), Body::Json(body))
}

fn named(c: &Ctx) -> &'static str {
    match c.tenant {
        Some(OTHER) => OTHER,
        _ => OWN,
    }
}

/// Every route's row. The purposes, fields and recipient in bodies are the calling tenant's.
pub(super) fn rows() -> Vec<Row> {
    vec![
        row("get", "/healthz", |_| get("/healthz".into())),
        row("get", "/readyz", |_| get("/readyz".into())),
        row("get", "/metrics", |_| get("/metrics".into())),
        row("get", "/openapi.json", |_| get("/openapi.json".into())),
        row("get", "/v1/tenants", |_| get("/v1/tenants".into())),
        row("post", "/v1/manifests/check", |_| {
            ("/v1/manifests/check".into(), Body::Text(RIDE_HAILING.into()))
        }),
        row("put", "/v1/tenants/{tenant}/manifest", |c| {
            let toml = if named(c) == OWN {
                RIDE_HAILING
            } else {
                JOB_BOARD
            };
            (
                format!("/v1/tenants/{}/manifest", named(c)),
                Body::Text(toml.into()),
            )
        })
        .tenant(Slot::Path),
        row("get", "/v1/tenants/{tenant}/manifest", |c| {
            get(format!("/v1/tenants/{}/manifest", named(c)))
        })
        .tenant(Slot::Path),
        row("post", "/v1/keys", |c| match c.tenant {
            Some(t) => json("/v1/keys", json!({"role": "dpo", "tenant": t})),
            None => json("/v1/keys", json!({"role": "regulator"})),
        })
        .tenant(Slot::Optional)
        .ok(201)
        .unnamed(201),
        row("get", "/v1/keys", |_| get("/v1/keys".into())),
        row("delete", "/v1/keys/{id}", |c| {
            (format!("/v1/keys/{}", c.ids.key), Body::None)
        })
        .fresh()
        .ok(204),
        row("get", "/v1/keyring", |_| get("/v1/keyring".into())),
        row("post", "/v1/keyring/rotate", |_| {
            json("/v1/keyring/rotate", json!({"what": "epoch"}))
        }),
        row("post", "/v1/backups", |c| {
            json("/v1/backups", json!({"name": format!("b{}", c.n)}))
        })
        .ok(201),
        row("post", "/v1/subjects:batch", |_| {
            json("/v1/subjects:batch", json!({"items": [{"jurisdiction": "CN"}]}))
        }),
        row("post", "/v1/subjects:onboard", |_| {
            json("/v1/subjects:onboard", json!({"items": [{"jurisdiction": "CN"}]}))
        }),
        row("post", "/v1/subjects", |_| {
            json("/v1/subjects", json!({"jurisdiction": "CN"}))
        })
        .ok(201),
        row("post", "/v1/subjects/{subject}/consents", |c| {
            let p = format!("/v1/subjects/{}/consents", c.ids.subject);
            json(&p, json!({"purpose": "dispatch", "separate": true}))
        })
        .fresh()
        .ok(201),
        row("get", "/v1/subjects/{subject}/consents", |c| {
            get(format!("/v1/subjects/{}/consents", c.ids.subject))
        })
        .ids(),
        row("delete", "/v1/subjects/{subject}/consents/{purpose}", |c| {
            let p = format!("/v1/subjects/{}/consents/dispatch", c.ids.subject);
            (p, Body::None)
        })
        .fresh()
        .ok(204),
        row("get", "/v1/subjects/{subject}/export", |c| {
            get(format!("/v1/subjects/{}/export", c.ids.subject))
        })
        .ids()
        .reveals(),
        row("delete", "/v1/subjects/{subject}", |c| {
            (format!("/v1/subjects/{}", c.ids.subject), Body::None)
        })
        .fresh(),
        row("put", "/v1/subjects/{subject}/role", |c| {
            let p = format!("/v1/subjects/{}/role", c.ids.subject);
            json(&p, json!({"role": "passenger"}))
        })
        .fresh()
        // Registration gives the consumer role; a role once given is fixed (409), which the
        // caller reaches only for its own subject.
        .ok(409),
        row("post", "/v1/subjects/{subject}/rectify", |c| {
            let p = format!("/v1/subjects/{}/rectify", c.ids.subject);
            json(&p, json!({"token": c.ids.token, "value": "13900000000"}))
        })
        .fresh()
        .ok(204),
        row("put", "/v1/subjects/{subject}/hold", |c| {
            let p = format!("/v1/subjects/{}/hold", c.ids.subject);
            json(&p, json!({"reason": "case-7"}))
        })
        .fresh()
        .ok(204),
        row("delete", "/v1/subjects/{subject}/hold", |c| {
            (format!("/v1/subjects/{}/hold", c.ids.subject), Body::None)
        })
        .fresh()
        .ok(204),
        row("post", "/v1/retention/sweep", |_| {
            json("/v1/retention/sweep", json!({}))
        }),
        row("post", "/v1/requests", |c| {
            json(
                "/v1/requests",
                json!({"subject": c.ids.subject, "kind": "copy"}),
            )
        })
        .ids()
        .ok(201),
        row("get", "/v1/requests", |_| get("/v1/requests".into())),
        row("post", "/v1/requests/{id}/close", |c| {
            let p = format!("/v1/requests/{}/close", c.ids.request);
            json(&p, json!({"outcome": "completed"}))
        })
        .fresh(),
        row("post", "/v1/collect", |c| {
            json(
                "/v1/collect",
                json!({"subject": c.ids.subject, "purpose": "dispatch",
                "values": {"phone": "13700000000"}}),
            )
        })
        .ids(),
        row("post", "/v1/collect:batch", |c| {
            json(
                "/v1/collect:batch",
                json!({"items": [{"subject": c.ids.subject, "purpose": "dispatch",
                "values": {"phone": "13700000000"}}]}),
            )
        })
        .ids(),
        row("post", "/v1/consents:batch", |c| {
            json(
                "/v1/consents:batch",
                json!({"items": [{"subject": c.ids.subject, "purpose": "safety", "separate": true}]}),
            )
        })
        .ids(),
        row("post", "/v1/detokenize", |c| {
            json(
                "/v1/detokenize",
                json!({"purpose": "dispatch", "tokens": [c.ids.token]}),
            )
        })
        .ids(),
        row("post", "/v1/lookup", |c| {
            json(
                "/v1/lookup",
                json!({"purpose": "dispatch", "field": "phone", "value": c.ids.phone}),
            )
        })
        .ids()
        .missing(200),
        row("get", "/v1/ledger/checkpoint", |_| {
            get("/v1/ledger/checkpoint".into())
        }),
        row("get", "/v1/ledger/entries", |c| {
            get(format!("/v1/ledger/entries?from=0&to={}", c.size))
        }),
        row("get", "/v1/ledger/proofs/inclusion", |c| {
            get(format!(
                "/v1/ledger/proofs/inclusion?index={}&tree_size={}",
                c.ids.entry, c.size
            ))
        })
        .ids(),
        row("get", "/v1/ledger/proofs/consistency", |c| {
            get(format!(
                "/v1/ledger/proofs/consistency?size1=1&size2={}",
                c.size
            ))
        }),
        row("get", "/v1/ledger/stretch", |c| {
            get(format!("/v1/ledger/stretch?from=0&to={}", c.size))
        })
        // A complete stretch shows every tenant's entries: a DPO is told to ask the regulator.
        .bound_ok(400),
        row("get", "/v1/ledger/erasures/{index}", |c| {
            get(format!("/v1/ledger/erasures/{}", c.ids.erasure))
        })
        .ids(),
        row("post", "/v1/scan", |_| {
            json("/v1/scan", json!({"text": "call 13612345678"}))
        }),
        row("post", "/v1/orders", |c| {
            let mut o = order_doc(
                &format!("ord-m{}", c.n),
                OrderKind::Rectify {
                    items: vec!["notice".into()],
                    deadline: 4_102_444_800_000,
                },
            );
            o.targets = c
                .tenant
                .map(|t| TenantId::parse(t).unwrap())
                .into_iter()
                .collect();
            (
                "/v1/orders".into(),
                Body::Text(sign_doc(&test_regulator(), &o)),
            )
        })
        .tenant(Slot::Optional)
        .ok(201)
        // An order naming no tenant binds the whole cell.
        .unnamed(201),
        row("get", "/v1/orders", |_| get("/v1/orders".into())),
        row("get", "/v1/orders/{id}", |c| {
            get(format!("/v1/orders/{}", c.ids.order))
        })
        .ids(),
        row("put", "/v1/tenants/{tenant}/transfer-bases/{id}", |c| {
            let p = format!("/v1/tenants/{}/transfer-bases/scc-{}", named(c), c.n);
            json(
                &p,
                json!({"recipient": "mapco_us", "kind": "standard_contract",
                "reference": "SCC-1", "fields": ["trip_track"]}),
            )
        })
        .tenant(Slot::Path),
        row("get", "/v1/tenants/{tenant}/transfer-bases", |c| {
            get(format!("/v1/tenants/{}/transfer-bases", named(c)))
        })
        .tenant(Slot::Path),
        row("post", "/v1/transfers", |c| {
            json(
                "/v1/transfers",
                json!({"recipient": "mapco_us", "subjects": [c.ids.subject],
                "fields": ["trip_track"]}),
            )
        })
        .ids(),
        row("get", "/v1/transfers/counts", |c| match c.tenant {
            Some(t) => get(format!("/v1/transfers/counts?tenant={t}")),
            None => get("/v1/transfers/counts".into()),
        })
        .tenant(Slot::Optional),
        row("post", "/v1/egress/check", |c| {
            (
                "/v1/egress/check?recipient=mapco_us".into(),
                Body::Text(format!("token {}", c.ids.token)),
            )
        })
        .ids()
        .missing(200),
        row("post", "/v1/inspect", |c| {
            let path = match c.tenant {
                Some(t) => format!("/v1/inspect?tenant={t}"),
                None => "/v1/inspect".into(),
            };
            (path, Body::Json(json!({"log": {"entries": [{"request": {"method": "POST",
                "url": "https://api.ride.example/v1/login", "postData": {"mimeType": "application/json",
                "text": "{\"phone\": \"13612345678\"}"}}}]}})))
        })
        // Naming no tenant, the regulator must name an app type instead.
        .tenant(Slot::Optional),
        row("get", "/v1/reports/{tenant}", |c| {
            get(format!("/v1/reports/{}", named(c)))
        })
        .tenant(Slot::Path),
        row("get", "/v1/session", |_| get("/v1/session".into())),
        row("post", "/v1/receive", |_| {
            json(
                "/v1/receive",
                json!({"from": "SG", "subjects": [{"subject": "s1",
                "values": {"phone": ["13600000000"]},
                "receipt": {"index": 0, "checkpoint": "x", "nonce": "n",
                    "inclusion": {"type": "inclusion", "index": 0, "tree_size": 1, "leaf_hash":
                        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "proof": []}}}]}),
            )
        }),
    ]
}
