//! A typed client for Custodian's HTTP API (blocking): a platform's service, a DPO or the
//! administrator with a bearer key, or a regulator signing its requests with its order key
//! (HTTP Message Signatures, as `custodian_server::signed` verifies them).
//!
//! ```no_run
//! use custodian_client::{Auth, Client};
//! let svc = Client::new("http://127.0.0.1:8700", Auth::Bearer("cst_…".into()))?;
//! let subject = svc.register("CN", None)?;
//! svc.collect(&subject, "dispatch", &[("phone", "13812345678")])?;
//! # Ok::<(), custodian_client::ClientError>(())
//! ```
//!
//! Errors keep the API's shape: [`ClientError::Api`] carries the status, the machine-readable
//! code, the message and the order behind a refusal.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod batch;

pub use batch::{
    CollectItem, ConsentGrant, MAX_BATCH, NewSubject, Onboard, OnboardCollect, OnboardConsent,
    Onboarded, Retry,
};
use custodian_ledger::Signer;
use serde::Deserialize;
use serde_json::{Value, json};

/// How the client authenticates.
pub enum Auth {
    /// An API key of the cell.
    Bearer(String),
    /// A regulator's order key, signing each request for the cell named by its ledger origin.
    Regulator {
        /// The key.
        key: Box<Signer>,
        /// The cell's ledger origin (what its checkpoints name it).
        cell: String,
    },
}

/// A refusal or failure.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The cell answered with an error.
    #[error("{status} {code}: {message}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// The machine-readable code.
        code: String,
        /// The message.
        message: String,
        /// The order behind the refusal, if one.
        order: Option<String>,
    },
    /// The cell could not be reached: the connection was refused or never made, so the
    /// request was not sent (always safe to send again).
    #[error("{0}")]
    Unreached(String),
    /// The connection failed under the request (it may have been carried out), or the cell
    /// answered something else.
    #[error("{0}")]
    Transport(String),
}

/// A stored value's token.
#[derive(Clone, Debug, Deserialize)]
pub struct Collected {
    /// The field.
    pub field: String,
    /// The token standing for the value.
    pub token: String,
}

/// What the transfer gate decided.
#[derive(Clone, Debug, Deserialize)]
pub struct Transfer {
    /// The basis the gate used (`{id, kind}`), if one held.
    pub basis: Option<Value>,
    /// The subjects whose values leave, each `{subject, values: {field: [values]}}`.
    pub allowed: Vec<Value>,
    /// The refused subjects, each `{subject, code, message, order?}`.
    pub refused: Vec<Value>,
    /// The year's counts (`general`, `sensitive`).
    pub counts: Value,
    /// Thresholds approached.
    pub warnings: Vec<String>,
    /// When the recipient is another cell: `{jurisdiction, url, from}` — deliver `allowed`
    /// there with [`Client::receive`] (each allowed subject carries its `receipt`).
    #[serde(default)]
    pub cell: Option<Value>,
}

/// What a cell received from another.
#[derive(Clone, Debug, Deserialize)]
pub struct Received {
    /// Each `{from_subject, subject, tokens, origin, index}`.
    pub received: Vec<Value>,
    /// Each `{from_subject, code, message}`.
    pub refused: Vec<Value>,
}

/// What an egress check found.
#[derive(Clone, Debug, Deserialize)]
pub struct Egress {
    /// Whether the payload must not leave.
    pub blocked: bool,
    /// PI candidates found.
    pub findings: u64,
    /// Stored values found, each `{field, covered}`.
    pub matches: Vec<Value>,
}

/// A client of one cell.
pub struct Client {
    base: reqwest::Url,
    auth: Auth,
    http: reqwest::blocking::Client,
}

