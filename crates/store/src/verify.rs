//! Walking the hash chain: recompute every hash from the genesis value and report the first event
//! that does not match, and what kind of damage it shows.

use std::collections::VecDeque;

use serde::Serialize;

use crate::canonical::GENESIS_HASH;
use crate::engine::{BoxFuture, Head, Link, LinkPage, StoredEvent};
use crate::error::Result;
use crate::store::EventStore;
use crate::types::{Filter, Position};

/// Events read per page while verifying.
const VERIFY_PAGE: u32 = 5_000;

/// Positions per page of links ([`crate::StorageEngine::read_links`]).
const LINK_PAGE: u64 = 10_000;

/// What is wrong at the first failing position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ChainFault {
    /// The event's content (payload, metadata, type, times, stream, version…) differs from what
    /// was hashed: its recomputed hash differs from the stored one, and the next event was chained
    /// onto the stored hash.
    ContentAltered,
    /// The stored hash itself was rewritten: the content hashes to what the next event chained on.
    HashRewritten,
    /// Content or hash differ and the damage cannot be told apart (e.g. the last event).
    HashMismatch,
    /// Positions jump: events were deleted (or the numbering was altered).
    Missing {
        expected_position: Position,
        found_position: Position,
    },
    /// A stream's versions do not run 1, 2, 3… in log order (rows inserted, deleted or swapped).
    VersionOutOfOrder {
        stream: String,
        expected_version: u64,
        found_version: u64,
    },
    /// Recorded times go backwards in log order.
    TimeWentBackwards {
        previous_micros: i64,
        found_micros: i64,
    },
    /// The head record disagrees with the last event (the tail was truncated or extended).
    HeadMismatch {
        head_position: Position,
        last_position: Position,
    },
}

/// The result of walking the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Events checked.
    pub checked: u64,
    /// The last position checked and its recomputed hash (hex).
    pub last_position: Position,
    pub last_hash: String,
    /// The first failure: its position and kind. `None`: the chain is intact.
    pub first_failure: Option<ChainFailure>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChainFailure {
    pub position: Position,
    #[serde(flatten)]
    pub fault: ChainFault,
}

impl VerifyReport {
    pub fn is_intact(&self) -> bool {
        self.first_failure.is_none()
    }
}

/// Checks events in log order; feed it pages, then [`ChainVerifier::finish`].
#[derive(Debug)]
pub struct ChainVerifier {
    expected_position: Position,
    previous_hash: [u8; 32],
    previous_stored_hash: [u8; 32],
    previous_micros: i64,
    /// Each stream's last version. Fx, not SipHash: keys are stream names from the log, and
    /// hashing them is a visible part of a verification's time.
    versions: rustc_hash::FxHashMap<String, u64>,
    checked: u64,
    /// Walking from position 1: every stream must start at version 1.
    from_genesis: bool,
    buf: Vec<u8>,
    /// A mismatch at the previous event waiting for the next event to classify it.
    suspect: Option<Position>,
    failure: Option<ChainFailure>,
}

impl ChainVerifier {
    /// Starts at position 1 from the genesis hash.
    pub fn new() -> Self {
        Self::starting_after(0, GENESIS_HASH, i64::MIN)
    }

    /// Starts after a trusted point (e.g. a checkpoint): its position, hash and time.
    pub fn starting_after(position: Position, hash: [u8; 32], recorded_at_micros: i64) -> Self {
        Self {
            expected_position: position + 1,
            previous_hash: hash,
            previous_stored_hash: hash,
            previous_micros: recorded_at_micros,
            versions: rustc_hash::FxHashMap::default(),
            checked: 0,
            from_genesis: position == 0,
            buf: Vec::with_capacity(1024),
            suspect: None,
            failure: None,
        }
    }

    /// Whether a failure was found (then further events are ignored).
    pub fn failed(&self) -> bool {
        self.failure.is_some()
    }

    /// Checks the next event. Version continuity is only checked for streams that started inside
    /// the verified range (a range verification does not know earlier versions).
    pub fn check(&mut self, event: &StoredEvent) {
        self.check_hashed(event, None);
    }

