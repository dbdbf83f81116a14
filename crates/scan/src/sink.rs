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

/// One line of JSONL output. Holds the masked form of the value only.
#[derive(serde::Serialize)]
pub(super) struct JsonlRow<'a> {
    pub(super) file: &'a str,
    #[serde(rename = "type")]
    pub(super) pi_type: &'a str,
    pub(super) start: u64,
    pub(super) end: u64,
    pub(super) bstart: u64,
    pub(super) bend: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) column: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) record: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) pointer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) csv_column: Option<&'a str>,
    pub(super) score: f64,
    pub(super) validated: bool,
    pub(super) masked: &'a str,
}

/// Writes a finding as one JSON line (its value masked).
pub(super) fn jsonl_row(
    w: &mut impl Write,
    file: &str,
    f: &Finding,
    original: &str,
    at: &Place,
) -> Result<()> {
    let start = at.char_base + f.start as u64;
    let bstart = at.byte_base + f.bstart as u64;
    let row = JsonlRow {
        file,
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
    };
    serde_json::to_writer(&mut *w, &row)?;
    w.write_all(b"\n")?;
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
            Some(OutputFormat::Jsonl) => jsonl_row(&mut self.w, file, f, original, at)?,
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
