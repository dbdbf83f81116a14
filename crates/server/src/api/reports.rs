//! `GET /v1/reports/{tenant}`: the tenant's compliance report for its DPO and the regulator,
//! as JSON or as one HTML page. Its figures are recomputable from the ledger's entries up to
//! the signed checkpoint it carries.

use std::fmt::Write;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use custodian_core::ids::TenantId;
use custodian_core::vault::ComplianceReport;
use custodian_inspect::html::esc;
use serde::Deserialize;

use super::extract::{Allowed, Params, Segments, blocking, op, parse};
use crate::Shared;
use crate::error::ApiError;

/// The report's format.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct ReportQuery {
    /// `json` (default) or `html`.
    format: Option<String>,
}

#[utoipa::path(get, path = "/v1/reports/{tenant}", params(("tenant" = String, Path, description = "Tenant id"), ReportQuery), responses((status = 200, description = "The compliance report (JSON or HTML)"), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(super) async fn report(
    State(st): State<Shared>,
    a: Allowed<op::ReadReport>,
    Segments(tenant): Segments<String>,
    Params(q): Params<ReportQuery>,
) -> Result<Response, ApiError> {
    let tenant = parse(TenantId::parse(&tenant), "tenant")?;
    let scope = a.scope()?;
    if !scope.covers(&tenant) {
        return Err(a.refuse_tenant(&st, "another tenant's report").await);
    }
    let html = match q.format.as_deref() {
        None | Some("json") => false,
        Some("html") => true,
        Some(_) => return Err(ApiError::bad_request("invalid", "`format` is json or html")),
    };
    let vault = st.vault.clone();
    let r = blocking(move || vault.compliance_report(&scope, &tenant)).await?;
    Ok(if html {
        (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            render(&r),
        )
            .into_response()
    } else {
        axum::Json(r).into_response()
    })
}

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a}\
h2{margin-top:2rem;border-bottom:1px solid #ccc}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}\
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e3e3;vertical-align:top}th{background:#f3f3f3}\
.s{padding:.05rem .4rem;border-radius:.3rem;font-size:.85rem;white-space:nowrap}.applies,.flagged{background:#f2c94c}\
.prevented,.does_not_apply{background:#cfe8d5}.not_covered{background:#e3e3e3}pre{white-space:pre-wrap;font-size:.8rem;background:#f6f6f6;padding:.5rem}\
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:.4rem;padding:.5rem 1rem;min-width:9rem}.card b{display:block;font-size:1.5rem}";

fn badge(s: &str) -> String {
    format!(
        "<span class=\"s {0}\">{1}</span>",
        esc(s),
        esc(&s.replace('_', " "))
    )
}

/// The report as one page: no script, no external resource, everything escaped.
fn render(r: &ComplianceReport) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Compliance report — {t}</title><style>{STYLE}</style></head><body>\
<h1>Compliance report: {t}</h1><p>Organisation <code>{o}</code>, app type <b>{a}</b>{sd}. Computed from the ledger's first {n} entries \
(the signed checkpoint at the end of this page).</p>",
        t = esc(&r.tenant),
        o = esc(&r.organisation),
        a = esc(&r.app_type),
        sd = if r.self_declared {
            " (self-declared)"
        } else {
            ""
        },
        n = r.ledger_size
    );
    let s = &r.subjects;
    let _ = write!(
        h,
        "<h2>Subjects</h2><div class=\"cards\"><div class=\"card\">live<b>{}</b></div><div class=\"card\">registered<b>{}</b></div>\
<div class=\"card\">erased<b>{}</b></div><div class=\"card\">minors<b>{}</b></div><div class=\"card\">with sensitive PI<b>{}</b></div>\
<div class=\"card\">erasures not final (a backup still opens them){}<b>{}</b></div></div>",
        s.live,
        s.registered,
        s.erased,
        s.minors,
        s.with_sensitive,
        s.oldest_pending_erasure
            .map(|t| format!(
                ", the oldest {} h old",
                r.computed_at.saturating_sub(t) / 3_600_000
            ))
            .unwrap_or_default(),
        s.erasures_pending
    );
    h.push_str("<h2>Consent coverage</h2><table><tr><th>Purpose (consent)</th><th>Consenting</th><th>Of live subjects</th></tr>");
    for c in &r.consent_coverage {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.purpose),
            c.consenting,
            c.of
        );
    }
    h.push_str("</table><h2>Regulator orders</h2>");
    if r.orders.is_empty() {
        h.push_str("<p>None.</p>");
    } else {
        h.push_str("<table><tr><th>Order</th><th>Kind</th><th>Status</th><th>Rectify by</th></tr>");
        for o in &r.orders {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&o.id),
                o.kind,
                o.status,
                o.deadline
                    .map(|d| format!("{d} ms: {}", esc(&o.items.join(", "))))
                    .unwrap_or_default()
            );
        }
        h.push_str("</table>");
    }
    let q = &r.requests;
    let t = &r.transfers;
    let _ = write!(
        h,
        "<h2>Requests</h2><p>{} received, {} answered, <b>{} overdue</b>.</p>\
<h2>Transfers abroad</h2><p>{} subject transfers allowed, {} refused. In {}: non-sensitive PI of {} individuals \
(a standard contract from {}, a security assessment from {}), sensitive PI of {} (an assessment from {}).</p>",
        q.received,
        q.answered,
        q.overdue,
        t.allowed,
        t.refused,
        t.year,
        t.general,
        t.general_needs_contract_from,
        t.general_needs_assessment_from,
        t.sensitive,
        t.sensitive_needs_assessment_from
    );
    for (title, list) in [
        ("PIA triggers (PIPL Art. 55)", &r.pia_triggers),
        ("Obligations of scale", &r.scale),
    ] {
        let _ = write!(
            h,
            "<h2>{title}</h2><table><tr><th>Obligation</th><th>Source</th><th>Status</th><th>Evidence</th></tr>"
        );
        for o in list {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(o.obligation),
                esc(o.source),
                badge(o.status),
                esc(&o.evidence)
            );
        }
        h.push_str("</table>");
    }
    h.push_str("<h2>The July 2022 decision, fact by fact</h2><table><tr><th>Facts</th><th>Finding</th><th>Here</th><th>How</th></tr>");
    for i in &r.didi_checklist {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            i.facts,
            esc(i.finding),
            badge(i.status),
            esc(&i.how)
        );
    }
    h.push_str("</table><h2>Inventory</h2><table><tr><th>Field</th><th>Type</th><th>Sensitive</th><th>Purposes</th><th>Necessary item</th><th>Kept (days)</th></tr>");
    for f in &r.inventory.fields {
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&f.name),
            esc(&f.pi_type),
            if f.sensitive { "yes" } else { "no" },
            esc(&f.purposes.join(", ")),
            esc(f
                .necessary
                .as_deref()
                .unwrap_or("beyond the necessary scope")),
            if f.retention_days == 0 {
                "until erased".to_string()
            } else {
                f.retention_days.to_string()
            }
        );
    }
    h.push_str("</table><table><tr><th>Purpose</th><th>Lawful basis</th></tr>");
    for p in &r.inventory.purposes {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td></tr>",
            esc(&p.id),
            p.lawful_basis
        );
    }
    let _ = write!(
        h,
        "</table><h2>Signed checkpoint</h2><p>Verify the figures: fetch the entries up to this size and check them against it \
(<code>custodian ledger verify</code>).</p><pre>{}</pre></body></html>",
        esc(&r.checkpoint)
    );
    h
}
