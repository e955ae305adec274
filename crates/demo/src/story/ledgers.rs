//! The refineries' quarterly red mud ledgers, 2025-Q1 … 2026-Q3, and their corrections.
//!
//! Each quarter's figures come from a small table: tonnes generated (≈ 1.3–1.6 t of red mud per
//! t of alumina), the new utilization rate in basis points (rising toward the 15 % of 2027), the
//! split of what was utilized by route, red mud taken from the historical stockpile by route,
//! and red mud disposed of. Everything is integer arithmetic in kilograms; what is not utilized
//! or disposed of is stored, so the balance identity holds by construction.

use chrono::NaiveDate;
use redmud_domain::{
    EnterpriseCommand, Kg, LedgerFigures, Period, RouteAmounts, UtilizationRoute as R, Uuid,
};

use super::{GUIYANG, QIANDONGNAN, ZUNYI};
use crate::DemoDataError;
use crate::assemble::{Story, after, day, quarter, t};
use crate::ids::enterprise as e;

/// The seven quarters recorded: 2025-Q1 … 2026-Q3.
pub(crate) const QUARTERS: [(i64, u32); 7] = [
    (2025, 1),
    (2025, 2),
    (2025, 3),
    (2025, 4),
    (2026, 1),
    (2026, 2),
    (2026, 3),
];

/// One refinery's ledger table.
struct LedgerTable {
    id: Uuid,
    actor: &'static str,
    /// Tonnes generated per quarter.
    generated_t: [u64; 7],
    /// Utilized from new ÷ generated, basis points, per quarter.
    rate_bp: [u64; 7],
    /// Split of utilized-from-new by route in 2025 (basis points, summing to 10 000).
    mix_2025: &'static [(R, u64)],
    /// Split in 2026.
    mix_2026: &'static [(R, u64)],
    /// Tonnes utilized from the historical stockpile per route and quarter.
    from_stock_t: &'static [(R, [u64; 7])],
    /// Tonnes of new red mud disposed of (safe landfill) per quarter.
    disposed_new_t: [u64; 7],
    /// Days after the quarter's end the bureau records it.
    recorded_after_days: u64,
    /// A quarter recorded late: (index into [`QUARTERS`], date).
    late: Option<(usize, NaiveDate)>,
    /// Varies the kilograms below the tonne.
    salt: u64,
}

