//! 产业基地: the list of demonstration bases and parks, and a base's detail (members, linked
//! projects, yearly targets, evaluations, timeline, and its command forms).

use std::collections::HashMap;

use leptos::prelude::*;
use serde_json::Value;

use super::super::{ListFrame, Page, Timeline, ctx, date_of, fetch_json, forms_env, region_name};
use super::{status_of, watch};
use crate::forms::Agg;
use crate::forms::view::{CommandForms, NewRecord};
use crate::i18n::{self, Key, Lang, text};
use crate::pages::labels;
use crate::pages::table::{Column, Unit, cell};
use crate::roles::Section;

fn open_base(id: String) {
    ctx().page.set(Page::Base(id));
}

/// The list of bases: name, kind, level, region, status; filters, sorting and paging.
#[component]
pub(in crate::app) fn BaseList() -> impl IntoView {
    fn row(item: &Value, lang: Lang) -> Vec<String> {
        let state = &item["state"];
        let code = |key: &str| labels::code(state[key].as_str().unwrap_or_default(), lang);
        vec![
            state["name"].as_str().unwrap_or_default().to_owned(),
            code("kind"),
            code("level"),
            region_name(&state["region"], lang),
            i18n::status(state["status"].as_str().unwrap_or_default(), lang),
        ]
    }
    view! {
        <NewRecord env=forms_env() agg=Agg::Base/>
        <ListFrame collection="bases" title=Key::NavBases
            statuses=&["designated", "revoked"]
            columns=vec![Key::Name, Key::Kind, Key::Level, Key::Region, Key::Status]
            row=row open=open_base/>
    }
}

