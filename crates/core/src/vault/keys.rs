//! API keys: created (the secret shown once, stored as its SHA-256), revoked, listed, and
//! authenticated into a [`Principal`].

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

use custodian_ledger::{Decision as LedgerDecision, EntryKind, Id};
use zeroize::Zeroizing;

use super::{Vault, store_err};
use crate::access::{Access, AdminScope, Principal};
use crate::crypto::{self, Secret};
use crate::error::CoreError;
use crate::store::{ApiKeyRecord, Change};

/// SHA-256 of an API key secret.
fn key_hash(secret: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(secret.as_bytes()).into()
}

use crate::hex::encode as hex;

/// Principals by key hash, kept only for a store no other process writes
/// ([`crate::Store::exclusive`]): a revocation in this process bumps the generation, and an
/// entry from an older generation is never answered, so a revoked key is refused from the
/// revocation on. The cache is the vault's: a process opens one vault over its store (two
/// vaults over one store would not see each other's revocations).
#[derive(Default)]
pub(super) struct KeyCache {
    generation: AtomicU64,
    principals: RwLock<HashMap<[u8; 32], (Principal, u64)>>,
}

/// Principals kept at most (the map is emptied when full).
const KEY_CACHE_MAX: usize = 4096;

impl Vault {
    /// Creates an API key; the secret is returned once and stored only as its SHA-256. A
    /// service key's service must be declared in its tenant's manifest.
    pub fn create_api_key(
        &self,
        _admin: &AdminScope,
        access: Access,
    ) -> Result<(ApiKeyRecord, Secret), CoreError> {
        self.act(|a| {
            if let Some(t) = access.tenant() {
                let ts = a.tenant(t)?;
                if let Some(s) = access.service()
                    && ts.manifest.service(s).is_none()
                {
                    return Err(CoreError::invalid(
                        "the service is not declared in the tenant's manifest",
                    ));
                }
                a.set_tenant(t);
                a.set_service(&ts.manifest, access.service());
            }
            let mut raw = Zeroizing::new([0u8; 32]);
            crypto::random_bytes(raw.as_mut())?;
            let secret = Secret::new(Zeroizing::new(format!("cst_{}", hex(raw.as_ref()))));
            let id = format!("key_{}", crypto::random_hex(8)?);
            let rec = ApiKeyRecord {
                id: id.clone(),
                hash: key_hash(secret.expose()),
                role: access.role(),
                tenant: access.tenant().cloned(),
                service: access.service().cloned(),
                created_at: a.now(),
                revoked_at: None,
            };
            let mut e = a.entry(EntryKind::ConfigChange, LedgerDecision::Allow);
            e.reason = Id::new("api_key_created").ok();
            e.tokens = Id::new(&id).ok().into_iter().collect();
            a.commit(Change::PutApiKey(rec.clone()), vec![e])?;
            Ok((rec, secret.clone()))
        })
    }

    /// The principal behind a secret, if the key exists and is not revoked.
    pub fn authenticate(&self, secret: &str) -> Result<Option<Principal>, CoreError> {
        let hash = key_hash(secret);
        // Read before the store: an entry made from a read that a revocation overtook carries
        // the older generation.
        let generation = self.key_cache.generation.load(Ordering::Acquire);
        let Some(rec) = self.store.api_key(&hash).map_err(store_err)? else {
            return Ok(None);
        };
        // The lookup went by hash; compare again in constant time before trusting it.
        if !bool::from(subtle::ConstantTimeEq::ct_eq(&rec.hash[..], &hash[..]))
            || rec.revoked_at.is_some()
        {
            return Ok(None);
        }
        let principal =
            Access::from_parts(rec.role, rec.tenant, rec.service).map(|access| Principal {
                key_id: rec.id,
                access,
            });
        if let Some(p) = &principal
            && self.store.exclusive()
            && let Ok(mut m) = self.key_cache.principals.write()
        {
            if m.len() >= KEY_CACHE_MAX {
                m.clear();
            }
            m.insert(hash, (p.clone(), generation));
        }
        Ok(principal)
    }

    /// The principal behind a secret from memory, without a store read, if this process has
    /// authenticated it since it last revoked a key (only for a store no other process
    /// writes); `None`: ask [`Vault::authenticate`].
    pub fn authenticate_cached(&self, secret: &str) -> Option<Principal> {
        let hash = key_hash(secret);
        let generation = self.key_cache.generation.load(Ordering::Acquire);
        let m = self.key_cache.principals.read().ok()?;
        match m.get(&hash) {
            Some((p, g)) if *g == generation => Some(p.clone()),
            _ => None,
        }
    }

    /// Revokes an API key.
    pub fn revoke_api_key(&self, _admin: &AdminScope, id: &str) -> Result<(), CoreError> {
        self.act(|a| {
            let mut e = a.entry(EntryKind::ConfigChange, LedgerDecision::Allow);
            e.reason = Id::new("api_key_revoked").ok();
            e.tokens = Id::new(id).ok().into_iter().collect();
            let done = a.commit(
                Change::RevokeApiKey {
                    id: id.to_string(),
                    at: a.now(),
                },
                vec![e],
            );
            // Every principal this process kept is asked of the store again — also when the
            // commit reports an error (it may have been durable all the same).
            self.key_cache.generation.fetch_add(1, Ordering::AcqRel);
            if let Ok(mut m) = self.key_cache.principals.write() {
                m.clear();
            }
            done.map(|_| ())
        })
    }

    /// All API keys (ids and roles, never secrets).
    pub fn api_keys(&self, _admin: &AdminScope) -> Result<Vec<ApiKeyRecord>, CoreError> {
        self.store.api_keys().map_err(store_err)
    }
}
