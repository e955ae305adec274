//! Audit flags: rules over the event history that point an auditor at entries deserving a second
//! look (`docs/audit.md` states each rule precisely).
//!
//! The rules are pure: a [`FlagScanner`] is fed events in log order ([`FlagScanner::feed`]) and
//! answers the flags each event raises; it does no I/O, so every rule is unit-tested with events
//! built in memory. The HTTP handler (`GET /api/audit/flags`) feeds it one scan of the log up to the
//! `as_of` position. Why a scan and not an incrementally written read model: most rules join
//! several aggregates (a ledger correction against the region's report, a disbursement against a
//! later cancellation, an incentive against a later revocation, an action against the actor's
//! account), which a view written in one stream's append cannot see without reading other streams
//! inside the write; a scan is as-of-able for free (stop at the position), needs no migration or
//! rebuild when a rule or its threshold changes, and costs one read of the log.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use redmud_domain::{
    Account, AccountEvent, EnterpriseEvent, ProjectEvent, ProjectStatus, RegionalPlanEvent,
    TrancheCondition,
};
use redmud_domain::{
    Aggregate, Base, DomainEvent, Enterprise, Period, Project, Region, RegionalPlan, Uuid,
};
use redmud_store::{Position, RecordedEvent};
use serde::{Deserialize, Serialize};

/// The default backdating threshold in days (`[audit] backdate_days`).
pub const DEFAULT_BACKDATE_DAYS: u32 = 90;

/// A rule's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// (a) Ledger figures recorded or corrected after the region's report for that period was
    /// submitted.
    LedgerAfterReport,
    /// (b) An effective date long before the recorded time.
    Backdated,
    /// (c) Funding disbursed before approval, before its tranche's condition, or to a project
    /// later cancelled.
    Funding,
    /// (d) A tax incentive approved for an enterprise whose designation or registration was
    /// revoked in the claim's period.
    IncentiveAfterRevocation,
    /// (e) A status change outside the normal lifecycle.
    LifecycleSkipped,
    /// (e) An action on data of a region the actor's account does not cover.
    OutsideRegion,
}

impl Rule {
    /// Every rule, in the order of the issue.
    pub const ALL: [Rule; 6] = [
        Rule::LedgerAfterReport,
        Rule::Backdated,
        Rule::Funding,
        Rule::IncentiveAfterRevocation,
        Rule::LifecycleSkipped,
        Rule::OutsideRegion,
    ];

    /// The wire id (`ledger_after_report`).
    pub fn id(self) -> &'static str {
        match self {
            Rule::LedgerAfterReport => "ledger_after_report",
            Rule::Backdated => "backdated",
            Rule::Funding => "funding",
            Rule::IncentiveAfterRevocation => "incentive_after_revocation",
            Rule::LifecycleSkipped => "lifecycle_skipped",
            Rule::OutsideRegion => "outside_region",
        }
    }

    /// One line describing the rule (English).
    pub fn description(self) -> &'static str {
        match self {
            Rule::LedgerAfterReport => {
                "ledger figures recorded or corrected after the region's report covering that period was submitted (and not returned)"
            }
            Rule::Backdated => {
                "effective date (or the end of the effective period) more than backdate_days before the recorded date"
            }
            Rule::Funding => {
                "a tranche disbursed before approval or before its condition was met, or disbursed funds not recovered when the project was cancelled"
            }
            Rule::IncentiveAfterRevocation => {
                "a tax incentive approved for a period in which the enterprise's designation was revoked or it was deregistered"
            }
            Rule::LifecycleSkipped => {
                "a project status change that is not a step of the normal lifecycle"
            }
            Rule::OutsideRegion => {
                "an event on data of a region the actor's account (its region at the time) does not cover"
            }
        }
    }
}

/// How serious a flag is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look.
    Low,
    /// Needs an explanation.
    Medium,
    /// Likely irregular.
    High,
}

