//! The plan's tasks × responsible units (主要任务 × 责任单位): per main task and per responsible
//! unit, the projects that serve it, their status counts, milestones due and overdue, funding,
//! and the figures the task moves.
//!
//! ```text
//! a project serves its proposal's task; it is under a responsible unit when it names the
//!   unit (by its Chinese name, as the plan writes it) among its responsible units
//! milestone overdue  = not achieved and planned before `on`
//! milestone due      = not achieved and planned within [on, on + 30 days]
//! funding            = Σ over the projects' awards (awarded, disbursed, recovered, net)
//! capacity           = Σ planned / commissioned utilization capacity, t/yr
//! task 3 (utilization scale): utilized_by_route = Σ (from new + from stock) per route over the
//!   ledger periods in the year asked (all years when none) of enterprises in the region asked
//! task 5 (industrial synergy): matching = Σ expected red mud, owned and contracted capacity
//!   and shortfall (Σ per project of max(0, expected − capacity)) over its projects stating
//!   matching capacity (产用挂钩)
//! targets            = the regional targets (region, year) that point at the task
//! ```

use std::sync::Arc;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use redmud_domain::plan::{PlanItem, tasks_of};
use redmud_domain::{
    Fen, Kg, MatchingCapacity, PlanTask, Project, ProjectStatus, Region, ResponsibleUnit,
    RouteAmounts, Uuid,
};
use serde::Serialize;

use crate::ReportError;
use crate::balance::LedgerRow;
use crate::csv::Csv;
use crate::targets::PlanRow;

/// Days ahead within which an open milestone counts as due.
pub const DUE_WITHIN_DAYS: i64 = 30;

/// What a tasks report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TasksParams {
    /// Only this task (`None`: all five).
    pub task: Option<PlanTask>,
    /// Only projects naming this responsible unit (`None`: all).
    pub unit: Option<ResponsibleUnit>,
    /// Only projects, ledgers and targets within this region (`None`: all).
    pub region: Option<Region>,
    /// Only ledger periods and targets of this year (`None`: all).
    pub year: Option<u16>,
    /// The day milestones are due or overdue on.
    pub on: NaiveDate,
}

/// A responsible unit by code and names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRef {
    /// Code.
    pub code: ResponsibleUnit,
    /// Chinese name.
    pub name_zh: &'static str,
    /// English name.
    pub name_en: &'static str,
}

impl From<ResponsibleUnit> for UnitRef {
    fn from(unit: ResponsibleUnit) -> Self {
        UnitRef {
            code: unit,
            name_zh: unit.name_zh(),
            name_en: unit.name_en(),
        }
    }
}

/// One project's line, borrowing its texts from the project's state (a report lists 20,000
/// of them: no copies).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectLine<'a> {
    /// Project id.
    pub id: Uuid,
    /// Name.
    pub name: &'a str,
    /// Kind code.
    pub kind: &'static str,
    /// Task.
    pub task: PlanTask,
    /// Status (its code).
    pub status: ProjectStatus,
    /// Region (its code).
    pub region: Region,
    /// Responsible units as the project names them.
    pub responsible_units: &'a [String],
    /// Milestones planned.
    pub milestones_planned: u32,
    /// Milestones achieved.
    pub milestones_achieved: u32,
    /// Open milestones planned within the next [`DUE_WITHIN_DAYS`] days.
    pub milestones_due: u32,
    /// Open milestones planned before `on`.
    pub milestones_overdue: u32,
    /// Awarded, fen.
    pub awarded: Fen,
    /// Disbursed, fen.
    pub disbursed: Fen,
    /// Recovered, fen.
    pub recovered: Fen,
    /// Disbursed − recovered, fen.
    pub net_disbursed: Fen,
    /// Planned capacity, kg/yr.
    pub planned_capacity_per_year: Kg,
    /// Commissioned capacity, kg/yr.
    pub commissioned_per_year: Kg,
    /// Whether a typical-case recommendation stands.
    pub typical_case: bool,
}

