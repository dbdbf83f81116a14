//! The cell's side of witnessing: after the ledger grows, `custodian serve` sends its signed
//! checkpoint to each configured witness (c2sp.org/tlog-witness `add-checkpoint`, with a
//! consistency proof from the size the witness last cosigned) and keeps the newest
//! checkpoint with every cosignature it got, which `GET /v1/ledger/checkpoint?witnessed=true`
//! serves and `custodian ledger verify --witness … --min-witnesses N` checks.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use custodian_core::Vault;
use custodian_ledger::witness::add_checkpoint_body;
use custodian_ledger::{Checkpoint, CosignatureVerifier, Verifier, note, verify_cosignatures};

/// A witness the cell reports to.
#[derive(Clone, Debug)]
pub struct WitnessTarget {
    /// Its submission prefix (`http://host:port`).
    pub url: String,
    /// Its cosignature key.
    pub key: CosignatureVerifier,
    /// The size it last cosigned (as far as this process knows).
    size: u64,
}

impl WitnessTarget {
    /// A witness at `url` with this key.
    pub fn new(url: &str, key: CosignatureVerifier) -> WitnessTarget {
        WitnessTarget {
            url: url.trim_end_matches('/').to_string(),
            key,
            size: 0,
        }
    }
}

/// What a witness answered to the ledger's checkpoint.
enum Answer {
    /// Cosigned it: the cosignature line (verified, with its newline).
    Cosigned(String),
    /// Has cosigned a larger tree of this log than the ledger holds.
    Ahead(u64),
    /// Refused it as not consistent with the tree it last cosigned (422): the log forked.
    Inconsistent(String),
    /// Anything else: unreachable, refused for another reason, an answer that does not parse.
    Failed(String),
}

/// Submits the checkpoint `cp` of the ledger's `size` entries to one witness (twice at most: a
/// 409 tells the size it has, which the next try proves consistency from).
fn submit(
    vault: &Vault,
    t: &mut WitnessTarget,
    size: u64,
    cp: &str,
    client: &reqwest::blocking::Client,
) -> Answer {
    for _ in 0..2 {
        let proof = if t.size == 0 || t.size == size {
            Vec::new()
        } else {
            match vault.consistency_proof(t.size, size) {
                Ok(p) => p.path,
                Err(e) => return Answer::Failed(format!("no consistency proof: {e}")),
            }
        };
        let body = add_checkpoint_body(t.size, &proof, cp);
        let resp = client
            .post(format!("{}/add-checkpoint", t.url))
            .body(body)
            .send()
            .and_then(|r| Ok((r.status().as_u16(), r.text()?)));
        // The witness's words, cut short and without control characters.
        let words =
            |got: &str| -> String { got.chars().filter(|c| !c.is_control()).take(200).collect() };
        match resp {
            Ok((200, got)) => {
                // Only a line that verifies as this witness's cosignature is kept: one bad line
                // would make the whole note fail for every verifier.
                let valid: String = got
                    .lines()
                    .filter(|l| {
                        verify_cosignatures(&format!("{cp}{l}\n"), std::slice::from_ref(&t.key))
                            .is_ok_and(|c| !c.is_empty())
                    })
                    .take(1)
                    .map(|l| format!("{l}\n"))
                    .collect();
                if valid.is_empty() {
                    return Answer::Failed(format!(
                        "answered without a valid cosignature by {}",
                        t.key.name()
                    ));
                }
                t.size = size;
                return Answer::Cosigned(valid);
            }
            Ok((409, got)) => match got.trim().parse::<u64>() {
                Ok(n) if n <= size => t.size = n,
                Ok(n) => return Answer::Ahead(n),
                Err(_) => return Answer::Failed("answered 409 without a size".into()),
            },
            Ok((422, got)) => return Answer::Inconsistent(words(&got)),
            Ok((status, got)) => {
                return Answer::Failed(format!(
                    "refused the checkpoint of size {size}: {status} {}",
                    words(&got)
                ));
            }
            Err(e) => return Answer::Failed(format!("unreachable: {e}")),
        }
    }
    Answer::Failed("kept answering 409 (another process of this cell is reporting too)".into())
}

