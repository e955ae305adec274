//! `redmud serve --demo`: the demo accounts and data set load into an empty database, once.

use serde_json::json;

use crate::common::Engine;
use crate::harness::TestApp;

async fn the_demo_loads_once_with_its_accounts(engine: Engine) {
    let app = TestApp::spawn_bare(engine, |config| config.demo = true).await;
    let demo = redmud_api::demo::DEMO_PASSWORD;
    for account in [
        "admin",
        "province",
        "guiyang",
        "zunyi",
        "qiandongnan",
        "finance",
        "auditor",
    ] {
        app.login_with(account, demo)
            .await
            .get("/api/auth/me")
            .await
            .expect(200);
    }
    let auditor = app.login_with("auditor", demo).await;
    let projects = auditor.get("/api/projects?limit=500").await.expect(200);
    let statuses: std::collections::BTreeSet<String> = projects.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| p["state"]["status"].as_str().expect("status").to_owned())
        .collect();
    assert!(
        statuses.len() >= 8,
        "projects in every status: {statuses:?}"
    );
    assert!(auditor.get("/api/enterprises").await.expect(200).body["total"].as_u64() >= Some(10));
    assert!(auditor.get("/api/bases").await.expect(200).body["total"].as_u64() >= Some(3));
    // Reports submitted and returned exist.
    let plans = auditor
        .get("/api/regional-plans?limit=100")
        .await
        .expect(200)
        .body
        .to_string();
    assert!(
        plans.contains("returned") || plans.contains("submitted"),
        "{plans}"
    );
    // The bureau of Guiyang sees its region's enterprises.
    let guiyang = app.login_with("guiyang", demo).await;
    assert!(
        guiyang
            .get("/api/enterprises?region=520100")
            .await
            .expect(200)
            .body["total"]
            .as_u64()
            >= Some(2)
    );
    // A second start with --demo on the same database adds nothing.
    let head = app.server.state.store.head().await.expect("head").position;
    redmud_api::demo::load(&app.server.state)
        .await
        .expect("no-op");
    assert_eq!(
        app.server.state.store.head().await.expect("head").position,
        head
    );
    // The demo is a working system: a bureau records on it.
    let me = guiyang.get("/api/auth/me").await.expect(200);
    assert_eq!(me.body["organisation"], json!("贵阳市生态环境局"));
    app.stop().await;
}

crate::on_both!(the_demo_loads_once_with_its_accounts);
