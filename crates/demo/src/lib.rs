//! # redmud-demo — a realistic demo data set of Guizhou's red mud action plan
//!
//! `redmud serve --demo` loads this data set into an empty database: it creates the
//! [`accounts`] and then executes the [`dataset`] steps in order, each through the domain and the
//! event store, as the step's [`DemoStep::actor`]. The data set tells the story of the plan
//! (贵州省赤泥综合利用行动方案（2025—2030年）) from January 2025 to "today", [`TODAY`]
//! (2026-11-28):
//!
//! - **Enterprises** (企业): five alumina refineries in the three red mud regions — 清镇 and 修文
//!   (贵阳, the Qingzhen zone stacking about 3.7 Mt a year), 务川 and 道真 (遵义), 凯里 (黔东南) —
//!   and eight utilizers and downstream users (building materials, cement, road base, mine
//!   backfill, element extraction, steel in 六盘水, chemicals, a thermal power plant in 黔南 福泉),
//!   covering every [`EnterpriseKind`](redmud_domain::EnterpriseKind). Stock baselines,
//!   "one enterprise, one policy" plans and revisions, quarterly ledgers 2025-Q1 … 2026-Q3 with
//!   utilization rising toward the 15 % goal of 2027, three ledger corrections and a baseline
//!   correction, designations (one revoked), clean-production audits, and tax incentive claims
//!   (VAT immediate refund at the 70 % catalogue rate, environmental tax exemption at 25 yuan/t,
//!   income tax reduction) approved, one rejected, one approved for less, one partially recovered.
//! - **Projects** (项目) of every kind, reaching every status: proposed, approved, under
//!   construction, in operation, accepted, suspended (and one resumed), cancelled, acceptance
//!   failed; an expanded alumina project with its matching capacity (产用挂钩); milestones planned
//!   and achieved, some overdue on [`TODAY`]; funding from several sources (central budget
//!   investment at 20 % of the budget, special treasury bonds, central and provincial special
//!   funds, municipal funds, the 黔晟国资 investment fund) paid in 30/40/30 tranches, and one
//!   recovery after a failed acceptance.
//! - **Demonstration bases** (示范基地 / 园区): the 清镇 industrial resource comprehensive utilization
//!   base, the 务川 red mud characteristic park, the 福泉 zero-waste park and the 凯里 bulk solid
//!   waste base (revoked), with members, linked projects, yearly targets and evaluations.
//! - **Regional plans** (年度目标任务): 2025 and 2026 targets for the province and the three
//!   regions, target revisions, and the regions' quarterly and annual reports — accepted, returned
//!   and resubmitted, and awaiting review — whose figures are the sums of the region's ledgers at
//!   submission (computed with the domain's own [`Enterprise::ledger_within`] and
//!   [`LedgerFigures::sum`](redmud_domain::LedgerFigures::sum)).
//!
//! **Everything is fictional**: enterprise names, unified social credit codes (valid check
//! characters, invented organisation codes), document numbers, people and figures are made up to
//! be plausible (red mud ≈ 1.3–1.6 t per t of alumina, central budget investment ≈ 20 % of a
//! project's investment, …) and must not be read as facts about real enterprises.
//!
//! The data set is deterministic: identifiers are fixed ([`ids`]), "today" and every date are
//! literals, and every call of [`dataset`] returns the same steps. Building it executes every
//! step through the domain (so a refused command is a build error, [`DemoDataError::Refused`]).
//!
//! ## Roles
//!
//! Actors follow the roles of DESIGN.md §2: a bureau (`guiyang`, `zunyi`, `qiandongnan`) writes
//! only its own region's enterprises, ledgers and projects (propose, start construction,
//! milestones, commissioning) and submits its region's reports; `province` approves, accepts,
//! suspends, resumes and cancels projects, designates bases and enterprise designations, sets
//! targets, returns and accepts reports, and registers enterprises of regions without a bureau
//! account; `finance` awards, disburses and recovers funding and handles tax incentives;
//! `auditor` and `admin` write nothing.
//!
//! ## Example
//!
//! ```
//! let steps = redmud_demo::dataset();
//! assert!(steps.len() > 300);
//! let usernames: Vec<_> = redmud_demo::accounts().iter().map(|a| a.username).collect();
//! assert!(steps.iter().all(|s| usernames.contains(&s.actor)));
//! assert!(steps.iter().all(|s| s.on <= redmud_demo::TODAY));
//! ```

#![forbid(unsafe_code)]

mod assemble;
pub mod ids;
pub mod scale;
mod story;

use chrono::NaiveDate;
use redmud_domain::{
    Aggregate, Base, BaseCommand, Enterprise, EnterpriseCommand, MassError, MoneyError,
    PeriodError, Project, ProjectCommand, RatioError, RegionError, RegionalPlan,
    RegionalPlanCommand, UsccError, Uuid,
};

