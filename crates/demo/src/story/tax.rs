//! Tax incentives (综合利用税收优惠), all recorded by the finance officer: quarterly VAT immediate
//! refunds of the building materials and cement makers at the catalogue's 70 %, environmental
//! protection tax exemptions of the refineries at 25 yuan per tonne utilized (from the ledger),
//! and the 2025 corporate income tax reductions (income counted at 90 %).

use redmud_domain::enterprise::TaxIncentiveClaim;
use redmud_domain::{BasisPoints, EnterpriseCommand, Fen, Period, Uuid, rules};

use super::FINANCE;
use super::ledgers::QUARTERS;
use crate::DemoDataError;
use crate::assemble::{Story, after, day, quarter, yuan};
use crate::ids::{claim, enterprise as e};

/// The catalogue's refund rate for waste-residue building materials and cement: 70 %.
const VAT_REFUND_RATE: BasisPoints = BasisPoints::saturating(7_000);

fn vat_claim(vat_paid: Fen) -> TaxIncentiveClaim {
    TaxIncentiveClaim::VatImmediateRefund {
        vat_paid,
        refund_rate: VAT_REFUND_RATE,
        refund: rules::max_vat_refund(vat_paid, VAT_REFUND_RATE),
    }
}

fn claim_command(
    claim_id: Uuid,
    period: Period,
    claim: TaxIncentiveClaim,
    claimed_on: chrono::NaiveDate,
) -> EnterpriseCommand {
    EnterpriseCommand::ClaimTaxIncentive {
        claim_id,
        period,
        claim,
        claimed_on,
    }
}

pub(super) fn tell(s: &mut Story) -> Result<(), DemoDataError> {
    vat_refunds(s)?;
    environmental_tax(s)?;
    income_tax(s)
}

fn vat_refunds(s: &mut Story) -> Result<(), DemoDataError> {
    // 清镇赤泥新型建材: sales grow once the demonstration line runs (2026-Q2).
    let building_vat = [
        1_862_400, 2_015_300, 2_108_750, 2_236_900, 2_410_600, 3_582_100, 3_914_280,
    ];
    for (q, (&(year, number), vat_paid)) in QUARTERS.iter().zip(building_vat).enumerate() {
        let period = quarter(year, number)?;
        let id = claim(0x11, 0x1001 + u16::try_from(q).unwrap_or(0));
        let claimed_on = after(period.end(), 16)?;
        let decided_on = after(period.end(), 36)?;
        s.enterprise(
            FINANCE,
            e::QINGZHEN_BUILDING_MATERIALS,
            claim_command(id, period, vat_claim(Fen::from_yuan(vat_paid)?), claimed_on),
        );
        if (year, number) == (2026, 1) {
            // Part of the quarter's blocks came from a batch below the 70 % waste content.
            s.enterprise(
                FINANCE,
                e::QINGZHEN_BUILDING_MATERIALS,
                EnterpriseCommand::ApproveTaxIncentive {
                    claim_id: id,
                    approved: yuan!(1_601_200),
                    decided_on,
                },
            );
        } else {
            s.approve_as_claimed(FINANCE, e::QINGZHEN_BUILDING_MATERIALS, id, decided_on);
        }
        if (year, number) == (2025, 2) {
            s.enterprise(
                FINANCE,
                e::QINGZHEN_BUILDING_MATERIALS,
                EnterpriseCommand::RecoverTaxIncentive {
                    claim_id: id,
                    amount: yuan!(312_000),
                    recovered_on: day!(2026, 3, 18),
                    reason: "税务稽查发现2025年二季度部分批次蒸压砖赤泥等废渣掺量低于70%，不符合目录条件，追回相应退税款"
                        .to_owned(),
                },
            );
        }
    }

    // 息烽黔筑水泥: the 2025-Q3 claim is rejected and claimed again with the qualifying VAT.
    let cement_vat = [
        3_126_800, 3_402_150, 3_288_400, 3_015_600, 2_964_300, 3_358_900, 3_512_700,
    ];
    for (q, (&(year, number), vat_paid)) in QUARTERS.iter().zip(cement_vat).enumerate() {
        let period = quarter(year, number)?;
        let id = claim(0x12, 0x1001 + u16::try_from(q).unwrap_or(0));
        let claimed_on = after(period.end(), 18)?;
        s.enterprise(
            FINANCE,
            e::XIFENG_CEMENT,
            claim_command(id, period, vat_claim(Fen::from_yuan(vat_paid)?), claimed_on),
        );
        if (year, number) == (2025, 3) {
            s.enterprise(
                FINANCE,
                e::XIFENG_CEMENT,
                EnterpriseCommand::RejectTaxIncentive {
                    claim_id: id,
                    decided_on: day!(2025, 10, 30),
                    reason: "第三方检测报告显示8月两批次水泥熟料赤泥等废渣掺兑比例未达到目录规定，申报销售额未剔除不合规批次，不予退税"
                        .to_owned(),
                },
            );
            let again = claim(0x12, 0x1101);
            s.enterprise(
                FINANCE,
                e::XIFENG_CEMENT,
                claim_command(
                    again,
                    period,
                    vat_claim(yuan!(2_954_100)),
                    day!(2025, 11, 18),
                ),
            );
            s.approve_as_claimed(FINANCE, e::XIFENG_CEMENT, again, day!(2025, 12, 5));
        } else {
            s.approve_as_claimed(FINANCE, e::XIFENG_CEMENT, id, after(period.end(), 38)?);
        }
    }
    Ok(())
}

