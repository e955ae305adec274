//! `redmud import-ledger`: a bulk import of enterprise ledgers from a CSV file.
//!
//! One CSV row is one enterprise's ledger for one period; it becomes one `RecordLedger` command
//! run through the same pipeline as `POST /api/enterprises/{id}/record-ledger`
//! ([`aggregates::execute`]): the named account's role and region are checked, the domain decides,
//! and the event and its read-model rows are appended in one transaction, stamped with the account
//! as actor and the import's reason.
//!
//! The import is in two phases:
//!
//! 1. **Validation** of the whole file, writing nothing: the header, every cell, every enterprise
//!    (by id or unified social credit code), duplicate rows, and every row decided by the domain
//!    against the enterprise's current state plus the file's earlier rows for it. Every bad row
//!    is reported with its line number and the rule; with any error nothing is written.
//! 2. **Execution** of the rows not yet recorded: each row is its own command and its own atomic
//!    append, keyed by an idempotency key derived from the file's SHA-256 and the row's line
//!    (`import-ledger:<sha256>:<line>`). The pipeline derives the event id from (account, key),
//!    so a re-run of the same file by the same account finds the rows already recorded
//!    ("already present") and records only the rest: after a crash, running the import again
//!    completes it with every row exactly once. Rows of different enterprises run concurrently,
//!    so the store's group commit writes many rows per transaction; an enterprise's rows run in
//!    file order.
//!
//! The CSV format (columns, units) is documented in `docs/operations.md` ("Importing a ledger
//! CSV") and in [`parse_csv`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::StreamExt;
use redmud_domain::account::Account;
use redmud_domain::csv::csv_records;
use redmud_domain::{
    Aggregate, Enterprise, EnterpriseCommand, Kg, LedgerFigures, Period, Role, RouteAmounts, Uscc,
    UtilizationRoute, Uuid,
};
use redmud_store::ViewQuery;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::aggregates::{self, CommandRequest, CommandSpec, Resource};
use crate::auth::{self, Actor};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The columns every file must have.
pub const REQUIRED_COLUMNS: &[&str] = &[
    "enterprise",
    "period",
    "generated",
    "disposed_from_new",
    "stored_new",
];

/// Rows in flight at once by default (each enterprise's rows stay in order).
pub const DEFAULT_CONCURRENCY: usize = 64;

/// How to run an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The account the rows are recorded as (its role and region are checked per row).
    pub username: String,
    /// The reason stamped on every event [default: the file name and its SHA-256].
    pub reason: Option<String>,
    /// Validate only; write nothing.
    pub dry_run: bool,
    /// Rows in flight at once (≥ 1).
    pub concurrency: usize,
}

/// One parsed data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// The line of the file the row starts on (the header is line 1).
    pub line: usize,
    /// The `enterprise` cell: an enterprise id or its unified social credit code.
    pub enterprise: EnterpriseRef,
    /// The period.
    pub period: Period,
    /// The figures, exact kilograms.
    pub figures: LedgerFigures,
}

/// How a row names its enterprise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnterpriseRef {
    /// By aggregate id.
    Id(Uuid),
    /// By unified social credit code (must match exactly one enterprise).
    Uscc(Uscc),
}

/// A refused row (or, at line 1, a refused header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The line of the file.
    pub line: usize,
    /// The rule: the domain's (`Unbalanced`, `PeriodNotEnded`, `Syntax`, …) or the import's
    /// (`unknown_enterprise`, `duplicate_row`, `bad_field_count`, …).
    pub rule: String,
    /// What is wrong, for people.
    pub detail: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.rule, self.detail)
    }
}

fn row_error(line: usize, rule: impl Into<String>, detail: impl Into<String>) -> RowError {
    RowError {
        line,
        rule: rule.into(),
        detail: detail.into(),
    }
}

/// A domain rule with the rules nested in its values: `Ledger` with values `{"rule":
/// "Unbalanced", …}` is `Ledger.Unbalanced`.
fn rule_path(rule: &str, mut values: &Value) -> String {
    let mut path = rule.to_owned();
    while let Some(inner) = values.get("rule").and_then(Value::as_str) {
        path.push('.');
        path.push_str(inner);
        values = values.get("values").unwrap_or(&Value::Null);
    }
    path
}

