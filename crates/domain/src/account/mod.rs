//! The **Account** aggregate: one user of the system and the role they act in (DESIGN.md §2).
//!
//! ## Lifecycle
//!
//! ```text
//! NotCreated --CreateAccount--> Active --DisableAccount (reason)--> Disabled
//!                               Active <--EnableAccount (reason)--- Disabled
//! ```
//!
//! `ChangeRole`, `UpdateProfile` and `RecordPasswordChange` are allowed while `Active` or
//! `Disabled` (an administrator may fix a disabled account before enabling it again); anything
//! else is [`AccountError::InvalidTransition`], naming the state and the command.
//!
//! ## Rules
//! - The username is a [`Username`] (`^[a-z0-9][a-z0-9_.-]{1,31}$`) and never changes. The
//!   caller chooses the id (the server derives it from the username, so one username is one
//!   stream and uniqueness comes from the store); the domain only records it.
//! - Every account has exactly one [`Role`]. A [`Role::Bureau`] account is bound to exactly one
//!   region, a prefecture or a county (never the whole province); every other role has no region.
//! - Display name and organisation are not blank (they are stored trimmed).
//! - A role change must change the role or the region and says why; disabling and enabling say
//!   why; a profile update must change something.
//! - No command is dated before the account's creation; enabling is not dated before the
//!   disablement it ends.
//! - Passwords never enter the domain: [`AccountPasswordChanged`] records only that (and when)
//!   the password changed, never the password or a hash of it.

use std::fmt;

use chrono::NaiveDate;
use uuid::Uuid;

use crate::aggregate::{Aggregate, BlankReason, EventPayload, domain_events, require_reason};
use crate::values::{Region, Role, Username};

#[cfg(test)]
mod tests;

// ---------------------------------------------------------------------------------------------
// Supporting types
// ---------------------------------------------------------------------------------------------

/// Where an account is in its lifecycle.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// No `AccountCreated` yet.
    #[default]
    NotCreated,
    /// May sign in and act in its role.
    Active,
    /// May not sign in (停用) until enabled again.
    Disabled,
}

