//! Report 2 — annual targets against actuals (年度目标任务完成情况), and the province against the
//! goal line.
//!
//! For each regional plan (region, year) in force at the moment asked:
//!
//! ```text
//! actual_utilized   = Σ utilized (from new + from stock) of the ledger periods recorded within
//!                     the year by enterprises in the region
//! gap               = target red mud to utilize − actual_utilized   (negative: ahead of target)
//! elapsed_months    = months of the year that have ended on the `on` date (0–12)
//! expected_to_date  = ⌊target × elapsed_months ÷ 12⌋                 (pro rata)
//! on_pace           = actual_utilized ≥ expected_to_date
//! actual_new_rate   = Σ utilized_from_new ÷ Σ generated over the same ledgers
//! rate_met          = actual_new_rate ≥ target rate (None when nothing was generated)
//! actual_capacity   = Σ commissioned capacity (t/yr) of the region's projects first
//!                     commissioned within the year        (as a regional report freezes it)
//! capacity_met      = actual_capacity ≥ target new capacity
//! actual_demos      = the region's industrialization-demonstration projects accepted within
//!                     the year                             (as a regional report freezes it)
//! demos_met         = actual_demos ≥ target demonstration projects
//! ```
//!
//! For the province, per year with ledgers (and every goal-line milestone year): the province's
//! new rate against the goal line ([`GoalLine::default`]: 15 % by 2027, 25 % by 2030) — the
//! milestone the year works toward and the rate already required in it.

use std::sync::Arc;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use redmud_domain::rules::new_utilization_rate;
use redmud_domain::{BasisPoints, GoalLine, Kg, LedgerFigures, Period, Project, Region};
use serde::Serialize;

use crate::ReportError;
use crate::balance::{LedgerRow, Rate};
use crate::csv::Csv;
use crate::regional::FigureSources;

/// A regional plan's targets in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    /// The region.
    pub region: Region,
    /// The year.
    pub year: u16,
    /// Red mud to utilize in the year.
    pub red_mud_to_utilize: Kg,
    /// New utilization rate to reach.
    pub new_utilization_rate: BasisPoints,
    /// New utilization capacity to commission in the year, kg/yr.
    pub new_capacity_per_year: Kg,
    /// Demonstration projects to complete in the year.
    pub demonstration_projects: u32,
    /// Targets revision in force (1: as set).
    pub revision: u32,
    /// The plan task the targets serve.
    pub task: redmud_domain::PlanTask,
}

/// What a targets report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetsParams {
    /// Only this year (`None`: every year with a plan).
    pub year: Option<u16>,
    /// Only plans of regions within this region (`None`: all).
    pub region: Option<Region>,
    /// The day "to date" refers to (months ended before it count as elapsed).
    pub on: NaiveDate,
}

/// One plan's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetLine {
    /// Region code.
    pub region: String,
    /// Region name.
    pub region_name: String,
    /// Year.
    pub year: u16,
    /// Targets revision in force.
    pub targets_revision: u32,
    /// Red mud to utilize in the year (target).
    pub target_utilized: Kg,
    /// Red mud utilized to date (from new and from stock).
    pub actual_utilized: Kg,
    /// target − actual, kg (negative: ahead).
    pub gap: i64,
    /// Months of the year ended on `on`.
    pub elapsed_months: u32,
    /// The pro-rata target to date.
    pub expected_to_date: Kg,
    /// actual ≥ expected to date.
    pub on_pace: bool,
    /// Target new utilization rate, basis points.
    pub target_rate_bp: BasisPoints,
    /// The new utilization rate achieved (`null`: nothing generated).
    pub actual_new_rate: Option<Rate>,
    /// Whether the achieved rate meets the target (`null`: nothing generated).
    pub rate_met: Option<bool>,
    /// Ledger periods counted.
    pub entries: u32,
    /// New utilization capacity to commission in the year (target), kg/yr.
    pub target_capacity_per_year: Kg,
    /// Capacity first commissioned in the year by the region's projects, kg/yr.
    pub actual_capacity_per_year: Kg,
    /// actual capacity ≥ target.
    pub capacity_met: bool,
    /// Demonstration projects to complete in the year (target).
    pub target_demonstration_projects: u32,
    /// The region's demonstration projects accepted in the year.
    pub actual_demonstration_projects: u32,
    /// actual demonstration projects ≥ target.
    pub demonstrations_met: bool,
}