    /// Checks a page of events in log order: the same result as [`ChainVerifier::check`] on each
    /// in turn, computed faster. While the chain is sound, each event's hash over its
    /// predecessor's *stored* hash equals its hash over the recomputed one, so those hashes do
    /// not depend on each other and are computed on several threads; if any of them differs
    /// from the stored hash, the page is checked again one event at a time to classify the
    /// damage exactly as [`ChainVerifier::check`] does.
    pub fn check_page(&mut self, page: &[StoredEvent]) {
        if self.failure.is_some() {
            return;
        }
        let sound_so_far =
            self.suspect.is_none() && self.previous_hash == self.previous_stored_hash;
        if sound_so_far && page.len() >= PARALLEL_MIN {
            let hashes = hashes_over_stored(&self.previous_stored_hash, page);
            if hashes
                .iter()
                .zip(page)
                .all(|(hash, event)| *hash == event.hash)
            {
                for (event, hash) in page.iter().zip(hashes) {
                    self.check_hashed(event, Some(hash));
                    if self.failure.is_some() {
                        return;
                    }
                }
                return;
            }
        }
        for event in page {
            self.check(event);
        }
    }

    /// Checks a page of [`Link`]s in log order while each is exactly what
    /// [`ChainVerifier::check`] accepts without remark: a sound hash, the expected position, no
    /// time going backwards, the stream's next version. Stops before the first link that is not
    /// (or at once if the chain is not sound so far) and returns how many links it accepted; the
    /// caller then checks the events from there with [`ChainVerifier::check_page`]. The state
    /// after `n` accepted links is the state [`ChainVerifier::check`] leaves after those `n`
    /// events.
    pub fn check_links(&mut self, page: &LinkPage) -> usize {
        if self.failure.is_some()
            || self.suspect.is_some()
            || self.previous_hash != self.previous_stored_hash
        {
            return 0;
        }
        // Consecutive links of one stream (one place in the page's names) are a run: its stream
        // is looked up in `versions` once, at its first link, and the last version accepted is
        // written back when the run ends. `run`: the run's last link and whether `versions` lags.
        let mut run: Option<(&Link, bool)> = None;
        let mut accepted: usize = 0;
        for link in &page.links {
            // While the chain is sound (each accepted link keeps it so), the link's hash over the
            // predecessor's stored hash (what `sound` says matched) is its hash over the
            // recomputed one.
            if !link.sound
                || link.position != self.expected_position
                || link.recorded_at_micros < self.previous_micros
            {
                break;
            }
            match run {
                Some((last, _)) if LinkPage::same_stream_place(last, link) => {
                    if link.version != last.version + 1 {
                        break;
                    }
                    run = Some((link, true));
                }
                _ => {
                    self.end_run(page, run);
                    let stream = page.stream(link);
                    match self.versions.get_mut(stream) {
                        Some(last) if link.version != *last + 1 => {
                            run = None;
                            break;
                        }
                        Some(last) => *last = link.version,
                        None if self.from_genesis && link.version != 1 => {
                            run = None;
                            break;
                        }
                        None => {
                            self.versions.insert(stream.to_owned(), link.version);
                        }
                    }
                    run = Some((link, false));
                }
            }
            accepted += 1;
            self.expected_position += 1;
            self.previous_micros = link.recorded_at_micros;
        }
        self.end_run(page, run);
        if let Some(last) = accepted.checked_sub(1).and_then(|i| page.links.get(i)) {
            self.checked += accepted as u64;
            self.previous_hash = last.hash;
            self.previous_stored_hash = last.hash;
        }
        accepted
    }

    /// Writes a run's last accepted version into `versions` if it lags (see `check_links`).
    fn end_run(&mut self, page: &LinkPage, run: Option<(&Link, bool)>) {
        if let Some((last, true)) = run
            && let Some(version) = self.versions.get_mut(page.stream(last))
        {
            *version = last.version;
        }
    }

