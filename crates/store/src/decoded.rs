//! Decoded read-model rows, kept between reads.
//!
//! A read-model row never changes once written, except its `valid_to` (set once, when the row is
//! superseded) — its identity (model, key, `valid_from`) always names the same document. So a
//! caller that lists many rows (a report over every project, now or as of a past position) need
//! not read and parse every document on every request: [`crate::EventStore::decoded_views`] reads
//! the matching rows' heads (key, `valid_from`, version: no documents), takes the decoded
//! documents it already holds, reads only the missing documents, decodes them with the caller's
//! function and keeps them.
//!
//! Entries are keyed by the decoded type as well, so two callers may decode the same row into
//! different types. The cache is bounded ([`MAX_ENTRIES`]): when full, it is emptied and refilled
//! by the next reads. A rebuild of the read models empties it.
//!
//! Whole answers are kept too: the store's index of row versions ([`crate::heads`]) hands out
//! the same `Arc` of heads for the same question until a row of the model changes, so the
//! decoded list built from one such answer is kept beside it ([`MAX_LISTS`] at most) and given
//! again, whole, to whoever asks the same question of the same type — a report over 20,000
//! projects then starts without a look-up per project.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::error::StoreError;
use crate::types::Position;
use crate::views::ViewHead;

/// Decoded documents kept at most (all models and types together).
pub const MAX_ENTRIES: usize = 250_000;

/// Decoded lists (whole answers) kept at most, the oldest forgotten first.
pub const MAX_LISTS: usize = 16;

/// The rows of an answer with their decoded documents, shared.
pub type DecodedRows<T> = Arc<[(ViewHead, Arc<T>)]>;

/// A decoded list kept: the type, the model, the heads answer it was built from (held, so its
/// address names it while kept) and the list.
struct KeptList {
    type_id: TypeId,
    model: String,
    heads: Arc<Vec<ViewHead>>,
    rows: Arc<dyn Any + Send + Sync>,
}

type Entry = Arc<dyn Any + Send + Sync>;

/// The rows of one model decoded into one type: by `valid_from` (nearly unique within a model),
/// then key — so a lookup allocates nothing.
type Rows = HashMap<Position, Vec<(String, Entry)>>;

/// The store's cache of decoded rows.
#[derive(Default)]
pub(crate) struct DecodedCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    by_type: HashMap<(TypeId, String), Rows>,
    entries: usize,
    lists: Vec<KeptList>,
}

impl DecodedCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave a half-written entry: recover the map.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The decoded documents held for `heads` (`None` where missing).
    pub(crate) fn get<T: Any + Send + Sync>(
        &self,
        model: &str,
        heads: &[ViewHead],
    ) -> Vec<Option<Arc<T>>> {
        let inner = self.lock();
        let Some(rows) = inner.by_type.get(&(TypeId::of::<T>(), model.to_owned())) else {
            return vec![None; heads.len()];
        };
        heads
            .iter()
            .map(|head| {
                rows.get(&head.valid_from)?
                    .iter()
                    .find(|(key, _)| *key == head.key)
                    .and_then(|(_, entry)| Arc::clone(entry).downcast::<T>().ok())
            })
            .collect()
    }

    /// The list decoded before from this very answer of heads, if kept.
    pub(crate) fn list<T: Any + Send + Sync>(
        &self,
        model: &str,
        heads: &Arc<Vec<ViewHead>>,
    ) -> Option<DecodedRows<T>> {
        let inner = self.lock();
        let kept = inner.lists.iter().find(|kept| {
            kept.type_id == TypeId::of::<T>()
                && Arc::ptr_eq(&kept.heads, heads)
                && kept.model == model
        })?;
        Arc::clone(&kept.rows)
            .downcast::<DecodedRows<T>>()
            .ok()
            .map(|rows| (*rows).clone())
    }

    /// Keeps the list decoded from one answer of heads.
    pub(crate) fn keep_list<T: Any + Send + Sync>(
        &self,
        model: &str,
        heads: Arc<Vec<ViewHead>>,
        rows: DecodedRows<T>,
    ) {
        let mut inner = self.lock();
        // A list whose answer nobody else holds any more (the index dropped it when a row
        // changed) is never asked for again: those go first, then the oldest.
        inner
            .lists
            .retain(|kept| Arc::strong_count(&kept.heads) > 1);
        if inner.lists.len() >= MAX_LISTS {
            inner.lists.remove(0);
        }
        inner.lists.push(KeptList {
            type_id: TypeId::of::<T>(),
            model: model.to_owned(),
            heads,
            rows: Arc::new(rows),
        });
    }

    /// Keeps newly decoded documents.
    pub(crate) fn put<T: Any + Send + Sync>(
        &self,
        model: &str,
        decoded: impl IntoIterator<Item = (ViewHead, Arc<T>)>,
    ) {
        let mut guard = self.lock();
        let inner = &mut *guard;
        let slot = (TypeId::of::<T>(), model.to_owned());
        for (head, value) in decoded {
            if inner.entries >= MAX_ENTRIES {
                inner.by_type.clear();
                inner.entries = 0;
            }
            let same = inner
                .by_type
                .entry(slot.clone())
                .or_default()
                .entry(head.valid_from)
                .or_default();
            // Two readers may both have decoded a row: keep one.
            if !same.iter().any(|(key, _)| *key == head.key) {
                same.push((head.key, value));
                inner.entries += 1;
            }
        }
    }

    /// Forgets everything (after a rebuild).
    pub(crate) fn clear(&self) {
        let mut inner = self.lock();
        inner.by_type.clear();
        inner.entries = 0;
        inner.lists.clear();
    }
}

/// Why [`crate::EventStore::decoded_views`] failed: the store, or the caller's decoder on one row.
#[derive(Debug, thiserror::Error)]
pub enum DecodedViewsError<E> {
    /// Reading the rows failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The caller's decoder refused a row's document.
    #[error("read-model row {model}/{key} (valid from {valid_from}) does not decode: {error}")]
    Decode {
        /// The row's model.
        model: String,
        /// The row's key.
        key: String,
        /// The row's `valid_from`.
        valid_from: Position,
        /// The decoder's error.
        error: E,
    },
}
