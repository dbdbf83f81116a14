//! A witness's HTTP service (c2sp.org/tlog-witness) and its state on disk: what `custodian
//! witness serve` runs — typically by the regulator, so that a cell cannot show it one
//! history and the public another.
//!
//! - `POST /add-checkpoint`: [`custodian_ledger::witness::Witness::add_checkpoint`]; 200 with
//!   the cosignature line, or the spec's status (409 with `text/x.tlog.size`).
//! - `GET /<hex SHA-256 of the origin>/checkpoint`: the latest cosigned checkpoint of that
//!   log, with the log's signature and the witness's cosignature.
//!
//! State: one file per log, named by the origin's hash, holding the latest cosigned note;
//! replaced by write, fsync, rename and directory fsync under a lock (the check of the old
//! size and the replacement are one step); the directory is locked by one process at a time.
//! A signed checkpoint of the same size as the latest one with another root is kept in
//! `evidence/` (once per content) — beside the latest, proof that the log forked. A latest
//! checkpoint the witness's operator had it forget (`FileState::forget`, after a cell's
//! restore) is kept there too, as `<origin hash>-superseded-<size>-<note hash>.txt`: the
//! history the witness followed before, which `GET` no longer serves.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use custodian_ledger::Checkpoint;
use custodian_ledger::witness::{Latest, Witness, WitnessState};
use sha2::{Digest, Sha256};

/// The hex SHA-256 of a log's origin (the monitoring path's name for it).
pub fn origin_hash(origin: &str) -> String {
    Sha256::digest(origin.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The witness's state in a directory.
#[derive(Debug)]
pub struct FileState {
    dir: PathBuf,
    /// Held for the life of the state: one process per directory.
    _lock: File,
    /// The check-and-replace step.
    step: Mutex<()>,
}

impl FileState {
    /// Opens (creating) the state directory and locks it.
    pub fn open(dir: &Path) -> std::io::Result<FileState> {
        std::fs::create_dir_all(dir.join("evidence"))?;
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("lock"))?;
        lock.try_lock().map_err(|_| {
            std::io::Error::other(format!(
                "witness state `{}` is in use by another process",
                dir.display()
            ))
        })?;
        Ok(FileState {
            dir: dir.to_path_buf(),
            _lock: lock,
            step: Mutex::new(()),
        })
    }

    fn file(&self, origin: &str) -> PathBuf {
        self.dir.join(origin_hash(origin))
    }

    /// The latest cosigned note of the log whose origin hashes to `hash`.
    pub fn note_by_hash(&self, hash: &str) -> Option<String> {
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        std::fs::read_to_string(self.dir.join(hash.to_ascii_lowercase())).ok()
    }

    fn read(&self, origin: &str) -> Result<Option<Latest>, String> {
        let note = match std::fs::read_to_string(self.file(origin)) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        let end = note
            .rfind("\n\n")
            .ok_or_else(|| "a stored checkpoint is not a note".to_string())?;
        let cp = Checkpoint::parse(&note[..end + 1]).map_err(|e| e.to_string())?;
        Ok(Some(Latest {
            size: cp.size.get(),
            root: cp.root,
            note,
        }))
    }

    /// Stops following a log's history: its latest cosigned checkpoint moves into the evidence
    /// (`<origin hash>-superseded-<size>-<note hash prefix>.txt`), so the witness cosigns the log
    /// from any size again — for a log its operator restored from a backup, which the witness's
    /// operator has been told of. The checkpoint's size and where it was kept; `None`: the
    /// witness holds nothing of that log.
    pub fn forget(&self, origin: &str) -> Result<Option<(u64, PathBuf)>, String> {
        let _step = self.step.lock().map_err(|_| "state lock poisoned")?;
        let Some(latest) = self.read(origin)? else {
            return Ok(None);
        };
        let kept = self.dir.join("evidence").join(format!(
            "{}-superseded-{}-{}.txt",
            origin_hash(origin),
            latest.size,
            &origin_hash(&latest.note)[..16]
        ));
        self.write_durably(&kept, &latest.note)
            .map_err(|e| e.to_string())?;
        std::fs::remove_file(self.file(origin)).map_err(|e| e.to_string())?;
        File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| e.to_string())?;
        Ok(Some((latest.size, kept)))
    }

    fn write_durably(&self, path: &Path, text: &str) -> std::io::Result<()> {
        let tmp = path.with_extension("tmp");
        let mut f = File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        File::open(path.parent().unwrap_or(&self.dir))?.sync_all()
    }
}

impl WitnessState for FileState {
    fn latest(&self, origin: &str) -> Result<Option<Latest>, String> {
        self.read(origin)
    }

    fn replace(
        &self,
        origin: &str,
        expected: Option<&Latest>,
        new: &Latest,
    ) -> Result<bool, String> {
        let _step = self.step.lock().map_err(|_| "state lock poisoned")?;
        let now = self.read(origin)?;
        let same = match (&now, expected) {
            (None, None) => true,
            (Some(a), Some(b)) => a.size == b.size && a.root == b.root,
            _ => false,
        };
        if same {
            self.write_durably(&self.file(origin), &new.note)
                .map_err(|e| e.to_string())?;
        }
        Ok(same)
    }

    fn keep_evidence(&self, origin: &str, checkpoint: &str) -> Result<(), String> {
        // Named by content: the same forked checkpoint sent again adds nothing.
        let path = self.dir.join("evidence").join(format!(
            "{}-{}.txt",
            origin_hash(origin),
            &origin_hash(checkpoint)[..16]
        ));
        if path.exists() {
            return Ok(());
        }
        self.write_durably(&path, checkpoint)
            .map_err(|e| e.to_string())
    }
}

/// What the witness's handlers share.
#[derive(Clone)]
pub struct WitnessApp {
    /// The witness.
    pub witness: Arc<Witness>,
    /// Its state.
    pub state: Arc<FileState>,
}

/// Serves the witness on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    w: WitnessApp,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(w))
        .with_graceful_shutdown(shutdown)
        .await
}

/// The witness's router.
pub fn app(w: WitnessApp) -> Router {
    Router::new()
        .route("/add-checkpoint", axum::routing::post(add_checkpoint))
        .route("/{origin}/checkpoint", axum::routing::get(latest))
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
        .with_state(w)
}

fn text(status: StatusCode, content_type: &'static str, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn add_checkpoint(State(w): State<WitnessApp>, body: Bytes) -> Response {
    let Ok(body) = String::from_utf8(body.to_vec()) else {
        return text(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            "the request is not UTF-8\n".into(),
        );
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let r =
        tokio::task::spawn_blocking(move || w.witness.add_checkpoint(w.state.as_ref(), &body, now))
            .await;
    match r {
        Ok(Ok(lines)) => text(StatusCode::OK, "text/plain; charset=utf-8", lines),
        Ok(Err(e)) if e.status == 409 => text(StatusCode::CONFLICT, "text/x.tlog.size", e.message),
        Ok(Err(e)) => {
            let status =
                StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            if status.is_server_error() {
                tracing::error!(detail = %e.message, "witness error");
            }
            text(
                status,
                "text/plain; charset=utf-8",
                format!("{}\n", e.message),
            )
        }
        Err(_) => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/plain; charset=utf-8",
            "internal error\n".into(),
        ),
    }
}

async fn latest(State(w): State<WitnessApp>, UrlPath(origin): UrlPath<String>) -> Response {
    match w.state.note_by_hash(&origin) {
        Some(n) => text(StatusCode::OK, "text/plain; charset=utf-8", n),
        None => text(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "this witness has cosigned no checkpoint of that log\n".into(),
        ),
    }
}