/// Sums over a set of projects.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Projects.
    pub projects: u32,
    /// Projects per status code.
    pub by_status: BTreeMap<&'static str, u32>,
    /// Milestones planned.
    pub milestones_planned: u32,
    /// Milestones achieved.
    pub milestones_achieved: u32,
    /// Milestones due.
    pub milestones_due: u32,
    /// Milestones overdue.
    pub milestones_overdue: u32,
    /// Awarded, fen.
    pub awarded: Fen,
    /// Disbursed, fen.
    pub disbursed: Fen,
    /// Recovered, fen.
    pub recovered: Fen,
    /// Net disbursed, fen.
    pub net_disbursed: Fen,
    /// Planned capacity, kg/yr.
    pub planned_capacity_per_year: Kg,
    /// Commissioned capacity, kg/yr.
    pub commissioned_per_year: Kg,
}

impl Totals {
    fn add(&mut self, l: &ProjectLine<'_>) -> Result<(), ReportError> {
        self.projects += 1;
        *self.by_status.entry(l.status.code()).or_default() += 1;
        self.milestones_planned += l.milestones_planned;
        self.milestones_achieved += l.milestones_achieved;
        self.milestones_due += l.milestones_due;
        self.milestones_overdue += l.milestones_overdue;
        self.awarded = self.awarded.checked_add(l.awarded)?;
        self.disbursed = self.disbursed.checked_add(l.disbursed)?;
        self.recovered = self.recovered.checked_add(l.recovered)?;
        self.net_disbursed = self.net_disbursed.checked_add(l.net_disbursed)?;
        self.planned_capacity_per_year = self
            .planned_capacity_per_year
            .checked_add(l.planned_capacity_per_year)?;
        self.commissioned_per_year = self
            .commissioned_per_year
            .checked_add(l.commissioned_per_year)?;
        Ok(())
    }
}

/// 产用挂钩 sums over a task's projects that state matching capacity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MatchingTotals {
    /// Projects stating matching capacity.
    pub projects: u32,
    /// Of them, those whose capacity covers their red mud.
    pub covered: u32,
    /// Σ expected red mud, kg/yr.
    pub expected_red_mud_per_year: Kg,
    /// Σ owned capacity, kg/yr.
    pub owned_capacity_per_year: Kg,
    /// Σ contracted capacity, kg/yr.
    pub contracted_capacity_per_year: Kg,
    /// Σ per project of max(0, expected − capacity), kg/yr.
    pub shortfall_per_year: Kg,
}

/// A regional target pointing at a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetRef {
    /// Region code.
    pub region: String,
    /// Year.
    pub year: u16,
    /// Red mud to utilize, kg.
    pub red_mud_to_utilize: Kg,
}

/// One task's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskLine<'a> {
    /// Task code.
    pub task: PlanTask,
    /// Its number in the plan (1–5).
    pub number: u8,
    /// Chinese name.
    pub name_zh: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// The responsible units the plan names.
    pub responsible_units: Vec<UnitRef>,
    /// Sums over its projects.
    pub totals: Totals,
    /// Its projects, by name.
    pub projects: Vec<ProjectLine<'a>>,
    /// Regional targets pointing at it, by year then region.
    pub targets: Vec<TargetRef>,
    /// Task 3 only: red mud utilized per route (from new + from stock), kg.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utilized_by_route: Option<RouteAmounts>,
    /// Task 5 only: 产用挂钩 sums.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matching: Option<MatchingTotals>,
}

/// One responsible unit's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitLine {
    /// The unit.
    pub unit: UnitRef,
    /// The main tasks the plan names it for.
    pub tasks: Vec<PlanTask>,
    /// Sums over the projects naming it.
    pub totals: Totals,
    /// Those projects' ids.
    pub project_ids: Vec<Uuid>,
}

