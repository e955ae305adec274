//! The **Enterprise** (企业) aggregate: registration, the "one enterprise, one policy" plan
//! (一企一策), the red mud ledger (赤泥台账) and its corrections, designations, clean-production
//! audits (清洁生产审核) and tax incentives (税收优惠).
//!
//! ## Lifecycle
//!
//! ```text
//! NotRegistered --Register--> Active --Deregister--> Deregistered (terminal)
//! ```
//! Every command except `Register` requires `Active`; any other combination is
//! [`EnterpriseError::InvalidTransition`] naming the state and the command.
//!
//! ## Rules
//! - Register/Amend: the name is not blank; at least one kind; the region is a prefecture or a
//!   county (not the whole province); an amendment changes something.
//! - Dated acts (amend, deregister, plan filing and revision, designation grant) are not dated
//!   before registration.
//! - 一企一策 is for alumina refineries (the plan: 氧化铝生产企业…"一企一策"制定…方案): filed once,
//!   then revised with a reason; at least one yearly target (distinct years 1900–9999) and at
//!   least one non-blank measure; a revision changes something.
//! - The ledger is kept by alumina refineries (the generators of red mud; counting a utilizer's
//!   intake again would double count the province's red mud). A period is recorded once, only
//!   after it has ended (`period.end < today`), never overlapping another recorded period, never
//!   before the stock baseline; its figures satisfy the balance identity and the stock
//!   roll-forward of every period stays non-negative (see [`crate::ledger`]).
//! - A correction names a recorded period, carries a reason, changes something and keeps both
//!   identities; its event holds the previous figures and the revision it corrects, so the old
//!   figures stay in history.
//! - The stock baseline (期初堆存基数, the stockpile before the first recorded period) is declared
//!   once, dated no later than the start of any recorded period, and corrected with a reason.
//! - A designation is granted when not already held on the grant date (an expired one can be
//!   granted again), with a document reference and a validity end not before the grant; it is
//!   revoked with a reason, only while held, not before it was granted.
//! - A tax incentive claim is for a period that has ended, not overlapping a live (claimed or
//!   approved) claim of the same kind, for a non-zero amount within the ceiling of its kind (see
//!   [`crate::rules`]); an environmental-tax exemption cannot exceed the red mud utilized per
//!   the ledger periods within the claim period. Claimed → approved (≤ claimed, > 0) or rejected
//!   (reason); approved → recovered (reason, cumulative ≤ approved).
//! - Typical case (典型案例, [`crate::typical_case`]): an active enterprise is recommended with a
//!   summary (not blank, not dated before registration) while no recommendation stands; the
//!   recommendation is withdrawn with a reason, not dated before it; it can be made again.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDate;
use uuid::Uuid;

use crate::typical_case::TypicalCase;

use crate::aggregate::{Aggregate, BlankReason, EventPayload, domain_events, require_reason};
use crate::ledger::{LedgerError, LedgerFigures, StockLine, roll_forward};
use crate::rules;
use crate::values::{
    BasisPoints, DesignationKind, EnterpriseKind, Fen, Kg, MassError, MoneyError, Period, Region,
    TaxIncentiveKind, Uscc,
};

#[cfg(test)]
mod tests;

// ---------------------------------------------------------------------------------------------
// Supporting types
// ---------------------------------------------------------------------------------------------

/// Where an enterprise is in its lifecycle.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EnterpriseStatus {
    /// No `EnterpriseRegistered` yet.
    #[default]
    NotRegistered,
    /// Registered and not deregistered.
    Active,
    /// Deregistered (注销); terminal.
    Deregistered,
}

impl fmt::Display for EnterpriseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EnterpriseStatus::NotRegistered => "not_registered",
            EnterpriseStatus::Active => "active",
            EnterpriseStatus::Deregistered => "deregistered",
        })
    }
}

/// One year's targets in a 一企一策 plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PolicyYearTarget {
    /// Calendar year.
    pub year: u16,
    /// Red mud expected to be generated in the year.
    pub generation: Kg,
    /// Red mud to be comprehensively utilized in the year.
    pub utilization: Kg,
}

/// A "one enterprise, one policy" plan (一企一策赤泥综合利用方案).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PolicyPlan {
    /// Yearly generation and utilization targets, distinct years.
    pub yearly_targets: Vec<PolicyYearTarget>,
    /// The measures (措施) the enterprise commits to.
    pub measures: Vec<String>,
}

/// The outcome of a clean-production audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    /// 通过.
    Passed,
    /// 有条件通过 (with rectification measures).
    PassedWithConditions,
    /// 未通过.
    Failed,
}

/// What a tax incentive claim asks for, with the figures its ceiling is computed from.
/// Serde: an object tagged by `"kind"` with the [`TaxIncentiveKind`] code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TaxIncentiveClaim {
    /// 增值税即征即退: refund ≤ vat_paid × refund_rate (a catalogue rate).
    VatImmediateRefund {
        /// VAT paid on the qualifying products in the period.
        vat_paid: Fen,
        /// The catalogue refund rate, e.g. 70 %.
        refund_rate: BasisPoints,
        /// The refund claimed.
        refund: Fen,
    },
    /// 环境保护税免征: exemption ≤ utilized tonnes × tax per tonne.
    EnvironmentalTaxExemption {
        /// Red mud comprehensively utilized in the period.
        utilized: Kg,
        /// Tax per tonne that would apply (25 yuan for smelting slag).
        tax_per_tonne: Fen,
        /// The exemption claimed.
        exemption: Fen,
    },
    /// 企业所得税减计收入: reduction ≤ 10 % of qualifying income (counted at 90 %).
    IncomeTaxReduction {
        /// Income from catalogue products.
        qualifying_income: Fen,
        /// The reduction of taxable income claimed.
        reduction: Fen,
    },
}

impl TaxIncentiveClaim {
    /// The incentive kind.
    pub fn kind(&self) -> TaxIncentiveKind {
        match self {
            TaxIncentiveClaim::VatImmediateRefund { .. } => TaxIncentiveKind::VatImmediateRefund,
            TaxIncentiveClaim::EnvironmentalTaxExemption { .. } => {
                TaxIncentiveKind::EnvironmentalTaxExemption
            }
            TaxIncentiveClaim::IncomeTaxReduction { .. } => TaxIncentiveKind::IncomeTaxReduction,
        }
    }

    /// The amount claimed (refund, exemption or income reduction).
    pub fn amount(&self) -> Fen {
        match self {
            TaxIncentiveClaim::VatImmediateRefund { refund, .. } => *refund,
            TaxIncentiveClaim::EnvironmentalTaxExemption { exemption, .. } => *exemption,
            TaxIncentiveClaim::IncomeTaxReduction { reduction, .. } => *reduction,
        }
    }
}

/// Where a tax incentive claim is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClaimState {
    /// Claimed (申报), awaiting a decision.
    Claimed,
    /// Approved (审核通过); recoveries may follow.
    Approved,
    /// Rejected (不予通过); terminal.
    Rejected,
}

