//! The reports under `/api/reports/…` (computed by `redmud_reports` from read-model rows; see
//! docs/reports.md). Every report takes `as_of` (a log position or an RFC 3339 time: the report
//! exactly as the system would have produced it then) and answers JSON, or CSV with
//! `?format=csv` or `Accept: text/csv`.

use std::sync::Arc;

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Datelike;
use redmud_domain::{Base, Granularity, Period, ProjectStatus, RateFormula, Region, RegionalPlan};
use redmud_reports::balance::{balance_csv, balance_report};
use redmud_reports::bases::{BasesParams, bases_csv, bases_report};
use redmud_reports::csv::Csv;
use redmud_reports::funding::{FundingParams, funding_csv, funding_report};
use redmud_reports::matching::{MatchingParams, matching_csv, matching_report};
use redmud_reports::projects::{ProjectsParams, projects_csv, projects_report};
use redmud_reports::regional::{
    LedgerVersions, RegionalParams, changes_for, enterprise_regions, regional_csv, regional_report,
};
use redmud_reports::targets::{targets_csv, targets_report};
use redmud_reports::tax::{TaxParams, tax_csv, tax_report};
use redmud_reports::{BalanceParams, GroupBy, ReportError, TargetsParams, load};
use serde::{Deserialize, Serialize};

use super::{parse_as_of, query, resolve_as_of};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use redmud_store::AsOf;

/// Registers the report routes (under `/api`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports/balance", web::get().to(balance))
        .route("/reports/targets", web::get().to(targets))
        .route("/reports/projects", web::get().to(projects))
        .route("/reports/funding", web::get().to(funding))
        .route("/reports/tax-incentives", web::get().to(tax_incentives))
        .route("/reports/bases", web::get().to(bases))
        .route("/reports/matching", web::get().to(matching))
        .route("/reports/regional", web::get().to(regional))
        .route("/reports/tasks", web::get().to(tasks))
        .route("/reports/typical-cases", web::get().to(typical_cases));
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

fn csv_response(name: &str, csv: Csv) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.csv\""),
        ))
        .body(csv.into_string())
}

/// The report as JSON (with the position asked) or as CSV (named `name`), as the request asks.
fn reply<T: Serialize>(
    request: &HttpRequest,
    asked: Option<Format>,
    name: &str,
    at: Option<u64>,
    report: T,
    csv: impl FnOnce(&T) -> Csv,
) -> HttpResponse {
    match format_of(request, asked) {
        Format::Csv => csv_response(name, csv(&report)),
        Format::Json => {
            // Serialised straight into one buffer sized from this report's last answer (the big
            // reports are megabytes: no growing and copying on the way).
            let hint = json_size_hint(name, None);
            let mut body = Vec::with_capacity(hint + hint / 8);
            match serde_json::to_writer(&mut body, &Envelope { as_of: at, report }) {
                Ok(()) => {
                    json_size_hint(name, Some(body.len()));
                    HttpResponse::Ok()
                        .content_type(header::ContentType::json())
                        .body(body)
                }
                Err(error) => HttpResponse::from_error(ApiError::internal(error)),
            }
        }
    }
}

/// The size of the last JSON answer of report `name` (0: none yet); `Some(size)` records one.
fn json_size_hint(name: &str, record: Option<usize>) -> usize {
    static SIZES: std::sync::Mutex<BTreeMap<String, usize>> =
        std::sync::Mutex::new(BTreeMap::new());
    let mut sizes = SIZES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match record {
        Some(size) => {
            if let Some(kept) = sizes.get_mut(name) {
                *kept = size;
            } else {
                sizes.insert(name.to_owned(), size);
            }
            size
        }
        None => sizes.get(name).copied().unwrap_or(0),
    }
}

/// The day a report judges "to date" or "overdue" on: the day asked, else the day of an RFC 3339
/// `as_of`, else today (UTC).
fn report_day(on: Option<chrono::NaiveDate>, as_of: Option<&str>) -> ApiResult<chrono::NaiveDate> {
    let as_of_day = match as_of.map(parse_as_of).transpose()? {
        Some(AsOf::Time(time)) => Some(time.date_naive()),
        _ => None,
    };
    Ok(on
        .or(as_of_day)
        .unwrap_or_else(|| chrono::Utc::now().date_naive()))
}