/// The rule and message of a domain error (`{"rule": …, "values": …}` serialisation).
fn domain_error<E: std::error::Error + Serialize>(
    line: usize,
    prefix: &str,
    error: &E,
) -> RowError {
    let rule = match serde_json::to_value(error) {
        Ok(Value::Object(map)) => match map.get("rule").and_then(Value::as_str) {
            Some(rule) => rule_path(rule, map.get("values").unwrap_or(&Value::Null)),
            None => "invalid".to_owned(),
        },
        Ok(Value::String(rule)) => rule,
        _ => "invalid".to_owned(),
    };
    row_error(line, rule, format!("{prefix}{error}"))
}

/// An error of the pipeline as a row error: a domain rule by its name (nested rules joined by
/// dots, as `Ledger.Unbalanced`), others by their code.
fn api_error(line: usize, error: &ApiError) -> RowError {
    match error {
        ApiError::Rejected {
            rule,
            values,
            detail,
            ..
        } => row_error(line, rule_path(rule, values), detail.clone()),
        other => row_error(line, other.code(), other.to_string()),
    }
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// SHA-256 of the file (hex).
    pub sha256: String,
    /// Data rows in the file.
    pub rows: usize,
    /// Rows recorded by this run (in a dry run: that would be recorded).
    pub imported: usize,
    /// Rows recorded by an earlier run of the same file by the same account.
    pub already_present: usize,
    /// Refused rows, by line.
    pub rejected: Vec<RowError>,
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
    /// Whether anything was written (false when validation found errors).
    pub written: bool,
}

/// Progress of the execution phase: rows committed so far of those to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Rows committed (or refused) so far by this run.
    pub done: usize,
    /// Rows this run writes.
    pub total: usize,
}

// ----- CSV ------------------------------------------------------------------------------------

/// Where each figure comes from in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Enterprise,
    Period,
    Generated,
    DisposedFromNew,
    StoredNew,
    DisposedFromStock,
    UtilizedFromNew(UtilizationRoute),
    UtilizedFromStock(UtilizationRoute),
}

fn column(name: &str) -> Option<Column> {
    Some(match name {
        "enterprise" => Column::Enterprise,
        "period" => Column::Period,
        "generated" => Column::Generated,
        "disposed_from_new" => Column::DisposedFromNew,
        "stored_new" => Column::StoredNew,
        "disposed_from_stock" => Column::DisposedFromStock,
        _ => {
            if let Some(route) = name.strip_prefix("utilized_from_new.") {
                Column::UtilizedFromNew(route.parse().ok()?)
            } else if let Some(route) = name.strip_prefix("utilized_from_stock.") {
                Column::UtilizedFromStock(route.parse().ok()?)
            } else {
                return None;
            }
        }
    })
}

/// Every column name the import knows, in the documented order.
pub fn known_columns() -> Vec<String> {
    let mut names: Vec<String> = REQUIRED_COLUMNS.iter().map(|s| (*s).to_owned()).collect();
    names.push("disposed_from_stock".to_owned());
    for prefix in ["utilized_from_new", "utilized_from_stock"] {
        for route in UtilizationRoute::ALL {
            names.push(format!("{prefix}.{}", route.code()));
        }
    }
    names
}

