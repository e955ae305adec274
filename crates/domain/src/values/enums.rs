//! The plan's enumerations. Each has a stable snake_case code (its serde and `Display` form), a
//! Chinese name and an English name, and parses from its code with a typed error.

use std::fmt;
use std::str::FromStr;

/// A code that is not one of an enumeration's codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[error("{input:?} is not a {enumeration} code")]
pub struct UnknownCode {
    /// The enumeration's name, e.g. "UtilizationRoute".
    pub enumeration: &'static str,
    /// The text given.
    pub input: String,
}

macro_rules! plan_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = ($code:literal, $zh:literal, $en:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable code (serde and `Display` form).
            pub const fn code(self) -> &'static str {
                match self { $( $name::$variant => $code, )+ }
            }

            /// Chinese name as in the plan.
            pub const fn name_zh(self) -> &'static str {
                match self { $( $name::$variant => $zh, )+ }
            }

            /// English name.
            pub const fn name_en(self) -> &'static str {
                match self { $( $name::$variant => $en, )+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl FromStr for $name {
            type Err = UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $code => Ok($name::$variant), )+
                    _ => Err(UnknownCode { enumeration: stringify!($name), input: s.to_owned() }),
                }
            }
        }

        super::string_serde!($name);

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn schema_id() -> std::borrow::Cow<'static, str> {
                concat!(module_path!(), "::", stringify!($name)).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                crate::schema::code_enum(
                    $name::ALL.iter().map(|v| (v.code().to_owned(), v.name_zh(), v.name_en())),
                )
            }
        }
    };
}

plan_enum! {
    /// The plan's five main tasks (主要任务).
    pub enum PlanTask {
        /// (一) 推动赤泥源头减量.
        SourceReduction = ("source_reduction", "源头减量", "Source reduction"),
        /// (二) 提高赤泥可利用性.
        Usability = ("usability", "提高可利用性", "Better usability"),
        /// (三) 扩大综合利用规模.
        UtilizationScale = ("utilization_scale", "扩大综合利用规模", "Larger utilization scale"),
        /// (四) 提升技术创新能力.
        TechnologyInnovation = ("technology_innovation", "提升技术创新能力", "Technology innovation"),
        /// (五) 统筹强化产业协同.
        IndustrialSynergy = ("industrial_synergy", "统筹强化产业协同", "Industrial synergy"),
    }
}

plan_enum! {
    /// The plan's four safeguards (保障措施).
    pub enum PlanSafeguard {
        /// (一) 加强组织领导.
        Organisation = ("organisation", "加强组织领导", "Organisation and leadership"),
        /// (二) 培育骨干力量.
        BackboneForces = ("backbone_forces", "培育骨干力量", "Backbone forces"),
        /// (三) 加大支持力度.
        Support = ("support", "加大支持力度", "Funding and policy support"),
        /// (四) 强化宣传引导.
        Publicity = ("publicity", "强化宣传引导", "Publicity and guidance"),
    }
}

plan_enum! {
    /// The provincial departments the plan names as responsible units (责任单位).
    pub enum ResponsibleUnit {
        /// 省工业和信息化厅.
        IndustryIt = ("industry_it", "省工业和信息化厅", "Department of Industry and Information Technology"),
        /// 省生态环境厅.
        EcologyEnvironment = ("ecology_environment", "省生态环境厅", "Department of Ecology and Environment"),
        /// 省住房和城乡建设厅.
        HousingUrbanRural = ("housing_urban_rural", "省住房和城乡建设厅", "Department of Housing and Urban-Rural Development"),
        /// 省自然资源厅.
        NaturalResources = ("natural_resources", "省自然资源厅", "Department of Natural Resources"),
        /// 省市场监管局.
        MarketRegulation = ("market_regulation", "省市场监管局", "Administration for Market Regulation"),
        /// 省科技厅.
        ScienceTechnology = ("science_technology", "省科技厅", "Department of Science and Technology"),
        /// 省发展改革委.
        DevelopmentReform = ("development_reform", "省发展改革委", "Development and Reform Commission"),
        /// 省能源局.
        Energy = ("energy", "省能源局", "Energy Administration"),
        /// 省财政厅.
        Finance = ("finance", "省财政厅", "Department of Finance"),
        /// 国家税务总局贵州省税务局.
        Taxation = ("taxation", "国家税务总局贵州省税务局", "Guizhou Provincial Tax Service, STA"),
        /// 省国资委.
        StateAssets = ("state_assets", "省国资委", "State-owned Assets Supervision and Administration Commission"),
        /// 黔晟国资公司.
        Qiansheng = ("qiansheng", "黔晟国资公司", "Qiansheng State-owned Assets company"),
    }
}

