//! 报表: reports 1–10 as tables (and a chart where one helps), with their filters, the audit
//! moment, and the CSV download.

use leptos::prelude::*;
use redmud_domain::{Fen, Prefecture, Region};

use super::super::ctx;
use super::{DownloadButton, as_of_param, pctx, status_of, watch};
use crate::charts;
use crate::format;
use crate::i18n::{Key, fill, text};
use crate::pages::labels;
use crate::pages::table::{self, Choices, FilterSpec, REPORTS, ReportSpec};

/// The reports page: a sub-navigation of the ten reports, then the chosen one.
#[component]
pub(in crate::app) fn ReportsPage() -> impl IntoView {
    let ctx = ctx();
    let pages = pctx();
    view! {
        <section class="reports" id="reports">
            <h1>{move || ctx.t(Key::NavReports)}</h1>
            <nav class="subnav" aria-label=move || ctx.t(Key::ChooseReport)>
                {REPORTS.iter().map(|spec| {
                    let id = spec.id;
                    view! {
                        <button class="nav-item" data-report=id
                            class:active=move || pages.report.get() == id
                            on:click=move |_| pages.report.set(id)>
                            {spec.number}". "{move || spec.title.get(ctx.lang.get())}
                        </button>
                    }
                }).collect_view()}
            </nav>
            {move || {
                let id = pages.report.get();
                table::report(id).map(|spec| view! { <ReportView spec=spec/> })
            }}
        </section>
    }
}

#[component]
fn FilterInput(filter: FilterSpec, value: RwSignal<String>) -> impl IntoView {
    let ctx = ctx();
    let name = filter.name;
    let control = match filter.choices {
        Choices::Text => view! {
            <input name=name placeholder=filter.hint
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))/>
        }
        .into_any(),
        Choices::Region => view! {
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
        }
        .into_any(),
        Choices::Codes(codes) => view! {
            <select name=name on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">{move || ctx.t(Key::Any)}</option>
                {move || {
                    let lang = ctx.lang.get();
                    codes.iter().map(|code| view! {
                        <option value=*code selected=move || value.get() == *code>{labels::code(code, lang)}</option>
                    }).collect_view()
                }}
            </select>
        }
        .into_any(),
        Choices::Fixed(options) => view! {
            <select name=name on:change=move |ev| value.set(event_target_value(&ev))>
                {move || {
                    let lang = ctx.lang.get();
                    options.iter().map(|(code, label)| view! {
                        <option value=*code selected=move || value.get() == *code>{label.get(lang)}</option>
                    }).collect_view()
                }}
            </select>
        }
        .into_any(),
        Choices::Domain(values) => view! {
            <select name=name on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">{move || ctx.t(Key::Any)}</option>
                {move || {
                    let lang = ctx.lang.get();
                    values.values().into_iter().map(|(code, label)| view! {
                        <option value=code selected=move || value.get() == code>{label.get(lang)}</option>
                    }).collect_view()
                }}
            </select>
        }
        .into_any(),
    };
    view! {
        <label class="field">
            <span>{move || filter.label.get(ctx.lang.get())}</span>
            {control}
        </label>
    }
}

