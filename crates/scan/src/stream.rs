//! A stream of text scanned in chunks on every thread and written in input order, with line,
//! column and offsets right at any offset.
//!
//! With one thread, or an input that ends within its first chunk, each chunk is read,
//! measured, scanned, rendered and written in turn. Otherwise every worker takes the next chunk
//! as soon as it is free (no batch waits for its slowest chunk), checks it for UTF-8 once and
//! measures it (bytes, code points, lines: cheap), and publishes the measure; chunk by chunk in
//! input order these give where each chunk starts. The worker then scans its chunk, takes its
//! start (published long before, by the workers of the chunks before it) and renders its JSON
//! lines or redacted text; the calling thread writes the chunks in input order as they come. A
//! worker reads a chunk only while fewer than threads + 1 are read and not yet written, and
//! buffers are reused, so memory is bounded however long the input and its lines.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, mpsc};

use custodian_detect::Checked;
use custodian_detect::position::Cursor;

use super::*;

/// Scans text in chunks of `cfg.chunk` bytes cut at line ends and writes what the mode asks in
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
        size: cfg.chunk,
        carry: Vec::new(),
        read: 0,
        ended: false,
        first: None,
    };
    let start = Start {
        byte: 0,
        char: 0,
        pos: Cursor::at_line(origin.line),
    };
    let cannot_read = || format!("cannot read `{name}`");
    let stop = AtomicBool::new(false);
    // The first chunk tells whether threads are worth starting for this input.
    chunks.first = chunks.next(Vec::new(), &stop).with_context(cannot_read)?;
    let mut spans = Vec::new();
    let threads = rayon::current_num_threads();
    if threads <= 1 || chunks.ended {
        let (mut at, mut spare_chunk, mut spare_out) = (start, Vec::new(), Vec::new());
        while let Some(c) = chunks.next(spare_chunk, &stop).with_context(cannot_read)? {
            let (checked, moved) = measure(cfg, &c);
            let findings = scan(cfg, &c, checked);
            let utf8 = checked.is_some_and(|k| k.is_utf8());
            let done = render(cfg, name, origin, &c, utf8, findings, at, spare_out)?;
            at = at.then(&moved);
            spare_out = write(cfg, name, out, &mut spans, &c, done)?;
            spare_chunk = c;
        }
    } else {
        let parts = Parts {
            cfg,
            name,
            origin,
            window: threads as u64 + 1,
        };
        scan_parallel(&parts, &mut chunks, start, &stop, out, &mut spans, threads)?;
    }
    if matches!(cfg.mode, Mode::PerRecord) {
        out.w
            .write_all(json!({ "spans": spans }).to_string().as_bytes())?;
        out.w.write_all(b"\n")?;
    }
    Ok(chunks.read)
}

/// A stream's chunks.
struct Chunks<R> {
    r: R,
    /// Bytes a chunk holds, at most (but for a longer line without a space).
    size: usize,
    carry: Vec<u8>,
    /// Bytes read so far.
    read: u64,
    /// The input has ended: no chunk follows the last one read.
    ended: bool,
    /// A chunk read ahead, given first.
    first: Option<Vec<u8>>,
}

impl<R: Read> Chunks<R> {
    /// The next chunk, read into `buf` (a buffer to reuse); none once the input has ended or
    /// `stop` is set.
    fn next(&mut self, buf: Vec<u8>, stop: &AtomicBool) -> io::Result<Option<Vec<u8>>> {
        if let Some(c) = self.first.take() {
            return Ok(Some(c));
        }
        if self.ended {
            return Ok(None);
        }
        let Some((c, ended)) = next_chunk(&mut self.r, self.size, &mut self.carry, buf, stop)?
        else {
            // The end of the input, unless reading was stopped (the output failed).
            self.ended = !stop.load(Ordering::Relaxed);
            return Ok(None);
        };
        self.ended = ended;
        self.read += c.len() as u64;
        Ok(Some(c))
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
    /// The chunk is valid UTF-8 (checked once, by its worker).
    utf8: bool,
    bytes: Vec<u8>,
    rest: Vec<Finding>,
    /// Where the first of `rest` is to be placed from.
    resume: Placer,
}

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

