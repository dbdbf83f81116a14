//! The write path's fair reference: plain SQLite doing exactly what the writer does for each
//! collect of one value — the same schema, indexes, settings and checkpointer, and the same
//! statements (the writer's own `apply` and `append`: the value row, the check of the subject's
//! key, the ledger entry, its Merkle nodes and its row in the subject index) — with no decision,
//! no encryption, no channel and no wait for a batch to fill. `vault_bench` runs it beside the
//! vault, in the same run, as the rate the vault's writes could reach on this machine.

use std::time::Instant;

use custodian_core::ids::{FieldName, PurposeId, ServiceName};
use custodian_core::tokens::random_token;
use custodian_ledger::{Decision, EntryKind};

use super::*;

/// What one reference run writes.
#[derive(Clone, Debug)]
pub struct ReferenceRun {
    /// Collects (one value and one ledger entry each).
    pub collects: usize,
    /// Collects per transaction (the group commit's batch at its fullest).
    pub per_transaction: usize,
    /// Subjects the collects go to, round robin (registered before the clock starts).
    pub subjects: usize,
    /// Length of each sealed value (take it from a real collect).
    pub sealed_len: usize,
}

impl SqliteStore {
    /// Runs the reference in `dir` (a new, empty directory) and returns collects per second.
    pub fn reference_collects(dir: &Path, run: &ReferenceRun) -> Result<f64, StoreError> {
        files::private_store(dir)?;
        let mut conn = open_conn(dir, true)?;
        migrate(&conn)?;
        fn bad(e: impl std::fmt::Display) -> StoreError {
            StoreError::Backend(e.to_string())
        }
        let tenant = TenantId::parse("ride").map_err(bad)?;
        let field = FieldName::parse("phone").map_err(bad)?;
        let purpose = PurposeId::parse("dispatch").map_err(bad)?;
        let service = ServiceName::parse("dispatch-svc").map_err(bad)?;
        let key = vec![9u8; 60];
        let mut subjects = Vec::with_capacity(run.subjects);
        conn.execute_batch("BEGIN").map_err(db_err)?;
        for _ in 0..run.subjects.max(1) {
            let token = random_token().map_err(bad)?;
            let id = SubjectId::parse(&format!("sub_{}", &token.as_str()[4..])).map_err(bad)?;
            let subject = SubjectInfo {
                id: id.clone(),
                tenant: tenant.clone(),
                jurisdiction: Jurisdiction::parse("CN").map_err(bad)?,
                role: None,
                minor: false,
                registered_at: 0,
                erased: false,
                legal_hold: None,
            };
            let wrapped_key = WrappedKey {
                epoch: 0,
                blob: key.clone(),
            };
            apply(
                &conn,
                &Change::Register {
                    subject,
                    wrapped_key,
                },
                0,
            )?;
            subjects.push(id);
        }
        conn.execute_batch("COMMIT").map_err(db_err)?;
        let checkpointer = super::checkpoint::start(dir, &mut conn)?;
        let mut log = load_log(&conn)?;
        let sealed = vec![7u8; run.sealed_len];
        let started = Instant::now();
        let mut done = 0;
        while done < run.collects {
            conn.execute_batch("BEGIN IMMEDIATE").map_err(db_err)?;
            for _ in 0..run.per_transaction.max(1).min(run.collects - done) {
                let subject = &subjects[done % subjects.len()];
                let token = random_token().map_err(bad)?;
                let mut e = Entry::new(EntryKind::Collect, 0, Decision::Allow);
                e.tenant = Some(tenant.ledger());
                e.subject = Some(subject.ledger());
                e.service = Some(service.ledger());
                e.purpose = Some(purpose.ledger());
                e.fields = vec![field.ledger()];
                e.tokens = vec![token.ledger()];
                let values = vec![ValueRecord {
                    tenant: tenant.clone(),
                    subject: subject.clone(),
                    field: field.clone(),
                    token,
                    blind_index: None,
                    sealed: sealed.clone(),
                    key_version: 1,
                    purpose: purpose.clone(),
                    collected_at: 0,
                }];
                let change = Change::Collect {
                    values,
                    key: Some(key.clone()),
                };
                apply(&conn, &change, log.size().get())?;
                append(&conn, &mut log, &[e])?;
                done += 1;
            }
            conn.execute_batch("COMMIT").map_err(db_err)?;
        }
        let rate = run.collects as f64 / started.elapsed().as_secs_f64();
        drop(conn);
        let _ = checkpointer.join();
        Ok(rate)
    }
}
