//! Each change as the statements that carry it out (`Op`s), with how each statement's outcome
//! maps to the job's result (`Check`).

use super::*;

mod collects;
use collects::INSERT_VALUES;
pub(super) use collects::{Collected, collect_ops, collect_ops_of, version_check};

/// A statement parameter, owned (so a batch's statements can be built before any is sent).
pub(super) type Param = Box<dyn ToSql + Sync + Send>;

/// How a statement's outcome maps to the job's result.
#[derive(Clone, Debug)]
pub(super) enum Check {
    /// Any error fails the job.
    Plain,
    /// A unique violation, or fewer rows than this written, is a token collision (the vault
    /// retries with new tokens): an insert replaces a deterministic token's record where the
    /// token is its subject's, and skips any other taken token.
    TokenConflictUnless(u64),
    /// A unique violation is an idempotency key already used.
    KeyUsed,
    /// A unique violation is a replayed order.
    OrderReplay(String),
    /// No row touched: the named thing does not exist.
    NotFoundIfNone(String),
    /// Not exactly this many rows: what the act read has changed ([`StoreError::Stale`]).
    StaleUnless(u64),
    /// The statement raised [`STALE_SQLSTATE`] (through `custodian_stale_unless`): what the
    /// act read has changed. Such a statement fails in SQL, so aborts its transaction.
    StaleRaised,
}

/// The SQLSTATE `custodian_stale_unless` raises (schema version 14).
pub(super) const STALE_SQLSTATE: &str = "CU409";

/// One statement of an act.
pub(super) struct Op {
    pub(super) sql: &'static str,
    pub(super) params: Vec<Param>,
    check: Check,
}

impl Op {
    pub(super) fn new(sql: &'static str, params: Vec<Param>) -> Op {
        Op {
            sql,
            params,
            check: Check::Plain,
        }
    }

    pub(super) fn check(mut self, check: Check) -> Op {
        self.check = check;
        self
    }

    /// Whether every failure of this statement is an SQL error, which aborts its transaction
    /// (so a `COMMIT` sent after it rolls back): a statement whose failure is a row count
    /// (`StaleUnless`, `NotFoundIfNone`, an upsert's `TokenConflictUnless`) is not.
    pub(super) fn fails_in_sql(&self) -> bool {
        matches!(self.check, Check::Plain | Check::StaleRaised)
            || (self.sql == INSERT_VALUES && matches!(self.check, Check::TokenConflictUnless(_)))
    }

    /// The job's view of this statement's outcome.
    pub(super) fn outcome(&self, r: Result<u64, tokio_postgres::Error>) -> Result<(), StoreError> {
        match (r, &self.check) {
            (Ok(0), Check::NotFoundIfNone(what)) => Err(StoreError::NotFound(what.clone())),
            (Ok(n), Check::StaleUnless(want)) if n != *want => Err(StoreError::Stale),
            (Ok(n), Check::TokenConflictUnless(want)) if n != *want => {
                Err(StoreError::TokenConflict)
            }
            (Ok(_), _) => Ok(()),
            // A token twice in one statement (`cannot affect row a second time`) is a
            // collision too.
            (Err(e), Check::TokenConflictUnless(_))
                if is_unique_violation(&e)
                    || e.code()
                        == Some(&tokio_postgres::error::SqlState::CARDINALITY_VIOLATION) =>
            {
                Err(StoreError::TokenConflict)
            }
            (Err(e), Check::StaleRaised)
                if e.code().map(tokio_postgres::error::SqlState::code) == Some(STALE_SQLSTATE) =>
            {
                Err(StoreError::Stale)
            }
            (Err(e), Check::KeyUsed) if is_unique_violation(&e) => Err(StoreError::KeyUsed),
            (Err(e), Check::OrderReplay(id)) if is_unique_violation(&e) => Err(
                StoreError::Backend(format!("order `{id}` or its nonce already stored")),
            ),
            (Err(e), _) => Err(pg_err(e)),
        }
    }
}

/// A refused request's label.
fn refusal(s: &custodian_core::requests::RequestStatus) -> Option<String> {
    match s {
        custodian_core::requests::RequestStatus::Refused(r) => Some(r.as_str().to_owned()),
        _ => None,
    }
}

pub(super) fn s(v: &str) -> Param {
    Box::new(v.to_owned())
}

