//! Read models: versioned rows written in the append transaction, queried as of any position, and
//! rebuilt from the log. Every test runs on both engines (listed in `on_both_engines!`).

use std::collections::HashMap;

use redmud_store::{
    EventStore, ExpectedVersion, InvalidInput, MAX_VIEW_PAGE, NewEvent, RebuildError,
    RecordedEvent, RecordedView, SortOrder, StoreError, StoreOptions, StreamAppend, StreamId,
    ViewChange, ViewQuery, ViewRow, ViewSort, ViewUpdate,
};
use serde_json::json;

use crate::common::{Engine, TestDb, event, meta, stream};

/// A row of `model`/`key` at `version` with empty filter columns.
fn row(model: &str, key: &str, version: u64) -> ViewRow {
    ViewRow {
        model: model.to_owned(),
        key: key.to_owned(),
        version,
        region: String::new(),
        kind: String::new(),
        status: String::new(),
        task: None,
        tags: Vec::new(),
        search: String::new(),
        sort_name: key.to_owned(),
        doc: json!({ "version": version }),
    }
}

fn upsert(after: usize, row: ViewRow) -> ViewUpdate {
    ViewUpdate::new(after, ViewChange::Upsert(row))
}

fn remove(after: usize, model: &str, key: &str) -> ViewUpdate {
    ViewUpdate::new(
        after,
        ViewChange::Remove {
            model: model.to_owned(),
            key: key.to_owned(),
        },
    )
}

async fn append_with(
    store: &EventStore,
    s: &StreamId,
    events: usize,
    views: Vec<ViewUpdate>,
) -> redmud_store::AppendResult {
    store
        .append(
            StreamAppend::new(
                s.clone(),
                ExpectedVersion::Any,
                (0..events).map(|i| event("Changed", i as i64)).collect(),
            )
            .with_views(views),
        )
        .await
        .expect("append")
}

/// (version, valid_from, valid_to) of the row `view` returns.
async fn at(
    store: &EventStore,
    model: &str,
    key: &str,
    position: Option<u64>,
) -> Option<(u64, u64, Option<u64>)> {
    store
        .view(model, key, position)
        .await
        .expect("view")
        .map(|v| (v.row.version, v.valid_from, v.valid_to))
}

pub async fn views_are_upserted_superseded_and_removed(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    let key = s.as_str();
    let other = stream("project");

    // Position 1: the first row.
    let first = append_with(&store, &s, 1, vec![upsert(0, row("enterprise", key, 1))]).await;
    assert_eq!(first.first_position, 1);
    // Position 2: another stream, no views.
    append_with(&store, &other, 1, vec![]).await;
    // Positions 3 and 4: the change follows the second event (4).
    append_with(&store, &s, 2, vec![upsert(1, row("enterprise", key, 3))]).await;
    // Position 5: removed.
    append_with(&store, &s, 1, vec![remove(0, "enterprise", key)]).await;
    // Position 6: back again.
    append_with(&store, &s, 1, vec![upsert(0, row("enterprise", key, 5))]).await;

    let m = "enterprise";
    assert_eq!(
        at(&store, m, key, Some(0)).await,
        None,
        "before the first row"
    );
    assert_eq!(
        at(&store, m, key, Some(1)).await,
        Some((1, 1, Some(4))),
        "at valid_from"
    );
    assert_eq!(
        at(&store, m, key, Some(3)).await,
        Some((1, 1, Some(4))),
        "at valid_to - 1"
    );
    assert_eq!(
        at(&store, m, key, Some(4)).await,
        Some((3, 4, Some(5))),
        "at valid_to"
    );
    assert_eq!(at(&store, m, key, Some(5)).await, None, "removed");
    assert_eq!(at(&store, m, key, Some(6)).await, Some((5, 6, None)));
    assert_eq!(at(&store, m, key, Some(1_000)).await, Some((5, 6, None)));
    assert_eq!(
        at(&store, m, key, None).await,
        Some((5, 6, None)),
        "current"
    );
    assert_eq!(
        at(&store, "project", key, None).await,
        None,
        "models are apart"
    );

    // Two changes of one key after the same event: the last wins; the first never was current.
    let mut renamed = row(m, key, 6);
    renamed.sort_name = "renamed".into();
    append_with(
        &store,
        &s,
        1,
        vec![upsert(0, row(m, key, 6)), upsert(0, renamed.clone())],
    )
    .await;
    let current = store.view(m, key, None).await.expect("view").expect("row");
    assert_eq!(current.row, renamed);
    assert_eq!((current.valid_from, current.valid_to), (7, None));
    // A removal of a key that has no row is harmless.
    append_with(&store, &s, 1, vec![remove(0, m, "nothing-here")]).await;

    let all = store.all_views().await.expect("all");
    assert_eq!(
        all.iter()
            .map(|v| (v.row.version, v.valid_from, v.valid_to))
            .collect::<Vec<_>>(),
        vec![
            (1, 1, Some(4)),
            (3, 4, Some(5)),
            (5, 6, Some(7)),
            (6, 7, None)
        ]
    );
    // Whatever the views, the chain is untouched.
    assert!(store.verify().await.expect("verify").is_intact());
}

