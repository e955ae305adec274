//! Crash safety: the `redmud serve` process is killed with SIGKILL while clients are sending
//! commands, then restarted on the same database. Every acknowledged command's events are there
//! (at the positions the server acknowledged), nothing unacknowledged is half-written, positions
//! are gap-free, the chain verifies and the read models equal a rebuild — on SQLite and PostgreSQL.
//!
//! The same for `redmud import-ledger` killed in the middle of a large file: every row it reported
//! written is there, each at most once and whole, and running the import again records exactly the
//! rows that are missing.

#[path = "../../store/tests/common/mod.rs"]
mod common;

mod support;

use common::{Engine, TestDb};
use redmud_store::{EventStore, Filter, StoredEvent};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::process::{Command, Stdio};
use support::{
    Server, ledger_csv, login, redmud, redmud_output, register_refineries, registration,
};
use tokio::sync::mpsc;

/// What the server acknowledged: the enterprise, its version and the positions of the events.
#[derive(Debug)]
struct Ack {
    id: String,
    version: u64,
    last_position: u64,
}

/// One client: registers enterprises and amends each once, until the server goes away.
async fn client(
    http: reqwest::Client,
    url: String,
    token: String,
    n: usize,
    acks: mpsc::UnboundedSender<Ack>,
) {
    for i in 0.. {
        let id = uuid::Uuid::now_v7().to_string();
        let register = registration(&id, &format!("崩溃测试企业{n}-{i}"));
        let amend =
            json!({ "name": format!("崩溃测试企业{n}-{i}（更名）"), "amended_on": "2025-02-01" });
        for (path, body) in [
            ("/api/enterprises".to_owned(), register),
            (format!("/api/enterprises/{id}/amend"), amend),
        ] {
            let Ok(response) = http
                .post(format!("{url}{path}"))
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
            else {
                return; // the server is gone
            };
            let status = response.status();
            let Ok(body) = response.json::<Value>().await else {
                return;
            };
            assert!(status.is_success(), "{path}: {status} {body:#}");
            let ack = Ack {
                id: id.clone(),
                version: body["version"].as_u64().expect("version"),
                last_position: body["valid_from"].as_u64().expect("position"),
            };
            if acks.send(ack).is_err() {
                return;
            }
        }
    }
}

async fn killed_mid_commands_loses_nothing_acknowledged(engine: Engine) {
    let db = TestDb::new(engine).await;
    let key = std::env::temp_dir().join(format!("redmud-crash-{}.key", uuid::Uuid::now_v7()));
    redmud(&db.url, &["migrate"]);
    redmud(
        &db.url,
        &[
            "user", "add", "clerk", "--role", "bureau", "--region", "520100",
        ],
    );

    let server = Server::start(&db.url, &key);
    let http = reqwest::Client::new();
    let token = login(&http, &server.url, "clerk").await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let clients: Vec<_> = (0..4)
        .map(|n| {
            tokio::spawn(client(
                http.clone(),
                server.url.clone(),
                token.clone(),
                n,
                tx.clone(),
            ))
        })
        .collect();
    drop(tx);
    // Kill it once 60 commands were acknowledged, with the four clients still sending.
    let mut acks = Vec::new();
    while acks.len() < 60 {
        acks.push(rx.recv().await.expect("acknowledgements"));
    }
    server.kill();
    while let Some(ack) = rx.recv().await {
        acks.push(ack); // answered before the kill, read after it
    }
    for client in clients {
        client.await.expect("client");
    }

    // Restart on the same database: it starts, and serves what was acknowledged.
    let server = Server::start(&db.url, &key);
    let token = login(&http, &server.url, "clerk").await;
    for ack in &acks {
        let body: Value = http
            .get(format!("{}/api/enterprises/{}", server.url, ack.id))
            .bearer_auth(&token)
            .send()
            .await
            .expect("detail")
            .json()
            .await
            .expect("detail body");
        assert!(
            body["version"].as_u64().expect("version") >= ack.version,
            "acknowledged {ack:?}, found {body:#}"
        );
    }
    server.kill();

    let store = EventStore::open(&db.url).await.expect("open");
    let events = check_log(&store).await;
    // Each acknowledged command's event sits where the server said, in the enterprise's stream.
    for ack in &acks {
        let event = &events[ack.last_position as usize - 1];
        assert_eq!(event.stream, format!("enterprise-{}", ack.id));
        assert_eq!(event.version, ack.version);
    }
    store.close().await;
    let _ = std::fs::remove_file(&key);
}