impl Severity {
    /// The wire name.
    pub fn id(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// An event behind a flag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventLink {
    /// Its log position.
    pub position: Position,
    /// Its stream.
    pub stream: String,
    /// Its id.
    pub event_id: Uuid,
    /// Its type.
    pub event_type: String,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

impl EventLink {
    fn of(event: &RecordedEvent) -> Self {
        Self {
            position: event.position,
            stream: event.stream.as_str().to_owned(),
            event_id: event.event_id,
            event_type: event.event_type.clone(),
            recorded_at: event.recorded_at,
        }
    }
}

/// One flag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The rule.
    pub rule: Rule,
    /// What exactly (stable, for clients to translate): e.g. `disbursed_before_approval`.
    pub code: &'static str,
    /// How serious.
    pub severity: Severity,
    /// The position of the event that raised it (the latest of [`Flag::events`]).
    pub position: Position,
    /// When that event was recorded.
    pub recorded_at: DateTime<Utc>,
    /// The region of the data concerned.
    pub region: Option<Region>,
    /// The stream of the event that raised it.
    pub stream: String,
    /// Summary in Chinese.
    pub summary_zh: String,
    /// Summary in English.
    pub summary_en: String,
    /// The events behind it, in log order.
    pub events: Vec<EventLink>,
}

/// The rules' settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagSettings {
    /// Rule (b): flag events whose effective date lies more than this many days before the
    /// recorded date (China Standard Time).
    pub backdate_days: u32,
}

impl Default for FlagSettings {
    fn default() -> Self {
        Self {
            backdate_days: DEFAULT_BACKDATE_DAYS,
        }
    }
}

#[derive(Clone, Debug)]
struct ReportRecord {
    region: Region,
    period: Period,
    accepted: bool,
    open: bool,
    submitted: EventLink,
}

#[derive(Clone, Debug)]
struct Revocation {
    date: NaiveDate,
    what: String,
    link: EventLink,
}

#[derive(Clone, Debug)]
struct ApprovedClaim {
    period: Period,
    link: EventLink,
}

#[derive(Clone, Debug, Default)]
struct FundingTrail {
    disbursements: Vec<EventLink>,
    /// Disbursed minus recovered, in fen.
    net: i128,
}

/// Feeds events in log order and answers the flags each raises (see the module docs).
#[derive(Debug, Default)]
pub struct FlagScanner {
    settings: FlagSettings,
    enterprises: HashMap<String, Enterprise>,
    projects: HashMap<String, Project>,
    plans: HashMap<String, RegionalPlan>,
    bases: HashMap<String, Base>,
    accounts: HashMap<String, Account>,
    /// Username → region of the account now (in the scan).
    account_regions: HashMap<String, Option<Region>>,
    /// (plan stream, period) → the report.
    reports: HashMap<(String, Period), ReportRecord>,
    /// (enterprise stream, claim id) → the claim's period.
    claims: HashMap<(String, Uuid), Period>,
    approved: HashMap<String, Vec<ApprovedClaim>>,
    revocations: HashMap<String, Vec<Revocation>>,
    funding: HashMap<String, FundingTrail>,
}

/// China Standard Time: the province's calendar.
fn local_date(time: DateTime<Utc>) -> NaiveDate {
    (time + Duration::hours(8)).date_naive()
}

/// The last day an effective text (`2026-03-15`, `2026-03`, `2026-Q1`, `2026`) stands for.
pub fn effective_end(text: &str) -> Option<NaiveDate> {
    if text.len() == 10 {
        return NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    }
    text.parse::<Period>().ok().map(Period::end)
}

fn decode<E: DomainEvent>(event: &RecordedEvent) -> Option<E> {
    E::from_payload(&event.event_type, event.payload.clone()).ok()
}

fn fold<A: Aggregate>(
    states: &mut HashMap<String, A>,
    event: &RecordedEvent,
) -> Option<(A, A::Event)> {
    let decoded: A::Event = decode(event)?;
    let state = states.entry(event.stream.as_str().to_owned()).or_default();
    let before = state.clone();
    state.apply(&decoded);
    Some((before, decoded))
}

fn status_name(status: ProjectStatus) -> String {
    status.to_string()
}

