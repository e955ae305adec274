//! Demonstration bases (示范基地 / 园区), all recorded by the province: designation, members,
//! linked projects, yearly targets (red mud and the co-utilized phosphogypsum, desulfurization
//! gypsum and fly ash), evaluations, and one revocation.

use redmud_domain::{
    BaseCommand, BaseKind, BaseTargets, DesignationLevel, EvaluationResult, Kg, Uuid,
};

use super::{PROVINCE, region};
use crate::DemoDataError;
use crate::assemble::{Story, day, t};
use crate::ids::{base as b, enterprise as e, project as p};

fn targets(red_mud: Kg, phosphogypsum: Kg, gypsum: Kg, fly_ash: Kg) -> BaseTargets {
    BaseTargets {
        red_mud_utilized: red_mud,
        phosphogypsum_co_utilized: phosphogypsum,
        desulfurization_gypsum_co_utilized: gypsum,
        fly_ash_co_utilized: fly_ash,
    }
}

fn add(s: &mut Story, base: Uuid, command: BaseCommand) {
    s.base(PROVINCE, base, command);
}

pub(super) fn tell(s: &mut Story) -> Result<(), DemoDataError> {
    qingzhen(s)?;
    wuchuan(s)?;
    fuquan(s)?;
    kaili(s)
}

fn qingzhen(s: &mut Story) -> Result<(), DemoDataError> {
    let id = b::QINGZHEN_RESOURCE_BASE;
    add(
        s,
        id,
        BaseCommand::DesignateBase {
            base_id: id,
            name: "贵阳市清镇工业资源综合利用基地".to_owned(),
            kind: BaseKind::IndustrialResourceUtilizationBase,
            level: DesignationLevel::National,
            region: region(520181)?,
            designated_on: day!(2025, 3, 12),
            document: "工信厅节函〔2025〕58号（转发工业资源综合利用基地名单）".to_owned(),
        },
    );
    for enterprise_id in [e::QINGZHEN_ALUMINA, e::QINGZHEN_BUILDING_MATERIALS] {
        add(
            s,
            id,
            BaseCommand::AddMember {
                enterprise_id,
                added_on: day!(2025, 3, 20),
            },
        );
    }
    add(
        s,
        id,
        BaseCommand::SetYearTargets {
            year: 2025,
            targets: targets(t!(300_000), t!(300_000), t!(120_000), t!(200_000)),
            set_on: day!(2025, 3, 28),
        },
    );
    for (project_id, linked_on) in [
        (p::QINGZHEN_BUILDING_MATERIALS_DEMO, day!(2025, 3, 28)),
        (p::INNOVATION_CENTRE, day!(2025, 5, 6)),
        (p::QINGZHEN_DEALKALIZATION, day!(2025, 6, 5)),
    ] {
        add(
            s,
            id,
            BaseCommand::LinkProject {
                project_id,
                linked_on,
            },
        );
    }
    add(
        s,
        id,
        BaseCommand::SetYearTargets {
            year: 2026,
            targets: targets(t!(420_000), t!(400_000), t!(150_000), t!(250_000)),
            set_on: day!(2026, 1, 20),
        },
    );
    add(
        s,
        id,
        BaseCommand::RecordEvaluation {
            year: 2025,
            result: EvaluationResult::Good,
            summary: "基地年度赤泥综合利用28.16万吨，完成目标的94%；磷石膏、粉煤灰协同利用超额完成；新型建材示范工程按期推进"
                .to_owned(),
            evaluated_on: day!(2026, 3, 18),
        },
    );
    Ok(())
}

fn wuchuan(s: &mut Story) -> Result<(), DemoDataError> {
    let id = b::WUCHUAN_RED_MUD_PARK;
    add(
        s,
        id,
        BaseCommand::DesignateBase {
            base_id: id,
            name: "务川自治县赤泥综合利用特色园区".to_owned(),
            kind: BaseKind::RedMudCharacteristicPark,
            level: DesignationLevel::Provincial,
            region: region(520326)?,
            designated_on: day!(2025, 5, 16),
            document: "黔工信节〔2025〕19号".to_owned(),
        },
    );
    for enterprise_id in [e::WUCHUAN_ALUMINA, e::WUCHUAN_BACKFILL] {
        add(
            s,
            id,
            BaseCommand::AddMember {
                enterprise_id,
                added_on: day!(2025, 5, 20),
            },
        );
    }
    for project_id in [p::WUCHUAN_BACKFILL_DEMO, p::WUCHUAN_DEALKALIZATION_RD] {
        add(
            s,
            id,
            BaseCommand::LinkProject {
                project_id,
                linked_on: day!(2025, 5, 20),
            },
        );
    }
    add(
        s,
        id,
        BaseCommand::SetYearTargets {
            year: 2025,
            targets: targets(t!(180_000), Kg::ZERO, Kg::ZERO, t!(30_000)),
            set_on: day!(2025, 5, 28),
        },
    );
    add(
        s,
        id,
        BaseCommand::SetYearTargets {
            year: 2026,
            targets: targets(t!(260_000), Kg::ZERO, Kg::ZERO, t!(40_000)),
            set_on: day!(2026, 1, 20),
        },
    );
    add(
        s,
        id,
        BaseCommand::RecordEvaluation {
            year: 2025,
            result: EvaluationResult::Qualified,
            summary: "园区赤泥利用以井下充填和路基材料为主，年度利用17.37万吨，完成目标的97%；充填示范工程进度滞后"
                .to_owned(),
            evaluated_on: day!(2026, 3, 20),
        },
    );
    add(
        s,
        id,
        BaseCommand::UnlinkProject {
            project_id: p::WUCHUAN_BACKFILL_DEMO,
            unlinked_on: day!(2026, 9, 5),
            reason: "充填回填示范工程竣工验收不通过，移出园区示范项目清单".to_owned(),
        },
    );
    add(
        s,
        id,
        BaseCommand::ReviseYearTargets {
            year: 2026,
            targets: targets(t!(200_000), Kg::ZERO, Kg::ZERO, t!(40_000)),
            revised_on: day!(2026, 9, 5),
            reason:
                "充填回填示范工程验收不通过，井下充填消纳能力未能形成，下调2026年园区赤泥利用目标"
                    .to_owned(),
        },
    );
    add(
        s,
        id,
        BaseCommand::LinkProject {
            project_id: p::WUCHUAN_ALUMINA_EXPANSION,
            linked_on: day!(2026, 10, 25),
        },
    );
    Ok(())
}

