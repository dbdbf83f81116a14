//! Subject roles, consent and lookup decisions, long-text scanning.

use custodian_core::decision::{
    CollectRequest, ConsentChange, Facts, LookupRequest, decide_collect, decide_consent,
    decide_lookup,
};
use custodian_core::ids::{
    FieldName, Jurisdiction, PurposeId, ServiceName, SubjectId, SubjectRole, TenantId,
};
use custodian_core::manifest::Manifest;
use custodian_core::orders::{ActiveOrder, OrderEffect};
use custodian_core::subject::{Consent, SubjectInfo};
use custodian_detect::Detector;

use super::{BASE, RIDE_HAILING, names, problems};

/// Subject roles in manifests: per-role necessary scope, declared roles only, and a field's
/// type must fit the category of the necessary item it claims to be.
#[test]
fn manifest_roles_and_categories() {
    let base_lines = BASE.lines().count();
    let l = |n: usize| base_lines + n;
    let cases: Vec<(&str, Vec<(usize, &str)>)> = vec![
        // An ID number labelled as the user's mobile number.
        (
            "[[fields]]\nname = \"idn\"\npi_type = \"cn_resident_id\"\npurposes = [\"ads\"]\nretention_days = 730\nnecessary = \"registered_user_mobile\"\nnecessity = \"x\"\n",
            vec![(l(6), "type_does_not_match_necessary_item")],
        ),
        // A supply-side role requires a field: in scope for it on a contract basis.
        (
            "[[subject_roles]]\nid = \"rider\"\nside = \"consumer\"\n[[subject_roles]]\nid = \"driver\"\nside = \"supply\"\nrequired_fields = [\"licence\", \"phone\"]\nrequired_by = \"a law\"\n[[fields]]\nname = \"licence\"\npi_type = \"vehicle_model\"\nroles = [\"driver\"]\npurposes = [\"dispatch\"]\nretention_days = 730\n",
            vec![],
        ),
        // ... not required and on a contract basis: beyond scope without consent.
        (
            "[[subject_roles]]\nid = \"driver\"\nside = \"supply\"\n[[fields]]\nname = \"licence\"\npi_type = \"vehicle_model\"\nroles = [\"driver\"]\npurposes = [\"dispatch\"]\nretention_days = 730\n",
            vec![
                (base_lines - 9, "beyond_necessary_scope_without_consent"),
                (l(4), "beyond_necessary_scope_without_consent"),
            ],
        ),
        (
            "[[subject_roles]]\nid = \"driver\"\nside = \"supply\"\nrequired_fields = [\"phone\"]\n",
            vec![(l(1), "required_fields_without_source")],
        ),
        (
            "[[subject_roles]]\nid = \"rider\"\nside = \"sideways\"\n",
            vec![(l(3), "unknown_side")],
        ),
        (
            "[[fields]]\nname = \"g\"\npi_type = \"gender\"\nroles = [\"pilot\"]\npurposes = [\"ads\"]\nretention_days = 730\n",
            vec![(l(4), "unknown_subject_role")],
        ),
    ];
    for (extra, want) in cases {
        assert_eq!(problems(extra), want, "manifest tail:\n{extra}");
    }
}

