//! Crash safety: the `redmud serve` process is killed with SIGKILL while clients are sending
//! commands, then restarted on the same database. Every acknowledged command's events are there
//! (at the positions the server acknowledged), nothing unacknowledged is half-written, positions
//! are gap-free, the chain verifies and the read models equal a rebuild — on SQLite and PostgreSQL.

#[path = "../../store/tests/common/mod.rs"]
mod common;

mod support;

use common::{Engine, TestDb};
use redmud_store::{EventStore, Filter};
use serde_json::{Value, json};
use support::{Server, login, redmud, registration};
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
    let events = store
        .read_all_stored(1, None, &Filter::all(), 1_000_000)
        .await
        .expect("read the log");
    let head = store.head().await.expect("head");
    // Gap-free from 1 to the head.
    for (index, event) in events.iter().enumerate() {
        assert_eq!(event.position, index as u64 + 1, "gap in the log");
    }
    assert_eq!(events.len() as u64, head.position);
    // Each acknowledged command's event sits where the server said, in the enterprise's stream.
    for ack in &acks {
        let event = &events[ack.last_position as usize - 1];
        assert_eq!(event.stream, format!("enterprise-{}", ack.id));
        assert_eq!(event.version, ack.version);
    }
    // Nothing half-written: every enterprise stream is whole (versions 1..n, the first a
    // registration), and the read models are exactly what a rebuild from the log gives.
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
    redmud_api::rebuild::rebuild(&store).await.expect("rebuild");
    let after = store.all_views().await.expect("views");
    assert_eq!(
        before, after,
        "read models differ from a rebuild after the crash"
    );
    store.close().await;
    let _ = std::fs::remove_file(&key);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_killed_mid_commands_loses_nothing_acknowledged() {
    killed_mid_commands_loses_nothing_acknowledged(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_killed_mid_commands_loses_nothing_acknowledged() {
    killed_mid_commands_loses_nothing_acknowledged(Engine::Postgres).await
}
