//! Projects (项目): one of every kind, reaching every status, with milestones (some overdue on
//! 2026-11-28), funding awards from several sources paid in tranches (30 % at the start of
//! construction, 40 % after the mid-term check, 30 % after acceptance for the central budget
//! investment, which covers about 20 % of the investment), and one recovery.
//!
//! Bureaus propose, start construction, log milestones and commission capacity in their region;
//! the province approves, suspends, resumes, cancels, accepts or fails acceptance; finance
//! awards, disburses and recovers.

use chrono::NaiveDate;
use redmud_domain::{
    BasisPoints, Fen, FundingSource as F, Kg, MatchingCapacity, PlanTask, ProjectCommand,
    ProjectKind as K, ProjectProposal, TrancheCondition, TrancheTerm, UtilizationRoute as R, Uuid,
    rules,
};

use super::{FINANCE, GUIYANG, PROVINCE, QIANDONGNAN, ZUNYI, region};
use crate::DemoDataError;
use crate::assemble::{Story, day, t, yuan};
use crate::ids::{award, enterprise as e, milestone, project as p};

/// What a project states when proposed.
struct Spec {
    no: u8,
    id: Uuid,
    actor: &'static str,
    name: &'static str,
    kind: K,
    task: PlanTask,
    lead: Uuid,
    region: u32,
    routes: &'static [R],
    capacity: Kg,
    budget: Fen,
    units: &'static [&'static str],
    planned_start: NaiveDate,
    planned_end: NaiveDate,
    matching: Option<MatchingCapacity>,
}

/// A tranche: share in basis points and condition.
enum When {
    Approval,
    Started,
    Milestone(u8),
    Commissioned,
    Accepted,
}

/// One project's story, told through its bureau, the province and finance.
struct Pj<'a> {
    s: &'a mut Story,
    no: u8,
    id: Uuid,
    actor: &'static str,
}

impl<'a> Pj<'a> {
    /// Propose the project on `on` and plan its milestones `(k, name, planned date)` the same day.
    fn propose(
        s: &'a mut Story,
        spec: Spec,
        on: NaiveDate,
        milestones: &[(u8, &str, NaiveDate)],
    ) -> Result<Self, DemoDataError> {
        let proposal = ProjectProposal {
            name: spec.name.to_owned(),
            kind: spec.kind,
            task: spec.task,
            lead_enterprise_id: spec.lead,
            region: region(spec.region)?,
            routes: spec.routes.iter().copied().collect(),
            planned_capacity_per_year: spec.capacity,
            budget: spec.budget,
            responsible_units: spec.units.iter().map(|u| (*u).to_owned()).collect(),
            planned_start: spec.planned_start,
            planned_end: spec.planned_end,
            matching_capacity: spec.matching,
            standard: None,
        };
        s.project(
            spec.actor,
            spec.id,
            ProjectCommand::ProposeProject {
                project_id: spec.id,
                proposal,
                proposed_on: on,
            },
        );
        let mut project = Pj {
            s,
            no: spec.no,
            id: spec.id,
            actor: spec.actor,
        };
        for &(k, name, planned_on) in milestones {
            project.plan_milestone(on, k, name, planned_on);
        }
        Ok(project)
    }

    fn plan_milestone(&mut self, on: NaiveDate, k: u8, name: &str, planned_on: NaiveDate) {
        let command = ProjectCommand::PlanMilestone {
            milestone_id: milestone(self.no, k),
            name: name.to_owned(),
            planned_on,
        };
        self.s.project_on(on, self.actor, self.id, command);
    }

    fn by(&mut self, actor: &'static str, command: ProjectCommand) {
        self.s.project(actor, self.id, command);
    }

    fn approve(&mut self, on: NaiveDate, document: &str) {
        self.by(
            PROVINCE,
            ProjectCommand::ApproveProject {
                approved_on: on,
                document: document.to_owned(),
            },
        );
    }

    fn start(&mut self, on: NaiveDate) {
        self.by(
            self.actor,
            ProjectCommand::StartConstruction { started_on: on },
        );
    }

    fn achieve(&mut self, k: u8, on: NaiveDate, evidence: &str) {
        self.by(
            self.actor,
            ProjectCommand::AchieveMilestone {
                milestone_id: milestone(self.no, k),
                achieved_on: on,
                evidence: evidence.to_owned(),
            },
        );
    }

    fn commission(&mut self, capacity: Kg, on: NaiveDate) {
        self.by(
            self.actor,
            ProjectCommand::CommissionCapacity {
                capacity_per_year: capacity,
                commissioned_on: on,
            },
        );
    }

