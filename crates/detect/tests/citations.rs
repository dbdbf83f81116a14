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

/// Surname first in a reference list's entries and in BibTeX author lists.
#[test]
fn reference_entries_and_bibtex_authors_surname_first() {
    check(
        "Works Cited\n\nGoodman, Daniel, and Felipe Correia. \"Housing supply.\" J. Urban 23, \
         no. 4, 2017, pp. 363-377.\nMao, Min. \"A Pearson approach.\" Stats 3, 2025.\n\
         Murray, Barry, et al. \"Outcomes.\" Lancet 8, 2019.",
        &[
            (PersonNameEn, "Goodman, Daniel"),
            (PersonNameEn, "Felipe Correia"),
            (PersonNameEn, "Mao, Min"),
            (PersonNameEn, "Murray, Barry"),
        ],
    );
    check(
        "@article{devi2023,\n  author  = {Devi, Abhiram and Ogunleye, Oluwaseun and Shen, Fang},\n  \
         title   = {A Cox model},\n}",
        &[
            (PersonNameEn, "Devi, Abhiram"),
            (PersonNameEn, "Ogunleye, Oluwaseun"),
            (PersonNameEn, "Shen, Fang"),
        ],
    );
    // No year on the line, or not at its start, or not an author field: no entry.
    check("Paris, France, and Berlin are cities.\n", &[]);
    check("We met Smith, John, and others in 2019.", &[]);
    check("  title   = {Smith, Alpha and Beta},", &[]);
    // A dateline, and ` and ` after a name outside an author field (the review's cases).
    check("Richmond, Virginia, March 5, 2019 — The firm said.", &[]);
    check(
        "Signed: Maria Lopez and Dallas, Texas and Denver offices",
        &[(PersonNameEn, "Maria Lopez")],
    );
}

/// Authors as APA lists them: the surname, a comma and initials with dots.
#[test]
fn apa_authors_with_dotted_initials() {
    check(
        "References\n\nFinch, E., Khoury, H., & Adebayo, O. (2022). Early screening.\n\
         Shi, C. (2002). A Gaussian process.\nKhoury, H., de la Fuente, N., & Ota, K. (2000).",
        &[
            (PersonNameEn, "Finch, E."),
            (PersonNameEn, "Khoury, H."),
            (PersonNameEn, "Adebayo, O."),
            (PersonNameEn, "Shi, C."),
            (PersonNameEn, "Khoury, H."),
        ],
    );
    check("Cho, S.-H. (2014). Gut.", &[(PersonNameEn, "Cho, S.-H.")]);
    // Not at a line's start nor after an author, or no year or author after: no author.
    check("We asked Smith, J. (2019) too.", &[]);
    check("Total, A. B. C. and more.", &[]);
}
