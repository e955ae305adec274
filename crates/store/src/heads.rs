//! An in-memory index of every read-model row version's head, per model.
//!
//! Listing the rows of a model valid at a past position `p` in SQL means scanning every row
//! version written before `p` (`valid_from <= p`, then `valid_to > p` filtered one by one): on a
//! province's history, hundreds of thousands of index entries per request. This index keeps, per
//! model and key, every version's `(valid_from, valid_to, version, region)` in `valid_from` order,
//! so the rows valid at any position are found by one binary search per key.
//!
//! It stays exact when other processes write: before each use, one statement (one snapshot, on
//! both engines) reads the chain head and every row change since the position the index was last
//! synchronised to — rows with `valid_from` after it (new versions) and rows with `valid_to` after
//! it (versions closed since) — through the `(model, valid_from)` and `(model, valid_to)` indexes,
//! and the index is then exact up to that head. A model is loaded on its first use (one scan of
//! the covering index `read_models_heads_as_of`). A rebuild of the read models in this process
//! empties it; a rebuild elsewhere writes the same rows (as for [`crate::decoded`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use crate::engine::{Bind, EnginePool, StorageEngine, to_i64, to_u64};
use crate::error::StoreError;
use crate::types::Position;
use crate::views::{ViewHead, ViewQuery, ViewSpan};

/// One version of a row: `valid_from <= p < valid_to` (`u64::MAX`: still current).
#[derive(Debug, Clone, Copy)]
struct Version {
    valid_from: Position,
    valid_to: Position,
    version: u64,
    /// Index into [`ModelIndex::regions`].
    region: u32,
}

/// The versions of one model's rows, as of `synced`.
#[derive(Default)]
struct ModelIndex {
    /// The head the index is exact up to (`None`: not loaded yet).
    synced: Option<Position>,
    /// Versions by key, each list in `valid_from` order.
    keys: BTreeMap<String, Vec<Version>>,
    /// Distinct region texts (few: administrative codes).
    regions: Vec<String>,
    region_ids: HashMap<String, u32>,
    /// The last few answers, by (position, region prefix): valid until a row changes.
    answers: Vec<Answer>,
}

/// An answer kept: (position asked, region prefix) and the heads.
type Answer = ((Option<Position>, Option<String>), Arc<Vec<ViewHead>>);

/// Answers kept per model.
const ANSWERS: usize = 8;

/// A row change as read: key, `valid_from`, `valid_to`, version, region.
type ChangeRow = crate::engine::VersionRow;

impl ModelIndex {
    fn region_id(&mut self, region: String) -> u32 {
        if let Some(id) = self.region_ids.get(&region) {
            return *id;
        }
        let id = u32::try_from(self.regions.len()).unwrap_or(u32::MAX);
        self.regions.push(region.clone());
        self.region_ids.insert(region, id);
        id
    }

    /// The heads valid at `at` within `prefix`, from the answers kept or computed (and kept).
    /// The same answer is the same `Arc` until a row changes, so callers may key what they
    /// derive from it by its address ([`crate::decoded`] does).
    fn answer(&mut self, at: Option<Position>, prefix: Option<&str>) -> Arc<Vec<ViewHead>> {
        if let Some((_, heads)) = self
            .answers
            .iter()
            .find(|((a, p), _)| *a == at && p.as_deref() == prefix)
        {
            return Arc::clone(heads);
        }
        let heads = Arc::new(self.heads(at, prefix));
        if self.answers.len() >= ANSWERS {
            self.answers.remove(0);
        }
        self.answers
            .push(((at, prefix.map(str::to_owned)), Arc::clone(&heads)));
        heads
    }

    /// Applies one row as read (new, or with its `valid_to` set since).
    fn apply(&mut self, key: String, version: Version) {
        self.answers.clear();
        let versions = self.keys.entry(key).or_default();
        match versions.binary_search_by_key(&version.valid_from, |v| v.valid_from) {
            Ok(i) => versions[i] = version,
            Err(i) => versions.insert(i, version),
        }
    }

