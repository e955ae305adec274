use redmud_domain::{
    AccountError, BaseError, DomainError, EnterpriseError, LedgerError, ProjectCommand,
    ProjectError, RegionalPlanError,
};
use serde_json::json;

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).expect("date")
}

fn spec(command: &str) -> &'static FormSpec {
    by_command(command).expect("spec")
}

/// Inputs for `spec` from `(path, text)` pairs (every other field blank).
fn inputs(spec: &FormSpec, values: &[(&str, &str)]) -> Vec<String> {
    spec.all_fields()
        .iter()
        .map(|f| {
            values
                .iter()
                .find(|(p, _)| *p == f.path)
                .map(|(_, v)| (*v).to_owned())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn tonnes_and_money_parse_exactly() {
    assert_eq!(parse_tonnes("12.345", Lang::Zh).map(Kg::kg), Ok(12_345));
    assert_eq!(
        parse_tonnes("1,234.5 t", Lang::Zh).map(Kg::kg),
        Ok(1_234_500)
    );
    assert_eq!(parse_tonnes("3吨", Lang::Zh).map(Kg::kg), Ok(3_000));
    assert_eq!(parse_money("12.34", Lang::Zh).map(Fen::fen), Ok(1_234));
    assert_eq!(parse_money("0.1", Lang::Zh).map(Fen::fen), Ok(10));
    assert_eq!(
        parse_money("¥1,000,000.07", Lang::Zh).map(Fen::fen),
        Ok(100_000_007)
    );
    assert_eq!(parse_money("12元", Lang::Zh).map(Fen::fen), Ok(1_200));
    assert_eq!(
        parse_money("3.5万元", Lang::Zh).map(Fen::fen),
        Ok(3_500_000)
    );
    // 0.1 + 0.2 in f64 is 0.30000000000000004; here each is exact.
    assert_eq!(
        parse_money("0.29", Lang::Zh).map(Fen::fen),
        Ok(29),
        "never through f64"
    );
    assert_eq!(parse_percent("12.5%", Lang::Zh), Ok(1_250));
    assert_eq!(parse_percent("100", Lang::Zh), Ok(10_000));
}

#[test]
fn bad_amounts_are_refused_in_the_language() {
    for bad in ["-1", "1.2345", "abc", "1.2.3", ".", "1e3", ""] {
        assert!(parse_tonnes(bad, Lang::En).is_err(), "{bad}");
    }
    for bad in ["-1", "12.345", "1,2x", "NaN", "¥"] {
        assert!(parse_money(bad, Lang::Zh).is_err(), "{bad}");
    }
    assert!(parse_percent("100.01", Lang::En).is_err());
    assert_eq!(
        parse_money("12.345", Lang::Zh).expect_err("three decimals"),
        "请输入金额（元，非负，最多两位小数；或万元）"
    );
    assert!(parse_money("99999999999999999999", Lang::En).is_err());
    assert_eq!(parse_decimal("18446744073709551616", 0), Some(1 << 64));
}

#[test]
fn fields_parse_into_json() {
    assert_eq!(
        parse_field(Kind::Date, " 2026-03-01 ", Lang::Zh),
        Ok(Some(json!("2026-03-01")))
    );
    assert!(parse_field(Kind::Date, "2026-02-30", Lang::Zh).is_err());
    assert_eq!(
        parse_field(Kind::Period, "2026-q3", Lang::Zh)
            .ok()
            .flatten()
            .is_some(),
        "2026-q3".parse::<Period>().is_ok()
    );
    assert_eq!(
        parse_field(Kind::Region, "520100", Lang::Zh),
        Ok(Some(json!("520100")))
    );
    assert!(parse_field(Kind::Region, "110000", Lang::Zh).is_err());
    assert_eq!(
        parse_field(Kind::Lines, "a\n\n b \n", Lang::Zh),
        Ok(Some(json!(["a", "b"])))
    );
    assert_eq!(
        parse_field(Kind::Condition, "milestone:abc", Lang::Zh),
        Ok(Some(
            json!({"on": "milestone_achieved", "milestone_id": "abc"})
        ))
    );
    assert!(parse_field(Kind::Year, "1899", Lang::Zh).is_err());
    assert_eq!(parse_field(Kind::Tonnes, "  ", Lang::Zh), Ok(None));
}

#[test]
fn every_command_of_the_api_has_a_form() {
    let expected = [
        "Register",
        "Amend",
        "Deregister",
        "FilePolicyPlan",
        "RevisePolicyPlan",
        "DeclareStockBaseline",
        "CorrectStockBaseline",
        "RecordLedger",
        "CorrectLedger",
        "GrantDesignation",
        "RevokeDesignation",
        "RecordCleanProductionAudit",
        "ClaimTaxIncentive",
        "ApproveTaxIncentive",
        "RejectTaxIncentive",
        "RecoverTaxIncentive",
        "RecommendTypicalCase",
        "WithdrawTypicalCase",
        "ProposeProject",
        "ApproveProject",
        "StartConstruction",
        "PlanMilestone",
        "AchieveMilestone",
        "CommissionCapacity",
        "AcceptProject",
        "FailAcceptance",
        "SuspendProject",
        "ResumeProject",
        "CancelProject",
        "AwardFunding",
        "DisburseTranche",
        "RecoverFunding",
        "OpenConsultation",
        "ApproveStandard",
        "PublishStandard",
        "WithdrawStandard",
        "RecommendTypicalCase",
        "WithdrawTypicalCase",
        "DesignateBase",
        "AddMember",
        "RemoveMember",
        "LinkProject",
        "UnlinkProject",
        "SetYearTargets",
        "ReviseYearTargets",
        "RecordEvaluation",
        "RevokeBase",
        "SetTargets",
        "ReviseTargets",
        "SubmitReport",
        "ReturnReport",
        "AcceptReport",
        "CreateAccount",
        "ChangeRole",
        "UpdateProfile",
        "DisableAccount",
        "EnableAccount",
    ];
    let names: Vec<&str> = specs::ALL.iter().map(|s| s.command).collect();
    assert_eq!(names, expected);
    for agg in [
        Agg::Enterprise,
        Agg::Project,
        Agg::Base,
        Agg::RegionalPlan,
        Agg::Account,
    ] {
        assert_eq!(
            specs::ALL
                .iter()
                .filter(|s| s.agg == agg && s.creates)
                .count(),
            1
        );
    }
    for spec in specs::ALL {
        // Every field path is unique and labelled in both languages.
        let fields = spec.all_fields();
        for (i, f) in fields.iter().enumerate() {
            assert!(!f.label.zh.is_empty() && !f.label.en.is_empty());
            assert!(
                fields[..i].iter().all(|g| g.path != f.path),
                "{} {}",
                spec.command,
                f.path
            );
        }
    }
    assert_eq!(
        spec("AwardFunding").url(Some("x")),
        "/api/projects/x/award-funding"
    );
    assert_eq!(spec("ProposeProject").url(None), "/api/projects");
    assert_eq!(spec("SetTargets").url(None), "/api/regional-plans");
}

#[test]
fn every_domain_rule_has_a_message_in_both_languages() {
    let all = [
        EnterpriseError::RULES,
        ProjectError::RULES,
        BaseError::RULES,
        RegionalPlanError::RULES,
        AccountError::RULES,
        LedgerError::RULES,
    ];
    for rule in all.iter().flat_map(|r| r.iter()) {
        assert!(rules::template(rule, Lang::Zh).is_some(), "{rule}");
        assert!(rules::template(rule, Lang::En).is_some(), "{rule}");
    }
}

/// An approved project with one award of two tranches, the first disbursed.
fn funded_project() -> (Value, String) {
    use redmud_domain::Uuid;
    let mut project = Project::default();
    let body = build(
        spec("ProposeProject"),
        &inputs(
            spec("ProposeProject"),
            &[
                ("proposal.name", "赤泥制备路基材料示范线"),
                ("proposal.kind", "utilization_capacity"),
                ("proposal.task", "utilization_scale"),
                (
                    "proposal.lead_enterprise_id",
                    "0192aaaa-0000-7000-8000-000000000001",
                ),
                ("proposal.region", "520100"),
                ("proposal.routes", "road_base"),
                ("proposal.planned_capacity_per_year", "100000"),
                ("proposal.budget", "5000000"),
                ("proposal.responsible_units", "贵阳市工业和信息化局"),
                ("proposal.planned_start", "2026-01-01"),
                ("proposal.planned_end", "2027-12-31"),
                ("proposed_on", "2026-01-02"),
            ],
        ),
        Lang::Zh,
    )
    .expect("proposal");
    let mut command = command_json(spec("ProposeProject"), &body, today());
    let id = Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0042);
    command["project_id"] = json!(id.to_string());
    let award_id = "0192bbbb-0000-7000-8000-000000000001".to_owned();
    let commands = [
        command,
        json!({"command": "ApproveProject", "approved_on": "2026-02-01", "document": "黔工信〔2026〕1号"}),
        json!({"command": "AwardFunding", "award_id": award_id, "source": "provincial_special_funds",
            "programme": "赤泥综合利用专项", "amount": 100_000_000u64, "awarded_on": "2026-02-10",
            "tranches": [{"condition": {"on": "approval"}, "amount": 60_000_000u64},
                         {"condition": {"on": "accepted"}, "amount": 40_000_000u64}]}),
        json!({"command": "DisburseTranche", "award_id": award_id, "tranche": 1, "disbursed_on": "2026-03-01"}),
    ];
    for command in commands {
        let command: ProjectCommand = serde_json::from_value(command).expect("command");
        for event in project.decide(&command).expect("accepted") {
            project.apply(&event);
        }
    }
    (serde_json::to_value(&project).expect("state"), award_id)
}

#[test]
fn award_funding_builds_the_body_and_checks_the_tranches_by_the_domain() {
    let (state, _) = funded_project();
    let award = spec("AwardFunding");
    let values = [
        ("source", "central_special_funds"),
        ("programme", "中央财政专项"),
        ("amount", "100.10"),
        ("tranches.0.condition", "approval"),
        ("tranches.0.amount", "60.05"),
        ("tranches.1.condition", "accepted"),
        ("tranches.1.amount", "40.05"),
        ("awarded_on", "2026-03-02"),
    ];
    let body = validate(award, &inputs(award, &values), &state, today(), Lang::Zh).expect("valid");
    assert_eq!(
        body,
        json!({
            "source": "central_special_funds", "programme": "中央财政专项", "amount": 10_010,
            "tranches": [{"condition": {"on": "approval"}, "amount": 6_005},
                         {"condition": {"on": "accepted"}, "amount": 4_005}],
            "awarded_on": "2026-03-02",
        })
    );
    // Tranches that do not add up: the domain's own rule, in the language.
    let mut wrong = values;
    wrong[6] = ("tranches.1.amount", "40");
    let errors = validate(award, &inputs(award, &wrong), &state, today(), Lang::Zh)
        .expect_err("does not sum");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, None);
    assert_eq!(
        errors[0].message,
        "各笔金额合计 100.05 元，与下达金额 100.10 元 不符"
    );
    let errors = validate(award, &inputs(award, &wrong), &state, today(), Lang::En)
        .expect_err("does not sum");
    assert_eq!(
        errors[0].message,
        "The tranches sum to ¥100.05, not the award of ¥100.10"
    );
    // A half-filled tranche row and a bad amount are field errors, before the domain.
    let mut half = values;
    half[5] = ("tranches.1.condition", "");
    half[2] = ("amount", "1.234");
    let errors = build(award, &inputs(award, &half), Lang::En).expect_err("fields");
    let fields = award.all_fields();
    let paths: Vec<&str> = errors
        .iter()
        .map(|e| fields[e.field.expect("field")].path)
        .collect();
    assert_eq!(paths, ["amount", "tranches.1.condition"]);
}

#[test]
fn a_second_disbursement_of_a_tranche_is_refused_before_sending() {
    let (state, award_id) = funded_project();
    let disburse = spec("DisburseTranche");
    let again = inputs(
        disburse,
        &[
            ("award_id", &award_id),
            ("tranche", "1"),
            ("disbursed_on", "2026-03-05"),
        ],
    );
    let errors = validate(disburse, &again, &state, today(), Lang::Zh).expect_err("twice");
    assert_eq!(
        errors[0].message,
        "第 1 笔已于 2026年3月1日 拨付，不能重复拨付"
    );
    // The second tranche waits for acceptance.
    let second = inputs(
        disburse,
        &[
            ("award_id", &award_id),
            ("tranche", "2"),
            ("disbursed_on", "2026-03-05"),
        ],
    );
    let errors = validate(disburse, &second, &state, today(), Lang::En).expect_err("condition");
    assert_eq!(errors[0].message, "Tranche 2 waits for its condition");
    // Recovering more than was disbursed.
    let recover = spec("RecoverFunding");
    let too_much = inputs(
        recover,
        &[
            ("award_id", &award_id),
            ("amount", "600000.01"),
            ("recovered_on", "2026-04-01"),
            ("reason", "审计发现"),
        ],
    );
    let errors = validate(recover, &too_much, &state, today(), Lang::Zh).expect_err("too much");
    assert!(
        errors[0]
            .message
            .starts_with("追回 60.00 万元 将超过已拨付的 60.00 万元"),
        "{}",
        errors[0].message
    );
    let ok = inputs(
        recover,
        &[
            ("award_id", &award_id),
            ("amount", "1000"),
            ("recovered_on", "2026-04-01"),
            ("reason", "审计发现"),
        ],
    );
    assert_eq!(
        validate(recover, &ok, &state, today(), Lang::Zh).expect("valid"),
        json!({"award_id": award_id, "amount": 100_000, "recovered_on": "2026-04-01", "reason": "审计发现"})
    );
    // The award offered by the form, from the state.
    let options = state_options(Target::Award, &state, Lang::Zh);
    assert_eq!(options.len(), 1);
    assert_eq!(options[0].0, award_id);
    assert!(options[0].1.contains("(1/2)"), "{}", options[0].1);
}

#[test]
fn a_lifecycle_command_in_the_wrong_state_names_the_status() {
    let (state, _) = funded_project();
    let approve = spec("ApproveProject");
    let errors = validate(
        approve,
        &inputs(approve, &[("approved_on", "2026-03-01"), ("document", "x")]),
        &state,
        today(),
        Lang::Zh,
    )
    .expect_err("already approved");
    assert_eq!(errors[0].message, "当前状态（已批复）下不能执行“批复项目”");
    // A required reason, blank: a field error.
    let cancel = spec("CancelProject");
    let errors = validate(
        cancel,
        &inputs(cancel, &[("cancelled_on", "2026-03-01")]),
        &state,
        today(),
        Lang::En,
    )
    .expect_err("reason");
    assert_eq!(errors[0].message, "Required");
    assert_eq!(
        cancel.all_fields()[errors[0].field.expect("field")].path,
        "reason"
    );
}

#[test]
fn a_proposal_is_checked_as_a_creation() {
    let propose = spec("ProposeProject");
    let mut values = vec![
        ("proposal.name", "x"),
        ("proposal.kind", "utilization_capacity"),
        ("proposal.task", "utilization_scale"),
        (
            "proposal.lead_enterprise_id",
            "0192aaaa-0000-7000-8000-000000000001",
        ),
        ("proposal.region", "520000"),
        ("proposal.planned_capacity_per_year", "1"),
        ("proposal.budget", "1"),
        ("proposal.responsible_units", "u"),
        ("proposal.planned_start", "2026-01-01"),
        ("proposal.planned_end", "2026-12-31"),
        ("proposed_on", "2026-01-02"),
    ];
    let errors = validate(
        propose,
        &inputs(propose, &values),
        &Value::Null,
        today(),
        Lang::Zh,
    )
    .expect_err("province");
    assert!(
        errors[0].message.starts_with("须选择市（州）或县"),
        "{}",
        errors[0].message
    );
    values[4] = ("proposal.region", "520100");
    let errors = validate(
        propose,
        &inputs(propose, &values),
        &Value::Null,
        today(),
        Lang::En,
    )
    .expect_err("routes");
    assert_eq!(
        errors[0].message,
        "A “Utilization capacity construction” project must name at least one route"
    );
    values.push(("proposal.routes", "cement,road_base"));
    let body = validate(
        propose,
        &inputs(propose, &values),
        &Value::Null,
        today(),
        Lang::En,
    )
    .expect("valid");
    assert_eq!(body["proposal"]["routes"], json!(["cement", "road_base"]));
    assert_eq!(body["proposal"]["budget"], json!(100));
    assert!(
        body.get("project_id").is_none(),
        "the server chooses the id"
    );
    assert!(body["proposal"].get("matching_capacity").is_none());
}

#[test]
fn conditional_fields_follow_the_claim_kind() {
    let claim = spec("ClaimTaxIncentive");
    let values = [
        ("period", "2026-Q1"),
        ("claim.kind", "income_tax_reduction"),
        ("claim.qualifying_income", "1000"),
        ("claim.reduction", "100"),
        ("claim.vat_paid", "5"),
        ("claimed_on", "2026-05-01"),
    ];
    let body = build(claim, &inputs(claim, &values), Lang::Zh).expect("valid");
    assert_eq!(
        body["claim"],
        json!({"kind": "income_tax_reduction", "qualifying_income": 100_000, "reduction": 10_000})
    );
}

#[test]
fn server_problems_are_localised_by_the_same_table() {
    let problem = json!({
        "status": 422, "code": "rule_violated", "rule": "DisbursementExceedsAward",
        "values": {"awarded": 100_000_000u64, "already_disbursed": 60_000_000u64, "requested": 60_000_000u64},
    });
    assert_eq!(
        rules::message(&problem, Lang::Zh).expect("known"),
        "拨付 60.00 万元 将超过下达金额 100.00 万元（已拨付 60.00 万元）"
    );
    let nested = json!({"rule": "Ledger", "values": {"rule": "Unbalanced", "values": {
        "generated": 1000, "utilized_from_new": 0, "disposed_from_new": 0, "stored_new": 0}}});
    assert_eq!(
        rules::message(&nested, Lang::En).expect("known"),
        "Does not balance: generated 1 t ≠ utilized 0 t + disposed 0 t + stored 0 t"
    );
    assert_eq!(rules::message(&json!({"rule": "Nope"}), Lang::Zh), None);
    let reason = json!({"rule": "BlankReason", "values": {"command": "RecoverFunding"}});
    assert_eq!(
        rules::message(&reason, Lang::Zh).expect("known"),
        "“追回资金”需要填写原因"
    );
}

#[test]
fn forms_are_offered_by_role() {
    let finance: Vec<&str> = detail_forms(Agg::Project, Role::Finance)
        .iter()
        .map(|s| s.command)
        .collect();
    assert_eq!(
        finance,
        ["AwardFunding", "DisburseTranche", "RecoverFunding"]
    );
    assert!(detail_forms(Agg::Project, Role::Auditor).is_empty());
    assert_eq!(
        creation_form(Agg::Project, Role::Bureau).map(|s| s.command),
        Some("ProposeProject")
    );
    assert_eq!(
        creation_form(Agg::Project, Role::Finance).map(|s| s.command),
        None
    );
    assert_eq!(
        creation_form(Agg::Account, Role::Admin).map(|s| s.command),
        Some("CreateAccount")
    );
}

#[test]
fn english_texts_are_english() {
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for spec in specs::ALL {
        assert!(!cjk(spec.title.en), "{}", spec.title.en);
        assert!(cjk(spec.title.zh), "{}", spec.title.zh);
        for field in spec.all_fields() {
            assert!(!cjk(field.label.en), "{}", field.label.en);
            assert!(cjk(field.label.zh), "{}", field.label.zh);
        }
    }
    for (rule, zh, en) in rules::RULES {
        assert!(!cjk(en) && cjk(zh), "{rule}");
    }
}

#[test]
fn a_standard_proposal_carries_its_standard_data_and_other_kinds_do_not() {
    let common = [
        ("proposal.name", "赤泥充填回填技术规程"),
        ("proposal.task", "utilization_scale"),
        (
            "proposal.lead_enterprise_id",
            "0192aaaa-0000-7000-8000-000000000001",
        ),
        ("proposal.region", "520100"),
        ("proposal.budget", "300000"),
        ("proposal.responsible_units", "省市场监管局"),
        ("proposal.planned_start", "2026-01-01"),
        ("proposal.planned_end", "2026-12-31"),
        ("proposed_on", "2026-01-02"),
    ];
    let propose = spec("ProposeProject");
    let mut standard = common.to_vec();
    standard.extend([
        ("proposal.kind", "standard"),
        ("proposal.standard.standard_type", "group"),
        ("proposal.standard.drafting_body", "贵州省赤泥综合利用协会"),
        ("proposal.standard.scope", "backfill"),
    ]);
    let body = build(propose, &inputs(propose, &standard), Lang::Zh).expect("a standard");
    assert_eq!(body["proposal"]["standard"]["scope"], "backfill");
    assert_eq!(body["proposal"]["standard"]["standard_type"], "group");
    let mut capacity = common.to_vec();
    capacity.extend([
        ("proposal.kind", "utilization_capacity"),
        ("proposal.standard.scope", "backfill"),
    ]);
    let body = build(propose, &inputs(propose, &capacity), Lang::Zh).expect("a capacity project");
    assert!(body["proposal"].get("standard").is_none(), "{body}");
    // The standard lifecycle's own rules are worded in both languages.
    for rule in ["BlankStandardNumber", "NotAStandard", "AlreadyTypicalCase"] {
        assert!(rules::template(rule, Lang::Zh).is_some_and(|t| !t.is_empty()));
        assert!(rules::template(rule, Lang::En).is_some_and(|t| !t.is_empty()));
    }
}

#[test]
fn a_standard_gets_the_standard_forms_and_other_projects_the_construction_forms() {
    let standard = json!({ "proposal": { "kind": "standard" } });
    let plant = json!({ "proposal": { "kind": "utilization_capacity" } });
    assert!(applies(spec("OpenConsultation"), &standard));
    assert!(!applies(spec("OpenConsultation"), &plant));
    assert!(!applies(spec("StartConstruction"), &standard));
    assert!(applies(spec("StartConstruction"), &plant));
    assert!(applies(spec("PlanMilestone"), &standard));
    // Not a project, or no proposal yet: nothing is hidden.
    assert!(applies(spec("Amend"), &standard));
    assert!(applies(spec("OpenConsultation"), &json!(null)));
}

#[test]
fn base_members_are_named_where_the_list_knows_them() {
    let options = vec![
        ("e1".to_owned(), "e1 · 2025年3月1日".to_owned()),
        ("e2".to_owned(), "e2 · 2025年4月1日".to_owned()),
    ];
    let names = [("e1".to_owned(), "清镇氧化铝厂".to_owned())];
    assert_eq!(
        with_names(options, &names),
        [
            ("e1".to_owned(), "清镇氧化铝厂 · 2025年3月1日".to_owned()),
            ("e2".to_owned(), "e2 · 2025年4月1日".to_owned()),
        ]
    );
}