/// Submits the ledger's checkpoint to each witness: the checkpoint with the cosignatures it
/// got (if any) and how many witnesses cosigned. Failures are reported on standard error and
/// leave that witness out.
pub fn round(
    vault: &Vault,
    targets: &mut [WitnessTarget],
    client: &reqwest::blocking::Client,
) -> Round {
    let mut r = Round {
        note: None,
        cosigned_by: 0,
        disputed: Vec::new(),
    };
    let size = vault.ledger_size();
    if size == 0 {
        return r;
    }
    let cp = match vault.checkpoint_at(size) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("custodian: witnessing: cannot sign a checkpoint: {e}");
            return r;
        }
    };
    let mut lines = String::new();
    for (i, t) in targets.iter_mut().enumerate() {
        match submit(vault, t, size, &cp, client) {
            Answer::Cosigned(line) => {
                lines.push_str(&line);
                r.cosigned_by += 1;
            }
            Answer::Ahead(n) => {
                eprintln!(
                    "custodian: witnessing: {} has cosigned a tree of size {n}, larger than this ledger's {size} (another process of this cell is ahead, or the ledger was rolled back)",
                    t.url
                );
                r.disputed.push(i);
            }
            Answer::Inconsistent(why) => {
                eprintln!(
                    "custodian: witnessing: {} refused the checkpoint of size {size}: 422 {why}",
                    t.url
                );
                r.disputed.push(i);
            }
            Answer::Failed(why) => eprintln!("custodian: witnessing: {} {why}", t.url),
        }
    }
    r.note = (!lines.is_empty()).then(|| format!("{cp}{lines}"));
    r
}

/// What a round of witnessing gave.
pub struct Round {
    /// The checkpoint with the cosignatures it got, if any.
    pub note: Option<String>,
    /// How many witnesses cosigned it.
    pub cosigned_by: usize,
    /// The witnesses (their places in the list) that answered with a larger tree or refused
    /// the checkpoint as inconsistent: their latest checkpoints are read to tell why.
    pub disputed: Vec<usize>,
}

/// What a witness's latest cosigned checkpoint of this log says of the ledger.
enum Standing {
    /// It has no checkpoint of this log (a new witness, or not the one configured).
    Unseen,
    /// It has cosigned a prefix of this ledger.
    Behind,
    /// It has cosigned a larger tree of this log than the ledger holds.
    Ahead(u64),
    /// It has cosigned a tree of this size that is not this ledger's prefix of that size.
    Forked(u64),
}

/// The witness's latest cosigned checkpoint of this log (`GET /<origin hash>/checkpoint`),
/// held to this ledger. Only a checkpoint signed with the cell's own ledger key and cosigned
/// by the witness's key counts: an answer anyone on the way could forge does not stop a start.
fn standing(
    vault: &Vault,
    t: &WitnessTarget,
    client: &reqwest::blocking::Client,
) -> Result<Standing, String> {
    let url = format!(
        "{}/{}/checkpoint",
        t.url,
        custodian_server::witness::origin_hash(vault.origin())
    );
    let resp = client
        .get(&url)
        .send()
        .map_err(|e| format!("unreachable: {e}"))?;
    let status = resp.status().as_u16();
    let note = resp.text().map_err(|e| format!("no answer: {e}"))?;
    match status {
        404 => return Ok(Standing::Unseen),
        200 => {}
        other => return Err(format!("answered {other}")),
    }
    let cell = Verifier::parse(&vault.verifier_key()).map_err(|e| e.to_string())?;
    let opened = note::open(&note, std::slice::from_ref(&cell))
        .map_err(|e| format!("its latest checkpoint is not the cell's: {e}"))?;
    match verify_cosignatures(&note, std::slice::from_ref(&t.key)) {
        Ok(c) if !c.is_empty() => {}
        _ => return Err("its latest checkpoint carries no cosignature of its key".into()),
    }
    let cp = Checkpoint::parse(&opened.text).map_err(|e| e.to_string())?;
    if cp.origin != vault.origin() {
        return Err(format!("its latest checkpoint is of `{}`", cp.origin));
    }
    // Read after the witness answered: entries another process of the cell had cosigned by
    // then are in the store (a witness cosigns only entries on disk).
    let size = vault
        .try_ledger_size()
        .map_err(|e| format!("the ledger's size: {e}"))?;
    let n = cp.size.get();
    if n > size {
        return Ok(Standing::Ahead(n));
    }
    let ours = vault.root_at(n).map_err(|e| e.to_string())?;
    Ok(if ours == cp.root {
        Standing::Behind
    } else {
        Standing::Forked(n)
    })
}

