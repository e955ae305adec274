//! The domain's rules as messages in the interface language.
//!
//! A domain error serializes as `{"rule": "DisbursementExceedsAward", "values": {…}}` (a wrapping
//! rule such as `Ledger` nests another `{rule, values}` in its values), and the server's
//! problem+json carries the same `rule` and `values`. So one table localises both the check run in
//! the browser before submitting and the server's refusal after. Placeholders name a value and how
//! to show it: `{requested:money}` (fen → 元/万元), `{stock:t}` (kg → 吨), `{on:date}`,
//! `{period:period}`, `{command:cmd}` (the command's form title), `{state:status}`,
//! `{kind:code}` (a plan enumeration's name), `{region:region}`, `{rate:bp}` (basis points → %);
//! a bare `{year}` is shown as it is.

use redmud_domain::{
    BaseKind, DesignationKind, DesignationLevel, Fen, FundingSource, Kg, NaiveDate, Period,
    PlanTask, ProjectKind, Region, TaxIncentiveKind, UtilizationRoute,
};
use serde_json::Value;

use crate::format;
use crate::i18n::{self, Lang};

/// `(rule, 中文, English)`.
pub const RULES: &[(&str, &str, &str)] = &[
    // Standards (项目类型“标准”) and typical cases (典型案例).
    (
        "StandardSpecMissing",
        "标准项目须填写标准类型、起草单位和适用范围",
        "A standard project must state its type, drafting body and scope",
    ),
    (
        "StandardSpecNotApplicable",
        "只有标准项目填写标准信息，{kind:code}项目不填",
        "Only standard projects state standard data, not a {kind:code} project",
    ),
    (
        "BlankDraftingBody",
        "须填写标准的起草单位",
        "A standard needs its drafting body",
    ),
    (
        "NotAStandard",
        "“{command:cmd}”只适用于标准项目，不适用于{kind:code}项目",
        "“{command:cmd}” applies to standards only, not to a {kind:code} project",
    ),
    (
        "NotForStandards",
        "“{command:cmd}”不适用于标准项目（请使用标准的起草—征求意见—批准—发布流程）",
        "“{command:cmd}” does not apply to a standard (use the standard's lifecycle)",
    ),
    (
        "BlankStandardNumber",
        "发布标准须填写标准编号",
        "A published standard needs its number",
    ),
    (
        "BlankCaseSummary",
        "典型案例须填写案例摘要",
        "A typical case needs a summary",
    ),
    (
        "AlreadyTypicalCase",
        "已于 {recommended_on:date} 推荐为典型案例",
        "Already recommended as a typical case on {recommended_on:date}",
    ),
    (
        "NotTypicalCase",
        "尚未被推荐为典型案例",
        "Not a recommended typical case",
    ),
    (
        "WithdrawalBeforeRecommendation",
        "撤回日期 {withdrawn_on:date} 早于推荐日期 {recommended_on:date}",
        "The withdrawal on {withdrawn_on:date} precedes the recommendation on {recommended_on:date}",
    ),
    // Shared by several aggregates.
    (
        "InvalidTransition",
        "当前状态（{state:status}）下不能执行“{command:cmd}”",
        "“{command:cmd}” is not allowed while the status is {state:status}",
    ),
    (
        "BlankReason",
        "“{command:cmd}”需要填写原因",
        "“{command:cmd}” needs a reason",
    ),
    ("BlankName", "名称不能为空", "The name must not be blank"),
    (
        "BlankDocument",
        "需要填写文件文号",
        "The document reference is required",
    ),
    (
        "RegionNotWithinPrefecture",
        "须选择市（州）或县，不能是全省（{region:region}）",
        "Choose a prefecture or county, not {region:region} (the whole province)",
    ),
    (
        "DateBefore",
        "“{command:cmd}”的日期 {date:date} 早于{earlier}（{earlier_on:date}）",
        "“{command:cmd}” dated {date:date} precedes {earlier} on {earlier_on:date}",
    ),
    (
        "YearOutOfRange",
        "年份 {year} 超出 1900–9999",
        "Year {year} is outside 1900–9999",
    ),
    (
        "PeriodNotEnded",
        "{period:period}尚未结束（今天是 {today:date}）",
        "{period:period} has not ended (today is {today:date})",
    ),
    (
        "RevisionChangesNothing",
        "调整内容与现行版本（第 {revision} 版）相同",
        "The revision is identical to revision {revision} in force",
    ),
    ("BlankSummary", "需要填写摘要", "A summary is required"),
    (
        "ZeroRecovery",
        "追回金额不能为零",
        "A recovery must be for a non-zero amount",
    ),
    ("Ledger", "台账数据有误", "The ledger figures are invalid"),
    ("Mass", "数量有误", "Invalid quantity"),
    ("Money", "金额有误", "Invalid amount"),
    // Enterprises.
    (
        "NoKinds",
        "至少选择一种企业类型",
        "Choose at least one kind",
    ),
    (
        "NothingToAmend",
        "变更内容与现有登记信息相同",
        "The amendment changes nothing",
    ),
    (
        "DateBeforeRegistration",
        "“{command:cmd}”的日期 {date:date} 早于企业登记日期 {registered_on:date}",
        "“{command:cmd}” is dated {date:date}, before registration on {registered_on:date}",
    ),
    (
        "RequiresAluminaRefinery",
        "“{command:cmd}”仅适用于氧化铝生产企业",
        "“{command:cmd}” applies to alumina refineries only",
    ),
    (
        "PolicyPlanAlreadyFiled",
        "一企一策方案已报送（第 {revision} 版），请改用修订",
        "The policy plan is already filed (revision {revision}); revise it instead",
    ),
    (
        "PolicyPlanNotFiled",
        "尚未报送一企一策方案",
        "No policy plan has been filed",
    ),
    (
        "PolicyPlanWithoutTargets",
        "一企一策方案至少需要一个年度目标",
        "The policy plan needs at least one yearly target",
    ),
    (
        "DuplicatePolicyYear",
        "年份 {year} 在方案中出现了多次",
        "Year {year} appears more than once",
    ),
    (
        "PolicyYearOutOfRange",
        "方案年份 {year} 超出 1900–9999",
        "Year {year} is outside 1900–9999",
    ),
    (
        "PolicyPlanWithoutMeasures",
        "一企一策方案至少需要一条措施",
        "The policy plan needs at least one measure",
    ),
    (
        "BlankMeasure",
        "第 {index} 条措施为空",
        "Measure {index} is blank",
    ),
    (
        "PolicyRevisionChangesNothing",
        "修订内容与现行方案（第 {revision} 版）相同",
        "The revision is identical to revision {revision} in force",
    ),
    (
        "PeriodAlreadyRecorded",
        "{period:period}的台账已填报，请改用更正",
        "The ledger of {period:period} is already recorded; correct it instead",
    ),
    (
        "PeriodOverlapsRecorded",
        "{period:period}与已填报的{recorded:period}重叠",
        "{period:period} overlaps the recorded {recorded:period}",
    ),
    (
        "PeriodNotRecorded",
        "{period:period}尚无台账",
        "No ledger is recorded for {period:period}",
    ),
    (
        "PeriodBeforeStockBaseline",
        "{period:period}早于历史堆存基数日期 {baseline_as_of:date}",
        "{period:period} starts before the stock baseline of {baseline_as_of:date}",
    ),
    (
        "CorrectionChangesNothing",
        "更正内容与{period:period}第 {revision} 版相同",
        "The correction of {period:period} is identical to revision {revision}",
    ),
    (
        "StockBaselineAlreadyDeclared",
        "历史堆存基数已申报（{as_of:date}），请改用更正",
        "The stock baseline was already declared as of {as_of:date}; correct it instead",
    ),
    (
        "StockBaselineNotDeclared",
        "尚未申报历史堆存基数",
        "No stock baseline has been declared",
    ),
    (
        "StockBaselineAfterRecordedPeriod",
        "基数日期 {as_of:date} 晚于已填报期间{period:period}的开始",
        "A baseline as of {as_of:date} is after the start of the recorded {period:period}",
    ),
    (
        "BaselineCorrectionChangesNothing",
        "历史堆存基数已是 {stock:t}",
        "The stock baseline is already {stock:t}",
    ),
    (
        "ValidityEndsBeforeGrant",
        "有效期 {valid_until:date} 早于认定日期 {granted_on:date}",
        "Validity until {valid_until:date} ends before the grant on {granted_on:date}",
    ),
    (
        "DesignationAlreadyHeld",
        "已持有“{designation:code}”（{granted_on:date} 认定）",
        "“{designation:code}” is already held (granted on {granted_on:date})",
    ),
    (
        "DesignationNotHeld",
        "{on:date} 未持有“{designation:code}”",
        "“{designation:code}” is not held on {on:date}",
    ),
    (
        "RevocationBeforeGrant",
        "“{designation:code}”于 {granted_on:date} 认定，不能在 {revoked_on:date} 撤销",
        "“{designation:code}” granted on {granted_on:date} cannot be revoked on {revoked_on:date}",
    ),
    (
        "BlankAuditor",
        "需要填写审核机构",
        "The auditor is required",
    ),
    (
        "DuplicateAudit",
        "该审核已记录",
        "This audit is already recorded",
    ),
    (
        "DuplicateClaim",
        "该申报已存在",
        "This claim already exists",
    ),
    (
        "ZeroClaim",
        "申报金额不能为零",
        "A claim must be for a non-zero amount",
    ),
    (
        "OverlappingClaim",
        "{period:period}的“{kind:code}”申报与已有的{existing_period:period}申报重叠",
        "A “{kind:code}” claim for {period:period} overlaps the claim for {existing_period:period}",
    ),
    (
        "VatRefundRateNotInCatalogue",
        "退税比例 {refund_rate:bp} 不在目录内（30%、50%、70%、90%、100%）",
        "Refund rate {refund_rate:bp} is not a catalogue rate (30%, 50%, 70%, 90%, 100%)",
    ),
    (
        "VatRefundExceedsRate",
        "申请退税 {claimed:money} 超过已缴增值税 {vat_paid:money} × {refund_rate:bp} = {max_refund:money}",
        "Refund {claimed:money} exceeds VAT paid {vat_paid:money} × {refund_rate:bp} = {max_refund:money}",
    ),
    (
        "ExemptionExceedsTax",
        "申请免征 {claimed:money} 超过 {utilized:t} × {tax_per_tonne:money}/吨 = {max_exemption:money}",
        "Exemption {claimed:money} exceeds {utilized:t} × {tax_per_tonne:money}/t = {max_exemption:money}",
    ),
    (
        "ExemptionExceedsLedgerUtilized",
        "申报利用量 {claimed_utilized:t} 超过台账记载的{period:period}利用量 {ledger_utilized:t}",
        "Claimed utilization {claimed_utilized:t} exceeds the {ledger_utilized:t} in the ledger within {period:period}",
    ),
    (
        "IncomeReductionExceedsShare",
        "减计收入 {claimed:money} 超过符合条件收入 {qualifying_income:money} 的 10%（{max_reduction:money}）",
        "Reduction {claimed:money} exceeds 10% of qualifying income {qualifying_income:money} = {max_reduction:money}",
    ),
    (
        "UnknownClaim",
        "没有该税收优惠申报",
        "No such tax incentive claim",
    ),
    (
        "ClaimInvalidTransition",
        "申报处于“{state:status}”状态，不能执行“{command:cmd}”",
        "“{command:cmd}” is not allowed while the claim is {state:status}",
    ),
    (
        "ZeroApproval",
        "批准金额不能为零；如不予批准请驳回",
        "An approval must be non-zero; reject the claim instead",
    ),
    (
        "ApprovalExceedsClaim",
        "批准金额 {approved:money} 超过申报金额 {claimed:money}",
        "Approval {approved:money} exceeds the {claimed:money} claimed",
    ),
    (
        "DateBeforeClaim",
        "“{command:cmd}”的日期 {date:date} 早于申报日期 {claimed_on:date}",
        "“{command:cmd}” dated {date:date} precedes the claim of {claimed_on:date}",
    ),
    (
        "RecoveryExceedsApproved",
        "追回 {requested:money} 将超过已批准的 {approved:money}（已追回 {already_recovered:money}）",
        "Recovering {requested:money} would exceed the {approved:money} approved ({already_recovered:money} already recovered)",
    ),
    // Ledgers.
    (
        "Unbalanced",
        "台账不平衡：产生量 {generated:t} ≠ 利用 {utilized_from_new:t} + 处置 {disposed_from_new:t} + 贮存 {stored_new:t}",
        "Does not balance: generated {generated:t} ≠ utilized {utilized_from_new:t} + disposed {disposed_from_new:t} + stored {stored_new:t}",
    ),
    (
        "StockWouldGoNegative",
        "{period:period}堆存量将为负：期初 {stock_start:t} + 贮存 {stored_new:t} − 利用 {utilized_from_stock:t} − 处置 {disposed_from_stock:t}",
        "Stock would go negative in {period:period}: opening {stock_start:t} + stored {stored_new:t} − utilized {utilized_from_stock:t} − disposed {disposed_from_stock:t}",
    ),
    (
        "DuplicateRoute",
        "利用途径“{route:code}”重复",
        "Route “{route:code}” given twice",
    ),
    (
        "ExceedsMaximum",
        "数值超出可表示的范围",
        "The amount is too large",
    ),
    (
        "Overflow",
        "数值超出可表示的范围",
        "The amount is too large",
    ),
    ("Underflow", "数值不能为负", "The amount would be negative"),
    (
        "Syntax",
        "格式不正确：{input}",
        "Not a valid number: {input}",
    ),
    // Projects.
    (
        "NoResponsibleUnits",
        "至少填写一个责任单位",
        "At least one responsible unit is required",
    ),
    (
        "BlankResponsibleUnit",
        "第 {index} 个责任单位为空",
        "Responsible unit {index} is blank",
    ),
    (
        "ZeroBudget",
        "总投资不能为零",
        "The budget must be non-zero",
    ),
    (
        "PlannedEndBeforeStart",
        "计划完工 {planned_end:date} 早于计划开工 {planned_start:date}",
        "Planned end {planned_end:date} is before planned start {planned_start:date}",
    ),
    (
        "NoRoutes",
        "“{kind:code}”项目至少选择一种利用途径",
        "A “{kind:code}” project must name at least one route",
    ),
    (
        "NoPlannedCapacity",
        "“{kind:code}”项目须填写设计利用能力",
        "A “{kind:code}” project must plan a non-zero capacity",
    ),
    (
        "MatchingCapacityMissing",
        "新建、改扩建氧化铝项目须填写配套的赤泥利用能力（产用挂钩）",
        "A new or expanded alumina project must state the matching red mud utilization capacity it brings",
    ),
    (
        "ExpectedRedMudMissing",
        "新建、改扩建氧化铝项目须填写预计赤泥产生量",
        "A new or expanded alumina project must state the red mud it will generate",
    ),
    (
        "MatchingCapacityNotApplicable",
        "只有新建、改扩建氧化铝项目填写产用挂钩，“{kind:code}”项目不填",
        "Only new or expanded alumina projects state matching capacity, not a “{kind:code}” project",
    ),
    (
        "DuplicateMilestone",
        "该里程碑已计划",
        "This milestone is already planned",
    ),
    (
        "BlankMilestoneName",
        "需要填写里程碑名称",
        "A milestone needs a name",
    ),
    (
        "UnknownMilestone",
        "没有该里程碑",
        "No such milestone is planned",
    ),
    (
        "MilestoneAlreadyAchieved",
        "该里程碑已于 {achieved_on:date} 完成",
        "This milestone was already achieved on {achieved_on:date}",
    ),
    ("BlankEvidence", "需要填写佐证材料", "Evidence is required"),
    (
        "MilestonesNotAchieved",
        "仍有里程碑未完成，不能验收",
        "The project cannot be accepted while milestones are outstanding",
    ),
    (
        "ZeroCapacityCommissioned",
        "投产能力不能为零（设计 {planned_per_year:t}/年，已投产 {commissioned_per_year:t}/年）",
        "Commissioned capacity must be non-zero (planned {planned_per_year:t}/yr, {commissioned_per_year:t}/yr already)",
    ),
    (
        "DuplicateAward",
        "该资金下达已存在",
        "This award already exists",
    ),
    (
        "BlankProgramme",
        "需要填写专项名称",
        "The programme is required",
    ),
    (
        "ZeroAward",
        "下达金额不能为零",
        "An award must be for a non-zero amount",
    ),
    (
        "AwardsExceedBudget",
        "下达 {requested:money} 将使累计下达超过总投资 {budget:money}（已下达 {already_awarded:money}）",
        "Awarding {requested:money} would exceed the budget of {budget:money} ({already_awarded:money} already awarded)",
    ),
    (
        "NoTranches",
        "至少需要一笔拨付计划",
        "An award needs at least one tranche",
    ),
    (
        "ZeroTranche",
        "第 {tranche} 笔金额为零",
        "Tranche {tranche} is for zero",
    ),
    (
        "TranchesDoNotSumToAward",
        "各笔金额合计 {tranche_total:money}，与下达金额 {amount:money} 不符",
        "The tranches sum to {tranche_total:money}, not the award of {amount:money}",
    ),
    ("UnknownAward", "没有该资金下达", "No such award"),
    (
        "UnknownTranche",
        "该资金下达没有第 {tranche} 笔（共 {tranches} 笔）",
        "The award has no tranche {tranche} (it has {tranches})",
    ),
    (
        "TrancheAlreadyDisbursed",
        "第 {tranche} 笔已于 {disbursed_on:date} 拨付，不能重复拨付",
        "Tranche {tranche} was already disbursed on {disbursed_on:date}",
    ),
    (
        "TrancheConditionNotMet",
        "第 {tranche} 笔的拨付条件尚未满足",
        "Tranche {tranche} waits for its condition",
    ),
    (
        "DisbursementExceedsAward",
        "拨付 {requested:money} 将超过下达金额 {awarded:money}（已拨付 {already_disbursed:money}）",
        "Disbursing {requested:money} would exceed the award of {awarded:money} ({already_disbursed:money} already disbursed)",
    ),
    (
        "RecoveryExceedsDisbursed",
        "追回 {requested:money} 将超过已拨付的 {disbursed:money}（已追回 {already_recovered:money}）",
        "Recovering {requested:money} would exceed the {disbursed:money} disbursed ({already_recovered:money} already recovered)",
    ),
    // Accounts.
    (
        "BlankDisplayName",
        "姓名不能为空",
        "The display name must not be blank",
    ),
    (
        "BlankOrganisation",
        "单位不能为空",
        "The organisation must not be blank",
    ),
    (
        "RegionRequired",
        "“{role:code}”账户须指定市（州）或县",
        "A “{role:code}” account needs a prefecture or county",
    ),
    (
        "RegionNotAllowed",
        "“{role:code}”账户不指定地区",
        "A “{role:code}” account has no region",
    ),
    (
        "RoleChangesNothing",
        "账户已是该角色和地区",
        "The account already has this role and region",
    ),
    (
        "NothingToUpdate",
        "资料没有变化",
        "The profile update changes nothing",
    ),
    (
        "DateBeforeCreation",
        "“{command:cmd}”的日期 {date:date} 早于账户创建日期 {created_on:date}",
        "“{command:cmd}” is dated {date:date}, before the account was created on {created_on:date}",
    ),
    (
        "EnableBeforeDisable",
        "启用日期 {enabled_on:date} 早于停用日期 {disabled_on:date}",
        "Enabled on {enabled_on:date}, before it was disabled on {disabled_on:date}",
    ),
    // Bases.
    (
        "LevelNotNationalOrProvincial",
        "示范基地须为国家级或省级，不能是{level:code}",
        "A base is designated at national or provincial level, not {level:code}",
    ),
    (
        "AlreadyAMember",
        "该企业已入园（{since:date}）",
        "The enterprise is already a member (since {since:date})",
    ),
    (
        "NotAMember",
        "该企业不在园内",
        "The enterprise is not a member",
    ),
    (
        "ProjectAlreadyLinked",
        "该项目已关联（{since:date}）",
        "The project is already linked (since {since:date})",
    ),
    (
        "ProjectNotLinked",
        "该项目未关联",
        "The project is not linked",
    ),
    (
        "YearBeforeDesignation",
        "{year} 年早于基地认定日期 {designated_on:date}",
        "Year {year} is before the designation on {designated_on:date}",
    ),
    (
        "EmptyTargets",
        "年度目标不能全为零",
        "A year's targets must not all be zero",
    ),
    (
        "TargetsAlreadySet",
        "{year} 年目标已设定（第 {revision} 版），请改用调整",
        "The targets of {year} are already set (revision {revision}); revise them instead",
    ),
    (
        "TargetsNotSet",
        "{year} 年尚未设定目标",
        "No targets are set for {year}",
    ),
    (
        "EvaluationAlreadyRecorded",
        "{year} 年评价已记录",
        "The evaluation of {year} is already recorded",
    ),
    (
        "EvaluationBeforeYear",
        "{year} 年评价不能早于该年（{evaluated_on:date}）",
        "An evaluation of {year} cannot be dated {evaluated_on:date}, before the year began",
    ),
    // Regional plans.
    (
        "ReportInvalidTransition",
        "{period:period}报告处于“{state:status}”状态，不能执行“{command:cmd}”",
        "“{command:cmd}” is not allowed while the report for {period:period} is {state:status}",
    ),
    (
        "RegionMustBeProvinceOrPrefecture",
        "地区目标只下达到全省或市（州），不能是{region:region}",
        "A regional plan is for the province or a prefecture, not {region:region}",
    ),
    (
        "PeriodOutsidePlanYear",
        "{period:period}不在计划年度 {year} 内",
        "{period:period} is not within the plan year {year}",
    ),
    (
        "DateBeforeSubmission",
        "“{command:cmd}”的日期 {date:date} 早于报送日期 {submitted_on:date}",
        "“{command:cmd}” dated {date:date} precedes the submission of {submitted_on:date}",
    ),
];

