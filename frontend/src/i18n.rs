//! Every string the client shows, in Simplified Chinese (the default) and English.
//!
//! [`Key`] is an enum and [`text`] one exhaustive `match`, so a string cannot exist in one language
//! and be missing in the other: the compiler refuses it.

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 简体中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag (for `<html lang>`).
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// From a stored tag; anything unknown is Chinese.
    pub fn from_tag(tag: &str) -> Lang {
        if tag == "en" { Lang::En } else { Lang::Zh }
    }

    /// The other language (what the switch offers).
    pub const fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

macro_rules! strings {
    ($($key:ident => ($zh:expr, $en:expr),)+) => {
        /// A string of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $(#[allow(missing_docs)] $key,)+ }

        impl Key {
            /// Every key.
            pub const ALL: &'static [Key] = &[$(Key::$key,)+];
        }

        /// The text of `key` in `lang`.
        pub const fn text(lang: Lang, key: Key) -> &'static str {
            match (lang, key) {
                $((Lang::Zh, Key::$key) => $zh, (Lang::En, Key::$key) => $en,)+
            }
        }
    };
}

strings! {
    AppTitle => ("赤泥台账", "Red Mud Ledger"),
    // pages: bases, regional plans, reports, audit tools, dashboard additions (issue 6)
    NavRegionalPlans => ("年度目标任务", "Regional plans"),
    NavReports => ("报表", "Reports"),
    Level => ("级别", "Level"),
    DesignatedOn => ("认定日期", "Designated on"),
    RevokedOn => ("撤销日期", "Revoked on"),
    Members => ("成员企业", "Member enterprises"),
    JoinedOn => ("加入日期", "Joined on"),
    LinkedProjects => ("关联项目", "Linked projects"),
    LinkedOn => ("关联日期", "Linked on"),
    YearlyTargets => ("年度目标", "Yearly targets"),
    RedMudUtilized => ("赤泥利用量", "Red mud utilized"),
    PhosphogypsumCoUtilized => ("协同利用磷石膏", "Phosphogypsum co-utilized"),
    DesulfurizationGypsumCoUtilized => ("协同利用脱硫石膏", "Desulfurization gypsum co-utilized"),
    FlyAshCoUtilized => ("协同利用粉煤灰", "Fly ash co-utilized"),
    Evaluations => ("年度评估", "Evaluations"),
    EvaluatedOn => ("评估日期", "Evaluated on"),
    Result => ("结论", "Result"),
    Summary => ("摘要", "Summary"),
    PlanTargets => ("年度目标任务", "Annual targets"),
    RedMudToUtilize => ("赤泥综合利用量", "Red mud to utilize"),
    NewUtilizationRate => ("新增赤泥综合利用率", "New utilization rate"),
    NewCapacity => ("新增综合利用能力", "New utilization capacity"),
    DemonstrationProjects => ("示范项目", "Demonstration projects"),
    SetOn => ("下达日期", "Set on"),
    PlanReports => ("报送的报告", "Submitted reports"),
    Submission => ("报送次数", "Submission"),
    SubmittedOn => ("报送日期", "Submitted on"),
    EnterprisesReporting => ("填报企业数", "Enterprises reporting"),
    CapacityCommissioned => ("投运利用能力", "Capacity commissioned"),
    TargetsRevision => ("目标修订版本", "Targets revision"),
    ChooseReport => ("选择报表", "Choose a report"),
    Any => ("全部", "Any"),
    DownloadCsv => ("下载 CSV", "Download CSV"),
    Downloading => ("正在下载…", "Downloading…"),
    SaveFile => ("保存文件", "Save the file"),
    FiguresAsOf => ("数据时点：{moment}", "Figures as of {moment}"),
    Now => ("当前", "now"),
    AuditReplay => ("时点回放", "Replay"),
    AuditEvents => ("事件浏览", "Events"),
    AuditDiff => ("时点对比", "Diff"),
    AuditFlags => ("审计提示", "Flags"),
    AuditExport => ("证据导出", "Evidence export"),
    EventTypes => ("事件类型（逗号分隔）", "Event types (comma-separated)"),
    Category => ("类别", "Category"),
    AnyCategory => ("全部类别", "Any category"),
    Stream => ("事件流", "Stream"),
    StreamHint => ("如 enterprise-<UUID>", "e.g. enterprise-<uuid>"),
    Actor => ("操作人用户名", "Actor (username)"),
    FromPosition => ("起始位置", "From position"),
    ToPosition => ("截止位置", "To position"),
    Since => ("记录时间起（北京时间）", "Recorded since (CST)"),
    Until => ("记录时间止（北京时间）", "Recorded before (CST)"),
    Filter => ("筛选", "Filter"),
    BadPosition => ("位置须为正整数", "A position is a positive whole number"),
    BadTime => ("请输入有效的日期时间", "Enter a valid date and time"),
    BadStream => ("事件流须为“类别-UUID”，如 enterprise-…", "A stream is category-uuid, e.g. enterprise-…"),
    EventsShown => ("本页 {count} 个事件；日志末位 {head}", "{count} events on this page; log head {head}"),
    FirstPage => ("第一页", "First page"),
    Payload => ("内容", "Payload"),
    Organisation => ("单位", "Organisation"),
    AccountActive => ("启用", "Active"),
    AccountDisabled => ("已停用", "Disabled"),
    DiffWhat => ("对比对象", "Compare"),
    DiffAggregate => ("一个对象（事件流）", "An aggregate (stream)"),
    DiffReport => ("报表", "A report"),
    DiffFrom => ("起点（位置或日期时间）", "From (position or date-time)"),
    DiffTo => ("终点（留空为当前）", "To (blank: now)"),
    Compare => ("对比", "Compare"),
    MissingFrom => ("请填写起点", "Enter the starting moment"),
    BadMoment => ("时刻须为日志位置或日期时间（如 2026-03-01T08:00）", "A moment is a log position or a date and time (e.g. 2026-03-01T08:00)"),
    Before => ("之前", "Before"),
    After => ("之后", "After"),
    Change => ("变化", "Change"),
    Field => ("字段", "Field"),
    NoChanges => ("两个时刻之间没有变化", "Nothing changed between the two moments"),
    DiffSummary => ("{changes} 处变化，{events} 个事件（版本 {from} → {to}）", "{changes} changes, {events} events (version {from} → {to})"),
    DiffRowsSummary => ("{rows} 行有变化", "{rows} rows changed"),
    EventsBetween => ("两个时刻之间的事件", "Events in between"),
    Granularity => ("期间粒度", "Granularity"),
    Rule => ("规则", "Rule"),
    AnyRule => ("全部规则", "Any rule"),
    Severity => ("严重程度", "Severity"),
    FlagsTotal => ("共 {total} 条审计提示", "{total} audit flags"),
    ExportHint => ("证据包（NDJSON）包含清单、所选范围的事件及其哈希，以及覆盖它们的签名检查点；第三方可离线核验，无需访问本系统。", "An evidence bundle (NDJSON) holds a manifest, the events of the range with their hashes and the signed checkpoints covering them; a third party verifies it offline, without access to this system."),
    ExportRange => ("位置范围（留空为整个日志）", "Position range (blank: the whole log)"),
    DownloadBundle => ("下载证据包", "Download the bundle"),
    VerifyOffline => ("离线核验：", "Verify offline:"),
    ExportCli => ("或在服务器上用命令行导出：", "Or export it on the server with the CLI:"),
    OverdueMilestones => ("逾期里程碑", "Overdue milestones"),
    OverdueCount => ("{count} 个里程碑逾期", "{count} milestones overdue"),
    DaysLate => ("逾期 {days} 天", "{days} days late"),
    ViewAll => ("查看全部", "View all"),
    FlagsCount => ("{count} 条审计提示", "{count} audit flags"),
    TypicalCases => ("典型案例", "Typical cases"),
    TypicalCasesCount => ("{count} 个现行推荐", "{count} standing recommendations"),
    TypicalCase => ("典型案例", "Typical case"),
    CaseRecommended => ("{date} 推荐：{summary}", "Recommended on {date}: {summary}"),
    CaseWithdrawn => ("{date} 撤回：{reason}", "Withdrawn on {date}: {reason}"),
    StandardType => ("标准类型", "Standard type"),
    DraftingBody => ("起草单位", "Drafting body"),
    StandardScope => ("标准范围", "Scope"),
    StandardNumber => ("标准编号", "Standard number"),
    PublishedOn => ("发布日期", "Published on"),
    OpenDiff => ("对比", "Diff"),
    AppSubtitle => ("贵州省赤泥综合利用管理平台", "Guizhou red mud utilization management"),
    SwitchLanguage => ("English", "中文"),
    SignIn => ("登录", "Sign in"),
    SignOut => ("退出", "Sign out"),
    Username => ("用户名", "Username"),
    Password => ("密码", "Password"),
    SigningIn => ("正在登录…", "Signing in…"),
    NavDashboard => ("驾驶舱", "Dashboard"),
    NavEnterprises => ("企业", "Enterprises"),
    NavProjects => ("项目", "Projects"),
    NavBases => ("基地", "Bases"),
    NavAccounts => ("账户", "Accounts"),
    RoleBureau => ("主管部门", "Bureau"),
    RoleProvince => ("省级", "Province"),
    RoleFinance => ("财政", "Finance"),
    RoleAuditor => ("审计", "Auditor"),
    RoleAdmin => ("管理员", "Administrator"),
    Loading => ("加载中…", "Loading…"),
    LoadFailed => ("加载失败", "Could not load"),
    Retry => ("重试", "Retry"),
    NoData => ("暂无数据", "No data"),
    ProvinceProgress => ("全省新增赤泥综合利用率", "Province new red mud utilization rate"),
    Goal2027 => ("2027 年目标 15%", "2027 goal 15 %"),
    Goal2030 => ("2030 年目标 25%", "2030 goal 25 %"),
    RateByRegion => ("各市（州）新增赤泥综合利用率", "New utilization rate by region"),
    Year => ("年度", "Year"),
    Generated => ("产生量", "Generated"),
    UtilizedFromNew => ("新增综合利用量", "Utilized (new)"),
    DisposedFromNew => ("新增处置量", "Disposed (new)"),
    StoredNew => ("新增贮存量", "Stored (new)"),
    UtilizedFromStock => ("历史堆存利用量", "Utilized from stock"),
    DisposedFromStock => ("历史堆存处置量", "Disposed from stock"),
    Rate => ("利用率", "Rate"),
    Target => ("目标", "Target"),
    Region => ("地区", "Region"),
    AllRegions => ("全部地区", "All regions"),
    Status => ("状态", "Status"),
    AnyStatus => ("全部状态", "Any status"),
    Search => ("搜索名称或信用代码", "Search name or USCC"),
    Name => ("名称", "Name"),
    Kind => ("类型", "Kind"),
    Uscc => ("统一社会信用代码", "USCC"),
    Updated => ("更新于", "Updated"),
    Previous => ("上一页", "Previous"),
    Next => ("下一页", "Next"),
    PageOf => ("第 {page} / {pages} 页，共 {total} 条", "Page {page} of {pages}, {total} in all"),
    Back => ("返回", "Back"),
    Details => ("详情", "Details"),
    Ledger => ("赤泥台账", "Red mud ledger"),
    Period => ("期间", "Period"),
    Revision => ("修订", "Revision"),
    Timeline => ("时间线", "Timeline"),
    Event => ("事件", "Event"),
    Who => ("操作人", "Who"),
    Role => ("角色", "Role"),
    Recorded => ("记录时间", "Recorded"),
    Effective => ("生效", "Effective"),
    Reason => ("原因", "Reason"),
    RecordLedger => ("填报台账", "Record a ledger"),
    PeriodHint => ("如 2026-Q3、2026-10 或 2026", "e.g. 2026-Q3, 2026-10 or 2026"),
    TonnesHint => ("吨，最多三位小数", "tonnes, up to three decimals"),
    UtilizedByRoute => ("新增赤泥综合利用（按途径）", "Utilization of new red mud, by route"),
    Submit => ("提交", "Submit"),
    Submitting => ("提交中…", "Submitting…"),
    Recorded201 => ("已记录。", "Recorded."),
    FixErrors => ("请先更正标出的项目。", "Please correct the marked fields first."),
    InvalidPeriod => ("期间格式不正确", "Not a valid period"),
    PeriodNotEnded => ("该期间尚未结束，不能填报", "This period has not ended yet"),
    PeriodRecorded => ("该期间已填报，请改用更正", "This period is already recorded; correct it instead"),
    InvalidTonnes => ("请输入非负吨数，最多三位小数", "Enter non-negative tonnes with up to three decimals"),
    Unbalanced => ("不平衡：产生量 {generated} ≠ 利用 {utilized} + 处置 {disposed} + 贮存 {stored}", "Does not balance: generated {generated} ≠ utilized {utilized} + disposed {disposed} + stored {stored}"),
    TooLarge => ("数量超出范围", "Amount out of range"),
    Stale => ("该企业已被他人修改，您的填报未保存。请重新加载最新数据后再提交。", "Someone else changed this enterprise; your entry was not saved. Reload the latest data and submit again."),
    Reload => ("重新加载", "Reload"),
    ServerRefused => ("服务器拒绝了请求", "The server refused the request"),
    NotRefinery => ("仅氧化铝企业填报赤泥台账", "Only alumina refineries record a red mud ledger"),
    SessionExpired => ("登录已过期，请重新登录", "Your session has expired; please sign in again"),
    Enterprises => ("企业数", "Enterprises"),
    Projects => ("项目数", "Projects"),
    Budget => ("投资", "Investment"),
    Task => ("任务", "Task"),
    Version => ("版本", "Version"),
    Accounts => ("账户", "Accounts"),
    DisplayName => ("姓名", "Name"),
    ProvinceTotal => ("全省", "Province"),
    Met => ("已达标", "met"),
    NotMet => ("未达标", "not met"),
    RateChartNote => ("柱：利用率；虚线：目标", "Bars: rate; dashed line: target"),
    Capacity => ("产能", "Capacity"),
    NavAudit => ("审计回放", "Audit replay"),
    AsOfBanner => ("审计回放：正在查看 {moment} 时的状态", "Audit replay: the state as of {moment}"),
    BackToNow => ("回到当前", "Back to now"),
    AsOfDateTime => ("日期时间（北京时间）", "Date and time (China Standard Time)"),
    AsOfPosition => ("或日志位置", "or log position"),
    Apply => ("应用", "Apply"),
    AsOfInvalid => ("请输入日期时间，或一个正整数位置", "Enter a date and time, or a positive position"),
    AuditHint => ("选择一个时刻：企业和项目的详情页将显示其当时的状态和当时已记录的事件。", "Pick a moment: enterprise and project details show their state and the events recorded as of then."),
    Position => ("位置", "Position"),
    ChainStatus => ("哈希链校验", "Hash chain verification"),
    ChainIntact => ("完整：已校验 {checked} 个事件，至位置 {last}", "Intact: {checked} events checked, up to position {last}"),
    ChainBroken => ("已损坏：位置 {position}（{kind}）", "Broken at position {position} ({kind})"),
    GeneratedVsUtilized => ("全省赤泥产生量与综合利用量（按季度）", "Province red mud generated and utilized, by quarter"),
    UtilizedTotal => ("综合利用量", "Utilized"),
    Funding => ("专项资金：已下达与已拨付", "Funding: awarded and disbursed"),
    Awarded => ("已下达", "Awarded"),
    Disbursed => ("已拨付", "Disbursed"),
    Outstanding => ("待拨付", "Outstanding"),
    Recovered => ("已追回", "Recovered"),
    TargetsTitle => ("各市（州）年度目标任务完成情况", "Regional plans: annual targets against actuals"),
    TargetRate => ("目标利用率", "Target rate"),
    ActualRate => ("实际利用率", "Actual rate"),
    TargetUtilized => ("目标利用量", "Target utilized"),
    ActualUtilized => ("实际利用量", "Actual utilized"),
    Pace => ("进度", "Pace"),
    OnPace => ("符合进度", "on pace"),
    Behind => ("滞后", "behind"),
    Sort => ("排序", "Sort"),
    SortName => ("按名称", "By name"),
    SortNameDesc => ("按名称倒序", "By name, descending"),
    SortUpdated => ("最近更新在前", "Recently updated first"),
    SortUpdatedOldest => ("最早更新在前", "Least recently updated first"),
    Milestones => ("里程碑", "Milestones"),
    Due => ("计划日期", "Due"),
    Achieved => ("完成日期", "Achieved"),
    Awards => ("资金下达", "Funding awards"),
    Source => ("来源", "Source"),
    Programme => ("专项", "Programme"),
    AwardedOn => ("下达日期", "Awarded on"),
    Proposed => ("申报日期", "Proposed on"),
    Open => ("打开", "Open"),
    NotYet => ("未完成", "not yet"),
    // forms (crate::forms): every command's form
    FormActions => ("办理", "Actions"),
    FormNew => ("新建", "New"),
    FormChoose => ("请选择", "Choose…"),
    FormDone => ("已办理：{title}", "Done: {title}"),
    FormStale => ("该记录已被他人修改，您的提交未保存。请重新加载最新数据，核对后再提交。", "Someone else changed this record; your submission was not saved. Reload the latest data, check it and submit again."),
    FormCancel => ("取消", "Cancel"),
    FormDateHint => ("年-月-日", "YYYY-MM-DD"),
    FormMoneyHint => ("元，如 12.34 或 3万元", "yuan, e.g. 12.34"),
    FormPercentHint => ("百分数，如 12.5", "percent, e.g. 12.5"),
}