impl fmt::Display for ClaimState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClaimState::Claimed => "claimed",
            ClaimState::Approved => "approved",
            ClaimState::Rejected => "rejected",
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/// What a user asks of an enterprise.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "command")]
pub enum EnterpriseCommand {
    /// Register the enterprise (登记).
    Register {
        /// The new aggregate's id (chosen by the caller).
        enterprise_id: Uuid,
        /// Legal name.
        name: String,
        /// Unified social credit code.
        uscc: Uscc,
        /// Where it operates (a prefecture or county).
        region: Region,
        /// What kind of enterprise it is.
        kinds: BTreeSet<EnterpriseKind>,
        /// Date of registration.
        registered_on: NaiveDate,
    },
    /// Amend registration details (变更); only the fields given change.
    Amend {
        /// New legal name.
        name: Option<String>,
        /// Corrected unified social credit code.
        uscc: Option<Uscc>,
        /// New region.
        region: Option<Region>,
        /// New set of kinds.
        kinds: Option<BTreeSet<EnterpriseKind>>,
        /// Date of the amendment.
        amended_on: NaiveDate,
    },
    /// Deregister (注销); terminal.
    Deregister {
        /// Date of deregistration.
        deregistered_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// File the 一企一策 plan.
    FilePolicyPlan {
        /// The plan.
        plan: PolicyPlan,
        /// Date filed.
        filed_on: NaiveDate,
    },
    /// Revise the 一企一策 plan.
    RevisePolicyPlan {
        /// The revised plan (replaces the current one).
        plan: PolicyPlan,
        /// Date revised.
        revised_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Declare the stockpile before the first recorded ledger period.
    DeclareStockBaseline {
        /// The date the stock was measured (periods recorded start on or after it).
        as_of: NaiveDate,
        /// Red mud stockpiled on that date.
        stock: Kg,
    },
    /// Correct the declared stock baseline.
    CorrectStockBaseline {
        /// The corrected stock.
        stock: Kg,
        /// Why.
        reason: String,
    },
    /// Record the red mud ledger of a period.
    RecordLedger {
        /// The period.
        period: Period,
        /// Its figures.
        figures: LedgerFigures,
        /// Today (the period must have ended).
        today: NaiveDate,
    },
    /// Correct the red mud ledger of a recorded period.
    CorrectLedger {
        /// The recorded period.
        period: Period,
        /// The corrected figures (replace the current ones).
        figures: LedgerFigures,
        /// Why.
        reason: String,
    },
    /// Grant a designation (认定).
    GrantDesignation {
        /// Which designation.
        designation: DesignationKind,
        /// Date granted.
        granted_on: NaiveDate,
        /// Reference of the granting document (文号).
        document: String,
        /// Last day of validity, if limited.
        valid_until: Option<NaiveDate>,
    },
    /// Revoke a designation (撤销).
    RevokeDesignation {
        /// Which designation.
        designation: DesignationKind,
        /// Date revoked.
        revoked_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Record a completed clean-production audit.
    RecordCleanProductionAudit {
        /// The audit's id (chosen by the caller).
        audit_id: Uuid,
        /// Date completed.
        completed_on: NaiveDate,
        /// Audit body.
        auditor: String,
        /// Outcome.
        outcome: AuditOutcome,
        /// Summary of findings and measures.
        summary: String,
    },
    /// Claim a tax incentive for a period.
    ClaimTaxIncentive {
        /// The claim's id (chosen by the caller).
        claim_id: Uuid,
        /// The tax period claimed for.
        period: Period,
        /// What is claimed.
        claim: TaxIncentiveClaim,
        /// Date claimed (the period must have ended).
        claimed_on: NaiveDate,
    },
    /// Approve a claim, possibly for less than claimed.
    ApproveTaxIncentive {
        /// The claim.
        claim_id: Uuid,
        /// Amount approved.
        approved: Fen,
        /// Date decided.
        decided_on: NaiveDate,
    },
    /// Reject a claim.
    RejectTaxIncentive {
        /// The claim.
        claim_id: Uuid,
        /// Date decided.
        decided_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Recover (part of) an approved incentive.
    RecoverTaxIncentive {
        /// The claim.
        claim_id: Uuid,
        /// Amount recovered.
        amount: Fen,
        /// Date recovered.
        recovered_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Recommend the enterprise as a typical case (典型案例推荐).
    RecommendTypicalCase {
        /// Date recommended.
        recommended_on: NaiveDate,
        /// What makes it typical.
        summary: String,
    },
    /// Withdraw the typical-case recommendation.
    WithdrawTypicalCase {
        /// Date withdrawn.
        withdrawn_on: NaiveDate,
        /// Why.
        reason: String,
    },
}

impl EnterpriseCommand {
    /// The command's name, as used in errors.
    pub fn name(&self) -> &'static str {
        match self {
            EnterpriseCommand::Register { .. } => "Register",
            EnterpriseCommand::Amend { .. } => "Amend",
            EnterpriseCommand::Deregister { .. } => "Deregister",
            EnterpriseCommand::FilePolicyPlan { .. } => "FilePolicyPlan",
            EnterpriseCommand::RevisePolicyPlan { .. } => "RevisePolicyPlan",
            EnterpriseCommand::DeclareStockBaseline { .. } => "DeclareStockBaseline",
            EnterpriseCommand::CorrectStockBaseline { .. } => "CorrectStockBaseline",
            EnterpriseCommand::RecordLedger { .. } => "RecordLedger",
            EnterpriseCommand::CorrectLedger { .. } => "CorrectLedger",
            EnterpriseCommand::GrantDesignation { .. } => "GrantDesignation",
            EnterpriseCommand::RevokeDesignation { .. } => "RevokeDesignation",
            EnterpriseCommand::RecordCleanProductionAudit { .. } => "RecordCleanProductionAudit",
            EnterpriseCommand::ClaimTaxIncentive { .. } => "ClaimTaxIncentive",
            EnterpriseCommand::ApproveTaxIncentive { .. } => "ApproveTaxIncentive",
            EnterpriseCommand::RejectTaxIncentive { .. } => "RejectTaxIncentive",
            EnterpriseCommand::RecoverTaxIncentive { .. } => "RecoverTaxIncentive",
            EnterpriseCommand::RecommendTypicalCase { .. } => "RecommendTypicalCase",
            EnterpriseCommand::WithdrawTypicalCase { .. } => "WithdrawTypicalCase",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/// The enterprise was registered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EnterpriseRegistered {
    /// Aggregate id.
    pub enterprise_id: Uuid,
    /// Legal name.
    pub name: String,
    /// Unified social credit code.
    pub uscc: Uscc,
    /// Region.
    pub region: Region,
    /// Kinds.
    pub kinds: BTreeSet<EnterpriseKind>,
    /// Date registered.
    pub registered_on: NaiveDate,
}

/// Registration details were amended; only changed fields are present.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EnterpriseAmended {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uscc: Option<Uscc>,
    /// New region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    /// New kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kinds: Option<BTreeSet<EnterpriseKind>>,
    /// Date amended.
    pub amended_on: NaiveDate,
}

/// The enterprise was deregistered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EnterpriseDeregistered {
    /// Date deregistered.
    pub deregistered_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// The 一企一策 plan was filed (revision 1).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PolicyPlanFiled {
    /// The plan.
    pub plan: PolicyPlan,
    /// Date filed.
    pub filed_on: NaiveDate,
}

/// The 一企一策 plan was revised.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PolicyPlanRevised {
    /// The new revision number (2, 3, …).
    pub revision: u32,
    /// The revised plan.
    pub plan: PolicyPlan,
    /// Date revised.
    pub revised_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// The stockpile before the first recorded period was declared.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StockBaselineDeclared {
    /// Date measured.
    pub as_of: NaiveDate,
    /// Stock.
    pub stock: Kg,
}

/// The stock baseline was corrected.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StockBaselineCorrected {
    /// Date measured (unchanged).
    pub as_of: NaiveDate,
    /// The stock before this correction.
    pub previous: Kg,
    /// The corrected stock.
    pub stock: Kg,
    /// Why.
    pub reason: String,
}

/// The ledger of a period was recorded (revision 1 of that period).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LedgerRecorded {
    /// The period.
    pub period: Period,
    /// Its figures.
    pub figures: LedgerFigures,
}

/// The ledger of a recorded period was corrected.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LedgerCorrected {
    /// The period.
    pub period: Period,
    /// This correction's revision of the period (2, 3, …).
    pub revision: u32,
    /// The revision it corrects (the one in force before it).
    pub corrects_revision: u32,
    /// The figures of the corrected revision.
    pub previous: LedgerFigures,
    /// The corrected figures.
    pub figures: LedgerFigures,
    /// Why.
    pub reason: String,
}

/// A designation was granted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DesignationGranted {
    /// Which.
    pub designation: DesignationKind,
    /// Date granted.
    pub granted_on: NaiveDate,
    /// Document reference.
    pub document: String,
    /// Last day of validity, if limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
}

/// A designation was revoked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DesignationRevoked {
    /// Which.
    pub designation: DesignationKind,
    /// Date revoked.
    pub revoked_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// A clean-production audit was recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CleanProductionAuditRecorded {
    /// Audit id.
    pub audit_id: Uuid,
    /// Date completed.
    pub completed_on: NaiveDate,
    /// Audit body.
    pub auditor: String,
    /// Outcome.
    pub outcome: AuditOutcome,
    /// Summary.
    pub summary: String,
}

/// A tax incentive was claimed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TaxIncentiveClaimed {
    /// Claim id.
    pub claim_id: Uuid,
    /// Period claimed for.
    pub period: Period,
    /// What is claimed.
    pub claim: TaxIncentiveClaim,
    /// Date claimed.
    pub claimed_on: NaiveDate,
}

