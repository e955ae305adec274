//! Given/when/then tests of every enterprise command, and property tests.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::aggregate::{DomainEvent, replay};
use crate::ledger::{LedgerError, LedgerFigures, RouteAmounts};
use crate::testing::{
    assert_round_trips, assert_state_round_trips, event_types_reached, given, run_accepted,
};
use crate::values::{DownstreamSector, Prefecture, UtilizationRoute};

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

fn bp(v: u16) -> BasisPoints {
    BasisPoints::new(v).expect("in range")
}

fn p(s: &str) -> Period {
    s.parse().expect("valid period")
}

fn uscc(first17: &str) -> Uscc {
    let check = crate::values::uscc_check_character(first17).expect("charset");
    Uscc::parse(&format!("{first17}{check}")).expect("valid")
}

fn qingzhen() -> Region {
    "520181".parse().expect("county")
}

fn refinery_kinds() -> BTreeSet<EnterpriseKind> {
    BTreeSet::from([EnterpriseKind::AluminaRefinery])
}

fn registered_event() -> EnterpriseEvent {
    EnterpriseRegistered {
        enterprise_id: id(1),
        name: "贵州某氧化铝有限公司".into(),
        uscc: uscc("91520181MA6H0000X"),
        region: qingzhen(),
        kinds: refinery_kinds(),
        registered_on: d(2025, 1, 10),
    }
    .into()
}

fn utilizer_registered() -> EnterpriseEvent {
    EnterpriseRegistered {
        enterprise_id: id(2),
        name: "遵义某赤泥综合利用有限公司".into(),
        uscc: uscc("91520300MA6J00001"),
        region: Region::Prefecture(Prefecture::Zunyi),
        kinds: BTreeSet::from([
            EnterpriseKind::RedMudUtilizer,
            EnterpriseKind::DownstreamUser(DownstreamSector::BuildingMaterials),
        ]),
        registered_on: d(2025, 1, 10),
    }
    .into()
}

fn deregistered_event() -> EnterpriseEvent {
    EnterpriseDeregistered {
        deregistered_on: d(2026, 6, 30),
        reason: "merged".into(),
    }
    .into()
}

/// 1 000 t generated: 100 t to cement and 50 t to backfill from new, 850 t stored; 20 t from
/// stock to road base and 5 t disposed from stock.
fn figures() -> LedgerFigures {
    LedgerFigures {
        generated: t(1_000),
        utilized_from_new: RouteAmounts::new()
            .with(UtilizationRoute::Cement, t(100))
            .with(UtilizationRoute::MineBackfill, t(50)),
        disposed_from_new: Kg::ZERO,
        stored_new: t(850),
        utilized_from_stock: RouteAmounts::new().with(UtilizationRoute::RoadBase, t(20)),
        disposed_from_stock: t(5),
    }
}

/// Everything stored, nothing taken from stock.
fn stored_only(generated: u64) -> LedgerFigures {
    LedgerFigures {
        generated: t(generated),
        stored_new: t(generated),
        ..LedgerFigures::default()
    }
}

/// Nothing generated, `withdrawn` tonnes utilized from stock as cement.
fn from_stock(withdrawn: u64) -> LedgerFigures {
    LedgerFigures {
        utilized_from_stock: RouteAmounts::new().with(UtilizationRoute::Cement, t(withdrawn)),
        ..LedgerFigures::default()
    }
}

fn recorded(period: &str, figures: LedgerFigures) -> EnterpriseEvent {
    LedgerRecorded {
        period: p(period),
        figures,
    }
    .into()
}

fn baseline(stock: u64) -> EnterpriseEvent {
    StockBaselineDeclared {
        as_of: d(2025, 1, 1),
        stock: t(stock),
    }
    .into()
}

fn plan() -> PolicyPlan {
    PolicyPlan {
        yearly_targets: vec![
            PolicyYearTarget {
                year: 2026,
                generation: t(3_000_000),
                utilization: t(450_000),
            },
            PolicyYearTarget {
                year: 2027,
                generation: t(3_000_000),
                utilization: t(600_000),
            },
        ],
        measures: vec!["在线降碱".into(), "无热干化".into()],
    }
}

fn record_cmd(period: &str, figures: LedgerFigures) -> EnterpriseCommand {
    EnterpriseCommand::RecordLedger {
        period: p(period),
        figures,
        today: d(2026, 7, 15),
    }
}

fn vat_claim() -> TaxIncentiveClaim {
    TaxIncentiveClaim::VatImmediateRefund {
        vat_paid: yuan(100_000),
        refund_rate: bp(7_000),
        refund: yuan(70_000),
    }
}

fn claimed(claim_id: u128, period: &str, claim: TaxIncentiveClaim) -> EnterpriseEvent {
    TaxIncentiveClaimed {
        claim_id: id(claim_id),
        period: p(period),
        claim,
        claimed_on: d(2026, 7, 20),
    }
    .into()
}

fn claim_cmd(claim_id: u128, period: &str, claim: TaxIncentiveClaim) -> EnterpriseCommand {
    EnterpriseCommand::ClaimTaxIncentive {
        claim_id: id(claim_id),
        period: p(period),
        claim,
        claimed_on: d(2026, 7, 20),
    }
}

fn approved(claim_id: u128, amount: Fen) -> EnterpriseEvent {
    TaxIncentiveApproved {
        claim_id: id(claim_id),
        approved: amount,
        decided_on: d(2026, 8, 1),
    }
    .into()
}

// ----- register / amend / deregister ----------------------------------------------------------

#[test]
fn register_happy_path() {
    let state = given::<Enterprise>([]).when_then(
        EnterpriseCommand::Register {
            enterprise_id: id(1),
            name: "  贵州某氧化铝有限公司 ".into(),
            uscc: uscc("91520181MA6H0000X"),
            region: qingzhen(),
            kinds: refinery_kinds(),
            registered_on: d(2025, 1, 10),
        },
        vec![registered_event()],
    );
    assert_eq!(state.status(), EnterpriseStatus::Active);
    assert_eq!(state.id(), Some(id(1)));
    assert_eq!(state.name(), "贵州某氧化铝有限公司");
    assert_eq!(
        state.region().and_then(Region::prefecture),
        Some(Prefecture::Guiyang)
    );
}

fn register_cmd() -> EnterpriseCommand {
    EnterpriseCommand::Register {
        enterprise_id: id(1),
        name: "X".into(),
        uscc: uscc("91520181MA6H0000X"),
        region: qingzhen(),
        kinds: refinery_kinds(),
        registered_on: d(2025, 1, 10),
    }
}

#[test]
fn register_rules() {
    given::<Enterprise>([registered_event()]).when_fails(
        register_cmd(),
        EnterpriseError::InvalidTransition {
            state: EnterpriseStatus::Active,
            command: "Register",
        },
    );
    given::<Enterprise>([registered_event(), deregistered_event()]).when_fails(
        register_cmd(),
        EnterpriseError::InvalidTransition {
            state: EnterpriseStatus::Deregistered,
            command: "Register",
        },
    );
    let mut blank = register_cmd();
    if let EnterpriseCommand::Register { name, .. } = &mut blank {
        *name = " \t".into();
    }
    given::<Enterprise>([]).when_fails(blank, EnterpriseError::BlankName);
    let mut no_kinds = register_cmd();
    if let EnterpriseCommand::Register { kinds, .. } = &mut no_kinds {
        kinds.clear();
    }
    given::<Enterprise>([]).when_fails(no_kinds, EnterpriseError::NoKinds);
    let mut province = register_cmd();
    if let EnterpriseCommand::Register { region, .. } = &mut province {
        *region = Region::Province;
    }
    given::<Enterprise>([]).when_fails(
        province,
        EnterpriseError::RegionNotWithinPrefecture {
            region: Region::Province,
        },
    );
}

