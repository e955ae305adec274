//! A province-sized generated history for benchmarks: `redmud demo --scale N`.
//!
//! Where [`crate::dataset`] tells a small, hand-written story, this module *generates* the history
//! of a whole province from 2025-01 to 2030-12 at a chosen size: at scale 1, **5,000 enterprises
//! and 20,000 projects, about 1,000,000 events** (issue 5's province-sized data set); scale 0.1 is
//! a tenth of that. Everything is deterministic: the same scale gives the same steps, with ids,
//! names, figures and dates derived from each thing's number by a fixed hash (no random source).
//!
//! What it contains, per thing (see [`ProvinceShape`] for the counts):
//!
//! - **Enterprises** in every prefecture's counties, registered in 2025-H1 by their region's
//!   bureau. One in fifty is an alumina refinery (in 贵阳, 遵义 or 黔东南) with a stock baseline
//!   and **monthly ledgers** until 2030-11 (utilization rising from about 8 % to about 30 %; one
//!   ledger in seventeen corrected two months later, after the region's report); the others are
//!   utilizers and downstream users that claim the **VAT immediate refund every quarter**
//!   (approved, one in fourteen rejected, one in thirty approved and later partly recovered) and,
//!   one in four, the income tax reduction every year. One in seven is granted a designation
//!   (one in ten of those revoked); one in five hundred is recommended as a typical case.
//! - **Projects** of every kind, proposed evenly from 2025-01 to 2030-07 and led by an enterprise
//!   of the region: approval, two or three funding awards paid in tranches as their conditions
//!   are met, construction, sixteen milestones (some achieved late, the last ones still open at
//!   the end), capacity commissioned, acceptance. One in twenty-five is never approved, one in
//!   twenty-five is cancelled during construction, one in thirty is suspended and resumed, one in
//!   fifty fails acceptance and has part of its central funding recovered; standards follow their
//!   own lifecycle to publication. Nothing happens after 2030-12-31.
//! - **Demonstration bases**, one per hundred enterprises, with twenty members, ten linked
//!   projects and yearly targets.
//! - **Regional plans**: yearly targets for the province and its nine prefectures, and each
//!   prefecture's quarterly report (figures: the sums of its refineries' ledgers as recorded by
//!   the 20th of the month after the quarter), accepted ten days later; one in eight returned
//!   first and resubmitted.
//!
//! The steps come month by month ([`Province::months`]), each month's steps in date order, so a
//! loader can commit one month at a time and a position between two months is "the end of that
//! month" for as-of reports.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate};
use redmud_domain::enterprise::TaxIncentiveClaim;
use redmud_domain::project::{StandardSpec, TrancheCondition, TrancheTerm};
use redmud_domain::regional_plan::{RegionalTargets, ReportFigures};
use redmud_domain::{
    BaseCommand, BaseKind, BasisPoints, DesignationKind, DesignationLevel, DownstreamSector,
    EnterpriseCommand, EnterpriseKind, Fen, FundingSource, Kg, LedgerFigures, Period, PlanTask,
    Prefecture, ProjectCommand, ProjectKind, ProjectProposal, Region, RegionalPlanCommand,
    RouteAmounts, StandardScope, StandardType, Uscc, UtilizationRoute, Uuid, rules,
    uscc_check_character,
};

use crate::{DemoCommand, DemoDataError, DemoStep};

/// How many things a scale makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProvinceShape {
    /// Enterprises (企业); every fiftieth an alumina refinery.
    pub enterprises: u32,
    /// Projects (项目).
    pub projects: u32,
}

impl ProvinceShape {
    /// The shape at `scale` (1.0: 5,000 enterprises and 20,000 projects); at least 50 enterprises
    /// (one refinery) and 10 projects.
    pub fn at(scale: f64) -> Self {
        let of = |n: f64, min: u32| -> u32 {
            let wanted = (n * scale).round();
            if wanted.is_finite() && wanted >= f64::from(min) {
                wanted.min(f64::from(u32::MAX / 2)) as u32
            } else {
                min
            }
        };
        Self {
            enterprises: of(5_000.0, 50),
            projects: of(20_000.0, 10),
        }
    }

    /// Demonstration bases: one per hundred enterprises, at least one.
    pub fn bases(self) -> u32 {
        (self.enterprises / 100).max(1)
    }

    fn refineries(self) -> u32 {
        self.enterprises.div_ceil(REFINERY_EVERY)
    }
}

/// The first and last day of the generated history.
pub const START: NaiveDate = crate::assemble::date(2025, 1, 1);
/// See [`START`].
pub const END: NaiveDate = crate::assemble::date(2030, 12, 31);

/// The bureau account of each prefecture (the demo's three and six more, see
/// [`extra_accounts`]).
pub fn bureau_of(prefecture: Prefecture) -> &'static str {
    match prefecture {
        Prefecture::Guiyang => "guiyang",
        Prefecture::Liupanshui => "liupanshui",
        Prefecture::Zunyi => "zunyi",
        Prefecture::Anshun => "anshun",
        Prefecture::Bijie => "bijie",
        Prefecture::Tongren => "tongren",
        Prefecture::Qianxinan => "qianxinan",
        Prefecture::Qiandongnan => "qiandongnan",
        Prefecture::Qiannan => "qiannan",
    }
}

/// The bureau accounts the generated history needs besides [`crate::accounts`].
pub fn extra_accounts() -> Vec<crate::DemoAccount> {
    Prefecture::ALL
        .into_iter()
        .filter(|p| {
            !matches!(
                p,
                Prefecture::Guiyang | Prefecture::Zunyi | Prefecture::Qiandongnan
            )
        })
        .map(|p| crate::DemoAccount {
            username: bureau_of(p),
            display_name: p.short_name_zh(),
            role: "bureau",
            region: Some(region_code_text(p)),
            organisation: p.name_zh(),
        })
        .collect()
}

