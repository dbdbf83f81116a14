//! The cell's side of witnessing: after the ledger grows, `custodian serve` sends its signed
//! checkpoint to each configured witness (c2sp.org/tlog-witness `add-checkpoint`, with a
//! consistency proof from the size the witness last cosigned) and keeps the newest
//! checkpoint with every cosignature it got, which `GET /v1/ledger/checkpoint?witnessed=true`
//! serves and `custodian ledger verify --witness … --min-witnesses N` checks.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use custodian_core::Vault;
use custodian_ledger::witness::add_checkpoint_body;
use custodian_ledger::{CosignatureVerifier, verify_cosignatures};

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

/// Submits the ledger's checkpoint to each witness: the checkpoint with the cosignatures it
/// got (if any) and how many witnesses cosigned. Failures are reported on standard error and
/// leave that witness out.
pub fn round(
    vault: &Vault,
    targets: &mut [WitnessTarget],
    client: &reqwest::blocking::Client,
) -> (Option<String>, usize) {
    let size = vault.ledger_size();
    if size == 0 {
        return (None, 0);
    }
    let cp = match vault.checkpoint_at(size) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("custodian: witnessing: cannot sign a checkpoint: {e}");
            return (None, 0);
        }
    };
    let mut lines = String::new();
    let mut cosigned_by = 0;
    for t in targets.iter_mut() {
        // Twice at most: a 409 tells the size the witness has.
        for _ in 0..2 {
            let proof = if t.size == 0 || t.size == size {
                Vec::new()
            } else {
                match vault.consistency_proof(t.size, size) {
                    Ok(p) => p.path,
                    Err(e) => {
                        eprintln!("custodian: witnessing: no consistency proof: {e}");
                        break;
                    }
                }
            };
            let body = add_checkpoint_body(t.size, &proof, &cp);
            let resp = client
                .post(format!("{}/add-checkpoint", t.url))
                .body(body)
                .send()
                .and_then(|r| Ok((r.status().as_u16(), r.text()?)));
            match resp {
                Ok((200, got)) => {
                    // Only lines that verify as this witness's cosignature are kept: one bad
                    // line would make the whole note fail for every verifier.
                    let valid: String = got
                        .lines()
                        .filter(|l| {
                            verify_cosignatures(&format!("{cp}{l}\n"), std::slice::from_ref(&t.key))
                                .is_ok_and(|c| !c.is_empty())
                        })
                        .take(1)
                        .map(|l| format!("{l}\n"))
                        .collect();
                    match valid.is_empty() {
                        false => {
                            lines.push_str(&valid);
                            t.size = size;
                            cosigned_by += 1;
                        }
                        true => eprintln!(
                            "custodian: witnessing: {} answered without a valid cosignature by {}",
                            t.url,
                            t.key.name()
                        ),
                    }
                    break;
                }
                Ok((409, got)) => match got.trim().parse::<u64>() {
                    Ok(n) if n <= size => t.size = n,
                    Ok(n) => {
                        eprintln!(
                            "custodian: witnessing: {} has cosigned a tree of size {n}, larger than this ledger's {size} (another process of this cell is ahead, or the ledger was rolled back)",
                            t.url
                        );
                        break;
                    }
                    Err(_) => {
                        eprintln!(
                            "custodian: witnessing: {} answered 409 without a size",
                            t.url
                        );
                        break;
                    }
                },
                Ok((status, got)) => {
                    // The witness's words, cut short and without control characters.
                    let why: String = got.chars().filter(|c| !c.is_control()).take(200).collect();
                    eprintln!(
                        "custodian: witnessing: {} refused the checkpoint of size {size}: {status} {why}",
                        t.url
                    );
                    break;
                }
                Err(e) => {
                    eprintln!("custodian: witnessing: {} unreachable: {e}", t.url);
                    break;
                }
            }
        }
    }
    (
        (!lines.is_empty()).then(|| format!("{cp}{lines}")),
        cosigned_by,
    )
}

/// Runs witnessing rounds every `interval` while the ledger grows, keeping the newest
/// cosigned checkpoint in `out`.
pub fn schedule(
    vault: Arc<Vault>,
    mut targets: Vec<WitnessTarget>,
    interval: Duration,
    out: Arc<RwLock<Option<custodian_server::Witnessed>>>,
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
                    let (note, n) = round(&vault, &mut targets, &client);
                    if let Some(note) = note
                        && let Ok(mut w) = out.write()
                    {
                        *w = Some(custodian_server::Witnessed {
                            note,
                            at: std::time::SystemTime::now(),
                        });
                    }
                    // Until every witness has cosigned this size, try again next time.
                    if n == targets.len() {
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
