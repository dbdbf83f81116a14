//! The report as one self-contained HTML page for a person: summary, findings by severity,
//! a table per endpoint. No script, no external resource; every string escaped.

use std::fmt::Write;

use crate::report::{Report, Severity};

/// `s` escaped for HTML text and quoted attributes (the one escaping the project's pages use).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a}\
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}\
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e3e3;vertical-align:top}th{background:#f3f3f3}\
.high{color:#fff;background:#a4161a}.medium{color:#1a1a1a;background:#f2c94c}.info{color:#1a1a1a;background:#dfe7ef}\
.sev{padding:.05rem .4rem;border-radius:.3rem;font-size:.85rem;white-space:nowrap}code{font-size:.9rem}\
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:.4rem;padding:.5rem 1rem;min-width:9rem}\
.card b{display:block;font-size:1.5rem}";

fn sev(s: Severity) -> String {
    format!("<span class=\"sev {0}\">{0}</span>", s.as_str())
}

/// Renders `r`.
pub fn render(r: &Report) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>What the app collects — Custodian inspect</title>\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>{STYLE}</style></head><body>\
<h1>What the app collects</h1><p>App type: <b>{}</b>{}. {} exchanges read. First-party hosts: <code>{}</code>{}.</p>",
        esc(&r.app_type_name),
        r.organisation
            .as_deref()
            .map(|o| format!(", organisation <code>{}</code>", esc(o)))
            .unwrap_or_default(),
        r.exchanges,
        esc(&r.first_party_hosts.join(", ")),
        if r.first_party_inferred {
            " (inferred from the busiest host: give them with <code>--first-party-hosts</code>)"
        } else {
            ""
        },
    );
    let _ = write!(
        h,
        "<p>Consent call: {}</p>",
        match &r.consent {
            Some(c) => format!("<code>{}</code> (exchange {})", esc(&c.call), c.exchange),
            None =>
                "not seen in this capture (nothing can be judged as sent before consent)".into(),
        }
    );
    h.push_str("<h2>Summary</h2><div class=\"cards\">");
    for s in ["high", "medium", "info"] {
        let n = r.summary.by_severity.get(s).copied().unwrap_or(0);
        let _ = write!(
            h,
            "<div class=\"card\"><span class=\"sev {s}\">{s}</span><b>{n}</b>fields</div>"
        );
    }
    let _ = write!(
        h,
        "<div class=\"card\">endpoints<b>{}</b></div><div class=\"card\">values found<b>{}</b></div></div>",
        r.summary.endpoints, r.summary.occurrences
    );
    h.push_str("<h2>Findings by severity</h2>");
    for level in [Severity::High, Severity::Medium] {
        let rows: Vec<_> = r
            .endpoints
            .iter()
            .flat_map(|e| e.fields.iter().map(move |f| (e, f)))
            .filter(|(_, f)| f.severity == level)
            .collect();
        let _ = write!(h, "<h3>{} ({})</h3>", sev(level), rows.len());
        if rows.is_empty() {
            h.push_str("<p>None.</p>");
            continue;
        }
        h.push_str("<table><tr><th>Endpoint</th><th>Where</th><th>Type</th><th>Example (masked)</th><th>Why</th></tr>");
        for (e, f) in rows {
            let why: Vec<&str> = f
                .verdicts
                .iter()
                .filter(|v| v.severity() == level)
                .map(|v| v.explain())
                .collect();
            let _ = write!(
                h,
                "<tr><td><code>{} {}{}</code></td><td>{} <code>{}</code></td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                esc(&e.method),
                esc(&e.host),
                esc(&e.template),
                f.location,
                esc(&f.name),
                f.pi_type,
                esc(&f.example),
                esc(&why.join("; "))
            );
        }
        h.push_str("</table>");
    }
    h.push_str("<h2>Verdicts and hosts</h2><table><tr><th>Verdict</th><th>Fields</th></tr>");
    for (v, n) in &r.summary.by_verdict {
        let _ = write!(h, "<tr><td>{}</td><td>{n}</td></tr>", esc(v));
    }
    h.push_str(
        "</table><h3>Hosts</h3><table><tr><th>Host</th><th>Requests</th><th>Party</th></tr>",
    );
    for host in &r.summary.hosts {
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            esc(&host.host),
            host.requests,
            if host.first_party { "first" } else { "third" }
        );
    }
    h.push_str("</table>");
    h.push_str("<h2>Endpoints</h2>");
    for e in &r.endpoints {
        let _ = write!(
            h,
            "<h3><code>{} {}{}</code> {}</h3><p>{} request(s), {} party.</p>",
            esc(&e.method),
            esc(&e.host),
            esc(&e.template),
            e.severity.map(sev).unwrap_or_default(),
            e.requests,
            if e.first_party { "first" } else { "third" }
        );
        if e.fields.is_empty() {
            h.push_str("<p>No PI found.</p>");
            continue;
        }
        h.push_str("<table><tr><th>Where</th><th>Name</th><th>Type</th><th>Count</th><th>Example (masked)</th><th>Verdicts</th></tr>");
        for f in &e.fields {
            let v: Vec<&str> = f.verdicts.iter().map(|v| v.as_str()).collect();
            let _ = write!(
                h,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{} {}</td></tr>",
                f.location,
                esc(&f.name),
                f.pi_type,
                f.count,
                esc(&f.example),
                sev(f.severity),
                esc(&v.join(", "))
            );
        }
        h.push_str("</table>");
    }
    h.push_str("<p><small>Custodian inspect, report schema <code>custodian.inspect/1</code>. Values are shown masked only.</small></p></body></html>\n");
    h
}