fn region_code_text(p: Prefecture) -> &'static str {
    match p {
        Prefecture::Guiyang => "520100",
        Prefecture::Liupanshui => "520200",
        Prefecture::Zunyi => "520300",
        Prefecture::Anshun => "520400",
        Prefecture::Bijie => "520500",
        Prefecture::Tongren => "520600",
        Prefecture::Qianxinan => "522300",
        Prefecture::Qiandongnan => "522600",
        Prefecture::Qiannan => "522700",
    }
}

const PROVINCE: &str = "province";
const FINANCE: &str = "finance";
const REFINERY_EVERY: u32 = 50;
const MILESTONES: u32 = 16;
const RED_MUD_PREFECTURES: [Prefecture; 3] = [
    Prefecture::Guiyang,
    Prefecture::Zunyi,
    Prefecture::Qiandongnan,
];

/// Ids of generated things: `5ca1e000-00CC-8000-8000-NNNNNNNNNNNN` ("scale"), kind `CC` as in
/// [`crate::ids`], so they never meet the hand-written demo's `dea…` ids.
fn scale_id(kind: u8, number: u64) -> Uuid {
    Uuid::from_u128(
        0x5ca1_e000_0000_8000_8000_0000_0000_0000
            | ((kind as u128) << 80)
            | (number as u128 & 0xffff_ffff_ffff),
    )
}

/// A fixed hash of two numbers (splitmix64 of their mix): the generator's only source of
/// variety.
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add(b)
        .wrapping_add(0x632b_e59b_d9b4_e019);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `mix(a, b)` in `0..n`.
fn pick(a: u64, b: u64, n: u64) -> u64 {
    mix(a, b) % n.max(1)
}

fn days_after(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(END)
}

fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate, DemoDataError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DemoDataError::DateOutOfRange {
        from: START,
        days: 0,
    })
}

fn kg(tonnes: u64) -> Result<Kg, DemoDataError> {
    Ok(Kg::new(tonnes * 1_000)?)
}

fn yuan(y: u64) -> Result<Fen, DemoDataError> {
    Ok(Fen::new(y * 100)?)
}

fn bp(n: u16) -> Result<BasisPoints, DemoDataError> {
    Ok(BasisPoints::new(n)?)
}

/// The month after `date`'s month, day `day`.
fn next_month_day(date: NaiveDate, day: u32) -> Result<NaiveDate, DemoDataError> {
    let (y, m) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    self::date(y, m, day)
}

/// A funding award of a project: source, programme, percent of the budget and tranches (share in
/// basis points, condition).
type Award = (
    FundingSource,
    &'static str,
    u64,
    Vec<(u16, TrancheCondition)>,
);

/// One generated enterprise.
#[derive(Debug, Clone)]
struct Firm {
    id: Uuid,
    prefecture: Prefecture,
    region: Region,
    refinery: bool,
    registered_on: NaiveDate,
}

/// What a refinery's ledger adds to its region's report.
#[derive(Debug, Default)]
struct Quarter {
    figures: Vec<LedgerFigures>,
    enterprises: BTreeSet<Uuid>,
    capacity: u64,
    demonstrations: u32,
}

/// The generated history: its steps, month by month.
#[derive(Debug)]
pub struct Province {
    shape: ProvinceShape,
    months: BTreeMap<(i32, u32), Vec<DemoStep>>,
}

impl Province {
    /// Generates the whole history of `shape` (about 1 KB of memory per event until it is taken
    /// by [`Province::months`]).
    pub fn generate(shape: ProvinceShape) -> Result<Self, DemoDataError> {
        let mut g = Generator {
            shape,
            months: BTreeMap::new(),
            quarters: BTreeMap::new(),
            firms: Vec::new(),
        };
        g.enterprises()?;
        g.projects()?;
        g.bases()?;
        g.plans()?;
        Ok(Self {
            shape,
            months: g.months,
        })
    }

    /// The shape it was generated at.
    pub fn shape(&self) -> ProvinceShape {
        self.shape
    }

    /// The number of steps (commands).
    pub fn steps(&self) -> usize {
        self.months.values().map(Vec::len).sum()
    }

    /// The steps month by month, in date order within each month: (first day of the month,
    /// steps).
    pub fn months(self) -> impl Iterator<Item = (NaiveDate, Vec<DemoStep>)> {
        self.months.into_iter().filter_map(|((y, m), mut steps)| {
            steps.sort_by_key(|s| s.on);
            NaiveDate::from_ymd_opt(y, m, 1).map(|first| (first, steps))
        })
    }
}

struct Generator {
    shape: ProvinceShape,
    months: BTreeMap<(i32, u32), Vec<DemoStep>>,
    /// (prefecture, year, quarter) → what its report sums.
    quarters: BTreeMap<(Prefecture, i32, u32), Quarter>,
    firms: Vec<Firm>,
}

impl Generator {
    /// A step on `on` (dropped when after [`END`]).
    fn push(&mut self, on: NaiveDate, actor: &'static str, command: DemoCommand) {
        if on > END {
            return;
        }
        let reason = command.reason().map(str::to_owned);
        self.months
            .entry((on.year(), on.month()))
            .or_default()
            .push(DemoStep {
                on,
                actor,
                reason,
                command,
            });
    }

    fn enterprise(&mut self, on: NaiveDate, actor: &'static str, id: Uuid, c: EnterpriseCommand) {
        self.push(on, actor, DemoCommand::Enterprise { id, command: c });
    }

    fn project(&mut self, on: NaiveDate, actor: &'static str, id: Uuid, c: ProjectCommand) {
        self.push(on, actor, DemoCommand::Project { id, command: c });
    }

    fn quarter_of(&mut self, p: Prefecture, on: NaiveDate) -> &mut Quarter {
        let q = (on.month() - 1) / 3 + 1;
        self.quarters.entry((p, on.year(), q)).or_default()
    }

    // ----- enterprises -------------------------------------------------------------------------

