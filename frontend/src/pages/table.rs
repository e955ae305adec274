//! Reports 1–8 (`docs/reports.md`) as tables: which of a report's JSON lists the page shows, their
//! columns (a JSON path, a label in both languages, a unit that decides the formatting), the
//! report's filters, and how a cell is formatted for the locale (吨, 元/万元, %, dates, regions,
//! codes named in both languages).

use redmud_domain::{
    BasisPoints, Fen, Kg, NaiveDate, Period, PlanTask, Ratio, Region, ResponsibleUnit,
};
use serde_json::{Map, Value};

use super::labels::{self, L};
use super::query::query;
use crate::format;
use crate::i18n::Lang;

/// How a column's values are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// As it is.
    Text,
    /// A count (grouped digits).
    Count,
    /// Kilograms, shown as tonnes.
    Kg,
    /// Kilograms that may be negative (a gap ahead of target), shown as tonnes.
    SignedKg,
    /// Kilograms per year, shown as tonnes per year.
    KgPerYear,
    /// Fen, shown as yuan / 万元.
    Fen,
    /// An exact rate `{numerator, denominator, …}` (`null`: undefined).
    Rate,
    /// Basis points, shown as a percentage.
    Bp,
    /// Yes / no (`null`: undefined).
    Bool,
    /// A date (`2026-03-31`).
    Date,
    /// A region code, shown by name.
    Region,
    /// A period (`2026-Q1`).
    Period,
    /// A code of a domain enumeration or a status, shown by name.
    Code,
    /// A regional report's status, shown by name.
    ReportStatus,
    /// A report dimension (`by`), shown by name.
    Dimension,
    /// A list, shown by its length.
    Len,
    /// A goal `[year, basis points]`.
    Goal,
    /// A name given in both languages: the path names the field whose `_zh` / `_en` forms the
    /// row carries (`name` reads `name_zh` or `name_en`).
    Localized,
    /// A list of codes (or of objects with a `code`), shown by their names.
    Codes,
    /// A stream category (`enterprise`, `project`, …), shown by name.
    Category,
}

impl Unit {
    /// Whether the column is numeric (right-aligned).
    pub const fn numeric(self) -> bool {
        matches!(
            self,
            Unit::Count
                | Unit::Kg
                | Unit::SignedKg
                | Unit::KgPerYear
                | Unit::Fen
                | Unit::Rate
                | Unit::Bp
                | Unit::Len
        )
    }
}

/// A column: where its value is in a row (a JSON Pointer without the leading `/`; `parent/…`
/// reads the exploded row's parent), its label and unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Path in the row.
    pub path: &'static str,
    /// Header.
    pub label: L,
    /// Formatting.
    pub unit: Unit,
}

const fn c(path: &'static str, zh: &'static str, en: &'static str, unit: Unit) -> Column {
    Column {
        path,
        label: L(zh, en),
        unit,
    }
}

/// One table of a report page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSpec {
    /// The JSON field that holds the rows (a list, or one object such as `total`).
    pub field: &'static str,
    /// A stable id for the page (`<table id="report-<report>-<id>">`).
    pub id: &'static str,
    /// Heading.
    pub title: L,
    /// When set, each row's list under this field becomes the rows (each with its `parent`).
    pub explode: Option<&'static str>,
    /// When set, only the rows that have this field (not null) are shown.
    pub only_with: Option<&'static str>,
    /// Columns.
    pub columns: &'static [Column],
}

/// How a filter is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    /// Typed.
    Text,
    /// A prefecture (or the whole province).
    Region,
    /// One of these codes (named by [`labels::code`]).
    Codes(&'static [&'static str]),
    /// One of these values with these labels.
    Fixed(&'static [(&'static str, L)]),
    /// One value of a domain enumeration (codes and names from the domain), or any.
    Domain(Enumeration),
}

/// A domain enumeration a filter chooses from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enumeration {
    /// The plan's five main tasks.
    PlanTask,
    /// The plan's responsible units.
    ResponsibleUnit,
}

impl Enumeration {
    /// Its values: (code, name), in the domain's order.
    pub fn values(self) -> Vec<(&'static str, L)> {
        match self {
            Enumeration::PlanTask => PlanTask::ALL
                .iter()
                .map(|t| (t.code(), L(t.name_zh(), t.name_en())))
                .collect(),
            Enumeration::ResponsibleUnit => ResponsibleUnit::ALL
                .iter()
                .map(|u| (u.code(), L(u.name_zh(), u.name_en())))
                .collect(),
        }
    }
}

/// A filter of a report (a query parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterSpec {
    /// The query parameter.
    pub name: &'static str,
    /// Its label.
    pub label: L,
    /// How it is chosen.
    pub choices: Choices,
    /// A hint for typed values.
    pub hint: &'static str,
}

const fn f(name: &'static str, zh: &'static str, en: &'static str, choices: Choices) -> FilterSpec {
    FilterSpec {
        name,
        label: L(zh, en),
        choices,
        hint: "",
    }
}

const REGION: FilterSpec = f("region", "地区", "Region", Choices::Region);
const YEAR: FilterSpec = FilterSpec {
    hint: "2026",
    ..f("year", "年度", "Year", Choices::Text)
};

/// A report page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportSpec {
    /// The report's number: 1–8 are issue 5's, 9 and 10 issue 9's (tasks, typical cases).
    pub number: u8,
    /// The path segment: `/api/reports/<id>`.
    pub id: &'static str,
    /// Title.
    pub title: L,
    /// Filters besides `as_of`.
    pub filters: &'static [FilterSpec],
    /// Tables, in page order.
    pub tables: &'static [TableSpec],
}

const MEASURE_KEY: [Column; 2] = [
    c("by", "维度", "Dimension", Unit::Dimension),
    c("name", "名称", "Name", Unit::Text),
];