/// Status codes of enterprises and projects: (code, 中文, English).
pub const STATUSES: &[(&str, &str, &str)] = &[
    ("active", "存续", "Active"),
    ("deregistered", "已注销", "Deregistered"),
    ("proposed", "已申报", "Proposed"),
    ("approved", "已批复", "Approved"),
    ("under_construction", "建设中", "Under construction"),
    ("in_operation", "运行中", "In operation"),
    ("accepted", "已验收", "Accepted"),
    ("acceptance_failed", "验收未通过", "Acceptance failed"),
    ("suspended", "已暂停", "Suspended"),
    ("cancelled", "已取消", "Cancelled"),
    // pages: bases, regional plans and their reports (issue 6)
    ("designated", "已认定", "Designated"),
    ("revoked", "已撤销", "Revoked"),
    ("not_designated", "未认定", "Not designated"),
    ("not_set", "未下达目标", "No targets yet"),
    ("closed", "已关闭", "Closed"),
    ("not_submitted", "未报送", "Not submitted"),
    ("submitted", "已报送", "Submitted"),
    ("returned", "已退回", "Returned"),
    // standards (issue 9)
    ("not_proposed", "未申报", "Not proposed"),
    ("drafting", "起草中", "Drafting"),
    ("consultation", "征求意见中", "In consultation"),
    ("published", "已发布", "Published"),
    ("withdrawn", "已撤回", "Withdrawn"),
];