    fn enterprises(&mut self) -> Result<(), DemoDataError> {
        for i in 0..u64::from(self.shape.enterprises) {
            let refinery = i % u64::from(REFINERY_EVERY) == 0;
            let prefecture = if refinery {
                RED_MUD_PREFECTURES[((i / u64::from(REFINERY_EVERY)) % 3) as usize]
            } else {
                Prefecture::ALL[pick(i, 1, 9) as usize]
            };
            let county = prefecture.code() + 1 + pick(i, 2, 12) as u32;
            let region = Region::from_code(county).map_err(|error| DemoDataError::Region {
                code: county,
                error,
            })?;
            let firm = Firm {
                id: scale_id(crate::ids::ENTERPRISE, i),
                prefecture,
                region,
                refinery,
                registered_on: days_after(date(2025, 1, 6)?, i % 150),
            };
            self.register(i, &firm)?;
            if refinery {
                self.refinery(i, &firm)?;
            } else {
                self.claims(i, &firm)?;
            }
            self.designation(i, &firm)?;
            self.firms.push(firm);
        }
        Ok(())
    }

    fn register(&mut self, i: u64, firm: &Firm) -> Result<(), DemoDataError> {
        let kind = if firm.refinery {
            EnterpriseKind::AluminaRefinery
        } else {
            match pick(i, 3, 4) {
                0 | 1 => EnterpriseKind::RedMudUtilizer,
                _ => EnterpriseKind::DownstreamUser(
                    DownstreamSector::ALL[pick(i, 4, DownstreamSector::ALL.len() as u64) as usize],
                ),
            }
        };
        let what = if firm.refinery {
            "氧化铝"
        } else {
            "赤泥综合利用"
        };
        let first17 = format!("91{}{:09}", firm.region, 300_000_000 + i);
        let check = uscc_check_character(&first17).unwrap_or('0');
        let text = format!("{first17}{check}");
        let uscc = Uscc::parse(&text).map_err(|error| DemoDataError::Uscc {
            text: "generated",
            error,
        })?;
        let actor = bureau_of(firm.prefecture);
        self.enterprise(
            firm.registered_on,
            actor,
            firm.id,
            EnterpriseCommand::Register {
                enterprise_id: firm.id,
                name: format!(
                    "贵州{}{}{what}有限公司（{:05}）",
                    firm.prefecture.short_name_zh(),
                    ["黔", "筑", "遵", "凯", "安", "毕", "铜", "兴", "都"][pick(i, 5, 9) as usize],
                    i
                ),
                uscc,
                region: firm.region,
                kinds: BTreeSet::from([kind]),
                registered_on: firm.registered_on,
            },
        );
        Ok(())
    }

    /// A refinery's stock baseline and monthly ledgers (with corrections).
    fn refinery(&mut self, i: u64, firm: &Firm) -> Result<(), DemoDataError> {
        let actor = bureau_of(firm.prefecture);
        // 0.6–1.8 Mt of alumina a year ≈ 70–210 kt of red mud a month.
        let monthly_t = 70_000 + pick(i, 10, 140_000);
        let stock_t = 2_000_000 + pick(i, 11, 8_000_000);
        self.enterprise(
            firm.registered_on,
            actor,
            firm.id,
            EnterpriseCommand::DeclareStockBaseline {
                as_of: date(2024, 12, 31)?,
                stock: kg(stock_t)?,
            },
        );
        let routes = [
            UtilizationRoute::Cement,
            UtilizationRoute::BuildingMaterials,
            UtilizationRoute::RoadBase,
            UtilizationRoute::MineBackfill,
        ];
        let (first, second) = (
            routes[pick(i, 12, 4) as usize],
            routes[(pick(i, 12, 4) as usize + 1 + pick(i, 13, 3) as usize) % 4],
        );
        let mut month = date(firm.registered_on.year(), firm.registered_on.month(), 1)?;
        let mut n: u64 = 0;
        loop {
            let today = next_month_day(month, 8)?;
            if today > END {
                break;
            }
            let period = Period::month(i64::from(month.year()), month.month())?;
            let elapsed = u64::from((month.year() - 2025) as u32 * 12 + month.month() - 1);
            let generated_t = monthly_t * (95 + pick(i ^ n, 14, 11)) / 100;
            let rate_bp = 800 + elapsed * 30 + pick(i ^ n, 15, 200);
            let utilized_t = generated_t * rate_bp / 10_000;
            let disposed_t = generated_t * 5 / 100;
            let stored_t = generated_t - utilized_t - disposed_t;
            let figures = |utilized: u64| -> Result<LedgerFigures, DemoDataError> {
                let on_first = utilized * 3 / 5;
                Ok(LedgerFigures {
                    generated: kg(generated_t)?,
                    utilized_from_new: RouteAmounts::new()
                        .with(first, kg(on_first)?)
                        .with(second, kg(utilized_t.min(utilized) - on_first)?),
                    disposed_from_new: kg(disposed_t)?,
                    stored_new: kg(stored_t + utilized_t - utilized_t.min(utilized))?,
                    utilized_from_stock: RouteAmounts::new().with(first, kg(500)?),
                    disposed_from_stock: Kg::ZERO,
                })
            };
            let recorded = figures(utilized_t)?;
            self.enterprise(
                today,
                actor,
                firm.id,
                EnterpriseCommand::RecordLedger {
                    period,
                    figures: recorded.clone(),
                    today,
                },
            );
            let q = self.quarter_of(firm.prefecture, month);
            q.figures.push(recorded);
            q.enterprises.insert(firm.id);
            if pick(i ^ n, 16, 17) == 0 {
                // Corrected 100 days later (after the region's report): less utilized.
                let on = days_after(today, 100);
                self.enterprise(
                    on,
                    actor,
                    firm.id,
                    EnterpriseCommand::CorrectLedger {
                        period,
                        figures: figures(utilized_t * 9 / 10)?,
                        reason: format!("{period} 综合利用量经核查下调（抽查复核）"),
                    },
                );
            }
            month = next_month_day(month, 1)?;
            n += 1;
        }
        Ok(())
    }

