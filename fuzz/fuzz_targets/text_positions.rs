//! Line and column as `custodian scan` finds them (`position::Cursor`, moved over the gaps
//! between findings, chunk after chunk, or measured piece by piece and joined) agree with
//! counting from the start of the text, for any text and any cuts.
#![no_main]

use custodian_detect::position::Cursor;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (cuts, text) = data.split_at(data.len().min(8));
    let text = String::from_utf8_lossy(text);
    let stops: Vec<usize> = (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    let mut at: Vec<usize> = cuts
        .iter()
        .map(|&c| stops[usize::from(c) % stops.len()])
        .collect();
    at.sort_unstable();
    let mut cur = Cursor::at_line(1);
    // The same pieces measured apart and joined (as the scan's workers do with chunks).
    let mut joined = Cursor::at_line(1);
    let mut from = 0;
    for &to in &at {
        cur.advance(&text.as_bytes()[from..to], true);
        let mut moved = Cursor::at_line(0);
        moved.advance(&text.as_bytes()[from..to], true);
        joined = joined.then(moved);
        assert_eq!(joined, cur);
        from = to;
        let before = &text[..to];
        let line = before.matches('\n').count() as u64 + 1;
        let start = before.rfind('\n').map_or(0, |p| p + 1);
        let column = before[start..].chars().count() as u64 + 1;
        assert_eq!((cur.line, cur.column()), (line, column));
    }
    // Invalid UTF-8 never panics and never moves backwards.
    let mut raw = Cursor::at_line(1);
    let half = data.len() / 2;
    raw.advance(&data[..half], false);
    let mid = raw;
    raw.advance(&data[half..], false);
    assert!(raw.line >= mid.line);
});
