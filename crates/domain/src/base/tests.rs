//! Given/when/then tests of every demonstration base command, and property tests.

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

fn qingzhen() -> Region {
    "520181".parse().expect("county")
}

fn designate_cmd() -> BaseCommand {
    BaseCommand::DesignateBase {
        base_id: id(200),
        name: " 清镇工业资源综合利用基地 ".into(),
        kind: BaseKind::IndustrialResourceUtilizationBase,
        level: DesignationLevel::National,
        region: qingzhen(),
        designated_on: d(2025, 3, 1),
        document: " 工信厅节函〔2025〕1号 ".into(),
    }
}

fn designated() -> BaseEvent {
    BaseDesignated {
        base_id: id(200),
        name: "清镇工业资源综合利用基地".into(),
        kind: BaseKind::IndustrialResourceUtilizationBase,
        level: DesignationLevel::National,
        region: qingzhen(),
        designated_on: d(2025, 3, 1),
        document: "工信厅节函〔2025〕1号".into(),
    }
    .into()
}

fn revoked() -> BaseEvent {
    BaseRevoked {
        revoked_on: d(2027, 6, 1),
        reason: "连续两年评估不合格".into(),
    }
    .into()
}

fn member_added(n: u128, on: NaiveDate) -> BaseEvent {
    BaseMemberAdded {
        enterprise_id: id(n),
        added_on: on,
    }
    .into()
}

fn project_linked(n: u128, on: NaiveDate) -> BaseEvent {
    BaseProjectLinked {
        project_id: id(n),
        linked_on: on,
    }
    .into()
}

/// 2026: 1.2 Mt red mud, with 300 kt phosphogypsum, 100 kt desulfurization gypsum and 200 kt
/// fly ash co-utilized.
fn targets() -> BaseTargets {
    BaseTargets {
        red_mud_utilized: t(1_200_000),
        phosphogypsum_co_utilized: t(300_000),
        desulfurization_gypsum_co_utilized: t(100_000),
        fly_ash_co_utilized: t(200_000),
    }
}

fn targets_set(year: u16) -> BaseEvent {
    BaseYearTargetsSet {
        year,
        targets: targets(),
        set_on: d(2026, 1, 10),
    }
    .into()
}

fn evaluated(year: u16) -> BaseEvent {
    BaseEvaluationRecorded {
        year,
        result: EvaluationResult::Good,
        summary: "赤泥利用量完成目标的92%".into(),
        evaluated_on: d(2027, 2, 1),
    }
    .into()
}

// ----- designate ------------------------------------------------------------------------------

#[test]
fn designate_base() {
    let state = given::<Base>([]).when_then(designate_cmd(), vec![designated()]);
    assert_eq!(state.status(), BaseStatus::Designated);
    assert_eq!(state.id(), Some(id(200)));
    assert_eq!(state.name(), "清镇工业资源综合利用基地");
    assert_eq!(
        state.kind(),
        Some(BaseKind::IndustrialResourceUtilizationBase)
    );
    assert_eq!(state.level(), Some(DesignationLevel::National));
    assert_eq!(
        state.region().and_then(Region::prefecture),
        Some(Prefecture::Guiyang)
    );
    assert_eq!(state.designated_on(), Some(d(2025, 3, 1)));
}

#[test]
fn designate_rules() {
    let with = |f: &dyn Fn(&mut BaseCommand)| {
        let mut c = designate_cmd();
        f(&mut c);
        c
    };
    given::<Base>([designated()]).when_fails(
        designate_cmd(),
        BaseError::InvalidTransition {
            state: BaseStatus::Designated,
            command: "DesignateBase",
        },
    );
    given::<Base>([designated(), revoked()]).when_fails(
        designate_cmd(),
        BaseError::InvalidTransition {
            state: BaseStatus::Revoked,
            command: "DesignateBase",
        },
    );
    given::<Base>([]).when_fails(
        with(&|c| {
            if let BaseCommand::DesignateBase { name, .. } = c {
                *name = " ".into();
            }
        }),
        BaseError::BlankName,
    );
    given::<Base>([]).when_fails(
        with(&|c| {
            if let BaseCommand::DesignateBase { document, .. } = c {
                *document = "".into();
            }
        }),
        BaseError::BlankDocument,
    );
    given::<Base>([]).when_fails(
        with(&|c| {
            if let BaseCommand::DesignateBase { level, .. } = c {
                *level = DesignationLevel::Municipal;
            }
        }),
        BaseError::LevelNotNationalOrProvincial {
            level: DesignationLevel::Municipal,
        },
    );
    given::<Base>([]).when_fails(
        with(&|c| {
            if let BaseCommand::DesignateBase { region, .. } = c {
                *region = Region::Province;
            }
        }),
        BaseError::RegionNotWithinPrefecture {
            region: Region::Province,
        },
    );
}

