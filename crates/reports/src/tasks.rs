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
    Fen, Kg, PlanTask, Project, ProjectStatus, Region, ResponsibleUnit, RouteAmounts, Uuid,
};
use serde::Serialize;
use serde_json::value::RawValue;

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

/// Status slots counted in an array (more statuses than this are counted in a map).
const STATUS_SLOTS: usize = 32;

/// [`Totals`] being summed: statuses counted in an array indexed by the status.
#[derive(Debug, Clone)]
struct TotalsAcc {
    totals: Totals,
    statuses: [(u32, &'static str); STATUS_SLOTS],
}

impl Default for TotalsAcc {
    fn default() -> Self {
        TotalsAcc {
            totals: Totals::default(),
            statuses: [(0, ""); STATUS_SLOTS],
        }
    }
}

impl TotalsAcc {
    fn add(&mut self, l: &RenderedLine) -> Result<(), ReportError> {
        let (t, f) = (&mut self.totals, &l.figures);
        t.projects += 1;
        match self.statuses.get_mut(l.status as usize) {
            Some((n, code)) => {
                *n += 1;
                *code = l.status.code();
            }
            None => *t.by_status.entry(l.status.code()).or_default() += 1,
        }
        t.milestones_planned += f.milestones_planned;
        t.milestones_achieved += f.milestones_achieved;
        t.milestones_due += f.milestones_due;
        t.milestones_overdue += f.milestones_overdue;
        t.awarded = t.awarded.checked_add(f.awarded)?;
        t.disbursed = t.disbursed.checked_add(f.disbursed)?;
        t.recovered = t.recovered.checked_add(f.recovered)?;
        t.net_disbursed = t.net_disbursed.checked_add(f.net_disbursed)?;
        t.planned_capacity_per_year = t
            .planned_capacity_per_year
            .checked_add(f.planned_capacity_per_year)?;
        t.commissioned_per_year = t
            .commissioned_per_year
            .checked_add(f.commissioned_per_year)?;
        Ok(())
    }

    fn finish(self) -> Totals {
        let mut totals = self.totals;
        for (n, code) in self.statuses {
            if n > 0 {
                *totals.by_status.entry(code).or_default() += n;
            }
        }
        totals
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
    /// Its projects' lines (each as [`ProjectLine`] serialises), by name.
    pub projects: Vec<&'a RenderedLine>,
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

/// The numbers of a project's line, kept with its rendered text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LineFigures {
    milestones_planned: u32,
    milestones_achieved: u32,
    milestones_due: u32,
    milestones_overdue: u32,
    awarded: Fen,
    disbursed: Fen,
    recovered: Fen,
    net_disbursed: Fen,
    planned_capacity_per_year: Kg,
    commissioned_per_year: Kg,
}

/// A project's line rendered once per project state and day: its figures, its JSON object and
/// its CSV record, so a report over 20,000 projects mostly concatenates text already written.
/// It keeps the project state it was rendered from (which names it: see [`LineCache`]).
#[derive(Debug)]
pub struct RenderedLine {
    project: Arc<Project>,
    on: NaiveDate,
    id: Uuid,
    task: PlanTask,
    status: ProjectStatus,
    region: Region,
    /// The units the project names, one bit each in [`ResponsibleUnit::ALL`] order.
    named: u64,
    figures: LineFigures,
    json: Box<RawValue>,
    csv: String,
}

impl RenderedLine {
    /// Renders `project`'s line as judged on `on` (`None`: not a proposed project — no line).
    pub fn render(project: &Arc<Project>, on: NaiveDate) -> Result<Option<Self>, ReportError> {
        let Some(line) = project_line(project, on)? else {
            return Ok(None);
        };
        let json = serde_json::value::to_raw_value(&line).map_err(ReportError::Render)?;
        let mut csv = Csv::fragment(TASKS_CSV_HEADER.len(), 512);
        project_record(&mut csv, &line);
        let rendered = RenderedLine {
            project: Arc::clone(project),
            on,
            id: line.id,
            task: line.task,
            status: line.status,
            region: line.region,
            named: named_units(&line),
            figures: LineFigures {
                milestones_planned: line.milestones_planned,
                milestones_achieved: line.milestones_achieved,
                milestones_due: line.milestones_due,
                milestones_overdue: line.milestones_overdue,
                awarded: line.awarded,
                disbursed: line.disbursed,
                recovered: line.recovered,
                net_disbursed: line.net_disbursed,
                planned_capacity_per_year: line.planned_capacity_per_year,
                commissioned_per_year: line.commissioned_per_year,
            },
            json,
            csv: csv.into_string(),
        };
        Ok(Some(rendered))
    }

    /// The project state the line was rendered from.
    pub fn project(&self) -> &Arc<Project> {
        &self.project
    }

    /// The day the line's milestones were judged on.
    pub fn on(&self) -> NaiveDate {
        self.on
    }

    /// The project's id.
    pub fn id(&self) -> Uuid {
        self.id
    }

    /// The project's name (the lines' order).
    pub fn name(&self) -> &str {
        self.project.proposal().map_or("", |p| p.name.as_str())
    }

    /// The line's JSON object, as [`ProjectLine`] serialises.
    pub fn json(&self) -> &str {
        self.json.get()
    }

    /// The line's CSV record (CRLF-terminated), as [`tasks_csv`] writes it.
    pub fn csv_record(&self) -> &str {
        &self.csv
    }

    /// The line, rebuilt from the project state and the figures kept.
    pub fn line(&self) -> Option<ProjectLine<'_>> {
        let proposal = self.project.proposal()?;
        let f = self.figures;
        Some(ProjectLine {
            id: self.id,
            name: &proposal.name,
            kind: proposal.kind.code(),
            task: self.task,
            status: self.status,
            region: self.region,
            responsible_units: &proposal.responsible_units,
            milestones_planned: f.milestones_planned,
            milestones_achieved: f.milestones_achieved,
            milestones_due: f.milestones_due,
            milestones_overdue: f.milestones_overdue,
            awarded: f.awarded,
            disbursed: f.disbursed,
            recovered: f.recovered,
            net_disbursed: f.net_disbursed,
            planned_capacity_per_year: f.planned_capacity_per_year,
            commissioned_per_year: f.commissioned_per_year,
            typical_case: self.project.typical_case().is_some_and(|c| c.is_standing()),
        })
    }
}

/// Lines are equal when they render the same text (JSON and CSV) on the same day.
impl PartialEq for RenderedLine {
    fn eq(&self, other: &Self) -> bool {
        self.on == other.on && self.json.get() == other.json.get() && self.csv == other.csv
    }
}

impl Eq for RenderedLine {}

/// Serialises as the [`ProjectLine`] it was rendered from (the JSON text kept, spliced in: with
/// `serde_json` the bytes are those a fresh serialisation writes).
impl Serialize for RenderedLine {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(serializer)
    }
}

/// The lines of `projects` judged on `on`, rendered afresh and ordered by (name, id) — what
/// [`LineCache::lines`] answers, without keeping anything.
pub fn render_lines(
    projects: &[Arc<Project>],
    on: NaiveDate,
) -> Result<Vec<Arc<RenderedLine>>, ReportError> {
    let mut lines = Vec::with_capacity(projects.len());
    for p in projects {
        if let Some(line) = RenderedLine::render(p, on)? {
            lines.push(Arc::new(line));
        }
    }
    sort_lines(&mut lines);
    Ok(lines)
}

/// By (name, id): unique, so an unstable sort orders as a stable one would.
fn sort_lines(lines: &mut [Arc<RenderedLine>]) {
    lines.sort_unstable_by(|a, b| (a.name(), a.id).cmp(&(b.name(), b.id)));
}

/// Days whose lines are kept at most.
const MAX_DAYS: usize = 2;
/// Ordered lists kept at most (the least recently asked forgotten first).
const MAX_LISTS: usize = 4;
/// Lines kept at most per day (beyond, only those of the list just asked are kept).
const MAX_LINES: usize = 100_000;

/// Project lines kept between reports: each rendered once per project state and day (a decoded
/// project, as [`crate::load::projects`] hands out, is the same `Arc` while its read-model row
/// does not change: a line is found by that `Arc`, which it holds, so the address cannot be
/// reused while the line is kept), and each list of states ordered once.
#[derive(Debug, Default)]
pub struct LineCache {
    inner: std::sync::Mutex<CacheInner>,
}

#[derive(Debug, Default)]
struct CacheInner {
    /// Per day, the lines by the address of the project state they were rendered from.
    days: Vec<(NaiveDate, rustc_hash::FxHashMap<usize, Arc<RenderedLine>>)>,
    /// Ordered lists: the day, the project states given (in the order given) and the lines.
    lists: Vec<KeptList>,
}

#[derive(Debug)]
struct KeptList {
    on: NaiveDate,
    from: Vec<Arc<Project>>,
    lines: Arc<[Arc<RenderedLine>]>,
}

impl LineCache {
    /// The lines of `projects` judged on `on`, ordered by (name, id): the same as
    /// [`render_lines`], rendering only the project states not seen before on that day and
    /// ordering only a list of states not seen before.
    pub fn lines(
        &self,
        projects: &[Arc<Project>],
        on: NaiveDate,
    ) -> Result<Arc<[Arc<RenderedLine>]>, ReportError> {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let same = |kept: &KeptList| {
            kept.on == on
                && kept.from.len() == projects.len()
                && kept
                    .from
                    .iter()
                    .zip(projects)
                    .all(|(a, b)| Arc::ptr_eq(a, b))
        };
        if let Some(at) = inner.lists.iter().position(same) {
            let kept = inner.lists.remove(at);
            let lines = Arc::clone(&kept.lines);
            inner.lists.push(kept);
            return Ok(lines);
        }
        // This day's lines (taken out, put back last: the most recent day is kept longest).
        let mut kept = match inner.days.iter().position(|(d, _)| *d == on) {
            Some(at) => inner.days.remove(at).1,
            None => {
                if inner.days.len() >= MAX_DAYS {
                    let (gone, _) = inner.days.remove(0);
                    inner.lists.retain(|list| list.on != gone);
                }
                rustc_hash::FxHashMap::default()
            }
        };
        let mut lines = Vec::with_capacity(projects.len());
        for p in projects {
            let address = Arc::as_ptr(p) as usize;
            match kept.get(&address) {
                Some(line) if Arc::ptr_eq(&line.project, p) => lines.push(Arc::clone(line)),
                _ => {
                    if let Some(line) = RenderedLine::render(p, on)? {
                        let line = Arc::new(line);
                        kept.insert(address, Arc::clone(&line));
                        lines.push(line);
                    }
                }
            }
        }
        if kept.len() > MAX_LINES {
            kept.clear();
            kept.extend(
                lines
                    .iter()
                    .map(|l| (Arc::as_ptr(&l.project) as usize, Arc::clone(l))),
            );
        }
        inner.days.push((on, kept));
        sort_lines(&mut lines);
        let lines: Arc<[Arc<RenderedLine>]> = lines.into();
        if inner.lists.len() >= MAX_LISTS {
            inner.lists.remove(0);
        }
        inner.lists.push(KeptList {
            on,
            from: projects.to_vec(),
            lines: Arc::clone(&lines),
        });
        Ok(lines)
    }
}

/// Computes the tasks report from the project lines (ordered by (name, id): [`LineCache::lines`]
/// or [`render_lines`] of the projects in force, judged on `params.on`), regional plans and
/// ledger rows in force at one moment.
pub fn tasks_report<'a>(
    params: &TasksParams,
    lines: &'a [Arc<RenderedLine>],
    plans: &[PlanRow],
    ledgers: &[LedgerRow],
) -> Result<TasksReport<'a>, ReportError> {
    let within = |region: Option<Region>| match (params.region, region) {
        (None, _) => true,
        (Some(scope), Some(r)) => scope.contains(r),
        (Some(_), None) => false,
    };
    let unit_mask = params.unit.map(unit_bit);
    let lines: Vec<&'a RenderedLine> = lines
        .iter()
        .map(|l| &**l)
        .filter(|l| within(Some(l.region)) && unit_mask.is_none_or(|bit| l.named & bit != 0))
        .collect();

    let mut units = Vec::new();
    for (bit, &unit) in ResponsibleUnit::ALL.iter().enumerate() {
        if params.unit.is_some_and(|u| u != unit) {
            continue;
        }
        let mut totals = TotalsAcc::default();
        let mut project_ids = Vec::new();
        for l in lines
            .iter()
            .filter(|l| l.named & (1u64 << bit) != 0 && params.task.is_none_or(|t| t == l.task))
        {
            totals.add(l)?;
            project_ids.push(l.id);
        }
        units.push(UnitLine {
            unit: unit.into(),
            tasks: tasks_of(unit),
            totals: totals.finish(),
            project_ids,
        });
    }
    // Each line moves (not copied) to its task, keeping the order by name.
    let mut by_task: Vec<Vec<&'a RenderedLine>> =
        PlanTask::ALL.iter().map(|_| Vec::new()).collect();
    for line in lines {
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
        let mut totals = TotalsAcc::default();
        for l in &projects {
            totals.add(l)?;
        }
        let totals = totals.finish();
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
                let Some(stated) = l.project.proposal().and_then(|x| x.matching_capacity) else {
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

/// The columns of [`tasks_csv`].
const TASKS_CSV_HEADER: &[&str] = &[
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

/// A project's record (`kind = project`) under its task.
fn project_record(csv: &mut Csv, l: &ProjectLine<'_>) {
    let task = PlanItem::Task(l.task);
    csv.field("project")
        .field(l.task.code())
        .field(task.name_zh())
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

/// The report as CSV: one record per project under each task (`kind = project`), one per task
/// (`kind = task`, its totals) and one per responsible unit (`kind = unit`, its totals). The
/// projects' records are those their lines kept ([`RenderedLine::csv_record`]).
pub fn tasks_csv(report: &TasksReport<'_>) -> Csv {
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
    let bytes: usize = report
        .tasks
        .iter()
        .flat_map(|t| &t.projects)
        .map(|l| l.csv.len())
        .sum();
    let mut csv = Csv::new(TASKS_CSV_HEADER, bytes + (report.units.len() + 8) * 256);
    for task in &report.tasks {
        csv.field("task")
            .field(task.task.code())
            .field(task.name_zh)
            .empty(7);
        totals(&mut csv, &task.totals);
        for l in &task.projects {
            csv.append_records(&l.csv);
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
        let on = d(2025, 9, 1);
        let lines = render_lines(&projects, on).expect("lines");
        let params = TasksParams {
            task: None,
            unit: None,
            region: None,
            year: None,
            on: d(2025, 9, 1),
        };
        let r = tasks_report(&params, &lines, &[], &[]).expect("report");
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
        let r = tasks_report(&only, &lines, &[], &[]).expect("report");
        assert_eq!(r.units.len(), 1);
        assert_eq!(r.tasks[0].totals.projects, 0);
        assert_eq!(r.tasks[3].totals.projects, 1);
        let (header, records) = tasks_csv(&r).records();
        assert!(records.iter().all(|rec| rec.len() == header.len()));
    }

    #[test]
    fn kept_lines_answer_as_a_fresh_render_after_a_project_changes() {
        let on = d(2025, 9, 1);
        let params = TasksParams {
            task: None,
            unit: None,
            region: None,
            year: None,
            on,
        };
        let mut projects: Vec<Arc<Project>> = [
            project(
                1,
                PlanTask::SourceReduction,
                &["省工业和信息化厅"],
                &[d(2025, 8, 1)],
            ),
            project(2, PlanTask::SourceReduction, &["省科技厅"], &[]),
            project(
                3,
                PlanTask::TechnologyInnovation,
                &["省科技厅"],
                &[d(2025, 9, 9)],
            ),
        ]
        .map(Arc::new)
        .to_vec();
        let cache = LineCache::default();
        let render = |lines: &[Arc<RenderedLine>]| {
            let r = tasks_report(&params, lines, &[], &[]).expect("report");
            (
                serde_json::to_string(&r).expect("json"),
                tasks_csv(&r).into_string(),
            )
        };
        let first = cache.lines(&projects, on).expect("lines");
        assert_eq!(
            render(&first),
            render(&render_lines(&projects, on).expect("fresh"))
        );
        // The same states: the same list, not rendered again.
        let again = cache.lines(&projects, on).expect("lines");
        assert!(Arc::ptr_eq(&first, &again));
        // Project 2 plans two more milestones (one overdue): a new state of it.
        let mut changed = project(
            2,
            PlanTask::SourceReduction,
            &["省科技厅"],
            &[d(2025, 9, 20)],
        );
        let events = changed
            .decide(&ProjectCommand::PlanMilestone {
                milestone_id: Uuid::from_u128(299),
                name: "节点".into(),
                planned_on: d(2025, 8, 20),
            })
            .expect("planned");
        for e in &events {
            changed.apply(e);
        }
        projects[1] = Arc::new(changed);
        let after = cache.lines(&projects, on).expect("lines");
        assert!(!Arc::ptr_eq(&first, &after));
        // Unchanged projects keep their lines.
        assert!(after.iter().any(|l| Arc::ptr_eq(l, &first[0])));
        let fresh = render_lines(&projects, on).expect("fresh");
        assert_eq!(render(&after), render(&fresh));
        let (json, _) = render(&after);
        assert!(json.contains("\"milestones_overdue\":1"));
        // Each kept line's text is its line serialised afresh.
        for l in after.iter() {
            let line = l.line().expect("line");
            assert_eq!(l.json(), serde_json::to_string(&line).expect("json"));
            let mut csv = Csv::fragment(TASKS_CSV_HEADER.len(), 0);
            project_record(&mut csv, &line);
            assert_eq!(l.csv_record(), csv.as_str());
        }
        // Another day renders again.
        let later = cache.lines(&projects, d(2025, 10, 1)).expect("lines");
        assert!(!Arc::ptr_eq(&later[0], &after[0]));
    }
}
