//! Given/when/then tests of every account command, and property tests.

use chrono::NaiveDate;
use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::aggregate::{DomainEvent, replay};
use crate::testing::{
    assert_round_trips, assert_state_round_trips, event_types_reached, given, run_accepted,
};
use crate::values::Prefecture;

// ----- fixtures -------------------------------------------------------------------------------

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn zunyi() -> Region {
    Region::Prefecture(Prefecture::Zunyi)
}

fn qingzhen() -> Region {
    "520181".parse().expect("county")
}

fn username() -> Username {
    "zunyi.clerk".parse().expect("valid username")
}

fn create_on(role: Role, region: Option<Region>, created_on: NaiveDate) -> AccountCommand {
    AccountCommand::CreateAccount {
        account_id: Uuid::from_u128(3),
        username: username(),
        display_name: "王丽".into(),
        role,
        region,
        organisation: "遵义市工业和信息化局".into(),
        created_on,
    }
}

fn create_cmd(role: Role, region: Option<Region>) -> AccountCommand {
    create_on(role, region, d(2026, 1, 5))
}

fn created_as(role: Role, region: Option<Region>) -> AccountEvent {
    AccountCreated {
        account_id: Uuid::from_u128(3),
        username: username(),
        display_name: "王丽".into(),
        role,
        region,
        organisation: "遵义市工业和信息化局".into(),
        created_on: d(2026, 1, 5),
    }
    .into()
}

fn created() -> AccountEvent {
    created_as(Role::Bureau, Some(zunyi()))
}

fn disabled(on: NaiveDate) -> AccountEvent {
    AccountDisabled {
        disabled_on: on,
        reason: "调离岗位".into(),
    }
    .into()
}

// ----- create ---------------------------------------------------------------------------------

#[test]
fn create_account() {
    let state =
        given::<Account>([]).when_then(create_cmd(Role::Bureau, Some(zunyi())), vec![created()]);
    assert_eq!(state.status(), AccountStatus::Active);
    assert!(state.is_active());
    assert_eq!(state.id(), Some(Uuid::from_u128(3)));
    assert_eq!(state.username(), Some(&username()));
    assert_eq!(state.role(), Some(Role::Bureau));
    assert_eq!(state.region(), Some(zunyi()));
    assert_eq!(state.display_name(), "王丽");
    assert_eq!(state.organisation(), "遵义市工业和信息化局");
    assert_eq!(state.created_on(), Some(d(2026, 1, 5)));
    // A county bureau, and every role without a region.
    given::<Account>([]).when_then(
        create_cmd(Role::Bureau, Some(qingzhen())),
        vec![created_as(Role::Bureau, Some(qingzhen()))],
    );
    for role in [Role::Province, Role::Finance, Role::Auditor, Role::Admin] {
        let state =
            given::<Account>([]).when_then(create_cmd(role, None), vec![created_as(role, None)]);
        assert_eq!(state.region(), None);
    }
    // Names are stored trimmed.
    given::<Account>([]).when_then(
        AccountCommand::CreateAccount {
            account_id: Uuid::from_u128(3),
            username: username(),
            display_name: " 王丽 ".into(),
            role: Role::Bureau,
            region: Some(zunyi()),
            organisation: "遵义市工业和信息化局\n".into(),
            created_on: d(2026, 1, 5),
        },
        vec![created()],
    );
}

#[test]
fn create_rules() {
    given::<Account>([created()]).when_fails(
        create_cmd(Role::Bureau, Some(zunyi())),
        AccountError::InvalidTransition {
            state: AccountStatus::Active,
            command: "CreateAccount",
        },
    );
    given::<Account>([created(), disabled(d(2026, 2, 1))]).when_fails(
        create_cmd(Role::Admin, None),
        AccountError::InvalidTransition {
            state: AccountStatus::Disabled,
            command: "CreateAccount",
        },
    );
    given::<Account>([]).when_fails(
        create_cmd(Role::Bureau, None),
        AccountError::RegionRequired { role: Role::Bureau },
    );
    given::<Account>([]).when_fails(
        create_cmd(Role::Bureau, Some(Region::Province)),
        AccountError::RegionNotWithinPrefecture {
            region: Region::Province,
        },
    );
    given::<Account>([]).when_fails(
        create_cmd(Role::Finance, Some(zunyi())),
        AccountError::RegionNotAllowed {
            role: Role::Finance,
            region: zunyi(),
        },
    );
    given::<Account>([]).when_fails(
        create_cmd(Role::Province, Some(Region::Province)),
        AccountError::RegionNotAllowed {
            role: Role::Province,
            region: Region::Province,
        },
    );
    let with = |display_name: &str, organisation: &str| AccountCommand::CreateAccount {
        account_id: Uuid::from_u128(3),
        username: username(),
        display_name: display_name.into(),
        role: Role::Admin,
        region: None,
        organisation: organisation.into(),
        created_on: d(2026, 1, 5),
    };
    given::<Account>([]).when_fails(with(" ", "省工信厅"), AccountError::BlankDisplayName);
    given::<Account>([]).when_fails(with("张三", ""), AccountError::BlankOrganisation);
}