/// The three enterprises of the list tests, and a project in the same region.
fn list_fixture() -> Vec<ViewRow> {
    let mut e1 = row("enterprise", "enterprise-1", 1);
    e1.region = "520100".into();
    e1.kind = "refinery".into();
    e1.status = "active".into();
    e1.task = Some("t1".into());
    e1.tags = vec!["cement".into(), "backfill".into()];
    e1.search = "Guiyang Alumina 50%_Co".into();
    e1.sort_name = "b".into();
    let mut e2 = row("enterprise", "enterprise-2", 1);
    e2.region = "520102".into();
    e2.kind = "utilizer".into();
    e2.status = "active".into();
    e2.tags = vec!["cement".into()];
    e2.search = "zunyi 50x co".into();
    e2.sort_name = "a".into();
    let mut e3 = row("enterprise", "enterprise-3", 1);
    e3.region = "520300".into();
    e3.kind = "utilizer".into();
    e3.status = "suspended".into();
    e3.tags = vec!["steel".into()];
    e3.search = "Qingzhen_Red 赤泥".into();
    e3.sort_name = "c".into();
    let mut p1 = row("project", "project-1", 1);
    p1.region = "520100".into();
    p1.tags = vec!["cement".into()];
    vec![e1, e2, e3, p1]
}

async fn keys(store: &EventStore, query: &ViewQuery) -> (Vec<String>, u64) {
    let page = store.list_views(query).await.expect("list");
    (
        page.rows.into_iter().map(|v| v.row.key).collect(),
        page.total,
    )
}

fn k(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| format!("enterprise-{n}")).collect()
}

pub async fn view_lists_filter_sort_and_page(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    // Positions 1..=4, one row each.
    for (i, r) in list_fixture().into_iter().enumerate() {
        let r = append_with(&store, &s, 1, vec![upsert(0, r)]).await;
        assert_eq!(r.first_position, i as u64 + 1);
    }
    let q = || ViewQuery::new("enterprise");
    assert_eq!(
        keys(&store, &q()).await,
        (k(&["2", "1", "3"]), 3),
        "by name"
    );

    let with = |f: &dyn Fn(&mut ViewQuery)| {
        let mut query = q();
        f(&mut query);
        query
    };
    let cases: Vec<(ViewQuery, Vec<&str>)> = vec![
        (
            with(&|q| q.region_prefix = Some("5201".into())),
            vec!["2", "1"],
        ),
        (
            with(&|q| q.region_prefix = Some("520100".into())),
            vec!["1"],
        ),
        (
            with(&|q| q.region_prefix = Some("52".into())),
            vec!["2", "1", "3"],
        ),
        (with(&|q| q.region_prefix = Some("5203001".into())), vec![]),
        (with(&|q| q.region_prefix = Some("%".into())), vec![]),
        (with(&|q| q.tag = Some("cement".into())), vec!["2", "1"]),
        (with(&|q| q.tag = Some("backfill".into())), vec!["1"]),
        (with(&|q| q.tag = Some("cem".into())), vec![]),
        (with(&|q| q.tag = Some("Cement".into())), vec![]),
        // LIKE wildcards in the text match only themselves.
        (with(&|q| q.text = Some("50%".into())), vec!["1"]),
        (with(&|q| q.text = Some("%".into())), vec!["1"]),
        (with(&|q| q.text = Some("_".into())), vec!["1", "3"]),
        (with(&|q| q.text = Some("n_r".into())), vec!["3"]),
        (with(&|q| q.text = Some("%_c".into())), vec!["1"]),
        (with(&|q| q.text = Some("ALUMINA".into())), vec!["1"]),
        (with(&|q| q.text = Some("赤泥".into())), vec!["3"]),
        (with(&|q| q.text = Some("\\".into())), vec![]),
        (with(&|q| q.kind = Some("utilizer".into())), vec!["2", "3"]),
        (with(&|q| q.status = Some("suspended".into())), vec!["3"]),
        (with(&|q| q.task = Some("t1".into())), vec!["1"]),
        (
            with(&|q| {
                q.kind = Some("utilizer".into());
                q.tag = Some("cement".into());
            }),
            vec!["2"],
        ),
        (
            q().sorted(ViewSort::SortName, SortOrder::Descending),
            vec!["3", "1", "2"],
        ),
        (
            q().sorted(ViewSort::Key, SortOrder::Ascending),
            vec!["1", "2", "3"],
        ),
        (
            q().sorted(ViewSort::Key, SortOrder::Descending),
            vec!["3", "2", "1"],
        ),
        (
            q().sorted(ViewSort::ValidFrom, SortOrder::Descending),
            vec!["3", "2", "1"],
        ),
    ];
    for (query, expected) in cases {
        let (found, total) = keys(&store, &query).await;
        assert_eq!(found, k(&expected), "{query:?}");
        assert_eq!(total, expected.len() as u64, "{query:?}");
    }

    // Paging: the total counts every match, whatever the page.
    assert_eq!(keys(&store, &q().page(2, 0)).await, (k(&["2", "1"]), 3));
    assert_eq!(keys(&store, &q().page(2, 2)).await, (k(&["3"]), 3));
    assert_eq!(keys(&store, &q().page(2, 5)).await, (vec![], 3));
    assert_eq!(keys(&store, &q().page(0, 0)).await, (vec![], 3));
    assert_eq!(keys(&store, &q().page(u32::MAX, 0)).await.1, 3);

    // As of a position: enterprise-3 resumes at position 5.
    let mut resumed = list_fixture().swap_remove(2);
    resumed.status = "active".into();
    resumed.version = 2;
    append_with(&store, &s, 1, vec![upsert(0, resumed)]).await;
    let suspended = with(&|q| q.status = Some("suspended".into()));
    assert_eq!(keys(&store, &suspended).await, (vec![], 0));
    assert_eq!(keys(&store, &suspended.clone().at(4)).await, (k(&["3"]), 1));
    assert_eq!(keys(&store, &suspended.clone().at(5)).await, (vec![], 0));
    assert_eq!(keys(&store, &q().at(2)).await, (k(&["2", "1"]), 2));
    assert_eq!(keys(&store, &q().at(0)).await, (vec![], 0));
    let recent = q().sorted(ViewSort::ValidFrom, SortOrder::Descending);
    assert_eq!(keys(&store, &recent).await, (k(&["3", "2", "1"]), 3));
    let page = store.list_views(&q()).await.expect("list");
    let e3 = &page.rows[2];
    assert_eq!((e3.row.version, e3.valid_from, e3.valid_to), (2, 5, None));
    assert_eq!(
        e3.row.search, "qingzhen_red 赤泥",
        "search text is stored lower-cased"
    );
    assert_eq!(page.rows[1].row.tags, vec!["cement", "backfill"]);

    let bad = store
        .list_views(&with(&|q| q.tag = Some("two words".into())))
        .await;
    assert!(matches!(
        bad,
        Err(StoreError::Invalid(InvalidInput::ViewTag(_)))
    ));
}

