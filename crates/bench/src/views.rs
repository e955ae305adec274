//! Read-model workloads: appends that write a view row each, lookups and lists as of now and of a
//! past position, and a rebuild from the whole log.

use std::time::Instant;

use anyhow::{Result, bail};
use redmud_store::{
    EventStore, ExpectedVersion, RecordedEvent, StreamAppend, StreamId, ViewChange, ViewQuery,
    ViewRow, ViewUpdate,
};
use serde_json::json;

use crate::workloads::{counted, emit, line, stream, streams, with_ratio};
use crate::{Args, Engine, Line};

const REGIONS: [&str; 4] = ["520100", "520102", "520300", "522600"];

/// The row of a counter stream at `version`: what the appends write and the rebuild recomputes.
fn counter_row(stream: &str, version: u64) -> ViewRow {
    let region = REGIONS[(version % 4) as usize];
    ViewRow {
        model: "counter".into(),
        key: stream.into(),
        version,
        region: region.into(),
        kind: "counter".into(),
        status: if version.is_multiple_of(2) {
            "even"
        } else {
            "odd"
        }
        .into(),
        task: None,
        tags: vec!["cement".into(), format!("r{region}")],
        search: format!("Counter {stream}"),
        sort_name: stream.into(),
        doc: json!({ "stream": stream, "count": version, "region": region }),
    }
}

/// Appends one counted event with its row to each stream, `commands` times over.
async fn append_rounds(store: &EventStore, mine: &[StreamId], commands: usize) -> Result<()> {
    for round in 1..=commands as u64 {
        for s in mine {
            let expected = if round == 1 {
                ExpectedVersion::NoStream
            } else {
                ExpectedVersion::Exact(round - 1)
            };
            let row = counter_row(s.as_str(), round);
            store
                .append(
                    StreamAppend::new(s.clone(), expected, vec![counted(round)])
                        .with_views([ViewUpdate::new(0, ViewChange::Upsert(row))]),
                )
                .await?;
        }
    }
    Ok(())
}

/// Runs `per_task` operations from each of `tasks` tasks (`op(store, task, i)` is one) and
/// reports their rate as `workload`, counting `what`.
async fn from_tasks<F, Fut>(
    (engine, workload, what): (Engine, &'static str, &str),
    store: &EventStore,
    tasks: usize,
    per_task: usize,
    op: F,
) -> Result<Line>
where
    F: Fn(EventStore, usize, usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<()>> + Send,
{
    let t = Instant::now();
    let mut handles = Vec::new();
    for task in 0..tasks {
        let (store, op) = (store.clone(), op.clone());
        handles.push(tokio::spawn(async move {
            for i in 0..per_task {
                op(store.clone(), task, i).await?;
            }
            anyhow::Ok(())
        }));
    }
    for handle in handles {
        handle.await??;
    }
    let mut l = line(engine, workload, per_task * tasks, t);
    l.note = format!("({what}/s, {tasks} tasks)");
    Ok(l)
}

pub(crate) async fn bench_views(
    engine: Engine,
    store: &EventStore,
    args: &Args,
    seq: &Line,
    conc: &Line,
    lines: &mut Vec<Line>,
) -> Result<()> {
    let n_cmds = args.streams * args.commands;

    // seq-views: seq's appends (without its cache and decision), each with a view row.
    let seq_streams = streams("views", 0..args.streams)?;
    let t = Instant::now();
    append_rounds(store, &seq_streams, args.commands).await?;
    let seq_views = line(engine, "seq-views", n_cmds, t);
    emit(lines, with_ratio(seq_views, seq, None));

    // conc-views: the same from several tasks on disjoint streams.
    let t = Instant::now();
    let mut tasks = Vec::new();
    for task in 0..args.tasks {
        let store = store.clone();
        let mine = streams("cviews", (task..args.streams).step_by(args.tasks))?;
        let commands = args.commands;
        tasks.push(tokio::spawn(async move {
            append_rounds(&store, &mine, commands).await
        }));
    }
    for task in tasks {
        task.await??;
    }
    let conc_views = line(engine, "conc-views", n_cmds, t);
    emit(lines, with_ratio(conc_views, conc, None));

    // Reads from several tasks: a row by key now, and as of a past position.
    let head = store.head().await?.position;
    let reads = n_cmds.min(20_000);
    let per_task = reads.div_ceil(args.tasks);
    let n_streams = args.streams;
    for (workload, past) in [("view-get", false), ("view-get-asof", true)] {
        let l = from_tasks(
            (engine, workload, "reads"),
            store,
            args.tasks,
            per_task,
            move |store, task, i| async move {
                let n = (task * 7_919 + i * 104_729) % n_streams;
                let key = stream("views", n)?;
                let at = past.then(|| 1 + (n as u64 * 7_717 + i as u64) % head);
                let found = store.view("counter", key.as_str(), at).await?;
                if !past && found.is_none() {
                    bail!("no current row for {key}");
                }
                Ok(())
            },
        )
        .await?;
        emit(lines, l);
    }

    // Lists: a page of 50 rows of one region prefix, by name, with its total.
    let lists = (reads / 10).max(args.tasks);
    let per_task = lists.div_ceil(args.tasks);
    for (workload, past) in [("view-list", false), ("view-list-asof", true)] {
        let l = from_tasks(
            (engine, workload, "pages of 50 rows with their total"),
            store,
            args.tasks,
            per_task,
            move |store, task, i| async move {
                let mut query = ViewQuery::new("counter").page(50, ((task + i) % 5 * 50) as u64);
                query.region_prefix = Some(REGIONS[(task + i) % 4][..4].to_owned());
                query.at = past.then(|| 1 + ((task * 31 + i) as u64 * 7_717) % head);
                store.list_views(&query).await?;
                Ok(())
            },
        )
        .await?;
        emit(lines, l);
    }

    // rebuild: every row again from the whole log.
    let t = Instant::now();
    let report = store
        .rebuild_views(|e: &RecordedEvent| {
            let id = e.stream.id();
            Ok::<_, std::convert::Infallible>(
                if id.starts_with("views") || id.starts_with("cviews") {
                    vec![ViewChange::Upsert(counter_row(
                        e.stream.as_str(),
                        e.version,
                    ))]
                } else {
                    Vec::new()
                },
            )
        })
        .await
        .map_err(|e| anyhow::anyhow!("rebuild: {e}"))?;
    if report.rows != report.deleted || report.rows != 2 * n_cmds as u64 {
        bail!(
            "rebuild wrote {} rows, deleted {}",
            report.rows,
            report.deleted
        );
    }
    let mut rebuild = line(engine, "rebuild", report.events as usize, t);
    rebuild.note = format!("(events/s; {} rows written)", report.rows);
    emit(lines, rebuild);
    Ok(())
}
