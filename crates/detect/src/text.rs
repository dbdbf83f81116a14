//! Byte-level text helpers: UTF-8 decoding that tolerates invalid bytes, character classes,
//! full-width forms.
//!
//! The scanner works on `&[u8]` so that findings carry offsets into the caller's original
//! bytes even when they are not valid UTF-8; an invalid byte decodes as U+FFFD of length 1.

/// Decodes the character starting at `i`. Invalid or truncated sequences decode as
/// `(U+FFFD, 1)`; `i` past the end gives `('\0', 0)`.
#[inline]
pub(crate) fn decode_at(b: &[u8], i: usize) -> (char, usize) {
    let Some(&b0) = b.get(i) else {
        return ('\0', 0);
    };
    if b0 < 0x80 {
        return (char::from(b0), 1);
    }
    let (len, init) = match b0 {
        0xC2..=0xDF => (2, u32::from(b0 & 0x1F)),
        0xE0..=0xEF => (3, u32::from(b0 & 0x0F)),
        0xF0..=0xF4 => (4, u32::from(b0 & 0x07)),
        _ => return (char::REPLACEMENT_CHARACTER, 1),
    };
    let Some(rest) = b.get(i + 1..i + len) else {
        return (char::REPLACEMENT_CHARACTER, 1);
    };
    let mut cp = init;
    for &c in rest {
        if c & 0xC0 != 0x80 {
            return (char::REPLACEMENT_CHARACTER, 1);
        }
        cp = (cp << 6) | u32::from(c & 0x3F);
    }
    // Reject overlong forms and surrogates the way `str::from_utf8` does.
    let min = match len {
        2 => 0x80,
        3 => 0x800,
        _ => 0x10000,
    };
    match char::from_u32(cp) {
        Some(c) if cp >= min => (c, len),
        _ => (char::REPLACEMENT_CHARACTER, 1),
    }
}

/// Decodes the character that ends at `i` (exclusive), or `None` at the start.
#[inline]
pub(crate) fn decode_before(b: &[u8], i: usize) -> Option<(char, usize)> {
    if i == 0 || i > b.len() {
        return None;
    }
    let last = b[i - 1];
    if last < 0x80 {
        return Some((char::from(last), 1));
    }
    // Most characters before a position in Chinese text are three bytes long: decoded here
    // at once (overlong forms and surrogates fall through to the general path, which
    // replaces them).
    if i >= 3
        && last & 0xC0 == 0x80
        && b[i - 2] & 0xC0 == 0x80
        && b[i - 3] & 0xF0 == 0xE0
        && let cp = (u32::from(b[i - 3] & 0x0F) << 12)
            | (u32::from(b[i - 2] & 0x3F) << 6)
            | u32::from(last & 0x3F)
        && cp >= 0x800
        && let Some(c) = char::from_u32(cp)
    {
        return Some((c, 3));
    }
    // Only the first byte back that is no continuation byte can start the character: one
    // decode there, not one at each distance.
    let mut len = 1;
    while len < 4 && len < i && b[i - len] & 0xC0 == 0x80 {
        len += 1;
    }
    if len >= 2
        && let (c, l) = decode_at(b, i - len)
        && l == len
    {
        return Some((c, len));
    }
    Some((char::REPLACEMENT_CHARACTER, 1))
}

/// A digit at `i`, ASCII or full-width (U+FF10..U+FF19): its ASCII form and byte length.
#[inline]
pub(crate) fn digit_at(b: &[u8], i: usize) -> Option<(u8, usize)> {
    match b.get(i)? {
        d @ b'0'..=b'9' => Some((*d, 1)),
        0xEF => match (b.get(i + 1)?, b.get(i + 2)?) {
            (0xBC, d @ 0x90..=0x99) => Some((b'0' + (d - 0x90), 3)),
            _ => None,
        },
        _ => None,
    }
}

/// The ASCII equivalent of a full-width ASCII character (U+FF01..U+FF5E), of the ideographic,
/// no-break and thin spaces (text pasted from web pages and word processors: `138\u{a0}1234`),
/// and of the dashes and hyphens word processors write for `-` (`138—1234—5678`), with its
/// byte length; plain ASCII passes through.
#[inline]
pub(crate) fn ascii_fold_at(b: &[u8], i: usize) -> Option<(u8, usize)> {
    let (c, l) = decode_at(b, i);
    match c {
        '\0'..='\x7f' if l == 1 => Some((c as u8, 1)),
        '\u{FF01}'..='\u{FF5E}' => Some(((c as u32 - 0xFF01 + 0x21) as u8, l)),
        '\u{3000}' | '\u{a0}' | '\u{2007}' | '\u{2009}' | '\u{202f}' => Some((b' ', l)),
        '\u{2010}'..='\u{2014}' | '\u{2212}' => Some((b'-', l)),
        _ => None,
    }
}

/// Whether `c` is a Han ideograph (CJK Unified Ideographs and Extension A).
#[inline]
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Whether the byte is an ASCII letter or digit.
#[inline]
pub(crate) fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Whether position `i` starts a word: the previous byte is not an ASCII letter, digit, `_`
/// or a `.` between digits (`1.5`; `1.ZHANG` starts one), and the previous character is not a full-width digit.
#[inline]
pub(crate) fn word_start(b: &[u8], i: usize) -> bool {
    match i.checked_sub(1).and_then(|p| b.get(p)) {
        None => true,
        Some(&p) if is_alnum(p) || p == b'_' => false,
        Some(b'.') => {
            !(b.get(i).is_some_and(u8::is_ascii_digit)
                && i.checked_sub(2)
                    .and_then(|p| b.get(p))
                    .is_some_and(|&q| q.is_ascii_digit()))
        }
        Some(_) => !(i >= 3 && digit_at(b, i - 3).is_some_and(|(_, l)| l == 3)),
    }
}

