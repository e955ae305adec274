//! The **Project** (项目) aggregate: a project of the plan from proposal to acceptance (验收), its
//! milestones, the capacity it commissions, and its **funding** (awards, tranche disbursements and
//! recoveries).
//!
//! ## Lifecycle
//!
//! ```text
//! NotProposed --ProposeProject--> Proposed --ApproveProject--> Approved
//!   Approved --StartConstruction--> UnderConstruction --CommissionCapacity--> InOperation
//!   InOperation --AcceptProject--> Accepted (terminal)
//!   InOperation --FailAcceptance (reason)--> AcceptanceFailed (terminal)
//!   Approved | UnderConstruction | InOperation --SuspendProject (reason)--> Suspended
//!   Suspended --ResumeProject--> the state it was suspended from
//!   Proposed | Approved | UnderConstruction | Suspended --CancelProject (reason)--> Cancelled (terminal)
//! ```
//!
//! A **standard** (kind [`ProjectKind::Standard`], 标准制修订) has a lifecycle of its own:
//!
//! ```text
//! NotProposed --ProposeProject--> Drafting (起草) --OpenConsultation--> Consultation (征求意见)
//!   Consultation --ApproveStandard (document)--> Approved (批准)
//!   Approved --PublishStandard (number)--> Published (发布; terminal)
//!   Drafting | Consultation | Approved --WithdrawStandard (reason)--> Withdrawn (撤回; terminal)
//! ```
//!
//! The construction commands (ApproveProject, StartConstruction, CommissionCapacity,
//! AcceptProject, FailAcceptance, SuspendProject, ResumeProject, CancelProject) are refused for a
//! standard ([`ProjectError::NotForStandards`]) and the standard commands for other kinds
//! ([`ProjectError::NotAStandard`]); milestones, funding and typical cases work as for any project.
//!
//! Any other combination is [`ProjectError::InvalidTransition`] naming the state and the command.
//! Lifecycle transitions are dated no earlier than the previous one.
//!
//! ## Rules
//! - Propose: the name is not blank; the region is a prefecture or county; at least one
//!   responsible unit, none blank; the budget is non-zero; the planned end is not before the
//!   planned start. Capacity-building kinds (utilization capacity, industrialization
//!   demonstration) name at least one utilization route and a non-zero planned capacity.
//! - A standard's proposal carries its [`StandardSpec`] (type, drafting body, scope; the drafting
//!   body not blank); other kinds carry none. Publication carries the standard's number
//!   (标准编号, not blank), approval its document, withdrawal a reason.
//! - Typical case (典型案例): a proposed project can be recommended (summary not blank, dated no
//!   earlier than the proposal) while it is not already recommended; a recommendation is
//!   withdrawn with a reason, dated no earlier than the recommendation; it can be recommended
//!   again afterwards.
//! - 产用挂钩: a new or expanded alumina project must state its matching capacity — the red mud it
//!   is expected to generate (non-zero) and the utilization capacity it brings, owned or
//!   contracted (non-zero in total); other kinds must not. Whether the capacity covers the red mud
//!   is [`crate::rules::matching_coverage`] (a view, not a refusal).
//! - Approval and acceptance carry the reference of their document (批复文号 / 验收意见); failing
//!   acceptance, suspension and cancellation carry a reason.
//! - Milestones are planned (id, name, planned date) while the project is proposed, approved,
//!   under construction or in operation (a standard: drafting, consultation, approved), and
//!   achieved once (with evidence, not before the proposal) while approved, under construction
//!   or in operation (a standard: drafting, consultation, approved). A project is accepted only
//!   when every planned milestone is achieved.
//! - Capacity is commissioned while under construction (the first commissioning puts the project
//!   into operation) or in operation (a later phase). It is non-zero, except that a project that
//!   plans no capacity (R&D, a platform) enters operation with a zero commissioning.
//! - Funding: an award (source, programme, amount, tranches with conditions) is made while the
//!   project is proposed, approved, under construction, in operation or accepted (以奖代补) — a
//!   standard while drafting, in consultation, approved or published; its
//!   amount is non-zero, all awards together stay within the budget, and its tranche amounts
//!   (each non-zero) sum exactly to it. A tranche is disbursed once, in full, only while the
//!   project is approved, under construction, in operation or accepted — a standard approved or
//!   published — (never before approval,
//!   never to a suspended, cancelled or failed project), once its condition holds, never beyond
//!   the award. A recovery (clawback, reason required) never exceeds what was disbursed net of
//!   earlier recoveries. Balances: [`Project::funding_balances`] ([`crate::rules::funding_balances`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDate;
use uuid::Uuid;

use crate::aggregate::{Aggregate, BlankReason, EventPayload, domain_events, require_reason};
use crate::rules::{self, FundingBalances, FundingLine, MatchingCoverage};
use crate::typical_case::TypicalCase;
use crate::values::{
    Fen, FundingSource, Kg, MassError, MoneyError, PlanTask, ProjectKind, Region, StandardScope,
    StandardType, UtilizationRoute,
};

#[cfg(test)]
mod tests;

// ---------------------------------------------------------------------------------------------
// Supporting types
// ---------------------------------------------------------------------------------------------

/// Where a project is in its lifecycle.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    /// No `ProjectProposed` yet.
    #[default]
    NotProposed,
    /// Proposed (申报 / 入库), awaiting approval.
    Proposed,
    /// Approved (批复 / 立项).
    Approved,
    /// Under construction (开工建设).
    UnderConstruction,
    /// In operation (建成投产), awaiting acceptance.
    InOperation,
    /// Accepted (验收通过); terminal.
    Accepted,
    /// Suspended (暂停); resumes to the state it was suspended from.
    Suspended,
    /// Cancelled (撤销 / 终止); terminal.
    Cancelled,
    /// Failed acceptance (验收不通过); terminal.
    AcceptanceFailed,
    /// A standard being drafted (起草).
    Drafting,
    /// A standard's draft out for consultation (征求意见).
    Consultation,
    /// A standard published (发布) with its number; terminal.
    Published,
    /// A standard withdrawn (撤回) before publication; terminal.
    Withdrawn,
}

impl fmt::Display for ProjectStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl ProjectStatus {
    /// The status's code, as serialised (`under_construction`).
    pub const fn code(self) -> &'static str {
        match self {
            ProjectStatus::NotProposed => "not_proposed",
            ProjectStatus::Proposed => "proposed",
            ProjectStatus::Approved => "approved",
            ProjectStatus::UnderConstruction => "under_construction",
            ProjectStatus::InOperation => "in_operation",
            ProjectStatus::Accepted => "accepted",
            ProjectStatus::Suspended => "suspended",
            ProjectStatus::Cancelled => "cancelled",
            ProjectStatus::AcceptanceFailed => "acceptance_failed",
            ProjectStatus::Drafting => "drafting",
            ProjectStatus::Consultation => "consultation",
            ProjectStatus::Published => "published",
            ProjectStatus::Withdrawn => "withdrawn",
        }
    }
}

/// 产用挂钩: what a new or expanded alumina project states about the red mud it will generate and
/// the utilization capacity it brings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MatchingCapacity {
    /// Red mud the project is expected to generate, t/yr.
    pub expected_red_mud_per_year: Kg,
    /// Utilization capacity the project builds itself (自建), t/yr.
    pub owned_capacity_per_year: Kg,
    /// Utilization capacity contracted from utilizers (协议消纳), t/yr.
    pub contracted_capacity_per_year: Kg,
}

impl MatchingCapacity {
    /// Whether the capacity covers the red mud (see [`rules::matching_coverage`]).
    pub fn coverage(&self) -> Result<MatchingCoverage, MassError> {
        rules::matching_coverage(
            self.expected_red_mud_per_year,
            self.owned_capacity_per_year,
            self.contracted_capacity_per_year,
        )
    }
}

/// What a standard project states (标准信息): who issues it, who drafts it, what it covers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StandardSpec {
    /// Group / industry / local / national.
    pub standard_type: StandardType,
    /// The drafting body (起草单位 / 归口单位), e.g. 贵州省有色金属和核工业地质勘查局 or an
    /// association.
    pub drafting_body: String,
    /// What it covers.
    pub scope: StandardScope,
}

/// A standard's publication (发布).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Publication {
    /// The standard's number (标准编号), e.g. `T/GZSX 001—2026`.
    pub number: String,
    /// Date published.
    pub published_on: NaiveDate,
}

