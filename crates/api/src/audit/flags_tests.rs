//! Each rule fires on a history built in memory, and stays quiet on a near-identical one.

use chrono::{DateTime, Utc};
use redmud_store::{Effective, Metadata, RecordedEvent, StreamId};
use serde_json::{Value, json};

use super::*;

const ENTERPRISE: &str = "enterprise-01890a5d-ac96-774b-bcce-b302099a8057";
const PROJECT: &str = "project-01890a5d-ac96-774b-bcce-b302099a8058";
const PLAN: &str = "regional_plan-01890a5d-ac96-774b-bcce-b302099a8059";
const ACCOUNT: &str = "account-01890a5d-ac96-774b-bcce-b302099a805a";
const AWARD: &str = "01890a5d-ac96-774b-bcce-b302099a8060";
const MILESTONE: &str = "01890a5d-ac96-774b-bcce-b302099a8061";
const CLAIM: &str = "01890a5d-ac96-774b-bcce-b302099a8062";

/// A log under construction: every event recorded at noon (China time) of the given day.
#[derive(Default)]
struct Log {
    events: Vec<RecordedEvent>,
}

impl Log {
    fn push(&mut self, stream: &str, event_type: &str, payload: Value, day: &str, actor: &str) {
        let recorded_at: DateTime<Utc> = format!("{day}T04:00:00Z").parse().expect("time");
        let effective = effective_of(&payload).map(|e| Effective::new(e).expect("effective"));
        let position = self.events.len() as Position + 1;
        let version = self
            .events
            .iter()
            .filter(|e| e.stream.as_str() == stream)
            .count() as u64
            + 1;
        self.events.push(RecordedEvent {
            position,
            stream: StreamId::new(stream).expect("stream"),
            version,
            event_id: Uuid::now_v7(),
            event_type: event_type.to_owned(),
            schema_version: 1,
            payload,
            recorded_at,
            effective,
            metadata: Metadata::actor(actor, "bureau", "test"),
            hash: [0; 32],
        });
    }

    fn flags(&self, rule: Rule) -> Vec<Flag> {
        scan(FlagSettings::default(), &self.events)
            .into_iter()
            .filter(|f| f.rule == rule)
            .collect()
    }
}

/// The effective text the domain would give (a period or the `*_on` date of the payload).
fn effective_of(payload: &Value) -> Option<String> {
    if let Some(period) = payload.get("period").and_then(Value::as_str) {
        return Some(period.to_owned());
    }
    let object = payload.as_object()?;
    object
        .iter()
        .find(|(k, v)| k.ends_with("_on") && v.is_string())
        .and_then(|(_, v)| v.as_str().map(str::to_owned))
}

fn figures(generated: u64, utilized: u64) -> Value {
    json!({
        "generated": generated,
        "utilized_from_new": { "cement": utilized },
        "disposed_from_new": 0,
        "stored_new": generated - utilized,
        "utilized_from_stock": {},
        "disposed_from_stock": 0,
    })
}

fn register(log: &mut Log, region: &str, day: &str) {
    log.push(
        ENTERPRISE,
        "EnterpriseRegistered",
        json!({
            "enterprise_id": "01890a5d-ac96-774b-bcce-b302099a8057",
            "name": "清镇氧化铝厂", "uscc": "914403001922038216", "region": region,
            "kinds": ["alumina_refinery"], "registered_on": "2020-01-10",
        }),
        day,
        "guiyang",
    );
}

fn plan_with_report(log: &mut Log, region: &str, period: &str, day: &str) {
    log.push(
        PLAN,
        "RegionalTargetsSet",
        json!({
            "plan_id": "01890a5d-ac96-774b-bcce-b302099a8059", "region": region, "year": 2026,
            "targets": { "red_mud_to_utilize": 1, "new_utilization_rate": 1500,
                "new_capacity_per_year": 1, "demonstration_projects": 1 },
            "set_on": "2026-01-15",
        }),
        "2026-01-15",
        "province",
    );
    log.push(
        PLAN,
        "RegionalReportSubmitted",
        json!({
            "period": period, "submission": 1,
            "figures": { "ledger": figures(100, 10), "capacity_commissioned_per_year": 0,
                "demonstration_projects_completed": 0, "enterprises_reporting": 1 },
            "summary": "一季度", "submitted_on": day,
        }),
        day,
        "guiyang",
    );
}

