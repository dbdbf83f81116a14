//! `custodian report`: a tenant's compliance report from a running cell (JSON or one HTML
//! page), for its DPO or the regulator.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

/// `custodian report`.
#[derive(Args)]
pub struct ReportArgs {
    /// The cell's URL, e.g. http://127.0.0.1:8700.
    #[arg(long)]
    url: String,
    /// A DPO key of the tenant, or the regulator's API key.
    #[arg(long, env = "CUSTODIAN_API_KEY")]
    api_key: String,
    /// The tenant.
    #[arg(long)]
    tenant: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write the report here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// Report formats.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// JSON.
    Json,
    /// One self-contained HTML page.
    Html,
}

/// Runs `custodian report`.
pub fn run(a: ReportArgs) -> Result<ExitCode> {
    let client =
        custodian_client::Client::new(&a.url, custodian_client::Auth::Bearer(a.api_key.clone()))?;
    let format = match a.format {
        Format::Json => "json",
        Format::Html => "html",
    };
    let tenant = custodian_core::ids::TenantId::parse(&a.tenant)
        .map_err(|e| anyhow::anyhow!("tenant: {e}"))?;
    let (status, v) = client
        .send(
            "GET",
            &format!("/v1/reports/{tenant}?format={format}"),
            None,
        )
        .with_context(|| format!("cannot reach `{}`", a.url))?;
    if status >= 400 {
        bail!(
            "the cell refused ({status} {}): {}",
            v["code"].as_str().unwrap_or(""),
            v["message"].as_str().unwrap_or("")
        );
    }
    let text = match v {
        serde_json::Value::String(s) => s,
        other => serde_json::to_string_pretty(&other)?,
    };
    match &a.output {
        Some(p) => std::fs::write(p, text).with_context(|| format!("writing {}", p.display()))?,
        None => println!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
