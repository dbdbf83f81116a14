//! Reading captured traffic: HAR 1.2 (browser dev tools, mitmproxy, Charles) streamed entry by
//! entry, so a capture of any size is read in the memory of its largest entry; and NDJSON
//! request logs, one exchange per line (a HAR entry, or the short form documented in
//! ARCHITECTURE.md). A malformed file is an error that says where.

use std::io::{BufRead, Read};

use base64::Engine;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// One request and its response, as captured.
#[derive(Clone, Debug, Default)]
pub struct Exchange {
    /// When the request started (ms since the Unix epoch), if the capture says.
    pub time_ms: Option<i64>,
    /// HTTP method, upper case.
    pub method: String,
    /// The full URL.
    pub url: String,
    /// Request headers (cookies among them as the `cookie` header or in `cookies`).
    pub request_headers: Vec<(String, String)>,
    /// Request cookies.
    pub cookies: Vec<(String, String)>,
    /// The request body, if any.
    pub request_body: Option<Body>,
    /// Response status (0: none captured).
    pub status: u16,
    /// The response body, if captured.
    pub response_body: Option<Body>,
}

/// A body: its media type and bytes (decoded from base64 where the capture encoded it), and
/// the form parameters where the capture parsed them.
#[derive(Clone, Debug, Default)]
pub struct Body {
    /// `Content-Type` as captured (parameters kept: a multipart boundary is one, and its case
    /// matters).
    pub mime: String,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Parameters the capture parsed (HAR `postData.params`).
    pub params: Vec<(String, String)>,
}

