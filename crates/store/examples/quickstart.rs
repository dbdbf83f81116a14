//! The README's library example, compiled and run: a cell in a temporary directory, the
//! ride-hailing manifest, one rider, one phone number collected and read back.
//!
//! `cargo run -p custodian-store --example quickstart`
use std::sync::Arc;

use custodian_core::access::{AdminScope, ServiceScope};
use custodian_core::ids::{FieldName, Jurisdiction, PurposeId, ServiceName, TenantId};
use custodian_core::{Reveal, Vault, VaultConfig};
use custodian_keys::FileKeys;
use custodian_store::SqliteStore;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = Arc::new(SqliteStore::open(dir.path())?);
    let kek = Arc::new(FileKeys::open(&dir.path().join("kek.key"))?);
    let signer = custodian_ledger::Signer::generate("custodian.example/cn/ledger")?;
    let cn = Jurisdiction::parse("CN")?;
    let vault = Vault::open(
        store,
        kek,
        signer,
        VaultConfig {
            jurisdiction: cn.clone(),
            origin: "custodian.example/cn/ledger".into(),
            regulator_keys: vec![],
            peers: vec![],
        },
    )?;
    let ride = TenantId::parse("ride")?;
    let manifest = include_str!("../../../examples/ride_hailing.toml");
    vault.load_manifest(&AdminScope::new(), &ride, manifest)?;
    // The dispatch service of the ride-hailing tenant acts; a rider registers as a passenger.
    let dispatch_svc = ServiceScope::new(ride, ServiceName::parse("dispatch-svc")?);
    let rider = vault.register(&dispatch_svc, &cn, None, false)?;
    let dispatch = PurposeId::parse("dispatch")?;
    let tokens = vault.collect(
        &dispatch_svc,
        &rider,
        &dispatch,
        &[(FieldName::parse("phone")?, "13812345678")],
    )?;
    println!("token: {}", tokens[0].token);
    let back = vault.detokenize(
        &dispatch_svc,
        &dispatch,
        &[tokens[0].token.clone()],
        Reveal::Default,
    )?;
    println!(
        "read back (masked by the manifest): {}",
        back[0].value.expose()
    );
    println!("ledger checkpoint:\n{}", vault.checkpoint()?);
    Ok(())
}
