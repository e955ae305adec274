//! Enterprises: registration, stock baselines, 一企一策 plans, clean-production audits,
//! designations and an amendment.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use redmud_domain::enterprise::{AuditOutcome, PolicyPlan, PolicyYearTarget};
use redmud_domain::{
    DesignationKind, DownstreamSector, EnterpriseCommand, EnterpriseKind, Kg, Uuid,
};

use super::{GUIYANG, PROVINCE, QIANDONGNAN, ZUNYI, region, uscc};
use crate::DemoDataError;
use crate::assemble::{Story, day, t};
use crate::ids::{audit, enterprise as e};

/// An enterprise as registered.
struct Registration {
    id: Uuid,
    actor: &'static str,
    name: &'static str,
    uscc: &'static str,
    region: u32,
    kinds: &'static [EnterpriseKind],
    registered_on: NaiveDate,
}

const REFINERY: &[EnterpriseKind] = &[EnterpriseKind::AluminaRefinery];

const REGISTRATIONS: &[Registration] = &[
    Registration {
        id: e::QINGZHEN_ALUMINA,
        actor: GUIYANG,
        name: "贵州清镇黔中氧化铝有限公司",
        uscc: "91520181MA6DK2H31Y",
        region: 520181,
        kinds: REFINERY,
        registered_on: day!(2025, 1, 6),
    },
    Registration {
        id: e::XIUWEN_ALUMINA,
        actor: GUIYANG,
        name: "贵州修文黔源氧化铝有限公司",
        uscc: "91520123MA6E0LQ75Q",
        region: 520123,
        kinds: REFINERY,
        registered_on: day!(2025, 1, 6),
    },
    Registration {
        id: e::QINGZHEN_BUILDING_MATERIALS,
        actor: GUIYANG,
        name: "贵州清镇赤泥新型建材有限公司",
        uscc: "91520181MA6K4WB19T",
        region: 520181,
        kinds: &[
            EnterpriseKind::RedMudUtilizer,
            EnterpriseKind::DownstreamUser(DownstreamSector::BuildingMaterials),
        ],
        registered_on: day!(2025, 1, 6),
    },
    Registration {
        id: e::XIFENG_CEMENT,
        actor: GUIYANG,
        name: "贵州息烽黔筑水泥有限公司",
        uscc: "91520122MA6DN7X44A",
        region: 520122,
        kinds: &[EnterpriseKind::DownstreamUser(DownstreamSector::Cement)],
        registered_on: day!(2025, 1, 6),
    },
    Registration {
        id: e::WUCHUAN_ALUMINA,
        actor: ZUNYI,
        name: "贵州务川铝兴氧化铝有限公司",
        uscc: "91520326MA6GY3R08Q",
        region: 520326,
        kinds: REFINERY,
        registered_on: day!(2025, 1, 7),
    },
    Registration {
        id: e::DAOZHEN_ALUMINA,
        actor: ZUNYI,
        name: "贵州道真黔北氧化铝有限公司",
        uscc: "91520325MA6J1T4N22",
        region: 520325,
        kinds: REFINERY,
        registered_on: day!(2025, 1, 7),
    },
    Registration {
        id: e::BOZHOU_ROAD_MATERIALS,
        actor: ZUNYI,
        name: "遵义播州通衢路桥材料有限公司",
        uscc: "91520304MA6JR2E86P",
        region: 520304,
        kinds: &[EnterpriseKind::DownstreamUser(DownstreamSector::Transport)],
        registered_on: day!(2025, 1, 7),
    },
    Registration {
        id: e::WUCHUAN_BACKFILL,
        actor: ZUNYI,
        name: "务川铝都矿山充填科技有限公司",
        uscc: "91520326MA6KB9F27Y",
        region: 520326,
        kinds: &[EnterpriseKind::DownstreamUser(
            DownstreamSector::MineBackfill,
        )],
        registered_on: day!(2025, 1, 7),
    },
    Registration {
        id: e::DAOZHEN_RARE_METALS,
        actor: ZUNYI,
        name: "贵州道真稀贵金属资源科技有限公司",
        uscc: "91520325MA6LD5M606",
        region: 520325,
        kinds: &[
            EnterpriseKind::RedMudUtilizer,
            EnterpriseKind::DownstreamUser(DownstreamSector::Chemicals),
        ],
        registered_on: day!(2025, 1, 7),
    },
    Registration {
        id: e::KAILI_ALUMINA,
        actor: QIANDONGNAN,
        name: "贵州凯里黔东氧化铝有限公司",
        uscc: "91522601MA6HC8P63G",
        region: 522601,
        kinds: REFINERY,
        registered_on: day!(2025, 1, 8),
    },
    Registration {
        id: e::KAILI_CHEMICALS,
        actor: QIANDONGNAN,
        name: "凯里清源化工有限公司",
        uscc: "91522601MA6M0A3K8P",
        region: 522601,
        kinds: &[EnterpriseKind::DownstreamUser(DownstreamSector::Chemicals)],
        registered_on: day!(2025, 1, 8),
    },
    // Regions without a bureau account: the province registers them.
    Registration {
        id: e::LIUPANSHUI_STEEL,
        actor: PROVINCE,
        name: "六盘水黔西钢铁有限公司",
        uscc: "91520201MA6DPU735F",
        region: 520201,
        kinds: &[EnterpriseKind::DownstreamUser(DownstreamSector::Steel)],
        registered_on: day!(2025, 1, 9),
    },
    Registration {
        id: e::FUQUAN_POWER,
        actor: PROVINCE,
        name: "福泉黔南热电有限公司",
        uscc: "91522702MA6NX4G51Q",
        region: 522702,
        kinds: &[EnterpriseKind::DownstreamUser(
            DownstreamSector::ThermalPower,
        )],
        registered_on: day!(2025, 1, 9),
    },
];

