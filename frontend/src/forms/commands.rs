//! The domain's commands read for [`super::check`] without serde's buffered path.
//!
//! On the wire a command is internally tagged (`{"command": "AwardFunding", …fields}`), which serde
//! can only read by first buffering the whole object into its private `Content` tree and then
//! reading every variant's fields from that tree: a second copy, for `Content`, of the
//! deserialiser of every field type (dates, ids, kilograms, regions, plans …) next to the copy for
//! `serde_json::Value` that reading the states already needs, plus the buffering itself. In the
//! browser that cost most of the wasm of the forms' check (see docs/client.md, "Size").
//!
//! So the client moves the tag (`{"AwardFunding": {…fields}}`, [`externally_tagged`]) and reads
//! it with serde's `remote` mirror of each command enum below: the same variants, fields, types
//! and field attributes, deserialised straight from the `Value`. The wire format is the domain's
//! and does not change; the compiler checks every mirrored field against the domain's (a field
//! added, removed or retyped there fails to compile here) and the tests check that the variants
//! are the same ones (a command added to the domain is added here too, or that test fails).

use serde::de::Error as _;
use serde_json::{Map, Value};

/// A domain command the client reads from its wire form through a mirror.
pub(crate) trait Mirrored: Sized {
    /// Reads the command from its wire form (`{"command": name, …fields}`).
    fn from_wire(command: Value) -> Result<Self, serde_json::Error>;
}

/// `{"command": name, …fields}` → `{name: {…fields}}`.
pub(crate) fn externally_tagged(command: Value) -> Result<Value, serde_json::Error> {
    let Value::Object(mut fields) = command else {
        return Err(serde_json::Error::custom("a command is a JSON object"));
    };
    let Some(Value::String(name)) = fields.remove("command") else {
        return Err(serde_json::Error::missing_field("command"));
    };
    let mut tagged = Map::new();
    tagged.insert(name, Value::Object(fields));
    Ok(Value::Object(tagged))
}

mod enterprise {
    #![allow(dead_code)] // the mirrors are never built: serde builds the domain's enums
    use std::collections::BTreeSet;

    use redmud_domain::enterprise::*;
    use redmud_domain::*;
    use serde::Deserialize;

    /// [`EnterpriseCommand`], externally tagged.
    #[derive(Deserialize)]
    #[serde(remote = "EnterpriseCommand")]
    enum EnterpriseCommandDef {
        Register {
            enterprise_id: Uuid,
            name: String,
            uscc: Uscc,
            region: Region,
            kinds: BTreeSet<EnterpriseKind>,
            registered_on: NaiveDate,
        },
        Amend {
            name: Option<String>,
            uscc: Option<Uscc>,
            region: Option<Region>,
            kinds: Option<BTreeSet<EnterpriseKind>>,
            amended_on: NaiveDate,
        },
        Deregister {
            deregistered_on: NaiveDate,
            reason: String,
        },
        FilePolicyPlan {
            plan: PolicyPlan,
            filed_on: NaiveDate,
        },
        RevisePolicyPlan {
            plan: PolicyPlan,
            revised_on: NaiveDate,
            reason: String,
        },
        DeclareStockBaseline {
            as_of: NaiveDate,
            stock: Kg,
        },
        CorrectStockBaseline {
            stock: Kg,
            reason: String,
        },
        RecordLedger {
            period: Period,
            figures: LedgerFigures,
            today: NaiveDate,
        },
        CorrectLedger {
            period: Period,
            figures: LedgerFigures,
            reason: String,
        },
        GrantDesignation {
            designation: DesignationKind,
            granted_on: NaiveDate,
            document: String,
            valid_until: Option<NaiveDate>,
        },
        RevokeDesignation {
            designation: DesignationKind,
            revoked_on: NaiveDate,
            reason: String,
        },
        RecordCleanProductionAudit {
            audit_id: Uuid,
            completed_on: NaiveDate,
            auditor: String,
            outcome: AuditOutcome,
            summary: String,
        },
        ClaimTaxIncentive {
            claim_id: Uuid,
            period: Period,
            claim: TaxIncentiveClaim,
            claimed_on: NaiveDate,
        },
        ApproveTaxIncentive {
            claim_id: Uuid,
            approved: Fen,
            decided_on: NaiveDate,
        },
        RejectTaxIncentive {
            claim_id: Uuid,
            decided_on: NaiveDate,
            reason: String,
        },
        RecoverTaxIncentive {
            claim_id: Uuid,
            amount: Fen,
            recovered_on: NaiveDate,
            reason: String,
        },
        RecommendTypicalCase {
            recommended_on: NaiveDate,
            summary: String,
        },
        WithdrawTypicalCase {
            withdrawn_on: NaiveDate,
            reason: String,
        },
    }