plan_enum! {
    /// Ways red mud is comprehensively utilized (综合利用途径).
    pub enum UtilizationRoute {
        /// 建材 (bricks, blocks, ceramsite, …).
        BuildingMaterials = ("building_materials", "建材", "Building materials"),
        /// 水泥 (raw meal, clinker, admixture).
        Cement = ("cement", "水泥", "Cement"),
        /// 钢铁 (iron recovery, sintering).
        Steel = ("steel", "钢铁", "Steel"),
        /// 化工.
        Chemicals = ("chemicals", "化工", "Chemicals"),
        /// 有价元素提取 (锂、镓、钪、铌、钛).
        ElementExtraction = ("element_extraction", "有价元素提取", "Element extraction (Li/Ga/Sc/Nb/Ti)"),
        /// 矿山充填回填.
        MineBackfill = ("mine_backfill", "矿山充填回填", "Mine filling and backfill"),
        /// 路基材料.
        RoadBase = ("road_base", "路基材料", "Road base"),
        /// 土壤化 / 生态修复.
        Soilification = ("soilification", "土壤化", "Soilification"),
        /// 其他.
        Other = ("other", "其他", "Other"),
    }
}

plan_enum! {
    /// Valuable elements the plan names for extraction from red mud and bauxite.
    pub enum RecoveredElement {
        /// 锂 lithium.
        Lithium = ("li", "锂", "Lithium"),
        /// 镓 gallium.
        Gallium = ("ga", "镓", "Gallium"),
        /// 钪 scandium.
        Scandium = ("sc", "钪", "Scandium"),
        /// 铌 niobium.
        Niobium = ("nb", "铌", "Niobium"),
        /// 钛 titanium.
        Titanium = ("ti", "钛", "Titanium"),
    }
}

plan_enum! {
    /// Sectors of downstream users of red mud (赤泥产品应用重点领域).
    pub enum DownstreamSector {
        /// 水泥.
        Cement = ("cement", "水泥", "Cement"),
        /// 建材.
        BuildingMaterials = ("building_materials", "建材", "Building materials"),
        /// 钢铁.
        Steel = ("steel", "钢铁", "Steel"),
        /// 化工.
        Chemicals = ("chemicals", "化工", "Chemicals"),
        /// 矿山 (充填回填).
        MineBackfill = ("mine_backfill", "矿山充填回填", "Mine backfill"),
        /// 交通.
        Transport = ("transport", "交通", "Transport"),
        /// 火电.
        ThermalPower = ("thermal_power", "火电", "Thermal power"),
    }
}

plan_enum! {
    /// Designations an enterprise can be granted (and have revoked).
    pub enum DesignationKind {
        /// 无废企业.
        ZeroWasteEnterprise = ("zero_waste_enterprise", "无废企业", "Zero-waste enterprise"),
        /// 专精特新中小企业.
        SpecializedSme = ("specialized_sme", "专精特新中小企业", "Specialized, refined, distinctive and innovative SME"),
        /// 专精特新"小巨人"企业.
        LittleGiant = ("little_giant", "专精特新“小巨人”企业", "\"Little giant\" enterprise"),
        /// 制造业单项冠军.
        SingleItemChampion = ("single_item_champion", "制造业单项冠军", "Manufacturing single-item champion"),
        /// 技术创新示范企业.
        TechnologyInnovationDemonstration = ("technology_innovation_demonstration", "技术创新示范企业", "Technology innovation demonstration enterprise"),
        /// 国家级企业技术中心.
        NationalTechnologyCentre = ("national_technology_centre", "国家级企业技术中心", "National enterprise technology centre"),
        /// 省级企业技术中心.
        ProvincialTechnologyCentre = ("provincial_technology_centre", "省级企业技术中心", "Provincial enterprise technology centre"),
        /// 绿色工厂.
        GreenFactory = ("green_factory", "绿色工厂", "Green factory"),
    }
}