    /// An enterprise's quarterly VAT refund claims and yearly income tax reductions.
    fn claims(&mut self, i: u64, firm: &Firm) -> Result<(), DemoDataError> {
        let mut quarter_end = last_day_of_quarter(firm.registered_on)?;
        let mut k: u64 = 0;
        let rate = bp(7_000)?;
        while quarter_end < END {
            let claimed_on = days_after(quarter_end, 15);
            let period = Period::quarter(
                i64::from(quarter_end.year()),
                (quarter_end.month() - 1) / 3 + 1,
            )?;
            let vat_paid = yuan(200_000 + pick(i ^ k, 20, 1_800_000))?;
            self.claim(
                i,
                k,
                firm,
                period,
                TaxIncentiveClaim::VatImmediateRefund {
                    vat_paid,
                    refund_rate: rate,
                    refund: rules::max_vat_refund(vat_paid, rate),
                },
                claimed_on,
            )?;
            k += 1;
            if quarter_end.month() == 12 && i % 4 == 1 {
                let income = yuan(5_000_000 + pick(i ^ k, 21, 40_000_000))?;
                self.claim(
                    i,
                    k,
                    firm,
                    Period::year(i64::from(quarter_end.year()))?,
                    TaxIncentiveClaim::IncomeTaxReduction {
                        qualifying_income: income,
                        reduction: rules::max_income_reduction(income),
                    },
                    days_after(quarter_end, 60),
                )?;
                k += 1;
            }
            quarter_end = last_day_of_quarter(days_after(quarter_end, 1))?;
        }
        Ok(())
    }

    fn claim(
        &mut self,
        i: u64,
        k: u64,
        firm: &Firm,
        period: Period,
        claim: TaxIncentiveClaim,
        claimed_on: NaiveDate,
    ) -> Result<(), DemoDataError> {
        let claim_id = scale_id(crate::ids::CLAIM, i << 16 | k);
        let amount = match &claim {
            TaxIncentiveClaim::VatImmediateRefund { refund, .. } => *refund,
            TaxIncentiveClaim::EnvironmentalTaxExemption { exemption, .. } => *exemption,
            TaxIncentiveClaim::IncomeTaxReduction { reduction, .. } => *reduction,
        };
        self.enterprise(
            claimed_on,
            FINANCE,
            firm.id,
            EnterpriseCommand::ClaimTaxIncentive {
                claim_id,
                period,
                claim,
                claimed_on,
            },
        );
        let decided_on = days_after(claimed_on, 20 + pick(i ^ k, 22, 20));
        if pick(i ^ k, 23, 14) == 0 {
            self.enterprise(
                decided_on,
                FINANCE,
                firm.id,
                EnterpriseCommand::RejectTaxIncentive {
                    claim_id,
                    decided_on,
                    reason: "申报资料与台账不符，不予退税".into(),
                },
            );
            return Ok(());
        }
        self.enterprise(
            decided_on,
            FINANCE,
            firm.id,
            EnterpriseCommand::ApproveTaxIncentive {
                claim_id,
                approved: amount,
                decided_on,
            },
        );
        if pick(i ^ k, 24, 30) == 0 {
            let recovered_on = days_after(decided_on, 120);
            self.enterprise(
                recovered_on,
                FINANCE,
                firm.id,
                EnterpriseCommand::RecoverTaxIncentive {
                    claim_id,
                    amount: Fen::new(amount.fen() / 3)?,
                    recovered_on,
                    reason: "资源综合利用产品比例未达标，追回部分退税".into(),
                },
            );
        }
        Ok(())
    }

    fn designation(&mut self, i: u64, firm: &Firm) -> Result<(), DemoDataError> {
        if i % 7 == 3 {
            let designation =
                DesignationKind::ALL[pick(i, 30, DesignationKind::ALL.len() as u64) as usize];
            let granted_on = days_after(firm.registered_on, 60 + pick(i, 31, 700));
            self.enterprise(
                granted_on,
                PROVINCE,
                firm.id,
                EnterpriseCommand::GrantDesignation {
                    designation,
                    granted_on,
                    document: format!("黔工信认〔{}〕{}号", granted_on.year(), i % 997 + 1),
                    valid_until: None,
                },
            );
            if pick(i, 32, 10) == 0 {
                let revoked_on = days_after(granted_on, 300 + pick(i, 33, 400));
                self.enterprise(
                    revoked_on,
                    PROVINCE,
                    firm.id,
                    EnterpriseCommand::RevokeDesignation {
                        designation,
                        revoked_on,
                        reason: "复核不合格，撤销认定".into(),
                    },
                );
            }
        }
        if i % 500 == 7 {
            let recommended_on = days_after(firm.registered_on, 400);
            self.enterprise(
                recommended_on,
                PROVINCE,
                firm.id,
                EnterpriseCommand::RecommendTypicalCase {
                    recommended_on,
                    summary: "赤泥综合利用规模化应用，形成可复制推广的经验".into(),
                },
            );
        }
        Ok(())
    }

    // ----- projects ----------------------------------------------------------------------------

    fn projects(&mut self) -> Result<(), DemoDataError> {
        let projects = u64::from(self.shape.projects);
        let span = (date(2030, 7, 1)? - date(2025, 1, 10)?).num_days() as u64;
        for j in 0..projects {
            let proposed_on = days_after(date(2025, 1, 10)?, j * span / projects.max(1));
            let kind = match pick(j, 40, 100) {
                0 => ProjectKind::NewOrExpandedAlumina,
                1..=2 => ProjectKind::Standard,
                3..=7 => ProjectKind::ResearchAndDevelopment,
                8..=17 => ProjectKind::IndustrializationDemonstration,
                18..=22 => ProjectKind::SourceReduction,
                23..=27 => ProjectKind::InnovationPlatform,
                _ => ProjectKind::UtilizationCapacity,
            };
            let lead = if kind == ProjectKind::NewOrExpandedAlumina {
                (pick(j, 41, u64::from(self.shape.refineries())) * u64::from(REFINERY_EVERY))
                    .min(self.firms.len() as u64 - 1)
            } else {
                pick(j, 41, self.firms.len() as u64)
            };
            let firm = self.firms[lead as usize].clone();
            // A lead registered later than the proposal: propose after the registration.
            let proposed_on = proposed_on.max(days_after(firm.registered_on, 1));
            if kind == ProjectKind::Standard {
                self.standard(j, &firm, proposed_on)?;
            } else {
                self.construction(j, kind, &firm, proposed_on)?;
            }
        }
        Ok(())
    }

