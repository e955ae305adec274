//! Regional plans (年度目标任务): the province sets the 2025 and 2026 targets of the province and
//! the three red mud regions and revises two of them; each region's bureau reports every
//! quarter and the year, and the province accepts or returns the reports.
//!
//! Report figures are computed on the day of submission from the region's ledgers (see
//! [`Story::report`]), so a report submitted before a ledger correction or before a late ledger
//! differs from its resubmission.

use chrono::NaiveDate;
use redmud_domain::regional_plan::RegionalTargets;
use redmud_domain::{BasisPoints, Period, PlanTask, RegionalPlanCommand, Uuid};

use super::{GUIYANG, PROVINCE, QIANDONGNAN, ZUNYI, region};
use crate::DemoDataError;
use crate::assemble::{Story, day, quarter, t};
use crate::ids::regional_plan as plan;

const fn targets(
    red_mud_to_utilize: redmud_domain::Kg,
    rate_bp: u16,
    new_capacity_per_year: redmud_domain::Kg,
    demonstration_projects: u32,
) -> RegionalTargets {
    RegionalTargets {
        red_mud_to_utilize,
        new_utilization_rate: BasisPoints::saturating(rate_bp),
        new_capacity_per_year,
        demonstration_projects,
        task: PlanTask::UtilizationScale,
    }
}

/// A region's plan of one year and the bureau that reports on it.
struct RegionPlan {
    id: Uuid,
    bureau: &'static str,
    name: &'static str,
}

const GUIYANG_2025: RegionPlan = RegionPlan {
    id: plan::GUIYANG_2025,
    bureau: GUIYANG,
    name: "贵阳市",
};
const ZUNYI_2025: RegionPlan = RegionPlan {
    id: plan::ZUNYI_2025,
    bureau: ZUNYI,
    name: "遵义市",
};
const QIANDONGNAN_2025: RegionPlan = RegionPlan {
    id: plan::QIANDONGNAN_2025,
    bureau: QIANDONGNAN,
    name: "黔东南州",
};
const GUIYANG_2026: RegionPlan = RegionPlan {
    id: plan::GUIYANG_2026,
    ..GUIYANG_2025
};
const ZUNYI_2026: RegionPlan = RegionPlan {
    id: plan::ZUNYI_2026,
    ..ZUNYI_2025
};
const QIANDONGNAN_2026: RegionPlan = RegionPlan {
    id: plan::QIANDONGNAN_2026,
    ..QIANDONGNAN_2025
};

/// A period as a report title says it: "2025年第三季度", "2025年度".
fn period_zh(period: Period) -> String {
    let year = period.calendar_year();
    match period.quarter_number() {
        Some(q) => {
            let numeral = ["一", "二", "三", "四"]
                .get(usize::from(q).saturating_sub(1))
                .copied()
                .unwrap_or("");
            format!("{year}年第{numeral}季度")
        }
        None => format!("{year}年度"),
    }
}

impl RegionPlan {
    fn submit(&self, s: &mut Story, period: Period, on: NaiveDate, work: &str) {
        let summary = format!(
            "{}{}赤泥综合利用工作开展情况：{work}",
            self.name,
            period_zh(period)
        );
        s.report(self.bureau, self.id, period, on, summary);
    }

    fn accept(&self, s: &mut Story, period: Period, on: NaiveDate) {
        s.plan(
            PROVINCE,
            self.id,
            RegionalPlanCommand::AcceptReport {
                period,
                accepted_on: on,
            },
        );
    }

    fn give_back(&self, s: &mut Story, period: Period, on: NaiveDate, reason: &str) {
        s.plan(
            PROVINCE,
            self.id,
            RegionalPlanCommand::ReturnReport {
                period,
                returned_on: on,
                reason: reason.to_owned(),
            },
        );
    }
}

pub(super) fn tell(s: &mut Story) -> Result<(), DemoDataError> {
    set_targets(s)?;
    reports_2025(s)?;
    reports_2026(s)
}

