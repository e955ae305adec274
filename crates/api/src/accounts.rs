//! Account management outside HTTP: `redmud user …` and the demo loader. Changes go through the
//! same command pipeline as the API, as the `system` actor (no role check: whoever runs the CLI
//! on the server already controls the database).

use redmud_domain::account::{Account, AccountCommand};
use redmud_domain::{Aggregate, Region};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::aggregates::{self, CommandRequest, CommandSpec, Resource};
use crate::auth::{self, Actor};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    /// Default: by role (e.g. 省工业和信息化厅 for `province`).
    pub organisation: Option<String>,
    /// `province`, `bureau`, `finance`, `auditor` or `admin`.
    pub role: String,
    /// A bureau's region code.
    pub region: Option<String>,
    pub password: String,
}

/// The organisation an account of a role belongs to by default.
pub fn default_organisation(role: &str, region: Option<&str>) -> String {
    match role {
        "province" => "贵州省工业和信息化厅".to_owned(),
        "bureau" => {
            let name = region
                .and_then(|code| code.parse::<Region>().ok())
                .map(|r| r.name_zh())
                .unwrap_or_default();
            format!("{name}工业和信息化局")
        }
        "finance" => "贵州省财政厅".to_owned(),
        "auditor" => "贵州省审计厅".to_owned(),
        _ => "赤泥台账系统管理".to_owned(),
    }
}

/// Creates an account and sets its password; returns (id, username).
pub async fn add(app: &AppState, account: NewAccount) -> ApiResult<(Uuid, String)> {
    auth::check_new_password(&account.password)?;
    let id = auth::account_id(&account.username);
    let organisation = account
        .organisation
        .clone()
        .unwrap_or_else(|| default_organisation(&account.role, account.region.as_deref()));
    let body = json!({
        "username": account.username,
        "display_name": account.display_name,
        "role": account.role,
        "region": account.region,
        "organisation": organisation,
    });
    as_system(app, Account::create_spec(), id, body, true, None).await?;
    auth::set_password(app, id, &account.username, account.password).await?;
    Ok((id, account.username))
}

/// Runs an account command as the `system` actor.
async fn as_system(
    app: &AppState,
    spec: &CommandSpec,
    id: Uuid,
    body: Value,
    creating: bool,
    reason: Option<String>,
) -> ApiResult<()> {
    let command: AccountCommand =
        aggregates::parse_command::<Account>(spec, body, creating.then_some(id))?;
    let request = CommandRequest::default();
    aggregates::execute::<Account>(app, &Actor::system(), spec, id, &command, &request, reason)
        .await?;
    Ok(())
}

async fn existing(app: &AppState, username: &str) -> ApiResult<(Uuid, Account)> {
    let id = auth::account_id(username);
    let (version, account) = aggregates::load::<Account>(app, id, None).await?;
    if version == 0 {
        return Err(ApiError::not_found(format!("account {username:?}")));
    }
    Ok((id, account))
}

/// Disables an account and ends its sessions.
pub async fn disable(app: &AppState, username: &str, reason: String) -> ApiResult<()> {
    let (id, _) = existing(app, username).await?;
    let spec = Account::command_by_segment("disable-account")
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no DisableAccount command")))?;
    as_system(
        app,
        spec,
        id,
        json!({ "reason": reason }),
        false,
        Some(reason),
    )
    .await?;
    auth::revoke_all(app, id).await
}

/// Sets an account's password, ends its sessions and records the change.
pub async fn set_password(app: &AppState, username: &str, password: String) -> ApiResult<()> {
    let (id, _) = existing(app, username).await?;
    auth::set_password(app, id, username, password).await?;
    crate::routes::accounts::record_password_change(app, &Actor::system(), id).await
}

/// One line per account: username, role, region, enabled, display name.
pub async fn list(app: &AppState) -> ApiResult<Vec<String>> {
    let page = crate::routes::resources::list_views(
        app,
        Account::CATEGORY,
        crate::routes::resources::ListParams {
            region: None,
            kind: None,
            status: None,
            task: None,
            tag: None,
            q: None,
            sort: None,
            limit: Some(crate::routes::resources::MAX_PAGE),
            offset: None,
            as_of: None,
        },
    )
    .await?;
    Ok(page
        .items
        .into_iter()
        .map(|item| {
            let field = |name: &str| match item.state.get(name) {
                Some(Value::String(text)) => text.clone(),
                Some(Value::Null) | None => "-".to_owned(),
                Some(other) => other.to_string(),
            };
            format!(
                "{:<16} {:<9} {:<7} {:<9} {}",
                field("username"),
                field("role"),
                field("region"),
                field("status"),
                field("display_name")
            )
        })
        .collect())
}
