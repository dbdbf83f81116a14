//! The store's files and directories: the owner's alone from their creation.

use std::path::Path;

use custodian_core::store::StoreError;

/// Creates `dir` (and its parents) readable by the owner only (0700 on Unix); an existing one
/// is narrowed to that.
pub(crate) fn private_dir(dir: &Path) -> Result<(), StoreError> {
    let bad =
        |e: std::io::Error| StoreError::Backend(format!("cannot create `{}`: {e}", dir.display()));
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        b.mode(0o700);
        b.create(dir).map_err(bad)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(bad)?;
    }
    #[cfg(not(unix))]
    b.create(dir).map_err(bad)?;
    Ok(())
}

/// Creates `path` empty if missing, readable by the owner only (0600 on Unix); an existing one
/// is narrowed to that.
pub(crate) fn private_file(path: &Path) -> Result<(), StoreError> {
    let bad =
        |e: std::io::Error| StoreError::Backend(format!("cannot create `{}`: {e}", path.display()));
    let mut o = std::fs::OpenOptions::new();
    o.create(true).truncate(false).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        o.mode(0o600);
        o.open(path).map_err(bad)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(bad)?;
    }
    #[cfg(not(unix))]
    o.open(path).map_err(bad)?;
    Ok(())
}

/// The store's directory and both database files, the owner's alone from their creation
/// (SQLite gives a write-ahead log the mode of its database).
pub(crate) fn private_store(dir: &Path) -> Result<(), StoreError> {
    private_dir(dir)?;
    for name in ["vault.db", "keys.db"] {
        private_file(&dir.join(name))?;
    }
    Ok(())
}
