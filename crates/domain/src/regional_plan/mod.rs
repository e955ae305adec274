//! The **Regional plan** (年度目标任务 and reporting) aggregate: one region's targets for one
//! year, and the periodic reports the region submits to the provincial Department of Industry
//! and Information Technology (省工业和信息化厅).
//!
//! ## Lifecycle of the plan
//!
//! ```text
//! NotSet --SetTargets--> Active --AcceptReport(the whole year)--> Closed (terminal)
//!                        Active --ReviseTargets (reason)--> Active
//! ```
//!
//! ## Lifecycle of each period's report (within an Active plan)
//!
//! ```text
//! (none) --SubmitReport--> Submitted --AcceptReport--> Accepted (terminal)
//!                          Submitted --ReturnReport (reason)--> Returned --SubmitReport--> Submitted …
//! ```
//!
//! An illegal transition is [`RegionalPlanError::InvalidTransition`] (plan) or
//! [`RegionalPlanError::ReportInvalidTransition`] (report), naming the state and the command.
//!
//! ## Rules
//! - The region is the province or a prefecture (the reporting bureaus are 市州 level).
//! - Reports are for a period within the plan's year that has ended by the submission date; the
//!   figures are frozen in the submission event (a resubmission after a return is a new, numbered
//!   submission; earlier ones stay in history); the ledger part obeys the balance identity; the
//!   summary of work done (工作开展情况) is not blank.
//! - Returning and accepting are dated no earlier than the submission; returning needs a reason.
//! - Accepting the report for the whole year closes the plan: targets can no longer be revised.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use uuid::Uuid;

use crate::aggregate::{Aggregate, BlankReason, EventPayload, domain_events, require_reason};
use crate::ledger::{LedgerError, LedgerFigures};
use crate::rules::{self, RateFormula};
use crate::values::{BasisPoints, Granularity, Kg, MassError, Period, PlanTask, Ratio, Region};

#[cfg(test)]
mod tests;

/// A region's targets for a year (年度目标任务).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RegionalTargets {
    /// Red mud to comprehensively utilize in the year.
    pub red_mud_to_utilize: Kg,
    /// New red mud comprehensive utilization rate to reach (新增赤泥综合利用率); defaults from
    /// [`rules::GoalLine`].
    pub new_utilization_rate: BasisPoints,
    /// New utilization capacity to bring into operation, tonnes per year.
    pub new_capacity_per_year: Kg,
    /// Industrialization demonstration projects to build.
    pub demonstration_projects: u32,
    /// The plan's main task these targets serve. Events written before this field existed
    /// have none and read as [`PlanTask::UtilizationScale`] (扩大综合利用规模, the task whose figures
    /// the targets count) — a serde default, so the stored payloads stay as they were hashed.
    #[serde(default = "default_target_task")]
    pub task: PlanTask,
}

/// The task of targets recorded without one: [`PlanTask::UtilizationScale`].
pub fn default_target_task() -> PlanTask {
    PlanTask::UtilizationScale
}

/// What a region reports for a period; frozen at submission.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportFigures {
    /// The region's red mud ledger for the period (the sum of its enterprises' ledgers).
    pub ledger: LedgerFigures,
    /// Utilization capacity commissioned in the period, tonnes per year.
    pub capacity_commissioned_per_year: Kg,
    /// Demonstration projects completed in the period.
    pub demonstration_projects_completed: u32,
    /// Number of enterprises whose ledgers are included.
    pub enterprises_reporting: u32,
}

/// Where a regional plan is in its lifecycle.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// No targets yet.
    #[default]
    NotSet,
    /// Targets set; reports flow.
    Active,
    /// The whole year's report was accepted; terminal.
    Closed,
}

impl fmt::Display for PlanStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PlanStatus::NotSet => "not_set",
            PlanStatus::Active => "active",
            PlanStatus::Closed => "closed",
        })
    }
}

/// Where a period's report is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Not submitted.
    NotSubmitted,
    /// Submitted (报送), awaiting the province.
    Submitted,
    /// Returned for correction (退回修改).
    Returned,
    /// Accepted (审核通过); terminal.
    Accepted,
}

impl fmt::Display for ReportStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReportStatus::NotSubmitted => "not_submitted",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Returned => "returned",
            ReportStatus::Accepted => "accepted",
        })
    }
}

