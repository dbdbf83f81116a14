//! `custodian scan`: stream files through the detector on every core.
//!
//! Text is read in chunks cut at line ends and scanned in parallel batches, so memory stays
//! bounded whatever the file size; NDJSON and CSV are batched by records. A JSON document is
//! parsed whole. Output never contains a found value in clear: findings carry their type,
//! offsets, score and a masked form only.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, ValueEnum};
use custodian_detect::mask::{self, MaskStyle, PseudonymKey};
use custodian_detect::records::{self, ColumnStats};
use custodian_detect::{Detector, Finding, PiType, TypeSet};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde_json::{Value, json};

/// Raw arguments of `custodian scan`, as typed.
#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Files to scan; `-` (or none) reads standard input.
    files: Vec<PathBuf>,
    /// Input format; `auto` picks by file extension (.json, .ndjson/.jsonl, .csv; else text).
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    format: InputFormat,
    /// Only these types (comma-separated names, e.g. `cn_mobile,email`).
    #[arg(long, value_delimiter = ',')]
    types: Vec<String>,
    /// Drop findings scored below this (0 to 1).
    #[arg(long, default_value_t = 0.5)]
    min_score: f32,
    /// What to write: findings as JSON lines, a summary table, or SARIF 2.1.0.
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Jsonl)]
    output: OutputFormat,
    /// Write the input back with PI masked instead of listing findings.
    #[arg(long)]
    redact: bool,
    /// How `--redact` masks: partial (138****5678), placeholder (<CN_MOBILE>) or pseudonym.
    #[arg(long, value_enum, default_value_t = MaskArg::Partial)]
    mask: MaskArg,
    /// Key file for `--mask pseudonym` (its bytes are the HMAC key; at least 16).
    #[arg(long)]
    pseudonym_key_file: Option<PathBuf>,
    /// Exit with status 1 when anything is found (for CI gates).
    #[arg(long)]
    fail_on_findings: bool,
    /// NDJSON: scan only this string field of each record.
    #[arg(long)]
    field: Option<String>,
    /// NDJSON: write exactly one line per input record: {"spans":[...]}.
    #[arg(long)]
    per_record: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Never show a progress bar.
    #[arg(long)]
    no_progress: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum InputFormat {
    Auto,
    Text,
    Json,
    Ndjson,
    Csv,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Jsonl,
    Summary,
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum MaskArg {
    Partial,
    Placeholder,
    Pseudonym,
}

/// One input, with its resolved format.
struct Input {
    path: Option<PathBuf>,
    format: InputFormat,
}

impl Input {
    fn name(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "-".to_string(), |p| p.display().to_string())
    }

    fn open(&self) -> Result<Box<dyn Read + Send>> {
        match &self.path {
            None => Ok(Box::new(io::stdin())),
            Some(p) => {
                let f = File::open(p).with_context(|| format!("cannot read `{}`", p.display()))?;
                Ok(Box::new(f))
            }
        }
    }
}

/// What to do with findings.
enum Mode {
    Report(OutputFormat),
    PerRecord,
    Redact(MaskStyle),
}

/// The validated command.
struct ScanConfig {
    inputs: Vec<Input>,
    det: Detector,
    mode: Mode,
    field: Option<String>,
    fail_on_findings: bool,
    progress: bool,
}

const CHUNK: usize = 1 << 20;
const RECORD_BATCH: usize = 4096;

