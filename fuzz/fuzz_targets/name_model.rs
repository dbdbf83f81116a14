//! The name model's candidate and feature extraction on any bytes: candidates lie on the input
//! with their parts in order and on character boundaries, feature indexes fit the weight
//! table, and the chosen candidate is one of them (`model::check_extraction`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    custodian_detect::model::check_extraction(data);
});
