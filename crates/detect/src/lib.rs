//! Custodian's personal-information detection engine.
//!
//! `custodian-detect` finds personal information (PI) in text and records — Chinese and
//! international identifiers, phones, cards, addresses, names — fast and exactly. It does no
//! I/O: callers hand it bytes or parsed records and get [`Finding`]s back.
//!
//! Main types:
//! - [`Detector`]: configured scanner (which types, minimum confidence).
//! - [`Finding`]: one detected value with type, byte and code-point spans, normalised value,
//!   confidence and whether a checksum validated it.
//! - [`PiType`]: the types, with names, categories and default sensitivity.
//! - [`records`]: JSON, NDJSON and CSV scanning with JSON pointers and per-column summaries.
//! - [`mask`]: masking in the usual Chinese conventions, type placeholders, keyed pseudonyms.
//! - [`validate`]: the validators on their own (a value alone, no context).
//!
//! Design: one pass over the bytes. Only bytes that can start a finding (digits, `+`, `(`,
//! letters at a word start, Han characters in small lexicon sets) open a candidate window;
//! the exact matchers and checksums decide there, and context is read from a few dozen bytes
//! before the candidate. Input need not be valid UTF-8: offsets always refer to the
//! original bytes, and invalid bytes count as one code point each.
//!
//! ```
//! use custodian_detect::{Detector, PiType};
//!
//! let det = Detector::new();
//! let found = det.scan_str("乘客黄淑珍，联系电话17108377835");
//! let types: Vec<PiType> = found.iter().map(|f| f.pi_type).collect();
//! assert_eq!(types, [PiType::PersonNameZh, PiType::CnMobile]);
//! assert_eq!(found[1].value, "17108377835");
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod lex;
mod lexicon;
pub mod mask;
#[doc(hidden)]
pub mod model;
mod pairs;
pub mod position;
pub mod records;
mod scan;
mod text;
mod types;
pub mod validate;

pub use types::{Category, PiType, TypeSet, UnknownTypeError};

use lexicon::Cue;
use serde::Serialize;

/// One detected value.
#[derive(Clone, PartialEq, Serialize)]
pub struct Finding {
    /// What was found.
    #[serde(rename = "type")]
    pub pi_type: PiType,
    /// Code-point offset of the first character.
    pub start: usize,
    /// Code-point offset after the last character.
    pub end: usize,
    /// Byte offset of the first byte in the input.
    pub bstart: usize,
    /// Byte offset after the last byte.
    pub bend: usize,
    /// The value in normalised form (digits only for numbers, upper case for codes,
    /// lower case for e-mail addresses). This is PI: never log it.
    #[serde(skip)]
    pub value: String,
    /// How sure the detector is, from 0 to 1.
    pub score: f32,
    /// Whether a checksum or check digit validated the value.
    pub validated: bool,
}

impl std::fmt::Debug for Finding {
    // Hand-written so that a PI value never reaches a log through `{:?}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Finding")
            .field("type", &self.pi_type)
            .field("start", &self.start)
            .field("end", &self.end)
            .field("bstart", &self.bstart)
            .field("bend", &self.bend)
            .field("value", &"<redacted>")
            .field("score", &self.score)
            .field("validated", &self.validated)
            .finish()
    }
}

impl serde::Serialize for PiType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// A configured detector. Cheap to clone and share between threads.
#[derive(Clone, Debug)]
pub struct Detector {
    types: TypeSet,
    min_score: f32,
    include_non_personal: bool,
    values: bool,
}

impl Default for Detector {
    fn default() -> Self {
        Detector::new()
    }
}

impl Detector {
    /// A detector for every personal type, minimum score 0.5; organisation codes are
    /// recognised (so they are not mistaken for PI) but not reported.
    pub fn new() -> Self {
        Detector {
            types: TypeSet::all(),
            min_score: 0.5,
            include_non_personal: false,
            values: true,
        }
    }

    /// Only report these types.
    pub fn with_types(mut self, types: TypeSet) -> Self {
        self.types = types;
        self
    }