/// Parses a ledger CSV.
///
/// The first record is the header: the columns `enterprise`, `period`, `generated`,
/// `disposed_from_new`, `stored_new` are required; `disposed_from_stock`,
/// `utilized_from_new.<route>` and `utilized_from_stock.<route>` (route codes as in the API:
/// `cement`, `mine_backfill`, …) are optional, in any order. An unknown or repeated column is an
/// error. Each data row: `enterprise` is an enterprise id (UUID) or its unified social credit
/// code (18 characters); `period` is `2025`, `2025-Q3` or `2025-07`; each figure is a mass in
/// the domain's text form — tonnes with at most three decimals (`1234.567` or `1234.567 t`) or
/// whole kilograms (`1234567 kg`), converted to kilograms exactly with integer arithmetic (no
/// floating point; more decimals, signs, exponents and separators are errors). A required figure
/// must be given (`0` for none); an empty optional figure is zero.
///
/// Returns the rows that parsed and the errors of those that did not (by line); a header error
/// is a single error at line 1 and no rows.
pub fn parse_csv(text: &str) -> (Vec<LedgerRow>, Vec<RowError>) {
    let records = match csv_records(text) {
        Ok(records) => records,
        Err(error) => {
            let error = row_error(error.line(), "csv_syntax", error.to_string());
            return (Vec::new(), vec![error]);
        }
    };
    let mut records = records.into_iter().map(|r| (r.line, r.fields));
    let Some((header_line, header)) = records.next() else {
        return (
            Vec::new(),
            vec![row_error(1, "missing_header", "the file is empty")],
        );
    };
    let mut columns = Vec::with_capacity(header.len());
    let mut header_errors = Vec::new();
    for name in &header {
        let name = name.trim();
        match column(name) {
            Some(c) if columns.contains(&c) => header_errors.push(format!("{name:?} repeated")),
            Some(c) => columns.push(c),
            None => header_errors.push(format!("unknown column {name:?}")),
        }
    }
    for required in REQUIRED_COLUMNS {
        if !header.iter().any(|name| name.trim() == *required) {
            header_errors.push(format!("missing column {required:?}"));
        }
    }
    if !header_errors.is_empty() {
        return (
            Vec::new(),
            vec![row_error(
                header_line,
                "bad_header",
                format!(
                    "{} (known columns: {})",
                    header_errors.join("; "),
                    known_columns().join(", ")
                ),
            )],
        );
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (line, cells) in records {
        match parse_row(line, &columns, &cells) {
            Ok(row) => rows.push(row),
            Err(error) => errors.push(error),
        }
    }
    (rows, errors)
}

fn parse_row(line: usize, columns: &[Column], cells: &[String]) -> Result<LedgerRow, RowError> {
    if cells.len() != columns.len() {
        return Err(row_error(
            line,
            "bad_field_count",
            format!(
                "{} fields where the header has {}",
                cells.len(),
                columns.len()
            ),
        ));
    }
    let mut enterprise = None;
    let mut period = None;
    let mut figures = LedgerFigures::default();
    let mut from_new = Vec::new();
    let mut from_stock = Vec::new();
    let mut problems = Vec::new();
    for (column, cell) in columns.iter().zip(cells) {
        let cell = cell.trim();
        let required = matches!(
            column,
            Column::Enterprise
                | Column::Period
                | Column::Generated
                | Column::DisposedFromNew
                | Column::StoredNew
        );
        if cell.is_empty() {
            if required {
                problems.push(row_error(
                    line,
                    "missing_value",
                    format!("{} is empty", column_name(*column)),
                ));
            }
            continue;
        }
        match column {
            Column::Enterprise => match parse_enterprise(cell) {
                Ok(e) => enterprise = Some(e),
                Err(error) => problems.push(domain_error(line, "enterprise: ", &error)),
            },
            Column::Period => match cell.parse::<Period>() {
                Ok(p) => period = Some(p),
                Err(error) => problems.push(domain_error(line, "period: ", &error)),
            },
            _ => {
                let kg = match cell.parse::<Kg>() {
                    Ok(kg) => kg,
                    Err(error) => {
                        let prefix = format!("{}: ", column_name(*column));
                        problems.push(domain_error(line, &prefix, &error));
                        continue;
                    }
                };
                match column {
                    Column::Generated => figures.generated = kg,
                    Column::DisposedFromNew => figures.disposed_from_new = kg,
                    Column::StoredNew => figures.stored_new = kg,
                    Column::DisposedFromStock => figures.disposed_from_stock = kg,
                    Column::UtilizedFromNew(route) => from_new.push((*route, kg)),
                    Column::UtilizedFromStock(route) => from_stock.push((*route, kg)),
                    Column::Enterprise | Column::Period => {}
                }
            }
        }
    }
    // Routes are distinct (the header refuses a repeated column).
    match (
        RouteAmounts::try_from_pairs(from_new),
        RouteAmounts::try_from_pairs(from_stock),
    ) {
        (Ok(new), Ok(stock)) => {
            figures.utilized_from_new = new;
            figures.utilized_from_stock = stock;
        }
        (Err(error), _) | (_, Err(error)) => problems.push(domain_error(line, "", &error)),
    }
    if let Some(first) = problems.into_iter().reduce(|mut first, next| {
        first.detail = format!("{}; {}: {}", first.detail, next.rule, next.detail);
        first
    }) {
        return Err(first);
    }
    match (enterprise, period) {
        (Some(enterprise), Some(period)) => Ok(LedgerRow {
            line,
            enterprise,
            period,
            figures,
        }),
        _ => Err(row_error(line, "missing_value", "enterprise or period")),
    }
}

fn column_name(column: Column) -> String {
    match column {
        Column::Enterprise => "enterprise".to_owned(),
        Column::Period => "period".to_owned(),
        Column::Generated => "generated".to_owned(),
        Column::DisposedFromNew => "disposed_from_new".to_owned(),
        Column::StoredNew => "stored_new".to_owned(),
        Column::DisposedFromStock => "disposed_from_stock".to_owned(),
        Column::UtilizedFromNew(route) => format!("utilized_from_new.{}", route.code()),
        Column::UtilizedFromStock(route) => format!("utilized_from_stock.{}", route.code()),
    }
}

fn parse_enterprise(cell: &str) -> Result<EnterpriseRef, redmud_domain::UsccError> {
    if let Ok(id) = Uuid::parse_str(cell) {
        return Ok(EnterpriseRef::Id(id));
    }
    Uscc::parse_lenient(cell).map(EnterpriseRef::Uscc)
}

// ----- the import -----------------------------------------------------------------------------

/// The idempotency key of a row: the file's SHA-256 and the row's line.
pub fn row_key(sha256: &str, line: usize) -> String {
    format!("import-ledger:{sha256}:{line}")
}

/// The actor an import runs as: an enabled account, by username.
pub async fn actor_by_username(app: &AppState, username: &str) -> ApiResult<Actor> {
    let id = auth::account_id(username);
    let (version, account) = aggregates::load::<Account>(app, id, None).await?;
    if version == 0 {
        return Err(ApiError::not_found(format!("account {username:?}")));
    }
    auth::actor_of(&account, String::new()).ok_or_else(|| {
        ApiError::forbidden(
            "account_disabled",
            format!("account {username:?} is disabled"),
        )
    })
}

fn record_ledger_spec() -> ApiResult<&'static CommandSpec> {
    Enterprise::command_by_segment("record-ledger")
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no RecordLedger command")))
}

