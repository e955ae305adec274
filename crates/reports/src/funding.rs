//! Report 4 — funding (资金): awarded, disbursed, recovered and outstanding by source, programme,
//! region, year and project; awards with a disbursement but no approval, or whose milestone
//! tranche has no matching achieved milestone, listed.
//!
//! ```text
//! per award:  outstanding   = awarded − disbursed      (still to be paid out)
//!             net_disbursed = disbursed − recovered    (held by the project)
//! per line:   Σ over the awards of the group ([`redmud_domain::rules::funding_balances`])
//! year:       the year the award was made
//! anomalies:  disbursed_without_approval — a tranche disbursed while the project has no
//!             approval date, or before it;
//!             no_matching_milestone — a tranche conditioned on a milestone, disbursed while that
//!             milestone is not planned, not achieved, or achieved after the disbursement
//! ```

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use redmud_domain::project::Award;
use redmud_domain::rules::funding_balances;
use redmud_domain::{Fen, FundingSource, Project, ProjectKind, Region, TrancheCondition};
use serde::Serialize;
use uuid::Uuid;

use crate::ReportError;
use crate::csv::Csv;
use crate::table::{Breakdown, BreakdownLine, Measures, Section, group_region, region_key};

/// What a funding report covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FundingParams {
    /// Only projects within this region.
    pub region: Option<Region>,
    /// Only awards made in this year.
    pub year: Option<u16>,
    /// Only awards from this source.
    pub source: Option<FundingSource>,
    /// Only projects of this kind.
    pub kind: Option<ProjectKind>,
}

/// The measures of a funding line (fen).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FundingMeasures {
    /// Awards counted.
    pub awards: u32,
    /// Σ awarded.
    pub awarded: Fen,
    /// Σ disbursed.
    pub disbursed: Fen,
    /// Σ recovered.
    pub recovered: Fen,
    /// Σ (awarded − disbursed).
    pub outstanding: Fen,
    /// Σ (disbursed − recovered).
    pub net_disbursed: Fen,
}

impl FundingMeasures {
    /// One award's measures.
    pub fn of(award: &Award) -> Result<Self, ReportError> {
        let b = funding_balances([award.line()])?;
        Ok(Self {
            awards: 1,
            awarded: b.awarded,
            disbursed: b.disbursed,
            recovered: b.recovered,
            outstanding: b.outstanding,
            net_disbursed: b.net_disbursed,
        })
    }
}

impl Measures for FundingMeasures {
    fn add(&mut self, o: &Self) -> Result<(), ReportError> {
        self.awards += o.awards;
        self.awarded = self.awarded.checked_add(o.awarded)?;
        self.disbursed = self.disbursed.checked_add(o.disbursed)?;
        self.recovered = self.recovered.checked_add(o.recovered)?;
        self.outstanding = self.outstanding.checked_add(o.outstanding)?;
        self.net_disbursed = self.net_disbursed.checked_add(o.net_disbursed)?;
        Ok(())
    }
    fn columns() -> Vec<&'static str> {
        vec![
            "awards",
            "awarded_fen",
            "disbursed_fen",
            "recovered_fen",
            "outstanding_fen",
            "net_disbursed_fen",
        ]
    }
    fn values(&self) -> Vec<u64> {
        vec![
            u64::from(self.awards),
            self.awarded.fen(),
            self.disbursed.fen(),
            self.recovered.fen(),
            self.outstanding.fen(),
            self.net_disbursed.fen(),
        ]
    }
}

/// Why an award is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingProblem {
    /// A tranche was disbursed while the project had no approval (or before its date).
    DisbursedWithoutApproval,
    /// A milestone tranche was disbursed without its milestone achieved by then.
    NoMatchingMilestone,
}

impl FundingProblem {
    fn code(self) -> &'static str {
        match self {
            FundingProblem::DisbursedWithoutApproval => "disbursed_without_approval",
            FundingProblem::NoMatchingMilestone => "no_matching_milestone",
        }
    }
}

/// A listed award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundingAnomaly {
    /// What is wrong.
    pub problem: FundingProblem,
    /// The project.
    pub project_id: Uuid,
    /// Its name.
    pub project: String,
    /// Its region code.
    pub region: String,
    /// The award.
    pub award_id: Uuid,
    /// Its source.
    pub source: FundingSource,
    /// Its programme.
    pub programme: String,
    /// The tranche (1-based).
    pub tranche: u32,
    /// Its amount.
    pub amount: Fen,
    /// When it was disbursed.
    pub disbursed_on: NaiveDate,
}

