//! Who may do what: roles, authenticated principals, the scopes vault methods take, and the
//! matrix of which role may perform which operation.
//!
//! The HTTP edge authenticates an API key into a [`Principal`] and asks it for the scope an
//! operation needs ([`Principal::service`], [`Principal::dpo`], ...); the matrix
//! ([`permits`]) decides, and only then does a handler hold the scope a vault method takes.
//! The library is the trusted boundary: a program linking it may build scopes directly
//! (`ServiceScope::new`), as it could open the store itself.
//!
//! Architecture Invariant: role names appear as strings only in this file ([`Role::as_str`],
//! [`Role::parse`]); stores and the API convert through them.

use crate::ids::{ServiceName, TenantId};

/// What an API key may do, by kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Tenants, keys, configuration; never reads PI.
    Admin,
    /// One service of one tenant: acts for its purposes only.
    Service,
    /// A tenant's data-protection officer: subject requests and reports.
    Dpo,
    /// A regulator: orders and the ledger; never reads PI.
    Regulator,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Service, Role::Dpo, Role::Regulator];

    /// The role's name in stores and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Service => "service",
            Role::Dpo => "dpo",
            Role::Regulator => "regulator",
        }
    }

    /// Parses a role name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A service of a tenant acting: collect, detokenize, lookup, register, consents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceScope {
    tenant: TenantId,
    service: ServiceName,
}

impl ServiceScope {
    /// The scope of `service` of `tenant` (the vault checks the manifest declares it).
    pub fn new(tenant: TenantId, service: ServiceName) -> ServiceScope {
        ServiceScope { tenant, service }
    }

    /// The service.
    pub fn service(&self) -> &ServiceName {
        &self.service
    }
}

/// A tenant's data-protection officer acting: subject requests, consents, reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DpoScope {
    tenant: TenantId,
}

impl DpoScope {
    /// The DPO scope of `tenant`.
    pub fn new(tenant: TenantId) -> DpoScope {
        DpoScope { tenant }
    }
}

/// The cell's administrator acting: tenants, manifests, API keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminScope(());

impl AdminScope {
    /// The administrator's scope.
    pub fn new() -> AdminScope {
        AdminScope(())
    }
}

impl Default for AdminScope {
    fn default() -> Self {
        AdminScope::new()
    }
}

/// A regulator acting: orders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegulatorScope(());

impl RegulatorScope {
    /// The regulator's scope.
    pub fn new() -> RegulatorScope {
        RegulatorScope(())
    }
}

impl Default for RegulatorScope {
    fn default() -> Self {
        RegulatorScope::new()
    }
}

/// A scope bound to one tenant: a service or its DPO. Consent changes take either.
pub trait TenantScoped {
    /// The tenant.
    fn tenant(&self) -> &TenantId;
    /// The acting service, if a service acts.
    fn acting_service(&self) -> Option<&ServiceName>;
}

impl TenantScoped for ServiceScope {
    fn tenant(&self) -> &TenantId {
        &self.tenant
    }
    fn acting_service(&self) -> Option<&ServiceName> {
        Some(&self.service)
    }
}

impl TenantScoped for DpoScope {
    fn tenant(&self) -> &TenantId {
        &self.tenant
    }
    fn acting_service(&self) -> Option<&ServiceName> {
        None
    }
}

/// What a key grants: its role and, for tenant roles, the tenant (and service).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// The administrator.
    Admin,
    /// A service of a tenant.
    Service(ServiceScope),
    /// A tenant's DPO.
    Dpo(DpoScope),
    /// A regulator.
    Regulator,
}

impl Access {
    /// The role.
    pub fn role(&self) -> Role {
        match self {
            Access::Admin => Role::Admin,
            Access::Service(_) => Role::Service,
            Access::Dpo(_) => Role::Dpo,
            Access::Regulator => Role::Regulator,
        }
    }

    /// The tenant of a service or DPO key.
    pub fn tenant(&self) -> Option<&TenantId> {
        match self {
            Access::Service(s) => Some(s.tenant()),
            Access::Dpo(d) => Some(d.tenant()),
            Access::Admin | Access::Regulator => None,
        }
    }