/// What a user asks of a regional plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "command")]
pub enum RegionalPlanCommand {
    /// Set the year's targets (创建年度目标任务).
    SetTargets {
        /// The new aggregate's id (chosen by the caller).
        plan_id: Uuid,
        /// The region.
        region: Region,
        /// The year.
        year: u16,
        /// The targets.
        targets: RegionalTargets,
        /// Date set.
        set_on: NaiveDate,
    },
    /// Revise the targets (目标调整).
    ReviseTargets {
        /// The revised targets.
        targets: RegionalTargets,
        /// Date revised.
        revised_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Submit (or resubmit) the report of a period.
    SubmitReport {
        /// The period within the plan's year.
        period: Period,
        /// The figures, frozen here.
        figures: ReportFigures,
        /// Summary of the work done (工作开展情况).
        summary: String,
        /// Date submitted (the period must have ended).
        submitted_on: NaiveDate,
    },
    /// Return a submitted report for correction.
    ReturnReport {
        /// The period.
        period: Period,
        /// Date returned.
        returned_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Accept a submitted report.
    AcceptReport {
        /// The period.
        period: Period,
        /// Date accepted.
        accepted_on: NaiveDate,
    },
}

impl RegionalPlanCommand {
    /// The command's name, as used in errors.
    pub fn name(&self) -> &'static str {
        match self {
            RegionalPlanCommand::SetTargets { .. } => "SetTargets",
            RegionalPlanCommand::ReviseTargets { .. } => "ReviseTargets",
            RegionalPlanCommand::SubmitReport { .. } => "SubmitReport",
            RegionalPlanCommand::ReturnReport { .. } => "ReturnReport",
            RegionalPlanCommand::AcceptReport { .. } => "AcceptReport",
        }
    }
}

/// The year's targets were set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RegionalTargetsSet {
    /// Aggregate id.
    pub plan_id: Uuid,
    /// Region.
    pub region: Region,
    /// Year.
    pub year: u16,
    /// Targets.
    pub targets: RegionalTargets,
    /// Date set.
    pub set_on: NaiveDate,
}

/// The targets were revised.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RegionalTargetsRevised {
    /// The year (repeated so the event is about a period on its own).
    pub year: u16,
    /// New revision number (2, 3, …).
    pub revision: u32,
    /// The targets before this revision.
    pub previous: RegionalTargets,
    /// The revised targets.
    pub targets: RegionalTargets,
    /// Date revised.
    pub revised_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// A period's report was submitted, its figures frozen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RegionalReportSubmitted {
    /// Period.
    pub period: Period,
    /// Submission number for this period (1, then 2 after a return, …).
    pub submission: u32,
    /// The frozen figures.
    pub figures: ReportFigures,
    /// Summary of work done.
    pub summary: String,
    /// Date submitted.
    pub submitted_on: NaiveDate,
}

/// A submitted report was returned for correction.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RegionalReportReturned {
    /// Period.
    pub period: Period,
    /// The submission returned.
    pub submission: u32,
    /// Date returned.
    pub returned_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// A submitted report was accepted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RegionalReportAccepted {
    /// Period.
    pub period: Period,
    /// The submission accepted.
    pub submission: u32,
    /// Date accepted.
    pub accepted_on: NaiveDate,
}

impl EventPayload for RegionalTargetsSet {
    fn effective(&self) -> Option<String> {
        Some(format!("{:04}", self.year))
    }
}
impl EventPayload for RegionalTargetsRevised {
    fn effective(&self) -> Option<String> {
        Some(format!("{:04}", self.year))
    }
}
impl EventPayload for RegionalReportSubmitted {
    fn effective(&self) -> Option<String> {
        Some(self.period.to_string())
    }
}
impl EventPayload for RegionalReportReturned {
    fn effective(&self) -> Option<String> {
        Some(self.period.to_string())
    }
}
impl EventPayload for RegionalReportAccepted {
    fn effective(&self) -> Option<String> {
        Some(self.period.to_string())
    }
}

