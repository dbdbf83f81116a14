//! Extractors and helpers every resource uses: the authenticated caller, JSON bodies, query
//! and path parameters with errors in the API's shape, and the blocking pool.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use custodian_core::access::{
    AdminScope, DpoScope, Operation, Principal, RegulatorScope, Role, Scope, ServiceScope, permits,
};
use custodian_core::vault::Refusal;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::{AppState, Shared};

/// Query parameters with errors in the API's shape.
pub(crate) struct Params<T>(pub(crate) T);

impl<T: DeserializeOwned + Send> FromRequestParts<Shared> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _st: &Shared) -> Result<Self, ApiError> {
        let q = parts.uri.query().unwrap_or("");
        serde_urlencoded_like(q).map(Params)
    }
}

fn serde_urlencoded_like<T: DeserializeOwned>(q: &str) -> Result<T, ApiError> {
    Query::<T>::try_from_uri(
        &format!("/?{q}")
            .parse()
            .map_err(|_| ApiError::bad_request("bad_query", "the query string is malformed"))?,
    )
    .map(|Query(v)| v)
    .map_err(|e| {
        ApiError::bad_request(
            "bad_query",
            format!("invalid query parameters: {}", scrub(&e.body_text())),
        )
    })
}

/// Path parameters with errors in the API's shape.
pub(crate) struct Segments<T>(pub(crate) T);

impl<T: DeserializeOwned + Send> FromRequestParts<Shared> for Segments<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &Shared) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, st)
            .await
            .map(|Path(v)| Segments(v))
            .map_err(|e| {
                ApiError::bad_request(
                    "bad_path",
                    format!("invalid path: {}", scrub(&e.body_text())),
                )
            })
    }
}

/// The authenticated caller.
pub(crate) struct Auth(pub(crate) Principal);

impl FromRequestParts<Shared> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &Shared) -> Result<Self, ApiError> {
        // A regulator's signed request (verified by `signed::verify_signed`).
        let caller = parts.extensions.get::<super::Caller>().cloned();
        if let Some(super::signed::SignedBy(p)) = parts.extensions.get() {
            if let Some(c) = &caller {
                c.set(p);
            }
            if !st.admit(&p.key_id) {
                return Err(ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    "this key is over its request rate; retry shortly",
                ));
            }
            return Ok(Auth(p.clone()));
        }
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(ApiError::unauthorized)?
            .to_string();
        // A key this process has authenticated since its last revocation is answered from
        // memory (only on a store no other process writes); any other goes to the store.
        let p = match st.vault.authenticate_cached(&secret) {
            Some(p) => p,
            None => {
                let vault = st.vault.clone();
                blocking(move || vault.authenticate(&secret))
                    .await?
                    .ok_or_else(ApiError::unauthorized)?
            }
        };
        if let Some(c) = &caller {
            c.set(&p);
        }
        if !st.admit(&p.key_id) {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "this API key is over its request rate; retry shortly",
            ));
        }
        Ok(Auth(p))
    }
}

/// The operations as types, so a handler's signature names what it does and the role check
/// runs before its body is read.
pub(crate) mod op {
    use custodian_core::access::Operation;

    /// An operation a handler performs.
    pub(crate) trait Op {
        /// The operation.
        const OP: Operation;
    }

    macro_rules! ops {
        ($($name:ident),+) => {
            $(
                pub(crate) struct $name;
                impl Op for $name {
                    const OP: Operation = Operation::$name;
                }
            )+
        };
    }

    ops!(
        ListTenants,
        PutManifest,
        ReadManifest,
        ManageKeys,
        ManageKeyring,
        Backup,
        Register,
        Consents,
        Collect,
        Detokenize,
        Lookup,
        Export,
        Erase,
        AssignRole,
        Rectify,
        LegalHold,
        SweepRetention,
        Requests,
        ReadRequests,
        ReadLedger,
        SubmitOrder,
        ReadOrders,
        Scan,
        Transfer,
        ManageTransferBases,
        ReadTransfers,
        Receive,
        Inspect,
        ReadReport,
        Session
    );
}

/// An authenticated caller whose role may perform `O` (the role × operation matrix of
/// `custodian_core::access`); a key whose role may not is refused with 403 before the
/// request body is read.
pub(crate) struct Allowed<O: op::Op>(pub(crate) Principal, std::marker::PhantomData<O>);

