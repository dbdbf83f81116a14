//! Bulk calls: up to [`MAX_BATCH`] items a request, each item answered on its own (partial
//! success is normal). An item's idempotency key makes a retried request safe: an item that was
//! carried out answers what it answered the first time, and is not carried out again.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};

use crate::{Client, ClientError, Collected};

/// The most items a bulk request takes.
pub const MAX_BATCH: usize = 1000;

/// A subject to register.
#[derive(Clone, Debug, Serialize)]
pub struct NewSubject {
    /// ISO 3166 code of the subject's jurisdiction.
    pub jurisdiction: String,
    /// The subject's role, if the manifest declares roles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Under 14.
    pub minor: bool,
    /// A retried item with the same key answers the same subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

/// A consent to record.
#[derive(Clone, Debug, Serialize)]
pub struct ConsentGrant {
    /// The subject.
    pub subject: String,
    /// The declared purpose.
    pub purpose: String,
    /// Separate consent (单独同意).
    pub separate: bool,
    /// Given by a guardian.
    pub by_guardian: bool,
    /// A retried item with the same key is not given again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

/// One subject's values to collect for a purpose.
#[derive(Clone, Debug, Serialize)]
pub struct CollectItem {
    /// The subject.
    pub subject: String,
    /// The purpose.
    pub purpose: String,
    /// Field → value (PI: the client never logs it).
    pub values: BTreeMap<String, String>,
    /// A retried item with the same key and values answers the same tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

/// A subject to register with its consents and first values, in one act (see
/// [`Client::onboard_batch`]).
#[derive(Clone, Debug, Serialize)]
pub struct Onboard {
    /// ISO 3166 code of the subject's jurisdiction.
    pub jurisdiction: String,
    /// The subject's role, if the manifest declares roles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Under 14.
    pub minor: bool,
    /// Consents to give, in order, before the collects.
    pub consents: Vec<OnboardConsent>,
    /// Values to collect, one purpose each, after the consents.
    pub collects: Vec<OnboardCollect>,
    /// A retried item with the same key and request answers the same subject and tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

/// A consent given while onboarding.
#[derive(Clone, Debug, Serialize)]
pub struct OnboardConsent {
    /// The declared purpose.
    pub purpose: String,
    /// Separate consent (单独同意).
    pub separate: bool,
    /// Given by a guardian.
    pub by_guardian: bool,
}

/// Values collected while onboarding, for one purpose.
#[derive(Clone, Debug, Serialize)]
pub struct OnboardCollect {
    /// The purpose.
    pub purpose: String,
    /// Field → value (PI: the client never logs it).
    pub values: BTreeMap<String, String>,
}

/// What onboarding one subject did: its id, and each consent's and each collect's result in
/// the order asked.
#[derive(Debug)]
pub struct Onboarded {
    /// The new subject's id.
    pub subject: String,
    /// Each consent: given, or its refusal.
    pub consents: Vec<Result<(), ClientError>>,
    /// Each collect: its tokens, or its refusal (nothing of it stored).
    pub collects: Vec<Result<Vec<Collected>, ClientError>>,
}

/// How a bulk call retries a request: one that never reached the cell or that the cell turned
/// away before carrying it out (429, 503) always; one whose answer was lost (the connection
/// failed under it, 502, or 504 — among them `outcome_unknown`, an act that may have taken
/// effect) only when every item carries an idempotency key, which makes a resend answer what
/// was done instead of doing it again.
#[derive(Clone, Copy, Debug)]
pub struct Retry {
    /// Attempts in all (1: no retry).
    pub attempts: u32,
    /// The first wait; each next one doubles, up to 30 s.
    pub backoff: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 6,
            backoff: Duration::from_millis(200),
        }
    }
}

impl Retry {
    /// No retry.
    pub const NONE: Retry = Retry {
        attempts: 1,
        backoff: Duration::ZERO,
    };
}

/// Whether a failed bulk request may be sent again (see [`Retry`]); `keyed`: every item has an
/// idempotency key.
fn retryable(e: &ClientError, keyed: bool) -> bool {
    match e {
        ClientError::Api {
            status: 429 | 503, ..
        } => true,
        ClientError::Api { status, .. } => keyed && matches!(status, 502 | 504),
        ClientError::Unreached(_) => true,
        ClientError::Transport(_) => keyed,
    }
}

/// A bulk item that may carry an idempotency key.
trait Keyed {
    fn keyed(&self) -> bool;
}

macro_rules! keyed {
    ($($t:ty),*) => {$(
        impl Keyed for $t {
            fn keyed(&self) -> bool {
                self.idempotency_key.is_some()
            }
        }
    )*};
}

keyed!(NewSubject, ConsentGrant, CollectItem, Onboard);

/// An item's result as the cell answered it.
fn item(v: &Value) -> Result<&Value, ClientError> {
    if v["ok"].as_bool() == Some(true) {
        return Ok(v);
    }
    let e = &v["error"];
    Err(ClientError::Api {
        status: v["status"]
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(0),
        code: e["code"].as_str().unwrap_or("").to_string(),
        message: e["message"].as_str().unwrap_or("").to_string(),
        order: e["order"].as_str().map(String::from),
    })
}

impl Client {
    /// Sends one bulk request (`items` at most [`MAX_BATCH`]), retried as `retry` says: the
    /// cell's results, one per item, in order.
    fn batch<T: Serialize + Keyed>(
        &self,
        path: &str,
        items: &[T],
        retry: Retry,
    ) -> Result<Vec<Value>, ClientError> {
        if items.len() > MAX_BATCH {
            return Err(ClientError::Transport(format!(
                "a batch takes at most {MAX_BATCH} items; this one has {}",
                items.len()
            )));
        }
        let body = json!({ "items": items }).to_string().into_bytes();
        let keyed = items.iter().all(Keyed::keyed);
        let mut wait = retry.backoff;
        let mut attempt = 1;
        let answer = loop {
            match self.call("POST", path, Some(("application/json", body.clone()))) {
                Err(e) if retryable(&e, keyed) && attempt < retry.attempts.max(1) => {
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_secs(30));
                    attempt += 1;
                }
                other => break other?,
            }
        };
        match answer["results"].as_array() {
            Some(r) if r.len() == items.len() => Ok(r.clone()),
            _ => Err(ClientError::Transport(format!(
                "{path} answered without one result per item"
            ))),
        }
    }

