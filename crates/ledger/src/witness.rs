//! A transparency-log witness (c2sp.org/tlog-witness): it keeps the latest checkpoint it
//! cosigned for each log it knows, cosigns a new checkpoint only if a consistency proof shows
//! it extends that one, and so refuses to cosign a fork — a log that shows one party one tree
//! and another party a different tree of the same history cannot get both cosigned.
//!
//! [`Witness::add_checkpoint`] implements the `add-checkpoint` call on its request body:
//!
//! ```text
//! old <size of the checkpoint the client thinks the witness has>
//! <consistency proof hash, base64>        (0-63 lines)
//!
//! <signed checkpoint note>
//! ```
//!
//! and answers with the HTTP status the spec gives each outcome and, on success, the
//! cosignature lines. The state (a [`WitnessState`]) must check the old size and store the
//! new checkpoint atomically; this type does no I/O.

use std::collections::HashMap;

use base64::Engine as _;

use crate::checkpoint::Checkpoint;
use crate::cosignature::Cosigner;
use crate::hash::Hash;
use crate::note::{self, Verifier};
use crate::tree::verify_consistency;
use crate::{NoteError, TreeSize};

/// The most consistency-proof lines a request may carry.
pub const MAX_PROOF_LINES: usize = 63;

/// The latest checkpoint a witness cosigned for a log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Latest {
    /// Its size.
    pub size: u64,
    /// Its root.
    pub root: Hash,
    /// The checkpoint note as cosigned: the log's signatures and the witness's cosignature.
    pub note: String,
}

/// Where a witness keeps the latest checkpoint of each log.
pub trait WitnessState {
    /// The latest cosigned checkpoint of the log with this origin.
    fn latest(&self, origin: &str) -> Result<Option<Latest>, String>;

    /// Replaces the log's latest checkpoint with `new` if it is still `expected` (by size and
    /// root; `None`: none yet) — atomically with the check. `Ok(false)`: it changed meanwhile.
    fn replace(
        &self,
        origin: &str,
        expected: Option<&Latest>,
        new: &Latest,
    ) -> Result<bool, String>;

    /// Keeps a signed checkpoint of the size of the latest one and another root: with the
    /// latest, proof that the log forked (two trees of one size signed by one log key).
    fn keep_evidence(&self, origin: &str, checkpoint: &str) -> Result<(), String>;
}

/// A refused `add-checkpoint` and its HTTP status.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{status} {message}")]
pub struct WitnessError {
    /// 400, 403, 404, 409, 422 or 500.
    pub status: u16,
    /// Why. For 409, the body the spec requires: the latest size and a newline.
    pub message: String,
}

fn refuse(status: u16, message: impl Into<String>) -> WitnessError {
    WitnessError {
        status,
        message: message.into(),
    }
}

/// A witness: its key and the logs it follows (by origin, with their verifier keys).
#[derive(Debug)]
pub struct Witness {
    key: Cosigner,
    logs: HashMap<String, Vec<Verifier>>,
}

/// An `add-checkpoint` body, parsed.
struct Request<'a> {
    old: u64,
    proof: Vec<Hash>,
    note: &'a str,
}

fn parse(body: &str) -> Result<Request<'_>, WitnessError> {
    let (head, note) = body
        .split_once("\n\n")
        .ok_or_else(|| refuse(400, "no blank line between the proof and the checkpoint"))?;
    let mut lines = head.split('\n');
    let old = lines
        .next()
        .and_then(|l| l.strip_prefix("old "))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .filter(|n| *n == "0" || !n.starts_with('0'))
        .and_then(|n| n.parse::<u64>().ok())
        .ok_or_else(|| refuse(400, "the first line is not `old <size>`"))?;
    let mut proof = Vec::new();
    for l in lines {
        if proof.len() == MAX_PROOF_LINES {
            return Err(refuse(400, "more than 63 consistency proof lines"));
        }
        proof.push(
            Hash::from_base64(l)
                .ok_or_else(|| refuse(400, "a consistency proof line is not a base64 hash"))?,
        );
    }
    Ok(Request { old, proof, note })
}

impl Witness {
    /// A witness with this key, following these logs (each origin with its keys).
    pub fn new(key: Cosigner, logs: Vec<(String, Vec<Verifier>)>) -> Witness {
        Witness {
            key,
            logs: logs.into_iter().collect(),
        }
    }

