//! Typical cases (典型案例): the enterprises and projects recommended by the province, with the
//! latest recommendation of each — standing (`recommended`) or `withdrawn` with its reason.
//! Sorted by recommendation date, newest first, then by name.

use std::sync::Arc;

use chrono::NaiveDate;
use redmud_domain::{Enterprise, Project, Region, TypicalCase, Uuid};
use serde::Serialize;

use crate::csv::Csv;

/// One recommended enterprise or project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypicalCaseLine {
    /// `enterprise` or `project`.
    pub subject: &'static str,
    /// The aggregate's id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Its region code.
    pub region: String,
    /// `recommended` (standing) or `withdrawn`.
    pub status: &'static str,
    /// Summary.
    pub summary: String,
    /// Date recommended.
    pub recommended_on: NaiveDate,
    /// Date withdrawn.
    pub withdrawn_on: Option<NaiveDate>,
    /// Why it was withdrawn.
    pub withdrawal_reason: Option<String>,
}

fn line(
    subject: &'static str,
    id: Uuid,
    name: &str,
    region: Option<Region>,
    case: &TypicalCase,
) -> TypicalCaseLine {
    TypicalCaseLine {
        subject,
        id,
        name: name.to_owned(),
        region: region.map(|r| r.to_string()).unwrap_or_default(),
        status: if case.is_standing() {
            "recommended"
        } else {
            "withdrawn"
        },
        summary: case.summary.clone(),
        recommended_on: case.recommended_on,
        withdrawn_on: case.withdrawn_on,
        withdrawal_reason: case.withdrawal_reason.clone(),
    }
}

/// The typical cases among `enterprises` and `projects` (withdrawn ones only when
/// `include_withdrawn`).
pub fn typical_cases_report(
    enterprises: &[Arc<Enterprise>],
    projects: &[Arc<Project>],
    include_withdrawn: bool,
) -> Vec<TypicalCaseLine> {
    let mut lines: Vec<TypicalCaseLine> = enterprises
        .iter()
        .filter_map(|e| {
            let (id, case) = (e.id()?, e.typical_case()?);
            Some(line("enterprise", id, e.name(), e.region(), case))
        })
        .chain(projects.iter().filter_map(|p| {
            let (id, proposal, case) = (p.id()?, p.proposal()?, p.typical_case()?);
            Some(line(
                "project",
                id,
                &proposal.name,
                Some(proposal.region),
                case,
            ))
        }))
        .filter(|l| include_withdrawn || l.status == "recommended")
        .collect();
    lines.sort_by(|a, b| {
        b.recommended_on
            .cmp(&a.recommended_on)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
    lines
}

/// The report as CSV, one record per line.
pub fn typical_cases_csv(lines: &[TypicalCaseLine]) -> Csv {
    let header: Vec<String> = [
        "subject",
        "id",
        "name",
        "region",
        "status",
        "summary",
        "recommended_on",
        "withdrawn_on",
        "withdrawal_reason",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let records: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                l.subject.to_owned(),
                l.id.to_string(),
                l.name.clone(),
                l.region.clone(),
                l.status.to_owned(),
                l.summary.clone(),
                l.recommended_on.to_string(),
                l.withdrawn_on.map(|d| d.to_string()).unwrap_or_default(),
                l.withdrawal_reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    Csv::table(&header, &records)
}
