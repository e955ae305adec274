//! [`EventStore::replay`]: the whole log (or a filtered part of it) folded by a callback that
//! sees each event borrowed ([`EventView`]), without an owned event or a parsed payload per
//! event.
//!
//! Rows are copied into pages of reused buffers ([`Page`]: one text buffer and one fixed-size
//! record per event) by a producer — on SQLite a blocking thread reading through rusqlite, on
//! PostgreSQL (and an in-memory SQLite) pages of the ordinary reads — while the fold runs on
//! another blocking thread; folded pages go back to the producer to be filled again. On two
//! cores one reads while the other folds.

use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::canonical::EventFields;
use crate::engine::{RowSink, RowsEnd, StorageEngine, micros_to_time};
use crate::error::{InvalidInput, StoreError};
use crate::store::EventStore;
use crate::types::{
    Effective, Filter, Metadata, Position, RecordedEvent, StreamId, effective_is_valid,
    stream_name_fault,
};
use crate::upcast::{Upcasted, Upcasters};

/// Events a page holds before it is handed to the fold.
const PAGE_ROWS: usize = 4_096;

/// Bytes of text a page holds before it is handed over (a few huge payloads fill a page too).
const PAGE_TEXT: usize = 8 << 20;

/// Pages filled and waiting for the fold (besides the one being filled and the one folded).
const PAGES_WAITING: usize = 2;

/// Events per read on the ordinary path (PostgreSQL, an in-memory SQLite database).
const STORED_PAGE: u32 = 5_000;

/// One event as [`EventStore::replay`] hands it to the fold: every field borrowed from a page
/// buffer. The fields are those of [`RecordedEvent`] (after upcasting), the payload as JSON
/// text: deserialise it into a typed event ([`EventView::payload_as`]) rather than into a
/// [`serde_json::Value`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventView<'a> {
    pub position: Position,
    pub stream: &'a str,
    pub version: u64,
    pub event_id: Uuid,
    /// The type after upcasting.
    pub event_type: &'a str,
    /// The schema version after upcasting.
    pub schema_version: u32,
    /// When the server recorded it, in microseconds since the Unix epoch (UTC).
    pub recorded_at_micros: i64,
    /// The date or period the event is about, checked as [`Effective`] checks it.
    pub effective: Option<&'a str>,
    /// The payload as JSON text: as stored (canonical JSON) or, for an event an upcaster
    /// rewrote, the upcaster's result serialised.
    pub payload: &'a str,
    pub actor_id: &'a str,
    pub actor_role: &'a str,
    pub organisation: &'a str,
    pub reason: Option<&'a str>,
    pub correlation_id: Option<Uuid>,
    pub causation_id: Option<Uuid>,
    pub idempotency_key: Option<&'a str>,
    /// The stored hash (chain link) of the event.
    pub hash: &'a [u8; 32],
}

impl<'a> EventView<'a> {
    /// The stream's category: the part before the first `-`.
    pub fn category(&self) -> &'a str {
        self.stream.split_once('-').map_or(self.stream, |(c, _)| c)
    }

    /// When the server recorded it (the replay checked that the time is in range).
    pub fn recorded_at(&self) -> DateTime<Utc> {
        micros_to_time(self.recorded_at_micros).unwrap_or_default()
    }

    /// The payload deserialised into `T`, which may borrow strings from the page.
    pub fn payload_as<T: Deserialize<'a>>(&self) -> serde_json::Result<T> {
        serde_json::from_str(self.payload)
    }

    /// The event as [`EventStore::read_all`] returns it (owned, payload parsed).
    pub fn to_recorded(&self) -> Result<RecordedEvent, StoreError> {
        let corrupt = |detail: String| StoreError::Corrupt {
            position: self.position,
            detail,
        };
        Ok(RecordedEvent {
            position: self.position,
            stream: StreamId::new(self.stream).map_err(|e| corrupt(e.to_string()))?,
            version: self.version,
            event_id: self.event_id,
            event_type: self.event_type.to_owned(),
            schema_version: self.schema_version,
            payload: serde_json::from_str(self.payload)
                .map_err(|e| corrupt(format!("payload: {e}")))?,
            recorded_at: self.recorded_at(),
            effective: self
                .effective
                .map(Effective::new)
                .transpose()
                .map_err(|e| corrupt(e.to_string()))?,
            metadata: Metadata {
                actor_id: self.actor_id.to_owned(),
                actor_role: self.actor_role.to_owned(),
                organisation: self.organisation.to_owned(),
                reason: self.reason.map(str::to_owned),
                correlation_id: self.correlation_id,
                causation_id: self.causation_id,
                idempotency_key: self.idempotency_key.map(str::to_owned),
            },
            hash: *self.hash,
        })
    }
}

