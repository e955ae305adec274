//! A form for every command of the API, checked in the browser before it is sent.
//!
//! Each command is described once ([`FormSpec`], in [`specs`]): its fields (a JSON path into the
//! command's body, a bilingual label and a [`Kind`]), who may run it and what the server fills in.
//! From what the user typed, [`build`] parses every field exactly (tonnes → integer kilograms,
//! 元 → integer fen, percentages → basis points, all as decimal text, never through `f64`) into the
//! command's JSON body; [`check`] then turns that body into the domain's own `Command` (the same
//! serde path the server takes) and runs the aggregate's `decide` on the state the page shows, so a
//! rule of the action plan refuses the command inline, in the interface language ([`rules`]),
//! before anything is sent. What the server answers afterwards (problem+json) is localised by the
//! same rule table.
//!
//! This module needs no browser and is unit-tested natively; the Leptos components are in `view`.

mod commands;
pub mod rules;
pub mod specs;
#[cfg(target_arch = "wasm32")]
pub(crate) mod view;

use std::fmt::Display;

use redmud_domain::{
    Aggregate, Base, Enterprise, Fen, Kg, LedgerFigures, NaiveDate, Period, Project, Region,
    RegionalPlan, account::Account, regional_plan::ReportFigures,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::format;
use crate::i18n::Lang;
use crate::roles::Role;

/// A text in both languages (a form's title, a field's label, an option).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct L {
    /// 简体中文.
    pub zh: &'static str,
    /// English.
    pub en: &'static str,
}

impl L {
    /// The text in `lang`.
    pub const fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// `L { zh, en }`.
pub const fn l(zh: &'static str, en: &'static str) -> L {
    L { zh, en }
}

/// The aggregate a command is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agg {
    /// 企业.
    Enterprise,
    /// 项目.
    Project,
    /// 示范基地.
    Base,
    /// 地区年度目标与报送.
    RegionalPlan,
    /// 账户.
    Account,
}

impl Agg {
    /// The API collection (`/api/<collection>`).
    pub const fn collection(self) -> &'static str {
        match self {
            Agg::Enterprise => "enterprises",
            Agg::Project => "projects",
            Agg::Base => "bases",
            Agg::RegionalPlan => "regional-plans",
            Agg::Account => "accounts",
        }
    }

    /// The field of the creating command that holds the new id (the server chooses it).
    pub const fn id_field(self) -> &'static str {
        match self {
            Agg::Enterprise => "enterprise_id",
            Agg::Project => "project_id",
            Agg::Base => "base_id",
            Agg::RegionalPlan => "plan_id",
            Agg::Account => "account_id",
        }
    }
}

/// A choice list: `(value, label)` pairs in the language.
pub type Options = fn(Lang) -> Vec<(String, String)>;

/// What another aggregate or a part of this one a field refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An enterprise (chosen from the enterprise list).
    Enterprise,
    /// A project (chosen from the project list).
    Project,
    /// An award of this project.
    Award,
    /// A milestone of this project not yet achieved.
    Milestone,
    /// A tax incentive claim of this enterprise.
    Claim,
    /// A recorded ledger period of this enterprise.
    LedgerPeriod,
    /// A designation this enterprise holds.
    Designation,
    /// A member enterprise of this base.
    Member,
    /// A project linked to this base.
    Linked,
    /// A submitted report period of this regional plan.
    ReportPeriod,
}

