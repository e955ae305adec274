//! `/api/audit/…`: chain verification, signed checkpoints and evidence bundles.

use actix_web::{HttpRequest, HttpResponse, web};
use redmud_domain::Role;
use redmud_store::Position;
use serde::Deserialize;
use serde_json::json;

use crate::audit::checkpoint::{self, CheckpointError};
use crate::audit::{self as audit_mod, AuditKey};
use crate::auth::{Actor, role_name};
use crate::error::{ApiError, ApiResult};
use crate::routes::{json_body, query, typed};
use crate::state::AppState;

/// Who may read the audit endpoints.
pub const READERS: &[Role] = &[Role::Auditor, Role::Province, Role::Admin];
/// Who may sign a checkpoint on demand.
pub const SIGNERS: &[Role] = &[Role::Auditor, Role::Admin];

fn allow(actor: &Actor, roles: &[Role], what: &str) -> ApiResult<()> {
    if roles.contains(&actor.role) {
        return Ok(());
    }
    Err(ApiError::forbidden(
        "role_not_allowed",
        format!(
            "{} may not {what}: allowed for {}",
            role_name(actor.role),
            roles
                .iter()
                .map(|r| role_name(*r))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

fn key(app: &AppState) -> ApiResult<&AuditKey> {
    app.audit_key
        .get()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the audit key is not loaded")))
}

/// `?from=&to=`: an inclusive range of positions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeParams {
    pub from: Option<Position>,
    pub to: Option<Position>,
}

fn bad_range(detail: impl Into<String>) -> ApiError {
    ApiError::bad_request("bad_range", detail)
}

/// `GET /api/audit/verify[?from=&to=]`: walks the chain (or a range) and reports the first
/// failing position and why.
pub async fn verify(
    app: web::Data<AppState>,
    actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    allow(&actor, READERS, "verify the chain")?;
    let params: RangeParams = query(&request)?;
    let from = params.from.unwrap_or(1).max(1);
    if params.to.is_some_and(|to| to < from) {
        return Err(bad_range("to must not be below from"));
    }
    let start = app
        .store
        .verify_start(from)
        .await?
        .ok_or_else(|| bad_range(format!("no event at position {}", from - 1)))?;
    let started = std::time::Instant::now();
    let report = app.store.verify_range(start, params.to, |_| {}).await?;
    let head = app.store.head().await?;
    Ok(HttpResponse::Ok().json(json!({
        "intact": report.is_intact(),
        "from": from,
        "to": params.to,
        "checked": report.checked,
        "last_position": report.last_position,
        "last_hash": report.last_hash,
        "head": { "position": head.position, "hash": hex::encode(head.hash) },
        "first_failure": report.first_failure,
        "elapsed_ms": started.elapsed().as_millis() as u64,
    })))
}

/// `GET /api/audit/checkpoints[?from=&to=]`: the signed checkpoints and the public key.
pub async fn checkpoints(
    app: web::Data<AppState>,
    actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    allow(&actor, READERS, "list checkpoints")?;
    let params: RangeParams = query(&request)?;
    let list = checkpoint::list(
        &app.store,
        params.from.unwrap_or(0),
        params.to.unwrap_or(Position::MAX),
    )
    .await?;
    Ok(HttpResponse::Ok().json(json!({
        "algorithm": "ed25519",
        "public_key": key(&app)?.public_hex(),
        "message": "RMLCKP01 ‖ u64 position ‖ hash[32] ‖ i64 recorded_at ‖ i64 signed_at (big-endian)",
        "checkpoints": list,
    })))
}

/// Body of `POST /api/audit/checkpoints`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignRequest {
    /// The position to sign (default: the head).
    pub position: Option<Position>,
}

fn checkpoint_error(error: CheckpointError) -> ApiError {
    match error {
        CheckpointError::Broken { report } => ApiError::conflict(
            "chain_broken",
            format!(
                "the hash chain is broken, nothing signed: {}",
                serde_json::to_string(&report.first_failure).unwrap_or_default()
            ),
        ),
        CheckpointError::NoEvent(position) => ApiError::invalid(
            "no_such_position",
            format!("no event at position {position}"),
        ),
        CheckpointError::Store(error) => error.into(),
    }
}

/// `POST /api/audit/checkpoints`: verifies the chain up to the position and signs a checkpoint.
pub async fn sign(
    app: web::Data<AppState>,
    actor: Actor,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    allow(&actor, SIGNERS, "sign checkpoints")?;
    let body: SignRequest = typed(json_body(&app, payload).await?)?;
    let signed = checkpoint::sign_checkpoint(&app.store, key(&app)?, body.position)
        .await
        .map_err(checkpoint_error)?;
    Ok(HttpResponse::Created().json(json!({
        "public_key": key(&app)?.public_hex(),
        "checkpoint": signed,
    })))
}

/// `GET /api/audit/export[?from=&to=]`: an evidence bundle (NDJSON, `docs/evidence-bundle.md`).
pub async fn export(
    app: web::Data<AppState>,
    actor: Actor,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    allow(&actor, READERS, "export evidence")?;
    let params: RangeParams = query(&request)?;
    let head = app.store.head().await?.position;
    let from = params.from.unwrap_or(1).max(1);
    let to = params.to.unwrap_or(head);
    if head == 0 || to < from || to > head {
        return Err(bad_range(format!(
            "the range {from}..={to} is not within the log 1..={head}"
        )));
    }
    let bundle = audit_mod::export_bundle(&app.store, key(&app)?, from, to)
        .await
        .map_err(checkpoint_error)?;
    Ok(HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .insert_header((
            "content-disposition",
            format!("attachment; filename=\"redmud-evidence-{from}-{to}.ndjson\""),
        ))
        .body(bundle))
}