    /// The witness's key.
    pub fn key(&self) -> &Cosigner {
        &self.key
    }

    /// Handles an `add-checkpoint` request body at `now` (seconds since the Unix epoch):
    /// the cosignature lines, or the refusal with its status.
    pub fn add_checkpoint(
        &self,
        state: &dyn WitnessState,
        body: &str,
        now: u64,
    ) -> Result<String, WitnessError> {
        let req = parse(body)?;
        // The origin first (404 for a log this witness does not follow), then the signature.
        let text_end = req
            .note
            .rfind("\n\n")
            .ok_or_else(|| refuse(400, "the checkpoint is not a signed note"))?;
        let cp = Checkpoint::parse(&req.note[..text_end + 1])
            .map_err(|e| refuse(400, format!("the checkpoint does not parse: {e}")))?;
        let keys = self
            .logs
            .get(&cp.origin)
            .ok_or_else(|| refuse(404, "this witness does not follow that log"))?;
        let opened = note::open(req.note, keys).map_err(|e| match e {
            NoteError::Malformed(m) => refuse(400, format!("the checkpoint note: {m}")),
            other => refuse(403, format!("the checkpoint's signature: {other}")),
        })?;
        if opened.text != req.note[..text_end + 1] {
            return Err(refuse(400, "the checkpoint note does not parse"));
        }
        if req.old > cp.size.get() {
            return Err(refuse(400, "the old size is beyond the checkpoint's size"));
        }
        let latest = state
            .latest(&cp.origin)
            .map_err(|e| refuse(500, format!("witness state: {e}")))?;
        let latest_size = latest.as_ref().map_or(0, |l| l.size);
        if req.old != latest_size {
            return Err(refuse(409, format!("{latest_size}\n")));
        }
        let inconsistent = |why: &str| refuse(422, why.to_string());
        if cp.size.get() == 0 && cp.root != Hash::empty() {
            return Err(inconsistent(
                "a checkpoint of size 0 must have the empty tree's root",
            ));
        }
        // The log's own verified signature lines only (a submitter may add lines by other keys).
        let signed = verified_lines(req.note, text_end, &opened.verified_keys);
        match &latest {
            // From size 0 (nothing cosigned yet, or an empty tree) nothing needs proving.
            None => {
                if !req.proof.is_empty() {
                    return Err(inconsistent("a proof from size 0 must be empty"));
                }
            }
            Some(l) if l.size == 0 => {
                if !req.proof.is_empty() {
                    return Err(inconsistent("a proof from size 0 must be empty"));
                }
            }
            // The same size with another root, both signed by the log: a fork, proven. Keep
            // the request as evidence (once per root: an honest log cannot be made to look
            // guilty, and a forking one leaves one file per tree it showed).
            Some(l) if l.size == cp.size.get() && l.root != cp.root => {
                let _ = state.keep_evidence(
                    &cp.origin,
                    &format!("{}{signed}", &req.note[..text_end + 1]),
                );
                return Err(inconsistent(
                    "the checkpoint has the size of the latest one this witness cosigned and another root: the log forked",
                ));
            }
            Some(l) => {
                verify_consistency(
                    TreeSize::new(l.size),
                    cp.size,
                    &l.root,
                    &cp.root,
                    &req.proof,
                )
                .map_err(|_| {
                    inconsistent(
                        "the checkpoint is not consistent with the latest one this witness cosigned",
                    )
                })?;
            }
        }
        let cosignature = self
            .key
            .cosign(&opened.text, now)
            .map_err(|e| refuse(500, e.to_string()))?;
        // The checkpoint as cosigned: its text, the log's verified lines and this cosignature.
        let note = format!("{}{signed}{cosignature}", &req.note[..text_end + 2]);
        let new = Latest {
            size: cp.size.get(),
            root: cp.root,
            note,
        };
        match state.replace(&cp.origin, latest.as_ref(), &new) {
            Ok(true) => Ok(cosignature),
            Ok(false) => {
                let size = state
                    .latest(&cp.origin)
                    .ok()
                    .flatten()
                    .map_or(0, |l| l.size);
                Err(refuse(409, format!("{size}\n")))
            }
            Err(e) => Err(refuse(500, format!("witness state: {e}"))),
        }
    }
}

