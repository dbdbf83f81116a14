//! What the detector's behaviour tests share.

use custodian_detect::{Detector, PiType};

/// The findings of `input`, as (type, exact text), are `expect`.
pub fn check(input: &str, expect: &[(PiType, &str)]) {
    let want: Vec<(PiType, String)> = expect.iter().map(|(t, s)| (*t, s.to_string())).collect();
    assert_eq!(found(input), want, "input: {input}");
}

/// The findings of `input`, as (type, exact text).
pub fn found(input: &str) -> Vec<(PiType, String)> {
    Detector::new()
        .scan_str(input)
        .into_iter()
        .map(|f| (f.pi_type, input[f.bstart..f.bend].to_string()))
        .collect()
}
