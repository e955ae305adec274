//! Several nodes: two `redmud serve` processes on one PostgreSQL database, 16 concurrent clients
//! (8 on each node) amending shared enterprises and registering and amending their own. Every
//! acknowledged command's event is in the log exactly once at the acknowledged position, the log
//! is gap-free and its chain one (no fork), conflicts are answered 409/412 (never 5xx), and both
//! nodes answer the same read models, equal to a rebuild.

#[path = "../../store/tests/common/mod.rs"]
mod common;
mod support;

use std::collections::HashSet;

use common::{Engine, TestDb};
use redmud_store::{EventStore, Filter};
use serde_json::{Value, json};
use support::{Server, login, redmud, registration};

const SHARED: usize = 4;
const CLIENTS: usize = 16;
const COMMANDS_PER_CLIENT: usize = 24;

/// A command the server acknowledged: (enterprise, version, position).
type Ack = (String, u64, u64);

#[derive(Debug, Default)]
struct Tally {
    acks: Vec<Ack>,
    conflicts: usize,
}

async fn post(http: &reqwest::Client, token: &str, url: &str, body: &Value) -> (u16, Value) {
    let response = http
        .post(url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("the node answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// One client on one node: alternately amends a shared enterprise (every other time with the
/// `If-Match` it last saw) and its own.
async fn client(
    http: reqwest::Client,
    node: String,
    token: String,
    n: usize,
    shared: Vec<String>,
) -> Tally {
    let mut tally = Tally::default();
    let own = uuid::Uuid::now_v7().to_string();
    let (status, body) = post(
        &http,
        &token,
        &format!("{node}/api/enterprises"),
        &registration(&own, &format!("节点客户{n}")),
    )
    .await;
    assert_eq!(status, 201, "{body:#}");
    tally.acks.push((
        own.clone(),
        1,
        body["valid_from"].as_u64().expect("position"),
    ));
    for i in 0..COMMANDS_PER_CLIENT {
        let target = if i % 2 == 0 {
            shared[(n + i) % SHARED].clone()
        } else {
            own.clone()
        };
        let url = format!("{node}/api/enterprises/{target}/amend");
        let amend = json!({ "name": format!("节点客户{n}改名{i}"), "amended_on": "2025-03-01" });
        let mut request = http.post(&url).bearer_auth(&token).json(&amend);
        if i % 4 == 0 {
            // A stale-able edit: the version this client read a moment ago.
            let current: Value = http
                .get(format!("{node}/api/enterprises/{target}"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("read")
                .json()
                .await
                .expect("read body");
            let version = current["version"].as_u64().expect("version");
            request = request.header("if-match", format!("\"{version}\""));
        }
        let response = request.send().await.expect("the node answers");
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        match status {
            200 => tally.acks.push((
                target,
                body["version"].as_u64().expect("version"),
                body["valid_from"].as_u64().expect("position"),
            )),
            // Stale: the server's version is past the one this client saw (a 412 naming an
            // older version would mean a node judged it on a stale cache).
            412 => {
                let values = &body["values"];
                assert!(
                    values["actual"].as_u64() > values["expected"].as_u64(),
                    "412 on a stale cache: {body:#}"
                );
                tally.conflicts += 1;
            }
            409 => tally.conflicts += 1,
            other => panic!("{url}: unexpected {other} {body:#}"),
        }
    }
    tally
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_on_one_postgres_lose_no_update_and_fork_no_chain() {
    let db = TestDb::new(Engine::Postgres).await;
    let key = std::env::temp_dir().join(format!("redmud-nodes-{}.key", uuid::Uuid::now_v7()));
    redmud(&db.url, &["migrate"]);
    redmud(
        &db.url,
        &[
            "user", "add", "clerk", "--role", "bureau", "--region", "520100",
        ],
    );
    let nodes = [Server::start(&db.url, &key), Server::start(&db.url, &key)];
    let http = reqwest::Client::new();
    let tokens = [
        login(&http, &nodes[0].url, "clerk").await,
        login(&http, &nodes[1].url, "clerk").await,
    ];

    let mut acks: Vec<Ack> = Vec::new();
    let mut shared = Vec::new();
    for n in 0..SHARED {
        let id = uuid::Uuid::now_v7().to_string();
        let (status, body) = post(
            &http,
            &tokens[n % 2],
            &format!("{}/api/enterprises", nodes[n % 2].url),
            &registration(&id, &format!("共享企业{n}")),
        )
        .await;
        assert_eq!(status, 201, "{body:#}");
        acks.push((
            id.clone(),
            1,
            body["valid_from"].as_u64().expect("position"),
        ));
        shared.push(id);
    }
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let node = n % 2;
            tokio::spawn(client(
                http.clone(),
                nodes[node].url.clone(),
                tokens[node].clone(),
                n,
                shared.clone(),
            ))
        })
        .collect();
    let mut conflicts = 0;
    for client in clients {
        let tally = client.await.expect("client");
        acks.extend(tally.acks);
        conflicts += tally.conflicts;
    }

    eprintln!(
        "{} commands acknowledged, {conflicts} answered as conflicts",
        acks.len()
    );
    let store = EventStore::open(&db.url).await.expect("open");
    let events = store
        .read_all_stored(1, None, &Filter::all(), 1_000_000)
        .await
        .expect("the log");
    // Gap-free, one chain.
    for (index, event) in events.iter().enumerate() {
        assert_eq!(event.position, index as u64 + 1, "gap in the log");
    }
    let report = store.verify().await.expect("verify");
    assert!(report.is_intact(), "{report:?}");
    // Every acknowledged command exactly once, where it was acknowledged.
    let positions: HashSet<u64> = acks.iter().map(|(_, _, p)| *p).collect();
    assert_eq!(
        positions.len(),
        acks.len(),
        "two acknowledgements share a position"
    );
    for (id, version, position) in &acks {
        let event = &events[*position as usize - 1];
        assert_eq!(event.stream, format!("enterprise-{id}"));
        assert_eq!(event.version, *version);
    }
    // Nothing but the acknowledged commands (and the account's creation) was written.
    let enterprise_events = events
        .iter()
        .filter(|e| e.stream.starts_with("enterprise-"))
        .count();
    assert_eq!(
        enterprise_events,
        acks.len(),
        "an unacknowledged command was recorded"
    );
    assert!(
        acks.len() + conflicts == SHARED + CLIENTS * (COMMANDS_PER_CLIENT + 1),
        "every command was answered"
    );

    // Both nodes answer the same, and the read models equal a rebuild.
    for id in &shared {
        let mut answers = Vec::new();
        for (node, token) in nodes.iter().zip(&tokens) {
            let body: Value = http
                .get(format!("{}/api/enterprises/{id}", node.url))
                .bearer_auth(token)
                .send()
                .await
                .expect("read")
                .json()
                .await
                .expect("read body");
            answers.push(body);
        }
        assert_eq!(answers[0], answers[1], "the nodes disagree on {id}");
    }
    let before = store.all_views().await.expect("views");
    redmud_api::rebuild::rebuild(&store).await.expect("rebuild");
    assert_eq!(before, store.all_views().await.expect("views"));
    store.close().await;
    drop(nodes);
    let _ = std::fs::remove_file(&key);
}
