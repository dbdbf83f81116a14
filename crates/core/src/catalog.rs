//! The rules catalog, compiled in: the 39 app types of the 2021 Necessary-PI Provisions and
//! their necessary PI (`data/necessary-pi.json`, with its sources), PIPL lawful bases
//! (Art. 13), sensitive categories (Art. 28 and GB/T 35273 §3.2), the separate-consent cases,
//! retention floors (`regs/SPEC.md` §7), and the PI types a manifest may declare.

use std::sync::OnceLock;

use custodian_detect::PiType;
use serde::Deserialize;

/// The Necessary-PI Provisions data, as shipped with its sources.
pub const NECESSARY_PI_JSON: &str = include_str!("../data/necessary-pi.json");

/// One necessary-PI item of an app type.
#[derive(Clone, Debug, Deserialize)]
pub struct NecessaryItem {
    /// Item id, e.g. `registered_user_mobile`.
    pub field: String,
    /// Chinese wording of the Provisions.
    pub zh: String,
    /// Category (contact, location, trip, payment, ...).
    pub category: String,
}

/// An app type of the 2021 Provisions.
#[derive(Clone, Debug, Deserialize)]
pub struct AppType {
    /// Number in Art. 5 (1–39).
    pub no: u32,
    /// Id, e.g. `online_car_hailing`.
    pub id: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// Whether the basic function needs no PI at all.
    pub no_pi_required: bool,
    /// The necessary PI.
    pub necessary_pi: Vec<NecessaryItem>,
    /// Sources (keys of the JSON's `sources`).
    pub sources: Vec<String>,
}

#[derive(Deserialize)]
struct Raw {
    app_types: Vec<AppType>,
}

static APP_TYPES: OnceLock<Vec<AppType>> = OnceLock::new();

/// The 39 app types (empty only if the compiled-in data were corrupt, which a test rules out).
pub fn app_types() -> &'static [AppType] {
    APP_TYPES.get_or_init(|| {
        serde_json::from_str::<Raw>(NECESSARY_PI_JSON)
            .map(|r| r.app_types)
            .unwrap_or_default()
    })
}

/// The app type with this id.
pub fn app_type(id: &str) -> Option<&'static AppType> {
    app_types().iter().find(|a| a.id == id)
}

/// PIPL Art. 13 lawful bases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LawfulBasis {
    /// Art. 13(1): the individual's consent.
    Consent,
    /// Art. 13(2): necessary for a contract with the individual (or HR management).
    Contract,
    /// Art. 13(3): statutory duties or obligations.
    StatutoryDuty,
    /// Art. 13(4): public-health emergency or protecting life, health or property.
    Emergency,
    /// Art. 13(5): news reporting and supervision by public opinion.
    PublicInterest,
    /// Art. 13(6): PI the individual disclosed, within a reasonable scope.
    Disclosed,
    /// Art. 13(7): other cases set by laws and administrative regulations.
    OtherLaw,
}

impl LawfulBasis {
    /// All bases, with their manifest names.
    pub const ALL: [(LawfulBasis, &'static str); 7] = [
        (LawfulBasis::Consent, "consent"),
        (LawfulBasis::Contract, "contract"),
        (LawfulBasis::StatutoryDuty, "statutory_duty"),
        (LawfulBasis::Emergency, "emergency"),
        (LawfulBasis::PublicInterest, "public_interest"),
        (LawfulBasis::Disclosed, "disclosed"),
        (LawfulBasis::OtherLaw, "other_law"),
    ];

    /// Parses a manifest name.
    pub fn parse(s: &str) -> Option<LawfulBasis> {
        LawfulBasis::ALL
            .iter()
            .find(|(_, n)| *n == s)
            .map(|(b, _)| *b)
    }

    /// The manifest name.
    pub fn name(self) -> &'static str {
        LawfulBasis::ALL
            .iter()
            .find(|(b, _)| *b == self)
            .map_or("consent", |(_, n)| n)
    }

    /// Whether processing on this basis needs the individual's consent.
    pub fn needs_consent(self) -> bool {
        self == LawfulBasis::Consent
    }