/// Reports 1–10.
pub const REPORTS: &[ReportSpec] = &[
    ReportSpec {
        number: 1,
        id: "balance",
        title: L("赤泥产生与去向", "Red mud balance"),
        filters: &[
            f(
                "granularity",
                "期间粒度",
                "Granularity",
                Choices::Fixed(&[
                    ("quarter", L("季度", "Quarter")),
                    ("month", L("月", "Month")),
                    ("year", L("年度", "Year")),
                ]),
            ),
            f(
                "by",
                "汇总方式",
                "Group by",
                Choices::Fixed(&[
                    ("region", L("按地区", "By region")),
                    ("enterprise", L("按企业", "By enterprise")),
                ]),
            ),
            REGION,
            YEAR,
        ],
        tables: &[TableSpec {
            field: "lines",
            id: "lines",
            title: L("明细", "Lines"),
            explode: None,
            only_with: None,
            columns: &[
                c("period", "期间", "Period", Unit::Period),
                c("region", "地区", "Region", Unit::Region),
                c("enterprise", "企业", "Enterprise", Unit::Text),
                c("entries", "台账期数", "Entries", Unit::Count),
                c("figures/generated", "产生量", "Generated", Unit::Kg),
                c(
                    "utilized_from_new_total",
                    "新增综合利用量",
                    "Utilized (new)",
                    Unit::Kg,
                ),
                c(
                    "utilized_from_stock_total",
                    "历史堆存利用量",
                    "Utilized from stock",
                    Unit::Kg,
                ),
                c("utilized_total", "综合利用量", "Utilized", Unit::Kg),
                c("disposed_total", "处置量", "Disposed", Unit::Kg),
                c("figures/stored_new", "新增贮存量", "Stored (new)", Unit::Kg),
                c("stock_end", "期末堆存量", "Stock at end", Unit::Kg),
                c("new_rate", "新增利用率", "New rate", Unit::Rate),
                c(
                    "statistical_rate",
                    "统计利用率",
                    "Statistical rate",
                    Unit::Rate,
                ),
            ],
        }],
    },
    ReportSpec {
        number: 2,
        id: "targets",
        title: L("目标任务完成情况", "Targets against actuals"),
        filters: &[REGION, YEAR],
        tables: &[
            TableSpec {
                field: "lines",
                id: "lines",
                title: L("各地年度目标", "Regional plans"),
                explode: None,
                only_with: None,
                columns: &[
                    c("region", "地区", "Region", Unit::Region),
                    c("year", "年度", "Year", Unit::Text),
                    c("target_utilized", "目标利用量", "Target utilized", Unit::Kg),
                    c("actual_utilized", "实际利用量", "Actual utilized", Unit::Kg),
                    c("gap", "差距", "Gap", Unit::SignedKg),
                    c(
                        "expected_to_date",
                        "进度应完成",
                        "Expected to date",
                        Unit::Kg,
                    ),
                    c("on_pace", "符合进度", "On pace", Unit::Bool),
                    c("target_rate_bp", "目标利用率", "Target rate", Unit::Bp),
                    c("actual_new_rate", "实际利用率", "Actual rate", Unit::Rate),
                    c("rate_met", "达标", "Met", Unit::Bool),
                    c(
                        "target_capacity_per_year",
                        "目标新增能力",
                        "Capacity target",
                        Unit::KgPerYear,
                    ),
                    c(
                        "actual_capacity_per_year",
                        "当年投运能力",
                        "Capacity commissioned",
                        Unit::KgPerYear,
                    ),
                    c("capacity_met", "能力达标", "Capacity met", Unit::Bool),
                    c(
                        "target_demonstration_projects",
                        "目标示范项目",
                        "Demonstration target",
                        Unit::Count,
                    ),
                    c(
                        "actual_demonstration_projects",
                        "当年验收示范项目",
                        "Demonstrations accepted",
                        Unit::Count,
                    ),
                    c("entries", "台账期数", "Entries", Unit::Count),
                ],
            },
            TableSpec {
                field: "province",
                id: "province",
                title: L("全省对照国家目标", "The province against the goal line"),
                explode: None,
                only_with: None,
                columns: &[
                    c("year", "年度", "Year", Unit::Text),
                    c("generated", "产生量", "Generated", Unit::Kg),
                    c(
                        "utilized_from_new",
                        "新增综合利用量",
                        "Utilized (new)",
                        Unit::Kg,
                    ),
                    c("new_rate", "新增利用率", "New rate", Unit::Rate),
                    c("working_toward", "阶段目标", "Working toward", Unit::Goal),
                    c("required_bp", "当年要求", "Required", Unit::Bp),
                    c(
                        "meets_required",
                        "达到当年要求",
                        "Meets required",
                        Unit::Bool,
                    ),
                    c(
                        "meets_milestone",
                        "达到阶段目标",
                        "Meets milestone",
                        Unit::Bool,
                    ),
                ],
            },
        ],
    },
    ReportSpec {
        number: 3,
        id: "projects",
        title: L("项目情况", "Projects"),
        filters: &[
            REGION,
            YEAR,
            f(
                "kind",
                "项目类型",
                "Kind",
                Choices::Codes(&[
                    "research_and_development",
                    "industrialization_demonstration",
                    "utilization_capacity",
                    "source_reduction",
                    "new_or_expanded_alumina",
                    "innovation_platform",
                    "standard",
                ]),
            ),
            f(
                "status",
                "状态",
                "Status",
                Choices::Codes(&[
                    "proposed",
                    "approved",
                    "under_construction",
                    "in_operation",
                    "accepted",
                    "acceptance_failed",
                    "suspended",
                    "cancelled",
                    "drafting",
                    "consultation",
                    "published",
                    "withdrawn",
                ]),
            ),
        ],
        tables: &[
            TableSpec {
                field: "total",
                id: "total",
                title: L("合计", "Total"),
                explode: None,
                only_with: None,
                columns: &[
                    c("projects", "项目数", "Projects", Unit::Count),
                    c(
                        "planned_capacity_per_year",
                        "计划利用能力",
                        "Planned capacity",
                        Unit::KgPerYear,
                    ),
                    c(
                        "commissioned_per_year",
                        "已投运能力",
                        "Commissioned",
                        Unit::KgPerYear,
                    ),
                    c("budget", "投资", "Investment", Unit::Fen),
                ],
            },
            TableSpec {
                field: "overdue_milestones",
                id: "overdue",
                title: L("逾期里程碑", "Overdue milestones"),
                explode: None,
                only_with: None,
                columns: &[
                    c("project", "项目", "Project", Unit::Text),
                    c("region", "地区", "Region", Unit::Region),
                    c("status", "状态", "Status", Unit::Code),
                    c("milestone", "里程碑", "Milestone", Unit::Text),
                    c("planned_on", "计划日期", "Due", Unit::Date),
                    c("days_late", "逾期天数", "Days late", Unit::Count),
                ],
            },
            TableSpec {
                field: "lines",
                id: "lines",
                title: L("分类汇总", "Breakdown"),
                explode: None,
                only_with: None,
                columns: &[
                    MEASURE_KEY[0],
                    MEASURE_KEY[1],
                    c("projects", "项目数", "Projects", Unit::Count),
                    c(
                        "planned_capacity_per_year",
                        "计划利用能力",
                        "Planned capacity",
                        Unit::KgPerYear,
                    ),
                    c(
                        "commissioned_per_year",
                        "已投运能力",
                        "Commissioned",
                        Unit::KgPerYear,
                    ),
                    c("budget", "投资", "Investment", Unit::Fen),
                ],
            },
        ],
    },
    ReportSpec {
        number: 4,
        id: "funding",
        title: L("专项资金", "Funding"),
        filters: &[
            REGION,
            YEAR,
            f(
                "source",
                "资金来源",
                "Source",
                Choices::Codes(&[
                    "central_budget_investment",
                    "central_special_funds",
                    "special_treasury_bonds",
                    "provincial_special_funds",
                    "municipal_funds",
                    "investment_fund",
                ]),
            ),
        ],
        tables: &[
            TableSpec {
                field: "total",
                id: "total",
                title: L("合计", "Total"),
                explode: None,
                only_with: None,
                columns: FUNDING_MEASURES,
            },
            TableSpec {
                field: "lines",
                id: "lines",
                title: L("分类汇总", "Breakdown"),
                explode: None,
                only_with: None,
                columns: &[
                    MEASURE_KEY[0],
                    MEASURE_KEY[1],
                    FUNDING_MEASURES[0],
                    FUNDING_MEASURES[1],
                    FUNDING_MEASURES[2],
                    FUNDING_MEASURES[3],
                    FUNDING_MEASURES[4],
                    FUNDING_MEASURES[5],
                ],
            },
            TableSpec {
                field: "anomalies",
                id: "anomalies",
                title: L("拨付异常", "Disbursement anomalies"),
                explode: None,
                only_with: None,
                columns: &[
                    c("problem", "问题", "Problem", Unit::Code),
                    c("project", "项目", "Project", Unit::Text),
                    c("region", "地区", "Region", Unit::Region),
                    c("source", "资金来源", "Source", Unit::Code),
                    c("programme", "专项", "Programme", Unit::Text),
                    c("tranche", "批次", "Tranche", Unit::Count),
                    c("amount", "金额", "Amount", Unit::Fen),
                    c("disbursed_on", "拨付日期", "Disbursed on", Unit::Date),
                ],
            },
        ],
    },
    ReportSpec {
        number: 5,
        id: "tax-incentives",
        title: L("税收优惠", "Tax incentives"),
        filters: &[
            REGION,
            YEAR,
            f(
                "kind",
                "优惠类型",
                "Kind",
                Choices::Codes(&[
                    "vat_immediate_refund",
                    "environmental_tax_exemption",
                    "income_tax_reduction",
                ]),
            ),
        ],
        tables: &[
            TableSpec {
                field: "total",
                id: "total",
                title: L("合计", "Total"),
                explode: None,
                only_with: None,
                columns: TAX_MEASURES,
            },
            TableSpec {
                field: "lines",
                id: "lines",
                title: L("分类汇总", "Breakdown"),
                explode: None,
                only_with: None,
                columns: &[
                    MEASURE_KEY[0],
                    MEASURE_KEY[1],
                    TAX_MEASURES[0],
                    TAX_MEASURES[1],
                    TAX_MEASURES[2],
                    TAX_MEASURES[3],
                    TAX_MEASURES[4],
                    TAX_MEASURES[5],
                    TAX_MEASURES[6],
                    TAX_MEASURES[7],
                    TAX_MEASURES[8],
                    TAX_MEASURES[9],
                ],
            },
        ],
    },
    ReportSpec {
        number: 6,
        id: "bases",
        title: L("基地与称号", "Bases and designations"),
        filters: &[
            REGION,
            YEAR,
            f(
                "kind",
                "基地类型",
                "Kind",
                Choices::Codes(&[
                    "industrial_resource_utilization_base",
                    "bulk_solid_waste_utilization_base",
                    "red_mud_characteristic_park",
                    "zero_waste_park",
                    "zero_waste_city",
                ]),
            ),
        ],
        tables: &[
            TableSpec {
                field: "total",
                id: "total",
                title: L("合计", "Total"),
                explode: None,
                only_with: None,
                columns: BASE_MEASURES,
            },
            TableSpec {
                field: "bases",
                id: "bases",
                title: L("各基地年度目标", "Each base's yearly targets"),
                explode: Some("years"),
                only_with: None,
                columns: &[
                    c("parent/name", "基地", "Base", Unit::Text),
                    c("parent/kind", "类型", "Kind", Unit::Code),
                    c("parent/level", "级别", "Level", Unit::Code),
                    c("parent/region", "地区", "Region", Unit::Region),
                    c("parent/status", "状态", "Status", Unit::Code),
                    c("parent/members", "成员企业", "Members", Unit::Len),
                    c("year", "年度", "Year", Unit::Text),
                    c(
                        "target_red_mud_utilized",
                        "目标利用赤泥",
                        "Target utilized",
                        Unit::Kg,
                    ),
                    c(
                        "actual_red_mud_utilized",
                        "实际利用赤泥",
                        "Actual utilized",
                        Unit::Kg,
                    ),
                    c("gap", "差距", "Gap", Unit::SignedKg),
                    c("met", "达标", "Met", Unit::Bool),
                ],
            },
            TableSpec {
                field: "lines",
                id: "lines",
                title: L("分类汇总", "Breakdown"),
                explode: None,
                only_with: None,
                columns: &[
                    MEASURE_KEY[0],
                    MEASURE_KEY[1],
                    BASE_MEASURES[0],
                    BASE_MEASURES[1],
                    BASE_MEASURES[2],
                    BASE_MEASURES[3],
                ],
            },
            TableSpec {
                field: "designations",
                id: "designations",
                title: L("称号授予与撤销", "Designations granted and revoked"),
                explode: None,
                only_with: None,
                columns: &[
                    c("name", "称号", "Designation", Unit::Text),
                    c("year", "年度", "Year", Unit::Text),
                    c("granted", "授予", "Granted", Unit::Count),
                    c("revoked", "撤销", "Revoked", Unit::Count),
                ],
            },
        ],
    },
    ReportSpec {
        number: 7,
        id: "matching",
        title: L("产用挂钩", "Capacity matching (产用挂钩)"),
        filters: &[REGION, YEAR],
        tables: &[
            TableSpec {
                field: "refineries",
                id: "refineries",
                title: L("氧化铝企业", "Alumina refineries"),
                explode: None,
                only_with: None,
                columns: &[
                    c("enterprise", "企业", "Enterprise", Unit::Text),
                    c("region", "地区", "Region", Unit::Region),
                    c("periods", "台账期数", "Periods", Unit::Count),
                    c("generated", "产生量", "Generated", Unit::Kg),
                    c(
                        "owned_capacity_per_year",
                        "自有利用能力",
                        "Owned capacity",
                        Unit::KgPerYear,
                    ),
                    c(
                        "contracted_capacity_per_year",
                        "协议利用能力",
                        "Contracted capacity",
                        Unit::KgPerYear,
                    ),
                    c("capacity_per_year", "合计能力", "Capacity", Unit::KgPerYear),
                    c("covers", "能力覆盖", "Covers", Unit::Bool),
                    c("shortfall", "缺口", "Shortfall", Unit::Kg),
                    c("coverage", "覆盖率", "Coverage", Unit::Rate),
                ],
            },
            TableSpec {
                field: "projects_lacking",
                id: "lacking",
                title: L(
                    "配套能力不足的新建、扩建项目",
                    "New or expanded alumina projects lacking capacity",
                ),
                explode: None,
                only_with: None,
                columns: &[
                    c("project", "项目", "Project", Unit::Text),
                    c("region", "地区", "Region", Unit::Region),
                    c("status", "状态", "Status", Unit::Code),
                    c(
                        "expected_red_mud_per_year",
                        "预计产生赤泥",
                        "Expected red mud",
                        Unit::KgPerYear,
                    ),
                    c(
                        "owned_capacity_per_year",
                        "自有利用能力",
                        "Owned capacity",
                        Unit::KgPerYear,
                    ),
                    c(
                        "contracted_capacity_per_year",
                        "协议利用能力",
                        "Contracted capacity",
                        Unit::KgPerYear,
                    ),
                    c("shortfall_per_year", "缺口", "Shortfall", Unit::KgPerYear),
                    c("coverage", "覆盖率", "Coverage", Unit::Rate),
                    c("stated", "已说明配套", "Stated", Unit::Bool),
                ],
            },
        ],
    },
    ReportSpec {
        number: 8,
        id: "regional",
        title: L(
            "地区报告：报送数与当前数",
            "Regional reports: frozen against today",
        ),
        filters: &[
            REGION,
            YEAR,
            FilterSpec {
                hint: "2026-Q1",
                ..f("period", "报告期", "Period", Choices::Text)
            },
            f(
                "submissions",
                "报送次序",
                "Submissions",
                Choices::Fixed(&[
                    ("", L("每期最新报送", "Latest of each period")),
                    ("all", L("全部（含已退回）", "All, returned ones too")),
                ]),
            ),
        ],
        tables: &[TableSpec {
            field: "lines",
            id: "lines",
            title: L("报送的报告", "Submitted reports"),
            explode: None,
            only_with: None,
            columns: &[
                c("region", "地区", "Region", Unit::Region),
                c("period", "报告期", "Period", Unit::Period),
                c("submission", "报送次数", "Submission", Unit::Count),
                c("status", "状态", "Status", Unit::ReportStatus),
                c("submitted_on", "报送日期", "Submitted on", Unit::Date),
                c(
                    "frozen/ledger/generated",
                    "报送时产生量",
                    "Generated (frozen)",
                    Unit::Kg,
                ),
                c(
                    "today/ledger/generated",
                    "当前产生量",
                    "Generated (today)",
                    Unit::Kg,
                ),
                c("changed", "有变化", "Changed", Unit::Bool),
                c(
                    "changes",
                    "报送后台账变动",
                    "Ledger changes since",
                    Unit::Len,
                ),
            ],
        }],
    },
    ReportSpec {
        number: 9,
        id: "tasks",
        title: L("主要任务与责任单位", "Plan tasks and responsible units"),
        filters: &[
            f(
                "task",
                "主要任务",
                "Main task",
                Choices::Domain(Enumeration::PlanTask),
            ),
            f(
                "unit",
                "责任单位",
                "Responsible unit",
                Choices::Domain(Enumeration::ResponsibleUnit),
            ),
            REGION,
            YEAR,
        ],
        tables: &[
            TableSpec {
                field: "tasks",
                id: "tasks",
                title: L("主要任务", "Main tasks"),
                explode: None,
                only_with: None,
                columns: TASK_COLUMNS,
            },
            TableSpec {
                field: "units",
                id: "units",
                title: L("责任单位", "Responsible units"),
                explode: None,
                only_with: None,
                columns: UNIT_COLUMNS,
            },
            TableSpec {
                field: "tasks",
                id: "projects",
                title: L("各任务的项目", "Projects by task"),
                explode: Some("projects"),
                only_with: Some("id"),
                columns: &[
                    c("parent/name", "主要任务", "Main task", Unit::Localized),
                    c("name", "项目", "Project", Unit::Text),
                    c("kind", "类型", "Kind", Unit::Code),
                    c("region", "地区", "Region", Unit::Region),
                    c("status", "状态", "Status", Unit::Code),
                    c(
                        "responsible_units",
                        "责任单位",
                        "Responsible units",
                        Unit::Codes,
                    ),
                    c(
                        "milestones_due",
                        "30日内到期",
                        "Due in 30 days",
                        Unit::Count,
                    ),
                    c("milestones_overdue", "逾期里程碑", "Overdue", Unit::Count),
                    c("awarded", "已下达", "Awarded", Unit::Fen),
                    c("disbursed", "已拨付", "Disbursed", Unit::Fen),
                    c(
                        "planned_capacity_per_year",
                        "计划能力",
                        "Planned capacity",
                        Unit::KgPerYear,
                    ),
                    c(
                        "commissioned_per_year",
                        "已投运能力",
                        "Commissioned",
                        Unit::KgPerYear,
                    ),
                    c("typical_case", "典型案例", "Typical case", Unit::Bool),
                ],
            },
            TableSpec {
                field: "tasks",
                id: "routes",
                title: L("任务三：分途径综合利用量", "Task 3: utilized by route"),
                explode: None,
                only_with: Some("utilized_by_route"),
                columns: &[
                    c("name", "主要任务", "Main task", Unit::Localized),
                    c(
                        "utilized_by_route/building_materials",
                        "建材",
                        "Building materials",
                        Unit::Kg,
                    ),
                    c("utilized_by_route/cement", "水泥", "Cement", Unit::Kg),
                    c("utilized_by_route/steel", "钢铁", "Steel", Unit::Kg),
                    c("utilized_by_route/chemicals", "化工", "Chemicals", Unit::Kg),
                    c(
                        "utilized_by_route/element_extraction",
                        "有价元素提取",
                        "Element extraction",
                        Unit::Kg,
                    ),
                    c(
                        "utilized_by_route/mine_backfill",
                        "矿山充填回填",
                        "Mine backfill",
                        Unit::Kg,
                    ),
                    c(
                        "utilized_by_route/road_base",
                        "路基材料",
                        "Road base",
                        Unit::Kg,
                    ),
                    c(
                        "utilized_by_route/soilification",
                        "土壤化",
                        "Soilification",
                        Unit::Kg,
                    ),
                    c("utilized_by_route/other", "其他", "Other", Unit::Kg),
                ],
            },
            TableSpec {
                field: "tasks",
                id: "matching",
                title: L("任务五：产用挂钩", "Task 5: capacity matching (产用挂钩)"),
                explode: None,
                only_with: Some("matching"),
                columns: &[
                    c("name", "主要任务", "Main task", Unit::Localized),
                    c(
                        "matching/projects",
                        "说明配套的项目",
                        "Projects stating capacity",
                        Unit::Count,
                    ),
                    c("matching/covered", "能力覆盖的项目", "Covered", Unit::Count),
                    c(
                        "matching/expected_red_mud_per_year",
                        "预计产生赤泥",
                        "Expected red mud",
                        Unit::KgPerYear,
                    ),
                    c(
                        "matching/owned_capacity_per_year",
                        "自有利用能力",
                        "Owned capacity",
                        Unit::KgPerYear,
                    ),
                    c(
                        "matching/contracted_capacity_per_year",
                        "协议利用能力",
                        "Contracted capacity",
                        Unit::KgPerYear,
                    ),
                    c(
                        "matching/shortfall_per_year",
                        "缺口",
                        "Shortfall",
                        Unit::KgPerYear,
                    ),
                ],
            },
            TableSpec {
                field: "tasks",
                id: "targets",
                title: L("指向任务的地区目标", "Regional targets by task"),
                explode: Some("targets"),
                only_with: Some("region"),
                columns: &[
                    c("parent/name", "主要任务", "Main task", Unit::Localized),
                    c("region", "地区", "Region", Unit::Region),
                    c("year", "年度", "Year", Unit::Text),
                    c("red_mud_to_utilize", "目标利用量", "To utilize", Unit::Kg),
                ],
            },
        ],
    },
    ReportSpec {
        number: 10,
        id: "typical-cases",
        title: L("典型案例", "Typical cases"),
        filters: &[
            REGION,
            f(
                "include_withdrawn",
                "范围",
                "Scope",
                Choices::Fixed(&[
                    ("", L("现行推荐", "Standing recommendations")),
                    ("true", L("含已撤回", "Including withdrawn")),
                ]),
            ),
        ],
        tables: &[TableSpec {
            field: "cases",
            id: "cases",
            title: L("推荐的典型案例", "Recommended typical cases"),
            explode: None,
            only_with: None,
            columns: &[
                c("subject", "对象", "Subject", Unit::Category),
                c("name", "名称", "Name", Unit::Text),
                c("region", "地区", "Region", Unit::Region),
                c("status", "状态", "Status", Unit::Code),
                c("summary", "典型经验", "Summary", Unit::Text),
                c("recommended_on", "推荐日期", "Recommended on", Unit::Date),
                c("withdrawn_on", "撤回日期", "Withdrawn on", Unit::Date),
                c(
                    "withdrawal_reason",
                    "撤回原因",
                    "Reason withdrawn",
                    Unit::Text,
                ),
            ],
        }],
    },
];

