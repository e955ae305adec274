//! [`StateCache`]: aggregate state cached by stream version, so a command need not reread its
//! stream.
//!
//! The cache is only ever a guess: a command decides on the cached state and appends with
//! [`ExpectedVersion::Exact`] (or [`ExpectedVersion::NoStream`]) of the cached version. If another
//! writer (another task, process or server) appended in between, the store refuses the append with
//! [`StoreError::WrongExpectedVersion`]; the cache entry is then evicted, the stream reread from the
//! version decided on (only the events since) and the command decided again. A stale entry can cost
//! a retry, never a wrong write.
//!
//! The cache is bounded: when full, inserting a new stream evicts the entry inserted longest ago
//! (FIFO). It is internally synchronised (a short `std` mutex, never held across an `.await`), so one
//! cache can be shared by every task of a process.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde_json::Value;

use crate::error::{Result, StoreError};
use crate::store::{EventStore, PAGE};
use crate::types::{Direction, ExpectedVersion, NewEvent, StreamAppend, StreamId};

/// The expectation that holds when a stream is at `version` (0: no stream yet).
pub fn expected_at(version: u64) -> ExpectedVersion {
    if version == 0 {
        ExpectedVersion::NoStream
    } else {
        ExpectedVersion::Exact(version)
    }
}

/// A bounded map stream → (version, state). See the module documentation.
#[derive(Debug)]
pub struct StateCache<S> {
    capacity: usize,
    inner: Mutex<Inner<S>>,
}

#[derive(Debug)]
struct Inner<S> {
    entries: HashMap<StreamId, (u64, S)>,
    /// Insertion order of the streams in `entries` (may hold streams evicted since: skipped).
    order: VecDeque<StreamId>,
}

/// Statistics of one [`StateCache::execute`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Executed {
    /// The stream's version after the command (unchanged when it decided on no events).
    pub version: u64,
    /// Events appended.
    pub appended: usize,
    /// Expected-version conflicts met (each followed by an eviction, a reread and a retry).
    pub conflicts: u32,
    /// Whether the first attempt was decided on cached state (no read).
    pub hit: bool,
}

/// Why [`StateCache::execute`] did not append.
#[derive(Debug, thiserror::Error)]
pub enum ExecuteError<E> {
    /// The command's decision refused it.
    #[error("command rejected: {0}")]
    Rejected(E),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Still conflicting after this many attempts.
    #[error("still conflicting after {0} attempts")]
    TooManyConflicts(u32),
}

impl<S: Clone> StateCache<S> {
    /// A cache holding at most `capacity` streams (at least 1).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            inner: Mutex::new(Inner {
                entries: HashMap::new(),
                order: VecDeque::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<S>> {
        // A panic while holding the lock cannot leave the map inconsistent: keep using it.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cached version and state of a stream.
    pub fn get(&self, stream: &StreamId) -> Option<(u64, S)> {
        self.lock().entries.get(stream).cloned()
    }

    /// Remembers a stream's state at `version`. An entry at a newer version is kept.
    pub fn put(&self, stream: StreamId, version: u64, state: S) {
        let mut inner = self.lock();
        if let Some(entry) = inner.entries.get_mut(&stream) {
            if version >= entry.0 {
                *entry = (version, state);
            }
            return;
        }
        while inner.entries.len() >= self.capacity {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            inner.entries.remove(&oldest);
        }
        inner.order.push_back(stream.clone());
        inner.entries.insert(stream, (version, state));
        // Evicted streams leave stale names in `order`: compact it when they dominate.
        if inner.order.len() > 2 * self.capacity {
            let Inner { entries, order } = &mut *inner;
            let mut seen = std::collections::HashSet::with_capacity(entries.len());
            order.retain(|s| entries.contains_key(s) && seen.insert(s.clone()));
        }
    }

    /// Forgets a stream (after a conflict: its cached state is stale).
    pub fn evict(&self, stream: &StreamId) {
        self.lock().entries.remove(stream);
    }

    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.entries.clear();
        inner.order.clear();
    }