/// Whether `from → to` is a step of the normal project lifecycle (`suspended_from`: where a
/// suspended project came from).
pub fn normal_step(
    from: ProjectStatus,
    to: ProjectStatus,
    suspended_from: Option<ProjectStatus>,
) -> bool {
    use ProjectStatus as S;
    let active = matches!(
        from,
        S::Proposed | S::Approved | S::UnderConstruction | S::InOperation
    );
    match (from, to) {
        (S::NotProposed, S::Proposed)
        | (S::Proposed, S::Approved)
        | (S::Approved, S::UnderConstruction)
        | (S::UnderConstruction, S::InOperation)
        | (S::InOperation, S::Accepted)
        | (S::InOperation, S::AcceptanceFailed) => true,
        (_, S::Suspended) => active,
        (_, S::Cancelled) => active || from == S::Suspended,
        (S::Suspended, to) => suspended_from == Some(to),
        _ => false,
    }
}

impl FlagScanner {
    /// A scanner with these settings.
    pub fn new(settings: FlagSettings) -> Self {
        Self {
            settings,
            ..Self::default()
        }
    }

    /// Feeds the next event (in log order) and answers the flags it raises.
    pub fn feed(&mut self, event: &RecordedEvent) -> Vec<Flag> {
        let mut flags = Vec::new();
        let region = match event.stream.category() {
            Enterprise::CATEGORY => self.enterprise(event, &mut flags),
            Project::CATEGORY => self.project(event, &mut flags),
            RegionalPlan::CATEGORY => self.plan(event),
            Base::CATEGORY => {
                fold::<Base>(&mut self.bases, event);
                self.bases.get(event.stream.as_str()).and_then(Base::region)
            }
            Account::CATEGORY => {
                self.account(event);
                None
            }
            _ => None,
        };
        self.backdated(event, region, &mut flags);
        self.outside_region(event, region, &mut flags);
        flags
    }

    #[allow(clippy::too_many_arguments)]
    fn flag(
        event: &RecordedEvent,
        rule: Rule,
        code: &'static str,
        severity: Severity,
        region: Option<Region>,
        summary_zh: String,
        summary_en: String,
        mut events: Vec<EventLink>,
    ) -> Flag {
        events.sort_by_key(|e| e.position);
        events.dedup_by_key(|e| e.position);
        Flag {
            rule,
            code,
            severity,
            position: event.position,
            recorded_at: event.recorded_at,
            region,
            stream: event.stream.as_str().to_owned(),
            summary_zh,
            summary_en,
            events,
        }
    }

    fn enterprise(&mut self, event: &RecordedEvent, flags: &mut Vec<Flag>) -> Option<Region> {
        let stream = event.stream.as_str().to_owned();
        let (_, decoded) = fold::<Enterprise>(&mut self.enterprises, event)?;
        let state = self.enterprises.get(&stream)?;
        let region = state.region();
        let name = state.name().to_owned();
        let link = EventLink::of(event);
        match decoded {
            EnterpriseEvent::LedgerRecorded(e) => {
                self.ledger_after_report(event, region, &name, e.period, false, flags)
            }
            EnterpriseEvent::LedgerCorrected(e) => {
                self.ledger_after_report(event, region, &name, e.period, true, flags)
            }
            EnterpriseEvent::TaxIncentiveClaimed(e) => {
                self.claims.insert((stream, e.claim_id), e.period);
            }
            EnterpriseEvent::TaxIncentiveApproved(e) => {
                let Some(period) = self.claims.get(&(stream.clone(), e.claim_id)).copied() else {
                    return region;
                };
                for revocation in self.revocations.get(&stream).into_iter().flatten() {
                    if period.contains_date(revocation.date) {
                        flags.push(incentive_flag(
                            event,
                            region,
                            &name,
                            period,
                            revocation,
                            link.clone(),
                        ));
                    }
                }
                self.approved
                    .entry(stream)
                    .or_default()
                    .push(ApprovedClaim { period, link });
            }
            EnterpriseEvent::DesignationRevoked(e) => {
                let revocation = Revocation {
                    date: e.revoked_on,
                    what: crate::aggregates::wire(&e.designation),
                    link,
                };
                self.revoked(event, region, &name, revocation, flags);
            }
            EnterpriseEvent::Deregistered(e) => {
                let revocation = Revocation {
                    date: e.deregistered_on,
                    what: "registration".to_owned(),
                    link,
                };
                self.revoked(event, region, &name, revocation, flags);
            }
            _ => {}
        }
        region
    }