#[test]
fn every_other_command_needs_a_designated_base() {
    let commands = [
        BaseCommand::AddMember {
            enterprise_id: id(1),
            added_on: d(2026, 1, 1),
        },
        BaseCommand::RemoveMember {
            enterprise_id: id(1),
            removed_on: d(2026, 1, 1),
            reason: "x".into(),
        },
        BaseCommand::LinkProject {
            project_id: id(1),
            linked_on: d(2026, 1, 1),
        },
        BaseCommand::UnlinkProject {
            project_id: id(1),
            unlinked_on: d(2026, 1, 1),
            reason: "x".into(),
        },
        BaseCommand::SetYearTargets {
            year: 2026,
            targets: targets(),
            set_on: d(2026, 1, 1),
        },
        BaseCommand::ReviseYearTargets {
            year: 2026,
            targets: targets(),
            revised_on: d(2026, 1, 1),
            reason: "x".into(),
        },
        BaseCommand::RecordEvaluation {
            year: 2026,
            result: EvaluationResult::Qualified,
            summary: "x".into(),
            evaluated_on: d(2027, 1, 1),
        },
        BaseCommand::RevokeBase {
            revoked_on: d(2026, 1, 1),
            reason: "x".into(),
        },
    ];
    for command in commands {
        let name = command.name();
        given::<Base>([]).when_fails(
            command.clone(),
            BaseError::InvalidTransition {
                state: BaseStatus::NotDesignated,
                command: name,
            },
        );
        given::<Base>([designated(), revoked()]).when_fails(
            command,
            BaseError::InvalidTransition {
                state: BaseStatus::Revoked,
                command: name,
            },
        );
    }
}

// ----- members and projects -------------------------------------------------------------------

#[test]
fn add_and_remove_members() {
    let state = given::<Base>([designated()]).when_then(
        BaseCommand::AddMember {
            enterprise_id: id(1),
            added_on: d(2025, 4, 1),
        },
        vec![member_added(1, d(2025, 4, 1))],
    );
    assert_eq!(state.members().get(&id(1)), Some(&d(2025, 4, 1)));
    let h = || vec![designated(), member_added(1, d(2025, 4, 1))];
    let state = given::<Base>(h()).when_then(
        BaseCommand::RemoveMember {
            enterprise_id: id(1),
            removed_on: d(2026, 4, 1),
            reason: "企业迁出园区".into(),
        },
        vec![
            BaseMemberRemoved {
                enterprise_id: id(1),
                removed_on: d(2026, 4, 1),
                reason: "企业迁出园区".into(),
            }
            .into(),
        ],
    );
    assert!(state.members().is_empty());
    // Re-admission after removal.
    let mut again = h();
    again.push(
        BaseMemberRemoved {
            enterprise_id: id(1),
            removed_on: d(2026, 4, 1),
            reason: "企业迁出园区".into(),
        }
        .into(),
    );
    given::<Base>(again).when_then(
        BaseCommand::AddMember {
            enterprise_id: id(1),
            added_on: d(2027, 1, 1),
        },
        vec![member_added(1, d(2027, 1, 1))],
    );
}