domain_events! {
    /// What happened to a regional plan.
    pub enum RegionalPlanEvent in "regional_plan" {
        /// See [`RegionalTargetsSet`].
        TargetsSet(RegionalTargetsSet) = "RegionalTargetsSet",
        /// See [`RegionalTargetsRevised`].
        TargetsRevised(RegionalTargetsRevised) = "RegionalTargetsRevised",
        /// See [`RegionalReportSubmitted`].
        ReportSubmitted(RegionalReportSubmitted) = "RegionalReportSubmitted",
        /// See [`RegionalReportReturned`].
        ReportReturned(RegionalReportReturned) = "RegionalReportReturned",
        /// See [`RegionalReportAccepted`].
        ReportAccepted(RegionalReportAccepted) = "RegionalReportAccepted",
    }
}

/// Why a regional plan command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum RegionalPlanError {
    /// The command is not allowed in the plan's state.
    #[error("{command} is not allowed while the regional plan is {state}")]
    InvalidTransition {
        /// Current state.
        state: PlanStatus,
        /// The command refused.
        command: &'static str,
    },
    /// The command is not allowed in the report's state.
    #[error("{command} is not allowed while the report for {period} is {state}")]
    ReportInvalidTransition {
        /// The period.
        period: Period,
        /// The report's state.
        state: ReportStatus,
        /// The command refused.
        command: &'static str,
    },
    /// A reason was required.
    #[error(transparent)]
    BlankReason(#[from] BlankReason),
    /// A county region.
    #[error("a regional plan is for the province or a prefecture, not {region}")]
    RegionMustBeProvinceOrPrefecture {
        /// The region given.
        region: Region,
    },
    /// A year outside 1900–9999.
    #[error("year {year} is outside 1900–9999")]
    YearOutOfRange {
        /// The year.
        year: u16,
    },
    /// A revision identical to the targets in force.
    #[error("the revision is identical to the targets in force (revision {revision})")]
    RevisionChangesNothing {
        /// Revision in force.
        revision: u32,
    },
    /// A report period outside the plan's year.
    #[error("{period} is not within the plan year {year}")]
    PeriodOutsidePlanYear {
        /// The period.
        period: Period,
        /// The plan's year.
        year: u16,
    },
    /// A report for a period not yet ended.
    #[error("{period} has not ended on {today}")]
    PeriodNotEnded {
        /// The period.
        period: Period,
        /// Submission date.
        today: NaiveDate,
    },
    /// A blank summary.
    #[error("a report needs a summary of the work done")]
    BlankSummary,
    /// A return or acceptance dated before the submission.
    #[error("{command} dated {date} precedes the submission of {submitted_on}")]
    DateBeforeSubmission {
        /// The command.
        command: &'static str,
        /// Its date.
        date: NaiveDate,
        /// Submission date.
        submitted_on: NaiveDate,
    },
    /// The report's ledger figures break the balance identity.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

crate::aggregate::error_rules!(RegionalPlanError {
    InvalidTransition,
    ReportInvalidTransition,
    BlankReason,
    RegionMustBeProvinceOrPrefecture,
    YearOutOfRange,
    RevisionChangesNothing,
    PeriodOutsidePlanYear,
    PeriodNotEnded,
    BlankSummary,
    DateBeforeSubmission,
    Ledger
});

/// The targets in force.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TargetsInForce {
    /// Targets.
    pub targets: RegionalTargets,
    /// Revision (1 when set).
    pub revision: u32,
}

/// A period's report as it stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Report {
    /// State.
    pub status: ReportStatus,
    /// Latest submission number.
    pub submission: u32,
    /// Latest submitted figures.
    pub figures: ReportFigures,
    /// Latest summary.
    pub summary: String,
    /// Latest submission date.
    pub submitted_on: NaiveDate,
}

/// How a report compares with the year's targets (computed, never stored).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReportAssessment {
    /// The utilization rate under the formula asked for (None when nothing was generated).
    pub rate: Option<Ratio>,
    /// Whether the rate meets the target rate (None when there is no rate).
    pub meets_rate_target: Option<bool>,
    /// Red mud utilized in the period (from new and from stock).
    pub utilized: Kg,
    /// Share of the year's utilization target reached in the period (None when the target is 0).
    pub share_of_utilization_target: Option<Ratio>,
}

/// The Regional plan aggregate's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RegionalPlan {
    status: PlanStatus,
    id: Option<Uuid>,
    region: Option<Region>,
    year: u16,
    set_on: Option<NaiveDate>,
    targets: Option<TargetsInForce>,
    reports: BTreeMap<Period, Report>,
}

