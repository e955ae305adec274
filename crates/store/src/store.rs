//! [`EventStore`]: the API the rest of Red Mud Ledger uses, over either engine.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use futures_core::Stream;
use tokio::sync::{mpsc, oneshot, watch};

use crate::canonical::canonical_json;
use crate::decoded::{DecodedCache, DecodedRows, DecodedViewsError, Listed, carried_over};
use crate::engine::postgres::PostgresEngine;
use crate::engine::sqlite::SqliteEngine;
use crate::engine::{Head, ReadQuery, StorageEngine, StoredEvent, micros_to_time};
use crate::error::{InvalidInput, Result, StoreError};
use crate::heads::HeadsIndex;
use crate::types::{
    AppendResult, AsOf, Direction, Effective, Filter, Metadata, Position, RecordedEvent, Snapshot,
    StreamAppend, StreamId,
};
use crate::upcast::{Upcasted, Upcasters};
use crate::views::{
    RebuildError, RebuildReport, RecordedView, ViewChange, ViewPage, ViewQuery,
    decode as decode_view, plan, prepare_change,
};
use crate::views::{ViewDoc, ViewHead, ViewSpan};
use crate::writer::{self, PreparedAppend, PreparedEvent, PreparedView, WriteRequest};

/// Events per page when the store reads the log for itself (subscriptions, verification).
pub(crate) const PAGE: u32 = 2_000;

/// How to open a store.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// Connections in the pool.
    pub max_connections: u32,
    /// Upcasters applied on every read path.
    pub upcasters: Upcasters,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_connections: 8,
            upcasters: Upcasters::default(),
        }
    }
}

/// An EventStoreDB-style event store: streams with optimistic concurrency, one gap-free global
/// position, a hash chain over every event, catch-up subscriptions. Cheap to clone.
#[derive(Clone)]
pub struct EventStore {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Arc<dyn StorageEngine>,
    writer: mpsc::Sender<WriteRequest>,
    head: watch::Receiver<Position>,
    upcasters: Upcasters,
    decoded: DecodedCache,
    heads: HeadsIndex,
    /// Pages [`EventStore::read_all`] reads ahead for callers reading the log page after page.
    read_ahead: Mutex<Vec<ReadAhead>>,
}

/// A caller reading the whole log page after page ([`EventStore::read_all`] without a filter,
/// on an engine with [`StorageEngine::read_range_blocking`]).
#[derive(Debug)]
struct ReadAhead {
    /// Where the caller's next page starts, and its size.
    next: Position,
    limit: u32,
    /// The pages read ahead for it, in order: each its first position and its read.
    pages: VecDeque<(Position, PageRead)>,
}

/// A page of the log read and decoded on a blocking thread; `None`: read it the ordinary way.
type PageRead = tokio::task::JoinHandle<Option<Result<Vec<RecordedEvent>>>>;

/// Pages read ahead of a caller reading the log page after page.
const READ_AHEAD_PAGES: usize = 3;

/// Callers whose pages are read ahead at once; the one that read least recently makes room.
const READ_AHEAD_CALLERS: usize = 4;

impl std::fmt::Debug for EventStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStore")
            .field("engine", &self.inner.engine.name())
            .finish()
    }
}