    /// Registers subjects (a service): each item's subject id or its refusal.
    pub fn register_batch(
        &self,
        items: &[NewSubject],
        retry: Retry,
    ) -> Result<Vec<Result<String, ClientError>>, ClientError> {
        Ok(self
            .batch("/v1/subjects:batch", items, retry)?
            .iter()
            .map(|r| item(r).map(|v| v["subject"].as_str().unwrap_or("").to_string()))
            .collect())
    }

    /// Records consents (a service or the DPO): each item's refusal, if any.
    pub fn consent_batch(
        &self,
        items: &[ConsentGrant],
        retry: Retry,
    ) -> Result<Vec<Result<(), ClientError>>, ClientError> {
        Ok(self
            .batch("/v1/consents:batch", items, retry)?
            .iter()
            .map(|r| item(r).map(|_| ()))
            .collect())
    }

    /// Registers subjects with their consents and first values (a service), one act an item:
    /// each item's result, or its refusal (a refused registration refuses the item; a refused
    /// consent or collect is in the item's result beside the parts carried out).
    pub fn onboard_batch(
        &self,
        items: &[Onboard],
        retry: Retry,
    ) -> Result<Vec<Result<Onboarded, ClientError>>, ClientError> {
        Ok(self
            .batch("/v1/subjects:onboard", items, retry)?
            .iter()
            .map(|r| item(r).and_then(onboarded))
            .collect())
    }

    /// Collects values (a service): each item's tokens or its refusal.
    pub fn collect_batch(
        &self,
        items: &[CollectItem],
        retry: Retry,
    ) -> Result<Vec<Result<Vec<Collected>, ClientError>>, ClientError> {
        Ok(self
            .batch("/v1/collect:batch", items, retry)?
            .iter()
            .map(|r| item(r).and_then(tokens))
            .collect())
    }
}

fn unexpected(what: impl std::fmt::Display) -> ClientError {
    ClientError::Transport(format!("unexpected answer: {what}"))
}

fn tokens(v: &Value) -> Result<Vec<Collected>, ClientError> {
    serde_json::from_value(v["tokens"].clone()).map_err(unexpected)
}

fn onboarded(v: &Value) -> Result<Onboarded, ClientError> {
    let parts = |name: &str| {
        v[name]
            .as_array()
            .cloned()
            .ok_or_else(|| unexpected(format!("no `{name}`")))
    };
    Ok(Onboarded {
        subject: v["subject"]
            .as_str()
            .ok_or_else(|| unexpected("no `subject`"))?
            .to_string(),
        consents: parts("consents")?
            .iter()
            .map(|c| item(c).map(|_| ()))
            .collect(),
        collects: parts("collects")?
            .iter()
            .map(|c| item(c).and_then(tokens))
            .collect(),
    })
}
