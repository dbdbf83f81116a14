//! The write path's fair reference on PostgreSQL: the writer's own batch transaction
//! (`run_batch`: the pipelined statements of each collect — the value row, the check of the
//! subject's key, the ledger entry, its Merkle nodes and its row in the subject index — under
//! the cross-process append lock) called directly on one connection, with no decision, no
//! encryption, no channel and no wait for a batch to fill. `vault_bench` runs it beside the
//! vault, in the same run, on its own database of the same server.

use std::time::Instant;

use custodian_core::ids::{FieldName, PurposeId, ServiceName};
use custodian_core::tokens::random_token;
use custodian_ledger::{Decision, EntryKind};

use super::writer::run_batch;
use super::*;
use crate::ReferenceRun;

impl PgStore {
    /// Runs the reference on the database at `url` (empty, or one only references used) and
    /// returns collects per second.
    pub fn reference_collects(url: &str, run: &ReferenceRun) -> Result<f64, StoreError> {
        let store = PgStore::open_with_pool(url, 1)?;
        let pool = store.pool.clone();
        let run = run.clone();
        store.run(async move {
            let c = pool.get().await.map_err(pool_err)?;
            fn bad(e: impl std::fmt::Display) -> StoreError {
                StoreError::Backend(e.to_string())
            }
            let tenant = TenantId::parse("ride").map_err(bad)?;
            let field = FieldName::parse("phone").map_err(bad)?;
            let purpose = PurposeId::parse("dispatch").map_err(bad)?;
            let service = ServiceName::parse("dispatch-svc").map_err(bad)?;
            let key = vec![9u8; 60];
            let job = |change: Change, entries: Vec<Entry>| Job {
                generation: None,
                change,
                entries,
                reply: oneshot::channel().0,
            };
            let mut log = Log::new();
            let mut subjects = Vec::with_capacity(run.subjects);
            let mut jobs = Vec::new();
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
                jobs.push(job(
                    Change::Register {
                        subject,
                        wrapped_key,
                    },
                    Vec::new(),
                ));
                subjects.push(id);
            }
            checked(run_batch(&c, &mut log, &jobs).await?)?;
            let sealed = vec![7u8; run.sealed_len];
            let started = Instant::now();
            let mut done = 0;
            while done < run.collects {
                let mut jobs = Vec::with_capacity(run.per_transaction);
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
                    jobs.push(job(change, vec![e]));
                    done += 1;
                }
                checked(run_batch(&c, &mut log, &jobs).await?)?;
            }
            Ok(run.collects as f64 / started.elapsed().as_secs_f64())
        })
    }
}

/// Every job of a reference batch went through.
fn checked(results: writer::JobResults) -> Result<(), StoreError> {
    results.into_iter().try_for_each(|r| r.map(|_| ()))
}