/// Consent changes and lookups are decisions too.
#[test]
fn consent_and_lookup_decisions() {
    let m = Manifest::load(RIDE_HAILING).unwrap();
    let (cn, ride) = (
        Jurisdiction::parse("CN").unwrap(),
        TenantId::parse("ride").unwrap(),
    );
    let driver = SubjectInfo {
        id: SubjectId::parse("sub_d").unwrap(),
        tenant: ride.clone(),
        jurisdiction: cn.clone(),
        role: Some(SubjectRole::parse("driver").unwrap()),
        minor: false,
        registered_at: 0,
        erased: false,
        legal_hold: None,
        version: 0,
    };
    let f = Facts {
        cell: &cn,
        tenant: &ride,
        manifest: &m,
        subject: Some(&driver),
        consents: &[],
        orders: &[],
        now: 1,
    };
    let grant = ConsentChange::Grant {
        separate: false,
        by_guardian: false,
    };
    for (purpose, change, want) in [
        ("dispatch", grant, vec![]),
        ("marketing", grant, vec!["purpose_not_for_role"]),
        ("marketing", ConsentChange::Withdraw, vec![]),
        ("13812345678", grant, vec!["purpose_undeclared"]),
        (
            "13812345678",
            ConsentChange::Withdraw,
            vec!["purpose_undeclared"],
        ),
    ] {
        let d = decide_consent(&f, None, &PurposeId::parse(purpose).unwrap(), change);
        assert_eq!(names(d.codes()), want, "{purpose} {change:?}");
    }
    let suspend = vec![ActiveOrder {
        id: "ord-2".into(),
        issuer: "CAC".into(),
        tenants: vec![ride.clone()],
        organisations: vec![],
        effect: OrderEffect::SuspendProcessing {
            purposes: vec![PurposeId::parse("marketing").unwrap()],
        },
    }];
    let (mkt, disp) = (
        ServiceName::parse("marketing-svc").unwrap(),
        ServiceName::parse("dispatch-svc").unwrap(),
    );
    for (service, purpose, field, orders, want) in [
        (&mkt, "marketing", "phone", &vec![], vec![]),
        (
            &mkt,
            "marketing",
            "phone",
            &suspend,
            vec!["processing_suspended"],
        ),
        (&disp, "dispatch", "pickup", &vec![], vec!["no_blind_index"]),
        (
            &disp,
            "marketing",
            "phone",
            &vec![],
            vec!["service_not_granted_purpose"],
        ),
    ] {
        let f = Facts {
            subject: None,
            orders,
            ..f
        };
        let (purpose, field) = (
            PurposeId::parse(purpose).unwrap(),
            FieldName::parse(field).unwrap(),
        );
        let d = decide_lookup(
            &f,
            &LookupRequest {
                service,
                purpose: &purpose,
                field: &field,
            },
        );
        assert_eq!(names(d.codes()), want, "{purpose} {field}");
    }
}

/// Long-text types are scanned for undeclared PI like free text, and a service records consent
/// only for the purposes it acts for (the DPO for any).
#[test]
fn long_text_is_scanned_and_services_consent_within_their_purposes() {
    let m = Manifest::load(&format!(
        "{BASE}[[fields]]\nname = \"cargo\"\npi_type = \"cargo_description\"\npurposes = [\"ads\"]\nretention_days = 730\n[[services]]\nname = \"ads-svc\"\npurposes = [\"ads\"]\n"
    ))
    .unwrap();
    let (cn, t) = (
        Jurisdiction::parse("CN").unwrap(),
        TenantId::parse("ride").unwrap(),
    );
    let subject = SubjectInfo {
        id: SubjectId::parse("sub_a").unwrap(),
        tenant: t.clone(),
        jurisdiction: cn.clone(),
        role: None,
        minor: false,
        registered_at: 0,
        erased: false,
        legal_hold: None,
        version: 0,
    };
    let consents = [Consent {
        purpose: PurposeId::parse("ads").unwrap(),
        notice_version: "1".into(),
        granted_at: 0,
        withdrawn_at: None,
        separate: false,
        by_guardian: false,
    }];
    let f = Facts {
        cell: &cn,
        tenant: &t,
        manifest: &m,
        subject: Some(&subject),
        consents: &consents,
        orders: &[],
        now: 1,
    };
    let (svc, ads, cargo) = (
        ServiceName::parse("ads-svc").unwrap(),
        PurposeId::parse("ads").unwrap(),
        FieldName::parse("cargo").unwrap(),
    );
    let det = Detector::new();
    for (value, want) in [
        ("二十箱苹果，轻放", vec![]),
        (
            "收货人张伟 13812345678 身份证11010519491231002X",
            vec!["undeclared_pi_in_free_text"],
        ),
    ] {
        let req = CollectRequest {
            service: &svc,
            purpose: &ads,
            field: &cargo,
            value,
        };
        assert_eq!(
            names(decide_collect(&f, &det, &req).codes()),
            want,
            "{value}"
        );
    }
    let grant = ConsentChange::Grant {
        separate: false,
        by_guardian: false,
    };
    let dispatch = PurposeId::parse("dispatch").unwrap();
    assert_eq!(
        names(decide_consent(&f, Some(&svc), &dispatch, grant).codes()),
        ["service_not_granted_purpose"]
    );
    assert!(decide_consent(&f, Some(&svc), &ads, grant).is_allowed());
    assert!(
        decide_consent(&f, None, &dispatch, grant).is_allowed(),
        "the DPO may"
    );
    assert!(
        decide_consent(&f, Some(&svc), &dispatch, ConsentChange::Withdraw).is_allowed(),
        "withdrawal is never refused for the service that asks"
    );
}