    impl super::Mirrored for EnterpriseCommand {
        fn from_wire(command: serde_json::Value) -> Result<Self, serde_json::Error> {
            EnterpriseCommandDef::deserialize(super::externally_tagged(command)?)
        }
    }
}

mod project {
    #![allow(dead_code)] // the mirrors are never built: serde builds the domain's enums
    use redmud_domain::project::*;
    use redmud_domain::*;
    use serde::Deserialize;

    /// [`ProjectCommand`], externally tagged.
    #[derive(Deserialize)]
    #[serde(remote = "ProjectCommand")]
    enum ProjectCommandDef {
        ProposeProject {
            project_id: Uuid,
            proposal: ProjectProposal,
            proposed_on: NaiveDate,
        },
        ApproveProject {
            approved_on: NaiveDate,
            document: String,
        },
        StartConstruction {
            started_on: NaiveDate,
        },
        PlanMilestone {
            milestone_id: Uuid,
            name: String,
            planned_on: NaiveDate,
        },
        AchieveMilestone {
            milestone_id: Uuid,
            achieved_on: NaiveDate,
            evidence: String,
        },
        CommissionCapacity {
            capacity_per_year: Kg,
            commissioned_on: NaiveDate,
        },
        AcceptProject {
            accepted_on: NaiveDate,
            document: String,
        },
        FailAcceptance {
            failed_on: NaiveDate,
            reason: String,
        },
        SuspendProject {
            suspended_on: NaiveDate,
            reason: String,
        },
        ResumeProject {
            resumed_on: NaiveDate,
        },
        CancelProject {
            cancelled_on: NaiveDate,
            reason: String,
        },
        AwardFunding {
            award_id: Uuid,
            source: FundingSource,
            programme: String,
            amount: Fen,
            tranches: Vec<TrancheTerm>,
            awarded_on: NaiveDate,
        },
        DisburseTranche {
            award_id: Uuid,
            tranche: u32,
            disbursed_on: NaiveDate,
        },
        RecoverFunding {
            award_id: Uuid,
            amount: Fen,
            recovered_on: NaiveDate,
            reason: String,
        },
        OpenConsultation {
            opened_on: NaiveDate,
        },
        ApproveStandard {
            approved_on: NaiveDate,
            document: String,
        },
        PublishStandard {
            published_on: NaiveDate,
            number: String,
        },
        WithdrawStandard {
            withdrawn_on: NaiveDate,
            reason: String,
        },
        RecommendTypicalCase {
            recommended_on: NaiveDate,
            summary: String,
        },
        WithdrawTypicalCase {
            withdrawn_on: NaiveDate,
            reason: String,
        },
    }

    impl super::Mirrored for ProjectCommand {
        fn from_wire(command: serde_json::Value) -> Result<Self, serde_json::Error> {
            ProjectCommandDef::deserialize(super::externally_tagged(command)?)
        }
    }
}

mod base {
    #![allow(dead_code)] // the mirrors are never built: serde builds the domain's enums
    use redmud_domain::base::*;
    use redmud_domain::*;
    use serde::Deserialize;

