//! Report 5 — tax incentives (税收优惠): claimed, approved, rejected and recovered by kind,
//! enterprise, region and year.
//!
//! ```text
//! per claim:  claimed   = the amount claimed (refund, exemption or income reduction), fen
//!             approved  = the amount approved (approved claims; 0 otherwise)
//!             rejected  = the amount claimed of a rejected claim (0 otherwise)
//!             pending   = the amount claimed of a claim awaiting a decision (0 otherwise)
//!             recovered = the amount recovered (追回) from an approved claim
//!             net       = approved − recovered
//! year:       the calendar year of the claim's period
//! per line:   Σ over the claims of the group; claims, approved_claims, … count them
//! ```

use std::sync::Arc;

use redmud_domain::enterprise::{ClaimState, TaxClaim};
use redmud_domain::{Enterprise, Fen, Region, TaxIncentiveKind};
use serde::Serialize;

use crate::ReportError;
use crate::csv::Csv;
use crate::table::{Breakdown, BreakdownLine, Measures, group_region, region_key};

/// What a tax incentives report covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaxParams {
    /// Only enterprises within this region.
    pub region: Option<Region>,
    /// Only claims for periods within this year.
    pub year: Option<u16>,
    /// Only claims of this kind.
    pub kind: Option<TaxIncentiveKind>,
}

/// The measures of a tax incentives line (amounts in fen).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TaxMeasures {
    /// Claims counted.
    pub claims: u32,
    /// Of which approved.
    pub approved_claims: u32,
    /// Of which rejected.
    pub rejected_claims: u32,
    /// Of which awaiting a decision.
    pub pending_claims: u32,
    /// Σ claimed.
    pub claimed: Fen,
    /// Σ approved.
    pub approved: Fen,
    /// Σ claimed of rejected claims.
    pub rejected: Fen,
    /// Σ claimed of claims awaiting a decision.
    pub pending: Fen,
    /// Σ recovered.
    pub recovered: Fen,
    /// Σ (approved − recovered).
    pub net: Fen,
}

impl TaxMeasures {
    /// One claim's measures.
    pub fn of(claim: &TaxClaim) -> Result<Self, ReportError> {
        let amount = claim.claim.amount();
        let (mut m, state) = (TaxMeasures::default(), claim.state);
        m.claims = 1;
        m.claimed = amount;
        match state {
            ClaimState::Claimed => {
                m.pending_claims = 1;
                m.pending = amount;
            }
            ClaimState::Approved => {
                m.approved_claims = 1;
                m.approved = claim.approved;
                m.recovered = claim.recovered;
                m.net = claim.approved.checked_sub(claim.recovered)?;
            }
            ClaimState::Rejected => {
                m.rejected_claims = 1;
                m.rejected = amount;
            }
        }
        Ok(m)
    }
}

impl Measures for TaxMeasures {
    fn add(&mut self, o: &Self) -> Result<(), ReportError> {
        self.claims += o.claims;
        self.approved_claims += o.approved_claims;
        self.rejected_claims += o.rejected_claims;
        self.pending_claims += o.pending_claims;
        self.claimed = self.claimed.checked_add(o.claimed)?;
        self.approved = self.approved.checked_add(o.approved)?;
        self.rejected = self.rejected.checked_add(o.rejected)?;
        self.pending = self.pending.checked_add(o.pending)?;
        self.recovered = self.recovered.checked_add(o.recovered)?;
        self.net = self.net.checked_add(o.net)?;
        Ok(())
    }
    fn columns() -> Vec<&'static str> {
        vec![
            "claims",
            "approved_claims",
            "rejected_claims",
            "pending_claims",
            "claimed_fen",
            "approved_fen",
            "rejected_fen",
            "pending_fen",
            "recovered_fen",
            "net_fen",
        ]
    }
    fn values(&self) -> Vec<u64> {
        [
            u64::from(self.claims),
            u64::from(self.approved_claims),
            u64::from(self.rejected_claims),
            u64::from(self.pending_claims),
            self.claimed.fen(),
            self.approved.fen(),
            self.rejected.fen(),
            self.pending.fen(),
            self.recovered.fen(),
            self.net.fen(),
        ]
        .to_vec()
    }
}

/// The tax incentives report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaxReport {
    /// All claims counted.
    pub total: TaxMeasures,
    /// Per kind, enterprise, region and year (in that order, then by code).
    pub lines: Vec<BreakdownLine<TaxMeasures>>,
}

/// The breakdown dimensions, in report order.
pub const TAX_DIMENSIONS: &[&str] = &["kind", "enterprise", "region", "year"];