fn validate(args: ScanArgs) -> Result<ScanConfig> {
    let mut det = Detector::new().with_min_score(args.min_score);
    if !(0.0..=1.0).contains(&args.min_score) {
        bail!(
            "--min-score must be between 0 and 1, got `{}`",
            args.min_score
        );
    }
    if !args.types.is_empty() {
        let mut set = TypeSet::empty();
        for t in &args.types {
            set.insert(t.parse::<PiType>()?);
        }
        det = det.with_types(set);
    }
    let record_mode = args.per_record || args.field.is_some();
    let files = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files
    };
    let mut inputs = Vec::with_capacity(files.len());
    for f in files {
        let path = (f.as_os_str() != "-").then_some(f);
        let format = match args.format {
            InputFormat::Auto => match path
                .as_deref()
                .and_then(Path::extension)
                .and_then(|e| e.to_str())
            {
                _ if record_mode => InputFormat::Ndjson,
                Some("json") => InputFormat::Json,
                Some("ndjson" | "jsonl") => InputFormat::Ndjson,
                Some("csv") => InputFormat::Csv,
                _ => InputFormat::Text,
            },
            other => other,
        };
        if record_mode && format != InputFormat::Ndjson {
            bail!(
                "--field and --per-record apply to NDJSON input; `{}` is read as {:?}",
                path.as_deref()
                    .map_or("-".into(), |p| p.display().to_string()),
                format
            );
        }
        inputs.push(Input { path, format });
    }
    let mode = if args.redact {
        if args.per_record {
            bail!("--redact and --per-record cannot be combined");
        }
        let style = match args.mask {
            MaskArg::Partial => MaskStyle::Partial,
            MaskArg::Placeholder => MaskStyle::Placeholder,
            MaskArg::Pseudonym => {
                let path = args
                    .pseudonym_key_file
                    .ok_or_else(|| anyhow!("--mask pseudonym needs --pseudonym-key-file"))?;
                let key = std::fs::read(&path)
                    .with_context(|| format!("cannot read key file `{}`", path.display()))?;
                if key.len() < 16 {
                    bail!(
                        "key file `{}` holds {} bytes; a pseudonym key needs at least 16",
                        path.display(),
                        key.len()
                    );
                }
                MaskStyle::Pseudonym(PseudonymKey::new(key))
            }
        };
        Mode::Redact(style)
    } else if args.per_record {
        Mode::PerRecord
    } else {
        Mode::Report(args.output)
    };
    if let Some(n) = args.threads
        && n == 0
    {
        bail!("--threads must be at least 1");
    }
    if let Some(n) = args.threads {
        // A second call (in tests) finds the pool built already; that is fine.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    Ok(ScanConfig {
        inputs,
        det,
        mode,
        field: args.field,
        fail_on_findings: args.fail_on_findings,
        progress: !args.no_progress && io::stderr().is_terminal(),
    })
}