impl EventStore {
    /// Connects to `sqlite:PATH` (created if missing) or `postgres://…`. Does not migrate.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with(url, StoreOptions::default()).await
    }

    pub async fn connect_with(url: &str, options: StoreOptions) -> Result<Self> {
        let engine: Arc<dyn StorageEngine> = if url.starts_with("sqlite:") {
            Arc::new(SqliteEngine::connect(url, options.max_connections).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Arc::new(PostgresEngine::connect(url, options.max_connections).await?)
        } else {
            return Err(StoreError::UnsupportedUrl(redact(url)));
        };
        Ok(Self::with_engine(engine, options.upcasters))
    }

    /// Wraps an engine; spawns the group-commit writer on the current Tokio runtime.
    pub fn with_engine(engine: Arc<dyn StorageEngine>, upcasters: Upcasters) -> Self {
        let (head_tx, head) = watch::channel(0);
        if let Some(listen) = engine.watch_remote_heads(head_tx.clone()) {
            tokio::spawn(listen);
        }
        let writer = writer::spawn(engine.clone(), head_tx);
        Self {
            inner: Arc::new(Inner {
                engine,
                writer,
                head,
                upcasters,
                decoded: DecodedCache::default(),
                heads: HeadsIndex::default(),
                read_ahead: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Opens and applies pending migrations: what `redmud migrate` and server start do.
    pub async fn open(url: &str) -> Result<Self> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Closes the store's connections; appends after this fail.
    pub async fn close(&self) {
        // No read of the database outlives the store: let the pages read ahead end first.
        let callers = self
            .inner
            .read_ahead
            .lock()
            .map(|mut callers| std::mem::take(&mut *callers))
            .unwrap_or_default();
        for (_, page) in callers.into_iter().flat_map(|caller| caller.pages) {
            let _ = page.await;
        }
        self.inner.engine.close().await;
    }

    pub async fn migrate(&self) -> Result<()> {
        self.inner.engine.migrate().await
    }

    /// `sqlite` or `postgres`.
    pub fn engine_name(&self) -> &'static str {
        self.inner.engine.name()
    }

    pub fn engine(&self) -> &Arc<dyn StorageEngine> {
        &self.inner.engine
    }

    /// The upcasters every read path applies.
    pub fn upcasters(&self) -> &Upcasters {
        &self.inner.upcasters
    }

    // ----- writing ---------------------------------------------------------------------------

    /// Appends events to one stream if its version is as expected.
    pub async fn append(&self, append: StreamAppend) -> Result<AppendResult> {
        let mut results = self.append_batch(vec![append]).await?;
        results.pop().ok_or(StoreError::WriterStopped)
    }

    /// Appends to several streams in one transaction: all or nothing. Concurrent calls are grouped
    /// into one database transaction (group commit) without losing their independence: each call
    /// succeeds or fails on its own.
    pub async fn append_batch(&self, batch: Vec<StreamAppend>) -> Result<Vec<AppendResult>> {
        let prepared = prepare(batch)?;
        let (reply, response) = oneshot::channel();
        self.inner
            .writer
            .send(WriteRequest {
                appends: prepared,
                reply,
            })
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        response.await.map_err(|_| StoreError::WriterStopped)?
    }

    // ----- reading ---------------------------------------------------------------------------

    /// Reads a stream: forward from `from_version` (inclusive), or backward from it
    /// (`u64::MAX` for the end), at most `limit` events.
    pub async fn read_stream(
        &self,
        stream: &StreamId,
        from_version: u64,
        direction: Direction,
        limit: u32,
    ) -> Result<Vec<RecordedEvent>> {
        let mut query = ReadQuery::new(limit);
        query.stream = Some(stream.as_str());
        query.direction = direction;
        match direction {
            Direction::Forward => query.min_version = Some(from_version),
            Direction::Backward => query.max_version = Some(from_version),
        }
        self.decode_all(self.inner.engine.read(query).await?)
    }

    /// The whole stream as it stood at a moment.
    pub async fn read_stream_as_of(
        &self,
        stream: &StreamId,
        as_of: AsOf,
    ) -> Result<Vec<RecordedEvent>> {
        let max_position = self.resolve(as_of).await?;
        let mut events = Vec::new();
        let mut next_version = 1;
        loop {
            let mut query = ReadQuery::new(PAGE);
            query.stream = Some(stream.as_str());
            query.min_version = Some(next_version);
            query.max_position = Some(max_position);
            let page = self.inner.engine.read(query).await?;
            let full = page.len() == PAGE as usize;
            if let Some(last) = page.last() {
                next_version = last.version + 1;
            }
            events.extend(self.decode_all(page)?);
            if !full {
                return Ok(events);
            }
        }
    }

    /// Events from `from_position` (inclusive) in log order, filtered, at most `limit`.
    pub async fn read_all(
        &self,
        from_position: Position,
        filter: &Filter,
        limit: u32,
    ) -> Result<Vec<RecordedEvent>> {
        if filter.categories.is_empty()
            && filter.event_types.is_empty()
            && limit > 0
            && self.inner.engine.reads_blocking()
            && let Some(events) = self.read_all_blocking(from_position.max(1), limit).await
        {
            return events;
        }
        self.decode_all(
            self.read_all_stored(from_position, None, filter, limit)
                .await?,
        )
    }

    /// [`EventStore::read_all`] of every event by the engine's blocking reader
    /// ([`StorageEngine::read_range_blocking`]): the page is read and decoded on a blocking
    /// thread and, when the caller reads the log page after page (this page starts where its
    /// last one ended), the next [`READ_AHEAD_PAGES`] pages are read and decoded meanwhile on
    /// other threads. A page read ahead is used only if it is full: rows are never changed
    /// once committed and positions have no gaps, so a full page is the page a read now would
    /// return; a short one may miss events committed since, and is read again. `None`: read
    /// the page the ordinary way (no such reader, a row it does not decode, a failed read).
    async fn read_all_blocking(
        &self,
        from: Position,
        limit: u32,
    ) -> Option<Result<Vec<RecordedEvent>>> {
        let to = from.saturating_add(u64::from(limit) - 1);
        let (page, read_ahead) = {
            let mut callers = self.inner.read_ahead.lock().ok()?;
            let known = callers
                .iter()
                .position(|caller| caller.next == from && caller.limit == limit);
            let mut caller = match known {
                Some(i) => callers.remove(i),
                None => ReadAhead {
                    next: from,
                    limit,
                    pages: VecDeque::new(),
                },
            };
            let page = match caller.pages.pop_front() {
                Some((start, page)) if start == from => (page, true),
                _ => {
                    caller.pages.clear();
                    (self.read_page_blocking(from, to), false)
                }
            };
            caller.next = to.saturating_add(1);
            if known.is_some() {
                let mut start = caller.pages.back().map_or(caller.next, |(start, _)| {
                    start.saturating_add(u64::from(limit))
                });
                while caller.pages.len() < READ_AHEAD_PAGES {
                    let end = start.saturating_add(u64::from(limit) - 1);
                    caller
                        .pages
                        .push_back((start, self.read_page_blocking(start, end)));
                    start = end.saturating_add(1);
                }
            }
            callers.push(caller);
            if callers.len() > READ_AHEAD_CALLERS {
                callers.remove(0);
            }
            page
        };
        let events = page.await.ok()??;
        let full = events
            .as_ref()
            .is_ok_and(|events| events.len() == limit as usize);
        if full {
            return Some(events);
        }
        // The end of the log (or a failure): the caller's pages read ahead are of no use.
        let ended: Vec<PageRead> = match self.inner.read_ahead.lock() {
            Ok(mut callers) => {
                let (ended, going_on) = std::mem::take(&mut *callers)
                    .into_iter()
                    .partition(|caller| caller.next == to.saturating_add(1));
                *callers = going_on;
                ended
                    .into_iter()
                    .flat_map(|caller: ReadAhead| caller.pages)
                    .map(|(_, page)| page)
                    .collect()
            }
            Err(_) => Vec::new(),
        };
        for page in ended {
            let _ = page.await;
        }
        if read_ahead && events.is_ok() {
            return self.read_page_blocking(from, to).await.ok()?;
        }
        Some(events)
    }

    /// Starts reading and decoding the events of positions `from..=to` on a blocking thread.
    fn read_page_blocking(&self, from: Position, to: Position) -> PageRead {
        let store = self.clone();
        tokio::task::spawn_blocking(move || {
            let events = store.inner.engine.read_range_blocking(from, to)?.ok()?;
            Some(store.decode_all(events))
        })
    }

    /// Events as stored (canonical payload text, hashes): for verification and export.
    pub async fn read_all_stored(
        &self,
        from_position: Position,
        to_position: Option<Position>,
        filter: &Filter,
        limit: u32,
    ) -> Result<Vec<StoredEvent>> {
        let mut query = ReadQuery::new(limit);
        query.min_position = Some(from_position);
        query.max_position = to_position;
        query.categories = &filter.categories;
        query.event_types = &filter.event_types;
        self.inner.engine.read(query).await
    }

    /// The stored events among `ids` (any order of ids; log order out). An id not in the log is
    /// simply absent: this is how a command retried after a lost answer finds its first attempt.
    pub async fn find_events(&self, ids: &[uuid::Uuid]) -> Result<Vec<RecordedEvent>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = ReadQuery::new(u32::try_from(ids.len()).unwrap_or(u32::MAX));
        query.event_ids = ids;
        let stored = self.inner.engine.read(query).await?;
        self.decode_all(stored)
    }

    /// The events at these positions (any order; log order out), read a few hundred to a
    /// statement. A position past the head is simply absent.
    pub async fn events_at(&self, positions: &[Position]) -> Result<Vec<RecordedEvent>> {
        const PER_STATEMENT: usize = 400;
        let mut out = Vec::with_capacity(positions.len());
        for chunk in positions.chunks(PER_STATEMENT) {
            let mut query = ReadQuery::new(u32::try_from(chunk.len()).unwrap_or(u32::MAX));
            query.positions = chunk;
            out.extend(self.decode_all(self.inner.engine.read(query).await?)?);
        }
        out.sort_by_key(|e| e.position);
        Ok(out)
    }

    /// A stream's version now (0: no such stream).
    pub async fn stream_version(&self, stream: &StreamId) -> Result<u64> {
        self.inner
            .engine
            .stream_version(stream.as_str(), None)
            .await
    }

    /// A stream's version as of a moment.
    pub async fn stream_version_as_of(&self, stream: &StreamId, as_of: AsOf) -> Result<u64> {
        let position = self.resolve(as_of).await?;
        self.inner
            .engine
            .stream_version(stream.as_str(), Some(position))
            .await
    }

    /// The committed head of the chain.
    pub async fn head(&self) -> Result<Head> {
        self.inner.engine.head().await
    }

    /// The log position an as-of moment stands for.
    pub async fn resolve(&self, as_of: AsOf) -> Result<Position> {
        match as_of {
            AsOf::Position(position) => Ok(position),
            AsOf::Time(time) => self.inner.engine.position_at(time.timestamp_micros()).await,
        }
    }

    // ----- read models -----------------------------------------------------------------------

    /// The row of `(model, key)` now (`at` `None`) or as of a position: the one with
    /// `valid_from <= at < valid_to`. `None` when there was no such row then.
    pub async fn view(
        &self,
        model: &str,
        key: &str,
        at: Option<Position>,
    ) -> Result<Option<RecordedView>> {
        self.inner
            .engine
            .read_view(model, key, at)
            .await?
            .map(decode_view)
            .transpose()
    }

    /// A page of the rows of one model, now or as of a position, filtered and sorted, and how
    /// many rows match in all.
    pub async fn list_views(&self, query: &ViewQuery) -> Result<ViewPage> {
        let (rows, total) = self.inner.engine.list_views(query).await?;
        Ok(ViewPage {
            rows: rows.into_iter().map(decode_view).collect::<Result<_>>()?,
            total,
        })
    }

    /// The heads (key, `valid_from`, version) of every row matching `query`'s model, position
    /// and filters, by key and unpaged (its sort, limit and offset are ignored). With
    /// [`EventStore::view_docs`], a caller that keeps decoded documents reads only those it has
    /// not seen: a row's document never changes (only its `valid_to`, once).
    ///
    /// A query with no filter but the region prefix (what reports ask) is answered from an
    /// in-memory index of every row version kept by the store ([`crate::heads`]): synchronised
    /// with the database (other processes' writes included) by one small statement per call, it
    /// finds the rows valid at a past position without scanning every older version.
    pub async fn view_heads(&self, query: &ViewQuery) -> Result<Vec<ViewHead>> {
        Ok(Arc::unwrap_or_clone(self.shared_view_heads(query).await?))
    }

    /// [`EventStore::view_heads`] as the index keeps it: one `Arc` per answer until a row of the
    /// model changes (a fresh one each call when the index does not serve `query`).
    async fn shared_view_heads(&self, query: &ViewQuery) -> Result<Arc<Vec<ViewHead>>> {
        if HeadsIndex::serves(query) {
            return self
                .inner
                .heads
                .heads(self.inner.engine.as_ref(), query)
                .await;
        }
        Ok(Arc::new(
            crate::views::heads(self.inner.engine.as_ref(), query).await?,
        ))
    }

    /// Every version of the rows of `model` named by `keys` (current and superseded), by key
    /// then `valid_from`: from the store's in-memory index of row versions ([`crate::heads`]),
    /// synchronised with the database first. Unknown keys are left out.
    pub async fn view_history(&self, model: &str, keys: &[&str]) -> Result<Vec<ViewSpan>> {
        self.inner
            .heads
            .history(self.inner.engine.as_ref(), model, keys)
            .await
    }

    /// The documents (canonical JSON text, as stored) of the rows of `model` named by (key,
    /// `valid_from`), read 400 to a statement; names without a row are left out.
    pub async fn view_docs(
        &self,
        model: &str,
        wanted: &[(&str, Position)],
    ) -> Result<Vec<ViewDoc>> {
        crate::views::docs(self.inner.engine.pool(), model, wanted).await
    }

    /// Every row matching `query`'s model, position and filters (by key, unpaged), each with its
    /// document decoded by `decode` — decoded once per row and type and kept
    /// ([`crate::decoded`]): only documents not decoded before are read. While no row of the
    /// model changes, asking again returns the same list (no copy, no look-up per row).
    pub async fn decoded_views<T, E, F>(
        &self,
        query: &ViewQuery,
        decode: F,
    ) -> std::result::Result<DecodedRows<T>, DecodedViewsError<E>>
    where
        T: std::any::Any + Send + Sync,
        F: Fn(&str) -> std::result::Result<T, E>,
    {
        let heads = self.shared_view_heads(query).await?;
        // Answers of the index come in key order and stand until a row changes: their lists
        // are kept per question.
        let question = HeadsIndex::serves(query).then(|| (query.at, query.region_prefix.clone()));
        let before = match &question {
            Some(question) => match self.inner.decoded.list::<T>(&query.model, question, &heads) {
                Some(Listed::Same(rows)) => return Ok(rows),
                Some(Listed::Before(rows)) => Some(rows),
                None => None,
            },
            None => None,
        };
        let held = match &before {
            // Rows whose version did not change keep their documents; the others are looked up.
            Some(before) => {
                let mut held = carried_over(before, &heads);
                let changed: Vec<ViewHead> = heads
                    .iter()
                    .zip(&held)
                    .filter(|(_, held)| held.is_none())
                    .map(|(head, _)| head.clone())
                    .collect();
                let mut found = self
                    .inner
                    .decoded
                    .get::<T>(&query.model, &changed)
                    .into_iter();
                for slot in held.iter_mut().filter(|slot| slot.is_none()) {
                    *slot = found.next().flatten();
                }
                held
            }
            None => self.inner.decoded.get::<T>(&query.model, &heads),
        };
        let missing: Vec<(&str, Position)> = heads
            .iter()
            .zip(&held)
            .filter(|(_, held)| held.is_none())
            .map(|(head, _)| (head.key.as_str(), head.valid_from))
            .collect();
        let mut fresh = std::collections::HashMap::new();
        if !missing.is_empty() {
            for doc in self.view_docs(&query.model, &missing).await? {
                let value = decode(&doc.doc).map_err(|error| DecodedViewsError::Decode {
                    model: query.model.clone(),
                    key: doc.key.clone(),
                    valid_from: doc.valid_from,
                    error,
                })?;
                fresh.insert((doc.key, doc.valid_from), Arc::new(value));
            }
        }
        let mut out = Vec::with_capacity(heads.len());
        let mut kept = Vec::with_capacity(fresh.len());
        for (head, held) in heads.iter().zip(held) {
            let value = match held {
                Some(value) => value,
                // A row that vanished between the two reads (none does: a rebuild rewrites the
                // same rows in one transaction) is left out.
                None => match fresh.remove(&(head.key.clone(), head.valid_from)) {
                    Some(value) => {
                        kept.push((head.clone(), Arc::clone(&value)));
                        value
                    }
                    None => continue,
                },
            };
            out.push((head.clone(), value));
        }
        self.inner.decoded.put(&query.model, kept);
        let out: DecodedRows<T> = out.into();
        if let Some(question) = question {
            self.inner
                .decoded
                .keep_list(&query.model, question, heads, Arc::clone(&out));
        }
        Ok(out)
    }

    /// Every stored row, current and superseded, ordered by model, key and `valid_from`.
    pub async fn all_views(&self) -> Result<Vec<RecordedView>> {
        self.inner
            .engine
            .all_views()
            .await?
            .into_iter()
            .map(decode_view)
            .collect()
    }

    /// Deletes every read-model row and recomputes them from the whole log, in one transaction
    /// that holds the chain head's write lock (appends wait for it; on SQLite at most the busy
    /// timeout, 30 s). `projector` sees every event in position order (upcast, as reads return
    /// it) and returns the changes it makes; each takes effect at that event's position exactly
    /// as a [`crate::ViewUpdate`] after that event would have. On any error nothing changes.
    pub async fn rebuild_views<E, F>(
        &self,
        mut projector: F,
    ) -> std::result::Result<RebuildReport, RebuildError<E>>
    where
        F: FnMut(&RecordedEvent) -> std::result::Result<Vec<ViewChange>, E>,
    {
        let mut tx = self.inner.engine.begin_write().await?;
        let head = tx.lock_head().await?;
        let deleted = tx.clear_views().await?;
        let mut report = RebuildReport {
            events: 0,
            rows: 0,
            deleted,
            head: head.position,
        };
        let mut next = 1;
        while next <= head.position {
            // Read in the transaction: no pool connection is needed while it holds one.
            let mut query = ReadQuery::new(PAGE);
            query.min_position = Some(next);
            query.max_position = Some(head.position);
            let page = tx.read(query).await?;
            let Some(last) = page.last() else { break };
            next = last.position + 1;
            let mut changes = Vec::new();
            for stored in page {
                let event = self.decode(stored)?;
                let position = event.position;
                for change in projector(&event)
                    .map_err(|error| RebuildError::Projector { position, error })?
                {
                    changes.push((position, prepare_change(change).map_err(StoreError::from)?));
                }
                report.events += 1;
            }
            let writes = plan(changes.iter().map(|(p, c)| (*p, c)));
            if !writes.is_empty() {
                report.rows += writes.insert.len() as u64;
                tx.write_views(&writes).await?;
            }
        }
        tx.commit().await?;
        self.inner.decoded.clear();
        self.inner.heads.clear();
        Ok(report)
    }

    // ----- subscriptions ---------------------------------------------------------------------

    /// A catch-up subscription: every event after `after` (exclusive) that matches `filter`, in log
    /// order, first those already stored and then each new one as it commits, with no gap and no
    /// duplicate. The stream ends only on error.
    pub fn subscribe(
        &self,
        after: Position,
        filter: Filter,
    ) -> impl Stream<Item = Result<RecordedEvent>> + Send + 'static {
        struct State {
            store: EventStore,
            head: watch::Receiver<Position>,
            next: Position,
            buffer: VecDeque<StoredEvent>,
            filter: Filter,
            failed: bool,
        }
        let state = State {
            head: self.inner.head.clone(),
            store: self.clone(),
            next: after.saturating_add(1),
            buffer: VecDeque::new(),
            filter,
            failed: false,
        };
        futures_util::stream::unfold(state, |mut s| async move {
            if s.failed {
                return None;
            }
            loop {
                if let Some(event) = s.buffer.pop_front() {
                    let decoded = s.store.decode(event);
                    s.failed = decoded.is_err();
                    return Some((decoded, s));
                }
                // Mark the head seen *before* reading, so a commit after the read wakes us.
                s.head.borrow_and_update();
                match s.store.read_all_stored(s.next, None, &s.filter, PAGE).await {
                    Ok(page) if !page.is_empty() => {
                        if let Some(last) = page.last() {
                            s.next = last.position + 1;
                        }
                        s.buffer.extend(page);
                    }
                    Ok(_) => {
                        if s.head.changed().await.is_err() {
                            return None;
                        }
                    }
                    Err(error) => {
                        s.failed = true;
                        return Some((Err(error), s));
                    }
                }
            }
        })
    }

    // ----- snapshots -------------------------------------------------------------------------

    /// Stores a snapshot (keeps the newest version per stream and schema tag).
    pub async fn save_snapshot(&self, snapshot: &Snapshot) -> Result<()> {
        self.inner.engine.save_snapshot(snapshot).await
    }

    /// The snapshot made by code with `schema_tag`; snapshots of other tags are stale and ignored.
    pub async fn load_snapshot(
        &self,
        stream: &StreamId,
        schema_tag: &str,
    ) -> Result<Option<Snapshot>> {
        self.inner
            .engine
            .load_snapshot(stream.as_str(), schema_tag)
            .await
    }

    // ----- decoding --------------------------------------------------------------------------

    fn decode_all(&self, events: Vec<StoredEvent>) -> Result<Vec<RecordedEvent>> {
        events.into_iter().map(|e| self.decode(e)).collect()
    }

    /// Turns a stored row into a recorded event, applying upcasters.
    pub fn decode(&self, mut event: StoredEvent) -> Result<RecordedEvent> {
        let corrupt = |detail: String| StoreError::Corrupt {
            position: event.position,
            detail,
        };
        let payload: serde_json::Value =
            serde_json::from_str(&event.payload).map_err(|e| corrupt(format!("payload: {e}")))?;
        let stream =
            StreamId::new(std::mem::take(&mut event.stream)).map_err(|e| corrupt(e.to_string()))?;
        let effective = event
            .effective
            .take()
            .map(Effective::new)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))?;
        let recorded_at = micros_to_time(event.recorded_at_micros).ok_or_else(|| {
            corrupt(format!(
                "recorded_at {} out of range",
                event.recorded_at_micros
            ))
        })?;
        let mut current = Upcasted {
            event_type: event.event_type,
            schema_version: event.schema_version,
            payload,
        };
        if !self.inner.upcasters.is_empty() {
            current = self
                .inner
                .upcasters
                .apply(current)
                .map_err(|(at, detail)| StoreError::Upcast {
                    event_type: at.event_type,
                    schema_version: at.schema_version,
                    detail,
                })?;
        }
        Ok(RecordedEvent {
            position: event.position,
            stream,
            version: event.version,
            event_id: event.event_id,
            event_type: current.event_type,
            schema_version: current.schema_version,
            payload: current.payload,
            recorded_at,
            effective,
            metadata: Metadata {
                actor_id: event.actor_id,
                actor_role: event.actor_role,
                organisation: event.organisation,
                reason: event.reason,
                correlation_id: event.correlation_id,
                causation_id: event.causation_id,
                idempotency_key: event.idempotency_key,
            },
            hash: event.hash,
        })
    }
}