#[test]
fn member_rules() {
    let h = || vec![designated(), member_added(1, d(2025, 4, 1))];
    given::<Base>(h()).when_fails(
        BaseCommand::AddMember {
            enterprise_id: id(1),
            added_on: d(2025, 5, 1),
        },
        BaseError::AlreadyAMember {
            enterprise_id: id(1),
            since: d(2025, 4, 1),
        },
    );
    given::<Base>(h()).when_fails(
        BaseCommand::AddMember {
            enterprise_id: id(2),
            added_on: d(2025, 2, 1),
        },
        BaseError::DateBefore {
            command: "AddMember",
            date: d(2025, 2, 1),
            earlier: "the designation",
            earlier_on: d(2025, 3, 1),
        },
    );
    given::<Base>(h()).when_fails(
        BaseCommand::RemoveMember {
            enterprise_id: id(2),
            removed_on: d(2026, 1, 1),
            reason: "x".into(),
        },
        BaseError::NotAMember {
            enterprise_id: id(2),
        },
    );
    given::<Base>(h()).when_fails(
        BaseCommand::RemoveMember {
            enterprise_id: id(1),
            removed_on: d(2026, 1, 1),
            reason: " ".into(),
        },
        BlankReason {
            command: "RemoveMember",
        }
        .into(),
    );
    given::<Base>(h()).when_fails(
        BaseCommand::RemoveMember {
            enterprise_id: id(1),
            removed_on: d(2025, 3, 31),
            reason: "x".into(),
        },
        BaseError::DateBefore {
            command: "RemoveMember",
            date: d(2025, 3, 31),
            earlier: "the membership",
            earlier_on: d(2025, 4, 1),
        },
    );
}

#[test]
fn link_and_unlink_projects() {
    let state = given::<Base>([designated()]).when_then(
        BaseCommand::LinkProject {
            project_id: id(100),
            linked_on: d(2025, 4, 1),
        },
        vec![project_linked(100, d(2025, 4, 1))],
    );
    assert_eq!(state.projects().get(&id(100)), Some(&d(2025, 4, 1)));
    let h = || vec![designated(), project_linked(100, d(2025, 4, 1))];
    let state = given::<Base>(h()).when_then(
        BaseCommand::UnlinkProject {
            project_id: id(100),
            unlinked_on: d(2026, 1, 1),
            reason: "项目终止".into(),
        },
        vec![
            BaseProjectUnlinked {
                project_id: id(100),
                unlinked_on: d(2026, 1, 1),
                reason: "项目终止".into(),
            }
            .into(),
        ],
    );
    assert!(state.projects().is_empty());
    given::<Base>(h()).when_fails(
        BaseCommand::LinkProject {
            project_id: id(100),
            linked_on: d(2025, 5, 1),
        },
        BaseError::ProjectAlreadyLinked {
            project_id: id(100),
            since: d(2025, 4, 1),
        },
    );
    given::<Base>(h()).when_fails(
        BaseCommand::LinkProject {
            project_id: id(101),
            linked_on: d(2025, 1, 1),
        },
        BaseError::DateBefore {
            command: "LinkProject",
            date: d(2025, 1, 1),
            earlier: "the designation",
            earlier_on: d(2025, 3, 1),
        },
    );
    given::<Base>(h()).when_fails(
        BaseCommand::UnlinkProject {
            project_id: id(101),
            unlinked_on: d(2026, 1, 1),
            reason: "x".into(),
        },
        BaseError::ProjectNotLinked {
            project_id: id(101),
        },
    );
    given::<Base>(h()).when_fails(
        BaseCommand::UnlinkProject {
            project_id: id(100),
            unlinked_on: d(2026, 1, 1),
            reason: "".into(),
        },
        BlankReason {
            command: "UnlinkProject",
        }
        .into(),
    );
    given::<Base>(h()).when_fails(
        BaseCommand::UnlinkProject {
            project_id: id(100),
            unlinked_on: d(2025, 3, 31),
            reason: "x".into(),
        },
        BaseError::DateBefore {
            command: "UnlinkProject",
            date: d(2025, 3, 31),
            earlier: "the link",
            earlier_on: d(2025, 4, 1),
        },
    );
}

// ----- targets --------------------------------------------------------------------------------

fn set_cmd(year: u16, targets: BaseTargets) -> BaseCommand {
    BaseCommand::SetYearTargets {
        year,
        targets,
        set_on: d(2026, 1, 10),
    }
}

fn revise_cmd(targets: BaseTargets, reason: &str) -> BaseCommand {
    BaseCommand::ReviseYearTargets {
        year: 2026,
        targets,
        revised_on: d(2026, 7, 1),
        reason: reason.into(),
    }
}