/// Event types the timeline names: (type, 中文, English).
pub const EVENTS: &[(&str, &str, &str)] = &[
    ("EnterpriseRegistered", "企业登记", "Registered"),
    ("EnterpriseAmended", "信息变更", "Amended"),
    ("EnterpriseDeregistered", "注销", "Deregistered"),
    ("ProjectProposed", "项目申报", "Project proposed"),
    ("ProjectApproved", "项目批复", "Project approved"),
    (
        "ProjectConstructionStarted",
        "开工建设",
        "Construction started",
    ),
    ("ProjectMilestonePlanned", "计划里程碑", "Milestone planned"),
    (
        "ProjectMilestoneAchieved",
        "完成里程碑",
        "Milestone achieved",
    ),
    (
        "ProjectCapacityCommissioned",
        "产能投运",
        "Capacity commissioned",
    ),
    ("ProjectAccepted", "项目验收", "Project accepted"),
    ("ProjectAcceptanceFailed", "验收未通过", "Acceptance failed"),
    ("ProjectSuspended", "项目暂停", "Project suspended"),
    ("ProjectResumed", "项目恢复", "Project resumed"),
    ("ProjectCancelled", "项目取消", "Project cancelled"),
    ("FundingAwarded", "资金下达", "Funding awarded"),
    ("FundingTrancheDisbursed", "资金拨付", "Tranche disbursed"),
    ("FundingRecovered", "资金追回", "Funding recovered"),
    ("PolicyPlanFiled", "报送政策计划", "Policy plan filed"),
    ("PolicyPlanRevised", "修订政策计划", "Policy plan revised"),
    (
        "StockBaselineDeclared",
        "申报历史堆存基数",
        "Stock baseline declared",
    ),
    (
        "StockBaselineCorrected",
        "更正历史堆存基数",
        "Stock baseline corrected",
    ),
    ("LedgerRecorded", "填报台账", "Ledger recorded"),
    ("LedgerCorrected", "更正台账", "Ledger corrected"),
    ("DesignationGranted", "授予称号", "Designation granted"),
    ("DesignationRevoked", "撤销称号", "Designation revoked"),
    (
        "CleanProductionAuditRecorded",
        "清洁生产审核",
        "Clean production audit recorded",
    ),
    (
        "TaxIncentiveClaimed",
        "申请税收优惠",
        "Tax incentive claimed",
    ),
    (
        "TaxIncentiveApproved",
        "批准税收优惠",
        "Tax incentive approved",
    ),
    (
        "TaxIncentiveRejected",
        "驳回税收优惠",
        "Tax incentive rejected",
    ),
    (
        "TaxIncentiveRecovered",
        "追回税收优惠",
        "Tax incentive recovered",
    ),
    (
        "EnterpriseTypicalCaseRecommended",
        "推荐为典型案例",
        "Recommended as a typical case",
    ),
    (
        "EnterpriseTypicalCaseWithdrawn",
        "撤回典型案例",
        "Typical case withdrawn",
    ),
    (
        "ProjectTypicalCaseRecommended",
        "推荐为典型案例",
        "Recommended as a typical case",
    ),
    (
        "ProjectTypicalCaseWithdrawn",
        "撤回典型案例",
        "Typical case withdrawn",
    ),
    (
        "StandardConsultationOpened",
        "标准征求意见",
        "Standard out for consultation",
    ),
    ("StandardApproved", "标准审定通过", "Standard approved"),
    ("StandardPublished", "标准发布", "Standard published"),
    ("StandardWithdrawn", "标准撤回", "Standard withdrawn"),
    ("BaseDesignated", "基地认定", "Base designated"),
    ("BaseMemberAdded", "新增成员企业", "Member added"),
    ("BaseMemberRemoved", "移出成员企业", "Member removed"),
    ("BaseProjectLinked", "关联项目", "Project linked"),
    ("BaseProjectUnlinked", "取消关联项目", "Project unlinked"),
    ("BaseYearTargetsSet", "下达基地年度目标", "Year targets set"),
    (
        "BaseYearTargetsRevised",
        "调整基地年度目标",
        "Year targets revised",
    ),
    (
        "BaseEvaluationRecorded",
        "基地年度评估",
        "Evaluation recorded",
    ),
    ("BaseRevoked", "撤销基地认定", "Base revoked"),
    ("RegionalTargetsSet", "下达年度目标任务", "Targets set"),
    (
        "RegionalTargetsRevised",
        "调整年度目标任务",
        "Targets revised",
    ),
    (
        "RegionalReportSubmitted",
        "报送地区报告",
        "Report submitted",
    ),
    ("RegionalReportReturned", "退回地区报告", "Report returned"),
    (
        "RegionalReportAccepted",
        "地区报告审核通过",
        "Report accepted",
    ),
    ("AccountCreated", "创建账户", "Account created"),
    ("AccountRoleChanged", "变更角色", "Role changed"),
    ("AccountProfileUpdated", "更新账户信息", "Profile updated"),
    ("AccountDisabled", "停用账户", "Account disabled"),
    ("AccountEnabled", "启用账户", "Account enabled"),
    ("AccountPasswordChanged", "修改密码", "Password changed"),
];

