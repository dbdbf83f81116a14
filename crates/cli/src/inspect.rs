//! `custodian inspect`: what an app really collects, from captured traffic (HAR 1.2 or NDJSON
//! request logs), judged against the necessary-PI scope of its app type and its manifest.
//! Exit 0 when no field is of high severity, 1 when one is, 2 on bad input.

use std::io::{BufReader, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, ValueEnum};
use custodian_core::manifest::Manifest;
use custodian_inspect::{Inspector, Policy, Scope, Severity, html, read_har, read_ndjson, sarif};
use indicatif::{ProgressBar, ProgressStyle};

/// `custodian inspect`.
#[derive(Args)]
pub struct InspectArgs {
    /// Captured traffic: HAR files (`.har`) or NDJSON request logs (`.ndjson`, `.jsonl`), read
    /// in the order given.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The app type: one of the 39 of the 2021 Provisions (`online_car_hailing`, ...), or
    /// `self:NAME` for a type they do not list, with `--necessary`. Default: the manifest's.
    #[arg(long)]
    app_type: Option<String>,
    /// For a self-declared type: its necessary-PI categories (`contact,location,trip`).
    #[arg(long, value_delimiter = ',')]
    necessary: Vec<String>,
    /// The app's privacy manifest (TOML), as loaded into the cell.
    #[arg(long)]
    manifest: Option<PathBuf>,
    /// The app's own hosts (a host matches one equal to it or under it); default: the busiest
    /// host's domain, said so in the report.
    #[arg(long, value_delimiter = ',')]
    first_party_hosts: Vec<String>,
    /// A substring of the consent call's path (a request other than GET); repeatable.
    /// Default: `consent`, `privacy/agree`, `agreement/accept`.
    #[arg(long)]
    consent_path: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write the report here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// How to read the inputs (default: by extension, else by the first byte).
    #[arg(long, value_enum)]
    input_format: Option<InputFormat>,
    /// Show a progress bar even when standard error is not a terminal.
    #[arg(long)]
    progress: bool,
}

/// Report formats.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// The report as JSON (schema `custodian.inspect/1`).
    Json,
    /// One self-contained HTML page.
    Html,
    /// SARIF 2.1.0.
    Sarif,
}

/// Capture formats.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// HAR 1.2.
    Har,
    /// One exchange per line.
    Ndjson,
}

/// Runs `custodian inspect`.
pub fn run(a: InspectArgs) -> Result<ExitCode> {
    let manifest = match &a.manifest {
        Some(p) => {
            let src =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            Some(Manifest::load(&src).map_err(|problems| {
                let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                anyhow!(
                    "{}: the manifest does not load:\n  {}",
                    p.display(),
                    lines.join("\n  ")
                )
            })?)
        }
        None => None,
    };
    let policy = Policy {
        scope: Scope::named(a.app_type.as_deref(), &a.necessary).map_err(|e| anyhow!(e))?,
        manifest,
        first_party: a.first_party_hosts.clone(),
        consent_paths: a.consent_path.clone(),
    };
    let mut inspector = Inspector::new(policy).map_err(|e| anyhow!(e))?;
    let total: u64 = a
        .files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let bar = if a.progress || std::io::stderr().is_terminal() {
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
    for path in &a.files {
        let file =
            std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
        let mut r = BufReader::with_capacity(1 << 16, bar.wrap_read(file));
        let format = match a.input_format {
            Some(f) => f,
            None => guess(path, &mut r)?,
        };
        let each = |x: custodian_inspect::Exchange| {
            inspector.observe(&x);
            Ok(())
        };
        let read = match format {
            InputFormat::Har => read_har(r, each),
            InputFormat::Ndjson => read_ndjson(r, each),
        };
        read.with_context(|| format!("{}", path.display()))?;
    }
    bar.finish_and_clear();
    let report = inspector.finish();
    let artifact = a
        .files
        .first()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let bytes = match a.format {
        Format::Json => serde_json::to_vec_pretty(&report)?,
        Format::Html => html::render(&report).into_bytes(),
        Format::Sarif => serde_json::to_vec_pretty(&sarif::render(&report, &artifact))?,
    };
    match &a.output {
        Some(p) => std::fs::write(p, &bytes).with_context(|| format!("writing {}", p.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.write_all(b"\n")?;
        }
    }
    let high = report
        .summary
        .by_severity
        .get(Severity::High.as_str())
        .copied()
        .unwrap_or(0);
    eprintln!(
        "inspected {} exchange(s): {} endpoint(s), {} field(s) with PI — {} high, {} medium",
        report.exchanges,
        report.summary.endpoints,
        report.summary.fields,
        high,
        report
            .summary
            .by_severity
            .get("medium")
            .copied()
            .unwrap_or(0),
    );
    Ok(if high > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// By extension, else by the first non-blank byte: a HAR file is one JSON object with `log`;
/// an NDJSON log's first line is an object too, so an object whose first key is `log` is HAR.
fn guess(path: &std::path::Path, r: &mut BufReader<impl Read>) -> Result<InputFormat> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "har" => return Ok(InputFormat::Har),
        "ndjson" | "jsonl" => return Ok(InputFormat::Ndjson),
        _ => {}
    }
    let head = std::io::BufRead::fill_buf(r)?;
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = String::from_utf8_lossy(&head[..head.len().min(256)]);
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.starts_with("{\"log\"") {
        Ok(InputFormat::Har)
    } else if compact.starts_with('{') {
        Ok(InputFormat::Ndjson)
    } else {
        bail!(
            "{}: neither HAR nor NDJSON (say which with --input-format)",
            path.display()
        )
    }
}