    /// The cached state of a stream, or (on a miss) the stream read and folded with `apply` from
    /// `init()`, then cached. Returns `(version, state, hit)`.
    pub async fn load(
        &self,
        store: &EventStore,
        stream: &StreamId,
        init: impl Fn() -> S,
        apply: impl Fn(&mut S, &str, &Value),
    ) -> Result<(u64, S, bool)> {
        if let Some((version, state)) = self.get(stream) {
            return Ok((version, state, true));
        }
        let (version, state) = self.read_from(store, stream, 0, init(), &apply).await?;
        Ok((version, state, false))
    }

    /// Folds the stream's events after `version` onto `state` (the stream's state at `version`)
    /// and caches the result.
    async fn read_from(
        &self,
        store: &EventStore,
        stream: &StreamId,
        mut version: u64,
        mut state: S,
        apply: impl Fn(&mut S, &str, &Value),
    ) -> Result<(u64, S)> {
        loop {
            let page = store
                .read_stream(stream, version + 1, Direction::Forward, PAGE)
                .await?;
            let full = page.len() == PAGE as usize;
            for event in &page {
                apply(&mut state, &event.event_type, &event.payload);
                version = event.version;
            }
            if !full {
                break;
            }
        }
        self.put(stream.clone(), version, state.clone());
        Ok((version, state))
    }

