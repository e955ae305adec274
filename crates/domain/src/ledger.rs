//! The red mud ledger (赤泥台账) of one period: what was generated and where every tonne went,
//! and where the stockpile stands.
//!
//! ## The balance identity
//!
//! All components are stored (never derived), so every rate and report is computed from the same
//! numbers:
//!
//! ```text
//! generated   = utilized_from_new + disposed_from_new + stored_new          (1) new red mud
//! stock_end   = stock_start + stored_new − utilized_from_stock − disposed_from_stock ≥ 0   (2)
//! ```
//!
//! (1) says every tonne newly generated in the period was utilized, disposed of or added to the
//! stockpile. (2) is the stock roll-forward: what was taken out of the historical stockpile
//! cannot exceed what was in it. `utilized_*` are broken down by [`UtilizationRoute`].
//!
//! The opening stock of an enterprise's first period is its declared stock baseline (zero
//! if none was declared); after that each period opens with the previous recorded period's
//! closing stock. A gap between recorded periods is treated as no movement.

use std::collections::BTreeMap;

use crate::values::{Kg, MassError, Period, UtilizationRoute};

/// Tonnages per utilization route. Routes with zero are not kept, so two equal breakdowns are
/// equal however they were written. Serde: a map from route code to kilograms, e.g.
/// `{"cement": 120000, "mine_backfill": 30000}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct RouteAmounts(BTreeMap<UtilizationRoute, Kg>);

impl RouteAmounts {
    /// No tonnage on any route.
    pub fn new() -> Self {
        Self::default()
    }

    /// Build from (route, mass) pairs; a route given twice is an error.
    pub fn try_from_pairs<I>(pairs: I) -> Result<Self, LedgerError>
    where
        I: IntoIterator<Item = (UtilizationRoute, Kg)>,
    {
        let mut map = BTreeMap::new();
        for (route, kg) in pairs {
            if map.insert(route, kg).is_some() {
                return Err(LedgerError::DuplicateRoute { route });
            }
        }
        map.retain(|_, kg| !kg.is_zero());
        Ok(RouteAmounts(map))
    }

    /// The same breakdown with `route` set to `kg` (replacing any previous value).
    pub fn with(mut self, route: UtilizationRoute, kg: Kg) -> Self {
        if kg.is_zero() {
            self.0.remove(&route);
        } else {
            self.0.insert(route, kg);
        }
        self
    }

    /// Tonnage on `route` (zero when absent).
    pub fn get(&self, route: UtilizationRoute) -> Kg {
        self.0.get(&route).copied().unwrap_or(Kg::ZERO)
    }

    /// Non-zero routes in route order.
    pub fn iter(&self) -> impl Iterator<Item = (UtilizationRoute, Kg)> + '_ {
        self.0.iter().map(|(r, k)| (*r, *k))
    }

    /// Whether no route has any tonnage.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sum over routes.
    pub fn total(&self) -> Result<Kg, MassError> {
        Kg::sum(self.0.values().copied())
    }

    /// Route-by-route sum.
    pub fn checked_add(&self, other: &RouteAmounts) -> Result<RouteAmounts, MassError> {
        let mut map = self.0.clone();
        for (route, kg) in &other.0 {
            let sum = map
                .get(route)
                .copied()
                .unwrap_or(Kg::ZERO)
                .checked_add(*kg)?;
            map.insert(*route, sum);
        }
        Ok(RouteAmounts(map))
    }
}

impl<'de> serde::Deserialize<'de> for RouteAmounts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut map = BTreeMap::<UtilizationRoute, Kg>::deserialize(d)?;
        map.retain(|_, kg| !kg.is_zero());
        Ok(RouteAmounts(map))
    }
}

/// The ledger figures of one period (or the sum of several enterprises' figures).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LedgerFigures {
    /// Red mud newly generated in the period (产生量).
    pub generated: Kg,
    /// Newly generated red mud comprehensively utilized, by route.
    pub utilized_from_new: RouteAmounts,
    /// Newly generated red mud disposed of (处置, e.g. landfill).
    pub disposed_from_new: Kg,
    /// Newly generated red mud added to the stockpile (贮存).
    pub stored_new: Kg,
    /// Red mud taken from the historical stockpile and utilized, by route.
    pub utilized_from_stock: RouteAmounts,
    /// Red mud taken from the historical stockpile and disposed of.
    pub disposed_from_stock: Kg,
}

