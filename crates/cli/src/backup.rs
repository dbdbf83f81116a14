//! `custodian backup` and `custodian restore`.
//!
//! A backup is a directory: `vault.db` and `keys.db` in the SQLite store's layout (whatever the
//! backend), `checkpoint` (the cell's signed checkpoint of exactly the backup's ledger) and
//! `backup.json` (what it holds). It never holds the KEK or an epoch key: its keys open only
//! while the epochs they are wrapped under exist, so an erasure reaches every older backup at
//! the next epoch rotation. Taking one is recorded in the ledger.
//!
//! A restore refuses a backup whose ledger does not match its own signed checkpoint (verified
//! with the cell's ledger key), restores beside the cell's current keys where it has them, and
//! records the restore and every subject erased since the backup in the ledger.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use custodian_core::access::AdminScope;
use custodian_core::keyring::LEGACY_EPOCH;
use custodian_ledger::{Checkpoint, note};
use custodian_store::PgStore;
use custodian_store::backup::{KeysFrom, backup_ledger, key_epochs_in, restore_sqlite};

use crate::serve::{CellArgs, Database, cell_settings, open_existing};

/// Arguments of `custodian backup`.
#[derive(Args, Debug)]
pub struct BackupArgs {
    #[command(flatten)]
    cell: CellArgs,
    /// The directory to write the backup into (new or empty).
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `custodian restore`.
#[derive(Args, Debug)]
pub struct RestoreArgs {
    #[command(flatten)]
    cell: CellArgs,
    /// The backup directory.
    dir: PathBuf,
    /// Use the backup's keys when the cell has none of its own (its key file is lost, or it
    /// runs on PostgreSQL): they open only while their epochs exist, and subjects erased after
    /// the backup come back until erased again.
    #[arg(long)]
    keys_from_backup: bool,
}

/// Runs `custodian backup`.
pub fn backup(a: BackupArgs) -> Result<ExitCode> {
    if a.out.exists()
        && std::fs::read_dir(&a.out)
            .with_context(|| format!("cannot read `{}`", a.out.display()))?
            .next()
            .is_some()
    {
        bail!(
            "`{}` is not empty: back up into a new directory",
            a.out.display()
        );
    }
    let s = cell_settings(&a.cell)?;
    let (vault, store) = open_existing(&s).context(
        "cannot open the cell (while `custodian serve` runs on SQLite, ask it instead: \
         POST /v1/backups with the admin key)",
    )?;
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(&a.out)
        .with_context(|| format!("cannot create `{}`", a.out.display()))?;
    let taken = vault.backup(&AdminScope::new(), &a.out)?;
    drop(vault);
    store.close();
    std::fs::write(a.out.join("checkpoint"), &taken.checkpoint)?;
    let (size, root) = backup_ledger(&a.out)?;
    let signed = signed_checkpoint(&taken.checkpoint, &s.ledger_verifier()?)?;
    if (size, root) != (signed.size, signed.root) {
        bail!("the backup's ledger does not match the checkpoint signed for it");
    }
    let epochs = key_epochs_in(&a.out)?;
    std::fs::write(a.out.join("backup.json"), taken.describe_json())?;
    println!(
        "backup written to {}: ledger of {} entries (checkpoint signed), keys under epoch(s) {:?} — \
         readable only while those epochs exist; no KEK or epoch key in it",
        a.out.display(),
        size.get(),
        epochs
    );
    Ok(ExitCode::SUCCESS)
}

fn signed_checkpoint(text: &str, verifier: &custodian_ledger::Verifier) -> Result<Checkpoint> {
    let n = note::open(text, std::slice::from_ref(verifier))
        .map_err(|e| anyhow::anyhow!("the backup's checkpoint: {e}"))?;
    if n.verified_by.is_empty() {
        bail!("the backup's checkpoint is not signed by this cell's ledger key");
    }
    Checkpoint::parse(&n.text).map_err(|e| anyhow::anyhow!("the backup's checkpoint: {e}"))
}

/// Runs `custodian restore`.
pub fn restore(a: RestoreArgs) -> Result<ExitCode> {
    let s = cell_settings(&a.cell)?;
    let text = std::fs::read_to_string(a.dir.join("checkpoint"))
        .with_context(|| format!("`{}` has no checkpoint", a.dir.display()))?;
    let cp = signed_checkpoint(&text, &s.ledger_verifier()?)?;
    let (size, root) = backup_ledger(&a.dir)?;
    if (size, root) != (cp.size, cp.root) {
        bail!(
            "the backup's ledger ({} entries) does not match its signed checkpoint ({} entries): \
             it was altered, or the checkpoint belongs to another backup",
            size.get(),
            cp.size.get()
        );
    }
    let holder = custodian_keys::open_holder(s.kek(), false)?;
    let store_dir = s.data_dir().join("store");
    let own_keys = matches!(s.database(), Database::Sqlite) && store_dir.join("keys.db").exists();
    let keys_dir = if own_keys {
        store_dir.clone()
    } else if a.keys_from_backup {
        a.dir.clone()
    } else {
        bail!(
            "the cell has no key file of its own to restore beside: pass --keys-from-backup to use \
             the backup's (they open only while their epochs exist; subjects erased after the \
             backup come back until erased again)"
        );
    };
    let held = holder.held_epochs()?;
    let missing: Vec<u32> = key_epochs_in(&keys_dir)?
        .into_iter()
        .filter(|e| *e != LEGACY_EPOCH && !held.contains(e))
        .collect();
    if !missing.is_empty() {
        bail!(
            "the keys to restore with are wrapped under epoch(s) {missing:?}, which the key holder \
             no longer has (rotated away after the backup): their values cannot be read. Restore \
             beside the cell's current keys instead"
        );
    }
    let (erased_since, held, rekeyed_since, subjects, values, keys_from) = match s.database() {
        Database::Sqlite => {
            let r = restore_sqlite(&a.dir, &store_dir, a.keys_from_backup)?;
            (
                r.erased_since,
                r.erased_under_hold,
                r.rekeyed_since,
                r.subjects,
                r.values,
                r.keys_from,
            )
        }
        Database::Postgres(url) => {
            let pg = PgStore::open(url)?;
            pg.restore(&a.dir)?;
            pg.close();
            (vec![], vec![], vec![], 0, 0, KeysFrom::Backup)
        }
    };
    // The vault records the restore (and the erasures it made) as it opens.
    let (vault, store) = open_existing(&s)?;
    drop(vault);
    store.close();
    println!(
        "restored {} (ledger of {} entries, checkpoint verified){}; keys from {}",
        a.dir.display(),
        size.get(),
        if subjects > 0 {
            format!(": {subjects} subject(s), {values} value(s)")
        } else {
            String::new()
        },
        match keys_from {
            KeysFrom::Current => "the cell's own key file",
            KeysFrom::Backup => "the backup",
        }
    );
    if !erased_since.is_empty() {
        println!(
            "{} subject(s) erased since the backup stay erased (no key): their values were deleted \
             and the ledger records each",
            erased_since.len()
        );
    }
    if !held.is_empty() {
        println!(
            "warning: {} of them the backup holds under a legal hold: their holds were released \
             after the backup, or their keys were removed outside Custodian (the ledger records \
             them as erased_since_backup_held_in_it)",
            held.len()
        );
    }
    if !rekeyed_since.is_empty() {
        println!(
            "{} subject(s) re-keyed since the backup (rectified or swept): the backup's values of \
             them were sealed under keys the cell no longer keeps and were deleted; collect them \
             again",
            rekeyed_since.len()
        );
    }
    println!(
        "the ledger now continues from entry {}: checkpoints signed after the backup are not \
         consistent with it, and a witness that cosigned one stops `custodian serve` until its \
         operator, told of the restore, runs `custodian witness forget` (which keeps the old \
         history as evidence)",
        size.get()
    );
    Ok(ExitCode::SUCCESS)
}