    /// [`ChainVerifier::check`] with the event's hash over the previous hash computed already.
    fn check_hashed(&mut self, event: &StoredEvent, precomputed: Option<[u8; 32]>) {
        if self.failure.is_some() {
            return;
        }
        if event.position != self.expected_position {
            if let Some(suspect) = self.suspect.take() {
                self.fail(suspect, ChainFault::HashMismatch);
                return;
            }
            self.fail(
                self.expected_position,
                ChainFault::Missing {
                    expected_position: self.expected_position,
                    found_position: event.position,
                },
            );
            return;
        }
        let recomputed = match precomputed {
            Some(hash) => hash,
            None => event
                .fields()
                .chain_hash(&self.previous_hash, &mut self.buf),
        };
        if let Some(suspect) = self.suspect.take() {
            // Did this event chain onto the previous event's stored hash, or onto its real hash?
            let onto_stored = event
                .fields()
                .chain_hash(&self.previous_stored_hash, &mut self.buf)
                == event.hash;
            let fault = if recomputed == event.hash {
                ChainFault::HashRewritten
            } else if onto_stored {
                ChainFault::ContentAltered
            } else {
                ChainFault::HashMismatch
            };
            self.fail(suspect, fault);
            return;
        }
        if event.recorded_at_micros < self.previous_micros {
            self.fail(
                event.position,
                ChainFault::TimeWentBackwards {
                    previous_micros: self.previous_micros,
                    found_micros: event.recorded_at_micros,
                },
            );
            return;
        }
        match self.versions.get_mut(event.stream.as_str()) {
            Some(last) if event.version != *last + 1 => {
                let fault = ChainFault::VersionOutOfOrder {
                    stream: event.stream.clone(),
                    expected_version: *last + 1,
                    found_version: event.version,
                };
                self.fail(event.position, fault);
                return;
            }
            Some(last) => *last = event.version,
            None if self.from_genesis && event.version != 1 => {
                let fault = ChainFault::VersionOutOfOrder {
                    stream: event.stream.clone(),
                    expected_version: 1,
                    found_version: event.version,
                };
                self.fail(event.position, fault);
                return;
            }
            None => {
                self.versions.insert(event.stream.clone(), event.version);
            }
        }
        if recomputed != event.hash {
            self.suspect = Some(event.position);
        }
        self.checked += 1;
        self.expected_position += 1;
        self.previous_hash = recomputed;
        self.previous_stored_hash = event.hash;
        self.previous_micros = event.recorded_at_micros;
    }

    fn fail(&mut self, position: Position, fault: ChainFault) {
        self.failure = Some(ChainFailure { position, fault });
    }

    /// Ends the walk; `head` (when given) must be the last event checked.
    pub fn finish(mut self, head: Option<Head>) -> VerifyReport {
        if self.failure.is_none()
            && let Some(suspect) = self.suspect.take()
        {
            // The last event: the head record plays the part of the next event.
            let fault = match head {
                Some(head)
                    if head.position == suspect && head.hash == self.previous_stored_hash =>
                {
                    ChainFault::ContentAltered
                }
                Some(head) if head.position == suspect && head.hash == self.previous_hash => {
                    ChainFault::HashRewritten
                }
                _ => ChainFault::HashMismatch,
            };
            self.fail(suspect, fault);
        }
        let last_position = self.expected_position - 1;
        if self.failure.is_none()
            && let Some(head) = head
            && (head.position != last_position
                || (last_position > 0 && head.hash != self.previous_hash))
        {
            self.fail(
                last_position.min(head.position) + 1,
                ChainFault::HeadMismatch {
                    head_position: head.position,
                    last_position,
                },
            );
        }
        VerifyReport {
            checked: self.checked,
            last_position,
            last_hash: hex::encode(self.previous_hash),
            first_failure: self.failure,
        }
    }
}

/// Pages shorter than this are hashed on the calling thread.
const PARALLEL_MIN: usize = 256;