/// How a field is entered and what JSON it becomes.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// One line of text → a string.
    Text,
    /// A reason or other long text (a `<textarea>`) → a string.
    LongText,
    /// A password (`<input type=password>`) → a string.
    Password,
    /// `YYYY-MM-DD` (`<input type=date>`) → a date string.
    Date,
    /// `2026-Q3`, `2026-10`, `2026` → a period string.
    Period,
    /// Tonnes with up to three decimals → integer kilograms.
    Tonnes,
    /// 元 with up to two decimals → integer fen.
    Money,
    /// A non-negative integer.
    Integer,
    /// A year, 1900–9999.
    Year,
    /// A percentage with up to two decimals → integer basis points.
    Percent,
    /// One of a list (a `<select>`) → the option's value (a string).
    Choice(Options),
    /// Any of a list (checkboxes; entered as comma-separated values) → an array of strings.
    Multi(Options),
    /// A region of Guizhou → its six-digit code.
    Region,
    /// One entry per line → an array of strings.
    Lines,
    /// A reference (a `<select>` of what the state or a list offers) → the referenced id/value.
    Ref(Target),
    /// A tranche's condition: `approval`, `construction_started`, `commissioned`, `accepted`, or
    /// `milestone:<id>` → `{"on": …, "milestone_id": …}`.
    Condition,
}

/// Whether a field must be filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Blank is an error.
    Required,
    /// Blank leaves the field out of the body.
    Optional,
    /// Blank counts as zero (amounts).
    Zero,
}

/// One field of a form.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// Where its value goes in the body: `proposal.name`, `tranches.0.amount`, `reason`.
    pub path: &'static str,
    /// Its label.
    pub label: L,
    /// How it is entered.
    pub kind: Kind,
    /// Whether it must be filled in.
    pub need: Need,
    /// A row of an optional repeated group (tranches, yearly targets): when every field of row
    /// `row` (> 0) is blank, the row is left out; otherwise its fields are required.
    pub row: u8,
    /// Used (and shown) only when the field at path `.0` has the value `.1`.
    pub when: Option<(&'static str, &'static str)>,
}

impl FieldSpec {
    /// A required field.
    pub const fn new(path: &'static str, label: L, kind: Kind) -> FieldSpec {
        FieldSpec {
            path,
            label,
            kind,
            need: Need::Required,
            row: 0,
            when: None,
        }
    }
    /// Blank leaves it out.
    pub const fn optional(self) -> FieldSpec {
        FieldSpec {
            need: Need::Optional,
            ..self
        }
    }
    /// Blank is zero.
    pub const fn zero(self) -> FieldSpec {
        FieldSpec {
            need: Need::Zero,
            ..self
        }
    }
    /// Part of optional row `row`.
    pub const fn row(self, row: u8) -> FieldSpec {
        FieldSpec { row, ..self }
    }
    /// Only when the field at `path` is `value`.
    pub const fn when(self, path: &'static str, value: &'static str) -> FieldSpec {
        FieldSpec {
            when: Some((path, value)),
            ..self
        }
    }
    /// The HTML name of its input (the path, dots as `-`).
    pub fn name(&self) -> String {
        self.path.replace('.', "-")
    }
    /// Whether it is used given the other inputs.
    pub fn active(&self, fields: &[FieldSpec], inputs: &[String]) -> bool {
        match self.when {
            None => true,
            Some((path, value)) => fields
                .iter()
                .zip(inputs)
                .any(|(f, input)| f.path == path && input.trim() == value),
        }
    }
}

