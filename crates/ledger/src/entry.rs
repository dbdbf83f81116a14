//! Ledger entries: what happened to personal information, named by identifiers only.
//!
//! An [`Entry`] names the act (kind, time, decision and reason), the tenant, subject, fields,
//! purpose, service, order and tokens it concerns — by identifier, never by value. Its leaf is
//! the canonical encoding below, so the same event always hashes the same:
//!
//! ```text
//! version  u8 = 1
//! kind     u8            (EntryKind)
//! time     i64 BE        milliseconds since the Unix epoch, UTC
//! decision u8            (Decision)
//! tenant, subject, purpose, service, reason, order, destination:
//!          u8 length (0 = absent) + that many bytes of an Id
//! fields   u16 BE count, then each Id as u8 length + bytes
//! tokens   u16 BE count, then each Id as u8 length + bytes
//! ```
//!
//! Decoding is strict: unknown versions, kinds or decisions, invalid identifiers and trailing
//! bytes are refused. An [`Id`] is 1 to 128 characters from `A–Z a–z 0–9 . _ : / - = +`: no
//! spaces, no `@`, no CJK, so names, addresses, e-mail addresses and free text cannot be
//! written into the ledger by mistake. (The vault builds identifiers itself — random subject
//! ids and tokens — and never from a value.)

use serde::Serialize;

use crate::error::EntryError;
use crate::hash::{Hash, leaf_hash};

/// Encoding version of [`Entry::encode`].
pub const ENTRY_VERSION: u8 = 1;

/// An identifier that may stand in the ledger.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    /// Checks and wraps an identifier.
    pub fn new(s: &str) -> Result<Id, EntryError> {
        let ok = !s.is_empty()
            && s.len() <= 128
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._:/-=+".contains(&b));
        if !ok {
            // The rejected string may be a PI value written by mistake: never echo it.
            return Err(EntryError::new(format!(
                "a value of {} characters is not a ledger identifier (1-128 of A-Z a-z 0-9 . _ : / - = +)",
                s.chars().count()
            )));
        }
        Ok(Id(s.to_string()))
    }

    /// The identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! byte_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $n:literal => $s:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $v = $n),* }

        impl $name {
            /// The byte in the encoding.
            pub const fn code(self) -> u8 { self as u8 }

            /// From its byte.
            pub fn from_code(c: u8) -> Option<Self> {
                match c { $($n => Some($name::$v),)* _ => None }
            }

            /// The snake_case name.
            pub const fn name(self) -> &'static str {
                match self { $($name::$v => $s),* }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }
    };
}

byte_enum!(
    /// What happened.
    EntryKind {
        /// A subject registered.
        Register = 1 => "register",
        /// Values collected and sealed.
        Collect = 2 => "collect",
        /// Values read back for a purpose.
        Detokenize = 3 => "detokenize",
        /// A lookup by blind index.
        Lookup = 4 => "lookup",
        /// An export to a recipient in another jurisdiction.
        Transfer = 5 => "transfer",
        /// Consent granted.
        ConsentGrant = 6 => "consent_grant",
        /// Consent withdrawn.
        ConsentWithdraw = 7 => "consent_withdraw",
        /// A regulator's order submitted (or refused).
        Order = 8 => "order",
        /// An order enforced on a request.
        OrderEnforced = 9 => "order_enforced",
        /// A subject erased (data key destroyed).
        Erase = 10 => "erase",
        /// A subject's data exported to the subject.
        Export = 11 => "export",
        /// A key rotated.
        KeyRotation = 12 => "key_rotation",
        /// Configuration or manifest changed.
        ConfigChange = 13 => "config_change",
        /// A caller's access: a regulator's read, or a request refused for its role or
        /// tenant.
        Access = 14 => "access",
        /// Values received from another cell under its transfer entry (the entry's receipt
        /// verified, the arrival recorded with its provenance).
        Receive = 15 => "receive",
    }
);

byte_enum!(
    /// The outcome of the decision behind the act.
    Decision {
        /// No decision applies (e.g. a key rotation).
        None = 0 => "none",
        /// Allowed.
        Allow = 1 => "allow",
        /// Denied.
        Deny = 2 => "deny",
    }
);

/// One ledger event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// What happened.
    pub kind: EntryKind,
    /// When, in milliseconds since the Unix epoch (UTC).
    pub time_ms: i64,
    /// The decision.
    pub decision: Decision,
    /// The tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<Id>,
    /// The subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Id>,
    /// The purpose acted for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Id>,
    /// The service that acted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<Id>,
    /// Machine-readable reason code of the decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Id>,
    /// The order concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<Id>,
    /// For transfers: the destination jurisdiction or recipient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<Id>,
    /// Field identifiers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Id>,
    /// Token identifiers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tokens: Vec<Id>,
}