    fn proposal(
        &self,
        j: u64,
        kind: ProjectKind,
        firm: &Firm,
    ) -> Result<ProjectProposal, DemoDataError> {
        let builds = kind.builds_capacity();
        let routes = if builds {
            let all = UtilizationRoute::ALL;
            let a = pick(j, 50, all.len() as u64) as usize;
            BTreeSet::from([all[a], all[(a + 1) % all.len()]])
        } else {
            BTreeSet::new()
        };
        let capacity_t = if builds {
            50_000 + pick(j, 51, 450_000)
        } else {
            0
        };
        let task = match kind {
            ProjectKind::SourceReduction => PlanTask::SourceReduction,
            ProjectKind::ResearchAndDevelopment | ProjectKind::InnovationPlatform => {
                PlanTask::TechnologyInnovation
            }
            ProjectKind::NewOrExpandedAlumina => PlanTask::IndustrialSynergy,
            ProjectKind::Standard => PlanTask::Usability,
            _ => PlanTask::UtilizationScale,
        };
        let matching_capacity = if kind == ProjectKind::NewOrExpandedAlumina {
            let expected = 300_000 + pick(j, 52, 700_000);
            // One in three lacks matching capacity (产用挂钩 gap).
            let covered = if pick(j, 53, 3) == 0 {
                expected / 2
            } else {
                expected
            };
            Some(redmud_domain::MatchingCapacity {
                expected_red_mud_per_year: kg(expected)?,
                owned_capacity_per_year: kg(covered / 2)?,
                contracted_capacity_per_year: kg(covered - covered / 2)?,
            })
        } else {
            None
        };
        let standard = (kind == ProjectKind::Standard).then(|| StandardSpec {
            standard_type: StandardType::ALL[pick(j, 54, StandardType::ALL.len() as u64) as usize],
            drafting_body: "贵州省赤泥综合利用产业技术创新战略联盟".into(),
            scope: StandardScope::ALL[pick(j, 55, StandardScope::ALL.len() as u64) as usize],
        });
        Ok(ProjectProposal {
            name: format!(
                "{}{}项目（{:05}）",
                firm.prefecture.short_name_zh(),
                kind.name_zh(),
                j
            ),
            kind,
            task,
            lead_enterprise_id: firm.id,
            region: firm.region,
            routes,
            planned_capacity_per_year: kg(capacity_t)?,
            budget: yuan(5_000_000 + pick(j, 56, 195_000_000))?,
            responsible_units: vec!["省工业和信息化厅".into()],
            planned_start: date(2025, 1, 1)?,
            planned_end: date(2031, 12, 31)?,
            matching_capacity,
            standard,
        })
    }

    /// Project `j` proposed by its region's bureau: its id and proposal.
    fn propose(
        &mut self,
        j: u64,
        kind: ProjectKind,
        firm: &Firm,
        proposed_on: NaiveDate,
    ) -> Result<(Uuid, ProjectProposal), DemoDataError> {
        let id = scale_id(crate::ids::PROJECT, j);
        let proposal = self.proposal(j, kind, firm)?;
        self.project(
            proposed_on,
            bureau_of(firm.prefecture),
            id,
            ProjectCommand::ProposeProject {
                project_id: id,
                proposal: proposal.clone(),
                proposed_on,
            },
        );
        Ok((id, proposal))
    }

    fn standard(
        &mut self,
        j: u64,
        firm: &Firm,
        proposed_on: NaiveDate,
    ) -> Result<(), DemoDataError> {
        let (id, _) = self.propose(j, ProjectKind::Standard, firm, proposed_on)?;
        let opened_on = days_after(proposed_on, 90);
        self.project(
            opened_on,
            PROVINCE,
            id,
            ProjectCommand::OpenConsultation { opened_on },
        );
        let approved_on = days_after(opened_on, 60);
        self.project(
            approved_on,
            PROVINCE,
            id,
            ProjectCommand::ApproveStandard {
                approved_on,
                document: format!("黔市监标〔{}〕{}号", approved_on.year(), j % 97 + 1),
            },
        );
        let published_on = days_after(approved_on, 45);
        self.project(
            published_on,
            PROVINCE,
            id,
            ProjectCommand::PublishStandard {
                published_on,
                number: format!("T/GZRM {:04}—{}", j % 9_999 + 1, published_on.year()),
            },
        );
        Ok(())
    }

