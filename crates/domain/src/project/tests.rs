//! Given/when/then tests of every project command, and property tests.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::aggregate::{DomainEvent, replay};
use crate::testing::{
    assert_round_trips, assert_state_round_trips, event_types_reached, given, run_accepted,
};
use crate::values::Prefecture;

// ----- fixtures -------------------------------------------------------------------------------

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn t(tonnes: u64) -> Kg {
    Kg::from_tonnes(tonnes).expect("in range")
}

fn yuan(y: u64) -> Fen {
    Fen::from_yuan(y).expect("in range")
}

fn qingzhen() -> Region {
    "520181".parse().expect("county")
}

/// A 500 000 t/yr red mud building materials and cement line in 清镇, budget ¥200 000 000.
fn proposal() -> ProjectProposal {
    ProjectProposal {
        name: "清镇赤泥综合利用50万吨/年建材项目".into(),
        kind: ProjectKind::UtilizationCapacity,
        task: PlanTask::UtilizationScale,
        lead_enterprise_id: id(1),
        region: qingzhen(),
        routes: BTreeSet::from([
            UtilizationRoute::BuildingMaterials,
            UtilizationRoute::Cement,
        ]),
        planned_capacity_per_year: t(500_000),
        budget: yuan(200_000_000),
        responsible_units: vec!["省工业和信息化厅".into(), "贵阳市生态环境局".into()],
        planned_start: d(2025, 3, 1),
        planned_end: d(2026, 12, 31),
        matching_capacity: None,
        standard: None,
    }
}

/// A group standard for red mud road base material, drafted by an association.
fn standard_proposal() -> ProjectProposal {
    ProjectProposal {
        name: "赤泥基道路材料应用技术规范（团体标准）".into(),
        kind: ProjectKind::Standard,
        task: PlanTask::UtilizationScale,
        routes: BTreeSet::from([UtilizationRoute::RoadBase]),
        planned_capacity_per_year: Kg::ZERO,
        budget: yuan(800_000),
        standard: Some(StandardSpec {
            standard_type: StandardType::Group,
            drafting_body: " 贵州省资源综合利用协会 ".into(),
            scope: StandardScope::Application,
        }),
        ..proposal()
    }
}

/// A 1 Mt/yr alumina expansion expecting 1.5 Mt/yr of red mud, with 1 Mt owned and 0.3 Mt
/// contracted utilization capacity.
fn alumina_proposal() -> ProjectProposal {
    ProjectProposal {
        name: "某氧化铝改扩建项目".into(),
        kind: ProjectKind::NewOrExpandedAlumina,
        task: PlanTask::IndustrialSynergy,
        routes: BTreeSet::new(),
        planned_capacity_per_year: Kg::ZERO,
        budget: yuan(3_000_000_000),
        matching_capacity: Some(MatchingCapacity {
            expected_red_mud_per_year: t(1_500_000),
            owned_capacity_per_year: t(1_000_000),
            contracted_capacity_per_year: t(300_000),
        }),
        ..proposal()
    }
}

fn propose_cmd(proposal: ProjectProposal) -> ProjectCommand {
    ProjectCommand::ProposeProject {
        project_id: id(100),
        proposal,
        proposed_on: d(2025, 1, 15),
    }
}

fn proposed_with(proposal: ProjectProposal) -> ProjectEvent {
    ProjectProposed {
        project_id: id(100),
        proposal,
        proposed_on: d(2025, 1, 15),
    }
    .into()
}

fn proposed() -> ProjectEvent {
    proposed_with(proposal())
}

fn approved() -> ProjectEvent {
    ProjectApproved {
        approved_on: d(2025, 2, 1),
        document: "黔工信投资〔2025〕12号".into(),
    }
    .into()
}

fn started() -> ProjectEvent {
    ProjectConstructionStarted {
        started_on: d(2025, 3, 1),
    }
    .into()
}

fn milestone(n: u128, planned_on: NaiveDate) -> ProjectEvent {
    ProjectMilestonePlanned {
        milestone_id: id(n),
        name: "中期检查".into(),
        planned_on,
    }
    .into()
}

fn achieved(n: u128, on: NaiveDate) -> ProjectEvent {
    ProjectMilestoneAchieved {
        milestone_id: id(n),
        achieved_on: on,
        evidence: "中期检查报告".into(),
    }
    .into()
}

fn commissioned(capacity: Kg, on: NaiveDate) -> ProjectEvent {
    ProjectCapacityCommissioned {
        capacity_per_year: capacity,
        commissioned_on: on,
    }
    .into()
}

fn accepted() -> ProjectEvent {
    ProjectAccepted {
        accepted_on: d(2026, 12, 1),
        document: "竣工验收意见".into(),
    }
    .into()
}

fn suspended(from: ProjectStatus, on: NaiveDate) -> ProjectEvent {
    ProjectSuspended {
        suspended_on: on,
        suspended_from: from,
        reason: "环评整改".into(),
    }
    .into()
}

fn cancelled(on: NaiveDate) -> ProjectEvent {
    ProjectCancelled {
        cancelled_on: on,
        reason: "企业放弃建设".into(),
    }
    .into()
}

fn failed() -> ProjectEvent {
    ProjectAcceptanceFailed {
        failed_on: d(2026, 12, 1),
        reason: "产能未达设计能力".into(),
    }
    .into()
}

/// 30 % at the start of construction, 40 % after the mid-term check (milestone 50), 30 % after
/// acceptance, of ¥40 000 000 (20 % of the budget, as central budget investment commonly is).
fn tranches() -> Vec<TrancheTerm> {
    vec![
        TrancheTerm {
            condition: TrancheCondition::ConstructionStarted,
            amount: yuan(12_000_000),
        },
        TrancheTerm {
            condition: TrancheCondition::MilestoneAchieved {
                milestone_id: id(50),
            },
            amount: yuan(16_000_000),
        },
        TrancheTerm {
            condition: TrancheCondition::Accepted,
            amount: yuan(12_000_000),
        },
    ]
}

fn award_cmd(award_id: u128, amount: Fen, tranches: Vec<TrancheTerm>) -> ProjectCommand {
    ProjectCommand::AwardFunding {
        award_id: id(award_id),
        source: FundingSource::CentralBudgetInvestment,
        programme: "2025年资源节约和环境保护中央预算内投资".into(),
        amount,
        tranches,
        awarded_on: d(2025, 2, 20),
    }
}

fn awarded(award_id: u128) -> ProjectEvent {
    FundingAwarded {
        award_id: id(award_id),
        source: FundingSource::CentralBudgetInvestment,
        programme: "2025年资源节约和环境保护中央预算内投资".into(),
        amount: yuan(40_000_000),
        tranches: tranches(),
        awarded_on: d(2025, 2, 20),
    }
    .into()
}

fn disbursed(award_id: u128, tranche: u32, amount: Fen, on: NaiveDate) -> ProjectEvent {
    FundingTrancheDisbursed {
        award_id: id(award_id),
        tranche,
        amount,
        disbursed_on: on,
    }
    .into()
}

fn disburse_cmd(award_id: u128, tranche: u32, on: NaiveDate) -> ProjectCommand {
    ProjectCommand::DisburseTranche {
        award_id: id(award_id),
        tranche,
        disbursed_on: on,
    }
}

fn recover_cmd(amount: Fen, reason: &str) -> ProjectCommand {
    ProjectCommand::RecoverFunding {
        award_id: id(60),
        amount,
        recovered_on: d(2026, 1, 10),
        reason: reason.into(),
    }
}

fn recovered(amount: Fen) -> ProjectEvent {
    FundingRecovered {
        award_id: id(60),
        amount,
        recovered_on: d(2026, 1, 10),
        reason: "审计发现挪用".into(),
    }
    .into()
}

/// Events that bring a project to `status`.
fn history(status: ProjectStatus) -> Vec<ProjectEvent> {
    use ProjectStatus as S;
    match status {
        S::NotProposed => vec![],
        S::Proposed => vec![proposed()],
        S::Approved => vec![proposed(), approved()],
        S::UnderConstruction => vec![proposed(), approved(), started()],
        S::InOperation => vec![
            proposed(),
            approved(),
            started(),
            commissioned(t(500_000), d(2026, 6, 30)),
        ],
        S::Accepted => {
            let mut h = history(S::InOperation);
            h.push(accepted());
            h
        }
        S::Suspended => {
            let mut h = history(S::UnderConstruction);
            h.push(suspended(S::UnderConstruction, d(2025, 6, 1)));
            h
        }
        S::Cancelled => vec![proposed(), cancelled(d(2025, 1, 20))],
        S::AcceptanceFailed => {
            let mut h = history(S::InOperation);
            h.push(failed());
            h
        }
        S::Drafting | S::Consultation | S::Published | S::Withdrawn => standard_history(status),
    }
}

/// Events that bring a standard to `status` (drafting, consultation, approved, published or
/// withdrawn; any other status: drafting).
fn standard_history(status: ProjectStatus) -> Vec<ProjectEvent> {
    use ProjectStatus as S;
    let mut h = vec![standard_proposed()];
    if matches!(status, S::Consultation | S::Approved | S::Published) {
        h.push(consultation_opened());
    }
    if matches!(status, S::Approved | S::Published) {
        h.push(standard_approved());
    }
    match status {
        S::Published => h.push(
            StandardPublished {
                published_on: d(2025, 10, 1),
                number: "T/GZRCA 001—2025".into(),
            }
            .into(),
        ),
        S::Withdrawn => h.push(
            StandardWithdrawn {
                withdrawn_on: d(2025, 10, 1),
                reason: "撤回".into(),
            }
            .into(),
        ),
        _ => {}
    }
    h
}

