//! 年度目标任务: the regional plans (a region's targets for a year) and a plan's detail — its
//! targets, the reports submitted to the province and their status (returned / accepted), the
//! region's other years, the timeline, and its command forms.

use leptos::prelude::*;
use redmud_domain::{Kg, Period, Ratio};
use serde_json::Value;

use super::super::{ListFrame, Page, Timeline, ctx, date_of, fetch_json, forms_env, region_name};
use super::{status_of, watch};
use crate::format;
use crate::forms::Agg;
use crate::forms::view::{CommandForms, NewRecord};
use crate::i18n::{Key, Lang, text};
use crate::pages::labels::{self, L};
use crate::pages::table::{Column, Unit, cell};
use crate::roles::Section;

fn open_plan(id: String) {
    ctx().page.set(Page::RegionalPlan(id));
}

const fn col(path: &'static str, unit: Unit) -> Column {
    Column {
        path,
        label: L("", ""),
        unit,
    }
}

/// The list of regional plans: region, year, red mud to utilize, rate target, status.
#[component]
pub(in crate::app) fn PlanList() -> impl IntoView {
    fn row(item: &Value, lang: Lang) -> Vec<String> {
        let state = &item["state"];
        vec![
            region_name(&state["region"], lang),
            state["year"]
                .as_u64()
                .map(|y| y.to_string())
                .unwrap_or_default(),
            cell(
                state,
                &col("targets/targets/red_mud_to_utilize", Unit::Kg),
                lang,
            ),
            cell(
                state,
                &col("targets/targets/new_utilization_rate", Unit::Bp),
                lang,
            ),
            labels::plan_status(state["status"].as_str().unwrap_or_default(), lang),
        ]
    }
    view! {
        <NewRecord env=forms_env() agg=Agg::RegionalPlan/>
        <ListFrame collection="regional-plans" title=Key::NavRegionalPlans statuses=&[]
            columns=vec![Key::Region, Key::Year, Key::RedMudToUtilize, Key::NewUtilizationRate, Key::Status]
            row=row open=open_plan/>
    }
}

fn sum_routes(routes: &Value) -> u64 {
    routes
        .as_object()
        .map(|m| m.values().filter_map(Value::as_u64).sum())
        .unwrap_or(0)
}

