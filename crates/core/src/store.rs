//! The `Store` trait: what the vault needs from a database. Backends (SQLite, PostgreSQL)
//! live in `custodian-store` and pass the conformance suite (the `custodian-conformance` crate).
//!
//! The trait is synchronous. The vault's work per request is CPU-bound (sealing, hashing)
//! plus one short database transaction; a synchronous trait keeps `core` free of any async
//! runtime, and an HTTP server calls it from a blocking pool. A backend may run its own
//! threads or runtime inside (the SQLite backend has one writer thread that group-commits).
//!
//! Every state change goes through [`Store::commit`]: the act and the ledger entries that
//! record it are written in one transaction, and the backend appends the entries to the
//! Merkle log there (assigning indexes without gaps or duplicates) — nothing is acknowledged
//! before its transaction commits.

use custodian_ledger::{Entry, Hash, LeafIndex, NodeId, TreeSize};

use crate::access::Role;

mod change;
mod pending;
use crate::ids::{
    Epoch, FieldName, Millis, PurposeId, ServiceName, SubjectId, SubjectRole, TenantId, Token,
};
use crate::requests::{RequestRecord, RequestStatus};
use crate::subject::{Consent, LegalHold, SubjectInfo};
pub use change::{Change, SubjectVersion};
pub use pending::{Answer, Committed, Pending, UNANSWERED, pending};

/// A tenant as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantRecord {
    /// Id.
    pub id: TenantId,
    /// The manifest's TOML source.
    pub manifest: String,
    /// The tenant's token and blind-index key, wrapped under an epoch key.
    pub wrapped_key: WrappedKey,
}

/// A data key wrapped under an epoch key, with the epoch's number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrappedKey {
    /// The epoch it is wrapped under ([`LEGACY_EPOCH`](crate::ids::LEGACY_EPOCH): by the KEK itself).
    pub epoch: Epoch,
    /// The wrapped bytes.
    pub blob: Vec<u8>,
}

/// An epoch as the store records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpochRecord {
    /// Its number.
    pub epoch: Epoch,
    /// When it began.
    pub created_at: Millis,
    /// When it was retired (its key destroyed, or about to be).
    pub retired_at: Option<Millis>,
}

/// A subject key re-wrapped under a new epoch (by a rotation).
#[derive(Clone, Debug)]
pub struct Rewrapped {
    /// Tenant.
    pub tenant: TenantId,
    /// Subject (`None`: the tenant's own key).
    pub subject: Option<SubjectId>,
    /// The epoch it was under: the row changes only if it still is (an erasure in between wins).
    pub from: Epoch,
    /// The key under the new epoch.
    pub key: WrappedKey,
}

/// A sealed value as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueRecord {
    /// Tenant.
    pub tenant: TenantId,
    /// Subject.
    pub subject: SubjectId,
    /// Field.
    pub field: FieldName,
    /// Token (unique within the tenant).
    pub token: Token,
    /// Blind index, if the field has one.
    pub blind_index: Option<String>,
    /// The value sealed under the subject's data key.
    pub sealed: Vec<u8>,
    /// Version of the subject key it was sealed under.
    pub key_version: u32,
    /// The purpose it was (last) collected for.
    pub purpose: PurposeId,
    /// When (last) collected.
    pub collected_at: Millis,
}

/// An API key as stored: its public id, the SHA-256 of the secret, and what it may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKeyRecord {
    /// Public id (`key_…`), shown in listings and used to revoke.
    pub id: String,
    /// SHA-256 of the secret; the secret itself is never stored.
    pub hash: [u8; 32],
    /// The key's role.
    pub role: Role,
    /// The tenant (service and DPO keys).
    pub tenant: Option<TenantId>,
    /// The service (service keys).
    pub service: Option<ServiceName>,
    /// When created.
    pub created_at: Millis,
    /// When revoked, if it was.
    pub revoked_at: Option<Millis>,
}

