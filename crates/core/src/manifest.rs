//! The privacy manifest: a tenant's privacy as code, one TOML file under version control.
//!
//! ```toml
//! app_type = "online_car_hailing"     # one of the 39 types, or any other id (self-declared)
//! notice_version = "2024-06"
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

use custodian_detect::PiType;
use serde::Deserialize;
use toml::Spanned;

use crate::catalog::{self, AppType, FieldType, LawfulBasis, SensitiveCategory};
use crate::ids::{FieldName, PurposeId, ServiceName};

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The manifest is refused.
    Error,
    /// Reported; the manifest loads.
    Note,
}

/// One problem found in a manifest.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
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
}

/// How a field's values are tokenized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Opaque random token (`tok_…`).
    Random,
    /// Deterministic token (keyed HMAC): equal values give equal tokens within a tenant.
    Deterministic,
    /// Vaulted random token in the value's own shape, from a range no real value uses.
    FormatPreserving,
}

/// What to do with PI found in a free-text field that the manifest does not declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
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
    /// Free-text policy (free-text fields only).
    pub free_text: Option<FreeTextPolicy>,
    /// Whether reads return masked values unless the caller asks for clear ones.
    pub mask_on_read: bool,
}

impl Field {
    /// Whether the field is within the app type's necessary scope.
    pub fn in_scope(&self) -> bool {
        self.necessary.is_some()
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
    /// Notes (not errors), e.g. a self-declared app type.
    pub notes: Vec<Problem>,
    /// The source it was loaded from.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    app_type: Spanned<String>,
    notice_version: Spanned<String>,
    #[serde(default)]
    purposes: Vec<Spanned<RawPurpose>>,
    #[serde(default)]
    fields: Vec<Spanned<RawField>>,
    #[serde(default)]
    services: Vec<Spanned<RawService>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPurpose {
    id: Spanned<String>,
    #[serde(default)]
    description: String,
    lawful_basis: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    name: Spanned<String>,
    pi_type: Spanned<String>,
    purposes: Spanned<Vec<Spanned<String>>>,
    retention_days: Spanned<i64>,
    necessary: Option<Spanned<String>>,
    necessity: Option<String>,
    sensitive: Option<bool>,
    token: Option<Spanned<String>>,
    #[serde(default)]
    blind_index: bool,
    on_undeclared_pi: Option<Spanned<String>>,
    #[serde(default)]
    mask_on_read: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    name: Spanned<String>,
    purposes: Spanned<Vec<Spanned<String>>>,
}

struct Checker<'a> {
    src: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn line(&self, offset: usize) -> usize {
        self.src
            .get(..offset)
            .map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count() + 1)
    }

    fn error(&mut self, at: usize, rule: &'static str, message: String) {
        let line = self.line(at);
        self.problems.push(Problem {
            line,
            rule,
            message,
            severity: Severity::Error,
        });
    }

    fn note(&mut self, at: usize, rule: &'static str, message: String) {
        let line = self.line(at);
        self.problems.push(Problem {
            line,
            rule,
            message,
            severity: Severity::Note,
        });
    }
}

