//! The command forms of the web client (`frontend/src/forms.rs`) in a real headless Chromium
//! against the demo server: finance awards and disburses funding on a project and the page and the
//! API agree; a second disbursement of the same tranche is refused inline by the domain's rule
//! before anything is sent; a bureau proposes a project from the list's "new" button; a form
//! whose record changed meanwhile gets the 412 explanation and reloads.

use serde_json::{Value, json};

use crate::browser::{
    Browser, assert_no_console_errors, client_dir, demo_app, open_from_list, sign_in,
};

/// Sets an input's or select's value as a user would (the `input` and `change` events fire).
async fn set(browser: &Browser, css: &str, value: &str) {
    browser.find(css).await;
    browser
        .script(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1];
             e.dispatchEvent(new Event('input', { bubbles: true }));
             e.dispatchEvent(new Event('change', { bubbles: true }));",
            json!([css, value]),
        )
        .await;
}

/// Waits until a `<select>` offers `value` (options loaded from the state or a list).
/// Opens the award-funding form of the project on the page and fills it: the source, the
/// programme, the amount (元) and each tranche's condition and amount. Returns the form's selector.
async fn fill_award(
    browser: &Browser,
    source: &str,
    programme: &str,
    amount: &str,
    tranches: &[(&str, &str)],
) -> &'static str {
    browser
        .click("#actions button[data-command=award-funding]")
        .await;
    let form = "form#form-award-funding";
    set(browser, &format!("{form} select[name=source]"), source).await;
    browser
        .type_into(&format!("{form} input[name=programme]"), programme)
        .await;
    browser
        .type_into(&format!("{form} input[name=amount]"), amount)
        .await;
    for (i, (condition, amount)) in tranches.iter().enumerate() {
        set(
            browser,
            &format!("{form} select[name=tranches-{i}-condition]"),
            condition,
        )
        .await;
        browser
            .type_into(&format!("{form} input[name=tranches-{i}-amount]"), amount)
            .await;
    }
    form
}

async fn wait_option(browser: &Browser, select: &str, value: &str) {
    browser
        .find(&format!("{select} option[value=\"{value}\"]"))
        .await;
}

/// A demo project finance can fund and disburse on (approved or later), with its name and id.
async fn fundable_project(client: &crate::harness::Client) -> (String, String) {
    for status in ["under_construction", "approved", "in_operation"] {
        let list = client
            .get(&format!("/api/projects?status={status}&limit=1&sort=name"))
            .await
            .expect(200);
        if let Some(item) = list.body["items"].as_array().and_then(|i| i.first()) {
            return (
                item["state"]["proposal"]["name"]
                    .as_str()
                    .expect("name")
                    .to_owned(),
                item["id"].as_str().expect("id").to_owned(),
            );
        }
    }
    panic!("the demo has an approved project");
}

