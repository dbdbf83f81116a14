//! The walk at open against the lookups it replaced, and against tables in another order.

use super::*;

/// A key table made by hand with another collation gives its rows in an order the walk
/// cannot pair by: the open is refused, not walked wrongly.
#[test]
fn a_key_table_in_another_order_stops_the_walk() {
    let d = tempfile::tempdir().unwrap();
    let conn = super::super::open_conn(d.path(), true).unwrap();
    super::super::migrate(&conn).unwrap();
    conn.execute_batch(
        "DROP TABLE keys.subject_keys;
         CREATE TABLE keys.subject_keys(tenant TEXT NOT NULL COLLATE NOCASE,
           subject TEXT NOT NULL, wrapped BLOB NOT NULL, epoch INTEGER NOT NULL DEFAULT 0,
           gen INTEGER NOT NULL DEFAULT 0, next_wrapped BLOB, next_epoch INTEGER,
           next_gen INTEGER, PRIMARY KEY (tenant, subject)) WITHOUT ROWID;
         INSERT INTO subjects(tenant, id, jurisdiction, minor, registered_at)
           VALUES ('B', 's', 'CN', 0, 1), ('a', 's', 'CN', 0, 1);
         INSERT INTO keys.subject_keys(tenant, subject, wrapped)
           VALUES ('B', 's', X'01'), ('a', 's', X'01');",
    )
    .unwrap();
    let e = survey(&conn).err().unwrap().to_string();
    assert!(e.contains("`subject_keys` do not come in the order"), "{e}");
}

/// The walk side by side finds what one lookup per row finds (the queries the open ran
/// before it), on populations where subjects and keys interleave every way: keys missing
/// in runs, keys of no subject before, between and after the subjects, erased subjects with
/// and without a key, other generations with and without their staged key, two tenants.
#[test]
fn the_walk_finds_what_lookups_find() {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for round in 0..40 {
        let d = tempfile::tempdir().unwrap();
        let conn = super::super::open_conn(d.path(), true).unwrap();
        super::super::migrate(&conn).unwrap();
        // A keyless subject whose id the next tenant's first key has.
        conn.execute_batch(
            "INSERT INTO subjects(tenant, id, jurisdiction, minor, registered_at)
               VALUES ('b', 't1', 'CN', 0, 1), ('c', 't1', 'CN', 0, 1);
             INSERT INTO keys.subject_keys(tenant, subject, wrapped) VALUES ('c', 't1', X'01');",
        )
        .unwrap();
        let size = 1 + next(if round < 20 { 8 } else { 150 });
        for i in 0..size {
            let tenant = if next(3) == 0 { "a" } else { "b" };
            let id = format!("s{:03}", next(60));
            let erased = next(5) == 0;
            let key_gen = next(3) as i64;
            conn.execute(
                "INSERT OR IGNORE INTO subjects(tenant, id, jurisdiction, minor, registered_at,
                   erased, key_gen, hold_reason) VALUES (?1, ?2, 'CN', 0, 1, ?3, ?4, ?5)",
                params![tenant, id, erased, key_gen, (i % 7 == 0).then_some("court")],
            )
            .unwrap();
            // A key for most; of its generation mostly; staged now and then.
            let key = next(6);
            if key > 0 {
                let generation = if key == 1 { key_gen + 1 } else { key_gen };
                let staged = next(4) == 0;
                let next_gen = if next(2) == 0 { key_gen } else { key_gen + 2 };
                conn.execute(
                    "INSERT OR IGNORE INTO keys.subject_keys(tenant, subject, wrapped, gen,
                       next_wrapped, next_epoch, next_gen) VALUES (?1, ?2, X'01', ?3, ?4, ?5, ?6)",
                    params![
                        tenant,
                        id,
                        generation,
                        staged.then_some(vec![2u8]),
                        staged.then_some(0),
                        staged.then_some(next_gen)
                    ],
                )
                .unwrap();
            }
            // Keys of no subject.
            if next(10) == 0 {
                let orphan = format!("s{:03}{}", next(60), ["", "x", "~"][next(3) as usize]);
                conn.execute(
                    "INSERT OR IGNORE INTO keys.subject_keys(tenant, subject, wrapped,
                       next_wrapped) VALUES (?1, ?2, X'01', ?3)",
                    params![
                        ["a", "b", "c", "0"][next(4) as usize],
                        orphan,
                        (next(2) == 0).then_some(vec![3u8])
                    ],
                )
                .unwrap();
            }
        }
        let found = survey(&conn).unwrap();
        let strings = |sql: &str| -> Vec<String> {
            let mut st = conn.prepare(sql).unwrap();
            st.query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let count = |sql: &str| -> usize {
            conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap() as usize
        };
        let keyless: Vec<String> = found
            .keyless
            .iter()
            .map(|k| format!("{}/{}/{}", k.tenant, k.subject, k.held))
            .collect();
        assert_eq!(
            keyless,
            strings(
                "SELECT s.tenant || '/' || s.id || '/' || iif(s.hold_reason IS NULL, 'false', 'true')
                 FROM subjects s WHERE s.erased = 0 AND NOT EXISTS (SELECT 1 FROM
                 keys.subject_keys k WHERE k.tenant = s.tenant AND k.subject = s.id)
                 ORDER BY s.tenant, s.id"
            ),
            "round {round}"
        );
        let other: Vec<String> = found
            .other_generation
            .iter()
            .map(|(t, s, staged)| format!("{t}/{s}/{staged}"))
            .collect();
        assert_eq!(
            other,
            strings(
                "SELECT s.tenant || '/' || s.id || '/' || iif(k.next_wrapped IS NOT NULL
                   AND k.next_gen = s.key_gen, 'true', 'false')
                 FROM subjects s JOIN keys.subject_keys k ON k.tenant = s.tenant
                   AND k.subject = s.id
                 WHERE s.erased = 0 AND k.gen <> s.key_gen ORDER BY s.tenant, s.id"
            ),
            "round {round}"
        );
        assert_eq!(
            found.erased_with_key,
            count(
                "SELECT count(*) FROM keys.subject_keys k WHERE EXISTS (SELECT 1 FROM
                 subjects s WHERE s.tenant = k.tenant AND s.id = k.subject AND s.erased = 1)"
            ),
            "round {round}"
        );
        assert_eq!(
            found.staged,
            count("SELECT count(*) FROM keys.subject_keys WHERE next_wrapped IS NOT NULL"),
            "round {round}"
        );
    }
}
