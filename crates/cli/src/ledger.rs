//! `custodian ledger keygen` and `custodian ledger verify`: the regulator's offline tools.
//!
//! `verify` needs nothing but files and a verifier key: signed checkpoints, proofs in the
//! JSON forms of `custodian_ledger::proofs`. It checks every signature, every proof, and
//! exits 0 only when everything verifies (1 when something fails to verify, 2 when an input
//! is unreadable or malformed).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};

use crate::erasure_final;
use custodian_ledger::proofs::{self, InclusionClaim, ProofFile};
use custodian_ledger::{
    Checkpoint, ConsistencyProof, CosignatureVerifier, Signer, Verifier, note, verify_cosignatures,
};

/// `custodian ledger …`
#[derive(Subcommand, Debug)]
pub enum LedgerCommand {
    /// Create a checkpoint signing key: writes the signer key file, prints the verifier key.
    Keygen(KeygenArgs),
    /// Verify checkpoints and proofs offline against a verifier key.
    Verify(Box<VerifyArgs>),
}

/// Arguments of `custodian ledger keygen`.
#[derive(Args, Debug)]
pub struct KeygenArgs {
    /// Key name, usually the log's origin (e.g. `custodian.example/cn/ledger`).
    #[arg(long)]
    name: String,
    /// Where to write the signer key (created with mode 0600; never overwritten).
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `custodian ledger verify`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Verifier key `<name>+<hex id>+<base64>` (repeatable).
    #[arg(long = "key")]
    keys: Vec<String>,
    /// File holding verifier keys, one per line (repeatable).
    #[arg(long = "key-file")]
    key_files: Vec<PathBuf>,
    /// A signed checkpoint (give one, or two to check that the later extends the earlier).
    #[arg(long = "checkpoint", required_unless_present_any = ["receipts", "stretch"])]
    checkpoints: Vec<PathBuf>,
    /// A stretch of the ledger as `GET /v1/ledger/stretch` gives it (both checkpoints and every
    /// entry between): checked complete, and its transfers listed (`--tenant` to pick one).
    #[arg(long)]
    stretch: Option<PathBuf>,
    /// With `--stretch`: list the transfers of this tenant only.
    #[arg(long, requires = "stretch")]
    tenant: Option<String>,
    /// A receipt a cell gave for an act (an erasure's: `{"checkpoint": …, "inclusion": …}`):
    /// its checkpoint and inclusion proof are checked like the files above (repeatable).
    #[arg(long = "receipt")]
    receipts: Vec<PathBuf>,
    /// What a cell answers to `GET /v1/ledger/erasures/{index}?since=SIZE` (SIZE: the size of
    /// the receipt's checkpoint), given with that erasure's `--receipt`: checks that the
    /// erasure is final — the epoch in force at it was destroyed after it, so no copy of the
    /// store (a backup) opens the subject's values any more.
    #[arg(
        long = "erasure-final",
        requires = "receipts",
        conflicts_with = "stretch"
    )]
    erasure_final: Option<PathBuf>,
    /// Consistency proof between the two checkpoints (JSON).
    #[arg(long)]
    consistency: Option<PathBuf>,
    /// Inclusion proof of an entry (JSON; repeatable).
    #[arg(long = "inclusion")]
    inclusions: Vec<PathBuf>,
    /// The origin the checkpoints must carry.
    #[arg(long)]
    origin: Option<String>,
    /// A witness's cosignature verifier key `<name>+<hex id>+base64(0x04 || key)`
    /// (repeatable): its cosignatures on the checkpoints are checked.
    #[arg(long = "witness")]
    witnesses: Vec<String>,
    /// How many of the --witness keys must have cosigned each checkpoint (default: all
    /// given). A checkpoint the log showed only to some parties has no such quorum.
    #[arg(long)]
    min_witnesses: Option<usize>,
}

/// Runs a ledger subcommand.
pub fn run(cmd: LedgerCommand) -> Result<ExitCode> {
    match cmd {
        LedgerCommand::Keygen(a) => keygen(a),
        LedgerCommand::Verify(a) => verify(*a),
    }
}

fn keygen(a: KeygenArgs) -> Result<ExitCode> {
    let signer = Signer::generate(&a.name)?;
    write_key(
        &a.out,
        &signer.to_skey(),
        &signer.verifier().to_vkey(),
        "signer key",
    )
}

