//! The privacy manifest: a tenant's privacy as code, one TOML file under version control.
//!
//! ```toml
//! organisation = "91110108MA01R0DE0N" # unified social credit code of who runs the app
//! app_type = "online_car_hailing"     # one of the 39 types, or any other id (self-declared)
//! notice_version = "2024-06"
//! # ciio = true                       # a notified critical information infrastructure operator
//!
//! [[purposes]]
//! id = "dispatch"
//! description = "Match riders and drivers and run the trip"
//! lawful_basis = "contract"           # PIPL Art. 13: consent, contract, statutory_duty, ...
//!
//! [[fields]]
//! name = "phone"
//! pi_type = "cn_mobile"
//! purposes = ["dispatch"]
//! retention_days = 730
//! necessary = "registered_user_mobile" # the necessary-PI item this field is; absent = beyond scope
//! token = "format_preserving"          # random (default), deterministic, format_preserving
//! blind_index = true                   # allow lookup by value
//! # important_data = true               # notified important data: leaves only after a CAC assessment
//!
//! [[fields]]
//! name = "trip_note"
//! pi_type = "free_text"
//! purposes = ["dispatch"]
//! retention_days = 730
//! necessary = "passenger_trajectory"
//! on_undeclared_pi = "refuse"          # refuse, flag or tokenize PI nobody declared
//!
//! [[services]]
//! name = "dispatch-svc"
//! purposes = ["dispatch"]
//! ```
//!
//! [`Manifest::load`] checks the file and reports every problem with its line and rule.

use crate::catalog::{AppType, FieldType, LawfulBasis, SensitiveCategory};
use crate::ids::{FieldName, OrgCode, PurposeId, ServiceName, SubjectRole};
use crate::subject::SubjectInfo;

mod load;
mod recipients;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The manifest is refused.
    Error,
    /// Reported; the manifest loads.
    Note,
}

/// One problem found in a manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the TOML source (0 when not tied to a line).
    pub line: usize,
    /// Machine-readable rule, e.g. `beyond_necessary_scope_without_consent`.
    pub rule: &'static str,
    /// A sentence naming the field and the rule.
    pub message: String,
    /// Error or note.
    pub severity: Severity,
}

impl Severity {
    /// The severity's name (`error`, `note`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Note => "note",
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {} [{}]", self.line, self.message, self.rule)
    }
}

/// The app type a manifest declares.
#[derive(Clone, Debug)]
pub enum AppTypeRef {
    /// One of the 39 types of the 2021 Provisions.
    Listed(&'static AppType),
    /// A type the Provisions do not list (freight matching, for one): the tenant declares
    /// its own necessary scope, and every report says so.
    SelfDeclared(String),
}

impl AppTypeRef {
    /// The id.
    pub fn id(&self) -> &str {
        match self {
            AppTypeRef::Listed(a) => &a.id,
            AppTypeRef::SelfDeclared(s) => s,
        }
    }

    /// Whether the type is self-declared.
    pub fn is_self_declared(&self) -> bool {
        matches!(self, AppTypeRef::SelfDeclared(_))
    }
}

/// A declared purpose.
#[derive(Clone, Debug)]
pub struct Purpose {
    /// Id.
    pub id: PurposeId,
    /// What it is for, in the notice's words.
    pub description: String,
    /// Lawful basis.
    pub basis: LawfulBasis,
    /// The subject roles it applies to; empty = every role.
    pub roles: Vec<SubjectRole>,
}

impl Purpose {
    /// Whether the purpose applies to subjects of `role`.
    pub fn serves(&self, role: &SubjectRole) -> bool {
        self.roles.is_empty() || self.roles.contains(role)
    }
}

/// Which side of the platform a kind of subject is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Consumer-side users (passengers, job seekers, shippers): the 2021 Necessary-PI
    /// Provisions apply, field by field (`necessary`).
    Consumer,
    /// Supply-side users (drivers, recruiters, carriers): outside the Provisions; the role
    /// names the fields it requires and the rule that requires them (PIPL Art. 6
    /// minimisation still applies: anything else needs consent).
    Supply,
}

/// A recipient abroad a manifest declares (PIPL Art. 39's notice content).
#[derive(Clone, Debug)]
pub struct Recipient {
    /// Its id (what transfers and bases name).
    pub id: String,
    /// Its name.
    pub name: String,
    /// How the individual reaches it.
    pub contact: String,
    /// Its country (ISO 3166-1 alpha-2).
    pub country: crate::ids::Jurisdiction,
    /// The purpose of the transfer (a declared purpose; the separate consent is asked for it).
    pub purpose: PurposeId,
    /// The fields it may receive.
    pub fields: Vec<FieldName>,
    /// When the recipient is another Custodian cell (the same platform's cell of another
    /// jurisdiction, e.g. `EU` for a traveller): that cell's jurisdiction. Each allowed subject's
    /// transfer then carries a receipt the receiving cell verifies before it stores anything.
    pub cell: Option<crate::ids::Jurisdiction>,
}

/// A kind of subject the app serves.
#[derive(Clone, Debug)]
pub struct RoleDecl {
    /// Id (`passenger`, `driver`, ...).
    pub id: SubjectRole,
    /// Consumer or supply side.
    pub side: Side,
    /// Supply side: the fields this role must provide.
    pub required_fields: Vec<FieldName>,
    /// Supply side: the rule that requires them (e.g. 网约车暂行办法 Art. 14).
    pub required_by: Option<String>,
}

/// How a field's values are tokenized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Opaque random token (`tok_…`).
    Random,
    /// Deterministic token (keyed HMAC): a subject's equal values give equal tokens (another
    /// subject's equal value another token).
    Deterministic,
    /// Vaulted random token in the value's own shape, from a range no real value uses.
    FormatPreserving,
}

