//! Filters → query strings for the audit tools (events, diff, flags, export) and links from a
//! stream name to the page that shows it.

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

/// A query string from pairs, skipping blank values (RFC 3986 percent-encoding).
pub fn query(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A moment as the API takes it (`as_of`, `from`, `to`): a log position (digits, > 0) stays as it
/// is; a `datetime-local` value (`2026-03-01T08:00`, China Standard Time) becomes RFC 3339 with
/// `+08:00`; an RFC 3339 time passes. Blank is `Ok(None)`; anything else is `Err(())`.
#[allow(clippy::result_unit_err)]
pub fn moment(text: &str) -> Result<Option<String>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<u64>() {
            Ok(p) if p > 0 => Ok(Some(p.to_string())),
            _ => Err(()),
        };
    }
    if DateTime::parse_from_rfc3339(text).is_ok() {
        return Ok(Some(text.to_owned()));
    }
    let seconds = if text.len() == 16 { ":00" } else { "" };
    let full = format!("{text}{seconds}+08:00");
    match DateTime::parse_from_rfc3339(&full) {
        Ok(_) => Ok(Some(full)),
        Err(_) => Err(()),
    }
}

/// The audit replay's moment as a bound on what the event browser may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    /// Now: no bound.
    Now,
    /// Up to and including this position.
    Position(u64),
    /// Recorded at or before this RFC 3339 time.
    Time(String),
}

impl Bound {
    /// From the `as_of` query value (digits or RFC 3339).
    pub fn from_param(param: Option<&str>) -> Bound {
        match param {
            None => Bound::Now,
            Some(p) => match p.parse::<u64>() {
                Ok(position) => Bound::Position(position),
                Err(_) => Bound::Time(p.to_owned()),
            },
        }
    }
}

/// The event browser's filters, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Event types, comma-separated (`LedgerRecorded,LedgerCorrected`).
    pub types: String,
    /// A stream category (`enterprise`, `project`, …).
    pub category: String,
    /// One stream (`enterprise-<uuid>`): its history is read instead of the log.
    pub stream: String,
    /// An actor's username.
    pub actor: String,
    /// First position (inclusive).
    pub from: String,
    /// Last position (inclusive).
    pub to: String,
    /// Recorded at or after (`datetime-local`, China Standard Time).
    pub since: String,
    /// Recorded before (`datetime-local`, China Standard Time).
    pub until: String,
}

/// A filter that cannot be asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterError {
    /// `from`/`to` is not a positive position.
    Position,
    /// `since`/`until` is not a date and time.
    Time,
    /// The stream is not `<category>-<uuid>` of a known category.
    Stream,
}

fn position(text: &str) -> Result<Option<u64>, FilterError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u64>() {
        Ok(p) if p > 0 => Ok(Some(p)),
        _ => Err(FilterError::Position),
    }
}

fn time(text: &str) -> Result<Option<DateTime<FixedOffset>>, FilterError> {
    match moment(text) {
        Ok(None) => Ok(None),
        Ok(Some(m)) if !m.bytes().all(|b| b.is_ascii_digit()) => DateTime::parse_from_rfc3339(&m)
            .map(Some)
            .map_err(|_| FilterError::Time),
        _ => Err(FilterError::Time),
    }
}

impl EventFilter {
    /// The request that answers the filter as of `bound`, reading from `cursor` (the page's first
    /// position; `None` for the first page): `/api/events?…` or, for one stream,
    /// `/api/<collection>/<id>/history?as_of=…` (its whole history; the other filters are then
    /// applied by [`EventFilter::matches`]).
    pub fn path(
        &self,
        bound: &Bound,
        cursor: Option<u64>,
        limit: u32,
    ) -> Result<String, FilterError> {
        let from = position(&self.from)?;
        position(&self.to)?;
        let since = time(&self.since)?;
        let mut until = time(&self.until)?;
        if !self.stream.trim().is_empty() {
            let (collection, id) = stream_link(self.stream.trim()).ok_or(FilterError::Stream)?;
            let as_of = match bound {
                Bound::Now => String::new(),
                Bound::Position(p) => p.to_string(),
                Bound::Time(t) => t.clone(),
            };
            let q = query(&[("as_of", as_of)]);
            let join = if q.is_empty() { "" } else { "?" };
            return Ok(format!("/api/{collection}/{id}/history{join}{q}"));
        }
        if let Bound::Time(t) = bound {
            let limit = DateTime::parse_from_rfc3339(t).map_err(|_| FilterError::Time)?;
            // `until` is exclusive; the as-of moment includes events recorded at it.
            let limit = limit + chrono::Duration::microseconds(1);
            until = Some(until.map_or(limit, |u| u.min(limit)));
        }
        let start = cursor.or(from).unwrap_or(1);
        let rfc = |t: Option<DateTime<FixedOffset>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
        Ok(format!(
            "/api/events?{}",
            query(&[
                ("from", start.to_string()),
                ("type", self.types.replace(' ', "")),
                ("category", self.category.clone()),
                ("actor", self.actor.clone()),
                ("since", rfc(since)),
                ("until", rfc(until)),
                ("limit", limit.to_string()),
            ])
        ))
    }

