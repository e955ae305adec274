//! Report 3 — projects (项目进展): counts, planned and commissioned capacity and budgets by
//! status, task, kind, route and region; milestones overdue with days late.
//!
//! ```text
//! per line: projects            = projects in the group
//!           planned_capacity    = Σ planned utilization capacity, kg/yr (as proposed)
//!           commissioned        = Σ capacity commissioned so far, kg/yr
//!           budget              = Σ budget, fen
//! route lines: a project naming several routes counts in each (route lines do not add up to
//!              the total; the other dimensions do)
//! overdue:  a planned milestone with no actual date whose planned date is before `on`
//!           (days_late = on − planned date), of a project not cancelled and not failed
//! ```

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use redmud_domain::{Fen, Kg, PlanTask, Project, ProjectKind, ProjectStatus, Region};
use serde::Serialize;
use uuid::Uuid;

use crate::ReportError;
use crate::csv::Csv;
use crate::table::{Breakdown, BreakdownLine, Measures, Section, group_region, region_key};

/// What a projects report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectsParams {
    /// The day overdue milestones are judged on.
    pub on: NaiveDate,
    /// Only projects within this region.
    pub region: Option<Region>,
    /// Only projects proposed in this year.
    pub year: Option<u16>,
    /// Only projects of this kind.
    pub kind: Option<ProjectKind>,
    /// Only projects of this plan task.
    pub task: Option<PlanTask>,
    /// Only projects in this status.
    pub status: Option<ProjectStatus>,
}

/// The measures of a projects line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ProjectMeasures {
    /// Projects counted.
    pub projects: u32,
    /// Σ planned utilization capacity, kg per year.
    pub planned_capacity_per_year: Kg,
    /// Σ capacity commissioned, kg per year.
    pub commissioned_per_year: Kg,
    /// Σ budget, fen.
    pub budget: Fen,
}

impl Measures for ProjectMeasures {
    fn add(&mut self, o: &Self) -> Result<(), ReportError> {
        self.projects += o.projects;
        self.planned_capacity_per_year = self
            .planned_capacity_per_year
            .checked_add(o.planned_capacity_per_year)?;
        self.commissioned_per_year = self
            .commissioned_per_year
            .checked_add(o.commissioned_per_year)?;
        self.budget = self.budget.checked_add(o.budget)?;
        Ok(())
    }
    fn columns() -> Vec<&'static str> {
        vec![
            "projects",
            "planned_capacity_per_year_kg",
            "commissioned_per_year_kg",
            "budget_fen",
        ]
    }
    fn values(&self) -> Vec<u64> {
        vec![
            u64::from(self.projects),
            self.planned_capacity_per_year.kg(),
            self.commissioned_per_year.kg(),
            self.budget.fen(),
        ]
    }
}

/// A milestone overdue on the report's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueMilestone {
    /// The project.
    pub project_id: Uuid,
    /// Its name.
    pub project: String,
    /// Its region code.
    pub region: String,
    /// Its status.
    pub status: ProjectStatus,
    /// The milestone.
    pub milestone_id: Uuid,
    /// Its name.
    pub milestone: String,
    /// Its planned date.
    pub planned_on: NaiveDate,
    /// Days from the planned date to the report's day.
    pub days_late: i64,
}

/// The projects report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectsReport {
    /// The day overdue milestones are judged on.
    pub on: NaiveDate,
    /// All projects counted.
    pub total: ProjectMeasures,
    /// Per status, task, kind, route and region (in that order, then by code).
    pub lines: Vec<BreakdownLine<ProjectMeasures>>,
    /// Milestones overdue, most days late first.
    pub overdue_milestones: Vec<OverdueMilestone>,
}

/// The breakdown dimensions, in report order.
pub const PROJECT_DIMENSIONS: &[&str] = &["status", "task", "kind", "route", "region"];

/// Whether `project` passes the report's filters.
fn selected(params: &ProjectsParams, project: &Project) -> bool {
    let Some(p) = project.proposal() else {
        return false;
    };
    params.region.is_none_or(|r| r.contains(p.region))
        && params.kind.is_none_or(|k| k == p.kind)
        && params.task.is_none_or(|t| t == p.task)
        && params.status.is_none_or(|s| s == project.status())
        && params.year.is_none_or(|y| {
            project
                .proposed_on()
                .is_some_and(|d| d.year() == i32::from(y))
        })
}