/// A plan enumeration's code as its name (the code itself when unknown).
fn code_name(code: &str, lang: Lang) -> String {
    macro_rules! try_enums {
        ($($ty:ty),+) => {$(
            if let Ok(v) = code.parse::<$ty>() {
                return match lang { Lang::Zh => v.name_zh(), Lang::En => v.name_en() }.to_owned();
            }
        )+};
    }
    try_enums!(
        DesignationKind,
        DesignationLevel,
        ProjectKind,
        TaxIncentiveKind,
        UtilizationRoute,
        BaseKind,
        FundingSource,
        PlanTask,
        redmud_domain::Role
    );
    code.to_owned()
}

fn show(value: &Value, how: &str, lang: Lang) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_owned(),
        other => other.to_string(),
    };
    match how {
        "money" => value
            .as_u64()
            .and_then(|f| Fen::new(f).ok())
            .map_or(text, |f| format::money(f, lang)),
        "t" => value
            .as_u64()
            .and_then(|k| Kg::new(k).ok())
            .map_or(text, |k| format::tonnes(k, lang)),
        "date" => text
            .parse::<NaiveDate>()
            .map_or(text.clone(), |d| format::date(d, lang)),
        "period" => text
            .parse::<Period>()
            .map_or(text.clone(), |p| format::period(p, lang)),
        "cmd" => super::by_command(&text).map_or(text.clone(), |s| s.title.get(lang).to_owned()),
        "status" => i18n::status(&text, lang),
        "code" => code_name(&text, lang),
        "region" => text
            .parse::<Region>()
            .map_or(text.clone(), |r| format::region(r, lang)),
        "bp" => value.as_u64().map_or(text, |bp| {
            let whole = bp / 100;
            match bp % 100 {
                0 => format!("{whole}%"),
                frac => format!("{whole}.{}%", format!("{frac:02}").trim_end_matches('0')),
            }
        }),
        _ => text,
    }
}

/// A rule's template in `lang`.
pub fn template(rule: &str, lang: Lang) -> Option<&'static str> {
    RULES
        .iter()
        .find(|(r, _, _)| *r == rule)
        .map(|(_, zh, en)| match lang {
            Lang::Zh => *zh,
            Lang::En => *en,
        })
}

/// A domain error's `{rule, values}` (or a problem+json with them) as a message, `None` when the
/// rule is not in the table. A wrapping rule shows the rule it wraps.
pub fn message(error: &Value, lang: Lang) -> Option<String> {
    let rule = error["rule"].as_str()?;
    let values = &error["values"];
    if values.get("rule").is_some_and(Value::is_string)
        && let Some(inner) = message(values, lang)
    {
        return Some(inner);
    }
    let template = template(rule, lang)?;
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let spec = &rest[start + 1..start + len];
        let (name, how) = spec.split_once(':').unwrap_or((spec, ""));
        out.push_str(&show(&values[name], how, lang));
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    Some(out)
}
