//! Collects as statements: consecutive collects of a batch as one check and one insert, and
//! the check of the subjects' versions an act was decided on (`Change::Checked`).

use super::*;
use custodian_core::store::SubjectVersion;

/// A collect as the writer gathers it: its values, the wrapped key they were sealed under (as
/// the act read it; `None`: unchecked) and the subjects' versions it was decided on.
pub(crate) type Collected<'a> = (&'a [ValueRecord], Option<&'a [u8]>, &'a [SubjectVersion]);

/// Fails in SQL (a COMMIT in the same round trip rolls back) unless every subject is at the
/// version the act read: [`StoreError::Stale`], and the act is decided again. Each subject is
/// an index lookup in a subquery the planner may not fold into a join (`OFFSET 0`): joined, the
/// list is hashed against a scan of every subject.
pub(crate) fn version_check(subjects: &[SubjectVersion]) -> Op {
    Op::new(
        "SELECT custodian_stale_unless(count(*) = $4)
         FROM unnest($1::text[], $2::text[], $3::bigint[]) AS r(tenant, subject, version)
         CROSS JOIN LATERAL (SELECT 1 FROM subjects s
                             WHERE s.tenant = r.tenant AND s.id = r.subject AND s.version = r.version
                             OFFSET 0) s",
        vec![
            Box::new(
                subjects
                    .iter()
                    .map(|r| r.0.as_str().to_owned())
                    .collect::<Vec<String>>(),
            ),
            Box::new(
                subjects
                    .iter()
                    .map(|r| r.1.as_str().to_owned())
                    .collect::<Vec<String>>(),
            ),
            Box::new(
                subjects
                    .iter()
                    .map(|r| version_param(r.2))
                    .collect::<Vec<i64>>(),
            ),
            Box::new(i64::try_from(subjects.len()).unwrap_or(i64::MAX)),
        ],
    )
    .check(Check::StaleRaised)
}

/// A version as the column holds it (a version past `i64::MAX` matches no row: stale).
fn version_param(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(-1)
}

/// The statements of the collects gathered so far (none if there are none), which are then
/// cleared.
pub(crate) fn collect_ops_of(collects: &mut Vec<Collected<'_>>) -> Vec<Op> {
    if collects.is_empty() {
        return Vec::new();
    }
    let out = collect_ops(collects);
    collects.clear();
    out
}

/// Inserts a batch's values (the columns as unnested arrays).
pub(super) const INSERT_VALUES: &str = "INSERT INTO vals(tenant, token, subject, field, blind_index, sealed, key_version, purpose, collected_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                          $6::bytea[], $7::bigint[], $8::text[], $9::bigint[])";

/// As [`INSERT_VALUES`], a deterministic token's value replacing its earlier record (the same
/// subject's, the same field's); any other taken token leaves its row as it is and is not
/// counted.
const INSERT_VALUES_UPSERT: &str = "INSERT INTO vals(tenant, token, subject, field, blind_index, sealed, key_version, purpose, collected_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                          $6::bytea[], $7::bigint[], $8::text[], $9::bigint[])
     ON CONFLICT (tenant, token) DO UPDATE SET blind_index = excluded.blind_index, sealed = excluded.sealed,
       key_version = excluded.key_version, purpose = excluded.purpose, collected_at = excluded.collected_at
     WHERE left(vals.token, 4) = 'det_' AND vals.subject = excluded.subject AND vals.field = excluded.field";

