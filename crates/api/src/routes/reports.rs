//! The reports under `/api/reports/…` (computed by `redmud_reports` from read-model rows; see
//! docs/reports.md). Every report takes `as_of` (a log position or an RFC 3339 time: the report
//! exactly as the system would have produced it then) and answers JSON, or CSV with
//! `?format=csv` or `Accept: text/csv`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use redmud_domain::{Granularity, Period, RateFormula, Region};
use redmud_reports::balance::{balance_csv, balance_report};
use redmud_reports::targets::{targets_csv, targets_report};
use redmud_reports::{BalanceParams, GroupBy, ReportError, TargetsParams, csv, load};
use serde::{Deserialize, Serialize};

use super::{parse_as_of, query, resolve_as_of};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use redmud_store::AsOf;

/// Registers the report routes (under `/api`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports/balance", web::get().to(balance))
        .route("/reports/targets", web::get().to(targets));
}

impl From<ReportError> for ApiError {
    fn from(error: ReportError) -> Self {
        match error {
            ReportError::Store(store) => store.into(),
            other => ApiError::internal(other),
        }
    }
}

/// JSON or CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `application/json` (the default).
    Json,
    /// `text/csv` (RFC 4180, UTF-8 with BOM).
    Csv,
}

/// `?format=` first, then `Accept: text/csv`, then JSON.
fn format_of(request: &HttpRequest, asked: Option<Format>) -> Format {
    asked.unwrap_or_else(|| {
        let wants_csv = request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/csv"));
        if wants_csv { Format::Csv } else { Format::Json }
    })
}

fn csv_response(name: &str, header: &[String], records: &[Vec<String>]) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.csv\""),
        ))
        .body(csv::document(header, records))
}

fn parse_region(text: Option<&str>) -> ApiResult<Option<Region>> {
    text.map(|t| {
        t.parse::<Region>()
            .map_err(|e| ApiError::bad_request("bad_region", e.to_string()))
    })
    .transpose()
}

fn parse_period(name: &str, text: Option<&str>) -> ApiResult<Option<Period>> {
    text.map(|t| {
        t.parse::<Period>()
            .map_err(|e| ApiError::bad_request("bad_period", format!("{name}: {e}")))
    })
    .transpose()
}

/// The window of `year`, `from` and `to` (a year is both ends; it cannot be combined).
fn window(
    year: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> ApiResult<(Option<Period>, Option<Period>)> {
    let (from, to) = (parse_period("from", from)?, parse_period("to", to)?);
    match year {
        None => Ok((from, to)),
        Some(_) if from.is_some() || to.is_some() => Err(ApiError::bad_request(
            "bad_query",
            "give either year or from/to, not both",
        )),
        Some(y) => {
            let year = parse_period("year", Some(y))?;
            if year.is_some_and(|p| p.granularity() != Granularity::Year) {
                return Err(ApiError::bad_request("bad_period", "year: e.g. 2026"));
            }
            Ok((year, year))
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum GranularityParam {
    Month,
    Quarter,
    Year,
}

impl From<GranularityParam> for Granularity {
    fn from(g: GranularityParam) -> Self {
        match g {
            GranularityParam::Month => Granularity::Month,
            GranularityParam::Quarter => Granularity::Quarter,
            GranularityParam::Year => Granularity::Year,
        }
    }
}

/// The query of `GET /api/reports/balance`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BalanceQuery {
    as_of: Option<String>,
    format: Option<Format>,
    region: Option<String>,
    granularity: Option<GranularityParam>,
    by: Option<GroupBy>,
    year: Option<String>,
    from: Option<String>,
    to: Option<String>,
    formula: Option<RateFormula>,
}

/// A report with the moment it answers for.
#[derive(Debug, Serialize)]
struct Envelope<T: Serialize> {
    /// The log position asked for (`null`: now).
    as_of: Option<u64>,
    #[serde(flatten)]
    report: T,
}

/// `GET /api/reports/balance`: report 1, the red mud balance.
async fn balance(
    app: web::Data<AppState>,
    _actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    let q: BalanceQuery = query(&request)?;
    let at = resolve_as_of(&app, q.as_of.as_deref()).await?;
    let region = parse_region(q.region.as_deref())?;
    let (from, to) = window(q.year.as_deref(), q.from.as_deref(), q.to.as_deref())?;
    let params = BalanceParams {
        granularity: q.granularity.map_or(Granularity::Quarter, Into::into),
        group_by: q.by.unwrap_or_default(),
        region,
        from,
        to,
        formula: q.formula.unwrap_or(app.config.rate_formula),
    };
    let ledgers = load::ledger_rows(&app.store, at, region).await?;
    let baselines = load::stock_baselines(&app.store, at, region).await?;
    let report = balance_report(&params, &ledgers, &baselines)?;
    match format_of(&request, q.format) {
        Format::Csv => {
            let (header, records) = balance_csv(&report);
            Ok(csv_response("balance", &header, &records))
        }
        Format::Json => Ok(HttpResponse::Ok().json(Envelope { as_of: at, report })),
    }
}

/// The query of `GET /api/reports/targets`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetsQuery {
    as_of: Option<String>,
    format: Option<Format>,
    region: Option<String>,
    year: Option<u16>,
    on: Option<chrono::NaiveDate>,
}

/// `GET /api/reports/targets`: report 2, annual targets against actuals and the goal line.
async fn targets(
    app: web::Data<AppState>,
    _actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    let q: TargetsQuery = query(&request)?;
    let at = resolve_as_of(&app, q.as_of.as_deref()).await?;
    let region = parse_region(q.region.as_deref())?;
    // "To date" is the day asked, else the as_of time's day, else today (UTC).
    let as_of_day = match q.as_of.as_deref().map(parse_as_of).transpose()? {
        Some(AsOf::Time(time)) => Some(time.date_naive()),
        _ => None,
    };
    let on =
        q.on.or(as_of_day)
            .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let params = TargetsParams {
        year: q.year,
        region,
        on,
    };
    let plans = load::plan_rows(&app.store, at, region).await?;
    // Actuals need every region's ledgers for the province goal line.
    let ledgers = load::ledger_rows(&app.store, at, None).await?;
    let report = targets_report(&params, &plans, &ledgers)?;
    match format_of(&request, q.format) {
        Format::Csv => {
            let (header, records) = targets_csv(&report);
            Ok(csv_response("targets", &header, &records))
        }
        Format::Json => Ok(HttpResponse::Ok().json(Envelope { as_of: at, report })),
    }
}
