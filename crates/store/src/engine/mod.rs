//! The one store trait, [`StorageEngine`], and its two engines: SQLite and PostgreSQL.
//!
//! An engine knows SQL and nothing else: which rows to read, how to lock the chain head, how to
//! insert a prepared group of events. Everything above it (group commit, version checks, hashing,
//! idempotency, upcasting, subscriptions, verification) is shared and lives in [`crate::EventStore`].

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::canonical::EventFields;
use crate::error::{Result, StoreError};
use crate::types::{Direction, Position, Snapshot};
use crate::views::{StoredView, ViewQuery, ViewWrites};

pub mod postgres;
pub mod sqlite;

/// Closes every connection of `pool` before it returns.
///
/// `Pool::close` alone may return with a connection still open: one that a task (a background
/// checkpoint, say) hands back while `close` waits for the last permits goes to the idle queue
/// after `close` has emptied it, and stays open until the last handle of the pool is dropped.
/// Closing again closes such stragglers; a file that was just closed can then be renamed, copied
/// or sealed without another connection still writing to it.
async fn close_pool<DB: sqlx::Database>(pool: &sqlx::Pool<DB>) {
    pool.close().await;
    while pool.size() > 0 {
        pool.close().await;
    }
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An event exactly as stored: payload as canonical JSON text, times in microseconds.
/// This is what the hash covers and what evidence exports carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    pub position: Position,
    pub stream: String,
    pub version: u64,
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    pub recorded_at_micros: i64,
    pub effective: Option<String>,
    pub payload: String,
    pub actor_id: String,
    pub actor_role: String,
    pub organisation: String,
    pub reason: Option<String>,
    pub correlation_id: Option<Uuid>,
    pub causation_id: Option<Uuid>,
    pub idempotency_key: Option<String>,
    pub hash: [u8; 32],
}

impl StoredEvent {
    /// The fields the hash chain covers.
    pub fn fields(&self) -> EventFields<'_> {
        EventFields {
            position: self.position,
            stream: &self.stream,
            version: self.version,
            event_id: &self.event_id,
            event_type: &self.event_type,
            schema_version: self.schema_version,
            recorded_at_micros: self.recorded_at_micros,
            effective: self.effective.as_deref(),
            payload: &self.payload,
            actor_id: &self.actor_id,
            actor_role: &self.actor_role,
            organisation: &self.organisation,
            reason: self.reason.as_deref(),
            correlation_id: self.correlation_id.as_ref(),
            causation_id: self.causation_id.as_ref(),
            idempotency_key: self.idempotency_key.as_deref(),
        }
    }

    /// The event as one export line (NDJSON, `docs/event-format.md` §10), without the newline.
    pub fn export_line(&self) -> String {
        serde_json::json!({
            "position": self.position,
            "stream": self.stream,
            "version": self.version,
            "event_id": self.event_id.hyphenated().to_string(),
            "event_type": self.event_type,
            "schema_version": self.schema_version,
            "recorded_at": self.recorded_at_micros,
            "effective": self.effective,
            "payload": self.payload,
            "actor_id": self.actor_id,
            "actor_role": self.actor_role,
            "organisation": self.organisation,
            "reason": self.reason,
            "correlation_id": self.correlation_id.map(|id| id.hyphenated().to_string()),
            "causation_id": self.causation_id.map(|id| id.hyphenated().to_string()),
            "idempotency_key": self.idempotency_key,
            "hash": hex::encode(self.hash),
        })
        .to_string()
    }

    pub(crate) fn category(&self) -> &str {
        self.stream
            .split_once('-')
            .map_or(self.stream.as_str(), |(c, _)| c)
    }
}

/// One event as the fast verification path sees it: what [`crate::ChainVerifier`] checks besides
/// the hash, and whether the hash checked out. No other column is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    pub position: Position,
    pub version: u64,
    pub recorded_at_micros: i64,
    /// The stored hash.
    pub hash: [u8; 32],
    /// The row decoded as the engine's [`StorageEngine::read`] decodes it, and `SHA-256(stored
    /// hash of the row read before it ‖ encoding)` equals its stored hash. `false` also when the
    /// row did not decode, or when the row before it was not read (the first row of a page
    /// whose predecessor is missing): the verifier then reads that part again the slow way.
    pub sound: bool,
    /// Where the stream's name lies in [`LinkPage::streams`].
    stream_start: u32,
    stream_end: u32,
}

