//! Names of the codes the new pages show (kinds, statuses, report dimensions, audit rules), in both
//! languages. Enumerations of the domain are named by the domain itself (`name_zh`/`name_en`);
//! the rest are tables here, each entry with both languages so neither can be missing.

use redmud_domain::{
    BaseKind, DesignationKind, DesignationLevel, FundingSource, PlanSafeguard, PlanTask,
    ProjectKind, ResponsibleUnit, StandardScope, StandardType, TaxIncentiveKind, UtilizationRoute,
};

use crate::i18n::{self, Lang};

/// A label in both languages: (中文, English).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct L(pub &'static str, pub &'static str);

impl L {
    /// The label in `lang`.
    pub const fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.0,
            Lang::En => self.1,
        }
    }
}

/// Results of a base's yearly evaluation and of a typical-case recommendation (statuses of every
/// aggregate are in [`i18n::STATUSES`]).
pub const STATUSES: &[(&str, L)] = &[
    ("excellent", L("优秀", "Excellent")),
    ("good", L("良好", "Good")),
    ("qualified", L("合格", "Qualified")),
    ("unqualified", L("不合格", "Unqualified")),
    // a typical-case recommendation that stands (report 10)
    ("recommended", L("已推荐", "Recommended")),
];

/// The dimensions of reports 3–6 (`by`).
pub const DIMENSIONS: &[(&str, L)] = &[
    ("status", L("按状态", "By status")),
    ("task", L("按任务", "By task")),
    ("kind", L("按类型", "By kind")),
    ("route", L("按利用途径", "By route")),
    ("region", L("按地区", "By region")),
    ("source", L("按资金来源", "By source")),
    ("programme", L("按专项", "By programme")),
    ("year", L("按年度", "By year")),
    ("project", L("按项目", "By project")),
    ("enterprise", L("按企业", "By enterprise")),
    ("level", L("按级别", "By level")),
];

/// The audit flag rules (`docs/audit.md`).
pub const RULES: &[(&str, L)] = &[
    (
        "ledger_after_report",
        L("报送后填报或更正台账", "Ledger changed after the report"),
    ),
    ("backdated", L("业务日期远早于记录日期", "Backdated entry")),
    ("funding", L("资金拨付异常", "Funding irregularity")),
    (
        "incentive_after_revocation",
        L("撤销称号后批准税收优惠", "Incentive after revocation"),
    ),
    (
        "lifecycle_skipped",
        L("项目跳过生命周期环节", "Lifecycle skipped"),
    ),
    (
        "outside_region",
        L("操作超出辖区", "Action outside the region"),
    ),
];

/// Flag severities.
pub const SEVERITIES: &[(&str, L)] = &[
    ("high", L("高", "High")),
    ("medium", L("中", "Medium")),
    ("low", L("低", "Low")),
];

/// Stream categories of the log and the collection that shows them.
pub const CATEGORIES: &[(&str, &str, L)] = &[
    ("enterprise", "enterprises", L("企业", "Enterprise")),
    ("project", "projects", L("项目", "Project")),
    ("base", "bases", L("基地", "Base")),
    (
        "regional_plan",
        "regional-plans",
        L("年度目标任务", "Regional plan"),
    ),
    ("account", "accounts", L("账户", "Account")),
];

fn find(table: &[(&str, L)], code: &str, lang: Lang) -> Option<&'static str> {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| l.get(lang))
}

fn pick(zh: &'static str, en: &'static str, lang: Lang) -> String {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
    .to_owned()
}

/// The name of any code the new pages show: a domain enumeration's value (project kind, task,
/// route, base kind, level, designation, funding source, tax incentive, responsible unit,
/// safeguard, standard type and scope), a status of any aggregate or report, or else the code
/// itself.
pub fn code(code: &str, lang: Lang) -> String {
    macro_rules! try_enum {
        ($($t:ty),+) => {$(
            if let Ok(v) = code.parse::<$t>() {
                return pick(v.name_zh(), v.name_en(), lang);
            }
        )+};
    }
    try_enum!(
        ProjectKind,
        PlanTask,
        UtilizationRoute,
        BaseKind,
        DesignationLevel,
        DesignationKind,
        FundingSource,
        TaxIncentiveKind,
        ResponsibleUnit,
        PlanSafeguard,
        StandardType,
        StandardScope
    );
    if let Some(label) = find(STATUSES, code, lang) {
        return label.to_owned();
    }
    i18n::status(code, lang)
}

/// A regional plan's status (its `active` is not an enterprise's 存续).
pub fn plan_status(code: &str, lang: Lang) -> String {
    match code {
        "active" => L("执行中", "Active").get(lang).to_owned(),
        other => i18n::status(other, lang),
    }
}

/// A regional report's status (its `accepted` is 审核通过, not a project's 验收).
pub fn report_status(code: &str, lang: Lang) -> String {
    match code {
        "accepted" => L("审核通过", "Accepted").get(lang).to_owned(),
        other => i18n::status(other, lang),
    }
}

/// A report dimension's name.
pub fn dimension(by: &str, lang: Lang) -> String {
    find(DIMENSIONS, by, lang).map_or_else(|| by.to_owned(), str::to_owned)
}

/// An audit rule's name.
pub fn rule(id: &str, lang: Lang) -> String {
    find(RULES, id, lang).map_or_else(|| id.to_owned(), str::to_owned)
}

/// A severity's name.
pub fn severity(level: &str, lang: Lang) -> String {
    find(SEVERITIES, level, lang).map_or_else(|| level.to_owned(), str::to_owned)
}

/// A stream category's name.
pub fn category(name: &str, lang: Lang) -> String {
    CATEGORIES
        .iter()
        .find(|(c, _, _)| *c == name)
        .map_or_else(|| name.to_owned(), |(_, _, l)| l.get(lang).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cjk(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_table_names_its_codes_in_both_languages() {
        let all = STATUSES
            .iter()
            .chain(DIMENSIONS)
            .chain(RULES)
            .chain(SEVERITIES)
            .map(|(_, l)| *l)
            .chain(CATEGORIES.iter().map(|(_, _, l)| *l));
        for L(zh, en) in all {
            assert!(cjk(zh), "{zh}");
            assert!(!en.is_empty() && !cjk(en), "{en}");
        }
    }

    #[test]
    fn codes_are_named_by_the_domain_first() {
        assert_eq!(
            code("red_mud_characteristic_park", Lang::Zh),
            "赤泥综合利用特色园区"
        );
        assert_eq!(code("provincial", Lang::En), "Provincial");
        assert_eq!(code("vat_immediate_refund", Lang::Zh), "增值税即征即退");
        assert_eq!(code("returned", Lang::Zh), "已退回");
        assert_eq!(code("unqualified", Lang::En), "Unqualified");
        assert_eq!(code("under_construction", Lang::En), "Under construction");
        assert_eq!(code("something_else", Lang::En), "something_else");
        assert_eq!(plan_status("active", Lang::Zh), "执行中");
        assert_eq!(report_status("accepted", Lang::Zh), "审核通过");
        assert_eq!(report_status("returned", Lang::En), "Returned");
        assert_eq!(dimension("source", Lang::En), "By source");
        assert_eq!(rule("backdated", Lang::Zh), "业务日期远早于记录日期");
        assert_eq!(severity("high", Lang::En), "High");
        assert_eq!(category("regional_plan", Lang::En), "Regional plan");
        assert_eq!(category("other", Lang::En), "other");
    }
}
