//! Figures the server computes from the read models.

use redmud_domain::regional_plan::ReportFigures;
use redmud_domain::{Enterprise, Kg, LedgerFigures, Period, Project, ProjectKind, RegionalPlan};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::aggregates;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use redmud_reports::load::region_prefix;

/// Every current view of a model within a region, decoded.
async fn all_in_region<T: serde::de::DeserializeOwned>(
    app: &AppState,
    model: &str,
    prefix: Option<&str>,
) -> ApiResult<Vec<T>> {
    redmud_reports::load::all_rows(&app.store, model, None, prefix)
        .await?
        .into_iter()
        .map(|view| serde_json::from_value(view.row.doc).map_err(ApiError::internal))
        .collect()
}

/// A region's report figures for a period, as the ledgers and projects stand now: the sum of its
/// enterprises' ledgers within the period, capacity first commissioned in the period, and
/// demonstration projects accepted in it.
pub async fn report_figures(
    app: &AppState,
    plan: &RegionalPlan,
    period: Period,
) -> ApiResult<ReportFigures> {
    let region = plan
        .region()
        .ok_or_else(|| ApiError::not_found("regional plan"))?;
    let prefix = region_prefix(Some(region));
    let enterprises: Vec<Enterprise> = all_in_region(app, "enterprise", prefix.as_deref()).await?;
    let mut ledgers = Vec::new();
    let mut reporting = 0u32;
    for enterprise in &enterprises {
        if enterprise.ledger().keys().any(|p| period.contains(*p)) {
            reporting += 1;
            ledgers.push(
                enterprise
                    .ledger_within(period)
                    .map_err(|e| ApiError::invalid("figures_overflow", e.to_string()))?,
            );
        }
    }
    let ledger = LedgerFigures::sum(ledgers.iter())
        .map_err(|e| ApiError::invalid("figures_overflow", e.to_string()))?;
    let projects: Vec<Project> = all_in_region(app, "project", prefix.as_deref()).await?;
    let mut capacity = Kg::ZERO;
    let mut demonstrations = 0u32;
    for project in &projects {
        if project
            .first_commissioned_on()
            .is_some_and(|d| period.contains_date(d))
        {
            capacity = capacity
                .checked_add(project.commissioned_per_year())
                .map_err(|e| ApiError::invalid("figures_overflow", e.to_string()))?;
        }
        let demonstration = project
            .proposal()
            .is_some_and(|p| p.kind == ProjectKind::IndustrializationDemonstration);
        if demonstration
            && project
                .accepted_on()
                .is_some_and(|d| period.contains_date(d))
        {
            demonstrations += 1;
        }
    }
    Ok(ReportFigures {
        ledger,
        capacity_commissioned_per_year: capacity,
        demonstration_projects_completed: demonstrations,
        enterprises_reporting: reporting,
    })
}

/// Fills `figures` of a SubmitReport body from the ledgers (frozen at submission).
pub async fn freeze_report_figures(
    app: &AppState,
    plan_id: Uuid,
    fields: &mut Map<String, Value>,
) -> ApiResult<()> {
    let period: Period = fields
        .get("period")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::invalid("invalid_body", "missing field `period`"))?
        .parse()
        .map_err(|e: redmud_domain::PeriodError| {
            ApiError::invalid("invalid_body", format!("period: {e}"))
        })?;
    let (version, plan) = aggregates::load::<RegionalPlan>(app, plan_id, None).await?;
    if version == 0 {
        return Err(ApiError::not_found(format!("regional plan {plan_id}")));
    }
    let figures = report_figures(app, &plan, period).await?;
    fields.insert(
        "figures".to_owned(),
        serde_json::to_value(figures).map_err(ApiError::internal)?,
    );
    Ok(())
}
