//! Report 8 — regional reports (定期报送), frozen against today: each submitted report's figures
//! as frozen at submission side by side with the figures the same region and period have at
//! the moment asked, their differences, and the ledger events recorded since the submission
//! that changed them (by whom).
//!
//! ```text
//! today's figures (as the server freezes them on submission, [`report_figures`]):
//!   ledger                  = Σ over the region's enterprises of their ledger periods within
//!                             the report period
//!   capacity_commissioned   = Σ capacity of the region's projects first commissioned in it
//!   demonstration_projects  = industrialization demonstration projects accepted in it
//!   enterprises_reporting   = enterprises with a ledger period within it
//! difference = today − frozen, per figure (kg, or a count)
//! changes    = the LedgerRecorded / LedgerCorrected events of the region's enterprises for
//!              periods within the report period, recorded after the submission's position
//!              (and not after the moment asked): position, time, actor, role, reason
//! ```
//!
//! The latest submission of each (plan, period) is reported; with `submissions=all`
//! ([`RegionalParams::all_submissions`]) also every earlier one — each of those was returned
//! (a report is submitted again only after a return), shown with status `returned`, its own
//! frozen figures and the ledger events since it.

use std::sync::Arc;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use redmud_domain::regional_plan::ReportFigures;
use redmud_domain::{
    Enterprise, Kg, LedgerFigures, Period, Project, ProjectKind, Region, RegionalPlan, ReportStatus,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ReportError;
use crate::csv::Csv;
use crate::table::Section;

/// A submission (model `regional_report`), with the position it was recorded at.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SubmissionRow {
    /// The regional plan.
    pub plan_id: Uuid,
    /// Its region.
    pub region: Region,
    /// Its year.
    pub year: u16,
    /// The report period.
    pub period: Period,
    /// The submission number (1: first; a returned report is submitted again).
    pub submission: u32,
    /// The date submitted.
    pub submitted_on: NaiveDate,
    /// The figures frozen at submission.
    pub figures: ReportFigures,
    /// The log position of the submission.
    #[serde(default)]
    pub position: u64,
}

/// A ledger event recorded after a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerChange {
    /// The enterprise.
    pub enterprise_id: Uuid,
    /// Its name.
    pub enterprise: String,
    /// The ledger period.
    pub period: String,
    /// `LedgerRecorded` or `LedgerCorrected`.
    pub event_type: String,
    /// The log position.
    pub position: u64,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Who recorded it.
    pub actor_id: String,
    /// Their role.
    pub actor_role: String,
    /// Their organisation.
    pub organisation: String,
    /// The reason given (corrections).
    pub reason: Option<String>,
}

/// A ledger row that changed after a submission: whose events to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChangedRow {
    /// The enterprise.
    pub enterprise_id: Uuid,
    /// The ledger period.
    pub period: Period,
    /// The row's stream version (the latest event that wrote it).
    pub version: u64,
    /// Events after this position count.
    pub after: u64,
}

/// One figure frozen and today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigureDiff {
    /// The figure (`generated`, `utilized`, …).
    pub figure: &'static str,
    /// As frozen.
    pub frozen: u64,
    /// Today (as of the moment asked).
    pub today: u64,
    /// today − frozen.
    pub difference: i64,
}

/// One submitted report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionalLine {
    /// The plan.
    pub plan_id: Uuid,
    /// Its region code.
    pub region: String,
    /// Its region name.
    pub region_name: String,
    /// The plan year.
    pub year: u16,
    /// The report period.
    pub period: String,
    /// The submission number (1: first).
    pub submission: u32,
    /// The report's status.
    pub status: ReportStatus,
    /// Submitted on.
    pub submitted_on: NaiveDate,
    /// The position the figures were frozen at.
    pub submitted_at: u64,
    /// The frozen figures.
    pub frozen: ReportFigures,
    /// The figures today.
    pub today: ReportFigures,
    /// Figure by figure.
    pub differences: Vec<FigureDiff>,
    /// Whether any figure differs.
    pub changed: bool,
    /// Ledger events since the submission, in log order.
    pub changes: Vec<LedgerChange>,
}