    /// The last position the browser shows: the smaller of `to` and a position `bound`.
    pub fn last(&self, bound: &Bound) -> Option<u64> {
        let to = position(&self.to).ok().flatten();
        match (to, bound) {
            (Some(to), Bound::Position(p)) => Some(to.min(*p)),
            (None, Bound::Position(p)) => Some(*p),
            (to, _) => to,
        }
    }

    /// Whether an event (as `/api/events` or a history returns it) passes every filter and the
    /// bound — the server applies most of them already; this applies them to a stream's history
    /// and cuts the page at `to` and the as-of position.
    pub fn matches(&self, event: &Value, bound: &Bound) -> bool {
        let pos = event["position"].as_u64().unwrap_or(0);
        if position(&self.from).ok().flatten().is_some_and(|f| pos < f) {
            return false;
        }
        if self.last(bound).is_some_and(|l| pos > l) {
            return false;
        }
        let types: Vec<&str> = self
            .types
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        let event_type = event["event_type"].as_str().unwrap_or_default();
        if !types.is_empty() && !types.contains(&event_type) {
            return false;
        }
        let stream = event["stream"].as_str().unwrap_or_default();
        let category = self.category.trim();
        if !category.is_empty() && !stream.starts_with(&format!("{category}-")) {
            return false;
        }
        let actor = self.actor.trim();
        if !actor.is_empty() && event["metadata"]["actor_id"].as_str() != Some(actor) {
            return false;
        }
        let recorded = event["recorded_at"]
            .as_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok());
        if let (Ok(Some(since)), Some(at)) = (time(&self.since), recorded)
            && at < since
        {
            return false;
        }
        if let (Ok(Some(until)), Some(at)) = (time(&self.until), recorded)
            && at >= until
        {
            return false;
        }
        if let (Bound::Time(t), Some(at)) = (bound, recorded)
            && DateTime::parse_from_rfc3339(t).is_ok_and(|limit| at > limit)
        {
            return false;
        }
        true
    }
}

/// The collection and id of a stream (`enterprise-<uuid>` → `("enterprises", "<uuid>")`), for the
/// stream categories that have pages or history (`None` otherwise).
pub fn stream_link(stream: &str) -> Option<(&'static str, String)> {
    let cut = stream.len().checked_sub(37)?;
    let (category, rest) = stream.split_at(cut);
    let id = rest.strip_prefix('-')?;
    let uuid_like = id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| {
            matches!(i, 8 | 13 | 18 | 23) == (b == b'-') && (b == b'-' || b.is_ascii_hexdigit())
        });
    if !uuid_like {
        return None;
    }
    super::labels::CATEGORIES
        .iter()
        .find(|(c, _, _)| *c == category)
        .map(|(_, collection, _)| (*collection, id.to_owned()))
}

/// What the diff compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffTarget {
    /// One aggregate (`enterprise-<uuid>`).
    Stream(String),
    /// A report (`balance` or `targets`) with its filters (`granularity`, `region`, `year`).
    Report {
        /// `balance` or `targets`.
        report: String,
        /// `quarter`, `month` or `year` (balance only).
        granularity: String,
        /// A region code.
        region: String,
        /// A year.
        year: String,
    },
}

/// A diff that cannot be asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffError {
    /// No `from` moment.
    MissingFrom,
    /// A moment is neither a position nor a date and time.
    BadMoment,
    /// The stream is not `<category>-<uuid>`.
    BadStream,
}