/// Why ledger figures were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum LedgerError {
    /// Identity (1) does not hold.
    #[error(
        "ledger does not balance: generated {generated} ≠ utilized from new {utilized_from_new} + disposed from new {disposed_from_new} + stored {stored_new}"
    )]
    Unbalanced {
        /// Newly generated.
        generated: Kg,
        /// Total utilized from new.
        utilized_from_new: Kg,
        /// Disposed from new.
        disposed_from_new: Kg,
        /// Stored.
        stored_new: Kg,
    },
    /// Identity (2) would give a negative closing stock in `period`.
    #[error(
        "stock would go negative in {period}: opening {stock_start} + stored {stored_new} − utilized from stock {utilized_from_stock} − disposed from stock {disposed_from_stock} < 0"
    )]
    StockWouldGoNegative {
        /// The first period whose closing stock would be negative.
        period: Period,
        /// Its opening stock.
        stock_start: Kg,
        /// Added to stock in it.
        stored_new: Kg,
        /// Utilized from stock in it.
        utilized_from_stock: Kg,
        /// Disposed from stock in it.
        disposed_from_stock: Kg,
    },
    /// A route given twice in one breakdown.
    #[error("utilization route {route} given twice")]
    DuplicateRoute {
        /// The repeated route.
        route: UtilizationRoute,
    },
    /// A total beyond the representable mass.
    #[error(transparent)]
    Mass(#[from] MassError),
}

crate::aggregate::error_rules!(LedgerError {
    Unbalanced,
    StockWouldGoNegative,
    DuplicateRoute,
    Mass
});

impl LedgerFigures {
    /// Total utilized from newly generated red mud.
    pub fn utilized_from_new_total(&self) -> Result<Kg, MassError> {
        self.utilized_from_new.total()
    }

    /// Total utilized from the historical stockpile.
    pub fn utilized_from_stock_total(&self) -> Result<Kg, MassError> {
        self.utilized_from_stock.total()
    }

    /// Total utilized in the period (from new and from stock).
    pub fn utilized_total(&self) -> Result<Kg, MassError> {
        self.utilized_from_new_total()?
            .checked_add(self.utilized_from_stock_total()?)
    }

    /// Total utilized on one route (from new and from stock).
    pub fn utilized_on(&self, route: UtilizationRoute) -> Result<Kg, MassError> {
        self.utilized_from_new
            .get(route)
            .checked_add(self.utilized_from_stock.get(route))
    }

    /// Total disposed of in the period (from new and from stock).
    pub fn disposed_total(&self) -> Result<Kg, MassError> {
        self.disposed_from_new.checked_add(self.disposed_from_stock)
    }

    /// Total taken out of the stockpile (utilized and disposed from stock).
    pub fn withdrawn_from_stock(&self) -> Result<Kg, MassError> {
        self.utilized_from_stock_total()?
            .checked_add(self.disposed_from_stock)
    }

    /// Check identity (1): generated = utilized_from_new + disposed_from_new + stored_new.
    pub fn check_balance(&self) -> Result<(), LedgerError> {
        let utilized_from_new = self.utilized_from_new_total()?;
        let accounted = utilized_from_new
            .checked_add(self.disposed_from_new)?
            .checked_add(self.stored_new)?;
        if accounted == self.generated {
            Ok(())
        } else {
            Err(LedgerError::Unbalanced {
                generated: self.generated,
                utilized_from_new,
                disposed_from_new: self.disposed_from_new,
                stored_new: self.stored_new,
            })
        }
    }

    /// Identity (2) for one period: the closing stock from the opening stock.
    pub fn roll_forward(&self, period: Period, stock_start: Kg) -> Result<StockLine, LedgerError> {
        let withdrawn = self.withdrawn_from_stock()?;
        let stock_end = stock_start
            .checked_add(self.stored_new)?
            .checked_sub(withdrawn)
            .map_err(|_| LedgerError::StockWouldGoNegative {
                period,
                stock_start,
                stored_new: self.stored_new,
                utilized_from_stock: self.utilized_from_stock_total().unwrap_or(Kg::MAX),
                disposed_from_stock: self.disposed_from_stock,
            })?;
        Ok(StockLine {
            period,
            stock_start,
            stored_new: self.stored_new,
            withdrawn_from_stock: withdrawn,
            stock_end,
        })
    }

    /// Component-by-component sum (e.g. a region's figures from its enterprises').
    pub fn checked_add(&self, other: &LedgerFigures) -> Result<LedgerFigures, MassError> {
        Ok(LedgerFigures {
            generated: self.generated.checked_add(other.generated)?,
            utilized_from_new: self
                .utilized_from_new
                .checked_add(&other.utilized_from_new)?,
            disposed_from_new: self
                .disposed_from_new
                .checked_add(other.disposed_from_new)?,
            stored_new: self.stored_new.checked_add(other.stored_new)?,
            utilized_from_stock: self
                .utilized_from_stock
                .checked_add(&other.utilized_from_stock)?,
            disposed_from_stock: self
                .disposed_from_stock
                .checked_add(other.disposed_from_stock)?,
        })
    }

    /// Sum of many figures.
    pub fn sum<'a, I>(figures: I) -> Result<LedgerFigures, MassError>
    where
        I: IntoIterator<Item = &'a LedgerFigures>,
    {
        figures
            .into_iter()
            .try_fold(LedgerFigures::default(), |acc, f| acc.checked_add(f))
    }
}

