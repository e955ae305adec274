//! Commands over HTTP: who may do what (role and region), ETag / If-Match, Idempotency-Key.

use serde_json::json;

use crate::common::Engine;
use crate::harness::{TestApp, enterprise};

fn project(region: &str, lead: &str) -> serde_json::Value {
    json!({
        "proposal": {
            "name": "赤泥制备路基材料示范线",
            "kind": "industrialization_demonstration",
            "task": "utilization_scale",
            "lead_enterprise_id": lead,
            "region": region,
            "routes": ["road_base"],
            "planned_capacity_per_year": 200_000_000u64,
            "budget": 12_000_000_000u64,
            "responsible_units": ["省工业和信息化厅"],
            "planned_start": "2025-03-01",
            "planned_end": "2026-12-31",
            "matching_capacity": null
        },
        "proposed_on": "2025-02-01"
    })
}

async fn each_role_may_do_its_jobs_and_nothing_else(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let zunyi = app.login("zunyi").await;
    let province = app.login("province").await;
    let finance = app.login("finance").await;
    let auditor = app.login("auditor").await;
    let admin = app.login("admin").await;

    // A bureau registers in its own region (a county within its prefecture too), not elsewhere.
    let created = guiyang
        .post("/api/enterprises", enterprise("清镇某氧化铝公司", "520181"))
        .await
        .expect(201);
    let id = created.id();
    assert_eq!(
        created
            .headers
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some(format!("/api/enterprises/{id}").as_str())
    );
    let refused = guiyang
        .post("/api/enterprises", enterprise("遵义企业", "520300"))
        .await
        .expect(403);
    assert_eq!(refused.problem(), "outside_region");
    let refused = zunyi
        .post(
            &format!("/api/enterprises/{id}/amend"),
            json!({ "name": "改名", "amended_on": "2025-02-01" }),
        )
        .await
        .expect(403);
    assert_eq!(refused.problem(), "outside_region");
    // Nor may a bureau move its enterprise to another region.
    let refused = guiyang
        .post(
            &format!("/api/enterprises/{id}/amend"),
            json!({ "region": "520300", "amended_on": "2025-02-01" }),
        )
        .await
        .expect(403);
    assert_eq!(refused.problem(), "outside_region");

    // Finance, auditor and admin do not register enterprises.
    for client in [&finance, &auditor, &admin] {
        let refused = client
            .post("/api/enterprises", enterprise("X", "520181"))
            .await
            .expect(403);
        assert_eq!(refused.problem(), "role_not_allowed");
    }
    // Designations are the province's.
    let grant = json!({ "designation": "zero_waste_enterprise", "granted_on": "2025-06-01", "document": "黔工信〔2025〕1号", "valid_until": null });
    guiyang
        .post(
            &format!("/api/enterprises/{id}/grant-designation"),
            grant.clone(),
        )
        .await
        .expect(403);
    province
        .post(&format!("/api/enterprises/{id}/grant-designation"), grant)
        .await
        .expect(200);

    // Projects: bureau proposes, province approves, finance funds; not the other way round.
    let proposed = guiyang
        .post("/api/projects", project("520181", &id))
        .await
        .expect(201);
    let pid = proposed.id();
    let approve = json!({ "approved_on": "2025-02-20", "document": "黔发改环资〔2025〕7号" });
    guiyang
        .post(
            &format!("/api/projects/{pid}/approve-project"),
            approve.clone(),
        )
        .await
        .expect(403);
    finance
        .post(
            &format!("/api/projects/{pid}/approve-project"),
            approve.clone(),
        )
        .await
        .expect(403);
    province
        .post(&format!("/api/projects/{pid}/approve-project"), approve)
        .await
        .expect(200);
    let award = json!({
        "source": "central_budget_investment", "programme": "资源节约和环境保护", "amount": 2_400_000_000u64,
        "tranches": [
            { "condition": { "on": "approval" }, "amount": 720_000_000u64 },
            { "condition": { "on": "accepted" }, "amount": 1_680_000_000u64 }
        ],
        "awarded_on": "2025-03-01"
    });
    let refused = province
        .post(&format!("/api/projects/{pid}/award-funding"), award.clone())
        .await
        .expect(403);
    assert_eq!(refused.problem(), "role_not_allowed");
    finance
        .post(&format!("/api/projects/{pid}/award-funding"), award)
        .await
        .expect(200);

    // The auditor reads everything and changes nothing.
    auditor
        .get(&format!("/api/enterprises/{id}"))
        .await
        .expect(200);
    auditor.get("/api/projects").await.expect(200);
    auditor.get("/api/accounts").await.expect(200);
    auditor
        .post(
            &format!("/api/enterprises/{id}/amend"),
            json!({ "name": "x", "amended_on": "2025-02-01" }),
        )
        .await
        .expect(403);
    // Accounts are the admin's.
    let account = json!({ "username": "qiannan", "display_name": "黔南州", "role": "bureau", "region": "522700", "organisation": "黔南州工业和信息化局", "password": "a-long-password" });
    province
        .post("/api/accounts", account.clone())
        .await
        .expect(403);
    admin.post("/api/accounts", account).await.expect(201);
    app.login_with("qiannan", "a-long-password")
        .await
        .get("/api/auth/me")
        .await
        .expect(200);
    // Others may not list accounts.
    guiyang.get("/api/accounts").await.expect(403);
    app.stop().await;
}

