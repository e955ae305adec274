//! The demo data set, checked from the outside: every step replayed through the domain in
//! order, the roles, the dates, the reasons, the coverage the demo promises and the realism of
//! its figures.

use std::collections::{BTreeMap, BTreeSet};

use redmud_demo::{DemoCommand, DemoStep, TODAY, accounts, dataset, try_dataset};
use redmud_domain::enterprise::{ClaimState, TaxIncentiveClaim};
use redmud_domain::{
    Aggregate, Base, BaseCommand, BaseStatus, Enterprise, EnterpriseCommand, EnterpriseKind, Kg,
    LedgerFigures, NaiveDate, Period, Prefecture, Project, ProjectCommand, ProjectKind,
    ProjectStatus, Region, RegionalPlan, RegionalPlanCommand, ReportStatus, Uuid, execute, rules,
};

/// Every aggregate's state by id, as the steps so far left it.
#[derive(Default)]
struct States {
    enterprises: BTreeMap<Uuid, Enterprise>,
    projects: BTreeMap<Uuid, Project>,
    bases: BTreeMap<Uuid, Base>,
    plans: BTreeMap<Uuid, RegionalPlan>,
    /// (prefecture, date, t/yr) of every commissioning.
    commissions: Vec<(Option<Prefecture>, NaiveDate, Kg)>,
    /// (prefecture, date) of every accepted industrialization demonstration.
    demonstrations: Vec<(Option<Prefecture>, NaiveDate)>,
}

fn run<A: Aggregate>(
    states: &mut BTreeMap<Uuid, A>,
    id: Uuid,
    command: &A::Command,
) -> Result<(), String> {
    let state = states.get(&id).cloned().unwrap_or_default();
    let (next, events) = execute(&state, command).map_err(|e| e.to_string())?;
    assert!(!events.is_empty(), "an accepted command records events");
    states.insert(id, next);
    Ok(())
}

impl States {
    fn apply(&mut self, command: &DemoCommand) -> Result<(), String> {
        match command {
            DemoCommand::Enterprise { id, command } => run(&mut self.enterprises, *id, command),
            DemoCommand::Base { id, command } => run(&mut self.bases, *id, command),
            DemoCommand::RegionalPlan { id, command } => run(&mut self.plans, *id, command),
            DemoCommand::Project { id, command } => {
                run(&mut self.projects, *id, command)?;
                let project = &self.projects[id];
                let proposal = project.proposal().expect("proposed");
                let prefecture = proposal.region.prefecture();
                match command {
                    ProjectCommand::CommissionCapacity {
                        capacity_per_year,
                        commissioned_on,
                    } => self
                        .commissions
                        .push((prefecture, *commissioned_on, *capacity_per_year)),
                    ProjectCommand::AcceptProject { accepted_on, .. }
                        if proposal.kind == ProjectKind::IndustrializationDemonstration =>
                    {
                        self.demonstrations.push((prefecture, *accepted_on))
                    }
                    _ => {}
                }
                Ok(())
            }
        }
    }

    /// The region of the aggregate a command is addressed to (from the command itself when it
    /// creates the aggregate).
    fn region_of(&self, command: &DemoCommand) -> Option<Region> {
        match command {
            DemoCommand::Enterprise {
                command: EnterpriseCommand::Register { region, .. },
                ..
            } => Some(*region),
            DemoCommand::Enterprise { id, .. } => self.enterprises.get(id)?.region(),
            DemoCommand::Project {
                command: ProjectCommand::ProposeProject { proposal, .. },
                ..
            } => Some(proposal.region),
            DemoCommand::Project { id, .. } => Some(self.projects.get(id)?.proposal()?.region),
            DemoCommand::Base {
                command: BaseCommand::DesignateBase { region, .. },
                ..
            } => Some(*region),
            DemoCommand::Base { id, .. } => self.bases.get(id)?.region(),
            DemoCommand::RegionalPlan {
                command: RegionalPlanCommand::SetTargets { region, .. },
                ..
            } => Some(*region),
            DemoCommand::RegionalPlan { id, .. } => self.plans.get(id)?.region(),
        }
    }
}

