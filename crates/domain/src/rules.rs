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
//!
//! ## Funding balances (资金拨付与追回)
//!
//! ```text
//! outstanding   = awarded − disbursed      (still to be paid out)
//! net_disbursed = disbursed − recovered    (held by the project after clawbacks)
//! ```
//!
//! A project's awards are paid in tranches whose amounts sum exactly to the award; each tranche is
//! paid once, so `disbursed ≤ awarded`, and recoveries never exceed what was disbursed net of
//! earlier recoveries, so `recovered ≤ disbursed` ([`funding_balances`]). A tranche plan given as
//! shares (30 % / 40 % / 30 %) becomes exact amounts with [`tranche_amounts`]: each share rounded
//! down to the fen, the remainder added to the last tranche.
//!
//! ## 产用挂钩 (tie generation to use)
//!
//! A new or expanded alumina project states the red mud it is expected to generate per year and
//! the utilization capacity it brings, owned or contracted ([`matching_coverage`]):
//!
//! ```text
//! capacity  = owned + contracted          (t/yr)
//! covers    = capacity ≥ expected red mud
//! shortfall = max(0, expected red mud − capacity)
//! coverage  = capacity ÷ expected red mud (None when no red mud is expected)
//! ```

use crate::ledger::LedgerFigures;
use crate::values::{BasisPoints, Fen, Kg, MassError, MoneyError, Ratio};

/// Which utilization rate formula is in force (a documented setting).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "GoalMilestone")
)]
pub struct Milestone {
    /// The year by whose end the rate is to be reached.
    pub year: u16,
    /// The new red mud utilization rate to reach.
    pub rate: BasisPoints,
}

/// The goal line: milestones of the new utilization rate, in year order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// One award's money: awarded, disbursed so far, recovered so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FundingLine {
    /// Amount awarded.
    pub awarded: Fen,
    /// Amount disbursed (sum of the tranches paid).
    pub disbursed: Fen,
    /// Amount recovered (clawed back).
    pub recovered: Fen,
}

/// Funding balances over one or more awards (see the module docs for the formulas).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FundingBalances {
    /// Total awarded.
    pub awarded: Fen,
    /// Total disbursed.
    pub disbursed: Fen,
    /// Total recovered.
    pub recovered: Fen,
    /// Awarded − disbursed: still to be paid out.
    pub outstanding: Fen,
    /// Disbursed − recovered: held by the project.
    pub net_disbursed: Fen,
}

/// Funding balances over `lines`: totals, outstanding = awarded − disbursed and net_disbursed =
/// disbursed − recovered. An error when a sum overflows or a line disbursed more than it was
/// awarded or recovered more than was disbursed (which the Project aggregate never records).
pub fn funding_balances<I: IntoIterator<Item = FundingLine>>(
    lines: I,
) -> Result<FundingBalances, MoneyError> {
    let mut totals = FundingBalances::default();
    for line in lines {
        line.awarded.checked_sub(line.disbursed)?;
        line.disbursed.checked_sub(line.recovered)?;
        totals.awarded = totals.awarded.checked_add(line.awarded)?;
        totals.disbursed = totals.disbursed.checked_add(line.disbursed)?;
        totals.recovered = totals.recovered.checked_add(line.recovered)?;
    }
    totals.outstanding = totals.awarded.checked_sub(totals.disbursed)?;
    totals.net_disbursed = totals.disbursed.checked_sub(totals.recovered)?;
    Ok(totals)
}

/// Why a tranche plan given as shares could not be turned into amounts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum TrancheSharesError {
    /// The shares do not add up to 100 %.
    #[error("tranche shares add up to {total_basis_points} basis points, not 10000 (100%)")]
    SharesDoNotSumToWhole {
        /// Their sum in basis points.
        total_basis_points: u64,
    },
}

crate::aggregate::error_rules!(TrancheSharesError {
    SharesDoNotSumToWhole
});

/// Split `award` into tranche amounts by `shares` (which must add up to 100 %): each share of
/// the award rounded down to the fen, the remainder of the rounding added to the last tranche,
/// so the amounts sum exactly to the award.
pub fn tranche_amounts(award: Fen, shares: &[BasisPoints]) -> Result<Vec<Fen>, TrancheSharesError> {
    let total: u64 = shares.iter().map(|s| u64::from(s.get())).sum();
    if total != 10_000 {
        return Err(TrancheSharesError::SharesDoNotSumToWhole {
            total_basis_points: total,
        });
    }
    let mut amounts: Vec<Fen> = shares.iter().map(|s| award.share_floor(*s)).collect();
    // Each floor ≤ its exact share and the shares sum to the award, so the floors sum to at most
    // the award: neither the sum nor the remainder can fail.
    let floors = Fen::sum(amounts.iter().copied()).unwrap_or(award);
    let remainder = award.checked_sub(floors).unwrap_or(Fen::ZERO);
    if let Some(last) = amounts.last_mut() {
        *last = last.checked_add(remainder).unwrap_or(*last);
    }
    Ok(amounts)
}