/// Computes the projects report from the project states in force at one moment.
pub fn projects_report(
    params: &ProjectsParams,
    projects: &[Arc<Project>],
) -> Result<ProjectsReport, ReportError> {
    let mut breakdown = Breakdown::new(PROJECT_DIMENSIONS);
    let mut overdue = Vec::new();
    for project in projects.iter().filter(|p| selected(params, p)) {
        let (Some(p), Some(id)) = (project.proposal(), project.id()) else {
            continue;
        };
        let m = ProjectMeasures {
            projects: 1,
            planned_capacity_per_year: p.planned_capacity_per_year,
            commissioned_per_year: project.commissioned_per_year(),
            budget: p.budget,
        };
        let status = project.status();
        breakdown.add("status", status.to_string(), status_zh(status), &m)?;
        breakdown.add("task", p.task.code(), p.task.name_zh(), &m)?;
        breakdown.add("kind", p.kind.code(), p.kind.name_zh(), &m)?;
        for route in &p.routes {
            breakdown.add("route", route.code(), route.name_zh(), &m)?;
        }
        let (code, name) = region_key(group_region(params.region, Some(p.region)));
        breakdown.add("region", code, name, &m)?;
        breakdown.add_total(&m)?;
        if matches!(
            status,
            ProjectStatus::Cancelled | ProjectStatus::AcceptanceFailed
        ) {
            continue;
        }
        for (milestone_id, milestone) in project.milestones() {
            if milestone.achieved_on.is_none() && milestone.planned_on < params.on {
                overdue.push(OverdueMilestone {
                    project_id: id,
                    project: p.name.clone(),
                    region: p.region.to_string(),
                    status,
                    milestone_id: *milestone_id,
                    milestone: milestone.name.clone(),
                    planned_on: milestone.planned_on,
                    days_late: (params.on - milestone.planned_on).num_days(),
                });
            }
        }
    }
    overdue.sort_by(|a, b| {
        (b.days_late, &a.project, a.milestone_id).cmp(&(a.days_late, &b.project, b.milestone_id))
    });
    let (lines, total) = breakdown.finish();
    Ok(ProjectsReport {
        on: params.on,
        total,
        lines,
        overdue_milestones: overdue,
    })
}

/// The Chinese name of a project status.
pub fn status_zh(status: ProjectStatus) -> &'static str {
    match status {
        ProjectStatus::NotProposed => "未申报",
        ProjectStatus::Proposed => "已申报",
        ProjectStatus::Approved => "已批复",
        ProjectStatus::UnderConstruction => "在建",
        ProjectStatus::InOperation => "建成投产",
        ProjectStatus::Accepted => "验收通过",
        ProjectStatus::Suspended => "暂停",
        ProjectStatus::Cancelled => "终止",
        ProjectStatus::AcceptanceFailed => "验收不通过",
        ProjectStatus::Drafting => "起草中",
        ProjectStatus::Consultation => "征求意见",
        ProjectStatus::Published => "已发布",
        ProjectStatus::Withdrawn => "已撤回",
    }
}