/// One report: filters, the moment, the CSV download, a chart where one helps, the tables.
#[component]
fn ReportView(spec: &'static ReportSpec) -> impl IntoView {
    let ctx = ctx();
    let values: Vec<(&'static str, RwSignal<String>)> = spec
        .filters
        .iter()
        .map(|f| {
            let first = match f.choices {
                Choices::Fixed(options) => options.first().map(|(c, _)| (*c).to_owned()),
                Choices::Region => Some(ctx.own_region()),
                _ => None,
            };
            (f.name, RwSignal::new(first.unwrap_or_default()))
        })
        .collect();
    let current = {
        let values = values.clone();
        move || -> Vec<(&'static str, String)> {
            values.iter().map(|(name, v)| (*name, v.get())).collect()
        }
    };
    let json_path = {
        let current = current.clone();
        move || table::report_path(spec, &current(), as_of_param(ctx).as_deref(), false)
    };
    let csv_path = Signal::derive(move || {
        table::report_path(spec, &current(), as_of_param(ctx).as_deref(), true)
    });
    let data = watch(json_path);
    let inputs = spec
        .filters
        .iter()
        .zip(values.iter())
        .map(|(filter, (_, value))| view! { <FilterInput filter=*filter value=*value/> })
        .collect_view();
    let moment = move || {
        let lang = ctx.lang.get();
        let moment = ctx
            .as_of
            .get()
            .map(|m| m.label(lang))
            .unwrap_or_else(|| text(lang, Key::Now).to_owned());
        fill(lang, Key::FiguresAsOf, &[("moment", &moment)])
    };
    let chart = move || {
        let lang = ctx.lang.get();
        let body = super::loaded(data);
        match spec.id {
            "balance" => {
                let series = table::balance_series(&body, lang);
                if series.is_empty() {
                    return None;
                }
                let title = text(lang, Key::GeneratedVsUtilized);
                Some(charts::generated_vs_utilized(
                    title,
                    &series,
                    (text(lang, Key::Generated), text(lang, Key::UtilizedTotal)),
                    lang,
                ))
            }
            "funding" => {
                let fen = |key: &str| body["total"][key].as_u64().and_then(|f| Fen::new(f).ok());
                let title = text(lang, Key::Funding);
                Some(charts::awarded_vs_disbursed(
                    title,
                    fen("awarded")?,
                    fen("disbursed")?,
                    (text(lang, Key::Awarded), text(lang, Key::Disbursed)),
                    lang,
                ))
            }
            _ => None,
        }
        .map(|svg| view! { <div class="card"><div class="chart-box" id="report-chart" inner_html=svg></div></div> })
    };
    let tables = move || {
        let lang = ctx.lang.get();
        let body = super::loaded(data);
        if body.is_null() {
            return None;
        }
        Some(
            spec.tables
                .iter()
                .map(|t| {
                    let rows = table::rows(&body, t);
                    let head = t
                        .columns
                        .iter()
                        .map(|c| {
                            let class = if c.unit.numeric() { "num" } else { "" };
                            view! { <th class=class>{c.label.get(lang)}</th> }
                        })
                        .collect_view();
                    let count = rows.len();
                    let body_rows = rows
                        .iter()
                        .map(|row| {
                            let cells = t
                                .columns
                                .iter()
                                .map(|c| {
                                    let class = if c.unit.numeric() { "num" } else { "" };
                                    view! {
                                        <td class=class data-field=c.path data-raw=table::raw(row, c)>
                                            {table::cell(row, c, lang)}
                                        </td>
                                    }
                                })
                                .collect_view();
                            view! { <tr>{cells}</tr> }
                        })
                        .collect_view();
                    view! {
                        <div class="card">
                            <h2>{t.title.get(lang)}<span class="muted count">" ("{count}")"</span></h2>
                            {(count == 0).then(|| view! { <p class="muted">{text(lang, Key::NoData)}</p> })}
                            <div class="table-wrap">
                                <table id=format!("report-{}-{}", spec.id, t.id) class="report">
                                    <thead><tr>{head}</tr></thead>
                                    <tbody>{body_rows}</tbody>
                                </table>
                            </div>
                        </div>
                    }
                })
                .collect_view(),
        )
    };
    view! {
        <div class="report-view" data-report=spec.id>
            <div class="card">
                <h2>{move || format!("{}. {}", spec.number, spec.title.get(ctx.lang.get()))}</h2>
                <div class="filters report-filters">{inputs}</div>
                <div class="report-tools">
                    <span class="muted" id="report-moment">{moment}</span>
                    <DownloadButton path=csv_path fallback="report.csv" media_type="text/csv;charset=utf-8"
                        label=Key::DownloadCsv id="csv-download"/>
                </div>
            </div>
            {status_of(data)}
            {chart}
            {tables}
        </div>
    }
}
