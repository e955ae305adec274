//! Report 6 — bases and designations (基地与认定): bases by kind and level with their members and
//! their yearly targets against actuals; enterprise designations granted and revoked by kind and
//! year.
//!
//! ```text
//! per kind / level line:  bases, designated (in force), revoked, members (current)
//! per base and year with targets:
//!     target  = the red mud to utilize in the year (targets revision in force)
//!     actual  = Σ utilized (from new + from stock) of the ledger periods recorded within the
//!               year by the base's current members (whenever they joined)
//!     gap     = target − actual (negative: ahead);  met = actual ≥ target
//! designations: per (designation kind, year of the grant or revocation): granted, revoked —
//!     from the `designation` rows (one per grant or revocation event)
//! ```

use std::sync::Arc;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use redmud_domain::{
    Base, BaseKind, BaseStatus, DesignationKind, DesignationLevel, Kg, LedgerFigures, Region,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ReportError;
use crate::balance::LedgerRow;
use crate::csv::Csv;
use crate::table::{Breakdown, BreakdownLine, Measures, Section};

/// What a bases report covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BasesParams {
    /// Only bases and designations within this region.
    pub region: Option<Region>,
    /// Only this year's targets and designation changes.
    pub year: Option<u16>,
    /// Only bases of this kind.
    pub kind: Option<BaseKind>,
    /// Only designations of this kind.
    pub designation: Option<DesignationKind>,
}

/// A designation granted or revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DesignationChange {
    /// Granted (认定).
    Granted,
    /// Revoked (撤销).
    Revoked,
}

/// One designation change (model `designation`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DesignationRow {
    /// The enterprise.
    pub enterprise_id: Uuid,
    /// Its name.
    pub enterprise: String,
    /// Its region.
    pub region: Option<Region>,
    /// The designation.
    pub designation: DesignationKind,
    /// Granted or revoked.
    pub change: DesignationChange,
    /// The date of the grant or revocation.
    pub on: NaiveDate,
}

/// The measures of a kind or level line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BaseMeasures {
    /// Bases counted.
    pub bases: u32,
    /// Of which designated (in force).
    pub designated: u32,
    /// Of which revoked.
    pub revoked: u32,
    /// Current members.
    pub members: u32,
}

impl Measures for BaseMeasures {
    fn add(&mut self, o: &Self) -> Result<(), ReportError> {
        self.bases += o.bases;
        self.designated += o.designated;
        self.revoked += o.revoked;
        self.members += o.members;
        Ok(())
    }
    fn columns() -> Vec<&'static str> {
        vec!["bases", "designated", "revoked", "members"]
    }
    fn values(&self) -> Vec<u64> {
        [self.bases, self.designated, self.revoked, self.members]
            .map(u64::from)
            .to_vec()
    }
}

/// A member of a base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseMember {
    /// The enterprise.
    pub enterprise_id: Uuid,
    /// Its name (empty when unknown).
    pub enterprise: String,
    /// When it (last) joined.
    pub joined_on: NaiveDate,
}

/// A base's year with targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseYear {
    /// The year.
    pub year: u16,
    /// The targets revision in force.
    pub targets_revision: u32,
    /// Red mud to utilize (target).
    pub target_red_mud_utilized: Kg,
    /// Red mud utilized by the members (actual).
    pub actual_red_mud_utilized: Kg,
    /// target − actual (negative: ahead).
    pub gap: i64,
    /// actual ≥ target.
    pub met: bool,
    /// Ledger periods counted.
    pub entries: u32,
}

/// One base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseLine {
    /// The base.
    pub base_id: Uuid,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: Option<BaseKind>,
    /// Its level.
    pub level: Option<DesignationLevel>,
    /// Its region code.
    pub region: String,
    /// Its status.
    pub status: BaseStatus,
    /// Current members, by name.
    pub members: Vec<BaseMember>,
    /// Years with targets.
    pub years: Vec<BaseYear>,
}