/// What a regional report covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegionalParams {
    /// Only plans of regions within this region.
    pub region: Option<Region>,
    /// Only plans of this year.
    pub year: Option<u16>,
    /// Only this report period.
    pub period: Option<Period>,
    /// Every submission, not only the latest of each period.
    pub all_submissions: bool,
}

/// The regional reports report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionalReport {
    /// One line per submitted report, by year, region, period.
    pub lines: Vec<RegionalLine>,
}

/// A region's figures for a period from the enterprise and project states (what a submission
/// freezes when its figures are not given).
pub fn report_figures(
    region: Region,
    period: Period,
    enterprises: &[Arc<Enterprise>],
    projects: &[Arc<Project>],
) -> Result<ReportFigures, ReportError> {
    FigureSources::new(enterprises, projects).figures(region, period)
}

/// What [`report_figures`] reads, prepared once for many (region, period) pairs: the
/// enterprises with a ledger, and the projects' commissioning and acceptance dates in date
/// order — so each pair visits only the enterprises that report and the projects dated within
/// its period, not every enterprise and project of the province.
#[derive(Debug, Clone, Default)]
pub struct FigureSources<'a> {
    /// Enterprises with at least one ledger period, with their region.
    reporting: Vec<(Region, &'a Enterprise)>,
    /// (first commissioned on, region, capacity commissioned per year), by date.
    commissioned: Vec<(NaiveDate, Region, Kg)>,
    /// (accepted on, region) of industrialization demonstration projects, by date.
    demonstrations: Vec<(NaiveDate, Region)>,
}

impl<'a> FigureSources<'a> {
    /// Prepares the sources from the enterprise and project states.
    pub fn new(enterprises: &'a [Arc<Enterprise>], projects: &'a [Arc<Project>]) -> Self {
        let reporting = enterprises
            .iter()
            .filter(|e| !e.ledger().is_empty())
            .filter_map(|e| Some((e.region()?, &**e)))
            .collect();
        let mut commissioned = Vec::new();
        let mut demonstrations = Vec::new();
        for p in projects {
            let Some(proposal) = p.proposal() else {
                continue;
            };
            if let Some(on) = p.first_commissioned_on() {
                commissioned.push((on, proposal.region, p.commissioned_per_year()));
            }
            if proposal.kind == ProjectKind::IndustrializationDemonstration
                && let Some(on) = p.accepted_on()
            {
                demonstrations.push((on, proposal.region));
            }
        }
        commissioned.sort_by_key(|(on, _, _)| *on);
        demonstrations.sort_by_key(|(on, _)| *on);
        Self {
            reporting,
            commissioned,
            demonstrations,
        }
    }

    /// A region's figures for a period (see [`report_figures`]).
    pub fn figures(&self, region: Region, period: Period) -> Result<ReportFigures, ReportError> {
        let mut ledger = LedgerFigures::default();
        let mut reporting = 0u32;
        for (_, e) in self.reporting.iter().filter(|(r, _)| region.contains(*r)) {
            if e.ledger_entries_within(period).next().is_some() {
                reporting += 1;
                ledger = ledger.checked_add(&e.ledger_within(period)?)?;
            }
        }
        let within = |on: NaiveDate| period.contains_date(on);
        let from = self
            .commissioned
            .partition_point(|(on, _, _)| *on < period.start());
        let mut capacity = Kg::ZERO;
        for (_, _, kg) in self.commissioned[from..]
            .iter()
            .take_while(|(on, _, _)| within(*on))
            .filter(|(_, r, _)| region.contains(*r))
        {
            capacity = capacity.checked_add(*kg)?;
        }
        let from = self
            .demonstrations
            .partition_point(|(on, _)| *on < period.start());
        let demonstrations = self.demonstrations[from..]
            .iter()
            .take_while(|(on, _)| within(*on))
            .filter(|(_, r)| region.contains(*r))
            .count();
        Ok(ReportFigures {
            ledger,
            capacity_commissioned_per_year: capacity,
            demonstration_projects_completed: u32::try_from(demonstrations).unwrap_or(u32::MAX),
            enterprises_reporting: reporting,
        })
    }
}