/// A refinery's stockpile on 2025-01-01, declared by its bureau.
struct Baseline {
    id: Uuid,
    actor: &'static str,
    stock: Kg,
    declared_on: NaiveDate,
}

const BASELINES: &[Baseline] = &[
    Baseline {
        id: e::QINGZHEN_ALUMINA,
        actor: GUIYANG,
        stock: t!(28_500_000),
        declared_on: day!(2025, 1, 15),
    },
    Baseline {
        id: e::XIUWEN_ALUMINA,
        actor: GUIYANG,
        stock: t!(12_600_000),
        declared_on: day!(2025, 1, 15),
    },
    Baseline {
        id: e::WUCHUAN_ALUMINA,
        actor: ZUNYI,
        stock: t!(6_800_000),
        declared_on: day!(2025, 1, 16),
    },
    Baseline {
        id: e::DAOZHEN_ALUMINA,
        actor: ZUNYI,
        stock: t!(4_200_000),
        declared_on: day!(2025, 1, 16),
    },
    Baseline {
        id: e::KAILI_ALUMINA,
        actor: QIANDONGNAN,
        stock: t!(2_300_000),
        declared_on: day!(2025, 1, 17),
    },
];

/// (year, generation t, utilization t) rows of a 一企一策 plan.
fn plan(targets: &[(u16, u64, u64)], measures: &[&str]) -> Result<PolicyPlan, DemoDataError> {
    let yearly_targets = targets
        .iter()
        .map(|&(year, generation, utilization)| {
            Ok(PolicyYearTarget {
                year,
                generation: Kg::from_tonnes(generation)?,
                utilization: Kg::from_tonnes(utilization)?,
            })
        })
        .collect::<Result<Vec<_>, DemoDataError>>()?;
    Ok(PolicyPlan {
        yearly_targets,
        measures: measures.iter().map(|m| (*m).to_owned()).collect(),
    })
}

