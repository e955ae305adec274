//! The HTTP routes under `/api` and the few outside it (`/health`, `/metrics`).
//!
//! Handlers are thin: they read the request (body, query, `If-Match`, `Idempotency-Key`), call
//! [`crate::aggregates`] or the store, and shape the response. Every failure is an
//! [`ApiError`] (problem+json).

pub mod accounts;
pub mod audit;
pub mod audit_review;
pub mod events;
pub mod reference;
pub mod reports;
pub mod resources;
pub mod system;
pub mod web_client;

use actix_web::http::header::{self, HeaderMap};
use actix_web::web;
use futures_util::StreamExt;
use redmud_domain::account::Account;
use redmud_domain::{Base, Enterprise, Project, RegionalPlan};
use redmud_store::{AsOf, Position};
use serde_json::Value;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/health", web::get().to(system::health))
        .route("/metrics", web::get().to(system::metrics))
        .service(
            web::scope("/api")
                .route("/openapi.json", web::get().to(system::openapi))
                .route("/docs", web::get().to(system::docs))
                .route("/auth/login", web::post().to(accounts::login))
                .route("/auth/logout", web::post().to(accounts::logout))
                .route("/auth/me", web::get().to(accounts::me))
                .route(
                    "/accounts/{id}/password",
                    web::post().to(accounts::set_password),
                )
                .route("/accounts", web::post().to(accounts::create))
                .route("/events", web::get().to(events::list))
                .route("/events/stream", web::get().to(events::stream))
                .route("/audit/verify", web::get().to(audit::verify))
                .route("/audit/checkpoints", web::get().to(audit::checkpoints))
                .route("/audit/checkpoints", web::post().to(audit::sign))
                .route("/audit/export", web::get().to(audit::export))
                .configure(audit_review::routes)
                .configure(resources::routes::<Enterprise>)
                .configure(resources::routes::<Project>)
                .configure(resources::routes::<Base>)
                .configure(resources::routes::<RegionalPlan>)
                .configure(resources::routes::<Account>)
                .configure(reports::routes)
                .configure(reference::routes)
                .default_service(web::to(not_found)),
        );
}

async fn not_found(request: actix_web::HttpRequest) -> ApiResult<actix_web::HttpResponse> {
    Err(ApiError::not_found(format!(
        "route {} {}",
        request.method(),
        request.path()
    )))
}

/// Reads a JSON body of at most the configured size; malformed JSON (including invalid UTF-8
/// and nesting deeper than 128) is a 400, a body too large a 413.
pub async fn json_body(app: &AppState, mut payload: web::Payload) -> ApiResult<Value> {
    let limit = app.config.max_body_bytes;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad_request("unreadable_body", e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    if body.is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(&body).map_err(|error| {
        ApiError::bad_request("malformed_json", format!("malformed JSON: {error}"))
    })
}

/// Parses a body field-by-field into a typed request (unknown fields refused by the type).
pub fn typed<T: serde::de::DeserializeOwned>(body: Value) -> ApiResult<T> {
    serde_json::from_value(body)
        .map_err(|error| ApiError::invalid("invalid_body", error.to_string()))
}

/// Parses an id from the path.
pub fn parse_id(text: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(text).map_err(|_| ApiError::not_found(format!("id {text:?}")))
}

/// `If-Match: "3"` (also `W/"3"` or `3`).
pub fn if_match(headers: &HeaderMap) -> ApiResult<Option<u64>> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let bad = || ApiError::bad_request("bad_if_match", "If-Match must be the ETag, e.g. \"3\"");
    let text = value.to_str().map_err(|_| bad())?.trim();
    let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    text.parse().map(Some).map_err(|_| bad())
}

/// `Idempotency-Key`: 1 to 200 visible ASCII characters.
pub fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let bad = || {
        ApiError::bad_request(
            "bad_idempotency_key",
            "Idempotency-Key must be 1 to 200 visible ASCII characters",
        )
    };
    let text = value.to_str().map_err(|_| bad())?;
    if text.is_empty() || text.len() > 200 || !text.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad());
    }
    Ok(Some(text.to_owned()))
}

/// The ETag of a version.
pub fn etag(version: u64) -> String {
    format!("\"{version}\"")
}

/// Parses `as_of`: a global position (digits) or an RFC 3339 time.
pub fn parse_as_of(text: &str) -> ApiResult<AsOf> {
    if let Ok(position) = text.parse::<Position>() {
        return Ok(AsOf::Position(position));
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|time| AsOf::Time(time.with_timezone(&chrono::Utc)))
        .map_err(|_| {
            ApiError::bad_request(
                "bad_as_of",
                format!("as_of must be a log position or an RFC 3339 time, not {text:?}"),
            )
        })
}

/// The log position of an optional `as_of`.
pub async fn resolve_as_of(app: &AppState, as_of: Option<&str>) -> ApiResult<Option<Position>> {
    match as_of {
        None => Ok(None),
        Some(text) => Ok(Some(app.store.resolve(parse_as_of(text)?).await?)),
    }
}

/// Parses a query string into `T`, refusing unknown parameters.
pub fn query<T: serde::de::DeserializeOwned>(request: &actix_web::HttpRequest) -> ApiResult<T> {
    web::Query::<T>::from_query(request.query_string())
        .map(web::Query::into_inner)
        .map_err(|error| ApiError::bad_request("bad_query", error.to_string()))
}
