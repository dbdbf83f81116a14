//! What one exchange carries: every value the detection engine finds in it, each with where it
//! was (path segment, query parameter, header, cookie, body field, response field) and the
//! name it was under, and the endpoint as a template (`/api/v1/orders/{id}`).

use custodian_detect::{Detector, Finding, PiType, mask, records};

use crate::capture::{Body, Exchange};

/// Where in an exchange a value was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    /// A segment of the URL's path.
    Path,
    /// A query parameter.
    Query,
    /// A request header.
    Header,
    /// A request cookie.
    Cookie,
    /// The request body (JSON pointer, form or multipart field name, or `` for text).
    Body,
    /// The response body.
    Response,
}

impl Location {
    /// The name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
            Location::Body => "body",
            Location::Response => "response",
        }
    }
}

/// One value found: its type, where, and its masked form (never the value).
#[derive(Clone, Debug)]
pub struct Observed {
    /// Where.
    pub location: Location,
    /// The parameter, header, cookie or field name (JSON pointers with array indices as `*`).
    pub name: String,
    /// What.
    pub pi_type: PiType,
    /// The value masked by its type's conventions.
    pub masked: String,
}

/// An exchange's endpoint and findings.
#[derive(Clone, Debug)]
pub struct Seen {
    /// Method.
    pub method: String,
    /// Host (lower case, without port).
    pub host: String,
    /// The path with id-like segments as `{id}`.
    pub template: String,
    /// Findings.
    pub found: Vec<Observed>,
}

/// Headers whose values are the protocol's, not the person's.
const SKIP_HEADERS: &[&str] = &[
    "accept",
    "accept-encoding",
    "accept-language",
    "cache-control",
    "connection",
    "content-length",
    "content-type",
    "host",
    "origin",
    "pragma",
    "referer",
    "sec-fetch-dest",
    "sec-fetch-mode",
    "sec-fetch-site",
    "te",
    "upgrade-insecure-requests",
    "user-agent",
    "cookie",
];

/// Media types not scanned (their bytes are not text).
fn binary(mime: &str) -> bool {
    [
        "image/",
        "audio/",
        "video/",
        "font/",
        "application/octet-stream",
        "application/zip",
        "application/pdf",
    ]
    .iter()
    .any(|p| mime.starts_with(p))
}

