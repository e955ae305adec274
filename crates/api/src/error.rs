//! One error type for the whole HTTP surface, answered as `application/problem+json` (RFC 9457).
//!
//! Every problem carries a stable machine-readable `code`, a human `title` and `detail`, and for
//! domain rule violations the `rule` and the offending `values`. Storage failures are logged with
//! their cause chain under the request id and answered as a bare 500/503 with that id: no SQL text,
//! stack or panic message ever reaches a client.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use redmud_store::StoreError;
use serde::Serialize;
use serde_json::{Value, json};

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed: unparseable JSON, a bad query string or header.
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    /// The request is well-formed but its content is invalid (unknown field, wrong type, bad
    /// USCC, a missing reason…).
    #[error("{detail}")]
    Invalid { code: &'static str, detail: String },
    /// A domain rule refused the command.
    #[error("{detail}")]
    Rejected {
        /// The aggregate whose rule refused it (`enterprise`, `project`, …).
        aggregate: &'static str,
        /// The rule, e.g. `PeriodNotEnded`.
        rule: String,
        /// The values the rule names.
        values: Value,
        detail: String,
    },
    /// No or an invalid/expired/revoked token.
    #[error("{detail}")]
    Unauthorized { code: &'static str, detail: String },
    /// The actor's role or region does not allow this.
    #[error("{detail}")]
    Forbidden { code: &'static str, detail: String },
    /// No such resource (or not as of the moment asked).
    #[error("{what} not found")]
    NotFound { what: String },
    /// The resource changed since the client read it (`If-Match`).
    #[error("the resource is at version {actual}, not {expected}")]
    PreconditionFailed { expected: u64, actual: u64 },
    /// A conflicting write: the aggregate already exists, an idempotency key reused for another
    /// request, persistent concurrent updates.
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    /// The body exceeds the limit.
    #[error("the request body exceeds {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// Too many failed sign-ins.
    #[error("too many failed sign-ins; retry in {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    /// The database is unreachable or overloaded; retrying may help.
    #[error("service unavailable")]
    Unavailable {
        request_id: String,
        #[source]
        source: Option<StoreError>,
    },
    /// A bug or an unexpected storage failure. Logged with its cause; the client sees only the id.
    #[error("internal error")]
    Internal {
        request_id: String,
        #[source]
        source: Option<anyhow::Error>,
    },
}

/// The JSON body of a problem.
#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub code: String,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ApiError {
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            detail: detail.into(),
        }
    }

    pub fn invalid(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Invalid {
            code,
            detail: detail.into(),
        }
    }

    pub fn forbidden(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Forbidden {
            code,
            detail: detail.into(),
        }
    }

    pub fn unauthorized(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Unauthorized {
            code,
            detail: detail.into(),
        }
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            detail: detail.into(),
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound { what: what.into() }
    }

    /// A domain error: its `rule` and `values` come from the error's serde form
    /// (`{"rule": …, "values": …}`), its detail from its `Display`.
    pub fn rejected<E: std::error::Error + Serialize>(aggregate: &'static str, error: &E) -> Self {
        let (rule, values) = match serde_json::to_value(error) {
            Ok(Value::Object(mut map)) => (
                match map.remove("rule") {
                    Some(Value::String(rule)) => rule,
                    _ => "Unknown".to_owned(),
                },
                map.remove("values").unwrap_or(Value::Null),
            ),
            Ok(Value::String(rule)) => (rule, Value::Null),
            _ => ("Unknown".to_owned(), Value::Null),
        };
        Self::Rejected {
            aggregate,
            rule,
            values,
            detail: error.to_string(),
        }
    }

    /// A storage failure: logged with its cause chain, answered without it.
    pub fn storage(error: StoreError) -> Self {
        let request_id = new_request_id();
        if is_unavailable(&error) {
            tracing::warn!(request_id, error = %error_chain(&error), "database unavailable");
            return Self::Unavailable {
                request_id,
                source: Some(error),
            };
        }
        tracing::error!(request_id, error = %error_chain(&error), "storage failure");
        Self::Internal {
            request_id,
            source: Some(error.into()),
        }
    }

    /// An unexpected failure: logged with its cause chain, answered without it.
    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        let error = error.into();
        let request_id = new_request_id();
        tracing::error!(request_id, error = %format!("{error:#}"), "internal error");
        Self::Internal {
            request_id,
            source: Some(error),
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> String {
        match self {
            Self::BadRequest { code, .. }
            | Self::Invalid { code, .. }
            | Self::Unauthorized { code, .. }
            | Self::Forbidden { code, .. }
            | Self::Conflict { code, .. } => (*code).to_owned(),
            Self::Rejected { .. } => "rule_violated".to_owned(),
            Self::NotFound { .. } => "not_found".to_owned(),
            Self::PreconditionFailed { .. } => "stale_version".to_owned(),
            Self::PayloadTooLarge { .. } => "payload_too_large".to_owned(),
            Self::TooManyRequests { .. } => "too_many_attempts".to_owned(),
            Self::Unavailable { .. } => "unavailable".to_owned(),
            Self::Internal { .. } => "internal".to_owned(),
        }
    }

    fn title(&self) -> &'static str {
        match self {
            Self::BadRequest { .. } => "Malformed request",
            Self::Invalid { .. } => "Invalid request",
            Self::Rejected { .. } => "Refused by a rule of the action plan",
            Self::Unauthorized { .. } => "Authentication required",
            Self::Forbidden { .. } => "Not allowed for this account",
            Self::NotFound { .. } => "Not found",
            Self::PreconditionFailed { .. } => "Changed since you read it",
            Self::Conflict { .. } => "Conflict",
            Self::PayloadTooLarge { .. } => "Request body too large",
            Self::TooManyRequests { .. } => "Too many attempts",
            Self::Unavailable { .. } => "Service unavailable",
            Self::Internal { .. } => "Internal error",
        }
    }

    /// The problem document.
    pub fn problem(&self) -> Problem {
        let code = self.code();
        let (aggregate, rule, values, request_id) = match self {
            Self::Rejected {
                aggregate,
                rule,
                values,
                ..
            } => (
                Some(*aggregate),
                Some(rule.clone()),
                Some(values.clone()),
                None,
            ),
            Self::PreconditionFailed { expected, actual } => (
                None,
                None,
                Some(json!({ "expected": expected, "actual": actual })),
                None,
            ),
            Self::Internal { request_id, .. } | Self::Unavailable { request_id, .. } => {
                (None, None, None, Some(request_id.clone()))
            }
            _ => (None, None, None, None),
        };
        let detail = match self {
            Self::Internal { request_id, .. } => {
                format!("an unexpected error occurred; quote request id {request_id}")
            }
            Self::Unavailable { request_id, .. } => {
                format!("the database is unavailable; retry later (request id {request_id})")
            }
            other => other.to_string(),
        };
        Problem {
            kind: format!("/api/problems/{code}"),
            title: self.title(),
            status: self.status_code().as_u16(),
            code,
            detail,
            aggregate,
            rule,
            values,
            request_id,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Invalid { .. } | Self::Rejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::NotFound { .. } => StatusCode::NOT_FOUND,
            Self::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        match self {
            Self::Unauthorized { .. } => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"redmud\""));
            }
            Self::TooManyRequests { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            _ => {}
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_else(|_| b"{}".to_vec());
        response.body(body)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::WrongExpectedVersion {
                expected, actual, ..
            } => Self::Conflict {
                code: "concurrent_update",
                detail: format!(
                    "another change was recorded first (expected {expected:?}, stream is at {actual}); retry"
                ),
            },
            StoreError::EventIdReused { .. } => Self::conflict(
                "idempotency_key_reused",
                "this idempotency key was already used for a different command",
            ),
            StoreError::Invalid(invalid) => Self::invalid("invalid_input", invalid.to_string()),
            other => Self::storage(other),
        }
    }
}

fn is_unavailable(error: &StoreError) -> bool {
    use std::error::Error as _;
    let mut cause: Option<&(dyn std::error::Error + 'static)> = error.source();
    while let Some(current) = cause {
        if let Some(sqlx_error) = current.downcast_ref::<sqlx::Error>() {
            return matches!(
                sqlx_error,
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
            );
        }
        cause = current.source();
    }
    false
}

/// `error: cause: cause…`, for logs.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(current) = cause {
        text.push_str(": ");
        text.push_str(&current.to_string());
        cause = current.source();
    }
    text
}

/// A fresh id for correlating a failed request with the server log.
pub fn new_request_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

pub type ApiResult<T> = Result<T, ApiError>;