    fn revoked(
        &mut self,
        event: &RecordedEvent,
        region: Option<Region>,
        name: &str,
        revocation: Revocation,
        flags: &mut Vec<Flag>,
    ) {
        let stream = event.stream.as_str();
        for claim in self.approved.get(stream).into_iter().flatten() {
            if claim.period.contains_date(revocation.date) {
                flags.push(incentive_flag(
                    event,
                    region,
                    name,
                    claim.period,
                    &revocation,
                    claim.link.clone(),
                ));
            }
        }
        self.revocations
            .entry(stream.to_owned())
            .or_default()
            .push(revocation);
    }

    fn ledger_after_report(
        &self,
        event: &RecordedEvent,
        region: Option<Region>,
        name: &str,
        period: Period,
        correction: bool,
        flags: &mut Vec<Flag>,
    ) {
        let Some(region) = region else {
            return;
        };
        let mut reports: Vec<&ReportRecord> = self
            .reports
            .values()
            .filter(|r| {
                r.open
                    && (r.region == region || r.region.contains(region))
                    && r.period.overlaps(period)
            })
            .collect();
        reports.sort_by_key(|r| r.submitted.position);
        for report in reports {
            let (code, zh, en) = if correction {
                ("ledger_corrected_after_report", "更正", "corrected")
            } else {
                ("ledger_recorded_after_report", "补录", "recorded")
            };
            let state_zh = if report.accepted {
                "已审核通过"
            } else {
                "已报送"
            };
            let state_en = if report.accepted {
                "accepted"
            } else {
                "submitted"
            };
            flags.push(Self::flag(
                event,
                Rule::LedgerAfterReport,
                code,
                if report.accepted {
                    Severity::High
                } else {
                    Severity::Medium
                },
                Some(region),
                format!(
                    "{name} {period} 台账在{}{}报告{state_zh}后被{zh}",
                    report.region.name_zh(),
                    report.period
                ),
                format!(
                    "{name}'s ledger for {period} was {en} after {}'s report for {} was {state_en}",
                    report.region.name_en(),
                    report.period
                ),
                vec![report.submitted.clone(), EventLink::of(event)],
            ));
        }
    }

