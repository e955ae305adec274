//! As-of reads answer exactly what the API answered then; history carries who/when/why.

use serde_json::json;

use crate::common::Engine;
use crate::harness::{TestApp, enterprise, urlencode};

async fn details_lists_and_history_answer_as_of_any_moment(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let created = guiyang
        .post("/api/enterprises", enterprise("企业甲", "520181"))
        .await
        .expect(201);
    let id = created.id();
    let p1 = created.body["valid_from"].as_u64().expect("position");
    let detail_then = guiyang
        .get(&format!("/api/enterprises/{id}"))
        .await
        .expect(200)
        .body;
    let list_then = guiyang
        .get("/api/enterprises?region=520100")
        .await
        .expect(200)
        .body;
    let moment = chrono::Utc::now().to_rfc3339();

    // Later: renamed, a second enterprise, a ledger recorded.
    guiyang
        .post(
            &format!("/api/enterprises/{id}/amend"),
            json!({ "name": "企业乙", "amended_on": "2025-03-01" }),
        )
        .await
        .expect(200);
    guiyang
        .post("/api/enterprises", enterprise("企业丙", "520100"))
        .await
        .expect(201);

    // As of p1 (a position) and as of the moment (a time): exactly the earlier answers.
    let detail = guiyang
        .get(&format!("/api/enterprises/{id}?as_of={p1}"))
        .await
        .expect(200);
    assert_eq!(detail.body, detail_then);
    assert_eq!(detail.etag(), "\"1\"");
    let by_time = guiyang
        .get(&format!(
            "/api/enterprises/{id}?as_of={}",
            urlencode(&moment)
        ))
        .await
        .expect(200);
    assert_eq!(by_time.body, detail_then);
    let mut list = guiyang
        .get(&format!("/api/enterprises?region=520100&as_of={p1}"))
        .await
        .expect(200)
        .body;
    list.as_object_mut()
        .expect("object")
        .remove("as_of_position");
    assert_eq!(list, list_then);
    // Now: the new name and two enterprises.
    let now = guiyang
        .get(&format!("/api/enterprises/{id}"))
        .await
        .expect(200);
    assert_eq!(now.body["state"]["name"], "企业乙");
    assert_eq!(now.etag(), "\"2\"");
    assert_eq!(
        guiyang
            .get("/api/enterprises?region=520100")
            .await
            .expect(200)
            .body["total"],
        2
    );
    // Before anything existed: not found.
    guiyang
        .get(&format!("/api/enterprises/{id}?as_of=0"))
        .await
        .expect(404);

    // History: every event with its metadata; as of p1 only the first.
    let history = guiyang
        .get(&format!("/api/enterprises/{id}/history"))
        .await
        .expect(200);
    let events = history.body["events"].as_array().expect("events");
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["event_type"], "EnterpriseRegistered");
    assert_eq!(events[0]["metadata"]["actor_id"], "guiyang");
    assert_eq!(events[0]["metadata"]["actor_role"], "bureau");
    assert_eq!(
        events[0]["metadata"]["organisation"],
        "贵阳市工业和信息化局"
    );
    assert!(events[1]["recorded_at"].is_string());
    let history = guiyang
        .get(&format!("/api/enterprises/{id}/history?as_of={p1}"))
        .await
        .expect(200);
    assert_eq!(history.body["events"].as_array().map(Vec::len), Some(1));
    app.stop().await;
}

async fn reasons_and_effective_periods_reach_the_history(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let id = guiyang
        .post("/api/enterprises", enterprise("企业甲", "520100"))
        .await
        .expect(201)
        .id();
    let figures = json!({ "generated": 1_000_000, "utilized_from_new": { "cement": 150_000 }, "disposed_from_new": 0, "stored_new": 850_000, "utilized_from_stock": {}, "disposed_from_stock": 0 });
    guiyang
        .post(
            &format!("/api/enterprises/{id}/record-ledger"),
            json!({ "period": "2025-Q1", "figures": figures }),
        )
        .await
        .expect(200);
    let corrected = json!({ "generated": 1_000_000, "utilized_from_new": { "cement": 200_000 }, "disposed_from_new": 0, "stored_new": 800_000, "utilized_from_stock": {}, "disposed_from_stock": 0 });
    let reply = guiyang
        .post(
            &format!("/api/enterprises/{id}/correct-ledger"),
            json!({ "period": "2025-Q1", "figures": corrected, "reason": "水泥厂补报磅单" }),
        )
        .await
        .expect(200);
    assert_eq!(reply.etag(), "\"3\"");
    let history = guiyang
        .get(&format!("/api/enterprises/{id}/history"))
        .await
        .expect(200);
    let events = history.body["events"].as_array().expect("events");
    assert_eq!(events[1]["effective"], "2025-Q1");
    assert_eq!(events[2]["effective"], "2025-Q1");
    assert_eq!(events[2]["metadata"]["reason"], "水泥厂补报磅单");
    app.stop().await;
}

crate::on_both!(
    details_lists_and_history_answer_as_of_any_moment,
    reasons_and_effective_periods_reach_the_history,
);