/// The links of consecutive rows, read by [`StorageEngine::read_links`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkPage {
    pub links: Vec<Link>,
    /// The stream names of all links, one after another.
    streams: String,
}

impl LinkPage {
    /// The stream of `link` (a link of this page).
    pub fn stream(&self, link: &Link) -> &str {
        self.streams
            .get(link.stream_start as usize..link.stream_end as usize)
            .unwrap_or("")
    }

    /// Whether `a` and `b` (links of this page) name their stream by the same place in the
    /// page: then they are of the same stream. Consecutive links of one stream always do.
    pub(crate) fn same_stream_place(a: &Link, b: &Link) -> bool {
        a.stream_start == b.stream_start && a.stream_end == b.stream_end
    }
}

/// Builds a [`LinkPage`] from rows read in position order from `from - 1` (the row before the
/// page, read only for its stored hash; for `from <= 1` the genesis hash stands in for it).
#[derive(Debug)]
pub(crate) struct LinkPageBuilder {
    page: LinkPage,
    from: Position,
    /// The stored hash of the last row read; `None` before the first.
    previous: Option<[u8; 32]>,
    buf: Vec<u8>,
}

impl LinkPageBuilder {
    pub(crate) fn new(from: Position, capacity: usize) -> Self {
        Self {
            page: LinkPage {
                links: Vec::with_capacity(capacity),
                streams: String::with_capacity(capacity * 24),
            },
            from,
            previous: (from <= 1).then_some(crate::canonical::GENESIS_HASH),
            buf: Vec::with_capacity(1024),
        }
    }

    /// The next row; `None`: it did not decode as [`StorageEngine::read`] would decode it (an
    /// unsound link ends the page). Returns whether to go on reading.
    pub(crate) fn row(&mut self, row: Option<(EventFields<'_>, [u8; 32])>) -> bool {
        let Some((fields, hash)) = row else {
            self.page.links.push(Link {
                position: 0,
                version: 0,
                recorded_at_micros: 0,
                hash: [0; 32],
                sound: false,
                stream_start: 0,
                stream_end: 0,
            });
            return false;
        };
        if self.previous.is_none()
            && self.page.links.is_empty()
            && fields.position.checked_add(1) == Some(self.from)
        {
            // The row before the page: only its hash is needed.
            self.previous = Some(hash);
            return true;
        }
        let sound = self
            .previous
            .is_some_and(|previous| fields.chain_hash(&previous, &mut self.buf) == hash);
        // Consecutive events of one stream share its name's place in `streams` (and
        // `ChainVerifier::check_links` recognises a run by it).
        let (stream_start, stream_end) = match self.page.links.last() {
            Some(last) if self.page.stream(last) == fields.stream => {
                (last.stream_start, last.stream_end)
            }
            _ => {
                let start = self.page.streams.len();
                self.page.streams.push_str(fields.stream);
                let (Ok(stream_start), Ok(stream_end)) =
                    (u32::try_from(start), u32::try_from(self.page.streams.len()))
                else {
                    return self.row(None);
                };
                (stream_start, stream_end)
            }
        };
        self.page.links.push(Link {
            position: fields.position,
            version: fields.version,
            recorded_at_micros: fields.recorded_at_micros,
            hash,
            sound,
            stream_start,
            stream_end,
        });
        self.previous = Some(hash);
        sound
    }

    pub(crate) fn finish(self) -> LinkPage {
        self.page
    }
}

/// Where [`StorageEngine::replay_rows`] hands the rows it reads.
pub trait RowSink: Send {
    /// Takes one row, its fields borrowed from the engine; returns whether to go on.
    fn row(&mut self, fields: EventFields<'_>, hash: &[u8; 32]) -> bool;
}

/// How [`StorageEngine::replay_rows`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowsEnd {
    /// Every row of the range was handed over.
    Done,
    /// The callback asked to stop.
    Stopped,
    /// The row after the last one handed over is not of the types this path decodes: read
    /// from `next` on with [`StorageEngine::read`], which reports what it always reported.
    Undecodable {
        /// The first position not handed over.
        next: Position,
    },
}

/// The end of the chain: the last position, its hash and its recorded time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    pub position: Position,
    pub hash: [u8; 32],
    pub recorded_at_micros: i64,
}