/// A field the server fills in (mirrors the API's `Fill`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// A new id when none is sent.
    NewId(&'static str),
    /// The server's date, whatever is sent.
    Today(&'static str),
    /// Figures the server freezes from the ledgers when none are sent (a report's): the client
    /// checks with zeros.
    Frozen(&'static str),
}

/// A command's form.
#[derive(Debug, Clone, Copy)]
pub struct FormSpec {
    /// The aggregate.
    pub agg: Agg,
    /// The domain's command name (`AwardFunding`).
    pub command: &'static str,
    /// The form's title.
    pub title: L,
    /// Who may run it (the server's role table).
    pub roles: &'static [Role],
    /// Whether it creates the aggregate (`POST /api/<collection>`).
    pub creates: bool,
    /// What the server fills in.
    pub fills: &'static [Fill],
    /// The fields, in order (a `reason` field is added when the command has none: every command
    /// takes a reason as metadata).
    pub fields: &'static [FieldSpec],
}

/// The optional reason every command accepts as metadata.
pub const METADATA_REASON: FieldSpec = FieldSpec::new(
    "reason",
    l("原因（可选）", "Reason (optional)"),
    Kind::LongText,
)
.optional();

impl FormSpec {
    /// The URL segment: `AwardFunding` → `award-funding`.
    pub fn segment(&self) -> String {
        let mut out = String::new();
        for (i, c) in self.command.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    out.push('-');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Where to `POST`: the collection for a creating command, else `…/{id}/<segment>`.
    pub fn url(&self, id: Option<&str>) -> String {
        match (self.creates, id) {
            (true, _) | (false, None) => format!("/api/{}", self.agg.collection()),
            (false, Some(id)) => format!("/api/{}/{id}/{}", self.agg.collection(), self.segment()),
        }
    }

    /// Every field shown, the metadata reason included when the command has no reason of its own.
    pub fn all_fields(&self) -> Vec<FieldSpec> {
        let mut fields = self.fields.to_vec();
        if !fields.iter().any(|f| f.path == "reason") {
            fields.push(METADATA_REASON);
        }
        fields
    }

    /// Whether `role` may run it.
    pub fn allows(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The HTML id of the form (`form-award-funding`).
    pub fn html_id(&self) -> String {
        format!("form-{}", self.segment())
    }
}

/// What went wrong with one input (an index into [`FormSpec::all_fields`]), or with the whole form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field (`None`: the form as a whole).
    pub field: Option<usize>,
    /// The message, in the interface language.
    pub message: String,
}

fn msg(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// A non-negative decimal with at most `decimals` decimals as an integer of its smallest unit
/// (`"12.34"`, 2 → 1234). Digits only, one optional point, thousands commas allowed; no sign.
pub fn parse_decimal(text: &str, decimals: u32) -> Option<u128> {
    let text: String = text.trim().chars().filter(|c| *c != ',').collect();
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text.as_str(), ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let places = u32::try_from(frac.len()).ok()?;
    if places > decimals {
        return None;
    }
    let mut value: u128 = 0;
    for b in whole.bytes().chain(frac.bytes()) {
        value = value.checked_mul(10)?.checked_add(u128::from(b - b'0'))?;
    }
    value.checked_mul(10u128.checked_pow(decimals - places)?)
}

/// Tonnes (`"1,234.5"`, `"12吨"`, `"12 t"`) → exact kilograms.
pub fn parse_tonnes(text: &str, lang: Lang) -> Result<Kg, String> {
    let t = text.trim();
    let t = t
        .strip_suffix('吨')
        .or_else(|| t.strip_suffix('t'))
        .unwrap_or(t);
    let kg = parse_decimal(t, 3).and_then(|kg| u64::try_from(kg).ok());
    kg.and_then(|kg| Kg::new(kg).ok()).ok_or_else(|| {
        msg(
            lang,
            "请输入吨数（非负，最多三位小数）",
            "Enter tonnes (not negative, at most three decimals)",
        )
    })
}

/// 元 (`"12.34"`, `"¥1,234.5"`, `"12元"`, `"3万元"`) → exact fen.
pub fn parse_money(text: &str, lang: Lang) -> Result<Fen, String> {
    let t = text.trim();
    let t = t.strip_prefix('¥').unwrap_or(t).trim();
    let (t, scale) = match t.strip_suffix("万元").or_else(|| t.strip_suffix('万')) {
        // 万元 with up to six decimals is still a whole number of fen.
        Some(t) => (t.trim(), 6),
        None => (t.strip_suffix('元').unwrap_or(t).trim(), 2),
    };
    let fen = parse_decimal(t, scale).and_then(|fen| u64::try_from(fen).ok());
    fen.and_then(|fen| Fen::new(fen).ok()).ok_or_else(|| {
        msg(
            lang,
            "请输入金额（元，非负，最多两位小数；或万元）",
            "Enter an amount in yuan (not negative, at most two decimals; or 万元)",
        )
    })
}

/// A percentage (`"12.5"`, `"12.5%"`) → basis points (0–10 000).
pub fn parse_percent(text: &str, lang: Lang) -> Result<u16, String> {
    let t = text.trim();
    let t = t.strip_suffix('%').unwrap_or(t);
    parse_decimal(t, 2)
        .and_then(|bp| u16::try_from(bp).ok())
        .filter(|bp| *bp <= 10_000)
        .ok_or_else(|| {
            msg(
                lang,
                "请输入 0–100 之间的百分数（最多两位小数）",
                "Enter a percentage from 0 to 100 (at most two decimals)",
            )
        })
}

/// One input as JSON (`Ok(None)`: blank).
pub fn parse_field(kind: Kind, input: &str, lang: Lang) -> Result<Option<Value>, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let value = match kind {
        Kind::Text | Kind::LongText | Kind::Choice(_) | Kind::Ref(_) => Value::from(trimmed),
        Kind::Password => Value::from(input),
        Kind::Date => match trimmed.parse::<NaiveDate>() {
            Ok(d) => Value::from(d.to_string()),
            Err(_) => {
                return Err(msg(
                    lang,
                    "日期格式应为 年-月-日",
                    "Enter a date as YYYY-MM-DD",
                ));
            }
        },
        Kind::Period => match trimmed.parse::<Period>() {
            Ok(p) => Value::from(p.to_string()),
            Err(_) => {
                return Err(msg(
                    lang,
                    "期间格式不正确（如 2026-Q3、2026-10、2026）",
                    "Enter a period such as 2026-Q3, 2026-10 or 2026",
                ));
            }
        },
        Kind::Tonnes => Value::from(parse_tonnes(trimmed, lang)?.kg()),
        Kind::Money => Value::from(parse_money(trimmed, lang)?.fen()),
        Kind::Percent => Value::from(parse_percent(trimmed, lang)?),
        Kind::Integer => match trimmed.parse::<u32>() {
            Ok(n) => Value::from(n),
            Err(_) => {
                return Err(msg(
                    lang,
                    "请输入非负整数",
                    "Enter a whole number, not negative",
                ));
            }
        },
        Kind::Year => match trimmed.parse::<u16>() {
            Ok(y) if (1900..=9999).contains(&y) => Value::from(y),
            _ => {
                return Err(msg(
                    lang,
                    "请输入年份（如 2026）",
                    "Enter a year (e.g. 2026)",
                ));
            }
        },
        Kind::Multi(_) => Value::Array(
            trimmed
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Value::from)
                .collect(),
        ),
        Kind::Region => match trimmed
            .parse::<u32>()
            .ok()
            .and_then(|c| Region::from_code(c).ok())
        {
            Some(region) => Value::from(region.to_string()),
            None => return Err(msg(lang, "请选择地区", "Choose a region")),
        },
        Kind::Lines => Value::Array(
            input
                .lines()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Value::from)
                .collect(),
        ),
        Kind::Condition => match trimmed.strip_prefix("milestone:") {
            Some(id) => serde_json::json!({ "on": "milestone_achieved", "milestone_id": id }),
            None => serde_json::json!({ "on": trimmed }),
        },
    };
    Ok(Some(value))
}

/// Sets `path` (dot-separated; numeric segments index arrays) in `root`.
fn set_path(root: &mut Value, path: &str, value: Value) {
    let mut node = root;
    let mut segments = path.split('.').peekable();
    while let Some(segment) = segments.next() {
        let last = segments.peek().is_none();
        let next_is_index = segments
            .peek()
            .is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit()));
        let fresh = || {
            if next_is_index {
                Value::Array(Vec::new())
            } else {
                Value::Object(Map::new())
            }
        };
        node = match segment.parse::<usize>() {
            Ok(index) => {
                if !node.is_array() {
                    *node = Value::Array(Vec::new());
                }
                let Value::Array(items) = node else { return };
                while items.len() <= index {
                    items.push(Value::Null);
                }
                if last {
                    items[index] = value;
                    return;
                }
                if items[index].is_null() {
                    items[index] = fresh();
                }
                &mut items[index]
            }
            Err(_) => {
                if !node.is_object() {
                    *node = Value::Object(Map::new());
                }
                let Value::Object(map) = node else { return };
                if last {
                    map.insert(segment.to_owned(), value);
                    return;
                }
                map.entry(segment.to_owned()).or_insert_with(fresh)
            }
        };
    }
}