    /// [`BaseCommand`], externally tagged.
    #[derive(Deserialize)]
    #[serde(remote = "BaseCommand")]
    enum BaseCommandDef {
        DesignateBase {
            base_id: Uuid,
            name: String,
            kind: BaseKind,
            level: DesignationLevel,
            region: Region,
            designated_on: NaiveDate,
            document: String,
        },
        AddMember {
            enterprise_id: Uuid,
            added_on: NaiveDate,
        },
        RemoveMember {
            enterprise_id: Uuid,
            removed_on: NaiveDate,
            reason: String,
        },
        LinkProject {
            project_id: Uuid,
            linked_on: NaiveDate,
        },
        UnlinkProject {
            project_id: Uuid,
            unlinked_on: NaiveDate,
            reason: String,
        },
        SetYearTargets {
            year: u16,
            targets: BaseTargets,
            set_on: NaiveDate,
        },
        ReviseYearTargets {
            year: u16,
            targets: BaseTargets,
            revised_on: NaiveDate,
            reason: String,
        },
        RecordEvaluation {
            year: u16,
            result: EvaluationResult,
            summary: String,
            evaluated_on: NaiveDate,
        },
        RevokeBase {
            revoked_on: NaiveDate,
            reason: String,
        },
    }

    impl super::Mirrored for BaseCommand {
        fn from_wire(command: serde_json::Value) -> Result<Self, serde_json::Error> {
            BaseCommandDef::deserialize(super::externally_tagged(command)?)
        }
    }
}

mod regional_plan {
    #![allow(dead_code)] // the mirrors are never built: serde builds the domain's enums
    use redmud_domain::regional_plan::*;
    use redmud_domain::*;
    use serde::Deserialize;

    /// [`RegionalPlanCommand`], externally tagged.
    #[derive(Deserialize)]
    #[serde(remote = "RegionalPlanCommand")]
    enum RegionalPlanCommandDef {
        SetTargets {
            plan_id: Uuid,
            region: Region,
            year: u16,
            targets: RegionalTargets,
            set_on: NaiveDate,
        },
        ReviseTargets {
            targets: RegionalTargets,
            revised_on: NaiveDate,
            reason: String,
        },
        SubmitReport {
            period: Period,
            figures: ReportFigures,
            summary: String,
            submitted_on: NaiveDate,
        },
        ReturnReport {
            period: Period,
            returned_on: NaiveDate,
            reason: String,
        },
        AcceptReport {
            period: Period,
            accepted_on: NaiveDate,
        },
    }

    impl super::Mirrored for RegionalPlanCommand {
        fn from_wire(command: serde_json::Value) -> Result<Self, serde_json::Error> {
            RegionalPlanCommandDef::deserialize(super::externally_tagged(command)?)
        }
    }
}

mod account {
    #![allow(dead_code)] // the mirrors are never built: serde builds the domain's enums
    use redmud_domain::account::*;
    use redmud_domain::*;
    use serde::Deserialize;

    /// [`AccountCommand`], externally tagged.
    #[derive(Deserialize)]
    #[serde(remote = "AccountCommand")]
    enum AccountCommandDef {
        CreateAccount {
            account_id: Uuid,
            username: Username,
            display_name: String,
            role: Role,
            #[serde(default)]
            region: Option<Region>,
            organisation: String,
            created_on: NaiveDate,
        },
        ChangeRole {
            role: Role,
            #[serde(default)]
            region: Option<Region>,
            changed_on: NaiveDate,
            reason: String,
        },
        UpdateProfile {
            #[serde(default)]
            display_name: Option<String>,
            #[serde(default)]
            organisation: Option<String>,
            updated_on: NaiveDate,
        },
        DisableAccount {
            disabled_on: NaiveDate,
            reason: String,
        },
        EnableAccount {
            enabled_on: NaiveDate,
            reason: String,
        },
        RecordPasswordChange {
            changed_on: NaiveDate,
        },
    }

