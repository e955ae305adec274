//! The group commit's fast path (the writer's optimistic commit on what it last saw) gives the same
//! answers as the locked path: an idempotent retry, an id used again, a stream or head moved by
//! another store on the same database, and writes after close. Every test runs on both engines.

mod common;

use common::{Engine, TestDb, event, stream};
use redmud_store::{
    EventStore, ExpectedVersion, Filter, StoreError, StreamAppend, StreamId, ViewChange, ViewQuery,
    ViewRow, ViewUpdate,
};
use serde_json::json;

on_both_engines!(
    a_retry_on_a_warm_writer_returns_the_first_result,
    an_id_used_again_on_a_warm_writer_is_refused,
    another_store_moving_the_head_sends_the_writer_back_to_the_lock,
    creating_a_stream_the_writer_has_not_seen_is_checked_by_the_database,
    appends_after_close_fail,
);

/// Appends twice, so that the writer has seen the head and the stream's version: its next group
/// for this stream takes the fast path.
async fn warm(store: &EventStore, s: &StreamId) {
    for n in 0..2 {
        store
            .append(StreamAppend::new(
                s.clone(),
                ExpectedVersion::Any,
                vec![event("Warm", n)],
            ))
            .await
            .expect("warm-up append");
    }
}

fn row(key: &StreamId, name: &str) -> ViewUpdate {
    ViewUpdate::new(
        0,
        ViewChange::Upsert(ViewRow {
            model: "enterprise".to_owned(),
            key: key.as_str().to_owned(),
            version: 3,
            region: String::new(),
            kind: String::new(),
            status: String::new(),
            task: None,
            tags: Vec::new(),
            search: name.to_owned(),
            sort_name: name.to_owned(),
            doc: json!({ "name": name }),
        }),
    )
}

async fn a_retry_on_a_warm_writer_returns_the_first_result(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    warm(&store, &s).await;
    // `Any`: the expected version cannot tell a retry apart, only the event ids can.
    let append = StreamAppend::new(s.clone(), ExpectedVersion::Any, vec![event("A", 1)])
        .with_views(vec![row(&s, "first")]);
    let first = store.append(append.clone()).await.expect("first");
    let retry = store.append(append.clone()).await.expect("retry");
    assert_eq!(retry, first);
    // The writer goes on as before after the retry.
    let next = store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Exact(3),
            vec![event("B", 2)],
        ))
        .await
        .expect("next");
    assert_eq!(next.first_position, 4);
    assert_eq!(store.head().await.expect("head").position, 4);
    // The retry wrote no second read-model row.
    let rows = store.all_views().await.expect("views");
    assert_eq!(rows.len(), 1, "{rows:?}");
    let page = store
        .list_views(&ViewQuery::new("enterprise"))
        .await
        .expect("list");
    assert_eq!(page.total, 1);
    assert!(store.verify().await.expect("verify").is_intact());
}

async fn an_id_used_again_on_a_warm_writer_is_refused(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (s, t) = (stream("enterprise"), stream("enterprise"));
    warm(&store, &s).await;
    warm(&store, &t).await;
    let original = event("A", 1);
    let at = store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Any,
            vec![original.clone()],
        ))
        .await
        .expect("original");
    // The same id in another stream, beside a new one: refused, nothing written.
    let refused = store
        .append(StreamAppend::new(
            t.clone(),
            ExpectedVersion::Exact(2),
            vec![event("B", 2), original.clone()],
        ))
        .await;
    assert!(
        matches!(refused, Err(StoreError::EventIdReused { event_id, position })
            if event_id == original.event_id && position == at.first_position),
        "{refused:?}"
    );
    assert_eq!(store.stream_version(&t).await.expect("version"), 2);
    assert_eq!(store.head().await.expect("head").position, at.last_position);
}

async fn another_store_moving_the_head_sends_the_writer_back_to_the_lock(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (a, b) = (db.store().await, db.store().await);
    let s = stream("enterprise");
    warm(&a, &s).await;
    // Another store (another process) writes the same stream: `a` still believes version 2.
    b.append(StreamAppend::new(
        s.clone(),
        ExpectedVersion::Exact(2),
        vec![event("Other", 1)],
    ))
    .await
    .expect("other store");
    let stale = a
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Exact(2),
            vec![event("Stale", 1)],
        ))
        .await;
    assert!(
        matches!(
            stale,
            Err(StoreError::WrongExpectedVersion { actual: 3, .. })
        ),
        "{stale:?}"
    );
    let fresh = a
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Exact(3),
            vec![event("Fresh", 1)],
        ))
        .await
        .expect("fresh");
    assert_eq!((fresh.first_position, fresh.next_expected_version), (4, 4));
    let all = b.read_all(1, &Filter::all(), 100).await.expect("read all");
    assert_eq!(
        all.iter()
            .map(|e| e.event_type.as_str())
            .collect::<Vec<_>>(),
        ["Warm", "Warm", "Other", "Fresh"]
    );
    assert!(b.verify().await.expect("verify").is_intact());
}

async fn creating_a_stream_the_writer_has_not_seen_is_checked_by_the_database(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (s, t, u) = (stream("enterprise"), stream("project"), stream("base"));
    let earlier = db.store().await;
    warm(&earlier, &s).await;
    earlier.close().await;
    // A new store (a restarted process): its writer learns the head, not the versions of `s`.
    let store = db.store().await;
    warm(&store, &t).await;
    let again = store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::NoStream,
            vec![event("Again", 1)],
        ))
        .await;
    assert!(
        matches!(
            again,
            Err(StoreError::WrongExpectedVersion { ref stream, actual: 2, .. }) if *stream == s
        ),
        "{again:?}"
    );
    let created = store
        .append(StreamAppend::new(
            u.clone(),
            ExpectedVersion::NoStream,
            vec![event("Created", 1), event("Created", 2)],
        ))
        .await
        .expect("create");
    assert_eq!(
        (
            created.first_position,
            created.last_position,
            created.next_expected_version
        ),
        (5, 6, 2)
    );
    assert_eq!(store.stream_version(&s).await.expect("version"), 2);
    assert!(store.verify().await.expect("verify").is_intact());
}

async fn appends_after_close_fail(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    warm(&store, &s).await;
    store.close().await;
    let after = store
        .append(StreamAppend::new(
            s.clone(),
            ExpectedVersion::Exact(2),
            vec![event("Late", 1)],
        ))
        .await;
    assert!(after.is_err(), "{after:?}");
    // Nothing was written: a new store on the same database sees the two warm-up events.
    let reopened = db.store().await;
    assert_eq!(reopened.head().await.expect("head").position, 2);
}