/// The CSV of the projects report: the breakdown sections and the total, then one
/// `overdue_milestone` record per overdue milestone.
pub fn projects_csv(report: &ProjectsReport) -> Csv {
    let overdue = Section {
        name: "overdue_milestone".to_owned(),
        columns: [
            "key",
            "name",
            "region",
            "status",
            "milestone_id",
            "milestone",
            "planned_on",
            "days_late",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: report
            .overdue_milestones
            .iter()
            .map(|o| {
                vec![
                    o.project_id.to_string(),
                    o.project.clone(),
                    o.region.clone(),
                    o.status.to_string(),
                    o.milestone_id.to_string(),
                    o.milestone.clone(),
                    o.planned_on.to_string(),
                    o.days_late.to_string(),
                ]
            })
            .collect(),
    };
    crate::table::breakdown_csv(&report.lines, &report.total, vec![overdue])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use redmud_domain::ProjectCommand;

    fn params(on: NaiveDate) -> ProjectsParams {
        ProjectsParams {
            on,
            region: None,
            year: None,
            kind: None,
            task: None,
            status: None,
        }
    }

    fn plan(n: u128, on: NaiveDate) -> ProjectCommand {
        ProjectCommand::PlanMilestone {
            milestone_id: id(n),
            name: "中期检查".into(),
            planned_on: on,
        }
    }

    #[test]
    fn sums_by_every_dimension_and_lists_overdue_milestones() -> Result<(), ReportError> {
        let a = project(&[
            propose(
                1,
                proposal("清镇建材", ProjectKind::UtilizationCapacity, "520181", 9),
            ),
            approve(),
            ProjectCommand::StartConstruction {
                started_on: d(2025, 3, 1),
            },
            plan(11, d(2025, 6, 30)),
            plan(12, d(2025, 9, 30)),
            ProjectCommand::AchieveMilestone {
                milestone_id: id(12),
                achieved_on: d(2025, 9, 1),
                evidence: "报告".into(),
            },
            ProjectCommand::CommissionCapacity {
                capacity_per_year: kg(300_000),
                commissioned_on: d(2025, 10, 1),
            },
        ]);
        let b = project(&[
            propose(
                2,
                proposal("务川氧化铝", ProjectKind::NewOrExpandedAlumina, "520326", 8),
            ),
            plan(21, d(2025, 5, 1)),
        ]);
        let cancelled = project(&[
            propose(
                3,
                proposal("撤销项目", ProjectKind::UtilizationCapacity, "520181", 9),
            ),
            plan(31, d(2025, 5, 1)),
            ProjectCommand::CancelProject {
                cancelled_on: d(2025, 6, 1),
                reason: "撤销".into(),
            },
        ]);
        let all = [a, b, cancelled].map(Arc::new);
        let r = projects_report(&params(d(2025, 7, 10)), &all)?;
        assert_eq!(r.total.projects, 3);
        assert_eq!(r.total.budget, fen(6_000_000));
        assert_eq!(r.total.planned_capacity_per_year, kg(1_000_000));
        assert_eq!(r.total.commissioned_per_year, kg(300_000));
        let line = |by: &str, key: &str| {
            r.lines
                .iter()
                .find(|l| l.by == by && l.key == key)
                .map(|l| l.measures)
        };
        assert_eq!(line("status", "in_operation").map(|m| m.projects), Some(1));
        assert_eq!(line("status", "cancelled").map(|m| m.projects), Some(1));
        assert_eq!(
            line("region", "520100").map(|m| (m.projects, m.budget)),
            Some((2, fen(4_000_000)))
        );
        assert_eq!(line("region", "520300").map(|m| m.projects), Some(1));
        // A project with two routes counts in both.
        assert_eq!(line("route", "cement").map(|m| m.projects), Some(2));
        assert_eq!(line("route", "road_base").map(|m| m.projects), Some(2));
        assert_eq!(
            line("kind", "new_or_expanded_alumina").map(|m| m.projects),
            Some(1)
        );
        // Overdue on 2025-07-10: milestone 11 (10 days) and 21 (70 days); 12 is achieved, the
        // cancelled project's milestone is not listed, and the order is most late first.
        let overdue: Vec<(Uuid, i64)> = r
            .overdue_milestones
            .iter()
            .map(|o| (o.milestone_id, o.days_late))
            .collect();
        assert_eq!(overdue, [(id(21), 70), (id(11), 10)]);
        // On the planned day itself, a milestone is not yet overdue.
        let r = projects_report(&params(d(2025, 6, 30)), &all)?;
        assert_eq!(r.overdue_milestones.len(), 1);
        // Filters and a county scope.
        let mut p = params(d(2025, 7, 10));
        p.region = Some(region("520181"));
        p.status = Some(ProjectStatus::InOperation);
        let r = projects_report(&p, &all)?;
        assert_eq!(r.total.projects, 1);
        assert!(
            r.lines
                .iter()
                .any(|l| l.by == "region" && l.key == "520181")
        );
        let (header, records) = projects_csv(&r).records();
        assert_eq!(header[..4], ["section", "key", "name", "projects"]);
        assert!(records.iter().any(|rec| rec[0] == "overdue_milestone"));
        Ok(())
    }
}
