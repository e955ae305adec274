//! Report 7 — 产用挂钩 (matching red mud generation with utilization capacity): every alumina
//! refinery's generation in a year against the utilization capacity it owns or has contracted,
//! and every new or expanded alumina project lacking matching capacity.
//!
//! ```text
//! per refinery (enterprise of kind alumina_refinery), for the year asked:
//!   generated            = Σ generated of its ledger periods recorded within the year
//!   owned_capacity       = Σ capacity commissioned (kg/yr) by the capacity-building projects
//!                          (utilization capacity, industrialization demonstration) it leads
//!   contracted_capacity  = Σ contracted capacity (kg/yr) stated by the new or expanded alumina
//!                          projects it leads
//!   coverage             = rules::matching_coverage(generated, owned, contracted): capacity,
//!                          covers (capacity ≥ generated), shortfall, capacity ÷ generated
//! projects lacking:  a new or expanded alumina project whose stated owned + contracted capacity
//!                    does not cover the red mud it expects (or that states none)
//! ```
//!
//! Cancelled projects and projects that failed acceptance count for nothing.

use std::sync::Arc;

use std::collections::BTreeMap;

use redmud_domain::rules::matching_coverage;
use redmud_domain::{Enterprise, Kg, Project, ProjectKind, ProjectStatus, Region};
use serde::Serialize;
use uuid::Uuid;

use crate::ReportError;
use crate::balance::{LedgerRow, Rate};
use crate::csv::Csv;
use crate::table::Section;

/// What a 产用挂钩 report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchingParams {
    /// The year whose generation is compared.
    pub year: u16,
    /// Only refineries and projects within this region.
    pub region: Option<Region>,
}

/// A refinery's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefineryLine {
    /// The enterprise.
    pub enterprise_id: Uuid,
    /// Its name.
    pub enterprise: String,
    /// Its region code.
    pub region: String,
    /// Ledger periods recorded within the year.
    pub periods: u32,
    /// Red mud generated in the year.
    pub generated: Kg,
    /// Capacity commissioned by the capacity-building projects it leads, per year.
    pub owned_capacity_per_year: Kg,
    /// Capacity contracted by its alumina projects, per year.
    pub contracted_capacity_per_year: Kg,
    /// owned + contracted.
    pub capacity_per_year: Kg,
    /// capacity ≥ generated.
    pub covers: bool,
    /// max(0, generated − capacity).
    pub shortfall: Kg,
    /// capacity ÷ generated (`null`: nothing generated).
    pub coverage: Option<Rate>,
}

/// A new or expanded alumina project lacking matching capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LackingProject {
    /// The project.
    pub project_id: Uuid,
    /// Its name.
    pub project: String,
    /// Its region code.
    pub region: String,
    /// Its status.
    pub status: ProjectStatus,
    /// The enterprise leading it.
    pub lead_enterprise_id: Uuid,
    /// Red mud it expects to generate per year (0: none stated).
    pub expected_red_mud_per_year: Kg,
    /// Owned capacity stated, per year.
    pub owned_capacity_per_year: Kg,
    /// Contracted capacity stated, per year.
    pub contracted_capacity_per_year: Kg,
    /// How much is missing per year.
    pub shortfall_per_year: Kg,
    /// capacity ÷ expected (`null`: nothing expected).
    pub coverage: Option<Rate>,
    /// Whether it states matching capacity at all.
    pub stated: bool,
}

/// The 产用挂钩 report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchingReport {
    /// The year compared.
    pub year: u16,
    /// Every alumina refinery, by name.
    pub refineries: Vec<RefineryLine>,
    /// Projects lacking matching capacity, by name.
    pub projects_lacking: Vec<LackingProject>,
}

fn counts(project: &Project) -> bool {
    !matches!(
        project.status(),
        ProjectStatus::Cancelled | ProjectStatus::AcceptanceFailed | ProjectStatus::NotProposed
    )
}

fn within(scope: Option<Region>, region: Option<Region>) -> bool {
    scope.is_none_or(|s| region.is_some_and(|r| s.contains(r)))
}

