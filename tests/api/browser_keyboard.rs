//! The client with the keyboard alone (issue 6: "keyboard usable"): Tab, typing and Enter, no
//! clicks. Signs in, moves through the navigation, opens a record from a list and one of its
//! command forms; every focused control shows its focus ring.

use serde_json::{Value, json};

use crate::browser::{Browser, assert_no_console_errors, client_dir, demo_app};

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

/// Presses `keys` (characters or WebDriver key codes) on whatever has the focus.
async fn press(browser: &Browser, keys: &str) {
    let actions: Vec<Value> = keys
        .chars()
        .flat_map(|c| {
            let key = c.to_string();
            [
                json!({ "type": "keyDown", "value": key }),
                json!({ "type": "keyUp", "value": key }),
            ]
        })
        .collect();
    browser
        .post(
            "/actions",
            json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] }),
        )
        .await;
}

/// Whether the focused element matches `css`.
async fn focused(browser: &Browser, css: &str) -> bool {
    browser
        .script(
            "const e = document.activeElement; return !!e && e.matches(arguments[0]);",
            json!([css]),
        )
        .await
        == json!(true)
}

/// Presses Tab until the focus is on an element matching `css` (at most `limit` times), waiting
/// for it to be on the page first, and checks that the focus is visible there.
async fn tab_to(browser: &Browser, css: &str, limit: usize) {
    browser.find(css).await;
    for _ in 0..limit {
        if focused(browser, css).await {
            let ring = browser
                .script(
                    "return getComputedStyle(document.activeElement).outlineStyle",
                    json!([]),
                )
                .await;
            assert_ne!(ring, json!("none"), "{css} shows no focus ring");
            return;
        }
        press(browser, TAB).await;
    }
    panic!("{limit} presses of Tab never reached {css}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keyboard_alone_signs_in_navigates_opens_a_record_and_a_form() {
    let app = demo_app(client_dir()).await;
    let browser = Browser::start().await;
    browser.goto(&app.url).await;
    browser.find("form#sign-in").await;

    // Sign in: Tab to the user name, type, Tab to the password, type, Enter.
    tab_to(&browser, "form#sign-in input[name=username]", 10).await;
    press(&browser, "province").await;
    press(&browser, TAB).await;
    assert!(focused(&browser, "form#sign-in input[name=password]").await);
    press(&browser, redmud_api::demo::DEMO_PASSWORD).await;
    press(&browser, ENTER).await;
    browser.wait_text("#who", |t| !t.is_empty()).await;

    // The navigation: Tab to 项目, Enter opens the list.
    tab_to(&browser, "nav [data-section=projects]", 30).await;
    press(&browser, ENTER).await;
    browser
        .find("section.list[data-collection=projects] tbody button.open")
        .await;

    // The list's first row opens with Enter; the detail page's first action opens its form.
    tab_to(
        &browser,
        "section.list[data-collection=projects] tbody tr:first-child button.open",
        60,
    )
    .await;
    press(&browser, ENTER).await;
    browser.wait_text("#project-name", |t| !t.is_empty()).await;
    tab_to(&browser, "#actions button.action", 60).await;
    press(&browser, ENTER).await;
    browser.find("#actions form").await;
    browser.screenshot("50-keyboard-form").await;

    assert_no_console_errors(&browser.console_errors().await);
    drop(browser);
    app.stop().await;
}
