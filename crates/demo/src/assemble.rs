//! How the story is turned into steps: drafts are collected in any order, sorted by date (stably,
//! so acts of one day keep the order they were told in) and executed through the domain in a
//! small in-memory world. Report figures and environmental tax claims are resolved from that
//! world's state on their day, so a report always carries the sums of its region's ledgers as
//! they stand at submission.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use redmud_domain::enterprise::TaxIncentiveClaim;
use redmud_domain::regional_plan::ReportFigures;
use redmud_domain::{
    Aggregate, Base, BaseCommand, Enterprise, EnterpriseCommand, Fen, Kg, LedgerFigures, Period,
    Prefecture, Project, ProjectCommand, ProjectKind, ProjectStatus, RegionalPlan,
    RegionalPlanCommand, Uuid, execute, rules,
};

use crate::{DemoCommand, DemoDataError, DemoStep};

/// A date, for literals: `const { date(y, m, d) }` fails to compile when the date is invalid.
pub(crate) const fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(d) => d,
        None => panic!("invalid date literal in the demo data set"),
    }
}

/// Whole tonnes, for literals: `const { tonnes(t) }` fails to compile when out of range.
pub(crate) const fn tonnes(t: u64) -> Kg {
    // `MassError` owns a `String`, which a const fn cannot drop: match by reference, then forget.
    let result = Kg::new(t * 1_000);
    let kg = match &result {
        Ok(kg) => *kg,
        Err(_) => panic!("tonnage literal out of range in the demo data set"),
    };
    std::mem::forget(result);
    kg
}

/// Whole yuan, for literals: `const { whole_yuan(y) }` fails to compile when out of range.
pub(crate) const fn whole_yuan(y: u64) -> Fen {
    let result = Fen::new(y * 100);
    let fen = match &result {
        Ok(fen) => *fen,
        Err(_) => panic!("money literal out of range in the demo data set"),
    };
    std::mem::forget(result);
    fen
}

/// A date literal checked at compile time: `day!(2025, 4, 15)`.
macro_rules! day {
    ($y:expr, $m:expr, $d:expr) => {
        const { $crate::assemble::date($y, $m, $d) }
    };
}
pub(crate) use day;

/// A tonnage literal checked at compile time: `t!(508_420)`.
macro_rules! t {
    ($t:expr) => {
        const { $crate::assemble::tonnes($t) }
    };
}
pub(crate) use t;

/// A money literal in yuan checked at compile time: `yuan!(84_000_000)`.
macro_rules! yuan {
    ($y:expr) => {
        const { $crate::assemble::whole_yuan($y) }
    };
}
pub(crate) use yuan;

/// `days` after `from`.
pub(crate) fn after(from: NaiveDate, days: u64) -> Result<NaiveDate, DemoDataError> {
    from.checked_add_days(Days::new(days))
        .ok_or(DemoDataError::DateOutOfRange { from, days })
}

/// A quarter period.
pub(crate) fn quarter(year: i64, q: u32) -> Result<Period, DemoDataError> {
    Ok(Period::quarter(year, q)?)
}

/// What a draft step does once its day comes.
enum Action {
    /// A command known in advance.
    Ready(DemoCommand),
    /// A regional report whose figures are the region's ledger sums on the day.
    Report {
        plan_id: Uuid,
        period: Period,
        summary: String,
        submitted_on: NaiveDate,
    },
    /// An environmental tax exemption claim for the red mud utilized per the ledger.
    EnvironmentalTaxClaim {
        enterprise_id: Uuid,
        claim_id: Uuid,
        period: Period,
        claimed_on: NaiveDate,
    },
    /// Approval of a claim for the full amount claimed.
    ApproveAsClaimed {
        enterprise_id: Uuid,
        claim_id: Uuid,
        decided_on: NaiveDate,
    },
}

struct Draft {
    on: NaiveDate,
    actor: &'static str,
    action: Action,
}

/// The story as told: draft steps in any order.
#[derive(Default)]
pub(crate) struct Story {
    drafts: Vec<Draft>,
    error: Option<DemoDataError>,
}