fn ledger(log: &mut Log, period: &str, day: &str) {
    log.push(
        ENTERPRISE,
        "LedgerRecorded",
        json!({ "period": period, "figures": figures(100, 10) }),
        day,
        "guiyang",
    );
}

fn correct(log: &mut Log, period: &str, day: &str) {
    log.push(
        ENTERPRISE,
        "LedgerCorrected",
        json!({ "period": period, "revision": 2, "corrects_revision": 1,
            "previous": figures(100, 10), "figures": figures(100, 40), "reason": "补报" }),
        day,
        "guiyang",
    );
}

#[test]
fn a_correction_after_the_report_was_submitted_is_flagged() {
    let mut log = Log::default();
    register(&mut log, "520181", "2026-04-01");
    ledger(&mut log, "2026-Q1", "2026-04-02");
    plan_with_report(&mut log, "520100", "2026-Q1", "2026-04-10");
    correct(&mut log, "2026-Q1", "2026-04-20");
    let flags = log.flags(Rule::LedgerAfterReport);
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0].code, "ledger_corrected_after_report");
    assert_eq!(flags[0].severity, Severity::Medium);
    assert_eq!(flags[0].position, 5);
    let linked: Vec<Position> = flags[0].events.iter().map(|e| e.position).collect();
    assert_eq!(linked, vec![4, 5]);
    assert_eq!(flags[0].region, Some("520181".parse().expect("region")));
}

#[test]
fn a_correction_before_submission_or_after_a_return_or_of_another_period_is_not() {
    let mut log = Log::default();
    register(&mut log, "520181", "2026-04-01");
    ledger(&mut log, "2026-Q1", "2026-04-02");
    ledger(&mut log, "2026-Q2", "2026-04-02");
    correct(&mut log, "2026-Q1", "2026-04-05");
    plan_with_report(&mut log, "520100", "2026-Q1", "2026-04-10");
    // Another period than the report's.
    log.push(
        ENTERPRISE,
        "LedgerCorrected",
        json!({ "period": "2026-Q2", "revision": 2, "corrects_revision": 1,
            "previous": figures(100, 10), "figures": figures(100, 40), "reason": "补报" }),
        "2026-07-20",
        "guiyang",
    );
    // Returned for correction: correcting is what is asked.
    log.push(
        PLAN,
        "RegionalReportReturned",
        json!({ "period": "2026-Q1", "submission": 1, "returned_on": "2026-04-12", "reason": "数据有误" }),
        "2026-04-12",
        "province",
    );
    log.push(
        ENTERPRISE,
        "LedgerCorrected",
        json!({ "period": "2026-Q1", "revision": 3, "corrects_revision": 2,
            "previous": figures(100, 40), "figures": figures(100, 50), "reason": "退回后更正" }),
        "2026-04-13",
        "guiyang",
    );
    assert_eq!(log.flags(Rule::LedgerAfterReport), vec![]);
}

#[test]
fn an_accepted_report_makes_the_flag_high() {
    let mut log = Log::default();
    register(&mut log, "520100", "2026-04-01");
    ledger(&mut log, "2026-Q1", "2026-04-02");
    plan_with_report(&mut log, "520100", "2026-Q1", "2026-04-10");
    log.push(
        PLAN,
        "RegionalReportAccepted",
        json!({ "period": "2026-Q1", "submission": 1, "accepted_on": "2026-04-15" }),
        "2026-04-15",
        "province",
    );
    correct(&mut log, "2026-Q1", "2026-05-01");
    let flags = log.flags(Rule::LedgerAfterReport);
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].severity, Severity::High);
}

#[test]
fn b_an_effective_date_far_before_the_recorded_date_is_flagged() {
    let mut log = Log::default();
    register(&mut log, "520100", "2026-04-01");
    ledger(&mut log, "2025-Q3", "2026-04-02"); // ends 2025-09-30: 184 days
    ledger(&mut log, "2026-Q1", "2026-04-02"); // ends 2026-03-31: 2 days
    let flags = log.flags(Rule::Backdated);
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0].position, 2);
    assert!(
        flags[0].summary_en.contains("184 days"),
        "{}",
        flags[0].summary_en
    );
}

