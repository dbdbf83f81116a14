//! The demo's folder: a fresh cell each run.

use std::path::Path;

/// Refuses a `--data-dir` that holds anything: the demo starts a fresh cell, and a cell left by
/// an earlier run would make its checks fail.
pub(super) fn fresh(dir: Option<&Path>) -> anyhow::Result<()> {
    if let Some(d) = dir
        && std::fs::read_dir(d).is_ok_and(|mut e| e.next().is_some())
    {
        anyhow::bail!(
            "`{}` is not empty: the demo runs a fresh cell; name a new or empty directory (or \
             none: a temporary one)",
            d.display()
        );
    }
    Ok(())
}
