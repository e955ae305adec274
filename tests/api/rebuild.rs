//! `redmud rebuild` recomputes read models identical to those the appends wrote.

use serde_json::json;

use crate::common::Engine;
use crate::harness::{TestApp, enterprise};

async fn a_rebuild_reproduces_the_read_models(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let province = app.login("province").await;
    for n in 0..5 {
        let id = guiyang
            .post(
                "/api/enterprises",
                enterprise(&format!("企业{n}"), "520181"),
            )
            .await
            .expect(201)
            .id();
        let figures = json!({ "generated": 1_000_000 + n, "utilized_from_new": { "cement": 100_000 }, "disposed_from_new": 0, "stored_new": 900_000 + n, "utilized_from_stock": {}, "disposed_from_stock": 0 });
        guiyang
            .post(
                &format!("/api/enterprises/{id}/record-ledger"),
                json!({ "period": "2025-Q1", "figures": figures }),
            )
            .await
            .expect(200);
        province
            .post(
                &format!("/api/enterprises/{id}/amend"),
                json!({ "name": format!("企业{n}（更名）"), "amended_on": "2025-05-01" }),
            )
            .await
            .expect(200);
    }
    // Designations granted and revoked, and a regional report submitted: the `designation`
    // and `regional_report` rows (extra views) are rebuilt too.
    let id = guiyang
        .post("/api/enterprises", enterprise("认定企业", "520181"))
        .await
        .expect(201)
        .id();
    province
        .post(
            &format!("/api/enterprises/{id}/grant-designation"),
            json!({ "designation": "green_factory", "granted_on": "2025-03-01", "document": "工信部节函〔2025〕1号", "valid_until": null }),
        )
        .await
        .expect(200);
    province
        .post(
            &format!("/api/enterprises/{id}/revoke-designation"),
            json!({ "designation": "green_factory", "revoked_on": "2025-09-01", "reason": "复核不合格" }),
        )
        .await
        .expect(200);
    let plan = province
        .post(
            "/api/regional-plans",
            json!({ "region": "520100", "year": 2025, "set_on": "2025-01-15", "targets": {
                "red_mud_to_utilize": 1_000_000, "new_utilization_rate": 1500,
                "new_capacity_per_year": 0, "demonstration_projects": 0 } }),
        )
        .await
        .expect(201)
        .id();
    guiyang
        .post(
            &format!("/api/regional-plans/{plan}/submit-report"),
            json!({ "period": "2025-Q1", "summary": "一季度", "submitted_on": "2025-04-10" }),
        )
        .await
        .expect(200);
    let store = &app.server.state.store;
    let before = store.all_views().await.expect("views");
    assert!(
        before.len() > 15,
        "enterprise, ledger and account rows: {}",
        before.len()
    );
    let (events, rows) = redmud_api::rebuild::rebuild(store).await.expect("rebuild");
    assert!(events > 0 && rows as usize == before.len());
    let after = store.all_views().await.expect("views");
    assert_eq!(before, after);
    for model in ["designation", "regional_report"] {
        assert!(
            before.iter().any(|v| v.row.model == model),
            "{model} rows are written"
        );
    }
    app.server.state.caches.clear();
    // The API answers the same after the rebuild.
    assert_eq!(
        guiyang
            .get("/api/enterprises?region=520100")
            .await
            .expect(200)
            .body["total"],
        6,
        "five renamed enterprises and the designated one"
    );
    app.stop().await;
}

crate::on_both!(a_rebuild_reproduces_the_read_models);