impl RegionalPlan {
    /// Lifecycle state.
    pub fn status(&self) -> PlanStatus {
        self.status
    }
    /// Aggregate id.
    pub fn id(&self) -> Option<Uuid> {
        self.id
    }
    /// Region.
    pub fn region(&self) -> Option<Region> {
        self.region
    }
    /// Year (0 before targets are set).
    pub fn year(&self) -> u16 {
        self.year
    }
    /// Date the targets were first set.
    pub fn set_on(&self) -> Option<NaiveDate> {
        self.set_on
    }
    /// Targets in force.
    pub fn targets(&self) -> Option<&TargetsInForce> {
        self.targets.as_ref()
    }
    /// Reports by period.
    pub fn reports(&self) -> &BTreeMap<Period, Report> {
        &self.reports
    }
    /// The state of the report for `period`.
    pub fn report_status(&self, period: Period) -> ReportStatus {
        self.reports
            .get(&period)
            .map_or(ReportStatus::NotSubmitted, |r| r.status)
    }

    /// Compare the report of `period` with the targets, under `formula`.
    pub fn assess(
        &self,
        period: Period,
        formula: RateFormula,
    ) -> Result<Option<ReportAssessment>, MassError> {
        let (Some(report), Some(targets)) = (self.reports.get(&period), &self.targets) else {
            return Ok(None);
        };
        let rate = rules::utilization_rate(formula, &report.figures.ledger)?;
        let utilized = report.figures.ledger.utilized_total()?;
        Ok(Some(ReportAssessment {
            rate,
            meets_rate_target: rate.map(|r| r.meets(targets.targets.new_utilization_rate)),
            utilized,
            share_of_utilization_target: Ratio::new(
                utilized.kg(),
                targets.targets.red_mud_to_utilize.kg(),
            )
            .ok(),
        }))
    }
}

type Decision = Result<Vec<RegionalPlanEvent>, RegionalPlanError>;

fn one(event: impl Into<RegionalPlanEvent>) -> Decision {
    Ok(vec![event.into()])
}

impl RegionalPlan {
    fn require(&self, wanted: PlanStatus, command: &'static str) -> Result<(), RegionalPlanError> {
        if self.status == wanted {
            Ok(())
        } else {
            Err(RegionalPlanError::InvalidTransition {
                state: self.status,
                command,
            })
        }
    }

    fn report_in(
        &self,
        period: Period,
        wanted: ReportStatus,
        command: &'static str,
    ) -> Result<&Report, RegionalPlanError> {
        let invalid = RegionalPlanError::ReportInvalidTransition {
            period,
            state: self.report_status(period),
            command,
        };
        match self.reports.get(&period) {
            Some(report) if report.status == wanted => Ok(report),
            _ => Err(invalid),
        }
    }

    fn decide_submit(
        &self,
        period: Period,
        figures: &ReportFigures,
        summary: &str,
        submitted_on: NaiveDate,
    ) -> Decision {
        let command = "SubmitReport";
        if period.calendar_year() != self.year {
            return Err(RegionalPlanError::PeriodOutsidePlanYear {
                period,
                year: self.year,
            });
        }
        let previous = match self.report_status(period) {
            ReportStatus::NotSubmitted => 0,
            ReportStatus::Returned => self.reports.get(&period).map_or(0, |r| r.submission),
            state => {
                return Err(RegionalPlanError::ReportInvalidTransition {
                    period,
                    state,
                    command,
                });
            }
        };
        if period.end() >= submitted_on {
            return Err(RegionalPlanError::PeriodNotEnded {
                period,
                today: submitted_on,
            });
        }
        if summary.trim().is_empty() {
            return Err(RegionalPlanError::BlankSummary);
        }
        figures.ledger.check_balance()?;
        one(RegionalReportSubmitted {
            period,
            submission: previous.saturating_add(1),
            figures: figures.clone(),
            summary: summary.to_owned(),
            submitted_on,
        })
    }
}

impl Aggregate for RegionalPlan {
    const CATEGORY: &'static str = "regional_plan";
    type Command = RegionalPlanCommand;
    type Event = RegionalPlanEvent;
    type Error = RegionalPlanError;

