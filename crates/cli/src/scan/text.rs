//! Text in chunks cut at line ends, scanned on every thread and written in input order, with line and
//! column found in one pass; and the pieces that let an NDJSON record too big for a tree go
//! through the same path.

use std::sync::{Condvar, Mutex, PoisonError, mpsc};

use custodian_detect::position::Cursor;

use super::*;

/// Reads up to `CHUNK` bytes more into `buf` (a buffer to reuse), cut after the last newline;
/// the rest stays in `carry`.
fn next_chunk(
    r: &mut impl Read,
    carry: &mut Vec<u8>,
    mut buf: Vec<u8>,
) -> io::Result<Option<Vec<u8>>> {
    buf.clear();
    buf.extend_from_slice(carry);
    carry.clear();
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
        carry.extend_from_slice(&buf[cut..]);
        buf.truncate(cut);
    }
    Ok(Some(buf))
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
    r: impl Read + Send,
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

/// Scans text in chunks of `CHUNK` bytes cut at line ends and writes what the mode asks in
/// input order. Memory is bounded and the work is linear in the input, whatever its lines.
///
/// With one thread, each chunk is read, scanned and written in turn. With more, every worker
/// takes the next chunk as soon as it is free (no batch waits for its slowest chunk), scans
/// it and renders its output (JSON lines, redacted text), and this thread writes the rendered
/// chunks in input order as they come. A worker takes a chunk only while fewer than two
/// chunks a thread are read and not yet written, which bounds memory.
pub(super) fn scan_stream(
    cfg: &ScanConfig,
    name: &str,
    r: impl Read + Send,
    out: &mut Sink<impl Write>,
    origin: Origin,
) -> Result<u64> {
    let mut chunks = Chunks {
        r,
        carry: Vec::new(),
        next: Start {
            byte: 0,
            char: 0,
            pos: Cursor::at_line(origin.line),
        },
        spare: Vec::new(),
        // Summaries and redaction need no line, column or code-point offset.
        positions: !matches!(
            cfg.mode,
            Mode::Report(OutputFormat::Summary) | Mode::Redact(_)
        ),
    };
    let mut spans = Vec::new();
    let threads = rayon::current_num_threads();
    if threads <= 1 {
        let mut spare = Vec::new();
        while let Some((c, at)) = chunks
            .next()
            .with_context(|| format!("cannot read `{name}`"))?
        {
            let done = render(cfg, name, origin, &c, at, std::mem::take(&mut spare))?;
            spare = write(cfg, name, out, &mut spans, &c, done)?;
            chunks.spare.push(c);
        }
    } else {
        scan_parallel(cfg, name, origin, &mut chunks, out, &mut spans, threads)?;
    }
    if matches!(cfg.mode, Mode::PerRecord) {
        out.w
            .write_all(json!({ "spans": spans }).to_string().as_bytes())?;
        out.w.write_all(b"\n")?;
    }
    Ok(chunks.next.byte)
}

/// Where a chunk starts in its stream.
#[derive(Clone, Copy)]
struct Start {
    byte: u64,
    /// Code points before the chunk (counted only where the mode needs them).
    char: u64,
    /// Line and column (counted only where the mode needs them).
    pos: Cursor,
}

/// A stream's chunks, each with where it starts.
struct Chunks<R> {
    r: R,
    carry: Vec<u8>,
    next: Start,
    positions: bool,
    /// Buffers written and free to take the next chunks (and rendered output).
    spare: Vec<Vec<u8>>,
}

impl<R: Read> Chunks<R> {
    fn next(&mut self) -> io::Result<Option<(Vec<u8>, Start)>> {
        let buf = self.spare.pop().unwrap_or_default();
        let Some(c) = next_chunk(&mut self.r, &mut self.carry, buf)? else {
            return Ok(None);
        };
        let at = self.next;
        self.next.byte += c.len() as u64;
        if self.positions {
            // The chunk's code points as the detector counts them, and where it ends.
            let valid = std::str::from_utf8(&c).is_ok();
            self.next.char += custodian_detect::count_code_points(&c) as u64;
            self.next.pos.advance(&c, valid);
        }
        Ok(Some((c, at)))
    }
}

/// A chunk scanned: its counts per type, the output rendered off the writing thread, and the
/// findings left for the writing thread (all of them for SARIF, kept whole for its document,
/// and the evaluation's spans; for JSON lines, those past the rendering budget).
struct Rendered {
    counts: [usize; PiType::ALL.len()],
    bytes: Vec<u8>,
    rest: Vec<Finding>,
    /// Where the first of `rest` is to be placed from.
    resume: Placer,
}

