//! People as court opinions name them: the parties of a cited case and the judges of a panel.

mod common;

use common::check;
use custodian_detect::PiType::PersonNameEn;

#[test]
fn parties_of_cited_cases() {
    check(
        "is unworthy of credence.\" Molins Pinilla v. Lam, 547 P.3d 749, 769 (Colo. 1997).",
        &[(PersonNameEn, "Molins Pinilla"), (PersonNameEn, "Lam")],
    );
    // A body or a firm as the other party is no person; a signal before the case is no
    // party's word.
    check(
        "In Hangala v. Commissioner, 8 F.4th 448, 457 (D.C. Cir. 2021).",
        &[(PersonNameEn, "Hangala")],
    );
    check(
        "See also Guzman v. Marks & Spencer, 948 F.3d 12 (9th Cir. 2020).",
        &[(PersonNameEn, "Guzman")],
    );
    check(
        "In Fitzpatrick v. City of Lincoln, 30 F.4th 1 (8th Cir. 2022).",
        &[(PersonNameEn, "Fitzpatrick")],
    );
    check(
        "In Rodarte v. United States, 149 P.3d 669",
        &[(PersonNameEn, "Rodarte")],
    );
    check(
        "United States v. Jones, 565 U.S. 400 (2012).",
        &[(PersonNameEn, "Jones")],
    );
    check(
        "\"credence.\" Ní Bhriain v. Pizzo, 43 F.4th 1367.",
        &[(PersonNameEn, "Ní Bhriain"), (PersonNameEn, "Pizzo")],
    );
}

#[test]
fn no_party_without_a_citation() {
    // `v.` alone, or a versus that no volume and reporter follow, names no one.
    check("The Warriors v. Lakers game, 7 p.m. tonight.", &[]);
    check("Compare Rust v. Go for this.", &[]);
    check("See Kumar v. McKenna for the facts.", &[]);
    // A number after the versus that no reporter and page follow (the review's cases).
    check(
        "Rust v. Go, 2 Rounds. Arsenal v. Chelsea, 3 March 2019.",
        &[],
    );
    check(
        "Lam v. Smith, 2019 WL 12345 (D. Mass.).",
        &[(PersonNameEn, "Lam"), (PersonNameEn, "Smith")],
    );
}

#[test]
fn judges_of_a_panel_and_by_title() {
    check(
        "Before: CORREIA, FLOR, and PARSONS, Circuit Judges.",
        &[
            (PersonNameEn, "CORREIA"),
            (PersonNameEn, "FLOR"),
            (PersonNameEn, "PARSONS"),
        ],
    );
    check(
        "Before: PEÑA, RAZO RAYA, and LAU, Circuit Judges.",
        &[
            (PersonNameEn, "PEÑA"),
            (PersonNameEn, "RAZO RAYA"),
            (PersonNameEn, "LAU"),
        ],
    );
    check(
        "Opinion by Judge Flor\n\nFLOR, Circuit Judge:\n\n",
        &[(PersonNameEn, "Flor"), (PersonNameEn, "FLOR")],
    );
    check(
        "SCHWARTZ, Circuit Judge, dissenting:",
        &[(PersonNameEn, "SCHWARTZ")],
    );
    // Words of the language before a judge's title are no panel.
    check("REVERSED and REMANDED, Circuit Judges concurring.", &[]);
    check("Judge Dredd is a film.", &[(PersonNameEn, "Dredd")]);
}

#[test]
fn titles_of_office_and_maiden_names() {
    check(
        "Dakshesh married Melissa (née Chatterjee) in 1951.",
        &[(PersonNameEn, "Melissa"), (PersonNameEn, "Chatterjee")],
    );
    check(
        "The service will be held at 2 p.m., with Pastor Soo-jin Hong officiating.",
        &[(PersonNameEn, "Soo-jin Hong")],
    );
    check("Ask Rabbi Cohen about it.", &[(PersonNameEn, "Cohen")]);
    // A title alone names no one; a name with a letter the scan does not read (`ọ`) is not
    // cut short at it (no `Phan Ng`).
    check("The Pastor said grace.", &[]);
    check("Judge Halts Merger\n", &[]);
    // `Rev.` abbreviates Revised in citations: no title there.
    check("Nev. Rev. Stat. § 41.141", &[]);
    check("with Pastor Phan Ngọc Vy officiating", &[]);
}