/// The statements that carry out `act`, in order. Each act's effect on other rows is in one
/// statement or in statements whose order does not matter, and every statement of a batch is
/// sent in job order, so the database sees the acts in the order the ledger records them.
/// The statements of a change; `next_index` is the ledger index its job's first entry takes.
pub(super) fn ops(change: &Change, next_index: u64) -> Vec<Op> {
    match change {
        Change::Record => vec![],
        // PostgreSQL commits a change whole: it makes no erasure outside an act. A restore
        // is recorded once: a second process recording it finds the row gone (stale).
        Change::StoreActsRecorded { restore, .. } => {
            if *restore {
                vec![Op::new("DELETE FROM restore_unrecorded WHERE one = 1", vec![])
                    .check(Check::StaleUnless(1))]
            } else {
                vec![]
            }
        }
        Change::ExpireIdempotency { before } => vec![Op::new(
            "DELETE FROM idempotency WHERE created_at < $1",
            vec![Box::new(*before)],
        )],
        Change::Checked { subjects, change } => {
            let mut all = vec![version_check(subjects)];
            all.extend(ops(change, next_index));
            all
        }
        Change::Idempotent { record, change } => {
            let mut all = vec![Op::new(
                "INSERT INTO idempotency(tenant, key, fingerprint, result, created_at) VALUES ($1, $2, $3, $4, $5)",
                vec![
                    s(record.tenant.as_str()),
                    Box::new(record.key.to_vec()),
                    Box::new(record.fingerprint.to_vec()),
                    Box::new(record.result.clone()),
                    Box::new(record.created_at),
                ],
            )
            .check(Check::KeyUsed)];
            all.extend(ops(change, next_index));
            all
        }
        Change::PutTenant(t) => vec![Op::new(
            "INSERT INTO tenants(id, manifest, wrapped_key, key_epoch) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET manifest = excluded.manifest",
            vec![
                s(t.id.as_str()),
                s(&t.manifest),
                Box::new(t.wrapped_key.blob.clone()),
                Box::new(i64::from(t.wrapped_key.epoch)),
            ],
        )],
        Change::Register {
            subject,
            wrapped_key,
        } => vec![
            Op::new(
                "INSERT INTO custodian_keys.subject_keys(tenant, subject, wrapped, epoch) VALUES ($1, $2, $3, $4)",
                vec![
                    s(subject.tenant.as_str()),
                    s(subject.id.as_str()),
                    Box::new(wrapped_key.blob.clone()),
                    Box::new(i64::from(wrapped_key.epoch)),
                ],
            ),
            Op::new(
                "INSERT INTO subjects(tenant, id, jurisdiction, minor, registered_at, erased, role)
                 VALUES ($1, $2, $3, $4, $5, FALSE, $6)",
                vec![
                    s(subject.tenant.as_str()),
                    s(subject.id.as_str()),
                    s(subject.jurisdiction.as_str()),
                    Box::new(subject.minor),
                    Box::new(subject.registered_at),
                    Box::new(subject.role.as_ref().map(|r| r.as_str().to_string())),
                ],
            ),
        ],
        Change::Consent {
            tenant,
            subject,
            consent,
        } => vec![Op::new(
            "INSERT INTO consents(tenant, subject, purpose, notice_version, granted_at, withdrawn_at, separate, by_guardian)
             VALUES ($1, $2, $3, $4, $5, NULL, $6, $7)
             ON CONFLICT (tenant, subject, purpose) DO UPDATE SET notice_version = EXCLUDED.notice_version,
               granted_at = EXCLUDED.granted_at, withdrawn_at = NULL, separate = EXCLUDED.separate,
               by_guardian = EXCLUDED.by_guardian",
            vec![
                s(tenant.as_str()),
                s(subject.as_str()),
                s(consent.purpose.as_str()),
                s(&consent.notice_version),
                Box::new(consent.granted_at),
                Box::new(consent.separate),
                Box::new(consent.by_guardian),
            ],
        ), bump(tenant, subject)],
        Change::Withdraw {
            tenant,
            subject,
            purpose,
            at,
        } => vec![Op::new(
            "UPDATE consents SET withdrawn_at = $4
             WHERE tenant = $1 AND subject = $2 AND purpose = $3 AND withdrawn_at IS NULL",
            vec![
                s(tenant.as_str()),
                s(subject.as_str()),
                s(purpose.as_str()),
                Box::new(*at),
            ],
        ), bump(tenant, subject)],
        Change::Collect { values, key } => collect_ops(&[(values, key.as_deref(), &[])]),
        Change::Rekey {
            tenant,
            subject,
            old_key,
            new_key,
            values,
            dropped,
        } => vec![
            Op::new(
                "UPDATE custodian_keys.subject_keys SET wrapped = $3, epoch = $4
                 WHERE tenant = $1 AND subject = $2 AND wrapped = $5",
                vec![
                    s(tenant.as_str()),
                    s(subject.as_str()),
                    Box::new(new_key.blob.clone()),
                    Box::new(i64::from(new_key.epoch)),
                    Box::new(old_key.clone()),
                ],
            )
            .check(Check::StaleUnless(1)),
            Op::new(
                "UPDATE vals v SET sealed = u.sealed, key_version = u.kv, blind_index = u.bix
                 FROM unnest($3::text[], $4::bytea[], $5::bigint[], $6::text[], $7::bigint[]) AS u(token, sealed, kv, bix, at)
                 WHERE v.tenant = $1 AND v.subject = $2 AND v.token = u.token AND v.collected_at = u.at",
                vec![
                    s(tenant.as_str()),
                    s(subject.as_str()),
                    Box::new(values.iter().map(|v| v.token.as_str().to_owned()).collect::<Vec<_>>()),
                    Box::new(values.iter().map(|v| v.sealed.clone()).collect::<Vec<_>>()),
                    Box::new(values.iter().map(|v| i64::from(v.key_version)).collect::<Vec<_>>()),
                    Box::new(values.iter().map(|v| v.blind_index.clone()).collect::<Vec<Option<String>>>()),
                    Box::new(values.iter().map(|v| v.collected_at).collect::<Vec<i64>>()),
                ],
            )
            .check(Check::StaleUnless(values.len() as u64)),
            // A value collected again since the act read it is not destroyed: the act runs again.
            Op::new(
                "DELETE FROM vals v USING unnest($3::text[], $4::bigint[]) AS u(token, at)
                 WHERE v.tenant = $1 AND v.subject = $2 AND v.token = u.token AND v.collected_at = u.at",
                vec![
                    s(tenant.as_str()),
                    s(subject.as_str()),
                    Box::new(dropped.iter().map(|(t, _)| t.as_str().to_owned()).collect::<Vec<_>>()),
                    Box::new(dropped.iter().map(|(_, at)| *at).collect::<Vec<i64>>()),
                ],
            )
            .check(Check::StaleUnless(dropped.len() as u64)),
            // Every value of the subject is now under the new key.
            Op::new(
                "SELECT 1 WHERE (SELECT count(*) FROM vals WHERE tenant = $1 AND subject = $2) = $3",
                vec![
                    s(tenant.as_str()),
                    s(subject.as_str()),
                    Box::new(values.len() as i64),
                ],
            )
            .check(Check::StaleUnless(1)),
            bump(tenant, subject),
        ],
        Change::PutRequest(r) => vec![Op::new(
            "INSERT INTO requests(id, tenant, subject, kind, received_at, deadline, status, refusal, closed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            vec![
                s(&r.id),
                s(r.tenant.as_str()),
                s(r.subject.as_str()),
                s(r.kind.as_str()),
                Box::new(r.received_at),
                Box::new(r.deadline),
                s(r.status.as_str()),
                Box::new(refusal(&r.status)),
                Box::new(r.closed_at),
            ],
        )],
        Change::CloseRequest {
            tenant,
            id,
            status,
            at,
        } => vec![
            Op::new(
                "UPDATE requests SET status = $3, refusal = $4, closed_at = $5
                 WHERE tenant = $1 AND id = $2 AND status = 'open'",
                vec![
                    s(tenant.as_str()),
                    s(id),
                    s(status.as_str()),
                    Box::new(refusal(status)),
                    Box::new(*at),
                ],
            )
            .check(Check::NotFoundIfNone("open request".into())),
        ],
        Change::SetHold {
            tenant,
            subject,
            hold,
        } => vec![
            Op::new(
                "UPDATE subjects SET hold_reason = $3, hold_since = $4, version = custodian_new_version()
                 WHERE tenant = $1 AND id = $2 AND NOT erased",
                vec![
                    s(tenant.as_str()),
                    s(subject.as_str()),
                    Box::new(hold.as_ref().map(|h| h.reason.as_str().to_owned())),
                    Box::new(hold.as_ref().map(|h| h.since)),
                ],
            )
            .check(Check::NotFoundIfNone("live subject".into())),
        ],
        Change::PutApiKey(k) => vec![Op::new(
            "INSERT INTO api_keys(id, hash, role, tenant, service, created_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, NULL)",
            vec![
                s(&k.id),
                Box::new(k.hash.to_vec()),
                s(k.role.as_str()),
                Box::new(k.tenant.as_ref().map(|t| t.as_str().to_owned())),
                Box::new(k.service.as_ref().map(|s| s.as_str().to_owned())),
                Box::new(k.created_at),
            ],
        )],
        Change::RevokeApiKey { id, at } => vec![
            Op::new(
                "UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                vec![s(id), Box::new(*at)],
            )
            .check(Check::NotFoundIfNone("API key".into())),
        ],
        Change::PutBasis(b) => {
            let r = crate::transfer_rows::to_raw(b);
            vec![Op::new(
                "INSERT INTO transfer_bases(id, tenant, recipient, kind, reference, valid_from, expires_at, fields, pia_reference, pia_completed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (tenant, id) DO UPDATE SET recipient = EXCLUDED.recipient, kind = EXCLUDED.kind,
                   reference = EXCLUDED.reference, valid_from = EXCLUDED.valid_from, expires_at = EXCLUDED.expires_at,
                   fields = EXCLUDED.fields, pia_reference = EXCLUDED.pia_reference, pia_completed_at = EXCLUDED.pia_completed_at",
                vec![
                    Box::new(r.0),
                    Box::new(r.1),
                    Box::new(r.2),
                    Box::new(r.3),
                    Box::new(r.4),
                    Box::new(r.5),
                    Box::new(r.6),
                    Box::new(r.7),
                    Box::new(r.8),
                    Box::new(r.9),
                ],
            )]
        }
        Change::Transfer {
            organisation,
            year,
            rows,
        } => vec![Op::new(
            "INSERT INTO transferred(org, year, tenant, subject, sensitive)
             SELECT $1, $2, t, s, x FROM unnest($3::text[], $4::text[], $5::bool[]) AS u(t, s, x)
             ON CONFLICT DO NOTHING",
            vec![
                s(organisation.as_str()),
                Box::new(*year),
                Box::new(rows.iter().map(|r| r.0.as_str().to_owned()).collect::<Vec<_>>()),
                Box::new(rows.iter().map(|r| r.1.as_str().to_owned()).collect::<Vec<_>>()),
                Box::new(rows.iter().map(|r| r.2).collect::<Vec<_>>()),
            ],
        )],
        Change::Receive(r) => {
            let custodian_core::store::Arrived {
                subject,
                wrapped_key,
                values,
                origin,
                index,
                leaf,
            } = r.as_ref();
            let register = Change::Register {
                subject: subject.clone(),
                wrapped_key: wrapped_key.clone(),
            };
            let collect = Change::Collect {
                values: values.clone(),
                key: None,
            };
            let mut all = vec![
                Op::new(
                    // Received meanwhile: no row, and the act is decided again and finds it.
                    "INSERT INTO received(leaf, origin, idx, tenant, subject, received_at)
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                    vec![
                        s(leaf),
                        s(origin),
                        // The vault refuses an index beyond i64 before it gets here.
                        Box::new(i64::try_from(*index).unwrap_or(i64::MAX)),
                        s(subject.tenant.as_str()),
                        s(subject.id.as_str()),
                        Box::new(subject.registered_at),
                    ],
                )
                .check(Check::StaleUnless(1)),
            ];
            all.extend(ops(&register, next_index));
            all.extend(ops(&collect, next_index));
            all
        }
        Change::Onboard(o) => {
            let custodian_core::store::Onboard {
                subject,
                wrapped_key,
                consents,
                values,
            } = o.as_ref();
            let mut all = ops(
                &Change::Register {
                    subject: subject.clone(),
                    wrapped_key: wrapped_key.clone(),
                },
                next_index,
            );
            for consent in consents {
                let c = Change::Consent {
                    tenant: subject.tenant.clone(),
                    subject: subject.id.clone(),
                    consent: consent.clone(),
                };
                all.extend(ops(&c, next_index));
            }
            // The key was stored by this change: nothing to check it against.
            if !values.is_empty() {
                all.extend(ops(
                    &Change::Collect {
                        values: values.clone(),
                        key: None,
                    },
                    next_index,
                ));
            }
            all
        }
        Change::PinKeys { keys, at } => keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                // The job's entries are one `regulator_key_pinned` entry per key, in order.
                let idx = i64::try_from(next_index + i as u64).unwrap_or(i64::MAX);
                Op::new(
                    // Refused (no row) once any key is pinned by an earlier commit.
                    "INSERT INTO pinned_keys(vkey, pinned_at, ledger_idx) SELECT $1, $2, $3
                     WHERE NOT EXISTS (SELECT 1 FROM pinned_keys WHERE pinned_at <> $2)",
                    vec![s(k), Box::new(*at), Box::new(idx)],
                )
                .check(Check::NotFoundIfNone("a pin of the regulator keys (they are already pinned)".into()))
            })
            .collect(),
        Change::PutOrder { id, nonce, note } => vec![
            Op::new(
                "INSERT INTO orders(id, nonce, note) VALUES ($1, $2, $3)",
                vec![s(id), s(nonce), s(note)],
            )
            .check(Check::OrderReplay(id.clone())),
        ],
        Change::AssignRole {
            tenant,
            subject,
            role,
        } => vec![
            Op::new(
                "UPDATE subjects SET role = $3, version = custodian_new_version()
                 WHERE tenant = $1 AND id = $2 AND role IS NULL AND NOT erased",
                vec![s(tenant.as_str()), s(subject.as_str()), s(role.as_str())],
            )
            .check(Check::NotFoundIfNone("subject without a role".into())),
        ],
        Change::BeginEpoch { epoch, at } => vec![Op::new(
            "INSERT INTO key_epochs(epoch, created_at) VALUES ($1, $2)",
            vec![Box::new(i64::from(*epoch)), Box::new(*at)],
        )],
        Change::Rewrap(keys) => {
            let subjects: Vec<_> = keys.iter().filter(|k| k.subject.is_some()).collect();
            let mut out = vec![Op::new(
                "UPDATE custodian_keys.subject_keys k SET wrapped = u.w, epoch = u.e
                 FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bigint[], $5::bigint[]) AS u(t, s, w, e, f)
                 WHERE k.tenant = u.t AND k.subject = u.s AND k.epoch = u.f",
                vec![
                    Box::new(subjects.iter().map(|k| k.tenant.as_str().to_string()).collect::<Vec<_>>()),
                    Box::new(
                        subjects
                            .iter()
                            .map(|k| k.subject.as_ref().map_or(String::new(), |s| s.as_str().to_string()))
                            .collect::<Vec<_>>(),
                    ),
                    Box::new(subjects.iter().map(|k| k.key.blob.clone()).collect::<Vec<_>>()),
                    Box::new(subjects.iter().map(|k| i64::from(k.key.epoch)).collect::<Vec<_>>()),
                    Box::new(subjects.iter().map(|k| i64::from(k.from)).collect::<Vec<_>>()),
                ],
            )];
            for k in keys.iter().filter(|k| k.subject.is_none()) {
                out.push(Op::new(
                    "UPDATE tenants SET wrapped_key = $2, key_epoch = $3 WHERE id = $1 AND key_epoch = $4",
                    vec![
                        s(k.tenant.as_str()),
                        Box::new(k.key.blob.clone()),
                        Box::new(i64::from(k.key.epoch)),
                        Box::new(i64::from(k.from)),
                    ],
                ));
            }
            out
        }
        Change::RetireEpoch { epoch, at } => vec![
            Op::new(
                "UPDATE key_epochs SET retired_at = $2 WHERE epoch = $1 AND retired_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM custodian_keys.subject_keys WHERE epoch = $1)
                   AND NOT EXISTS (SELECT 1 FROM tenants WHERE key_epoch = $1)",
                vec![Box::new(i64::from(*epoch)), Box::new(*at)],
            )
            .check(Check::NotFoundIfNone(format!(
                "epoch {epoch} in force with no key still wrapped under it"
            ))),
        ],
        // One statement: the key, the erased mark and the values go together; the row count
        // is keys deleted plus subjects marked (zero: no such subject).
        Change::Erase { tenant, subject } => vec![
            Op::new(
                "WITH k AS (DELETE FROM custodian_keys.subject_keys WHERE tenant = $1 AND subject = $2 RETURNING 1),
                      m AS (UPDATE subjects SET erased = TRUE, version = custodian_new_version()
                             WHERE tenant = $1 AND id = $2 RETURNING 1),
                      v AS (DELETE FROM vals WHERE tenant = $1 AND subject = $2 RETURNING 1)
                 SELECT 1 FROM k UNION ALL SELECT 1 FROM m",
                vec![s(tenant.as_str()), s(subject.as_str())],
            )
            .check(Check::NotFoundIfNone("subject".into())),
        ],
    }
}

/// Raises a subject's version (its consents or key changed): acts decided on what it was do
/// not commit ([`version_check`]).
fn bump(tenant: &TenantId, subject: &SubjectId) -> Op {
    Op::new(
        "UPDATE subjects SET version = custodian_new_version() WHERE tenant = $1 AND id = $2",
        vec![s(tenant.as_str()), s(subject.as_str())],
    )
}
