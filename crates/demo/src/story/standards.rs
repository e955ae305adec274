//! Standards (标准制修订) and typical cases (典型案例), after the plan's task (三) — group standards
//! for red mud products, testing and application, the pilot technical rule for backfill
//! (充填回填试点示范技术规程) and pollution-control specifications — and safeguard (四), typical
//! cases recommended and publicised.
//!
//! Four standards in different states: a group standard for building materials published, the
//! backfill rule in consultation, a pollution-control specification approved and awaiting
//! publication, a road-base application group standard withdrawn. The province recommends the
//! flagship building materials project and its enterprise as typical cases, and withdraws the
//! recommendation of the backfill demonstration after its failed acceptance.

use chrono::NaiveDate;
use redmud_domain::{
    EnterpriseCommand, Fen, FundingSource, Kg, PlanTask, ProjectCommand, ProjectKind,
    ProjectProposal, StandardScope, StandardSpec, StandardType, TrancheCondition, TrancheTerm,
    UtilizationRoute as R, Uuid,
};

use super::{FINANCE, GUIYANG, PROVINCE, ZUNYI, region};
use crate::DemoDataError;
use crate::assemble::{Story, day, yuan};
use crate::ids::{award, enterprise as e, milestone, project as p};

/// One standard as proposed.
struct Std {
    no: u8,
    id: Uuid,
    actor: &'static str,
    name: &'static str,
    lead: Uuid,
    region: u32,
    routes: &'static [R],
    budget: Fen,
    units: &'static [&'static str],
    standard_type: StandardType,
    drafting_body: &'static str,
    scope: StandardScope,
    planned_start: NaiveDate,
    planned_end: NaiveDate,
}

fn propose(s: &mut Story, std: &Std, on: NaiveDate) -> Result<(), DemoDataError> {
    let proposal = ProjectProposal {
        name: std.name.to_owned(),
        kind: ProjectKind::Standard,
        task: PlanTask::UtilizationScale,
        lead_enterprise_id: std.lead,
        region: region(std.region)?,
        routes: std.routes.iter().copied().collect(),
        planned_capacity_per_year: Kg::ZERO,
        budget: std.budget,
        responsible_units: std.units.iter().map(|u| (*u).to_owned()).collect(),
        planned_start: std.planned_start,
        planned_end: std.planned_end,
        matching_capacity: None,
        standard: Some(StandardSpec {
            standard_type: std.standard_type,
            drafting_body: std.drafting_body.to_owned(),
            scope: std.scope,
        }),
    };
    s.project(
        std.actor,
        std.id,
        ProjectCommand::ProposeProject {
            project_id: std.id,
            proposal,
            proposed_on: on,
        },
    );
    Ok(())
}

pub(super) fn tell(s: &mut Story) -> Result<(), DemoDataError> {
    building_materials_group_standard(s)?;
    backfill_rule(s)?;
    pollution_control_specification(s)?;
    road_base_group_standard(s)?;
    typical_cases(s);
    Ok(())
}

/// Published: the group standard for red mud building materials (product quality and testing),
/// with a provincial grant paid after approval.
fn building_materials_group_standard(s: &mut Story) -> Result<(), DemoDataError> {
    let std = Std {
        no: 0x14,
        id: p::STANDARD_BUILDING_MATERIALS,
        actor: GUIYANG,
        name: "团体标准《赤泥基蒸压加气混凝土砌块产品质量及检测方法》",
        lead: e::QINGZHEN_BUILDING_MATERIALS,
        region: 520181,
        routes: &[R::BuildingMaterials],
        budget: yuan!(600_000),
        units: &["省工业和信息化厅", "省市场监管局", "省住房和城乡建设厅"],
        standard_type: StandardType::Group,
        drafting_body: "贵州省建筑材料工业协会",
        scope: StandardScope::Product,
        planned_start: day!(2025, 5, 1),
        planned_end: day!(2026, 3, 31),
    };
    propose(s, &std, day!(2025, 4, 20))?;
    s.project_on(
        day!(2025, 4, 20),
        GUIYANG,
        std.id,
        ProjectCommand::PlanMilestone {
            milestone_id: milestone(std.no, 1),
            name: "征求意见稿".to_owned(),
            planned_on: day!(2025, 9, 30),
        },
    );
    s.project(
        FINANCE,
        std.id,
        ProjectCommand::AwardFunding {
            award_id: award(std.no, 1),
            source: FundingSource::ProvincialSpecialFunds,
            programme: "2025年省级工业和信息化发展专项资金（标准化）".to_owned(),
            amount: yuan!(300_000),
            tranches: vec![TrancheTerm {
                condition: TrancheCondition::Approval,
                amount: yuan!(300_000),
            }],
            awarded_on: day!(2025, 6, 10),
        },
    );
    s.project(
        GUIYANG,
        std.id,
        ProjectCommand::AchieveMilestone {
            milestone_id: milestone(std.no, 1),
            achieved_on: day!(2025, 9, 26),
            evidence: "征求意见稿及编制说明".to_owned(),
        },
    );
    s.project(
        GUIYANG,
        std.id,
        ProjectCommand::OpenConsultation {
            opened_on: day!(2025, 10, 8),
        },
    );
    s.project(
        PROVINCE,
        std.id,
        ProjectCommand::ApproveStandard {
            approved_on: day!(2026, 1, 12),
            document: "黔建材协〔2026〕3号".to_owned(),
        },
    );
    s.project(
        FINANCE,
        std.id,
        ProjectCommand::DisburseTranche {
            award_id: award(std.no, 1),
            tranche: 1,
            disbursed_on: day!(2026, 1, 28),
        },
    );
    s.project(
        PROVINCE,
        std.id,
        ProjectCommand::PublishStandard {
            published_on: day!(2026, 2, 6),
            number: "T/GZBMA 012—2026".to_owned(),
        },
    );
    Ok(())
}

