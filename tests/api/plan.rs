//! Issue 9 over HTTP: standards (标准) through the project command pipeline, the plan's tasks ×
//! responsible units (reference data and the tasks report, its figures computed here from the
//! commands sent) and typical cases (典型案例), as of now and as of earlier moments, JSON and CSV.

use serde_json::{Value, json};

use crate::common::Engine;
use crate::harness::{Client, TestApp, figures, register};

fn n(v: &Value, path: &[&str]) -> u64 {
    let mut v = v;
    for p in path {
        v = &v[*p];
    }
    v.as_u64().unwrap_or(0)
}

/// A proposal body; `extra` adds or overrides proposal fields.
fn proposal(name: &str, lead: &str, region: &str, extra: Value) -> Value {
    let mut p = json!({
        "name": name,
        "kind": "utilization_capacity",
        "task": "utilization_scale",
        "lead_enterprise_id": lead,
        "region": region,
        "routes": ["cement"],
        "planned_capacity_per_year": 100_000_000u64,
        "budget": 5_000_000_000u64,
        "responsible_units": ["省工业和信息化厅"],
        "planned_start": "2025-03-01",
        "planned_end": "2026-12-31",
    });
    for (k, v) in extra.as_object().expect("object") {
        p[k] = v.clone();
    }
    json!({ "proposal": p, "proposed_on": "2025-02-01" })
}

fn standard(name: &str, lead: &str, scope: &str) -> Value {
    proposal(
        name,
        lead,
        "520100",
        json!({
            "kind": "standard",
            "routes": [],
            "planned_capacity_per_year": 0,
            "budget": 60_000_000u64,
            "responsible_units": ["省市场监管局"],
            "standard": {
                "standard_type": "group",
                "drafting_body": "贵州省建筑材料工业协会",
                "scope": scope
            }
        }),
    )
}

async fn state(client: &Client, path: &str) -> Value {
    client.get(path).await.expect(200).body["state"].clone()
}