/// The province against the goal line in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalLineYear {
    /// Year.
    pub year: u16,
    /// Generated in the year (province).
    pub generated: Kg,
    /// Utilized from new in the year (province).
    pub utilized_from_new: Kg,
    /// The province's new utilization rate (`null`: nothing generated).
    pub new_rate: Option<Rate>,
    /// The milestone the year works toward (year, basis points).
    pub working_toward: Option<(u16, BasisPoints)>,
    /// The rate already required in the year (the latest milestone at or before it).
    pub required_bp: Option<BasisPoints>,
    /// Whether the new rate meets the required rate (`null`: none required or nothing generated).
    pub meets_required: Option<bool>,
    /// Whether the new rate already meets the milestone worked toward.
    pub meets_milestone: Option<bool>,
}

/// The targets report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetsReport {
    /// The day "to date" refers to.
    pub on: NaiveDate,
    /// Per plan, by year then region code.
    pub lines: Vec<TargetLine>,
    /// The province per year against the goal line.
    pub province: Vec<GoalLineYear>,
}

/// Months of `year` ended before `on` (0–12).
pub fn elapsed_months(year: u16, on: NaiveDate) -> u32 {
    let y = i32::from(year);
    if on.year() < y {
        0
    } else if on.year() > y {
        12
    } else {
        // Months before on's month are over; on's month ends on its last day (not yet over).
        on.month() - 1
    }
}

fn to_i64(kg: Kg) -> i64 {
    i64::try_from(kg.kg()).unwrap_or(i64::MAX)
}

/// Computes the targets report from the plans, the ledger rows and the projects in force at one
/// moment.
pub fn targets_report(
    params: &TargetsParams,
    plans: &[PlanRow],
    ledgers: &[LedgerRow],
    projects: &[Arc<Project>],
) -> Result<TargetsReport, ReportError> {
    let sources = FigureSources::new(&[], projects);
    let mut lines = Vec::new();
    for plan in plans {
        if params.year.is_some_and(|y| y != plan.year)
            || params
                .region
                .is_some_and(|scope| !scope.contains(plan.region))
        {
            continue;
        }
        let mut sum = LedgerFigures::default();
        let mut entries = 0;
        for r in ledgers.iter().filter(|r| {
            r.period.calendar_year() == plan.year
                && r.region.is_some_and(|g| plan.region.contains(g))
        }) {
            sum = sum.checked_add(&r.figures)?;
            entries += 1;
        }
        let actual = sum.utilized_total()?;
        let elapsed = elapsed_months(plan.year, params.on);
        let target = plan.red_mud_to_utilize.kg();
        let expected = u128::from(target) * u128::from(elapsed) / 12;
        let expected = Kg::new(u64::try_from(expected).unwrap_or(u64::MAX))?;
        let rate = new_utilization_rate(&sum)?;
        let year = Period::year(i64::from(plan.year))?;
        let delivered = sources.figures(plan.region, year)?;
        lines.push(TargetLine {
            region: plan.region.to_string(),
            region_name: plan.region.name_zh(),
            year: plan.year,
            targets_revision: plan.revision,
            target_utilized: plan.red_mud_to_utilize,
            actual_utilized: actual,
            gap: to_i64(plan.red_mud_to_utilize).saturating_sub(to_i64(actual)),
            elapsed_months: elapsed,
            expected_to_date: expected,
            on_pace: actual >= expected,
            target_rate_bp: plan.new_utilization_rate,
            actual_new_rate: rate.map(Rate::from),
            rate_met: rate.map(|r| r.meets(plan.new_utilization_rate)),
            entries,
            target_capacity_per_year: plan.new_capacity_per_year,
            actual_capacity_per_year: delivered.capacity_commissioned_per_year,
            capacity_met: delivered.capacity_commissioned_per_year >= plan.new_capacity_per_year,
            target_demonstration_projects: plan.demonstration_projects,
            actual_demonstration_projects: delivered.demonstration_projects_completed,
            demonstrations_met: delivered.demonstration_projects_completed
                >= plan.demonstration_projects,
        });
    }
    lines.sort_by(|a, b| (a.year, &a.region).cmp(&(b.year, &b.region)));

    let goal = GoalLine::default();
    let mut years: BTreeMap<u16, LedgerFigures> = BTreeMap::new();
    for m in goal.milestones() {
        years.entry(m.year).or_default();
    }
    for r in ledgers {
        let sum = years.entry(r.period.calendar_year()).or_default();
        *sum = sum.checked_add(&r.figures)?;
    }
    let mut province = Vec::new();
    for (year, sum) in years {
        if params.year.is_some_and(|y| y != year) {
            continue;
        }
        let rate = new_utilization_rate(&sum)?;
        let required = goal.required_in(year);
        let toward = goal.working_toward(year);
        province.push(GoalLineYear {
            year,
            generated: sum.generated,
            utilized_from_new: sum.utilized_from_new_total()?,
            new_rate: rate.map(Rate::from),
            working_toward: toward.map(|m| (m.year, m.rate)),
            required_bp: required,
            meets_required: rate.zip(required).map(|(r, q)| r.meets(q)),
            meets_milestone: rate.zip(toward).map(|(r, m)| r.meets(m.rate)),
        });
    }
    Ok(TargetsReport {
        on: params.on,
        lines,
        province,
    })
}

