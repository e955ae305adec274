//! Loading the typed rows a report needs from the read models, as of a log position.

use redmud_domain::enterprise::LedgerEntry;
use redmud_domain::{Enterprise, Period, Project, Region, RegionalPlan};
use std::sync::Arc;

use redmud_store::{
    DecodedViewsError, Direction, EventStore, Position, StreamId, ViewHead, ViewQuery,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::ReportError;
use crate::balance::{LedgerRow, StockBaselineRow};
use crate::bases::DesignationRow;
use crate::regional::{LedgerChange, SubmissionRow};
use crate::targets::PlanRow;

/// The region prefix that selects rows within `region` (`None`: all).
pub fn region_prefix(region: Option<Region>) -> Option<String> {
    match region {
        None | Some(Region::Province) => None,
        Some(Region::Prefecture(p)) => Some(p.code().to_string()[..4].to_owned()),
        Some(county) => Some(county.to_string()),
    }
}

#[derive(Deserialize)]
struct LedgerDoc {
    enterprise_id: Uuid,
    enterprise: String,
    region: Option<Region>,
    period: Period,
    entry: LedgerEntry,
}

/// The ledger rows (model `ledger`) in force at `at` within `region`.
pub async fn ledger_rows(
    store: &EventStore,
    at: Option<Position>,
    region: Option<Region>,
) -> Result<Vec<LedgerRow>, ReportError> {
    let decode = |text: &str| -> Result<LedgerRow, serde_json::Error> {
        let doc: LedgerDoc = serde_json::from_str(text)?;
        Ok(LedgerRow {
            enterprise_id: doc.enterprise_id,
            enterprise: doc.enterprise,
            region: doc.region,
            period: doc.period,
            figures: doc.entry.figures,
            revision: doc.entry.revision,
        })
    };
    Ok(decoded(store, "ledger", at, region, decode)
        .await?
        .into_iter()
        .map(|(_, row)| LedgerRow::clone(&row))
        .collect())
}

/// Every row of `model` valid at `at` within `region`, with its document decoded by `decode`:
/// once per row and type, then kept by the store ([`EventStore::decoded_views`]), so a report
/// reads and parses only the rows it has not seen before.
pub async fn decoded<T, F>(
    store: &EventStore,
    model: &str,
    at: Option<Position>,
    region: Option<Region>,
    decode: F,
) -> Result<Vec<(ViewHead, Arc<T>)>, ReportError>
where
    T: std::any::Any + Send + Sync,
    F: Fn(&str) -> Result<T, serde_json::Error>,
{
    let mut query = ViewQuery::new(model);
    query.at = at;
    query.region_prefix = region_prefix(region);
    store
        .decoded_views(&query, decode)
        .await
        .map_err(|error| match error {
            DecodedViewsError::Store(error) => ReportError::Store(error),
            DecodedViewsError::Decode {
                model, key, error, ..
            } => ReportError::BadRow {
                model,
                key,
                detail: error.to_string(),
            },
        })
}

/// Every document of `model` (an aggregate state) as of `at` within `region`, decoded (and kept:
/// see [`decoded`]).
pub async fn docs<T: serde::de::DeserializeOwned + Send + Sync + 'static>(
    store: &EventStore,
    model: &str,
    at: Option<Position>,
    region: Option<Region>,
) -> Result<Vec<Arc<T>>, ReportError> {
    Ok(decoded(store, model, at, region, |text: &str| {
        serde_json::from_str::<T>(text)
    })
    .await?
    .into_iter()
    .map(|(_, doc)| doc)
    .collect())
}

/// The enterprises (model `enterprise`) as of `at` within `region`, decoded.
pub async fn enterprises(
    store: &EventStore,
    at: Option<Position>,
    region: Option<Region>,
) -> Result<Vec<Arc<Enterprise>>, ReportError> {
    docs(store, "enterprise", at, region).await
}

/// The projects (model `project`) as of `at` within `region`, decoded.
pub async fn projects(
    store: &EventStore,
    at: Option<Position>,
    region: Option<Region>,
) -> Result<Vec<Arc<Project>>, ReportError> {
    docs(store, "project", at, region).await
}

/// The declared stock baselines as of `at` within `region`.
pub async fn stock_baselines(
    store: &EventStore,
    at: Option<Position>,
    region: Option<Region>,
) -> Result<Vec<StockBaselineRow>, ReportError> {
    Ok(enterprises(store, at, region)
        .await?
        .iter()
        .filter_map(|e| {
            let (id, baseline) = (e.id()?, e.stock_baseline()?);
            Some(StockBaselineRow {
                enterprise_id: id,
                enterprise: e.name().to_owned(),
                region: e.region(),
                as_of: baseline.as_of,
                stock: baseline.stock,
            })
        })
        .collect())
}

