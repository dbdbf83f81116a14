//! The vault core's readers of untrusted input never panic: a manifest (TOML and the
//! necessary-PI check), a signed order (note, canonical form, content), and the AEAD open path
//! of a wrapped key with the input flipping bits of a real blob — which must then fail unless
//! nothing changed.
#![no_main]

use custodian_core::crypto::{DataKey, unwrap_key, wrap_key};
use custodian_core::manifest::Manifest;
use custodian_ledger::Signer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // AEAD: a real wrapped key, mutated by the input (byte i XOR data[i]).
    let kek = [7u8; 32];
    let key = DataKey::from_slice(&[9u8; 32]).expect("32 bytes");
    let blob = wrap_key(&kek, &key, b"subject:fuzz").expect("wraps");
    let mut mutated = blob.clone();
    for (b, d) in mutated.iter_mut().zip(data) {
        *b ^= d;
    }
    // A shorter input cuts the blob short.
    mutated.truncate(data.len().max(1));
    let opened = unwrap_key(&kek, &mutated, b"subject:fuzz");
    if mutated == blob {
        assert_eq!(opened.expect("unchanged opens").bytes(), key.bytes());
    } else {
        assert!(opened.is_err(), "a changed blob opened");
    }
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Manifest::load(s);
    let regulator = Signer::from_seed("cac.example/orders", &[5; 32])
        .expect("valid name")
        .verifier();
    let _ = custodian_core::orders::open(s, std::slice::from_ref(&regulator));
    let _ = custodian_core::orders::verify(s, std::slice::from_ref(&regulator), 0, &|_, _| false);
});