    fn construction(
        &mut self,
        j: u64,
        kind: ProjectKind,
        firm: &Firm,
        proposed_on: NaiveDate,
    ) -> Result<(), DemoDataError> {
        let actor = bureau_of(firm.prefecture);
        let (id, proposal) = self.propose(j, kind, firm, proposed_on)?;
        let (budget, capacity) = (proposal.budget, proposal.planned_capacity_per_year);
        if pick(j, 60, 25) == 0 {
            return Ok(()); // never approved
        }
        let approved_on = days_after(proposed_on, 30 + pick(j, 61, 30));
        self.project(
            approved_on,
            PROVINCE,
            id,
            ProjectCommand::ApproveProject {
                approved_on,
                document: format!("黔发改投资〔{}〕{}号", approved_on.year(), j % 999 + 1),
            },
        );
        let started_on = days_after(approved_on, 45);
        let milestone = |k: u32| scale_id(crate::ids::MILESTONE, j << 8 | u64::from(k));
        let planned = |k: u32| days_after(started_on, 40 * u64::from(k));
        let achieved = |k: u32| {
            days_after(
                planned(k),
                pick(j ^ u64::from(k), 62, 50).saturating_sub(10),
            )
        };
        let cancelled = pick(j, 63, 25) == 0;
        let cancelled_on = days_after(started_on, 120);
        let suspended = !cancelled && pick(j, 64, 30) == 0;
        let delay = if suspended { 90 } else { 0 };
        let commissioned_on = days_after(started_on, 40 * u64::from(MILESTONES) + 30 + delay);
        let accepted_on = days_after(commissioned_on, 90);
        let fails = pick(j, 65, 50) == 0;

        // Awards: central budget investment (20 %: approval, start, commissioning), provincial
        // special funds (10 %: approval, the sixth milestone) and, for one in three, municipal
        // funds (5 % at the start).
        let mut awards: Vec<Award> = vec![
            (
                FundingSource::CentralBudgetInvestment,
                "资源节约和环境保护中央预算内投资",
                20,
                vec![
                    (3_000, TrancheCondition::Approval),
                    (4_000, TrancheCondition::ConstructionStarted),
                    (3_000, TrancheCondition::Commissioned),
                ],
            ),
            (
                FundingSource::ProvincialSpecialFunds,
                "省级工业和信息化发展专项资金",
                10,
                vec![
                    (5_000, TrancheCondition::Approval),
                    (
                        5_000,
                        TrancheCondition::MilestoneAchieved {
                            milestone_id: milestone(6),
                        },
                    ),
                ],
            ),
        ];
        if j.is_multiple_of(3) {
            awards.push((
                FundingSource::MunicipalFunds,
                "市级工业发展资金",
                5,
                vec![(10_000, TrancheCondition::ConstructionStarted)],
            ));
        }
        let mut disbursements: Vec<(NaiveDate, Uuid, u32)> = Vec::new();
        for (a, (source, programme, percent, tranches)) in awards.into_iter().enumerate() {
            // An award conditioned on a milestone comes after the milestones are planned.
            let on_milestone = tranches
                .iter()
                .any(|(_, c)| matches!(c, TrancheCondition::MilestoneAchieved { .. }));
            let awarded_on = if on_milestone {
                days_after(started_on, 5)
            } else {
                days_after(approved_on, 10)
            };
            let award_id = scale_id(crate::ids::AWARD, j << 8 | a as u64);
            let amount = Fen::new(budget.fen() / 100 * percent)?;
            let shares = tranches
                .iter()
                .map(|(share, _)| bp(*share))
                .collect::<Result<Vec<_>, _>>()?;
            let amounts = rules::tranche_amounts(amount, &shares)?;
            for (t, (_, condition)) in tranches.iter().enumerate() {
                let met = match condition {
                    TrancheCondition::Approval => Some(awarded_on),
                    TrancheCondition::ConstructionStarted => Some(started_on),
                    TrancheCondition::MilestoneAchieved { .. } => (!cancelled).then(|| achieved(6)),
                    TrancheCondition::Commissioned => (!cancelled).then_some(commissioned_on),
                    TrancheCondition::Accepted => (!cancelled && !fails).then_some(accepted_on),
                };
                if let Some(met) = met {
                    disbursements.push((
                        days_after(met.max(awarded_on), 15),
                        award_id,
                        t as u32 + 1,
                    ));
                }
            }
            self.project(
                awarded_on,
                FINANCE,
                id,
                ProjectCommand::AwardFunding {
                    award_id,
                    source,
                    programme: programme.into(),
                    amount,
                    tranches: tranches
                        .into_iter()
                        .zip(amounts)
                        .map(|((_, condition), amount)| TrancheTerm { condition, amount })
                        .collect(),
                    awarded_on,
                },
            );
        }
        for (disbursed_on, award_id, tranche) in disbursements {
            if cancelled && disbursed_on >= cancelled_on {
                continue;
            }
            self.project(
                disbursed_on,
                FINANCE,
                id,
                ProjectCommand::DisburseTranche {
                    award_id,
                    tranche,
                    disbursed_on,
                },
            );
        }
        self.project(
            started_on,
            actor,
            id,
            ProjectCommand::StartConstruction { started_on },
        );
        for k in 1..=MILESTONES {
            self.project(
                started_on,
                actor,
                id,
                ProjectCommand::PlanMilestone {
                    milestone_id: milestone(k),
                    name: format!("第{k}阶段节点"),
                    planned_on: planned(k),
                },
            );
        }
        if suspended {
            let suspended_on = days_after(started_on, 60);
            self.project(
                suspended_on,
                PROVINCE,
                id,
                ProjectCommand::SuspendProject {
                    suspended_on,
                    reason: "环评批复调整，暂停施工".into(),
                },
            );
            let resumed_on = days_after(suspended_on, delay);
            self.project(
                resumed_on,
                PROVINCE,
                id,
                ProjectCommand::ResumeProject { resumed_on },
            );
        }
        for k in 1..=MILESTONES {
            let on = achieved(k);
            if cancelled && on >= cancelled_on {
                break;
            }
            let on = if suspended {
                on.max(days_after(started_on, 60 + delay + 1))
            } else {
                on
            };
            self.project(
                on,
                actor,
                id,
                ProjectCommand::AchieveMilestone {
                    milestone_id: milestone(k),
                    achieved_on: on,
                    evidence: format!("第{k}阶段验收记录"),
                },
            );
        }
        if cancelled {
            self.project(
                cancelled_on,
                PROVINCE,
                id,
                ProjectCommand::CancelProject {
                    cancelled_on,
                    reason: "企业资金链断裂，项目终止".into(),
                },
            );
            return Ok(());
        }
        // Projects that build no capacity commission zero once (their completion).
        self.project(
            commissioned_on,
            actor,
            id,
            ProjectCommand::CommissionCapacity {
                capacity_per_year: capacity,
                commissioned_on,
            },
        );
        if commissioned_on <= END {
            self.quarter_of(firm.prefecture, commissioned_on).capacity += capacity.kg();
        }
        if fails {
            self.project(
                accepted_on,
                PROVINCE,
                id,
                ProjectCommand::FailAcceptance {
                    failed_on: accepted_on,
                    reason: "产能未达设计要求，验收不合格".into(),
                },
            );
            let recovered_on = days_after(accepted_on, 30);
            self.project(
                recovered_on,
                FINANCE,
                id,
                ProjectCommand::RecoverFunding {
                    award_id: scale_id(crate::ids::AWARD, j << 8),
                    amount: Fen::new(budget.fen() / 100 * 20 * 3 / 10)?,
                    recovered_on,
                    reason: "验收不合格，收回中央预算内投资".into(),
                },
            );
        } else {
            self.project(
                accepted_on,
                PROVINCE,
                id,
                ProjectCommand::AcceptProject {
                    accepted_on,
                    document: format!("竣工验收意见（{}）", j),
                },
            );
            if kind == ProjectKind::IndustrializationDemonstration && accepted_on <= END {
                self.quarter_of(firm.prefecture, accepted_on).demonstrations += 1;
            }
        }
        Ok(())
    }

