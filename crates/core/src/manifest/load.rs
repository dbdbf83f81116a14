//! Parsing and checking a manifest: every problem with its line and rule.

use std::sync::LazyLock;

use custodian_detect::PiType;
use serde::Deserialize;
use toml::Spanned;

use super::{
    AppTypeRef, Field, FreeTextPolicy, Manifest, Problem, Purpose, RoleDecl, Service, Severity,
    Side, TokenKind,
};
use crate::catalog::{self, FieldType, LawfulBasis};
use crate::ids::{FieldName, OrgCode, PurposeId, ServiceName, SubjectRole};

/// The one role of a manifest that declares none.
pub(super) static USER_ROLE: LazyLock<RoleDecl> = LazyLock::new(|| RoleDecl {
    id: SubjectRole::parse("user").unwrap_or_else(|_| unreachable_role()),
    side: Side::Consumer,
    required_fields: Vec::new(),
    required_by: None,
});

fn unreachable_role() -> SubjectRole {
    // `user` is a valid identifier; this is never reached.
    SubjectRole::parse("u").unwrap_or_else(|_| unreachable_role())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    organisation: Option<Spanned<String>>,
    #[serde(default)]
    ciio: bool,
    app_type: Spanned<String>,
    notice_version: Spanned<String>,
    #[serde(default)]
    purposes: Vec<Spanned<RawPurpose>>,
    #[serde(default)]
    fields: Vec<Spanned<RawField>>,
    #[serde(default)]
    services: Vec<Spanned<RawService>>,
    #[serde(default)]
    subject_roles: Vec<Spanned<RawRole>>,
    #[serde(default)]
    recipients: Vec<Spanned<super::recipients::RawRecipient>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    id: Spanned<String>,
    side: Spanned<String>,
    #[serde(default)]
    required_fields: Vec<Spanned<String>>,
    required_by: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPurpose {
    id: Spanned<String>,
    #[serde(default)]
    description: String,
    lawful_basis: Option<Spanned<String>>,
    #[serde(default)]
    roles: Vec<Spanned<String>>,
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
    #[serde(default)]
    important_data: bool,
    on_undeclared_pi: Option<Spanned<String>>,
    #[serde(default)]
    mask_on_read: bool,
    #[serde(default)]
    roles: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    name: Spanned<String>,
    purposes: Spanned<Vec<Spanned<String>>>,
}

pub(super) struct Checker<'a> {
    src: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn line(&self, offset: usize) -> usize {
        self.src
            .get(..offset)
            .map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count() + 1)
    }

    pub(super) fn error(&mut self, at: usize, rule: &'static str, message: String) {
        let line = self.line(at);
        self.problems.push(Problem {
            line,
            rule,
            message,
            severity: Severity::Error,
        });
    }

    pub(super) fn note(&mut self, at: usize, rule: &'static str, message: String) {
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
        let organisation = match &raw.organisation {
            None => {
                c.error(
                    0,
                    "organisation_missing",
                    "`organisation` is missing: name the unified social credit code of the organisation that runs the app".into(),
                );
                None
            }
            Some(o) => match OrgCode::parse(o.get_ref()) {
                Ok(code) => Some(code),
                Err(e) => {
                    c.error(o.span().start, "invalid_organisation", e.to_string());
                    None
                }
            },
        };
        let notice_version = raw.notice_version.get_ref().trim().to_string();
        if notice_version.is_empty() {
            c.error(
                raw.notice_version.span().start,
                "notice_version_missing",
                "`notice_version` is empty; consents are given to a notice version".into(),
            );
        }

        // Subject roles.
        let mut roles: Vec<RoleDecl> = Vec::new();
        let mut role_raw: Vec<usize> = Vec::new();
        for (ri, r) in raw.subject_roles.iter().enumerate() {
            let at = r.span().start;
            let r = r.get_ref();
            let Ok(id) = SubjectRole::parse(r.id.get_ref()) else {
                c.error(
                    r.id.span().start,
                    "invalid_name",
                    format!(
                        "subject role `{}` is not a valid identifier",
                        r.id.get_ref()
                    ),
                );
                continue;
            };
            if roles.iter().any(|q| q.id == id) {
                c.error(
                    at,
                    "duplicate_subject_role",
                    format!("subject role `{id}` is declared twice"),
                );
                continue;
            }
            let side = match r.side.get_ref().as_str() {
                "consumer" => Side::Consumer,
                "supply" => Side::Supply,
                other => {
                    c.error(
                        r.side.span().start,
                        "unknown_side",
                        format!(
                            "subject role `{id}`: side `{other}` is not `consumer` or `supply`"
                        ),
                    );
                    continue;
                }
            };
            let required_by = r.required_by.clone().filter(|s| !s.trim().is_empty());
            if side == Side::Consumer && (!r.required_fields.is_empty() || required_by.is_some()) {
                c.error(at, "required_fields_on_consumer_role", format!(
                    "subject role `{id}` is consumer-side: its necessary PI is the app type's (`necessary` on each field), not `required_fields`"
                ));
            }
            if side == Side::Supply && !r.required_fields.is_empty() && required_by.is_none() {
                c.error(at, "required_fields_without_source", format!(
                    "subject role `{id}` requires fields but names no `required_by` (the law or rule that requires them)"
                ));
            }
            roles.push(RoleDecl {
                id,
                side,
                required_fields: Vec::new(),
                required_by,
            });
            role_raw.push(ri);
        }
        let role_list =
            |c: &mut Checker<'_>, what: &str, names: &[Spanned<String>], roles: &[RoleDecl]| {
                let mut out = Vec::new();
                for n in names {
                    match roles.iter().find(|r| r.id.as_str() == n.get_ref()) {
                        Some(r) => out.push(r.id.clone()),
                        None => c.error(
                            n.span().start,
                            "unknown_subject_role",
                            format!(
                                "{what} names subject role `{}`, which is not declared",
                                n.get_ref()
                            ),
                        ),
                    }
                }
                out
            };

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
            let proles = role_list(&mut c, &format!("purpose `{id}`"), &p.roles, &roles);
            purposes.push(Purpose {
                id,
                description: p.description.clone(),
                basis,
                roles: proles,
            });
        }

        // Fields.
        let mut fields: Vec<Field> = Vec::new();
        let mut field_at: Vec<usize> = Vec::new();
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
                    if let Some(item) = a.necessary_pi.iter().find(|i| &i.field == n.get_ref()) {
                        if !catalog::type_fits_category(ty, &item.category) {
                            c.error(n.span().start, "type_does_not_match_necessary_item", format!(
                                "field `{name}`: a {} field cannot be the necessary item `{}` ({}, category {})",
                                ty.name(), item.field, item.zh, item.category
                            ));
                        }
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
            let froles = role_list(&mut c, &format!("field `{name}`"), &f.roles, &roles);
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
                important_data: f.important_data,
                free_text,
                mask_on_read: f.mask_on_read,
                roles: froles,
            });
            field_at.push(at);
        }

        // Supply-side roles' required fields, then the necessary scope role by role.
        for (r, ri) in roles.iter_mut().zip(&role_raw) {
            let Some(raw_role) = raw.subject_roles.get(*ri) else {
                continue;
            };
            for n in &raw_role.get_ref().required_fields {
                match fields.iter().find(|f| f.name.as_str() == n.get_ref()) {
                    Some(f) => r.required_fields.push(f.name.clone()),
                    None => c.error(
                        n.span().start,
                        "unknown_field",
                        format!(
                            "subject role `{}` requires field `{}`, which is not declared",
                            r.id,
                            n.get_ref()
                        ),
                    ),
                }
            }
        }
        if roles.is_empty() {
            roles.push(USER_ROLE.clone());
        }
        for (f, &at) in fields.iter().zip(&field_at) {
            for r in roles.iter().filter(|r| f.serves(&r.id)) {
                if f.in_scope_for(r) {
                    continue;
                }
                for q in purposes
                    .iter()
                    .filter(|q| f.purposes.contains(&q.id) && q.serves(&r.id))
                {
                    if !q.basis.needs_consent() {
                        let scope = match r.side {
                            Side::Consumer => {
                                format!("beyond the necessary PI of `{}`", app_type.id())
                            }
                            Side::Supply => format!("not a field role `{}` requires", r.id),
                        };
                        c.error(at, "beyond_necessary_scope_without_consent", format!(
                            "field `{}` is {scope} for subjects of role `{}`, but purpose `{}` rests on `{}`: collecting it needs consent for that purpose (Necessary-PI Provisions; PIPL Arts. 6, 16)",
                            f.name, r.id, q.id, q.basis.name()
                        ));
                    }
                }
            }
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
        let recipients =
            super::recipients::check(&mut c, &raw.recipients, &purposes, &fields, &app_type);
        for p in &purposes {
            if !fields.iter().any(|f| f.purposes.contains(&p.id))
                && !recipients.iter().any(|r| r.purpose == p.id)
            {
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
        let (true, Some(organisation)) = (errors.is_empty(), organisation) else {
            let mut all = errors;
            all.extend(notes);
            all.sort_by_key(|p| p.line);
            return Err(all);
        };
        Ok(Manifest {
            organisation,
            ciio: raw.ciio,
            app_type,
            notice_version,
            purposes,
            fields,
            services,
            roles,
            recipients,
            notes,
            source: src.to_string(),
        })
    }
}