/// Drops the `null` holes left in arrays by skipped rows.
fn compact(value: &mut Value) {
    match value {
        Value::Array(items) => {
            items.retain(|v| !v.is_null());
            items.iter_mut().for_each(compact);
        }
        Value::Object(map) => map.values_mut().for_each(compact),
        _ => {}
    }
}

/// Parses every input (parallel to [`FormSpec::all_fields`]) into the command's JSON body (without
/// the `command` tag, server-filled fields or a creating command's id), or every field problem.
pub fn build(spec: &FormSpec, inputs: &[String], lang: Lang) -> Result<Value, Vec<FieldError>> {
    let fields = spec.all_fields();
    let blank = |i: usize| inputs.get(i).is_none_or(|s| s.trim().is_empty());
    let mut body = Value::Object(Map::new());
    let mut errors = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        if !field.active(&fields, inputs) {
            continue;
        }
        let row_used = field.row == 0
            || fields
                .iter()
                .enumerate()
                .any(|(j, f)| f.row == field.row && f.active(&fields, inputs) && !blank(j));
        if !row_used {
            continue;
        }
        let input = inputs.get(i).map(String::as_str).unwrap_or_default();
        match parse_field(field.kind, input, lang) {
            Ok(Some(value)) => set_path(&mut body, field.path, value),
            Ok(None) => match field.need {
                Need::Required => errors.push(FieldError {
                    field: Some(i),
                    message: msg(lang, "此项必填", "Required"),
                }),
                Need::Zero => {
                    let zero = match field.kind {
                        Kind::Multi(_) | Kind::Lines => Value::Array(Vec::new()),
                        _ => Value::from(0u64),
                    };
                    set_path(&mut body, field.path, zero);
                }
                Need::Optional if field.row > 0 => errors.push(FieldError {
                    field: Some(i),
                    message: msg(lang, "此项必填", "Required"),
                }),
                Need::Optional => {}
            },
            Err(message) => errors.push(FieldError {
                field: Some(i),
                message,
            }),
        }
    }
    compact(&mut body);
    if errors.is_empty() {
        Ok(body)
    } else {
        Err(errors)
    }
}

