//! The event store conformance suite: every test runs on SQLite and on PostgreSQL, each on a fresh
//! database.

mod common;
#[path = "conformance/read_models.rs"]
mod read_models;

use std::collections::HashMap;

use common::{Engine, TestDb, event, meta, stream};
use futures_util::StreamExt;
use read_models::*;
use redmud_store::{
    AsOf, ChainFault, Direction, Effective, EnginePool, EventStore, ExpectedVersion, Filter,
    InvalidInput, NewEvent, Snapshot, StoreError, StoreOptions, StreamAppend, StreamId, Upcasted,
    Upcasters,
};
use serde_json::json;

on_both_engines!(
    versions_start_at_one_and_read_both_ways,
    expected_version_is_enforced_with_a_typed_conflict,
    retried_event_ids_are_idempotent,
    events_are_found_by_id,
    events_are_read_by_position,
    a_used_id_with_another_payload_is_refused,
    a_failed_batch_writes_nothing,
    bad_input_is_refused_before_writing,
    envelope_round_trips,
    concurrent_writers_from_two_pools_leave_a_gap_free_chain,
    contended_streams_lose_no_update,
    as_of_reads_see_the_past,
    every_moment_resolves_to_the_last_position_recorded_by_then,
    read_all_filters_by_category_and_type,
    read_all_page_after_page_sees_appends_made_meanwhile,
    replay_sees_what_read_all_returns,
    replay_stops_at_the_first_fold_error,
    replay_of_an_odd_row_reports_what_read_all_reports,
    subscription_catches_up_while_appends_continue,
    filtered_subscription_sees_only_its_events,
    tampering_is_located,
    ranges_verify_from_the_stored_hash_before_them,
    upcasters_apply_on_every_read_path,
    snapshots_keep_the_newest_and_ignore_stale_tags,
    migrations_are_idempotent,
    close_leaves_no_connection_open,
    large_batches_span_statements_and_pages,
    views_are_upserted_superseded_and_removed,
    view_lists_filter_sort_and_page,
    view_pages_are_capped,
    view_heads_docs_and_decoded_rows_match_the_lists,
    indexed_heads_follow_writes_from_another_store,
    retried_and_refused_appends_write_no_views,
    concurrent_appends_each_write_their_views,
    rebuild_equals_incremental,
    rebuild_runs_while_appends_continue,
);

/// Appends one event of `kind` carrying `n`, whatever the stream's version.
async fn append_one(store: &EventStore, stream: &StreamId, kind: &str, n: i64) {
    store
        .append(StreamAppend::new(
            stream.clone(),
            ExpectedVersion::Any,
            vec![event(kind, n)],
        ))
        .await
        .expect("append");
}

async fn append_n(store: &EventStore, stream: &StreamId, n: i64) {
    for i in 0..n {
        append_one(store, stream, "Counted", i).await;
    }
}

async fn versions_start_at_one_and_read_both_ways(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    let first = store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::NoStream,
            vec![event("A", 1), event("B", 2)],
        ))
        .await
        .expect("append");
    assert_eq!(
        (
            first.first_position,
            first.last_position,
            first.next_expected_version
        ),
        (1, 2, 2)
    );
    append_n(&store, &s, 3).await;

    let forward = store
        .read_stream(&s, 1, Direction::Forward, 100)
        .await
        .expect("read");
    assert_eq!(
        forward.iter().map(|e| e.version).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );
    let from_three = store
        .read_stream(&s, 3, Direction::Forward, 2)
        .await
        .expect("read");
    assert_eq!(
        from_three.iter().map(|e| e.version).collect::<Vec<_>>(),
        vec![3, 4]
    );
    let backward = store
        .read_stream(&s, u64::MAX, Direction::Backward, 2)
        .await
        .expect("read");
    assert_eq!(
        backward.iter().map(|e| e.version).collect::<Vec<_>>(),
        vec![5, 4]
    );
    let backward_from = store
        .read_stream(&s, 2, Direction::Backward, 10)
        .await
        .expect("read");
    assert_eq!(
        backward_from.iter().map(|e| e.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(store.stream_version(&s).await.expect("version"), 5);
    assert_eq!(
        store
            .stream_version(&stream("enterprise"))
            .await
            .expect("version"),
        0
    );
    assert_eq!(s.category(), "enterprise");
}

async fn expected_version_is_enforced_with_a_typed_conflict(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("project");
    store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::NoStream,
            vec![event("A", 1)],
        ))
        .await
        .expect("first");

    let again = store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::NoStream,
            vec![event("A", 2)],
        ))
        .await;
    match again {
        Err(StoreError::WrongExpectedVersion {
            stream,
            expected,
            actual,
        }) => {
            assert_eq!(
                (stream, expected, actual),
                (s.clone(), ExpectedVersion::NoStream, 1)
            );
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let stale = store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Exact(3),
            vec![event("A", 3)],
        ))
        .await;
    assert!(matches!(
        stale,
        Err(StoreError::WrongExpectedVersion {
            expected: ExpectedVersion::Exact(3),
            actual: 1,
            ..
        })
    ));
    assert!(stale.as_ref().err().is_some_and(StoreError::is_conflict));
    let ok = store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Exact(1),
            vec![event("A", 4)],
        ))
        .await
        .expect("exact");
    assert_eq!(ok.next_expected_version, 2);
    let missing = store
        .append(StreamAppend::new(
            stream("project"),
            ExpectedVersion::Exact(1),
            vec![event("A", 5)],
        ))
        .await;
    assert!(matches!(
        missing,
        Err(StoreError::WrongExpectedVersion { actual: 0, .. })
    ));
    assert_eq!(store.head().await.expect("head").position, 2);
}

