//! The group-commit writer: one task per store owns writing. It takes every append request that is
//! waiting, decides each against the current stream versions, and commits all accepted ones in one
//! transaction (one fsync). Each request still succeeds or fails on its own.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, watch};
use uuid::Uuid;

use crate::canonical::GENESIS_HASH;
use crate::engine::{Head, StorageEngine, StoredEvent, WriteTx};
use crate::error::{Result, StoreError};
use crate::types::{AppendResult, ExpectedVersion, Metadata, Position, StreamId};
use crate::views::{PreparedChange, ViewWrites, plan};

/// Most requests merged into one transaction.
const MAX_GROUP: usize = 256;
/// Stream versions remembered between groups.
const MAX_CACHED_STREAMS: usize = 100_000;

#[derive(Debug)]
pub(crate) struct PreparedEvent {
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    pub effective: Option<String>,
    /// Canonical JSON.
    pub payload: String,
    pub metadata: Metadata,
}

#[derive(Debug)]
pub(crate) struct PreparedAppend {
    pub stream: StreamId,
    pub expected: ExpectedVersion,
    pub events: Vec<PreparedEvent>,
    /// Read-model changes, sorted by the index of the event they follow.
    pub views: Vec<PreparedView>,
}

/// A validated read-model change, after the event at index `after` of its append.
#[derive(Debug)]
pub(crate) struct PreparedView {
    pub after: usize,
    pub change: PreparedChange,
}

pub(crate) struct WriteRequest {
    pub appends: Vec<PreparedAppend>,
    pub reply: oneshot::Sender<Result<Vec<AppendResult>>>,
}

pub(crate) fn spawn(
    engine: Arc<dyn StorageEngine>,
    head: watch::Sender<Position>,
) -> mpsc::Sender<WriteRequest> {
    let (sender, mut requests) = mpsc::channel::<WriteRequest>(1_024);
    tokio::spawn(async move {
        let mut writer = Writer {
            engine,
            head,
            cache: Cache::default(),
        };
        let mut group = Vec::with_capacity(MAX_GROUP);
        // Requests answered by the last commit: their callers may be about to send the next.
        let mut answered = 0;
        loop {
            let waiting = requests.len();
            if requests.recv_many(&mut group, MAX_GROUP).await == 0 {
                break;
            }
            gather(&mut requests, &mut group, waiting + answered).await;
            answered = group.len();
            writer.commit_group(std::mem::take(&mut group)).await;
        }
    });
    sender
}

/// Yields to other tasks this many times at most while a group waits for the callers the last
/// commit answered.
const MAX_GATHER_YIELDS: usize = 4;

/// Lets the callers the last commit answered send their next request before the group commits,
/// as PostgreSQL's `commit_delay` waits for `commit_siblings`: a group holds what waited during
/// the last commit plus, if they come back at once, the callers just answered.
///
/// Without it, closed-loop callers split into two groups that take turns: those answered by one
/// commit send again while the next is running, so each commit holds only part of them and every
/// caller pays two flushes per round. A caller that does not come back costs at most
/// [`MAX_GATHER_YIELDS`] passes of the scheduler, no timer: a lone caller (`expected` 1) never
/// waits.
async fn gather(
    requests: &mut mpsc::Receiver<WriteRequest>,
    group: &mut Vec<WriteRequest>,
    expected: usize,
) {
    let expected = expected.min(MAX_GROUP);
    for _ in 0..MAX_GATHER_YIELDS {
        if group.len() >= expected {
            return;
        }
        tokio::task::yield_now().await;
        while group.len() < MAX_GROUP {
            match requests.try_recv() {
                Ok(request) => group.push(request),
                Err(_) => break,
            }
        }
    }
}

/// What the writer knows of the log between groups. Valid only while the head it saw is still the
/// head: another process may have written in between, in which case it is dropped.
#[derive(Default)]
struct Cache {
    head: Option<Head>,
    versions: HashMap<StreamId, u64>,
}

