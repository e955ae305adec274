//! The event-sourcing contract every aggregate of the plan follows.
//!
//! An aggregate is a pure state machine: [`Aggregate::decide`] looks at the current state and a
//! command and returns the events that record what happened (or a typed error, and then nothing
//! happened); [`Aggregate::apply`] folds one event into the state and never fails or panics. The
//! state of a stream is [`replay`] of its events onto [`Default`].
//!
//! Nothing here reads a clock, draws randomness or does I/O: commands that need "today" or a new
//! identifier carry it as a field, filled in by the caller.

use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

/// A consistency boundary of the plan (an enterprise, a regional plan, a project, a base).
pub trait Aggregate: Default + Clone {
    /// Stream category, e.g. "enterprise"; streams are named `"<category>-<uuid>"`. A category
    /// matches `[a-z][a-z0-9_]{0,63}` (no `-`: the store reads the category as everything before
    /// the first `-`); see [`is_valid_category`].
    const CATEGORY: &'static str;
    /// What a user asks the aggregate to do.
    type Command;
    /// What the aggregate records when it accepts a command.
    type Event: DomainEvent;
    /// Why the aggregate refused a command: names the rule and the values involved.
    type Error: DomainError;
    /// Decide a command against the current state: the events to record, or why not.
    fn decide(&self, command: &Self::Command) -> Result<Vec<Self::Event>, Self::Error>;
    /// Fold one recorded event into the state. Total: never panics, whatever the event.
    fn apply(&mut self, event: &Self::Event);
}

/// An event as the store keeps it: a stable type name, a schema version, the period or date it is
/// about, and a JSON payload containing only strings, integers, booleans, arrays and objects (never
/// a non-integer number).
pub trait DomainEvent: Serialize + DeserializeOwned + Clone + PartialEq + std::fmt::Debug {
    /// Stable type name stored with the event, e.g. "EnterpriseRegistered".
    fn event_type(&self) -> &'static str;
    /// Schema version of this event's payload (1 for now).
    fn schema_version(&self) -> u32 {
        1
    }
    /// The date or period the fact is about, in the store's canonical text: "2026", "2026-Q1",
    /// "2026-03" or "2026-03-15"; None when the event is not about a period/date.
    fn effective(&self) -> Option<String>;
    /// Split into (type name, JSON payload without the type tag) and back.
    fn to_payload(&self) -> (&'static str, serde_json::Value);
    /// Rebuild an event from its stored type name and payload.
    fn from_payload(event_type: &str, payload: serde_json::Value) -> Result<Self, DecodeError>;
}

/// A typed refusal: which rule was broken and the values involved.
///
/// Every error enum of the domain serializes adjacently tagged as
/// `{"rule": "<VariantName>", "values": {…}}`: `values` holds a struct variant's fields, a nested
/// error's own `{"rule", "values"}` for a wrapping variant (`BlankReason`, `Ledger`, `Mass`, …),
/// and is absent for a variant without values. [`DomainError::rule`] is that `rule` without
/// serializing.
pub trait DomainError: std::error::Error + PartialEq + Serialize {
    /// Every rule (variant name) of this error type, in declaration order.
    const RULES: &'static [&'static str];
    /// The rule broken: the variant's name, as serialized in `"rule"`.
    fn rule(&self) -> &'static str;
}

/// Implements [`DomainError`] for an error enum from the list of its variants. The match is
/// exhaustive and names each variant, so the compiler refuses a list that misses or misspells
/// one.
macro_rules! error_rules {
    ($name:ident { $($variant:ident),+ $(,)? }) => {
        impl $crate::aggregate::DomainError for $name {
            const RULES: &'static [&'static str] = &[$(stringify!($variant)),+];

            fn rule(&self) -> &'static str {
                match self {
                    $( $name::$variant { .. } => stringify!($variant), )+
                }
            }
        }
    };
}
pub(crate) use error_rules;

/// Why a stored (type name, payload) pair could not be turned back into an event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum DecodeError {
    /// The type name is not an event of this aggregate.
    #[error("unknown event type {event_type:?} in category {category:?}")]
    UnknownEventType {
        /// The aggregate category asked to decode.
        category: &'static str,
        /// The stored type name.
        event_type: String,
    },
    /// The payload does not match the event's schema (or breaks a value type's rule).
    #[error("payload of {event_type} does not match its schema: {message}")]
    InvalidPayload {
        /// The stored type name.
        event_type: String,
        /// The deserializer's message.
        message: String,
    },
}

error_rules!(DecodeError {
    UnknownEventType,
    InvalidPayload
});

/// Apply `events` in order onto `state`.
pub fn fold<'a, A, I>(mut state: A, events: I) -> A
where
    A: Aggregate,
    A::Event: 'a,
    I: IntoIterator<Item = &'a A::Event>,
{
    for event in events {
        state.apply(event);
    }
    state
}

/// The state of a stream: its events applied in order onto [`Default`].
pub fn replay<'a, A, I>(events: I) -> A
where
    A: Aggregate,
    A::Event: 'a,
    I: IntoIterator<Item = &'a A::Event>,
{
    fold(A::default(), events)
}