impl Manifest {
    /// Parses and checks a manifest. On failure, every problem found, each with its line and
    /// rule.
    pub fn load(src: &str) -> Result<Manifest, Vec<Problem>> {
        let raw: RawManifest = toml::from_str(src).map_err(|e| {
            let line = e.span().map_or(0, |s| {
                src.get(..s.start)
                    .map_or(0, |p| p.matches('\n').count() + 1)
            });
            vec![Problem {
                line,
                rule: "toml_syntax",
                message: e.message().to_string(),
                severity: Severity::Error,
            }]
        })?;
        let mut c = Checker {
            src,
            problems: Vec::new(),
        };

        let at = raw.app_type.span().start;
        let app_type = match catalog::app_type(raw.app_type.get_ref()) {
            Some(a) => AppTypeRef::Listed(a),
            None => {
                let id = raw.app_type.get_ref().clone();
                c.note(
                    at,
                    "self_declared_app_type",
                    format!(
                        "app type `{id}` is not one of the 39 types of the 2021 Necessary-PI Provisions; it is self-declared, and so is its necessary scope"
                    ),
                );
                AppTypeRef::SelfDeclared(id)
            }
        };
        let notice_version = raw.notice_version.get_ref().trim().to_string();
        if notice_version.is_empty() {
            c.error(
                raw.notice_version.span().start,
                "notice_version_missing",
                "`notice_version` is empty; consents are given to a notice version".into(),
            );
        }

        // Purposes.
        let mut purposes: Vec<Purpose> = Vec::new();
        for p in &raw.purposes {
            let at = p.span().start;
            let p = p.get_ref();
            let Ok(id) = PurposeId::parse(p.id.get_ref()) else {
                c.error(
                    p.id.span().start,
                    "invalid_name",
                    format!("purpose id `{}` is not a valid identifier", p.id.get_ref()),
                );
                continue;
            };
            if purposes.iter().any(|q| q.id == id) {
                c.error(
                    at,
                    "duplicate_purpose",
                    format!("purpose `{id}` is declared twice"),
                );
                continue;
            }
            let basis = match &p.lawful_basis {
                None => {
                    c.error(
                        at,
                        "purpose_without_lawful_basis",
                        format!("purpose `{id}` has no `lawful_basis` (PIPL Art. 13)"),
                    );
                    continue;
                }
                Some(b) => match LawfulBasis::parse(b.get_ref()) {
                    Some(b) => b,
                    None => {
                        let names: Vec<&str> = LawfulBasis::ALL.iter().map(|(_, n)| *n).collect();
                        c.error(b.span().start, "unknown_lawful_basis", format!(
                            "purpose `{id}`: `{}` is not a PIPL Art. 13 lawful basis (one of {})",
                            b.get_ref(),
                            names.join(", ")
                        ));
                        continue;
                    }
                },
            };
            purposes.push(Purpose {
                id,
                description: p.description.clone(),
                basis,
            });
        }

        // Fields.
        let mut fields: Vec<Field> = Vec::new();
        for f in &raw.fields {
            let at = f.span().start;
            let f = f.get_ref();
            let Ok(name) = FieldName::parse(f.name.get_ref()) else {
                c.error(
                    f.name.span().start,
                    "invalid_name",
                    format!(
                        "field name `{}` is not a valid identifier",
                        f.name.get_ref()
                    ),
                );
                continue;
            };
            if fields.iter().any(|g| g.name == name) {
                c.error(
                    at,
                    "duplicate_field",
                    format!("field `{name}` is declared twice"),
                );
                continue;
            }
            let Some(ty) = FieldType::parse(f.pi_type.get_ref()) else {
                c.error(
                    f.pi_type.span().start,
                    "unknown_pi_type",
                    format!("field `{name}`: unknown PI type `{}`", f.pi_type.get_ref()),
                );
                continue;
            };
            let mut fpurposes = Vec::new();
            for p in f.purposes.get_ref() {
                match purposes.iter().find(|q| q.id.as_str() == p.get_ref()) {
                    Some(q) => fpurposes.push(q.id.clone()),
                    None => c.error(
                        p.span().start,
                        "unknown_purpose",
                        format!(
                            "field `{name}` names purpose `{}`, which is not declared",
                            p.get_ref()
                        ),
                    ),
                }
            }
            if f.purposes.get_ref().is_empty() {
                c.error(
                    f.purposes.span().start,
                    "field_without_purpose",
                    format!("field `{name}` has no purpose"),
                );
            }
            let retention = *f.retention_days.get_ref();
            let retention_ok = u32::try_from(retention).is_ok_and(|d| d > 0);
            let retention_days = match u32::try_from(retention) {
                Ok(d) if d > 0 => d,
                _ => {
                    c.error(
                        f.retention_days.span().start,
                        "invalid_retention",
                        format!(
                            "field `{name}`: `retention_days` must be a positive number of days"
                        ),
                    );
                    1
                }
            };
            if let Some((floor, why)) =
                catalog::retention_floor(app_type.id(), ty).filter(|_| retention_ok)
                && retention_days < floor
            {
                c.error(f.retention_days.span().start, "retention_below_floor", format!(
                        "field `{name}`: retention of {retention_days} days is below the floor of {floor} days: {why}"
                    ));
            }
            // Necessary scope.
            let necessary = match (&f.necessary, &app_type) {
                (None, _) => None,
                (Some(n), AppTypeRef::Listed(a)) => {
                    if a.necessary_pi.iter().any(|i| &i.field == n.get_ref()) {
                        Some(n.get_ref().clone())
                    } else {
                        let items: Vec<&str> =
                            a.necessary_pi.iter().map(|i| i.field.as_str()).collect();
                        c.error(n.span().start, "unknown_necessary_item", format!(
                            "field `{name}`: `{}` is not a necessary-PI item of `{}` (items: {})",
                            n.get_ref(),
                            a.id,
                            if items.is_empty() { "none: this type needs no PI".to_string() } else { items.join(", ") }
                        ));
                        None
                    }
                }
                (Some(n), AppTypeRef::SelfDeclared(_)) => Some(n.get_ref().clone()),
            };
            if necessary.is_none() {
                for p in &fpurposes {
                    if let Some(q) = purposes.iter().find(|q| &q.id == p)
                        && !q.basis.needs_consent()
                    {
                        c.error(at, "beyond_necessary_scope_without_consent", format!(
                                "field `{name}` is beyond the necessary PI of `{}`, but purpose `{}` rests on `{}`: collecting it needs consent for that purpose (Necessary-PI Provisions; PIPL Art. 16)",
                                app_type.id(),
                                q.id,
                                q.basis.name()
                            ));
                    }
                }
            }
            let sensitive = f.sensitive.unwrap_or(ty.sensitive().is_some());
            let necessity = f.necessity.clone().filter(|s| !s.trim().is_empty());
            if sensitive && necessity.is_none() {
                c.error(at, "sensitive_without_necessity", format!(
                    "field `{name}` is sensitive PI ({}) and states no `necessity` (PIPL Art. 28 ¶2: a specific purpose and sufficient necessity)",
                    ty.sensitive().map_or("declared sensitive".to_string(), |s| format!("{s:?}").to_lowercase())
                ));
            }
            let token = match f.token.as_ref().map(|t| t.get_ref().as_str()) {
                None | Some("random") => TokenKind::Random,
                Some("deterministic") => TokenKind::Deterministic,
                Some("format_preserving") => {
                    if matches!(
                        ty,
                        FieldType::Detected(PiType::CnMobile | PiType::CnResidentId)
                    ) {
                        TokenKind::FormatPreserving
                    } else {
                        c.error(f.token.as_ref().map_or(at, |t| t.span().start), "format_preserving_unsupported", format!(
                            "field `{name}`: format-preserving tokens exist for cn_mobile and cn_resident_id only"
                        ));
                        TokenKind::Random
                    }
                }
                Some(other) => {
                    c.error(f.token.as_ref().map_or(at, |t| t.span().start), "unknown_token_kind", format!(
                        "field `{name}`: token `{other}` is not one of random, deterministic, format_preserving"
                    ));
                    TokenKind::Random
                }
            };
            let free_text = match (&ty, &f.on_undeclared_pi) {
                (FieldType::FreeText, None) => {
                    c.error(at, "free_text_policy_missing", format!("free-text field `{name}` needs `on_undeclared_pi` (refuse, flag or tokenize)"));
                    None
                }
                (FieldType::FreeText, Some(p)) => match p.get_ref().as_str() {
                    "refuse" => Some(FreeTextPolicy::Refuse),
                    "flag" => Some(FreeTextPolicy::Flag),
                    "tokenize" => Some(FreeTextPolicy::Tokenize),
                    other => {
                        c.error(
                            p.span().start,
                            "unknown_free_text_policy",
                            format!("field `{name}`: `{other}` is not refuse, flag or tokenize"),
                        );
                        None
                    }
                },
                (_, Some(p)) => {
                    c.error(
                        p.span().start,
                        "free_text_policy_on_structured_field",
                        format!(
                            "field `{name}`: `on_undeclared_pi` applies to free_text fields only"
                        ),
                    );
                    None
                }
                (_, None) => None,
            };
            if f.blind_index && matches!(ty, FieldType::FreeText) {
                c.error(
                    at,
                    "blind_index_on_free_text",
                    format!("field `{name}`: a free-text field cannot have a blind index"),
                );
            }
            fields.push(Field {
                name,
                ty,
                purposes: fpurposes,
                retention_days,
                necessary,
                necessity,
                sensitive,
                token,
                blind_index: f.blind_index,
                free_text,
                mask_on_read: f.mask_on_read,
            });
        }

        // Services.
        let mut services: Vec<Service> = Vec::new();
        for s in &raw.services {
            let at = s.span().start;
            let s = s.get_ref();
            let Ok(name) = ServiceName::parse(s.name.get_ref()) else {
                c.error(
                    s.name.span().start,
                    "invalid_name",
                    format!(
                        "service name `{}` is not a valid identifier",
                        s.name.get_ref()
                    ),
                );
                continue;
            };
            if services.iter().any(|t| t.name == name) {
                c.error(
                    at,
                    "duplicate_service",
                    format!("service `{name}` is declared twice"),
                );
                continue;
            }
            let mut sp = Vec::new();
            for p in s.purposes.get_ref() {
                match purposes.iter().find(|q| q.id.as_str() == p.get_ref()) {
                    None => c.error(
                        p.span().start,
                        "unknown_purpose",
                        format!(
                            "service `{name}` is granted purpose `{}`, which is not declared",
                            p.get_ref()
                        ),
                    ),
                    Some(q) => {
                        if !fields.iter().any(|f| f.purposes.contains(&q.id)) {
                            c.error(
                                p.span().start,
                                "service_purpose_unused",
                                format!(
                                    "service `{name}` is granted purpose `{}`, which no field uses",
                                    q.id
                                ),
                            );
                        }
                        sp.push(q.id.clone());
                    }
                }
            }
            services.push(Service { name, purposes: sp });
        }
        for p in &purposes {
            if !fields.iter().any(|f| f.purposes.contains(&p.id)) {
                c.note(
                    0,
                    "purpose_unused",
                    format!("purpose `{}` is used by no field", p.id),
                );
            }
        }

        let (errors, notes): (Vec<Problem>, Vec<Problem>) = c
            .problems
            .into_iter()
            .partition(|p| p.severity == Severity::Error);
        if !errors.is_empty() {
            let mut all = errors;
            all.extend(notes);
            all.sort_by_key(|p| p.line);
            return Err(all);
        }
        Ok(Manifest {
            app_type,
            notice_version,
            purposes,
            fields,
            services,
            notes,
            source: src.to_string(),
        })
    }

    /// The field with this name.
    pub fn field(&self, name: &FieldName) -> Option<&Field> {
        self.fields.iter().find(|f| &f.name == name)
    }

    /// The purpose with this id.
    pub fn purpose(&self, id: &PurposeId) -> Option<&Purpose> {
        self.purposes.iter().find(|p| &p.id == id)
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
