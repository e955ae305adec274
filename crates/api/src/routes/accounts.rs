//! Sign-in, sign-out, the caller's own account, and account creation and passwords (admin).

use actix_web::{HttpRequest, HttpResponse, web};
use redmud_domain::Role;
use redmud_domain::account::Account;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{json_body, parse_id, typed};
use crate::aggregates::{self, Resource};
use crate::auth::{self, Actor};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    username: String,
    password: String,
}

pub async fn login(app: web::Data<AppState>, payload: web::Payload) -> ApiResult<HttpResponse> {
    let body: LoginBody = typed(json_body(&app, payload).await?)?;
    let login = auth::login(&app, body.username.trim(), &body.password).await?;
    Ok(HttpResponse::Ok().json(login))
}

pub async fn logout(app: web::Data<AppState>, actor: Actor) -> ApiResult<HttpResponse> {
    auth::logout(&app, &actor).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn me(actor: Actor) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(actor))
}

/// `POST /api/accounts`: the fields of `CreateAccount` plus `password`.
pub async fn create(
    app: web::Data<AppState>,
    actor: Actor,
    request: HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    // Who may create accounts is decided before anything in the body is looked at.
    aggregates::authorise(&actor, Account::create_spec())?;
    let mut body = json_body(&app, payload).await?;
    let password = take_password(&mut body)?;
    auth::check_new_password(&password)?;
    let username = body
        .get("username")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::invalid("invalid_body", "missing field `username`"))?
        .to_owned();
    let response = super::resources::run::<Account>(
        &app,
        &actor,
        Account::create_spec(),
        None,
        &request,
        body,
    )
    .await?;
    if response.status().is_success() {
        auth::set_password(&app, auth::account_id(&username), &username, password).await?;
    }
    Ok(response)
}

fn take_password(body: &mut Value) -> ApiResult<String> {
    match body
        .as_object_mut()
        .and_then(|fields| fields.remove("password"))
    {
        Some(Value::String(password)) => Ok(password),
        Some(_) => Err(ApiError::invalid(
            "invalid_body",
            "password must be a string",
        )),
        None => Err(ApiError::invalid(
            "invalid_body",
            "missing field `password`",
        )),
    }
}

/// `POST /api/accounts/{id}/password`: an admin sets anyone's password, a user their own (with
/// the current one). Every session of the account ends; the change is recorded as an event
/// (without the password).
pub async fn set_password(
    app: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        password: String,
        current_password: Option<String>,
    }
    let id = parse_id(&path)?;
    let body: Body = typed(json_body(&app, payload).await?)?;
    let (version, account) = aggregates::load::<Account>(&app, id, None).await?;
    let Some(username) = account
        .username()
        .map(|u| u.to_string())
        .filter(|_| version > 0)
    else {
        return Err(ApiError::not_found(format!("account {id}")));
    };
    if actor.role != Role::Admin {
        if actor.account_id != id {
            return Err(ApiError::forbidden(
                "role_not_allowed",
                "only an administrator sets another account's password",
            ));
        }
        let current = body.current_password.clone().unwrap_or_default();
        let stored = auth::db::credential(&app.store, &username).await?;
        let ok = match stored {
            Some(stored) => auth::verify_password(current, stored.password_hash).await?,
            None => false,
        };
        if !ok {
            return Err(ApiError::forbidden(
                "bad_credentials",
                "the current password is wrong",
            ));
        }
    }
    auth::set_password(&app, id, &username, body.password).await?;
    record_password_change(&app, &actor, id).await?;
    Ok(HttpResponse::Ok().json(json!({ "id": id, "password_changed": true })))
}

/// Records that an account's password changed (the event carries no secret).
pub async fn record_password_change(
    app: &AppState,
    actor: &Actor,
    id: uuid::Uuid,
) -> ApiResult<()> {
    let command = redmud_domain::account::AccountCommand::RecordPasswordChange {
        changed_on: aggregates::today(),
    };
    static SPEC: aggregates::CommandSpec = aggregates::CommandSpec {
        name: "RecordPasswordChange",
        summary: "Record that the password changed",
        roles: &[
            Role::Admin,
            Role::Province,
            Role::Bureau,
            Role::Finance,
            Role::Auditor,
        ],
        fills: &[],
    };
    aggregates::execute::<Account>(
        app,
        actor,
        &SPEC,
        id,
        &command,
        &aggregates::CommandRequest::default(),
        None,
    )
    .await?;
    Ok(())
}
