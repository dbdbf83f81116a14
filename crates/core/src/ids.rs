//! Identifier newtypes. Every identifier is checked for its alphabet when built, so a value of
//! one of these types fits a ledger identifier (`custodian_ledger::Id`). The alphabet alone does
//! not keep PI out (`13812345678` parses as a purpose id): identifiers a caller supplies reach
//! the ledger only after a decision found them declared in the manifest (`decision`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// An identifier that does not parse. The message names the rule, never the rejected input
/// (a caller may put PI where an identifier belongs).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct IdError(&'static str);

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident, $what:literal) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks and wraps an identifier: 1 to 64 characters of `a–z A–Z 0–9 _ - .`,
            /// starting with a letter or digit.
            pub fn parse(s: &str) -> Result<Self, IdError> {
                Self::check(s)?;
                Ok($name(s.to_string()))
            }

            fn check(s: &str) -> Result<(), IdError> {
                let ok = (1..=64).contains(&s.len())
                    && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
                    && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b));
                if ok {
                    Ok(())
                } else {
                    Err(IdError(concat!($what, " must be 1-64 characters of a-z A-Z 0-9 _ - . starting with a letter or digit")))
                }
            }

            /// The identifier.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The identifier as a ledger identifier.
            pub fn ledger(&self) -> custodian_ledger::Id {
                // INVARIANT: our alphabet is a subset of the ledger's and 64 < 128.
                custodian_ledger::Id::new(&self.0).unwrap_or_else(|_| unreachable_id())
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                $name::check(&s)?;
                Ok($name(s))
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

fn unreachable_id() -> custodian_ledger::Id {
    // Only reachable if the alphabets above diverge; "invalid" is a valid ledger id.
    custodian_ledger::Id::new("invalid").unwrap_or_else(|_| unreachable_id())
}

id_type!(
    /// A tenant (one platform app).
    TenantId, "tenant id"
);
id_type!(
    /// A data subject, assigned by the vault at registration (`sub_…`).
    SubjectId, "subject id"
);
id_type!(
    /// A declared purpose.
    PurposeId, "purpose id"
);
id_type!(
    /// A declared field.
    FieldName, "field name"
);
id_type!(
    /// A service of a tenant.
    ServiceName, "service name"
);
id_type!(
    /// A token standing for a value.
    Token, "token"
);
id_type!(
    /// Why a subject's values are held from erasure, rectification and sweeping (PIPL Art. 47
    /// ¶2): a label the DPO gives (`tax_records_5y`, `case-2026-117`), never free text, so it
    /// holds no PI.
    HoldReason, "hold reason"
);
id_type!(
    /// A kind of subject a manifest declares (`passenger`, `driver`, `job_seeker`, ...).
    SubjectRole, "subject role"
);

/// A jurisdiction code (ISO 3166-1 alpha-2, upper case), e.g. `CN`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Jurisdiction(String);

impl Jurisdiction {
    /// Parses a two-letter upper-case code.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        if s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Jurisdiction(s.to_string()))
        } else {
            Err(IdError(
                "jurisdiction must be a two-letter upper-case code such as `CN`",
            ))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Jurisdiction {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        Jurisdiction::parse(&s)
    }
}

impl From<Jurisdiction> for String {
    fn from(v: Jurisdiction) -> String {
        v.0
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An organisation's unified social credit code (GB 32100-2015): 18 characters from the
/// 31-character alphabet, with its check character verified. Organisations own tenants;
/// a regulator's order may bind an organisation and with it every tenant it has or creates.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgCode(String);

impl OrgCode {
    /// Parses a code, checking its check character.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        if custodian_detect::validate::uscc(s.as_bytes()) {
            Ok(OrgCode(s.to_string()))
        } else {
            Err(IdError(
                "organisation must be an 18-character unified social credit code (GB 32100) with a valid check character",
            ))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as a ledger identifier.
    pub fn ledger(&self) -> custodian_ledger::Id {
        // INVARIANT: 18 upper-case letters and digits fit a ledger identifier.
        custodian_ledger::Id::new(&self.0).unwrap_or_else(|_| unreachable_id())
    }
}

impl TryFrom<String> for OrgCode {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        OrgCode::parse(&s)
    }
}

impl From<OrgCode> for String {
    fn from(v: OrgCode) -> String {
        v.0
    }
}

impl fmt::Display for OrgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A key epoch's number (see the `keyring` module; 0: wrapped directly by the KEK, before
/// epochs).
pub type Epoch = u32;

/// The epoch of keys wrapped directly by the KEK (cells from before epochs).
pub const LEGACY_EPOCH: Epoch = 0;