#[test]
fn b_the_threshold_is_a_setting_and_registration_dates_do_not_count() {
    let mut log = Log::default();
    register(&mut log, "520100", "2026-04-01"); // registered 2020: its own history
    ledger(&mut log, "2025-Q3", "2026-04-02");
    let settings = FlagSettings { backdate_days: 200 };
    assert!(
        scan(settings, &log.events)
            .iter()
            .all(|f| f.rule != Rule::Backdated)
    );
    assert_eq!(
        effective_end("2026-Q1"),
        NaiveDate::from_ymd_opt(2026, 3, 31)
    );
    assert_eq!(
        effective_end("2026-02"),
        NaiveDate::from_ymd_opt(2026, 2, 28)
    );
    assert_eq!(effective_end("2026"), NaiveDate::from_ymd_opt(2026, 12, 31));
    assert_eq!(
        effective_end("2026-05-04"),
        NaiveDate::from_ymd_opt(2026, 5, 4)
    );
}

fn propose(log: &mut Log) {
    log.push(
        PROJECT,
        "ProjectProposed",
        json!({
            "project_id": "01890a5d-ac96-774b-bcce-b302099a8058",
            "proposal": {
                "name": "赤泥路基材料示范线", "kind": "industrialization_demonstration",
                "task": "utilization_scale", "lead_enterprise_id": "01890a5d-ac96-774b-bcce-b302099a8057",
                "region": "520181", "routes": ["road_base"], "planned_capacity_per_year": 1000,
                "budget": 100_000, "responsible_units": ["省工业和信息化厅"],
                "planned_start": "2026-03-01", "planned_end": "2026-12-31",
            },
            "proposed_on": "2026-02-01",
        }),
        "2026-02-01",
        "guiyang",
    );
}

fn approve(log: &mut Log, on: &str) {
    log.push(
        PROJECT,
        "ProjectApproved",
        json!({ "approved_on": on, "document": "黔发改〔2026〕1号" }),
        on,
        "province",
    );
}

fn award(log: &mut Log, condition: Value) {
    log.push(
        PROJECT,
        "FundingAwarded",
        json!({
            "award_id": AWARD, "source": "central_budget_investment", "programme": "循环经济",
            "amount": 10_000, "awarded_on": "2026-02-20",
            "tranches": [ { "condition": { "on": "approval" }, "amount": 3_000 },
                          { "condition": condition, "amount": 7_000 } ],
        }),
        "2026-02-20",
        "finance",
    );
}

fn disburse(log: &mut Log, tranche: u32, amount: u64, on: &str) {
    log.push(
        PROJECT,
        "FundingTrancheDisbursed",
        json!({ "award_id": AWARD, "tranche": tranche, "amount": amount, "disbursed_on": on }),
        on,
        "finance",
    );
}

fn milestone(log: &mut Log, achieved_on: &str) {
    log.push(
        PROJECT,
        "ProjectMilestonePlanned",
        json!({ "milestone_id": MILESTONE, "name": "中期检查", "planned_on": "2026-05-01" }),
        "2026-02-20",
        "guiyang",
    );
    log.push(
        PROJECT,
        "ProjectMilestoneAchieved",
        json!({ "milestone_id": MILESTONE, "achieved_on": achieved_on, "evidence": "检查报告" }),
        "2026-05-02",
        "guiyang",
    );
}

fn codes(flags: &[Flag]) -> Vec<&'static str> {
    flags.iter().map(|f| f.code).collect()
}

#[test]
fn c_disbursed_before_approval_is_flagged() {
    let mut log = Log::default();
    propose(&mut log);
    award(&mut log, json!({ "on": "approval" }));
    disburse(&mut log, 1, 3_000, "2026-02-25"); // not approved yet
    approve(&mut log, "2026-03-01");
    let flags = log.flags(Rule::Funding);
    assert_eq!(codes(&flags), vec!["disbursed_before_approval"]);
    assert_eq!(flags[0].position, 3);
}

