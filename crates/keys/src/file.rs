//! The KEK in a key file and the epoch keys beside it, each wrapped by the KEK.
//!
//! Layout, for a KEK at `P` (say `/etc/custodian/kek.key`):
//!
//! ```text
//! P                       32 random bytes, mode 0600
//! P.epochs/               mode 0700 (`kek.key` → `kek.epochs/`)
//!     epoch-00000001.key  the epoch key wrapped by the KEK (XChaCha20-Poly1305, bound to its number)
//! ```
//!
//! Destroying an epoch overwrites its file with zeros, syncs it, then unlinks it. Rotating the
//! KEK writes the new KEK and every epoch re-wrapped under it beside the old files, then
//! renames the new KEK into place (the commit point) and the epochs after it; the old KEK is
//! overwritten once nothing needs it. [`FileKeys::open`] finishes or undoes a rotation a crash
//! interrupted.
//!
//! What a file can and cannot do: overwriting a file in place reaches the disk blocks on most
//! filesystems but not on copy-on-write ones or through SSD wear levelling, and nothing stops
//! whoever can read the file from copying it. Keep the KEK outside the data directory (and out
//! of its backups), or use a PKCS#11 token, where keys never leave the device.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use custodian_core::CoreError;
use custodian_core::crypto::{self, DataKey};
use custodian_core::keyring::{Epoch, KeyHolder, LEGACY_EPOCH, epoch_key_aad};
use zeroize::{Zeroize, Zeroizing};

/// Refuses a key file that the owner's group or others may read or write (Unix modes): a key
/// readable by other accounts of the machine is not the cell's alone.
pub fn owners_alone(path: &Path) -> Result<(), CoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| io("read", path, e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(CoreError::Keys(format!(
                "the key file `{}` is open to group or others (mode {:o}): it must be the \
                 owner's alone (chmod 600 `{}`)",
                path.display(),
                mode & 0o777,
                path.display()
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn io(what: &str, path: &Path, e: std::io::Error) -> CoreError {
    CoreError::Keys(format!("cannot {what} `{}`: {e}", path.display()))
}

fn poisoned() -> CoreError {
    CoreError::Keys("key holder poisoned".into())
}

/// Writes `bytes` to a new file (mode 0600) and syncs it.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), CoreError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| io("create", path, e))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| io("write", path, e))
}

/// Creates `path` holding `bytes` unless it exists: written whole under a name of its own, then
/// linked into place. The link fails if another process sharing the directory created the file
/// first, and that file stands; no process ever reads a file half written.
fn create_whole(path: &Path, bytes: &[u8]) -> Result<(), CoreError> {
    let tmp = suffixed(path, &format!("{}.tmp", crypto::random_hex(8)?));
    write_new(&tmp, bytes)?;
    match std::fs::hard_link(&tmp, path) {
        // The temporary name is a second name of the new file now: unlink only.
        Ok(()) => std::fs::remove_file(&tmp).map_err(|e| io("remove", &tmp, e))?,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => scrub(&tmp)?,
        Err(e) => {
            scrub(&tmp)?;
            return Err(io("link", path, e));
        }
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    sync_dir(parent)
}

/// Syncs a directory, so the renames and unlinks in it are durable.
fn sync_dir(dir: &Path) -> Result<(), CoreError> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io("sync", dir, e))
}

/// Overwrites a file with zeros, syncs it, and unlinks it. A missing file is not an error.
fn scrub(path: &Path) -> Result<(), CoreError> {
    let len = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io("read", path, e)),
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| io("open", path, e))?;
    let zeros = vec![0u8; usize::try_from(len).unwrap_or(0)];
    f.write_all(&zeros)
        .and_then(|()| f.sync_all())
        .map_err(|e| io("overwrite", path, e))?;
    drop(f);
    std::fs::remove_file(path).map_err(|e| io("remove", path, e))
}

