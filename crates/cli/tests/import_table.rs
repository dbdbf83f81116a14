//! `custodian import --out-postgres URL --out-table T` against a real `custodian serve` and the
//! test PostgreSQL server: each chunk's rows commit with the import's state, a kill -9 in the
//! middle resumes with no row lost or done twice, and a finished, changed, foreign or
//! concurrently written table is refused.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use std::process::{Command, Stdio};

use common::{MAPPING, import, phone, serve, stored, tenant};
use serde_json::Value;

#[test]
fn a_table_write_back_commits_each_chunk_with_its_state() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut srv = serve(&data, &[], &[]);
    let (svc, _) = tenant(&srv);
    let n = 6_000u64;
    let mut csv = String::from("user_id,mobile,safety_ok\n");
    for i in 1..=n {
        csv.push_str(&format!("u{i},{},yes\n", phone(i)));
    }
    let src = dir.path().join("users.csv");
    std::fs::write(&src, &csv).unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(&map, MAPPING).unwrap();
    let wb = common::fresh_pg_db();
    let with_table = |table: &str| -> Vec<String> {
        [
            "--mapping",
            map.to_str().unwrap(),
            "--csv",
            src.to_str().unwrap(),
            "--out-postgres",
            &wb,
            "--out-table",
            table,
            "--batch",
            "100",
        ]
        .map(String::from)
        .to_vec()
    };
    let o = import(
        &srv,
        &svc,
        &with_table("Users;drop")
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("lower-case letters"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let args = with_table("users_wb");
    let mut child = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(["import", "--url", &srv.url, "--api-key", &svc])
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once the table holds some rows.
    let state = || -> Option<u64> {
        let there = common::pg_text(
            &wb,
            "SELECT coalesce(to_regclass('users_wb_import_state')::text, '')",
        );
        if there.is_empty() {
            return None;
        }
        let s = common::pg_text(
            &wb,
            "SELECT coalesce(max(state), '{}') FROM users_wb_import_state",
        );
        serde_json::from_str::<Value>(&s).ok()?["rows"].as_u64()
    };
    loop {
        if state().is_some_and(|r| r >= 1000) {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it was killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // A second import on the same table while the first runs is refused.
    let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
    let second = import(&srv, &svc, &args_ref);
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("another import is writing it"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let held = state().unwrap();
    assert!(held < n, "killed before the end");
    let count = || common::pg_text(&wb, "SELECT count(*)::text FROM users_wb");
    assert_eq!(
        count(),
        held.to_string(),
        "the rows commit with the state that counts them"
    );

    let args = args_ref;
    // A table changed behind the import's back is not resumed over.
    common::pg_admin(
        &wb,
        "CREATE TABLE kept AS SELECT * FROM users_wb WHERE row = 5; \
         DELETE FROM users_wb WHERE row = 5;",
    );
    let changed = import(&srv, &svc, &args);
    assert!(
        String::from_utf8_lossy(&changed.stderr).contains("it was changed since"),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    common::pg_admin(
        &wb,
        "INSERT INTO users_wb SELECT * FROM kept; DROP TABLE kept;",
    );
    let o = import(&srv, &svc, &args);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains(&format!("resuming `riders-test` after row {held}"))
    );
    assert!(
        stdout.contains(&format!("{n} rows, {n} imported, 0 with a refusal")),
        "{stdout}"
    );
    assert_eq!(count(), n.to_string());
    assert_eq!(
        common::pg_text(&wb, "SELECT count(DISTINCT subject)::text FROM users_wb"),
        n.to_string(),
        "one subject a row"
    );
    let token = common::pg_text(&wb, "SELECT tokens->>'phone' FROM users_wb WHERE row = 17");
    let (st, v) = common::reads(&srv, &svc, &token);
    assert_eq!(
        (st, v["values"][0]["value"].as_str().unwrap()),
        (200, phone(17).as_str())
    );
    // Finished: the state is gone, and running it again is refused.
    assert_eq!(state(), None);
    let again = import(&srv, &svc, &args);
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("has rows and no import in progress"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let _ = srv.child.kill();
    let _ = srv.child.wait();
    assert_eq!(stored(&data), (n as i64, n as i64), "nothing done twice");
}
