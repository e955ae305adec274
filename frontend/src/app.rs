//! The Leptos application: sign-in, navigation by role, the dashboard (驾驶舱), enterprise, project
//! and account lists, enterprise and project details with their event timelines, the
//! record-ledger form, and the audit replay (an as-of moment that every read then applies).

use leptos::prelude::*;
use leptos::task::spawn_local;
use redmud_domain::rules::{self, FundingLine, GoalLine};
use redmud_domain::{
    Account, BasisPoints, Enterprise, Fen, Kg, NaiveDate, Period, Prefecture, Project, Ratio,
    Region, TypicalCase, UtilizationRoute,
};
use serde_json::{Value, json};

use crate::api::{self, Problem};
use crate::charts;
use crate::format;
use crate::forms::Agg;
use crate::forms::view::{CommandForms, NewRecord};
use crate::i18n::{self, Key, Lang, fill, text};
use crate::pages::labels::L;
use crate::roles::{Role, Section};
use crate::validate::{self, Field, LedgerForm};

// pages: bases, regional plans, reports, audit tools, dashboard additions (issue 6).
#[path = "pages/ui/mod.rs"]
mod pages_ui;

const TOKEN_KEY: &str = "redmud.session";
const LANG_KEY: &str = "redmud.lang";
const PAGE_SIZE: u64 = 20;

/// The signed-in user.
#[derive(Debug, Clone, PartialEq)]
struct Session {
    token: String,
    username: String,
    display_name: String,
    role: Role,
    /// A bureau's region (`None` for the province-wide roles).
    region: Option<Region>,
}

impl Session {
    /// The filter value that narrows a list or report to the account's own region: a bureau's
    /// region code, empty (all regions) for everyone else.
    fn own_region(&self) -> String {
        self.region
            .map(|r| r.code().to_string())
            .unwrap_or_default()
    }
}

/// What the main area shows.
#[derive(Debug, Clone, PartialEq)]
enum Page {
    Section(Section),
    Enterprise(String),
    Project(String),
    // pages (issue 6)
    Base(String),
    RegionalPlan(String),
    Account(String),
}

/// The audit replay's moment: every read carries it as `as_of` while it is set.
#[derive(Debug, Clone, PartialEq)]
enum AsOf {
    /// A `datetime-local` value (`2026-03-01T08:00`), China Standard Time.
    Time(String),
    /// A log position.
    Position(u64),
}

impl AsOf {
    /// The `as_of` query value: an RFC 3339 time (+08:00) or the position's digits.
    fn param(&self) -> String {
        match self {
            AsOf::Time(local) => {
                let seconds = if local.len() == 16 { ":00" } else { "" };
                format!("{local}{seconds}+08:00")
            }
            AsOf::Position(p) => p.to_string(),
        }
    }

    /// How the banner names it.
    fn label(&self, lang: Lang) -> String {
        match self {
            AsOf::Time(_) => format::datetime(&self.param(), lang),
            AsOf::Position(p) => format!("{} {p}", text(lang, Key::Position)),
        }
    }
}

/// The application state, shared by context.
#[derive(Debug, Clone, Copy)]
struct Ctx {
    lang: RwSignal<Lang>,
    session: RwSignal<Option<Session>>,
    page: RwSignal<Page>,
    as_of: RwSignal<Option<AsOf>>,
}

impl Ctx {
    fn t(&self, key: Key) -> &'static str {
        text(self.lang.get(), key)
    }
    fn token(&self) -> Option<String> {
        self.session
            .with_untracked(|s| s.as_ref().map(|s| s.token.clone()))
    }
    fn role(&self) -> Option<Role> {
        self.session.with(|s| s.as_ref().map(|s| s.role))
    }
    /// The region filter a list or report starts with: the bureau's own region, else all.
    fn own_region(&self) -> String {
        self.session
            .with_untracked(|s| s.as_ref().map(Session::own_region))
            .unwrap_or_default()
    }
    /// A 401 means the session is gone: back to the sign-in page.
    fn check(&self, problem: &Problem) {
        if problem.status == 401 {
            store(TOKEN_KEY, None);
            self.session.set(None);
        }
    }
    /// `path` with the audit moment's `as_of` (tracked), joined with `?` or `&`.
    fn at(&self, path: &str) -> String {
        match self.as_of.get() {
            Some(moment) => {
                let join = if path.contains('?') { '&' } else { '?' };
                format!("{path}{join}{}", api::query(&[("as_of", moment.param())]))
            }
            None => path.to_owned(),
        }
    }
}

