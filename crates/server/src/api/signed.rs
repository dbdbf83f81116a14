//! Regulator requests signed with the regulator's own order key: HTTP Message Signatures
//! (RFC 9421) with Ed25519, so a regulator needs no API key the cell's administrator could
//! revoke. The cell trusts exactly the regulator keys pinned in its ledger.
//!
//! A signed request carries three headers:
//!
//! ```text
//! Content-Digest: sha-256=:<base64 SHA-256 of the body>:          (RFC 9530; empty body too)
//! Signature-Input: reg=("@method" "@authority" "@path" "@query" "content-digest");created=<unix s>;keyid="<name>+<hex id>";alg="ed25519";nonce="<16-64 of A-Z a-z 0-9 _ ->";tag="<the cell's ledger origin>"
//! Signature: reg=:<base64 Ed25519 signature>:
//! ```
//!
//! `tag` names the cell the request is for — its ledger origin, which `/healthz` shows and
//! checkpoints carry — so one regulator key trusted by many cells cannot have a request meant
//! for one replayed to another (`@authority` alone would not do: a cell behind a proxy does
//! not know its public name, and the `Host` header is the sender's to choose).
//!
//! The covered components are fixed (exactly that list, in that order) and the signature base
//! is RFC 9421 §2.5's: one `"<component>": <value>` line per component and the
//! `"@signature-params"` line, joined by `\n`. The cell refuses a request whose key is not
//! trusted, whose `tag` is not its origin, whose `created` is more than five minutes off or
//! `expires` past, whose nonce this process has seen in that window (nonces are kept per
//! process: a request replayed to another process of the same cell within five minutes reads
//! what the regulator read; orders carry nonces of their own), whose digest does not match the
//! body, or whose signature does not verify. The
//! signature base starts with `"@method"`, so it is never the text of a signed note (an order
//! is canonical JSON): a request signature cannot be replayed as an order, nor an order as a
//! request.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use custodian_core::access::{Access, Principal};
use custodian_ledger::Signer;
use sha2::{Digest, Sha256};

use crate::Shared;
use crate::error::ApiError;

/// The components every signed request covers, in this order.
pub const COMPONENTS: &str = r#"("@method" "@authority" "@path" "@query" "content-digest")"#;

/// How far a request's `created` may be from the cell's clock.
pub const SKEW: Duration = Duration::from_secs(300);

/// The principal a verified signature authenticated, for the `Auth` extractor.
#[derive(Clone, Debug)]
pub(crate) struct SignedBy(pub(crate) Principal);

/// Nonces seen within the skew window, by key.
#[derive(Default)]
pub(crate) struct Nonces(Mutex<HashMap<String, Instant>>);

impl Nonces {
    /// Records a nonce; `false` if it was seen within the window.
    fn fresh(&self, key: &str, nonce: &str) -> bool {
        let Ok(mut seen) = self.0.lock() else {
            return false;
        };
        let now = Instant::now();
        seen.retain(|_, at| now.duration_since(*at) < 2 * SKEW);
        seen.insert(format!("{key} {nonce}"), now).is_none()
    }
}

/// The `Content-Digest` value of a body.
pub fn content_digest(body: &[u8]) -> String {
    format!("sha-256=:{}:", STANDARD.encode(Sha256::digest(body)))
}

/// The signature base (RFC 9421 §2.5) of a request.
pub fn signature_base(
    method: &str,
    authority: &str,
    path: &str,
    query: Option<&str>,
    digest: &str,
    params: &str,
) -> String {
    format!(
        "\"@method\": {}\n\"@authority\": {}\n\"@path\": {}\n\"@query\": ?{}\n\"content-digest\": {}\n\"@signature-params\": {}",
        method.to_ascii_uppercase(),
        authority.to_ascii_lowercase(),
        path,
        query.unwrap_or(""),
        digest,
        params
    )
}

/// The headers that sign a request: (`Content-Digest`, `Signature-Input`, `Signature`).
/// `path_and_query` is the request target as sent (`/v1/orders?x=1`).
/// `cell` is the ledger origin of the cell the request is for.
#[expect(
    clippy::too_many_arguments,
    reason = "each is a part of what is signed"
)]
pub fn sign_request(
    signer: &Signer,
    cell: &str,
    method: &str,
    authority: &str,
    path_and_query: &str,
    body: &[u8],
    created: u64,
    nonce: &str,
) -> (String, String, String) {
    let (path, query) = match path_and_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_and_query, None),
    };
    let digest = content_digest(body);
    let params = format!(
        "{COMPONENTS};created={created};keyid=\"{}\";alg=\"ed25519\";nonce=\"{nonce}\";tag=\"{cell}\"",
        signer.key_id()
    );
    let base = signature_base(method, authority, path, query, &digest, &params);
    let sig = STANDARD.encode(signer.sign_raw(base.as_bytes()));
    (digest, format!("reg={params}"), format!("reg=:{sig}:"))
}

/// What a `Signature-Input` header says.
struct Input<'a> {
    label: &'a str,
    params: &'a str,
    created: u64,
    expires: Option<u64>,
    keyid: &'a str,
    nonce: &'a str,
    tag: &'a str,
}

