//! Tenants: loading a manifest (creating the tenant) and reading it.

use std::sync::Arc;

use custodian_ledger::{Decision as LedgerDecision, EntryKind, Id};

use super::{TenantState, Vault, poisoned, tenant_key_aad};
use crate::access::AdminScope;
use crate::crypto::DataKey;
use crate::decision::decide_tenant;
use crate::error::CoreError;
use crate::ids::{OrgCode, TenantId};
use crate::manifest::{Manifest, Problem};
use crate::store::{Change, TenantRecord};

impl Vault {
    /// Creates a tenant or replaces its manifest. Problems come back with lines and rules;
    /// notes (e.g. a self-declared app type) come back on success.
    pub fn load_manifest(
        &self,
        _admin: &AdminScope,
        tenant: &TenantId,
        src: &str,
    ) -> Result<Vec<Problem>, CoreError> {
        let manifest = Manifest::load(src).map_err(CoreError::Manifest)?;
        // Under the order table's write guard: two loads of one tenant's manifest never
        // interleave between their commits and the cache update (one process; across
        // processes the generation check does it).
        self.act_on_orders(
            |a| {
                a.set_tenant(tenant);
                let existing = a.tenant(tenant).ok();
                let binding = crate::orders::binding(&a.table().orders, a.now());
                let reasons = decide_tenant(
                    a.active(),
                    &binding,
                    tenant,
                    existing.as_ref().map(|s| &s.manifest),
                    &manifest,
                );
                let current = existing.as_ref().map(|s| &s.manifest.organisation);
                if !reasons.is_empty() {
                    return a.refuse(EntryKind::ConfigChange, reasons, |e| {
                        e.destination = Some(manifest.organisation.ledger());
                    });
                }
                let moved_from = current.filter(|c| **c != manifest.organisation).cloned();
                let key = match &existing {
                    Some(s) => s.key.clone(),
                    None => DataKey::generate()?,
                };
                let wrapped_key = self.wrap_new_key(&key, &tenant_key_aad(tenant))?;
                let mut e = a.entry(EntryKind::ConfigChange, LedgerDecision::Allow);
                // The organisation the tenant belongs to (and, on a move, the one it left).
                e.reason = Id::new(match (&existing, &moved_from) {
                    (None, _) => "tenant_created",
                    (Some(_), Some(_)) => "tenant_moved",
                    (Some(_), None) => "manifest_replaced",
                })
                .ok();
                e.destination = Some(manifest.organisation.ledger());
                e.tokens = moved_from.iter().map(OrgCode::ledger).collect();
                a.commit(
                    Change::PutTenant(TenantRecord {
                        id: tenant.clone(),
                        manifest: src.to_string(),
                        wrapped_key,
                    }),
                    vec![e],
                )?;
                self.tenants
                    .write()
                    .map_err(|_| poisoned("tenant table"))?
                    .insert(
                        tenant.clone(),
                        Arc::new(TenantState {
                            manifest: manifest.clone(),
                            key,
                        }),
                    );
                Ok(manifest.notes.clone())
            },
            |_, _| {},
        )
    }

    /// The manifest of a tenant.
    pub fn manifest(&self, t: &TenantId) -> Result<Manifest, CoreError> {
        Ok(self.tenant(t)?.manifest.clone())
    }

    /// Tenants of the cell, sorted.
    pub fn tenant_ids(&self) -> Vec<TenantId> {
        // This process's view if the store cannot say (acts still check the generation).
        let _ = self.refresh_if_changed();
        let mut ids: Vec<TenantId> = self
            .tenants
            .read()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        ids.sort();
        ids
    }
}
