//! The Red Mud Ledger web client.
//!
//! This first slice holds the client's logic that needs no browser, built and unit-tested natively
//! (and for wasm32): every string in Simplified Chinese and English ([`i18n`]), locale formatting of
//! numbers, tonnes, money, rates, periods and dates ([`format`]), the record-ledger form's checks by
//! the domain's own rules ([`validate`]), the dashboard's figures ([`stats`]), SVG charts
//! ([`charts`]) and what each role may see and do ([`roles`]). The Leptos application that uses
//! them is not landed yet (see issue 6).

pub use redmud_domain as domain;

pub mod charts;
pub mod format;
pub mod i18n;
pub mod roles;
pub mod stats;
pub mod validate;
