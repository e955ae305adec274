//! `/api/audit/flags` (rules over the event history) and `/api/audit/diff` (what changed between
//! two moments, for an aggregate or a report). `docs/audit.md` states the rules and the diff.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use redmud_domain::account::Account;
use redmud_domain::{
    Aggregate, Base, Enterprise, Granularity, Period, Project, RateFormula, Region, RegionalPlan,
};
use redmud_reports::balance::balance_report;
use redmud_reports::targets::targets_report;
use redmud_reports::{BalanceParams, GroupBy, TargetsParams, csv, load};
use redmud_store::{AsOf, Filter, Position, RecordedEvent, StreamId};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::audit::READERS;
use super::{parse_as_of, query};
use crate::aggregates::{self, Resource};
use crate::audit::flags::{Flag, FlagScanner, FlagSettings, Rule};
use crate::auth::{Actor, role_name};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Registers the routes (under `/api`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/audit/flags", web::get().to(flags))
        .route("/audit/diff", web::get().to(diff));
}

fn allow(actor: &Actor, what: &str) -> ApiResult<()> {
    if READERS.contains(&actor.role) {
        return Ok(());
    }
    Err(ApiError::forbidden(
        "role_not_allowed",
        format!(
            "{} may not {what}: allowed for {}",
            role_name(actor.role),
            READERS
                .iter()
                .map(|r| role_name(*r))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

/// A moment given as a log position or an RFC 3339 time.
#[derive(Clone, Copy, Debug)]
enum Moment {
    Position(Position),
    Time(Position),
}

async fn moment(app: &AppState, name: &str, text: &str) -> ApiResult<Moment> {
    let parsed = parse_as_of(text).map_err(|_| {
        ApiError::bad_request(
            "bad_moment",
            format!("{name} must be a log position or an RFC 3339 time, not {text:?}"),
        )
    })?;
    Ok(match parsed {
        AsOf::Position(position) => Moment::Position(position),
        time @ AsOf::Time(_) => Moment::Time(app.store.resolve(time).await?),
    })
}

/// Reads the log from position 1 up to `at` (inclusive), feeding every event to `each`.
async fn scan_log(
    app: &AppState,
    at: Position,
    mut each: impl FnMut(&RecordedEvent),
) -> ApiResult<()> {
    const PAGE: u32 = 5_000;
    let mut next = 1;
    while next <= at {
        let page = app.store.read_all(next, &Filter::all(), PAGE).await?;
        for event in page.iter().take_while(|e| e.position <= at) {
            each(event);
        }
        match page.last() {
            Some(last) if page.len() == PAGE as usize => next = last.position + 1,
            _ => break,
        }
    }
    Ok(())
}

// ----- flags ------------------------------------------------------------------------------------

/// JSON or CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Format {
    Json,
    Csv,
}

fn wants_csv(request: &HttpRequest, asked: Option<Format>) -> bool {
    match asked {
        Some(format) => format == Format::Csv,
        None => request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/csv")),
    }
}

/// The query of `GET /api/audit/flags`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FlagsQuery {
    /// Only these rules (comma-separated ids).
    rule: Option<String>,
    /// Only flags of this region or a region within it.
    region: Option<String>,
    /// Only flags raised at or after this position (or by events recorded after this time).
    from: Option<String>,
    /// Only flags raised at or before this position (or time).
    to: Option<String>,
    /// The history as it stood then.
    as_of: Option<String>,
    limit: Option<u32>,
    offset: Option<u64>,
    format: Option<Format>,
}

fn parse_rules(text: &str) -> ApiResult<Vec<Rule>> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|id| {
            Rule::ALL
                .into_iter()
                .find(|rule| rule.id() == id.trim())
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "bad_rule",
                        format!(
                            "unknown rule {id:?}; rules: {}",
                            Rule::ALL.map(Rule::id).join(", ")
                        ),
                    )
                })
        })
        .collect()
}