/// The statements of consecutive collects, whatever their number: one check of the subjects'
/// keys and versions and one insert of every value (none if they are only reads' entries,
/// gathered here for their checks). Only collects and reads' entries stand between them, and
/// neither writes a key nor changes a version, so each check reads what it would have read
/// in its own job's turn. A deterministic
/// token twice in one collect (one value for two purposes at once): the last stands, as on
/// SQLite, where the second replaces the first (one statement cannot update a row twice). A
/// token in two of the collects makes the insert fail, as does any other collision or stale
/// key: the batch then runs again job by job (`run_batch_each`), each collect alone.
pub(crate) fn collect_ops(collects: &[Collected<'_>]) -> Vec<Op> {
    let mut values: Vec<&ValueRecord> = Vec::new();
    let mut keyed: Vec<(&ValueRecord, &[u8])> = Vec::new();
    let mut read: Vec<&SubjectVersion> = Vec::new();
    for (all, key, versions) in collects {
        read.extend(versions.iter());
        let first = values.len();
        for v in *all {
            let same = |w: &&ValueRecord| {
                w.token == v.token && w.subject == v.subject && w.field == v.field
            };
            match values[first..].iter().position(same) {
                Some(k) if custodian_core::tokens::is_deterministic(&v.token) => {
                    values[first + k] = v;
                }
                _ => values.push(v),
            }
        }
        if let (Some(k), Some(v)) = (key, all.first()) {
            keyed.push((v, k));
        }
    }
    let col = |f: &dyn Fn(&ValueRecord) -> String| -> Param {
        Box::new(values.iter().map(|v| f(v)).collect::<Vec<String>>())
    };
    let check = (!keyed.is_empty() || !read.is_empty()).then(|| {
        // Fails in SQL (so a COMMIT in the same round trip rolls back) unless every key is as
        // the collects read it and every subject they were decided on is at the version read.
        Op::new(
            "SELECT custodian_stale_unless(
               (SELECT count(*)
                FROM unnest($1::text[], $2::text[], $3::bytea[]) AS k(tenant, subject, wrapped)
                JOIN custodian_keys.subject_keys s
                  ON s.tenant = k.tenant AND s.subject = k.subject AND s.wrapped = k.wrapped) = $4
               AND (SELECT count(*)
                FROM unnest($5::text[], $6::text[], $7::bigint[]) AS r(tenant, subject, version)
                CROSS JOIN LATERAL (SELECT 1 FROM subjects s
                                    WHERE s.tenant = r.tenant AND s.id = r.subject AND s.version = r.version
                                    OFFSET 0) s) = $8)",
            vec![
                Box::new(
                    keyed
                        .iter()
                        .map(|(v, _)| v.tenant.as_str().to_owned())
                        .collect::<Vec<String>>(),
                ),
                Box::new(
                    keyed
                        .iter()
                        .map(|(v, _)| v.subject.as_str().to_owned())
                        .collect::<Vec<String>>(),
                ),
                Box::new(
                    keyed
                        .iter()
                        .map(|(_, k)| k.to_vec())
                        .collect::<Vec<Vec<u8>>>(),
                ),
                Box::new(i64::try_from(keyed.len()).unwrap_or(i64::MAX)),
                Box::new(read.iter().map(|r| r.0.as_str().to_owned()).collect::<Vec<String>>()),
                Box::new(read.iter().map(|r| r.1.as_str().to_owned()).collect::<Vec<String>>()),
                Box::new(read.iter().map(|r| version_param(r.2)).collect::<Vec<i64>>()),
                Box::new(i64::try_from(read.len()).unwrap_or(i64::MAX)),
            ],
        )
        .check(Check::StaleRaised)
    });
    let insert = (!values.is_empty()).then(|| {
        Op::new(
            // Random tokens only: a plain insert (a taken token is a unique violation, so a
            // conflict, as the upsert's row count says it) — no speculative insertion, which
            // probes the token's index once more and logs one more record a value.
            if values
                .iter()
                .any(|v| custodian_core::tokens::is_deterministic(&v.token))
            {
                INSERT_VALUES_UPSERT
            } else {
                INSERT_VALUES
            },
            vec![
                col(&|v| v.tenant.as_str().to_owned()),
                col(&|v| v.token.as_str().to_owned()),
                col(&|v| v.subject.as_str().to_owned()),
                col(&|v| v.field.as_str().to_owned()),
                Box::new(
                    values
                        .iter()
                        .map(|v| v.blind_index.clone())
                        .collect::<Vec<Option<String>>>(),
                ),
                Box::new(values.iter().map(|v| v.sealed.clone()).collect::<Vec<_>>()),
                Box::new(
                    values
                        .iter()
                        .map(|v| i64::from(v.key_version))
                        .collect::<Vec<i64>>(),
                ),
                col(&|v| v.purpose.as_str().to_owned()),
                Box::new(values.iter().map(|v| v.collected_at).collect::<Vec<i64>>()),
            ],
        )
        .check(Check::TokenConflictUnless(values.len() as u64))
    });
    check.into_iter().chain(insert).collect()
}
