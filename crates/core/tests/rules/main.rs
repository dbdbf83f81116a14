//! The rules as tables: manifests → problems (line and rule), requests → decisions (codes).
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use custodian_core::decision::{
    CollectRequest, DetokenizeRequest, Facts, ReasonCode, RegisterRequest, decide_collect,
    decide_detokenize, decide_register,
};
use custodian_core::ids::{FieldName, Jurisdiction, PurposeId, ServiceName, SubjectId, TenantId};
use custodian_core::manifest::Manifest;
use custodian_core::orders::{ActiveOrder, OrderEffect};
use custodian_core::subject::{Consent, SubjectInfo};
use custodian_detect::Detector;

mod roles;

const BASE: &str = r#"organisation = "91110108MA01R0DE0N"
app_type = "online_car_hailing"
notice_version = "1"

[[purposes]]
id = "dispatch"
lawful_basis = "contract"

[[purposes]]
id = "ads"
lawful_basis = "consent"

[[fields]]
name = "phone"
pi_type = "cn_mobile"
purposes = ["dispatch"]
retention_days = 730
necessary = "registered_user_mobile"

[[services]]
name = "svc"
purposes = ["dispatch"]
"#;

/// Appends `extra` to the base manifest and returns (line, rule) of each problem.
fn problems(extra: &str) -> Vec<(usize, &'static str)> {
    match Manifest::load(&format!("{BASE}{extra}")) {
        Ok(_) => vec![],
        Err(ps) => ps
            .into_iter()
            .filter(|p| p.severity == custodian_core::manifest::Severity::Error)
            .map(|p| (p.line, p.rule))
            .collect(),
    }
}

const RIDE_HAILING: &str = include_str!("../../../../examples/ride_hailing.toml");
const JOB_BOARD: &str = include_str!("../../../../examples/job_board.toml");
const FREIGHT: &str = include_str!("../../../../examples/freight.toml");

fn names(codes: Vec<ReasonCode>) -> Vec<&'static str> {
    codes.into_iter().map(ReasonCode::as_str).collect()
}

#[test]
fn example_manifests_load() {
    for (name, src) in [
        ("ride_hailing", RIDE_HAILING),
        ("job_board", JOB_BOARD),
        ("freight", FREIGHT),
    ] {
        let m = Manifest::load(src).unwrap_or_else(|p| panic!("{name} does not load: {p:#?}"));
        assert!(!m.fields.is_empty(), "{name}");
    }
    let freight = Manifest::load(FREIGHT).unwrap();
    assert!(freight.app_type.is_self_declared());
    assert!(
        freight
            .notes
            .iter()
            .any(|n| n.rule == "self_declared_app_type" && n.line == 6)
    );
    assert!(Manifest::load(BASE).is_ok());
}