    impl super::Mirrored for AccountCommand {
        fn from_wire(command: serde_json::Value) -> Result<Self, serde_json::Error> {
            AccountCommandDef::deserialize(super::externally_tagged(command)?)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use redmud_domain::account::AccountCommand;
    use redmud_domain::base::BaseCommand;
    use redmud_domain::enterprise::EnterpriseCommand;
    use redmud_domain::project::ProjectCommand;
    use redmud_domain::regional_plan::RegionalPlanCommand;
    use redmud_domain::{EnterpriseKind, NaiveDate, Uuid};
    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use serde_json::{Value, json};

    use super::Mirrored;
    use crate::forms::{Agg, command_json, specs};

    /// The domain's own reading and the mirror's, errors as text.
    fn both<C>(wire: &Value) -> (Result<C, String>, Result<C, String>)
    where
        C: DeserializeOwned + Mirrored,
    {
        (
            serde_json::from_value::<C>(wire.clone()).map_err(|e| e.to_string()),
            C::from_wire(wire.clone()).map_err(|e| e.to_string()),
        )
    }

    fn same<C>(wire: &Value)
    where
        C: DeserializeOwned + Mirrored + PartialEq + Debug,
    {
        let (domain, mirror) = both::<C>(wire);
        assert_eq!(domain, mirror, "{wire}");
    }

    fn round_trip<C>(command: &C)
    where
        C: Serialize + DeserializeOwned + Mirrored + PartialEq + Debug,
    {
        let wire = serde_json::to_value(command).expect("wire form");
        assert_eq!(
            C::from_wire(wire.clone()).as_ref().ok(),
            Some(command),
            "{wire}"
        );
        same::<C>(&wire);
    }

    #[test]
    fn the_mirrors_have_the_domains_variants() {
        // serde's refusal of an unknown name lists every variant, in order.
        let wire = json!({ "command": "NoSuchCommand" });
        same::<EnterpriseCommand>(&wire);
        same::<ProjectCommand>(&wire);
        same::<BaseCommand>(&wire);
        same::<RegionalPlanCommand>(&wire);
        same::<AccountCommand>(&wire);
        let (domain, _) = both::<AccountCommand>(&wire);
        assert!(domain.is_err_and(|e| e.contains("`CreateAccount`")));
    }

    #[test]
    fn every_forms_command_reads_as_the_domain_reads_it() {
        // The empty form of every command: its tag, fills and ids, the other fields missing —
        // the same field is reported missing (or the same command read) both ways.
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).expect("date");
        for spec in specs::ALL {
            let wire = command_json(spec, &json!({}), today);
            match spec.agg {
                Agg::Enterprise => same::<EnterpriseCommand>(&wire),
                Agg::Project => same::<ProjectCommand>(&wire),
                Agg::Base => same::<BaseCommand>(&wire),
                Agg::RegionalPlan => same::<RegionalPlanCommand>(&wire),
                Agg::Account => same::<AccountCommand>(&wire),
            }
        }
        for wire in [json!([]), json!({ "command": 7 }), json!({ "reason": "x" })] {
            assert!(EnterpriseCommand::from_wire(wire).is_err());
        }
    }

    #[test]
    fn commands_round_trip_through_their_wire_form() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 31).expect("date");
        let id = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
        round_trip(&EnterpriseCommand::Amend {
            name: Some("贵州某铝业".to_owned()),
            uscc: None,
            region: None,
            kinds: Some([EnterpriseKind::AluminaRefinery].into()),
            amended_on: day,
        });
        round_trip(&ProjectCommand::DisburseTranche {
            award_id: id,
            tranche: 2,
            disbursed_on: day,
        });
        round_trip(&BaseCommand::AddMember {
            enterprise_id: id,
            added_on: day,
        });
        round_trip(&AccountCommand::UpdateProfile {
            display_name: None,
            organisation: Some("省工信厅".to_owned()),
            updated_on: day,
        });
        // A field left out that the domain defaults.
        same::<AccountCommand>(&json!({ "command": "UpdateProfile", "updated_on": "2026-03-31" }));
    }
}