/// Every standard command in every standard state: refused with `InvalidTransition` exactly
/// outside the states the standard lifecycle allows it in.
#[test]
fn the_standard_state_machine_allows_each_command_exactly_where_documented() {
    use ProjectStatus as S;
    let late = d(2030, 1, 1);
    let states = [
        S::Drafting,
        S::Consultation,
        S::Approved,
        S::Published,
        S::Withdrawn,
    ];
    let table: Vec<(ProjectCommand, Vec<ProjectStatus>)> = vec![
        (
            ProjectCommand::OpenConsultation { opened_on: late },
            vec![S::Drafting],
        ),
        (
            ProjectCommand::ApproveStandard {
                approved_on: late,
                document: "x".into(),
            },
            vec![S::Consultation],
        ),
        (
            ProjectCommand::PublishStandard {
                published_on: late,
                number: "x".into(),
            },
            vec![S::Approved],
        ),
        (
            ProjectCommand::WithdrawStandard {
                withdrawn_on: late,
                reason: "x".into(),
            },
            vec![S::Drafting, S::Consultation, S::Approved],
        ),
    ];
    for (command, allowed) in table {
        for state in states {
            let g = given::<Project>(standard_history(state));
            assert_eq!(g.state().status(), state);
            let result = g.state().decide(&command);
            let invalid = Err(ProjectError::InvalidTransition {
                state,
                command: command.name(),
            });
            if allowed.contains(&state) {
                assert!(result.is_ok(), "{} in {state}: {result:?}", command.name());
            } else {
                assert_eq!(result, invalid, "{} in {state}", command.name());
            }
        }
    }
}

const ALL_STATES: [ProjectStatus; 9] = [
    ProjectStatus::NotProposed,
    ProjectStatus::Proposed,
    ProjectStatus::Approved,
    ProjectStatus::UnderConstruction,
    ProjectStatus::InOperation,
    ProjectStatus::Accepted,
    ProjectStatus::Suspended,
    ProjectStatus::Cancelled,
    ProjectStatus::AcceptanceFailed,
];

// ----- the state machine ----------------------------------------------------------------------

/// Every command in every state: refused with `InvalidTransition` exactly outside the states the
/// lifecycle allows it in.
#[test]
fn the_state_machine_allows_each_command_exactly_where_documented() {
    use ProjectStatus as S;
    let late = d(2030, 1, 1);
    let table: Vec<(ProjectCommand, Vec<ProjectStatus>)> = vec![
        (propose_cmd(proposal()), vec![S::NotProposed]),
        (
            ProjectCommand::ApproveProject {
                approved_on: late,
                document: "x".into(),
            },
            vec![S::Proposed],
        ),
        (
            ProjectCommand::StartConstruction { started_on: late },
            vec![S::Approved],
        ),
        (
            ProjectCommand::PlanMilestone {
                milestone_id: id(77),
                name: "x".into(),
                planned_on: late,
            },
            vec![
                S::Proposed,
                S::Approved,
                S::UnderConstruction,
                S::InOperation,
            ],
        ),
        (
            ProjectCommand::AchieveMilestone {
                milestone_id: id(77),
                achieved_on: late,
                evidence: "x".into(),
            },
            vec![S::Approved, S::UnderConstruction, S::InOperation],
        ),
        (
            ProjectCommand::CommissionCapacity {
                capacity_per_year: t(1),
                commissioned_on: late,
            },
            vec![S::UnderConstruction, S::InOperation],
        ),
        (
            ProjectCommand::AcceptProject {
                accepted_on: late,
                document: "x".into(),
            },
            vec![S::InOperation],
        ),
        (
            ProjectCommand::FailAcceptance {
                failed_on: late,
                reason: "x".into(),
            },
            vec![S::InOperation],
        ),
        (
            ProjectCommand::SuspendProject {
                suspended_on: late,
                reason: "x".into(),
            },
            vec![S::Approved, S::UnderConstruction, S::InOperation],
        ),
        (
            ProjectCommand::ResumeProject { resumed_on: late },
            vec![S::Suspended],
        ),
        (
            ProjectCommand::CancelProject {
                cancelled_on: late,
                reason: "x".into(),
            },
            vec![S::Proposed, S::Approved, S::UnderConstruction, S::Suspended],
        ),
        (
            award_cmd(
                61,
                yuan(100),
                vec![TrancheTerm {
                    condition: TrancheCondition::Approval,
                    amount: yuan(100),
                }],
            ),
            vec![
                S::Proposed,
                S::Approved,
                S::UnderConstruction,
                S::InOperation,
                S::Accepted,
            ],
        ),
        (
            disburse_cmd(60, 1, late),
            vec![
                S::Approved,
                S::UnderConstruction,
                S::InOperation,
                S::Accepted,
            ],
        ),
        (
            recover_cmd(yuan(1), "x"),
            ALL_STATES
                .into_iter()
                .filter(|s| *s != S::NotProposed)
                .collect(),
        ),
    ];
    for (command, allowed) in table {
        for state in ALL_STATES {
            let g = given::<Project>(history(state));
            assert_eq!(g.state().status(), state);
            let result = g.state().decide(&command);
            let invalid = Err(ProjectError::InvalidTransition {
                state,
                command: command.name(),
            });
            if allowed.contains(&state) {
                assert_ne!(result, invalid, "{} in {state}", command.name());
            } else {
                assert_eq!(result, invalid, "{} in {state}", command.name());
            }
        }
    }
}

// ----- propose --------------------------------------------------------------------------------

#[test]
fn propose_a_utilization_capacity_project() {
    let mut untrimmed = proposal();
    untrimmed.name = format!("  {} ", proposal().name);
    untrimmed.responsible_units = vec![" 省工业和信息化厅".into(), "贵阳市生态环境局 ".into()];
    let state = given::<Project>([]).when_then(propose_cmd(untrimmed), vec![proposed()]);
    assert_eq!(state.status(), ProjectStatus::Proposed);
    assert_eq!(state.id(), Some(id(100)));
    assert_eq!(state.proposal(), Some(&proposal()));
    assert_eq!(state.proposed_on(), Some(d(2025, 1, 15)));
    assert_eq!(state.matching_coverage(), Ok(None));
}

#[test]
fn propose_an_alumina_project_with_its_matching_capacity() {
    let state = given::<Project>([]).when_then(
        propose_cmd(alumina_proposal()),
        vec![proposed_with(alumina_proposal())],
    );
    let coverage = state
        .matching_coverage()
        .expect("small")
        .expect("an alumina project states coverage");
    assert!(!coverage.covers);
    assert_eq!(coverage.capacity_per_year, t(1_300_000));
    assert_eq!(coverage.shortfall_per_year, t(200_000));
}

#[test]
fn propose_rules() {
    let fails = |p: ProjectProposal, e: ProjectError| {
        given::<Project>([]).when_fails(propose_cmd(p), e);
    };
    fails(
        ProjectProposal {
            name: " ".into(),
            ..proposal()
        },
        ProjectError::BlankName,
    );
    fails(
        ProjectProposal {
            region: Region::Province,
            ..proposal()
        },
        ProjectError::RegionNotWithinPrefecture {
            region: Region::Province,
        },
    );
    fails(
        ProjectProposal {
            responsible_units: vec![],
            ..proposal()
        },
        ProjectError::NoResponsibleUnits,
    );
    fails(
        ProjectProposal {
            responsible_units: vec!["省工业和信息化厅".into(), "\t".into()],
            ..proposal()
        },
        ProjectError::BlankResponsibleUnit { index: 1 },
    );
    fails(
        ProjectProposal {
            budget: Fen::ZERO,
            ..proposal()
        },
        ProjectError::ZeroBudget,
    );
    fails(
        ProjectProposal {
            planned_end: d(2025, 2, 28),
            ..proposal()
        },
        ProjectError::PlannedEndBeforeStart {
            planned_start: d(2025, 3, 1),
            planned_end: d(2025, 2, 28),
        },
    );
    fails(
        ProjectProposal {
            routes: BTreeSet::new(),
            ..proposal()
        },
        ProjectError::NoRoutes {
            kind: ProjectKind::UtilizationCapacity,
        },
    );
    fails(
        ProjectProposal {
            kind: ProjectKind::IndustrializationDemonstration,
            planned_capacity_per_year: Kg::ZERO,
            ..proposal()
        },
        ProjectError::NoPlannedCapacity {
            kind: ProjectKind::IndustrializationDemonstration,
        },
    );
    given::<Project>([proposed()]).when_fails(
        propose_cmd(proposal()),
        ProjectError::InvalidTransition {
            state: ProjectStatus::Proposed,
            command: "ProposeProject",
        },
    );
}

#[test]
fn an_alumina_project_must_bring_matching_capacity() {
    let fails = |p: ProjectProposal, e: ProjectError| {
        given::<Project>([]).when_fails(propose_cmd(p), e);
    };
    fails(
        ProjectProposal {
            matching_capacity: None,
            ..alumina_proposal()
        },
        ProjectError::MatchingCapacityMissing,
    );
    fails(
        ProjectProposal {
            matching_capacity: Some(MatchingCapacity {
                expected_red_mud_per_year: t(1_500_000),
                owned_capacity_per_year: Kg::ZERO,
                contracted_capacity_per_year: Kg::ZERO,
            }),
            ..alumina_proposal()
        },
        ProjectError::MatchingCapacityMissing,
    );
    fails(
        ProjectProposal {
            matching_capacity: Some(MatchingCapacity {
                expected_red_mud_per_year: Kg::ZERO,
                owned_capacity_per_year: t(1),
                contracted_capacity_per_year: Kg::ZERO,
            }),
            ..alumina_proposal()
        },
        ProjectError::ExpectedRedMudMissing,
    );
    fails(
        ProjectProposal {
            matching_capacity: Some(MatchingCapacity {
                expected_red_mud_per_year: Kg::MAX,
                owned_capacity_per_year: Kg::MAX,
                contracted_capacity_per_year: t(1),
            }),
            ..alumina_proposal()
        },
        ProjectError::Mass(MassError::Overflow {
            left: Kg::MAX,
            right: t(1),
        }),
    );
    fails(
        ProjectProposal {
            matching_capacity: alumina_proposal().matching_capacity,
            ..proposal()
        },
        ProjectError::MatchingCapacityNotApplicable {
            kind: ProjectKind::UtilizationCapacity,
        },
    );
    // Contracted capacity alone is enough to state the link.
    let contracted_only = ProjectProposal {
        matching_capacity: Some(MatchingCapacity {
            expected_red_mud_per_year: t(1_500_000),
            owned_capacity_per_year: Kg::ZERO,
            contracted_capacity_per_year: t(1_600_000),
        }),
        ..alumina_proposal()
    };
    let state = given::<Project>([]).when_then(
        propose_cmd(contracted_only.clone()),
        vec![proposed_with(contracted_only)],
    );
    assert_eq!(
        state.matching_coverage().ok().flatten().map(|c| c.covers),
        Some(true)
    );
}