    /// Whether the separate consent of Arts. 29/39 is still needed on this basis. Art. 13 ¶2
    /// lifts consent requirements for bases 2–7; this vault keeps requiring separate consent
    /// for sensitive PI on the consent and contract bases (the DESIGN scenario: sensitive PI
    /// needs separate consent) and lifts it for statutory duty, emergencies, news, disclosed
    /// PI and other laws.
    pub fn sensitive_needs_separate_consent(self) -> bool {
        matches!(self, LawfulBasis::Consent | LawfulBasis::Contract)
    }
}

/// Sensitive categories: PIPL Art. 28 and the GB/T 35273-2020 §3.2 additions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SensitiveCategory {
    /// Biometrics (Art. 28).
    Biometric,
    /// Religious beliefs (Art. 28).
    Religion,
    /// Specific identity (Art. 28), incl. identity numbers (GB/T 35273).
    SpecificIdentity,
    /// Medical health (Art. 28).
    Health,
    /// Financial accounts (Art. 28).
    FinancialAccount,
    /// Whereabouts and tracks (Art. 28).
    Whereabouts,
    /// PI of minors under 14 (Art. 28).
    Minor,
    /// Communication records, credit, property, transactions (GB/T 35273 §3.2).
    Communications,
}

/// What a manifest field may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// A type the detection engine validates.
    Detected(PiType),
    /// Free text, scanned for PI nobody declared.
    FreeText,
    /// A type without a validator.
    Other(&'static str),
}

/// The types a manifest may declare beyond the detection engine's: (name, sensitive
/// category if sensitive by default).
pub const OTHER_TYPES: &[(&str, Option<SensitiveCategory>)] = &[
    ("trip_track", Some(SensitiveCategory::Whereabouts)),
    ("precise_location", Some(SensitiveCategory::Whereabouts)),
    ("payment_record", Some(SensitiveCategory::Communications)),
    ("health_record", Some(SensitiveCategory::Health)),
    ("face_image", Some(SensitiveCategory::Biometric)),
    ("biometric_template", Some(SensitiveCategory::Biometric)),
    (
        "id_document_copy",
        Some(SensitiveCategory::SpecificIdentity),
    ),
    ("gender", None),
    ("age", None),
    ("occupation", None),
    ("education", None),
    ("account_id", None),
    ("vehicle_model", None),
    ("cargo_description", None),
    ("amount", None),
    ("timestamp", None),
];

impl FieldType {
    /// Parses a manifest `pi_type`.
    pub fn parse(s: &str) -> Option<FieldType> {
        if s == "free_text" {
            return Some(FieldType::FreeText);
        }
        if let Ok(t) = s.parse::<PiType>()
            && t.is_personal()
            && s == t.name()
        {
            return Some(FieldType::Detected(t));
        }
        OTHER_TYPES
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(n, _)| FieldType::Other(n))
    }

    /// The default sensitive category, if the type is sensitive by default.
    pub fn sensitive(self) -> Option<SensitiveCategory> {
        match self {
            FieldType::Detected(t) => match t {
                PiType::CnResidentId
                | PiType::CnPassport
                | PiType::HkMacauPermit
                | PiType::TaiwanPermit
                | PiType::UsSsn => Some(SensitiveCategory::SpecificIdentity),
                PiType::BankCard | PiType::Iban => Some(SensitiveCategory::FinancialAccount),
                PiType::GpsCoordinate => Some(SensitiveCategory::Whereabouts),
                _ => None,
            },
            FieldType::FreeText => None,
            FieldType::Other(n) => OTHER_TYPES
                .iter()
                .find(|(m, _)| *m == n)
                .and_then(|(_, c)| *c),
        }
    }

    /// Whether the type holds prose (free text, cargo descriptions, payment or health
    /// records): its values are scanned for undeclared PI.
    pub fn is_long_text(self) -> bool {
        matches!(
            self,
            FieldType::FreeText
                | FieldType::Other("cargo_description" | "payment_record" | "health_record")
        )
    }

    /// The manifest name.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::Detected(t) => t.name(),
            FieldType::FreeText => "free_text",
            FieldType::Other(n) => n,
        }
    }
}

