//! Read models: versioned rows ("inline projections") that the caller computes from its events and
//! the store writes in the same transaction as those events, and queries as of any position.
//!
//! A row of `(model, key)` is current for the global positions `valid_from <= p < valid_to`
//! (`valid_to` `None`: still current). A [`ViewChange`] attached to an append takes effect at the
//! position of the event it follows ([`ViewUpdate::after`]): it closes the current row of its
//! `(model, key)` there and, for an upsert, opens the new one. See `docs/read-models.md`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::canonical::canonical_json;
use crate::engine::{Bind, EnginePool, HeadRow, StorageEngine, to_i64, to_u64};
use crate::error::{InvalidInput, StoreError};
use crate::store::MAX_PAYLOAD;
use crate::types::Position;

/// Most rows one [`ViewQuery`] returns; larger limits are capped to this.
pub const MAX_VIEW_PAGE: u32 = 500;

/// Longest accepted model name, in bytes.
const MAX_MODEL: usize = 100;
/// Longest accepted key, filter value, tag, sort name or search text, in bytes.
const MAX_TEXT: usize = 1_000;
/// Longest accepted `search` text, in bytes.
const MAX_SEARCH: usize = 10_000;

/// One row of a read model, as the caller computes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewRow {
    /// The read model, e.g. `enterprise`, `project`, `ledger` (1 to 100 bytes).
    pub model: String,
    /// The row's key within the model, e.g. the stream name or `enterprise-<uuid>/2026-Q1`.
    pub key: String,
    /// The stream version the row reflects.
    pub version: u64,
    /// Administrative division code (GB/T 2260); `""` when the model has none. Filtered by prefix.
    pub region: String,
    /// Kind (of enterprise, project, base…); `""` when none.
    pub kind: String,
    /// Lifecycle status; `""` when none.
    pub status: String,
    /// The plan task the row belongs to, if any.
    pub task: Option<String>,
    /// Tokens (e.g. utilisation routes): each non-empty and without whitespace.
    pub tags: Vec<String>,
    /// Free text to search (name, USCC…); stored lower-cased.
    pub search: String,
    /// What lists sort by when sorting by name.
    pub sort_name: String,
    /// The row's document: what a detail view shows. Stored as canonical JSON, so like event
    /// payloads it holds integers only (amounts in kg and fen, rates in basis points).
    pub doc: serde_json::Value,
}

/// A change to a read model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[expect(
    clippy::large_enum_variant,
    reason = "nearly every change is an upsert: a box would only add an allocation"
)]
pub enum ViewChange {
    /// Supersede the current row of `(row.model, row.key)`, if any, with `row`.
    Upsert(ViewRow),
    /// Close the current row of `(model, key)`, if any, without a successor.
    Remove { model: String, key: String },
}

impl ViewChange {
    /// The model and key the change is about.
    pub fn target(&self) -> (&str, &str) {
        match self {
            Self::Upsert(row) => (&row.model, &row.key),
            Self::Remove { model, key } => (model, key),
        }
    }
}

/// A change carried by an append: it takes effect at the position of `events[after]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewUpdate {
    /// Index into the append's events.
    pub after: usize,
    pub change: ViewChange,
}

impl ViewUpdate {
    pub fn new(after: usize, change: ViewChange) -> Self {
        Self { after, change }
    }
}

/// A stored row with the positions between which it was current.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedView {
    #[serde(flatten)]
    pub row: ViewRow,
    /// Position of the event that made the row current.
    pub valid_from: Position,
    /// Position of the event that superseded it (exclusive); `None`: current.
    pub valid_to: Option<Position>,
}

/// What a list is sorted by; ties are broken by key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewSort {
    #[default]
    SortName,
    Key,
    /// By `valid_from`: when the row last changed.
    ValidFrom,
}

/// Ascending or descending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    #[default]
    Ascending,
    Descending,
}

/// A list of rows of one model, as of a position, filtered, sorted and paged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewQuery {
    pub model: String,
    /// As of this position (`None`: now).
    pub at: Option<Position>,
    /// Rows whose region starts with this text.
    pub region_prefix: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub task: Option<String>,
    /// Rows carrying this token among their tags.
    pub tag: Option<String>,
    /// Rows whose search text contains this (case-insensitive; `%` and `_` match themselves).
    pub text: Option<String>,
    pub sort: ViewSort,
    pub order: SortOrder,
    /// At most this many rows (capped to [`MAX_VIEW_PAGE`]).
    pub limit: u32,
    pub offset: u64,
}

