//! `custodian import` against a real `custodian serve`: CSV, NDJSON and PostgreSQL sources,
//! refused rows reported without their values, a write-back that maps each row to its subject
//! and tokens, a kill -9 in the middle and a resumed import with no duplicate, and bad input
//! refused before anything is done.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};

use common::{MAPPING, import, phone, serve, stored, tenant};
use serde_json::Value;

/// The write-back's lines, by row.
fn written(out: &Path) -> BTreeMap<u64, Value> {
    written_upto(out, u64::MAX)
}

/// The write-back's lines in its first `bytes` (what its state holds: a killed import may have
/// written more, up to a torn line, which a resumed import cuts off).
fn written_upto(out: &Path, bytes: u64) -> BTreeMap<u64, Value> {
    let all = std::fs::read(out).unwrap();
    let end = all.len().min(usize::try_from(bytes).unwrap());
    let text = std::str::from_utf8(&all[..end]).unwrap();
    let mut rows = BTreeMap::new();
    for l in text.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        let row = v["row"].as_u64().unwrap();
        assert!(rows.insert(row, v).is_none(), "row {row} written twice");
    }
    rows
}

#[test]
fn csv_rows_become_subjects_and_tokens_and_refusals_name_no_value() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut srv = serve(&data, &[], &[]);
    let (svc, _) = tenant(&srv);
    let mut csv = Vec::from("user_id,mobile,safety_ok,contact\n");
    for i in 1..=1200u64 {
        let mobile = match i {
            // A value that is not a phone number: the collect is refused for that row.
            7 => "not-a-phone-8817".to_string(),
            _ => phone(i),
        };
        let key = match i {
            11 => String::new(),     // no key
            12 => "u10".to_string(), // the key of row 10 again
            _ => format!("u{i}"),
        };
        // Every third row consents to `safety` and gives an emergency contact; row 20 gives
        // one without the consent, and its collect for `safety` is refused.
        let consents = i % 3 == 0;
        let contact = if consents || i == 20 {
            phone(50_000 + i)
        } else {
            String::new()
        };
        let ok = if consents { "yes" } else { "no" };
        csv.extend_from_slice(format!("{key},{mobile},{ok},{contact}\n").as_bytes());
    }
    csv.extend_from_slice(b"u1201,\xff\xfe,no,\n");
    let src = dir.path().join("users.csv");
    std::fs::write(&src, &csv).unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(&map, format!("{MAPPING}\n[[collect]]\npurpose = \"safety\"\nfields = {{ emergency_contact = \"contact\" }}\n")).unwrap();
    let out = dir.path().join("out.ndjson");
    let o = import(
        &srv,
        &svc,
        &[
            "--mapping",
            map.to_str().unwrap(),
            "--csv",
            src.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--batch",
            "100",
        ],
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(o.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("1201 rows, 1196 imported, 5 with a refusal"),
        "{stdout}"
    );
    for line in [
        "read bad_row: 1 row (row 1201): a cell is not UTF-8",
        "read duplicate_key: 1 row (row 12)",
        "read no_key: 1 row (row 11)",
        "collect dispatch value_invalid: 1 row (row 7)",
        "collect safety consent_missing: 1 row (row 20)",
    ] {
        assert!(stdout.contains(line), "{line}: {stdout}");
    }
    assert!(stdout.contains("collect dispatch"), "{stdout}");
    assert!(stdout.contains("collect safety"), "{stdout}");
    assert!(
        !out.with_extension("ndjson.state").exists(),
        "a finished import leaves no state"
    );

    let rows = written(&out);
    assert_eq!(rows.len(), 1201);
    assert_eq!(
        rows.keys().copied().collect::<Vec<_>>(),
        (1..=1201).collect::<Vec<_>>()
    );
    let subjects: BTreeSet<&str> = rows
        .values()
        .filter_map(|v| v["subject"].as_str())
        .collect();
    assert_eq!(subjects.len(), 1198, "one subject a readable, keyed row");
    assert!(rows[&7]["tokens"].as_object().unwrap().is_empty());
    assert_eq!(rows[&7]["refused"][0]["step"], "collect dispatch");
    assert_eq!(
        rows[&12]["refused"][0]["message"],
        "the key is on an earlier row too"
    );
    // A token read back is the row's number.
    let token = rows[&5]["tokens"]["phone"].as_str().unwrap();
    let (st, v) = common::reads(&srv, &svc, token);
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["values"][0]["value"], phone(5), "{v}");
    // Consent went only to the rows that said yes: row 3's contact was collected, row 20's not.
    assert!(rows[&3]["tokens"]["emergency_contact"].is_string());
    assert_eq!(rows[&20]["refused"][0]["step"], "collect safety");
    assert!(
        rows[&20]["tokens"]["phone"].is_string(),
        "row 20's phone is in"
    );

    // No value of the source in the write-back or the report.
    let written_bytes = std::fs::read(&out).unwrap();
    for i in [1u64, 5, 600, 1200] {
        let p = phone(i);
        assert!(
            memchr::memmem::find(&written_bytes, p.as_bytes()).is_none(),
            "{p} in the write-back"
        );
        assert!(
            !stdout.contains(&p) && !stderr.contains(&p),
            "{p} in the output"
        );
    }
    assert!(
        !stdout.contains("not-a-phone")
            && !String::from_utf8_lossy(&written_bytes).contains("not-a-phone")
    );

    // Running the finished import again is refused: its write-back is there.
    let again = import(
        &srv,
        &svc,
        &[
            "--mapping",
            map.to_str().unwrap(),
            "--csv",
            src.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("choose another --out"));
    let _ = srv.child.kill();
    let _ = srv.child.wait();
    // 1,198 phones but row 7's, and 399 contacts (every third row but row 12).
    assert_eq!(stored(&data), (1198, 1197 + 399));
}

