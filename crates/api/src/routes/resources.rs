//! The routes every aggregate gets, written once over [`Resource`]:
//!
//! | method and path | what |
//! |---|---|
//! | `GET /api/{collection}` | the list (filters, sorting, paging, `as_of`) |
//! | `POST /api/{collection}` | the creating command → 201 + `Location` |
//! | `GET /api/{collection}/{id}` | the detail view (`as_of`), `ETag` = version |
//! | `GET /api/{collection}/{id}/history` | the instance's events with who/when/why (`as_of`) |
//! | `POST /api/{collection}/{id}/{command}` | any other command (`If-Match`, `Idempotency-Key`) |

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use redmud_domain::Region;
use redmud_domain::Role;
use redmud_store::{Position, RecordedView, SortOrder, StoreError, ViewQuery, ViewSort};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{etag, idempotency_key, if_match, json_body, parse_id, query, resolve_as_of};
use crate::aggregates::{self, CommandRequest, CommandSpec, Resource};
use crate::auth::{Actor, db};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Registers the routes of one aggregate.
pub fn routes<R: Resource>(cfg: &mut web::ServiceConfig)
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    let base = format!("/{}", R::COLLECTION);
    cfg.route(&base, web::get().to(list::<R>));
    if R::CATEGORY != "account" {
        // Accounts are created with a password: see `routes::accounts::create`.
        cfg.route(&base, web::post().to(create::<R>));
    }
    cfg.route(&format!("{base}/{{id}}"), web::get().to(detail::<R>))
        .route(
            &format!("{base}/{{id}}/history"),
            web::get().to(history::<R>),
        )
        .route(
            &format!("{base}/{{id}}/{{command}}"),
            web::post().to(command::<R>),
        );
}

/// A resource as the API shows it.
#[derive(Debug, Serialize)]
pub struct ResourceBody {
    pub id: String,
    pub version: u64,
    /// The log position at which this version became current.
    pub valid_from: Position,
    /// The position at which a later version replaced it (absent: still current, or current as of
    /// the moment asked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<Position>,
    pub state: Value,
}

impl ResourceBody {
    fn of(view: RecordedView, at: Option<Position>) -> Self {
        let valid_to = view.valid_to.filter(|to| at.is_none_or(|at| *to <= at));
        Self {
            id: view.row.key,
            version: view.row.version,
            valid_from: view.valid_from,
            valid_to,
            state: view.row.doc,
        }
    }
}

fn may_read<R: Resource>(actor: &Actor, id: Option<Uuid>) -> ApiResult<()>
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    if R::CATEGORY == "account"
        && !matches!(actor.role, Role::Admin | Role::Auditor)
        && id != Some(actor.account_id)
    {
        return Err(ApiError::forbidden(
            "role_not_allowed",
            "only administrators and auditors see other accounts",
        ));
    }
    Ok(())
}

// ----- reads ----------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AsOfQuery {
    as_of: Option<String>,
}

async fn detail<R: Resource>(
    app: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    request: HttpRequest,
) -> ApiResult<HttpResponse>
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    let id = parse_id(&path)?;
    may_read::<R>(&actor, Some(id))?;
    let params: AsOfQuery = query(&request)?;
    let at = resolve_as_of(&app, params.as_of.as_deref()).await?;
    let view = app
        .store
        .view(R::CATEGORY, &id.to_string(), at)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("{} {id}", R::NOUN)))?;
    let body = ResourceBody::of(view, at);
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(body.version)))
        .json(body))
}

/// The query of a list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// A region code; a prefecture or the province includes the regions within it.
    pub region: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub task: Option<String>,
    /// A tag: a utilization route, a designation, an enterprise kind…
    pub tag: Option<String>,
    /// Case-insensitive text within name, USCC and other searchable text.
    pub q: Option<String>,
    /// `name`, `-name`, `updated`, `-updated`, `id`, `-id`.
    pub sort: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
    pub as_of: Option<String>,
}

/// Most items in one page.
pub const MAX_PAGE: u32 = 500;

/// The code prefix that selects a region and everything within it.
pub fn region_prefix(region: Region) -> String {
    let code = region.to_string();
    let trimmed = code.trim_end_matches("00");
    if trimmed.len() < 2 {
        code[..2].to_owned()
    } else {
        trimmed.to_owned()
    }
}