/// What to read. Positions and versions are inclusive bounds.
#[derive(Clone, Debug)]
pub struct ReadQuery<'a> {
    pub stream: Option<&'a str>,
    pub min_version: Option<u64>,
    pub max_version: Option<u64>,
    pub min_position: Option<Position>,
    pub max_position: Option<Position>,
    pub categories: &'a [String],
    pub event_types: &'a [String],
    /// Only these events (by id); empty: no such filter.
    pub event_ids: &'a [uuid::Uuid],
    /// Only the events at these positions; empty: no such filter.
    pub positions: &'a [Position],
    pub direction: Direction,
    pub limit: u32,
}

impl<'a> ReadQuery<'a> {
    pub fn new(limit: u32) -> Self {
        Self {
            stream: None,
            min_version: None,
            max_version: None,
            min_position: None,
            max_position: None,
            categories: &[],
            event_types: &[],
            event_ids: &[],
            positions: &[],
            direction: Direction::Forward,
            limit,
        }
    }
}

/// A row of a read-model heads statement as stored: key, `valid_from`, version.
pub type HeadRow = (String, i64, i64);

/// A row of a read-model versions statement as stored: key, `valid_from`, `valid_to`, version,
/// region (the statement's head row has no key).
pub type VersionRow = (Option<String>, i64, Option<i64>, i64, Option<String>);

/// A value bound into a generated query.
#[derive(Clone, Debug)]
pub enum Bind {
    /// An integer.
    Int(i64),
    /// A text.
    Text(String),
    /// A UUID (as each engine stores one).
    Uuid(uuid::Uuid),
}

pub(crate) const EVENT_COLUMNS: &str = "position, stream, version, event_id, event_type, \
    schema_version, recorded_at, effective, payload, actor_id, actor_role, organisation, reason, \
    correlation_id, causation_id, idempotency_key, hash";

/// The last position recorded at or before a moment (0 if none), found by bisecting positions
/// through the primary key: `recorded_at` never decreases with `position` and positions are
/// gap-free, so about log2(head) point look-ups in ONE statement replace an index on
/// `recorded_at` (which every commit had to update). `placeholder` is the engine's one parameter
/// (the moment, as the engine stores `recorded_at`).
pub(crate) fn position_at_sql(placeholder: &str) -> String {
    // Invariant: the answer lies in [lo, hi]. A missing row (only in a tampered log) counts as
    // "later", so the search still ends.
    const PROBE: &str =
        "(SELECT e.recorded_at <= t.at FROM events e WHERE e.position = (b.lo + b.hi + 1) / 2)";
    format!(
        "WITH RECURSIVE t(at) AS (SELECT {placeholder}), \
         b(lo, hi) AS (SELECT CAST(0 AS BIGINT), COALESCE((SELECT MAX(position) FROM events), 0) \
         UNION ALL SELECT \
         CASE WHEN COALESCE({PROBE}, FALSE) THEN (b.lo + b.hi + 1) / 2 ELSE b.lo END, \
         CASE WHEN COALESCE({PROBE}, FALSE) THEN b.hi ELSE (b.lo + b.hi + 1) / 2 - 1 END \
         FROM b, t WHERE b.lo < b.hi) \
         SELECT MAX(lo) FROM b"
    )
}