/// Computes the 产用挂钩 report from the enterprises, ledger rows and projects in force at one
/// moment. Projects are matched to refineries by their lead enterprise, wherever they are.
pub fn matching_report(
    params: &MatchingParams,
    enterprises: &[Arc<Enterprise>],
    ledgers: &[LedgerRow],
    projects: &[Arc<Project>],
) -> Result<MatchingReport, ReportError> {
    let mut generated: BTreeMap<Uuid, (u32, Kg)> = BTreeMap::new();
    for row in ledgers
        .iter()
        .filter(|r| r.period.calendar_year() == params.year)
    {
        let e = generated.entry(row.enterprise_id).or_default();
        e.0 += 1;
        e.1 = e.1.checked_add(row.figures.generated)?;
    }
    let mut owned: BTreeMap<Uuid, Kg> = BTreeMap::new();
    let mut contracted: BTreeMap<Uuid, Kg> = BTreeMap::new();
    let mut lacking = Vec::new();
    for project in projects.iter().filter(|p| counts(p)) {
        let (Some(p), Some(id)) = (project.proposal(), project.id()) else {
            continue;
        };
        if p.kind.builds_capacity() {
            let e = owned.entry(p.lead_enterprise_id).or_default();
            *e = e.checked_add(project.commissioned_per_year())?;
        }
        if p.kind != ProjectKind::NewOrExpandedAlumina {
            continue;
        }
        if let Some(m) = p.matching_capacity {
            let e = contracted.entry(p.lead_enterprise_id).or_default();
            *e = e.checked_add(m.contracted_capacity_per_year)?;
        }
        if !within(params.region, Some(p.region)) {
            continue;
        }
        let m = p
            .matching_capacity
            .unwrap_or(redmud_domain::MatchingCapacity {
                expected_red_mud_per_year: Kg::ZERO,
                owned_capacity_per_year: Kg::ZERO,
                contracted_capacity_per_year: Kg::ZERO,
            });
        let c = m.coverage()?;
        if p.matching_capacity.is_none() || !c.covers {
            lacking.push(LackingProject {
                project_id: id,
                project: p.name.clone(),
                region: p.region.to_string(),
                status: project.status(),
                lead_enterprise_id: p.lead_enterprise_id,
                expected_red_mud_per_year: m.expected_red_mud_per_year,
                owned_capacity_per_year: m.owned_capacity_per_year,
                contracted_capacity_per_year: m.contracted_capacity_per_year,
                shortfall_per_year: c.shortfall_per_year,
                coverage: c.coverage.map(Rate::from),
                stated: p.matching_capacity.is_some(),
            });
        }
    }
    let mut refineries = Vec::new();
    for e in enterprises
        .iter()
        .filter(|e| e.is_alumina_refinery() && within(params.region, e.region()))
    {
        let Some(id) = e.id() else {
            continue;
        };
        let (periods, generated_kg) = generated.get(&id).copied().unwrap_or_default();
        let own = owned.get(&id).copied().unwrap_or(Kg::ZERO);
        let con = contracted.get(&id).copied().unwrap_or(Kg::ZERO);
        let c = matching_coverage(generated_kg, own, con)?;
        refineries.push(RefineryLine {
            enterprise_id: id,
            enterprise: e.name().to_owned(),
            region: e.region().map(|r| r.to_string()).unwrap_or_default(),
            periods,
            generated: generated_kg,
            owned_capacity_per_year: own,
            contracted_capacity_per_year: con,
            capacity_per_year: c.capacity_per_year,
            covers: c.covers,
            shortfall: c.shortfall_per_year,
            coverage: c.coverage.map(Rate::from),
        });
    }
    refineries
        .sort_by(|a, b| (&a.enterprise, a.enterprise_id).cmp(&(&b.enterprise, b.enterprise_id)));
    lacking.sort_by(|a, b| (&a.project, a.project_id).cmp(&(&b.project, b.project_id)));
    Ok(MatchingReport {
        year: params.year,
        refineries,
        projects_lacking: lacking,
    })
}

fn pct(rate: Option<&Rate>) -> String {
    rate.map(|r| r.percent.trim_end_matches('%').to_owned())
        .unwrap_or_default()
}

