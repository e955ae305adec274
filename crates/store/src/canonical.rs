//! Canonical encodings and the hash chain. `docs/event-format.md` specifies every byte written here;
//! keep the two in step.

use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::InvalidInput;
use crate::types::RecordedEvent;

/// The hash that precedes the first event: 32 zero bytes.
pub const GENESIS_HASH: [u8; 32] = [0; 32];

/// Deepest JSON nesting accepted in a payload.
pub const MAX_JSON_DEPTH: usize = 64;

/// Writes `value` as canonical JSON: no insignificant whitespace, object members sorted by the
/// UTF-8 bytes of their keys, strings with the minimal escaping, integers only.
pub fn canonical_json(value: &Value) -> Result<String, InvalidInput> {
    let mut out = String::with_capacity(128);
    write_value(value, &mut out, 0)?;
    Ok(out)
}

fn write_value(value: &Value, out: &mut String, depth: usize) -> Result<(), InvalidInput> {
    if depth > MAX_JSON_DEPTH {
        return Err(InvalidInput::PayloadTooDeep {
            max: MAX_JSON_DEPTH,
        });
    }
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                return Err(InvalidInput::NonIntegerNumber(n.to_string()));
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out, depth + 1)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, item)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value(item, out, depth + 1)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The fields of an event that the hash covers, borrowed from wherever they are stored.
#[derive(Clone, Copy, Debug)]
pub struct EventFields<'a> {
    pub position: u64,
    pub stream: &'a str,
    pub version: u64,
    pub event_id: &'a Uuid,
    pub event_type: &'a str,
    pub schema_version: u32,
    pub recorded_at_micros: i64,
    pub effective: Option<&'a str>,
    /// The payload's canonical JSON text.
    pub payload: &'a str,
    pub actor_id: &'a str,
    pub actor_role: &'a str,
    pub organisation: &'a str,
    pub reason: Option<&'a str>,
    pub correlation_id: Option<&'a Uuid>,
    pub causation_id: Option<&'a Uuid>,
    pub idempotency_key: Option<&'a str>,
}

/// Magic prefix of encoding version 1.
pub const ENCODING_TAG: &[u8; 8] = b"RMLEVT01";

impl EventFields<'_> {
    /// The canonical byte encoding of the event (encoding version 1).
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(ENCODING_TAG);
        out.extend_from_slice(&self.position.to_be_bytes());
        put_str(out, self.stream);
        out.extend_from_slice(&self.version.to_be_bytes());
        out.extend_from_slice(self.event_id.as_bytes());
        put_str(out, self.event_type);
        out.extend_from_slice(&self.schema_version.to_be_bytes());
        out.extend_from_slice(&self.recorded_at_micros.to_be_bytes());
        put_opt_str(out, self.effective);
        put_str(out, self.payload);
        put_str(out, self.actor_id);
        put_str(out, self.actor_role);
        put_str(out, self.organisation);
        put_opt_str(out, self.reason);
        put_opt_uuid(out, self.correlation_id);
        put_opt_uuid(out, self.causation_id);
        put_opt_str(out, self.idempotency_key);
    }

    /// `SHA-256(previous ‖ encoding)`; `buf` is scratch space reused between calls.
    pub fn chain_hash(&self, previous: &[u8; 32], buf: &mut Vec<u8>) -> [u8; 32] {
        buf.clear();
        buf.extend_from_slice(previous);
        self.encode_into(buf);
        Sha256::digest(buf.as_slice()).into()
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    // Lengths are bounded by the store's input limits far below 4 GiB.
    let len = u32::try_from(s.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
    }
}

fn put_opt_uuid(out: &mut Vec<u8>, id: Option<&Uuid>) {
    match id {
        None => out.push(0),
        Some(id) => {
            out.push(1);
            out.extend_from_slice(id.as_bytes());
        }
    }
}

/// The hash fields of a recorded event whose payload text is `payload`.
pub(crate) fn fields_of<'a>(event: &'a RecordedEvent, payload: &'a str) -> EventFields<'a> {
    EventFields {
        position: event.position,
        stream: event.stream.as_str(),
        version: event.version,
        event_id: &event.event_id,
        event_type: &event.event_type,
        schema_version: event.schema_version,
        recorded_at_micros: event.recorded_at.timestamp_micros(),
        effective: event.effective.as_ref().map(|e| e.as_str()),
        payload,
        actor_id: &event.metadata.actor_id,
        actor_role: &event.metadata.actor_role,
        organisation: &event.metadata.organisation,
        reason: event.metadata.reason.as_deref(),
        correlation_id: event.metadata.correlation_id.as_ref(),
        causation_id: event.metadata.causation_id.as_ref(),
        idempotency_key: event.metadata.idempotency_key.as_deref(),
    }
}

