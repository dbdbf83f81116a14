//! Transfers abroad: the legal bases a tenant files, and the CAC volume rules
//! (`../shared/regs/SPEC.md` §2; PIPL Art. 38–40, 55(4); the 2024 Provisions on Promoting and
//! Regulating Cross-Border Data Flows).
//!
//! A transfer line is a tenant's recipient abroad (declared in its manifest) under a legal
//! basis on file: a security-assessment approval, a filed standard contract, a certification,
//! or one of the 2024 exemptions — each with its reference, validity and the fields it covers,
//! and the personal-information impact assessment done for the line (Art. 55(4): before every
//! transfer, exempt or not). The volume rules count distinct individuals whose PI the
//! organisation exported since 1 January of the current year (UTC), sensitive and not
//! separately; "以上" includes the number.

use crate::ids::{FieldName, Millis, TenantId};

/// The kind of legal basis for a transfer line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BasisKind {
    /// A CAC security assessment passed (approval number, validity).
    SecurityAssessment,
    /// A standard contract filed with the provincial CAC (filing number).
    StandardContract,
    /// A PI-protection certification (certificate number, 3 years).
    Certification,
    /// Necessary to perform a contract with the individual (2024 Provisions Art. 5(1)).
    ContractNecessity,
    /// Cross-border human-resources management (Art. 5(2)).
    CrossBorderHr,
    /// An emergency protecting life, health or property (Art. 5(3)).
    Emergency,
    /// Fewer than 100,000 individuals' non-sensitive PI this year (Art. 5(4)).
    SmallVolume,
}

impl BasisKind {
    /// Every kind.
    pub const ALL: [BasisKind; 7] = [
        BasisKind::SecurityAssessment,
        BasisKind::StandardContract,
        BasisKind::Certification,
        BasisKind::ContractNecessity,
        BasisKind::CrossBorderHr,
        BasisKind::Emergency,
        BasisKind::SmallVolume,
    ];

    /// The kind's name.
    pub fn as_str(self) -> &'static str {
        match self {
            BasisKind::SecurityAssessment => "security_assessment",
            BasisKind::StandardContract => "standard_contract",
            BasisKind::Certification => "certification",
            BasisKind::ContractNecessity => "contract_necessity",
            BasisKind::CrossBorderHr => "cross_border_hr",
            BasisKind::Emergency => "emergency",
            BasisKind::SmallVolume => "small_volume",
        }
    }

    /// Parses a kind's name.
    pub fn parse(s: &str) -> Option<BasisKind> {
        BasisKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the individual's separate consent (Art. 39) is needed: not under the
    /// exemptions resting on a contract, HR duties or an emergency (Art. 13 ¶1 (2)–(7)).
    pub fn needs_consent(self) -> bool {
        !matches!(
            self,
            BasisKind::ContractNecessity | BasisKind::CrossBorderHr | BasisKind::Emergency
        )
    }

    /// Whether the volume thresholds apply (the contract, HR and emergency exemptions hold
    /// at any volume).
    pub fn volume_bound(self) -> bool {
        !matches!(
            self,
            BasisKind::ContractNecessity | BasisKind::CrossBorderHr | BasisKind::Emergency
        )
    }
}

/// A personal-information impact assessment on file for a transfer line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pia {
    /// Its reference (a label, no PI).
    pub reference: String,
    /// When it was completed.
    pub completed_at: Millis,
}

/// A legal basis on file for a tenant's recipient abroad.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransferBasis {
    /// Its id (`basis_…` or the tenant's label).
    pub id: String,
    /// The tenant.
    pub tenant: TenantId,
    /// The recipient (an id the manifest declares).
    pub recipient: String,
    /// What kind of basis.
    pub kind: BasisKind,
    /// Approval, filing or certificate number (a label, no PI).
    pub reference: String,
    /// From when it holds.
    pub valid_from: Millis,
    /// Until when, if it ends.
    pub expires_at: Option<Millis>,
    /// The fields it covers.
    pub fields: Vec<FieldName>,
    /// The PIA done for the line, if any.
    pub pia: Option<Pia>,
}