/// In consultation: the pilot technical rule for mine filling and backfill.
fn backfill_rule(s: &mut Story) -> Result<(), DemoDataError> {
    let std = Std {
        no: 0x15,
        id: p::STANDARD_BACKFILL_RULE,
        actor: ZUNYI,
        name: "赤泥充填回填试点示范技术规程",
        lead: e::WUCHUAN_ALUMINA,
        region: 520326,
        routes: &[R::MineBackfill],
        budget: yuan!(900_000),
        units: &["省工业和信息化厅", "省自然资源厅", "省生态环境厅"],
        standard_type: StandardType::Local,
        drafting_body: "贵州大学矿业学院",
        scope: StandardScope::Backfill,
        planned_start: day!(2025, 9, 1),
        planned_end: day!(2026, 12, 31),
    };
    propose(s, &std, day!(2025, 8, 18))?;
    s.project_on(
        day!(2025, 8, 18),
        ZUNYI,
        std.id,
        ProjectCommand::PlanMilestone {
            milestone_id: milestone(std.no, 1),
            name: "送审稿".to_owned(),
            planned_on: day!(2026, 11, 15),
        },
    );
    s.project(
        ZUNYI,
        std.id,
        ProjectCommand::OpenConsultation {
            opened_on: day!(2026, 9, 1),
        },
    );
    Ok(())
}

/// Approved, awaiting publication: the red mud yard pollution control specification.
fn pollution_control_specification(s: &mut Story) -> Result<(), DemoDataError> {
    let std = Std {
        no: 0x16,
        id: p::STANDARD_POLLUTION_CONTROL,
        actor: GUIYANG,
        name: "赤泥堆场污染防治技术规范",
        lead: e::QINGZHEN_ALUMINA,
        region: 520181,
        routes: &[],
        budget: yuan!(1_200_000),
        units: &["省生态环境厅", "省工业和信息化厅", "省市场监管局"],
        standard_type: StandardType::Local,
        drafting_body: "贵州省环境科学研究设计院",
        scope: StandardScope::PollutionControl,
        planned_start: day!(2025, 6, 1),
        planned_end: day!(2026, 10, 31),
    };
    propose(s, &std, day!(2025, 5, 16))?;
    s.project(
        GUIYANG,
        std.id,
        ProjectCommand::OpenConsultation {
            opened_on: day!(2026, 3, 2),
        },
    );
    s.project(
        PROVINCE,
        std.id,
        ProjectCommand::ApproveStandard {
            approved_on: day!(2026, 10, 20),
            document: "黔市监标〔2026〕41号".to_owned(),
        },
    );
    Ok(())
}

/// Withdrawn: a road-base application group standard overtaken by an industry standard.
fn road_base_group_standard(s: &mut Story) -> Result<(), DemoDataError> {
    let std = Std {
        no: 0x17,
        id: p::STANDARD_ROAD_BASE_APPLICATION,
        actor: ZUNYI,
        name: "团体标准《赤泥道路基层材料应用技术规程》",
        lead: e::BOZHOU_ROAD_MATERIALS,
        region: 520304,
        routes: &[R::RoadBase],
        budget: yuan!(400_000),
        units: &["省工业和信息化厅", "省住房和城乡建设厅"],
        standard_type: StandardType::Group,
        drafting_body: "贵州省公路学会",
        scope: StandardScope::Application,
        planned_start: day!(2025, 7, 1),
        planned_end: day!(2026, 6, 30),
    };
    propose(s, &std, day!(2025, 6, 12))?;
    s.project(
        PROVINCE,
        std.id,
        ProjectCommand::WithdrawStandard {
            withdrawn_on: day!(2026, 4, 8),
            reason: "同类行业标准已立项，本团体标准撤回并入".to_owned(),
        },
    );
    Ok(())
}

/// Typical cases: the flagship project and its enterprise; the backfill demonstration's
/// recommendation withdrawn after its failed acceptance.
fn typical_cases(s: &mut Story) {
    s.project(
        PROVINCE,
        p::QINGZHEN_BUILDING_MATERIALS_DEMO,
        ProjectCommand::RecommendTypicalCase {
            recommended_on: day!(2026, 9, 15),
            summary: "50万吨/年赤泥基新型建材规模化消纳，产品进入省内保障性住房项目".to_owned(),
        },
    );
    s.enterprise(
        PROVINCE,
        e::QINGZHEN_BUILDING_MATERIALS,
        EnterpriseCommand::RecommendTypicalCase {
            recommended_on: day!(2026, 9, 15),
            summary: "赤泥建材全链条利用，入选省级赤泥综合利用典型案例".to_owned(),
        },
    );
    s.project(
        PROVINCE,
        p::WUCHUAN_BACKFILL_DEMO,
        ProjectCommand::RecommendTypicalCase {
            recommended_on: day!(2026, 4, 20),
            summary: "赤泥基胶结充填材料井下充填回填应用场景示范".to_owned(),
        },
    );
    s.project(
        PROVINCE,
        p::WUCHUAN_BACKFILL_DEMO,
        ProjectCommand::WithdrawTypicalCase {
            withdrawn_on: day!(2026, 8, 25),
            reason: "项目验收不通过".to_owned(),
        },
    );
}
