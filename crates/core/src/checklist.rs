//! The 16 facts of the July 2022 decision against the ride-hailing platform
//! (`regs/SPEC.md` §6), each as this tenant stands: *prevented* by the vault, *flagged* by
//! its manifest (declared, and worth a look), or *not covered* (outside what a vault sees).

use serde::Serialize;

use crate::catalog::FieldType;
use crate::manifest::Manifest;

/// One line of the checklist.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    /// The facts' numbers in the decision (`4`, `5–7`).
    pub facts: &'static str,
    /// What was found.
    pub finding: &'static str,
    /// `prevented`, `flagged` or `not_covered`.
    pub status: &'static str,
    /// How, or why.
    pub how: String,
}

fn fields_of(m: &Manifest, types: &[&str]) -> Vec<String> {
    m.fields
        .iter()
        .filter(|f| types.contains(&f.ty.name()))
        .map(|f| f.name.to_string())
        .collect()
}

fn item(
    facts: &'static str,
    finding: &'static str,
    status: &'static str,
    how: impl Into<String>,
) -> Item {
    Item {
        facts,
        finding,
        status,
        how: how.into(),
    }
}

/// The checklist for the tenant whose manifest is `m`.
pub fn didi(m: &Manifest) -> Vec<Item> {
    let biometric = fields_of(m, &["face_image", "biometric_template"]);
    let extras: Vec<String> = m
        .fields
        .iter()
        .filter(|f| {
            matches!(
                f.ty,
                FieldType::Other("age" | "occupation" | "gender" | "education")
            ) && f.necessary.is_none()
        })
        .map(|f| f.name.to_string())
        .collect();
    let education = fields_of(m, &["education"]);
    let addresses: Vec<String> = m
        .fields
        .iter()
        .filter(|f| f.ty.name() == "address_zh" && f.retention_days == 0)
        .map(|f| f.name.to_string())
        .collect();
    let location: Vec<(String, bool)> = m
        .fields
        .iter()
        .filter(|f| {
            matches!(
                f.ty.name(),
                "gps_coordinate" | "trip_track" | "precise_location"
            )
        })
        .map(|f| (f.name.to_string(), f.sensitive))
        .collect();
    let undeclared = "a type the manifest does not declare is refused at collection, and `custodian inspect` shows it in traffic";
    vec![
        item(
            "1",
            "screenshots collected from phone albums",
            "not_covered",
            "device permissions are outside the vault; `custodian inspect` lists image uploads as endpoints only",
        ),
        item(
            "2–3",
            "clipboard and installed-app list collected",
            "not_covered",
            "device permissions are outside the vault",
        ),
        if biometric.is_empty() {
            item(
                "4",
                "passengers' facial recognition data",
                "prevented",
                format!("no biometric field declared: {undeclared}"),
            )
        } else {
            item(
                "4",
                "passengers' facial recognition data",
                "flagged",
                format!(
                    "declared: {} (sensitive: separate consent enforced at collection, a PIA trigger)",
                    biometric.join(", ")
                ),
            )
        },
        if extras.is_empty() {
            item(
                "5–7",
                "age bracket, occupation, family relations beyond the necessary scope",
                "prevented",
                undeclared,
            )
        } else {
            item(
                "5–7",
                "age bracket, occupation, family relations beyond the necessary scope",
                "flagged",
                format!("declared beyond the necessary scope: {}", extras.join(", ")),
            )
        },
        if addresses.is_empty() {
            item(
                "8",
                "home and company pickup addresses kept",
                "prevented",
                "every address field has a retention period: the hourly sweep destroys older values",
            )
        } else {
            item(
                "8",
                "home and company pickup addresses kept",
                "flagged",
                format!(
                    "kept until erased (no retention period): {}",
                    addresses.join(", ")
                ),
            )
        },
        if location.iter().all(|(_, s)| *s) {
            item(
                "9",
                "precise location collected in the background",
                "prevented",
                format!(
                    "location fields are sensitive, collected only with separate consent for a declared purpose{}",
                    if location.is_empty() {
                        String::new()
                    } else {
                        format!(
                            ": {}",
                            location
                                .iter()
                                .map(|(n, _)| n.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                ),
            )
        } else {
            item(
                "9",
                "precise location collected in the background",
                "flagged",
                format!(
                    "location fields not marked sensitive: {}",
                    location
                        .iter()
                        .filter(|(_, s)| !s)
                        .map(|(n, _)| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        },
        if education.is_empty() {
            item("10", "drivers' education", "prevented", undeclared)
        } else {
            item(
                "10",
                "drivers' education",
                "flagged",
                format!("declared: {}", education.join(", ")),
            )
        },
        item(
            "11",
            "drivers' ID numbers stored in plaintext",
            "prevented",
            "every value is sealed under its subject's key and the platform holds tokens; no plaintext in any file (tested byte by byte)",
        ),
        item(
            "12–14",
            "travel intent, resident city and trips inferred without notice",
            "not_covered",
            "profiling happens in the platform's systems, which the vault does not see",
        ),
        item(
            "15",
            "repeated requests for an irrelevant permission",
            "not_covered",
            "device permissions are outside the vault",
        ),
        item(
            "16",
            "purposes of PI types not stated clearly",
            "prevented",
            "every field declares its purposes and each collection names one the subject's role is served by; undeclared collection is refused and shows in `custodian inspect`",
        ),
    ]
}
