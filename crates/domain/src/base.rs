//! The **Demonstration base** (示范基地 / 园区) aggregate: a designated industrial resource or bulk
//! solid waste comprehensive utilization base, red mud characteristic park or zero-waste
//! park/city; its member enterprises and linked projects, yearly targets (red mud utilized and the
//! co-utilized phosphogypsum, desulfurization gypsum and fly ash — 多固废协同利用), evaluations and
//! revocation.
//!
//! ## Lifecycle
//!
//! ```text
//! NotDesignated --DesignateBase--> Designated --RevokeBase (reason)--> Revoked (terminal)
//! ```
//! Every command except `DesignateBase` requires `Designated`; any other combination is
//! [`BaseError::InvalidTransition`] naming the state and the command.
//!
//! ## Rules
//! - Designate: the name and the designating document are not blank; the level is national or
//!   provincial (the plan's backbone bases); the region is a prefecture or county.
//! - Dated acts are not dated before the designation.
//! - An enterprise is added once while a member and removed (reason) only while a member, not
//!   before it was added; it may be added again later. Projects are linked and unlinked alike.
//! - Yearly targets: a year 1900–9999, not before the year of designation, not all zero; set once
//!   per year, then revised with a reason (a revision changes something and keeps the previous
//!   targets in its event).
//! - Evaluations: one per year (not before the year of designation), dated no earlier than 1
//!   January of that year, with a non-blank summary.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use crate::aggregate::{Aggregate, BlankReason, EventPayload, domain_events, require_reason};
use crate::values::{BaseKind, DesignationLevel, Kg, Region};

#[cfg(test)]
mod tests;

// ---------------------------------------------------------------------------------------------
// Supporting types
// ---------------------------------------------------------------------------------------------

/// Where a base is in its lifecycle.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BaseStatus {
    /// No `BaseDesignated` yet.
    #[default]
    NotDesignated,
    /// Designated (认定).
    Designated,
    /// Revoked (撤销); terminal.
    Revoked,
}

impl fmt::Display for BaseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BaseStatus::NotDesignated => "not_designated",
            BaseStatus::Designated => "designated",
            BaseStatus::Revoked => "revoked",
        })
    }
}

/// A base's targets for one year (年度目标).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BaseTargets {
    /// Red mud to comprehensively utilize.
    pub red_mud_utilized: Kg,
    /// Phosphogypsum (磷石膏) to co-utilize.
    pub phosphogypsum_co_utilized: Kg,
    /// Desulfurization gypsum (脱硫石膏) to co-utilize.
    pub desulfurization_gypsum_co_utilized: Kg,
    /// Fly ash (粉煤灰) to co-utilize.
    pub fly_ash_co_utilized: Kg,
}

impl BaseTargets {
    /// Whether every target is zero.
    pub fn is_empty(&self) -> bool {
        self.red_mud_utilized.is_zero()
            && self.phosphogypsum_co_utilized.is_zero()
            && self.desulfurization_gypsum_co_utilized.is_zero()
            && self.fly_ash_co_utilized.is_zero()
    }
}