// ----- approve, start, milestones, commission ---------------------------------------------------

#[test]
fn approve_project() {
    let state = given::<Project>([proposed()]).when_then(
        ProjectCommand::ApproveProject {
            approved_on: d(2025, 2, 1),
            document: " 黔工信投资〔2025〕12号 ".into(),
        },
        vec![approved()],
    );
    assert_eq!(state.status(), ProjectStatus::Approved);
    assert_eq!(state.approved_on(), Some(d(2025, 2, 1)));
    given::<Project>([proposed()]).when_fails(
        ProjectCommand::ApproveProject {
            approved_on: d(2025, 2, 1),
            document: "".into(),
        },
        ProjectError::BlankDocument {
            command: "ApproveProject",
        },
    );
    given::<Project>([proposed()]).when_fails(
        ProjectCommand::ApproveProject {
            approved_on: d(2025, 1, 14),
            document: "x".into(),
        },
        ProjectError::DateBefore {
            command: "ApproveProject",
            date: d(2025, 1, 14),
            earlier: "the last status change",
            earlier_on: d(2025, 1, 15),
        },
    );
}

#[test]
fn start_construction() {
    let state = given::<Project>([proposed(), approved()]).when_then(
        ProjectCommand::StartConstruction {
            started_on: d(2025, 3, 1),
        },
        vec![started()],
    );
    assert_eq!(state.status(), ProjectStatus::UnderConstruction);
    assert_eq!(state.construction_started_on(), Some(d(2025, 3, 1)));
    given::<Project>([proposed(), approved()]).when_fails(
        ProjectCommand::StartConstruction {
            started_on: d(2025, 1, 31),
        },
        ProjectError::DateBefore {
            command: "StartConstruction",
            date: d(2025, 1, 31),
            earlier: "the last status change",
            earlier_on: d(2025, 2, 1),
        },
    );
}

#[test]
fn plan_milestones() {
    let state = given::<Project>([proposed()]).when_then(
        ProjectCommand::PlanMilestone {
            milestone_id: id(50),
            name: " 中期检查 ".into(),
            planned_on: d(2025, 12, 1),
        },
        vec![milestone(50, d(2025, 12, 1))],
    );
    assert_eq!(
        state.milestones().get(&id(50)),
        Some(&Milestone {
            name: "中期检查".into(),
            planned_on: d(2025, 12, 1),
            achieved_on: None,
            evidence: None,
        })
    );
    given::<Project>([proposed(), milestone(50, d(2025, 12, 1))]).when_fails(
        ProjectCommand::PlanMilestone {
            milestone_id: id(50),
            name: "另一个".into(),
            planned_on: d(2025, 12, 1),
        },
        ProjectError::DuplicateMilestone {
            milestone_id: id(50),
        },
    );
    given::<Project>([proposed()]).when_fails(
        ProjectCommand::PlanMilestone {
            milestone_id: id(50),
            name: "".into(),
            planned_on: d(2025, 12, 1),
        },
        ProjectError::BlankMilestoneName,
    );
}

#[test]
fn achieve_milestones() {
    let base = || {
        let mut h = history(ProjectStatus::UnderConstruction);
        h.push(milestone(50, d(2025, 12, 1)));
        h
    };
    let achieve = |n: u128, on: NaiveDate, evidence: &str| ProjectCommand::AchieveMilestone {
        milestone_id: id(n),
        achieved_on: on,
        evidence: evidence.into(),
    };
    let state = given::<Project>(base()).when_then(
        achieve(50, d(2025, 12, 10), " 中期检查报告 "),
        vec![achieved(50, d(2025, 12, 10))],
    );
    let m = state.milestones().get(&id(50)).expect("planned");
    assert_eq!(m.achieved_on, Some(d(2025, 12, 10)));
    assert_eq!(m.planned_on, d(2025, 12, 1));
    assert_eq!(m.evidence.as_deref(), Some("中期检查报告"));
    given::<Project>(base()).when_fails(
        achieve(51, d(2025, 12, 10), "x"),
        ProjectError::UnknownMilestone {
            milestone_id: id(51),
        },
    );
    let mut done = base();
    done.push(achieved(50, d(2025, 12, 10)));
    given::<Project>(done).when_fails(
        achieve(50, d(2025, 12, 11), "x"),
        ProjectError::MilestoneAlreadyAchieved {
            milestone_id: id(50),
            achieved_on: d(2025, 12, 10),
        },
    );
    given::<Project>(base()).when_fails(
        achieve(50, d(2025, 12, 10), "  "),
        ProjectError::BlankEvidence,
    );
    given::<Project>(base()).when_fails(
        achieve(50, d(2025, 1, 1), "x"),
        ProjectError::DateBefore {
            command: "AchieveMilestone",
            date: d(2025, 1, 1),
            earlier: "the proposal",
            earlier_on: d(2025, 1, 15),
        },
    );
}

#[test]
fn commission_capacity_in_phases() {
    let commission = |kg: Kg, on: NaiveDate| ProjectCommand::CommissionCapacity {
        capacity_per_year: kg,
        commissioned_on: on,
    };
    let state = given::<Project>(history(ProjectStatus::UnderConstruction)).when_then(
        commission(t(300_000), d(2026, 6, 30)),
        vec![commissioned(t(300_000), d(2026, 6, 30))],
    );
    assert_eq!(state.status(), ProjectStatus::InOperation);
    assert_eq!(state.first_commissioned_on(), Some(d(2026, 6, 30)));
    let mut h = history(ProjectStatus::UnderConstruction);
    h.push(commissioned(t(300_000), d(2026, 6, 30)));
    let state = given::<Project>(h.clone()).when_then(
        commission(t(200_000), d(2026, 9, 30)),
        vec![commissioned(t(200_000), d(2026, 9, 30))],
    );
    assert_eq!(state.commissioned_per_year(), t(500_000));
    assert_eq!(state.first_commissioned_on(), Some(d(2026, 6, 30)));
    given::<Project>(h.clone()).when_fails(
        commission(Kg::ZERO, d(2026, 9, 30)),
        ProjectError::ZeroCapacityCommissioned {
            planned_per_year: t(500_000),
            commissioned_per_year: t(300_000),
        },
    );
    given::<Project>(h).when_fails(
        commission(t(1), d(2026, 6, 29)),
        ProjectError::DateBefore {
            command: "CommissionCapacity",
            date: d(2026, 6, 29),
            earlier: "the last status change",
            earlier_on: d(2026, 6, 30),
        },
    );
    given::<Project>(history(ProjectStatus::UnderConstruction)).when_fails(
        commission(Kg::ZERO, d(2026, 6, 30)),
        ProjectError::ZeroCapacityCommissioned {
            planned_per_year: t(500_000),
            commissioned_per_year: Kg::ZERO,
        },
    );
    let mut overflow = history(ProjectStatus::UnderConstruction);
    overflow.push(commissioned(Kg::MAX, d(2026, 6, 30)));
    given::<Project>(overflow).when_fails(
        commission(t(1), d(2026, 7, 1)),
        ProjectError::Mass(MassError::Overflow {
            left: Kg::MAX,
            right: t(1),
        }),
    );
}

#[test]
fn a_project_without_planned_capacity_enters_operation_with_a_zero_commissioning() {
    let platform = ProjectProposal {
        kind: ProjectKind::InnovationPlatform,
        task: PlanTask::TechnologyInnovation,
        routes: BTreeSet::new(),
        planned_capacity_per_year: Kg::ZERO,
        ..proposal()
    };
    let h = vec![proposed_with(platform), approved(), started()];
    let zero = ProjectCommand::CommissionCapacity {
        capacity_per_year: Kg::ZERO,
        commissioned_on: d(2026, 1, 1),
    };
    let state = given::<Project>(h.clone())
        .when_then(zero.clone(), vec![commissioned(Kg::ZERO, d(2026, 1, 1))]);
    assert_eq!(state.status(), ProjectStatus::InOperation);
    let mut again = h;
    again.push(commissioned(Kg::ZERO, d(2026, 1, 1)));
    given::<Project>(again).when_fails(
        zero,
        ProjectError::ZeroCapacityCommissioned {
            planned_per_year: Kg::ZERO,
            commissioned_per_year: Kg::ZERO,
        },
    );
}

// ----- accept, fail, suspend, resume, cancel -----------------------------------------------------