pub(super) fn tell(s: &mut Story) -> Result<(), DemoDataError> {
    for r in REGISTRATIONS {
        s.enterprise(
            r.actor,
            r.id,
            EnterpriseCommand::Register {
                enterprise_id: r.id,
                name: r.name.to_owned(),
                uscc: uscc(r.uscc)?,
                region: region(r.region)?,
                kinds: r.kinds.iter().copied().collect::<BTreeSet<_>>(),
                registered_on: r.registered_on,
            },
        );
    }
    for b in BASELINES {
        s.enterprise_on(
            b.declared_on,
            b.actor,
            b.id,
            EnterpriseCommand::DeclareStockBaseline {
                as_of: day!(2025, 1, 1),
                stock: b.stock,
            },
        );
    }
    s.enterprise_on(
        day!(2025, 6, 12),
        GUIYANG,
        e::XIUWEN_ALUMINA,
        EnterpriseCommand::CorrectStockBaseline {
            stock: t!(12_845_300),
            reason: "2025年5月无人机倾斜摄影测量复核赤泥库库容，期初堆存量较原申报值多24.53万吨，予以更正"
                .to_owned(),
        },
    );
    policy_plans(s)?;
    audits(s);
    designations(s);
    s.enterprise(
        ZUNYI,
        e::BOZHOU_ROAD_MATERIALS,
        EnterpriseCommand::Amend {
            name: Some("遵义通衢交通新材料有限公司".to_owned()),
            uscc: None,
            region: None,
            kinds: None,
            amended_on: day!(2026, 3, 9),
        },
    );
    Ok(())
}

fn policy_plans(s: &mut Story) -> Result<(), DemoDataError> {
    let qingzhen = [
        "实施铝土矿配矿均化，稳定入磨矿石铝硅比，降低吨氧化铝赤泥产生量",
        "建设赤泥在线降碱及无热干化系统，赤泥含水率降至28%以下",
        "与贵州清镇赤泥新型建材有限公司签订长期消纳协议，保障建材途径赤泥用量",
        "赤泥分质分类贮存，优先保障建材、水泥用料",
    ];
    s.enterprise(
        GUIYANG,
        e::QINGZHEN_ALUMINA,
        EnterpriseCommand::FilePolicyPlan {
            plan: plan(
                &[
                    (2025, 2_085_000, 230_000),
                    (2026, 2_100_000, 330_000),
                    (2027, 2_100_000, 420_000),
                ],
                &qingzhen,
            )?,
            filed_on: day!(2025, 3, 10),
        },
    );
    let mut revised = qingzhen.to_vec();
    revised.push("参与贵州省赤泥综合利用技术创新中心钪、镓提取中试，开展有价元素回收");
    s.enterprise(
        GUIYANG,
        e::QINGZHEN_ALUMINA,
        EnterpriseCommand::RevisePolicyPlan {
            plan: plan(
                &[
                    (2025, 2_085_000, 230_000),
                    (2026, 2_100_000, 360_000),
                    (2027, 2_100_000, 480_000),
                ],
                &revised,
            )?,
            revised_on: day!(2026, 2, 10),
            reason: "清镇赤泥基新型建材示范工程预计2026年二季度投产，调增2026—2027年综合利用目标，并增加有价元素提取措施"
                .to_owned(),
        },
    );
    s.enterprise(
        GUIYANG,
        e::XIUWEN_ALUMINA,
        EnterpriseCommand::FilePolicyPlan {
            plan: plan(
                &[
                    (2025, 1_620_000, 140_000),
                    (2026, 1_630_000, 190_000),
                    (2027, 1_630_000, 250_000),
                ],
                &[
                    "实施赤泥分质分类贮存及库区改造，分区堆存高铁、低碱赤泥",
                    "扩大水泥厂替代原料供应，2026年供应量较2024年翻番",
                    "开展电厂烟气赤泥脱硫应用试验",
                ],
            )?,
            filed_on: day!(2025, 3, 12),
        },
    );
    s.enterprise(
        ZUNYI,
        e::WUCHUAN_ALUMINA,
        EnterpriseCommand::FilePolicyPlan {
            plan: plan(
                &[
                    (2025, 1_480_000, 150_000),
                    (2026, 1_500_000, 195_000),
                    (2027, 1_500_000, 240_000),
                ],
                &[
                    "配合建设赤泥基胶结充填材料井下充填回填示范工程",
                    "以揭榜挂帅方式开展赤泥低成本深度脱碱技术攻关",
                    "二期扩建同步配套赤泥综合利用能力（产用挂钩）",
                ],
            )?,
            filed_on: day!(2025, 3, 14),
        },
    );
    s.enterprise(
        ZUNYI,
        e::DAOZHEN_ALUMINA,
        EnterpriseCommand::FilePolicyPlan {
            plan: plan(
                &[
                    (2025, 1_150_000, 75_000),
                    (2026, 1_160_000, 120_000),
                    (2027, 1_160_000, 160_000),
                ],
                &[
                    "配合贵州道真稀贵金属资源科技有限公司开展钪、镓提取中试",
                    "赤泥免烧砖及路基材料就地利用",
                ],
            )?,
            filed_on: day!(2025, 3, 18),
        },
    );
    s.enterprise(
        QIANDONGNAN,
        e::KAILI_ALUMINA,
        EnterpriseCommand::FilePolicyPlan {
            plan: plan(
                &[
                    (2025, 800_000, 56_000),
                    (2026, 805_000, 80_000),
                    (2027, 805_000, 110_000),
                ],
                &[
                    "支持凯里清源化工建设赤泥制备聚合氯化铝净水剂生产线",
                    "建设赤泥免烧砖及路基材料生产线",
                    "赤泥库闭库区域开展土壤化生态修复试验",
                ],
            )?,
            filed_on: day!(2025, 3, 20),
        },
    );
    s.enterprise(
        QIANDONGNAN,
        e::KAILI_ALUMINA,
        EnterpriseCommand::RevisePolicyPlan {
            plan: plan(
                &[
                    (2025, 800_000, 56_000),
                    (2026, 805_000, 75_000),
                    (2027, 805_000, 110_000),
                ],
                &[
                    "建设赤泥免烧砖及路基材料生产线",
                    "赤泥库闭库区域开展土壤化生态修复试验",
                    "推进赤泥土壤化生态修复项目前期工作，2026年完成可研",
                ],
            )?,
            revised_on: day!(2025, 12, 15),
            reason: "凯里清源化工聚合氯化铝净水剂项目已终止，删除相关措施，下调2026年利用目标并增加土壤化生态修复措施"
                .to_owned(),
        },
    );
    Ok(())
}