/// Why a capture could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// Not JSON, or JSON of the wrong shape, at this place.
    #[error("{what} at line {line}, column {column}: {message}")]
    Syntax {
        /// HAR or NDJSON.
        what: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// What is wrong (never a value from the file).
        message: String,
    },
    /// The file could not be read.
    #[error("reading the capture: {0}")]
    Io(#[from] std::io::Error),
    /// The caller's handler stopped the reading.
    #[error("{0}")]
    Stopped(String),
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct HarEntry {
    started_date_time: Option<String>,
    request: HarRequest,
    response: HarResponse,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct HarRequest {
    method: String,
    url: String,
    headers: Vec<NameValue>,
    cookies: Vec<NameValue>,
    post_data: Option<PostData>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PostData {
    mime_type: String,
    text: Option<String>,
    params: Vec<NameValue>,
    encoding: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct HarResponse {
    status: i64,
    content: Content,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Content {
    mime_type: String,
    text: Option<String>,
    encoding: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NameValue {
    name: String,
    value: String,
}

fn pairs(v: Vec<NameValue>) -> Vec<(String, String)> {
    v.into_iter().map(|p| (p.name, p.value)).collect()
}

fn decode(text: Option<String>, encoding: Option<&str>) -> Vec<u8> {
    let text = text.unwrap_or_default();
    if encoding.is_some_and(|e| e.eq_ignore_ascii_case("base64")) {
        // An undecodable body is scanned as the text it is.
        base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .unwrap_or_else(|_| text.into_bytes())
    } else {
        text.into_bytes()
    }
}

/// Milliseconds since the epoch of an RFC 3339 time (HAR's `startedDateTime`).
pub fn parse_time(s: &str) -> Option<i64> {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

impl HarEntry {
    fn into_exchange(self) -> Exchange {
        let r = self.request;
        let request_body = r.post_data.map(|p| Body {
            mime: p.mime_type,
            bytes: decode(p.text, p.encoding.as_deref()),
            params: pairs(p.params),
        });
        let c = self.response.content;
        let response_body = (c.text.is_some()).then(|| Body {
            mime: c.mime_type,
            bytes: decode(c.text, c.encoding.as_deref()),
            params: Vec::new(),
        });
        Exchange {
            time_ms: self.started_date_time.as_deref().and_then(parse_time),
            method: r.method.to_ascii_uppercase(),
            url: r.url,
            request_headers: pairs(r.headers),
            cookies: pairs(r.cookies),
            request_body,
            status: u16::try_from(self.response.status).unwrap_or(0),
            response_body,
        }
    }
}

/// Reads a HAR file entry by entry, calling `each` with every exchange in file order; returns
/// how many there were. `log.entries` must be there.
pub fn read_har<R: Read>(
    input: R,
    mut each: impl FnMut(Exchange) -> Result<(), String>,
) -> Result<usize, CaptureError> {
    // A byte-order mark (Fiddler writes one) is not JSON: skipped.
    let mut input = std::io::BufReader::new(input);
    if input.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
    }
    let mut de = serde_json::Deserializer::from_reader(input);
    let mut found = None;
    let r = Root {
        each: &mut each,
        found: &mut found,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    match r {
        Ok(()) => found.ok_or_else(|| CaptureError::Syntax {
            what: "HAR",
            line: 1,
            column: 0,
            message: "not a HAR file: no `log.entries`".into(),
        }),
        Err(e) => Err(har_error(&e)),
    }
}

fn har_error(e: &serde_json::Error) -> CaptureError {
    if e.is_io() {
        return CaptureError::Io(std::io::Error::other(e.to_string()));
    }
    let text = e.to_string();
    if let Some(stop) = text.strip_prefix(STOP) {
        let stop = stop.rsplit_once(" at line ").map_or(stop, |(s, _)| s);
        return CaptureError::Stopped(stop.to_string());
    }
    CaptureError::Syntax {
        what: "HAR",
        line: e.line(),
        column: e.column(),
        message: scrub(&text),
    }
}

/// serde's messages may quote the input (`invalid type: string "…"`): keep what comes before
/// the first quote, and drop the position serde appends (given separately).
fn scrub(msg: &str) -> String {
    let m = msg.rsplit_once(" at line ").map_or(msg, |(m, _)| m);
    m.split(['"', '`'])
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches(':')
        .to_string()
}

const STOP: &str = "\u{0}stopped: ";

type Each<'a> = &'a mut dyn FnMut(Exchange) -> Result<(), String>;

struct Root<'a, 'b> {
    each: Each<'b>,
    found: &'a mut Option<usize>,
}

impl<'de> DeserializeSeed<'de> for Root<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Root<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a HAR object with `log`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "log" {
                map.next_value_seed(Log {
                    each: &mut *self.each,
                    found: &mut *self.found,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Log<'a, 'b> {
    each: Each<'b>,
    found: &'a mut Option<usize>,
}

impl<'de> DeserializeSeed<'de> for Log<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Log<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a HAR `log` object with `entries`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "entries" {
                let n = map.next_value_seed(Entries {
                    each: &mut *self.each,
                })?;
                *self.found = Some(n);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Entries<'b> {
    each: Each<'b>,
}

impl<'de> DeserializeSeed<'de> for Entries<'_> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of HAR entries")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut n = 0;
        while let Some(entry) = seq.next_element::<HarEntry>()? {
            n += 1;
            (self.each)(entry.into_exchange())
                .map_err(|e| serde::de::Error::custom(format!("{STOP}{e}")))?;
        }
        Ok(n)
    }
}

/// The short NDJSON form: `{"time", "method", "url", "headers", "content_type", "body",
/// "response": {"status", "content_type", "body"}}`; `time` RFC 3339 or ms since the epoch,
/// `headers` an object, `body` a string or any JSON value (sent as JSON).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Short {
    time: Option<serde_json::Value>,
    method: String,
    url: String,
    headers: serde_json::Map<String, serde_json::Value>,
    content_type: Option<String>,
    body: Option<serde_json::Value>,
    response: Option<ShortResponse>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShortResponse {
    status: u16,
    content_type: Option<String>,
    body: Option<serde_json::Value>,
}

fn short_body(ct: Option<String>, body: Option<serde_json::Value>) -> Option<Body> {
    let body = body?;
    let (mime, bytes) = match body {
        serde_json::Value::String(s) => (ct.unwrap_or_else(|| "text/plain".into()), s.into_bytes()),
        v => (
            ct.unwrap_or_else(|| "application/json".into()),
            v.to_string().into_bytes(),
        ),
    };
    Some(Body {
        mime,
        bytes,
        params: Vec::new(),
    })
}

impl Short {
    fn into_exchange(self) -> Exchange {
        let time_ms = match &self.time {
            Some(serde_json::Value::Number(n)) => n.as_i64(),
            Some(serde_json::Value::String(s)) => parse_time(s),
            _ => None,
        };
        let mut headers: Vec<(String, String)> = self
            .headers
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, v)
            })
            .collect();
        let ct = self.content_type.or_else(|| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.clone())
        });
        headers.retain(|(k, _)| !k.is_empty());
        let (status, response_body) = match self.response {
            Some(r) => (r.status, short_body(r.content_type, r.body)),
            None => (0, None),
        };
        Exchange {
            time_ms,
            method: self.method.to_ascii_uppercase(),
            url: self.url,
            request_headers: headers,
            cookies: Vec::new(),
            request_body: short_body(ct, self.body),
            status,
            response_body,
        }
    }
}

/// Most bytes one NDJSON line may hold.
pub const MAX_LINE: usize = 64 << 20;

/// Reads an NDJSON request log line by line (blank lines skipped); each line is a HAR entry
/// (it has `request`) or the short form. Returns how many exchanges there were.
pub fn read_ndjson<R: BufRead>(
    mut input: R,
    mut each: impl FnMut(Exchange) -> Result<(), String>,
) -> Result<usize, CaptureError> {
    let mut line = Vec::new();
    let (mut n, mut lineno) = (0, 0);
    loop {
        line.clear();
        lineno += 1;
        let got = (&mut input)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if got == 0 {
            return Ok(n);
        }
        if line.len() > MAX_LINE {
            return Err(CaptureError::Syntax {
                what: "NDJSON",
                line: lineno,
                column: 0,
                message: format!("a line over {MAX_LINE} bytes"),
            });
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_slice(&line).map_err(|e| CaptureError::Syntax {
                what: "NDJSON",
                line: lineno,
                column: e.column(),
                message: scrub(&e.to_string()),
            })?;
        let bad = |e: serde_json::Error| CaptureError::Syntax {
            what: "NDJSON",
            line: lineno,
            column: 0,
            message: scrub(&e.to_string()),
        };
        let x = if v.get("request").is_some() {
            serde_json::from_value::<HarEntry>(v)
                .map_err(bad)?
                .into_exchange()
        } else {
            serde_json::from_value::<Short>(v)
                .map_err(bad)?
                .into_exchange()
        };
        if x.url.is_empty() {
            return Err(CaptureError::Syntax {
                what: "NDJSON",
                line: lineno,
                column: 0,
                message: "an exchange without a `url`".into(),
            });
        }
        n += 1;
        each(x).map_err(CaptureError::Stopped)?;
    }
}