async fn retried_event_ids_are_idempotent(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    append_n(&store, &s, 2).await;
    let events = vec![event("A", 1), event("B", 2)];
    let append = StreamAppend::new(s.clone(), ExpectedVersion::Exact(2), events);
    let first = store.append(append.clone()).await.expect("first");
    // The retry carries a now stale expected version: the ids decide, not the version.
    let retry = store.append(append.clone()).await.expect("retry");
    assert_eq!(first, retry);
    // Two identical retries racing in one group still write once.
    let (a, b) = tokio::join!(store.append(append.clone()), store.append(append));
    assert_eq!(a.expect("a"), first);
    assert_eq!(b.expect("b"), first);
    assert_eq!(store.head().await.expect("head").position, 4);
    assert!(store.verify().await.expect("verify").is_intact());
}

async fn events_are_found_by_id(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (s, t) = (stream("enterprise"), stream("project"));
    append_n(&store, &s, 3).await;
    append_n(&store, &t, 2).await;
    let all = store.read_all(1, &Filter::all(), 100).await.expect("all");
    // Asked out of order, with an id that is not in the log: found in log order, unknown absent.
    let wanted = [all[3].event_id, uuid::Uuid::now_v7(), all[1].event_id];
    let found = store.find_events(&wanted).await.expect("find");
    assert_eq!(
        found.iter().map(|e| e.position).collect::<Vec<_>>(),
        vec![all[1].position, all[3].position]
    );
    assert_eq!(found[1].stream, t);
    assert_eq!(found[1].payload, all[3].payload);
    assert!(store.find_events(&[]).await.expect("none").is_empty());
}

async fn a_used_id_with_another_payload_is_refused(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    let original = event("A", 1);
    store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Any,
            vec![original.clone()],
        ))
        .await
        .expect("append");
    let mut forged = original.clone();
    forged.payload = json!({ "n": 999 });
    let refused = store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Any,
            vec![forged],
        ))
        .await;
    assert!(
        matches!(refused, Err(StoreError::EventIdReused { event_id, position: 1 }) if event_id == original.event_id)
    );
    // Same id with a new one beside it: partly used ids are refused too.
    let partly = store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Any,
            vec![original.clone(), event("B", 2)],
        ))
        .await;
    assert!(matches!(
        partly,
        Err(StoreError::EventIdReused { position: 1, .. })
    ));
    assert_eq!(store.head().await.expect("head").position, 1);
}

async fn a_failed_batch_writes_nothing(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (a, b) = (stream("enterprise"), stream("project"));
    append_n(&store, &b, 1).await;
    let batch = vec![
        StreamAppend::new(
            a.clone(),
            ExpectedVersion::NoStream,
            vec![event("A", 1), event("A", 2)],
        ),
        StreamAppend::new(b.clone(), ExpectedVersion::NoStream, vec![event("B", 1)]),
    ];
    let result = store.append_batch(batch).await;
    assert!(
        matches!(result, Err(StoreError::WrongExpectedVersion { ref stream, .. }) if *stream == b)
    );
    assert_eq!(store.stream_version(&a).await.expect("version"), 0);
    assert_eq!(store.head().await.expect("head").position, 1);

    let ok = store
        .append_batch(vec![
            StreamAppend::new(a.clone(), ExpectedVersion::NoStream, vec![event("A", 1)]),
            StreamAppend::new(
                b.clone(),
                ExpectedVersion::Exact(1),
                vec![event("B", 2), event("B", 3)],
            ),
        ])
        .await
        .expect("batch");
    assert_eq!(
        ok.iter()
            .map(|r| (r.first_position, r.last_position))
            .collect::<Vec<_>>(),
        vec![(2, 2), (3, 4)]
    );
}

async fn bad_input_is_refused_before_writing(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    let float = NewEvent::new("A", json!({ "tonnes": 1.5 }), meta());
    let result = store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Any,
            vec![event("A", 1), float],
        ))
        .await;
    assert!(
        matches!(result, Err(StoreError::Invalid(InvalidInput::NonIntegerNumber(ref n))) if n == "1.5")
    );
    let empty = store
        .append(StreamAppend::new(s.clone(), ExpectedVersion::Any, vec![]))
        .await;
    assert!(matches!(
        empty,
        Err(StoreError::Invalid(InvalidInput::EmptyAppend(_)))
    ));
    let blank_actor = NewEvent::new(
        "A",
        json!({}),
        redmud_store::Metadata::actor(" ", "bureau", "520100"),
    );
    let blank = store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Any,
            vec![blank_actor],
        ))
        .await;
    assert!(matches!(
        blank,
        Err(StoreError::Invalid(InvalidInput::MetadataField {
            field: "actor_id"
        }))
    ));
    let huge = NewEvent::new("A", json!({ "s": "x".repeat(1 << 20) }), meta());
    let too_large = store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Any,
            vec![huge],
        ))
        .await;
    assert!(matches!(
        too_large,
        Err(StoreError::Invalid(InvalidInput::PayloadTooLarge {
            max: 1_048_576,
            ..
        }))
    ));
    let twice = event("A", 1);
    let dup = store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Any,
            vec![twice.clone(), twice],
        ))
        .await;
    assert!(matches!(
        dup,
        Err(StoreError::Invalid(InvalidInput::DuplicateEventInBatch(_)))
    ));
    assert!(StreamId::new("Enterprise-1").is_err());
    assert!(StreamId::new("enterprise").is_err());
    assert!(StreamId::new("enterprise-").is_err());
    assert!(Effective::new("2026-Q5").is_err());
    assert!(Effective::new("2026-02-30").is_err());
    assert!(Effective::new("2026-13").is_err());
    assert_eq!(store.head().await.expect("head").position, 0);
}