/// Runs `custodian scan`.
pub fn run(args: ScanArgs) -> Result<ExitCode> {
    let cfg = validate(args)?;
    let started = Instant::now();
    let total: u64 = cfg
        .inputs
        .iter()
        .filter_map(|i| {
            i.path
                .as_ref()
                .and_then(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
        })
        .sum();
    let bar = if cfg.progress {
        let pb = ProgressBar::new(total);
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
        ) {
            pb.set_style(style.progress_chars("=> "));
        }
        pb
    } else {
        ProgressBar::hidden()
    };
    let stdout = io::stdout();
    let mut out = Sink::new(BufWriter::with_capacity(1 << 16, stdout.lock()), &cfg.mode);
    let mut bytes = 0u64;
    for input in &cfg.inputs {
        let name = input.name();
        let r = input.open()?;
        let r = bar.wrap_read(r);
        bytes += match input.format {
            InputFormat::Text | InputFormat::Auto => scan_text(&cfg, &name, r, &mut out)?,
            InputFormat::Ndjson => scan_ndjson(&cfg, &name, r, &mut out)?,
            InputFormat::Json => scan_json_doc(&cfg, &name, r, &mut out)?,
            InputFormat::Csv => scan_csv(&cfg, &name, r, &mut out)?,
        };
    }
    bar.finish_and_clear();
    out.finish()?;
    let secs = started.elapsed().as_secs_f64();
    let totals = out.totals();
    let found: usize = totals.values().sum();
    let by_type: Vec<String> = totals.iter().map(|(t, n)| format!("{t} {n}")).collect();
    eprintln!(
        "scanned {} input(s), {:.1} MB in {:.2} s ({:.1} MB/s): {} finding(s){}{}",
        cfg.inputs.len(),
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs.max(1e-9),
        found,
        if by_type.is_empty() { "" } else { ": " },
        by_type.join(", ")
    );
    for line in &out.column_lines {
        eprintln!("  {line}");
    }
    if cfg.fail_on_findings && found > 0 {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Where a finding is.
#[derive(Default)]
struct Place {
    line: Option<u64>,
    column: Option<u64>,
    char_base: u64,
    byte_base: u64,
    pointer: Option<String>,
    record: Option<u64>,
    csv_column: Option<String>,
}

/// One line of JSONL output. Holds the masked form of the value only.
#[derive(serde::Serialize)]
struct JsonlRow<'a> {
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

/// Collects and writes output in the chosen form.
struct Sink<W: Write> {
    w: W,
    report: Option<OutputFormat>,
    counts: BTreeMap<PiType, usize>,
    /// Findings per input and type, in input order.
    per_file: Vec<(String, [usize; PiType::ALL.len()])>,
    sarif: Vec<Value>,
    column_lines: Vec<String>,
}

impl<W: Write> Sink<W> {
    fn new(w: W, mode: &Mode) -> Self {
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
    fn totals(&self) -> BTreeMap<PiType, usize> {
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
    fn count(&mut self, file: &str, t: PiType) {
        let slot = PiType::ALL.iter().position(|x| *x == t).unwrap_or(0);
        match self.per_file.last_mut() {
            Some((name, counts)) if name == file => counts[slot] += 1,
            _ => {
                let mut counts = [0; PiType::ALL.len()];
                counts[slot] = 1;
                self.per_file.push((file.to_string(), counts));
            }
        }
    }

    fn finding(&mut self, file: &str, f: &Finding, original: &str, at: &Place) -> Result<()> {
        self.count(file, f.pi_type);
        let start = at.char_base + f.start as u64;
        let bstart = at.byte_base + f.bstart as u64;
        match self.report {
            Some(OutputFormat::Jsonl) => {
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
                serde_json::to_writer(&mut self.w, &row)?;
                self.w.write_all(b"\n")?;
            }
            Some(OutputFormat::Sarif) => {
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
            _ => {}
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
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

/// Reads up to `CHUNK` bytes more, cut after the last newline; the rest stays in `carry`.
fn next_chunk(r: &mut impl Read, carry: &mut Vec<u8>) -> io::Result<Option<Vec<u8>>> {
    let mut buf = std::mem::take(carry);
    let want = CHUNK.max(buf.len());
    let mut filled = buf.len();
    buf.resize(want, 0);
    let mut eof = false;
    while filled < want {
        match r.read(&mut buf[filled..]) {
            Ok(0) => {
                eof = true;
                break;
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(filled);
    if buf.is_empty() {
        return Ok(None);
    }
    if !eof {
        // Cut at the last newline; failing that at the last space; failing that at a
        // character boundary.
        let cut = memchr::memrchr(b'\n', &buf)
            .or_else(|| memchr::memrchr(b' ', &buf))
            .map(|p| p + 1)
            .unwrap_or_else(|| {
                let mut p = buf.len();
                while p > 0 && buf[p - 1] & 0xC0 == 0x80 {
                    p -= 1;
                }
                p.saturating_sub(1).max(1)
            });
        *carry = buf.split_off(cut);
    }
    Ok(Some(buf))
}

struct ChunkResult {
    findings: Vec<Finding>,
    chars: u64,
    lines: u64,
}

fn scan_text(
    cfg: &ScanConfig,
    name: &str,
    mut r: impl Read,
    out: &mut Sink<impl Write>,
) -> Result<u64> {
    let batch = rayon::current_num_threads() * 2;
    let mut carry = Vec::new();
    let (mut byte_base, mut char_base, mut line_base) = (0u64, 0u64, 1u64);
    loop {
        let mut chunks = Vec::with_capacity(batch);
        while chunks.len() < batch {
            match next_chunk(&mut r, &mut carry).with_context(|| format!("cannot read `{name}`"))? {
                Some(c) => chunks.push(c),
                None => break,
            }
        }
        if chunks.is_empty() {
            break;
        }
        let results: Vec<ChunkResult> = chunks
            .par_iter()
            .map(|c| {
                let (findings, chars) = cfg.det.scan_bytes_counted(c);
                ChunkResult {
                    findings,
                    chars: chars as u64,
                    lines: memchr::memchr_iter(b'\n', c).count() as u64,
                }
            })
            .collect();
        for (c, res) in chunks.iter().zip(results) {
            match &cfg.mode {
                Mode::Redact(style) => {
                    for f in &res.findings {
                        *out.counts.entry(f.pi_type).or_default() += 1;
                    }
                    out.w.write_all(&mask::redact(c, &res.findings, style))?;
                }
                Mode::Report(OutputFormat::Summary) => {
                    for f in &res.findings {
                        out.count(name, f.pi_type);
                    }
                }
                _ => {
                    let valid = std::str::from_utf8(c).is_ok();
                    let mut line = line_base;
                    let mut at = 0usize;
                    for f in &res.findings {
                        line += memchr::memchr_iter(b'\n', &c[at..f.bstart]).count() as u64;
                        at = f.bstart;
                        let line_start =
                            memchr::memrchr(b'\n', &c[..f.bstart]).map_or(0, |p| p + 1);
                        let prefix = &c[line_start..f.bstart];
                        let column = if valid {
                            prefix.iter().filter(|&&b| (b as i8) >= -0x40).count()
                        } else {
                            custodian_detect::count_code_points(prefix)
                        } as u64
                            + 1;
                        let original = String::from_utf8_lossy(&c[f.bstart..f.bend]);
                        let place = Place {
                            line: Some(line),
                            column: Some(column),
                            char_base,
                            byte_base,
                            ..Place::default()
                        };
                        out.finding(name, f, &original, &place)?;
                    }
                }
            }
            byte_base += c.len() as u64;
            char_base += res.chars;
            line_base += res.lines;
        }
    }
    Ok(byte_base)
}

/// Masks every string of a JSON value in place.
fn redact_value(
    det: &Detector,
    v: &mut Value,
    key: &str,
    style: &MaskStyle,
    count: &mut BTreeMap<PiType, usize>,
) {
    match v {
        Value::String(s) => {
            let found = if key.is_empty() {
                det.scan_str(s)
            } else {
                det.scan_field(key, s.as_bytes())
            };
            if !found.is_empty() {
                for f in &found {
                    *count.entry(f.pi_type).or_default() += 1;
                }
                *s = String::from_utf8_lossy(&mask::redact(s.as_bytes(), &found, style))
                    .into_owned();
            }
        }
        Value::Number(n) => {
            let text = n.to_string();
            let found = det.scan_field(key, text.as_bytes());
            if !found.is_empty() {
                for f in &found {
                    *count.entry(f.pi_type).or_default() += 1;
                }
                *v = Value::String(
                    String::from_utf8_lossy(&mask::redact(text.as_bytes(), &found, style))
                        .into_owned(),
                );
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|i| redact_value(det, i, key, style, count)),
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                redact_value(det, item, k, style, count);
            }
        }
        _ => {}
    }
}

enum RecordOut {
    Findings(Vec<(Finding, String, Option<String>)>),
    Line(String),
    Redacted(String, BTreeMap<PiType, usize>),
}

fn scan_ndjson(
    cfg: &ScanConfig,
    name: &str,
    r: impl Read,
    out: &mut Sink<impl Write>,
) -> Result<u64> {
    let mut reader = BufReader::with_capacity(1 << 20, r);
    let mut line_no = 0u64;
    let mut bytes = 0u64;
    loop {
        let mut lines: Vec<(u64, Vec<u8>)> = Vec::with_capacity(RECORD_BATCH);
        let mut batch_bytes = 0;
        while lines.len() < RECORD_BATCH && batch_bytes < 8 * CHUNK {
            let mut buf = Vec::new();
            let n = reader
                .read_until(b'\n', &mut buf)
                .with_context(|| format!("cannot read `{name}`"))?;
            if n == 0 {
                break;
            }
            line_no += 1;
            bytes += n as u64;
            batch_bytes += n;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            lines.push((line_no, buf));
        }
        if lines.is_empty() {
            break;
        }
        let results: Vec<Result<RecordOut>> = lines
            .par_iter()
            .map(|(no, line)| -> Result<RecordOut> {
                let mut v: Value = serde_json::from_slice(line)
                    .map_err(|e| anyhow!("{name}:{no}:{}: malformed JSON: {e}", e.column()))?;
                let target = match &cfg.field {
                    Some(f) => match v.get(f) {
                        None | Some(Value::Null) => None,
                        Some(Value::String(s)) => Some(s.clone()),
                        Some(_) => bail!("{name}:{no}: field `{f}` is not a string"),
                    },
                    None => None,
                };
                match &cfg.mode {
                    Mode::PerRecord => {
                        let found = match (&cfg.field, &target) {
                            (Some(_), Some(s)) => cfg.det.scan_str(s),
                            (Some(_), None) => Vec::new(),
                            (None, _) => records::scan_json(&cfg.det, &v).into_iter().map(|j| j.finding).collect(),
                        };
                        let spans: Vec<Value> = found
                            .iter()
                            .map(|f| json!({"start": f.start, "end": f.end, "bstart": f.bstart, "bend": f.bend, "type": f.pi_type.name(), "score": f.score}))
                            .collect();
                        Ok(RecordOut::Line(json!({"spans": spans}).to_string()))
                    }
                    Mode::Redact(style) => {
                        let mut counts = BTreeMap::new();
                        match &cfg.field {
                            Some(f) => {
                                if let Some(slot) = v.get_mut(f) {
                                    redact_value(&cfg.det, slot, "", style, &mut counts);
                                }
                            }
                            None => redact_value(&cfg.det, &mut v, "", style, &mut counts),
                        }
                        Ok(RecordOut::Redacted(v.to_string(), counts))
                    }
                    Mode::Report(_) => {
                        let found: Vec<(Finding, String, Option<String>)> = match (&cfg.field, &target) {
                            (Some(f), Some(s)) => cfg
                                .det
                                .scan_str(s)
                                .into_iter()
                                .map(|x| {
                                    let orig = s.get(x.bstart..x.bend).unwrap_or("").to_string();
                                    (x, orig, Some(format!("/{f}")))
                                })
                                .collect(),
                            (Some(_), None) => Vec::new(),
                            (None, _) => records::scan_json(&cfg.det, &v)
                                .into_iter()
                                .map(|j| {
                                    let orig = pointer_text(&v, &j.pointer, &j.finding);
                                    (j.finding, orig, Some(j.pointer))
                                })
                                .collect(),
                        };
                        Ok(RecordOut::Findings(found))
                    }
                }
            })
            .collect();
        for ((no, _), res) in lines.iter().zip(results) {
            match res? {
                RecordOut::Redacted(l, counts) => {
                    for (t, n) in counts {
                        *out.counts.entry(t).or_default() += n;
                    }
                    out.w.write_all(l.as_bytes())?;
                    out.w.write_all(b"\n")?;
                }
                RecordOut::Line(l) => {
                    out.w.write_all(l.as_bytes())?;
                    out.w.write_all(b"\n")?;
                }
                RecordOut::Findings(found) => {
                    for (f, orig, ptr) in found {
                        let place = Place {
                            line: Some(*no),
                            record: Some(*no),
                            pointer: ptr,
                            ..Place::default()
                        };
                        out.finding(name, &f, &orig, &place)?;
                    }
                }
            }
        }
    }
    Ok(bytes)
}

/// The original text of a finding inside the JSON value at `pointer`.
fn pointer_text(v: &Value, pointer: &str, f: &Finding) -> String {
    match v.pointer(pointer) {
        Some(Value::String(s)) => s.get(f.bstart..f.bend).unwrap_or("").to_string(),
        Some(Value::Number(n)) => n
            .to_string()
            .get(f.bstart..f.bend)
            .unwrap_or("")
            .to_string(),
        _ => String::new(),
    }
}

fn scan_json_doc(
    cfg: &ScanConfig,
    name: &str,
    mut r: impl Read,
    out: &mut Sink<impl Write>,
) -> Result<u64> {
    let mut buf = Vec::new();
    r.read_to_end(&mut buf)
        .with_context(|| format!("cannot read `{name}`"))?;
    let mut v: Value = serde_json::from_slice(&buf)
        .map_err(|e| anyhow!("{name}:{}:{}: malformed JSON: {e}", e.line(), e.column()))?;
    match &cfg.mode {
        Mode::Redact(style) => {
            let mut counts = BTreeMap::new();
            redact_value(&cfg.det, &mut v, "", style, &mut counts);
            for (t, n) in counts {
                *out.counts.entry(t).or_default() += n;
            }
            serde_json::to_writer_pretty(&mut out.w, &v)?;
            out.w.write_all(b"\n")?;
        }
        _ => {
            for j in records::scan_json(&cfg.det, &v) {
                let orig = pointer_text(&v, &j.pointer, &j.finding);
                let place = Place {
                    pointer: Some(j.pointer.clone()),
                    ..Place::default()
                };
                out.finding(name, &j.finding, &orig, &place)?;
            }
        }
    }
    Ok(buf.len() as u64)
}

fn scan_csv(cfg: &ScanConfig, name: &str, r: impl Read, out: &mut Sink<impl Write>) -> Result<u64> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(r);
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| csv_error(name, &e))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut stats = ColumnStats::new(headers.clone());
    if let Mode::Redact(_) = cfg.mode {
        let mut w = csv::Writer::from_writer(&mut out.w);
        w.write_record(&headers)?;
        w.flush()?;
    }
    let mut bytes = 0u64;
    let mut rec = csv::StringRecord::new();
    loop {
        let mut batch: Vec<(u64, Vec<String>)> = Vec::with_capacity(RECORD_BATCH);
        while batch.len() < RECORD_BATCH {
            if !rdr.read_record(&mut rec).map_err(|e| csv_error(name, &e))? {
                break;
            }
            let line = rec.position().map_or(0, csv::Position::line);
            bytes = rec.position().map_or(bytes, |p| p.byte());
            batch.push((line, rec.iter().map(str::to_string).collect()));
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<Vec<(usize, Vec<Finding>)>> = batch
            .par_iter()
            .map(|(_, row)| records::scan_csv_row(&cfg.det, &headers, row))
            .collect();
        let mut masked_rows = Vec::new();
        for ((line, row), cells) in batch.iter().zip(results) {
            stats.observe_row(cells.iter().map(|(i, f)| (*i, f.as_slice())));
            match &cfg.mode {
                Mode::Redact(style) => {
                    let mut masked = row.clone();
                    for (i, found) in &cells {
                        if let Some(cell) = masked.get_mut(*i) {
                            *cell = String::from_utf8_lossy(&mask::redact(
                                cell.as_bytes(),
                                found,
                                style,
                            ))
                            .into_owned();
                        }
                        for f in found {
                            *out.counts.entry(f.pi_type).or_default() += 1;
                        }
                    }
                    masked_rows.push(masked);
                }
                _ => {
                    for (i, found) in &cells {
                        let cell = row.get(*i).map(String::as_str).unwrap_or("");
                        for f in found {
                            let orig = cell.get(f.bstart..f.bend).unwrap_or("");
                            let place = Place {
                                line: Some(*line),
                                csv_column: Some(
                                    headers
                                        .get(*i)
                                        .cloned()
                                        .unwrap_or_else(|| format!("#{}", i + 1)),
                                ),
                                ..Place::default()
                            };
                            out.finding(name, f, orig, &place)?;
                        }
                    }
                }
            }
        }
        if !masked_rows.is_empty() {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(&mut out.w);
            for row in &masked_rows {
                w.write_record(row)?;
            }
            w.flush()?;
        }
    }
    for s in stats.summary() {
        out.column_lines.push(format!("{name}: {s}"));
    }
    Ok(bytes)
}

fn csv_error(name: &str, e: &csv::Error) -> anyhow::Error {
    match e.position() {
        Some(p) => anyhow!("{name}:{}: malformed CSV: {e}", p.line()),
        None => anyhow!("{name}: malformed CSV: {e}"),
    }
}
