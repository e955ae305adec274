//! Hostile strings: text that looks like SQL is data. It is stored and returned byte for byte, found
//! by search as text, and changes nothing else; as an id, filter or search it is refused or matches
//! nothing, never runs. (Malformed JSON, invalid UTF-8, deep nesting, oversized bodies, huge pages and
//! negative or overflowing quantities are in `errors.rs`; generated input in `fuzz.rs`.)

use crate::common::Engine;
use crate::harness::{TestApp, enterprise, urlencode};

const INJECTIONS: &[&str] = &[
    "Robert'); DROP TABLE events;--",
    "' OR '1'='1",
    "\"; DELETE FROM read_models WHERE ''='",
    "1; UPDATE head SET position = 0 --",
    "%' UNION SELECT password_hash FROM credentials --",
    "赤泥' || (SELECT hash FROM events LIMIT 1) || '",
];

async fn sql_looking_text_is_stored_and_returned_verbatim(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let mut ids = Vec::new();
    for name in INJECTIONS {
        let created = guiyang
            .post("/api/enterprises", enterprise(name, "520181"))
            .await
            .expect(201);
        assert_eq!(created.body["state"]["name"], *name);
        ids.push(created.id());
    }
    for (id, name) in ids.iter().zip(INJECTIONS) {
        let read = guiyang
            .get(&format!("/api/enterprises/{id}"))
            .await
            .expect(200);
        assert_eq!(read.body["state"]["name"], *name, "stored verbatim");
        let history = guiyang
            .get(&format!("/api/enterprises/{id}/history"))
            .await
            .expect(200);
        assert_eq!(
            history.body["events"][0]["payload"]["name"], *name,
            "recorded verbatim"
        );
    }
    // As search text each finds itself (and nothing is executed).
    for name in INJECTIONS {
        let found = guiyang
            .get(&format!("/api/enterprises?q={}", urlencode(name)))
            .await
            .expect(200);
        let names: Vec<&str> = found.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|item| item["state"]["name"].as_str())
            .collect();
        assert!(names.contains(name), "searching {name:?} found {names:?}");
    }
    // As filters they match nothing; as ids they are not ids.
    for text in INJECTIONS {
        for filter in ["kind", "status", "tag", "region"] {
            let reply = guiyang
                .get(&format!("/api/enterprises?{filter}={}", urlencode(text)))
                .await;
            match reply.status.as_u16() {
                200 => assert_eq!(reply.body["total"], 0, "{filter}={text:?}"),
                400 => assert_eq!(reply.problem(), "bad_query"),
                other => panic!("{filter}={text:?}: {other} {:#}", reply.body),
            }
        }
        let reply = guiyang
            .get(&format!("/api/enterprises/{}", urlencode(text)))
            .await;
        assert!(
            [400, 404].contains(&reply.status.as_u16()),
            "{text:?} as an id: {}",
            reply.status
        );
    }
    // Everything is where it was: all enterprises listed, the chain intact.
    let all = guiyang.get("/api/enterprises?limit=100").await.expect(200);
    assert_eq!(all.body["total"], INJECTIONS.len());
    let store = &app.server.state.store;
    assert!(store.verify().await.expect("verify").is_intact());
    app.stop().await;
}

crate::on_both!(sql_looking_text_is_stored_and_returned_verbatim);