async fn envelope_round_trips(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    let mut metadata = meta().with_reason("更正：一季度台账录入错误");
    metadata.correlation_id = Some(uuid::Uuid::now_v7());
    metadata.causation_id = Some(uuid::Uuid::now_v7());
    metadata.idempotency_key = Some("key-1".into());
    let new = NewEvent::new(
        "LedgerCorrected",
        json!({ "generated_kg": 1_250_000, "big": u64::MAX, "neg": i64::MIN, "s": "a\"\\\n" }),
        metadata.clone(),
    )
    .with_effective(Effective::new("2026-Q1").expect("period"))
    .with_schema_version(3);
    let before = chrono::Utc::now();
    store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Any,
            vec![new.clone()],
        ))
        .await
        .expect("append");
    append_n(&store, &s, 5).await;
    let events = store
        .read_stream(&s, 1, Direction::Forward, 10)
        .await
        .expect("read");
    let got = &events[0];
    assert_eq!(got.event_id, new.event_id);
    assert_eq!(got.event_type, "LedgerCorrected");
    assert_eq!(got.schema_version, 3);
    assert_eq!(got.payload, new.payload);
    assert_eq!(
        got.effective.as_ref().map(Effective::as_str),
        Some("2026-Q1")
    );
    assert_eq!(got.metadata, metadata);
    assert!(got.recorded_at >= before - chrono::Duration::milliseconds(1));
    assert!(
        events
            .windows(2)
            .all(|w| w[0].recorded_at <= w[1].recorded_at),
        "recorded_at never decreases"
    );
    assert!(events.windows(2).all(|w| w[0].position < w[1].position));
}

/// 8 tasks on each of two independent stores (two pools, two writers: like two processes).
async fn concurrent_writers_from_two_pools_leave_a_gap_free_chain(engine: Engine) {
    let db = TestDb::new(engine).await;
    let stores = [db.store().await, db.store().await];
    let per_task = 25;
    let mut tasks = Vec::new();
    for (n, store) in stores.iter().enumerate() {
        for t in 0..8 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let s = stream(&format!("task{n}x{t}"));
                let mut positions = Vec::new();
                for i in 0..per_task {
                    let expected = if i == 0 {
                        ExpectedVersion::NoStream
                    } else {
                        ExpectedVersion::Exact(i)
                    };
                    let r = store
                        .append(StreamAppend::new(
                            s.clone(),
                            expected,
                            vec![event("Tick", i as i64)],
                        ))
                        .await
                        .expect("append");
                    positions.push(r.first_position);
                }
                positions
            }));
        }
    }
    let mut acknowledged = Vec::new();
    for task in tasks {
        acknowledged.extend(task.await.expect("task"));
    }
    let total = 2 * 8 * per_task;
    acknowledged.sort_unstable();
    assert_eq!(
        acknowledged,
        (1..=total).collect::<Vec<_>>(),
        "every acknowledged position exactly once, no gap"
    );
    let all = stores[0]
        .read_all(1, &Filter::all(), 10_000)
        .await
        .expect("read all");
    assert_eq!(
        all.iter().map(|e| e.position).collect::<Vec<_>>(),
        (1..=total).collect::<Vec<_>>()
    );
    let mut versions: HashMap<&str, u64> = HashMap::new();
    for e in &all {
        let v = versions.entry(e.stream.as_str()).or_default();
        *v += 1;
        assert_eq!(e.version, *v, "versions of {} run 1, 2, 3…", e.stream);
    }
    let report = stores[1].verify().await.expect("verify");
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.checked, total);
}

