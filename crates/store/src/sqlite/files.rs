//! The store's files and directories: the owner's alone from their creation.

use std::path::Path;

use custodian_core::store::StoreError;

/// Before anything is made: refuses a `keys.db` without its `vault.db` (an empty vault.db is the
/// one a refused open left). A file there but unreadable is not a missing one, nor is a link to
/// a file that is not there (a volume not mounted).
pub(crate) fn data_beside_keys(dir: &Path) -> Result<(), StoreError> {
    let size = |f: &str| {
        let path = dir.join(f);
        let cannot =
            |why: String| StoreError::Backend(format!("cannot read `{}`: {why}", path.display()));
        match std::fs::metadata(&path) {
            Ok(m) => Ok(m.len()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                match std::fs::symlink_metadata(&path) {
                    Ok(_) => Err(cannot(
                        "it is a link to a file that is not there (a volume not mounted?)".into(),
                    )),
                    Err(_) => Ok(0),
                }
            }
            Err(e) => Err(cannot(e.to_string())),
        }
    };
    if size("vault.db")? == 0 && size("keys.db")? > 0 {
        return Err(StoreError::Backend(format!(
            "`{}` holds a keys.db but no vault.db (the data is not here: a volume not mounted, \
             one file copied without the other); refusing to open, which would start an empty \
             cell beside its keys — put the cell's vault.db back, or restore a backup with \
             `custodian restore`",
            dir.display()
        )));
    }
    Ok(())
}

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