fn set_targets(s: &mut Story) -> Result<(), DemoDataError> {
    let plans = [
        (
            plan::PROVINCE_2025,
            520000,
            2025,
            targets(t!(820_000), 1_000, t!(1_250_000), 3),
            day!(2025, 2, 20),
        ),
        (
            plan::GUIYANG_2025,
            520100,
            2025,
            targets(t!(450_000), 1_000, t!(600_000), 2),
            day!(2025, 2, 20),
        ),
        (
            plan::ZUNYI_2025,
            520300,
            2025,
            targets(t!(280_000), 1_000, t!(500_000), 1),
            day!(2025, 2, 20),
        ),
        (
            plan::QIANDONGNAN_2025,
            522600,
            2025,
            targets(t!(90_000), 800, t!(150_000), 0),
            day!(2025, 2, 20),
        ),
        (
            plan::PROVINCE_2026,
            520000,
            2026,
            targets(t!(1_130_000), 1_300, t!(1_600_000), 4),
            day!(2026, 1, 16),
        ),
        (
            plan::GUIYANG_2026,
            520100,
            2026,
            targets(t!(650_000), 1_400, t!(700_000), 2),
            day!(2026, 1, 16),
        ),
        (
            plan::ZUNYI_2026,
            520300,
            2026,
            targets(t!(360_000), 1_200, t!(700_000), 1),
            day!(2026, 1, 16),
        ),
        (
            plan::QIANDONGNAN_2026,
            522600,
            2026,
            targets(t!(120_000), 1_000, t!(200_000), 1),
            day!(2026, 1, 16),
        ),
    ];
    for (id, code, year, targets, set_on) in plans {
        s.plan(
            PROVINCE,
            id,
            RegionalPlanCommand::SetTargets {
                plan_id: id,
                region: region(code)?,
                year,
                targets,
                set_on,
            },
        );
    }
    s.plan(
        PROVINCE,
        plan::ZUNYI_2025,
        RegionalPlanCommand::ReviseTargets {
            targets: targets(t!(280_000), 1_000, t!(300_000), 1),
            revised_on: day!(2025, 8, 15),
            reason: "播州赤泥路基材料生产线开工推迟至四季度，年内无法形成产能，新增综合利用能力目标由50万吨/年调整为30万吨/年"
                .to_owned(),
        },
    );
    s.plan(
        PROVINCE,
        plan::GUIYANG_2026,
        RegionalPlanCommand::ReviseTargets {
            targets: targets(t!(680_000), 1_400, t!(800_000), 2),
            revised_on: day!(2026, 7, 10),
            reason: "清镇50万吨/年赤泥基新型建材示范工程提前于4月投产、息烽水泥替代原料生产线一期投产，调增年度利用量和新增能力目标"
                .to_owned(),
        },
    );
    Ok(())
}

fn reports_2025(s: &mut Story) -> Result<(), DemoDataError> {
    let (q1, q2, q3, q4) = (
        quarter(2025, 1)?,
        quarter(2025, 2)?,
        quarter(2025, 3)?,
        quarter(2025, 4)?,
    );
    let year = Period::year(2025)?;
    let (gy, zy, qd) = (GUIYANG_2025, ZUNYI_2025, QIANDONGNAN_2025);

    // Q1
    gy.submit(s, q1, day!(2025, 4, 22), "完成辖区2家氧化铝企业一企一策方案备案；清镇新型建材示范工程获批复并开工准备；修文分质分类贮存改造开工。");
    zy.submit(
        s,
        q1,
        day!(2025, 4, 23),
        "务川、道真氧化铝企业一企一策方案备案；务川充填回填示范工程及脱碱揭榜挂帅项目获批复。",
    );
    qd.submit(
        s,
        q1,
        day!(2025, 4, 24),
        "凯里氧化铝企业一企一策方案备案；组织赤泥制聚合氯化铝、免烧砖项目申报。",
    );
    for r in [&gy, &zy, &qd] {
        r.accept(s, q1, day!(2025, 5, 8));
    }

    // Q2
    gy.submit(s, q2, day!(2025, 7, 22), "清镇新型建材示范工程、赤泥综合利用技术创新中心开工建设；清镇氧化铝二季度台账已按核查意见更正。");
    zy.submit(
        s,
        q2,
        day!(2025, 7, 23),
        "务川充填回填示范工程开工；道真钪镓提取揭榜挂帅项目完成申报。",
    );
    qd.submit(
        s,
        q2,
        day!(2025, 7, 24),
        "免烧砖及路基材料项目获批复；聚合氯化铝项目获批复待开工。",
    );
    for r in [&gy, &zy, &qd] {
        r.accept(s, q2, day!(2025, 8, 6));
    }

    // Q3: 遵义's report goes out before 务川 corrects its September backfill tonnage.
    gy.submit(
        s,
        q3,
        day!(2025, 10, 22),
        "清镇新型建材示范工程主体厂房封顶；修文分质分类贮存改造完工。",
    );
    zy.submit(
        s,
        q3,
        day!(2025, 10, 22),
        "务川充填站建成，道真钪镓提取项目开工。",
    );
    qd.submit(
        s,
        q3,
        day!(2025, 10, 24),
        "免烧砖及路基材料项目因边坡隐患暂停施工整改。",
    );
    gy.accept(s, q3, day!(2025, 11, 5));
    qd.accept(s, q3, day!(2025, 11, 5));
    zy.give_back(
        s,
        q3,
        day!(2025, 11, 3),
        "务川铝兴氧化铝2025年三季度台账已于10月30日更正（地磅校准后矿山充填利用量调增6800吨），报告数据与更正后台账不一致，请重新汇总报送",
    );
    zy.submit(
        s,
        q3,
        day!(2025, 11, 7),
        "务川充填站建成，道真钪镓提取项目开工；已按务川铝兴更正后的台账重新汇总。",
    );
    zy.accept(s, q3, day!(2025, 11, 14));

    // Q4 and the year; 黔东南's annual report is returned once for a fuller account.
    gy.submit(
        s,
        q4,
        day!(2026, 1, 22),
        "清镇新型建材示范工程通过中期检查；修文分质分类贮存改造项目建成。",
    );
    zy.submit(
        s,
        q4,
        day!(2026, 1, 22),
        "播州赤泥路基材料生产线开工；务川脱碱攻关通过中期检查。",
    );
    qd.submit(
        s,
        q4,
        day!(2026, 1, 23),
        "免烧砖及路基材料项目复工并通过中期检查；聚合氯化铝项目终止。",
    );
    for r in [&gy, &zy, &qd] {
        r.accept(s, q4, day!(2026, 2, 5));
    }
    gy.submit(s, year, day!(2026, 1, 26), "全年新增赤泥综合利用率稳步提升，建成修文分质分类贮存设施，清镇新型建材示范工程进入设备安装阶段。");
    zy.submit(
        s,
        year,
        day!(2026, 1, 26),
        "全年推进充填回填、路基材料、钪镓提取多途径利用，务川脱碱技术攻关取得阶段成果。",
    );
    qd.submit(
        s,
        year,
        day!(2026, 1, 27),
        "全年赤泥利用以水泥、化工和土壤化为主。",
    );
    gy.accept(s, year, day!(2026, 2, 10));
    zy.accept(s, year, day!(2026, 2, 10));
    qd.give_back(
        s,
        year,
        day!(2026, 2, 3),
        "工作开展情况未说明聚合氯化铝项目终止后的替代消纳安排及凯里黔东氧化铝一企一策方案执行情况，请补充后重新报送",
    );
    qd.submit(s, year, day!(2026, 2, 9), "全年赤泥利用以水泥、化工和土壤化为主；聚合氯化铝项目终止后，化工途径用量由免烧砖及路基材料项目承接，凯里黔东氧化铝已修订一企一策方案，2026年利用目标调整为7.5万吨。");
    qd.accept(s, year, day!(2026, 2, 16));
    Ok(())
}

