//! # redmud-domain — the Guizhou red mud action plan as pure event-sourced aggregates
//!
//! This crate is where a reader learns the plan (贵州省赤泥综合利用行动方案（2025—2030年）). It
//! holds the value types, the aggregates with their commands, events and typed errors, and the
//! rules the plan implies, as pure synchronous functions: no I/O, no async, no clock, no
//! randomness (identifiers and "today" arrive inside commands). It builds for
//! `wasm32-unknown-unknown` so the web client shares these types.
//!
//! Numbers are exact: mass is integer kilograms ([`Kg`]), money integer fen ([`Fen`]),
//! percentages integer basis points ([`BasisPoints`]) or exact fractions ([`Ratio`]). No event or
//! value type contains a floating-point number.
//!
//! ## Example
//!
//! ```
//! use std::collections::BTreeSet;
//! use chrono::NaiveDate;
//! use redmud_domain::{
//!     Aggregate, EnterpriseCommand, EnterpriseKind, Enterprise, Kg, LedgerFigures, RouteAmounts,
//!     UtilizationRoute, execute, rules,
//! };
//!
//! let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
//! let register = EnterpriseCommand::Register {
//!     enterprise_id: uuid::Uuid::from_u128(1), // ids come from the caller
//!     name: "贵州某氧化铝有限公司".into(),
//!     uscc: "914403001922038216".parse()?,
//!     region: "520181".parse()?, // 清镇市, under 贵阳市
//!     kinds: BTreeSet::from([EnterpriseKind::AluminaRefinery]),
//!     registered_on: day(2025, 1, 10),
//! };
//! let (enterprise, _events) = execute(&Enterprise::default(), &register)?;
//!
//! let figures = LedgerFigures {
//!     generated: "1000 t".parse()?,
//!     utilized_from_new: RouteAmounts::new().with(UtilizationRoute::Cement, "150 t".parse()?),
//!     stored_new: "850 t".parse()?,
//!     ..LedgerFigures::default()
//! };
//! let record = EnterpriseCommand::RecordLedger {
//!     period: "2026-Q1".parse()?,
//!     figures: figures.clone(),
//!     today: day(2026, 4, 5), // "today" comes from the caller too
//! };
//! let (enterprise, events) = execute(&enterprise, &record)?;
//! assert_eq!(events.len(), 1);
//! assert_eq!(enterprise.current_stock()?, "850 t".parse::<Kg>()?);
//! let rate = rules::new_utilization_rate(&figures)?.expect("something was generated");
//! assert_eq!(rate.to_string(), "15.00%");
//! assert!(rate.meets(rules::NATIONAL_GOAL_2027));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Glossary (术语表)
//!
//! One name per concept, used in types, fields, commands, events and errors.
//!
//! | 中文 | English identifier | where |
//! |---|---|---|
//! | 赤泥 | red mud | everywhere |
//! | 赤泥台账 | red mud ledger (`Ledger…`) | [`ledger`], [`enterprise`] |
//! | 产生量 / 新增赤泥 | `generated` (newly generated in the period) | [`ledger::LedgerFigures`] |
//! | 综合利用量 | `utilized` (per [`UtilizationRoute`]) | [`ledger::LedgerFigures`] |
//! | 利用当期新增赤泥 | `utilized_from_new` | [`ledger::LedgerFigures`] |
//! | 利用历史堆存赤泥 | `utilized_from_stock` | [`ledger::LedgerFigures`] |
//! | 处置量 | `disposed` (`disposed_from_new`, `disposed_from_stock`) | [`ledger::LedgerFigures`] |
//! | 贮存量（新增堆存） | `stored_new` | [`ledger::LedgerFigures`] |
//! | 堆存量（库存） | stock (`stock_start`, `stock_end`) | [`ledger::StockLine`] |
//! | 期初堆存基数 | stock baseline | [`enterprise::EnterpriseCommand::DeclareStockBaseline`] |
//! | 新增赤泥综合利用率 | new utilization rate | [`rules::new_utilization_rate`] |
//! | 赤泥综合利用率（统计口径） | statistical utilization rate | [`rules::statistical_utilization_rate`] |
//! | 综合利用途径 | utilization route | [`UtilizationRoute`] |
//! | 建材 / 水泥 / 钢铁 / 化工 | building materials / cement / steel / chemicals | [`UtilizationRoute`] |
//! | 有价元素提取（锂镓钪铌钛） | element extraction (Li/Ga/Sc/Nb/Ti) | [`UtilizationRoute`], [`RecoveredElement`] |
//! | 矿山充填回填 / 路基 / 土壤化 | mine backfill / road base / soilification | [`UtilizationRoute`] |
//! | 主要任务 | plan task | [`PlanTask`] |
//! | 源头减量 | source reduction | [`PlanTask::SourceReduction`] |
//! | 提高可利用性 | usability | [`PlanTask::Usability`] |
//! | 扩大综合利用规模 | utilization scale | [`PlanTask::UtilizationScale`] |
//! | 提升技术创新能力 | technology innovation | [`PlanTask::TechnologyInnovation`] |
//! | 统筹强化产业协同 | industrial synergy | [`PlanTask::IndustrialSynergy`] |
//! | 企业 | enterprise | [`enterprise`] |
//! | 统一社会信用代码 | unified social credit code, `uscc` | [`Uscc`] |
//! | 行政区划（市州、县） | region (prefecture, county) | [`Region`], [`Prefecture`] |
//! | 氧化铝生产企业 | alumina refinery | [`EnterpriseKind::AluminaRefinery`] |
//! | 赤泥综合利用企业 | red mud utilizer | [`EnterpriseKind::RedMudUtilizer`] |
//! | 下游应用企业（行业） | downstream user (sector) | [`EnterpriseKind::DownstreamUser`], [`DownstreamSector`] |
//! | 注册 / 变更 / 注销 | register / amend / deregister | [`enterprise`] |
//! | 一企一策 | policy plan ("one enterprise, one policy") | [`enterprise::PolicyPlan`] |
//! | 认定 / 撤销 | grant / revoke (a designation) | [`DesignationKind`] |
//! | 无废企业 | zero-waste enterprise | [`DesignationKind::ZeroWasteEnterprise`] |
//! | 专精特新中小企业 / 小巨人 | specialized SME / little giant | [`DesignationKind`] |
//! | 制造业单项冠军 | single-item champion | [`DesignationKind::SingleItemChampion`] |
//! | 技术创新示范企业 | technology innovation demonstration enterprise | [`DesignationKind`] |
//! | 国家级 / 省级企业技术中心 | national / provincial technology centre | [`DesignationKind`] |
//! | 绿色工厂 | green factory | [`DesignationKind::GreenFactory`] |
//! | 清洁生产审核 | clean-production audit | [`enterprise`] |
//! | 税收优惠 | tax incentive | [`TaxIncentiveKind`], [`enterprise`] |
//! | 增值税即征即退 | VAT immediate refund | [`TaxIncentiveKind::VatImmediateRefund`] |
//! | 环境保护税免征 | environmental tax exemption | [`TaxIncentiveKind::EnvironmentalTaxExemption`] |
//! | 企业所得税减计收入 | income tax reduction | [`TaxIncentiveKind::IncomeTaxReduction`] |
//! | 申报 / 审核通过 / 不予通过 / 追回 | claim / approve / reject / recover | [`enterprise`] |
//! | 示范基地 / 园区 | demonstration base | [`base`] |
//! | 工业资源综合利用基地 | industrial resource comprehensive utilization base | [`BaseKind::IndustrialResourceUtilizationBase`] |
//! | 大宗固体废物综合利用基地 | bulk solid waste comprehensive utilization base | [`BaseKind::BulkSolidWasteUtilizationBase`] |
//! | 赤泥综合利用特色园区 | red mud characteristic park | [`BaseKind::RedMudCharacteristicPark`] |
//! | 无废园区 / 无废城市 | zero-waste park / zero-waste city | [`BaseKind::ZeroWastePark`], [`BaseKind::ZeroWasteCity`] |
//! | 认定 / 撤销（基地） | designate / revoke (a base) | [`base::BaseCommand`] |
//! | 成员企业（入园 / 迁出） | member enterprise (add / remove) | [`base::BaseCommand::AddMember`] |
//! | 关联项目 | linked project (link / unlink) | [`base::BaseCommand::LinkProject`] |
//! | 年度目标（基地） | yearly targets (`BaseTargets`) | [`BaseTargets`] |
//! | 多固废协同利用 | co-utilization (`…_co_utilized`) | [`BaseTargets`] |
//! | 磷石膏 / 脱硫石膏 / 粉煤灰 | phosphogypsum / desulfurization gypsum / fly ash | [`BaseTargets`] |
//! | 评估（优秀 / 良好 / 合格 / 不合格） | evaluation (excellent / good / qualified / unqualified) | [`EvaluationResult`] |
//! | 年度目标任务 | regional plan, targets (`RegionalTargets`) | [`regional_plan`] |
//! | 目标调整 | target revision (`ReviseTargets`) | [`regional_plan`] |
//! | 新增综合利用能力 | new capacity (`new_capacity_per_year`) | [`regional_plan::RegionalTargets`] |
//! | 产业化示范工程 | demonstration project | [`regional_plan::RegionalTargets`] |
//! | 定期报送 / 退回修改 / 审核通过 | submit report / return / accept | [`regional_plan`] |
//! | 工作开展情况 | report summary | [`regional_plan::RegionalPlanCommand::SubmitReport`] |
//! | 省工业和信息化厅 | provincial Department of Industry and IT (accepts reports) | [`regional_plan`] |
//! | 国家目标（2027年15%、2030年25%） | goal line, milestone | [`rules::GoalLine`] |
//! | 项目 | project | [`project`] |
//! | 项目类型 | project kind | [`ProjectKind`] |
//! | 研发攻关 / 揭榜挂帅 | R&D (open competition) | [`ProjectKind::ResearchAndDevelopment`] |
//! | 产业化示范工程 | industrialization demonstration project | [`ProjectKind::IndustrializationDemonstration`] |
//! | 综合利用能力建设 | utilization capacity construction | [`ProjectKind::UtilizationCapacity`] |
//! | 源头减量（工艺升级） | source reduction / process upgrade | [`ProjectKind::SourceReduction`] |
//! | 新建、改扩建氧化铝项目 | new or expanded alumina project | [`ProjectKind::NewOrExpandedAlumina`] |
//! | 创新平台 | innovation platform | [`ProjectKind::InnovationPlatform`] |
//! | 标准制修订 | standard (a project kind) | [`ProjectKind::Standard`], [`project::StandardSpec`] |
//! | 团体标准 / 行业标准 / 地方标准 / 国家标准 | group / industry / local / national standard | [`StandardType`] |
//! | 起草单位 | drafting body | [`project::StandardSpec`] |
//! | 产品质量 / 检测 / 应用 / 充填回填技术规程 / 污染防治规范 | product / testing / application / backfill / pollution control (scope) | [`StandardScope`] |
//! | 起草 / 征求意见 / 批准 / 发布 / 撤回 | drafting / consultation / approved / published / withdrawn | [`ProjectStatus`] |
//! | 标准编号 | standard number | [`project::Publication`] |
//! | 保障措施 | safeguard | [`PlanSafeguard`], [`plan`] |
//! | 责任单位（省直部门） | responsible unit (reference data) | [`ResponsibleUnit`], [`plan::PlanItem`] |
//! | 典型案例（推荐 / 撤回） | typical case (recommend / withdraw) | [`typical_case`] |
//! | 项目申报内容 | proposal (`ProjectProposal`) | [`project::ProjectProposal`] |
//! | 牵头企业 | lead enterprise (`lead_enterprise_id`) | [`project::ProjectProposal`] |
//! | 责任单位 | responsible units | [`project::ProjectProposal`] |
//! | 设计产能（吨/年） | planned capacity (`planned_capacity_per_year`) | [`project::ProjectProposal`] |
//! | 总投资 | budget | [`project::ProjectProposal`] |
//! | 申报 / 批复 / 开工 / 建成投产 | propose / approve / start construction / commission capacity | [`project::ProjectCommand`] |
//! | 验收通过 / 验收不通过 | accept / fail acceptance | [`project::ProjectStatus`] |
//! | 暂停 / 恢复 / 终止 | suspend / resume / cancel | [`project::ProjectStatus`] |
//! | 里程碑节点（计划、实际日期，佐证材料） | milestone (`planned_on`, `achieved_on`, `evidence`) | [`project::Milestone`] |
//! | 中期检查 | mid-term check (a milestone a tranche can wait for) | [`TrancheCondition::MilestoneAchieved`] |
//! | 产用挂钩 | matching capacity (owned 自建 / contracted 协议消纳) | [`MatchingCapacity`], [`rules::matching_coverage`] |
//! | 资金下达 / 拨付 / 追回 | award / disburse / recover (funding) | [`project`] |
//! | 资金项目（专项） | programme | [`project::FundingAwarded`] |
//! | 分期拨付、拨付条件 | tranche, tranche condition | [`TrancheTerm`], [`TrancheCondition`] |
//! | 已下达 / 已拨付 / 已追回 / 待拨付 / 净拨付 | awarded / disbursed / recovered / outstanding / net disbursed | [`rules::funding_balances`] |
//! | 批复文号 / 验收意见 | approval document / acceptance opinion (`document`) | [`project::ProjectCommand`] |
//! | 产用挂钩覆盖率、缺口 | matching coverage, shortfall | [`MatchingCoverage`] |
//! | 以奖代补 | award after acceptance (allowed on an accepted project) | [`project`] |
//! | 资金来源 | funding source | [`FundingSource`] |
//! | 中央预算内投资 | central budget investment | [`FundingSource::CentralBudgetInvestment`] |
//! | 中央财政专项资金 | central special funds | [`FundingSource::CentralSpecialFunds`] |
//! | 超长期特别国债 | special treasury bonds | [`FundingSource::SpecialTreasuryBonds`] |
//! | 省级专项资金 | provincial special funds | [`FundingSource::ProvincialSpecialFunds`] |
//! | 市县财政资金 | municipal funds | [`FundingSource::MunicipalFunds`] |
//! | 产业投资基金（黔晟国资） | investment fund | [`FundingSource::InvestmentFund`] |
//! | 国家级 / 省级 | national / provincial level | [`DesignationLevel`] |
//! | 年 / 季度 / 月 | year / quarter / month (period) | [`Period`] |
//! | 吨 / 千克 | tonne / kilogram | [`Kg`] |
//! | 元 / 分 | yuan / fen | [`Fen`] |
//! | 更正 | correction (references what it corrects, carries a reason) | [`enterprise`] |
//! | 账号 / 登录名 | account / username | [`account`], [`Username`] |
//! | 角色 | role | [`Role`] |
//! | 省级主管部门（省工业和信息化厅） | provincial officer | [`Role::Province`] |
//! | 市县主管部门（经办人） | regional bureau (clerk), bound to one prefecture or county | [`Role::Bureau`] |
//! | 财政 / 发改 / 税务 | finance officer | [`Role::Finance`] |
//! | 审计 | auditor | [`Role::Auditor`] |
//! | 系统管理员 | administrator | [`Role::Admin`] |
//! | 开通 / 停用 / 启用账号 | create / disable / enable (an account) | [`account::AccountCommand`] |
//! | 所属单位 | organisation | [`account::AccountCommand::CreateAccount`] |
//! | 修改密码（只记录时间） | password change (recorded as a date only) | [`account::AccountPasswordChanged`] |
//!
//! ## Modules
//! - [`aggregate`]: the [`Aggregate`] / [`DomainEvent`] contract, [`replay`], [`fold`],
//!   [`execute`], stream names, and the `domain_events!` macro every aggregate's event enum uses.
//! - [`values`]: value types and enumerations.
//! - [`ledger`]: one period's red mud ledger, its balance identity and the stock roll-forward.
//! - [`rules`]: utilization rates, the goal line, tax incentive ceilings, funding balances and
//!   tranche splits, 产用挂钩 coverage.
//! - [`enterprise`]: the Enterprise aggregate (stream category `enterprise`).
//! - [`project`]: the Project aggregate with its milestones and funding (stream category
//!   `project`).
//! - [`base`]: the Demonstration base aggregate (stream category `base`).
//! - [`regional_plan`]: the Regional plan aggregate (stream category `regional_plan`).
//! - [`account`]: the Account aggregate, a user and their role (stream category `account`).
//!
//! - `schema` (feature `schema`, off by default): JSON Schemas of everything above.
//!
//! ## JSON
//!
//! Commands are tagged by `"command"`, events by `"type"` (with `"payload"`), both with the
//! field names of their Rust variants. Aggregate states serialize too, so a server can keep a JSON
//! view of a state and the wasm client decode it with the same types: map keys are text
//! (periods `"2026-Q1"`, years `"2026"`, ids, codes), masses and money integers (kg, fen), never a
//! float. Every error enum serializes adjacently tagged, `{"rule": "<Variant>", "values": {…}}`
//! (a wrapped error nests the same way, a rule without values has no `"values"`), and implements
//! [`DomainError`] (`rule()`, `RULES`). With the `schema` feature, every command, event, state,
//! error and value type implements `schemars::JsonSchema` (JSON Schema 2020-12, the dialect of
//! OpenAPI 3.1), and `schema::openapi_components()` gives them all as OpenAPI components.
//!
//! Adding an aggregate: a module with its payload structs (each `impl EventPayload`), a
//! `domain_events!` enum, a command enum, an error enum (thiserror, `PartialEq`, serde
//! `Serialize` tagged `rule`/`values`, and an `error_rules!` line) and the state implementing
//! [`Aggregate`] (serde both ways); each type also gets
//! `#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]`. Then one `pub mod` line below,
//! its re-exports and its types in `schema::openapi_components`. Its category
//! (the same literal in `domain_events!` and `Aggregate::CATEGORY`) matches
//! `[a-z][a-z0-9_]{0,63}` — never a `-`, since the event store reads a stream's category as
//! everything before its first `-` ([`is_valid_category`]); add the aggregate to the category
//! test at the bottom of this file. Tests live in `<module>/tests.rs`: given/when/then for every
//! command and rule, a random command generator with property tests (deterministic apply,
//! round-trip without floats, the state's JSON round-trip, the aggregate's invariants), a check
//! that the generator reaches every event type, and (feature `schema`) a run of the generator
//! through `schema::tests::check_aggregate`.