/// `GET /api/audit/diff?…` for `target` between `from` and `to` (blank `to`: now).
pub fn diff_path(target: &DiffTarget, from: &str, to: &str) -> Result<String, DiffError> {
    let from = moment(from)
        .map_err(|()| DiffError::BadMoment)?
        .ok_or(DiffError::MissingFrom)?;
    let to = moment(to)
        .map_err(|()| DiffError::BadMoment)?
        .unwrap_or_default();
    let q = match target {
        DiffTarget::Stream(stream) => {
            let stream = stream.trim();
            stream_link(stream).ok_or(DiffError::BadStream)?;
            query(&[("stream", stream.to_owned()), ("from", from), ("to", to)])
        }
        DiffTarget::Report {
            report,
            granularity,
            region,
            year,
        } => {
            let granularity = if report == "balance" {
                granularity.clone()
            } else {
                String::new()
            };
            query(&[
                ("report", report.clone()),
                ("from", from),
                ("to", to),
                ("granularity", granularity),
                ("region", region.clone()),
                ("year", year.clone()),
            ])
        }
    };
    Ok(format!("/api/audit/diff?{q}"))
}

/// `GET /api/audit/flags?…`: rule ids (comma-separated), region, raising-position range, the
/// as-of moment, paging; `csv` asks every matching flag as CSV.
pub fn flags_path(
    rules: &str,
    region: &str,
    as_of: Option<&str>,
    offset: u64,
    limit: u64,
    csv: bool,
) -> String {
    let (offset, limit) = if csv {
        (String::new(), String::new())
    } else {
        (offset.to_string(), limit.to_string())
    };
    format!(
        "/api/audit/flags?{}",
        query(&[
            ("rule", rules.replace(' ', "")),
            ("region", region.to_owned()),
            ("as_of", as_of.unwrap_or_default().to_owned()),
            ("limit", limit),
            ("offset", offset),
            ("format", if csv { "csv".into() } else { String::new() }),
        ])
    )
}