/// Sums over a task's or a unit's projects (`totals` of report 9).
const TASK_TOTALS: [Column; 7] = [
    c("totals/projects", "项目数", "Projects", Unit::Count),
    c(
        "totals/milestones_due",
        "30日内到期",
        "Due in 30 days",
        Unit::Count,
    ),
    c(
        "totals/milestones_overdue",
        "逾期里程碑",
        "Overdue",
        Unit::Count,
    ),
    c("totals/awarded", "已下达", "Awarded", Unit::Fen),
    c("totals/disbursed", "已拨付", "Disbursed", Unit::Fen),
    c(
        "totals/planned_capacity_per_year",
        "计划能力",
        "Planned capacity",
        Unit::KgPerYear,
    ),
    c(
        "totals/commissioned_per_year",
        "已投运能力",
        "Commissioned",
        Unit::KgPerYear,
    ),
];

const TASK_COLUMNS: &[Column] = &{
    let key = [
        c("number", "序号", "No.", Unit::Count),
        c("name", "主要任务", "Main task", Unit::Localized),
        c(
            "responsible_units",
            "责任单位",
            "Responsible units",
            Unit::Codes,
        ),
    ];
    let mut all = [key[0]; 10];
    let mut i = 0;
    while i < 10 {
        all[i] = if i < 3 { key[i] } else { TASK_TOTALS[i - 3] };
        i += 1;
    }
    all
};

