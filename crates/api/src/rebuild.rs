//! `redmud rebuild`: recompute every read-model row from the log. The rows an append writes and
//! the rows a rebuild writes come from the same function ([`views_after`]), so a rebuild of an
//! intact database reproduces its read models exactly.

use std::collections::HashMap;

use redmud_domain::account::Account;
use redmud_domain::{
    Aggregate, Base, DomainEvent, Enterprise, Project, RegionalPlan, parse_stream_name,
};
use redmud_store::{EventStore, RecordedEvent, ViewChange};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::aggregates::{Resource, view_row};
use crate::error::{ApiError, ApiResult};

/// The view changes one event of an instance leaves: the instance's row at that version plus
/// its extra rows. `state` is the state after the event.
pub fn views_after<R: Resource>(
    state: &R,
    id: Uuid,
    version: u64,
    event: &R::Event,
) -> ApiResult<Vec<ViewChange>>
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    let mut changes = vec![ViewChange::Upsert(view_row(state, id, version)?)];
    changes.extend(state.extra_views(id, version, event));
    Ok(changes)
}

enum AnyState {
    Enterprise(Enterprise),
    Project(Project),
    Base(Base),
    RegionalPlan(RegionalPlan),
    Account(Account),
}

fn step<R: Resource>(
    state: &mut R,
    id: Uuid,
    recorded: &RecordedEvent,
) -> ApiResult<Vec<ViewChange>>
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    let event = R::Event::from_payload(&recorded.event_type, recorded.payload.clone()).map_err(
        |error| {
            ApiError::internal(anyhow::anyhow!(
                "event at position {} does not decode: {error}",
                recorded.position
            ))
        },
    )?;
    state.apply(&event);
    views_after(state, id, recorded.version, &event)
}

/// Recomputes every read-model row; returns (events read, rows written).
pub async fn rebuild(store: &EventStore) -> ApiResult<(u64, u64)> {
    let mut states: HashMap<String, AnyState> = HashMap::new();
    let report = store
        .rebuild_views(|recorded: &RecordedEvent| -> ApiResult<Vec<ViewChange>> {
            let Some((category, id)) = parse_stream_name(recorded.stream.as_str()) else {
                return Ok(Vec::new());
            };
            let entry = match states.get_mut(recorded.stream.as_str()) {
                Some(entry) => entry,
                None => {
                    let fresh = match category {
                        c if c == Enterprise::CATEGORY => {
                            AnyState::Enterprise(Enterprise::default())
                        }
                        c if c == Project::CATEGORY => AnyState::Project(Project::default()),
                        c if c == Base::CATEGORY => AnyState::Base(Base::default()),
                        c if c == RegionalPlan::CATEGORY => {
                            AnyState::RegionalPlan(RegionalPlan::default())
                        }
                        c if c == Account::CATEGORY => AnyState::Account(Account::default()),
                        _ => return Ok(Vec::new()),
                    };
                    states
                        .entry(recorded.stream.as_str().to_owned())
                        .or_insert(fresh)
                }
            };
            match entry {
                AnyState::Enterprise(state) => step(state, id, recorded),
                AnyState::Project(state) => step(state, id, recorded),
                AnyState::Base(state) => step(state, id, recorded),
                AnyState::RegionalPlan(state) => step(state, id, recorded),
                AnyState::Account(state) => step(state, id, recorded),
            }
        })
        .await
        .map_err(|error| match error {
            redmud_store::RebuildError::Store(error) => ApiError::from(error),
            redmud_store::RebuildError::Projector { error, .. } => error,
        })?;
    Ok((report.events, report.rows))
}
