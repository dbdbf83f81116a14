//! The verdicts and the report: every exchange's findings gathered per endpoint and field
//! (memory bounded by the distinct fields, not the capture's size), then each field judged
//! against the app type's necessary scope and the tenant's manifest.

use std::collections::BTreeMap;

use custodian_core::catalog::{self, AppType, FieldType};
use custodian_core::manifest::Manifest;
use custodian_detect::{Detector, PiType};
use serde::Serialize;

use crate::capture::Exchange;
use crate::extract::{self, Location};

/// The report's schema id (its shape is documented in ARCHITECTURE.md).
pub const SCHEMA: &str = "custodian.inspect/1";

/// Most distinct (endpoint, field, type) rows kept; beyond, occurrences are only counted.
pub const MAX_FIELDS: usize = 100_000;
/// Most distinct endpoints, and hosts, kept; beyond, they are gathered under `(other)`.
pub const MAX_ENDPOINTS: usize = 10_000;

/// What the traffic is judged against.
#[derive(Clone, Debug)]
pub enum Scope {
    /// One of the 39 app types of the 2021 Provisions.
    Listed(&'static AppType),
    /// A type the Provisions do not list, with the necessary-PI categories it declares
    /// (`contact`, `location`, ...; the Provisions' vocabulary).
    SelfDeclared {
        /// Its id.
        id: String,
        /// Its necessary categories.
        categories: Vec<String>,
    },
}

impl Scope {
    /// The scope named by an app type (`online_car_hailing`, or `self:NAME` with its
    /// necessary categories); `None` when neither is given.
    pub fn named(app_type: Option<&str>, necessary: &[String]) -> Result<Option<Scope>, String> {
        match app_type {
            None if necessary.is_empty() => Ok(None),
            None => Err("necessary categories go with a self-declared app type (self:NAME)".into()),
            Some(t) => match t.strip_prefix("self:") {
                Some(id) if !id.is_empty() => {
                    if necessary.is_empty() {
                        return Err("a self-declared app type needs its necessary categories (contact, location, ...)".into());
                    }
                    let known = |c: &String| {
                        catalog::app_types().iter().any(|a| a.necessary_pi.iter().any(|i| &i.category == c))
                    };
                    if let Some(c) = necessary.iter().find(|c| !known(c)) {
                        return Err(format!("`{c}` is not a category of the 2021 Provisions' vocabulary"));
                    }
                    Ok(Some(Scope::SelfDeclared {
                        id: id.to_string(),
                        categories: necessary.to_vec(),
                    }))
                }
                Some(_) => Err("a self-declared app type needs a name (self:NAME)".into()),
                None if !necessary.is_empty() => Err(format!(
                    "necessary categories are for self-declared types; `{t}` has the Provisions' own list"
                )),
                None => catalog::app_type(t).map(|a| Some(Scope::Listed(a))).ok_or_else(|| {
                    format!("unknown app type `{t}`: one of the 39 of the 2021 Provisions (e.g. online_car_hailing), or self:NAME")
                }),
            },
        }
    }
}

/// The inspection's settings.
#[derive(Clone, Debug)]
pub struct Policy {
    /// The app type's scope (from the manifest when not given).
    pub scope: Option<Scope>,
    /// The tenant's manifest, if the app has one.
    pub manifest: Option<Manifest>,
    /// The app's own hosts (a host matches one equal to it or ending in `.` and it); empty:
    /// inferred from the capture.
    pub first_party: Vec<String>,
    /// Substrings of a path that mark the consent call (a request other than GET).
    pub consent_paths: Vec<String>,
}

/// The consent-call markers used when none are given.
pub const DEFAULT_CONSENT_PATHS: &[&str] = &["consent", "privacy/agree", "agreement/accept"];

/// A verdict on a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Sent to a host other than the app's own (analytics, ad SDKs).
    ThirdParty,
    /// Sent before the consent call.
    BeforeConsent,
    /// Not declared by the manifest.
    Undeclared,
    /// Sensitive PI without a declaration that brings its separate consent.
    SensitiveWithoutSeparateConsent,
    /// Declared, but beyond the app type's necessary scope.
    DeclaredBeyondNecessary,
    /// Beyond the app type's necessary scope (no manifest to say more).
    BeyondNecessary,
    /// Within the necessary scope.
    Necessary,
    /// Returned by the app in a response (not a collection).
    InResponse,
}

