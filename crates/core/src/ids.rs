//! Identifier newtypes. Every identifier is checked when built, so a value of one of these
//! types can be written to the ledger (see `custodian_ledger::Id`) and never carries PI.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::CoreError;

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident, $what:literal) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks and wraps an identifier: 1 to 64 characters of `a–z A–Z 0–9 _ - .`,
            /// starting with a letter or digit.
            pub fn parse(s: &str) -> Result<Self, CoreError> {
                let ok = (1..=64).contains(&s.len())
                    && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
                    && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b));
                if ok {
                    Ok($name(s.to_string()))
                } else {
                    Err(CoreError::invalid(concat!($what, " must be 1-64 characters of a-z A-Z 0-9 _ - . starting with a letter or digit")))
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
            type Error = CoreError;
            fn try_from(s: String) -> Result<Self, CoreError> {
                $name::parse(&s)
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

/// A jurisdiction code (ISO 3166-1 alpha-2, upper case), e.g. `CN`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Jurisdiction(String);

impl Jurisdiction {
    /// Parses a two-letter upper-case code.
    pub fn parse(s: &str) -> Result<Self, CoreError> {
        if s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Jurisdiction(s.to_string()))
        } else {
            Err(CoreError::invalid(
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
    type Error = CoreError;
    fn try_from(s: String) -> Result<Self, CoreError> {
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
