//! What the PostgreSQL tests share: the test server's URL (never optional: without it the
//! tests fail), admin statements on it, and fresh databases.
pub const URL_VAR: &str = "CUSTODIAN_TEST_DATABASE_URL";
pub const CHILD_VAR: &str = "CUSTODIAN_TEST_PG_CHILD_URL";
/// The KEK file the child processes share (processes serving one cell share its key holder).
pub const CHILD_KEK_VAR: &str = "CUSTODIAN_TEST_PG_CHILD_KEK";

pub fn base_url() -> String {
    std::env::var(URL_VAR).unwrap_or_else(|_| {
        panic!(
            "{URL_VAR} is not set: run the tests with scripts/test, which starts PostgreSQL \
             (or start one with scripts/postgres start and export {URL_VAR})"
        )
    })
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Runs `sql` statements on the database at `url`.
pub fn admin_on(url: &str, sql: &str) {
    let (url, sql) = (url.to_string(), sql.to_string());
    runtime().block_on(async move {
        let (c, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .expect("connect to the test server");
        tokio::spawn(conn);
        c.batch_execute(&sql).await.expect("statements");
    });
}

/// Runs `sql` statements on the base database.
pub fn admin(sql: &str) -> Vec<tokio_postgres::Row> {
    let url = base_url();
    let sql = sql.to_string();
    runtime().block_on(async move {
        let (c, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .expect("connect to the test server");
        tokio::spawn(conn);
        c.query(&sql, &[]).await.expect("admin query")
    })
}

/// A new empty database; its URL.
pub fn fresh_db() -> String {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!("ctest_{}_{n}_{nanos}", std::process::id());
    admin(&format!("CREATE DATABASE {name}"));
    let base = base_url();
    let (prefix, _) = base.rsplit_once('/').expect("URL has a database name");
    format!("{prefix}/{name}")
}

/// Every text and binary value in every table of `url`, as text.
pub fn all_rows(url: &str) -> String {
    let url = url.to_string();
    runtime().block_on(async move {
        let (c, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        let tables = c
            .query(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables
                 WHERE table_schema IN ('public', 'custodian_keys')",
                &[],
            )
            .await
            .unwrap();
        assert!(tables.len() >= 10, "all tables found");
        let mut out = String::new();
        for t in tables {
            let name: String = t.get(0);
            // bytea renders as hex: also decode it, so plaintext bytes would show.
            for r in c
                .query(&format!("SELECT row_to_json(x)::text FROM {name} x"), &[])
                .await
                .unwrap()
            {
                let s: String = r.get(0);
                for hex in s.split("\\\\x").skip(1) {
                    let h: String = hex.chars().take_while(char::is_ascii_hexdigit).collect();
                    let bytes: Vec<u8> = (0..h.len() / 2)
                        .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap())
                        .collect();
                    out.push_str(&String::from_utf8_lossy(&bytes));
                }
                out.push_str(&s);
                out.push('\n');
            }
        }
        out
    })
}
