//! Aggregate states for the unit tests, built by executing commands (as the server does).

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use chrono::NaiveDate;
use redmud_domain::{
    Aggregate, Enterprise, EnterpriseCommand, EnterpriseKind, Fen, Kg, MatchingCapacity, PlanTask,
    Project, ProjectCommand, ProjectKind, ProjectProposal, Region, UtilizationRoute, execute,
};
use uuid::Uuid;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

pub fn region(code: &str) -> Region {
    code.parse().unwrap()
}

pub fn kg(n: u64) -> Kg {
    Kg::new(n).unwrap()
}

pub fn fen(n: u64) -> Fen {
    Fen::new(n).unwrap()
}

/// Runs commands in order on a fresh state.
pub fn run<A: Aggregate>(commands: &[A::Command]) -> A
where
    A::Error: std::fmt::Debug,
{
    commands
        .iter()
        .fold(A::default(), |state, c| execute(&state, c).unwrap().0)
}

/// A proposal: `kind` in `region`, led by enterprise `lead`.
pub fn proposal(name: &str, kind: ProjectKind, region_code: &str, lead: u128) -> ProjectProposal {
    let builds = kind.builds_capacity();
    ProjectProposal {
        name: name.into(),
        kind,
        task: PlanTask::UtilizationScale,
        lead_enterprise_id: id(lead),
        region: region(region_code),
        routes: if builds {
            BTreeSet::from([UtilizationRoute::Cement, UtilizationRoute::RoadBase])
        } else {
            BTreeSet::new()
        },
        planned_capacity_per_year: if builds { kg(500_000) } else { Kg::ZERO },
        budget: fen(2_000_000),
        responsible_units: vec!["省工业和信息化厅".into()],
        planned_start: d(2025, 3, 1),
        planned_end: d(2026, 12, 31),
        standard: None,
        matching_capacity: (kind == ProjectKind::NewOrExpandedAlumina).then_some(
            MatchingCapacity {
                expected_red_mud_per_year: kg(1_500_000),
                owned_capacity_per_year: kg(1_000_000),
                contracted_capacity_per_year: kg(300_000),
            },
        ),
    }
}

pub fn propose(n: u128, proposal: ProjectProposal) -> ProjectCommand {
    ProjectCommand::ProposeProject {
        project_id: id(n),
        proposal,
        proposed_on: d(2025, 1, 15),
    }
}

pub fn approve() -> ProjectCommand {
    ProjectCommand::ApproveProject {
        approved_on: d(2025, 2, 1),
        document: "黔工信〔2025〕1号".into(),
    }
}

pub fn project(commands: &[ProjectCommand]) -> Project {
    run(commands)
}

/// A registered enterprise (alumina refinery unless `refinery` is false).
pub fn register(n: u128, name: &str, region_code: &str, refinery: bool) -> EnterpriseCommand {
    EnterpriseCommand::Register {
        enterprise_id: id(n),
        name: name.into(),
        uscc: "914403001922038216".parse().unwrap(),
        region: region(region_code),
        kinds: BTreeSet::from([if refinery {
            EnterpriseKind::AluminaRefinery
        } else {
            EnterpriseKind::RedMudUtilizer
        }]),
        registered_on: d(2025, 1, 10),
    }
}

pub fn enterprise(commands: &[EnterpriseCommand]) -> Enterprise {
    run(commands)
}

/// A ledger row of enterprise `n` in 清镇 (520181), revision 1.
pub fn ledger_row(
    n: u128,
    period: &str,
    figures: redmud_domain::LedgerFigures,
) -> crate::LedgerRow {
    crate::LedgerRow {
        enterprise_id: id(n),
        enterprise: String::new(),
        region: Some(region("520181")),
        period: period.parse().unwrap(),
        figures,
        revision: 1,
    }
}