/// Designations granted and revoked of one kind in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DesignationLine {
    /// The designation kind.
    pub designation: DesignationKind,
    /// Its name.
    pub name: String,
    /// The year.
    pub year: u16,
    /// Granted in the year.
    pub granted: u32,
    /// Revoked in the year.
    pub revoked: u32,
}

/// The bases and designations report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BasesReport {
    /// All bases counted.
    pub total: BaseMeasures,
    /// Per kind and level.
    pub lines: Vec<BreakdownLine<BaseMeasures>>,
    /// Every base, by name.
    pub bases: Vec<BaseLine>,
    /// Designations by kind, then year.
    pub designations: Vec<DesignationLine>,
}

/// The breakdown dimensions, in report order.
pub const BASE_DIMENSIONS: &[&str] = &["kind", "level"];

fn to_i64(kg: Kg) -> i64 {
    i64::try_from(kg.kg()).unwrap_or(i64::MAX)
}

/// Computes the bases and designations report from the rows in force at one moment;
/// `names` gives member enterprises' names.
pub fn bases_report(
    params: &BasesParams,
    bases: &[Arc<Base>],
    ledgers: &[LedgerRow],
    designations: &[DesignationRow],
    names: &BTreeMap<Uuid, String>,
) -> Result<BasesReport, ReportError> {
    let within = |region: Option<Region>| {
        params
            .region
            .is_none_or(|s| region.is_some_and(|r| s.contains(r)))
    };
    let mut by_enterprise: BTreeMap<Uuid, Vec<&LedgerRow>> = BTreeMap::new();
    for row in ledgers {
        by_enterprise
            .entry(row.enterprise_id)
            .or_default()
            .push(row);
    }
    let mut breakdown = Breakdown::new(BASE_DIMENSIONS);
    let mut lines = Vec::new();
    for base in bases {
        let Some(id) = base.id() else {
            continue;
        };
        if !within(base.region()) || params.kind.is_some_and(|k| base.kind() != Some(k)) {
            continue;
        }
        let m = BaseMeasures {
            bases: 1,
            designated: u32::from(base.status() == BaseStatus::Designated),
            revoked: u32::from(base.status() == BaseStatus::Revoked),
            members: u32::try_from(base.members().len()).unwrap_or(u32::MAX),
        };
        if let Some(kind) = base.kind() {
            breakdown.add("kind", kind.code(), kind.name_zh(), &m)?;
        }
        if let Some(level) = base.level() {
            breakdown.add("level", level.code(), level.name_zh(), &m)?;
        }
        breakdown.add_total(&m)?;
        let mut members: Vec<BaseMember> = base
            .members()
            .iter()
            .map(|(e, joined)| BaseMember {
                enterprise_id: *e,
                enterprise: names.get(e).cloned().unwrap_or_default(),
                joined_on: *joined,
            })
            .collect();
        members.sort_by(|a, b| {
            (&a.enterprise, a.enterprise_id).cmp(&(&b.enterprise, b.enterprise_id))
        });
        let mut years = Vec::new();
        for (year, targets) in base.targets() {
            if params.year.is_some_and(|y| y != *year) {
                continue;
            }
            let mut sum = LedgerFigures::default();
            let mut entries = 0;
            for member in base.members().keys() {
                for row in by_enterprise.get(member).into_iter().flatten() {
                    if row.period.calendar_year() == *year {
                        sum = sum.checked_add(&row.figures)?;
                        entries += 1;
                    }
                }
            }
            let actual = sum.utilized_total()?;
            let target = targets.targets.red_mud_utilized;
            years.push(BaseYear {
                year: *year,
                targets_revision: targets.revision,
                target_red_mud_utilized: target,
                actual_red_mud_utilized: actual,
                gap: to_i64(target).saturating_sub(to_i64(actual)),
                met: actual >= target,
                entries,
            });
        }
        lines.push(BaseLine {
            base_id: id,
            name: base.name().to_owned(),
            kind: base.kind(),
            level: base.level(),
            region: base.region().map(|r| r.to_string()).unwrap_or_default(),
            status: base.status(),
            members,
            years,
        });
    }
    lines.sort_by(|a, b| (&a.name, a.base_id).cmp(&(&b.name, b.base_id)));
    let mut counts: BTreeMap<(DesignationKind, u16), (u32, u32)> = BTreeMap::new();
    for d in designations {
        let year = u16::try_from(d.on.year()).unwrap_or_default();
        if !within(d.region)
            || params.year.is_some_and(|y| y != year)
            || params.designation.is_some_and(|k| k != d.designation)
        {
            continue;
        }
        let c = counts.entry((d.designation, year)).or_default();
        match d.change {
            DesignationChange::Granted => c.0 += 1,
            DesignationChange::Revoked => c.1 += 1,
        }
    }
    let (kind_lines, total) = breakdown.finish();
    Ok(BasesReport {
        total,
        lines: kind_lines,
        bases: lines,
        designations: counts
            .into_iter()
            .map(
                |((designation, year), (granted, revoked))| DesignationLine {
                    designation,
                    name: designation.name_zh().to_owned(),
                    year,
                    granted,
                    revoked,
                },
            )
            .collect(),
    })
}