/// Whether position `i` ends a word: the next byte is not an ASCII letter or digit, nor a
/// full-width digit.
#[inline]
pub(crate) fn word_end(b: &[u8], i: usize) -> bool {
    match b.get(i) {
        None => true,
        Some(&n) if is_alnum(n) || n == b'_' => false,
        Some(_) => digit_at(b, i).is_none(),
    }
}

/// Counts the code points in `b[from..to]` (invalid bytes count one each).
pub(crate) fn count_chars(b: &[u8], from: usize, to: usize) -> usize {
    let mut i = from;
    let mut n = 0;
    while i < to {
        let (_, l) = decode_at(b, i);
        i += l.max(1);
        n += 1;
    }
    n
}

/// Whether the word that ends `b` names a network address (`ip`, `client_ip`, `host`,
/// `remote_addr`, `server`): an address glued to it by `:` is one (`ip:10.0.0.1`).
pub(crate) fn names_an_address(b: &[u8]) -> bool {
    let start = b
        .iter()
        .rposition(|c| !(c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-'))
        .map_or(0, |k| k + 1);
    let w = b[start..].to_ascii_lowercase();
    [
        "ip",
        "host",
        "addr",
        "address",
        "server",
        "peer",
        "gateway",
        "gw",
        "dns",
        "proxy",
        "from",
        "to",
        "src",
        "dst",
        "remote",
        "client",
        "upstream",
        "for",
        "nameserver",
    ]
    .iter()
    .any(|s| w.ends_with(s.as_bytes()))
}

/// Where the next line's text starts if a line break (with up to 16 spaces or tabs either
/// side) is at `p`.
pub(crate) fn line_break_at(b: &[u8], p: usize) -> Option<usize> {
    let blank = |from: usize| {
        let mut q = from;
        while q < from + 16 && matches!(b.get(q), Some(b' ' | b'\t')) {
            q += 1;
        }
        q
    };
    let q = blank(p);
    let q = match (b.get(q), b.get(q + 1)) {
        (Some(b'\n'), _) => q + 1,
        (Some(b'\r'), Some(b'\n')) => q + 2,
        _ => return None,
    };
    Some(blank(q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_std_on_valid_and_replaces_invalid() {
        let s = "a中𝄞é";
        let b = s.as_bytes();
        let mut i = 0;
        let mut got = String::new();
        while i < b.len() {
            let (c, l) = decode_at(b, i);
            got.push(c);
            i += l;
        }
        assert_eq!(got, s);
        assert_eq!(decode_at(b"\xff", 0), (char::REPLACEMENT_CHARACTER, 1));
        assert_eq!(decode_at(b"\xe4\xb8", 0), (char::REPLACEMENT_CHARACTER, 1));
        assert_eq!(decode_at(b"\xc0\x80", 0), (char::REPLACEMENT_CHARACTER, 1));
        assert_eq!(decode_before("a中".as_bytes(), 4), Some(('中', 3)));
        assert_eq!(digit_at("７".as_bytes(), 0), Some((b'7', 3)));
        assert_eq!(ascii_fold_at("＋".as_bytes(), 0), Some((b'+', 3)));
        assert_eq!(count_chars("a中b".as_bytes(), 0, 5), 3);
    }

    /// The character `std` reads at `i`, or U+FFFD of one byte.
    fn std_decode(b: &[u8], i: usize) -> (char, usize) {
        (1..=4.min(b.len() - i))
            .find_map(|l| std::str::from_utf8(&b[i..i + l]).ok().map(|s| (s, l)))
            .and_then(|(s, l)| s.chars().next().map(|c| (c, l)))
            .unwrap_or((char::REPLACEMENT_CHARACTER, 1))
    }

    /// The character before `i` as the decodes at each distance back find it: the one that
    /// ends exactly at `i`, or U+FFFD of one byte.
    fn decode_before_at_each_distance(b: &[u8], i: usize) -> Option<(char, usize)> {
        if i == 0 || i > b.len() {
            return None;
        }
        if b[i - 1] < 0x80 {
            return Some((char::from(b[i - 1]), 1));
        }
        (2..=4.min(i))
            .map(|len| (decode_at(b, i - len), len))
            .find(|((_, l), len)| l == len)
            .map_or(Some((char::REPLACEMENT_CHARACTER, 1)), |((c, _), len)| {
                Some((c, len))
            })
    }

    #[test]
    fn every_lead_byte_with_two_more_decodes_as_std_reads_it() {
        let more = [
            0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xE0, 0xFF,
        ];
        for b0 in 0..=255u8 {
            for &b1 in &more {
                for &b2 in &more {
                    for b in [
                        vec![b0, b1, b2],
                        vec![0xE4, b0, b1, b2],
                        vec![0xF0, 0x9F, b0, b1, b2],
                    ] {
                        for i in 0..b.len() {
                            assert_eq!(decode_at(&b, i), std_decode(&b, i), "{b:02x?} at {i}");
                        }
                        for i in 0..=b.len() + 1 {
                            assert_eq!(
                                decode_before(&b, i),
                                decode_before_at_each_distance(&b, i),
                                "{b:02x?} before {i}"
                            );
                        }
                    }
                }
            }
        }
        // A valid character before a position is the one `std` reads where it starts.
        let s = "a中𝄞é\u{800}\u{FFFF}";
        for (i, c) in s.char_indices() {
            assert_eq!(
                decode_before(s.as_bytes(), i + c.len_utf8()),
                Some((c, c.len_utf8()))
            );
        }
    }
}