#[test]
fn every_other_command_needs_a_registered_enterprise() {
    let commands = [
        EnterpriseCommand::Deregister {
            deregistered_on: d(2026, 1, 1),
            reason: "x".into(),
        },
        record_cmd("2026-Q1", figures()),
        claim_cmd(9, "2026-Q1", vat_claim()),
    ];
    for command in commands {
        let name = command.name();
        given::<Enterprise>([]).when_fails(
            command.clone(),
            EnterpriseError::InvalidTransition {
                state: EnterpriseStatus::NotRegistered,
                command: name,
            },
        );
        given::<Enterprise>([registered_event(), deregistered_event()]).when_fails(
            command,
            EnterpriseError::InvalidTransition {
                state: EnterpriseStatus::Deregistered,
                command: name,
            },
        );
    }
}

#[test]
fn amend_records_only_what_changes() {
    let new_kinds = BTreeSet::from([
        EnterpriseKind::AluminaRefinery,
        EnterpriseKind::RedMudUtilizer,
    ]);
    let state = given::<Enterprise>([registered_event()]).when_then(
        EnterpriseCommand::Amend {
            name: Some("贵州某氧化铝有限公司".into()),
            uscc: None,
            region: Some(Region::Prefecture(Prefecture::Guiyang)),
            kinds: Some(new_kinds.clone()),
            amended_on: d(2025, 3, 1),
        },
        vec![
            EnterpriseAmended {
                name: None,
                uscc: None,
                region: Some(Region::Prefecture(Prefecture::Guiyang)),
                kinds: Some(new_kinds.clone()),
                amended_on: d(2025, 3, 1),
            }
            .into(),
        ],
    );
    assert_eq!(state.kinds(), &new_kinds);
    assert_eq!(
        state.region(),
        Some(Region::Prefecture(Prefecture::Guiyang))
    );
}

#[test]
fn amend_rules() {
    let amend = |name: Option<&str>,
                 region: Option<Region>,
                 kinds: Option<BTreeSet<EnterpriseKind>>,
                 on| {
        EnterpriseCommand::Amend {
            name: name.map(str::to_owned),
            uscc: None,
            region,
            kinds,
            amended_on: on,
        }
    };
    let g = || given::<Enterprise>([registered_event()]);
    g().when_fails(
        amend(
            Some("贵州某氧化铝有限公司"),
            Some(qingzhen()),
            Some(refinery_kinds()),
            d(2025, 3, 1),
        ),
        EnterpriseError::NothingToAmend,
    );
    g().when_fails(
        amend(None, None, None, d(2025, 3, 1)),
        EnterpriseError::NothingToAmend,
    );
    g().when_fails(
        amend(Some(""), None, None, d(2025, 3, 1)),
        EnterpriseError::BlankName,
    );
    g().when_fails(
        amend(None, None, Some(BTreeSet::new()), d(2025, 3, 1)),
        EnterpriseError::NoKinds,
    );
    g().when_fails(
        amend(None, Some(Region::Province), None, d(2025, 3, 1)),
        EnterpriseError::RegionNotWithinPrefecture {
            region: Region::Province,
        },
    );
    g().when_fails(
        amend(Some("新名称"), None, None, d(2025, 1, 9)),
        EnterpriseError::DateBeforeRegistration {
            command: "Amend",
            date: d(2025, 1, 9),
            registered_on: d(2025, 1, 10),
        },
    );
}

#[test]
fn deregister_happy_path_and_rules() {
    let state = given::<Enterprise>([registered_event()]).when_then(
        EnterpriseCommand::Deregister {
            deregistered_on: d(2026, 6, 30),
            reason: "merged".into(),
        },
        vec![deregistered_event()],
    );
    assert_eq!(state.status(), EnterpriseStatus::Deregistered);
    given::<Enterprise>([registered_event()]).when_fails(
        EnterpriseCommand::Deregister {
            deregistered_on: d(2026, 6, 30),
            reason: "  ".into(),
        },
        BlankReason {
            command: "Deregister",
        }
        .into(),
    );
    given::<Enterprise>([registered_event()]).when_fails(
        EnterpriseCommand::Deregister {
            deregistered_on: d(2024, 12, 31),
            reason: "x".into(),
        },
        EnterpriseError::DateBeforeRegistration {
            command: "Deregister",
            date: d(2024, 12, 31),
            registered_on: d(2025, 1, 10),
        },
    );
}

// ----- 一企一策 ---------------------------------------------------------------------------------

#[test]
fn file_and_revise_policy_plan() {
    let state = given::<Enterprise>([registered_event()]).when_then(
        EnterpriseCommand::FilePolicyPlan {
            plan: plan(),
            filed_on: d(2025, 6, 1),
        },
        vec![
            PolicyPlanFiled {
                plan: plan(),
                filed_on: d(2025, 6, 1),
            }
            .into(),
        ],
    );
    assert_eq!(state.policy_plan().map(|p| p.revision), Some(1));
    let mut revised = plan();
    revised.measures.push("分质分类贮存".into());
    let filed: EnterpriseEvent = PolicyPlanFiled {
        plan: plan(),
        filed_on: d(2025, 6, 1),
    }
    .into();
    let revision2: EnterpriseEvent = PolicyPlanRevised {
        revision: 2,
        plan: revised.clone(),
        revised_on: d(2026, 1, 5),
        reason: "新增措施".into(),
    }
    .into();
    given::<Enterprise>([registered_event(), filed.clone()]).when_then(
        EnterpriseCommand::RevisePolicyPlan {
            plan: revised.clone(),
            revised_on: d(2026, 1, 5),
            reason: "新增措施".into(),
        },
        vec![revision2.clone()],
    );
    let state = given::<Enterprise>([registered_event(), filed, revision2]).when_then(
        EnterpriseCommand::RevisePolicyPlan {
            plan: plan(),
            revised_on: d(2026, 2, 5),
            reason: "恢复".into(),
        },
        vec![
            PolicyPlanRevised {
                revision: 3,
                plan: plan(),
                revised_on: d(2026, 2, 5),
                reason: "恢复".into(),
            }
            .into(),
        ],
    );
    let in_force = state.policy_plan().expect("filed");
    assert_eq!((in_force.revision, in_force.filed_on), (3, d(2025, 6, 1)));
}

#[test]
fn policy_plan_rules() {
    let file = |plan: PolicyPlan| EnterpriseCommand::FilePolicyPlan {
        plan,
        filed_on: d(2025, 6, 1),
    };
    let g = || given::<Enterprise>([registered_event()]);
    given::<Enterprise>([utilizer_registered()]).when_fails(
        file(plan()),
        EnterpriseError::RequiresAluminaRefinery {
            command: "FilePolicyPlan",
            kinds: BTreeSet::from([
                EnterpriseKind::RedMudUtilizer,
                EnterpriseKind::DownstreamUser(DownstreamSector::BuildingMaterials),
            ]),
        },
    );
    let filed: EnterpriseEvent = PolicyPlanFiled {
        plan: plan(),
        filed_on: d(2025, 6, 1),
    }
    .into();
    given::<Enterprise>([registered_event(), filed.clone()]).when_fails(
        file(plan()),
        EnterpriseError::PolicyPlanAlreadyFiled { revision: 1 },
    );
    g().when_fails(
        EnterpriseCommand::FilePolicyPlan {
            plan: plan(),
            filed_on: d(2025, 1, 1),
        },
        EnterpriseError::DateBeforeRegistration {
            command: "FilePolicyPlan",
            date: d(2025, 1, 1),
            registered_on: d(2025, 1, 10),
        },
    );
    let mut no_targets = plan();
    no_targets.yearly_targets.clear();
    g().when_fails(file(no_targets), EnterpriseError::PolicyPlanWithoutTargets);
    let mut dup = plan();
    dup.yearly_targets[1].year = 2026;
    g().when_fails(
        file(dup),
        EnterpriseError::DuplicatePolicyYear { year: 2026 },
    );
    let mut far = plan();
    far.yearly_targets[0].year = 26;
    g().when_fails(
        file(far),
        EnterpriseError::PolicyYearOutOfRange { year: 26 },
    );
    let mut no_measures = plan();
    no_measures.measures.clear();
    g().when_fails(
        file(no_measures),
        EnterpriseError::PolicyPlanWithoutMeasures,
    );
    let mut blank_measure = plan();
    blank_measure.measures.push(" ".into());
    g().when_fails(
        file(blank_measure),
        EnterpriseError::BlankMeasure { index: 2 },
    );

    let revise = |plan: PolicyPlan, reason: &str| EnterpriseCommand::RevisePolicyPlan {
        plan,
        revised_on: d(2026, 1, 5),
        reason: reason.into(),
    };
    g().when_fails(revise(plan(), "x"), EnterpriseError::PolicyPlanNotFiled);
    given::<Enterprise>([registered_event(), filed.clone()]).when_fails(
        revise(plan(), ""),
        BlankReason {
            command: "RevisePolicyPlan",
        }
        .into(),
    );
    given::<Enterprise>([registered_event(), filed.clone()]).when_fails(
        revise(plan(), "x"),
        EnterpriseError::PolicyRevisionChangesNothing { revision: 1 },
    );
    let mut no_measures = plan();
    no_measures.measures.clear();
    given::<Enterprise>([registered_event(), filed]).when_fails(
        revise(no_measures, "x"),
        EnterpriseError::PolicyPlanWithoutMeasures,
    );
}

