//! Reports: the red mud balance, as of now and as of a moment before a correction, JSON and
//! CSV, with every expected figure computed here from the commands sent.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::common::Engine;
use crate::harness::{TestApp, figures, register};

/// What the test sent for one ledger: (enterprise index, prefecture, period, figures).
#[derive(Clone)]
struct Sent {
    enterprise: usize,
    prefecture: &'static str,
    period: &'static str,
    figures: Value,
}

fn n(v: &Value, path: &[&str]) -> u64 {
    let mut v = v;
    for p in path {
        v = &v[*p];
    }
    v.as_u64().unwrap_or(0)
}

/// Expected sums per (quarter, prefecture) and per quarter for the province, computed from the
/// figures sent: (generated, utilized from new, utilized from stock, disposed, stored).
fn expected(sent: &[Sent]) -> BTreeMap<(String, String), [u64; 5]> {
    let mut out: BTreeMap<(String, String), [u64; 5]> = BTreeMap::new();
    for s in sent {
        let f = &s.figures;
        let add = [
            n(f, &["generated"]),
            n(f, &["utilized_from_new", "cement"]) + n(f, &["utilized_from_new", "mine_backfill"]),
            n(f, &["utilized_from_stock", "road_base"]),
            n(f, &["disposed_from_new"]),
            n(f, &["stored_new"]),
        ];
        for region in [s.prefecture, "520000"] {
            let e = out
                .entry((s.period.to_owned(), region.to_owned()))
                .or_default();
            for i in 0..5 {
                e[i] += add[i];
            }
        }
    }
    out
}

/// Stock at the end of `period` for the enterprises in `region` ("520000": all).
fn stock_end(sent: &[Sent], baselines: &[(usize, &str, u64)], region: &str, period: &str) -> u64 {
    let inside = |prefecture: &str| region == "520000" || region == prefecture;
    let mut stock: i128 = baselines
        .iter()
        .filter(|b| inside(b.1))
        .map(|b| i128::from(b.2))
        .sum();
    for s in sent
        .iter()
        .filter(|s| inside(s.prefecture) && s.period <= period)
    {
        stock += i128::from(n(&s.figures, &["stored_new"]));
        stock -= i128::from(n(&s.figures, &["utilized_from_stock", "road_base"]));
    }
    u64::try_from(stock).expect("non-negative")
}

fn check_lines(report: &Value, sent: &[Sent], baselines: &[(usize, &str, u64)]) {
    let want = expected(sent);
    let lines = report["lines"].as_array().expect("lines");
    assert_eq!(
        lines.len(),
        want.len(),
        "one line per (period, region): {report:#}"
    );
    for line in lines {
        let key = (
            line["period"].as_str().expect("period").to_owned(),
            line["region"].as_str().expect("region").to_owned(),
        );
        let [generated, from_new, from_stock, disposed, stored] = want[&key];
        assert_eq!(n(line, &["figures", "generated"]), generated, "{key:?}");
        assert_eq!(n(line, &["utilized_from_new_total"]), from_new, "{key:?}");
        assert_eq!(
            n(line, &["utilized_from_stock_total"]),
            from_stock,
            "{key:?}"
        );
        assert_eq!(
            n(line, &["utilized_total"]),
            from_new + from_stock,
            "{key:?}"
        );
        assert_eq!(n(line, &["disposed_total"]), disposed, "{key:?}");
        assert_eq!(n(line, &["figures", "stored_new"]), stored, "{key:?}");
        assert_eq!(
            n(line, &["stock_end"]),
            stock_end(sent, baselines, &key.1, &key.0),
            "{key:?}"
        );
        // Rates: exact fractions, compared by cross-multiplication.
        let rate = &line["new_rate"];
        assert_eq!(
            u128::from(n(rate, &["numerator"])) * u128::from(generated),
            u128::from(from_new) * u128::from(n(rate, &["denominator"])),
            "{key:?} new rate"
        );
        let stat = &line["statistical_rate"];
        assert_eq!(
            u128::from(n(stat, &["numerator"])) * u128::from(generated + from_stock),
            u128::from(from_new + from_stock) * u128::from(n(stat, &["denominator"])),
            "{key:?} statistical rate"
        );
        assert_eq!(line["rate"], line["new_rate"], "the default formula is new");
    }
}