    fn accept(&mut self, on: NaiveDate, document: &str) {
        self.by(
            PROVINCE,
            ProjectCommand::AcceptProject {
                accepted_on: on,
                document: document.to_owned(),
            },
        );
    }

    /// Award `amount` split into tranches by `(share in basis points, condition)`; the amounts
    /// come from [`rules::tranche_amounts`] (rounded down, the remainder on the last tranche).
    fn award(
        &mut self,
        k: u8,
        source: F,
        programme: &str,
        amount: Fen,
        tranches: &[(u16, When)],
        on: NaiveDate,
    ) -> Result<(), DemoDataError> {
        let shares = tranches
            .iter()
            .map(|(bp, _)| BasisPoints::new(*bp))
            .collect::<Result<Vec<_>, _>>()?;
        let amounts = rules::tranche_amounts(amount, &shares)?;
        let tranches = tranches
            .iter()
            .zip(amounts)
            .map(|((_, when), amount)| TrancheTerm {
                condition: match when {
                    When::Approval => TrancheCondition::Approval,
                    When::Started => TrancheCondition::ConstructionStarted,
                    When::Milestone(m) => TrancheCondition::MilestoneAchieved {
                        milestone_id: milestone(self.no, *m),
                    },
                    When::Commissioned => TrancheCondition::Commissioned,
                    When::Accepted => TrancheCondition::Accepted,
                },
                amount,
            })
            .collect();
        self.by(
            FINANCE,
            ProjectCommand::AwardFunding {
                award_id: award(self.no, k),
                source,
                programme: programme.to_owned(),
                amount,
                tranches,
                awarded_on: on,
            },
        );
        Ok(())
    }

    /// The central budget investment's usual 30 / 40 / 30 split: start of construction,
    /// mid-term check (milestone `mid_term`), acceptance.
    fn central_budget(
        &mut self,
        k: u8,
        programme: &str,
        amount: Fen,
        mid_term: u8,
        on: NaiveDate,
    ) -> Result<(), DemoDataError> {
        self.award(
            k,
            F::CentralBudgetInvestment,
            programme,
            amount,
            &[
                (3_000, When::Started),
                (4_000, When::Milestone(mid_term)),
                (3_000, When::Accepted),
            ],
            on,
        )
    }

    fn disburse(&mut self, k: u8, tranche: u32, on: NaiveDate) {
        self.by(
            FINANCE,
            ProjectCommand::DisburseTranche {
                award_id: award(self.no, k),
                tranche,
                disbursed_on: on,
            },
        );
    }
}

const CENTRAL_2025: &str = "2025年中央预算内投资（节能减碳和资源循环利用专项）";
const PROVINCIAL_2025: &str = "2025年省级工业和信息化发展专项资金（工业固废综合利用）";

pub(super) fn tell(s: &mut Story) -> Result<(), DemoDataError> {
    qingzhen_building_materials(s)?;
    qingzhen_dealkalization(s)?;
    xifeng_cement_line(s)?;
    wuchuan_backfill(s)?;
    daozhen_scandium_gallium(s)?;
    bozhou_road_base(s)?;
    wuchuan_expansion(s)?;
    innovation_centre(s)?;
    kaili_soilification(s)?;
    kaili_coagulant(s)?;
    xiuwen_graded_storage(s)?;
    kaili_bricks(s)?;
    wuchuan_dealkalization_rd(s)
}