/// A plan enum (`ProjectKind`, `FundingSource`, …) from its code, or a 400 `bad_query`.
fn parse_code<T: std::str::FromStr>(name: &str, text: Option<&str>) -> ApiResult<Option<T>>
where
    T::Err: std::fmt::Display,
{
    text.map(|t| {
        t.parse::<T>()
            .map_err(|e| ApiError::bad_request("bad_query", format!("{name}: {e}")))
    })
    .transpose()
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
    Ok(reply(
        &request,
        q.format,
        "balance",
        at,
        report,
        balance_csv,
    ))
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
    let on = report_day(q.on, q.as_of.as_deref())?;
    let params = TargetsParams {
        year: q.year,
        region,
        on,
    };
    let plans = load::plan_rows(&app.store, at, region).await?;
    // Actuals need every region's ledgers for the province goal line.
    let ledgers = load::ledger_rows(&app.store, at, None).await?;
    let projects = load::projects(&app.store, at, region).await?;
    let report = targets_report(&params, &plans, &ledgers, &projects)?;
    Ok(reply(
        &request,
        q.format,
        "targets",
        at,
        report,
        targets_csv,
    ))
}

/// The query of `GET /api/reports/projects`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectsQuery {
    as_of: Option<String>,
    format: Option<Format>,
    region: Option<String>,
    year: Option<u16>,
    kind: Option<String>,
    task: Option<String>,
    status: Option<ProjectStatus>,
    on: Option<chrono::NaiveDate>,
}

/// `GET /api/reports/projects`: report 3, projects by status, task, kind, route and region;
/// overdue milestones.
async fn projects(
    app: web::Data<AppState>,
    _actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    let q: ProjectsQuery = query(&request)?;
    let at = resolve_as_of(&app, q.as_of.as_deref()).await?;
    let region = parse_region(q.region.as_deref())?;
    let params = ProjectsParams {
        on: report_day(q.on, q.as_of.as_deref())?,
        region,
        year: q.year,
        kind: parse_code("kind", q.kind.as_deref())?,
        task: parse_code("task", q.task.as_deref())?,
        status: q.status,
    };
    let rows = load::projects(&app.store, at, region).await?;
    let report = projects_report(&params, &rows)?;
    Ok(reply(
        &request,
        q.format,
        "projects",
        at,
        report,
        projects_csv,
    ))
}

/// The query of `GET /api/reports/funding`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FundingQuery {
    as_of: Option<String>,
    format: Option<Format>,
    region: Option<String>,
    year: Option<u16>,
    source: Option<String>,
    kind: Option<String>,
}

/// `GET /api/reports/funding`: report 4, funding by source, programme, region, year and project;
/// anomalous disbursements.
async fn funding(
    app: web::Data<AppState>,
    _actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    let q: FundingQuery = query(&request)?;
    let at = resolve_as_of(&app, q.as_of.as_deref()).await?;
    let region = parse_region(q.region.as_deref())?;
    let params = FundingParams {
        region,
        year: q.year,
        source: parse_code("source", q.source.as_deref())?,
        kind: parse_code("kind", q.kind.as_deref())?,
    };
    let rows = load::projects(&app.store, at, region).await?;
    let report = funding_report(&params, &rows)?;
    Ok(reply(
        &request,
        q.format,
        "funding",
        at,
        report,
        funding_csv,
    ))
}

/// The query of `GET /api/reports/tax-incentives`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxQuery {
    as_of: Option<String>,
    format: Option<Format>,
    region: Option<String>,
    year: Option<u16>,
    kind: Option<String>,
}

/// `GET /api/reports/tax-incentives`: report 5, claims by kind, enterprise, region and year.
async fn tax_incentives(
    app: web::Data<AppState>,
    _actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    let q: TaxQuery = query(&request)?;
    let at = resolve_as_of(&app, q.as_of.as_deref()).await?;
    let region = parse_region(q.region.as_deref())?;
    let params = TaxParams {
        region,
        year: q.year,
        kind: parse_code("kind", q.kind.as_deref())?,
    };
    let rows = load::enterprises(&app.store, at, region).await?;
    let report = tax_report(&params, &rows)?;
    Ok(reply(
        &request,
        q.format,
        "tax-incentives",
        at,
        report,
        tax_csv,
    ))
}