async fn contended_streams_lose_no_update(engine: Engine) {
    let db = TestDb::new(engine).await;
    let stores = [db.store().await, db.store().await];
    let shared: Vec<StreamId> = (0..3).map(|_| stream("base")).collect();
    let mut tasks = Vec::new();
    for t in 0..8 {
        let store = stores[t % 2].clone();
        let shared = shared.clone();
        tasks.push(tokio::spawn(async move {
            let mut conflicts = 0;
            for i in 0..10 {
                let s = &shared[(t + i) % shared.len()];
                loop {
                    let version = store.stream_version(s).await.expect("version");
                    let expected = if version == 0 {
                        ExpectedVersion::NoStream
                    } else {
                        ExpectedVersion::Exact(version)
                    };
                    match store
                        .append(StreamAppend::new(
                            s.clone(),
                            expected,
                            vec![event("Inc", 1)],
                        ))
                        .await
                    {
                        Ok(_) => break,
                        Err(e) if e.is_conflict() => conflicts += 1,
                        Err(e) => panic!("{e}"),
                    }
                }
            }
            conflicts
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let mut total = 0;
    for s in &shared {
        total += stores[0].stream_version(s).await.expect("version");
    }
    assert_eq!(total, 80, "every successful command counted exactly once");
    assert!(stores[0].verify().await.expect("verify").is_intact());
}

async fn as_of_reads_see_the_past(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    append_n(&store, &s, 3).await;
    let middle = store.head().await.expect("head");
    let middle_time = store
        .read_all(middle.position, &Filter::all(), 1)
        .await
        .expect("read")[0]
        .recorded_at;
    // Later appends get a strictly later clock reading on any sane clock; wait for it without sleeping.
    loop {
        append_n(&store, &stream("other"), 1).await;
        let last = store
            .read_all(
                store.head().await.expect("head").position,
                &Filter::all(),
                1,
            )
            .await
            .expect("read");
        if last[0].recorded_at > middle_time {
            break;
        }
    }
    append_n(&store, &s, 2).await;

    let at_pos = store
        .read_stream_as_of(&s, AsOf::Position(middle.position))
        .await
        .expect("as of position");
    assert_eq!(at_pos.len(), 3);
    let at_time = store
        .read_stream_as_of(&s, AsOf::Time(middle_time))
        .await
        .expect("as of time");
    assert_eq!(at_time, at_pos);
    assert_eq!(
        store
            .stream_version_as_of(&s, AsOf::Position(2))
            .await
            .expect("v"),
        2
    );
    assert_eq!(
        store
            .stream_version_as_of(&s, AsOf::Time(middle_time))
            .await
            .expect("v"),
        3
    );
    assert_eq!(
        store
            .read_stream_as_of(&s, AsOf::Position(0))
            .await
            .expect("empty")
            .len(),
        0
    );
    let before_everything = middle_time - chrono::Duration::days(1);
    assert_eq!(
        store
            .resolve(AsOf::Time(before_everything))
            .await
            .expect("resolve"),
        0
    );
    assert_eq!(
        store
            .read_stream_as_of(&s, AsOf::Position(u64::MAX))
            .await
            .expect("now")
            .len(),
        5
    );
}

/// `resolve(AsOf::Time(t))` bisects positions (there is no index on `recorded_at`): for the time of
/// every event, a microsecond before it and after it, the answer is the last position recorded at
/// or before that moment, as a scan of the whole log says.
async fn every_moment_resolves_to_the_last_position_recorded_by_then(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let empty_answer = store
        .resolve(AsOf::Time(chrono::Utc::now()))
        .await
        .expect("resolve on an empty log");
    assert_eq!(empty_answer, 0);
    // Single appends (one time each) and batches (one time shared by several positions).
    for round in 0..9 {
        if round % 3 == 0 {
            let batch = (0..3)
                .map(|i| {
                    StreamAppend::new(
                        stream("batch"),
                        ExpectedVersion::NoStream,
                        vec![event("Counted", round * 10 + i)],
                    )
                })
                .collect();
            store.append_batch(batch).await.expect("batch");
        } else {
            append_one(&store, &stream("single"), "Counted", round).await;
        }
    }
    let log = store
        .read_all(1, &Filter::all(), 1_000)
        .await
        .expect("read all");
    assert_eq!(log.len(), 15);
    let micro = chrono::Duration::microseconds(1);
    for e in &log {
        for t in [e.recorded_at - micro, e.recorded_at, e.recorded_at + micro] {
            let expected = log
                .iter()
                .filter(|x| x.recorded_at <= t)
                .map(|x| x.position)
                .max()
                .unwrap_or(0);
            assert_eq!(
                store.resolve(AsOf::Time(t)).await.expect("resolve"),
                expected,
                "moment {t}"
            );
        }
    }
}

async fn read_all_filters_by_category_and_type(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (e, p) = (stream("enterprise"), stream("project"));
    for i in 0..4 {
        append_one(&store, &e, if i % 2 == 0 { "Even" } else { "Odd" }, i).await;
        append_one(&store, &p, "Even", i).await;
    }
    let enterprises = store
        .read_all(1, &Filter::category("enterprise"), 100)
        .await
        .expect("read");
    assert_eq!(
        enterprises.iter().map(|e| e.position).collect::<Vec<_>>(),
        vec![1, 3, 5, 7]
    );
    let odd = store
        .read_all(1, &Filter::category("enterprise").with_type("Odd"), 100)
        .await
        .expect("read");
    assert_eq!(
        odd.iter().map(|e| e.position).collect::<Vec<_>>(),
        vec![3, 7]
    );
    let even_anywhere = store
        .read_all(3, &Filter::all().with_type("Even"), 2)
        .await
        .expect("read");
    assert_eq!(
        even_anywhere.iter().map(|e| e.position).collect::<Vec<_>>(),
        vec![4, 5]
    );
    let none = store
        .read_all(1, &Filter::category("base"), 100)
        .await
        .expect("read");
    assert!(none.is_empty());
}

/// Reading the whole log page after page (on SQLite, pages are read ahead): the same events as
/// the ordinary reader, also when events are appended while a page read ahead was short.
async fn read_all_page_after_page_sees_appends_made_meanwhile(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    append_n(&store, &s, 25).await;
    let mut seen = Vec::new();
    let mut from = 0;
    for _ in 0..2 {
        let page = store
            .read_all(from, &Filter::all(), 10)
            .await
            .expect("read");
        assert_eq!(page.len(), 10);
        from = page.last().expect("a page").position + 1;
        seen.extend(page);
    }
    // The page 21..=30 was read ahead with 5 events; now it has 10.
    append_n(&store, &s, 10).await;
    loop {
        let page = store
            .read_all(from, &Filter::all(), 10)
            .await
            .expect("read");
        let Some(last) = page.last() else { break };
        from = last.position + 1;
        seen.extend(page);
    }
    // Every event is of the category: the filter takes the ordinary reader.
    let ordinary = store
        .read_all(1, &Filter::category("enterprise"), 100)
        .await
        .expect("read");
    assert_eq!(ordinary.len(), 35);
    assert_eq!(seen, ordinary);
    let again = store.read_all(21, &Filter::all(), 10).await.expect("read");
    assert_eq!(again, ordinary[20..30]);
    store.close().await;
}

async fn subscription_catches_up_while_appends_continue(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let other_process = db.store().await;
    let s = stream("enterprise");
    append_n(&store, &s, 30).await;
    let mut subscription = Box::pin(store.subscribe(10, Filter::all()));
    let writers: Vec<_> = [store.clone(), other_process]
        .into_iter()
        .map(|st| {
            tokio::spawn(async move {
                let s = stream("project");
                append_n(&st, &s, 60).await;
            })
        })
        .collect();
    let mut seen = Vec::new();
    while seen.len() < 140 {
        let event = subscription
            .next()
            .await
            .expect("subscription ended")
            .expect("event");
        seen.push(event.position);
    }
    for w in writers {
        w.await.expect("writer");
    }
    assert_eq!(
        seen,
        (11..=150).collect::<Vec<_>>(),
        "no gap, no duplicate, in order"
    );
    // And it keeps following.
    append_n(&store, &s, 1).await;
    let next = subscription.next().await.expect("live").expect("event");
    assert_eq!(next.position, 151);
}

async fn filtered_subscription_sees_only_its_events(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let mut subscription = Box::pin(store.subscribe(0, Filter::category("project")));
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            let (e, p) = (stream("enterprise"), stream("project"));
            for i in 0..20 {
                append_one(&store, &e, "E", i).await;
                append_one(&store, &p, "P", i).await;
            }
        })
    };
    let mut seen = Vec::new();
    while seen.len() < 20 {
        let e = subscription.next().await.expect("open").expect("event");
        assert_eq!(e.stream.category(), "project");
        seen.push(e.payload["n"].as_i64().expect("n"));
    }
    writer.await.expect("writer");
    assert_eq!(seen, (0..20).collect::<Vec<_>>());
}

async fn tampering_is_located(engine: Engine) {
    use ChainFault::*;
    let hex_literal = |engine: Engine, hex: &str| match engine {
        Engine::Sqlite => format!("X'{hex}'"),
        Engine::Postgres => format!("'\\x{hex}'::bytea"),
    };
    let other_hash = hex_literal(engine, &"ab".repeat(32));
    type Case = (&'static str, Vec<String>, u64, fn(&ChainFault) -> bool);
    let cases: Vec<Case> = vec![
        (
            "payload",
            vec!["UPDATE events SET payload = '{\"n\":7}' WHERE position = 4".into()],
            4,
            |f| *f == ContentAltered,
        ),
        (
            "metadata",
            vec!["UPDATE events SET reason = 'backdated' WHERE position = 4".into()],
            4,
            |f| *f == ContentAltered,
        ),
        (
            "actor",
            vec!["UPDATE events SET actor_id = 'someone-else' WHERE position = 9".into()],
            9,
            |f| *f == ContentAltered,
        ),
        (
            "hash",
            vec![format!(
                "UPDATE events SET hash = {other_hash} WHERE position = 4"
            )],
            4,
            |f| *f == HashRewritten,
        ),
        (
            "deleted",
            vec!["DELETE FROM events WHERE position = 4".into()],
            4,
            |f| {
                matches!(
                    f,
                    Missing {
                        expected_position: 4,
                        found_position: 5
                    }
                )
            },
        ),
        (
            "swapped",
            vec![
                "UPDATE events SET position = -4 WHERE position = 4".into(),
                "UPDATE events SET position = 4 WHERE position = 5".into(),
                "UPDATE events SET position = 5 WHERE position = -4".into(),
            ],
            4,
            |f| matches!(f, VersionOutOfOrder { .. } | ContentAltered | HashMismatch),
        ),
        (
            "inserted",
            vec![
                "UPDATE events SET position = -position WHERE position >= 4".into(),
                "UPDATE events SET position = 1 - position WHERE position < 0".into(),
                format!(
                    "INSERT INTO events (position, stream, category, version, event_id, event_type, schema_version, recorded_at, payload, actor_id, actor_role, organisation, hash) \
                     SELECT 4, 'forged-1', 'forged', 1, {}, 'Forged', 1, recorded_at, '{{}}', 'x', 'y', 'z', hash FROM events WHERE position = 3",
                    match engine {
                        Engine::Sqlite => "randomblob(16)".to_owned(),
                        Engine::Postgres => "gen_random_uuid()".to_owned(),
                    }
                ),
            ],
            4,
            |f| matches!(f, ContentAltered | HashMismatch | HashRewritten),
        ),
        (
            "truncated",
            vec!["DELETE FROM events WHERE position > 8".into()],
            9,
            |f| {
                matches!(
                    f,
                    HeadMismatch {
                        head_position: 10,
                        last_position: 8
                    }
                )
            },
        ),
        (
            "last event",
            vec!["UPDATE events SET payload = '{}' WHERE position = 10".into()],
            10,
            |f| *f == ContentAltered,
        ),
        (
            "last hash",
            vec![format!(
                "UPDATE events SET hash = {other_hash} WHERE position = 10"
            )],
            10,
            |f| *f == HashRewritten,
        ),
        (
            "beyond the head",
            vec![format!(
                "INSERT INTO events (position, stream, category, version, event_id, event_type, schema_version, recorded_at, payload, actor_id, actor_role, organisation, hash) \
                 SELECT 11, stream, category, version + 1, {}, 'Forged', 1, recorded_at, '{{}}', 'x', 'y', 'z', hash FROM events WHERE position = 10",
                match engine {
                    Engine::Sqlite => "randomblob(16)",
                    Engine::Postgres => "gen_random_uuid()",
                }
            )],
            11,
            |f| {
                matches!(
                    f,
                    HeadMismatch {
                        head_position: 10,
                        last_position: 11
                    } | HashMismatch
                )
            },
        ),
        (
            "deleted first of a stream",
            vec!["DELETE FROM events WHERE position = 1".into()],
            1,
            |f| matches!(f, Missing { .. }),
        ),
    ];
    for (name, statements, position, fault) in cases {
        let db = TestDb::new(engine).await;
        let store = db.store().await;
        let (a, b) = (stream("enterprise"), stream("project"));
        for i in 0..5 {
            append_one(&store, &a, "A", i).await;
            append_one(&store, &b, "B", i).await;
        }
        assert!(store.verify().await.expect("verify").is_intact());
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        db.tamper(&statements).await;
        let report = store.verify().await.expect("verify");
        let failure = report
            .first_failure
            .unwrap_or_else(|| panic!("{name}: tampering not detected"));
        assert_eq!(failure.position, position, "{name}: {failure:?}");
        assert!(
            fault(&failure.fault),
            "{name}: unexpected fault {failure:?}"
        );
    }
}

async fn ranges_verify_from_the_stored_hash_before_them(engine: Engine) {
    use redmud_store::VerifyStart;
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (a, b) = (stream("enterprise"), stream("project"));
    for i in 0..5 {
        append_one(&store, &a, "A", i).await;
        append_one(&store, &b, "B", i).await;
    }
    assert_eq!(
        store.verify_start(1).await.expect("start"),
        Some(VerifyStart::GENESIS)
    );
    let start = store
        .verify_start(4)
        .await
        .expect("start")
        .expect("event 3");
    assert_eq!(start.position, 3);
    let mut pages = 0;
    let report = store
        .verify_range(start, Some(7), |_| pages += 1)
        .await
        .expect("verify");
    assert!(report.is_intact(), "{report:?}");
    assert_eq!((report.checked, report.last_position), (4, 7));
    assert!(pages >= 1);
    let to_end = store
        .verify_range(start, None, |_| {})
        .await
        .expect("verify");
    assert!(to_end.is_intact(), "{to_end:?}");
    assert_eq!(to_end.checked, 7);
    assert_eq!(store.verify_start(99).await.expect("start"), None);

    db.tamper(&[
        "UPDATE events SET reason = 'backdated' WHERE position = 5",
        "DELETE FROM events WHERE position = 7",
    ])
    .await;
    let damaged = store
        .verify_range(start, Some(8), |_| {})
        .await
        .expect("verify");
    let failure = damaged.first_failure.expect("damage found");
    assert_eq!(
        (failure.position, failure.fault),
        (5, ChainFault::ContentAltered)
    );
    // A range after the altered event ends where a row is missing.
    let start = store
        .verify_start(6)
        .await
        .expect("start")
        .expect("event 5");
    let missing = store
        .verify_range(start, Some(7), |_| {})
        .await
        .expect("verify");
    let failure = missing.first_failure.expect("gap found");
    assert_eq!(failure.position, 7, "{failure:?}");
    assert!(matches!(
        failure.fault,
        ChainFault::Missing {
            found_position: 8,
            ..
        }
    ));
}

async fn upcasters_apply_on_every_read_path(engine: Engine) {
    let db = TestDb::new(engine).await;
    let writer = db.store().await;
    let s = stream("enterprise");
    writer
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Any,
            vec![NewEvent::new(
                "Registered",
                json!({ "name": "A厂" }),
                meta(),
            )],
        ))
        .await
        .expect("v1");
    writer
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Any,
            vec![
                NewEvent::new(
                    "Registered",
                    json!({ "legal_name": "B厂", "region": "520100" }),
                    meta(),
                )
                .with_schema_version(2),
            ],
        ))
        .await
        .expect("v2");
    let upcasters = upcast_registered();
    let reader = db
        .store_with(StoreOptions {
            upcasters,
            ..StoreOptions::default()
        })
        .await;
    let check = |events: &[redmud_store::RecordedEvent]| {
        assert!(events.iter().all(|e| e.schema_version == 2), "{events:?}");
        assert_eq!(
            events[0].payload,
            json!({ "legal_name": "A厂", "region": null })
        );
        assert_eq!(events[1].payload["legal_name"], "B厂");
    };
    check(
        &reader
            .read_stream(&s, 1, Direction::Forward, 10)
            .await
            .expect("stream"),
    );
    check(
        &reader
            .read_stream_as_of(&s, AsOf::Position(2))
            .await
            .expect("as of"),
    );
    check(&reader.read_all(1, &Filter::all(), 10).await.expect("all"));
    let sub: Vec<_> = Box::pin(reader.subscribe(0, Filter::all()))
        .take(2)
        .map(|e| e.expect("event"))
        .collect()
        .await;
    check(&sub);
    // The log keeps what was written: the chain is unaffected.
    assert!(reader.verify().await.expect("verify").is_intact());
    let failing = Upcasters::new().register("Registered", 1, |_| Err("cannot upcast".into()));
    let broken = db
        .store_with(StoreOptions {
            upcasters: failing,
            ..StoreOptions::default()
        })
        .await;
    let error = broken.read_stream(&s, 1, Direction::Forward, 10).await;
    assert!(
        matches!(error, Err(StoreError::Upcast { ref event_type, schema_version: 1, .. }) if event_type == "Registered")
    );
}