#[test]
fn every_other_command_needs_an_account() {
    for command in [
        AccountCommand::ChangeRole {
            role: Role::Admin,
            region: None,
            changed_on: d(2026, 3, 1),
            reason: "x".into(),
        },
        AccountCommand::UpdateProfile {
            display_name: Some("x".into()),
            organisation: None,
            updated_on: d(2026, 3, 1),
        },
        AccountCommand::DisableAccount {
            disabled_on: d(2026, 3, 1),
            reason: "x".into(),
        },
        AccountCommand::EnableAccount {
            enabled_on: d(2026, 3, 1),
            reason: "x".into(),
        },
        AccountCommand::RecordPasswordChange {
            changed_on: d(2026, 3, 1),
        },
    ] {
        let name = command.name();
        given::<Account>([]).when_fails(
            command,
            AccountError::InvalidTransition {
                state: AccountStatus::NotCreated,
                command: name,
            },
        );
    }
}

// ----- role -----------------------------------------------------------------------------------

fn change_cmd(role: Role, region: Option<Region>, reason: &str) -> AccountCommand {
    AccountCommand::ChangeRole {
        role,
        region,
        changed_on: d(2026, 6, 1),
        reason: reason.into(),
    }
}

#[test]
fn change_role() {
    let state = given::<Account>([created()]).when_then(
        change_cmd(Role::Province, None, "调任省厅"),
        vec![
            AccountRoleChanged {
                previous_role: Role::Bureau,
                previous_region: Some(zunyi()),
                role: Role::Province,
                region: None,
                changed_on: d(2026, 6, 1),
                reason: "调任省厅".into(),
            }
            .into(),
        ],
    );
    assert_eq!(state.role(), Some(Role::Province));
    assert_eq!(state.region(), None);
    // The same role in another region is a change too; so is a change while disabled.
    let state = given::<Account>([created(), disabled(d(2026, 2, 1))]).when_then(
        change_cmd(Role::Bureau, Some(qingzhen()), "改派清镇市"),
        vec![
            AccountRoleChanged {
                previous_role: Role::Bureau,
                previous_region: Some(zunyi()),
                role: Role::Bureau,
                region: Some(qingzhen()),
                changed_on: d(2026, 6, 1),
                reason: "改派清镇市".into(),
            }
            .into(),
        ],
    );
    assert_eq!(state.region(), Some(qingzhen()));
    assert_eq!(state.status(), AccountStatus::Disabled);
}

#[test]
fn change_role_rules() {
    let g = || given::<Account>([created()]);
    g().when_fails(
        change_cmd(Role::Bureau, Some(zunyi()), "x"),
        AccountError::RoleChangesNothing {
            role: Role::Bureau,
            region: Some(zunyi()),
        },
    );
    g().when_fails(
        change_cmd(Role::Auditor, None, " "),
        BlankReason {
            command: "ChangeRole",
        }
        .into(),
    );
    g().when_fails(
        change_cmd(Role::Bureau, None, "x"),
        AccountError::RegionRequired { role: Role::Bureau },
    );
    g().when_fails(
        change_cmd(Role::Auditor, Some(zunyi()), "x"),
        AccountError::RegionNotAllowed {
            role: Role::Auditor,
            region: zunyi(),
        },
    );
    g().when_fails(
        AccountCommand::ChangeRole {
            role: Role::Admin,
            region: None,
            changed_on: d(2026, 1, 4),
            reason: "x".into(),
        },
        AccountError::DateBeforeCreation {
            command: "ChangeRole",
            date: d(2026, 1, 4),
            created_on: d(2026, 1, 5),
        },
    );
    given::<Account>([created_as(Role::Admin, None)]).when_fails(
        change_cmd(Role::Admin, None, "x"),
        AccountError::RoleChangesNothing {
            role: Role::Admin,
            region: None,
        },
    );
}

