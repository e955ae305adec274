//! Report 1 — the red mud balance (赤泥产生与综合利用平衡表) by region or enterprise and period.
//!
//! For each report period (month, quarter or year) and group (a prefecture, or one enterprise),
//! the sum of the ledger figures of the periods recorded within it, the stock at the period's
//! end, and both utilization rates (see [`redmud_domain::rules`]):
//!
//! ```text
//! new rate         = utilized_from_new ÷ generated
//! statistical rate = (utilized_from_new + utilized_from_stock) ÷ (generated + utilized_from_stock)
//! rate             = the one of the two named by the formula in force (a server setting)
//! stock_end        = Σ enterprises ( baseline (if measured by the period's end)
//!                                    + Σ recorded periods ending by the period's end
//!                                      (stored_new − utilized_from_stock − disposed_from_stock) )
//! ```
//!
//! A recorded ledger period coarser than the report granularity (a quarterly ledger in a monthly
//! report) is not split: it is reported under its own period. Rates of a group are computed from
//! the group's summed components (never by averaging rates).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use redmud_domain::rules::{new_utilization_rate, statistical_utilization_rate};
use redmud_domain::{
    Granularity, Kg, LedgerFigures, Period, RateFormula, Ratio, Region, RouteAmounts,
    UtilizationRoute,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ReportError;
use crate::csv::Csv;

/// One enterprise's ledger of one recorded period, as in force at the moment asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// The enterprise.
    pub enterprise_id: Uuid,
    /// Its name (as of the row).
    pub enterprise: String,
    /// Its region.
    pub region: Option<Region>,
    /// The recorded period.
    pub period: Period,
    /// The figures in force.
    pub figures: LedgerFigures,
    /// The revision in force (1: as first recorded).
    pub revision: u32,
}

/// An enterprise's declared stock baseline (期初堆存基数).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockBaselineRow {
    /// The enterprise.
    pub enterprise_id: Uuid,
    /// Its name.
    pub enterprise: String,
    /// Its region.
    pub region: Option<Region>,
    /// The date the stock was measured.
    pub as_of: NaiveDate,
    /// The stock.
    pub stock: Kg,
}

/// Lines per region (prefecture, with a province total) or per enterprise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One line per prefecture (per county when the region filter is a county) and period,
    /// plus a province total per period when the whole province is asked.
    #[default]
    Region,
    /// One line per enterprise and period.
    Enterprise,
}

/// What a balance report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceParams {
    /// The report period length.
    pub granularity: Granularity,
    /// The lines.
    pub group_by: GroupBy,
    /// Only enterprises in this region (`None`: the province).
    pub region: Option<Region>,
    /// Only recorded periods starting on or after this period's start.
    pub from: Option<Period>,
    /// Only recorded periods ending on or before this period's end.
    pub to: Option<Period>,
    /// The formula in force for `rate`.
    pub formula: RateFormula,
}

/// An exact rate with its display forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rate {
    /// Numerator in lowest terms.
    pub numerator: u64,
    /// Denominator in lowest terms.
    pub denominator: u64,
    /// Basis points, rounded half up (display only).
    pub basis_points: u64,
    /// Percentage with two decimals, e.g. `"12.50%"` (display only).
    pub percent: String,
}

impl From<Ratio> for Rate {
    fn from(r: Ratio) -> Self {
        Rate {
            numerator: r.numerator(),
            denominator: r.denominator(),
            basis_points: r.to_basis_points_rounded(),
            percent: r.percent_display(2),
        }
    }
}

