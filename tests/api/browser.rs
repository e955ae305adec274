//! The web client in a real headless Chromium, against the real server with the demo data
//! (`redmud serve --demo --static-dir …` on port 0 over a fresh SQLite file).
//!
//! The client is read from `REDMUD_CLIENT_DIR` (default `$CARGO_TARGET_DIR/client`, where
//! `scripts/test` builds it with `scripts/build-client`). A missing client, browser or driver FAILS
//! the test with a message naming what to build or install; nothing is skipped.
//!
//! The browser is driven over the W3C WebDriver protocol (Debian's `chromium-driver`) with the
//! HTTP client the tests already use — no WebDriver crate: the handful of commands needed are
//! plain JSON requests. `REDMUD_CHROMIUM` / `REDMUD_CHROMEDRIVER` override the binaries
//! (default `/usr/bin/chromium`, `chromedriver` on the PATH). Screenshots of the main pages go to
//! `$CARGO_TARGET_DIR/browser-screenshots/` (default `target/browser-screenshots/`).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use redmud_domain::{NaiveDate, Period};
use serde_json::{Value, json};

use crate::common::Engine;
use crate::harness::TestApp;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
const WAIT: Duration = Duration::from_secs(30);

/// A chromedriver process and one browser session.
pub(crate) struct Browser {
    http: reqwest::Client,
    session: String,
    driver: Child,
    shots: PathBuf,
}

impl Drop for Browser {
    /// Ends the WebDriver session first — chromedriver then closes Chromium; killing only the
    /// driver would leave the browser's processes running — then stops the driver. Blocking
    /// std I/O, as `drop` cannot await (also on a failing test's unwinding).
    fn drop(&mut self) {
        let _ = end_session(&self.session);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// `DELETE {session}` over a plain TCP connection; `session` is `http://host:port/session/<id>`.
fn end_session(session: &str) -> std::io::Result<()> {
    use std::io::{Read, Write};
    let rest = session.trim_start_matches("http://");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut stream = std::net::TcpStream::connect(host)?;
    stream.set_read_timeout(Some(WAIT))?;
    write!(
        stream,
        "DELETE /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    // Chromedriver answers once the browser has quit (it may keep the connection open, so wait
    // for the first bytes of the answer, not for the end of the stream).
    let mut reply = [0u8; 512];
    match stream.read(&mut reply)? {
        0 => Err(std::io::ErrorKind::UnexpectedEof.into()),
        _ => Ok(()),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl Browser {
    pub(crate) async fn start() -> Browser {
        let port = free_port();
        let driver_bin =
            std::env::var("REDMUD_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned());
        let chromium =
            std::env::var("REDMUD_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
        assert!(
            std::path::Path::new(&chromium).is_file(),
            "no browser at {chromium} (Debian: apt-get install chromium; or set REDMUD_CHROMIUM)"
        );
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {driver_bin} (Debian: apt-get install chromium-driver): {e}")
            });
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .expect("client");
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        loop {
            let ready = http.get(format!("{base}/status")).send().await;
            if let Ok(reply) = ready {
                let status: Value = reply.json().await.unwrap_or_default();
                if status["value"]["ready"] == json!(true) {
                    break;
                }
            }
            assert!(started.elapsed() < WAIT, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile =
            std::env::temp_dir().join(format!("redmud_chromium_{}", uuid::Uuid::now_v7()));
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": { "browser": "ALL" },
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--window-size=1280,800", format!("--user-data-dir={}", profile.display()),
                ],
            },
        }}});
        let reply: Value = http
            .post(format!("{base}/session"))
            .json(&capabilities)
            .send()
            .await
            .expect("new session")
            .json()
            .await
            .expect("session reply");
        let session = reply["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {reply:#}"))
            .to_owned();
        let shots = target_dir().join("browser-screenshots");
        std::fs::create_dir_all(&shots).expect("screenshot directory");
        Browser {
            http,
            session: format!("{base}/session/{session}"),
            driver,
            shots,
        }
    }

