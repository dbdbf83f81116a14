//! `custodian report` against a running cell: the DPO's report as JSON and as HTML, the page
//! rendered in headless Chromium (a screenshot for a person, the sections checked in the
//! browser's DOM); another tenant's report refused with a clear error.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use serde_json::Value;

#[test]
fn the_dpo_reads_the_report_as_json_and_html() {
    let data = tempfile::tempdir().unwrap();
    let srv = common::serve(data.path(), &[], &[]);
    let (svc, dpo) = common::tenant(&srv);
    common::subject(&srv, &svc, "13812345678");
    common::subject(&srv, &svc, "13912345678");
    let json = data.path().join("report.json");
    let o = common::cli(&[
        "report",
        "--url",
        &srv.url,
        "--api-key",
        &dpo,
        "--tenant",
        "ride",
        "-o",
        json.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(&json).unwrap();
    let r: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(r["subjects"]["live"], 2);
    assert!(!text.contains("13812345678"));
    let html = data.path().join("report.html");
    let o = common::cli(&[
        "report",
        "--url",
        &srv.url,
        "--api-key",
        &dpo,
        "--tenant",
        "ride",
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let (_, dom) = common::render_in_chromium(&html, "compliance-report");
    for h in [
        "Compliance report: ride",
        "Subjects",
        "Consent coverage",
        "Regulator orders",
        "Transfers abroad",
        "PIA triggers",
        "The July 2022 decision, fact by fact",
        "Inventory",
        "Signed checkpoint",
    ] {
        assert!(dom.contains(h), "{h} rendered");
    }
    // Another tenant: refused, said clearly, exit 2.
    let o = common::cli(&[
        "report",
        "--url",
        &srv.url,
        "--api-key",
        &dpo,
        "--tenant",
        "jobs",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("403 forbidden"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