/// What a project proposal states (项目申报内容).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProjectProposal {
    /// Project name.
    pub name: String,
    /// Kind.
    pub kind: ProjectKind,
    /// The plan's main task it serves.
    pub task: PlanTask,
    /// The lead enterprise (牵头企业), an Enterprise aggregate id.
    pub lead_enterprise_id: Uuid,
    /// Where it is built (a prefecture or county).
    pub region: Region,
    /// Utilization routes it serves.
    pub routes: BTreeSet<UtilizationRoute>,
    /// Planned utilization capacity, t/yr (zero for kinds that build none).
    pub planned_capacity_per_year: Kg,
    /// Budget (总投资).
    pub budget: Fen,
    /// Responsible units (责任单位), e.g. 省工业和信息化厅.
    pub responsible_units: Vec<String>,
    /// Planned start of construction.
    pub planned_start: NaiveDate,
    /// Planned completion.
    pub planned_end: NaiveDate,
    /// 产用挂钩 statement: required for new or expanded alumina projects, absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matching_capacity: Option<MatchingCapacity>,
    /// Standard data: required for [`ProjectKind::Standard`], absent otherwise (absent in events
    /// written before standards existed, which read as `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<StandardSpec>,
}

/// When a tranche of an award may be disbursed (拨付条件).
///
/// Serde: an object tagged by `"on"`, e.g. `{"on": "construction_started"}`,
/// `{"on": "milestone_achieved", "milestone_id": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "on", rename_all = "snake_case", deny_unknown_fields)]
pub enum TrancheCondition {
    /// Once the project is approved (批复后).
    Approval,
    /// Once construction has started (开工后).
    ConstructionStarted,
    /// Once a planned milestone is achieved, e.g. the mid-term check (中期检查).
    MilestoneAchieved {
        /// The milestone.
        milestone_id: Uuid,
    },
    /// Once capacity has been commissioned (建成投产后).
    Commissioned,
    /// Once the project is accepted (验收后).
    Accepted,
}

/// One tranche of an award as awarded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TrancheTerm {
    /// When it may be disbursed.
    pub condition: TrancheCondition,
    /// How much.
    pub amount: Fen,
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/// The construction lifecycle's commands, refused for a standard
/// ([`ProjectError::NotForStandards`]).
pub const CONSTRUCTION_COMMANDS: [&str; 8] = [
    "ApproveProject",
    "StartConstruction",
    "CommissionCapacity",
    "AcceptProject",
    "FailAcceptance",
    "SuspendProject",
    "ResumeProject",
    "CancelProject",
];

/// The standard lifecycle's commands, refused for any other kind ([`ProjectError::NotAStandard`]).
pub const STANDARD_COMMANDS: [&str; 4] = [
    "OpenConsultation",
    "ApproveStandard",
    "PublishStandard",
    "WithdrawStandard",
];

/// Whether a project command (by name) applies to a project of `kind`: the construction
/// commands not to standards, the standard commands only to standards, every other command to
/// any kind.
pub fn command_applies_to(command: &str, kind: ProjectKind) -> bool {
    if kind.is_standard() {
        !CONSTRUCTION_COMMANDS.contains(&command)
    } else {
        !STANDARD_COMMANDS.contains(&command)
    }
}

/// What a user asks of a project.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "command")]
pub enum ProjectCommand {
    /// Propose the project (申报).
    ProposeProject {
        /// The new aggregate's id (chosen by the caller).
        project_id: Uuid,
        /// What is proposed.
        proposal: ProjectProposal,
        /// Date proposed.
        proposed_on: NaiveDate,
    },
    /// Approve it (批复 / 立项).
    ApproveProject {
        /// Date approved.
        approved_on: NaiveDate,
        /// Reference of the approval document (批复文号).
        document: String,
    },
    /// Start construction (开工).
    StartConstruction {
        /// Date started.
        started_on: NaiveDate,
    },
    /// Plan a milestone (里程碑节点).
    PlanMilestone {
        /// The milestone's id (chosen by the caller).
        milestone_id: Uuid,
        /// What it is, e.g. "中期检查".
        name: String,
        /// Planned date.
        planned_on: NaiveDate,
    },
    /// Mark a planned milestone achieved.
    AchieveMilestone {
        /// The milestone.
        milestone_id: Uuid,
        /// Actual date.
        achieved_on: NaiveDate,
        /// Evidence (a document reference or description).
        evidence: String,
    },
    /// Commission utilization capacity (建成投产; a later call adds a phase).
    CommissionCapacity {
        /// Capacity commissioned, t/yr.
        capacity_per_year: Kg,
        /// Date commissioned.
        commissioned_on: NaiveDate,
    },
    /// Accept the project (验收通过).
    AcceptProject {
        /// Date accepted.
        accepted_on: NaiveDate,
        /// Reference of the acceptance opinion (验收意见).
        document: String,
    },
    /// Fail the acceptance (验收不通过).
    FailAcceptance {
        /// Date decided.
        failed_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Suspend the project (暂停).
    SuspendProject {
        /// Date suspended.
        suspended_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Resume a suspended project.
    ResumeProject {
        /// Date resumed.
        resumed_on: NaiveDate,
    },
    /// Cancel the project (终止).
    CancelProject {
        /// Date cancelled.
        cancelled_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Award funding (资金下达).
    AwardFunding {
        /// The award's id (chosen by the caller).
        award_id: Uuid,
        /// Where the money comes from.
        source: FundingSource,
        /// The programme (资金项目 / 专项名称).
        programme: String,
        /// Amount awarded.
        amount: Fen,
        /// Tranches, in order; their amounts sum exactly to `amount`.
        tranches: Vec<TrancheTerm>,
        /// Date awarded.
        awarded_on: NaiveDate,
    },
    /// Disburse one tranche of an award, in full (拨付).
    DisburseTranche {
        /// The award.
        award_id: Uuid,
        /// The tranche's number within the award (1, 2, …).
        tranche: u32,
        /// Date disbursed.
        disbursed_on: NaiveDate,
    },
    /// Recover (claw back) disbursed funds (追回).
    RecoverFunding {
        /// The award.
        award_id: Uuid,
        /// Amount recovered.
        amount: Fen,
        /// Date recovered.
        recovered_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// A standard: put the draft out for consultation (征求意见).
    OpenConsultation {
        /// Date opened.
        opened_on: NaiveDate,
    },
    /// A standard: approve it (批准).
    ApproveStandard {
        /// Date approved.
        approved_on: NaiveDate,
        /// Reference of the approval (批准文件).
        document: String,
    },
    /// A standard: publish it (发布) with its number.
    PublishStandard {
        /// Date published.
        published_on: NaiveDate,
        /// The standard's number (标准编号).
        number: String,
    },
    /// A standard: withdraw it (撤回) before publication.
    WithdrawStandard {
        /// Date withdrawn.
        withdrawn_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Recommend the project as a typical case (典型案例推荐).
    RecommendTypicalCase {
        /// Date recommended.
        recommended_on: NaiveDate,
        /// What makes it typical.
        summary: String,
    },
    /// Withdraw the typical-case recommendation.
    WithdrawTypicalCase {
        /// Date withdrawn.
        withdrawn_on: NaiveDate,
        /// Why.
        reason: String,
    },
}

impl ProjectCommand {
    /// The command's name, as used in errors.
    pub fn name(&self) -> &'static str {
        match self {
            ProjectCommand::ProposeProject { .. } => "ProposeProject",
            ProjectCommand::ApproveProject { .. } => "ApproveProject",
            ProjectCommand::StartConstruction { .. } => "StartConstruction",
            ProjectCommand::PlanMilestone { .. } => "PlanMilestone",
            ProjectCommand::AchieveMilestone { .. } => "AchieveMilestone",
            ProjectCommand::CommissionCapacity { .. } => "CommissionCapacity",
            ProjectCommand::AcceptProject { .. } => "AcceptProject",
            ProjectCommand::FailAcceptance { .. } => "FailAcceptance",
            ProjectCommand::SuspendProject { .. } => "SuspendProject",
            ProjectCommand::ResumeProject { .. } => "ResumeProject",
            ProjectCommand::CancelProject { .. } => "CancelProject",
            ProjectCommand::AwardFunding { .. } => "AwardFunding",
            ProjectCommand::DisburseTranche { .. } => "DisburseTranche",
            ProjectCommand::RecoverFunding { .. } => "RecoverFunding",
            ProjectCommand::OpenConsultation { .. } => "OpenConsultation",
            ProjectCommand::ApproveStandard { .. } => "ApproveStandard",
            ProjectCommand::PublishStandard { .. } => "PublishStandard",
            ProjectCommand::WithdrawStandard { .. } => "WithdrawStandard",
            ProjectCommand::RecommendTypicalCase { .. } => "RecommendTypicalCase",
            ProjectCommand::WithdrawTypicalCase { .. } => "WithdrawTypicalCase",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/// The project was proposed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProjectProposed {
    /// Aggregate id.
    pub project_id: Uuid,
    /// What was proposed.
    pub proposal: ProjectProposal,
    /// Date proposed.
    pub proposed_on: NaiveDate,
}

/// The project was approved.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProjectApproved {
    /// Date approved.
    pub approved_on: NaiveDate,
    /// Approval document.
    pub document: String,
}

/// Construction started.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProjectConstructionStarted {
    /// Date started.
    pub started_on: NaiveDate,
}

/// A milestone was planned.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProjectMilestonePlanned {
    /// Milestone id.
    pub milestone_id: Uuid,
    /// Name.
    pub name: String,
    /// Planned date.
    pub planned_on: NaiveDate,
}

/// A milestone was achieved.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProjectMilestoneAchieved {
    /// Milestone id.
    pub milestone_id: Uuid,
    /// Actual date.
    pub achieved_on: NaiveDate,
    /// Evidence.
    pub evidence: String,
}

/// Capacity was commissioned (the first commissioning puts the project into operation).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProjectCapacityCommissioned {
    /// Capacity commissioned, t/yr.
    pub capacity_per_year: Kg,
    /// Date commissioned.
    pub commissioned_on: NaiveDate,
}

/// The project was accepted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProjectAccepted {
    /// Date accepted.
    pub accepted_on: NaiveDate,
    /// Acceptance opinion.
    pub document: String,
}