// ----- stock baseline -------------------------------------------------------------------------

#[test]
fn declare_and_correct_stock_baseline() {
    let state = given::<Enterprise>([registered_event()]).when_then(
        EnterpriseCommand::DeclareStockBaseline {
            as_of: d(2025, 1, 1),
            stock: t(40_000_000),
        },
        vec![baseline(40_000_000)],
    );
    assert_eq!(state.current_stock(), Ok(t(40_000_000)));
    let state = given::<Enterprise>([registered_event(), baseline(40_000_000)]).when_then(
        EnterpriseCommand::CorrectStockBaseline {
            stock: t(41_000_000),
            reason: "复测".into(),
        },
        vec![
            StockBaselineCorrected {
                as_of: d(2025, 1, 1),
                previous: t(40_000_000),
                stock: t(41_000_000),
                reason: "复测".into(),
            }
            .into(),
        ],
    );
    assert_eq!(state.baseline_stock(), t(41_000_000));
}

#[test]
fn stock_baseline_rules() {
    let declare = |as_of| EnterpriseCommand::DeclareStockBaseline {
        as_of,
        stock: t(100),
    };
    given::<Enterprise>([registered_event(), baseline(5)]).when_fails(
        declare(d(2025, 1, 1)),
        EnterpriseError::StockBaselineAlreadyDeclared {
            as_of: d(2025, 1, 1),
        },
    );
    given::<Enterprise>([registered_event(), recorded("2025-03", stored_only(10))]).when_fails(
        declare(d(2025, 3, 2)),
        EnterpriseError::StockBaselineAfterRecordedPeriod {
            as_of: d(2025, 3, 2),
            period: p("2025-03"),
        },
    );
    given::<Enterprise>([registered_event(), recorded("2025-03", stored_only(10))]).when_then(
        declare(d(2025, 3, 1)),
        vec![
            StockBaselineDeclared {
                as_of: d(2025, 3, 1),
                stock: t(100),
            }
            .into(),
        ],
    );
    given::<Enterprise>([utilizer_registered()]).when_fails(
        declare(d(2025, 1, 1)),
        EnterpriseError::RequiresAluminaRefinery {
            command: "DeclareStockBaseline",
            kinds: BTreeSet::from([
                EnterpriseKind::RedMudUtilizer,
                EnterpriseKind::DownstreamUser(DownstreamSector::BuildingMaterials),
            ]),
        },
    );
    let correct = |stock, reason: &str| EnterpriseCommand::CorrectStockBaseline {
        stock: t(stock),
        reason: reason.into(),
    };
    given::<Enterprise>([registered_event()])
        .when_fails(correct(5, "x"), EnterpriseError::StockBaselineNotDeclared);
    given::<Enterprise>([registered_event(), baseline(5)]).when_fails(
        correct(6, ""),
        BlankReason {
            command: "CorrectStockBaseline",
        }
        .into(),
    );
    given::<Enterprise>([registered_event(), baseline(5)]).when_fails(
        correct(5, "x"),
        EnterpriseError::BaselineCorrectionChangesNothing { stock: t(5) },
    );
    // 100 t baseline, 80 t taken from stock in 2025-Q1: lowering the baseline to 50 t breaks Q1.
    given::<Enterprise>([
        registered_event(),
        baseline(100),
        recorded("2025-Q1", from_stock(80)),
    ])
    .when_fails(
        correct(50, "复测"),
        LedgerError::StockWouldGoNegative {
            period: p("2025-Q1"),
            stock_start: t(50),
            stored_new: Kg::ZERO,
            utilized_from_stock: t(80),
            disposed_from_stock: Kg::ZERO,
        }
        .into(),
    );
}

// ----- ledger ---------------------------------------------------------------------------------

#[test]
fn record_ledger_happy_path() {
    let state = given::<Enterprise>([registered_event()]).when_then(
        record_cmd("2026-Q1", figures()),
        vec![recorded("2026-Q1", figures())],
    );
    assert_eq!(
        state.stock_lines(),
        Ok(vec![StockLine {
            period: p("2026-Q1"),
            stock_start: Kg::ZERO,
            stored_new: t(850),
            withdrawn_from_stock: t(25),
            stock_end: t(825),
        }])
    );
    assert_eq!(
        state.ledger().get(&p("2026-Q1")).map(|e| e.revision),
        Some(1)
    );
}

#[test]
fn record_ledger_rules() {
    let g = || given::<Enterprise>([registered_event(), recorded("2026-Q1", figures())]);
    // The period must have ended: Q2 ends 30 June; on 30 June it has not.
    given::<Enterprise>([registered_event()]).when_fails(
        EnterpriseCommand::RecordLedger {
            period: p("2026-Q2"),
            figures: figures(),
            today: d(2026, 6, 30),
        },
        EnterpriseError::PeriodNotEnded {
            period: p("2026-Q2"),
            today: d(2026, 6, 30),
        },
    );
    given::<Enterprise>([registered_event()]).when_then(
        EnterpriseCommand::RecordLedger {
            period: p("2026-Q2"),
            figures: figures(),
            today: d(2026, 7, 1),
        },
        vec![recorded("2026-Q2", figures())],
    );
    g().when_fails(
        record_cmd("2026-Q1", figures()),
        EnterpriseError::PeriodAlreadyRecorded {
            period: p("2026-Q1"),
        },
    );
    g().when_fails(
        record_cmd("2026-03", figures()),
        EnterpriseError::PeriodOverlapsRecorded {
            period: p("2026-03"),
            recorded: p("2026-Q1"),
        },
    );
    g().when_fails(
        EnterpriseCommand::RecordLedger {
            period: p("2026"),
            figures: figures(),
            today: d(2027, 1, 5),
        },
        EnterpriseError::PeriodOverlapsRecorded {
            period: p("2026"),
            recorded: p("2026-Q1"),
        },
    );
    given::<Enterprise>([registered_event(), baseline(10)]).when_fails(
        record_cmd("2024-Q4", figures()),
        EnterpriseError::PeriodBeforeStockBaseline {
            period: p("2024-Q4"),
            baseline_as_of: d(2025, 1, 1),
        },
    );
    let mut unbalanced = figures();
    unbalanced.stored_new = t(849);
    given::<Enterprise>([registered_event()]).when_fails(
        record_cmd("2026-Q1", unbalanced),
        LedgerError::Unbalanced {
            generated: t(1_000),
            utilized_from_new: t(150),
            disposed_from_new: Kg::ZERO,
            stored_new: t(849),
        }
        .into(),
    );
    given::<Enterprise>([registered_event(), baseline(10)]).when_fails(
        record_cmd("2026-Q1", from_stock(11)),
        LedgerError::StockWouldGoNegative {
            period: p("2026-Q1"),
            stock_start: t(10),
            stored_new: Kg::ZERO,
            utilized_from_stock: t(11),
            disposed_from_stock: Kg::ZERO,
        }
        .into(),
    );
    given::<Enterprise>([utilizer_registered()]).when_fails(
        record_cmd("2026-Q1", figures()),
        EnterpriseError::RequiresAluminaRefinery {
            command: "RecordLedger",
            kinds: BTreeSet::from([
                EnterpriseKind::RedMudUtilizer,
                EnterpriseKind::DownstreamUser(DownstreamSector::BuildingMaterials),
            ]),
        },
    );
}