/// The signature lines of `note` (text ending at `text_end`) by the keys in `verified`
/// (`<name>+<hex id>`), each ending in a newline.
fn verified_lines(note: &str, text_end: usize, verified: &[String]) -> String {
    let mut out = String::new();
    for line in note[text_end + 2..].lines() {
        let Some((name, b64)) = line
            .strip_prefix("\u{2014} ")
            .and_then(|r| r.split_once(' '))
        else {
            continue;
        };
        let id = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .ok()
            .filter(|b| b.len() >= 4)
            .map(|b| format!("{name}+{:02x}{:02x}{:02x}{:02x}", b[0], b[1], b[2], b[3]));
        if id.is_some_and(|id| verified.contains(&id)) && !out.contains(line) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A witness state in memory (tests and benchmarks).
#[derive(Debug, Default)]
pub struct MemoryState {
    logs: std::sync::Mutex<HashMap<String, Latest>>,
    evidence: std::sync::Mutex<Vec<String>>,
}

impl MemoryState {
    /// The requests kept as evidence.
    pub fn evidence(&self) -> Vec<String> {
        self.evidence.lock().map(|e| e.clone()).unwrap_or_default()
    }
}

impl WitnessState for MemoryState {
    fn latest(&self, origin: &str) -> Result<Option<Latest>, String> {
        let logs = self.logs.lock().map_err(|_| "state poisoned".to_string())?;
        Ok(logs.get(origin).cloned())
    }

    fn replace(
        &self,
        origin: &str,
        expected: Option<&Latest>,
        new: &Latest,
    ) -> Result<bool, String> {
        let mut logs = self.logs.lock().map_err(|_| "state poisoned".to_string())?;
        let now = logs.get(origin);
        let same = match (now, expected) {
            (None, None) => true,
            (Some(a), Some(b)) => a.size == b.size && a.root == b.root,
            _ => false,
        };
        if same {
            logs.insert(origin.to_string(), new.clone());
        }
        Ok(same)
    }

    fn keep_evidence(&self, _origin: &str, request: &str) -> Result<(), String> {
        self.evidence
            .lock()
            .map_err(|_| "state poisoned".to_string())?
            .push(request.to_string());
        Ok(())
    }
}

/// The body of an `add-checkpoint` request: `old <size>`, the proof lines, a blank line, and
/// the signed checkpoint.
pub fn add_checkpoint_body(old: u64, proof: &[Hash], checkpoint_note: &str) -> String {
    let mut body = format!("old {old}\n");
    for h in proof {
        body.push_str(&h.to_base64());
        body.push('\n');
    }
    body.push('\n');
    body.push_str(checkpoint_note);
    body
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use super::*;
    use crate::cosignature::verify_cosignatures;
    use crate::tree::{Log, MemoryStore, NodeStore};
    use crate::{Signer, leaf_hash};

    struct Fork {
        log: Log,
        store: MemoryStore,
    }

    impl Fork {
        fn new() -> Fork {
            Fork {
                log: Log::new(),
                store: MemoryStore::new(),
            }
        }

        fn add(&mut self, leaf: &[u8]) {
            let (_, nodes) = self.log.append(leaf_hash(leaf));
            self.store.put_nodes(&nodes).unwrap();
        }

        fn checkpoint(&self, signer: &Signer) -> String {
            let cp = Checkpoint {
                origin: "custodian.test/log".into(),
                size: self.log.size(),
                root: self.log.root(),
                extensions: vec![],
            };
            signer.sign(&cp.to_text()).unwrap()
        }

        fn proof(&self, from: u64) -> Vec<Hash> {
            if from == 0 || from == self.log.size().get() {
                return Vec::new();
            }
            self.log
                .prove_consistency(&self.store, TreeSize::new(from), self.log.size())
                .unwrap()
                .path
        }
    }

    #[test]
    fn the_witness_cosigns_an_append_only_log_and_refuses_a_fork() {
        let log_key = Signer::from_seed("custodian.test/log", &[1; 32]).unwrap();
        let w = Witness::new(
            Cosigner::from_seed("witness.test/w", &[2; 32]).unwrap(),
            vec![("custodian.test/log".into(), vec![log_key.verifier()])],
        );
        let state = MemoryState::default();
        let (mut a, mut b) = (Fork::new(), Fork::new());
        for i in 0..5u8 {
            a.add(&[i]);
            b.add(&[i]);
        }
        let body = add_checkpoint_body(0, &[], &a.checkpoint(&log_key));
        let line = w.add_checkpoint(&state, &body, 100).unwrap();
        let cosigned = format!("{}{line}", a.checkpoint(&log_key));
        assert_eq!(
            verify_cosignatures(&cosigned, &[w.key().verifier()]).unwrap()[0].timestamp,
            100
        );
        // The same history grows: cosigned.
        a.add(b"a6");
        b.add(b"b6");
        let body = add_checkpoint_body(5, &a.proof(5), &a.checkpoint(&log_key));
        w.add_checkpoint(&state, &body, 101).unwrap();
        // The split view: another tree of the same size, signed by the same key.
        let split = add_checkpoint_body(6, &[], &b.checkpoint(&log_key));
        assert_eq!(
            w.add_checkpoint(&state, &split, 102).unwrap_err().status,
            422
        );
        let from5 = add_checkpoint_body(5, &b.proof(5), &b.checkpoint(&log_key));
        assert_eq!(
            w.add_checkpoint(&state, &from5, 102).unwrap_err(),
            refuse(409, "6\n")
        );
        assert_eq!(state.evidence().len(), 1, "the fork is kept as evidence");
        // A rollback to a smaller tree, a lie about the old size, an unknown log, a forged
        // signature.
        let back = add_checkpoint_body(6, &[], &Fork::new().checkpoint(&log_key));
        assert_eq!(
            w.add_checkpoint(&state, &back, 103).unwrap_err().status,
            400
        );
        let other = Signer::from_seed("custodian.test/other", &[3; 32]).unwrap();
        let unknown = add_checkpoint_body(0, &[], &{
            let cp = Checkpoint {
                origin: "custodian.test/other".into(),
                size: TreeSize::new(0),
                root: Hash::empty(),
                extensions: vec![],
            };
            other.sign(&cp.to_text()).unwrap()
        });
        assert_eq!(
            w.add_checkpoint(&state, &unknown, 103).unwrap_err().status,
            404
        );
        let impostor = Signer::from_seed("custodian.test/log", &[4; 32]).unwrap();
        a.add(b"a7");
        let forged = add_checkpoint_body(6, &a.proof(6), &a.checkpoint(&impostor));
        assert_eq!(
            w.add_checkpoint(&state, &forged, 104).unwrap_err().status,
            403
        );
        // The honest log goes on.
        let next = add_checkpoint_body(6, &a.proof(6), &a.checkpoint(&log_key));
        w.add_checkpoint(&state, &next, 105).unwrap();
        assert_eq!(state.latest("custodian.test/log").unwrap().unwrap().size, 7);
    }

    #[test]
    fn forged_lines_are_dropped_an_empty_tree_grows_and_bad_proofs_are_no_evidence() {
        let log_key = Signer::from_seed("custodian.test/log", &[1; 32]).unwrap();
        let w = Witness::new(
            Cosigner::from_seed("witness.test/w", &[2; 32]).unwrap(),
            vec![("custodian.test/log".into(), vec![log_key.verifier()])],
        );
        let state = MemoryState::default();
        let mut a = Fork::new();
        // Size 0 first, then growth from it with no proof.
        w.add_checkpoint(
            &state,
            &add_checkpoint_body(0, &[], &a.checkpoint(&log_key)),
            1,
        )
        .unwrap();
        a.add(b"x");
        a.add(b"y");
        // A line claiming another witness's name, added by the submitter.
        let other = Cosigner::from_seed("witness.test/other", &[5; 32]).unwrap();
        let forged = format!(
            "{}\u{2014} witness.test/other {}\n",
            a.checkpoint(&log_key),
            base64::engine::general_purpose::STANDARD.encode([0u8; 76])
        );
        w.add_checkpoint(&state, &add_checkpoint_body(0, &[], &forged), 2)
            .unwrap();
        let kept = state.latest("custodian.test/log").unwrap().unwrap();
        assert_eq!(kept.size, 2);
        assert!(!kept.note.contains("witness.test/other"), "{}", kept.note);
        let valid = verify_cosignatures(&kept.note, &[w.key().verifier(), other.verifier()]);
        assert_eq!(valid.unwrap().len(), 1);
        // A wrong proof from the latest size: refused, and no evidence of anything.
        a.add(b"z");
        let bad = add_checkpoint_body(2, &[Hash::empty()], &a.checkpoint(&log_key));
        assert_eq!(w.add_checkpoint(&state, &bad, 3).unwrap_err().status, 422);
        assert!(state.evidence().is_empty());
    }
}