/// The project failed acceptance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProjectAcceptanceFailed {
    /// Date decided.
    pub failed_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// The project was suspended.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProjectSuspended {
    /// Date suspended.
    pub suspended_on: NaiveDate,
    /// The state it was suspended from (and resumes to).
    pub suspended_from: ProjectStatus,
    /// Why.
    pub reason: String,
}

/// The project was resumed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProjectResumed {
    /// Date resumed.
    pub resumed_on: NaiveDate,
    /// The state it resumed to.
    pub resumed_to: ProjectStatus,
}

/// The project was cancelled.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProjectCancelled {
    /// Date cancelled.
    pub cancelled_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// Funding was awarded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FundingAwarded {
    /// Award id.
    pub award_id: Uuid,
    /// Source.
    pub source: FundingSource,
    /// Programme.
    pub programme: String,
    /// Amount.
    pub amount: Fen,
    /// Tranches.
    pub tranches: Vec<TrancheTerm>,
    /// Date awarded.
    pub awarded_on: NaiveDate,
}

/// A tranche was disbursed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FundingTrancheDisbursed {
    /// Award id.
    pub award_id: Uuid,
    /// Tranche number (1, 2, …).
    pub tranche: u32,
    /// Amount (the tranche's).
    pub amount: Fen,
    /// Date disbursed.
    pub disbursed_on: NaiveDate,
}

/// Disbursed funds were recovered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FundingRecovered {
    /// Award id.
    pub award_id: Uuid,
    /// Amount.
    pub amount: Fen,
    /// Date recovered.
    pub recovered_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// A standard's draft went out for consultation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StandardConsultationOpened {
    /// Date opened.
    pub opened_on: NaiveDate,
}

/// A standard was approved.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StandardApproved {
    /// Date approved.
    pub approved_on: NaiveDate,
    /// Approval document.
    pub document: String,
}

/// A standard was published.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StandardPublished {
    /// Date published.
    pub published_on: NaiveDate,
    /// The standard's number.
    pub number: String,
}

/// A standard was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StandardWithdrawn {
    /// Date withdrawn.
    pub withdrawn_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// The project was recommended as a typical case.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProjectTypicalCaseRecommended {
    /// Date recommended.
    pub recommended_on: NaiveDate,
    /// Summary.
    pub summary: String,
}

/// The project's typical-case recommendation was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProjectTypicalCaseWithdrawn {
    /// Date withdrawn.
    pub withdrawn_on: NaiveDate,
    /// Why.
    pub reason: String,
}

fn date(d: NaiveDate) -> Option<String> {
    Some(d.to_string())
}

impl EventPayload for ProjectProposed {
    fn effective(&self) -> Option<String> {
        date(self.proposed_on)
    }
}
impl EventPayload for ProjectApproved {
    fn effective(&self) -> Option<String> {
        date(self.approved_on)
    }
}
impl EventPayload for ProjectConstructionStarted {
    fn effective(&self) -> Option<String> {
        date(self.started_on)
    }
}
impl EventPayload for ProjectMilestonePlanned {
    fn effective(&self) -> Option<String> {
        date(self.planned_on)
    }
}
impl EventPayload for ProjectMilestoneAchieved {
    fn effective(&self) -> Option<String> {
        date(self.achieved_on)
    }
}
impl EventPayload for ProjectCapacityCommissioned {
    fn effective(&self) -> Option<String> {
        date(self.commissioned_on)
    }
}
impl EventPayload for ProjectAccepted {
    fn effective(&self) -> Option<String> {
        date(self.accepted_on)
    }
}
impl EventPayload for ProjectAcceptanceFailed {
    fn effective(&self) -> Option<String> {
        date(self.failed_on)
    }
}
impl EventPayload for ProjectSuspended {
    fn effective(&self) -> Option<String> {
        date(self.suspended_on)
    }
}
impl EventPayload for ProjectResumed {
    fn effective(&self) -> Option<String> {
        date(self.resumed_on)
    }
}
impl EventPayload for ProjectCancelled {
    fn effective(&self) -> Option<String> {
        date(self.cancelled_on)
    }
}
impl EventPayload for FundingAwarded {
    fn effective(&self) -> Option<String> {
        date(self.awarded_on)
    }
}
impl EventPayload for FundingTrancheDisbursed {
    fn effective(&self) -> Option<String> {
        date(self.disbursed_on)
    }
}
impl EventPayload for FundingRecovered {
    fn effective(&self) -> Option<String> {
        date(self.recovered_on)
    }
}
impl EventPayload for StandardConsultationOpened {
    fn effective(&self) -> Option<String> {
        date(self.opened_on)
    }
}
impl EventPayload for StandardApproved {
    fn effective(&self) -> Option<String> {
        date(self.approved_on)
    }
}
impl EventPayload for StandardPublished {
    fn effective(&self) -> Option<String> {
        date(self.published_on)
    }
}
impl EventPayload for StandardWithdrawn {
    fn effective(&self) -> Option<String> {
        date(self.withdrawn_on)
    }
}
impl EventPayload for ProjectTypicalCaseRecommended {
    fn effective(&self) -> Option<String> {
        date(self.recommended_on)
    }
}
impl EventPayload for ProjectTypicalCaseWithdrawn {
    fn effective(&self) -> Option<String> {
        date(self.withdrawn_on)
    }
}