/// A regional plan as of the audit moment.
#[component]
pub(in crate::app) fn PlanDetail(id: String) -> impl IntoView {
    let ctx = ctx();
    let reload = RwSignal::new(0u32);
    let detail_path = format!("/api/regional-plans/{id}");
    let history_path = format!("/api/regional-plans/{id}/history");
    let detail = fetch_json(move || ctx.at(&detail_path), reload);
    let history = fetch_json(move || ctx.at(&history_path), reload);
    let state = move || {
        detail.with(|d| match d {
            Some(Ok(reply)) if reply.body["state"].is_object() => Some(reply.body["state"].clone()),
            _ => None,
        })
    };
    // The region's plans of every year.
    let region = Memo::new(move |_| state().and_then(|s| s["region"].as_str().map(str::to_owned)));
    let siblings = watch(move || match region.get() {
        Some(code) => ctx.at(&format!("/api/regional-plans?region={code}&limit=50")),
        None => ctx.at("/api/regional-plans?limit=1"),
    });
    let this = id.clone();
    let forms_id = id.clone();
    let forms_attr = id.clone();
    view! {
        <section class="detail" id="plan-detail">
            <button class="back" on:click=move |_| ctx.page.set(Page::Section(Section::RegionalPlans))>
                "← "{move || ctx.t(Key::Back)}
            </button>
            {status_of(detail)}
            {move || state().map(|s| {
                let lang = ctx.lang.get();
                let targets = &s["targets"];
                let reports = s["reports"].as_object().cloned().unwrap_or_default();
                let report_rows = reports.iter().map(|(period, r)| {
                    let ledger = &r["figures"]["ledger"];
                    let generated = ledger["generated"].as_u64().unwrap_or(0);
                    let from_new = sum_routes(&ledger["utilized_from_new"]);
                    let utilized = from_new + sum_routes(&ledger["utilized_from_stock"]);
                    let rate = Ratio::new(from_new, generated).ok()
                        .map(format::percent)
                        .unwrap_or_else(|| "—".into());
                    let tonnes = |k: u64| Kg::new(k).map(|k| format::tonnes(k, lang)).unwrap_or_default();
                    let period_text = period.parse::<Period>().map(|p| format::period(p, lang)).unwrap_or_else(|_| period.clone());
                    let status = r["status"].as_str().unwrap_or_default().to_owned();
                    view! {
                        <tr data-period=period.clone() data-status=status.clone()>
                            <td>{period_text}</td>
                            <td class=format!("status-{status}")>{labels::report_status(&status, lang)}</td>
                            <td class="num">{r["submission"].as_u64().unwrap_or(0)}</td>
                            <td>{date_of(&r["submitted_on"], lang)}</td>
                            <td class="num">{tonnes(generated)}</td>
                            <td class="num">{tonnes(utilized)}</td>
                            <td class="num">{rate}</td>
                            <td class="num">{cell(r, &col("figures/capacity_commissioned_per_year", Unit::KgPerYear), lang)}</td>
                            <td class="num">{r["figures"]["enterprises_reporting"].as_u64().unwrap_or(0)}</td>
                        </tr>
                        <tr class="sub"><td colspan="9" class="wrap muted">{r["summary"].as_str().unwrap_or_default().to_owned()}</td></tr>
                    }
                }).collect_view();
                let year_buttons = super::loaded(siblings)["items"].as_array().cloned().unwrap_or_default()
                    .into_iter()
                    .filter(|item| item["state"]["region"] == s["region"])
                    .map(|item| {
                        let pid = item["id"].as_str().unwrap_or_default().to_owned();
                        let year = item["state"]["year"].as_u64().unwrap_or(0);
                        let current = pid == this;
                        view! {
                            <button class="nav-item" class:active=current
                                on:click=move |_| open_plan(pid.clone())>{year}</button>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="card">
                        <h1 id="plan-title">{format!("{} · {}", region_name(&s["region"], lang), s["year"].as_u64().unwrap_or(0))}</h1>
                        <div class="subnav">{year_buttons}</div>
                        <dl class="facts">
                            <dt>{text(lang, Key::Status)}</dt><dd id="plan-status">{labels::plan_status(s["status"].as_str().unwrap_or_default(), lang)}</dd>
                            <dt>{text(lang, Key::SetOn)}</dt><dd>{date_of(&s["set_on"], lang)}</dd>
                            <dt>{text(lang, Key::TargetsRevision)}</dt><dd>{targets["revision"].as_u64().unwrap_or(0)}</dd>
                        </dl>
                    </div>
                    <div class="card">
                        <h2>{text(lang, Key::PlanTargets)}</h2>
                        <dl class="facts" id="plan-targets">
                            <dt>{text(lang, Key::RedMudToUtilize)}</dt>
                            <dd>{cell(targets, &col("targets/red_mud_to_utilize", Unit::Kg), lang)}</dd>
                            <dt>{text(lang, Key::NewUtilizationRate)}</dt>
                            <dd>{cell(targets, &col("targets/new_utilization_rate", Unit::Bp), lang)}</dd>
                            <dt>{text(lang, Key::NewCapacity)}</dt>
                            <dd>{cell(targets, &col("targets/new_capacity_per_year", Unit::KgPerYear), lang)}</dd>
                            <dt>{text(lang, Key::DemonstrationProjects)}</dt>
                            <dd>{cell(targets, &col("targets/demonstration_projects", Unit::Count), lang)}</dd>
                        </dl>
                    </div>
                    <div class="card">
                        <h2>{text(lang, Key::PlanReports)}</h2>
                        <div class="table-wrap">
                            <table id="plan-reports">
                                <thead><tr>
                                    <th>{text(lang, Key::Period)}</th>
                                    <th>{text(lang, Key::Status)}</th>
                                    <th class="num">{text(lang, Key::Submission)}</th>
                                    <th>{text(lang, Key::SubmittedOn)}</th>
                                    <th class="num">{text(lang, Key::Generated)}</th>
                                    <th class="num">{text(lang, Key::UtilizedTotal)}</th>
                                    <th class="num">{text(lang, Key::NewUtilizationRate)}</th>
                                    <th class="num">{text(lang, Key::CapacityCommissioned)}</th>
                                    <th class="num">{text(lang, Key::EnterprisesReporting)}</th>
                                </tr></thead>
                                <tbody>{report_rows}</tbody>
                            </table>
                        </div>
                    </div>
                }
            })}
            <section id="forms" class="forms" data-aggregate="regional_plan" data-id=forms_attr>
                <CommandForms env=forms_env() agg=Agg::RegionalPlan id=forms_id detail=detail reload=reload/>
            </section>
            <Timeline history=history/>
        </section>
    }
}