fn lookup(
    table: &[(&str, &'static str, &'static str)],
    code: &str,
    lang: Lang,
) -> Option<&'static str> {
    table
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, zh, en)| match lang {
            Lang::Zh => *zh,
            Lang::En => *en,
        })
}

/// A status code's label (the code itself when unknown).
pub fn status(code: &str, lang: Lang) -> String {
    lookup(STATUSES, code, lang).map_or_else(|| code.to_owned(), str::to_owned)
}

/// An event type's label; unknown types are shown as words (`SomethingHappened` → `Something
/// happened`).
pub fn event(event_type: &str, lang: Lang) -> String {
    if let Some(label) = lookup(EVENTS, event_type, lang) {
        return label.to_owned();
    }
    let mut words = String::new();
    for (i, c) in event_type.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            words.push(' ');
            words.extend(c.to_lowercase());
        } else {
            words.push(c);
        }
    }
    words
}

/// `text` with `{name}` placeholders filled in.
pub fn fill(lang: Lang, key: Key, values: &[(&str, &str)]) -> String {
    let mut out = text(lang, key).to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_exists_in_both_languages_and_differs_where_it_should() {
        for key in Key::ALL {
            let zh = text(Lang::Zh, *key);
            let en = text(Lang::En, *key);
            assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{key:?}");
            // The English text is English (no CJK), except the switch that names the other language.
            if *key != Key::SwitchLanguage {
                assert!(
                    !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{key:?}: {en}"
                );
            }
        }
    }

    #[test]
    fn statuses_and_events_are_named_in_both_languages() {
        assert_eq!(status("under_construction", Lang::Zh), "建设中");
        assert_eq!(status("under_construction", Lang::En), "Under construction");
        assert_eq!(status("unknown_code", Lang::Zh), "unknown_code");
        assert_eq!(event("LedgerRecorded", Lang::Zh), "填报台账");
        assert_eq!(event("FundingAwarded", Lang::En), "Funding awarded");
        assert_eq!(event("EnterpriseRegistered", Lang::Zh), "企业登记");
        assert_eq!(event("SomethingHappened", Lang::En), "Something happened");
        for (code, zh, en) in STATUSES.iter().chain(EVENTS) {
            assert!(!code.is_empty() && !zh.is_empty() && !en.is_empty());
        }
    }

    #[test]
    fn every_event_type_and_status_of_the_domain_is_named() {
        use redmud_domain::{
            AccountEvent, BaseEvent, EnterpriseEvent, ProjectEvent, RegionalPlanEvent,
        };
        let types = [
            EnterpriseEvent::EVENT_TYPES,
            ProjectEvent::EVENT_TYPES,
            BaseEvent::EVENT_TYPES,
            RegionalPlanEvent::EVENT_TYPES,
            AccountEvent::EVENT_TYPES,
        ];
        let unnamed: Vec<&str> = types
            .iter()
            .flat_map(|t| t.iter().copied())
            .filter(|t| lookup(EVENTS, t, Lang::Zh).is_none())
            .collect();
        assert!(
            unnamed.is_empty(),
            "event types without a label: {unnamed:?}"
        );
        let statuses = [
            "drafting",
            "consultation",
            "published",
            "withdrawn",
            "not_proposed",
        ];
        let unnamed: Vec<&str> = statuses
            .into_iter()
            .filter(|s| lookup(STATUSES, s, Lang::Zh).is_none())
            .collect();
        assert!(unnamed.is_empty(), "statuses without a label: {unnamed:?}");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill(
                Lang::En,
                Key::PageOf,
                &[("page", "2"), ("pages", "5"), ("total", "93")]
            ),
            "Page 2 of 5, 93 in all"
        );
        assert_eq!(Lang::from_tag("en"), Lang::En);
        assert_eq!(Lang::from_tag("fr"), Lang::Zh);
    }
}
