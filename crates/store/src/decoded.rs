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
//! Whole answers are kept too, one per question (model, type, position, region prefix): the
//! store's index of row versions ([`crate::heads`]) hands out the same `Arc` of heads for the
//! same question until a row of the model changes, and the decoded list built from that answer
//! is given again, whole, while the answer stands — a report over 20,000 projects then starts
//! without a look-up per project. When a row changes, the next list for the question is merged
//! from the one before (both in key order): every row whose version did not change keeps its
//! document without a look-up, and only the changed rows are looked up or decoded.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::error::StoreError;
use crate::types::Position;
use crate::views::ViewHead;

/// Decoded documents kept at most (all models and types together).
pub const MAX_ENTRIES: usize = 250_000;

/// Decoded lists (whole answers) kept at most, the least recently asked forgotten first.
pub const MAX_LISTS: usize = 16;

/// The rows of an answer with their decoded documents, shared.
pub type DecodedRows<T> = Arc<[(ViewHead, Arc<T>)]>;

/// A question a decoded list answers: the position asked (`None`: now) and the region prefix.
pub(crate) type Question = (Option<Position>, Option<String>);

/// A decoded list kept: its type, model and question, the heads answer it was built from, and
/// the list.
struct KeptList {
    type_id: TypeId,
    model: String,
    question: Question,
    heads: Arc<Vec<ViewHead>>,
    rows: Arc<dyn Any + Send + Sync>,
}

/// What is kept for a question.
pub(crate) enum Listed<T> {
    /// The list built from this very answer.
    Same(DecodedRows<T>),
    /// The list built from an earlier answer to the same question (rows may have changed).
    Before(DecodedRows<T>),
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

    /// The list kept for `question`, and whether it was built from this very answer.
    pub(crate) fn list<T: Any + Send + Sync>(
        &self,
        model: &str,
        question: &Question,
        heads: &Arc<Vec<ViewHead>>,
    ) -> Option<Listed<T>> {
        let mut inner = self.lock();
        let at = inner.lists.iter().position(|kept| {
            kept.type_id == TypeId::of::<T>() && kept.question == *question && kept.model == model
        })?;
        // The most recently asked go last (the first is forgotten first).
        let kept = inner.lists.remove(at);
        let same = Arc::ptr_eq(&kept.heads, heads);
        let rows = Arc::clone(&kept.rows).downcast::<DecodedRows<T>>().ok();
        inner.lists.push(kept);
        let rows = (*rows?).clone();
        Some(if same {
            Listed::Same(rows)
        } else {
            Listed::Before(rows)
        })
    }

    /// Keeps the list decoded from one answer to `question`, in place of the one before.
    pub(crate) fn keep_list<T: Any + Send + Sync>(
        &self,
        model: &str,
        question: Question,
        heads: Arc<Vec<ViewHead>>,
        rows: DecodedRows<T>,
    ) {
        let mut inner = self.lock();
        inner.lists.retain(|kept| {
            !(kept.type_id == TypeId::of::<T>() && kept.question == question && kept.model == model)
        });
        if inner.lists.len() >= MAX_LISTS {
            inner.lists.remove(0);
        }
        inner.lists.push(KeptList {
            type_id: TypeId::of::<T>(),
            model: model.to_owned(),
            question,
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

/// For each of `heads` (in key order), the document `before` (in key order) holds for the same
/// row version, if any: one walk of both lists.
pub(crate) fn carried_over<T>(
    before: &[(ViewHead, Arc<T>)],
    heads: &[ViewHead],
) -> Vec<Option<Arc<T>>> {
    let mut old = before.iter().peekable();
    heads
        .iter()
        .map(|head| {
            while old.next_if(|(h, _)| h.key < head.key).is_some() {}
            old.peek()
                .filter(|(h, _)| h.key == head.key && h.valid_from == head.valid_from)
                .map(|(_, doc)| Arc::clone(doc))
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn heads(rows: &std::collections::BTreeMap<u8, u64>) -> Vec<ViewHead> {
        rows.iter()
            .map(|(key, valid_from)| ViewHead {
                key: format!("row-{key:03}"),
                valid_from: *valid_from,
                version: *valid_from,
            })
            .collect()
    }

    proptest! {
        /// Merging finds, for every head, exactly the document the earlier list holds for the
        /// same (key, valid_from), whatever rows were added, removed or changed in between.
        #[test]
        fn carried_over_equals_a_lookup(
            before in proptest::collection::btree_map(any::<u8>(), 1u64..4, 0..40),
            after in proptest::collection::btree_map(any::<u8>(), 1u64..4, 0..40),
        ) {
            let before: Vec<(ViewHead, Arc<u64>)> =
                heads(&before).into_iter().map(|h| { let v = Arc::new(h.valid_from); (h, v) }).collect();
            let after = heads(&after);
            let merged = carried_over(&before, &after);
            for (head, got) in after.iter().zip(&merged) {
                let expected = before
                    .iter()
                    .find(|(h, _)| h.key == head.key && h.valid_from == head.valid_from)
                    .map(|(_, doc)| doc);
                prop_assert_eq!(got.as_ref().map(Arc::as_ptr), expected.map(Arc::as_ptr));
            }
        }
    }
}