/// Accepted: the flagship 50万吨/年 building materials line, funded from four sources.
fn qingzhen_building_materials(s: &mut Story) -> Result<(), DemoDataError> {
    let spec = Spec {
        no: 0x01,
        id: p::QINGZHEN_BUILDING_MATERIALS_DEMO,
        actor: GUIYANG,
        name: "清镇50万吨/年赤泥基新型建材产业化示范工程",
        kind: K::IndustrializationDemonstration,
        task: PlanTask::UtilizationScale,
        lead: e::QINGZHEN_BUILDING_MATERIALS,
        region: 520181,
        routes: &[R::BuildingMaterials],
        capacity: t!(500_000),
        budget: yuan!(420_000_000),
        units: &[
            "省工业和信息化厅",
            "省发展改革委",
            "贵阳市人民政府",
            "清镇市人民政府",
        ],
        planned_start: day!(2025, 4, 1),
        planned_end: day!(2026, 6, 30),
        matching: None,
    };
    let mut pj = Pj::propose(
        s,
        spec,
        day!(2025, 2, 18),
        &[
            (1, "主体厂房封顶", day!(2025, 9, 30)),
            (2, "中期检查", day!(2025, 11, 30)),
            (3, "设备安装调试完成", day!(2026, 3, 31)),
        ],
    )?;
    pj.approve(day!(2025, 3, 20), "黔工信投资〔2025〕18号");
    pj.central_budget(1, CENTRAL_2025, yuan!(84_000_000), 2, day!(2025, 4, 10))?;
    pj.start(day!(2025, 4, 15));
    pj.disburse(1, 1, day!(2025, 4, 28));
    pj.award(
        2,
        F::MunicipalFunds,
        "贵阳市2025年工业发展专项资金",
        yuan!(10_000_000),
        &[(10_000, When::Started)],
        day!(2025, 5, 15),
    )?;
    pj.disburse(2, 1, day!(2025, 5, 30));
    pj.award(
        3,
        F::ProvincialSpecialFunds,
        PROVINCIAL_2025,
        yuan!(20_000_000),
        &[(5_000, When::Approval), (5_000, When::Commissioned)],
        day!(2025, 6, 10),
    )?;
    pj.disburse(3, 1, day!(2025, 6, 20));
    pj.award(
        4,
        F::InvestmentFund,
        "贵州省新型工业化发展基金（黔晟国资）股权投资",
        yuan!(30_000_000),
        &[(10_000, When::Approval)],
        day!(2025, 6, 25),
    )?;
    pj.disburse(4, 1, day!(2025, 7, 8));
    pj.achieve(
        1,
        day!(2025, 9, 26),
        "主体结构验收记录（清镇市住建局备案号QZJ-2025-0931）",
    );
    pj.achieve(
        2,
        day!(2025, 11, 25),
        "省工信厅中期检查意见（黔工信节函〔2025〕112号）",
    );
    pj.disburse(1, 2, day!(2025, 12, 10));
    pj.achieve(3, day!(2026, 3, 25), "设备单机及联动试车记录、监理报告");
    pj.commission(t!(500_000), day!(2026, 4, 8));
    pj.disburse(3, 2, day!(2026, 4, 20));
    pj.accept(
        day!(2026, 9, 15),
        "黔工信验〔2026〕9号（竣工验收意见：通过）",
    );
    pj.disburse(1, 3, day!(2026, 10, 12));
    Ok(())
}

/// In operation, awaiting acceptance: online dealkalization and non-thermal drying (task 二).
fn qingzhen_dealkalization(s: &mut Story) -> Result<(), DemoDataError> {
    let spec = Spec {
        no: 0x02,
        id: p::QINGZHEN_DEALKALIZATION,
        actor: GUIYANG,
        name: "清镇氧化铝赤泥在线降碱及无热干化技术改造项目",
        kind: K::SourceReduction,
        task: PlanTask::Usability,
        lead: e::QINGZHEN_ALUMINA,
        region: 520181,
        routes: &[],
        capacity: Kg::ZERO,
        budget: yuan!(186_000_000),
        units: &["省工业和信息化厅", "省生态环境厅"],
        planned_start: day!(2025, 7, 1),
        planned_end: day!(2026, 10, 31),
        matching: None,
    };
    let mut pj = Pj::propose(
        s,
        spec,
        day!(2025, 4, 22),
        &[
            (1, "降碱系统单机试车", day!(2025, 12, 31)),
            (2, "中期检查", day!(2026, 1, 31)),
            (3, "系统联动试运行", day!(2026, 5, 31)),
            (4, "竣工验收", day!(2026, 12, 15)),
        ],
    )?;
    pj.approve(day!(2025, 5, 28), "黔工信技改〔2025〕35号");
    pj.start(day!(2025, 7, 1));
    pj.award(
        1,
        F::SpecialTreasuryBonds,
        "2025年超长期特别国债（大规模设备更新）",
        yuan!(37_200_000),
        &[(5_000, When::Started), (5_000, When::Milestone(2))],
        day!(2025, 7, 15),
    )?;
    pj.disburse(1, 1, day!(2025, 7, 30));
    pj.achieve(1, day!(2025, 12, 26), "降碱系统单机试车记录");
    pj.achieve(
        2,
        day!(2026, 1, 28),
        "中期检查意见（黔工信技函〔2026〕6号）",
    );
    pj.disburse(1, 2, day!(2026, 2, 15));
    pj.achieve(
        3,
        day!(2026, 6, 10),
        "联动试运行报告：赤泥附碱降至1.0%以下，含水率降至27%",
    );
    pj.commission(Kg::ZERO, day!(2026, 6, 18));
    Ok(())
}

