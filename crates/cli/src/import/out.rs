//! The import's write-back file and its state file (or a table: [`super::table`]).
//!
//! The write-back maps each source row to its subject id and tokens, so the platform can
//! replace its columns: CSV (`row,key,subject,<fields…>,refused`) when its name ends in `.csv`,
//! NDJSON otherwise. It holds the row's key (the platform's own id), never a value.
//!
//! The state file (`<out>.state`) says how many source rows the write-back holds and how long
//! it is; it is replaced (written aside, synced, renamed) after each chunk, once the write-back
//! is synced. A rerun truncates the write-back to that length and goes on after those rows;
//! rows after them may have been carried out already, and are sent again with the same
//! idempotency keys, so they answer what they answered without being done twice.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

/// A refusal of one step of a row's import.
#[derive(Clone, Debug)]
pub struct Refusal {
    /// `read`, `register`, `consent <purpose>` or `collect <purpose>`.
    pub step: String,
    pub status: u16,
    pub code: String,
    pub message: String,
}

/// What became of one source row.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// 1-based, in source order.
    pub row: u64,
    pub key: Option<String>,
    pub subject: Option<String>,
    /// Field → token.
    pub tokens: BTreeMap<String, String>,
    pub refused: Vec<Refusal>,
}

/// How far an import has come, kept beside the write-back.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// How rows are sent, so a resumed import asks with the same idempotency keys:
    /// [`PROTOCOL`] (a state without it was written by an import that sent each step alone).
    #[serde(default)]
    pub protocol: u32,
    pub name: String,
    pub mapping: String,
    pub source: String,
    /// Source rows the write-back holds.
    pub rows: u64,
    /// The write-back's length holding them.
    pub bytes: u64,
    /// Rows imported with nothing refused.
    pub imported: u64,
    /// Rows with a refusal, by `step code`: (rows, the first rows' numbers, a message).
    pub refused: BTreeMap<String, (u64, Vec<u64>, String)>,
}

/// Where the write-back goes.
pub enum Out {
    /// A file (CSV if its name ends in `.csv`, NDJSON otherwise), with its state beside it.
    File(PathBuf),
    /// A PostgreSQL table (`schema.name` or `name`) in the database at the URL.
    Table { url: String, table: String },
}

impl Out {
    /// Where it is, for messages.
    pub fn shown(&self) -> String {
        match self {
            Out::File(p) => p.display().to_string(),
            Out::Table { table, .. } => format!("table {table}"),
        }
    }
}

/// The current [`State::protocol`]: each row onboarded in one act under one idempotency key.
pub const PROTOCOL: u32 = 2;

impl State {
    /// A kept state may be resumed only by the same import: its name, mapping and source, sent
    /// the same way.
    pub fn resumes(&self, fresh: &State, shown: &str, other: &str) -> Result<()> {
        if self.protocol != fresh.protocol {
            bail!(
                "{shown} belongs to an import started by an earlier version of `custodian import`, \
                 which sent rows with other idempotency keys: finish it with that version, or \
                 write to another {other}"
            );
        }
        for (what, was, now) in [
            ("name", &self.name, &fresh.name),
            ("mapping", &self.mapping, &fresh.mapping),
            ("source", &self.source, &fresh.source),
        ] {
            if was != now {
                bail!(
                    "{shown} belongs to an import with another {what}; resume it with the same \
                     mapping and source, or write to another {other}"
                );
            }
        }
        Ok(())
    }
}

/// The write-back and the state, open for appending.
pub struct WriteBack {
    target: Target,
    fields: Vec<String>,
    pub state: State,
}

enum Target {
    File {
        file: BufWriter<File>,
        csv: bool,
        state_path: PathBuf,
    },
    Table(Box<super::table::Table>),
}

fn state_path(out: &Path) -> PathBuf {
    let mut s = out.as_os_str().to_owned();
    s.push(".state");
    PathBuf::from(s)
}

impl WriteBack {
    /// Opens the write-back: a new one (refusing a file or table that is there without its
    /// state), or the one an interrupted run of the same import left (a file truncated to its
    /// state).
    pub fn open(out: &Out, fresh: State, fields: &[&str]) -> Result<WriteBack> {
        let fields: Vec<String> = fields.iter().map(|f| (*f).to_string()).collect();
        match out {
            Out::File(p) => WriteBack::open_file(p, fresh, fields),
            Out::Table { url, table } => {
                let (t, state) = super::table::Table::open(url, table, fresh)?;
                Ok(WriteBack {
                    target: Target::Table(Box::new(t)),
                    fields,
                    state,
                })
            }
        }
    }