/// One period of a stock roll-forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StockLine {
    /// The period.
    pub period: Period,
    /// Stock at the start of the period (期初堆存量).
    pub stock_start: Kg,
    /// Newly generated red mud stored in the period.
    pub stored_new: Kg,
    /// Utilized and disposed from the stockpile in the period.
    pub withdrawn_from_stock: Kg,
    /// Stock at the end of the period (期末堆存量).
    pub stock_end: Kg,
}

/// Roll the stock forward from `baseline` through `entries` in period order (they are sorted
/// here); the first period whose closing stock would be negative is an error.
pub fn roll_forward<'a, I>(baseline: Kg, entries: I) -> Result<Vec<StockLine>, LedgerError>
where
    I: IntoIterator<Item = (Period, &'a LedgerFigures)>,
{
    let mut entries: Vec<(Period, &LedgerFigures)> = entries.into_iter().collect();
    entries.sort_by_key(|(p, _)| *p);
    let mut stock = baseline;
    let mut lines = Vec::with_capacity(entries.len());
    for (period, figures) in entries {
        let line = figures.roll_forward(period, stock)?;
        stock = line.stock_end;
        lines.push(line);
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(tonnes: u64) -> Kg {
        Kg::from_tonnes(tonnes).expect("in range")
    }

    fn figures() -> LedgerFigures {
        LedgerFigures {
            generated: t(1_000),
            utilized_from_new: RouteAmounts::new()
                .with(UtilizationRoute::Cement, t(100))
                .with(UtilizationRoute::MineBackfill, t(50)),
            disposed_from_new: t(0),
            stored_new: t(850),
            utilized_from_stock: RouteAmounts::new().with(UtilizationRoute::RoadBase, t(20)),
            disposed_from_stock: t(5),
        }
    }

    #[test]
    fn balance_identity() {
        assert_eq!(figures().check_balance(), Ok(()));
        let mut f = figures();
        f.stored_new = t(849);
        assert_eq!(
            f.check_balance(),
            Err(LedgerError::Unbalanced {
                generated: t(1_000),
                utilized_from_new: t(150),
                disposed_from_new: t(0),
                stored_new: t(849),
            })
        );
    }

    #[test]
    fn roll_forward_identity() {
        let p1: Period = "2026-Q1".parse().expect("period");
        let p2: Period = "2026-Q2".parse().expect("period");
        let f = figures();
        let lines = roll_forward(t(0), [(p2, &f), (p1, &f)]).expect("non-negative");
        assert_eq!(
            lines,
            vec![
                StockLine {
                    period: p1,
                    stock_start: t(0),
                    stored_new: t(850),
                    withdrawn_from_stock: t(25),
                    stock_end: t(825),
                },
                StockLine {
                    period: p2,
                    stock_start: t(825),
                    stored_new: t(850),
                    withdrawn_from_stock: t(25),
                    stock_end: t(1_650),
                },
            ]
        );
        let mut g = figures();
        g.stored_new = t(0);
        g.disposed_from_new = t(850);
        assert_eq!(
            roll_forward(t(10), [(p1, &g)]),
            Err(LedgerError::StockWouldGoNegative {
                period: p1,
                stock_start: t(10),
                stored_new: t(0),
                utilized_from_stock: t(20),
                disposed_from_stock: t(5),
            })
        );
    }

    #[test]
    fn route_amounts_are_canonical() {
        let a = RouteAmounts::new()
            .with(UtilizationRoute::Cement, t(1))
            .with(UtilizationRoute::Steel, Kg::ZERO);
        let b = RouteAmounts::try_from_pairs([
            (UtilizationRoute::Steel, Kg::ZERO),
            (UtilizationRoute::Cement, t(1)),
        ])
        .expect("distinct");
        assert_eq!(a, b);
        assert_eq!(
            serde_json::to_value(&a).ok(),
            Some(serde_json::json!({"cement": 1000}))
        );
        let c: RouteAmounts =
            serde_json::from_value(serde_json::json!({"cement": 1000, "steel": 0})).expect("map");
        assert_eq!(c, a);
        assert_eq!(
            RouteAmounts::try_from_pairs([
                (UtilizationRoute::Cement, t(1)),
                (UtilizationRoute::Cement, t(2)),
            ]),
            Err(LedgerError::DuplicateRoute {
                route: UtilizationRoute::Cement
            })
        );
        assert!(serde_json::from_value::<RouteAmounts>(serde_json::json!({"bakery": 1})).is_err());
    }

    #[test]
    fn figures_add_up() {
        let sum = LedgerFigures::sum([&figures(), &figures()]).expect("small");
        assert_eq!(sum.generated, t(2_000));
        assert_eq!(sum.utilized_from_new.get(UtilizationRoute::Cement), t(200));
        assert_eq!(sum.utilized_total(), Ok(t(340)));
        assert_eq!(sum.check_balance(), Ok(()));
        assert_eq!(figures().utilized_on(UtilizationRoute::RoadBase), Ok(t(20)));
        assert_eq!(figures().disposed_total(), Ok(t(5)));
    }
}