    fn decide(&self, command: &RegionalPlanCommand) -> Decision {
        use RegionalPlanCommand as C;
        let name = command.name();
        match command {
            C::SetTargets {
                plan_id,
                region,
                year,
                targets,
                set_on,
            } => {
                self.require(PlanStatus::NotSet, name)?;
                if let Region::County(_) = region {
                    return Err(RegionalPlanError::RegionMustBeProvinceOrPrefecture {
                        region: *region,
                    });
                }
                if !(1900..=9999).contains(year) {
                    return Err(RegionalPlanError::YearOutOfRange { year: *year });
                }
                one(RegionalTargetsSet {
                    plan_id: *plan_id,
                    region: *region,
                    year: *year,
                    targets: targets.clone(),
                    set_on: *set_on,
                })
            }
            C::ReviseTargets {
                targets,
                revised_on,
                reason,
            } => {
                self.require(PlanStatus::Active, name)?;
                require_reason(reason, name)?;
                let Some(current) = &self.targets else {
                    return Err(RegionalPlanError::InvalidTransition {
                        state: self.status,
                        command: name,
                    });
                };
                if current.targets == *targets {
                    return Err(RegionalPlanError::RevisionChangesNothing {
                        revision: current.revision,
                    });
                }
                one(RegionalTargetsRevised {
                    year: self.year,
                    revision: current.revision.saturating_add(1),
                    previous: current.targets.clone(),
                    targets: targets.clone(),
                    revised_on: *revised_on,
                    reason: reason.clone(),
                })
            }
            C::SubmitReport {
                period,
                figures,
                summary,
                submitted_on,
            } => {
                self.require(PlanStatus::Active, name)?;
                self.decide_submit(*period, figures, summary, *submitted_on)
            }
            C::ReturnReport {
                period,
                returned_on,
                reason,
            } => {
                self.require(PlanStatus::Active, name)?;
                require_reason(reason, name)?;
                let report = self.report_in(*period, ReportStatus::Submitted, name)?;
                if *returned_on < report.submitted_on {
                    return Err(RegionalPlanError::DateBeforeSubmission {
                        command: name,
                        date: *returned_on,
                        submitted_on: report.submitted_on,
                    });
                }
                one(RegionalReportReturned {
                    period: *period,
                    submission: report.submission,
                    returned_on: *returned_on,
                    reason: reason.clone(),
                })
            }
            C::AcceptReport {
                period,
                accepted_on,
            } => {
                self.require(PlanStatus::Active, name)?;
                let report = self.report_in(*period, ReportStatus::Submitted, name)?;
                if *accepted_on < report.submitted_on {
                    return Err(RegionalPlanError::DateBeforeSubmission {
                        command: name,
                        date: *accepted_on,
                        submitted_on: report.submitted_on,
                    });
                }
                one(RegionalReportAccepted {
                    period: *period,
                    submission: report.submission,
                    accepted_on: *accepted_on,
                })
            }
        }
    }

    fn apply(&mut self, event: &RegionalPlanEvent) {
        use RegionalPlanEvent as E;
        match event {
            E::TargetsSet(e) => {
                self.status = PlanStatus::Active;
                self.id = Some(e.plan_id);
                self.region = Some(e.region);
                self.year = e.year;
                self.set_on = Some(e.set_on);
                self.targets = Some(TargetsInForce {
                    targets: e.targets.clone(),
                    revision: 1,
                });
            }
            E::TargetsRevised(e) => {
                self.targets = Some(TargetsInForce {
                    targets: e.targets.clone(),
                    revision: e.revision,
                });
            }
            E::ReportSubmitted(e) => {
                self.reports.insert(
                    e.period,
                    Report {
                        status: ReportStatus::Submitted,
                        submission: e.submission,
                        figures: e.figures.clone(),
                        summary: e.summary.clone(),
                        submitted_on: e.submitted_on,
                    },
                );
            }
            E::ReportReturned(e) => {
                if let Some(r) = self.reports.get_mut(&e.period) {
                    r.status = ReportStatus::Returned;
                }
            }
            E::ReportAccepted(e) => {
                if let Some(r) = self.reports.get_mut(&e.period) {
                    r.status = ReportStatus::Accepted;
                }
                if e.period.granularity() == Granularity::Year {
                    self.status = PlanStatus::Closed;
                }
            }
        }
    }
}
