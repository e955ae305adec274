//! Given/when/then tests of every regional plan command, and property tests.

use chrono::NaiveDate;
use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::aggregate::{DomainEvent, replay};
use crate::ledger::RouteAmounts;
use crate::rules::{GoalLine, RateFormula};
use crate::testing::{
    assert_round_trips, assert_state_round_trips, event_types_reached, given, run_accepted,
};
use crate::values::{Prefecture, UtilizationRoute};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn t(tonnes: u64) -> Kg {
    Kg::from_tonnes(tonnes).expect("in range")
}

fn p(s: &str) -> Period {
    s.parse().expect("valid period")
}

fn zunyi() -> Region {
    Region::Prefecture(Prefecture::Zunyi)
}

fn targets() -> RegionalTargets {
    RegionalTargets {
        red_mud_to_utilize: t(600_000),
        new_utilization_rate: GoalLine::default()
            .default_rate_target(2026)
            .unwrap_or(BasisPoints::ZERO),
        new_capacity_per_year: t(500_000),
        demonstration_projects: 2,
        task: PlanTask::UtilizationScale,
    }
}

fn set_event() -> RegionalPlanEvent {
    RegionalTargetsSet {
        plan_id: Uuid::from_u128(7),
        region: zunyi(),
        year: 2026,
        targets: targets(),
        set_on: d(2026, 1, 15),
    }
    .into()
}

fn set_cmd() -> RegionalPlanCommand {
    RegionalPlanCommand::SetTargets {
        plan_id: Uuid::from_u128(7),
        region: zunyi(),
        year: 2026,
        targets: targets(),
        set_on: d(2026, 1, 15),
    }
}

/// 1 000 000 t generated; 160 000 t utilized from new; 30 000 t from stock.
fn figures() -> ReportFigures {
    ReportFigures {
        ledger: LedgerFigures {
            generated: t(1_000_000),
            utilized_from_new: RouteAmounts::new()
                .with(UtilizationRoute::Cement, t(100_000))
                .with(UtilizationRoute::BuildingMaterials, t(60_000)),
            disposed_from_new: Kg::ZERO,
            stored_new: t(840_000),
            utilized_from_stock: RouteAmounts::new()
                .with(UtilizationRoute::MineBackfill, t(30_000)),
            disposed_from_stock: Kg::ZERO,
        },
        capacity_commissioned_per_year: t(200_000),
        demonstration_projects_completed: 1,
        enterprises_reporting: 3,
    }
}

fn submit_cmd(period: &str, on: NaiveDate) -> RegionalPlanCommand {
    RegionalPlanCommand::SubmitReport {
        period: p(period),
        figures: figures(),
        summary: "本季度推进赤泥制备水泥、充填".into(),
        submitted_on: on,
    }
}

fn submitted(period: &str, submission: u32, on: NaiveDate) -> RegionalPlanEvent {
    RegionalReportSubmitted {
        period: p(period),
        submission,
        figures: figures(),
        summary: "本季度推进赤泥制备水泥、充填".into(),
        submitted_on: on,
    }
    .into()
}

fn returned(period: &str, submission: u32) -> RegionalPlanEvent {
    RegionalReportReturned {
        period: p(period),
        submission,
        returned_on: d(2026, 4, 20),
        reason: "利用量与企业台账不一致".into(),
    }
    .into()
}

fn accepted(period: &str, submission: u32, on: NaiveDate) -> RegionalPlanEvent {
    RegionalReportAccepted {
        period: p(period),
        submission,
        accepted_on: on,
    }
    .into()
}

#[test]
fn set_targets() {
    let state = given::<RegionalPlan>([]).when_then(set_cmd(), vec![set_event()]);
    assert_eq!(state.status(), PlanStatus::Active);
    assert_eq!(state.year(), 2026);
    assert_eq!(state.targets().map(|t| t.revision), Some(1));
    assert_eq!(
        state
            .targets()
            .map(|t| t.targets.new_utilization_rate.to_string()),
        Some("15%".into())
    );
    given::<RegionalPlan>([]).when_then(
        RegionalPlanCommand::SetTargets {
            plan_id: Uuid::from_u128(8),
            region: Region::Province,
            year: 2026,
            targets: targets(),
            set_on: d(2026, 1, 15),
        },
        vec![
            RegionalTargetsSet {
                plan_id: Uuid::from_u128(8),
                region: Region::Province,
                year: 2026,
                targets: targets(),
                set_on: d(2026, 1, 15),
            }
            .into(),
        ],
    );
}