/// A claim was approved.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TaxIncentiveApproved {
    /// Claim id.
    pub claim_id: Uuid,
    /// Amount approved.
    pub approved: Fen,
    /// Date decided.
    pub decided_on: NaiveDate,
}

/// A claim was rejected.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TaxIncentiveRejected {
    /// Claim id.
    pub claim_id: Uuid,
    /// Date decided.
    pub decided_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// (Part of) an approved incentive was recovered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TaxIncentiveRecovered {
    /// Claim id.
    pub claim_id: Uuid,
    /// Amount recovered.
    pub amount: Fen,
    /// Date recovered.
    pub recovered_on: NaiveDate,
    /// Why.
    pub reason: String,
}

fn date(d: NaiveDate) -> Option<String> {
    Some(d.to_string())
}

impl EventPayload for EnterpriseRegistered {
    fn effective(&self) -> Option<String> {
        date(self.registered_on)
    }
}
impl EventPayload for EnterpriseAmended {
    fn effective(&self) -> Option<String> {
        date(self.amended_on)
    }
}
impl EventPayload for EnterpriseDeregistered {
    fn effective(&self) -> Option<String> {
        date(self.deregistered_on)
    }
}
impl EventPayload for PolicyPlanFiled {
    fn effective(&self) -> Option<String> {
        date(self.filed_on)
    }
}
impl EventPayload for PolicyPlanRevised {
    fn effective(&self) -> Option<String> {
        date(self.revised_on)
    }
}
impl EventPayload for StockBaselineDeclared {
    fn effective(&self) -> Option<String> {
        date(self.as_of)
    }
}
impl EventPayload for StockBaselineCorrected {
    fn effective(&self) -> Option<String> {
        date(self.as_of)
    }
}
impl EventPayload for LedgerRecorded {
    fn effective(&self) -> Option<String> {
        Some(self.period.to_string())
    }
}
impl EventPayload for LedgerCorrected {
    fn effective(&self) -> Option<String> {
        Some(self.period.to_string())
    }
}
impl EventPayload for DesignationGranted {
    fn effective(&self) -> Option<String> {
        date(self.granted_on)
    }
}
impl EventPayload for DesignationRevoked {
    fn effective(&self) -> Option<String> {
        date(self.revoked_on)
    }
}
impl EventPayload for CleanProductionAuditRecorded {
    fn effective(&self) -> Option<String> {
        date(self.completed_on)
    }
}
impl EventPayload for TaxIncentiveClaimed {
    fn effective(&self) -> Option<String> {
        Some(self.period.to_string())
    }
}
impl EventPayload for TaxIncentiveApproved {
    fn effective(&self) -> Option<String> {
        date(self.decided_on)
    }
}
impl EventPayload for TaxIncentiveRejected {
    fn effective(&self) -> Option<String> {
        date(self.decided_on)
    }
}
impl EventPayload for TaxIncentiveRecovered {
    fn effective(&self) -> Option<String> {
        date(self.recovered_on)
    }
}

/// The enterprise was recommended as a typical case.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EnterpriseTypicalCaseRecommended {
    /// Date recommended.
    pub recommended_on: NaiveDate,
    /// Summary.
    pub summary: String,
}

/// The enterprise's typical-case recommendation was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EnterpriseTypicalCaseWithdrawn {
    /// Date withdrawn.
    pub withdrawn_on: NaiveDate,
    /// Why.
    pub reason: String,
}

impl EventPayload for EnterpriseTypicalCaseRecommended {
    fn effective(&self) -> Option<String> {
        date(self.recommended_on)
    }
}
impl EventPayload for EnterpriseTypicalCaseWithdrawn {
    fn effective(&self) -> Option<String> {
        date(self.withdrawn_on)
    }
}