#[test]
fn backfilling_an_earlier_period_cannot_break_a_later_one() {
    // Q2 stored 100 t; Q3 took 100 t from stock. Backfilling Q1 taking 10 t from an empty stock
    // fails in Q1 itself; backfilling Q1 with only a withdrawal fails too.
    let g = || {
        given::<Enterprise>([
            registered_event(),
            recorded("2026-Q2", stored_only(100)),
            recorded("2026-Q3", from_stock(100)),
        ])
    };
    g().when_fails(
        EnterpriseCommand::RecordLedger {
            period: p("2026-Q1"),
            figures: from_stock(10),
            today: d(2026, 12, 1),
        },
        LedgerError::StockWouldGoNegative {
            period: p("2026-Q1"),
            stock_start: Kg::ZERO,
            stored_new: Kg::ZERO,
            utilized_from_stock: t(10),
            disposed_from_stock: Kg::ZERO,
        }
        .into(),
    );
    // Correcting Q2 down to 90 t stored leaves Q3 short by 10 t.
    g().when_fails(
        EnterpriseCommand::CorrectLedger {
            period: p("2026-Q2"),
            figures: stored_only(90),
            reason: "称重更正".into(),
        },
        LedgerError::StockWouldGoNegative {
            period: p("2026-Q3"),
            stock_start: t(90),
            stored_new: Kg::ZERO,
            utilized_from_stock: t(100),
            disposed_from_stock: Kg::ZERO,
        }
        .into(),
    );
}

#[test]
fn correct_ledger_keeps_the_old_figures_in_history() {
    let mut corrected = figures();
    corrected.utilized_from_new = RouteAmounts::new().with(UtilizationRoute::Cement, t(150));
    let first_correction: EnterpriseEvent = LedgerCorrected {
        period: p("2026-Q1"),
        revision: 2,
        corrects_revision: 1,
        previous: figures(),
        figures: corrected.clone(),
        reason: "水泥与充填分类错误".into(),
    }
    .into();
    let state = given::<Enterprise>([registered_event(), recorded("2026-Q1", figures())])
        .when_then(
            EnterpriseCommand::CorrectLedger {
                period: p("2026-Q1"),
                figures: corrected.clone(),
                reason: "水泥与充填分类错误".into(),
            },
            vec![first_correction.clone()],
        );
    assert_eq!(
        state.ledger().get(&p("2026-Q1")),
        Some(&LedgerEntry {
            figures: corrected.clone(),
            revision: 2
        })
    );
    given::<Enterprise>([
        registered_event(),
        recorded("2026-Q1", figures()),
        first_correction,
    ])
    .when_then(
        EnterpriseCommand::CorrectLedger {
            period: p("2026-Q1"),
            figures: figures(),
            reason: "撤回更正".into(),
        },
        vec![
            LedgerCorrected {
                period: p("2026-Q1"),
                revision: 3,
                corrects_revision: 2,
                previous: corrected,
                figures: figures(),
                reason: "撤回更正".into(),
            }
            .into(),
        ],
    );
}

#[test]
fn correct_ledger_rules() {
    let g = || given::<Enterprise>([registered_event(), recorded("2026-Q1", figures())]);
    let correct =
        |period: &str, figures: LedgerFigures, reason: &str| EnterpriseCommand::CorrectLedger {
            period: p(period),
            figures,
            reason: reason.into(),
        };
    g().when_fails(
        correct("2026-Q2", figures(), "x"),
        EnterpriseError::PeriodNotRecorded {
            period: p("2026-Q2"),
        },
    );
    g().when_fails(
        correct("2026-Q1", stored_only(1), " "),
        BlankReason {
            command: "CorrectLedger",
        }
        .into(),
    );
    g().when_fails(
        correct("2026-Q1", figures(), "x"),
        EnterpriseError::CorrectionChangesNothing {
            period: p("2026-Q1"),
            revision: 1,
        },
    );
    let mut unbalanced = figures();
    unbalanced.generated = t(999);
    g().when_fails(
        correct("2026-Q1", unbalanced, "x"),
        LedgerError::Unbalanced {
            generated: t(999),
            utilized_from_new: t(150),
            disposed_from_new: Kg::ZERO,
            stored_new: t(850),
        }
        .into(),
    );
}

// ----- designations ---------------------------------------------------------------------------

fn grant_cmd(on: NaiveDate, valid_until: Option<NaiveDate>) -> EnterpriseCommand {
    EnterpriseCommand::GrantDesignation {
        designation: DesignationKind::ZeroWasteEnterprise,
        granted_on: on,
        document: "黔工信〔2025〕1号".into(),
        valid_until,
    }
}

fn granted(on: NaiveDate, valid_until: Option<NaiveDate>) -> EnterpriseEvent {
    DesignationGranted {
        designation: DesignationKind::ZeroWasteEnterprise,
        granted_on: on,
        document: "黔工信〔2025〕1号".into(),
        valid_until,
    }
    .into()
}

#[test]
fn grant_designation() {
    let state = given::<Enterprise>([registered_event()]).when_then(
        grant_cmd(d(2025, 5, 1), Some(d(2028, 4, 30))),
        vec![granted(d(2025, 5, 1), Some(d(2028, 4, 30)))],
    );
    let grant = state
        .designations()
        .get(&DesignationKind::ZeroWasteEnterprise)
        .expect("granted");
    assert!(grant.in_force_on(d(2028, 4, 30)));
    assert!(!grant.in_force_on(d(2028, 5, 1)));
    // An expired designation can be granted again.
    given::<Enterprise>([
        registered_event(),
        granted(d(2025, 5, 1), Some(d(2028, 4, 30))),
    ])
    .when_then(
        grant_cmd(d(2028, 5, 10), None),
        vec![granted(d(2028, 5, 10), None)],
    );
}

#[test]
fn grant_designation_rules() {
    let g = || given::<Enterprise>([registered_event()]);
    g().when_fails(
        EnterpriseCommand::GrantDesignation {
            designation: DesignationKind::GreenFactory,
            granted_on: d(2025, 5, 1),
            document: "  ".into(),
            valid_until: None,
        },
        EnterpriseError::BlankDocument,
    );
    g().when_fails(
        grant_cmd(d(2025, 5, 1), Some(d(2025, 4, 30))),
        EnterpriseError::ValidityEndsBeforeGrant {
            granted_on: d(2025, 5, 1),
            valid_until: d(2025, 4, 30),
        },
    );
    g().when_fails(
        grant_cmd(d(2024, 5, 1), None),
        EnterpriseError::DateBeforeRegistration {
            command: "GrantDesignation",
            date: d(2024, 5, 1),
            registered_on: d(2025, 1, 10),
        },
    );
    given::<Enterprise>([registered_event(), granted(d(2025, 5, 1), None)]).when_fails(
        grant_cmd(d(2026, 5, 1), None),
        EnterpriseError::DesignationAlreadyHeld {
            designation: DesignationKind::ZeroWasteEnterprise,
            granted_on: d(2025, 5, 1),
        },
    );
}