#[test]
fn accept_project() {
    let accept = |on: NaiveDate, document: &str| ProjectCommand::AcceptProject {
        accepted_on: on,
        document: document.into(),
    };
    let state = given::<Project>(history(ProjectStatus::InOperation))
        .when_then(accept(d(2026, 12, 1), "竣工验收意见"), vec![accepted()]);
    assert_eq!(state.status(), ProjectStatus::Accepted);
    assert_eq!(state.accepted_on(), Some(d(2026, 12, 1)));
    given::<Project>(history(ProjectStatus::InOperation)).when_fails(
        accept(d(2026, 12, 1), " "),
        ProjectError::BlankDocument {
            command: "AcceptProject",
        },
    );
    given::<Project>(history(ProjectStatus::InOperation)).when_fails(
        accept(d(2026, 6, 1), "x"),
        ProjectError::DateBefore {
            command: "AcceptProject",
            date: d(2026, 6, 1),
            earlier: "the last status change",
            earlier_on: d(2026, 6, 30),
        },
    );
    let mut h = history(ProjectStatus::InOperation);
    h.extend([
        milestone(50, d(2025, 12, 1)),
        milestone(51, d(2026, 3, 1)),
        milestone(52, d(2026, 3, 1)),
        achieved(51, d(2026, 3, 5)),
    ]);
    given::<Project>(h.clone()).when_fails(
        accept(d(2026, 12, 1), "x"),
        ProjectError::MilestonesNotAchieved {
            milestone_ids: vec![id(50), id(52)],
        },
    );
    h.extend([achieved(50, d(2026, 7, 1)), achieved(52, d(2026, 7, 1))]);
    given::<Project>(h).when_then(accept(d(2026, 12, 1), "竣工验收意见"), vec![accepted()]);
}

#[test]
fn fail_acceptance() {
    let fail = |reason: &str| ProjectCommand::FailAcceptance {
        failed_on: d(2026, 12, 1),
        reason: reason.into(),
    };
    let state = given::<Project>(history(ProjectStatus::InOperation))
        .when_then(fail("产能未达设计能力"), vec![failed()]);
    assert_eq!(state.status(), ProjectStatus::AcceptanceFailed);
    given::<Project>(history(ProjectStatus::InOperation)).when_fails(
        fail(""),
        BlankReason {
            command: "FailAcceptance",
        }
        .into(),
    );
}

#[test]
fn suspend_and_resume_to_the_state_suspended_from() {
    use ProjectStatus as S;
    for from in [S::Approved, S::UnderConstruction, S::InOperation] {
        let on = d(2026, 7, 1);
        let state = given::<Project>(history(from)).when_then(
            ProjectCommand::SuspendProject {
                suspended_on: on,
                reason: "环评整改".into(),
            },
            vec![suspended(from, on)],
        );
        assert_eq!(state.status(), S::Suspended);
        assert_eq!(state.suspended_from(), Some(from));
        let mut h = history(from);
        h.push(suspended(from, on));
        let state = given::<Project>(h).when_then(
            ProjectCommand::ResumeProject {
                resumed_on: d(2026, 8, 1),
            },
            vec![
                ProjectResumed {
                    resumed_on: d(2026, 8, 1),
                    resumed_to: from,
                }
                .into(),
            ],
        );
        assert_eq!(state.status(), from);
        assert_eq!(state.suspended_from(), None);
    }
    given::<Project>(history(S::Approved)).when_fails(
        ProjectCommand::SuspendProject {
            suspended_on: d(2026, 7, 1),
            reason: " ".into(),
        },
        BlankReason {
            command: "SuspendProject",
        }
        .into(),
    );
    given::<Project>(history(S::Suspended)).when_fails(
        ProjectCommand::ResumeProject {
            resumed_on: d(2025, 5, 31),
        },
        ProjectError::DateBefore {
            command: "ResumeProject",
            date: d(2025, 5, 31),
            earlier: "the last status change",
            earlier_on: d(2025, 6, 1),
        },
    );
}

#[test]
fn cancel_project() {
    use ProjectStatus as S;
    for from in [S::Proposed, S::Approved, S::UnderConstruction, S::Suspended] {
        let state = given::<Project>(history(from)).when_then(
            ProjectCommand::CancelProject {
                cancelled_on: d(2026, 7, 1),
                reason: "企业放弃建设".into(),
            },
            vec![cancelled(d(2026, 7, 1))],
        );
        assert_eq!(state.status(), S::Cancelled);
        assert_eq!(state.suspended_from(), None);
    }
    given::<Project>(history(S::Proposed)).when_fails(
        ProjectCommand::CancelProject {
            cancelled_on: d(2026, 7, 1),
            reason: "".into(),
        },
        BlankReason {
            command: "CancelProject",
        }
        .into(),
    );
}

// ----- funding --------------------------------------------------------------------------------

fn with_mid_term() -> Vec<ProjectEvent> {
    let mut h = history(ProjectStatus::Proposed);
    h.push(milestone(50, d(2025, 12, 1)));
    h
}

#[test]
fn award_funding_in_tranches() {
    let state = given::<Project>(with_mid_term())
        .when_then(award_cmd(1, yuan(40_000_000), tranches()), vec![awarded(1)]);
    let award = state.awards().get(&id(1)).expect("awarded");
    assert_eq!(award.amount, yuan(40_000_000));
    assert_eq!(award.tranches.len(), 3);
    assert!(award.tranches.iter().all(|t| t.disbursed_on.is_none()));
    assert_eq!(
        state.funding_balances(),
        Ok(FundingBalances {
            awarded: yuan(40_000_000),
            disbursed: Fen::ZERO,
            recovered: Fen::ZERO,
            outstanding: yuan(40_000_000),
            net_disbursed: Fen::ZERO,
        })
    );
    // The 30/40/30 split from shares gives the same tranche amounts.
    let shares = [3_000u16, 4_000, 3_000].map(|bp| crate::BasisPoints::new(bp).expect("bp"));
    assert_eq!(
        rules::tranche_amounts(yuan(40_000_000), &shares),
        Ok(tranches().iter().map(|t| t.amount).collect::<Vec<_>>())
    );
}

#[test]
fn award_rules() {
    let g = || given::<Project>(with_mid_term());
    let mut h = with_mid_term();
    h.push(awarded(1));
    given::<Project>(h.clone()).when_fails(
        award_cmd(1, yuan(40_000_000), tranches()),
        ProjectError::DuplicateAward { award_id: id(1) },
    );
    let mut blank = award_cmd(2, yuan(40_000_000), tranches());
    if let ProjectCommand::AwardFunding { programme, .. } = &mut blank {
        *programme = " ".into();
    }
    g().when_fails(blank, ProjectError::BlankProgramme);
    g().when_fails(award_cmd(2, Fen::ZERO, vec![]), ProjectError::ZeroAward);
    // ¥40 000 000 already awarded of a ¥200 000 000 budget: ¥160 000 000.01 more is too much.
    let over = Fen::new(16_000_000_001).expect("in range");
    given::<Project>(h.clone()).when_fails(
        award_cmd(2, over, vec![]),
        ProjectError::AwardsExceedBudget {
            budget: yuan(200_000_000),
            already_awarded: yuan(40_000_000),
            requested: over,
        },
    );
    given::<Project>(h).when_then(
        award_cmd(
            2,
            yuan(160_000_000),
            vec![TrancheTerm {
                condition: TrancheCondition::Approval,
                amount: yuan(160_000_000),
            }],
        ),
        vec![
            FundingAwarded {
                award_id: id(2),
                source: FundingSource::CentralBudgetInvestment,
                programme: "2025年资源节约和环境保护中央预算内投资".into(),
                amount: yuan(160_000_000),
                tranches: vec![TrancheTerm {
                    condition: TrancheCondition::Approval,
                    amount: yuan(160_000_000),
                }],
                awarded_on: d(2025, 2, 20),
            }
            .into(),
        ],
    );
    g().when_fails(award_cmd(2, yuan(100), vec![]), ProjectError::NoTranches);
    let mut zero_tranche = tranches();
    zero_tranche.push(TrancheTerm {
        condition: TrancheCondition::Commissioned,
        amount: Fen::ZERO,
    });
    g().when_fails(
        award_cmd(2, yuan(40_000_000), zero_tranche),
        ProjectError::ZeroTranche { tranche: 4 },
    );
    g().when_fails(
        award_cmd(2, yuan(40_000_001), tranches()),
        ProjectError::TranchesDoNotSumToAward {
            amount: yuan(40_000_001),
            tranche_total: yuan(40_000_000),
        },
    );
    given::<Project>(history(ProjectStatus::Proposed)).when_fails(
        award_cmd(2, yuan(40_000_000), tranches()),
        ProjectError::UnknownMilestone {
            milestone_id: id(50),
        },
    );
    let mut early = award_cmd(2, yuan(40_000_000), tranches());
    if let ProjectCommand::AwardFunding { awarded_on, .. } = &mut early {
        *awarded_on = d(2025, 1, 1);
    }
    g().when_fails(
        early,
        ProjectError::DateBefore {
            command: "AwardFunding",
            date: d(2025, 1, 1),
            earlier: "the proposal",
            earlier_on: d(2025, 1, 15),
        },
    );
}

/// Under construction, with the mid-term milestone planned and award 60 (30/40/30) made.
fn funded() -> Vec<ProjectEvent> {
    vec![
        proposed(),
        milestone(50, d(2025, 12, 1)),
        awarded(60),
        approved(),
        started(),
    ]
}

#[test]
fn disburse_tranches_as_their_conditions_are_met() {
    let state = given::<Project>(funded()).when_then(
        disburse_cmd(60, 1, d(2025, 3, 10)),
        vec![disbursed(60, 1, yuan(12_000_000), d(2025, 3, 10))],
    );
    assert_eq!(
        state.awards().get(&id(60)).map(|a| a.disbursed),
        Some(yuan(12_000_000))
    );
    let mut h = funded();
    h.push(disbursed(60, 1, yuan(12_000_000), d(2025, 3, 10)));
    given::<Project>(h.clone()).when_fails(
        disburse_cmd(60, 2, d(2025, 6, 1)),
        ProjectError::TrancheConditionNotMet {
            award_id: id(60),
            tranche: 2,
            condition: TrancheCondition::MilestoneAchieved {
                milestone_id: id(50),
            },
        },
    );
    h.push(achieved(50, d(2025, 12, 5)));
    given::<Project>(h.clone()).when_then(
        disburse_cmd(60, 2, d(2025, 12, 20)),
        vec![disbursed(60, 2, yuan(16_000_000), d(2025, 12, 20))],
    );
    h.push(disbursed(60, 2, yuan(16_000_000), d(2025, 12, 20)));
    h.push(commissioned(t(500_000), d(2026, 6, 30)));
    given::<Project>(h.clone()).when_fails(
        disburse_cmd(60, 3, d(2026, 7, 1)),
        ProjectError::TrancheConditionNotMet {
            award_id: id(60),
            tranche: 3,
            condition: TrancheCondition::Accepted,
        },
    );
    h.push(accepted());
    let state = given::<Project>(h).when_then(
        disburse_cmd(60, 3, d(2026, 12, 20)),
        vec![disbursed(60, 3, yuan(12_000_000), d(2026, 12, 20))],
    );
    assert_eq!(
        state.funding_balances(),
        Ok(FundingBalances {
            awarded: yuan(40_000_000),
            disbursed: yuan(40_000_000),
            recovered: Fen::ZERO,
            outstanding: Fen::ZERO,
            net_disbursed: yuan(40_000_000),
        })
    );
}