// ----- profile --------------------------------------------------------------------------------

#[test]
fn update_profile_records_only_what_changes() {
    let state = given::<Account>([created()]).when_then(
        AccountCommand::UpdateProfile {
            display_name: Some("王丽".into()),
            organisation: Some(" 遵义市工业和信息化局（节能科） ".into()),
            updated_on: d(2026, 4, 1),
        },
        vec![
            AccountProfileUpdated {
                display_name: None,
                organisation: Some("遵义市工业和信息化局（节能科）".into()),
                updated_on: d(2026, 4, 1),
            }
            .into(),
        ],
    );
    assert_eq!(state.display_name(), "王丽");
    assert_eq!(state.organisation(), "遵义市工业和信息化局（节能科）");
    let state = given::<Account>([created()]).when_then(
        AccountCommand::UpdateProfile {
            display_name: Some("王丽娟".into()),
            organisation: None,
            updated_on: d(2026, 4, 1),
        },
        vec![
            AccountProfileUpdated {
                display_name: Some("王丽娟".into()),
                organisation: None,
                updated_on: d(2026, 4, 1),
            }
            .into(),
        ],
    );
    assert_eq!(state.display_name(), "王丽娟");
}

#[test]
fn update_profile_rules() {
    let update = |display_name: Option<&str>, organisation: Option<&str>, on| {
        AccountCommand::UpdateProfile {
            display_name: display_name.map(str::to_owned),
            organisation: organisation.map(str::to_owned),
            updated_on: on,
        }
    };
    let g = || given::<Account>([created()]);
    g().when_fails(
        update(Some("王丽"), None, d(2026, 4, 1)),
        AccountError::NothingToUpdate,
    );
    g().when_fails(
        update(None, None, d(2026, 4, 1)),
        AccountError::NothingToUpdate,
    );
    g().when_fails(
        update(Some(""), None, d(2026, 4, 1)),
        AccountError::BlankDisplayName,
    );
    g().when_fails(
        update(None, Some("  "), d(2026, 4, 1)),
        AccountError::BlankOrganisation,
    );
    g().when_fails(
        update(Some("王丽娟"), None, d(2025, 12, 31)),
        AccountError::DateBeforeCreation {
            command: "UpdateProfile",
            date: d(2025, 12, 31),
            created_on: d(2026, 1, 5),
        },
    );
}

// ----- disable / enable -----------------------------------------------------------------------

#[test]
fn disable_and_enable() {
    let state = given::<Account>([created()]).when_then(
        AccountCommand::DisableAccount {
            disabled_on: d(2026, 2, 1),
            reason: "调离岗位".into(),
        },
        vec![disabled(d(2026, 2, 1))],
    );
    assert_eq!(state.status(), AccountStatus::Disabled);
    assert!(!state.is_active());
    assert_eq!(state.disabled_on(), Some(d(2026, 2, 1)));
    let state = given::<Account>([created(), disabled(d(2026, 2, 1))]).when_then(
        AccountCommand::EnableAccount {
            enabled_on: d(2026, 2, 1),
            reason: "返回原岗位".into(),
        },
        vec![
            AccountEnabled {
                enabled_on: d(2026, 2, 1),
                reason: "返回原岗位".into(),
            }
            .into(),
        ],
    );
    assert_eq!(state.status(), AccountStatus::Active);
    assert_eq!(state.disabled_on(), None);
}

#[test]
fn disable_and_enable_rules() {
    let disable = |on, reason: &str| AccountCommand::DisableAccount {
        disabled_on: on,
        reason: reason.into(),
    };
    let enable = |on, reason: &str| AccountCommand::EnableAccount {
        enabled_on: on,
        reason: reason.into(),
    };
    given::<Account>([created()]).when_fails(
        disable(d(2026, 2, 1), ""),
        BlankReason {
            command: "DisableAccount",
        }
        .into(),
    );
    given::<Account>([created()]).when_fails(
        disable(d(2026, 1, 1), "x"),
        AccountError::DateBeforeCreation {
            command: "DisableAccount",
            date: d(2026, 1, 1),
            created_on: d(2026, 1, 5),
        },
    );
    given::<Account>([created(), disabled(d(2026, 2, 1))]).when_fails(
        disable(d(2026, 3, 1), "x"),
        AccountError::InvalidTransition {
            state: AccountStatus::Disabled,
            command: "DisableAccount",
        },
    );
    given::<Account>([created()]).when_fails(
        enable(d(2026, 3, 1), "x"),
        AccountError::InvalidTransition {
            state: AccountStatus::Active,
            command: "EnableAccount",
        },
    );
    given::<Account>([created(), disabled(d(2026, 2, 1))]).when_fails(
        enable(d(2026, 3, 1), " "),
        BlankReason {
            command: "EnableAccount",
        }
        .into(),
    );
    given::<Account>([created(), disabled(d(2026, 2, 1))]).when_fails(
        enable(d(2026, 1, 31), "x"),
        AccountError::EnableBeforeDisable {
            enabled_on: d(2026, 1, 31),
            disabled_on: d(2026, 2, 1),
        },
    );
}

