//! The schemas accept what serde writes and refuse what serde refuses.
//!
//! A small validator for the part of JSON Schema 2020-12 that schemars and the hand-written
//! schemas use checks JSON against [`openapi_components`]; it refuses any keyword it does not
//! know, so a schema cannot pass by using something unchecked. Each aggregate's tests run its
//! random command generator through [`check_aggregate`]: every command, event, refusal and state
//! met must match its schema, and the command schema names exactly the commands the generator
//! sends.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use proptest::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::*;
use crate::aggregate::{Aggregate, DomainEvent};
use crate::values::{Prefecture, Role};

type Components = Map<String, Value>;

fn components() -> &'static Components {
    static COMPONENTS: OnceLock<Components> = OnceLock::new();
    COMPONENTS.get_or_init(openapi_components)
}

/// Annotations: they describe and never constrain.
const ANNOTATIONS: &[&str] = &["description", "title", "default", "examples", "deprecated"];

fn type_matches(name: &str, x: &Value) -> bool {
    match name {
        "null" => x.is_null(),
        "boolean" => x.is_boolean(),
        "string" => x.is_string(),
        "integer" => x.is_i64() || x.is_u64(),
        "number" => x.is_number(),
        "array" => x.is_array(),
        "object" => x.is_object(),
        other => panic!("unknown type {other}"),
    }
}

fn number(v: &Value) -> i128 {
    v.as_i64()
        .map(i128::from)
        .or_else(|| v.as_u64().map(i128::from))
        .unwrap_or_else(|| panic!("{v} is not an integer bound"))
}

/// Whether number `x` is below (`below`) or above integer `bound`.
fn beyond(x: &Value, bound: &Value, below: bool) -> bool {
    let bound = number(bound);
    match (
        x.as_i64()
            .map(i128::from)
            .or_else(|| x.as_u64().map(i128::from)),
        x.as_f64(),
    ) {
        (Some(i), _) => {
            if below {
                i < bound
            } else {
                i > bound
            }
        }
        // Integer bounds are far below 2^53, where f64 is exact.
        (None, Some(f)) => {
            let bound = bound as f64;
            if below { f < bound } else { f > bound }
        }
        (None, None) => false,
    }
}

fn matches_pattern(pattern: &str, text: &str) -> bool {
    regex_lite::Regex::new(pattern)
        .unwrap_or_else(|e| panic!("pattern {pattern}: {e}"))
        .is_match(text)
}