/// The enterprise ids of unified social credit codes, each found among the current enterprise
/// rows; a code matching no or several enterprises is absent / listed as ambiguous.
async fn enterprises_by_uscc(
    app: &AppState,
    codes: &HashSet<Uscc>,
) -> ApiResult<HashMap<Uscc, Vec<Uuid>>> {
    let mut found = HashMap::new();
    for code in codes {
        let text = code.to_string();
        let mut query = ViewQuery::new(Enterprise::CATEGORY);
        query.text = Some(text.to_lowercase());
        let page = app.store.list_views(&query).await?;
        let ids: Vec<Uuid> = page
            .rows
            .iter()
            .filter(|row| row.row.doc.get("uscc").and_then(Value::as_str) == Some(text.as_str()))
            .filter_map(|row| Uuid::parse_str(&row.row.key).ok())
            .collect();
        found.insert(*code, ids);
    }
    Ok(found)
}

/// A row ready to run: its command, key and enterprise.
#[derive(Debug)]
struct Planned {
    line: usize,
    enterprise: Uuid,
    key: String,
    command: EnterpriseCommand,
}

/// Validates `text` (the file's bytes) and, unless it is a dry run or invalid, imports it.
/// `progress` is called after each row this run writes.
pub async fn import_ledger(
    app: &AppState,
    name: &str,
    bytes: &[u8],
    options: &ImportOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> ApiResult<ImportReport> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let mut report = ImportReport {
        sha256: sha256.clone(),
        dry_run: options.dry_run,
        ..ImportReport::default()
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            report.rejected.push(row_error(
                1,
                "not_utf8",
                format!("the file is not UTF-8: {error}"),
            ));
            return Ok(report);
        }
    };
    let actor = actor_by_username(app, &options.username).await?;
    let spec = record_ledger_spec()?;
    aggregates::authorise(&actor, spec)?;

    let (rows, mut errors) = parse_csv(text);
    // Data rows: those that parsed and those refused one by one (not a refused header or file).
    report.rows = rows.len()
        + errors
            .iter()
            .filter(|e| {
                !matches!(
                    e.rule.as_str(),
                    "bad_header" | "missing_header" | "csv_syntax"
                )
            })
            .count();

    // Enterprises: ids as given, codes looked up.
    let codes: HashSet<Uscc> = rows
        .iter()
        .filter_map(|row| match row.enterprise {
            EnterpriseRef::Uscc(code) => Some(code),
            EnterpriseRef::Id(_) => None,
        })
        .collect();
    let by_code = enterprises_by_uscc(app, &codes).await?;
    let mut resolved = Vec::with_capacity(rows.len());
    let mut seen: HashMap<(Uuid, Period), usize> = HashMap::new();
    for row in rows {
        let id = match row.enterprise {
            EnterpriseRef::Id(id) => id,
            EnterpriseRef::Uscc(code) => match by_code.get(&code).map(Vec::as_slice) {
                Some([id]) => *id,
                Some([]) | None => {
                    errors.push(row_error(
                        row.line,
                        "unknown_enterprise",
                        format!("no enterprise has the unified social credit code {code}"),
                    ));
                    continue;
                }
                Some(ids) => {
                    errors.push(row_error(
                        row.line,
                        "ambiguous_enterprise",
                        format!(
                            "{} enterprises have the unified social credit code {code}; name the enterprise by id",
                            ids.len()
                        ),
                    ));
                    continue;
                }
            },
        };
        if let Some(first) = seen.insert((id, row.period), row.line) {
            errors.push(row_error(
                row.line,
                "duplicate_row",
                format!(
                    "enterprise {id} period {} is already on line {first}",
                    row.period
                ),
            ));
            continue;
        }
        resolved.push((id, row));
    }

    // Rows an earlier run of this file (by this account) recorded: their first event's id.
    let keyed: Vec<(Uuid, String)> = resolved
        .iter()
        .map(|(_, row)| {
            let key = row_key(&sha256, row.line);
            (aggregates::idempotent_event_id(&actor, &key, 0), key)
        })
        .collect();
    let mut present: HashSet<Uuid> = HashSet::new();
    for chunk in keyed.chunks(500) {
        let ids: Vec<Uuid> = chunk.iter().map(|(id, _)| *id).collect();
        for event in app.store.find_events(&ids).await? {
            present.insert(event.event_id);
        }
    }

    // Decide every remaining row on its enterprise's state (plus the file's earlier rows).
    let mut by_enterprise: BTreeMap<Uuid, Vec<(LedgerRow, String, bool)>> = BTreeMap::new();
    for ((id, row), (event_id, key)) in resolved.into_iter().zip(keyed) {
        let done = present.contains(&event_id);
        by_enterprise.entry(id).or_default().push((row, key, done));
    }
    let mut planned: Vec<Planned> = Vec::new();
    for (id, group) in by_enterprise {
        let (version, mut state) = aggregates::load::<Enterprise>(app, id, None).await?;
        for (row, key, done) in group {
            if version == 0 {
                errors.push(row_error(
                    row.line,
                    "unknown_enterprise",
                    format!("no enterprise {id}"),
                ));
                continue;
            }
            if done {
                report.already_present += 1;
                continue;
            }
            match decide(&actor, spec, &state, &row) {
                Ok((command, next)) => {
                    state = next;
                    planned.push(Planned {
                        line: row.line,
                        enterprise: id,
                        key,
                        command,
                    });
                }
                Err(error) => errors.push(api_error(row.line, &error)),
            }
        }
    }
    errors.sort_by_key(|e| e.line);
    if !errors.is_empty() {
        report.rejected = errors;
        return Ok(report);
    }
    if options.dry_run {
        report.imported = planned.len();
        return Ok(report);
    }

    // Execute: an enterprise's rows in file order, enterprises concurrently.
    report.written = true;
    let total = planned.len();
    let mut groups: BTreeMap<Uuid, Vec<Planned>> = BTreeMap::new();
    for row in planned {
        groups.entry(row.enterprise).or_default().push(row);
    }
    let reason = options
        .reason
        .clone()
        .unwrap_or_else(|| format!("ledger import of {name} (sha256 {sha256})"));
    let run = Run {
        app,
        actor: &actor,
        spec,
        reason: &reason,
        correlation_id: Uuid::now_v7(),
        done: AtomicUsize::new(0),
        total,
        progress,
    };
    let outcomes: Vec<Vec<(usize, ApiResult<()>)>> =
        futures_util::stream::iter(groups.into_values())
            .map(|group| run.group(group))
            .buffer_unordered(options.concurrency.max(1))
            .collect()
            .await;
    for (line, result) in outcomes.into_iter().flatten() {
        match result {
            Ok(()) => report.imported += 1,
            Err(error) => report.rejected.push(api_error(line, &error)),
        }
    }
    report.rejected.sort_by_key(|e| e.line);
    Ok(report)
}