    /// The heads of the rows valid at `at` (`None`: current) whose region starts with `prefix`.
    fn heads(&self, at: Option<Position>, prefix: Option<&str>) -> Vec<ViewHead> {
        let regions: Vec<bool> = self
            .regions
            .iter()
            .map(|r| prefix.is_none_or(|p| r.starts_with(p)))
            .collect();
        let mut out = Vec::new();
        for (key, versions) in &self.keys {
            let found = match at {
                None => versions.last().filter(|v| v.valid_to == u64::MAX),
                Some(at) => {
                    let after = versions.partition_point(|v| v.valid_from <= at);
                    after
                        .checked_sub(1)
                        .and_then(|i| versions.get(i))
                        .filter(|v| v.valid_to > at)
                }
            };
            if let Some(v) = found
                && regions.get(v.region as usize).copied().unwrap_or(false)
            {
                out.push(ViewHead {
                    key: key.clone(),
                    valid_from: v.valid_from,
                    version: v.version,
                });
            }
        }
        out
    }
}

/// The store's index of row heads, per model.
#[derive(Default)]
pub(crate) struct HeadsIndex {
    models: Mutex<HashMap<String, Arc<tokio::sync::Mutex<ModelIndex>>>>,
}

impl HeadsIndex {
    fn model(&self, model: &str) -> Arc<tokio::sync::Mutex<ModelIndex>> {
        let mut models = self
            .models
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(models.entry(model.to_owned()).or_default())
    }

    /// Whether the index answers `query`: only its model, position and region prefix filter.
    pub(crate) fn serves(query: &ViewQuery) -> bool {
        query.kind.is_none()
            && query.status.is_none()
            && query.task.is_none()
            && query.tag.is_none()
            && query.text.is_none()
    }

    /// The heads of the rows matching `query` (see [`HeadsIndex::serves`]), by key (byte order),
    /// after synchronising with the database.
    pub(crate) async fn heads(
        &self,
        engine: &dyn StorageEngine,
        query: &ViewQuery,
    ) -> Result<Arc<Vec<ViewHead>>, StoreError> {
        // The same refusals as the statement it stands for.
        crate::views::list_sql(query, |_| String::new(), "instr")?;
        let model = self.model(&query.model);
        let mut index = model.lock().await;
        sync(engine, &query.model, &mut index).await?;
        Ok(index.answer(query.at, query.region_prefix.as_deref()))
    }

    /// Every version of the rows of `model` named by `keys`, by key then `valid_from`, after
    /// synchronising with the database.
    pub(crate) async fn history(
        &self,
        engine: &dyn StorageEngine,
        model: &str,
        keys: &[&str],
    ) -> Result<Vec<ViewSpan>, StoreError> {
        crate::views::list_sql(&ViewQuery::new(model), |_| String::new(), "instr")?;
        let index = self.model(model);
        let mut index = index.lock().await;
        sync(engine, model, &mut index).await?;
        let mut keys = keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        let mut out = Vec::new();
        for key in keys {
            let Some((key, versions)) = index.keys.get_key_value(key) else {
                continue;
            };
            out.extend(versions.iter().map(|v| ViewSpan {
                key: key.clone(),
                valid_from: v.valid_from,
                valid_to: (v.valid_to != u64::MAX).then_some(v.valid_to),
                version: v.version,
            }));
        }
        Ok(out)
    }

    /// Forgets every model (after a rebuild).
    pub(crate) fn clear(&self) {
        self.models
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }
}