impl Verdict {
    /// How much it matters.
    pub fn severity(self) -> Severity {
        match self {
            Verdict::ThirdParty
            | Verdict::BeforeConsent
            | Verdict::Undeclared
            | Verdict::SensitiveWithoutSeparateConsent => Severity::High,
            Verdict::DeclaredBeyondNecessary | Verdict::BeyondNecessary => Severity::Medium,
            Verdict::Necessary | Verdict::InResponse => Severity::Info,
        }
    }

    /// Its name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::ThirdParty => "third_party",
            Verdict::BeforeConsent => "before_consent",
            Verdict::Undeclared => "undeclared",
            Verdict::SensitiveWithoutSeparateConsent => "sensitive_without_separate_consent",
            Verdict::DeclaredBeyondNecessary => "declared_beyond_necessary",
            Verdict::BeyondNecessary => "beyond_necessary",
            Verdict::Necessary => "necessary",
            Verdict::InResponse => "in_response",
        }
    }

    /// A sentence for people.
    pub fn explain(self) -> &'static str {
        match self {
            Verdict::ThirdParty => "sent to a host that is not the app's own",
            Verdict::BeforeConsent => "sent before the user agreed to the privacy notice",
            Verdict::Undeclared => "the manifest declares no field of this type",
            Verdict::SensitiveWithoutSeparateConsent => {
                "sensitive PI with no declaration that brings its separate consent"
            }
            Verdict::DeclaredBeyondNecessary => {
                "declared, but beyond the necessary PI of the app type"
            }
            Verdict::BeyondNecessary => "beyond the necessary PI of the app type",
            Verdict::Necessary => "within the necessary PI of the app type",
            Verdict::InResponse => "returned by the app in a response",
        }
    }
}

/// Severity, highest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A finding a regulator acts on.
    High,
    /// Worth a look.
    Medium,
    /// For the record.
    Info,
}

impl Severity {
    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Info => "info",
        }
    }
}

type EndpointKey = (String, String, String);
type FieldKey = (Location, String, PiType);

#[derive(Default)]
struct FieldAgg {
    count: u64,
    example: String,
    first: (Option<i64>, u64),
}

#[derive(Default)]
struct EndpointAgg {
    requests: u64,
    fields: BTreeMap<FieldKey, FieldAgg>,
}

/// Reads exchanges one at a time; [`Inspector::finish`] gives the report.
pub struct Inspector {
    det: Detector,
    policy: Policy,
    endpoints: BTreeMap<EndpointKey, EndpointAgg>,
    hosts: BTreeMap<String, u64>,
    rows: usize,
    dropped: u64,
    seq: u64,
    /// The first consent call to each host (the app's own is chosen at the end).
    consents: BTreeMap<String, (Option<i64>, u64, String)>,
}

impl Inspector {
    /// Checks the settings: an app type is needed (given, or the manifest's), and one given
    /// must be the manifest's.
    pub fn new(mut policy: Policy) -> Result<Inspector, String> {
        if let Some(m) = &policy.manifest {
            let declared = match &m.app_type {
                custodian_core::manifest::AppTypeRef::Listed(a) => Scope::Listed(a),
                custodian_core::manifest::AppTypeRef::SelfDeclared(id) => Scope::SelfDeclared {
                    id: id.clone(),
                    categories: Vec::new(),
                },
            };
            match &policy.scope {
                Some(s) if scope_id(s) != scope_id(&declared) => {
                    return Err(format!(
                        "the manifest declares app type `{}`, not `{}`",
                        scope_id(&declared),
                        scope_id(s)
                    ));
                }
                Some(_) => {}
                None => policy.scope = Some(declared),
            }
        }
        if policy.scope.is_none() {
            return Err("name the app type (`--app-type`) or give the app's manifest".into());
        }
        if policy.consent_paths.is_empty() {
            policy.consent_paths = DEFAULT_CONSENT_PATHS
                .iter()
                .map(|s| s.to_string())
                .collect();
        }
        policy.first_party = policy
            .first_party
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        Ok(Inspector {
            det: Detector::new(),
            policy,
            endpoints: BTreeMap::new(),
            hosts: BTreeMap::new(),
            rows: 0,
            dropped: 0,
            seq: 0,
            consents: BTreeMap::new(),
        })
    }

