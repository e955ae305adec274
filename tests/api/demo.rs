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

/// `redmud demo --scale N`: a generated province (here a hundredth of it) loads into an empty
/// database with the same events and read-model rows the command pipeline writes, and the reports
/// answer on it, now and as of the end of a month.
async fn a_generated_province_loads_and_reports_on_it(engine: Engine) {
    let app = TestApp::spawn_bare(engine, |_| {}).await;
    let state = &app.server.state;
    let mut months = Vec::new();
    let report = redmud_api::demo::scale::load(state, 0.01, |month, head| {
        months.push((month, head));
    })
    .await
    .expect("loaded");
    let head = state.store.head().await.expect("head").position;
    assert_eq!(report.events, head);
    assert_eq!((report.enterprises, report.projects), (50, 200));
    assert_eq!(report.months, months);
    assert_eq!(months.len(), 72, "2025-01 … 2030-12");
    assert!(months.windows(2).all(|w| w[0].1 <= w[1].1));
    assert!(head > 9_000, "{head} events");
    // Only into an empty database.
    assert!(
        redmud_api::demo::scale::load(state, 0.01, |_, _| {})
            .await
            .is_err()
    );
    // The chain is intact, and a rebuild from the log writes exactly the rows the load wrote
    // (each month's commands were grouped per stream into one batch).
    let verified = state.store.verify().await.expect("verify");
    assert!(verified.first_failure.is_none(), "{verified:?}");
    let before = state.store.all_views().await.expect("views");
    redmud_api::rebuild::rebuild(&state.store)
        .await
        .expect("rebuild");
    assert_eq!(before, state.store.all_views().await.expect("views"));

    let demo = redmud_api::demo::DEMO_PASSWORD;
    let auditor = app.login_with("auditor", demo).await;
    assert_eq!(
        auditor.get("/api/enterprises").await.expect(200).body["total"],
        json!(50)
    );
    assert_eq!(
        auditor.get("/api/projects").await.expect(200).body["total"],
        json!(200)
    );
    // Every prefecture has its bureau.
    app.login_with("bijie", demo)
        .await
        .get("/api/auth/me")
        .await
        .expect(200);
    let end_of_2027 = months
        .iter()
        .find(|(month, _)| month.to_string() == "2027-12-01")
        .map(|(_, head)| *head)
        .expect("2027-12");
    for report in [
        "balance",
        "targets",
        "projects",
        "funding",
        "tax-incentives",
        "bases",
        "matching",
        "regional",
        "tasks",
        "typical-cases",
    ] {
        auditor
            .get(&format!("/api/reports/{report}"))
            .await
            .expect(200);
        auditor
            .get(&format!(
                "/api/reports/{report}?as_of={end_of_2027}&format=csv"
            ))
            .await
            .expect(200);
    }
    // Reports of submissions made: every prefecture reported every quarter up to 2030-Q3.
    let regional = auditor.get("/api/reports/regional").await.expect(200);
    assert_eq!(
        regional.body["lines"].as_array().map(Vec::len),
        Some(9 * 23),
        "{}",
        regional.body
    );
    app.stop().await;
}

crate::on_both!(
    the_demo_loads_once_with_its_accounts,
    a_generated_province_loads_and_reports_on_it
);
