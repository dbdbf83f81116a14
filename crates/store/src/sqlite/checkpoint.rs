//! The checkpointer: copies the write-ahead logs into their files on a thread of its own, so
//! no commit waits for a checkpoint.
//!
//! SQLite's default checkpoints run inside the commit that grows a log past 1,000 frames, on the
//! writer thread, while every caller of the batch waits. Here the writer's connection has a
//! write-ahead-log hook instead (which replaces those automatic checkpoints): each time a file's
//! log has grown by [`CHECKPOINT_FRAMES`] since the last signal, the hook wakes this thread, which
//! runs a `PASSIVE` checkpoint on its own connection — it copies what no reader still needs and
//! never blocks the writer or the readers. The log restarts from its beginning once a
//! checkpoint has copied all of it. Should the thread fall behind (a log past
//! [`WRITER_CHECKPOINT_FRAMES`]), the writer checkpoints in the hook itself, so the log stays
//! bounded. The key file's explicit `TRUNCATE` checkpoints (after an
//! erasure or a re-wrap, see `writer::truncate_keys_wal`) stay on the writer.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::sync_channel;
use std::thread::JoinHandle;

use rusqlite::Connection;
use rusqlite::wal::CheckpointMode;

use super::durable::WalFiles;
use super::{StoreError, db_err, open_conn};

/// Frames a log grows by between two checkpoints (SQLite's default automatic checkpoint size).
pub(super) const CHECKPOINT_FRAMES: i32 = 1000;

/// Frames past which the writer checkpoints the log itself, as SQLite's own automatic
/// checkpoint would: the checkpointer has fallen behind (starved of CPU, say), and the log must
/// stay bounded (about 25 MB of 4 KiB pages) whatever the thread's luck.
const WRITER_CHECKPOINT_FRAMES: i32 = 6 * CHECKPOINT_FRAMES;

/// Which file a log belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum File {
    Data,
    Keys,
}

impl File {
    fn schema(self) -> &'static str {
        match self {
            File::Data => "main",
            File::Keys => "keys",
        }
    }
}

/// Installs the hook on the writer's connection and starts the checkpointer. The thread ends
/// when the writer's connection is dropped (the hook's end of the channel with it).
/// With `synced`, the hook also marks which log each commit wrote, so the syncer syncs only
/// those.
pub(super) fn start(
    dir: &Path,
    writer: &mut Connection,
    synced: Option<Arc<WalFiles>>,
) -> Result<JoinHandle<()>, StoreError> {
    let own = open_conn(dir, true)?;
    let (tx, rx) = sync_channel::<File>(8);
    // Frames at the last signal, per file; a smaller count means the log restarted.
    let mut signalled = [0i32; 2];
    writer
        .wal_hook(Some(move |wal: &mut rusqlite::hooks::Wal, frames: i32| {
            let file = if wal.name() == c"keys" {
                File::Keys
            } else {
                File::Data
            };
            if let Some(w) = &synced {
                w.written(file == File::Keys);
            }
            let last = &mut signalled[usize::from(file == File::Keys)];
            if frames < *last {
                *last = 0;
            }
            if frames - *last >= CHECKPOINT_FRAMES {
                *last = frames;
                // A full queue already holds a wake-up.
                let _ = tx.try_send(file);
            }
            if frames >= WRITER_CHECKPOINT_FRAMES
                && let Err(e) = wal.checkpoint_v2(CheckpointMode::PASSIVE)
            {
                tracing::warn!(file = file.schema(), error = %e, "checkpoint failed; the next one retries");
            }
            Ok(())
        }))
        .map_err(db_err)?;
    std::thread::Builder::new()
        .name("custodian-sqlite-checkpointer".into())
        .spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut files = vec![first];
                while let Ok(f) = rx.try_recv() {
                    if !files.contains(&f) {
                        files.push(f);
                    }
                }
                for f in files {
                    if let Err(e) = own.wal_checkpoint_v2(Some(f.schema()), CheckpointMode::PASSIVE)
                    {
                        tracing::warn!(file = f.schema(), error = %e, "checkpoint failed; the next one retries");
                    }
                }
            }
        })
        .map_err(|e| StoreError::Backend(format!("cannot start the checkpointer thread: {e}")))
}