/// The CSV of the bases report: the kind and level sections and the total, one `base` record
/// per base and year with targets (or per base without), one `designation` record per kind
/// and year.
pub fn bases_csv(report: &BasesReport) -> Csv {
    let mut sections = Vec::new();
    let cols = |names: &[&str]| names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let mut rows = Vec::new();
    for b in &report.bases {
        let head = vec![
            b.base_id.to_string(),
            b.name.clone(),
            b.kind.map(|k| k.code().to_owned()).unwrap_or_default(),
            b.level.map(|l| l.code().to_owned()).unwrap_or_default(),
            b.region.clone(),
            b.status.to_string(),
            b.members.len().to_string(),
        ];
        if b.years.is_empty() {
            let mut row = head.clone();
            row.extend(std::iter::repeat_n(String::new(), 6));
            rows.push(row);
        }
        for y in &b.years {
            let mut row = head.clone();
            row.extend([
                y.year.to_string(),
                y.targets_revision.to_string(),
                y.target_red_mud_utilized.kg().to_string(),
                y.actual_red_mud_utilized.kg().to_string(),
                y.gap.to_string(),
                y.met.to_string(),
            ]);
            rows.push(row);
        }
    }
    sections.push(Section {
        name: "base".to_owned(),
        columns: cols(&[
            "key",
            "name",
            "kind",
            "level",
            "region",
            "status",
            "members",
            "year",
            "targets_revision",
            "target_red_mud_utilized_kg",
            "actual_red_mud_utilized_kg",
            "gap_kg",
            "met",
        ]),
        rows,
    });
    sections.push(Section {
        name: "designation".to_owned(),
        columns: cols(&["key", "name", "year", "granted", "revoked"]),
        rows: report
            .designations
            .iter()
            .map(|d| {
                vec![
                    d.designation.code().to_owned(),
                    d.name.clone(),
                    d.year.to_string(),
                    d.granted.to_string(),
                    d.revoked.to_string(),
                ]
            })
            .collect(),
    });
    crate::table::breakdown_csv(&report.lines, &report.total, sections)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use redmud_domain::{BaseCommand, BaseTargets, RouteAmounts, UtilizationRoute};

    fn designate(n: u128, name: &str, kind: BaseKind, level: DesignationLevel) -> BaseCommand {
        BaseCommand::DesignateBase {
            base_id: id(n),
            name: name.into(),
            kind,
            level,
            region: region("520181"),
            designated_on: d(2025, 2, 1),
            document: "黔工信〔2025〕2号".into(),
        }
    }

    fn targets(year: u16, red_mud: u64) -> BaseCommand {
        BaseCommand::SetYearTargets {
            year,
            targets: BaseTargets {
                red_mud_utilized: kg(red_mud),
                phosphogypsum_co_utilized: Kg::ZERO,
                desulfurization_gypsum_co_utilized: Kg::ZERO,
                fly_ash_co_utilized: Kg::ZERO,
            },
            set_on: d(2025, 2, 10),
        }
    }

    fn ledger(enterprise: u128, period: &str, utilized: u64) -> LedgerRow {
        ledger_row(
            enterprise,
            period,
            LedgerFigures {
                generated: kg(utilized),
                utilized_from_new: RouteAmounts::new().with(UtilizationRoute::Cement, kg(utilized)),
                ..LedgerFigures::default()
            },
        )
    }

    #[test]
    fn bases_members_targets_and_designations() -> Result<(), ReportError> {
        let park: Base = run(&[
            designate(
                1,
                "清镇赤泥特色园区",
                BaseKind::RedMudCharacteristicPark,
                DesignationLevel::Provincial,
            ),
            BaseCommand::AddMember {
                enterprise_id: id(7),
                added_on: d(2025, 3, 1),
            },
            BaseCommand::AddMember {
                enterprise_id: id(8),
                added_on: d(2025, 3, 1),
            },
            targets(2025, 1_000),
        ]);
        let revoked: Base = run(&[
            designate(
                2,
                "无废园区",
                BaseKind::ZeroWastePark,
                DesignationLevel::Provincial,
            ),
            BaseCommand::RevokeBase {
                revoked_on: d(2025, 6, 1),
                reason: "整改不到位".into(),
            },
        ]);
        let ledgers = [
            ledger(7, "2025-Q1", 300),
            ledger(8, "2025-Q2", 400),
            ledger(8, "2026-Q1", 999),
            ledger(9, "2025-Q1", 5_000),
        ];
        let change = |n: u128, designation, change, on| DesignationRow {
            enterprise_id: id(n),
            enterprise: String::new(),
            region: Some(region("520181")),
            designation,
            change,
            on,
        };
        let designations = [
            change(
                7,
                DesignationKind::GreenFactory,
                DesignationChange::Granted,
                d(2025, 3, 1),
            ),
            change(
                8,
                DesignationKind::GreenFactory,
                DesignationChange::Granted,
                d(2025, 4, 1),
            ),
            change(
                8,
                DesignationKind::GreenFactory,
                DesignationChange::Revoked,
                d(2026, 1, 1),
            ),
        ];
        let names = BTreeMap::from([(id(7), "甲".to_owned()), (id(8), "乙".to_owned())]);
        let r = bases_report(
            &BasesParams::default(),
            &[Arc::new(park), Arc::new(revoked)],
            &ledgers,
            &designations,
            &names,
        )?;
        assert_eq!(
            r.total,
            BaseMeasures {
                bases: 2,
                designated: 1,
                revoked: 1,
                members: 2
            }
        );
        assert_eq!(r.lines.iter().filter(|l| l.by == "kind").count(), 2);
        let level = r
            .lines
            .iter()
            .find(|l| l.by == "level")
            .map(|l| l.measures.bases);
        assert_eq!(level, Some(2));
        let park = r
            .bases
            .iter()
            .find(|b| b.name == "清镇赤泥特色园区")
            .expect("test value");
        assert_eq!(park.members.len(), 2);
        assert_eq!(park.members[0].enterprise, "乙");
        let y = &park.years[0];
        assert_eq!(
            (y.year, y.actual_red_mud_utilized, y.gap, y.met, y.entries),
            (2025, kg(700), 300, false, 2)
        );
        let years: Vec<(u16, u32, u32)> = r
            .designations
            .iter()
            .map(|d| (d.year, d.granted, d.revoked))
            .collect();
        assert_eq!(years, [(2025, 2, 0), (2026, 0, 1)]);
        let r = bases_report(
            &BasesParams {
                year: Some(2026),
                kind: Some(BaseKind::ZeroWastePark),
                ..BasesParams::default()
            },
            &[],
            &ledgers,
            &designations,
            &names,
        )?;
        assert_eq!(r.designations.len(), 1);
        let (header, records) = bases_csv(&r).records();
        assert_eq!(header[0], "section");
        assert_eq!(records.last().map(|r| r[0].as_str()), Some("designation"));
        Ok(())
    }
}