#[test]
fn disburse_rules() {
    // Never before approval.
    given::<Project>([proposed(), milestone(50, d(2025, 12, 1)), awarded(60)]).when_fails(
        disburse_cmd(60, 1, d(2025, 3, 10)),
        ProjectError::InvalidTransition {
            state: ProjectStatus::Proposed,
            command: "DisburseTranche",
        },
    );
    // Never to a cancelled (or suspended) project.
    let mut cancelled_h = funded();
    cancelled_h.push(cancelled(d(2025, 4, 1)));
    given::<Project>(cancelled_h).when_fails(
        disburse_cmd(60, 1, d(2025, 4, 2)),
        ProjectError::InvalidTransition {
            state: ProjectStatus::Cancelled,
            command: "DisburseTranche",
        },
    );
    let mut suspended_h = funded();
    suspended_h.push(suspended(ProjectStatus::UnderConstruction, d(2025, 4, 1)));
    given::<Project>(suspended_h).when_fails(
        disburse_cmd(60, 1, d(2025, 4, 2)),
        ProjectError::InvalidTransition {
            state: ProjectStatus::Suspended,
            command: "DisburseTranche",
        },
    );
    given::<Project>(funded()).when_fails(
        disburse_cmd(61, 1, d(2025, 3, 10)),
        ProjectError::UnknownAward { award_id: id(61) },
    );
    for tranche in [0, 4] {
        given::<Project>(funded()).when_fails(
            disburse_cmd(60, tranche, d(2025, 3, 10)),
            ProjectError::UnknownTranche {
                award_id: id(60),
                tranche,
                tranches: 3,
            },
        );
    }
    // Never a tranche twice.
    let mut twice = funded();
    twice.push(disbursed(60, 1, yuan(12_000_000), d(2025, 3, 10)));
    given::<Project>(twice).when_fails(
        disburse_cmd(60, 1, d(2025, 3, 11)),
        ProjectError::TrancheAlreadyDisbursed {
            award_id: id(60),
            tranche: 1,
            disbursed_on: d(2025, 3, 10),
        },
    );
    // Not dated before the approval, nor before the award.
    given::<Project>(funded()).when_fails(
        disburse_cmd(60, 1, d(2025, 1, 31)),
        ProjectError::DateBefore {
            command: "DisburseTranche",
            date: d(2025, 1, 31),
            earlier: "the approval",
            earlier_on: d(2025, 2, 1),
        },
    );
    given::<Project>(funded()).when_fails(
        disburse_cmd(60, 1, d(2025, 2, 10)),
        ProjectError::DateBefore {
            command: "DisburseTranche",
            date: d(2025, 2, 10),
            earlier: "the award",
            earlier_on: d(2025, 2, 20),
        },
    );
    // Never beyond the award, even if a stored award were inconsistent (apply is total and takes
    // whatever history it is given; decide still holds the line).
    let inconsistent: ProjectEvent = FundingAwarded {
        award_id: id(62),
        source: FundingSource::ProvincialSpecialFunds,
        programme: "x".into(),
        amount: yuan(10),
        tranches: vec![
            TrancheTerm {
                condition: TrancheCondition::Approval,
                amount: yuan(8),
            },
            TrancheTerm {
                condition: TrancheCondition::Approval,
                amount: yuan(8),
            },
        ],
        awarded_on: d(2025, 2, 20),
    }
    .into();
    let mut h = funded();
    h.push(inconsistent);
    h.push(disbursed(62, 1, yuan(8), d(2025, 3, 1)));
    given::<Project>(h).when_fails(
        disburse_cmd(62, 2, d(2025, 3, 2)),
        ProjectError::DisbursementExceedsAward {
            awarded: yuan(10),
            already_disbursed: yuan(8),
            requested: yuan(8),
        },
    );
}

fn paid_first_tranche() -> Vec<ProjectEvent> {
    let mut h = funded();
    h.push(disbursed(60, 1, yuan(12_000_000), d(2025, 3, 10)));
    h
}

#[test]
fn recover_funding() {
    let state = given::<Project>(paid_first_tranche()).when_then(
        recover_cmd(yuan(2_000_000), "审计发现挪用"),
        vec![recovered(yuan(2_000_000))],
    );
    assert_eq!(
        state.funding_balances(),
        Ok(FundingBalances {
            awarded: yuan(40_000_000),
            disbursed: yuan(12_000_000),
            recovered: yuan(2_000_000),
            outstanding: yuan(28_000_000),
            net_disbursed: yuan(10_000_000),
        })
    );
    // Recoveries continue after cancellation (that is when clawbacks happen).
    let mut h = paid_first_tranche();
    h.push(recovered(yuan(2_000_000)));
    h.push(cancelled(d(2025, 12, 31)));
    given::<Project>(h.clone()).when_then(
        recover_cmd(yuan(10_000_000), "审计发现挪用"),
        vec![recovered(yuan(10_000_000))],
    );
    // Never more than disbursed net of earlier recoveries.
    let over = Fen::new(1_000_000_001).expect("in range");
    given::<Project>(h).when_fails(
        recover_cmd(over, "x"),
        ProjectError::RecoveryExceedsDisbursed {
            disbursed: yuan(12_000_000),
            already_recovered: yuan(2_000_000),
            requested: over,
        },
    );
    given::<Project>(funded()).when_fails(
        recover_cmd(yuan(1), "x"),
        ProjectError::RecoveryExceedsDisbursed {
            disbursed: Fen::ZERO,
            already_recovered: Fen::ZERO,
            requested: yuan(1),
        },
    );
    given::<Project>(paid_first_tranche())
        .when_fails(recover_cmd(Fen::ZERO, "x"), ProjectError::ZeroRecovery);
    given::<Project>(paid_first_tranche()).when_fails(
        recover_cmd(yuan(1), " "),
        BlankReason {
            command: "RecoverFunding",
        }
        .into(),
    );
    given::<Project>(paid_first_tranche()).when_fails(
        ProjectCommand::RecoverFunding {
            award_id: id(61),
            amount: yuan(1),
            recovered_on: d(2026, 1, 10),
            reason: "x".into(),
        },
        ProjectError::UnknownAward { award_id: id(61) },
    );
    given::<Project>(paid_first_tranche()).when_fails(
        ProjectCommand::RecoverFunding {
            award_id: id(60),
            amount: yuan(1),
            recovered_on: d(2025, 3, 9),
            reason: "x".into(),
        },
        ProjectError::DateBefore {
            command: "RecoverFunding",
            date: d(2025, 3, 9),
            earlier: "the first disbursement",
            earlier_on: d(2025, 3, 10),
        },
    );
}

#[test]
fn funding_by_source() {
    let provincial: ProjectEvent = FundingAwarded {
        award_id: id(61),
        source: FundingSource::ProvincialSpecialFunds,
        programme: "省级工业和信息化发展专项资金".into(),
        amount: yuan(5_000_000),
        tranches: vec![TrancheTerm {
            condition: TrancheCondition::Approval,
            amount: yuan(5_000_000),
        }],
        awarded_on: d(2025, 2, 20),
    }
    .into();
    let mut h = paid_first_tranche();
    h.push(provincial);
    let g = given::<Project>(h);
    let by_source = g.state().funding_by_source().expect("consistent");
    assert_eq!(by_source.len(), 2);
    assert_eq!(
        by_source
            .get(&FundingSource::CentralBudgetInvestment)
            .map(|b| b.disbursed),
        Some(yuan(12_000_000))
    );
    assert_eq!(
        by_source
            .get(&FundingSource::ProvincialSpecialFunds)
            .map(|b| b.outstanding),
        Some(yuan(5_000_000))
    );
    assert_eq!(
        g.state().funding_balances().map(|b| b.awarded),
        Ok(yuan(45_000_000))
    );
}

#[test]
fn event_type_names_are_stable() {
    assert_eq!(
        ProjectEvent::EVENT_TYPES,
        [
            "ProjectProposed",
            "ProjectApproved",
            "ProjectConstructionStarted",
            "ProjectMilestonePlanned",
            "ProjectMilestoneAchieved",
            "ProjectCapacityCommissioned",
            "ProjectAccepted",
            "ProjectAcceptanceFailed",
            "ProjectSuspended",
            "ProjectResumed",
            "ProjectCancelled",
            "FundingAwarded",
            "FundingTrancheDisbursed",
            "FundingRecovered",
            "StandardConsultationOpened",
            "StandardApproved",
            "StandardPublished",
            "StandardWithdrawn",
            "ProjectTypicalCaseRecommended",
            "ProjectTypicalCaseWithdrawn",
        ]
    );
    assert_eq!(Project::CATEGORY, "project");
    let (name, payload) = awarded(60).to_payload();
    assert_eq!(name, "FundingAwarded");
    assert_eq!(
        payload,
        serde_json::json!({
            "award_id": id(60).to_string(),
            "source": "central_budget_investment",
            "programme": "2025年资源节约和环境保护中央预算内投资",
            "amount": 4_000_000_000u64,
            "tranches": [
                {"condition": {"on": "construction_started"}, "amount": 1_200_000_000u64},
                {"condition": {"on": "milestone_achieved", "milestone_id": id(50).to_string()},
                 "amount": 1_600_000_000u64},
                {"condition": {"on": "accepted"}, "amount": 1_200_000_000u64},
            ],
            "awarded_on": "2025-02-20",
        })
    );
    assert_eq!(awarded(60).effective(), Some("2025-02-20".into()));
    let (_, payload) = proposed_with(alumina_proposal()).to_payload();
    assert_eq!(
        payload["proposal"]["matching_capacity"],
        serde_json::json!({
            "expected_red_mud_per_year": 1_500_000_000u64,
            "owned_capacity_per_year": 1_000_000_000u64,
            "contracted_capacity_per_year": 300_000_000u64,
        })
    );
    assert!(
        proposed().to_payload().1["proposal"]
            .get("matching_capacity")
            .is_none()
    );
    for state in ALL_STATES {
        for event in history(state) {
            assert_round_trips(&event);
        }
    }
}

