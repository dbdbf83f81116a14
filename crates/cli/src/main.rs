//! The `custodian` command-line interface.
//!
//! Thin by design: parse arguments, turn them into a validated command, run it, map the
//! outcome to an exit code (0 success, 1 findings with `--fail-on-findings`, 2 error).
#![forbid(unsafe_code)]

mod backup;
mod datadir;
mod demo;
mod erasure_final;
mod import;
mod inspect;
mod keys;
mod ledger;
mod order;
mod report;
mod request;
mod serve;
mod transfer;
mod witness;
mod witnessing;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use custodian_scan as scan;

/// Custodian: a personal-information vault and compliance gateway.
#[derive(Parser)]
#[command(name = "custodian", version, about, long_about = None)]
struct Cli {
    /// Log lines on standard error: `human` (the default) or `json` (one object per line).
    /// What is logged is set by CUSTODIAN_LOG (`info`, `debug`, `custodian::http=warn`, …;
    /// default `info` for `serve` and `witness serve`, `warn` otherwise); the database driver
    /// and the HTTP and TLS libraries never log below `info` (their debug lines carry query
    /// parameters and traffic).
    #[arg(
        long,
        global = true,
        value_enum,
        env = "CUSTODIAN_LOG_FORMAT",
        default_value = "human"
    )]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum LogFormat {
    /// For a person (colour on a terminal).
    Human,
    /// One JSON object per line, for a collector.
    Json,
}

/// Dependencies held at `info` (see `init_logging`).
const QUIET: &[&str] = &[
    "tokio_postgres",
    "postgres_protocol",
    "deadpool_postgres",
    "tokio_postgres_rustls",
    "rustls",
    "hyper",
    "hyper_util",
    "h2",
    "reqwest",
    "tower_http",
    "rusqlite",
];

/// Installs the log subscriber: standard error, the filter from CUSTODIAN_LOG or `default`.
fn init_logging(format: LogFormat, default: &str) {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var("CUSTODIAN_LOG")
        .ok()
        .filter(|v| !v.is_empty())
        .and_then(|v| EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| EnvFilter::new(default));
    // Libraries below Custodian log what passes through them at debug level — the database
    // driver a query's parameters (tokens, subject ids), HTTP and TLS stacks their traffic —
    // so they never log below info, whatever the filter asks.
    let filter = QUIET
        .iter()
        .fold(filter, |f, target| match format!("{target}=info").parse() {
            Ok(d) => f.add_directive(d),
            Err(_) => f,
        });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Human => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

#[derive(Subcommand)]
enum Command {
    /// Find personal information in text, JSON, NDJSON or CSV files.
    Scan(scan::ScanArgs),
    /// Run the DESIGN.md scenario against a fresh cell and tell it step by step.
    Demo(demo::DemoArgs),
    /// Run the cell's HTTP API (creates a data directory on first start).
    Serve(serve::ServeArgs),
    /// Regulator orders: keys, new, sign, submit, list.
    #[command(subcommand)]
    Order(order::OrderCommand),
    /// Ledger keys and offline verification of checkpoints and proofs.
    #[command(subcommand)]
    Ledger(ledger::LedgerCommand),
    /// Write an online, consistent backup of the cell (no KEK or epoch key in it).
    Backup(backup::BackupArgs),
    /// Restore a backup whose ledger matches its signed checkpoint.
    Restore(backup::RestoreArgs),
    /// A person's requests as records: open, close, list (overdue ones too).
    #[command(subcommand)]
    Request(request::RequestCommand),
    /// The key hierarchy (KEK, epochs): status and rotation.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Transfer subjects' values to a recipient abroad through the cell's gate.
    Transfer(transfer::TransferArgs),
    /// Deliver a transfer to the cell it was for (which verifies its receipts).
    Receive(transfer::ReceiveArgs),
    /// Move existing users into a cell: rows of a CSV, NDJSON file or PostgreSQL query
    /// registered, their consents recorded and values collected, resumable.
    Import(import::ImportArgs),
    /// Check a payload for stored values before it leaves.
    #[command(subcommand)]
    Egress(transfer::EgressCommand),
    /// What an app really collects: captured traffic (HAR, NDJSON) against the necessary-PI
    /// scope of its type and its manifest.
    Inspect(inspect::InspectArgs),
    /// A tenant's compliance report from a running cell (its DPO or the regulator).
    Report(report::ReportArgs),
    /// A transparency-log witness (C2SP tlog-witness): keys and the server.
    #[command(subcommand)]
    Witness(witness::WitnessCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let serving = matches!(
        &cli.command,
        Command::Serve(_) | Command::Witness(witness::WitnessCommand::Serve(_))
    );
    init_logging(cli.log_format, if serving { "info" } else { "warn" });
    let result = match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::Ledger(cmd) => ledger::run(cmd),
        Command::Serve(args) => serve::run(args),
        Command::Order(cmd) => order::run(cmd),
        Command::Demo(args) => demo::run(args),
        Command::Keys(cmd) => keys::run(cmd),
        Command::Request(cmd) => request::run(cmd),
        Command::Backup(args) => backup::backup(args),
        Command::Restore(args) => backup::restore(args),
        Command::Witness(cmd) => witness::run(cmd),
        Command::Transfer(args) => transfer::transfer(args),
        Command::Receive(args) => transfer::receive(args),
        Command::Egress(cmd) => transfer::egress(cmd),
        Command::Import(args) => import::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Report(args) => report::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