/// Replay every step, calling `check(index, step, states before the step)` first.
fn replay(mut check: impl FnMut(usize, &DemoStep, &States)) -> States {
    let mut states = States::default();
    for (index, step) in dataset().iter().enumerate() {
        check(index, step, &states);
        if let Err(error) = states.apply(&step.command) {
            panic!(
                "step {index} ({} by {} on {}, {} {}) was refused: {error}",
                step.command.name(),
                step.actor,
                step.on,
                step.command.category(),
                step.command.aggregate_id()
            );
        }
    }
    states
}

#[test]
fn the_data_set_builds() {
    if let Err(error) = try_dataset() {
        panic!("{error}");
    }
}

#[test]
fn every_step_is_accepted_in_order() {
    let states = replay(|_, _, _| {});
    assert_eq!(states.enterprises.len(), 13);
    assert_eq!(states.projects.len(), 17);
    assert_eq!(states.bases.len(), 4);
    assert_eq!(states.plans.len(), 8);
}

#[test]
fn the_data_set_is_deterministic() {
    let (a, b) = (dataset(), dataset());
    assert_eq!(a, b);
    let json = |steps: &[DemoStep]| serde_json::to_string(steps).expect("serializes");
    assert_eq!(json(&a), json(&b));
    assert_eq!(accounts(), accounts());
}

#[test]
fn steps_are_chronological_and_dated_by_their_commands() {
    let steps = dataset();
    assert!(steps.windows(2).all(|w| w[0].on <= w[1].on));
    assert!(
        steps
            .first()
            .is_some_and(|s| s.on >= "2025-01-01".parse().expect("date"))
    );
    for (index, step) in steps.iter().enumerate() {
        assert!(step.on <= TODAY, "step {index} is after today: {}", step.on);
        if let Some(act_date) = step.command.act_date() {
            assert_eq!(act_date, step.on, "step {index}");
        }
    }
    assert_eq!(TODAY, "2026-11-28".parse::<NaiveDate>().expect("date"));
}

#[test]
fn reasons_are_carried_by_the_step_and_the_command() {
    for (index, step) in dataset().iter().enumerate() {
        assert_eq!(
            step.reason.as_deref(),
            step.command.reason(),
            "step {index} ({})",
            step.command.name()
        );
        if let Some(reason) = &step.reason {
            assert!(!reason.trim().is_empty(), "step {index}");
        }
    }
}

#[test]
fn accounts_are_the_named_demo_accounts() {
    let accounts = accounts();
    let names: Vec<_> = accounts.iter().map(|a| a.username).collect();
    assert_eq!(
        names,
        [
            "admin",
            "province",
            "guiyang",
            "zunyi",
            "qiandongnan",
            "finance",
            "auditor"
        ]
    );
    for account in &accounts {
        assert_eq!(account.region.is_some(), account.role == "bureau");
        assert!(!account.display_name.is_empty() && !account.organisation.is_empty());
    }
    let bureaus: Vec<_> = accounts.iter().filter_map(|a| a.region).collect();
    assert_eq!(bureaus, ["520100", "520300", "522600"]);
    for code in bureaus {
        let region: Region = code.parse().expect("region");
        assert!(matches!(region, Region::Prefecture(_)), "{code}");
    }
}