/// The funding report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundingReport {
    /// All awards counted.
    pub total: FundingMeasures,
    /// Per source, programme, region, year and project (in that order, then by code).
    pub lines: Vec<BreakdownLine<FundingMeasures>>,
    /// Awards listed, by project, award and tranche.
    pub anomalies: Vec<FundingAnomaly>,
}

/// The breakdown dimensions, in report order.
pub const FUNDING_DIMENSIONS: &[&str] = &["source", "programme", "region", "year", "project"];

/// Computes the funding report from the project states in force at one moment.
pub fn funding_report(
    params: &FundingParams,
    projects: &[Arc<Project>],
) -> Result<FundingReport, ReportError> {
    let mut breakdown = Breakdown::new(FUNDING_DIMENSIONS);
    let mut anomalies = Vec::new();
    for project in projects {
        let (Some(p), Some(id)) = (project.proposal(), project.id()) else {
            continue;
        };
        if params.region.is_some_and(|r| !r.contains(p.region))
            || params.kind.is_some_and(|k| k != p.kind)
        {
            continue;
        }
        // The project's awards summed here, then added to its region and its own line once.
        let mut of_project: Option<FundingMeasures> = None;
        for (award_id, award) in project.awards() {
            let year = u16::try_from(award.awarded_on.year()).unwrap_or_default();
            if params.year.is_some_and(|y| y != year)
                || params.source.is_some_and(|s| s != award.source)
            {
                continue;
            }
            let m = FundingMeasures::of(award)?;
            breakdown.add("source", award.source.code(), award.source.name_zh(), &m)?;
            breakdown.add("programme", &award.programme, &award.programme, &m)?;
            let year = year.to_string();
            breakdown.add("year", &year, &year, &m)?;
            breakdown.add_total(&m)?;
            of_project.get_or_insert_default().add(&m)?;
            for (i, tranche) in award.tranches.iter().enumerate() {
                let Some(paid) = tranche.disbursed_on else {
                    continue;
                };
                let mut problems = Vec::new();
                if project.approved_on().is_none_or(|a| paid < a) {
                    problems.push(FundingProblem::DisbursedWithoutApproval);
                }
                if let TrancheCondition::MilestoneAchieved { milestone_id } = &tranche.condition {
                    let achieved = project
                        .milestones()
                        .get(milestone_id)
                        .and_then(|m| m.achieved_on);
                    if achieved.is_none_or(|a| a > paid) {
                        problems.push(FundingProblem::NoMatchingMilestone);
                    }
                }
                for problem in problems {
                    anomalies.push(FundingAnomaly {
                        problem,
                        project_id: id,
                        project: p.name.clone(),
                        region: p.region.to_string(),
                        award_id: *award_id,
                        source: award.source,
                        programme: award.programme.clone(),
                        tranche: u32::try_from(i + 1).unwrap_or(u32::MAX),
                        amount: tranche.amount,
                        disbursed_on: paid,
                    });
                }
            }
        }
        if let Some(m) = of_project {
            let (code, name) = region_key(group_region(params.region, Some(p.region)));
            breakdown.add("region", code, name, &m)?;
            // One line per project: its key and name are moved in, not copied.
            breakdown.add("project", id.to_string(), p.name.clone(), &m)?;
        }
    }
    anomalies.sort_by(|a, b| {
        (&a.project, a.project_id, a.award_id, a.tranche, a.problem).cmp(&(
            &b.project,
            b.project_id,
            b.award_id,
            b.tranche,
            b.problem,
        ))
    });
    let (lines, total) = breakdown.finish();
    Ok(FundingReport {
        total,
        lines,
        anomalies,
    })
}