fn read_key(path: &Path) -> Result<Zeroizing<[u8; 32]>, CoreError> {
    let mut bytes = std::fs::read(path).map_err(|e| io("read", path, e))?;
    let key = <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
        CoreError::Keys(format!(
            "key file `{}` does not hold 32 bytes",
            path.display()
        ))
    });
    bytes.zeroize();
    Ok(Zeroizing::new(key?))
}

/// The KEK in a file and the epoch keys in a directory beside it.
pub struct FileKeys {
    kek_path: PathBuf,
    epochs_dir: PathBuf,
    state: Mutex<State>,
}

struct State {
    kek: Zeroizing<[u8; 32]>,
    /// Epoch keys read so far (unwrapped).
    epochs: BTreeMap<Epoch, DataKey>,
}

impl std::fmt::Debug for FileKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileKeys")
            .field("kek", &self.kek_path)
            .finish_non_exhaustive()
    }
}

impl FileKeys {
    /// Opens the KEK at `kek_path` (creating it, mode 0600, if it does not exist) and its epoch
    /// directory; finishes or undoes a KEK rotation a crash interrupted.
    pub fn open(kek_path: &Path) -> Result<FileKeys, CoreError> {
        FileKeys::open_with(kek_path, true)
    }

    /// As [`FileKeys::open`], but a missing KEK is an error (maintenance of an existing cell).
    pub fn open_existing(kek_path: &Path) -> Result<FileKeys, CoreError> {
        FileKeys::open_with(kek_path, false)
    }

    fn open_with(kek_path: &Path, create: bool) -> Result<FileKeys, CoreError> {
        if !create && !kek_path.exists() {
            return Err(CoreError::Keys(format!(
                "no key-encryption key at `{}`: name the cell's KEK file (--kek-file, `kek`, \
                 CUSTODIAN_KEK)",
                kek_path.display()
            )));
        }
        let epochs_dir = kek_path.with_extension("epochs");
        let next = suffixed(kek_path, "next");
        let old = suffixed(kek_path, "old");
        if std::fs::exists(&next).map_err(|e| io("read", &next, e))? {
            // The rotation did not reach its commit point: the old KEK and epochs stand.
            if std::fs::exists(&old).map_err(|e| io("read", &old, e))? {
                // A second name of the current KEK: unlink, never overwrite.
                std::fs::remove_file(&old).map_err(|e| io("remove", &old, e))?;
            }
            scrub(&next)?;
            for p in files_ending(&epochs_dir, ".key.next")? {
                scrub(&p)?;
            }
        } else {
            // Committed (or none): move the re-wrapped epochs in, scrub the old KEK.
            for p in files_ending(&epochs_dir, ".key.next")? {
                let to = p.with_extension("");
                std::fs::rename(&p, &to).map_err(|e| io("rename", &p, e))?;
            }
            if epochs_dir.exists() {
                sync_dir(&epochs_dir)?;
            }
            scrub(&old)?;
        }
        // Temporary files a crash left: keys that never wrapped anything. Never a second name
        // of a live file (those are unlinked right after linking); a minute old, so not one
        // another process is about to link.
        for p in files_ending(&epochs_dir, ".tmp")? {
            let stale = std::fs::metadata(&p)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 60);
            if stale {
                scrub(&p)?;
            }
        }
        if !kek_path.exists() {
            let k = crypto::random_key()?;
            create_whole(kek_path, k.as_ref())?;
        }
        owners_alone(kek_path)?;
        let kek = read_key(kek_path)?;
        Ok(FileKeys {
            kek_path: kek_path.to_path_buf(),
            epochs_dir,
            state: Mutex::new(State {
                kek,
                epochs: BTreeMap::new(),
            }),
        })
    }

    /// Where the KEK is.
    pub fn kek_path(&self) -> &Path {
        &self.kek_path
    }

    fn epoch_path(&self, epoch: Epoch) -> PathBuf {
        self.epochs_dir.join(format!("epoch-{epoch:08}.key"))
    }

    fn ensure_dir(&self) -> Result<(), CoreError> {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(&self.epochs_dir)
            .map_err(|e| io("create", &self.epochs_dir, e))
    }

    /// The epoch's key, read from its file if not yet read; `None` if it has no file.
    fn epoch_key(&self, st: &mut State, epoch: Epoch) -> Result<Option<DataKey>, CoreError> {
        if let Some(k) = st.epochs.get(&epoch) {
            return Ok(Some(k.clone()));
        }
        let path = self.epoch_path(epoch);
        let blob = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io("read", &path, e)),
        };
        let key = match crypto::unwrap_key(&st.kek, &blob, &epoch_key_aad(epoch)) {
            Ok(k) => k,
            Err(_) => {
                // Another process sharing the directory may have rotated the KEK: read it again.
                let current = read_key(&self.kek_path)?;
                let k =
                    crypto::unwrap_key(&current, &blob, &epoch_key_aad(epoch)).map_err(|_| {
                        CoreError::Keys(format!(
                            "epoch key `{}` does not open under the KEK `{}`",
                            path.display(),
                            self.kek_path.display()
                        ))
                    })?;
                st.kek = current;
                k
            }
        };
        st.epochs.insert(epoch, key.clone());
        Ok(Some(key))
    }

    fn held(&self) -> Result<Vec<Epoch>, CoreError> {
        let mut out = Vec::new();
        for p in files_ending(&self.epochs_dir, ".key")? {
            let n = p
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix("epoch-"))
                .and_then(|n| n.strip_suffix(".key"))
                .and_then(|n| n.parse::<Epoch>().ok());
            if let Some(n) = n {
                out.push(n);
            }
        }
        out.sort_unstable();
        Ok(out)
    }
}