plan_enum! {
    /// The level of the authority granting a designation (for bases, parks, platforms).
    pub enum DesignationLevel {
        /// 国家级.
        National = ("national", "国家级", "National"),
        /// 省级.
        Provincial = ("provincial", "省级", "Provincial"),
        /// 市（州）级.
        Municipal = ("municipal", "市（州）级", "Municipal"),
    }
}

plan_enum! {
    /// Where funding comes from (资金来源).
    pub enum FundingSource {
        /// 中央预算内投资.
        CentralBudgetInvestment = ("central_budget_investment", "中央预算内投资", "Central budget investment"),
        /// 中央财政专项资金.
        CentralSpecialFunds = ("central_special_funds", "中央财政专项资金", "Central special funds"),
        /// 超长期特别国债.
        SpecialTreasuryBonds = ("special_treasury_bonds", "超长期特别国债", "Ultra-long special treasury bonds"),
        /// 省级专项资金.
        ProvincialSpecialFunds = ("provincial_special_funds", "省级专项资金", "Provincial special funds"),
        /// 市（州）、县财政资金.
        MunicipalFunds = ("municipal_funds", "市县财政资金", "Municipal and county funds"),
        /// 基金 (e.g. 黔晟国资).
        InvestmentFund = ("investment_fund", "产业投资基金", "Investment fund"),
    }
}

plan_enum! {
    /// Kinds of project the plan supports (项目类型).
    pub enum ProjectKind {
        /// 研发攻关 / "揭榜挂帅" open-competition R&D.
        ResearchAndDevelopment = ("research_and_development", "研发攻关（揭榜挂帅）", "R&D (open competition)"),
        /// 产业化示范工程.
        IndustrializationDemonstration = ("industrialization_demonstration", "产业化示范工程", "Industrialization demonstration project"),
        /// 综合利用能力建设.
        UtilizationCapacity = ("utilization_capacity", "综合利用能力建设", "Utilization capacity construction"),
        /// 源头减量 / 工艺升级.
        SourceReduction = ("source_reduction", "源头减量（工艺升级）", "Source reduction / process upgrade"),
        /// 新建、改扩建氧化铝项目 (must bring matching utilization capacity, 产用挂钩).
        NewOrExpandedAlumina = ("new_or_expanded_alumina", "新建、改扩建氧化铝项目", "New or expanded alumina project"),
        /// 创新平台 (joint innovation platforms, technology centres).
        InnovationPlatform = ("innovation_platform", "创新平台", "Innovation platform"),
        /// 标准制修订 (团体标准, 技术规程, 污染防治规范): carries [`crate::project::StandardSpec`] and
        /// follows the standard lifecycle (drafting → consultation → approved → published).
        Standard = ("standard", "标准制修订", "Standard"),
    }
}

plan_enum! {
    /// Who issues a standard (标准类型, GB/T 1.1 and the Standardization Law's four kinds).
    pub enum StandardType {
        /// 团体标准 (by a society or association).
        Group = ("group", "团体标准", "Group standard"),
        /// 行业标准.
        Industry = ("industry", "行业标准", "Industry standard"),
        /// 地方标准 (DB52).
        Local = ("local", "地方标准", "Local standard"),
        /// 国家标准 (GB, GB/T).
        National = ("national", "国家标准", "National standard"),
    }
}

plan_enum! {
    /// What a standard covers (标准范围), after the plan's task (三): 产品质量、检测、应用 group
    /// standards, the 充填回填 technical rule and the 污染防治 specifications.
    pub enum StandardScope {
        /// 产品质量.
        Product = ("product", "产品质量", "Product quality"),
        /// 检测方法.
        Testing = ("testing", "检测", "Testing"),
        /// 应用技术.
        Application = ("application", "应用", "Application"),
        /// 充填回填技术规程.
        Backfill = ("backfill", "充填回填技术规程", "Backfill technical rule"),
        /// 污染防治规范.
        PollutionControl = ("pollution_control", "污染防治规范", "Pollution control specification"),
    }
}

impl ProjectKind {
    /// Whether projects of this kind are standards (标准), with their own lifecycle.
    pub const fn is_standard(self) -> bool {
        matches!(self, ProjectKind::Standard)
    }

    /// Whether projects of this kind exist to build utilization capacity (and so must name their
    /// routes and a non-zero planned capacity).
    pub const fn builds_capacity(self) -> bool {
        matches!(
            self,
            ProjectKind::UtilizationCapacity | ProjectKind::IndustrializationDemonstration
        )
    }
}