/// The CSV of the funding report: the breakdown sections and the total, then one `anomaly`
/// record per listed tranche.
pub fn funding_csv(report: &FundingReport) -> Csv {
    let anomalies = Section {
        name: "anomaly".to_owned(),
        columns: [
            "problem",
            "key",
            "name",
            "region",
            "award_id",
            "source",
            "programme",
            "tranche",
            "amount_fen",
            "disbursed_on",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: report
            .anomalies
            .iter()
            .map(|a| {
                vec![
                    a.problem.code().to_owned(),
                    a.project_id.to_string(),
                    a.project.clone(),
                    a.region.clone(),
                    a.award_id.to_string(),
                    a.source.code().to_owned(),
                    a.programme.clone(),
                    a.tranche.to_string(),
                    a.amount.fen().to_string(),
                    a.disbursed_on.to_string(),
                ]
            })
            .collect(),
    };
    crate::table::breakdown_csv(&report.lines, &report.total, vec![anomalies])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use redmud_domain::{ProjectCommand, TrancheTerm};

    fn award(n: u128, source: FundingSource, amount: u64, on: NaiveDate) -> ProjectCommand {
        ProjectCommand::AwardFunding {
            award_id: id(n),
            source,
            programme: "资源节约".into(),
            amount: fen(amount),
            tranches: vec![
                TrancheTerm {
                    condition: TrancheCondition::Approval,
                    amount: fen(amount / 2),
                },
                TrancheTerm {
                    condition: TrancheCondition::MilestoneAchieved {
                        milestone_id: id(99),
                    },
                    amount: fen(amount - amount / 2),
                },
            ],
            awarded_on: on,
        }
    }

    #[test]
    fn balances_by_dimension_and_anomalies() -> Result<(), ReportError> {
        let p = project(&[
            propose(
                1,
                proposal("清镇建材", ProjectKind::UtilizationCapacity, "520181", 9),
            ),
            approve(),
            ProjectCommand::PlanMilestone {
                milestone_id: id(99),
                name: "中期检查".into(),
                planned_on: d(2025, 9, 30),
            },
            award(
                10,
                FundingSource::CentralBudgetInvestment,
                1_000_000,
                d(2025, 3, 1),
            ),
            award(
                11,
                FundingSource::ProvincialSpecialFunds,
                400_000,
                d(2026, 1, 5),
            ),
            ProjectCommand::DisburseTranche {
                award_id: id(10),
                tranche: 1,
                disbursed_on: d(2025, 3, 10),
            },
            ProjectCommand::RecoverFunding {
                award_id: id(10),
                amount: fen(100_000),
                recovered_on: d(2025, 5, 1),
                reason: "违规".into(),
            },
        ]);
        let r = funding_report(&FundingParams::default(), &[Arc::new(p.clone())])?;
        assert_eq!(r.total.awards, 2);
        assert_eq!(r.total.awarded, fen(1_400_000));
        assert_eq!(r.total.disbursed, fen(500_000));
        assert_eq!(r.total.recovered, fen(100_000));
        assert_eq!(r.total.outstanding, fen(900_000));
        assert_eq!(r.total.net_disbursed, fen(400_000));
        let line = |by: &str, key: &str| {
            r.lines
                .iter()
                .find(|l| l.by == by && l.key == key)
                .map(|l| l.measures)
        };
        assert_eq!(
            line("source", "central_budget_investment").map(|m| m.outstanding),
            Some(fen(500_000))
        );
        assert_eq!(line("year", "2026").map(|m| m.awarded), Some(fen(400_000)));
        assert_eq!(line("region", "520100").map(|m| m.awards), Some(2));
        assert!(r.anomalies.is_empty());
        let r = funding_report(
            &FundingParams {
                year: Some(2025),
                ..FundingParams::default()
            },
            &[Arc::new(p.clone())],
        )?;
        assert_eq!(r.total.awards, 1);

        // Rows that break the rules (as an import might carry): no approval, and a milestone
        // tranche paid without its milestone.
        let mut doc = serde_json::to_value(&p).expect("test value");
        doc["approved_on"] = serde_json::Value::Null;
        let award = &mut doc["awards"][id(10).to_string()];
        award["tranches"][1]["disbursed_on"] = serde_json::json!("2025-04-01");
        award["disbursed"] = serde_json::json!(1_000_000);
        let broken: Project = serde_json::from_value(doc).expect("test value");
        let r = funding_report(&FundingParams::default(), &[Arc::new(broken)])?;
        let problems: Vec<(FundingProblem, u32)> =
            r.anomalies.iter().map(|a| (a.problem, a.tranche)).collect();
        assert_eq!(
            problems,
            [
                (FundingProblem::DisbursedWithoutApproval, 1),
                (FundingProblem::DisbursedWithoutApproval, 2),
                (FundingProblem::NoMatchingMilestone, 2),
            ]
        );
        let (_, records) = funding_csv(&r).records();
        assert_eq!(records.iter().filter(|r| r[0] == "anomaly").count(), 3);
        Ok(())
    }
}
