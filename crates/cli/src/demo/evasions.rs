//! Step 7 of the demo: the platform's operator, who runs the cell, tries to get around the
//! regulator — a new tenant for a frozen app, a move to a shell organisation, a lift signed
//! with its own key, revoking the regulator's API key — and each attempt fails.

use anyhow::Result;
use custodian_core::access::Role;
use custodian_core::orders::OrderKind;
use custodian_ledger::Signer;

use super::{Demo, order};
/// The ride-hailing organisation's unified social credit code (its example manifest's).
pub(super) const RIDE_ORG: &str = "91110108MA01R0DE0N";

/// Step 7: the platform's operator, who runs the cell, tries to get around the freeze.
pub(super) fn evasions(d: &mut Demo, admin: &str, regulator: &Signer, reg_key: &str) -> Result<()> {
    d.step(
        "7",
        "The operator tries to get around the regulator; each attempt fails",
    );
    let ride = include_str!("../../../../examples/ride_hailing.toml");
    let (s, v) = d.text("PUT", "/v1/tenants/ride-lite/manifest", admin, ride)?;
    let named = v.contains("cac-2021-07-04-ride");
    d.expect(
        "the frozen app's manifest under a new tenant id is refused, naming the order",
        "403 true",
        &format!("{s} {named}"),
    );
    let moved = ride.replace(RIDE_ORG, "91110108MA00HELL09");
    let (s, v) = d.text("PUT", "/v1/tenants/ride/manifest", admin, &moved)?;
    d.expect(
        "moving the frozen tenant to a shell organisation is refused",
        "403 true",
        &format!("{s} {}", v.contains("tenant_bound")),
    );
    let operator = Signer::generate("cac.gov.cn/orders")?;
    let lift = order(
        &operator,
        "cac-lift-by-operator",
        OrderKind::Lift {
            order: "cac-2021-07-04-ride".into(),
        },
        &[],
    )?;
    let (s, v) = d.text("POST", "/v1/orders", reg_key, &lift)?;
    d.expect(
        "a lift signed by the operator's own key under the regulator's name is refused",
        "403 true",
        &format!("{s} {}", v.contains("order_signature")),
    );
    // The operator revokes the regulator's API key.
    let (_, keys) = d.call("GET", "/v1/keys", admin, None)?;
    for k in keys.as_array().into_iter().flatten() {
        if k["role"] == Role::Regulator.as_str() {
            let id = k["id"].as_str().unwrap_or("");
            d.call("DELETE", &format!("/v1/keys/{id}"), admin, None)?;
        }
    }
    let (s, _) = d.call("GET", "/v1/orders", reg_key, None)?;
    d.expect(
        "the regulator's API key, revoked by the operator",
        "401",
        &s.to_string(),
    );
    let signed = custodian_client::Client::new(
        &d.base,
        custodian_client::Auth::Regulator {
            key: Box::new(Signer::parse(&regulator.to_skey())?),
            cell: "custodian.demo/cn/ledger".into(),
        },
    )?;
    let status = match signed.orders() {
        Ok(_) => "200".to_string(),
        Err(custodian_client::ClientError::Api { status, .. }) => status.to_string(),
        Err(e) => e.to_string(),
    };
    d.expect(
        "the regulator signs its request with its order key instead: still in",
        "200",
        &status,
    );
    Ok(())
}