impl fmt::Display for AccountStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AccountStatus::NotCreated => "not_created",
            AccountStatus::Active => "active",
            AccountStatus::Disabled => "disabled",
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/// What an administrator (or, for the password, the user) asks of an account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "command")]
pub enum AccountCommand {
    /// Create the account (开通账号).
    CreateAccount {
        /// The new aggregate's id (chosen by the caller; the server derives it from the
        /// username).
        account_id: Uuid,
        /// Sign-in name; never changes.
        username: Username,
        /// Name shown to other users, e.g. "王丽（遵义市工信局）".
        display_name: String,
        /// The role.
        role: Role,
        /// The region of a [`Role::Bureau`] account (a prefecture or county); absent otherwise.
        #[serde(default)]
        region: Option<Region>,
        /// The organisation the user belongs to, e.g. "遵义市工业和信息化局".
        organisation: String,
        /// Date created.
        created_on: NaiveDate,
    },
    /// Change the role and/or the region (变更角色).
    ChangeRole {
        /// The new role.
        role: Role,
        /// The region of a [`Role::Bureau`] account; absent otherwise.
        #[serde(default)]
        region: Option<Region>,
        /// Date changed.
        changed_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Update the display name and/or organisation; only the fields given change.
    UpdateProfile {
        /// New display name.
        #[serde(default)]
        display_name: Option<String>,
        /// New organisation.
        #[serde(default)]
        organisation: Option<String>,
        /// Date updated.
        updated_on: NaiveDate,
    },
    /// Disable the account (停用).
    DisableAccount {
        /// Date disabled.
        disabled_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Enable a disabled account again (启用).
    EnableAccount {
        /// Date enabled.
        enabled_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Record that the password was changed or reset (the password itself stays with the
    /// server's credential store).
    RecordPasswordChange {
        /// Date changed.
        changed_on: NaiveDate,
    },
}

impl AccountCommand {
    /// The command's name, as used in errors.
    pub fn name(&self) -> &'static str {
        match self {
            AccountCommand::CreateAccount { .. } => "CreateAccount",
            AccountCommand::ChangeRole { .. } => "ChangeRole",
            AccountCommand::UpdateProfile { .. } => "UpdateProfile",
            AccountCommand::DisableAccount { .. } => "DisableAccount",
            AccountCommand::EnableAccount { .. } => "EnableAccount",
            AccountCommand::RecordPasswordChange { .. } => "RecordPasswordChange",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/// The account was created.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AccountCreated {
    /// Aggregate id.
    pub account_id: Uuid,
    /// Sign-in name.
    pub username: Username,
    /// Display name (trimmed).
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Region of a bureau account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    /// Organisation (trimmed).
    pub organisation: String,
    /// Date created.
    pub created_on: NaiveDate,
}

/// The role and/or region changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AccountRoleChanged {
    /// Role before the change.
    pub previous_role: Role,
    /// Region before the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_region: Option<Region>,
    /// Role after the change.
    pub role: Role,
    /// Region after the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    /// Date changed.
    pub changed_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// The profile was updated; only changed fields are present.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AccountProfileUpdated {
    /// New display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// New organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Date updated.
    pub updated_on: NaiveDate,
}

/// The account was disabled.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AccountDisabled {
    /// Date disabled.
    pub disabled_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// The account was enabled again.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AccountEnabled {
    /// Date enabled.
    pub enabled_on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// The password was changed or reset. Deliberately holds nothing but the date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountPasswordChanged {
    /// Date changed.
    pub changed_on: NaiveDate,
}

fn date(d: NaiveDate) -> Option<String> {
    Some(d.to_string())
}

impl EventPayload for AccountCreated {
    fn effective(&self) -> Option<String> {
        date(self.created_on)
    }
}
impl EventPayload for AccountRoleChanged {
    fn effective(&self) -> Option<String> {
        date(self.changed_on)
    }
}
impl EventPayload for AccountProfileUpdated {
    fn effective(&self) -> Option<String> {
        date(self.updated_on)
    }
}
impl EventPayload for AccountDisabled {
    fn effective(&self) -> Option<String> {
        date(self.disabled_on)
    }
}
impl EventPayload for AccountEnabled {
    fn effective(&self) -> Option<String> {
        date(self.enabled_on)
    }
}
impl EventPayload for AccountPasswordChanged {
    fn effective(&self) -> Option<String> {
        date(self.changed_on)
    }
}

domain_events! {
    /// What happened to an account.
    pub enum AccountEvent in "account" {
        /// See [`AccountCreated`].
        Created(AccountCreated) = "AccountCreated",
        /// See [`AccountRoleChanged`].
        RoleChanged(AccountRoleChanged) = "AccountRoleChanged",
        /// See [`AccountProfileUpdated`].
        ProfileUpdated(AccountProfileUpdated) = "AccountProfileUpdated",
        /// See [`AccountDisabled`].
        Disabled(AccountDisabled) = "AccountDisabled",
        /// See [`AccountEnabled`].
        Enabled(AccountEnabled) = "AccountEnabled",
        /// See [`AccountPasswordChanged`].
        PasswordChanged(AccountPasswordChanged) = "AccountPasswordChanged",
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why an account command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum AccountError {
    /// The command is not allowed in the account's lifecycle state.
    #[error("{command} is not allowed while the account is {state}")]
    InvalidTransition {
        /// Current state.
        state: AccountStatus,
        /// The command refused.
        command: &'static str,
    },
    /// A reason was required.
    #[error(transparent)]
    BlankReason(#[from] BlankReason),
    /// The display name is empty or blank.
    #[error("the display name must not be blank")]
    BlankDisplayName,
    /// The organisation is empty or blank.
    #[error("the organisation must not be blank")]
    BlankOrganisation,
    /// A bureau account without a region.
    #[error("a {role} account is bound to a prefecture or county; none was given")]
    RegionRequired {
        /// The role.
        role: Role,
    },
    /// A region given for a role that has none.
    #[error("a {role} account has no region, but {region} was given")]
    RegionNotAllowed {
        /// The role.
        role: Role,
        /// The region given.
        region: Region,
    },
    /// A bureau account bound to the whole province.
    #[error(
        "a bureau account is bound to a prefecture or county, not {region} (the whole province)"
    )]
    RegionNotWithinPrefecture {
        /// The region given.
        region: Region,
    },
    /// A role change to the role and region in force.
    #[error("the account already has role {role} with this region")]
    RoleChangesNothing {
        /// The role in force.
        role: Role,
        /// The region in force.
        region: Option<Region>,
    },
    /// A profile update that changes nothing.
    #[error("the profile update changes nothing")]
    NothingToUpdate,
    /// A command dated before the account's creation.
    #[error("{command} is dated {date}, before the account was created on {created_on}")]
    DateBeforeCreation {
        /// The command.
        command: &'static str,
        /// Its date.
        date: NaiveDate,
        /// Creation date.
        created_on: NaiveDate,
    },
    /// Enabling dated before the disablement it ends.
    #[error(
        "EnableAccount is dated {enabled_on}, before the account was disabled on {disabled_on}"
    )]
    EnableBeforeDisable {
        /// Date given.
        enabled_on: NaiveDate,
        /// Date disabled.
        disabled_on: NaiveDate,
    },
}

crate::aggregate::error_rules!(AccountError {
    InvalidTransition,
    BlankReason,
    BlankDisplayName,
    BlankOrganisation,
    RegionRequired,
    RegionNotAllowed,
    RegionNotWithinPrefecture,
    RoleChangesNothing,
    NothingToUpdate,
    DateBeforeCreation,
    EnableBeforeDisable,
});

/// Check that `region` fits `role`: a bureau has a prefecture or county, the others none.
pub fn check_role_region(role: Role, region: Option<Region>) -> Result<(), AccountError> {
    match (role.is_regional(), region) {
        (true, None) => Err(AccountError::RegionRequired { role }),
        (true, Some(Region::Province)) => Err(AccountError::RegionNotWithinPrefecture {
            region: Region::Province,
        }),
        (false, Some(region)) => Err(AccountError::RegionNotAllowed { role, region }),
        (true, Some(_)) | (false, None) => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/// The Account aggregate's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Account {
    status: AccountStatus,
    id: Option<Uuid>,
    username: Option<Username>,
    display_name: String,
    role: Option<Role>,
    region: Option<Region>,
    organisation: String,
    created_on: Option<NaiveDate>,
    disabled_on: Option<NaiveDate>,
    password_changed_on: Option<NaiveDate>,
}

impl Account {
    /// Lifecycle state.
    pub fn status(&self) -> AccountStatus {
        self.status
    }
    /// Whether the account may sign in and act.
    pub fn is_active(&self) -> bool {
        self.status == AccountStatus::Active
    }
    /// Aggregate id, once created.
    pub fn id(&self) -> Option<Uuid> {
        self.id
    }
    /// Sign-in name, once created.
    pub fn username(&self) -> Option<&Username> {
        self.username.as_ref()
    }
    /// Display name.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }
    /// Role, once created.
    pub fn role(&self) -> Option<Role> {
        self.role
    }
    /// Region of a bureau account.
    pub fn region(&self) -> Option<Region> {
        self.region
    }
    /// Organisation.
    pub fn organisation(&self) -> &str {
        &self.organisation
    }
    /// Date created.
    pub fn created_on(&self) -> Option<NaiveDate> {
        self.created_on
    }
    /// Date disabled, while disabled.
    pub fn disabled_on(&self) -> Option<NaiveDate> {
        self.disabled_on
    }
    /// Date of the last password change, if any was recorded.
    pub fn password_changed_on(&self) -> Option<NaiveDate> {
        self.password_changed_on
    }
}

type Decision = Result<Vec<AccountEvent>, AccountError>;

fn one(event: impl Into<AccountEvent>) -> Decision {
    Ok(vec![event.into()])
}

fn non_blank(text: &str, blank: AccountError) -> Result<String, AccountError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        Err(blank)
    } else {
        Ok(trimmed.to_owned())
    }
}

impl Account {
    /// The account must exist (Active or Disabled).
    fn require_created(&self, command: &'static str) -> Result<NaiveDate, AccountError> {
        match (self.status, self.created_on) {
            (AccountStatus::Active | AccountStatus::Disabled, Some(created_on)) => Ok(created_on),
            (state, _) => Err(AccountError::InvalidTransition { state, command }),
        }
    }

