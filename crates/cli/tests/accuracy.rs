//! Detection accuracy held close to the published figures: the corpus' own scorer
//! (`../shared/corpus/eval.py`, exact span match) on the dev corpus, on the project's second
//! corpus (`testdata/pii-extra.jsonl`, layouts the dev corpus lacks, written by
//! `scripts/gen-extra-corpus.py`), on the generalisation corpus (`testdata/pii-general.jsonl`,
//! written by `scripts/gen-general-corpus.py` without reading the engine; its text was never
//! read, but its error counts and the character classes around its errors directed later
//! detection work, so it is no longer held out) and on the fresh held-out corpus
//! (`testdata/pii-fresh.jsonl`, `scripts/gen-fresh-corpus.py`, scored once, nothing tuned on it),
//! and on the two tuning corpora (`pii-tune.jsonl`, `pii-names.jsonl`, whose errors are studied),
//! with character and with byte offsets. Each type's precision, recall and F1 may fall at most 0.01
//! below the figure measured when the table was last set (BENCHMARKS.md), so a type that
//! vanishes or loses a few percent fails; a type the scorer reports without a row here fails too.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// How far below the measured figure a floor sits.
const SLACK: f64 = 0.01;

/// Measured F1 per type, exact match (precision and recall are at least as high: both were
/// 1.000 where F1 is); the same with character and byte offsets.
const DEV: &[(&str, f64)] = &[
    ("ADDRESS_ZH", 1.0),
    ("BANK_CARD", 1.0),
    ("CN_LANDLINE", 1.0),
    ("CN_LICENSE_PLATE", 1.0),
    ("CN_MOBILE", 1.0),
    ("CN_PASSPORT", 1.0),
    ("CN_RESIDENT_ID", 1.0),
    ("DATE_OF_BIRTH", 1.0),
    ("EMAIL", 1.0),
    ("GPS_COORDINATE", 1.0),
    ("IBAN", 1.0),
    ("IP_ADDRESS", 1.0),
    // 739 of 741: recall 0.997, precision 1.000.
    ("PERSON_NAME_EN", 0.9986),
    ("PERSON_NAME_ZH", 1.0),
    ("US_SSN", 1.0),
    ("micro", 0.9999),
];

/// The same on the second corpus.
const EXTRA: &[(&str, f64)] = &[
    ("ADDRESS_ZH", 1.0),
    ("BANK_CARD", 1.0),
    ("CN_LANDLINE", 1.0),
    ("CN_LICENSE_PLATE", 1.0),
    ("CN_MOBILE", 1.0),
    ("CN_PASSPORT", 1.0),
    ("CN_RESIDENT_ID", 1.0),
    ("DATE_OF_BIRTH", 1.0),
    ("EMAIL", 1.0),
    ("GPS_COORDINATE", 1.0),
    ("IBAN", 1.0),
    ("IP_ADDRESS", 1.0),
    ("PERSON_NAME_EN", 1.0),
    ("PERSON_NAME_ZH", 1.0),
    ("US_SSN", 1.0),
    ("micro", 1.0),
];

/// The generalisation corpus: measured precision, recall and F1 per type (exact match), floors
/// against regression (the issue's targets, micro F1 0.97 and names 0.95, are met on it — but
/// see the fresh corpus below, and BENCHMARKS.md).
const GENERAL: &[(&str, [f64; 3])] = &[
    ("ADDRESS_ZH", [0.9350, 0.9140, 0.9240]),
    ("BANK_CARD", [1.0000, 1.0000, 1.0000]),
    ("CN_LANDLINE", [0.9860, 1.0000, 0.9930]),
    ("CN_LICENSE_PLATE", [1.0000, 1.0000, 1.0000]),
    ("CN_MOBILE", [1.0000, 0.9810, 0.9900]),
    ("CN_PASSPORT", [1.0000, 1.0000, 1.0000]),
    ("CN_RESIDENT_ID", [1.0000, 1.0000, 1.0000]),
    ("DATE_OF_BIRTH", [1.0000, 1.0000, 1.0000]),
    ("EMAIL", [1.0000, 1.0000, 1.0000]),
    ("GPS_COORDINATE", [1.0000, 1.0000, 1.0000]),
    ("IBAN", [1.0000, 1.0000, 1.0000]),
    ("IP_ADDRESS", [1.0000, 1.0000, 1.0000]),
    ("PERSON_NAME_EN", [0.9730, 0.9800, 0.9770]),
    ("PERSON_NAME_ZH", [0.9880, 0.9460, 0.9660]),
    ("US_SSN", [1.0000, 1.0000, 1.0000]),
    ("micro", [0.9870, 0.9730, 0.9800]),
];