fn reports_2026(s: &mut Story) -> Result<(), DemoDataError> {
    let (q1, q2, q3) = (quarter(2026, 1)?, quarter(2026, 2)?, quarter(2026, 3)?);
    let (gy, zy, qd) = (GUIYANG_2026, ZUNYI_2026, QIANDONGNAN_2026);

    // Q1
    gy.submit(
        s,
        q1,
        day!(2026, 4, 22),
        "息烽水泥替代原料生产线一期投产；技术创新中心中试平台投入运行。",
    );
    zy.submit(
        s,
        q1,
        day!(2026, 4, 23),
        "务川充填回填示范工程建成投产；务川脱碱攻关完成千吨级验证。",
    );
    qd.submit(
        s,
        q1,
        day!(2026, 4, 23),
        "免烧砖生产线一期投产；凯里黔东氧化铝一季度台账已按皮带秤校准结果更正。",
    );
    for r in [&gy, &zy, &qd] {
        r.accept(s, q1, day!(2026, 5, 8));
    }

    // Q2
    gy.submit(
        s,
        q2,
        day!(2026, 7, 22),
        "清镇50万吨/年赤泥基新型建材示范工程4月投产；在线降碱及无热干化系统投入运行。",
    );
    zy.submit(
        s,
        q2,
        day!(2026, 7, 22),
        "播州路基材料生产线因环评重新报批暂停；务川氧化铝二期扩建项目申报。",
    );
    qd.submit(
        s,
        q2,
        day!(2026, 7, 23),
        "免烧砖及路基材料项目二期建设；凯里黔东氧化铝清洁生产审核未通过，正在整改。",
    );
    for r in [&gy, &zy, &qd] {
        r.accept(s, q2, day!(2026, 8, 6));
    }

    // Q3: 贵阳 accepted; 遵义 submitted before 道真's late ledger, returned and resubmitted,
    // awaiting review; 黔东南 submitted, awaiting review.
    gy.submit(
        s,
        q3,
        day!(2026, 10, 22),
        "清镇新型建材示范工程通过竣工验收；息烽水泥生产线二期达产滞后。",
    );
    gy.accept(s, q3, day!(2026, 11, 12));
    zy.submit(
        s,
        q3,
        day!(2026, 10, 22),
        "务川充填回填示范工程验收未通过；务川氧化铝二期扩建项目待批复。",
    );
    zy.give_back(
        s,
        q3,
        day!(2026, 11, 4),
        "报告仅汇总1家氧化铝企业台账，道真黔北氧化铝三季度台账已于10月28日补录，请重新汇总后报送",
    );
    zy.submit(s, q3, day!(2026, 11, 20), "务川充填回填示范工程验收未通过，已追回部分省级资金；务川氧化铝二期扩建项目获批复；已补充道真黔北氧化铝台账重新汇总。");
    qd.submit(
        s,
        q3,
        day!(2026, 10, 26),
        "免烧砖及路基材料项目二期投产；凯里黔东氧化铝清洁生产审核复审有条件通过。",
    );
    Ok(())
}
