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
    /// Length of each value's blind index (take it from a real collect; 0: the field has
    /// none). Each value's is its own, as distinct values' are.
    pub blind_len: usize,
    /// Collects written before the clock starts (512 a transaction), so the timed ones go
    /// into tables as full as the vault's were when its own timed run started.
    pub prefill: usize,
}

/// Collects per transaction while the reference fills its tables before the clock starts.
pub(crate) const PREFILL_PER_TRANSACTION: usize = 512;

fn bad(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// The wrapped key every reference subject has (its bytes do not matter: nothing opens it).
const REFERENCE_KEY: [u8; 60] = [9; 60];

impl ReferenceRun {
    /// A new subject of the tenant `ride` and the change that registers it.
    pub(crate) fn subject(&self) -> Result<(SubjectId, Change), StoreError> {
        let token = random_token().map_err(bad)?;
        let id = SubjectId::parse(&format!("sub_{}", &token.as_str()[4..])).map_err(bad)?;
        let subject = SubjectInfo {
            id: id.clone(),
            tenant: TenantId::parse("ride").map_err(bad)?,
            jurisdiction: Jurisdiction::parse("CN").map_err(bad)?,
            role: None,
            minor: false,
            registered_at: 0,
            erased: false,
            legal_hold: None,
            version: 0,
        };
        let wrapped_key = WrappedKey {
            epoch: 0,
            blob: REFERENCE_KEY.to_vec(),
        };
        Ok((
            id,
            Change::Register {
                subject,
                wrapped_key,
            },
        ))
    }

    /// One collect of one value for `subject`, as the vault's writer gets it: the change and
    /// its ledger entry (a fresh token, a sealed value of `sealed_len` bytes, a blind index of
    /// `blind_len`).
    pub(crate) fn collect(&self, subject: &SubjectId) -> Result<(Change, Entry), StoreError> {
        let tenant = TenantId::parse("ride").map_err(bad)?;
        let field = FieldName::parse("phone").map_err(bad)?;
        let purpose = PurposeId::parse("dispatch").map_err(bad)?;
        let service = ServiceName::parse("dispatch-svc").map_err(bad)?;
        let token = random_token().map_err(bad)?;
        let blind_index = (self.blind_len > 0).then(|| {
            let random = &token.as_str()[4..];
            random.chars().cycle().take(self.blind_len).collect()
        });
        let mut e = Entry::new(EntryKind::Collect, 0, Decision::Allow);
        e.tenant = Some(tenant.ledger());
        e.subject = Some(subject.ledger());
        e.service = Some(service.ledger());
        e.purpose = Some(purpose.ledger());
        e.fields = vec![field.ledger()];
        e.tokens = vec![token.ledger()];
        let values = vec![ValueRecord {
            tenant,
            subject: subject.clone(),
            field,
            token,
            blind_index,
            sealed: vec![7u8; self.sealed_len],
            key_version: 1,
            purpose,
            collected_at: 0,
        }];
        let change = Change::Collect {
            values,
            key: Some(REFERENCE_KEY.to_vec()),
        };
        Ok((change, e))
    }
}

impl SqliteStore {
    /// Runs the reference in `dir` (a new, empty directory) and returns collects per second.
    pub fn reference_collects(dir: &Path, run: &ReferenceRun) -> Result<f64, StoreError> {
        files::private_store(dir)?;
        let mut conn = open_conn(dir, true)?;
        migrate(&conn)?;
        let mut subjects = Vec::with_capacity(run.subjects);
        conn.execute_batch("BEGIN").map_err(db_err)?;
        for _ in 0..run.subjects.max(1) {
            let (id, register) = run.subject()?;
            apply(&conn, &register, 0)?;
            subjects.push(id);
        }
        conn.execute_batch("COMMIT").map_err(db_err)?;
        let checkpointer = super::checkpoint::start(dir, &mut conn, None)?;
        let mut log = load_log(&conn)?;
        let mut write = |count: usize, per_transaction: usize| -> Result<(), StoreError> {
            let mut done = 0;
            while done < count {
                conn.execute_batch("BEGIN IMMEDIATE").map_err(db_err)?;
                for _ in 0..per_transaction.max(1).min(count - done) {
                    let (change, e) = run.collect(&subjects[done % subjects.len()])?;
                    apply(&conn, &change, log.size().get())?;
                    append(&conn, &mut log, &[e])?;
                    done += 1;
                }
                conn.execute_batch("COMMIT").map_err(db_err)?;
            }
            Ok(())
        };
        write(run.prefill, PREFILL_PER_TRANSACTION)?;
        let started = Instant::now();
        write(run.collects, run.per_transaction)?;
        let rate = run.collects as f64 / started.elapsed().as_secs_f64();
        drop(conn);
        let _ = checkpointer.join();
        Ok(rate)
    }
}