#[test]
fn revoke_designation() {
    let revoke = |on, reason: &str| EnterpriseCommand::RevokeDesignation {
        designation: DesignationKind::ZeroWasteEnterprise,
        revoked_on: on,
        reason: reason.into(),
    };
    let state = given::<Enterprise>([registered_event(), granted(d(2025, 5, 1), None)]).when_then(
        revoke(d(2026, 1, 1), "复核不达标"),
        vec![
            DesignationRevoked {
                designation: DesignationKind::ZeroWasteEnterprise,
                revoked_on: d(2026, 1, 1),
                reason: "复核不达标".into(),
            }
            .into(),
        ],
    );
    assert!(state.designations().is_empty());
    given::<Enterprise>([registered_event()]).when_fails(
        revoke(d(2026, 1, 1), "x"),
        EnterpriseError::DesignationNotHeld {
            designation: DesignationKind::ZeroWasteEnterprise,
            on: d(2026, 1, 1),
        },
    );
    given::<Enterprise>([registered_event(), granted(d(2025, 5, 1), None)]).when_fails(
        revoke(d(2026, 1, 1), ""),
        BlankReason {
            command: "RevokeDesignation",
        }
        .into(),
    );
    given::<Enterprise>([registered_event(), granted(d(2025, 5, 1), None)]).when_fails(
        revoke(d(2025, 4, 1), "x"),
        EnterpriseError::RevocationBeforeGrant {
            designation: DesignationKind::ZeroWasteEnterprise,
            granted_on: d(2025, 5, 1),
            revoked_on: d(2025, 4, 1),
        },
    );
    given::<Enterprise>([
        registered_event(),
        granted(d(2025, 5, 1), Some(d(2025, 12, 31))),
    ])
    .when_fails(
        revoke(d(2026, 1, 1), "x"),
        EnterpriseError::DesignationNotHeld {
            designation: DesignationKind::ZeroWasteEnterprise,
            on: d(2026, 1, 1),
        },
    );
}

// ----- clean-production audits ----------------------------------------------------------------

#[test]
fn clean_production_audits() {
    let audit = |auditor: &str| EnterpriseCommand::RecordCleanProductionAudit {
        audit_id: id(50),
        completed_on: d(2025, 11, 20),
        auditor: auditor.into(),
        outcome: AuditOutcome::PassedWithConditions,
        summary: "溶出工序改造".into(),
    };
    let event = CleanProductionAuditRecorded {
        audit_id: id(50),
        completed_on: d(2025, 11, 20),
        auditor: "贵州省清洁生产中心".into(),
        outcome: AuditOutcome::PassedWithConditions,
        summary: "溶出工序改造".into(),
    };
    let state = given::<Enterprise>([registered_event()])
        .when_then(audit("贵州省清洁生产中心"), vec![event.clone().into()]);
    assert_eq!(state.audits().get(&id(50)), Some(&event));
    given::<Enterprise>([registered_event(), event.into()]).when_fails(
        audit("贵州省清洁生产中心"),
        EnterpriseError::DuplicateAudit { audit_id: id(50) },
    );
    given::<Enterprise>([registered_event()]).when_fails(audit(" "), EnterpriseError::BlankAuditor);
}

// ----- tax incentives -------------------------------------------------------------------------

#[test]
fn claim_each_kind_of_incentive() {
    given::<Enterprise>([registered_event()]).when_then(
        claim_cmd(10, "2026-Q1", vat_claim()),
        vec![claimed(10, "2026-Q1", vat_claim())],
    );
    // Environmental tax: 150 t from new + 20 t from stock utilized in Q1 per the ledger.
    let env = TaxIncentiveClaim::EnvironmentalTaxExemption {
        utilized: t(170),
        tax_per_tonne: yuan(25),
        exemption: yuan(4_250),
    };
    given::<Enterprise>([registered_event(), recorded("2026-Q1", figures())]).when_then(
        claim_cmd(11, "2026-Q1", env.clone()),
        vec![claimed(11, "2026-Q1", env)],
    );
    let income = TaxIncentiveClaim::IncomeTaxReduction {
        qualifying_income: yuan(1_000_000),
        reduction: yuan(100_000),
    };
    given::<Enterprise>([registered_event()]).when_then(
        claim_cmd(12, "2025", income.clone()),
        vec![claimed(12, "2025", income)],
    );
}

#[test]
fn claim_rules() {
    let g = || given::<Enterprise>([registered_event()]);
    g().when_fails(
        claim_cmd(
            10,
            "2026-Q1",
            TaxIncentiveClaim::VatImmediateRefund {
                vat_paid: yuan(100_000),
                refund_rate: bp(6_000),
                refund: yuan(60_000),
            },
        ),
        EnterpriseError::VatRefundRateNotInCatalogue {
            refund_rate: bp(6_000),
        },
    );
    g().when_fails(
        claim_cmd(
            10,
            "2026-Q1",
            TaxIncentiveClaim::VatImmediateRefund {
                vat_paid: yuan(100_000),
                refund_rate: bp(7_000),
                refund: Fen::new(7_000_001).expect("in range"),
            },
        ),
        EnterpriseError::VatRefundExceedsRate {
            vat_paid: yuan(100_000),
            refund_rate: bp(7_000),
            max_refund: yuan(70_000),
            claimed: Fen::new(7_000_001).expect("in range"),
        },
    );
    g().when_fails(
        claim_cmd(
            10,
            "2026-Q1",
            TaxIncentiveClaim::EnvironmentalTaxExemption {
                utilized: t(170),
                tax_per_tonne: yuan(25),
                exemption: yuan(4_251),
            },
        ),
        EnterpriseError::ExemptionExceedsTax {
            utilized: t(170),
            tax_per_tonne: yuan(25),
            max_exemption: yuan(4_250),
            claimed: yuan(4_251),
        },
    );
    given::<Enterprise>([registered_event(), recorded("2026-Q1", figures())]).when_fails(
        claim_cmd(
            10,
            "2026-Q1",
            TaxIncentiveClaim::EnvironmentalTaxExemption {
                utilized: t(171),
                tax_per_tonne: yuan(25),
                exemption: yuan(4_000),
            },
        ),
        EnterpriseError::ExemptionExceedsLedgerUtilized {
            period: p("2026-Q1"),
            ledger_utilized: t(170),
            claimed_utilized: t(171),
        },
    );
    g().when_fails(
        claim_cmd(
            10,
            "2026",
            TaxIncentiveClaim::IncomeTaxReduction {
                qualifying_income: yuan(1_000_000),
                reduction: Fen::new(10_000_001).expect("in range"),
            },
        ),
        EnterpriseError::PeriodNotEnded {
            period: p("2026"),
            today: d(2026, 7, 20),
        },
    );
    g().when_fails(
        claim_cmd(
            10,
            "2025",
            TaxIncentiveClaim::IncomeTaxReduction {
                qualifying_income: yuan(1_000_000),
                reduction: Fen::new(10_000_001).expect("in range"),
            },
        ),
        EnterpriseError::IncomeReductionExceedsShare {
            qualifying_income: yuan(1_000_000),
            max_reduction: yuan(100_000),
            claimed: Fen::new(10_000_001).expect("in range"),
        },
    );
    g().when_fails(
        claim_cmd(
            10,
            "2026-Q1",
            TaxIncentiveClaim::VatImmediateRefund {
                vat_paid: yuan(100),
                refund_rate: bp(7_000),
                refund: Fen::ZERO,
            },
        ),
        EnterpriseError::ZeroClaim,
    );
    let with_claim =
        || given::<Enterprise>([registered_event(), claimed(10, "2026-Q1", vat_claim())]);
    with_claim().when_fails(
        claim_cmd(10, "2025-Q1", vat_claim()),
        EnterpriseError::DuplicateClaim { claim_id: id(10) },
    );
    with_claim().when_fails(
        claim_cmd(11, "2026-02", vat_claim()),
        EnterpriseError::OverlappingClaim {
            kind: TaxIncentiveKind::VatImmediateRefund,
            period: p("2026-02"),
            existing_claim: id(10),
            existing_period: p("2026-Q1"),
        },
    );
    // A different kind for the same period is fine; so is the same kind after a rejection.
    with_claim().when_then(
        claim_cmd(
            11,
            "2026-Q1",
            TaxIncentiveClaim::IncomeTaxReduction {
                qualifying_income: yuan(10),
                reduction: yuan(1),
            },
        ),
        vec![claimed(
            11,
            "2026-Q1",
            TaxIncentiveClaim::IncomeTaxReduction {
                qualifying_income: yuan(10),
                reduction: yuan(1),
            },
        )],
    );
    let rejected: EnterpriseEvent = TaxIncentiveRejected {
        claim_id: id(10),
        decided_on: d(2026, 8, 1),
        reason: "资料不全".into(),
    }
    .into();
    given::<Enterprise>([
        registered_event(),
        claimed(10, "2026-Q1", vat_claim()),
        rejected,
    ])
    .when_then(
        claim_cmd(11, "2026-Q1", vat_claim()),
        vec![claimed(11, "2026-Q1", vat_claim())],
    );
}