#[test]
fn manifest_problems_name_line_and_rule() {
    let base_lines = BASE.lines().count();
    let l = |n: usize| base_lines + n; // line n of `extra`
    let cases: Vec<(&str, Vec<(usize, &str)>)> = vec![
        (
            "[[fields]]\nname = \"x\"\npi_type = \"shoe_size\"\npurposes = [\"dispatch\"]\nretention_days = 730\n",
            vec![(l(3), "unknown_pi_type")],
        ),
        (
            "[[purposes]]\nid = \"p2\"\n",
            vec![(l(1), "purpose_without_lawful_basis")],
        ),
        (
            "[[purposes]]\nid = \"p3\"\nlawful_basis = \"legitimate_interest\"\n",
            vec![(l(3), "unknown_lawful_basis")],
        ),
        // Beyond the necessary scope on a contract basis, without consent.
        (
            "[[fields]]\nname = \"age\"\npi_type = \"age\"\npurposes = [\"dispatch\"]\nretention_days = 730\n",
            vec![(l(1), "beyond_necessary_scope_without_consent")],
        ),
        // ... the same on a consent basis is fine.
        (
            "[[fields]]\nname = \"age\"\npi_type = \"age\"\npurposes = [\"ads\"]\nretention_days = 730\n",
            vec![],
        ),
        (
            "[[fields]]\nname = \"card\"\npi_type = \"bank_card\"\npurposes = [\"ads\"]\nretention_days = 730\n",
            vec![(l(1), "sensitive_without_necessity")],
        ),
        (
            "[[fields]]\nname = \"n\"\npi_type = \"person_name_zh\"\npurposes = [\"ads\"]\nretention_days = 30\n",
            vec![(l(5), "retention_below_floor")],
        ),
        (
            "[[fields]]\nname = \"o\"\npi_type = \"cn_mobile\"\npurposes = [\"nope\"]\nretention_days = 730\n",
            vec![(l(4), "unknown_purpose")],
        ),
        (
            "[[services]]\nname = \"ads-svc\"\npurposes = [\"ads\"]\n",
            vec![(l(3), "service_purpose_unused")],
        ),
        (
            "[[fields]]\nname = \"phone\"\npi_type = \"cn_mobile\"\npurposes = [\"dispatch\"]\nretention_days = 730\n",
            vec![(l(1), "duplicate_field")],
        ),
        // An unknown necessary item leaves the field beyond scope, on a contract basis.
        (
            "[[fields]]\nname = \"q\"\npi_type = \"cn_mobile\"\npurposes = [\"dispatch\"]\nretention_days = 730\nnecessary = \"shoe\"\n",
            vec![
                (l(1), "beyond_necessary_scope_without_consent"),
                (l(6), "unknown_necessary_item"),
            ],
        ),
        (
            "[[fields]]\nname = \"note\"\npi_type = \"free_text\"\npurposes = [\"ads\"]\nretention_days = 730\n",
            vec![(l(1), "free_text_policy_missing")],
        ),
        (
            "[[fields]]\nname = \"e\"\npi_type = \"email\"\npurposes = [\"ads\"]\nretention_days = 730\ntoken = \"format_preserving\"\n",
            vec![(l(6), "format_preserving_unsupported")],
        ),
        (
            "[[fields]]\nname = \"e\"\npi_type = \"email\"\npurposes = [\"ads\"]\nretention_days = 0\n",
            vec![(l(5), "invalid_retention")],
        ),
        ("oops = 1\n", vec![(l(1), "toml_syntax")]),
    ];
    for (extra, want) in cases {
        let got = problems(extra);
        let want: Vec<(usize, &str)> = want;
        assert_eq!(got, want, "manifest tail:\n{extra}");
    }
}

struct Ctx {
    m: Manifest,
    subject: SubjectInfo,
}

fn ctx(minor: bool) -> Ctx {
    Ctx {
        m: Manifest::load(RIDE_HAILING).unwrap(),
        subject: SubjectInfo {
            id: SubjectId::parse("sub_a").unwrap(),
            tenant: TenantId::parse("ride").unwrap(),
            jurisdiction: Jurisdiction::parse("CN").unwrap(),
            role: None,
            minor,
            registered_at: 0,
            erased: false,
            legal_hold: None,
            version: 0,
        },
    }
}

fn consent(purpose: &str, separate: bool, guardian: bool, withdrawn_at: Option<i64>) -> Consent {
    Consent {
        purpose: PurposeId::parse(purpose).unwrap(),
        notice_version: "2026-10".into(),
        granted_at: 10,
        withdrawn_at,
        separate,
        by_guardian: guardian,
    }
}

