//! The Red Mud Ledger web client (Leptos 0.8, client-side rendered, compiled to wasm32).
//!
//! The logic that needs no browser — strings in both languages ([`i18n`]), locale formatting
//! ([`format`]), the record-ledger form's checks by the domain's own rules ([`validate`]), the
//! dashboard's figures ([`stats`]), SVG charts ([`charts`]) and what each role may do ([`roles`]) —
//! builds and is unit-tested natively. The Leptos application (`app`, `api`) builds for wasm32
//! only; `scripts/build-client` turns it into static files that `redmud serve --static-dir` serves.

pub use redmud_domain as domain;

pub mod charts;
pub mod format;
pub mod forms;
pub mod i18n;
// Bases, regional plans, reports and audit pages (issue 6): their browser-free logic.
pub mod pages;
pub mod roles;
pub mod stats;
pub mod validate;

#[cfg(target_arch = "wasm32")]
mod api;
#[cfg(target_arch = "wasm32")]
mod app;

/// The entry point: mounts the application on `<body>`.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
