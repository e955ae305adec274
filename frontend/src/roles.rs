//! What each role may see and do in the client (mirrors the server's rules in docs/api.md; the
//! server still decides).

use crate::i18n::Key;

/// A role, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A municipal or county bureau.
    Bureau,
    /// The provincial department.
    Province,
    /// Finance staff.
    Finance,
    /// Auditors (read everything).
    Auditor,
    /// Account administrators.
    Admin,
}

/// A page of the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// 驾驶舱.
    Dashboard,
    /// Enterprises.
    Enterprises,
    /// Projects.
    Projects,
    /// Accounts.
    Accounts,
    /// 审计回放: pick a moment, see details as they stood then; chain verification.
    Audit,
    /// 产业基地: demonstration bases and parks.
    Bases,
    /// 年度目标任务: regional plans and their reports.
    RegionalPlans,
    /// 报表: reports 1–8 with CSV.
    Reports,
}

impl Section {
    /// Its label.
    pub const fn label(self) -> Key {
        match self {
            Section::Dashboard => Key::NavDashboard,
            Section::Enterprises => Key::NavEnterprises,
            Section::Projects => Key::NavProjects,
            Section::Accounts => Key::NavAccounts,
            Section::Audit => Key::NavAudit,
            Section::Bases => Key::NavBases,
            Section::RegionalPlans => Key::NavRegionalPlans,
            Section::Reports => Key::NavReports,
        }
    }
}

impl Role {
    /// From the API's role name.
    pub fn parse(name: &str) -> Option<Role> {
        Some(match name {
            "bureau" => Role::Bureau,
            "province" => Role::Province,
            "finance" => Role::Finance,
            "auditor" => Role::Auditor,
            "admin" => Role::Admin,
            _ => return None,
        })
    }

    /// Its label.
    pub const fn label(self) -> Key {
        match self {
            Role::Bureau => Key::RoleBureau,
            Role::Province => Key::RoleProvince,
            Role::Finance => Key::RoleFinance,
            Role::Auditor => Key::RoleAuditor,
            Role::Admin => Key::RoleAdmin,
        }
    }

    /// The sections of the navigation this role uses.
    pub fn sections(self) -> &'static [Section] {
        match self {
            Role::Admin => &[Section::Accounts],
            Role::Auditor => &[
                Section::Dashboard,
                Section::Enterprises,
                Section::Projects,
                Section::Bases,
                Section::RegionalPlans,
                Section::Reports,
                Section::Audit,
                Section::Accounts,
            ],
            Role::Province => &[
                Section::Dashboard,
                Section::Enterprises,
                Section::Projects,
                Section::Bases,
                Section::RegionalPlans,
                Section::Reports,
                Section::Audit,
            ],
            Role::Bureau => &[
                Section::Dashboard,
                Section::Enterprises,
                Section::Projects,
                Section::Bases,
                Section::RegionalPlans,
                Section::Reports,
            ],
            // Finance tracks funding and incentives: the reports carry them; bases and plans are
            // not its job.
            Role::Finance => &[
                Section::Dashboard,
                Section::Enterprises,
                Section::Projects,
                Section::Reports,
            ],
        }
    }

    /// Whether the role uses the audit tools (events, diff, flags, export): the server opens
    /// `/api/audit/*` to auditors, the province and admins.
    pub const fn audits(self) -> bool {
        matches!(self, Role::Auditor | Role::Province | Role::Admin)
    }

    /// Whether the role records ledgers (bureaus within their region, the province everywhere).
    pub const fn records_ledgers(self) -> bool {
        matches!(self, Role::Bureau | Role::Province)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_navigation_follows_the_role() {
        assert_eq!(
            Role::parse("admin").map(Role::sections),
            Some(&[Section::Accounts][..])
        );
        assert!(!Role::Bureau.sections().contains(&Section::Accounts));
        assert!(Role::Auditor.sections().contains(&Section::Accounts));
        assert!(Role::Auditor.sections().contains(&Section::Audit));
        assert!(!Role::Bureau.sections().contains(&Section::Audit));
        assert!(Role::Bureau.records_ledgers() && Role::Province.records_ledgers());
        assert!(!Role::Auditor.records_ledgers() && !Role::Finance.records_ledgers());
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn the_new_pages_are_in_the_navigation_of_the_roles_that_use_them() {
        for role in [Role::Bureau, Role::Province, Role::Auditor] {
            for section in [Section::Bases, Section::RegionalPlans, Section::Reports] {
                assert!(role.sections().contains(&section), "{role:?} {section:?}");
            }
        }
        assert!(Role::Finance.sections().contains(&Section::Reports));
        assert!(!Role::Finance.sections().contains(&Section::Bases));
        assert!(!Role::Admin.sections().contains(&Section::Reports));
        assert!(Role::Auditor.audits() && Role::Province.audits());
        assert!(!Role::Bureau.audits() && !Role::Finance.audits());
        assert_eq!(Section::Reports.label(), Key::NavReports);
        assert_eq!(Section::Bases.label(), Key::NavBases);
        assert_eq!(Section::RegionalPlans.label(), Key::NavRegionalPlans);
    }
}