    fn require(&self, wanted: AccountStatus, command: &'static str) -> Result<(), AccountError> {
        if self.status == wanted {
            Ok(())
        } else {
            Err(AccountError::InvalidTransition {
                state: self.status,
                command,
            })
        }
    }

    /// The account must exist and `date` must not precede its creation.
    fn require_dated_after_creation(
        &self,
        command: &'static str,
        date: NaiveDate,
    ) -> Result<(), AccountError> {
        let created_on = self.require_created(command)?;
        if date < created_on {
            return Err(AccountError::DateBeforeCreation {
                command,
                date,
                created_on,
            });
        }
        Ok(())
    }

    fn decide_update_profile(
        &self,
        display_name: Option<&str>,
        organisation: Option<&str>,
        updated_on: NaiveDate,
    ) -> Decision {
        self.require_dated_after_creation("UpdateProfile", updated_on)?;
        let display_name = display_name
            .map(|n| non_blank(n, AccountError::BlankDisplayName))
            .transpose()?
            .filter(|n| *n != self.display_name);
        let organisation = organisation
            .map(|o| non_blank(o, AccountError::BlankOrganisation))
            .transpose()?
            .filter(|o| *o != self.organisation);
        if display_name.is_none() && organisation.is_none() {
            return Err(AccountError::NothingToUpdate);
        }
        one(AccountProfileUpdated {
            display_name,
            organisation,
            updated_on,
        })
    }
}

impl Aggregate for Account {
    const CATEGORY: &'static str = "account";
    type Command = AccountCommand;
    type Event = AccountEvent;
    type Error = AccountError;

