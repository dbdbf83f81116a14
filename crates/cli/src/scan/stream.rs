//! A stream of text scanned in chunks on every thread and written in input order, with line,
//! column and offsets right at any offset.
//!
//! With one thread, each chunk is read, measured, scanned, rendered and written in turn. With
//! more, every worker takes the next chunk as soon as it is free (no batch waits for its
//! slowest chunk), checks it for UTF-8 and measures it (bytes, code points, lines: cheap), and
//! publishes the measure; chunk by chunk in input order these give where each chunk starts.
//! The worker then scans its chunk, takes its start (published long before, by the workers of
//! the chunks before it) and renders its JSON lines or redacted text; the calling thread
//! writes the chunks in input order as they come. A worker takes a chunk only while fewer than
//! threads + 1 chunks are read and not yet written, and buffers are reused, so memory is
//! bounded however long the input and its lines.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, mpsc};

use custodian_detect::Checked;
use custodian_detect::position::Cursor;

use super::*;

/// Scans text in chunks of `CHUNK` bytes cut at line ends and writes what the mode asks in
/// input order; the bytes read.
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
        read: 0,
        spare: Vec::new(),
    };
    let start = Start {
        byte: 0,
        char: 0,
        pos: Cursor::at_line(origin.line),
    };
    let mut spans = Vec::new();
    let threads = rayon::current_num_threads();
    if threads <= 1 {
        let (mut at, mut spare) = (start, Vec::new());
        while let Some(c) = chunks
            .next()
            .with_context(|| format!("cannot read `{name}`"))?
        {
            let (checked, moved) = measure(cfg, &c);
            let findings = scan(cfg, &c, checked);
            let utf8 = checked.is_some_and(|k| k.is_utf8());
            let done = render(cfg, name, origin, &c, utf8, findings, at, take(&mut spare))?;
            at = at.then(&moved);
            spare = write(cfg, name, out, &mut spans, &c, done)?;
            chunks.spare.push(c);
        }
    } else {
        scan_parallel(
            cfg,
            name,
            origin,
            &mut chunks,
            start,
            out,
            &mut spans,
            threads,
        )?;
    }
    if matches!(cfg.mode, Mode::PerRecord) {
        out.w
            .write_all(json!({ "spans": spans }).to_string().as_bytes())?;
        out.w.write_all(b"\n")?;
    }
    Ok(chunks.read)
}

fn take(v: &mut Vec<u8>) -> Vec<u8> {
    std::mem::take(v)
}

/// A stream's chunks.
struct Chunks<R> {
    r: R,
    carry: Vec<u8>,
    /// Bytes read so far.
    read: u64,
    /// Buffers written and free to take the next chunks.
    spare: Vec<Vec<u8>>,
}

impl<R: Read> Chunks<R> {
    fn next(&mut self) -> io::Result<Option<Vec<u8>>> {
        let buf = self.spare.pop().unwrap_or_default();
        let c = next_chunk(&mut self.r, &mut self.carry, buf)?;
        if let Some(c) = &c {
            self.read += c.len() as u64;
        }
        Ok(c)
    }
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

impl Start {
    /// Where the next chunk starts.
    fn then(self, m: &Moved) -> Start {
        Start {
            byte: self.byte + m.bytes,
            char: self.char + m.chars,
            pos: self.pos.then(m.pos),
        }
    }
}

/// What a chunk moves its stream's position by: its bytes and, where the mode needs them, its
/// code points and lines (`pos`: where the chunk takes a cursor from line 0).
struct Moved {
    bytes: u64,
    chars: u64,
    pos: Cursor,
}

/// Checks a chunk for UTF-8 and measures it, where the mode needs code points and lines (JSON
/// lines, SARIF, spans); summaries and redaction need neither.
fn measure<'a>(cfg: &ScanConfig, c: &'a [u8]) -> (Option<Checked<'a>>, Moved) {
    let mut moved = Moved {
        bytes: c.len() as u64,
        chars: 0,
        pos: Cursor::at_line(0),
    };
    if matches!(
        cfg.mode,
        Mode::Report(OutputFormat::Summary) | Mode::Redact(_)
    ) {
        return (None, moved);
    }
    let checked = Checked::new(c);
    moved.chars = checked.code_points() as u64;
    moved.pos.advance(c, checked.is_utf8());
    (Some(checked), moved)
}