struct Writer {
    engine: Arc<dyn StorageEngine>,
    head: watch::Sender<Position>,
    cache: Cache,
}

/// The verdict on one request within a group.
enum Verdict {
    /// Accepted: its events are among the group's new rows.
    Accepted(Vec<AppendResult>),
    /// Already committed earlier (idempotent retry): the original results.
    Replayed(Vec<AppendResult>),
    Refused(StoreError),
}

impl Writer {
    async fn commit_group(&mut self, group: Vec<WriteRequest>) {
        match self.try_commit(&group).await {
            Ok(verdicts) => {
                for (request, verdict) in group.into_iter().zip(verdicts) {
                    let outcome = match verdict {
                        Verdict::Accepted(results) | Verdict::Replayed(results) => Ok(results),
                        Verdict::Refused(error) => Err(error),
                    };
                    // A caller that went away does not undo a commit.
                    let _ = request.reply.send(outcome);
                }
            }
            Err(error) => {
                self.cache = Cache::default();
                tracing::error!(%error, requests = group.len(), "group commit failed");
                let shared = Arc::new(error);
                for request in group {
                    let _ = request
                        .reply
                        .send(Err(StoreError::WriteFailed(shared.clone())));
                }
            }
        }
    }

    async fn try_commit(&mut self, group: &[WriteRequest]) -> Result<Vec<Verdict>> {
        if let Some(verdicts) = self.try_optimistic(group).await? {
            return Ok(verdicts);
        }
        let mut tx = self.engine.begin_write().await?;
        let head = tx.lock_head().await?;
        if self.cache.head != Some(head) {
            self.cache.versions.clear();
        }
        let existing = self.existing_events(tx.as_mut(), group).await?;
        self.load_versions(tx.as_mut(), group).await?;
        let (verdicts, rows, views, new_head) = self.decide_group(group, head, &existing);
        if rows.is_empty() {
            // Nothing to write: let the transaction roll back.
            return Ok(verdicts);
        }
        tx.insert(&rows, new_head).await?;
        if !views.is_empty() {
            tx.write_views(&views).await?;
        }
        tx.commit().await?;
        self.committed(new_head);
        Ok(verdicts)
    }

    /// The fast path, where the engine offers it: decide on what the writer knows (the head and the
    /// versions it saw last) and commit in one statement on condition that the head has not moved.
    /// `None` when that cannot be done or the condition failed: then the locked path runs.
    async fn try_optimistic(&mut self, group: &[WriteRequest]) -> Result<Option<Vec<Verdict>>> {
        let Some(head) = self.cache.head else {
            return Ok(None);
        };
        // A stream the writer has not seen is known too when the append expects it not to exist
        // (a creation): it is taken as new, and inserting its version 1 proves that (the UNIQUE
        // constraint on stream and version refuses the commit otherwise, and the locked path
        // decides).
        let all_known = group.iter().flat_map(|r| &r.appends).all(|a| {
            a.expected == ExpectedVersion::NoStream || self.cache.versions.contains_key(&a.stream)
        });
        if !all_known {
            return Ok(None);
        }
        for append in group.iter().flat_map(|r| &r.appends) {
            if append.expected == ExpectedVersion::NoStream {
                self.cache
                    .versions
                    .entry(append.stream.clone())
                    .or_insert(0);
            }
        }
        let (verdicts, rows, views, new_head) = self.decide_group(group, head, &HashMap::new());
        // A refusal may rest on stale knowledge, and an empty group has nothing to gain: let the
        // locked path decide those.
        let trusted = verdicts.iter().all(|v| !matches!(v, Verdict::Refused(_)));
        let outcome = if trusted && !rows.is_empty() {
            match self.engine.commit_if_head(head, rows, views, new_head) {
                Some(commit) => commit.await?,
                None => false,
            }
        } else {
            false
        };
        if outcome {
            self.committed(new_head);
            Ok(Some(verdicts))
        } else {
            // `decide_group` moved the cached versions on: forget them.
            self.cache = Cache::default();
            Ok(None)
        }
    }

