//! The HTTP API, from the browser (same origin, bearer token).

use gloo_net::http::{Request, RequestBuilder, Response};
use serde_json::Value;

/// A failed call: the server's problem+json, or a network failure (status 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub status: u16,
    pub code: String,
    pub title: String,
    pub detail: String,
}

impl Problem {
    fn network(error: impl std::fmt::Display) -> Problem {
        Problem {
            status: 0,
            code: "network".into(),
            title: "network".into(),
            detail: error.to_string(),
        }
    }

    /// `title: detail` for display.
    pub fn message(&self) -> String {
        match (self.title.is_empty(), self.detail.is_empty()) {
            (false, false) => format!("{} — {}", self.title, self.detail),
            (false, true) => self.title.clone(),
            _ => self.detail.clone(),
        }
    }
}

/// A successful reply: its JSON body and `ETag`.
#[derive(Debug, Clone)]
pub struct Reply {
    pub body: Value,
    pub etag: Option<String>,
}

fn auth(builder: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    match token {
        Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
        None => builder,
    }
}

async fn read(response: Response) -> Result<Reply, Problem> {
    let status = response.status();
    let etag = response.headers().get("etag");
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if (200..300).contains(&status) {
        return Ok(Reply { body, etag });
    }
    let text = |key: &str| body[key].as_str().unwrap_or_default().to_owned();
    Err(Problem {
        status,
        code: text("code"),
        title: text("title"),
        detail: text("detail"),
    })
}

/// `GET path`.
pub async fn get(path: &str, token: Option<&str>) -> Result<Reply, Problem> {
    let response = auth(Request::get(path), token)
        .send()
        .await
        .map_err(Problem::network)?;
    read(response).await
}

/// `POST path` with a JSON body (and `If-Match` when given).
pub async fn post(
    path: &str,
    token: Option<&str>,
    body: &Value,
    if_match: Option<&str>,
) -> Result<Reply, Problem> {
    let mut builder = auth(Request::post(path), token);
    if let Some(etag) = if_match {
        builder = builder.header("If-Match", etag);
    }
    let response = builder
        .json(body)
        .map_err(Problem::network)?
        .send()
        .await
        .map_err(Problem::network)?;
    read(response).await
}

/// A query string from pairs, skipping blank values.
pub fn query(pairs: &[(&str, String)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    parts.join("&")
}

fn encode(value: &str) -> String {
    // Percent-encode everything but unreserved characters (RFC 3986).
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
