//! `custodian keys`: the key hierarchy's status, and rotations on demand.
//!
//! These open the cell directly: with SQLite, stop `custodian serve` first (one process holds the
//! store), or use the admin routes `GET /v1/keyring` and `POST /v1/keyring/rotate`.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use custodian_core::access::AdminScope;

use crate::serve::{CellArgs, cell_settings, open_existing};

/// `custodian keys …`.
#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Where the KEK and epoch keys are, the current epoch, and each epoch's state and keys.
    Status {
        #[command(flatten)]
        cell: CellArgs,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Rotate the epoch (the default: every key re-wrapped under a new epoch, older epochs
    /// destroyed), or the KEK (epoch keys re-wrapped under a new KEK, the old one destroyed).
    Rotate {
        #[command(flatten)]
        cell: CellArgs,
        /// Rotate the epoch (the default).
        #[arg(long, conflicts_with = "kek")]
        epoch: bool,
        /// Rotate the key-encryption key instead.
        #[arg(long)]
        kek: bool,
    },
}

/// Milliseconds since the epoch as RFC 3339 UTC (to the second).
pub(crate) fn time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Runs `custodian keys …`.
pub fn run(cmd: KeysCommand) -> Result<ExitCode> {
    match cmd {
        KeysCommand::Status { cell, json } => {
            let (vault, store) = open_existing(&cell_settings(&cell)?)?;
            let st = vault.key_status(&AdminScope::new())?;
            if json {
                let epochs: Vec<_> = st
                    .epochs
                    .iter()
                    .map(|e| {
                        serde_json::json!({
                            "epoch": e.epoch,
                            "created_at": e.created_at.map(time),
                            "retired_at": e.retired_at.map(time),
                            "held": e.held,
                            "subject_keys": e.subject_keys,
                        })
                    })
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "holder": st.holder,
                        "current_epoch": st.current,
                        "epochs": epochs,
                    }))?
                );
            } else {
                println!("key holder: {}", st.holder);
                println!("current epoch: {}", st.current);
                println!(
                    "{:>6}  {:<20}  {:<20}  {:<9}  subject keys",
                    "epoch", "created", "retired", "key"
                );
                for e in &st.epochs {
                    println!(
                        "{:>6}  {:<20}  {:<20}  {:<9}  {}",
                        e.epoch,
                        e.created_at.map_or_else(|| "(before epochs)".into(), time),
                        e.retired_at.map_or_else(|| "-".into(), time),
                        if e.held { "held" } else { "destroyed" },
                        e.subject_keys
                    );
                }
            }
            drop(vault);
            store.close();
        }
        KeysCommand::Rotate {
            cell,
            epoch: _,
            kek,
        } => {
            let (vault, store) = open_existing(&cell_settings(&cell)?)?;
            if kek {
                vault.rotate_kek(&AdminScope::new())?;
                println!(
                    "KEK rotated: epoch keys re-wrapped under a new KEK, the old one destroyed"
                );
            } else {
                let r = vault.rotate_epoch(&AdminScope::new())?;
                println!(
                    "epoch rotated {} → {}: {} subject key(s) and {} tenant key(s) re-wrapped; epochs destroyed: {}",
                    r.from,
                    r.to,
                    r.subject_keys,
                    r.tenant_keys,
                    if r.destroyed.is_empty() {
                        "none".to_string()
                    } else {
                        r.destroyed
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                );
            }
            drop(vault);
            store.close();
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_rfc3339() {
        assert_eq!(super::time(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::time(1_798_934_400_000), "2027-01-03T00:00:00Z");
        assert_eq!(super::time(951_825_599_000), "2000-02-29T11:59:59Z");
    }
}
