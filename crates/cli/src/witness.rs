//! `custodian witness keygen`, `serve` and `forget`: a transparency-log witness
//! (c2sp.org/tlog-witness) for Custodian cells, typically run by a regulator. It cosigns a
//! cell's checkpoint only when it extends the last one it cosigned, so a cell cannot show
//! one party one history and another party a different one.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use custodian_ledger::witness::Witness;
use custodian_ledger::{Cosigner, Verifier};
use custodian_server::witness::{FileState, WitnessApp, serve as serve_witness};

/// `custodian witness …`
#[derive(Subcommand, Debug)]
pub enum WitnessCommand {
    /// Create a witness key (cosignature/v1): writes the key file, prints the verifier key.
    Keygen(KeygenArgs),
    /// Run the witness's HTTP service.
    Serve(ServeArgs),
    /// Stop following a log's history (the witness stopped): its latest cosigned checkpoint is
    /// kept as evidence and the log is cosigned from any size again — for a cell restored from
    /// a backup, once its operator has told the witness's.
    Forget(ForgetArgs),
}

/// Arguments of `custodian witness forget`.
#[derive(Args, Debug)]
pub struct ForgetArgs {
    /// Directory of the witness's state.
    #[arg(long)]
    state: PathBuf,
    /// The log's origin (e.g. `custodian.example/cn/ledger`).
    #[arg(long)]
    origin: String,
}

/// Arguments of `custodian witness keygen`.
#[derive(Args, Debug)]
pub struct KeygenArgs {
    /// The witness's name (e.g. `witness.cac.example/w1`).
    #[arg(long)]
    name: String,
    /// Where to write the key (created with mode 0600; never overwritten).
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `custodian witness serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The witness's key file.
    #[arg(long)]
    key: PathBuf,
    /// Directory of the witness's state (the latest cosigned checkpoint of each log, and
    /// evidence of forks).
    #[arg(long)]
    state: PathBuf,
    /// A log to follow: its ledger verifier key; the log's origin is the key's name, or give
    /// `ORIGIN=KEY` (repeatable).
    #[arg(long = "log", required = true)]
    logs: Vec<String>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8900")]
    listen: String,
}

/// Runs a witness subcommand.
pub fn run(cmd: WitnessCommand) -> Result<ExitCode> {
    match cmd {
        WitnessCommand::Keygen(a) => keygen(&a),
        WitnessCommand::Serve(a) => serve(a),
        WitnessCommand::Forget(a) => forget(&a),
    }
}

fn forget(a: &ForgetArgs) -> Result<ExitCode> {
    if !a.state.join("lock").exists() {
        bail!(
            "`{}` is not a witness's state directory (no lock file): name the directory \
             `custodian witness serve --state` uses",
            a.state.display()
        );
    }
    // Opening locks the state: refused while the witness serves from it.
    let state = FileState::open(&a.state)?;
    match state.forget(&a.origin).map_err(|e| anyhow!("{e}"))? {
        Some((size, kept)) => println!(
            "the witness no longer follows `{}` from its checkpoint of {size} entries, kept as \
             evidence in {}: it cosigns the log's next checkpoint from any size",
            a.origin,
            kept.display()
        ),
        None => println!("the witness holds no checkpoint of `{}`", a.origin),
    }
    Ok(ExitCode::SUCCESS)
}

fn keygen(a: &KeygenArgs) -> Result<ExitCode> {
    let key = Cosigner::generate(&a.name)?;
    crate::ledger::write_key(
        &a.out,
        &key.to_skey(),
        &key.verifier().to_vkey(),
        "witness key",
    )
}

fn serve(a: ServeArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&a.key)
        .with_context(|| format!("cannot read the witness key `{}`", a.key.display()))?;
    let key = Cosigner::parse(text.trim())
        .map_err(|e| anyhow!("`{}` is not a witness key: {e}", a.key.display()))?;
    let mut logs: Vec<(String, Vec<Verifier>)> = Vec::new();
    for l in &a.logs {
        let (origin, vkey) = match l.split_once('=') {
            // A verifier key's base64 may end in `=`: an origin never holds `+`.
            Some((o, k)) if !o.contains('+') => (Some(o.to_string()), k),
            _ => (None, l.as_str()),
        };
        let v = Verifier::parse(vkey).map_err(|e| anyhow!("--log `{l}`: {e}"))?;
        let origin = origin.unwrap_or_else(|| v.name().to_string());
        match logs.iter_mut().find(|(o, _)| *o == origin) {
            Some((_, keys)) => keys.push(v),
            None => logs.push((origin, vec![v])),
        }
    }
    if logs.is_empty() {
        bail!("give at least one --log");
    }
    let state = Arc::new(FileState::open(&a.state)?);
    let vkey = key.verifier().to_vkey();
    let witness = Arc::new(Witness::new(key, logs.clone()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(&a.listen)
            .await
            .with_context(|| format!("cannot listen on `{}`", a.listen))?;
        let addr = listener.local_addr()?;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "custodian witness on http://{addr} (state: {}; logs: {}); verifier key {vkey}",
            a.state.display(),
            logs.iter()
                .map(|(o, _)| o.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = out.flush();
        drop(out);
        serve_witness(
            listener,
            WitnessApp { witness, state },
            crate::serve::shutdown_signal(),
        )
        .await
        .context("witness server")
    })?;
    Ok(ExitCode::SUCCESS)
}