/// In operation with phase 2 overdue: red mud as a raw material of cement clinker.
fn xifeng_cement_line(s: &mut Story) -> Result<(), DemoDataError> {
    let spec = Spec {
        no: 0x03,
        id: p::XIFENG_CEMENT_LINE,
        actor: GUIYANG,
        name: "息烽30万吨/年赤泥替代水泥熟料原料生产线",
        kind: K::UtilizationCapacity,
        task: PlanTask::UtilizationScale,
        lead: e::XIFENG_CEMENT,
        region: 520122,
        routes: &[R::Cement],
        capacity: t!(300_000),
        budget: yuan!(96_000_000),
        units: &["省工业和信息化厅", "贵阳市人民政府"],
        planned_start: day!(2025, 8, 1),
        planned_end: day!(2026, 10, 31),
        matching: None,
    };
    let mut pj = Pj::propose(
        s,
        spec,
        day!(2025, 5, 20),
        &[
            (1, "中期检查", day!(2025, 12, 20)),
            (2, "一期投产", day!(2026, 3, 31)),
            (3, "二期达产", day!(2026, 10, 31)),
        ],
    )?;
    pj.approve(day!(2025, 7, 2), "黔工信综利〔2025〕27号");
    pj.start(day!(2025, 8, 5));
    pj.central_budget(1, CENTRAL_2025, yuan!(19_200_000), 1, day!(2025, 8, 20))?;
    pj.disburse(1, 1, day!(2025, 9, 2));
    pj.achieve(
        1,
        day!(2025, 12, 18),
        "省工信厅中期检查意见（黔工信综利函〔2025〕88号）",
    );
    pj.disburse(1, 2, day!(2026, 1, 10));
    pj.achieve(
        2,
        day!(2026, 3, 28),
        "一期生产线投产报告及72小时连续运行记录",
    );
    pj.commission(t!(180_000), day!(2026, 3, 30));
    Ok(())
}

/// Acceptance failed, provincial funds partly recovered: underground backfill demonstration.
fn wuchuan_backfill(s: &mut Story) -> Result<(), DemoDataError> {
    let spec = Spec {
        no: 0x04,
        id: p::WUCHUAN_BACKFILL_DEMO,
        actor: ZUNYI,
        name: "务川30万吨/年赤泥基胶结充填材料井下充填回填示范工程",
        kind: K::IndustrializationDemonstration,
        task: PlanTask::UtilizationScale,
        lead: e::WUCHUAN_BACKFILL,
        region: 520326,
        routes: &[R::MineBackfill],
        capacity: t!(300_000),
        budget: yuan!(158_000_000),
        units: &[
            "省工业和信息化厅",
            "省自然资源厅",
            "省生态环境厅",
            "遵义市人民政府",
        ],
        planned_start: day!(2025, 5, 1),
        planned_end: day!(2026, 4, 30),
        matching: None,
    };
    let mut pj = Pj::propose(
        s,
        spec,
        day!(2025, 3, 10),
        &[
            (1, "充填站建成", day!(2025, 9, 30)),
            (2, "中期检查", day!(2025, 10, 31)),
            (3, "工业性充填试验", day!(2026, 2, 28)),
        ],
    )?;
    pj.approve(day!(2025, 4, 8), "黔工信投资〔2025〕23号");
    pj.start(day!(2025, 5, 6));
    pj.central_budget(1, CENTRAL_2025, yuan!(31_600_000), 2, day!(2025, 5, 20))?;
    pj.disburse(1, 1, day!(2025, 6, 5));
    pj.award(
        2,
        F::ProvincialSpecialFunds,
        PROVINCIAL_2025,
        yuan!(8_000_000),
        &[(5_000, When::Started), (5_000, When::Commissioned)],
        day!(2025, 6, 18),
    )?;
    pj.disburse(2, 1, day!(2025, 7, 1));
    pj.achieve(1, day!(2025, 9, 28), "充填站土建及设备安装完工报告");
    pj.achieve(2, day!(2025, 10, 30), "遵义市工科局中期检查意见");
    pj.disburse(1, 2, day!(2025, 11, 20));
    pj.achieve(
        3,
        day!(2026, 2, 26),
        "工业性充填试验报告（采空区充填2.1万立方米）",
    );
    pj.commission(t!(300_000), day!(2026, 3, 15));
    pj.disburse(2, 2, day!(2026, 4, 10));
    pj.by(
        PROVINCE,
        ProjectCommand::FailAcceptance {
            failed_on: day!(2026, 8, 20),
            reason: "竣工验收抽检：充填体28天单轴抗压强度及浸出液pH值未达到赤泥充填回填试点示范技术规程要求，验收不通过"
                .to_owned(),
        },
    );
    pj.by(
        FINANCE,
        ProjectCommand::RecoverFunding {
            award_id: award(0x04, 2),
            amount: yuan!(4_000_000),
            recovered_on: day!(2026, 10, 15),
            reason: "项目验收不通过，依据省级工业和信息化发展专项资金管理办法追回建成投产后拨付的第二期资金"
                .to_owned(),
        },
    );
    Ok(())
}

