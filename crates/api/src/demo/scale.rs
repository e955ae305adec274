//! `redmud demo --scale N`: loads the generated province ([`redmud_demo::scale`]) into an empty
//! database, month by month.
//!
//! Each step is authorised for its actor's role and decided by the domain exactly as the HTTP
//! pipeline decides it ([`aggregates::decide`]: the same events, metadata and read-model rows),
//! but many steps are committed together: a month's commands, grouped per stream, go to the
//! store as one all-or-nothing batch ([`redmud_store::EventStore::append_batch`]), so the load
//! costs one transaction per month instead of one per command. The head position after each
//! month is reported: a position between two months is "the end of that month" for as-of
//! reports.

use std::collections::HashMap;

use anyhow::Context;
use chrono::NaiveDate;
use redmud_demo::scale::{Province, ProvinceShape};
use redmud_demo::{DemoCommand, DemoStep};
use redmud_domain::{Base, Enterprise, Project, RegionalPlan};
use redmud_store::{NewEvent, StreamAppend, StreamId, ViewUpdate, expected_at};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::aggregates::{self, CommandRequest, Resource};
use crate::auth::Actor;
use crate::state::AppState;

/// A batch is written early when it holds this many events.
const MAX_BATCH_EVENTS: usize = 50_000;

/// What a scale load wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleReport {
    /// Enterprises generated.
    pub enterprises: u32,
    /// Projects generated.
    pub projects: u32,
    /// Commands executed.
    pub commands: usize,
    /// Events appended (accounts included).
    pub events: u64,
    /// The head position after each month: (first day of the month, position).
    pub months: Vec<(NaiveDate, u64)>,
    /// Seconds the load took.
    pub seconds: f64,
}

/// The states of the instances the load has touched, with their versions.
#[derive(Default)]
struct States<A> {
    by_id: HashMap<Uuid, (u64, A)>,
}

/// The appends of one batch, one per stream, in the order the streams were first touched.
#[derive(Default)]
struct Batch {
    appends: Vec<StreamAppend>,
    by_stream: HashMap<StreamId, usize>,
    events: usize,
}

impl Batch {
    /// Adds a command's events to its stream's append (the stream at `version` before them).
    fn add(
        &mut self,
        stream: StreamId,
        version: u64,
        events: Vec<NewEvent>,
        views: Vec<ViewUpdate>,
    ) {
        self.events += events.len();
        match self.by_stream.get(&stream) {
            Some(&index) => {
                let append = &mut self.appends[index];
                let offset = append.events.len();
                append.events.extend(events);
                append.views.extend(views.into_iter().map(|v| ViewUpdate {
                    after: v.after + offset,
                    change: v.change,
                }));
            }
            None => {
                self.by_stream.insert(stream.clone(), self.appends.len());
                self.appends.push(
                    StreamAppend::new(stream, expected_at(version), events).with_views(views),
                );
            }
        }
    }
}

/// Everything the load keeps between steps.
#[derive(Default)]
struct World {
    enterprises: States<Enterprise>,
    projects: States<Project>,
    bases: States<Base>,
    plans: States<RegionalPlan>,
}

/// Loads the province generated at `scale` into an empty database (refused when the log is not
/// empty), with the demo accounts and one bureau account per prefecture (password
/// [`super::DEMO_PASSWORD`]). `progress` is called after each month.
pub async fn load(
    app: &AppState,
    scale: f64,
    mut progress: impl FnMut(NaiveDate, u64),
) -> anyhow::Result<ScaleReport> {
    let head = app.store.head().await?;
    anyhow::ensure!(
        head.position == 0,
        "the database already holds {} events: a scale demo loads only into an empty one",
        head.position
    );
    let started = std::time::Instant::now();
    let shape = ProvinceShape::at(scale);
    let mut accounts = redmud_demo::accounts();
    accounts.extend(redmud_demo::scale::extra_accounts());
    let actors = super::create_accounts(app, accounts).await?;
    let province = Province::generate(shape).context("generating the province")?;
    let mut world = World::default();
    let mut commands = 0;
    let mut months = Vec::new();
    let mut head = app.store.head().await?.position;
    for (month, steps) in province.months() {
        let mut batch = Batch::default();
        for step in steps {
            let actor = actors
                .get(step.actor)
                .with_context(|| format!("unknown actor {}", step.actor))?;
            let (on, name) = (step.on, step.command.name());
            world
                .step(actor, step, &mut batch)
                .with_context(|| format!("{name} on {on}"))?;
            commands += 1;
            if batch.events >= MAX_BATCH_EVENTS {
                head = write(app, std::mem::take(&mut batch), head).await?;
            }
        }
        head = write(app, batch, head).await?;
        months.push((month, head));
        progress(month, head);
    }
    Ok(ScaleReport {
        enterprises: shape.enterprises,
        projects: shape.projects,
        commands,
        events: head,
        months,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Appends a batch; the head after it.
async fn write(app: &AppState, batch: Batch, head: u64) -> anyhow::Result<u64> {
    if batch.appends.is_empty() {
        return Ok(head);
    }
    let results = app.store.append_batch(batch.appends).await?;
    Ok(results
        .iter()
        .map(|r| r.last_position)
        .max()
        .unwrap_or(head))
}

impl World {
    fn step(&mut self, actor: &Actor, step: DemoStep, batch: &mut Batch) -> anyhow::Result<()> {
        let reason = step.reason;
        let name = step.command.name();
        match step.command {
            DemoCommand::Enterprise { id, command } => run(
                &mut self.enterprises,
                actor,
                id,
                name,
                &command,
                reason,
                batch,
            ),
            DemoCommand::Project { id, command } => {
                run(&mut self.projects, actor, id, name, &command, reason, batch)
            }
            DemoCommand::Base { id, command } => {
                run(&mut self.bases, actor, id, name, &command, reason, batch)
            }
            DemoCommand::RegionalPlan { id, command } => {
                run(&mut self.plans, actor, id, name, &command, reason, batch)
            }
        }
    }
}

fn run<R: Resource>(
    states: &mut States<R>,
    actor: &Actor,
    id: Uuid,
    name: &str,
    command: &R::Command,
    reason: Option<String>,
    batch: &mut Batch,
) -> anyhow::Result<()>
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    let spec = super::spec_named::<R>(name)?;
    // The API error's own text is for HTTP clients; its debug form names the rule and values.
    let refused = |error: crate::error::ApiError| anyhow::anyhow!("refused: {error:?}");
    aggregates::authorise(actor, spec).map_err(refused)?;
    let entry = states.by_id.entry(id).or_default();
    let (version, state) = (entry.0, &entry.1);
    let (events, views, next) = aggregates::decide(
        state,
        version,
        id,
        command,
        actor,
        &CommandRequest::default(),
        reason,
    )
    .map_err(refused)?;
    let count = events.len() as u64;
    batch.add(aggregates::stream_of::<R>(id)?, version, events, views);
    *entry = (version + count, next);
    Ok(())
}