/// An id the client uses for a sub-entity the server will number (never an existing one).
const PLACEHOLDER_ID: &str = "00000000-0000-7000-8000-00000000f0f0";

/// The full command as the server would form it: the body plus the `command` tag, the server's
/// fills (`today` for dates) and, when creating, a placeholder id.
pub fn command_json(spec: &FormSpec, body: &Value, today: NaiveDate) -> Value {
    let mut full = body.clone();
    if let Value::Object(map) = &mut full {
        for fill in spec.fills {
            match *fill {
                Fill::NewId(field) => {
                    map.entry(field.to_owned())
                        .or_insert_with(|| Value::from(PLACEHOLDER_ID));
                }
                Fill::Today(field) => {
                    map.insert(field.to_owned(), Value::from(today.to_string()));
                }
                Fill::Frozen(field) => {
                    let zeros = ReportFigures {
                        ledger: LedgerFigures::default(),
                        capacity_commissioned_per_year: Kg::ZERO,
                        demonstration_projects_completed: 0,
                        enterprises_reporting: 0,
                    };
                    let zeros = serde_json::to_value(zeros).unwrap_or(Value::Null);
                    map.entry(field.to_owned()).or_insert(zeros);
                }
            }
        }
        if spec.creates {
            map.insert(spec.agg.id_field().to_owned(), Value::from(PLACEHOLDER_ID));
        }
        map.insert("command".to_owned(), Value::from(spec.command));
    }
    full
}