impl ViewQuery {
    /// The current rows of `model`, by sort name, the first [`MAX_VIEW_PAGE`].
    pub fn new(model: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            at: None,
            region_prefix: None,
            kind: None,
            status: None,
            task: None,
            tag: None,
            text: None,
            sort: ViewSort::SortName,
            order: SortOrder::Ascending,
            limit: MAX_VIEW_PAGE,
            offset: 0,
        }
    }

    /// The rows as of a position.
    pub fn at(mut self, position: Position) -> Self {
        self.at = Some(position);
        self
    }

    pub fn sorted(mut self, sort: ViewSort, order: SortOrder) -> Self {
        self.sort = sort;
        self.order = order;
        self
    }

    pub fn page(mut self, limit: u32, offset: u64) -> Self {
        self.limit = limit;
        self.offset = offset;
        self
    }
}

/// A page of a list and how many rows match in all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewPage {
    pub rows: Vec<RecordedView>,
    pub total: u64,
}

/// What [`crate::EventStore::rebuild_views`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RebuildReport {
    /// Events read and passed to the projector.
    pub events: u64,
    /// Rows written (current and superseded).
    pub rows: u64,
    /// Rows deleted before.
    pub deleted: u64,
    /// The head the rebuild covered (the last position read).
    pub head: Position,
}

/// Why a rebuild failed; nothing was changed.
#[derive(Debug, Error)]
pub enum RebuildError<E> {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the projector failed at position {position}: {error}")]
    Projector { position: Position, error: E },
}

// ----- rows as stored ----------------------------------------------------------------------------

/// A read-model row as the engines store it: tags joined by spaces, the document as JSON text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredView {
    pub model: String,
    pub key: String,
    pub version: u64,
    pub valid_from: Position,
    pub valid_to: Option<Position>,
    pub region: String,
    pub kind: String,
    pub status: String,
    pub task: Option<String>,
    pub tags: String,
    pub search: String,
    pub sort_name: String,
    pub doc: String,
}

/// Closes the current row of `(model, key)` at `at` (sets its `valid_to`), if there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewClose {
    pub model: String,
    pub key: String,
    pub at: Position,
}

/// The read-model writes of one transaction: first close rows current before it, then insert.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewWrites {
    /// At most one per `(model, key)`, each at that key's first change in the transaction.
    pub close: Vec<ViewClose>,
    /// New rows; those superseded within the same transaction carry their `valid_to` already.
    pub insert: Vec<StoredView>,
}

impl ViewWrites {
    pub fn is_empty(&self) -> bool {
        self.close.is_empty() && self.insert.is_empty()
    }
}

/// The columns of `read_models` in the order the engines read and write them.
pub(crate) const VIEW_COLUMNS: &str = "model, key, version, valid_from, valid_to, region, kind, \
    status, task, tags, search, sort_name, doc";

/// A validated change, in stored form (`valid_from`/`valid_to` still unset).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PreparedChange {
    Upsert(Box<StoredView>),
    Remove { model: String, key: String },
}

impl PreparedChange {
    fn target(&self) -> (&str, &str) {
        match self {
            Self::Upsert(row) => (&row.model, &row.key),
            Self::Remove { model, key } => (model, key),
        }
    }
}

fn check_text(field: &'static str, value: &str, max: usize) -> Result<(), InvalidInput> {
    if value.len() > max {
        return Err(InvalidInput::ViewField { field });
    }
    Ok(())
}

fn check_target(model: &str, key: &str) -> Result<(), InvalidInput> {
    if model.trim().is_empty() {
        return Err(InvalidInput::ViewField { field: "model" });
    }
    if key.is_empty() {
        return Err(InvalidInput::ViewField { field: "key" });
    }
    check_text("model", model, MAX_MODEL)?;
    check_text("key", key, MAX_TEXT)
}

fn check_tag(tag: &str) -> Result<(), InvalidInput> {
    if tag.is_empty() || tag.len() > MAX_TEXT || tag.chars().any(char::is_whitespace) {
        return Err(InvalidInput::ViewTag(tag.to_owned()));
    }
    Ok(())
}

