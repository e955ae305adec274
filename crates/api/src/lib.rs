//! # redmud-api — the Red Mud Ledger server
//!
//! `redmud serve` puts the domain ([`redmud_domain`]) and the event store ([`redmud_store`])
//! behind an actix-web HTTP API for bureaus, finance staff and auditors:
//!
//! - [`aggregates`]: each aggregate's commands, who may run them, and the read-model rows its
//!   events leave; the one generic command pipeline.
//! - [`routes`]: thin handlers under `/api` (plus `/health`, `/metrics`).
//! - [`auth`]: accounts (events), argon2id passwords, bearer-token sessions, sign-in throttling.
//! - [`error`]: the one error type, answered as `application/problem+json`.
//! - [`openapi`]: the OpenAPI 3.1 document and the docs page.
//! - [`server`]: start, serve, stop gracefully; [`config`]: flags, env, file.
//! - [`audit`]: chain verification, the installation's Ed25519 key, signed checkpoints, evidence
//!   bundles.
//! - [`demo`]: the demo data set and accounts for `redmud serve --demo`.
//! - [`import`]: `redmud import-ledger`, a ledger CSV through the command pipeline.

pub mod accounts;
pub mod aggregates;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod config;
pub mod demo;
pub mod error;
pub mod figures;
pub mod import;
pub mod metrics;
pub mod openapi;
pub mod rebuild;
pub mod routes;
pub mod server;
pub mod state;

pub use config::Config;
pub use error::{ApiError, ApiResult};
pub use server::{RunningServer, start, start_with_store};
pub use state::AppState;
