//! The ledger's parsers of untrusted input never panic: checkpoints, signed notes, verifier
//! keys, proof files, canonical entries; and what parses round-trips.
#![no_main]

use custodian_ledger::{Checkpoint, Entry, ProofFile, Signer, Verifier, note};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(e) = Entry::decode(data) {
        assert_eq!(e.encode().expect("decoded entries encode"), data);
    }
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(cp) = Checkpoint::parse(s) {
        assert_eq!(cp.to_text(), s);
    }
    let known = Signer::from_seed("fuzz.example/log", &[3; 32]).expect("valid name").verifier();
    let _ = note::open(s, &[known]);
    let _ = Verifier::parse(s);
    let _ = Signer::parse(s);
    if let Ok(p) = serde_json::from_str::<ProofFile>(s) {
        if let ProofFile::Inclusion { index, tree_size, entry, leaf_hash, proof } = &p {
            let _ = custodian_ledger::proofs::inclusion_claim(*index, *tree_size, entry.as_deref(), leaf_hash.as_deref(), proof);
        }
    }
});
