//! Surnames as references and notices write them without a given name.

mod common;

use common::check;
use custodian_detect::PiType::PersonNameEn;

#[test]
fn authors_with_initials_their_work_and_families() {
    check(
        "References\n\n1. Wang W, Nkosi T, Fitzgerald AR. Outcomes of care. 2000;120(5):446-459.\n",
        &[
            (PersonNameEn, "Wang W"),
            (PersonNameEn, "Nkosi T"),
            (PersonNameEn, "Fitzgerald AR"),
        ],
    );
    check(
        "consistent with earlier work by Osei and colleagues [9] and Feng et al. (2020)",
        &[(PersonNameEn, "Osei"), (PersonNameEn, "Feng")],
    );
    check(
        "9 | The Kade family | Yes | Chicken",
        &[(PersonNameEn, "Kade")],
    );
    // Not words of the language, nor an initial alone in prose.
    check("The Royal family | Yes", &[]);
    check("Table 2 shows Results A, Methods B, in brief.", &[]);
    check("The study by Design and colleagues", &[]);
}

/// The review's cases: a family of products, a model's authors, names before Day and Church.
#[test]
fn review_cases_for_citations() {
    check("The Cortex family of processors", &[]);
    check("Transformer et al. is a library", &[]);
    check("Kubernetes and colleagues", &[]);
    check("Feng et al. (2020) found", &[(PersonNameEn, "Feng")]);
    check("Thanks, Robert Church", &[(PersonNameEn, "Robert Church")]);
    check("Sung by Doris Day", &[(PersonNameEn, "Doris Day")]);
    check("Jenkins Nightly  02:00\nbuild green\n", &[]);
}