#![forbid(unsafe_code)]

pub mod account;
pub mod aggregate;
pub mod base;
pub mod csv;
pub mod enterprise;
pub mod ledger;
pub mod plan;
pub mod project;
pub mod regional_plan;
pub mod rules;
#[cfg(feature = "schema")]
pub mod schema;
pub mod typical_case;
pub mod values;

#[cfg(test)]
mod testing;

pub use account::{
    Account, AccountCommand, AccountError, AccountEvent, AccountStatus, check_role_region,
};
pub use aggregate::{
    Aggregate, BlankReason, DecodeError, DomainError, DomainEvent, EventPayload, execute, fold,
    is_valid_category, parse_stream_name, replay, require_reason, stream_name,
};
pub use base::{
    Base, BaseCommand, BaseError, BaseEvent, BaseStatus, BaseTargets, EvaluationResult,
};
pub use enterprise::{
    Enterprise, EnterpriseCommand, EnterpriseError, EnterpriseEvent, EnterpriseStatus,
};
pub use ledger::{LedgerError, LedgerFigures, RouteAmounts, StockLine};
pub use project::{
    MatchingCapacity, Project, ProjectCommand, ProjectError, ProjectEvent, ProjectProposal,
    ProjectStatus, Publication, StandardSpec, TrancheCondition, TrancheTerm,
};
pub use regional_plan::{
    PlanStatus, RegionalPlan, RegionalPlanCommand, RegionalPlanError, RegionalPlanEvent,
    ReportStatus,
};
pub use rules::{FundingBalances, GoalLine, MatchingCoverage, RateFormula};
pub use typical_case::TypicalCase;
pub use values::*;