#[test]
fn set_targets_rules() {
    given::<RegionalPlan>([set_event()]).when_fails(
        set_cmd(),
        RegionalPlanError::InvalidTransition {
            state: PlanStatus::Active,
            command: "SetTargets",
        },
    );
    let county: Region = "520381".parse().expect("county");
    given::<RegionalPlan>([]).when_fails(
        RegionalPlanCommand::SetTargets {
            plan_id: Uuid::from_u128(7),
            region: county,
            year: 2026,
            targets: targets(),
            set_on: d(2026, 1, 15),
        },
        RegionalPlanError::RegionMustBeProvinceOrPrefecture { region: county },
    );
    given::<RegionalPlan>([]).when_fails(
        RegionalPlanCommand::SetTargets {
            plan_id: Uuid::from_u128(7),
            region: zunyi(),
            year: 202,
            targets: targets(),
            set_on: d(2026, 1, 15),
        },
        RegionalPlanError::YearOutOfRange { year: 202 },
    );
}

#[test]
fn commands_need_targets_first() {
    for command in [
        RegionalPlanCommand::ReviseTargets {
            targets: targets(),
            revised_on: d(2026, 3, 1),
            reason: "x".into(),
        },
        submit_cmd("2026-Q1", d(2026, 4, 10)),
        RegionalPlanCommand::ReturnReport {
            period: p("2026-Q1"),
            returned_on: d(2026, 4, 20),
            reason: "x".into(),
        },
        RegionalPlanCommand::AcceptReport {
            period: p("2026-Q1"),
            accepted_on: d(2026, 4, 20),
        },
    ] {
        let name = command.name();
        given::<RegionalPlan>([]).when_fails(
            command,
            RegionalPlanError::InvalidTransition {
                state: PlanStatus::NotSet,
                command: name,
            },
        );
    }
}

#[test]
fn revise_targets() {
    let mut revised = targets();
    revised.red_mud_to_utilize = t(700_000);
    let state = given::<RegionalPlan>([set_event()]).when_then(
        RegionalPlanCommand::ReviseTargets {
            targets: revised.clone(),
            revised_on: d(2026, 6, 1),
            reason: "新增产能投产".into(),
        },
        vec![
            RegionalTargetsRevised {
                year: 2026,
                revision: 2,
                previous: targets(),
                targets: revised.clone(),
                revised_on: d(2026, 6, 1),
                reason: "新增产能投产".into(),
            }
            .into(),
        ],
    );
    assert_eq!(
        state.targets(),
        Some(&TargetsInForce {
            targets: revised.clone(),
            revision: 2
        })
    );
    given::<RegionalPlan>([set_event()]).when_fails(
        RegionalPlanCommand::ReviseTargets {
            targets: revised,
            revised_on: d(2026, 6, 1),
            reason: "".into(),
        },
        BlankReason {
            command: "ReviseTargets",
        }
        .into(),
    );
    given::<RegionalPlan>([set_event()]).when_fails(
        RegionalPlanCommand::ReviseTargets {
            targets: targets(),
            revised_on: d(2026, 6, 1),
            reason: "x".into(),
        },
        RegionalPlanError::RevisionChangesNothing { revision: 1 },
    );
}

#[test]
fn submit_report() {
    let state = given::<RegionalPlan>([set_event()]).when_then(
        submit_cmd("2026-Q1", d(2026, 4, 10)),
        vec![submitted("2026-Q1", 1, d(2026, 4, 10))],
    );
    assert_eq!(state.report_status(p("2026-Q1")), ReportStatus::Submitted);
    // Resubmission after a return is submission 2.
    given::<RegionalPlan>([
        set_event(),
        submitted("2026-Q1", 1, d(2026, 4, 10)),
        returned("2026-Q1", 1),
    ])
    .when_then(
        submit_cmd("2026-Q1", d(2026, 4, 25)),
        vec![submitted("2026-Q1", 2, d(2026, 4, 25))],
    );
}