/// Before the cell serves: holds its ledger to every witness's latest cosigned checkpoint. One
/// of a larger tree, or of a tree this ledger does not extend — signed with the cell's own key
/// — says that the store is not the one the witness followed: an older copy put back (a
/// backup, files copied back by hand, a database dump) or a copy that grew a history of its
/// own, without what was recorded after it (erasures, a regulator's orders). The cell does not
/// serve it. A witness that cannot be asked, or whose answer does not verify, is reported and
/// left to the rounds (the witness's operator sees no checkpoint arrive).
pub fn check_at_start(vault: &Vault, targets: &[WitnessTarget]) -> anyhow::Result<()> {
    if targets.is_empty() {
        return Ok(());
    }
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?;
    for t in targets {
        match standing(vault, t, &client) {
            Ok(Standing::Behind) => {}
            Ok(Standing::Unseen) => eprintln!(
                "custodian: witness {} has no checkpoint of this log yet (a new witness, or not \
                 the one configured)",
                t.url
            ),
            Ok(s) => anyhow::bail!("{}", refusal(vault, t, &s)),
            Err(why) => eprintln!(
                "custodian: warning: witness {} could not be asked at start ({why}); the rounds \
                 go on trying",
                t.url
            ),
        }
    }
    Ok(())
}

/// Why the cell does not serve its store, a witness's latest checkpoint being `s`.
fn refusal(vault: &Vault, t: &WitnessTarget, s: &Standing) -> String {
    match s {
        Standing::Ahead(n) => format!(
            "witness {} ({}) holds a checkpoint of this ledger at {n} entries, signed by the \
             cell, and the store holds {}: it is an older copy of the cell (a backup or files put \
             back), without what was recorded after it — erasures, a regulator's orders. Refusing \
             to serve it: put the cell's current store back. After a restore from a backup, \
             tell the witness's operator, who sees the cell stop at {n} entries: the witness \
             follows the restored ledger only once its operator runs `custodian witness forget`",
            t.url,
            t.key.name(),
            vault.ledger_size()
        ),
        Standing::Forked(n) => format!(
            "witness {} ({}) holds a checkpoint of this ledger at {n} entries, signed by the \
             cell, that the store's ledger does not extend (another tree of that size): the store \
             is not the one the witness followed (a copy that grew a history of its own, or a \
             store restored from a backup: then tell the witness's operator, who alone can have \
             it follow the restored ledger, with `custodian witness forget`). Refusing to serve it",
            t.url,
            t.key.name()
        ),
        Standing::Unseen | Standing::Behind => String::new(),
    }
}

/// Runs witnessing rounds every `interval` while the ledger grows, keeping the newest
/// cosigned checkpoint in `out`; notifies `stop` (and ends) when a witness holds a checkpoint,
/// signed by the cell, of a tree this ledger is behind or off.
pub fn schedule(
    vault: Arc<Vault>,
    mut targets: Vec<WitnessTarget>,
    interval: Duration,
    out: Arc<RwLock<Option<custodian_server::Witnessed>>>,
    stop: Arc<tokio::sync::Notify>,
) {
    let spawned = std::thread::Builder::new()
        .name("custodian-witnessing".into())
        .spawn(move || {
            let client = match reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
            {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("custodian: witnessing: no HTTP client: {e}");
                    return;
                }
            };
            let mut last = u64::MAX;
            loop {
                let size = vault.ledger_size();
                if size != last {
                    let r = round(&vault, &mut targets, &client);
                    if let Some(note) = r.note
                        && let Ok(mut w) = out.write()
                    {
                        *w = Some(custodian_server::Witnessed {
                            note,
                            at: std::time::SystemTime::now(),
                        });
                    }
                    // A witness that holds, signed by the cell, a tree this ledger is behind or
                    // off (a copy serving beside the cell the witness follows): the cell stops.
                    for &i in &r.disputed {
                        let Some(t) = targets.get(i) else { continue };
                        match standing(&vault, t, &client) {
                            Ok(s @ (Standing::Ahead(_) | Standing::Forked(_))) => {
                                eprintln!("custodian: stopping: {}", refusal(&vault, t, &s));
                                stop.notify_one();
                                return;
                            }
                            Ok(_) => {}
                            Err(why) => eprintln!(
                                "custodian: witnessing: {}'s latest checkpoint: {why}",
                                t.url
                            ),
                        }
                    }
                    // Until every witness has cosigned this size, try again next time.
                    if r.cosigned_by == targets.len() {
                        last = size;
                    }
                }
                std::thread::sleep(interval);
            }
        });
    if let Err(e) = spawned {
        eprintln!("custodian: cannot schedule witnessing: {e}");
    }
}