// ----- properties -----------------------------------------------------------------------------

fn arb_date() -> impl Strategy<Value = NaiveDate> {
    arb_date_in(0..900)
}

/// A date `days` after the proposal; lifecycle commands draw from overlapping windows in their
/// usual order, so sequences often run the whole lifecycle and sometimes go back in time.
fn arb_date_in(days: std::ops::Range<i64>) -> impl Strategy<Value = NaiveDate> {
    days.prop_map(|n| d(2025, 1, 15) + chrono::Duration::days(n))
}

fn arb_reason() -> impl Strategy<Value = String> {
    prop_oneof![1 => Just(String::new()), 3 => Just("原因".to_owned())]
}

fn arb_condition() -> impl Strategy<Value = TrancheCondition> {
    prop_oneof![
        Just(TrancheCondition::Approval),
        Just(TrancheCondition::ConstructionStarted),
        (1u128..3).prop_map(|n| TrancheCondition::MilestoneAchieved {
            milestone_id: id(n)
        }),
        Just(TrancheCondition::Commissioned),
        Just(TrancheCondition::Accepted),
    ]
}

/// Awards whose tranches mostly sum to the amount; sometimes they do not.
fn arb_award() -> impl Strategy<Value = ProjectCommand> {
    (
        1u128..4,
        proptest::collection::vec((arb_condition(), 1u64..60), 1..4),
        0u8..6,
        arb_date(),
    )
        .prop_map(|(n, terms, skew, awarded_on)| {
            let tranches: Vec<TrancheTerm> = terms
                .into_iter()
                .map(|(condition, y)| TrancheTerm {
                    condition,
                    amount: yuan(y),
                })
                .collect();
            let total = Fen::sum(tranches.iter().map(|t| t.amount)).unwrap_or(Fen::ZERO);
            let amount = if skew == 0 {
                total.checked_add(yuan(1)).unwrap_or(total)
            } else {
                total
            };
            ProjectCommand::AwardFunding {
                award_id: id(n),
                source: FundingSource::ALL[usize::from(skew) % FundingSource::ALL.len()],
                programme: "专项".into(),
                amount,
                tranches,
                awarded_on,
            }
        })
}

fn arb_command() -> impl Strategy<Value = ProjectCommand> {
    prop_oneof![
        2 => arb_date_in(0..300).prop_map(|approved_on| ProjectCommand::ApproveProject {
            approved_on, document: "批复".into(),
        }),
        2 => arb_date_in(100..400)
            .prop_map(|started_on| ProjectCommand::StartConstruction { started_on }),
        2 => (1u128..3, arb_date()).prop_map(|(n, planned_on)| ProjectCommand::PlanMilestone {
            milestone_id: id(n), name: "节点".into(), planned_on,
        }),
        2 => (1u128..3, arb_date()).prop_map(|(n, achieved_on)| {
            ProjectCommand::AchieveMilestone {
                milestone_id: id(n), achieved_on, evidence: "证明材料".into(),
            }
        }),
        2 => (0u64..3, arb_date_in(300..700)).prop_map(|(kt, commissioned_on)| {
            ProjectCommand::CommissionCapacity { capacity_per_year: t(kt * 100), commissioned_on }
        }),
        1 => arb_date_in(600..900).prop_map(|accepted_on| ProjectCommand::AcceptProject {
            accepted_on, document: "验收意见".into(),
        }),
        1 => (arb_date_in(600..900), 0u8..3).prop_map(|(failed_on, n)| ProjectCommand::FailAcceptance {
            failed_on, reason: if n == 0 { "不合格".into() } else { String::new() },
        }),
        1 => (arb_date(), arb_reason()).prop_map(|(suspended_on, reason)| {
            ProjectCommand::SuspendProject { suspended_on, reason }
        }),
        1 => arb_date().prop_map(|resumed_on| ProjectCommand::ResumeProject { resumed_on }),
        1 => (arb_date(), 0u8..4).prop_map(|(cancelled_on, n)| ProjectCommand::CancelProject {
            cancelled_on, reason: if n == 0 { "终止".into() } else { String::new() },
        }),
        3 => arb_award(),
        5 => (1u128..4, 0u32..5, arb_date()).prop_map(|(n, tranche, disbursed_on)| {
            ProjectCommand::DisburseTranche { award_id: id(n), tranche, disbursed_on }
        }),
        4 => (1u128..4, 0u64..80, arb_date(), arb_reason()).prop_map(
            |(n, y, recovered_on, reason)| ProjectCommand::RecoverFunding {
                award_id: id(n), amount: yuan(y), recovered_on, reason,
            }
        ),
        1 => arb_date_in(0..300).prop_map(|opened_on| ProjectCommand::OpenConsultation { opened_on }),
        1 => arb_date_in(100..400).prop_map(|approved_on| ProjectCommand::ApproveStandard {
            approved_on, document: "批准".into(),
        }),
        1 => (arb_date_in(300..700), 0u8..3).prop_map(|(published_on, n)| {
            ProjectCommand::PublishStandard {
                published_on, number: if n == 0 { String::new() } else { "T/GZ 001—2026".into() },
            }
        }),
        1 => (arb_date(), arb_reason()).prop_map(|(withdrawn_on, reason)| {
            ProjectCommand::WithdrawStandard { withdrawn_on, reason }
        }),
        1 => arb_date().prop_map(|recommended_on| ProjectCommand::RecommendTypicalCase {
            recommended_on, summary: "典型".into(),
        }),
        1 => (arb_date(), arb_reason()).prop_map(|(withdrawn_on, reason)| {
            ProjectCommand::WithdrawTypicalCase { withdrawn_on, reason }
        }),
    ]
}

/// A funded project's course in one go: approval (of a capacity project, or consultation and
/// approval of a standard — the other kind refuses those), an award whose one tranche is due on
/// approval, that tranche's disbursement and a recovery (sometimes more than was disbursed). A
/// recovery needs all of these to line up, which independent random commands seldom do.
fn arb_funding_chain() -> impl Strategy<Value = Vec<ProjectCommand>> {
    (1u128..4, 1u64..60, 1u64..60, arb_date_in(0..300)).prop_map(|(n, y, r, start)| {
        let day = |k| start + chrono::Duration::days(k);
        vec![
            ProjectCommand::ApproveProject {
                approved_on: day(0),
                document: "批复".into(),
            },
            ProjectCommand::OpenConsultation { opened_on: day(0) },
            ProjectCommand::ApproveStandard {
                approved_on: day(1),
                document: "批准".into(),
            },
            ProjectCommand::AwardFunding {
                award_id: id(n),
                source: FundingSource::ALL[0],
                programme: "专项".into(),
                amount: yuan(y),
                tranches: vec![TrancheTerm {
                    condition: TrancheCondition::Approval,
                    amount: yuan(y),
                }],
                awarded_on: day(2),
            },
            ProjectCommand::DisburseTranche {
                award_id: id(n),
                tranche: 1,
                disbursed_on: day(3),
            },
            ProjectCommand::RecoverFunding {
                award_id: id(n),
                amount: yuan(r),
                recovered_on: day(4),
                reason: "追回".into(),
            },
        ]
    })
}

/// Command sequences for the property tests: mostly single [`arb_command`]s, now and then an
/// [`arb_funding_chain`], so disbursements and recoveries are reached in every run.
fn arb_commands() -> impl Strategy<Value = Vec<ProjectCommand>> {
    proptest::collection::vec(
        prop_oneof![
            12 => arb_command().prop_map(|command| vec![command]),
            1 => arb_funding_chain(),
        ],
        0..50,
    )
    .prop_map(|chunks| chunks.concat())
}

/// A proposal with a small budget, so awards run into it.
fn small_proposal() -> ProjectProposal {
    ProjectProposal {
        budget: yuan(300),
        ..proposal()
    }
}

/// [`small_proposal`] as a group standard.
fn small_standard_proposal() -> ProjectProposal {
    ProjectProposal {
        budget: yuan(300),
        ..standard_proposal()
    }
}

