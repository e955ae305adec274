//! `redmud import-ledger` as a separate process, on SQLite and PostgreSQL: a good file (the
//! example in docs/), bad rows reported by line with nothing written, a dry run, and a re-run
//! that records nothing twice.

#[path = "../../store/tests/common/mod.rs"]
mod common;

mod support;

use common::{Engine, TestDb};
use redmud_store::{EventStore, Filter, ViewQuery};
use serde_json::{Value, json};
use support::{Server, login, redmud, redmud_output, register_refineries};
use uuid::Uuid;

/// The example file of docs/operations.md.
const EXAMPLE: &str = include_str!("../../../docs/ledger-import-example.csv");
/// The enterprise the example names by id.
const BY_ID: &str = "0195e8a0-7c3a-7d41-9b2e-5f6a7b8c9d01";

/// A migrated database with a Guiyang bureau account `clerk`, a province account `prov`, and the
/// example's three refineries (the first one's id returned).
async fn setup(engine: Engine) -> (TestDb, Uuid) {
    let db = TestDb::new(engine).await;
    redmud(&db.url, &["migrate"]);
    redmud(
        &db.url,
        &[
            "user", "add", "clerk", "--role", "bureau", "--region", "520100",
        ],
    );
    redmud(&db.url, &["user", "add", "prov", "--role", "province"]);
    let by_id = Uuid::parse_str(BY_ID).expect("uuid");
    let first = Uuid::now_v7();
    register_refineries(
        &db.url,
        "clerk",
        &[
            (first, "91520181MA6DK2H31Y", "520181"),
            (Uuid::now_v7(), "91520123MA6E0LQ75Q", "520123"),
            (by_id, "91520181MA6K4WB19T", "520181"),
        ],
    )
    .await;
    (db, first)
}

/// A balanced ledger body of 1 t, all stored.
fn ledger(period: &str) -> Value {
    json!({
        "period": period,
        "figures": {
            "generated": 1000, "utilized_from_new": {}, "disposed_from_new": 0,
            "stored_new": 1000, "utilized_from_stock": {}, "disposed_from_stock": 0,
        },
    })
}

fn write_file(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("redmud-import-{}-{name}", Uuid::now_v7()));
    std::fs::write(&path, text).expect("write the CSV");
    path
}

