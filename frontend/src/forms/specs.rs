//! The form of every command of the API: its fields, who may run it (the server's role tables in
//! `crates/api/src/aggregates.rs`, checked by a test in [`crate::roles`]) and what the server fills.

use redmud_domain::{
    BaseKind, DesignationKind, DesignationLevel, EnterpriseKind, FundingSource, PlanTask,
    ProjectKind, StandardScope, StandardType, TaxIncentiveKind, UtilizationRoute,
};

use super::{Agg, FieldSpec, Fill, FormSpec, Kind, L, Target, l};
use crate::i18n::Lang;
use crate::roles::Role;

/// A region's bureau and the province.
pub const BUREAU: &[Role] = &[Role::Bureau, Role::Province];
/// The province only.
pub const PROVINCE: &[Role] = &[Role::Province];
/// Finance staff only.
pub const FINANCE: &[Role] = &[Role::Finance];
/// Administrators only.
pub const ADMIN: &[Role] = &[Role::Admin];

macro_rules! plan_options {
    ($($fn_name:ident: $ty:ty),+ $(,)?) => {$(
        fn $fn_name(lang: Lang) -> Vec<(String, String)> {
            <$ty>::ALL
                .iter()
                .map(|v| {
                    let name = match lang {
                        Lang::Zh => v.name_zh(),
                        Lang::En => v.name_en(),
                    };
                    (v.code().to_owned(), name.to_owned())
                })
                .collect()
        }
    )+};
}

plan_options! {
    funding_sources: FundingSource,
    project_kinds: ProjectKind,
    plan_tasks: PlanTask,
    standard_types: StandardType,
    standard_scopes: StandardScope,
    routes: UtilizationRoute,
    designations: DesignationKind,
    levels: DesignationLevel,
    base_kinds: BaseKind,
    tax_kinds: TaxIncentiveKind,
    domain_roles: redmud_domain::Role,
}

fn table(options: &[(&str, L)], lang: Lang) -> Vec<(String, String)> {
    options
        .iter()
        .map(|(code, label)| ((*code).to_owned(), label.get(lang).to_owned()))
        .collect()
}

fn enterprise_kinds(lang: Lang) -> Vec<(String, String)> {
    EnterpriseKind::all()
        .map(|k| {
            let name = match lang {
                Lang::Zh => k.name_zh(),
                Lang::En => k.name_en(),
            };
            (k.to_string(), name)
        })
        .collect()
}

fn audit_outcomes(lang: Lang) -> Vec<(String, String)> {
    table(
        &[
            ("passed", l("通过", "Passed")),
            (
                "passed_with_conditions",
                l("有条件通过", "Passed with conditions"),
            ),
            ("failed", l("未通过", "Failed")),
        ],
        lang,
    )
}

fn evaluation_results(lang: Lang) -> Vec<(String, String)> {
    table(
        &[
            ("excellent", l("优秀", "Excellent")),
            ("good", l("良好", "Good")),
            ("qualified", l("合格", "Qualified")),
            ("unqualified", l("不合格", "Unqualified")),
        ],
        lang,
    )
}

const fn f(path: &'static str, zh: &'static str, en: &'static str, kind: Kind) -> FieldSpec {
    FieldSpec::new(path, l(zh, en), kind)
}

const fn date(path: &'static str, zh: &'static str, en: &'static str) -> FieldSpec {
    f(path, zh, en, Kind::Date)
}

const REASON: FieldSpec = f("reason", "原因", "Reason", Kind::LongText);

const fn spec(
    agg: Agg,
    command: &'static str,
    title: L,
    roles: &'static [Role],
    fills: &'static [Fill],
    fields: &'static [FieldSpec],
) -> FormSpec {
    FormSpec {
        agg,
        command,
        title,
        roles,
        creates: false,
        fills,
        fields,
    }
}

const fn creating(spec: FormSpec) -> FormSpec {
    FormSpec {
        creates: true,
        ..spec
    }
}

use Agg::{Account as A, Base as B, Enterprise as E, Project as P, RegionalPlan as R};