/// Builds the SELECT for a [`ReadQuery`]; `placeholder(n)` writes the n-th (1-based) parameter.
pub(crate) fn read_sql(
    query: &ReadQuery<'_>,
    placeholder: fn(usize) -> String,
) -> (String, Vec<Bind>) {
    let mut sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE TRUE");
    let mut binds = Vec::new();
    let mut push = |sql: &mut String, clause: &str, bind: Bind| {
        binds.push(bind);
        sql.push_str(clause);
        sql.push_str(&placeholder(binds.len()));
    };
    if let Some(stream) = query.stream {
        push(&mut sql, " AND stream = ", Bind::Text(stream.to_owned()));
    }
    if let Some(v) = query.min_version {
        push(&mut sql, " AND version >= ", Bind::Int(to_i64(v)));
    }
    if let Some(v) = query.max_version {
        push(&mut sql, " AND version <= ", Bind::Int(to_i64(v)));
    }
    if let Some(p) = query.min_position {
        push(&mut sql, " AND position >= ", Bind::Int(to_i64(p)));
    }
    if let Some(p) = query.max_position {
        push(&mut sql, " AND position <= ", Bind::Int(to_i64(p)));
    }
    for (column, values) in [
        ("category", query.categories),
        ("event_type", query.event_types),
    ] {
        if values.is_empty() {
            continue;
        }
        sql.push_str(" AND ");
        sql.push_str(column);
        sql.push_str(" IN (");
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            push(&mut sql, "", Bind::Text(value.clone()));
        }
        sql.push(')');
    }
    if !query.positions.is_empty() {
        sql.push_str(" AND position IN (");
        for (i, position) in query.positions.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            push(&mut sql, "", Bind::Int(to_i64(*position)));
        }
        sql.push(')');
    }
    if !query.event_ids.is_empty() {
        sql.push_str(" AND event_id IN (");
        for (i, id) in query.event_ids.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            push(&mut sql, "", Bind::Uuid(*id));
        }
        sql.push(')');
    }
    sql.push_str(&format!(
        " ORDER BY {} LIMIT {}",
        order_by(query),
        query.limit
    ));
    (sql, binds)
}

/// The order of a read: by version within a stream, by position across the log.
pub(crate) fn order_by(query: &ReadQuery<'_>) -> &'static str {
    match (query.stream.is_some(), query.direction) {
        (true, Direction::Forward) => "version ASC",
        (true, Direction::Backward) => "version DESC",
        (false, Direction::Forward) => "position ASC",
        (false, Direction::Backward) => "position DESC",
    }
}

/// Store positions and versions as SQL BIGINT. Values beyond i64 never occur (a log would need
/// 9.2e18 events); saturating keeps a bogus read bound harmless.
pub(crate) fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

pub(crate) fn to_u64(value: i64, position: Position, column: &str) -> Result<u64> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt {
        position,
        detail: format!("{column} is negative ({value})"),
    })
}

pub(crate) fn to_hash(bytes: &[u8], position: Position) -> Result<[u8; 32]> {
    bytes.try_into().map_err(|_| StoreError::Corrupt {
        position,
        detail: format!("hash has {} bytes, not 32", bytes.len()),
    })
}

/// A stored snapshot row; `None` when it no longer decodes (a snapshot is only a cache: the reader
/// then folds the stream from the start).
pub(crate) fn snapshot_from(
    stream: &str,
    schema_tag: &str,
    version: i64,
    state: &str,
) -> Option<Snapshot> {
    Some(Snapshot {
        stream: crate::types::StreamId::new(stream).ok()?,
        version: u64::try_from(version).ok()?,
        schema_tag: schema_tag.to_owned(),
        state: serde_json::from_str(state).ok()?,
    })
}

/// Announces that the log reaches `position`; the announced head only ever moves forward.
pub(crate) fn announce_head(sender: &tokio::sync::watch::Sender<Position>, position: Position) {
    sender.send_if_modified(|seen| {
        let newer = position > *seen;
        if newer {
            *seen = position;
        }
        newer
    });
}

pub(crate) fn micros_to_time(micros: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros)
}

/// The connection pool behind an engine, for tables other crates own (e.g. the server's
/// credentials and sessions), which live in the same database and migrations.
#[derive(Clone, Copy, Debug)]
pub enum EnginePool<'a> {
    Sqlite(&'a sqlx::SqlitePool),
    Postgres(&'a sqlx::PgPool),
}

impl EnginePool<'_> {
    /// Runs a generated statement (placeholders in this engine's dialect) with `binds` in order,
    /// every row decoded as `R`.
    pub(crate) async fn fetch_all_as<R>(self, sql: &str, binds: Vec<Bind>) -> Result<Vec<R>>
    where
        R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin,
    {
        Ok(match self {
            EnginePool::Sqlite(pool) => bound(sqlx::query_as(sql), binds).fetch_all(pool).await?,
            EnginePool::Postgres(pool) => bound(sqlx::query_as(sql), binds).fetch_all(pool).await?,
        })
    }
}

