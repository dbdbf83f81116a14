//! Where findings go: JSON lines, a summary table, SARIF, or the input redacted.

use super::*;

/// Where a finding is.
#[derive(Default)]
pub(super) struct Place {
    pub(super) line: Option<u64>,
    pub(super) column: Option<u64>,
    pub(super) char_base: u64,
    pub(super) byte_base: u64,
    pub(super) pointer: Option<String>,
    pub(super) record: Option<u64>,
    pub(super) csv_column: Option<String>,
}

/// A name (a file's, a pointer's, a column's) as a JSON string, quotes included: escaped once
/// and written into every row about it.
pub(super) struct JsonName(String);

impl JsonName {
    pub(super) fn new(name: &str) -> Self {
        JsonName(Value::String(name.to_owned()).to_string())
    }

    /// Its length in bytes, escaped.
    pub(super) fn len(&self) -> usize {
        self.0.len()
    }
}

/// Writes `s` as a JSON string, escaped as `serde_json` escapes it.
fn json_str(w: &mut impl Write, s: &str) -> Result<()> {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        serde_json::to_writer(&mut *w, s)?;
    } else {
        w.write_all(b"\"")?;
        w.write_all(s.as_bytes())?;
        w.write_all(b"\"")?;
    }
    Ok(())
}

/// A score rounded to two decimals, written as `serde_json` writes the rounded `f64`
/// (`0.9`, `0.97`, `1.0`).
fn score(w: &mut impl Write, score: f32) -> Result<()> {
    let rounded = (f64::from(score) * 100.0).round();
    if !(0.0..=100.0).contains(&rounded) {
        serde_json::to_writer(&mut *w, &(rounded / 100.0))?;
        return Ok(());
    }
    let k = rounded as u8;
    match k {
        100 => w.write_all(b"1.0")?,
        _ if k.is_multiple_of(10) => write!(w, "0.{}", k / 10)?,
        _ => write!(w, "0.{k:02}")?,
    }
    Ok(())
}

/// Writes a finding as one JSON line (its value masked): `file`, `type`, `start`, `end`,
/// `bstart`, `bend`, then `line`, `column`, `record`, `pointer` and `csv_column` where known,
/// `score`, `validated` and `masked`.
pub(super) fn jsonl_row(
    w: &mut impl Write,
    file: &JsonName,
    f: &Finding,
    original: &str,
    at: &Place,
) -> Result<()> {
    let mut n = itoa::Buffer::new();
    let start = at.char_base + f.start as u64;
    let bstart = at.byte_base + f.bstart as u64;
    w.write_all(b"{\"file\":")?;
    w.write_all(file.0.as_bytes())?;
    w.write_all(b",\"type\":\"")?;
    w.write_all(f.pi_type.name().as_bytes())?;
    let numbers = [
        (&b"\",\"start\":"[..], Some(start)),
        (b",\"end\":", Some(start + (f.end - f.start) as u64)),
        (b",\"bstart\":", Some(bstart)),
        (b",\"bend\":", Some(bstart + (f.bend - f.bstart) as u64)),
        (b",\"line\":", at.line),
        (b",\"column\":", at.column),
        (b",\"record\":", at.record),
    ];
    for (key, v) in numbers {
        if let Some(v) = v {
            w.write_all(key)?;
            w.write_all(n.format(v).as_bytes())?;
        }
    }
    if let Some(p) = &at.pointer {
        w.write_all(b",\"pointer\":")?;
        json_str(w, p)?;
    }
    if let Some(c) = &at.csv_column {
        w.write_all(b",\"csv_column\":")?;
        json_str(w, c)?;
    }
    w.write_all(b",\"score\":")?;
    score(w, f.score)?;
    w.write_all(if f.validated {
        b",\"validated\":true,\"masked\":"
    } else {
        b",\"validated\":false,\"masked\":"
    })?;
    json_str(w, &mask::mask(f.pi_type, original))?;
    w.write_all(b"}\n")?;
    Ok(())
}

/// Collects and writes output in the chosen form.
pub(super) struct Sink<W: Write> {
    pub(super) w: W,
    pub(super) report: Option<OutputFormat>,
    pub(super) counts: BTreeMap<PiType, usize>,
    /// Findings per input and type, in input order.
    pub(super) per_file: Vec<(String, [usize; PiType::ALL.len()])>,
    pub(super) sarif: Vec<Value>,
    pub(super) column_lines: Vec<String>,
}

