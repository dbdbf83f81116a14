//! Text in chunks cut at line ends, scanned a batch at a time on every thread, with line and
//! column found in one pass; and the pieces that let an NDJSON record too big for a tree go
//! through the same path.

use custodian_detect::position::Cursor;

use super::*;

/// Reads up to `CHUNK` bytes more, cut after the last newline; the rest stays in `carry`.
pub(super) fn next_chunk(r: &mut impl Read, carry: &mut Vec<u8>) -> io::Result<Option<Vec<u8>>> {
    let mut buf = std::mem::take(carry);
    let want = CHUNK.max(buf.len());
    let mut filled = buf.len();
    buf.resize(want, 0);
    let mut eof = false;
    while filled < want {
        match r.read(&mut buf[filled..]) {
            Ok(0) => {
                eof = true;
                break;
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(filled);
    if buf.is_empty() {
        return Ok(None);
    }
    if !eof {
        // Cut at the last newline; failing that at the last space; failing that at a
        // character boundary.
        let cut = memchr::memrchr(b'\n', &buf)
            .or_else(|| memchr::memrchr(b' ', &buf))
            .map(|p| p + 1)
            .unwrap_or_else(|| {
                let mut p = buf.len();
                while p > 0 && buf[p - 1] & 0xC0 == 0x80 {
                    p -= 1;
                }
                p.saturating_sub(1).max(1)
            });
        *carry = buf.split_off(cut);
    }
    Ok(Some(buf))
}

pub(super) struct ChunkResult {
    pub(super) findings: Vec<Finding>,
    pub(super) chars: u64,
}

/// Where a stream of text starts: a file (line 1), or an NDJSON record too big for a tree
/// (its line, which is also its record number).
#[derive(Clone, Copy)]
pub(super) struct Origin {
    pub(super) line: u64,
    pub(super) record: Option<u64>,
}

pub(super) fn scan_text(
    cfg: &ScanConfig,
    name: &str,
    r: impl Read,
    out: &mut Sink<impl Write>,
) -> Result<u64> {
    scan_stream(
        cfg,
        name,
        r,
        out,
        Origin {
            line: 1,
            record: None,
        },
    )
}

/// Scans text in chunks of `CHUNK` bytes cut at line ends, a batch of chunks at a time on
/// every thread, and writes what the mode asks in input order. Memory is bounded by the batch,
/// and the work is linear in the input, whatever its lines. Except for a summary, and with
/// two threads or more, a batch's findings are written while the next batch is scanned (on a
/// thread of its own that hands the chunks to the pool), so the serial writing does not
/// leave the pool idle.
pub(super) fn scan_stream(
    cfg: &ScanConfig,
    name: &str,
    mut r: impl Read,
    out: &mut Sink<impl Write>,
    origin: Origin,
) -> Result<u64> {
    // Writing overlaps scanning where there is writing to overlap (not for a summary, not
    // with one thread); either way two chunks a thread are in flight: two batches of one
    // chunk a thread, or one batch of two.
    let threads = rayon::current_num_threads();
    let overlap = threads > 1 && !matches!(cfg.mode, Mode::Report(OutputFormat::Summary));
    let batch = if overlap { threads } else { threads * 2 };
    let mut carry = Vec::new();
    let mut emit = Emit {
        name,
        origin,
        byte_base: 0,
        char_base: 0,
        pos: Cursor::at_line(origin.line),
        spans: Vec::new(),
    };
    let mut scanned: Option<(Vec<Vec<u8>>, Vec<ChunkResult>)> = None;
    loop {
        let mut chunks = Vec::with_capacity(batch);
        while chunks.len() < batch {
            match next_chunk(&mut r, &mut carry).with_context(|| format!("cannot read `{name}`"))? {
                Some(c) => chunks.push(c),
                None => break,
            }
        }
        if chunks.is_empty() && scanned.is_none() {
            break;
        }
        let mut write = |emit: &mut Emit<'_>, out: &mut Sink<_>| -> Result<()> {
            if let Some((done, results)) = scanned.take() {
                for (c, res) in done.iter().zip(results) {
                    emit.chunk(cfg, out, c, &res)?;
                }
            }
            Ok(())
        };
        let results = if overlap {
            std::thread::scope(|s| -> Result<Vec<ChunkResult>> {
                let scanning = s.spawn(|| scan_batch(cfg, &chunks));
                write(&mut emit, out)?;
                scanning
                    .join()
                    .map_err(|_| anyhow::anyhow!("a scanning thread panicked"))
            })?
        } else {
            // Writing, then scanning.
            write(&mut emit, out)?;
            scan_batch(cfg, &chunks)
        };
        if !chunks.is_empty() {
            scanned = Some((chunks, results));
        }
    }
    if matches!(cfg.mode, Mode::PerRecord) {
        out.w
            .write_all(json!({ "spans": emit.spans }).to_string().as_bytes())?;
        out.w.write_all(b"\n")?;
    }
    Ok(emit.byte_base)
}

/// Scans a batch of chunks on the pool.
fn scan_batch(cfg: &ScanConfig, chunks: &[Vec<u8>]) -> Vec<ChunkResult> {
    chunks
        .par_iter()
        .map(|c| {
            // Counts and redaction need no code-point offsets.
            let (findings, chars) = match cfg.mode {
                Mode::Report(OutputFormat::Summary) | Mode::Redact(_) => {
                    (cfg.det.scan_bytes_spans(c), 0)
                }
                _ => cfg.det.scan_bytes_counted(c),
            };
            ChunkResult {
                findings,
                chars: chars as u64,
            }
        })
        .collect()
}

/// Where the writing of a stream's findings stands: the offsets and line position reached.
struct Emit<'a> {
    name: &'a str,
    origin: Origin,
    byte_base: u64,
    char_base: u64,
    pos: Cursor,
    spans: Vec<Value>,
}

impl Emit<'_> {
    /// Writes one chunk's findings as the mode asks.
    fn chunk(
        &mut self,
        cfg: &ScanConfig,
        out: &mut Sink<impl Write>,
        c: &[u8],
        res: &ChunkResult,
    ) -> Result<()> {
        let (name, byte_base, char_base) = (self.name, self.byte_base, self.char_base);
        match &cfg.mode {
            Mode::Redact(style) => {
                for f in &res.findings {
                    *out.counts.entry(f.pi_type).or_default() += 1;
                }
                out.w.write_all(&mask::redact(c, &res.findings, style))?;
            }
            Mode::Report(OutputFormat::Summary) => {
                for f in &res.findings {
                    out.count(name, f.pi_type);
                }
            }
            Mode::PerRecord => {
                for f in &res.findings {
                    self.spans.push(json!({
                        "start": char_base + f.start as u64,
                        "end": char_base + f.end as u64,
                        "bstart": byte_base + f.bstart as u64,
                        "bend": byte_base + f.bend as u64,
                        "type": f.pi_type.name(),
                        "score": f.score,
                    }));
                }
            }
            Mode::Report(_) => {
                let valid = std::str::from_utf8(c).is_ok();
                let mut at = 0usize;
                for f in &res.findings {
                    let to = f.bstart.clamp(at, c.len());
                    self.pos.advance(&c[at..to], valid);
                    at = to;
                    let original = String::from_utf8_lossy(&c[f.bstart..f.bend]);
                    let place = Place {
                        line: Some(self.pos.line),
                        column: Some(self.pos.column()),
                        char_base,
                        byte_base,
                        record: self.origin.record,
                        ..Place::default()
                    };
                    out.finding(name, f, &original, &place)?;
                }
                self.pos.advance(&c[at..], valid);
            }
        }
        self.byte_base += c.len() as u64;
        self.char_base += res.chars;
        Ok(())
    }
}

