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
    /// The checkpoint the log was put back to (the `checkpoint` file of the backup its operator
    /// says was restored): the witness cosigns it and then only a history that extends it,
    /// rather than whatever the log's key signs next.
    #[arg(long, requires_all = ["key", "log"])]
    expect: Option<PathBuf>,
    /// With --expect: the witness's key file.
    #[arg(long, requires = "expect")]
    key: Option<PathBuf>,
    /// With --expect: the log's verifier key, as `serve --log` takes it.
    #[arg(long, requires = "expect")]
    log: Option<String>,
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
    let pin = match (&a.expect, &a.key, &a.log) {
        (Some(expect), Some(key), Some(log)) => Some(expected(a, &state, expect, key, log)?),
        _ => None,
    };
    match state.forget(&a.origin).map_err(|e| anyhow!("{e}"))? {
        Some((size, kept)) => println!(
            "the witness no longer follows `{}` from its checkpoint of {size} entries, kept as \
             evidence in {}: it cosigns the log's next checkpoint from any size",
            a.origin,
            kept.display()
        ),
        None => println!("the witness holds no checkpoint of `{}`", a.origin),
    }
    if let Some((witness, note, size)) = pin {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let body = custodian_ledger::witness::add_checkpoint_body(0, &[], &note);
        witness.add_checkpoint(&state, &body, now).map_err(|e| {
            anyhow!(
                "the witness forgot the log's history but could not cosign the expected \
                 checkpoint ({e}): it now cosigns the log's next checkpoint from any size"
            )
        })?;
        println!(
            "the witness cosigned the expected checkpoint of {size} entries: it cosigns only a \
             history of `{}` that extends it",
            a.origin
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The checkpoint `forget --expect` names, checked before anything is forgotten: signed by the
/// log's key, of the origin, and a restore's — no larger than the checkpoint the witness
/// follows, and not that checkpoint or another tree of its size. The witness to cosign it,
/// the note and its size.
fn expected(
    a: &ForgetArgs,
    state: &FileState,
    expect: &std::path::Path,
    key: &std::path::Path,
    log: &str,
) -> Result<(Witness, String, u64)> {
    use custodian_ledger::witness::WitnessState as _;
    let text = std::fs::read_to_string(key)
        .with_context(|| format!("cannot read the witness key `{}`", key.display()))?;
    let cosigner = Cosigner::parse(text.trim())
        .map_err(|e| anyhow!("`{}` is not a witness key: {e}", key.display()))?;
    let vkey = Verifier::parse(log).map_err(|e| anyhow!("--log `{log}`: {e}"))?;
    let note = std::fs::read_to_string(expect)
        .with_context(|| format!("cannot read `{}`", expect.display()))?;
    let opened = custodian_ledger::note::open(&note, std::slice::from_ref(&vkey))
        .map_err(|e| anyhow!("`{}` is not signed by the log's key: {e}", expect.display()))?;
    let cp = custodian_ledger::Checkpoint::parse(&opened.text)
        .map_err(|e| anyhow!("`{}`: {e}", expect.display()))?;
    if cp.origin != a.origin {
        bail!(
            "`{}` is a checkpoint of `{}`, not of `{}`",
            expect.display(),
            cp.origin,
            a.origin
        );
    }
    let size = cp.size.get();
    if let Some(l) = state.latest(&a.origin).map_err(|e| anyhow!("{e}"))? {
        if size > l.size {
            bail!(
                "the expected checkpoint ({size} entries) is beyond the one the witness follows \
                 ({} entries): it is no restore of that history",
                l.size
            );
        }
        if size == l.size {
            bail!(
                "the witness already follows a checkpoint of {size} entries{}: nothing to forget",
                if l.root == cp.root {
                    ", this one"
                } else {
                    " with another root (a fork, not a restore)"
                }
            );
        }
    }
    Ok((
        Witness::new(cosigner, vec![(a.origin.clone(), vec![vkey])]),
        note,
        size,
    ))
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