async fn list<R: Resource>(
    app: web::Data<AppState>,
    actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse>
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    may_read::<R>(&actor, None)?;
    let params: ListParams = query(&request)?;
    let page = list_views(&app, R::CATEGORY, params).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One page of a list.
#[derive(Debug, Serialize)]
pub struct ListBody {
    pub items: Vec<ResourceBody>,
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
    /// The log position the list reflects (`as_of`, or the head when it was read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of_position: Option<Position>,
}

/// Lists the views of a model.
pub async fn list_views(app: &AppState, model: &str, params: ListParams) -> ApiResult<ListBody> {
    let limit = params.limit.unwrap_or(50);
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::bad_request(
            "bad_query",
            format!("limit must be between 1 and {MAX_PAGE}"),
        ));
    }
    let offset = params.offset.unwrap_or(0);
    if offset > 1_000_000_000 {
        return Err(ApiError::bad_request("bad_query", "offset too large"));
    }
    let region_prefix = params
        .region
        .as_deref()
        .map(|text| {
            text.parse::<Region>()
                .map(region_prefix)
                .map_err(|error| ApiError::bad_request("bad_query", format!("region: {error}")))
        })
        .transpose()?;
    let (sort, order) = match params.sort.as_deref().unwrap_or("name") {
        "name" => (ViewSort::SortName, SortOrder::Ascending),
        "-name" => (ViewSort::SortName, SortOrder::Descending),
        "updated" => (ViewSort::ValidFrom, SortOrder::Ascending),
        "-updated" => (ViewSort::ValidFrom, SortOrder::Descending),
        "id" => (ViewSort::Key, SortOrder::Ascending),
        "-id" => (ViewSort::Key, SortOrder::Descending),
        other => {
            return Err(ApiError::bad_request(
                "bad_query",
                format!(
                    "sort must be name, updated or id (prefixed - for descending), not {other:?}"
                ),
            ));
        }
    };
    let at = resolve_as_of(app, params.as_of.as_deref()).await?;
    let page = app
        .store
        .list_views(&ViewQuery {
            model: model.to_owned(),
            at,
            region_prefix,
            kind: params.kind,
            status: params.status,
            task: params.task,
            tag: params.tag,
            text: params.q,
            sort,
            order,
            limit,
            offset,
        })
        .await
        .map_err(|error| match error {
            // A filter the store refuses (e.g. an empty tag) is a bad query, not a bad body.
            StoreError::Invalid(invalid) => ApiError::bad_request("bad_query", invalid.to_string()),
            other => other.into(),
        })?;
    Ok(ListBody {
        items: page
            .rows
            .into_iter()
            .map(|view| ResourceBody::of(view, at))
            .collect(),
        total: page.total,
        limit,
        offset,
        as_of_position: at,
    })
}

async fn history<R: Resource>(
    app: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    request: HttpRequest,
) -> ApiResult<HttpResponse>
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    let id = parse_id(&path)?;
    may_read::<R>(&actor, Some(id))?;
    let params: AsOfQuery = query(&request)?;
    let stream = aggregates::stream_of::<R>(id)?;
    let events = match params.as_of.as_deref() {
        Some(text) => {
            app.store
                .read_stream_as_of(&stream, super::parse_as_of(text)?)
                .await?
        }
        None => aggregates::read_whole_stream(&app, &stream).await?,
    };
    if events.is_empty() {
        return Err(ApiError::not_found(format!("{} {id}", R::NOUN)));
    }
    Ok(HttpResponse::Ok().json(json!({ "id": id, "stream": stream.as_str(), "events": events })))
}

// ----- commands -------------------------------------------------------------------------------

async fn create<R: Resource>(
    app: web::Data<AppState>,
    actor: Actor,
    request: HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse>
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    let body = json_body(&app, payload).await?;
    run::<R>(&app, &actor, R::create_spec(), None, &request, body).await
}

async fn command<R: Resource>(
    app: web::Data<AppState>,
    actor: Actor,
    path: web::Path<(String, String)>,
    request: HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse>
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    let (id, segment) = path.into_inner();
    let id = parse_id(&id)?;
    let spec = R::command_by_segment(&segment)
        .ok_or_else(|| ApiError::not_found(format!("command {segment:?} of {}", R::NOUN)))?;
    let body = json_body(&app, payload).await?;
    run::<R>(&app, &actor, spec, Some(id), &request, body).await
}

