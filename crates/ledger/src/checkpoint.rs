//! C2SP tlog-checkpoint: the body a log signs.
//!
//! ```text
//! <origin>\n<decimal tree size>\n<base64 root hash>\n[<extension line>\n]...
//! ```
//!
//! Parsing is strict: the origin is non-empty, the size has no sign and no leading zero, the
//! root is standard base64 of exactly 32 bytes, every extension line is non-empty, and the
//! text ends with a newline. (Go's `formats/log` accepts empty trailing lines and roots of
//! other lengths; C2SP says extension lines MUST be non-empty, and a root that is not a
//! SHA-256 hash cannot be a root of this log, so both are refused here.)

use crate::TreeSize;
use crate::error::CheckpointError;
use crate::hash::Hash;

/// A parsed checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin line, e.g. `custodian.example/cn-cell/ledger`.
    pub origin: String,
    /// Number of entries.
    pub size: TreeSize,
    /// Root hash of the first `size` entries.
    pub root: Hash,
    /// Extension lines, each non-empty.
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// Parses a checkpoint body (the text of a signed note).
    pub fn parse(text: &str) -> Result<Checkpoint, CheckpointError> {
        let Some(body) = text.strip_suffix('\n') else {
            return Err(CheckpointError::new("text does not end with a newline"));
        };
        let mut lines = body.split('\n');
        let origin = lines.next().unwrap_or("");
        if origin.is_empty() {
            return Err(CheckpointError::new("origin line is empty"));
        }
        let size_line = lines
            .next()
            .ok_or_else(|| CheckpointError::new("missing tree size line"))?;
        let size = parse_size(size_line)?;
        let root_line = lines
            .next()
            .ok_or_else(|| CheckpointError::new("missing root hash line"))?;
        let root = parse_root(root_line)?;
        let mut extensions = Vec::new();
        for (i, l) in lines.enumerate() {
            if l.is_empty() {
                return Err(CheckpointError::new(format!(
                    "extension line {} is empty",
                    i + 1
                )));
            }
            extensions.push(l.to_string());
        }
        Ok(Checkpoint {
            origin: origin.to_string(),
            size,
            root,
            extensions,
        })
    }

    /// The body text to sign.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size.get(),
            self.root.to_base64()
        );
        for e in &self.extensions {
            s.push_str(e);
            s.push('\n');
        }
        s
    }
}

fn parse_size(s: &str) -> Result<TreeSize, CheckpointError> {
    let ok =
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    if !ok {
        return Err(CheckpointError::new(format!(
            "tree size `{}` is not a decimal number without leading zeros",
            s.chars().take(32).collect::<String>()
        )));
    }
    s.parse::<u64>()
        .map(TreeSize::new)
        .map_err(|_| CheckpointError::new("tree size does not fit in 64 bits"))
}

fn parse_root(s: &str) -> Result<Hash, CheckpointError> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(s)
        .map_err(|_| CheckpointError::new("root hash is not standard base64"))?;
    let len = bytes.len();
    let arr: [u8; 32] = bytes
        .try_into()
        .map_err(|_| CheckpointError::new(format!("root hash is {len} bytes, not 32")))?;
    Ok(Hash(arr))
}
