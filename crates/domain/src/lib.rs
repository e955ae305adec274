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
//! | 年度目标任务 | regional plan, targets | [`regional_plan`] |
//! | 目标调整 | target revision | [`regional_plan`] |
//! | 定期报送 / 退回修改 / 审核通过 | submit report / return / accept | [`regional_plan`] |
//! | 资金来源 | funding source | [`FundingSource`] |
//! | 中央预算内投资 | central budget investment | [`FundingSource::CentralBudgetInvestment`] |
//! | 国家级 / 省级 | national / provincial level | [`DesignationLevel`] |
//! | 年 / 季度 / 月 | year / quarter / month (period) | [`Period`] |
//! | 吨 / 千克 | tonne / kilogram | [`Kg`] |
//! | 元 / 分 | yuan / fen | [`Fen`] |
//! | 更正 | correction (references what it corrects, carries a reason) | [`enterprise`] |
//!
//! ## Modules
//! - [`aggregate`]: the [`Aggregate`] / [`DomainEvent`] contract, [`replay`], [`fold`].
//! - [`values`]: value types and enumerations.

#![forbid(unsafe_code)]

pub mod aggregate;
pub mod enterprise;
pub mod ledger;
pub mod regional_plan;
pub mod rules;
pub mod values;

#[cfg(test)]
mod testing;

pub use aggregate::{
    Aggregate, BlankReason, DecodeError, DomainEvent, EventPayload, execute, fold,
    parse_stream_name, replay, require_reason, stream_name,
};
pub use values::*;