fn ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// What the forms (`crate::forms::view`) need of the application.
fn forms_env() -> crate::forms::view::Env {
    let ctx = ctx();
    crate::forms::view::Env {
        lang: ctx.lang,
        token: Signal::derive(move || ctx.session.with(|s| s.as_ref().map(|s| s.token.clone()))),
        role: Signal::derive(move || ctx.role()),
        own_region: Signal::derive(move || ctx.own_region()),
        replaying: Signal::derive(move || ctx.as_of.with(Option::is_some)),
        unauthorized: StoredValue::new(Box::new(move || {
            ctx.check(&Problem {
                status: 401,
                code: String::new(),
                title: String::new(),
                detail: String::new(),
            });
        }) as Box<dyn Fn() + Send + Sync>),
        open: StoredValue::new(Box::new(move |agg: Agg, id: String| match agg {
            Agg::Enterprise => ctx.page.set(Page::Enterprise(id)),
            Agg::Project => ctx.page.set(Page::Project(id)),
            Agg::Base => ctx.page.set(Page::Base(id)),
            Agg::RegionalPlan => ctx.page.set(Page::RegionalPlan(id)),
            Agg::Account => ctx.page.set(Page::Account(id)),
        }) as Box<dyn Fn(Agg, String) + Send + Sync>),
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

fn store(key: &str, value: Option<&str>) {
    if let Some(storage) = storage() {
        let _ = match value {
            Some(value) => storage.set_item(key, value),
            None => storage.remove_item(key),
        };
    }
}

fn session_from(value: &Value, token: String) -> Option<Session> {
    Some(Session {
        token,
        username: value["username"].as_str()?.to_owned(),
        display_name: value["display_name"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        role: Role::parse(value["role"].as_str()?)?,
        region: serde_json::from_value(value["region"].clone()).unwrap_or_default(),
    })
}

fn today() -> NaiveDate {
    // The browser's clock, in China Standard Time (as the server decides "today").
    #[allow(clippy::cast_possible_truncation)]
    let millis = js_sys::Date::now() as i64;
    chrono::DateTime::from_timestamp_millis(millis)
        .map(|t| (t + chrono::Duration::hours(8)).date_naive())
        .unwrap_or_default()
}

fn kg(value: &Value) -> Kg {
    value
        .as_u64()
        .and_then(|k| Kg::new(k).ok())
        .unwrap_or(Kg::ZERO)
}

/// An exact rate from a report's `{numerator, denominator, …}` (`None` for `null`).
fn rate(value: &Value) -> Option<Ratio> {
    Ratio::new(value["numerator"].as_u64()?, value["denominator"].as_u64()?).ok()
}

fn percent_or_dash(rate: Option<Ratio>) -> String {
    rate.map(format::percent).unwrap_or_else(|| "—".into())
}

fn region_of(value: &Value) -> Option<Region> {
    value
        .as_u64()
        .and_then(|c| u32::try_from(c).ok())
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
        .and_then(|c| Region::from_code(c).ok())
}

fn region_name(value: &Value, lang: Lang) -> String {
    region_of(value)
        .map(|r| format::region(r, lang))
        .unwrap_or_default()
}

fn region_short(value: &Value, lang: Lang) -> String {
    match region_of(value) {
        Some(Region::Prefecture(p)) => format::prefecture_short(p, lang).to_owned(),
        Some(r) => format::region(r, lang),
        None => String::new(),
    }
}

fn date_of(value: &Value, lang: Lang) -> String {
    value
        .as_str()
        .and_then(|s| s.parse::<NaiveDate>().ok())
        .map(|d| format::date(d, lang))
        .unwrap_or_else(|| "—".into())
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(
        load(LANG_KEY)
            .map(|t| Lang::from_tag(&t))
            .unwrap_or_default(),
    );
    let session = RwSignal::new(None::<Session>);
    let page = RwSignal::new(Page::Section(Section::Dashboard));
    let as_of = RwSignal::new(None::<AsOf>);
    let ctx = Ctx {
        lang,
        session,
        page,
        as_of,
    };
    provide_context(ctx);
    pages_ui::provide();
    // Keep <html lang> and the title in step with the language.
    Effect::new(move |_| {
        let lang = lang.get();
        store(LANG_KEY, Some(lang.tag()));
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = document.document_element() {
                let _ = root.set_attribute("lang", lang.tag());
            }
            document.set_title(text(lang, Key::AppTitle));
        }
    });
    // Resume a session kept in sessionStorage.
    if let Some(token) = load(TOKEN_KEY) {
        spawn_local(async move {
            match api::get("/api/auth/me", Some(&token)).await {
                Ok(reply) => session.set(session_from(&reply.body, token)),
                Err(_) => store(TOKEN_KEY, None),
            }
        });
    }
    let sign_out = move |_| {
        let token = ctx.token();
        store(TOKEN_KEY, None);
        session.set(None);
        as_of.set(None);
        page.set(Page::Section(Section::Dashboard));
        if let Some(token) = token {
            spawn_local(async move {
                let _ = api::post("/api/auth/logout", Some(&token), &json!({}), None).await;
            });
        }
    };
    let who = move || {
        session.with(|s| {
            s.as_ref()
                .map(|s| {
                    let name = if s.display_name.is_empty() {
                        &s.username
                    } else {
                        &s.display_name
                    };
                    format!("{name} · {}", text(lang.get(), s.role.label()))
                })
                .unwrap_or_default()
        })
    };
    view! {
        <div class="app">
            <header class="top">
                <div class="brand">
                    <strong>{move || ctx.t(Key::AppTitle)}</strong>
                    <span class="subtitle">{move || ctx.t(Key::AppSubtitle)}</span>
                </div>
                <Nav/>
                <div class="tools">
                    <button class="lang" id="lang-switch" on:click=move |_| lang.update(|l| *l = l.other())>
                        {move || ctx.t(Key::SwitchLanguage)}
                    </button>
                    <Show when=move || session.with(Option::is_some)>
                        <span class="who" id="who">{who}</span>
                        <button id="sign-out" on:click=sign_out>{move || ctx.t(Key::SignOut)}</button>
                    </Show>
                </div>
            </header>
            {move || as_of.get().filter(|_| session.with(Option::is_some)).map(|moment| view! {
                <div class="as-of-banner" id="as-of-banner" role="status">
                    <span>{fill(lang.get(), Key::AsOfBanner, &[("moment", &moment.label(lang.get()))])}</span>
                    <button id="back-to-now" on:click=move |_| as_of.set(None)>{move || ctx.t(Key::BackToNow)}</button>
                </div>
            })}
            <main>
                {move || match (session.with(Option::is_some), page.get()) {
                    (false, _) => view! { <SignIn/> }.into_any(),
                    (true, Page::Section(Section::Dashboard)) => view! { <Dashboard/> }.into_any(),
                    (true, Page::Section(Section::Enterprises)) => view! { <EnterpriseList/> }.into_any(),
                    (true, Page::Section(Section::Projects)) => view! { <ProjectList/> }.into_any(),
                    (true, Page::Section(Section::Accounts)) => view! { <AccountList/> }.into_any(),
                    (true, Page::Section(Section::Audit)) => view! { <AuditPage/> }.into_any(),
                    (true, Page::Enterprise(id)) => view! { <EnterpriseDetail id=id/> }.into_any(),
                    (true, Page::Project(id)) => view! { <ProjectDetail id=id/> }.into_any(),
                    // pages (issue 6)
                    (true, Page::Section(Section::Bases)) => view! { <pages_ui::BaseList/> }.into_any(),
                    (true, Page::Section(Section::RegionalPlans)) => view! { <pages_ui::PlanList/> }.into_any(),
                    (true, Page::Section(Section::Reports)) => view! { <pages_ui::ReportsPage/> }.into_any(),
                    (true, Page::Base(id)) => view! { <pages_ui::BaseDetail id=id/> }.into_any(),
                    (true, Page::RegionalPlan(id)) => view! { <pages_ui::PlanDetail id=id/> }.into_any(),
                    (true, Page::Account(id)) => view! { <AccountDetail id=id/> }.into_any(),
                }}
            </main>
        </div>
    }
}

fn section_code(section: Section) -> &'static str {
    match section {
        Section::Dashboard => "dashboard",
        Section::Enterprises => "enterprises",
        Section::Projects => "projects",
        Section::Accounts => "accounts",
        Section::Audit => "audit",
        // pages (issue 6)
        Section::Bases => "bases",
        Section::RegionalPlans => "regional-plans",
        Section::Reports => "reports",
    }
}

#[component]
fn Nav() -> impl IntoView {
    let ctx = ctx();
    view! {
        <nav class="nav">
            {move || {
                ctx.role().map(|role| {
                    role.sections()
                        .iter()
                        .map(|section| {
                            let section = *section;
                            let active = move || match ctx.page.get() {
                                Page::Section(s) => s == section,
                                Page::Enterprise(_) => section == Section::Enterprises,
                                Page::Project(_) => section == Section::Projects,
                                // pages (issue 6)
                                Page::Base(_) => section == Section::Bases,
                                Page::RegionalPlan(_) => section == Section::RegionalPlans,
                                Page::Account(_) => section == Section::Accounts,
                            };
                            view! {
                                <button
                                    class="nav-item"
                                    class:active=active
                                    data-section=section_code(section)
                                    on:click=move |_| ctx.page.set(Page::Section(section))
                                >
                                    {move || ctx.t(section.label())}
                                </button>
                            }
                        })
                        .collect_view()
                })
            }}
        </nav>
    }
}

#[component]
fn SignIn() -> impl IntoView {
    let ctx = ctx();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let body = json!({
            "username": username.get_untracked(),
            "password": password.get_untracked(),
        });
        spawn_local(async move {
            match api::post("/api/auth/login", None, &body, None).await {
                Ok(reply) => {
                    let token = reply.body["token"].as_str().unwrap_or_default().to_owned();
                    store(TOKEN_KEY, Some(&token));
                    let session = session_from(&reply.body["account"], token);
                    let first = session
                        .as_ref()
                        .and_then(|s| s.role.sections().first().copied())
                        .unwrap_or(Section::Dashboard);
                    ctx.page.set(Page::Section(first));
                    ctx.session.set(session);
                }
                Err(problem) => error.set(Some(problem.message())),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card sign-in" id="sign-in" on:submit=submit>
            <h1>{move || ctx.t(Key::SignIn)}</h1>
            <label>
                {move || ctx.t(Key::Username)}
                <input name="username" autocomplete="username" required
                    prop:value=move || username.get()
                    on:input=move |ev| username.set(event_target_value(&ev))/>
            </label>
            <label>
                {move || ctx.t(Key::Password)}
                <input name="password" type="password" autocomplete="current-password" required
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))/>
            </label>
            <Show when=move || error.with(Option::is_some)>
                <p class="error" role="alert">{move || error.get()}</p>
            </Show>
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { ctx.t(Key::SigningIn) } else { ctx.t(Key::SignIn) }}
            </button>
        </form>
    }
}