/// Names of enterprises and projects by id, as of the audit moment (for members and links).
pub(super) fn names(collection: &'static str) -> Memo<HashMap<String, String>> {
    let ctx = ctx();
    let list = watch(move || ctx.at(&format!("/api/{collection}?limit=500")));
    Memo::new(move |_| {
        super::loaded(list)["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|item| {
                        let state = &item["state"];
                        let name = state["name"]
                            .as_str()
                            .or_else(|| state["proposal"]["name"].as_str())
                            .unwrap_or_default();
                        (
                            item["id"].as_str().unwrap_or_default().to_owned(),
                            name.to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

const TARGETS: [(&str, Key); 4] = [
    ("red_mud_utilized", Key::RedMudUtilized),
    ("phosphogypsum_co_utilized", Key::PhosphogypsumCoUtilized),
    (
        "desulfurization_gypsum_co_utilized",
        Key::DesulfurizationGypsumCoUtilized,
    ),
    ("fly_ash_co_utilized", Key::FlyAshCoUtilized),
];

/// A base as of the audit moment.
#[component]
pub(in crate::app) fn BaseDetail(id: String) -> impl IntoView {
    let ctx = ctx();
    let reload = RwSignal::new(0u32);
    let detail_path = format!("/api/bases/{id}");
    let history_path = format!("/api/bases/{id}/history");
    let detail = fetch_json(move || ctx.at(&detail_path), reload);
    let history = fetch_json(move || ctx.at(&history_path), reload);
    let enterprises = names("enterprises");
    let projects = names("projects");
    let state = move || {
        detail.with(|d| match d {
            Some(Ok(reply)) if reply.body["state"].is_object() => Some(reply.body["state"].clone()),
            _ => None,
        })
    };
    let kg = |path: &'static str| Column {
        path,
        label: labels::L("", ""),
        unit: Unit::Kg,
    };
    let forms_id = id.clone();
    let forms_attr = id.clone();
    view! {
        <section class="detail" id="base-detail">
            <button class="back" on:click=move |_| ctx.page.set(Page::Section(Section::Bases))>
                "← "{move || ctx.t(Key::Back)}
            </button>
            {status_of(detail)}
            {move || state().map(|s| {
                let lang = ctx.lang.get();
                let code = |key: &str| labels::code(s[key].as_str().unwrap_or_default(), lang);
                let members = s["members"].as_object().cloned().unwrap_or_default();
                let member_rows = members.iter().map(|(eid, joined)| {
                    let name = enterprises.with(|n| n.get(eid).cloned()).unwrap_or_else(|| eid.clone());
                    let target = eid.clone();
                    view! {
                        <tr>
                            <td><button class="link open" on:click=move |_| ctx.page.set(Page::Enterprise(target.clone()))>{name}</button></td>
                            <td>{date_of(joined, lang)}</td>
                        </tr>
                    }
                }).collect_view();
                let linked = s["projects"].as_object().cloned().unwrap_or_default();
                let project_rows = linked.iter().map(|(pid, on)| {
                    let name = projects.with(|n| n.get(pid).cloned()).unwrap_or_else(|| pid.clone());
                    let target = pid.clone();
                    view! {
                        <tr>
                            <td><button class="link open" on:click=move |_| ctx.page.set(Page::Project(target.clone()))>{name}</button></td>
                            <td>{date_of(on, lang)}</td>
                        </tr>
                    }
                }).collect_view();
                let targets = s["targets"].as_object().cloned().unwrap_or_default();
                let target_rows = targets.iter().map(|(year, entry)| {
                    let cells = TARGETS.iter().map(|(field, _)| {
                        let path: &'static str = match *field {
                            "red_mud_utilized" => "targets/red_mud_utilized",
                            "phosphogypsum_co_utilized" => "targets/phosphogypsum_co_utilized",
                            "desulfurization_gypsum_co_utilized" => "targets/desulfurization_gypsum_co_utilized",
                            _ => "targets/fly_ash_co_utilized",
                        };
                        view! { <td class="num">{cell(entry, &kg(path), lang)}</td> }
                    }).collect_view();
                    view! {
                        <tr>
                            <td>{year.clone()}</td>
                            {cells}
                            <td class="num">{entry["revision"].as_u64().unwrap_or(0)}</td>
                        </tr>
                    }
                }).collect_view();
                let evaluations = s["evaluations"].as_object().cloned().unwrap_or_default();
                let evaluation_rows = evaluations.values().map(|e| view! {
                    <tr>
                        <td>{e["year"].as_u64().unwrap_or(0)}</td>
                        <td>{date_of(&e["evaluated_on"], lang)}</td>
                        <td>{labels::code(e["result"].as_str().unwrap_or_default(), lang)}</td>
                        <td class="wrap">{e["summary"].as_str().unwrap_or_default().to_owned()}</td>
                    </tr>
                }).collect_view();
                view! {
                    <div class="card">
                        <h1 id="base-name">{s["name"].as_str().unwrap_or_default().to_owned()}</h1>
                        <dl class="facts">
                            <dt>{text(lang, Key::Kind)}</dt><dd>{code("kind")}</dd>
                            <dt>{text(lang, Key::Level)}</dt><dd>{code("level")}</dd>
                            <dt>{text(lang, Key::Region)}</dt><dd id="base-region">{region_name(&s["region"], lang)}</dd>
                            <dt>{text(lang, Key::Status)}</dt><dd id="base-status">{i18n::status(s["status"].as_str().unwrap_or_default(), lang)}</dd>
                            <dt>{text(lang, Key::DesignatedOn)}</dt><dd>{date_of(&s["designated_on"], lang)}</dd>
                            <dt>{text(lang, Key::RevokedOn)}</dt><dd>{date_of(&s["revoked_on"], lang)}</dd>
                        </dl>
                    </div>
                    <div class="card">
                        <h2>{text(lang, Key::YearlyTargets)}</h2>
                        <div class="table-wrap">
                            <table id="base-targets">
                                <thead><tr>
                                    <th>{text(lang, Key::Year)}</th>
                                    {TARGETS.iter().map(|(_, key)| view! { <th class="num">{text(lang, *key)}</th> }).collect_view()}
                                    <th class="num">{text(lang, Key::Revision)}</th>
                                </tr></thead>
                                <tbody>{target_rows}</tbody>
                            </table>
                        </div>
                    </div>
                    <div class="card">
                        <h2>{text(lang, Key::Members)}</h2>
                        <div class="table-wrap">
                            <table id="base-members">
                                <thead><tr><th>{text(lang, Key::Name)}</th><th>{text(lang, Key::JoinedOn)}</th></tr></thead>
                                <tbody>{member_rows}</tbody>
                            </table>
                        </div>
                        <h2 class="spaced">{text(lang, Key::LinkedProjects)}</h2>
                        <div class="table-wrap">
                            <table id="base-projects">
                                <thead><tr><th>{text(lang, Key::Name)}</th><th>{text(lang, Key::LinkedOn)}</th></tr></thead>
                                <tbody>{project_rows}</tbody>
                            </table>
                        </div>
                    </div>
                    <div class="card">
                        <h2>{text(lang, Key::Evaluations)}</h2>
                        <div class="table-wrap">
                            <table id="base-evaluations">
                                <thead><tr>
                                    <th>{text(lang, Key::Year)}</th>
                                    <th>{text(lang, Key::EvaluatedOn)}</th>
                                    <th>{text(lang, Key::Result)}</th>
                                    <th>{text(lang, Key::Summary)}</th>
                                </tr></thead>
                                <tbody>{evaluation_rows}</tbody>
                            </table>
                        </div>
                    </div>
                }
            })}
            <section id="forms" class="forms" data-aggregate="base" data-id=forms_attr>
                <CommandForms env=forms_env() agg=Agg::Base id=forms_id detail=detail reload=reload/>
            </section>
            <Timeline history=history/>
        </section>
    }
}