fn parse_input(v: &str) -> Result<Input<'_>, String> {
    let (label, params) = v
        .split_once('=')
        .ok_or("Signature-Input is not `label=(...);params`")?;
    if label.is_empty()
        || !label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    {
        return Err("Signature-Input has an invalid label".into());
    }
    let rest = params
        .strip_prefix(COMPONENTS)
        .ok_or_else(|| format!("Signature-Input must cover exactly {COMPONENTS}"))?;
    let (mut created, mut expires, mut keyid, mut alg, mut nonce, mut tag) =
        (None, None, None, None, None, None);
    for p in rest.split(';').skip(1) {
        let (k, val) = p
            .split_once('=')
            .ok_or("a signature parameter has no value")?;
        let quoted = || {
            val.strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .filter(|s| !s.contains(['"', '\\']))
                .ok_or_else(|| format!("signature parameter `{k}` is not a plain string"))
        };
        match k {
            "created" => created = Some(val.parse::<u64>().map_err(|_| "`created` is not a time")?),
            "keyid" => keyid = Some(quoted()?),
            "alg" => alg = Some(quoted()?),
            "nonce" => nonce = Some(quoted()?),
            "tag" => tag = Some(quoted()?),
            "expires" => expires = Some(val.parse::<u64>().map_err(|_| "`expires` is not a time")?),
            other => return Err(format!("unknown signature parameter `{other}`")),
        }
    }
    if !rest.is_empty() && !rest.starts_with(';') {
        return Err("Signature-Input has trailing text after the components".into());
    }
    if alg != Some("ed25519") {
        return Err("signature `alg` must be \"ed25519\"".into());
    }
    let nonce = nonce.ok_or("signature `nonce` is missing")?;
    if !(16..=64).contains(&nonce.len())
        || !nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err("signature `nonce` must be 16-64 of A-Z a-z 0-9 _ -".into());
    }
    Ok(Input {
        label,
        params,
        created: created.ok_or("signature `created` is missing")?,
        expires,
        keyid: keyid.ok_or("signature `keyid` is missing")?,
        nonce,
        tag: tag.ok_or("signature `tag` (the cell's origin) is missing")?,
    })
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

fn refused(msg: impl Into<String>) -> Response {
    ApiError::new(StatusCode::UNAUTHORIZED, "signature_refused", msg).into_response()
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Verifies a signed request and marks it with the regulator's principal; requests without
/// `Signature-Input` pass untouched (bearer keys authenticate them).
pub(crate) async fn verify_signed(State(st): State<Shared>, req: Request, next: Next) -> Response {
    let Some(input) = header(req.headers(), "signature-input").map(str::to_owned) else {
        return next.run(req).await;
    };
    if req.headers().contains_key(header::AUTHORIZATION) {
        return ApiError::bad_request(
            "auth_ambiguous",
            "a request is authenticated by an API key or by a signature, not both",
        )
        .into_response();
    }
    let input = match parse_input(&input) {
        Ok(i) => i,
        Err(m) => return refused(m),
    };
    let trusted = st.vault.trusted_regulator_keys();
    let Some(key) = trusted.iter().find(|k| k.key_id() == input.keyid) else {
        return refused("the signing key is not a regulator key this cell trusts");
    };
    if input.tag != st.vault.origin() {
        return refused("the signature's `tag` names another cell than this one");
    }
    let now = unix_now();
    if now.abs_diff(input.created) > SKEW.as_secs() {
        return refused("the signature's `created` time is more than five minutes off");
    }
    if input.expires.is_some_and(|e| e <= now) {
        return refused("the signature has expired");
    }
    let (parts, body) = req.into_parts();
    let body: Bytes = match axum::body::to_bytes(body, st.body_limit).await {
        Ok(b) => b,
        Err(_) => {
            return ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "the request body is over the limit",
            )
            .into_response();
        }
    };
    let digest = content_digest(&body);
    if header(&parts.headers, "content-digest") != Some(digest.as_str()) {
        return refused("Content-Digest is missing or does not match the body");
    }
    let sig = header(&parts.headers, "signature")
        .and_then(|v| v.strip_prefix(input.label))
        .and_then(|v| v.strip_prefix("=:"))
        .and_then(|v| v.strip_suffix(':'))
        .and_then(|v| STANDARD.decode(v).ok());
    let Some(sig) = sig else {
        return refused("Signature is missing or not `label=:base64:` with the input's label");
    };
    // HTTP/1.1 names the authority in `Host`, HTTP/2 in the request target.
    let authority = header(&parts.headers, "host")
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(ToString::to_string))
        .unwrap_or_default();
    let base = signature_base(
        parts.method.as_str(),
        &authority,
        parts.uri.path(),
        parts.uri.query(),
        &digest,
        input.params,
    );
    if !key.verify_raw(base.as_bytes(), &sig) {
        return refused("the request signature does not verify");
    }
    if !st.nonces.fresh(input.keyid, input.nonce) {
        return refused("the signature's nonce was used before");
    }
    let mut req = Request::from_parts(parts, Body::from(body));
    req.extensions_mut().insert(SignedBy(Principal {
        key_id: input.keyid.to_string(),
        access: Access::Regulator,
    }));
    next.run(req).await
}