    // ----- bases -------------------------------------------------------------------------------

    fn bases(&mut self) -> Result<(), DemoDataError> {
        for b in 0..u64::from(self.shape.bases()) {
            let id = scale_id(crate::ids::BASE, b);
            let prefecture = Prefecture::ALL[(b % 9) as usize];
            let designated_on = days_after(date(2025, 7, 1)?, b * 7 % 300);
            let region =
                Region::from_code(prefecture.code()).map_err(|error| DemoDataError::Region {
                    code: prefecture.code(),
                    error,
                })?;
            let kind = BaseKind::ALL[(b % BaseKind::ALL.len() as u64) as usize];
            let level = if b % 4 == 0 {
                DesignationLevel::National
            } else {
                DesignationLevel::Provincial
            };
            self.push(
                designated_on,
                PROVINCE,
                DemoCommand::Base {
                    id,
                    command: BaseCommand::DesignateBase {
                        base_id: id,
                        name: format!(
                            "{}{}（{:03}）",
                            prefecture.short_name_zh(),
                            kind.name_zh(),
                            b
                        ),
                        kind,
                        level,
                        region,
                        designated_on,
                        document: format!("黔工信节〔{}〕{}号", designated_on.year(), b + 1),
                    },
                },
            );
            let members: Vec<Uuid> = self
                .firms
                .iter()
                .filter(|f| f.prefecture == prefecture && f.registered_on < designated_on)
                .skip((b / 9) as usize * 20)
                .take(20)
                .map(|f| f.id)
                .collect();
            for (m, enterprise_id) in members.into_iter().enumerate() {
                let added_on = days_after(designated_on, 10 + m as u64);
                self.push(
                    added_on,
                    PROVINCE,
                    DemoCommand::Base {
                        id,
                        command: BaseCommand::AddMember {
                            enterprise_id,
                            added_on,
                        },
                    },
                );
            }
            for year in designated_on.year()..=2030 {
                let set_on = if year == designated_on.year() {
                    days_after(designated_on, 40)
                } else {
                    date(year, 1, 20)?
                };
                let t = 200_000 + pick(b, 70 + year as u64, 300_000);
                self.push(
                    set_on,
                    PROVINCE,
                    DemoCommand::Base {
                        id,
                        command: BaseCommand::SetYearTargets {
                            year: year as u16,
                            targets: redmud_domain::BaseTargets {
                                red_mud_utilized: kg(t)?,
                                phosphogypsum_co_utilized: kg(t / 2)?,
                                desulfurization_gypsum_co_utilized: Kg::ZERO,
                                fly_ash_co_utilized: kg(t / 4)?,
                            },
                            set_on,
                        },
                    },
                );
            }
        }
        Ok(())
    }

    // ----- regional plans ----------------------------------------------------------------------

    fn plans(&mut self) -> Result<(), DemoDataError> {
        let province = Region::from_code(520_000).map_err(|error| DemoDataError::Region {
            code: 520_000,
            error,
        })?;
        for year in 2025..=2030_i32 {
            let set_on = date(year, 1, 15)?;
            // The province line: the plan's goal rates (15 % by 2027, 25 % by 2030).
            let province_rate = match year {
                2025 => 1_000,
                2026 => 1_200,
                2027 => 1_500,
                2028 => 1_800,
                2029 => 2_100,
                _ => 2_500,
            };
            self.set_targets(province, None, year, province_rate, set_on)?;
            for p in Prefecture::ALL {
                let region =
                    Region::from_code(p.code()).map_err(|error| DemoDataError::Region {
                        code: p.code(),
                        error,
                    })?;
                self.set_targets(region, Some(p), year, province_rate, set_on)?;
                for q in 1..=4_u32 {
                    self.report(p, region, year, q)?;
                }
            }
        }
        Ok(())
    }

    fn set_targets(
        &mut self,
        region: Region,
        prefecture: Option<Prefecture>,
        year: i32,
        rate: u16,
        set_on: NaiveDate,
    ) -> Result<(), DemoDataError> {
        let plan_id = plan_id(region, year);
        let refineries = match prefecture {
            None => u64::from(self.shape.refineries()),
            Some(p) => self
                .firms
                .iter()
                .filter(|f| f.refinery && f.prefecture == p)
                .count() as u64,
        };
        let generated_t = refineries * 140_000 * 12;
        self.push(
            set_on,
            PROVINCE,
            DemoCommand::RegionalPlan {
                id: plan_id,
                command: RegionalPlanCommand::SetTargets {
                    plan_id,
                    region,
                    year: year as u16,
                    targets: RegionalTargets {
                        red_mud_to_utilize: kg(generated_t * u64::from(rate) / 10_000)?,
                        new_utilization_rate: bp(rate)?,
                        new_capacity_per_year: kg(refineries * 200_000 + 100_000)?,
                        demonstration_projects: (refineries as u32).max(1),
                        task: PlanTask::UtilizationScale,
                    },
                    set_on,
                },
            },
        );
        Ok(())
    }