#[test]
fn set_and_revise_year_targets() {
    let state =
        given::<Base>([designated()]).when_then(set_cmd(2026, targets()), vec![targets_set(2026)]);
    assert_eq!(
        state.targets().get(&2026),
        Some(&YearTargets {
            targets: targets(),
            revision: 1
        })
    );
    let revised = BaseTargets {
        fly_ash_co_utilized: t(250_000),
        ..targets()
    };
    let state = given::<Base>([designated(), targets_set(2026)]).when_then(
        revise_cmd(revised, "新增粉煤灰协同利用生产线"),
        vec![
            BaseYearTargetsRevised {
                year: 2026,
                revision: 2,
                previous: targets(),
                targets: revised,
                revised_on: d(2026, 7, 1),
                reason: "新增粉煤灰协同利用生产线".into(),
            }
            .into(),
        ],
    );
    assert_eq!(state.targets().get(&2026).map(|t| t.revision), Some(2));
}

#[test]
fn year_target_rules() {
    let g = || given::<Base>([designated()]);
    g().when_fails(
        set_cmd(2024, targets()),
        BaseError::YearBeforeDesignation {
            year: 2024,
            designated_on: d(2025, 3, 1),
        },
    );
    g().when_fails(
        set_cmd(10_000, targets()),
        BaseError::YearOutOfRange { year: 10_000 },
    );
    g().when_fails(
        set_cmd(
            2026,
            BaseTargets {
                red_mud_utilized: Kg::ZERO,
                phosphogypsum_co_utilized: Kg::ZERO,
                desulfurization_gypsum_co_utilized: Kg::ZERO,
                fly_ash_co_utilized: Kg::ZERO,
            },
        ),
        BaseError::EmptyTargets,
    );
    g().when_fails(
        BaseCommand::SetYearTargets {
            year: 2025,
            targets: targets(),
            set_on: d(2025, 2, 1),
        },
        BaseError::DateBefore {
            command: "SetYearTargets",
            date: d(2025, 2, 1),
            earlier: "the designation",
            earlier_on: d(2025, 3, 1),
        },
    );
    given::<Base>([designated(), targets_set(2026)]).when_fails(
        set_cmd(2026, targets()),
        BaseError::TargetsAlreadySet {
            year: 2026,
            revision: 1,
        },
    );
    g().when_fails(
        revise_cmd(targets(), "x"),
        BaseError::TargetsNotSet { year: 2026 },
    );
    given::<Base>([designated(), targets_set(2026)]).when_fails(
        revise_cmd(targets(), "x"),
        BaseError::RevisionChangesNothing {
            year: 2026,
            revision: 1,
        },
    );
    given::<Base>([designated(), targets_set(2026)]).when_fails(
        revise_cmd(
            BaseTargets {
                red_mud_utilized: t(1),
                ..targets()
            },
            " ",
        ),
        BlankReason {
            command: "ReviseYearTargets",
        }
        .into(),
    );
    given::<Base>([designated(), targets_set(2026)]).when_fails(
        revise_cmd(
            BaseTargets {
                red_mud_utilized: Kg::ZERO,
                phosphogypsum_co_utilized: Kg::ZERO,
                desulfurization_gypsum_co_utilized: Kg::ZERO,
                fly_ash_co_utilized: Kg::ZERO,
            },
            "x",
        ),
        BaseError::EmptyTargets,
    );
}

// ----- evaluations, revocation ----------------------------------------------------------------

fn evaluate_cmd(year: u16, on: NaiveDate, summary: &str) -> BaseCommand {
    BaseCommand::RecordEvaluation {
        year,
        result: EvaluationResult::Good,
        summary: summary.into(),
        evaluated_on: on,
    }
}

#[test]
fn record_evaluations() {
    let state = given::<Base>([designated()]).when_then(
        evaluate_cmd(2026, d(2027, 2, 1), " 赤泥利用量完成目标的92% "),
        vec![evaluated(2026)],
    );
    assert_eq!(
        state.evaluations().get(&2026).map(|e| e.result),
        Some(EvaluationResult::Good)
    );
    given::<Base>([designated(), evaluated(2026)]).when_fails(
        evaluate_cmd(2026, d(2027, 3, 1), "x"),
        BaseError::EvaluationAlreadyRecorded { year: 2026 },
    );
    given::<Base>([designated()]).when_fails(
        evaluate_cmd(2026, d(2025, 12, 31), "x"),
        BaseError::EvaluationBeforeYear {
            year: 2026,
            evaluated_on: d(2025, 12, 31),
        },
    );
    given::<Base>([designated()]).when_fails(
        evaluate_cmd(2026, d(2027, 2, 1), "  "),
        BaseError::BlankSummary,
    );
    given::<Base>([designated()]).when_fails(
        evaluate_cmd(2024, d(2027, 2, 1), "x"),
        BaseError::YearBeforeDesignation {
            year: 2024,
            designated_on: d(2025, 3, 1),
        },
    );
    given::<Base>([designated()]).when_fails(
        evaluate_cmd(1899, d(2027, 2, 1), "x"),
        BaseError::YearOutOfRange { year: 1899 },
    );
}