/// What a receipt from another cell stores (see [`Change::Receive`]).
#[derive(Clone, Debug)]
pub struct Arrived {
    /// The new subject.
    pub subject: SubjectInfo,
    /// Its data key wrapped under the current epoch.
    pub wrapped_key: WrappedKey,
    /// The sealed values.
    pub values: Vec<ValueRecord>,
    /// The sending cell's ledger origin.
    pub origin: String,
    /// The index of its transfer entry in the sending cell's ledger.
    pub index: u64,
    /// That entry's leaf hash (hex): what makes it received once.
    pub leaf: String,
}

/// What onboarding a subject stores (see [`Change::Onboard`]).
#[derive(Clone, Debug)]
pub struct Onboard {
    /// The new subject.
    pub subject: SubjectInfo,
    /// Its data key wrapped under the current epoch.
    pub wrapped_key: WrappedKey,
    /// Its consents, in the order given (a later one for the same purpose replaces an
    /// earlier one).
    pub consents: Vec<Consent>,
    /// Its values, sealed under its new key.
    pub values: Vec<ValueRecord>,
}

/// What an idempotency key did: a request retried with the same key gets `result` back instead
/// of being carried out again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyRecord {
    /// The tenant.
    pub tenant: TenantId,
    /// The key, hashed under the tenant's key with the service that sent it: the caller's key
    /// itself is never stored.
    pub key: [u8; 32],
    /// The request it was first used with, hashed the same way: the same key with another
    /// request is refused.
    pub fingerprint: [u8; 32],
    /// What the request answered: ids and tokens, never a value.
    pub result: Vec<u8>,
    /// When.
    pub created_at: Millis,
}

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A token already exists (a random or format-preserving token collided, or a
    /// deterministic one is another subject's): retry with new tokens.
    #[error("token already in use")]
    TokenConflict,
    /// The row to change does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The cell's configuration (tenants, orders) changed since the caller last read it
    /// (another process changed it): refresh and decide again.
    #[error("the cell's tenants or orders changed; refresh and retry")]
    Stale,
    /// The idempotency key of a [`Change::Idempotent`] is already stored (a concurrent retry
    /// committed first): read its record.
    #[error("idempotency key already used")]
    KeyUsed,
    /// The backend failed.
    #[error("{0}")]
    Backend(String),
    /// The backend failed under the commit (connection, server or sync): whether the change
    /// took effect is unknown. Never retried blindly; an idempotency key makes a retry safe.
    #[error("{0}")]
    OutcomeUnknown(String),
}

/// The ledger's head: size and root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LedgerHead {
    /// Entries.
    pub size: TreeSize,
    /// Root hash.
    pub root: Hash,
}

/// A subject and its wrapped data key (`None` once erased).
pub type SubjectRow = (SubjectInfo, Option<WrappedKey>);

/// A subject with its wrapped key, and its consents (oldest first).
pub type SubjectWithConsents = (SubjectRow, Vec<Consent>);

/// What the vault needs from a database.
pub trait Store: Send + Sync {
    /// Commits a change and its ledger entries in one transaction; returns the entries'
    /// indexes. Concurrent commits may share a transaction (group commit); each succeeds or
    /// fails on its own.
    fn commit(&self, change: Change, entries: Vec<Entry>) -> Result<Vec<LeafIndex>, StoreError>;

    /// The generation of the cell's configuration: it changes with every committed
    /// [`Change::PutTenant`] and [`Change::PutOrder`]. A store only one process opens may keep the
    /// default (the vault's own locks keep its caches true); a store several processes share
    /// must implement this and [`Store::commit_at`].
    fn generation(&self) -> Result<u64, StoreError> {
        Ok(0)
    }

    /// As [`Store::commit`], but only if the configuration is still at `generation` when the
    /// act commits (checked in the same transaction); otherwise [`StoreError::Stale`] and
    /// nothing changes. The vault decides under the tenants and orders of a generation and
    /// commits with it, so an act decided before another process's order never commits after it.
    fn commit_at(
        &self,
        generation: u64,
        change: Change,
        entries: Vec<Entry>,
    ) -> Result<Vec<LeafIndex>, StoreError> {
        let _ = generation;
        self.commit(change, entries)
    }