type Loaded = RwSignal<Option<Result<api::Reply, Problem>>>;

/// Loads JSON from `path()` whenever it changes (and on `reload`), into a signal.
fn fetch_json(path: impl Fn() -> String + 'static, reload: RwSignal<u32>) -> Loaded {
    let ctx = ctx();
    let data = RwSignal::new(None);
    // Each load is numbered; only the latest one's reply is kept, so a slow reply to an earlier
    // path (a list before its filter changed) never overwrites the current one.
    let latest = StoredValue::new(0u64);
    Effect::new(move |_| {
        reload.track();
        let path = path();
        let token = ctx.token();
        let this = latest.get_value().wrapping_add(1);
        latest.set_value(this);
        data.set(None);
        spawn_local(async move {
            let reply = api::get(&path, token.as_deref()).await;
            if latest.try_get_value() != Some(this) {
                return;
            }
            if let Err(problem) = &reply {
                ctx.check(problem);
            }
            data.set(Some(reply));
        });
    });
    data
}

/// The body of a loaded reply (`Null` while loading or after an error).
fn body(data: Loaded) -> Value {
    data.with(|d| match d {
        Some(Ok(reply)) => reply.body.clone(),
        _ => Value::Null,
    })
}

fn loading_or_error(ctx: Ctx, data: Option<&Result<api::Reply, Problem>>) -> AnyView {
    match data {
        None => view! { <p class="loading">{ctx.t(Key::Loading)}</p> }.into_any(),
        Some(Err(problem)) => view! {
            <p class="error" role="alert">{ctx.t(Key::LoadFailed)}": "{problem.message()}</p>
        }
        .into_any(),
        Some(Ok(_)) => ().into_any(),
    }
}

/// The year the dashboard shows: the latest year of the province's goal lines with red mud
/// generated.
fn dashboard_year(targets: &Value) -> Option<u16> {
    targets["province"]
        .as_array()?
        .iter()
        .filter(|line| !line["new_rate"].is_null())
        .filter_map(|line| line["year"].as_u64().and_then(|y| u16::try_from(y).ok()))
        .max()
}

