//! The ledger's parsers of untrusted input never panic: checkpoints, signed notes, verifier
//! keys, proof files, canonical entries, cosignatures and witness `add-checkpoint` bodies;
//! and what parses round-trips.
#![no_main]

use custodian_ledger::witness::{MemoryState, Witness};
use custodian_ledger::{
    Checkpoint, CosignatureVerifier, Cosigner, Entry, ProofFile, Signer, Verifier, note,
    verify_cosignatures,
};
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
    let known = Signer::from_seed("fuzz.example/log", &[3; 32])
        .expect("valid name")
        .verifier();
    let _ = note::open(s, std::slice::from_ref(&known));
    let _ = Verifier::parse(s);
    let _ = CosignatureVerifier::parse(s);
    let _ = Cosigner::parse(s);
    let w = Cosigner::from_seed("fuzz.example/w", &[4; 32]).expect("valid name");
    let _ = verify_cosignatures(s, &[w.verifier()]);
    let witness = Witness::new(w, vec![("fuzz.example/log".into(), vec![known.clone()])]);
    let _ = witness.add_checkpoint(&MemoryState::default(), s, 1);
    let _ = Signer::parse(s);
    if let Ok(p) = serde_json::from_str::<ProofFile>(s) {
        if let ProofFile::Inclusion {
            index,
            tree_size,
            entry,
            leaf_hash,
            proof,
        } = &p
        {
            let _ = custodian_ledger::proofs::inclusion_claim(
                *index,
                *tree_size,
                entry.as_deref(),
                leaf_hash.as_deref(),
                proof,
            );
        }
    }
});