async fn snapshots_keep_the_newest_and_ignore_stale_tags(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    assert_eq!(store.load_snapshot(&s, "v1").await.expect("load"), None);
    let snap = |version, n| Snapshot {
        stream: s.clone(),
        version,
        schema_tag: "v1".into(),
        state: json!({ "n": n }),
    };
    store.save_snapshot(&snap(5, 5)).await.expect("save");
    store.save_snapshot(&snap(9, 9)).await.expect("save");
    store
        .save_snapshot(&snap(7, 7))
        .await
        .expect("older is ignored");
    assert_eq!(
        store.load_snapshot(&s, "v1").await.expect("load"),
        Some(snap(9, 9))
    );
    assert_eq!(
        store.load_snapshot(&s, "v2").await.expect("stale tag"),
        None
    );
}

async fn migrations_are_idempotent(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.migrate().await.expect("again");
    let again = EventStore::open(&db.url).await.expect("open migrates");
    assert_eq!(again.head().await.expect("head").position, 0);
}

/// When `close` returns, no connection of the store is open: its background tasks (the SQLite
/// checkpoint starts at once) race with the close, so it is repeated.
async fn close_leaves_no_connection_open(engine: Engine) {
    use sqlx::Connection;
    let db = TestDb::new(engine).await;
    let s = stream("enterprise");
    for round in 0..25 {
        let store = db.store().await;
        append_one(&store, &s, "Counted", round).await;
        assert!(store.verify().await.expect("verify").is_intact());
        store.close().await;
        let others: i64 = match engine {
            // Leaving WAL mode needs the file's only connection, and fails at once otherwise.
            Engine::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&db.url)
                    .await
                    .expect("connect");
                let mode: String = sqlx::query_scalar("PRAGMA journal_mode = DELETE")
                    .fetch_one(&mut conn)
                    .await
                    .unwrap_or_else(|e| panic!("round {round}: {e}"));
                conn.close().await.expect("close");
                i64::from(mode != "delete")
            }
            // PostgreSQL drops a backend from `pg_stat_activity` some time after its client has
            // said goodbye, so the server cannot tell yet; the pool counts what it still holds.
            Engine::Postgres => match store.engine().pool() {
                EnginePool::Postgres(pool) => i64::from(pool.size()),
                EnginePool::Sqlite(_) => unreachable!("a PostgreSQL store has a PostgreSQL pool"),
            },
        };
        assert_eq!(others, 0, "round {round}: connections left open by close");
    }
}

