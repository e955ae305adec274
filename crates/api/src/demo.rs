//! `redmud serve --demo`: the demo accounts (password [`DEMO_PASSWORD`]) and the data set of
//! [`redmud_demo`], loaded into an empty database through the same command pipeline as the API,
//! each step as its named actor. The events are recorded at load time; the story's own dates are
//! the effective dates and the dates inside the commands.

use std::collections::HashMap;

use anyhow::Context;
use redmud_demo::{DemoCommand, DemoStep};
use redmud_domain::account::Account;
use redmud_domain::{Base, Enterprise, Project, RegionalPlan};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::accounts::{self, NewAccount};
use crate::aggregates::{self, CommandRequest, Resource};
use crate::auth::{self, Actor};
use crate::state::AppState;

pub mod scale;

/// The password of every demo account (demo mode only; written in the README).
pub const DEMO_PASSWORD: &str = "redmud-demo";

/// Loads the demo into an empty database; an existing log is left alone.
pub async fn load(app: &AppState) -> anyhow::Result<()> {
    let head = app.store.head().await?;
    if head.position > 0 {
        tracing::info!(
            events = head.position,
            "database not empty: demo not loaded"
        );
        return Ok(());
    }
    let started = std::time::Instant::now();
    let actors = create_accounts(app, redmud_demo::accounts()).await?;
    let steps = redmud_demo::dataset();
    let count = steps.len();
    for (index, step) in steps.into_iter().enumerate() {
        let actor = actors
            .get(step.actor)
            .with_context(|| format!("demo step {index}: unknown actor {}", step.actor))?;
        run_step(app, actor, step)
            .await
            .with_context(|| format!("demo step {index}"))?;
    }
    tracing::info!(
        steps = count,
        millis = started.elapsed().as_millis() as u64,
        "demo data loaded"
    );
    Ok(())
}

/// Creates `accounts` with the demo password; their actors by username.
async fn create_accounts(
    app: &AppState,
    accounts: Vec<redmud_demo::DemoAccount>,
) -> anyhow::Result<HashMap<&'static str, Actor>> {
    let mut actors = HashMap::new();
    for account in accounts {
        let (id, username) = accounts::add(
            app,
            NewAccount {
                username: account.username.to_owned(),
                display_name: account.display_name.to_owned(),
                organisation: Some(account.organisation.to_owned()),
                role: account.role.to_owned(),
                region: account.region.map(str::to_owned),
                password: DEMO_PASSWORD.to_owned(),
            },
        )
        .await
        .with_context(|| format!("demo account {}", account.username))?;
        let (_, state) = aggregates::load::<Account>(app, id, None).await?;
        let actor = auth::actor_of(&state, String::new())
            .with_context(|| format!("demo account {username} is not usable"))?;
        actors.insert(account.username, actor);
    }
    Ok(actors)
}

async fn run_step(app: &AppState, actor: &Actor, step: DemoStep) -> anyhow::Result<()> {
    let reason = step.reason.clone();
    let name = step.command.name();
    match step.command {
        DemoCommand::Enterprise { id, command } => {
            run::<Enterprise>(app, actor, id, name, &command, reason).await
        }
        DemoCommand::Project { id, command } => {
            run::<Project>(app, actor, id, name, &command, reason).await
        }
        DemoCommand::Base { id, command } => {
            run::<Base>(app, actor, id, name, &command, reason).await
        }
        DemoCommand::RegionalPlan { id, command } => {
            run::<RegionalPlan>(app, actor, id, name, &command, reason).await
        }
    }
}

async fn run<R: Resource>(
    app: &AppState,
    actor: &Actor,
    id: Uuid,
    name: &str,
    command: &R::Command,
    reason: Option<String>,
) -> anyhow::Result<()>
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    let spec = spec_named::<R>(name)?;
    aggregates::authorise(actor, spec)?;
    aggregates::execute::<R>(
        app,
        actor,
        spec,
        id,
        command,
        &CommandRequest::default(),
        reason,
    )
    .await
    .with_context(|| format!("{name} on {} {id} by {}", R::NOUN, actor.username))?;
    Ok(())
}

/// The spec of command `name` of `R`.
fn spec_named<R: Resource>(name: &str) -> anyhow::Result<&'static aggregates::CommandSpec>
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    R::COMMANDS
        .iter()
        .find(|spec| spec.name == name)
        .with_context(|| format!("no command {name} on {}", R::NOUN))
}
