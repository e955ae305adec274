//! End-to-end tests of the HTTP API: the real server on a random port, against a fresh SQLite
//! file and a fresh PostgreSQL database (`REDMUD_TEST_DATABASE_URL`), driven over HTTP.

#[path = "../../crates/store/tests/common/mod.rs"]
mod common;
mod harness;

mod access;
mod accounts;
mod as_of;
mod audit;
mod audit_review;
mod backup;
mod browser;
mod browser_forms;
mod browser_keyboard;
mod browser_pages;
mod browser_plan;
mod commands;
mod demo;
mod errors;
mod events;
mod fuzz;
mod hostile;
mod openapi;
mod plan;
mod rebuild;
mod reports;
mod reports_plan;
mod reports_regional;
