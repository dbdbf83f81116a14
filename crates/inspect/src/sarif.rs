//! The report as SARIF 2.1.0: one rule per verdict above `info`, one result per field and
//! verdict, located in the capture file by a logical location (the endpoint and field).

use serde_json::{Value, json};

use crate::report::{Report, Severity, Verdict};

const RULES: &[Verdict] = &[
    Verdict::ThirdParty,
    Verdict::BeforeConsent,
    Verdict::Undeclared,
    Verdict::SensitiveWithoutSeparateConsent,
    Verdict::DeclaredBeyondNecessary,
    Verdict::BeyondNecessary,
];

/// Renders `r`; `artifact` names the capture.
pub fn render(r: &Report, artifact: &str) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|v| {
            json!({
                "id": v.as_str(),
                "shortDescription": {"text": v.explain()},
                "defaultConfiguration": {"level": level(v.severity())},
            })
        })
        .collect();
    let mut results = Vec::new();
    for e in &r.endpoints {
        for f in &e.fields {
            for v in f.verdicts.iter().filter(|v| v.severity() != Severity::Info) {
                results.push(json!({
                    "ruleId": v.as_str(),
                    "level": level(v.severity()),
                    "message": {"text": format!(
                        "{} {}{}: {} `{}` carries {} ({} time(s), e.g. {}): {}",
                        e.method, e.host, e.template, f.location, f.name, f.pi_type, f.count, f.example, v.explain()
                    )},
                    "locations": [{
                        "physicalLocation": {"artifactLocation": {"uri": artifact}},
                        "logicalLocations": [{
                            "fullyQualifiedName": format!("{} {}{}#{}:{}", e.method, e.host, e.template, f.location, f.name),
                            "kind": "member",
                        }],
                    }],
                    "properties": {"piType": f.pi_type, "count": f.count, "appType": r.app_type},
                }));
            }
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "custodian inspect",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Info => "note",
    }
}
