//! The log itself: `GET /api/events` (a page of events from a position, filtered) and
//! `GET /api/events/stream` (Server-Sent Events: catch-up from a position, then live).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use redmud_store::{Filter, Position, RecordedEvent};
use serde::{Deserialize, Serialize};

use super::query;
use crate::auth::{self, Actor};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Query of `GET /api/events`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsParams {
    /// First position (inclusive); default 1.
    pub from: Option<Position>,
    /// Stream categories, comma-separated (`enterprise,project`).
    pub category: Option<String>,
    /// Event types, comma-separated.
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    /// Only events by this actor (username).
    pub actor: Option<String>,
    /// Recorded at or after.
    pub since: Option<DateTime<Utc>>,
    /// Recorded before.
    pub until: Option<DateTime<Utc>>,
    /// At most this many events (1–1000, default 100).
    pub limit: Option<u32>,
}

/// A page of events.
#[derive(Debug, Serialize)]
pub struct EventsPage {
    pub events: Vec<RecordedEvent>,
    /// Where the next page starts (`from`), absent when the log was read to its end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_from: Option<Position>,
    /// The head of the log when read.
    pub head: Position,
}

fn split(list: Option<&str>) -> Vec<String> {
    list.map(|text| {
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

pub async fn list(
    app: web::Data<AppState>,
    _actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    let params: EventsParams = query(&request)?;
    let limit = params.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_request(
            "bad_query",
            "limit must be between 1 and 1000",
        ));
    }
    let filter = Filter {
        categories: split(params.category.as_deref()),
        event_types: split(params.event_type.as_deref()),
    };
    let head = app.store.head().await?.position;
    let mut from = params.from.unwrap_or(1).max(1);
    let mut events = Vec::new();
    // Actor and time filters are applied here; scan at most a bounded number of pages per request.
    let mut scanned_pages = 0;
    let next_from = loop {
        let page = app.store.read_all(from, &filter, 1_000).await?;
        let full = page.len() == 1_000;
        let mut next = None;
        for event in page {
            from = event.position + 1;
            let by_actor = params
                .actor
                .as_deref()
                .is_none_or(|actor| event.metadata.actor_id == actor);
            let in_time = params.since.is_none_or(|since| event.recorded_at >= since)
                && params.until.is_none_or(|until| event.recorded_at < until);
            if by_actor && in_time {
                events.push(event);
                if events.len() == limit as usize {
                    next = Some(from);
                    break;
                }
            }
        }
        scanned_pages += 1;
        if next.is_some() {
            break next;
        }
        if !full {
            break None;
        }
        if scanned_pages >= 20 {
            break Some(from);
        }
    };
    Ok(HttpResponse::Ok().json(EventsPage {
        events,
        next_from: next_from.filter(|next| *next <= head),
        head,
    }))
}

/// Query of `GET /api/events/stream`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamParams {
    /// First position to send (inclusive); default: the next event committed. `Last-Event-ID`
    /// (the last position received) takes precedence, so a reconnecting client resumes.
    pub from: Option<Position>,
    pub category: Option<String>,
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    /// The bearer token, for clients (like the browser's EventSource) that cannot send headers.
    pub access_token: Option<String>,
}

/// Server-Sent Events: every matching event from `from`, then each new one as it commits. Each
/// message has `id` = position, `event` = the event type, `data` = the event as JSON.
pub async fn stream(app: web::Data<AppState>, request: HttpRequest) -> ApiResult<HttpResponse> {
    let params: StreamParams = query(&request)?;
    let _actor = match (
        &params.access_token,
        request.headers().get(header::AUTHORIZATION),
    ) {
        (Some(token), None) => auth::authenticate(&app, token).await?,
        _ => {
            use actix_web::FromRequest;
            Actor::extract(&request).await?
        }
    };
    let last_event_id = request
        .headers()
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<Position>().ok());
    let after = match (last_event_id, params.from) {
        (Some(last), _) => last,
        (None, Some(from)) => from.saturating_sub(1),
        (None, None) => app.store.head().await?.position,
    };
    let filter = Filter {
        categories: split(params.category.as_deref()),
        event_types: split(params.event_type.as_deref()),
    };
    let events = app.store.subscribe(after, filter).map(|item| {
        let bytes = match item {
            Ok(event) => {
                let data = serde_json::to_string(&event).unwrap_or_else(|_| "{}".to_owned());
                format!(
                    "id: {}\nevent: {}\ndata: {data}\n\n",
                    event.position, event.event_type
                )
            }
            Err(error) => {
                tracing::error!(error = %crate::error::error_chain(&error), "event stream failed");
                "event: error\ndata: {\"code\":\"internal\"}\n\n".to_owned()
            }
        };
        Ok::<_, actix_web::Error>(web::Bytes::from(bytes))
    });
    let opening = futures_util::stream::once(async {
        Ok::<_, actix_web::Error>(web::Bytes::from_static(
            b": redmud event stream\nretry: 2000\n\n",
        ))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(opening.chain(events)))
}