    fn project(&mut self, event: &RecordedEvent, flags: &mut Vec<Flag>) -> Option<Region> {
        let stream = event.stream.as_str().to_owned();
        let (before, decoded) = fold::<Project>(&mut self.projects, event)?;
        let after = self.projects.get(&stream)?;
        let region = after.proposal().map(|p| p.region);
        let name = after.proposal().map(|p| p.name.clone()).unwrap_or_default();
        let (from, to) = (before.status(), after.status());
        if from != to && !normal_step(from, to, before.suspended_from()) {
            flags.push(Self::flag(
                event,
                Rule::LifecycleSkipped,
                "project_status_skipped",
                Severity::High,
                region,
                format!(
                    "项目 {name} 状态由 {} 直接变为 {}，不符合正常流程",
                    status_name(from),
                    status_name(to)
                ),
                format!(
                    "project {name} went from {} to {}, outside the normal lifecycle",
                    status_name(from),
                    status_name(to)
                ),
                vec![EventLink::of(event)],
            ));
        }
        let link = EventLink::of(event);
        match decoded {
            ProjectEvent::FundingTrancheDisbursed(e) => {
                let trail = self.funding.entry(stream).or_default();
                trail.disbursements.push(link.clone());
                trail.net += i128::from(e.amount.fen());
                let approved = before.approved_on();
                if approved.is_none_or(|approved| e.disbursed_on < approved) {
                    flags.push(Self::flag(
                        event,
                        Rule::Funding,
                        "disbursed_before_approval",
                        Severity::High,
                        region,
                        format!(
                            "项目 {name} 第 {} 笔资金于 {} 拨付，早于批复（{}）",
                            e.tranche,
                            e.disbursed_on,
                            approved.map(|d| d.to_string()).unwrap_or("未批复".into())
                        ),
                        format!(
                            "tranche {} of project {name} disbursed on {} before approval ({})",
                            e.tranche,
                            e.disbursed_on,
                            approved
                                .map(|d| d.to_string())
                                .unwrap_or("not approved".into())
                        ),
                        vec![link],
                    ));
                    return region;
                }
                let condition = before
                    .awards()
                    .get(&e.award_id)
                    .and_then(|award| {
                        award
                            .tranches
                            .get(usize::try_from(e.tranche.checked_sub(1)?).ok()?)
                    })
                    .map(|t| t.condition.clone());
                if let Some(condition) = condition {
                    let met_on = condition_date(&before, &condition);
                    if met_on.is_none_or(|met_on| e.disbursed_on < met_on) {
                        let what = condition_name(&condition);
                        flags.push(Self::flag(
                            event,
                            Rule::Funding,
                            "disbursed_before_condition",
                            Severity::High,
                            region,
                            format!(
                                "项目 {name} 第 {} 笔资金于 {} 拨付，早于拨付条件 {what} 达成（{}）",
                                e.tranche,
                                e.disbursed_on,
                                met_on.map(|d| d.to_string()).unwrap_or("未达成".into())
                            ),
                            format!(
                                "tranche {} of project {name} disbursed on {} before its condition {what} was met ({})",
                                e.tranche,
                                e.disbursed_on,
                                met_on.map(|d| d.to_string()).unwrap_or("not met".into())
                            ),
                            vec![link],
                        ));
                    }
                }
            }
            ProjectEvent::FundingRecovered(e) => {
                self.funding.entry(stream).or_default().net -= i128::from(e.amount.fen());
            }
            ProjectEvent::Cancelled(e) => {
                let trail = self.funding.get(&stream).cloned().unwrap_or_default();
                if trail.net > 0 {
                    let yuan = format_yuan(trail.net);
                    let mut events = trail.disbursements;
                    events.push(link);
                    flags.push(Self::flag(
                        event,
                        Rule::Funding,
                        "disbursed_to_cancelled_project",
                        Severity::High,
                        region,
                        format!(
                            "项目 {name} 于 {} 终止，已拨付资金 {yuan} 元未追回",
                            e.cancelled_on
                        ),
                        format!(
                            "project {name} cancelled on {} with {yuan} yuan disbursed and not recovered",
                            e.cancelled_on
                        ),
                        events,
                    ));
                }
            }
            _ => {}
        }
        region
    }

    fn plan(&mut self, event: &RecordedEvent) -> Option<Region> {
        let stream = event.stream.as_str().to_owned();
        let (_, decoded) = fold::<RegionalPlan>(&mut self.plans, event)?;
        let region = self.plans.get(&stream).and_then(RegionalPlan::region);
        match decoded {
            RegionalPlanEvent::ReportSubmitted(e) => {
                if let Some(region) = region {
                    self.reports.insert(
                        (stream, e.period),
                        ReportRecord {
                            region,
                            period: e.period,
                            accepted: false,
                            open: true,
                            submitted: EventLink::of(event),
                        },
                    );
                }
            }
            RegionalPlanEvent::ReportReturned(e) => {
                if let Some(report) = self.reports.get_mut(&(stream, e.period)) {
                    report.open = false;
                }
            }
            RegionalPlanEvent::ReportAccepted(e) => {
                if let Some(report) = self.reports.get_mut(&(stream, e.period)) {
                    report.accepted = true;
                }
            }
            _ => {}
        }
        region
    }

    fn account(&mut self, event: &RecordedEvent) {
        let Some((_, decoded)) = fold::<Account>(&mut self.accounts, event) else {
            return;
        };
        if let AccountEvent::PasswordChanged(_) = decoded {
            return;
        }
        if let Some(state) = self.accounts.get(event.stream.as_str())
            && let Some(username) = state.username()
        {
            self.account_regions
                .insert(username.to_string(), state.region());
        }
    }

