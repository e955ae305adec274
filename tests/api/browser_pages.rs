//! The bases, regional plans, reports and audit pages (issue 6) in a real headless Chromium,
//! against the demo server — with `browser.rs`'s `Browser`, `sign_in`, `demo_app`.

use serde_json::{Value, json};

use crate::browser::{Browser, assert_no_console_errors, client_dir, demo_app, sign_in, tonnes_zh};

/// `1234567` → `1,234,567` (the diff shows raw integers grouped).
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Sets a `<select>` or `<input>` found by `css` to `value` and fires `change`.
async fn set_value(browser: &Browser, css: &str, value: &str) {
    browser.find(css).await;
    browser
        .script(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('change')); e.dispatchEvent(new Event('input'));",
            json!([css, value]),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_auditor_diffs_two_moments_and_browses_events_by_type() {
    let app = demo_app(client_dir()).await;
    let auditor = app
        .login_with("auditor", redmud_api::demo::DEMO_PASSWORD)
        .await;
    // A ledger correction that changed a period's generated amount.
    let corrections = auditor
        .get("/api/events?type=LedgerCorrected&limit=50")
        .await
        .expect(200);
    let corrections = corrections.body["events"]
        .as_array()
        .expect("events")
        .clone();
    let (stream, position, period, before, after) = corrections
        .iter()
        .find_map(|e| {
            let generated = |figures: &Value| figures["generated"].as_u64();
            let before = generated(&e["payload"]["previous"])?;
            let after = generated(&e["payload"]["figures"])?;
            (before != after).then(|| {
                (
                    e["stream"].as_str().unwrap_or_default().to_owned(),
                    e["position"].as_u64().unwrap_or_default(),
                    e["payload"]["period"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    before,
                    after,
                )
            })
        })
        .expect("the demo corrects a ledger's generated amount");
    // What the API says changed between the position before and the correction.
    let diff = auditor
        .get(&format!(
            "/api/audit/diff?stream={stream}&from={}&to={position}",
            position - 1
        ))
        .await
        .expect(200);
    assert_eq!(diff.body["events"].as_array().map(Vec::len), Some(1));

    let browser = Browser::start().await;
    browser.goto(&app.url).await;
    sign_in(&browser, "auditor").await;
    browser.click("nav [data-section=audit]").await;
    browser.click("#audit-tabs [data-tab=diff]").await;
    browser.type_into("#diff-stream", &stream).await;
    browser
        .type_into("#diff-from", &(position - 1).to_string())
        .await;
    browser.type_into("#diff-to", &position.to_string()).await;
    browser.click("#diff-compare").await;
    let pointer = format!("/ledger/{period}/figures/generated");
    let row = format!("#diff-changes tr[data-pointer=\"{pointer}\"]");
    browser.find(&row).await;
    let shown = browser.text(&row).await;
    assert!(
        shown.contains(&grouped(before)) && shown.contains(&grouped(after)),
        "{shown}"
    );
    let summary = browser.text("#diff-summary").await;
    assert!(summary.contains("1 个事件"), "{summary}");
    browser
        .wait_text("#diff-events", |t| t.contains("更正台账"))
        .await;
    browser.screenshot("20-audit-diff").await;

    // The whole log filtered by type: exactly the API's LedgerCorrected events.
    browser.click("#audit-tabs [data-tab=events]").await;
    browser.find("#events tbody tr").await;
    browser.type_into("#event-types", "LedgerCorrected").await;
    browser.click("#events-apply").await;
    let expected: Vec<Value> = corrections.iter().map(|e| e["position"].clone()).collect();
    let started = std::time::Instant::now();
    loop {
        let rows = browser
            .script(
                "return [...document.querySelectorAll('#events tbody tr')].map(r => [r.dataset.type, Number(r.dataset.position)])",
                json!([]),
            )
            .await;
        let rows = rows.as_array().cloned().unwrap_or_default();
        let all_corrections = rows.iter().all(|r| r[0] == json!("LedgerCorrected"));
        let positions: Vec<Value> = rows.iter().map(|r| r[1].clone()).collect();
        if all_corrections && positions == expected {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "the events shown: {rows:?}, expected positions {expected:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    browser.screenshot("21-audit-events").await;

    // The flags tab lists the API's flags.
    let flags = auditor.get("/api/audit/flags?limit=1").await.expect(200);
    let total = flags.body["total"].as_u64().expect("total");
    browser.click("#audit-tabs [data-tab=flags]").await;
    browser
        .wait_text("#flags-total", |t| t.contains(&grouped(total)))
        .await;
    browser.screenshot("22-audit-flags").await;

    assert_no_console_errors(&browser.console_errors().await);
    drop(browser);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_page_shows_the_figures_of_the_api_and_offers_the_csv() {
    let app = demo_app(client_dir()).await;
    let province = app
        .login_with("province", redmud_api::demo::DEMO_PASSWORD)
        .await;
    let balance = province.get("/api/reports/balance").await.expect(200);
    let lines = balance.body["lines"].as_array().expect("lines").clone();
    assert!(!lines.is_empty());

    let browser = Browser::start().await;
    browser.goto(&app.url).await;
    sign_in(&browser, "province").await;
    browser.click("nav [data-section=reports]").await;
    browser.find("#report-balance-lines tbody tr").await;
    let cells = browser
        .script(
            "return [...document.querySelectorAll('#report-balance-lines tbody tr')].map(r => [r.querySelector('td[data-field=\"figures/generated\"]').dataset.raw, r.querySelector('td[data-field=\"figures/generated\"]').textContent])",
            json!([]),
        )
        .await;
    let cells = cells.as_array().expect("rows").clone();
    assert_eq!(cells.len(), lines.len(), "one row per line of the report");
    for (cell, line) in cells.iter().zip(&lines) {
        let generated = line["figures"]["generated"].as_u64().expect("generated");
        assert_eq!(cell[0], json!(generated.to_string()));
        assert_eq!(cell[1], json!(tonnes_zh(generated)));
    }
    browser.screenshot("23-report-balance").await;

    // The CSV: downloaded with the token, offered as a data: URL.
    browser.click("#csv-download").await;
    browser.find("#csv-download-link").await;
    let csv = browser
        .script(
            "const a = document.querySelector('#csv-download-link'); return [a.getAttribute('download'), a.getAttribute('href').slice(0, 40), atob(a.getAttribute('href').split(',')[1])]",
            json!([]),
        )
        .await;
    assert_eq!(csv[0], json!("balance.csv"));
    assert!(
        csv[1]
            .as_str()
            .is_some_and(|h| h.starts_with("data:text/csv")),
        "{csv:?}"
    );
    let text = csv[2].as_str().expect("csv text");
    assert!(text.contains("generated_kg"), "{text}");
    assert_eq!(
        text.trim_end().split("\r\n").count(),
        lines.len() + 1,
        "a header and one record per line"
    );

    // Another report, by its sub-navigation: report 3's total equals the API's.
    let projects = province.get("/api/reports/projects").await.expect(200);
    browser.click("[data-report=projects]").await;
    let total = projects.body["total"]["projects"].as_u64().expect("total");
    browser
        .wait_text("#report-projects-total td[data-field=projects]", |t| {
            t == total.to_string()
        })
        .await;
    browser.screenshot("24-report-projects").await;

    // A base's and a regional plan's pages carry the province's forms; the lists offer "new".
    browser.click("nav [data-section=bases]").await;
    browser.find("#new-bases").await;
    browser
        .click("section.list[data-collection=bases] tbody tr:first-child button.open")
        .await;
    browser
        .find("#forms[data-aggregate=base] #actions button.action[data-command=add-member]")
        .await;
    // Removing a member offers the members by name (the base's state holds only their ids).
    let base_id = browser
        .script(
            "return document.querySelector('#forms[data-aggregate=base]').dataset.id",
            json!([]),
        )
        .await;
    let base = province
        .get(&format!(
            "/api/bases/{}",
            base_id.as_str().expect("base id")
        ))
        .await
        .expect(200);
    let member = base.body["state"]["members"]
        .as_object()
        .and_then(|m| m.keys().next().cloned())
        .expect("the demo base has members");
    let member_name = province
        .get(&format!("/api/enterprises/{member}"))
        .await
        .expect(200)
        .body["state"]["name"]
        .as_str()
        .expect("name")
        .to_owned();
    browser
        .click("#actions button.action[data-command=remove-member]")
        .await;
    browser
        .wait_text("form#form-remove-member select", |t| {
            t.contains(&member_name)
        })
        .await;
    browser.click("nav [data-section=regional-plans]").await;
    browser.find("#new-regional-plans").await;
    browser
        .click("section.list[data-collection=regional-plans] tbody tr:first-child button.open")
        .await;
    browser
        .find(
            "#forms[data-aggregate=regional_plan] #actions button.action[data-command=revise-targets]",
        )
        .await;
    browser.screenshot("25-plan-forms").await;

    assert_no_console_errors(&browser.console_errors().await);
    drop(browser);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bureau_sees_the_bases_and_regional_plans_of_its_region() {
    let app = demo_app(client_dir()).await;
    let guiyang = app
        .login_with("guiyang", redmud_api::demo::DEMO_PASSWORD)
        .await;
    let bases = guiyang.get("/api/bases?region=520100").await.expect(200);
    let base = bases.body["items"][0]["state"].clone();
    let base_name = base["name"].as_str().expect("a base in Guiyang").to_owned();
    let plans = guiyang
        .get("/api/regional-plans?region=520100&sort=name")
        .await
        .expect(200);
    let plan_total = plans.body["total"].as_u64().expect("total");

    let browser = Browser::start().await;
    browser.goto(&app.url).await;
    sign_in(&browser, "guiyang").await;
    let nav = browser.text("nav.nav").await;
    assert!(
        nav.contains("基地") && nav.contains("年度目标任务") && nav.contains("报表"),
        "{nav}"
    );

    // Bases of Guiyang: the list filtered by region, then the detail.
    browser.click("nav [data-section=bases]").await;
    let list = "section.list[data-collection=bases]";
    set_value(&browser, &format!("{list} select[name=region]"), "520100").await;
    browser
        .wait_text(&format!("{list} tbody"), |t| {
            t.contains(&base_name) && t.lines().count() == 1
        })
        .await;
    browser.click(&format!("{list} tbody button.open")).await;
    browser.wait_text("#base-name", |t| t == base_name).await;
    browser
        .wait_text("#base-region", |t| t.contains("贵阳"))
        .await;
    let members = base["members"].as_object().map_or(0, serde_json::Map::len);
    let shown = browser
        .script(
            "return document.querySelectorAll('#base-members tbody tr').length",
            json!([]),
        )
        .await;
    assert_eq!(shown, json!(members));
    browser.find("#timeline li").await;
    browser.find("#forms[data-aggregate=base]").await;
    browser.screenshot("25-base").await;

    // Regional plans of Guiyang: the list, then a plan with its reports and their status.
    browser.click("nav [data-section=regional-plans]").await;
    let list = "section.list[data-collection=regional-plans]";
    set_value(&browser, &format!("{list} select[name=region]"), "520100").await;
    browser
        .wait_text(&format!("{list} .page-of"), |t| {
            t.contains(&format!("共 {plan_total} 条"))
        })
        .await;
    browser
        .wait_text(&format!("{list} tbody"), |t| {
            t.lines().count() as u64 == plan_total && t.lines().all(|l| l.contains("贵阳市"))
        })
        .await;
    browser.click(&format!("{list} tbody button.open")).await;
    browser
        .wait_text("#plan-title", |t| t.contains("贵阳市"))
        .await;
    let title = browser.text("#plan-title").await;
    let year: u64 = title
        .rsplit(' ')
        .next()
        .and_then(|y| y.trim().parse().ok())
        .expect("the plan's year in its title");
    let plan = plans.body["items"]
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .find(|i| i["state"]["year"].as_u64() == Some(year))
        })
        .expect("the plan shown")
        .clone();
    let reports = plan["state"]["reports"]
        .as_object()
        .map_or(0, serde_json::Map::len);
    let started = std::time::Instant::now();
    loop {
        let statuses = browser
            .script(
                "return [...document.querySelectorAll('#plan-reports tr[data-status]')].map(r => r.dataset.status)",
                json!([]),
            )
            .await;
        let mut statuses: Vec<String> = statuses
            .as_array()
            .map(|s| {
                s.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        statuses.sort();
        let mut expected: Vec<String> = plan["state"]["reports"]
            .as_object()
            .map(|r| {
                r.values()
                    .filter_map(|r| r["status"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        expected.sort();
        if statuses.len() == reports && statuses == expected {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "reports shown {statuses:?}, expected {expected:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    browser.screenshot("26-regional-plan").await;

    assert_no_console_errors(&browser.console_errors().await);
    drop(browser);
    app.stop().await;
}