/// Recomputes a recorded event's hash from its predecessor's hash.
pub fn recompute_hash(
    event: &RecordedEvent,
    previous: &[u8; 32],
) -> Result<[u8; 32], InvalidInput> {
    let payload = canonical_json(&event.payload)?;
    Ok(fields_of(event, &payload).chain_hash(previous, &mut Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn sorts_keys_by_utf8_bytes_and_drops_whitespace() {
        let v = json!({"b": 1, "a": [true, null, "x"], "é": {"z": -3, "A": 0}});
        assert_eq!(
            canonical_json(&v).as_deref(),
            Ok(r#"{"a":[true,null,"x"],"b":1,"é":{"A":0,"z":-3}}"#)
        );
    }

    #[test]
    fn escapes_minimally() {
        let v = json!("q\"b\\n\n\u{1}\u{7f}中");
        assert_eq!(
            canonical_json(&v).as_deref(),
            Ok("\"q\\\"b\\\\n\\n\\u0001\u{7f}中\"")
        );
    }

    #[test]
    fn rejects_fractions_and_deep_nesting() {
        assert_eq!(
            canonical_json(&json!({"t": 1.5})),
            Err(InvalidInput::NonIntegerNumber("1.5".into()))
        );
        let mut deep = json!(0);
        for _ in 0..=MAX_JSON_DEPTH {
            deep = json!([deep]);
        }
        assert_eq!(
            canonical_json(&deep),
            Err(InvalidInput::PayloadTooDeep {
                max: MAX_JSON_DEPTH
            })
        );
    }

    #[test]
    fn known_vector() {
        // The worked example of docs/event-format.md.
        let id = Uuid::parse_str("0190f5a0-0000-7000-8000-000000000001").expect("uuid");
        let fields = EventFields {
            position: 1,
            stream: "enterprise-0190f5a0-0000-7000-8000-0000000000aa",
            version: 1,
            event_id: &id,
            event_type: "EnterpriseRegistered",
            schema_version: 1,
            recorded_at_micros: 1_767_225_600_000_000,
            effective: Some("2026-Q1"),
            payload: r#"{"name":"示例氧化铝厂"}"#,
            actor_id: "guiyang",
            actor_role: "bureau",
            organisation: "520100",
            reason: None,
            correlation_id: None,
            causation_id: None,
            idempotency_key: None,
        };
        let hash = fields.chain_hash(&GENESIS_HASH, &mut Vec::new());
        assert_eq!(
            hex::encode(hash),
            include_str!("../../../docs/event-format.vector").trim()
        );
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|i| json!(i)),
            any::<u64>().prop_map(|u| json!(u)),
            ".*".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::btree_map(".*", inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn canonical_json_round_trips_and_is_a_fixed_point(v in arb_json()) {
            let text = canonical_json(&v).expect("integers only");
            let parsed: Value = serde_json::from_str(&text).expect("valid JSON");
            prop_assert_eq!(&parsed, &v);
            prop_assert_eq!(canonical_json(&parsed).expect("again"), text);
        }

        #[test]
        fn canonical_json_ignores_member_order(pairs in prop::collection::vec((".{0,6}", any::<i64>()), 0..10)) {
            let forward: serde_json::Map<String, Value> = pairs.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            let backward: serde_json::Map<String, Value> = pairs.iter().rev().map(|(k, v)| (k.clone(), json!(v))).collect();
            // Duplicate keys keep the last value in each map, so compare only distinct-key inputs.
            prop_assume!(forward.len() == pairs.len());
            prop_assert_eq!(canonical_json(&Value::Object(forward)), canonical_json(&Value::Object(backward)));
        }

        #[test]
        fn every_field_changes_the_hash(a in any::<u64>(), b in any::<u64>(), s in "[a-z]{1,8}", t in "[a-z]{1,8}") {
            prop_assume!(a != b && s != t);
            let id = Uuid::from_u128(7);
            let base = EventFields {
                position: a, stream: &s, version: 1, event_id: &id, event_type: "T", schema_version: 1,
                recorded_at_micros: 0, effective: None, payload: "{}", actor_id: "x", actor_role: "r",
                organisation: "o", reason: None, correlation_id: None, causation_id: None, idempotency_key: None,
            };
            let h = |f: EventFields<'_>| f.chain_hash(&GENESIS_HASH, &mut Vec::new());
            let h0 = h(base);
            prop_assert_ne!(h0, h(EventFields { position: b, ..base }));
            prop_assert_ne!(h0, h(EventFields { stream: &t, ..base }));
            prop_assert_ne!(h0, h(EventFields { reason: Some(""), ..base }));
            prop_assert_ne!(h0, h(EventFields { effective: Some(&t), ..base }));
            // Moving bytes between adjacent fields changes the hash (length prefixes).
            prop_assert_ne!(h(EventFields { actor_id: "xy", actor_role: "", ..base }), h(EventFields { actor_id: "x", actor_role: "y", ..base }));
            prop_assert_ne!(h0, base.chain_hash(&[1; 32], &mut Vec::new()));
        }
    }
}