/// Whether a field of type `ty` can be a necessary-PI item of `category` (the Provisions'
/// categories, `data/necessary-pi.json`): an ID number cannot be the registered user's mobile
/// number, a free-text field cannot be a location.
pub fn type_fits_category(ty: FieldType, category: &str) -> bool {
    let fits: &[&str] = match ty {
        FieldType::Detected(t) => match t {
            PiType::CnMobile | PiType::CnLandline => &["contact"],
            PiType::Email => &["contact", "account"],
            PiType::PersonNameZh | PiType::PersonNameEn => &["identity", "contact"],
            PiType::CnResidentId
            | PiType::CnPassport
            | PiType::HkMacauPermit
            | PiType::TaiwanPermit
            | PiType::UsSsn => &["identity_document"],
            PiType::BankCard | PiType::Iban => &["financial_account"],
            PiType::AddressZh => &["address", "trip", "property", "contact"],
            PiType::GpsCoordinate => &["location", "trip"],
            PiType::CnLicensePlate => &["vehicle"],
            PiType::DateOfBirth => &["demographic", "identity_document"],
            _ => &[],
        },
        FieldType::FreeText => &["resume", "shipment", "health", "booking", "trip"],
        FieldType::Other(n) => match n {
            "trip_track" | "precise_location" => &["location", "trip"],
            "payment_record" | "amount" => &["payment"],
            "timestamp" => &["payment", "trip", "booking"],
            "health_record" => &["health"],
            "id_document_copy" => &["identity_document"],
            "gender" | "age" | "occupation" | "education" => &["demographic"],
            "account_id" => &["account"],
            "vehicle_model" => &["vehicle"],
            "cargo_description" => &["shipment"],
            _ => &[],
        },
    };
    fits.contains(&category)
}

/// The minimum retention (days) a field of this app type must keep, and its source
/// (`regs/SPEC.md` §7). `None`: no floor known.
pub fn retention_floor(app_type: &str, field: FieldType) -> Option<(u32, &'static str)> {
    match app_type {
        // 网约车经营服务管理暂行办法 Art. 27: ride-hailing PI and business data ≥ 2 years.
        "online_car_hailing" => Some((
            730,
            "ride-hailing PI and business data are kept at least 2 years (网约车暂行办法 Art. 27)",
        )),
        // E-Commerce Law Art. 31: goods, service and transaction records ≥ 3 years.
        "online_shopping" | "food_delivery"
            if matches!(field, FieldType::Other("payment_record" | "amount")) =>
        {
            Some((
                1095,
                "e-commerce transaction records are kept at least 3 years (E-Commerce Law Art. 31)",
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_39_app_types_load() {
        let all = app_types();
        assert_eq!(all.len(), 39);
        let ride = app_type("online_car_hailing").unwrap();
        assert_eq!(ride.no, 2);
        assert!(
            ride.necessary_pi
                .iter()
                .any(|i| i.field == "passenger_trajectory")
        );
        assert!(app_type("job_recruitment").is_some());
        assert!(
            app_type("freight_matching").is_none(),
            "freight is not in the 2021 list"
        );
        assert_eq!(all.iter().filter(|a| a.no_pi_required).count(), 13);
    }

    #[test]
    fn types_and_bases() {
        assert_eq!(
            FieldType::parse("cn_mobile"),
            Some(FieldType::Detected(PiType::CnMobile))
        );
        assert_eq!(
            FieldType::parse("cn_uscc"),
            None,
            "organisations are not PI fields"
        );
        assert_eq!(
            FieldType::parse("trip_track").and_then(FieldType::sensitive),
            Some(SensitiveCategory::Whereabouts)
        );
        assert_eq!(FieldType::parse("nope"), None);
        assert_eq!(LawfulBasis::parse("contract"), Some(LawfulBasis::Contract));
        assert!(
            LawfulBasis::parse("legitimate_interest").is_none(),
            "not a PIPL basis"
        );
    }
}