    /// Decides every request of the group against `head` and the cached stream versions: the
    /// verdicts, the rows to insert, the read-model writes of the accepted requests, the new head.
    fn decide_group(
        &mut self,
        group: &[WriteRequest],
        head: Head,
        existing: &HashMap<Uuid, StoredEvent>,
    ) -> (Vec<Verdict>, Vec<StoredEvent>, ViewWrites, Head) {
        let now = chrono::Utc::now()
            .timestamp_micros()
            .max(head.recorded_at_micros);
        let mut next = Next {
            position: head.position,
            hash: head.hash,
            recorded_at: now,
        };
        let mut rows: Vec<StoredEvent> = Vec::new();
        let mut pending: HashMap<Uuid, usize> = HashMap::new();
        let mut verdicts = Vec::with_capacity(group.len());
        let mut changes = Vec::new();
        for request in group {
            let verdict = match replay_of(&request.appends, existing, &rows, &pending) {
                Some(verdict) => verdict,
                None => self.decide(
                    &request.appends,
                    &mut next,
                    &mut rows,
                    &mut pending,
                    &mut changes,
                ),
            };
            verdicts.push(verdict);
        }
        let new_head = Head {
            position: next.position,
            hash: next.hash,
            recorded_at_micros: next.recorded_at,
        };
        (verdicts, rows, plan(changes), new_head)
    }

    /// After a commit: remember the new head and announce it.
    fn committed(&mut self, new_head: Head) {
        self.cache.head = Some(new_head);
        if self.cache.versions.len() > MAX_CACHED_STREAMS {
            self.cache.versions.clear();
        }
        crate::engine::announce_head(&self.head, new_head.position);
    }

    /// Events of this group whose ids are already stored.
    async fn existing_events(
        &self,
        tx: &mut dyn WriteTx,
        group: &[WriteRequest],
    ) -> Result<HashMap<Uuid, StoredEvent>> {
        let ids: Vec<Uuid> = group
            .iter()
            .flat_map(|r| {
                r.appends
                    .iter()
                    .flat_map(|a| a.events.iter().map(|e| e.event_id))
            })
            .collect();
        Ok(tx
            .find_events(&ids)
            .await?
            .into_iter()
            .map(|e| (e.event_id, e))
            .collect())
    }

    /// Makes sure every stream of the group has its current version in the cache.
    async fn load_versions(&mut self, tx: &mut dyn WriteTx, group: &[WriteRequest]) -> Result<()> {
        let mut missing: Vec<&str> = group
            .iter()
            .flat_map(|r| r.appends.iter().map(|a| &a.stream))
            .filter(|s| !self.cache.versions.contains_key(*s))
            .map(StreamId::as_str)
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        missing.sort_unstable();
        missing.dedup();
        let found = tx.stream_versions(&missing).await?;
        for name in missing {
            let version = found.get(name).copied().unwrap_or(0);
            if let Ok(stream) = StreamId::new(name) {
                self.cache.versions.insert(stream, version);
            }
        }
        Ok(())
    }