/// The result of a yearly evaluation (评估 / 考核).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvaluationResult {
    /// 优秀.
    Excellent,
    /// 良好.
    Good,
    /// 合格.
    Qualified,
    /// 不合格.
    Unqualified,
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/// What a user asks of a demonstration base.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "command")]
pub enum BaseCommand {
    /// Designate the base (认定).
    DesignateBase {
        /// The new aggregate's id (chosen by the caller).
        base_id: Uuid,
        /// Name.
        name: String,
        /// Kind.
        kind: BaseKind,
        /// Level of the designating authority (national or provincial).
        level: DesignationLevel,
        /// Where it is (a prefecture or county).
        region: Region,
        /// Date designated.
        designated_on: NaiveDate,
        /// Reference of the designating document (认定文件文号).
        document: String,
    },
    /// Add a member enterprise (入园 / 纳入基地).
    AddMember {
        /// The enterprise (an Enterprise aggregate id).
        enterprise_id: Uuid,
        /// Date added.
        added_on: NaiveDate,
    },
    /// Remove a member enterprise.
    RemoveMember {
        /// The enterprise.
        enterprise_id: Uuid,
        /// Date removed.
        removed_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Link a project (a Project aggregate id).
    LinkProject {
        /// The project.
        project_id: Uuid,
        /// Date linked.
        linked_on: NaiveDate,
    },
    /// Unlink a project.
    UnlinkProject {
        /// The project.
        project_id: Uuid,
        /// Date unlinked.
        unlinked_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Set a year's targets.
    SetYearTargets {
        /// The year.
        year: u16,
        /// The targets.
        targets: BaseTargets,
        /// Date set.
        set_on: NaiveDate,
    },
    /// Revise a year's targets.
    ReviseYearTargets {
        /// The year.
        year: u16,
        /// The revised targets.
        targets: BaseTargets,
        /// Date revised.
        revised_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Record the evaluation of a year.
    RecordEvaluation {
        /// The year evaluated.
        year: u16,
        /// Result.
        result: EvaluationResult,
        /// Summary of findings.
        summary: String,
        /// Date evaluated.
        evaluated_on: NaiveDate,
    },
    /// Revoke the designation (撤销); terminal.
    RevokeBase {
        /// Date revoked.
        revoked_on: NaiveDate,
        /// Why.
        reason: String,
    },
}

impl BaseCommand {
    /// The command's name, as used in errors.
    pub fn name(&self) -> &'static str {
        match self {
            BaseCommand::DesignateBase { .. } => "DesignateBase",
            BaseCommand::AddMember { .. } => "AddMember",
            BaseCommand::RemoveMember { .. } => "RemoveMember",
            BaseCommand::LinkProject { .. } => "LinkProject",
            BaseCommand::UnlinkProject { .. } => "UnlinkProject",
            BaseCommand::SetYearTargets { .. } => "SetYearTargets",
            BaseCommand::ReviseYearTargets { .. } => "ReviseYearTargets",
            BaseCommand::RecordEvaluation { .. } => "RecordEvaluation",
            BaseCommand::RevokeBase { .. } => "RevokeBase",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/// The base was designated.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BaseDesignated {
    /// Aggregate id.
    pub base_id: Uuid,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: BaseKind,
    /// Level.
    pub level: DesignationLevel,
    /// Region.
    pub region: Region,
    /// Date designated.
    pub designated_on: NaiveDate,
    /// Designating document.
    pub document: String,
}

/// An enterprise became a member.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BaseMemberAdded {
    /// The enterprise.
    pub enterprise_id: Uuid,
    /// Date added.
    pub added_on: NaiveDate,
}

/// An enterprise ceased to be a member.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BaseMemberRemoved {
    /// The enterprise.
    pub enterprise_id: Uuid,
    /// Date removed.
    pub removed_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// A project was linked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BaseProjectLinked {
    /// The project.
    pub project_id: Uuid,
    /// Date linked.
    pub linked_on: NaiveDate,
}

/// A project was unlinked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BaseProjectUnlinked {
    /// The project.
    pub project_id: Uuid,
    /// Date unlinked.
    pub unlinked_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// A year's targets were set (revision 1).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BaseYearTargetsSet {
    /// The year.
    pub year: u16,
    /// The targets.
    pub targets: BaseTargets,
    /// Date set.
    pub set_on: NaiveDate,
}

/// A year's targets were revised.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BaseYearTargetsRevised {
    /// The year.
    pub year: u16,
    /// New revision number (2, 3, …).
    pub revision: u32,
    /// The targets before this revision.
    pub previous: BaseTargets,
    /// The revised targets.
    pub targets: BaseTargets,
    /// Date revised.
    pub revised_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// A year's evaluation was recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BaseEvaluationRecorded {
    /// The year evaluated.
    pub year: u16,
    /// Result.
    pub result: EvaluationResult,
    /// Summary.
    pub summary: String,
    /// Date evaluated.
    pub evaluated_on: NaiveDate,
}

/// The designation was revoked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BaseRevoked {
    /// Date revoked.
    pub revoked_on: NaiveDate,
    /// Why.
    pub reason: String,
}

fn date(d: NaiveDate) -> Option<String> {
    Some(d.to_string())
}

fn year(y: u16) -> Option<String> {
    Some(format!("{y:04}"))
}