impl<W: Write> Sink<W> {
    pub(super) fn new(w: W, mode: &Mode) -> Self {
        let report = match mode {
            Mode::Report(f) => Some(*f),
            _ => None,
        };
        Sink {
            w,
            report,
            counts: BTreeMap::new(),
            per_file: Vec::new(),
            sarif: Vec::new(),
            column_lines: Vec::new(),
        }
    }

    /// Findings per type over all inputs.
    pub(super) fn totals(&self) -> BTreeMap<PiType, usize> {
        let mut t = self.counts.clone();
        for (_, counts) in &self.per_file {
            for (ty, n) in PiType::ALL.iter().zip(counts) {
                if *n > 0 {
                    *t.entry(*ty).or_default() += n;
                }
            }
        }
        t
    }

    /// Counts a finding for the closing summary and the summary table.
    pub(super) fn count(&mut self, file: &str, t: PiType) {
        match self.per_file.last_mut() {
            Some((name, counts)) if name == file => counts[t.index()] += 1,
            _ => {
                let mut counts = [0; PiType::ALL.len()];
                counts[t.index()] = 1;
                self.per_file.push((file.to_string(), counts));
            }
        }
    }

    /// Counts findings per type (indexed as [`PiType::ALL`]) for the closing summary.
    pub(super) fn count_all(&mut self, file: &str, add: &[usize; PiType::ALL.len()]) {
        if add.iter().all(|n| *n == 0) {
            return;
        }
        match self.per_file.last_mut() {
            Some((name, counts)) if name == file => {
                for (c, n) in counts.iter_mut().zip(add) {
                    *c += n;
                }
            }
            _ => self.per_file.push((file.to_string(), *add)),
        }
    }

    pub(super) fn finding(
        &mut self,
        file: &str,
        f: &Finding,
        original: &str,
        at: &Place,
    ) -> Result<()> {
        self.count(file, f.pi_type);
        match self.report {
            Some(OutputFormat::Jsonl) => {
                jsonl_row(&mut self.w, &JsonName::new(file), f, original, at)?
            }
            Some(OutputFormat::Sarif) => self.sarif_result(file, f, original, at),
            _ => {}
        }
        Ok(())
    }

    /// Keeps a finding as a SARIF result, for the document written at the end.
    pub(super) fn sarif_result(&mut self, file: &str, f: &Finding, original: &str, at: &Place) {
        let start = at.char_base + f.start as u64;
        let bstart = at.byte_base + f.bstart as u64;
        let mut region = serde_json::Map::new();
        if let Some(l) = at.line {
            region.insert("startLine".into(), json!(l));
        }
        if let Some(c) = at.column {
            region.insert("startColumn".into(), json!(c));
            region.insert("endColumn".into(), json!(c + (f.end - f.start) as u64));
        }
        if at.pointer.is_none() && at.csv_column.is_none() {
            region.insert("charOffset".into(), json!(start));
            region.insert("charLength".into(), json!(f.end - f.start));
            region.insert("byteOffset".into(), json!(bstart));
            region.insert("byteLength".into(), json!(f.bend - f.bstart));
        }
        let mut props = serde_json::Map::new();
        props.insert(
            "score".into(),
            json!((f64::from(f.score) * 100.0).round() / 100.0),
        );
        props.insert("validated".into(), json!(f.validated));
        props.insert("masked".into(), json!(mask::mask(f.pi_type, original)));
        if let Some(p) = &at.pointer {
            props.insert("jsonPointer".into(), json!(p));
        }
        if let Some(c) = &at.csv_column {
            props.insert("csvColumn".into(), json!(c));
        }
        let mut phys = json!({"artifactLocation": {"uri": file}});
        if !region.is_empty() {
            phys["region"] = Value::Object(region);
        }
        self.sarif.push(json!({
            "ruleId": f.pi_type.name(),
            "level": if f.pi_type.is_sensitive() { "error" } else { "warning" },
            "message": {"text": format!("{} found (score {:.2}, {})", f.pi_type.name(), f.score, mask::mask(f.pi_type, original))},
            "locations": [{"physicalLocation": phys}],
            "properties": props,
        }));
    }