pub async fn view_pages_are_capped(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    let n = MAX_VIEW_PAGE as usize + 20;
    // One append of n events, a row after each: one transaction, many rows.
    let views = (0..n)
        .map(|i| upsert(i, row("many", &format!("key-{i:04}"), 1)))
        .collect();
    append_with(&store, &s, n, views).await;
    let page = store
        .list_views(&ViewQuery::new("many").page(u32::MAX, 0))
        .await
        .expect("list");
    assert_eq!(page.rows.len(), MAX_VIEW_PAGE as usize);
    assert_eq!(page.total, n as u64);
    let rest = store
        .list_views(&ViewQuery::new("many").page(100, u64::from(MAX_VIEW_PAGE)))
        .await
        .expect("list");
    assert_eq!(rest.rows.len(), 20);
    assert_eq!(rest.rows[0].row.key, format!("key-{:04}", MAX_VIEW_PAGE));
    assert_eq!(rest.rows[0].valid_from, u64::from(MAX_VIEW_PAGE) + 1);
}

pub async fn retried_and_refused_appends_write_no_views(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    let append = StreamAppend::new(
        s.clone(),
        ExpectedVersion::NoStream,
        vec![event("A", 1), event("B", 2)],
    )
    .with_views(vec![
        upsert(0, row("m", "a", 1)),
        upsert(1, row("m", "a", 2)),
    ]);
    let first = store.append(append.clone()).await.expect("append");
    let before = store.all_views().await.expect("all");
    assert_eq!(before.len(), 2);
    // The same events again (a client's retry): the original result, no view written twice.
    let again = store.append(append.clone()).await.expect("retry");
    assert_eq!(again, first);
    let retried_in_batch = store
        .append_batch(vec![append])
        .await
        .expect("retry in a batch");
    assert_eq!(retried_in_batch, vec![first]);
    assert_eq!(store.all_views().await.expect("all"), before);

    // Refused: wrong expected version, alone and within a batch with an acceptable append.
    let refused = store
        .append(
            StreamAppend::new(s.clone(), ExpectedVersion::Exact(1), vec![event("C", 3)])
                .with_views(vec![upsert(0, row("m", "a", 3))]),
        )
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::WrongExpectedVersion { .. })
    ));
    let other = stream("project");
    let batch = store
        .append_batch(vec![
            StreamAppend::new(
                other.clone(),
                ExpectedVersion::NoStream,
                vec![event("P", 1)],
            )
            .with_views(vec![upsert(0, row("m", "p", 1))]),
            StreamAppend::new(s.clone(), ExpectedVersion::NoStream, vec![event("C", 3)])
                .with_views(vec![remove(0, "m", "a")]),
        ])
        .await;
    assert!(matches!(
        batch,
        Err(StoreError::WrongExpectedVersion { .. })
    ));
    // Refused before writing: a change after an event the append does not have, a bad tag.
    let out_of_range = store
        .append(
            StreamAppend::new(s.clone(), ExpectedVersion::Any, vec![event("C", 3)])
                .with_views(vec![upsert(1, row("m", "a", 3))]),
        )
        .await;
    assert!(matches!(
        out_of_range,
        Err(StoreError::Invalid(InvalidInput::ViewAfter {
            after: 1,
            events: 1,
            ..
        }))
    ));
    let mut tagged = row("m", "a", 3);
    tagged.tags = vec![String::new()];
    let bad_tag = store
        .append(
            StreamAppend::new(s.clone(), ExpectedVersion::Any, vec![event("C", 3)])
                .with_views(vec![upsert(0, tagged)]),
        )
        .await;
    assert!(matches!(
        bad_tag,
        Err(StoreError::Invalid(InvalidInput::ViewTag(_)))
    ));
    assert_eq!(store.all_views().await.expect("all"), before);
    assert_eq!(store.head().await.expect("head").position, 2);

    // In one group commit: a refused request next to accepted ones keeps only theirs.
    let mut tasks = Vec::new();
    for i in 0..6u64 {
        let store = store.clone();
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let expected = if i == 0 {
                ExpectedVersion::NoStream // refused: the stream exists
            } else {
                ExpectedVersion::Any
            };
            store
                .append(
                    StreamAppend::new(
                        stream("project"),
                        ExpectedVersion::Any,
                        vec![event("P", i as i64)],
                    )
                    .with_views(vec![upsert(0, row("g", &format!("k{i}"), i))]),
                )
                .await
                .expect("append");
            store
                .append(
                    StreamAppend::new(s, expected, vec![event("C", i as i64)])
                        .with_views(vec![upsert(0, row("refused", &format!("k{i}"), i))]),
                )
                .await
                .is_ok()
        }));
    }
    let mut accepted = Vec::new();
    for (i, task) in tasks.into_iter().enumerate() {
        if task.await.expect("task") {
            accepted.push(format!("k{i}"));
        }
    }
    let refused_rows = store
        .list_views(&ViewQuery::new("refused").sorted(ViewSort::Key, SortOrder::Ascending))
        .await
        .expect("list");
    assert_eq!(
        refused_rows
            .rows
            .iter()
            .map(|v| v.row.key.clone())
            .collect::<Vec<_>>(),
        accepted
    );
    assert!(!accepted.contains(&"k0".to_owned()));
    let g = store.list_views(&ViewQuery::new("g")).await.expect("list");
    assert_eq!(g.total, 6);
}