/// One line of the balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BalanceLine {
    /// The report period.
    pub period: Period,
    /// The region code (`520000` for the province total; the enterprise's region per enterprise).
    pub region: String,
    /// The region's name.
    pub region_name: String,
    /// The enterprise (per-enterprise lines only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enterprise_id: Option<Uuid>,
    /// The enterprise's name (per-enterprise lines only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enterprise: Option<String>,
    /// Recorded ledger periods summed into the line.
    pub entries: u32,
    /// Of which corrected at least once (revision > 1).
    pub corrected_entries: u32,
    /// The summed components.
    pub figures: LedgerFigures,
    /// Utilized per route, from new and from stock together.
    pub utilized_by_route: RouteAmounts,
    /// Total utilized from newly generated red mud.
    pub utilized_from_new_total: Kg,
    /// Total utilized from the stockpile.
    pub utilized_from_stock_total: Kg,
    /// Total utilized.
    pub utilized_total: Kg,
    /// Total disposed of (from new and from stock).
    pub disposed_total: Kg,
    /// The stock at the period's end.
    pub stock_end: Kg,
    /// utilized_from_new ÷ generated (`null` when nothing was generated).
    pub new_rate: Option<Rate>,
    /// (utilized_from_new + utilized_from_stock) ÷ (generated + utilized_from_stock).
    pub statistical_rate: Option<Rate>,
    /// The rate under the formula in force.
    pub rate: Option<Rate>,
}

/// The balance report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BalanceReport {
    /// The formula `rate` follows.
    pub formula: RateFormula,
    /// `year`, `quarter` or `month`.
    pub granularity: &'static str,
    /// How lines are grouped.
    pub group_by: GroupBy,
    /// Lines by period, then region code (the province total first), then enterprise name.
    pub lines: Vec<BalanceLine>,
}

/// The wire name of a granularity.
pub fn granularity_name(g: Granularity) -> &'static str {
    match g {
        Granularity::Year => "year",
        Granularity::Quarter => "quarter",
        Granularity::Month => "month",
    }
}

/// The report period a recorded period falls in: the period of `granularity` containing it, or
/// the recorded period itself when it is coarser.
pub fn bucket(period: Period, granularity: Granularity) -> Period {
    if period.granularity() >= granularity {
        Period::containing(period.start(), granularity).unwrap_or(period)
    } else {
        period
    }
}

fn in_scope(scope: Option<Region>, region: Option<Region>) -> bool {
    match (scope, region) {
        (None | Some(Region::Province), _) => true,
        (Some(scope), Some(region)) => scope.contains(region),
        (Some(_), None) => false,
    }
}

fn in_window(params: &BalanceParams, period: Period) -> bool {
    params.from.is_none_or(|f| period.start() >= f.start())
        && params.to.is_none_or(|t| period.end() <= t.end())
}

/// The group key of an enterprise's region.
fn group_region(params: &BalanceParams, region: Option<Region>) -> Option<Region> {
    crate::table::group_region(params.region, region)
}

/// One enterprise's stock movements: `(period end, stored − withdrawn as +/-)`.
#[derive(Debug, Default)]
struct StockTrack {
    baseline: Option<(NaiveDate, Kg)>,
    /// (end date, added, withdrawn), sorted by end.
    moves: Vec<(NaiveDate, Kg, Kg)>,
    region: Option<Region>,
    name: String,
}

impl StockTrack {
    fn stock_at(&self, end: NaiveDate) -> Result<Kg, ReportError> {
        let mut added = match self.baseline {
            Some((date, stock)) if date <= end => stock,
            _ => Kg::ZERO,
        };
        let mut withdrawn = Kg::ZERO;
        for (move_end, add, take) in &self.moves {
            if *move_end > end {
                break;
            }
            added = added.checked_add(*add)?;
            withdrawn = withdrawn.checked_add(*take)?;
        }
        // The roll-forward the domain enforces keeps every closing stock non-negative.
        Ok(added.checked_sub(withdrawn)?)
    }
}

#[derive(Debug, Default)]
struct Acc {
    figures: LedgerFigures,
    entries: u32,
    corrected: u32,
}