/// The CSV of the 产用挂钩 report: `refinery` records, then `project_lacking` records.
pub fn matching_csv(report: &MatchingReport) -> Csv {
    let cols = |names: &[&str]| names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let refineries = Section {
        name: "refinery".to_owned(),
        columns: cols(&[
            "year",
            "key",
            "name",
            "region",
            "periods",
            "generated_kg",
            "owned_capacity_per_year_kg",
            "contracted_capacity_per_year_kg",
            "capacity_per_year_kg",
            "covers",
            "shortfall_kg",
            "coverage_percent",
        ]),
        rows: report
            .refineries
            .iter()
            .map(|r| {
                vec![
                    report.year.to_string(),
                    r.enterprise_id.to_string(),
                    r.enterprise.clone(),
                    r.region.clone(),
                    r.periods.to_string(),
                    r.generated.kg().to_string(),
                    r.owned_capacity_per_year.kg().to_string(),
                    r.contracted_capacity_per_year.kg().to_string(),
                    r.capacity_per_year.kg().to_string(),
                    r.covers.to_string(),
                    r.shortfall.kg().to_string(),
                    pct(r.coverage.as_ref()),
                ]
            })
            .collect(),
    };
    let projects = Section {
        name: "project_lacking".to_owned(),
        columns: cols(&[
            "key",
            "name",
            "region",
            "status",
            "lead_enterprise_id",
            "expected_red_mud_per_year_kg",
            "owned_capacity_per_year_kg",
            "contracted_capacity_per_year_kg",
            "shortfall_kg",
            "coverage_percent",
        ]),
        rows: report
            .projects_lacking
            .iter()
            .map(|p| {
                vec![
                    p.project_id.to_string(),
                    p.project.clone(),
                    p.region.clone(),
                    p.status.to_string(),
                    p.lead_enterprise_id.to_string(),
                    p.expected_red_mud_per_year.kg().to_string(),
                    p.owned_capacity_per_year.kg().to_string(),
                    p.contracted_capacity_per_year.kg().to_string(),
                    p.shortfall_per_year.kg().to_string(),
                    pct(p.coverage.as_ref()),
                ]
            })
            .collect(),
    };
    crate::table::sections_csv(vec![refineries, projects])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use redmud_domain::{LedgerFigures, ProjectCommand};

    fn ledger(enterprise: u128, period: &str, generated: u64) -> LedgerRow {
        ledger_row(
            enterprise,
            period,
            LedgerFigures {
                generated: kg(generated),
                stored_new: kg(generated),
                ..LedgerFigures::default()
            },
        )
    }

    #[test]
    fn refineries_against_owned_and_contracted_capacity() -> Result<(), ReportError> {
        let refinery = enterprise(&[register(1, "清镇氧化铝", "520181", true)]);
        let other = enterprise(&[register(2, "务川氧化铝", "520326", true)]);
        let utilizer = enterprise(&[register(3, "建材厂", "520181", false)]);
        let capacity = project(&[
            propose(
                10,
                proposal("清镇建材", ProjectKind::UtilizationCapacity, "520181", 1),
            ),
            approve(),
            ProjectCommand::StartConstruction {
                started_on: d(2025, 3, 1),
            },
            ProjectCommand::CommissionCapacity {
                capacity_per_year: kg(400_000),
                commissioned_on: d(2025, 10, 1),
            },
        ]);
        // Contracted 300 000 of 1 500 000 expected, 1 000 000 owned: 1 300 000 < 1 500 000.
        let alumina = project(&[propose(
            11,
            proposal("清镇扩建", ProjectKind::NewOrExpandedAlumina, "520181", 1),
        )]);
        let ledgers = [
            ledger(1, "2025-Q1", 300_000),
            ledger(1, "2025-Q2", 500_000),
            ledger(1, "2026-Q1", 900_000),
            ledger(2, "2025-Q1", 10),
        ];
        let r = matching_report(
            &MatchingParams {
                year: 2025,
                region: None,
            },
            &[Arc::new(refinery), Arc::new(other), Arc::new(utilizer)],
            &ledgers,
            &[Arc::new(capacity), Arc::new(alumina)],
        )?;
        assert_eq!(r.refineries.len(), 2);
        // By name: 务川 sorts before 清镇.
        let (w, q) = (&r.refineries[0], &r.refineries[1]);
        assert_eq!(q.enterprise, "清镇氧化铝");
        assert_eq!((q.periods, q.generated), (2, kg(800_000)));
        assert_eq!(q.owned_capacity_per_year, kg(400_000));
        assert_eq!(q.contracted_capacity_per_year, kg(300_000));
        assert_eq!(q.capacity_per_year, kg(700_000));
        assert!(!q.covers);
        assert_eq!(q.shortfall, kg(100_000));
        assert_eq!(
            q.coverage.as_ref().map(|c| (c.numerator, c.denominator)),
            Some((7, 8))
        );
        assert!(!w.covers && w.shortfall == kg(10));
        assert_eq!(r.projects_lacking.len(), 1);
        assert_eq!(r.projects_lacking[0].shortfall_per_year, kg(200_000));
        let r = matching_report(
            &MatchingParams {
                year: 2025,
                region: Some(region("520300")),
            },
            &[Arc::new(enterprise(&[register(
                2,
                "务川氧化铝",
                "520326",
                true,
            )]))],
            &ledgers,
            &[],
        )?;
        assert_eq!(r.refineries.len(), 1);
        assert!(r.projects_lacking.is_empty());
        let (header, records) = matching_csv(&r).records();
        assert_eq!(header[0], "section");
        assert_eq!(records[0][0], "refinery");
        Ok(())
    }
}