const TABLES: [LedgerTable; 5] = [
    LedgerTable {
        id: e::QINGZHEN_ALUMINA,
        actor: GUIYANG,
        generated_t: [
            508_420, 531_260, 526_880, 518_930, 512_640, 534_150, 529_770,
        ],
        rate_bp: [900, 1_000, 1_100, 1_200, 1_350, 1_500, 1_650],
        mix_2025: &[
            (R::BuildingMaterials, 4_500),
            (R::Cement, 3_000),
            (R::Steel, 1_500),
            (R::RoadBase, 1_000),
        ],
        mix_2026: &[
            (R::BuildingMaterials, 5_500),
            (R::Cement, 2_500),
            (R::Steel, 1_000),
            (R::ElementExtraction, 300),
            (R::RoadBase, 700),
        ],
        from_stock_t: &[(
            R::RoadBase,
            [12_000, 15_500, 18_200, 16_800, 14_300, 21_600, 24_900],
        )],
        disposed_new_t: [0; 7],
        recorded_after_days: 9,
        late: None,
        salt: 1,
    },
    LedgerTable {
        id: e::XIUWEN_ALUMINA,
        actor: GUIYANG,
        generated_t: [
            396_150, 411_720, 408_360, 402_540, 398_910, 414_280, 409_630,
        ],
        rate_bp: [700, 750, 850, 950, 1_050, 1_150, 1_250],
        mix_2025: &[
            (R::Cement, 5_000),
            (R::BuildingMaterials, 3_000),
            (R::Chemicals, 1_000),
            (R::Other, 1_000),
        ],
        mix_2026: &[
            (R::Cement, 4_800),
            (R::BuildingMaterials, 3_200),
            (R::Chemicals, 1_000),
            (R::Other, 1_000),
        ],
        from_stock_t: &[],
        disposed_new_t: [0; 7],
        recorded_after_days: 11,
        late: None,
        salt: 2,
    },
    LedgerTable {
        id: e::WUCHUAN_ALUMINA,
        actor: ZUNYI,
        generated_t: [
            362_480, 381_150, 376_920, 370_310, 365_870, 384_620, 379_450,
        ],
        rate_bp: [800, 900, 950, 1_000, 1_100, 1_200, 1_300],
        mix_2025: &[
            (R::MineBackfill, 4_000),
            (R::RoadBase, 3_500),
            (R::Cement, 2_500),
        ],
        mix_2026: &[
            (R::MineBackfill, 3_000),
            (R::RoadBase, 3_500),
            (R::Cement, 2_500),
            (R::BuildingMaterials, 1_000),
        ],
        from_stock_t: &[(
            R::MineBackfill,
            [6_000, 7_500, 8_200, 9_100, 4_200, 3_800, 3_500],
        )],
        disposed_new_t: [0; 7],
        recorded_after_days: 12,
        late: None,
        salt: 3,
    },
    LedgerTable {
        id: e::DAOZHEN_ALUMINA,
        actor: ZUNYI,
        generated_t: [
            281_330, 293_870, 290_140, 286_560, 283_920, 296_410, 291_780,
        ],
        rate_bp: [500, 550, 650, 700, 900, 1_050, 1_150],
        mix_2025: &[
            (R::BuildingMaterials, 5_000),
            (R::RoadBase, 3_000),
            (R::ElementExtraction, 2_000),
        ],
        mix_2026: &[
            (R::BuildingMaterials, 4_500),
            (R::RoadBase, 2_500),
            (R::ElementExtraction, 3_000),
        ],
        from_stock_t: &[],
        disposed_new_t: [0; 7],
        recorded_after_days: 14,
        // 2026-Q3 recorded after the 遵义 report was first submitted (see the plans chapter).
        late: Some((6, day!(2026, 10, 28))),
        salt: 4,
    },
    LedgerTable {
        id: e::KAILI_ALUMINA,
        actor: QIANDONGNAN,
        generated_t: [
            194_620, 203_480, 201_150, 198_370, 196_840, 205_260, 202_910,
        ],
        rate_bp: [600, 650, 700, 800, 900, 1_000, 1_100],
        mix_2025: &[
            (R::Chemicals, 3_500),
            (R::Cement, 4_000),
            (R::Soilification, 2_500),
        ],
        mix_2026: &[
            (R::Cement, 4_000),
            (R::BuildingMaterials, 2_500),
            (R::RoadBase, 2_000),
            (R::Soilification, 1_500),
        ],
        from_stock_t: &[(R::Soilification, [0, 0, 3_000, 4_500, 2_000, 5_000, 6_500])],
        disposed_new_t: [1_500, 1_500, 1_200, 1_200, 1_000, 800, 800],
        recorded_after_days: 10,
        late: None,
        salt: 5,
    },
];

fn kg(value: u64) -> Result<Kg, DemoDataError> {
    Ok(Kg::new(value)?)
}

/// Split `total` kilograms by `mix` shares (basis points); the last route takes the remainder
/// of the rounding, so the parts add up to `total` exactly.
fn split(total: u64, mix: &[(R, u64)]) -> Result<RouteAmounts, DemoDataError> {
    let mut amounts = RouteAmounts::new();
    let mut assigned = 0;
    for (i, &(route, share)) in mix.iter().enumerate() {
        let part = if i + 1 == mix.len() {
            total.saturating_sub(assigned)
        } else {
            total * share / 10_000
        };
        assigned += part;
        amounts = amounts.with(route, kg(part)?);
    }
    Ok(amounts)
}

impl LedgerTable {
    fn figures(&self, q: usize) -> Result<LedgerFigures, DemoDataError> {
        let at = |values: &[u64; 7]| values.get(q).copied().unwrap_or(0);
        let q_number = u64::try_from(q).unwrap_or(0);
        let generated = at(&self.generated_t) * 1_000 + (q_number * 389 + self.salt * 617) % 1_000;
        let utilized = generated * at(&self.rate_bp) / 10_000;
        let mix = if q < 4 { self.mix_2025 } else { self.mix_2026 };
        let disposed = at(&self.disposed_new_t) * 1_000;
        let mut from_stock = RouteAmounts::new();
        for (route, tonnes) in self.from_stock_t {
            from_stock = from_stock.with(*route, kg(at(tonnes) * 1_000)?);
        }
        Ok(LedgerFigures {
            generated: kg(generated)?,
            utilized_from_new: split(utilized, mix)?,
            disposed_from_new: kg(disposed)?,
            stored_new: kg(generated)?
                .checked_sub(kg(utilized)?)?
                .checked_sub(kg(disposed)?)?,
            utilized_from_stock: from_stock,
            disposed_from_stock: Kg::ZERO,
        })
    }