plan_enum! {
    /// Kinds of demonstration base or park (示范基地 / 园区).
    pub enum BaseKind {
        /// 工业资源综合利用基地.
        IndustrialResourceUtilizationBase = ("industrial_resource_utilization_base", "工业资源综合利用基地", "Industrial resource comprehensive utilization base"),
        /// 大宗固体废物综合利用基地.
        BulkSolidWasteUtilizationBase = ("bulk_solid_waste_utilization_base", "大宗固体废物综合利用基地", "Bulk solid waste comprehensive utilization base"),
        /// 赤泥综合利用特色园区.
        RedMudCharacteristicPark = ("red_mud_characteristic_park", "赤泥综合利用特色园区", "Red mud characteristic park"),
        /// 无废园区.
        ZeroWastePark = ("zero_waste_park", "无废园区", "Zero-waste park"),
        /// 无废城市.
        ZeroWasteCity = ("zero_waste_city", "无废城市", "Zero-waste city"),
    }
}

plan_enum! {
    /// Tax incentives for comprehensive utilization (综合利用税收优惠).
    pub enum TaxIncentiveKind {
        /// 增值税即征即退 (资源综合利用产品和劳务增值税优惠目录, 财政部 税务总局公告2021年第40号).
        VatImmediateRefund = ("vat_immediate_refund", "增值税即征即退", "VAT immediate refund"),
        /// 环境保护税免征 (综合利用的固体废物, 25 元/吨 for 冶炼渣).
        EnvironmentalTaxExemption = ("environmental_tax_exemption", "环境保护税免征", "Environmental protection tax exemption"),
        /// 企业所得税减计收入 (收入按 90% 计入).
        IncomeTaxReduction = ("income_tax_reduction", "企业所得税减计收入", "Corporate income tax income reduction"),
    }
}

plan_enum! {
    /// What a user of the system may do (DESIGN.md §2); each account has exactly one role.
    pub enum Role {
        /// 省工业和信息化厅: sets targets, designates, approves and accepts, sees the province.
        Province = ("province", "省级主管部门", "Provincial officer"),
        /// 市（州）、县工业和信息化主管部门: records its own region's data; bound to one prefecture
        /// or county.
        Bureau = ("bureau", "市县主管部门", "Regional bureau clerk"),
        /// 财政厅 / 发展改革委 / 税务局: records funding and tax incentive decisions.
        Finance = ("finance", "财政资金与税务", "Finance officer"),
        /// 审计: reads and verifies everything, writes nothing.
        Auditor = ("auditor", "审计", "Auditor"),
        /// 系统管理员: manages accounts.
        Admin = ("admin", "系统管理员", "Administrator"),
    }
}

impl Role {
    /// Whether an account of this role is bound to a region (only [`Role::Bureau`], to a
    /// prefecture or county).
    pub const fn is_regional(self) -> bool {
        matches!(self, Role::Bureau)
    }
}

/// What kind of enterprise an enterprise is; an enterprise may be several (a refinery that also
/// utilizes its red mud).
///
/// Codes: `alumina_refinery`, `red_mud_utilizer`, `downstream_user:<sector code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EnterpriseKind {
    /// 氧化铝生产企业 — generates red mud.
    AluminaRefinery,
    /// 赤泥综合利用企业.
    RedMudUtilizer,
    /// 下游应用企业 in a sector.
    DownstreamUser(DownstreamSector),
}

impl EnterpriseKind {
    /// Every kind.
    pub fn all() -> impl Iterator<Item = EnterpriseKind> {
        [
            EnterpriseKind::AluminaRefinery,
            EnterpriseKind::RedMudUtilizer,
        ]
        .into_iter()
        .chain(
            DownstreamSector::ALL
                .iter()
                .map(|s| EnterpriseKind::DownstreamUser(*s)),
        )
    }

    /// Chinese name.
    pub fn name_zh(self) -> String {
        match self {
            EnterpriseKind::AluminaRefinery => "氧化铝生产企业".to_owned(),
            EnterpriseKind::RedMudUtilizer => "赤泥综合利用企业".to_owned(),
            EnterpriseKind::DownstreamUser(s) => format!("下游应用企业（{}）", s.name_zh()),
        }
    }

