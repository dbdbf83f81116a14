//! Prometheus metrics, by hand (the text exposition format is a few lines): requests by route
//! and status, latency histograms by route, connections, and what the cell reports of itself
//! (decisions by outcome and reason, orders in force, ledger size and witnessed checkpoint,
//! the writer's batches and queue, the store's connections). Labels are route templates,
//! statuses, entry kinds and reason codes: never a subject, a token or a value.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use custodian_core::store::{BATCH_BOUNDS, StoreStats};
use custodian_core::vault::DecisionCount;

/// Upper bounds of the latency buckets, in seconds.
const LATENCY_BOUNDS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// A route's latency histogram.
#[derive(Debug, Default, Clone)]
struct Histogram {
    buckets: [u64; LATENCY_BOUNDS.len()],
    count: u64,
    sum: f64,
}

/// The server's own counters.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    open: AtomicI64,
    turned_away: AtomicU64,
}

/// What the cell reports of itself at a scrape.
#[derive(Debug, Default)]
pub struct CellFigures {
    /// Entries in the ledger.
    pub ledger_size: u64,
    /// Decisions since the process opened the cell.
    pub decisions: Vec<DecisionCount>,
    /// Orders in force now.
    pub orders_in_force: usize,
    /// The store's writer and connections.
    pub store: StoreStats,
    /// The latest witnessed checkpoint: its tree size and its age.
    pub witnessed: Option<(u64, Duration)>,
    /// Whether the store answered just now.
    pub store_up: bool,
}

impl Metrics {
    /// Counts a request and its latency.
    pub fn record(&self, route: &str, status: u16, took: Duration) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((route.to_string(), status)).or_default() += 1;
        }
        let secs = took.as_secs_f64();
        if let Ok(mut m) = self.latency.lock() {
            let h = m.entry(route.to_string()).or_default();
            if let Some(i) = LATENCY_BOUNDS.iter().position(|&b| secs <= b) {
                h.buckets[i] += 1;
            }
            h.count += 1;
            h.sum += secs;
        }
    }

    /// A connection opened (`1`) or closed (`-1`).
    pub fn connection(&self, delta: i64) {
        self.open.fetch_add(delta, Ordering::Relaxed);
    }

    /// A connection over the cap, answered 503.
    pub fn turned_away(&self) {
        self.turned_away.fetch_add(1, Ordering::Relaxed);
    }

    /// Connections open now.
    pub fn open_connections(&self) -> i64 {
        self.open.load(Ordering::Relaxed)
    }

    /// The Prometheus text exposition.
    pub fn render(&self, cell: &CellFigures) -> String {
        let mut out = String::new();
        head(
            &mut out,
            "custodian_requests_total",
            "counter",
            "HTTP requests by route template and status.",
        );
        if let Ok(m) = self.requests.lock() {
            for ((route, status), n) in m.iter() {
                let _ = writeln!(
                    out,
                    "custodian_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        head(
            &mut out,
            "custodian_request_duration_seconds",
            "histogram",
            "Time from a request's headers to its response, by route template.",
        );
        if let Ok(m) = self.latency.lock() {
            for (route, h) in m.iter() {
                let mut cumulative = 0;
                for (bound, n) in LATENCY_BOUNDS.iter().zip(h.buckets) {
                    cumulative += n;
                    let _ = writeln!(
                        out,
                        "custodian_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                    );
                }
                let _ = writeln!(
                    out,
                    "custodian_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\ncustodian_request_duration_seconds_sum{{route=\"{route}\"}} {}\ncustodian_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count, h.sum, h.count
                );
            }
        }
        gauge(
            &mut out,
            "custodian_connections_open",
            "HTTP connections open now.",
            self.open.load(Ordering::Relaxed),
        );
        head(
            &mut out,
            "custodian_connections_refused_total",
            "counter",
            "Connections over max_connections, answered 503 and closed.",
        );
        let _ = writeln!(
            out,
            "custodian_connections_refused_total {}",
            self.turned_away.load(Ordering::Relaxed)
        );
        render_cell(&mut out, cell);
        out
    }
}

fn head(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn gauge(out: &mut String, name: &str, help: &str, v: impl std::fmt::Display) {
    head(out, name, "gauge", help);
    let _ = writeln!(out, "{name} {v}");
}

fn render_cell(out: &mut String, cell: &CellFigures) {
    gauge(
        out,
        "custodian_store_up",
        "1 if the store answered a round trip at this scrape, 0 if not.",
        u8::from(cell.store_up),
    );
    gauge(
        out,
        "custodian_ledger_entries",
        "Entries in the ledger.",
        cell.ledger_size,
    );
    head(
        out,
        "custodian_decisions_total",
        "counter",
        "Acts recorded since the process opened the cell, by entry kind, outcome and reason code.",
    );
    for d in &cell.decisions {
        let _ = writeln!(
            out,
            "custodian_decisions_total{{kind=\"{}\",outcome=\"{}\",reason=\"{}\"}} {}",
            d.kind, d.outcome, d.reason, d.count
        );
    }
    gauge(
        out,
        "custodian_orders_in_force",
        "Regulator orders in force now (overdue rectifications among them).",
        cell.orders_in_force,
    );
    if let Some((size, age)) = cell.witnessed {
        gauge(
            out,
            "custodian_witnessed_checkpoint_entries",
            "Tree size of the latest checkpoint the witnesses cosigned.",
            size,
        );
        gauge(
            out,
            "custodian_witnessed_checkpoint_age_seconds",
            "Seconds since the witnesses last cosigned a checkpoint.",
            age.as_secs(),
        );
    }
    let s = &cell.store;
    head(
        out,
        "custodian_writer_batch_size",
        "histogram",
        "Jobs per transaction of the store's writer (group commit).",
    );
    let mut cumulative = 0;
    for (bound, n) in BATCH_BOUNDS.iter().zip(s.batches) {
        cumulative += n;
        let _ = writeln!(
            out,
            "custodian_writer_batch_size_bucket{{le=\"{bound}\"}} {cumulative}"
        );
    }
    let _ = writeln!(
        out,
        "custodian_writer_batch_size_bucket{{le=\"+Inf\"}} {cumulative}\ncustodian_writer_batch_size_sum {}\ncustodian_writer_batch_size_count {cumulative}",
        s.jobs
    );
    gauge(
        out,
        "custodian_writer_queue_depth",
        "Jobs waiting for the store's writer now.",
        s.queued,
    );
    for (name, help, v) in [
        (
            "custodian_writer_begun_in_commit_total",
            "Transactions the writer began in the round trip of the last batch's COMMIT.",
            s.begun_in_commit,
        ),
        (
            "custodian_writer_begin_missed_total",
            "Of those tried, rolled back: another process had moved or held the ledger head.",
            s.begin_missed,
        ),
        (
            "custodian_writer_begun_let_go_total",
            "Of those begun, rolled back because no job came within a millisecond.",
            s.begun_let_go,
        ),
        (
            "custodian_writer_committed_in_batch_total",
            "Batches whose COMMIT went in the round trip of their own statements.",
            s.committed_in_batch,
        ),
    ] {
        head(out, name, "counter", help);
        let _ = writeln!(out, "{name} {v}");
    }
    gauge(
        out,
        "custodian_store_connections",
        "Read connections the store has open.",
        s.connections,
    );
    gauge(
        out,
        "custodian_store_connections_in_use",
        "Of the store's read connections, those in use.",
        s.connections_in_use,
    );
    gauge(
        out,
        "custodian_store_connections_max",
        "Most read connections the store opens.",
        s.connections_max,
    );
}
