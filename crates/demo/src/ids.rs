//! The fixed identifiers of the data set.
//!
//! Every id reads `dea00000-00CC-8000-8000-NNNNNNNNNNNN` (a UUIDv8 of the RFC 9562 layout, "dea"
//! for demo): `CC` is the kind of thing and `NNNNNNNNNNNN` its number, written so that it reads
//! well in hexadecimal:
//!
//! | CC | kind | number |
//! |---|---|---|
//! | 01 | enterprise | `01`–`05` refineries, `11`–`18` utilizers and downstream users |
//! | 02 | project | `01`–`17` (`14`–`17`: standards) |
//! | 03 | demonstration base | `01`–`04` |
//! | 04 | regional plan | `YYYYRRRRRR`: year and region code, e.g. `2025520100` |
//! | 05 | milestone | `PPKK`: project `PP`, milestone `KK` |
//! | 06 | funding award | `PPKK`: project `PP`, award `KK` |
//! | 07 | clean-production audit | `EEKK`: enterprise `EE`, audit `KK` |
//! | 08 | tax incentive claim | `EEKKKK`: enterprise `EE`, claim `KKKK` |

use redmud_domain::Uuid;

/// The id of thing `number` of kind `kind` (see the module docs).
pub const fn demo_id(kind: u8, number: u64) -> Uuid {
    Uuid::from_u128(
        0xdea0_0000_0000_8000_8000_0000_0000_0000
            | ((kind as u128) << 80)
            | (number as u128 & 0xffff_ffff_ffff),
    )
}

/// Kind code of enterprises.
pub const ENTERPRISE: u8 = 0x01;
/// Kind code of projects.
pub const PROJECT: u8 = 0x02;
/// Kind code of demonstration bases.
pub const BASE: u8 = 0x03;
/// Kind code of regional plans.
pub const REGIONAL_PLAN: u8 = 0x04;
/// Kind code of milestones.
pub const MILESTONE: u8 = 0x05;
/// Kind code of funding awards.
pub const AWARD: u8 = 0x06;
/// Kind code of clean-production audits.
pub const AUDIT: u8 = 0x07;
/// Kind code of tax incentive claims.
pub const CLAIM: u8 = 0x08;

/// Enterprises (企业).
pub mod enterprise {
    use super::{ENTERPRISE, Uuid, demo_id};

    /// 贵州清镇黔中氧化铝有限公司 (清镇市, alumina refinery, 1.6 Mt/yr).
    pub const QINGZHEN_ALUMINA: Uuid = demo_id(ENTERPRISE, 0x01);
    /// 贵州修文黔源氧化铝有限公司 (修文县, alumina refinery, 1.2 Mt/yr).
    pub const XIUWEN_ALUMINA: Uuid = demo_id(ENTERPRISE, 0x02);
    /// 贵州务川铝兴氧化铝有限公司 (务川县, alumina refinery, 1.0 Mt/yr).
    pub const WUCHUAN_ALUMINA: Uuid = demo_id(ENTERPRISE, 0x03);
    /// 贵州道真黔北氧化铝有限公司 (道真县, alumina refinery, 0.8 Mt/yr).
    pub const DAOZHEN_ALUMINA: Uuid = demo_id(ENTERPRISE, 0x04);
    /// 贵州凯里黔东氧化铝有限公司 (凯里市, alumina refinery, 0.5 Mt/yr).
    pub const KAILI_ALUMINA: Uuid = demo_id(ENTERPRISE, 0x05);
    /// 贵州清镇赤泥新型建材有限公司 (清镇市, utilizer, building materials).
    pub const QINGZHEN_BUILDING_MATERIALS: Uuid = demo_id(ENTERPRISE, 0x11);
    /// 贵州息烽黔筑水泥有限公司 (息烽县, downstream user, cement).
    pub const XIFENG_CEMENT: Uuid = demo_id(ENTERPRISE, 0x12);
    /// 遵义播州通衢路桥材料有限公司 (播州区, downstream user, transport / road base).
    pub const BOZHOU_ROAD_MATERIALS: Uuid = demo_id(ENTERPRISE, 0x13);
    /// 务川铝都矿山充填科技有限公司 (务川县, downstream user, mine backfill).
    pub const WUCHUAN_BACKFILL: Uuid = demo_id(ENTERPRISE, 0x14);
    /// 贵州道真稀贵金属资源科技有限公司 (道真县, utilizer, element extraction).
    pub const DAOZHEN_RARE_METALS: Uuid = demo_id(ENTERPRISE, 0x15);
    /// 六盘水黔西钢铁有限公司 (钟山区, downstream user, steel).
    pub const LIUPANSHUI_STEEL: Uuid = demo_id(ENTERPRISE, 0x16);
    /// 凯里清源化工有限公司 (凯里市, downstream user, chemicals).
    pub const KAILI_CHEMICALS: Uuid = demo_id(ENTERPRISE, 0x17);
    /// 福泉黔南热电有限公司 (福泉市, downstream user, thermal power).
    pub const FUQUAN_POWER: Uuid = demo_id(ENTERPRISE, 0x18);
}