#[test]
fn submit_report_rules() {
    let g = || given::<RegionalPlan>([set_event()]);
    g().when_fails(
        submit_cmd("2025-Q4", d(2026, 1, 20)),
        RegionalPlanError::PeriodOutsidePlanYear {
            period: p("2025-Q4"),
            year: 2026,
        },
    );
    g().when_fails(
        submit_cmd("2026-Q1", d(2026, 3, 31)),
        RegionalPlanError::PeriodNotEnded {
            period: p("2026-Q1"),
            today: d(2026, 3, 31),
        },
    );
    g().when_fails(
        RegionalPlanCommand::SubmitReport {
            period: p("2026-Q1"),
            figures: figures(),
            summary: "  ".into(),
            submitted_on: d(2026, 4, 10),
        },
        RegionalPlanError::BlankSummary,
    );
    let mut unbalanced = figures();
    unbalanced.ledger.stored_new = t(1);
    g().when_fails(
        RegionalPlanCommand::SubmitReport {
            period: p("2026-Q1"),
            figures: unbalanced,
            summary: "x".into(),
            submitted_on: d(2026, 4, 10),
        },
        LedgerError::Unbalanced {
            generated: t(1_000_000),
            utilized_from_new: t(160_000),
            disposed_from_new: Kg::ZERO,
            stored_new: t(1),
        }
        .into(),
    );
    given::<RegionalPlan>([set_event(), submitted("2026-Q1", 1, d(2026, 4, 10))]).when_fails(
        submit_cmd("2026-Q1", d(2026, 4, 11)),
        RegionalPlanError::ReportInvalidTransition {
            period: p("2026-Q1"),
            state: ReportStatus::Submitted,
            command: "SubmitReport",
        },
    );
    given::<RegionalPlan>([
        set_event(),
        submitted("2026-Q1", 1, d(2026, 4, 10)),
        accepted("2026-Q1", 1, d(2026, 4, 30)),
    ])
    .when_fails(
        submit_cmd("2026-Q1", d(2026, 5, 1)),
        RegionalPlanError::ReportInvalidTransition {
            period: p("2026-Q1"),
            state: ReportStatus::Accepted,
            command: "SubmitReport",
        },
    );
}

#[test]
fn return_report() {
    let return_cmd = |on, reason: &str| RegionalPlanCommand::ReturnReport {
        period: p("2026-Q1"),
        returned_on: on,
        reason: reason.into(),
    };
    let with_submission =
        || given::<RegionalPlan>([set_event(), submitted("2026-Q1", 1, d(2026, 4, 10))]);
    let state = with_submission().when_then(
        return_cmd(d(2026, 4, 20), "利用量与企业台账不一致"),
        vec![returned("2026-Q1", 1)],
    );
    assert_eq!(state.report_status(p("2026-Q1")), ReportStatus::Returned);
    with_submission().when_fails(
        return_cmd(d(2026, 4, 20), ""),
        BlankReason {
            command: "ReturnReport",
        }
        .into(),
    );
    with_submission().when_fails(
        return_cmd(d(2026, 4, 9), "x"),
        RegionalPlanError::DateBeforeSubmission {
            command: "ReturnReport",
            date: d(2026, 4, 9),
            submitted_on: d(2026, 4, 10),
        },
    );
    given::<RegionalPlan>([set_event()]).when_fails(
        return_cmd(d(2026, 4, 20), "x"),
        RegionalPlanError::ReportInvalidTransition {
            period: p("2026-Q1"),
            state: ReportStatus::NotSubmitted,
            command: "ReturnReport",
        },
    );
    given::<RegionalPlan>([
        set_event(),
        submitted("2026-Q1", 1, d(2026, 4, 10)),
        returned("2026-Q1", 1),
    ])
    .when_fails(
        return_cmd(d(2026, 4, 21), "x"),
        RegionalPlanError::ReportInvalidTransition {
            period: p("2026-Q1"),
            state: ReportStatus::Returned,
            command: "ReturnReport",
        },
    );
}