impl Story {
    fn fail(&mut self, error: DemoDataError) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// A step on the day its command carries.
    pub(crate) fn push(&mut self, actor: &'static str, command: DemoCommand) {
        match command.act_date() {
            Some(on) => self.drafts.push(Draft {
                on,
                actor,
                action: Action::Ready(command),
            }),
            None => self.fail(DemoDataError::MissingDate {
                command: command.name(),
            }),
        }
    }

    /// A step on `on`, for commands that carry no date of the act.
    pub(crate) fn push_on(&mut self, on: NaiveDate, actor: &'static str, command: DemoCommand) {
        if let Some(act_date) = command.act_date()
            && act_date != on
        {
            self.fail(DemoDataError::DateMismatch {
                command: command.name(),
                act_date,
                on,
            });
            return;
        }
        self.drafts.push(Draft {
            on,
            actor,
            action: Action::Ready(command),
        });
    }

    /// An enterprise command on its own date.
    pub(crate) fn enterprise(&mut self, actor: &'static str, id: Uuid, command: EnterpriseCommand) {
        self.push(actor, DemoCommand::Enterprise { id, command });
    }

    /// An enterprise command without a date of its own, on `on`.
    pub(crate) fn enterprise_on(
        &mut self,
        on: NaiveDate,
        actor: &'static str,
        id: Uuid,
        command: EnterpriseCommand,
    ) {
        self.push_on(on, actor, DemoCommand::Enterprise { id, command });
    }

    /// A project command on its own date.
    pub(crate) fn project(&mut self, actor: &'static str, id: Uuid, command: ProjectCommand) {
        self.push(actor, DemoCommand::Project { id, command });
    }

    /// A project command without a date of its own (planning a milestone), on `on`.
    pub(crate) fn project_on(
        &mut self,
        on: NaiveDate,
        actor: &'static str,
        id: Uuid,
        command: ProjectCommand,
    ) {
        self.push_on(on, actor, DemoCommand::Project { id, command });
    }

    /// A base command on its own date.
    pub(crate) fn base(&mut self, actor: &'static str, id: Uuid, command: BaseCommand) {
        self.push(actor, DemoCommand::Base { id, command });
    }

    /// A regional plan command on its own date.
    pub(crate) fn plan(&mut self, actor: &'static str, id: Uuid, command: RegionalPlanCommand) {
        self.push(actor, DemoCommand::RegionalPlan { id, command });
    }

    /// A report submission whose figures are computed on `submitted_on`; the summary of work
    /// done is `summary` followed by the figures in words.
    pub(crate) fn report(
        &mut self,
        actor: &'static str,
        plan_id: Uuid,
        period: Period,
        submitted_on: NaiveDate,
        summary: impl Into<String>,
    ) {
        self.drafts.push(Draft {
            on: submitted_on,
            actor,
            action: Action::Report {
                plan_id,
                period,
                summary: summary.into(),
                submitted_on,
            },
        });
    }

    /// An environmental tax exemption claim for everything the ledger says was utilized in
    /// `period`, at 25 yuan per tonne.
    pub(crate) fn environmental_tax_claim(
        &mut self,
        actor: &'static str,
        enterprise_id: Uuid,
        claim_id: Uuid,
        period: Period,
        claimed_on: NaiveDate,
    ) {
        self.drafts.push(Draft {
            on: claimed_on,
            actor,
            action: Action::EnvironmentalTaxClaim {
                enterprise_id,
                claim_id,
                period,
                claimed_on,
            },
        });
    }

    /// Approval of a tax incentive claim for the amount claimed.
    pub(crate) fn approve_as_claimed(
        &mut self,
        actor: &'static str,
        enterprise_id: Uuid,
        claim_id: Uuid,
        decided_on: NaiveDate,
    ) {
        self.drafts.push(Draft {
            on: decided_on,
            actor,
            action: Action::ApproveAsClaimed {
                enterprise_id,
                claim_id,
                decided_on,
            },
        });
    }

