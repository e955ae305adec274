//! The components of the bases, regional plans, reports and audit pages and the dashboard
//! additions (issue 6). A child module of `app` (declared there with `#[path]`), so it shares the
//! application's context, fetch helpers, list frame and timeline; the logic it shows is in the
//! browser-free [`crate::pages`] modules.

use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen::JsCast;

use super::{Ctx, Loaded, Page, body, ctx, fetch_json, loading_or_error};
use crate::api::{self, Problem};
use crate::i18n::Key;
use crate::pages::{download, query};

mod audit;
mod bases;
mod dashboard;
mod plans;
mod reports;

pub(super) use audit::AuditTabs;
pub(super) use bases::{BaseDetail, BaseList};
pub(super) use dashboard::DashboardAlerts;
pub(super) use plans::{PlanDetail, PlanList};
pub(super) use reports::ReportsPage;

/// The tabs of the audit page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AuditTab {
    /// The replay moment and the chain (the page as it was).
    Replay,
    /// Browse and filter every event.
    Events,
    /// Diff two moments.
    Diff,
    /// Audit flags.
    Flags,
    /// Evidence export.
    Export,
}

/// The new pages' own state, shared by context: which audit tab and report are shown, and what a
/// link asked the diff or the event browser to show.
#[derive(Debug, Clone, Copy)]
pub(super) struct PagesCtx {
    audit_tab: RwSignal<AuditTab>,
    report: RwSignal<&'static str>,
    diff_stream: RwSignal<String>,
}

/// Provides the pages' context (called once by `App`).
pub(super) fn provide() {
    provide_context(PagesCtx {
        audit_tab: RwSignal::new(AuditTab::Replay),
        report: RwSignal::new("balance"),
        diff_stream: RwSignal::new(String::new()),
    });
}

fn pctx() -> PagesCtx {
    expect_context::<PagesCtx>()
}

/// Whether the audit page shows its replay tab (the moment, the chain and the lists).
pub(super) fn replay_tab() -> bool {
    pctx().audit_tab.get() == AuditTab::Replay
}

/// The audit moment's `as_of` value (tracked).
fn as_of_param(ctx: Ctx) -> Option<String> {
    ctx.as_of.get().map(|moment| moment.param())
}

/// Opens the page of a stream (enterprise, project, base, regional plan); `false` when it has
/// none.
fn open_stream(stream: &str) -> bool {
    let Some((collection, id)) = query::stream_link(stream) else {
        return false;
    };
    let page = match collection {
        "enterprises" => Page::Enterprise(id),
        "projects" => Page::Project(id),
        "bases" => Page::Base(id),
        "regional-plans" => Page::RegionalPlan(id),
        _ => return false,
    };
    ctx().page.set(page);
    true
}

/// A stream shown as a link to its page (plain text when it has none).
fn stream_cell(stream: String) -> AnyView {
    if query::stream_link(&stream).is_some_and(|(c, _)| c != "accounts") {
        let short = short_stream(&stream);
        view! {
            <button class="link stream" title=stream.clone() data-stream=stream.clone()
                on:click=move |_| { open_stream(&stream); }>{short}</button>
        }
        .into_any()
    } else {
        view! { <span class="stream">{stream}</span> }.into_any()
    }
}

/// `enterprise-dea00000-…-000000000001` → `enterprise-…000000000001`.
fn short_stream(stream: &str) -> String {
    match query::stream_link(stream) {
        Some(_) if stream.len() > 12 => {
            let (category, _) = stream.split_at(stream.len() - 37);
            format!("{category}-…{}", &stream[stream.len() - 12..])
        }
        _ => stream.to_owned(),
    }
}

/// Fetches a file with the bearer token: its bytes and `Content-Disposition`.
async fn fetch_file(path: &str, token: Option<&str>) -> Result<(Vec<u8>, Option<String>), Problem> {
    let mut request = Request::get(path);
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let network = |e: gloo_net::Error| Problem {
        status: 0,
        code: "network".into(),
        title: "network".into(),
        detail: e.to_string(),
    };
    let response = request.send().await.map_err(network)?;
    let status = response.status();
    let disposition = response.headers().get("content-disposition");
    let bytes = response.binary().await.map_err(network)?;
    if (200..300).contains(&status) {
        return Ok((bytes, disposition));
    }
    let problem: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let text = |key: &str| problem[key].as_str().unwrap_or_default().to_owned();
    Err(Problem {
        status,
        code: text("code"),
        title: text("title"),
        detail: text("detail"),
    })
}

/// Asks the browser to save `url` as `name` (a click on a detached `<a download>`).
fn save(name: &str, url: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(anchor) = document.create_element("a") else {
        return;
    };
    let _ = anchor.set_attribute("href", url);
    let _ = anchor.set_attribute("download", name);
    if let Ok(click) = js_sys::Reflect::get(&anchor, &"click".into())
        && let Ok(click) = click.dyn_into::<js_sys::Function>()
    {
        let _ = click.call0(&anchor);
    }
}

/// A button that downloads what `path` answers (with the token) and saves it; afterwards a link
/// to save it again (`#<id>-link`, its `href` a `data:` URL).
#[component]
fn DownloadButton(
    path: Signal<String>,
    fallback: &'static str,
    media_type: &'static str,
    label: Key,
    id: &'static str,
) -> impl IntoView {
    let ctx = ctx();
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(None::<(String, String)>);
    let failed = RwSignal::new(None::<String>);
    // A new query is a new file.
    Effect::new(move |_| {
        path.track();
        saved.set(None);
    });
    let start = move |_| {
        let path = path.get_untracked();
        let token = ctx.token();
        busy.set(true);
        failed.set(None);
        spawn_local(async move {
            match fetch_file(&path, token.as_deref()).await {
                Ok((bytes, disposition)) => {
                    let name = download::file_name(disposition.as_deref(), fallback);
                    let url = download::data_url(media_type, &bytes);
                    save(&name, &url);
                    saved.set(Some((name, url)));
                }
                Err(problem) => {
                    ctx.check(&problem);
                    failed.set(Some(problem.message()));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <span class="download">
            <button type="button" id=id on:click=start disabled=move || busy.get()>
                {move || if busy.get() { ctx.t(Key::Downloading) } else { ctx.t(label) }}
            </button>
            {move || saved.get().map(|(name, url)| view! {
                <a id=format!("{id}-link") class="save-link" href=url download=name.clone()>
                    {ctx.t(Key::SaveFile)}" ("{name.clone()}")"
                </a>
            })}
            {move || failed.get().map(|message| view! {
                <span class="error" role="alert">{ctx.t(Key::LoadFailed)}": "{message}</span>
            })}
        </span>
    }
}

/// Loads JSON on demand (a form's submit) rather than whenever a path changes.
fn load_now(target: Loaded, path: String) {
    let ctx = ctx();
    let token = ctx.token();
    target.set(None);
    spawn_local(async move {
        let reply = api::get(&path, token.as_deref()).await;
        if let Err(problem) = &reply {
            ctx.check(problem);
        }
        target.set(Some(reply));
    });
}

/// The body of a loaded reply, or `Null`.
fn loaded(data: Loaded) -> Value {
    body(data)
}

/// A fetch of `path()` whenever it (or the moment) changes.
fn watch(path: impl Fn() -> String + 'static) -> Loaded {
    fetch_json(path, RwSignal::new(0))
}

/// "Loading…" or the error of a load.
fn status_of(data: Loaded) -> impl IntoView {
    let ctx = ctx();
    move || data.with(|d| loading_or_error(ctx, d.as_ref()))
}
