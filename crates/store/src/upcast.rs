//! Upcasting: old payload shapes are rewritten to the current schema on every read path, so
//! aggregates only ever see the newest shape while the log keeps what was written.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

/// An event after an upcaster ran.
#[derive(Clone, Debug, PartialEq)]
pub struct Upcasted {
    pub event_type: String,
    pub schema_version: u32,
    pub payload: Value,
}

type UpcastFn = dyn Fn(Value) -> Result<Upcasted, String> + Send + Sync;

/// The registered upcasters, keyed by (event type, schema version they read).
#[derive(Clone, Default)]
pub struct Upcasters {
    by_type: HashMap<(String, u32), Arc<UpcastFn>>,
}

impl fmt::Debug for Upcasters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.by_type.keys()).finish()
    }
}

/// Most steps a chain of upcasters may take for one event (guards against cycles).
const MAX_STEPS: usize = 32;

impl Upcasters {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `upcast` for events of `event_type` at `schema_version`. Its result must carry a
    /// higher schema version (or another type); chains are followed until no upcaster matches.
    pub fn register(
        mut self,
        event_type: impl Into<String>,
        schema_version: u32,
        upcast: impl Fn(Value) -> Result<Upcasted, String> + Send + Sync + 'static,
    ) -> Self {
        self.by_type
            .insert((event_type.into(), schema_version), Arc::new(upcast));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.by_type.is_empty()
    }

    /// Whether an upcaster is registered for events of `event_type` at `schema_version`.
    pub fn applies_to(&self, event_type: &str, schema_version: u32) -> bool {
        !self.by_type.is_empty()
            && self
                .by_type
                .keys()
                .any(|(t, v)| *v == schema_version && t == event_type)
    }

    /// Applies every matching upcaster in turn.
    pub(crate) fn apply(&self, mut event: Upcasted) -> Result<Upcasted, (Upcasted, String)> {
        for _ in 0..MAX_STEPS {
            let key = (event.event_type.clone(), event.schema_version);
            let Some(upcast) = self.by_type.get(&key) else {
                return Ok(event);
            };
            let before = event.clone();
            event = upcast(event.payload).map_err(|e| (before.clone(), e))?;
            if event.event_type == before.event_type
                && event.schema_version <= before.schema_version
            {
                return Err((before, "upcaster did not raise the schema version".into()));
            }
        }
        Err((event, format!("more than {MAX_STEPS} upcasting steps")))
    }
}