    /// Sort by day, resolve and execute every step: the steps, or the first error.
    pub(crate) fn finish(self) -> Result<Vec<DemoStep>, DemoDataError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let mut drafts = self.drafts;
        drafts.sort_by_key(|d| d.on);
        let mut world = World::default();
        let mut steps = Vec::with_capacity(drafts.len());
        for (index, draft) in drafts.into_iter().enumerate() {
            let command = world.resolve(draft.action)?;
            world
                .execute(&command)
                .map_err(|error| DemoDataError::Refused {
                    index,
                    on: draft.on,
                    command: command.name(),
                    category: command.category(),
                    aggregate_id: command.aggregate_id(),
                    error,
                })?;
            steps.push(DemoStep {
                on: draft.on,
                actor: draft.actor,
                reason: command.reason().map(str::to_owned),
                command,
            });
        }
        Ok(steps)
    }
}

/// The aggregates as the steps so far left them, and what reports need beyond the ledgers.
#[derive(Default)]
struct World {
    enterprises: BTreeMap<Uuid, Enterprise>,
    projects: BTreeMap<Uuid, Project>,
    bases: BTreeMap<Uuid, Base>,
    plans: BTreeMap<Uuid, RegionalPlan>,
    /// (prefecture, date, capacity) of every capacity commissioning.
    commissions: Vec<(Option<Prefecture>, NaiveDate, Kg)>,
    /// (prefecture, date) of every accepted industrialization demonstration project.
    demonstrations_accepted: Vec<(Option<Prefecture>, NaiveDate)>,
}

fn run<A>(states: &mut BTreeMap<Uuid, A>, id: Uuid, command: &A::Command) -> Result<(), String>
where
    A: Aggregate,
{
    let state = states.entry(id).or_default();
    let (next, _events) = execute(state, command).map_err(|e| e.to_string())?;
    *state = next;
    Ok(())
}

impl World {
    fn execute(&mut self, command: &DemoCommand) -> Result<(), String> {
        match command {
            DemoCommand::Enterprise { id, command } => run(&mut self.enterprises, *id, command),
            DemoCommand::Base { id, command } => run(&mut self.bases, *id, command),
            DemoCommand::RegionalPlan { id, command } => run(&mut self.plans, *id, command),
            DemoCommand::Project { id, command } => {
                run(&mut self.projects, *id, command)?;
                let project = self.projects.get(id);
                let proposal = project.and_then(Project::proposal);
                let prefecture = proposal.and_then(|p| p.region.prefecture());
                match command {
                    ProjectCommand::CommissionCapacity {
                        capacity_per_year,
                        commissioned_on,
                    } => self
                        .commissions
                        .push((prefecture, *commissioned_on, *capacity_per_year)),
                    ProjectCommand::AcceptProject { accepted_on, .. }
                        if proposal.map(|p| p.kind)
                            == Some(ProjectKind::IndustrializationDemonstration)
                            && project.map(Project::status) == Some(ProjectStatus::Accepted) =>
                    {
                        self.demonstrations_accepted
                            .push((prefecture, *accepted_on))
                    }
                    _ => {}
                }
                Ok(())
            }
        }
    }

    fn enterprise(&self, id: Uuid) -> Result<&Enterprise, DemoDataError> {
        self.enterprises
            .get(&id)
            .ok_or(DemoDataError::UnknownAggregate {
                what: "enterprise",
                id,
            })
    }