#[test]
fn accept_report() {
    let accept_cmd = |period: &str, on| RegionalPlanCommand::AcceptReport {
        period: p(period),
        accepted_on: on,
    };
    let state = given::<RegionalPlan>([set_event(), submitted("2026-Q1", 1, d(2026, 4, 10))])
        .when_then(
            accept_cmd("2026-Q1", d(2026, 4, 30)),
            vec![accepted("2026-Q1", 1, d(2026, 4, 30))],
        );
    assert_eq!(state.status(), PlanStatus::Active);
    given::<RegionalPlan>([set_event(), submitted("2026-Q1", 1, d(2026, 4, 10))]).when_fails(
        accept_cmd("2026-Q1", d(2026, 4, 1)),
        RegionalPlanError::DateBeforeSubmission {
            command: "AcceptReport",
            date: d(2026, 4, 1),
            submitted_on: d(2026, 4, 10),
        },
    );
    given::<RegionalPlan>([
        set_event(),
        submitted("2026-Q1", 1, d(2026, 4, 10)),
        returned("2026-Q1", 1),
    ])
    .when_fails(
        accept_cmd("2026-Q1", d(2026, 4, 30)),
        RegionalPlanError::ReportInvalidTransition {
            period: p("2026-Q1"),
            state: ReportStatus::Returned,
            command: "AcceptReport",
        },
    );
    // Accepting the whole year's report closes the plan.
    let closed = given::<RegionalPlan>([set_event(), submitted("2026", 1, d(2027, 1, 20))])
        .when_then(
            accept_cmd("2026", d(2027, 2, 1)),
            vec![accepted("2026", 1, d(2027, 2, 1))],
        );
    assert_eq!(closed.status(), PlanStatus::Closed);
    let closed_history = [
        set_event(),
        submitted("2026", 1, d(2027, 1, 20)),
        accepted("2026", 1, d(2027, 2, 1)),
    ];
    given::<RegionalPlan>(closed_history.clone()).when_fails(
        RegionalPlanCommand::ReviseTargets {
            targets: RegionalTargets {
                demonstration_projects: 3,
                ..targets()
            },
            revised_on: d(2027, 2, 2),
            reason: "x".into(),
        },
        RegionalPlanError::InvalidTransition {
            state: PlanStatus::Closed,
            command: "ReviseTargets",
        },
    );
    given::<RegionalPlan>(closed_history).when_fails(
        submit_cmd("2026-Q4", d(2027, 2, 2)),
        RegionalPlanError::InvalidTransition {
            state: PlanStatus::Closed,
            command: "SubmitReport",
        },
    );
}

#[test]
fn assessment_against_targets() {
    let g = given::<RegionalPlan>([set_event(), submitted("2026-Q1", 1, d(2026, 4, 10))]);
    let state = g.state();
    let new = state
        .assess(p("2026-Q1"), RateFormula::New)
        .expect("small")
        .expect("report and targets");
    // 160 000 / 1 000 000 = 16 % ≥ 15 %.
    assert_eq!(new.rate, Ratio::new(16, 100).ok());
    assert_eq!(new.meets_rate_target, Some(true));
    assert_eq!(new.utilized, t(190_000));
    assert_eq!(new.share_of_utilization_target, Ratio::new(19, 60).ok());
    let statistical = state
        .assess(p("2026-Q1"), RateFormula::Statistical)
        .expect("small")
        .expect("report and targets");
    assert_eq!(statistical.rate, Ratio::new(190, 1_030).ok());
    assert_eq!(state.assess(p("2026-Q2"), RateFormula::New), Ok(None));
}

#[test]
fn event_type_names_are_stable() {
    assert_eq!(
        RegionalPlanEvent::EVENT_TYPES,
        [
            "RegionalTargetsSet",
            "RegionalTargetsRevised",
            "RegionalReportSubmitted",
            "RegionalReportReturned",
            "RegionalReportAccepted",
        ]
    );
    assert_eq!(RegionalPlan::CATEGORY, "regional_plan");
    assert_eq!(set_event().effective(), Some("2026".into()));
    assert_eq!(
        submitted("2026-Q1", 1, d(2026, 4, 10)).effective(),
        Some("2026-Q1".into())
    );
}

// ----- properties -----------------------------------------------------------------------------

fn arb_period() -> impl Strategy<Value = Period> {
    proptest::sample::select(vec!["2026", "2026-Q1", "2026-Q2", "2026-03", "2025-Q4"]).prop_map(p)
}

fn arb_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..500).prop_map(|n| d(2026, 1, 1) + chrono::Duration::days(n))
}

fn arb_reason() -> impl Strategy<Value = String> {
    prop_oneof![1 => Just(String::new()), 3 => Just("退回".to_owned())]
}

