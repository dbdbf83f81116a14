//! tmp
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
pub fn t() -> Vec<u8> {
    let key = [0u8; 32];
    let c = XChaCha20Poly1305::new((&key).into());
    let n = [0u8; 24];
    c.encrypt(XNonce::from_slice(&n), Payload { msg: b"x", aad: b"y" }).unwrap_or_default()
}