    fn open_file(out: &Path, fresh: State, fields: Vec<String>) -> Result<WriteBack> {
        let state_path = state_path(out);
        let csv = out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let state = match std::fs::read(&state_path) {
            Ok(bytes) => {
                let s: State = serde_json::from_slice(&bytes)
                    .with_context(|| format!("{} does not read", state_path.display()))?;
                s.resumes(&fresh, &out.display().to_string(), "--out")?;
                s
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if out.exists() {
                    bail!(
                        "{} exists and is not an import's write-back in progress; choose another \
                         --out",
                        out.display()
                    );
                }
                fresh
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", state_path.display())),
        };
        let mut file = open_private(out)?;
        let len = file.metadata()?.len();
        if len < state.bytes {
            bail!(
                "{} is shorter than its state says ({len} < {} bytes): it was changed since",
                out.display(),
                state.bytes
            );
        }
        file.set_len(state.bytes)?;
        file.seek(SeekFrom::Start(state.bytes))?;
        let mut file = BufWriter::with_capacity(1 << 16, file);
        if state.bytes == 0 && csv {
            let mut header = csv::Writer::from_writer(Vec::new());
            let mut cols = vec!["row", "key", "subject"];
            cols.extend(fields.iter().map(String::as_str));
            cols.push("refused");
            header.write_record(&cols)?;
            file.write_all(&header.into_inner()?)?;
        }
        let mut w = WriteBack {
            target: Target::File {
                file,
                csv,
                state_path,
            },
            fields,
            state,
        };
        w.save(&[])?;
        Ok(w)
    }

    /// Appends a chunk's outcomes (in row order), then syncs the file and the state.
    pub fn append(&mut self, outcomes: &[Outcome]) -> Result<()> {
        // What the state says if this chunk does not make it.
        let before = self.state.clone();
        for o in outcomes {
            if let Target::File { file, csv, .. } = &mut self.target {
                line(file, *csv, &self.fields, o)?;
            }
            self.state.rows = self.state.rows.max(o.row);
            if o.refused.is_empty() {
                self.state.imported += 1;
            }
            for r in &o.refused {
                let e = self
                    .state
                    .refused
                    .entry(format!("{} {}", r.step, r.code))
                    .or_insert_with(|| (0, Vec::new(), r.message.clone()));
                e.0 += 1;
                if e.1.len() < 5 {
                    e.1.push(o.row);
                }
            }
        }
        let saved = self.save(outcomes);
        if saved.is_err() {
            self.state = before;
        }
        saved
    }

    /// Syncs the write-back, then replaces the state with one that counts it (a table: the
    /// chunk's rows and the state in one transaction).
    fn save(&mut self, outcomes: &[Outcome]) -> Result<()> {
        let (file, state_path) = match &mut self.target {
            Target::Table(t) => return t.append(outcomes, &self.state),
            Target::File {
                file, state_path, ..
            } => (file, state_path),
        };
        file.flush()?;
        let f = file.get_mut();
        f.sync_data()?;
        self.state.bytes = f.stream_position()?;
        let tmp = {
            let mut s = state_path.as_os_str().to_owned();
            s.push(".tmp");
            PathBuf::from(s)
        };
        {
            let mut t = open_private(&tmp)?;
            t.set_len(0)?;
            t.write_all(&serde_json::to_vec(&self.state)?)?;
            t.sync_all()?;
        }
        std::fs::rename(&tmp, &*state_path)?;
        if let Some(dir) = state_path.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = File::open(dir)
        {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// The import finished: the state goes (a rerun would start a new import).
    pub fn finish(mut self) -> Result<State> {
        match &mut self.target {
            Target::File { state_path, .. } => std::fs::remove_file(&*state_path)
                .with_context(|| format!("removing {}", state_path.display()))?,
            Target::Table(t) => t.finish()?,
        }
        Ok(self.state)
    }
}

/// One outcome as a line of the write-back file.
fn line(file: &mut BufWriter<File>, csv: bool, fields: &[String], o: &Outcome) -> Result<()> {
    let refused: Vec<String> = o
        .refused
        .iter()
        .map(|r| match r.status {
            0 => format!("{}: {}", r.step, r.code),
            s => format!("{}: {s} {}", r.step, r.code),
        })
        .collect();
    if csv {
        let mut w = csv::Writer::from_writer(Vec::new());
        let row = o.row.to_string();
        let mut rec = vec![
            row.as_str(),
            o.key.as_deref().unwrap_or(""),
            o.subject.as_deref().unwrap_or(""),
        ];
        for f in fields {
            rec.push(o.tokens.get(f).map_or("", String::as_str));
        }
        let refused = refused.join("; ");
        rec.push(&refused);
        w.write_record(&rec)?;
        file.write_all(&w.into_inner()?)?;
    } else {
        let mut v = serde_json::json!({
            "row": o.row,
            "key": o.key,
            "subject": o.subject,
            "tokens": o.tokens,
        });
        if !o.refused.is_empty() {
            v["refused"] = refusals(o);
        }
        serde_json::to_writer(&mut *file, &v)?;
        file.write_all(b"\n")?;
    }
    Ok(())
}

/// A row's refusals as JSON objects (never a value: steps, statuses, codes and messages).
pub fn refusals(o: &Outcome) -> serde_json::Value {
    o.refused
        .iter()
        .map(|r| serde_json::json!({"step": r.step, "status": r.status, "code": r.code, "message": r.message}))
        .collect()
}

/// Opens (creating with mode 0600) a file for reading and writing.
fn open_private(path: &Path) -> Result<File> {
    let mut o = OpenOptions::new();
    o.read(true).write(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
        .with_context(|| format!("cannot open {}", path.display()))
}