/// More events than one INSERT statement holds and than one read page returns.
async fn large_batches_span_statements_and_pages(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (a, b) = (stream("enterprise"), stream("project"));
    let result = store
        .append_batch(vec![
            StreamAppend::new(
                a.clone(),
                ExpectedVersion::NoStream,
                (0..2_500).map(|i| event("Bulk", i)).collect(),
            ),
            StreamAppend::new(
                b.clone(),
                ExpectedVersion::NoStream,
                (0..1_000).map(|i| event("Bulk", i)).collect(),
            ),
        ])
        .await
        .expect("batch");
    assert_eq!(result[1].last_position, 3_500);
    let whole = store
        .read_stream_as_of(&a, AsOf::Position(u64::MAX))
        .await
        .expect("read");
    assert_eq!(whole.len(), 2_500);
    assert!(
        whole
            .iter()
            .enumerate()
            .all(|(i, e)| e.version == i as u64 + 1 && e.payload["n"] == i as i64)
    );
    let report = store.verify().await.expect("verify");
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.checked, 3_500);
}

async fn events_are_read_by_position(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (a, b) = (stream("enterprise"), stream("project"));
    append_n(&store, &a, 3).await; // positions 1-3
    append_n(&store, &b, 2).await; // positions 4-5
    // Any order in, log order out; positions past the head left out.
    let found = store.events_at(&[5, 2, 99, 4]).await.expect("read");
    let got: Vec<(u64, &str, u64)> = found
        .iter()
        .map(|e| (e.position, e.stream.as_str(), e.version))
        .collect();
    assert_eq!(
        got,
        [(2, a.as_str(), 2), (4, b.as_str(), 1), (5, b.as_str(), 2)]
    );
    assert_eq!(found[0].payload, event("Counted", 1).payload);
    assert!(store.events_at(&[]).await.expect("read").is_empty());
    // More than one statement's worth.
    append_n(&store, &a, 500).await;
    let all: Vec<u64> = (1..=505).rev().collect();
    let read = store.events_at(&all).await.expect("read");
    assert_eq!(
        read.iter().map(|e| e.position).collect::<Vec<_>>(),
        (1..=505).collect::<Vec<_>>()
    );
}