/// Whether `role` may give `command` (DESIGN.md §2 and the demo brief).
fn role_allows(role: &str, command: &DemoCommand) -> bool {
    let name = command.name();
    match (role, command) {
        ("bureau", DemoCommand::Enterprise { .. }) => matches!(
            name,
            "Register"
                | "Amend"
                | "Deregister"
                | "FilePolicyPlan"
                | "RevisePolicyPlan"
                | "DeclareStockBaseline"
                | "CorrectStockBaseline"
                | "RecordLedger"
                | "CorrectLedger"
                | "RecordCleanProductionAudit"
        ),
        ("bureau", DemoCommand::Project { .. }) => matches!(
            name,
            "ProposeProject"
                | "StartConstruction"
                | "PlanMilestone"
                | "AchieveMilestone"
                | "CommissionCapacity"
                | "OpenConsultation"
        ),
        ("bureau", DemoCommand::RegionalPlan { .. }) => name == "SubmitReport",
        ("province", DemoCommand::Enterprise { .. }) => matches!(
            name,
            "Register"
                | "Amend"
                | "GrantDesignation"
                | "RevokeDesignation"
                | "RecommendTypicalCase"
                | "WithdrawTypicalCase"
        ),
        ("province", DemoCommand::Project { .. }) => matches!(
            name,
            "ApproveProject"
                | "AcceptProject"
                | "FailAcceptance"
                | "SuspendProject"
                | "ResumeProject"
                | "CancelProject"
                | "ApproveStandard"
                | "PublishStandard"
                | "WithdrawStandard"
                | "RecommendTypicalCase"
                | "WithdrawTypicalCase"
        ),
        ("province", DemoCommand::Base { .. }) => true,
        ("province", DemoCommand::RegionalPlan { .. }) => name != "SubmitReport",
        ("finance", DemoCommand::Enterprise { .. }) => matches!(
            name,
            "ClaimTaxIncentive"
                | "ApproveTaxIncentive"
                | "RejectTaxIncentive"
                | "RecoverTaxIncentive"
        ),
        ("finance", DemoCommand::Project { .. }) => {
            matches!(name, "AwardFunding" | "DisburseTranche" | "RecoverFunding")
        }
        _ => false,
    }
}

#[test]
fn actors_follow_their_roles_and_bureaus_their_regions() {
    let accounts = accounts();
    let mut by_role: BTreeMap<&str, usize> = BTreeMap::new();
    replay(|index, step, states| {
        let account = accounts
            .iter()
            .find(|a| a.username == step.actor)
            .unwrap_or_else(|| panic!("step {index}: unknown actor {}", step.actor));
        assert!(
            role_allows(account.role, &step.command),
            "step {index}: a {} may not give {}",
            account.role,
            step.command.name()
        );
        if let Some(code) = account.region {
            let prefix = code.trim_end_matches('0');
            let region = states
                .region_of(&step.command)
                .unwrap_or_else(|| panic!("step {index}: aggregate without region"));
            assert!(
                region.code().to_string().starts_with(prefix),
                "step {index}: bureau {} ({code}) writes {} of region {}",
                step.actor,
                step.command.name(),
                region.code()
            );
        }
        *by_role.entry(account.role).or_default() += 1;
    });
    assert!(!by_role.contains_key("auditor") && !by_role.contains_key("admin"));
    for role in ["bureau", "province", "finance"] {
        assert!(
            by_role.get(role).is_some_and(|n| *n > 20),
            "{role}: {by_role:?}"
        );
    }
}

#[test]
fn every_project_status_kind_and_enterprise_kind_is_reached() {
    let states = replay(|_, _, _| {});
    let statuses: BTreeSet<String> = states
        .projects
        .values()
        .map(|p| p.status().to_string())
        .collect();
    let all_statuses = [
        ProjectStatus::Proposed,
        ProjectStatus::Approved,
        ProjectStatus::UnderConstruction,
        ProjectStatus::InOperation,
        ProjectStatus::Accepted,
        ProjectStatus::Suspended,
        ProjectStatus::Cancelled,
        ProjectStatus::AcceptanceFailed,
        ProjectStatus::Consultation,
        ProjectStatus::Approved,
        ProjectStatus::Published,
        ProjectStatus::Withdrawn,
    ];
    for status in all_statuses {
        assert!(
            statuses.contains(&status.to_string()),
            "{status} not reached"
        );
    }
    let kinds: BTreeSet<ProjectKind> = states
        .projects
        .values()
        .filter_map(|p| p.proposal().map(|p| p.kind))
        .collect();
    assert_eq!(kinds.len(), ProjectKind::ALL.len(), "{kinds:?}");
    let enterprise_kinds: BTreeSet<EnterpriseKind> = states
        .enterprises
        .values()
        .flat_map(|e| e.kinds().iter().copied())
        .collect();
    assert_eq!(
        enterprise_kinds,
        EnterpriseKind::all().collect::<BTreeSet<_>>()
    );
    // 产用挂钩: the alumina project's matching capacity covers its red mud.
    let alumina: Vec<_> = states
        .projects
        .values()
        .filter(|p| {
            p.proposal()
                .is_some_and(|p| p.kind == ProjectKind::NewOrExpandedAlumina)
        })
        .collect();
    assert!(!alumina.is_empty());
    for project in alumina {
        let coverage = project.matching_coverage().expect("sums").expect("stated");
        assert!(coverage.covers, "{coverage:?}");
    }
}

