//! The plan's structure as reference data: its five main tasks (主要任务) and four safeguards
//! (保障措施), each with the provincial departments the plan names as responsible units
//! (责任单位), in the plan's order. Taken from the text in `shared/seed/` (贵州省赤泥综合利用行动方案
//! （2025—2030年）, 二、主要任务 and 三、强化保障措施); the test below pins each list.

use crate::values::{PlanSafeguard, PlanTask, ResponsibleUnit};

use ResponsibleUnit as U;

/// A part of the plan that names responsible units: a main task or a safeguard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "section", content = "code", rename_all = "snake_case")]
pub enum PlanItem {
    /// One of the five main tasks.
    Task(PlanTask),
    /// One of the four safeguards.
    Safeguard(PlanSafeguard),
}

impl PlanItem {
    /// The item's code (its task's or safeguard's code).
    pub const fn code(self) -> &'static str {
        match self {
            PlanItem::Task(t) => t.code(),
            PlanItem::Safeguard(s) => s.code(),
        }
    }

    /// Chinese name as in the plan.
    pub const fn name_zh(self) -> &'static str {
        match self {
            PlanItem::Task(t) => t.name_zh(),
            PlanItem::Safeguard(s) => s.name_zh(),
        }
    }

    /// English name.
    pub const fn name_en(self) -> &'static str {
        match self {
            PlanItem::Task(t) => t.name_en(),
            PlanItem::Safeguard(s) => s.name_en(),
        }
    }

    /// Its number in the plan: (一) … (五) for tasks, (一) … (四) for safeguards.
    pub fn number(self) -> u8 {
        let index = match self {
            PlanItem::Task(t) => PlanTask::ALL.iter().position(|x| *x == t),
            PlanItem::Safeguard(s) => PlanSafeguard::ALL.iter().position(|x| *x == s),
        };
        index.and_then(|i| u8::try_from(i + 1).ok()).unwrap_or(0)
    }

    /// The responsible units the plan names for it, in the plan's order.
    pub const fn responsible_units(self) -> &'static [ResponsibleUnit] {
        match self {
            PlanItem::Task(t) => task_units(t),
            PlanItem::Safeguard(s) => safeguard_units(s),
        }
    }

    /// Every item: the five tasks, then the four safeguards.
    pub fn all() -> impl Iterator<Item = PlanItem> {
        PlanTask::ALL
            .iter()
            .map(|t| PlanItem::Task(*t))
            .chain(PlanSafeguard::ALL.iter().map(|s| PlanItem::Safeguard(*s)))
    }
}

/// The responsible units of a main task (二、主要任务).
pub const fn task_units(task: PlanTask) -> &'static [ResponsibleUnit] {
    match task {
        PlanTask::SourceReduction => &[U::IndustryIt, U::EcologyEnvironment],
        PlanTask::Usability => &[U::IndustryIt],
        PlanTask::UtilizationScale => &[
            U::IndustryIt,
            U::HousingUrbanRural,
            U::EcologyEnvironment,
            U::NaturalResources,
            U::MarketRegulation,
        ],
        PlanTask::TechnologyInnovation => {
            &[U::ScienceTechnology, U::IndustryIt, U::EcologyEnvironment]
        }
        PlanTask::IndustrialSynergy => &[U::IndustryIt, U::DevelopmentReform, U::Energy],
    }
}

/// The responsible units of a safeguard (三、强化保障措施).
pub const fn safeguard_units(safeguard: PlanSafeguard) -> &'static [ResponsibleUnit] {
    match safeguard {
        PlanSafeguard::Organisation => &[
            U::IndustryIt,
            U::DevelopmentReform,
            U::Finance,
            U::EcologyEnvironment,
            U::HousingUrbanRural,
            U::ScienceTechnology,
            U::Taxation,
            U::MarketRegulation,
        ],
        PlanSafeguard::BackboneForces => {
            &[U::IndustryIt, U::DevelopmentReform, U::EcologyEnvironment]
        }
        PlanSafeguard::Support => &[
            U::IndustryIt,
            U::DevelopmentReform,
            U::ScienceTechnology,
            U::EcologyEnvironment,
            U::HousingUrbanRural,
            U::Finance,
            U::Taxation,
            U::StateAssets,
            U::Qiansheng,
        ],
        PlanSafeguard::Publicity => &[
            U::IndustryIt,
            U::EcologyEnvironment,
            U::HousingUrbanRural,
            U::DevelopmentReform,
        ],
    }
}

/// The tasks a responsible unit is named for.
pub fn tasks_of(unit: ResponsibleUnit) -> Vec<PlanTask> {
    PlanTask::ALL
        .iter()
        .copied()
        .filter(|t| task_units(*t).contains(&unit))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 责任单位 line of each section as printed in the plan, in order.
    const PLAN_TEXT: [&str; 9] = [
        "省工业和信息化厅、省生态环境厅",
        "省工业和信息化厅",
        "省工业和信息化厅、省住房和城乡建设厅、省生态环境厅、省自然资源厅、省市场监管局",
        "省科技厅、省工业和信息化厅、省生态环境厅",
        "省工业和信息化厅、省发展改革委、省能源局",
        "省工业和信息化厅、省发展改革委、省财政厅、省生态环境厅、省住房和城乡建设厅、省科技厅、国家税务总局贵州省税务局、省市场监管局",
        "省工业和信息化厅、省发展改革委、省生态环境厅",
        "省工业和信息化厅、省发展改革委、省科技厅、省生态环境厅、省住房和城乡建设厅、省财政厅、国家税务总局贵州省税务局、省国资委、黔晟国资公司",
        "省工业和信息化厅、省生态环境厅、省住房和城乡建设厅、省发展改革委",
    ];

    #[test]
    fn units_follow_the_plan_text() {
        let items: Vec<PlanItem> = PlanItem::all().collect();
        assert_eq!(items.len(), 9);
        for (item, text) in items.iter().zip(PLAN_TEXT) {
            let names: Vec<&str> = item
                .responsible_units()
                .iter()
                .map(|u| u.name_zh())
                .collect();
            assert_eq!(names.join("、"), text, "{item:?}");
        }
    }

    #[test]
    fn numbers_and_names() {
        assert_eq!(PlanItem::Task(PlanTask::IndustrialSynergy).number(), 5);
        assert_eq!(PlanItem::Safeguard(PlanSafeguard::Publicity).number(), 4);
        assert_eq!(
            PlanItem::Safeguard(PlanSafeguard::Publicity).name_zh(),
            "强化宣传引导"
        );
        assert_eq!(
            tasks_of(ResponsibleUnit::Energy),
            vec![PlanTask::IndustrialSynergy]
        );
        assert_eq!(tasks_of(ResponsibleUnit::IndustryIt).len(), 5);
        let json = serde_json::to_value(PlanItem::Task(PlanTask::Usability)).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"section": "task", "code": "usability"})
        );
    }
}