/// `GET /api/audit/flags`: the flags the rules raise over the history up to `as_of`.
pub async fn flags(
    app: web::Data<AppState>,
    actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    allow(&actor, "read audit flags")?;
    let q: FlagsQuery = query(&request)?;
    let rules = q.rule.as_deref().map(parse_rules).transpose()?;
    let region = q
        .region
        .as_deref()
        .map(|t| {
            t.parse::<Region>()
                .map_err(|e| ApiError::bad_request("bad_region", e.to_string()))
        })
        .transpose()?;
    let head = app.store.head().await?.position;
    let at = match q.as_of.as_deref() {
        Some(text) => app.store.resolve(parse_as_of(text)?).await?.min(head),
        None => head,
    };
    let from = match q.from.as_deref() {
        None => 1,
        Some(text) => match moment(&app, "from", text).await? {
            Moment::Position(p) => p,
            Moment::Time(p) => p + 1,
        },
    };
    let to = match q.to.as_deref() {
        None => Position::MAX,
        Some(text) => match moment(&app, "to", text).await? {
            Moment::Position(p) | Moment::Time(p) => p,
        },
    };
    let limit = q.limit.unwrap_or(100).clamp(1, 1_000);
    let offset = q.offset.unwrap_or(0);

    let settings = FlagSettings {
        backdate_days: app.config.audit_backdate_days,
    };
    let mut scanner = FlagScanner::new(settings);
    let mut found: Vec<Flag> = Vec::new();
    scan_log(&app, at, |event| {
        found.extend(scanner.feed(event).into_iter().filter(|flag| {
            (from..=to).contains(&flag.position)
                && rules
                    .as_ref()
                    .is_none_or(|rules| rules.contains(&flag.rule))
                && region
                    .is_none_or(|want| flag.region.is_some_and(|r| r == want || want.contains(r)))
        }))
    })
    .await?;
    let total = found.len() as u64;

    if wants_csv(&request, q.format) {
        let header: Vec<String> = [
            "position",
            "recorded_at",
            "rule",
            "code",
            "severity",
            "region",
            "stream",
            "summary_zh",
            "summary_en",
            "event_positions",
        ]
        .map(str::to_owned)
        .to_vec();
        let records: Vec<Vec<String>> = found
            .iter()
            .map(|f| {
                vec![
                    f.position.to_string(),
                    f.recorded_at.to_rfc3339(),
                    f.rule.id().to_owned(),
                    f.code.to_owned(),
                    f.severity.id().to_owned(),
                    f.region.map(|r| r.to_string()).unwrap_or_default(),
                    f.stream.clone(),
                    f.summary_zh.clone(),
                    f.summary_en.clone(),
                    f.events
                        .iter()
                        .map(|e| e.position.to_string())
                        .collect::<Vec<_>>()
                        .join(" "),
                ]
            })
            .collect();
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit-flags.csv\"",
            ))
            .body(csv::document(&header, &records)));
    }
    let page: Vec<&Flag> = found
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(limit as usize)
        .collect();
    Ok(HttpResponse::Ok().json(json!({
        "as_of": at,
        "settings": { "backdate_days": settings.backdate_days },
        "rules": Rule::ALL.map(|r| json!({ "id": r.id(), "description": r.description() })),
        "total": total,
        "limit": limit,
        "offset": offset,
        "flags": page,
    })))
}

// ----- diff -------------------------------------------------------------------------------------

