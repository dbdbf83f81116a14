//! API keys: created (the secret shown once, stored as its SHA-256), revoked, listed, and
//! authenticated into a [`Principal`].

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
        let Some(rec) = self.store.api_key(&hash).map_err(store_err)? else {
            return Ok(None);
        };
        // The lookup went by hash; compare again in constant time before trusting it.
        if !bool::from(subtle::ConstantTimeEq::ct_eq(&rec.hash[..], &hash[..]))
            || rec.revoked_at.is_some()
        {
            return Ok(None);
        }
        Ok(
            Access::from_parts(rec.role, rec.tenant, rec.service).map(|access| Principal {
                key_id: rec.id,
                access,
            }),
        )
    }

    /// Revokes an API key.
    pub fn revoke_api_key(&self, _admin: &AdminScope, id: &str) -> Result<(), CoreError> {
        self.act(|a| {
            let mut e = a.entry(EntryKind::ConfigChange, LedgerDecision::Allow);
            e.reason = Id::new("api_key_revoked").ok();
            e.tokens = Id::new(id).ok().into_iter().collect();
            a.commit(
                Change::RevokeApiKey {
                    id: id.to_string(),
                    at: a.now(),
                },
                vec![e],
            )?;
            Ok(())
        })
    }

    /// All API keys (ids and roles, never secrets).
    pub fn api_keys(&self, _admin: &AdminScope) -> Result<Vec<ApiKeyRecord>, CoreError> {
        self.store.api_keys().map_err(store_err)
    }
}