/// Each event's hash chained onto its predecessor's stored hash (`previous` for the first), on
/// up to [`std::thread::available_parallelism`] threads.
fn hashes_over_stored(previous: &[u8; 32], page: &[StoredEvent]) -> Vec<[u8; 32]> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8);
    let chunk = page.len().div_ceil(threads).max(1);
    let hash_chunk = |start: usize| -> Vec<[u8; 32]> {
        let mut buf = Vec::with_capacity(1024);
        let end = (start + chunk).min(page.len());
        (start..end)
            .map(|i| {
                let before = if i == 0 { previous } else { &page[i - 1].hash };
                page[i].fields().chain_hash(before, &mut buf)
            })
            .collect()
    };
    if threads == 1 {
        return hash_chunk(0);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads)
            .map(|t| t * chunk)
            .filter(|start| *start < page.len())
            .map(|start| scope.spawn(move || hash_chunk(start)))
            .collect();
        let mut hashes = hash_chunk(0);
        for handle in handles {
            match handle.join() {
                Ok(part) => hashes.extend(part),
                // A hashing thread cannot panic short of a bug; rethrow it here.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        hashes
    })
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self::new()
    }
}

impl EventStore {
    /// A page of stored events for verification: the engine's bulk path when it has one.
    async fn read_for_verify(
        &self,
        from: Position,
        to: Option<Position>,
    ) -> Result<Vec<StoredEvent>> {
        match self.engine().read_range_bulk(from, to, VERIFY_PAGE) {
            Some(bulk) => bulk.await,
            None => {
                self.read_all_stored(from, to, &Filter::all(), VERIFY_PAGE)
                    .await
            }
        }
    }

    /// The fast part of a walk: feeds `verifier` the links of positions `next..=end`
    /// ([`crate::StorageEngine::read_links`]), several pages read in parallel, while it accepts
    /// every link ([`ChainVerifier::check_links`]), adding to `checked` and calling
    /// `progress(checked)` after each page. Returns the position from which the walk goes on
    /// event by event: the first link not accepted, `end + 1`, or `next` if the engine has no
    /// such path. Whatever stops it (damage, a gap, the end of the rows, a failed read), the
    /// slow walk from there finds and classifies it exactly as it always has.
    async fn walk_links(
        &self,
        verifier: &mut ChainVerifier,
        next: Position,
        end: Position,
        checked: &mut u64,
        progress: &mut (impl FnMut(u64) + Send),
    ) -> Position {
        let in_flight = 2 * std::thread::available_parallelism()
            .map_or(1, usize::from)
            .clamp(1, 8);
        let mut pending: VecDeque<(Position, BoxFuture<'static, Result<LinkPage>>)> =
            VecDeque::new();
        let mut request = next;
        loop {
            while pending.len() < in_flight && request <= end {
                let to = request.saturating_add(LINK_PAGE - 1).min(end);
                let Some(page) = self.engine().read_links(request, to) else {
                    break;
                };
                pending.push_back((to, page));
                request = to + 1;
            }
            let Some((to, page)) = pending.pop_front() else {
                break;
            };
            let page = match page.await {
                Ok(page) => page,
                Err(error) => {
                    tracing::warn!(%error, "fast verification read failed; verifying row by row");
                    break;
                }
            };
            let accepted = verifier.check_links(&page);
            *checked += accepted as u64;
            progress(*checked);
            if verifier.expected_position != to + 1 {
                break;
            }
        }
        // Let the reads in flight end (their results are not needed): no reader of the database
        // outlives the walk.
        for (_, page) in pending {
            let _ = page.await;
        }
        verifier.expected_position
    }

    /// Walks the whole chain, every stored row included, and compares its end with the head
    /// record. Appends that commit during the walk are walked too.
    pub async fn verify(&self) -> Result<VerifyReport> {
        let mut head = self.head().await?;
        let mut verifier = ChainVerifier::new();
        let mut next = self
            .walk_links(&mut verifier, 1, head.position, &mut 0, &mut |_| {})
            .await;
        let mut read_ahead: Option<Vec<StoredEvent>> = None;
        loop {
            let page = match read_ahead.take() {
                Some(page) => page,
                None => self.read_for_verify(next, None).await?,
            };
            // Ask for the next page before hashing this one: the database works on it meanwhile.
            if page.len() == VERIFY_PAGE as usize
                && let Some(last) = page.last()
            {
                let (ahead, ()) =
                    tokio::join!(self.read_for_verify(last.position + 1, None), async {
                        verifier.check_page(&page)
                    });
                read_ahead = Some(ahead?);
            } else {
                verifier.check_page(&page);
            }
            match page.last() {
                Some(last) if !verifier.failed() => next = last.position + 1,
                _ => {
                    // The end of the rows (or a failure): is the head where the rows end? Walk on
                    // only if the head moved during the walk (appends committed meanwhile).
                    let now = self.head().await?;
                    if now.position > head.position && now.position >= next && !verifier.failed() {
                        head = now;
                        continue;
                    }
                    return Ok(verifier.finish(Some(now)));
                }
            }
        }
    }
}

/// Where a range verification starts: the trusted point just before the range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyStart {
    /// The last position before the range (0: the genesis).
    pub position: Position,
    /// Its hash (GENESIS for position 0).
    pub hash: [u8; 32],
    /// Its `recorded_at` (`i64::MIN` for the genesis).
    pub recorded_at_micros: i64,
}