impl Acc {
    fn add(&mut self, row: &LedgerRow) -> Result<(), ReportError> {
        self.figures = self.figures.checked_add(&row.figures)?;
        self.entries += 1;
        if row.revision > 1 {
            self.corrected += 1;
        }
        Ok(())
    }
}

fn line(
    params: &BalanceParams,
    period: Period,
    region: Option<Region>,
    enterprise: Option<(Uuid, String)>,
    acc: &Acc,
    stock_end: Kg,
) -> Result<BalanceLine, ReportError> {
    let f = &acc.figures;
    let new_rate = new_utilization_rate(f)?.map(Rate::from);
    let statistical_rate = statistical_utilization_rate(f)?.map(Rate::from);
    let rate = match params.formula {
        RateFormula::New => new_rate.clone(),
        RateFormula::Statistical => statistical_rate.clone(),
    };
    let utilized_by_route = f.utilized_from_new.checked_add(&f.utilized_from_stock)?;
    let region = region.unwrap_or(Region::Province);
    let (enterprise_id, enterprise) = match enterprise {
        Some((id, name)) => (Some(id), Some(name)),
        None => (None, None),
    };
    Ok(BalanceLine {
        period,
        region: region.to_string(),
        region_name: region.name_zh(),
        enterprise_id,
        enterprise,
        entries: acc.entries,
        corrected_entries: acc.corrected,
        utilized_from_new_total: f.utilized_from_new_total()?,
        utilized_from_stock_total: f.utilized_from_stock_total()?,
        utilized_total: f.utilized_total()?,
        disposed_total: f.disposed_total()?,
        utilized_by_route,
        figures: f.clone(),
        stock_end,
        new_rate,
        statistical_rate,
        rate,
    })
}

/// Computes the balance from the ledger rows and stock baselines in force at one moment.
pub fn balance_report(
    params: &BalanceParams,
    ledgers: &[LedgerRow],
    baselines: &[StockBaselineRow],
) -> Result<BalanceReport, ReportError> {
    // Stock tracks of every enterprise in scope (all periods, whatever the window).
    let mut tracks: BTreeMap<Uuid, StockTrack> = BTreeMap::new();
    for b in baselines
        .iter()
        .filter(|b| in_scope(params.region, b.region))
    {
        let t = tracks.entry(b.enterprise_id).or_default();
        t.baseline = Some((b.as_of, b.stock));
        t.region = b.region;
        t.name.clone_from(&b.enterprise);
    }
    let rows: Vec<&LedgerRow> = ledgers
        .iter()
        .filter(|r| in_scope(params.region, r.region))
        .collect();
    for r in &rows {
        let t = tracks.entry(r.enterprise_id).or_default();
        t.moves.push((
            r.period.end(),
            r.figures.stored_new,
            r.figures.withdrawn_from_stock()?,
        ));
        t.region = r.region;
        t.name.clone_from(&r.enterprise);
    }
    for t in tracks.values_mut() {
        t.moves.sort_by_key(|m| m.0);
    }

    let mut lines = Vec::new();
    match params.group_by {
        GroupBy::Enterprise => {
            let mut groups: BTreeMap<(Period, Uuid), Acc> = BTreeMap::new();
            for r in rows.iter().filter(|r| in_window(params, r.period)) {
                groups
                    .entry((bucket(r.period, params.granularity), r.enterprise_id))
                    .or_default()
                    .add(r)?;
            }
            for ((period, id), acc) in &groups {
                let Some(track) = tracks.get(id) else {
                    continue;
                };
                let stock = track.stock_at(period.end())?;
                lines.push(line(
                    params,
                    *period,
                    track.region,
                    Some((*id, track.name.clone())),
                    acc,
                    stock,
                )?);
            }
            // (period, enterprise id) is unique: an unstable sort orders the same.
            lines.sort_unstable_by(|a, b| {
                (a.period, &a.enterprise, a.enterprise_id).cmp(&(
                    b.period,
                    &b.enterprise,
                    b.enterprise_id,
                ))
            });
        }
        GroupBy::Region => {
            let with_total = matches!(params.region, None | Some(Region::Province));
            let mut groups: BTreeMap<(Period, Option<Region>), Acc> = BTreeMap::new();
            for r in rows.iter().filter(|r| in_window(params, r.period)) {
                let period = bucket(r.period, params.granularity);
                let acc = groups
                    .entry((period, group_region(params, r.region)))
                    .or_default();
                acc.add(r)?;
                if with_total {
                    groups.entry((period, None)).or_default().add(r)?;
                }
            }
            for ((period, region), acc) in &groups {
                let mut stock = Kg::ZERO;
                for t in tracks.values() {
                    if region.is_none() || group_region(params, t.region) == *region {
                        stock = stock.checked_add(t.stock_at(period.end())?)?;
                    }
                }
                lines.push(line(params, *period, *region, None, acc, stock)?);
            }
        }
    }
    Ok(BalanceReport {
        formula: params.formula,
        granularity: granularity_name(params.granularity),
        group_by: params.group_by,
        lines,
    })
}