/// The chain head, then every row of `model` that changed after `since`: new (`valid_from >
/// since`) or closed since (`valid_from <= since < valid_to`). One statement: one snapshot.
/// On SQLite the planner would answer "closed since" from the `(model, valid_from, …)` index
/// (every older version): the statement names the `(model, valid_to)` index.
fn sync_sql(placeholder: fn(usize) -> String, first_load: bool, sqlite: bool) -> String {
    let (p1, p2, p3, p4, p5) = (
        placeholder(1),
        placeholder(2),
        placeholder(3),
        placeholder(4),
        placeholder(5),
    );
    let head = "SELECT CAST(NULL AS TEXT), position, CAST(NULL AS BIGINT), CAST(0 AS BIGINT), \
                CAST(NULL AS TEXT) FROM head WHERE id = 1";
    let new = format!(
        "SELECT key, valid_from, valid_to, version, region FROM read_models \
         WHERE model = {p1} AND valid_from > {p2}"
    );
    if first_load {
        return format!("{head} UNION ALL {new}");
    }
    let by_valid_to = if sqlite {
        " INDEXED BY read_models_valid_to"
    } else {
        ""
    };
    format!(
        "{head} UNION ALL {new} UNION ALL SELECT key, valid_from, valid_to, version, region \
         FROM read_models{by_valid_to} WHERE model = {p3} AND valid_to > {p4} \
         AND valid_from <= {p5}"
    )
}

async fn sync(
    engine: &dyn StorageEngine,
    model: &str,
    index: &mut ModelIndex,
) -> Result<(), StoreError> {
    let since = index.synced.unwrap_or(0);
    let first_load = index.synced.is_none();
    let sqlite = matches!(engine.pool(), EnginePool::Sqlite(_));
    let sql = if sqlite {
        sync_sql(|_| "?".to_owned(), first_load, true)
    } else {
        sync_sql(|n| format!("${n}"), first_load, false)
    };
    let mut binds = vec![Bind::Text(model.to_owned()), Bind::Int(to_i64(since))];
    if !first_load {
        binds.extend([
            Bind::Text(model.to_owned()),
            Bind::Int(to_i64(since)),
            Bind::Int(to_i64(since)),
        ]);
    }
    // Many rows on a first load (775,712 project versions in a province): on SQLite, rusqlite on
    // a blocking thread reads them some ten times faster than sqlx's row-by-row hand-off.
    let rows = match engine.read_versions(&sql, &binds) {
        Some(read) => read.await?,
        None => engine.pool().fetch_all_as::<ChangeRow>(&sql, binds).await?,
    };
    let mut head = None;
    let mut loaded: Vec<(String, Version)> =
        Vec::with_capacity(if first_load { rows.len() } else { 0 });
    for (key, valid_from, valid_to, version, region) in rows {
        let Some(key) = key else {
            head = Some(to_u64(valid_from, 0, "head position")?);
            continue;
        };
        let valid_from = to_u64(valid_from, 0, "valid_from")?;
        let valid_to = match valid_to {
            Some(to) => to_u64(to, valid_from, "valid_to")?,
            None => u64::MAX,
        };
        let region = index.region_id(region.unwrap_or_default());
        let version = Version {
            valid_from,
            valid_to,
            version: to_u64(version, valid_from, "view version")?,
            region,
        };
        if first_load {
            loaded.push((key, version));
        } else {
            index.apply(key, version);
        }
    }
    if first_load {
        // Sorted once, then built in one pass: an insert per version into the map of keys
        // compared key strings some twenty times each (a fifth of a first report's time).
        loaded.sort_unstable_by(|(a, x), (b, y)| a.cmp(b).then(x.valid_from.cmp(&y.valid_from)));
        let mut keys: Vec<(String, Vec<Version>)> = Vec::new();
        for (key, version) in loaded {
            match keys.last_mut() {
                Some((last, versions)) if *last == key => versions.push(version),
                _ => keys.push((key, vec![version])),
            }
        }
        index.keys = keys.into_iter().collect();
        index.answers.clear();
    }
    // Before migration there is no head row: nothing is known yet.
    index.synced = Some(head.unwrap_or(0));
    Ok(())
}