/// Computes the tax incentives report from the enterprise states in force at one moment.
pub fn tax_report(
    params: &TaxParams,
    enterprises: &[Arc<Enterprise>],
) -> Result<TaxReport, ReportError> {
    let mut breakdown = Breakdown::new(TAX_DIMENSIONS);
    for enterprise in enterprises {
        let Some(id) = enterprise.id() else {
            continue;
        };
        let region = enterprise.region();
        if params
            .region
            .is_some_and(|scope| region.is_none_or(|r| !scope.contains(r)))
        {
            continue;
        }
        // The enterprise's claims summed here, then added to its region and its own line once.
        let mut of_enterprise: Option<TaxMeasures> = None;
        for claim in enterprise.claims().values() {
            let (kind, year) = (claim.claim.kind(), claim.period.calendar_year());
            if params.year.is_some_and(|y| y != year) || params.kind.is_some_and(|k| k != kind) {
                continue;
            }
            let m = TaxMeasures::of(claim)?;
            breakdown.add("kind", kind.code(), kind.name_zh(), &m)?;
            let year = year.to_string();
            breakdown.add("year", &year, &year, &m)?;
            breakdown.add_total(&m)?;
            of_enterprise.get_or_insert_default().add(&m)?;
        }
        if let Some(m) = of_enterprise {
            let (code, name) = region_key(group_region(params.region, region));
            breakdown.add("region", code, name, &m)?;
            // One line per enterprise: its key and name are moved in, not copied.
            breakdown.add("enterprise", id.to_string(), enterprise.name(), &m)?;
        }
    }
    let (lines, total) = breakdown.finish();
    Ok(TaxReport { total, lines })
}

/// The CSV of the tax incentives report: the breakdown sections and the total.
pub fn tax_csv(report: &TaxReport) -> Csv {
    crate::table::breakdown_csv(&report.lines, &report.total, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use redmud_domain::enterprise::TaxIncentiveClaim;
    use redmud_domain::{BasisPoints, EnterpriseCommand};

    fn income(n: u128, period: &str, reduction: u64) -> EnterpriseCommand {
        EnterpriseCommand::ClaimTaxIncentive {
            claim_id: id(n),
            period: period.parse().expect("test value"),
            claim: TaxIncentiveClaim::IncomeTaxReduction {
                qualifying_income: fen(reduction * 10),
                reduction: fen(reduction),
            },
            claimed_on: d(2027, 3, 1),
        }
    }

    fn vat(n: u128, period: &str, refund: u64) -> EnterpriseCommand {
        EnterpriseCommand::ClaimTaxIncentive {
            claim_id: id(n),
            period: period.parse().expect("test value"),
            claim: TaxIncentiveClaim::VatImmediateRefund {
                vat_paid: fen(refund * 2),
                refund_rate: BasisPoints::new(7_000).expect("test value"),
                refund: fen(refund),
            },
            claimed_on: d(2027, 3, 1),
        }
    }

    #[test]
    fn claims_by_state_and_dimension() -> Result<(), ReportError> {
        let a = enterprise(&[
            register(1, "清镇建材", "520181", false),
            income(10, "2025", 100_000),
            vat(11, "2025-Q1", 50_000),
            vat(12, "2026-Q1", 70_000),
            EnterpriseCommand::ApproveTaxIncentive {
                claim_id: id(10),
                approved: fen(90_000),
                decided_on: d(2027, 4, 1),
            },
            EnterpriseCommand::RecoverTaxIncentive {
                claim_id: id(10),
                amount: fen(20_000),
                recovered_on: d(2027, 5, 1),
                reason: "追回".into(),
            },
            EnterpriseCommand::RejectTaxIncentive {
                claim_id: id(11),
                decided_on: d(2027, 4, 1),
                reason: "不符".into(),
            },
        ]);
        let b = enterprise(&[
            register(2, "务川建材", "520326", false),
            vat(20, "2025-Q2", 30_000),
        ]);
        let all = [a, b].map(Arc::new);
        let r = tax_report(&TaxParams::default(), &all)?;
        let t = r.total;
        assert_eq!(
            (
                t.claims,
                t.approved_claims,
                t.rejected_claims,
                t.pending_claims
            ),
            (4, 1, 1, 2)
        );
        assert_eq!(t.claimed, fen(250_000));
        assert_eq!(t.approved, fen(90_000));
        assert_eq!(t.rejected, fen(50_000));
        assert_eq!(t.pending, fen(100_000));
        assert_eq!(t.recovered, fen(20_000));
        assert_eq!(t.net, fen(70_000));
        let line = |by: &str, key: &str| {
            r.lines
                .iter()
                .find(|l| l.by == by && l.key == key)
                .map(|l| l.measures)
        };
        assert_eq!(
            line("kind", "vat_immediate_refund").map(|m| m.claimed),
            Some(fen(150_000))
        );
        assert_eq!(line("year", "2026").map(|m| m.claims), Some(1));
        assert_eq!(
            line("region", "520300").map(|m| m.pending),
            Some(fen(30_000))
        );
        assert_eq!(
            line("enterprise", &id(1).to_string()).map(|m| m.claims),
            Some(3)
        );
        let r = tax_report(
            &TaxParams {
                region: Some(region("520100")),
                year: Some(2025),
                kind: Some(TaxIncentiveKind::VatImmediateRefund),
            },
            &all,
        )?;
        assert_eq!(r.total.claims, 1);
        assert_eq!(r.total.rejected, fen(50_000));
        let (header, records) = tax_csv(&r).records();
        assert_eq!(header[3], "claims");
        assert_eq!(records.last().map(|r| r[0].as_str()), Some("total"));
        Ok(())
    }
}