    /// As [`Store::commit_at`] for several jobs, each committed or failed on its own, results in
    /// order; the store may put them in one transaction (bulk acts hand all their jobs at once
    /// so they share one commit).
    fn commit_many_at(
        &self,
        generation: u64,
        jobs: Vec<(Change, Vec<Entry>)>,
    ) -> Vec<Result<Vec<LeafIndex>, StoreError>> {
        jobs.into_iter()
            .map(|(change, entries)| self.commit_at(generation, change, entries))
            .collect()
    }

    /// As [`Store::commit_at`], but returns once the commit is handed over; `answer` (from
    /// [`pending`]) is answered when it is committed, and the caller waits for or awaits its
    /// [`Pending`]. A commit handed over before another is committed before it (the order
    /// table's guard relies on it). The default commits on the caller's thread.
    fn submit_at(&self, generation: u64, change: Change, entries: Vec<Entry>, answer: Answer) {
        answer.send(self.commit_at(generation, change, entries));
    }

    /// Whether the reads an act makes are short and in this process (a local file, no network,
    /// no runtime of the store's own), so an async caller may run the act on its task's thread
    /// and await only the commit. `false` (the default): run acts on a thread that may block.
    fn reads_inline(&self) -> bool {
        false
    }

    /// The record of an idempotency key (its hash, see [`IdempotencyRecord::key`]).
    fn idempotency(
        &self,
        tenant: &TenantId,
        key: &[u8; 32],
    ) -> Result<Option<IdempotencyRecord>, StoreError>;

    /// The records of many idempotency keys, in the order asked (`None`: no record) — a bulk
    /// act's lookups. One call, so a backend behind a network answers them in one round trip.
    fn idempotency_many(
        &self,
        tenant: &TenantId,
        keys: &[[u8; 32]],
    ) -> Result<Vec<Option<IdempotencyRecord>>, StoreError> {
        keys.iter().map(|k| self.idempotency(tenant, k)).collect()
    }

    /// All tenants.
    fn tenants(&self) -> Result<Vec<TenantRecord>, StoreError>;