#[test]
fn c_disbursed_before_its_milestone_was_achieved_is_flagged() {
    let mut log = Log::default();
    propose(&mut log);
    approve(&mut log, "2026-02-10");
    award(
        &mut log,
        json!({ "on": "milestone_achieved", "milestone_id": MILESTONE }),
    );
    milestone(&mut log, "2026-05-01");
    disburse(&mut log, 1, 3_000, "2026-02-25");
    disburse(&mut log, 2, 7_000, "2026-04-15"); // the milestone's date is 2026-05-01
    let flags = log.flags(Rule::Funding);
    assert_eq!(codes(&flags), vec!["disbursed_before_condition"]);
    assert_eq!(flags[0].position, 7);
}

#[test]
fn c_disbursements_in_order_are_not_flagged() {
    let mut log = Log::default();
    propose(&mut log);
    approve(&mut log, "2026-02-10");
    award(
        &mut log,
        json!({ "on": "milestone_achieved", "milestone_id": MILESTONE }),
    );
    milestone(&mut log, "2026-05-01");
    disburse(&mut log, 1, 3_000, "2026-02-25");
    disburse(&mut log, 2, 7_000, "2026-05-02");
    assert_eq!(log.flags(Rule::Funding), vec![]);
}

#[test]
fn c_a_cancelled_project_with_unrecovered_funds_is_flagged_unless_recovered() {
    let mut log = Log::default();
    propose(&mut log);
    approve(&mut log, "2026-02-10");
    award(&mut log, json!({ "on": "approval" }));
    disburse(&mut log, 1, 3_000, "2026-02-25");
    let mut recovered = Log {
        events: log.events.clone(),
    };
    let cancel = json!({ "cancelled_on": "2026-06-01", "reason": "企业停产" });
    log.push(
        PROJECT,
        "ProjectCancelled",
        cancel.clone(),
        "2026-06-01",
        "province",
    );
    let flags = log.flags(Rule::Funding);
    assert_eq!(codes(&flags), vec!["disbursed_to_cancelled_project"]);
    let linked: Vec<Position> = flags[0].events.iter().map(|e| e.position).collect();
    assert_eq!(linked, vec![4, 5]);
    assert!(flags[0].summary_en.contains("30.00 yuan"));

    recovered.push(
        PROJECT,
        "FundingRecovered",
        json!({ "award_id": AWARD, "amount": 3_000, "recovered_on": "2026-05-20", "reason": "追回" }),
        "2026-05-20",
        "finance",
    );
    recovered.push(
        PROJECT,
        "ProjectCancelled",
        cancel,
        "2026-06-01",
        "province",
    );
    assert_eq!(recovered.flags(Rule::Funding), vec![]);
}

fn claim_and_approve(log: &mut Log, period: &str, day: &str) {
    log.push(
        ENTERPRISE,
        "TaxIncentiveClaimed",
        json!({ "claim_id": CLAIM, "period": period, "claimed_on": day,
            "claim": { "kind": "income_tax_reduction", "qualifying_income": 1_000, "reduction": 100 } }),
        day,
        "finance",
    );
    log.push(
        ENTERPRISE,
        "TaxIncentiveApproved",
        json!({ "claim_id": CLAIM, "approved": 100, "decided_on": day }),
        day,
        "finance",
    );
}

fn revoke(log: &mut Log, on: &str) {
    log.push(
        ENTERPRISE,
        "DesignationRevoked",
        json!({ "designation": "zero_waste_enterprise", "revoked_on": on, "reason": "复核不合格" }),
        on,
        "province",
    );
}

fn grant(log: &mut Log) {
    log.push(
        ENTERPRISE,
        "DesignationGranted",
        json!({ "designation": "zero_waste_enterprise", "granted_on": "2025-06-01", "document": "黔工信〔2025〕1号" }),
        "2026-01-02",
        "province",
    );
}