/// Whether `x` is valid against `schema`; the error names the path and the keyword.
fn validate(schema: &Value, x: &Value, path: &str) -> Result<(), String> {
    let schema = match schema {
        Value::Bool(true) => return Ok(()),
        Value::Bool(false) => return Err(format!("{path}: nothing is allowed here")),
        Value::Object(map) => map,
        other => panic!("not a schema: {other}"),
    };
    let fail = |keyword: &str| Err(format!("{path}: {keyword} refuses {x}"));
    for (keyword, value) in schema {
        match keyword.as_str() {
            k if ANNOTATIONS.contains(&k) => {}
            "$ref" => {
                let name = value
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .unwrap_or_else(|| panic!("unexpected reference {value}"));
                let target = components()
                    .get(name)
                    .unwrap_or_else(|| panic!("dangling reference {name}"));
                validate(target, x, &format!("{path}<{name}>"))?;
            }
            "type" => {
                let ok = match value {
                    Value::String(t) => type_matches(t, x),
                    Value::Array(ts) => ts
                        .iter()
                        .any(|t| type_matches(t.as_str().unwrap_or_default(), x)),
                    other => panic!("bad type {other}"),
                };
                if !ok {
                    return fail("type");
                }
            }
            "const" if value != x => return fail("const"),
            "enum" if !value.as_array().is_some_and(|vs| vs.contains(x)) => return fail("enum"),
            "const" | "enum" => {}
            "format" => match (value.as_str(), x.as_str()) {
                (Some("date"), Some(text)) if text.parse::<chrono::NaiveDate>().is_err() => {
                    return fail("format");
                }
                (Some("uuid"), Some(text)) if uuid::Uuid::parse_str(text).is_err() => {
                    return fail("format");
                }
                _ => {}
            },
            "minimum" if beyond(x, value, true) => return fail("minimum"),
            "maximum" if beyond(x, value, false) => return fail("maximum"),
            "minimum" | "maximum" => {}
            "minLength" | "maxLength" => {
                if let Some(text) = x.as_str() {
                    let length = i128::try_from(text.chars().count()).unwrap_or(i128::MAX);
                    let bound = number(value);
                    if (keyword == "minLength" && length < bound)
                        || (keyword == "maxLength" && length > bound)
                    {
                        return fail(keyword);
                    }
                }
            }
            "pattern" => {
                if let Some(text) = x.as_str()
                    && !matches_pattern(value.as_str().unwrap_or_default(), text)
                {
                    return fail("pattern");
                }
            }
            "required" => {
                if let Some(object) = x.as_object() {
                    for name in value.as_array().into_iter().flatten() {
                        if !object.contains_key(name.as_str().unwrap_or_default()) {
                            return Err(format!("{path}: required {name} is missing"));
                        }
                    }
                }
            }
            "properties" | "patternProperties" | "additionalProperties" => {
                // Checked together below.
            }
            "items" => {
                for (i, item) in x.as_array().into_iter().flatten().enumerate() {
                    validate(value, item, &format!("{path}[{i}]"))?;
                }
            }
            "uniqueItems" => {
                if let Some(items) = x.as_array() {
                    let distinct: BTreeSet<String> = items.iter().map(Value::to_string).collect();
                    if value == &json!(true) && distinct.len() != items.len() {
                        return fail("uniqueItems");
                    }
                }
            }
            "oneOf" => {
                let options = value.as_array().into_iter().flatten();
                let passing = options.filter(|s| validate(s, x, path).is_ok()).count();
                if passing != 1 {
                    return Err(format!("{path}: {passing} oneOf options accept {x}"));
                }
            }
            "anyOf" => {
                let mut options = value.as_array().into_iter().flatten();
                if !options.any(|s| validate(s, x, path).is_ok()) {
                    return fail("anyOf");
                }
            }
            other => panic!("{path}: the test validator does not know keyword {other:?}"),
        }
    }
    if let Some(object) = x.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        let patterns = schema.get("patternProperties").and_then(Value::as_object);
        for (key, item) in object {
            let item_path = format!("{path}.{key}");
            let mut matched = false;
            if let Some(s) = properties.and_then(|p| p.get(key)) {
                validate(s, item, &item_path)?;
                matched = true;
            }
            for (pattern, s) in patterns.into_iter().flatten() {
                if matches_pattern(pattern, key) {
                    validate(s, item, &item_path)?;
                    matched = true;
                }
            }
            if !matched && let Some(additional) = schema.get("additionalProperties") {
                validate(additional, item, &item_path)?;
            }
        }
    }
    Ok(())
}

/// Validate the JSON of `value` against the schema named `name`.
fn validate_as(name: &str, value: &Value) -> Result<(), String> {
    let schema = components()
        .get(name)
        .unwrap_or_else(|| panic!("no schema {name}"));
    validate(schema, value, name)
}

/// Assert that `value`'s JSON matches the schema of its type.
#[track_caller]
pub(crate) fn assert_matches_schema<T: JsonSchema + Serialize>(value: &T) {
    let json = serde_json::to_value(value).expect("serializes");
    if let Err(e) = validate_as(&T::schema_name(), &json) {
        panic!("{e}");
    }
}

/// The `const` of property `tag` in each `oneOf` option of the schema named `name`: the variant
/// names of a tagged enum.
fn variant_names(name: &str, tag: &str) -> BTreeSet<String> {
    components()[name]["oneOf"]
        .as_array()
        .expect("a tagged enum")
        .iter()
        .map(|option| {
            option["properties"][tag]["const"]
                .as_str()
                .expect("a tag const")
                .to_owned()
        })
        .collect()
}

