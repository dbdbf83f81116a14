//! `custodian order verify`: a signed order checked offline against the regulator's key, from
//! its note file or from the JSON the API lists it in; another key or a changed byte fails.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use common::{cli, stdout};

#[test]
fn an_order_verifies_offline_against_its_regulators_key_only() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    let keygen = |name: &str, out: &str| {
        let o = cli(&["order", "keygen", "--name", name, "--out", out]);
        assert!(o.status.success());
        stdout(&o).trim().to_string()
    };
    let vkey = keygen("cac.gov.cn/orders", &p("reg.key"));
    let other = keygen("cac.gov.cn/orders", &p("other.key"));
    let o = cli(&[
        "order",
        "new",
        "--kind",
        "suspend_registration",
        "--issuer",
        "CAC",
        "--organisation",
        "91110108MA01R0DE0N",
        "--reason",
        "review",
        "--legal-basis",
        "Cybersecurity Review Measures",
        "--id",
        "cac-9",
        "--out",
        &p("o.json"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = cli(&["order", "sign", "--key", &p("reg.key"), &p("o.json")]);
    assert!(o.status.success());
    let o = cli(&["order", "verify", "--key", &vkey, &p("o.note")]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("ok: order cac-9 (suspend_registration) signed by cac.gov.cn/orders+")
    );
    let note = std::fs::read_to_string(p("o.note")).unwrap();
    std::fs::write(
        p("listed.json"),
        serde_json::json!({"note": note}).to_string(),
    )
    .unwrap();
    assert!(
        cli(&["order", "verify", "--key", &vkey, &p("listed.json")])
            .status
            .success()
    );
    let o = cli(&["order", "verify", "--key", &other, &p("o.note")]);
    assert_eq!(o.status.code(), Some(1), "another key: {}", stdout(&o));
    std::fs::write(p("bad.note"), note.replace("cac-9", "cac-8")).unwrap();
    let o = cli(&["order", "verify", "--key", &vkey, &p("bad.note")]);
    assert_eq!(o.status.code(), Some(1), "a changed byte: {}", stdout(&o));
    let o = cli(&[
        "order",
        "new",
        "--kind",
        "suspend_registration",
        "--issuer",
        "CAC",
        "--organisation",
        "91110108MA01R0DE0X",
        "--reason",
        "r",
        "--legal-basis",
        "b",
        "--out",
        &p("x.json"),
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an invalid organisation code is refused"
    );
}
