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

    /// Whether the role may run `command` (the server's role table, mirrored in
    /// [`crate::forms::specs`]; the server still decides, and keeps a bureau to its region).
    pub fn may_run(self, command: &str) -> bool {
        crate::forms::by_command(command).is_some_and(|spec| spec.allows(self))
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

    /// The forms' role tables match the server's (`cmd("Name", "…", ROLES, …)` in
    /// crates/api/src/aggregates.rs, where the OpenAPI document's "Roles: …" comes from).
    #[test]
    fn the_forms_roles_match_the_servers_tables() {
        let source = include_str!("../../crates/api/src/aggregates.rs");
        let mut server = Vec::new();
        let mut rest = source;
        while let Some(start) = rest.find("cmd(") {
            rest = &rest[start + 4..];
            // cmd("Name", "summary", TABLE, &[…]): the name, past the summary, the table.
            let mut parts = rest.splitn(5, '"');
            let (Some(_), Some(name), Some(_), Some(_), Some(after)) = (
                parts.next(),
                parts.next(),
                parts.next(),
                parts.next(),
                parts.next(),
            ) else {
                continue;
            };
            let table = after
                .trim_start_matches([',', ' ', '\n'])
                .split(',')
                .next()
                .unwrap_or_default()
                .trim();
            if ["BUREAU", "PROVINCE", "FINANCE", "ADMIN"].contains(&table) {
                server.push((name.to_owned(), table));
            }
        }
        assert_eq!(server.len(), 57, "{server:?}");
        let ours: Vec<(String, &str)> = crate::forms::specs::ALL
            .iter()
            .map(|spec| {
                let table = match spec.roles {
                    r if r == crate::forms::specs::BUREAU => "BUREAU",
                    r if r == crate::forms::specs::PROVINCE => "PROVINCE",
                    r if r == crate::forms::specs::FINANCE => "FINANCE",
                    r if r == crate::forms::specs::ADMIN => "ADMIN",
                    _ => "?",
                };
                (spec.command.to_owned(), table)
            })
            .collect();
        assert_eq!(ours, server);
        // Who runs what, by role.
        assert!(Role::Finance.may_run("DisburseTranche") && !Role::Bureau.may_run("AwardFunding"));
        assert!(Role::Bureau.may_run("ProposeProject") && Role::Province.may_run("ProposeProject"));
        assert!(
            !Role::Bureau.may_run("ApproveProject") && Role::Province.may_run("GrantDesignation")
        );
        assert!(Role::Admin.may_run("CreateAccount") && !Role::Province.may_run("CreateAccount"));
        assert!(
            crate::forms::specs::ALL
                .iter()
                .all(|s| !Role::Auditor.may_run(s.command))
        );
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