/// The latest submission number of each (plan, period) in `plans`.
fn latest_numbers(plans: &[Arc<RegionalPlan>]) -> BTreeMap<(Uuid, Period), u32> {
    plans
        .iter()
        .filter_map(|p| Some((p.id()?, p)))
        .flat_map(|(id, p)| {
            p.reports()
                .iter()
                .map(move |(period, r)| ((id, *period), r.submission))
        })
        .collect()
}

/// The submissions the report shows among `submissions` that pass the filters: the latest of
/// each (plan, period), given the plans (for the latest submission number), or every one when
/// [`RegionalParams::all_submissions`].
pub fn shown_submissions<'a>(
    params: &RegionalParams,
    submissions: &'a [SubmissionRow],
    plans: &[Arc<RegionalPlan>],
) -> Vec<&'a SubmissionRow> {
    let latest = latest_numbers(plans);
    submissions
        .iter()
        .filter(|s| {
            params.all_submissions || latest.get(&(s.plan_id, s.period)) == Some(&s.submission)
        })
        .filter(|s| {
            params.region.is_none_or(|r| r.contains(s.region))
                && params.year.is_none_or(|y| y == s.year)
                && params.period.is_none_or(|p| p == s.period)
        })
        .collect()
}

/// The ledger rows of `submission`'s region and period written after it: `(enterprise, period,
/// version, valid_from)` of every ledger row in force.
pub fn changed_rows(
    submission: &SubmissionRow,
    enterprises: &[Arc<Enterprise>],
    ledger_rows: &[(Uuid, Period, u64, u64)],
) -> Vec<ChangedRow> {
    LedgerVersions::new(&enterprise_regions(enterprises), ledger_rows).changed_after(submission)
}

/// Each enterprise's region (those with one), for [`LedgerVersions::new`].
pub fn enterprise_regions(enterprises: &[Arc<Enterprise>]) -> HashMap<Uuid, Region> {
    enterprises
        .iter()
        .filter_map(|e| Some((e.id()?, e.region()?)))
        .collect()
}

/// The ledger rows in force with their enterprise's region looked up once, for finding the rows
/// changed after each of many submissions ([`LedgerVersions::changed_after`]).
#[derive(Debug, Clone)]
pub struct LedgerVersions {
    /// `(enterprise, period, version, valid_from, region)`; rows of enterprises without a
    /// region are left out (no submission's region contains them).
    rows: Vec<(Uuid, Period, u64, u64, Region)>,
}

impl LedgerVersions {
    /// `ledger_rows` as [`crate::load::ledger_versions`] reads them, each with its enterprise's
    /// region from `regions`.
    pub fn new(regions: &HashMap<Uuid, Region>, ledger_rows: &[(Uuid, Period, u64, u64)]) -> Self {
        Self {
            rows: ledger_rows
                .iter()
                .filter_map(|&(e, period, version, valid_from)| {
                    Some((e, period, version, valid_from, *regions.get(&e)?))
                })
                .collect(),
        }
    }

    /// The rows of `submission`'s region and period written after it, sorted.
    pub fn changed_after(&self, submission: &SubmissionRow) -> Vec<ChangedRow> {
        let mut out: Vec<ChangedRow> = self
            .rows
            .iter()
            .filter(|(_, period, _, valid_from, region)| {
                *valid_from > submission.position
                    && submission.period.contains(*period)
                    && submission.region.contains(*region)
            })
            .map(|&(enterprise_id, period, version, _, _)| ChangedRow {
                enterprise_id,
                period,
                version,
                after: submission.position,
            })
            .collect();
        out.sort();
        out
    }
}