/// Decide a command and, when accepted, apply its events: returns the new state and the events.
/// The given state is left untouched either way.
pub fn execute<A: Aggregate>(
    state: &A,
    command: &A::Command,
) -> Result<(A, Vec<A::Event>), A::Error> {
    let events = state.decide(command)?;
    let next = fold(state.clone(), events.iter());
    Ok((next, events))
}

/// Whether `category` is a valid stream category: `[a-z][a-z0-9_]{0,63}`, the event store's
/// rule. It never contains `-`, so the category of a stream name is everything before its first
/// `-`.
pub fn is_valid_category(category: &str) -> bool {
    let bytes = category.as_bytes();
    matches!(bytes.first(), Some(b'a'..=b'z'))
        && bytes.len() <= 64
        && bytes
            .iter()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
}

/// The stream name of aggregate `id` of type `A`: `"<category>-<uuid>"` (hyphenated, lower case).
pub fn stream_name<A: Aggregate>(id: Uuid) -> String {
    format!("{}-{}", A::CATEGORY, id.hyphenated())
}

/// Split a stream name `"<category>-<uuid>"` into its category and id, if it has that shape: the
/// category is everything before the first `-` (as the event store reads it) and must be valid
/// ([`is_valid_category`]); the rest must be a hyphenated UUID.
pub fn parse_stream_name(stream: &str) -> Option<(&str, Uuid)> {
    let (category, uuid_text) = stream.split_once('-')?;
    if !is_valid_category(category) || uuid_text.len() != 36 {
        return None;
    }
    Uuid::parse_str(uuid_text).ok().map(|id| (category, id))
}