impl TransferBasis {
    /// Whether it holds at `now`.
    pub fn in_force(&self, now: Millis) -> bool {
        self.valid_from <= now && self.expires_at.is_none_or(|e| e > now)
    }
}

/// Checks a label (a reference, a basis id): 1-64 of `A-Z a-z 0-9 _ - . /`, so no PI.
pub fn valid_label(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./".contains(&b))
}

/// The commitment a transfer entry to another cell carries (`payload:<hex>`) to the values
/// that left with it: HMAC-SHA-256 keyed by a fresh 32-byte nonce — which travels with the
/// values to the receiving cell, never into the ledger — over the (field, value) pairs in
/// sorted order, each length-prefixed. It binds the entry to exactly these values (the
/// receiving cell recomputes it) and, the nonce being secret and random, reveals nothing of them.
pub fn payload_commitment(nonce: &[u8; 32], values: &[(&str, &str)]) -> String {
    use hmac::{Hmac, Mac};
    let mut sorted: Vec<(&str, &str)> = values.to_vec();
    sorted.sort_unstable();
    let mut mac = match <Hmac<sha2::Sha256> as hmac::digest::KeyInit>::new_from_slice(nonce) {
        Ok(m) => m,
        // HMAC takes keys of any length; a 32-byte key cannot fail.
        Err(_) => return String::new(),
    };
    mac.update(b"custodian transfer payload v1\n");
    for (f, v) in sorted {
        for part in [f, v] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
    }
    crate::hex::encode(&mac.finalize().into_bytes())
}

/// Non-sensitive PI of this many individuals a year needs at least a standard contract or a
/// certification (below it the small-volume exemption may hold).
pub const GENERAL_CONTRACT_FROM: u64 = 100_000;
/// Non-sensitive PI of this many individuals a year needs a security assessment.
pub const GENERAL_ASSESSMENT_FROM: u64 = 1_000_000;
/// Sensitive PI of this many individuals a year needs a security assessment (below it, a
/// standard contract or a certification; no exemption by volume).
pub const SENSITIVE_ASSESSMENT_FROM: u64 = 10_000;

/// Individuals whose PI an organisation exported this year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Individuals with non-sensitive PI exported.
    pub general: u64,
    /// Individuals with sensitive PI exported.
    pub sensitive: u64,
}

/// Why a basis does not hold for one more individual at the counts reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolumeRefusal {
    /// A security assessment is needed.
    NeedsAssessment,
    /// At least a standard contract or a certification is needed.
    NeedsContract,
}

/// Whether `kind` holds for one more individual, given the counts *after* counting them
/// (`sensitive`: their sensitive PI goes too).
pub fn volume_allows(kind: BasisKind, after: Counts, sensitive: bool) -> Result<(), VolumeRefusal> {
    if !kind.volume_bound() || kind == BasisKind::SecurityAssessment {
        return Ok(());
    }
    if after.general >= GENERAL_ASSESSMENT_FROM
        || (sensitive && after.sensitive >= SENSITIVE_ASSESSMENT_FROM)
    {
        return Err(VolumeRefusal::NeedsAssessment);
    }
    if kind == BasisKind::SmallVolume && (sensitive || after.general >= GENERAL_CONTRACT_FROM) {
        return Err(VolumeRefusal::NeedsContract);
    }
    Ok(())
}

/// The threshold the counts approach under `kind`, if they have passed 80% of it: (what it
/// counts, the count, the threshold).
pub fn approaching(kind: BasisKind, c: Counts) -> Vec<(&'static str, u64, u64)> {
    let mut out = Vec::new();
    if !kind.volume_bound() || kind == BasisKind::SecurityAssessment {
        return out;
    }
    let near = |n: u64, limit: u64| n * 5 >= limit * 4 && n < limit;
    let general_limit = if kind == BasisKind::SmallVolume {
        GENERAL_CONTRACT_FROM
    } else {
        GENERAL_ASSESSMENT_FROM
    };
    if near(c.general, general_limit) {
        out.push(("general", c.general, general_limit));
    }
    if near(c.sensitive, SENSITIVE_ASSESSMENT_FROM) {
        out.push(("sensitive", c.sensitive, SENSITIVE_ASSESSMENT_FROM));
    }
    out
}

