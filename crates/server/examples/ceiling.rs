//! The machine's HTTP ceiling for `scripts/bench-http`: a trivial handler on the stack
//! `custodian serve` runs on (tokio's multi-threaded runtime, axum, hyper), which reads a POST's
//! JSON body and answers a small JSON object, with no decision, store or ledger. Its rate in
//! the same run is what the cell's routes are compared with.
//!
//! `cargo run --release -p custodian-server --example ceiling [ADDR]` (default 127.0.0.1:0;
//! prints `listening on http://…`)
#![expect(clippy::unwrap_used, reason = "a benchmark program, not library code")]

use axum::Router;
use axum::routing::post;

#[tokio::main]
async fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".into());
    let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
    println!("listening on http://{}", listener.local_addr().unwrap());
    let app = Router::new().route(
        "/{*path}",
        post(|axum::Json(body): axum::Json<serde_json::Value>| async move {
            axum::Json(serde_json::json!({ "ok": true, "fields": body.as_object().map_or(0, |o| o.len()) }))
        }),
    );
    axum::serve(listener, app).await.unwrap();
}