    /// Checks a request's expected versions and, if all hold, assigns positions and hashes and
    /// places its read-model changes at their positions.
    fn decide<'g>(
        &mut self,
        appends: &'g [PreparedAppend],
        next: &mut Next,
        rows: &mut Vec<StoredEvent>,
        pending: &mut HashMap<Uuid, usize>,
        changes: &mut Vec<(Position, &'g PreparedChange)>,
    ) -> Verdict {
        for append in appends {
            let actual = self
                .cache
                .versions
                .get(&append.stream)
                .copied()
                .unwrap_or(0);
            if !append.expected.accepts(actual) {
                return Verdict::Refused(StoreError::WrongExpectedVersion {
                    stream: append.stream.clone(),
                    expected: append.expected,
                    actual,
                });
            }
        }
        let mut results = Vec::with_capacity(appends.len());
        let mut buf = Vec::with_capacity(512);
        for append in appends {
            let mut version = self
                .cache
                .versions
                .get(&append.stream)
                .copied()
                .unwrap_or(0);
            let first_position = next.position + 1;
            for event in &append.events {
                version += 1;
                next.position += 1;
                let mut row = StoredEvent {
                    position: next.position,
                    stream: append.stream.as_str().to_owned(),
                    version,
                    event_id: event.event_id,
                    event_type: event.event_type.clone(),
                    schema_version: event.schema_version,
                    recorded_at_micros: next.recorded_at,
                    effective: event.effective.clone(),
                    payload: event.payload.clone(),
                    actor_id: event.metadata.actor_id.clone(),
                    actor_role: event.metadata.actor_role.clone(),
                    organisation: event.metadata.organisation.clone(),
                    reason: event.metadata.reason.clone(),
                    correlation_id: event.metadata.correlation_id,
                    causation_id: event.metadata.causation_id,
                    idempotency_key: event.metadata.idempotency_key.clone(),
                    hash: GENESIS_HASH,
                };
                row.hash = row.fields().chain_hash(&next.hash, &mut buf);
                next.hash = row.hash;
                pending.insert(row.event_id, rows.len());
                rows.push(row);
            }
            self.cache.versions.insert(append.stream.clone(), version);
            changes.extend(
                append
                    .views
                    .iter()
                    .map(|v| (first_position + v.after as u64, &v.change)),
            );
            results.push(AppendResult {
                first_position,
                last_position: next.position,
                next_expected_version: version,
            });
        }
        Verdict::Accepted(results)
    }
}

struct Next {
    position: Position,
    hash: [u8; 32],
    recorded_at: i64,
}

/// If the request's event ids were used before (stored, or earlier in this group), the verdict:
/// the original results when every event is the same one again, an error otherwise.
fn replay_of(
    appends: &[PreparedAppend],
    existing: &HashMap<Uuid, StoredEvent>,
    rows: &[StoredEvent],
    pending: &HashMap<Uuid, usize>,
) -> Option<Verdict> {
    let lookup = |id: &Uuid| {
        existing
            .get(id)
            .or_else(|| pending.get(id).and_then(|&i| rows.get(i)))
    };
    let mut any_used = false;
    let mut first_mismatch = None;
    for append in appends {
        for event in &append.events {
            if let Some(stored) = lookup(&event.event_id) {
                any_used = true;
                let same = stored.stream == append.stream.as_str()
                    && stored.event_type == event.event_type
                    && stored.schema_version == event.schema_version
                    && stored.payload == event.payload
                    && stored.effective == event.effective;
                if !same && first_mismatch.is_none() {
                    first_mismatch = Some(stored);
                }
            }
        }
    }
    if !any_used {
        return None;
    }
    let all_used = appends
        .iter()
        .all(|a| a.events.iter().all(|e| lookup(&e.event_id).is_some()));
    if let Some(stored) = first_mismatch.or_else(|| {
        // Partly used ids: name the first event that exists.
        (!all_used)
            .then(|| {
                appends
                    .iter()
                    .flat_map(|a| &a.events)
                    .find_map(|e| lookup(&e.event_id))
            })
            .flatten()
    }) {
        return Some(Verdict::Refused(StoreError::EventIdReused {
            event_id: stored.event_id,
            position: stored.position,
        }));
    }
    let results = appends
        .iter()
        .map(|append| {
            let positions: Vec<&StoredEvent> = append
                .events
                .iter()
                .filter_map(|e| lookup(&e.event_id))
                .collect();
            AppendResult {
                first_position: positions.first().map_or(0, |e| e.position),
                last_position: positions.last().map_or(0, |e| e.position),
                next_expected_version: positions.last().map_or(0, |e| e.version),
            }
        })
        .collect();
    Some(Verdict::Replayed(results))
}