/// The invariants that hold after any crash, checked on the log left behind (returned): positions
/// gap-free from 1 to the head; nothing half-written — every enterprise stream whole (versions
/// 1..n, the first a registration); the chain verifies; the read models are exactly what a
/// rebuild from the log gives.
async fn check_log(store: &EventStore) -> Vec<StoredEvent> {
    let events = store
        .read_all_stored(1, None, &Filter::all(), 1_000_000)
        .await
        .expect("read the log");
    let head = store.head().await.expect("head");
    for (index, event) in events.iter().enumerate() {
        assert_eq!(event.position, index as u64 + 1, "gap in the log");
    }
    assert_eq!(events.len() as u64, head.position);
    let mut versions = std::collections::HashMap::new();
    for event in events
        .iter()
        .filter(|e| e.stream.as_str().starts_with("enterprise-"))
    {
        let seen = versions.entry(event.stream.clone()).or_insert(0);
        *seen += 1;
        assert_eq!(
            event.version, *seen,
            "stream {} skips a version",
            event.stream
        );
        if event.version == 1 {
            assert_eq!(event.event_type, "EnterpriseRegistered");
        }
    }
    let report = store.verify().await.expect("verify");
    assert!(report.is_intact(), "{report:?}");
    let before = store.all_views().await.expect("views");
    redmud_api::rebuild::rebuild(store).await.expect("rebuild");
    let after = store.all_views().await.expect("views");
    assert_eq!(
        before, after,
        "read models differ from a rebuild after the crash"
    );
    events
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_killed_mid_commands_loses_nothing_acknowledged() {
    killed_mid_commands_loses_nothing_acknowledged(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_killed_mid_commands_loses_nothing_acknowledged() {
    killed_mid_commands_loses_nothing_acknowledged(Engine::Postgres).await
}

/// What the killed import had reported as written before it died.
fn written_so_far(line: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix("import-ledger: ")?;
    let (done, rest) = rest.split_once(" of ")?;
    let (total, _) = rest.split_once(" rows written")?;
    Some((done.parse().ok()?, total.parse().ok()?))
}

/// The ledger rows of the log: (enterprise, period) → (generated kg, idempotency key), each
/// asserted to be there once.
fn ledger_events(events: &[StoredEvent]) -> HashMap<(uuid::Uuid, String), (u64, String)> {
    let mut found = HashMap::new();
    for event in events.iter().filter(|e| e.event_type == "LedgerRecorded") {
        let id = event
            .stream
            .strip_prefix("enterprise-")
            .and_then(|id| uuid::Uuid::parse_str(id).ok())
            .expect("an enterprise stream");
        let payload: Value = serde_json::from_str(&event.payload).expect("payload");
        let period = payload["period"].as_str().expect("period").to_owned();
        let generated = payload["figures"]["generated"].as_u64().expect("generated");
        let key = event
            .idempotency_key
            .clone()
            .expect("an import row has a key");
        let again = found.insert((id, period.clone()), (generated, key));
        assert!(again.is_none(), "{id} {period} recorded twice");
    }
    found
}

/// Every ledger event is a row of the file, with the file's figures and that row's key.
fn all_from_the_file(
    found: &HashMap<(uuid::Uuid, String), (u64, String)>,
    rows: &[(uuid::Uuid, String, u64, usize)],
    sha256: &str,
) {
    let by_row: HashMap<(uuid::Uuid, String), (u64, usize)> = rows
        .iter()
        .map(|(id, period, generated, line)| ((*id, period.clone()), (*generated, *line)))
        .collect();
    for (row, (generated, key)) in found {
        let (expected, line) = by_row.get(row).expect("a row of the file");
        assert_eq!(generated, expected, "{row:?}");
        assert_eq!(key, &format!("import-ledger:{sha256}:{line}"));
    }
}

async fn killed_mid_import_loses_nothing_acknowledged(engine: Engine) {
    use std::io::BufRead;
    let db = TestDb::new(engine).await;
    redmud(&db.url, &["migrate"]);
    redmud(
        &db.url,
        &[
            "user", "add", "clerk", "--role", "bureau", "--region", "520100",
        ],
    );
    let ids: Vec<uuid::Uuid> = (0..40).map(|_| uuid::Uuid::now_v7()).collect();
    let registrations: Vec<_> = ids
        .iter()
        .map(|id| (*id, "914403001922038216", "520181"))
        .collect();
    register_refineries(&db.url, "clerk", &registrations).await;
    let (text, rows) = ledger_csv(&ids, 50);
    let sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(text.as_bytes()))
    };
    let file = std::env::temp_dir().join(format!("redmud-crash-{}.csv", uuid::Uuid::now_v7()));
    std::fs::write(&file, &text).expect("write the CSV");
    let file_arg = file.to_str().expect("utf-8 path");

    // Start the import; kill it once it has reported 300 rows written.
    let mut child = Command::new(env!("CARGO_BIN_EXE_redmud"))
        .args(["import-ledger", file_arg, "--as", "clerk"])
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start redmud import-ledger");
    let mut progress = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let mut acknowledged = 0;
    let mut line = String::new();
    while acknowledged < 300 {
        line.clear();
        let read = progress.read_line(&mut line).expect("read progress");
        assert!(read > 0, "the import ended before it was killed");
        if let Some((done, total)) = written_so_far(line.trim()) {
            assert_eq!(total, rows.len());
            acknowledged = done;
        }
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    let store = EventStore::open(&db.url).await.expect("open");
    let events = check_log(&store).await;
    let found = ledger_events(&events);
    assert!(
        found.len() >= acknowledged,
        "{acknowledged} rows reported written, {} in the log",
        found.len()
    );
    assert!(
        found.len() < rows.len(),
        "the import finished before the kill: nothing was tested"
    );
    all_from_the_file(&found, &rows, &sha256);
    let present = found.len();
    store.close().await;

    // Run it again to the end: it records exactly the rows that are missing.
    let out = redmud_output(&db.url, &["import-ledger", file_arg, "--as", "clerk"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("imported: {}\n", rows.len() - present)),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("already present: {present}\n")),
        "{stdout}"
    );
    let store = EventStore::open(&db.url).await.expect("open");
    let events = check_log(&store).await;
    let found = ledger_events(&events);
    assert_eq!(found.len(), rows.len(), "every row exactly once");
    all_from_the_file(&found, &rows, &sha256);
    let ledger_rows = store
        .list_views(&redmud_store::ViewQuery::new("ledger"))
        .await
        .expect("ledger rows")
        .total;
    assert_eq!(ledger_rows, rows.len() as u64);
    store.close().await;
    let _ = std::fs::remove_file(&file);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_killed_mid_import_loses_nothing_acknowledged() {
    killed_mid_import_loses_nothing_acknowledged(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_killed_mid_import_loses_nothing_acknowledged() {
    killed_mid_import_loses_nothing_acknowledged(Engine::Postgres).await
}
