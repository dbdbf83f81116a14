//! TLS to PostgreSQL against the test cluster `scripts/test` starts with TLS on: its
//! certificate, signed by a CA the script makes (`CUSTODIAN_TEST_PG_CA`), names IP 127.0.0.1
//! and `db.custodian.test`, not `localhost`. Each `sslmode` does what libpq's does, a wrong
//! host name or CA is refused, and bad settings fail clearly. Never skipped: without the
//! variables these tests fail.
#![expect(clippy::unwrap_used, clippy::panic, reason = "tests fail loudly")]

use custodian_core::Store;
use custodian_store::PgStore;
use custodian_store::postgres::Tls;

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: run the tests with scripts/test, which starts PostgreSQL with TLS \
             (or export what scripts/postgres start prints)"
        )
    })
}

/// `postgres://user@host:port/db` of the test cluster, as (user@, host, port, /db).
fn parts() -> (String, String, String) {
    let url = var("CUSTODIAN_TEST_DATABASE_URL");
    let rest = url.strip_prefix("postgres://").unwrap();
    let (user, rest) = rest.split_once('@').unwrap();
    let (hostport, db) = rest.split_once('/').unwrap();
    let (_, port) = hostport.rsplit_once(':').unwrap();
    (user.to_string(), port.to_string(), db.to_string())
}

fn url(host: &str, query: &str) -> String {
    let (user, port, db) = parts();
    format!("postgres://{user}@{host}:{port}/{db}?{query}")
}

fn ca() -> String {
    var("CUSTODIAN_TEST_PG_CA")
}

fn open_err(url: &str) -> String {
    match PgStore::open(url) {
        Ok(_) => panic!("{url} opened"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn verify_full_checks_the_chain_and_the_name() {
    let s = PgStore::open(&url(
        "127.0.0.1",
        &format!("sslmode=verify-full&sslrootcert={}", ca()),
    ))
    .unwrap();
    assert_eq!(s.tls(), Tls::VerifyFull);
    assert!(
        s.tls_in_use().unwrap(),
        "the server says the session is TLS"
    );
    s.ping().unwrap();
    drop(s);
    // The name the certificate gives, reached at its address.
    let s = PgStore::open(&url(
        "db.custodian.test",
        &format!(
            "hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={}",
            ca()
        ),
    ))
    .unwrap();
    assert!(s.tls_in_use().unwrap());
}

#[test]
fn verify_full_refuses_a_host_the_certificate_does_not_name() {
    let e = open_err(&url(
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={}", ca()),
    ));
    assert!(e.contains("not valid for name"), "{e}");
    let e = open_err(&url(
        "wrong.custodian.test",
        &format!(
            "hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={}",
            ca()
        ),
    ));
    assert!(e.contains("not valid for name"), "{e}");
}

#[test]
fn verify_ca_checks_the_chain_only() {
    let s = PgStore::open(&url(
        "localhost",
        &format!("sslmode=verify-ca&sslrootcert={}", ca()),
    ))
    .unwrap();
    assert!(s.tls_in_use().unwrap());
    // Another CA's certificate file: the chain does not hold.
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other-ca.crt");
    let made = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=Another CA", "-keyout"])
        .arg(dir.path().join("other-ca.key"))
        .arg("-out")
        .arg(&other)
        .output()
        .unwrap();
    assert!(made.status.success());
    let other = other.to_str().unwrap();
    for mode in ["verify-ca", "verify-full", "require"] {
        let e = open_err(&url(
            "127.0.0.1",
            &format!("sslmode={mode}&sslrootcert={other}"),
        ));
        assert!(
            e.contains("UnknownIssuer") || e.contains("unknown issuer"),
            "{mode}: {e}"
        );
    }
}

#[test]
fn require_prefer_and_disable() {
    let s = PgStore::open(&url("127.0.0.1", "sslmode=require")).unwrap();
    assert_eq!(s.tls(), Tls::Require);
    assert!(s.tls_in_use().unwrap(), "require: TLS, unchecked");
    drop(s);
    let s = PgStore::open(&url("127.0.0.1", "")).unwrap();
    assert_eq!(s.tls(), Tls::Prefer, "libpq's default");
    assert!(s.tls_in_use().unwrap(), "offered, so taken");
    drop(s);
    let s = PgStore::open(&url("127.0.0.1", "sslmode=disable")).unwrap();
    assert!(!s.tls_in_use().unwrap());
}

#[test]
fn bad_tls_settings_fail_clearly() {
    let e = open_err(&url("127.0.0.1", "sslmode=verify-full"));
    assert!(e.contains("needs sslrootcert"), "{e}");
    let e = open_err(&url("127.0.0.1", "sslmode=always"));
    assert!(e.contains("sslmode `always`"), "{e}");
    let e = open_err(&url(
        "127.0.0.1",
        "sslmode=verify-full&sslrootcert=/nonexistent/ca.crt",
    ));
    assert!(e.contains("sslrootcert `/nonexistent/ca.crt`"), "{e}");
    let empty = tempfile::NamedTempFile::new().unwrap();
    let e = open_err(&url(
        "127.0.0.1",
        &format!("sslmode=verify-full&sslrootcert={}", empty.path().display()),
    ));
    assert!(e.contains("holds no CA certificate"), "{e}");
}
