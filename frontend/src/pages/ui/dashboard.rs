//! The dashboard's additions: overdue milestones (report 3), the standing typical cases (report
//! 10) and, for the roles that audit, the audit flag count, each linking to the page that lists
//! them.

use leptos::prelude::*;

use super::super::{Page, ctx};
use super::{AuditTab, as_of_param, pctx, watch};
use crate::i18n::{Key, fill};
use crate::pages::query;
use crate::pages::table::{self, Column, Unit};
use crate::roles::Section;

/// Overdue milestones, typical cases and audit flags, as of the audit moment.
#[component]
pub(in crate::app) fn DashboardAlerts() -> impl IntoView {
    let ctx = ctx();
    let pages = pctx();
    let audits = ctx
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.role.audits()));
    let projects = watch(move || ctx.at("/api/reports/projects"));
    let flags = audits.then(|| {
        watch(move || query::flags_path("", "", as_of_param(ctx).as_deref(), 0, 1, false))
    });
    let overdue = move || {
        let lang = ctx.lang.get();
        let body = super::loaded(projects);
        let list = body["overdue_milestones"].as_array()?.clone();
        let spec = table::report("projects")?;
        let late = spec.tables.iter().find(|t| t.id == "overdue")?;
        let top = list
            .iter()
            .take(3)
            .map(|m| {
                let project = m["project"].as_str().unwrap_or_default().to_owned();
                let milestone = m["milestone"].as_str().unwrap_or_default().to_owned();
                let due = table::cell(
                    m,
                    &Column {
                        path: "planned_on",
                        label: late.title,
                        unit: Unit::Date,
                    },
                    lang,
                );
                let days = m["days_late"].as_u64().unwrap_or(0).to_string();
                view! {
                    <li>
                        <strong>{project}</strong>" · "{milestone}" · "{due}" · "
                        <span class="error">{fill(lang, Key::DaysLate, &[("days", &days)])}</span>
                    </li>
                }
            })
            .collect_view();
        let count = list.len().to_string();
        Some(view! {
            <div class="card alert-card" id="overdue-milestones">
                <h2>{fill(lang, Key::OverdueMilestones, &[])}</h2>
                <p class="big" id="overdue-count">{fill(lang, Key::OverdueCount, &[("count", &count)])}</p>
                <ul class="plain">{top}</ul>
                <button class="link" id="overdue-view-all" on:click=move |_| {
                    pages.report.set("projects");
                    ctx.page.set(Page::Section(Section::Reports));
                }>{fill(lang, Key::ViewAll, &[])}</button>
            </div>
        })
    };
    let cases = watch(move || ctx.at("/api/reports/typical-cases"));
    let typical = move || {
        let lang = ctx.lang.get();
        let body = super::loaded(cases);
        let list = body["cases"].as_array()?.clone();
        let top = list
            .iter()
            .take(3)
            .map(|case| {
                let name = case["name"].as_str().unwrap_or_default().to_owned();
                let summary = case["summary"].as_str().unwrap_or_default().to_owned();
                view! { <li><strong>{name}</strong>" · "<span class="muted">{summary}</span></li> }
            })
            .collect_view();
        let count = list.len().to_string();
        Some(view! {
            <div class="card alert-card" id="typical-cases">
                <h2>{fill(lang, Key::TypicalCases, &[])}</h2>
                <p class="big" id="typical-count">{fill(lang, Key::TypicalCasesCount, &[("count", &count)])}</p>
                <ul class="plain">{top}</ul>
                <button class="link" id="typical-view-all" on:click=move |_| {
                    pages.report.set("typical-cases");
                    ctx.page.set(Page::Section(Section::Reports));
                }>{fill(lang, Key::ViewAll, &[])}</button>
            </div>
        })
    };
    let flag_count = move || {
        let lang = ctx.lang.get();
        let total = super::loaded(flags?)["total"].as_u64()?.to_string();
        Some(view! {
            <div class="card alert-card" id="flag-count-card">
                <h2>{fill(lang, Key::AuditFlags, &[])}</h2>
                <p class="big" id="flag-count">{fill(lang, Key::FlagsCount, &[("count", &total)])}</p>
                <button class="link" id="flags-view-all" on:click=move |_| {
                    pages.audit_tab.set(AuditTab::Flags);
                    ctx.page.set(Page::Section(Section::Audit));
                }>{fill(lang, Key::ViewAll, &[])}</button>
            </div>
        })
    };
    view! {
        <div class="alerts">
            {overdue}
            {typical}
            {flag_count}
        </div>
    }
}