/// `query` with `binds` bound in order, on either engine.
fn bound<'q, DB, R>(
    mut query: sqlx::query::QueryAs<'q, DB, R, <DB as sqlx::Database>::Arguments<'q>>,
    binds: Vec<Bind>,
) -> sqlx::query::QueryAs<'q, DB, R, <DB as sqlx::Database>::Arguments<'q>>
where
    DB: sqlx::Database,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    for bind in binds {
        query = match bind {
            Bind::Int(i) => query.bind(i),
            Bind::Text(s) => query.bind(s),
            Bind::Uuid(u) => query.bind(u),
        };
    }
    query
}

/// The one store trait. An engine is a database dialect behind sqlx.
pub trait StorageEngine: Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn name(&self) -> &'static str;

    /// The engine's connection pool.
    fn pool(&self) -> EnginePool<'_>;

    /// Closes every connection (SQLite then checkpoints and removes its WAL file).
    fn close(&self) -> BoxFuture<'_, ()>;

    /// Applies the migrations under `migrations/<engine>/`.
    fn migrate(&self) -> BoxFuture<'_, Result<()>>;

    /// Starts a write transaction. The transaction holds the store's single write lock from its
    /// first [`WriteTx::lock_head`] until commit or drop (drop rolls back).
    fn begin_write(&self) -> BoxFuture<'_, Result<Box<dyn WriteTx>>>;

    /// Optimistic commit, where the engine offers it (`None`: it does not): as one unit of work,
    /// insert `events` and move the head from `expected` to `new_head`, on condition that the head
    /// is still `expected`, and write `views` in the same transaction. `Ok(false)`: the head had
    /// moved or an event id or version was taken; nothing was written, and the caller decides
    /// again under the lock.
    fn commit_if_head(
        &self,
        expected: Head,
        events: Vec<StoredEvent>,
        views: ViewWrites,
        new_head: Head,
    ) -> Option<BoxFuture<'_, Result<bool>>>;

    /// Reads events.
    fn read<'a>(&'a self, query: ReadQuery<'a>) -> BoxFuture<'a, Result<Vec<StoredEvent>>>;

    /// Reads the events of positions `from..=to` (`to` `None`: to the end), at most `limit`, in
    /// log order, by the engine's fastest bulk path; the same rows as [`StorageEngine::read`]
    /// with that range. `None`: the engine has no bulk path (use `read`).
    fn read_range_bulk(
        &self,
        _from: Position,
        _to: Option<Position>,
        _limit: u32,
    ) -> Option<BoxFuture<'_, Result<Vec<StoredEvent>>>> {
        None
    }

    /// Whether [`StorageEngine::read_range_blocking`] is a path of this engine.
    fn reads_blocking(&self) -> bool {
        false
    }

    /// Reads the events of positions `from..=to` in log order on the calling thread, which
    /// blocks (call it on a blocking thread): the same events [`StorageEngine::read`] returns
    /// for that range. `None`: no such path, or a row this path does not decode the way `read`
    /// does — read the range with `read`, which reports what it always reported.
    fn read_range_blocking(
        &self,
        _from: Position,
        _to: Position,
    ) -> Option<Result<Vec<StoredEvent>>> {
        None
    }

    /// Hands the rows of positions `from..=to` (only those of `categories` and `event_types`
    /// where these are not empty, as [`StorageEngine::read`] filters) to `sink` in log order,
    /// borrowed from the database's row buffer, on the calling thread, which blocks (call it on
    /// a blocking thread). The sink is locked for each row (never contended: only this call
    /// uses it) and let go of when the call returns. `None`: the engine has no such path.
    fn replay_rows(
        &self,
        _range: (Position, Position),
        _categories: &[String],
        _event_types: &[String],
        _sink: &Arc<Mutex<dyn RowSink>>,
    ) -> Option<Result<RowsEnd>> {
        None
    }

    /// The links of positions `from..=to` for verification, by a path that neither decodes rows
    /// into [`StoredEvent`]s nor holds them: the row before `from` is read for its stored hash,
    /// every row's hash is checked over the stored hash of the row read before it, and only
    /// what [`Link`] holds is kept. The read starts at once (the future need not be polled for
    /// it to progress), so several pages can be read in parallel. `None`: no such path.
    fn read_links(
        &self,
        _from: Position,
        _to: Position,
    ) -> Option<BoxFuture<'static, Result<LinkPage>>> {
        None
    }

    /// Runs a read-model heads statement (`SELECT key, valid_from, version …`, see
    /// [`crate::EventStore::view_heads`]) on a faster path than the pool, if the engine has one
    /// (SQLite: rusqlite on a blocking thread, rows borrowed rather than sent one by one).
    /// `None`: no such path.
    fn read_heads(
        &self,
        _sql: &str,
        _binds: &[Bind],
    ) -> Option<BoxFuture<'static, Result<Vec<HeadRow>>>> {
        None
    }

    /// The rows of a read-model versions statement (see [`crate::heads`]) by a faster path than
    /// the pool (SQLite: rusqlite on a blocking thread). `None`: no such path.
    fn read_versions(
        &self,
        _sql: &str,
        _binds: &[Bind],
    ) -> Option<BoxFuture<'static, Result<Vec<VersionRow>>>> {
        None
    }

    /// The committed head of the chain.
    fn head(&self) -> BoxFuture<'_, Result<Head>>;

    /// The last position recorded at or before `micros`, 0 when none.
    fn position_at(&self, micros: i64) -> BoxFuture<'_, Result<Position>>;

    /// The stream's version as of a position (0: no such stream then).
    fn stream_version<'a>(
        &'a self,
        stream: &'a str,
        max_position: Option<Position>,
    ) -> BoxFuture<'a, Result<u64>>;

    fn save_snapshot<'a>(&'a self, snapshot: &'a Snapshot) -> BoxFuture<'a, Result<()>>;

    fn load_snapshot<'a>(
        &'a self,
        stream: &'a str,
        schema_tag: &'a str,
    ) -> BoxFuture<'a, Result<Option<Snapshot>>>;

    /// The read-model row of `(model, key)` current at `at` (`None`: now).
    fn read_view<'a>(
        &'a self,
        model: &'a str,
        key: &'a str,
        at: Option<Position>,
    ) -> BoxFuture<'a, Result<Option<StoredView>>>;

    /// A page of read-model rows and the number of rows matching the query in all.
    fn list_views<'a>(
        &'a self,
        query: &'a ViewQuery,
    ) -> BoxFuture<'a, Result<(Vec<StoredView>, u64)>>;

    /// Every read-model row, ordered by model, key and `valid_from`.
    fn all_views(&self) -> BoxFuture<'_, Result<Vec<StoredView>>>;

    /// A task that reports positions committed by other processes (PostgreSQL: `LISTEN`; SQLite:
    /// polling the head), so subscriptions wake for them too. `None`: no other writers possible.
    fn watch_remote_heads(
        &self,
        sender: tokio::sync::watch::Sender<Position>,
    ) -> Option<BoxFuture<'static, ()>>;
}