async fn standards(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let province = app.login("province").await;
    let auditor = app.login("auditor").await;
    let lead = register(&guiyang, "清镇赤泥建材公司", "520100").await;

    let sid = guiyang
        .post(
            "/api/projects",
            standard("赤泥基砌块产品质量团体标准", &lead, "product"),
        )
        .await
        .expect(201)
        .id();
    let path = format!("/api/projects/{sid}");
    let s = state(&auditor, &path).await;
    assert_eq!(s["status"], "drafting");
    assert_eq!(s["proposal"]["standard"]["scope"], "product");

    // A standard without its data, and standard data on another kind, are refused.
    let mut missing = standard("缺标准信息", &lead, "testing");
    missing["proposal"]
        .as_object_mut()
        .expect("object")
        .remove("standard");
    let refused = guiyang.post("/api/projects", missing).await.expect(422);
    assert_eq!(refused.problem(), "rule_violated");
    assert_eq!(refused.body["rule"], "StandardSpecMissing");

    guiyang
        .post(
            &format!("{path}/open-consultation"),
            json!({ "opened_on": "2025-06-01" }),
        )
        .await
        .expect(200);
    // Approval is the province's.
    let approve = json!({ "approved_on": "2025-09-01", "document": "黔建材协〔2025〕8号" });
    let refused = guiyang
        .post(&format!("{path}/approve-standard"), approve.clone())
        .await
        .expect(403);
    assert_eq!(refused.problem(), "role_not_allowed");
    let approved = province
        .post(&format!("{path}/approve-standard"), approve)
        .await
        .expect(200);
    let approved_at = approved.body["valid_from"].as_u64().expect("position");
    // Construction commands do not apply to a standard.
    let refused = guiyang
        .post(
            &format!("{path}/start-construction"),
            json!({ "started_on": "2025-09-02" }),
        )
        .await
        .expect(422);
    assert_eq!(refused.body["rule"], "NotForStandards");
    // Publication needs its number.
    let refused = province
        .post(
            &format!("{path}/publish-standard"),
            json!({ "published_on": "2025-10-01", "number": " " }),
        )
        .await
        .expect(422);
    assert_eq!(refused.body["rule"], "BlankStandardNumber");
    province
        .post(
            &format!("{path}/publish-standard"),
            json!({ "published_on": "2025-10-01", "number": "T/GZBMA 012—2025" }),
        )
        .await
        .expect(200);
    let s = state(&auditor, &path).await;
    assert_eq!(s["status"], "published");
    assert_eq!(s["publication"]["number"], "T/GZBMA 012—2025");
    assert_eq!(s["publication"]["published_on"], "2025-10-01");

    // As of the approval: approved, not yet published.
    let then = state(&auditor, &format!("{path}?as_of={approved_at}")).await;
    assert_eq!(then["status"], "approved");
    assert_eq!(then["publication"], Value::Null);

    // History holds every step.
    let history = auditor.get(&format!("{path}/history")).await.expect(200);
    let text = history.body.to_string();
    for event in [
        "ProjectProposed",
        "StandardConsultationOpened",
        "StandardApproved",
        "StandardPublished",
    ] {
        assert!(text.contains(event), "{event} in {text}");
    }

    // A second standard is withdrawn with a reason.
    let wid = guiyang
        .post(
            "/api/projects",
            standard("赤泥道路基层应用团体标准", &lead, "application"),
        )
        .await
        .expect(201)
        .id();
    let refused = province
        .post(
            &format!("/api/projects/{wid}/withdraw-standard"),
            json!({ "withdrawn_on": "2025-05-01", "reason": "" }),
        )
        .await
        .expect(422);
    assert_eq!(refused.body["rule"], "BlankReason");
    province
        .post(
            &format!("/api/projects/{wid}/withdraw-standard"),
            json!({ "withdrawn_on": "2025-05-01", "reason": "并入行业标准" }),
        )
        .await
        .expect(200);
    let s = state(&auditor, &format!("/api/projects/{wid}")).await;
    assert_eq!(s["status"], "withdrawn");
    assert_eq!(s["withdrawn"]["reason"], "并入行业标准");

    // Standard commands do not apply to other kinds.
    let pid = guiyang
        .post(
            "/api/projects",
            proposal("水泥线", &lead, "520181", json!({})),
        )
        .await
        .expect(201)
        .id();
    let refused = guiyang
        .post(
            &format!("/api/projects/{pid}/open-consultation"),
            json!({ "opened_on": "2025-06-01" }),
        )
        .await
        .expect(422);
    assert_eq!(refused.body["rule"], "NotAStandard");

    // Listed by kind and by status.
    let list = auditor.get("/api/projects?kind=standard").await.expect(200);
    assert_eq!(list.body["total"], 2);
    let list = auditor
        .get("/api/projects?kind=standard&status=published")
        .await
        .expect(200);
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["items"][0]["id"], sid.as_str());
    app.stop().await;
}

async fn plan_tasks_reference(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let auditor = app.login("auditor").await;
    app.anonymous()
        .get("/api/reference/plan-tasks")
        .await
        .expect(401);
    let r = auditor
        .get("/api/reference/plan-tasks")
        .await
        .expect(200)
        .body;
    let tasks = r["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 5);
    assert_eq!(r["safeguards"].as_array().expect("safeguards").len(), 4);
    let scale = &tasks[2];
    assert_eq!(scale["code"], "utilization_scale");
    assert_eq!(scale["number"], 3);
    assert_eq!(scale["name_zh"], "扩大综合利用规模");
    let units: Vec<&str> = scale["responsible_units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| u["name_zh"].as_str().expect("name"))
        .collect();
    assert_eq!(
        units.join("、"),
        "省工业和信息化厅、省住房和城乡建设厅、省生态环境厅、省自然资源厅、省市场监管局"
    );
    let energy = r["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["code"] == "energy")
        .expect("energy");
    assert_eq!(energy["name_zh"], "省能源局");
    assert_eq!(energy["tasks"], json!(["industrial_synergy"]));
    app.stop().await;
}

fn task<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|t| t["task"] == code)
        .unwrap_or_else(|| panic!("task {code} in {report:#}"))
}

fn unit<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["unit"]["code"] == code)
        .unwrap_or_else(|| panic!("unit {code} in {report:#}"))
}