const UNIT_COLUMNS: &[Column] = &{
    let key = [
        c("unit/name", "责任单位", "Responsible unit", Unit::Localized),
        c("tasks", "牵头或参与的任务", "Tasks", Unit::Codes),
    ];
    let mut all = [key[0]; 9];
    let mut i = 0;
    while i < 9 {
        all[i] = if i < 2 { key[i] } else { TASK_TOTALS[i - 2] };
        i += 1;
    }
    all
};

const FUNDING_MEASURES: &[Column] = &[
    c("awards", "下达笔数", "Awards", Unit::Count),
    c("awarded", "已下达", "Awarded", Unit::Fen),
    c("disbursed", "已拨付", "Disbursed", Unit::Fen),
    c("recovered", "已追回", "Recovered", Unit::Fen),
    c("outstanding", "待拨付", "Outstanding", Unit::Fen),
    c("net_disbursed", "净拨付", "Net disbursed", Unit::Fen),
];

const TAX_MEASURES: &[Column] = &[
    c("claims", "申请数", "Claims", Unit::Count),
    c("approved_claims", "批准数", "Approved claims", Unit::Count),
    c("rejected_claims", "驳回数", "Rejected claims", Unit::Count),
    c("pending_claims", "待审数", "Pending claims", Unit::Count),
    c("claimed", "申请金额", "Claimed", Unit::Fen),
    c("approved", "批准金额", "Approved", Unit::Fen),
    c("rejected", "驳回金额", "Rejected", Unit::Fen),
    c("pending", "待审金额", "Pending", Unit::Fen),
    c("recovered", "追回金额", "Recovered", Unit::Fen),
    c("net", "净优惠", "Net", Unit::Fen),
];