/// The fresh held-out corpus (`testdata/pii-fresh.jsonl`, written by `scripts/gen-fresh-corpus.py`
/// in one sitting without reading the engine, its tests or the other corpora, and scored once):
/// measured precision, recall and F1 per type (exact match), floors against regression. Nothing
/// is tuned on it (its figures are read, never its errors); of the issue's targets (micro F1
/// 0.97, names 0.95) all are met on it. The labels before identity and card numbers, the
/// version-shaped quads and the firms and streets that are no person, fixed on 2026-12-07,
/// follow the kinds of disagreement its generator reported when it was written (issue 17's
/// text), probed on examples of our own: for those types it is less held out than before.
const FRESH: &[(&str, [f64; 3])] = &[
    ("ADDRESS_ZH", [0.9700, 0.9700, 0.9700]),
    ("BANK_CARD", [1.0000, 1.0000, 1.0000]),
    ("CN_LANDLINE", [0.9910, 1.0000, 0.9960]),
    ("CN_LICENSE_PLATE", [1.0000, 1.0000, 1.0000]),
    ("CN_MOBILE", [1.0000, 1.0000, 1.0000]),
    ("CN_PASSPORT", [1.0000, 1.0000, 1.0000]),
    ("CN_RESIDENT_ID", [1.0000, 0.9810, 0.9910]),
    ("DATE_OF_BIRTH", [1.0000, 1.0000, 1.0000]),
    ("EMAIL", [1.0000, 0.9970, 0.9980]),
    ("GPS_COORDINATE", [1.0000, 0.9570, 0.9780]),
    ("IBAN", [1.0000, 1.0000, 1.0000]),
    ("IP_ADDRESS", [1.0000, 1.0000, 1.0000]),
    ("PERSON_NAME_EN", [0.9390, 0.9720, 0.9560]),
    ("PERSON_NAME_ZH", [0.9660, 0.9360, 0.9510]),
    ("US_SSN", [1.0000, 1.0000, 1.0000]),
    ("micro", [0.9760, 0.9720, 0.9740]),
];

/// The tuning corpus (`testdata/pii-tune.jsonl`, `scripts/gen-tune-corpus.py`: written apart
/// from the engine, its errors studied freely): measured precision, recall and F1 per type
/// (exact match), floors against regression. Not a held-out figure.
const TUNE: &[(&str, [f64; 3])] = &[
    ("ADDRESS_ZH", [0.9980, 0.9980, 0.9980]),
    ("BANK_CARD", [1.0000, 1.0000, 1.0000]),
    ("CN_LANDLINE", [1.0000, 1.0000, 1.0000]),
    ("CN_LICENSE_PLATE", [1.0000, 1.0000, 1.0000]),
    ("CN_MOBILE", [1.0000, 0.9830, 0.9910]),
    ("CN_PASSPORT", [1.0000, 0.9210, 0.9590]),
    ("CN_RESIDENT_ID", [1.0000, 1.0000, 1.0000]),
    ("DATE_OF_BIRTH", [1.0000, 0.9900, 0.9950]),
    ("EMAIL", [1.0000, 1.0000, 1.0000]),
    ("GPS_COORDINATE", [1.0000, 1.0000, 1.0000]),
    ("IBAN", [1.0000, 1.0000, 1.0000]),
    ("IP_ADDRESS", [0.9920, 1.0000, 0.9960]),
    ("PERSON_NAME_EN", [0.9630, 0.9500, 0.9560]),
    ("PERSON_NAME_ZH", [0.9520, 0.8910, 0.9200]),
    ("US_SSN", [1.0000, 1.0000, 1.0000]),
    ("micro", [0.9790, 0.9550, 0.9670]),
];