fn suffixed(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

/// Files in `dir` whose names end with `ending` (none if `dir` does not exist).
fn files_ending(dir: &Path, ending: &str) -> Result<Vec<PathBuf>, CoreError> {
    let rd = match std::fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(io("read", dir, e)),
    };
    let mut out = Vec::new();
    for ent in rd {
        let ent = ent.map_err(|e| io("read", dir, e))?;
        if ent
            .file_name()
            .to_str()
            .is_some_and(|n| n.ends_with(ending))
        {
            out.push(ent.path());
        }
    }
    out.sort();
    Ok(out)
}

impl KeyHolder for FileKeys {
    fn describe(&self) -> String {
        format!("file {}", self.kek_path.display())
    }

    // In memory but for a first use of an epoch (its file read) and a KEK rotation in this
    // process (the state's lock held across a few syncs): short, rare waits.
    fn in_process(&self) -> bool {
        true
    }

    fn held_epochs(&self) -> Result<Vec<Epoch>, CoreError> {
        let held = self.held()?;
        // Forget epochs another process destroyed.
        self.state
            .lock()
            .map_err(|_| poisoned())?
            .epochs
            .retain(|e, _| held.contains(e));
        Ok(held)
    }

    fn create_epoch(&self, epoch: Epoch) -> Result<(), CoreError> {
        if epoch == LEGACY_EPOCH {
            return Err(CoreError::Keys("epoch 0 is the KEK itself".into()));
        }
        let st = self.state.lock().map_err(|_| poisoned())?;
        let path = self.epoch_path(epoch);
        if path.exists() {
            return Ok(());
        }
        self.ensure_dir()?;
        let key = DataKey::generate()?;
        let blob = crypto::wrap_key(&st.kek, &key, &epoch_key_aad(epoch))?;
        create_whole(&path, &blob)
    }

    fn destroy_epoch(&self, epoch: Epoch) -> Result<(), CoreError> {
        if epoch == LEGACY_EPOCH {
            return Err(CoreError::Keys(
                "epoch 0 is the KEK itself: rotate the KEK instead".into(),
            ));
        }
        let mut st = self.state.lock().map_err(|_| poisoned())?;
        st.epochs.remove(&epoch);
        scrub(&self.epoch_path(epoch))?;
        if self.epochs_dir.exists() {
            sync_dir(&self.epochs_dir)?;
        }
        Ok(())
    }