/// Validates a change and brings it into stored form.
pub(crate) fn prepare_change(change: ViewChange) -> Result<PreparedChange, InvalidInput> {
    match change {
        ViewChange::Remove { model, key } => {
            check_target(&model, &key)?;
            Ok(PreparedChange::Remove { model, key })
        }
        ViewChange::Upsert(row) => {
            check_target(&row.model, &row.key)?;
            for (field, value) in [
                ("region", &row.region),
                ("kind", &row.kind),
                ("status", &row.status),
                ("sort_name", &row.sort_name),
            ] {
                check_text(field, value, MAX_TEXT)?;
            }
            if let Some(task) = &row.task {
                check_text("task", task, MAX_TEXT)?;
            }
            check_text("search", &row.search, MAX_SEARCH)?;
            for tag in &row.tags {
                check_tag(tag)?;
            }
            // Canonical (keys sorted, integers only): the same document is the same bytes, on
            // every path and whatever serde_json's features.
            let doc = canonical_json(&row.doc)?;
            if doc.len() > MAX_PAYLOAD {
                return Err(InvalidInput::ViewField { field: "doc" });
            }
            Ok(PreparedChange::Upsert(Box::new(StoredView {
                model: row.model,
                key: row.key,
                version: row.version,
                valid_from: 0,
                valid_to: None,
                region: row.region,
                kind: row.kind,
                status: row.status,
                task: row.task,
                tags: row.tags.join(" "),
                search: row.search.to_lowercase(),
                sort_name: row.sort_name,
                doc,
            })))
        }
    }
}

/// Turns changes, each at its position (in position order; within one position in the order
/// given), into the writes of one transaction. Within one position the last change of a
/// `(model, key)` wins: no row is ever current for an empty range.
pub(crate) fn plan<'a>(
    changes: impl IntoIterator<Item = (Position, &'a PreparedChange)>,
) -> ViewWrites {
    struct Open {
        last: Position,
        /// Index into `rows` of the row this transaction opened and that is still current.
        row: Option<usize>,
    }
    let mut close = Vec::new();
    let mut rows: Vec<Option<StoredView>> = Vec::new();
    let mut open: HashMap<(&str, &str), Open> = HashMap::new();
    for (position, change) in changes {
        let target = change.target();
        match open.get_mut(&target) {
            None => {
                close.push(ViewClose {
                    model: target.0.to_owned(),
                    key: target.1.to_owned(),
                    at: position,
                });
            }
            Some(state) => {
                if let Some(i) = state.row {
                    if state.last == position {
                        // Superseded at the very position it was opened: it never was current.
                        rows[i] = None;
                    } else if let Some(row) = rows[i].as_mut() {
                        row.valid_to = Some(position);
                    }
                }
            }
        }
        let row = match change {
            PreparedChange::Upsert(row) => {
                rows.push(Some(StoredView {
                    valid_from: position,
                    valid_to: None,
                    ..(**row).clone()
                }));
                Some(rows.len() - 1)
            }
            PreparedChange::Remove { .. } => None,
        };
        open.insert(
            target,
            Open {
                last: position,
                row,
            },
        );
    }
    ViewWrites {
        close,
        insert: rows.into_iter().flatten().collect(),
    }
}

/// Decodes a stored row.
pub(crate) fn decode(view: StoredView) -> Result<RecordedView, StoreError> {
    let doc = serde_json::from_str(&view.doc).map_err(|e| StoreError::Corrupt {
        position: view.valid_from,
        detail: format!("read model {} {:?}: doc: {e}", view.model, view.key),
    })?;
    Ok(RecordedView {
        row: ViewRow {
            model: view.model,
            key: view.key,
            version: view.version,
            region: view.region,
            kind: view.kind,
            status: view.status,
            task: view.task,
            tags: view
                .tags
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            search: view.search,
            sort_name: view.sort_name,
            doc,
        },
        valid_from: view.valid_from,
        valid_to: view.valid_to,
    })
}

