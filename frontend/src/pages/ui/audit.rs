//! The audit page's tabs besides the replay: browse and filter every event, diff two moments,
//! audit flags, evidence export.

use leptos::prelude::*;
use redmud_domain::{Prefecture, Region};
use serde_json::Value;

use super::super::{Loaded, ctx};
use super::{AuditTab, DownloadButton, as_of_param, load_now, pctx, status_of, stream_cell, watch};
use crate::format;
use crate::i18n::{self, Key, Lang, fill, text};
use crate::pages::diff;
use crate::pages::labels::{self, CATEGORIES, RULES};
use crate::pages::query::{self, Bound, DiffError, DiffTarget, EventFilter, FilterError};
use crate::roles::Role;

const EVENTS_PAGE: u32 = 50;
const FLAGS_PAGE: u64 = 20;

/// The audit page's sub-navigation and the chosen tab (the replay tab is the page's own content).
#[component]
pub(in crate::app) fn AuditTabs() -> impl IntoView {
    let ctx = ctx();
    let pages = pctx();
    let tabs = [
        (AuditTab::Replay, Key::AuditReplay, "replay"),
        (AuditTab::Events, Key::AuditEvents, "events"),
        (AuditTab::Diff, Key::AuditDiff, "diff"),
        (AuditTab::Flags, Key::AuditFlags, "flags"),
        (AuditTab::Export, Key::AuditExport, "export"),
    ];
    view! {
        <nav class="subnav" id="audit-tabs">
            {tabs.iter().map(|(tab, key, code)| {
                let tab = *tab;
                let key = *key;
                view! {
                    <button class="nav-item" data-tab=*code
                        class:active=move || pages.audit_tab.get() == tab
                        on:click=move |_| pages.audit_tab.set(tab)>
                        {move || ctx.t(key)}
                    </button>
                }
            }).collect_view()}
        </nav>
        {move || match pages.audit_tab.get() {
            AuditTab::Replay => ().into_any(),
            AuditTab::Events => view! { <EventsTab/> }.into_any(),
            AuditTab::Diff => view! { <DiffTab/> }.into_any(),
            AuditTab::Flags => view! { <FlagsTab/> }.into_any(),
            AuditTab::Export => view! { <ExportTab/> }.into_any(),
        }}
    }
}

fn filter_error(error: FilterError) -> Key {
    match error {
        FilterError::Position => Key::BadPosition,
        FilterError::Time => Key::BadTime,
        FilterError::Stream => Key::BadStream,
    }
}

#[component]
fn TextField(
    label: Key,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] kind: &'static str,
    #[prop(optional)] hint: Option<Key>,
) -> impl IntoView {
    let ctx = ctx();
    let kind = if kind.is_empty() { "text" } else { kind };
    view! {
        <label class="field">
            <span>{move || ctx.t(label)}</span>
            <input type=kind name=name id=name
                placeholder=move || hint.map(|h| ctx.t(h)).unwrap_or_default()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        </label>
    }
}

fn role_name(code: &Value, lang: Lang) -> String {
    code.as_str()
        .and_then(Role::parse)
        .map(|r| text(lang, r.label()).to_owned())
        .unwrap_or_default()
}

fn effective_text(value: &Value, lang: Lang) -> String {
    match value {
        Value::String(s) => format::effective(s, lang),
        Value::Null => "—".to_owned(),
        other => other.to_string(),
    }
}