/// Under construction with its pilot line overdue: 揭榜挂帅 scandium and gallium extraction.
fn daozhen_scandium_gallium(s: &mut Story) -> Result<(), DemoDataError> {
    let spec = Spec {
        no: 0x05,
        id: p::DAOZHEN_SCANDIUM_GALLIUM,
        actor: ZUNYI,
        name: "揭榜挂帅：道真赤泥中钪、镓高效提取中试项目",
        kind: K::ResearchAndDevelopment,
        task: PlanTask::TechnologyInnovation,
        lead: e::DAOZHEN_RARE_METALS,
        region: 520325,
        routes: &[R::ElementExtraction],
        capacity: Kg::ZERO,
        budget: yuan!(45_000_000),
        units: &["省科技厅", "省工业和信息化厅"],
        planned_start: day!(2025, 9, 1),
        planned_end: day!(2026, 12, 31),
        matching: None,
    };
    let mut pj = Pj::propose(
        s,
        spec,
        day!(2025, 6, 16),
        &[
            (1, "小试工艺包", day!(2025, 12, 31)),
            (2, "中期检查", day!(2026, 4, 30)),
            (3, "中试线建成", day!(2026, 9, 30)),
        ],
    )?;
    pj.approve(day!(2025, 8, 12), "黔工信揭榜〔2025〕6号");
    pj.start(day!(2025, 9, 3));
    pj.award(
        1,
        F::ProvincialSpecialFunds,
        "2025年省级揭榜挂帅科技攻关专项资金",
        yuan!(10_000_000),
        &[
            (3_000, When::Started),
            (4_000, When::Milestone(2)),
            (3_000, When::Accepted),
        ],
        day!(2025, 9, 15),
    )?;
    pj.disburse(1, 1, day!(2025, 9, 28));
    pj.achieve(1, day!(2026, 1, 15), "小试报告：钪浸出率82%，镓回收率75%");
    pj.achieve(2, day!(2026, 5, 20), "省工信厅、省科技厅联合中期检查意见");
    pj.disburse(1, 2, day!(2026, 6, 10));
    Ok(())
}

/// Suspended: the 播州 road base line waits for a new environmental approval.
fn bozhou_road_base(s: &mut Story) -> Result<(), DemoDataError> {
    let spec = Spec {
        no: 0x06,
        id: p::BOZHOU_ROAD_BASE_LINE,
        actor: ZUNYI,
        name: "播州40万吨/年赤泥路基材料生产线",
        kind: K::UtilizationCapacity,
        task: PlanTask::UtilizationScale,
        lead: e::BOZHOU_ROAD_MATERIALS,
        region: 520304,
        routes: &[R::RoadBase],
        capacity: t!(400_000),
        budget: yuan!(72_000_000),
        units: &["省工业和信息化厅", "省交通运输厅", "遵义市人民政府"],
        planned_start: day!(2025, 10, 1),
        planned_end: day!(2026, 9, 30),
        matching: None,
    };
    let mut pj = Pj::propose(
        s,
        spec,
        day!(2025, 7, 8),
        &[
            (1, "中期检查", day!(2026, 3, 31)),
            (2, "生产线建成", day!(2026, 6, 30)),
        ],
    )?;
    pj.approve(day!(2025, 9, 10), "黔工信综利〔2025〕41号");
    pj.start(day!(2025, 10, 15));
    pj.award(
        1,
        F::MunicipalFunds,
        "遵义市2025年工业和科技发展专项资金",
        yuan!(6_000_000),
        &[(5_000, When::Started), (5_000, When::Commissioned)],
        day!(2025, 11, 5),
    )?;
    pj.disburse(1, 1, day!(2025, 11, 20));
    pj.achieve(1, day!(2026, 3, 26), "遵义市工科局中期检查意见");
    pj.by(
        PROVINCE,
        ProjectCommand::SuspendProject {
            suspended_on: day!(2026, 5, 12),
            reason: "项目选址涉及生态保护红线调整，环境影响评价文件须重新报批，暂停建设".to_owned(),
        },
    );
    Ok(())
}