/// One changed value: a JSON Pointer (RFC 6901) into the document, before and after (`null`
/// when absent on that side).
pub fn json_diff(before: &Value, after: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    diff_into(before, after, &mut String::new(), &mut out);
    out
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn diff_into(before: &Value, after: &Value, path: &mut String, out: &mut Vec<Value>) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let len = path.len();
                path.push('/');
                path.push_str(&escape(key));
                diff_into(
                    b.get(key).unwrap_or(&Value::Null),
                    a.get(key).unwrap_or(&Value::Null),
                    path,
                    out,
                );
                path.truncate(len);
            }
        }
        (Value::Array(b), Value::Array(a)) => {
            for i in 0..b.len().max(a.len()) {
                let len = path.len();
                path.push('/');
                path.push_str(&i.to_string());
                diff_into(
                    b.get(i).unwrap_or(&Value::Null),
                    a.get(i).unwrap_or(&Value::Null),
                    path,
                    out,
                );
                path.truncate(len);
            }
        }
        (b, a) if b == a => {}
        (b, a) => out.push(json!({ "path": path.clone(), "before": b, "after": a })),
    }
}

/// The query of `GET /api/audit/diff`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffQuery {
    stream: Option<String>,
    report: Option<String>,
    from: String,
    to: Option<String>,
    // The reports' own filters.
    region: Option<String>,
    granularity: Option<String>,
    by: Option<GroupBy>,
    year: Option<u16>,
    period_from: Option<String>,
    period_to: Option<String>,
    formula: Option<RateFormula>,
    on: Option<chrono::NaiveDate>,
}

/// `GET /api/audit/diff`: an aggregate's (`stream=`) or a report's (`report=`) state at two
/// moments, compared field by field.
pub async fn diff(
    app: web::Data<AppState>,
    actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    allow(&actor, "diff")?;
    let q: DiffQuery = query(&request)?;
    let head = app.store.head().await?.position;
    let from = match moment(&app, "from", &q.from).await? {
        Moment::Position(p) | Moment::Time(p) => p.min(head),
    };
    let to = match q.to.as_deref() {
        None => head,
        Some(text) => match moment(&app, "to", text).await? {
            Moment::Position(p) | Moment::Time(p) => p.min(head),
        },
    };
    if to < from {
        return Err(ApiError::bad_request(
            "bad_range",
            format!("to ({to}) must not be before from ({from})"),
        ));
    }
    match (q.stream.as_deref(), q.report.as_deref()) {
        (Some(stream), None) => stream_diff(&app, stream, from, to).await,
        (None, Some(report)) => report_diff(&app, report, &q, from, to).await,
        _ => Err(ApiError::bad_request(
            "bad_query",
            "give exactly one of stream and report",
        )),
    }
}

async fn state_at<A: Resource>(
    app: &AppState,
    id: uuid::Uuid,
    at: Position,
) -> ApiResult<(u64, Value)>
where
    A::Command: DeserializeOwned + serde::Serialize,
    A::Error: serde::Serialize,
{
    let (version, state) = aggregates::load::<A>(app, id, Some(at)).await?;
    if version == 0 {
        return Ok((0, Value::Null));
    }
    Ok((
        version,
        serde_json::to_value(&state).map_err(ApiError::internal)?,
    ))
}

async fn states(
    app: &AppState,
    category: &str,
    id: uuid::Uuid,
    at: Position,
) -> ApiResult<(u64, Value)> {
    match category {
        c if c == Enterprise::CATEGORY => state_at::<Enterprise>(app, id, at).await,
        c if c == Project::CATEGORY => state_at::<Project>(app, id, at).await,
        c if c == Base::CATEGORY => state_at::<Base>(app, id, at).await,
        c if c == RegionalPlan::CATEGORY => state_at::<RegionalPlan>(app, id, at).await,
        c if c == Account::CATEGORY => state_at::<Account>(app, id, at).await,
        other => Err(ApiError::bad_request(
            "bad_stream",
            format!("no aggregate of category {other:?}"),
        )),
    }
}