/// At most this many bytes of JSON lines are rendered for a chunk off the writing thread (the
/// dev corpus renders about 3 bytes per byte scanned); the rest is rendered as it is written,
/// which bounds memory however dense the findings.
const RENDER_BUDGET: usize = 4 * CHUNK;

/// Line, column and offsets of the findings of one chunk, met in order.
#[derive(Clone, Copy)]
struct Placer {
    at: Start,
    record: Option<u64>,
    pos: Cursor,
    /// Bytes of the chunk moved over.
    from: usize,
}

impl Placer {
    fn new(at: Start, origin: Origin) -> Placer {
        Placer {
            at,
            record: origin.record,
            pos: at.pos,
            from: 0,
        }
    }

    /// Where `f`, the next finding of chunk `c` (`valid`: UTF-8), is.
    fn place(&mut self, c: &[u8], valid: bool, f: &Finding) -> Place {
        let to = f.bstart.clamp(self.from, c.len());
        self.pos.advance(&c[self.from..to], valid);
        self.from = to;
        Place {
            line: Some(self.pos.line),
            column: Some(self.pos.column()),
            char_base: self.at.char,
            byte_base: self.at.byte,
            record: self.record,
            ..Place::default()
        }
    }
}

/// Scans one chunk and renders what can be rendered without the chunks before it.
fn render(
    cfg: &ScanConfig,
    name: &str,
    origin: Origin,
    c: &[u8],
    at: Start,
    buf: Vec<u8>,
) -> Result<Rendered> {
    let findings = match cfg.mode {
        // Counts and redaction need no code-point offsets.
        Mode::Report(OutputFormat::Summary) | Mode::Redact(_) => cfg.det.scan_bytes_spans(c),
        _ => cfg.det.scan_bytes_counted(c).0,
    };
    let mut counts = [0; PiType::ALL.len()];
    for f in &findings {
        counts[f.pi_type.index()] += 1;
    }
    let mut done = Rendered {
        counts,
        bytes: Vec::new(),
        rest: Vec::new(),
        resume: Placer::new(at, origin),
    };
    match &cfg.mode {
        Mode::Redact(style) => done.bytes = mask::redact(c, &findings, style),
        Mode::Report(OutputFormat::Summary) => {}
        Mode::Report(OutputFormat::Jsonl) => {
            let valid = std::str::from_utf8(c).is_ok();
            // Never grown past the budget (pages not written are not taken).
            done.bytes = buf;
            done.bytes.clear();
            done.bytes.reserve_exact(RENDER_BUDGET);
            let mut row = Vec::with_capacity(512);
            let mut rendered = 0;
            for f in &findings {
                let mut placer = done.resume;
                let place = placer.place(c, valid, f);
                let original = String::from_utf8_lossy(&c[f.bstart..f.bend]);
                row.clear();
                sink::jsonl_row(&mut row, name, f, &original, &place)?;
                if done.bytes.len() + row.len() > RENDER_BUDGET {
                    break;
                }
                done.bytes.extend_from_slice(&row);
                done.resume = placer;
                rendered += 1;
            }
            let mut findings = findings;
            findings.drain(..rendered);
            done.rest = findings;
        }
        _ => done.rest = findings,
    }
    Ok(done)
}

/// Writes one scanned chunk as the mode asks; gives back the buffer of its rendered output,
/// to reuse.
fn write(
    cfg: &ScanConfig,
    name: &str,
    out: &mut Sink<impl Write>,
    spans: &mut Vec<Value>,
    c: &[u8],
    done: Rendered,
) -> Result<Vec<u8>> {
    match &cfg.mode {
        Mode::Redact(_) => {
            for (t, n) in PiType::ALL.iter().zip(done.counts) {
                if n > 0 {
                    *out.counts.entry(*t).or_default() += n;
                }
            }
        }
        _ => out.count_all(name, &done.counts),
    }
    out.w.write_all(&done.bytes)?;
    let spare = done.bytes;
    if done.rest.is_empty() {
        return Ok(spare);
    }
    let at = done.resume.at;
    if let Mode::PerRecord = cfg.mode {
        for f in &done.rest {
            spans.push(json!({
                "start": at.char + f.start as u64,
                "end": at.char + f.end as u64,
                "bstart": at.byte + f.bstart as u64,
                "bend": at.byte + f.bend as u64,
                "type": f.pi_type.name(),
                "score": f.score,
            }));
        }
        return Ok(spare);
    }
    let valid = std::str::from_utf8(c).is_ok();
    let mut placer = done.resume;
    for f in &done.rest {
        let place = placer.place(c, valid, f);
        let original = String::from_utf8_lossy(&c[f.bstart..f.bend]);
        match cfg.mode {
            Mode::Report(OutputFormat::Sarif) => out.sarif_result(name, f, &original, &place),
            _ => sink::jsonl_row(&mut out.w, name, f, &original, &place)?,
        }
    }
    Ok(spare)
}

