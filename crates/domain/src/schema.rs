//! JSON Schemas (draft 2020-12, the dialect of OpenAPI 3.1) of every type that crosses the API:
//! commands, events, aggregate states, errors and value types. Built only with the `schema`
//! feature, so the wasm client and default builds never compile schemars.
//!
//! Types with derived serde derive `schemars::JsonSchema` as well (doc comments become
//! descriptions). The value types whose serde is hand-written have hand-written schemas here that
//! say what their serde accepts: a [`Region`] is a string matching the GB/T 2260 codes of
//! Guizhou, a [`Period`] a string `YYYY`, `YYYY-Qn` or `YYYY-MM`, a [`Kg`] or [`Fen`] an integer
//! between 0 and 2^53 − 1, and so on. Where JSON Schema cannot say everything (the check
//! character of a [`Uscc`]), the description does and the server's decoding still refuses.
//!
//! [`openapi_components`] gives the schemas of every command, event, state and error type with
//! their references under `#/components/schemas/`, ready to be the `components.schemas` of an
//! OpenAPI 3.1 document.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::values::{BasisPoints, EnterpriseKind, Fen, Kg, Period, Ratio, Region, Uscc, Username};

/// The JSON pointer under which [`openapi_components`] puts referenced schemas.
pub const COMPONENTS_PATH: &str = "/components/schemas";

/// Schema settings for an OpenAPI 3.1 document: JSON Schema 2020-12 with referenced schemas
/// under `#/components/schemas/`, describing what the server accepts (deserializes).
pub fn openapi_settings() -> SchemaSettings {
    SchemaSettings::draft2020_12().with(|s| {
        s.definitions_path = COMPONENTS_PATH.into();
        s.meta_schema = None;
    })
}

/// The schemas of every aggregate's commands, events, state and errors, and of everything they
/// reference, by name, with references of the form `#/components/schemas/<name>`: the
/// `components.schemas` object of an OpenAPI 3.1 document.
pub fn openapi_components() -> serde_json::Map<String, serde_json::Value> {
    let mut generator = openapi_settings().into_generator();
    macro_rules! add {
        ($($ty:ty),+ $(,)?) => { $( generator.subschema_for::<$ty>(); )+ };
    }
    add!(
        crate::EnterpriseCommand,
        crate::EnterpriseEvent,
        crate::Enterprise,
        crate::EnterpriseError,
        crate::ProjectCommand,
        crate::ProjectEvent,
        crate::Project,
        crate::ProjectError,
        crate::BaseCommand,
        crate::BaseEvent,
        crate::Base,
        crate::BaseError,
        crate::RegionalPlanCommand,
        crate::RegionalPlanEvent,
        crate::RegionalPlan,
        crate::RegionalPlanError,
        crate::AccountCommand,
        crate::AccountEvent,
        crate::Account,
        crate::AccountError,
        crate::DecodeError,
        crate::regional_plan::ReportAssessment,
        crate::FundingBalances,
        crate::MatchingCoverage,
        crate::StockLine,
        crate::GoalLine,
        crate::RateFormula,
        crate::Role,
        crate::Username,
        crate::UsernameError,
        crate::UsccError,
        crate::RegionError,
        crate::PeriodError,
        crate::RatioError,
        crate::rules::TrancheSharesError,
    );
    generator.take_definitions(true)
}

/// A string that is one of `codes`, each `(code, Chinese name, English name)`; the names go to
/// the description.
pub(crate) fn code_enum<Zh, En>(codes: impl Iterator<Item = (String, Zh, En)>) -> Schema
where
    Zh: std::fmt::Display,
    En: std::fmt::Display,
{
    let mut values = Vec::new();
    let mut names = Vec::new();
    for (code, zh, en) in codes {
        names.push(format!("`{code}`: {zh} ({en})"));
        values.push(code);
    }
    json_schema!({
        "type": "string",
        "enum": values,
        "description": names.join("; "),
    })
}

/// A non-negative integer written as decimal text (an amount that may exceed what a JSON number
/// holds exactly), see [`crate::values`]' `ExceedsMaximum` errors.
pub(crate) fn decimal_text(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "pattern": "^[0-9]+$",
        "description": "A non-negative integer as decimal text.",
    })
}

