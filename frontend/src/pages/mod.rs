//! The browser-free logic of the bases, regional plans, reports and audit pages (issue 6), with
//! native unit tests: the reports' table specifications and cell formatting ([`table`]), CSV and
//! download helpers ([`download`]), the audit tools' query strings and stream links ([`query`]) and
//! the presentation of a diff between two moments ([`diff`]).
//!
//! The Leptos components that use them live in `pages/ui/` and are a child module of `app` (so
//! they share its context, fetch helpers and timeline); they build for wasm32 only.

pub mod diff;
pub mod download;
pub mod labels;
pub mod query;
pub mod table;
