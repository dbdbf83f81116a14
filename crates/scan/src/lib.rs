//! `custodian scan`: stream files through the detector on every core. The command-line tool
//! parses [`ScanArgs`] and calls [`run`]; fuzz targets drive the writers through
//! [`scan_in_memory`].
//!
//! Text is read in chunks cut at line ends and scanned on every thread, so memory stays
//! bounded whatever the file size; NDJSON and CSV are batched by records. A JSON document is
//! parsed whole. Output never contains a found value in clear: findings carry their type,
//! offsets, score and a masked form only.

#![forbid(unsafe_code)]

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
    /// Files or directories to scan (a directory: every file below it); `-` (or none) reads
    /// standard input.
    files: Vec<PathBuf>,
    /// In directories, only files matching this glob (by path below the directory, or by
    /// name for a pattern without `/`; repeatable), e.g. `*.csv`, `logs/**/*.log`.
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// In directories, skip files matching this glob (repeatable), e.g. `*.png`, `.git/**`.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
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
    /// NDJSON: records longer than this many bytes are scanned as text, in chunks, with a
    /// warning (never parsed into a tree: memory stays bounded whatever one record holds).
    #[arg(long, value_name = "BYTES", default_value_t = 8 << 20)]
    pub max_record: usize,
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
    max_record: usize,
    /// Bytes of text read into one chunk: `CHUNK`, or less where a fuzz target asks.
    chunk: usize,
}

impl ScanConfig {
    /// At most this many bytes of JSON lines are rendered for a chunk off the writing thread
    /// (the dev corpus renders about 3 bytes per byte scanned); the rest is rendered as it is
    /// written, which bounds memory however dense the findings.
    fn render_budget(&self) -> usize {
        4 * self.chunk
    }
}

const CHUNK: usize = 1 << 20;
const RECORD_BATCH: usize = 4096;

fn validate(args: ScanArgs) -> Result<ScanConfig> {
    // No output form prints a finding's value (it is PI): the scan builds none.
    let mut det = Detector::new()
        .with_min_score(args.min_score)
        .with_values(false);
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
        let filter = walk::Filter::new(&args.include, &args.exclude)?;
        let mut files = Vec::new();
        for f in args.files {
            files.extend(walk::expand(f, &filter)?);
        }
        if files.is_empty() {
            bail!("no file to scan: the directories given hold no file the filters keep");
        }
        files
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
    if args.max_record < 1024 {
        bail!(
            "--max-record must be at least 1024 bytes, got {}",
            args.max_record
        );
    }
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
        max_record: args.max_record,
        chunk: CHUNK,
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
        let r = bar.wrap_read(input.open()?);
        bytes += scan_input(&cfg, input, r, &mut out)?;
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

/// Scans one input in its format; the bytes read.
fn scan_input(
    cfg: &ScanConfig,
    input: &Input,
    r: impl Read + Send,
    out: &mut Sink<impl Write>,
) -> Result<u64> {
    let name = input.name();
    match input.format {
        InputFormat::Text | InputFormat::Auto => scan_text(cfg, &name, r, out),
        InputFormat::Ndjson => scan_ndjson(cfg, &name, r, out),
        InputFormat::Json => scan_json_doc(cfg, &name, r, out),
        InputFormat::Csv => scan_csv(cfg, &name, r, out),
    }
}

/// What `custodian scan ARGS` writes to standard output for `input` given on standard input
/// (`ARGS` name no file). For fuzz targets and tests: text is read in chunks of `chunk` bytes
/// (at least 1) instead of 1 MiB, so that a small input crosses many chunk boundaries, and
/// the work runs on the calling rayon pool's threads (`--threads` is refused: it would set
/// the process's pool).
#[doc(hidden)]
pub fn scan_in_memory(args: &[&str], input: &[u8], chunk: usize) -> Result<Vec<u8>> {
    use clap::Parser;

    #[derive(Parser)]
    struct Line {
        #[command(flatten)]
        args: ScanArgs,
    }
    let line = Line::try_parse_from(std::iter::once("scan").chain(args.iter().copied()))?;
    if line.args.threads.is_some() {
        bail!("--threads sets the process's pool; run the scan in a rayon pool instead");
    }
    if !line.args.files.is_empty() {
        bail!("the input is given in memory; name no file");
    }
    if chunk == 0 {
        bail!("a chunk holds at least 1 byte");
    }
    let mut cfg = validate(line.args)?;
    cfg.chunk = chunk;
    cfg.progress = false;
    let mut out = Sink::new(Vec::new(), &cfg.mode);
    for i in &cfg.inputs {
        scan_input(&cfg, i, input, &mut out)?;
    }
    out.finish()?;
    Ok(out.w)
}

mod formats;
mod sink;
mod stream;
mod text;
mod walk;

use formats::*;
use sink::*;
use stream::*;
use text::*;
