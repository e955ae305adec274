//! Prometheus text-format metrics at `GET /metrics`: requests by route and status class, request
//! latency histogram, events appended, and how far the read models trail the log.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// Counters of this process.
#[derive(Debug, Default)]
pub struct Metrics {
    /// (method, route pattern, status) → count.
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    /// Latency histogram: counts per bucket (+Inf last), sum in microseconds.
    latency_buckets: [AtomicU64; BUCKETS.len() + 1],
    latency_sum_micros: AtomicU64,
    appended: AtomicU64,
}

impl Metrics {
    /// Counts a finished request.
    pub fn request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        {
            let mut requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
            *requests
                .entry((method.to_owned(), route.to_owned(), status))
                .or_default() += 1;
        }
        let seconds = elapsed.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        self.latency_buckets[bucket].fetch_add(1, Ordering::Relaxed);
        self.latency_sum_micros.fetch_add(
            u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
    }

    /// Counts appended events.
    pub fn appended(&self, events: u64) {
        self.appended.fetch_add(events, Ordering::Relaxed);
    }

    /// The text exposition; `head` is the log's last position, `projected` the read models'.
    pub fn render(&self, head: u64, projected: u64) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP redmud_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE redmud_http_requests_total counter\n");
        for ((method, route, status), count) in self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "redmud_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}",
                route.replace('\\', "\\\\").replace('"', "\\\"")
            );
        }
        out.push_str("# HELP redmud_http_request_duration_seconds Request latency.\n");
        out.push_str("# TYPE redmud_http_request_duration_seconds histogram\n");
        let mut cumulative = 0;
        for (i, bound) in BUCKETS.iter().enumerate() {
            cumulative += self.latency_buckets[i].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "redmud_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        cumulative += self.latency_buckets[BUCKETS.len()].load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "redmud_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}"
        );
        let sum = self.latency_sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "redmud_http_request_duration_seconds_sum {sum}");
        let _ = writeln!(
            out,
            "redmud_http_request_duration_seconds_count {cumulative}"
        );
        out.push_str("# HELP redmud_events_appended_total Events appended by this process.\n");
        out.push_str("# TYPE redmud_events_appended_total counter\n");
        let _ = writeln!(
            out,
            "redmud_events_appended_total {}",
            self.appended.load(Ordering::Relaxed)
        );
        out.push_str("# HELP redmud_log_head_position Last global position of the event log.\n");
        out.push_str("# TYPE redmud_log_head_position gauge\n");
        let _ = writeln!(out, "redmud_log_head_position {head}");
        out.push_str(
            "# HELP redmud_projection_lag_events Events not yet reflected in the read models \
             (0: inline projections commit with the events).\n",
        );
        out.push_str("# TYPE redmud_projection_lag_events gauge\n");
        let _ = writeln!(
            out,
            "redmud_projection_lag_events {}",
            head.saturating_sub(projected)
        );
        out
    }
}