/// Approved: an expanded refinery with its matching utilization capacity (产用挂钩): 1.0 Mt/yr
/// of alumina at 1.5 t/t, 0.6 Mt/yr of its own capacity and 0.9 Mt/yr contracted.
fn wuchuan_expansion(s: &mut Story) -> Result<(), DemoDataError> {
    let spec = Spec {
        no: 0x07,
        id: p::WUCHUAN_ALUMINA_EXPANSION,
        actor: ZUNYI,
        name: "务川氧化铝二期100万吨/年扩建项目（配套赤泥综合利用设施）",
        kind: K::NewOrExpandedAlumina,
        task: PlanTask::IndustrialSynergy,
        lead: e::WUCHUAN_ALUMINA,
        region: 520326,
        routes: &[R::MineBackfill, R::BuildingMaterials],
        capacity: t!(600_000),
        budget: yuan!(3_650_000_000),
        units: &[
            "省工业和信息化厅",
            "省发展改革委",
            "省能源局",
            "遵义市人民政府",
        ],
        planned_start: day!(2027, 3, 1),
        planned_end: day!(2029, 6, 30),
        matching: Some(MatchingCapacity {
            expected_red_mud_per_year: t!(1_500_000),
            owned_capacity_per_year: t!(600_000),
            contracted_capacity_per_year: t!(900_000),
        }),
    };
    let mut pj = Pj::propose(
        s,
        spec,
        day!(2026, 6, 18),
        &[
            (1, "开工建设", day!(2027, 3, 1)),
            (2, "配套赤泥综合利用设施同步建成", day!(2029, 6, 30)),
        ],
    )?;
    pj.approve(
        day!(2026, 10, 20),
        "黔工信产业〔2026〕52号（产用挂钩配套消纳方案已审查）",
    );
    Ok(())
}

/// Accepted: the provincial joint innovation platform.
fn innovation_centre(s: &mut Story) -> Result<(), DemoDataError> {
    let spec = Spec {
        no: 0x08,
        id: p::INNOVATION_CENTRE,
        actor: GUIYANG,
        name: "贵州省赤泥综合利用技术创新中心",
        kind: K::InnovationPlatform,
        task: PlanTask::TechnologyInnovation,
        lead: e::QINGZHEN_ALUMINA,
        region: 520181,
        routes: &[],
        capacity: Kg::ZERO,
        budget: yuan!(30_000_000),
        units: &["省科技厅", "省工业和信息化厅", "省生态环境厅"],
        planned_start: day!(2025, 5, 1),
        planned_end: day!(2026, 4, 30),
        matching: None,
    };
    let mut pj = Pj::propose(
        s,
        spec,
        day!(2025, 3, 25),
        &[
            (1, "共建协议签署", day!(2025, 5, 31)),
            (2, "中试平台建成", day!(2025, 12, 31)),
        ],
    )?;
    pj.approve(day!(2025, 4, 28), "黔工信技〔2025〕14号");
    pj.start(day!(2025, 5, 12));
    pj.award(
        1,
        F::ProvincialSpecialFunds,
        "2025年省级工业和信息化发展专项资金（创新平台）",
        yuan!(5_000_000),
        &[(5_000, When::Started), (5_000, When::Accepted)],
        day!(2025, 5, 20),
    )?;
    pj.disburse(1, 1, day!(2025, 5, 30));
    pj.achieve(
        1,
        day!(2025, 5, 28),
        "与贵州大学、省冶金化工研究所签署共建协议",
    );
    pj.achieve(2, day!(2025, 12, 22), "中试平台建成验收记录");
    pj.commission(Kg::ZERO, day!(2026, 1, 16));
    pj.accept(day!(2026, 5, 20), "黔工信技验〔2026〕3号");
    pj.disburse(1, 2, day!(2026, 6, 15));
    Ok(())
}

/// Proposed, awaiting approval: soilification of a closed red mud yard.
fn kaili_soilification(s: &mut Story) -> Result<(), DemoDataError> {
    let spec = Spec {
        no: 0x09,
        id: p::KAILI_SOILIFICATION,
        actor: QIANDONGNAN,
        name: "凯里15万吨/年赤泥土壤化生态修复项目",
        kind: K::UtilizationCapacity,
        task: PlanTask::UtilizationScale,
        lead: e::KAILI_ALUMINA,
        region: 522601,
        routes: &[R::Soilification],
        capacity: t!(150_000),
        budget: yuan!(38_000_000),
        units: &["省工业和信息化厅", "省生态环境厅", "黔东南州人民政府"],
        planned_start: day!(2027, 3, 1),
        planned_end: day!(2027, 12, 31),
        matching: None,
    };
    Pj::propose(
        s,
        spec,
        day!(2026, 10, 15),
        &[(1, "可行性研究报告评审", day!(2026, 12, 20))],
    )?;
    Ok(())
}