#[test]
fn collect_decisions() {
    let det = Detector::new();
    // (minor, consents, orders, service, purpose, field, value, now) → codes ([] = allow)
    type Case<'a> = (
        bool,
        Vec<Consent>,
        Vec<ActiveOrder>,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        Vec<&'a str>,
    );
    let suspend_dispatch = ActiveOrder {
        id: "ord-1".into(),
        issuer: "CAC".into(),
        tenants: vec![],
        organisations: vec![],
        effect: OrderEffect::SuspendProcessing {
            purposes: vec![PurposeId::parse("dispatch").unwrap()],
        },
    };
    let cases: Vec<Case> = vec![
        (
            false,
            vec![],
            vec![],
            "dispatch-svc",
            "dispatch",
            "phone",
            "13812345678",
            vec![],
        ),
        (
            false,
            vec![],
            vec![],
            "dispatch-svc",
            "dispatch",
            "phone",
            "1381234",
            vec!["value_invalid"],
        ),
        (
            false,
            vec![],
            vec![],
            "dispatch-svc",
            "dispatch",
            "shoe",
            "1",
            vec!["field_undeclared"],
        ),
        (
            false,
            vec![],
            vec![],
            "dispatch-svc",
            "nope",
            "phone",
            "13812345678",
            vec!["purpose_undeclared"],
        ),
        (
            false,
            vec![],
            vec![],
            "marketing-svc",
            "dispatch",
            "phone",
            "13812345678",
            vec!["service_not_granted_purpose"],
        ),
        (
            false,
            vec![],
            vec![],
            "dispatch-svc",
            "dispatch",
            "emergency_contact",
            "13812345678",
            vec!["purpose_not_for_field"],
        ),
        (
            false,
            vec![],
            vec![],
            "dispatch-svc",
            "safety",
            "emergency_contact",
            "13812345678",
            vec!["consent_missing"],
        ),
        (
            false,
            vec![consent("safety", false, false, None)],
            vec![],
            "dispatch-svc",
            "safety",
            "emergency_contact",
            "13812345678",
            vec![],
        ),
        (
            false,
            vec![consent("safety", false, false, Some(50))],
            vec![],
            "dispatch-svc",
            "safety",
            "emergency_contact",
            "13812345678",
            vec!["consent_withdrawn"],
        ),
        // A withdrawal stored with a time after the deciding act's clock (another process's
        // clock ahead) is in force all the same: stored is withdrawn.
        (
            false,
            vec![consent("safety", false, false, Some(500))],
            vec![],
            "dispatch-svc",
            "safety",
            "emergency_contact",
            "13812345678",
            vec!["consent_withdrawn"],
        ),
        (
            false,
            vec![consent("safety", false, false, None)],
            vec![],
            "dispatch-svc",
            "safety",
            "id_number",
            "11010519491231002X",
            vec!["separate_consent_missing"],
        ),
        (
            false,
            vec![consent("safety", true, false, None)],
            vec![],
            "dispatch-svc",
            "safety",
            "id_number",
            "11010519491231002X",
            vec![],
        ),
        (
            false,
            vec![],
            vec![],
            "dispatch-svc",
            "dispatch",
            "trip_track",
            "39.9,116.4,1790000000000",
            vec!["separate_consent_missing"],
        ),
        (
            false,
            vec![consent("dispatch", true, false, None)],
            vec![],
            "dispatch-svc",
            "dispatch",
            "trip_track",
            "39.9,116.4,1790000000000",
            vec![],
        ),
        (
            true,
            vec![consent("safety", false, false, None)],
            vec![],
            "dispatch-svc",
            "safety",
            "emergency_contact",
            "13812345678",
            vec!["guardian_consent_missing"],
        ),
        (
            true,
            vec![consent("safety", false, true, None)],
            vec![],
            "dispatch-svc",
            "safety",
            "emergency_contact",
            "13812345678",
            vec![],
        ),
        (
            false,
            vec![],
            vec![suspend_dispatch.clone()],
            "dispatch-svc",
            "dispatch",
            "phone",
            "13812345678",
            vec!["processing_suspended"],
        ),
        (
            false,
            vec![],
            vec![],
            "dispatch-svc",
            "dispatch",
            "trip_note",
            "到了请打电话",
            vec![],
        ),
        (
            false,
            vec![],
            vec![],
            "dispatch-svc",
            "dispatch",
            "trip_note",
            "乘客身份证 11010519491231002X",
            vec!["undeclared_pi_in_free_text"],
        ),
    ];
    for (minor, consents, orders, service, purpose, field, value, want) in cases {
        let c = ctx(minor);
        let (service, purpose, field) = (
            ServiceName::parse(service).unwrap(),
            PurposeId::parse(purpose).unwrap(),
            FieldName::parse(field).unwrap(),
        );
        let req = CollectRequest {
            service: &service,
            purpose: &purpose,
            field: &field,
            value,
        };
        let (cn, ride) = (
            Jurisdiction::parse("CN").unwrap(),
            TenantId::parse("ride").unwrap(),
        );
        let facts = Facts {
            cell: &cn,
            tenant: &ride,
            manifest: &c.m,
            subject: Some(&c.subject),
            consents: &consents,
            orders: &orders,
            now: 100,
        };
        let d = decide_collect(&facts, &det, &req);
        assert_eq!(
            names(d.codes()),
            want,
            "{service} {purpose} {field} minor={minor}"
        );
        assert_eq!(d.is_allowed(), want.is_empty());
        for r in &d.reasons {
            assert!(
                !r.message.contains(value) || value.len() < 4,
                "reason leaks the value: {}",
                r.message
            );
        }
        if want == ["processing_suspended"] {
            assert_eq!(d.reasons[0].order.as_deref(), Some("ord-1"));
        }
    }
}