    /// A subject and its wrapped data key (`None` once erased).
    fn subject(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Option<SubjectRow>, StoreError>;

    /// A subject's consents, oldest first.
    fn consents(&self, tenant: &TenantId, subject: &SubjectId) -> Result<Vec<Consent>, StoreError>;

    /// A subject with its wrapped key, and its consents (oldest first): what every decision
    /// about a subject reads. One call, so a backend behind a network can answer both in one
    /// round trip.
    fn subject_and_consents(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Option<(SubjectRow, Vec<Consent>)>, StoreError> {
        let Some(row) = self.subject(tenant, subject)? else {
            return Ok(None);
        };
        Ok(Some((row, self.consents(tenant, subject)?)))
    }

    /// [`Store::subject_and_consents`] for many subjects, in the order asked (`None`: not
    /// found) — a bulk act's reads. One call, so a backend behind a network answers them all in
    /// one round trip.
    fn subjects_and_consents(
        &self,
        tenant: &TenantId,
        subjects: &[SubjectId],
    ) -> Result<Vec<Option<SubjectWithConsents>>, StoreError> {
        subjects
            .iter()
            .map(|s| self.subject_and_consents(tenant, s))
            .collect()
    }

    /// The value a token stands for.
    fn value_by_token(
        &self,
        tenant: &TenantId,
        token: &Token,
    ) -> Result<Option<ValueRecord>, StoreError>;

    /// Tokens whose values have this blind index.
    fn tokens_by_blind_index(
        &self,
        tenant: &TenantId,
        field: &FieldName,
        index: &str,
    ) -> Result<Vec<Token>, StoreError>;

    /// Which of `indexes` some value of `field` has: (blind index, token) pairs. A store may
    /// answer many at once; this default asks one by one.
    fn blind_index_hits(
        &self,
        tenant: &TenantId,
        field: &FieldName,
        indexes: &[String],
    ) -> Result<Vec<(String, Token)>, StoreError> {
        let mut out = Vec::new();
        for i in indexes {
            for t in self.tokens_by_blind_index(tenant, field, i)? {
                out.push((i.clone(), t));
            }
        }
        Ok(out)
    }

    /// All values of a subject.
    fn subject_values(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Vec<ValueRecord>, StoreError>;

    /// The ledger's size and root.
    fn ledger_head(&self) -> Result<LedgerHead, StoreError>;

    /// A ledger node hash.
    fn ledger_node(&self, id: NodeId) -> Result<Option<Hash>, StoreError>;

    /// The API key with this secret hash (revoked ones included; the caller checks).
    fn api_key(&self, hash: &[u8; 32]) -> Result<Option<ApiKeyRecord>, StoreError>;

    /// All API keys (never their secrets).
    fn api_keys(&self) -> Result<Vec<ApiKeyRecord>, StoreError>;

    /// Up to `limit` values of a field collected before `before`, of live subjects under no
    /// legal hold: what the retention sweeper destroys next.
    fn expired_values(
        &self,
        tenant: &TenantId,
        field: &FieldName,
        before: Millis,
        limit: usize,
    ) -> Result<Vec<ValueRecord>, StoreError>;

    /// Requests of a tenant (`None`: of every tenant), in any order.
    fn requests(&self, tenant: Option<&TenantId>) -> Result<Vec<RequestRecord>, StoreError>;

    /// The epochs recorded, ascending.
    fn epochs(&self) -> Result<Vec<EpochRecord>, StoreError>;

    /// How many subject keys are wrapped under each epoch (epochs with none left out).
    fn key_counts(&self) -> Result<Vec<(Epoch, u64)>, StoreError>;

    /// Up to `limit` subject keys wrapped under an epoch older than `epoch`, as
    /// (tenant, subject, key): what a rotation re-wraps next.
    fn keys_before(
        &self,
        epoch: Epoch,
        limit: usize,
    ) -> Result<Vec<(TenantId, SubjectId, WrappedKey)>, StoreError>;

    /// The signed notes of all stored orders, in submission order.
    fn orders(&self) -> Result<Vec<String>, StoreError>;

    /// The legal bases on file for a tenant's transfers abroad.
    fn transfer_bases(
        &self,
        tenant: &TenantId,
    ) -> Result<Vec<crate::transfers::TransferBasis>, StoreError>;

    /// Individuals whose PI the organisation exported in `year`.
    fn transfer_counts(
        &self,
        organisation: &crate::ids::OrgCode,
        year: i32,
    ) -> Result<crate::transfers::Counts, StoreError>;

    /// Which of `subjects` (of `tenant`) are already counted for `year`: (subject, sensitive).
    fn transferred(
        &self,
        organisation: &crate::ids::OrgCode,
        year: i32,
        tenant: &TenantId,
        subjects: &[SubjectId],
    ) -> Result<Vec<(SubjectId, bool)>, StoreError>;

    /// The regulator keys pinned at the cell's creation (or its first start with keys), in
    /// pin order, each with the index of its `regulator_key_pinned` ledger entry; empty if
    /// none were.
    fn pinned_keys(&self) -> Result<Vec<(u64, String)>, StoreError>;

    /// The subject (with its tenant) registered when the transfer entry with this leaf hash
    /// (hex) was received from another cell, if it was.
    fn received(&self, leaf: &str) -> Result<Option<(TenantId, SubjectId)>, StoreError>;

    /// Erasures the store made outside an act and the ledger does not yet record, each with
    /// why: a registration a crash cut between SQLite's two files
    /// (`registration_cut_by_crash`), a subject a restore found erased after its backup
    /// (`erased_since_backup`), the backup's values of a subject re-keyed after it, which the
    /// restore deleted (`values_rekeyed_since_backup`: the subject stays).
    /// [`crate::Vault::open`] records them. The default is for stores that make none.
    fn unrecorded_erasures(&self) -> Result<Vec<(TenantId, SubjectId, String)>, StoreError> {
        Ok(Vec::new())
    }

    /// Whether a restore put a backup in place and the ledger does not yet record it: the
    /// restore marks it in the data it restores, so a restore cut before the vault opens is
    /// still recorded at the next open. [`crate::Vault::open`] records it, with the restore's
    /// erasures, in one job. The default is for stores that are never restored.
    fn unrecorded_restore(&self) -> Result<bool, StoreError> {
        Ok(false)
    }

    /// Writes a consistent copy of the store into the directory `out` in the SQLite store's
    /// layout (`vault.db`, `keys.db`), online; returns the copy's ledger size. No KEK or epoch
    /// key (the store has none).
    fn snapshot(&self, out: &std::path::Path) -> Result<u64, StoreError> {
        let _ = out;
        Err(StoreError::Backend("this store cannot take backups".into()))
    }

    /// The ledger entries naming this subject of this tenant (canonical bytes), by index.
    fn subject_entries(
        &self,
        tenant: &TenantId,
        subject: &SubjectId,
    ) -> Result<Vec<(u64, Vec<u8>)>, StoreError>;

    /// Ledger entries (canonical bytes) with index in `from..to`.
    fn ledger_entries(&self, from: u64, to: u64) -> Result<Vec<(u64, Vec<u8>)>, StoreError>;

    /// Whether the store answers now: a round trip to the database, and its writer running
    /// (readiness).
    fn ping(&self) -> Result<(), StoreError>;

    /// The writer's and the connections' figures since the store was opened (metrics).
    fn stats(&self) -> StoreStats;

    /// Returns once everything committed before the call is durable, for a read made with
    /// the reads that feed acts (which may see a batch still syncing) whose answer goes to a
    /// client. The default is for stores whose commits are durable before they are visible.
    fn settle(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Whether no other process can write this store while it is open (SQLite's lock file),
    /// so it may keep reads in memory; `false` (the default) for a store processes share.
    fn exclusive(&self) -> bool {
        false
    }
}

/// Upper bounds of the writer's batch-size buckets ([`StoreStats::batches`]).
pub const BATCH_BOUNDS: [u64; 10] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

/// How a store's writer and connections are doing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoreStats {
    /// Transactions the writer committed or tried, by batch size: `batches[i]` counts those
    /// of at most `BATCH_BOUNDS[i]` jobs (and more than the bound before).
    pub batches: [u64; BATCH_BOUNDS.len()],
    /// Jobs in those batches.
    pub jobs: u64,
    /// Jobs waiting for the writer now.
    pub queued: u64,
    /// Transactions begun in the round trip of the last batch's `COMMIT` (PostgreSQL).
    pub begun_in_commit: u64,
    /// Of the transactions tried so, those rolled back because another process had moved or
    /// held the ledger head (the next batch then locked it itself).
    pub begin_missed: u64,
    /// Transactions begun so and rolled back as no job came within a millisecond.
    pub begun_let_go: u64,
    /// Batches whose `COMMIT` went in the round trip of their own statements (PostgreSQL).
    pub committed_in_batch: u64,
    /// Read connections open now.
    pub connections: u64,
    /// Of those, in use now.
    pub connections_in_use: u64,
    /// Most read connections the store opens.
    pub connections_max: u64,
}

/// Adapts a [`Store`] to the ledger's [`custodian_ledger::NodeStore`] for proofs.
pub struct LedgerNodes<'a, S: Store + ?Sized>(pub &'a S);

impl<S: Store + ?Sized> custodian_ledger::NodeStore for LedgerNodes<'_, S> {
    type Error = StoreError;

    fn node(&self, id: NodeId) -> Result<Option<Hash>, StoreError> {
        self.0.ledger_node(id)
    }

    fn put_nodes(&mut self, _nodes: &[(NodeId, Hash)]) -> Result<(), StoreError> {
        Err(StoreError::Backend(
            "ledger nodes are written only by commit".into(),
        ))
    }
}
