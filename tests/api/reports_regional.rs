//! Reports 6 (bases and designations) and 8 (regional reports frozen against today), as of now
//! and as of a moment before later changes, JSON and CSV; expected figures computed here from
//! the commands sent.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::common::Engine;
use crate::harness::{TestApp, enterprise};
use crate::reports_plan::{Sums, add, check_breakdown, csv_records, ledger, ok};

/// A base as sent: (kind, level, status, member indexes, targets by year).
type SentBase = (
    &'static str,
    &'static str,
    &'static str,
    Vec<usize>,
    Vec<(u16, u64)>,
);

/// What the test has sent, as the system should see it.
#[derive(Clone, Debug, Default)]
struct World {
    /// (enterprise index, period) → generated (utilized = generated / 10)
    generated: BTreeMap<(usize, &'static str), u64>,
    /// base name → (kind, level, status, members, targets by year)
    bases: BTreeMap<&'static str, SentBase>,
    /// (designation, year) → (granted, revoked)
    designations: BTreeMap<(&'static str, u16), (u64, u64)>,
}

fn check_bases(body: &Value, world: &World) {
    // Kind and level lines.
    let mut want = Sums::new();
    let mut total = vec![0u64; 4];
    for (kind, level, status, members, _) in world.bases.values() {
        let m = [
            1,
            u64::from(*status == "designated"),
            u64::from(*status == "revoked"),
            members.len() as u64,
        ];
        add(&mut want, "kind", kind, &m);
        add(&mut want, "level", level, &m);
        for (t, v) in total.iter_mut().zip(m) {
            *t += v;
        }
    }
    check_breakdown(
        body,
        &want,
        &total,
        &["bases", "designated", "revoked", "members"],
    );
    // Each base: members and targets against actuals.
    let bases = body["bases"].as_array().expect("bases");
    assert_eq!(bases.len(), world.bases.len());
    for b in bases {
        let (_, _, status, members, targets) = &world.bases[b["name"].as_str().expect("name")];
        assert_eq!(b["status"], *status);
        assert_eq!(
            b["members"].as_array().expect("members").len(),
            members.len()
        );
        let years = b["years"].as_array().expect("years");
        assert_eq!(years.len(), targets.len());
        for (y, (year, target)) in years.iter().zip(targets) {
            let actual: u64 = world
                .generated
                .iter()
                .filter(|((e, period), _)| {
                    members.contains(e) && period.starts_with(&year.to_string())
                })
                .map(|(_, g)| g / 10)
                .sum();
            assert_eq!(y["year"], *year);
            assert_eq!(y["target_red_mud_utilized"].as_u64(), Some(*target));
            assert_eq!(y["actual_red_mud_utilized"].as_u64(), Some(actual));
            assert_eq!(y["gap"].as_i64(), Some(*target as i64 - actual as i64));
            assert_eq!(y["met"], actual >= *target);
        }
    }
    // Designations by kind and year.
    let got: BTreeMap<(String, u64), (u64, u64)> = body["designations"]
        .as_array()
        .expect("designations")
        .iter()
        .map(|d| {
            (
                (
                    d["designation"].as_str().expect("kind").to_owned(),
                    d["year"].as_u64().expect("year"),
                ),
                (
                    d["granted"].as_u64().expect("granted"),
                    d["revoked"].as_u64().expect("revoked"),
                ),
            )
        })
        .collect();
    let want: BTreeMap<(String, u64), (u64, u64)> = world
        .designations
        .iter()
        .map(|((k, y), v)| (((*k).to_owned(), u64::from(*y)), *v))
        .collect();
    assert_eq!(got, want);
}

async fn bases_and_regional(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let zunyi = app.login("zunyi").await;
    let province = app.login("province").await;
    let auditor = app.login("auditor").await;
    let mut ids = Vec::new();
    for (name, region) in [
        ("清镇氧化铝厂", "520100"),
        ("修文赤泥建材", "520100"),
        ("务川氧化铝厂", "520300"),
    ] {
        let client = if region == "520100" { &guiyang } else { &zunyi };
        ids.push(
            client
                .post("/api/enterprises", enterprise(name, region))
                .await
                .expect(201)
                .id(),
        );
    }
    let mut world = World::default();
    let record = |i: usize, period: &'static str, generated: u64| {
        let (client, id) = (if i < 2 { &guiyang } else { &zunyi }, ids[i].clone());
        async move {
            ok(
                client,
                &format!("/api/enterprises/{id}/record-ledger"),
                json!({ "period": period, "figures": ledger(generated) }),
            )
            .await
        }
    };
    for (i, period, generated) in [
        (0usize, "2025-Q1", 600_000_000u64),
        (0, "2025-Q2", 500_000_000),
        (2, "2025-Q1", 200_000_000),
    ] {
        record(i, period, generated).await;
        world.generated.insert((i, period), generated);
    }

    // Bases.
    let mut base_ids = Vec::new();
    for (name, kind, level, region, members, target) in [
        (
            "清镇赤泥综合利用特色园区",
            "red_mud_characteristic_park",
            "provincial",
            "520181",
            vec![0usize, 1],
            Some(100_000_000u64),
        ),
        (
            "务川无废园区",
            "zero_waste_park",
            "national",
            "520326",
            vec![2],
            None,
        ),
    ] {
        let id = province
            .post(
                "/api/bases",
                json!({ "name": name, "kind": kind, "level": level, "region": region,
                    "designated_on": "2025-02-01", "document": "黔工信〔2025〕9号" }),
            )
            .await
            .expect(201)
            .id();
        for m in &members {
            ok(
                &province,
                &format!("/api/bases/{id}/add-member"),
                json!({ "enterprise_id": ids[*m], "added_on": "2025-03-01" }),
            )
            .await;
        }
        let mut targets = Vec::new();
        if let Some(t) = target {
            ok(
                &province,
                &format!("/api/bases/{id}/set-year-targets"),
                json!({ "year": 2025, "set_on": "2025-02-10", "targets": {
                    "red_mud_utilized": t, "phosphogypsum_co_utilized": 0,
                    "desulfurization_gypsum_co_utilized": 0, "fly_ash_co_utilized": 0 } }),
            )
            .await;
            targets.push((2025u16, t));
        }
        world
            .bases
            .insert(name, (kind, level, "designated", members, targets));
        base_ids.push(id);
    }

    // Designations.
    let grant = |i: usize, designation: &'static str, on: &'static str| {
        let id = ids[i].clone();
        let province = &province;
        async move {
            ok(
                province,
                &format!("/api/enterprises/{id}/grant-designation"),
                json!({ "designation": designation, "granted_on": on, "document": "工信部节函〔2025〕1号", "valid_until": null }),
            )
            .await
        }
    };
    grant(0, "green_factory", "2025-03-01").await;
    grant(2, "specialized_sme", "2025-04-01").await;
    world.designations.insert(("green_factory", 2025), (1, 0));
    world.designations.insert(("specialized_sme", 2025), (1, 0));

    // Regional plan for Guiyang, its 2025-Q1 report submitted (figures frozen by the server).
    let plan = province
        .post(
            "/api/regional-plans",
            json!({ "region": "520100", "year": 2025, "set_on": "2025-01-15", "targets": {
                "red_mud_to_utilize": 1_000_000_000u64, "new_utilization_rate": 1500,
                "new_capacity_per_year": 0, "demonstration_projects": 0 } }),
        )
        .await
        .expect(201)
        .id();
    let submitted_at = ok(
        &guiyang,
        &format!("/api/regional-plans/{plan}/submit-report"),
        json!({ "period": "2025-Q1", "summary": "一季度报送", "submitted_on": "2025-04-10" }),
    )
    .await;
    let position = submitted_at;
    let before = world.clone();

    // After `position`: a correction of a frozen ledger and a late ledger in Guiyang, a base
    // revoked, designations revoked and granted.
    ok(
        &guiyang,
        &format!("/api/enterprises/{}/correct-ledger", ids[0]),
        json!({ "period": "2025-Q1", "figures": ledger(900_000_000), "reason": "补报磅单" }),
    )
    .await;
    world.generated.insert((0, "2025-Q1"), 900_000_000);
    record(1, "2025-Q1", 40_000_000).await;
    world.generated.insert((1, "2025-Q1"), 40_000_000);
    ok(
        &province,
        &format!("/api/bases/{}/revoke-base", base_ids[1]),
        json!({ "revoked_on": "2025-09-01", "reason": "评估不合格" }),
    )
    .await;
    if let Some(b) = world.bases.get_mut("务川无废园区") {
        b.2 = "revoked";
    }
    ok(
        &province,
        &format!("/api/enterprises/{}/revoke-designation", ids[0]),
        json!({ "designation": "green_factory", "revoked_on": "2026-01-10", "reason": "复核不合格" }),
    )
    .await;
    world.designations.insert(("green_factory", 2026), (0, 1));
    grant(1, "little_giant", "2025-11-01").await;
    world.designations.insert(("little_giant", 2025), (1, 0));

    // Report 6.
    let now = auditor.get("/api/reports/bases").await.expect(200);
    check_bases(&now.body, &world);
    let then = auditor
        .get(&format!("/api/reports/bases?as_of={position}"))
        .await
        .expect(200);
    assert_eq!(then.body["as_of"], position);
    check_bases(&then.body, &before);
    let y2026 = auditor
        .get("/api/reports/bases?year=2026&region=520100")
        .await
        .expect(200);
    assert_eq!(
        y2026.body["designations"],
        json!([{ "designation": "green_factory", "name": "绿色工厂", "year": 2026, "granted": 0, "revoked": 1 }])
    );
    assert_eq!(y2026.body["total"]["bases"], 1);
    let (header, records) = csv_records(
        &auditor
            .get("/api/reports/bases?format=csv")
            .await
            .expect(200),
    );
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    let park = records
        .iter()
        .find(|r| r[0] == "base" && r[col("name")] == "清镇赤泥综合利用特色园区")
        .expect("park");
    let actual = (900_000_000u64 + 500_000_000 + 40_000_000) / 10;
    assert_eq!(park[col("actual_red_mud_utilized_kg")], actual.to_string());
    assert_eq!(records.iter().filter(|r| r[0] == "designation").count(), 4);

    // Report 8: frozen (E0's original Q1) against today (corrected, plus E1's late ledger).
    let frozen_generated = before.generated[&(0, "2025-Q1")];
    let today_generated = world.generated[&(0, "2025-Q1")] + world.generated[&(1, "2025-Q1")];
    let now = auditor.get("/api/reports/regional").await.expect(200);
    let lines = now.body["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 1, "{:#}", now.body);
    let line = &lines[0];
    assert_eq!(line["period"], "2025-Q1");
    assert_eq!(line["region"], "520100");
    assert_eq!(line["submitted_at"], submitted_at);
    assert_eq!(line["status"], "submitted");
    assert_eq!(line["frozen"]["ledger"]["generated"], frozen_generated);
    assert_eq!(line["frozen"]["enterprises_reporting"], 1);
    assert_eq!(line["today"]["ledger"]["generated"], today_generated);
    assert_eq!(line["today"]["enterprises_reporting"], 2);
    assert_eq!(line["changed"], true);
    let diff = |figure: &str| {
        line["differences"]
            .as_array()
            .expect("differences")
            .iter()
            .find(|d| d["figure"] == figure)
            .expect("figure")
            .clone()
    };
    assert_eq!(
        diff("generated")["difference"].as_i64(),
        Some(today_generated as i64 - frozen_generated as i64)
    );
    assert_eq!(
        diff("utilized")["difference"].as_i64(),
        Some((today_generated / 10) as i64 - (frozen_generated / 10) as i64)
    );
    assert_eq!(diff("enterprises_reporting")["difference"], 1);
    let changes = line["changes"].as_array().expect("changes");
    let summary: Vec<(&str, &str, &str)> = changes
        .iter()
        .map(|c| {
            (
                c["event_type"].as_str().expect("type"),
                c["actor_role"].as_str().expect("role"),
                c["enterprise"].as_str().expect("enterprise"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("LedgerCorrected", "bureau", "清镇氧化铝厂"),
            ("LedgerRecorded", "bureau", "修文赤泥建材")
        ]
    );
    assert_eq!(changes[0]["reason"], "补报磅单");
    assert!(changes[0]["position"].as_u64() > Some(submitted_at));
    // As of the submission: today's figures are the frozen ones, nothing changed since.
    let then = auditor
        .get(&format!("/api/reports/regional?as_of={position}"))
        .await
        .expect(200);
    let line = &then.body["lines"][0];
    assert_eq!(line["today"], line["frozen"]);
    assert_eq!(line["changed"], false);
    assert_eq!(line["changes"], json!([]));
    // Filters and CSV.
    let none = auditor
        .get("/api/reports/regional?region=520300")
        .await
        .expect(200);
    assert_eq!(none.body["lines"], json!([]));
    let (header, records) = csv_records(
        &auditor
            .get("/api/reports/regional?period=2025-Q1&format=csv")
            .await
            .expect(200),
    );
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    let generated = records
        .iter()
        .find(|r| r[0] == "figure" && r[col("figure")] == "generated")
        .expect("generated");
    assert_eq!(generated[col("frozen")], frozen_generated.to_string());
    assert_eq!(generated[col("today")], today_generated.to_string());
    assert_eq!(records.iter().filter(|r| r[0] == "change").count(), 2);

    // Returned and submitted again: the report shows the resubmission (frozen = today, nothing
    // since); with submissions=all also the returned first submission with its own figures and
    // the ledger events since it.
    ok(
        &province,
        &format!("/api/regional-plans/{plan}/return-report"),
        json!({ "period": "2025-Q1", "returned_on": "2025-12-01", "reason": "请核实更正后的数据" }),
    )
    .await;
    let resubmitted_at = ok(
        &guiyang,
        &format!("/api/regional-plans/{plan}/submit-report"),
        json!({ "period": "2025-Q1", "summary": "更正后重新报送", "submitted_on": "2025-12-05" }),
    )
    .await;
    let latest = auditor.get("/api/reports/regional").await.expect(200);
    let lines = latest.body["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["submission"], 2);
    assert_eq!(lines[0]["status"], "submitted");
    assert_eq!(lines[0]["submitted_at"], resubmitted_at);
    assert_eq!(lines[0]["frozen"]["ledger"]["generated"], today_generated);
    assert_eq!(lines[0]["changed"], false);
    let every = auditor
        .get("/api/reports/regional?submissions=all")
        .await
        .expect(200);
    let lines = every.body["lines"].as_array().expect("lines");
    let shown: Vec<(u64, &str, u64)> = lines
        .iter()
        .map(|l| {
            (
                l["submission"].as_u64().expect("number"),
                l["status"].as_str().expect("status"),
                l["frozen"]["ledger"]["generated"].as_u64().expect("frozen"),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (1, "returned", frozen_generated),
            (2, "submitted", today_generated)
        ]
    );
    assert_eq!(lines[0]["submitted_at"], submitted_at);
    assert_eq!(lines[0]["changes"].as_array().map(Vec::len), Some(2));
    assert_eq!(lines[1]["changes"], json!([]));
    for path in [
        "/api/reports/bases?kind=castle",
        "/api/reports/regional?period=2025-Q5",
        "/api/reports/regional?submissions=some",
    ] {
        assert_eq!(auditor.get(path).await.expect(400).status.as_u16(), 400);
    }
    app.anonymous()
        .get("/api/reports/regional")
        .await
        .expect(401);
    app.stop().await;
}

crate::on_both!(bases_and_regional);