/// The query of `GET /api/reports/matching`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchingQuery {
    as_of: Option<String>,
    format: Option<Format>,
    region: Option<String>,
    year: Option<u16>,
}

/// `GET /api/reports/matching`: report 7, 产用挂钩 — refineries' generation against the capacity
/// they own or contracted; alumina projects lacking matching capacity.
async fn matching(
    app: web::Data<AppState>,
    _actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    let q: MatchingQuery = query(&request)?;
    let at = resolve_as_of(&app, q.as_of.as_deref()).await?;
    let region = parse_region(q.region.as_deref())?;
    let enterprises = load::enterprises(&app.store, at, region).await?;
    let ledgers = load::ledger_rows(&app.store, at, region).await?;
    // A refinery's projects may lie outside the region asked: all projects are read.
    let rows = load::projects(&app.store, at, None).await?;
    // Default year: the latest with a recorded ledger in scope, else the current year.
    let year = q.year.unwrap_or_else(|| {
        ledgers
            .iter()
            .map(|l| l.period.calendar_year())
            .max()
            .unwrap_or_else(|| u16::try_from(chrono::Utc::now().year()).unwrap_or(2025))
    });
    let params = MatchingParams { year, region };
    let report = matching_report(&params, &enterprises, &ledgers, &rows)?;
    Ok(reply(
        &request,
        q.format,
        "matching",
        at,
        report,
        matching_csv,
    ))
}

/// The query of `GET /api/reports/bases`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BasesQuery {
    as_of: Option<String>,
    format: Option<Format>,
    region: Option<String>,
    year: Option<u16>,
    kind: Option<String>,
    designation: Option<String>,
}

/// `GET /api/reports/bases`: report 6, bases by kind and level with members and targets
/// against actuals; designations granted and revoked by kind and year.
async fn bases(
    app: web::Data<AppState>,
    _actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    let q: BasesQuery = query(&request)?;
    let at = resolve_as_of(&app, q.as_of.as_deref()).await?;
    let region = parse_region(q.region.as_deref())?;
    let params = BasesParams {
        region,
        year: q.year,
        kind: parse_code("kind", q.kind.as_deref())?,
        designation: parse_code("designation", q.designation.as_deref())?,
    };
    let rows: Vec<Arc<Base>> = load::docs(&app.store, "base", at, region).await?;
    // Members may lie outside the base's region: every ledger is read.
    let ledgers = load::ledger_rows(&app.store, at, None).await?;
    let members: std::collections::BTreeSet<uuid::Uuid> = rows
        .iter()
        .flat_map(|b| b.members().keys().copied())
        .collect();
    let names = load::enterprise_names(&app.store, members, at).await?;
    let designations = load::designations(&app.store, at, region).await?;
    let report = bases_report(&params, &rows, &ledgers, &designations, &names)?;
    Ok(reply(&request, q.format, "bases", at, report, bases_csv))
}

/// The query of `GET /api/reports/regional`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionalQuery {
    as_of: Option<String>,
    format: Option<Format>,
    region: Option<String>,
    year: Option<u16>,
    period: Option<String>,
    submissions: Option<Submissions>,
}

/// Which submissions report 8 shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Submissions {
    /// The latest of each period (the default).
    Latest,
    /// Every submission, the earlier (returned) ones too.
    All,
}