fn environmental_tax(s: &mut Story) -> Result<(), DemoDataError> {
    let year_2025 = Period::year(2025)?;
    let annual = [
        (
            e::QINGZHEN_ALUMINA,
            0x01,
            day!(2026, 1, 20),
            day!(2026, 2, 6),
        ),
        (e::XIUWEN_ALUMINA, 0x02, day!(2026, 1, 20), day!(2026, 2, 6)),
        (
            e::WUCHUAN_ALUMINA,
            0x03,
            day!(2026, 1, 21),
            day!(2026, 2, 9),
        ),
        (
            e::DAOZHEN_ALUMINA,
            0x04,
            day!(2026, 1, 21),
            day!(2026, 2, 9),
        ),
        (e::KAILI_ALUMINA, 0x05, day!(2026, 1, 22), day!(2026, 2, 10)),
    ];
    for (id, number, claimed_on, decided_on) in annual {
        let claim_id = claim(number, 0x2001);
        s.environmental_tax_claim(FINANCE, id, claim_id, year_2025, claimed_on);
        s.approve_as_claimed(FINANCE, id, claim_id, decided_on);
    }
    // From 2026 the two largest utilizing refineries declare quarterly; 务川's 2026-Q3 claim
    // awaits its decision.
    for (id, number) in [(e::QINGZHEN_ALUMINA, 0x01), (e::WUCHUAN_ALUMINA, 0x03)] {
        for (k, q) in (1..=3).enumerate() {
            let period = quarter(2026, q)?;
            let claim_id = claim(number, 0x2002 + u16::try_from(k).unwrap_or(0));
            let delay = if number == 0x01 { 20 } else { 21 };
            s.environmental_tax_claim(FINANCE, id, claim_id, period, after(period.end(), delay)?);
            let pending = number == 0x03 && q == 3;
            if !pending {
                let decided = if q == 3 { 41 } else { 38 };
                s.approve_as_claimed(FINANCE, id, claim_id, after(period.end(), decided)?);
            }
        }
    }
    Ok(())
}

fn income_tax(s: &mut Story) -> Result<(), DemoDataError> {
    let year_2025 = Period::year(2025)?;
    let claims = [
        (
            e::QINGZHEN_BUILDING_MATERIALS,
            0x11,
            yuan!(96_400_000),
            day!(2026, 5, 20),
            day!(2026, 6, 18),
        ),
        (
            e::XIFENG_CEMENT,
            0x12,
            yuan!(182_500_000),
            day!(2026, 5, 21),
            day!(2026, 6, 18),
        ),
        (
            e::DAOZHEN_RARE_METALS,
            0x15,
            yuan!(21_800_000),
            day!(2026, 5, 22),
            day!(2026, 6, 19),
        ),
    ];
    for (id, number, qualifying_income, claimed_on, decided_on) in claims {
        let claim_id = claim(number, 0x3001);
        s.enterprise(
            FINANCE,
            id,
            claim_command(
                claim_id,
                year_2025,
                TaxIncentiveClaim::IncomeTaxReduction {
                    qualifying_income,
                    reduction: rules::max_income_reduction(qualifying_income),
                },
                claimed_on,
            ),
        );
        s.approve_as_claimed(FINANCE, id, claim_id, decided_on);
    }
    Ok(())
}