#[test]
fn a_killed_import_resumes_without_loss_or_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut srv = serve(&data, &[], &[]);
    let (svc, _) = tenant(&srv);
    let n = 20_000u64;
    let mut csv = String::from("user_id,mobile,safety_ok\n");
    for i in 1..=n {
        csv.push_str(&format!("u{i},{},yes\n", phone(i)));
    }
    let src = dir.path().join("users.csv");
    std::fs::write(&src, &csv).unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(&map, MAPPING).unwrap();
    let out = dir.path().join("out.ndjson");
    let state = dir.path().join("out.ndjson.state");
    let args = [
        "--mapping",
        map.to_str().unwrap(),
        "--csv",
        src.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--batch",
        "250",
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(["import", "--url", &srv.url, "--api-key", &svc])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once it has acknowledged some rows, in the middle of its work.
    let acked = loop {
        let s: Option<Value> = std::fs::read(&state)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        if let Some(rows) = s.and_then(|s| s["rows"].as_u64()).filter(|r| *r >= 2000) {
            break rows;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it was killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(acked < n, "killed before the end");
    let s: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    let held = s["rows"].as_u64().unwrap();
    let before = written_upto(&out, s["bytes"].as_u64().unwrap());
    assert!(held >= acked, "no acknowledged row lost");
    for r in 1..=held {
        assert!(
            before[&r]["subject"].is_string(),
            "row {r} acknowledged with its subject"
        );
    }

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
    let after = written(&out);
    assert_eq!(after.len() as u64, n);
    for r in 1..=held {
        assert_eq!(
            after[&r], before[&r],
            "row {r} kept what it was acknowledged with"
        );
    }
    let subjects: BTreeSet<&str> = after
        .values()
        .map(|v| v["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects.len() as u64, n, "one subject a row");
    let _ = srv.child.kill();
    let _ = srv.child.wait();
    assert_eq!(
        stored(&data),
        (n as i64, n as i64),
        "nobody registered and no value collected twice"
    );
}

#[test]
fn ndjson_and_postgres_sources() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let srv = serve(&data, &[], &[]);
    let (svc, _) = tenant(&srv);
    let map = dir.path().join("map.toml");
    std::fs::write(&map, MAPPING).unwrap();

    let mut nd = String::new();
    for i in 1..=40u64 {
        nd.push_str(&format!(
            "{{\"user_id\": {i}, \"mobile\": \"{}\", \"safety_ok\": true}}\n",
            phone(i)
        ));
    }
    nd.push_str("[1, 2]\n\n{\"user_id\": 41, \"mobile\": {\"nested\": 1}}\n");
    let src = dir.path().join("users.ndjson");
    std::fs::write(&src, nd).unwrap();
    let out = dir.path().join("out.csv");
    let o = import(
        &srv,
        &svc,
        &[
            "--mapping",
            map.to_str().unwrap(),
            "--ndjson",
            src.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("42 rows, 40 imported, 2 with a refusal"),
        "{stdout}"
    );
    let mut r = csv::Reader::from_path(&out).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        ["row", "key", "subject", "phone", "refused"]
    );
    let recs: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), 42);
    assert_eq!(&recs[0][1], "1");
    assert!(recs[0][2].starts_with("sub_") && !recs[0][3].is_empty());
    assert!(recs[41][4].contains("read: bad_row"), "{:?}", &recs[41]);

    // A PostgreSQL table read with a query.
    let url = common::fresh_pg_db();
    common::pg_admin(
        &url,
        "CREATE TABLE users(id bigint PRIMARY KEY, mobile text, opted boolean); \
         INSERT INTO users SELECT g, '139' || lpad((10000000 + g)::text, 8, '0'), g % 2 = 0 \
         FROM generate_series(1, 3000) g;",
    );
    let out = dir.path().join("pg.ndjson");
    let pg_map = dir.path().join("pg.toml");
    std::fs::write(
        &pg_map,
        MAPPING
            .replace("riders-test", "riders-pg")
            .replace("\"user_id\"", "\"id\"")
            .replace("safety_ok", "opted"),
    )
    .unwrap();
    let o = import(
        &srv,
        &svc,
        &[
            "--mapping",
            pg_map.to_str().unwrap(),
            "--postgres",
            &url,
            "--query",
            "SELECT id, mobile, opted FROM users ORDER BY id",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("3000 rows, 3000 imported, 0 with a refusal"),
        "{stdout}"
    );
    let rows = written(&out);
    assert_eq!(rows[&3000]["key"], "3000");
    let token = rows[&17]["tokens"]["phone"].as_str().unwrap();
    let (st, v) = common::reads(&srv, &svc, token);
    assert_eq!(
        (st, v["values"][0]["value"].as_str().unwrap()),
        (200, phone(17).as_str())
    );
}

#[test]
fn bad_imports_are_refused_before_anything_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut srv = serve(&data, &[], &[]);
    let (svc, dpo) = tenant(&srv);
    let src = dir.path().join("users.csv");
    std::fs::write(
        &src,
        format!("user_id,mobile,safety_ok\nu1,{},yes\n", phone(1)),
    )
    .unwrap();
    let out = dir.path().join("out.ndjson");
    let run = |mapping: &str, key: &str| {
        let map = dir.path().join("m.toml");
        std::fs::write(&map, mapping).unwrap();
        let o = import(
            &srv,
            key,
            &[
                "--mapping",
                map.to_str().unwrap(),
                "--csv",
                src.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        );
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    for (mapping, says) in [
        (
            MAPPING.replace("mobile", "cellphone"),
            "has no column `cellphone`",
        ),
        (
            MAPPING.replace("name = \"riders-test\"\n", ""),
            "missing field `name`",
        ),
        (
            MAPPING.replace(
                "jurisdiction = \"CN\"",
                "jurisdiction_column = \"x\"\njurisdiction = \"CN\"",
            ),
            "give one of",
        ),
        (
            MAPPING.replace("phone = \"mobile\"", "phone = \"user_id\""),
            "also collected",
        ),
        (format!("{MAPPING}\nsurprise = 1\n"), "unknown field"),
    ] {
        let (code, err) = run(&mapping, &svc);
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains(says), "{says}: {err}");
        assert!(!out.exists(), "nothing written for a bad mapping");
    }
    // A DPO key cannot register subjects: the import stops at once, resumable, nobody made.
    let (code, err) = run(MAPPING, &dpo);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("registering subjects") && err.contains("run the same command again"),
        "{err}"
    );
    // Resuming with another mapping is refused.
    let (code, err) = run(
        &MAPPING.replace("[[consent]]", "[[consent]]\nseparate = true"),
        &svc,
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("another mapping"), "{err}");
    // A state left by an import that sent each step alone (other idempotency keys) is not
    // resumed by this one: it would register its in-flight rows again.
    let state = out.with_extension("ndjson.state");
    let kept = std::fs::read(&state).unwrap();
    let mut old: Value = serde_json::from_slice(&kept).unwrap();
    old.as_object_mut().unwrap().remove("protocol").unwrap();
    std::fs::write(&state, serde_json::to_vec(&old).unwrap()).unwrap();
    let (code, err) = run(MAPPING, &svc);
    assert_eq!(code, Some(2));
    assert!(err.contains("an earlier version"), "{err}");
    std::fs::write(&state, kept).unwrap();
    // An out file that is not an import's is never overwritten.
    let other = dir.path().join("precious.ndjson");
    std::fs::write(&other, "keep me").unwrap();
    let map = dir.path().join("m.toml");
    std::fs::write(&map, MAPPING).unwrap();
    let o = import(
        &srv,
        &svc,
        &[
            "--mapping",
            map.to_str().unwrap(),
            "--csv",
            src.to_str().unwrap(),
            "--out",
            other.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep me");
    let _ = srv.child.kill();
    let _ = srv.child.wait();
    assert_eq!(stored(&data), (0, 0), "nobody was registered");
}

#[test]
fn a_row_with_a_bad_jurisdiction_or_role_is_refused_alone() {
    let dir = tempfile::tempdir().unwrap();
    let srv = serve(&dir.path().join("data"), &[], &[]);
    let (svc, _) = tenant(&srv);
    let src = dir.path().join("users.csv");
    std::fs::write(
        &src,
        format!(
            "user_id,mobile,country,kind\nu1,{},CN,passenger\nu2,{},china,passenger\nu3,{},CN,not a role\nu4,{},CN,passenger\n",
            phone(1),
            phone(2),
            phone(3),
            phone(4)
        ),
    )
    .unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(
        &map,
        MAPPING
            .replace("jurisdiction = \"CN\"", "jurisdiction_column = \"country\"")
            .replace("role = \"passenger\"", "role_column = \"kind\"")
            .replace(
                "[[consent]]\npurpose = \"safety\"\nwhen = \"safety_ok\"\n",
                "",
            ),
    )
    .unwrap();
    let out = dir.path().join("out.ndjson");
    let o = import(
        &srv,
        &svc,
        &[
            "--mapping",
            map.to_str().unwrap(),
            "--csv",
            src.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let rows = written(&out);
    assert!(rows[&1]["subject"].is_string() && rows[&4]["subject"].is_string());
    assert_eq!(
        rows[&2]["refused"][0]["code"], "bad_jurisdiction",
        "{stdout}"
    );
    assert_eq!(rows[&3]["refused"][0]["code"], "bad_role", "{stdout}");
    assert!(
        stdout.contains("4 rows, 2 imported, 2 with a refusal"),
        "{stdout}"
    );
}