/// The CSV header of a balance report (masses in kg; every route a column).
pub fn balance_csv_header() -> Vec<String> {
    let mut header: Vec<String> = [
        "period",
        "region",
        "region_name",
        "enterprise_id",
        "enterprise",
        "entries",
        "corrected_entries",
        "generated_kg",
        "utilized_from_new_kg",
        "utilized_from_stock_kg",
        "utilized_kg",
        "disposed_from_new_kg",
        "disposed_from_stock_kg",
        "disposed_kg",
        "stored_new_kg",
        "stock_end_kg",
        "new_rate_percent",
        "statistical_rate_percent",
        "rate_percent",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend(
        UtilizationRoute::ALL
            .iter()
            .map(|r| format!("utilized_{}_kg", r.code())),
    );
    header
}

/// A balance report as CSV (masses in kg; every route a column), written field by field into
/// one buffer (no string per cell).
pub fn balance_csv(report: &BalanceReport) -> Csv {
    let header = balance_csv_header();
    fn pct(r: &Option<Rate>) -> &str {
        r.as_ref().map_or("", |r| r.percent.trim_end_matches('%'))
    }
    let mut csv = Csv::new(&header, report.lines.len() * 320);
    for l in &report.lines {
        let f = &l.figures;
        csv.value(l.period).field(&l.region).field(&l.region_name);
        match l.enterprise_id {
            Some(id) => csv.value(id),
            None => csv.empty(1),
        };
        csv.field(l.enterprise.as_deref().unwrap_or_default())
            .value(l.entries)
            .value(l.corrected_entries)
            .value(f.generated.kg())
            .value(l.utilized_from_new_total.kg())
            .value(l.utilized_from_stock_total.kg())
            .value(l.utilized_total.kg())
            .value(f.disposed_from_new.kg())
            .value(f.disposed_from_stock.kg())
            .value(l.disposed_total.kg())
            .value(f.stored_new.kg())
            .value(l.stock_end.kg())
            .field(pct(&l.new_rate))
            .field(pct(&l.statistical_rate))
            .field(pct(&l.rate));
        for route in UtilizationRoute::ALL {
            csv.value(l.utilized_by_route.get(*route).kg());
        }
        csv.end();
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(tonnes: u64) -> Kg {
        Kg::from_tonnes(tonnes).expect("in range")
    }

    fn p(text: &str) -> Period {
        text.parse().expect("period")
    }

    fn region(code: u32) -> Option<Region> {
        Some(Region::from_code(code).expect("region"))
    }

    fn figures(generated: u64, cement: u64, stock_use: u64) -> LedgerFigures {
        LedgerFigures {
            generated: t(generated),
            utilized_from_new: RouteAmounts::new().with(UtilizationRoute::Cement, t(cement)),
            disposed_from_new: Kg::ZERO,
            stored_new: t(generated - cement),
            utilized_from_stock: RouteAmounts::new()
                .with(UtilizationRoute::MineBackfill, t(stock_use)),
            disposed_from_stock: Kg::ZERO,
        }
    }

    fn row(id: u128, code: u32, period: &str, f: LedgerFigures) -> LedgerRow {
        LedgerRow {
            enterprise_id: Uuid::from_u128(id),
            enterprise: format!("企业{id}"),
            region: region(code),
            period: p(period),
            figures: f,
            revision: 1,
        }
    }

    fn params(granularity: Granularity, group_by: GroupBy) -> BalanceParams {
        BalanceParams {
            granularity,
            group_by,
            region: None,
            from: None,
            to: None,
            formula: RateFormula::New,
        }
    }

    #[test]
    fn regions_and_province_total() {
        let ledgers = vec![
            row(1, 520_181, "2026-Q1", figures(1_000, 100, 10)),
            row(1, 520_181, "2026-Q2", figures(1_000, 300, 0)),
            row(2, 520_300, "2026-Q1", figures(500, 50, 0)),
            row(2, 520_300, "2026-03", figures(9, 0, 0)),
        ];
        // (the monthly row overlaps the quarterly one only in this synthetic test)
        let baselines = vec![StockBaselineRow {
            enterprise_id: Uuid::from_u128(1),
            enterprise: "企业1".into(),
            region: region(520_181),
            as_of: NaiveDate::from_ymd_opt(2025, 12, 31).expect("date"),
            stock: t(5_000),
        }];
        let r = balance_report(
            &params(Granularity::Quarter, GroupBy::Region),
            &ledgers,
            &baselines,
        )
        .expect("report");
        let q1: Vec<&BalanceLine> = r
            .lines
            .iter()
            .filter(|l| l.period == p("2026-Q1"))
            .collect();
        assert_eq!(q1.len(), 3);
        assert_eq!(q1[0].region, "520000");
        assert_eq!(q1[0].figures.generated, t(1_509));
        assert_eq!(q1[0].entries, 3);
        assert_eq!(q1[1].region, "520100");
        assert_eq!(q1[1].figures.generated, t(1_000));
        // 5000 + 900 stored − 10 taken
        assert_eq!(q1[1].stock_end, t(5_890));
        assert_eq!(q1[2].region, "520300");
        assert_eq!(q1[2].stock_end, t(450 + 9));
        assert_eq!(q1[0].stock_end, t(5_890 + 459));
        let rate = q1[1].new_rate.clone().expect("rate");
        assert_eq!((rate.numerator, rate.denominator), (1, 10));
        assert_eq!(rate.percent, "10.00%");
        let stat = q1[1].statistical_rate.clone().expect("rate");
        assert_eq!((stat.numerator, stat.denominator), (11, 101));
        let q2: Vec<&BalanceLine> = r
            .lines
            .iter()
            .filter(|l| l.period == p("2026-Q2"))
            .collect();
        // The province total and Guiyang; Zunyi's stock still counts in the total.
        assert_eq!(q2.len(), 2);
        assert_eq!(q2[0].stock_end, t(5_890 + 700 + 459));
    }

    #[test]
    fn years_months_windows_and_enterprises() {
        let ledgers = vec![
            row(1, 520_100, "2026-01", figures(10, 1, 0)),
            row(1, 520_100, "2026-02", figures(20, 2, 0)),
            row(1, 520_100, "2026-Q2", figures(30, 3, 0)),
            row(1, 520_100, "2027-01", figures(40, 4, 0)),
        ];
        let r = balance_report(
            &params(Granularity::Month, GroupBy::Enterprise),
            &ledgers,
            &[],
        )
        .expect("report");
        let periods: Vec<String> = r.lines.iter().map(|l| l.period.to_string()).collect();
        assert_eq!(periods, ["2026-01", "2026-02", "2026-Q2", "2027-01"]);
        let mut y = params(Granularity::Year, GroupBy::Enterprise);
        y.from = Some(p("2026"));
        y.to = Some(p("2026"));
        y.formula = RateFormula::Statistical;
        let r = balance_report(&y, &ledgers, &[]).expect("report");
        assert_eq!(r.lines.len(), 1);
        assert_eq!(r.lines[0].figures.generated, t(60));
        assert_eq!(r.lines[0].stock_end, t(54));
        assert_eq!(r.lines[0].rate, r.lines[0].statistical_rate);
        let (header, records) = balance_csv(&r).records();
        assert_eq!(header.len(), records[0].len());
        assert_eq!(records[0][7], "60000");
        assert_eq!(records[0][16], "10.00");
    }

    #[test]
    fn region_filter_scopes_lines_and_stock() {
        let ledgers = vec![
            row(1, 520_100, "2026-Q1", figures(100, 10, 0)),
            row(2, 520_300, "2026-Q1", figures(200, 20, 0)),
        ];
        let mut q = params(Granularity::Quarter, GroupBy::Region);
        q.region = region(520_300);
        let r = balance_report(&q, &ledgers, &[]).expect("report");
        assert_eq!(r.lines.len(), 1);
        assert_eq!(r.lines[0].region, "520300");
        assert_eq!(r.lines[0].stock_end, t(180));
    }

    /// The CSV as it was built before (a table of strings per cell), for comparison.
    fn table_csv(report: &BalanceReport) -> Csv {
        let pct = |r: &Option<Rate>| {
            r.as_ref()
                .map(|r| r.percent.trim_end_matches('%').to_owned())
                .unwrap_or_default()
        };
        let records: Vec<Vec<String>> = report
            .lines
            .iter()
            .map(|l| {
                let f = &l.figures;
                let mut rec = vec![
                    l.period.to_string(),
                    l.region.clone(),
                    l.region_name.clone(),
                    l.enterprise_id.map(|i| i.to_string()).unwrap_or_default(),
                    l.enterprise.clone().unwrap_or_default(),
                    l.entries.to_string(),
                    l.corrected_entries.to_string(),
                    f.generated.kg().to_string(),
                    l.utilized_from_new_total.kg().to_string(),
                    l.utilized_from_stock_total.kg().to_string(),
                    l.utilized_total.kg().to_string(),
                    f.disposed_from_new.kg().to_string(),
                    f.disposed_from_stock.kg().to_string(),
                    l.disposed_total.kg().to_string(),
                    f.stored_new.kg().to_string(),
                    l.stock_end.kg().to_string(),
                    pct(&l.new_rate),
                    pct(&l.statistical_rate),
                    pct(&l.rate),
                ];
                rec.extend(
                    UtilizationRoute::ALL
                        .iter()
                        .map(|r| l.utilized_by_route.get(*r).kg().to_string()),
                );
                rec
            })
            .collect();
        Csv::table(&balance_csv_header(), &records)
    }

    #[test]
    fn csv_written_field_by_field_is_the_table_it_replaced() {
        let mut ledgers = vec![
            row(1, 520_100, "2026-01", figures(10, 1, 0)),
            row(2, 520_300, "2026-02", figures(0, 0, 0)),
            row(1, 520_100, "2026-Q2", figures(30, 3, 0)),
        ];
        // A name that must be quoted.
        ledgers[1].enterprise = "遵义,\"赤泥\"".into();
        for (g, by) in [
            (Granularity::Month, GroupBy::Enterprise),
            (Granularity::Quarter, GroupBy::Region),
            (Granularity::Year, GroupBy::Region),
        ] {
            let r = balance_report(&params(g, by), &ledgers, &[]).expect("report");
            assert_eq!(balance_csv(&r).as_str(), table_csv(&r).as_str());
        }
    }
}