/// Run `samples` command sequences drawn from `sequences`, each from the state after `start`
/// (the events `creation` decides on the empty state): every command, event, refusal and
/// resulting state must match its schema; the command schema names exactly the commands met,
/// the event schema exactly the event types met.
pub(crate) fn check_aggregate<A>(
    creation: Option<A::Command>,
    sequences: impl Strategy<Value = Vec<A::Command>>,
    samples: usize,
) where
    A: Aggregate + JsonSchema + Serialize,
    A::Command: JsonSchema + Serialize,
    A::Event: JsonSchema,
    A::Error: JsonSchema,
{
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut commands_seen = BTreeSet::new();
    let mut rules_seen = BTreeSet::new();
    let mut events_seen = BTreeSet::new();
    for _ in 0..samples {
        let commands = sequences.new_tree(&mut runner).expect("strategy").current();
        let mut state = A::default();
        for command in creation.iter().chain(&commands) {
            assert_matches_schema(command);
            let json = serde_json::to_value(command).expect("serializes");
            if let Some(name) = json["command"].as_str() {
                commands_seen.insert(name.to_owned());
            }
            match state.decide(command) {
                Ok(events) => {
                    for event in &events {
                        assert_matches_schema(event);
                        events_seen.insert(event.event_type().to_owned());
                        state.apply(event);
                    }
                }
                Err(error) => {
                    assert_matches_schema(&error);
                    rules_seen.insert(crate::aggregate::DomainError::rule(&error));
                }
            }
        }
        assert_matches_schema(&state);
    }
    let command_schema = <A::Command as JsonSchema>::schema_name();
    assert_eq!(variant_names(&command_schema, "command"), commands_seen);
    let event_schema = <A::Event as JsonSchema>::schema_name();
    assert_eq!(variant_names(&event_schema, "type"), events_seen);
    let error_schema = <A::Error as JsonSchema>::schema_name();
    let rules = variant_names(&error_schema, "rule");
    assert!(
        rules_seen.iter().all(|r| rules.contains(*r)),
        "{rules_seen:?} ⊄ {rules:?}"
    );
}

// ----- the components -------------------------------------------------------------------------

#[test]
fn every_reference_resolves_and_every_name_is_plain() {
    fn refs(value: &Value, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                    out.insert(r.to_owned());
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = BTreeSet::new();
    refs(&Value::Object(components().clone()), &mut all);
    for r in &all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r} is not a component reference"));
        assert!(components().contains_key(name), "dangling {r}");
    }
    for name in components().keys() {
        assert!(
            !name.ends_with(|c: char| c.is_ascii_digit()),
            "{name}: two types share a schema name"
        );
    }
    for name in [
        "EnterpriseCommand",
        "ProjectCommand",
        "BaseCommand",
        "RegionalPlanCommand",
        "AccountCommand",
        "AccountEvent",
        "Account",
        "AccountError",
        "Region",
        "Period",
        "Kg",
        "Fen",
    ] {
        assert!(components().contains_key(name), "{name} missing");
    }
}

#[test]
fn schema_for_runs_for_every_command_enum_and_names_every_variant() {
    let account = schemars::schema_for!(crate::AccountCommand);
    let names: BTreeSet<&str> = account
        .get("oneOf")
        .and_then(Value::as_array)
        .expect("oneOf")
        .iter()
        .filter_map(|o| {
            o.pointer("/properties/command/const")
                .and_then(Value::as_str)
        })
        .collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "CreateAccount",
            "ChangeRole",
            "UpdateProfile",
            "DisableAccount",
            "EnableAccount",
            "RecordPasswordChange"
        ])
    );
    for schema in [
        schemars::schema_for!(crate::EnterpriseCommand),
        schemars::schema_for!(crate::ProjectCommand),
        schemars::schema_for!(crate::BaseCommand),
        schemars::schema_for!(crate::RegionalPlanCommand),
    ] {
        assert_eq!(
            schema.get("$schema"),
            Some(&json!("https://json-schema.org/draft/2020-12/schema"))
        );
        assert!(
            schema
                .get("oneOf")
                .and_then(Value::as_array)
                .is_some_and(|o| o.len() >= 5)
        );
    }
}

// ----- hand-written value schemas ---------------------------------------------------------------

