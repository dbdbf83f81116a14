//! The import's mapping file (TOML): which source column is the row's key, where a subject's
//! jurisdiction and role come from, the consents to record and the values to collect.
//!
//! ```toml
//! name = "riders-2026-12"      # names the import: a rerun with the same name resumes it
//! key = "user_id"              # the column that identifies a row (the platform's own id)
//! jurisdiction = "CN"          # or jurisdiction_column = "country"
//! role = "passenger"           # optional; or role_column = "kind"
//! minor_column = "under_14"    # optional: rows saying true, 1 or yes are minors
//!
//! [[consent]]
//! purpose = "marketing"
//! when = "sms_opt_in"          # optional: only rows whose column says yes (the evidence)
//!
//! [[collect]]
//! purpose = "dispatch"
//! fields = { phone = "mobile" }   # field = source column
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// A fixed value or a column per row.
#[derive(Clone, Debug)]
pub enum Per {
    /// The same for every row.
    Fixed(String),
    /// The row's value in this column.
    Column(usize),
}

/// A consent recorded for each row (or for the rows whose `when` column says yes).
#[derive(Clone, Debug)]
pub struct Consent {
    pub purpose: String,
    pub separate: bool,
    pub by_guardian: bool,
    pub when: Option<usize>,
}

/// Values collected for one purpose: (field, column).
#[derive(Clone, Debug)]
pub struct Collect {
    pub purpose: String,
    pub fields: Vec<(String, usize)>,
}

/// A checked mapping, its columns numbered as in [`Mapping::columns`].
#[derive(Clone, Debug)]
pub struct Mapping {
    pub name: String,
    /// The source columns the mapping reads, in the order rows carry them.
    pub columns: Vec<String>,
    pub key: usize,
    pub jurisdiction: Per,
    pub role: Option<Per>,
    pub minor: Option<usize>,
    pub consents: Vec<Consent>,
    pub collects: Vec<Collect>,
    /// The SHA-256 of the file, hex: a resumed import must use the same mapping.
    pub digest: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    key: String,
    jurisdiction: Option<String>,
    jurisdiction_column: Option<String>,
    role: Option<String>,
    role_column: Option<String>,
    minor_column: Option<String>,
    #[serde(default)]
    consent: Vec<ConsentFile>,
    #[serde(default)]
    collect: Vec<CollectFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsentFile {
    purpose: String,
    #[serde(default)]
    separate: bool,
    #[serde(default)]
    by_guardian: bool,
    when: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CollectFile {
    purpose: String,
    fields: BTreeMap<String, String>,
}

/// An identifier as the cell takes it (purposes, fields, the import's name).
fn plain(what: &str, s: &str) -> Result<()> {
    if custodian_core::ids::FieldName::parse(s).is_err() {
        bail!(
            "{what} `{s}` must be 1 to 64 letters, digits, `_`, `-` or `.`, starting with a \
             letter or digit"
        );
    }
    Ok(())
}

impl Mapping {
    /// Reads and checks the mapping at `path`.
    pub fn load(path: &Path) -> Result<Mapping> {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let text = std::str::from_utf8(&bytes)
            .with_context(|| format!("{} is not UTF-8", path.display()))?;
        let f: File =
            toml::from_str(text).with_context(|| format!("mapping {}", path.display()))?;
        Self::check(f, &bytes).with_context(|| format!("mapping {}", path.display()))
    }

    fn check(f: File, bytes: &[u8]) -> Result<Mapping> {
        use sha2::Digest;
        plain("name", &f.name)?;
        let mut columns: Vec<String> = Vec::new();
        let mut col = |c: &str| -> Result<usize> {
            if c.is_empty() {
                bail!("a column name is empty");
            }
            Ok(match columns.iter().position(|x| x == c) {
                Some(i) => i,
                None => {
                    columns.push(c.to_string());
                    columns.len() - 1
                }
            })
        };
        let key = col(&f.key)?;
        let jurisdiction = match (f.jurisdiction, f.jurisdiction_column) {
            (Some(j), None) => Per::Fixed(j),
            (None, Some(c)) => Per::Column(col(&c)?),
            _ => bail!("give one of `jurisdiction` (a code) or `jurisdiction_column`"),
        };
        let role = match (f.role, f.role_column) {
            (Some(r), None) => Some(Per::Fixed(r)),
            (None, Some(c)) => Some(Per::Column(col(&c)?)),
            (None, None) => None,
            _ => bail!("give `role` or `role_column`, not both"),
        };
        let minor = f.minor_column.as_deref().map(&mut col).transpose()?;
        let mut consents = Vec::new();
        for c in f.consent {
            plain("a consent's purpose", &c.purpose)?;
            consents.push(Consent {
                when: c.when.as_deref().map(&mut col).transpose()?,
                purpose: c.purpose,
                separate: c.separate,
                by_guardian: c.by_guardian,
            });
        }
        let mut collects = Vec::new();
        let mut seen = BTreeSet::new();
        for c in f.collect {
            plain("a collect's purpose", &c.purpose)?;
            if c.fields.is_empty() {
                bail!("the collect for `{}` names no field", c.purpose);
            }
            let mut fields = Vec::new();
            for (field, column) in c.fields {
                plain("a field", &field)?;
                if !seen.insert(field.clone()) {
                    bail!(
                        "field `{field}` is collected twice; a value is collected once, for \
                         one purpose"
                    );
                }
                if column == f.key {
                    bail!(
                        "the key column `{column}` is also collected as `{field}`: the key is \
                         written back beside each row's tokens, so it must be the platform's \
                         own id, not PI to be stored"
                    );
                }
                fields.push((field, col(&column)?));
            }
            collects.push(Collect {
                purpose: c.purpose,
                fields,
            });
        }
        if collects.is_empty() && consents.is_empty() {
            bail!("the mapping records no consent and collects nothing");
        }
        Ok(Mapping {
            name: f.name,
            columns,
            key,
            jurisdiction,
            role,
            minor,
            consents,
            collects,
            digest: hex(&sha2::Sha256::digest(bytes)),
        })
    }

    /// Every field collected, in the order the write-back lists their tokens.
    pub fn fields(&self) -> Vec<&str> {
        self.collects
            .iter()
            .flat_map(|c| c.fields.iter().map(|(f, _)| f.as_str()))
            .collect()
    }
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A column value that says yes: true, 1, yes, y or t (any case).
pub fn yes(v: Option<&str>) -> bool {
    v.is_some_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "true" | "1" | "yes" | "y" | "t"
        )
    })
}