    /// The service of a service key.
    pub fn service(&self) -> Option<&ServiceName> {
        match self {
            Access::Service(s) => Some(s.service()),
            _ => None,
        }
    }

    /// Builds the access of a stored key: `None` when the parts do not fit the role (a
    /// service key without its service, say).
    pub fn from_parts(
        role: Role,
        tenant: Option<TenantId>,
        service: Option<ServiceName>,
    ) -> Option<Access> {
        match (role, tenant, service) {
            (Role::Admin, None, None) => Some(Access::Admin),
            (Role::Regulator, None, None) => Some(Access::Regulator),
            (Role::Service, Some(t), Some(s)) => Some(Access::Service(ServiceScope::new(t, s))),
            (Role::Dpo, Some(t), None) => Some(Access::Dpo(DpoScope::new(t))),
            _ => None,
        }
    }
}

/// An authenticated API key: its id and what it may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// Key id (`key_…`).
    pub key_id: String,
    /// What the key grants.
    pub access: Access,
}

/// What a caller may try to do. Every API route performs exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// List the cell's tenants.
    ListTenants,
    /// Create a tenant or replace its manifest.
    PutManifest,
    /// Read a tenant's manifest (its own tenant for service and DPO keys).
    ReadManifest,
    /// Create, list or revoke API keys.
    ManageKeys,
    /// Read the key hierarchy's status; rotate the epoch or the KEK.
    ManageKeyring,
    /// Take a backup of the cell.
    Backup,
    /// Register a subject.
    Register,
    /// Grant, list or withdraw a subject's consents.
    Consents,
    /// Collect values.
    Collect,
    /// Read values back.
    Detokenize,
    /// Find tokens by value (blind index).
    Lookup,
    /// A subject's copy of its data (PIPL Art. 45).
    Export,
    /// Erase a subject (PIPL Art. 47).
    Erase,
    /// Give a role to a subject registered without one.
    AssignRole,
    /// Replace a value with the person's correction (PIPL Art. 46).
    Rectify,
    /// Set or release a legal hold on a subject (PIPL Art. 47 ¶2).
    LegalHold,
    /// Destroy values past their retention now (the cell also sweeps hourly).
    SweepRetention,
    /// Record a person's request, or answer one.
    Requests,
    /// List requests (a DPO: its tenant's), overdue ones too.
    ReadRequests,
    /// Read the ledger: checkpoints, entries, proofs.
    ReadLedger,
    /// Submit a signed regulator order.
    SubmitOrder,
    /// Read orders and their status (a DPO: its tenant's).
    ReadOrders,
    /// Scan text or JSON for PI (nothing is stored).
    Scan,
    /// Transfer subjects' values to a recipient abroad, through the gate.
    Transfer,
    /// File a legal basis for a tenant's transfers abroad.
    ManageTransferBases,
    /// Read the bases on file and the organisation's yearly counts.
    ReadTransfers,
    /// Receive values another cell's gate let out to this cell (with their receipts).
    Receive,
    /// Judge captured traffic against an app type's necessary scope and a tenant's manifest.
    Inspect,
    /// Read a tenant's compliance report (its own tenant for a DPO).
    ReadReport,
    /// Learn what the caller's own key is (its id, role and tenant): the console's sign-in.
    Session,
}