/// The least string greater than every string that starts with `prefix` (in code point order,
/// which is UTF-8 byte order); `None` when there is none (every string qualifies).
fn prefix_successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match u32::from(last) + 1 {
            0xD800 => Some('\u{E000}'),
            n => char::from_u32(n),
        };
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// Escapes `\`, `%` and `_` for `LIKE … ESCAPE '\'`.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A row's identity and version without its document: what [`crate::EventStore::view_heads`]
/// lists, so that a caller keeping decoded documents (rows never change but for `valid_to`) reads
/// only the documents it has not seen ([`crate::EventStore::view_docs`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ViewHead {
    /// The row's key in its model.
    pub key: String,
    /// Global position of the event that made the row current: with the model and the key, the
    /// row's identity.
    pub valid_from: Position,
    /// The stream version the row reflects.
    pub version: u64,
}

/// One version of a row: its identity, version and the positions it was current for
/// (`valid_from <= p < valid_to`): what [`crate::EventStore::view_history`] lists.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ViewSpan {
    /// The row's key in its model.
    pub key: String,
    /// Global position of the event that made this version current.
    pub valid_from: Position,
    /// Position of the event that superseded or removed it (`None`: current).
    pub valid_to: Option<Position>,
    /// The stream version the row reflects.
    pub version: u64,
}

/// A row's document as stored (canonical JSON text), by its identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewDoc {
    /// The row's key.
    pub key: String,
    /// The row's `valid_from`.
    pub valid_from: Position,
    /// The document, canonical JSON text.
    pub doc: String,
}

/// Rows asked for in one [`docs_sql`] statement.
pub(crate) const DOCS_PER_STATEMENT: usize = 400;

/// The documents of `n` rows of one model by (key, valid_from): parameter 1 is the model, then
/// the pairs.
pub(crate) fn docs_sql(n: usize, placeholder: fn(usize) -> String, int_cast: &str) -> String {
    let pairs: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "({}, {}{int_cast})",
                placeholder(2 + 2 * i),
                placeholder(3 + 2 * i)
            )
        })
        .collect();
    format!(
        "SELECT key, valid_from, doc FROM read_models WHERE model = {} \
         AND (key, valid_from) IN (VALUES {})",
        placeholder(1),
        pairs.join(", ")
    )
}

/// The heads of every row matching `query` (filters and `at`; its sort, limit and offset are
/// ignored: all rows, by key).
pub(crate) async fn heads(
    engine: &dyn StorageEngine,
    query: &ViewQuery,
) -> Result<Vec<ViewHead>, StoreError> {
    let sqlite = matches!(engine.pool(), EnginePool::Sqlite(_));
    let list = if sqlite {
        list_sql(query, |_| "?".to_owned(), "instr")?
    } else {
        list_sql(query, |n| format!("${n}"), "strpos")?
    };
    // SQLite's planner prefers the unique (model, key) index for current rows, which does not
    // cover the heads: name the covering one.
    let index = if sqlite && query.at.is_none() {
        " INDEXED BY read_models_current_heads"
    } else {
        ""
    };
    let statement = format!(
        "SELECT key, valid_from, version FROM read_models{index} WHERE {} ORDER BY key",
        list.filter
    );
    let rows = match engine.read_heads(&statement, &list.binds) {
        Some(read) => read.await?,
        None => {
            engine
                .pool()
                .fetch_all_as::<HeadRow>(&statement, list.binds)
                .await?
        }
    };
    rows.into_iter()
        .map(|(key, valid_from, version)| {
            let valid_from = to_u64(valid_from, 0, "valid_from")?;
            Ok(ViewHead {
                key,
                valid_from,
                version: to_u64(version, valid_from, "view version")?,
            })
        })
        .collect()
}

/// The documents of the rows of `model` named by (key, valid_from); rows that do not exist are
/// left out.
pub(crate) async fn docs(
    pool: EnginePool<'_>,
    model: &str,
    wanted: &[(&str, Position)],
) -> Result<Vec<ViewDoc>, StoreError> {
    let mut out = Vec::with_capacity(wanted.len());
    for chunk in wanted.chunks(DOCS_PER_STATEMENT) {
        macro_rules! run {
            ($pool:expr, $placeholder:expr, $cast:expr) => {{
                let sql = docs_sql(chunk.len(), $placeholder, $cast);
                let mut q = sqlx::query_as::<_, (String, i64, String)>(&sql).bind(model);
                for (key, valid_from) in chunk {
                    q = q.bind(*key).bind(to_i64(*valid_from));
                }
                q.fetch_all($pool).await?
            }};
        }
        let rows = match pool {
            EnginePool::Sqlite(pool) => run!(pool, |_| "?".to_owned(), ""),
            EnginePool::Postgres(pool) => run!(pool, |n| format!("${n}"), "::bigint"),
        };
        for (key, valid_from, doc) in rows {
            out.push(ViewDoc {
                key,
                valid_from: to_u64(valid_from, 0, "valid_from")?,
                doc,
            });
        }
    }
    Ok(out)
}