domain_events! {
    /// What happened to an enterprise.
    pub enum EnterpriseEvent in "enterprise" {
        /// See [`EnterpriseRegistered`].
        Registered(EnterpriseRegistered) = "EnterpriseRegistered",
        /// See [`EnterpriseAmended`].
        Amended(EnterpriseAmended) = "EnterpriseAmended",
        /// See [`EnterpriseDeregistered`].
        Deregistered(EnterpriseDeregistered) = "EnterpriseDeregistered",
        /// See [`PolicyPlanFiled`].
        PolicyPlanFiled(PolicyPlanFiled) = "PolicyPlanFiled",
        /// See [`PolicyPlanRevised`].
        PolicyPlanRevised(PolicyPlanRevised) = "PolicyPlanRevised",
        /// See [`StockBaselineDeclared`].
        StockBaselineDeclared(StockBaselineDeclared) = "StockBaselineDeclared",
        /// See [`StockBaselineCorrected`].
        StockBaselineCorrected(StockBaselineCorrected) = "StockBaselineCorrected",
        /// See [`LedgerRecorded`].
        LedgerRecorded(LedgerRecorded) = "LedgerRecorded",
        /// See [`LedgerCorrected`].
        LedgerCorrected(LedgerCorrected) = "LedgerCorrected",
        /// See [`DesignationGranted`].
        DesignationGranted(DesignationGranted) = "DesignationGranted",
        /// See [`DesignationRevoked`].
        DesignationRevoked(DesignationRevoked) = "DesignationRevoked",
        /// See [`CleanProductionAuditRecorded`].
        CleanProductionAuditRecorded(CleanProductionAuditRecorded) = "CleanProductionAuditRecorded",
        /// See [`TaxIncentiveClaimed`].
        TaxIncentiveClaimed(TaxIncentiveClaimed) = "TaxIncentiveClaimed",
        /// See [`TaxIncentiveApproved`].
        TaxIncentiveApproved(TaxIncentiveApproved) = "TaxIncentiveApproved",
        /// See [`TaxIncentiveRejected`].
        TaxIncentiveRejected(TaxIncentiveRejected) = "TaxIncentiveRejected",
        /// See [`TaxIncentiveRecovered`].
        TaxIncentiveRecovered(TaxIncentiveRecovered) = "TaxIncentiveRecovered",
        /// See [`EnterpriseTypicalCaseRecommended`].
        TypicalCaseRecommended(EnterpriseTypicalCaseRecommended) = "EnterpriseTypicalCaseRecommended",
        /// See [`EnterpriseTypicalCaseWithdrawn`].
        TypicalCaseWithdrawn(EnterpriseTypicalCaseWithdrawn) = "EnterpriseTypicalCaseWithdrawn",
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why an enterprise command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum EnterpriseError {
    /// The command is not allowed in the enterprise's lifecycle state.
    #[error("{command} is not allowed while the enterprise is {state}")]
    InvalidTransition {
        /// Current state.
        state: EnterpriseStatus,
        /// The command refused.
        command: &'static str,
    },
    /// A reason was required.
    #[error(transparent)]
    BlankReason(#[from] BlankReason),
    /// The name is empty or blank.
    #[error("the enterprise name must not be blank")]
    BlankName,
    /// No kind was given.
    #[error("an enterprise must have at least one kind")]
    NoKinds,
    /// The region is the whole province.
    #[error(
        "an enterprise operates in a prefecture or county, not in {region} (the whole province)"
    )]
    RegionNotWithinPrefecture {
        /// The region given.
        region: Region,
    },
    /// An amendment that changes nothing.
    #[error("the amendment changes nothing")]
    NothingToAmend,
    /// A date before the enterprise's registration.
    #[error("{command} is dated {date}, before registration on {registered_on}")]
    DateBeforeRegistration {
        /// The command.
        command: &'static str,
        /// Its date.
        date: NaiveDate,
        /// Registration date.
        registered_on: NaiveDate,
    },
    /// 一企一策 is for alumina refineries.
    #[error(
        "{command}: the 一企一策 plan and the red mud ledger are kept by alumina refineries; this enterprise's kinds are {kinds:?}"
    )]
    RequiresAluminaRefinery {
        /// The command.
        command: &'static str,
        /// The enterprise's kinds.
        kinds: BTreeSet<EnterpriseKind>,
    },
    /// The plan was already filed.
    #[error("the 一企一策 plan was already filed (revision {revision}); revise it instead")]
    PolicyPlanAlreadyFiled {
        /// Current revision.
        revision: u32,
    },
    /// No plan filed yet.
    #[error("no 一企一策 plan has been filed")]
    PolicyPlanNotFiled,
    /// A plan without yearly targets.
    #[error("a 一企一策 plan needs at least one yearly target")]
    PolicyPlanWithoutTargets,
    /// Year listed twice.
    #[error("year {year} appears more than once in the 一企一策 plan")]
    DuplicatePolicyYear {
        /// The year.
        year: u16,
    },
    /// A year outside 1900–9999.
    #[error("year {year} in the 一企一策 plan is outside 1900–9999")]
    PolicyYearOutOfRange {
        /// The year.
        year: u16,
    },
    /// A plan without measures.
    #[error("a 一企一策 plan needs at least one measure")]
    PolicyPlanWithoutMeasures,
    /// A blank measure.
    #[error("measure {index} of the 一企一策 plan is blank")]
    BlankMeasure {
        /// 0-based index.
        index: usize,
    },
    /// A revision identical to the plan in force.
    #[error("the revision is identical to the plan in force (revision {revision})")]
    PolicyRevisionChangesNothing {
        /// Revision in force.
        revision: u32,
    },
    /// The period has not ended yet.
    #[error("{period} has not ended on {today}")]
    PeriodNotEnded {
        /// The period.
        period: Period,
        /// Today as given.
        today: NaiveDate,
    },
    /// The period was already recorded.
    #[error("the ledger of {period} is already recorded; correct it instead")]
    PeriodAlreadyRecorded {
        /// The period.
        period: Period,
    },
    /// The period overlaps another recorded period.
    #[error("{period} overlaps the recorded period {recorded}")]
    PeriodOverlapsRecorded {
        /// The period given.
        period: Period,
        /// The recorded period it overlaps.
        recorded: Period,
    },
    /// The period was never recorded.
    #[error("no ledger is recorded for {period}")]
    PeriodNotRecorded {
        /// The period.
        period: Period,
    },
    /// The period starts before the stock baseline.
    #[error("{period} starts before the stock baseline of {baseline_as_of}")]
    PeriodBeforeStockBaseline {
        /// The period.
        period: Period,
        /// Baseline date.
        baseline_as_of: NaiveDate,
    },
    /// A correction with the figures already in force.
    #[error("the correction of {period} is identical to revision {revision}")]
    CorrectionChangesNothing {
        /// The period.
        period: Period,
        /// Revision in force.
        revision: u32,
    },
    /// The ledger identities.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// Baseline already declared.
    #[error("the stock baseline was already declared as of {as_of}; correct it instead")]
    StockBaselineAlreadyDeclared {
        /// Its date.
        as_of: NaiveDate,
    },
    /// No baseline declared.
    #[error("no stock baseline has been declared")]
    StockBaselineNotDeclared,
    /// Baseline dated after a recorded period starts.
    #[error("a stock baseline as of {as_of} is after the start of the recorded period {period}")]
    StockBaselineAfterRecordedPeriod {
        /// Baseline date.
        as_of: NaiveDate,
        /// The earliest recorded period.
        period: Period,
    },
    /// Baseline correction identical to the baseline.
    #[error("the stock baseline is already {stock}")]
    BaselineCorrectionChangesNothing {
        /// The stock.
        stock: Kg,
    },
    /// Blank document reference.
    #[error("a designation needs the reference of its granting document")]
    BlankDocument,
    /// Validity ending before the grant.
    #[error("validity until {valid_until} ends before the grant on {granted_on}")]
    ValidityEndsBeforeGrant {
        /// Grant date.
        granted_on: NaiveDate,
        /// Validity end.
        valid_until: NaiveDate,
    },
    /// Designation already held.
    #[error("{designation} is already held (granted on {granted_on})")]
    DesignationAlreadyHeld {
        /// Which.
        designation: DesignationKind,
        /// When the current grant was made.
        granted_on: NaiveDate,
    },
    /// Designation not held.
    #[error("{designation} is not held on {on}")]
    DesignationNotHeld {
        /// Which.
        designation: DesignationKind,
        /// The date asked about.
        on: NaiveDate,
    },
    /// Revocation dated before the grant.
    #[error("{designation} granted on {granted_on} cannot be revoked on {revoked_on}")]
    RevocationBeforeGrant {
        /// Which.
        designation: DesignationKind,
        /// Grant date.
        granted_on: NaiveDate,
        /// Revocation date.
        revoked_on: NaiveDate,
    },
    /// Blank auditor.
    #[error("a clean-production audit needs its auditor")]
    BlankAuditor,
    /// Audit id reused.
    #[error("audit {audit_id} is already recorded")]
    DuplicateAudit {
        /// The id.
        audit_id: Uuid,
    },
    /// Claim id reused.
    #[error("claim {claim_id} already exists")]
    DuplicateClaim {
        /// The id.
        claim_id: Uuid,
    },
    /// A claim for nothing.
    #[error("a tax incentive claim must be for a non-zero amount")]
    ZeroClaim,
    /// A live claim of the same kind overlaps the period.
    #[error("a {kind} claim for {period} overlaps claim {existing_claim} for {existing_period}")]
    OverlappingClaim {
        /// Kind.
        kind: TaxIncentiveKind,
        /// Period claimed.
        period: Period,
        /// The live claim it overlaps.
        existing_claim: Uuid,
        /// That claim's period.
        existing_period: Period,
    },
    /// VAT refund rate not in the catalogue.
    #[error("VAT refund rate {refund_rate} is not a catalogue rate (30%, 50%, 70%, 90%, 100%)")]
    VatRefundRateNotInCatalogue {
        /// The rate.
        refund_rate: BasisPoints,
    },
    /// VAT refund above VAT paid × rate.
    #[error("VAT refund {claimed} exceeds {refund_rate} of VAT paid {vat_paid} = {max_refund}")]
    VatRefundExceedsRate {
        /// VAT paid.
        vat_paid: Fen,
        /// Rate.
        refund_rate: BasisPoints,
        /// Ceiling.
        max_refund: Fen,
        /// Claimed.
        claimed: Fen,
    },
    /// Exemption above utilized × tax per tonne.
    #[error("exemption {claimed} exceeds {utilized} × {tax_per_tonne}/t = {max_exemption}")]
    ExemptionExceedsTax {
        /// Utilized.
        utilized: Kg,
        /// Tax per tonne.
        tax_per_tonne: Fen,
        /// Ceiling.
        max_exemption: Fen,
        /// Claimed.
        claimed: Fen,
    },
    /// Utilized in the claim above the ledger.
    #[error(
        "claimed utilization {claimed_utilized} exceeds the {ledger_utilized} utilized per the ledger within {period}"
    )]
    ExemptionExceedsLedgerUtilized {
        /// Claim period.
        period: Period,
        /// Utilized per the ledger periods within it.
        ledger_utilized: Kg,
        /// Utilized per the claim.
        claimed_utilized: Kg,
    },
    /// Income reduction above 10 %.
    #[error(
        "income reduction {claimed} exceeds 10% of qualifying income {qualifying_income} = {max_reduction}"
    )]
    IncomeReductionExceedsShare {
        /// Qualifying income.
        qualifying_income: Fen,
        /// Ceiling.
        max_reduction: Fen,
        /// Claimed.
        claimed: Fen,
    },
    /// No such claim.
    #[error("no tax incentive claim {claim_id}")]
    UnknownClaim {
        /// The id.
        claim_id: Uuid,
    },
    /// The command is not allowed in the claim's state.
    #[error("{command} is not allowed while claim {claim_id} is {state}")]
    ClaimInvalidTransition {
        /// The claim.
        claim_id: Uuid,
        /// Its state.
        state: ClaimState,
        /// The command refused.
        command: &'static str,
    },
    /// Approving zero.
    #[error("an approval must be for a non-zero amount; reject the claim instead")]
    ZeroApproval,
    /// Approving more than claimed.
    #[error("approval {approved} exceeds the {claimed} claimed")]
    ApprovalExceedsClaim {
        /// Claimed.
        claimed: Fen,
        /// Approved.
        approved: Fen,
    },
    /// A decision or recovery dated before the claim.
    #[error("{command} dated {date} precedes the claim of {claimed_on}")]
    DateBeforeClaim {
        /// The command.
        command: &'static str,
        /// Its date.
        date: NaiveDate,
        /// Claim date.
        claimed_on: NaiveDate,
    },
    /// Recovering zero.
    #[error("a recovery must be for a non-zero amount")]
    ZeroRecovery,
    /// Recovering more than approved.
    #[error(
        "recovering {requested} would exceed the {approved} approved ({already_recovered} already recovered)"
    )]
    RecoveryExceedsApproved {
        /// Approved.
        approved: Fen,
        /// Already recovered.
        already_recovered: Fen,
        /// Requested.
        requested: Fen,
    },
    /// A typical case without a summary.
    #[error("a typical case needs a summary")]
    BlankCaseSummary,
    /// Recommended again while the recommendation stands.
    #[error("already recommended as a typical case on {recommended_on}")]
    AlreadyTypicalCase {
        /// When it was recommended.
        recommended_on: NaiveDate,
    },
    /// Withdrawing a recommendation that does not stand.
    #[error("the enterprise is not a recommended typical case")]
    NotTypicalCase,
    /// A withdrawal dated before the recommendation.
    #[error("withdrawal on {withdrawn_on} precedes the recommendation on {recommended_on}")]
    WithdrawalBeforeRecommendation {
        /// Withdrawal date.
        withdrawn_on: NaiveDate,
        /// Recommendation date.
        recommended_on: NaiveDate,
    },
    /// Mass arithmetic.
    #[error(transparent)]
    Mass(#[from] MassError),
    /// Money arithmetic.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

crate::aggregate::error_rules!(EnterpriseError {
    InvalidTransition,
    BlankReason,
    BlankName,
    NoKinds,
    RegionNotWithinPrefecture,
    NothingToAmend,
    DateBeforeRegistration,
    RequiresAluminaRefinery,
    PolicyPlanAlreadyFiled,
    PolicyPlanNotFiled,
    PolicyPlanWithoutTargets,
    DuplicatePolicyYear,
    PolicyYearOutOfRange,
    PolicyPlanWithoutMeasures,
    BlankMeasure,
    PolicyRevisionChangesNothing,
    PeriodNotEnded,
    PeriodAlreadyRecorded,
    PeriodOverlapsRecorded,
    PeriodNotRecorded,
    PeriodBeforeStockBaseline,
    CorrectionChangesNothing,
    Ledger,
    StockBaselineAlreadyDeclared,
    StockBaselineNotDeclared,
    StockBaselineAfterRecordedPeriod,
    BaselineCorrectionChangesNothing,
    BlankDocument,
    ValidityEndsBeforeGrant,
    DesignationAlreadyHeld,
    DesignationNotHeld,
    RevocationBeforeGrant,
    BlankAuditor,
    DuplicateAudit,
    DuplicateClaim,
    ZeroClaim,
    OverlappingClaim,
    VatRefundRateNotInCatalogue,
    VatRefundExceedsRate,
    ExemptionExceedsTax,
    ExemptionExceedsLedgerUtilized,
    IncomeReductionExceedsShare,
    UnknownClaim,
    ClaimInvalidTransition,
    ZeroApproval,
    ApprovalExceedsClaim,
    DateBeforeClaim,
    ZeroRecovery,
    RecoveryExceedsApproved,
    BlankCaseSummary,
    AlreadyTypicalCase,
    NotTypicalCase,
    WithdrawalBeforeRecommendation,
    Mass,
    Money
});

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/// The 一企一策 plan in force.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PolicyPlanInForce {
    /// The plan.
    pub plan: PolicyPlan,
    /// Revision number (1 when filed).
    pub revision: u32,
    /// Date filed.
    pub filed_on: NaiveDate,
}