/// The matrix: which roles may perform each operation.
pub const MATRIX: &[(Operation, &[Role])] = &[
    (Operation::ListTenants, &[Role::Admin, Role::Regulator]),
    (Operation::PutManifest, &[Role::Admin]),
    (
        Operation::ReadManifest,
        &[Role::Admin, Role::Regulator, Role::Service, Role::Dpo],
    ),
    (Operation::ManageKeys, &[Role::Admin]),
    (Operation::ManageKeyring, &[Role::Admin]),
    (Operation::Backup, &[Role::Admin]),
    (Operation::Register, &[Role::Service]),
    (Operation::Consents, &[Role::Service, Role::Dpo]),
    (Operation::Collect, &[Role::Service]),
    (Operation::Detokenize, &[Role::Service]),
    (Operation::Lookup, &[Role::Service]),
    (Operation::Export, &[Role::Dpo]),
    (Operation::Erase, &[Role::Dpo]),
    (Operation::AssignRole, &[Role::Dpo]),
    (Operation::Rectify, &[Role::Dpo]),
    (Operation::LegalHold, &[Role::Dpo]),
    (Operation::SweepRetention, &[Role::Admin]),
    (Operation::Requests, &[Role::Dpo]),
    (
        Operation::ReadRequests,
        &[Role::Dpo, Role::Regulator, Role::Admin],
    ),
    (
        Operation::ReadLedger,
        &[Role::Regulator, Role::Admin, Role::Dpo],
    ),
    (Operation::SubmitOrder, &[Role::Regulator]),
    (Operation::Transfer, &[Role::Service]),
    (Operation::ManageTransferBases, &[Role::Dpo]),
    (Operation::Receive, &[Role::Service]),
    (
        Operation::ReadTransfers,
        &[Role::Dpo, Role::Regulator, Role::Admin],
    ),
    (
        Operation::ReadOrders,
        &[Role::Regulator, Role::Admin, Role::Dpo],
    ),
    (
        Operation::Scan,
        &[Role::Admin, Role::Service, Role::Dpo, Role::Regulator],
    ),
    (Operation::Inspect, &[Role::Regulator]),
    (Operation::ReadReport, &[Role::Dpo, Role::Regulator]),
    (
        Operation::Session,
        &[Role::Admin, Role::Service, Role::Dpo, Role::Regulator],
    ),
];

impl Operation {
    /// The operation's name in snake case (`read_ledger`), as ledger entries spell it.
    pub fn name(self) -> String {
        let mut out = String::new();
        for (i, c) in format!("{self:?}").chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// Whether `role` may perform `op`.
pub fn permits(role: Role, op: Operation) -> bool {
    MATRIX
        .iter()
        .any(|(o, roles)| *o == op && roles.contains(&role))
}

/// Why a principal may not perform an operation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a {role} key may not do this: it needs {needs}")]
pub struct AccessError {
    role: Role,
    needs: String,
}

/// A scope for operations several roles may perform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The administrator.
    Admin(AdminScope),
    /// A service.
    Service(ServiceScope),
    /// A DPO.
    Dpo(DpoScope),
    /// A regulator.
    Regulator(RegulatorScope),
}

impl Scope {
    /// The tenant the scope is bound to, if any (`None`: the whole cell).
    pub fn tenant(&self) -> Option<&TenantId> {
        match self {
            Scope::Service(s) => Some(s.tenant()),
            Scope::Dpo(d) => Some(d.tenant()),
            Scope::Admin(_) | Scope::Regulator(_) => None,
        }
    }

    /// Whether the scope covers `tenant` (cell-wide scopes cover every tenant).
    pub fn covers(&self, tenant: &TenantId) -> bool {
        self.tenant().is_none_or(|t| t == tenant)
    }
}

impl Principal {
    fn refuse(&self, op: Operation) -> AccessError {
        let roles: Vec<&str> = MATRIX
            .iter()
            .find(|(o, _)| *o == op)
            .map(|(_, r)| r.iter().map(|r| r.as_str()).collect())
            .unwrap_or_default();
        AccessError {
            role: self.access.role(),
            needs: if roles.is_empty() {
                "a role no key has".to_string()
            } else {
                format!("a {} key", roles.join(" or "))
            },
        }
    }

    /// The scope for `op`, if the matrix lets this principal perform it.
    pub fn scope(&self, op: Operation) -> Result<Scope, AccessError> {
        if !permits(self.access.role(), op) {
            return Err(self.refuse(op));
        }
        Ok(match &self.access {
            Access::Admin => Scope::Admin(AdminScope::new()),
            Access::Service(s) => Scope::Service(s.clone()),
            Access::Dpo(d) => Scope::Dpo(d.clone()),
            Access::Regulator => Scope::Regulator(RegulatorScope::new()),
        })
    }