/// Run commands against a proposed project — a capacity project for an even number of commands,
/// a standard for an odd number, so both lifecycles are exercised; return every recorded event.
fn run(commands: &[ProjectCommand]) -> (Project, Vec<ProjectEvent>) {
    let proposal = if commands.len().is_multiple_of(2) {
        small_proposal()
    } else {
        small_standard_proposal()
    };
    run_accepted(vec![proposed_with(proposal)], commands)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn state_round_trips_through_json(
        commands in arb_commands()
    ) {
        let (state, _) = run(&commands);
        assert_state_round_trips(&state);
    }

    #[test]
    fn no_command_sequence_disburses_more_than_awarded_or_recovers_more_than_disbursed(
        commands in arb_commands()
    ) {
        let (state, events) = run(&commands);
        // From the events alone: per award, disbursed ≤ awarded and recovered ≤ disbursed at
        // every point of the history, each tranche disbursed at most once, never before approval.
        let mut awarded = std::collections::BTreeMap::new();
        let mut paid = std::collections::BTreeMap::<Uuid, (Fen, Fen)>::new();
        let mut tranches_paid = BTreeSet::new();
        let mut approved = false;
        for event in &events {
            match event {
                ProjectEvent::Approved(_) | ProjectEvent::StandardApproved(_) => approved = true,
                ProjectEvent::FundingAwarded(e) => {
                    let total = Fen::sum(e.tranches.iter().map(|t| t.amount));
                    prop_assert_eq!(total, Ok(e.amount));
                    awarded.insert(e.award_id, e.amount);
                }
                ProjectEvent::FundingTrancheDisbursed(e) => {
                    prop_assert!(approved, "disbursed before approval");
                    prop_assert!(tranches_paid.insert((e.award_id, e.tranche)), "tranche twice");
                    let line = paid.entry(e.award_id).or_default();
                    line.0 = line.0.checked_add(e.amount).expect("small");
                    prop_assert!(Some(&line.0) <= awarded.get(&e.award_id));
                }
                ProjectEvent::FundingRecovered(e) => {
                    let line = paid.entry(e.award_id).or_default();
                    line.1 = line.1.checked_add(e.amount).expect("small");
                    prop_assert!(line.1 <= line.0, "recovered more than disbursed");
                }
                _ => {}
            }
        }
        // And from the state.
        let balances = state.funding_balances();
        prop_assert!(balances.is_ok(), "{:?}", balances);
        for award in state.awards().values() {
            prop_assert!(award.disbursed <= award.amount);
            prop_assert!(award.recovered <= award.disbursed);
            let paid_tranches = Fen::sum(
                award.tranches.iter().filter(|t| t.disbursed_on.is_some()).map(|t| t.amount),
            );
            prop_assert_eq!(paid_tranches, Ok(award.disbursed));
        }
        let total_awarded = state.funding_balances().map(|b| b.awarded).unwrap_or(Fen::MAX);
        prop_assert!(total_awarded <= small_proposal().budget);
    }

    #[test]
    fn apply_is_deterministic_and_events_round_trip(
        commands in arb_commands()
    ) {
        let (state, events) = run(&commands);
        prop_assert_eq!(&replay::<Project, _>(&events), &state);
        prop_assert_eq!(&replay::<Project, _>(&events), &replay::<Project, _>(&events));
        for event in &events {
            assert_round_trips(event);
        }
    }
}

/// The property tests above are only as good as the sequences they generate: check that the
/// generator reaches every event type.
#[test]
fn command_generator_reaches_every_event_type() {
    let reached = event_types_reached(arb_commands(), 512, |c| run(c).1);
    let all: std::collections::BTreeSet<&str> = ProjectEvent::EVENT_TYPES.iter().copied().collect();
    assert_eq!(reached, all);
}

#[test]
fn regions_and_kinds_in_fixtures_are_real() {
    assert_eq!(qingzhen().prefecture(), Some(Prefecture::Guiyang));
    assert!(ProjectKind::UtilizationCapacity.builds_capacity());
    assert!(!ProjectKind::NewOrExpandedAlumina.builds_capacity());
}

/// Every command, event, refusal and state the generator meets matches its JSON Schema, and the
/// command schema names exactly the commands the generator sends.
#[cfg(feature = "schema")]
#[test]
fn json_matches_the_schemas() {
    // Each sequence proposes a capacity project or a standard first, so both lifecycles run.
    let sequences = (proptest::bool::ANY, arb_commands()).prop_map(|(standard, mut commands)| {
        let proposal = if standard {
            small_standard_proposal()
        } else {
            small_proposal()
        };
        commands.insert(0, propose_cmd(proposal));
        commands
    });
    crate::schema::tests::check_aggregate::<Project>(None, sequences, 512);
}

// ----- standards (标准制修订) ------------------------------------------------------------------

fn standard_proposed() -> ProjectEvent {
    ProjectProposed {
        project_id: id(100),
        proposal: ProjectProposal {
            standard: Some(StandardSpec {
                standard_type: StandardType::Group,
                drafting_body: "贵州省资源综合利用协会".into(),
                scope: StandardScope::Application,
            }),
            ..standard_proposal()
        },
        proposed_on: d(2025, 1, 15),
    }
    .into()
}

fn consultation_opened() -> ProjectEvent {
    StandardConsultationOpened {
        opened_on: d(2025, 6, 1),
    }
    .into()
}

fn standard_approved() -> ProjectEvent {
    StandardApproved {
        approved_on: d(2025, 9, 1),
        document: "黔资协〔2025〕8号".into(),
    }
    .into()
}

#[test]
fn proposing_a_standard_starts_it_drafting_with_its_data_trimmed() {
    let state =
        given::<Project>([]).when_then(propose_cmd(standard_proposal()), vec![standard_proposed()]);
    assert_eq!(state.status(), ProjectStatus::Drafting);
    assert!(state.is_standard());
    assert_eq!(
        state.standard().map(|s| s.drafting_body.as_str()),
        Some("贵州省资源综合利用协会")
    );
}

#[test]
fn a_standard_must_state_its_data_and_only_a_standard_may() {
    given::<Project>([]).when_fails(
        propose_cmd(ProjectProposal {
            standard: None,
            ..standard_proposal()
        }),
        ProjectError::StandardSpecMissing,
    );
    given::<Project>([]).when_fails(
        propose_cmd(ProjectProposal {
            standard: Some(StandardSpec {
                standard_type: StandardType::Local,
                drafting_body: "  ".into(),
                scope: StandardScope::Backfill,
            }),
            ..standard_proposal()
        }),
        ProjectError::BlankDraftingBody,
    );
    given::<Project>([]).when_fails(
        propose_cmd(ProjectProposal {
            standard: standard_proposal().standard,
            ..proposal()
        }),
        ProjectError::StandardSpecNotApplicable {
            kind: ProjectKind::UtilizationCapacity,
        },
    );
}

#[test]
fn a_drafting_standard_goes_out_for_consultation() {
    let state = given::<Project>([standard_proposed()]).when_then(
        ProjectCommand::OpenConsultation {
            opened_on: d(2025, 6, 1),
        },
        vec![consultation_opened()],
    );
    assert_eq!(state.status(), ProjectStatus::Consultation);
    assert_eq!(state.consultation_opened_on(), Some(d(2025, 6, 1)));
}

#[test]
fn consultation_is_not_dated_before_the_proposal() {
    given::<Project>([standard_proposed()]).when_fails(
        ProjectCommand::OpenConsultation {
            opened_on: d(2025, 1, 1),
        },
        ProjectError::DateBefore {
            command: "OpenConsultation",
            date: d(2025, 1, 1),
            earlier: "the last status change",
            earlier_on: d(2025, 1, 15),
        },
    );
}

#[test]
fn a_standard_in_consultation_is_approved_with_its_document() {
    let state = given::<Project>([standard_proposed(), consultation_opened()]).when_then(
        ProjectCommand::ApproveStandard {
            approved_on: d(2025, 9, 1),
            document: " 黔资协〔2025〕8号 ".into(),
        },
        vec![standard_approved()],
    );
    assert_eq!(state.status(), ProjectStatus::Approved);
    assert_eq!(state.approved_on(), Some(d(2025, 9, 1)));
    given::<Project>([standard_proposed(), consultation_opened()]).when_fails(
        ProjectCommand::ApproveStandard {
            approved_on: d(2025, 9, 1),
            document: " ".into(),
        },
        ProjectError::BlankDocument {
            command: "ApproveStandard",
        },
    );
}

#[test]
fn a_drafting_standard_is_not_approved_before_consultation() {
    given::<Project>([standard_proposed()]).when_fails(
        ProjectCommand::ApproveStandard {
            approved_on: d(2025, 9, 1),
            document: "批准".into(),
        },
        ProjectError::InvalidTransition {
            state: ProjectStatus::Drafting,
            command: "ApproveStandard",
        },
    );
}

#[test]
fn an_approved_standard_is_published_with_its_number() {
    let state = given::<Project>([
        standard_proposed(),
        consultation_opened(),
        standard_approved(),
    ])
    .when_then(
        ProjectCommand::PublishStandard {
            published_on: d(2025, 10, 1),
            number: " T/GZRCA 001—2025 ".into(),
        },
        vec![
            StandardPublished {
                published_on: d(2025, 10, 1),
                number: "T/GZRCA 001—2025".into(),
            }
            .into(),
        ],
    );
    assert_eq!(state.status(), ProjectStatus::Published);
    assert_eq!(
        state.publication(),
        Some(&Publication {
            number: "T/GZRCA 001—2025".into(),
            published_on: d(2025, 10, 1),
        })
    );
}

#[test]
fn a_standard_is_not_published_without_a_number_or_before_approval() {
    given::<Project>([
        standard_proposed(),
        consultation_opened(),
        standard_approved(),
    ])
    .when_fails(
        ProjectCommand::PublishStandard {
            published_on: d(2025, 10, 1),
            number: "".into(),
        },
        ProjectError::BlankStandardNumber,
    );
    given::<Project>([standard_proposed(), consultation_opened()]).when_fails(
        ProjectCommand::PublishStandard {
            published_on: d(2025, 10, 1),
            number: "T/GZRCA 001—2025".into(),
        },
        ProjectError::InvalidTransition {
            state: ProjectStatus::Consultation,
            command: "PublishStandard",
        },
    );
}

