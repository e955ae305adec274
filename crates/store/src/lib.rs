//! Red Mud Ledger's event store: EventStoreDB-style streams over sqlx, on SQLite (the embedded
//! default) and PostgreSQL (production), with a SHA-256 hash chain over every event.
//!
//! - Streams are named `<category>-<id>` ([`StreamId`]); versions start at 1; appends carry an
//!   [`ExpectedVersion`] and fail with [`StoreError::WrongExpectedVersion`] when it does not hold.
//! - One global [`Position`], gap-free and in commit order on both engines, also with several
//!   processes writing to one PostgreSQL database: every writer locks the chain head first.
//! - Every event carries its id (UUIDv7; re-appending the same id is an idempotent no-op), type,
//!   schema version, canonical JSON payload, `recorded_at`, optional effective date/period and
//!   [`Metadata`] (actor, role, organisation, reason, correlation, causation, idempotency key).
//! - Concurrent appends are committed together (group commit): one transaction, one fsync.
//! - Reads: streams forward/backward, as of a position or time, the whole log filtered by category
//!   and type, and catch-up subscriptions ([`EventStore::subscribe`]).
//! - Replay ([`EventStore::replay`]): the events `read_all` would return, up to the head when the
//!   replay starts, folded by a callback that sees each event borrowed ([`EventView`]: payload as
//!   JSON text for a typed `Deserialize`) from pages of reused buffers, read on one thread while
//!   the fold runs on another.
//! - [`EventStore::verify`] walks the chain; `docs/event-format.md` specifies the encoding.
//! - Read models (`docs/read-models.md`): versioned rows the caller computes and the store writes
//!   in the append's transaction ([`StreamAppend::with_views`]). A [`ViewUpdate`] after event `i`
//!   takes effect at that event's position `p`: the current row of its `(model, key)` gets
//!   `valid_to = p` and an upserted row `valid_from = p`. A row was current at `p` when
//!   `valid_from <= p < valid_to` (`valid_to` NULL: current), which [`EventStore::view`] and
//!   [`EventStore::list_views`] (filters, sort, paging, total) answer for any past position.
//!   Refused appends and idempotent retries write no rows. [`EventStore::rebuild_views`] recomputes
//!   every row from the log under the head lock; rows written by appends equal a rebuild's.

mod cache;
pub mod canonical;
pub mod decoded;
pub mod engine;
mod error;
mod heads;
mod replay;
mod store;
mod types;
mod upcast;
pub mod verify;
mod views;
mod writer;

pub use cache::{ExecuteError, Executed, StateCache, expected_at};
pub use canonical::{GENESIS_HASH, canonical_json};
pub use decoded::{DecodedRows, DecodedViewsError};
pub use engine::{EnginePool, Head, RowSink, RowsEnd, StorageEngine, StoredEvent};
pub use error::{InvalidInput, Result, StoreError};
pub use replay::{EventView, ReplayError};
pub use store::{EventStore, StoreOptions, redact};
pub use types::{
    AppendResult, AsOf, Direction, Effective, ExpectedVersion, Filter, Metadata, NewEvent,
    Position, RecordedEvent, Snapshot, StreamAppend, StreamId,
};
pub use upcast::{Upcasted, Upcasters};
pub use verify::{ChainFailure, ChainFault, ChainVerifier, VerifyReport, VerifyStart};
pub use views::{
    MAX_VIEW_PAGE, RebuildError, RebuildReport, RecordedView, SortOrder, StoredView, ViewChange,
    ViewClose, ViewDoc, ViewHead, ViewPage, ViewQuery, ViewRow, ViewSort, ViewSpan, ViewUpdate,
    ViewWrites,
};
