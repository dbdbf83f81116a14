//! Where an import's rows come from: a CSV file with a header row, an NDJSON file (one object a
//! line) or a PostgreSQL query read through a cursor. Each gives the mapping's columns of each
//! row, in order; a row that cannot be read is refused on its own (its values are never quoted).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// A row's values in the mapping's columns (an empty cell is `None`), or why it was refused
/// (a code and a message, neither quoting a value).
pub type Row = Result<Vec<Option<String>>, (&'static str, String)>;

fn bad(why: impl Into<String>) -> Option<Row> {
    Some(Err(("bad_row", why.into())))
}

/// The longest NDJSON line read as a record.
const MAX_LINE: usize = 1 << 20;

/// A source of rows.
pub trait Source: Send {
    /// The next row; `None` at the end.
    fn next_row(&mut self) -> Result<Option<Row>>;
    /// How far the source has been read, in [`Source::total`]'s unit.
    fn position(&self) -> u64;
    /// The size of the source (bytes of a file, rows of a query), if known.
    fn total(&self) -> Option<u64>;
    /// What the source is, for the import's state file (a resumed import reads the same one).
    fn describe(&self) -> String;
}

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// A CSV file with a header row.
pub struct Csv {
    reader: csv::Reader<BufReader<File>>,
    index: Vec<usize>,
    record: csv::ByteRecord,
    size: u64,
    path: PathBuf,
}

impl Csv {
    pub fn open(path: &Path, columns: &[String]) -> Result<Csv> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(BufReader::with_capacity(1 << 16, file));
        let headers = reader
            .headers()
            .with_context(|| format!("{} has no header row", path.display()))?
            .clone();
        let index = columns
            .iter()
            .map(|c| {
                headers.iter().position(|h| h.trim() == c).with_context(|| {
                    format!(
                        "{} has no column `{c}` (the mapping reads it)",
                        path.display()
                    )
                })
            })
            .collect::<Result<_>>()?;
        Ok(Csv {
            reader,
            index,
            record: csv::ByteRecord::new(),
            size,
            path: absolute(path),
        })
    }
}

impl Source for Csv {
    fn next_row(&mut self) -> Result<Option<Row>> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                let mut out = Vec::with_capacity(self.index.len());
                for &i in &self.index {
                    match self.record.get(i).map(std::str::from_utf8) {
                        None => out.push(None),
                        Some(Ok("")) => out.push(None),
                        Some(Ok(v)) => out.push(Some(v.to_string())),
                        Some(Err(_)) => return Ok(bad("a cell is not UTF-8")),
                    }
                }
                Ok(Some(Ok(out)))
            }
            // A malformed record is that row's problem; an I/O error ends the import.
            Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                Err(e).with_context(|| format!("reading {}", self.path.display()))
            }
            Err(_) => Ok(bad("the row does not parse as CSV")),
        }
    }
    fn position(&self) -> u64 {
        self.reader.position().byte()
    }
    fn total(&self) -> Option<u64> {
        Some(self.size)
    }
    fn describe(&self) -> String {
        format!("csv:{}", self.path.display())
    }
}

/// An NDJSON file: one JSON object a line; blank lines are skipped.
pub struct Ndjson {
    reader: BufReader<File>,
    columns: Vec<String>,
    line: Vec<u8>,
    read: u64,
    size: u64,
    path: PathBuf,
}

impl Ndjson {
    pub fn open(path: &Path, columns: &[String]) -> Result<Ndjson> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok(Ndjson {
            reader: BufReader::with_capacity(1 << 16, file),
            columns: columns.to_vec(),
            line: Vec::new(),
            read: 0,
            size,
            path: absolute(path),
        })
    }
}

impl Source for Ndjson {
    fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            self.line.clear();
            let n = std::io::Read::take(&mut self.reader, MAX_LINE as u64 + 1)
                .read_until(b'\n', &mut self.line)
                .with_context(|| format!("reading {}", self.path.display()))?;
            if n == 0 {
                return Ok(None);
            }
            self.read += n as u64;
            if self.line.len() > MAX_LINE && self.line.last() != Some(&b'\n') {
                // Skip the rest of the over-long line.
                loop {
                    let buf = self.reader.fill_buf()?;
                    if buf.is_empty() {
                        break;
                    }
                    match memchr::memchr(b'\n', buf) {
                        Some(i) => {
                            self.reader.consume(i + 1);
                            self.read += i as u64 + 1;
                            break;
                        }
                        None => {
                            let l = buf.len();
                            self.reader.consume(l);
                            self.read += l as u64;
                        }
                    }
                }
                return Ok(bad(format!("the record is over {MAX_LINE} bytes")));
            }
            if self.line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let Ok(serde_json::Value::Object(obj)) =
                serde_json::from_slice::<serde_json::Value>(&self.line)
            else {
                return Ok(bad("the line is not a JSON object"));
            };
            let mut out = Vec::with_capacity(self.columns.len());
            for c in &self.columns {
                out.push(match obj.get(c) {
                    None | Some(serde_json::Value::Null) => None,
                    Some(serde_json::Value::String(s)) if s.is_empty() => None,
                    Some(serde_json::Value::String(s)) => Some(s.clone()),
                    Some(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => {
                        Some(v.to_string())
                    }
                    Some(_) => {
                        return Ok(bad(format!("`{c}` is not a string, number or boolean")));
                    }
                });
            }
            return Ok(Some(Ok(out)));
        }
    }
    fn position(&self) -> u64 {
        self.read
    }
    fn total(&self) -> Option<u64> {
        Some(self.size)
    }
    fn describe(&self) -> String {
        format!("ndjson:{}", self.path.display())
    }
}