    /// Runs a command on one stream: state from the cache (or the stream), `decide` on it, append
    /// its events expecting the version the state was at, and cache the new state. On an
    /// expected-version conflict the entry is evicted, the events appended since the version the
    /// command decided on are read and folded on (a catch-up reread: events are immutable, so the
    /// older state plus them is the current state), and the command decided again, at most
    /// `max_attempts` times in all.
    pub async fn execute<E>(
        &self,
        store: &EventStore,
        stream: &StreamId,
        init: impl Fn() -> S,
        apply: impl Fn(&mut S, &str, &Value),
        mut decide: impl FnMut(&S) -> std::result::Result<Vec<NewEvent>, E>,
        max_attempts: u32,
    ) -> std::result::Result<Executed, ExecuteError<E>> {
        let mut conflicts = 0;
        let mut first_hit = None;
        // After a conflict: the state we decided on, still true of its version.
        let mut stale: Option<(u64, S)> = None;
        for _ in 0..max_attempts.max(1) {
            let (version, mut state, hit) = match stale.take() {
                // Events are immutable: the state at `version` plus the events after it is the
                // state now. Read only those.
                Some((version, state)) => {
                    let (version, state) = self
                        .read_from(store, stream, version, state, &apply)
                        .await?;
                    (version, state, false)
                }
                None => self.load(store, stream, &init, &apply).await?,
            };
            first_hit.get_or_insert(hit);
            let decided_on = (version, state.clone());
            let events = decide(&state).map_err(ExecuteError::Rejected)?;
            if events.is_empty() {
                return Ok(Executed {
                    version,
                    appended: 0,
                    conflicts,
                    hit: first_hit.unwrap_or(hit),
                });
            }
            for event in &events {
                apply(&mut state, &event.event_type, &event.payload);
            }
            let appended = events.len();
            let append = StreamAppend::new(stream.clone(), expected_at(version), events);
            match store.append(append).await {
                Ok(result) => {
                    self.put(stream.clone(), result.next_expected_version, state);
                    return Ok(Executed {
                        version: result.next_expected_version,
                        appended,
                        conflicts,
                        hit: first_hit.unwrap_or(hit),
                    });
                }
                Err(StoreError::WrongExpectedVersion { .. }) => {
                    conflicts += 1;
                    self.evict(stream);
                    stale = Some(decided_on);
                }
                Err(error) => {
                    // Unknown outcome (e.g. a failed commit): do not trust the entry.
                    self.evict(stream);
                    return Err(error.into());
                }
            }
        }
        Err(ExecuteError::TooManyConflicts(conflicts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Metadata;
    use serde_json::json;

    fn stream(n: u32) -> StreamId {
        StreamId::new(format!("counter-{n}")).expect("stream name")
    }

    #[test]
    fn bounded_fifo() {
        let cache = StateCache::new(2);
        cache.put(stream(1), 1, "a");
        cache.put(stream(2), 1, "b");
        cache.put(stream(3), 1, "c");
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get(&stream(1)), None);
        assert_eq!(cache.get(&stream(2)), Some((1, "b")));
        assert_eq!(cache.get(&stream(3)), Some((1, "c")));
    }

    #[test]
    fn newer_versions_win_and_evict_forgets() {
        let cache = StateCache::new(10);
        cache.put(stream(1), 5, 50);
        cache.put(stream(1), 4, 40);
        assert_eq!(cache.get(&stream(1)), Some((5, 50)));
        cache.put(stream(1), 6, 60);
        assert_eq!(cache.get(&stream(1)), Some((6, 60)));
        cache.evict(&stream(1));
        assert_eq!(cache.get(&stream(1)), None);
        assert!(cache.is_empty());
    }

    #[test]
    fn order_stays_bounded_under_churn() {
        let cache = StateCache::new(3);
        for round in 0..100 {
            for n in 0..5 {
                cache.put(stream(n), round, n);
                if n % 2 == 0 {
                    cache.evict(&stream(n));
                }
            }
        }
        assert!(cache.len() <= 3);
        assert!(cache.lock().order.len() <= 2 * 3 + 1);
    }

    #[test]
    fn expectation_of_a_version() {
        assert_eq!(expected_at(0), ExpectedVersion::NoStream);
        assert_eq!(expected_at(7), ExpectedVersion::Exact(7));
    }

    fn apply(count: &mut u64, _: &str, _: &Value) {
        *count += 1;
    }

    fn increment(count: &u64) -> std::result::Result<Vec<NewEvent>, std::convert::Infallible> {
        Ok(vec![NewEvent::new(
            "Incremented",
            json!({ "n": *count + 1 }),
            Metadata::actor("bench", "test", "520100"),
        )])
    }

    #[tokio::test]
    async fn stale_entry_conflicts_then_rereads() {
        let file = std::env::temp_dir().join(format!("redmud_cache_{}.db", uuid::Uuid::now_v7()));
        let url = format!("sqlite:{}", file.display());
        let store = EventStore::open(&url).await.expect("open");
        let s = stream(1);
        let ours = StateCache::new(10);
        let theirs = StateCache::new(10);

        let first = ours
            .execute(&store, &s, || 0u64, apply, increment, 3)
            .await
            .expect("first");
        assert_eq!((first.version, first.hit, first.conflicts), (1, false, 0));
        let second = ours
            .execute(&store, &s, || 0u64, apply, increment, 3)
            .await
            .expect("second");
        assert_eq!((second.version, second.hit, second.conflicts), (2, true, 0));

        // Another writer moves the stream on: our entry (version 2) is now stale.
        let other = theirs
            .execute(&store, &s, || 0u64, apply, increment, 3)
            .await
            .expect("other");
        assert_eq!((other.version, other.hit), (3, false));

        let third = ours
            .execute(&store, &s, || 0u64, apply, increment, 3)
            .await
            .expect("third");
        assert_eq!((third.version, third.hit, third.conflicts), (4, true, 1));
        assert_eq!(ours.get(&s), Some((4, 4)));

        let events = store
            .read_stream(&s, 1, Direction::Forward, 100)
            .await
            .expect("read");
        let ns: Vec<_> = events.iter().map(|e| e.payload["n"].clone()).collect();
        assert_eq!(ns, vec![json!(1), json!(2), json!(3), json!(4)]);

        // A rejected decision writes nothing.
        let rejected = ours
            .execute(
                &store,
                &s,
                || 0u64,
                apply,
                |_: &u64| Err::<Vec<NewEvent>, _>("no"),
                3,
            )
            .await;
        assert!(matches!(rejected, Err(ExecuteError::Rejected("no"))));
        assert_eq!(store.stream_version(&s).await.expect("version"), 4);
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    }
}