    pub(super) fn finish(&mut self) -> Result<()> {
        match self.report {
            Some(OutputFormat::Summary) => {
                writeln!(self.w, "{:<40} {:<18} {:>9}", "input", "type", "findings")?;
                for (file, counts) in &self.per_file {
                    for (t, n) in PiType::ALL.iter().zip(counts) {
                        if *n > 0 {
                            writeln!(self.w, "{:<40} {:<18} {:>9}", file, t.name(), n)?;
                        }
                    }
                }
                let total: usize = self.totals().values().sum();
                writeln!(self.w, "{:<40} {:<18} {:>9}", "total", "", total)?;
                for line in &self.column_lines {
                    writeln!(self.w, "{line}")?;
                }
            }
            Some(OutputFormat::Sarif) => {
                let rules: Vec<Value> = PiType::ALL
                    .iter()
                    .map(|t| {
                        json!({
                            "id": t.name(),
                            "shortDescription": {"text": format!("{} ({})", t.name(), if t.is_personal() { "personal information" } else { "not personal" })},
                            "properties": {"category": format!("{:?}", t.category()).to_lowercase(), "sensitive": t.is_sensitive()},
                        })
                    })
                    .collect();
                let doc = json!({
                    "version": "2.1.0",
                    "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                    "runs": [{
                        "tool": {"driver": {"name": "custodian", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
                        "results": std::mem::take(&mut self.sarif),
                    }],
                });
                serde_json::to_writer_pretty(&mut self.w, &doc)?;
                self.w.write_all(b"\n")?;
            }
            _ => {}
        }
        self.w.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use custodian_detect::PiType;

    /// What `jsonl_row` writes by hand is what `serde_json` writes for the same row: every
    /// score from 0 to 1 in steps of 0.01, names that need escaping, every optional field.
    #[test]
    fn rows_are_what_serde_json_writes() {
        #[derive(serde::Serialize)]
        struct Reference<'a> {
            file: &'a str,
            #[serde(rename = "type")]
            pi_type: &'a str,
            start: u64,
            end: u64,
            bstart: u64,
            bend: u64,
            #[serde(skip_serializing_if = "Option::is_none")]
            line: Option<u64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            column: Option<u64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            record: Option<u64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            pointer: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            csv_column: Option<&'a str>,
            score: f64,
            validated: bool,
            masked: &'a str,
        }
        let names = ["plain.txt", "we\"ird\\name\n\u{1}.txt", "目录/文件.csv", ""];
        let originals = ["13812345678", "王小明", "a\"b\\c\u{7}d"];
        let mut k = 0u64;
        for (ni, name) in names.iter().enumerate() {
            for original in originals {
                for step in 0..=100u32 {
                    k += 1;
                    let f = Finding {
                        pi_type: PiType::ALL[(k as usize) % PiType::ALL.len()],
                        start: 3,
                        end: 3 + original.chars().count(),
                        bstart: 5,
                        bend: 5 + original.len(),
                        value: String::new(),
                        score: step as f32 / 100.0,
                        validated: k.is_multiple_of(2),
                    };
                    let at = Place {
                        line: (!k.is_multiple_of(3)).then_some(k),
                        column: (!k.is_multiple_of(5)).then_some(k * 7),
                        char_base: k * 1_000_003,
                        byte_base: u64::MAX / 4 + k,
                        pointer: (ni % 2 == 1).then(|| format!("/a/{name}")),
                        record: k.is_multiple_of(4).then_some(k),
                        csv_column: k.is_multiple_of(7).then(|| format!("列\"{k}")),
                    };
                    let mut ours = Vec::new();
                    jsonl_row(&mut ours, &JsonName::new(name), &f, original, &at).unwrap();
                    let start = at.char_base + f.start as u64;
                    let bstart = at.byte_base + f.bstart as u64;
                    let mut theirs = serde_json::to_vec(&Reference {
                        file: name,
                        pi_type: f.pi_type.name(),
                        start,
                        end: start + (f.end - f.start) as u64,
                        bstart,
                        bend: bstart + (f.bend - f.bstart) as u64,
                        line: at.line,
                        column: at.column,
                        record: at.record,
                        pointer: at.pointer.as_deref(),
                        csv_column: at.csv_column.as_deref(),
                        score: (f64::from(f.score) * 100.0).round() / 100.0,
                        validated: f.validated,
                        masked: &mask::mask(f.pi_type, original),
                    })
                    .unwrap();
                    theirs.push(b'\n');
                    assert_eq!(
                        String::from_utf8(ours).unwrap(),
                        String::from_utf8(theirs).unwrap()
                    );
                }
            }
        }
    }
}