#[component]
fn Dashboard() -> impl IntoView {
    let ctx = ctx();
    let reload = RwSignal::new(0);
    let targets = fetch_json(move || ctx.at("/api/reports/targets"), reload);
    let years = fetch_json(
        move || ctx.at("/api/reports/balance?granularity=year"),
        reload,
    );
    let quarters = fetch_json(
        move || ctx.at("/api/reports/balance?granularity=quarter&region=520000"),
        reload,
    );
    let projects = fetch_json(move || ctx.at("/api/projects?limit=500"), reload);

    let province = move || {
        let lang = ctx.lang.get();
        let targets = body(targets);
        let year = dashboard_year(&targets)?;
        let line = targets["province"]
            .as_array()?
            .iter()
            .find(|l| l["year"].as_u64() == Some(u64::from(year)))?
            .clone();
        let province_rate = rate(&line["new_rate"]);
        let goals = vec![
            (
                rules::NATIONAL_GOAL_2027,
                text(lang, Key::Goal2027).to_owned(),
            ),
            (
                rules::NATIONAL_GOAL_2030,
                text(lang, Key::Goal2030).to_owned(),
            ),
        ];
        let title = format!("{} · {year}", text(lang, Key::ProvinceProgress));
        let chart = charts::progress(&title, province_rate, &goals);
        Some(view! {
            <div class="card">
                <h2>{title.clone()}</h2>
                <p class="big" id="province-rate">{percent_or_dash(province_rate)}</p>
                <div class="chart-box" id="province-progress" inner_html=chart></div>
                <p class="muted" id="province-totals">
                    {text(lang, Key::Generated)}": "{format::tonnes(kg(&line["generated"]), lang)}" · "
                    {text(lang, Key::UtilizedFromNew)}": "{format::tonnes(kg(&line["utilized_from_new"]), lang)}
                </p>
            </div>
        })
    };

    let by_region = move || {
        let lang = ctx.lang.get();
        let year = dashboard_year(&body(targets))?;
        let balance = body(years);
        let year_text = year.to_string();
        let lines: Vec<Value> = balance["lines"]
            .as_array()?
            .iter()
            .filter(|l| l["period"].as_str() == Some(year_text.as_str()))
            .filter(|l| l["region"].as_str() != Some("520000"))
            .cloned()
            .collect();
        let target = GoalLine::default()
            .default_rate_target(year)
            .unwrap_or(rules::NATIONAL_GOAL_2027);
        let rows: Vec<(String, Option<Ratio>)> = lines
            .iter()
            .map(|l| (region_short(&l["region"], lang), rate(&l["new_rate"])))
            .collect();
        let target_label = format!(
            "{} {}",
            text(lang, Key::Target),
            format::percent(target.as_ratio())
        );
        let title = format!("{} · {year}", text(lang, Key::RateByRegion));
        let chart = charts::rate_bars(&title, &rows, target, &target_label);
        let table = lines
            .iter()
            .map(|l| {
                let r = rate(&l["new_rate"]);
                view! {
                    <tr>
                        <td>{region_name(&l["region"], lang)}</td>
                        <td class="num">{format::tonnes(kg(&l["figures"]["generated"]), lang)}</td>
                        <td class="num">{format::tonnes(kg(&l["utilized_from_new_total"]), lang)}</td>
                        <td class="num">{percent_or_dash(r)}</td>
                        <td>{match r { Some(r) if r.meets(target) => text(lang, Key::Met), _ => text(lang, Key::NotMet) }}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <div class="card">
                <h2>{title}</h2>
                <div class="chart-box" id="rate-by-region" inner_html=chart></div>
                <p class="muted">{text(lang, Key::RateChartNote)}</p>
                <div class="table-wrap">
                    <table>
                        <thead><tr>
                            <th>{text(lang, Key::Region)}</th>
                            <th class="num">{text(lang, Key::Generated)}</th>
                            <th class="num">{text(lang, Key::UtilizedFromNew)}</th>
                            <th class="num">{text(lang, Key::Rate)}</th>
                            <th>{target_label.clone()}</th>
                        </tr></thead>
                        <tbody>{table}</tbody>
                    </table>
                </div>
            </div>
        })
    };

    let plans = move || {
        let lang = ctx.lang.get();
        let targets = body(targets);
        let year = dashboard_year(&targets)?;
        let rows = targets["lines"]
            .as_array()?
            .iter()
            .filter(|l| l["year"].as_u64() == Some(u64::from(year)))
            .map(|l| {
                let target_rate = l["target_rate_bp"]
                    .as_u64()
                    .and_then(|bp| u16::try_from(bp).ok())
                    .map(|bp| format::percent(BasisPoints::saturating(bp).as_ratio()))
                    .unwrap_or_default();
                let met = match l["rate_met"].as_bool() {
                    Some(true) => text(lang, Key::Met),
                    Some(false) => text(lang, Key::NotMet),
                    None => "—",
                };
                let pace = if l["on_pace"].as_bool() == Some(true) {
                    text(lang, Key::OnPace)
                } else {
                    text(lang, Key::Behind)
                };
                view! {
                    <tr>
                        <td>{region_name(&l["region"], lang)}</td>
                        <td class="num">{target_rate}</td>
                        <td class="num">{percent_or_dash(rate(&l["actual_new_rate"]))}</td>
                        <td>{met}</td>
                        <td class="num">{format::tonnes(kg(&l["target_utilized"]), lang)}</td>
                        <td class="num">{format::tonnes(kg(&l["actual_utilized"]), lang)}</td>
                        <td>{pace}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <div class="card">
                <h2>{format!("{} · {year}", text(lang, Key::TargetsTitle))}</h2>
                <div class="table-wrap">
                    <table id="plan-targets">
                        <thead><tr>
                            <th>{text(lang, Key::Region)}</th>
                            <th class="num">{text(lang, Key::TargetRate)}</th>
                            <th class="num">{text(lang, Key::ActualRate)}</th>
                            <th></th>
                            <th class="num">{text(lang, Key::TargetUtilized)}</th>
                            <th class="num">{text(lang, Key::ActualUtilized)}</th>
                            <th>{text(lang, Key::Pace)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </div>
        })
    };

    let trend = move || {
        let lang = ctx.lang.get();
        let balance = body(quarters);
        let rows: Vec<(String, Kg, Kg)> = balance["lines"]
            .as_array()?
            .iter()
            .filter(|l| l["region"].as_str() == Some("520000"))
            .map(|l| {
                let label = l["period"]
                    .as_str()
                    .and_then(|p| p.parse::<Period>().ok())
                    .map(|p| format::period(p, lang))
                    .unwrap_or_default();
                (
                    label,
                    kg(&l["figures"]["generated"]),
                    kg(&l["utilized_total"]),
                )
            })
            .collect();
        if rows.is_empty() {
            return None;
        }
        let title = text(lang, Key::GeneratedVsUtilized);
        let chart = charts::generated_vs_utilized(
            title,
            &rows,
            (text(lang, Key::Generated), text(lang, Key::UtilizedTotal)),
            lang,
        );
        Some(view! {
            <div class="card">
                <h2>{title}</h2>
                <div class="chart-box" id="quarters" inner_html=chart></div>
            </div>
        })
    };

    let funding = move || {
        let lang = ctx.lang.get();
        let projects = body(projects);
        let lines: Vec<FundingLine> = projects["items"]
            .as_array()?
            .iter()
            .filter_map(|i| serde_json::from_value::<Project>(i["state"].clone()).ok())
            .flat_map(|p| p.awards().values().map(|a| a.line()).collect::<Vec<_>>())
            .collect();
        let totals = rules::funding_balances(lines).ok()?;
        let title = text(lang, Key::Funding);
        let chart = charts::awarded_vs_disbursed(
            title,
            totals.awarded,
            totals.disbursed,
            (text(lang, Key::Awarded), text(lang, Key::Disbursed)),
            lang,
        );
        Some(view! {
            <div class="card">
                <h2>{title}</h2>
                <div class="chart-box" id="funding" inner_html=chart></div>
                <p class="muted">
                    {text(lang, Key::Outstanding)}": "{format::money(totals.outstanding, lang)}" · "
                    {text(lang, Key::Recovered)}": "{format::money(totals.recovered, lang)}
                </p>
            </div>
        })
    };

    view! {
        <section class="dashboard" id="dashboard">
            <h1>{move || ctx.t(Key::NavDashboard)}</h1>
            {move || targets.with(|d| loading_or_error(ctx, d.as_ref()))}
            {province}
            // pages (issue 6): overdue milestones, audit flags
            <pages_ui::DashboardAlerts/>
            {by_region}
            {plans}
            {trend}
            {funding}
        </section>
    }
}

/// Filters, sorting, paging and the page of rows of a list.
#[component]
fn ListFrame(
    collection: &'static str,
    title: Key,
    statuses: &'static [&'static str],
    columns: Vec<Key>,
    row: fn(&Value, Lang) -> Vec<String>,
    #[prop(optional)] open: Option<fn(String)>,
) -> impl IntoView {
    let ctx = ctx();
    let q = RwSignal::new(String::new());
    let region = RwSignal::new(ctx.own_region());
    let status = RwSignal::new(String::new());
    let sort = RwSignal::new(String::new());
    let offset = RwSignal::new(0u64);
    let reload = RwSignal::new(0);
    let data = fetch_json(
        move || {
            ctx.at(&format!(
                "/api/{collection}?{}",
                api::query(&[
                    ("q", q.get()),
                    ("region", region.get()),
                    ("status", status.get()),
                    ("sort", sort.get()),
                    ("limit", PAGE_SIZE.to_string()),
                    ("offset", offset.get().to_string()),
                ])
            ))
        },
        reload,
    );
    let total = move || {
        data.with(|d| match d {
            Some(Ok(r)) => r.body["total"].as_u64().unwrap_or(0),
            _ => 0,
        })
    };
    let headers = columns.clone();
    let sorts = [
        ("", Key::Sort),
        ("name", Key::SortName),
        ("-name", Key::SortNameDesc),
        ("-updated", Key::SortUpdated),
        ("updated", Key::SortUpdatedOldest),
    ];
    view! {
        <section class="list" data-collection=collection>
            <h1>{move || ctx.t(title)}</h1>
            <div class="filters">
                <input type="search" name="q" placeholder=move || ctx.t(Key::Search)
                    aria-label=move || ctx.t(Key::Search)
                    prop:value=move || q.get()
                    on:change=move |ev| { q.set(event_target_value(&ev)); offset.set(0); }/>
                <select name="region" aria-label=move || ctx.t(Key::Region)
                    on:change=move |ev| { region.set(event_target_value(&ev)); offset.set(0); }>
                    <option value="">{move || ctx.t(Key::AllRegions)}</option>
                    {move || {
                        let lang = ctx.lang.get();
                        Prefecture::ALL.iter().map(|p| {
                            let code = p.code().to_string();
                            let selected = code.clone();
                            view! {
                                <option value=code selected=move || region.get() == selected>
                                    {format::region(Region::Prefecture(*p), lang)}
                                </option>
                            }
                        }).collect_view()
                    }}
                </select>
                <Show when=move || !statuses.is_empty()>
                    <select name="status" aria-label=move || ctx.t(Key::Status)
                        on:change=move |ev| { status.set(event_target_value(&ev)); offset.set(0); }>
                        <option value="">{move || ctx.t(Key::AnyStatus)}</option>
                        {move || {
                            let lang = ctx.lang.get();
                            statuses.iter().map(|s| view! {
                                <option value=*s selected=move || status.get() == *s>{i18n::status(s, lang)}</option>
                            }).collect_view()
                        }}
                    </select>
                </Show>
                <select name="sort" aria-label=move || ctx.t(Key::Sort)
                    on:change=move |ev| { sort.set(event_target_value(&ev)); offset.set(0); }>
                    {move || sorts.iter().map(|(code, key)| {
                        let code = *code;
                        view! { <option value=code selected=move || sort.get() == code>{ctx.t(*key)}</option> }
                    }).collect_view()}
                </select>
            </div>
            {move || data.with(|d| loading_or_error(ctx, d.as_ref()))}
            <div class="table-wrap">
                <table>
                    <thead><tr>{move || headers.iter().map(|k| view! { <th>{ctx.t(*k)}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {move || {
                            let lang = ctx.lang.get();
                            let items = body(data)["items"].as_array().cloned().unwrap_or_default();
                            items
                                .into_iter()
                                .map(|item| {
                                    let id = item["id"].as_str().unwrap_or_default().to_owned();
                                    let cells = row(&item, lang);
                                    let first = cells.first().cloned().unwrap_or_default();
                                    let rest = cells.into_iter().skip(1).map(|c| view! { <td>{c}</td> }).collect_view();
                                    let name = match open {
                                        Some(open) => view! {
                                            <button class="link open" on:click=move |_| open(id.clone())>{first}</button>
                                        }.into_any(),
                                        None => view! { <span>{first}</span> }.into_any(),
                                    };
                                    view! { <tr><td>{name}</td>{rest}</tr> }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <div class="pager">
                <button class="prev" disabled=move || offset.get() == 0
                    on:click=move |_| offset.update(|o| *o = o.saturating_sub(PAGE_SIZE))>{move || ctx.t(Key::Previous)}</button>
                <span class="page-of">{move || {
                    let total = total();
                    let pages = total.div_ceil(PAGE_SIZE).max(1);
                    fill(ctx.lang.get(), Key::PageOf, &[
                        ("page", &(offset.get() / PAGE_SIZE + 1).to_string()),
                        ("pages", &pages.to_string()),
                        ("total", &format::group(total)),
                    ])
                }}</span>
                <button class="next" disabled=move || offset.get() + PAGE_SIZE >= total()
                    on:click=move |_| offset.update(|o| *o += PAGE_SIZE)>{move || ctx.t(Key::Next)}</button>
            </div>
        </section>
    }
}

fn open_enterprise(id: String) {
    ctx().page.set(Page::Enterprise(id));
}

fn open_project(id: String) {
    ctx().page.set(Page::Project(id));
}

#[component]
fn EnterpriseList() -> impl IntoView {
    fn row(item: &Value, lang: Lang) -> Vec<String> {
        let state = &item["state"];
        vec![
            state["name"].as_str().unwrap_or_default().to_owned(),
            state["uscc"].as_str().unwrap_or_default().to_owned(),
            region_name(&state["region"], lang),
            i18n::status(state["status"].as_str().unwrap_or_default(), lang),
        ]
    }
    view! {
        <NewRecord env=forms_env() agg=Agg::Enterprise/>
        <ListFrame collection="enterprises" title=Key::NavEnterprises
            statuses=&["active", "deregistered"]
            columns=vec![Key::Name, Key::Uscc, Key::Region, Key::Status]
            row=row open=open_enterprise/>
    }
}

#[component]
fn ProjectList() -> impl IntoView {
    fn row(item: &Value, lang: Lang) -> Vec<String> {
        let state = &item["state"];
        let proposal = &state["proposal"];
        vec![
            proposal["name"].as_str().unwrap_or_default().to_owned(),
            region_name(&proposal["region"], lang),
            proposal["budget"]
                .as_u64()
                .and_then(|fen| Fen::new(fen).ok())
                .map(|fen| format::money(fen, lang))
                .unwrap_or_default(),
            i18n::status(state["status"].as_str().unwrap_or_default(), lang),
        ]
    }
    view! {
        <NewRecord env=forms_env() agg=Agg::Project/>
        <ListFrame collection="projects" title=Key::NavProjects
            statuses=&["proposed", "approved", "under_construction", "in_operation", "accepted", "acceptance_failed", "suspended", "cancelled"]
            columns=vec![Key::Name, Key::Region, Key::Budget, Key::Status]
            row=row open=open_project/>
    }
}

#[component]
fn AccountList() -> impl IntoView {
    fn row(item: &Value, lang: Lang) -> Vec<String> {
        let state = &item["state"];
        let role = state["role"]
            .as_str()
            .and_then(Role::parse)
            .map(|r| text(lang, r.label()).to_owned())
            .unwrap_or_default();
        vec![
            state["username"].as_str().unwrap_or_default().to_owned(),
            state["display_name"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            role,
            region_name(&state["region"], lang),
        ]
    }
    view! {
        <NewRecord env=forms_env() agg=Agg::Account/>
        <ListFrame collection="accounts" title=Key::NavAccounts statuses=&[]
            columns=vec![Key::Username, Key::DisplayName, Key::Role, Key::Region]
            row=row open=open_account/>
    }
}

fn open_account(id: String) {
    ctx().page.set(Page::Account(id));
}

/// An account (admin): who it is, its role and region, its status, the account commands (role,
/// profile, password, disable / enable) and the timeline of who changed it.
#[component]
fn AccountDetail(id: String) -> impl IntoView {
    let ctx = ctx();
    let reload = RwSignal::new(0u32);
    let detail_path = format!("/api/accounts/{id}");
    let history_path = format!("/api/accounts/{id}/history");
    let detail = fetch_json(move || ctx.at(&detail_path), reload);
    let history = fetch_json(move || ctx.at(&history_path), reload);
    let account = move || {
        detail.with(|d| match d {
            Some(Ok(reply)) => serde_json::from_value::<Account>(reply.body["state"].clone()).ok(),
            _ => None,
        })
    };
    let forms_id = id.clone();
    view! {
        <section class="detail" id="account-detail">
            <button class="back" on:click=move |_| ctx.page.set(Page::Section(Section::Accounts))>
                "← "{move || ctx.t(Key::Back)}
            </button>
            {move || detail.with(|d| loading_or_error(ctx, d.as_ref()))}
            {move || account().map(|a| {
                let lang = ctx.lang.get();
                let role = a
                    .role()
                    .and_then(|r| Role::parse(r.code()))
                    .map(|r| text(lang, r.label()).to_owned())
                    .unwrap_or_default();
                let status = text(lang, if a.is_active() { Key::AccountActive } else { Key::AccountDisabled });
                view! {
                    <div class="card">
                        <h1 id="account-name">{a.username().map(ToString::to_string).unwrap_or_default()}</h1>
                        <dl class="facts">
                            <dt>{text(lang, Key::DisplayName)}</dt><dd>{a.display_name().to_owned()}</dd>
                            <dt>{text(lang, Key::Role)}</dt><dd id="account-role">{role}</dd>
                            <dt>{text(lang, Key::Region)}</dt>
                            <dd>{a.region().map(|r| format::region(r, lang)).unwrap_or_else(|| "—".to_owned())}</dd>
                            <dt>{text(lang, Key::Organisation)}</dt><dd>{a.organisation().to_owned()}</dd>
                            <dt>{text(lang, Key::Status)}</dt><dd id="account-status">{status}</dd>
                        </dl>
                    </div>
                }
            })}
            <CommandForms env=forms_env() agg=Agg::Account id=forms_id detail=detail reload=reload/>
            <Timeline history=history/>
        </section>
    }
}

/// The event timeline of a detail page (newest first): who, role, recorded, effective, reason.
#[component]
fn Timeline(history: Loaded) -> impl IntoView {
    let ctx = ctx();
    view! {
        <div class="card">
            <h2>{move || ctx.t(Key::Timeline)}</h2>
            {move || history.with(|d| loading_or_error(ctx, d.as_ref()))}
            <ol class="timeline" id="timeline">
                {move || {
                    let lang = ctx.lang.get();
                    let events = body(history)["events"].as_array().cloned().unwrap_or_default();
                    events.into_iter().rev().map(|event| {
                        let meta = &event["metadata"];
                        let role = meta["actor_role"]
                            .as_str()
                            .and_then(Role::parse)
                            .map(|r| text(lang, r.label()).to_owned())
                            .unwrap_or_default();
                        let effective = match &event["effective"] {
                            Value::String(s) => format::effective(s, lang),
                            Value::Null => "—".to_owned(),
                            other => other
                                .as_object()
                                .and_then(|o| o.values().next())
                                .and_then(Value::as_str)
                                .map(|s| format::effective(s, lang))
                                .unwrap_or_else(|| other.to_string()),
                        };
                        view! {
                            <li>
                                <div class="event-type">
                                    {i18n::event(event["event_type"].as_str().unwrap_or_default(), lang)}
                                    <span class="position">" #"{event["position"].as_u64().unwrap_or_default()}</span>
                                </div>
                                <div class="meta">
                                    <span>{text(lang, Key::Who)}": "{meta["actor_id"].as_str().unwrap_or_default().to_owned()}" ("{role}")"</span>
                                    <span>{text(lang, Key::Recorded)}": "{format::datetime(event["recorded_at"].as_str().unwrap_or_default(), lang)}</span>
                                    <span>{text(lang, Key::Effective)}": "{effective}</span>
                                    <span>{text(lang, Key::Reason)}": "{meta["reason"].as_str().unwrap_or("—").to_owned()}</span>
                                </div>
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
        </div>
    }
}

#[component]
fn EnterpriseDetail(id: String) -> impl IntoView {
    let ctx = ctx();
    let reload = RwSignal::new(0u32);
    let detail_path = format!("/api/enterprises/{id}");
    let history_path = format!("/api/enterprises/{id}/history");
    let forms_id = id.clone();
    let detail = fetch_json(move || ctx.at(&detail_path), reload);
    let history = fetch_json(move || ctx.at(&history_path), reload);
    let enterprise = move || {
        detail.with(|d| match d {
            Some(Ok(reply)) => {
                serde_json::from_value::<Enterprise>(reply.body["state"].clone()).ok()
            }
            _ => None,
        })
    };
    let etag = move || {
        detail.with(|d| {
            d.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|r| r.etag.clone())
        })
    };
    let notice = RwSignal::new(None::<String>);
    view! {
        <section class="detail">
            <button class="back" on:click=move |_| ctx.page.set(Page::Section(Section::Enterprises))>
                "← "{move || ctx.t(Key::Back)}
            </button>
            {move || detail.with(|d| loading_or_error(ctx, d.as_ref()))}
            {move || enterprise().map(|e| {
                let lang = ctx.lang.get();
                let ledger = e.ledger().iter().rev().map(|(period, entry)| {
                    let f = &entry.figures;
                    view! {
                        <tr>
                            <td>{format::period(*period, lang)}</td>
                            <td class="num">{format::tonnes(f.generated, lang)}</td>
                            <td class="num">{f.utilized_from_new_total().map(|k| format::tonnes(k, lang)).unwrap_or_default()}</td>
                            <td class="num">{format::tonnes(f.disposed_from_new, lang)}</td>
                            <td class="num">{format::tonnes(f.stored_new, lang)}</td>
                            <td class="num">{percent_or_dash(rules::new_utilization_rate(f).ok().flatten())}</td>
                            <td class="num">{entry.revision}</td>
                        </tr>
                    }
                }).collect_view();
                let kinds = e.kinds().iter().map(|k| match lang {
                    Lang::Zh => k.name_zh(),
                    Lang::En => k.name_en(),
                }).collect::<Vec<_>>().join("、");
                view! {
                    <div class="card">
                        <h1 id="enterprise-name">{e.name().to_owned()}</h1>
                        <dl class="facts">
                            <dt>{text(lang, Key::Uscc)}</dt><dd>{e.uscc().map(|u| u.to_string()).unwrap_or_default()}</dd>
                            <dt>{text(lang, Key::Region)}</dt><dd>{e.region().map(|r| format::region(r, lang)).unwrap_or_default()}</dd>
                            <dt>{text(lang, Key::Kind)}</dt><dd>{kinds}</dd>
                            {typical_case_facts(e.typical_case(), lang)}
                        </dl>
                    </div>
                    <div class="card">
                        <h2>{text(lang, Key::Ledger)}</h2>
                        <div class="table-wrap">
                            <table id="ledger">
                                <thead><tr>
                                    <th>{text(lang, Key::Period)}</th>
                                    <th class="num">{text(lang, Key::Generated)}</th>
                                    <th class="num">{text(lang, Key::UtilizedFromNew)}</th>
                                    <th class="num">{text(lang, Key::DisposedFromNew)}</th>
                                    <th class="num">{text(lang, Key::StoredNew)}</th>
                                    <th class="num">{text(lang, Key::Rate)}</th>
                                    <th class="num">{text(lang, Key::Revision)}</th>
                                </tr></thead>
                                <tbody>{ledger}</tbody>
                            </table>
                        </div>
                    </div>
                }
            })}
            {move || notice.get().map(|message| view! { <p class="ok card" id="ledger-ok" role="status">{message}</p> })}
            {move || {
                let may = ctx.role().is_some_and(Role::records_ledgers)
                    && ctx.as_of.with(Option::is_none);
                enterprise().filter(|_| may).map(|e| {
                    if e.is_alumina_refinery() {
                        let recorded: Vec<Period> = e.ledger().keys().copied().collect();
                        view! { <RecordLedgerForm id=id.clone() recorded=recorded etag=etag() reload=reload notice=notice/> }.into_any()
                    } else {
                        view! { <p class="muted">{ctx.t(Key::NotRefinery)}</p> }.into_any()
                    }
                })
            }}
            <CommandForms env=forms_env() agg=Agg::Enterprise id=forms_id detail=detail reload=reload/>
            <Timeline history=history/>
        </section>
    }
}

/// A standard's facts (type, drafting body, scope; number and date once published).
fn standard_facts(p: &Project, lang: Lang) -> Option<impl IntoView + use<>> {
    let spec = p.standard()?;
    let publication = p.publication().map(|x| {
        view! {
            <dt>{text(lang, Key::StandardNumber)}</dt><dd id="standard-number">{x.number.clone()}</dd>
            <dt>{text(lang, Key::PublishedOn)}</dt><dd>{format::date(x.published_on, lang)}</dd>
        }
    });
    Some(view! {
        <dt>{text(lang, Key::StandardType)}</dt>
        <dd>{L(spec.standard_type.name_zh(), spec.standard_type.name_en()).get(lang)}</dd>
        <dt>{text(lang, Key::DraftingBody)}</dt><dd>{spec.drafting_body.clone()}</dd>
        <dt>{text(lang, Key::StandardScope)}</dt>
        <dd>{L(spec.scope.name_zh(), spec.scope.name_en()).get(lang)}</dd>
        {publication}
    })
}

/// A typical-case recommendation, standing or withdrawn.
fn typical_case_facts(case: Option<&TypicalCase>, lang: Lang) -> Option<impl IntoView + use<>> {
    let case = case?;
    let line = match (case.withdrawn_on, &case.withdrawal_reason) {
        (Some(on), reason) => fill(
            lang,
            Key::CaseWithdrawn,
            &[
                ("date", &format::date(on, lang)),
                ("reason", reason.as_deref().unwrap_or_default()),
            ],
        ),
        (None, _) => fill(
            lang,
            Key::CaseRecommended,
            &[
                ("date", &format::date(case.recommended_on, lang)),
                ("summary", &case.summary),
            ],
        ),
    };
    Some(view! {
        <dt>{text(lang, Key::TypicalCase)}</dt><dd class="typical-case">{line}</dd>
    })
}

#[component]
fn ProjectDetail(id: String) -> impl IntoView {
    let ctx = ctx();
    let reload = RwSignal::new(0u32);
    let detail_path = format!("/api/projects/{id}");
    let history_path = format!("/api/projects/{id}/history");
    let forms_id = id.clone();
    let detail = fetch_json(move || ctx.at(&detail_path), reload);
    let history = fetch_json(move || ctx.at(&history_path), reload);
    let project = move || {
        detail.with(|d| match d {
            Some(Ok(reply)) => serde_json::from_value::<Project>(reply.body["state"].clone()).ok(),
            _ => None,
        })
    };
    view! {
        <section class="detail">
            <button class="back" on:click=move |_| ctx.page.set(Page::Section(Section::Projects))>
                "← "{move || ctx.t(Key::Back)}
            </button>
            {move || detail.with(|d| loading_or_error(ctx, d.as_ref()))}
            {move || project().map(|p| {
                let lang = ctx.lang.get();
                let state = body(detail)["state"].clone();
                let name = p.proposal().map(|x| x.name.clone()).unwrap_or_default();
                let budget = p.proposal().map(|x| format::money(x.budget, lang)).unwrap_or_default();
                let region = p.proposal().map(|x| format::region(x.region, lang)).unwrap_or_default();
                let status = i18n::status(state["status"].as_str().unwrap_or_default(), lang);
                let milestones = p.milestones().values().map(|m| view! {
                    <tr>
                        <td>{m.name.clone()}</td>
                        <td>{format::date(m.planned_on, lang)}</td>
                        <td>{m.achieved_on.map(|d| format::date(d, lang)).unwrap_or_else(|| text(lang, Key::NotYet).to_owned())}</td>
                    </tr>
                }).collect_view();
                let awards = p.awards().values().map(|a| view! {
                    <tr>
                        <td>{match lang { Lang::Zh => a.source.name_zh(), Lang::En => a.source.name_en() }}</td>
                        <td>{a.programme.clone()}</td>
                        <td>{format::date(a.awarded_on, lang)}</td>
                        <td class="num">{format::money(a.amount, lang)}</td>
                        <td class="num">{format::money(a.disbursed, lang)}</td>
                        <td class="num">{format::money(a.recovered, lang)}</td>
                    </tr>
                }).collect_view();
                view! {
                    <div class="card">
                        <h1 id="project-name">{name}</h1>
                        <dl class="facts">
                            <dt>{text(lang, Key::Status)}</dt><dd id="project-status">{status}</dd>
                            <dt>{text(lang, Key::Region)}</dt><dd>{region}</dd>
                            <dt>{text(lang, Key::Budget)}</dt><dd>{budget}</dd>
                            <dt>{text(lang, Key::Proposed)}</dt><dd>{date_of(&state["proposed_on"], lang)}</dd>
                            {p.proposal().map(|x| view! {
                                <dt>{text(lang, Key::Kind)}</dt><dd id="project-kind">{L(x.kind.name_zh(), x.kind.name_en()).get(lang)}</dd>
                                <dt>{text(lang, Key::Task)}</dt><dd>{L(x.task.name_zh(), x.task.name_en()).get(lang)}</dd>
                            })}
                            {standard_facts(&p, lang)}
                            {typical_case_facts(p.typical_case(), lang)}
                        </dl>
                    </div>
                    <div class="card">
                        <h2>{text(lang, Key::Milestones)}</h2>
                        <div class="table-wrap">
                            <table>
                                <thead><tr>
                                    <th>{text(lang, Key::Name)}</th>
                                    <th>{text(lang, Key::Due)}</th>
                                    <th>{text(lang, Key::Achieved)}</th>
                                </tr></thead>
                                <tbody>{milestones}</tbody>
                            </table>
                        </div>
                    </div>
                    <div class="card">
                        <h2>{text(lang, Key::Awards)}</h2>
                        <div class="table-wrap">
                            <table id="awards">
                                <thead><tr>
                                    <th>{text(lang, Key::Source)}</th>
                                    <th>{text(lang, Key::Programme)}</th>
                                    <th>{text(lang, Key::AwardedOn)}</th>
                                    <th class="num">{text(lang, Key::Awarded)}</th>
                                    <th class="num">{text(lang, Key::Disbursed)}</th>
                                    <th class="num">{text(lang, Key::Recovered)}</th>
                                </tr></thead>
                                <tbody>{awards}</tbody>
                            </table>
                        </div>
                    </div>
                }
            })}
            <CommandForms env=forms_env() agg=Agg::Project id=forms_id detail=detail reload=reload/>
            <Timeline history=history/>
        </section>
    }
}

#[component]
fn TonnesInput(
    label: Key,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    name: String,
) -> impl IntoView {
    let ctx = ctx();
    view! {
        <label class="field" class:invalid=move || error.with(Option::is_some)>
            <span>{move || ctx.t(label)}</span>
            <input name=name inputmode="decimal" placeholder=move || ctx.t(Key::TonnesHint)
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
            <span class="field-error">{move || error.get()}</span>
        </label>
    }
}

#[component]
fn RecordLedgerForm(
    id: String,
    recorded: Vec<Period>,
    etag: Option<String>,
    reload: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let ctx = ctx();
    let period = RwSignal::new(String::new());
    let generated = RwSignal::new(String::new());
    let disposed = RwSignal::new(String::new());
    let stored = RwSignal::new(String::new());
    let from_stock = RwSignal::new(String::new());
    let disposed_stock = RwSignal::new(String::new());
    let routes: Vec<(UtilizationRoute, RwSignal<String>)> = UtilizationRoute::ALL
        .iter()
        .map(|r| (*r, RwSignal::new(String::new())))
        .collect();
    let touched = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Problem>);
    let routes_for_form = routes.clone();
    let form = move || LedgerForm {
        period: period.get(),
        generated: generated.get(),
        routes: routes_for_form.iter().map(|(r, s)| (*r, s.get())).collect(),
        disposed_from_new: disposed.get(),
        stored_new: stored.get(),
        utilized_from_stock: from_stock.get(),
        stock_route: None,
        disposed_from_stock: disposed_stock.get(),
    };
    let checked = Memo::new(move |_| validate::ledger(&form(), today(), &recorded, ctx.lang.get()));
    let error_of = move |field: Field| {
        Signal::derive(move || {
            if !touched.get() {
                return None;
            }
            checked.with(|c| match c {
                Err(problems) => problems
                    .iter()
                    .find(|p| p.field == field)
                    .map(|p| p.message.clone()),
                Ok(_) => None,
            })
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        outcome.set(None);
        let Ok((period, figures)) = checked.get_untracked() else {
            return;
        };
        notice.set(None);
        let body = json!({ "period": period, "figures": figures });
        let path = format!("/api/enterprises/{id}/record-ledger");
        let token = ctx.token();
        let etag = etag.clone();
        busy.set(true);
        spawn_local(async move {
            let reply = api::post(&path, token.as_deref(), &body, etag.as_deref()).await;
            busy.set(false);
            match reply {
                Ok(_) => {
                    // The detail reloads (and this form with it): the notice lives in the page.
                    let lang = ctx.lang.get_untracked();
                    notice.set(Some(format!(
                        "{} {}",
                        text(lang, Key::Recorded201),
                        format::period(period, lang)
                    )));
                    reload.update(|n| *n += 1);
                }
                Err(problem) => {
                    ctx.check(&problem);
                    outcome.set(Some(problem));
                }
            }
        });
    };
    let route_inputs = routes
        .iter()
        .map(|(route, signal)| {
            let route = *route;
            let signal = *signal;
            let error = error_of(Field::Route(route));
            view! {
                <label class="field" class:invalid=move || error.with(Option::is_some)>
                    <span>{move || match ctx.lang.get() { Lang::Zh => route.name_zh(), Lang::En => route.name_en() }}</span>
                    <input name=format!("route-{}", route.code()) inputmode="decimal"
                        prop:value=move || signal.get()
                        on:input=move |ev| signal.set(event_target_value(&ev))/>
                    <span class="field-error">{move || error.get()}</span>
                </label>
            }
        })
        .collect_view();
    let period_error = error_of(Field::Period);
    let form_error = error_of(Field::Form);
    view! {
        <form class="card ledger-form" id="record-ledger" on:submit=submit novalidate>
            <h2>{move || ctx.t(Key::RecordLedger)}</h2>
            <label class="field" class:invalid=move || period_error.with(Option::is_some)>
                <span>{move || ctx.t(Key::Period)}</span>
                <input name="period" placeholder=move || ctx.t(Key::PeriodHint)
                    prop:value=move || period.get()
                    on:input=move |ev| period.set(event_target_value(&ev))/>
                <span class="field-error">{move || period_error.get()}</span>
            </label>
            <div class="grid">
                <TonnesInput label=Key::Generated value=generated error=error_of(Field::Generated) name="generated".into()/>
                <TonnesInput label=Key::DisposedFromNew value=disposed error=error_of(Field::DisposedFromNew) name="disposed_from_new".into()/>
                <TonnesInput label=Key::StoredNew value=stored error=error_of(Field::StoredNew) name="stored_new".into()/>
                <TonnesInput label=Key::UtilizedFromStock value=from_stock error=error_of(Field::UtilizedFromStock) name="utilized_from_stock".into()/>
                <TonnesInput label=Key::DisposedFromStock value=disposed_stock error=error_of(Field::DisposedFromStock) name="disposed_from_stock".into()/>
            </div>
            <fieldset>
                <legend>{move || ctx.t(Key::UtilizedByRoute)}</legend>
                <div class="grid">{route_inputs}</div>
            </fieldset>
            <p class="error form-error" role="alert">{move || form_error.get()}</p>
            <Show when=move || touched.get() && checked.with(Result::is_err)>
                <p class="error" id="fix-errors">{move || ctx.t(Key::FixErrors)}</p>
            </Show>
            {move || outcome.get().map(|problem| if problem.status == 412 {
                view! {
                    <div class="error stale" id="stale" role="alert">
                        <p>{ctx.t(Key::Stale)}</p>
                        <button type="button" on:click=move |_| reload.update(|n| *n += 1)>{ctx.t(Key::Reload)}</button>
                    </div>
                }.into_any()
            } else {
                view! {
                    <div class="error problem" id="problem" role="alert">
                        <p>{ctx.t(Key::ServerRefused)}" ("{problem.status}" "{problem.code.clone()}")"</p>
                        <p>{problem.message()}</p>
                    </div>
                }.into_any()
            })}
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { ctx.t(Key::Submitting) } else { ctx.t(Key::Submit) }}
            </button>
        </form>
    }
}

/// 审计回放: the moment every read applies, and the hash chain's verification.
#[component]
fn AuditPage() -> impl IntoView {
    let ctx = ctx();
    let time = RwSignal::new(match ctx.as_of.get_untracked() {
        Some(AsOf::Time(t)) => t,
        _ => String::new(),
    });
    let position = RwSignal::new(match ctx.as_of.get_untracked() {
        Some(AsOf::Position(p)) => p.to_string(),
        _ => String::new(),
    });
    let invalid = RwSignal::new(false);
    let reload = RwSignal::new(0u32);
    let chain = fetch_json(|| "/api/audit/verify".to_owned(), reload);
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let position = position.get_untracked();
        let time = time.get_untracked();
        let moment = if !position.trim().is_empty() {
            position
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|p| *p > 0)
                .map(AsOf::Position)
        } else if time.len() >= 16 {
            Some(AsOf::Time(time))
        } else {
            None
        };
        invalid.set(moment.is_none());
        if moment.is_some() {
            ctx.as_of.set(moment);
        }
    };
    let chain_status = move || {
        let lang = ctx.lang.get();
        let report = body(chain);
        if report.is_null() {
            return String::new();
        }
        if report["intact"].as_bool() == Some(true) {
            fill(
                lang,
                Key::ChainIntact,
                &[
                    (
                        "checked",
                        &format::group(report["checked"].as_u64().unwrap_or(0)),
                    ),
                    (
                        "last",
                        &report["last_position"].as_u64().unwrap_or(0).to_string(),
                    ),
                ],
            )
        } else {
            let failure = &report["first_failure"];
            fill(
                lang,
                Key::ChainBroken,
                &[
                    (
                        "position",
                        &failure["position"].as_u64().unwrap_or(0).to_string(),
                    ),
                    ("kind", failure["kind"].as_str().unwrap_or_default()),
                ],
            )
        }
    };
    view! {
        <section class="audit" id="audit">
            <h1>{move || ctx.t(Key::NavAudit)}</h1>
            // pages (issue 6): events, diff, flags, export; the replay below is the first tab
            <pages_ui::AuditTabs/>
            <Show when=pages_ui::replay_tab>
            <form class="card" id="as-of-form" on:submit=apply>
                <p class="muted">{move || ctx.t(Key::AuditHint)}</p>
                <div class="grid">
                    <label class="field">
                        <span>{move || ctx.t(Key::AsOfDateTime)}</span>
                        <input type="datetime-local" name="as-of-time" id="as-of-time"
                            prop:value=move || time.get()
                            on:input=move |ev| time.set(event_target_value(&ev))/>
                    </label>
                    <label class="field">
                        <span>{move || ctx.t(Key::AsOfPosition)}</span>
                        <input type="number" min="1" name="as-of-position" id="as-of-position"
                            prop:value=move || position.get()
                            on:input=move |ev| position.set(event_target_value(&ev))/>
                    </label>
                </div>
                <Show when=move || invalid.get()>
                    <p class="error" role="alert">{move || ctx.t(Key::AsOfInvalid)}</p>
                </Show>
                <button type="submit" id="as-of-apply">{move || ctx.t(Key::Apply)}</button>
            </form>
            <div class="card">
                <h2>{move || ctx.t(Key::ChainStatus)}</h2>
                {move || chain.with(|d| loading_or_error(ctx, d.as_ref()))}
                <p id="chain-status">{chain_status}</p>
            </div>
            <EnterpriseList/>
            <ProjectList/>
            </Show>
        </section>
    }
}
