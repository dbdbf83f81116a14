//! Column context for tables written as text — CSV, TSV, Markdown and ASCII tables inside a
//! document: the header of a cell's column says what the cell holds, as a field name does for
//! a record ([`crate::Detector::scan_field`]). A `姓名`/`name` column makes its cells names, a
//! `出生日期`/`DOB` column its dates birth dates, a `订单号` column its numbers references, and
//! a `城市`/`city` or `公司`/`company` column keeps the name model out.
//!
//! Linear however long the input: each line's bounds, delimiter and table are found once and
//! kept while the scanner stays on that line; a table's rows are checked once each as the scan
//! moves down, and a block's first line is looked for at most once (up to 256 lines up).

use super::*;

/// What a column's header says about its cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Column {
    /// The header is (or ends with) a cue word.
    Cue(Cue),
    /// A place, an organisation or another column that holds no person's name.
    NotPerson,
}

/// Header words of columns that hold no person's name (found anywhere in the header cell,
/// without case).
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
    "区县",
    "县区",
    "街道",
    "乡镇",
    "商品",
    "品名",
    "产品",
    "district",
    "county",
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
    "file",
    "project",
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
    /// The last position whose column was counted, its column, and whether it is inside a
    /// quoted cell (`"Zhang, Wei"`).
    at: usize,
    column: usize,
    quoted: bool,
}

struct Table {
    delim: u8,
    /// Delimiters in the header.
    width: usize,
    /// The header line (the block's first line).
    header: (usize, usize),
    /// Whether the header is known: the block's start was in sight and it does not read like
    /// prose.
    known: bool,
    /// End of the last line known to be a row.
    rows_to: usize,
    /// What each header cell says, found when a row first asks (most comma-separated lines
    /// are prose with no row under them, and their "headers" are never read).
    columns: Option<Vec<Option<Column>>>,
}

impl Table {
    /// Whether the line `start..` with `width` delimiters is a row under the header; if so,
    /// the header's cells are classified (once).
    fn has_row(&mut self, b: &[u8], lx: &Lexicon, start: usize, width: usize) -> bool {
        let (hs, he) = self.header;
        if !(self.known && he < start && self.width == width) {
            return false;
        }
        if self.columns.is_none() {
            let delim = self.delim;
            self.columns = Some(
                cells(&b[hs..he], delim)
                    .map(|c| classify(lx, c, delim))
                    .collect(),
            );
        }
        true
    }
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
                    quoted: false,
                };
                cache.line = Some(l);
                l
            }
        };
        let delim = line.delim?;
        let (from, base, quoted) = if at >= line.at {
            (line.at, line.column, line.quoted)
        } else {
            (line.start, 0, false)
        };
        let cell_start = from == line.start || b[from - 1] == delim;
        let (n, quoted) = delimiters(&b[from..at], delim, quoted, cell_start);
        let column = base + n;
        if let Some(l) = cache.line.as_mut() {
            l.at = at;
            l.column = column;
            l.quoted = quoted;
        }
        cache
            .table
            .as_ref()?
            .columns
            .as_ref()?
            .get(column)
            .copied()
            .flatten()
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

/// Whether the line `start..end` is a row of a table with a header above it (and as many
/// cells), reusing or replacing `table`. A table is a block of consecutive lines that all use
/// `delim` (Markdown rule lines included); its header is the block's first line. A row with a
/// different number of cells (a quoted comma) stays in the table but gets no column context.
fn table_for(
    b: &[u8],
    lx: &Lexicon,
    table: &mut Option<Table>,
    start: usize,
    end: usize,
    delim: u8,
) -> bool {
    let width = delimiters(&b[start..end], delim, false, true).0;
    // The table already known, continued down to this line: each line checked once.
    if let Some(t) = table.as_mut()
        && t.delim == delim
        && t.rows_to < start
    {
        let mut p = t.rows_to + 1;
        let mut ok = true;
        while p < start {
            let e = memchr::memchr(b'\n', &b[p..start]).map_or(start, |k| p + k);
            if !in_block(&b[p..e], delim) {
                ok = false;
                break;
            }
            p = e + 1;
        }
        if ok {
            t.rows_to = end;
            return t.has_row(b, lx, start, width);
        }
    }
    // Otherwise look up for the block's first line, at most MAX_ROWS_UP lines.
    let mut header = (start, end);
    let mut line_end = start.checked_sub(1);
    let mut complete = false;
    for _ in 0..MAX_ROWS_UP {
        let Some(e) = line_end else {
            complete = true;
            break;
        };
        let s = memchr::memrchr(b'\n', &b[..e]).map_or(0, |k| k + 1);
        if !in_block(&b[s..e], delim) {
            complete = true;
            break;
        }
        if !is_rule(&b[s..e]) {
            header = (s, e);
        }
        line_end = s.checked_sub(1);
    }
    let (hs, he) = header;
    let hwidth = delimiters(&b[hs..he], delim, false, true).0;
    // Without the block's start in sight, or with a comma-separated "header" that reads like
    // prose, the columns are unknown; the table is kept so its later rows are not looked up
    // again.
    let prose = delim == b',' && b[hs..he].split(|&c| c == b',').any(|c| c.len() > 32);
    table
        .insert(Table {
            delim,
            width: hwidth,
            header: (hs, he),
            known: complete && !prose,
            rows_to: end,
            columns: None,
        })
        .has_row(b, lx, start, width)
}