/// Checks that each key's rows chain: each row is superseded where the next starts, the last is
/// current, and each starts at the position of the event whose version it carries.
fn assert_chained(views: &[RecordedView], positions: &HashMap<(String, u64), u64>) {
    let mut by_key: HashMap<(&str, &str), Vec<&RecordedView>> = HashMap::new();
    for v in views {
        by_key
            .entry((v.row.model.as_str(), v.row.key.as_str()))
            .or_default()
            .push(v);
    }
    for ((_, key), rows) in by_key {
        for pair in rows.windows(2) {
            assert_eq!(pair[0].valid_to, Some(pair[1].valid_from), "{key}");
        }
        assert_eq!(rows.last().and_then(|v| v.valid_to), None, "{key}");
        for v in rows {
            assert_eq!(
                positions.get(&(key.to_owned(), v.row.version)),
                Some(&v.valid_from),
                "{key} v{}",
                v.row.version
            );
        }
    }
}

pub async fn concurrent_appends_each_write_their_views(engine: Engine) {
    let db = TestDb::new(engine).await;
    // Two stores: two pools and two writers, as two processes would be.
    let stores = [db.store().await, db.store().await];
    let per_task = 20u64;
    let mut tasks = Vec::new();
    for (n, store) in stores.iter().enumerate() {
        for t in 0..6 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let s = stream(&format!("task{n}x{t}"));
                for i in 1..=per_task {
                    let expected = if i == 1 {
                        ExpectedVersion::NoStream
                    } else {
                        ExpectedVersion::Exact(i - 1)
                    };
                    let views = tick_views(s.as_str(), i)
                        .into_iter()
                        .map(|c| ViewUpdate::new(0, c))
                        .collect::<Vec<_>>();
                    store
                        .append(
                            StreamAppend::new(s.clone(), expected, vec![event("Tick", i as i64)])
                                .with_views(views),
                        )
                        .await
                        .expect("append");
                }
            }));
        }
    }
    for task in tasks {
        task.await.expect("task");
    }
    let store = &stores[0];
    let events = store
        .read_all(1, &redmud_store::Filter::all(), 10_000)
        .await
        .expect("read");
    assert_eq!(events.len() as u64, 12 * per_task);
    let positions: HashMap<(String, u64), u64> = events
        .iter()
        .map(|e| ((e.stream.to_string(), e.version), e.position))
        .collect();
    let all = store.all_views().await.expect("all");
    let (task_rows, shared_rows): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|v| v.row.model == "task");
    assert_eq!(task_rows.len() as u64, 12 * per_task);
    assert_chained(&task_rows, &positions);
    // The shared key: one row per event, chained in position order.
    assert_eq!(shared_rows.len() as u64, 12 * per_task);
    for (i, v) in shared_rows.iter().enumerate() {
        assert_eq!(v.valid_from, i as u64 + 1);
        let expected_to = (i as u64 + 2 <= 12 * per_task).then_some(i as u64 + 2);
        assert_eq!(v.valid_to, expected_to);
    }
    let current = store
        .list_views(&ViewQuery::new("task"))
        .await
        .expect("list");
    assert_eq!(current.total, 12);
    assert!(current.rows.iter().all(|v| v.row.version == per_task));
    let even = store
        .list_views(&ViewQuery {
            status: Some("even".into()),
            ..ViewQuery::new("task")
        })
        .await
        .expect("list");
    assert_eq!(even.total, 12);

    // And a rebuild from the log gives the same rows.
    assert_rebuild_matches(store, |e: &RecordedEvent| {
        Ok::<_, String>(tick_views(e.stream.as_str(), e.version))
    })
    .await;
}