/// Projects (项目).
pub mod project {
    use super::{PROJECT, Uuid, demo_id};

    /// 清镇50万吨/年赤泥基新型建材产业化示范工程 (accepted).
    pub const QINGZHEN_BUILDING_MATERIALS_DEMO: Uuid = demo_id(PROJECT, 0x01);
    /// 清镇氧化铝赤泥在线降碱及无热干化技术改造 (in operation).
    pub const QINGZHEN_DEALKALIZATION: Uuid = demo_id(PROJECT, 0x02);
    /// 息烽赤泥替代水泥熟料原料生产线 (in operation, overdue milestone).
    pub const XIFENG_CEMENT_LINE: Uuid = demo_id(PROJECT, 0x03);
    /// 务川赤泥基胶结充填材料井下充填回填示范工程 (acceptance failed, funds recovered).
    pub const WUCHUAN_BACKFILL_DEMO: Uuid = demo_id(PROJECT, 0x04);
    /// 揭榜挂帅：道真赤泥钪镓高效提取中试 (under construction, overdue milestone).
    pub const DAOZHEN_SCANDIUM_GALLIUM: Uuid = demo_id(PROJECT, 0x05);
    /// 播州赤泥路基材料生产线 (suspended).
    pub const BOZHOU_ROAD_BASE_LINE: Uuid = demo_id(PROJECT, 0x06);
    /// 务川氧化铝二期100万吨/年扩建 with matching utilization capacity (approved).
    pub const WUCHUAN_ALUMINA_EXPANSION: Uuid = demo_id(PROJECT, 0x07);
    /// 贵州省赤泥综合利用技术创新中心 (accepted).
    pub const INNOVATION_CENTRE: Uuid = demo_id(PROJECT, 0x08);
    /// 凯里赤泥土壤化生态修复 (proposed).
    pub const KAILI_SOILIFICATION: Uuid = demo_id(PROJECT, 0x09);
    /// 凯里赤泥制备聚合氯化铝净水剂 (cancelled).
    pub const KAILI_COAGULANT: Uuid = demo_id(PROJECT, 0x10);
    /// 修文赤泥分质分类贮存及库区改造 (accepted).
    pub const XIUWEN_GRADED_STORAGE: Uuid = demo_id(PROJECT, 0x11);
    /// 凯里赤泥免烧砖及路基材料综合利用 (in operation, suspended once and resumed).
    pub const KAILI_BRICKS_ROAD_BASE: Uuid = demo_id(PROJECT, 0x12);
    /// 揭榜挂帅：务川赤泥低成本深度脱碱技术攻关 (accepted).
    pub const WUCHUAN_DEALKALIZATION_RD: Uuid = demo_id(PROJECT, 0x13);
    /// 团体标准：赤泥基建筑材料产品质量及检测方法 (standard, published).
    pub const STANDARD_BUILDING_MATERIALS: Uuid = demo_id(PROJECT, 0x14);
    /// 赤泥充填回填试点示范技术规程 (standard, in consultation).
    pub const STANDARD_BACKFILL_RULE: Uuid = demo_id(PROJECT, 0x15);
    /// 赤泥堆场污染防治技术规范 (standard, approved).
    pub const STANDARD_POLLUTION_CONTROL: Uuid = demo_id(PROJECT, 0x16);
    /// 团体标准：赤泥道路基层材料应用技术规程 (standard, withdrawn).
    pub const STANDARD_ROAD_BASE_APPLICATION: Uuid = demo_id(PROJECT, 0x17);
}