/// The regional plans with targets in force as of `at` within `region`.
pub async fn plan_rows(
    store: &EventStore,
    at: Option<Position>,
    region: Option<Region>,
) -> Result<Vec<PlanRow>, ReportError> {
    let mut out = Vec::new();
    for plan in docs::<RegionalPlan>(store, "regional_plan", at, region).await? {
        if let (Some(region), Some(targets)) = (plan.region(), plan.targets()) {
            out.push(PlanRow {
                region,
                year: plan.year(),
                red_mud_to_utilize: targets.targets.red_mud_to_utilize,
                new_utilization_rate: targets.targets.new_utilization_rate,
                new_capacity_per_year: targets.targets.new_capacity_per_year,
                demonstration_projects: targets.targets.demonstration_projects,
                revision: targets.revision,
                task: targets.targets.task,
            });
        }
    }
    Ok(out)
}

/// The designation changes (model `designation`) as of `at` within `region`.
pub async fn designations(
    store: &EventStore,
    at: Option<Position>,
    region: Option<Region>,
) -> Result<Vec<DesignationRow>, ReportError> {
    Ok(docs::<DesignationRow>(store, "designation", at, region)
        .await?
        .into_iter()
        .map(|row| DesignationRow::clone(&row))
        .collect())
}

/// The regional report submissions (model `regional_report`) as of `at` within `region`, each
/// with the position it was recorded at.
pub async fn submissions(
    store: &EventStore,
    at: Option<Position>,
    region: Option<Region>,
) -> Result<Vec<SubmissionRow>, ReportError> {
    Ok(decoded(store, "regional_report", at, region, |text: &str| {
        serde_json::from_str::<SubmissionRow>(text)
    })
    .await?
    .into_iter()
    .map(|(head, row)| {
        let mut row = SubmissionRow::clone(&row);
        row.position = head.valid_from;
        row
    })
    .collect())
}

/// `(enterprise, period, version, valid_from)` of every ledger row in force at `at` within
/// `region`.
pub async fn ledger_versions(
    store: &EventStore,
    at: Option<Position>,
    region: Option<Region>,
) -> Result<Vec<(Uuid, Period, u64, u64)>, ReportError> {
    #[derive(Deserialize)]
    struct LedgerKey {
        enterprise_id: Uuid,
        period: Period,
    }
    Ok(decoded(store, "ledger", at, region, |text: &str| {
        serde_json::from_str::<LedgerKey>(text)
    })
    .await?
    .into_iter()
    .map(|(head, doc)| (doc.enterprise_id, doc.period, head.version, head.valid_from))
    .collect())
}

/// An enterprise's ledger events (`LedgerRecorded`, `LedgerCorrected`, any period) recorded
/// after position `after`, with their stream versions: its stream read backward from
/// `from_version` (never the whole log), newest first.
pub async fn ledger_events(
    store: &EventStore,
    enterprise_id: Uuid,
    enterprise: &str,
    from_version: u64,
    after: Position,
) -> Result<Vec<(u64, LedgerChange)>, ReportError> {
    const PAGE: u32 = 100;
    let stream = StreamId::for_aggregate("enterprise", enterprise_id)
        .map_err(|e| ReportError::Store(e.into()))?;
    let mut out = Vec::new();
    let mut from = from_version;
    loop {
        let page = store
            .read_stream(&stream, from, Direction::Backward, PAGE)
            .await?;
        let full = page.len() == PAGE as usize;
        for event in &page {
            if event.position <= after {
                return Ok(out);
            }
            if !matches!(
                event.event_type.as_str(),
                "LedgerRecorded" | "LedgerCorrected"
            ) {
                continue;
            }
            let Some(period) = event.payload.get("period").and_then(|p| p.as_str()) else {
                continue;
            };
            out.push((
                event.version,
                LedgerChange {
                    enterprise_id,
                    enterprise: enterprise.to_owned(),
                    period: period.to_owned(),
                    event_type: event.event_type.clone(),
                    position: event.position,
                    recorded_at: event.recorded_at,
                    actor_id: event.metadata.actor_id.clone(),
                    actor_role: event.metadata.actor_role.clone(),
                    organisation: event.metadata.organisation.clone(),
                    reason: event.metadata.reason.clone(),
                },
            ));
        }
        match page.last() {
            Some(last) if full && last.version > 1 => from = last.version - 1,
            _ => return Ok(out),
        }
    }
}

/// The names of the given enterprises as of `at` (from the decoded enterprise documents, see
/// [`decoded`]). Unknown ids are left out.
pub async fn enterprise_names(
    store: &EventStore,
    ids: impl IntoIterator<Item = Uuid>,
    at: Option<Position>,
) -> Result<std::collections::BTreeMap<Uuid, String>, ReportError> {
    let wanted: std::collections::BTreeSet<Uuid> = ids.into_iter().collect();
    if wanted.is_empty() {
        return Ok(std::collections::BTreeMap::new());
    }
    Ok(enterprises(store, at, None)
        .await?
        .iter()
        .filter_map(|e| {
            let id = e.id()?;
            wanted.contains(&id).then(|| (id, e.name().to_owned()))
        })
        .collect())
}
