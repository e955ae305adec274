//! Issue 9's pages in a real headless Chromium against the demo server: the plan's tasks ×
//! responsible units (report 9), the typical cases (report 10 and the dashboard card) and a
//! published standard's detail page — each checked against the API's own figures.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::browser::{
    Browser, assert_no_console_errors, client_dir, demo_app, open_from_list, sign_in,
};

/// The `data-raw` of one column in every row of a report table.
async fn column(browser: &Browser, table: &str, field: &str) -> Vec<String> {
    let cells = browser
        .script(
            "return [...document.querySelectorAll('#' + arguments[0] + ' tbody tr')].map(r => r.querySelector('td[data-field=\"' + arguments[1] + '\"]').dataset.raw)",
            json!([table, field]),
        )
        .await;
    serde_json::from_value(cells).expect("a list of strings")
}

/// Waits until a report table's column holds `expected` (the page fetches after a filter
/// changes), polling as `Browser::wait_text` does.
async fn wait_column(browser: &Browser, table: &str, field: &str, expected: &[String]) {
    let started = Instant::now();
    loop {
        let shown = column(browser, table, field).await;
        if shown == expected {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{table} {field}: shown {shown:?}, expected {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn strings(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|item| match item.pointer(field) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provincial_officer_follows_the_plan_tasks_typical_cases_and_a_standard() {
    let app = demo_app(client_dir()).await;
    let province = app
        .login_with("province", redmud_api::demo::DEMO_PASSWORD)
        .await;
    let cases = province
        .get("/api/reports/typical-cases")
        .await
        .expect(200)
        .body["cases"]
        .clone();
    let standing = cases.as_array().expect("cases").len();
    assert!(standing > 0, "the demo recommends typical cases");
    let tasks = province.get("/api/reports/tasks").await.expect(200).body;

    let browser = Browser::start().await;
    browser.goto(&app.url).await;
    sign_in(&browser, "province").await;

    // The dashboard's card counts the standing recommendations and names the newest.
    browser
        .wait_text("#typical-count", |t| t.contains(&standing.to_string()))
        .await;
    let first = cases[0]["name"].as_str().expect("name");
    browser
        .wait_text("#typical-cases ul", |t| t.contains(first))
        .await;
    browser.screenshot("40-dashboard-typical-cases").await;

    // "View all" opens report 10 with one row per case, as the API lists them.
    browser.click("#typical-view-all").await;
    browser.find("#report-typical-cases-cases tbody tr").await;
    wait_column(
        &browser,
        "report-typical-cases-cases",
        "name",
        &strings(&cases, "/name"),
    )
    .await;
    wait_column(
        &browser,
        "report-typical-cases-cases",
        "status",
        &std::iter::repeat_n("recommended".to_owned(), standing).collect::<Vec<_>>(),
    )
    .await;
    browser.screenshot("41-report-typical-cases").await;

    // Report 9: a row per task with the API's project counts and funding, the Chinese names.
    browser.click("[data-report=tasks]").await;
    browser.find("#report-tasks-tasks tbody tr").await;
    wait_column(
        &browser,
        "report-tasks-tasks",
        "totals/projects",
        &strings(&tasks["tasks"], "/totals/projects"),
    )
    .await;
    wait_column(
        &browser,
        "report-tasks-tasks",
        "totals/awarded",
        &strings(&tasks["tasks"], "/totals/awarded"),
    )
    .await;
    let names = browser.text("#report-tasks-tasks tbody").await;
    for name in strings(&tasks["tasks"], "/name_zh") {
        assert!(names.contains(&name), "{name} in {names}");
    }
    wait_column(
        &browser,
        "report-tasks-units",
        "totals/projects",
        &strings(&tasks["units"], "/totals/projects"),
    )
    .await;
    let projects: usize = tasks["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .map(|t| t["projects"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(
        browser.find_all("#report-tasks-projects tbody tr").await,
        projects
    );
    browser.screenshot("42-report-tasks").await;

    // Filtered to one responsible unit: the page shows what the API answers for that unit.
    let unit = "natural_resources";
    let of_unit = province
        .get(&format!("/api/reports/tasks?unit={unit}"))
        .await
        .expect(200)
        .body;
    let expected = strings(&of_unit["tasks"], "/totals/projects");
    assert_ne!(
        expected,
        strings(&tasks["tasks"], "/totals/projects"),
        "the filter narrows the demo's projects"
    );
    browser
        .script(
            "const e = document.querySelector('select[name=unit]'); e.value = arguments[0]; e.dispatchEvent(new Event('change'));",
            json!([unit]),
        )
        .await;
    wait_column(&browser, "report-tasks-tasks", "totals/projects", &expected).await;

    // A published standard's detail page names its type, body and number.
    let list = province
        .get("/api/projects?kind=standard&status=published")
        .await
        .expect(200)
        .body;
    let standard = &list["items"][0];
    let name = standard["state"]["proposal"]["name"]
        .as_str()
        .expect("a published standard");
    let detail = province
        .get(&format!(
            "/api/projects/{}",
            standard["id"].as_str().expect("id")
        ))
        .await
        .expect(200)
        .body;
    let number = detail["state"]["publication"]["number"]
        .as_str()
        .expect("its number");
    browser.click("nav [data-section=projects]").await;
    open_from_list(&browser, "section.list", name).await;
    browser.wait_text("#standard-number", |t| t == number).await;
    browser
        .wait_text("#project-kind", |t| t == "标准制修订")
        .await;
    // Its actions are the standard's: no construction command, which the domain would refuse.
    browser
        .find("#actions button.action[data-command=recommend-typical-case]")
        .await;
    assert_eq!(
        browser
            .find_all("#actions button.action[data-command=start-construction]")
            .await,
        0
    );
    browser.screenshot("43-standard-detail").await;

    assert_no_console_errors(&browser.console_errors().await);
    drop(browser);
    app.stop().await;
}
