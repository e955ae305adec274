//! The action plan's reports, computed from read-model rows (never by replaying the log).
//!
//! Every report has two kinds of time:
//!
//! - **as of** (recorded time): the rows are read with [`redmud_store::ViewQuery::at`], so a
//!   report as of position *p* sees exactly the rows that were valid at *p* — a correction
//!   recorded after *p* is invisible.
//! - **the period axis** (effective time): figures are placed in the period they are *about*;
//!   a Q1 ledger corrected in Q3 counts in Q1 (with its corrected value when read as of now, its
//!   original value when read as of Q2).
//!
//! Computation is split into loading ([`load`], async, store rows → typed rows) and pure
//! functions over typed rows ([`balance`], [`targets`], [`projects`], [`funding`], [`tax`],
//! [`matching`]; shared shapes in [`table`]), which are unit-tested without a database.
//! [`csv`] renders any report as RFC 4180 CSV.

pub mod balance;
pub mod bases;
pub mod csv;
#[cfg(test)]
mod fixtures;
pub mod funding;
pub mod load;
pub mod matching;
pub mod projects;
pub mod regional;
pub mod table;
pub mod targets;
pub mod tasks;
pub mod tax;
pub mod typical_cases;

pub use balance::{
    BalanceLine, BalanceParams, BalanceReport, GroupBy, LedgerRow, Rate, StockBaselineRow,
    balance_report,
};
pub use targets::{PlanRow, TargetsParams, TargetsReport, targets_report};
pub use tasks::{LineCache, RenderedLine, TasksParams, TasksReport, render_lines, tasks_report};
pub use typical_cases::{TypicalCaseLine, typical_cases_report};

/// Why a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] redmud_store::StoreError),
    /// A read-model row did not decode (a bug or an unmigrated row).
    #[error("read-model row {model}/{key} does not decode")]
    BadRow {
        /// The model.
        model: String,
        /// The row key.
        key: String,
        /// What went wrong.
        #[source]
        source: serde_json::Error,
    },
    /// A sum beyond the representable mass.
    #[error(transparent)]
    Mass(#[from] redmud_domain::MassError),
    /// A sum beyond the representable amount of money (or a balance below zero).
    #[error(transparent)]
    Money(#[from] redmud_domain::MoneyError),
    /// A year outside the calendar the domain's periods cover.
    #[error(transparent)]
    Period(#[from] redmud_domain::PeriodError),
    /// A line did not render as JSON (a bug).
    #[error("a report line did not render")]
    Render(#[source] serde_json::Error),
}
