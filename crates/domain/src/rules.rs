//! The rules the plan implies, as pure documented functions.
//!
//! ## Utilization rates
//!
//! No regulator formula for the "new" rate was found, so both readings are computed from the same
//! stored ledger components ([`LedgerFigures`]) and the one in force is a setting
//! ([`RateFormula`]):
//!
//! ```text
//! new utilization rate (新增赤泥综合利用率) = utilized_from_new ÷ generated
//! statistical utilization rate             = (utilized_from_new + utilized_from_stock)
//!                                            ÷ (generated + utilized_from_stock)
//! ```
//!
//! The statistical rate counts red mud taken from the stockpile in both numerator and
//! denominator, so it never exceeds 100 %. Both are `None` when the denominator is zero.
//!
//! ## The goal line
//!
//! The national action plan (工信部联节〔2024〕225号) asks for 15 % by 2027 and 25 % by 2030
//! ([`GoalLine::default`]); these are the defaults for the province's and regions' rate targets.
//!
//! ## Tax incentive ceilings
//!
//! - VAT immediate refund: refund ≤ VAT paid × catalogue refund rate, rounded down to the fen;
//!   the catalogue (财政部 税务总局公告2021年第40号) uses 30 %, 50 %, 70 %, 90 % and 100 %.
//! - Environmental protection tax exemption: exemption ≤ utilized tonnes × tax per tonne (25 yuan
//!   per tonne for smelting slag), rounded down to the fen.
//! - Corporate income tax: income from catalogue products counts at 90 %, so the reduction of
//!   taxable income ≤ 10 % of that income, rounded down to the fen.

use crate::ledger::LedgerFigures;
use crate::values::{BasisPoints, Fen, Kg, MassError, MoneyError, Ratio};

/// Which utilization rate formula is in force (a documented setting).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum RateFormula {
    /// utilized_from_new ÷ generated (新增赤泥综合利用率).
    #[default]
    New,
    /// (utilized_from_new + utilized_from_stock) ÷ (generated + utilized_from_stock).
    Statistical,
}

/// New red mud comprehensive utilization rate (新增赤泥综合利用率) = utilized_from_new ÷ generated;
/// `None` when nothing was generated.
pub fn new_utilization_rate(figures: &LedgerFigures) -> Result<Option<Ratio>, MassError> {
    let utilized = figures.utilized_from_new_total()?;
    Ok(Ratio::new(utilized.kg(), figures.generated.kg()).ok())
}

/// Statistical utilization rate = (utilized_from_new + utilized_from_stock) ÷ (generated +
/// utilized_from_stock); `None` when the denominator is zero.
pub fn statistical_utilization_rate(figures: &LedgerFigures) -> Result<Option<Ratio>, MassError> {
    let from_stock = figures.utilized_from_stock_total()?;
    let utilized = figures.utilized_from_new_total()?.checked_add(from_stock)?;
    let base = figures.generated.checked_add(from_stock)?;
    Ok(Ratio::new(utilized.kg(), base.kg()).ok())
}

/// The utilization rate under `formula`.
pub fn utilization_rate(
    formula: RateFormula,
    figures: &LedgerFigures,
) -> Result<Option<Ratio>, MassError> {
    match formula {
        RateFormula::New => new_utilization_rate(figures),
        RateFormula::Statistical => statistical_utilization_rate(figures),
    }
}

/// A rate to reach by the end of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Milestone {
    /// The year by whose end the rate is to be reached.
    pub year: u16,
    /// The new red mud utilization rate to reach.
    pub rate: BasisPoints,
}

/// The goal line: milestones of the new utilization rate, in year order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GoalLine {
    milestones: Vec<Milestone>,
}

impl Default for GoalLine {
    /// The national action plan: 15 % by 2027, 25 % by 2030.
    fn default() -> Self {
        GoalLine {
            milestones: vec![
                Milestone {
                    year: 2027,
                    rate: NATIONAL_GOAL_2027,
                },
                Milestone {
                    year: 2030,
                    rate: NATIONAL_GOAL_2030,
                },
            ],
        }
    }
}

/// 15 %: the national goal for 2027.
pub const NATIONAL_GOAL_2027: BasisPoints = BasisPoints::saturating(1_500);
/// 25 %: the national goal for 2030.
pub const NATIONAL_GOAL_2030: BasisPoints = BasisPoints::saturating(2_500);

impl GoalLine {
    /// A goal line from milestones (sorted by year here; a later duplicate year wins).
    pub fn new(mut milestones: Vec<Milestone>) -> Self {
        milestones.sort_by_key(|m| m.year);
        milestones.reverse();
        milestones.dedup_by_key(|m| m.year);
        milestones.reverse();
        GoalLine { milestones }
    }

    /// The milestones in year order.
    pub fn milestones(&self) -> &[Milestone] {
        &self.milestones
    }

    /// The rate that must already have been reached in `year`: the latest milestone at or before
    /// it (e.g. 15 % for 2027–2029, 25 % from 2030), None before the first milestone.
    pub fn required_in(&self, year: u16) -> Option<BasisPoints> {
        self.milestones
            .iter()
            .rev()
            .find(|m| m.year <= year)
            .map(|m| m.rate)
    }

    /// The milestone `year` works toward: the first at or after it (2025–2027 → 15 % by 2027,
    /// 2028–2030 → 25 % by 2030), None after the last.
    pub fn working_toward(&self, year: u16) -> Option<Milestone> {
        self.milestones.iter().find(|m| m.year >= year).copied()
    }

    /// The default rate target for `year`: the milestone it works toward, or after the last
    /// milestone the last milestone's rate (the level must be held).
    pub fn default_rate_target(&self, year: u16) -> Option<BasisPoints> {
        self.working_toward(year)
            .map(|m| m.rate)
            .or_else(|| self.required_in(year))
    }
}