fn nonce() -> Result<String, ClientError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| ClientError::Transport(format!("no randomness: {e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

impl Client {
    /// A client of the cell at `base` (`http://host:port`).
    pub fn new(base: &str, auth: Auth) -> Result<Client, ClientError> {
        let base = reqwest::Url::parse(base.trim_end_matches('/'))
            .map_err(|e| ClientError::Transport(format!("`{base}` is not a URL: {e}")))?;
        // No redirects: the cell answers where it is asked, and a request followed elsewhere
        // would blur whether it reached the cell (see `ClientError::Unreached`).
        let http = reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ClientError::Transport(format!("cannot build the HTTP client: {e}")))?;
        Ok(Client { base, auth, http })
    }

    /// The same client acting with another API key (sharing its connections).
    pub fn with_bearer(&self, key: &str) -> Client {
        Client {
            base: self.base.clone(),
            auth: Auth::Bearer(key.to_string()),
            http: self.http.clone(),
        }
    }

    /// Sends a request (`path_and_query` like `/v1/orders?x=1`) with `body` and reads JSON;
    /// an error status is [`ClientError::Api`].
    pub fn call(
        &self,
        method: &str,
        path_and_query: &str,
        body: Option<(&str, Vec<u8>)>,
    ) -> Result<Value, ClientError> {
        let (status, v) = self.send(method, path_and_query, body)?;
        if status >= 400 {
            return Err(ClientError::Api {
                status,
                code: v["code"].as_str().unwrap_or("").to_string(),
                message: v["message"].as_str().unwrap_or("").to_string(),
                order: v["order"].as_str().map(String::from),
            });
        }
        Ok(v)
    }

    /// Sends a request and answers the status and the body — JSON, or the text as a JSON
    /// string — whatever the status (for callers that show refusals as they are).
    pub fn send(
        &self,
        method: &str,
        path_and_query: &str,
        body: Option<(&str, Vec<u8>)>,
    ) -> Result<(u16, Value), ClientError> {
        let url = self
            .base
            .join(path_and_query)
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        let m = reqwest::Method::from_bytes(method.as_bytes())
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        let (content_type, bytes) = body.unwrap_or(("text/plain", Vec::new()));
        let mut rb = self
            .http
            .request(m, url.clone())
            .header("content-type", content_type);
        match &self.auth {
            Auth::Bearer(k) => rb = rb.bearer_auth(k),
            Auth::Regulator { key, cell } => {
                let authority = match url.port() {
                    Some(p) => format!("{}:{p}", url.host_str().unwrap_or("")),
                    None => url.host_str().unwrap_or("").to_string(),
                };
                let target = match url.query() {
                    Some(q) => format!("{}?{q}", url.path()),
                    None => url.path().to_string(),
                };
                let created = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                let (digest, input, sig) = custodian_server::signed::sign_request(
                    key,
                    cell,
                    method,
                    &authority,
                    &target,
                    &bytes,
                    created,
                    &nonce()?,
                );
                rb = rb
                    .header("content-digest", digest)
                    .header("signature-input", input)
                    .header("signature", sig);
            }
        }
        let r = rb.body(bytes).send().map_err(|e| match e.is_connect() {
            true => ClientError::Unreached(e.to_string()),
            false => ClientError::Transport(e.to_string()),
        })?;
        let status = r.status().as_u16();
        let text = r
            .text()
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok((status, v))
    }

    fn json(&self, method: &str, path: &str, body: &Value) -> Result<Value, ClientError> {
        self.call(
            method,
            path,
            Some(("application/json", body.to_string().into_bytes())),
        )
    }

    fn decode<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, ClientError> {
        serde_json::from_value(v)
            .map_err(|e| ClientError::Transport(format!("unexpected answer: {e}")))
    }

    /// The cell's ledger origin (`/healthz`).
    pub fn origin(&self) -> Result<String, ClientError> {
        Ok(self.call("GET", "/healthz", None)?["origin"]
            .as_str()
            .unwrap_or("")
            .to_string())
    }

    /// Registers a subject of `jurisdiction` (a service): its id.
    pub fn register(&self, jurisdiction: &str, role: Option<&str>) -> Result<String, ClientError> {
        let v = self.json(
            "POST",
            "/v1/subjects",
            &json!({"jurisdiction": jurisdiction, "role": role}),
        )?;
        Ok(v["subject"].as_str().unwrap_or("").to_string())
    }

    /// Records a subject's consent to a purpose.
    pub fn grant_consent(
        &self,
        subject: &str,
        purpose: &str,
        separate: bool,
    ) -> Result<(), ClientError> {
        self.json(
            "POST",
            &format!("/v1/subjects/{subject}/consents"),
            &json!({"purpose": purpose, "separate": separate}),
        )
        .map(|_| ())
    }

    /// Collects values of a subject for a purpose (a service): their tokens.
    pub fn collect(
        &self,
        subject: &str,
        purpose: &str,
        values: &[(&str, &str)],
    ) -> Result<Vec<Collected>, ClientError> {
        let values: serde_json::Map<String, Value> = values
            .iter()
            .map(|(f, v)| ((*f).to_string(), Value::String((*v).to_string())))
            .collect();
        let v = self.json(
            "POST",
            "/v1/collect",
            &json!({"subject": subject, "purpose": purpose, "values": values}),
        )?;
        Self::decode(v["tokens"].clone())
    }

    /// Transfers fields of subjects to a recipient abroad through the gate (a service).
    pub fn transfer(
        &self,
        recipient: &str,
        subjects: &[&str],
        fields: &[&str],
    ) -> Result<Transfer, ClientError> {
        let v = self.json(
            "POST",
            "/v1/transfers",
            &json!({"recipient": recipient, "subjects": subjects, "fields": fields}),
        )?;
        Self::decode(v)
    }

    /// Delivers to this cell what another cell's gate let out to it (a service of the same
    /// tenant here): `from` is the sending cell's jurisdiction, `subjects` the transfer's
    /// `allowed` list as it came (values and receipts). Sent 100 subjects a request (a receipt
    /// is about 2 KB; a cell takes at most 1,000 subjects and, by default, 1 MiB a request), the
    /// answers gathered.
    pub fn receive(&self, from: &str, subjects: &[Value]) -> Result<Received, ClientError> {
        let mut all = Received {
            received: Vec::new(),
            refused: Vec::new(),
        };
        for chunk in subjects.chunks(100) {
            let r: Received = Self::decode(self.json(
                "POST",
                "/v1/receive",
                &json!({"from": from, "subjects": chunk}),
            )?)?;
            all.received.extend(r.received);
            all.refused.extend(r.refused);
        }
        Ok(all)
    }

    /// Checks a payload before it leaves (a service); `format` is text, csv, json or ndjson.
    pub fn egress_check(
        &self,
        recipient: Option<&str>,
        format: &str,
        payload: &[u8],
    ) -> Result<Egress, ClientError> {
        let mut path = format!("/v1/egress/check?format={format}");
        if let Some(r) = recipient {
            path.push_str(&format!("&recipient={r}"));
        }
        Self::decode(self.call("POST", &path, Some(("text/plain", payload.to_vec())))?)
    }

    /// Submits a signed order (a regulator).
    pub fn submit_order(&self, note: &str) -> Result<Value, ClientError> {
        self.call(
            "POST",
            "/v1/orders",
            Some(("text/plain", note.as_bytes().to_vec())),
        )
    }

    /// The orders the caller may see, with status, note and signers.
    pub fn orders(&self) -> Result<Vec<Value>, ClientError> {
        Self::decode(self.call("GET", "/v1/orders", None)?["orders"].clone())
    }

    /// A fresh signed checkpoint of the ledger.
    pub fn checkpoint(&self) -> Result<String, ClientError> {
        match self.call("GET", "/v1/ledger/checkpoint", None)? {
            Value::String(s) => Ok(s),
            other => Ok(other.to_string()),
        }
    }
}