const BASE_MEASURES: &[Column] = &[
    c("bases", "基地数", "Bases", Unit::Count),
    c("designated", "在认定期", "Designated", Unit::Count),
    c("revoked", "已撤销", "Revoked", Unit::Count),
    c("members", "成员企业", "Members", Unit::Count),
];

/// The report with this path segment.
pub fn report(id: &str) -> Option<&'static ReportSpec> {
    REPORTS.iter().find(|r| r.id == id)
}

/// `/api/reports/<id>?…` with the filters' values (blank ones left out), `as_of` and, for the
/// download, `format=csv`.
pub fn report_path(
    spec: &ReportSpec,
    values: &[(&'static str, String)],
    as_of: Option<&str>,
    csv: bool,
) -> String {
    let mut pairs: Vec<(&str, String)> = spec
        .filters
        .iter()
        .filter_map(|f| {
            values
                .iter()
                .find(|(name, _)| *name == f.name)
                .map(|(name, v)| (*name, v.clone()))
        })
        .collect();
    pairs.push(("as_of", as_of.unwrap_or_default().to_owned()));
    if csv {
        pairs.push(("format", "csv".to_owned()));
    }
    let q = query(&pairs);
    if q.is_empty() {
        format!("/api/reports/{}", spec.id)
    } else {
        format!("/api/reports/{}?{q}", spec.id)
    }
}

/// The rows of a table in a report's JSON body.
pub fn rows(body: &Value, table: &TableSpec) -> Vec<Value> {
    let items = match &body[table.field] {
        Value::Array(items) => items.clone(),
        Value::Object(_) => vec![body[table.field].clone()],
        _ => Vec::new(),
    };
    let shown = |row: &Value| {
        table
            .only_with
            .is_none_or(|field| !row.get(field).unwrap_or(&Value::Null).is_null())
    };
    let Some(children) = table.explode else {
        return items.into_iter().filter(shown).collect();
    };
    items
        .into_iter()
        .flat_map(|parent| {
            let kids = parent[children].as_array().cloned().unwrap_or_default();
            let with_parent = |kid: Value| {
                let mut row = match kid {
                    Value::Object(map) => map,
                    _ => Map::new(),
                };
                row.insert("parent".into(), parent.clone());
                Value::Object(row)
            };
            if kids.is_empty() {
                vec![with_parent(Value::Null)]
            } else {
                kids.into_iter().map(with_parent).collect()
            }
        })
        .filter(shown)
        .collect()
}

/// The raw JSON value of a column in a row (`Null` when absent).
pub fn value<'a>(row: &'a Value, column: &Column) -> &'a Value {
    row.pointer(&format!("/{}", column.path))
        .unwrap_or(&Value::Null)
}

