//! Figures the server computes from the read models.

use redmud_domain::regional_plan::ReportFigures;
use redmud_domain::{Period, RegionalPlan};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::aggregates;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A region's report figures for a period, as the ledgers and projects stand now
/// ([`redmud_reports::regional::report_figures`]: the sum of its enterprises' ledgers within
/// the period, capacity first commissioned in the period, demonstration projects accepted in it).
pub async fn report_figures(
    app: &AppState,
    plan: &RegionalPlan,
    period: Period,
) -> ApiResult<ReportFigures> {
    let region = plan
        .region()
        .ok_or_else(|| ApiError::not_found("regional plan"))?;
    let enterprises = redmud_reports::load::enterprises(&app.store, None, Some(region)).await?;
    let projects = redmud_reports::load::projects(&app.store, None, Some(region)).await?;
    redmud_reports::regional::report_figures(region, period, &enterprises, &projects).map_err(|e| {
        match e {
            redmud_reports::ReportError::Mass(e) => {
                ApiError::invalid("figures_overflow", e.to_string())
            }
            other => other.into(),
        }
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