/// The CSV header and records of the targets lines (the province goal-line rows follow with
/// region `520000` and the goal columns filled).
pub fn targets_csv(report: &TargetsReport) -> Csv {
    let header: Vec<String> = [
        "kind",
        "region",
        "region_name",
        "year",
        "targets_revision",
        "target_utilized_kg",
        "actual_utilized_kg",
        "gap_kg",
        "elapsed_months",
        "expected_to_date_kg",
        "on_pace",
        "target_rate_percent",
        "actual_new_rate_percent",
        "rate_met",
        "goal_year",
        "goal_rate_percent",
        "required_rate_percent",
        "generated_kg",
        "utilized_from_new_kg",
        "target_capacity_kg_per_year",
        "actual_capacity_kg_per_year",
        "capacity_met",
        "target_demonstration_projects",
        "actual_demonstration_projects",
        "demonstrations_met",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let pct = |r: &Option<Rate>| {
        r.as_ref()
            .map(|r| r.percent.trim_end_matches('%').to_owned())
            .unwrap_or_default()
    };
    let bp = |b: BasisPoints| format!("{}.{:02}", b.get() / 100, b.get() % 100);
    let opt = |b: Option<bool>| b.map(|b| b.to_string()).unwrap_or_default();
    let mut records: Vec<Vec<String>> = report
        .lines
        .iter()
        .map(|l| {
            vec![
                "plan".to_owned(),
                l.region.clone(),
                l.region_name.clone(),
                l.year.to_string(),
                l.targets_revision.to_string(),
                l.target_utilized.kg().to_string(),
                l.actual_utilized.kg().to_string(),
                l.gap.to_string(),
                l.elapsed_months.to_string(),
                l.expected_to_date.kg().to_string(),
                l.on_pace.to_string(),
                bp(l.target_rate_bp),
                pct(&l.actual_new_rate),
                opt(l.rate_met),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                l.target_capacity_per_year.kg().to_string(),
                l.actual_capacity_per_year.kg().to_string(),
                l.capacity_met.to_string(),
                l.target_demonstration_projects.to_string(),
                l.actual_demonstration_projects.to_string(),
                l.demonstrations_met.to_string(),
            ]
        })
        .collect();
    records.extend(report.province.iter().map(|g| {
        vec![
            "province_goal".to_owned(),
            Region::Province.to_string(),
            Region::Province.name_zh(),
            g.year.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            pct(&g.new_rate),
            opt(g.meets_required),
            g.working_toward
                .map(|(y, _)| y.to_string())
                .unwrap_or_default(),
            g.working_toward.map(|(_, r)| bp(r)).unwrap_or_default(),
            g.required_bp.map(bp).unwrap_or_default(),
            g.generated.kg().to_string(),
            g.utilized_from_new.kg().to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]
    }));
    Csv::table(&header, &records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use redmud_domain::{Period, RouteAmounts, UtilizationRoute};
    use uuid::Uuid;

    fn t(tonnes: u64) -> Kg {
        Kg::from_tonnes(tonnes).expect("in range")
    }

    fn row(code: u32, period: &str, generated: u64, used: u64) -> LedgerRow {
        LedgerRow {
            enterprise_id: Uuid::from_u128(u128::from(code)),
            enterprise: "e".into(),
            region: Some(Region::from_code(code).expect("region")),
            period: period.parse::<Period>().expect("period"),
            figures: LedgerFigures {
                generated: t(generated),
                utilized_from_new: RouteAmounts::new().with(UtilizationRoute::Cement, t(used)),
                disposed_from_new: Kg::ZERO,
                stored_new: t(generated - used),
                utilized_from_stock: RouteAmounts::new(),
                disposed_from_stock: Kg::ZERO,
            },
            revision: 1,
        }
    }

    #[test]
    fn elapsed() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(elapsed_months(2026, d(2025, 12, 31)), 0);
        assert_eq!(elapsed_months(2026, d(2026, 1, 31)), 0);
        assert_eq!(elapsed_months(2026, d(2026, 7, 1)), 6);
        assert_eq!(elapsed_months(2026, d(2027, 1, 1)), 12);
    }

    #[test]
    fn plans_against_ledgers_and_goal_line() {
        let plans = vec![PlanRow {
            region: Region::from_code(520_100).expect("region"),
            year: 2026,
            red_mud_to_utilize: t(1_200),
            new_utilization_rate: BasisPoints::saturating(1_500),
            new_capacity_per_year: t(50_000),
            demonstration_projects: 0,
            revision: 1,
            task: redmud_domain::PlanTask::UtilizationScale,
        }];
        let ledgers = vec![
            row(520_181, "2026-Q1", 1_000, 200),
            row(520_100, "2026-Q2", 1_000, 100),
            row(520_300, "2026-Q1", 1_000, 0),
        ];
        let on = NaiveDate::from_ymd_opt(2026, 7, 15).expect("date");
        let r = targets_report(
            &TargetsParams {
                year: None,
                region: None,
                on,
            },
            &plans,
            &ledgers,
            &[],
        )
        .expect("report");
        let l = &r.lines[0];
        assert_eq!(l.actual_utilized, t(300));
        assert_eq!(l.gap, 900_000);
        assert_eq!(l.expected_to_date, t(600));
        assert!(!l.on_pace);
        assert_eq!(l.rate_met, Some(true));
        // No project commissioned anything: the capacity target is missed, a target of zero
        // demonstration projects is met.
        assert_eq!(l.actual_capacity_per_year, Kg::ZERO);
        assert!(!l.capacity_met);
        assert!(l.demonstrations_met);
        let y2026 = r.province.iter().find(|g| g.year == 2026).expect("2026");
        assert_eq!(y2026.generated, t(3_000));
        assert_eq!(
            y2026.working_toward,
            Some((2027, BasisPoints::saturating(1_500)))
        );
        assert_eq!(y2026.required_bp, None);
        assert_eq!(y2026.meets_milestone, Some(false));
        assert!(
            r.province
                .iter()
                .any(|g| g.year == 2030 && g.new_rate.is_none())
        );
        let (header, records) = targets_csv(&r).records();
        assert!(records.iter().all(|rec| rec.len() == header.len()));
    }
}