/// Demonstration bases (示范基地 / 园区).
pub mod base {
    use super::{BASE, Uuid, demo_id};

    /// 清镇工业资源综合利用基地 (national).
    pub const QINGZHEN_RESOURCE_BASE: Uuid = demo_id(BASE, 0x01);
    /// 务川赤泥综合利用特色园区 (provincial).
    pub const WUCHUAN_RED_MUD_PARK: Uuid = demo_id(BASE, 0x02);
    /// 福泉无废园区 (provincial).
    pub const FUQUAN_ZERO_WASTE_PARK: Uuid = demo_id(BASE, 0x03);
    /// 凯里大宗固体废物综合利用基地 (provincial, revoked).
    pub const KAILI_BULK_WASTE_BASE: Uuid = demo_id(BASE, 0x04);
}

/// Regional plans (年度目标任务), one per region and year.
pub mod regional_plan {
    use super::{REGIONAL_PLAN, Uuid, demo_id};

    /// 贵州省 2025.
    pub const PROVINCE_2025: Uuid = demo_id(REGIONAL_PLAN, 0x2025_520000);
    /// 贵阳市 2025.
    pub const GUIYANG_2025: Uuid = demo_id(REGIONAL_PLAN, 0x2025_520100);
    /// 遵义市 2025.
    pub const ZUNYI_2025: Uuid = demo_id(REGIONAL_PLAN, 0x2025_520300);
    /// 黔东南州 2025.
    pub const QIANDONGNAN_2025: Uuid = demo_id(REGIONAL_PLAN, 0x2025_522600);
    /// 贵州省 2026.
    pub const PROVINCE_2026: Uuid = demo_id(REGIONAL_PLAN, 0x2026_520000);
    /// 贵阳市 2026.
    pub const GUIYANG_2026: Uuid = demo_id(REGIONAL_PLAN, 0x2026_520100);
    /// 遵义市 2026.
    pub const ZUNYI_2026: Uuid = demo_id(REGIONAL_PLAN, 0x2026_520300);
    /// 黔东南州 2026.
    pub const QIANDONGNAN_2026: Uuid = demo_id(REGIONAL_PLAN, 0x2026_522600);
}

/// The id of milestone `k` of project number `project` (e.g. `0x01` for project 01).
pub const fn milestone(project: u8, k: u8) -> Uuid {
    demo_id(MILESTONE, ((project as u64) << 8) | k as u64)
}

/// The id of award `k` of project number `project`.
pub const fn award(project: u8, k: u8) -> Uuid {
    demo_id(AWARD, ((project as u64) << 8) | k as u64)
}

/// The id of audit `k` of enterprise number `enterprise`.
pub const fn audit(enterprise: u8, k: u8) -> Uuid {
    demo_id(AUDIT, ((enterprise as u64) << 8) | k as u64)
}

/// The id of tax incentive claim `k` of enterprise number `enterprise`.
pub const fn claim(enterprise: u8, k: u16) -> Uuid {
    demo_id(CLAIM, ((enterprise as u64) << 16) | k as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_as_documented() {
        assert_eq!(
            enterprise::QINGZHEN_ALUMINA.to_string(),
            "dea00000-0001-8000-8000-000000000001"
        );
        assert_eq!(
            regional_plan::GUIYANG_2025.to_string(),
            "dea00000-0004-8000-8000-002025520100"
        );
        assert_eq!(
            milestone(0x12, 2).to_string(),
            "dea00000-0005-8000-8000-000000001202"
        );
        assert_eq!(
            claim(0x11, 0x2501).to_string(),
            "dea00000-0008-8000-8000-000000112501"
        );
        assert_eq!(enterprise::QINGZHEN_ALUMINA.get_version_num(), 8);
    }
}