/// The declared stock baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StockBaseline {
    /// Date measured.
    pub as_of: NaiveDate,
    /// Stock.
    pub stock: Kg,
}

/// The ledger of one period as it stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LedgerEntry {
    /// Figures in force.
    pub figures: LedgerFigures,
    /// Revision in force (1 when recorded).
    pub revision: u32,
}

/// A designation currently granted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DesignationGrant {
    /// Date granted.
    pub granted_on: NaiveDate,
    /// Document reference.
    pub document: String,
    /// Last day of validity, if limited.
    pub valid_until: Option<NaiveDate>,
}

impl DesignationGrant {
    /// Whether the grant is in force on `date`.
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.granted_on <= date && self.valid_until.is_none_or(|end| date <= end)
    }
}

/// A tax incentive claim as it stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TaxClaim {
    /// Period claimed for.
    pub period: Period,
    /// What was claimed.
    pub claim: TaxIncentiveClaim,
    /// Date claimed.
    pub claimed_on: NaiveDate,
    /// State.
    pub state: ClaimState,
    /// Amount approved (zero unless approved).
    pub approved: Fen,
    /// Amount recovered so far.
    pub recovered: Fen,
}

/// The Enterprise aggregate's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Enterprise {
    status: EnterpriseStatus,
    id: Option<Uuid>,
    name: String,
    uscc: Option<Uscc>,
    region: Option<Region>,
    kinds: BTreeSet<EnterpriseKind>,
    registered_on: Option<NaiveDate>,
    deregistered_on: Option<NaiveDate>,
    policy_plan: Option<PolicyPlanInForce>,
    stock_baseline: Option<StockBaseline>,
    ledger: BTreeMap<Period, LedgerEntry>,
    designations: BTreeMap<DesignationKind, DesignationGrant>,
    audits: BTreeMap<Uuid, CleanProductionAuditRecorded>,
    claims: BTreeMap<Uuid, TaxClaim>,
    #[serde(default)]
    typical_case: Option<TypicalCase>,
}

impl Enterprise {
    /// Lifecycle state.
    pub fn status(&self) -> EnterpriseStatus {
        self.status
    }
    /// Aggregate id, once registered.
    pub fn id(&self) -> Option<Uuid> {
        self.id
    }
    /// Legal name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The typical-case recommendation, standing or withdrawn (the latest).
    pub fn typical_case(&self) -> Option<&TypicalCase> {
        self.typical_case.as_ref()
    }
    /// Unified social credit code, once registered.
    pub fn uscc(&self) -> Option<Uscc> {
        self.uscc
    }
    /// Region, once registered.
    pub fn region(&self) -> Option<Region> {
        self.region
    }
    /// Kinds.
    pub fn kinds(&self) -> &BTreeSet<EnterpriseKind> {
        &self.kinds
    }
    /// Registration date.
    pub fn registered_on(&self) -> Option<NaiveDate> {
        self.registered_on
    }
    /// Deregistration date.
    pub fn deregistered_on(&self) -> Option<NaiveDate> {
        self.deregistered_on
    }
    /// The 一企一策 plan in force.
    pub fn policy_plan(&self) -> Option<&PolicyPlanInForce> {
        self.policy_plan.as_ref()
    }
    /// The declared stock baseline.
    pub fn stock_baseline(&self) -> Option<StockBaseline> {
        self.stock_baseline
    }
    /// The ledger by period, as it stands after corrections.
    pub fn ledger(&self) -> &BTreeMap<Period, LedgerEntry> {
        &self.ledger
    }
    /// Designations currently granted (possibly expired: see [`DesignationGrant::in_force_on`]).
    pub fn designations(&self) -> &BTreeMap<DesignationKind, DesignationGrant> {
        &self.designations
    }
    /// Clean-production audits by id.
    pub fn audits(&self) -> &BTreeMap<Uuid, CleanProductionAuditRecorded> {
        &self.audits
    }
    /// Tax incentive claims by id.
    pub fn claims(&self) -> &BTreeMap<Uuid, TaxClaim> {
        &self.claims
    }
    /// Whether the enterprise is an alumina refinery.
    pub fn is_alumina_refinery(&self) -> bool {
        self.kinds.contains(&EnterpriseKind::AluminaRefinery)
    }
    /// The stock baseline's stock (zero when none declared).
    pub fn baseline_stock(&self) -> Kg {
        self.stock_baseline.map_or(Kg::ZERO, |b| b.stock)
    }
    /// The stock roll-forward over the recorded periods (see [`crate::ledger`]).
    pub fn stock_lines(&self) -> Result<Vec<StockLine>, LedgerError> {
        roll_forward(
            self.baseline_stock(),
            self.ledger.iter().map(|(p, e)| (*p, &e.figures)),
        )
    }
    /// The stock after the last recorded period.
    pub fn current_stock(&self) -> Result<Kg, LedgerError> {
        Ok(self
            .stock_lines()?
            .last()
            .map_or(self.baseline_stock(), |l| l.stock_end))
    }
    /// The recorded periods within `period`, in order (a range of the ledger is visited, not
    /// all of it).
    pub fn ledger_entries_within(
        &self,
        period: Period,
    ) -> impl Iterator<Item = (&Period, &LedgerEntry)> {
        crate::values::entries_within(&self.ledger, period)
    }
    /// Sum of the ledger figures of the recorded periods within `period`.
    pub fn ledger_within(&self, period: Period) -> Result<LedgerFigures, MassError> {
        LedgerFigures::sum(self.ledger_entries_within(period).map(|(_, e)| &e.figures))
    }
}

