//! The event envelope: what every event in the store carries.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

use crate::error::InvalidInput;
use crate::views::ViewUpdate;

/// A gap-free, 1-based global position in the log (commit order).
pub type Position = u64;

/// Name of a stream: `<category>-<id>`, e.g. `enterprise-0190…`.
///
/// The category is everything before the first `-`; it is made of lowercase ASCII letters, digits and
/// `_`, starts with a letter, and is at most 64 bytes long. The id part is non-empty, printable ASCII
/// without whitespace. A stream name is at most 200 bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StreamId(String);

impl StreamId {
    /// Parses and validates a stream name.
    pub fn new(name: impl Into<String>) -> Result<Self, InvalidInput> {
        let name = name.into();
        match stream_name_fault(&name) {
            Some(why) => Err(InvalidInput::StreamName { name, why }),
            None => Ok(Self(name)),
        }
    }

    /// The stream of an aggregate: `<category>-<uuid>`.
    pub fn for_aggregate(category: &str, id: Uuid) -> Result<Self, InvalidInput> {
        Self::new(format!("{category}-{id}"))
    }

    /// The category: the part before the first `-`.
    pub fn category(&self) -> &str {
        self.0.split_once('-').map_or(self.0.as_str(), |(c, _)| c)
    }

    /// The id: the part after the first `-`.
    pub fn id(&self) -> &str {
        self.0.split_once('-').map_or("", |(_, id)| id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why `name` is not a valid stream name; `None`: it is one (the rules of [`StreamId::new`]).
pub(crate) fn stream_name_fault(name: &str) -> Option<&'static str> {
    if name.len() > 200 {
        return Some("longer than 200 bytes");
    }
    let Some((category, id)) = name.split_once('-') else {
        return Some("has no '-' between category and id");
    };
    if !is_category(category) {
        return Some("category must be [a-z][a-z0-9_]{0,63}");
    }
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Some("id must be non-empty printable ASCII without spaces");
    }
    None
}

pub(crate) fn is_category(category: &str) -> bool {
    let bytes = category.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for StreamId {
    type Error = InvalidInput;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<StreamId> for String {
    fn from(value: StreamId) -> Self {
        value.0
    }
}

impl AsRef<str> for StreamId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// What the writer expects the stream's current version to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "version")]
pub enum ExpectedVersion {
    /// No check: append at whatever the version is.
    Any,
    /// The stream must not exist yet.
    NoStream,
    /// The stream's last version must be exactly this (≥ 1).
    Exact(u64),
}

impl ExpectedVersion {
    /// Whether `actual` (0 = no stream) satisfies the expectation.
    pub fn accepts(self, actual: u64) -> bool {
        match self {
            Self::Any => true,
            Self::NoStream => actual == 0,
            Self::Exact(v) => actual == v,
        }
    }
}

impl fmt::Display for ExpectedVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Any => f.write_str("any"),
            Self::NoStream => f.write_str("no stream"),
            Self::Exact(v) => write!(f, "version {v}"),
        }
    }
}

/// The date or period an event is *about* (its effective time), in canonical text:
/// `YYYY`, `YYYY-Qn`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Effective(String);

