//! Line and column of positions in a text read in pieces, in one pass.

/// Line and column (1-based, the column in characters) of positions met in order in a text
/// read in chunks. Each byte is looked at once, however long its line: the gap from the last
/// position to the next is counted, never the line again from its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The line.
    pub line: u64,
    /// Characters since the line began.
    col: u64,
}

impl Cursor {
    /// At the start of line `line`.
    pub fn at_line(line: u64) -> Cursor {
        Cursor { line, col: 0 }
    }

    /// Moves over `bytes`, the text from the last position to the next (`utf8`: the chunk is
    /// valid UTF-8, so characters are the bytes that do not continue one).
    pub fn advance(&mut self, bytes: &[u8], utf8: bool) {
        let chars = |b: &[u8]| -> u64 {
            if utf8 {
                b.iter().filter(|&&x| (x as i8) >= -0x40).count() as u64
            } else {
                crate::count_code_points(b) as u64
            }
        };
        match memchr::memrchr(b'\n', bytes) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', bytes).count() as u64;
                self.col = chars(&bytes[last + 1..]);
            }
            None => self.col += chars(bytes),
        }
    }

    /// Where moving over a text takes this cursor, given `moved`: where moving over the same
    /// text takes `Cursor::at_line(0)`. So pieces of a text can be measured apart, in any
    /// order, and their positions joined after.
    pub fn then(self, moved: Cursor) -> Cursor {
        if moved.line > 0 {
            Cursor {
                line: self.line + moved.line,
                col: moved.col,
            }
        } else {
            Cursor {
                line: self.line,
                col: self.col + moved.col,
            }
        }
    }

    /// The 1-based column.
    pub fn column(&self) -> u64 {
        self.col + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line and column of `at` the slow way: from the start of the text.
    fn naive(text: &str, at: usize) -> (u64, u64) {
        let before = &text[..at];
        let line = before.matches('\n').count() as u64 + 1;
        let start = before.rfind('\n').map_or(0, |p| p + 1);
        (line, before[start..].chars().count() as u64 + 1)
    }

    #[test]
    fn the_cursor_agrees_with_counting_from_the_start_at_every_cut() {
        let text = "abc\n北京市 x\n\n\u{1F600}y 13812345678 end\nlast line, no newline";
        let stops: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        // Every pair of positions, every chunk cut between them.
        for (k, &a) in stops.iter().enumerate() {
            for &b in &stops[k..] {
                for &cut in stops.iter().filter(|&&c| c >= a && c <= b) {
                    let mut c = Cursor::at_line(1);
                    c.advance(&text.as_bytes()[..a], true);
                    assert_eq!((c.line, c.column()), naive(text, a));
                    c.advance(&text.as_bytes()[a..cut], true);
                    c.advance(&text.as_bytes()[cut..b], true);
                    assert_eq!((c.line, c.column()), naive(text, b), "{a}..{cut}..{b}");
                    // The same, with each piece measured on its own and joined after.
                    let moved = |from: usize, to: usize| {
                        let mut m = Cursor::at_line(0);
                        m.advance(&text.as_bytes()[from..to], true);
                        m
                    };
                    let joined = Cursor::at_line(1)
                        .then(moved(0, a))
                        .then(moved(a, cut))
                        .then(moved(cut, b));
                    assert_eq!(joined, c, "{a}..{cut}..{b}");
                }
            }
        }
        // Invalid UTF-8 counts as the detector counts it, and still never panics.
        let mut c = Cursor::at_line(7);
        c.advance(b"\xff\xfeab", false);
        assert_eq!(c.line, 7);
        assert!(c.column() > 1);
    }
}