    /// The service scope for `op` (an operation only services perform).
    pub fn service(&self, op: Operation) -> Result<ServiceScope, AccessError> {
        match self.scope(op)? {
            Scope::Service(s) => Ok(s),
            _ => Err(self.refuse(op)),
        }
    }

    /// The DPO scope for `op`.
    pub fn dpo(&self, op: Operation) -> Result<DpoScope, AccessError> {
        match self.scope(op)? {
            Scope::Dpo(d) => Ok(d),
            _ => Err(self.refuse(op)),
        }
    }

    /// The administrator's scope for `op`.
    pub fn admin(&self, op: Operation) -> Result<AdminScope, AccessError> {
        match self.scope(op)? {
            Scope::Admin(a) => Ok(a),
            _ => Err(self.refuse(op)),
        }
    }

    /// The regulator's scope for `op`.
    pub fn regulator(&self, op: Operation) -> Result<RegulatorScope, AccessError> {
        match self.scope(op)? {
            Scope::Regulator(r) => Ok(r),
            _ => Err(self.refuse(op)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole matrix as a table: a change to who may do what changes this test.
    #[test]
    fn role_by_operation_matrix() {
        use Operation::*;
        let rows: &[(Operation, [bool; 4])] = &[
            //                 admin  service dpo    regulator
            (ListTenants, [true, false, false, true]),
            (PutManifest, [true, false, false, false]),
            (ReadManifest, [true, true, true, true]),
            (ManageKeys, [true, false, false, false]),
            (ManageKeyring, [true, false, false, false]),
            (Backup, [true, false, false, false]),
            (Register, [false, true, false, false]),
            (Consents, [false, true, true, false]),
            (Collect, [false, true, false, false]),
            (Detokenize, [false, true, false, false]),
            (Lookup, [false, true, false, false]),
            (Export, [false, false, true, false]),
            (Erase, [false, false, true, false]),
            (AssignRole, [false, false, true, false]),
            (Rectify, [false, false, true, false]),
            (LegalHold, [false, false, true, false]),
            (SweepRetention, [true, false, false, false]),
            (Requests, [false, false, true, false]),
            (ReadRequests, [true, false, true, true]),
            (ReadLedger, [true, false, true, true]),
            (SubmitOrder, [false, false, false, true]),
            (ReadOrders, [true, false, true, true]),
            (Scan, [true, true, true, true]),
            (Transfer, [false, true, false, false]),
            (ManageTransferBases, [false, false, true, false]),
            (ReadTransfers, [true, false, true, true]),
            (Receive, [false, true, false, false]),
            (Inspect, [false, false, false, true]),
            (ReadReport, [false, false, true, true]),
            (Session, [true, true, true, true]),
        ];
        assert_eq!(rows.len(), MATRIX.len(), "every operation has a row");
        for (op, expect) in rows {
            for (role, want) in Role::ALL.iter().zip(expect) {
                assert_eq!(permits(*role, *op), *want, "{role} × {op:?}");
            }
        }
    }

    #[test]
    fn roles_round_trip_and_scopes_follow_the_matrix() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
        let t = TenantId::parse("ride").unwrap();
        let svc = Principal {
            key_id: "key_1".into(),
            access: Access::Service(ServiceScope::new(
                t.clone(),
                ServiceName::parse("dispatch").unwrap(),
            )),
        };
        assert!(svc.service(Operation::Collect).is_ok());
        let e = svc.dpo(Operation::Export).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a service key may not do this: it needs a dpo key"
        );
        assert!(svc.scope(Operation::Consents).unwrap().covers(&t));
        assert!(
            !svc.scope(Operation::Consents)
                .unwrap()
                .covers(&TenantId::parse("jobs").unwrap())
        );
        assert_eq!(
            Access::from_parts(Role::Service, Some(t.clone()), None),
            None
        );
        assert_eq!(Access::from_parts(Role::Admin, Some(t), None), None);
    }
}
