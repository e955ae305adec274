//! Health, metrics and the API's own documentation.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::error::ApiResult;
use crate::state::AppState;

/// `GET /health`: 200 when the database answers, with the engine and the log head.
pub async fn health(app: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let head = app.store.head().await?;
    Ok(HttpResponse::Ok().json(json!({
        "status": "ok",
        "engine": app.store.engine_name(),
        "head": { "position": head.position, "hash": hex::encode(head.hash) },
        "version": env!("CARGO_PKG_VERSION"),
    })))
}

/// `GET /metrics`: Prometheus text format.
pub async fn metrics(app: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let head = app.store.head().await?.position;
    // Read models are written in the transaction of their events: they are never behind.
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(app.metrics.render(head, head)))
}

/// `GET /api/openapi.json`.
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok().json(crate::openapi::document())
}

/// `GET /api/docs`: an interactive page over the OpenAPI document (no external assets).
pub async fn docs() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(crate::openapi::DOCS_PAGE)
}