/// Creates a file only its owner reads (0600), never overwriting one.
pub(crate) fn create_secret_file(path: &Path) -> Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path).with_context(|| {
        format!(
            "cannot create `{}` (it is never overwritten)",
            path.display()
        )
    })
}

/// Writes a secret key file and prints its verifier key (what `keygen` commands do).
pub(crate) fn write_key(out: &Path, skey: &str, vkey: &str, what: &str) -> Result<ExitCode> {
    let mut f = create_secret_file(out)?;
    f.write_all(skey.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()?;
    println!("{vkey}");
    eprintln!(
        "{what} written to {} (keep it secret); the line above is its verifier key",
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// An input that could not be used at all (exit 2), as opposed to a failed check (exit 1).
pub(crate) fn read(p: &Path) -> Result<String> {
    std::fs::read_to_string(p).with_context(|| format!("cannot read `{}`", p.display()))
}

struct Opened {
    path: PathBuf,
    cp: Checkpoint,
    /// One of a stretch's two checkpoints (the cell's, fresh), not one the verifier held.
    from_stretch: bool,
}

fn verify(a: VerifyArgs) -> Result<ExitCode> {
    let mut verifiers = Vec::new();
    for k in &a.keys {
        verifiers.push(Verifier::parse(k).with_context(|| "in --key".to_string())?);
    }
    for f in &a.key_files {
        for (i, line) in read(f)?.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            verifiers
                .push(Verifier::parse(line).with_context(|| format!("{}:{}", f.display(), i + 1))?);
        }
    }
    if verifiers.is_empty() {
        bail!("no verifier key: give --key or --key-file");
    }
    let mut witnesses = Vec::new();
    for w in &a.witnesses {
        witnesses.push(
            CosignatureVerifier::parse(w)
                .with_context(|| "in --witness (a cosignature/v1 key)".to_string())?,
        );
    }
    let quorum = a.min_witnesses.unwrap_or(witnesses.len());
    if quorum > witnesses.len() {
        bail!(
            "--min-witnesses {quorum} needs at least that many --witness keys (given {})",
            witnesses.len()
        );
    }
    let mut failures: Vec<String> = Vec::new();
    let mut opened: Vec<Opened> = Vec::new();
    let mut checkpoint_texts: Vec<(PathBuf, String)> = Vec::new();
    for p in &a.checkpoints {
        checkpoint_texts.push((p.clone(), read(p)?));
    }
    let mut stretch: Option<custodian_ledger::range::RangeFile> = None;
    let mut stretch_texts: Vec<(PathBuf, String)> = Vec::new();
    if let Some(p) = &a.stretch {
        let s: Stretch = serde_json::from_str(&read(p)?).map_err(|e| {
            anyhow!(
                "{}:{}:{}: malformed stretch: {e}",
                p.display(),
                e.line(),
                e.column()
            )
        })?;
        stretch_texts.push((p.with_extension("from"), s.checkpoint_from));
        stretch_texts.push((p.with_extension("to"), s.checkpoint_to));
        stretch = Some(s.range);
    }
    let mut receipt_claims: Vec<(PathBuf, InclusionClaim)> = Vec::new();
    // Where the receipts' checkpoints are among `checkpoint_texts` (by position: a file given
    // as both a receipt and the answer is two checkpoints, each with its own role).
    let receipts_from = checkpoint_texts.len();
    for p in &a.receipts {
        let r: Receipt = serde_json::from_str(&read(p)?).map_err(|e| {
            anyhow!(
                "{}:{}:{}: malformed receipt: {e}",
                p.display(),
                e.line(),
                e.column()
            )
        })?;
        checkpoint_texts.push((p.clone(), r.checkpoint));
        receipt_claims.push((
            p.clone(),
            inclusion_of(r.inclusion).with_context(|| format!("in `{}`", p.display()))?,
        ));
    }
    // An erasure's finality: its checkpoint, the two epoch entries' proofs, its consistency
    // proof from the receipt's size.
    let mut consistency: Option<(PathBuf, ConsistencyProof)> = match &a.consistency {
        Some(p) => Some((p.clone(), load_consistency(p)?)),
        None => None,
    };
    let mut finality: Option<erasure_final::Answer> = None;
    if let Some(p) = &a.erasure_final {
        finality = erasure_final::load(p, &mut checkpoint_texts, &mut consistency, &mut failures)?;
    }
    if checkpoint_texts.len() > 2
        || (stretch.is_some() && checkpoint_texts.len() + stretch_texts.len() > 4)
    {
        bail!(
            "give one or two checkpoints (receipts included), not {}",
            checkpoint_texts.len()
        );
    }
    // Checkpoints the verifier held (witnessed, say) anchor a stretch: the witness quorum is
    // asked of them, and the stretch's own checkpoints must match them.
    let held = checkpoint_texts.len();
    // (size, the quorum's failure) of each stretch checkpoint while held ones are given.
    let mut unanchored_quorum: Vec<(u64, Option<String>)> = Vec::new();
    let all: Vec<(PathBuf, String, bool)> = checkpoint_texts
        .into_iter()
        .map(|(p, t)| (p, t, false))
        .chain(stretch_texts.into_iter().map(|(p, t)| (p, t, true)))
        .collect();
    let receipts_to = receipts_from + a.receipts.len();
    for (at, (p, text, from_stretch)) in all.iter().enumerate() {
        match note::open(text, &verifiers) {
            Err(e) => failures.push(format!("checkpoint {}: {e}", p.display())),
            Ok(n) => match Checkpoint::parse(&n.text) {
                Err(e) => failures.push(format!("checkpoint {}: {e}", p.display())),
                Ok(cp) => {
                    println!(
                        "ok: checkpoint {}: origin {}, size {}, root {}, signed by {}",
                        p.display(),
                        cp.origin,
                        cp.size.get(),
                        cp.root.to_base64(),
                        n.verified_by.join(", ")
                    );
                    if quorum > 0 && *from_stretch && held > 0 {
                        // Asked below, of the ends no held checkpoint vouches for.
                        unanchored_quorum.push((
                            cp.size.get(),
                            witness_quorum(text, &witnesses, quorum, p).err(),
                        ));
                    } else if quorum > 0
                        && finality.is_some()
                        && (receipts_from..receipts_to).contains(&at)
                    {
                        // The erasure's receipt: the answer's checkpoint, cosigned, must
                        // extend it (the consistency proof), which vouches for it.
                        println!(
                            "ok: checkpoint {}: the receipt's, vouched for by the cosigned checkpoint that extends it",
                            p.display()
                        );
                    } else if quorum > 0 {
                        match verify_cosignatures(text, &witnesses) {
                            Err(e) => failures.push(format!("checkpoint {}: {e}", p.display())),
                            Ok(c) if c.len() < quorum => failures.push(format!(
                                "checkpoint {}: cosigned by {} of the {} witnesses given ({}), {quorum} required: no witness quorum saw this tree",
                                p.display(),
                                c.len(),
                                witnesses.len(),
                                c.iter().map(|c| c.witness.as_str()).collect::<Vec<_>>().join(", ")
                            )),
                            Ok(c) => println!(
                                "ok: checkpoint {}: cosigned by {}",
                                p.display(),
                                c.iter()
                                    .map(|c| format!("{} at {}", c.witness, c.timestamp))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        }
                    }
                    opened.push(Opened {
                        path: p.clone(),
                        cp,
                        from_stretch: *from_stretch,
                    });
                }
            },
        }
    }
    if let Some(origin) = &a.origin {
        for o in &opened {
            if &o.cp.origin != origin {
                failures.push(format!(
                    "checkpoint {}: origin is `{}`, expected `{origin}`",
                    o.path.display(),
                    o.cp.origin
                ));
            }
        }
    }
    if stretch.is_some() && held > 0 {
        // Each held checkpoint is one end of the stretch, with the same root.
        let (mine, theirs): (Vec<Opened>, Vec<Opened>) =
            opened.into_iter().partition(|o| o.from_stretch);
        // A stretch end no held checkpoint vouches for needs the witness quorum itself.
        for (size, failure) in &unanchored_quorum {
            let anchored = theirs.iter().any(|h| {
                mine.iter().any(|m| {
                    m.cp.size.get() == *size
                        && m.cp.size == h.cp.size
                        && m.cp.root == h.cp.root
                        && m.cp.origin == h.cp.origin
                })
            });
            if let (false, Some(f)) = (anchored, failure) {
                failures.push(f.clone());
            }
        }
        for h in &theirs {
            match mine.iter().find(|m| m.cp.size == h.cp.size) {
                None => failures.push(format!(
                    "checkpoint {} (size {}) is not an end of the stretch",
                    h.path.display(),
                    h.cp.size.get()
                )),
                Some(m) if m.cp.root != h.cp.root || m.cp.origin != h.cp.origin => {
                    failures.push(format!(
                        "checkpoint {} and the stretch's checkpoint of size {} have different roots: the log forked",
                        h.path.display(),
                        h.cp.size.get()
                    ));
                }
                Some(m) => println!(
                    "ok: the stretch's checkpoint {} is the held checkpoint {}",
                    m.path.display(),
                    h.path.display()
                ),
            }
        }
        opened = mine;
    }
    opened.sort_by_key(|o| o.cp.size);
    if let [old, new] = opened.as_slice() {
        if old.cp.origin != new.cp.origin {
            failures.push(format!(
                "checkpoints are from different logs (`{}` and `{}`)",
                old.cp.origin, new.cp.origin
            ));
        } else {
            match &consistency {
                None if old.cp.size == new.cp.size => {
                    if old.cp.root == new.cp.root {
                        println!("ok: both checkpoints have size {} and the same root", old.cp.size.get());
                    } else {
                        failures.push(format!(
                            "checkpoints {} and {} have the same size {} but different roots: the log forked",
                            old.path.display(),
                            new.path.display(),
                            old.cp.size.get()
                        ));
                    }
                }
                // A stretch between them proves it (checked below).
                None if stretch.as_ref().is_some_and(|r| {
                    r.from == old.cp.size.get() && r.to == new.cp.size.get()
                }) => {}
                None => failures.push(format!(
                    "a consistency proof from size {} to size {} is needed (--consistency)",
                    old.cp.size.get(),
                    new.cp.size.get()
                )),
                Some((p, c)) => match c {
                    c if c.size1 != old.cp.size || c.size2 != new.cp.size => failures.push(format!(
                        "consistency proof {} is from size {} to {}, the checkpoints have sizes {} and {}",
                        p.display(),
                        c.size1.get(),
                        c.size2.get(),
                        old.cp.size.get(),
                        new.cp.size.get()
                    )),
                    c => match c.verify(&old.cp.root, &new.cp.root) {
                        Ok(()) => println!(
                            "ok: consistency: the tree of size {} extends the tree of size {}",
                            new.cp.size.get(),
                            old.cp.size.get()
                        ),
                        Err(e) => failures.push(format!("consistency proof {}: {e}", p.display())),
                    },
                },
            }
        }
    } else if consistency.is_some() {
        failures.push("a consistency proof needs two checkpoints".to_string());
    }
    if let Some(r) = &stretch {
        check_stretch(r, &opened, a.tenant.as_deref(), &mut failures);
    }
    let mut claims: Vec<(PathBuf, InclusionClaim)> = Vec::new();
    for p in &a.inclusions {
        claims.push((p.clone(), load_inclusion(p)?));
    }
    if let Some((p, erasure, size, [created, destroyed])) = &finality {
        erasure_final::check(
            p,
            *erasure,
            *size,
            &receipt_claims,
            created,
            destroyed,
            &mut failures,
        );
    }
    claims.extend(receipt_claims);
    if let Some((p, _, _, both)) = finality {
        claims.extend(both.into_iter().map(|c| (p.clone(), c)));
    }
    let n_inclusions = claims.len();
    for (p, claim) in &claims {
        let size = claim.proof.size;
        let Some(cp) = opened.iter().find(|o| o.cp.size == size) else {
            failures.push(format!(
                "inclusion proof {}: tree size {} matches no verified checkpoint",
                p.display(),
                size.get()
            ));
            continue;
        };
        match claim.verify(&cp.cp.root) {
            Ok(()) => println!(
                "ok: inclusion: entry {} is in the tree of size {}{}",
                claim.proof.index.get(),
                size.get(),
                describe(claim)
            ),
            Err(e) => failures.push(format!("inclusion proof {}: {e}", p.display())),
        }
    }
    if failures.is_empty() {
        println!(
            "verified: {} checkpoint(s), {} consistency proof(s), {} inclusion proof(s)",
            opened.len(),
            usize::from(consistency.is_some()),
            n_inclusions
        );
        Ok(ExitCode::SUCCESS)
    } else {
        for f in &failures {
            println!("FAILED: {f}");
        }
        eprintln!("verification failed: {} problem(s)", failures.len());
        Ok(ExitCode::from(1))
    }
}

fn describe(c: &InclusionClaim) -> String {
    match &c.entry {
        None => String::new(),
        Some(e) => format!(
            " ({}; {})",
            serde_json::to_string(e).unwrap_or_default(),
            e.decision.name()
        ),
    }
}

fn load_proof(p: &Path) -> Result<ProofFile> {
    serde_json::from_str(&read(p)?).map_err(|e| {
        anyhow!(
            "{}:{}:{}: malformed proof: {e}",
            p.display(),
            e.line(),
            e.column()
        )
    })
}

fn load_consistency(p: &Path) -> Result<ConsistencyProof> {
    match load_proof(p)? {
        ProofFile::Consistency {
            size1,
            size2,
            proof,
        } => proofs::consistency_proof(size1, size2, &proof)
            .with_context(|| format!("in `{}`", p.display())),
        ProofFile::Inclusion { .. } => bail!(
            "`{}` is an inclusion proof, not a consistency proof",
            p.display()
        ),
    }
}

/// A receipt as a cell gives it.
#[derive(serde::Deserialize)]
struct Receipt {
    checkpoint: String,
    inclusion: ProofFile,
}

fn load_inclusion(p: &Path) -> Result<InclusionClaim> {
    inclusion_of(load_proof(p)?).with_context(|| format!("in `{}`", p.display()))
}

pub(crate) fn inclusion_of(f: ProofFile) -> Result<InclusionClaim> {
    match f {
        ProofFile::Inclusion {
            index,
            tree_size,
            entry,
            leaf_hash,
            proof,
        } => proofs::inclusion_claim(
            index,
            tree_size,
            entry.as_deref(),
            leaf_hash.as_deref(),
            &proof,
        )
        .map_err(Into::into),
        ProofFile::Consistency { .. } => bail!("a consistency proof, not an inclusion proof"),
    }
}

/// A stretch as a cell gives it.
#[derive(serde::Deserialize)]
struct Stretch {
    checkpoint_from: String,
    checkpoint_to: String,
    range: custodian_ledger::range::RangeFile,
}

/// Checks a stretch against the two verified checkpoints of its sizes and lists its transfers.
fn check_stretch(
    r: &custodian_ledger::range::RangeFile,
    opened: &[Opened],
    tenant: Option<&str>,
    failures: &mut Vec<String>,
) {
    let root = |size: u64| {
        opened
            .iter()
            .find(|o| o.cp.size.get() == size)
            .map(|o| o.cp.root)
    };
    let (Some(from), Some(to)) = (root(r.from), root(r.to)) else {
        failures.push(format!(
            "stretch {}..{}: no verified checkpoints of those sizes",
            r.from, r.to
        ));
        return;
    };
    match r.verify(&from, &to) {
        Err(e) => failures.push(format!("stretch {}..{}: {e}", r.from, r.to)),
        // A leaf shown only as its hash could be a transfer: a complete account shows all.
        Ok(entries) if (entries.len() as u64) < r.to - r.from => failures.push(format!(
            "stretch {}..{}: {} of its {} entries are hidden (hashes only); it cannot show that no transfer is among them",
            r.from,
            r.to,
            r.to - r.from - entries.len() as u64,
            r.to - r.from
        )),
        Ok(entries) => {
            let transfers: Vec<_> = entries
                .iter()
                .filter(|(_, e)| e.kind == custodian_ledger::EntryKind::Transfer)
                .filter(|(_, e)| {
                    tenant.is_none_or(|t| e.tenant.as_ref().is_some_and(|x| x.as_str() == t))
                })
                .collect();
            for (i, e) in &transfers {
                println!(
                    "  transfer {i}: {}",
                    serde_json::to_string(e).unwrap_or_default()
                );
            }
            println!(
                "ok: stretch {}..{}: complete ({} entries), {} transfer(s){}",
                r.from,
                r.to,
                entries.len(),
                transfers.len(),
                tenant.map(|t| format!(" of tenant {t}")).unwrap_or_default()
            );
        }
    }
}

/// Whether `text` carries cosignatures of at least `quorum` of `witnesses`; the failure as a
/// line of the report.
fn witness_quorum(
    text: &str,
    witnesses: &[CosignatureVerifier],
    quorum: usize,
    p: &Path,
) -> Result<(), String> {
    match verify_cosignatures(text, witnesses) {
        Err(e) => Err(format!("checkpoint {}: {e}", p.display())),
        Ok(c) if c.len() < quorum => Err(format!(
            "checkpoint {}: cosigned by {} of the {} witnesses given, {quorum} required, and no held checkpoint is this end of the stretch",
            p.display(),
            c.len(),
            witnesses.len()
        )),
        Ok(_) => Ok(()),
    }
}