fn arb_command() -> impl Strategy<Value = RegionalPlanCommand> {
    prop_oneof![
        1 => Just(set_cmd()),
        1 => ((0u32..3), arb_reason(), arb_date()).prop_map(|(n, reason, revised_on)| {
            RegionalPlanCommand::ReviseTargets {
                targets: RegionalTargets { demonstration_projects: n, ..targets() },
                revised_on,
                reason,
            }
        }),
        3 => (arb_period(), arb_date(), 0u8..5).prop_map(|(period, submitted_on, skew)| {
            let mut figures = figures();
            if skew == 0 {
                figures.ledger.generated = t(1);
            }
            RegionalPlanCommand::SubmitReport {
                period,
                figures,
                summary: "x".into(),
                submitted_on,
            }
        }),
        2 => (arb_period(), arb_date(), arb_reason()).prop_map(|(period, returned_on, reason)| {
            RegionalPlanCommand::ReturnReport { period, returned_on, reason }
        }),
        2 => (arb_period(), arb_date()).prop_map(|(period, accepted_on)| {
            RegionalPlanCommand::AcceptReport { period, accepted_on }
        }),
    ]
}

fn run(commands: &[RegionalPlanCommand]) -> (RegionalPlan, Vec<RegionalPlanEvent>) {
    run_accepted(Vec::new(), commands)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn state_round_trips_through_json(
        commands in proptest::collection::vec(arb_command(), 0..30)
    ) {
        let (state, _) = run(&commands);
        assert_state_round_trips(&state);
    }

    #[test]
    fn reports_stay_consistent(commands in proptest::collection::vec(arb_command(), 0..30)) {
        let (state, events) = run(&commands);
        prop_assert_eq!(&replay::<RegionalPlan, _>(&events), &state);
        for event in &events {
            assert_round_trips(event);
        }
        for (period, report) in state.reports() {
            prop_assert_eq!(period.calendar_year(), state.year());
            prop_assert_eq!(report.figures.ledger.check_balance(), Ok(()));
            prop_assert!(report.submitted_on > period.end());
        }
        // Once accepted, a report is never submitted again.
        let mut accepted = std::collections::BTreeSet::new();
        for event in &events {
            match event {
                RegionalPlanEvent::ReportAccepted(e) => { accepted.insert(e.period); }
                RegionalPlanEvent::ReportSubmitted(e) => {
                    prop_assert!(!accepted.contains(&e.period));
                }
                _ => {}
            }
        }
    }
}

#[test]
fn command_generator_reaches_every_event_type() {
    let reached = event_types_reached(proptest::collection::vec(arb_command(), 0..30), 256, |c| {
        run(c).1
    });
    let all: std::collections::BTreeSet<&str> =
        RegionalPlanEvent::EVENT_TYPES.iter().copied().collect();
    assert_eq!(reached, all);
}

/// The state's JSON is what a client expects: codes and periods as text, map keys are periods,
/// masses are integer kilograms.
#[test]
fn state_json_is_friendly() {
    let g = given::<RegionalPlan>([set_event(), submitted("2026-Q1", 1, d(2026, 4, 10))]);
    let json = assert_state_round_trips(g.state());
    assert_eq!(json["status"], "active");
    assert_eq!(json["region"], "520300");
    assert_eq!(json["year"], 2026);
    assert_eq!(json["set_on"], "2026-01-15");
    assert_eq!(json["targets"]["revision"], 1);
    assert_eq!(json["targets"]["targets"]["new_utilization_rate"], 1500);
    let report = &json["reports"]["2026-Q1"];
    assert_eq!(report["status"], "submitted");
    assert_eq!(report["figures"]["ledger"]["generated"], 1_000_000_000u64);
    assert_eq!(
        report["figures"]["ledger"]["utilized_from_new"]["cement"],
        100_000_000u64
    );
    assert_state_round_trips(&RegionalPlan::default());
}

/// Every command, event, refusal and state the generator meets matches its JSON Schema, and the
/// command schema names exactly the commands the generator sends.
#[cfg(feature = "schema")]
#[test]
fn json_matches_the_schemas() {
    crate::schema::tests::check_aggregate::<RegionalPlan>(
        None,
        proptest::collection::vec(arb_command(), 0..30),
        256,
    );
}

#[test]
fn targets_recorded_before_tasks_existed_read_as_utilization_scale() {
    let mut json = serde_json::to_value(targets()).expect("json");
    json.as_object_mut().expect("object").remove("task");
    let read: RegionalTargets = serde_json::from_value(json).expect("old targets read");
    assert_eq!(read.task, PlanTask::UtilizationScale);
    assert_eq!(read, targets());
}