    /// Takes one exchange in.
    pub fn observe(&mut self, x: &Exchange) {
        self.seq += 1;
        let mut seen = extract::extract(&self.det, x);
        if !self.hosts.contains_key(&seen.host) && self.hosts.len() >= MAX_ENDPOINTS {
            seen.host = "(other)".into();
        }
        *self.hosts.entry(seen.host.clone()).or_default() += 1;
        let path = seen.template.to_ascii_lowercase();
        if matches!(seen.method.as_str(), "POST" | "PUT" | "PATCH")
            && !self.consents.contains_key(&seen.host)
            && self
                .policy
                .consent_paths
                .iter()
                .any(|p| path.contains(&p.to_ascii_lowercase()))
        {
            self.consents.insert(
                seen.host.clone(),
                (
                    x.time_ms,
                    self.seq,
                    format!("{} {}{}", seen.method, seen.host, seen.template),
                ),
            );
        }
        let mut key = (seen.method, seen.host, seen.template);
        if !self.endpoints.contains_key(&key) && self.endpoints.len() >= MAX_ENDPOINTS {
            key = ("OTHER".into(), "(other)".into(), "(other)".into());
        }
        let ep = self.endpoints.entry(key).or_default();
        ep.requests += 1;
        for o in seen.found {
            let k = (o.location, o.name, o.pi_type);
            if !ep.fields.contains_key(&k) {
                if self.rows >= MAX_FIELDS {
                    self.dropped += 1;
                    continue;
                }
                self.rows += 1;
            }
            let f = ep.fields.entry(k).or_insert_with(|| FieldAgg {
                count: 0,
                example: o.masked.clone(),
                first: (x.time_ms, self.seq),
            });
            f.count += 1;
        }
    }

    /// Judges every field and builds the report.
    pub fn finish(self) -> Report {
        let inferred = self.policy.first_party.is_empty();
        let first_party = if inferred {
            infer_first_party(&self.hosts)
        } else {
            self.policy.first_party.clone()
        };
        let is_first = |h: &str| {
            first_party
                .iter()
                .any(|f| h == f || h.ends_with(&format!(".{f}")))
        };
        let scope = self.policy.scope.clone();
        // The app's own consent call: the earliest to a first-party host (a consent ping to an
        // SDK's host is not the user agreeing to the app's notice).
        let consent = self
            .consents
            .iter()
            .filter(|(h, _)| is_first(h))
            .map(|(_, c)| c.clone())
            .min_by_key(|c| (c.0, c.1));
        let mut endpoints = Vec::new();
        let mut by_verdict: BTreeMap<&'static str, u64> = BTreeMap::new();
        let mut by_severity: BTreeMap<&'static str, u64> = BTreeMap::new();
        let mut occurrences = 0;
        for ((method, host, template), ep) in self.endpoints {
            let first = is_first(&host);
            let mut fields = Vec::new();
            for ((location, name, t), f) in ep.fields {
                let mut verdicts = Vec::new();
                if location == Location::Response {
                    verdicts.push(Verdict::InResponse);
                } else {
                    if !first {
                        verdicts.push(Verdict::ThirdParty);
                    }
                    if let Some((ctime, cseq, _)) = &consent {
                        // By the capture's clock where both have a time (ties by order),
                        // else by order in the capture.
                        let before = match (f.first.0, ctime) {
                            (Some(a), Some(b)) => (a, f.first.1) < (*b, *cseq),
                            _ => f.first.1 < *cseq,
                        };
                        if before {
                            verdicts.push(Verdict::BeforeConsent);
                        }
                    }
                    verdicts.extend(judge(scope.as_ref(), self.policy.manifest.as_ref(), t));
                }
                verdicts.sort();
                let severity = verdicts
                    .iter()
                    .map(|v| v.severity())
                    .min()
                    .unwrap_or(Severity::Info);
                for v in &verdicts {
                    *by_verdict.entry(v.as_str()).or_default() += 1;
                }
                *by_severity.entry(severity.as_str()).or_default() += 1;
                occurrences += f.count;
                fields.push(FieldView {
                    location: location.as_str(),
                    name,
                    pi_type: t.name(),
                    count: f.count,
                    example: f.example,
                    verdicts,
                    severity,
                    first_seen_ms: f.first.0,
                });
            }
            fields.sort_by(|a, b| {
                (a.severity, a.location, &a.name).cmp(&(b.severity, b.location, &b.name))
            });
            let severity = fields.iter().map(|f| f.severity).min();
            endpoints.push(EndpointView {
                method,
                first_party: first,
                host,
                template,
                requests: ep.requests,
                severity,
                fields,
            });
        }
        endpoints.sort_by(|a, b| {
            (
                a.severity.unwrap_or(Severity::Info),
                &a.host,
                &a.template,
                &a.method,
            )
                .cmp(&(
                    b.severity.unwrap_or(Severity::Info),
                    &b.host,
                    &b.template,
                    &b.method,
                ))
        });
        let hosts = self
            .hosts
            .iter()
            .map(|(h, n)| HostView {
                host: h.clone(),
                requests: *n,
                first_party: is_first(h),
            })
            .collect();
        let (app_type, app_type_name, self_declared) = match &scope {
            Some(Scope::Listed(a)) => (a.id.clone(), format!("{} ({})", a.en, a.zh), false),
            Some(Scope::SelfDeclared { id, .. }) => {
                (id.clone(), format!("{id} (self-declared)"), true)
            }
            None => (String::new(), String::new(), false),
        };
        Report {
            schema: SCHEMA,
            app_type,
            app_type_name,
            self_declared,
            organisation: self
                .policy
                .manifest
                .as_ref()
                .map(|m| m.organisation.to_string()),
            first_party_hosts: first_party,
            first_party_inferred: inferred,
            consent: consent.map(|(t, seq, call)| ConsentView {
                call,
                time_ms: t,
                exchange: seq,
            }),
            exchanges: self.seq,
            summary: Summary {
                endpoints: endpoints.len(),
                fields: endpoints.iter().map(|e| e.fields.len()).sum(),
                occurrences,
                by_verdict: by_verdict
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
                by_severity: by_severity
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
                hosts,
                not_kept: self.dropped,
            },
            endpoints,
        }
    }
}

