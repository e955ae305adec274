//! The Red Mud Ledger web client.
//!
//! The Leptos application arrives with issue 6; today this crate only proves that the client side
//! shares the domain crate's types (it builds for `wasm32-unknown-unknown`).

pub use redmud_domain as domain;
