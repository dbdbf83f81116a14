//! The listener: HTTP/1.1 connections served by hyper under the cell's [`Limits`].
//!
//! A client that never finishes its request must not hold the server: a connection whose
//! request headers are not in within `header_timeout` is closed, and so is one that sits idle
//! that long between two requests (hyper starts the same timer when a kept-alive connection
//! goes idle); a body not in within `body_timeout` of its headers is answered 408 (see
//! `api::read_body`). At most `max_connections` connections are served at once: one more is
//! answered `503 too_many_connections` at once and closed, so a flood of idle sockets runs into
//! the cap, never into the process's file-descriptor limit.

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

use crate::AppState;

/// How long a client may take and how many the cell serves at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// A request's headers must be in within this; a kept-alive connection idle this long
    /// between requests is closed.
    pub header_timeout: Duration,
    /// A request's body must be in within this, counted from its headers (408 otherwise).
    pub body_timeout: Duration,
    /// Connections served at once; one more is answered 503 and closed.
    pub max_connections: usize,
}

impl Default for Limits {
    /// 10 s for headers (and idle keep-alive), 30 s for a body, 512 connections.
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_connections: 512,
        }
    }
}

/// Connections being turned away at once; past this a connection over the cap is closed
/// without an answer (each is answered within a second, so this only bites in a flood).
const TURNING_AWAY: usize = 64;

/// How long in-flight requests may take to finish once shutdown has begun.
const DRAIN: Duration = Duration::from_secs(30);

/// Serves the API on `listener` until `shutdown` resolves; in-flight requests finish (for up
/// to 30 s).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = state.limits;
    let metrics = state.metrics.clone();
    let app = crate::api::app(state);
    let served = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let turning_away = Arc::new(Semaphore::new(TURNING_AWAY));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let shutdown = shutdown;
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, say: wait rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let Ok(permit) = served.clone().try_acquire_owned() else {
            metrics.turned_away();
            if let Ok(p) = turning_away.clone().try_acquire_owned() {
                tokio::spawn(async move {
                    turn_away(stream).await;
                    drop(p);
                });
            }
            continue;
        };
        let svc = hyper_util::service::TowerToHyperService::new(app.clone());
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), svc));
        let metrics = metrics.clone();
        tokio::spawn(async move {
            metrics.connection(1);
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection closed");
            }
            metrics.connection(-1);
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {
            tracing::warn!("requests still in flight {} s after shutdown began; stopping", DRAIN.as_secs());
        }
    }
    Ok(())
}

/// Answers a connection over the cap with a 503 and closes it.
async fn turn_away(mut stream: TcpStream) {
    const BODY: &str = r#"{"code":"too_many_connections","message":"the cell is serving as many connections as it takes (max_connections); retry shortly"}"#;
    let resp = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        // Read what the client has sent so far, so that closing does not reset the connection
        // before it reads the answer.
        let mut buf = [0u8; 8192];
        let _ = tokio::time::timeout(Duration::from_millis(100), stream.read(&mut buf)).await;
        stream.write_all(resp.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
}