#[test]
fn a_standard_is_withdrawn_with_a_reason_until_published() {
    let withdraw = |reason: &str| ProjectCommand::WithdrawStandard {
        withdrawn_on: d(2025, 11, 1),
        reason: reason.into(),
    };
    let withdrawn: ProjectEvent = StandardWithdrawn {
        withdrawn_on: d(2025, 11, 1),
        reason: "与国家标准重复".into(),
    }
    .into();
    for history in [
        vec![standard_proposed()],
        vec![standard_proposed(), consultation_opened()],
        vec![
            standard_proposed(),
            consultation_opened(),
            standard_approved(),
        ],
    ] {
        let state = given::<Project>(history)
            .when_then(withdraw("与国家标准重复"), vec![withdrawn.clone()]);
        assert_eq!(state.status(), ProjectStatus::Withdrawn);
        assert_eq!(
            state.withdrawal().map(|w| w.reason.as_str()),
            Some("与国家标准重复")
        );
    }
    given::<Project>([standard_proposed()]).when_fails(
        withdraw(" "),
        BlankReason {
            command: "WithdrawStandard",
        }
        .into(),
    );
    let published: ProjectEvent = StandardPublished {
        published_on: d(2025, 10, 1),
        number: "T/GZRCA 001—2025".into(),
    }
    .into();
    given::<Project>([
        standard_proposed(),
        consultation_opened(),
        standard_approved(),
        published,
    ])
    .when_fails(
        withdraw("废止"),
        ProjectError::InvalidTransition {
            state: ProjectStatus::Published,
            command: "WithdrawStandard",
        },
    );
}

#[test]
fn standard_commands_are_refused_for_other_kinds() {
    given::<Project>([proposed()]).when_fails(
        ProjectCommand::OpenConsultation {
            opened_on: d(2025, 6, 1),
        },
        ProjectError::NotAStandard {
            kind: ProjectKind::UtilizationCapacity,
            command: "OpenConsultation",
        },
    );
    given::<Project>([]).when_fails(
        ProjectCommand::OpenConsultation {
            opened_on: d(2025, 6, 1),
        },
        ProjectError::InvalidTransition {
            state: ProjectStatus::NotProposed,
            command: "OpenConsultation",
        },
    );
}

#[test]
fn construction_commands_are_refused_for_a_standard() {
    let approved_standard = [
        standard_proposed(),
        consultation_opened(),
        standard_approved(),
    ];
    given::<Project>(approved_standard.clone()).when_fails(
        ProjectCommand::StartConstruction {
            started_on: d(2025, 10, 1),
        },
        ProjectError::NotForStandards {
            command: "StartConstruction",
        },
    );
    given::<Project>(approved_standard).when_fails(
        ProjectCommand::CancelProject {
            cancelled_on: d(2025, 10, 1),
            reason: "终止".into(),
        },
        ProjectError::NotForStandards {
            command: "CancelProject",
        },
    );
    given::<Project>([standard_proposed()]).when_fails(
        ProjectCommand::ApproveProject {
            approved_on: d(2025, 2, 1),
            document: "批复".into(),
        },
        ProjectError::NotForStandards {
            command: "ApproveProject",
        },
    );
}

#[test]
fn a_standard_has_milestones_and_funding_disbursed_only_after_approval() {
    let award = ProjectCommand::AwardFunding {
        award_id: id(7),
        source: FundingSource::ProvincialSpecialFunds,
        programme: "标准化专项".into(),
        amount: yuan(100_000),
        tranches: vec![TrancheTerm {
            condition: TrancheCondition::Approval,
            amount: yuan(100_000),
        }],
        awarded_on: d(2025, 3, 1),
    };
    let (state, events) = run_accepted::<Project>(
        vec![standard_proposed()],
        &[
            ProjectCommand::PlanMilestone {
                milestone_id: id(50),
                name: "征求意见稿".into(),
                planned_on: d(2025, 5, 1),
            },
            ProjectCommand::AchieveMilestone {
                milestone_id: id(50),
                achieved_on: d(2025, 5, 20),
                evidence: "征求意见稿".into(),
            },
            award,
        ],
    );
    assert_eq!(events.len(), 4, "{events:?}");
    assert!(state.milestones()[&id(50)].achieved_on.is_some());
    let disburse = ProjectCommand::DisburseTranche {
        award_id: id(7),
        tranche: 1,
        disbursed_on: d(2025, 9, 10),
    };
    given::<Project>(events.clone()).when_fails(
        disburse.clone(),
        ProjectError::InvalidTransition {
            state: ProjectStatus::Drafting,
            command: "DisburseTranche",
        },
    );
    let mut approved = events;
    approved.extend([consultation_opened(), standard_approved()]);
    given::<Project>(approved).when_then(
        disburse,
        vec![
            FundingTrancheDisbursed {
                award_id: id(7),
                tranche: 1,
                amount: yuan(100_000),
                disbursed_on: d(2025, 9, 10),
            }
            .into(),
        ],
    );
}

#[test]
fn an_old_proposal_without_standard_data_still_reads() {
    let mut json = serde_json::to_value(ProjectProposed {
        project_id: id(100),
        proposal: proposal(),
        proposed_on: d(2025, 1, 15),
    })
    .expect("json");
    assert!(json["proposal"].get("standard").is_none());
    json["proposal"]
        .as_object_mut()
        .expect("object")
        .remove("standard");
    let event = ProjectEvent::from_payload("ProjectProposed", json).expect("decodes");
    assert_eq!(event, proposed());
}

// ----- typical cases (典型案例) ----------------------------------------------------------------

fn recommended() -> ProjectEvent {
    ProjectTypicalCaseRecommended {
        recommended_on: d(2025, 12, 1),
        summary: "赤泥建材规模化应用".into(),
    }
    .into()
}

#[test]
fn a_project_is_recommended_as_a_typical_case() {
    let state = given::<Project>([proposed()]).when_then(
        ProjectCommand::RecommendTypicalCase {
            recommended_on: d(2025, 12, 1),
            summary: " 赤泥建材规模化应用 ".into(),
        },
        vec![recommended()],
    );
    let case = state.typical_case().expect("recommended");
    assert!(case.is_standing());
    assert!(case.stands_on(d(2025, 12, 1)));
    assert!(!case.stands_on(d(2025, 11, 30)));
}

#[test]
fn a_typical_case_needs_a_summary_a_project_and_no_standing_recommendation() {
    let recommend = |summary: &str, on: NaiveDate| ProjectCommand::RecommendTypicalCase {
        recommended_on: on,
        summary: summary.into(),
    };
    given::<Project>([proposed()]).when_fails(
        recommend(" ", d(2025, 12, 1)),
        ProjectError::BlankCaseSummary,
    );
    given::<Project>([]).when_fails(
        recommend("典型", d(2025, 12, 1)),
        ProjectError::InvalidTransition {
            state: ProjectStatus::NotProposed,
            command: "RecommendTypicalCase",
        },
    );
    given::<Project>([proposed(), recommended()]).when_fails(
        recommend("典型", d(2026, 1, 1)),
        ProjectError::AlreadyTypicalCase {
            recommended_on: d(2025, 12, 1),
        },
    );
    given::<Project>([proposed()]).when_fails(
        recommend("典型", d(2025, 1, 1)),
        ProjectError::DateBefore {
            command: "RecommendTypicalCase",
            date: d(2025, 1, 1),
            earlier: "the proposal",
            earlier_on: d(2025, 1, 15),
        },
    );
}

#[test]
fn a_typical_case_is_withdrawn_with_a_reason_and_can_be_recommended_again() {
    let withdrawn: ProjectEvent = ProjectTypicalCaseWithdrawn {
        withdrawn_on: d(2026, 2, 1),
        reason: "项目暂停".into(),
    }
    .into();
    let state = given::<Project>([proposed(), recommended()]).when_then(
        ProjectCommand::WithdrawTypicalCase {
            withdrawn_on: d(2026, 2, 1),
            reason: "项目暂停".into(),
        },
        vec![withdrawn.clone()],
    );
    let case = state.typical_case().expect("kept");
    assert!(!case.is_standing());
    assert!(case.stands_on(d(2026, 1, 31)));
    assert!(!case.stands_on(d(2026, 2, 1)));
    assert_eq!(case.withdrawal_reason.as_deref(), Some("项目暂停"));
    given::<Project>([proposed(), recommended(), withdrawn.clone()]).when_fails(
        ProjectCommand::WithdrawTypicalCase {
            withdrawn_on: d(2026, 3, 1),
            reason: "再次".into(),
        },
        ProjectError::NotTypicalCase,
    );
    given::<Project>([proposed(), recommended()]).when_fails(
        ProjectCommand::WithdrawTypicalCase {
            withdrawn_on: d(2026, 3, 1),
            reason: "".into(),
        },
        BlankReason {
            command: "WithdrawTypicalCase",
        }
        .into(),
    );
    given::<Project>([proposed(), recommended()]).when_fails(
        ProjectCommand::WithdrawTypicalCase {
            withdrawn_on: d(2025, 11, 1),
            reason: "撤回".into(),
        },
        ProjectError::DateBefore {
            command: "WithdrawTypicalCase",
            date: d(2025, 11, 1),
            earlier: "the recommendation",
            earlier_on: d(2025, 12, 1),
        },
    );
    given::<Project>([proposed(), recommended(), withdrawn]).when_then(
        ProjectCommand::RecommendTypicalCase {
            recommended_on: d(2026, 6, 1),
            summary: "整改后再次推荐".into(),
        },
        vec![
            ProjectTypicalCaseRecommended {
                recommended_on: d(2026, 6, 1),
                summary: "整改后再次推荐".into(),
            }
            .into(),
        ],
    );
}

#[test]
fn which_commands_apply_to_which_kind() {
    for command in CONSTRUCTION_COMMANDS {
        assert!(command_applies_to(
            command,
            ProjectKind::UtilizationCapacity
        ));
        assert!(
            !command_applies_to(command, ProjectKind::Standard),
            "{command}"
        );
    }
    for command in STANDARD_COMMANDS {
        assert!(command_applies_to(command, ProjectKind::Standard));
        assert!(
            !command_applies_to(command, ProjectKind::UtilizationCapacity),
            "{command}"
        );
    }
    for command in ["PlanMilestone", "AwardFunding", "RecommendTypicalCase"] {
        assert!(command_applies_to(command, ProjectKind::Standard));
        assert!(command_applies_to(
            command,
            ProjectKind::ResearchAndDevelopment
        ));
    }
}