    fn wrap(&self, epoch: Epoch, key: &DataKey, aad: &[u8]) -> Result<Vec<u8>, CoreError> {
        let mut st = self.state.lock().map_err(|_| poisoned())?;
        let k = self
            .epoch_key(&mut st, epoch)?
            .ok_or_else(|| missing(&self.kek_path, epoch))?;
        crypto::wrap_key(k.bytes(), key, aad)
    }

    fn unwrap(&self, epoch: Epoch, blob: &[u8], aad: &[u8]) -> Result<DataKey, CoreError> {
        let mut st = self.state.lock().map_err(|_| poisoned())?;
        if epoch == LEGACY_EPOCH {
            return crypto::unwrap_key(&st.kek, blob, aad);
        }
        let k = self
            .epoch_key(&mut st, epoch)?
            .ok_or_else(|| missing(&self.kek_path, epoch))?;
        drop(st);
        crypto::unwrap_key(k.bytes(), blob, aad)
    }

    fn rotate_kek(&self) -> Result<(), CoreError> {
        let mut st = self.state.lock().map_err(|_| poisoned())?;
        let next = suffixed(&self.kek_path, "next");
        let old = suffixed(&self.kek_path, "old");
        let new = crypto::random_key()?;
        write_new(&next, new.as_ref())?;
        let held = self.held()?;
        for &e in &held {
            let k = self
                .epoch_key(&mut st, e)?
                .ok_or_else(|| missing(&self.kek_path, e))?;
            let blob = crypto::wrap_key(&new, &k, &epoch_key_aad(e))?;
            let p = suffixed(&self.epoch_path(e), "next");
            scrub(&p)?;
            write_new(&p, &blob)?;
        }
        if self.epochs_dir.exists() {
            sync_dir(&self.epochs_dir)?;
        }
        // A second name for the old KEK, to overwrite once the new one is in place.
        scrub(&old)?;
        std::fs::hard_link(&self.kek_path, &old).map_err(|e| io("link", &old, e))?;
        let parent = self
            .kek_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        sync_dir(parent)?;
        // The commit point.
        std::fs::rename(&next, &self.kek_path).map_err(|e| io("rename", &next, e))?;
        sync_dir(parent)?;
        for &e in &held {
            let p = suffixed(&self.epoch_path(e), "next");
            std::fs::rename(&p, self.epoch_path(e)).map_err(|err| io("rename", &p, err))?;
        }
        if self.epochs_dir.exists() {
            sync_dir(&self.epochs_dir)?;
        }
        scrub(&old)?;
        sync_dir(parent)?;
        st.kek = new;
        Ok(())
    }
}

