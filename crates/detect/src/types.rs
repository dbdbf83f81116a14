//! The PI types the engine knows, their names and categories.

use std::fmt;
use std::str::FromStr;

/// A kind of value the engine recognises.
///
/// All variants but [`PiType::CnUscc`] are personal information; a unified social credit code
/// names an organisation and is detected so that it is not mistaken for a person's number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PiType {
    /// Resident identity card number (GB 11643), 18 characters or the 15-digit legacy form.
    CnResidentId,
    /// Mainland mobile number (MIIT 13x–19x), with optional country prefix.
    CnMobile,
    /// Mainland fixed-line number with area code.
    CnLandline,
    /// Payment card number (Luhn-valid, known issuer range).
    BankCard,
    /// E-mail address.
    Email,
    /// IPv4 or IPv6 address.
    IpAddress,
    /// A latitude/longitude pair.
    GpsCoordinate,
    /// US social security number.
    UsSsn,
    /// International bank account number (ISO 13616).
    Iban,
    /// People's Republic of China passport number.
    CnPassport,
    /// Mainland travel permit for Hong Kong and Macao.
    HkMacauPermit,
    /// Travel permit for Taiwan residents (or mainland residents travelling to Taiwan).
    TaiwanPermit,
    /// Mainland vehicle licence plate.
    CnLicensePlate,
    /// A date stated as someone's birth date.
    DateOfBirth,
    /// A person's name in Chinese characters.
    PersonNameZh,
    /// A person's name in Latin script (pinyin included).
    PersonNameEn,
    /// A street-level Chinese address.
    AddressZh,
    /// Unified social credit code (GB 32100): an organisation, not a person.
    CnUscc,
}

/// Broad category of a PI type (GB/T 35273 style).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// Identity documents and numbers.
    Identity,
    /// Ways to reach a person.
    Contact,
    /// Where a person is or lives.
    Location,
    /// Accounts and cards.
    Financial,
    /// Names, birth dates and other profile data.
    Profile,
    /// Network identifiers.
    Network,
    /// Vehicles.
    Vehicle,
    /// Not personal information (organisations).
    Organisation,
}

impl PiType {
    /// Every type, in a stable order.
    pub const ALL: [PiType; 18] = [
        PiType::CnResidentId,
        PiType::CnMobile,
        PiType::CnLandline,
        PiType::BankCard,
        PiType::Email,
        PiType::IpAddress,
        PiType::GpsCoordinate,
        PiType::UsSsn,
        PiType::Iban,
        PiType::CnPassport,
        PiType::HkMacauPermit,
        PiType::TaiwanPermit,
        PiType::CnLicensePlate,
        PiType::DateOfBirth,
        PiType::PersonNameZh,
        PiType::PersonNameEn,
        PiType::AddressZh,
        PiType::CnUscc,
    ];