/// A write transaction over the chain head.
pub trait WriteTx: Send {
    /// Locks the head (serialising every writer, in every process) and returns it.
    fn lock_head(&mut self) -> BoxFuture<'_, Result<Head>>;

    /// The current version of each of these streams that exists.
    fn stream_versions<'a>(
        &'a mut self,
        streams: &'a [&'a str],
    ) -> BoxFuture<'a, Result<HashMap<String, u64>>>;

    /// Stored events with any of these ids.
    fn find_events<'a>(&'a mut self, ids: &'a [Uuid]) -> BoxFuture<'a, Result<Vec<StoredEvent>>>;

    /// Inserts the events (positions already assigned and hashed) and moves the head.
    fn insert<'a>(&'a mut self, events: &'a [StoredEvent], head: Head)
    -> BoxFuture<'a, Result<()>>;

    /// Reads events inside the transaction.
    fn read<'a>(&'a mut self, query: ReadQuery<'a>) -> BoxFuture<'a, Result<Vec<StoredEvent>>>;

    /// Writes read-model rows: closes the current rows of `views.close`, then inserts
    /// `views.insert`.
    fn write_views<'a>(&'a mut self, views: &'a ViewWrites) -> BoxFuture<'a, Result<()>>;

    /// Deletes every read-model row (for a rebuild); returns how many there were.
    fn clear_views(&mut self) -> BoxFuture<'_, Result<u64>>;

    /// Commits durably.
    fn commit(self: Box<Self>) -> BoxFuture<'static, Result<()>>;
}