    /// Drop findings scored below `min` (0 to 1).
    pub fn with_min_score(mut self, min: f32) -> Self {
        self.min_score = min.clamp(0.0, 1.0);
        self
    }

    /// Also report non-personal types (unified social credit codes).
    pub fn with_non_personal(mut self, yes: bool) -> Self {
        self.include_non_personal = yes;
        self
    }

    /// Whether findings carry their normalised values (the default). A caller that reports
    /// only types and spans (counts, redaction, a report of where PI is) turns them off: the
    /// scan then builds no value at all, and each finding's `value` is empty.
    pub fn with_values(mut self, yes: bool) -> Self {
        self.values = yes;
        self
    }

    /// Scans a string.
    pub fn scan_str(&self, text: &str) -> Vec<Finding> {
        self.scan_bytes(text.as_bytes())
    }

    /// Scans bytes that need not be valid UTF-8; offsets refer to these bytes.
    pub fn scan_bytes(&self, bytes: &[u8]) -> Vec<Finding> {
        self.scan_with_hint(bytes, None)
    }

    /// Like [`Detector::scan_bytes`] without code-point offsets: each finding's `start` and
    /// `end` are its byte offsets (the same as `bstart` and `bend`). For callers that need only
    /// the types or the byte spans (counts, redaction): the input is neither validated as
    /// UTF-8 nor counted.
    pub fn scan_bytes_spans(&self, bytes: &[u8]) -> Vec<Finding> {
        self.scan_inner(bytes, None, Offsets::Bytes)
    }

    /// Like [`Detector::scan_bytes`], on bytes already checked for UTF-8 (no second check).
    pub fn scan_checked(&self, input: Checked<'_>) -> Vec<Finding> {
        self.scan_inner(input.bytes, None, Offsets::CodePoints { utf8: input.utf8 })
    }

    /// Scans a value whose field name or column header is `field`: the name counts as
    /// context (a `phone` column makes an 11-digit number a phone even without cue words).
    pub fn scan_field(&self, field: &str, value: &[u8]) -> Vec<Finding> {
        self.scan_with_hint(value, field_hint(field))
    }

    fn scan_with_hint(&self, bytes: &[u8], hint: Option<Cue>) -> Vec<Finding> {
        let utf8 = is_utf8(bytes);
        self.scan_inner(bytes, hint, Offsets::CodePoints { utf8 })
    }

    /// The scan, with the offsets `offsets` asks for.
    fn scan_inner(&self, bytes: &[u8], hint: Option<Cue>, offsets: Offsets) -> Vec<Finding> {
        let count = |from: usize, to: usize| match offsets {
            Offsets::Bytes => to.saturating_sub(from),
            Offsets::CodePoints { utf8: true } => bytes.get(from..to).map_or(0, count_valid_utf8),
            Offsets::CodePoints { utf8: false } => text::count_chars(bytes, from, to),
        };
        let Some(lx) = lex::lexicon() else {
            return Vec::new();
        };
        let mut sc = scan::Scanner::new(bytes, lx, hint, self.values);
        sc.run();
        let mut cands = resolve_overlaps(sc.out);
        cands.retain(|c| {
            c.conf >= self.min_score
                && self.types.contains(c.ty)
                && (c.ty.is_personal() || self.include_non_personal)
        });
        // Code-point offsets, computed incrementally over the sorted findings.
        let mut out = Vec::with_capacity(cands.len());
        let (mut at_byte, mut at_cp) = (0usize, 0usize);
        for c in cands {
            let start = at_cp + count(at_byte, c.bs);
            let end = start + count(c.bs, c.be);
            at_byte = c.be;
            at_cp = end;
            out.push(Finding {
                pi_type: c.ty,
                start,
                end,
                bstart: c.bs,
                bend: c.be,
                value: c.value,
                score: c.conf,
                validated: c.validated,
            });
        }
        out
    }
}