/// The changes of the concurrency test's event `version` of `stream`: its own row, and the
/// shared key "all" that every task writes, so that rows of different writers interleave.
fn tick_views(stream: &str, version: u64) -> Vec<ViewChange> {
    let mut own = row("task", stream, version);
    own.status = if version.is_multiple_of(2) {
        "even"
    } else {
        "odd"
    }
    .into();
    let mut shared = row("shared", "all", version);
    shared.doc = json!({ "by": stream, "i": version });
    vec![ViewChange::Upsert(own), ViewChange::Upsert(shared)]
}

// ----- rebuild -----------------------------------------------------------------------------------

/// A small deterministic generator (xorshift64*), so that a failing workload can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A random change to a small set of keys shared by every stream.
fn random_change(rng: &mut Rng, version: u64) -> ViewChange {
    let model = rng.pick(&["enterprise", "ledger"]);
    let key = format!("key-{}", rng.below(5));
    if rng.below(4) == 0 {
        return ViewChange::Remove {
            model: model.into(),
            key,
        };
    }
    let mut r = row(model, &key, version);
    r.region = rng.pick(&["520100", "520102", "520300", ""]).into();
    r.kind = rng.pick(&["refinery", "utilizer"]).into();
    r.status = rng.pick(&["active", "suspended"]).into();
    r.task = (rng.below(2) == 0).then(|| rng.pick(&["t1", "t2"]).into());
    r.tags = (0..rng.below(3))
        .map(|_| rng.pick(&["cement", "steel", "backfill"]).into())
        .collect();
    r.search = format!("Name {} 50%_{}", rng.below(100), rng.pick(&["赤泥", "x"]));
    r.sort_name = format!("n{}", rng.below(10));
    r.doc = json!({ "n": rng.next() >> 12, "nested": { "list": [1, 2, rng.below(9)] } });
    ViewChange::Upsert(r)
}

/// What the caller's projector would do: the events carry their changes in the payload.
fn project(event: &RecordedEvent) -> Result<Vec<ViewChange>, String> {
    match event.payload.get("views") {
        None => Ok(Vec::new()),
        Some(changes) => serde_json::from_value(changes.clone()).map_err(|e| e.to_string()),
    }
}

/// Appends `rounds` random appends to random streams of `streams`, each event carrying 0 to 3
/// random changes that the append also sends as its views.
async fn random_appends(store: EventStore, seed: u64, streams: Vec<StreamId>, rounds: usize) {
    let mut rng = Rng(seed);
    for _ in 0..rounds {
        let s = &streams[rng.below(streams.len() as u64) as usize];
        let mut events = Vec::new();
        let mut views = Vec::new();
        for after in 0..=rng.below(3) as usize {
            let changes: Vec<ViewChange> = (0..rng.below(4))
                .map(|_| random_change(&mut rng, after as u64 + 1))
                .collect();
            views.extend(changes.iter().cloned().map(|c| ViewUpdate::new(after, c)));
            events.push(NewEvent::new(
                "Changed",
                json!({ "views": changes }),
                meta(),
            ));
        }
        let append = StreamAppend::new(s.clone(), ExpectedVersion::Any, events).with_views(views);
        store.append(append.clone()).await.expect("append");
        if rng.below(8) == 0 {
            // A retry: no change.
            store.append(append).await.expect("retry");
        }
        if rng.below(8) == 0 {
            // A refusal: no change.
            let refused = StreamAppend::new(
                s.clone(),
                ExpectedVersion::NoStream,
                vec![event("Refused", 0)],
            )
            .with_views(vec![ViewUpdate::new(0, random_change(&mut rng, 99))]);
            assert!(store.append(refused).await.is_err());
        }
    }
}

