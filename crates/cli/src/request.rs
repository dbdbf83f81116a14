//! `custodian request open|close|list`: a person's requests as records, through a cell's API
//! (the DPO records and answers; the DPO, the regulator and the administrator list).

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use serde_json::{Value, json};

use crate::keys::time;

/// `custodian request …`.
#[derive(Subcommand, Debug)]
pub enum RequestCommand {
    /// Record a request a person made (a DPO key).
    Open {
        #[command(flatten)]
        cell: Remote,
        /// The person's subject id.
        #[arg(long)]
        subject: String,
        /// access, copy, portability, rectification, erasure, withdrawal, account_cancellation.
        #[arg(long)]
        kind: String,
    },
    /// Answer a request: completed, or refused with a reason label (a DPO key).
    Close {
        #[command(flatten)]
        cell: Remote,
        /// The request's id.
        id: String,
        /// Refuse it, with this label (e.g. `identity_not_verified`) instead of completing it.
        #[arg(long)]
        refuse: Option<String>,
    },
    /// List requests (a DPO: its tenant's; the regulator and the administrator: the cell's).
    List {
        #[command(flatten)]
        cell: Remote,
        /// Only those still open past their deadline.
        #[arg(long)]
        overdue: bool,
    },
}

/// Which cell, with which key.
#[derive(Args, Debug)]
pub struct Remote {
    /// The cell's URL, e.g. http://127.0.0.1:8700.
    #[arg(long)]
    url: String,
    /// An API key of the cell.
    #[arg(long, env = "CUSTODIAN_API_KEY")]
    api_key: String,
}

fn call(r: &Remote, method: &str, path: &str, body: Option<Value>) -> Result<(u16, Value)> {
    let client =
        custodian_client::Client::new(&r.url, custodian_client::Auth::Bearer(r.api_key.clone()))?;
    let body = body.map(|b| ("application/json", b.to_string().into_bytes()));
    client
        .send(method, path, body)
        .with_context(|| format!("cannot reach `{}`", r.url))
}

fn line(v: &Value) -> String {
    format!(
        "{:<22} {:<10} {:<22} {:<30} due {} {}{}",
        v["id"].as_str().unwrap_or(""),
        v["tenant"].as_str().unwrap_or(""),
        v["kind"].as_str().unwrap_or(""),
        v["subject"].as_str().unwrap_or(""),
        v["deadline"].as_i64().map(time).unwrap_or_default(),
        v["status"].as_str().unwrap_or(""),
        if v["overdue"] == true { " OVERDUE" } else { "" }
    )
}

fn refused(status: u16, body: &Value) -> ExitCode {
    eprintln!(
        "refused ({status}): {} [{}]",
        body["message"].as_str().unwrap_or(""),
        body["code"].as_str().unwrap_or("")
    );
    ExitCode::from(1)
}

/// Runs `custodian request …`.
pub fn run(cmd: RequestCommand) -> Result<ExitCode> {
    let (status, body) = match &cmd {
        RequestCommand::Open {
            cell,
            subject,
            kind,
        } => call(
            cell,
            "POST",
            "/v1/requests",
            Some(json!({"subject": subject, "kind": kind})),
        )?,
        RequestCommand::Close { cell, id, refuse } => call(
            cell,
            "POST",
            &format!("/v1/requests/{id}/close"),
            Some(match refuse {
                Some(r) => json!({"outcome": "refused", "reason": r}),
                None => json!({"outcome": "completed"}),
            }),
        )?,
        RequestCommand::List { cell, overdue } => call(
            cell,
            "GET",
            &format!(
                "/v1/requests{}",
                if *overdue { "?overdue=true" } else { "" }
            ),
            None,
        )?,
    };
    if !(200..300).contains(&status) {
        return Ok(refused(status, &body));
    }
    match body.as_array() {
        Some(all) => all.iter().for_each(|v| println!("{}", line(v))),
        None => println!("{}", line(&body)),
    }
    Ok(ExitCode::SUCCESS)
}