fn award_named<'a>(project: &'a Value, programme: &str) -> Option<(&'a String, &'a Value)> {
    project["state"]["awards"]
        .as_object()?
        .iter()
        .find(|(_, a)| a["programme"] == json!(programme))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finance_awards_and_disburses_through_the_forms_and_a_second_disbursement_is_refused_inline()
 {
    let app = demo_app(client_dir()).await;
    let finance = app
        .login_with("finance", redmud_api::demo::DEMO_PASSWORD)
        .await;
    let (name, id) = fundable_project(&finance).await;
    let programme = "浏览器测试专项资金";

    let browser = Browser::start().await;
    browser.goto(&app.url).await;
    sign_in(&browser, "finance").await;
    browser.click("nav [data-section=projects]").await;
    open_from_list(&browser, "section.list", &name).await;
    browser.wait_text("#project-name", |t| t == name).await;

    // Finance sees the funding forms only.
    browser
        .find("#actions button[data-command=award-funding]")
        .await;
    assert_eq!(browser.find_all("#actions button.action").await, 3);
    assert_eq!(
        browser
            .find_all("#actions button[data-command=approve-project]")
            .await,
        0
    );

    // Award ¥1,000.50 in two tranches; a wrong split is refused inline first.
    let form = fill_award(
        &browser,
        "provincial_special_funds",
        programme,
        "1000.50",
        &[("approval", "600.25"), ("accepted", "400")],
    )
    .await;
    browser.click(&format!("{form} button[type=submit]")).await;
    browser
        .wait_text(&format!("{form} .form-error"), |t| {
            t.contains("与下达金额") && t.contains("1,000.50 元")
        })
        .await;
    browser.screenshot("forms-01-award-refused-inline").await;
    browser
        .type_into(&format!("{form} input[name=tranches-1-amount]"), "400.25")
        .await;
    browser.click(&format!("{form} button[type=submit]")).await;
    browser
        .wait_text("#form-done", |t| t.contains("下达资金"))
        .await;
    browser
        .wait_text("#awards", |t| {
            t.contains(programme) && t.contains("1,000.50 元")
        })
        .await;
    browser
        .wait_text("#timeline", |t| t.contains("资金下达"))
        .await;

    // The API agrees, to the fen.
    let project = finance
        .get(&format!("/api/projects/{id}"))
        .await
        .expect(200);
    let (award_id, award) = award_named(&project.body, programme).expect("the award");
    assert_eq!(award["amount"], json!(100_050));
    assert_eq!(award["tranches"][0]["amount"], json!(60_025));
    let award_id = award_id.clone();

    // Disburse tranche 1.
    browser
        .click("#actions button[data-command=disburse-tranche]")
        .await;
    let form = "form#form-disburse-tranche";
    wait_option(
        &browser,
        &format!("{form} select[name=award_id]"),
        &award_id,
    )
    .await;
    set(
        &browser,
        &format!("{form} select[name=award_id]"),
        &award_id,
    )
    .await;
    browser
        .type_into(&format!("{form} input[name=tranche]"), "1")
        .await;
    browser.click(&format!("{form} button[type=submit]")).await;
    browser
        .wait_text("#form-done", |t| t.contains("拨付资金"))
        .await;
    browser
        .wait_text("#awards", |t| t.contains("600.25 元"))
        .await;
    browser
        .wait_text("#timeline", |t| t.contains("资金拨付"))
        .await;
    let project = finance
        .get(&format!("/api/projects/{id}"))
        .await
        .expect(200);
    let (_, award) = award_named(&project.body, programme).expect("the award");
    assert_eq!(award["disbursed"], json!(60_025));
    let version = project.body["version"].clone();

    // The same tranche again: the domain's rule refuses it on the form; nothing is sent.
    browser
        .click("#actions button[data-command=disburse-tranche]")
        .await;
    wait_option(
        &browser,
        &format!("{form} select[name=award_id]"),
        &award_id,
    )
    .await;
    set(
        &browser,
        &format!("{form} select[name=award_id]"),
        &award_id,
    )
    .await;
    browser
        .type_into(&format!("{form} input[name=tranche]"), "1")
        .await;
    browser.click(&format!("{form} button[type=submit]")).await;
    let refused = browser
        .wait_text(&format!("{form} .form-error"), |t| !t.is_empty())
        .await;
    assert!(
        refused.starts_with("第 1 笔已于") && refused.ends_with("不能重复拨付"),
        "{refused}"
    );
    browser
        .screenshot("forms-02-disbursement-refused-inline")
        .await;
    let after = finance
        .get(&format!("/api/projects/{id}"))
        .await
        .expect(200);
    assert_eq!(after.body["version"], version, "nothing was sent");
    let (_, award) = award_named(&after.body, programme).expect("the award");
    assert_eq!(award["disbursed"], json!(60_025));

    assert_no_console_errors(&browser.console_errors().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bureau_proposes_a_project_from_the_list() {
    let app = demo_app(client_dir()).await;
    let guiyang = app
        .login_with("guiyang", redmud_api::demo::DEMO_PASSWORD)
        .await;
    let enterprises = guiyang
        .get("/api/enterprises?region=520100&limit=1&sort=name")
        .await
        .expect(200);
    let lead = enterprises.body["items"][0]["id"]
        .as_str()
        .expect("an enterprise in Guiyang")
        .to_owned();
    let name = "浏览器测试：赤泥路基材料示范线";

    let browser = Browser::start().await;
    browser.goto(&app.url).await;
    sign_in(&browser, "guiyang").await;
    browser.click("nav [data-section=projects]").await;
    browser.click("#new-projects").await;
    let form = "form#form-propose-project";
    browser
        .type_into(&format!("{form} input[name=proposal-name]"), name)
        .await;
    set(
        &browser,
        &format!("{form} select[name=proposal-kind]"),
        "utilization_capacity",
    )
    .await;
    set(
        &browser,
        &format!("{form} select[name=proposal-task]"),
        "utilization_scale",
    )
    .await;
    let lead_select = format!("{form} select[name=proposal-lead_enterprise_id]");
    wait_option(&browser, &lead_select, &lead).await;
    set(&browser, &lead_select, &lead).await;
    set(
        &browser,
        &format!("{form} select[name=proposal-region]"),
        "520100",
    )
    .await;
    browser
        .type_into(
            &format!("{form} input[name=proposal-planned_capacity_per_year]"),
            "50000",
        )
        .await;
    browser
        .type_into(&format!("{form} input[name=proposal-budget]"), "1234567.89")
        .await;
    browser
        .type_into(
            &format!("{form} textarea[name=proposal-responsible_units]"),
            "贵阳市工业和信息化局",
        )
        .await;
    set(
        &browser,
        &format!("{form} input[name=proposal-planned_start]"),
        "2027-01-01",
    )
    .await;
    set(
        &browser,
        &format!("{form} input[name=proposal-planned_end]"),
        "2028-06-30",
    )
    .await;
    // No route yet: the domain's rule for capacity projects, inline.
    browser.click(&format!("{form} button[type=submit]")).await;
    browser
        .wait_text(&format!("{form} .form-error"), |t| {
            t.contains("至少选择一种利用途径")
        })
        .await;
    browser
        .click(&format!("{form} input[type=checkbox][value=road_base]"))
        .await;
    browser.screenshot("forms-03-propose-project").await;
    browser.click(&format!("{form} button[type=submit]")).await;
    // The new project's page opens.
    browser.wait_text("#project-name", |t| t == name).await;
    browser
        .wait_text("#timeline", |t| t.contains("项目申报"))
        .await;

    let found = guiyang
        .get(&format!(
            "/api/projects?q={}&limit=5",
            crate::harness::urlencode(name)
        ))
        .await
        .expect(200);
    let items = found.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    let proposal = &items[0]["state"]["proposal"];
    assert_eq!(proposal["budget"], json!(123_456_789));
    assert_eq!(proposal["planned_capacity_per_year"], json!(50_000_000));
    assert_eq!(proposal["routes"], json!(["road_base"]));
    assert_eq!(proposal["lead_enterprise_id"], json!(lead));
    assert_eq!(items[0]["state"]["status"], json!("proposed"));

    assert_no_console_errors(&browser.console_errors().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_form_is_explained_and_reloads() {
    let app = demo_app(client_dir()).await;
    let finance = app
        .login_with("finance", redmud_api::demo::DEMO_PASSWORD)
        .await;
    let (name, id) = fundable_project(&finance).await;

    let browser = Browser::start().await;
    browser.goto(&app.url).await;
    sign_in(&browser, "finance").await;
    browser.click("nav [data-section=projects]").await;
    open_from_list(&browser, "section.list", &name).await;
    browser.wait_text("#project-name", |t| t == name).await;
    let form = fill_award(
        &browser,
        "municipal_funds",
        "表单专项",
        "10",
        &[("approval", "10")],
    )
    .await;

    // Meanwhile someone else awards funding on the same project.
    finance
        .post(
            &format!("/api/projects/{id}/award-funding"),
            json!({
                "source": "municipal_funds", "programme": "另一专项", "amount": 500,
                "tranches": [{ "condition": { "on": "approval" }, "amount": 500 }],
                "awarded_on": app_today(),
            }),
        )
        .await
        .expect(200);

    browser.click(&format!("{form} button[type=submit]")).await;
    let stale = browser
        .wait_text(&format!("{form} .stale"), |t| !t.is_empty())
        .await;
    assert!(stale.contains("已被他人修改"), "{stale}");
    browser.screenshot("forms-04-stale").await;
    let project = finance
        .get(&format!("/api/projects/{id}"))
        .await
        .expect(200);
    assert!(
        award_named(&project.body, "表单专项").is_none(),
        "nothing saved"
    );
    browser.click(&format!("{form} .stale button.reload")).await;
    browser
        .wait_text("#awards", |t| t.contains("另一专项"))
        .await;

    // The browser logs the refused request itself; nothing else.
    let errors: Vec<String> = browser
        .console_errors()
        .await
        .into_iter()
        .filter(|e| !(e.contains("/award-funding") && e.contains("412")))
        .collect();
    assert_no_console_errors(&errors);
}

/// Today in China Standard Time (the server's calendar).
fn app_today() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    chrono::DateTime::from_timestamp(i64::try_from(now).expect("time") + 8 * 3600, 0)
        .expect("today")
        .date_naive()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_opens_an_account_and_disables_it_with_a_reason() {
    let app = demo_app(client_dir()).await;
    let browser = Browser::start().await;
    browser.goto(&app.url).await;
    sign_in(&browser, "admin").await;
    browser.click("nav [data-section=accounts]").await;
    open_from_list(&browser, "section.list", "zunyi").await;
    browser.wait_text("#account-name", |t| t == "zunyi").await;
    browser.wait_text("#account-status", |t| t == "启用").await;

    // The form asks for the reason the event will carry.
    let form = "form#form-disable-account";
    browser
        .click("#actions button.action[data-command=disable-account]")
        .await;
    browser.find(form).await;
    browser
        .type_into(&format!("{form} textarea[name=reason]"), "调离岗位")
        .await;
    browser.click(&format!("{form} button[type=submit]")).await;
    browser
        .wait_text("#account-status", |t| t == "已停用")
        .await;
    browser
        .wait_text("#timeline", |t| {
            t.contains("停用账户") && t.contains("调离岗位")
        })
        .await;
    browser.screenshot("forms-05-account-disabled").await;

    // The server agrees: the account can no longer sign in.
    let refused = app
        .anonymous()
        .post(
            "/api/auth/login",
            json!({ "username": "zunyi", "password": redmud_api::demo::DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(refused.status, 401, "{:?}", refused.body);

    assert_no_console_errors(&browser.console_errors().await);
    drop(browser);
    app.stop().await;
}