/// Rebuilds the views from the log and checks that every row is as the appends wrote it.
async fn assert_rebuild_matches<F>(store: &EventStore, projector: F)
where
    F: FnMut(&RecordedEvent) -> Result<Vec<ViewChange>, String>,
{
    let before = store.all_views().await.expect("all");
    let report = store.rebuild_views(projector).await.expect("rebuild");
    let after = store.all_views().await.expect("all");
    assert_eq!(report.head, store.head().await.expect("head").position);
    assert_eq!(report.events, report.head);
    assert_eq!(report.rows, before.len() as u64);
    assert_eq!(report.deleted, before.len() as u64);
    assert_eq!(
        serde_json::to_string(&after).expect("json"),
        serde_json::to_string(&before).expect("json"),
        "rebuilt rows equal the incremental ones"
    );
}

pub async fn rebuild_equals_incremental(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let streams: Vec<StreamId> = (0..4).map(|_| stream("enterprise")).collect();
    for seed in [1, 7, 42] {
        // Four writers at once, so that appends share group commits.
        let mut tasks = Vec::new();
        for task in 0..4u64 {
            tasks.push(tokio::spawn(random_appends(
                store.clone(),
                seed * 1_000 + task + 1,
                streams.clone(),
                15,
            )));
        }
        for task in tasks {
            task.await.expect("task");
        }
        assert_rebuild_matches(&store, project).await;
        // Appends after a rebuild supersede the rebuilt rows as they did the original ones.
    }
    assert!(!store.all_views().await.expect("all").is_empty());

    // A projector that fails changes nothing.
    let before = store.all_views().await.expect("all");
    let failed = store
        .rebuild_views(|e: &RecordedEvent| {
            if e.position == 3 {
                Err("cannot project")
            } else {
                Ok(Vec::new())
            }
        })
        .await;
    assert!(matches!(
        failed,
        Err(RebuildError::Projector {
            position: 3,
            error: "cannot project"
        })
    ));
    assert_eq!(store.all_views().await.expect("all"), before);
    // An empty projector empties the read models.
    let report = store
        .rebuild_views(|_| Ok::<_, String>(Vec::new()))
        .await
        .expect("rebuild");
    assert_eq!((report.rows, report.deleted), (0, before.len() as u64));
    assert!(store.all_views().await.expect("all").is_empty());
    // And the real one brings them back.
    store.rebuild_views(project).await.expect("rebuild");
    assert_eq!(store.all_views().await.expect("all"), before);
}

pub async fn rebuild_runs_while_appends_continue(engine: Engine) {
    let db = TestDb::new(engine).await;
    // The smallest pool: the rebuild reads the log in its own transaction, needing no second
    // connection while its writer waits for the lock with the other.
    let store = db
        .store_with(StoreOptions {
            max_connections: 2,
            ..StoreOptions::default()
        })
        .await;
    let other = db.store().await;
    let streams: Vec<StreamId> = (0..3).map(|_| stream("project")).collect();
    random_appends(store.clone(), 99, streams.clone(), 20).await;
    // Appends from two processes keep going while rebuilds run.
    let writers = [store.clone(), other.clone()].map(|s| {
        let streams = streams.clone();
        tokio::spawn(async move {
            for seed in 0..4 {
                random_appends(s.clone(), 500 + seed, streams.clone(), 5).await;
            }
        })
    });
    for _ in 0..3 {
        store.rebuild_views(project).await.expect("rebuild");
    }
    for writer in writers {
        writer.await.expect("writer");
    }
    assert_rebuild_matches(&other, project).await;
}

/// (key, valid_from, version) of every row `list_views` returns for `query` (all pages).
async fn listed_heads(
    store: &EventStore,
    query: &ViewQuery,
) -> Vec<(String, u64, u64, serde_json::Value)> {
    let mut out = Vec::new();
    let mut query = query.clone();
    query.sort = ViewSort::Key;
    query.limit = MAX_VIEW_PAGE;
    loop {
        let page = store.list_views(&query).await.expect("list");
        let n = page.rows.len() as u64;
        out.extend(
            page.rows
                .into_iter()
                .map(|v| (v.row.key, v.valid_from, v.row.version, v.row.doc)),
        );
        query.offset += n;
        if n == 0 || query.offset >= page.total {
            return out;
        }
    }
}