/// The offset of a jurisdiction's civil time from UTC that its calendar year follows: China
/// Standard Time (UTC+8) for `CN`; UTC for the others (a cell of another jurisdiction sets its
/// own rules; the CAC's year is Beijing's).
pub fn utc_offset(j: &crate::ids::Jurisdiction) -> Millis {
    if j.as_str() == "CN" { 8 * 3_600_000 } else { 0 }
}

/// The calendar year of a time in a jurisdiction's civil time, and the UTC instants it starts
/// and ends at.
pub fn local_year(t: Millis, j: &crate::ids::Jurisdiction) -> (i32, Millis, Millis) {
    let off = utc_offset(j);
    let (y, _) = year_of(t + off);
    (y, year_start(y) - off, year_start(y + 1) - off)
}

/// The calendar year (UTC) of a time, and where it starts.
pub fn year_of(t: Millis) -> (i32, Millis) {
    // Days since 1970-01-01 → civil year (Howard Hinnant's algorithm).
    let days = t.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let y = i32::try_from(year).unwrap_or(i32::MAX);
    (y, year_start(y))
}

/// Milliseconds at 1 January of `year`, 00:00 UTC.
pub fn year_start(year: i32) -> Millis {
    let y = i64::from(year) - 1;
    let days =
        365 * (y - 1969) + (y / 4 - 1969 / 4) - (y / 100 - 1969 / 100) + (y / 400 - 1969 / 400);
    days * 86_400_000
}

#[cfg(test)]
mod tests {
    #[test]
    fn payload_commitment_binds_values_and_order_does_not_matter() {
        let n = [7u8; 32];
        let a = super::payload_commitment(&n, &[("email", "a@b.cn"), ("resume", "x")]);
        assert_eq!(a.len(), 64);
        assert_eq!(
            a,
            super::payload_commitment(&n, &[("resume", "x"), ("email", "a@b.cn")])
        );
        assert_ne!(
            a,
            super::payload_commitment(&n, &[("email", "a@b.cn"), ("resume", "y")])
        );
        assert_ne!(a, super::payload_commitment(&n, &[("email", "a@b.cn")]));
        // Length prefixes: moving a byte across the boundary changes the commitment.
        assert_ne!(
            super::payload_commitment(&n, &[("ab", "c")]),
            super::payload_commitment(&n, &[("a", "bc")])
        );
        assert_ne!(
            a,
            super::payload_commitment(&[8u8; 32], &[("email", "a@b.cn"), ("resume", "x")])
        );
    }

    use super::*;

    #[test]
    fn years_and_thresholds() {
        assert_eq!(year_of(0), (1970, 0));
        assert_eq!(year_start(2026), 1_767_225_600_000);
        assert_eq!(year_of(1_767_225_600_000), (2026, 1_767_225_600_000));
        assert_eq!(year_of(1_767_225_599_999).0, 2025);
        assert_eq!(year_of(1_796_225_468_595).0, 2026);
        let c = |general, sensitive| Counts { general, sensitive };
        let sc = BasisKind::StandardContract;
        assert_eq!(volume_allows(sc, c(999_999, 0), false), Ok(()));
        assert_eq!(
            volume_allows(sc, c(1_000_000, 0), false),
            Err(VolumeRefusal::NeedsAssessment)
        );
        assert_eq!(volume_allows(sc, c(10, 9_999), true), Ok(()));
        assert_eq!(
            volume_allows(sc, c(10, 10_000), true),
            Err(VolumeRefusal::NeedsAssessment)
        );
        let small = BasisKind::SmallVolume;
        assert_eq!(volume_allows(small, c(99_999, 0), false), Ok(()));
        assert_eq!(
            volume_allows(small, c(100_000, 0), false),
            Err(VolumeRefusal::NeedsContract)
        );
        assert_eq!(
            volume_allows(small, c(1, 1), true),
            Err(VolumeRefusal::NeedsContract)
        );
        assert_eq!(
            volume_allows(BasisKind::Emergency, c(5_000_000, 50_000), true),
            Ok(())
        );
        assert_eq!(
            approaching(small, c(80_000, 0)),
            vec![("general", 80_000, 100_000)]
        );
        assert!(approaching(small, c(79_999, 0)).is_empty());
    }
}