domain_events! {
    /// What happened to a project.
    pub enum ProjectEvent in "project" {
        /// See [`ProjectProposed`].
        Proposed(ProjectProposed) = "ProjectProposed",
        /// See [`ProjectApproved`].
        Approved(ProjectApproved) = "ProjectApproved",
        /// See [`ProjectConstructionStarted`].
        ConstructionStarted(ProjectConstructionStarted) = "ProjectConstructionStarted",
        /// See [`ProjectMilestonePlanned`].
        MilestonePlanned(ProjectMilestonePlanned) = "ProjectMilestonePlanned",
        /// See [`ProjectMilestoneAchieved`].
        MilestoneAchieved(ProjectMilestoneAchieved) = "ProjectMilestoneAchieved",
        /// See [`ProjectCapacityCommissioned`].
        CapacityCommissioned(ProjectCapacityCommissioned) = "ProjectCapacityCommissioned",
        /// See [`ProjectAccepted`].
        Accepted(ProjectAccepted) = "ProjectAccepted",
        /// See [`ProjectAcceptanceFailed`].
        AcceptanceFailed(ProjectAcceptanceFailed) = "ProjectAcceptanceFailed",
        /// See [`ProjectSuspended`].
        Suspended(ProjectSuspended) = "ProjectSuspended",
        /// See [`ProjectResumed`].
        Resumed(ProjectResumed) = "ProjectResumed",
        /// See [`ProjectCancelled`].
        Cancelled(ProjectCancelled) = "ProjectCancelled",
        /// See [`FundingAwarded`].
        FundingAwarded(FundingAwarded) = "FundingAwarded",
        /// See [`FundingTrancheDisbursed`].
        FundingTrancheDisbursed(FundingTrancheDisbursed) = "FundingTrancheDisbursed",
        /// See [`FundingRecovered`].
        FundingRecovered(FundingRecovered) = "FundingRecovered",
        /// See [`StandardConsultationOpened`].
        StandardConsultationOpened(StandardConsultationOpened) = "StandardConsultationOpened",
        /// See [`StandardApproved`].
        StandardApproved(StandardApproved) = "StandardApproved",
        /// See [`StandardPublished`].
        StandardPublished(StandardPublished) = "StandardPublished",
        /// See [`StandardWithdrawn`].
        StandardWithdrawn(StandardWithdrawn) = "StandardWithdrawn",
        /// See [`ProjectTypicalCaseRecommended`].
        TypicalCaseRecommended(ProjectTypicalCaseRecommended) = "ProjectTypicalCaseRecommended",
        /// See [`ProjectTypicalCaseWithdrawn`].
        TypicalCaseWithdrawn(ProjectTypicalCaseWithdrawn) = "ProjectTypicalCaseWithdrawn",
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why a project command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum ProjectError {
    /// The command is not allowed in the project's lifecycle state.
    #[error("{command} is not allowed while the project is {state}")]
    InvalidTransition {
        /// Current state.
        state: ProjectStatus,
        /// The command refused.
        command: &'static str,
    },
    /// A reason was required.
    #[error(transparent)]
    BlankReason(#[from] BlankReason),
    /// A date earlier than an act it must follow.
    #[error("{command} dated {date} precedes {earlier} on {earlier_on}")]
    DateBefore {
        /// The command.
        command: &'static str,
        /// Its date.
        date: NaiveDate,
        /// What it must not precede, e.g. "the last status change".
        earlier: &'static str,
        /// That act's date.
        earlier_on: NaiveDate,
    },
    /// The name is empty or blank.
    #[error("the project name must not be blank")]
    BlankName,
    /// The region is the whole province.
    #[error("a project is built in a prefecture or county, not in {region} (the whole province)")]
    RegionNotWithinPrefecture {
        /// The region given.
        region: Region,
    },
    /// No responsible unit.
    #[error("a project needs at least one responsible unit")]
    NoResponsibleUnits,
    /// A blank responsible unit.
    #[error("responsible unit {index} is blank")]
    BlankResponsibleUnit {
        /// 0-based index.
        index: usize,
    },
    /// A zero budget.
    #[error("a project's budget must be non-zero")]
    ZeroBudget,
    /// Planned end before planned start.
    #[error("planned end {planned_end} is before planned start {planned_start}")]
    PlannedEndBeforeStart {
        /// Planned start.
        planned_start: NaiveDate,
        /// Planned end.
        planned_end: NaiveDate,
    },
    /// A capacity-building project without routes.
    #[error("a {kind} project must name at least one utilization route")]
    NoRoutes {
        /// The kind.
        kind: ProjectKind,
    },
    /// A capacity-building project without planned capacity.
    #[error("a {kind} project must plan a non-zero utilization capacity")]
    NoPlannedCapacity {
        /// The kind.
        kind: ProjectKind,
    },
    /// 产用挂钩: an alumina project without (or with zero) matching capacity.
    #[error(
        "a new or expanded alumina project must state the red mud utilization capacity it brings (产用挂钩)"
    )]
    MatchingCapacityMissing,
    /// 产用挂钩: an alumina project stating no expected red mud.
    #[error("a new or expanded alumina project must state the red mud it is expected to generate")]
    ExpectedRedMudMissing,
    /// A matching capacity statement on a project that is not an alumina project.
    #[error("only new or expanded alumina projects state matching capacity, not a {kind} project")]
    MatchingCapacityNotApplicable {
        /// The kind.
        kind: ProjectKind,
    },
    /// A blank document reference.
    #[error("{command} needs the reference of its document")]
    BlankDocument {
        /// The command.
        command: &'static str,
    },
    /// Milestone id reused.
    #[error("milestone {milestone_id} is already planned")]
    DuplicateMilestone {
        /// The id.
        milestone_id: Uuid,
    },
    /// Blank milestone name.
    #[error("a milestone needs a name")]
    BlankMilestoneName,
    /// No such milestone.
    #[error("no milestone {milestone_id} is planned")]
    UnknownMilestone {
        /// The id.
        milestone_id: Uuid,
    },
    /// Milestone achieved twice.
    #[error("milestone {milestone_id} was already achieved on {achieved_on}")]
    MilestoneAlreadyAchieved {
        /// The id.
        milestone_id: Uuid,
        /// When.
        achieved_on: NaiveDate,
    },
    /// Achievement without evidence.
    #[error("an achieved milestone needs evidence")]
    BlankEvidence,
    /// Acceptance while milestones are outstanding.
    #[error("the project cannot be accepted while milestones {milestone_ids:?} are not achieved")]
    MilestonesNotAchieved {
        /// The outstanding milestones.
        milestone_ids: Vec<Uuid>,
    },
    /// A zero commissioning where capacity is planned or already in operation.
    #[error(
        "commissioned capacity must be non-zero (planned {planned_per_year}/yr, {commissioned_per_year}/yr already commissioned)"
    )]
    ZeroCapacityCommissioned {
        /// Planned capacity.
        planned_per_year: Kg,
        /// Already commissioned.
        commissioned_per_year: Kg,
    },
    /// Award id reused.
    #[error("award {award_id} already exists")]
    DuplicateAward {
        /// The id.
        award_id: Uuid,
    },
    /// Blank programme.
    #[error("an award needs its programme")]
    BlankProgramme,
    /// Zero award.
    #[error("an award must be for a non-zero amount")]
    ZeroAward,
    /// Awards beyond the budget.
    #[error(
        "awarding {requested} would bring awards to more than the budget of {budget} ({already_awarded} already awarded)"
    )]
    AwardsExceedBudget {
        /// Budget.
        budget: Fen,
        /// Already awarded.
        already_awarded: Fen,
        /// Requested.
        requested: Fen,
    },
    /// No tranches.
    #[error("an award needs at least one tranche")]
    NoTranches,
    /// A zero tranche.
    #[error("tranche {tranche} is for zero")]
    ZeroTranche {
        /// Tranche number (1-based).
        tranche: u32,
    },
    /// Tranches not summing to the award.
    #[error("the tranches sum to {tranche_total}, not the award of {amount}")]
    TranchesDoNotSumToAward {
        /// Award.
        amount: Fen,
        /// Sum of the tranches.
        tranche_total: Fen,
    },
    /// No such award.
    #[error("no award {award_id}")]
    UnknownAward {
        /// The id.
        award_id: Uuid,
    },
    /// No such tranche.
    #[error("award {award_id} has no tranche {tranche} (it has {tranches})")]
    UnknownTranche {
        /// Award.
        award_id: Uuid,
        /// The tranche asked for.
        tranche: u32,
        /// How many it has.
        tranches: u32,
    },
    /// Tranche disbursed twice.
    #[error("tranche {tranche} of award {award_id} was already disbursed on {disbursed_on}")]
    TrancheAlreadyDisbursed {
        /// Award.
        award_id: Uuid,
        /// Tranche.
        tranche: u32,
        /// When.
        disbursed_on: NaiveDate,
    },
    /// The tranche's condition does not hold.
    #[error("tranche {tranche} of award {award_id} waits for {condition:?}")]
    TrancheConditionNotMet {
        /// Award.
        award_id: Uuid,
        /// Tranche.
        tranche: u32,
        /// Its condition.
        condition: TrancheCondition,
    },
    /// Disbursing beyond the award.
    #[error(
        "disbursing {requested} would exceed the award of {awarded} ({already_disbursed} already disbursed)"
    )]
    DisbursementExceedsAward {
        /// Award.
        awarded: Fen,
        /// Already disbursed.
        already_disbursed: Fen,
        /// Requested.
        requested: Fen,
    },
    /// Recovering zero.
    #[error("a recovery must be for a non-zero amount")]
    ZeroRecovery,
    /// Recovering more than disbursed net of earlier recoveries.
    #[error(
        "recovering {requested} would exceed the {disbursed} disbursed ({already_recovered} already recovered)"
    )]
    RecoveryExceedsDisbursed {
        /// Disbursed.
        disbursed: Fen,
        /// Already recovered.
        already_recovered: Fen,
        /// Requested.
        requested: Fen,
    },
    /// A standard proposed without its standard data.
    #[error("a standard project must state its type, drafting body and scope")]
    StandardSpecMissing,
    /// Standard data on a project that is not a standard.
    #[error("only standard projects state standard data, not a {kind} project")]
    StandardSpecNotApplicable {
        /// The kind.
        kind: ProjectKind,
    },
    /// A blank drafting body.
    #[error("a standard needs its drafting body")]
    BlankDraftingBody,
    /// A standard command on a project that is not a standard.
    #[error("{command} applies to standards only, not to a {kind} project")]
    NotAStandard {
        /// The project's kind.
        kind: ProjectKind,
        /// The command refused.
        command: &'static str,
    },
    /// A construction command on a standard.
    #[error("{command} does not apply to a standard (use the standard lifecycle)")]
    NotForStandards {
        /// The command refused.
        command: &'static str,
    },
    /// Publication without the standard's number.
    #[error("a published standard needs its number (标准编号)")]
    BlankStandardNumber,
    /// A typical case without a summary.
    #[error("a typical case needs a summary")]
    BlankCaseSummary,
    /// Recommended again while the recommendation stands.
    #[error("already recommended as a typical case on {recommended_on}")]
    AlreadyTypicalCase {
        /// When it was recommended.
        recommended_on: NaiveDate,
    },
    /// Withdrawing a recommendation that does not stand.
    #[error("the project is not a recommended typical case")]
    NotTypicalCase,
    /// Mass arithmetic.
    #[error(transparent)]
    Mass(#[from] MassError),
    /// Money arithmetic.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

crate::aggregate::error_rules!(ProjectError {
    InvalidTransition,
    BlankReason,
    DateBefore,
    BlankName,
    RegionNotWithinPrefecture,
    NoResponsibleUnits,
    BlankResponsibleUnit,
    ZeroBudget,
    PlannedEndBeforeStart,
    NoRoutes,
    NoPlannedCapacity,
    MatchingCapacityMissing,
    ExpectedRedMudMissing,
    MatchingCapacityNotApplicable,
    BlankDocument,
    DuplicateMilestone,
    BlankMilestoneName,
    UnknownMilestone,
    MilestoneAlreadyAchieved,
    BlankEvidence,
    MilestonesNotAchieved,
    ZeroCapacityCommissioned,
    DuplicateAward,
    BlankProgramme,
    ZeroAward,
    AwardsExceedBudget,
    NoTranches,
    ZeroTranche,
    TranchesDoNotSumToAward,
    UnknownAward,
    UnknownTranche,
    TrancheAlreadyDisbursed,
    TrancheConditionNotMet,
    DisbursementExceedsAward,
    ZeroRecovery,
    RecoveryExceedsDisbursed,
    StandardSpecMissing,
    StandardSpecNotApplicable,
    BlankDraftingBody,
    NotAStandard,
    NotForStandards,
    BlankStandardNumber,
    BlankCaseSummary,
    AlreadyTypicalCase,
    NotTypicalCase,
    Mass,
    Money
});

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/// A milestone as it stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Milestone {
    /// Name.
    pub name: String,
    /// Planned date.
    pub planned_on: NaiveDate,
    /// Actual date, once achieved.
    pub achieved_on: Option<NaiveDate>,
    /// Evidence, once achieved.
    pub evidence: Option<String>,
}