#[test]
fn some_milestones_are_overdue_today() {
    let states = replay(|_, _, _| {});
    let overdue: Vec<(&str, String)> = states
        .projects
        .values()
        .flat_map(|p| {
            p.milestones()
                .values()
                .filter(|m| m.achieved_on.is_none() && m.planned_on < TODAY)
                .map(move |m| (p.proposal().map_or("", |p| p.name.as_str()), m.name.clone()))
        })
        .collect();
    assert!(overdue.len() >= 2, "{overdue:?}");
    let achieved = states
        .projects
        .values()
        .flat_map(|p| p.milestones().values())
        .filter(|m| m.achieved_on.is_some())
        .count();
    assert!(achieved >= 20, "{achieved}");
}

#[test]
fn the_story_has_its_turns() {
    let steps = dataset();
    let count = |name: &str| steps.iter().filter(|s| s.command.name() == name).count();
    assert!(count("CorrectLedger") >= 2);
    assert_eq!(count("CorrectStockBaseline"), 1);
    assert!(count("RevokeDesignation") >= 1);
    assert!(count("RecordCleanProductionAudit") >= 5);
    assert!(count("RejectTaxIncentive") >= 1);
    assert!(count("RecoverTaxIncentive") >= 1);
    assert!(count("RecoverFunding") >= 1);
    assert!(count("ResumeProject") >= 1);
    assert!(count("ReviseTargets") >= 1);
    assert!(count("ReturnReport") >= 2);
    assert_eq!(count("SetTargets"), 8);

    let states = replay(|_, _, _| {});
    // Tax incentives of all three kinds; approved in full, for less, rejected, partly recovered.
    let claims: Vec<_> = states
        .enterprises
        .values()
        .flat_map(|e| e.claims().values())
        .collect();
    let kinds: BTreeSet<_> = claims.iter().map(|c| c.claim.kind()).collect();
    assert_eq!(kinds.len(), 3);
    assert!(claims.iter().any(|c| c.state == ClaimState::Rejected));
    assert!(claims.iter().any(|c| c.state == ClaimState::Claimed));
    assert!(
        claims
            .iter()
            .any(|c| c.state == ClaimState::Approved && c.approved < c.claim.amount())
    );
    assert!(
        claims
            .iter()
            .any(|c| !c.recovered.is_zero() && c.recovered < c.approved)
    );
    for c in &claims {
        if let TaxIncentiveClaim::VatImmediateRefund { refund_rate, .. } = c.claim {
            assert_eq!(refund_rate.get(), 7_000);
        }
        if let TaxIncentiveClaim::EnvironmentalTaxExemption { tax_per_tonne, .. } = c.claim {
            assert_eq!(tax_per_tonne.fen(), rules::ENVIRONMENTAL_TAX_PER_TONNE_FEN);
        }
    }
    // Funding: every source, a recovery, central budget investment at 20 % of the budget.
    let awards: Vec<_> = states
        .projects
        .values()
        .flat_map(|p| p.awards().values().map(move |a| (p, a)))
        .collect();
    let sources: BTreeSet<_> = awards.iter().map(|(_, a)| a.source).collect();
    assert_eq!(sources.len(), redmud_domain::FundingSource::ALL.len());
    assert!(awards.iter().any(|(_, a)| !a.recovered.is_zero()));
    for (project, award) in &awards {
        if award.source == redmud_domain::FundingSource::CentralBudgetInvestment {
            let budget = project.proposal().expect("proposed").budget;
            assert_eq!(award.amount.fen() * 5, budget.fen(), "{}", award.programme);
            assert_eq!(award.tranches.len(), 3);
        }
    }
    // Designations: granted and one revoked; bases: one revoked.
    let held: usize = states
        .enterprises
        .values()
        .map(|e| e.designations().len())
        .sum();
    assert_eq!(held + count("RevokeDesignation"), count("GrantDesignation"));
    assert!(held >= 5);
    assert!(
        states
            .bases
            .values()
            .any(|b| b.status() == BaseStatus::Revoked)
    );
    // Reports: accepted, resubmitted after a return, awaiting review.
    let reports: Vec<_> = states
        .plans
        .values()
        .flat_map(|p| p.reports().values())
        .collect();
    assert!(reports.iter().any(|r| r.status == ReportStatus::Accepted));
    assert!(
        reports
            .iter()
            .any(|r| r.status == ReportStatus::Submitted && r.submission > 1)
    );
    assert!(
        reports
            .iter()
            .any(|r| r.status == ReportStatus::Submitted && r.submission == 1)
    );
    assert!(
        states
            .plans
            .values()
            .any(|p| p.status() == redmud_domain::PlanStatus::Closed)
    );
}