/// A log of `streams` × `per_stream` events over two categories and three types, with every
/// optional field used somewhere and `Registered` events at schema version 1 (which the
/// upcaster of [`upcast_registered`] rewrites).
async fn replay_log(store: &EventStore, streams: usize, per_stream: usize) {
    let mut batch = Vec::new();
    for i in 0..streams {
        let s = stream(if i % 3 == 0 { "project" } else { "enterprise" });
        let events = (0..per_stream)
            .map(|k| {
                let n = (i * per_stream + k) as i64;
                let mut metadata = meta();
                if k % 4 == 1 {
                    metadata = metadata.with_reason(format!("更正 {n}"));
                    metadata.correlation_id = Some(uuid::Uuid::now_v7());
                    metadata.causation_id = Some(uuid::Uuid::now_v7());
                    metadata.idempotency_key = Some(format!("key-{n}"));
                }
                if k % 7 == 3 {
                    metadata.actor_id = format!("clerk-{}", n % 5);
                }
                match k % 5 {
                    0 => NewEvent::new("Registered", json!({ "name": format!("厂{n}") }), metadata),
                    1 => NewEvent::new(
                        "Amended",
                        json!({ "n": n, "list": [1, 2, { "x": null }] }),
                        metadata,
                    )
                    .with_effective(Effective::new("2026-Q1").expect("period")),
                    _ => NewEvent::new("Counted", json!({ "n": n, "note": "赤泥" }), metadata),
                }
            })
            .collect();
        batch.push(StreamAppend::new(s, ExpectedVersion::NoStream, events));
        if batch.len() == 20 {
            store
                .append_batch(std::mem::take(&mut batch))
                .await
                .expect("batch");
        }
    }
    if !batch.is_empty() {
        store.append_batch(batch).await.expect("batch");
    }
}

fn upcast_registered() -> Upcasters {
    Upcasters::new().register("Registered", 1, |mut payload| {
        let name = payload
            .as_object_mut()
            .and_then(|o| o.remove("name"))
            .ok_or("no name")?;
        Ok(Upcasted {
            event_type: "Registered".into(),
            schema_version: 2,
            payload: json!({ "legal_name": name, "region": null }),
        })
    })
}

/// Every event `read_all` returns from `from` with `filter`, page after page.
async fn read_all_of(
    store: &EventStore,
    from: u64,
    filter: &Filter,
) -> Vec<redmud_store::RecordedEvent> {
    let mut all = Vec::new();
    let mut from = from;
    loop {
        let page = store.read_all(from, filter, 700).await.expect("read_all");
        let Some(last) = page.last() else { break };
        from = last.position + 1;
        all.extend(page);
    }
    all
}

/// Every event `replay` folds from `from` with `filter`, made owned, with its payload text.
async fn replayed(
    store: &EventStore,
    from: u64,
    filter: &Filter,
) -> Vec<(redmud_store::RecordedEvent, String)> {
    store
        .replay(
            from,
            filter,
            Vec::new(),
            |seen: &mut Vec<_>, view: &redmud_store::EventView<'_>| {
                assert_eq!(
                    view.category(),
                    view.stream.split('-').next().expect("category")
                );
                seen.push((view.to_recorded()?, view.payload.to_owned()));
                Ok::<(), StoreError>(())
            },
        )
        .await
        .expect("replay")
}