// ---------------------------------------------------------------------------------------------
// Decide
// ---------------------------------------------------------------------------------------------

type Decision = Result<Vec<EnterpriseEvent>, EnterpriseError>;

fn one(event: impl Into<EnterpriseEvent>) -> Decision {
    Ok(vec![event.into()])
}

fn check_name(name: &str) -> Result<(), EnterpriseError> {
    if name.trim().is_empty() {
        Err(EnterpriseError::BlankName)
    } else {
        Ok(())
    }
}

fn check_kinds(kinds: &BTreeSet<EnterpriseKind>) -> Result<(), EnterpriseError> {
    if kinds.is_empty() {
        Err(EnterpriseError::NoKinds)
    } else {
        Ok(())
    }
}

fn check_region(region: Region) -> Result<(), EnterpriseError> {
    if region == Region::Province {
        Err(EnterpriseError::RegionNotWithinPrefecture { region })
    } else {
        Ok(())
    }
}

fn check_plan(plan: &PolicyPlan) -> Result<(), EnterpriseError> {
    if plan.yearly_targets.is_empty() {
        return Err(EnterpriseError::PolicyPlanWithoutTargets);
    }
    let mut years = BTreeSet::new();
    for target in &plan.yearly_targets {
        if !(1900..=9999).contains(&target.year) {
            return Err(EnterpriseError::PolicyYearOutOfRange { year: target.year });
        }
        if !years.insert(target.year) {
            return Err(EnterpriseError::DuplicatePolicyYear { year: target.year });
        }
    }
    if plan.measures.is_empty() {
        return Err(EnterpriseError::PolicyPlanWithoutMeasures);
    }
    if let Some(index) = plan.measures.iter().position(|m| m.trim().is_empty()) {
        return Err(EnterpriseError::BlankMeasure { index });
    }
    Ok(())
}

impl Enterprise {
    fn require_active(&self, command: &'static str) -> Result<(), EnterpriseError> {
        if self.status == EnterpriseStatus::Active {
            Ok(())
        } else {
            Err(EnterpriseError::InvalidTransition {
                state: self.status,
                command,
            })
        }
    }

    fn require_not_before_registration(
        &self,
        command: &'static str,
        date: NaiveDate,
    ) -> Result<(), EnterpriseError> {
        match self.registered_on {
            Some(registered_on) if date < registered_on => {
                Err(EnterpriseError::DateBeforeRegistration {
                    command,
                    date,
                    registered_on,
                })
            }
            _ => Ok(()),
        }
    }

    fn require_refinery(&self, command: &'static str) -> Result<(), EnterpriseError> {
        if self.is_alumina_refinery() {
            Ok(())
        } else {
            Err(EnterpriseError::RequiresAluminaRefinery {
                command,
                kinds: self.kinds.clone(),
            })
        }
    }

    /// The roll-forward with `period` set to `figures` (recorded or replaced) and the given
    /// baseline stock must stay non-negative.
    fn check_stock_with(
        &self,
        baseline: Kg,
        change: Option<(Period, &LedgerFigures)>,
    ) -> Result<(), EnterpriseError> {
        let replaced = change.map(|(p, _)| p);
        let entries = self
            .ledger
            .iter()
            .filter(|(p, _)| Some(**p) != replaced)
            .map(|(p, e)| (*p, &e.figures))
            .chain(change);
        roll_forward(baseline, entries)?;
        Ok(())
    }

    fn claim(&self, claim_id: Uuid) -> Result<&TaxClaim, EnterpriseError> {
        self.claims
            .get(&claim_id)
            .ok_or(EnterpriseError::UnknownClaim { claim_id })
    }

    fn decide_register(&self, command: &EnterpriseCommand) -> Decision {
        let EnterpriseCommand::Register {
            enterprise_id,
            name,
            uscc,
            region,
            kinds,
            registered_on,
        } = command
        else {
            return Ok(vec![]);
        };
        if self.status != EnterpriseStatus::NotRegistered {
            return Err(EnterpriseError::InvalidTransition {
                state: self.status,
                command: command.name(),
            });
        }
        check_name(name)?;
        check_kinds(kinds)?;
        check_region(*region)?;
        one(EnterpriseRegistered {
            enterprise_id: *enterprise_id,
            name: name.trim().to_owned(),
            uscc: *uscc,
            region: *region,
            kinds: kinds.clone(),
            registered_on: *registered_on,
        })
    }

    fn decide_amend(
        &self,
        name: &Option<String>,
        uscc: &Option<Uscc>,
        region: &Option<Region>,
        kinds: &Option<BTreeSet<EnterpriseKind>>,
        amended_on: NaiveDate,
    ) -> Decision {
        self.require_not_before_registration("Amend", amended_on)?;
        if let Some(n) = name {
            check_name(n)?;
        }
        if let Some(k) = kinds {
            check_kinds(k)?;
        }
        if let Some(r) = region {
            check_region(*r)?;
        }
        let event = EnterpriseAmended {
            name: name
                .as_ref()
                .map(|n| n.trim().to_owned())
                .filter(|n| *n != self.name),
            uscc: uscc.filter(|u| Some(*u) != self.uscc),
            region: region.filter(|r| Some(*r) != self.region),
            kinds: kinds.clone().filter(|k| *k != self.kinds),
            amended_on,
        };
        if event.name.is_none()
            && event.uscc.is_none()
            && event.region.is_none()
            && event.kinds.is_none()
        {
            return Err(EnterpriseError::NothingToAmend);
        }
        one(event)
    }

    fn decide_record_ledger(
        &self,
        period: Period,
        figures: &LedgerFigures,
        today: NaiveDate,
    ) -> Decision {
        self.require_refinery("RecordLedger")?;
        if period.end() >= today {
            return Err(EnterpriseError::PeriodNotEnded { period, today });
        }
        if self.ledger.contains_key(&period) {
            return Err(EnterpriseError::PeriodAlreadyRecorded { period });
        }
        if let Some(recorded) = self.ledger.keys().find(|p| p.overlaps(period)) {
            return Err(EnterpriseError::PeriodOverlapsRecorded {
                period,
                recorded: *recorded,
            });
        }
        if let Some(baseline) = self.stock_baseline
            && period.start() < baseline.as_of
        {
            return Err(EnterpriseError::PeriodBeforeStockBaseline {
                period,
                baseline_as_of: baseline.as_of,
            });
        }
        figures.check_balance()?;
        self.check_stock_with(self.baseline_stock(), Some((period, figures)))?;
        one(LedgerRecorded {
            period,
            figures: figures.clone(),
        })
    }

    fn decide_correct_ledger(
        &self,
        period: Period,
        figures: &LedgerFigures,
        reason: &str,
    ) -> Decision {
        require_reason(reason, "CorrectLedger")?;
        let entry = self
            .ledger
            .get(&period)
            .ok_or(EnterpriseError::PeriodNotRecorded { period })?;
        if entry.figures == *figures {
            return Err(EnterpriseError::CorrectionChangesNothing {
                period,
                revision: entry.revision,
            });
        }
        figures.check_balance()?;
        self.check_stock_with(self.baseline_stock(), Some((period, figures)))?;
        one(LedgerCorrected {
            period,
            revision: entry.revision.saturating_add(1),
            corrects_revision: entry.revision,
            previous: entry.figures.clone(),
            figures: figures.clone(),
            reason: reason.to_owned(),
        })
    }