#[test]
fn approve_and_reject_claims() {
    let with_claim =
        || given::<Enterprise>([registered_event(), claimed(10, "2026-Q1", vat_claim())]);
    let approve = |claim_id: u128, amount: Fen, on| EnterpriseCommand::ApproveTaxIncentive {
        claim_id: id(claim_id),
        approved: amount,
        decided_on: on,
    };
    let state = with_claim().when_then(
        approve(10, yuan(65_000), d(2026, 8, 1)),
        vec![approved(10, yuan(65_000))],
    );
    let claim = state.claims().get(&id(10)).expect("claimed");
    assert_eq!(
        (claim.state, claim.approved),
        (ClaimState::Approved, yuan(65_000))
    );
    with_claim().when_fails(
        approve(11, yuan(1), d(2026, 8, 1)),
        EnterpriseError::UnknownClaim { claim_id: id(11) },
    );
    with_claim().when_fails(
        approve(10, Fen::ZERO, d(2026, 8, 1)),
        EnterpriseError::ZeroApproval,
    );
    with_claim().when_fails(
        approve(10, yuan(70_001), d(2026, 8, 1)),
        EnterpriseError::ApprovalExceedsClaim {
            claimed: yuan(70_000),
            approved: yuan(70_001),
        },
    );
    with_claim().when_fails(
        approve(10, yuan(1), d(2026, 7, 19)),
        EnterpriseError::DateBeforeClaim {
            command: "ApproveTaxIncentive",
            date: d(2026, 7, 19),
            claimed_on: d(2026, 7, 20),
        },
    );
    given::<Enterprise>([
        registered_event(),
        claimed(10, "2026-Q1", vat_claim()),
        approved(10, yuan(1)),
    ])
    .when_fails(
        approve(10, yuan(1), d(2026, 8, 1)),
        EnterpriseError::ClaimInvalidTransition {
            claim_id: id(10),
            state: ClaimState::Approved,
            command: "ApproveTaxIncentive",
        },
    );

    let reject = |reason: &str| EnterpriseCommand::RejectTaxIncentive {
        claim_id: id(10),
        decided_on: d(2026, 8, 1),
        reason: reason.into(),
    };
    let rejected: EnterpriseEvent = TaxIncentiveRejected {
        claim_id: id(10),
        decided_on: d(2026, 8, 1),
        reason: "产品不在目录内".into(),
    }
    .into();
    with_claim().when_then(reject("产品不在目录内"), vec![rejected.clone()]);
    with_claim().when_fails(
        reject(""),
        BlankReason {
            command: "RejectTaxIncentive",
        }
        .into(),
    );
    given::<Enterprise>([
        registered_event(),
        claimed(10, "2026-Q1", vat_claim()),
        rejected,
    ])
    .when_fails(
        approve(10, yuan(1), d(2026, 8, 2)),
        EnterpriseError::ClaimInvalidTransition {
            claim_id: id(10),
            state: ClaimState::Rejected,
            command: "ApproveTaxIncentive",
        },
    );
}

#[test]
fn recover_incentives() {
    let recover = |amount: Fen, reason: &str| EnterpriseCommand::RecoverTaxIncentive {
        claim_id: id(10),
        amount,
        recovered_on: d(2026, 12, 1),
        reason: reason.into(),
    };
    let recovered = |amount: Fen| -> EnterpriseEvent {
        TaxIncentiveRecovered {
            claim_id: id(10),
            amount,
            recovered_on: d(2026, 12, 1),
            reason: "稽查发现不符合条件".into(),
        }
        .into()
    };
    let approved_claim = || {
        vec![
            registered_event(),
            claimed(10, "2026-Q1", vat_claim()),
            approved(10, yuan(60_000)),
        ]
    };
    let state = given::<Enterprise>(approved_claim()).when_then(
        recover(yuan(20_000), "稽查发现不符合条件"),
        vec![recovered(yuan(20_000))],
    );
    assert_eq!(
        state.claims().get(&id(10)).map(|c| c.recovered),
        Some(yuan(20_000))
    );
    let mut history = approved_claim();
    history.push(recovered(yuan(20_000)));
    given::<Enterprise>(history.clone()).when_then(
        recover(yuan(40_000), "稽查发现不符合条件"),
        vec![recovered(yuan(40_000))],
    );
    given::<Enterprise>(history).when_fails(
        recover(Fen::new(4_000_001).expect("in range"), "x"),
        EnterpriseError::RecoveryExceedsApproved {
            approved: yuan(60_000),
            already_recovered: yuan(20_000),
            requested: Fen::new(4_000_001).expect("in range"),
        },
    );
    given::<Enterprise>(approved_claim()).when_fails(
        recover(yuan(1), " "),
        BlankReason {
            command: "RecoverTaxIncentive",
        }
        .into(),
    );
    given::<Enterprise>(approved_claim())
        .when_fails(recover(Fen::ZERO, "x"), EnterpriseError::ZeroRecovery);
    given::<Enterprise>([registered_event(), claimed(10, "2026-Q1", vat_claim())]).when_fails(
        recover(yuan(1), "x"),
        EnterpriseError::ClaimInvalidTransition {
            claim_id: id(10),
            state: ClaimState::Claimed,
            command: "RecoverTaxIncentive",
        },
    );
}

#[test]
fn ledger_views() {
    let g = given::<Enterprise>([
        registered_event(),
        baseline(1_000),
        recorded("2026-01", figures()),
        recorded("2026-02", from_stock(100)),
        recorded("2026-04", stored_only(10)),
    ]);
    let state = g.state();
    assert_eq!(state.current_stock(), Ok(t(1_000 + 825 - 100 + 10)));
    let q1 = state.ledger_within(p("2026-Q1")).expect("small");
    assert_eq!(q1.generated, t(1_000));
    assert_eq!(q1.utilized_from_stock.get(UtilizationRoute::Cement), t(100));
    assert_eq!(
        state.ledger_within(p("2026")).map(|f| f.generated),
        Ok(t(1_010))
    );
}

#[test]
fn event_type_names_are_stable() {
    assert_eq!(
        EnterpriseEvent::EVENT_TYPES,
        [
            "EnterpriseRegistered",
            "EnterpriseAmended",
            "EnterpriseDeregistered",
            "PolicyPlanFiled",
            "PolicyPlanRevised",
            "StockBaselineDeclared",
            "StockBaselineCorrected",
            "LedgerRecorded",
            "LedgerCorrected",
            "DesignationGranted",
            "DesignationRevoked",
            "CleanProductionAuditRecorded",
            "TaxIncentiveClaimed",
            "TaxIncentiveApproved",
            "TaxIncentiveRejected",
            "TaxIncentiveRecovered",
            "EnterpriseTypicalCaseRecommended",
            "EnterpriseTypicalCaseWithdrawn",
        ]
    );
    assert_eq!(Enterprise::CATEGORY, "enterprise");
    let (name, payload) = recorded("2026-Q1", figures()).to_payload();
    assert_eq!(name, "LedgerRecorded");
    assert_eq!(
        payload,
        serde_json::json!({
            "period": "2026-Q1",
            "figures": {
                "generated": 1_000_000,
                "utilized_from_new": {"cement": 100_000, "mine_backfill": 50_000},
                "disposed_from_new": 0,
                "stored_new": 850_000,
                "utilized_from_stock": {"road_base": 20_000},
                "disposed_from_stock": 5_000,
            }
        })
    );
    assert_eq!(
        recorded("2026-Q1", figures()).effective(),
        Some("2026-Q1".into())
    );
    assert_eq!(registered_event().effective(), Some("2025-01-10".into()));
}

// ----- properties -----------------------------------------------------------------------------

fn arb_kg() -> impl Strategy<Value = Kg> {
    (0u64..60).prop_map(t)
}