    /// Where `f`, the next finding of chunk `c` (`utf8`: valid UTF-8), is.
    fn place(&mut self, c: &[u8], utf8: bool, f: &Finding) -> Place {
        let to = f.bstart.clamp(self.from, c.len());
        self.pos.advance(&c[self.from..to], utf8);
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

/// Room for a row past the render budget, beside its file's name: a finding's masked value,
/// escaped, and the row's fields.
const ROW_MARGIN: usize = 16 << 10;

/// Renders what can be rendered of a scanned chunk without the chunks before it (`utf8`: the
/// chunk is valid UTF-8; `at`: where it starts; `buf`: a buffer to reuse).
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
    mut buf: Vec<u8>,
) -> Result<Rendered> {
    let mut counts = [0; PiType::ALL.len()];
    for f in &findings {
        counts[f.pi_type.index()] += 1;
    }
    buf.clear();
    let mut done = Rendered {
        counts,
        utf8,
        bytes: Vec::new(),
        rest: Vec::new(),
        resume: Placer::new(at, origin),
    };
    match &cfg.mode {
        Mode::Redact(style) => {
            mask::redact_into(&mut buf, c, &findings, style);
            done.bytes = buf;
        }
        Mode::Report(OutputFormat::Summary) => done.bytes = buf,
        Mode::Report(OutputFormat::Jsonl) => {
            // Never grown past the budget and one row (pages not written are not taken): a
            // row is its file's name and a finding's masked value, escaped, and some numbers.
            let file = sink::JsonName::new(name);
            done.bytes = buf;
            done.bytes
                .reserve_exact(cfg.render_budget() + file.len() + ROW_MARGIN);
            let mut rendered = 0;
            for f in &findings {
                let mut placer = done.resume;
                let place = placer.place(c, utf8, f);
                let original = String::from_utf8_lossy(&c[f.bstart..f.bend]);
                // Written in place; a row that would pass the budget is taken back.
                let before = done.bytes.len();
                sink::jsonl_row(&mut done.bytes, &file, f, &original, &place)?;
                if done.bytes.len() > cfg.render_budget() {
                    done.bytes.truncate(before);
                    break;
                }
                done.resume = placer;
                rendered += 1;
            }
            findings.drain(..rendered);
            done.rest = findings;
        }
        _ => {
            done.bytes = buf;
            done.rest = findings;
        }
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
        Mode::Report(_) => out.count_all(name, &done.counts),
        // The evaluation's spans are not counted (nor are a small record's).
        Mode::PerRecord => {}
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
    let mut placer = done.resume;
    let file = sink::JsonName::new(name);
    for f in &done.rest {
        let place = placer.place(c, done.utf8, f);
        let original = String::from_utf8_lossy(&c[f.bstart..f.bend]);
        match cfg.mode {
            Mode::Report(OutputFormat::Sarif) => out.sarif_result(name, f, &original, &place),
            _ => sink::jsonl_row(&mut out.w, &file, f, &original, &place)?,
        }
    }
    Ok(spare)
}

/// What every thread of one stream needs to know.
struct Parts<'a> {
    cfg: &'a ScanConfig,
    name: &'a str,
    origin: Origin,
    /// Chunks read and not yet written, at most.
    window: u64,
}

/// What the threads of one stream share, besides the reader (which has a lock of its own, so
/// that a slow read holds up only the next read): how far reading and writing are, where the
/// chunks start, and buffers to reuse.
struct Feed {
    /// The number of the next chunk to read.
    next: u64,
    /// Chunks written so far (every chunk numbered below this one).
    written: u64,
    /// The input is read to its end, reading failed, or writing stopped: read nothing more.
    done: bool,
    /// A thread panicked: nothing more will be published.
    broken: bool,
    error: Option<io::Error>,
    /// Measures published, of chunks whose start is not yet known.
    moved: HashMap<u64, Moved>,
    /// Starts known and not yet taken by their chunk's worker.
    starts: HashMap<u64, Start>,
    /// The first chunk whose start is not yet known.
    unsettled: u64,
    /// That chunk's start, once every chunk before it is measured.
    next_start: Start,
    /// Chunk buffers written and free to reuse.
    spare_chunks: Vec<Vec<u8>>,
    /// Output buffers written and free to reuse.
    spare_out: Vec<Vec<u8>>,
}

impl Feed {
    /// Turns measures into starts, in input order, as far as they go.
    fn settle(&mut self) {
        while let Some(m) = self.moved.remove(&self.unsettled) {
            self.starts.insert(self.unsettled, self.next_start);
            self.next_start = self.next_start.then(&m);
            self.unsettled += 1;
        }
    }
}

/// What the threads of a stream synchronise on.
struct Shared<'a> {
    feed: Mutex<Feed>,
    turn: Condvar,
    /// Set when the output fails: the reader reads no more.
    stop: &'a AtomicBool,
}

impl Shared<'_> {
    fn lock(&self) -> MutexGuard<'_, Feed> {
        self.feed.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a change to the feed, whatever another thread's panic left in the lock.
    fn wait<'g>(&self, g: MutexGuard<'g, Feed>) -> MutexGuard<'g, Feed> {
        self.turn.wait(g).unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops the stream: nothing more is read, and (`broken`) nothing more published.
    fn stop(&self, broken: bool) {
        self.stop.store(true, Ordering::Relaxed);
        let mut f = self.lock();
        f.done = true;
        f.broken |= broken;
        drop(f);
        self.turn.notify_all();
    }
}

/// Stops the stream if its thread panics, so that no other thread waits for it.
struct Breaks<'a, 'b>(&'a Shared<'b>);