impl VerifyStart {
    /// The genesis: before position 1.
    pub const GENESIS: Self = Self {
        position: 0,
        hash: GENESIS_HASH,
        recorded_at_micros: i64::MIN,
    };
}

impl EventStore {
    /// The trusted point before `from` as the database holds it: the stored hash and time of
    /// event `from - 1` (the genesis for `from <= 1`). `None`: no such event.
    pub async fn verify_start(&self, from: Position) -> Result<Option<VerifyStart>> {
        if from <= 1 {
            return Ok(Some(VerifyStart::GENESIS));
        }
        let before = self
            .read_all_stored(from - 1, Some(from - 1), &Filter::all(), 1)
            .await?;
        Ok(before.first().map(|event| VerifyStart {
            position: event.position,
            hash: event.hash,
            recorded_at_micros: event.recorded_at_micros,
        }))
    }

    /// Walks the chain from `start` up to `to` (inclusive; `None`: to the end of the rows),
    /// calling `progress(checked)` after every page. When `to` is `None` or not below the head,
    /// the end is compared with the head record as in [`EventStore::verify`]; a range that ends
    /// before the head cannot classify damage to its last event (reported as `hash_mismatch`).
    pub async fn verify_range(
        &self,
        start: VerifyStart,
        to: Option<Position>,
        mut progress: impl FnMut(u64) + Send,
    ) -> Result<VerifyReport> {
        let mut verifier =
            ChainVerifier::starting_after(start.position, start.hash, start.recorded_at_micros);
        let head = self.head().await?;
        let end = to.map_or(head.position, |to| to.min(head.position));
        let mut checked = 0u64;
        let mut next = self
            .walk_links(
                &mut verifier,
                start.position + 1,
                end,
                &mut checked,
                &mut progress,
            )
            .await;
        let mut read_ahead: Option<Vec<StoredEvent>> = None;
        loop {
            let page = match read_ahead.take() {
                Some(page) => page,
                None => self.read_for_verify(next, to).await?,
            };
            match page.last() {
                Some(last)
                    if page.len() == VERIFY_PAGE as usize
                        && to.is_none_or(|to| last.position < to) =>
                {
                    let (ahead, ()) =
                        tokio::join!(self.read_for_verify(last.position + 1, to), async {
                            verifier.check_page(&page)
                        });
                    read_ahead = Some(ahead?);
                }
                _ => verifier.check_page(&page),
            }
            checked += page.len() as u64;
            progress(checked);
            match page.last() {
                Some(last) if !verifier.failed() && to.is_none_or(|to| last.position < to) => {
                    next = last.position + 1;
                }
                _ => break,
            }
        }
        let head = self.head().await?;
        let Some(to) = to.filter(|to| *to < head.position) else {
            return Ok(verifier.finish(Some(head)));
        };
        let mut report = verifier.finish(None);
        if report.first_failure.is_none() && report.last_position < to {
            // Rows missing at the end of the range: where does the log go on?
            let expected_position = report.last_position + 1;
            let after = self
                .read_all_stored(expected_position, None, &Filter::all(), 1)
                .await?;
            let fault = match after.first() {
                Some(found) => ChainFault::Missing {
                    expected_position,
                    found_position: found.position,
                },
                None => ChainFault::HeadMismatch {
                    head_position: head.position,
                    last_position: report.last_position,
                },
            };
            report.first_failure = Some(ChainFailure {
                position: expected_position,
                fault,
            });
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    /// A sound chain of `n` events over 7 streams.
    fn chain(n: u64) -> Vec<StoredEvent> {
        let mut events: Vec<StoredEvent> = Vec::new();
        let mut versions = std::collections::HashMap::new();
        let mut previous = GENESIS_HASH;
        let mut buf = Vec::new();
        for position in 1..=n {
            let stream = format!("enterprise-{}", Uuid::from_u128(u128::from(position % 7)));
            let version = versions.entry(stream.clone()).or_insert(0u64);
            *version += 1;
            let mut event = StoredEvent {
                position,
                stream,
                version: *version,
                event_id: Uuid::from_u128(u128::from(position) << 64),
                event_type: "LedgerRecorded".to_owned(),
                schema_version: 1,
                recorded_at_micros: 1_700_000_000_000_000 + position as i64,
                effective: Some("2026-Q1".to_owned()),
                payload: format!("{{\"n\":{position}}}"),
                actor_id: "guiyang".to_owned(),
                actor_role: "bureau".to_owned(),
                organisation: "贵阳市工信局".to_owned(),
                reason: (position % 3 == 0).then(|| "更正".to_owned()),
                correlation_id: None,
                causation_id: None,
                idempotency_key: None,
                hash: [0; 32],
            };
            event.hash = event.fields().chain_hash(&previous, &mut buf);
            previous = event.hash;
            events.push(event);
        }
        events
    }

    fn head_of(events: &[StoredEvent]) -> Head {
        let last = events.last().expect("events");
        Head {
            position: last.position,
            hash: last.hash,
            recorded_at_micros: last.recorded_at_micros,
        }
    }

    /// Event by event, and by pages of `page` events.
    fn both(events: &[StoredEvent], head: Head, page: usize) -> (VerifyReport, VerifyReport) {
        let mut one = ChainVerifier::new();
        for event in events {
            one.check(event);
        }
        let mut paged = ChainVerifier::new();
        for chunk in events.chunks(page) {
            paged.check_page(chunk);
        }
        (one.finish(Some(head)), paged.finish(Some(head)))
    }

    #[test]
    fn pages_verify_exactly_as_events_one_by_one() {
        let sound = chain(3_000);
        let head = head_of(&sound);
        let (one, paged) = both(&sound, head, 1_000);
        assert!(one.is_intact());
        assert_eq!(one, paged);

        type Tamper = fn(&mut Vec<StoredEvent>);
        let tampers: &[(&str, Tamper)] = &[
            ("payload", |e| e[1_500].payload.push(' ')),
            ("metadata", |e| e[2_001].actor_id = "zunyi".to_owned()),
            ("hash rewritten", |e| e[999].hash[0] ^= 1),
            ("deleted", |e| {
                e.remove(1_200);
            }),
            ("swapped", |e| e.swap(700, 701)),
            ("time", |e| e[2_500].recorded_at_micros = 0),
            ("version", |e| e[10].version += 7),
            ("last event", |e| {
                if let Some(last) = e.last_mut() {
                    last.payload.push(' ');
                }
            }),
        ];
        for (name, tamper) in tampers {
            let mut events = sound.clone();
            tamper(&mut events);
            for page in [300, 1_000, 5_000] {
                let (one, paged) = both(&events, head, page);
                assert!(!one.is_intact(), "{name}: detected");
                assert_eq!(one, paged, "{name}, pages of {page}");
            }
        }
    }

    /// The rows of a database holding `events`: in position order.
    fn rows(events: &[StoredEvent]) -> Vec<StoredEvent> {
        let mut rows = events.to_vec();
        rows.sort_by_key(|e| e.position);
        rows
    }

    /// What an engine's `read_links(from, to)` returns over `rows`.
    fn links_of(rows: &[StoredEvent], from: Position, to: Position) -> LinkPage {
        let mut page = crate::engine::LinkPageBuilder::new(from, 16);
        let first = from.saturating_sub(1).max(1);
        for event in rows
            .iter()
            .filter(|e| e.position >= first && e.position <= to)
        {
            if !page.row(Some((event.fields(), event.hash))) {
                break;
            }
        }
        page.finish()
    }

    /// `EventStore::verify` with link pages of `page` positions up to the head, then the rows
    /// from where they stopped, checked in pages of 1,000.
    fn fast_walk(rows: &[StoredEvent], head: Head, page: u64) -> VerifyReport {
        let mut verifier = ChainVerifier::new();
        let mut next = 1;
        while next <= head.position {
            let to = (next + page - 1).min(head.position);
            verifier.check_links(&links_of(rows, next, to));
            if verifier.expected_position != to + 1 {
                break;
            }
            next = to + 1;
        }
        let rest: Vec<StoredEvent> = rows
            .iter()
            .filter(|e| e.position >= verifier.expected_position)
            .cloned()
            .collect();
        for chunk in rest.chunks(1_000) {
            verifier.check_page(chunk);
        }
        verifier.finish(Some(head))
    }

    /// The old walk: every row, one by one.
    fn slow_walk(rows: &[StoredEvent], head: Head) -> VerifyReport {
        let mut verifier = ChainVerifier::new();
        for event in rows {
            verifier.check(event);
        }
        verifier.finish(Some(head))
    }

    type Tamper = fn(&mut Vec<StoredEvent>, usize);

    /// Damage at row `i` (of a chain of more than `i + 1` rows).
    const TAMPERS: &[(&str, Tamper)] = &[
        ("payload", |e, i| e[i].payload.push(' ')),
        ("metadata", |e, i| e[i].actor_id = "zunyi".to_owned()),
        ("optional field", |e, i| {
            e[i].correlation_id = Some(Uuid::from_u128(9));
        }),
        ("stream", |e, i| e[i].stream = "enterprise-x".to_owned()),
        ("hash rewritten", |e, i| e[i].hash[0] ^= 1),
        ("deleted", |e, i| {
            e.remove(i);
        }),
        ("deleted with its successor", |e, i| {
            e.drain(i..i + 2);
        }),
        ("contents swapped", |e, i| {
            let (a, b) = (e[i].position, e[i + 1].position);
            e.swap(i, i + 1);
            e[i].position = a;
            e[i + 1].position = b;
        }),
        ("position renumbered", |e, i| e[i].position += 1_000_000),
        ("time", |e, i| e[i].recorded_at_micros = 0),
        ("version", |e, i| e[i].version += 7),
        ("tail truncated", |e, i| e.truncate(i)),
    ];

    #[test]
    fn link_pages_verify_exactly_as_events_one_by_one() {
        let sound = chain(2_000);
        let head = head_of(&sound);
        for page in [1, 7, 1_000, 10_000] {
            let fast = fast_walk(&sound, head, page);
            assert!(fast.is_intact());
            assert_eq!(fast, slow_walk(&sound, head), "sound, pages of {page}");
        }
        // Damage inside a page, at its first and last rows, and at the first and last events.
        for (name, tamper) in TAMPERS {
            for i in [0, 1, 499, 500, 501, 999, 1_000, 1_500, 1_998] {
                let mut events = sound.clone();
                tamper(&mut events, i);
                let rows = rows(&events);
                let slow = slow_walk(&rows, head);
                assert!(!slow.is_intact(), "{name} at {i}: detected");
                for page in [1, 500, 1_000, 3_000] {
                    assert_eq!(
                        fast_walk(&rows, head, page),
                        slow,
                        "{name} at {i}, pages of {page}"
                    );
                }
            }
        }
        // The last event: the head record classifies it.
        let mut events = sound.clone();
        if let Some(last) = events.last_mut() {
            last.payload.push(' ');
        }
        assert_eq!(fast_walk(&events, head, 500), slow_walk(&events, head));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        #[test]
        fn link_pages_match_events_under_random_damage(
            n in 3u64..400,
            damage in proptest::collection::vec((0usize..TAMPERS.len(), 0usize..1_000), 0..3),
            page in 1u64..300,
        ) {
            let sound = chain(n);
            let head = head_of(&sound);
            let mut events = sound.clone();
            for (kind, at) in damage {
                if events.len() < 3 {
                    break;
                }
                let i = at % (events.len() - 2);
                (TAMPERS[kind].1)(&mut events, i);
            }
            let rows = rows(&events);
            proptest::prop_assert_eq!(fast_walk(&rows, head, page), slow_walk(&rows, head));
        }
    }
}
