//! The README's library example, compiled and run: a cell in a temporary directory, the
//! ride-hailing manifest, one rider, one phone number collected and read back.
//!
//! `cargo run -p custodian-store --example quickstart`
use std::sync::Arc;

use custodian_core::crypto::FileKek;
use custodian_core::ids::{FieldName, Jurisdiction, PurposeId, ServiceName, TenantId};
use custodian_core::{Reveal, Vault, VaultConfig};
use custodian_store::SqliteStore;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = Arc::new(SqliteStore::open(dir.path())?);
    let kek = Arc::new(FileKek::load_or_create(&dir.path().join("kek.key"))?);
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
        },
    )?;
    let ride = TenantId::parse("ride")?;
    vault.load_manifest(&ride, custodian_core::conformance::RIDE_HAILING)?;
    let rider = vault.register(&ride, &cn, false)?;
    let (svc, dispatch) = (
        ServiceName::parse("dispatch-svc")?,
        PurposeId::parse("dispatch")?,
    );
    let tokens = vault.collect(
        &ride,
        &svc,
        &rider,
        &dispatch,
        &[(FieldName::parse("phone")?, "13812345678")],
    )?;
    println!("token: {}", tokens[0].token);
    let back = vault.detokenize(
        &ride,
        &svc,
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