fn fuquan(s: &mut Story) -> Result<(), DemoDataError> {
    let id = b::FUQUAN_ZERO_WASTE_PARK;
    add(
        s,
        id,
        BaseCommand::DesignateBase {
            base_id: id,
            name: "福泉市无废园区（磷石膏—赤泥多固废协同利用）".to_owned(),
            kind: BaseKind::ZeroWastePark,
            level: DesignationLevel::Provincial,
            region: region(522702)?,
            designated_on: day!(2025, 8, 8),
            document: "黔无废办〔2025〕4号".to_owned(),
        },
    );
    add(
        s,
        id,
        BaseCommand::AddMember {
            enterprise_id: e::FUQUAN_POWER,
            added_on: day!(2025, 8, 20),
        },
    );
    add(
        s,
        id,
        BaseCommand::SetYearTargets {
            year: 2025,
            targets: targets(t!(20_000), t!(1_200_000), t!(180_000), t!(350_000)),
            set_on: day!(2025, 8, 28),
        },
    );
    add(
        s,
        id,
        BaseCommand::SetYearTargets {
            year: 2026,
            targets: targets(t!(45_000), t!(2_600_000), t!(420_000), t!(800_000)),
            set_on: day!(2026, 1, 20),
        },
    );
    add(
        s,
        id,
        BaseCommand::RecordEvaluation {
            year: 2025,
            result: EvaluationResult::Excellent,
            summary: "磷石膏综合利用率达到82%，电厂赤泥烟气脱硫及粉煤灰协同利用全面完成目标"
                .to_owned(),
            evaluated_on: day!(2026, 3, 25),
        },
    );
    Ok(())
}

fn kaili(s: &mut Story) -> Result<(), DemoDataError> {
    let id = b::KAILI_BULK_WASTE_BASE;
    add(
        s,
        id,
        BaseCommand::DesignateBase {
            base_id: id,
            name: "凯里经济开发区大宗固体废物综合利用基地".to_owned(),
            kind: BaseKind::BulkSolidWasteUtilizationBase,
            level: DesignationLevel::Provincial,
            region: region(522601)?,
            designated_on: day!(2025, 4, 25),
            document: "黔发改环资〔2025〕211号".to_owned(),
        },
    );
    for enterprise_id in [e::KAILI_ALUMINA, e::KAILI_CHEMICALS] {
        add(
            s,
            id,
            BaseCommand::AddMember {
                enterprise_id,
                added_on: day!(2025, 5, 6),
            },
        );
    }
    add(
        s,
        id,
        BaseCommand::SetYearTargets {
            year: 2025,
            targets: targets(t!(80_000), Kg::ZERO, t!(30_000), t!(80_000)),
            set_on: day!(2025, 5, 12),
        },
    );
    for (project_id, linked_on) in [
        (p::KAILI_COAGULANT, day!(2025, 6, 20)),
        (p::KAILI_BRICKS_ROAD_BASE, day!(2025, 6, 25)),
    ] {
        add(
            s,
            id,
            BaseCommand::LinkProject {
                project_id,
                linked_on,
            },
        );
    }
    add(
        s,
        id,
        BaseCommand::UnlinkProject {
            project_id: p::KAILI_COAGULANT,
            unlinked_on: day!(2025, 11, 25),
            reason: "聚合氯化铝净水剂项目已终止".to_owned(),
        },
    );
    add(
        s,
        id,
        BaseCommand::RemoveMember {
            enterprise_id: e::KAILI_CHEMICALS,
            removed_on: day!(2025, 12, 5),
            reason: "凯里清源化工赤泥利用项目终止，不再开展赤泥等大宗固废利用业务".to_owned(),
        },
    );
    add(
        s,
        id,
        BaseCommand::SetYearTargets {
            year: 2026,
            targets: targets(t!(80_000), Kg::ZERO, t!(35_000), t!(90_000)),
            set_on: day!(2026, 1, 20),
        },
    );
    add(
        s,
        id,
        BaseCommand::RecordEvaluation {
            year: 2025,
            result: EvaluationResult::Unqualified,
            summary: "年度赤泥利用6.24万吨，完成目标的78%；主要利用项目终止，基地固废利用产业链未形成，评估不合格，限期整改至2026年8月底"
                .to_owned(),
            evaluated_on: day!(2026, 3, 28),
        },
    );
    add(
        s,
        id,
        BaseCommand::RevokeBase {
            revoked_on: day!(2026, 9, 30),
            reason:
                "2025年度评估不合格，限期整改至2026年8月底仍未达到基地认定条件，撤销省级基地认定"
                    .to_owned(),
        },
    );
    Ok(())
}