/// `GET /api/audit/export?from=&to=` (an evidence bundle); positions, blank for the whole log.
pub fn export_path(from: &str, to: &str) -> Result<String, FilterError> {
    let from = position(from)?;
    let to = position(to)?;
    let text = |p: Option<u64>| p.map(|p| p.to_string()).unwrap_or_default();
    let q = query(&[("from", text(from)), ("to", text(to))]);
    Ok(if q.is_empty() {
        "/api/audit/export".to_owned()
    } else {
        format!("/api/audit/export?{q}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const E: &str = "enterprise-dea00000-0001-8000-8000-000000000001";

    #[test]
    fn moments_are_positions_or_china_times() {
        assert_eq!(moment(" 42 "), Ok(Some("42".into())));
        assert_eq!(moment("0"), Err(()));
        assert_eq!(moment(""), Ok(None));
        assert_eq!(
            moment("2026-03-01T08:00"),
            Ok(Some("2026-03-01T08:00:00+08:00".into()))
        );
        assert_eq!(
            moment("2026-03-01T08:00:00Z"),
            Ok(Some("2026-03-01T08:00:00Z".into()))
        );
        assert_eq!(moment("yesterday"), Err(()));
    }

    #[test]
    fn event_filters_become_the_log_query() {
        let filter = EventFilter {
            types: "LedgerRecorded, LedgerCorrected".into(),
            category: "enterprise".into(),
            actor: "guiyang".into(),
            from: "10".into(),
            since: "2026-01-01T00:00".into(),
            ..EventFilter::default()
        };
        assert_eq!(
            filter.path(&Bound::Now, None, 50),
            Ok("/api/events?from=10&type=LedgerRecorded%2CLedgerCorrected&category=enterprise&actor=guiyang&since=2026-01-01T00%3A00%3A00%2B08%3A00&limit=50".into())
        );
        // The next page reads from the cursor.
        assert!(
            filter
                .path(&Bound::Now, Some(77), 50)
                .is_ok_and(|p| p.starts_with("/api/events?from=77&"))
        );
        // An as-of time bounds `until` (exclusive, so one microsecond later).
        let bounded = EventFilter::default()
            .path(&Bound::Time("2026-07-01T00:00:00+08:00".into()), None, 20)
            .unwrap_or_default();
        assert!(
            bounded.contains("until=2026-07-01T00%3A00%3A00.000001%2B08%3A00"),
            "{bounded}"
        );
        assert_eq!(
            EventFilter {
                from: "x".into(),
                ..EventFilter::default()
            }
            .path(&Bound::Now, None, 5),
            Err(FilterError::Position)
        );
        assert_eq!(
            EventFilter {
                until: "soon".into(),
                ..EventFilter::default()
            }
            .path(&Bound::Now, None, 5),
            Err(FilterError::Time)
        );
    }

    #[test]
    fn one_stream_reads_its_history_as_of_the_moment() {
        let filter = EventFilter {
            stream: E.into(),
            ..EventFilter::default()
        };
        assert_eq!(
            filter.path(&Bound::Position(120), None, 50),
            Ok("/api/enterprises/dea00000-0001-8000-8000-000000000001/history?as_of=120".into())
        );
        assert_eq!(
            EventFilter {
                stream: "ledger-1".into(),
                ..EventFilter::default()
            }
            .path(&Bound::Now, None, 5),
            Err(FilterError::Stream)
        );
    }

    #[test]
    fn events_are_cut_at_to_and_the_as_of_position() {
        let event = |position: u64, event_type: &str, actor: &str| {
            json!({"position": position, "event_type": event_type, "stream": E,
                   "recorded_at": "2026-05-01T00:00:00Z", "metadata": {"actor_id": actor}})
        };
        let filter = EventFilter {
            to: "100".into(),
            types: "LedgerRecorded".into(),
            ..EventFilter::default()
        };
        assert!(filter.matches(&event(99, "LedgerRecorded", "a"), &Bound::Now));
        assert!(!filter.matches(&event(101, "LedgerRecorded", "a"), &Bound::Now));
        assert!(!filter.matches(&event(50, "LedgerRecorded", "a"), &Bound::Position(40)));
        assert!(!filter.matches(&event(30, "LedgerCorrected", "a"), &Bound::Now));
        assert_eq!(filter.last(&Bound::Position(40)), Some(40));
        let by_actor = EventFilter {
            actor: "zunyi".into(),
            category: "project".into(),
            ..EventFilter::default()
        };
        assert!(
            !by_actor.matches(&event(1, "X", "zunyi"), &Bound::Now),
            "not a project"
        );
        let before = Bound::Time("2026-04-30T00:00:00+08:00".into());
        assert!(!EventFilter::default().matches(&event(1, "X", "a"), &before));
        assert_eq!(Bound::from_param(Some("12")), Bound::Position(12));
        assert_eq!(Bound::from_param(None), Bound::Now);
    }

    #[test]
    fn streams_link_to_their_pages() {
        assert_eq!(
            stream_link(E),
            Some(("enterprises", "dea00000-0001-8000-8000-000000000001".into()))
        );
        assert_eq!(
            stream_link("regional_plan-dea00000-0004-8000-8000-002025520100").map(|s| s.0),
            Some("regional-plans")
        );
        assert_eq!(
            stream_link("widget-dea00000-0004-8000-8000-002025520100"),
            None
        );
        assert_eq!(stream_link("enterprise-nope"), None);
        assert_eq!(stream_link(""), None);
    }

    #[test]
    fn diffs_flags_and_exports_are_asked_with_their_filters() {
        assert_eq!(
            diff_path(&DiffTarget::Stream(E.into()), "100", "200"),
            Ok(format!("/api/audit/diff?stream={E}&from=100&to=200"))
        );
        assert_eq!(
            diff_path(&DiffTarget::Stream(E.into()), "", "200"),
            Err(DiffError::MissingFrom)
        );
        assert_eq!(
            diff_path(&DiffTarget::Stream("x".into()), "1", ""),
            Err(DiffError::BadStream)
        );
        assert_eq!(
            diff_path(&DiffTarget::Stream(E.into()), "1", "later"),
            Err(DiffError::BadMoment)
        );
        let report = DiffTarget::Report {
            report: "targets".into(),
            granularity: "year".into(),
            region: "520100".into(),
            year: String::new(),
        };
        assert_eq!(
            diff_path(&report, "2026-01-01T00:00", ""),
            Ok("/api/audit/diff?report=targets&from=2026-01-01T00%3A00%3A00%2B08%3A00&region=520100".into())
        );
        assert_eq!(
            flags_path("backdated, funding", "520100", Some("300"), 20, 20, false),
            "/api/audit/flags?rule=backdated%2Cfunding&region=520100&as_of=300&limit=20&offset=20"
        );
        assert_eq!(
            flags_path("", "", None, 40, 20, true),
            "/api/audit/flags?format=csv"
        );
        assert_eq!(export_path("", ""), Ok("/api/audit/export".into()));
        assert_eq!(
            export_path("1", "50"),
            Ok("/api/audit/export?from=1&to=50".into())
        );
        assert_eq!(export_path("a", ""), Err(FilterError::Position));
    }
}