/// Cancelled after approval: the coagulant line, its award never paid.
fn kaili_coagulant(s: &mut Story) -> Result<(), DemoDataError> {
    let spec = Spec {
        no: 0x10,
        id: p::KAILI_COAGULANT,
        actor: QIANDONGNAN,
        name: "凯里10万吨/年赤泥制备聚合氯化铝净水剂项目",
        kind: K::UtilizationCapacity,
        task: PlanTask::UtilizationScale,
        lead: e::KAILI_CHEMICALS,
        region: 522601,
        routes: &[R::Chemicals],
        capacity: t!(100_000),
        budget: yuan!(55_000_000),
        units: &["省工业和信息化厅", "黔东南州人民政府"],
        planned_start: day!(2025, 9, 1),
        planned_end: day!(2026, 8, 31),
        matching: None,
    };
    let mut pj = Pj::propose(
        s,
        spec,
        day!(2025, 4, 10),
        &[(1, "中期检查", day!(2026, 2, 28))],
    )?;
    pj.approve(day!(2025, 6, 12), "黔工信综利〔2025〕31号");
    pj.award(
        1,
        F::ProvincialSpecialFunds,
        PROVINCIAL_2025,
        yuan!(5_000_000),
        &[
            (3_000, When::Started),
            (4_000, When::Milestone(1)),
            (3_000, When::Accepted),
        ],
        day!(2025, 7, 20),
    )?;
    pj.by(
        PROVINCE,
        ProjectCommand::CancelProject {
            cancelled_on: day!(2025, 11, 20),
            reason: "企业调整投资计划，产品市场需求不足，申请终止项目；已下达未拨付的省级专项资金不再拨付"
                .to_owned(),
        },
    );
    Ok(())
}

/// Accepted: graded storage of red mud at the 修文 yard (task 二).
fn xiuwen_graded_storage(s: &mut Story) -> Result<(), DemoDataError> {
    let spec = Spec {
        no: 0x11,
        id: p::XIUWEN_GRADED_STORAGE,
        actor: GUIYANG,
        name: "修文赤泥分质分类贮存及库区改造项目",
        kind: K::SourceReduction,
        task: PlanTask::Usability,
        lead: e::XIUWEN_ALUMINA,
        region: 520123,
        routes: &[],
        capacity: Kg::ZERO,
        budget: yuan!(64_000_000),
        units: &["省工业和信息化厅", "省生态环境厅"],
        planned_start: day!(2025, 4, 1),
        planned_end: day!(2025, 12, 31),
        matching: None,
    };
    let mut pj = Pj::propose(
        s,
        spec,
        day!(2025, 2, 26),
        &[(1, "分区堆存改造完成", day!(2025, 9, 30))],
    )?;
    pj.approve(day!(2025, 3, 27), "黔工信技改〔2025〕12号");
    pj.start(day!(2025, 4, 8));
    pj.award(
        1,
        F::ProvincialSpecialFunds,
        PROVINCIAL_2025,
        yuan!(6_000_000),
        &[(5_000, When::Started), (5_000, When::Accepted)],
        day!(2025, 4, 25),
    )?;
    pj.disburse(1, 1, day!(2025, 5, 12));
    pj.achieve(1, day!(2025, 9, 20), "分区堆存改造竣工资料及监理报告");
    pj.commission(Kg::ZERO, day!(2025, 12, 18));
    pj.accept(day!(2026, 3, 12), "黔工信技验〔2026〕1号");
    pj.disburse(1, 2, day!(2026, 4, 2));
    Ok(())
}

