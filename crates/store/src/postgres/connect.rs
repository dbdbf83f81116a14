//! Connecting to PostgreSQL: the URL's TLS settings, as libpq reads them, and the pool.
//!
//! `sslmode` (in the URL's query) is one of
//! - `disable`: no TLS;
//! - `prefer` (the default, as libpq's): TLS if the server offers it, its certificate not
//!   checked (protects against a passive listener only);
//! - `require`: TLS or no connection; the certificate is checked against `sslrootcert` if one
//!   is given (then as `verify-ca`), not otherwise;
//! - `verify-ca`: TLS, the server's certificate chained to a CA of `sslrootcert`;
//! - `verify-full`: as `verify-ca`, and the certificate names the host connected to (the
//!   URL's host; `hostaddr` may give the address to reach it at).
//!
//! `sslrootcert` is a PEM file of CA certificates, or `system` for the system's store.
//! Unknown values are refused rather than weakened. TLS is rustls with aws-lc-rs.

use std::str::FromStr;
use std::sync::Arc;

use custodian_core::store::{StoreError, StoreStats};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use tokio_postgres::config::SslMode;

use super::PgStore;

/// How the connection is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tls {
    /// No TLS.
    Disable,
    /// TLS when offered, unchecked.
    Prefer,
    /// TLS always, unchecked.
    Require,
    /// TLS always, the chain checked.
    VerifyCa,
    /// TLS always, the chain and the host name checked.
    VerifyFull,
}

impl Tls {
    fn parse(v: &str) -> Result<Tls, StoreError> {
        Ok(match v {
            "disable" => Tls::Disable,
            "prefer" | "allow" => Tls::Prefer,
            "require" => Tls::Require,
            "verify-ca" => Tls::VerifyCa,
            "verify-full" => Tls::VerifyFull,
            other => {
                return Err(StoreError::Backend(format!(
                    "sslmode `{other}` is not one of disable, prefer, require, verify-ca, verify-full"
                )));
            }
        })
    }

    /// Its `sslmode` name.
    pub fn as_str(self) -> &'static str {
        match self {
            Tls::Disable => "disable",
            Tls::Prefer => "prefer",
            Tls::Require => "require",
            Tls::VerifyCa => "verify-ca",
            Tls::VerifyFull => "verify-full",
        }
    }
}

/// A URL's connection settings, its TLS settings taken out.
pub(super) struct Target {
    pub(super) config: tokio_postgres::Config,
    pub(super) tls: Tls,
    roots: Option<String>,
}

/// Splits `sslmode` and `sslrootcert` off the URL's query (tokio-postgres knows neither
/// `verify-*` nor `sslrootcert`) and parses the rest.
pub(super) fn parse(url: &str) -> Result<Target, StoreError> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut tls = Tls::Prefer;
    let mut roots = None;
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "sslmode" => tls = Tls::parse(&decode(v)?)?,
            "sslrootcert" => roots = Some(decode(v)?),
            _ => rest.push(pair),
        }
    }
    let url = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    let mut config = tokio_postgres::Config::from_str(&url)
        .map_err(|e| StoreError::Backend(format!("invalid PostgreSQL URL: {e}")))?;
    if tls == Tls::Require && roots.is_some() {
        tls = Tls::VerifyCa;
    }
    if matches!(tls, Tls::VerifyCa | Tls::VerifyFull) && roots.is_none() {
        return Err(StoreError::Backend(format!(
            "sslmode={} needs sslrootcert=<PEM file of the CA> (or sslrootcert=system for the \
             system's CAs)",
            tls.as_str()
        )));
    }
    config.ssl_mode(match tls {
        Tls::Disable => SslMode::Disable,
        Tls::Prefer => SslMode::Prefer,
        _ => SslMode::Require,
    });
    Ok(Target { config, tls, roots })
}

/// Percent-decoding of a query value (a file path may hold `%2F`).
fn decode(v: &str) -> Result<String, StoreError> {
    let bad = || StoreError::Backend("invalid percent-encoding in the PostgreSQL URL".into());
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3).ok_or_else(bad)?;
            let hex = std::str::from_utf8(hex).map_err(|_| bad())?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| bad())?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad())
}

/// The pool of connections to `target`, with `size` connections at most.
pub(super) fn pool(target: &Target, size: usize) -> Result<Pool, StoreError> {
    let mgr_config = ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    };
    let mgr = match target.tls {
        Tls::Disable => {
            Manager::from_config(target.config.clone(), tokio_postgres::NoTls, mgr_config)
        }
        _ => Manager::from_config(
            target.config.clone(),
            tokio_postgres_rustls::MakeRustlsConnect::new(client_config(target)?),
            mgr_config,
        ),
    };
    Pool::builder(mgr)
        .max_size(size.max(1))
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .build()
        .map_err(|e| StoreError::Backend(format!("cannot build the connection pool: {e}")))
}