/// A PostgreSQL query, read in a read-only repeatable-read transaction through a cursor, a
/// few thousand rows at a time; every value as the server writes it as text.
pub struct Postgres {
    rt: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
    columns: Vec<String>,
    index: Option<Vec<usize>>,
    buffered: std::collections::VecDeque<Vec<Option<String>>>,
    done: bool,
    read: u64,
    total: Option<u64>,
    describe: String,
}

/// Rows fetched at a time.
const FETCH: usize = 5000;

impl Postgres {
    /// Connects (the URL as `serve --database-url` takes it, `sslmode` and `sslrootcert`
    /// included) and opens a cursor over `query`.
    pub fn open(url: &str, query: &str, columns: &[String]) -> Result<Postgres> {
        let q = query.trim().trim_end_matches(';');
        if q.is_empty() {
            bail!("--query is empty");
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let client = rt
            .block_on(custodian_store::postgres::connect_one(url))
            .context("connecting to the source database")?;
        let total = rt
            .block_on(client.query_one(
                &format!("SELECT count(*) FROM ({q}) AS custodian_source"),
                &[],
            ))
            .context("counting the query's rows")?
            .try_get::<_, i64>(0)
            .ok()
            .and_then(|n| u64::try_from(n).ok());
        rt.block_on(client.batch_execute(&format!(
            "BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ; \
             DECLARE custodian_import NO SCROLL CURSOR FOR {q}"
        )))
        .context("opening a cursor over the query")?;
        Ok(Postgres {
            rt,
            client,
            columns: columns.to_vec(),
            index: None,
            buffered: Default::default(),
            done: false,
            read: 0,
            total,
            describe: describe_query("postgres", q),
        })
    }

    fn fetch(&mut self) -> Result<()> {
        use tokio_postgres::SimpleQueryMessage as M;
        let msgs = self
            .rt
            .block_on(
                self.client
                    .simple_query(&format!("FETCH FORWARD {FETCH} FROM custodian_import")),
            )
            .context("reading the query's rows")?;
        let mut got = 0;
        for m in msgs {
            match m {
                M::RowDescription(cols) if self.index.is_none() => {
                    let names: Vec<&str> = cols.iter().map(|c| c.name()).collect();
                    self.index = Some(self.find(&names)?);
                }
                M::Row(row) => {
                    if self.index.is_none() {
                        let names: Vec<&str> = row.columns().iter().map(|c| c.name()).collect();
                        self.index = Some(self.find(&names)?);
                    }
                    let index = self.index.as_deref().unwrap_or_default();
                    self.buffered.push_back(
                        index
                            .iter()
                            .map(|&i| row.get(i).filter(|v| !v.is_empty()).map(String::from))
                            .collect(),
                    );
                    got += 1;
                }
                _ => {}
            }
        }
        if got < FETCH {
            self.done = true;
            let _ = self.rt.block_on(self.client.batch_execute("COMMIT"));
        }
        Ok(())
    }

    fn find(&self, names: &[&str]) -> Result<Vec<usize>> {
        query_columns(&self.columns, names)
    }
}

/// Where each of the mapping's columns is among a query's result columns.
pub fn query_columns(columns: &[String], names: &[impl AsRef<str>]) -> Result<Vec<usize>> {
    columns
        .iter()
        .map(|c| {
            names
                .iter()
                .position(|n| n.as_ref() == c)
                .with_context(|| format!("the query has no column `{c}` (the mapping reads it)"))
        })
        .collect()
}

/// How a query source is named in the import's state: its kind and the query's SHA-256 (a
/// resumed import must read the same query).
pub fn describe_query(kind: &str, query: &str) -> String {
    let digest = <sha2::Sha256 as sha2::Digest>::digest(query.as_bytes());
    format!("{kind}:query {}", super::mapping::hex(&digest))
}

impl Source for Postgres {
    fn next_row(&mut self) -> Result<Option<Row>> {
        if self.buffered.is_empty() && !self.done {
            self.fetch()?;
        }
        Ok(self.buffered.pop_front().map(|r| {
            self.read += 1;
            Ok(r)
        }))
    }
    fn position(&self) -> u64 {
        self.read
    }
    fn total(&self) -> Option<u64> {
        self.total
    }
    fn describe(&self) -> String {
        self.describe.clone()
    }
}
