//! Prometheus counters, by hand: requests by route and status.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// Request counters.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
}

impl Metrics {
    /// Counts a request.
    pub fn record(&self, route: &str, status: u16) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((route.to_string(), status)).or_default() += 1;
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self, ledger_size: u64) -> String {
        let mut out = String::from(
            "# HELP custodian_requests_total HTTP requests by route and status.\n# TYPE custodian_requests_total counter\n",
        );
        if let Ok(m) = self.requests.lock() {
            for ((route, status), n) in m.iter() {
                out.push_str(&format!(
                    "custodian_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}\n"
                ));
            }
        }
        out.push_str(&format!("# HELP custodian_ledger_entries Entries in the ledger.\n# TYPE custodian_ledger_entries gauge\ncustodian_ledger_entries {ledger_size}\n"));
        out
    }
}
