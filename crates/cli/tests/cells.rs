//! The cell directory: a subject of another jurisdiction is refused with 421 naming the cell
//! that serves it; a bad directory stops the server clearly.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use common::{cli, serve, tenant};
use serde_json::json;

#[test]
fn a_subject_of_another_jurisdiction_is_sent_to_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("custodian.toml");
    std::fs::write(&cfg, "[cells]\nEU = \"https://eu.cell.example/\"\n").unwrap();
    let data = dir.path().join("data");
    let srv = serve(&data, &["--config", cfg.to_str().unwrap()], &[]);
    let (svc, _) = tenant(&srv);
    let (s, v) = srv.call(
        "POST",
        "/v1/subjects",
        &svc,
        Some(json!({"jurisdiction": "EU"})),
    );
    assert_eq!(
        (s, v["code"].as_str()),
        (421, Some("wrong_jurisdiction")),
        "{v}"
    );
    assert_eq!(v["cell"], "https://eu.cell.example", "{v}");
    let (s, v) = srv.call(
        "POST",
        "/v1/subjects",
        &svc,
        Some(json!({"jurisdiction": "US"})),
    );
    assert_eq!(s, 421);
    assert!(
        v.get("cell").is_none(),
        "no cell for a jurisdiction the directory lacks: {v}"
    );
    drop(srv);
    std::fs::write(&cfg, "[cells]\neu = \"https://eu.cell.example\"\n").unwrap();
    let o = cli(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        data.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("[cells] `eu`"));
}