async fn stream_diff(
    app: &AppState,
    stream: &str,
    from: Position,
    to: Position,
) -> ApiResult<HttpResponse> {
    let bad = || {
        ApiError::bad_request(
            "bad_stream",
            format!("stream must be <category>-<uuid>, e.g. enterprise-…, not {stream:?}"),
        )
    };
    let stream_id = StreamId::new(stream).map_err(|_| bad())?;
    let id = uuid::Uuid::parse_str(stream_id.id()).map_err(|_| bad())?;
    let category = stream_id.category().to_owned();
    let (version_before, before) = states(app, &category, id, from).await?;
    let (version_after, after) = states(app, &category, id, to).await?;
    if version_after == 0 {
        return Err(ApiError::not_found(format!("stream {stream} as of {to}")));
    }
    let events: Vec<Value> = app
        .store
        .read_stream_as_of(&stream_id, AsOf::Position(to))
        .await?
        .into_iter()
        .filter(|e| e.position > from)
        .map(|e| {
            json!({
                "position": e.position,
                "version": e.version,
                "type": e.event_type,
                "actor": e.metadata.actor_id,
                "actor_role": e.metadata.actor_role,
                "recorded_at": e.recorded_at,
                "effective": e.effective.as_ref().map(|x| x.as_str().to_owned()),
                "reason": e.metadata.reason,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({
        "stream": stream,
        "from": { "position": from, "version": version_before },
        "to": { "position": to, "version": version_after },
        "changes": json_diff(&before, &after),
        "events": events,
        "before": before,
        "after": after,
    })))
}

fn parse_period(name: &str, text: Option<&str>) -> ApiResult<Option<Period>> {
    text.map(|t| {
        t.parse::<Period>()
            .map_err(|e| ApiError::bad_request("bad_period", format!("{name}: {e}")))
    })
    .transpose()
}

async fn report_at(app: &AppState, report: &str, q: &DiffQuery, at: Position) -> ApiResult<Value> {
    let region = q
        .region
        .as_deref()
        .map(|t| {
            t.parse::<Region>()
                .map_err(|e| ApiError::bad_request("bad_region", e.to_string()))
        })
        .transpose()?;
    let value = match report {
        "balance" => {
            let granularity = match q.granularity.as_deref() {
                None | Some("quarter") => Granularity::Quarter,
                Some("month") => Granularity::Month,
                Some("year") => Granularity::Year,
                Some(other) => {
                    return Err(ApiError::bad_request(
                        "bad_query",
                        format!("granularity: month, quarter or year, not {other:?}"),
                    ));
                }
            };
            let (mut from, mut to) = (
                parse_period("period_from", q.period_from.as_deref())?,
                parse_period("period_to", q.period_to.as_deref())?,
            );
            if let Some(year) = q.year {
                let year = parse_period("year", Some(&year.to_string()))?;
                (from, to) = (year, year);
            }
            let params = BalanceParams {
                granularity,
                group_by: q.by.unwrap_or_default(),
                region,
                from,
                to,
                formula: q.formula.unwrap_or(app.config.rate_formula),
            };
            let ledgers = load::ledger_rows(&app.store, Some(at), region).await?;
            let baselines = load::stock_baselines(&app.store, Some(at), region).await?;
            serde_json::to_value(balance_report(&params, &ledgers, &baselines)?)
        }
        "targets" => {
            let on = q.on.unwrap_or_else(|| chrono::Utc::now().date_naive());
            let params = TargetsParams {
                year: q.year,
                region,
                on,
            };
            let plans = load::plan_rows(&app.store, Some(at), region).await?;
            let ledgers = load::ledger_rows(&app.store, Some(at), None).await?;
            let projects = load::projects(&app.store, Some(at), region).await?;
            serde_json::to_value(targets_report(&params, &plans, &ledgers, &projects)?)
        }
        other => {
            return Err(ApiError::bad_request(
                "bad_report",
                format!("report must be balance or targets, not {other:?}"),
            ));
        }
    };
    value.map_err(ApiError::internal)
}

/// The identity of a report row: its period, region, enterprise and year, where present.
fn row_key(row: &Value) -> String {
    ["period", "region", "enterprise_id", "year"]
        .iter()
        .filter_map(|k| {
            row.get(*k)
                .filter(|v| !v.is_null())
                .map(|v| format!("{k}={}", plain(v)))
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Rows of every array of the report compared by key; other fields compared as values.
pub fn report_changes(before: &Value, after: &Value) -> (Vec<Value>, Vec<Value>) {
    let (mut rows, mut fields) = (Vec::new(), Vec::new());
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let (vb, va) = (b.get(key), a.get(key));
        let arrays = (vb.and_then(Value::as_array), va.and_then(Value::as_array));
        if let (Some(rb), Some(ra)) = arrays {
            let mut ids: Vec<String> = rb.iter().chain(ra).map(row_key).collect();
            ids.dedup();
            let mut seen = std::collections::BTreeSet::new();
            for id in ids {
                if !seen.insert(id.clone()) {
                    continue;
                }
                let old = rb.iter().find(|r| row_key(r) == id);
                let new = ra.iter().find(|r| row_key(r) == id);
                let (kind, changes) = match (old, new) {
                    (None, Some(_)) => ("added", Vec::new()),
                    (Some(_), None) => ("removed", Vec::new()),
                    (Some(o), Some(n)) if o != n => ("changed", json_diff(o, n)),
                    _ => continue,
                };
                rows.push(json!({
                    "table": key, "key": id, "change": kind,
                    "before": old, "after": new, "changes": changes,
                }));
            }
        } else {
            let null = Value::Null;
            for mut change in json_diff(vb.unwrap_or(&null), va.unwrap_or(&null)) {
                if let Some(path) = change.get_mut("path") {
                    *path = Value::String(format!("/{}{}", escape(key), plain(path)));
                }
                fields.push(change);
            }
        }
    }
    (rows, fields)
}

async fn report_diff(
    app: &AppState,
    report: &str,
    q: &DiffQuery,
    from: Position,
    to: Position,
) -> ApiResult<HttpResponse> {
    let before = report_at(app, report, q, from).await?;
    let after = report_at(app, report, q, to).await?;
    let (rows, fields) = report_changes(&before, &after);
    Ok(HttpResponse::Ok().json(json!({
        "report": report,
        "from": { "position": from },
        "to": { "position": to },
        "rows": rows,
        "fields": fields,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_diff_lists_changed_added_and_removed_leaves_by_pointer() {
        let before = json!({ "a": 1, "b": { "c": [1, 2], "d/e": "x" }, "gone": true });
        let after = json!({ "a": 1, "b": { "c": [1, 3, 4], "d/e": "y" }, "new": null, "n": 2 });
        let changes = json_diff(&before, &after);
        let paths: Vec<&str> = changes
            .iter()
            .map(|c| c["path"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(paths, vec!["/b/c/1", "/b/c/2", "/b/d~1e", "/gone", "/n"]);
        assert_eq!(changes[0]["before"], 2);
        assert_eq!(changes[0]["after"], 3);
        assert_eq!(changes[3]["after"], Value::Null);
        assert!(json_diff(&before, &before).is_empty());
    }

    #[test]
    fn report_rows_are_matched_by_key() {
        let before = json!({ "formula": "new", "lines": [
            { "period": "2026-Q1", "region": "520100", "x": 1 },
            { "period": "2026-Q2", "region": "520100", "x": 2 } ] });
        let after = json!({ "formula": "statistical", "lines": [
            { "period": "2026-Q2", "region": "520100", "x": 5 },
            { "period": "2026-Q3", "region": "520100", "x": 1 } ] });
        let (rows, fields) = report_changes(&before, &after);
        let kinds: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| {
                (
                    r["key"].as_str().unwrap_or(""),
                    r["change"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("period=2026-Q1,region=520100", "removed"),
                ("period=2026-Q2,region=520100", "changed"),
                ("period=2026-Q3,region=520100", "added"),
            ]
        );
        assert_eq!(rows[1]["changes"][0]["path"], "/x");
        assert_eq!(fields[0]["path"], "/formula");
    }
}