fn scope_id(s: &Scope) -> &str {
    match s {
        Scope::Listed(a) => &a.id,
        Scope::SelfDeclared { id, .. } => id,
    }
}

/// The busiest host and those sharing its last two labels (an IP address stands alone).
fn infer_first_party(hosts: &BTreeMap<String, u64>) -> Vec<String> {
    let Some((busiest, _)) = hosts
        .iter()
        .filter(|(h, _)| !h.is_empty())
        .max_by_key(|(_, n)| **n)
    else {
        return Vec::new();
    };
    if busiest.parse::<std::net::IpAddr>().is_ok() || !busiest.contains('.') {
        return vec![busiest.clone()];
    }
    // Second-level registries common in this cell's traffic (`ride.com.cn` is a domain,
    // `com.cn` is not); any other public suffix of two labels makes the inference too wide,
    // which the report says, with `--first-party-hosts` to correct it.
    const TWO_LEVEL: &[&str] = &[
        "com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "com.hk", "com.tw", "com.sg", "co.uk",
        "co.jp", "com.au",
    ];
    let labels: Vec<&str> = busiest.split('.').collect();
    let keep = if labels.len() >= 3
        && TWO_LEVEL.contains(&labels[labels.len() - 2..].join(".").as_str())
    {
        3
    } else {
        2
    };
    vec![labels[labels.len().saturating_sub(keep)..].join(".")]
}

/// Whether a manifest field's type holds what the engine found as `t`.
fn holds(ty: FieldType, t: PiType) -> bool {
    match ty {
        FieldType::Detected(d) => {
            d == t
                || matches!(
                    (d, t),
                    (
                        PiType::PersonNameZh | PiType::PersonNameEn,
                        PiType::PersonNameZh | PiType::PersonNameEn
                    )
                )
        }
        FieldType::Other("trip_track" | "precise_location") => t == PiType::GpsCoordinate,
        _ => false,
    }
}