/// Dates in commands and events.
pub use chrono::NaiveDate;
/// Aggregate, claim and audit identifiers.
pub use uuid::Uuid;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_error_serializes;
    use serde_json::json;

    fn kg(v: u64) -> Kg {
        Kg::new(v).expect("small")
    }

    /// Errors serialize as `{"rule": <variant>, "values": {…}}`, nested errors likewise, a rule
    /// without values as `{"rule": …}` alone; values use the canonical forms (codes, periods,
    /// dates, integer kilograms and fen).
    #[test]
    fn errors_serialize_as_rule_and_values() {
        let cases: Vec<(serde_json::Value, serde_json::Value)> = vec![
            (
                assert_error_serializes(&RegionalPlanError::InvalidTransition {
                    state: PlanStatus::Closed,
                    command: "SubmitReport",
                }),
                json!({"rule": "InvalidTransition",
                       "values": {"state": "closed", "command": "SubmitReport"}}),
            ),
            (
                assert_error_serializes(&RegionalPlanError::BlankSummary),
                json!({"rule": "BlankSummary"}),
            ),
            (
                assert_error_serializes(&EnterpriseError::from(BlankReason {
                    command: "CorrectLedger",
                })),
                json!({"rule": "BlankReason", "values": {"command": "CorrectLedger"}}),
            ),
            (
                assert_error_serializes(&EnterpriseError::PeriodNotEnded {
                    period: "2026-Q1".parse().expect("period"),
                    today: NaiveDate::from_ymd_opt(2026, 3, 31).expect("date"),
                }),
                json!({"rule": "PeriodNotEnded",
                       "values": {"period": "2026-Q1", "today": "2026-03-31"}}),
            ),
            (
                assert_error_serializes(&EnterpriseError::RequiresAluminaRefinery {
                    command: "RecordLedger",
                    kinds: [EnterpriseKind::DownstreamUser(DownstreamSector::Cement)].into(),
                }),
                json!({"rule": "RequiresAluminaRefinery",
                       "values": {"command": "RecordLedger", "kinds": ["downstream_user:cement"]}}),
            ),
            (
                assert_error_serializes(&RegionalPlanError::from(LedgerError::Unbalanced {
                    generated: kg(1_000),
                    utilized_from_new: kg(100),
                    disposed_from_new: kg(0),
                    stored_new: kg(1),
                })),
                json!({"rule": "Ledger", "values": {"rule": "Unbalanced", "values": {
                    "generated": 1000, "utilized_from_new": 100,
                    "disposed_from_new": 0, "stored_new": 1}}}),
            ),
            (
                assert_error_serializes(&ProjectError::from(MoneyError::Overflow {
                    left: Fen::MAX,
                    right: Fen::new(1).expect("small"),
                })),
                json!({"rule": "Money", "values": {"rule": "Overflow",
                       "values": {"left": 9_007_199_254_740_991u64, "right": 1}}}),
            ),
            (
                assert_error_serializes(&BaseError::RegionNotWithinPrefecture {
                    region: Region::Province,
                }),
                json!({"rule": "RegionNotWithinPrefecture", "values": {"region": "520000"}}),
            ),
            (
                assert_error_serializes(&UsccError::InvalidCharacter {
                    position: 17,
                    found: 'x',
                }),
                json!({"rule": "InvalidCharacter", "values": {"position": 17, "found": "x"}}),
            ),
            (
                assert_error_serializes(&MassError::ExceedsMaximum {
                    kg: u128::from(u64::MAX) * 1000,
                }),
                json!({"rule": "ExceedsMaximum",
                       "values": {"kg": "18446744073709551615000"}}),
            ),
        ];
        for (got, expected) in cases {
            assert_eq!(got, expected);
        }
        assert_eq!(
            ProjectError::ZeroBudget.to_string(),
            "a project's budget must be non-zero"
        );
        assert_eq!(ProjectError::ZeroBudget.rule(), "ZeroBudget");
        assert!(ProjectError::RULES.contains(&"TrancheConditionNotMet"));
        assert_eq!(
            LedgerError::RULES,
            [
                "Unbalanced",
                "StockWouldGoNegative",
                "DuplicateRoute",
                "Mass"
            ]
        );
    }

    /// Every aggregate's category is valid for the store, distinct, and its stream names parse
    /// back to it; each event enum decodes under its own category.
    #[test]
    fn every_aggregate_has_a_store_valid_category() {
        fn check<A: Aggregate>() -> &'static str {
            assert!(is_valid_category(A::CATEGORY), "{}", A::CATEGORY);
            let id = Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_00ff);
            let stream = stream_name::<A>(id);
            assert_eq!(parse_stream_name(&stream), Some((A::CATEGORY, id)));
            match A::Event::from_payload("NoSuchEvent", serde_json::json!({})) {
                Err(DecodeError::UnknownEventType { category, .. }) => {
                    assert_eq!(category, A::CATEGORY)
                }
                other => panic!("expected UnknownEventType, got {other:?}"),
            }
            A::CATEGORY
        }
        let categories = [
            check::<Enterprise>(),
            check::<RegionalPlan>(),
            check::<Project>(),
            check::<Base>(),
            check::<Account>(),
        ];
        assert_eq!(
            categories,
            ["enterprise", "regional_plan", "project", "base", "account"]
        );
        let distinct: std::collections::BTreeSet<_> = categories.iter().collect();
        assert_eq!(distinct.len(), categories.len());
    }
}
