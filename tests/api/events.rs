//! The log over HTTP: pages of events and the SSE feed (catch-up, then live).

use futures_util::StreamExt;
use serde_json::Value;

use crate::common::Engine;
use crate::harness::{TestApp, enterprise};

async fn events_are_listed_and_filtered(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let province = app.login("province").await;
    guiyang
        .post("/api/enterprises", enterprise("企业甲", "520100"))
        .await
        .expect(201);
    province
        .post("/api/enterprises", enterprise("企业乙", "520300"))
        .await
        .expect(201);
    let all = guiyang
        .get("/api/events?category=enterprise")
        .await
        .expect(200);
    assert_eq!(all.body["events"].as_array().map(Vec::len), Some(2));
    let mine = guiyang
        .get("/api/events?category=enterprise&actor=guiyang")
        .await
        .expect(200);
    assert_eq!(mine.body["events"].as_array().map(Vec::len), Some(1));
    let page = guiyang.get("/api/events?limit=1").await.expect(200);
    assert_eq!(page.body["events"].as_array().map(Vec::len), Some(1));
    let next = page.body["next_from"].as_u64().expect("next page");
    let rest = guiyang
        .get(&format!(
            "/api/events?from={next}&type=EnterpriseRegistered"
        ))
        .await
        .expect(200);
    assert!(
        rest.body["events"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    );
    app.stop().await;
}

/// Reads SSE messages (`data:` lines parsed as JSON) from a response body stream.
struct Sse {
    stream: futures_util::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buffer: String,
}

impl Sse {
    async fn next(&mut self) -> Value {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let message: String = self.buffer.drain(..end + 2).collect();
                if let Some(data) = message.lines().find_map(|l| l.strip_prefix("data: ")) {
                    return serde_json::from_str(data).expect("JSON data");
                }
                continue;
            }
            let chunk = self
                .stream
                .next()
                .await
                .expect("stream open")
                .expect("chunk");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

async fn the_sse_feed_catches_up_then_follows_live(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    for n in 0..3 {
        guiyang
            .post(
                "/api/enterprises",
                enterprise(&format!("企业{n}"), "520100"),
            )
            .await
            .expect(201);
    }
    let response = app
        .http
        .get(format!(
            "{}/api/events/stream?from=1&category=enterprise",
            app.url
        ))
        .bearer_auth(guiyang.token.clone().expect("token"))
        .send()
        .await
        .expect("stream");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream")
    );
    let mut sse = Sse {
        stream: response.bytes_stream().boxed(),
        buffer: String::new(),
    };
    let mut positions = Vec::new();
    for _ in 0..3 {
        let event = sse.next().await;
        assert_eq!(event["event_type"], "EnterpriseRegistered");
        positions.push(event["position"].as_u64().expect("position"));
    }
    // Live: appended after the subscriber caught up.
    guiyang
        .post("/api/enterprises", enterprise("企业3", "520100"))
        .await
        .expect(201);
    let live = sse.next().await;
    assert_eq!(live["payload"]["name"], "企业3");
    positions.push(live["position"].as_u64().expect("position"));
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "in order, no duplicates: {positions:?}"
    );
    // Without a token: 401.
    let response = app
        .http
        .get(format!("{}/api/events/stream", app.url))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 401);
    drop(sse);
    app.stop().await;
}

crate::on_both!(
    events_are_listed_and_filtered,
    the_sse_feed_catches_up_then_follows_live
);