fn import(db: &TestDb, file: &std::path::Path, extra: &[&str]) -> (bool, String) {
    let file = file.to_str().expect("utf-8 path");
    let mut args = vec!["import-ledger", file, "--as", "clerk"];
    args.extend_from_slice(extra);
    let out = redmud_output(&db.url, &args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    (
        out.status.success(),
        format!("{stdout}\n--- stderr\n{stderr}"),
    )
}

async fn head(db: &TestDb) -> u64 {
    let store = EventStore::connect(&db.url).await.expect("connect");
    let head = store.head().await.expect("head").position;
    store.close().await;
    head
}

async fn ledger_rows(store: &EventStore) -> Vec<Value> {
    store
        .list_views(&ViewQuery::new("ledger"))
        .await
        .expect("ledger rows")
        .rows
        .into_iter()
        .map(|row| row.row.doc)
        .collect()
}

async fn a_good_file_is_imported_once(engine: Engine) {
    let (db, first) = setup(engine).await;
    // The server keeps running during the import; it has the first refinery in its state cache.
    let key = std::env::temp_dir().join(format!("redmud-import-{}.key", Uuid::now_v7()));
    let server = Server::start(&db.url, &key);
    let http = reqwest::Client::new();
    let token = login(&http, &server.url, "clerk").await;
    let command = |path: &str, body: Value| {
        http.post(format!("{}/api/enterprises/{first}/{path}", server.url))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let amended = command(
        "amend",
        json!({ "name": "清镇氧化铝（更名）", "amended_on": "2025-02-01" }),
    )
    .await
    .expect("amend");
    assert_eq!(amended.status(), 200);

    let file = write_file("example.csv", EXAMPLE);
    let (ok, out) = import(
        &db,
        &file,
        &["--reason", "2025 ledgers from the bureau's sheets"],
    );
    assert!(ok, "{out}");
    // The server's cached state is stale (version 2; the import took it to 5): its next command
    // on that refinery is decided on the fresh state, after the imported months.
    let overlapping = command("record-ledger", ledger("2025-Q1"))
        .await
        .expect("record");
    assert_eq!(overlapping.status(), 422);
    let body: Value = overlapping.json().await.expect("problem");
    assert_eq!(body["rule"], "PeriodOverlapsRecorded", "{body:#}");
    let next = command("record-ledger", ledger("2025-04"))
        .await
        .expect("record");
    assert_eq!(next.status(), 200);
    let body: Value = next.json().await.expect("body");
    assert_eq!(body["version"], 6, "{body:#}");
    server.kill();
    let _ = std::fs::remove_file(&key);
    for line in [
        "rows: 5",
        "imported: 5",
        "already present: 0",
        "rejected: 0",
    ] {
        assert!(out.contains(line), "{line:?} missing: {out}");
    }
    let after_first = head(&db).await;

    let store = EventStore::connect(&db.url).await.expect("connect");
    let rows = ledger_rows(&store).await;
    assert_eq!(
        rows.len(),
        6,
        "the file's five and the server's one: {rows:#?}"
    );
    // Tonnes with three decimals and kilograms both arrive as exact kilograms.
    let march = rows
        .iter()
        .find(|row| row["period"] == "2025-03")
        .expect("2025-03");
    let figures = &march["entry"]["figures"];
    assert_eq!(figures["generated"], 150_000_000);
    assert_eq!(figures["stored_new"], 120_000_000);
    assert_eq!(figures["utilized_from_stock"]["road_base"], 500_000);
    let january = rows
        .iter()
        .find(|row| row["period"] == "2025-01")
        .expect("2025-01");
    assert_eq!(january["entry"]["figures"]["generated"], 170_250_500);
    assert_eq!(
        january["entry"]["figures"]["utilized_from_new"]["building_materials"],
        9_800_250
    );
    let year = rows
        .iter()
        .find(|row| row["period"] == "2025")
        .expect("2025");
    assert_eq!(year["enterprise_id"], BY_ID);
    // Each row is one event, stamped with the account, the reason and its own key.
    let events = store
        .read_all(1, &Filter::all(), 10_000)
        .await
        .expect("events");
    let recorded: Vec<_> = events
        .iter()
        .filter(|e| e.event_type == "LedgerRecorded")
        .collect();
    assert_eq!(recorded.len(), 6);
    for event in &recorded[..5] {
        assert_eq!(event.metadata.actor_id, "clerk");
        assert_eq!(event.metadata.actor_role, "bureau");
        assert_eq!(
            event.metadata.reason.as_deref(),
            Some("2025 ledgers from the bureau's sheets")
        );
        let key = event.metadata.idempotency_key.as_deref().expect("key");
        assert!(key.starts_with("import-ledger:"), "{key}");
    }
    store.close().await;

    // The same file again: every row is already there; nothing is written.
    let (ok, out) = import(&db, &file, &[]);
    assert!(ok, "{out}");
    for line in ["imported: 0", "already present: 5", "rejected: 0"] {
        assert!(out.contains(line), "{line:?} missing: {out}");
    }
    assert_eq!(head(&db).await, after_first);
    let _ = std::fs::remove_file(&file);
}

async fn bad_rows_are_reported_by_line_and_nothing_is_written(engine: Engine) {
    let (db, _) = setup(engine).await;
    // An enterprise of Zunyi, outside the clerk's region.
    let zunyi = Uuid::now_v7();
    register_refineries(&db.url, "prov", &[(zunyi, "91520326MA6GY3R08Q", "520326")]).await;
    let before = head(&db).await;
    let text = format!(
        "enterprise,period,generated,utilized_from_new.cement,disposed_from_new,stored_new,utilized_from_stock.cement\n\
         91520181MA6DK2H31Y,2025-01,1000,100,0,900,0\n\
         91520181MA6DK2H31Y,2025-02,1000,100,0,899,0\n\
         91520122MA6DN7X44A,2025-01,1000,100,0,900,0\n\
         91520181MA6DK2H31Y,2025-01,1000,100,0,900,0\n\
         91520181MA6DK2H31Y,2999-01,1000,100,0,900,0\n\
         91520123MA6E0LQ75Q,2025-01,1000.0001,100,0,900,0\n\
         {zunyi},2025-01,1000,100,0,900,0\n\
         91520123MA6E0LQ75Q,2025-Q1,10,0,0,10,0\n\
         91520123MA6E0LQ75Q,2025-02,1,0,0,1,0\n\
         {BY_ID},2025,10,0,0,10,11\n\
         {BY_ID},2024,1,0,0,1\n"
    );
    let file = write_file("bad.csv", &text);
    let (ok, out) = import(&db, &file, &[]);
    assert!(!ok, "exit status 0 with bad rows: {out}");
    for expected in [
        "line 3: Ledger.Unbalanced:",
        "line 4: unknown_enterprise:",
        "line 5: duplicate_row: ",
        "line 6: PeriodNotEnded:",
        "line 7: Syntax:",
        "line 8: outside_region:",
        // Decided on the state after line 9's quarter: the month overlaps it.
        "line 10: PeriodOverlapsRecorded:",
        "line 11: Ledger.StockWouldGoNegative:",
        "line 12: bad_field_count:",
        "rejected: 9",
        "nothing was written",
    ] {
        assert!(out.contains(expected), "{expected:?} missing: {out}");
    }
    for good in ["line 2:", "line 9:"] {
        assert!(!out.contains(good), "{good} is a good row: {out}");
    }
    assert_eq!(head(&db).await, before, "something was written: {out}");

    // A dry run of a good file validates and writes nothing; an unknown account is refused.
    let good = write_file("good.csv", EXAMPLE);
    let (ok, out) = import(&db, &good, &["--dry-run"]);
    assert!(ok, "{out}");
    for line in ["would import: 5", "dry run: nothing was written"] {
        assert!(out.contains(line), "{line:?} missing: {out}");
    }
    assert_eq!(head(&db).await, before);
    let good_path = good.to_str().expect("utf-8 path");
    let out = redmud_output(&db.url, &["import-ledger", good_path, "--as", "nobody"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nobody"));
    // Finance may not record ledgers: refused before any row.
    redmud(&db.url, &["user", "add", "money", "--role", "finance"]);
    let before = head(&db).await;
    let out = redmud_output(&db.url, &["import-ledger", good_path, "--as", "money"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("may not RecordLedger"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(head(&db).await, before);
    for path in [file, good] {
        let _ = std::fs::remove_file(path);
    }
}

#[test]
fn sqlite_a_good_file_is_imported_once() {
    runtime().block_on(a_good_file_is_imported_once(Engine::Sqlite))
}

#[test]
fn postgres_a_good_file_is_imported_once() {
    runtime().block_on(a_good_file_is_imported_once(Engine::Postgres))
}

#[test]
fn sqlite_bad_rows_are_reported_by_line_and_nothing_is_written() {
    runtime().block_on(bad_rows_are_reported_by_line_and_nothing_is_written(
        Engine::Sqlite,
    ))
}

#[test]
fn postgres_bad_rows_are_reported_by_line_and_nothing_is_written() {
    runtime().block_on(bad_rows_are_reported_by_line_and_nothing_is_written(
        Engine::Postgres,
    ))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}
