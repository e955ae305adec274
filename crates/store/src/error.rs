//! The store's typed errors. Domain-level refusals (conflicts, bad input) are kept apart from
//! infrastructure failures, which never expose SQL to callers.

use thiserror::Error;
use uuid::Uuid;

use crate::types::{ExpectedVersion, Position, StreamId};

/// Input the store refuses before touching the database.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidInput {
    #[error("invalid stream name {name:?}: {why}")]
    StreamName { name: String, why: &'static str },
    #[error(
        "invalid effective date or period {0:?}: expected YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"
    )]
    Effective(String),
    #[error("payload number {0} is not an integer: the ledger stores exact integers only")]
    NonIntegerNumber(String),
    #[error("payload is {bytes} bytes of canonical JSON, more than the {max} allowed")]
    PayloadTooLarge { bytes: usize, max: usize },
    #[error("payload nests deeper than {max} levels")]
    PayloadTooDeep { max: usize },
    #[error("event type must be 1 to 100 printable ASCII characters, got {0:?}")]
    EventType(String),
    #[error("metadata field {field} must be 1 to 1,000 bytes and not blank")]
    MetadataField { field: &'static str },
    #[error("an append must carry at least one event (stream {0})")]
    EmptyAppend(StreamId),
    #[error("event {0} appears twice in one append")]
    DuplicateEventInBatch(Uuid),
    #[error("stream {0} appears twice in one batch")]
    DuplicateStreamInBatch(StreamId),
    #[error("a batch must contain at least one stream append")]
    EmptyBatch,
    #[error(
        "a read-model update of stream {stream} follows event {after}, but the append has {events}"
    )]
    ViewAfter {
        stream: StreamId,
        after: usize,
        events: usize,
    },
    #[error("read-model field {field} is empty or too long")]
    ViewField { field: &'static str },
    #[error("read-model tag {0:?} must be 1 to 1,000 bytes without whitespace")]
    ViewTag(String),
}

/// Everything an event store operation can fail with.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error(transparent)]
    Invalid(#[from] InvalidInput),

    #[error(
        "wrong expected version on stream {stream}: expected {expected}, actual version {actual}"
    )]
    WrongExpectedVersion {
        stream: StreamId,
        expected: ExpectedVersion,
        actual: u64,
    },

    #[error("event id {event_id} was already used for a different event (at position {position})")]
    EventIdReused { event_id: Uuid, position: Position },

    #[error("stored event at position {position} cannot be decoded: {detail}")]
    Corrupt { position: Position, detail: String },

    #[error("upcaster for {event_type} v{schema_version} failed: {detail}")]
    Upcast {
        event_type: String,
        schema_version: u32,
        detail: String,
    },

    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://…")]
    UnsupportedUrl(String),

    #[error("the group commit failed")]
    WriteFailed(#[source] std::sync::Arc<StoreError>),

    #[error("the store's writer has stopped")]
    WriterStopped,

    #[error("database error")]
    Database(#[source] sqlx::Error),

    #[error("migration failed")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(error)
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        Self::Migrate(error)
    }
}

impl StoreError {
    /// Whether a retry of the same command may succeed after re-reading (a concurrency conflict).
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::WrongExpectedVersion { .. })
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
