//! Column context for tables written as text — CSV, TSV, Markdown and ASCII tables inside a
//! document: the header of a cell's column says what the cell holds, as a field name does for
//! a record ([`crate::Detector::scan_field`]). A `姓名`/`name` column makes its cells names, a
//! `出生日期`/`DOB` column its dates birth dates, a `订单号` column its numbers references, and
//! a `城市`/`city` or `公司`/`company` column keeps the name model out.
//!
//! Linear however long the input: each line's bounds, delimiter and table are found once and
//! kept while the scanner stays on that line, and rows are checked against the header once each.

use super::*;

/// What a column's header says about its cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Column {
    /// The header is (or ends with) a cue word.
    Cue(Cue),
    /// A place, an organisation or another column that holds no person's name.
    NotPerson,
}

/// Header words of columns that hold no person's name (compared without case, whole cell).
const NOT_PERSON: &[&str] = &[
    "城市",
    "所在城市",
    "省份",
    "省",
    "地区",
    "区域",
    "籍贯",
    "出生地",
    "公司",
    "单位",
    "部门",
    "职位",
    "岗位",
    "城市名",
    "目的地",
    "始发地",
    "city",
    "province",
    "region",
    "country",
    "state",
    "hometown",
    "company",
    "employer",
    "department",
    "title",
    "position",
    "role",
    "status",
    "product",
    "item",
    "destination",
    "origin",
    "team",
    "location",
];

/// Longest line taken for a table row.
const MAX_ROW: usize = 16 * 1024;
/// Most lines looked at above a row for its header.
const MAX_ROWS_UP: usize = 256;

/// The line and the table the scanner last asked about.
#[derive(Default)]
pub(crate) struct TableCache {
    line: Option<Line>,
    table: Option<Table>,
}

#[derive(Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    /// The delimiter, when the line is a row of a table with a header above it.
    delim: Option<u8>,
    /// The last position whose column was counted, and its column.
    at: usize,
    column: usize,
}

struct Table {
    delim: u8,
    /// Delimiters per row.
    width: usize,
    /// End of the header line.
    header_end: usize,
    /// End of the last line known to be a row.
    rows_to: usize,
    columns: Vec<Option<Column>>,
}

impl Scanner<'_> {
    /// What the header of the column `at` stands in says, if `at` is in a table written as
    /// text under a header.
    pub(super) fn column_at(&self, at: usize) -> Option<Column> {
        let b = self.b;
        let mut cache = self.tables.borrow_mut();
        let cache = &mut *cache;
        let line = match cache.line {
            Some(l) if l.start <= at && at < l.end.max(l.start + 1) => l,
            _ => {
                let start = memchr::memrchr(b'\n', &b[..at]).map_or(0, |k| k + 1);
                let end = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |k| at + k);
                let delim = row_delimiter(&b[start..end])
                    .filter(|&d| table_for(b, self.lx, &mut cache.table, start, end, d));
                let l = Line {
                    start,
                    end,
                    delim,
                    at: start,
                    column: 0,
                };
                cache.line = Some(l);
                l
            }
        };
        let delim = line.delim?;
        let (from, base) = if at >= line.at {
            (line.at, line.column)
        } else {
            (line.start, 0)
        };
        let column = base + memchr::memchr_iter(delim, &b[from..at]).count();
        if let Some(l) = cache.line.as_mut() {
            l.at = at;
            l.column = column;
        }
        cache.table.as_ref()?.columns.get(column).copied().flatten()
    }
}

/// The delimiter of a line that may be a table row: `|` twice or more, else a tab, else a
/// comma; `None` for a line with none or longer than [`MAX_ROW`].
fn row_delimiter(line: &[u8]) -> Option<u8> {
    if line.len() > MAX_ROW {
        return None;
    }
    if memchr::memchr_iter(b'|', line).nth(1).is_some() {
        Some(b'|')
    } else if memchr::memchr(b'\t', line).is_some() {
        Some(b'\t')
    } else if memchr::memchr(b',', line).is_some() {
        Some(b',')
    } else {
        None
    }
}

