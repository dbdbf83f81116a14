//! The detector never panics on any bytes, and its offsets always hold.
#![no_main]

use custodian_detect::{Checked, Detector, mask};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let det = Detector::new().with_min_score(0.0).with_non_personal(true);
    let checked = Checked::new(data);
    assert_eq!(
        checked.code_points(),
        custodian_detect::count_code_points(data)
    );
    let found = det.scan_checked(checked);
    assert_eq!(found.len(), det.scan_bytes(data).len());
    let mut last = 0;
    for f in &found {
        assert!(f.bstart >= last && f.bstart < f.bend && f.bend <= data.len());
        assert_eq!(
            f.start,
            custodian_detect::count_code_points(&data[..f.bstart])
        );
        last = f.bend;
        let _ = mask::mask(f.pi_type, &String::from_utf8_lossy(&data[f.bstart..f.bend]));
    }
    let redacted = mask::redact(data, &found, &mask::MaskStyle::Partial);
    if found.is_empty() {
        assert_eq!(redacted, data);
    }
});
