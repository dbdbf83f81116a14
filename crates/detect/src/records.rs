//! Scanning structured records: JSON documents (nested; each finding carries its JSON
//! pointer), NDJSON lines, and CSV rows with per-column summaries. Field names and column
//! headers count as context for the values under them.

use serde::Serialize;
use serde_json::Value;

use crate::{Detector, Finding, PiType};

/// A finding inside a JSON document.
#[derive(Clone, Debug, Serialize)]
pub struct JsonFinding {
    /// RFC 6901 pointer to the string (or number) that holds the value.
    pub pointer: String,
    /// The finding; offsets are into that string.
    #[serde(flatten)]
    pub finding: Finding,
}

/// Scans every string and number in a JSON value. Object keys are context for their values.
pub fn scan_json(det: &Detector, value: &Value) -> Vec<JsonFinding> {
    let mut out = Vec::new();
    let mut pointer = String::new();
    walk(det, value, "", &mut pointer, &mut out, 0);
    out
}

fn walk(
    det: &Detector,
    v: &Value,
    key: &str,
    ptr: &mut String,
    out: &mut Vec<JsonFinding>,
    depth: usize,
) {
    if depth > 128 {
        return;
    }
    match v {
        Value::String(s) => push_all(det, key, s, ptr, out),
        Value::Number(n) => push_all(det, key, &n.to_string(), ptr, out),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&i.to_string());
                walk(det, item, key, ptr, out, depth + 1);
                ptr.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&k.replace('~', "~0").replace('/', "~1"));
                walk(det, item, k, ptr, out, depth + 1);
                ptr.truncate(len);
            }
        }
        Value::Null | Value::Bool(_) => {}
    }
}

fn push_all(det: &Detector, key: &str, s: &str, ptr: &str, out: &mut Vec<JsonFinding>) {
    let found = if key.is_empty() {
        det.scan_str(s)
    } else {
        det.scan_field(key, s.as_bytes())
    };
    out.extend(found.into_iter().map(|finding| JsonFinding {
        pointer: ptr.to_string(),
        finding,
    }));
}

/// Per-column statistics over CSV rows: how many rows each type was found in.
#[derive(Clone, Debug, Default)]
pub struct ColumnStats {
    headers: Vec<String>,
    rows: usize,
    /// counts[column][type index]
    counts: Vec<[usize; PiType::ALL.len()]>,
}

/// One line of a column summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ColumnSummary {
    /// Column header.
    pub column: String,
    /// The type found in this column.
    #[serde(rename = "type")]
    pub pi_type: PiType,
    /// Rows of the column with at least one finding of the type.
    pub rows_with: usize,
    /// Rows seen.
    pub rows: usize,
}

impl ColumnSummary {
    /// Share of rows, 0 to 1.
    pub fn ratio(&self) -> f64 {
        if self.rows == 0 {
            0.0
        } else {
            self.rows_with as f64 / self.rows as f64
        }
    }
}

impl std::fmt::Display for ColumnSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "column `{}`: {} in {:.0}% of rows",
            self.column,
            self.pi_type,
            self.ratio() * 100.0
        )
    }
}

impl ColumnStats {
    /// Stats for a table with these headers.
    pub fn new(headers: Vec<String>) -> Self {
        let counts = vec![[0; PiType::ALL.len()]; headers.len()];
        ColumnStats {
            headers,
            rows: 0,
            counts,
        }
    }

    /// Records one row's findings, given as (column index, findings in that cell).
    pub fn observe_row<'a>(&mut self, cells: impl IntoIterator<Item = (usize, &'a [Finding])>) {
        self.rows += 1;
        for (col, found) in cells {
            let Some(c) = self.counts.get_mut(col) else {
                continue;
            };
            let mut seen = [false; PiType::ALL.len()];
            for f in found {
                seen[f.pi_type.index()] = true;
            }
            for (k, s) in seen.iter().enumerate() {
                if *s {
                    c[k] += 1;
                }
            }
        }
    }

    /// Merges the stats of another part of the same table.
    pub fn merge(&mut self, other: &ColumnStats) {
        self.rows += other.rows;
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }

    /// Rows seen.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// One summary per (column, type) found, columns in table order, most frequent type first.
    pub fn summary(&self) -> Vec<ColumnSummary> {
        let mut out = Vec::new();
        for (col, counts) in self.counts.iter().enumerate() {
            let mut found: Vec<(usize, PiType)> = PiType::ALL
                .iter()
                .filter(|t| counts[t.index()] > 0)
                .map(|t| (counts[t.index()], *t))
                .collect();
            found.sort_by_key(|f| std::cmp::Reverse(f.0));
            for (n, t) in found {
                out.push(ColumnSummary {
                    column: self
                        .headers
                        .get(col)
                        .cloned()
                        .unwrap_or_else(|| format!("#{}", col + 1)),
                    pi_type: t,
                    rows_with: n,
                    rows: self.rows,
                });
            }
        }
        out
    }
}

/// Scans one CSV row: each cell with its column header as context. Returns (column index,
/// findings) for the cells with findings.
pub fn scan_csv_row<S: AsRef<str>>(
    det: &Detector,
    headers: &[String],
    row: &[S],
) -> Vec<(usize, Vec<Finding>)> {
    row.iter()
        .enumerate()
        .filter_map(|(i, cell)| {
            let h = headers.get(i).map(String::as_str).unwrap_or("");
            let found = det.scan_field(h, cell.as_ref().as_bytes());
            (!found.is_empty()).then_some((i, found))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_pointers_and_keys_as_context() {
        let det = Detector::new();
        let v: Value = serde_json::json!({
            "user": {"name": "朱军", "phone": "198 1841 3419", "tags/x": ["a", "mxu@example.com"]},
            "mobile": 13812345678u64
        });
        let found = scan_json(&det, &v);
        let got: Vec<(String, PiType)> = found
            .iter()
            .map(|f| (f.pointer.clone(), f.finding.pi_type))
            .collect();
        assert!(
            got.contains(&("/user/name".into(), PiType::PersonNameZh)),
            "{got:?}"
        );
        assert!(got.contains(&("/user/phone".into(), PiType::CnMobile)));
        assert!(got.contains(&("/user/tags~1x/1".into(), PiType::Email)));
        assert!(got.contains(&("/mobile".into(), PiType::CnMobile)));
    }

    #[test]
    fn csv_column_summary() {
        let det = Detector::new();
        let headers = vec!["name".to_string(), "phone".to_string(), "note".to_string()];
        let mut stats = ColumnStats::new(headers.clone());
        let rows = [
            ["李雷", "13800138000", "ok"],
            ["韩梅梅", "13900139000", ""],
            ["王芳", "n/a", ""],
        ];
        for row in rows {
            let cells = scan_csv_row(&det, &headers, &row);
            stats.observe_row(cells.iter().map(|(i, f)| (*i, f.as_slice())));
        }
        let lines: Vec<String> = stats.summary().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "column `name`: person_name_zh in 100% of rows",
                "column `phone`: cn_mobile in 67% of rows"
            ]
        );
    }
}