/// Every row, in a stable order.
pub(crate) const ALL_VIEWS_SQL: &str = "SELECT model, key, version, valid_from, valid_to, region, \
    kind, status, task, tags, search, sort_name, doc FROM read_models \
    ORDER BY model, key, valid_from";

/// A row of `read_models` as both engines read it (by column name).
#[derive(sqlx::FromRow)]
pub(crate) struct ViewColumns {
    model: String,
    key: String,
    version: i64,
    valid_from: i64,
    valid_to: Option<i64>,
    region: String,
    kind: String,
    status: String,
    task: Option<String>,
    tags: String,
    search: String,
    sort_name: String,
    doc: String,
}

impl ViewColumns {
    pub(crate) fn stored(self) -> Result<StoredView, StoreError> {
        let valid_from = to_u64(self.valid_from, 0, "valid_from")?;
        Ok(StoredView {
            model: self.model,
            key: self.key,
            version: to_u64(self.version, valid_from, "view version")?,
            valid_from,
            valid_to: self
                .valid_to
                .map(|v| to_u64(v, valid_from, "valid_to"))
                .transpose()?,
            region: self.region,
            kind: self.kind,
            status: self.status,
            task: self.task,
            tags: self.tags,
            search: self.search,
            sort_name: self.sort_name,
            doc: self.doc,
        })
    }
}

/// Rows as read, in stored form.
pub(crate) fn stored_all(rows: Vec<ViewColumns>) -> Result<Vec<StoredView>, StoreError> {
    rows.into_iter().map(ViewColumns::stored).collect()
}

/// The two statements of a list: its page (`binds`, then `limit` and `offset`) and its count
/// (`binds` only).
pub(crate) struct ListSql {
    pub page: String,
    pub count: String,
    /// The statements' condition (what follows `WHERE`).
    pub filter: String,
    pub binds: Vec<Bind>,
    pub limit: i64,
    pub offset: i64,
}