/// "Today" in the demo story: every act in the data set happens on or before this day.
pub const TODAY: NaiveDate = assemble::date(2026, 11, 28);

/// A demo login account (the server creates it with a demo password).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DemoAccount {
    /// Login name.
    pub username: &'static str,
    /// Display name (Chinese).
    pub display_name: &'static str,
    /// Role: "admin", "province", "bureau", "finance" or "auditor".
    pub role: &'static str,
    /// For a bureau only: the GB/T 2260 code of its region, e.g. "520100".
    pub region: Option<&'static str>,
    /// The organisation the account belongs to.
    pub organisation: &'static str,
}

/// The demo accounts: an administrator, the provincial officer, the three regional bureaus
/// (贵阳 520100, 遵义 520300, 黔东南 522600), a finance officer and an auditor.
pub fn accounts() -> Vec<DemoAccount> {
    vec![
        DemoAccount {
            username: "admin",
            display_name: "系统管理员",
            role: "admin",
            region: None,
            organisation: "贵州省工业和信息化厅信息中心",
        },
        DemoAccount {
            username: "province",
            display_name: "李卫东",
            role: "province",
            region: None,
            organisation: "贵州省工业和信息化厅（节能与综合利用处）",
        },
        DemoAccount {
            username: "guiyang",
            display_name: "王晓燕",
            role: "bureau",
            region: Some("520100"),
            organisation: "贵阳市生态环境局",
        },
        DemoAccount {
            username: "zunyi",
            display_name: "张国华",
            role: "bureau",
            region: Some("520300"),
            organisation: "遵义市工业和科学技术局",
        },
        DemoAccount {
            username: "qiandongnan",
            display_name: "杨秀梅",
            role: "bureau",
            region: Some("522600"),
            organisation: "黔东南州工业和信息化局",
        },
        DemoAccount {
            username: "finance",
            display_name: "陈静",
            role: "finance",
            region: None,
            organisation: "贵州省财政厅",
        },
        DemoAccount {
            username: "auditor",
            display_name: "刘洋",
            role: "auditor",
            region: None,
            organisation: "贵州省审计厅",
        },
    ]
}

/// One command of the data set, addressed to its aggregate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "aggregate", rename_all = "snake_case")]
pub enum DemoCommand {
    /// A command to the enterprise `id`.
    Enterprise {
        /// Aggregate id.
        id: Uuid,
        /// The command.
        command: EnterpriseCommand,
    },
    /// A command to the project `id`.
    Project {
        /// Aggregate id.
        id: Uuid,
        /// The command.
        command: ProjectCommand,
    },
    /// A command to the demonstration base `id`.
    Base {
        /// Aggregate id.
        id: Uuid,
        /// The command.
        command: BaseCommand,
    },
    /// A command to the regional plan `id`.
    RegionalPlan {
        /// Aggregate id.
        id: Uuid,
        /// The command.
        command: RegionalPlanCommand,
    },
}

impl DemoCommand {
    /// The aggregate the command is addressed to.
    pub fn aggregate_id(&self) -> Uuid {
        match self {
            DemoCommand::Enterprise { id, .. }
            | DemoCommand::Project { id, .. }
            | DemoCommand::Base { id, .. }
            | DemoCommand::RegionalPlan { id, .. } => *id,
        }
    }