/// Records a caller's access (see `Vault::record_access`).
pub(crate) async fn record(
    st: &AppState,
    p: &Principal,
    op: Operation,
    refused: Option<Refusal>,
) -> Result<(), ApiError> {
    let (vault, p) = (st.vault.clone(), p.clone());
    blocking(move || vault.record_access(&p, op, refused)).await
}

impl<O: op::Op> Allowed<O> {
    /// Refuses the request as naming another tenant than the key's, and records that.
    pub(crate) async fn refuse_tenant(&self, st: &AppState, what: &str) -> ApiError {
        match record(st, &self.0, O::OP, Some(Refusal::Tenant)).await {
            Ok(()) => ApiError::forbidden(what),
            Err(e) => e,
        }
    }

    /// The caller's scope for the handler's operation.
    pub(crate) fn scope(&self) -> Result<Scope, ApiError> {
        Ok(self.0.scope(O::OP)?)
    }

    /// The service scope (an operation only services perform).
    pub(crate) fn service(&self) -> Result<ServiceScope, ApiError> {
        Ok(self.0.service(O::OP)?)
    }

    /// The DPO scope.
    pub(crate) fn dpo(&self) -> Result<DpoScope, ApiError> {
        Ok(self.0.dpo(O::OP)?)
    }

    /// The administrator's scope.
    pub(crate) fn admin(&self) -> Result<AdminScope, ApiError> {
        Ok(self.0.admin(O::OP)?)
    }

    /// The regulator's scope.
    pub(crate) fn regulator(&self) -> Result<RegulatorScope, ApiError> {
        Ok(self.0.regulator(O::OP)?)
    }
}

impl<O: op::Op + Send + Sync> FromRequestParts<Shared> for Allowed<O> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &Shared) -> Result<Self, ApiError> {
        let Auth(p) = Auth::from_request_parts(parts, st).await?;
        if !permits(p.access.role(), O::OP) {
            record(st, &p, O::OP, Some(Refusal::Role)).await?;
            // The scope call words the refusal (which roles may).
            p.scope(O::OP)?;
        }
        // A regulator's every read is a ledger entry (its orders record themselves).
        if p.access.role() == Role::Regulator && O::OP != Operation::SubmitOrder {
            record(st, &p, O::OP, None).await?;
        }
        Ok(Allowed(p, std::marker::PhantomData))
    }
}

/// JSON body that refuses unknown fields and reports errors in the API's shape.
pub(crate) struct Body<T>(pub(crate) T);

impl<T: DeserializeOwned> FromRequest<Shared> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, st: &Shared) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(req, st).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    format!("the body is over {} bytes", st.body_limit),
                )
            } else {
                ApiError::bad_request("bad_body", "the body could not be read")
            }
        })?;
        serde_json::from_slice(&bytes).map(Body).map_err(|e| {
            ApiError::bad_request(
                "bad_json",
                format!(
                    "invalid JSON body at line {} column {}: {}",
                    e.line(),
                    e.column(),
                    scrub(&e.to_string())
                ),
            )
        })
    }
}

/// serde's messages quote the offending input for some errors (`invalid type: string "…"`):
/// keep only the part before the first quote so no value reaches a response.
pub(crate) fn scrub(msg: &str) -> String {
    msg.split(['"', '`'])
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches(':')
        .to_string()
}

/// Runs an act on this task's thread (`Vault::…_deferred`); a panic in it becomes a 500, as
/// one on the blocking pool does, instead of dropping the connection.
pub(crate) fn run_here<R>(act: impl FnOnce() -> R) -> Result<R, ApiError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(act)).map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    })
}

/// Finishes an act run on this task's thread ([`custodian_core::vault::Deferred`]: its
/// commits awaited, the thread free meanwhile), or runs `f` on the blocking pool when the act
/// could not run here (`None`) or found the cell's configuration changed under it (`f` reloads
/// and decides again).
pub(crate) async fn deferred_or_blocking<T: Send + 'static>(
    deferred: Option<custodian_core::vault::Deferred<T>>,
    f: impl FnOnce() -> Result<T, custodian_core::CoreError> + Send + 'static,
) -> Result<T, ApiError> {
    if let Some(d) = deferred {
        match d.finish().await {
            Err(custodian_core::CoreError::Stale) => {}
            r => return r.map_err(ApiError::from),
        }
    }
    blocking(f).await
}

pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, custodian_core::CoreError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            )
        })?
        .map_err(ApiError::from)
}

pub(crate) fn parse<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> Result<T, ApiError> {
    r.map_err(|e| ApiError::bad_request("invalid", format!("{what}: {e}")))
}
