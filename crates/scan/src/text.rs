//! Text cut into chunks at line ends (scanned by `stream.rs`), and the pieces that let an
//! NDJSON record too big for a tree go through the same path.

use std::sync::atomic::{AtomicBool, Ordering};

use super::*;

/// Reads up to `size` bytes more into `buf` (a buffer to reuse), cut after the last newline;
/// the rest stays in `carry`. With the chunk, whether the input ended in it. Reads nothing more
/// once `stop` is set (the output has failed): a pipe that stays open and quiet then holds
/// the reader only until its next write.
pub(super) fn next_chunk(
    r: &mut impl Read,
    size: usize,
    carry: &mut Vec<u8>,
    mut buf: Vec<u8>,
    stop: &AtomicBool,
) -> io::Result<Option<(Vec<u8>, bool)>> {
    buf.clear();
    buf.extend_from_slice(carry);
    carry.clear();
    let want = size.max(buf.len());
    let mut filled = buf.len();
    buf.resize(want, 0);
    let mut eof = false;
    while filled < want {
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
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
    Ok(Some((buf, eof)))
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