fn client_config(target: &Target) -> Result<rustls::ClientConfig, StoreError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Backend(format!("TLS: {e}")))?;
    let Some(roots) = &target.roots else {
        return Ok(builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
            .with_no_client_auth());
    };
    let roots = Arc::new(root_store(roots)?);
    let webpki = rustls::client::WebPkiServerVerifier::builder_with_provider(roots, provider)
        .build()
        .map_err(|e| StoreError::Backend(format!("TLS: {e}")))?;
    Ok(match target.tls {
        Tls::VerifyFull => builder.with_webpki_verifier(webpki).with_no_client_auth(),
        _ => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(ChainOnly(webpki)))
            .with_no_client_auth(),
    })
}

fn root_store(source: &str) -> Result<rustls::RootCertStore, StoreError> {
    let mut store = rustls::RootCertStore::empty();
    if source == "system" {
        let found = rustls_native_certs::load_native_certs();
        store.add_parsable_certificates(found.certs);
    } else {
        let certs = CertificateDer::pem_file_iter(source)
            .and_then(|it| it.collect::<Result<Vec<_>, _>>())
            .map_err(|e| StoreError::Backend(format!("sslrootcert `{source}`: {e}")))?;
        store.add_parsable_certificates(certs);
    }
    if store.is_empty() {
        return Err(StoreError::Backend(format!(
            "sslrootcert `{source}` holds no CA certificate"
        )));
    }
    Ok(store)
}

/// `require` without a CA: any certificate, but the handshake's signatures still checked
/// (TLS against a passive listener, as libpq's `require`).
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain checked by webpki, a certificate for another name accepted.
#[derive(Debug)]
struct ChainOnly(Arc<rustls::client::WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            // webpki checks the name after the chain: this error means the chain held.
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// `host:port/dbname` of a connection configuration, for messages (never the password).
pub(super) fn describe(cfg: &tokio_postgres::Config) -> String {
    let host = cfg
        .get_hosts()
        .first()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(s) => s.clone(),
            tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = cfg.get_ports().first().copied().unwrap_or(5432);
    format!("{host}:{port}/{}", cfg.get_dbname().unwrap_or("postgres"))
}

impl PgStore {
    /// Whether the server says this connection runs over TLS (`pg_stat_ssl`).
    pub fn tls_in_use(&self) -> Result<bool, StoreError> {
        self.read(|c| async move {
            let row = c
                .query_one(
                    "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                    &[],
                )
                .await
                .map_err(pg_err)?;
            row.try_get::<_, bool>(0).map_err(pg_err)
        })
    }

    /// A round trip on a pooled connection, within 5 s, and the writer running.
    pub(super) fn ping_database(&self) -> Result<(), StoreError> {
        let running = self
            .writer
            .lock()
            .map(|w| w.as_ref().is_some_and(|h| !h.is_finished()))
            .unwrap_or(false);
        if !running {
            return Err(StoreError::Backend("the writer has stopped".into()));
        }
        let pool = self.pool.clone();
        self.run(async move {
            let answered = tokio::time::timeout(std::time::Duration::from_secs(5), async {
                let c = pool.get().await.map_err(pool_err)?;
                c.simple_query("SELECT 1").await.map_err(pg_err)?;
                Ok(())
            })
            .await;
            answered.unwrap_or_else(|_| {
                Err(StoreError::Backend(
                    "PostgreSQL did not answer within 5 s".into(),
                ))
            })
        })
    }

    /// The writer's counters and the pool's use.
    pub(super) fn figures(&self) -> StoreStats {
        let s = self.pool.status();
        let open = s.size as u64;
        let idle = s.available as u64;
        self.counters
            .stats(open, open.saturating_sub(idle), s.max_size as u64)
    }
}

/// A PostgreSQL error, without the row values PostgreSQL puts in its details (they could
/// name subjects or tokens): the message and SQLSTATE only.
pub(super) fn pg_err(e: tokio_postgres::Error) -> StoreError {
    match e.as_db_error() {
        Some(d) => StoreError::Backend(format!(
            "postgres: {} (SQLSTATE {})",
            d.message(),
            d.code().code()
        )),
        None => {
            // The cause says why (a TLS handshake's certificate error, a refused connection).
            let mut m = format!("postgres: {e}");
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                m.push_str(&format!(": {c}"));
                cause = c.source();
            }
            StoreError::Backend(m)
        }
    }
}

pub(super) fn pool_err(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => pg_err(e),
        other => StoreError::Backend(format!("postgres pool: {other}")),
    }
}

/// One connection to the database at `url`, read with the store's rules (`sslmode`,
/// `sslrootcert`) and protected as the store's are; its driver runs on the current runtime.
/// For reading another database, such as `custodian import`'s source.
pub async fn connect_one(url: &str) -> Result<tokio_postgres::Client, StoreError> {
    let target = parse(url)?;
    let failed = |e: tokio_postgres::Error| StoreError::Backend(format!("cannot connect: {e}"));
    let client = match target.tls {
        Tls::Disable => {
            let (client, conn) = target
                .config
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(failed)?;
            tokio::spawn(conn);
            client
        }
        _ => {
            let tls = tokio_postgres_rustls::MakeRustlsConnect::new(client_config(&target)?);
            let (client, conn) = target.config.connect(tls).await.map_err(failed)?;
            tokio::spawn(conn);
            client
        }
    };
    Ok(client)
}
