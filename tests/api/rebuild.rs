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
    app.server.state.caches.clear();
    // The API answers the same after the rebuild.
    assert_eq!(
        guiyang
            .get("/api/enterprises?region=520100")
            .await
            .expect(200)
            .body["total"],
        5
    );
    app.stop().await;
}

crate::on_both!(a_rebuild_reproduces_the_read_models);