/// The events behind `rows` among each enterprise's ledger events (`(stream version, change)`,
/// as read by [`crate::load::ledger_changes`]): those of the row's period, after the
/// submission, up to the row's version; in log order.
pub fn changes_for(
    rows: &[ChangedRow],
    events: &BTreeMap<Uuid, Vec<(u64, LedgerChange)>>,
) -> Vec<LedgerChange> {
    let mut out: Vec<LedgerChange> = rows
        .iter()
        .flat_map(|row| {
            let period = row.period.to_string();
            events
                .get(&row.enterprise_id)
                .into_iter()
                .flatten()
                .filter(move |(version, c)| {
                    *version <= row.version && c.position > row.after && c.period == period
                })
                .map(|(_, c)| c.clone())
        })
        .collect();
    out.sort_by_key(|c| c.position);
    out
}

fn diff(figure: &'static str, frozen: u64, today: u64) -> FigureDiff {
    let as_i = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    FigureDiff {
        figure,
        frozen,
        today,
        difference: as_i(today).saturating_sub(as_i(frozen)),
    }
}

/// The compared figures.
pub fn differences(
    frozen: &ReportFigures,
    today: &ReportFigures,
) -> Result<Vec<FigureDiff>, ReportError> {
    let (f, t) = (&frozen.ledger, &today.ledger);
    Ok(vec![
        diff("generated", f.generated.kg(), t.generated.kg()),
        diff(
            "utilized_from_new",
            f.utilized_from_new_total()?.kg(),
            t.utilized_from_new_total()?.kg(),
        ),
        diff(
            "utilized_from_stock",
            f.utilized_from_stock_total()?.kg(),
            t.utilized_from_stock_total()?.kg(),
        ),
        diff(
            "utilized",
            f.utilized_total()?.kg(),
            t.utilized_total()?.kg(),
        ),
        diff(
            "disposed",
            f.disposed_from_new.checked_add(f.disposed_from_stock)?.kg(),
            t.disposed_from_new.checked_add(t.disposed_from_stock)?.kg(),
        ),
        diff("stored_new", f.stored_new.kg(), t.stored_new.kg()),
        diff(
            "capacity_commissioned_per_year",
            frozen.capacity_commissioned_per_year.kg(),
            today.capacity_commissioned_per_year.kg(),
        ),
        diff(
            "demonstration_projects_completed",
            u64::from(frozen.demonstration_projects_completed),
            u64::from(today.demonstration_projects_completed),
        ),
        diff(
            "enterprises_reporting",
            u64::from(frozen.enterprises_reporting),
            u64::from(today.enterprises_reporting),
        ),
    ])
}

/// Computes the report: per submission shown ([`shown_submissions`]), frozen against today's
/// figures, with the changes (`changes`: the events fetched for [`changed_rows`], keyed by
/// plan, period and submission number).
pub fn regional_report(
    params: &RegionalParams,
    submissions: &[SubmissionRow],
    plans: &[Arc<RegionalPlan>],
    enterprises: &[Arc<Enterprise>],
    projects: &[Arc<Project>],
    changes: &BTreeMap<(Uuid, Period, u32), Vec<LedgerChange>>,
) -> Result<RegionalReport, ReportError> {
    let latest = latest_numbers(plans);
    let status: BTreeMap<(Uuid, Period), ReportStatus> = plans
        .iter()
        .filter_map(|p| Some((p.id()?, p)))
        .flat_map(|(id, p)| {
            p.reports()
                .iter()
                .map(move |(period, r)| ((id, *period), r.status))
        })
        .collect();
    let sources = FigureSources::new(enterprises, projects);
    let mut lines = Vec::new();
    for s in shown_submissions(params, submissions, plans) {
        let today = sources.figures(s.region, s.period)?;
        let differences = differences(&s.figures, &today)?;
        let mut events = changes
            .get(&(s.plan_id, s.period, s.submission))
            .cloned()
            .unwrap_or_default();
        let superseded = latest
            .get(&(s.plan_id, s.period))
            .is_some_and(|n| s.submission < *n);
        events.sort_by_key(|c| c.position);
        lines.push(RegionalLine {
            plan_id: s.plan_id,
            region: s.region.to_string(),
            region_name: s.region.name_zh(),
            year: s.year,
            period: s.period.to_string(),
            submission: s.submission,
            status: if superseded {
                ReportStatus::Returned
            } else {
                status
                    .get(&(s.plan_id, s.period))
                    .copied()
                    .unwrap_or(ReportStatus::Submitted)
            },
            submitted_on: s.submitted_on,
            submitted_at: s.position,
            changed: differences.iter().any(|d| d.difference != 0),
            frozen: s.figures.clone(),
            today,
            differences,
            changes: events,
        });
    }
    lines.sort_by(|a, b| {
        (a.year, &a.region, &a.period, a.submission).cmp(&(
            b.year,
            &b.region,
            &b.period,
            b.submission,
        ))
    });
    Ok(RegionalReport { lines })
}

