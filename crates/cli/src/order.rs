//! `custodian order …`: the regulator's tools. Orders are canonical JSON documents signed as
//! C2SP notes with the regulator's Ed25519 key; the cell trusts the regulator's verifier key
//! (`regulator_keys` in its configuration).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use custodian_client::{Auth, Client, ClientError};
use custodian_core::ids::{OrgCode, PurposeId, TenantId};
use custodian_core::orders::{Order, OrderKind};
use custodian_ledger::Signer;

/// `custodian order …`
#[derive(Subcommand, Debug)]
pub enum OrderCommand {
    /// Create a regulator signing key: writes the key file, prints the verifier key.
    Keygen(crate::ledger::KeygenArgs),
    /// Write an unsigned order document from flags.
    New(Box<NewArgs>),
    /// Sign an order document with a regulator key.
    Sign(SignArgs),
    /// Submit a signed order to a cell.
    Submit(SubmitArgs),
    /// List a cell's orders and their status.
    List(ListArgs),
    /// Verify a signed order offline against regulator verifier keys: a `.note` file, or the
    /// JSON `GET /v1/orders/{id}` returns (its `note`).
    Verify(VerifyArgs),
}

/// Arguments of `custodian order verify`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// A regulator's verifier key `<name>+<hex id>+<base64>` (repeatable).
    #[arg(long = "key", required = true)]
    keys: Vec<String>,
    /// The signed order, or an order as the API lists it.
    order: PathBuf,
}