/// Ledger figures under `figures.` (blank amounts are zero; routes left blank are not used).
macro_rules! ledger_fields {
    ($($extra:expr),* $(,)?) => {
        &[
            $($extra,)*
            f("figures.generated", "产生量（吨）", "Generated (t)", Kind::Tonnes).zero(),
            f("figures.utilized_from_new.building_materials", "新产生赤泥利用：建材（吨）", "Utilized from new: building materials (t)", Kind::Tonnes).optional(),
            f("figures.utilized_from_new.cement", "新产生赤泥利用：水泥（吨）", "Utilized from new: cement (t)", Kind::Tonnes).optional(),
            f("figures.utilized_from_new.steel", "新产生赤泥利用：钢铁（吨）", "Utilized from new: steel (t)", Kind::Tonnes).optional(),
            f("figures.utilized_from_new.chemicals", "新产生赤泥利用：化工（吨）", "Utilized from new: chemicals (t)", Kind::Tonnes).optional(),
            f("figures.utilized_from_new.element_extraction", "新产生赤泥利用：有价元素提取（吨）", "Utilized from new: element extraction (t)", Kind::Tonnes).optional(),
            f("figures.utilized_from_new.mine_backfill", "新产生赤泥利用：矿山充填回填（吨）", "Utilized from new: mine backfill (t)", Kind::Tonnes).optional(),
            f("figures.utilized_from_new.road_base", "新产生赤泥利用：路基材料（吨）", "Utilized from new: road base (t)", Kind::Tonnes).optional(),
            f("figures.utilized_from_new.soilification", "新产生赤泥利用：土壤化（吨）", "Utilized from new: soilification (t)", Kind::Tonnes).optional(),
            f("figures.utilized_from_new.other", "新产生赤泥利用：其他（吨）", "Utilized from new: other (t)", Kind::Tonnes).optional(),
            f("figures.disposed_from_new", "新产生赤泥处置（吨）", "Disposed from new (t)", Kind::Tonnes).zero(),
            f("figures.stored_new", "新产生赤泥贮存（吨）", "Stored (t)", Kind::Tonnes).zero(),
            f("figures.utilized_from_stock.other", "历史堆存利用（吨）", "Utilized from stock (t)", Kind::Tonnes).optional(),
            f("figures.disposed_from_stock", "历史堆存处置（吨）", "Disposed from stock (t)", Kind::Tonnes).zero(),
        ]
    };
}

macro_rules! policy_plan {
    ($($extra:expr),* $(,)?) => {
        &[
            f("plan.yearly_targets.0.year", "年份（第 1 行）", "Year (row 1)", Kind::Year),
            f("plan.yearly_targets.0.generation", "产生量目标（吨，第 1 行）", "Generation target (t, row 1)", Kind::Tonnes),
            f("plan.yearly_targets.0.utilization", "利用量目标（吨，第 1 行）", "Utilization target (t, row 1)", Kind::Tonnes),
            f("plan.yearly_targets.1.year", "年份（第 2 行）", "Year (row 2)", Kind::Year).optional().row(2),
            f("plan.yearly_targets.1.generation", "产生量目标（吨，第 2 行）", "Generation target (t, row 2)", Kind::Tonnes).optional().row(2),
            f("plan.yearly_targets.1.utilization", "利用量目标（吨，第 2 行）", "Utilization target (t, row 2)", Kind::Tonnes).optional().row(2),
            f("plan.yearly_targets.2.year", "年份（第 3 行）", "Year (row 3)", Kind::Year).optional().row(3),
            f("plan.yearly_targets.2.generation", "产生量目标（吨，第 3 行）", "Generation target (t, row 3)", Kind::Tonnes).optional().row(3),
            f("plan.yearly_targets.2.utilization", "利用量目标（吨，第 3 行）", "Utilization target (t, row 3)", Kind::Tonnes).optional().row(3),
            f("plan.measures", "措施（每行一条）", "Measures (one per line)", Kind::Lines),
            $($extra,)*
        ]
    };
}

macro_rules! base_targets {
    ($($extra:expr),* $(,)?) => {
        &[
            f("year", "年度", "Year", Kind::Year),
            f("targets.red_mud_utilized", "赤泥利用量目标（吨）", "Red mud utilized (t)", Kind::Tonnes).zero(),
            f("targets.phosphogypsum_co_utilized", "协同利用磷石膏（吨）", "Phosphogypsum co-utilized (t)", Kind::Tonnes).zero(),
            f("targets.desulfurization_gypsum_co_utilized", "协同利用脱硫石膏（吨）", "Desulfurization gypsum co-utilized (t)", Kind::Tonnes).zero(),
            f("targets.fly_ash_co_utilized", "协同利用粉煤灰（吨）", "Fly ash co-utilized (t)", Kind::Tonnes).zero(),
            $($extra,)*
        ]
    };
}

