//! CSV records read as `custodian scan` reads them (the `csv` crate, flexible rows, the first
//! row as headers) and scanned cell by cell: never a panic, every finding inside its cell, the
//! column figures consistent, and redaction masks every finding where it was found.
#![no_main]

use custodian_detect::mask::{self, MaskStyle};
use custodian_detect::{Detector, records};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let det = Detector::new();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(data);
    let Ok(headers) = reader.headers() else {
        return;
    };
    let headers: Vec<String> = headers.iter().map(str::to_string).collect();
    let mut stats = records::ColumnStats::new(headers.clone());
    let mut rows = 0;
    for record in reader.records() {
        let Ok(record) = record else {
            continue;
        };
        let row: Vec<String> = record.iter().map(str::to_string).collect();
        let cells = records::scan_csv_row(&det, &headers, &row);
        stats.observe_row(cells.iter().map(|(i, f)| (*i, f.as_slice())));
        rows += 1;
        for (i, found) in &cells {
            let cell = row[*i].as_bytes();
            for f in found {
                assert!(
                    f.bstart < f.bend && f.bend <= cell.len(),
                    "finding outside its cell"
                );
            }
            let masked = mask::redact(cell, found, &MaskStyle::Placeholder);
            // Each finding's text is masked where it was found (the same text elsewhere in
            // the cell, not found there, may stay).
            let count = |hay: &[u8], needle: &[u8]| memchr::memmem::find_iter(hay, needle).count();
            for f in found {
                let value = &cell[f.bstart..f.bend];
                if value.len() >= 6 {
                    assert!(
                        count(&masked, value) < count(cell, value),
                        "a redacted cell keeps a finding"
                    );
                }
            }
        }
    }
    assert_eq!(stats.rows(), rows);
    let _ = stats.summary();
});