fn arb_routes() -> impl Strategy<Value = RouteAmounts> {
    proptest::collection::vec(
        (
            proptest::sample::select(UtilizationRoute::ALL.to_vec()),
            arb_kg(),
        ),
        0..3,
    )
    .prop_map(|pairs| {
        pairs
            .into_iter()
            .fold(RouteAmounts::new(), |acc, (r, k)| acc.with(r, k))
    })
}

/// Figures that are balanced most of the time (stored is derived) and sometimes not; they draw
/// on the stockpile one time in three.
fn arb_figures() -> impl Strategy<Value = LedgerFigures> {
    (
        arb_routes(),
        arb_kg(),
        arb_kg(),
        (0u8..3, arb_routes(), arb_kg()),
        (0u8..10, arb_kg()),
    )
        .prop_map(|(ufn, disposed, stored, (draw, ufs, dfs), (skew, extra))| {
            let generated = ufn
                .total()
                .and_then(|u| u.checked_add(disposed))
                .and_then(|u| u.checked_add(stored))
                .unwrap_or(Kg::ZERO);
            let generated = if skew == 0 {
                generated.checked_add(extra).unwrap_or(generated)
            } else {
                generated
            };
            let (ufs, dfs) = if draw == 0 {
                (ufs, dfs)
            } else {
                (RouteAmounts::new(), Kg::ZERO)
            };
            LedgerFigures {
                generated,
                utilized_from_new: ufn,
                disposed_from_new: disposed,
                stored_new: stored,
                utilized_from_stock: ufs,
                disposed_from_stock: dfs,
            }
        })
}

fn arb_period() -> impl Strategy<Value = Period> {
    // A small pool, so corrections and overlaps hit recorded periods often.
    proptest::sample::select(vec![
        "2025", "2025-Q1", "2025-Q2", "2025-01", "2025-02", "2025-04", "2025-Q3", "2026-Q1",
        "2026-03",
    ])
    .prop_map(p)
}

fn arb_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..700).prop_map(|n| d(2025, 6, 1) + chrono::Duration::days(n))
}

fn arb_reason() -> impl Strategy<Value = String> {
    prop_oneof![1 => Just(String::new()), 3 => Just("更正".to_owned())]
}

/// Claims near their ceilings: mostly within, sometimes above.
fn arb_claim() -> impl Strategy<Value = TaxIncentiveClaim> {
    prop_oneof![
        (
            1u64..1000,
            proptest::sample::select(vec![3_000u16, 6_000, 7_000]),
            0u64..9
        )
            .prop_map(
                |(paid, rate, tenths)| TaxIncentiveClaim::VatImmediateRefund {
                    vat_paid: yuan(paid * 10),
                    refund_rate: bp(rate),
                    refund: yuan(paid * tenths),
                }
            ),
        (0u64..6, 0u64..30).prop_map(|(tonnes, yuan_exempt)| {
            TaxIncentiveClaim::EnvironmentalTaxExemption {
                utilized: t(tonnes),
                tax_per_tonne: yuan(25),
                exemption: yuan(yuan_exempt * 5),
            }
        }),
        (1u64..1000, 0u64..12).prop_map(|(income, percent)| {
            TaxIncentiveClaim::IncomeTaxReduction {
                qualifying_income: yuan(income * 100),
                reduction: yuan(income * percent),
            }
        }),
    ]
}

fn arb_command() -> impl Strategy<Value = EnterpriseCommand> {
    let claim_id = (1u128..4).prop_map(id);
    prop_oneof![
        4 => (arb_period(), arb_figures()).prop_map(|(period, figures)| {
            EnterpriseCommand::RecordLedger { period, figures, today: d(2027, 6, 1) }
        }),
        3 => (arb_period(), arb_figures(), arb_reason()).prop_map(|(period, figures, reason)| {
            EnterpriseCommand::CorrectLedger { period, figures, reason }
        }),
        1 => (arb_date(), arb_kg()).prop_map(|(as_of, stock)| {
            EnterpriseCommand::DeclareStockBaseline { as_of, stock }
        }),
        1 => (arb_kg(), arb_reason()).prop_map(|(stock, reason)| {
            EnterpriseCommand::CorrectStockBaseline { stock, reason }
        }),
        1 => (arb_date(), proptest::option::of(arb_date())).prop_map(|(granted_on, valid_until)| {
            EnterpriseCommand::GrantDesignation {
                designation: DesignationKind::GreenFactory,
                granted_on,
                document: "文号".into(),
                valid_until,
            }
        }),
        1 => (arb_date(), arb_reason()).prop_map(|(revoked_on, reason)| {
            EnterpriseCommand::RevokeDesignation {
                designation: DesignationKind::GreenFactory,
                revoked_on,
                reason,
            }
        }),
        1 => Just(EnterpriseCommand::FilePolicyPlan { plan: plan(), filed_on: d(2025, 6, 1) }),
        1 => arb_reason().prop_map(|reason| EnterpriseCommand::RevisePolicyPlan {
            plan: PolicyPlan { measures: vec!["x".into()], ..plan() },
            revised_on: d(2025, 7, 1),
            reason,
        }),
        3 => (claim_id.clone(), arb_period(), arb_claim(), arb_date()).prop_map(
            |(claim_id, period, claim, claimed_on)| EnterpriseCommand::ClaimTaxIncentive {
                claim_id, period, claim, claimed_on,
            }
        ),
        2 => (claim_id.clone(), 0u64..60, arb_date()).prop_map(|(claim_id, a, decided_on)| {
            EnterpriseCommand::ApproveTaxIncentive { claim_id, approved: yuan(a), decided_on }
        }),
        1 => (claim_id.clone(), arb_date(), arb_reason()).prop_map(
            |(claim_id, decided_on, reason)| EnterpriseCommand::RejectTaxIncentive {
                claim_id, decided_on, reason,
            }
        ),
        3 => (claim_id, 0u64..40, arb_date(), arb_reason()).prop_map(
            |(claim_id, a, recovered_on, reason)| EnterpriseCommand::RecoverTaxIncentive {
                claim_id, amount: yuan(a), recovered_on, reason,
            }
        ),
        1 => (1u128..3, arb_date()).prop_map(|(n, completed_on)| {
            EnterpriseCommand::RecordCleanProductionAudit {
                audit_id: id(n),
                completed_on,
                auditor: "审核机构".into(),
                outcome: AuditOutcome::Passed,
                summary: String::new(),
            }
        }),
        // Deregistration ends a sequence, so it mostly fails (blank reason).
        1 => (arb_date(), 0u8..4).prop_map(|(deregistered_on, n)| {
            let reason = if n == 0 { "停产".to_owned() } else { String::new() };
            EnterpriseCommand::Deregister { deregistered_on, reason }
        }),
        1 => Just(EnterpriseCommand::Amend {
            name: Some("改名".into()), uscc: None, region: None, kinds: None, amended_on: d(2025, 2, 1),
        }),
        1 => (arb_date(), 0u8..3).prop_map(|(recommended_on, n)| {
            let summary = if n == 0 { String::new() } else { "典型".to_owned() };
            EnterpriseCommand::RecommendTypicalCase { recommended_on, summary }
        }),
        1 => (arb_date(), 0u8..3).prop_map(|(withdrawn_on, n)| {
            let reason = if n == 0 { String::new() } else { "撤回".to_owned() };
            EnterpriseCommand::WithdrawTypicalCase { withdrawn_on, reason }
        }),
    ]
}

/// A tax incentive's course in one go: a claim, its approval and a recovery (sometimes more than
/// was approved). A recovery needs all three to line up, which independent random commands
/// seldom do.
fn arb_claim_chain() -> impl Strategy<Value = Vec<EnterpriseCommand>> {
    (
        (1u128..4).prop_map(id),
        arb_period(),
        arb_claim(),
        1u64..60,
        1u64..40,
        arb_date(),
    )
        .prop_map(
            |(claim_id, period, claim, approved, recovered, claimed_on)| {
                let day = |k| claimed_on + chrono::Duration::days(k);
                vec![
                    EnterpriseCommand::ClaimTaxIncentive {
                        claim_id,
                        period,
                        claim,
                        claimed_on,
                    },
                    EnterpriseCommand::ApproveTaxIncentive {
                        claim_id,
                        approved: yuan(approved),
                        decided_on: day(1),
                    },
                    EnterpriseCommand::RecoverTaxIncentive {
                        claim_id,
                        amount: yuan(recovered),
                        recovered_on: day(2),
                        reason: "追回".into(),
                    },
                ]
            },
        )
}

