//! The workloads, run on one engine: the raw baselines and the store's.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Result, bail};
use redmud_store::{
    Direction, EventStore, EventView, ExpectedVersion, Filter, Metadata, NewEvent, ReplayError,
    StateCache, StoreOptions, StreamAppend, StreamId,
};
use serde_json::{Value, json};

use crate::raw::{Floor, RawDb};
use crate::{Args, Engine, Line};

// ----- the aggregate -------------------------------------------------------------------------

/// A tiny pure aggregate: a counter that counts up one at a time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counter {
    count: u64,
    total: i64,
}

const COUNTED: &str = "Counted";

fn apply(state: &mut Counter, event_type: &str, payload: &Value) {
    if event_type == COUNTED {
        state.count += 1;
        state.total += payload["n"].as_i64().unwrap_or(0);
    }
}

/// The payload of a `Counted` event as a replay reads it (the note is not needed).
#[derive(serde::Deserialize)]
struct CountedPayload {
    n: i64,
}

/// [`apply`] of a borrowed event: the payload deserialised into [`CountedPayload`], not a
/// `Value`.
fn apply_view(state: &mut Counter, view: &EventView<'_>) -> Result<(), serde_json::Error> {
    if view.event_type == COUNTED {
        let payload: CountedPayload = view.payload_as()?;
        state.count += 1;
        state.total += payload.n;
    }
    Ok(())
}

pub(crate) fn counted(n: u64) -> NewEvent {
    NewEvent::new(
        COUNTED,
        json!({ "n": n, "note": "赤泥" }),
        Metadata::actor("bench", "bench", "520100"),
    )
}

/// The command: count one more (refused past a ceiling, so that it does decide something).
fn decide(state: &Counter) -> Result<Vec<NewEvent>, &'static str> {
    if state.count >= 1_000_000 {
        return Err("counter full");
    }
    Ok(vec![counted(state.count + 1)])
}

pub(crate) fn stream(kind: &str, i: usize) -> Result<StreamId> {
    Ok(StreamId::new(format!("counter-{kind}{i:06}"))?)
}

pub(crate) fn streams(kind: &str, indices: impl Iterator<Item = usize>) -> Result<Vec<StreamId>> {
    indices.map(|i| stream(kind, i)).collect()
}

type Cache = StateCache<Counter>;

/// One command through the cache: returns the conflicts it met.
async fn command(store: &EventStore, cache: &Cache, stream: &StreamId) -> Result<u32> {
    let done = cache
        .execute(store, stream, Counter::default, apply, decide, 1_000)
        .await
        .map_err(|e| anyhow::anyhow!("command on {stream}: {e}"))?;
    Ok(done.conflicts)
}

/// Rows `done..done + n` of a raw bulk baseline: (stream, version, payload), 100 rows a stream.
fn raw_batch(kind: &str, done: usize, n: usize, payload: &str) -> Vec<(String, i64, String)> {
    (done..done + n)
        .map(|i| {
            let s = format!("counter-{kind}{:06}", i / 100);
            (s, (i % 100 + 1) as i64, payload.to_owned())
        })
        .collect()
}

pub(crate) fn line(engine: Engine, workload: &'static str, ops: usize, started: Instant) -> Line {
    Line {
        engine: engine.name(),
        workload,
        ops: ops as u64,
        seconds: started.elapsed().as_secs_f64(),
        ratio: None,
        target: None,
        note: String::new(),
    }
}

pub(crate) fn with_ratio(mut l: Line, base: &Line, want: Option<f64>) -> Line {
    let r = l.rate() / base.rate();
    l.ratio = Some((r, base.workload));
    if let Some(want) = want {
        l.target = Some((format!("≥{want}× {}", base.workload), r >= want));
    }
    l
}

pub(crate) fn emit(lines: &mut Vec<Line>, line: Line) -> Line {
    line.print();
    lines.push(line.clone());
    line
}

// ----- the run -------------------------------------------------------------------------------