/// What to do with PI found in a free-text field that the manifest does not declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FreeTextPolicy {
    /// Refuse the value.
    Refuse,
    /// Accept it and report the findings.
    Flag,
    /// Replace each finding with a token before sealing.
    Tokenize,
}

/// A declared field.
#[derive(Clone, Debug)]
pub struct Field {
    /// Name.
    pub name: FieldName,
    /// Type.
    pub ty: FieldType,
    /// Purposes it may be processed for.
    pub purposes: Vec<PurposeId>,
    /// Days a value is kept.
    pub retention_days: u32,
    /// The necessary-PI item it is (listed types) or the necessity the tenant declares
    /// (self-declared types); `None` = beyond the necessary scope.
    pub necessary: Option<String>,
    /// The stated necessity of sensitive PI (PIPL Art. 28 ¶2).
    pub necessity: Option<String>,
    /// Whether it is sensitive PI.
    pub sensitive: bool,
    /// Tokenization.
    pub token: TokenKind,
    /// Whether a blind index allows lookup by value.
    pub blind_index: bool,
    /// Whether it is important data as notified or published (DSL Art. 21, 31): it leaves the
    /// country only after a CAC security assessment.
    pub important_data: bool,
    /// Free-text policy (free-text fields only).
    pub free_text: Option<FreeTextPolicy>,
    /// Whether reads return masked values unless the caller asks for clear ones.
    pub mask_on_read: bool,
    /// The subject roles it is collected from; empty = every role.
    pub roles: Vec<SubjectRole>,
}

impl Field {
    /// Whether the field is collected from subjects of `role`.
    pub fn serves(&self, role: &SubjectRole) -> bool {
        self.roles.is_empty() || self.roles.contains(role)
    }

    /// Whether the field is within the necessary scope for subjects of `role`: for the
    /// consumer side, a necessary-PI item of the app type (`necessary`); for the supply side,
    /// a field the role requires.
    pub fn in_scope_for(&self, role: &RoleDecl) -> bool {
        match role.side {
            Side::Consumer => self.necessary.is_some(),
            Side::Supply => role.required_fields.contains(&self.name),
        }
    }
}

/// A service and the purposes it may act for.
#[derive(Clone, Debug)]
pub struct Service {
    /// Name.
    pub name: ServiceName,
    /// Purposes.
    pub purposes: Vec<PurposeId>,
}

/// A checked manifest.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// The organisation that runs the app (its unified social credit code): orders binding
    /// it bind this tenant.
    pub organisation: OrgCode,
    /// Whether the organisation is a critical information infrastructure operator (as its
    /// protection department notified it): its PI leaves only after a CAC security assessment
    /// or under the contract, HR or emergency exemptions (2024 Provisions Art. 5, 7(1); PIPL
    /// Art. 40).
    pub ciio: bool,
    /// App type.
    pub app_type: AppTypeRef,
    /// Version of the privacy notice users consent to.
    pub notice_version: String,
    /// Purposes.
    pub purposes: Vec<Purpose>,
    /// Fields.
    pub fields: Vec<Field>,
    /// Services.
    pub services: Vec<Service>,
    /// The kinds of subject the app serves (never empty: a manifest that declares none has
    /// one consumer-side role, `user`).
    pub roles: Vec<RoleDecl>,
    /// Recipients abroad (the Art. 39 notice: who, how to reach them, where, why, what).
    pub recipients: Vec<Recipient>,
    /// Notes (not errors), e.g. a self-declared app type.
    pub notes: Vec<Problem>,
    /// The source it was loaded from.
    pub source: String,
}

impl Manifest {
    /// The recipient abroad with this id.
    pub fn recipient(&self, id: &str) -> Option<&Recipient> {
        self.recipients.iter().find(|r| r.id == id)
    }

    /// The field with this name.
    pub fn field(&self, name: &FieldName) -> Option<&Field> {
        self.fields.iter().find(|f| &f.name == name)
    }

    /// The purpose with this id.
    pub fn purpose(&self, id: &PurposeId) -> Option<&Purpose> {
        self.purposes.iter().find(|p| &p.id == id)
    }

    /// The declared subject role with this id.
    pub fn role(&self, id: &SubjectRole) -> Option<&RoleDecl> {
        self.roles.iter().find(|r| &r.id == id)
    }

    /// The role a registration without one gets: the first consumer-side role (the
    /// Necessary-PI Provisions apply in full), or the only role.
    pub fn default_role(&self) -> Option<&RoleDecl> {
        self.roles
            .iter()
            .find(|r| r.side == Side::Consumer)
            .or_else(|| {
                (self.roles.len() == 1)
                    .then(|| self.roles.first())
                    .flatten()
            })
    }

    /// The role of a subject (its own, or the default for subjects registered without one;
    /// a role the manifest no longer declares counts as the default too).
    pub fn role_of(&self, subject: &SubjectInfo) -> &RoleDecl {
        subject
            .role
            .as_ref()
            .and_then(|r| self.role(r))
            .or_else(|| self.default_role())
            .or_else(|| self.roles.first())
            .unwrap_or(&load::USER_ROLE)
    }

    /// The declared role ids, for messages.
    pub fn role_names(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The service with this name.
    pub fn service(&self, name: &ServiceName) -> Option<&Service> {
        self.services.iter().find(|s| &s.name == name)
    }

    /// Whether any field is sensitive of this category.
    pub fn has_sensitive(&self, cat: SensitiveCategory) -> bool {
        self.fields.iter().any(|f| f.ty.sensitive() == Some(cat))
    }
}