    fn resolve(&self, action: Action) -> Result<DemoCommand, DemoDataError> {
        Ok(match action {
            Action::Ready(command) => command,
            Action::Report {
                plan_id,
                period,
                summary,
                submitted_on,
            } => {
                let prefecture = self
                    .plans
                    .get(&plan_id)
                    .and_then(RegionalPlan::region)
                    .and_then(|r| r.prefecture())
                    .ok_or(DemoDataError::UnknownAggregate {
                        what: "regional plan of a prefecture",
                        id: plan_id,
                    })?;
                let figures = self.report_figures(prefecture, period)?;
                let summary = format!("{summary}{}", figures_in_words(&figures)?);
                DemoCommand::RegionalPlan {
                    id: plan_id,
                    command: RegionalPlanCommand::SubmitReport {
                        period,
                        figures,
                        summary,
                        submitted_on,
                    },
                }
            }
            Action::EnvironmentalTaxClaim {
                enterprise_id,
                claim_id,
                period,
                claimed_on,
            } => {
                let utilized = self
                    .enterprise(enterprise_id)?
                    .ledger_within(period)?
                    .utilized_total()?;
                let tax_per_tonne = Fen::new(rules::ENVIRONMENTAL_TAX_PER_TONNE_FEN)?;
                let exemption = rules::max_environmental_tax_exemption(utilized, tax_per_tonne)?;
                DemoCommand::Enterprise {
                    id: enterprise_id,
                    command: EnterpriseCommand::ClaimTaxIncentive {
                        claim_id,
                        period,
                        claim: TaxIncentiveClaim::EnvironmentalTaxExemption {
                            utilized,
                            tax_per_tonne,
                            exemption,
                        },
                        claimed_on,
                    },
                }
            }
            Action::ApproveAsClaimed {
                enterprise_id,
                claim_id,
                decided_on,
            } => {
                let approved = self
                    .enterprise(enterprise_id)?
                    .claims()
                    .get(&claim_id)
                    .map(|c| c.claim.amount())
                    .ok_or(DemoDataError::UnknownAggregate {
                        what: "tax incentive claim",
                        id: claim_id,
                    })?;
                DemoCommand::Enterprise {
                    id: enterprise_id,
                    command: EnterpriseCommand::ApproveTaxIncentive {
                        claim_id,
                        approved,
                        decided_on,
                    },
                }
            }
        })
    }

    /// A region's report figures for `period`: the sum of its refineries' ledgers within the
    /// period ([`Enterprise::ledger_within`], [`LedgerFigures::sum`]), the refineries with at
    /// least one recorded period in it, the capacity commissioned and the industrialization
    /// demonstration projects accepted in it.
    fn report_figures(
        &self,
        prefecture: Prefecture,
        period: Period,
    ) -> Result<ReportFigures, DemoDataError> {
        let mut ledgers = Vec::new();
        for enterprise in self.enterprises.values() {
            let in_region = enterprise.region().and_then(|r| r.prefecture()) == Some(prefecture);
            let reported = enterprise.ledger().keys().any(|p| period.contains(*p));
            if in_region && enterprise.is_alumina_refinery() && reported {
                ledgers.push(enterprise.ledger_within(period)?);
            }
        }
        let in_period = |p: Option<Prefecture>, on: NaiveDate| {
            p == Some(prefecture) && period.contains_date(on)
        };
        let capacity = Kg::sum(
            self.commissions
                .iter()
                .filter(|(p, on, _)| in_period(*p, *on))
                .map(|(_, _, kg)| *kg),
        )?;
        let demonstrations = self
            .demonstrations_accepted
            .iter()
            .filter(|(p, on)| in_period(*p, *on))
            .count();
        Ok(ReportFigures {
            ledger: LedgerFigures::sum(&ledgers)?,
            capacity_commissioned_per_year: capacity,
            demonstration_projects_completed: u32::try_from(demonstrations).unwrap_or(u32::MAX),
            enterprises_reporting: u32::try_from(ledgers.len()).unwrap_or(u32::MAX),
        })
    }
}

/// Tonnes as 万吨 with two decimals (rounded down), e.g. "52.34万吨".
pub(crate) fn wan_tonnes(kg: Kg) -> String {
    let ten_kt = 10_000_000;
    let whole = kg.kg() / ten_kt;
    let hundredths = kg.kg() % ten_kt / 100_000;
    format!("{whole}.{hundredths:02}万吨")
}

/// The figures of a report in words, appended to its summary.
fn figures_in_words(figures: &ReportFigures) -> Result<String, DemoDataError> {
    let ledger = &figures.ledger;
    let rate = rules::new_utilization_rate(ledger)?
        .map_or_else(|| "—".to_owned(), |r| r.percent_display(2));
    Ok(format!(
        "本期汇总{}家氧化铝企业台账：产生赤泥{}，综合利用{}（其中利用当期新增赤泥{}、利用历史堆存{}），新增赤泥综合利用率{}。",
        figures.enterprises_reporting,
        wan_tonnes(ledger.generated),
        wan_tonnes(ledger.utilized_total()?),
        wan_tonnes(ledger.utilized_from_new_total()?),
        wan_tonnes(ledger.utilized_from_stock_total()?),
        rate,
    ))
}
