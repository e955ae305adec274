//! The presentation of `GET /api/audit/diff` (`docs/audit.md`): each change flattened to the
//! leaves that differ, its path in words, its values formatted; a report row's key in words.

use redmud_domain::{Period, Region};
use serde_json::Value;

use super::labels::{self, L};
use crate::format;
use crate::i18n::Lang;

/// How a leaf changed between the two moments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Absent before.
    Added,
    /// Absent after.
    Removed,
    /// Both present, different.
    Changed,
}

impl Change {
    /// Its label.
    pub const fn label(self) -> L {
        match self {
            Change::Added => L("新增", "added"),
            Change::Removed => L("移除", "removed"),
            Change::Changed => L("变更", "changed"),
        }
    }

    /// A stable code (for CSS and tests).
    pub const fn code(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// One changed leaf, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    /// The JSON Pointer of the leaf in the state or report row.
    pub pointer: String,
    /// The path in words (`台账 › 2025年第二季度 › 产生量`).
    pub path: String,
    /// The value before (`—` when absent).
    pub before: String,
    /// The value after (`—` when absent).
    pub after: String,
    /// How it changed.
    pub change: Change,
}

/// Field names of states and reports, in both languages.
const FIELDS: &[(&str, L)] = &[
    ("ledger", L("台账", "ledger")),
    ("figures", L("数据", "figures")),
    ("generated", L("产生量", "generated")),
    ("utilized_from_new", L("新增综合利用量", "utilized (new)")),
    (
        "utilized_from_stock",
        L("历史堆存利用量", "utilized from stock"),
    ),
    ("disposed_from_new", L("新增处置量", "disposed (new)")),
    (
        "disposed_from_stock",
        L("历史堆存处置量", "disposed from stock"),
    ),
    ("stored_new", L("新增贮存量", "stored (new)")),
    ("revision", L("修订", "revision")),
    ("status", L("状态", "status")),
    ("name", L("名称", "name")),
    ("designations", L("称号", "designations")),
    ("audits", L("清洁生产审核", "clean production audits")),
    ("milestones", L("里程碑", "milestones")),
    ("awards", L("资金下达", "funding awards")),
    ("members", L("成员企业", "members")),
    ("projects", L("项目", "projects")),
    ("targets", L("目标", "targets")),
    ("reports", L("报告", "reports")),
    ("evaluations", L("评估", "evaluations")),
    ("claims", L("税收优惠申请", "tax incentive claims")),
    ("entries", L("台账期数", "entries")),
    ("corrected_entries", L("更正期数", "corrected entries")),
    ("utilized_total", L("综合利用量", "utilized")),
    (
        "utilized_from_new_total",
        L("新增综合利用量合计", "utilized (new), total"),
    ),
    (
        "utilized_from_stock_total",
        L("历史堆存利用量合计", "utilized from stock, total"),
    ),
    ("disposed_total", L("处置量", "disposed")),
    ("stock_end", L("期末堆存量", "stock at end")),
    ("new_rate", L("新增利用率", "new rate")),
    ("statistical_rate", L("统计利用率", "statistical rate")),
    ("rate", L("利用率", "rate")),
    ("actual_utilized", L("实际利用量", "actual utilized")),
    ("actual_new_rate", L("实际利用率", "actual rate")),
    ("target_utilized", L("目标利用量", "target utilized")),
    ("gap", L("差距", "gap")),
    ("on_pace", L("符合进度", "on pace")),
    ("rate_met", L("达标", "met")),
    ("region", L("地区", "region")),
    ("year", L("年度", "year")),
    ("period", L("期间", "period")),
];

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

fn segment_name(segment: &str, lang: Lang) -> String {
    if let Some((_, label)) = FIELDS.iter().find(|(f, _)| *f == segment) {
        return label.get(lang).to_owned();
    }
    if segment.len() >= 4
        && segment.starts_with("20")
        && let Ok(period) = segment.parse::<Period>()
    {
        return format::period(period, lang);
    }
    if let Some(region) = segment
        .parse::<u32>()
        .ok()
        .and_then(|c| Region::from_code(c).ok())
    {
        return format::region(region, lang);
    }
    let label = labels::code(segment, lang);
    if label != segment {
        return label;
    }
    segment.to_owned()
}

/// A JSON Pointer in words (`/ledger/2025-Q2/figures/generated` → `台账 › 2025年第二季度 › 数据 ›
/// 产生量`).
pub fn path_words(pointer: &str, lang: Lang) -> String {
    let words: Vec<String> = pointer
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| segment_name(&unescape(s), lang))
        .collect();
    if words.is_empty() {
        "—".to_owned()
    } else {
        words.join(" › ")
    }
}

/// A value in a diff: absent or `null` is `—`; integers grouped; a rate object by its percent;
/// text and codes as they are (codes named); lists by their items.
pub fn value_text(value: &Value, lang: Lang) -> String {
    match value {
        Value::Null => "—".to_owned(),
        Value::Bool(b) => match (lang, b) {
            (Lang::Zh, true) => "是".into(),
            (Lang::Zh, false) => "否".into(),
            (Lang::En, true) => "yes".into(),
            (Lang::En, false) => "no".into(),
        },
        Value::Number(n) => match n.as_u64() {
            Some(u) => format::group(u),
            None => n.to_string(),
        },
        Value::String(s) => labels::code(s, lang),
        Value::Array(items) => items
            .iter()
            .map(|v| value_text(v, lang))
            .collect::<Vec<_>>()
            .join("、"),
        Value::Object(map) => match map.get("percent").and_then(Value::as_str) {
            Some(percent) => percent.to_owned(),
            None => value.to_string(),
        },
    }
}

