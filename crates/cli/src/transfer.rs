//! `custodian transfer` and `custodian egress check`: the transfer gate and the egress check
//! through a cell's API. The gate's payload holds PI: it is written to a file only its owner
//! reads, never to the terminal.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use custodian_client::{Auth, Client, ClientError};
use serde_json::json;

/// Arguments of `custodian transfer`.
#[derive(Args, Debug)]
pub struct TransferArgs {
    /// The cell's URL.
    #[arg(long)]
    url: String,
    /// A service key of the tenant.
    #[arg(long, env = "CUSTODIAN_API_KEY")]
    api_key: String,
    /// The recipient abroad (declared in the manifest).
    #[arg(long)]
    recipient: String,
    /// A field to transfer (repeatable).
    #[arg(long = "field", required = true)]
    fields: Vec<String>,
    /// A subject (repeatable).
    #[arg(long = "subject")]
    subjects: Vec<String>,
    /// A file of subjects, one per line.
    #[arg(long)]
    subjects_file: Option<PathBuf>,
    /// Where to write the payload the gate built (created with mode 0600, never overwritten).
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `custodian receive`.
#[derive(Args, Debug)]
pub struct ReceiveArgs {
    /// The receiving cell's URL.
    #[arg(long)]
    url: String,
    /// A service key of the tenant in the receiving cell.
    #[arg(long, env = "CUSTODIAN_API_KEY")]
    api_key: String,
    /// The delivery file `custodian transfer --out` wrote for a recipient that is a cell.
    file: PathBuf,
}

/// `custodian egress …`
#[derive(Subcommand, Debug)]
pub enum EgressCommand {
    /// Check a payload before it leaves: exit 1 if it carries stored values no transfer covers.
    Check(EgressArgs),
}

/// Arguments of `custodian egress check`.
#[derive(Args, Debug)]
pub struct EgressArgs {
    /// The cell's URL.
    #[arg(long)]
    url: String,
    /// A service key of the tenant.
    #[arg(long, env = "CUSTODIAN_API_KEY")]
    api_key: String,
    /// The recipient abroad the payload goes to.
    #[arg(long)]
    recipient: Option<String>,
    /// text, csv, json or ndjson (default: by the file's extension).
    #[arg(long)]
    format: Option<String>,
    /// The payload.
    file: PathBuf,
}

/// Runs `custodian transfer`.
pub fn transfer(a: TransferArgs) -> Result<ExitCode> {
    let mut subjects = a.subjects.clone();
    if let Some(f) = &a.subjects_file {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("cannot read `{}`", f.display()))?;
        subjects.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from),
        );
    }
    if subjects.is_empty() {
        bail!("name subjects with --subject or --subjects-file");
    }
    let mut out = crate::ledger::create_secret_file(&a.out)?;
    let client = Client::new(&a.url, Auth::Bearer(a.api_key.clone()))?;
    let subjects: Vec<&str> = subjects.iter().map(String::as_str).collect();
    let fields: Vec<&str> = a.fields.iter().map(String::as_str).collect();
    let t = match client.transfer(&a.recipient, &subjects, &fields) {
        Ok(t) => t,
        Err(e) => {
            let _ = std::fs::remove_file(&a.out);
            if let ClientError::Api {
                status,
                code,
                message,
                ..
            } = &e
            {
                eprintln!("refused ({status}): {message} [{code}]");
                return Ok(ExitCode::from(1));
            }
            return Err(e.into());
        }
    };
    let v = json!({"allowed": t.allowed, "refused": t.refused, "basis": t.basis, "counts": t.counts, "warnings": t.warnings});
    // To another cell: the file is the delivery `custodian receive` sends there.
    let payload = match &t.cell {
        Some(c) => json!({"from": c["from"], "subjects": t.allowed}),
        None => v["allowed"].clone(),
    };
    out.write_all(serde_json::to_string_pretty(&payload)?.as_bytes())?;
    out.sync_all()?;
    let allowed = v["allowed"].as_array().map_or(0, Vec::len);
    let refused = v["refused"].as_array().cloned().unwrap_or_default();
    println!(
        "allowed {allowed}, refused {} (basis {}); payload in {}; this year: {} individual(s), {} with sensitive PI",
        refused.len(),
        v["basis"]["id"].as_str().unwrap_or("none"),
        a.out.display(),
        v["counts"]["general"],
        v["counts"]["sensitive"]
    );
    for r in &refused {
        println!(
            "  refused {}: {} [{}]",
            r["subject"].as_str().unwrap_or(""),
            r["message"].as_str().unwrap_or(""),
            r["code"].as_str().unwrap_or("")
        );
    }
    for w in v["warnings"].as_array().into_iter().flatten() {
        println!("  warning: {}", w.as_str().unwrap_or(""));
    }
    if let Some(c) = &t.cell {
        println!(
            "  the recipient is cell {}: deliver with `custodian receive --url {} {}`",
            c["jurisdiction"].as_str().unwrap_or(""),
            c["url"].as_str().unwrap_or("<its URL>"),
            a.out.display()
        );
    }
    Ok(if refused.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Runs `custodian egress …`.
pub fn egress(cmd: EgressCommand) -> Result<ExitCode> {
    let EgressCommand::Check(a) = cmd;
    let body =
        std::fs::read(&a.file).with_context(|| format!("cannot read `{}`", a.file.display()))?;
    let format = a.format.clone().unwrap_or_else(|| {
        match a.file.extension().and_then(|e| e.to_str()) {
            Some("json") => "json",
            Some("ndjson" | "jsonl") => "ndjson",
            _ => "text",
        }
        .to_string()
    });
    let client = Client::new(&a.url, Auth::Bearer(a.api_key.clone()))?;
    let r = match client.egress_check(a.recipient.as_deref(), &format, &body) {
        Ok(r) => r,
        Err(ClientError::Api {
            status,
            code,
            message,
            ..
        }) => {
            eprintln!("refused ({status}): {message} [{code}]");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.into()),
    };
    let v = json!({"matches": r.matches, "blocked": r.blocked, "findings": r.findings, "bytes": body.len()});
    let matches = v["matches"].as_array().cloned().unwrap_or_default();
    for m in &matches {
        println!(
            "{} a stored {} value",
            if m["covered"] == true {
                "covered "
            } else {
                "BLOCKED "
            },
            m["field"].as_str().unwrap_or("")
        );
    }
    println!(
        "{} bytes, {} PI candidate(s), {} stored value(s): {}",
        v["bytes"],
        v["findings"],
        matches.len(),
        if v["blocked"] == true {
            "blocked"
        } else {
            "may leave"
        }
    );
    Ok(if v["blocked"] == true {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Runs `custodian receive`: delivers a transfer to the cell it was for; exit 1 if that cell
/// refused any subject.
pub fn receive(a: ReceiveArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&a.file)
        .with_context(|| format!("cannot read `{}`", a.file.display()))?;
    let d: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: not a delivery file: {e}",
            a.file.display(),
            e.line(),
            e.column()
        )
    })?;
    let (Some(from), Some(subjects)) = (d["from"].as_str(), d["subjects"].as_array()) else {
        bail!(
            "`{}` is not a delivery file (`custodian transfer` writes one when the recipient is a cell)",
            a.file.display()
        );
    };
    let client = Client::new(&a.url, Auth::Bearer(a.api_key.clone()))?;
    let r = match client.receive(from, subjects) {
        Ok(r) => r,
        Err(ClientError::Api {
            status,
            code,
            message,
            ..
        }) => {
            eprintln!("refused ({status}): {message} [{code}]");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    for x in &r.received {
        println!(
            "received {} as {} (entry {} of {})",
            x["from_subject"].as_str().unwrap_or(""),
            x["subject"].as_str().unwrap_or(""),
            x["index"],
            x["origin"].as_str().unwrap_or("")
        );
    }
    for x in &r.refused {
        println!(
            "refused {}: {} [{}]",
            x["from_subject"].as_str().unwrap_or(""),
            x["message"].as_str().unwrap_or(""),
            x["code"].as_str().unwrap_or("")
        );
    }
    println!("received {}, refused {}", r.received.len(), r.refused.len());
    Ok(if r.refused.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