    /// The aggregate's stream category ("enterprise", "project", "base", "regional_plan").
    pub fn category(&self) -> &'static str {
        match self {
            DemoCommand::Enterprise { .. } => Enterprise::CATEGORY,
            DemoCommand::Project { .. } => Project::CATEGORY,
            DemoCommand::Base { .. } => Base::CATEGORY,
            DemoCommand::RegionalPlan { .. } => RegionalPlan::CATEGORY,
        }
    }

    /// The command's name, e.g. "RecordLedger".
    pub fn name(&self) -> &'static str {
        match self {
            DemoCommand::Enterprise { command, .. } => command.name(),
            DemoCommand::Project { command, .. } => command.name(),
            DemoCommand::Base { command, .. } => command.name(),
            DemoCommand::RegionalPlan { command, .. } => command.name(),
        }
    }

    /// The reason the command carries, for the commands that require one (corrections,
    /// revocations, rejections, recoveries, suspensions, cancellations, returns, revisions).
    pub fn reason(&self) -> Option<&str> {
        use BaseCommand as B;
        use EnterpriseCommand as E;
        use ProjectCommand as P;
        use RegionalPlanCommand as R;
        match self {
            DemoCommand::Enterprise { command, .. } => match command {
                E::Deregister { reason, .. }
                | E::RevisePolicyPlan { reason, .. }
                | E::CorrectStockBaseline { reason, .. }
                | E::CorrectLedger { reason, .. }
                | E::RevokeDesignation { reason, .. }
                | E::RejectTaxIncentive { reason, .. }
                | E::RecoverTaxIncentive { reason, .. }
                | E::WithdrawTypicalCase { reason, .. } => Some(reason),
                _ => None,
            },
            DemoCommand::Project { command, .. } => match command {
                P::FailAcceptance { reason, .. }
                | P::SuspendProject { reason, .. }
                | P::CancelProject { reason, .. }
                | P::RecoverFunding { reason, .. }
                | P::WithdrawStandard { reason, .. }
                | P::WithdrawTypicalCase { reason, .. } => Some(reason),
                _ => None,
            },
            DemoCommand::Base { command, .. } => match command {
                B::RemoveMember { reason, .. }
                | B::UnlinkProject { reason, .. }
                | B::ReviseYearTargets { reason, .. }
                | B::RevokeBase { reason, .. } => Some(reason),
                _ => None,
            },
            DemoCommand::RegionalPlan { command, .. } => match command {
                R::ReviseTargets { reason, .. } | R::ReturnReport { reason, .. } => Some(reason),
                _ => None,
            },
        }
    }

    /// The date of the act the command records, where the command carries one. `None` for the
    /// commands whose dates are not the day of the act (a milestone's planned date, a stock
    /// baseline's measurement date) or that carry no date (ledger and baseline corrections).
    pub fn act_date(&self) -> Option<NaiveDate> {
        use BaseCommand as B;
        use EnterpriseCommand as E;
        use ProjectCommand as P;
        use RegionalPlanCommand as R;
        match self {
            DemoCommand::Enterprise { command, .. } => match command {
                E::Register { registered_on, .. } => Some(*registered_on),
                E::Amend { amended_on, .. } => Some(*amended_on),
                E::Deregister {
                    deregistered_on, ..
                } => Some(*deregistered_on),
                E::FilePolicyPlan { filed_on, .. } => Some(*filed_on),
                E::RevisePolicyPlan { revised_on, .. } => Some(*revised_on),
                E::DeclareStockBaseline { .. }
                | E::CorrectStockBaseline { .. }
                | E::CorrectLedger { .. } => None,
                E::RecordLedger { today, .. } => Some(*today),
                E::GrantDesignation { granted_on, .. } => Some(*granted_on),
                E::RevokeDesignation { revoked_on, .. } => Some(*revoked_on),
                E::RecordCleanProductionAudit { completed_on, .. } => Some(*completed_on),
                E::ClaimTaxIncentive { claimed_on, .. } => Some(*claimed_on),
                E::ApproveTaxIncentive { decided_on, .. }
                | E::RejectTaxIncentive { decided_on, .. } => Some(*decided_on),
                E::RecoverTaxIncentive { recovered_on, .. } => Some(*recovered_on),
                E::RecommendTypicalCase { recommended_on, .. } => Some(*recommended_on),
                E::WithdrawTypicalCase { withdrawn_on, .. } => Some(*withdrawn_on),
            },
            DemoCommand::Project { command, .. } => match command {
                P::ProposeProject { proposed_on, .. } => Some(*proposed_on),
                P::ApproveProject { approved_on, .. } => Some(*approved_on),
                P::StartConstruction { started_on } => Some(*started_on),
                P::PlanMilestone { .. } => None,
                P::AchieveMilestone { achieved_on, .. } => Some(*achieved_on),
                P::CommissionCapacity {
                    commissioned_on, ..
                } => Some(*commissioned_on),
                P::AcceptProject { accepted_on, .. } => Some(*accepted_on),
                P::FailAcceptance { failed_on, .. } => Some(*failed_on),
                P::SuspendProject { suspended_on, .. } => Some(*suspended_on),
                P::ResumeProject { resumed_on } => Some(*resumed_on),
                P::CancelProject { cancelled_on, .. } => Some(*cancelled_on),
                P::AwardFunding { awarded_on, .. } => Some(*awarded_on),
                P::DisburseTranche { disbursed_on, .. } => Some(*disbursed_on),
                P::RecoverFunding { recovered_on, .. } => Some(*recovered_on),
                P::OpenConsultation { opened_on } => Some(*opened_on),
                P::ApproveStandard { approved_on, .. } => Some(*approved_on),
                P::PublishStandard { published_on, .. } => Some(*published_on),
                P::WithdrawStandard { withdrawn_on, .. } => Some(*withdrawn_on),
                P::RecommendTypicalCase { recommended_on, .. } => Some(*recommended_on),
                P::WithdrawTypicalCase { withdrawn_on, .. } => Some(*withdrawn_on),
            },
            DemoCommand::Base { command, .. } => match command {
                B::DesignateBase { designated_on, .. } => Some(*designated_on),
                B::AddMember { added_on, .. } => Some(*added_on),
                B::RemoveMember { removed_on, .. } => Some(*removed_on),
                B::LinkProject { linked_on, .. } => Some(*linked_on),
                B::UnlinkProject { unlinked_on, .. } => Some(*unlinked_on),
                B::SetYearTargets { set_on, .. } => Some(*set_on),
                B::ReviseYearTargets { revised_on, .. } => Some(*revised_on),
                B::RecordEvaluation { evaluated_on, .. } => Some(*evaluated_on),
                B::RevokeBase { revoked_on, .. } => Some(*revoked_on),
            },
            DemoCommand::RegionalPlan { command, .. } => match command {
                R::SetTargets { set_on, .. } => Some(*set_on),
                R::ReviseTargets { revised_on, .. } => Some(*revised_on),
                R::SubmitReport { submitted_on, .. } => Some(*submitted_on),
                R::ReturnReport { returned_on, .. } => Some(*returned_on),
                R::AcceptReport { accepted_on, .. } => Some(*accepted_on),
            },
        }
    }
}