/// What every row of one run shares.
struct Run<'a> {
    app: &'a AppState,
    actor: &'a Actor,
    spec: &'a CommandSpec,
    reason: &'a str,
    correlation_id: Uuid,
    done: AtomicUsize,
    total: usize,
    progress: &'a (dyn Fn(Progress) + Sync),
}

impl Run<'_> {
    /// Runs one enterprise's rows in file order. After a refused row the enterprise's later rows
    /// (decided on it) are not attempted.
    async fn group(&self, group: Vec<Planned>) -> Vec<(usize, ApiResult<()>)> {
        let mut results = Vec::with_capacity(group.len());
        let mut failed_at = None;
        for row in group {
            if let Some(line) = failed_at {
                let detail = format!("not attempted: line {line} of the same enterprise failed");
                results.push((row.line, Err(ApiError::conflict("not_attempted", detail))));
                continue;
            }
            let request = CommandRequest {
                if_match: None,
                idempotency_key: Some(row.key),
                correlation_id: Some(self.correlation_id),
            };
            let result = aggregates::execute::<Enterprise>(
                self.app,
                self.actor,
                self.spec,
                row.enterprise,
                &row.command,
                &request,
                Some(self.reason.to_owned()),
            )
            .await
            .map(|_| ());
            if result.is_err() {
                failed_at = Some(row.line);
            }
            results.push((row.line, result));
            let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
            (self.progress)(Progress {
                done,
                total: self.total,
            });
        }
        results
    }
}