/// The raw value as text (numbers and strings as the API sends them; a rate as its percent):
/// what `data-raw` carries, for checks against the API.
pub fn raw(row: &Value, column: &Column) -> String {
    match value(row, column) {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Object(o) if column.unit == Unit::Rate => o
            .get("percent")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        other => other.to_string(),
    }
}

fn rate_of(value: &Value) -> Option<Ratio> {
    Ratio::new(value["numerator"].as_u64()?, value["denominator"].as_u64()?).ok()
}

fn bp(value: &Value) -> Option<String> {
    let bp = u16::try_from(value.as_u64()?).ok()?;
    Some(format::percent(BasisPoints::saturating(bp).as_ratio()))
}

fn region_code(value: &Value) -> Option<Region> {
    let code = value
        .as_str()
        .and_then(|s| s.parse::<u32>().ok())
        .or_else(|| value.as_u64().and_then(|c| u32::try_from(c).ok()))?;
    Region::from_code(code).ok()
}

/// A cell formatted for the locale ("—" for an undefined value).
pub fn cell(row: &Value, column: &Column, lang: Lang) -> String {
    let v = value(row, column);
    let dash = || "—".to_owned();
    let yes_no = |b: bool| match (lang, b) {
        (Lang::Zh, true) => "是",
        (Lang::Zh, false) => "否",
        (Lang::En, true) => "yes",
        (Lang::En, false) => "no",
    };
    let kg = |k: u64| Kg::new(k).map(|k| format::tonnes(k, lang)).ok();
    let shown = match column.unit {
        Unit::Text => match v {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        },
        Unit::Count => v.as_u64().map(format::group),
        Unit::Kg => v.as_u64().and_then(kg),
        Unit::SignedKg => v.as_i64().and_then(|k| {
            let shown = kg(k.unsigned_abs())?;
            Some(if k < 0 { format!("−{shown}") } else { shown })
        }),
        Unit::KgPerYear => v.as_u64().and_then(kg).map(|t| match lang {
            Lang::Zh => format!("{t}/年"),
            Lang::En => format!("{t}/yr"),
        }),
        Unit::Fen => v
            .as_u64()
            .and_then(|fen| Fen::new(fen).ok())
            .map(|fen| format::money(fen, lang)),
        Unit::Rate => rate_of(v).map(format::percent),
        Unit::Bp => bp(v),
        Unit::Bool => v.as_bool().map(|b| yes_no(b).to_owned()),
        Unit::Date => v
            .as_str()
            .and_then(|s| s.parse::<NaiveDate>().ok())
            .map(|d| format::date(d, lang)),
        Unit::Region => region_code(v).map(|r| format::region(r, lang)),
        Unit::Period => v.as_str().map(|s| {
            s.parse::<Period>()
                .map(|p| format::period(p, lang))
                .unwrap_or_else(|_| s.to_owned())
        }),
        Unit::Code => v.as_str().map(|s| labels::code(s, lang)),
        Unit::ReportStatus => v.as_str().map(|s| labels::report_status(s, lang)),
        Unit::Dimension => v.as_str().map(|s| labels::dimension(s, lang)),
        Unit::Len => v.as_array().map(|a| format::group(a.len() as u64)),
        Unit::Localized => {
            let suffix = match lang {
                Lang::Zh => "_zh",
                Lang::En => "_en",
            };
            row.pointer(&format!("/{}{suffix}", column.path))
                .and_then(Value::as_str)
                .map(str::to_owned)
        }
        Unit::Codes => v.as_array().map(|items| {
            let names: Vec<String> = items
                .iter()
                .filter_map(|item| item.as_str().or_else(|| item["code"].as_str()))
                .map(|code| labels::code(code, lang))
                .collect();
            names.join(match lang {
                Lang::Zh => "、",
                Lang::En => ", ",
            })
        }),
        Unit::Category => v.as_str().map(|s| labels::category(s, lang)),
        Unit::Goal => v.as_array().and_then(|goal| {
            let year = goal.first()?.as_u64()?;
            Some(format!("{year}: {}", bp(goal.get(1)?)?))
        }),
    };
    shown.filter(|s| !s.is_empty()).unwrap_or_else(dash)
}