    fn recorded_on(&self, q: usize, period: Period) -> Result<NaiveDate, DemoDataError> {
        match self.late {
            Some((late_q, on)) if late_q == q => Ok(on),
            _ => after(period.end(), self.recorded_after_days),
        }
    }
}

pub(super) fn tell(s: &mut Story) -> Result<(), DemoDataError> {
    for table in &TABLES {
        for (q, &(year, number)) in QUARTERS.iter().enumerate() {
            let period = quarter(year, number)?;
            s.enterprise(
                table.actor,
                table.id,
                EnterpriseCommand::RecordLedger {
                    period,
                    figures: table.figures(q)?,
                    today: table.recorded_on(q, period)?,
                },
            );
        }
    }
    corrections(s)
}

/// The recorded figures of quarter `q` of the refinery `id`.
fn recorded(id: Uuid, q: usize) -> Result<LedgerFigures, DemoDataError> {
    match TABLES.iter().find(|table| table.id == id) {
        Some(table) => table.figures(q),
        None => Err(DemoDataError::UnknownAggregate {
            what: "ledger table of enterprise",
            id,
        }),
    }
}

fn corrections(s: &mut Story) -> Result<(), DemoDataError> {
    // 清镇 2025-Q2: 12 000 t counted as new were taken from the stockpile.
    let mut f = recorded(e::QINGZHEN_ALUMINA, 1)?;
    let moved = t!(12_000);
    let building = f.utilized_from_new.get(R::BuildingMaterials);
    f.utilized_from_new = f
        .utilized_from_new
        .with(R::BuildingMaterials, building.checked_sub(moved)?);
    f.stored_new = f.stored_new.checked_add(moved)?;
    f.utilized_from_stock = f.utilized_from_stock.with(R::BuildingMaterials, moved);
    s.enterprise_on(
        day!(2025, 7, 16),
        GUIYANG,
        e::QINGZHEN_ALUMINA,
        EnterpriseCommand::CorrectLedger {
            period: quarter(2025, 2)?,
            figures: f,
            reason: "经核查，本季度建材途径利用量中有1.2万吨取自历史堆存赤泥，原误计入利用当期新增赤泥，予以更正"
                .to_owned(),
        },
    );

    // 务川 2025-Q3: 6 800 t of backfill were missed by the weighbridge.
    let mut f = recorded(e::WUCHUAN_ALUMINA, 2)?;
    let missed = t!(6_800);
    let backfill = f.utilized_from_new.get(R::MineBackfill);
    f.utilized_from_new = f
        .utilized_from_new
        .with(R::MineBackfill, backfill.checked_add(missed)?);
    f.stored_new = f.stored_new.checked_sub(missed)?;
    s.enterprise_on(
        day!(2025, 10, 30),
        ZUNYI,
        e::WUCHUAN_ALUMINA,
        EnterpriseCommand::CorrectLedger {
            period: quarter(2025, 3)?,
            figures: f,
            reason: "地磅系统校准后复核：9月井下充填用赤泥少计6800吨，更正矿山充填回填利用量及新增贮存量"
                .to_owned(),
        },
    );

    // 凯里 2026-Q1: the belt scale under-weighed 3 200 t of red mud, all of it stored.
    let mut f = recorded(e::KAILI_ALUMINA, 4)?;
    let under = t!(3_200);
    f.generated = f.generated.checked_add(under)?;
    f.stored_new = f.stored_new.checked_add(under)?;
    s.enterprise_on(
        day!(2026, 4, 17),
        QIANDONGNAN,
        e::KAILI_ALUMINA,
        EnterpriseCommand::CorrectLedger {
            period: quarter(2026, 1)?,
            figures: f,
            reason: "压滤车间计量皮带秤校准，一季度赤泥产生量少计3200吨，更正产生量及新增贮存量"
                .to_owned(),
        },
    );
    Ok(())
}
