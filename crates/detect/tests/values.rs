//! Findings' values: a scan that asks for none finds the same as one that does.

use custodian_detect::Detector;

/// A scan without values finds the same types, spans, scores and checks, every value empty;
/// the dev corpus's every text is compared.
#[test]
fn a_scan_without_values_finds_the_same() {
    let with = Detector::new();
    let without = Detector::new().with_values(false);
    let corpus = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/pii-dev.jsonl"
    ))
    .expect("the dev corpus");
    let mut found = 0;
    for line in corpus.lines() {
        let text = serde_json::from_str::<serde_json::Value>(line).expect("a JSON line")["text"]
            .as_str()
            .expect("a text")
            .to_owned();
        let a = with.scan_str(&text);
        let b = without.scan_str(&text);
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert!(!x.value.is_empty());
            assert!(y.value.is_empty());
            assert_eq!(
                (
                    x.pi_type,
                    x.start,
                    x.end,
                    x.bstart,
                    x.bend,
                    x.score,
                    x.validated
                ),
                (
                    y.pi_type,
                    y.start,
                    y.end,
                    y.bstart,
                    y.bend,
                    y.score,
                    y.validated
                )
            );
        }
        found += a.len();
    }
    assert!(found > 10_000, "{found} findings in the dev corpus");
}
