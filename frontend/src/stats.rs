//! Dashboard figures, computed from the enterprises' ledgers with the domain's own rules.

use redmud_domain::rules::new_utilization_rate;
use redmud_domain::{Enterprise, LedgerFigures, Period, Prefecture, Ratio, Region};

/// One row of the rate-by-region chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRate {
    /// The prefecture.
    pub prefecture: Prefecture,
    /// Its summed figures in the year.
    pub figures: LedgerFigures,
    /// Its new utilization rate (`None`: nothing generated).
    pub rate: Option<Ratio>,
}

/// The dashboard's numbers for one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearFigures {
    /// The calendar year.
    pub year: u16,
    /// The province's summed figures.
    pub province: LedgerFigures,
    /// The province's new utilization rate.
    pub province_rate: Option<Ratio>,
    /// Per prefecture, in code order (prefectures with no ledger at all are left out).
    pub regions: Vec<RegionRate>,
}

/// The latest calendar year any enterprise recorded a ledger period in.
pub fn latest_year(enterprises: &[Enterprise]) -> Option<u16> {
    enterprises
        .iter()
        .flat_map(|e| e.ledger().keys().map(|p| p.calendar_year()))
        .max()
}

fn prefecture_of(e: &Enterprise) -> Option<Prefecture> {
    match e.region()? {
        Region::Province => None,
        Region::Prefecture(p) => Some(p),
        Region::County(c) => Some(c.prefecture()),
    }
}

/// Sums every enterprise's ledger within `year`, per prefecture and for the province.
/// `None` if a sum overflows (cannot happen with real data: masses are bounded).
pub fn year_figures(enterprises: &[Enterprise], year: u16) -> Option<YearFigures> {
    let period = Period::year(i64::from(year)).ok()?;
    let mut regions = Vec::new();
    for prefecture in Prefecture::ALL {
        let within: Vec<LedgerFigures> = enterprises
            .iter()
            .filter(|e| prefecture_of(e) == Some(prefecture))
            .filter(|e| e.ledger().keys().any(|p| period.contains(*p)))
            .map(|e| e.ledger_within(period))
            .collect::<Result<_, _>>()
            .ok()?;
        if within.is_empty() {
            continue;
        }
        let figures = LedgerFigures::sum(within.iter()).ok()?;
        let rate = new_utilization_rate(&figures).ok()?;
        regions.push(RegionRate {
            prefecture,
            figures,
            rate,
        });
    }
    let province = LedgerFigures::sum(regions.iter().map(|r| &r.figures)).ok()?;
    let province_rate = new_utilization_rate(&province).ok()?;
    Some(YearFigures {
        year,
        province,
        province_rate,
        regions,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use redmud_domain::enterprise::{EnterpriseRegistered, LedgerRecorded};
    use redmud_domain::{
        Aggregate, EnterpriseEvent, EnterpriseKind, Kg, NaiveDate, RouteAmounts, UtilizationRoute,
    };

    use super::*;

    fn t(tonnes: u64) -> Kg {
        Kg::from_tonnes(tonnes).expect("mass")
    }

    /// A refinery in `region` with (period, generated, utilized) ledgers; the rest is stored.
    fn refinery(region: u32, ledgers: &[(&str, u64, u64)]) -> Enterprise {
        let mut e = Enterprise::default();
        let registered: EnterpriseEvent = EnterpriseRegistered {
            enterprise_id: redmud_domain::Uuid::nil(),
            name: "测试氧化铝".into(),
            uscc: "914403001922038216".parse().expect("uscc"),
            region: Region::from_code(region).expect("region"),
            kinds: BTreeSet::from([EnterpriseKind::AluminaRefinery]),
            registered_on: NaiveDate::from_ymd_opt(2025, 1, 1).expect("date"),
        }
        .into();
        e.apply(&registered);
        for (period, generated, utilized) in ledgers {
            let recorded: EnterpriseEvent = LedgerRecorded {
                period: period.parse().expect("period"),
                figures: LedgerFigures {
                    generated: t(*generated),
                    utilized_from_new: RouteAmounts::new()
                        .with(UtilizationRoute::Cement, t(*utilized)),
                    stored_new: t(generated - utilized),
                    ..LedgerFigures::default()
                },
            }
            .into();
            e.apply(&recorded);
        }
        e
    }

    #[test]
    fn rates_are_summed_per_prefecture_and_province_for_the_latest_year() {
        let enterprises = vec![
            // Guiyang (a county of it): 2026 generated 300, utilized 60 → 20 %.
            refinery(
                520123,
                &[
                    ("2025-Q4", 100, 100),
                    ("2026-Q1", 100, 20),
                    ("2026-Q2", 200, 40),
                ],
            ),
            // Zunyi: 2026 generated 100, utilized 5 → 5 %.
            refinery(520300, &[("2026-Q1", 100, 5)]),
        ];
        assert_eq!(latest_year(&enterprises), Some(2026));
        let figures = year_figures(&enterprises, 2026).expect("figures");
        assert_eq!(figures.regions.len(), 2);
        assert_eq!(figures.regions[0].prefecture, Prefecture::Guiyang);
        assert_eq!(figures.regions[0].rate, Ratio::new(60, 300).ok());
        assert_eq!(figures.regions[1].rate, Ratio::new(5, 100).ok());
        // The province: 65 of 400 t, from exact kilograms (not an average of rates).
        assert_eq!(figures.province.generated, t(400));
        assert_eq!(figures.province_rate, Ratio::new(65, 400).ok());
        assert_eq!(latest_year(&[]), None);
    }
}