impl Entry {
    /// An entry of `kind` at `time_ms` with nothing else set.
    pub fn new(kind: EntryKind, time_ms: i64, decision: Decision) -> Entry {
        Entry {
            kind,
            time_ms,
            decision,
            tenant: None,
            subject: None,
            purpose: None,
            service: None,
            reason: None,
            order: None,
            destination: None,
            fields: Vec::new(),
            tokens: Vec::new(),
        }
    }

    /// The canonical bytes (see the module docs).
    pub fn encode(&self) -> Result<Vec<u8>, EntryError> {
        let mut out = Vec::with_capacity(96);
        out.push(ENTRY_VERSION);
        out.push(self.kind.code());
        out.extend_from_slice(&self.time_ms.to_be_bytes());
        out.push(self.decision.code());
        for id in [
            &self.tenant,
            &self.subject,
            &self.purpose,
            &self.service,
            &self.reason,
            &self.order,
            &self.destination,
        ] {
            match id {
                Some(id) => put_id(&mut out, id),
                None => out.push(0),
            }
        }
        for list in [&self.fields, &self.tokens] {
            let n = u16::try_from(list.len())
                .map_err(|_| EntryError::new("more than 65535 identifiers in a list"))?;
            out.extend_from_slice(&n.to_be_bytes());
            for id in list {
                put_id(&mut out, id);
            }
        }
        Ok(out)
    }

    /// The kind of the entry whose canonical bytes these are, read without decoding the rest
    /// (`None`: not an entry of this version, or of no known kind). For readers that skip the
    /// kinds they do not look at; [`Entry::decode`] checks the whole.
    pub fn kind_of(bytes: &[u8]) -> Option<EntryKind> {
        match bytes {
            [ENTRY_VERSION, kind, ..] => EntryKind::from_code(*kind),
            _ => None,
        }
    }

    /// Decodes canonical bytes.
    pub fn decode(bytes: &[u8]) -> Result<Entry, EntryError> {
        let mut r = Reader { b: bytes, at: 0 };
        let version = r.u8()?;
        if version != ENTRY_VERSION {
            return Err(EntryError::new(format!("unknown entry version {version}")));
        }
        let kind = r.u8()?;
        let kind = EntryKind::from_code(kind)
            .ok_or_else(|| EntryError::new(format!("unknown entry kind {kind}")))?;
        let time_ms = i64::from_be_bytes(
            r.take(8)?
                .try_into()
                .map_err(|_| EntryError::new("short time"))?,
        );
        let d = r.u8()?;
        let decision = Decision::from_code(d)
            .ok_or_else(|| EntryError::new(format!("unknown decision {d}")))?;
        let mut opt = || -> Result<Option<Id>, EntryError> {
            let n = r.u8()?;
            if n == 0 {
                return Ok(None);
            }
            r.id(n).map(Some)
        };
        let (tenant, subject, purpose, service, reason, order, destination) =
            (opt()?, opt()?, opt()?, opt()?, opt()?, opt()?, opt()?);
        let mut lists = [Vec::new(), Vec::new()];
        for list in &mut lists {
            let n = u16::from_be_bytes(
                r.take(2)?
                    .try_into()
                    .map_err(|_| EntryError::new("short count"))?,
            );
            for _ in 0..n {
                let len = r.u8()?;
                list.push(r.id(len)?);
            }
        }
        if r.at != bytes.len() {
            return Err(EntryError::new(format!(
                "{} trailing bytes",
                bytes.len() - r.at
            )));
        }
        let [fields, tokens] = lists;
        Ok(Entry {
            kind,
            time_ms,
            decision,
            tenant,
            subject,
            purpose,
            service,
            reason,
            order,
            destination,
            fields,
            tokens,
        })
    }

    /// The leaf hash of the canonical bytes.
    pub fn leaf_hash(&self) -> Result<Hash, EntryError> {
        Ok(leaf_hash(&self.encode()?))
    }
}

fn put_id(out: &mut Vec<u8>, id: &Id) {
    // INVARIANT: an Id is 1..=128 bytes, so its length fits in one byte and is never 0.
    out.push(id.0.len() as u8);
    out.extend_from_slice(id.0.as_bytes());
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], EntryError> {
        let s = self
            .b
            .get(self.at..self.at + n)
            .ok_or_else(|| EntryError::new("entry is truncated"))?;
        self.at += n;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8, EntryError> {
        Ok(self.take(1)?[0])
    }

    fn id(&mut self, len: u8) -> Result<Id, EntryError> {
        if len == 0 {
            return Err(EntryError::new("empty identifier"));
        }
        let s = self.take(usize::from(len))?;
        let s = std::str::from_utf8(s).map_err(|_| EntryError::new("identifier is not UTF-8"))?;
        Id::new(s)
    }
}