/// Whether an alumina project's matching utilization capacity covers its red mud (产用挂钩).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MatchingCoverage {
    /// Red mud expected to be generated, t/yr.
    pub expected_red_mud_per_year: Kg,
    /// Owned + contracted utilization capacity, t/yr.
    pub capacity_per_year: Kg,
    /// capacity ≥ expected red mud.
    pub covers: bool,
    /// max(0, expected red mud − capacity).
    pub shortfall_per_year: Kg,
    /// capacity ÷ expected red mud; None when no red mud is expected.
    pub coverage: Option<Ratio>,
}

/// 产用挂钩: whether `owned + contracted` utilization capacity covers the red mud a project is
/// expected to generate (all per year). An error only when the capacity sum overflows.
pub fn matching_coverage(
    expected_red_mud_per_year: Kg,
    owned_capacity_per_year: Kg,
    contracted_capacity_per_year: Kg,
) -> Result<MatchingCoverage, MassError> {
    let capacity = owned_capacity_per_year.checked_add(contracted_capacity_per_year)?;
    Ok(MatchingCoverage {
        expected_red_mud_per_year,
        capacity_per_year: capacity,
        covers: capacity >= expected_red_mud_per_year,
        shortfall_per_year: expected_red_mud_per_year
            .checked_sub(capacity)
            .unwrap_or(Kg::ZERO),
        coverage: Ratio::new(capacity.kg(), expected_red_mud_per_year.kg()).ok(),
    })
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

    #[test]
    fn funding_balances_sum_and_net() {
        let fen = |v| Fen::new(v).expect("in range");
        let b = funding_balances([
            FundingLine {
                awarded: fen(1_000),
                disbursed: fen(700),
                recovered: fen(100),
            },
            FundingLine {
                awarded: fen(500),
                disbursed: fen(0),
                recovered: fen(0),
            },
        ]);
        assert_eq!(
            b,
            Ok(FundingBalances {
                awarded: fen(1_500),
                disbursed: fen(700),
                recovered: fen(100),
                outstanding: fen(800),
                net_disbursed: fen(600),
            })
        );
        assert_eq!(funding_balances([]), Ok(FundingBalances::default()));
        assert_eq!(
            funding_balances([FundingLine {
                awarded: fen(1),
                disbursed: fen(2),
                recovered: fen(0),
            }]),
            Err(MoneyError::Underflow {
                left: fen(1),
                right: fen(2)
            })
        );
        assert_eq!(
            funding_balances([FundingLine {
                awarded: fen(5),
                disbursed: fen(2),
                recovered: fen(3),
            }]),
            Err(MoneyError::Underflow {
                left: fen(2),
                right: fen(3)
            })
        );
    }

    #[test]
    fn tranche_amounts_sum_exactly() {
        let fen = |v| Fen::new(v).expect("in range");
        // ¥1 000 000.01 at 30/40/30: 30 000 000, 40 000 000, 30 000 001 fen.
        assert_eq!(
            tranche_amounts(fen(100_000_001), &[bp(3_000), bp(4_000), bp(3_000)]),
            Ok(vec![fen(30_000_000), fen(40_000_000), fen(30_000_001)])
        );
        assert_eq!(
            tranche_amounts(fen(10), &[bp(3_333), bp(3_333), bp(3_334)]),
            Ok(vec![fen(3), fen(3), fen(4)])
        );
        assert_eq!(
            tranche_amounts(fen(10), &[bp(3_000), bp(3_000)]),
            Err(TrancheSharesError::SharesDoNotSumToWhole {
                total_basis_points: 6_000
            })
        );
        assert_eq!(
            tranche_amounts(fen(10), &[]),
            Err(TrancheSharesError::SharesDoNotSumToWhole {
                total_basis_points: 0
            })
        );
    }

    #[test]
    fn matching_capacity_coverage() {
        // 1 000 000 t/yr of alumina at ~1.5 t red mud per t: 1 500 000 t/yr of red mud.
        let c = matching_coverage(t(1_500_000), t(1_000_000), t(300_000)).expect("small");
        assert_eq!(
            c,
            MatchingCoverage {
                expected_red_mud_per_year: t(1_500_000),
                capacity_per_year: t(1_300_000),
                covers: false,
                shortfall_per_year: t(200_000),
                coverage: Ratio::new(13, 15).ok(),
            }
        );
        let c = matching_coverage(t(1_500_000), t(1_000_000), t(500_000)).expect("small");
        assert!(c.covers);
        assert_eq!(c.shortfall_per_year, Kg::ZERO);
        assert_eq!(c.coverage, Some(Ratio::ONE));
        let c = matching_coverage(Kg::ZERO, Kg::ZERO, Kg::ZERO).expect("small");
        assert!(c.covers);
        assert_eq!(c.coverage, None);
        assert_eq!(
            matching_coverage(t(1), Kg::MAX, t(1)),
            Err(MassError::Overflow {
                left: Kg::MAX,
                right: t(1)
            })
        );
    }
}
