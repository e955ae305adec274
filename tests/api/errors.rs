//! Every error class is problem+json with a stable code; nothing is written by a refused request.

use reqwest::Method;
use serde_json::json;

use crate::common::Engine;
use crate::harness::{TestApp, enterprise};

async fn every_error_class_is_a_problem_with_a_code(engine: Engine) {
    let app = TestApp::spawn_with(engine, |config| config.max_body_bytes = 64 * 1024).await;
    let guiyang = app.login("guiyang").await;
    let id = guiyang
        .post("/api/enterprises", enterprise("企业甲", "520100"))
        .await
        .expect(201)
        .id();
    let ledger = format!("/api/enterprises/{id}/record-ledger");

    // 400: malformed JSON, invalid UTF-8, nesting too deep, bad query, bad If-Match.
    assert_eq!(
        guiyang
            .post_raw("/api/enterprises", b"{\"name\": ".to_vec())
            .await
            .expect(400)
            .problem(),
        "malformed_json"
    );
    assert_eq!(
        guiyang
            .post_raw("/api/enterprises", b"{\"name\": \"\xff\xfe\"}".to_vec())
            .await
            .expect(400)
            .problem(),
        "malformed_json"
    );
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(
        guiyang
            .post_raw("/api/enterprises", deep.into_bytes())
            .await
            .expect(400)
            .problem(),
        "malformed_json"
    );
    assert_eq!(
        guiyang
            .get("/api/enterprises?limit=100000")
            .await
            .expect(400)
            .problem(),
        "bad_query"
    );
    assert_eq!(
        guiyang
            .get("/api/enterprises?limit=-1")
            .await
            .expect(400)
            .problem(),
        "bad_query"
    );
    assert_eq!(
        guiyang
            .get("/api/enterprises?colour=red")
            .await
            .expect(400)
            .problem(),
        "bad_query"
    );
    assert_eq!(
        guiyang
            .get("/api/enterprises?as_of=yesterday")
            .await
            .expect(400)
            .problem(),
        "bad_as_of"
    );
    assert_eq!(
        guiyang
            .post_with(
                &format!("/api/enterprises/{id}/amend"),
                json!({"name": "x", "amended_on": "2025-02-01"}),
                &[("if-match", "abc")]
            )
            .await
            .expect(400)
            .problem(),
        "bad_if_match"
    );

    // 422: unknown field, wrong type, bad USCC, bad region, negative quantity, a rule.
    let mut unknown = enterprise("企业乙", "520100");
    unknown["colour"] = json!("red");
    let reply = guiyang.post("/api/enterprises", unknown).await.expect(422);
    assert_eq!(reply.problem(), "unknown_field");
    assert!(
        reply.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("colour"))
    );
    let mut wrong_type = enterprise("企业乙", "520100");
    wrong_type["kinds"] = json!("alumina_refinery");
    assert_eq!(
        guiyang
            .post("/api/enterprises", wrong_type)
            .await
            .expect(422)
            .problem(),
        "invalid_body"
    );
    let mut bad_uscc = enterprise("企业乙", "520100");
    bad_uscc["uscc"] = json!("914403001922038217");
    assert_eq!(
        guiyang
            .post("/api/enterprises", bad_uscc)
            .await
            .expect(422)
            .problem(),
        "invalid_body"
    );
    let mut bad_region = enterprise("企业乙", "520100");
    bad_region["region"] = json!("999999");
    assert_eq!(
        guiyang
            .post("/api/enterprises", bad_region)
            .await
            .expect(422)
            .problem(),
        "invalid_body"
    );
    let figures = |generated: &str| {
        format!(
            "{{\"period\": \"2025-Q1\", \"figures\": {{\"generated\": {generated}, \"utilized_from_new\": {{}}, \"disposed_from_new\": 0, \"stored_new\": 0, \"utilized_from_stock\": {{}}, \"disposed_from_stock\": 0}}}}"
        )
        .into_bytes()
    };
    for bad in ["-5", "18446744073709551616", "1.5", "\"1000\""] {
        let reply = guiyang.post_raw(&ledger, figures(bad)).await.expect(422);
        assert_eq!(reply.problem(), "invalid_body", "generated = {bad}");
    }
    // A domain rule: a ledger that does not balance names the rule and the values.
    let unbalanced = json!({ "period": "2025-Q1", "figures": { "generated": 1000, "utilized_from_new": {}, "disposed_from_new": 0, "stored_new": 10, "utilized_from_stock": {}, "disposed_from_stock": 0 } });
    let reply = guiyang.post(&ledger, unbalanced).await.expect(422);
    assert_eq!(reply.problem(), "rule_violated");
    assert_eq!(reply.body["aggregate"], "enterprise");
    assert!(reply.body["rule"].is_string(), "{:#}", reply.body);
    // A reason is required for corrections, cancellations, revocations…
    let reply = guiyang
        .post(
            &format!("/api/enterprises/{id}/deregister"),
            json!({ "deregistered_on": "2025-06-01", "reason": "  " }),
        )
        .await
        .expect(422);
    assert_eq!(reply.problem(), "rule_violated");
    assert_eq!(reply.body["rule"], "BlankReason");

    // 401, 404, 413.
    assert_eq!(
        app.anonymous()
            .get("/api/enterprises")
            .await
            .expect(401)
            .problem(),
        "missing_token"
    );
    let mut forged = guiyang.clone();
    forged.token = Some("rm_forged".to_owned());
    assert_eq!(
        forged.get("/api/enterprises").await.expect(401).problem(),
        "invalid_token"
    );
    assert_eq!(
        guiyang
            .get("/api/enterprises/00000000-0000-7000-8000-000000000000")
            .await
            .expect(404)
            .problem(),
        "not_found"
    );
    assert_eq!(
        guiyang
            .get("/api/enterprises/not-a-uuid")
            .await
            .expect(404)
            .problem(),
        "not_found"
    );
    assert_eq!(
        guiyang
            .post(&format!("/api/enterprises/{id}/no-such-command"), json!({}))
            .await
            .expect(404)
            .problem(),
        "not_found"
    );
    assert_eq!(
        guiyang
            .get("/api/no/such/route")
            .await
            .expect(404)
            .problem(),
        "not_found"
    );
    let mut huge = enterprise("企业乙", "520100");
    huge["name"] = json!("名".repeat(100_000));
    assert_eq!(
        guiyang
            .post("/api/enterprises", huge)
            .await
            .expect(413)
            .problem(),
        "payload_too_large"
    );

    // SQL-looking text is stored and returned verbatim.
    let sql = "Robert'); DROP TABLE events;-- 企业";
    let created = guiyang
        .post("/api/enterprises", enterprise(sql, "520100"))
        .await
        .expect(201);
    let read = guiyang
        .get(&format!("/api/enterprises/{}", created.id()))
        .await
        .expect(200);
    assert_eq!(read.body["state"]["name"], sql);
    let found = guiyang
        .get("/api/enterprises?q=drop%20table")
        .await
        .expect(200);
    assert_eq!(found.body["total"], 1);

    // Nothing refused above was recorded: one registration, one more.
    let events = guiyang
        .send(Method::GET, "/api/events?category=enterprise", None, &[])
        .await
        .expect(200);
    assert_eq!(events.body["events"].as_array().map(Vec::len), Some(2));
    app.stop().await;
}

crate::on_both!(every_error_class_is_a_problem_with_a_code);
