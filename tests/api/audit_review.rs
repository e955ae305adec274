//! `/api/audit/flags` and `/api/audit/diff` end to end, on both engines: rules (a), (b) and (c)
//! fire on a history recorded over HTTP and stay quiet on its innocent twin; as-of, filters, CSV,
//! roles; the diff of an enterprise and of the balance report between two positions.

use serde_json::{Value, json};

use crate::common::Engine;
use crate::harness::{Client, TestApp, enterprise};

fn figures(generated: u64, cement: u64) -> Value {
    json!({
        "generated": generated,
        "utilized_from_new": { "cement": cement },
        "disposed_from_new": 0,
        "stored_new": generated - cement,
        "utilized_from_stock": {},
        "disposed_from_stock": 0,
    })
}

fn project(region: &str, lead: &str, proposed_on: &str) -> Value {
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
        "proposed_on": proposed_on
    })
}

/// The flags of `rule` (all pages), as (position, code).
async fn flags(client: &Client, query: &str) -> Vec<(u64, String)> {
    let reply = client
        .get(&format!("/api/audit/flags?limit=1000&{query}"))
        .await
        .expect(200);
    reply.body["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .map(|f| {
            (
                f["position"].as_u64().expect("position"),
                f["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

async fn post(client: &Client, path: &str, body: Value) -> u64 {
    let reply = client.post(path, body).await;
    assert!(
        reply.status.is_success(),
        "{path}: {} {:#}",
        reply.status,
        reply.body
    );
    reply.body["valid_from"].as_u64().expect("position")
}

async fn ledger_flags(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let province = app.login("province").await;
    let auditor = app.login("auditor").await;
    let created = guiyang
        .post("/api/enterprises", enterprise("清镇氧化铝厂", "520181"))
        .await
        .expect(201);
    let id = created.id();
    post(
        &guiyang,
        &format!("/api/enterprises/{id}/record-ledger"),
        json!({ "period": "2025-Q1", "figures": figures(900_000, 100_000) }),
    )
    .await;
    post(
        &guiyang,
        &format!("/api/enterprises/{id}/record-ledger"),
        json!({ "period": "2025-Q2", "figures": figures(800_000, 100_000) }),
    )
    .await;
    // Corrected before the report: nothing to see.
    post(
        &guiyang,
        &format!("/api/enterprises/{id}/correct-ledger"),
        json!({ "period": "2025-Q1", "figures": figures(900_000, 200_000), "reason": "补报磅单" }),
    )
    .await;
    let plan_id = province
        .post(
            "/api/regional-plans",
            json!({ "region": "520100", "year": 2025, "set_on": "2025-01-15", "targets": {
                "red_mud_to_utilize": 1_000_000, "new_utilization_rate": 1500,
                "new_capacity_per_year": 1_000_000, "demonstration_projects": 1 } }),
        )
        .await
        .expect(201)
        .id();
    let submitted = post(
        &guiyang,
        &format!("/api/regional-plans/{plan_id}/submit-report"),
        json!({ "period": "2025-Q1", "summary": "一季度赤泥综合利用情况", "submitted_on": "2025-04-10" }),
    )
    .await;
    assert!(
        flags(&auditor, "rule=ledger_after_report").await.is_empty(),
        "no correction after the report yet"
    );
    // Q2 has no report: its correction is no flag; Q1's is.
    post(
        &guiyang,
        &format!("/api/enterprises/{id}/correct-ledger"),
        json!({ "period": "2025-Q2", "figures": figures(800_000, 150_000), "reason": "补报" }),
    )
    .await;
    let corrected = post(
        &guiyang,
        &format!("/api/enterprises/{id}/correct-ledger"),
        json!({ "period": "2025-Q1", "figures": figures(900_000, 300_000), "reason": "报送后补报" }),
    )
    .await;
    assert_eq!(
        flags(&auditor, "rule=ledger_after_report").await,
        vec![(corrected, "ledger_corrected_after_report".to_owned())]
    );
    let reply = auditor
        .get("/api/audit/flags?rule=ledger_after_report")
        .await
        .expect(200);
    let flag = &reply.body["flags"][0];
    assert_eq!(flag["rule"], "ledger_after_report");
    assert_eq!(flag["severity"], "medium");
    assert_eq!(flag["region"], "520181");
    let linked: Vec<u64> = flag["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["position"].as_u64().expect("position"))
        .collect();
    assert_eq!(linked, vec![submitted, corrected]);
    assert!(flag["summary_zh"].as_str().expect("zh").contains("更正"));
    assert!(
        flag["events"][0]["stream"]
            .as_str()
            .expect("stream")
            .starts_with("regional_plan-")
    );

    // As of before the correction: not yet flagged.
    assert!(
        flags(
            &auditor,
            &format!("rule=ledger_after_report&as_of={}", corrected - 1)
        )
        .await
        .is_empty()
    );
    // Region filter: the province and Guiyang see it, Zunyi does not.
    assert_eq!(
        flags(&auditor, "rule=ledger_after_report&region=520000")
            .await
            .len(),
        1
    );
    assert_eq!(
        flags(&auditor, "rule=ledger_after_report&region=520300")
            .await
            .len(),
        0
    );
    // from/to window on the raising position.
    assert_eq!(
        flags(
            &auditor,
            &format!("rule=ledger_after_report&from={}", corrected + 1)
        )
        .await
        .len(),
        0
    );
    // CSV.
    let csv = auditor
        .get("/api/audit/flags?rule=ledger_after_report&format=csv")
        .await
        .expect(200);
    let text = csv.body.as_str().expect("csv text");
    assert!(
        text.starts_with("\u{feff}position,recorded_at,rule,code"),
        "{text}"
    );
    assert!(text.contains(&format!("\r\n{corrected},")));
    assert!(text.contains(&format!("{submitted} {corrected}")));
    // Bureaus do not read audit flags; unknown rules are refused.
    let refused = guiyang.get("/api/audit/flags").await.expect(403);
    assert_eq!(refused.problem(), "role_not_allowed");
    let refused = auditor.get("/api/audit/flags?rule=nope").await.expect(400);
    assert_eq!(refused.problem(), "bad_rule");
    app.stop().await;
}

async fn backdating_flags(engine: Engine) {
    // Default threshold (90 days): a proposal dated 2020 and recorded now is backdated.
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let auditor = app.login("auditor").await;
    let id = guiyang
        .post("/api/enterprises", enterprise("清镇氧化铝厂", "520181"))
        .await
        .expect(201)
        .id();
    let proposed = post(
        &guiyang,
        "/api/projects",
        project("520181", &id, "2020-01-01"),
    )
    .await;
    let found = flags(&auditor, "rule=backdated").await;
    assert_eq!(
        found,
        vec![(proposed, "effective_long_before_recorded".to_owned())],
        "the registration date is the enterprise's history and is not flagged"
    );
    let reply = auditor
        .get("/api/audit/flags?rule=backdated")
        .await
        .expect(200);
    assert_eq!(reply.body["settings"]["backdate_days"], 90);
    assert!(
        reply.body["flags"][0]["summary_en"]
            .as_str()
            .expect("summary")
            .contains("2020-01-01")
    );
    app.stop().await;

    // A threshold of 100,000 days: the same history raises nothing.
    let app = TestApp::spawn_with(engine, |c| c.audit_backdate_days = 100_000).await;
    let guiyang = app.login("guiyang").await;
    let auditor = app.login("auditor").await;
    let id = guiyang
        .post("/api/enterprises", enterprise("清镇氧化铝厂", "520181"))
        .await
        .expect(201)
        .id();
    post(
        &guiyang,
        "/api/projects",
        project("520181", &id, "2020-01-01"),
    )
    .await;
    assert!(flags(&auditor, "rule=backdated").await.is_empty());
    app.stop().await;
}

async fn funding_flags(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let province = app.login("province").await;
    let finance = app.login("finance").await;
    let auditor = app.login("auditor").await;
    let lead = guiyang
        .post("/api/enterprises", enterprise("清镇氧化铝厂", "520181"))
        .await
        .expect(201)
        .id();
    let milestone = "01890a5d-ac96-774b-bcce-b302099a8061";
    let award = |milestone: &str| {
        json!({
            "source": "central_budget_investment", "programme": "资源节约和环境保护",
            "amount": 1_000_000u64,
            "tranches": [
                { "condition": { "on": "approval" }, "amount": 300_000u64 },
                { "condition": { "on": "milestone_achieved", "milestone_id": milestone }, "amount": 700_000u64 }
            ],
            "awarded_on": "2025-03-01"
        })
    };
    // Two projects with the same history, except the dates of the second tranche and the end.
    let mut projects = Vec::new();
    for _ in 0..2 {
        let pid = guiyang
            .post("/api/projects", project("520181", &lead, "2025-02-01"))
            .await
            .expect(201)
            .id();
        post(
            &province,
            &format!("/api/projects/{pid}/approve-project"),
            json!({ "approved_on": "2025-02-20", "document": "黔发改环资〔2025〕7号" }),
        )
        .await;
        post(
            &guiyang,
            &format!("/api/projects/{pid}/plan-milestone"),
            json!({ "milestone_id": milestone, "name": "中期检查", "planned_on": "2025-06-01" }),
        )
        .await;
        let reply = finance
            .post(
                &format!("/api/projects/{pid}/award-funding"),
                award(milestone),
            )
            .await
            .expect(200);
        let award_id = reply.body["state"]["awards"]
            .as_object()
            .and_then(|awards| awards.keys().next().cloned())
            .expect("award id");
        post(
            &guiyang,
            &format!("/api/projects/{pid}/achieve-milestone"),
            json!({ "milestone_id": milestone, "achieved_on": "2025-06-01", "evidence": "中期检查报告" }),
        )
        .await;
        post(
            &finance,
            &format!("/api/projects/{pid}/disburse-tranche"),
            json!({ "award_id": award_id, "tranche": 1, "disbursed_on": "2025-03-05" }),
        )
        .await;
        projects.push((pid, award_id));
    }
    let ((bad, bad_award), (good, good_award)) = (projects[0].clone(), projects[1].clone());
    // The first pays tranche 2 dated before its milestone's date, then is cancelled with the
    // money out; the second pays after the milestone and goes on.
    let early = post(
        &finance,
        &format!("/api/projects/{bad}/disburse-tranche"),
        json!({ "award_id": bad_award, "tranche": 2, "disbursed_on": "2025-05-01" }),
    )
    .await;
    post(
        &finance,
        &format!("/api/projects/{good}/disburse-tranche"),
        json!({ "award_id": good_award, "tranche": 2, "disbursed_on": "2025-06-02" }),
    )
    .await;
    let before_cancel = app.server.state.store.head().await.expect("head").position;
    let cancelled = post(
        &province,
        &format!("/api/projects/{bad}/cancel-project"),
        json!({ "cancelled_on": "2025-07-01", "reason": "企业停产" }),
    )
    .await;
    assert_eq!(
        flags(&auditor, "rule=funding").await,
        vec![
            (early, "disbursed_before_condition".to_owned()),
            (cancelled, "disbursed_to_cancelled_project".to_owned()),
        ]
    );
    assert_eq!(
        flags(&auditor, &format!("rule=funding&as_of={before_cancel}")).await,
        vec![(early, "disbursed_before_condition".to_owned())]
    );
    let reply = auditor
        .get("/api/audit/flags?rule=funding")
        .await
        .expect(200);
    let cancel_flag = &reply.body["flags"][1];
    assert_eq!(cancel_flag["severity"], "high");
    assert_eq!(
        cancel_flag["events"].as_array().expect("events").len(),
        3,
        "two disbursements and the cancellation"
    );
    assert!(
        cancel_flag["summary_en"]
            .as_str()
            .expect("summary")
            .contains("10000.00 yuan")
    );
    app.stop().await;
}

async fn diffs(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let auditor = app.login("auditor").await;
    let id = guiyang
        .post("/api/enterprises", enterprise("清镇氧化铝厂", "520181"))
        .await
        .expect(201)
        .id();
    let recorded = post(
        &guiyang,
        &format!("/api/enterprises/{id}/record-ledger"),
        json!({ "period": "2025-Q1", "figures": figures(900_000, 100_000) }),
    )
    .await;
    let corrected = post(
        &guiyang,
        &format!("/api/enterprises/{id}/correct-ledger"),
        json!({ "period": "2025-Q1", "figures": figures(900_000, 300_000), "reason": "补报磅单" }),
    )
    .await;
    let stream = format!("enterprise-{id}");
    let reply = auditor
        .get(&format!(
            "/api/audit/diff?stream={stream}&from={recorded}&to={corrected}"
        ))
        .await
        .expect(200);
    let body = &reply.body;
    assert_eq!(body["from"]["position"], recorded);
    assert_eq!(body["to"]["position"], corrected);
    let changes = body["changes"].as_array().expect("changes");
    let cement = changes
        .iter()
        .find(|c| {
            c["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("/utilized_from_new/cement"))
        })
        .unwrap_or_else(|| panic!("the cement figure changed: {changes:#?}"));
    assert_eq!(cement["before"], 100_000);
    assert_eq!(cement["after"], 300_000);
    let events = body["events"].as_array().expect("events");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["position"], corrected);
    assert_eq!(events[0]["type"], "LedgerCorrected");
    assert_eq!(events[0]["actor"], "guiyang");
    assert_eq!(events[0]["reason"], "补报磅单");
    // The same moment twice: nothing changed.
    let same = auditor
        .get(&format!(
            "/api/audit/diff?stream={stream}&from={corrected}&to={corrected}"
        ))
        .await
        .expect(200);
    assert_eq!(same.body["changes"], json!([]));
    assert_eq!(same.body["events"], json!([]));

    // The balance report between the two moments: Q1's row changed, by the cement figure.
    let reply = auditor
        .get(&format!(
            "/api/audit/diff?report=balance&from={recorded}&to={corrected}&year=2025&by=enterprise"
        ))
        .await
        .expect(200);
    let rows = reply.body["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0]["change"], "changed");
    assert!(rows[0]["key"].as_str().expect("key").contains("2025-Q1"));
    assert!(
        rows[0]["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .any(|c| c["path"] == "/utilized_total"
                && c["before"] == 100_000
                && c["after"] == 300_000),
        "{:#}",
        rows[0]
    );
    // Before the ledger existed, the row is added.
    let reply = auditor
        .get(&format!(
            "/api/audit/diff?report=balance&from={}&to={corrected}&year=2025&by=enterprise",
            recorded - 1
        ))
        .await
        .expect(200);
    assert_eq!(reply.body["rows"][0]["change"], "added");

    // Bad requests.
    let bad = auditor
        .get(&format!(
            "/api/audit/diff?stream={stream}&from={corrected}&to={recorded}"
        ))
        .await
        .expect(400);
    assert_eq!(bad.problem(), "bad_range");
    let bad = auditor
        .get("/api/audit/diff?stream=nope&from=1")
        .await
        .expect(400);
    assert_eq!(bad.problem(), "bad_stream");
    let bad = auditor
        .get("/api/audit/diff?report=nope&from=1")
        .await
        .expect(400);
    assert_eq!(bad.problem(), "bad_report");
    guiyang
        .get(&format!("/api/audit/diff?stream={stream}&from=1"))
        .await
        .expect(403);
    app.stop().await;
}

crate::on_both!(ledger_flags, backdating_flags, funding_flags, diffs);