#[test]
fn value_schemas_accept_what_serde_accepts_and_refuse_the_rest() {
    let cases: &[(&str, Value, bool)] = &[
        ("Region", json!("520000"), true),
        ("Region", json!("522700"), true),
        ("Region", json!("520181"), true),
        ("Region", json!("520700"), false),
        ("Region", json!("522401"), false),
        ("Region", json!("110000"), false),
        ("Region", json!(520300), false),
        ("Period", json!("2026"), true),
        ("Period", json!("2026-Q4"), true),
        ("Period", json!("2026-12"), true),
        ("Period", json!("2026-13"), false),
        ("Period", json!("2026-Q5"), false),
        ("Period", json!("1899"), false),
        ("Period", json!("2026-q1"), false),
        ("Uscc", json!("914403001922038216"), true),
        ("Uscc", json!("9144030071526726xg"), false),
        ("Uscc", json!("B14403001922038216"), false),
        ("Kg", json!(0), true),
        ("Kg", json!(9_007_199_254_740_991u64), true),
        ("Kg", json!(9_007_199_254_740_992u64), false),
        ("Kg", json!(-1), false),
        ("Kg", json!(1.5), false),
        ("Fen", json!(250_000), true),
        ("Fen", json!("2500"), false),
        ("BasisPoints", json!(10_000), true),
        ("BasisPoints", json!(10_001), false),
        ("Ratio", json!({"numerator": 3, "denominator": 4}), true),
        ("Ratio", json!({"numerator": 3, "denominator": 0}), false),
        ("Ratio", json!({"numerator": 3}), false),
        ("Username", json!("zunyi.clerk"), true),
        ("Username", json!("Zunyi"), false),
        ("Username", json!("z"), false),
        ("Role", json!("bureau"), true),
        ("Role", json!("Bureau"), false),
        ("UtilizationRoute", json!("mine_backfill"), true),
        ("EnterpriseKind", json!("downstream_user:cement"), true),
        ("EnterpriseKind", json!("downstream_user:bakery"), false),
        (
            "RouteAmounts",
            json!({"cement": 100, "mine_backfill": 5}),
            true,
        ),
        ("RouteAmounts", json!({"cement": -1}), false),
        ("RouteAmounts", json!({"bakery": 1}), false),
    ];
    for (name, value, valid) in cases {
        assert_eq!(
            validate_as(name, value).is_ok(),
            *valid,
            "{name} {value}: {:?}",
            validate_as(name, value)
        );
        // What the schema accepts, serde accepts, and the other way round.
        let decoded = match *name {
            "Region" => serde_json::from_value::<Region>(value.clone()).is_ok(),
            "Period" => serde_json::from_value::<Period>(value.clone()).is_ok(),
            "Uscc" => serde_json::from_value::<Uscc>(value.clone()).is_ok(),
            "Kg" => serde_json::from_value::<Kg>(value.clone()).is_ok(),
            "Fen" => serde_json::from_value::<Fen>(value.clone()).is_ok(),
            "BasisPoints" => serde_json::from_value::<BasisPoints>(value.clone()).is_ok(),
            "Ratio" => serde_json::from_value::<Ratio>(value.clone()).is_ok(),
            "Username" => serde_json::from_value::<Username>(value.clone()).is_ok(),
            "Role" => serde_json::from_value::<Role>(value.clone()).is_ok(),
            "UtilizationRoute" => {
                serde_json::from_value::<crate::UtilizationRoute>(value.clone()).is_ok()
            }
            "EnterpriseKind" => {
                serde_json::from_value::<crate::EnterpriseKind>(value.clone()).is_ok()
            }
            "RouteAmounts" => serde_json::from_value::<crate::RouteAmounts>(value.clone()).is_ok(),
            other => panic!("no decoder for {other}"),
        };
        assert_eq!(
            decoded, *valid,
            "serde and schema disagree on {name} {value}"
        );
    }
}

#[test]
fn maps_keyed_by_periods_years_and_codes_are_described_as_such() {
    let plan = &components()["RegionalPlan"]["properties"]["reports"];
    assert_eq!(
        plan["patternProperties"]
            .as_object()
            .map(|p| p.keys().cloned().collect::<Vec<_>>()),
        Some(vec![PERIOD_PATTERN.to_owned()])
    );
    assert_eq!(plan["additionalProperties"], json!(false));
    let base = &components()["Base"]["properties"]["targets"];
    assert!(base["patternProperties"].get("^\\d+$").is_some(), "{base}");
    let designations = &components()["Enterprise"]["properties"]["designations"];
    assert!(
        designations["properties"]
            .get("zero_waste_enterprise")
            .is_some()
    );
}