/// The declaration and scope verdicts for a value of type `t` a first or third party received.
fn judge(scope: Option<&Scope>, manifest: Option<&Manifest>, t: PiType) -> Vec<Verdict> {
    let mut out = Vec::new();
    let sensitive = FieldType::Detected(t).sensitive().is_some();
    if let Some(m) = manifest {
        let fields: Vec<_> = m.fields.iter().filter(|f| holds(f.ty, t)).collect();
        if fields.is_empty() {
            out.push(Verdict::Undeclared);
        } else if fields.iter().all(|f| f.necessary.is_none()) {
            out.push(Verdict::DeclaredBeyondNecessary);
        } else {
            out.push(Verdict::Necessary);
        }
        if sensitive && !fields.iter().any(|f| f.sensitive) {
            out.push(Verdict::SensitiveWithoutSeparateConsent);
        }
        return out;
    }
    let fits = |cat: &str| catalog::type_fits_category(FieldType::Detected(t), cat);
    let necessary = match scope {
        Some(Scope::Listed(a)) => {
            !a.no_pi_required && a.necessary_pi.iter().any(|i| fits(&i.category))
        }
        Some(Scope::SelfDeclared { categories, .. }) => categories.iter().any(|c| fits(c)),
        None => false,
    };
    out.push(if necessary {
        Verdict::Necessary
    } else {
        Verdict::BeyondNecessary
    });
    if sensitive {
        out.push(Verdict::SensitiveWithoutSeparateConsent);
    }
    out
}

/// The report (schema [`SCHEMA`]).
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Schema id.
    pub schema: &'static str,
    /// App type id.
    pub app_type: String,
    /// Its names.
    pub app_type_name: String,
    /// Whether it is self-declared.
    pub self_declared: bool,
    /// The manifest's organisation, when a manifest was given.
    pub organisation: Option<String>,
    /// The app's own hosts.
    pub first_party_hosts: Vec<String>,
    /// Whether they were inferred (the busiest host's domain) rather than given.
    pub first_party_inferred: bool,
    /// The consent call, if one was seen.
    pub consent: Option<ConsentView>,
    /// Exchanges read.
    pub exchanges: u64,
    /// Totals.
    pub summary: Summary,
    /// Endpoints, most severe first.
    pub endpoints: Vec<EndpointView>,
}

/// The consent call.
#[derive(Clone, Debug, Serialize)]
pub struct ConsentView {
    /// Method, host and path template.
    pub call: String,
    /// When (ms since the epoch), if the capture says.
    pub time_ms: Option<i64>,
    /// Its position in the capture (1-based).
    pub exchange: u64,
}

/// Totals.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Endpoints.
    pub endpoints: usize,
    /// Distinct (endpoint, location, name, type) rows.
    pub fields: usize,
    /// Values found.
    pub occurrences: u64,
    /// Rows per verdict.
    pub by_verdict: BTreeMap<String, u64>,
    /// Rows per severity.
    pub by_severity: BTreeMap<String, u64>,
    /// Hosts contacted.
    pub hosts: Vec<HostView>,
    /// Values found beyond [`MAX_FIELDS`] distinct rows (counted, not kept).
    pub not_kept: u64,
}

/// A host.
#[derive(Clone, Debug, Serialize)]
pub struct HostView {
    /// Host.
    pub host: String,
    /// Requests to it.
    pub requests: u64,
    /// Whether it is the app's own.
    pub first_party: bool,
}

/// An endpoint.
#[derive(Clone, Debug, Serialize)]
pub struct EndpointView {
    /// Method.
    pub method: String,
    /// Host.
    pub host: String,
    /// Path template.
    pub template: String,
    /// Whether the host is the app's own.
    pub first_party: bool,
    /// Requests seen.
    pub requests: u64,
    /// Its most severe field's severity (`None`: no PI found).
    pub severity: Option<Severity>,
    /// Fields with PI.
    pub fields: Vec<FieldView>,
}

/// A field of an endpoint and what it carried.
#[derive(Clone, Debug, Serialize)]
pub struct FieldView {
    /// Where (`path`, `query`, `header`, `cookie`, `body`, `response`).
    pub location: &'static str,
    /// Its name (path segment index, parameter, header, cookie, JSON pointer, form field).
    pub name: String,
    /// The PI type found.
    pub pi_type: &'static str,
    /// How often.
    pub count: u64,
    /// The first value, masked.
    pub example: String,
    /// Verdicts, most severe first.
    pub verdicts: Vec<Verdict>,
    /// The most severe verdict's severity.
    pub severity: Severity,
    /// When first seen (ms since the epoch), if the capture says.
    pub first_seen_ms: Option<i64>,
}