fn audits(s: &mut Story) {
    let audits: [(&str, Uuid, Uuid, NaiveDate, &str, AuditOutcome, &str); 6] = [
        (
            GUIYANG,
            e::QINGZHEN_ALUMINA,
            audit(0x01, 1),
            day!(2025, 5, 22),
            "贵州省清洁生产技术服务中心",
            AuditOutcome::Passed,
            "完成压滤机改造、溶出余热回收等中高费方案3项，吨氧化铝赤泥产生量下降约3%",
        ),
        (
            GUIYANG,
            e::XIUWEN_ALUMINA,
            audit(0x02, 1),
            day!(2025, 9, 12),
            "贵州省清洁生产技术服务中心",
            AuditOutcome::PassedWithConditions,
            "赤泥库防渗层局部破损、回水管线老化，须于2025年底前完成整改并报复核",
        ),
        (
            ZUNYI,
            e::WUCHUAN_ALUMINA,
            audit(0x03, 1),
            day!(2025, 11, 6),
            "遵义市节能环保技术服务中心",
            AuditOutcome::Passed,
            "配矿均化及赤泥洗涤工艺优化，赤泥附碱含量下降12%",
        ),
        (
            ZUNYI,
            e::DAOZHEN_ALUMINA,
            audit(0x04, 1),
            day!(2026, 3, 19),
            "遵义市节能环保技术服务中心",
            AuditOutcome::Passed,
            "完成低品位铝土矿选矿提质改造，入磨矿石铝硅比由4.8提高至5.6",
        ),
        (
            QIANDONGNAN,
            e::KAILI_ALUMINA,
            audit(0x05, 1),
            day!(2026, 5, 14),
            "黔东南州环境科学研究所",
            AuditOutcome::Failed,
            "配矿均化系统未按审核方案建成，赤泥附液碱含量超出审核目标值，审核未通过",
        ),
        (
            QIANDONGNAN,
            e::KAILI_ALUMINA,
            audit(0x05, 2),
            day!(2026, 10, 22),
            "黔东南州环境科学研究所",
            AuditOutcome::PassedWithConditions,
            "复审：配矿均化系统已建成运行，赤泥库渗滤液收集设施须于2026年底前完成提标改造",
        ),
    ];
    for (actor, id, audit_id, completed_on, auditor, outcome, summary) in audits {
        s.enterprise(
            actor,
            id,
            EnterpriseCommand::RecordCleanProductionAudit {
                audit_id,
                completed_on,
                auditor: auditor.to_owned(),
                outcome,
                summary: summary.to_owned(),
            },
        );
    }
}