// ----- password -------------------------------------------------------------------------------

#[test]
fn password_changes_are_recorded_as_a_date_only() {
    let state = given::<Account>([created(), disabled(d(2026, 2, 1))]).when_then(
        AccountCommand::RecordPasswordChange {
            changed_on: d(2026, 2, 2),
        },
        vec![
            AccountPasswordChanged {
                changed_on: d(2026, 2, 2),
            }
            .into(),
        ],
    );
    assert_eq!(state.password_changed_on(), Some(d(2026, 2, 2)));
    let (_, payload) = AccountEvent::from(AccountPasswordChanged {
        changed_on: d(2026, 2, 2),
    })
    .to_payload();
    assert_eq!(payload, serde_json::json!({"changed_on": "2026-02-02"}));
    // Nothing else is accepted in the payload, a hash least of all.
    assert!(
        AccountEvent::from_payload(
            "AccountPasswordChanged",
            serde_json::json!({"changed_on": "2026-02-02", "hash": "$argon2id$…"}),
        )
        .is_err()
    );
    given::<Account>([created()]).when_fails(
        AccountCommand::RecordPasswordChange {
            changed_on: d(2026, 1, 4),
        },
        AccountError::DateBeforeCreation {
            command: "RecordPasswordChange",
            date: d(2026, 1, 4),
            created_on: d(2026, 1, 5),
        },
    );
}

// ----- names and JSON -------------------------------------------------------------------------

#[test]
fn event_type_names_are_stable() {
    assert_eq!(
        AccountEvent::EVENT_TYPES,
        [
            "AccountCreated",
            "AccountRoleChanged",
            "AccountProfileUpdated",
            "AccountDisabled",
            "AccountEnabled",
            "AccountPasswordChanged",
        ]
    );
    assert_eq!(Account::CATEGORY, "account");
    assert_eq!(created().effective(), Some("2026-01-05".into()));
}

#[test]
fn commands_and_state_in_json() {
    let command: AccountCommand = serde_json::from_value(serde_json::json!({
        "command": "CreateAccount",
        "account_id": Uuid::from_u128(3),
        "username": "zunyi.clerk",
        "display_name": "王丽",
        "role": "bureau",
        "region": "520300",
        "organisation": "遵义市工业和信息化局",
        "created_on": "2026-01-05",
    }))
    .expect("command decodes");
    assert_eq!(command, create_cmd(Role::Bureau, Some(zunyi())));
    // The region may be left out for roles without one.
    let command: AccountCommand = serde_json::from_value(serde_json::json!({
        "command": "ChangeRole",
        "role": "auditor",
        "changed_on": "2026-06-01",
        "reason": "x",
    }))
    .expect("command decodes");
    assert_eq!(command, change_cmd(Role::Auditor, None, "x"));
    assert!(
        serde_json::from_value::<AccountCommand>(serde_json::json!({
            "command": "ChangeRole", "role": "Bureau", "changed_on": "2026-06-01", "reason": "x",
        }))
        .is_err()
    );
    let g = given::<Account>([created()]);
    let json = assert_state_round_trips(g.state());
    assert_eq!(json["status"], "active");
    assert_eq!(json["username"], "zunyi.clerk");
    assert_eq!(json["role"], "bureau");
    assert_eq!(json["region"], "520300");
    assert_state_round_trips(&Account::default());
}

// ----- properties -----------------------------------------------------------------------------

fn arb_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..200).prop_map(|n| d(2026, 1, 1) + chrono::Duration::days(n))
}

fn arb_reason() -> impl Strategy<Value = String> {
    prop_oneof![1 => Just(String::new()), 4 => Just("调整".to_owned())]
}