#[test]
fn references_point_at_aggregates_that_exist() {
    replay(|index, step, states| match &step.command {
        DemoCommand::Project {
            command: ProjectCommand::ProposeProject { proposal, .. },
            ..
        } => assert!(
            states
                .enterprises
                .contains_key(&proposal.lead_enterprise_id),
            "step {index}: lead enterprise not registered"
        ),
        DemoCommand::Base {
            command: BaseCommand::AddMember { enterprise_id, .. },
            ..
        } => assert!(
            states.enterprises.contains_key(enterprise_id),
            "step {index}"
        ),
        DemoCommand::Base {
            command: BaseCommand::LinkProject { project_id, .. },
            ..
        } => assert!(states.projects.contains_key(project_id), "step {index}"),
        _ => {}
    });
    let states = replay(|_, _, _| {});
    let usccs: BTreeSet<_> = states
        .enterprises
        .values()
        .filter_map(|e| e.uscc())
        .collect();
    assert_eq!(usccs.len(), states.enterprises.len());
    for enterprise in states.enterprises.values() {
        let uscc = enterprise.uscc().expect("registered");
        let region = enterprise.region().expect("registered");
        assert_eq!(uscc.division_code(), region.code().to_string());
    }
}

/// The sum of a region's refinery ledgers within `period`, and how many refineries reported.
fn region_ledger(states: &States, prefecture: Prefecture, period: Period) -> (LedgerFigures, u32) {
    let mut sum = LedgerFigures::default();
    let mut reporting = 0;
    for enterprise in states.enterprises.values() {
        if enterprise.region().and_then(Region::prefecture) != Some(prefecture)
            || !enterprise.is_alumina_refinery()
        {
            continue;
        }
        if enterprise.ledger().keys().any(|p| period.contains(*p)) {
            reporting += 1;
            let figures = enterprise.ledger_within(period).expect("sums");
            sum = sum.checked_add(&figures).expect("sums");
        }
    }
    (sum, reporting)
}

#[test]
fn reports_carry_the_sums_of_their_regions_ledgers_at_submission() {
    let mut checked = 0;
    replay(|index, step, states| {
        let DemoCommand::RegionalPlan {
            id,
            command:
                RegionalPlanCommand::SubmitReport {
                    period, figures, ..
                },
        } = &step.command
        else {
            return;
        };
        let prefecture = states.plans[id]
            .region()
            .and_then(Region::prefecture)
            .expect("a prefecture's plan");
        let (ledger, reporting) = region_ledger(states, prefecture, *period);
        assert_eq!(figures.ledger, ledger, "step {index}");
        assert_eq!(figures.enterprises_reporting, reporting, "step {index}");
        assert!(reporting >= 1, "step {index}");
        let in_period = |p: &Option<Prefecture>, on: &NaiveDate| {
            *p == Some(prefecture) && period.contains_date(*on)
        };
        let capacity = Kg::sum(
            states
                .commissions
                .iter()
                .filter(|(p, on, _)| in_period(p, on))
                .map(|(_, _, kg)| *kg),
        )
        .expect("sums");
        assert_eq!(
            figures.capacity_commissioned_per_year, capacity,
            "step {index}"
        );
        let demonstrations = states
            .demonstrations
            .iter()
            .filter(|(p, on)| in_period(p, on))
            .count();
        assert_eq!(
            figures.demonstration_projects_completed as usize, demonstrations,
            "step {index}"
        );
        checked += 1;
    });
    assert!(checked >= 24, "{checked}");
}

