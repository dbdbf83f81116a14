//! Scanning any JSON document never panics, and pointers resolve inside it.
#![no_main]

use custodian_detect::{Detector, records};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let det = Detector::new();
    for f in records::scan_json(&det, &v) {
        assert!(
            v.pointer(&f.pointer).is_some(),
            "pointer {} does not resolve",
            f.pointer
        );
    }
});