/// One NDJSON line as read: whole, or its first bytes when it runs past the record limit (the
/// rest of the line is still in the reader).
pub(super) enum Record {
    Whole(Vec<u8>),
    Big(Vec<u8>),
}

/// Reads one line, holding at most `limit` bytes of it.
pub(super) fn read_record(r: &mut impl BufRead, limit: usize) -> io::Result<Option<Record>> {
    let mut buf = Vec::new();
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok((!buf.is_empty()).then_some(Record::Whole(buf)));
        }
        let (take, done) = match memchr::memchr(b'\n', avail) {
            Some(p) => (p + 1, true),
            None => (avail.len(), false),
        };
        let room = limit.saturating_sub(buf.len());
        if take > room {
            buf.extend_from_slice(&avail[..room]);
            r.consume(room);
            return Ok(Some(Record::Big(buf)));
        }
        buf.extend_from_slice(&avail[..take]);
        r.consume(take);
        if done {
            return Ok(Some(Record::Whole(buf)));
        }
    }
}

/// The rest of the current line of a reader, its newline included, as a reader of its own.
pub(super) struct LineRest<'a, R: BufRead> {
    pub(super) r: &'a mut R,
    pub(super) done: bool,
}

impl<R: BufRead> Read for LineRest<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.done || out.is_empty() {
            return Ok(0);
        }
        let avail = self.r.fill_buf()?;
        if avail.is_empty() {
            self.done = true;
            return Ok(0);
        }
        let (n, end) = match memchr::memchr(b'\n', avail) {
            Some(p) if p < out.len() => (p + 1, true),
            _ => (avail.len().min(out.len()), false),
        };
        out[..n].copy_from_slice(&avail[..n]);
        self.r.consume(n);
        self.done = end;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_over_the_limit_is_read_no_further_and_the_rest_comes_after() {
        let input = b"{\"a\":1}\n{\"b\":\"0123456789\"}\n{\"c\":2}\n".to_vec();
        let mut r = BufReader::with_capacity(4, &input[..]);
        assert!(
            matches!(read_record(&mut r, 12).unwrap(), Some(Record::Whole(v)) if v == b"{\"a\":1}\n")
        );
        let Some(Record::Big(head)) = read_record(&mut r, 12).unwrap() else {
            panic!("the second record is over the limit")
        };
        assert_eq!(head, b"{\"b\":\"012345");
        let mut rest = Vec::new();
        LineRest {
            r: &mut r,
            done: false,
        }
        .read_to_end(&mut rest)
        .unwrap();
        assert_eq!(rest, b"6789\"}\n");
        assert!(
            matches!(read_record(&mut r, 12).unwrap(), Some(Record::Whole(v)) if v == b"{\"c\":2}\n")
        );
        assert!(read_record(&mut r, 12).unwrap().is_none());
    }
}