/// Whether a path segment is an identifier rather than part of the route.
fn id_like(seg: &str) -> bool {
    let n = seg.len();
    let digits = seg.bytes().filter(u8::is_ascii_digit).count();
    let hex = seg.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    (n > 0 && digits == n)
        || (n >= 12 && hex && digits > 0)
        || (n >= 16
            && digits > 0
            && seg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
}

/// Whether a name (a key, parameter, header, cookie, path segment or host label) reads as
/// part of the app's vocabulary — ASCII letters first, then letters, digits, `_ - . [ ]`, at
/// most 48 — rather than data: names are printed as they are, so one that could be a value
/// (an e-mail address as a JSON key, a phone number as a parameter) never is.
fn word(det: &Detector, s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 48
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.[]".contains(&b))
        && !id_like(s)
        && longest_digit_run(s) < 6
        && det.scan_bytes(s.as_bytes()).is_empty()
}

/// The longest run of ASCII digits in `s` (a number glued to letters hides from the engine's
/// word boundaries: `u13812345678`).
fn longest_digit_run(s: &str) -> usize {
    s.split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// A name as reports show it: itself if it is a word, else `{key}`.
fn safe_name(det: &Detector, name: &str) -> String {
    if name.is_empty() || word(det, name) {
        name.to_string()
    } else {
        "{key}".into()
    }
}

/// A JSON pointer as reports show it: array indices as `*`, other segments that are not
/// words as `{key}`.
fn pointer_template(det: &Detector, p: &str) -> String {
    p.split('/')
        .map(|s| {
            if s.is_empty() {
                String::new()
            } else if s.bytes().all(|b| b.is_ascii_digit()) {
                "*".into()
            } else {
                safe_name(det, s)
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A host as reports show it: labels that are not words (or are ids) as `{id}`.
fn safe_host(det: &Detector, host: &str) -> String {
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return host.to_string();
    }
    host.split('.')
        .map(|l| {
            if word(det, l) || (l.len() <= 3 && l.bytes().all(|b| b.is_ascii_alphabetic())) {
                l
            } else {
                "{id}"
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn push(
    out: &mut Vec<Observed>,
    location: Location,
    name: &str,
    value: &[u8],
    found: Vec<Finding>,
) {
    for f in found {
        let text = String::from_utf8_lossy(value.get(f.bstart..f.bend).unwrap_or_default());
        out.push(Observed {
            location,
            name: name.to_string(),
            pi_type: f.pi_type,
            masked: mask::mask(f.pi_type, &text),
        });
    }
}

fn scan_value(
    det: &Detector,
    out: &mut Vec<Observed>,
    location: Location,
    name: &str,
    value: &[u8],
) {
    let found = det.scan_field(name, value);
    if !found.is_empty() {
        push(out, location, &safe_name(det, name), value, found);
    }
}

fn scan_json(det: &Detector, out: &mut Vec<Observed>, location: Location, v: &serde_json::Value) {
    // Findings of one string come together: its text is looked up once, not per finding.
    let mut last: Option<(String, std::borrow::Cow<str>, String)> = None;
    for jf in records::scan_json(det, v) {
        if last.as_ref().is_none_or(|(p, _, _)| *p != jf.pointer) {
            let text = match v.pointer(&jf.pointer) {
                Some(serde_json::Value::String(s)) => std::borrow::Cow::Borrowed(s.as_str()),
                Some(other) => std::borrow::Cow::Owned(other.to_string()),
                None => std::borrow::Cow::Borrowed(""),
            };
            let name = pointer_template(det, &jf.pointer);
            last = Some((jf.pointer.clone(), text, name));
        }
        let Some((_, text, name)) = &last else {
            continue;
        };
        let f = jf.finding;
        let part = text.as_bytes().get(f.bstart..f.bend).unwrap_or_default();
        out.push(Observed {
            location,
            name: name.clone(),
            pi_type: f.pi_type,
            masked: mask::mask(f.pi_type, &String::from_utf8_lossy(part)),
        });
    }
}

/// The form pairs of an `application/x-www-form-urlencoded` body.
fn form_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

/// The parts of a `multipart/form-data` body: (name, content type, bytes).
fn multipart(mime: &str, bytes: &[u8]) -> Vec<(String, String, Vec<u8>)> {
    let Some(boundary) = mime
        .split(';')
        .filter_map(|p| {
            let p = p.trim();
            p.get(..9)
                .filter(|k| k.eq_ignore_ascii_case("boundary="))
                .map(|_| &p[9..])
        })
        .next()
        .map(|b| b.trim_matches('"'))
        .filter(|b| !b.is_empty())
    else {
        return Vec::new();
    };
    let delim = format!("--{boundary}");
    let mut out = Vec::new();
    let mut rest = bytes;
    while let Some(at) = memchr::memmem::find(rest, delim.as_bytes()) {
        rest = &rest[at + delim.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        let end = memchr::memmem::find(rest, delim.as_bytes()).unwrap_or(rest.len());
        let part = &rest[..end];
        let split = memchr::memmem::find(part, b"\r\n\r\n")
            .map(|p| (p, 4))
            .or_else(|| memchr::memmem::find(part, b"\n\n").map(|p| (p, 2)));
        if let Some((p, skip)) = split {
            let head = String::from_utf8_lossy(&part[..p]);
            let header = |key: &str| {
                head.lines()
                    .filter_map(|l| l.split_once(':'))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case(key))
                    .map(|(_, v)| v.trim().to_string())
            };
            let mut body = &part[p + skip..];
            if body.ends_with(b"\r\n") {
                body = &body[..body.len() - 2];
            } else if body.ends_with(b"\n") {
                body = &body[..body.len() - 1];
            }
            let name = header("content-disposition")
                .and_then(|d| {
                    d.split(';')
                        .filter_map(|s| s.trim().strip_prefix("name="))
                        .next()
                        .map(|n| n.trim_matches('"').to_string())
                })
                .unwrap_or_default();
            let ct = header("content-type")
                .unwrap_or_default()
                .to_ascii_lowercase();
            out.push((name, ct, body.to_vec()));
        }
        rest = &rest[end..];
    }
    out
}

fn scan_body(det: &Detector, out: &mut Vec<Observed>, location: Location, body: &Body) {
    let lower = body.mime.to_ascii_lowercase();
    let mime = lower.as_str();
    if binary(mime) || body.bytes.is_empty() && body.params.is_empty() {
        return;
    }
    if (mime.contains("json") || (!mime.contains("form") && looks_json(&body.bytes)))
        && let Ok(v) = serde_json::from_slice::<serde_json::Value>(&body.bytes)
    {
        scan_json(det, out, location, &v);
        return;
    }
    if mime.starts_with("multipart/form-data") {
        for (name, ct, bytes) in multipart(&body.mime, &body.bytes) {
            if binary(&ct) {
                continue;
            }
            match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(v) if ct.contains("json") => {
                    let before = out.len();
                    scan_json(det, out, location, &v);
                    for o in &mut out[before..] {
                        o.name = format!("{}{}", safe_name(det, &name), o.name);
                    }
                }
                _ => scan_value(det, out, location, &name, &bytes),
            }
        }
        return;
    }
    if mime.starts_with("application/x-www-form-urlencoded") {
        let pairs = if body.params.is_empty() {
            form_pairs(&body.bytes)
        } else {
            body.params.clone()
        };
        for (k, v) in pairs {
            scan_value(det, out, location, &k, v.as_bytes());
        }
        return;
    }
    scan_value(det, out, location, "", &body.bytes);
}

fn looks_json(b: &[u8]) -> bool {
    matches!(
        b.iter().find(|c| !c.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// Splits `url` into host and path template, scanning the path and query on the way.
fn url_parts(det: &Detector, out: &mut Vec<Observed>, raw: &str) -> (String, String) {
    let Ok(u) = url::Url::parse(raw) else {
        // Unparsable: scanned whole, under an endpoint of its own.
        scan_value(det, out, Location::Path, "", raw.as_bytes());
        return (String::new(), "(unparsable URL)".into());
    };
    let host = safe_host(det, &u.host_str().unwrap_or("").to_ascii_lowercase());
    let mut template = String::new();
    if let Some(segs) = u.path_segments() {
        for (i, seg) in segs.enumerate() {
            let seg = percent_decode(seg);
            let found = det.scan_field("", seg.as_bytes());
            let pi = !found.is_empty();
            push(out, Location::Path, &i.to_string(), seg.as_bytes(), found);
            template.push('/');
            template.push_str(if pi || !word(det, &seg) { "{id}" } else { &seg });
        }
    }
    if template.is_empty() {
        template.push('/');
    }
    for (k, v) in u.query_pairs() {
        scan_value(det, out, Location::Query, &k, v.as_bytes());
    }
    (host, template)
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Everything `x` carries, found by `det`.
pub fn extract(det: &Detector, x: &Exchange) -> Seen {
    let mut found = Vec::new();
    let (host, template) = url_parts(det, &mut found, &x.url);
    let mut cookies = x.cookies.clone();
    for (k, v) in &x.request_headers {
        let k = k.to_ascii_lowercase();
        if k == "cookie" && x.cookies.is_empty() {
            for c in v.split(';') {
                if let Some((n, val)) = c.split_once('=') {
                    cookies.push((n.trim().to_string(), val.trim().to_string()));
                }
            }
        }
        if k.starts_with(':') || SKIP_HEADERS.contains(&k.as_str()) {
            continue;
        }
        scan_value(det, &mut found, Location::Header, &k, v.as_bytes());
    }
    for (k, v) in &cookies {
        scan_value(det, &mut found, Location::Cookie, k, v.as_bytes());
    }
    if let Some(b) = &x.request_body {
        scan_body(det, &mut found, Location::Body, b);
    }
    if let Some(b) = &x.response_body {
        scan_body(det, &mut found, Location::Response, b);
    }
    Seen {
        method: if !x.method.is_empty()
            && x.method.len() <= 10
            && x.method.bytes().all(|b| b.is_ascii_uppercase())
        {
            x.method.clone()
        } else {
            "OTHER".into()
        },
        host,
        template,
        found,
    }
}