/// A tranche as it stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Tranche {
    /// When it may be disbursed.
    pub condition: TrancheCondition,
    /// Amount.
    pub amount: Fen,
    /// Date disbursed, once disbursed.
    pub disbursed_on: Option<NaiveDate>,
}

/// An award as it stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Award {
    /// Source.
    pub source: FundingSource,
    /// Programme.
    pub programme: String,
    /// Amount awarded.
    pub amount: Fen,
    /// Tranches, in order (tranche n is index n − 1).
    pub tranches: Vec<Tranche>,
    /// Date awarded.
    pub awarded_on: NaiveDate,
    /// Amount disbursed so far.
    pub disbursed: Fen,
    /// Amount recovered so far.
    pub recovered: Fen,
}

impl Award {
    /// This award's money as a funding line.
    pub fn line(&self) -> FundingLine {
        FundingLine {
            awarded: self.amount,
            disbursed: self.disbursed,
            recovered: self.recovered,
        }
    }

    /// The earliest disbursement date, if any tranche was disbursed.
    pub fn first_disbursed_on(&self) -> Option<NaiveDate> {
        self.tranches.iter().filter_map(|t| t.disbursed_on).min()
    }
}

/// The Project aggregate's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Project {
    status: ProjectStatus,
    id: Option<Uuid>,
    proposal: Option<ProjectProposal>,
    proposed_on: Option<NaiveDate>,
    approved_on: Option<NaiveDate>,
    construction_started_on: Option<NaiveDate>,
    first_commissioned_on: Option<NaiveDate>,
    accepted_on: Option<NaiveDate>,
    last_transition_on: Option<NaiveDate>,
    suspended_from: Option<ProjectStatus>,
    milestones: BTreeMap<Uuid, Milestone>,
    commissioned_per_year: Kg,
    awards: BTreeMap<Uuid, Award>,
    #[serde(default)]
    consultation_opened_on: Option<NaiveDate>,
    #[serde(default)]
    publication: Option<Publication>,
    #[serde(default)]
    withdrawn: Option<StandardWithdrawn>,
    #[serde(default)]
    typical_case: Option<TypicalCase>,
}