fn missing(kek: &Path, epoch: Epoch) -> CoreError {
    CoreError::Keys(format!(
        "the key file `{}` has no key for epoch {epoch}: it was destroyed, or the cell is \
         pointed at another KEK",
        kek.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_bytes(dir: &Path) -> Vec<u8> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(all_bytes(&p));
            } else {
                out.extend(std::fs::read(&p).unwrap());
            }
        }
        out
    }

    #[test]
    fn epochs_persist_rotate_and_are_destroyed() {
        let dir = tempfile::tempdir().unwrap();
        let kek = dir.path().join("kek.key");
        let h = FileKeys::open(&kek).unwrap();
        h.create_epoch(1).unwrap();
        let k = DataKey::generate().unwrap();
        let w = h.wrap(1, &k, b"s").unwrap();
        let legacy = crypto::wrap_key(&read_key(&kek).unwrap(), &k, b"l").unwrap();
        let epoch1_file = std::fs::read(h.epoch_path(1)).unwrap();
        drop(h);

        // Reopened: the epoch key comes back from its file.
        let h = FileKeys::open(&kek).unwrap();
        assert_eq!(h.held_epochs().unwrap(), vec![1]);
        assert_eq!(h.unwrap(1, &w, b"s").unwrap().bytes(), k.bytes());
        assert_eq!(
            h.unwrap(LEGACY_EPOCH, &legacy, b"l").unwrap().bytes(),
            k.bytes()
        );

        // KEK rotation: the same epoch key, wrapped anew; the old KEK's bytes are gone.
        let old_kek = read_key(&kek).unwrap();
        h.rotate_kek().unwrap();
        assert_eq!(h.unwrap(1, &w, b"s").unwrap().bytes(), k.bytes());
        let h = FileKeys::open(&kek).unwrap();
        assert_eq!(h.unwrap(1, &w, b"s").unwrap().bytes(), k.bytes());
        let bytes = all_bytes(dir.path());
        assert!(
            !bytes.windows(32).any(|x| x == old_kek.as_ref()),
            "old KEK left"
        );
        assert!(
            !bytes
                .windows(epoch1_file.len())
                .any(|x| x == epoch1_file.as_slice()),
            "epoch key under the old KEK left"
        );
        assert!(
            h.unwrap(LEGACY_EPOCH, &legacy, b"l").is_err(),
            "legacy keys need the old KEK"
        );

        // Destroyed: no file, no key, in this holder or a new one.
        h.create_epoch(2).unwrap();
        h.destroy_epoch(1).unwrap();
        assert!(h.unwrap(1, &w, b"s").is_err());
        assert_eq!(
            FileKeys::open(&kek).unwrap().held_epochs().unwrap(),
            vec![2]
        );
        let names: Vec<_> = std::fs::read_dir(kek.with_extension("epochs"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["epoch-00000002.key"]);
    }

    #[test]
    fn a_kek_rotated_by_another_process_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let kek = dir.path().join("kek.key");
        let a = FileKeys::open(&kek).unwrap();
        let b = FileKeys::open(&kek).unwrap();
        a.create_epoch(1).unwrap();
        let k = DataKey::generate().unwrap();
        let w = a.wrap(1, &k, b"s").unwrap();
        a.rotate_kek().unwrap();
        // `b` still holds the old KEK and has not read epoch 1 yet.
        assert_eq!(b.unwrap(1, &w, b"s").unwrap().bytes(), k.bytes());
    }

    #[test]
    fn a_kek_rotation_cut_short_is_undone_or_finished() {
        let dir = tempfile::tempdir().unwrap();
        let kek = dir.path().join("kek.key");
        let h = FileKeys::open(&kek).unwrap();
        h.create_epoch(1).unwrap();
        let k = DataKey::generate().unwrap();
        let w = h.wrap(1, &k, b"s").unwrap();
        drop(h);
        // Cut before the commit point: a new KEK and a re-wrapped epoch written beside.
        write_new(&suffixed(&kek, "next"), &[5; 32]).unwrap();
        let e1 = kek.with_extension("epochs").join("epoch-00000001.key");
        write_new(&suffixed(&e1, "next"), b"garbage").unwrap();
        std::fs::hard_link(&kek, suffixed(&kek, "old")).unwrap();
        let h = FileKeys::open(&kek).unwrap();
        assert_eq!(h.unwrap(1, &w, b"s").unwrap().bytes(), k.bytes());
        assert!(!suffixed(&kek, "next").exists() && !suffixed(&kek, "old").exists());
        assert!(!suffixed(&e1, "next").exists());
        // Cut after it: the new KEK in place, the epoch re-wrapped beside the old file.
        let old = read_key(&kek).unwrap();
        let new = [6u8; 32];
        let ek = {
            let blob = std::fs::read(&e1).unwrap();
            crypto::unwrap_key(&old, &blob, &epoch_key_aad(1)).unwrap()
        };
        write_new(
            &suffixed(&e1, "next"),
            &crypto::wrap_key(&new, &ek, &epoch_key_aad(1)).unwrap(),
        )
        .unwrap();
        std::fs::hard_link(&kek, suffixed(&kek, "old")).unwrap();
        write_new(&suffixed(&kek, "next"), &new).unwrap();
        std::fs::rename(suffixed(&kek, "next"), &kek).unwrap();
        drop(h);
        let h = FileKeys::open(&kek).unwrap();
        assert_eq!(h.unwrap(1, &w, b"s").unwrap().bytes(), k.bytes());
        assert_eq!(read_key(&kek).unwrap().as_ref(), &new);
        assert!(!suffixed(&kek, "old").exists());
    }
}
