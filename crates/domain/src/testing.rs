//! Given/when/then scenarios for aggregates (tests only).

use std::collections::BTreeSet;

use crate::aggregate::{Aggregate, DomainError, DomainEvent, replay};

/// Assert that a JSON value holds no non-integer number anywhere.
#[track_caller]
pub(crate) fn assert_no_float(value: &serde_json::Value) {
    match value {
        serde_json::Value::Number(n) => {
            assert!(
                n.is_i64() || n.is_u64(),
                "non-integer number {n} in payload"
            )
        }
        serde_json::Value::Array(items) => items.iter().for_each(assert_no_float),
        serde_json::Value::Object(map) => map.values().for_each(assert_no_float),
        _ => {}
    }
}

/// Assert that an event survives to_payload/from_payload and serde, and holds no float.
#[track_caller]
pub(crate) fn assert_round_trips<E: DomainEvent>(event: &E) {
    let (event_type, payload) = event.to_payload();
    assert_eq!(event_type, event.event_type());
    assert!(payload.is_object(), "{event_type} payload is not an object");
    assert_no_float(&payload);
    assert_eq!(E::from_payload(event_type, payload).as_ref(), Ok(event));
    let json = serde_json::to_string(event).expect("serializes");
    let back: E = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(&back, event);
    if let Some(effective) = event.effective() {
        let canonical = effective.parse::<crate::values::Period>().is_ok()
            || chrono::NaiveDate::parse_from_str(&effective, "%Y-%m-%d").is_ok();
        assert!(canonical, "effective {effective:?} is not canonical");
    }
}

/// Assert that an aggregate state survives JSON (state → JSON → state is the same state) and its
/// JSON holds no float; returns the JSON for shape checks. Map keys must be strings for the
/// serialization to succeed at all (periods, years, ids and codes are written as their text).
#[track_caller]
pub(crate) fn assert_state_round_trips<A>(state: &A) -> serde_json::Value
where
    A: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let value = serde_json::to_value(state).expect("state serializes");
    assert!(value.is_object(), "state is not a JSON object");
    assert_no_float(&value);
    let back: A = serde_json::from_value(value.clone()).expect("state deserializes");
    assert_eq!(&back, state);
    let text = serde_json::to_string(state).expect("state serializes");
    let back: A = serde_json::from_str(&text).expect("state deserializes from text");
    assert_eq!(&back, state);
    value
}

/// Assert that an error serializes as `{"rule": <its rule()>, "values": …}` with no float, its
/// rule listed in `RULES`, and a nested error (a newtype variant's) serialized the same way.
#[track_caller]
pub(crate) fn assert_error_serializes<E: DomainError>(error: &E) -> serde_json::Value {
    let value = serde_json::to_value(error).expect("error serializes");
    assert_no_float(&value);
    let object = value.as_object().expect("error serializes as an object");
    assert_eq!(object.get("rule"), Some(&serde_json::json!(error.rule())));
    assert!(
        E::RULES.contains(&error.rule()),
        "{} not in RULES",
        error.rule()
    );
    assert!(
        object.keys().all(|k| k == "rule" || k == "values"),
        "unexpected keys in {value}"
    );
    value
}

/// A scenario: the state after the given events.
pub(crate) struct Given<A: Aggregate> {
    state: A,
}

/// Start a scenario from the events already recorded.
pub(crate) fn given<A: Aggregate>(events: impl IntoIterator<Item = A::Event>) -> Given<A> {
    let events: Vec<A::Event> = events.into_iter().collect();
    Given {
        state: replay::<A, _>(&events),
    }
}

impl<A: Aggregate + std::fmt::Debug> Given<A> {
    /// The state after the given events.
    pub(crate) fn state(&self) -> &A {
        &self.state
    }

    /// When `command`, then exactly `expected` events; returns the state after them.
    #[track_caller]
    pub(crate) fn when_then(self, command: A::Command, expected: Vec<A::Event>) -> A
    where
        A::Error: std::fmt::Debug,
    {
        let events = match self.state.decide(&command) {
            Ok(events) => events,
            Err(e) => panic!("expected events {expected:?}, got error {e:?}"),
        };
        assert_eq!(events, expected);
        for event in &events {
            assert_round_trips(event);
        }
        crate::aggregate::fold(self.state, &events)
    }

    /// When `command`, then exactly `expected` error (which serializes as its rule and values).
    #[track_caller]
    pub(crate) fn when_fails(self, command: A::Command, expected: A::Error)
    where
        A::Error: std::fmt::Debug,
    {
        assert_error_serializes(&expected);
        assert_eq!(self.state.decide(&command), Err(expected));
    }
}

/// Decides each command in turn from the state after `start`, applying what is accepted and
/// skipping what is refused: where a random command sequence leads.
pub(crate) fn run_accepted<A: Aggregate>(
    start: Vec<A::Event>,
    commands: &[A::Command],
) -> (A, Vec<A::Event>) {
    let mut state = replay::<A, _>(&start);
    let mut events = start;
    for command in commands {
        if let Ok(new) = state.decide(command) {
            for e in &new {
                state.apply(e);
            }
            events.extend(new);
        }
    }
    (state, events)
}

/// The event types that `samples` command sequences, drawn deterministically from `sequences`,
/// reach through `run`: property tests are only as good as the sequences they generate.
pub(crate) fn event_types_reached<C, E: DomainEvent>(
    sequences: impl proptest::strategy::Strategy<Value = Vec<C>>,
    samples: usize,
    run: impl Fn(&[C]) -> Vec<E>,
) -> BTreeSet<&'static str> {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut seen = BTreeSet::new();
    for _ in 0..samples {
        let commands = sequences.new_tree(&mut runner).expect("strategy").current();
        seen.extend(run(&commands).iter().map(DomainEvent::event_type));
    }
    seen
}