/// Why a replay stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError<E> {
    /// Reading the log failed, or an event did not decode (as [`EventStore::read_all`] would
    /// have failed on it); the fold saw every event before it.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The fold returned an error for the event at `position`; no later event was folded.
    #[error("the fold failed at position {position}")]
    Fold {
        /// The event the fold refused.
        position: Position,
        /// The fold's error.
        error: E,
    },
}

/// Where a text of a [`Page`] lies in its buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

/// One event of a [`Page`]: its fixed-size fields, and where its texts lie.
#[derive(Clone, Copy, Debug)]
struct Row {
    position: Position,
    version: u64,
    recorded_at_micros: i64,
    schema_version: u32,
    event_id: Uuid,
    correlation_id: Option<Uuid>,
    causation_id: Option<Uuid>,
    hash: [u8; 32],
    stream: Span,
    event_type: Span,
    payload: Span,
    actor_id: Span,
    actor_role: Span,
    organisation: Span,
    effective: Option<Span>,
    reason: Option<Span>,
    idempotency_key: Option<Span>,
}

/// A page of events in two reused buffers: their texts one after another, and one [`Row`]
/// each. Texts equal to the previous event's (stream, type, actor, role, organisation) are
/// stored once.
#[derive(Debug, Default)]
pub(crate) struct Page {
    rows: Vec<Row>,
    text: String,
}

/// The page is full: hand it over before adding more.
#[derive(Debug)]
struct PageFull;