/// `GET /api/reports/regional`: report 8, each submitted regional report's frozen figures
/// against today's, with the ledger events since the submission (by whom).
async fn regional(
    app: web::Data<AppState>,
    _actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    let q: RegionalQuery = query(&request)?;
    let at = resolve_as_of(&app, q.as_of.as_deref()).await?;
    let region = parse_region(q.region.as_deref())?;
    let params = RegionalParams {
        region,
        year: q.year,
        period: parse_period("period", q.period.as_deref())?,
        all_submissions: q.submissions == Some(Submissions::All),
    };
    let submissions = load::submissions(&app.store, at, region).await?;
    let plans: Vec<Arc<RegionalPlan>> = load::docs(&app.store, "regional_plan", at, region).await?;
    let enterprises = load::enterprises(&app.store, at, region).await?;
    let projects = load::projects(&app.store, at, region).await?;
    let versions = load::ledger_versions(&app.store, at, region).await?;
    // The ledger rows written after each submission, then the events that wrote their versions
    // since (by position).
    let shown = redmud_reports::regional::shown_submissions(&params, &submissions, &plans);
    let versions = LedgerVersions::new(&enterprise_regions(&enterprises), &versions);
    let changed: Vec<_> = shown
        .iter()
        .map(|s| (*s, versions.changed_after(s)))
        .collect();
    let names: BTreeMap<uuid::Uuid, &str> = enterprises
        .iter()
        .filter_map(|e| Some((e.id()?, e.name())))
        .collect();
    let rows: Vec<_> = changed.iter().flat_map(|(_, rows)| rows).copied().collect();
    let events = load::ledger_changes(&app.store, at, region, &rows, &names).await?;
    let changes = changed
        .iter()
        .map(|(s, rows)| {
            (
                (s.plan_id, s.period, s.submission),
                changes_for(rows, &events),
            )
        })
        .collect();
    let report = regional_report(
        &params,
        &submissions,
        &plans,
        &enterprises,
        &projects,
        &changes,
    )?;
    Ok(reply(
        &request,
        q.format,
        "regional",
        at,
        report,
        regional_csv,
    ))
}

/// The query of `GET /api/reports/tasks`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TasksQuery {
    as_of: Option<String>,
    format: Option<Format>,
    task: Option<redmud_domain::PlanTask>,
    unit: Option<redmud_domain::ResponsibleUnit>,
    region: Option<String>,
    year: Option<u16>,
    on: Option<chrono::NaiveDate>,
}

/// `GET /api/reports/tasks`: the plan's tasks × responsible units.
async fn tasks(
    app: web::Data<AppState>,
    _actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    let q: TasksQuery = query(&request)?;
    let at = resolve_as_of(&app, q.as_of.as_deref()).await?;
    let region = parse_region(q.region.as_deref())?;
    let params = redmud_reports::TasksParams {
        task: q.task,
        unit: q.unit,
        region,
        year: q.year,
        on: report_day(q.on, q.as_of.as_deref())?,
    };
    let projects = load::projects(&app.store, at, region).await?;
    // Each project's line is rendered once per project state and day, and each list of states
    // ordered once: a report mostly splices text already written.
    let lines = app.task_lines.lines(&projects, params.on)?;
    drop(projects);
    let plans = load::plan_rows(&app.store, at, region).await?;
    let ledgers = load::ledger_rows(&app.store, at, region).await?;
    let report = redmud_reports::tasks_report(&params, &lines, &plans, &ledgers)?;
    Ok(reply(
        &request,
        q.format,
        "tasks",
        at,
        report,
        redmud_reports::tasks::tasks_csv,
    ))
}

/// The query of `GET /api/reports/typical-cases`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TypicalCasesQuery {
    as_of: Option<String>,
    format: Option<Format>,
    region: Option<String>,
    include_withdrawn: Option<bool>,
}

/// The typical cases listed.
#[derive(Debug, Serialize)]
struct TypicalCases {
    cases: Vec<redmud_reports::TypicalCaseLine>,
}

/// `GET /api/reports/typical-cases`: enterprises and projects recommended as typical cases.
async fn typical_cases(
    app: web::Data<AppState>,
    _actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    let q: TypicalCasesQuery = query(&request)?;
    let at = resolve_as_of(&app, q.as_of.as_deref()).await?;
    let region = parse_region(q.region.as_deref())?;
    let enterprises = load::enterprises(&app.store, at, region).await?;
    let projects = load::projects(&app.store, at, region).await?;
    let cases = redmud_reports::typical_cases_report(
        &enterprises,
        &projects,
        q.include_withdrawn.unwrap_or(false),
    );
    Ok(reply(
        &request,
        q.format,
        "typical-cases",
        at,
        TypicalCases { cases },
        |report| redmud_reports::typical_cases::typical_cases_csv(&report.cases),
    ))
}