pub async fn view_heads_docs_and_decoded_rows_match_the_lists(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let s = stream("enterprise");
    // Position 1: 450 rows in one append (more than one statement's worth of documents).
    let many: Vec<ViewUpdate> = (0..450)
        .map(|i| {
            let mut r = row("enterprise", &format!("enterprise-{i:03}"), 1);
            r.region = if i % 2 == 0 { "520100" } else { "520300" }.into();
            upsert(0, r)
        })
        .collect();
    append_with(&store, &s, 1, many).await;
    // Positions 2 and 3: one row superseded, another removed.
    let mut changed = row("enterprise", "enterprise-007", 2);
    changed.region = "520100".into();
    changed.doc = json!({ "version": 2, "note": "changed" });
    append_with(&store, &s, 1, vec![upsert(0, changed)]).await;
    append_with(
        &store,
        &s,
        1,
        vec![remove(0, "enterprise", "enterprise-010")],
    )
    .await;

    for at in [None, Some(1), Some(2), Some(3)] {
        for prefix in [None, Some("5201")] {
            let mut query = ViewQuery::new("enterprise");
            query.at = at;
            query.region_prefix = prefix.map(str::to_owned);
            let listed = listed_heads(&store, &query).await;
            let heads = store.view_heads(&query).await.expect("heads");
            assert_eq!(
                heads
                    .iter()
                    .map(|h| (h.key.clone(), h.valid_from, h.version))
                    .collect::<Vec<_>>(),
                listed
                    .iter()
                    .map(|(k, f, v, _)| (k.clone(), *f, *v))
                    .collect::<Vec<_>>(),
                "heads at {at:?} within {prefix:?}"
            );
            let wanted: Vec<(&str, u64)> = heads
                .iter()
                .map(|h| (h.key.as_str(), h.valid_from))
                .collect();
            let mut docs = store.view_docs("enterprise", &wanted).await.expect("docs");
            docs.sort_by(|a, b| a.key.cmp(&b.key));
            assert_eq!(docs.len(), listed.len());
            for (doc, (key, valid_from, _, value)) in docs.iter().zip(&listed) {
                assert_eq!((&doc.key, doc.valid_from), (key, *valid_from));
                let parsed: serde_json::Value = serde_json::from_str(&doc.doc).expect("json");
                assert_eq!(&parsed, value);
            }
        }
    }
    // A name without a row, or of another model, is left out.
    let none = store
        .view_docs(
            "enterprise",
            &[("enterprise-001", 2), ("enterprise-999", 1)],
        )
        .await
        .expect("docs");
    assert!(none.is_empty());
    assert!(
        store
            .view_docs("project", &[("enterprise-001", 1)])
            .await
            .expect("docs")
            .is_empty()
    );

    // Decoded rows: each document decoded once per type, then kept.
    let decodes = std::sync::atomic::AtomicUsize::new(0);
    let decode = |text: &str| {
        decodes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        serde_json::from_str::<serde_json::Value>(text)
    };
    let query = ViewQuery::new("enterprise");
    let first = store.decoded_views(&query, decode).await.expect("decoded");
    assert_eq!(first.len(), 449);
    assert_eq!(decodes.load(std::sync::atomic::Ordering::SeqCst), 449);
    let again = store.decoded_views(&query, decode).await.expect("decoded");
    assert_eq!(
        decodes.load(std::sync::atomic::Ordering::SeqCst),
        449,
        "kept"
    );
    assert!(
        std::sync::Arc::ptr_eq(&first, &again),
        "nothing changed: the same list"
    );
    let (_, changed) = again
        .iter()
        .find(|(h, _)| h.key == "enterprise-007")
        .expect("row");
    assert_eq!(changed["note"], "changed");
    // As of position 1 only the superseded and removed rows' first versions are new.
    let mut past = ViewQuery::new("enterprise");
    past.at = Some(1);
    assert_eq!(
        store
            .decoded_views(&past, decode)
            .await
            .expect("decoded")
            .len(),
        450
    );
    assert_eq!(decodes.load(std::sync::atomic::Ordering::SeqCst), 451);
    // Another type is decoded (and kept) on its own.
    #[derive(serde::Deserialize)]
    struct Version {
        version: u64,
    }
    let versions = store
        .decoded_views(&query, |text: &str| serde_json::from_str::<Version>(text))
        .await
        .expect("decoded");
    assert!(versions.iter().all(|(h, v)| h.version == v.version));
    // A decoder's refusal names the row.
    let refused = store
        .decoded_views(&past, |_: &str| Err::<u8, _>("no"))
        .await
        .expect_err("refused");
    assert!(matches!(
        refused,
        redmud_store::DecodedViewsError::Decode { ref model, ref key, valid_from: 1, error: "no" }
            if model == "enterprise" && key == "enterprise-000"
    ));
    // A row changes: the next list is built anew, decoding only the new version and sharing
    // every other row's document with the list before.
    let mut changed = row("enterprise", "enterprise-003", 2);
    changed.doc = json!({ "version": 2, "note": "changed again" });
    let written = append_with(&store, &s, 1, vec![upsert(0, changed)]).await;
    let after = store.decoded_views(&query, decode).await.expect("decoded");
    assert!(!std::sync::Arc::ptr_eq(&again, &after), "a row changed");
    assert_eq!(decodes.load(std::sync::atomic::Ordering::SeqCst), 452);
    assert_eq!(after.len(), again.len());
    for ((h1, a), (h2, b)) in again.iter().zip(after.iter()) {
        assert_eq!(h1.key, h2.key);
        if h1.key == "enterprise-003" {
            assert_eq!(h2.valid_from, written.last_position);
            assert_eq!(b["note"], "changed again");
        } else {
            assert!(h1 == h2 && std::sync::Arc::ptr_eq(a, b), "{} kept", h1.key);
        }
    }
}