/// What a scan's offsets count.
#[derive(Clone, Copy)]
enum Offsets {
    Bytes,
    /// Code points, of an input that is valid UTF-8 or not.
    CodePoints {
        utf8: bool,
    },
}

/// Bytes checked once for UTF-8, so that scanning them, counting their code points and
/// placing findings in them need not check again (a large input's one pass instead of three).
#[derive(Clone, Copy, Debug)]
pub struct Checked<'a> {
    bytes: &'a [u8],
    utf8: bool,
}

impl<'a> Checked<'a> {
    /// Checks `bytes`.
    pub fn new(bytes: &'a [u8]) -> Checked<'a> {
        Checked {
            bytes,
            utf8: is_utf8(bytes),
        }
    }

    /// Whether they are valid UTF-8.
    pub fn is_utf8(&self) -> bool {
        self.utf8
    }

    /// Their code points, counted as [`count_code_points`] counts them.
    pub fn code_points(&self) -> usize {
        if self.utf8 {
            count_valid_utf8(self.bytes)
        } else {
            text::count_chars(self.bytes, 0, self.bytes.len())
        }
    }
}

/// Counts the code points in `bytes` the way findings count them: each invalid byte of a
/// non-UTF-8 input counts as one.
pub fn count_code_points(bytes: &[u8]) -> usize {
    if is_utf8(bytes) {
        count_valid_utf8(bytes)
    } else {
        text::count_chars(bytes, 0, bytes.len())
    }
}

/// Whether `bytes` are valid UTF-8, checked with SIMD (std's check runs at about a tenth of
/// the speed on Chinese text, and every JSON-lines chunk is checked once).
fn is_utf8(bytes: &[u8]) -> bool {
    simdutf8::basic::from_utf8(bytes).is_ok()
}

/// Code points of valid UTF-8: the bytes that are not continuation bytes (`10xxxxxx`),
/// counted eight at a time.
fn count_valid_utf8(s: &[u8]) -> usize {
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut chunks = s.chunks_exact(8);
    let mut continuation = 0usize;
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w);
        // A continuation byte has bit 7 set and bit 6 clear.
        continuation += (x & !(x << 1) & HI).count_ones() as usize;
    }
    let rest = chunks.remainder();
    continuation += rest.iter().filter(|&&b| b & 0xC0 == 0x80).count();
    s.len() - continuation
}

/// Sorts candidates and keeps, among overlapping ones, the best: checksum-validated and
/// structured types over addresses over names, then the longer.
fn resolve_overlaps(mut cands: Vec<scan::Cand>) -> Vec<scan::Cand> {
    fn rank(c: &scan::Cand) -> (u8, usize) {
        let p = match c.ty {
            PiType::PersonNameZh | PiType::PersonNameEn => 1,
            PiType::AddressZh => 3,
            _ if c.validated => 4,
            _ => 2,
        };
        (p, c.be - c.bs)
    }
    let key = |c: &scan::Cand| (c.bs, std::cmp::Reverse(c.be));
    // The scanner pushes in text order almost always: sort (stably, which allocates) only if
    // not.
    if !cands.is_sorted_by_key(key) {
        cands.sort_by_key(key);
    }
    // In place: `cands[..kept]` is what is kept so far; `r >= kept` always.
    let mut kept = 0;
    for r in 0..cands.len() {
        let bs = cands[r].bs;
        if kept > 0 && bs < cands[kept - 1].be {
            if rank(&cands[r]) <= rank(&cands[kept - 1]) {
                continue;
            }
            // Replace every kept candidate this one overlaps.
            while kept > 0 && bs < cands[kept - 1].be {
                kept -= 1;
            }
        }
        cands.swap(kept, r);
        kept += 1;
    }
    cands.truncate(kept);
    cands
}

/// What a field name or column header says about its values.
fn field_hint(field: &str) -> Option<Cue> {
    let lx = lex::lexicon()?;
    let f = field.as_bytes();
    lx.cue_before(f, f.len(), 64).map(|(c, _)| c)
}