    fn decide_claim(
        &self,
        claim_id: Uuid,
        period: Period,
        claim: &TaxIncentiveClaim,
        claimed_on: NaiveDate,
    ) -> Decision {
        if self.claims.contains_key(&claim_id) {
            return Err(EnterpriseError::DuplicateClaim { claim_id });
        }
        if period.end() >= claimed_on {
            return Err(EnterpriseError::PeriodNotEnded {
                period,
                today: claimed_on,
            });
        }
        if claim.amount().is_zero() {
            return Err(EnterpriseError::ZeroClaim);
        }
        let kind = claim.kind();
        if let Some((existing_claim, existing)) = self.claims.iter().find(|(_, c)| {
            c.claim.kind() == kind && c.state != ClaimState::Rejected && c.period.overlaps(period)
        }) {
            return Err(EnterpriseError::OverlappingClaim {
                kind,
                period,
                existing_claim: *existing_claim,
                existing_period: existing.period,
            });
        }
        match *claim {
            TaxIncentiveClaim::VatImmediateRefund {
                vat_paid,
                refund_rate,
                refund,
            } => {
                if !rules::is_catalogue_vat_refund_rate(refund_rate) {
                    return Err(EnterpriseError::VatRefundRateNotInCatalogue { refund_rate });
                }
                let max_refund = rules::max_vat_refund(vat_paid, refund_rate);
                if refund > max_refund {
                    return Err(EnterpriseError::VatRefundExceedsRate {
                        vat_paid,
                        refund_rate,
                        max_refund,
                        claimed: refund,
                    });
                }
            }
            TaxIncentiveClaim::EnvironmentalTaxExemption {
                utilized,
                tax_per_tonne,
                exemption,
            } => {
                let max_exemption =
                    rules::max_environmental_tax_exemption(utilized, tax_per_tonne)?;
                if exemption > max_exemption {
                    return Err(EnterpriseError::ExemptionExceedsTax {
                        utilized,
                        tax_per_tonne,
                        max_exemption,
                        claimed: exemption,
                    });
                }
                let ledger_utilized = self.ledger_within(period)?.utilized_total()?;
                if utilized > ledger_utilized {
                    return Err(EnterpriseError::ExemptionExceedsLedgerUtilized {
                        period,
                        ledger_utilized,
                        claimed_utilized: utilized,
                    });
                }
            }
            TaxIncentiveClaim::IncomeTaxReduction {
                qualifying_income,
                reduction,
            } => {
                let max_reduction = rules::max_income_reduction(qualifying_income);
                if reduction > max_reduction {
                    return Err(EnterpriseError::IncomeReductionExceedsShare {
                        qualifying_income,
                        max_reduction,
                        claimed: reduction,
                    });
                }
            }
        }
        one(TaxIncentiveClaimed {
            claim_id,
            period,
            claim: claim.clone(),
            claimed_on,
        })
    }

    fn require_claim_state(
        &self,
        claim_id: Uuid,
        wanted: ClaimState,
        command: &'static str,
        date: NaiveDate,
    ) -> Result<&TaxClaim, EnterpriseError> {
        let claim = self.claim(claim_id)?;
        if claim.state != wanted {
            return Err(EnterpriseError::ClaimInvalidTransition {
                claim_id,
                state: claim.state,
                command,
            });
        }
        if date < claim.claimed_on {
            return Err(EnterpriseError::DateBeforeClaim {
                command,
                date,
                claimed_on: claim.claimed_on,
            });
        }
        Ok(claim)
    }
}

impl Aggregate for Enterprise {
    const CATEGORY: &'static str = "enterprise";
    type Command = EnterpriseCommand;
    type Event = EnterpriseEvent;
    type Error = EnterpriseError;

    fn decide(&self, command: &EnterpriseCommand) -> Decision {
        use EnterpriseCommand as C;
        if let C::Register { .. } = command {
            return self.decide_register(command);
        }
        let name = command.name();
        self.require_active(name)?;
        match command {
            C::Register { .. } => self.decide_register(command),
            C::Amend {
                name,
                uscc,
                region,
                kinds,
                amended_on,
            } => self.decide_amend(name, uscc, region, kinds, *amended_on),
            C::Deregister {
                deregistered_on,
                reason,
            } => {
                require_reason(reason, name)?;
                self.require_not_before_registration(name, *deregistered_on)?;
                one(EnterpriseDeregistered {
                    deregistered_on: *deregistered_on,
                    reason: reason.clone(),
                })
            }
            C::FilePolicyPlan { plan, filed_on } => {
                self.require_refinery(name)?;
                if let Some(current) = &self.policy_plan {
                    return Err(EnterpriseError::PolicyPlanAlreadyFiled {
                        revision: current.revision,
                    });
                }
                self.require_not_before_registration(name, *filed_on)?;
                check_plan(plan)?;
                one(PolicyPlanFiled {
                    plan: plan.clone(),
                    filed_on: *filed_on,
                })
            }
            C::RevisePolicyPlan {
                plan,
                revised_on,
                reason,
            } => {
                require_reason(reason, name)?;
                let current = self
                    .policy_plan
                    .as_ref()
                    .ok_or(EnterpriseError::PolicyPlanNotFiled)?;
                self.require_not_before_registration(name, *revised_on)?;
                check_plan(plan)?;
                if current.plan == *plan {
                    return Err(EnterpriseError::PolicyRevisionChangesNothing {
                        revision: current.revision,
                    });
                }
                one(PolicyPlanRevised {
                    revision: current.revision.saturating_add(1),
                    plan: plan.clone(),
                    revised_on: *revised_on,
                    reason: reason.clone(),
                })
            }
            C::DeclareStockBaseline { as_of, stock } => {
                self.require_refinery(name)?;
                if let Some(b) = self.stock_baseline {
                    return Err(EnterpriseError::StockBaselineAlreadyDeclared { as_of: b.as_of });
                }
                if let Some(first) = self.ledger.keys().next()
                    && first.start() < *as_of
                {
                    return Err(EnterpriseError::StockBaselineAfterRecordedPeriod {
                        as_of: *as_of,
                        period: *first,
                    });
                }
                self.check_stock_with(*stock, None)?;
                one(StockBaselineDeclared {
                    as_of: *as_of,
                    stock: *stock,
                })
            }
            C::CorrectStockBaseline { stock, reason } => {
                require_reason(reason, name)?;
                let baseline = self
                    .stock_baseline
                    .ok_or(EnterpriseError::StockBaselineNotDeclared)?;
                if baseline.stock == *stock {
                    return Err(EnterpriseError::BaselineCorrectionChangesNothing {
                        stock: *stock,
                    });
                }
                self.check_stock_with(*stock, None)?;
                one(StockBaselineCorrected {
                    as_of: baseline.as_of,
                    previous: baseline.stock,
                    stock: *stock,
                    reason: reason.clone(),
                })
            }
            C::RecordLedger {
                period,
                figures,
                today,
            } => self.decide_record_ledger(*period, figures, *today),
            C::CorrectLedger {
                period,
                figures,
                reason,
            } => self.decide_correct_ledger(*period, figures, reason),
            C::GrantDesignation {
                designation,
                granted_on,
                document,
                valid_until,
            } => {
                if document.trim().is_empty() {
                    return Err(EnterpriseError::BlankDocument);
                }
                if let Some(end) = valid_until
                    && end < granted_on
                {
                    return Err(EnterpriseError::ValidityEndsBeforeGrant {
                        granted_on: *granted_on,
                        valid_until: *end,
                    });
                }
                self.require_not_before_registration(name, *granted_on)?;
                if let Some(current) = self.designations.get(designation)
                    && current.in_force_on(*granted_on)
                {
                    return Err(EnterpriseError::DesignationAlreadyHeld {
                        designation: *designation,
                        granted_on: current.granted_on,
                    });
                }
                one(DesignationGranted {
                    designation: *designation,
                    granted_on: *granted_on,
                    document: document.trim().to_owned(),
                    valid_until: *valid_until,
                })
            }
            C::RevokeDesignation {
                designation,
                revoked_on,
                reason,
            } => {
                require_reason(reason, name)?;
                let current = self.designations.get(designation).ok_or(
                    EnterpriseError::DesignationNotHeld {
                        designation: *designation,
                        on: *revoked_on,
                    },
                )?;
                if *revoked_on < current.granted_on {
                    return Err(EnterpriseError::RevocationBeforeGrant {
                        designation: *designation,
                        granted_on: current.granted_on,
                        revoked_on: *revoked_on,
                    });
                }
                if !current.in_force_on(*revoked_on) {
                    return Err(EnterpriseError::DesignationNotHeld {
                        designation: *designation,
                        on: *revoked_on,
                    });
                }
                one(DesignationRevoked {
                    designation: *designation,
                    revoked_on: *revoked_on,
                    reason: reason.clone(),
                })
            }
            C::RecordCleanProductionAudit {
                audit_id,
                completed_on,
                auditor,
                outcome,
                summary,
            } => {
                if self.audits.contains_key(audit_id) {
                    return Err(EnterpriseError::DuplicateAudit {
                        audit_id: *audit_id,
                    });
                }
                if auditor.trim().is_empty() {
                    return Err(EnterpriseError::BlankAuditor);
                }
                one(CleanProductionAuditRecorded {
                    audit_id: *audit_id,
                    completed_on: *completed_on,
                    auditor: auditor.trim().to_owned(),
                    outcome: *outcome,
                    summary: summary.clone(),
                })
            }
            C::ClaimTaxIncentive {
                claim_id,
                period,
                claim,
                claimed_on,
            } => self.decide_claim(*claim_id, *period, claim, *claimed_on),
            C::ApproveTaxIncentive {
                claim_id,
                approved,
                decided_on,
            } => {
                let claim =
                    self.require_claim_state(*claim_id, ClaimState::Claimed, name, *decided_on)?;
                if approved.is_zero() {
                    return Err(EnterpriseError::ZeroApproval);
                }
                if *approved > claim.claim.amount() {
                    return Err(EnterpriseError::ApprovalExceedsClaim {
                        claimed: claim.claim.amount(),
                        approved: *approved,
                    });
                }
                one(TaxIncentiveApproved {
                    claim_id: *claim_id,
                    approved: *approved,
                    decided_on: *decided_on,
                })
            }
            C::RejectTaxIncentive {
                claim_id,
                decided_on,
                reason,
            } => {
                require_reason(reason, name)?;
                self.require_claim_state(*claim_id, ClaimState::Claimed, name, *decided_on)?;
                one(TaxIncentiveRejected {
                    claim_id: *claim_id,
                    decided_on: *decided_on,
                    reason: reason.clone(),
                })
            }
            C::RecoverTaxIncentive {
                claim_id,
                amount,
                recovered_on,
                reason,
            } => {
                require_reason(reason, name)?;
                let claim =
                    self.require_claim_state(*claim_id, ClaimState::Approved, name, *recovered_on)?;
                if amount.is_zero() {
                    return Err(EnterpriseError::ZeroRecovery);
                }
                let exceeds = EnterpriseError::RecoveryExceedsApproved {
                    approved: claim.approved,
                    already_recovered: claim.recovered,
                    requested: *amount,
                };
                let total = claim
                    .recovered
                    .checked_add(*amount)
                    .map_err(|_| exceeds.clone())?;
                if total > claim.approved {
                    return Err(exceeds);
                }
                one(TaxIncentiveRecovered {
                    claim_id: *claim_id,
                    amount: *amount,
                    recovered_on: *recovered_on,
                    reason: reason.clone(),
                })
            }
            C::RecommendTypicalCase {
                recommended_on,
                summary,
            } => {
                if let Some(case) = self.typical_case.as_ref().filter(|c| c.is_standing()) {
                    return Err(EnterpriseError::AlreadyTypicalCase {
                        recommended_on: case.recommended_on,
                    });
                }
                if summary.trim().is_empty() {
                    return Err(EnterpriseError::BlankCaseSummary);
                }
                self.require_not_before_registration(name, *recommended_on)?;
                one(EnterpriseTypicalCaseRecommended {
                    recommended_on: *recommended_on,
                    summary: summary.trim().to_owned(),
                })
            }
            C::WithdrawTypicalCase {
                withdrawn_on,
                reason,
            } => {
                let case = self
                    .typical_case
                    .as_ref()
                    .filter(|c| c.is_standing())
                    .ok_or(EnterpriseError::NotTypicalCase)?;
                require_reason(reason, name)?;
                if *withdrawn_on < case.recommended_on {
                    return Err(EnterpriseError::WithdrawalBeforeRecommendation {
                        withdrawn_on: *withdrawn_on,
                        recommended_on: case.recommended_on,
                    });
                }
                one(EnterpriseTypicalCaseWithdrawn {
                    withdrawn_on: *withdrawn_on,
                    reason: reason.clone(),
                })
            }
        }
    }