impl Page {
    fn with_capacity(rows: usize) -> Self {
        Self {
            rows: Vec::with_capacity(rows),
            text: String::with_capacity(rows * 160),
        }
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    fn is_full(&self) -> bool {
        self.rows.len() >= PAGE_ROWS || self.text.len() >= PAGE_TEXT
    }

    fn clear(&mut self) {
        self.rows.clear();
        self.text.clear();
    }

    fn text(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// Appends `s`; `Err` when the buffer would outgrow the spans' reach.
    fn push_text(&mut self, s: &str) -> Result<Span, PageFull> {
        let start = u32::try_from(self.text.len()).map_err(|_| PageFull)?;
        let end = u32::try_from(self.text.len() + s.len()).map_err(|_| PageFull)?;
        self.text.push_str(s);
        Ok(Span { start, end })
    }

    /// `s`, stored once when the previous event had the same text at `previous`.
    fn intern(&mut self, previous: Option<Span>, s: &str) -> Result<Span, PageFull> {
        match previous {
            Some(span) if self.text(span) == s => Ok(span),
            _ => self.push_text(s),
        }
    }

    fn push_optional(&mut self, s: Option<&str>) -> Result<Option<Span>, PageFull> {
        s.map(|s| self.push_text(s)).transpose()
    }

    /// Adds an event: `fields` as read, except type, schema version and payload, which may
    /// be an upcaster's. On `Err` the page is as before.
    fn push(
        &mut self,
        fields: &EventFields<'_>,
        hash: &[u8; 32],
        (event_type, schema_version, payload): (&str, u32, &str),
    ) -> Result<(), PageFull> {
        let text_len = self.text.len();
        let pushed = self.push_row(fields, hash, (event_type, schema_version, payload));
        if pushed.is_err() {
            self.text.truncate(text_len);
        }
        pushed
    }

    fn push_row(
        &mut self,
        fields: &EventFields<'_>,
        hash: &[u8; 32],
        (event_type, schema_version, payload): (&str, u32, &str),
    ) -> Result<(), PageFull> {
        let last = self.rows.last().copied();
        let row = Row {
            position: fields.position,
            version: fields.version,
            recorded_at_micros: fields.recorded_at_micros,
            schema_version,
            event_id: *fields.event_id,
            correlation_id: fields.correlation_id.copied(),
            causation_id: fields.causation_id.copied(),
            hash: *hash,
            stream: self.intern(last.map(|r| r.stream), fields.stream)?,
            event_type: self.intern(last.map(|r| r.event_type), event_type)?,
            payload: self.push_text(payload)?,
            actor_id: self.intern(last.map(|r| r.actor_id), fields.actor_id)?,
            actor_role: self.intern(last.map(|r| r.actor_role), fields.actor_role)?,
            organisation: self.intern(last.map(|r| r.organisation), fields.organisation)?,
            effective: self.push_optional(fields.effective)?,
            reason: self.push_optional(fields.reason)?,
            idempotency_key: self.push_optional(fields.idempotency_key)?,
        };
        self.rows.push(row);
        Ok(())
    }

    /// The stream of the last event, if any.
    fn last_stream(&self) -> Option<&str> {
        self.rows.last().map(|r| self.text(r.stream))
    }

    fn view<'p>(&'p self, row: &'p Row) -> EventView<'p> {
        let optional = |span: Option<Span>| span.map(|span| self.text(span));
        EventView {
            position: row.position,
            stream: self.text(row.stream),
            version: row.version,
            event_id: row.event_id,
            event_type: self.text(row.event_type),
            schema_version: row.schema_version,
            recorded_at_micros: row.recorded_at_micros,
            effective: optional(row.effective),
            payload: self.text(row.payload),
            actor_id: self.text(row.actor_id),
            actor_role: self.text(row.actor_role),
            organisation: self.text(row.organisation),
            reason: optional(row.reason),
            correlation_id: row.correlation_id,
            causation_id: row.causation_id,
            idempotency_key: optional(row.idempotency_key),
            hash: &row.hash,
        }
    }

    fn views(&self) -> impl Iterator<Item = EventView<'_>> {
        self.rows.iter().map(|row| self.view(row))
    }
}

/// Fills pages from rows and hands them to the fold: checks each row as
/// [`EventStore::decode`] checks it and applies the upcasters.
struct Producer {
    upcasters: Upcasters,
    page: Page,
    /// Folded pages to fill again, shared by the producers of one replay.
    spare: Spare,
    /// The stream of the last event checked (a run of one stream is checked once).
    checked_stream: String,
}

/// Folded pages to fill again (the fold sends them back), shared by a replay's producers.
type Spare = Arc<Mutex<std_mpsc::Receiver<Page>>>;

/// Blocking readers of the engine's rows working at once, each on every other chunk of the range
/// (two cores: two readers and the fold).
const READERS: usize = 2;
/// A blocking replay splits its range into about this many chunks, each of
/// [`MIN_CHUNK`]`..=`[`MAX_CHUNK`] positions, so that the readers take turns.
const CHUNKS: u64 = 16;
const MIN_CHUNK: u64 = 512;
const MAX_CHUNK: u64 = 16_384;

/// The chunks of `from..=to` the readers take in turn.
fn chunk_ranges(from: Position, to: Position) -> Vec<(Position, Position)> {
    let len = (to.saturating_sub(from) + 1)
        .div_ceil(CHUNKS)
        .clamp(MIN_CHUNK, MAX_CHUNK);
    let mut chunks = Vec::new();
    let mut lo = from;
    while lo <= to {
        let hi = lo.saturating_add(len - 1).min(to);
        chunks.push((lo, hi));
        if hi == Position::MAX {
            break;
        }
        lo = hi + 1;
    }
    chunks
}

/// What a reader hands on for one chunk: its pages, then how it ended.
enum Piece {
    Page(Page),
    End(ChunkEnd),
}

/// How a reader's chunk ended.
#[derive(Debug)]
enum ChunkEnd {
    /// Every row of the chunk was handed on.
    Done,
    /// Nobody wants more pages: the fold has stopped.
    Stopped,
    /// The row at this position is not one the blocking path decodes: the ordinary reads take
    /// over from it.
    Undecodable(Position),
    /// A row failed its checks or its upcaster, or the read failed.
    Failed(StoreError),
}

/// The producer as the engine's blocking rows see it ([`StorageEngine::replay_rows`]): each row
/// added, a full page handed on (waiting while the sequencer is two pages behind), the first
/// failure kept.
///
/// [`StorageEngine::replay_rows`]: crate::engine::StorageEngine::replay_rows
struct Sink {
    producer: Producer,
    out: mpsc::Sender<Piece>,
    failed: Option<StoreError>,
}

impl RowSink for Sink {
    fn row(&mut self, fields: EventFields<'_>, hash: &[u8; 32]) -> bool {
        match self.producer.add(&fields, hash) {
            Ok(None) => true,
            Ok(Some(page)) => self.out.blocking_send(Piece::Page(page)).is_ok(),
            Err(Stop::Failed(error)) => {
                self.failed = Some(error);
                false
            }
        }
    }
}

/// One blocking reader: reads its chunks in order through the engine's blocking rows and hands
/// on each chunk's pages and end. Stops after the first chunk that does not end
/// [`ChunkEnd::Done`], or when nobody listens.
fn read_chunks(
    engine: &dyn StorageEngine,
    chunks: &[(Position, Position)],
    filter: &Filter,
    producer: Producer,
    out: mpsc::Sender<Piece>,
) {
    let sink = Arc::new(Mutex::new(Sink {
        producer,
        out: out.clone(),
        failed: None,
    }));
    let shared: Arc<Mutex<dyn RowSink>> = sink.clone();
    for &(lo, hi) in chunks {
        let ended = engine.replay_rows((lo, hi), &filter.categories, &filter.event_types, &shared);
        let (last, failed) = match sink.lock() {
            Ok(mut sink) => (sink.producer.take_partial(), sink.failed.take()),
            Err(_) => (None, Some(lost("a replay reader's sink was poisoned"))),
        };
        let end = match (failed, ended) {
            (Some(error), _) | (None, Some(Err(error))) => ChunkEnd::Failed(error),
            (None, None) => ChunkEnd::Undecodable(lo),
            (None, Some(Ok(RowsEnd::Done))) => ChunkEnd::Done,
            (None, Some(Ok(RowsEnd::Stopped))) => ChunkEnd::Stopped,
            (None, Some(Ok(RowsEnd::Undecodable { next }))) => ChunkEnd::Undecodable(next),
        };
        let go_on = matches!(end, ChunkEnd::Done);
        // The rows read before the end are folded before it is reported.
        if let Some(page) = last
            && out.blocking_send(Piece::Page(page)).is_err()
        {
            return;
        }
        if out.blocking_send(Piece::End(end)).is_err() || !go_on {
            return;
        }
    }
}

/// Passes the readers' pages on to the fold in log order: chunk `i` from reader `i % READERS`,
/// page by page until its end. Returns the first end that is not [`ChunkEnd::Done`], or `Done`
/// after the last chunk.
async fn sequence(
    readers: &mut [mpsc::Receiver<Piece>],
    chunks: usize,
    full: &mpsc::Sender<Page>,
) -> ChunkEnd {
    for chunk in 0..chunks {
        let Some(reader) = readers.get_mut(chunk % READERS) else {
            return ChunkEnd::Failed(lost("no reader for a chunk"));
        };
        loop {
            match reader.recv().await {
                Some(Piece::Page(page)) => {
                    if full.send(page).await.is_err() {
                        return ChunkEnd::Stopped;
                    }
                }
                Some(Piece::End(ChunkEnd::Done)) => break,
                Some(Piece::End(end)) => return end,
                None => return ChunkEnd::Failed(lost("a replay reader ended early")),
            }
        }
    }
    ChunkEnd::Done
}

/// A failure of the replay's own machinery (a reader thread that panicked).
fn lost(what: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Io(std::io::Error::other(what.to_owned())))
}