    fn decide(&self, command: &AccountCommand) -> Decision {
        use AccountCommand as C;
        let name = command.name();
        match command {
            C::CreateAccount {
                account_id,
                username,
                display_name,
                role,
                region,
                organisation,
                created_on,
            } => {
                self.require(AccountStatus::NotCreated, name)?;
                let display_name = non_blank(display_name, AccountError::BlankDisplayName)?;
                let organisation = non_blank(organisation, AccountError::BlankOrganisation)?;
                check_role_region(*role, *region)?;
                one(AccountCreated {
                    account_id: *account_id,
                    username: username.clone(),
                    display_name,
                    role: *role,
                    region: *region,
                    organisation,
                    created_on: *created_on,
                })
            }
            C::ChangeRole {
                role,
                region,
                changed_on,
                reason,
            } => {
                self.require_dated_after_creation(name, *changed_on)?;
                require_reason(reason, name)?;
                check_role_region(*role, *region)?;
                let Some(previous_role) = self.role else {
                    return Err(AccountError::InvalidTransition {
                        state: self.status,
                        command: name,
                    });
                };
                if previous_role == *role && self.region == *region {
                    return Err(AccountError::RoleChangesNothing {
                        role: *role,
                        region: *region,
                    });
                }
                one(AccountRoleChanged {
                    previous_role,
                    previous_region: self.region,
                    role: *role,
                    region: *region,
                    changed_on: *changed_on,
                    reason: reason.clone(),
                })
            }
            C::UpdateProfile {
                display_name,
                organisation,
                updated_on,
            } => self.decide_update_profile(
                display_name.as_deref(),
                organisation.as_deref(),
                *updated_on,
            ),
            C::DisableAccount {
                disabled_on,
                reason,
            } => {
                self.require(AccountStatus::Active, name)?;
                self.require_dated_after_creation(name, *disabled_on)?;
                require_reason(reason, name)?;
                one(AccountDisabled {
                    disabled_on: *disabled_on,
                    reason: reason.clone(),
                })
            }
            C::EnableAccount { enabled_on, reason } => {
                self.require(AccountStatus::Disabled, name)?;
                self.require_dated_after_creation(name, *enabled_on)?;
                require_reason(reason, name)?;
                if let Some(disabled_on) = self.disabled_on
                    && *enabled_on < disabled_on
                {
                    return Err(AccountError::EnableBeforeDisable {
                        enabled_on: *enabled_on,
                        disabled_on,
                    });
                }
                one(AccountEnabled {
                    enabled_on: *enabled_on,
                    reason: reason.clone(),
                })
            }
            C::RecordPasswordChange { changed_on } => {
                self.require_dated_after_creation(name, *changed_on)?;
                one(AccountPasswordChanged {
                    changed_on: *changed_on,
                })
            }
        }
    }

    fn apply(&mut self, event: &AccountEvent) {
        use AccountEvent as E;
        match event {
            E::Created(e) => {
                self.status = AccountStatus::Active;
                self.id = Some(e.account_id);
                self.username = Some(e.username.clone());
                self.display_name = e.display_name.clone();
                self.role = Some(e.role);
                self.region = e.region;
                self.organisation = e.organisation.clone();
                self.created_on = Some(e.created_on);
            }
            E::RoleChanged(e) => {
                self.role = Some(e.role);
                self.region = e.region;
            }
            E::ProfileUpdated(e) => {
                if let Some(n) = &e.display_name {
                    self.display_name = n.clone();
                }
                if let Some(o) = &e.organisation {
                    self.organisation = o.clone();
                }
            }
            E::Disabled(e) => {
                self.status = AccountStatus::Disabled;
                self.disabled_on = Some(e.disabled_on);
            }
            E::Enabled(_) => {
                self.status = AccountStatus::Active;
                self.disabled_on = None;
            }
            E::PasswordChanged(e) => {
                self.password_changed_on = Some(e.changed_on);
            }
        }
    }
}