fn is_rate(value: &Value) -> bool {
    value.get("numerator").is_some() && value.get("denominator").is_some()
}

fn flatten(pointer: &str, before: &Value, after: &Value, out: &mut Vec<(String, Value, Value)>) {
    let object = |v: &Value| v.is_object() && !is_rate(v);
    if (object(before) || object(after)) && !(before.is_null() && after.is_null()) {
        let empty = serde_json::Map::new();
        let b = before
            .as_object()
            .filter(|_| object(before))
            .unwrap_or(&empty);
        let a = after
            .as_object()
            .filter(|_| object(after))
            .unwrap_or(&empty);
        let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
        keys.sort();
        keys.dedup();
        if keys.is_empty() {
            out.push((pointer.to_owned(), before.clone(), after.clone()));
        }
        for key in keys {
            let bv = b.get(key).unwrap_or(&Value::Null);
            let av = a.get(key).unwrap_or(&Value::Null);
            if bv != av {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                flatten(&format!("{pointer}/{escaped}"), bv, av, out);
            }
        }
    } else if before != after {
        out.push((pointer.to_owned(), before.clone(), after.clone()));
    }
}

/// The leaves that differ in a diff's `changes` (`[{path, before, after}]`): an added ledger
/// period becomes one row per figure, a changed rate one row with its percent.
pub fn leaves(changes: &Value, lang: Lang) -> Vec<Leaf> {
    let mut flat = Vec::new();
    for change in changes.as_array().map(Vec::as_slice).unwrap_or_default() {
        let pointer = change["path"].as_str().unwrap_or_default();
        flatten(pointer, &change["before"], &change["after"], &mut flat);
    }
    flat.into_iter()
        .map(|(pointer, before, after)| Leaf {
            path: path_words(&pointer, lang),
            change: match (before.is_null(), after.is_null()) {
                (true, _) => Change::Added,
                (false, true) => Change::Removed,
                (false, false) => Change::Changed,
            },
            before: value_text(&before, lang),
            after: value_text(&after, lang),
            pointer,
        })
        .collect()
}

/// A report diff row's key in words (`region=520100,year=2025` → `贵阳市 · 2025`).
pub fn key_words(key: &str, lang: Lang) -> String {
    key.split(',')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let value = part.split_once('=').map_or(part, |(_, v)| v);
            segment_name(value, lang)
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A report diff row's `change` code.
pub fn row_change(code: &str) -> Change {
    match code {
        "added" => Change::Added,
        "removed" => Change::Removed,
        _ => Change::Changed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_added_ledger_period_is_shown_figure_by_figure() {
        let changes = json!([
            {"path": "/ledger/2025-Q3", "before": null,
             "after": {"figures": {"generated": 526880395, "utilized_from_new": {"cement": 17387052}}, "revision": 1}},
            {"path": "/status", "before": "approved", "after": "under_construction"},
        ]);
        let rows = leaves(&changes, Lang::Zh);
        let pointers: Vec<&str> = rows.iter().map(|r| r.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/ledger/2025-Q3/figures/generated",
                "/ledger/2025-Q3/figures/utilized_from_new/cement",
                "/ledger/2025-Q3/revision",
                "/status"
            ]
        );
        assert_eq!(rows[0].change, Change::Added);
        assert_eq!(rows[0].before, "—");
        assert_eq!(rows[0].after, "526,880,395");
        assert!(rows[0].path.starts_with("台账 › "), "{}", rows[0].path);
        assert!(rows[0].path.ends_with("数据 › 产生量"), "{}", rows[0].path);
        assert_eq!(rows[3].change, Change::Changed);
        assert_eq!(rows[3].before, "已批复");
        assert_eq!(rows[3].after, "建设中");
    }

    #[test]
    fn equal_leaves_are_left_out_and_rates_stay_whole() {
        let changes = json!([{
            "path": "/line",
            "before": {"entries": 2, "rate": {"numerator": 1, "denominator": 4, "percent": "25.00%"}},
            "after": {"entries": 2, "rate": {"numerator": 1, "denominator": 2, "percent": "50.00%"}},
        }, {"path": "/gone", "before": 5, "after": null}]);
        let rows = leaves(&changes, Lang::En);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].pointer, "/line/rate");
        assert_eq!(
            (rows[0].before.as_str(), rows[0].after.as_str()),
            ("25.00%", "50.00%")
        );
        assert_eq!(rows[1].change, Change::Removed);
        assert_eq!(rows[1].after, "—");
    }

    #[test]
    fn paths_and_keys_read_as_words() {
        assert_eq!(
            path_words("/designations/green_factory", Lang::En),
            "designations › Green factory"
                .replace("Green factory", &labels::code("green_factory", Lang::En))
        );
        assert_eq!(path_words("/a~1b", Lang::En), "a/b");
        assert_eq!(path_words("", Lang::En), "—");
        assert!(key_words("region=520100,year=2025", Lang::Zh).starts_with("贵阳市 · 2025"));
        assert_eq!(row_change("added"), Change::Added);
        assert_eq!(Change::Removed.code(), "removed");
        assert_eq!(value_text(&json!(["a", 2]), Lang::En), "a、2");
        assert_eq!(value_text(&json!(true), Lang::En), "yes");
    }
}