/// Whether the line `start..end` is a row of a table with a header above it, reusing or
/// replacing `table`.
fn table_for(
    b: &[u8],
    lx: &Lexicon,
    table: &mut Option<Table>,
    start: usize,
    end: usize,
    delim: u8,
) -> bool {
    let width = memchr::memchr_iter(delim, &b[start..end]).count();
    // The table already known, continued down to this line?
    if let Some(t) = table.as_mut()
        && t.delim == delim
        && t.width == width
        && t.header_end < start
        && t.rows_to < start
    {
        let mut p = t.rows_to + 1;
        let mut ok = true;
        while p < start {
            let e = memchr::memchr(b'\n', &b[p..start]).map_or(start, |k| p + k);
            if !is_row(&b[p..e], delim, width) {
                ok = false;
                break;
            }
            p = e + 1;
        }
        if ok {
            t.rows_to = end;
            return true;
        }
    }
    // Otherwise look up for the header: the topmost of the lines above with as many
    // delimiters, a Markdown rule line (|---|) skipped.
    let mut header = None;
    let mut line_end = start.checked_sub(1);
    for _ in 0..MAX_ROWS_UP {
        let Some(e) = line_end else { break };
        let s = memchr::memrchr(b'\n', &b[..e]).map_or(0, |k| k + 1);
        if !is_row(&b[s..e], delim, width) {
            break;
        }
        if !is_rule(&b[s..e]) {
            header = Some((s, e));
        }
        line_end = s.checked_sub(1);
    }
    let Some((hs, he)) = header else {
        *table = None;
        return false;
    };
    let cells = b[hs..he].split(|&c| c == delim);
    let columns: Vec<Option<Column>> = cells.map(|c| classify(lx, c, delim)).collect();
    // A comma-separated header is short cells, not prose.
    if delim == b',' && b[hs..he].split(|&c| c == b',').any(|c| c.len() > 32) {
        *table = None;
        return false;
    }
    *table = Some(Table {
        delim,
        width,
        header_end: he,
        rows_to: end,
        columns,
    });
    true
}

/// Whether a line has `width` delimiters (a row of the same table) and is not too long.
fn is_row(line: &[u8], delim: u8, width: usize) -> bool {
    line.len() <= MAX_ROW && memchr::memchr_iter(delim, line).count() == width
}

/// A Markdown or ASCII rule line: only `|`, `-`, `:`, `+`, `=` and spaces.
fn is_rule(line: &[u8]) -> bool {
    line.iter().any(|&c| c == b'-' || c == b'=')
        && line
            .iter()
            .all(|c| matches!(c, b'|' | b'-' | b':' | b'+' | b'=' | b' ' | b'\t' | b'\r'))
}

/// What a header cell says.
fn classify(lx: &Lexicon, cell: &[u8], delim: u8) -> Option<Column> {
    let trimmed = trim(cell, delim);
    if trimmed.is_empty() {
        return None;
    }
    if let Some((cue, _)) = lx.cue_before(trimmed, trimmed.len(), 64) {
        return Some(Column::Cue(cue));
    }
    NOT_PERSON
        .iter()
        .any(|w| trimmed.eq_ignore_ascii_case(w.as_bytes()))
        .then_some(Column::NotPerson)
}

fn trim(cell: &[u8], delim: u8) -> &[u8] {
    let is_pad = |c: &u8| matches!(c, b' ' | b'\t' | b'"' | b'\'' | b'\r' | b'*') || *c == delim;
    let s = cell.iter().position(|c| !is_pad(c)).unwrap_or(cell.len());
    let e = cell.iter().rposition(|c| !is_pad(c)).map_or(s, |k| k + 1);
    &cell[s..e.max(s)]
}