pub(crate) async fn bench_engine(
    engine: Engine,
    store_url: &str,
    raw_url: &str,
    args: &Args,
) -> Result<Vec<Line>> {
    let pool_size = u32::try_from(args.tasks).unwrap_or(u32::MAX).max(2);
    let store = EventStore::connect_with(
        store_url,
        StoreOptions {
            max_connections: pool_size,
            ..StoreOptions::default()
        },
    )
    .await?;
    store.migrate().await?;
    let raw = RawDb::open(raw_url, pool_size).await?;
    let n_cmds = args.streams * args.commands;
    let payload = json!({ "n": 1, "note": "赤泥" }).to_string();
    let mut lines = Vec::new();
    let cache = Arc::new(Cache::new(100_000));

    // raw-seq: one row per transaction, one after another.
    let t = Instant::now();
    for round in 0..args.commands {
        for i in 0..args.streams {
            let s = format!("counter-raw{i:06}");
            raw.insert_one(&s, round as i64 + 1, &payload).await?;
        }
    }
    let raw_seq = emit(&mut lines, line(engine, "raw-seq", n_cmds, t));

    // raw-seq-log and raw-seq-min: the same, into a table of the log's schema and into the least
    // schema that keeps the envelope (the floors under `seq`).
    for (floor, name) in [(Floor::Log, "raw-seq-log"), (Floor::Min, "raw-seq-min")] {
        let t = Instant::now();
        let mut position = 0;
        for round in 0..args.commands {
            for i in 0..args.streams {
                position += 1;
                let s = format!("counter-rawlog{i:06}");
                raw.insert_log_row(floor, position, &s, round as i64 + 1, &payload)
                    .await?;
            }
        }
        emit(
            &mut lines,
            with_ratio(line(engine, name, n_cmds, t), &raw_seq, None),
        );
    }

    // seq: state from the cache (a miss reads the stream), decide, append expecting its version.
    let seq_streams = streams("seq", 0..args.streams)?;
    let t = Instant::now();
    for _ in 0..args.commands {
        for s in &seq_streams {
            command(&store, &cache, s).await?;
        }
    }
    let seq = line(engine, "seq", n_cmds, t);
    let seq = emit(&mut lines, with_ratio(seq, &raw_seq, Some(0.8)));

    // seq-reread: the same without the cache, every command rereads its stream (no target).
    let reread_streams = streams("reread", 0..args.streams)?;
    let t = Instant::now();
    for _ in 0..args.commands {
        for s in &reread_streams {
            cache.evict(s);
            command(&store, &cache, s).await?;
        }
    }
    let reread = line(engine, "seq-reread", n_cmds, t);
    emit(&mut lines, with_ratio(reread, &raw_seq, None));

    // raw-conc: the same rows from several tasks, one row per transaction.
    let t = Instant::now();
    let mut tasks = Vec::new();
    for task in 0..args.tasks {
        let (raw, payload) = (raw.clone(), payload.clone());
        let (n_streams, commands, n_tasks) = (args.streams, args.commands, args.tasks);
        tasks.push(tokio::spawn(async move {
            for round in 0..commands {
                for i in (task..n_streams).step_by(n_tasks) {
                    let s = format!("counter-rawc{i:06}");
                    raw.insert_one(&s, round as i64 + 1, &payload).await?;
                }
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let raw_conc = emit(&mut lines, line(engine, "raw-conc", n_cmds, t));

    // conc: seq from several tasks on disjoint streams (one shared cache).
    let t = Instant::now();
    let mut tasks = Vec::new();
    for task in 0..args.tasks {
        let (store, cache) = (store.clone(), cache.clone());
        let mine = streams("conc", (task..args.streams).step_by(args.tasks))?;
        let commands = args.commands;
        tasks.push(tokio::spawn(async move {
            let mut conflicts = 0;
            for _ in 0..commands {
                for s in &mine {
                    conflicts += command(&store, &cache, s).await?;
                }
            }
            anyhow::Ok(conflicts)
        }));
    }
    let mut conflicts = 0;
    for task in tasks {
        conflicts += task.await??;
    }
    let want = match engine {
        Engine::Sqlite => 4.0,
        Engine::Postgres => 2.0,
    };
    let mut conc = with_ratio(line(engine, "conc", n_cmds, t), &raw_conc, Some(want));
    conc.note = format!(
        "({:.2}× raw-seq; conflicts={conflicts})",
        conc.rate() / raw_seq.rate()
    );
    let conc = emit(&mut lines, conc);

    // contend: several tasks on a few shared streams, retrying on conflict.
    let shared = Arc::new(streams("hot", 0..args.contend_streams.max(1))?);
    let per_task = n_cmds.div_ceil(args.tasks);
    let t = Instant::now();
    let mut tasks = Vec::new();
    for task in 0..args.tasks {
        let (store, cache, shared) = (store.clone(), cache.clone(), shared.clone());
        tasks.push(tokio::spawn(async move {
            let mut conflicts = 0u64;
            let mut rng = 0x9E37_79B9_7F4A_7C15_u64 ^ (task as u64 + 1);
            for _ in 0..per_task {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let s = &shared[(rng % shared.len() as u64) as usize];
                conflicts += u64::from(command(&store, &cache, s).await?);
            }
            anyhow::Ok(conflicts)
        }));
    }
    let mut conflicts = 0;
    for task in tasks {
        conflicts += task.await??;
    }
    let ops = per_task * args.tasks;
    let mut contend = with_ratio(line(engine, "contend", ops, t), &raw_conc, None);
    contend.note = format!("conflicts={conflicts}");
    emit(&mut lines, contend);
    // Every successful command is in the log exactly once: no lost update.
    let mut hot_events = 0;
    for s in shared.iter() {
        hot_events += store.stream_version(s).await?;
    }
    if hot_events != ops as u64 {
        bail!("contend lost updates: {hot_events} events for {ops} commands");
    }

    // replay: read every seq stream and fold it.
    let t = Instant::now();
    let mut events = 0;
    for s in &seq_streams {
        let page = store.read_stream(s, 1, Direction::Forward, 100_000).await?;
        let mut state = Counter::default();
        for e in &page {
            apply(&mut state, &e.event_type, &e.payload);
        }
        if state.count != args.commands as u64 {
            bail!(
                "replay of {s}: {} events, not {}",
                state.count,
                args.commands
            );
        }
        events += page.len();
    }
    let mut replay = line(engine, "replay", events, t);
    replay.note = "(events/s, one read_stream per stream)".into();
    emit(&mut lines, replay);

    // raw-bulk: multi-row INSERTs, `batch` rows a transaction.
    let t = Instant::now();
    let mut done = 0;
    while done < args.bulk {
        let n = args.batch.min(args.bulk - done);
        raw.insert_many(&raw_batch("rawb", done, n, &payload))
            .await?;
        done += n;
    }
    let raw_bulk = emit(&mut lines, line(engine, "raw-bulk", args.bulk, t));

    // raw-bulk-log and raw-bulk-min: the same batches into the log's schema (the head moved once
    // a batch) and into the least schema (the floors under `bulk`); positions after raw-seq-*'s.
    for (floor, name) in [(Floor::Log, "raw-bulk-log"), (Floor::Min, "raw-bulk-min")] {
        let t = Instant::now();
        let mut done = 0;
        while done < args.bulk {
            let n = args.batch.min(args.bulk - done);
            let rows = raw_batch("rawbl", done, n, &payload);
            raw.insert_many_log(floor, (n_cmds + done) as i64 + 1, &rows)
                .await?;
            done += n;
        }
        emit(
            &mut lines,
            with_ratio(line(engine, name, args.bulk, t), &raw_bulk, None),
        );
    }

    // bulk: append_batch of `batch` events (new streams of 100 events each), all or nothing.
    let t = Instant::now();
    let mut done = 0;
    let mut next_stream = 0;
    while done < args.bulk {
        let n = args.batch.min(args.bulk - done);
        let mut appends = Vec::new();
        let mut k = 0;
        while k < n {
            let m = 100.min(n - k);
            let events = (1..=m as u64).map(counted).collect();
            let s = stream("bulk", next_stream)?;
            appends.push(StreamAppend::new(s, ExpectedVersion::NoStream, events));
            next_stream += 1;
            k += m;
        }
        store.append_batch(appends).await?;
        done += n;
    }
    let bulk = line(engine, "bulk", args.bulk, t);
    emit(&mut lines, with_ratio(bulk, &raw_bulk, Some(0.5)));

    replay_all_and_verify(engine, &store, &mut lines).await?;

    // Read models: last, so that the figures above stay comparable with earlier runs.
    crate::views::bench_views(engine, &store, args, &seq, &conc, &mut lines).await?;

    let raw_rows = raw.count().await?;
    let expected_rows = (2 * n_cmds + args.bulk) as i64;
    if raw_rows != expected_rows {
        bail!("the raw baseline holds {raw_rows} rows, not {expected_rows}");
    }
    raw.close().await;
    Ok(lines)
}

/// `replay-all` (read the whole log in pages and fold every stream) and `verify` (the whole
/// chain), one line each.
async fn replay_all_and_verify(
    engine: Engine,
    store: &EventStore,
    lines: &mut Vec<Line>,
) -> Result<()> {
    // replay-all: fold every stream over the whole log, each payload read into a typed event.
    let head = store.head().await?;
    let t = Instant::now();
    let (states, events) = store
        .replay(
            1,
            &Filter::all(),
            (HashMap::<String, Counter>::new(), 0usize),
            |(states, events), view| {
                *events += 1;
                if let Some(state) = states.get_mut(view.stream) {
                    apply_view(state, view)
                } else {
                    let mut state = Counter::default();
                    apply_view(&mut state, view)?;
                    states.insert(view.stream.to_owned(), state);
                    Ok(())
                }
            },
        )
        .await
        .map_err(|e| match e {
            ReplayError::Store(e) => anyhow::Error::from(e),
            ReplayError::Fold { position, error } => {
                anyhow::anyhow!("replay-all: the event at {position} does not fold: {error}")
            }
        })?;
    if events as u64 != head.position {
        bail!(
            "replay-all read {events} events, the head is at {}",
            head.position
        );
    }
    let mut replay_all = line(engine, "replay-all", events, t);
    replay_all.note = format!("(events/s over the whole log, {} streams)", states.len());
    if engine == Engine::Sqlite {
        let met = replay_all.rate() >= 1e6;
        replay_all.target = Some(("≥1,000,000 events/s".into(), met));
    }
    emit(lines, replay_all);

    // verify: the whole chain.
    let cpu = cpu_seconds();
    let t = Instant::now();
    let report = store.verify().await?;
    if let Some(failure) = &report.first_failure {
        bail!("verify failed: {failure:?}");
    }
    let mut verify = line(engine, "verify", report.checked as usize, t);
    let met = verify.rate() >= 1e6;
    verify.target = Some(("≥1,000,000 events/s".into(), met));
    verify.note = match (cpu, cpu_seconds()) {
        (Some(before), Some(after)) => format!(
            "(events/s; process CPU {:.2} s, {:.2} µs/event)",
            after - before,
            (after - before) * 1e6 / report.checked.max(1) as f64
        ),
        _ => "(events/s)".into(),
    };
    emit(lines, verify);
    Ok(())
}

/// `--verify-only`: a log of `--log-events` events written with `append_batch` (counters of 45
/// events each, as the usual run's mix of short and long streams), then `replay-all` and
/// `verify` `--repeat` times.
pub(crate) async fn bench_verify_only(
    engine: Engine,
    store_url: &str,
    args: &Args,
) -> Result<Vec<Line>> {
    let store = EventStore::connect(store_url).await?;
    store.migrate().await?;
    let t = Instant::now();
    let mut done = 0;
    let mut next_stream = 0;
    while done < args.log_events {
        let n = args.batch.min(args.log_events - done);
        let mut appends = Vec::new();
        let mut k = 0;
        while k < n {
            let m = 45.min(n - k);
            let events = (1..=m as u64).map(counted).collect();
            let s = stream("log", next_stream)?;
            appends.push(StreamAppend::new(s, ExpectedVersion::NoStream, events));
            next_stream += 1;
            k += m;
        }
        store.append_batch(appends).await?;
        done += n;
    }
    let mut lines = Vec::new();
    emit(&mut lines, line(engine, "bulk", args.log_events, t));
    for _ in 0..args.repeat.max(1) {
        replay_all_and_verify(engine, &store, &mut lines).await?;
    }
    store.close().await;
    Ok(lines)
}

/// CPU time (user + system) of this process so far, from `/proc/self/stat` (Linux; 100 ticks a
/// second). `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the parenthesised command name; utime and stime are the 14th and 15th.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}