/// Why a producer stopped adding rows.
enum Stop {
    /// The row does not decode, or its upcaster failed.
    Failed(StoreError),
}

impl Producer {
    fn new(upcasters: Upcasters, spare: Spare) -> Self {
        Self {
            upcasters,
            page: Page::with_capacity(PAGE_ROWS),
            spare,
            checked_stream: String::new(),
        }
    }

    /// Checks the row and adds it to the page; `Some(page)`: the page is full, send it.
    fn add(&mut self, fields: &EventFields<'_>, hash: &[u8; 32]) -> Result<Option<Page>, Stop> {
        let position = fields.position;
        let corrupt = |detail: String| Stop::Failed(StoreError::Corrupt { position, detail });
        let same_stream =
            self.page.last_stream() == Some(fields.stream) || self.checked_stream == fields.stream;
        if !same_stream {
            if let Some(why) = stream_name_fault(fields.stream) {
                let name = fields.stream.to_owned();
                return Err(corrupt(InvalidInput::StreamName { name, why }.to_string()));
            }
            fields.stream.clone_into(&mut self.checked_stream);
        }
        if let Some(effective) = fields.effective
            && !effective_is_valid(effective)
        {
            return Err(corrupt(
                InvalidInput::Effective(effective.to_owned()).to_string(),
            ));
        }
        if micros_to_time(fields.recorded_at_micros).is_none() {
            return Err(corrupt(format!(
                "recorded_at {} out of range",
                fields.recorded_at_micros
            )));
        }
        let upcasted = if self
            .upcasters
            .applies_to(fields.event_type, fields.schema_version)
        {
            let payload = serde_json::from_str(fields.payload)
                .map_err(|e| corrupt(format!("payload: {e}")))?;
            let upcasted = self
                .upcasters
                .apply(Upcasted {
                    event_type: fields.event_type.to_owned(),
                    schema_version: fields.schema_version,
                    payload,
                })
                .map_err(|(at, detail)| {
                    Stop::Failed(StoreError::Upcast {
                        event_type: at.event_type,
                        schema_version: at.schema_version,
                        detail,
                    })
                })?;
            let text = serde_json::to_string(&upcasted.payload)
                .map_err(|e| corrupt(format!("upcast payload: {e}")))?;
            Some((upcasted, text))
        } else {
            None
        };
        let current = match &upcasted {
            Some((u, text)) => (u.event_type.as_str(), u.schema_version, text.as_str()),
            None => (fields.event_type, fields.schema_version, fields.payload),
        };
        let mut sent = None;
        if self.page.push(fields, hash, current).is_err() {
            // Only when the text outgrows 4 GiB: hand the page over and start a new one.
            sent = Some(self.take_page());
            self.page
                .push(fields, hash, current)
                .map_err(|_| corrupt("event larger than a page".into()))?;
        }
        if sent.is_none() && self.page.is_full() {
            sent = Some(self.take_page());
        }
        Ok(sent)
    }