impl Project {
    /// Lifecycle state.
    pub fn status(&self) -> ProjectStatus {
        self.status
    }
    /// Aggregate id, once proposed.
    pub fn id(&self) -> Option<Uuid> {
        self.id
    }
    /// What was proposed.
    pub fn proposal(&self) -> Option<&ProjectProposal> {
        self.proposal.as_ref()
    }
    /// Date proposed.
    pub fn proposed_on(&self) -> Option<NaiveDate> {
        self.proposed_on
    }
    /// Date approved.
    pub fn approved_on(&self) -> Option<NaiveDate> {
        self.approved_on
    }
    /// Date construction started.
    pub fn construction_started_on(&self) -> Option<NaiveDate> {
        self.construction_started_on
    }
    /// Date capacity was first commissioned.
    pub fn first_commissioned_on(&self) -> Option<NaiveDate> {
        self.first_commissioned_on
    }
    /// Date accepted.
    pub fn accepted_on(&self) -> Option<NaiveDate> {
        self.accepted_on
    }
    /// While suspended: the state it resumes to.
    pub fn suspended_from(&self) -> Option<ProjectStatus> {
        self.suspended_from
    }
    /// Milestones by id.
    pub fn milestones(&self) -> &BTreeMap<Uuid, Milestone> {
        &self.milestones
    }
    /// Capacity commissioned so far, t/yr.
    pub fn commissioned_per_year(&self) -> Kg {
        self.commissioned_per_year
    }
    /// Awards by id.
    pub fn awards(&self) -> &BTreeMap<Uuid, Award> {
        &self.awards
    }
    /// Whether the project is a standard.
    pub fn is_standard(&self) -> bool {
        self.proposal.as_ref().is_some_and(|p| p.kind.is_standard())
    }
    /// A standard's data.
    pub fn standard(&self) -> Option<&StandardSpec> {
        self.proposal.as_ref().and_then(|p| p.standard.as_ref())
    }
    /// A standard: date its draft went out for consultation.
    pub fn consultation_opened_on(&self) -> Option<NaiveDate> {
        self.consultation_opened_on
    }
    /// A standard: its publication, once published.
    pub fn publication(&self) -> Option<&Publication> {
        self.publication.as_ref()
    }
    /// A standard: its withdrawal, once withdrawn.
    pub fn withdrawal(&self) -> Option<&StandardWithdrawn> {
        self.withdrawn.as_ref()
    }
    /// The typical-case recommendation, standing or withdrawn (the latest).
    pub fn typical_case(&self) -> Option<&TypicalCase> {
        self.typical_case.as_ref()
    }
    /// 产用挂钩 coverage, for a project that states matching capacity.
    pub fn matching_coverage(&self) -> Result<Option<MatchingCoverage>, MassError> {
        self.proposal
            .as_ref()
            .and_then(|p| p.matching_capacity)
            .map(|m| m.coverage())
            .transpose()
    }
    /// Funding balances over all awards (see [`rules::funding_balances`]).
    pub fn funding_balances(&self) -> Result<FundingBalances, MoneyError> {
        rules::funding_balances(self.awards.values().map(Award::line))
    }
    /// Funding balances per source.
    pub fn funding_by_source(
        &self,
    ) -> Result<BTreeMap<FundingSource, FundingBalances>, MoneyError> {
        let mut lines: BTreeMap<FundingSource, Vec<FundingLine>> = BTreeMap::new();
        for award in self.awards.values() {
            lines.entry(award.source).or_default().push(award.line());
        }
        lines
            .into_iter()
            .map(|(source, l)| rules::funding_balances(l).map(|b| (source, b)))
            .collect()
    }
    /// Whether a tranche condition holds now.
    pub fn condition_holds(&self, condition: &TrancheCondition) -> bool {
        match condition {
            TrancheCondition::Approval => self.approved_on.is_some(),
            TrancheCondition::ConstructionStarted => self.construction_started_on.is_some(),
            TrancheCondition::MilestoneAchieved { milestone_id } => self
                .milestones
                .get(milestone_id)
                .is_some_and(|m| m.achieved_on.is_some()),
            TrancheCondition::Commissioned => self.first_commissioned_on.is_some(),
            TrancheCondition::Accepted => self.accepted_on.is_some(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Decide
// ---------------------------------------------------------------------------------------------

type Decision = Result<Vec<ProjectEvent>, ProjectError>;

fn one(event: impl Into<ProjectEvent>) -> Decision {
    Ok(vec![event.into()])
}

fn require_document(document: &str, command: &'static str) -> Result<(), ProjectError> {
    if document.trim().is_empty() {
        Err(ProjectError::BlankDocument { command })
    } else {
        Ok(())
    }
}

fn check_proposal(p: &ProjectProposal) -> Result<(), ProjectError> {
    if p.name.trim().is_empty() {
        return Err(ProjectError::BlankName);
    }
    if p.region == Region::Province {
        return Err(ProjectError::RegionNotWithinPrefecture { region: p.region });
    }
    if p.responsible_units.is_empty() {
        return Err(ProjectError::NoResponsibleUnits);
    }
    if let Some(index) = p.responsible_units.iter().position(|u| u.trim().is_empty()) {
        return Err(ProjectError::BlankResponsibleUnit { index });
    }
    if p.budget.is_zero() {
        return Err(ProjectError::ZeroBudget);
    }
    if p.planned_end < p.planned_start {
        return Err(ProjectError::PlannedEndBeforeStart {
            planned_start: p.planned_start,
            planned_end: p.planned_end,
        });
    }
    if p.kind.builds_capacity() {
        if p.routes.is_empty() {
            return Err(ProjectError::NoRoutes { kind: p.kind });
        }
        if p.planned_capacity_per_year.is_zero() {
            return Err(ProjectError::NoPlannedCapacity { kind: p.kind });
        }
    }
    match (p.kind, &p.standard) {
        (ProjectKind::Standard, None) => return Err(ProjectError::StandardSpecMissing),
        (ProjectKind::Standard, Some(spec)) if spec.drafting_body.trim().is_empty() => {
            return Err(ProjectError::BlankDraftingBody);
        }
        (ProjectKind::Standard, Some(_)) => {}
        (kind, Some(_)) => return Err(ProjectError::StandardSpecNotApplicable { kind }),
        (_, None) => {}
    }
    match (p.kind, p.matching_capacity) {
        (ProjectKind::NewOrExpandedAlumina, None) => Err(ProjectError::MatchingCapacityMissing),
        (ProjectKind::NewOrExpandedAlumina, Some(m)) => {
            if m.expected_red_mud_per_year.is_zero() {
                return Err(ProjectError::ExpectedRedMudMissing);
            }
            if m.coverage()?.capacity_per_year.is_zero() {
                return Err(ProjectError::MatchingCapacityMissing);
            }
            Ok(())
        }
        (kind, Some(_)) => Err(ProjectError::MatchingCapacityNotApplicable { kind }),
        (_, None) => Ok(()),
    }
}

/// The proposal as recorded: name and units trimmed.
fn normalized(p: &ProjectProposal) -> ProjectProposal {
    ProjectProposal {
        name: p.name.trim().to_owned(),
        responsible_units: p
            .responsible_units
            .iter()
            .map(|u| u.trim().to_owned())
            .collect(),
        standard: p.standard.as_ref().map(|spec| StandardSpec {
            drafting_body: spec.drafting_body.trim().to_owned(),
            ..spec.clone()
        }),
        ..p.clone()
    }
}

impl Project {
    fn require_in(
        &self,
        allowed: &[ProjectStatus],
        command: &'static str,
    ) -> Result<(), ProjectError> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(ProjectError::InvalidTransition {
                state: self.status,
                command,
            })
        }
    }

    fn require_exists(&self, command: &'static str) -> Result<(), ProjectError> {
        if self.status == ProjectStatus::NotProposed {
            Err(ProjectError::InvalidTransition {
                state: self.status,
                command,
            })
        } else {
            Ok(())
        }
    }

    fn require_standard(&self, command: &'static str) -> Result<(), ProjectError> {
        debug_assert!(STANDARD_COMMANDS.contains(&command), "{command}");
        self.require_exists(command)?;
        match &self.proposal {
            Some(p) if !p.kind.is_standard() => Err(ProjectError::NotAStandard {
                kind: p.kind,
                command,
            }),
            _ => Ok(()),
        }
    }

    fn require_not_before(
        command: &'static str,
        date: NaiveDate,
        earlier: &'static str,
        earlier_on: Option<NaiveDate>,
    ) -> Result<(), ProjectError> {
        match earlier_on {
            Some(earlier_on) if date < earlier_on => Err(ProjectError::DateBefore {
                command,
                date,
                earlier,
                earlier_on,
            }),
            _ => Ok(()),
        }
    }

    /// A lifecycle transition: allowed from `allowed`, dated no earlier than the last transition.
    fn transition(
        &self,
        allowed: &[ProjectStatus],
        command: &'static str,
        date: NaiveDate,
    ) -> Result<(), ProjectError> {
        self.require_in(allowed, command)?;
        Self::require_not_before(
            command,
            date,
            "the last status change",
            self.last_transition_on,
        )
    }

    fn award(&self, award_id: Uuid) -> Result<&Award, ProjectError> {
        self.awards
            .get(&award_id)
            .ok_or(ProjectError::UnknownAward { award_id })
    }

    fn planned_capacity(&self) -> Kg {
        self.proposal
            .as_ref()
            .map_or(Kg::ZERO, |p| p.planned_capacity_per_year)
    }

    fn budget(&self) -> Fen {
        self.proposal.as_ref().map_or(Fen::ZERO, |p| p.budget)
    }

    fn decide_commission(&self, capacity_per_year: Kg, commissioned_on: NaiveDate) -> Decision {
        use ProjectStatus as S;
        let command = "CommissionCapacity";
        self.transition(
            &[S::UnderConstruction, S::InOperation],
            command,
            commissioned_on,
        )?;
        let planned = self.planned_capacity();
        let first_without_plan = planned.is_zero() && self.status == S::UnderConstruction;
        if capacity_per_year.is_zero() && !first_without_plan {
            return Err(ProjectError::ZeroCapacityCommissioned {
                planned_per_year: planned,
                commissioned_per_year: self.commissioned_per_year,
            });
        }
        self.commissioned_per_year.checked_add(capacity_per_year)?;
        one(ProjectCapacityCommissioned {
            capacity_per_year,
            commissioned_on,
        })
    }

    fn decide_award(
        &self,
        award_id: Uuid,
        source: FundingSource,
        programme: &str,
        amount: Fen,
        tranches: &[TrancheTerm],
        awarded_on: NaiveDate,
    ) -> Decision {
        use ProjectStatus as S;
        let command = "AwardFunding";
        self.require_in(
            &[
                S::Proposed,
                S::Approved,
                S::UnderConstruction,
                S::InOperation,
                S::Accepted,
                S::Drafting,
                S::Consultation,
                S::Published,
            ],
            command,
        )?;
        Self::require_not_before(command, awarded_on, "the proposal", self.proposed_on)?;
        if self.awards.contains_key(&award_id) {
            return Err(ProjectError::DuplicateAward { award_id });
        }
        if programme.trim().is_empty() {
            return Err(ProjectError::BlankProgramme);
        }
        if amount.is_zero() {
            return Err(ProjectError::ZeroAward);
        }
        let already_awarded = Fen::sum(self.awards.values().map(|a| a.amount))?;
        let budget = self.budget();
        let exceeds = ProjectError::AwardsExceedBudget {
            budget,
            already_awarded,
            requested: amount,
        };
        if already_awarded
            .checked_add(amount)
            .map_err(|_| exceeds.clone())?
            > budget
        {
            return Err(exceeds);
        }
        if tranches.is_empty() {
            return Err(ProjectError::NoTranches);
        }
        for (number, term) in (1u32..).zip(tranches) {
            if term.amount.is_zero() {
                return Err(ProjectError::ZeroTranche { tranche: number });
            }
            if let TrancheCondition::MilestoneAchieved { milestone_id } = term.condition
                && !self.milestones.contains_key(&milestone_id)
            {
                return Err(ProjectError::UnknownMilestone { milestone_id });
            }
        }
        let tranche_total = Fen::sum(tranches.iter().map(|t| t.amount))?;
        if tranche_total != amount {
            return Err(ProjectError::TranchesDoNotSumToAward {
                amount,
                tranche_total,
            });
        }
        one(FundingAwarded {
            award_id,
            source,
            programme: programme.trim().to_owned(),
            amount,
            tranches: tranches.to_vec(),
            awarded_on,
        })
    }

    fn decide_disburse(&self, award_id: Uuid, tranche: u32, disbursed_on: NaiveDate) -> Decision {
        use ProjectStatus as S;
        let command = "DisburseTranche";
        self.require_in(
            &[
                S::Approved,
                S::UnderConstruction,
                S::InOperation,
                S::Accepted,
                S::Published,
            ],
            command,
        )?;
        let award = self.award(award_id)?;
        let count = u32::try_from(award.tranches.len()).unwrap_or(u32::MAX);
        let term = tranche
            .checked_sub(1)
            .and_then(|i| award.tranches.get(usize::try_from(i).ok()?))
            .ok_or(ProjectError::UnknownTranche {
                award_id,
                tranche,
                tranches: count,
            })?;
        if let Some(disbursed_on) = term.disbursed_on {
            return Err(ProjectError::TrancheAlreadyDisbursed {
                award_id,
                tranche,
                disbursed_on,
            });
        }
        Self::require_not_before(command, disbursed_on, "the approval", self.approved_on)?;
        Self::require_not_before(command, disbursed_on, "the award", Some(award.awarded_on))?;
        if !self.condition_holds(&term.condition) {
            return Err(ProjectError::TrancheConditionNotMet {
                award_id,
                tranche,
                condition: term.condition.clone(),
            });
        }
        let exceeds = ProjectError::DisbursementExceedsAward {
            awarded: award.amount,
            already_disbursed: award.disbursed,
            requested: term.amount,
        };
        let total = award
            .disbursed
            .checked_add(term.amount)
            .map_err(|_| exceeds.clone())?;
        if total > award.amount {
            return Err(exceeds);
        }
        one(FundingTrancheDisbursed {
            award_id,
            tranche,
            amount: term.amount,
            disbursed_on,
        })
    }

    fn decide_recover(
        &self,
        award_id: Uuid,
        amount: Fen,
        recovered_on: NaiveDate,
        reason: &str,
    ) -> Decision {
        let command = "RecoverFunding";
        if self.status == ProjectStatus::NotProposed {
            return Err(ProjectError::InvalidTransition {
                state: self.status,
                command,
            });
        }
        require_reason(reason, command)?;
        let award = self.award(award_id)?;
        if amount.is_zero() {
            return Err(ProjectError::ZeroRecovery);
        }
        let exceeds = ProjectError::RecoveryExceedsDisbursed {
            disbursed: award.disbursed,
            already_recovered: award.recovered,
            requested: amount,
        };
        let total = award
            .recovered
            .checked_add(amount)
            .map_err(|_| exceeds.clone())?;
        if total > award.disbursed {
            return Err(exceeds);
        }
        Self::require_not_before(
            command,
            recovered_on,
            "the first disbursement",
            award.first_disbursed_on(),
        )?;
        one(FundingRecovered {
            award_id,
            amount,
            recovered_on,
            reason: reason.to_owned(),
        })
    }
}

impl Aggregate for Project {
    const CATEGORY: &'static str = "project";
    type Command = ProjectCommand;
    type Event = ProjectEvent;
    type Error = ProjectError;

    fn decide(&self, command: &ProjectCommand) -> Decision {
        use ProjectCommand as C;
        use ProjectStatus as S;
        let name = command.name();
        if self.is_standard() && CONSTRUCTION_COMMANDS.contains(&name) {
            return Err(ProjectError::NotForStandards { command: name });
        }
        match command {
            C::ProposeProject {
                project_id,
                proposal,
                proposed_on,
            } => {
                self.require_in(&[S::NotProposed], name)?;
                check_proposal(proposal)?;
                one(ProjectProposed {
                    project_id: *project_id,
                    proposal: normalized(proposal),
                    proposed_on: *proposed_on,
                })
            }
            C::ApproveProject {
                approved_on,
                document,
            } => {
                self.transition(&[S::Proposed], name, *approved_on)?;
                require_document(document, name)?;
                one(ProjectApproved {
                    approved_on: *approved_on,
                    document: document.trim().to_owned(),
                })
            }
            C::StartConstruction { started_on } => {
                self.transition(&[S::Approved], name, *started_on)?;
                one(ProjectConstructionStarted {
                    started_on: *started_on,
                })
            }
            C::PlanMilestone {
                milestone_id,
                name: milestone_name,
                planned_on,
            } => {
                self.require_in(
                    &[
                        S::Proposed,
                        S::Approved,
                        S::UnderConstruction,
                        S::InOperation,
                        S::Drafting,
                        S::Consultation,
                    ],
                    name,
                )?;
                if self.milestones.contains_key(milestone_id) {
                    return Err(ProjectError::DuplicateMilestone {
                        milestone_id: *milestone_id,
                    });
                }
                if milestone_name.trim().is_empty() {
                    return Err(ProjectError::BlankMilestoneName);
                }
                one(ProjectMilestonePlanned {
                    milestone_id: *milestone_id,
                    name: milestone_name.trim().to_owned(),
                    planned_on: *planned_on,
                })
            }
            C::AchieveMilestone {
                milestone_id,
                achieved_on,
                evidence,
            } => {
                self.require_in(
                    &[
                        S::Approved,
                        S::UnderConstruction,
                        S::InOperation,
                        S::Drafting,
                        S::Consultation,
                    ],
                    name,
                )?;
                let milestone =
                    self.milestones
                        .get(milestone_id)
                        .ok_or(ProjectError::UnknownMilestone {
                            milestone_id: *milestone_id,
                        })?;
                if let Some(achieved_on) = milestone.achieved_on {
                    return Err(ProjectError::MilestoneAlreadyAchieved {
                        milestone_id: *milestone_id,
                        achieved_on,
                    });
                }
                if evidence.trim().is_empty() {
                    return Err(ProjectError::BlankEvidence);
                }
                Self::require_not_before(name, *achieved_on, "the proposal", self.proposed_on)?;
                one(ProjectMilestoneAchieved {
                    milestone_id: *milestone_id,
                    achieved_on: *achieved_on,
                    evidence: evidence.trim().to_owned(),
                })
            }
            C::CommissionCapacity {
                capacity_per_year,
                commissioned_on,
            } => self.decide_commission(*capacity_per_year, *commissioned_on),
            C::AcceptProject {
                accepted_on,
                document,
            } => {
                self.transition(&[S::InOperation], name, *accepted_on)?;
                require_document(document, name)?;
                let outstanding: Vec<Uuid> = self
                    .milestones
                    .iter()
                    .filter(|(_, m)| m.achieved_on.is_none())
                    .map(|(id, _)| *id)
                    .collect();
                if !outstanding.is_empty() {
                    return Err(ProjectError::MilestonesNotAchieved {
                        milestone_ids: outstanding,
                    });
                }
                one(ProjectAccepted {
                    accepted_on: *accepted_on,
                    document: document.trim().to_owned(),
                })
            }
            C::FailAcceptance { failed_on, reason } => {
                self.transition(&[S::InOperation], name, *failed_on)?;
                require_reason(reason, name)?;
                one(ProjectAcceptanceFailed {
                    failed_on: *failed_on,
                    reason: reason.clone(),
                })
            }
            C::SuspendProject {
                suspended_on,
                reason,
            } => {
                self.transition(
                    &[S::Approved, S::UnderConstruction, S::InOperation],
                    name,
                    *suspended_on,
                )?;
                require_reason(reason, name)?;
                one(ProjectSuspended {
                    suspended_on: *suspended_on,
                    suspended_from: self.status,
                    reason: reason.clone(),
                })
            }
            C::ResumeProject { resumed_on } => {
                self.transition(&[S::Suspended], name, *resumed_on)?;
                let Some(resumed_to) = self.suspended_from else {
                    return Err(ProjectError::InvalidTransition {
                        state: self.status,
                        command: name,
                    });
                };
                one(ProjectResumed {
                    resumed_on: *resumed_on,
                    resumed_to,
                })
            }
            C::CancelProject {
                cancelled_on,
                reason,
            } => {
                self.transition(
                    &[S::Proposed, S::Approved, S::UnderConstruction, S::Suspended],
                    name,
                    *cancelled_on,
                )?;
                require_reason(reason, name)?;
                one(ProjectCancelled {
                    cancelled_on: *cancelled_on,
                    reason: reason.clone(),
                })
            }
            C::AwardFunding {
                award_id,
                source,
                programme,
                amount,
                tranches,
                awarded_on,
            } => self.decide_award(
                *award_id,
                *source,
                programme,
                *amount,
                tranches,
                *awarded_on,
            ),
            C::DisburseTranche {
                award_id,
                tranche,
                disbursed_on,
            } => self.decide_disburse(*award_id, *tranche, *disbursed_on),
            C::RecoverFunding {
                award_id,
                amount,
                recovered_on,
                reason,
            } => self.decide_recover(*award_id, *amount, *recovered_on, reason),
            C::OpenConsultation { opened_on } => {
                self.require_standard(name)?;
                self.transition(&[S::Drafting], name, *opened_on)?;
                one(StandardConsultationOpened {
                    opened_on: *opened_on,
                })
            }
            C::ApproveStandard {
                approved_on,
                document,
            } => {
                self.require_standard(name)?;
                self.transition(&[S::Consultation], name, *approved_on)?;
                require_document(document, name)?;
                one(StandardApproved {
                    approved_on: *approved_on,
                    document: document.trim().to_owned(),
                })
            }
            C::PublishStandard {
                published_on,
                number,
            } => {
                self.require_standard(name)?;
                self.transition(&[S::Approved], name, *published_on)?;
                if number.trim().is_empty() {
                    return Err(ProjectError::BlankStandardNumber);
                }
                one(StandardPublished {
                    published_on: *published_on,
                    number: number.trim().to_owned(),
                })
            }
            C::WithdrawStandard {
                withdrawn_on,
                reason,
            } => {
                self.require_standard(name)?;
                self.transition(
                    &[S::Drafting, S::Consultation, S::Approved],
                    name,
                    *withdrawn_on,
                )?;
                require_reason(reason, name)?;
                one(StandardWithdrawn {
                    withdrawn_on: *withdrawn_on,
                    reason: reason.clone(),
                })
            }
            C::RecommendTypicalCase {
                recommended_on,
                summary,
            } => {
                self.require_exists(name)?;
                if let Some(case) = self.typical_case.as_ref().filter(|c| c.is_standing()) {
                    return Err(ProjectError::AlreadyTypicalCase {
                        recommended_on: case.recommended_on,
                    });
                }
                if summary.trim().is_empty() {
                    return Err(ProjectError::BlankCaseSummary);
                }
                Self::require_not_before(name, *recommended_on, "the proposal", self.proposed_on)?;
                one(ProjectTypicalCaseRecommended {
                    recommended_on: *recommended_on,
                    summary: summary.trim().to_owned(),
                })
            }
            C::WithdrawTypicalCase {
                withdrawn_on,
                reason,
            } => {
                self.require_exists(name)?;
                let case = self
                    .typical_case
                    .as_ref()
                    .filter(|c| c.is_standing())
                    .ok_or(ProjectError::NotTypicalCase)?;
                require_reason(reason, name)?;
                Self::require_not_before(
                    name,
                    *withdrawn_on,
                    "the recommendation",
                    Some(case.recommended_on),
                )?;
                one(ProjectTypicalCaseWithdrawn {
                    withdrawn_on: *withdrawn_on,
                    reason: reason.clone(),
                })
            }
        }
    }

    fn apply(&mut self, event: &ProjectEvent) {
        use ProjectEvent as E;
        use ProjectStatus as S;
        match event {
            E::Proposed(e) => {
                self.status = if e.proposal.kind.is_standard() {
                    S::Drafting
                } else {
                    S::Proposed
                };
                self.id = Some(e.project_id);
                self.proposal = Some(e.proposal.clone());
                self.proposed_on = Some(e.proposed_on);
                self.last_transition_on = Some(e.proposed_on);
            }
            E::Approved(e) => {
                self.status = S::Approved;
                self.approved_on = Some(e.approved_on);
                self.last_transition_on = Some(e.approved_on);
            }
            E::ConstructionStarted(e) => {
                self.status = S::UnderConstruction;
                self.construction_started_on = Some(e.started_on);
                self.last_transition_on = Some(e.started_on);
            }
            E::MilestonePlanned(e) => {
                self.milestones.insert(
                    e.milestone_id,
                    Milestone {
                        name: e.name.clone(),
                        planned_on: e.planned_on,
                        achieved_on: None,
                        evidence: None,
                    },
                );
            }
            E::MilestoneAchieved(e) => {
                if let Some(m) = self.milestones.get_mut(&e.milestone_id) {
                    m.achieved_on = Some(e.achieved_on);
                    m.evidence = Some(e.evidence.clone());
                }
            }
            E::CapacityCommissioned(e) => {
                self.status = S::InOperation;
                if self.first_commissioned_on.is_none() {
                    self.first_commissioned_on = Some(e.commissioned_on);
                }
                self.commissioned_per_year = self
                    .commissioned_per_year
                    .checked_add(e.capacity_per_year)
                    .unwrap_or(Kg::MAX);
                self.last_transition_on = Some(e.commissioned_on);
            }
            E::Accepted(e) => {
                self.status = S::Accepted;
                self.accepted_on = Some(e.accepted_on);
                self.last_transition_on = Some(e.accepted_on);
            }
            E::AcceptanceFailed(e) => {
                self.status = S::AcceptanceFailed;
                self.last_transition_on = Some(e.failed_on);
            }
            E::Suspended(e) => {
                self.status = S::Suspended;
                self.suspended_from = Some(e.suspended_from);
                self.last_transition_on = Some(e.suspended_on);
            }
            E::Resumed(e) => {
                self.status = e.resumed_to;
                self.suspended_from = None;
                self.last_transition_on = Some(e.resumed_on);
            }
            E::Cancelled(e) => {
                self.status = S::Cancelled;
                self.suspended_from = None;
                self.last_transition_on = Some(e.cancelled_on);
            }
            E::FundingAwarded(e) => {
                self.awards.insert(
                    e.award_id,
                    Award {
                        source: e.source,
                        programme: e.programme.clone(),
                        amount: e.amount,
                        tranches: e
                            .tranches
                            .iter()
                            .map(|t| Tranche {
                                condition: t.condition.clone(),
                                amount: t.amount,
                                disbursed_on: None,
                            })
                            .collect(),
                        awarded_on: e.awarded_on,
                        disbursed: Fen::ZERO,
                        recovered: Fen::ZERO,
                    },
                );
            }
            E::FundingTrancheDisbursed(e) => {
                if let Some(a) = self.awards.get_mut(&e.award_id) {
                    let index = e
                        .tranche
                        .checked_sub(1)
                        .and_then(|i| usize::try_from(i).ok());
                    if let Some(t) = index.and_then(|i| a.tranches.get_mut(i)) {
                        t.disbursed_on = Some(e.disbursed_on);
                    }
                    a.disbursed = a.disbursed.checked_add(e.amount).unwrap_or(Fen::MAX);
                }
            }
            E::FundingRecovered(e) => {
                if let Some(a) = self.awards.get_mut(&e.award_id) {
                    a.recovered = a.recovered.checked_add(e.amount).unwrap_or(Fen::MAX);
                }
            }
            E::StandardConsultationOpened(e) => {
                self.status = S::Consultation;
                self.consultation_opened_on = Some(e.opened_on);
                self.last_transition_on = Some(e.opened_on);
            }
            E::StandardApproved(e) => {
                self.status = S::Approved;
                self.approved_on = Some(e.approved_on);
                self.last_transition_on = Some(e.approved_on);
            }
            E::StandardPublished(e) => {
                self.status = S::Published;
                self.publication = Some(Publication {
                    number: e.number.clone(),
                    published_on: e.published_on,
                });
                self.last_transition_on = Some(e.published_on);
            }
            E::StandardWithdrawn(e) => {
                self.status = S::Withdrawn;
                self.withdrawn = Some(e.clone());
                self.last_transition_on = Some(e.withdrawn_on);
            }
            E::TypicalCaseRecommended(e) => {
                self.typical_case = Some(TypicalCase::recommended(&e.summary, e.recommended_on));
            }
            E::TypicalCaseWithdrawn(e) => {
                if let Some(case) = self.typical_case.as_mut() {
                    case.withdraw(e.withdrawn_on, &e.reason);
                }
            }
        }
    }
}