async fn etag_and_if_match_detect_stale_edits(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let created = guiyang
        .post("/api/enterprises", enterprise("企业甲", "520100"))
        .await
        .expect(201);
    let id = created.id();
    assert_eq!(created.etag(), "\"1\"");
    let read = guiyang
        .get(&format!("/api/enterprises/{id}"))
        .await
        .expect(200);
    assert_eq!(read.etag(), "\"1\"");
    let amend = |name: &str| json!({ "name": name, "amended_on": "2025-02-01" });
    let path = format!("/api/enterprises/{id}/amend");
    let first = guiyang
        .post_with(&path, amend("企业乙"), &[("if-match", "\"1\"")])
        .await
        .expect(200);
    assert_eq!(first.etag(), "\"2\"");
    let stale = guiyang
        .post_with(&path, amend("企业丙"), &[("if-match", "\"1\"")])
        .await
        .expect(412);
    assert_eq!(stale.problem(), "stale_version");
    assert_eq!(stale.body["values"], json!({ "expected": 1, "actual": 2 }));
    // Nothing was recorded by the refused command.
    let history = guiyang
        .get(&format!("/api/enterprises/{id}/history"))
        .await
        .expect(200);
    assert_eq!(history.body["events"].as_array().map(Vec::len), Some(2));
    // Without If-Match the command applies to the current version.
    guiyang.post(&path, amend("企业丙")).await.expect(200);
    let read = guiyang
        .get(&format!("/api/enterprises/{id}"))
        .await
        .expect(200);
    assert_eq!(read.etag(), "\"3\"");
    app.stop().await;
}

async fn idempotency_key_replays_the_first_result(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let key = [("idempotency-key", "register-enterprise-1")];
    let body = enterprise("企业甲", "520100");
    let first = guiyang
        .post_with("/api/enterprises", body.clone(), &key)
        .await
        .expect(201);
    let again = guiyang
        .post_with("/api/enterprises", body.clone(), &key)
        .await
        .expect(201);
    assert_eq!(first.body, again.body);
    assert_eq!(
        again
            .headers
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
        Some("true")
    );
    assert_eq!(first.headers.get("location"), again.headers.get("location"));
    let list = guiyang.get("/api/enterprises").await.expect(200);
    assert_eq!(list.body["total"], 1, "one enterprise, not two");
    // The same key for a different request is refused.
    let other = guiyang
        .post_with("/api/enterprises", enterprise("企业乙", "520100"), &key)
        .await
        .expect(422);
    assert_eq!(other.problem(), "idempotency_key_reused");
    // The process stops after the commit but before it remembers the answer (simulated by
    // forgetting the remembered answers): a retry still answers with the first result, and
    // records nothing new.
    let retry_key = [("idempotency-key", "register-enterprise-2")];
    let body = enterprise("企业丙", "520100");
    let first = guiyang
        .post_with("/api/enterprises", body.clone(), &retry_key)
        .await
        .expect(201);
    forget_remembered_answers(&app).await;
    let head = app.server.state.store.head().await.expect("head").position;
    let again = guiyang
        .post_with("/api/enterprises", body.clone(), &retry_key)
        .await
        .expect(201);
    assert_eq!(again.id(), first.id());
    assert_eq!(again.body["version"], first.body["version"]);
    assert_eq!(again.body["valid_from"], first.body["valid_from"]);
    assert_eq!(
        app.server.state.store.head().await.expect("head").position,
        head,
        "the retry wrote nothing"
    );
    // The same for a command on an existing instance.
    let amend_key = [("idempotency-key", "amend-enterprise-2")];
    let amend = json!({ "name": "企业丙（更名）", "amended_on": "2025-05-01" });
    let path = format!("/api/enterprises/{}/amend", first.id());
    let first = guiyang
        .post_with(&path, amend.clone(), &amend_key)
        .await
        .expect(200);
    forget_remembered_answers(&app).await;
    let again = guiyang
        .post_with(&path, amend, &amend_key)
        .await
        .expect(200);
    assert_eq!(again.body["version"], first.body["version"]);
    assert_eq!(again.body["valid_from"], first.body["valid_from"]);
    // Keys are per account: another account may use the same key.
    let province = app.login("province").await;
    province
        .post_with("/api/enterprises", enterprise("企业乙", "520300"), &key)
        .await
        .expect(201);
    app.stop().await;
}

/// Deletes every remembered command answer, as if the server had stopped before writing them.
async fn forget_remembered_answers(app: &TestApp) {
    match app.server.state.store.engine().pool() {
        redmud_store::EnginePool::Sqlite(pool) => sqlx::query("DELETE FROM idempotency")
            .execute(pool)
            .await
            .map(|_| ()),
        redmud_store::EnginePool::Postgres(pool) => sqlx::query("DELETE FROM idempotency")
            .execute(pool)
            .await
            .map(|_| ()),
    }
    .expect("forget the remembered answers");
}

crate::on_both!(
    each_role_may_do_its_jobs_and_nothing_else,
    etag_and_if_match_detect_stale_edits,
    idempotency_key_replays_the_first_result,
);