fn designations(s: &mut Story) {
    let grants: [(Uuid, DesignationKind, NaiveDate, &str, Option<NaiveDate>); 9] = [
        (
            e::QINGZHEN_ALUMINA,
            DesignationKind::GreenFactory,
            day!(2025, 6, 18),
            "工信厅节函〔2025〕163号（转发国家级绿色工厂名单）",
            None,
        ),
        (
            e::QINGZHEN_BUILDING_MATERIALS,
            DesignationKind::SpecializedSme,
            day!(2025, 8, 26),
            "黔工信中小〔2025〕21号",
            Some(day!(2028, 8, 25)),
        ),
        (
            e::KAILI_ALUMINA,
            DesignationKind::ZeroWasteEnterprise,
            day!(2025, 9, 16),
            "黔无废办〔2025〕5号",
            Some(day!(2028, 9, 15)),
        ),
        (
            e::DAOZHEN_RARE_METALS,
            DesignationKind::ProvincialTechnologyCentre,
            day!(2025, 10, 20),
            "黔工信技〔2025〕33号",
            None,
        ),
        (
            e::WUCHUAN_ALUMINA,
            DesignationKind::ProvincialTechnologyCentre,
            day!(2025, 10, 20),
            "黔工信技〔2025〕33号",
            None,
        ),
        (
            e::QINGZHEN_ALUMINA,
            DesignationKind::ZeroWasteEnterprise,
            day!(2025, 12, 8),
            "黔无废办〔2025〕7号",
            Some(day!(2028, 12, 7)),
        ),
        (
            e::QINGZHEN_ALUMINA,
            DesignationKind::NationalTechnologyCentre,
            day!(2026, 2, 26),
            "发改高技〔2026〕211号（转发国家企业技术中心认定名单）",
            None,
        ),
        (
            e::DAOZHEN_RARE_METALS,
            DesignationKind::TechnologyInnovationDemonstration,
            day!(2026, 4, 22),
            "黔工信技〔2026〕12号",
            None,
        ),
        (
            e::QINGZHEN_BUILDING_MATERIALS,
            DesignationKind::LittleGiant,
            day!(2026, 7, 15),
            "工信厅企业函〔2026〕178号（转发专精特新“小巨人”企业名单）",
            Some(day!(2029, 7, 14)),
        ),
    ];
    for (id, designation, granted_on, document, valid_until) in grants {
        s.enterprise(
            PROVINCE,
            id,
            EnterpriseCommand::GrantDesignation {
                designation,
                granted_on,
                document: document.to_owned(),
                valid_until,
            },
        );
    }
    s.enterprise(
        PROVINCE,
        e::KAILI_ALUMINA,
        EnterpriseCommand::RevokeDesignation {
            designation: DesignationKind::ZeroWasteEnterprise,
            revoked_on: day!(2026, 8, 5),
            reason: "2026年6月赤泥库渗滤液收集设施失效，外排水pH值超标，被黔东南州生态环境局立案处罚，不再符合无废企业条件"
                .to_owned(),
        },
    );
}