/// How many delimiters `seg` holds outside quoted cells, and whether its end is inside one,
/// given whether its start is (and, if not, whether it starts a cell). Only comma-separated values quote (RFC 4180: a cell that holds
/// a comma is written `"Zhang, Wei"`, a quote inside it doubled, which toggles twice); a quote
/// opens a cell only at the cell's start (after spaces), so an inch mark or a stray quote
/// inside a cell does not swallow the rest of the row.
fn delimiters(seg: &[u8], delim: u8, quoted: bool, cell_start: bool) -> (usize, bool) {
    if delim != b',' || (!quoted && memchr::memchr(b'"', seg).is_none()) {
        return (memchr::memchr_iter(delim, seg).count(), quoted);
    }
    let (mut n, mut quoted, mut cell_start) = (0, quoted, cell_start && !quoted);
    let mut k = 0;
    while k < seg.len() {
        let c = seg[k];
        k += 1;
        match c {
            // A doubled quote inside a quoted cell is a quote: the cell goes on.
            b'"' if quoted && seg.get(k) == Some(&b'"') => k += 1,
            b'"' if quoted => quoted = false,
            b'"' if cell_start => quoted = true,
            b',' if !quoted => {
                n += 1;
                cell_start = true;
                continue;
            }
            b' ' | b'\t' if cell_start => continue,
            _ => {}
        }
        cell_start = false;
    }
    (n, quoted)
}

/// The cells of a line, split at delimiters outside quoted cells.
fn cells(line: &[u8], delim: u8) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(line);
    std::iter::from_fn(move || {
        let seg = rest?;
        // The first delimiter outside quotes: the end of the first cell.
        let mut quoted = false;
        let mut end = None;
        let mut from = 0;
        while let Some(k) = memchr::memchr(delim, &seg[from..]).map(|k| from + k) {
            let (_, q) = delimiters(&seg[from..k], delim, quoted, from == 0);
            quoted = q;
            if !quoted {
                end = Some(k);
                break;
            }
            from = k + 1;
        }
        match end {
            Some(k) => {
                rest = seg.get(k + 1..);
                Some(&seg[..k])
            }
            None => {
                rest = None;
                Some(seg)
            }
        }
    })
}

/// Whether a line belongs to a table that uses `delim`: its own delimiter is `delim` (or it
/// is a Markdown rule line) and it is not too long.
fn in_block(line: &[u8], delim: u8) -> bool {
    row_delimiter(line) == Some(delim) || (delim == b'|' && line.len() <= MAX_ROW && is_rule(line))
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
    // A place or organisation word anywhere in the header comes first: `Company Name`,
    // `公司名称`, `出生地` hold no person's name (nor a birth date).
    let lower = trimmed.to_ascii_lowercase();
    if NOT_PERSON
        .iter()
        .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some())
    {
        return Some(Column::NotPerson);
    }
    lx.cue_before(trimmed, trimmed.len(), 64)
        .map(|(cue, _)| Column::Cue(cue))
}

fn trim(cell: &[u8], delim: u8) -> &[u8] {
    let is_pad = |c: &u8| matches!(c, b' ' | b'\t' | b'"' | b'\'' | b'\r' | b'*') || *c == delim;
    let s = cell.iter().position(|c| !is_pad(c)).unwrap_or(cell.len());
    let e = cell.iter().rposition(|c| !is_pad(c)).map_or(s, |k| k + 1);
    &cell[s..e.max(s)]
}