/// The statements of a list. `placeholder(n)` writes the n-th parameter; `strpos` is the
/// dialect's "position of a substring" function (`instr` or `strpos`).
pub(crate) fn list_sql(
    query: &ViewQuery,
    placeholder: fn(usize) -> String,
    strpos: &str,
) -> Result<ListSql, InvalidInput> {
    check_target(&query.model, "-")?;
    let mut sql = String::new();
    let mut binds: Vec<Bind> = Vec::new();
    let param = |binds: &mut Vec<Bind>, bind: Bind| {
        binds.push(bind);
        placeholder(binds.len())
    };
    let p = param(&mut binds, Bind::Text(query.model.clone()));
    sql.push_str(&format!("model = {p}"));
    match query.at {
        None => sql.push_str(" AND valid_to IS NULL"),
        Some(at) => {
            let from = param(&mut binds, Bind::Int(to_i64(at)));
            let to = param(&mut binds, Bind::Int(to_i64(at)));
            sql.push_str(&format!(
                " AND valid_from <= {from} AND (valid_to IS NULL OR valid_to > {to})"
            ));
        }
    }
    if let Some(prefix) = &query.region_prefix {
        // A range in byte order (both engines compare these columns bytewise), so an index serves
        // it: exactly the strings that start with the prefix.
        check_text("region", prefix, MAX_TEXT)?;
        let low = param(&mut binds, Bind::Text(prefix.clone()));
        sql.push_str(&format!(" AND region >= {low}"));
        if let Some(successor) = prefix_successor(prefix) {
            let high = param(&mut binds, Bind::Text(successor));
            sql.push_str(&format!(" AND region < {high}"));
        }
    }
    for (column, value) in [
        ("kind", &query.kind),
        ("status", &query.status),
        ("task", &query.task),
    ] {
        if let Some(value) = value {
            check_text(column, value, MAX_TEXT)?;
            let p = param(&mut binds, Bind::Text(value.clone()));
            sql.push_str(&format!(" AND {column} = {p}"));
        }
    }
    if let Some(tag) = &query.tag {
        check_tag(tag)?;
        let p = param(&mut binds, Bind::Text(format!(" {tag} ")));
        sql.push_str(&format!(" AND {strpos}(' ' || tags || ' ', {p}) > 0"));
    }
    if let Some(text) = &query.text {
        check_text("text", text, MAX_TEXT)?;
        let pattern = format!("%{}%", like_escape(&text.to_lowercase()));
        let p = param(&mut binds, Bind::Text(pattern));
        sql.push_str(&format!(" AND search LIKE {p} ESCAPE '\\'"));
    }
    let dir = match query.order {
        SortOrder::Ascending => "ASC",
        SortOrder::Descending => "DESC",
    };
    let order = match query.sort {
        ViewSort::SortName => format!("sort_name {dir}, key {dir}"),
        ViewSort::Key => format!("key {dir}"),
        ViewSort::ValidFrom => format!("valid_from {dir}, key {dir}"),
    };
    let n = binds.len();
    Ok(ListSql {
        page: format!(
            "SELECT {VIEW_COLUMNS} FROM read_models WHERE {sql} ORDER BY {order} LIMIT {} OFFSET {}",
            placeholder(n + 1),
            placeholder(n + 2)
        ),
        count: format!("SELECT count(*) FROM read_models WHERE {sql}"),
        filter: sql,
        binds,
        limit: i64::from(query.limit.min(MAX_VIEW_PAGE)),
        offset: to_i64(query.offset),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, n: u64) -> ViewRow {
        ViewRow {
            model: "m".into(),
            key: key.into(),
            version: n,
            region: String::new(),
            kind: String::new(),
            status: String::new(),
            task: None,
            tags: vec![],
            search: "Name".into(),
            sort_name: String::new(),
            doc: serde_json::json!({ "n": n }),
        }
    }

    fn upsert(key: &str, n: u64) -> PreparedChange {
        prepare_change(ViewChange::Upsert(row(key, n))).expect("valid")
    }

    fn remove(key: &str) -> PreparedChange {
        prepare_change(ViewChange::Remove {
            model: "m".into(),
            key: key.into(),
        })
        .expect("valid")
    }

    #[test]
    fn plan_chains_rows_and_collapses_one_position() {
        let changes = [
            (5, upsert("a", 1)),
            (6, upsert("a", 2)),
            (6, upsert("b", 1)),
            (6, remove("b")),
            (7, upsert("a", 3)),
            (7, remove("a")),
            (8, upsert("a", 4)),
        ];
        let writes = plan(changes.iter().map(|(p, c)| (*p, c)));
        assert_eq!(
            writes
                .close
                .iter()
                .map(|c| (c.key.as_str(), c.at))
                .collect::<Vec<_>>(),
            vec![("a", 5), ("b", 6)]
        );
        assert_eq!(
            writes
                .insert
                .iter()
                .map(|r| (r.key.as_str(), r.version, r.valid_from, r.valid_to))
                .collect::<Vec<_>>(),
            vec![
                ("a", 1, 5, Some(6)),
                ("a", 2, 6, Some(7)),
                ("a", 4, 8, None)
            ]
        );
        assert_eq!(writes.insert[0].search, "name");
    }

    #[test]
    fn prefix_successors_bound_exactly_the_prefixed_strings() {
        assert_eq!(prefix_successor("5201").as_deref(), Some("5202"));
        assert_eq!(prefix_successor("52\u{10FFFF}").as_deref(), Some("53"));
        assert_eq!(prefix_successor("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(prefix_successor("\u{10FFFF}"), None);
        assert_eq!(prefix_successor(""), None);
        for s in ["5201", "52019", "5201\u{10FFFF}", "5201赤"] {
            assert!(("5201".."5202").contains(&s), "{s}");
        }
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_escape(r"50%_a\b"), r"50\%\_a\\b");
    }

    #[test]
    fn bad_rows_are_refused() {
        let bad_tag = ViewChange::Upsert(ViewRow {
            tags: vec!["two words".into()],
            ..row("a", 1)
        });
        assert_eq!(
            prepare_change(bad_tag),
            Err(InvalidInput::ViewTag("two words".into()))
        );
        assert_eq!(
            prepare_change(ViewChange::Remove {
                model: String::new(),
                key: "k".into()
            }),
            Err(InvalidInput::ViewField { field: "model" })
        );
    }
}