    pub(crate) async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.session));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let reply: Value = request
            .send()
            .await
            .expect("webdriver")
            .json()
            .await
            .expect("webdriver json");
        reply["value"].clone()
    }

    pub(crate) async fn post(&self, path: &str, body: Value) -> Value {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub(crate) async fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub(crate) async fn goto(&self, url: &str) {
        self.post("/url", json!({ "url": url })).await;
    }

    pub(crate) async fn script(&self, script: &str, args: Value) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
            .await
    }

    /// Waits until `css` matches an element and returns its id.
    pub(crate) async fn find(&self, css: &str) -> String {
        let started = Instant::now();
        loop {
            let found = self
                .post("/element", json!({ "using": "css selector", "value": css }))
                .await;
            if let Some(id) = found[ELEMENT].as_str() {
                return id.to_owned();
            }
            assert!(started.elapsed() < WAIT, "no element {css:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// How many elements match `css` now (no waiting).
    pub(crate) async fn find_all(&self, css: &str) -> usize {
        let found = self
            .post(
                "/elements",
                json!({ "using": "css selector", "value": css }),
            )
            .await;
        found.as_array().map_or(0, Vec::len)
    }

    pub(crate) async fn text(&self, css: &str) -> String {
        let id = self.find(css).await;
        self.get(&format!("/element/{id}/text"))
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits until the text of `css` satisfies `ok`, and returns it.
    pub(crate) async fn wait_text(&self, css: &str, ok: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let text = self.text(css).await;
            if ok(&text) {
                return text;
            }
            assert!(
                started.elapsed() < WAIT,
                "{css:?} never had the expected text; last: {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(crate) async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.post(&format!("/element/{id}/click"), json!({})).await;
    }

    pub(crate) async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.post(&format!("/element/{id}/clear"), json!({})).await;
        self.post(&format!("/element/{id}/value"), json!({ "text": text }))
            .await;
    }

    pub(crate) async fn screenshot(&self, name: &str) {
        let png = self.get("/screenshot").await;
        if let Some(data) = png.as_str().and_then(base64_decode) {
            std::fs::write(self.shots.join(format!("{name}.png")), data).expect("screenshot");
        }
    }

    /// The browser console's entries at level SEVERE (errors) since the last call.
    pub(crate) async fn console_errors(&self) -> Vec<String> {
        let log = self.post("/se/log", json!({ "type": "browser" })).await;
        let entries = log
            .as_array()
            .unwrap_or_else(|| panic!("the browser log is readable: {log:#}"));
        entries
            .iter()
            .filter(|e| e["level"] == json!("SEVERE"))
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes: Vec<u8> = text.bytes().filter(|b| *b != b'=' && *b != b'\n').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// The latest month that has ended by `today` and overlaps none of `recorded`.
pub(crate) fn free_month(recorded: &[Period], today: NaiveDate) -> Period {
    let mut month = Period::containing(today, redmud_domain::Granularity::Month)
        .expect("this month")
        .previous()
        .expect("last month");
    while recorded.iter().any(|p| p.overlaps(month)) {
        month = month.previous().expect("an earlier month");
    }
    month
}

/// The build output directory: `$CARGO_TARGET_DIR`, else the workspace's `target/`.
fn target_dir() -> PathBuf {
    std::env::var("CARGO_TARGET_DIR").map_or_else(
        |_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    )
}

/// The built client: `REDMUD_CLIENT_DIR`, else `scripts/test`'s default `$CARGO_TARGET_DIR/client`.
/// A missing client fails the test (it is never skipped): build it with `scripts/build-client`.
pub(crate) fn client_dir() -> PathBuf {
    let dir = std::env::var_os("REDMUD_CLIENT_DIR")
        .map_or_else(|| target_dir().join("client"), PathBuf::from);
    assert!(
        dir.join("index.html").is_file() && dir.join("redmud_frontend_bg.wasm").is_file(),
        "{} holds no built client: run `REDMUD_CLIENT_DIR={} scripts/build-client` (scripts/test does)",
        dir.display(),
        dir.display()
    );
    dir
}

pub(crate) async fn demo_app(client_dir: PathBuf) -> TestApp {
    TestApp::spawn_bare(Engine::Sqlite, |config| {
        config.demo = true;
        config.static_dir = Some(client_dir);
    })
    .await
}

/// Tonnes as the client shows them in Chinese (`1,234.5 吨`).
pub(crate) fn tonnes_zh(kg: u64) -> String {
    let digits = (kg / 1_000).to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if !kg.is_multiple_of(1_000) {
        grouped.push('.');
        grouped.push_str(format!("{:03}", kg % 1_000).trim_end_matches('0'));
    }
    format!("{grouped} 吨")
}

pub(crate) async fn sign_in(browser: &Browser, username: &str) {
    browser.find("form#sign-in").await;
    browser.type_into("input[name=username]", username).await;
    browser
        .type_into("input[name=password]", redmud_api::demo::DEMO_PASSWORD)
        .await;
    browser.click("form#sign-in button[type=submit]").await;
    browser.wait_text("#who", |t| !t.is_empty()).await;
}

/// Filters the visible list to `name` and opens it.
pub(crate) async fn open_from_list(browser: &Browser, scope: &str, name: &str) {
    browser
        .script(
            "const q = document.querySelector(arguments[1] + ' input[name=q]'); q.value = arguments[0]; q.dispatchEvent(new Event('change'));",
            json!([name, scope]),
        )
        .await;
    let body = format!("{scope} tbody");
    browser
        .wait_text(&body, |t| t.contains(name) && t.lines().count() == 1)
        .await;
    browser.click(&format!("{scope} tbody button.open")).await;
}

/// The province's generated red mud (kg) in the year of `month`, from the targets report — the
/// figure the dashboard shows when that year is the latest with targets.
async fn province_generated(client: &crate::harness::Client, month: Period) -> u64 {
    let year = month.to_string()[..4].parse::<u64>().expect("year");
    let targets = client.get("/api/reports/targets").await.expect(200);
    targets.body["province"]
        .as_array()
        .and_then(|lines| lines.iter().find(|l| l["year"].as_u64() == Some(year)))
        .and_then(|line| line["generated"].as_u64())
        .expect("the targets report has the province's line for the year")
}

pub(crate) fn assert_no_console_errors(errors: &[String]) {
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bureau_signs_in_sees_the_dashboard_opens_lists_and_records_a_ledger() {
    let app = demo_app(client_dir()).await;

    // A refinery of Guiyang and a month its ledger can take.
    let guiyang = app
        .login_with("guiyang", redmud_api::demo::DEMO_PASSWORD)
        .await;
    let refineries = guiyang
        .get("/api/enterprises?region=520100&kind=alumina_refinery&limit=500")
        .await
        .expect(200);
    let refinery = refineries.body["items"]
        .as_array()
        .and_then(|items| items.first())
        .cloned()
        .expect("the demo has a refinery in Guiyang");
    let name = refinery["state"]["name"].as_str().expect("name").to_owned();
    let id = refinery["id"].as_str().expect("id").to_owned();
    let recorded: Vec<Period> = refinery["state"]["ledger"]
        .as_object()
        .map(|l| l.keys().filter_map(|k| k.parse().ok()).collect())
        .unwrap_or_default();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let cst_today =
        chrono::DateTime::from_timestamp(i64::try_from(now).expect("time") + 8 * 3600, 0)
            .expect("today")
            .date_naive();
    let month = free_month(&recorded, cst_today);
    // The bureau's lists open on its own region (贵阳市, 520100).
    let projects = guiyang
        .get("/api/projects?region=520100&limit=1&sort=name")
        .await
        .expect(200);
    let guiyang_projects = projects.body["total"].as_u64().expect("total");
    let all_projects = guiyang.get("/api/projects?limit=1").await.expect(200).body["total"]
        .as_u64()
        .expect("total");
    assert!(
        guiyang_projects < all_projects,
        "other regions have projects too"
    );
    let project = projects.body["items"][0]["state"]["proposal"]["name"]
        .as_str()
        .expect("the demo has projects")
        .to_owned();

    let generated_before = province_generated(&guiyang, month).await;

    let browser = Browser::start().await;
    // An unknown page path gets the client (SPA fallback), which shows the sign-in form.
    browser.goto(&format!("{}/some/page", app.url)).await;
    browser.find("form#sign-in").await;
    let lang = browser
        .script("return document.documentElement.lang", json!([]))
        .await;
    assert_eq!(lang, json!("zh-CN"), "Chinese by default");
    browser.screenshot("01-sign-in").await;
    sign_in(&browser, "guiyang").await;
    let token = browser
        .script("return sessionStorage.getItem('redmud.session')", json!([]))
        .await;
    assert!(
        token.as_str().is_some_and(|t| !t.is_empty()),
        "the token is kept in sessionStorage"
    );

    // The dashboard: the province rate, the chart by region, the quarters, funding.
    browser
        .wait_text("#province-rate", |t| t.ends_with('%'))
        .await;
    browser.find("#rate-by-region svg rect.bar").await;
    browser.find("#quarters svg rect.bar").await;
    browser.wait_text("#funding", |t| t.contains("元")).await;
    browser.find("#plan-targets tbody tr").await;
    let nav = browser.text("nav.nav").await;
    assert!(nav.contains("驾驶舱") && nav.contains("企业"), "{nav}");
    assert!(
        !nav.contains("账户") && !nav.contains("审计"),
        "a bureau has no accounts or audit page: {nav}"
    );
    browser.screenshot("02-dashboard").await;

    // The project list, then a project's detail and its timeline.
    browser.click("nav [data-section=projects]").await;
    browser
        .wait_text(".page-of", |t| {
            t.ends_with(&format!("共 {guiyang_projects} 条"))
        })
        .await;
    let region = browser
        .script(
            "return document.querySelector('section.list select[name=region]').value",
            json!([]),
        )
        .await;
    assert_eq!(
        region,
        json!("520100"),
        "the bureau's region is preselected"
    );
    browser.screenshot("03-projects").await;
    open_from_list(&browser, "section.list", &project).await;
    browser.wait_text("#project-name", |t| t == project).await;
    browser.find("#timeline li").await;
    browser.screenshot("04-project-detail").await;

    // The enterprise list, filtered to the refinery, then its detail page.
    browser.click("nav [data-section=enterprises]").await;
    browser.wait_text(".page-of", |t| t.contains('共')).await;
    browser.screenshot("05-enterprises").await;
    open_from_list(&browser, "section.list", &name).await;
    browser.wait_text("#enterprise-name", |t| t == name).await;
    browser
        .wait_text("#timeline", |t| {
            t.contains("操作人") && (t.contains("guiyang") || t.contains("province"))
        })
        .await;

    // The form: inline validation first (nothing sent), then a real submission.
    browser
        .type_into("#record-ledger input[name=period]", &month.to_string())
        .await;
    browser
        .type_into("#record-ledger input[name=generated]", "100")
        .await;
    browser
        .type_into("#record-ledger input[name=route-cement]", "40")
        .await;
    browser
        .type_into("#record-ledger input[name=disposed_from_new]", "10")
        .await;
    browser
        .type_into("#record-ledger input[name=stored_new]", "51")
        .await;
    browser.click("#record-ledger button[type=submit]").await;
    browser
        .wait_text("#record-ledger .form-error", |t| t.contains("不平衡"))
        .await;
    browser.screenshot("06-ledger-form-invalid").await;
    let unchanged = guiyang
        .get(&format!("/api/enterprises/{id}"))
        .await
        .expect(200);
    assert!(
        unchanged.body["state"]["ledger"][month.to_string()].is_null(),
        "nothing was sent while the form was invalid"
    );
    browser
        .type_into("#record-ledger input[name=stored_new]", "50")
        .await;
    browser.click("#record-ledger button[type=submit]").await;
    browser.wait_text("#ledger-ok", |t| !t.is_empty()).await;
    let detail = guiyang
        .get(&format!("/api/enterprises/{id}"))
        .await
        .expect(200);
    assert_eq!(
        detail.body["state"]["ledger"][month.to_string()]["figures"]["generated"],
        json!(100_000),
        "the ledger was recorded through the client"
    );
    browser.wait_text("#ledger", |t| t.contains("100 吨")).await;
    browser
        .wait_text("#timeline", |t| {
            t.contains("填报台账") && t.contains("guiyang")
        })
        .await;
    browser.screenshot("07-enterprise-detail").await;

    // The dashboard counts the new month: the province's generated amount of that year, as the
    // targets report now gives it, which is 100 t more than before.
    let generated_after = province_generated(&guiyang, month).await;
    assert_eq!(generated_after, generated_before + 100_000);
    browser.click("nav [data-section=dashboard]").await;
    let expected = tonnes_zh(generated_after);
    browser
        .wait_text("#province-totals", |t| t.contains(&expected))
        .await;
    browser.click("nav [data-section=enterprises]").await;
    open_from_list(&browser, "section.list", &name).await;
    browser.wait_text("#enterprise-name", |t| t == name).await;

    // English covers the page.
    browser.click("#lang-switch").await;
    browser
        .wait_text("nav.nav", |t| t.contains("Enterprises"))
        .await;
    let lang = browser
        .script("return document.documentElement.lang", json!([]))
        .await;
    assert_eq!(lang, json!("en"));
    browser.wait_text("#ledger", |t| t.contains("100 t")).await;
    browser
        .wait_text("#timeline", |t| t.contains("Ledger recorded"))
        .await;
    browser.screenshot("08-enterprise-detail-en").await;

    // A narrow (tablet) window still shows the page.
    browser
        .post("/window/rect", json!({ "width": 800, "height": 1024 }))
        .await;
    browser.click("nav [data-section=dashboard]").await;
    browser.find("#rate-by-region svg rect.bar").await;
    browser.screenshot("09-dashboard-narrow-en").await;

    assert_no_console_errors(&browser.console_errors().await);
    drop(browser);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_auditor_sees_an_enterprise_as_of_a_past_position() {
    let app = demo_app(client_dir()).await;
    let auditor = app
        .login_with("auditor", redmud_api::demo::DEMO_PASSWORD)
        .await;
    // A ledger correction of the demo after which the period's generated amount differs.
    let corrections = auditor
        .get("/api/events?type=LedgerCorrected&limit=100")
        .await
        .expect(200);
    let mut found = None;
    for event in corrections.body["events"].as_array().expect("events") {
        let (Some(id), Some(position), Some(period)) = (
            event["stream"]
                .as_str()
                .and_then(|s| s.strip_prefix("enterprise-")),
            event["position"].as_u64(),
            event["payload"]["period"].as_str(),
        ) else {
            continue;
        };
        let earlier = auditor
            .get(&format!("/api/enterprises/{id}?as_of={}", position - 1))
            .await
            .expect(200);
        let now = auditor
            .get(&format!("/api/enterprises/{id}"))
            .await
            .expect(200);
        let generated =
            |reply: &Value| reply["state"]["ledger"][period]["figures"]["generated"].as_u64();
        if let (Some(before), Some(after)) = (generated(&earlier.body), generated(&now.body))
            && before != after
        {
            found = Some((id.to_owned(), position, before, after, earlier));
            break;
        }
    }
    let (id, position, before, after, earlier) =
        found.expect("the demo corrects a ledger's generated amount");
    let name = earlier.body["state"]["name"]
        .as_str()
        .expect("name")
        .to_owned();
    let events_then = auditor
        .get(&format!(
            "/api/enterprises/{id}/history?as_of={}",
            position - 1
        ))
        .await
        .expect(200);
    let events_then = events_then.body["events"].as_array().map_or(0, Vec::len);

    let browser = Browser::start().await;
    browser.goto(&app.url).await;
    sign_in(&browser, "auditor").await;
    let nav = browser.text("nav.nav").await;
    assert!(nav.contains("审计回放") && nav.contains("账户"), "{nav}");
    browser.click("nav [data-section=audit]").await;
    browser
        .wait_text("#chain-status", |t| t.contains("完整"))
        .await;
    browser
        .type_into("#as-of-position", &(position - 1).to_string())
        .await;
    browser.click("#as-of-apply").await;
    browser
        .wait_text("#as-of-banner", |t| {
            t.contains(&format!("{}", position - 1))
        })
        .await;
    browser.screenshot("10-audit").await;
    open_from_list(&browser, "section.list[data-collection=enterprises]", &name).await;
    browser.wait_text("#enterprise-name", |t| t == name).await;
    // As of then: the earlier figure, and only the events recorded by then.
    browser
        .wait_text("#ledger", |t| {
            t.contains(&tonnes_zh(before)) && !t.contains(&tonnes_zh(after))
        })
        .await;
    let shown = browser
        .script(
            "return document.querySelectorAll('#timeline li').length",
            json!([]),
        )
        .await;
    assert_eq!(shown, json!(events_then), "the timeline as of then");
    assert!(
        browser.find_all("#record-ledger").await == 0,
        "no form while replaying"
    );
    browser.screenshot("11-enterprise-as-of").await;
    // Back to now: the corrected figure.
    browser.click("#back-to-now").await;
    browser
        .wait_text("#ledger", |t| t.contains(&tonnes_zh(after)))
        .await;
    browser.screenshot("12-enterprise-now").await;

    assert_no_console_errors(&browser.console_errors().await);
    drop(browser);
    app.stop().await;
}