/// Refund rates of the VAT catalogue (30 %, 50 %, 70 %, 90 %, 100 %), in basis points.
pub const VAT_REFUND_RATES_BP: [u16; 5] = [3_000, 5_000, 7_000, 9_000, 10_000];

/// Whether `rate` is one of the catalogue's VAT refund rates.
pub fn is_catalogue_vat_refund_rate(rate: BasisPoints) -> bool {
    VAT_REFUND_RATES_BP.contains(&rate.get())
}

/// The largest VAT refund: `vat_paid × rate`, rounded down to the fen.
pub fn max_vat_refund(vat_paid: Fen, rate: BasisPoints) -> Fen {
    vat_paid.share_floor(rate)
}

/// Environmental protection tax on smelting slag such as red mud: 25 yuan per tonne (2 500 fen).
pub const ENVIRONMENTAL_TAX_PER_TONNE_FEN: u64 = 2_500;

/// The largest environmental protection tax exemption: `utilized (t) × tax_per_tonne`, rounded
/// down to the fen.
pub fn max_environmental_tax_exemption(
    utilized: Kg,
    tax_per_tonne: Fen,
) -> Result<Fen, MoneyError> {
    let fen = u128::from(utilized.kg()) * u128::from(tax_per_tonne.fen()) / 1_000;
    Fen::from_u128(fen)
}

/// Share of catalogue-product income counted as taxable income: 90 %.
pub const INCOME_COUNTED_BP: u16 = 9_000;

/// The largest reduction of taxable income: 10 % of the qualifying income, rounded down.
pub fn max_income_reduction(qualifying_income: Fen) -> Fen {
    qualifying_income.share_floor(BasisPoints::saturating(10_000 - INCOME_COUNTED_BP))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::RouteAmounts;
    use crate::values::UtilizationRoute;

    fn t(tonnes: u64) -> Kg {
        Kg::from_tonnes(tonnes).expect("in range")
    }

    fn bp(v: u16) -> BasisPoints {
        BasisPoints::new(v).expect("in range")
    }

    #[test]
    fn both_rates_from_the_same_components() {
        // 1 000 t generated: 150 t utilized from new, 850 t stored; 50 t utilized from stock.
        let f = LedgerFigures {
            generated: t(1_000),
            utilized_from_new: RouteAmounts::new().with(UtilizationRoute::Cement, t(150)),
            stored_new: t(850),
            utilized_from_stock: RouteAmounts::new().with(UtilizationRoute::MineBackfill, t(50)),
            ..LedgerFigures::default()
        };
        assert_eq!(new_utilization_rate(&f), Ok(Ratio::new(150, 1_000).ok()));
        assert_eq!(
            statistical_utilization_rate(&f),
            Ok(Ratio::new(200, 1_050).ok())
        );
        assert_eq!(
            utilization_rate(RateFormula::Statistical, &f)
                .ok()
                .flatten()
                .map(|r| r.to_string()),
            Some("19.05%".into())
        );
        assert_eq!(
            new_utilization_rate(&f)
                .ok()
                .flatten()
                .map(|r| r.meets(NATIONAL_GOAL_2027)),
            Some(true)
        );
        assert_eq!(new_utilization_rate(&LedgerFigures::default()), Ok(None));
        assert_eq!(
            statistical_utilization_rate(&LedgerFigures::default()),
            Ok(None)
        );
    }

    #[test]
    fn the_goal_line() {
        let g = GoalLine::default();
        assert_eq!(g.required_in(2026), None);
        assert_eq!(g.required_in(2027), Some(bp(1_500)));
        assert_eq!(g.required_in(2029), Some(bp(1_500)));
        assert_eq!(g.required_in(2031), Some(bp(2_500)));
        assert_eq!(
            g.working_toward(2025),
            Some(Milestone {
                year: 2027,
                rate: bp(1_500)
            })
        );
        assert_eq!(
            g.working_toward(2028),
            Some(Milestone {
                year: 2030,
                rate: bp(2_500)
            })
        );
        assert_eq!(g.working_toward(2031), None);
        assert_eq!(g.default_rate_target(2026), Some(bp(1_500)));
        assert_eq!(g.default_rate_target(2030), Some(bp(2_500)));
        assert_eq!(g.default_rate_target(2032), Some(bp(2_500)));
        let custom = GoalLine::new(vec![
            Milestone {
                year: 2030,
                rate: bp(3_000),
            },
            Milestone {
                year: 2027,
                rate: bp(1_000),
            },
            Milestone {
                year: 2030,
                rate: bp(3_500),
            },
        ]);
        assert_eq!(
            custom.milestones(),
            [
                Milestone {
                    year: 2027,
                    rate: bp(1_000)
                },
                Milestone {
                    year: 2030,
                    rate: bp(3_500)
                }
            ]
        );
    }

    #[test]
    fn tax_ceilings() {
        let fen = |v| Fen::new(v).expect("in range");
        assert!(is_catalogue_vat_refund_rate(bp(7_000)));
        assert!(!is_catalogue_vat_refund_rate(bp(6_000)));
        assert_eq!(max_vat_refund(fen(100_001), bp(7_000)), fen(70_000));
        // 1 234.567 t × 25 yuan = 30 864.175 yuan → 3 086 417 fen (rounded down).
        let kg = Kg::new(1_234_567).expect("in range");
        assert_eq!(
            max_environmental_tax_exemption(kg, fen(ENVIRONMENTAL_TAX_PER_TONNE_FEN)),
            Ok(fen(3_086_417))
        );
        assert_eq!(max_income_reduction(fen(1_000_009)), fen(100_000));
    }
}