/// Arguments of `custodian order new`.
#[derive(Args, Debug)]
pub struct NewArgs {
    /// suspend_registration, suspend_processing, suspend_transfers, preserve_data, rectify,
    /// lift, trust_key or remove_key.
    #[arg(long)]
    kind: String,
    /// Who issues it.
    #[arg(long)]
    issuer: String,
    /// Target tenant (repeatable; with no --tenant and no --organisation, the whole cell).
    #[arg(long = "tenant")]
    tenants: Vec<String>,
    /// Target organisation by its unified social credit code: every tenant it has or creates
    /// (repeatable).
    #[arg(long = "organisation")]
    organisations: Vec<String>,
    /// The regulator key to trust or remove (trust_key, remove_key): a verifier key
    /// `<name>+<hex id>+<base64>`, or a file holding one.
    #[arg(long)]
    key: Option<String>,
    /// Purpose to suspend (suspend_processing; repeatable).
    #[arg(long = "purpose")]
    purposes: Vec<String>,
    /// Item to rectify (rectify; repeatable).
    #[arg(long = "item")]
    items: Vec<String>,
    /// Rectification deadline (rectify): `now`, `now+30d`, or milliseconds since the epoch.
    #[arg(long)]
    deadline: Option<String>,
    /// The order this one lifts (lift).
    #[arg(long)]
    lifts: Option<String>,
    /// Why.
    #[arg(long)]
    reason: String,
    /// The legal basis, in words.
    #[arg(long)]
    legal_basis: String,
    /// When it takes effect (default now).
    #[arg(long, default_value = "now")]
    effective_from: String,
    /// When it ends by itself.
    #[arg(long)]
    expires_at: Option<String>,
    /// Order id (default: a random `ord_…`).
    #[arg(long)]
    id: Option<String>,
    /// Where to write the document.
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `custodian order sign`.
#[derive(Args, Debug)]
pub struct SignArgs {
    /// The regulator's signer key file.
    #[arg(long)]
    key: PathBuf,
    /// The order document.
    order: PathBuf,
    /// Where to write the signed order (default: the document's path with `.note`).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// How a regulator's tool authenticates to a cell.
#[derive(Args, Debug)]
pub struct RegulatorAuth {
    /// The regulator's order key file: requests are signed with it (HTTP Message Signatures),
    /// so no API key the cell's administrator could revoke is needed.
    #[arg(long = "key", conflicts_with = "api_key")]
    signing_key: Option<PathBuf>,
    /// An API key of the cell instead.
    #[arg(long, env = "CUSTODIAN_API_KEY")]
    api_key: Option<String>,
    /// The ledger origin of the cell the signed requests are for (what its checkpoints and
    /// the witnesses name it); default: what the cell's `/healthz` says, printed.
    #[arg(long, requires = "signing_key")]
    cell: Option<String>,
}

/// Arguments of `custodian order submit`.
#[derive(Args, Debug)]
pub struct SubmitArgs {
    /// The cell's URL, e.g. http://127.0.0.1:8700.
    #[arg(long)]
    url: String,
    #[command(flatten)]
    auth: RegulatorAuth,
    /// The signed order.
    order: PathBuf,
}

/// Arguments of `custodian order list`.
#[derive(Args, Debug)]
pub struct ListArgs {
    /// The cell's URL.
    #[arg(long)]
    url: String,
    #[command(flatten)]
    auth: RegulatorAuth,
}

/// A client of the cell: signing with the regulator's key, or carrying the API key.
fn client(auth: &RegulatorAuth, base: &str) -> Result<Client> {
    let auth = match (&auth.signing_key, &auth.api_key) {
        (Some(file), _) => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read key `{}`", file.display()))?;
            let key =
                Signer::parse(text.trim()).with_context(|| format!("key `{}`", file.display()))?;
            let cell = match &auth.cell {
                Some(c) => c.clone(),
                None => {
                    let origin = Client::new(base, Auth::Bearer(String::new()))?.origin()?;
                    if origin.is_empty() {
                        bail!("`{base}/healthz` names no origin; give --cell");
                    }
                    eprintln!(
                        "signing for cell `{origin}` (as the cell names itself; --cell pins it)"
                    );
                    origin
                }
            };
            Auth::Regulator {
                key: Box::new(key),
                cell,
            }
        }
        (None, Some(k)) => Auth::Bearer(k.clone()),
        (None, None) => bail!("give --key REGULATOR_KEY_FILE (signed requests) or --api-key"),
    };
    Ok(Client::new(base, auth)?)
}

/// Prints a refusal and gives exit 1; other failures stay errors (exit 2).
fn refused(e: ClientError) -> Result<ExitCode> {
    match e {
        ClientError::Api {
            status,
            code,
            message,
            ..
        } => {
            eprintln!("refused ({status}): {message} [{code}]");
            Ok(ExitCode::from(1))
        }
        other => Err(other.into()),
    }
}

/// Milliseconds since the epoch now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// `now`, `now+90s`, `now+30m`, `now+2h`, `now+7d`, `now-1h`, or milliseconds since the epoch.
pub fn parse_time(s: &str) -> Result<i64> {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix("now") {
        if rest.is_empty() {
            return Ok(now_ms());
        }
        let (sign, rest) = match rest.as_bytes().first() {
            Some(b'+') => (1, &rest[1..]),
            Some(b'-') => (-1, &rest[1..]),
            _ => bail!("time `{s}`: write now, now+<n><s|m|h|d> or milliseconds since the epoch"),
        };
        let (num, unit) = rest.split_at(rest.len().saturating_sub(1));
        let n: i64 = num
            .parse()
            .map_err(|_| anyhow!("time `{s}`: `{num}` is not a number"))?;
        let ms = match unit {
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => bail!("time `{s}`: unit must be s, m, h or d"),
        };
        return Ok(now_ms() + sign * n * ms);
    }
    s.parse().map_err(|_| {
        anyhow!("time `{s}`: write now, now+<n><s|m|h|d> or milliseconds since the epoch")
    })
}

fn random_hex(n: usize) -> Result<String> {
    custodian_core::crypto::random_hex(n).map_err(|e| anyhow!("{e}"))
}

/// Builds an order from the flags.
pub fn build(a: &NewArgs) -> Result<Order> {
    let kind = match a.kind.as_str() {
        "suspend_registration" => OrderKind::SuspendRegistration,
        "suspend_transfers" => OrderKind::SuspendTransfers,
        "preserve_data" => OrderKind::PreserveData,
        "suspend_processing" => {
            if a.purposes.is_empty() {
                bail!("suspend_processing needs --purpose");
            }
            OrderKind::SuspendProcessing {
                purposes: a
                    .purposes
                    .iter()
                    .map(|p| PurposeId::parse(p).map_err(|e| anyhow!("--purpose `{p}`: {e}")))
                    .collect::<Result<_>>()?,
            }
        }
        "rectify" => OrderKind::Rectify {
            items: a.items.clone(),
            deadline: parse_time(
                a.deadline
                    .as_deref()
                    .ok_or_else(|| anyhow!("rectify needs --deadline"))?,
            )?,
        },
        "lift" => OrderKind::Lift {
            order: a
                .lifts
                .clone()
                .ok_or_else(|| anyhow!("lift needs --lifts ORDER_ID"))?,
        },
        "trust_key" => OrderKind::TrustKey { key: key_arg(a)? },
        "remove_key" => OrderKind::RemoveKey { key: key_arg(a)? },
        other => bail!(
            "--kind `{other}`: one of suspend_registration, suspend_processing, suspend_transfers, preserve_data, rectify, lift, trust_key, remove_key"
        ),
    };
    let targets = a
        .tenants
        .iter()
        .map(|t| TenantId::parse(t).map_err(|e| anyhow!("--tenant `{t}`: {e}")))
        .collect::<Result<Vec<_>>>()?;
    let organisations = a
        .organisations
        .iter()
        .map(|o| OrgCode::parse(o).map_err(|e| anyhow!("--organisation `{o}`: {e}")))
        .collect::<Result<Vec<_>>>()?;
    let effective_from = parse_time(&a.effective_from)?;
    Ok(Order {
        id: match &a.id {
            Some(id) => id.clone(),
            None => format!("ord_{}", random_hex(8)?),
        },
        issuer: a.issuer.clone(),
        kind,
        targets,
        organisations,
        reason: a.reason.clone(),
        legal_basis: a.legal_basis.clone(),
        issued_at: now_ms(),
        effective_from,
        expires_at: a.expires_at.as_deref().map(parse_time).transpose()?,
        nonce: random_hex(16)?,
    })
}

/// `--key` as a verifier key: the text itself, or the file that holds it.
fn key_arg(a: &NewArgs) -> Result<String> {
    let k = a
        .key
        .as_deref()
        .ok_or_else(|| anyhow!("trust_key and remove_key need --key VERIFIER_KEY"))?;
    let text = if std::path::Path::new(k).is_file() {
        std::fs::read_to_string(k).with_context(|| format!("reading {k}"))?
    } else {
        k.to_string()
    };
    let v = custodian_ledger::Verifier::parse(text.trim())
        .map_err(|e| anyhow!("--key is not a verifier key: {e}"))?;
    Ok(v.to_vkey())
}

/// Runs an order subcommand.
pub fn run(cmd: OrderCommand) -> Result<ExitCode> {
    match cmd {
        OrderCommand::Keygen(a) => crate::ledger::run(crate::ledger::LedgerCommand::Keygen(a)),
        OrderCommand::New(a) => {
            let o = build(&a)?;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&a.out)
                .with_context(|| {
                    format!(
                        "cannot create `{}` (it is never overwritten)",
                        a.out.display()
                    )
                })?;
            f.write_all(o.signing_text().as_bytes())?;
            println!("{}", o.id);
            Ok(ExitCode::SUCCESS)
        }
        OrderCommand::Sign(a) => {
            let key = std::fs::read_to_string(&a.key)
                .with_context(|| format!("cannot read key `{}`", a.key.display()))?;
            let signer =
                Signer::parse(key.trim()).with_context(|| format!("key `{}`", a.key.display()))?;
            let text = std::fs::read_to_string(&a.order)
                .with_context(|| format!("cannot read `{}`", a.order.display()))?;
            let order: Order = serde_json::from_str(text.trim_end()).map_err(|e| {
                anyhow!(
                    "{}:{}:{}: not an order: {e}",
                    a.order.display(),
                    e.line(),
                    e.column()
                )
            })?;
            let note = signer.sign(&order.signing_text())?;
            let out = a.out.unwrap_or_else(|| a.order.with_extension("note"));
            std::fs::write(&out, note)
                .with_context(|| format!("cannot write `{}`", out.display()))?;
            eprintln!(
                "signed {} as {} → {}",
                order.id,
                signer.name(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        OrderCommand::Submit(a) => {
            let note = std::fs::read_to_string(&a.order)
                .with_context(|| format!("cannot read `{}`", a.order.display()))?;
            match client(&a.auth, &a.url)?.submit_order(&note) {
                Ok(body) => {
                    println!("accepted: {}", body["order"]["id"].as_str().unwrap_or("?"));
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refused(e),
            }
        }
        OrderCommand::Verify(a) => verify(&a),
        OrderCommand::List(a) => {
            let orders = match client(&a.auth, &a.url)?.orders() {
                Ok(o) => o,
                Err(e) => return refused(e),
            };
            for o in &orders {
                println!(
                    "{:<24} {:<22} {:<10} {}",
                    o["order"]["id"].as_str().unwrap_or(""),
                    o["order"]["kind"]["type"].as_str().unwrap_or(""),
                    o["status"].as_str().unwrap_or(""),
                    o["order"]["targets"]
                        .as_array()
                        .map(|t| t
                            .iter()
                            .filter_map(|x| x.as_str())
                            .collect::<Vec<_>>()
                            .join(","))
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| "(whole cell)".into())
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn verify(a: &VerifyArgs) -> Result<ExitCode> {
    let mut keys = Vec::new();
    for k in &a.keys {
        keys.push(custodian_ledger::Verifier::parse(k).map_err(|e| anyhow!("--key `{k}`: {e}"))?);
    }
    let text = std::fs::read_to_string(&a.order)
        .with_context(|| format!("cannot read `{}`", a.order.display()))?;
    let note = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(v) => v["note"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| anyhow!("`{}` is JSON without a `note`", a.order.display()))?,
        Err(_) => text,
    };
    match custodian_core::orders::open(&note, &keys) {
        Ok(v) => {
            println!(
                "ok: order {} ({}) signed by {}",
                v.order.id,
                v.order.kind.name(),
                v.signed_by.join(", ")
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            println!("FAILED: {e}");
            Ok(ExitCode::from(1))
        }
    }
}