/// Command sequences for the property tests: mostly single [`arb_command`]s, now and then an
/// [`arb_claim_chain`], so recoveries are reached in every run.
fn arb_commands() -> impl Strategy<Value = Vec<EnterpriseCommand>> {
    proptest::collection::vec(
        prop_oneof![
            12 => arb_command().prop_map(|command| vec![command]),
            1 => arb_claim_chain(),
        ],
        0..40,
    )
    .prop_map(|chunks| chunks.concat())
}

/// Run commands against a registered refinery; return every recorded event.
fn run(commands: &[EnterpriseCommand]) -> (Enterprise, Vec<EnterpriseEvent>) {
    run_accepted(vec![registered_event()], commands)
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
    fn no_command_sequence_breaks_the_ledger_identities(
        commands in arb_commands()
    ) {
        let (state, _) = run(&commands);
        for (period, entry) in state.ledger() {
            prop_assert_eq!(entry.figures.check_balance(), Ok(()), "{} unbalanced", period);
        }
        prop_assert!(state.stock_lines().is_ok(), "{:?}", state.stock_lines());
        let periods: Vec<Period> = state.ledger().keys().copied().collect();
        for (i, a) in periods.iter().enumerate() {
            for b in periods.iter().skip(i + 1) {
                prop_assert!(!a.overlaps(*b), "{} overlaps {}", a, b);
            }
        }
        for claim in state.claims().values() {
            prop_assert!(claim.recovered <= claim.approved);
            prop_assert!(claim.approved <= claim.claim.amount());
        }
    }

    #[test]
    fn apply_is_deterministic_and_events_round_trip(
        commands in arb_commands()
    ) {
        let (state, events) = run(&commands);
        prop_assert_eq!(&replay::<Enterprise, _>(&events), &state);
        prop_assert_eq!(&replay::<Enterprise, _>(&events), &replay::<Enterprise, _>(&events));
        for event in &events {
            assert_round_trips(event);
        }
    }
}

/// The property tests above are only as good as the sequences they generate: check that the
/// generator reaches every event type.
#[test]
fn command_generator_reaches_every_event_type() {
    let reached = event_types_reached(arb_commands(), 256, |c| run(c).1);
    let all: std::collections::BTreeSet<&str> =
        EnterpriseEvent::EVENT_TYPES.iter().copied().collect();
    assert_eq!(reached, all);
}

/// The state's JSON is what a client expects: periods, designation codes and claim ids as map
/// keys (text), money as integer fen, kinds as their codes.
#[test]
fn state_json_is_friendly() {
    let g = given::<Enterprise>([
        registered_event(),
        recorded("2026-Q1", figures()),
        granted(d(2026, 3, 1), None),
        claimed(9, "2026-Q1", vat_claim()),
    ]);
    let json = assert_state_round_trips(g.state());
    assert_eq!(json["status"], "active");
    assert_eq!(json["kinds"], serde_json::json!(["alumina_refinery"]));
    assert_eq!(json["ledger"]["2026-Q1"]["revision"], 1);
    assert_eq!(
        json["designations"]["zero_waste_enterprise"]["granted_on"],
        "2026-03-01"
    );
    let claim = &json["claims"][id(9).hyphenated().to_string()];
    assert_eq!(claim["period"], "2026-Q1");
    assert_eq!(claim["claim"]["kind"], "vat_immediate_refund");
    assert_eq!(claim["claim"]["refund"], 7_000_000);
    assert_state_round_trips(&Enterprise::default());
}

/// Every command, event, refusal and state the generator meets matches its JSON Schema, and the
/// command schema names exactly the commands the generator sends.
#[cfg(feature = "schema")]
#[test]
fn json_matches_the_schemas() {
    crate::schema::tests::check_aggregate::<Enterprise>(Some(register_cmd()), arb_commands(), 256);
}

// ----- typical cases (典型案例) ----------------------------------------------------------------

fn case_recommended() -> EnterpriseEvent {
    EnterpriseTypicalCaseRecommended {
        recommended_on: d(2025, 12, 1),
        summary: "赤泥全量化利用".into(),
    }
    .into()
}

#[test]
fn an_enterprise_is_recommended_as_a_typical_case() {
    let state = given::<Enterprise>([registered_event()]).when_then(
        EnterpriseCommand::RecommendTypicalCase {
            recommended_on: d(2025, 12, 1),
            summary: " 赤泥全量化利用 ".into(),
        },
        vec![case_recommended()],
    );
    let case = state.typical_case().expect("recommended");
    assert!(case.is_standing());
    assert_eq!(case.summary, "赤泥全量化利用");
}

#[test]
fn a_typical_case_recommendation_follows_its_rules() {
    let recommend = |summary: &str, on: NaiveDate| EnterpriseCommand::RecommendTypicalCase {
        recommended_on: on,
        summary: summary.into(),
    };
    given::<Enterprise>([registered_event()]).when_fails(
        recommend("", d(2025, 12, 1)),
        EnterpriseError::BlankCaseSummary,
    );
    given::<Enterprise>([registered_event()]).when_fails(
        recommend("典型", d(2025, 1, 1)),
        EnterpriseError::DateBeforeRegistration {
            command: "RecommendTypicalCase",
            date: d(2025, 1, 1),
            registered_on: d(2025, 1, 10),
        },
    );
    given::<Enterprise>([registered_event(), case_recommended()]).when_fails(
        recommend("典型", d(2026, 1, 1)),
        EnterpriseError::AlreadyTypicalCase {
            recommended_on: d(2025, 12, 1),
        },
    );
    given::<Enterprise>([]).when_fails(
        recommend("典型", d(2026, 1, 1)),
        EnterpriseError::InvalidTransition {
            state: EnterpriseStatus::NotRegistered,
            command: "RecommendTypicalCase",
        },
    );
}

#[test]
fn a_typical_case_is_withdrawn_with_a_reason_after_its_recommendation() {
    let withdraw = |reason: &str, on: NaiveDate| EnterpriseCommand::WithdrawTypicalCase {
        withdrawn_on: on,
        reason: reason.into(),
    };
    let withdrawn: EnterpriseEvent = EnterpriseTypicalCaseWithdrawn {
        withdrawn_on: d(2026, 3, 1),
        reason: "发生环境违法行为".into(),
    }
    .into();
    let state = given::<Enterprise>([registered_event(), case_recommended()]).when_then(
        withdraw("发生环境违法行为", d(2026, 3, 1)),
        vec![withdrawn.clone()],
    );
    let case = state.typical_case().expect("kept");
    assert!(!case.is_standing());
    assert_eq!(case.withdrawn_on, Some(d(2026, 3, 1)));
    given::<Enterprise>([registered_event()]).when_fails(
        withdraw("撤回", d(2026, 3, 1)),
        EnterpriseError::NotTypicalCase,
    );
    given::<Enterprise>([registered_event(), case_recommended(), withdrawn]).when_fails(
        withdraw("撤回", d(2026, 4, 1)),
        EnterpriseError::NotTypicalCase,
    );
    given::<Enterprise>([registered_event(), case_recommended()]).when_fails(
        withdraw(" ", d(2026, 3, 1)),
        BlankReason {
            command: "WithdrawTypicalCase",
        }
        .into(),
    );
    given::<Enterprise>([registered_event(), case_recommended()]).when_fails(
        withdraw("撤回", d(2025, 11, 1)),
        EnterpriseError::WithdrawalBeforeRecommendation {
            withdrawn_on: d(2025, 11, 1),
            recommended_on: d(2025, 12, 1),
        },
    );
}