    fn apply(&mut self, event: &EnterpriseEvent) {
        use EnterpriseEvent as E;
        match event {
            E::Registered(e) => {
                self.status = EnterpriseStatus::Active;
                self.id = Some(e.enterprise_id);
                self.name = e.name.clone();
                self.uscc = Some(e.uscc);
                self.region = Some(e.region);
                self.kinds = e.kinds.clone();
                self.registered_on = Some(e.registered_on);
            }
            E::Amended(e) => {
                if let Some(name) = &e.name {
                    self.name = name.clone();
                }
                if let Some(uscc) = e.uscc {
                    self.uscc = Some(uscc);
                }
                if let Some(region) = e.region {
                    self.region = Some(region);
                }
                if let Some(kinds) = &e.kinds {
                    self.kinds = kinds.clone();
                }
            }
            E::Deregistered(e) => {
                self.status = EnterpriseStatus::Deregistered;
                self.deregistered_on = Some(e.deregistered_on);
            }
            E::PolicyPlanFiled(e) => {
                self.policy_plan = Some(PolicyPlanInForce {
                    plan: e.plan.clone(),
                    revision: 1,
                    filed_on: e.filed_on,
                });
            }
            E::PolicyPlanRevised(e) => {
                let filed_on = self
                    .policy_plan
                    .as_ref()
                    .map_or(e.revised_on, |p| p.filed_on);
                self.policy_plan = Some(PolicyPlanInForce {
                    plan: e.plan.clone(),
                    revision: e.revision,
                    filed_on,
                });
            }
            E::StockBaselineDeclared(e) => {
                self.stock_baseline = Some(StockBaseline {
                    as_of: e.as_of,
                    stock: e.stock,
                });
            }
            E::StockBaselineCorrected(e) => {
                self.stock_baseline = Some(StockBaseline {
                    as_of: e.as_of,
                    stock: e.stock,
                });
            }
            E::LedgerRecorded(e) => {
                self.ledger.insert(
                    e.period,
                    LedgerEntry {
                        figures: e.figures.clone(),
                        revision: 1,
                    },
                );
            }
            E::LedgerCorrected(e) => {
                self.ledger.insert(
                    e.period,
                    LedgerEntry {
                        figures: e.figures.clone(),
                        revision: e.revision,
                    },
                );
            }
            E::DesignationGranted(e) => {
                self.designations.insert(
                    e.designation,
                    DesignationGrant {
                        granted_on: e.granted_on,
                        document: e.document.clone(),
                        valid_until: e.valid_until,
                    },
                );
            }
            E::DesignationRevoked(e) => {
                self.designations.remove(&e.designation);
            }
            E::CleanProductionAuditRecorded(e) => {
                self.audits.insert(e.audit_id, e.clone());
            }
            E::TaxIncentiveClaimed(e) => {
                self.claims.insert(
                    e.claim_id,
                    TaxClaim {
                        period: e.period,
                        claim: e.claim.clone(),
                        claimed_on: e.claimed_on,
                        state: ClaimState::Claimed,
                        approved: Fen::ZERO,
                        recovered: Fen::ZERO,
                    },
                );
            }
            E::TaxIncentiveApproved(e) => {
                if let Some(c) = self.claims.get_mut(&e.claim_id) {
                    c.state = ClaimState::Approved;
                    c.approved = e.approved;
                }
            }
            E::TaxIncentiveRejected(e) => {
                if let Some(c) = self.claims.get_mut(&e.claim_id) {
                    c.state = ClaimState::Rejected;
                }
            }
            E::TaxIncentiveRecovered(e) => {
                if let Some(c) = self.claims.get_mut(&e.claim_id) {
                    c.recovered = c.recovered.checked_add(e.amount).unwrap_or(Fen::MAX);
                }
            }
            E::TypicalCaseRecommended(e) => {
                self.typical_case = Some(TypicalCase::recommended(&e.summary, e.recommended_on));
            }
            E::TypicalCaseWithdrawn(e) => {
                if let Some(case) = self.typical_case.as_mut() {
                    case.withdraw(e.withdrawn_on, &e.reason);
                }
            }
        }
    }
}