/// The row's command as the HTTP pipeline would build it (body → command, server fills), and
/// the state after it, or why the pipeline would refuse it.
fn decide(
    actor: &Actor,
    spec: &CommandSpec,
    state: &Enterprise,
    row: &LedgerRow,
) -> ApiResult<(EnterpriseCommand, Enterprise)> {
    let body = json!({ "period": row.period, "figures": row.figures });
    let command = aggregates::parse_command::<Enterprise>(spec, body, None)?;
    if actor.role == Role::Bureau {
        aggregates::check_region(actor, state.region())?;
    }
    let events = state
        .decide(&command)
        .map_err(|error| ApiError::rejected(Enterprise::CATEGORY, &error))?;
    let mut next = state.clone();
    for event in &events {
        next.apply(event);
    }
    Ok((command, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(tonnes: u64) -> Kg {
        Kg::from_tonnes(tonnes).expect("in range")
    }

    #[test]
    fn parses_tonnes_and_kilograms_exactly() {
        let text = "\u{feff}enterprise,period,generated,utilized_from_new.cement,disposed_from_new,stored_new,utilized_from_stock.road_base,disposed_from_stock\r\n\
            91520181MA6DK2H31Y,2025-Q1,1000.001,100,0,900.001 t,\"20\",5000 kg\r\n\
            \r\n\
            0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b,2025-07,0.1,,0,0.1,,\n";
        let (rows, errors) = parse_csv(text);
        assert_eq!(errors, vec![]);
        assert_eq!(rows.len(), 2);
        let first = &rows[0];
        assert_eq!(first.line, 2);
        assert_eq!(first.figures.generated, Kg::new(1_000_001).expect("kg"));
        assert_eq!(
            first
                .figures
                .utilized_from_new
                .get(UtilizationRoute::Cement),
            t(100)
        );
        assert_eq!(first.figures.stored_new, Kg::new(900_001).expect("kg"));
        assert_eq!(
            first
                .figures
                .utilized_from_stock
                .get(UtilizationRoute::RoadBase),
            t(20)
        );
        assert_eq!(first.figures.disposed_from_stock, t(5));
        assert_eq!(first.figures.check_balance(), Ok(()));
        assert!(matches!(first.enterprise, EnterpriseRef::Uscc(_)));
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].figures.generated, Kg::new(100).expect("kg"));
        assert!(rows[1].figures.utilized_from_new.is_empty());
        assert!(matches!(rows[1].enterprise, EnterpriseRef::Id(_)));
    }

    #[test]
    fn reports_each_bad_row_by_line() {
        let text = "enterprise,period,generated,disposed_from_new,stored_new\n\
            91520181MA6DK2H31Y,2025-Q1,1.0001,0,1\n\
            91520181MA6DK2H31Y,2025-Q5,1,0,1\n\
            not-a-code,2025-Q1,1,0,1\n\
            91520181MA6DK2H31Y,2025-Q2,1,0\n\
            91520181MA6DK2H31Y,2025-Q3,-1,,1\n\
            \"91520181MA6DK2H31Y\",2025-Q4,1e3,0,1000\n\
            91520181MA6DK2H31Y,2026-Q1,1,0,1\n";
        let (rows, errors) = parse_csv(text);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 8);
        let lines: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.rule.as_str())).collect();
        assert_eq!(
            lines,
            vec![
                (2, "Syntax"),
                (3, "QuarterOutOfRange"),
                (4, "Length"),
                (5, "bad_field_count"),
                (6, "Syntax"),
                (7, "Syntax"),
            ],
            "{errors:#?}"
        );
        // Every problem of a row is named, not only the first.
        assert!(errors[4].detail.contains("generated"), "{}", errors[4]);
        assert!(
            errors[4].detail.contains("disposed_from_new"),
            "{}",
            errors[4]
        );
    }

    #[test]
    fn refuses_a_bad_header() {
        let (rows, errors) = parse_csv("enterprise,period,generated,stored_new,colour\n");
        assert!(rows.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 1);
        assert_eq!(errors[0].rule, "bad_header");
        assert!(errors[0].detail.contains("unknown column \"colour\""));
        assert!(
            errors[0]
                .detail
                .contains("missing column \"disposed_from_new\"")
        );
        let (_, errors) = parse_csv("");
        assert_eq!(errors[0].rule, "missing_header");
        let (_, errors) =
            parse_csv("enterprise,period,generated,disposed_from_new,stored_new,stored_new\n");
        assert!(errors[0].detail.contains("repeated"));
        let (_, errors) = parse_csv("enterprise,\"period\n");
        assert_eq!(errors[0].rule, "csv_syntax");
    }

    #[test]
    fn quoted_fields_keep_commas_quotes_and_newlines() {
        let records: Vec<_> = csv_records("a,\"b,\"\"c\"\"\nd\",e\nf,g,h\n")
            .expect("csv")
            .into_iter()
            .map(|r| (r.line, r.fields))
            .collect();
        assert_eq!(
            records,
            vec![
                (1, vec!["a".into(), "b,\"c\"\nd".into(), "e".into()]),
                (3, vec!["f".into(), "g".into(), "h".into()]),
            ]
        );
    }

    #[test]
    fn nested_domain_rules_are_named_by_their_path() {
        let error = redmud_domain::LedgerError::Mass(redmud_domain::MassError::Overflow {
            left: Kg::MAX,
            right: t(1),
        });
        let row = domain_error(7, "", &error);
        assert_eq!(row.line, 7);
        assert_eq!(row.rule, "Mass.Overflow");
        assert_eq!(
            rule_path("PeriodNotEnded", &json!({"period": "2999-01"})),
            "PeriodNotEnded"
        );
    }

    #[test]
    fn every_known_column_parses() {
        for name in known_columns() {
            assert!(column(&name).is_some(), "{name}");
        }
        assert_eq!(column("utilized_from_new.bakery"), None);
    }
}