/// The tasks report (borrowing from the project states it was computed from).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TasksReport<'a> {
    /// The day milestones are due or overdue on.
    pub on: NaiveDate,
    /// Per task, in the plan's order.
    pub tasks: Vec<TaskLine<'a>>,
    /// Per responsible unit, in reference order.
    pub units: Vec<UnitLine>,
}

fn project_line(p: &Project, on: NaiveDate) -> Result<Option<ProjectLine<'_>>, ReportError> {
    let (Some(id), Some(proposal)) = (p.id(), p.proposal()) else {
        return Ok(None);
    };
    let horizon = on
        .checked_add_signed(Duration::days(DUE_WITHIN_DAYS))
        .unwrap_or(NaiveDate::MAX);
    // One pass over the milestones: achieved, and the open ones due or overdue.
    let (mut achieved, mut due, mut overdue) = (0usize, 0usize, 0usize);
    for m in p.milestones().values() {
        if m.achieved_on.is_some() {
            achieved += 1;
        } else if m.planned_on < on {
            overdue += 1;
        } else if m.planned_on <= horizon {
            due += 1;
        }
    }
    let funding = p.funding_balances()?;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(Some(ProjectLine {
        id,
        name: &proposal.name,
        kind: proposal.kind.code(),
        task: proposal.task,
        status: p.status(),
        region: proposal.region,
        responsible_units: &proposal.responsible_units,
        milestones_planned: count(p.milestones().len()),
        milestones_achieved: count(achieved),
        milestones_due: count(due),
        milestones_overdue: count(overdue),
        awarded: funding.awarded,
        disbursed: funding.disbursed,
        recovered: funding.recovered,
        net_disbursed: funding.net_disbursed,
        planned_capacity_per_year: proposal.planned_capacity_per_year,
        commissioned_per_year: p.commissioned_per_year(),
        typical_case: p.typical_case().is_some_and(|c| c.is_standing()),
    }))
}

// One bit per unit in a `u64`.
const _: () = assert!(ResponsibleUnit::ALL.len() <= 64);

/// The units `line` names, as bits in [`ResponsibleUnit::ALL`] order.
fn named_units(line: &ProjectLine<'_>) -> u64 {
    // Each unit's bit by its Chinese name, made once.
    static BITS: std::sync::LazyLock<rustc_hash::FxHashMap<&'static str, u64>> =
        std::sync::LazyLock::new(|| {
            ResponsibleUnit::ALL
                .iter()
                .enumerate()
                .map(|(bit, unit)| (unit.name_zh(), 1u64 << bit))
                .collect()
        });
    line.responsible_units
        .iter()
        .filter_map(|named| BITS.get(named.trim()))
        .fold(0, |mask, bit| mask | bit)
}

/// `unit`'s bit in [`named_units`] masks.
fn unit_bit(unit: ResponsibleUnit) -> u64 {
    ResponsibleUnit::ALL
        .iter()
        .position(|u| *u == unit)
        .map_or(0, |bit| 1u64 << bit)
}

