//! Loading the typed rows a report needs from the read models, as of a log position.

use redmud_domain::enterprise::LedgerEntry;
use redmud_domain::{Enterprise, Period, Project, Region, RegionalPlan};
use std::sync::Arc;

use redmud_store::{DecodedRows, DecodedViewsError, EventStore, Position, ViewQuery};
use serde::Deserialize;
use uuid::Uuid;

use crate::ReportError;
use crate::balance::{LedgerRow, StockBaselineRow};
use crate::bases::DesignationRow;
use crate::regional::{ChangedRow, LedgerChange, SubmissionRow};
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

/// What identifies a ledger row: its enterprise and period (decoded and kept on its own).
#[derive(Deserialize)]
struct LedgerKey {
    enterprise_id: Uuid,
    period: Period,
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
        .iter()
        .map(|(_, row)| LedgerRow::clone(row))
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
) -> Result<DecodedRows<T>, ReportError>
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
                source: error,
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
    .iter()
    .map(|(_, doc)| Arc::clone(doc))
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
        .iter()
        .map(|row| DesignationRow::clone(row))
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
    .iter()
    .map(|(head, row)| {
        let mut row = SubmissionRow::clone(row);
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
    Ok(decoded(store, "ledger", at, region, |text: &str| {
        serde_json::from_str::<LedgerKey>(text)
    })
    .await?
    .iter()
    .map(|(head, doc)| (doc.enterprise_id, doc.period, head.version, head.valid_from))
    .collect())
}

/// The ledger events behind `rows` (ledger rows in force at `at` within `region` that changed
/// after a submission, [`crate::regional::changed_rows`]), per enterprise with their stream
/// versions, as [`crate::regional::changes_for`] takes them: every ledger row version is made by
/// one event of its enterprise's stream, so the versions of each row written after its
/// submission ([`EventStore::view_history`]) name exactly the events to read, by position
/// ([`EventStore::events_at`]) — no stream is read.
pub async fn ledger_changes(
    store: &EventStore,
    at: Option<Position>,
    region: Option<Region>,
    rows: &[ChangedRow],
    names: &std::collections::BTreeMap<Uuid, &str>,
) -> Result<std::collections::BTreeMap<Uuid, Vec<(u64, LedgerChange)>>, ReportError> {
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    let mut out: BTreeMap<Uuid, Vec<(u64, LedgerChange)>> = BTreeMap::new();
    if rows.is_empty() {
        return Ok(out);
    }
    // Each row's key, from the (kept) decoded heads.
    let keys: BTreeMap<(Uuid, Period), String> =
        decoded(store, "ledger", at, region, |text: &str| {
            serde_json::from_str::<LedgerKey>(text)
        })
        .await?
        .iter()
        .map(|(head, doc)| ((doc.enterprise_id, doc.period), head.key.clone()))
        .collect();
    let wanted: Vec<&str> = rows
        .iter()
        .filter_map(|r| keys.get(&(r.enterprise_id, r.period)).map(String::as_str))
        .collect();
    let history = store.view_history("ledger", &wanted).await?;
    let mut by_key: HashMap<&str, Vec<&redmud_store::ViewSpan>> = HashMap::new();
    for span in &history {
        by_key.entry(span.key.as_str()).or_default().push(span);
    }
    let mut positions = BTreeSet::new();
    for row in rows {
        let Some(key) = keys.get(&(row.enterprise_id, row.period)) else {
            continue;
        };
        positions.extend(
            by_key
                .get(key.as_str())
                .into_iter()
                .flatten()
                .filter(|span| span.valid_from > row.after && span.version <= row.version)
                .map(|span| span.valid_from),
        );
    }
    let positions: Vec<Position> = positions.into_iter().collect();
    for event in store.events_at(&positions).await? {
        let Some(change) = ledger_change(&event, names) else {
            continue;
        };
        out.entry(change.enterprise_id)
            .or_default()
            .push((event.version, change));
    }
    Ok(out)
}

/// A `LedgerRecorded` / `LedgerCorrected` event of an enterprise stream as a change.
fn ledger_change(
    event: &redmud_store::RecordedEvent,
    names: &std::collections::BTreeMap<Uuid, &str>,
) -> Option<LedgerChange> {
    if !matches!(
        event.event_type.as_str(),
        "LedgerRecorded" | "LedgerCorrected"
    ) {
        return None;
    }
    let period = event.payload.get("period").and_then(|p| p.as_str())?;
    if event.stream.category() != "enterprise" {
        return None;
    }
    let enterprise_id = Uuid::parse_str(event.stream.id()).ok()?;
    Some(LedgerChange {
        enterprise_id,
        enterprise: names
            .get(&enterprise_id)
            .copied()
            .unwrap_or_default()
            .to_owned(),
        period: period.to_owned(),
        event_type: event.event_type.clone(),
        position: event.position,
        recorded_at: event.recorded_at,
        actor_id: event.metadata.actor_id.clone(),
        actor_role: event.metadata.actor_role.clone(),
        organisation: event.metadata.organisation.clone(),
        reason: event.metadata.reason.clone(),
    })
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