/// Hides a password in a database URL before it reaches an error message or a log.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Largest accepted payload, in bytes of canonical JSON.
pub const MAX_PAYLOAD: usize = 1 << 20;

/// Longest accepted text field (type names, metadata).
const MAX_FIELD: usize = 1_000;

/// Validates a batch and canonicalises its payloads, outside the writer.
fn prepare(batch: Vec<StreamAppend>) -> Result<Vec<PreparedAppend>, InvalidInput> {
    if batch.is_empty() {
        return Err(InvalidInput::EmptyBatch);
    }
    let mut seen_streams = std::collections::HashSet::new();
    let mut seen_ids = std::collections::HashSet::new();
    batch
        .into_iter()
        .map(|append| {
            if !seen_streams.insert(append.stream.clone()) {
                return Err(InvalidInput::DuplicateStreamInBatch(append.stream));
            }
            if append.events.is_empty() {
                return Err(InvalidInput::EmptyAppend(append.stream));
            }
            let count = append.events.len();
            let mut views = append
                .views
                .into_iter()
                .map(|update| {
                    if update.after >= count {
                        return Err(InvalidInput::ViewAfter {
                            stream: append.stream.clone(),
                            after: update.after,
                            events: count,
                        });
                    }
                    Ok(PreparedView {
                        after: update.after,
                        change: prepare_change(update.change)?,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            // Stable: changes after one event keep their order (the last of a key wins).
            views.sort_by_key(|v| v.after);
            let events = append
                .events
                .into_iter()
                .map(|e| {
                    if !seen_ids.insert(e.event_id) {
                        return Err(InvalidInput::DuplicateEventInBatch(e.event_id));
                    }
                    check_event_type(&e.event_type)?;
                    check_metadata(&e.metadata)?;
                    Ok(PreparedEvent {
                        event_id: e.event_id,
                        event_type: e.event_type,
                        schema_version: e.schema_version,
                        effective: e.effective.map(String::from),
                        payload: {
                            let payload = canonical_json(&e.payload)?;
                            if payload.len() > MAX_PAYLOAD {
                                return Err(InvalidInput::PayloadTooLarge {
                                    bytes: payload.len(),
                                    max: MAX_PAYLOAD,
                                });
                            }
                            payload
                        },
                        metadata: e.metadata,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(PreparedAppend {
                stream: append.stream,
                expected: append.expected,
                events,
                views,
            })
        })
        .collect()
}

fn check_event_type(event_type: &str) -> Result<(), InvalidInput> {
    if event_type.is_empty()
        || event_type.len() > 100
        || !event_type.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(InvalidInput::EventType(event_type.to_owned()));
    }
    Ok(())
}

fn check_metadata(metadata: &Metadata) -> Result<(), InvalidInput> {
    for (field, value) in [
        ("actor_id", Some(&metadata.actor_id)),
        ("actor_role", Some(&metadata.actor_role)),
        ("organisation", Some(&metadata.organisation)),
        ("reason", metadata.reason.as_ref()),
        ("idempotency_key", metadata.idempotency_key.as_ref()),
    ] {
        if let Some(value) = value
            && (value.trim().is_empty() || value.len() > MAX_FIELD)
        {
            return Err(InvalidInput::MetadataField { field });
        }
    }
    Ok(())
}