fn arb_role_region() -> impl Strategy<Value = (Role, Option<Region>)> {
    (
        proptest::sample::select(Role::ALL.to_vec()),
        proptest::sample::select(vec![
            None,
            Some(Region::Province),
            Some(zunyi()),
            Some(qingzhen()),
        ]),
    )
}

fn arb_text() -> impl Strategy<Value = Option<String>> {
    proptest::sample::select(vec![
        None,
        Some(""),
        Some("王丽"),
        Some("王丽娟"),
        Some("省工信厅"),
    ])
    .prop_map(|t| t.map(str::to_owned))
}

fn arb_command() -> impl Strategy<Value = AccountCommand> {
    prop_oneof![
        1 => (arb_role_region(), arb_date())
            .prop_map(|((role, region), created_on)| create_on(role, region, created_on)),
        3 => (arb_role_region(), arb_date(), arb_reason()).prop_map(
            |((role, region), changed_on, reason)| AccountCommand::ChangeRole {
                role,
                region,
                changed_on,
                reason,
            }
        ),
        2 => (arb_text(), arb_text(), arb_date()).prop_map(
            |(display_name, organisation, updated_on)| AccountCommand::UpdateProfile {
                display_name,
                organisation,
                updated_on,
            }
        ),
        2 => (arb_date(), arb_reason()).prop_map(|(disabled_on, reason)| {
            AccountCommand::DisableAccount { disabled_on, reason }
        }),
        2 => (arb_date(), arb_reason()).prop_map(|(enabled_on, reason)| {
            AccountCommand::EnableAccount { enabled_on, reason }
        }),
        1 => arb_date().prop_map(|changed_on| AccountCommand::RecordPasswordChange { changed_on }),
    ]
}

fn run(commands: &[AccountCommand]) -> (Account, Vec<AccountEvent>) {
    run_accepted(Vec::new(), commands)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn state_round_trips_through_json(
        commands in proptest::collection::vec(arb_command(), 0..30)
    ) {
        let (state, _) = run(&commands);
        assert_state_round_trips(&state);
    }

    #[test]
    fn roles_and_regions_stay_consistent(
        commands in proptest::collection::vec(arb_command(), 0..30)
    ) {
        let (state, events) = run(&commands);
        prop_assert_eq!(&replay::<Account, _>(&events), &state);
        for event in &events {
            assert_round_trips(event);
        }
        // At most one creation, and first.
        let creations = events.iter().filter(|e| matches!(e, AccountEvent::Created(_))).count();
        prop_assert!(creations <= 1);
        if let Some(first) = events.first() {
            prop_assert!(matches!(first, AccountEvent::Created(_)));
        }
        match state.role() {
            Some(role) => {
                prop_assert_eq!(check_role_region(role, state.region()), Ok(()));
                prop_assert!(state.status() != AccountStatus::NotCreated);
                prop_assert!(!state.display_name().trim().is_empty());
                prop_assert!(!state.organisation().trim().is_empty());
            }
            None => prop_assert_eq!(state.status(), AccountStatus::NotCreated),
        }
        // Disabling and enabling alternate; nothing is dated before the creation.
        let mut active = true;
        let created_on = state.created_on();
        for event in events.iter().skip(1) {
            match event {
                AccountEvent::Disabled(_) => { prop_assert!(active); active = false; }
                AccountEvent::Enabled(_) => { prop_assert!(!active); active = true; }
                _ => {}
            }
            let effective = event.effective().and_then(|e| e.parse::<NaiveDate>().ok());
            prop_assert!(effective >= created_on, "{:?} before {:?}", event, created_on);
        }
        prop_assert_eq!(active, state.status() != AccountStatus::Disabled);
    }
}

/// The property tests above are only as good as the sequences they generate: check that the
/// generator reaches every event type.
#[test]
fn command_generator_reaches_every_event_type() {
    let reached = event_types_reached(proptest::collection::vec(arb_command(), 0..30), 256, |c| {
        run(c).1
    });
    let all: std::collections::BTreeSet<&str> = AccountEvent::EVENT_TYPES.iter().copied().collect();
    assert_eq!(reached, all);
}

/// Every command, event, refusal and state the generator meets matches its JSON Schema, and the
/// command schema names exactly the commands the generator sends.
#[cfg(feature = "schema")]
#[test]
fn json_matches_the_schemas() {
    crate::schema::tests::check_aggregate::<Account>(
        None,
        proptest::collection::vec(arb_command(), 0..30),
        256,
    );
}