    /// English name.
    pub fn name_en(self) -> String {
        match self {
            EnterpriseKind::AluminaRefinery => "Alumina refinery".to_owned(),
            EnterpriseKind::RedMudUtilizer => "Red mud utilizer".to_owned(),
            EnterpriseKind::DownstreamUser(s) => format!("Downstream user ({})", s.name_en()),
        }
    }
}

impl fmt::Display for EnterpriseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnterpriseKind::AluminaRefinery => f.write_str("alumina_refinery"),
            EnterpriseKind::RedMudUtilizer => f.write_str("red_mud_utilizer"),
            EnterpriseKind::DownstreamUser(s) => write!(f, "downstream_user:{}", s.code()),
        }
    }
}

impl FromStr for EnterpriseKind {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownCode {
            enumeration: "EnterpriseKind",
            input: s.to_owned(),
        };
        match s {
            "alumina_refinery" => Ok(EnterpriseKind::AluminaRefinery),
            "red_mud_utilizer" => Ok(EnterpriseKind::RedMudUtilizer),
            other => other
                .strip_prefix("downstream_user:")
                .and_then(|sector| sector.parse().ok())
                .map(EnterpriseKind::DownstreamUser)
                .ok_or_else(unknown),
        }
    }
}

super::string_serde!(EnterpriseKind);

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T])
    where
        T: fmt::Display
            + FromStr
            + PartialEq
            + fmt::Debug
            + serde::Serialize
            + serde::de::DeserializeOwned,
    {
        let mut codes = std::collections::BTreeSet::new();
        for v in all {
            let code = v.to_string();
            assert!(codes.insert(code.clone()), "duplicate code {code}");
            assert_eq!(code.parse::<T>().ok().as_ref(), Some(v));
            let json = serde_json::to_string(v).expect("serializes");
            assert_eq!(json, format!("\"{code}\""));
            assert_eq!(serde_json::from_str::<T>(&json).ok().as_ref(), Some(v));
        }
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        round_trips(PlanTask::ALL);
        round_trips(UtilizationRoute::ALL);
        round_trips(RecoveredElement::ALL);
        round_trips(DownstreamSector::ALL);
        round_trips(DesignationKind::ALL);
        round_trips(DesignationLevel::ALL);
        round_trips(FundingSource::ALL);
        round_trips(TaxIncentiveKind::ALL);
        round_trips(ProjectKind::ALL);
        round_trips(StandardType::ALL);
        round_trips(StandardScope::ALL);
        round_trips(PlanSafeguard::ALL);
        round_trips(ResponsibleUnit::ALL);
        round_trips(BaseKind::ALL);
        round_trips(Role::ALL);
        round_trips(&EnterpriseKind::all().collect::<Vec<_>>());
        assert_eq!(PlanTask::ALL.len(), 5);
        assert_eq!(UtilizationRoute::ALL.len(), 9);
        assert_eq!(DesignationKind::ALL.len(), 8);
        let role_codes: Vec<String> = Role::ALL.iter().map(Role::to_string).collect();
        assert_eq!(
            role_codes,
            ["province", "bureau", "finance", "auditor", "admin"]
        );
    }

    #[test]
    fn unknown_codes_are_typed_errors() {
        assert_eq!(
            "cement ".parse::<UtilizationRoute>(),
            Err(UnknownCode {
                enumeration: "UtilizationRoute",
                input: "cement ".into()
            })
        );
        assert_eq!(
            "downstream_user:bakery".parse::<EnterpriseKind>(),
            Err(UnknownCode {
                enumeration: "EnterpriseKind",
                input: "downstream_user:bakery".into()
            })
        );
        assert!(serde_json::from_str::<PlanTask>("\"SourceReduction\"").is_err());
    }

    #[test]
    fn names_follow_the_plan() {
        assert_eq!(PlanTask::IndustrialSynergy.name_zh(), "统筹强化产业协同");
        assert_eq!(UtilizationRoute::MineBackfill.name_zh(), "矿山充填回填");
        assert_eq!(
            EnterpriseKind::DownstreamUser(DownstreamSector::Cement).name_zh(),
            "下游应用企业（水泥）"
        );
        assert_eq!(
            TaxIncentiveKind::VatImmediateRefund.name_en(),
            "VAT immediate refund"
        );
    }
}