#[test]
fn errors_are_described_as_rule_and_values() {
    let error = serde_json::to_value(crate::RegionalPlanError::from(
        crate::LedgerError::Unbalanced {
            generated: Kg::new(10).expect("small"),
            utilized_from_new: Kg::ZERO,
            disposed_from_new: Kg::ZERO,
            stored_new: Kg::ZERO,
        },
    ))
    .expect("serializes");
    assert_eq!(validate_as("RegionalPlanError", &error), Ok(()));
    assert!(validate_as("RegionalPlanError", &json!({"rule": "NoSuchRule"})).is_err());
    let too_much = serde_json::to_value(crate::MassError::ExceedsMaximum {
        kg: u128::from(u64::MAX) * 1000,
    })
    .expect("serializes");
    assert_eq!(validate_as("MassError", &too_much), Ok(()));
    let rules = variant_names("AccountError", "rule");
    let expected: BTreeSet<String> = <crate::AccountError as crate::DomainError>::RULES
        .iter()
        .map(|r| (*r).to_owned())
        .collect();
    assert_eq!(rules, expected);
}

#[test]
fn commands_missing_a_field_or_naming_no_command_are_refused() {
    let ok = json!({
        "command": "CreateAccount",
        "account_id": "0192a000-0000-7000-8000-000000000001",
        "username": "zunyi.clerk",
        "display_name": "王丽",
        "role": "bureau",
        "region": "520300",
        "organisation": "遵义市工业和信息化局",
        "created_on": "2026-01-05",
    });
    assert_eq!(validate_as("AccountCommand", &ok), Ok(()));
    let mut missing = ok.clone();
    missing.as_object_mut().map(|o| o.remove("created_on"));
    assert!(validate_as("AccountCommand", &missing).is_err());
    let mut unknown = ok.clone();
    unknown["command"] = json!("DeleteAccount");
    assert!(validate_as("AccountCommand", &unknown).is_err());
    let mut bad_region = ok;
    bad_region["region"] = json!("520900");
    assert!(validate_as("AccountCommand", &bad_region).is_err());
}

fn near_region() -> impl Strategy<Value = String> {
    prop_oneof![
        "52[0-9]{4}",
        Just("520000".to_owned()),
        proptest::sample::select(Prefecture::ALL.to_vec()).prop_map(|p| p.code().to_string()),
        "[0-9]{5,7}",
    ]
}

proptest! {
    /// The hand-written patterns agree exactly with the parsers on near-valid text.
    #[test]
    fn patterns_agree_with_the_parsers(
        region in near_region(),
        period in "(1[89]|20|99)[0-9]{2}(-Q[0-6]|-[01][0-9]|-[0-9])?",
        username in "[a-zA-Z0-9_.\\- ]{0,34}",
    ) {
        prop_assert_eq!(
            matches_pattern(REGION_PATTERN, &region),
            region.parse::<Region>().is_ok(),
            "{}", region
        );
        prop_assert_eq!(
            matches_pattern(PERIOD_PATTERN, &period),
            period.parse::<Period>().is_ok(),
            "{}", period
        );
        prop_assert_eq!(
            matches_pattern(Username::PATTERN, &username),
            username.parse::<Username>().is_ok(),
            "{}", username
        );
    }

    /// Every valid code matches the pattern; the pattern alone cannot check the check character.
    #[test]
    fn valid_usccs_match_the_pattern(code in "[1-9ANY][0-9A-HJ-NP-RT-UW-Y][0-9]{6}[0-9A-HJ-NP-RT-UW-Y]{9}") {
        let check = crate::uscc_check_character(&code).expect("charset only");
        let full = format!("{code}{check}");
        prop_assert!(full.parse::<Uscc>().is_ok());
        prop_assert!(matches_pattern(USCC_PATTERN, &full));
    }
}