fn decide<A>(state: &Value, command: Value, creates: bool, lang: Lang) -> Result<(), String>
where
    A: Aggregate + DeserializeOwned,
    A::Command: commands::Mirrored,
    A::Error: Serialize + Display,
{
    let command = <A::Command as commands::Mirrored>::from_wire(command).map_err(|e| {
        format!(
            "{}{e}",
            msg(lang, "内容不构成有效命令：", "Not a valid command: ")
        )
    })?;
    let state: A = if creates {
        A::default()
    } else {
        serde_json::from_value(state.clone()).map_err(|e| {
            format!(
                "{}{e}",
                msg(
                    lang,
                    "无法读取当前状态：",
                    "Cannot read the current state: "
                )
            )
        })?
    };
    match state.decide(&command) {
        Ok(_) => Ok(()),
        Err(error) => {
            let value = serde_json::to_value(&error).unwrap_or(Value::Null);
            Err(rules::message(&value, lang).unwrap_or_else(|| error.to_string()))
        }
    }
}

/// Runs the aggregate's own `decide` on `state` (the detail's `state`; ignored when creating) with
/// the command `body` would make: `Ok` when the domain accepts it, else its rule as a message.
pub fn check(
    spec: &FormSpec,
    body: &Value,
    state: &Value,
    today: NaiveDate,
    lang: Lang,
) -> Result<(), String> {
    let command = command_json(spec, body, today);
    match spec.agg {
        Agg::Enterprise => decide::<Enterprise>(state, command, spec.creates, lang),
        Agg::Project => decide::<Project>(state, command, spec.creates, lang),
        Agg::Base => decide::<Base>(state, command, spec.creates, lang),
        Agg::RegionalPlan => decide::<RegionalPlan>(state, command, spec.creates, lang),
        Agg::Account => decide::<Account>(state, command, spec.creates, lang),
    }
}

/// The body to send: the parsed body with the reason left out when blank.
pub fn validate(
    spec: &FormSpec,
    inputs: &[String],
    state: &Value,
    today: NaiveDate,
    lang: Lang,
) -> Result<Value, Vec<FieldError>> {
    let body = build(spec, inputs, lang)?;
    check(spec, &body, state, today, lang).map_err(|message| {
        vec![FieldError {
            field: None,
            message,
        }]
    })?;
    Ok(body)
}

/// The choices a reference offers, from the aggregate's state as the detail shows it.
/// (`Enterprise` and `Project` come from the lists, not the state: empty here.)
/// Options labelled `<id> · …` with the id replaced by its name where `names` (id, name) has it:
/// a base's members and linked projects by name rather than by id.
pub fn with_names(
    options: Vec<(String, String)>,
    names: &[(String, String)],
) -> Vec<(String, String)> {
    options
        .into_iter()
        .map(|(id, label)| {
            let label = match names.iter().find(|(n, _)| *n == id) {
                Some((_, name)) if !name.is_empty() => label.replacen(&id, name, 1),
                _ => label,
            };
            (id, label)
        })
        .collect()
}