#[test]
fn the_province_moves_toward_the_2027_goal() {
    let states = replay(|_, _, _| {});
    let quarters = [
        (2025, 1),
        (2025, 2),
        (2025, 3),
        (2025, 4),
        (2026, 1),
        (2026, 2),
        (2026, 3),
    ];
    let mut rates = Vec::new();
    for (year, q) in quarters {
        let period = Period::quarter(year, q).expect("quarter");
        let figures: Vec<_> = states
            .enterprises
            .values()
            .map(|e| e.ledger_within(period).expect("sums"))
            .collect();
        let total = LedgerFigures::sum(&figures).expect("sums");
        let rate = rules::new_utilization_rate(&total)
            .expect("sums")
            .expect("generated");
        println!(
            "{period}: generated {} utilized from new {} ({}), from stock {}",
            total.generated,
            total.utilized_from_new_total().expect("sums"),
            rate.percent_display(2),
            total.utilized_from_stock_total().expect("sums"),
        );
        // ≈ 1.8 Mt of red mud a quarter across the five refineries.
        assert!(
            (1_700_000_000..1_900_000_000).contains(&total.generated.kg()),
            "{period}"
        );
        rates.push(rate);
    }
    assert!(
        rates.windows(2).all(|w| w[0] < w[1]),
        "rates rise every quarter"
    );
    let first = rates.first().expect("quarters");
    let last = rates.last().expect("quarters");
    assert!(first.meets(redmud_domain::BasisPoints::new(500).expect("bp")));
    assert!(!first.meets(redmud_domain::BasisPoints::new(1_000).expect("bp")));
    assert!(last.meets(redmud_domain::BasisPoints::new(1_200).expect("bp")));
    assert!(
        !last.meets(rules::NATIONAL_GOAL_2027),
        "the goal is for 2027"
    );
    // The Qingzhen zone (清镇, 修文) stacks about 3.7 Mt a year.
    let year = Period::year(2025).expect("year");
    let guiyang = region_ledger(&states, Prefecture::Guiyang, year).0;
    assert!(
        (3_500_000_000..3_900_000_000).contains(&guiyang.generated.kg()),
        "{}",
        guiyang.generated
    );
}

#[test]
fn summary_of_commands() {
    let steps = dataset();
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut actors: BTreeMap<&str, usize> = BTreeMap::new();
    for step in &steps {
        *counts
            .entry((step.command.category(), step.command.name()))
            .or_default() += 1;
        *actors.entry(step.actor).or_default() += 1;
    }
    println!("{} steps", steps.len());
    for ((category, name), n) in &counts {
        println!("{category:>14} {name:<28} {n:>4}");
    }
    println!("by actor: {actors:?}");
    assert!((300..=800).contains(&steps.len()), "{}", steps.len());
    // Every command type of the four aggregates except deregistration is used.
    let names: BTreeSet<&str> = counts.keys().map(|(_, n)| *n).collect();
    for name in [
        "Register",
        "Amend",
        "FilePolicyPlan",
        "RevisePolicyPlan",
        "DeclareStockBaseline",
        "CorrectStockBaseline",
        "RecordLedger",
        "CorrectLedger",
        "GrantDesignation",
        "RevokeDesignation",
        "RecordCleanProductionAudit",
        "ClaimTaxIncentive",
        "ApproveTaxIncentive",
        "RejectTaxIncentive",
        "RecoverTaxIncentive",
        "ProposeProject",
        "ApproveProject",
        "StartConstruction",
        "PlanMilestone",
        "AchieveMilestone",
        "CommissionCapacity",
        "AcceptProject",
        "FailAcceptance",
        "SuspendProject",
        "ResumeProject",
        "CancelProject",
        "AwardFunding",
        "DisburseTranche",
        "RecoverFunding",
        "OpenConsultation",
        "ApproveStandard",
        "PublishStandard",
        "WithdrawStandard",
        "RecommendTypicalCase",
        "WithdrawTypicalCase",
        "DesignateBase",
        "AddMember",
        "RemoveMember",
        "LinkProject",
        "UnlinkProject",
        "SetYearTargets",
        "ReviseYearTargets",
        "RecordEvaluation",
        "RevokeBase",
        "SetTargets",
        "ReviseTargets",
        "SubmitReport",
        "ReturnReport",
        "AcceptReport",
    ] {
        assert!(names.contains(name), "{name} not used");
    }
}