/// Browse and filter every event: type, category, stream, actor, position and time range; pages
/// of 50 read forward from a cursor; bounded by the audit moment.
#[component]
fn EventsTab() -> impl IntoView {
    let ctx = ctx();
    let types = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let stream = RwSignal::new(String::new());
    let actor = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let since = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let applied = RwSignal::new(EventFilter::default());
    let error = RwSignal::new(None::<Key>);
    // Page starts already read (for "previous") and the current one.
    let cursor = RwSignal::new(None::<u64>);
    let trail = RwSignal::new(Vec::<Option<u64>>::new());
    let bound = move || Bound::from_param(as_of_param(ctx).as_deref());
    let data = watch(move || {
        applied
            .get()
            .path(&bound(), cursor.get(), EVENTS_PAGE)
            .unwrap_or_else(|_| "/api/events?limit=1".to_owned())
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let filter = EventFilter {
            types: types.get_untracked(),
            category: category.get_untracked(),
            stream: stream.get_untracked(),
            actor: actor.get_untracked(),
            from: from.get_untracked(),
            to: to.get_untracked(),
            since: since.get_untracked(),
            until: until.get_untracked(),
        };
        match filter.path(&bound(), None, EVENTS_PAGE) {
            Ok(_) => {
                error.set(None);
                trail.set(Vec::new());
                cursor.set(None);
                applied.set(filter);
            }
            Err(e) => error.set(Some(filter_error(e))),
        }
    };
    let events = move || {
        let filter = applied.get();
        let bound = bound();
        super::loaded(data)["events"]
            .as_array()
            .map(|events| {
                events
                    .iter()
                    .filter(|e| filter.matches(e, &bound))
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let next = move || {
        let body = super::loaded(data);
        let next = body["next_from"].as_u64()?;
        let last = applied.get().last(&bound());
        (last.is_none_or(|l| next <= l) && applied.with(|f| f.stream.trim().is_empty()))
            .then_some(next)
    };
    view! {
        <form class="card" id="events-filter" on:submit=apply>
            <div class="grid">
                <TextField label=Key::EventTypes name="event-types" value=types/>
                <label class="field">
                    <span>{move || ctx.t(Key::Category)}</span>
                    <select name="event-category" id="event-category" on:change=move |ev| category.set(event_target_value(&ev))>
                        <option value="">{move || ctx.t(Key::AnyCategory)}</option>
                        {move || {
                            let lang = ctx.lang.get();
                            CATEGORIES.iter().map(|(code, _, label)| view! {
                                <option value=*code selected=move || category.get() == *code>{label.get(lang)}</option>
                            }).collect_view()
                        }}
                    </select>
                </label>
                <TextField label=Key::Stream name="event-stream" value=stream hint=Key::StreamHint/>
                <TextField label=Key::Actor name="event-actor" value=actor/>
                <TextField label=Key::FromPosition name="event-from" value=from kind="number"/>
                <TextField label=Key::ToPosition name="event-to" value=to kind="number"/>
                <TextField label=Key::Since name="event-since" value=since kind="datetime-local"/>
                <TextField label=Key::Until name="event-until" value=until kind="datetime-local"/>
            </div>
            {move || error.get().map(|key| view! { <p class="error" role="alert">{ctx.t(key)}</p> })}
            <button type="submit" id="events-apply">{move || ctx.t(Key::Filter)}</button>
        </form>
        {status_of(data)}
        <div class="card">
            <p class="muted" id="events-shown">{move || {
                let head = super::loaded(data)["head"].as_u64().map(format::group).unwrap_or_else(|| "—".into());
                fill(ctx.lang.get(), Key::EventsShown, &[("count", &events().len().to_string()), ("head", &head)])
            }}</p>
            <div class="table-wrap">
                <table id="events">
                    <thead><tr>
                        <th class="num">{move || ctx.t(Key::Position)}</th>
                        <th>{move || ctx.t(Key::Event)}</th>
                        <th>{move || ctx.t(Key::Stream)}</th>
                        <th>{move || ctx.t(Key::Who)}</th>
                        <th>{move || ctx.t(Key::Recorded)}</th>
                        <th>{move || ctx.t(Key::Effective)}</th>
                        <th>{move || ctx.t(Key::Reason)}</th>
                        <th>{move || ctx.t(Key::Payload)}</th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let lang = ctx.lang.get();
                            events().into_iter().map(|e| {
                                let meta = &e["metadata"];
                                let event_type = e["event_type"].as_str().unwrap_or_default().to_owned();
                                let stream = e["stream"].as_str().unwrap_or_default().to_owned();
                                let who = format!(
                                    "{} ({})",
                                    meta["actor_id"].as_str().unwrap_or_default(),
                                    role_name(&meta["actor_role"], lang)
                                );
                                let payload = serde_json::to_string_pretty(&e["payload"]).unwrap_or_default();
                                view! {
                                    <tr data-type=event_type.clone() data-position=e["position"].as_u64().unwrap_or(0).to_string()>
                                        <td class="num">{e["position"].as_u64().unwrap_or(0)}</td>
                                        <td title=event_type.clone()>{i18n::event(&event_type, lang)}</td>
                                        <td>{super::stream_cell(stream)}</td>
                                        <td>{who}</td>
                                        <td>{format::datetime(e["recorded_at"].as_str().unwrap_or_default(), lang)}</td>
                                        <td>{effective_text(&e["effective"], lang)}</td>
                                        <td class="wrap">{meta["reason"].as_str().unwrap_or("—").to_owned()}</td>
                                        <td><details><summary>{text(lang, Key::Details)}</summary><pre>{payload}</pre></details></td>
                                    </tr>
                                }
                            }).collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <div class="pager">
                <button class="first" disabled=move || trail.with(Vec::is_empty)
                    on:click=move |_| { trail.set(Vec::new()); cursor.set(None); }>{move || ctx.t(Key::FirstPage)}</button>
                <button class="prev" disabled=move || trail.with(Vec::is_empty)
                    on:click=move |_| {
                        let mut back = trail.get_untracked();
                        let previous = back.pop().flatten();
                        trail.set(back);
                        cursor.set(previous);
                    }>{move || ctx.t(Key::Previous)}</button>
                <button class="next" id="events-next" disabled=move || next().is_none()
                    on:click=move |_| {
                        if let Some(n) = next() {
                            trail.update(|t| t.push(cursor.get_untracked()));
                            cursor.set(Some(n));
                        }
                    }>{move || ctx.t(Key::Next)}</button>
            </div>
        </div>
    }
}

fn diff_error(error: DiffError) -> Key {
    match error {
        DiffError::MissingFrom => Key::MissingFrom,
        DiffError::BadMoment => Key::BadMoment,
        DiffError::BadStream => Key::BadStream,
    }
}

#[component]
fn RegionSelect(value: RwSignal<String>, name: &'static str) -> impl IntoView {
    let ctx = ctx();
    view! {
        <label class="field">
            <span>{move || ctx.t(Key::Region)}</span>
            <select name=name on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">{move || ctx.t(Key::AllRegions)}</option>
                {move || {
                    let lang = ctx.lang.get();
                    Prefecture::ALL.iter().map(|p| {
                        let code = p.code().to_string();
                        let selected = code.clone();
                        view! {
                            <option value=code selected=move || value.get() == selected>
                                {format::region(Region::Prefecture(*p), lang)}
                            </option>
                        }
                    }).collect_view()
                }}
            </select>
        </label>
    }
}

fn leaf_rows(leaves: Vec<diff::Leaf>, lang: Lang) -> impl IntoView {
    leaves
        .into_iter()
        .map(|leaf| {
            view! {
                <tr class=format!("change-{}", leaf.change.code()) data-pointer=leaf.pointer.clone()>
                    <td class="wrap">{leaf.path}</td>
                    <td>{leaf.change.label().get(lang)}</td>
                    <td class="num before">{leaf.before}</td>
                    <td class="num after">{leaf.after}</td>
                </tr>
            }
        })
        .collect_view()
}

fn leaf_head(lang: Lang) -> impl IntoView {
    view! {
        <thead><tr>
            <th>{text(lang, Key::Field)}</th>
            <th>{text(lang, Key::Change)}</th>
            <th class="num">{text(lang, Key::Before)}</th>
            <th class="num">{text(lang, Key::After)}</th>
        </tr></thead>
    }
}

fn stream_diff(body: &Value, lang: Lang) -> AnyView {
    let leaves = diff::leaves(&body["changes"], lang);
    let events = body["events"].as_array().cloned().unwrap_or_default();
    let version = |side: &str| {
        body[side]["version"]
            .as_u64()
            .map(|v| v.to_string())
            .unwrap_or_else(|| "0".into())
    };
    let summary = fill(
        lang,
        Key::DiffSummary,
        &[
            ("changes", &leaves.len().to_string()),
            ("events", &events.len().to_string()),
            ("from", &version("from")),
            ("to", &version("to")),
        ],
    );
    let stream = body["stream"].as_str().unwrap_or_default().to_owned();
    let empty = leaves.is_empty();
    let event_rows = events
        .iter()
        .map(|e| {
            view! {
                <tr>
                    <td class="num">{e["position"].as_u64().unwrap_or(0)}</td>
                    <td class="num">{e["version"].as_u64().unwrap_or(0)}</td>
                    <td>{i18n::event(e["type"].as_str().unwrap_or_default(), lang)}</td>
                    <td>{format!("{} ({})", e["actor"].as_str().unwrap_or_default(), role_name(&e["actor_role"], lang))}</td>
                    <td>{format::datetime(e["recorded_at"].as_str().unwrap_or_default(), lang)}</td>
                    <td>{effective_text(&e["effective"], lang)}</td>
                    <td class="wrap">{e["reason"].as_str().unwrap_or("—").to_owned()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="card" id="diff-result">
            <h2>{stream_cell(stream)}</h2>
            <p id="diff-summary">{summary}</p>
            {empty.then(|| view! { <p class="muted">{text(lang, Key::NoChanges)}</p> })}
            <div class="table-wrap">
                <table id="diff-changes">{leaf_head(lang)}<tbody>{leaf_rows(leaves, lang)}</tbody></table>
            </div>
        </div>
        <div class="card">
            <h2>{text(lang, Key::EventsBetween)}</h2>
            <div class="table-wrap">
                <table id="diff-events">
                    <thead><tr>
                        <th class="num">{text(lang, Key::Position)}</th>
                        <th class="num">{text(lang, Key::Version)}</th>
                        <th>{text(lang, Key::Event)}</th>
                        <th>{text(lang, Key::Who)}</th>
                        <th>{text(lang, Key::Recorded)}</th>
                        <th>{text(lang, Key::Effective)}</th>
                        <th>{text(lang, Key::Reason)}</th>
                    </tr></thead>
                    <tbody>{event_rows}</tbody>
                </table>
            </div>
        </div>
    }
    .into_any()
}

fn report_diff(body: &Value, lang: Lang) -> AnyView {
    let rows = body["rows"].as_array().cloned().unwrap_or_default();
    let summary = fill(
        lang,
        Key::DiffRowsSummary,
        &[("rows", &rows.len().to_string())],
    );
    let empty = rows.is_empty();
    let sections = rows
        .iter()
        .map(|row| {
            let change = diff::row_change(row["change"].as_str().unwrap_or_default());
            let key = diff::key_words(row["key"].as_str().unwrap_or_default(), lang);
            let changes = if row["changes"].as_array().is_some_and(|c| !c.is_empty()) {
                row["changes"].clone()
            } else {
                serde_json::json!([{"path": "", "before": row["before"], "after": row["after"]}])
            };
            let leaves = diff::leaves(&changes, lang);
            view! {
                <div class="diff-row" data-key=row["key"].as_str().unwrap_or_default().to_owned()>
                    <h3>{key}" · "<span class=format!("change-{}", change.code())>{change.label().get(lang)}</span></h3>
                    <div class="table-wrap">
                        <table>{leaf_head(lang)}<tbody>{leaf_rows(leaves, lang)}</tbody></table>
                    </div>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="card" id="diff-result">
            <p id="diff-summary">{summary}</p>
            {empty.then(|| view! { <p class="muted">{text(lang, Key::NoChanges)}</p> })}
            {sections}
        </div>
    }
    .into_any()
}

/// Diff two moments: an aggregate (stream) or a report (balance, targets).
#[component]
fn DiffTab() -> impl IntoView {
    let ctx = ctx();
    let pages = pctx();
    let mode = RwSignal::new("stream".to_owned());
    let stream = RwSignal::new(pages.diff_stream.get_untracked());
    let report = RwSignal::new("balance".to_owned());
    let granularity = RwSignal::new("year".to_owned());
    let region = RwSignal::new(String::new());
    let year = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    // The audit moment is the natural "to".
    let to = RwSignal::new(as_of_param_untracked(ctx).unwrap_or_default());
    let error = RwSignal::new(None::<Key>);
    let result: Loaded = RwSignal::new(None);
    let asked = RwSignal::new(false);
    let compare = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let target = if mode.get_untracked() == "stream" {
            DiffTarget::Stream(stream.get_untracked())
        } else {
            DiffTarget::Report {
                report: report.get_untracked(),
                granularity: granularity.get_untracked(),
                region: region.get_untracked(),
                year: year.get_untracked(),
            }
        };
        match query::diff_path(&target, &from.get_untracked(), &to.get_untracked()) {
            Ok(path) => {
                error.set(None);
                asked.set(true);
                pages.diff_stream.set(stream.get_untracked());
                load_now(result, path);
            }
            Err(e) => error.set(Some(diff_error(e))),
        }
    };
    let shown = move || {
        let lang = ctx.lang.get();
        let body = super::loaded(result);
        if body.is_null() {
            return None;
        }
        Some(if body["stream"].is_string() {
            stream_diff(&body, lang)
        } else {
            report_diff(&body, lang)
        })
    };
    view! {
        <form class="card" id="diff-form" on:submit=compare>
            <fieldset>
                <legend>{move || ctx.t(Key::DiffWhat)}</legend>
                <label class="inline">
                    <input type="radio" name="diff-mode" value="stream" id="diff-mode-stream"
                        prop:checked=move || mode.get() == "stream"
                        on:change=move |_| mode.set("stream".into())/>
                    {move || ctx.t(Key::DiffAggregate)}
                </label>
                <label class="inline">
                    <input type="radio" name="diff-mode" value="report" id="diff-mode-report"
                        prop:checked=move || mode.get() == "report"
                        on:change=move |_| mode.set("report".into())/>
                    {move || ctx.t(Key::DiffReport)}
                </label>
            </fieldset>
            <div class="grid">
                <Show when=move || mode.get() == "stream">
                    <TextField label=Key::Stream name="diff-stream" value=stream hint=Key::StreamHint/>
                </Show>
                <Show when=move || mode.get() == "report">
                    <label class="field">
                        <span>{move || ctx.t(Key::DiffReport)}</span>
                        <select name="diff-report" on:change=move |ev| report.set(event_target_value(&ev))>
                            {move || {
                                let lang = ctx.lang.get();
                                ["balance", "targets"].into_iter().filter_map(crate::pages::table::report).map(|spec| view! {
                                    <option value=spec.id selected=move || report.get() == spec.id>{spec.title.get(lang)}</option>
                                }).collect_view()
                            }}
                        </select>
                    </label>
                    <Show when=move || report.get() == "balance">
                        <label class="field">
                            <span>{move || ctx.t(Key::Granularity)}</span>
                            <select name="diff-granularity" on:change=move |ev| granularity.set(event_target_value(&ev))>
                                {move || {
                                    let lang = ctx.lang.get();
                                    [("year", labels::L("年度", "Year")), ("quarter", labels::L("季度", "Quarter")), ("month", labels::L("月", "Month"))]
                                        .into_iter()
                                        .map(|(code, label)| view! {
                                            <option value=code selected=move || granularity.get() == code>{label.get(lang)}</option>
                                        }).collect_view()
                                }}
                            </select>
                        </label>
                    </Show>
                    <RegionSelect value=region name="diff-region"/>
                    <TextField label=Key::Year name="diff-year" value=year kind="number"/>
                </Show>
                <TextField label=Key::DiffFrom name="diff-from" value=from/>
                <TextField label=Key::DiffTo name="diff-to" value=to/>
            </div>
            <p class="muted">{move || ctx.t(Key::BadMoment)}</p>
            {move || error.get().map(|key| view! { <p class="error" role="alert">{ctx.t(key)}</p> })}
            <button type="submit" id="diff-compare">{move || ctx.t(Key::Compare)}</button>
        </form>
        <Show when=move || asked.get()>{status_of(result)}</Show>
        {shown}
    }
}

fn as_of_param_untracked(ctx: super::super::Ctx) -> Option<String> {
    ctx.as_of.get_untracked().map(|m| m.param())
}

/// Audit flags as of the audit moment: rule and region filters, paging, the stream linked, CSV.
#[component]
fn FlagsTab() -> impl IntoView {
    let ctx = ctx();
    let pages = pctx();
    let rule = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
    let offset = RwSignal::new(0u64);
    let data = watch(move || {
        query::flags_path(
            &rule.get(),
            &region.get(),
            as_of_param(ctx).as_deref(),
            offset.get(),
            FLAGS_PAGE,
            false,
        )
    });
    let csv = Signal::derive(move || {
        query::flags_path(
            &rule.get(),
            &region.get(),
            as_of_param(ctx).as_deref(),
            0,
            0,
            true,
        )
    });
    let total = move || super::loaded(data)["total"].as_u64().unwrap_or(0);
    view! {
        <div class="card">
            <div class="filters">
                <label class="field">
                    <span>{move || ctx.t(Key::Rule)}</span>
                    <select name="flag-rule" id="flag-rule" on:change=move |ev| { rule.set(event_target_value(&ev)); offset.set(0); }>
                        <option value="">{move || ctx.t(Key::AnyRule)}</option>
                        {move || {
                            let lang = ctx.lang.get();
                            RULES.iter().map(|(id, label)| view! {
                                <option value=*id selected=move || rule.get() == *id>{label.get(lang)}</option>
                            }).collect_view()
                        }}
                    </select>
                </label>
                <RegionSelect value=region name="flag-region"/>
            </div>
            <div class="report-tools">
                <span id="flags-total">{move || fill(ctx.lang.get(), Key::FlagsTotal, &[("total", &format::group(total()))])}</span>
                <DownloadButton path=csv fallback="audit-flags.csv" media_type="text/csv;charset=utf-8"
                    label=Key::DownloadCsv id="flags-csv"/>
            </div>
        </div>
        {status_of(data)}
        <div class="card">
            <div class="table-wrap">
                <table id="flags">
                    <thead><tr>
                        <th class="num">{move || ctx.t(Key::Position)}</th>
                        <th>{move || ctx.t(Key::Rule)}</th>
                        <th>{move || ctx.t(Key::Severity)}</th>
                        <th>{move || ctx.t(Key::Region)}</th>
                        <th>{move || ctx.t(Key::Summary)}</th>
                        <th>{move || ctx.t(Key::Stream)}</th>
                        <th>{move || ctx.t(Key::Recorded)}</th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let lang = ctx.lang.get();
                            super::loaded(data)["flags"].as_array().cloned().unwrap_or_default().into_iter().map(|flag| {
                                let rule_id = flag["rule"].as_str().unwrap_or_default().to_owned();
                                let severity = flag["severity"].as_str().unwrap_or_default().to_owned();
                                let summary = match lang {
                                    Lang::Zh => flag["summary_zh"].as_str(),
                                    Lang::En => flag["summary_en"].as_str(),
                                }.unwrap_or_default().to_owned();
                                let stream = flag["stream"].as_str().unwrap_or_default().to_owned();
                                let diff_target = stream.clone();
                                let position = flag["position"].as_u64().unwrap_or(0);
                                view! {
                                    <tr data-rule=rule_id.clone() class=format!("severity-{severity}")>
                                        <td class="num">{position}</td>
                                        <td title=rule_id.clone()>{labels::rule(&rule_id, lang)}</td>
                                        <td>{labels::severity(&severity, lang)}</td>
                                        <td>{super::super::region_name(&flag["region"], lang)}</td>
                                        <td class="wrap">{summary}</td>
                                        <td>
                                            {stream_cell(stream)}
                                            " "
                                            <button class="link" on:click=move |_| {
                                                pages.diff_stream.set(diff_target.clone());
                                                pages.audit_tab.set(AuditTab::Diff);
                                            }>{text(lang, Key::OpenDiff)}</button>
                                        </td>
                                        <td>{format::datetime(flag["recorded_at"].as_str().unwrap_or_default(), lang)}</td>
                                    </tr>
                                }
                            }).collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <div class="pager">
                <button class="prev" disabled=move || offset.get() == 0
                    on:click=move |_| offset.update(|o| *o = o.saturating_sub(FLAGS_PAGE))>{move || ctx.t(Key::Previous)}</button>
                <span class="page-of">{move || {
                    let total = total();
                    fill(ctx.lang.get(), Key::PageOf, &[
                        ("page", &(offset.get() / FLAGS_PAGE + 1).to_string()),
                        ("pages", &total.div_ceil(FLAGS_PAGE).max(1).to_string()),
                        ("total", &format::group(total)),
                    ])
                }}</span>
                <button class="next" disabled=move || offset.get() + FLAGS_PAGE >= total()
                    on:click=move |_| offset.update(|o| *o += FLAGS_PAGE)>{move || ctx.t(Key::Next)}</button>
            </div>
        </div>
    }
}

/// Evidence export: the bundle over HTTP (with the token), and the CLI to export and verify.
#[component]
fn ExportTab() -> impl IntoView {
    let ctx = ctx();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let checkpoints = watch(|| "/api/audit/checkpoints".to_owned());
    let invalid = Memo::new(move |_| query::export_path(&from.get(), &to.get()).is_err());
    let path = Signal::derive(move || {
        query::export_path(&from.get(), &to.get()).unwrap_or_else(|_| "/api/audit/export".into())
    });
    let key = move || {
        super::loaded(checkpoints)["public_key"]
            .as_str()
            .unwrap_or("<HEX>")
            .to_owned()
    };
    let range = move || {
        let (f, t) = (from.get(), to.get());
        match (f.trim(), t.trim()) {
            ("", "") => "--from 1 --to <HEAD>".to_owned(),
            (f, "") => format!("--from {f} --to <HEAD>"),
            ("", t) => format!("--from 1 --to {t}"),
            (f, t) => format!("--from {f} --to {t}"),
        }
    };
    view! {
        <div class="card" id="export">
            <p>{move || ctx.t(Key::ExportHint)}</p>
            <p class="muted">{move || ctx.t(Key::ExportRange)}</p>
            <div class="grid">
                <TextField label=Key::FromPosition name="export-from" value=from kind="number"/>
                <TextField label=Key::ToPosition name="export-to" value=to kind="number"/>
            </div>
            <Show when=move || invalid.get()>
                <p class="error" role="alert">{move || ctx.t(Key::BadPosition)}</p>
            </Show>
            <div class="report-tools">
                <DownloadButton path=path fallback="evidence-bundle.ndjson" media_type="application/x-ndjson"
                    label=Key::DownloadBundle id="bundle-download"/>
            </div>
            <p>{move || ctx.t(Key::VerifyOffline)}</p>
            <pre class="cli" id="verify-cli">{move || format!(
                "redmud verify-bundle evidence-bundle.ndjson --public-key {}\npython3 docs/verify_bundle.py evidence-bundle.ndjson",
                key()
            )}</pre>
            <p>{move || ctx.t(Key::ExportCli)}</p>
            <pre class="cli" id="export-cli">{move || format!("redmud export {} --out evidence-bundle.ndjson", range())}</pre>
        </div>
    }
}