async fn balance(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let zunyi = app.login("zunyi").await;
    let auditor = app.login("auditor").await;
    let ids = [
        register(&guiyang, "清镇氧化铝厂", "520100").await,
        register(&guiyang, "修文氧化铝厂", "520100").await,
        register(&zunyi, "务川氧化铝厂", "520300").await,
    ];
    let clients = [&guiyang, &guiyang, &zunyi];
    let baselines = [
        (0usize, "520100", 3_750_000_000u64),
        (2, "520300", 1_000_000_000),
    ];
    for (i, _, stock) in baselines {
        clients[i]
            .post(
                &format!("/api/enterprises/{}/declare-stock-baseline", ids[i]),
                json!({ "as_of": "2024-12-31", "stock": stock }),
            )
            .await
            .expect(200);
    }
    let mut sent = vec![
        Sent {
            enterprise: 0,
            prefecture: "520100",
            period: "2025-Q1",
            figures: figures(900_000_000, 80_000_000, 20_000_000, 5_000_000, 10_000_000),
        },
        Sent {
            enterprise: 0,
            prefecture: "520100",
            period: "2025-Q2",
            figures: figures(950_000_000, 120_000_000, 0, 0, 30_000_000),
        },
        Sent {
            enterprise: 1,
            prefecture: "520100",
            period: "2025-Q1",
            figures: figures(400_000_000, 10_000_000, 5_000_000, 0, 0),
        },
        Sent {
            enterprise: 2,
            prefecture: "520300",
            period: "2025-Q1",
            figures: figures(300_000_000, 45_000_000, 15_000_000, 1_000, 2_000_000),
        },
        Sent {
            enterprise: 2,
            prefecture: "520300",
            period: "2025-Q2",
            figures: figures(310_000_000, 50_000_000, 0, 0, 0),
        },
    ];
    let mut position = 0;
    for s in &sent {
        let reply = clients[s.enterprise]
            .post(
                &format!("/api/enterprises/{}/record-ledger", ids[s.enterprise]),
                json!({ "period": s.period, "figures": s.figures }),
            )
            .await
            .expect(200);
        position = reply.body["valid_from"].as_u64().expect("position");
    }
    let before = sent.clone();

    // A Q1 figure corrected later (recorded after `position`).
    sent[0].figures = figures(900_000_000, 150_000_000, 20_000_000, 5_000_000, 10_000_000);
    guiyang
        .post(
            &format!("/api/enterprises/{}/correct-ledger", ids[0]),
            json!({ "period": "2025-Q1", "figures": sent[0].figures, "reason": "水泥厂补报磅单" }),
        )
        .await
        .expect(200);

    // Now: the corrected Q1 counts in Q1.
    let now = auditor
        .get("/api/reports/balance?year=2025")
        .await
        .expect(200);
    check_lines(&now.body, &sent, &baselines);
    let q1_guiyang = now.body["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["period"] == "2025-Q1" && l["region"] == "520100")
        .expect("Q1 Guiyang")
        .clone();
    assert_eq!(q1_guiyang["corrected_entries"], 1);
    assert_eq!(q1_guiyang["entries"], 2);
    assert_eq!(q1_guiyang["region_name"], "贵阳市");

    // As of the moment before the correction: the original figures.
    let then = auditor
        .get(&format!("/api/reports/balance?year=2025&as_of={position}"))
        .await
        .expect(200);
    assert_eq!(then.body["as_of"], position);
    check_lines(&then.body, &before, &baselines);

    // Per enterprise, one region, one year line.
    let per = auditor
        .get("/api/reports/balance?by=enterprise&region=520300&granularity=year")
        .await
        .expect(200);
    let lines = per.body["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["enterprise_id"], ids[2].as_str());
    assert_eq!(lines[0]["period"], "2025");
    let generated: u64 = sent[3..]
        .iter()
        .map(|s| n(&s.figures, &["generated"]))
        .sum();
    assert_eq!(n(&lines[0], &["figures", "generated"]), generated);
    assert_eq!(
        n(&lines[0], &["stock_end"]),
        stock_end(&sent, &baselines, "520300", "2025-Q2")
    );

    // The statistical formula on request.
    let stat = auditor
        .get("/api/reports/balance?formula=statistical&from=2025-Q2&to=2025-Q2")
        .await
        .expect(200);
    assert_eq!(stat.body["formula"], "statistical");
    for line in stat.body["lines"].as_array().expect("lines") {
        assert_eq!(line["period"], "2025-Q2");
        assert_eq!(line["rate"], line["statistical_rate"]);
    }

    // CSV by query and by Accept: the same figures.
    let csv = auditor
        .get("/api/reports/balance?year=2025&format=csv")
        .await
        .expect(200);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/csv")
    );
    let text = csv
        .body
        .as_str()
        .expect("text")
        .trim_start_matches('\u{feff}');
    let mut rows = text.split("\r\n").filter(|l| !l.is_empty());
    let header: Vec<&str> = rows.next().expect("header").split(',').collect();
    assert_eq!(&header[..3], ["period", "region", "region_name"]);
    let col = |name: &str| header.iter().position(|h| *h == name).expect("column");
    let records: Vec<Vec<&str>> = rows.map(|r| r.split(',').collect()).collect();
    let want = expected(&sent);
    assert_eq!(records.len(), want.len());
    for r in &records {
        let key = (r[0].to_owned(), r[1].to_owned());
        assert_eq!(r[col("generated_kg")], want[&key][0].to_string());
        assert_eq!(r[col("utilized_from_new_kg")], want[&key][1].to_string());
        assert_eq!(
            r[col("stock_end_kg")],
            stock_end(&sent, &baselines, &key.1, &key.0).to_string()
        );
    }
    let by_accept = auditor
        .send(
            reqwest::Method::GET,
            &format!("/api/reports/balance?year=2025&as_of={position}"),
            None,
            &[("accept", "text/csv")],
        )
        .await
        .expect(200);
    let text = by_accept.body.as_str().expect("text");
    let q1_total_then = expected(&before)[&("2025-Q1".to_owned(), "520000".to_owned())][1];
    assert!(text.contains("2025-Q1,520000,贵州省,,,3,0,"), "{text}");
    assert!(text.contains(&format!(",{q1_total_then},")), "{text}");

    // Refusals: bad query values are 400 problems; a token is required.
    assert_eq!(
        auditor
            .get("/api/reports/balance?granularity=week")
            .await
            .expect(400)
            .problem(),
        "bad_query"
    );
    assert_eq!(
        auditor
            .get("/api/reports/balance?year=2025&from=2025-Q1")
            .await
            .expect(400)
            .problem(),
        "bad_query"
    );
    assert_eq!(
        auditor
            .get("/api/reports/balance?region=110000")
            .await
            .expect(400)
            .problem(),
        "bad_region"
    );
    app.anonymous()
        .get("/api/reports/balance")
        .await
        .expect(401);
    app.stop().await;
}

async fn targets(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let zunyi = app.login("zunyi").await;
    let province = app.login("province").await;
    let auditor = app.login("auditor").await;
    let target: u64 = 500_000_000;
    province
        .post(
            "/api/regional-plans",
            json!({ "region": "520100", "year": 2025, "set_on": "2025-01-15", "targets": {
                "red_mud_to_utilize": target, "new_utilization_rate": 1500,
                "new_capacity_per_year": 1_000_000_000, "demonstration_projects": 2 } }),
        )
        .await
        .expect(201);
    let a = register(&guiyang, "清镇氧化铝厂", "520100").await;
    let b = register(&zunyi, "务川氧化铝厂", "520300").await;
    // Capacity and demonstration projects: Guiyang's utilization project commissioned in 2025
    // and its demonstration project commissioned and accepted in 2025 count; Zunyi's project and
    // a commissioning in 2026 do not.
    let (capacity_1, capacity_2) = (150_000_000u64, 20_000_000u64);
    let capacity_project = |name: &str, kind: &str, region: &str, lead: &str| {
        json!({
            "proposal": {
                "name": name, "kind": kind, "task": "utilization_scale",
                "lead_enterprise_id": lead, "region": region, "routes": ["cement"],
                "planned_capacity_per_year": 200_000_000u64, "budget": 100_000_000u64,
                "responsible_units": ["省工业和信息化厅"],
                "planned_start": "2025-03-01", "planned_end": "2026-12-31"
            },
            "proposed_on": "2025-02-01"
        })
    };
    let mut built = Vec::new();
    for (name, kind, region, client, commissioned_on, capacity) in [
        (
            "赤泥水泥生产线",
            "utilization_capacity",
            "520100",
            &guiyang,
            "2025-06-01",
            capacity_1,
        ),
        (
            "赤泥综合利用示范",
            "industrialization_demonstration",
            "520181",
            &guiyang,
            "2025-05-01",
            capacity_2,
        ),
        (
            "务川赤泥建材",
            "utilization_capacity",
            "520300",
            &zunyi,
            "2025-06-01",
            70_000_000,
        ),
        (
            "明年投产线",
            "utilization_capacity",
            "520100",
            &guiyang,
            "2026-01-10",
            30_000_000,
        ),
    ] {
        let lead = if region == "520300" { &b } else { &a };
        let id = client
            .post("/api/projects", capacity_project(name, kind, region, lead))
            .await
            .expect(201)
            .id();
        let path = |command: &str| format!("/api/projects/{id}/{command}");
        province
            .post(
                &path("approve-project"),
                json!({ "approved_on": "2025-02-20", "document": "批复" }),
            )
            .await
            .expect(200);
        client
            .post(
                &path("start-construction"),
                json!({ "started_on": "2025-03-01" }),
            )
            .await
            .expect(200);
        client
            .post(
                &path("commission-capacity"),
                json!({ "capacity_per_year": capacity, "commissioned_on": commissioned_on }),
            )
            .await
            .expect(200);
        built.push(id);
    }
    let before_acceptance = province
        .post(
            &format!("/api/projects/{}/accept-project", built[1]),
            json!({ "accepted_on": "2025-09-01", "document": "验收意见" }),
        )
        .await
        .expect(200)
        .body["valid_from"]
        .as_u64()
        .expect("position")
        - 1;

    let mut sent = vec![
        (
            a.clone(),
            "2025-Q1",
            figures(900_000_000, 100_000_000, 20_000_000, 0, 0),
        ),
        (
            a.clone(),
            "2025-Q2",
            figures(800_000_000, 90_000_000, 0, 0, 0),
        ),
        (
            b.clone(),
            "2025-Q1",
            figures(300_000_000, 60_000_000, 0, 0, 0),
        ),
    ];
    let mut position = 0;
    for (id, period, f) in &sent {
        let client = if *id == a { &guiyang } else { &zunyi };
        position = client
            .post(
                &format!("/api/enterprises/{id}/record-ledger"),
                json!({ "period": period, "figures": f }),
            )
            .await
            .expect(200)
            .body["valid_from"]
            .as_u64()
            .expect("position");
    }
    let before = sent.clone();
    sent[0].2 = figures(900_000_000, 300_000_000, 20_000_000, 0, 0);
    guiyang
        .post(
            &format!("/api/enterprises/{a}/correct-ledger"),
            json!({ "period": "2025-Q1", "figures": sent[0].2, "reason": "补报" }),
        )
        .await
        .expect(200);

    let check = |body: &Value, sent: &[(String, &str, Value)]| {
        let guiyang: Vec<&Value> = sent.iter().filter(|s| s.0 == a).map(|s| &s.2).collect();
        let from_new = |f: &Value| {
            n(f, &["utilized_from_new", "cement"]) + n(f, &["utilized_from_new", "mine_backfill"])
        };
        let actual: u64 = guiyang
            .iter()
            .map(|f| from_new(f) + n(f, &["utilized_from_stock", "road_base"]))
            .sum();
        let generated: u64 = guiyang.iter().map(|f| n(f, &["generated"])).sum();
        let used_new: u64 = guiyang.iter().map(|f| from_new(f)).sum();
        let line = &body["lines"][0];
        assert_eq!(body["lines"].as_array().expect("lines").len(), 1);
        assert_eq!(line["region"], "520100");
        assert_eq!(n(line, &["actual_utilized"]), actual);
        assert_eq!(line["gap"].as_i64(), Some(target as i64 - actual as i64));
        assert_eq!(line["elapsed_months"], 6);
        assert_eq!(n(line, &["expected_to_date"]), target / 2);
        assert_eq!(line["on_pace"], actual >= target / 2);
        assert_eq!(line["rate_met"], used_new * 10_000 >= 1_500 * generated);
        assert_eq!(n(line, &["target_capacity_per_year"]), 1_000_000_000);
        assert_eq!(
            n(line, &["actual_capacity_per_year"]),
            capacity_1 + capacity_2
        );
        assert_eq!(line["capacity_met"], false);
        assert_eq!(line["target_demonstration_projects"], 2);
        let y2025 = body["province"]
            .as_array()
            .expect("province")
            .iter()
            .find(|g| g["year"] == 2025)
            .expect("2025");
        let all: u64 = sent.iter().map(|s| n(&s.2, &["generated"])).sum();
        assert_eq!(n(y2025, &["generated"]), all);
        assert_eq!(y2025["working_toward"], json!([2027, 1500]));
        assert_eq!(y2025["required_bp"], Value::Null);
    };
    let now = auditor
        .get("/api/reports/targets?year=2025&on=2025-07-15")
        .await
        .expect(200);
    check(&now.body, &sent);
    assert_eq!(now.body["lines"][0]["on_pace"], true);
    assert_eq!(now.body["lines"][0]["actual_demonstration_projects"], 1);
    assert_eq!(now.body["lines"][0]["demonstrations_met"], false);
    let unaccepted = auditor
        .get(&format!(
            "/api/reports/targets?year=2025&on=2025-07-15&as_of={before_acceptance}"
        ))
        .await
        .expect(200);
    assert_eq!(
        unaccepted.body["lines"][0]["actual_demonstration_projects"],
        0
    );
    assert_eq!(
        n(&unaccepted.body["lines"][0], &["actual_capacity_per_year"]),
        capacity_1 + capacity_2
    );
    let then = auditor
        .get(&format!(
            "/api/reports/targets?year=2025&on=2025-07-15&as_of={position}"
        ))
        .await
        .expect(200);
    check(&then.body, &before);
    assert_eq!(then.body["lines"][0]["on_pace"], false);
    let csv = auditor
        .get("/api/reports/targets?year=2025&on=2025-07-15&format=csv")
        .await
        .expect(200);
    let text = csv.body.as_str().expect("csv");
    assert!(
        text.starts_with("\u{feff}kind,region,region_name,year,"),
        "{text}"
    );
    assert!(
        text.contains("\r\nplan,520100,贵阳市,2025,1,500000000,"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            ",1000000000,{},false,2,1,false\r\n",
            capacity_1 + capacity_2
        )),
        "{text}"
    );
    assert!(
        text.contains("\r\nprovince_goal,520000,贵州省,2025,"),
        "{text}"
    );
    app.stop().await;
}

crate::on_both!(balance, targets);