/// Scans a chunk: with code-point offsets where it was checked, byte offsets where not.
fn scan(cfg: &ScanConfig, c: &[u8], checked: Option<Checked<'_>>) -> Vec<Finding> {
    match checked {
        Some(k) => cfg.det.scan_checked(k),
        None => cfg.det.scan_bytes_spans(c),
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

/// Renders what can be rendered of a scanned chunk without the chunks before it (`utf8`: the
/// chunk is valid UTF-8; `at`: where it starts).
#[expect(
    clippy::too_many_arguments,
    reason = "one chunk's parts, each used once"
)]
fn render(
    cfg: &ScanConfig,
    name: &str,
    origin: Origin,
    c: &[u8],
    utf8: bool,
    mut findings: Vec<Finding>,
    at: Start,
    buf: Vec<u8>,
) -> Result<Rendered> {
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
            // Never grown past the budget (pages not written are not taken).
            done.bytes = buf;
            done.bytes.clear();
            done.bytes.reserve_exact(RENDER_BUDGET);
            let mut row = Vec::with_capacity(512);
            let mut rendered = 0;
            for f in &findings {
                let mut placer = done.resume;
                let place = placer.place(c, utf8, f);
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

/// What the workers of one stream share: its chunks, how far reading and writing are, and
/// where the chunks start.
struct Feed<'a, R> {
    chunks: &'a mut Chunks<R>,
    /// The number of the next chunk to read.
    next: u64,
    /// Chunks written so far (every chunk numbered below this one).
    written: u64,
    /// The input is read to its end, reading failed, or writing stopped: take nothing more.
    done: bool,
    /// A worker panicked: nothing more will be published.
    broken: bool,
    error: Option<io::Error>,
    /// Measures published, of chunks whose start is not yet known.
    moved: HashMap<u64, Moved>,
    /// Starts known and not yet taken by their chunk's worker.
    starts: HashMap<u64, Start>,
    /// The first chunk whose start is not yet known, and that start once it is.
    known: u64,
    next_start: Start,
    /// Buffers of rendered output written and free to reuse.
    spare: Vec<Vec<u8>>,
}

impl<R> Feed<'_, R> {
    /// Turns measures into starts, in input order, as far as they go.
    fn settle(&mut self) {
        while let Some(m) = self.moved.remove(&self.known) {
            self.starts.insert(self.known, self.next_start);
            self.next_start = self.next_start.then(&m);
            self.known += 1;
        }
    }
}

/// Marks the feed broken if its worker panics, so that no other worker waits for it.
struct Breaks<'a, 'b, R> {
    feed: &'a Mutex<Feed<'b, R>>,
    turn: &'a Condvar,
}

impl<R> Drop for Breaks<'_, '_, R> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let mut f = self.feed.lock().unwrap_or_else(PoisonError::into_inner);
            f.broken = true;
            f.done = true;
            drop(f);
            self.turn.notify_all();
        }
    }
}

type Sent = (u64, Vec<u8>, Result<Rendered>);

#[expect(
    clippy::too_many_arguments,
    reason = "the stream's parts, each used once"
)]
fn scan_parallel<R: Read + Send>(
    cfg: &ScanConfig,
    name: &str,
    origin: Origin,
    chunks: &mut Chunks<R>,
    start: Start,
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
        broken: false,
        error: None,
        moved: HashMap::new(),
        starts: HashMap::new(),
        known: 0,
        next_start: start,
        spare: Vec::new(),
    });
    let turn = Condvar::new();
    let lock = || feed.lock().unwrap_or_else(PoisonError::into_inner);
    std::thread::scope(|s| -> Result<()> {
        let (tx, rx) = mpsc::channel::<Sent>();
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let tx = tx.clone();
                let (feed, turn) = (&feed, &turn);
                s.spawn(move || work(cfg, name, origin, feed, turn, window, &tx))
            })
            .collect();
        drop(tx);
        // Chunks in input order; those scanned early wait here (fewer than `window`).
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

/// One worker: takes chunks while there are any and the window allows, and sends each
/// scanned and rendered.
fn work<R: Read>(
    cfg: &ScanConfig,
    name: &str,
    origin: Origin,
    feed: &Mutex<Feed<'_, R>>,
    turn: &Condvar,
    window: u64,
    tx: &mpsc::Sender<Sent>,
) {
    let _breaks = Breaks { feed, turn };
    let lock = || feed.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        let (seq, chunk, buf) = {
            let mut f = lock();
            while !f.done && f.next >= f.written + window {
                f = wait(turn, f);
            }
            if f.done {
                return;
            }
            match f.chunks.next() {
                Ok(Some(c)) => {
                    f.next += 1;
                    (f.next - 1, c, f.spare.pop().unwrap_or_default())
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
        let (checked, moved) = measure(cfg, &chunk);
        {
            let mut f = lock();
            f.moved.insert(seq, moved);
            f.settle();
        }
        turn.notify_all();
        let findings = scan(cfg, &chunk, checked);
        let utf8 = checked.is_some_and(|k| k.is_utf8());
        let at = {
            let mut f = lock();
            loop {
                if let Some(at) = f.starts.remove(&seq) {
                    break at;
                }
                if f.broken {
                    return;
                }
                f = wait(turn, f);
            }
        };
        let done = render(cfg, name, origin, &chunk, utf8, findings, at, buf);
        if tx.send((seq, chunk, done)).is_err() {
            return;
        }
    }
}

/// Waits on `turn`, whatever another thread's panic left in the lock.
fn wait<'a, T>(turn: &Condvar, g: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
    turn.wait(g).unwrap_or_else(PoisonError::into_inner)
}
