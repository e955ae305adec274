//! Reports 3, 4, 5 and 7 (projects, funding, tax incentives, 产用挂钩), as of now and as of a
//! moment before later changes, JSON and CSV, with every expected figure computed here from the
//! commands sent (a small model of what each command does).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::common::Engine;
use crate::harness::{Client, TestApp, enterprise};

/// A fixed UUID for ids the test chooses (milestones, awards, claims).
pub(crate) fn uid(n: u64) -> String {
    format!("0190a000-0000-7000-8000-{n:012}")
}

#[derive(Clone, Debug)]
struct Award {
    id: String,
    source: &'static str,
    programme: &'static str,
    year: u16,
    amount: u64,
    disbursed: u64,
    recovered: u64,
}

#[derive(Clone, Debug)]
struct Proj {
    id: String,
    name: &'static str,
    status: &'static str,
    kind: &'static str,
    task: &'static str,
    routes: Vec<&'static str>,
    prefecture: &'static str,
    planned: u64,
    commissioned: u64,
    budget: u64,
    lead: usize,
    /// (expected, owned, contracted) for a new or expanded alumina project.
    matching: Option<(u64, u64, u64)>,
    /// (id, planned date, achieved)
    milestones: Vec<(String, &'static str, bool)>,
    awards: Vec<Award>,
}

#[derive(Clone, Debug)]
struct Claim {
    enterprise: usize,
    prefecture: &'static str,
    kind: &'static str,
    year: u16,
    amount: u64,
    state: &'static str,
    approved: u64,
    recovered: u64,
}

/// What the test has sent, as the system should now see it.
#[derive(Clone, Debug, Default)]
struct World {
    projects: Vec<Proj>,
    claims: Vec<Claim>,
    /// (enterprise index, period) → generated
    generated: BTreeMap<(usize, &'static str), u64>,
}

pub(crate) type Sums = BTreeMap<(String, String), Vec<u64>>;

pub(crate) fn add(sums: &mut Sums, by: &str, key: &str, measures: &[u64]) {
    let e = sums
        .entry((by.to_owned(), key.to_owned()))
        .or_insert_with(|| vec![0; measures.len()]);
    for (a, b) in e.iter_mut().zip(measures) {
        *a += b;
    }
}

/// Compares a breakdown report's lines and total with the expected sums, exactly.
pub(crate) fn check_breakdown(body: &Value, want: &Sums, total: &[u64], names: &[&str]) {
    let lines = body["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), want.len(), "{body:#}");
    for line in lines {
        let key = (
            line["by"].as_str().expect("by").to_owned(),
            line["key"].as_str().expect("key").to_owned(),
        );
        let expected = want
            .get(&key)
            .unwrap_or_else(|| panic!("unexpected {key:?}"));
        for (name, value) in names.iter().zip(expected) {
            assert_eq!(line[*name].as_u64(), Some(*value), "{key:?} {name}");
        }
    }
    for (name, value) in names.iter().zip(total) {
        assert_eq!(body["total"][*name].as_u64(), Some(*value), "total {name}");
    }
}

fn check_projects(body: &Value, world: &World, on: &str) {
    let mut want = Sums::new();
    let mut total = vec![0; 4];
    for p in &world.projects {
        let m = [1, p.planned, p.commissioned, p.budget];
        add(&mut want, "status", p.status, &m);
        add(&mut want, "task", p.task, &m);
        add(&mut want, "kind", p.kind, &m);
        for r in &p.routes {
            add(&mut want, "route", r, &m);
        }
        add(&mut want, "region", p.prefecture, &m);
        for (t, v) in total.iter_mut().zip(m) {
            *t += v;
        }
    }
    let names = [
        "projects",
        "planned_capacity_per_year",
        "commissioned_per_year",
        "budget",
    ];
    check_breakdown(body, &want, &total, &names);
    let on = chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d").expect("date");
    let mut overdue: Vec<(String, i64)> = Vec::new();
    for p in world.projects.iter().filter(|p| p.status != "cancelled") {
        for (id, planned, achieved) in &p.milestones {
            let planned = chrono::NaiveDate::parse_from_str(planned, "%Y-%m-%d").expect("date");
            if !achieved && planned < on {
                overdue.push((id.clone(), (on - planned).num_days()));
            }
        }
    }
    overdue.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let got: Vec<(String, i64)> = body["overdue_milestones"]
        .as_array()
        .expect("overdue")
        .iter()
        .map(|o| {
            (
                o["milestone_id"].as_str().expect("id").to_owned(),
                o["days_late"].as_i64().expect("days"),
            )
        })
        .collect();
    assert_eq!(got, overdue);
}

fn check_funding(body: &Value, world: &World) {
    let mut want = Sums::new();
    let mut total = vec![0; 6];
    for p in &world.projects {
        for a in &p.awards {
            let m = [
                1,
                a.amount,
                a.disbursed,
                a.recovered,
                a.amount - a.disbursed,
                a.disbursed - a.recovered,
            ];
            add(&mut want, "source", a.source, &m);
            add(&mut want, "programme", a.programme, &m);
            add(&mut want, "region", p.prefecture, &m);
            add(&mut want, "year", &a.year.to_string(), &m);
            add(&mut want, "project", &p.id, &m);
            for (t, v) in total.iter_mut().zip(m) {
                *t += v;
            }
        }
    }
    let names = [
        "awards",
        "awarded",
        "disbursed",
        "recovered",
        "outstanding",
        "net_disbursed",
    ];
    check_breakdown(body, &want, &total, &names);
    // The commands cannot produce an anomaly (the domain refuses them): none listed.
    assert_eq!(body["anomalies"], json!([]));
}

fn check_tax(body: &Value, world: &World, ids: &[String]) {
    let mut want = Sums::new();
    let mut total = vec![0; 10];
    for c in &world.claims {
        let (a, r, p) = (
            c.state == "approved",
            c.state == "rejected",
            c.state == "claimed",
        );
        let m = [
            1,
            u64::from(a),
            u64::from(r),
            u64::from(p),
            c.amount,
            c.approved,
            if r { c.amount } else { 0 },
            if p { c.amount } else { 0 },
            c.recovered,
            c.approved - c.recovered,
        ];
        add(&mut want, "kind", c.kind, &m);
        add(&mut want, "enterprise", &ids[c.enterprise], &m);
        add(&mut want, "region", c.prefecture, &m);
        add(&mut want, "year", &c.year.to_string(), &m);
        for (t, v) in total.iter_mut().zip(m) {
            *t += v;
        }
    }
    let names = [
        "claims",
        "approved_claims",
        "rejected_claims",
        "pending_claims",
        "claimed",
        "approved",
        "rejected",
        "pending",
        "recovered",
        "net",
    ];
    check_breakdown(body, &want, &total, &names);
}

fn check_matching(body: &Value, world: &World, ids: &[String], year: u16) {
    let live = |p: &&Proj| p.status != "cancelled";
    let refineries = body["refineries"].as_array().expect("refineries");
    assert_eq!(refineries.len(), ids.len());
    for line in refineries {
        let i = ids
            .iter()
            .position(|id| line["enterprise_id"] == id.as_str())
            .expect("known refinery");
        let generated: u64 = world
            .generated
            .iter()
            .filter(|((e, period), _)| *e == i && period.starts_with(&year.to_string()))
            .map(|(_, g)| g)
            .sum();
        let owned: u64 = world
            .projects
            .iter()
            .filter(live)
            .filter(|p| p.lead == i && p.kind != "new_or_expanded_alumina")
            .map(|p| p.commissioned)
            .sum();
        let contracted: u64 = world
            .projects
            .iter()
            .filter(live)
            .filter(|p| p.lead == i)
            .filter_map(|p| p.matching.map(|m| m.2))
            .sum();
        let capacity = owned + contracted;
        assert_eq!(line["generated"].as_u64(), Some(generated), "{line:#}");
        assert_eq!(line["owned_capacity_per_year"].as_u64(), Some(owned));
        assert_eq!(
            line["contracted_capacity_per_year"].as_u64(),
            Some(contracted)
        );
        assert_eq!(line["covers"], capacity >= generated);
        assert_eq!(
            line["shortfall"].as_u64(),
            Some(generated.saturating_sub(capacity))
        );
        if generated > 0 {
            let c = &line["coverage"];
            assert_eq!(
                c["numerator"].as_u64().expect("n") * generated,
                capacity * c["denominator"].as_u64().expect("d")
            );
        }
    }
    let lacking: Vec<&str> = world
        .projects
        .iter()
        .filter(live)
        .filter(|p| p.matching.is_some_and(|(e, o, c)| o + c < e))
        .map(|p| p.id.as_str())
        .collect();
    let got: Vec<&str> = body["projects_lacking"]
        .as_array()
        .expect("lacking")
        .iter()
        .map(|p| p["project_id"].as_str().expect("id"))
        .collect();
    assert_eq!(got, lacking);
}

fn proposal(p: &Proj, lead: &str) -> Value {
    json!({
        "proposal": {
            "name": p.name, "kind": p.kind, "task": p.task, "lead_enterprise_id": lead,
            "region": p.prefecture, "routes": p.routes, "planned_capacity_per_year": p.planned,
            "budget": p.budget, "responsible_units": ["省工业和信息化厅"],
            "planned_start": "2025-03-01", "planned_end": "2026-12-31",
            "matching_capacity": p.matching.map(|(e, o, c)| json!({
                "expected_red_mud_per_year": e, "owned_capacity_per_year": o,
                "contracted_capacity_per_year": c })),
        },
        "proposed_on": "2025-02-01"
    })
}

pub(crate) async fn ok(client: &Client, path: &str, body: Value) -> u64 {
    client.post(path, body).await.expect(200).body["valid_from"]
        .as_u64()
        .expect("position")
}

pub(crate) fn ledger(generated: u64) -> Value {
    json!({ "generated": generated, "utilized_from_new": { "cement": generated / 10 },
        "disposed_from_new": 0, "stored_new": generated - generated / 10,
        "utilized_from_stock": {}, "disposed_from_stock": 0 })
}

pub(crate) fn csv_records(reply: &crate::harness::Reply) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(
        reply.headers["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/csv")
    );
    let text = reply.body.as_str().expect("text");
    let mut records = redmud_domain::csv::csv_records(text)
        .expect("RFC 4180 CSV")
        .into_iter()
        .map(|r| r.fields);
    let header = records.next().expect("header");
    let records = records.collect();
    (header, records)
}

async fn plan_reports(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let zunyi = app.login("zunyi").await;
    let province = app.login("province").await;
    let finance = app.login("finance").await;
    let auditor = app.login("auditor").await;
    let ids = [
        guiyang
            .post("/api/enterprises", enterprise("清镇氧化铝厂", "520100"))
            .await
            .expect(201)
            .id(),
        zunyi
            .post("/api/enterprises", enterprise("务川氧化铝厂", "520300"))
            .await
            .expect(201)
            .id(),
    ];
    let bureau = |i: usize| if i == 0 { &guiyang } else { &zunyi };
    let mut world = World::default();

    // Ledgers (generation for 产用挂钩).
    for (i, period, generated) in [
        (0usize, "2025-Q1", 600_000_000u64),
        (0, "2025-Q2", 500_000_000),
        (1, "2025-Q1", 100_000_000),
    ] {
        ok(
            bureau(i),
            &format!("/api/enterprises/{}/record-ledger", ids[i]),
            json!({ "period": period, "figures": ledger(generated) }),
        )
        .await;
        world.generated.insert((i, period), generated);
    }

    // Projects.
    let mut p1 = Proj {
        id: String::new(),
        name: "清镇赤泥建材与路基材料项目",
        status: "proposed",
        kind: "utilization_capacity",
        task: "utilization_scale",
        routes: vec!["cement", "road_base"],
        prefecture: "520100",
        planned: 200_000_000,
        commissioned: 0,
        budget: 10_000_000_000,
        lead: 0,
        matching: None,
        milestones: Vec::new(),
        awards: Vec::new(),
    };
    let mut p2 = Proj {
        name: "务川氧化铝改扩建项目",
        kind: "new_or_expanded_alumina",
        task: "industrial_synergy",
        routes: Vec::new(),
        prefecture: "520300",
        planned: 0,
        budget: 30_000_000_000,
        lead: 1,
        matching: Some((1_500_000_000, 1_000_000_000, 300_000_000)),
        ..p1.clone()
    };
    let mut p3 = Proj {
        name: "赤泥提钪产业化示范工程",
        kind: "industrialization_demonstration",
        task: "technology_innovation",
        routes: vec!["element_extraction"],
        planned: 100_000_000,
        budget: 5_000_000_000,
        ..p1.clone()
    };
    for p in [&mut p1, &mut p2, &mut p3] {
        let client = if p.prefecture == "520100" {
            &guiyang
        } else {
            &zunyi
        };
        p.id = client
            .post("/api/projects", proposal(p, &ids[p.lead]))
            .await
            .expect(201)
            .id();
    }
    let project = |p: &Proj, command: &str| format!("/api/projects/{}/{command}", p.id);
    ok(
        &province,
        &project(&p1, "approve-project"),
        json!({ "approved_on": "2025-02-20", "document": "黔发改环资〔2025〕7号" }),
    )
    .await;
    ok(
        &guiyang,
        &project(&p1, "start-construction"),
        json!({ "started_on": "2025-03-01" }),
    )
    .await;
    p1.status = "under_construction";
    for (n, which, planned) in [
        (1u64, 1, "2025-06-30"),
        (2, 1, "2025-09-30"),
        (3, 3, "2025-05-01"),
    ] {
        let p = if which == 1 { &mut p1 } else { &mut p3 };
        ok(
            &guiyang,
            &project(p, "plan-milestone"),
            json!({ "milestone_id": uid(n), "name": format!("里程碑{n}"), "planned_on": planned }),
        )
        .await;
        p.milestones.push((uid(n), planned, false));
    }
    ok(
        &guiyang,
        &project(&p1, "commission-capacity"),
        json!({ "capacity_per_year": 150_000_000u64, "commissioned_on": "2025-06-01" }),
    )
    .await;
    p1.status = "in_operation";
    p1.commissioned = 150_000_000;

    // Funding.
    let a1 = Award {
        id: uid(11),
        source: "central_budget_investment",
        programme: "资源节约和环境保护",
        year: 2025,
        amount: 2_400_000_000,
        disbursed: 0,
        recovered: 0,
    };
    ok(
        &finance,
        &project(&p1, "award-funding"),
        json!({ "award_id": a1.id, "source": a1.source, "programme": a1.programme, "amount": a1.amount,
            "tranches": [
                { "condition": { "on": "approval" }, "amount": 720_000_000u64 },
                { "condition": { "on": "accepted" }, "amount": 1_680_000_000u64 }
            ], "awarded_on": "2025-03-01" }),
    )
    .await;
    p1.awards.push(a1);
    ok(
        &finance,
        &project(&p1, "disburse-tranche"),
        json!({ "award_id": uid(11), "tranche": 1, "disbursed_on": "2025-03-10" }),
    )
    .await;
    p1.awards[0].disbursed = 720_000_000;
    let a2 = Award {
        id: uid(12),
        source: "provincial_special_funds",
        programme: "赤泥综合利用专项",
        year: 2026,
        amount: 500_000_000,
        disbursed: 0,
        recovered: 0,
    };
    ok(
        &finance,
        &project(&p2, "award-funding"),
        json!({ "award_id": a2.id, "source": a2.source, "programme": a2.programme, "amount": a2.amount,
            "tranches": [ { "condition": { "on": "approval" }, "amount": a2.amount } ],
            "awarded_on": "2026-01-05" }),
    )
    .await;
    p2.awards.push(a2);

    // Tax incentive claims.
    let claim = |n: u64, period: &str, claim: Value, on: &str| json!({ "claim_id": uid(n), "period": period, "claim": claim, "claimed_on": on });
    let enterprise_path =
        |i: usize, command: &str| format!("/api/enterprises/{}/{command}", ids[i]);
    ok(
        &finance,
        &enterprise_path(0, "claim-tax-incentive"),
        claim(21, "2025", json!({ "kind": "income_tax_reduction", "qualifying_income": 10_000_000u64, "reduction": 1_000_000u64 }), "2026-03-01"),
    )
    .await;
    ok(
        &finance,
        &enterprise_path(0, "claim-tax-incentive"),
        claim(22, "2025-Q1", json!({ "kind": "vat_immediate_refund", "vat_paid": 1_000u64, "refund_rate": 7000, "refund": 700u64 }), "2025-04-10"),
    )
    .await;
    ok(
        &finance,
        &enterprise_path(1, "claim-tax-incentive"),
        claim(23, "2025-Q2", json!({ "kind": "vat_immediate_refund", "vat_paid": 5_000u64, "refund_rate": 7000, "refund": 3_500u64 }), "2025-07-10"),
    )
    .await;
    ok(
        &finance,
        &enterprise_path(0, "approve-tax-incentive"),
        json!({ "claim_id": uid(21), "approved": 900_000u64, "decided_on": "2026-04-01" }),
    )
    .await;
    let position = ok(
        &finance,
        &enterprise_path(0, "reject-tax-incentive"),
        json!({ "claim_id": uid(22), "decided_on": "2025-05-01", "reason": "产品不在目录内" }),
    )
    .await;
    world.claims = vec![
        Claim {
            enterprise: 0,
            prefecture: "520100",
            kind: "income_tax_reduction",
            year: 2025,
            amount: 1_000_000,
            state: "approved",
            approved: 900_000,
            recovered: 0,
        },
        Claim {
            enterprise: 0,
            prefecture: "520100",
            kind: "vat_immediate_refund",
            year: 2025,
            amount: 700,
            state: "rejected",
            approved: 0,
            recovered: 0,
        },
        Claim {
            enterprise: 1,
            prefecture: "520300",
            kind: "vat_immediate_refund",
            year: 2025,
            amount: 3_500,
            state: "claimed",
            approved: 0,
            recovered: 0,
        },
    ];
    world.projects = vec![p1, p2, p3];
    let before = world.clone();

    // Changes recorded after `position`: a milestone achieved, a project approved, its award
    // disbursed, money recovered, a claim approved and another's money recovered, a ledger
    // corrected, a project cancelled.
    let [p1, p2, p3] = &mut world.projects[..] else {
        panic!("three projects")
    };
    ok(
        &guiyang,
        &project(p1, "achieve-milestone"),
        json!({ "milestone_id": uid(1), "achieved_on": "2025-07-01", "evidence": "中期检查报告" }),
    )
    .await;
    p1.milestones[0].2 = true;
    ok(
        &finance,
        &project(p1, "recover-funding"),
        json!({ "award_id": uid(11), "amount": 20_000_000u64, "recovered_on": "2025-08-01", "reason": "超范围使用" }),
    )
    .await;
    p1.awards[0].recovered = 20_000_000;
    ok(
        &province,
        &project(p2, "approve-project"),
        json!({ "approved_on": "2026-01-10", "document": "黔发改产业〔2026〕3号" }),
    )
    .await;
    p2.status = "approved";
    ok(
        &finance,
        &project(p2, "disburse-tranche"),
        json!({ "award_id": uid(12), "tranche": 1, "disbursed_on": "2026-01-20" }),
    )
    .await;
    p2.awards[0].disbursed = 500_000_000;
    ok(
        &province,
        &project(p3, "cancel-project"),
        json!({ "cancelled_on": "2025-07-01", "reason": "技术路线调整" }),
    )
    .await;
    p3.status = "cancelled";
    ok(
        &finance,
        &enterprise_path(0, "recover-tax-incentive"),
        json!({ "claim_id": uid(21), "amount": 100_000u64, "recovered_on": "2026-06-01", "reason": "追回" }),
    )
    .await;
    world.claims[0].recovered = 100_000;
    ok(
        &finance,
        &enterprise_path(1, "approve-tax-incentive"),
        json!({ "claim_id": uid(23), "approved": 3_000u64, "decided_on": "2025-08-01" }),
    )
    .await;
    world.claims[2].state = "approved";
    world.claims[2].approved = 3_000;
    ok(
        &guiyang,
        &enterprise_path(0, "correct-ledger"),
        json!({ "period": "2025-Q1", "figures": ledger(900_000_000), "reason": "补报" }),
    )
    .await;
    world.generated.insert((0, "2025-Q1"), 900_000_000);

    // Report 3, now and as of `position`.
    let on = "2025-07-15";
    let now = auditor
        .get(&format!("/api/reports/projects?on={on}"))
        .await
        .expect(200);
    check_projects(&now.body, &world, on);
    assert_eq!(now.body["as_of"], Value::Null);
    let then = auditor
        .get(&format!("/api/reports/projects?on={on}&as_of={position}"))
        .await
        .expect(200);
    assert_eq!(then.body["as_of"], position);
    check_projects(&then.body, &before, on);
    // Filters: one kind; one region.
    let filtered = auditor
        .get(&format!(
            "/api/reports/projects?on={on}&kind=new_or_expanded_alumina"
        ))
        .await
        .expect(200);
    assert_eq!(filtered.body["total"]["projects"], 1);
    let filtered = auditor
        .get(&format!("/api/reports/projects?on={on}&region=520300"))
        .await
        .expect(200);
    assert_eq!(filtered.body["total"]["budget"], 30_000_000_000u64);
    let (header, records) = csv_records(
        &auditor
            .get(&format!("/api/reports/projects?on={on}&format=csv"))
            .await
            .expect(200),
    );
    assert_eq!(header[..4], ["section", "key", "name", "projects"]);
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    let total = records.iter().find(|r| r[0] == "total").expect("total");
    assert_eq!(total[col("projects")], "3");
    assert_eq!(total[col("budget_fen")], "45000000000");
    assert_eq!(
        records
            .iter()
            .filter(|r| r[0] == "overdue_milestone")
            .count(),
        now.body["overdue_milestones"]
            .as_array()
            .expect("overdue")
            .len()
    );

    // Report 4.
    let now = auditor.get("/api/reports/funding").await.expect(200);
    check_funding(&now.body, &world);
    let then = auditor
        .get(&format!("/api/reports/funding?as_of={position}"))
        .await
        .expect(200);
    check_funding(&then.body, &before);
    let y2026 = auditor
        .get("/api/reports/funding?year=2026")
        .await
        .expect(200);
    assert_eq!(y2026.body["total"]["awards"], 1);
    assert_eq!(y2026.body["total"]["outstanding"], 0);
    let csv = auditor
        .send(
            reqwest::Method::GET,
            "/api/reports/funding",
            None,
            &[("accept", "text/csv")],
        )
        .await
        .expect(200);
    let (header, records) = csv_records(&csv);
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    let total = records.iter().find(|r| r[0] == "total").expect("total");
    assert_eq!(
        total[col("net_disbursed_fen")],
        (720_000_000u64 - 20_000_000 + 500_000_000).to_string()
    );

    // Report 5.
    let now = auditor.get("/api/reports/tax-incentives").await.expect(200);
    check_tax(&now.body, &world, &ids);
    let then = auditor
        .get(&format!("/api/reports/tax-incentives?as_of={position}"))
        .await
        .expect(200);
    check_tax(&then.body, &before, &ids);
    let vat = auditor
        .get("/api/reports/tax-incentives?kind=vat_immediate_refund&region=520300&year=2025")
        .await
        .expect(200);
    assert_eq!(vat.body["total"]["claims"], 1);
    assert_eq!(vat.body["total"]["approved"], 3_000);
    let (header, records) = csv_records(
        &auditor
            .get("/api/reports/tax-incentives?format=csv")
            .await
            .expect(200),
    );
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    let total = records.iter().find(|r| r[0] == "total").expect("total");
    assert_eq!(
        total[col("net_fen")],
        (900_000u64 - 100_000 + 3_000).to_string()
    );

    // Report 7.
    let now = auditor
        .get("/api/reports/matching?year=2025")
        .await
        .expect(200);
    check_matching(&now.body, &world, &ids, 2025);
    let then = auditor
        .get(&format!("/api/reports/matching?year=2025&as_of={position}"))
        .await
        .expect(200);
    check_matching(&then.body, &before, &ids, 2025);
    assert_eq!(now.body["year"], 2025);
    let (header, records) = csv_records(
        &auditor
            .get("/api/reports/matching?format=csv")
            .await
            .expect(200),
    );
    assert_eq!(header[0], "section");
    assert_eq!(records.iter().filter(|r| r[0] == "refinery").count(), 2);
    assert_eq!(
        records.iter().filter(|r| r[0] == "project_lacking").count(),
        1
    );

    // Refusals.
    for path in [
        "/api/reports/projects?kind=rocket",
        "/api/reports/funding?source=lottery",
        "/api/reports/tax-incentives?kind=none",
        "/api/reports/matching?colour=red",
    ] {
        assert_eq!(auditor.get(path).await.expect(400).problem(), "bad_query");
    }
    app.anonymous()
        .get("/api/reports/projects")
        .await
        .expect(401);
    app.stop().await;
}

crate::on_both!(plan_reports);