/// One step of the data set: who does what, on which day of the story, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DemoStep {
    /// The day of the story the step happens (equal to [`DemoCommand::act_date`] where the
    /// command has one); steps are in non-decreasing order of it.
    pub on: NaiveDate,
    /// The acting account: a username from [`accounts`].
    pub actor: &'static str,
    /// The reason recorded with the step, for the commands that require one (the same text as
    /// the command's own reason field, see [`DemoCommand::reason`]); `None` otherwise.
    pub reason: Option<String>,
    /// The command.
    pub command: DemoCommand,
}

/// Why the demo data set could not be built: a literal of this crate is invalid or a step was
/// refused by the domain. Never happens for the data set as shipped (its tests build it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DemoDataError {
    /// A unified social credit code literal is invalid.
    #[error("demo USCC {text:?} is invalid: {error}")]
    Uscc {
        /// The literal.
        text: &'static str,
        /// Why.
        error: UsccError,
    },
    /// A region code literal is invalid.
    #[error("demo region code {code} is invalid: {error}")]
    Region {
        /// The literal.
        code: u32,
        /// Why.
        error: RegionError,
    },
    /// A period could not be formed.
    #[error(transparent)]
    Period(#[from] PeriodError),
    /// Mass arithmetic failed.
    #[error(transparent)]
    Mass(#[from] MassError),
    /// Money arithmetic failed.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// A ratio could not be formed.
    #[error(transparent)]
    Ratio(#[from] RatioError),
    /// Tranche shares did not add up to 100 %.
    #[error(transparent)]
    TrancheShares(#[from] redmud_domain::rules::TrancheSharesError),
    /// A date computed from another fell outside the calendar.
    #[error("a date {days} days after {from} is out of range")]
    DateOutOfRange {
        /// The start date.
        from: NaiveDate,
        /// Days added.
        days: u64,
    },
    /// A step without a date of its own was added without one.
    #[error("{command} carries no date of the act; the step needs an explicit date")]
    MissingDate {
        /// The command.
        command: &'static str,
    },
    /// A step was given a date other than the date its command carries.
    #[error("{command} is dated {act_date} but its step was put on {on}")]
    DateMismatch {
        /// The command.
        command: &'static str,
        /// The command's own date.
        act_date: NaiveDate,
        /// The step's date.
        on: NaiveDate,
    },
    /// A report or claim refers to an aggregate that does not exist at that point.
    #[error("{what} {id} does not exist when it is needed")]
    UnknownAggregate {
        /// What was looked for.
        what: &'static str,
        /// Its id.
        id: Uuid,
    },
    /// The domain refused a step.
    #[error("step {index} ({command} to {category} {aggregate_id} on {on}) was refused: {error}")]
    Refused {
        /// 0-based index of the step.
        index: usize,
        /// The step's date.
        on: NaiveDate,
        /// The command's name.
        command: &'static str,
        /// The aggregate's category.
        category: &'static str,
        /// The aggregate.
        aggregate_id: Uuid,
        /// The domain's error, as text.
        error: String,
    },
}

/// Build the data set, executing every step through the domain: the steps in chronological
/// order, or the first invalid literal or refused step.
pub fn try_dataset() -> Result<Vec<DemoStep>, DemoDataError> {
    story::tell()
}

/// The data set: every step in chronological order. Deterministic: the same ids and commands on
/// every call.
///
/// # Panics
///
/// Only if the data set of this crate is invalid ([`try_dataset`] returns an error), which the
/// crate's tests rule out.
pub fn dataset() -> Vec<DemoStep> {
    match try_dataset() {
        Ok(steps) => steps,
        Err(error) => panic!("the demo data set is invalid: {error}"),
    }
}