    /// The filled page, replaced by a folded one (or a new one).
    fn take_page(&mut self) -> Page {
        let next = self
            .spare
            .lock()
            .ok()
            .and_then(|spare| spare.try_recv().ok())
            .unwrap_or_else(|| Page::with_capacity(PAGE_ROWS));
        std::mem::replace(&mut self.page, next)
    }

    /// The page being filled, if it holds any event (replaced by an empty one).
    fn take_partial(&mut self) -> Option<Page> {
        (self.page.len() > 0).then(|| self.take_page())
    }

    /// The last page, if it holds any event.
    fn finish(mut self) -> Option<Page> {
        (self.page.len() > 0).then(|| std::mem::take(&mut self.page))
    }
}

/// Folds pages as they come; returns the state, or the position and error of the fold's
/// failure. Folded pages go back to `spare`.
fn fold_pages<S, E, F>(
    mut pages: mpsc::Receiver<Page>,
    spare: std_mpsc::Sender<Page>,
    mut state: S,
    mut fold: F,
) -> Result<S, (Position, E)>
where
    F: FnMut(&mut S, &EventView<'_>) -> Result<(), E>,
{
    while let Some(mut page) = pages.blocking_recv() {
        for view in page.views() {
            fold(&mut state, &view).map_err(|e| (view.position, e))?;
        }
        page.clear();
        let _ = spare.send(page);
    }
    Ok(state)
}

impl EventStore {
    /// Folds the events from `from` (inclusive) that `filter` selects, in log order, into
    /// `state`: `fold` sees each event borrowed ([`EventView`]), as [`EventStore::read_all`]
    /// would return it (same events, same order, same fields, upcasters applied), without an
    /// owned event or a parsed payload per event.
    ///
    /// **What it sees:** the events at positions `from..=h`, where `h` is the head when the
    /// replay starts; events committed later are not folded (positions have no gaps and rows
    /// never change once committed, so this is a prefix of the log as it stands then).
    ///
    /// On SQLite (a file) the range is cut into chunks (about 16, of 512 to 16,384 positions)
    /// that two blocking readers take in turn, each reading its chunk through a read-only
    /// rusqlite connection (one `SELECT redmud_replay_rows(…)` without a filter) into pages of
    /// reused buffers; the pages reach `fold`, on a third blocking thread, in log order.
    /// Elsewhere the pages are filled from ordinary reads. The
    /// payload is handed over as text and not parsed here (except for an event an upcaster
    /// rewrites): a fold that deserialises it reports a malformed payload itself, where
    /// `read_all` would have reported [`StoreError::Corrupt`].
    ///
    /// Errors: [`ReplayError::Fold`] with the position of the first event `fold` refused (no
    /// later event is folded); [`ReplayError::Store`] when reading fails or an event does not
    /// decode (stream name, effective, recorded time, upcaster) — `fold` has then seen every
    /// event before it.
    pub async fn replay<S, E, F>(
        &self,
        from: Position,
        filter: &Filter,
        state: S,
        fold: F,
    ) -> Result<S, ReplayError<E>>
    where
        S: Send + 'static,
        E: Send + 'static,
        F: FnMut(&mut S, &EventView<'_>) -> Result<(), E> + Send + 'static,
    {
        let to = self.head().await?.position;
        let from = from.max(1);
        let (full_tx, full_rx) = mpsc::channel::<Page>(PAGES_WAITING);
        let (spare_tx, spare_rx) = std_mpsc::channel::<Page>();
        let folder =
            tokio::task::spawn_blocking(move || fold_pages(full_rx, spare_tx, state, fold));
        let producer = Producer::new(self.upcasters().clone(), Arc::new(Mutex::new(spare_rx)));
        // `full_tx` is the fold's only sender: once it is dropped (by `produce` as it returns, or
        // here when there is nothing to read), the channel closes and the fold ends.
        let produced = if from <= to {
            self.produce(producer, full_tx, from, to, filter).await
        } else {
            drop(full_tx);
            Ok(())
        };
        let folded = folder
            .await
            .map_err(|e| StoreError::Database(sqlx::Error::Io(std::io::Error::other(e))))?;
        let state = folded.map_err(|(position, error)| ReplayError::Fold { position, error })?;
        produced?;
        Ok(state)
    }

    /// Fills and sends the pages of positions `from..=to`: by the engine's blocking rows where
    /// it has them, then (from the first row they do not decode, or from the start) by
    /// ordinary reads. Returns when every page is sent or the fold has stopped.
    async fn produce(
        &self,
        mut producer: Producer,
        full: mpsc::Sender<Page>,
        from: Position,
        to: Position,
        filter: &Filter,
    ) -> Result<(), StoreError> {
        let mut next = from;
        if self.engine().reads_blocking() {
            let chunks = chunk_ranges(from, to);
            let mut receivers = Vec::with_capacity(READERS);
            let mut readers = Vec::with_capacity(READERS);
            for reader in 0..READERS {
                let (out, receiver) = mpsc::channel::<Piece>(PAGES_WAITING);
                let mine: Vec<_> = chunks
                    .iter()
                    .copied()
                    .skip(reader)
                    .step_by(READERS)
                    .collect();
                let producer = Producer::new(self.upcasters().clone(), producer.spare.clone());
                let (engine, filter) = (self.engine().clone(), filter.clone());
                readers.push(tokio::task::spawn_blocking(move || {
                    read_chunks(engine.as_ref(), &mine, &filter, producer, out);
                }));
                receivers.push(receiver);
            }
            let ended = sequence(&mut receivers, chunks.len(), &full).await;
            // A reader ahead of the end stops at its next page.
            drop(receivers);
            for reader in readers {
                let _ = reader.await;
            }
            match ended {
                ChunkEnd::Done | ChunkEnd::Stopped => {
                    send_last(producer, &full).await;
                    return Ok(());
                }
                ChunkEnd::Failed(error) => {
                    send_last(producer, &full).await;
                    return Err(error);
                }
                ChunkEnd::Undecodable(at) => next = at,
            }
        }
        // The ordinary reads: pages of stored events, each added as the blocking path adds rows.
        let bulk = filter.categories.is_empty() && filter.event_types.is_empty();
        while next <= to {
            let read = match bulk
                .then(|| self.engine().read_range_bulk(next, Some(to), STORED_PAGE))
                .flatten()
            {
                Some(read) => read.await,
                None => {
                    self.read_all_stored(next, Some(to), filter, STORED_PAGE)
                        .await
                }
            };
            let events = match read {
                Ok(events) => events,
                Err(error) => {
                    // The events before the one that does not read are folded first.
                    send_last(producer, &full).await;
                    return Err(error);
                }
            };
            let Some(last) = events.last() else { break };
            next = last.position.saturating_add(1);
            for event in &events {
                match producer.add(&event.fields(), &event.hash) {
                    Ok(None) => {}
                    Ok(Some(page)) => {
                        if full.send(page).await.is_err() {
                            return Ok(());
                        }
                    }
                    Err(Stop::Failed(error)) => {
                        send_last(producer, &full).await;
                        return Err(error);
                    }
                }
            }
            if events.len() < STORED_PAGE as usize {
                break;
            }
        }
        send_last(producer, &full).await;
        Ok(())
    }
}

/// Sends the producer's last page, if it holds any event (the fold may have stopped: then
/// nobody wants it).
async fn send_last(producer: Producer, full: &mpsc::Sender<Page>) {
    if let Some(page) = producer.finish() {
        let _ = full.send(page).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![Just(String::new()), "[a-z]{1,3}", "\\PC{0,12}"]
    }

    #[derive(Clone, Debug)]
    struct Owned {
        position: u64,
        stream: String,
        version: u64,
        event_id: Uuid,
        event_type: String,
        schema_version: u32,
        recorded_at_micros: i64,
        effective: Option<String>,
        payload: String,
        actor_id: String,
        actor_role: String,
        organisation: String,
        reason: Option<String>,
        correlation_id: Option<Uuid>,
        causation_id: Option<Uuid>,
        idempotency_key: Option<String>,
        hash: [u8; 32],
    }

    fn owned() -> impl Strategy<Value = Owned> {
        let uuid = any::<u128>().prop_map(Uuid::from_u128);
        (
            (
                any::<u64>(),
                text(),
                any::<u64>(),
                uuid.clone(),
                text(),
                any::<u32>(),
            ),
            (
                any::<i64>(),
                proptest::option::of(text()),
                text(),
                text(),
                text(),
            ),
            (
                text(),
                proptest::option::of(text()),
                proptest::option::of(uuid.clone()),
                proptest::option::of(uuid),
                proptest::option::of(text()),
                any::<[u8; 32]>(),
            ),
        )
            .prop_map(|(a, b, c)| Owned {
                position: a.0,
                stream: a.1,
                version: a.2,
                event_id: a.3,
                event_type: a.4,
                schema_version: a.5,
                recorded_at_micros: b.0,
                effective: b.1,
                payload: b.2,
                actor_id: b.3,
                actor_role: b.4,
                organisation: c.0,
                reason: c.1,
                correlation_id: c.2,
                causation_id: c.3,
                idempotency_key: c.4,
                hash: c.5,
            })
    }

    fn fields(e: &Owned) -> EventFields<'_> {
        EventFields {
            position: e.position,
            stream: &e.stream,
            version: e.version,
            event_id: &e.event_id,
            event_type: &e.event_type,
            schema_version: e.schema_version,
            recorded_at_micros: e.recorded_at_micros,
            effective: e.effective.as_deref(),
            payload: &e.payload,
            actor_id: &e.actor_id,
            actor_role: &e.actor_role,
            organisation: &e.organisation,
            reason: e.reason.as_deref(),
            correlation_id: e.correlation_id.as_ref(),
            causation_id: e.causation_id.as_ref(),
            idempotency_key: e.idempotency_key.as_deref(),
        }
    }

    fn view_of(e: &Owned) -> EventView<'_> {
        EventView {
            position: e.position,
            stream: &e.stream,
            version: e.version,
            event_id: e.event_id,
            event_type: &e.event_type,
            schema_version: e.schema_version,
            recorded_at_micros: e.recorded_at_micros,
            effective: e.effective.as_deref(),
            payload: &e.payload,
            actor_id: &e.actor_id,
            actor_role: &e.actor_role,
            organisation: &e.organisation,
            reason: e.reason.as_deref(),
            correlation_id: e.correlation_id,
            causation_id: e.causation_id,
            idempotency_key: e.idempotency_key.as_deref(),
            hash: &e.hash,
        }
    }

    proptest! {
        /// The readers' chunks cover the range exactly, in order, without overlap, none empty
        /// and none longer than MAX_CHUNK; a range of more than MIN_CHUNK positions is split.
        #[test]
        fn chunks_cover_the_range(from in 1u64..1_000_000, len in 1u64..2_000_000) {
            let to = from + len - 1;
            let chunks = chunk_ranges(from, to);
            prop_assert_eq!(chunks.first().map(|c| c.0), Some(from));
            prop_assert_eq!(chunks.last().map(|c| c.1), Some(to));
            for pair in chunks.windows(2) {
                prop_assert_eq!(pair[1].0, pair[0].1 + 1);
            }
            for &(lo, hi) in &chunks {
                prop_assert!(lo <= hi && hi - lo < MAX_CHUNK);
            }
            prop_assert_eq!(chunks.len() > 1, len > MIN_CHUNK);
        }

        /// A page hands back every field of every event it was given, in order, also when
        /// neighbours share texts (interned) and when the page is cleared and reused.
        #[test]
        fn pages_round_trip(
            events in proptest::collection::vec(owned(), 0..40),
            repeat in proptest::collection::vec(0usize..40, 0..20),
        ) {
            // Repeating events makes runs of equal texts, as runs of one stream do.
            let mut all = events.clone();
            for i in repeat {
                if let Some(e) = events.get(i) {
                    all.push(e.clone());
                    all.push(e.clone());
                }
            }
            let mut page = Page::with_capacity(4);
            for round in 0..2 {
                page.clear();
                for e in &all {
                    let f = fields(e);
                    page.push(&f, &e.hash, (f.event_type, f.schema_version, f.payload))
                        .expect("room");
                }
                let seen: Vec<EventView<'_>> = page.views().collect();
                let expected: Vec<EventView<'_>> = all.iter().map(view_of).collect();
                prop_assert_eq!(seen, expected, "round {}", round);
            }
        }
    }

    #[test]
    fn an_upcast_replaces_type_version_and_payload_only() {
        let e = Owned {
            position: 7,
            stream: "enterprise-1".into(),
            version: 2,
            event_id: Uuid::from_u128(1),
            event_type: "Old".into(),
            schema_version: 1,
            recorded_at_micros: 5,
            effective: Some("2026".into()),
            payload: "{}".into(),
            actor_id: "a".into(),
            actor_role: "r".into(),
            organisation: "o".into(),
            reason: None,
            correlation_id: None,
            causation_id: Some(Uuid::from_u128(2)),
            idempotency_key: None,
            hash: [9; 32],
        };
        let mut page = Page::default();
        page.push(&fields(&e), &e.hash, ("New", 2, "{\"x\":1}"))
            .expect("room");
        let mut expected = view_of(&e);
        expected.event_type = "New";
        expected.schema_version = 2;
        expected.payload = "{\"x\":1}";
        assert_eq!(page.views().collect::<Vec<_>>(), vec![expected]);
    }
}