async fn tasks_report(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let zunyi = app.login("zunyi").await;
    let province = app.login("province").await;
    let finance = app.login("finance").await;
    let auditor = app.login("auditor").await;
    let qingzhen = register(&guiyang, "清镇氧化铝厂", "520100").await;
    let wuchuan = register(&zunyi, "务川氧化铝厂", "520300").await;

    // P1: a capacity project of task 3, two units, three milestones, an award partly paid.
    let p1 = guiyang
        .post(
            "/api/projects",
            proposal(
                "清镇赤泥水泥线",
                &qingzhen,
                "520181",
                json!({ "responsible_units": ["省工业和信息化厅", "省住房和城乡建设厅"] }),
            ),
        )
        .await
        .expect(201)
        .id();
    let milestones = [
        ("土建完工", "2025-06-30"), // overdue on 2025-09-01
        ("设备安装", "2025-09-15"), // due within 30 days
        ("立项评审", "2025-02-20"), // achieved
        ("竣工", "2026-06-30"),     // neither
    ];
    let mut ids = Vec::new();
    for (name, on) in milestones {
        guiyang
            .post(
                &format!("/api/projects/{p1}/plan-milestone"),
                json!({ "name": name, "planned_on": on }),
            )
            .await
            .expect(200);
        let s = state(&auditor, &format!("/api/projects/{p1}")).await;
        let id = s["milestones"]
            .as_object()
            .expect("milestones")
            .iter()
            .find(|(_, m)| m["name"] == name)
            .map(|(id, _)| id.clone())
            .expect("planned");
        ids.push(id);
    }
    province
        .post(
            &format!("/api/projects/{p1}/approve-project"),
            json!({ "approved_on": "2025-03-01", "document": "黔工信投资〔2025〕1号" }),
        )
        .await
        .expect(200);
    guiyang
        .post(
            &format!("/api/projects/{p1}/achieve-milestone"),
            json!({ "milestone_id": ids[2], "achieved_on": "2025-03-02", "evidence": "评审意见" }),
        )
        .await
        .expect(200);
    let (tranche1, tranche2) = (300_000_000u64, 700_000_000u64);
    finance
        .post(
            &format!("/api/projects/{p1}/award-funding"),
            json!({
                "source": "provincial_special_funds", "programme": "省级专项", "amount": tranche1 + tranche2,
                "tranches": [
                    { "condition": { "on": "approval" }, "amount": tranche1 },
                    { "condition": { "on": "accepted" }, "amount": tranche2 }
                ],
                "awarded_on": "2025-03-05"
            }),
        )
        .await
        .expect(200);
    let award_id = state(&auditor, &format!("/api/projects/{p1}")).await["awards"]
        .as_object()
        .expect("awards")
        .keys()
        .next()
        .expect("award")
        .clone();
    let detail = auditor
        .get(&format!("/api/projects/{p1}"))
        .await
        .expect(200);
    let awarded_position = detail.body["valid_from"].as_u64().expect("position");
    finance
        .post(
            &format!("/api/projects/{p1}/disburse-tranche"),
            json!({ "award_id": award_id, "tranche": 1, "disbursed_on": "2025-03-10" }),
        )
        .await
        .expect(200);

    // P2: an alumina expansion of task 5 with matching capacity (产用挂钩).
    let (expected, owned, contracted) = (1_500_000_000u64, 1_000_000_000u64, 300_000_000u64);
    zunyi
        .post(
            "/api/projects",
            proposal(
                "务川氧化铝扩建",
                &wuchuan,
                "520326",
                json!({
                    "kind": "new_or_expanded_alumina", "task": "industrial_synergy",
                    "routes": [], "planned_capacity_per_year": 0,
                    "responsible_units": ["省工业和信息化厅", "省发展改革委"],
                    "matching_capacity": {
                        "expected_red_mud_per_year": expected,
                        "owned_capacity_per_year": owned,
                        "contracted_capacity_per_year": contracted
                    }
                }),
            ),
        )
        .await
        .expect(201);

    // P3: a standard of task 3 under the market regulator.
    let p3 = guiyang
        .post(
            "/api/projects",
            standard("赤泥检测方法团体标准", &qingzhen, "testing"),
        )
        .await
        .expect(201)
        .id();

    // Ledgers: (client, enterprise, cement, mine backfill, road base from stock).
    let ledgers = [
        (
            &guiyang,
            &qingzhen,
            80_000_000u64,
            20_000_000u64,
            10_000_000u64,
        ),
        (&zunyi, &wuchuan, 45_000_000, 0, 0),
    ];
    for (client, id, cement, backfill, from_stock) in ledgers {
        if from_stock > 0 {
            client
                .post(
                    &format!("/api/enterprises/{id}/declare-stock-baseline"),
                    json!({ "as_of": "2024-12-31", "stock": 1_000_000_000u64 }),
                )
                .await
                .expect(200);
        }
        client
            .post(
                &format!("/api/enterprises/{id}/record-ledger"),
                json!({ "period": "2025-Q1", "figures": figures(500_000_000, cement, backfill, 0, from_stock) }),
            )
            .await
            .expect(200);
    }

    // Targets: Guiyang's point at task 3 explicitly, Zunyi's by default (task 3 too).
    for (region, task) in [("520100", Some("utilization_scale")), ("520300", None)] {
        let mut targets = json!({
            "red_mud_to_utilize": 400_000_000u64, "new_utilization_rate": 1500,
            "new_capacity_per_year": 100_000_000u64, "demonstration_projects": 1 });
        if let Some(task) = task {
            targets["task"] = json!(task);
        }
        province
            .post(
                "/api/regional-plans",
                json!({ "region": region, "year": 2025, "set_on": "2025-01-15", "targets": targets }),
            )
            .await
            .expect(201);
    }

    let r = auditor
        .get("/api/reports/tasks?on=2025-09-01")
        .await
        .expect(200)
        .body;
    assert_eq!(r["on"], "2025-09-01");
    assert_eq!(r["tasks"].as_array().expect("tasks").len(), 5);
    let scale = task(&r, "utilization_scale");
    assert_eq!(scale["number"], 3);
    assert_eq!(n(scale, &["totals", "projects"]), 2);
    assert_eq!(
        scale["totals"]["by_status"],
        json!({ "approved": 1, "drafting": 1 })
    );
    assert_eq!(n(scale, &["totals", "milestones_planned"]), 4);
    assert_eq!(n(scale, &["totals", "milestones_achieved"]), 1);
    assert_eq!(n(scale, &["totals", "milestones_overdue"]), 1);
    assert_eq!(n(scale, &["totals", "milestones_due"]), 1);
    assert_eq!(n(scale, &["totals", "awarded"]), tranche1 + tranche2);
    assert_eq!(n(scale, &["totals", "disbursed"]), tranche1);
    assert_eq!(n(scale, &["totals", "net_disbursed"]), tranche1);
    assert_eq!(
        n(scale, &["totals", "planned_capacity_per_year"]),
        100_000_000
    );
    let cement: u64 = ledgers.iter().map(|l| l.2).sum();
    let backfill: u64 = ledgers.iter().map(|l| l.3).sum();
    let road_base: u64 = ledgers.iter().map(|l| l.4).sum();
    assert_eq!(
        scale["utilized_by_route"],
        json!({ "cement": cement, "mine_backfill": backfill, "road_base": road_base })
    );
    let targets: Vec<&str> = scale["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .map(|t| t["region"].as_str().expect("region"))
        .collect();
    assert_eq!(targets, ["520100", "520300"]);
    let synergy = task(&r, "industrial_synergy");
    assert_eq!(n(synergy, &["totals", "projects"]), 1);
    assert_eq!(n(synergy, &["matching", "projects"]), 1);
    assert_eq!(n(synergy, &["matching", "covered"]), 0);
    assert_eq!(
        n(synergy, &["matching", "expected_red_mud_per_year"]),
        expected
    );
    assert_eq!(n(synergy, &["matching", "owned_capacity_per_year"]), owned);
    assert_eq!(
        n(synergy, &["matching", "contracted_capacity_per_year"]),
        contracted
    );
    assert_eq!(
        n(synergy, &["matching", "shortfall_per_year"]),
        expected - owned - contracted
    );
    assert!(synergy.get("utilized_by_route").is_none());
    assert_eq!(n(task(&r, "usability"), &["totals", "projects"]), 0);
    // Per unit: the projects naming it.
    assert_eq!(n(unit(&r, "industry_it"), &["totals", "projects"]), 2);
    assert_eq!(
        n(unit(&r, "housing_urban_rural"), &["totals", "projects"]),
        1
    );
    assert_eq!(
        n(unit(&r, "development_reform"), &["totals", "projects"]),
        1
    );
    let market = unit(&r, "market_regulation");
    assert_eq!(n(market, &["totals", "projects"]), 1);
    assert_eq!(market["project_ids"], json!([p3]));
    assert_eq!(market["tasks"], json!(["utilization_scale"]));
    assert_eq!(n(unit(&r, "energy"), &["totals", "projects"]), 0);

    // Filters.
    let only = auditor
        .get("/api/reports/tasks?on=2025-09-01&task=industrial_synergy")
        .await
        .expect(200)
        .body;
    assert_eq!(only["tasks"].as_array().expect("tasks").len(), 1);
    let by_unit = auditor
        .get("/api/reports/tasks?on=2025-09-01&unit=market_regulation")
        .await
        .expect(200)
        .body;
    assert_eq!(
        n(task(&by_unit, "utilization_scale"), &["totals", "projects"]),
        1
    );
    assert_eq!(by_unit["units"].as_array().expect("units").len(), 1);
    let zunyi_only = auditor
        .get("/api/reports/tasks?on=2025-09-01&region=520300")
        .await
        .expect(200)
        .body;
    assert_eq!(
        task(&zunyi_only, "utilization_scale")["utilized_by_route"],
        json!({ "cement": 45_000_000u64 })
    );
    assert_eq!(
        n(
            task(&zunyi_only, "utilization_scale"),
            &["totals", "projects"]
        ),
        0
    );
    let bad = auditor
        .get("/api/reports/tasks?task=nonsense")
        .await
        .expect(400);
    assert_eq!(bad.problem(), "bad_query");

    // As of the award, before the disbursement.
    let then = auditor
        .get(&format!(
            "/api/reports/tasks?on=2025-09-01&as_of={awarded_position}"
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(then["as_of"], awarded_position);
    let scale_then = task(&then, "utilization_scale");
    assert_eq!(n(scale_then, &["totals", "awarded"]), tranche1 + tranche2);
    assert_eq!(n(scale_then, &["totals", "disbursed"]), 0);
    assert_eq!(n(scale_then, &["totals", "projects"]), 1);

    // CSV.
    let csv = auditor
        .get("/api/reports/tasks?on=2025-09-01&format=csv")
        .await
        .expect(200);
    let text = csv.body.as_str().expect("csv");
    assert!(
        text.starts_with("\u{feff}kind,task,task_name,unit,"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "\r\ntask,utilization_scale,扩大综合利用规模,,,,,,,,2,4,1,1,1,{},{tranche1},0,{tranche1},"
            , tranche1 + tranche2
        )),
        "{text}"
    );
    assert!(
        text.contains("\r\nunit,utilization_scale,,market_regulation,省市场监管局,"),
        "{text}"
    );
    app.stop().await;
}

async fn typical_cases(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let province = app.login("province").await;
    let auditor = app.login("auditor").await;
    let eid = register(&guiyang, "清镇赤泥建材公司", "520100").await;
    let pid = guiyang
        .post(
            "/api/projects",
            proposal("清镇赤泥建材示范线", &eid, "520181", json!({})),
        )
        .await
        .expect(201)
        .id();
    let recommend = json!({ "recommended_on": "2025-12-01", "summary": "赤泥建材规模化应用" });
    let refused = guiyang
        .post(
            &format!("/api/projects/{pid}/recommend-typical-case"),
            recommend.clone(),
        )
        .await
        .expect(403);
    assert_eq!(refused.problem(), "role_not_allowed");
    province
        .post(
            &format!("/api/projects/{pid}/recommend-typical-case"),
            recommend.clone(),
        )
        .await
        .expect(200);
    let again = province
        .post(
            &format!("/api/projects/{pid}/recommend-typical-case"),
            recommend,
        )
        .await
        .expect(422);
    assert_eq!(again.body["rule"], "AlreadyTypicalCase");
    let recommended = province
        .post(
            &format!("/api/enterprises/{eid}/recommend-typical-case"),
            json!({ "recommended_on": "2026-01-05", "summary": "赤泥全量化利用" }),
        )
        .await
        .expect(200);
    let both_at = recommended.body["valid_from"].as_u64().expect("position");

    let list = auditor
        .get("/api/reports/typical-cases")
        .await
        .expect(200)
        .body;
    let cases = list["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 2);
    // Newest first.
    assert_eq!(cases[0]["subject"], "enterprise");
    assert_eq!(cases[0]["id"], eid.as_str());
    assert_eq!(cases[0]["summary"], "赤泥全量化利用");
    assert_eq!(cases[1]["subject"], "project");
    assert_eq!(cases[1]["status"], "recommended");
    assert_eq!(cases[1]["recommended_on"], "2025-12-01");

    // Detail views show the recommendation; the list tag finds it.
    let e = state(&auditor, &format!("/api/enterprises/{eid}")).await;
    assert_eq!(e["typical_case"]["summary"], "赤泥全量化利用");
    let tagged = auditor
        .get("/api/projects?tag=typical_case")
        .await
        .expect(200);
    assert_eq!(tagged.body["total"], 1);

    // Withdrawn with a reason.
    let refused = province
        .post(
            &format!("/api/enterprises/{eid}/withdraw-typical-case"),
            json!({ "withdrawn_on": "2026-03-01", "reason": " " }),
        )
        .await
        .expect(422);
    assert_eq!(refused.body["rule"], "BlankReason");
    province
        .post(
            &format!("/api/enterprises/{eid}/withdraw-typical-case"),
            json!({ "withdrawn_on": "2026-03-01", "reason": "发生环境违法行为" }),
        )
        .await
        .expect(200);
    let now = auditor
        .get("/api/reports/typical-cases")
        .await
        .expect(200)
        .body;
    assert_eq!(now["cases"].as_array().expect("cases").len(), 1);
    let all = auditor
        .get("/api/reports/typical-cases?include_withdrawn=true")
        .await
        .expect(200)
        .body;
    let withdrawn = all["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["subject"] == "enterprise")
        .expect("enterprise");
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["withdrawn_on"], "2026-03-01");
    assert_eq!(withdrawn["withdrawal_reason"], "发生环境违法行为");
    // As of before the withdrawal: both stand.
    let then = auditor
        .get(&format!("/api/reports/typical-cases?as_of={both_at}"))
        .await
        .expect(200)
        .body;
    assert_eq!(then["cases"].as_array().expect("cases").len(), 2);
    // Region filter.
    let zunyi = auditor
        .get("/api/reports/typical-cases?region=520300")
        .await
        .expect(200)
        .body;
    assert_eq!(zunyi["cases"], json!([]));
    // CSV.
    let csv = auditor
        .get("/api/reports/typical-cases?include_withdrawn=true&format=csv")
        .await
        .expect(200);
    let text = csv.body.as_str().expect("csv");
    assert!(
        text.starts_with("\u{feff}subject,id,name,region,status,summary,"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "\r\nproject,{pid},清镇赤泥建材示范线,520181,recommended,赤泥建材规模化应用,2025-12-01,,"
        )),
        "{text}"
    );
    app.stop().await;
}

crate::on_both!(standards, plan_tasks_reference, tasks_report, typical_cases);