    fn backdated(&self, event: &RecordedEvent, region: Option<Region>, flags: &mut Vec<Flag>) {
        // An enterprise's registration date is its own history, not a recorded fact's date.
        if event.event_type == "EnterpriseRegistered" {
            return;
        }
        let Some(effective) = &event.effective else {
            return;
        };
        let Some(end) = effective_end(effective.as_str()) else {
            return;
        };
        let recorded = local_date(event.recorded_at);
        let lag = (recorded - end).num_days();
        if lag <= i64::from(self.settings.backdate_days) {
            return;
        }
        flags.push(Self::flag(
            event,
            Rule::Backdated,
            "effective_long_before_recorded",
            if lag > 365 {
                Severity::Medium
            } else {
                Severity::Low
            },
            region,
            format!(
                "{} 事件的业务日期 {} 比记录日期 {recorded} 早 {lag} 天（阈值 {} 天）",
                event.event_type,
                effective.as_str(),
                self.settings.backdate_days
            ),
            format!(
                "{} is about {} but was recorded on {recorded}, {lag} days later (threshold {} days)",
                event.event_type,
                effective.as_str(),
                self.settings.backdate_days
            ),
            vec![EventLink::of(event)],
        ));
    }

    fn outside_region(&self, event: &RecordedEvent, region: Option<Region>, flags: &mut Vec<Flag>) {
        let Some(region) = region else {
            return;
        };
        let Some(Some(own)) = self.account_regions.get(&event.metadata.actor_id) else {
            return;
        };
        if *own == region || own.contains(region) {
            return;
        }
        flags.push(Self::flag(
            event,
            Rule::OutsideRegion,
            "actor_outside_region",
            Severity::High,
            Some(region),
            format!(
                "{} 的账户属于{}，却记录了{}的数据（{}）",
                event.metadata.actor_id,
                own.name_zh(),
                region.name_zh(),
                event.event_type
            ),
            format!(
                "{} (an account of {}) recorded {} on data of {}",
                event.metadata.actor_id,
                own.name_en(),
                event.event_type,
                region.name_en()
            ),
            vec![EventLink::of(event)],
        ));
    }
}

fn incentive_flag(
    event: &RecordedEvent,
    region: Option<Region>,
    name: &str,
    period: Period,
    revocation: &Revocation,
    approval: EventLink,
) -> Flag {
    FlagScanner::flag(
        event,
        Rule::IncentiveAfterRevocation,
        "incentive_approved_despite_revocation",
        Severity::High,
        region,
        format!(
            "{name} {period} 的税收优惠已批准，但其 {} 于 {} 被撤销",
            revocation.what, revocation.date
        ),
        format!(
            "a tax incentive of {name} for {period} was approved although its {} was revoked on {}",
            revocation.what, revocation.date
        ),
        vec![approval, revocation.link.clone()],
    )
}

/// The date a tranche condition was met, as the project stood (None: not met).
fn condition_date(project: &Project, condition: &TrancheCondition) -> Option<NaiveDate> {
    match condition {
        TrancheCondition::Approval => project.approved_on(),
        TrancheCondition::ConstructionStarted => project.construction_started_on(),
        TrancheCondition::MilestoneAchieved { milestone_id } => project
            .milestones()
            .get(milestone_id)
            .and_then(|m| m.achieved_on),
        TrancheCondition::Commissioned => project.first_commissioned_on(),
        TrancheCondition::Accepted => project.accepted_on(),
    }
}

fn condition_name(condition: &TrancheCondition) -> &'static str {
    match condition {
        TrancheCondition::Approval => "approval",
        TrancheCondition::ConstructionStarted => "construction_started",
        TrancheCondition::MilestoneAchieved { .. } => "milestone_achieved",
        TrancheCondition::Commissioned => "commissioned",
        TrancheCondition::Accepted => "accepted",
    }
}

fn format_yuan(fen: i128) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

/// Runs every rule over events in log order (a convenience over [`FlagScanner`]).
pub fn scan<'a>(
    settings: FlagSettings,
    events: impl IntoIterator<Item = &'a RecordedEvent>,
) -> Vec<Flag> {
    let mut scanner = FlagScanner::new(settings);
    events
        .into_iter()
        .flat_map(|event| scanner.feed(event))
        .collect()
}

#[cfg(test)]
#[path = "flags_tests.rs"]
mod tests;