#[test]
fn detokenize_and_register_decisions() {
    let c = ctx(false);
    let day = 86_400_000i64;
    let (svc, dispatch, phone) = (
        ServiceName::parse("dispatch-svc").unwrap(),
        PurposeId::parse("dispatch").unwrap(),
        FieldName::parse("phone").unwrap(),
    );
    let (cn, ride) = (
        Jurisdiction::parse("CN").unwrap(),
        TenantId::parse("ride").unwrap(),
    );
    let facts = |subject: &'static SubjectInfo, now: i64| Facts {
        cell: Box::leak(Box::new(cn.clone())),
        tenant: Box::leak(Box::new(ride.clone())),
        manifest: Box::leak(Box::new(c.m.clone())),
        subject: Some(subject),
        consents: &[],
        orders: &[],
        now,
    };
    let subject: &'static SubjectInfo = Box::leak(Box::new(c.subject.clone()));
    for (collected_at, now, want) in [
        (0, 729 * day, vec![]),
        (0, 730 * day, vec!["retention_elapsed"]),
        (0, 800 * day, vec!["retention_elapsed"]),
    ] {
        let req = DetokenizeRequest {
            service: &svc,
            purpose: &dispatch,
            field: &phone,
            collected_at,
        };
        assert_eq!(
            names(decide_detokenize(&facts(subject, now), &req).codes()),
            want
        );
    }
    let mut erased = c.subject.clone();
    erased.erased = true;
    let erased: &'static SubjectInfo = Box::leak(Box::new(erased));
    let req = DetokenizeRequest {
        service: &svc,
        purpose: &dispatch,
        field: &phone,
        collected_at: 0,
    };
    assert_eq!(
        names(decide_detokenize(&facts(erased, 1), &req).codes()),
        ["subject_erased"]
    );

    let freeze = ActiveOrder {
        id: "cac-2021-07-04".into(),
        issuer: "CAC".into(),
        tenants: vec![ride.clone()],
        organisations: vec![],
        effect: OrderEffect::SuspendRegistration,
    };
    let cases: Vec<(&str, &str, Vec<ActiveOrder>, Vec<&str>)> = vec![
        ("ride", "CN", vec![], vec![]),
        ("ride", "US", vec![], vec!["wrong_jurisdiction"]),
        (
            "ride",
            "CN",
            vec![freeze.clone()],
            vec!["registration_suspended"],
        ),
        ("jobs", "CN", vec![freeze.clone()], vec![]),
    ];
    for (tenant, j, orders, want) in cases {
        let tenant = TenantId::parse(tenant).unwrap();
        let jurisdiction = Jurisdiction::parse(j).unwrap();
        let req = RegisterRequest {
            jurisdiction: &jurisdiction,
            role: None,
        };
        let f = Facts {
            cell: &cn,
            tenant: &tenant,
            manifest: &c.m,
            subject: None,
            consents: &[],
            orders: &orders,
            now: 1,
        };
        let d = decide_register(&f, &req);
        assert_eq!(names(d.codes()), want, "{tenant} {j}");
        if let Some(r) = d
            .reasons
            .first()
            .filter(|r| r.code == ReasonCode::RegistrationSuspended)
        {
            assert_eq!(r.order.as_deref(), Some("cac-2021-07-04"));
            assert!(r.message.contains("cac-2021-07-04") && r.message.contains("CAC"));
        }
    }
}