#[test]
fn d_an_incentive_approved_for_a_period_with_a_revocation_is_flagged_either_order() {
    // Revoked first, approved later.
    let mut log = Log::default();
    register(&mut log, "520100", "2026-01-01");
    grant(&mut log);
    revoke(&mut log, "2026-02-15");
    claim_and_approve(&mut log, "2026-Q1", "2026-04-10");
    let flags = log.flags(Rule::IncentiveAfterRevocation);
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0].position, 5);
    // Approved first, revoked later (with a date inside the period).
    let mut log = Log::default();
    register(&mut log, "520100", "2026-01-01");
    grant(&mut log);
    claim_and_approve(&mut log, "2026-Q1", "2026-04-10");
    revoke(&mut log, "2026-03-20");
    let flags = log.flags(Rule::IncentiveAfterRevocation);
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].position, 5);
    let linked: Vec<Position> = flags[0].events.iter().map(|e| e.position).collect();
    assert_eq!(linked, vec![4, 5]);
}

#[test]
fn d_a_revocation_outside_the_claim_period_is_not_flagged() {
    let mut log = Log::default();
    register(&mut log, "520100", "2026-01-01");
    grant(&mut log);
    claim_and_approve(&mut log, "2026-Q1", "2026-04-10");
    revoke(&mut log, "2026-04-20");
    assert_eq!(log.flags(Rule::IncentiveAfterRevocation), vec![]);
}

#[test]
fn e_a_status_change_outside_the_lifecycle_is_flagged() {
    let mut log = Log::default();
    propose(&mut log);
    // Accepted straight from proposed (as an override or import would record it).
    log.push(
        PROJECT,
        "ProjectAccepted",
        json!({ "accepted_on": "2026-03-01", "document": "验收意见" }),
        "2026-03-01",
        "province",
    );
    let flags = log.flags(Rule::LifecycleSkipped);
    assert_eq!(codes(&flags), vec!["project_status_skipped"]);
    assert!(flags[0].summary_en.contains("from proposed to accepted"));
}

#[test]
fn e_the_normal_lifecycle_is_not_flagged() {
    let mut log = Log::default();
    propose(&mut log);
    approve(&mut log, "2026-02-10");
    log.push(
        PROJECT,
        "ProjectSuspended",
        json!({ "suspended_on": "2026-02-20", "suspended_from": "approved", "reason": "环评" }),
        "2026-02-20",
        "province",
    );
    log.push(
        PROJECT,
        "ProjectResumed",
        json!({ "resumed_on": "2026-03-01", "resumed_to": "approved" }),
        "2026-03-01",
        "province",
    );
    log.push(
        PROJECT,
        "ProjectConstructionStarted",
        json!({ "started_on": "2026-03-02" }),
        "2026-03-02",
        "guiyang",
    );
    assert_eq!(log.flags(Rule::LifecycleSkipped), vec![]);
    use ProjectStatus as S;
    assert!(normal_step(S::InOperation, S::Cancelled, None));
    assert!(!normal_step(
        S::Suspended,
        S::InOperation,
        Some(S::Approved)
    ));
    assert!(!normal_step(S::Approved, S::InOperation, None));
}

fn bureau_account(log: &mut Log, region: &str) {
    log.push(
        ACCOUNT,
        "AccountCreated",
        json!({ "account_id": "01890a5d-ac96-774b-bcce-b302099a805a", "username": "guiyang",
            "display_name": "贵阳", "role": "bureau", "region": region,
            "organisation": "贵阳市工信局", "created_on": "2026-01-01" }),
        "2026-01-01",
        "admin",
    );
}

#[test]
fn e_an_action_outside_the_accounts_region_is_flagged() {
    let mut log = Log::default();
    bureau_account(&mut log, "520100");
    register(&mut log, "520300", "2026-01-02"); // by guiyang, in Zunyi
    let flags = log.flags(Rule::OutsideRegion);
    assert_eq!(codes(&flags), vec!["actor_outside_region"]);
    assert_eq!(flags[0].region, Some("520300".parse().expect("region")));
}

#[test]
fn e_an_action_inside_the_accounts_region_or_by_a_province_wide_account_is_not() {
    let mut log = Log::default();
    bureau_account(&mut log, "520100");
    register(&mut log, "520181", "2026-01-02"); // a county of Guiyang
    grant(&mut log); // by "province": no account region
    assert_eq!(log.flags(Rule::OutsideRegion), vec![]);
}