/// Computes the tasks report from the projects, regional plans and ledger rows in force at one
/// moment.
pub fn tasks_report<'a>(
    params: &TasksParams,
    projects: &'a [Arc<Project>],
    plans: &[PlanRow],
    ledgers: &[LedgerRow],
) -> Result<TasksReport<'a>, ReportError> {
    let within = |region: Option<Region>| match (params.region, region) {
        (None, _) => true,
        (Some(scope), Some(r)) => scope.contains(r),
        (Some(_), None) => false,
    };
    // Each line with the units it names (one bit per unit, in reference order), computed once.
    let mut lines: Vec<(ProjectLine<'a>, u64)> = Vec::with_capacity(projects.len());
    let mut matching_of: BTreeMap<Uuid, MatchingCapacity> = BTreeMap::new();
    for p in projects {
        let Some(line) = project_line(p, params.on)? else {
            continue;
        };
        let named = named_units(&line);
        let region = p.proposal().map(|x| x.region);
        if !within(region) || params.unit.is_some_and(|u| named & unit_bit(u) == 0) {
            continue;
        }
        if let Some(m) = p.proposal().and_then(|x| x.matching_capacity) {
            matching_of.insert(line.id, m);
        }
        lines.push((line, named));
    }
    // By (name, id), unique, so an unstable sort orders the same. The small keys are sorted
    // (contiguous, cheap to swap) and the lines then moved once into their place.
    let mut order: Vec<(&str, Uuid, usize)> = lines
        .iter()
        .enumerate()
        .map(|(i, (l, _))| (l.name, l.id, i))
        .collect();
    order.sort_unstable();
    let mut slots: Vec<Option<(ProjectLine<'a>, u64)>> = lines.into_iter().map(Some).collect();
    let lines: Vec<(ProjectLine<'a>, u64)> = order
        .iter()
        .filter_map(|&(_, _, i)| slots.get_mut(i).and_then(Option::take))
        .collect();

    let mut units = Vec::new();
    for (bit, &unit) in ResponsibleUnit::ALL.iter().enumerate() {
        if params.unit.is_some_and(|u| u != unit) {
            continue;
        }
        let mut totals = Totals::default();
        let mut project_ids = Vec::new();
        for (l, _) in lines.iter().filter(|(l, mask)| {
            *mask & (1u64 << bit) != 0 && params.task.is_none_or(|t| t == l.task)
        }) {
            totals.add(l)?;
            project_ids.push(l.id);
        }
        units.push(UnitLine {
            unit: unit.into(),
            tasks: tasks_of(unit),
            totals,
            project_ids,
        });
    }
    // Each line moves (not copied) to its task, keeping the order by name.
    let mut by_task: Vec<Vec<ProjectLine<'a>>> = PlanTask::ALL.iter().map(|_| Vec::new()).collect();
    for (line, _) in lines {
        let slot = PlanTask::ALL.iter().position(|t| *t == line.task);
        if let Some(bucket) = slot.and_then(|i| by_task.get_mut(i)) {
            bucket.push(line);
        }
    }
    let mut tasks = Vec::new();
    for (&task, projects) in PlanTask::ALL.iter().zip(by_task) {
        if params.task.is_some_and(|t| t != task) {
            continue;
        }
        let item = PlanItem::Task(task);
        let mut totals = Totals::default();
        for l in &projects {
            totals.add(l)?;
        }
        let mut targets: Vec<TargetRef> = plans
            .iter()
            .filter(|r| {
                r.task == task && within(Some(r.region)) && params.year.is_none_or(|y| y == r.year)
            })
            .map(|r| TargetRef {
                region: r.region.to_string(),
                year: r.year,
                red_mud_to_utilize: r.red_mud_to_utilize,
            })
            .collect();
        targets.sort_by(|a, b| (a.year, &a.region).cmp(&(b.year, &b.region)));
        let utilized_by_route = if task == PlanTask::UtilizationScale {
            let mut sum = RouteAmounts::new();
            for r in ledgers.iter().filter(|r| {
                within(r.region) && params.year.is_none_or(|y| y == r.period.calendar_year())
            }) {
                sum = sum.checked_add(&r.figures.utilized_from_new)?;
                sum = sum.checked_add(&r.figures.utilized_from_stock)?;
            }
            Some(sum)
        } else {
            None
        };
        let matching = if task == PlanTask::IndustrialSynergy {
            let mut m = MatchingTotals::default();
            for l in &projects {
                let Some(stated) = matching_of.get(&l.id) else {
                    continue;
                };
                let coverage = stated.coverage()?;
                m.projects += 1;
                if coverage.covers {
                    m.covered += 1;
                }
                m.expected_red_mud_per_year = m
                    .expected_red_mud_per_year
                    .checked_add(stated.expected_red_mud_per_year)?;
                m.owned_capacity_per_year = m
                    .owned_capacity_per_year
                    .checked_add(stated.owned_capacity_per_year)?;
                m.contracted_capacity_per_year = m
                    .contracted_capacity_per_year
                    .checked_add(stated.contracted_capacity_per_year)?;
                m.shortfall_per_year = m
                    .shortfall_per_year
                    .checked_add(coverage.shortfall_per_year)?;
            }
            Some(m)
        } else {
            None
        };
        tasks.push(TaskLine {
            task,
            number: item.number(),
            name_zh: item.name_zh(),
            name_en: item.name_en(),
            responsible_units: item
                .responsible_units()
                .iter()
                .copied()
                .map(UnitRef::from)
                .collect(),
            totals,
            projects,
            targets,
            utilized_by_route,
            matching,
        });
    }

    Ok(TasksReport {
        on: params.on,
        tasks,
        units,
    })
}

/// The report as CSV: one record per project under each task (`kind = project`), one per task
/// (`kind = task`, its totals) and one per responsible unit (`kind = unit`, its totals).
pub fn tasks_csv(report: &TasksReport<'_>) -> Csv {
    const HEADER: &[&str] = &[
        "kind",
        "task",
        "task_name",
        "unit",
        "unit_name",
        "project_id",
        "project",
        "project_kind",
        "status",
        "region",
        "projects",
        "milestones_planned",
        "milestones_achieved",
        "milestones_due",
        "milestones_overdue",
        "awarded_fen",
        "disbursed_fen",
        "recovered_fen",
        "net_disbursed_fen",
        "planned_capacity_kg_per_year",
        "commissioned_kg_per_year",
        "statuses",
    ];
    fn totals(csv: &mut Csv, t: &Totals) {
        csv.value(t.projects)
            .value(t.milestones_planned)
            .value(t.milestones_achieved)
            .value(t.milestones_due)
            .value(t.milestones_overdue)
            .value(t.awarded.fen())
            .value(t.disbursed.fen())
            .value(t.recovered.fen())
            .value(t.net_disbursed.fen())
            .value(t.planned_capacity_per_year.kg())
            .value(t.commissioned_per_year.kg());
        let statuses: Vec<String> = t
            .by_status
            .iter()
            .map(|(s, n)| format!("{s}={n}"))
            .collect();
        csv.field(&statuses.join(";"));
        csv.end();
    }
    let lines: usize = report.tasks.iter().map(|t| t.projects.len()).sum();
    let mut csv = Csv::new(HEADER, (lines + report.units.len()) * 256);
    for task in &report.tasks {
        csv.field("task")
            .field(task.task.code())
            .field(task.name_zh)
            .empty(7);
        totals(&mut csv, &task.totals);
        for l in &task.projects {
            csv.field("project")
                .field(task.task.code())
                .field(task.name_zh)
                .empty(1)
                .field(&l.responsible_units.join("、"))
                .value(l.id)
                .field(l.name)
                .field(l.kind)
                .field(l.status.code())
                .value(l.region)
                .value(1)
                .value(l.milestones_planned)
                .value(l.milestones_achieved)
                .value(l.milestones_due)
                .value(l.milestones_overdue)
                .value(l.awarded.fen())
                .value(l.disbursed.fen())
                .value(l.recovered.fen())
                .value(l.net_disbursed.fen())
                .value(l.planned_capacity_per_year.kg())
                .value(l.commissioned_per_year.kg())
                .field(l.status.code());
            csv.end();
        }
    }
    for unit in &report.units {
        let tasks: Vec<&str> = unit.tasks.iter().map(|t| t.code()).collect();
        csv.field("unit")
            .field(&tasks.join(";"))
            .empty(1)
            .field(unit.unit.code.code())
            .field(unit.unit.name_zh)
            .empty(5);
        totals(&mut csv, &unit.totals);
    }
    csv
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use redmud_domain::{Aggregate, ProjectCommand, ProjectKind, ProjectProposal, execute};

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn project(n: u128, task: PlanTask, units: &[&str], milestones: &[NaiveDate]) -> Project {
        let proposal = ProjectProposal {
            name: format!("项目{n}"),
            kind: ProjectKind::ResearchAndDevelopment,
            task,
            lead_enterprise_id: Uuid::from_u128(1),
            region: Region::from_code(520_181).expect("region"),
            routes: BTreeSet::new(),
            planned_capacity_per_year: Kg::ZERO,
            budget: Fen::from_yuan(1_000).expect("fen"),
            responsible_units: units.iter().map(|u| (*u).to_owned()).collect(),
            planned_start: d(2025, 3, 1),
            planned_end: d(2026, 3, 1),
            matching_capacity: None,
            standard: None,
        };
        let (mut p, _) = execute(
            &Project::default(),
            &ProjectCommand::ProposeProject {
                project_id: Uuid::from_u128(n),
                proposal,
                proposed_on: d(2025, 2, 1),
            },
        )
        .expect("proposed");
        for (k, on) in (1u128..).zip(milestones) {
            let command = ProjectCommand::PlanMilestone {
                milestone_id: Uuid::from_u128(n * 100 + k),
                name: "节点".into(),
                planned_on: *on,
            };
            let events = p.decide(&command).expect("planned");
            for e in &events {
                p.apply(e);
            }
        }
        p
    }

    #[test]
    fn projects_count_under_their_task_and_the_units_they_name() {
        let projects = [
            project(
                1,
                PlanTask::SourceReduction,
                &["省工业和信息化厅", " 省生态环境厅 "],
                &[d(2025, 8, 1), d(2025, 9, 10), d(2025, 12, 1)],
            ),
            project(2, PlanTask::SourceReduction, &["贵阳市人民政府"], &[]),
            project(3, PlanTask::TechnologyInnovation, &["省科技厅"], &[]),
        ]
        .map(Arc::new);
        let params = TasksParams {
            task: None,
            unit: None,
            region: None,
            year: None,
            on: d(2025, 9, 1),
        };
        let r = tasks_report(&params, &projects, &[], &[]).expect("report");
        let source = &r.tasks[0];
        assert_eq!(source.task, PlanTask::SourceReduction);
        assert_eq!(source.totals.projects, 2);
        assert_eq!(source.totals.by_status.get("proposed"), Some(&2));
        assert_eq!(source.totals.milestones_overdue, 1);
        assert_eq!(source.totals.milestones_due, 1);
        assert!(source.utilized_by_route.is_none() && source.matching.is_none());
        assert!(r.tasks[2].utilized_by_route.is_some());
        assert!(r.tasks[4].matching.is_some());
        let unit = |u: ResponsibleUnit| r.units.iter().find(|l| l.unit.code == u).expect("unit");
        assert_eq!(unit(ResponsibleUnit::IndustryIt).totals.projects, 1);
        // " 省生态环境厅 " as written by the project (the domain trims on proposal; the report trims too).
        assert_eq!(unit(ResponsibleUnit::EcologyEnvironment).totals.projects, 1);
        assert_eq!(unit(ResponsibleUnit::ScienceTechnology).totals.projects, 1);
        assert_eq!(unit(ResponsibleUnit::Energy).totals.projects, 0);

        let only = TasksParams {
            unit: Some(ResponsibleUnit::ScienceTechnology),
            ..params
        };
        let r = tasks_report(&only, &projects, &[], &[]).expect("report");
        assert_eq!(r.units.len(), 1);
        assert_eq!(r.tasks[0].totals.projects, 0);
        assert_eq!(r.tasks[3].totals.projects, 1);
        let (header, records) = tasks_csv(&r).records();
        assert!(records.iter().all(|rec| rec.len() == header.len()));
    }
}