/// The names corpus (`testdata/pii-names.jsonl`, `scripts/gen-names-corpus.py`: written apart
/// from the engine, mostly Latin-script names in 74 layouts; its errors studied freely):
/// measured precision, recall and F1 per type (exact match), floors against regression. Not a
/// held-out figure.
const NAMES: &[(&str, [f64; 3])] = &[
    ("ADDRESS_ZH", [1.0000, 1.0000, 1.0000]),
    ("BANK_CARD", [1.0000, 1.0000, 1.0000]),
    ("CN_LANDLINE", [0.9780, 1.0000, 0.9890]),
    ("CN_LICENSE_PLATE", [1.0000, 0.8770, 0.9340]),
    ("CN_MOBILE", [1.0000, 1.0000, 1.0000]),
    ("CN_PASSPORT", [1.0000, 1.0000, 1.0000]),
    ("CN_RESIDENT_ID", [1.0000, 1.0000, 1.0000]),
    ("DATE_OF_BIRTH", [1.0000, 0.8710, 0.9310]),
    ("EMAIL", [1.0000, 1.0000, 1.0000]),
    ("GPS_COORDINATE", [1.0000, 1.0000, 1.0000]),
    ("IBAN", [1.0000, 1.0000, 1.0000]),
    ("IP_ADDRESS", [0.9060, 1.0000, 0.9510]),
    ("PERSON_NAME_EN", [0.8990, 0.8120, 0.8540]),
    ("PERSON_NAME_ZH", [0.9320, 0.8690, 0.8990]),
    ("US_SSN", [1.0000, 0.8440, 0.9150]),
    ("micro", [0.9320, 0.8680, 0.8990]),
];

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

#[test]
fn dev_corpus_accuracy_floors() {
    check_floors(&shared().join("corpus/pii-dev.jsonl"), DEV);
}

#[test]
fn second_corpus_accuracy_floors() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pii-extra.jsonl");
    check_floors(&corpus, EXTRA);
}

#[test]
fn generalisation_corpus_accuracy_floors() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pii-general.jsonl");
    check_floors3(&corpus, GENERAL);
}

#[test]
fn tuning_corpus_accuracy_floors() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pii-tune.jsonl");
    check_floors3(&corpus, TUNE);
}

#[test]
fn names_corpus_accuracy_floors() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pii-names.jsonl");
    check_floors3(&corpus, NAMES);
}

#[test]
fn fresh_corpus_accuracy_floors() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pii-fresh.jsonl");
    check_floors3(&corpus, FRESH);
}

/// Floors where precision, recall and F1 are each the F1 measured.
fn check_floors(corpus: &Path, table: &[(&str, f64)]) {
    let rows: Vec<(&str, [f64; 3])> = table.iter().map(|&(t, f)| (t, [f, f, f])).collect();
    check_floors3(corpus, &rows);
}

/// Every failure, not only the first: a regression often moves several types.
fn check_floors3(corpus: &Path, table: &[(&str, [f64; 3])]) {
    let scorer = shared().join("corpus/eval.py");
    assert!(
        corpus.exists() && scorer.exists(),
        "missing {} or {}",
        corpus.display(),
        scorer.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("pred.jsonl");
    let o = common::cli(&[
        "scan",
        "--field",
        "text",
        "--per-record",
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::write(&pred, &o.stdout).unwrap();
    let mut failures = Vec::new();
    for offsets in ["char", "byte"] {
        let res = dir.path().join(format!("res-{offsets}.json"));
        let s = Command::new("python3")
            .arg(&scorer)
            .args(["--gold", corpus.to_str().unwrap()])
            .args(["--pred", pred.to_str().unwrap()])
            .args(["--offsets", offsets, "--json"])
            .arg(&res)
            .output()
            .expect("python3 runs the scorer");
        assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
        let v: Value = serde_json::from_slice(&std::fs::read(&res).unwrap()).unwrap();
        let exact = &v["exact"];
        let reported: Vec<&String> = exact["types"].as_object().unwrap().keys().collect();
        for t in &reported {
            if !table.iter().any(|(name, _)| name == t) {
                failures.push(format!("{offsets}: {t} has no floor: add its measured F1"));
            }
        }
        for (t, measured) in table {
            let row = if *t == "micro" {
                &exact["micro"]
            } else {
                &exact["types"][*t]
            };
            for (figure, measured) in ["p", "r", "f1"].into_iter().zip(measured) {
                let got = row[figure].as_f64().unwrap_or(0.0);
                if got < measured - SLACK {
                    failures.push(format!(
                        "{offsets}: {t} {figure} {got:.4} < {:.4} (measured {measured})",
                        measured - SLACK
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}:\n{}",
        corpus.display(),
        failures.join("\n")
    );
}