/// The CSV: one `figure` record per report and figure (frozen, today, difference), then one
/// `change` record per ledger event since the submission.
pub fn regional_csv(report: &RegionalReport) -> Csv {
    let cols = |names: &[&str]| names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let head = |l: &RegionalLine| {
        vec![
            l.region.clone(),
            l.region_name.clone(),
            l.year.to_string(),
            l.period.clone(),
            l.submission.to_string(),
            l.status.to_string(),
            l.submitted_on.to_string(),
        ]
    };
    let head_cols = [
        "region",
        "region_name",
        "year",
        "period",
        "submission",
        "status",
        "submitted_on",
    ];
    let mut figures = Section {
        name: "figure".to_owned(),
        columns: cols(&[&head_cols[..], &["figure", "frozen", "today", "difference"]].concat()),
        rows: Vec::new(),
    };
    let mut changes = Section {
        name: "change".to_owned(),
        columns: cols(
            &[
                &head_cols[..],
                &[
                    "enterprise_id",
                    "enterprise",
                    "ledger_period",
                    "event_type",
                    "position",
                    "recorded_at",
                    "actor_id",
                    "actor_role",
                    "organisation",
                    "reason",
                ],
            ]
            .concat(),
        ),
        rows: Vec::new(),
    };
    for l in &report.lines {
        for d in &l.differences {
            let mut row = head(l);
            row.extend([
                d.figure.to_owned(),
                d.frozen.to_string(),
                d.today.to_string(),
                d.difference.to_string(),
            ]);
            figures.rows.push(row);
        }
        for c in &l.changes {
            let mut row = head(l);
            row.extend([
                c.enterprise_id.to_string(),
                c.enterprise.clone(),
                c.period.clone(),
                c.event_type.clone(),
                c.position.to_string(),
                c.recorded_at.to_rfc3339(),
                c.actor_id.clone(),
                c.actor_role.clone(),
                c.organisation.clone(),
                c.reason.clone().unwrap_or_default(),
            ]);
            changes.rows.push(row);
        }
    }
    crate::table::sections_csv(vec![figures, changes])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use redmud_domain::{EnterpriseCommand, RegionalPlanCommand, RouteAmounts, UtilizationRoute};

    fn figures(generated: u64) -> LedgerFigures {
        LedgerFigures {
            generated: kg(generated),
            utilized_from_new: RouteAmounts::new()
                .with(UtilizationRoute::Cement, kg(generated / 10)),
            stored_new: kg(generated - generated / 10),
            ..LedgerFigures::default()
        }
    }

    fn record(period: &str, generated: u64) -> EnterpriseCommand {
        EnterpriseCommand::RecordLedger {
            period: period.parse().expect("period"),
            figures: figures(generated),
            today: d(2026, 1, 1),
        }
    }

    #[test]
    fn frozen_against_today_with_changed_rows() -> Result<(), ReportError> {
        let a = enterprise(&[register(1, "甲", "520181", true), record("2025-Q1", 1_000)]);
        let b = enterprise(&[register(2, "乙", "520181", true), record("2025-01", 200)]);
        let outside = enterprise(&[register(3, "丙", "520326", true), record("2025-Q1", 7)]);
        let region = region("520100");
        let q1: Period = "2025-Q1".parse().expect("period");
        let all = [a, b, outside].map(Arc::new);
        let frozen = report_figures(region, q1, &[Arc::clone(&all[0])], &[])?;
        assert_eq!(frozen.enterprises_reporting, 1);
        let today = report_figures(region, q1, &all, &[])?;
        assert_eq!(today.ledger.generated, kg(1_200));
        assert_eq!(today.enterprises_reporting, 2);
        let plan: RegionalPlan = run(&[
            RegionalPlanCommand::SetTargets {
                plan_id: id(50),
                region,
                year: 2025,
                targets: redmud_domain::regional_plan::RegionalTargets {
                    red_mud_to_utilize: kg(100),
                    new_utilization_rate: redmud_domain::BasisPoints::new(1_500).expect("bp"),
                    new_capacity_per_year: Kg::ZERO,
                    demonstration_projects: 0,
                    task: redmud_domain::PlanTask::UtilizationScale,
                },
                set_on: d(2025, 1, 15),
            },
            RegionalPlanCommand::SubmitReport {
                period: q1,
                figures: frozen.clone(),
                summary: "一季度".into(),
                submitted_on: d(2025, 4, 10),
            },
        ]);
        let submission = SubmissionRow {
            plan_id: id(50),
            region,
            year: 2025,
            period: q1,
            submission: 1,
            submitted_on: d(2025, 4, 10),
            figures: frozen,
            position: 10,
        };
        let stale = SubmissionRow {
            submission: 0,
            ..submission.clone()
        };
        let rows = [
            (id(1), q1, 3, 12),
            (id(2), "2025-01".parse().expect("period"), 2, 11),
            (id(1), "2025-Q2".parse().expect("period"), 4, 13),
            (id(3), q1, 2, 14),
            (id(1), "2024-Q4".parse().expect("period"), 1, 5),
        ];
        let changed = changed_rows(&submission, &all, &rows);
        let keys: Vec<(Uuid, u64)> = changed
            .iter()
            .map(|c| (c.enterprise_id, c.version))
            .collect();
        assert_eq!(keys, [(id(1), 3), (id(2), 2)]);
        let change = |period: &str, position: u64| LedgerChange {
            enterprise_id: id(1),
            enterprise: "甲".into(),
            period: period.into(),
            event_type: "LedgerCorrected".into(),
            position,
            recorded_at: DateTime::<Utc>::default(),
            actor_id: "guiyang".into(),
            actor_role: "bureau".into(),
            organisation: String::new(),
            reason: Some("补报".into()),
        };
        // Enterprise 1's events: Q1 corrected at 12 (v3) and again at 20 (v5, after the row
        // read), Q2 at 13 (v4), Q1 recorded at 8 (v2, before the submission).
        let events = BTreeMap::from([(
            id(1),
            vec![
                (5, change("2025-Q1", 20)),
                (4, change("2025-Q2", 13)),
                (3, change("2025-Q1", 12)),
                (2, change("2025-Q1", 8)),
            ],
        )]);
        let picked: Vec<u64> = changes_for(&changed, &events)
            .iter()
            .map(|c| c.position)
            .collect();
        assert_eq!(picked, [12]);
        let subs = [submission, stale];
        let r = regional_report(
            &RegionalParams::default(),
            &subs,
            &[Arc::new(plan.clone())],
            &all,
            &[],
            &BTreeMap::new(),
        )?;
        assert_eq!(r.lines.len(), 1, "only the latest submission");
        let every = regional_report(
            &RegionalParams {
                all_submissions: true,
                ..RegionalParams::default()
            },
            &subs,
            &[Arc::new(plan.clone())],
            &all,
            &[],
            &BTreeMap::new(),
        )?;
        let statuses: Vec<(u32, ReportStatus)> = every
            .lines
            .iter()
            .map(|l| (l.submission, l.status))
            .collect();
        assert_eq!(
            statuses,
            [(0, ReportStatus::Returned), (1, ReportStatus::Submitted)],
            "the earlier submission was returned"
        );
        let line = &r.lines[0];
        assert!(line.changed);
        let generated = line.differences.iter().find(|d| d.figure == "generated");
        assert_eq!(generated.map(|d| d.difference), Some(200));
        let (header, records) = regional_csv(&r).records();
        assert_eq!(header[0], "section");
        assert_eq!(records.len(), line.differences.len());
        Ok(())
    }
}