impl EventPayload for BaseDesignated {
    fn effective(&self) -> Option<String> {
        date(self.designated_on)
    }
}
impl EventPayload for BaseMemberAdded {
    fn effective(&self) -> Option<String> {
        date(self.added_on)
    }
}
impl EventPayload for BaseMemberRemoved {
    fn effective(&self) -> Option<String> {
        date(self.removed_on)
    }
}
impl EventPayload for BaseProjectLinked {
    fn effective(&self) -> Option<String> {
        date(self.linked_on)
    }
}
impl EventPayload for BaseProjectUnlinked {
    fn effective(&self) -> Option<String> {
        date(self.unlinked_on)
    }
}
impl EventPayload for BaseYearTargetsSet {
    fn effective(&self) -> Option<String> {
        year(self.year)
    }
}
impl EventPayload for BaseYearTargetsRevised {
    fn effective(&self) -> Option<String> {
        year(self.year)
    }
}
impl EventPayload for BaseEvaluationRecorded {
    fn effective(&self) -> Option<String> {
        year(self.year)
    }
}
impl EventPayload for BaseRevoked {
    fn effective(&self) -> Option<String> {
        date(self.revoked_on)
    }
}

domain_events! {
    /// What happened to a demonstration base.
    pub enum BaseEvent in "base" {
        /// See [`BaseDesignated`].
        Designated(BaseDesignated) = "BaseDesignated",
        /// See [`BaseMemberAdded`].
        MemberAdded(BaseMemberAdded) = "BaseMemberAdded",
        /// See [`BaseMemberRemoved`].
        MemberRemoved(BaseMemberRemoved) = "BaseMemberRemoved",
        /// See [`BaseProjectLinked`].
        ProjectLinked(BaseProjectLinked) = "BaseProjectLinked",
        /// See [`BaseProjectUnlinked`].
        ProjectUnlinked(BaseProjectUnlinked) = "BaseProjectUnlinked",
        /// See [`BaseYearTargetsSet`].
        YearTargetsSet(BaseYearTargetsSet) = "BaseYearTargetsSet",
        /// See [`BaseYearTargetsRevised`].
        YearTargetsRevised(BaseYearTargetsRevised) = "BaseYearTargetsRevised",
        /// See [`BaseEvaluationRecorded`].
        EvaluationRecorded(BaseEvaluationRecorded) = "BaseEvaluationRecorded",
        /// See [`BaseRevoked`].
        Revoked(BaseRevoked) = "BaseRevoked",
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why a base command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum BaseError {
    /// The command is not allowed in the base's lifecycle state.
    #[error("{command} is not allowed while the base is {state}")]
    InvalidTransition {
        /// Current state.
        state: BaseStatus,
        /// The command refused.
        command: &'static str,
    },
    /// A reason was required.
    #[error(transparent)]
    BlankReason(#[from] BlankReason),
    /// The name is empty or blank.
    #[error("the base name must not be blank")]
    BlankName,
    /// Blank designating document.
    #[error("a designation needs the reference of its designating document")]
    BlankDocument,
    /// Not a national or provincial designation.
    #[error("a demonstration base is designated at national or provincial level, not {level}")]
    LevelNotNationalOrProvincial {
        /// The level given.
        level: DesignationLevel,
    },
    /// The region is the whole province.
    #[error("a base is in a prefecture or county, not in {region} (the whole province)")]
    RegionNotWithinPrefecture {
        /// The region given.
        region: Region,
    },
    /// A date earlier than an act it must follow.
    #[error("{command} dated {date} precedes {earlier} on {earlier_on}")]
    DateBefore {
        /// The command.
        command: &'static str,
        /// Its date.
        date: NaiveDate,
        /// What it must not precede.
        earlier: &'static str,
        /// That act's date.
        earlier_on: NaiveDate,
    },
    /// Already a member.
    #[error("enterprise {enterprise_id} is already a member (since {since})")]
    AlreadyAMember {
        /// The enterprise.
        enterprise_id: Uuid,
        /// Since.
        since: NaiveDate,
    },
    /// Not a member.
    #[error("enterprise {enterprise_id} is not a member")]
    NotAMember {
        /// The enterprise.
        enterprise_id: Uuid,
    },
    /// Already linked.
    #[error("project {project_id} is already linked (since {since})")]
    ProjectAlreadyLinked {
        /// The project.
        project_id: Uuid,
        /// Since.
        since: NaiveDate,
    },
    /// Not linked.
    #[error("project {project_id} is not linked")]
    ProjectNotLinked {
        /// The project.
        project_id: Uuid,
    },
    /// A year outside 1900–9999.
    #[error("year {year} is outside 1900–9999")]
    YearOutOfRange {
        /// The year.
        year: u16,
    },
    /// A year before the designation's.
    #[error("year {year} is before the designation on {designated_on}")]
    YearBeforeDesignation {
        /// The year.
        year: u16,
        /// Designation date.
        designated_on: NaiveDate,
    },
    /// Targets that are all zero.
    #[error("a year's targets must not all be zero")]
    EmptyTargets,
    /// Targets already set for the year.
    #[error("the targets of {year} are already set (revision {revision}); revise them instead")]
    TargetsAlreadySet {
        /// The year.
        year: u16,
        /// Revision in force.
        revision: u32,
    },
    /// No targets for the year.
    #[error("no targets are set for {year}")]
    TargetsNotSet {
        /// The year.
        year: u16,
    },
    /// A revision identical to the targets in force.
    #[error("the revision of {year} is identical to revision {revision}")]
    RevisionChangesNothing {
        /// The year.
        year: u16,
        /// Revision in force.
        revision: u32,
    },
    /// An evaluation already recorded for the year.
    #[error("the evaluation of {year} is already recorded")]
    EvaluationAlreadyRecorded {
        /// The year.
        year: u16,
    },
    /// An evaluation dated before its year began.
    #[error("an evaluation of {year} cannot be dated {evaluated_on}, before the year began")]
    EvaluationBeforeYear {
        /// The year.
        year: u16,
        /// Date given.
        evaluated_on: NaiveDate,
    },
    /// A blank evaluation summary.
    #[error("an evaluation needs a summary")]
    BlankSummary,
}

crate::aggregate::error_rules!(BaseError {
    InvalidTransition,
    BlankReason,
    BlankName,
    BlankDocument,
    LevelNotNationalOrProvincial,
    RegionNotWithinPrefecture,
    DateBefore,
    AlreadyAMember,
    NotAMember,
    ProjectAlreadyLinked,
    ProjectNotLinked,
    YearOutOfRange,
    YearBeforeDesignation,
    EmptyTargets,
    TargetsAlreadySet,
    TargetsNotSet,
    RevisionChangesNothing,
    EvaluationAlreadyRecorded,
    EvaluationBeforeYear,
    BlankSummary
});

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/// A year's targets in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct YearTargets {
    /// Targets.
    pub targets: BaseTargets,
    /// Revision (1 when set).
    pub revision: u32,
}

/// The Demonstration base aggregate's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Base {
    status: BaseStatus,
    id: Option<Uuid>,
    name: String,
    kind: Option<BaseKind>,
    level: Option<DesignationLevel>,
    region: Option<Region>,
    designated_on: Option<NaiveDate>,
    revoked_on: Option<NaiveDate>,
    members: BTreeMap<Uuid, NaiveDate>,
    projects: BTreeMap<Uuid, NaiveDate>,
    targets: BTreeMap<u16, YearTargets>,
    evaluations: BTreeMap<u16, BaseEvaluationRecorded>,
}

impl Base {
    /// Lifecycle state.
    pub fn status(&self) -> BaseStatus {
        self.status
    }
    /// Aggregate id, once designated.
    pub fn id(&self) -> Option<Uuid> {
        self.id
    }
    /// Name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Kind.
    pub fn kind(&self) -> Option<BaseKind> {
        self.kind
    }
    /// Level.
    pub fn level(&self) -> Option<DesignationLevel> {
        self.level
    }
    /// Region.
    pub fn region(&self) -> Option<Region> {
        self.region
    }
    /// Date designated.
    pub fn designated_on(&self) -> Option<NaiveDate> {
        self.designated_on
    }
    /// Date revoked.
    pub fn revoked_on(&self) -> Option<NaiveDate> {
        self.revoked_on
    }
    /// Current member enterprises, with the date each (last) joined.
    pub fn members(&self) -> &BTreeMap<Uuid, NaiveDate> {
        &self.members
    }
    /// Currently linked projects, with the date each was (last) linked.
    pub fn projects(&self) -> &BTreeMap<Uuid, NaiveDate> {
        &self.projects
    }
    /// Targets in force by year.
    pub fn targets(&self) -> &BTreeMap<u16, YearTargets> {
        &self.targets
    }
    /// Evaluations by year.
    pub fn evaluations(&self) -> &BTreeMap<u16, BaseEvaluationRecorded> {
        &self.evaluations
    }
}

// ---------------------------------------------------------------------------------------------
// Decide
// ---------------------------------------------------------------------------------------------

type Decision = Result<Vec<BaseEvent>, BaseError>;

fn one(event: impl Into<BaseEvent>) -> Decision {
    Ok(vec![event.into()])
}

fn check_targets(targets: &BaseTargets) -> Result<(), BaseError> {
    if targets.is_empty() {
        Err(BaseError::EmptyTargets)
    } else {
        Ok(())
    }
}

fn not_before(
    command: &'static str,
    date: NaiveDate,
    earlier: &'static str,
    earlier_on: NaiveDate,
) -> Result<(), BaseError> {
    if date < earlier_on {
        Err(BaseError::DateBefore {
            command,
            date,
            earlier,
            earlier_on,
        })
    } else {
        Ok(())
    }
}

impl Base {
    fn require_designated(&self, command: &'static str) -> Result<NaiveDate, BaseError> {
        match (self.status, self.designated_on) {
            (BaseStatus::Designated, Some(on)) => Ok(on),
            _ => Err(BaseError::InvalidTransition {
                state: self.status,
                command,
            }),
        }
    }

    fn check_year(&self, year: u16, designated_on: NaiveDate) -> Result<(), BaseError> {
        if !(1900..=9999).contains(&year) {
            return Err(BaseError::YearOutOfRange { year });
        }
        if i32::from(year) < designated_on.year() {
            return Err(BaseError::YearBeforeDesignation {
                year,
                designated_on,
            });
        }
        Ok(())
    }

    fn decide_designate(&self, command: &BaseCommand) -> Decision {
        let BaseCommand::DesignateBase {
            base_id,
            name,
            kind,
            level,
            region,
            designated_on,
            document,
        } = command
        else {
            return Ok(vec![]);
        };
        if self.status != BaseStatus::NotDesignated {
            return Err(BaseError::InvalidTransition {
                state: self.status,
                command: command.name(),
            });
        }
        if name.trim().is_empty() {
            return Err(BaseError::BlankName);
        }
        if document.trim().is_empty() {
            return Err(BaseError::BlankDocument);
        }
        if !matches!(
            level,
            DesignationLevel::National | DesignationLevel::Provincial
        ) {
            return Err(BaseError::LevelNotNationalOrProvincial { level: *level });
        }
        if *region == Region::Province {
            return Err(BaseError::RegionNotWithinPrefecture { region: *region });
        }
        one(BaseDesignated {
            base_id: *base_id,
            name: name.trim().to_owned(),
            kind: *kind,
            level: *level,
            region: *region,
            designated_on: *designated_on,
            document: document.trim().to_owned(),
        })
    }
}

impl Aggregate for Base {
    const CATEGORY: &'static str = "base";
    type Command = BaseCommand;
    type Event = BaseEvent;
    type Error = BaseError;

    fn decide(&self, command: &BaseCommand) -> Decision {
        use BaseCommand as C;
        if let C::DesignateBase { .. } = command {
            return self.decide_designate(command);
        }
        let name = command.name();
        let designated_on = self.require_designated(name)?;
        let designation = "the designation";
        match command {
            C::DesignateBase { .. } => self.decide_designate(command),
            C::AddMember {
                enterprise_id,
                added_on,
            } => {
                if let Some(since) = self.members.get(enterprise_id) {
                    return Err(BaseError::AlreadyAMember {
                        enterprise_id: *enterprise_id,
                        since: *since,
                    });
                }
                not_before(name, *added_on, designation, designated_on)?;
                one(BaseMemberAdded {
                    enterprise_id: *enterprise_id,
                    added_on: *added_on,
                })
            }
            C::RemoveMember {
                enterprise_id,
                removed_on,
                reason,
            } => {
                require_reason(reason, name)?;
                let since = self
                    .members
                    .get(enterprise_id)
                    .ok_or(BaseError::NotAMember {
                        enterprise_id: *enterprise_id,
                    })?;
                not_before(name, *removed_on, "the membership", *since)?;
                one(BaseMemberRemoved {
                    enterprise_id: *enterprise_id,
                    removed_on: *removed_on,
                    reason: reason.clone(),
                })
            }
            C::LinkProject {
                project_id,
                linked_on,
            } => {
                if let Some(since) = self.projects.get(project_id) {
                    return Err(BaseError::ProjectAlreadyLinked {
                        project_id: *project_id,
                        since: *since,
                    });
                }
                not_before(name, *linked_on, designation, designated_on)?;
                one(BaseProjectLinked {
                    project_id: *project_id,
                    linked_on: *linked_on,
                })
            }
            C::UnlinkProject {
                project_id,
                unlinked_on,
                reason,
            } => {
                require_reason(reason, name)?;
                let since = self
                    .projects
                    .get(project_id)
                    .ok_or(BaseError::ProjectNotLinked {
                        project_id: *project_id,
                    })?;
                not_before(name, *unlinked_on, "the link", *since)?;
                one(BaseProjectUnlinked {
                    project_id: *project_id,
                    unlinked_on: *unlinked_on,
                    reason: reason.clone(),
                })
            }
            C::SetYearTargets {
                year,
                targets,
                set_on,
            } => {
                self.check_year(*year, designated_on)?;
                if let Some(current) = self.targets.get(year) {
                    return Err(BaseError::TargetsAlreadySet {
                        year: *year,
                        revision: current.revision,
                    });
                }
                check_targets(targets)?;
                not_before(name, *set_on, designation, designated_on)?;
                one(BaseYearTargetsSet {
                    year: *year,
                    targets: *targets,
                    set_on: *set_on,
                })
            }
            C::ReviseYearTargets {
                year,
                targets,
                revised_on,
                reason,
            } => {
                require_reason(reason, name)?;
                let current = self
                    .targets
                    .get(year)
                    .ok_or(BaseError::TargetsNotSet { year: *year })?;
                check_targets(targets)?;
                if current.targets == *targets {
                    return Err(BaseError::RevisionChangesNothing {
                        year: *year,
                        revision: current.revision,
                    });
                }
                not_before(name, *revised_on, designation, designated_on)?;
                one(BaseYearTargetsRevised {
                    year: *year,
                    revision: current.revision.saturating_add(1),
                    previous: current.targets,
                    targets: *targets,
                    revised_on: *revised_on,
                    reason: reason.clone(),
                })
            }
            C::RecordEvaluation {
                year,
                result,
                summary,
                evaluated_on,
            } => {
                self.check_year(*year, designated_on)?;
                if self.evaluations.contains_key(year) {
                    return Err(BaseError::EvaluationAlreadyRecorded { year: *year });
                }
                if evaluated_on.year() < i32::from(*year) {
                    return Err(BaseError::EvaluationBeforeYear {
                        year: *year,
                        evaluated_on: *evaluated_on,
                    });
                }
                if summary.trim().is_empty() {
                    return Err(BaseError::BlankSummary);
                }
                one(BaseEvaluationRecorded {
                    year: *year,
                    result: *result,
                    summary: summary.trim().to_owned(),
                    evaluated_on: *evaluated_on,
                })
            }
            C::RevokeBase { revoked_on, reason } => {
                require_reason(reason, name)?;
                not_before(name, *revoked_on, designation, designated_on)?;
                one(BaseRevoked {
                    revoked_on: *revoked_on,
                    reason: reason.clone(),
                })
            }
        }
    }

    fn apply(&mut self, event: &BaseEvent) {
        use BaseEvent as E;
        match event {
            E::Designated(e) => {
                self.status = BaseStatus::Designated;
                self.id = Some(e.base_id);
                self.name = e.name.clone();
                self.kind = Some(e.kind);
                self.level = Some(e.level);
                self.region = Some(e.region);
                self.designated_on = Some(e.designated_on);
            }
            E::MemberAdded(e) => {
                self.members.insert(e.enterprise_id, e.added_on);
            }
            E::MemberRemoved(e) => {
                self.members.remove(&e.enterprise_id);
            }
            E::ProjectLinked(e) => {
                self.projects.insert(e.project_id, e.linked_on);
            }
            E::ProjectUnlinked(e) => {
                self.projects.remove(&e.project_id);
            }
            E::YearTargetsSet(e) => {
                self.targets.insert(
                    e.year,
                    YearTargets {
                        targets: e.targets,
                        revision: 1,
                    },
                );
            }
            E::YearTargetsRevised(e) => {
                self.targets.insert(
                    e.year,
                    YearTargets {
                        targets: e.targets,
                        revision: e.revision,
                    },
                );
            }
            E::EvaluationRecorded(e) => {
                self.evaluations.insert(e.year, e.clone());
            }
            E::Revoked(e) => {
                self.status = BaseStatus::Revoked;
                self.revoked_on = Some(e.revoked_on);
            }
        }
    }
}