pub fn state_options(target: Target, state: &Value, lang: Lang) -> Vec<(String, String)> {
    match target {
        Target::Award | Target::Milestone => {
            let Ok(project) = serde_json::from_value::<Project>(state.clone()) else {
                return Vec::new();
            };
            if target == Target::Award {
                project
                    .awards()
                    .iter()
                    .map(|(id, a)| {
                        let done = a
                            .tranches
                            .iter()
                            .filter(|t| t.disbursed_on.is_some())
                            .count();
                        (
                            id.to_string(),
                            format!(
                                "{} · {} · {} ({}/{})",
                                a.programme,
                                format::money(a.amount, lang),
                                format::date(a.awarded_on, lang),
                                done,
                                a.tranches.len()
                            ),
                        )
                    })
                    .collect()
            } else {
                project
                    .milestones()
                    .iter()
                    .filter(|(_, m)| m.achieved_on.is_none())
                    .map(|(id, m)| {
                        (
                            id.to_string(),
                            format!("{} · {}", m.name, format::date(m.planned_on, lang)),
                        )
                    })
                    .collect()
            }
        }
        Target::Claim | Target::LedgerPeriod | Target::Designation => {
            let Ok(enterprise) = serde_json::from_value::<Enterprise>(state.clone()) else {
                return Vec::new();
            };
            match target {
                Target::Claim => enterprise
                    .claims()
                    .iter()
                    .map(|(id, c)| {
                        let kind = c.claim.kind();
                        (
                            id.to_string(),
                            format!(
                                "{} · {} · {} · {}",
                                match lang {
                                    Lang::Zh => kind.name_zh(),
                                    Lang::En => kind.name_en(),
                                },
                                format::period(c.period, lang),
                                format::money(c.claim.amount(), lang),
                                crate::i18n::status(&c.state.to_string(), lang)
                            ),
                        )
                    })
                    .collect(),
                Target::LedgerPeriod => enterprise
                    .ledger()
                    .keys()
                    .rev()
                    .map(|p| (p.to_string(), format::period(*p, lang)))
                    .collect(),
                _ => enterprise
                    .designations()
                    .keys()
                    .map(|d| {
                        (
                            d.code().to_owned(),
                            match lang {
                                Lang::Zh => d.name_zh(),
                                Lang::En => d.name_en(),
                            }
                            .to_owned(),
                        )
                    })
                    .collect(),
            }
        }
        Target::Member | Target::Linked => {
            let Ok(base) = serde_json::from_value::<Base>(state.clone()) else {
                return Vec::new();
            };
            let ids = if target == Target::Member {
                base.members()
            } else {
                base.projects()
            };
            ids.iter()
                .map(|(id, since)| {
                    (
                        id.to_string(),
                        format!("{id} · {}", format::date(*since, lang)),
                    )
                })
                .collect()
        }
        Target::ReportPeriod => {
            let Ok(plan) = serde_json::from_value::<RegionalPlan>(state.clone()) else {
                return Vec::new();
            };
            plan.reports()
                .keys()
                .map(|p| (p.to_string(), format::period(*p, lang)))
                .collect()
        }
        Target::Enterprise | Target::Project => Vec::new(),
    }
}

/// Every form of an aggregate's detail page that `role` may run (creating forms excluded).
pub fn detail_forms(agg: Agg, role: Role) -> Vec<&'static FormSpec> {
    specs::ALL
        .iter()
        .filter(|s| s.agg == agg && !s.creates && s.allows(role))
        .collect()
}

/// Whether a detail form applies to the aggregate in `state`: a project's construction commands
/// not to a standard, its standard commands only to a standard (the domain's
/// [`redmud_domain::project::command_applies_to`]); every other form applies.
pub fn applies(spec: &FormSpec, state: &serde_json::Value) -> bool {
    if spec.agg != Agg::Project {
        return true;
    }
    match state["proposal"]["kind"]
        .as_str()
        .and_then(|k| k.parse::<redmud_domain::ProjectKind>().ok())
    {
        Some(kind) => redmud_domain::project::command_applies_to(spec.command, kind),
        None => true,
    }
}

/// The creating form of an aggregate, when `role` may run it.
pub fn creation_form(agg: Agg, role: Role) -> Option<&'static FormSpec> {
    specs::ALL
        .iter()
        .find(|s| s.agg == agg && s.creates && s.allows(role))
}

/// A form by its command name.
pub fn by_command(command: &str) -> Option<&'static FormSpec> {
    specs::ALL.iter().find(|s| s.command == command)
}

#[cfg(test)]
mod tests;