/// The balance report's province lines as a chart series: (period label, generated, utilized).
pub fn balance_series(body: &Value, lang: Lang) -> Vec<(String, Kg, Kg)> {
    let kg = |v: &Value| v.as_u64().and_then(|k| Kg::new(k).ok()).unwrap_or(Kg::ZERO);
    body["lines"]
        .as_array()
        .map(|lines| {
            lines
                .iter()
                .filter(|l| l["region"].as_str() == Some("520000") && l["enterprise_id"].is_null())
                .map(|l| {
                    let period = l["period"].as_str().unwrap_or_default();
                    let label = period
                        .parse::<Period>()
                        .map(|p| format::period(p, lang))
                        .unwrap_or_else(|_| period.to_owned());
                    (
                        label,
                        kg(&l["figures"]["generated"]),
                        kg(&l["utilized_total"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_report_is_specified_once_with_labels_in_both_languages() {
        let numbers: Vec<u8> = REPORTS.iter().map(|r| r.number).collect();
        assert_eq!(numbers, (1..=10).collect::<Vec<_>>());
        for report in REPORTS {
            assert!(!report.tables.is_empty(), "{}", report.id);
            let labels = report
                .tables
                .iter()
                .flat_map(|t| t.columns.iter().map(|c| c.label).chain([t.title]))
                .chain(report.filters.iter().map(|f| f.label))
                .chain([report.title]);
            for L(zh, en) in labels {
                assert!(!zh.is_empty() && !en.is_empty(), "{}", report.id);
                assert!(
                    !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                        || en.contains("产用挂钩"),
                    "{en}"
                );
            }
            for filter in report.filters {
                if let Choices::Codes(codes) = filter.choices {
                    for code in codes {
                        assert_ne!(labels::code(code, Lang::Zh), *code, "{code} has no name");
                    }
                }
                if let Choices::Domain(values) = filter.choices {
                    assert!(!values.values().is_empty(), "{}", filter.name);
                }
            }
        }
        assert_eq!(report("funding").map(|r| r.number), Some(4));
        assert_eq!(report("nope"), None);
    }

    #[test]
    fn the_report_query_carries_its_filters_the_moment_and_the_format() {
        let Some(balance) = report("balance") else {
            panic!("balance")
        };
        let values = [
            ("granularity", "year".to_owned()),
            ("region", "520100".to_owned()),
            ("year", String::new()),
            ("ignored", "x".to_owned()),
        ];
        assert_eq!(
            report_path(balance, &values, Some("300"), false),
            "/api/reports/balance?granularity=year&region=520100&as_of=300"
        );
        assert_eq!(
            report_path(balance, &[], None, true),
            "/api/reports/balance?format=csv"
        );
        assert_eq!(
            report_path(balance, &[], None, false),
            "/api/reports/balance"
        );
    }

    #[test]
    fn cells_are_formatted_for_the_locale() {
        let row = json!({
            "generated": 1_234_567_000u64, "gap": -2_000_000, "budget": 1_234_560_000_u64,
            "rate": {"numerator": 1, "denominator": 8, "basis_points": 1250, "percent": "12.50%"},
            "none": null, "bp": 1500, "on_pace": true, "region": "520100", "period": "2026-Q1",
            "kind": "red_mud_characteristic_park", "by": "source", "members": [1, 2, 3],
            "goal": [2027, 1500], "day": "2026-03-31", "cap": 500_000_000u64,
        });
        let at = |path: &'static str, unit: Unit, lang: Lang| {
            cell(&row, &c(path, "甲", "A", unit), lang)
        };
        assert_eq!(
            at("generated", Unit::Kg, Lang::En),
            format::tonnes(Kg::new(1_234_567_000).unwrap_or(Kg::ZERO), Lang::En)
        );
        assert!(at("gap", Unit::SignedKg, Lang::Zh).starts_with('−'));
        let eighth = Ratio::new(1, 8).unwrap_or_else(|_| panic!("ratio"));
        assert_eq!(at("rate", Unit::Rate, Lang::En), format::percent(eighth));
        assert_eq!(at("none", Unit::Rate, Lang::En), "—");
        assert_eq!(at("missing", Unit::Kg, Lang::En), "—");
        let fifteen = format::percent(BasisPoints::saturating(1500).as_ratio());
        assert_eq!(at("bp", Unit::Bp, Lang::En), fifteen);
        assert_eq!(at("on_pace", Unit::Bool, Lang::Zh), "是");
        assert_eq!(at("region", Unit::Region, Lang::Zh), "贵阳市");
        assert_eq!(at("kind", Unit::Code, Lang::Zh), "赤泥综合利用特色园区");
        assert_eq!(at("by", Unit::Dimension, Lang::En), "By source");
        assert_eq!(at("members", Unit::Len, Lang::En), "3");
        assert_eq!(at("goal", Unit::Goal, Lang::En), format!("2027: {fifteen}"));
        assert!(at("cap", Unit::KgPerYear, Lang::Zh).ends_with("/年"));
        assert_eq!(raw(&row, &c("rate", "甲", "A", Unit::Rate)), "12.50%");
        assert_eq!(
            raw(&row, &c("generated", "甲", "A", Unit::Kg)),
            "1234567000"
        );
        assert!(Unit::Fen.numeric() && !Unit::Text.numeric());
    }

    #[test]
    fn rows_come_from_lists_objects_and_exploded_children() {
        let body = json!({
            "total": {"bases": 2},
            "bases": [
                {"name": "甲", "years": [{"year": 2025}, {"year": 2026}]},
                {"name": "乙", "years": []},
            ],
        });
        let Some(bases) = report("bases") else {
            panic!("bases")
        };
        let total = rows(&body, &bases.tables[0]);
        assert_eq!(total, vec![json!({"bases": 2})]);
        let exploded = rows(&body, &bases.tables[1]);
        assert_eq!(exploded.len(), 3);
        let name = c("parent/name", "甲", "A", Unit::Text);
        assert_eq!(cell(&exploded[1], &name, Lang::Zh), "甲");
        assert_eq!(exploded[1]["year"], 2026);
        assert_eq!(cell(&exploded[2], &name, Lang::Zh), "乙");
        assert!(rows(&json!({}), &bases.tables[2]).is_empty());
    }

    #[test]
    fn the_tasks_report_shows_names_in_the_locale_and_only_the_rows_a_table_is_about() {
        let Some(tasks) = report("tasks") else {
            panic!("tasks")
        };
        let body = json!({
            "tasks": [
                { "task": "source_reduction", "number": 1, "name_zh": "源头减量",
                  "name_en": "Source reduction",
                  "responsible_units": [{ "code": "industry_it" }, { "code": "ecology_environment" }],
                  "projects": [], "targets": [] },
                { "task": "utilization_scale", "number": 3, "name_zh": "扩大综合利用规模",
                  "name_en": "Larger utilization scale", "responsible_units": [],
                  "projects": [{ "id": "p1", "name": "赤泥路基", "responsible_units": ["natural_resources"] }],
                  "targets": [{ "region": "520100", "year": 2026, "red_mud_to_utilize": 5 }],
                  "utilized_by_route": { "cement": 2_000_000 } },
            ],
            "units": [{ "unit": { "code": "energy", "name_zh": "省能源局", "name_en": "Energy Administration" },
                        "tasks": ["industrial_synergy"] }]
        });
        let table = |id: &str| tasks.tables.iter().find(|t| t.id == id).copied();
        let (Some(all), Some(projects), Some(routes), Some(targets), Some(units)) = (
            table("tasks"),
            table("projects"),
            table("routes"),
            table("targets"),
            table("units"),
        ) else {
            panic!("tables")
        };
        assert_eq!(rows(&body, &all).len(), 2);
        // Task 1 has no projects and no targets: its exploded placeholder rows are not shown.
        assert_eq!(rows(&body, &projects).len(), 1);
        assert_eq!(rows(&body, &targets).len(), 1);
        // Only task 3 carries utilization by route.
        let route_rows = rows(&body, &routes);
        assert_eq!(route_rows.len(), 1);
        let cement = routes.columns[2];
        assert_eq!(cement.path, "utilized_by_route/cement");
        assert_eq!(cell(&route_rows[0], &cement, Lang::Zh), "2,000 吨");
        let task_name = all.columns[1];
        assert_eq!(
            cell(&rows(&body, &all)[0], &task_name, Lang::En),
            "Source reduction"
        );
        assert_eq!(
            cell(&rows(&body, &all)[0], &all.columns[2], Lang::Zh),
            "省工业和信息化厅、省生态环境厅"
        );
        let project = &rows(&body, &projects)[0];
        assert_eq!(
            cell(project, &projects.columns[0], Lang::Zh),
            "扩大综合利用规模"
        );
        assert_eq!(
            cell(project, &projects.columns[5], Lang::En),
            "Department of Natural Resources"
        );
        let unit = &rows(&body, &units)[0];
        assert_eq!(cell(unit, &units.columns[0], Lang::Zh), "省能源局");
        assert_eq!(
            cell(unit, &units.columns[1], Lang::En),
            "Industrial synergy"
        );
        let Some(cases) = report("typical-cases") else {
            panic!("typical cases")
        };
        let case = json!({ "subject": "project", "status": "recommended" });
        assert_eq!(cell(&case, &cases.tables[0].columns[0], Lang::Zh), "项目");
        assert_eq!(
            cell(&case, &cases.tables[0].columns[3], Lang::En),
            "Recommended"
        );
    }

    #[test]
    fn the_balance_chart_takes_the_province_lines() {
        let body = json!({"lines": [
            {"period": "2026-Q1", "region": "520000", "figures": {"generated": 10}, "utilized_total": 4},
            {"period": "2026-Q1", "region": "520100", "figures": {"generated": 6}, "utilized_total": 2},
        ]});
        let series = balance_series(&body, Lang::En);
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].1, Kg::new(10).unwrap_or(Kg::ZERO));
        assert_eq!(series[0].2, Kg::new(4).unwrap_or(Kg::ZERO));
    }
}