async fn replay_sees_what_read_all_returns(engine: Engine) {
    let db = TestDb::new(engine).await;
    let writer = db.store().await;
    // 9,000 events: more than two pages of the replay's buffers (4,096 events).
    replay_log(&writer, 300, 30).await;
    let store = db
        .store_with(StoreOptions {
            upcasters: upcast_registered(),
            ..StoreOptions::default()
        })
        .await;
    let stored = store
        .read_all_stored(1, None, &Filter::all(), 10_000)
        .await
        .expect("stored");
    assert_eq!(stored.len(), 9_000);
    for (from, filter) in [
        (0, Filter::all()),
        (1, Filter::all()),
        (4_321, Filter::all()),
        (1, Filter::category("project")),
        (
            2_500,
            Filter::category("enterprise").with_type("Registered"),
        ),
        (
            1,
            Filter::all().with_type("Amended").with_type("Registered"),
        ),
        (9_000, Filter::all()),
        (9_001, Filter::all()),
    ] {
        let expected = read_all_of(&store, from, &filter).await;
        let seen = replayed(&store, from, &filter).await;
        assert_eq!(seen.len(), expected.len(), "from {from}, {filter:?}");
        for ((event, text), expected) in seen.iter().zip(&expected) {
            assert_eq!(event, expected, "from {from}, {filter:?}");
            let stored = &stored[event.position as usize - 1];
            if event.event_type == "Registered" {
                // Upcast: the upcaster's result, serialised.
                assert_eq!(event.schema_version, 2);
                assert_eq!(
                    serde_json::from_str::<serde_json::Value>(text).expect("json"),
                    expected.payload
                );
            } else {
                // Not upcast: the stored canonical text itself.
                assert_eq!(text, &stored.payload);
            }
        }
        assert!(
            !expected.is_empty() || from > 9_000,
            "from {from}, {filter:?}"
        );
    }
    // A failing upcaster fails the replay as it fails read_all, after the events before it.
    let broken = db
        .store_with(StoreOptions {
            upcasters: Upcasters::new().register("Registered", 1, |_| Err("cannot upcast".into())),
            ..StoreOptions::default()
        })
        .await;
    let result = broken
        .replay(
            2,
            &Filter::all(),
            0u64,
            |n: &mut u64, _: &redmud_store::EventView<'_>| {
                *n += 1;
                Ok::<(), ()>(())
            },
        )
        .await;
    assert!(
        matches!(result, Err(redmud_store::ReplayError::Store(StoreError::Upcast { ref event_type, schema_version: 1, .. })) if event_type == "Registered"),
        "{result:?}"
    );
    broken.close().await;
    store.close().await;
    writer.close().await;
}

/// A row the replay's fast path does not take as it is (SQLite: a payload stored as a BLOB, which
/// the blocking reader hands to the ordinary reads; both engines: an effective period that is not
/// one) fails the replay with the error `read_all` gives, after every event before it is folded.
async fn replay_of_an_odd_row_reports_what_read_all_reports(engine: Engine) {
    let mut tampers = vec!["UPDATE events SET effective = 'someday' WHERE position = 4321"];
    if engine == Engine::Sqlite {
        tampers.push("UPDATE events SET payload = CAST(payload AS BLOB) WHERE position = 4321");
    }
    for tamper in tampers {
        let db = TestDb::new(engine).await;
        let store = db.store().await;
        replay_log(&store, 300, 30).await;
        db.tamper(&[tamper]).await;
        let read = store.read_all(1, &Filter::all(), 10_000).await;
        let Err(expected) = read else {
            panic!("{tamper}: read_all read the odd row");
        };
        let folded = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counter = folded.clone();
        let result = store
            .replay(
                1,
                &Filter::all(),
                (),
                move |(), view: &redmud_store::EventView<'_>| {
                    let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                    assert_eq!(view.position, n, "{tamper}");
                    Ok::<(), ()>(())
                },
            )
            .await;
        match result {
            Err(redmud_store::ReplayError::Store(error)) => {
                assert_eq!(error.to_string(), expected.to_string(), "{tamper}");
            }
            other => panic!("{tamper}: {other:?}"),
        }
        // Every event before the odd one was folded, in order, and none after it.
        assert_eq!(
            folded.load(std::sync::atomic::Ordering::SeqCst),
            4_320,
            "{tamper}"
        );
        store.close().await;
    }
}

async fn replay_stops_at_the_first_fold_error(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    replay_log(&store, 200, 30).await;
    // The fold refuses the 5,000th event it sees: nothing after it is folded.
    let result = store
        .replay(
            1,
            &Filter::all(),
            0u64,
            |n: &mut u64, view: &redmud_store::EventView<'_>| {
                *n += 1;
                if *n == 5_000 {
                    return Err(format!("refused {} after {n}", view.position));
                }
                assert!(*n < 5_000, "folded past the error");
                Ok(())
            },
        )
        .await;
    match result {
        Err(redmud_store::ReplayError::Fold { position, error }) => {
            assert_eq!(position, 5_000);
            assert_eq!(error, "refused 5000 after 5000");
        }
        other => panic!("{other:?}"),
    }
    // The typed fold of the bench: a payload borrowed into a struct.
    #[derive(serde::Deserialize)]
    struct Counted<'a> {
        n: i64,
        note: &'a str,
    }
    let filter = Filter::all().with_type("Counted");
    let (count, total) = store
        .replay(
            1,
            &filter,
            (0u64, 0i64),
            |(count, total): &mut (u64, i64), view: &redmud_store::EventView<'_>| {
                let counted: Counted<'_> = view.payload_as()?;
                assert_eq!(counted.note, "赤泥");
                *count += 1;
                *total += counted.n;
                Ok::<(), serde_json::Error>(())
            },
        )
        .await
        .expect("replay");
    let expected = read_all_of(&store, 1, &filter).await;
    assert_eq!(count, expected.len() as u64);
    assert_eq!(
        total,
        expected
            .iter()
            .map(|e| e.payload["n"].as_i64().expect("n"))
            .sum::<i64>()
    );
    store.close().await;
}