#[test]
fn revoke_base() {
    let state = given::<Base>([designated()]).when_then(
        BaseCommand::RevokeBase {
            revoked_on: d(2027, 6, 1),
            reason: "连续两年评估不合格".into(),
        },
        vec![revoked()],
    );
    assert_eq!(state.status(), BaseStatus::Revoked);
    assert_eq!(state.revoked_on(), Some(d(2027, 6, 1)));
    given::<Base>([designated()]).when_fails(
        BaseCommand::RevokeBase {
            revoked_on: d(2027, 6, 1),
            reason: "".into(),
        },
        BlankReason {
            command: "RevokeBase",
        }
        .into(),
    );
    given::<Base>([designated()]).when_fails(
        BaseCommand::RevokeBase {
            revoked_on: d(2025, 1, 1),
            reason: "x".into(),
        },
        BaseError::DateBefore {
            command: "RevokeBase",
            date: d(2025, 1, 1),
            earlier: "the designation",
            earlier_on: d(2025, 3, 1),
        },
    );
}

#[test]
fn event_type_names_are_stable() {
    assert_eq!(
        BaseEvent::EVENT_TYPES,
        [
            "BaseDesignated",
            "BaseMemberAdded",
            "BaseMemberRemoved",
            "BaseProjectLinked",
            "BaseProjectUnlinked",
            "BaseYearTargetsSet",
            "BaseYearTargetsRevised",
            "BaseEvaluationRecorded",
            "BaseRevoked",
        ]
    );
    assert_eq!(Base::CATEGORY, "base");
    let (name, payload) = targets_set(2026).to_payload();
    assert_eq!(name, "BaseYearTargetsSet");
    assert_eq!(
        payload,
        serde_json::json!({
            "year": 2026,
            "targets": {
                "red_mud_utilized": 1_200_000_000u64,
                "phosphogypsum_co_utilized": 300_000_000u64,
                "desulfurization_gypsum_co_utilized": 100_000_000u64,
                "fly_ash_co_utilized": 200_000_000u64,
            },
            "set_on": "2026-01-10",
        })
    );
    assert_eq!(targets_set(2026).effective(), Some("2026".into()));
    assert_eq!(evaluated(2026).effective(), Some("2026".into()));
    assert_eq!(designated().effective(), Some("2025-03-01".into()));
}

// ----- properties -----------------------------------------------------------------------------

fn arb_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..1000).prop_map(|n| d(2025, 1, 1) + chrono::Duration::days(n))
}

fn arb_reason() -> impl Strategy<Value = String> {
    prop_oneof![1 => Just(String::new()), 3 => Just("原因".to_owned())]
}

fn arb_targets() -> impl Strategy<Value = BaseTargets> {
    (0u64..3, 0u64..2, 0u64..2, 0u64..2).prop_map(|(r, p, g, f)| BaseTargets {
        red_mud_utilized: t(r * 1000),
        phosphogypsum_co_utilized: t(p * 100),
        desulfurization_gypsum_co_utilized: t(g * 100),
        fly_ash_co_utilized: t(f * 100),
    })
}