/// Implements `JsonSchema` for a value type with hand-written serde.
macro_rules! hand_written {
    ($ty:ty, $name:literal, $schema:expr) => {
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                $name.into()
            }

            fn schema_id() -> Cow<'static, str> {
                concat!("redmud_domain::", $name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}

/// The pattern of a unified social credit code: registration authority, entity category, six
/// division digits, nine organisation-code characters and the check character.
pub const USCC_PATTERN: &str =
    "^[1-9ANY][0-9A-HJ-NP-RT-UW-Y][0-9]{6}[0-9A-HJ-NP-RT-UW-Y]{9}[0-9A-HJ-NP-RT-UW-Y]$";
/// The pattern of a Guizhou GB/T 2260 region code: the province 520000, a prefecture
/// (5201–5206, 5223, 5226, 5227 followed by 00) or a county under one (last two digits 01–99).
pub const REGION_PATTERN: &str = "^52(0000|0[1-6][0-9]{2}|2[367][0-9]{2})$";
/// The pattern of a period: a year 1900–9999, optionally `-Q1`…`-Q4` or `-01`…`-12`.
pub const PERIOD_PATTERN: &str = "^(19[0-9]{2}|[2-9][0-9]{3})(-Q[1-4]|-(0[1-9]|1[0-2]))?$";

hand_written!(
    Uscc,
    "Uscc",
    json_schema!({
        "type": "string",
        "minLength": 18,
        "maxLength": 18,
        "pattern": USCC_PATTERN,
        "description": "Unified social credit code (统一社会信用代码, GB 32100-2015): 18 upper-case \
            characters of 0-9 A-H J-N P-R T-U W-Y; position 1 a registration authority code \
            (1-9, A, N, Y), positions 3-8 digits; the 18th is the check character computed from \
            the first 17, which is validated too.",
        "examples": ["914403001922038216"],
    })
);

hand_written!(
    Region,
    "Region",
    json_schema!({
        "type": "string",
        "pattern": REGION_PATTERN,
        "description": "A region of Guizhou by its GB/T 2260 code: 520000 the province; \
            520100 贵阳市, 520200 六盘水市, 520300 遵义市, 520400 安顺市, 520500 毕节市, \
            520600 铜仁市, 522300 黔西南州, 522600 黔东南州, 522700 黔南州; or a county under one \
            of them (the prefecture's first four digits, then 01-99).",
        "examples": ["520000", "520300", "520181"],
    })
);

hand_written!(
    Period,
    "Period",
    json_schema!({
        "type": "string",
        "pattern": PERIOD_PATTERN,
        "description": "A reporting period: a year (\"2026\"), a quarter (\"2026-Q1\") or a \
            month (\"2026-03\"); years 1900-9999.",
        "examples": ["2026", "2026-Q1", "2026-03"],
    })
);

hand_written!(
    Kg,
    "Kg",
    json_schema!({
        "type": "integer",
        "format": "int64",
        "minimum": 0,
        "maximum": Kg::MAX_KG,
        "description": "Mass in whole kilograms (shown as tonnes with three decimals).",
        "examples": [1_500_000],
    })
);

hand_written!(
    Fen,
    "Fen",
    json_schema!({
        "type": "integer",
        "format": "int64",
        "minimum": 0,
        "maximum": Fen::MAX_FEN,
        "description": "Money in whole fen (分; 100 fen = 1 yuan).",
        "examples": [123_456],
    })
);

hand_written!(
    BasisPoints,
    "BasisPoints",
    json_schema!({
        "type": "integer",
        "format": "int32",
        "minimum": 0,
        "maximum": 10_000,
        "description": "A percentage in whole basis points (1 bp = 0.01 %; 7000 = 70 %).",
        "examples": [1_500],
    })
);

hand_written!(
    Ratio,
    "Ratio",
    json_schema!({
        "type": "object",
        "properties": {
            "numerator": {"type": "integer", "format": "int64", "minimum": 0},
            "denominator": {"type": "integer", "format": "int64", "minimum": 1},
        },
        "required": ["numerator", "denominator"],
        "additionalProperties": false,
        "description": "An exact non-negative fraction in lowest terms (a computed rate).",
        "examples": [{"numerator": 4, "denominator": 25}],
    })
);

hand_written!(
    EnterpriseKind,
    "EnterpriseKind",
    code_enum(EnterpriseKind::all().map(|k| (k.to_string(), k.name_zh(), k.name_en())))
);

hand_written!(
    Username,
    "Username",
    json_schema!({
        "type": "string",
        "minLength": Username::MIN_LENGTH,
        "maxLength": Username::MAX_LENGTH,
        "pattern": Username::PATTERN,
        "description": "Sign-in name: a lower-case letter or digit, then lower-case letters, \
            digits, '_', '.' or '-'; 2 to 32 characters.",
        "examples": ["zunyi.clerk"],
    })
);

#[cfg(test)]
pub(crate) mod tests;