/// The heads of every row valid at each position (and now), from the store's in-memory index of
/// row versions, equal the SQL lists, also when another store (another process) writes after the
/// index was loaded — versions added, superseded, removed, a region changed.
pub async fn indexed_heads_follow_writes_from_another_store(engine: Engine) {
    let db = TestDb::new(engine).await;
    let reader = db.store().await;
    let writer = db.store().await;
    let s = stream("enterprise");
    let first: Vec<ViewUpdate> = (0..20)
        .map(|i| {
            let mut r = row("enterprise", &format!("enterprise-{i:02}"), 1);
            r.region = if i % 2 == 0 { "520100" } else { "520300" }.into();
            upsert(0, r)
        })
        .collect();
    append_with(&writer, &s, 1, first).await;
    let check = |store: &EventStore, head: u64| {
        let store = store.clone();
        async move {
            let positions = (1..=head + 1).map(Some).chain([None]);
            for at in positions {
                for prefix in [None, Some("5201"), Some("520300"), Some("9")] {
                    let mut query = ViewQuery::new("enterprise");
                    query.at = at;
                    query.region_prefix = prefix.map(str::to_owned);
                    let listed = listed_heads(&store, &query).await;
                    let heads = store.view_heads(&query).await.expect("heads");
                    assert_eq!(
                        heads
                            .iter()
                            .map(|h| (h.key.clone(), h.valid_from, h.version))
                            .collect::<Vec<_>>(),
                        listed
                            .iter()
                            .map(|(k, f, v, _)| (k.clone(), *f, *v))
                            .collect::<Vec<_>>(),
                        "heads at {at:?} within {prefix:?} (head {head})"
                    );
                }
            }
        }
    };
    // The reader loads its index.
    check(&reader, 1).await;
    // The other store supersedes rows (one moves region), removes one, adds one.
    let mut moved = row("enterprise", "enterprise-03", 2);
    moved.region = "520100".into();
    append_with(&writer, &s, 1, vec![upsert(0, moved)]).await;
    append_with(
        &writer,
        &s,
        1,
        vec![remove(0, "enterprise", "enterprise-04")],
    )
    .await;
    let mut added = row("enterprise", "enterprise-99", 1);
    added.region = "520300".into();
    let again = row("enterprise", "enterprise-03", 3);
    append_with(&writer, &s, 2, vec![upsert(0, added), upsert(1, again)]).await;
    check(&reader, 5).await;
    // Removed then upserted again: a new version after a gap.
    append_with(
        &writer,
        &s,
        1,
        vec![upsert(0, row("enterprise", "enterprise-04", 5))],
    )
    .await;
    check(&reader, 6).await;
    check(&writer, 6).await;
    // Decoded rows come from the same index.
    let decoded = reader
        .decoded_views(&ViewQuery::new("enterprise").at(4), |text: &str| {
            serde_json::from_str::<serde_json::Value>(text)
        })
        .await
        .expect("decoded");
    assert_eq!(decoded.len(), 20);
    assert!(decoded.iter().all(|(h, _)| h.key != "enterprise-04"));
    // Every version of named rows, by key then valid_from; unknown keys left out.
    let history = reader
        .view_history(
            "enterprise",
            &["enterprise-04", "enterprise-03", "nope", "enterprise-03"],
        )
        .await
        .expect("history");
    let spans: Vec<(&str, u64, Option<u64>, u64)> = history
        .iter()
        .map(|v| (v.key.as_str(), v.valid_from, v.valid_to, v.version))
        .collect();
    assert_eq!(
        spans,
        [
            ("enterprise-03", 1, Some(2), 1),
            ("enterprise-03", 2, Some(5), 2),
            ("enterprise-03", 5, None, 3),
            ("enterprise-04", 1, Some(3), 1),
            ("enterprise-04", 6, None, 5),
        ]
    );
    assert!(
        reader
            .view_history("project", &["enterprise-03"])
            .await
            .expect("history")
            .is_empty()
    );
    // Filters the index does not keep are still answered (by SQL).
    let mut by_kind = ViewQuery::new("enterprise");
    by_kind.kind = Some("refinery".into());
    let _ = reader.view_heads(&by_kind).await.expect("heads by kind");
}