/// In operation after two phases, suspended once for a slope hazard and resumed.
fn kaili_bricks(s: &mut Story) -> Result<(), DemoDataError> {
    let spec = Spec {
        no: 0x12,
        id: p::KAILI_BRICKS_ROAD_BASE,
        actor: QIANDONGNAN,
        name: "凯里20万吨/年赤泥免烧砖及路基材料综合利用项目",
        kind: K::UtilizationCapacity,
        task: PlanTask::UtilizationScale,
        lead: e::KAILI_ALUMINA,
        region: 522601,
        routes: &[R::BuildingMaterials, R::RoadBase],
        capacity: t!(200_000),
        budget: yuan!(48_000_000),
        units: &["省工业和信息化厅", "黔东南州人民政府"],
        planned_start: day!(2025, 7, 1),
        planned_end: day!(2026, 6, 30),
        matching: None,
    };
    let mut pj = Pj::propose(
        s,
        spec,
        day!(2025, 5, 6),
        &[
            (1, "中期检查", day!(2025, 12, 15)),
            (2, "一期投产", day!(2026, 3, 31)),
            (3, "二期投产", day!(2026, 8, 31)),
        ],
    )?;
    pj.approve(day!(2025, 6, 20), "黔工信综利〔2025〕33号");
    pj.start(day!(2025, 7, 10));
    pj.central_budget(1, CENTRAL_2025, yuan!(9_600_000), 1, day!(2025, 7, 18))?;
    pj.disburse(1, 1, day!(2025, 7, 25));
    pj.by(
        PROVINCE,
        ProjectCommand::SuspendProject {
            suspended_on: day!(2025, 10, 8),
            reason: "汛期赤泥库区边坡出现局部滑塌隐患，按安全生产要求暂停施工整改".to_owned(),
        },
    );
    pj.by(
        PROVINCE,
        ProjectCommand::ResumeProject {
            resumed_on: day!(2025, 11, 1),
        },
    );
    pj.achieve(1, day!(2025, 12, 12), "黔东南州工信局中期检查意见");
    pj.disburse(1, 2, day!(2025, 12, 28));
    pj.achieve(2, day!(2026, 3, 20), "一期免烧砖生产线投产报告");
    pj.commission(t!(120_000), day!(2026, 3, 22));
    pj.award(
        2,
        F::MunicipalFunds,
        "黔东南州2026年工业发展专项资金",
        yuan!(3_000_000),
        &[(10_000, When::Commissioned)],
        day!(2026, 3, 30),
    )?;
    pj.disburse(2, 1, day!(2026, 4, 15));
    pj.achieve(3, day!(2026, 8, 26), "二期路基材料生产线投产报告");
    pj.commission(t!(80_000), day!(2026, 8, 28));
    Ok(())
}

/// Accepted: 揭榜挂帅 low-cost deep dealkalization, funded by central special funds.
fn wuchuan_dealkalization_rd(s: &mut Story) -> Result<(), DemoDataError> {
    let spec = Spec {
        no: 0x13,
        id: p::WUCHUAN_DEALKALIZATION_RD,
        actor: ZUNYI,
        name: "揭榜挂帅：务川赤泥低成本深度脱碱技术攻关",
        kind: K::ResearchAndDevelopment,
        task: PlanTask::TechnologyInnovation,
        lead: e::WUCHUAN_ALUMINA,
        region: 520326,
        routes: &[],
        capacity: Kg::ZERO,
        budget: yuan!(28_000_000),
        units: &["省科技厅", "省工业和信息化厅"],
        planned_start: day!(2025, 4, 15),
        planned_end: day!(2026, 3, 31),
        matching: None,
    };
    let mut pj = Pj::propose(
        s,
        spec,
        day!(2025, 3, 5),
        &[
            (1, "中期检查", day!(2025, 10, 15)),
            (2, "千吨级工业验证", day!(2026, 2, 28)),
        ],
    )?;
    pj.approve(day!(2025, 3, 31), "黔工信揭榜〔2025〕2号");
    pj.start(day!(2025, 4, 15));
    pj.award(
        1,
        F::CentralSpecialFunds,
        "中央财政工业转型升级资金（揭榜挂帅）",
        yuan!(8_000_000),
        &[
            (3_000, When::Started),
            (4_000, When::Milestone(1)),
            (3_000, When::Accepted),
        ],
        day!(2025, 4, 28),
    )?;
    pj.disburse(1, 1, day!(2025, 5, 10));
    pj.achieve(1, day!(2025, 10, 10), "省科技厅中期检查意见");
    pj.disburse(1, 2, day!(2025, 10, 28));
    pj.achieve(
        2,
        day!(2026, 2, 20),
        "千吨级验证报告：赤泥中Na2O含量降至0.8%",
    );
    pj.commission(Kg::ZERO, day!(2026, 3, 5));
    pj.accept(day!(2026, 6, 18), "黔工信揭榜验〔2026〕1号");
    pj.disburse(1, 3, day!(2026, 7, 6));
    Ok(())
}