impl Effective {
    pub fn new(text: impl Into<String>) -> Result<Self, InvalidInput> {
        let text = text.into();
        if effective_is_valid(&text) {
            Ok(Self(text))
        } else {
            Err(InvalidInput::Effective(text))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub(crate) fn effective_is_valid(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 if b[5] == b'Q' => digits(0..4) && b[4] == b'-' && (b'1'..=b'4').contains(&b[6]),
        7 => {
            digits(0..4)
                && b[4] == b'-'
                && digits(5..7)
                && matches!(text[5..7].parse::<u32>(), Ok(1..=12))
        }
        10 => {
            digits(0..4)
                && b[4] == b'-'
                && digits(5..7)
                && b[7] == b'-'
                && digits(8..10)
                && NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
        }
        _ => false,
    }
}

impl fmt::Display for Effective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Effective {
    type Error = InvalidInput;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Effective> for String {
    fn from(value: Effective) -> Self {
        value.0
    }
}

/// Who did it, in which capacity, and why: stamped on every event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The authenticated actor (user id or name; `system` for the server itself).
    pub actor_id: String,
    /// The actor's role at the time (`province`, `bureau`, `finance`, `auditor`, `admin`, `system`).
    pub actor_role: String,
    /// The actor's organisation (e.g. a region's bureau).
    pub organisation: String,
    /// Why: required by the domain for corrections, revocations, cancellations and recoveries.
    pub reason: Option<String>,
    /// The request or business process this event belongs to.
    pub correlation_id: Option<Uuid>,
    /// The command or event that caused this one.
    pub causation_id: Option<Uuid>,
    /// The client's idempotency key of the command that produced this event.
    pub idempotency_key: Option<String>,
}

impl Metadata {
    /// Metadata for an actor, with no reason and no correlation.
    pub fn actor(
        actor_id: impl Into<String>,
        actor_role: impl Into<String>,
        organisation: impl Into<String>,
    ) -> Self {
        Self {
            actor_id: actor_id.into(),
            actor_role: actor_role.into(),
            organisation: organisation.into(),
            reason: None,
            correlation_id: None,
            causation_id: None,
            idempotency_key: None,
        }
    }

    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
}

/// An event to append.
#[derive(Clone, Debug, PartialEq)]
pub struct NewEvent {
    /// Unique id (UUIDv7). Appending an id again is an idempotent no-op.
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    pub payload: serde_json::Value,
    pub effective: Option<Effective>,
    pub metadata: Metadata,
}

impl NewEvent {
    /// A new event with a fresh UUIDv7 id and schema version 1.
    pub fn new(
        event_type: impl Into<String>,
        payload: serde_json::Value,
        metadata: Metadata,
    ) -> Self {
        Self {
            event_id: Uuid::now_v7(),
            event_type: event_type.into(),
            schema_version: 1,
            payload,
            effective: None,
            metadata,
        }
    }

    pub fn with_effective(mut self, effective: Effective) -> Self {
        self.effective = Some(effective);
        self
    }

    pub fn with_schema_version(mut self, schema_version: u32) -> Self {
        self.schema_version = schema_version;
        self
    }
}

/// An event as stored: the envelope, its place in the log and its link in the hash chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedEvent {
    pub position: Position,
    pub stream: StreamId,
    pub version: u64,
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    pub payload: serde_json::Value,
    /// When the server recorded it (UTC, microseconds; non-decreasing with position).
    pub recorded_at: DateTime<Utc>,
    pub effective: Option<Effective>,
    pub metadata: Metadata,
    /// SHA-256 of the previous hash and this event's canonical encoding.
    #[serde(with = "hex_hash")]
    pub hash: [u8; 32],
}

/// One atomic append to one stream, with the read-model changes it makes.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamAppend {
    pub stream: StreamId,
    pub expected: ExpectedVersion,
    pub events: Vec<NewEvent>,
    /// Read-model changes, each taking effect at the position of the event it follows; written in
    /// the same transaction as the events, and not at all when the append is refused or is an
    /// idempotent retry of one already stored.
    pub views: Vec<ViewUpdate>,
}

impl StreamAppend {
    pub fn new(stream: StreamId, expected: ExpectedVersion, events: Vec<NewEvent>) -> Self {
        Self {
            stream,
            expected,
            events,
            views: Vec::new(),
        }
    }

    /// Adds read-model changes (see [`ViewUpdate`]).
    pub fn with_views(mut self, views: impl IntoIterator<Item = ViewUpdate>) -> Self {
        self.views.extend(views);
        self
    }
}

/// Where an append landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendResult {
    /// Global position of the first and last appended event.
    pub first_position: Position,
    pub last_position: Position,
    /// The stream's version after the append (for a batch: of its last stream).
    pub next_expected_version: u64,
}

/// Read direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Backward,
}

/// A moment to read "as of": a global position or a recorded time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsOf {
    /// Everything up to and including this position.
    Position(Position),
    /// Everything recorded at or before this instant.
    Time(DateTime<Utc>),
}

/// Which events `read_all` and subscriptions return.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only these stream categories (empty: all).
    pub categories: Vec<String>,
    /// Only these event types (empty: all).
    pub event_types: Vec<String>,
}

impl Filter {
    pub fn all() -> Self {
        Self::default()
    }

    pub fn category(category: impl Into<String>) -> Self {
        Self {
            categories: vec![category.into()],
            event_types: Vec::new(),
        }
    }

    pub fn with_type(mut self, event_type: impl Into<String>) -> Self {
        self.event_types.push(event_type.into());
        self
    }
}

/// A stored snapshot of an aggregate's state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub stream: StreamId,
    /// The stream version the state includes.
    pub version: u64,
    /// The code/schema version that produced the state; a snapshot whose tag differs from the
    /// reader's is stale and ignored.
    pub schema_tag: String,
    pub state: serde_json::Value,
}

pub(crate) mod hex_hash {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(hash: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(hash))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        let mut out = [0u8; 32];
        hex::decode_to_slice(text, &mut out).map_err(serde::de::Error::custom)?;
        Ok(out)
    }
}