    /// The snake_case name used in manifests, the CLI and outputs.
    pub const fn name(self) -> &'static str {
        match self {
            PiType::CnResidentId => "cn_resident_id",
            PiType::CnMobile => "cn_mobile",
            PiType::CnLandline => "cn_landline",
            PiType::BankCard => "bank_card",
            PiType::Email => "email",
            PiType::IpAddress => "ip_address",
            PiType::GpsCoordinate => "gps_coordinate",
            PiType::UsSsn => "us_ssn",
            PiType::Iban => "iban",
            PiType::CnPassport => "cn_passport",
            PiType::HkMacauPermit => "hk_macau_permit",
            PiType::TaiwanPermit => "taiwan_permit",
            PiType::CnLicensePlate => "cn_license_plate",
            PiType::DateOfBirth => "date_of_birth",
            PiType::PersonNameZh => "person_name_zh",
            PiType::PersonNameEn => "person_name_en",
            PiType::AddressZh => "address_zh",
            PiType::CnUscc => "cn_uscc",
        }
    }

    /// The category of the type.
    pub const fn category(self) -> Category {
        match self {
            PiType::CnResidentId
            | PiType::CnPassport
            | PiType::HkMacauPermit
            | PiType::TaiwanPermit
            | PiType::UsSsn => Category::Identity,
            PiType::CnMobile | PiType::CnLandline | PiType::Email => Category::Contact,
            PiType::GpsCoordinate | PiType::AddressZh => Category::Location,
            PiType::BankCard | PiType::Iban => Category::Financial,
            PiType::DateOfBirth | PiType::PersonNameZh | PiType::PersonNameEn => Category::Profile,
            PiType::IpAddress => Category::Network,
            PiType::CnLicensePlate => Category::Vehicle,
            PiType::CnUscc => Category::Organisation,
        }
    }

    /// Whether a value of this type is personal information.
    pub const fn is_personal(self) -> bool {
        !matches!(self, PiType::CnUscc)
    }

    /// Whether the type is sensitive PI by default (PIPL Art. 28 and GB/T 35273 §3.2:
    /// identity numbers, financial accounts, precise whereabouts).
    pub const fn is_sensitive(self) -> bool {
        matches!(
            self,
            PiType::CnResidentId
                | PiType::CnPassport
                | PiType::HkMacauPermit
                | PiType::TaiwanPermit
                | PiType::UsSsn
                | PiType::BankCard
                | PiType::Iban
                | PiType::GpsCoordinate
        )
    }

    /// Whether values of this type carry a check digit or checksum that the validator verifies.
    pub const fn has_checksum(self) -> bool {
        matches!(
            self,
            PiType::CnResidentId | PiType::BankCard | PiType::Iban | PiType::CnUscc
        )
    }

    /// The type's place in [`PiType::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for PiType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error returned when a type name is not known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTypeError {
    name: String,
}

impl fmt::Display for UnknownTypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = PiType::ALL.iter().map(|t| t.name()).collect();
        write!(
            f,
            "unknown PI type `{}`; known types: {}",
            self.name,
            known.join(", ")
        )
    }
}

impl std::error::Error for UnknownTypeError {}

impl FromStr for PiType {
    type Err = UnknownTypeError;

    /// Parses a type name; case-insensitive, so the corpus' `CN_MOBILE` works too.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        PiType::ALL
            .iter()
            .copied()
            .find(|t| t.name() == lower)
            .ok_or(UnknownTypeError {
                name: s.chars().take(64).collect(),
            })
    }
}

/// A set of types, as a bitmask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeSet(u32);

impl TypeSet {
    /// Every type.
    pub const fn all() -> Self {
        TypeSet((1 << PiType::ALL.len()) - 1)
    }

    /// No type.
    pub const fn empty() -> Self {
        TypeSet(0)
    }

    /// Adds a type.
    pub fn insert(&mut self, t: PiType) {
        self.0 |= 1 << t.index();
    }

    /// Whether the set holds the type.
    pub const fn contains(self, t: PiType) -> bool {
        self.0 & (1 << t.index()) != 0
    }
}

impl FromIterator<PiType> for TypeSet {
    fn from_iter<I: IntoIterator<Item = PiType>>(iter: I) -> Self {
        let mut s = TypeSet::empty();
        for t in iter {
            s.insert(t);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_type_is_at_its_index_in_all() {
        for (i, t) in PiType::ALL.iter().enumerate() {
            assert_eq!(t.index(), i, "{t}");
        }
    }

    #[test]
    fn names_round_trip() {
        for t in PiType::ALL {
            assert_eq!(t.name().parse::<PiType>(), Ok(t));
            assert_eq!(t.name().to_uppercase().parse::<PiType>(), Ok(t));
        }
        let err = "phone".parse::<PiType>().unwrap_err();
        assert!(err.to_string().contains("`phone`"));
    }

    #[test]
    fn type_set() {
        let s: TypeSet = [PiType::Email, PiType::Iban].into_iter().collect();
        assert!(s.contains(PiType::Email));
        assert!(!s.contains(PiType::CnMobile));
        for t in PiType::ALL {
            assert!(TypeSet::all().contains(t));
        }
    }
}