fn arb_command() -> impl Strategy<Value = BaseCommand> {
    let year = 2024u16..2028;
    prop_oneof![
        3 => (1u128..4, arb_date()).prop_map(|(n, added_on)| BaseCommand::AddMember {
            enterprise_id: id(n), added_on,
        }),
        2 => (1u128..4, arb_date(), arb_reason()).prop_map(|(n, removed_on, reason)| {
            BaseCommand::RemoveMember { enterprise_id: id(n), removed_on, reason }
        }),
        3 => (1u128..4, arb_date()).prop_map(|(n, linked_on)| BaseCommand::LinkProject {
            project_id: id(n), linked_on,
        }),
        2 => (1u128..4, arb_date(), arb_reason()).prop_map(|(n, unlinked_on, reason)| {
            BaseCommand::UnlinkProject { project_id: id(n), unlinked_on, reason }
        }),
        2 => (year.clone(), arb_targets(), arb_date()).prop_map(|(year, targets, set_on)| {
            BaseCommand::SetYearTargets { year, targets, set_on }
        }),
        2 => (year.clone(), arb_targets(), arb_date(), arb_reason()).prop_map(
            |(year, targets, revised_on, reason)| BaseCommand::ReviseYearTargets {
                year, targets, revised_on, reason,
            }
        ),
        2 => (year, arb_date(), proptest::sample::select(vec![
            EvaluationResult::Excellent,
            EvaluationResult::Good,
            EvaluationResult::Qualified,
            EvaluationResult::Unqualified,
        ])).prop_map(|(year, evaluated_on, result)| BaseCommand::RecordEvaluation {
            year, result, summary: "评估".into(), evaluated_on,
        }),
        // Revocation ends a sequence, so it mostly fails (blank reason).
        1 => (arb_date(), 0u8..5).prop_map(|(revoked_on, n)| BaseCommand::RevokeBase {
            revoked_on, reason: if n == 0 { "撤销".into() } else { String::new() },
        }),
    ]
}

/// Run commands against a designated base; return every recorded event.
fn run(commands: &[BaseCommand]) -> (Base, Vec<BaseEvent>) {
    run_accepted(vec![designated()], commands)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn state_round_trips_through_json(
        commands in proptest::collection::vec(arb_command(), 0..40)
    ) {
        let (state, _) = run(&commands);
        assert_state_round_trips(&state);
    }

    #[test]
    fn membership_and_targets_stay_consistent(
        commands in proptest::collection::vec(arb_command(), 0..40)
    ) {
        let (state, events) = run(&commands);
        prop_assert_eq!(&replay::<Base, _>(&events), &state);
        prop_assert_eq!(&replay::<Base, _>(&events), &replay::<Base, _>(&events));
        for event in &events {
            assert_round_trips(event);
        }
        // Members from the events alone: added only when absent, removed only when present.
        let mut members = BTreeSet::new();
        let mut revoked = false;
        for event in &events {
            prop_assert!(!revoked, "an event after revocation");
            match event {
                BaseEvent::MemberAdded(e) => prop_assert!(members.insert(e.enterprise_id)),
                BaseEvent::MemberRemoved(e) => prop_assert!(members.remove(&e.enterprise_id)),
                BaseEvent::Revoked(_) => revoked = true,
                _ => {}
            }
        }
        prop_assert_eq!(members, state.members().keys().copied().collect::<BTreeSet<_>>());
        for (year, t) in state.targets() {
            prop_assert!(*year >= 2025);
            prop_assert!(!t.targets.is_empty());
        }
    }
}

/// The property test above is only as good as the sequences it generates: check that the
/// generator reaches every event type.
#[test]
fn command_generator_reaches_every_event_type() {
    let reached = event_types_reached(proptest::collection::vec(arb_command(), 0..40), 256, |c| {
        run(c).1
    });
    let all: std::collections::BTreeSet<&str> = BaseEvent::EVENT_TYPES.iter().copied().collect();
    assert_eq!(reached, all);
}

/// The state's JSON is what a client expects: years and ids as map keys (text), codes as text.
#[test]
fn state_json_is_friendly() {
    let g = given::<Base>([
        designated(),
        member_added(5, d(2026, 2, 1)),
        targets_set(2026),
        evaluated(2026),
    ]);
    let json = assert_state_round_trips(g.state());
    assert_eq!(json["status"], "designated");
    assert_eq!(json["region"], "520181");
    assert_eq!(
        json["members"][id(5).hyphenated().to_string()],
        "2026-02-01"
    );
    assert_eq!(json["targets"]["2026"]["revision"], 1);
    assert_eq!(json["evaluations"]["2026"]["result"], "good");
    assert_state_round_trips(&Base::default());
}

/// Every command, event, refusal and state the generator meets matches its JSON Schema, and the
/// command schema names exactly the commands the generator sends.
#[cfg(feature = "schema")]
#[test]
fn json_matches_the_schemas() {
    crate::schema::tests::check_aggregate::<Base>(
        Some(designate_cmd()),
        proptest::collection::vec(arb_command(), 0..40),
        256,
    );
}
