//! Typical cases (典型案例): the plan's safeguard (四) asks for typical cases to be recommended and
//! publicised. A provincial officer recommends an enterprise or a project (events on those
//! aggregates: `EnterpriseTypicalCaseRecommended` / `ProjectTypicalCaseRecommended`) and may
//! later withdraw the recommendation with a reason; the aggregate keeps the latest
//! recommendation, standing or withdrawn.

use chrono::NaiveDate;

/// A typical-case recommendation as it stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TypicalCase {
    /// What makes it typical.
    pub summary: String,
    /// Date recommended.
    pub recommended_on: NaiveDate,
    /// Date withdrawn, once withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_on: Option<NaiveDate>,
    /// Why it was withdrawn, once withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal_reason: Option<String>,
}

impl TypicalCase {
    /// A new, standing recommendation.
    pub fn recommended(summary: &str, recommended_on: NaiveDate) -> TypicalCase {
        TypicalCase {
            summary: summary.to_owned(),
            recommended_on,
            withdrawn_on: None,
            withdrawal_reason: None,
        }
    }

    /// Whether the recommendation stands (was not withdrawn).
    pub fn is_standing(&self) -> bool {
        self.withdrawn_on.is_none()
    }

    /// Whether it stood on a date: recommended on or before it and not withdrawn by then.
    pub fn stands_on(&self, on: NaiveDate) -> bool {
        self.recommended_on <= on && self.withdrawn_on.is_none_or(|w| w > on)
    }

    /// Marks it withdrawn.
    pub fn withdraw(&mut self, withdrawn_on: NaiveDate, reason: &str) {
        self.withdrawn_on = Some(withdrawn_on);
        self.withdrawal_reason = Some(reason.to_owned());
    }
}