/// Runs a command request end to end: role, idempotency, parsing, execution, response.
pub async fn run<R: Resource>(
    app: &AppState,
    actor: &Actor,
    spec: &'static CommandSpec,
    id: Option<Uuid>,
    request: &HttpRequest,
    mut body: Value,
) -> ApiResult<HttpResponse>
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    aggregates::authorise(actor, spec)?;
    let key = idempotency_key(request.headers())?;
    let fingerprint = fingerprint(request, &body);
    if let Some(key) = &key
        && let Some(first) = db::idempotent_response(&app.store, &actor.username, key).await?
    {
        if first.fingerprint != fingerprint {
            return Err(ApiError::invalid(
                "idempotency_key_reused",
                "this Idempotency-Key was used for a different request",
            ));
        }
        return Ok(replay(first));
    }
    let Value::Object(fields) = &mut body else {
        return Err(ApiError::invalid(
            "invalid_body",
            "the body must be a JSON object",
        ));
    };
    let reason = match fields.get("reason") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => return Err(ApiError::invalid("invalid_body", "reason must be a string")),
    };
    let creating = id.is_none();
    let id = match id {
        Some(id) => id,
        None => R::natural_id(fields)
            .or_else(|| {
                fields
                    .get(R::ID_FIELD)
                    .and_then(Value::as_str)
                    .and_then(|text| Uuid::parse_str(text).ok())
            })
            .unwrap_or_else(|| match &key {
                Some(key) => aggregates::idempotent_instance_id(actor, key),
                None => Uuid::now_v7(),
            }),
    };
    if R::CATEGORY == "regional_plan"
        && spec.name == "SubmitReport"
        && !fields.contains_key("figures")
    {
        crate::figures::freeze_report_figures(app, id, fields).await?;
    }
    let command = aggregates::parse_command::<R>(spec, body, creating.then_some(id))?;
    let command_request = CommandRequest {
        if_match: if_match(request.headers())?,
        idempotency_key: key.clone(),
        correlation_id: Some(Uuid::now_v7()),
    };
    let outcome =
        aggregates::execute::<R>(app, actor, spec, id, &command, &command_request, reason).await?;
    if R::CATEGORY == "account" && matches!(spec.name, "DisableAccount" | "ChangeRole") {
        // A disabled account, or one whose powers changed, signs in again.
        crate::auth::revoke_all(app, id).await?;
    }
    let view = aggregates::view_row(&outcome.state, id, outcome.version)?;
    let body = ResourceBody {
        id: id.to_string(),
        version: outcome.version,
        valid_from: outcome.last_position,
        valid_to: None,
        state: view.doc,
    };
    let text = serde_json::to_string(&body).map_err(ApiError::internal)?;
    let status = if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let location = format!("/api/{}/{id}", R::COLLECTION);
    if let Some(key) = &key {
        let remembered = db::IdempotentResponse {
            fingerprint,
            status: status.as_u16(),
            location: outcome.created.then(|| location.clone()),
            etag: Some(etag(outcome.version)),
            body: text.clone(),
        };
        db::remember_response(
            &app.store,
            &actor.username,
            key,
            &remembered,
            Utc::now().timestamp_micros(),
        )
        .await?;
    }
    let mut response = HttpResponse::build(status);
    response
        .insert_header((header::ETAG, etag(outcome.version)))
        .content_type("application/json");
    if outcome.created {
        response.insert_header((header::LOCATION, location));
    }
    Ok(response.body(text))
}

fn fingerprint(request: &HttpRequest, body: &Value) -> String {
    let mut hasher = Sha256::new();
    hasher.update(request.method().as_str().as_bytes());
    hasher.update([0]);
    hasher.update(request.path().as_bytes());
    hasher.update([0]);
    hasher.update(body.to_string().as_bytes());
    hex::encode(hasher.finalize())
}

fn replay(first: db::IdempotentResponse) -> HttpResponse {
    let mut response =
        HttpResponse::build(StatusCode::from_u16(first.status).unwrap_or(StatusCode::OK));
    response
        .content_type("application/json")
        .insert_header(("Idempotent-Replayed", "true"));
    if let Some(location) = first.location {
        response.insert_header((header::LOCATION, location));
    }
    if let Some(etag) = first.etag {
        response.insert_header((header::ETAG, etag));
    }
    response.body(first.body)
}