/// What the workers of one stream share: its chunks, and how far reading and writing are.
struct Feed<'a, R> {
    chunks: &'a mut Chunks<R>,
    /// The number of the next chunk to read.
    next: u64,
    /// Chunks written so far (every chunk numbered below this one).
    written: u64,
    /// The input is read to its end, reading failed, or writing stopped: take nothing more.
    done: bool,
    error: Option<io::Error>,
    /// Buffers of rendered output written and free to reuse.
    spare: Vec<Vec<u8>>,
}

fn scan_parallel<R: Read + Send>(
    cfg: &ScanConfig,
    name: &str,
    origin: Origin,
    chunks: &mut Chunks<R>,
    out: &mut Sink<impl Write>,
    spans: &mut Vec<Value>,
    threads: usize,
) -> Result<()> {
    let window = threads as u64 + 1;
    let feed = Mutex::new(Feed {
        chunks,
        next: 0,
        written: 0,
        done: false,
        error: None,
        spare: Vec::new(),
    });
    let turn = Condvar::new();
    let lock = || feed.lock().unwrap_or_else(PoisonError::into_inner);
    type Sent = (u64, Vec<u8>, Result<Rendered>);
    std::thread::scope(|s| -> Result<()> {
        let (tx, rx) = mpsc::channel::<Sent>();
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let tx = tx.clone();
                let (feed, turn) = (&feed, &turn);
                s.spawn(move || {
                    loop {
                        let (seq, chunk, at, buf) = {
                            let mut f = feed.lock().unwrap_or_else(PoisonError::into_inner);
                            while !f.done && f.next >= f.written + window {
                                f = turn.wait(f).unwrap_or_else(PoisonError::into_inner);
                            }
                            if f.done {
                                return;
                            }
                            match f.chunks.next() {
                                Ok(Some((c, at))) => {
                                    f.next += 1;
                                    (f.next - 1, c, at, f.spare.pop().unwrap_or_default())
                                }
                                Ok(None) => {
                                    f.done = true;
                                    turn.notify_all();
                                    return;
                                }
                                Err(e) => {
                                    f.error = Some(e);
                                    f.done = true;
                                    turn.notify_all();
                                    return;
                                }
                            }
                        };
                        let done = render(cfg, name, origin, &chunk, at, buf);
                        if tx.send((seq, chunk, done)).is_err() {
                            return;
                        }
                    }
                })
            })
            .collect();
        drop(tx);
        // Chunks in input order; those scanned early wait here (at most `window`).
        let mut early = BTreeMap::new();
        let mut expect = 0u64;
        let mut failed = None;
        for (seq, chunk, done) in rx {
            early.insert(seq, (chunk, done));
            while let Some((chunk, done)) = early.remove(&expect) {
                match done.and_then(|d| write(cfg, name, out, spans, &chunk, d)) {
                    Ok(buf) => {
                        expect += 1;
                        let mut f = lock();
                        f.written = expect;
                        f.spare.push(buf);
                        f.chunks.spare.push(chunk);
                        drop(f);
                        turn.notify_all();
                    }
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            if failed.is_some() {
                // Stop the workers; the error is reported once they are gone.
                lock().done = true;
                turn.notify_all();
                break;
            }
        }
        drop(early);
        let mut panicked = false;
        for w in workers {
            panicked |= w.join().is_err();
        }
        if let Some(e) = failed {
            return Err(e);
        }
        if panicked {
            bail!("a scanning thread panicked");
        }
        Ok(())
    })?;
    if let Some(e) = lock().error.take() {
        return Err(anyhow::Error::new(e).context(format!("cannot read `{name}`")));
    }
    Ok(())
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