macro_rules! regional_targets {
    ($($extra:expr),* $(,)?) => {
        &[
            $($extra,)*
            f("targets.red_mud_to_utilize", "赤泥综合利用量目标（吨）", "Red mud to utilize (t)", Kind::Tonnes),
            f("targets.new_utilization_rate", "新产生赤泥综合利用率目标（%）", "New red mud utilization rate (%)", Kind::Percent),
            f("targets.new_capacity_per_year", "新增利用能力（吨/年）", "New capacity (t/yr)", Kind::Tonnes).zero(),
            f("targets.demonstration_projects", "示范项目数", "Demonstration projects", Kind::Integer).zero(),
        ]
    };
}

const TRANCHE_CONDITION_1: FieldSpec = f(
    "tranches.0.condition",
    "第 1 笔拨付条件",
    "Tranche 1: condition",
    Kind::Condition,
);

/// Every command's form, in the order of the API's tables.
pub const ALL: &[FormSpec] = &[
    // ----- enterprises ---------------------------------------------------------------------
    creating(spec(
        E,
        "Register",
        l("登记企业", "Register an enterprise"),
        BUREAU,
        &[],
        &[
            f("name", "企业名称", "Name", Kind::Text),
            f(
                "uscc",
                "统一社会信用代码",
                "Unified social credit code",
                Kind::Text,
            ),
            f("region", "所在地区", "Region", Kind::Region),
            f("kinds", "企业类型", "Kinds", Kind::Multi(enterprise_kinds)),
            date("registered_on", "登记日期", "Registered on"),
        ],
    )),
    spec(
        E,
        "Amend",
        l("变更登记信息", "Amend registration"),
        BUREAU,
        &[],
        &[
            f(
                "name",
                "新名称（不变则留空）",
                "New name (blank: unchanged)",
                Kind::Text,
            )
            .optional(),
            f(
                "uscc",
                "新统一社会信用代码（不变则留空）",
                "New USCC (blank: unchanged)",
                Kind::Text,
            )
            .optional(),
            f(
                "region",
                "新地区（不变则留空）",
                "New region (blank: unchanged)",
                Kind::Region,
            )
            .optional(),
            f(
                "kinds",
                "新企业类型（不变则不选）",
                "New kinds (none: unchanged)",
                Kind::Multi(enterprise_kinds),
            )
            .optional(),
            date("amended_on", "变更日期", "Amended on"),
        ],
    ),
    spec(
        E,
        "Deregister",
        l("注销企业", "Deregister"),
        BUREAU,
        &[],
        &[
            date("deregistered_on", "注销日期", "Deregistered on"),
            REASON,
        ],
    ),
    spec(
        E,
        "FilePolicyPlan",
        l(
            "报送一企一策方案",
            "File the one-enterprise-one-policy plan",
        ),
        BUREAU,
        &[],
        policy_plan![date("filed_on", "报送日期", "Filed on")],
    ),
    spec(
        E,
        "RevisePolicyPlan",
        l("修订一企一策方案", "Revise the policy plan"),
        BUREAU,
        &[],
        policy_plan![date("revised_on", "修订日期", "Revised on"), REASON],
    ),
    spec(
        E,
        "DeclareStockBaseline",
        l("申报历史堆存基数", "Declare the stock baseline"),
        BUREAU,
        &[],
        &[
            date("as_of", "基数日期", "As of"),
            f("stock", "历史堆存量（吨）", "Stock (t)", Kind::Tonnes),
        ],
    ),
    spec(
        E,
        "CorrectStockBaseline",
        l("更正历史堆存基数", "Correct the stock baseline"),
        BUREAU,
        &[],
        &[
            f("stock", "历史堆存量（吨）", "Stock (t)", Kind::Tonnes),
            REASON,
        ],
    ),
    spec(
        E,
        "RecordLedger",
        l("填报台账", "Record the ledger"),
        BUREAU,
        &[Fill::Today("today")],
        ledger_fields![f("period", "期间", "Period", Kind::Period)],
    ),
    spec(
        E,
        "CorrectLedger",
        l("更正台账", "Correct a ledger"),
        BUREAU,
        &[],
        ledger_fields![
            f("period", "期间", "Period", Kind::Ref(Target::LedgerPeriod)),
            REASON
        ],
    ),
    spec(
        E,
        "GrantDesignation",
        l("认定称号", "Grant a designation"),
        PROVINCE,
        &[],
        &[
            f(
                "designation",
                "称号",
                "Designation",
                Kind::Choice(designations),
            ),
            date("granted_on", "认定日期", "Granted on"),
            f("document", "认定文件文号", "Granting document", Kind::Text),
            f(
                "valid_until",
                "有效期至（可选）",
                "Valid until (optional)",
                Kind::Date,
            )
            .optional(),
        ],
    ),
    spec(
        E,
        "RevokeDesignation",
        l("撤销称号", "Revoke a designation"),
        PROVINCE,
        &[],
        &[
            f(
                "designation",
                "称号",
                "Designation",
                Kind::Ref(Target::Designation),
            ),
            date("revoked_on", "撤销日期", "Revoked on"),
            REASON,
        ],
    ),
    spec(
        E,
        "RecordCleanProductionAudit",
        l("记录清洁生产审核", "Record a clean-production audit"),
        BUREAU,
        &[Fill::NewId("audit_id")],
        &[
            date("completed_on", "完成日期", "Completed on"),
            f("auditor", "审核机构", "Auditor", Kind::Text),
            f("outcome", "结论", "Outcome", Kind::Choice(audit_outcomes)),
            f("summary", "摘要", "Summary", Kind::LongText),
        ],
    ),
    spec(
        E,
        "ClaimTaxIncentive",
        l("登记税收优惠申报", "Record a tax incentive claim"),
        FINANCE,
        &[Fill::NewId("claim_id")],
        &[
            f("period", "所属期间", "Period", Kind::Period),
            f("claim.kind", "优惠类型", "Kind", Kind::Choice(tax_kinds)),
            f(
                "claim.vat_paid",
                "已缴增值税（元）",
                "VAT paid (yuan)",
                Kind::Money,
            )
            .when("claim.kind", "vat_immediate_refund"),
            f(
                "claim.refund_rate",
                "退税比例（%）",
                "Refund rate (%)",
                Kind::Percent,
            )
            .when("claim.kind", "vat_immediate_refund"),
            f(
                "claim.refund",
                "申请退税额（元）",
                "Refund claimed (yuan)",
                Kind::Money,
            )
            .when("claim.kind", "vat_immediate_refund"),
            f(
                "claim.utilized",
                "综合利用量（吨）",
                "Utilized (t)",
                Kind::Tonnes,
            )
            .when("claim.kind", "environmental_tax_exemption"),
            f(
                "claim.tax_per_tonne",
                "每吨税额（元）",
                "Tax per tonne (yuan)",
                Kind::Money,
            )
            .when("claim.kind", "environmental_tax_exemption"),
            f(
                "claim.exemption",
                "申请免征额（元）",
                "Exemption claimed (yuan)",
                Kind::Money,
            )
            .when("claim.kind", "environmental_tax_exemption"),
            f(
                "claim.qualifying_income",
                "符合条件的收入（元）",
                "Qualifying income (yuan)",
                Kind::Money,
            )
            .when("claim.kind", "income_tax_reduction"),
            f(
                "claim.reduction",
                "申请减计额（元）",
                "Reduction claimed (yuan)",
                Kind::Money,
            )
            .when("claim.kind", "income_tax_reduction"),
            date("claimed_on", "申报日期", "Claimed on"),
        ],
    ),
    spec(
        E,
        "ApproveTaxIncentive",
        l("批准税收优惠", "Approve a tax incentive"),
        FINANCE,
        &[],
        &[
            f("claim_id", "申报", "Claim", Kind::Ref(Target::Claim)),
            f(
                "approved",
                "批准金额（元）",
                "Amount approved (yuan)",
                Kind::Money,
            ),
            date("decided_on", "决定日期", "Decided on"),
        ],
    ),
    spec(
        E,
        "RejectTaxIncentive",
        l("驳回税收优惠", "Reject a tax incentive"),
        FINANCE,
        &[],
        &[
            f("claim_id", "申报", "Claim", Kind::Ref(Target::Claim)),
            date("decided_on", "决定日期", "Decided on"),
            REASON,
        ],
    ),
    spec(
        E,
        "RecoverTaxIncentive",
        l("追回税收优惠", "Recover a tax incentive"),
        FINANCE,
        &[],
        &[
            f("claim_id", "申报", "Claim", Kind::Ref(Target::Claim)),
            f(
                "amount",
                "追回金额（元）",
                "Amount recovered (yuan)",
                Kind::Money,
            ),
            date("recovered_on", "追回日期", "Recovered on"),
            REASON,
        ],
    ),
    spec(
        E,
        "RecommendTypicalCase",
        l("推荐为典型案例", "Recommend as a typical case"),
        PROVINCE,
        &[],
        &[
            date("recommended_on", "推荐日期", "Recommended on"),
            f("summary", "案例摘要", "Summary", Kind::LongText),
        ],
    ),
    spec(
        E,
        "WithdrawTypicalCase",
        l("撤回典型案例推荐", "Withdraw the typical case"),
        PROVINCE,
        &[],
        &[date("withdrawn_on", "撤回日期", "Withdrawn on"), REASON],
    ),
    // ----- projects ------------------------------------------------------------------------
    creating(spec(
        P,
        "ProposeProject",
        l("申报项目", "Propose a project"),
        BUREAU,
        &[],
        &[
            f("proposal.name", "项目名称", "Name", Kind::Text),
            f(
                "proposal.kind",
                "项目类型",
                "Kind",
                Kind::Choice(project_kinds),
            ),
            f(
                "proposal.task",
                "主要任务",
                "Plan task",
                Kind::Choice(plan_tasks),
            ),
            f(
                "proposal.standard.standard_type",
                "标准类型",
                "Standard type",
                Kind::Choice(standard_types),
            )
            .when("proposal.kind", "standard"),
            f(
                "proposal.standard.drafting_body",
                "起草单位",
                "Drafting body",
                Kind::Text,
            )
            .when("proposal.kind", "standard"),
            f(
                "proposal.standard.scope",
                "适用范围",
                "Scope",
                Kind::Choice(standard_scopes),
            )
            .when("proposal.kind", "standard"),
            f(
                "proposal.lead_enterprise_id",
                "牵头企业",
                "Lead enterprise",
                Kind::Ref(Target::Enterprise),
            ),
            f("proposal.region", "建设地点", "Region", Kind::Region),
            f(
                "proposal.routes",
                "利用途径",
                "Utilization routes",
                Kind::Multi(routes),
            )
            .zero(),
            f(
                "proposal.planned_capacity_per_year",
                "设计利用能力（吨/年）",
                "Planned capacity (t/yr)",
                Kind::Tonnes,
            )
            .zero(),
            f(
                "proposal.budget",
                "总投资（元）",
                "Budget (yuan)",
                Kind::Money,
            ),
            f(
                "proposal.responsible_units",
                "责任单位（每行一个）",
                "Responsible units (one per line)",
                Kind::Lines,
            ),
            date("proposal.planned_start", "计划开工", "Planned start"),
            date("proposal.planned_end", "计划完工", "Planned end"),
            f(
                "proposal.matching_capacity.expected_red_mud_per_year",
                "产用挂钩：预计赤泥产生量（吨/年）",
                "Matching: expected red mud (t/yr)",
                Kind::Tonnes,
            )
            .optional()
            .row(1),
            f(
                "proposal.matching_capacity.owned_capacity_per_year",
                "产用挂钩：自有利用能力（吨/年）",
                "Matching: owned capacity (t/yr)",
                Kind::Tonnes,
            )
            .optional()
            .row(1),
            f(
                "proposal.matching_capacity.contracted_capacity_per_year",
                "产用挂钩：协议利用能力（吨/年）",
                "Matching: contracted capacity (t/yr)",
                Kind::Tonnes,
            )
            .optional()
            .row(1),
            date("proposed_on", "申报日期", "Proposed on"),
        ],
    )),
    spec(
        P,
        "ApproveProject",
        l("批复项目", "Approve the project"),
        PROVINCE,
        &[],
        &[
            date("approved_on", "批复日期", "Approved on"),
            f("document", "批复文号", "Approval document", Kind::Text),
        ],
    ),
    spec(
        P,
        "StartConstruction",
        l("开工", "Start construction"),
        BUREAU,
        &[],
        &[date("started_on", "开工日期", "Started on")],
    ),
    spec(
        P,
        "PlanMilestone",
        l("计划里程碑", "Plan a milestone"),
        BUREAU,
        &[Fill::NewId("milestone_id")],
        &[
            f("name", "里程碑名称", "Milestone", Kind::Text),
            date("planned_on", "计划日期", "Planned on"),
        ],
    ),
    spec(
        P,
        "AchieveMilestone",
        l("完成里程碑", "Achieve a milestone"),
        BUREAU,
        &[],
        &[
            f(
                "milestone_id",
                "里程碑",
                "Milestone",
                Kind::Ref(Target::Milestone),
            ),
            date("achieved_on", "完成日期", "Achieved on"),
            f("evidence", "佐证材料", "Evidence", Kind::Text),
        ],
    ),
    spec(
        P,
        "CommissionCapacity",
        l("建成投产", "Commission capacity"),
        BUREAU,
        &[],
        &[
            f(
                "capacity_per_year",
                "投产能力（吨/年）",
                "Capacity (t/yr)",
                Kind::Tonnes,
            ),
            date("commissioned_on", "投产日期", "Commissioned on"),
        ],
    ),
    spec(
        P,
        "AcceptProject",
        l("验收通过", "Accept the project"),
        PROVINCE,
        &[],
        &[
            date("accepted_on", "验收日期", "Accepted on"),
            f("document", "验收意见文号", "Acceptance opinion", Kind::Text),
        ],
    ),
    spec(
        P,
        "FailAcceptance",
        l("验收不通过", "Fail the acceptance"),
        PROVINCE,
        &[],
        &[date("failed_on", "验收日期", "Decided on"), REASON],
    ),
    spec(
        P,
        "SuspendProject",
        l("暂停项目", "Suspend the project"),
        PROVINCE,
        &[],
        &[date("suspended_on", "暂停日期", "Suspended on"), REASON],
    ),
    spec(
        P,
        "ResumeProject",
        l("恢复项目", "Resume the project"),
        PROVINCE,
        &[],
        &[date("resumed_on", "恢复日期", "Resumed on")],
    ),
    spec(
        P,
        "CancelProject",
        l("终止项目", "Cancel the project"),
        PROVINCE,
        &[],
        &[date("cancelled_on", "终止日期", "Cancelled on"), REASON],
    ),
    spec(
        P,
        "AwardFunding",
        l("下达资金", "Award funding"),
        FINANCE,
        &[Fill::NewId("award_id")],
        &[
            f(
                "source",
                "资金来源",
                "Source",
                Kind::Choice(funding_sources),
            ),
            f("programme", "专项名称", "Programme", Kind::Text),
            f("amount", "下达金额（元）", "Amount (yuan)", Kind::Money),
            TRANCHE_CONDITION_1,
            f(
                "tranches.0.amount",
                "第 1 笔金额（元）",
                "Tranche 1: amount (yuan)",
                Kind::Money,
            ),
            f(
                "tranches.1.condition",
                "第 2 笔拨付条件",
                "Tranche 2: condition",
                Kind::Condition,
            )
            .optional()
            .row(2),
            f(
                "tranches.1.amount",
                "第 2 笔金额（元）",
                "Tranche 2: amount (yuan)",
                Kind::Money,
            )
            .optional()
            .row(2),
            f(
                "tranches.2.condition",
                "第 3 笔拨付条件",
                "Tranche 3: condition",
                Kind::Condition,
            )
            .optional()
            .row(3),
            f(
                "tranches.2.amount",
                "第 3 笔金额（元）",
                "Tranche 3: amount (yuan)",
                Kind::Money,
            )
            .optional()
            .row(3),
            date("awarded_on", "下达日期", "Awarded on"),
        ],
    ),
    spec(
        P,
        "DisburseTranche",
        l("拨付资金", "Disburse a tranche"),
        FINANCE,
        &[],
        &[
            f("award_id", "资金下达", "Award", Kind::Ref(Target::Award)),
            f("tranche", "第几笔", "Tranche number", Kind::Integer),
            date("disbursed_on", "拨付日期", "Disbursed on"),
        ],
    ),
    spec(
        P,
        "RecoverFunding",
        l("追回资金", "Recover funding"),
        FINANCE,
        &[],
        &[
            f("award_id", "资金下达", "Award", Kind::Ref(Target::Award)),
            f(
                "amount",
                "追回金额（元）",
                "Amount recovered (yuan)",
                Kind::Money,
            ),
            date("recovered_on", "追回日期", "Recovered on"),
            REASON,
        ],
    ),
    spec(
        P,
        "OpenConsultation",
        l("公开征求意见", "Open the consultation"),
        BUREAU,
        &[],
        &[date("opened_on", "征求意见日期", "Opened on")],
    ),
    spec(
        P,
        "ApproveStandard",
        l("批准标准", "Approve the standard"),
        PROVINCE,
        &[],
        &[
            date("approved_on", "批准日期", "Approved on"),
            f("document", "批准文件文号", "Approval document", Kind::Text),
        ],
    ),
    spec(
        P,
        "PublishStandard",
        l("发布标准", "Publish the standard"),
        PROVINCE,
        &[],
        &[
            date("published_on", "发布日期", "Published on"),
            f("number", "标准编号", "Standard number", Kind::Text),
        ],
    ),
    spec(
        P,
        "WithdrawStandard",
        l("撤回标准", "Withdraw the standard"),
        PROVINCE,
        &[],
        &[date("withdrawn_on", "撤回日期", "Withdrawn on"), REASON],
    ),
    spec(
        P,
        "RecommendTypicalCase",
        l("推荐为典型案例", "Recommend as a typical case"),
        PROVINCE,
        &[],
        &[
            date("recommended_on", "推荐日期", "Recommended on"),
            f("summary", "案例摘要", "Summary", Kind::LongText),
        ],
    ),
    spec(
        P,
        "WithdrawTypicalCase",
        l("撤回典型案例推荐", "Withdraw the typical case"),
        PROVINCE,
        &[],
        &[date("withdrawn_on", "撤回日期", "Withdrawn on"), REASON],
    ),
    // ----- bases ---------------------------------------------------------------------------
    creating(spec(
        B,
        "DesignateBase",
        l("认定示范基地", "Designate a base"),
        PROVINCE,
        &[],
        &[
            f("name", "基地名称", "Name", Kind::Text),
            f("kind", "基地类型", "Kind", Kind::Choice(base_kinds)),
            f("level", "级别", "Level", Kind::Choice(levels)),
            f("region", "所在地区", "Region", Kind::Region),
            date("designated_on", "认定日期", "Designated on"),
            f(
                "document",
                "认定文件文号",
                "Designating document",
                Kind::Text,
            ),
        ],
    )),
    spec(
        B,
        "AddMember",
        l("企业入园", "Add a member"),
        PROVINCE,
        &[],
        &[
            f(
                "enterprise_id",
                "企业",
                "Enterprise",
                Kind::Ref(Target::Enterprise),
            ),
            date("added_on", "入园日期", "Added on"),
        ],
    ),
    spec(
        B,
        "RemoveMember",
        l("企业迁出", "Remove a member"),
        PROVINCE,
        &[],
        &[
            f(
                "enterprise_id",
                "企业",
                "Enterprise",
                Kind::Ref(Target::Member),
            ),
            date("removed_on", "迁出日期", "Removed on"),
            REASON,
        ],
    ),
    spec(
        B,
        "LinkProject",
        l("关联项目", "Link a project"),
        PROVINCE,
        &[],
        &[
            f("project_id", "项目", "Project", Kind::Ref(Target::Project)),
            date("linked_on", "关联日期", "Linked on"),
        ],
    ),
    spec(
        B,
        "UnlinkProject",
        l("取消关联项目", "Unlink a project"),
        PROVINCE,
        &[],
        &[
            f("project_id", "项目", "Project", Kind::Ref(Target::Linked)),
            date("unlinked_on", "取消日期", "Unlinked on"),
            REASON,
        ],
    ),
    spec(
        B,
        "SetYearTargets",
        l("设定年度目标", "Set a year's targets"),
        PROVINCE,
        &[],
        base_targets![date("set_on", "设定日期", "Set on")],
    ),
    spec(
        B,
        "ReviseYearTargets",
        l("调整年度目标", "Revise a year's targets"),
        PROVINCE,
        &[],
        base_targets![date("revised_on", "调整日期", "Revised on"), REASON],
    ),
    spec(
        B,
        "RecordEvaluation",
        l("记录年度评价", "Record an evaluation"),
        PROVINCE,
        &[],
        &[
            f("year", "年度", "Year", Kind::Year),
            f(
                "result",
                "评价结果",
                "Result",
                Kind::Choice(evaluation_results),
            ),
            f("summary", "评价摘要", "Summary", Kind::LongText),
            date("evaluated_on", "评价日期", "Evaluated on"),
        ],
    ),
    spec(
        B,
        "RevokeBase",
        l("撤销基地", "Revoke the base"),
        PROVINCE,
        &[],
        &[date("revoked_on", "撤销日期", "Revoked on"), REASON],
    ),
    // ----- regional plans ------------------------------------------------------------------
    creating(spec(
        R,
        "SetTargets",
        l("下达地区年度目标", "Set a region's targets"),
        PROVINCE,
        &[],
        regional_targets![
            f("region", "地区", "Region", Kind::Region),
            f("year", "年度", "Year", Kind::Year),
            date("set_on", "下达日期", "Set on"),
        ],
    )),
    spec(
        R,
        "ReviseTargets",
        l("调整目标", "Revise the targets"),
        PROVINCE,
        &[],
        regional_targets![date("revised_on", "调整日期", "Revised on"), REASON],
    ),
    spec(
        R,
        "SubmitReport",
        l("报送定期报告", "Submit a report"),
        BUREAU,
        &[Fill::Frozen("figures")],
        &[
            f("period", "报送期间", "Period", Kind::Period),
            f(
                "summary",
                "工作情况摘要",
                "Summary of the work done",
                Kind::LongText,
            ),
            date("submitted_on", "报送日期", "Submitted on"),
        ],
    ),
    spec(
        R,
        "ReturnReport",
        l("退回报告", "Return a report"),
        PROVINCE,
        &[],
        &[
            f("period", "期间", "Period", Kind::Ref(Target::ReportPeriod)),
            date("returned_on", "退回日期", "Returned on"),
            REASON,
        ],
    ),
    spec(
        R,
        "AcceptReport",
        l("审核通过报告", "Accept a report"),
        PROVINCE,
        &[],
        &[
            f("period", "期间", "Period", Kind::Ref(Target::ReportPeriod)),
            date("accepted_on", "审核日期", "Accepted on"),
        ],
    ),
    // ----- accounts ------------------------------------------------------------------------
    creating(spec(
        A,
        "CreateAccount",
        l("新建账户", "Create an account"),
        ADMIN,
        &[Fill::Today("created_on")],
        &[
            f("username", "用户名", "Username", Kind::Text),
            f("password", "初始密码", "Initial password", Kind::Password),
            f("display_name", "姓名", "Display name", Kind::Text),
            f("role", "角色", "Role", Kind::Choice(domain_roles)),
            f(
                "region",
                "地区（市县主管部门必填）",
                "Region (bureaus only)",
                Kind::Region,
            )
            .optional(),
            f("organisation", "单位", "Organisation", Kind::Text),
        ],
    )),
    spec(
        A,
        "ChangeRole",
        l("变更角色", "Change the role"),
        ADMIN,
        &[Fill::Today("changed_on")],
        &[
            f("role", "角色", "Role", Kind::Choice(domain_roles)),
            f(
                "region",
                "地区（市县主管部门必填）",
                "Region (bureaus only)",
                Kind::Region,
            )
            .optional(),
            REASON,
        ],
    ),
    spec(
        A,
        "UpdateProfile",
        l("更新资料", "Update the profile"),
        ADMIN,
        &[Fill::Today("updated_on")],
        &[
            f(
                "display_name",
                "姓名（不变则留空）",
                "Display name (blank: unchanged)",
                Kind::Text,
            )
            .optional(),
            f(
                "organisation",
                "单位（不变则留空）",
                "Organisation (blank: unchanged)",
                Kind::Text,
            )
            .optional(),
        ],
    ),
    spec(
        A,
        "DisableAccount",
        l("停用账户", "Disable the account"),
        ADMIN,
        &[Fill::Today("disabled_on")],
        &[REASON],
    ),
    spec(
        A,
        "EnableAccount",
        l("启用账户", "Enable the account"),
        ADMIN,
        &[Fill::Today("enabled_on")],
        &[REASON],
    ),
];

/// The options of a tranche condition: the fixed ones and each milestone of the project.
pub fn condition_options(milestones: &[(String, String)], lang: Lang) -> Vec<(String, String)> {
    let mut options = table(
        &[
            ("approval", l("批复后", "On approval")),
            ("construction_started", l("开工后", "On construction start")),
            ("commissioned", l("投产后", "On commissioning")),
            ("accepted", l("验收后", "On acceptance")),
        ],
        lang,
    );
    for (id, name) in milestones {
        options.push((
            format!("milestone:{id}"),
            match lang {
                Lang::Zh => format!("里程碑完成后：{name}"),
                Lang::En => format!("On milestone: {name}"),
            },
        ));
    }
    options
}