impl Drop for Breaks<'_, '_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop(true);
        }
    }
}

type Sent = (u64, Vec<u8>, Result<Rendered>);

/// The workers and the writing of one stream. A failed output stops the reading between two
/// reads: a worker blocked in a read of a pipe that stays open and quiet (`tail -f … |`)
/// holds the stream's end until that read returns.
fn scan_parallel<R: Read + Send>(
    parts: &Parts<'_>,
    chunks: &mut Chunks<R>,
    start: Start,
    stop: &AtomicBool,
    out: &mut Sink<impl Write>,
    spans: &mut Vec<Value>,
    threads: usize,
) -> Result<()> {
    let (cfg, name) = (parts.cfg, parts.name);
    let reader = Mutex::new(chunks);
    let sync = Shared {
        feed: Mutex::new(Feed {
            next: 0,
            written: 0,
            done: false,
            broken: false,
            error: None,
            moved: HashMap::new(),
            starts: HashMap::new(),
            unsettled: 0,
            next_start: start,
            spare_chunks: Vec::new(),
            spare_out: Vec::new(),
        }),
        turn: Condvar::new(),
        stop,
    };
    std::thread::scope(|s| -> Result<()> {
        // A panic here, as in a worker, stops the others rather than leaving them waiting.
        let _breaks = Breaks(&sync);
        let (tx, rx) = mpsc::channel::<Sent>();
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let tx = tx.clone();
                let (sync, reader) = (&sync, &reader);
                s.spawn(move || work(parts, sync, reader, &tx))
            })
            .collect();
        drop(tx);
        // Chunks in input order; those scanned early wait here (fewer than the window).
        let mut early = BTreeMap::new();
        let mut expect = 0u64;
        let mut failed = None;
        for (seq, chunk, done) in rx {
            early.insert(seq, (chunk, done));
            while let Some((chunk, done)) = early.remove(&expect) {
                match done.and_then(|d| write(cfg, name, out, spans, &chunk, d)) {
                    Ok(buf) => {
                        expect += 1;
                        let mut f = sync.lock();
                        f.written = expect;
                        f.spare_out.push(buf);
                        f.spare_chunks.push(chunk);
                        drop(f);
                        sync.turn.notify_all();
                    }
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            if failed.is_some() {
                // Stop the workers; the error is reported once they are gone.
                sync.stop(false);
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
    if let Some(e) = sync.lock().error.take() {
        return Err(anyhow::Error::new(e).context(format!("cannot read `{name}`")));
    }
    Ok(())
}

/// One worker: reads chunks while there are any and the window allows, and sends each
/// scanned and rendered.
fn work<R: Read>(
    parts: &Parts<'_>,
    sync: &Shared<'_>,
    reader: &Mutex<&mut Chunks<R>>,
    tx: &mpsc::Sender<Sent>,
) {
    let _breaks = Breaks(sync);
    let Parts {
        cfg,
        name,
        origin,
        window,
    } = *parts;
    loop {
        // The reader's lock first, then the feed's (which the wait gives up meanwhile): chunks
        // are numbered in the order they are read.
        let mut rd = reader.lock().unwrap_or_else(PoisonError::into_inner);
        let buf = {
            let mut f = sync.lock();
            while !f.done && f.next >= f.written + window {
                f = sync.wait(f);
            }
            if f.done {
                return;
            }
            f.spare_chunks.pop().unwrap_or_default()
        };
        let read = rd.next(buf, sync.stop);
        let (seq, chunk, out_buf) = {
            let mut f = sync.lock();
            match read {
                Ok(Some(c)) => {
                    f.next += 1;
                    (f.next - 1, c, f.spare_out.pop().unwrap_or_default())
                }
                Ok(None) => {
                    f.done = true;
                    drop(f);
                    sync.turn.notify_all();
                    return;
                }
                Err(e) => {
                    f.error = Some(e);
                    f.done = true;
                    drop(f);
                    sync.turn.notify_all();
                    return;
                }
            }
        };
        drop(rd);
        let (checked, moved) = measure(cfg, &chunk);
        {
            let mut f = sync.lock();
            f.moved.insert(seq, moved);
            f.settle();
        }
        sync.turn.notify_all();
        // Its measure is published (the chunks after it get their starts); nothing more to do
        // once the output has failed.
        if sync.stop.load(Ordering::Relaxed) {
            return;
        }
        let findings = scan(cfg, &chunk, checked);
        let utf8 = checked.is_some_and(|k| k.is_utf8());
        let at = {
            let mut f = sync.lock();
            loop {
                if let Some(at) = f.starts.remove(&seq) {
                    break at;
                }
                if f.broken {
                    return;
                }
                f = sync.wait(f);
            }
        };
        let done = render(cfg, name, origin, &chunk, utf8, findings, at, out_buf);
        if tx.send((seq, chunk, done)).is_err() {
            return;
        }
    }
}