    fn report(
        &mut self,
        p: Prefecture,
        region: Region,
        year: i32,
        q: u32,
    ) -> Result<(), DemoDataError> {
        let period = Period::quarter(i64::from(year), q)?;
        let submitted_on = next_month_day(period.end(), 20)?;
        let quarter = self.quarters.remove(&(p, year, q)).unwrap_or_default();
        let ledger = LedgerFigures::sum(quarter.figures.iter())?;
        let figures = ReportFigures {
            ledger,
            capacity_commissioned_per_year: Kg::new(quarter.capacity)?,
            demonstration_projects_completed: quarter.demonstrations,
            enterprises_reporting: quarter.enterprises.len() as u32,
        };
        let plan_id = plan_id(region, year);
        let actor = bureau_of(p);
        let submit = |submitted_on| DemoCommand::RegionalPlan {
            id: plan_id,
            command: RegionalPlanCommand::SubmitReport {
                period,
                figures: figures.clone(),
                summary: format!("{}{}赤泥综合利用情况报告", p.short_name_zh(), period),
                submitted_on,
            },
        };
        self.push(submitted_on, actor, submit(submitted_on));
        let mut decided_on = days_after(submitted_on, 10);
        if pick(u64::from(p.code()), (year as u64) << 4 | u64::from(q), 8) == 0 {
            self.push(
                decided_on,
                PROVINCE,
                DemoCommand::RegionalPlan {
                    id: plan_id,
                    command: RegionalPlanCommand::ReturnReport {
                        period,
                        returned_on: decided_on,
                        reason: "数据口径需与台账核对后重新报送".into(),
                    },
                },
            );
            let resubmitted_on = days_after(decided_on, 5);
            self.push(resubmitted_on, actor, submit(resubmitted_on));
            decided_on = days_after(resubmitted_on, 5);
        }
        self.push(
            decided_on,
            PROVINCE,
            DemoCommand::RegionalPlan {
                id: plan_id,
                command: RegionalPlanCommand::AcceptReport {
                    period,
                    accepted_on: decided_on,
                },
            },
        );
        Ok(())
    }
}

/// A regional plan's id: one per region and year.
fn plan_id(region: Region, year: i32) -> Uuid {
    scale_id(
        crate::ids::REGIONAL_PLAN,
        year as u64 * 1_000_000 + u64::from(region.code()),
    )
}

fn last_day_of_quarter(on: NaiveDate) -> Result<NaiveDate, DemoDataError> {
    let q = (on.month() - 1) / 3 + 1;
    Ok(Period::quarter(i64::from(on.year()), q)?.end())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::HashMap;

    use redmud_domain::{
        Aggregate, Base, Enterprise, Project, RegionalPlan, RegionalPlanCommand, execute,
    };

    use super::*;

    /// Every state the steps leave, by aggregate id.
    #[derive(Default)]
    struct World {
        enterprises: HashMap<Uuid, Enterprise>,
        projects: HashMap<Uuid, Project>,
        bases: HashMap<Uuid, Base>,
        plans: HashMap<Uuid, RegionalPlan>,
        events: usize,
    }

    fn run<A: Aggregate>(states: &mut HashMap<Uuid, A>, id: Uuid, c: &A::Command) -> usize
    where
        A::Error: std::fmt::Debug,
    {
        let state = states.entry(id).or_default();
        let (next, events) = execute(state, c).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        *state = next;
        events.len()
    }

    impl World {
        fn step(&mut self, step: &DemoStep) {
            self.events += match &step.command {
                DemoCommand::Enterprise { id, command } => run(&mut self.enterprises, *id, command),
                DemoCommand::Project { id, command } => run(&mut self.projects, *id, command),
                DemoCommand::Base { id, command } => run(&mut self.bases, *id, command),
                DemoCommand::RegionalPlan { id, command } => {
                    if let RegionalPlanCommand::SubmitReport {
                        period, figures, ..
                    } = command
                    {
                        self.check_report(*id, *period, figures);
                    }
                    run(&mut self.plans, *id, command)
                }
            };
        }

        /// A report's ledger figures are the sums of its region's refineries' ledgers as they
        /// stand at submission (what the hand-written demo computes from the states).
        fn check_report(&self, plan: Uuid, period: Period, figures: &ReportFigures) {
            let region = self.plans[&plan].region().unwrap();
            let ledgers: Vec<LedgerFigures> = self
                .enterprises
                .values()
                .filter(|e| e.region().is_some_and(|r| region.contains(r)))
                .filter(|e| e.ledger().keys().any(|p| period.contains(*p)))
                .map(|e| e.ledger_within(period).unwrap())
                .collect();
            assert_eq!(
                figures.ledger,
                LedgerFigures::sum(&ledgers).unwrap(),
                "{period}"
            );
            assert_eq!(figures.enterprises_reporting as usize, ledgers.len());
        }
    }

    #[test]
    fn every_step_of_a_small_province_is_accepted_by_the_domain() {
        let shape = ProvinceShape::at(0.02);
        assert_eq!(
            shape,
            ProvinceShape {
                enterprises: 100,
                projects: 400
            }
        );
        let province = Province::generate(shape).unwrap();
        let steps = province.steps();
        let mut world = World::default();
        let mut last = START;
        let mut count = 0;
        for (first, month) in province.months() {
            assert!(first >= last, "months in order");
            last = first;
            for step in &month {
                assert_eq!(
                    (step.on.year(), step.on.month()),
                    (first.year(), first.month())
                );
                assert!(step.on <= END);
                assert_eq!(step.reason.as_deref(), step.command.reason());
                world.step(step);
                count += 1;
            }
        }
        assert_eq!(count, steps);
        assert_eq!(world.enterprises.len(), 100);
        assert_eq!(world.projects.len(), 400);
        assert_eq!(world.bases.len(), 1);
        assert_eq!(world.plans.len(), 60);
        // About a fiftieth of the province's 1,000,000 (the plans and bases do not scale).
        assert!(
            (20_000..22_000).contains(&world.events),
            "{} events",
            world.events
        );
    }

    #[test]
    fn the_same_scale_gives_the_same_steps() {
        let a = Province::generate(ProvinceShape::at(0.01)).unwrap();
        let b = Province::generate(ProvinceShape::at(0.01)).unwrap();
        let a: Vec<_> = a.months().collect();
        let b: Vec<_> = b.months().collect();
        assert_eq!(a, b);
    }

    #[test]
    fn the_province_shape_is_the_issue_s() {
        assert_eq!(
            ProvinceShape::at(1.0),
            ProvinceShape {
                enterprises: 5_000,
                projects: 20_000
            }
        );
        assert_eq!(ProvinceShape::at(1.0).bases(), 50);
        assert_eq!(ProvinceShape::at(0.0).enterprises, 50);
    }
}