/// Implements an event enum over payload structs: serde (adjacently tagged by type name), the
/// [`DomainEvent`] methods and `From<Payload>` for each variant. Each payload type implements
/// [`EventPayload`].
macro_rules! domain_events {
    (
        $(#[$meta:meta])*
        pub enum $name:ident in $category:literal {
            $( $(#[$vmeta:meta])* $variant:ident($payload:ty) = $type_name:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(tag = "type", content = "payload")]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $type_name)] $variant($payload), )+
        }

        impl $name {
            /// Every event type name of this aggregate, in declaration order.
            pub const EVENT_TYPES: &'static [&'static str] = &[$($type_name),+];
        }

        $(
            impl From<$payload> for $name {
                fn from(payload: $payload) -> Self {
                    $name::$variant(payload)
                }
            }
        )+

        impl $crate::aggregate::DomainEvent for $name {
            fn event_type(&self) -> &'static str {
                match self {
                    $( $name::$variant(_) => $type_name, )+
                }
            }

            fn effective(&self) -> Option<String> {
                match self {
                    $( $name::$variant(p) => $crate::aggregate::EventPayload::effective(p), )+
                }
            }

            fn to_payload(&self) -> (&'static str, serde_json::Value) {
                // Payload structs hold only strings, integers, booleans, sequences and maps with
                // string keys, for which serde_json serialization cannot fail (proven for every
                // event type by the round-trip property tests); Null is an unreachable fallback.
                match self {
                    $( $name::$variant(p) => (
                        $type_name,
                        serde_json::to_value(p).unwrap_or(serde_json::Value::Null),
                    ), )+
                }
            }

            fn from_payload(
                event_type: &str,
                payload: serde_json::Value,
            ) -> Result<Self, $crate::aggregate::DecodeError> {
                match event_type {
                    $( $type_name => serde_json::from_value::<$payload>(payload)
                        .map($name::$variant)
                        .map_err(|e| $crate::aggregate::DecodeError::InvalidPayload {
                            event_type: event_type.to_owned(),
                            message: e.to_string(),
                        }), )+
                    other => Err($crate::aggregate::DecodeError::UnknownEventType {
                        category: $category,
                        event_type: other.to_owned(),
                    }),
                }
            }
        }
    };
}
pub(crate) use domain_events;

/// A payload struct of one event type.
pub trait EventPayload {
    /// The date or period this fact is about, in canonical text (see [`DomainEvent::effective`]).
    fn effective(&self) -> Option<String> {
        None
    }
}

/// Refuse a blank reason: corrections, revocations, cancellations, recoveries, returns, target
/// revisions and rejections must say why.
pub fn require_reason(reason: &str, command: &'static str) -> Result<(), BlankReason> {
    if reason.trim().is_empty() {
        Err(BlankReason { command })
    } else {
        Ok(())
    }
}

/// A command that must carry a reason was given an empty or blank one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[error("{command} requires a reason; an empty or blank reason was given")]
pub struct BlankReason {
    /// The command that requires a reason.
    pub command: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_names_round_trip() {
        let id = Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0001);
        let s = format!("enterprise-{}", id.hyphenated());
        assert_eq!(parse_stream_name(&s), Some(("enterprise", id)));
        let s = format!("regional_plan-{}", id.hyphenated());
        assert_eq!(parse_stream_name(&s), Some(("regional_plan", id)));
        // The store reads the category up to the first '-': "regional-plan-…" is category
        // "regional" with id "plan-…", which is not a UUID.
        assert_eq!(
            parse_stream_name(&format!("regional-plan-{}", id.hyphenated())),
            None
        );
        assert_eq!(parse_stream_name("enterprise"), None);
        assert_eq!(parse_stream_name(&format!("-{}", id.hyphenated())), None);
        assert_eq!(parse_stream_name(&format!("x_{}", id.hyphenated())), None);
        assert_eq!(
            parse_stream_name(&format!("Project-{}", id.hyphenated())),
            None
        );
        assert_eq!(parse_stream_name(&format!("1x-{}", id.hyphenated())), None);
        assert_eq!(parse_stream_name(&format!("project-{}", id.simple())), None);
        assert_eq!(parse_stream_name(&format!("project-{{{id}}}")), None);
        assert_eq!(
            parse_stream_name(&format!("project-{}", id.hyphenated()).to_uppercase()),
            None
        );
    }

    #[test]
    fn categories_follow_the_store_rule() {
        for ok in ["a", "enterprise", "regional_plan", "base2", &"a".repeat(64)] {
            assert!(is_valid_category(ok), "{ok}");
        }
        for bad in [
            "",
            "regional-plan",
            "Project",
            "1x",
            "_x",
            "x y",
            "é",
            &"a".repeat(65),
        ] {
            assert!(!is_valid_category(bad), "{bad}");
        }
    }

    /// A toy counter aggregate exercising the contract and the `domain_events!` macro.
    #[derive(Debug, Default, Clone, PartialEq)]
    struct Counter {
        total: u64,
    }

    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Added {
        pub amount: u64,
        pub on: String,
    }
    impl EventPayload for Added {
        fn effective(&self) -> Option<String> {
            Some(self.on.clone())
        }
    }

    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Reset {}
    impl EventPayload for Reset {}

    domain_events! {
        /// Counter events.
        pub enum CounterEvent in "counter" {
            /// Added.
            Added(Added) = "CounterAdded",
            /// Reset.
            Reset(Reset) = "CounterReset",
        }
    }

    #[derive(Debug, PartialEq, thiserror::Error, serde::Serialize)]
    #[serde(tag = "rule", content = "values")]
    enum CounterError {
        #[error("zero")]
        Zero,
    }
    error_rules!(CounterError { Zero });

    impl Aggregate for Counter {
        const CATEGORY: &'static str = "counter";
        type Command = u64;
        type Event = CounterEvent;
        type Error = CounterError;
        fn decide(&self, command: &u64) -> Result<Vec<CounterEvent>, CounterError> {
            match command {
                0 => Err(CounterError::Zero),
                n => Ok(vec![
                    Reset {}.into(),
                    Added {
                        amount: *n,
                        on: "2026-Q1".into(),
                    }
                    .into(),
                ]),
            }
        }
        fn apply(&mut self, event: &CounterEvent) {
            match event {
                CounterEvent::Added(a) => self.total = self.total.saturating_add(a.amount),
                CounterEvent::Reset(_) => self.total = 0,
            }
        }
    }

    #[test]
    fn the_contract_round_trips_and_replays() {
        let (state, events) = execute(&Counter { total: 9 }, &5).expect("accepted");
        assert_eq!(state, Counter { total: 5 });
        assert_eq!(replay::<Counter, _>(&events), Counter { total: 5 });
        assert_eq!(execute(&state, &0), Err(CounterError::Zero));
        assert_eq!(CounterError::Zero.rule(), "Zero");
        assert_eq!(CounterError::RULES, ["Zero"]);
        assert_eq!(
            serde_json::to_value(CounterError::Zero).ok(),
            Some(serde_json::json!({"rule": "Zero"}))
        );
        let (name, payload) = events[1].to_payload();
        assert_eq!(name, "CounterAdded");
        assert_eq!(payload, serde_json::json!({"amount": 5, "on": "2026-Q1"}));
        assert_eq!(events[1].effective(), Some("2026-Q1".to_owned()));
        assert_eq!(events[0].effective(), None);
        assert_eq!(events[0].schema_version(), 1);
        assert_eq!(
            CounterEvent::from_payload(name, payload),
            Ok(events[1].clone())
        );
        assert_eq!(
            CounterEvent::from_payload("CounterRemoved", serde_json::json!({})),
            Err(DecodeError::UnknownEventType {
                category: "counter",
                event_type: "CounterRemoved".into()
            })
        );
        assert!(matches!(
            CounterEvent::from_payload(
                "CounterAdded",
                serde_json::json!({"amount": 1.5, "on": "x"})
            ),
            Err(DecodeError::InvalidPayload { .. })
        ));
        assert_eq!(CounterEvent::EVENT_TYPES, ["CounterAdded", "CounterReset"]);
        assert_eq!(
            stream_name::<Counter>(Uuid::nil()),
            "counter-00000000-0000-0000-0000-000000000000"
        );
    }

    #[test]
    fn blank_reasons_are_refused() {
        assert_eq!(
            require_reason("  \n", "CorrectLedger"),
            Err(BlankReason {
                command: "CorrectLedger"
            })
        );
        assert_eq!(require_reason("typo in March", "CorrectLedger"), Ok(()));
    }
}
